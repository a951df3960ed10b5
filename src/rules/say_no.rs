//! Rules from "7 situations in which to say no to a client": the prospects
//! worth declining before any work starts (NV101-NV107).

use super::{Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt};
use crate::dates::days_between;
use crate::model::Payment;

const ORIGIN: &str = "7 situations in which to say no to a client";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV101",
            name: "guarantee-demand",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client demands a guaranteed result",
            explanation: "\
Fires when `guarantee_requested` is true, or when one of the `requests` \
contains the word \"guarantee\" (in any case).

Why: no consultant can honestly promise a result to the full hundred \
percent, because the outcome also depends on the client's own work and on \
things nobody controls. A client who insists on a guarantee is handing you \
the whole responsibility for their success; when it does not come, the \
blame will too.",
            keys: &["guarantee_requested", "requests"],
            example: "client: Example Ltd\nstatus: prospect\nrequests:\n  - \"guaranteed first page on Google\"\n",
            advice: "Explain what you can commit to (effort, method, milestones) and what you cannot; if they still want a guarantee, decline kindly.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(guarantee_demand)),
        Doc {
            code: "NV102",
            name: "unrealistic-outcome",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client wants a miracle, or something outside your services",
            explanation: "\
Fires when a `requests` entry contains one of the `patterns` (any case), or \
when `[practice] services` is set in the config and the note's `topic` is \
not one of those services (any case).

Why: some requests are outside anyone's abilities (a \"magic\" plan that \
makes a million by next month), some ask you to do the client's own part of \
the work for them, and some are simply outside your skills or values. \
Taking them on sets both sides up for disappointment.",
            keys: &["requests", "topic"],
            example: "client: Example Ltd\nstatus: prospect\nrequests:\n  - \"double revenue overnight\"\n",
            advice: "Restate what is realistic and within your services; refer the client elsewhere for what is not.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt(
                "patterns",
                OptionValue::List(
                    ["overnight", "million", "get rich", "go viral", "instantly", "do it for me"]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
                "phrases in a request that signal an unrealistic outcome (matched in any case)",
            )],
            Check::Note(unrealistic_outcome),
        ),
        Doc {
            code: "NV103",
            name: "repeat-help",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "You have already helped this client on the same topic",
            explanation: "\
Fires when an entry of `prior_help` has the same `topic` as the note's \
`topic` (any case).

Why: good help makes the client able to go on without you. Helping the same \
person again and again on the same question ties them to you instead of \
making them independent, and usually means the earlier help did not land.",
            keys: &["prior_help", "topic"],
            example: "client: Example Ltd\nstatus: prospect\ntopic: pricing\nprior_help:\n  - {date: 2025-03-01, topic: pricing}\n",
            advice: "Ask what stopped the earlier advice from working; offer a follow-up resource rather than the same engagement again.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(repeat_help)),
        Doc {
            code: "NV104",
            name: "third-party-applicant",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "Someone else applied on the client's behalf",
            explanation: "\
Fires when `applicant` is set and is not `self` (for example `spouse`, \
`parent`, `friend`, `assistant`).

Why: the work only succeeds with a client who wants it. When a spouse, a \
parent or a friend brings someone in, the person who has to do the work may \
not have chosen it. Work with people who come on their own initiative.",
            keys: &["applicant"],
            example: "client: Example Ltd\nstatus: prospect\napplicant: spouse\n",
            advice: "Invite the client to get in touch themselves when they are ready; do not start through an intermediary.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(third_party_applicant))
        .with_traits(Traits {
            third_party: true,
            ..Traits::NONE
        }),
        Doc {
            code: "NV105",
            name: "boundary-violation",
            severity: Severity::Error,
            weight: None,
            scope: Scope::Note,
            summary: "The client crossed ethical or personal boundaries",
            explanation: "\
Fires when `incidents` has at least one entry.

Why: a client who ignores ethics, your personal space or your rights drains \
you, and it tends to grow: flattery turns into endless complaints, and \
complaints into threats of public revenge. One recorded incident is enough \
to act on. This is also the one finding that a client's hardship does not \
soften (see the verdict rules).",
            keys: &["incidents"],
            example: "client: Example Ltd\nincidents:\n  - {date: 2026-10-02, what: \"shouted at my assistant\"}\n",
            advice: "Keep a dated record of every incident; state your boundary once, in writing, and end the engagement if it is crossed again.",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(boundary_violation))
        .with_traits(Traits {
            boundary_violation: true,
            ..Traits::NONE
        }),
        Doc {
            code: "NV106",
            name: "unpaid-extra-work",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "Unpaid work beyond the agreed scope has piled up",
            explanation: "\
Fires when the `hours` of the `extra_work` entries that are not paid add up \
to at least `min_hours`. An entry without `paid` counts as unpaid.

Why: a client who keeps taking your evenings and \"quick favours\" is taking \
your private time. Every piece of work beyond the agreement is work, and it \
should be paid.",
            keys: &["extra_work"],
            example: "client: Example Ltd\nextra_work:\n  - {date: 2026-11-10, hours: 1.5, paid: false}\n  - {date: 2026-11-12, hours: 1, paid: false}\n",
            advice: "Quote the extra work before doing it, and invoice what is already done.",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_hours", OptionValue::Float(2.0), "unpaid extra hours that fire the rule")],
            Check::Note(unpaid_extra_work),
        ),
        Doc {
            code: "NV107",
            name: "cannot-pay",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            summary: "The client cannot or will not pay your rate",
            explanation: "\
Fires when `barter_offered` is true; or when `rate.requested` is below \
`rate.quoted` × (1 − `max_discount`); or when an invoice is still unpaid \
more than `overdue_days` after its `due` date.

Why: bargaining hard, offering a swap instead of money, or leaning on guilt \
(\"you would not leave me like this\") all say the same thing: the client \
cannot or will not pay for the work. Starting anyway builds resentment on \
both sides.",
            keys: &["barter_offered", "rate", "invoices"],
            example: "client: Example Ltd\nstatus: prospect\nrate: {quoted: 100, requested: 60, currency: EUR}\n",
            advice: "Hold your rate; offer a smaller scope for a smaller budget, or ask for payment up front.",
            origin: ORIGIN,
        }
        .rule(
            vec![
                opt("max_discount", OptionValue::Float(0.15), "largest discount (a fraction of the quote) that is still fine"),
                opt("overdue_days", OptionValue::Int(30), "days after the due date an unpaid invoice may stay open"),
            ],
            Check::Note(cannot_pay),
        ),
    ]
}

fn guarantee_demand(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    if let Some(g) = c.guarantee_requested.as_ref().filter(|g| g.value) {
        return vec![Hit::new(
            "guarantee_requested",
            g.pos,
            "the client demands a guaranteed result",
        )];
    }
    c.requests
        .iter()
        .enumerate()
        .find(|(_, r)| r.value.to_lowercase().contains("guarantee"))
        .map(|(i, r)| {
            Hit::new(
                format!("requests[{i}]"),
                r.pos,
                format!("request {:?} asks for a guarantee", r.value),
            )
        })
        .into_iter()
        .collect()
}

fn unrealistic_outcome(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let patterns: Vec<String> = opts
        .list("patterns")
        .iter()
        .map(|p| p.to_lowercase())
        .collect();
    for (i, r) in c.requests.iter().enumerate() {
        let lower = r.value.to_lowercase();
        if let Some(p) = patterns
            .iter()
            .find(|p| !p.is_empty() && lower.contains(p.as_str()))
        {
            return vec![Hit::new(
                format!("requests[{i}]"),
                r.pos,
                format!(
                    "request {:?} expects an unrealistic outcome (\"{p}\")",
                    r.value
                ),
            )];
        }
    }
    let services = &input.practice.services;
    if let Some(topic) = &c.topic {
        let t = topic.value.trim().to_lowercase();
        if !services.is_empty() && !t.is_empty() && !services.contains(&t) {
            return vec![Hit::new(
                "topic",
                topic.pos,
                format!(
                    "topic {:?} is not one of your services ({})",
                    topic.value,
                    services.join(", ")
                ),
            )];
        }
    }
    Vec::new()
}

fn repeat_help(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let c = input.client;
    let Some(topic) = &c.topic else {
        return Vec::new();
    };
    let t = topic.value.trim();
    if t.is_empty() {
        return Vec::new();
    }
    c.prior_help
        .iter()
        .enumerate()
        .find(|(_, h)| {
            h.topic
                .as_deref()
                .is_some_and(|ht| ht.trim().to_lowercase() == t.to_lowercase())
        })
        .map(|(i, h)| {
            let when = h.date.map(|d| format!(" on {d}")).unwrap_or_default();
            Hit::new(
                format!("prior_help[{i}]"),
                h.pos,
                format!("you already helped this client with {t:?}{when}"),
            )
        })
        .into_iter()
        .collect()
}

fn third_party_applicant(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    match &input.client.applicant {
        Some(a) if !a.value.trim().is_empty() && !a.value.trim().eq_ignore_ascii_case("self") => {
            vec![Hit::new(
                "applicant",
                a.pos,
                format!("applied through a third party ({})", a.value.trim()),
            )]
        }
        _ => Vec::new(),
    }
}

fn boundary_violation(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    let incidents = &input.client.incidents;
    let Some(first) = incidents.first() else {
        return Vec::new();
    };
    let what = first.what.as_deref().unwrap_or("an incident");
    let when = first.date.map(|d| format!(" on {d}")).unwrap_or_default();
    let more = match incidents.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    vec![Hit::new(
        "incidents[0]",
        first.pos,
        format!("boundary violation recorded: {what:?}{when}{more}"),
    )]
}

fn unpaid_extra_work(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let min = opts.float("min_hours");
    let unpaid: f64 = c
        .extra_work
        .iter()
        .filter(|w| w.paid != Some(true))
        .filter_map(|w| w.hours)
        .sum();
    if c.extra_work.is_empty() || unpaid < min {
        return Vec::new();
    }
    vec![Hit::new(
        "extra_work",
        c.key_pos("extra_work"),
        format!(
            "{} hours of extra work are unpaid (threshold {})",
            fmt_num(unpaid),
            fmt_num(min)
        ),
    )]
}

fn cannot_pay(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let mut reasons: Vec<Hit> = Vec::new();
    if let Some(b) = c.barter_offered.as_ref().filter(|b| b.value) {
        reasons.push(Hit::new(
            "barter_offered",
            b.pos,
            "offered barter instead of payment",
        ));
    }
    if let Some(rate) = &c.rate
        && let (Some(q), Some(r)) = (rate.quoted, rate.requested)
    {
        let max = opts.float("max_discount");
        if r < q * (1.0 - max) {
            let pct = if q > 0.0 {
                ((q - r) / q * 100.0).round()
            } else {
                0.0
            };
            reasons.push(Hit::new(
                "rate.requested",
                rate.requested_pos,
                format!(
                    "asked to pay {} instead of {} ({pct}% less; at most {}% is fine)",
                    fmt_num(r),
                    fmt_num(q),
                    fmt_num((max * 100.0).round())
                ),
            ));
        }
    }
    let overdue = opts.int("overdue_days");
    for (i, inv) in c.invoices.iter().enumerate() {
        if inv.paid != Payment::Unpaid {
            continue;
        }
        let Some(due) = inv.due else { continue };
        let late = days_between(due, input.today);
        if late > overdue {
            let id = inv
                .id
                .as_deref()
                .map(|s| format!(" {s:?}"))
                .unwrap_or_default();
            reasons.push(Hit::new(
                format!("invoices[{i}]"),
                inv.pos,
                format!(
                    "invoice{id} is unpaid {late} days after its due date {due} (limit {overdue})"
                ),
            ));
            break;
        }
    }
    let Some(first) = reasons.first().cloned() else {
        return Vec::new();
    };
    let message = reasons
        .iter()
        .map(|r| r.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    vec![Hit { message, ..first }]
}

/// A number without a needless `.0`.
pub(crate) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
