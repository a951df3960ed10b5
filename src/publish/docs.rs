//! The documents the templates render: a note's summary, its letters and
//! its annotation block, built from its report and client record.

use super::Publisher;
use super::dashboard::{Chart, LetterLink, short_month};
use crate::engine::NoteReport;
use crate::model::Client;
use crate::render::relative_link;
use crate::verdict::Verdict;
use serde::Serialize;
use std::path::Path;

pub(super) use super::LetterKind;

#[derive(Debug, Clone, Serialize)]
pub(super) struct FindingDoc {
    pub(super) code: String,
    pub(super) name: String,
    /// The rule's name in the run's language.
    pub(super) label: String,
    pub(super) severity: &'static str,
    pub(super) message: String,
    pub(super) field: String,
    pub(super) line: u32,
    pub(super) advice: String,
}

impl FindingDoc {
    pub(super) fn new(
        f: &crate::engine::Finding,
        m: &crate::rules::RuleMeta,
        advice: &str,
    ) -> FindingDoc {
        FindingDoc {
            code: m.code.to_string(),
            name: m.name.to_string(),
            label: m.label.to_string(),
            severity: f.severity.as_str(),
            message: f.message.clone(),
            field: f.field.clone(),
            line: f.pos.line,
            advice: advice.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ContactDoc {
    pub(super) date: String,
    pub(super) time: Option<String>,
    pub(super) channel: Option<String>,
    pub(super) tone: Option<&'static str>,
    pub(super) after_hours: bool,
    pub(super) note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ObligationDoc {
    pub(super) what: String,
    pub(super) due: Option<String>,
    pub(super) done: bool,
}

#[derive(Serialize)]
pub(super) struct SummaryDoc {
    pub(super) client: String,
    pub(super) status: &'static str,
    pub(super) verdict: &'static str,
    pub(super) score: u32,
    pub(super) today: String,
    pub(super) since: Option<String>,
    pub(super) topic: Option<String>,
    pub(super) note_path: String,
    pub(super) note_link: String,
    pub(super) index_link: String,
    pub(super) findings: Vec<FindingDoc>,
    /// Each rule's advice once, in the order the rules first fired.
    pub(super) advice: Vec<FindingDoc>,
    pub(super) suppressed: Vec<String>,
    pub(super) contacts: Vec<ContactDoc>,
    pub(super) obligations: Vec<ObligationDoc>,
    pub(super) letters: Vec<LetterLink>,
    /// Properties: the codes of the findings, and wikilinks to the note
    /// and the letters.
    pub(super) codes: Vec<String>,
    pub(super) note_wiki: String,
    pub(super) letters_wiki: Vec<String>,
    /// Contacts per week over the last 12 weeks (bars), with the
    /// after-hours and the rude or aggressive ones as lines: the picture
    /// behind NV201 and NV204. None without contacts in that time.
    pub(super) contact_chart: Option<Chart>,
    /// Days late per invoice (until paid, or until today).
    pub(super) invoice_chart: Option<Chart>,
}

impl SummaryDoc {
    pub(super) fn new(
        p: &Publisher<'_>,
        report: &NoteReport,
        client: &Client,
        note_abs: &Path,
        summary_dir: &Path,
        letters: Vec<LetterLink>,
    ) -> SummaryDoc {
        let show_log = p.fired(report, |t| t.shows_contacts);
        let contacts = if show_log {
            client
                .contacts
                .iter()
                .map(|c| ContactDoc {
                    date: c
                        .at
                        .map_or_else(|| c.at_text.clone(), |m| m.date.to_string()),
                    time: c
                        .at
                        .and_then(|m| m.time)
                        .map(|t| format!("{:02}:{:02}", t.hour(), t.minute())),
                    channel: c.channel.clone(),
                    tone: c.tone.map(|t| t.as_str()),
                    after_hours: c.at.is_some_and(|m| p.config.practice.is_after_hours(&m)),
                    note: c.note.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let findings: Vec<FindingDoc> = report
            .findings
            .iter()
            .map(|f| {
                let m = &p.ruleset.rule(f.rule).meta;
                FindingDoc::new(f, m, &m.advice)
            })
            .collect();
        let mut advice: Vec<FindingDoc> = Vec::new();
        for f in &findings {
            if !advice.iter().any(|a| a.code == f.code) {
                advice.push(f.clone());
            }
        }
        let words = &p.config.catalog;
        let contact_chart = {
            use jiff::ToSpan;
            // Weeks start on Monday; the last is this week.
            let this_week = p
                .today
                .checked_sub((p.today.weekday().to_monday_zero_offset() as i64).days())
                .unwrap_or(p.today);
            let starts: Vec<jiff::civil::Date> = (0..12)
                .rev()
                .filter_map(|k| this_week.checked_sub((7 * k as i64).days()).ok())
                .collect();
            let week_of = |d: jiff::civil::Date| {
                starts
                    .iter()
                    .rposition(|s| *s <= d)
                    .filter(|_| d >= starts[0] && d <= p.today)
            };
            let (mut all, mut late, mut hostile) = (
                vec![0u64; starts.len()],
                vec![0u64; starts.len()],
                vec![0u64; starts.len()],
            );
            for c in &client.contacts {
                let Some(at) = c.at else { continue };
                let Some(w) = week_of(at.date) else { continue };
                all[w] += 1;
                if p.config.practice.is_after_hours(&at) {
                    late[w] += 1;
                }
                if matches!(
                    c.tone,
                    Some(crate::model::Tone::Rude | crate::model::Tone::Aggressive)
                ) {
                    hostile[w] += 1;
                }
            }
            all.iter().any(|n| *n > 0).then(|| {
                Chart::new(
                    starts
                        .iter()
                        .map(|d| format!("{} {}", d.day(), short_month(words, d.month())))
                        .collect(),
                    all,
                    vec![late, hostile],
                )
            })
        };
        let invoice_chart = {
            let late: Vec<(String, u64)> = client
                .invoices
                .iter()
                .enumerate()
                .filter_map(|(i, inv)| {
                    let due = inv.due?;
                    let until = match inv.paid {
                        crate::model::Payment::PaidOn(d) => d,
                        crate::model::Payment::PaidUndated => due,
                        crate::model::Payment::Unpaid => p.today,
                    };
                    let days = crate::dates::days_between(due, until).max(0) as u64;
                    Some((
                        inv.id.clone().unwrap_or_else(|| format!("#{}", i + 1)),
                        days,
                    ))
                })
                .collect();
            (!late.is_empty()).then(|| {
                let (labels, bars) = late.into_iter().unzip();
                Chart::new(labels, bars, Vec::new())
            })
        };
        SummaryDoc {
            contact_chart,
            invoice_chart,
            client: client.name.clone(),
            status: report.status.as_str(),
            verdict: report.verdict.as_str(),
            score: report.score,
            today: p.today.to_string(),
            since: client.since.as_ref().map(|s| s.value.to_string()),
            topic: client.topic.as_ref().map(|t| t.value.clone()),
            note_path: report.path.clone(),
            note_link: relative_link(summary_dir, note_abs),
            index_link: relative_link(summary_dir, &p.writer.root().join("index.md")),
            codes: {
                let mut codes: Vec<String> = findings.iter().map(|f| f.code.clone()).collect();
                codes.dedup();
                codes
            },
            note_wiki: p.link(&report.path),
            letters_wiki: Vec::new(),
            findings,
            advice,
            suppressed: report.suppressed.clone(),
            contacts,
            obligations: client
                .obligations
                .iter()
                .map(|o| ObligationDoc {
                    what: o.what.clone(),
                    due: o.due.map(|d| d.to_string()),
                    done: o.done,
                })
                .collect(),
            letters,
        }
    }
}

/// A contact as a letter may show it (`include_contact_log`): when and
/// how, never the tone or the user's remarks.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LetterContact {
    pub(super) date: String,
    pub(super) time: Option<String>,
    pub(super) channel: Option<String>,
}

/// An unpaid invoice, for the letter that ends an engagement.
#[derive(Debug, Clone, Serialize)]
pub(super) struct InvoiceDoc {
    pub(super) id: Option<String>,
    pub(super) amount: Option<String>,
    pub(super) due: Option<String>,
    /// Its due date has passed.
    pub(super) overdue: bool,
}

/// A run of working days (`mon` to `fri`).
#[derive(Debug, Clone, Serialize)]
pub(super) struct DayRun {
    pub(super) from: &'static str,
    pub(super) to: &'static str,
}

/// What a letter template sees. It holds nothing the user wrote for
/// themselves (tones, remarks, incidents, hardship, score, rule codes as
/// such) unless a `[letters]` key turns that part on.
#[derive(Serialize)]
pub(super) struct LetterDoc {
    pub(super) client: String,
    /// Whom the letter greets: `contact`, else the client's name; `None`
    /// for a third-party application with no `contact` (a plain greeting).
    pub(super) addressee: Option<String>,
    /// The addressee's first name when `contact` is given.
    pub(super) first_name: Option<String>,
    pub(super) verdict: &'static str,
    pub(super) sender: Option<String>,
    pub(super) explain_reason: bool,
    /// Reasons to give, each once: built-in rule codes, or "other".
    pub(super) reasons: Vec<String>,
    pub(super) resources: Vec<String>,
    pub(super) referrals: Vec<String>,
    pub(super) obligations: Vec<ObligationDoc>,
    pub(super) invoices: Vec<InvoiceDoc>,
    pub(super) contacts: Vec<LetterContact>,
    /// Someone else applied for the client: the letter goes to them and
    /// invites the client to get in touch themselves.
    pub(super) third_party: bool,
    pub(super) topic: Option<String>,
    pub(super) reason: Option<&'static str>,
    /// The work began more than a month ago (an expectations letter then
    /// puts in writing how it already runs).
    pub(super) established: bool,
    pub(super) working_hours: String,
    pub(super) working_days: Vec<DayRun>,
    pub(super) today: String,
}

impl LetterDoc {
    pub(super) fn new(
        p: &Publisher<'_>,
        report: &NoteReport,
        client: &Client,
        kind: LetterKind,
    ) -> LetterDoc {
        let letters = &p.config.letters;
        let fire = report.verdict == Verdict::Fire;
        let third_party =
            kind == LetterKind::Rejection && !fire && p.fired(report, |t| t.third_party);
        let mut reasons: Vec<String> = Vec::new();
        for f in &report.findings {
            let rule = p.ruleset.rule(f.rule);
            // A letter to whoever applied for the client gives one reason,
            // in its own words: the client should get in touch themselves.
            if f.weight == 0 || third_party {
                continue;
            }
            // Built-in rules have a sentence of their own; any other reason
            // is given once, in general words.
            let code = &rule.meta.code;
            let key = if matches!(rule.check, crate::rules::Check::Lua(_)) {
                "other".to_string()
            } else if code == "NV107" && f.field.starts_with("invoices") {
                // The reason is an unpaid invoice, not a haggled price.
                "NV107-unpaid".to_string()
            } else if code == "NV102" && f.field == "topic" {
                // Outside your services, not an unrealistic wish.
                "NV102-service".to_string()
            } else {
                code.to_string()
            };
            if !reasons.contains(&key) {
                reasons.push(key);
            }
        }
        let contact = client.contact.as_ref().map(|c| c.value.trim().to_string());
        let addressee = match (&contact, third_party) {
            (Some(c), _) if !c.is_empty() => Some(c.clone()),
            (_, true) => None,
            _ => Some(client.name.clone()),
        };
        let first_name = contact
            .as_deref()
            .and_then(|c| c.split_whitespace().next())
            .map(str::to_string);
        let currency = client
            .rate
            .as_ref()
            .and_then(|r| r.currency.clone())
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        // The contacts behind the decision, when the user opts in: date,
        // time and channel of the last 90 days.
        let contacts = if letters.include_contact_log
            && kind == LetterKind::Rejection
            && fire
            && p.fired(report, |t| t.shows_contacts)
        {
            let mut list: Vec<&crate::model::Contact> = client
                .contacts
                .iter()
                .filter(|c| {
                    c.at.is_some_and(|m| crate::dates::in_last_days(m.date, p.today, 90))
                })
                .collect();
            list.sort_by_key(|c| c.at.map(|m| (m.date, m.time)));
            list.into_iter()
                .filter_map(|c| {
                    let m = c.at?;
                    Some(LetterContact {
                        date: m.date.to_string(),
                        time: m.time.map(|t| format!("{:02}:{:02}", t.hour(), t.minute())),
                        channel: c.channel.clone(),
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        LetterDoc {
            client: client.name.clone(),
            addressee,
            first_name,
            verdict: report.verdict.as_str(),
            sender: letters.sender.clone(),
            explain_reason: letters.explain_reason,
            reasons,
            resources: letters.resources.clone(),
            referrals: letters.referrals.clone(),
            obligations: client
                .obligations
                .iter()
                .filter(|o| !o.done)
                .map(|o| ObligationDoc {
                    what: o.what.clone(),
                    due: o.due.map(|d| d.to_string()),
                    done: false,
                })
                .collect(),
            invoices: if fire {
                client
                    .invoices
                    .iter()
                    .filter(|i| i.paid == crate::model::Payment::Unpaid)
                    .map(|i| InvoiceDoc {
                        id: i.id.clone(),
                        amount: i
                            .amount
                            .map(|a| format!("{}{currency}", p.config.catalog.amount(a))),
                        due: i.due.map(|d| d.to_string()),
                        overdue: i.due.is_some_and(|d| d < p.today),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            contacts,
            third_party,
            topic: client.topic.as_ref().map(|t| t.value.clone()),
            established: client
                .since
                .as_ref()
                .is_some_and(|s| crate::dates::days_between(s.value, p.today) > 30),
            reason: client
                .lost
                .as_ref()
                .and_then(|l| l.reason)
                .map(|r| r.as_str()),
            working_hours: p.config.practice.hours_spoken(),
            working_days: p
                .config
                .practice
                .day_runs()
                .into_iter()
                .map(|(from, to)| DayRun { from, to })
                .collect(),
            today: p.today.to_string(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct AnnotationDoc {
    pub(super) verdict: &'static str,
    pub(super) score: u32,
    pub(super) today: String,
    pub(super) findings: Vec<FindingDoc>,
    pub(super) summary_link: String,
}
