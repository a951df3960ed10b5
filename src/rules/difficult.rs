//! Rules from "4 tips for difficult clients": set expectations early, tell a
//! client with a problem from a problem client, and finish what you owe
//! before you let a client go (NV301-NV303).

use super::{
    Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt,
    verdict_of,
};
use crate::dates::days_between;
use crate::model::Status;
use crate::verdict::Verdict;

const ORIGIN: &str = "Don't let your energy be drained: 4 tips for difficult clients";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV301",
            name: "expectations-not-set",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "An active client never got your how-we-work note",
            explanation: "\
Fires when the status is active, `expectations_set` is missing, and `since` \
is missing or more than `grace_days` days ago.

Why: most friction with clients comes from expectations nobody stated. At \
the first contact, tell the client how the work runs, what they can expect \
and by when, and how and when to reach you. notes-vet drafts that letter for \
you when this rule fires; record the date you sent it in `expectations_set`.",
            keys: &["status", "expectations_set", "since"],
            example: "client: Example Ltd\nstatus: active\nsince: 2026-10-01\n",
            advice: "Send the expectations letter (how the work runs, timeline, how to reach you) and record the date in `expectations_set`.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("grace_days", OptionValue::Int(7), "days after `since` before expectations must be set")],
            Check::Note(expectations_not_set),
        )
        .with_traits(Traits {
            drafts_expectations: true,
            ..Traits::NONE
        }),
        Doc {
            code: "NV302",
            name: "client-in-hardship",
            severity: Severity::Info,
            weight: None,
            scope: Scope::Note,
            summary: "The client is going through a hard time",
            explanation: "\
Fires when `hardship` is a non-empty string.

Why: a client with a problem is not a problem client. Someone who lost their \
main investor or is grieving may be short and demanding for a while; that is \
a person in a hard moment, not a reason to let them go. So a client in \
hardship is never told decline or fire by notes-vet (the verdict becomes \
caution), unless they also crossed a boundary (NV105).",
            keys: &["hardship"],
            example: "client: Example Ltd\nhardship: \"lost their main investor\"\n",
            advice: "Make an extra effort: apologise sincerely for any misunderstanding, offer to fix something concrete, and help for real.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(client_in_hardship))
        .with_traits(Traits {
            hardship: true,
            ..Traits::NONE
        }),
        Doc {
            code: "NV303",
            name: "open-obligations",
            severity: Severity::Warn,
            weight: Some(0),
            scope: Scope::AfterVerdict,
            summary: "You still owe work to a client you are letting go",
            explanation: "\
Fires when the note has `obligations` that are not `done`, and its verdict \
is `fire` or its status is `ended`. It is decided after the verdict and \
never changes it.

Why: letting go of a client who drains you is fine, but only after every \
promise already made is kept. Stop quickly and professionally, without \
insults, and leave nothing half done that could be held against you.",
            keys: &["obligations", "status"],
            example: "client: Example Ltd\nstatus: ended\nobligations:\n  - {what: \"final report\", due: 2026-12-01, done: false}\n",
            advice: "Finish or hand over each open obligation, and name them with their dates in your closing letter.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(open_obligations)),
    ]
}

fn expectations_not_set(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    // A value with the wrong shape is NV001's to report, not a missing date.
    let malformed = |key: &str| c.problems.iter().any(|p| p.field == key);
    let written = c.expectations_set.is_some() || malformed("expectations_set");
    if c.status() != Status::Active || written || malformed("since") {
        return Vec::new();
    }
    let grace = opts.int("grace_days");
    let (message, pos) = match &c.since {
        Some(since) => {
            let age = days_between(since.value, input.today);
            if age <= grace {
                return Vec::new();
            }
            (
                format!(
                    "active for {age} days (since {}) and expectations were never set (grace {grace} days)",
                    since.value
                ),
                since.pos,
            )
        }
        None => (
            "active client and expectations were never set".to_string(),
            c.status.as_ref().map_or(c.name_pos, |s| s.pos),
        ),
    };
    vec![Hit::new("expectations_set", pos, message)]
}

fn client_in_hardship(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    match &input.client.hardship {
        Some(h) if !h.value.trim().is_empty() => {
            vec![Hit::new(
                "hardship",
                h.pos,
                format!("the client is in a hard situation: {}", h.value.trim()),
            )]
        }
        _ => Vec::new(),
    }
}

fn open_obligations(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    let letting_go = verdict_of(input) == Some(Verdict::Fire) || c.status() == Status::Ended;
    if !letting_go {
        return Vec::new();
    }
    let open: Vec<(usize, &crate::model::Obligation)> = c
        .obligations
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.done)
        .collect();
    let Some((i, first)) = open.first() else {
        return Vec::new();
    };
    let list: Vec<String> = open
        .iter()
        .map(|(_, o)| match o.due {
            Some(d) => format!("{} (due {d})", o.what),
            None => o.what.clone(),
        })
        .collect();
    let why = if c.status() == Status::Ended {
        "the engagement has ended"
    } else {
        "the verdict is fire"
    };
    vec![Hit::new(
        format!("obligations[{i}]"),
        first.pos,
        format!(
            "{} open obligation{} while {why}: {}",
            open.len(),
            if open.len() == 1 { "" } else { "s" },
            list.join(", ")
        ),
    )]
}
