//! The dashboard (`index.md`): one row per client note, kept in memory per
//! note so that `watch` can redo the dashboard after a change without
//! re-reading any other note.

use crate::engine::{Kept, Tally};
use crate::frontmatter::Pos;
use crate::rules::Ruleset;
use serde::Serialize;

/// One dashboard row, kept per note until the dashboard is written.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Row {
    pub(super) client: String,
    pub(super) path: String,
    pub(super) status: &'static str,
    pub(super) verdict: &'static str,
    #[serde(skip)]
    pub(super) urgency: u8,
    pub(super) score: u32,
    pub(super) top: Vec<CodeName>,
    pub(super) summary_link: String,
    /// From the dashboard to the client note.
    #[serde(skip)]
    pub(super) note_link: String,
    pub(super) letters: Vec<LetterLink>,
    #[serde(skip)]
    pub(super) lost_reason: Option<&'static str>,
    /// First contact, for the chart of new prospects per month.
    pub(super) since: Option<String>,
}

/// A bar chart for Mermaid's `xychart-beta`: a label per bar, the bars,
/// and lines over them (a threshold, a second count).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Chart {
    pub(super) labels: Vec<String>,
    pub(super) bars: Vec<u64>,
    pub(super) lines: Vec<Vec<u64>>,
    /// The top of the y axis: a little above the largest value.
    pub(super) max: u64,
}

impl Chart {
    pub(super) fn new(labels: Vec<String>, bars: Vec<u64>, lines: Vec<Vec<u64>>) -> Chart {
        let top = bars
            .iter()
            .chain(lines.iter().flatten())
            .copied()
            .max()
            .unwrap_or(0);
        Chart {
            labels,
            bars,
            lines,
            max: top + 1,
        }
    }
}

/// The short name of a month in the language: its first three letters
/// (`Nov`, `Kas`), as both languages abbreviate.
pub(super) fn short_month(words: &crate::i18n::Catalog, month: i8) -> String {
    words
        .get(&format!("month-{}", month.clamp(1, 12)))
        .chars()
        .take(3)
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct CodeName {
    pub(super) code: String,
    pub(super) name: String,
    /// The rule's name in the run's language.
    pub(super) label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct LetterLink {
    pub(super) kind: &'static str,
    /// The message id of its name (`letter-termination`, ...).
    pub(super) name: &'static str,
    pub(super) link: String,
}

#[derive(Serialize)]
pub(super) struct CountDoc {
    pub(super) verdict: &'static str,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct LostGroup {
    pub(super) reason: &'static str,
    pub(super) clients: Vec<LostClient>,
}

#[derive(Serialize)]
pub(super) struct LostClient {
    pub(super) client: String,
    pub(super) summary_link: String,
}

#[derive(Serialize)]
pub(super) struct WaitingLetter {
    pub(super) client: String,
    pub(super) kind: &'static str,
    pub(super) link: String,
    /// The client note, where the date it was sent is recorded.
    pub(super) note_link: String,
    /// The message id of its name.
    pub(super) name: &'static str,
    /// The note's key that records the date it was sent, and the mapping
    /// it sits in (`feedback_requested` in `lost`).
    pub(super) sent_key: &'static str,
    pub(super) sent_parent: Option<&'static str>,
}

#[derive(Serialize)]
pub(super) struct ErrorDoc {
    pub(super) path: String,
    pub(super) line: Option<u32>,
    pub(super) message: String,
}

#[derive(Serialize)]
pub(super) struct FolderDoc {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) label: String,
    pub(super) severity: &'static str,
    pub(super) message: String,
}

#[derive(Serialize)]
pub(super) struct IndexDoc<'r> {
    pub(super) today: String,
    pub(super) total: usize,
    pub(super) skipped: usize,
    pub(super) counts: Vec<CountDoc>,
    pub(super) notes: &'r [Row],
    pub(super) folder: Vec<FolderDoc>,
    pub(super) lost: Vec<LostGroup>,
    pub(super) letters: Vec<WaitingLetter>,
    pub(super) kept: &'r [Kept],
    pub(super) errors: Vec<ErrorDoc>,
    /// New prospects per month over the last 12 months, with NV403's
    /// threshold as a line; none when there were none.
    pub(super) prospects: Option<Chart>,
}

