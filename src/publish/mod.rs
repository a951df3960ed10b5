//! Generated files (the README's "Outputs"): a summary for every client note,
//! letters when they are due, the dashboard, and the opt-in annotation
//! block. [`Publisher::note`] runs in the vetting worker for each note;
//! [`Publisher::finish`] writes the dashboard and saves the manifest.
//!
//! A publisher lives as long as its config: one `check` run, or a `watch`
//! session until the config, the templates or the date change. It keeps
//! each note's dashboard row, kept files and write failures by note, so a
//! re-vetted note replaces its own and [`Publisher::forget`] drops a
//! deleted one's; the dashboard is then redone from memory.

mod clean;
mod dashboard;
mod docs;

pub use clean::{CleanError, CleanReport, clean};
use dashboard::{DashboardInputs, IndexDoc, LetterLink, Links, Row, RowView};
use docs::{AnnotationDoc, FindingDoc, LetterDoc, SummaryDoc};

use crate::annotate;
use crate::config::Config;
use crate::engine::{ClientRecord, Kept, NoteError, NoteReport, NoteSource, Tally};
use crate::i18n::Msg;
use crate::model::{Client, Facts, Status};
use crate::msg;
use crate::pathmap::PathMap;
use crate::render::{Renderer, TemplateError, relative_link};
use crate::rules::Ruleset;
use crate::verdict::Verdict;
use crate::write::{self, Writer, Written};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// A letter notes-vet drafts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    Rejection,
    Feedback,
    Expectations,
}

impl LetterKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Rejection => "rejection",
            LetterKind::Feedback => "feedback",
            LetterKind::Expectations => "expectations",
        }
    }
}

/// Why `publish` could not start.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("template {0}")]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "output_dir {} is the notes folder itself; choose a folder inside it, such as \"_vetted\"",
        .0.display()
    )]
    IsRoot(PathBuf),
    /// Outside the notes root, or through a symlink.
    #[error("output_dir: {0}")]
    Unsafe(#[source] std::io::Error),
    #[error("cannot tell the current folder: {0}")]
    Cwd(#[source] std::io::Error),
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

/// The publisher writes each note's files from the vetting worker.
impl crate::engine::NoteHook for Publisher<'_> {
    fn note(&self, report: &mut NoteReport, client: &ClientRecord<'_>, source: &NoteSource<'_>) {
        Publisher::note(self, report, client, source);
    }

    fn chunk_done(&self) {
        drop(self.file_rows());
    }
}

/// The key of kept files and failures that belong to no note.
const FOLDER_KEY: &str = "@folder";
/// The manifest's record of what `clients.base` was made from.
const BASE_KEY: &str = "@base";
/// The key of stale files kept by the last sweep.
const SWEEP_KEY: &str = "@sweep";
/// The output folder's `.gitignore`.
const GITIGNORE: &str = "# Written by notes-vet: its bookkeeping is machine state, not yours to commit.\n.notes-vet-*\n.cache/\n";

/// Writes the generated files of a run or a watch session.
pub struct Publisher<'a> {
    renderer: Renderer,
    writer: Writer,
    ruleset: &'a Ruleset,
    config: &'a Config,
    notes_dir: PathBuf,
    /// The notes folder inside its Obsidian vault (`Clients/`), or empty:
    /// links and Bases filters are vault paths.
    vault_prefix: String,
    /// What [`shown_in`] puts before an output's path (`_vetted/`), made
    /// once: every note's outputs are shown on every run.
    shown_prefix: String,
    today: Date,
    /// Dashboard rows by note path (compact: one per client note).
    rows: Mutex<PathMap<Row>>,
    /// Rows of notes vetted since they were last filed in `rows`, in the
    /// order the workers finished them: filed sorted at the end of each
    /// chunk, they are appended to `rows` (filed one by one, half of
    /// them arrived out of order, each an insert).
    arrived: Mutex<Vec<(String, Row)>>,
    /// Files kept because the user edited them, by the note they belong
    /// to ([`FOLDER_KEY`] for the dashboard and stale files).
    kept: Mutex<BTreeMap<String, Vec<Kept>>>,
    /// Files that could not be rendered or written, by note.
    failures: Mutex<BTreeMap<String, Vec<NoteError>>>,
    /// Whether a note's kept file or failure was ever recorded: until
    /// then, forgetting a note's takes neither lock (twice for every note
    /// of a run, the two workers taking them in turn).
    noted: AtomicBool,
    /// Notes whose annotation block was written since the last call of
    /// [`Publisher::take_annotated`] (so `watch` knows its own writes).
    annotated: Mutex<Vec<PathBuf>>,
    /// A hash of everything outputs depend on besides the note itself.
    fingerprint: String,
}

/// The message id that names a letter: a rejection letter that ends an
/// engagement is a termination letter to the person reading it.
fn letter_name(kind: LetterKind, verdict: Verdict) -> &'static str {
    match (kind, verdict) {
        (LetterKind::Rejection, Verdict::Fire) => "letter-termination",
        (LetterKind::Rejection, _) => "letter-rejection",
        (LetterKind::Feedback, _) => "letter-feedback",
        (LetterKind::Expectations, _) => "letter-expectations",
    }
}

