//! Rules from "4 tips for difficult clients": set expectations early, tell a
//! client with a problem from a problem client, and finish what you owe
//! before you let a client go (NV301-NV303).

use super::{
    Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt,
    verdict_of,
};
use crate::dates::days_between;
use crate::model::Status;
use crate::msg;
use crate::verdict::Verdict;

const ORIGIN: &str = "origin-difficult";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV301",
            name: "expectations-not-set",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["status", "expectations_set", "since"],
            example: "client: Example Ltd\nstatus: active\nsince: 2026-10-01\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("grace_days", OptionValue::Int(7))],
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
            keys: &["hardship"],
            example: "client: Example Ltd\nhardship: \"lost their main investor\"\n",
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
            keys: &["obligations", "status"],
            example: "client: Example Ltd\nstatus: ended\nobligations:\n  - {what: \"final report\", due: 2026-12-01, done: false}\n",
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
    // The label names the key that is shown: the note has no
    // `expectations_set` to point at.
    let (message, field, pos) = match &c.since {
        Some(since) => {
            let age = days_between(since.value, input.today);
            if age <= grace {
                return Vec::new();
            }
            (
                msg!(
                    "nv301-since",
                    days = age,
                    since = since.value,
                    grace = grace
                ),
                "since",
                since.pos,
            )
        }
        None => match &c.status {
            Some(s) => (msg!("nv301-no-since"), "status", s.pos),
            None => (msg!("nv301-no-since"), "client", c.name_pos),
        },
    };
    vec![Hit::new(field, pos, message)]
}

fn client_in_hardship(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    match &input.client.hardship {
        Some(h) if !h.value.trim().is_empty() => {
            vec![Hit::new(
                "hardship",
                h.pos,
                msg!("nv302-hardship", hardship = h.value.trim()),
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
    let list: Vec<crate::i18n::Msg> = open
        .iter()
        .map(|(_, o)| match o.due {
            Some(d) => msg!("nv303-obligation-due", what = &o.what, due = d),
            None => msg!("nv303-obligation", what = &o.what),
        })
        .collect();
    vec![Hit::new(
        format!("obligations[{i}]"),
        first.pos,
        msg!(
            "nv303-obligations",
            count = open.len(),
            ended = if c.status() == Status::Ended {
                "yes"
            } else {
                "no"
            },
            list = crate::i18n::Arg::List(list)
        ),
    )]
}
