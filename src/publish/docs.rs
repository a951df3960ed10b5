//! The documents the templates render: a note's summary, its letters and
//! its annotation block, built from its report and client record.

use super::Publisher;
use super::dashboard::LetterLink;
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
    pub(super) suppressed: Vec<String>,
    pub(super) contacts: Vec<ContactDoc>,
    pub(super) obligations: Vec<ObligationDoc>,
    pub(super) letters: Vec<LetterLink>,
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
        SummaryDoc {
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
            findings: report
                .findings
                .iter()
                .map(|f| {
                    let m = &p.ruleset.rule(f.rule).meta;
                    FindingDoc::new(f, m, &m.advice)
                })
                .collect(),
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

#[derive(Serialize)]
pub(super) struct LetterDoc {
    pub(super) client: String,
    pub(super) verdict: &'static str,
    pub(super) sender: Option<String>,
    pub(super) explain_reason: bool,
    pub(super) reasons: Vec<String>,
    pub(super) resources: Vec<String>,
    pub(super) referrals: Vec<String>,
    pub(super) obligations: Vec<ObligationDoc>,
    pub(super) contacts: Vec<ContactDoc>,
    pub(super) third_party: bool,
    pub(super) applicant: Option<String>,
    pub(super) topic: Option<String>,
    pub(super) reason: Option<&'static str>,
    pub(super) working_hours: String,
    pub(super) working_days: Vec<&'static str>,
    pub(super) today: String,
}

impl LetterDoc {
    pub(super) fn new(
        p: &Publisher<'_>,
        report: &NoteReport,
        client: &Client,
        kind: LetterKind,
        contacts: Vec<ContactDoc>,
    ) -> LetterDoc {
        let letters = &p.config.letters;
        let mut reasons: Vec<String> = Vec::new();
        for f in &report.findings {
            let code = p.ruleset.rule(f.rule).meta.code.to_string();
            if f.weight > 0 && !reasons.contains(&code) {
                reasons.push(code);
            }
        }
        let fire = report.verdict == Verdict::Fire;
        LetterDoc {
            client: client.name.clone(),
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
            // The evidence log goes with a notice to a client who was rude.
            contacts: if kind == LetterKind::Rejection
                && fire
                && p.fired(report, |t| t.contact_evidence)
            {
                contacts
            } else {
                Vec::new()
            },
            third_party: p.fired(report, |t| t.third_party) && !fire,
            applicant: client.applicant.as_ref().map(|a| a.value.clone()),
            topic: client.topic.as_ref().map(|t| t.value.clone()),
            reason: client
                .lost
                .as_ref()
                .and_then(|l| l.reason)
                .map(|r| r.as_str()),
            working_hours: p.config.practice.hours_text(),
            working_days: p.config.practice.day_names(),
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
