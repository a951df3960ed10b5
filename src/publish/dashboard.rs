//! The dashboard (`index.md`): one compact row per client note, kept in
//! memory so that `watch` can redo the dashboard after a change without
//! re-reading any other note.
//!
//! A folder of 100,000 notes keeps 100,000 rows, so a row holds only what
//! the dashboard shows that cannot be worked out again: its links, rule
//! names and letter names are derived when the dashboard is written. The
//! table of clients and the list of letters waiting to be sent are rendered
//! a few hundred rows at a time (`index-clients.md`, `index-letters.md`)
//! and streamed to the file; `index.md` holds the rest and marks where they
//! go with `{{ client_rows() }}` and `{{ waiting_letters() }}`.

use super::{LetterKind, letter_name};
use crate::engine::{Kept, Tally};
use crate::frontmatter::Pos;
use crate::model::{LostReason, Status};
use crate::render::{link_below, relative_link};
use crate::rules::Ruleset;
use crate::verdict::Verdict;
use jiff::civil::Date;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::path::{Path, PathBuf};

/// No rule in this slot of [`Row::top`].
const NO_RULE: u16 = u16::MAX;

/// One dashboard row, kept per note (by its path) until the dashboard is
/// written.
#[derive(Debug, Clone, PartialEq, Hash)]
pub(super) struct Row {
    pub(super) client: Box<str>,
    pub(super) status: Status,
    pub(super) verdict: Verdict,
    pub(super) score: u32,
    /// The rules of its first three distinct findings that count, by
    /// index in the ruleset ([`NO_RULE`] for none).
    pub(super) top: [u16; 3],
    /// The letters due, one bit per [`LetterKind`] in [`LETTER_KINDS`]
    /// order (their files follow from the note's path).
    pub(super) letters: u8,
    /// Why a lost client left (`Unknown` when the note does not say).
    pub(super) lost_reason: Option<LostReason>,
    /// First contact, for the chart of new prospects per month.
    pub(super) since: Option<Date>,
}

/// The letters in the order a row lists them.
pub(super) const LETTER_KINDS: [LetterKind; 3] = [
    LetterKind::Rejection,
    LetterKind::Feedback,
    LetterKind::Expectations,
];

impl Row {
    /// The rules in the top slots.
    pub(super) fn top_rules(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.top
            .iter()
            .take_while(|r| **r != NO_RULE)
            .map(|r| usize::from(*r))
    }

    /// Fills the first free top slot with `rule`, unless it is there.
    pub(super) fn add_top(&mut self, rule: usize) {
        let Ok(r) = u16::try_from(rule) else { return };
        if r == NO_RULE || self.top.contains(&r) {
            return;
        }
        if let Some(slot) = self.top.iter_mut().find(|s| **s == NO_RULE) {
            *slot = r;
        }
    }

    pub(super) fn no_top() -> [u16; 3] {
        [NO_RULE; 3]
    }

    /// The letters due.
    pub(super) fn due(&self) -> impl Iterator<Item = LetterKind> + Clone + '_ {
        LETTER_KINDS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.letters & (1 << i) != 0)
            .map(|(_, k)| *k)
    }

    pub(super) fn letter_bit(kind: LetterKind) -> u8 {
        LETTER_KINDS
            .iter()
            .position(|k| *k == kind)
            .map_or(0, |i| 1 << i)
    }
}

/// What turns a row's path into the dashboard's links (relative to the
/// output folder, where `index.md` is), and its rules into their names.
pub(super) struct Links<'a> {
    /// The output folder's path below the notes folder, by component
    /// (`clients`, `_vetted`); `None` when it lies elsewhere.
    root_in_notes: Option<Vec<String>>,
    root: PathBuf,
    notes_dir: PathBuf,
    pub(super) ruleset: &'a Ruleset,
}

