//! Rules from "4 legitimate reasons to fire a toxic client": the patterns
//! that make an ongoing relationship unhealthy (NV201-NV204).

use super::{Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt};
use crate::dates::{days_between, in_last_days};
use crate::model::{Status, Tone};
use crate::msg;

const ORIGIN: &str = "origin-toxic";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV201",
            name: "excessive-contact",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["contacts"],
            example: "client: Example Ltd\ncontacts:\n  - {at: \"2026-11-20T22:15\", channel: phone, tone: neutral}\n  - {at: \"2026-11-21T10:00\", channel: message, tone: neutral}\n  - {at: \"2026-11-22T07:30\", channel: phone, tone: neutral}\n",
            origin: ORIGIN,
        }
        .rule(
            vec![
                opt("max_per_week", OptionValue::Int(10)),
                opt("max_after_hours", OptionValue::Int(3)),
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
            keys: &["status", "deadline"],
            example: "client: Example Ltd\nstatus: prospect\ndeadline: {requested: 2026-11-30, estimate_days: 21}\n",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(unrealistic_timeline)),
        Doc {
            code: "NV203",
            name: "freebie-expectation",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["discount_requests", "free_trial_requested"],
            example: "client: Example Ltd\ndiscount_requests: 1\nfree_trial_requested: true\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_requests", OptionValue::Int(2))],
            Check::Note(freebie_expectation),
        ),
        Doc {
            code: "NV204",
            name: "aggressive-tone",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["contacts"],
            example: "client: Example Ltd\ncontacts:\n  - {at: 2026-11-02, channel: phone, tone: rude}\n  - {at: 2026-11-18, channel: email, tone: aggressive}\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_contacts", OptionValue::Int(2))],
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
        parts.push(msg!("nv201-week", count = week, limit = max_week));
    }
    if late >= max_late {
        parts.push(msg!(
            "nv201-after-hours",
            count = late,
            hours = input.practice.hours_spoken(),
            days = input.practice.days_msg(),
            threshold = max_late
        ));
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Hit {
        field: "contacts".into(),
        pos: c.key_pos("contacts"),
        message: crate::i18n::Text::Msgs(parts),
    }]
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
    let message = if left < 0 {
        msg!(
            "nv202-deadline-passed",
            deadline = requested,
            days = -left,
            estimate = estimate
        )
    } else {
        msg!(
            "nv202-deadline",
            deadline = requested,
            left = if left == 0 { "today" } else { "later" },
            days = left,
            estimate = estimate
        )
    };
    vec![Hit::new("deadline.requested", d.requested_pos, message)]
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
    vec![Hit::new(
        field,
        pos,
        msg!(
            "nv203-freebies",
            discounts = discounts,
            trial = if trial { "yes" } else { "no" },
            total = total,
            threshold = min
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
        msg!("nv204-hostile", count = hostile, threshold = min),
    )]
}
