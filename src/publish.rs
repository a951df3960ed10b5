//! Generated files (SPEC section 4): a summary for every client note,
//! letters when they are due, the dashboard, and the opt-in annotation
//! block. [`Publisher::note`] runs in the vetting worker for each note;
//! [`Publisher::finish`] writes the dashboard and removes what no longer
//! applies.

use crate::annotate;
use crate::config::Config;
use crate::engine::{Kept, NoteError, NoteReport, NoteSource, Tally};
use crate::frontmatter::Pos;
use crate::model::{Client, Status};
use crate::render::{Renderer, TemplateError, relative_link};
use crate::rules::Ruleset;
use crate::verdict::Verdict;
use crate::write::{self, Writer, Written};
use jiff::civil::Date;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A letter notes-vet drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    Rejection,
    Feedback,
    Expectations,
}

impl LetterKind {
    fn as_str(self) -> &'static str {
        match self {
            LetterKind::Rejection => "rejection",
            LetterKind::Feedback => "feedback",
            LetterKind::Expectations => "expectations",
        }
    }
}

/// Why `publish` could not start.
#[derive(Debug)]
pub enum PublishError {
    Template(TemplateError),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Template(e) => write!(f, "template {e}"),
            PublishError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

/// One dashboard row, kept per note until the dashboard is written.
#[derive(Debug, Clone, Serialize)]
struct Row {
    client: String,
    path: String,
    status: &'static str,
    verdict: &'static str,
    #[serde(skip)]
    urgency: u8,
    score: u32,
    top: Vec<CodeName>,
    summary_link: String,
    letters: Vec<LetterLink>,
    #[serde(skip)]
    lost_reason: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
struct CodeName {
    code: String,
    name: String,
}

#[derive(Debug, Clone, Serialize)]
struct LetterLink {
    kind: &'static str,
    link: String,
}

/// The manifest's key for the dashboard's inputs (no note path looks like it).
const DASHBOARD_KEY: &str = "@dashboard";

/// Where one note's files go.
struct Plan<'p> {
    summary_rel: &'p str,
    letters: &'p [(LetterKind, String)],
    summary_dir: &'p Path,
    note_abs: &'p Path,
    letter_links: Vec<LetterLink>,
}

/// Writes the generated files of a run.
pub struct Publisher<'a> {
    renderer: Renderer,
    writer: Writer,
    ruleset: &'a Ruleset,
    config: &'a Config,
    notes_dir: PathBuf,
    today: Date,
    rows: Mutex<Vec<Row>>,
    kept: Mutex<Vec<Kept>>,
    failures: Mutex<Vec<NoteError>>,
    /// A hash of everything outputs depend on besides the note itself.
    fingerprint: String,
}