impl<'a> Links<'a> {
    pub(super) fn new(root: &Path, notes_dir: &Path, ruleset: &'a Ruleset) -> Links<'a> {
        Links {
            root_in_notes: root.strip_prefix(notes_dir).ok().map(|r| {
                r.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            }),
            root: root.to_path_buf(),
            notes_dir: notes_dir.to_path_buf(),
            ruleset,
        }
    }

    fn summary(&self, path: &str) -> String {
        let stem = crate::scan::note_stem(path);
        link_below(&format!("summaries/{stem}.md"))
    }

    fn letter(&self, path: &str, kind: LetterKind) -> String {
        let stem = crate::scan::note_stem(path);
        link_below(&format!("letters/{stem}-{}.md", kind.as_str()))
    }

    /// The link to the note at `path`: what [`relative_link`] gives from
    /// the output folder, made without its path arithmetic when the output
    /// folder is inside the notes folder (as it is unless configured
    /// elsewhere).
    fn note(&self, path: &str) -> String {
        match &self.root_in_notes {
            Some(up) => link_up(up, path),
            None => relative_link(&self.root, &self.notes_dir.join(path)),
        }
    }
}

/// The link to `path` (below the notes folder) from the folder `up` below
/// it (by component).
fn link_up(up: &[String], path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let common = up
        .iter()
        .zip(&parts)
        .take_while(|(a, b)| a.as_str() == **b)
        .count();
    let mut out = vec![".."; up.len() - common].join("/");
    let below = link_below(&parts[common..].join("/"));
    if !out.is_empty() && !below.is_empty() {
        out.push('/');
    }
    out.push_str(&below);
    out
}

#[cfg(test)]
mod tests {
    /// The quick link to a note is what `relative_link` gives.
    #[test]
    fn a_note_link_is_the_relative_link() {
        let notes = std::path::Path::new("/v/notes");
        for root in ["_vetted", "clients/_vetted", "a b/out/x"] {
            let up: Vec<String> = root.split('/').map(String::from).collect();
            for path in [
                "a.md",
                "clients/a.md",
                "clients/_vetted2/b c.md",
                "a b/out/z.md",
                "a b/q.md",
            ] {
                assert_eq!(
                    super::link_up(&up, path),
                    super::relative_link(&notes.join(root), &notes.join(path)),
                    "{root} -> {path}"
                );
            }
        }
    }
}

/// A row as templates see it (`index-clients.md`'s `notes`).
pub(super) struct RowView<'a> {
    pub(super) path: &'a str,
    pub(super) row: &'a Row,
    pub(super) links: &'a Links<'a>,
}

impl Serialize for RowView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Self { path, row, links } = self;
        let mut st = s.serialize_struct("Row", 9)?;
        st.serialize_field("client", &*row.client)?;
        st.serialize_field("path", path)?;
        st.serialize_field("status", row.status.as_str())?;
        st.serialize_field("verdict", row.verdict.as_str())?;
        st.serialize_field("score", &row.score)?;
        st.serialize_field(
            "top",
            &Seq(row.top_rules().map(|r| {
                let m = &links.ruleset.rule(r).meta;
                CodeName {
                    code: &m.code,
                    name: &m.name,
                    label: &m.label,
                }
            })),
        )?;
        st.serialize_field("summary_link", &links.summary(path))?;
        st.serialize_field(
            "letters",
            &Seq(row.due().map(|k| LetterLink {
                kind: k.as_str(),
                name: letter_name(k, row.verdict),
                link: links.letter(path, k),
            })),
        )?;
        st.serialize_field("since", &row.since.map(|d| d.to_string()))?;
        st.end()
    }
}

/// A letter waiting to be sent, as templates see it
/// (`index-letters.md`'s `letters`).
pub(super) fn waiting<'a>(
    path: &'a str,
    row: &'a Row,
    links: &'a Links<'a>,
) -> impl Iterator<Item = WaitingLetter<'a>> + 'a {
    row.due().map(move |kind| WaitingLetter {
        client: &row.client,
        kind: kind.as_str(),
        link: links.letter(path, kind),
        note_link: links.note(path),
        name: letter_name(kind, row.verdict),
        sent_key: match kind {
            LetterKind::Rejection => "rejection_sent",
            LetterKind::Feedback => "feedback_requested",
            LetterKind::Expectations => "expectations_set",
        },
        sent_parent: (kind == LetterKind::Feedback).then_some("lost"),
    })
}

/// Serializes an iterator as a sequence, once, without collecting it.
pub(super) struct Seq<I>(pub(super) I);

impl<I> Serialize for Seq<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.0.clone() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
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
pub(super) struct CodeName<'a> {
    pub(super) code: &'a str,
    pub(super) name: &'a str,
    /// The rule's name in the run's language.
    pub(super) label: &'a str,
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
pub(super) struct LostGroup<'a> {
    pub(super) reason: &'static str,
    pub(super) clients: Vec<LostClient<'a>>,
}

#[derive(Serialize)]
pub(super) struct LostClient<'a> {
    pub(super) client: &'a str,
    pub(super) summary_link: String,
}

#[derive(Serialize)]
pub(super) struct WaitingLetter<'a> {
    pub(super) client: &'a str,
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

