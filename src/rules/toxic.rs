//! Rules from "4 legitimate reasons to fire a toxic client": the patterns
//! that make an ongoing relationship unhealthy (NV201-NV204).

use super::{Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt};
use crate::dates::{days_between, in_last_days};
use crate::model::{Status, Tone};

const ORIGIN: &str = "4 legitimate reasons to fire a toxic client";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV201",
            name: "excessive-contact",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client contacts you far too often, or outside working hours",
            explanation: "\
Fires when the contact log has more than `max_per_week` contacts in the last \
7 days (today included), or at least `max_after_hours` contacts in the last \
30 days whose time falls outside your working hours or on a day you do not \
work (`[practice] working_hours`, default 09:00-18:00 with 09:00 inside and \
18:00 outside, and `working_days`, default Monday to Friday). A contact \
logged with a date but no time never counts as after hours.

Why: the client who calls late at night and floods you with messages that \
could have waited for office hours costs you focus and rest. Counting the \
contacts turns a feeling into evidence you can show them.",
            keys: &["contacts"],
            example: "client: Example Ltd\ncontacts:\n  - {at: \"2026-11-20T22:15\", channel: phone, tone: neutral}\n  - {at: \"2026-11-21T10:00\", channel: message, tone: neutral}\n  - {at: \"2026-11-22T07:30\", channel: phone, tone: neutral}\n",
            advice: "Tell the client once, in writing, when and how you can be reached; log every contact with its time and send them the log if it goes on.",
            origin: ORIGIN,
        }
        .rule(
            vec![
                opt("max_per_week", OptionValue::Int(10), "contacts allowed in the last 7 days"),
                opt("max_after_hours", OptionValue::Int(3), "after-hours contacts in the last 30 days that fire the rule"),
            ],
            Check::Note(excessive_contact),
        )
        .with_traits(Traits {
            shows_contacts: true,
            ..Traits::NONE
        }),
        Doc {
            code: "NV202",
            name: "unrealistic-timeline",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client's deadline is shorter than your honest estimate",
            explanation: "\
Fires when the status is prospect, active or paused and the number of days \
from today to `deadline.requested` is smaller than `deadline.estimate_days`.

Why: a client who expects a month of work in a week will be unhappy whatever \
you do. Say clearly how long the work takes and what it costs, before you \
start, rather than racing a date you already know you will miss.",
            keys: &["status", "deadline"],
            example: "client: Example Ltd\nstatus: prospect\ndeadline: {requested: 2026-11-30, estimate_days: 21}\n",
            advice: "Share your estimate and what it rests on; offer a smaller first delivery by their date, or a later date for the whole.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(unrealistic_timeline)),
        Doc {
            code: "NV203",
            name: "freebie-expectation",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client keeps asking for discounts or free work",
            explanation: "\
Fires when `discount_requests`, plus one if `free_trial_requested` is true, \
is at least `min_requests`.

Why: some clients always want a deal: a lower price, a special offer, a free \
trial, then another discount after the trial. A client who values your work \
only when it is free will not start paying for it later; sending them to a \
cheaper provider can be the kind answer for both of you.",
            keys: &["discount_requests", "free_trial_requested"],
            example: "client: Example Ltd\ndiscount_requests: 1\nfree_trial_requested: true\n",
            advice: "Keep one clear price list and say no to further discounts; if price is all that matters to them, point them to a cheaper provider.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_requests", OptionValue::Int(2), "discount or free-trial requests that fire the rule")],
            Check::Note(freebie_expectation),
        ),
        Doc {
            code: "NV204",
            name: "aggressive-tone",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client has been rude or aggressive repeatedly",
            explanation: "\
Fires when at least `min_contacts` contacts in the last 90 days (today \
included) have the tone `rude` or `aggressive`.

Why: rude, demanding calls wear down you and your team and eat the time you \
owe your other clients. One agency logged every such call for three months \
and sent the log to the client along with a request to find a new vendor: a \
calm, factual way to end it. The summary notes-vet writes includes that log.",
            keys: &["contacts"],
            example: "client: Example Ltd\ncontacts:\n  - {at: 2026-11-02, channel: phone, tone: rude}\n  - {at: 2026-11-18, channel: email, tone: aggressive}\n",
            advice: "Keep logging each contact with its tone; state what tone you accept, and if it goes on, send the log with your notice.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_contacts", OptionValue::Int(2), "rude or aggressive contacts in the last 90 days that fire the rule")],
            Check::Note(aggressive_tone),
        )
        .with_traits(Traits {
            shows_contacts: true,
            contact_evidence: true,
            ..Traits::NONE
        }),
    ]
}