impl<'a> Publisher<'a> {
    /// Loads the templates (a broken one is an error naming its file and
    /// line) and opens the output folder.
    pub fn new(
        config: &'a Config,
        ruleset: &'a Ruleset,
        notes_dir: &Path,
        today: Date,
    ) -> Result<Publisher<'a>, PublishError> {
        let renderer = Renderer::new(&config.letters.language, config.templates_dir.as_deref())
            .map_err(PublishError::Template)?;
        let notes_dir = absolute(notes_dir);
        let output = absolute(&config.output_dir);
        let writer = Writer::open(&output).map_err(|e| PublishError::Io(output.clone(), e))?;
        let config_text = config
            .file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .unwrap_or_default();
        let fingerprint = write::hash(
            format!(
                "{}\0{}\0{}\0{}\0{}\0{}\0{:?}\0{}",
                env!("CARGO_PKG_VERSION"),
                renderer.fingerprint,
                today,
                notes_dir.display(),
                output.display(),
                config.annotate,
                ruleset.effective,
                String::from_utf8_lossy(&config_text),
            )
            .as_bytes(),
        );
        Ok(Publisher {
            fingerprint,
            renderer,
            writer,
            ruleset,
            config,
            notes_dir,
            today,
            rows: Mutex::new(Vec::new()),
            kept: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
        })
    }

    /// The path of an output file as the report shows it: relative to the
    /// notes folder when inside it.
    fn shown(&self, rel: &str) -> String {
        shown_in(&self.notes_dir, self.writer.root(), rel)
    }

    fn fail(&self, path: &str, message: String) {
        if let Ok(mut f) = self.failures.lock() {
            f.push(NoteError {
                path: path.to_string(),
                pos: None,
                message,
                source: None,
            });
        }
    }

    fn keep(&self, rel: &str, reason: &str) {
        if let Ok(mut k) = self.kept.lock() {
            k.push(Kept {
                path: self.shown(rel),
                reason: reason.to_string(),
            });
        }
    }

    /// Renders and writes one note's files; sets `report.outputs`. Runs in
    /// the vetting worker.
    pub fn note(&self, report: &mut NoteReport, client: &Client, source: &NoteSource<'_>) {
        let text = source.text;
        let stem = note_stem(&report.path);
        let summary_rel = format!("summaries/{stem}.md");
        let mut letters: Vec<(LetterKind, String)> = Vec::new();
        if matches!(report.verdict, Verdict::Decline | Verdict::Fire) {
            letters.push((
                LetterKind::Rejection,
                format!("letters/{stem}-rejection.md"),
            ));
        }
        if client.status() == Status::Lost {
            letters.push((LetterKind::Feedback, format!("letters/{stem}-feedback.md")));
        }
        if self.fired(report, "NV301") {
            letters.push((
                LetterKind::Expectations,
                format!("letters/{stem}-expectations.md"),
            ));
        }
        let root = self.writer.root().to_path_buf();
        let summary_dir = root
            .join(&summary_rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.clone());
        let note_abs = self.notes_dir.join(&report.path);
        let letter_links: Vec<LetterLink> = letters
            .iter()
            .map(|(k, rel)| LetterLink {
                kind: k.as_str(),
                link: relative_link(&summary_dir, &root.join(rel)),
            })
            .collect();

        // An unchanged note whose files are untouched needs no rendering.
        let inputs = write::hash(format!("{}\0{text}\0{report:?}", self.fingerprint).as_bytes());
        let planned: Vec<String> = std::iter::once(summary_rel.clone())
            .chain(letters.iter().map(|(_, r)| r.clone()))
            .collect();
        let reused = self
            .writer
            .reuse(&report.path, &inputs)
            .filter(|outputs| *outputs == planned);
        if reused.is_none() {
            let plan = Plan {
                summary_rel: &summary_rel,
                letters: &letters,
                summary_dir: &summary_dir,
                note_abs: &note_abs,
                letter_links,
            };
            self.render_and_write(report, client, source, plan);
            self.writer.record_note(&report.path, &inputs, planned);
        } else {
            report.outputs = planned.iter().map(|rel| self.shown(rel)).collect();
        }
        self.push_row(report, client, &summary_rel, &letters);
    }

    fn render_and_write(
        &self,
        report: &mut NoteReport,
        client: &Client,
        source: &NoteSource<'_>,
        plan: Plan<'_>,
    ) {
        let Plan {
            summary_rel,
            letters,
            summary_dir,
            note_abs,
            letter_links,
        } = plan;
        let root = self.writer.root().to_path_buf();
        let mut docs: Vec<(String, Result<String, TemplateError>)> = Vec::new();
        let summary = SummaryDoc::new(self, report, client, note_abs, summary_dir, letter_links);
        docs.push((
            summary_rel.to_string(),
            self.renderer.render("summary.md", &summary),
        ));
        for (kind, rel) in letters {
            let doc = LetterDoc::new(self, report, client, *kind, summary.contacts.clone());
            let name = format!("{}.md", kind.as_str());
            docs.push((rel.clone(), self.renderer.render(&name, &doc)));
        }
        report.outputs = docs.iter().map(|(rel, _)| self.shown(rel)).collect();
        for (rel, content) in docs {
            match content {
                Ok(c) => self.put(&report.path, &rel, &c),
                Err(e) => self.fail(
                    &report.path,
                    format!("cannot render {}: {e}", self.shown(&rel)),
                ),
            }
        }
        if self.config.annotate {
            let summary_link = relative_link(
                note_abs.parent().unwrap_or(&self.notes_dir),
                &root.join(summary_rel),
            );
            self.annotate(
                report,
                source.text,
                source.body_offset,
                source.file,
                summary_link,
            );
        }
    }

    fn push_row(
        &self,
        report: &NoteReport,
        client: &Client,
        summary_rel: &str,
        letters: &[(LetterKind, String)],
    ) {
        let root = self.writer.root();
        let row = Row {
            client: client.name.clone(),
            path: report.path.clone(),
            status: report.status.as_str(),
            verdict: report.verdict.as_str(),
            urgency: report.verdict.urgency(),
            score: report.score,
            top: {
                let mut top: Vec<CodeName> = Vec::new();
                for f in report
                    .findings
                    .iter()
                    .filter(|f| f.weight > 0 || f.severity == crate::rules::Severity::Error)
                {
                    let m = &self.ruleset.rule(f.rule).meta;
                    if top.len() < 3 && !top.iter().any(|t| t.code == m.code) {
                        top.push(CodeName {
                            code: m.code.to_string(),
                            name: m.name.to_string(),
                        });
                    }
                }
                top
            },
            summary_link: relative_link(root, &root.join(summary_rel)),
            letters: letters
                .iter()
                .map(|(k, rel)| LetterLink {
                    kind: k.as_str(),
                    link: relative_link(root, &root.join(rel)),
                })
                .collect(),
            lost_reason: (client.status() == Status::Lost).then(|| {
                client
                    .lost
                    .as_ref()
                    .and_then(|l| l.reason)
                    .map_or("unknown", |r| r.as_str())
            }),
        };
        if let Ok(mut rows) = self.rows.lock() {
            rows.push(row);
        }
    }

    fn fired(&self, report: &NoteReport, code: &str) -> bool {
        report
            .findings
            .iter()
            .any(|f| self.ruleset.rule(f.rule).meta.code == code)
    }

    fn put(&self, note: &str, rel: &str, content: &str) {
        match self.writer.put(rel, content) {
            Ok(Written::KeptEdited) => {
                self.keep(rel, "edited since notes-vet wrote it; kept as it is")
            }
            Ok(Written::KeptForeign) => self.keep(rel, "not written by notes-vet; left untouched"),
            Ok(_) => {}
            Err(e) => self.fail(note, format!("cannot write {}: {e}", self.shown(rel))),
        }
    }

    fn annotate(
        &self,
        report: &NoteReport,
        text: &str,
        body_offset: usize,
        file: &Path,
        summary_link: String,
    ) {
        let doc = AnnotationDoc {
            verdict: report.verdict.as_str(),
            score: report.score,
            today: self.today.to_string(),
            findings: report
                .findings
                .iter()
                .map(|f| {
                    let m = &self.ruleset.rule(f.rule).meta;
                    FindingDoc::new(f, m, "")
                })
                .collect(),
            summary_link,
        };
        let content = match self.renderer.render("annotation.md", &doc) {
            Ok(c) => c,
            Err(e) => return self.fail(&report.path, format!("cannot render the annotation: {e}")),
        };
        let note = report.path.as_str();
        let new_inner = content.trim_matches('\n');
        // A block that is there already must be ours and unedited.
        let current = match annotate::find_block(text, body_offset) {
            Ok(range) => range.map(|r| annotate::inner(text, &r)),
            Err(annotate::Refusal(why)) => {
                return self.keep_note(note, &format!("annotation refused: {why}"));
            }
        };
        if let Some(inner) = &current {
            if inner == new_inner {
                return self.writer.record_annotation(note, Some(new_inner));
            }
            match self.writer.block_owner(note, inner) {
                write::BlockOwner::Ours => {}
                write::BlockOwner::Edited => {
                    self.writer.record_annotation(note, None);
                    return self.keep_note(
                        note,
                        "its annotation block was edited since notes-vet wrote it; kept as it is",
                    );
                }
                write::BlockOwner::Unknown => {
                    return self.keep_note(
                        note,
                        "its annotation block was not written by notes-vet; kept (remove it to get a fresh one)",
                    );
                }
            }
        }
        let updated = match annotate::with_block(text, body_offset, &content) {
            Ok(u) => u,
            Err(annotate::Refusal(why)) => {
                return self.keep_note(note, &format!("annotation refused: {why}"));
            }
        };
        // Write only if the note is still byte for byte what was read.
        match std::fs::read(file) {
            Ok(now) if now == text.as_bytes() => {
                let written = self
                    .writer
                    .will_annotate(note, new_inner)
                    .and_then(|_| write::write_file_atomic(file, updated.as_bytes()));
                match written {
                    Ok(()) => self.writer.record_annotation(note, Some(new_inner)),
                    Err(e) => self.fail(note, format!("cannot annotate the note: {e}")),
                }
            }
            Ok(_) => self.keep_note(
                note,
                "the note changed while it was vetted; annotation skipped",
            ),
            Err(e) => self.fail(note, format!("cannot annotate the note: {e}")),
        }
    }

    fn keep_note(&self, path: &str, reason: &str) {
        if let Ok(mut k) = self.kept.lock() {
            k.push(Kept {
                path: path.to_string(),
                reason: reason.to_string(),
            });
        }
    }

    /// Writes the dashboard, removes outputs that no longer apply and saves
    /// the manifest. Kept files and write failures go into `tally`.
    pub fn finish(self, tally: &mut Tally) {
        let mut rows = self.rows.into_inner().unwrap_or_default();
        rows.sort_by(|a, b| {
            a.urgency
                .cmp(&b.urgency)
                .then(b.score.cmp(&a.score))
                .then(a.path.cmp(&b.path))
        });
        let mut kept = self.kept.into_inner().unwrap_or_default();
        let mut failures = self.failures.into_inner().unwrap_or_default();
        let index = IndexDoc::new(&rows, tally, &kept, self.ruleset);
        // The dashboard gets the same shortcut as a note: when what it is
        // made from and index.md itself are unchanged, it is not rendered.
        let inputs = serde_json::to_vec(&index)
            .ok()
            .map(|doc| write::hash(&[self.fingerprint.as_bytes(), &doc].concat()));
        let reused = inputs
            .as_deref()
            .and_then(|i| self.writer.reuse(DASHBOARD_KEY, i))
            .is_some_and(|outputs| outputs == ["index.md"]);
        let rendered = if reused {
            None
        } else {
            Some(self.renderer.render("index.md", &index))
        };
        match rendered {
            None => {}
            Some(Ok(c)) => match self.writer.put("index.md", &c) {
                Ok(Written::KeptEdited) => kept.push(Kept {
                    path: shown_in(&self.notes_dir, self.writer.root(), "index.md"),
                    reason: "edited since notes-vet wrote it; kept as it is".into(),
                }),
                Ok(Written::KeptForeign) => kept.push(Kept {
                    path: shown_in(&self.notes_dir, self.writer.root(), "index.md"),
                    reason: "not written by notes-vet; left untouched".into(),
                }),
                Ok(_) => {
                    if let Some(i) = &inputs {
                        self.writer
                            .record_note(DASHBOARD_KEY, i, vec!["index.md".to_string()]);
                    }
                }
                Err(e) => failures.push(NoteError {
                    path: "index.md".into(),
                    pos: None,
                    message: format!("cannot write the dashboard: {e}"),
                    source: None,
                }),
            },
            Some(Err(e)) => failures.push(NoteError {
                path: "index.md".into(),
                pos: None,
                message: format!("cannot render the dashboard: {e}"),
                source: None,
            }),
        }
        // Outputs of notes that could not be read this time stay where they are.
        let broken: Vec<String> = tally
            .errors
            .iter()
            .chain(&failures)
            .map(|e| note_stem(&e.path))
            .collect();
        let retain = |rel: &str| broken.iter().any(|stem| belongs_to(rel, stem));
        let root = self.writer.root().to_path_buf();
        match self.writer.finish(&retain) {
            Ok(stale) => kept.extend(stale.into_iter().map(|rel| Kept {
                path: shown_in(&self.notes_dir, &root, &rel),
                reason: "no longer applies, but edited since notes-vet wrote it; kept".into(),
            })),
            Err(e) => failures.push(NoteError {
                path: root.display().to_string(),
                pos: None,
                message: format!("cannot finish writing: {e}"),
                source: None,
            }),
        }
        kept.sort_by(|a, b| a.path.cmp(&b.path));
        tally.kept = kept;
        tally.errors.extend(failures);
        tally.errors.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

fn shown_in(notes_dir: &Path, root: &Path, rel: &str) -> String {
    let abs = root.join(rel);
    match abs.strip_prefix(notes_dir) {
        Ok(p) => crate::scan::relative(Path::new(""), p),
        Err(_) => abs.display().to_string(),
    }
}

/// True when output `rel` belongs to the note whose stem is `stem`.
fn belongs_to(rel: &str, stem: &str) -> bool {
    rel == format!("summaries/{stem}.md")
        || ["rejection", "feedback", "expectations"]
            .iter()
            .any(|k| rel == format!("letters/{stem}-{k}.md"))
}

/// `<rel>`: the note's path without its extension.
pub fn note_stem(rel: &str) -> String {
    let lower = rel.to_ascii_lowercase();
    for ext in [".markdown", ".md"] {
        if lower.ends_with(ext) {
            return rel[..rel.len() - ext.len()].to_string();
        }
    }
    rel.to_string()
}

/// Makes a path absolute without touching the file system's links.
pub fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    std::env::current_dir()
        .map(|d| d.join(p))
        .unwrap_or_else(|_| p.to_path_buf())
}