impl<'r> IndexDoc<'r> {
    pub(super) fn new(
        rows: &'r [Row],
        tally: &Tally,
        kept: &'r [Kept],
        ruleset: &Ruleset,
    ) -> IndexDoc<'r> {
        let mut lost: Vec<LostGroup> = Vec::new();
        for reason in [
            "dissatisfied",
            "product-returned",
            "needs-changed",
            "budget",
            "other",
            "unknown",
        ] {
            let clients: Vec<LostClient> = rows
                .iter()
                .filter(|r| r.lost_reason == Some(reason))
                .map(|r| LostClient {
                    client: r.client.clone(),
                    summary_link: r.summary_link.clone(),
                })
                .collect();
            if !clients.is_empty() {
                lost.push(LostGroup { reason, clients });
            }
        }
        // New prospects per month, the last 12 months (this one included).
        let prospects = {
            let words = &ruleset.catalog;
            let today = tally.today;
            let months: Vec<(i16, i8)> = (0..12)
                .rev()
                .map(|back| {
                    let total = i32::from(today.year()) * 12 + i32::from(today.month()) - 1 - back;
                    ((total / 12) as i16, (total % 12 + 1) as i8)
                })
                .collect();
            let bars: Vec<u64> = months
                .iter()
                .map(|(y, m)| {
                    rows.iter()
                        .filter(|r| r.status == "prospect")
                        .filter_map(|r| r.since.as_deref().and_then(crate::dates::parse_date))
                        .filter(|d| d.year() == *y && d.month() == *m)
                        .count() as u64
                })
                .collect();
            // NV403 wants `min_new` new prospects in 30 days: about a month.
            let threshold = ruleset
                .iter()
                .find(|(_, r, e)| {
                    r.meta.code == "NV403" && e.severity != crate::rules::Severity::Off
                })
                .map(|(_, _, e)| e.options.int("min_new").max(0) as u64);
            (bars.iter().any(|b| *b > 0)).then(|| {
                Chart::new(
                    months.iter().map(|(_, m)| short_month(words, *m)).collect(),
                    bars,
                    threshold.map(|t| vec![t; 12]).into_iter().collect(),
                )
            })
        };
        IndexDoc {
            prospects,
            today: tally.today.to_string(),
            total: tally.notes,
            skipped: tally.skipped,
            counts: tally
                .verdict_counts()
                .into_iter()
                .map(|(v, count)| CountDoc {
                    verdict: v.as_str(),
                    count,
                })
                .collect(),
            notes: rows,
            folder: tally
                .folder
                .iter()
                .map(|f| {
                    let m = &ruleset.rule(f.rule).meta;
                    FolderDoc {
                        code: m.code.to_string(),
                        name: m.name.to_string(),
                        label: m.label.to_string(),
                        severity: f.severity.as_str(),
                        message: f.message.clone(),
                    }
                })
                .collect(),
            lost,
            letters: rows
                .iter()
                .flat_map(|r| {
                    r.letters.iter().map(|l| WaitingLetter {
                        client: r.client.clone(),
                        kind: l.kind,
                        link: l.link.clone(),
                        note_link: r.note_link.clone(),
                        name: l.name,
                        sent_key: match l.kind {
                            "rejection" => "rejection_sent",
                            "feedback" => "feedback_requested",
                            _ => "expectations_set",
                        },
                        sent_parent: (l.kind == "feedback").then_some("lost"),
                    })
                })
                .collect(),
            kept,
            errors: tally
                .errors
                .iter()
                .map(|e| ErrorDoc {
                    path: e.path.clone(),
                    line: e.pos.map(|p: Pos| p.line),
                    message: e.message.clone(),
                })
                .collect(),
        }
    }
}
