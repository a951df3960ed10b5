//! Rules from "You're fired: what to do when a client rejects you": learn
//! why a client left, ask for feedback, and keep the pipeline full
//! (NV401-NV403).

use super::{
    Check, Doc, FolderInput, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, opt,
};
use crate::dates::in_last_days;
use crate::frontmatter::Pos;
use crate::model::{LostReason, Status};

const ORIGIN: &str = "You're fired: what to do when a client rejects you";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV401",
            name: "lost-without-reason",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "A lost client has no known reason for leaving",
            explanation: "\
Fires when the status is lost and `lost.reason` is missing or `unknown`.

Why: a client leaves for a reason: money got tight, their needs changed, a \
product did not fit and went back, or they were really dissatisfied. Only \
the last one says something about your work, and you cannot tell them apart \
without asking. It is rarely personal; find the root cause.",
            keys: &["status", "lost"],
            example: "client: Example Ltd\nstatus: lost\nlost: {date: 2026-11-01, reason: unknown, feedback_requested: 2026-11-05}\n",
            advice: "Ask the client, kindly and briefly, what made them leave, and record it in `lost.reason`.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(lost_without_reason)),
        Doc {
            code: "NV402",
            name: "feedback-not-requested",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "You never asked a lost client for feedback",
            explanation: "\
Fires when the status is lost and `lost.feedback_requested` is missing or \
false.

Why: losing a client is information. Slow service, missed expectations or a \
clumsy ordering process can all be fixed, but only once you hear about \
them. Stay professional and kind, thank them, and send a short feedback \
survey; notes-vet drafts one for every lost client.",
            keys: &["status", "lost"],
            example: "client: Example Ltd\nstatus: lost\nlost: {date: 2026-11-01, reason: budget, feedback_requested: false}\n",
            advice: "Send the feedback survey notes-vet drafted and record the date in `lost.feedback_requested`.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(feedback_not_requested)),
        Doc {
            code: "NV403",
            name: "thin-pipeline",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Folder,
            summary: "Too few new prospects came in recently",
            explanation: "\
A folder-level rule: fires when fewer than `min_new` client notes have \
status prospect and a `since` date in the last 30 days (today included).

Why: even the best clients leave one day, and some you will choose to let \
go. Keep marketing and asking for referrals every day, so that losing one \
client is never a crisis.",
            keys: &["status", "since"],
            example: "client: Example Ltd\nstatus: prospect\nsince: 2026-06-01\n",
            advice: "Ask your happy clients for referrals and put a little time into marketing every week.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_new", OptionValue::Int(2), "new prospects wanted in the last 30 days")],
            Check::Folder(thin_pipeline),
        ),
    ]
}

fn lost_pos(input: &NoteInput<'_>) -> Pos {
    let c = input.client;
    c.lost.as_ref().map_or_else(
        || c.status.as_ref().map_or(c.name_pos, |s| s.pos),
        |l| l.pos,
    )
}

fn lost_without_reason(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    if c.status() != Status::Lost {
        return Vec::new();
    }
    match c.lost.as_ref().and_then(|l| l.reason) {
        Some(r) if r != LostReason::Unknown => Vec::new(),
        Some(_) => {
            let pos = c
                .lost
                .as_ref()
                .and_then(|l| l.reason_pos)
                .unwrap_or_else(|| lost_pos(input));
            vec![Hit::new(
                "lost.reason",
                pos,
                "the client left and the reason is unknown",
            )]
        }
        None => vec![Hit::new(
            "lost.reason",
            lost_pos(input),
            "the client left and no reason is recorded",
        )],
    }
}

fn feedback_not_requested(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    if c.status() != Status::Lost
        || c.lost
            .as_ref()
            .is_some_and(|l| l.feedback_requested.is_some())
    {
        return Vec::new();
    }
    let pos = c
        .lost
        .as_ref()
        .and_then(|l| l.feedback_pos)
        .unwrap_or_else(|| lost_pos(input));
    vec![Hit::new(
        "lost.feedback_requested",
        pos,
        "the client left and you have not asked them for feedback",
    )]
}

fn thin_pipeline(input: &FolderInput<'_>, opts: &Options) -> Vec<Hit> {
    let min = opts.int("min_new");
    let new = input
        .notes
        .iter()
        .filter(|n| n.status == Status::Prospect)
        .filter(|n| n.since.is_some_and(|s| in_last_days(s, input.today, 30)))
        .count() as i64;
    if new >= min {
        return Vec::new();
    }
    let noun = if new == 1 { "prospect" } else { "prospects" };
    vec![Hit::new(
        "",
        Pos::default(),
        format!("{new} new {noun} in the last 30 days (at least {min} wanted)"),
    )]
}