fn excessive_contact(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    if c.contacts.is_empty() {
        return Vec::new();
    }
    let max_week = opts.int("max_per_week");
    let max_late = opts.int("max_after_hours");
    let mut week = 0i64;
    let mut late = 0i64;
    for at in c.contacts.iter().filter_map(|ct| ct.at.as_ref()) {
        if in_last_days(at.date, input.today, 7) {
            week += 1;
        }
        if in_last_days(at.date, input.today, 30) && input.practice.is_after_hours(at) {
            late += 1;
        }
    }
    let mut parts = Vec::new();
    if week > max_week {
        parts.push(format!(
            "{week} contacts in the last 7 days (limit {max_week})"
        ));
    }
    if late >= max_late {
        parts.push(format!(
            "{late} contacts outside working hours ({}, {}) in the last 30 days (threshold {max_late})",
            input.practice.hours_text(),
            input.practice.day_names().join("/")
        ));
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(
        "contacts",
        c.key_pos("contacts"),
        parts.join("; "),
    )]
}

fn unrealistic_timeline(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    if !matches!(
        c.status(),
        Status::Prospect | Status::Active | Status::Paused
    ) {
        return Vec::new();
    }
    let Some(d) = &c.deadline else {
        return Vec::new();
    };
    let (Some(requested), Some(estimate)) = (d.requested, d.estimate_days) else {
        return Vec::new();
    };
    let left = days_between(input.today, requested);
    if left >= estimate {
        return Vec::new();
    }
    let when = match left {
        l if l < 0 => format!("passed {} days ago", -l),
        0 => "is today".to_string(),
        1 => "is 1 day away".to_string(),
        l => format!("is {l} days away"),
    };
    vec![Hit::new(
        "deadline.requested",
        d.requested_pos,
        format!("the requested deadline {requested} {when}, but the work needs {estimate} days"),
    )]
}

fn freebie_expectation(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let discounts = c.discount_requests.as_ref().map_or(0, |d| d.value);
    let trial = c.free_trial_requested.as_ref().is_some_and(|t| t.value);
    let total = discounts.saturating_add(i64::from(trial));
    let min = opts.int("min_requests");
    if total < min {
        return Vec::new();
    }
    let (field, pos) = match &c.discount_requests {
        Some(d) if d.value > 0 => ("discount_requests", d.pos),
        _ => ("free_trial_requested", c.key_pos("free_trial_requested")),
    };
    let trial_text = if trial { " and a free trial" } else { "" };
    vec![Hit::new(
        field,
        pos,
        format!(
            "{discounts} discount requests{trial_text}: {total} requests for lower prices or free work (threshold {min})"
        ),
    )]
}

fn aggressive_tone(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let min = opts.int("min_contacts");
    let hostile = c
        .contacts
        .iter()
        .filter(|ct| matches!(ct.tone, Some(Tone::Rude | Tone::Aggressive)))
        .filter(|ct| {
            ct.at
                .is_some_and(|at| in_last_days(at.date, input.today, 90))
        })
        .count() as i64;
    if hostile < min || hostile == 0 {
        return Vec::new();
    }
    vec![Hit::new(
        "contacts",
        c.key_pos("contacts"),
        format!("{hostile} rude or aggressive contacts in the last 90 days (threshold {min})"),
    )]
}
