//! Rules from "You're fired: what to do when a client rejects you": learn
//! why a client left, ask for feedback, and keep the pipeline full
//! (NV401-NV403).

use super::{
    Check, Doc, FolderInput, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, opt,
};
use crate::dates::in_last_days;
use crate::frontmatter::Pos;
use crate::model::{LostReason, Status};
use crate::msg;

const ORIGIN: &str = "origin-lost";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV401",
            name: "lost-without-reason",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["status", "lost"],
            example: "client: Example Ltd\nstatus: lost\nlost: {date: 2026-11-01, reason: unknown, feedback_requested: 2026-11-05}\n",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(lost_without_reason)),
        Doc {
            code: "NV402",
            name: "feedback-not-requested",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["status", "lost"],
            example: "client: Example Ltd\nstatus: lost\nlost: {date: 2026-11-01, reason: budget, feedback_requested: false}\n",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(feedback_not_requested)),
        Doc {
            code: "NV403",
            name: "thin-pipeline",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Folder,
            keys: &["status", "since"],
            example: "client: Example Ltd\nstatus: prospect\nsince: 2026-06-01\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_new", OptionValue::Int(2))],
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
            vec![Hit::new("lost.reason", pos, msg!("nv401-unknown"))]
        }
        None => vec![Hit::new(
            "lost.reason",
            lost_pos(input),
            msg!("nv401-missing"),
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
        msg!("nv402-no-feedback"),
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
    vec![Hit::new(
        "",
        Pos::default(),
        msg!("nv403-thin", count = new, min = min),
    )]
}