impl<'a> Publisher<'a> {
    /// Loads the templates (a broken one is an error naming its file and
    /// line) and opens the output folder (its manifest read from the
    /// binary copy kept with the parse cache, unless `cache` is false).
    pub fn new(
        config: &'a Config,
        ruleset: &'a Ruleset,
        notes_dir: &Path,
        today: Date,
        cache: bool,
    ) -> Result<Publisher<'a>, PublishError> {
        let renderer = Renderer::new(&config.catalog, config.templates_dir.as_deref())
            .map_err(PublishError::Template)?;
        let output = output_folder(config, notes_dir)?;
        let notes_dir = absolute(notes_dir);
        let vault_prefix = vault_prefix(&notes_dir);
        let writer = Writer::open_with(&output, cache).map_err(|source| PublishError::Io {
            path: output.clone(),
            source,
        })?;
        writer.set_today(today);
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
        let shown_prefix = shown_prefix(&notes_dir, writer.root());
        let kept: BTreeMap<String, Vec<Kept>> = if writer.notices.is_empty() {
            BTreeMap::new()
        } else {
            BTreeMap::from([(
                "@manifest".to_string(),
                writer
                    .notices
                    .iter()
                    .map(|n| Kept {
                        path: shown_in(&notes_dir, writer.root(), ".notes-vet-manifest.json"),
                        reason: n.clone(),
                        draft: None,
                    })
                    .collect(),
            )])
        };
        Ok(Publisher {
            fingerprint,
            renderer,
            writer,
            ruleset,
            config,
            notes_dir,
            vault_prefix,
            shown_prefix,
            today,
            rows: Mutex::new(PathMap::default()),
            arrived: Mutex::new(Vec::new()),
            kept: Mutex::new(kept),
            failures: Mutex::new(BTreeMap::new()),
            noted: AtomicBool::new(false),
            annotated: Mutex::new(Vec::new()),
        })
    }

    /// The path of an output file as the report shows it: relative to the
    /// notes folder when inside it.
    fn shown(&self, rel: &str) -> String {
        let mut s = String::with_capacity(self.shown_prefix.len() + rel.len());
        s.push_str(&self.shown_prefix);
        s.push_str(rel);
        s
    }

    /// A link property to a file `shown` relative to the notes folder:
    /// a wikilink by its vault path, as Obsidian resolves them.
    pub(crate) fn link(&self, shown: &str) -> String {
        vault_link(&format!("{}{shown}", self.vault_prefix))
    }

    /// The output folder.
    pub fn output_dir(&self) -> &Path {
        self.writer.root()
    }

    fn fail(&self, path: &str, message: Msg) {
        let message = self.config.catalog.msg(&message);
        self.noted.store(true, Ordering::Relaxed);
        if let Ok(mut f) = self.failures.lock() {
            f.entry(path.to_string()).or_default().push(NoteError {
                path: path.to_string(),
                pos: None,
                message,
                source: None,
            });
        }
    }

    /// Records that output `rel` of note `note` was kept, and why.
    fn keep(&self, note: &str, rel: &str, reason: Msg) {
        self.keep_note(note, &self.shown(rel), reason);
    }

    /// Records a kept file under `note`; `shown` is the path as reported.
    fn keep_note(&self, note: &str, shown: &str, reason: Msg) {
        let reason = self.config.catalog.msg(&reason);
        self.noted.store(true, Ordering::Relaxed);
        if let Ok(mut k) = self.kept.lock() {
            k.entry(note.to_string()).or_default().push(Kept {
                path: shown.to_string(),
                reason,
                draft: None,
            });
        }
    }

    /// Forgets what a previous vetting of note `note` left: its kept files
    /// and failures.
    fn reset_note(&self, note: &str) {
        // A note's records are made on the thread that vets it, and a
        // note is vetted again only after the pass that vetted it ended:
        // the mark is seen without ordering of its own.
        if !self.noted.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(mut k) = self.kept.lock() {
            k.remove(note);
        }
        if let Ok(mut f) = self.failures.lock() {
            f.remove(note);
        }
    }

    /// A note was deleted, renamed away or stopped being a client note:
    /// removes its generated files (except those the user edited, which
    /// are reported) and its dashboard row. Returns the removed files as
    /// the report shows them.
    pub fn forget(&self, note: &str) -> Vec<String> {
        self.reset_note(note);
        self.file_rows().remove(note);
        match self.writer.retire(note, &[]) {
            Ok((removed, kept)) => {
                for rel in kept {
                    self.keep(note, &rel, msg!("kept-stale-edited"));
                }
                removed.iter().map(|rel| self.shown(rel)).collect()
            }
            Err(e) => {
                self.fail(note, msg!("fail-remove-outputs", error = e.to_string()));
                Vec::new()
            }
        }
    }

    /// A note could not be read after a change: its dashboard row goes (as
    /// in `check`, a note that cannot be read has no verdict); its files
    /// stay.
    pub fn drop_row(&self, note: &str) {
        self.file_rows().remove(note);
    }

    /// True when output `rel` was changed by someone else since notes-vet
    /// wrote it.
    pub fn output_changed(&self, rel: &str) -> bool {
        self.writer.changed_since_written(rel)
    }

    /// The note whose generated files include `rel` (relative to the
    /// output folder), if any.
    pub fn owner_of(&self, rel: &str) -> Option<String> {
        self.writer.owner_of(rel)
    }

    /// The notes whose annotation block was written since the last call.
    pub fn take_annotated(&self) -> Vec<PathBuf> {
        self.annotated
            .lock()
            .map(|mut a| std::mem::take(&mut *a))
            .unwrap_or_default()
    }

    /// Renders and writes one note's files; sets `report.outputs`. Runs in
    /// the vetting worker.
    pub fn note(
        &self,
        report: &mut NoteReport,
        client: &ClientRecord<'_>,
        source: &NoteSource<'_>,
    ) {
        self.reset_note(&report.path);
        let facts = client.facts();
        let stem = note_stem(&report.path);
        // Joined by hand: `format!` took a tenth of this function's time
        // on an unchanged re-run.
        let summary_rel = ["summaries/", stem, ".md"].concat();
        // Letters to draft, and sent letters whose file stays as the record
        // of what was sent (the note records the date it was sent).
        let mut letters: Vec<(LetterKind, String)> = Vec::new();
        let mut sent: Vec<String> = Vec::new();
        for kind in dashboard::LETTER_KINDS {
            let state = self.letter_state(kind, report, &facts);
            if state == LetterState::NotDue {
                continue;
            }
            let rel = ["letters/", stem, "-", kind.as_str(), ".md"].concat();
            match state {
                LetterState::Due => letters.push((kind, rel)),
                LetterState::Sent(on) => {
                    // Ours, and not drafted after the recorded date (then
                    // it is not the one that was sent: the key was there
                    // before it); that it is still there is seen below.
                    if self.writer.wrote_by(&rel, on) {
                        sent.push(rel);
                    }
                }
                LetterState::NotDue => {}
            }
        }

        // An unchanged note whose files are untouched needs no rendering.
        // The note's content by its hash: a cached parse leaves the text
        // unread.
        // The report by its digest, which cached results bring along.
        let report_digest = source
            .report
            .unwrap_or_else(|| write::hash_value128(&*report));
        let inputs = write::hash_value128(&(&self.fingerprint, source.hash, report_digest));
        // The note's files as planned, and its recorded ones when they are
        // those, unchanged since written.
        let plan = |sent: &[String]| -> Vec<String> {
            std::iter::once(summary_rel.clone())
                .chain(letters.iter().map(|(_, r)| r.clone()))
                .chain(sent.iter().cloned())
                .collect()
        };
        let reuse = |planned: &[String]| {
            self.writer
                .reuse_hashed(&report.path, inputs)
                .filter(|outputs| outputs.iter().filter(|o| !is_draft(o)).eq(planned.iter()))
        };
        let mut planned = plan(&sent);
        let mut reused = reuse(&planned);
        if reused.is_none() && !sent.is_empty() {
            // Sent letters still there, each looked at (reused files
            // were: as they were written).
            let before = sent.len();
            sent.retain(|rel| self.writer.confirm(rel));
            if sent.len() != before {
                planned = plan(&sent);
                reused = reuse(&planned);
            }
        }
        if let Some(outputs) = reused {
            report.outputs = outputs.iter().map(|rel| self.shown(rel)).collect();
            // The files are as they were, but the note's block is looked at
            // again: one the user edited is reported on every run.
            if self.config.annotate {
                let note_abs = self.notes_dir.join(&report.path);
                self.annotate_note(report, source, &note_abs, &summary_rel);
            }
        } else {
            let note_abs = self.notes_dir.join(&report.path);
            let root = self.writer.root();
            let summary_dir = root
                .join(&summary_rel)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.to_path_buf());
            let letter_links: Vec<LetterLink> = letters
                .iter()
                .map(|(k, rel)| LetterLink {
                    kind: k.as_str(),
                    name: letter_name(*k, report.verdict),
                    link: relative_link(&summary_dir, &root.join(rel)),
                })
                .collect();
            let plan = Plan {
                summary_rel: &summary_rel,
                letters: &letters,
                summary_dir: &summary_dir,
                note_abs: &note_abs,
                letter_links,
            };
            let drafts = match client.whole() {
                Some(client) => self.render_and_write(report, &client, source, plan),
                // Cached bytes of this very version that do not decode:
                // the files stay as they are, and the run says so.
                None => {
                    self.fail(
                        &report.path,
                        msg!(
                            "fail-render",
                            path = self.shown(&summary_rel),
                            error =
                                "the cached client record does not decode (run with --no-cache)"
                        ),
                    );
                    // Still on the dashboard, as its facts say.
                    self.push_row(report, &facts, &letters);
                    return;
                }
            };
            report
                .outputs
                .extend(sent.iter().chain(&drafts).map(|rel| self.shown(rel)));
            planned.extend(drafts);
            // Files the note had and no longer gets (a letter no longer
            // due) go now, unless the user edited them.
            match self.writer.retire(&report.path, &planned) {
                Ok((_, kept)) => {
                    for rel in kept {
                        self.keep(&report.path, &rel, msg!("kept-stale-edited"));
                        // Still the note's: reported on every run until
                        // the user removes it.
                        planned.push(rel);
                    }
                }
                Err(e) => self.fail(
                    &report.path,
                    msg!("fail-remove-stale", error = e.to_string()),
                ),
            }
            self.writer
                .record_note_hashed(&report.path, inputs, planned);
        }
        self.push_row(report, &facts, &letters);
    }

    fn render_and_write(
        &self,
        report: &mut NoteReport,
        client: &Client,
        source: &NoteSource<'_>,
        plan: Plan<'_>,
    ) -> Vec<String> {
        let Plan {
            summary_rel,
            letters,
            summary_dir,
            note_abs,
            letter_links,
        } = plan;
        let mut docs: Vec<(String, Result<String, TemplateError>)> = Vec::new();
        let mut summary =
            SummaryDoc::new(self, report, client, note_abs, summary_dir, letter_links);
        // Properties link by path in the vault, as Obsidian resolves them:
        // the note's path, and each letter's as shown, without extension.
        summary.letters_wiki = letters
            .iter()
            .map(|(_, rel)| self.link(&self.shown(rel)))
            .collect();
        docs.push((
            summary_rel.to_string(),
            self.renderer.render("summary.md", &summary),
        ));
        for (kind, rel) in letters {
            let doc = LetterDoc::new(self, report, client, *kind);
            let name = format!("{}.md", kind.as_str());
            docs.push((rel.clone(), self.renderer.render(&name, &doc)));
        }
        report.outputs = docs.iter().map(|(rel, _)| self.shown(rel)).collect();
        let mut drafts = Vec::new();
        for (i, (rel, content)) in docs.into_iter().enumerate() {
            match content {
                // The summary is a view; letters are the user's to edit.
                Ok(c) if i == 0 => {
                    self.put(&report.path, &rel, &c);
                }
                Ok(c) => drafts.extend(self.put_letter(&report.path, &rel, &c)),
                Err(e) => self.fail(
                    &report.path,
                    msg!(
                        "fail-render",
                        path = self.shown(&rel),
                        error = e.to_string()
                    ),
                ),
            }
        }
        self.annotate_note(report, source, note_abs, summary_rel);
        drafts
    }

    /// Puts (or keeps current) the note's annotation block, when asked to.
    fn annotate_note(
        &self,
        report: &NoteReport,
        source: &NoteSource<'_>,
        note_abs: &Path,
        summary_rel: &str,
    ) {
        if !self.config.annotate {
            return;
        }
        let summary_link = relative_link(
            note_abs.parent().unwrap_or(&self.notes_dir),
            &self.writer.root().join(summary_rel),
        );
        self.annotate(
            report,
            source.text,
            source.body_offset,
            source.file,
            summary_link,
        );
    }

    /// Whether a letter is due, already sent (its date recorded in the
    /// note), or neither.
    fn letter_state(&self, kind: LetterKind, report: &NoteReport, client: &Facts) -> LetterState {
        let (due, sent) = match kind {
            LetterKind::Rejection => (
                matches!(report.verdict, Verdict::Decline | Verdict::Fire),
                client.rejection_sent,
            ),
            LetterKind::Feedback => (client.status == Status::Lost, client.feedback_requested),
            LetterKind::Expectations => (
                self.fired(report, |t| t.drafts_expectations),
                client.expectations_set,
            ),
        };
        match (due, sent) {
            (_, Some(on)) => LetterState::Sent(on),
            (true, None) => LetterState::Due,
            (false, None) => LetterState::NotDue,
        }
    }

    /// Writes a letter. When the user edited it, their file is kept; if
    /// the fresh draft says something else than what notes-vet last wrote
    /// there, it goes beside it (`...-rejection.draft.md`) and its path is
    /// returned (and reported with the kept file).
    fn put_letter(&self, note: &str, rel: &str, content: &str) -> Option<String> {
        match self.writer.put(rel, content) {
            Ok(Written::KeptEdited) => {
                let draft = (!self.writer.wrote(rel, content)).then(|| draft_of(rel));
                if let Some(d) = &draft {
                    self.put(note, d, content);
                }
                self.noted.store(true, Ordering::Relaxed);
                if let Ok(mut k) = self.kept.lock() {
                    k.entry(note.to_string()).or_default().push(Kept {
                        path: self.shown(rel),
                        reason: self.config.catalog.msg(&match &draft {
                            Some(d) => msg!("kept-edited-draft", draft = self.shown(d)),
                            None => msg!("kept-edited"),
                        }),
                        draft: draft.as_deref().map(|d| self.shown(d)),
                    });
                }
                draft
            }
            Ok(Written::KeptForeign) => {
                self.keep(note, rel, msg!("kept-not-ours"));
                None
            }
            Ok(_) => None,
            Err(e) => {
                self.fail(
                    note,
                    msg!("fail-write", path = self.shown(rel), error = e.to_string()),
                );
                None
            }
        }
    }

    fn push_row(&self, report: &NoteReport, client: &Facts, letters: &[(LetterKind, String)]) {
        let mut row = Row {
            since: client.since,
            client: report.client.as_str().into(),
            status: report.status,
            verdict: report.verdict,
            score: report.score,
            top: Row::no_top(),
            letters: letters.iter().map(|(k, _)| Row::letter_bit(*k)).sum(),
            lost_reason: (client.status == Status::Lost).then(|| {
                client
                    .lost_reason
                    .unwrap_or(crate::model::LostReason::Unknown)
            }),
        };
        for f in report
            .findings
            .iter()
            .filter(|f| f.weight > 0 || f.severity == crate::rules::Severity::Error)
        {
            row.add_top(f.rule);
        }
        if let Ok(mut arrived) = self.arrived.lock() {
            arrived.push((report.path.clone(), row));
        }
    }

    /// Files the rows that arrived since the last call in `rows`, in path
    /// order (a later row of the same note replaces an earlier one), and
    /// returns `rows`: every reader of the rows comes through here.
    fn file_rows(&self) -> std::sync::MutexGuard<'_, PathMap<Row>> {
        // `rows` first, and held while the arrived rows are taken: two
        // callers at once file them in the order they arrived (else an
        // older row of a note, taken first and filed last, could replace
        // a newer one). `push_row` takes only `arrived`: no lock cycle.
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        let mut arrived =
            std::mem::take(&mut *self.arrived.lock().unwrap_or_else(|p| p.into_inner()));
        // Stable: of two rows of one note, the later stays last.
        arrived.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, row) in arrived {
            // Appended when it sorts after the last row (so are all of a
            // chunk's, after the chunk before), else put in its place.
            rows.push(&path, row);
        }
        rows
    }

    /// True when a finding of a rule with trait `t` is on the note.
    fn fired(&self, report: &NoteReport, t: fn(&crate::rules::Traits) -> bool) -> bool {
        report
            .findings
            .iter()
            .any(|f| self.ruleset.rule(f.rule).has(t))
    }

    /// Writes `content` at `rel` for `note`, saying why when it is kept or
    /// fails: true when the file now holds it.
    fn put(&self, note: &str, rel: &str, content: &str) -> bool {
        match self.writer.put(rel, content) {
            Ok(Written::KeptEdited) => self.keep(note, rel, msg!("kept-edited")),
            Ok(Written::KeptForeign) => self.keep(note, rel, msg!("kept-not-ours")),
            Ok(_) => return true,
            Err(e) => self.fail(
                note,
                msg!("fail-write", path = self.shown(rel), error = e.to_string()),
            ),
        }
        false
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
            Err(e) => {
                return self.fail(
                    &report.path,
                    msg!("fail-render-annotation", error = e.to_string()),
                );
            }
        };
        let note = report.path.as_str();
        let new_inner = content.trim_matches('\n');
        // A block that is there already must be ours and unedited.
        let current = match annotate::find_block(text, body_offset) {
            Ok(range) => range.map(|r| annotate::inner(text, &r)),
            Err(annotate::Refusal(why)) => {
                return self.keep_note(note, note, msg!("kept-annotation-refused", why = why));
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
                    return self.keep_note(note, note, msg!("kept-annotation-edited"));
                }
                write::BlockOwner::Unknown => {
                    return self.keep_note(note, note, msg!("kept-annotation-foreign"));
                }
            }
        }
        let updated = match annotate::with_block(text, body_offset, &content) {
            Ok(u) => u,
            Err(annotate::Refusal(why)) => {
                return self.keep_note(note, note, msg!("kept-annotation-refused", why = why));
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
                    Ok(()) => {
                        self.writer.record_annotation(note, Some(new_inner));
                        if let Ok(mut a) = self.annotated.lock() {
                            a.push(file.to_path_buf());
                        }
                    }
                    Err(e) => self.fail(note, msg!("fail-annotate", error = e.to_string())),
                }
            }
            Ok(_) => self.keep_note(note, note, msg!("kept-annotation-changed")),
            Err(e) => self.fail(note, msg!("fail-annotate", error = e.to_string())),
        }
    }

    /// Writes the dashboard from every note's row and `tally`; after a
    /// full pass (`sweep`) removes the files of notes not seen in it;
    /// saves the manifest. Kept files and write failures go into `tally`.
    pub fn finish(&self, tally: &mut Tally, sweep: bool) {
        if let Ok(mut k) = self.kept.lock() {
            k.remove(FOLDER_KEY);
        }
        if let Ok(mut f) = self.failures.lock() {
            f.remove(FOLDER_KEY);
        }
        // notes-vet's bookkeeping files are machine state: keep them out of
        // git when the vault is a repository.
        if let Err(e) = self.writer.put(".gitignore", GITIGNORE) {
            self.fail(FOLDER_KEY, msg!("fail-gitignore", error = e.to_string()));
        }
        // The Obsidian Bases view of every summary, kept like any output;
        // made again only when what it is made from or the file changed
        // (as a note's files are).
        let in_folder = format!(
            "file.inFolder({:?})",
            format!("{}{}", self.vault_prefix, self.shown("summaries"))
        );
        let inputs = write::hash(format!("{}\0{in_folder}", self.fingerprint).as_bytes());
        let reused = self
            .writer
            .reuse(BASE_KEY, &inputs)
            .is_some_and(|outputs| outputs == ["clients.base"]);
        if !reused {
            let base = serde_json::json!({ "in_folder": in_folder });
            match self.renderer.render("clients.base", &base) {
                Ok(content) => {
                    if self.put(FOLDER_KEY, "clients.base", &content) {
                        self.writer.record_note(
                            BASE_KEY,
                            &inputs,
                            vec!["clients.base".to_string()],
                        );
                    }
                }
                Err(e) => self.fail(
                    FOLDER_KEY,
                    msg!(
                        "fail-render",
                        path = self.shown("clients.base"),
                        error = e.to_string()
                    ),
                ),
            }
        }
        if sweep {
            self.sweep(tally);
        }
        let kept = self.all_kept();
        self.write_dashboard(tally, &kept);
        if let Err(e) = self.writer.save() {
            self.fail(
                FOLDER_KEY,
                msg!(
                    "fail-manifest",
                    dir = self.writer.root().display().to_string(),
                    error = e.to_string()
                ),
            );
        }
        tally.kept = self.all_kept();
        let failures: Vec<NoteError> = self
            .failures
            .lock()
            .map(|f| {
                f.iter()
                    .flat_map(|(key, errors)| {
                        errors.iter().cloned().map(move |mut e| {
                            if key.starts_with('@') && e.path.starts_with('@') {
                                e.path = shown_in(&self.notes_dir, self.writer.root(), "index.md");
                            }
                            e
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        tally.errors.extend(failures);
        tally.errors.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// Writes the dashboard from the rows in memory, streamed to the
    /// file (its text grows with the folder and is never held whole);
    /// skipped when what it is made from and `index.md` are unchanged.
    fn write_dashboard(&self, tally: &Tally, kept: &[Kept]) {
        let rows_held = self.file_rows();
        let links = Links::new(self.writer.root(), &self.notes_dir, self.ruleset);
        // The dashboard gets the same shortcut as a note: when what it is
        // made from and index.md itself are unchanged, it is not rendered.
        let inputs = DashboardInputs {
            tally,
            kept,
            rows: &rows_held,
            links: &links,
        }
        .digest(&self.fingerprint);
        let reused = inputs
            .as_deref()
            .and_then(|i| self.writer.reuse(DASHBOARD_KEY, i))
            .is_some_and(|outputs| outputs == ["index.md"]);
        if reused {
            return;
        }
        let mut rows: Vec<(&str, &Row)> = rows_held.iter().collect();
        dashboard::sort_rows(&mut rows);
        let index = IndexDoc::new(&rows, &links, tally, kept);
        let mut failed: Option<TemplateError> = None;
        let mut fill = |out: &mut dyn std::io::Write| {
            self.render_dashboard(&index, &rows, &links, out)
                .map_err(|e| match e {
                    DashboardError::Io(e) => e,
                    DashboardError::Template(t) => {
                        failed = Some(t);
                        std::io::Error::other("template")
                    }
                })
        };
        let record = |this: &Self| {
            if let Some(i) = &inputs {
                this.writer
                    .record_note(DASHBOARD_KEY, i, vec!["index.md".to_string()]);
            }
        };
        let written = match self.writer.put_stream("index.md", &mut fill) {
            // The dashboard is a view: an edited one is saved aside and
            // written afresh, so it never goes stale.
            Ok(Written::KeptEdited) => match self.writer.set_aside("index.md") {
                Ok(aside) => {
                    // What is kept is the user's version, under its new
                    // name.
                    self.keep(FOLDER_KEY, &aside, msg!("kept-dashboard-aside"));
                    self.writer.put_stream("index.md", &mut fill).map(Some)
                }
                Err(e) => {
                    self.fail(
                        FOLDER_KEY,
                        msg!("fail-dashboard-aside", error = e.to_string()),
                    );
                    Ok(None)
                }
            },
            other => other.map(Some),
        };
        match (written, failed) {
            (_, Some(t)) => self.fail(
                FOLDER_KEY,
                msg!("fail-dashboard-render", error = t.to_string()),
            ),
            (Ok(Some(Written::KeptForeign)), None) => {
                self.keep(FOLDER_KEY, "index.md", msg!("kept-not-ours"))
            }
            (Ok(Some(Written::KeptEdited)) | Ok(None), None) => {}
            (Ok(Some(_)), None) => record(self),
            (Err(e), None) => self.fail(
                FOLDER_KEY,
                msg!("fail-dashboard-write", error = e.to_string()),
            ),
        }
    }

    /// Renders `index.md`, streaming the rows into the places it marks.
    fn render_dashboard(
        &self,
        index: &IndexDoc<'_>,
        rows: &[(&str, &Row)],
        links: &Links<'_>,
        out: &mut dyn std::io::Write,
    ) -> Result<(), DashboardError> {
        /// Rows rendered at a time: big enough that Tera's cost per call
        /// does not show, small enough that memory does not grow.
        const CHUNK: usize = 256;
        let main = self.renderer.render_raw("index.md", index)?;
        let mut tidy = crate::render::Tidy::new(out);
        use crate::render::{CLIENT_ROWS_MARK, WAITING_LETTERS_MARK};
        let clients = |tidy: &mut crate::render::Tidy<&mut dyn std::io::Write>| {
            for chunk in rows.chunks(CHUNK) {
                let notes: Vec<RowView> = chunk
                    .iter()
                    .map(|(path, row)| RowView { path, row, links })
                    .collect();
                let text = self
                    .renderer
                    .render_raw("index-clients.md", &ClientRows { notes: &notes })?;
                tidy.feed(&text)?;
            }
            Ok::<(), DashboardError>(())
        };
        let letters = |tidy: &mut crate::render::Tidy<&mut dyn std::io::Write>| {
            let mut all = rows
                .iter()
                .flat_map(|(path, row)| dashboard::waiting(path, row, links))
                .peekable();
            while all.peek().is_some() {
                let letters: Vec<_> = all.by_ref().take(CHUNK).collect();
                let text = self.renderer.render_raw(
                    "index-letters.md",
                    &WaitingRows {
                        letters: &letters,
                        today: &index.today,
                    },
                )?;
                tidy.feed(&text)?;
            }
            Ok::<(), DashboardError>(())
        };
        for piece in main.split_inclusive('\n') {
            // A mark on a line of its own stands for whole lines; one
            // inside a line (a template of the user's) is replaced where
            // it is.
            // (blanks around it, a CRLF template, are part of the line).
            match piece.trim() {
                CLIENT_ROWS_MARK => clients(&mut tidy)?,
                WAITING_LETTERS_MARK => letters(&mut tidy)?,
                _ => {
                    let mut rest = piece;
                    loop {
                        let next = [CLIENT_ROWS_MARK, WAITING_LETTERS_MARK]
                            .into_iter()
                            .filter_map(|m| rest.find(m).map(|at| (at, m)))
                            .min();
                        let Some((at, mark)) = next else {
                            tidy.feed(rest)?;
                            break;
                        };
                        tidy.feed(&rest[..at])?;
                        if mark == CLIENT_ROWS_MARK {
                            clients(&mut tidy)?;
                        } else {
                            letters(&mut tidy)?;
                        }
                        rest = &rest[at + mark.len()..];
                    }
                }
            }
        }
        tidy.finish()?;
        Ok(())
    }

    /// After a full pass: removes the files of notes not seen in it (the
    /// outputs of notes that could not be read stay), reporting the stale
    /// files kept because the user edited them.
    fn sweep(&self, tally: &Tally) {
        if let Ok(mut k) = self.kept.lock() {
            k.remove(SWEEP_KEY);
        }
        if let Ok(mut f) = self.failures.lock() {
            f.remove(SWEEP_KEY);
        }
        // The dashboard is written after the sweep: it is not stale.
        self.writer.confirm("index.md");
        // Outputs of notes that could not be read this time stay where they are.
        let broken: Vec<String> = tally
            .errors
            .iter()
            .map(|e| note_stem(&e.path).to_string())
            .chain(
                self.failures
                    .lock()
                    .map(|f| {
                        f.keys()
                            .map(|p| note_stem(p).to_string())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            )
            .collect();
        let retain = |rel: &str| broken.iter().any(|stem| belongs_to(rel, stem));
        match self.writer.sweep(&retain) {
            Ok(stale) => {
                for rel in stale {
                    self.keep(SWEEP_KEY, &rel, msg!("kept-stale-edited"));
                }
            }
            Err(e) => self.fail(SWEEP_KEY, msg!("fail-sweep", error = e.to_string())),
        }
    }

    /// Every kept file, sorted by path.
    fn all_kept(&self) -> Vec<Kept> {
        let mut kept: Vec<Kept> = self
            .kept
            .lock()
            .map(|k| k.values().flatten().cloned().collect())
            .unwrap_or_default();
        kept.sort_by(|a, b| a.path.cmp(&b.path));
        kept.dedup();
        kept
    }
}

/// The notes folder's path inside its vault, with a final `/`; empty when
/// it is the vault or not in one.
fn vault_prefix(notes_dir: &Path) -> String {
    let Some(vault) = crate::vault::vault_root(notes_dir) else {
        return String::new();
    };
    let notes = notes_dir
        .canonicalize()
        .unwrap_or_else(|_| notes_dir.to_path_buf());
    match notes.strip_prefix(&vault) {
        Ok(p) if !p.as_os_str().is_empty() => {
            format!("{}/", crate::scan::relative(Path::new(""), p))
        }
        _ => String::new(),
    }
}

/// `[[path]]` without the extension; a file name that a wikilink cannot
/// hold (`#`, `|`, `^`, `[`, `]` have meanings there) is given as its
/// plain path instead.
pub(crate) fn vault_link(path: &str) -> String {
    if path.contains(['#', '|', '^', '[', ']']) {
        path.to_string()
    } else {
        format!("[[{}]]", crate::scan::note_stem(path))
    }
}

/// What [`shown_in`] puts before the path of every output file: shown as
/// `{prefix}{rel}`.
fn shown_prefix(notes_dir: &Path, root: &Path) -> String {
    let probe = shown_in(notes_dir, root, "x");
    probe.strip_suffix('x').unwrap_or("").to_string()
}

pub(crate) fn shown_in(notes_dir: &Path, root: &Path, rel: &str) -> String {
    let abs = root.join(rel);
    match abs.strip_prefix(notes_dir) {
        Ok(p) => crate::scan::relative(Path::new(""), p),
        Err(_) => abs.display().to_string(),
    }
}

/// Where a letter is due, sent or neither.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LetterState {
    Due,
    /// Sent on this date (as the note records).
    Sent(Date),
    NotDue,
}

/// The fresh draft beside an edited letter: `x-rejection.md` ->
/// `x-rejection.draft.md`.
fn draft_of(rel: &str) -> String {
    match rel.strip_suffix(".md") {
        Some(stem) => format!("{stem}.draft.md"),
        None => format!("{rel}.draft"),
    }
}

fn is_draft(rel: &str) -> bool {
    rel.ends_with(".draft.md")
}

/// True when output `rel` belongs to the note whose stem is `stem`.
fn belongs_to(rel: &str, stem: &str) -> bool {
    rel == format!("summaries/{stem}.md")
        || ["rejection", "feedback", "expectations"].iter().any(|k| {
            rel == format!("letters/{stem}-{k}.md") || rel == format!("letters/{stem}-{k}.draft.md")
        })
}

pub use crate::scan::note_stem;

/// The output folder of `config` for notes folder `notes_dir`, absolute:
/// checked to be inside the notes root (the folder of the config file,
/// else `notes_dir`) with no symlink on the way, so nothing is ever
/// written or deleted outside the vault.
pub fn output_folder(config: &Config, notes_dir: &Path) -> Result<PathBuf, OutputError> {
    let cwd = std::env::current_dir().map_err(OutputError::Cwd)?;
    let abs = |p: &Path| crate::fsx::lexical(&cwd.join(p));
    let root = match config.file.as_deref().and_then(Path::parent) {
        Some(dir) => abs(dir),
        None => abs(notes_dir),
    };
    let output = abs(&config.output_dir);
    if output == root {
        return Err(OutputError::IsRoot(config.output_dir.clone()));
    }
    crate::fsx::check_real_folder(&root, &output).map_err(OutputError::Unsafe)?;
    Ok(output)
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

/// What `index-clients.md` is rendered with: a few hundred rows.
#[derive(Serialize)]
struct ClientRows<'a> {
    notes: &'a [RowView<'a>],
}

/// What `index-letters.md` is rendered with.
#[derive(Serialize)]
struct WaitingRows<'a> {
    letters: &'a [dashboard::WaitingLetter<'a>],
    today: &'a str,
}

/// Why the dashboard could not be made.
enum DashboardError {
    Template(TemplateError),
    Io(std::io::Error),
}

impl From<TemplateError> for DashboardError {
    fn from(e: TemplateError) -> Self {
        DashboardError::Template(e)
    }
}

impl From<std::io::Error> for DashboardError {
    fn from(e: std::io::Error) -> Self {
        DashboardError::Io(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output shown from the prefix made once reads as [`shown_in`]
    /// shows it: the output folder inside the notes folder, the two the
    /// same, or elsewhere.
    #[test]
    fn outputs_shown_from_the_prefix_read_as_shown_in() {
        let rels = [
            "summaries/a.md",
            "letters/clients/ş ü-rejection.md",
            "index.md",
        ];
        for (notes, root) in [
            ("/v/notes", "/v/notes/_vetted"),
            ("/v/notes", "/v/notes/out/deep"),
            ("/v/notes", "/v/notes"),
            ("/v/notes", "/elsewhere/out"),
        ] {
            let (notes, root) = (Path::new(notes), Path::new(root));
            let prefix = shown_prefix(notes, root);
            for rel in rels {
                assert_eq!(
                    format!("{prefix}{rel}"),
                    shown_in(notes, root, rel),
                    "{root:?}"
                );
            }
        }
    }
}
