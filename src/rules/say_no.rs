//! Rules from "7 situations in which to say no to a client": the prospects
//! worth declining before any work starts (NV101-NV107).

use super::{Check, Doc, Hit, NoteInput, OptionValue, Options, Rule, Scope, Severity, Traits, opt};
use crate::dates::days_between;
use crate::i18n::Text;
use crate::model::Payment;
use crate::msg;
use crate::rules::fold;

const ORIGIN: &str = "origin-say-no";

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV101",
            name: "guarantee-demand",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["guarantee_requested", "requests"],
            example: "client: Example Ltd\nstatus: prospect\nrequests:\n  - \"guaranteed first page on Google\"\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt(
                "words",
                OptionValue::List(["guarantee", "garanti"].iter().map(|s| s.to_string()).collect()),
            )],
            Check::Note(guarantee_demand),
        ),
        Doc {
            code: "NV102",
            name: "unrealistic-outcome",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["requests", "topic"],
            example: "client: Example Ltd\nstatus: prospect\nrequests:\n  - \"double revenue overnight\"\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt(
                "patterns",
                OptionValue::List(
                    [
                        "overnight",
                        "million",
                        "get rich",
                        "go viral",
                        "instantly",
                        "do it for me",
                        "bir gecede",
                        "milyon",
                        "zengin ol",
                        "viral ol",
                        "benim yerime",
                    ]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
            )],
            Check::Note(unrealistic_outcome),
        ),
        Doc {
            code: "NV103",
            name: "repeat-help",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["prior_help", "topic"],
            example: "client: Example Ltd\nstatus: prospect\ntopic: pricing\nprior_help:\n  - {date: 2025-03-01, topic: pricing}\n",
            origin: ORIGIN,
        }
        .rule(Vec::new(), Check::Note(repeat_help)),
        Doc {
            code: "NV104",
            name: "third-party-applicant",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["applicant"],
            example: "client: Example Ltd\nstatus: prospect\napplicant: spouse\n",
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
            keys: &["incidents"],
            example: "client: Example Ltd\nincidents:\n  - {date: 2026-10-02, what: \"shouted at my assistant\"}\n",
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
            keys: &["extra_work"],
            example: "client: Example Ltd\nextra_work:\n  - {date: 2026-11-10, hours: 1.5, paid: false}\n  - {date: 2026-11-12, hours: 1, paid: false}\n",
            origin: ORIGIN,
        }
        .rule(
            vec![opt("min_hours", OptionValue::Float(2.0))],
            Check::Note(unpaid_extra_work),
        ),
        Doc {
            code: "NV107",
            name: "cannot-pay",
            severity: Severity::Warn,
            weight: None,
            scope: Scope::Note,
            keys: &["barter_offered", "rate", "invoices"],
            example: "client: Example Ltd\nstatus: prospect\nrate: {quoted: 100, requested: 60, currency: EUR}\n",
            origin: ORIGIN,
        }
        .rule(
            vec![
                opt("max_discount", OptionValue::Float(0.15)),
                opt("overdue_days", OptionValue::Int(30)),
            ],
            Check::Note(cannot_pay),
        ),
    ]
}

fn guarantee_demand(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    if let Some(g) = c.guarantee_requested.as_ref().filter(|g| g.value) {
        return vec![Hit::new("guarantee_requested", g.pos, msg!("nv101-flag"))];
    }
    let words: Vec<String> = opts
        .list("words")
        .iter()
        .map(|w| fold(w))
        .filter(|w| !w.is_empty())
        .collect();
    c.requests
        .iter()
        .enumerate()
        .find(|(_, r)| {
            let text = fold(&r.value);
            words.iter().any(|w| text.contains(w.as_str()))
        })
        .map(|(i, r)| {
            Hit::new(
                format!("requests[{i}]"),
                r.pos,
                msg!("nv101-request", request = &r.value),
            )
        })
        .into_iter()
        .collect()
}