/// What `index.md` is rendered with: everything but the rows, which are
/// streamed in where it calls `client_rows()` and `waiting_letters()`.
#[derive(Serialize)]
pub(super) struct IndexDoc<'r> {
    pub(super) today: String,
    pub(super) total: usize,
    pub(super) skipped: usize,
    pub(super) counts: Vec<CountDoc>,
    pub(super) folder: Vec<FolderDoc>,
    pub(super) lost: Vec<LostGroup<'r>>,
    /// How many letters wait to be sent.
    pub(super) waiting: usize,
    pub(super) kept: &'r [Kept],
    pub(super) errors: Vec<ErrorDoc>,
    /// New prospects per month over the last 12 months, with NV403's
    /// threshold as a line; none when there were none.
    pub(super) prospects: Option<Chart>,
}

/// Sorts rows worst first: by verdict, then highest score, then path.
pub(super) fn sort_rows(rows: &mut [(&str, &Row)]) {
    rows.sort_by(|(pa, a), (pb, b)| {
        a.verdict
            .urgency()
            .cmp(&b.verdict.urgency())
            .then(b.score.cmp(&a.score))
            .then(pa.cmp(pb))
    });
}

impl<'r> IndexDoc<'r> {
    pub(super) fn new(
        rows: &[(&'r str, &'r Row)],
        links: &Links<'_>,
        tally: &Tally,
        kept: &'r [Kept],
    ) -> IndexDoc<'r> {
        let ruleset = links.ruleset;
        let mut lost: Vec<LostGroup> = Vec::new();
        for reason in [
            LostReason::Dissatisfied,
            LostReason::ProductReturned,
            LostReason::NeedsChanged,
            LostReason::Budget,
            LostReason::Other,
            LostReason::Unknown,
        ] {
            let clients: Vec<LostClient> = rows
                .iter()
                .filter(|(_, r)| r.lost_reason == Some(reason))
                .map(|(path, r)| LostClient {
                    client: &r.client,
                    summary_link: links.summary(path),
                })
                .collect();
            if !clients.is_empty() {
                lost.push(LostGroup {
                    reason: reason.as_str(),
                    clients,
                });
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
            let mut bars = vec![0u64; months.len()];
            for (_, r) in rows.iter().filter(|(_, r)| r.status == Status::Prospect) {
                if let Some(d) = r.since
                    && let Some(i) = months
                        .iter()
                        .position(|(y, m)| d.year() == *y && d.month() == *m)
                {
                    bars[i] += 1;
                }
            }
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
            waiting: rows.iter().map(|(_, r)| r.due().count()).sum(),
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

/// Everything the dashboard is made from, to hash.
pub(super) struct DashboardInputs<'a> {
    pub(super) tally: &'a Tally,
    pub(super) kept: &'a [Kept],
    /// The rows in path order (not yet sorted for the page).
    pub(super) rows: &'a crate::pathmap::PathMap<Row>,
    pub(super) links: &'a Links<'a>,
}

impl DashboardInputs<'_> {
    /// The hash of what the dashboard is made from, after `fingerprint`
    /// (which covers the day, the templates, the words and the rules'
    /// settings): what [`IndexDoc::new`] reads of the tally (the counts,
    /// the folder's findings, the notes that could not be vetted) and the
    /// kept files, what the rows' rule indices stand for (each rule's
    /// code, name and label), where links point, and every row's own
    /// fields in path order. The page (its rows sorted, its document)
    /// follows from these, so a dashboard that is reused is neither
    /// sorted nor built (1.5 ms at the end of an unchanged run of 10,000
    /// notes); serializing the rows' views to hash them cost a tenth of
    /// the run.
    pub(super) fn digest(&self, fingerprint: &str) -> Option<String> {
        let mut h = crate::write::HashWriter::new(std::io::sink());
        std::io::Write::write_all(&mut h, fingerprint.as_bytes()).ok()?;
        let t = self.tally;
        h.feed(&(t.today.to_string(), t.notes, t.skipped, t.verdicts));
        h.feed(&t.folder);
        for e in &t.errors {
            h.feed(&(&e.path, e.pos.map(|p: Pos| p.line), &e.message));
        }
        serde_json::to_writer(&mut h, self.kept).ok()?;
        let links = self.links;
        for rule in links.ruleset.registry.rules() {
            h.feed(&(&*rule.meta.code, &*rule.meta.name, &*rule.meta.label));
        }
        h.feed(&(&links.root_in_notes, &links.root, &links.notes_dir));
        h.feed(&self.rows.len());
        for row in self.rows.iter() {
            h.feed(&row);
        }
        Some(h.digest())
    }
}