#[derive(Debug, Clone, Serialize)]
struct FindingDoc {
    code: String,
    name: String,
    severity: &'static str,
    message: String,
    field: String,
    line: u32,
    advice: String,
}

impl FindingDoc {
    fn new(f: &crate::engine::Finding, m: &crate::rules::RuleMeta, advice: &str) -> FindingDoc {
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
struct ContactDoc {
    date: String,
    time: Option<String>,
    channel: Option<String>,
    tone: Option<&'static str>,
    after_hours: bool,
    note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct ObligationDoc {
    what: String,
    due: Option<String>,
    done: bool,
}

#[derive(Serialize)]
struct SummaryDoc {
    client: String,
    status: &'static str,
    verdict: &'static str,
    score: u32,
    today: String,
    since: Option<String>,
    topic: Option<String>,
    note_path: String,
    note_link: String,
    index_link: String,
    findings: Vec<FindingDoc>,
    suppressed: Vec<String>,
    contacts: Vec<ContactDoc>,
    obligations: Vec<ObligationDoc>,
    letters: Vec<LetterLink>,
}

impl SummaryDoc {
    fn new(
        p: &Publisher<'_>,
        report: &NoteReport,
        client: &Client,
        note_abs: &Path,
        summary_dir: &Path,
        letters: Vec<LetterLink>,
    ) -> SummaryDoc {
        let show_log = p.fired(report, "NV201") || p.fired(report, "NV204");
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
struct LetterDoc {
    client: String,
    verdict: &'static str,
    sender: Option<String>,
    explain_reason: bool,
    reasons: Vec<String>,
    resources: Vec<String>,
    referrals: Vec<String>,
    obligations: Vec<ObligationDoc>,
    contacts: Vec<ContactDoc>,
    third_party: bool,
    applicant: Option<String>,
    topic: Option<String>,
    reason: Option<&'static str>,
    working_hours: String,
    working_days: Vec<&'static str>,
    today: String,
}

impl LetterDoc {
    fn new(
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
            contacts: if kind == LetterKind::Rejection && fire && p.fired(report, "NV204") {
                contacts
            } else {
                Vec::new()
            },
            third_party: p.fired(report, "NV104") && !fire,
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
struct AnnotationDoc {
    verdict: &'static str,
    score: u32,
    today: String,
    findings: Vec<FindingDoc>,
    summary_link: String,
}

#[derive(Serialize)]
struct CountDoc {
    verdict: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct LostGroup {
    reason: &'static str,
    clients: Vec<LostClient>,
}

#[derive(Serialize)]
struct LostClient {
    client: String,
    summary_link: String,
}

#[derive(Serialize)]
struct WaitingLetter {
    client: String,
    kind: &'static str,
    link: String,
}

#[derive(Serialize)]
struct ErrorDoc {
    path: String,
    line: Option<u32>,
    message: String,
}

#[derive(Serialize)]
struct FolderDoc {
    code: String,
    name: String,
    severity: &'static str,
    message: String,
}

#[derive(Serialize)]
struct IndexDoc<'r> {
    today: String,
    total: usize,
    skipped: usize,
    counts: Vec<CountDoc>,
    notes: &'r [Row],
    folder: Vec<FolderDoc>,
    lost: Vec<LostGroup>,
    letters: Vec<WaitingLetter>,
    kept: &'r [Kept],
    errors: Vec<ErrorDoc>,
}

impl<'r> IndexDoc<'r> {
    fn new(rows: &'r [Row], tally: &Tally, kept: &'r [Kept], ruleset: &Ruleset) -> IndexDoc<'r> {
        let mut lost: Vec<LostGroup> = Vec::new();
        for reason in [
            "dissatisfied",
            "product-returned",
            "needs-changed",
            "budget",
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
        IndexDoc {
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

/// What `clean` did.
#[derive(Debug, Default)]
pub struct CleanReport {
    pub removed_files: usize,
    pub removed_blocks: usize,
    pub kept: Vec<Kept>,
}

/// Removes every generated file the user has not edited, and the
/// annotation blocks of the notes (unless edited since notes-vet wrote them).
pub fn clean(config: &Config, notes_dir: &Path) -> Result<CleanReport, String> {
    let mut report = CleanReport::default();
    let output = absolute(&config.output_dir);
    let notes_abs = absolute(notes_dir);
    let writer = if output.is_dir() {
        Some(Writer::open(&output).map_err(|e| format!("{}: {e}", output.display()))?)
    } else {
        None
    };
    for note in crate::scan::scan(notes_dir, config).notes {
        let Ok(text) = std::fs::read_to_string(&note.path) else {
            continue;
        };
        let body_offset = match crate::frontmatter::split::split(&text) {
            Ok(Some(s)) => s.body_offset,
            Ok(None) => crate::frontmatter::split::bom_len(&text),
            Err(_) => continue,
        };
        let range = match annotate::find_block(&text, body_offset) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(annotate::Refusal(why)) => {
                report.kept.push(Kept {
                    path: note.rel.clone(),
                    reason: format!("annotation block left: {why}"),
                });
                continue;
            }
        };
        let inner = annotate::inner(&text, &range);
        let owner = writer.as_ref().map_or(write::BlockOwner::Unknown, |w| {
            w.block_owner(&note.rel, &inner)
        });
        if owner != write::BlockOwner::Ours {
            report.kept.push(Kept {
                path: note.rel.clone(),
                reason:
                    "annotation block edited since notes-vet wrote it (or not written by it); left"
                        .into(),
            });
            continue;
        }
        if let Ok(Some(stripped)) = annotate::without_block(&text, body_offset) {
            write::write_file_atomic(&note.path, stripped.as_bytes())
                .map_err(|e| format!("{}: {e}", note.rel))?;
            report.removed_blocks += 1;
        }
    }
    if let Some(writer) = writer {
        let before = writer.file_count();
        let kept = writer
            .clean()
            .map_err(|e| format!("{}: {e}", output.display()))?;
        report.removed_files = before.saturating_sub(kept.len());
        report.kept.extend(kept.into_iter().map(|rel| Kept {
            path: shown_in(&notes_abs, &output, &rel),
            reason: "edited since notes-vet wrote it; kept".into(),
        }));
    }
    Ok(report)
}