fn unrealistic_outcome(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    // Matched folded, shown as written in the config.
    let patterns: Vec<(String, &str)> = opts
        .list("patterns")
        .iter()
        .map(|p| (fold(p), p.trim()))
        .filter(|(folded, _)| !folded.is_empty())
        .collect();
    for (i, r) in c.requests.iter().enumerate() {
        let text = fold(&r.value);
        if let Some((_, shown)) = patterns
            .iter()
            .find(|(folded, _)| text.contains(folded.as_str()))
        {
            return vec![Hit::new(
                format!("requests[{i}]"),
                r.pos,
                msg!("nv102-request", request = &r.value, pattern = *shown),
            )];
        }
    }
    let services = &input.practice.services;
    if let Some(topic) = &c.topic {
        let t = fold(&topic.value);
        if !services.is_empty() && !t.is_empty() && !services.iter().any(|s| fold(s) == t) {
            return vec![Hit::new(
                "topic",
                topic.pos,
                msg!(
                    "nv102-service",
                    topic = &topic.value,
                    services = services.join(", ")
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
        .find(|(_, h)| h.topic.as_deref().is_some_and(|ht| fold(ht) == fold(t)))
        .map(|(i, h)| {
            let message = match h.date {
                Some(d) => msg!("nv103-repeat-on", topic = t, date = d),
                None => msg!("nv103-repeat", topic = t),
            };
            Hit::new(format!("prior_help[{i}]"), h.pos, message)
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
                msg!("nv104-third-party", applicant = a.value.trim()),
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
    let what: crate::i18n::Arg = match first.what.as_deref() {
        Some(w) => w.into(),
        None => msg!("nv105-an-incident").into(),
    };
    let mut message = msg!(
        "nv105-incident",
        what = what,
        dated = if first.date.is_some() { "yes" } else { "no" },
        more = incidents.len() - 1
    );
    if let Some(d) = first.date {
        message = message.arg("date", d);
    }
    vec![Hit::new("incidents[0]", first.pos, message)]
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
        msg!("nv106-unpaid", hours = unpaid, threshold = min),
    )]
}

fn cannot_pay(input: &NoteInput<'_>, opts: &Options) -> Vec<Hit> {
    let c = input.client;
    let mut reasons: Vec<Hit> = Vec::new();
    if let Some(b) = c.barter_offered.as_ref().filter(|b| b.value) {
        reasons.push(Hit::new("barter_offered", b.pos, msg!("nv107-barter")));
    }
    if let Some(rate) = &c.rate
        && let (Some(q), Some(r)) = (rate.quoted, rate.requested)
    {
        let max = opts.float("max_discount");
        if r < q * (1.0 - max) {
            // One decimal: a whole-number rounding could read "15% less;
            // at most 15% is fine" for 15.4%.
            let pct = if q > 0.0 {
                ((q - r) / q * 1000.0).round() / 10.0
            } else {
                0.0
            };
            let currency = rate.currency.clone();
            reasons.push(Hit::new(
                "rate.requested",
                rate.requested_pos,
                msg!(
                    "nv107-discount",
                    requested = crate::i18n::Arg::Money(r, currency.clone()),
                    quoted = crate::i18n::Arg::Money(q, currency),
                    percent = pct,
                    allowed = (max * 1000.0).round() / 10.0
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
            let message = msg!(
                "nv107-invoice",
                named = if inv.id.is_some() { "yes" } else { "no" },
                id = inv.id.as_deref().unwrap_or(""),
                days = late,
                due = due,
                limit = overdue
            );
            reasons.push(Hit::new(format!("invoices[{i}]"), inv.pos, message));
            break;
        }
    }
    let Some(first) = reasons.first().cloned() else {
        return Vec::new();
    };
    // One finding for all of it, its parts joined.
    let message = Text::Msgs(
        reasons
            .into_iter()
            .flat_map(|r| match r.message {
                Text::Msgs(m) => m,
                Text::Plain(_) => Vec::new(),
            })
            .collect(),
    );
    vec![Hit { message, ..first }]
}
