//! Vets notes: one note at a time, independently ([`Vetter::vet_text`]), and
//! then the cheap folder-level pass ([`Vetter::folder`]). `check` runs this
//! over a whole folder in parallel; `watch` can re-vet a single note and
//! redo only the folder pass.

use crate::config::Config;
use crate::dates;
use crate::frontmatter::{self, Node, Pos};
use crate::model::{Client, Facts, FieldProblem, Status};
use crate::rules::{Check, FolderInput, Hit, NoteInput, NoteSummary, Ruleset, Scope, Severity};
use crate::scan::{self, NoteFile};
use crate::verdict::{self, Evidence, Verdict};
use jiff::civil::Date;
use rayon::prelude::*;
use std::path::Path;

/// One finding on a note (or on the folder).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// Index of the rule in the run's registry.
    pub rule: usize,
    pub severity: Severity,
    pub weight: u32,
    /// Key path such as `contacts` or `invoices[1]`; empty for the folder.
    pub field: String,
    pub pos: Pos,
    pub message: String,
    /// The note's line at `pos`, kept for human output.
    pub source: Option<String>,
}

/// Everything but the source line, which only the human report shows: a
/// note's files are made from the same inputs whatever the report's form
/// (hashed as a JSON run's finding, which has none, always was).
impl std::hash::Hash for Finding {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.rule.hash(h);
        self.severity.hash(h);
        self.weight.hash(h);
        self.field.hash(h);
        self.pos.hash(h);
        self.message.hash(h);
        None::<&str>.hash(h);
    }
}

/// The result of vetting one client note. Hashed (with what else its
/// files are made from) to tell whether they need making again.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct NoteReport {
    /// Path relative to the notes folder, `/`-separated.
    pub path: String,
    pub client: String,
    pub status: Status,
    pub since: Option<Date>,
    pub verdict: Verdict,
    pub score: u32,
    /// Findings that count, sorted by position.
    pub findings: Vec<Finding>,
    /// Codes that fired but were silenced by `vet_ignore`, sorted.
    pub suppressed: Vec<String>,
    /// Generated files for this note, relative to the notes folder.
    pub outputs: Vec<String>,
}

impl NoteReport {
    pub fn summary(&self) -> NoteSummary {
        NoteSummary {
            status: self.status,
            since: self.since,
        }
    }

    pub fn has_error(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// A note that could not be read or parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteError {
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
    pub source: Option<String>,
}

/// A generated file (or a note) notes-vet left as it was, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Kept {
    /// Relative to the notes folder when inside it.
    pub path: String,
    pub reason: String,
    /// A fresh draft written beside an edited letter, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
}

/// A note's text and parsed front matter, for the rules.
pub struct NoteBody<'a> {
    pub text: &'a str,
    pub root: &'a crate::frontmatter::Node,
    /// Where the markdown body starts in `text`.
    pub offset: usize,
    /// The note's lines, indexed once (for source lines in findings).
    pub lines: Lines<'a>,
}

/// The lines of a note, indexed on first use: a note with many findings
/// is split once, not once per finding.
pub struct Lines<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    /// Line `line` (1-based), without its line ending or a BOM.
    pub fn get(&self, line: u32) -> Option<String> {
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let i = line.checked_sub(1)? as usize;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(self.text.len(), |e| e - 1);
        let l = self.text.get(start..end)?;
        let l = l.strip_suffix('\r').unwrap_or(l);
        Some(l.trim_start_matches('\u{feff}').to_string())
    }
}

/// A vetted note's source, for the per-note hook.
pub struct NoteSource<'a> {
    /// The note's text; empty when it was not read (a cached parse, and
    /// nothing that needs more than the front matter: not annotating).
    pub text: &'a str,
    /// The content hash of the note's bytes ([`crate::cache::hash`]).
    pub hash: u64,
    /// Where the markdown body starts in `text`.
    pub body_offset: usize,
    /// The note's file.
    pub file: &'a Path,
    /// The report's digest ([`crate::write::hash_value128`]) when the
    /// results cache kept it: a hook need not hash the report again.
    pub report: Option<u128>,
}

/// Runs in the vetting worker for each client note, after its verdict; it
/// may fill `report.outputs` (used to write generated files).
pub trait NoteHook: Sync {
    fn note(&self, report: &mut NoteReport, client: &ClientRecord<'_>, source: &NoteSource<'_>);

    /// A run of notes (a chunk of a pass, in path order, each after the
    /// last chunk's) has been vetted: what the hook gathered from them in
    /// whatever order the workers finished can be filed in order.
    fn chunk_done(&self) {}
}

/// A vetted note's client record as the per-note hook gets it: the whole
/// record, or from the results cache its [`Facts`] at hand and the whole
/// record decoded only when asked for (when the note's files are made
/// again).
pub enum ClientRecord<'a> {
    Whole(&'a Client),
    /// From the results cache: its facts, and a way to read the rest,
    /// taken only when the note's files are made again.
    Cached {
        facts: Facts,
        read: &'a dyn Fn() -> Option<Vec<u8>>,
    },
}

impl ClientRecord<'_> {
    pub fn facts(&self) -> Facts {
        match self {
            ClientRecord::Whole(c) => c.facts(),
            ClientRecord::Cached { facts, .. } => *facts,
        }
    }

    /// The whole record; `None` only when cached bytes (checked, and
    /// written by this very version) cannot be read again or do not
    /// decode.
    pub fn whole(&self) -> Option<std::borrow::Cow<'_, Client>> {
        match self {
            ClientRecord::Whole(c) => Some(std::borrow::Cow::Borrowed(c)),
            ClientRecord::Cached { read, .. } => postcard::from_bytes(&read()?)
                .ok()
                .map(std::borrow::Cow::Owned),
        }
    }
}

/// What became of one note.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not vetted, and why.
    Skipped(Skip),
    Vetted(Box<NoteReport>),
    Failed(NoteError),
}

/// Why a markdown file is not vetted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Skip {
    /// Not a client note: no front matter, or no `client` key.
    NotClient,
    /// A note about a client (`client: "[[Acme Corp]]"`, a meeting note):
    /// its `client` is a link to the client's own note.
    Linked,
    /// A template: its front matter holds placeholders (`{{date}}`,
    /// `<% tp.date.now() %>`) that a template plugin fills in.
    Template,
}

/// What a run keeps while per-note reports stream past: counts, the
/// folder-level findings and the notes that could not be vetted.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub today: Date,
    /// Client notes vetted.
    pub notes: usize,
    /// Notes per verdict, in [`Verdict::ALL`] order.
    pub verdicts: [usize; 7],
    pub folder: Vec<Finding>,
    /// Markdown files that are not client notes (templates included).
    pub skipped: usize,
    /// Notes about a client that link to its note (`client: "[[Acme]]"`).
    pub linked: usize,
    /// Of the skipped, templates (front matter with placeholders).
    pub templates: usize,
    pub errors: Vec<NoteError>,
    /// Files left as they were because the user edited them (or they are
    /// not notes-vet's), and refused annotations.
    pub kept: Vec<Kept>,
    /// A vetted note has an error-severity finding.
    pub error_findings: bool,
}

impl Tally {
    pub fn new(today: Date) -> Tally {
        Tally {
            today,
            notes: 0,
            verdicts: [0; 7],
            folder: Vec::new(),
            skipped: 0,
            linked: 0,
            templates: 0,
            errors: Vec::new(),
            kept: Vec::new(),
            error_findings: false,
        }
    }

    /// Counts a note that was not vetted.
    pub fn skip(&mut self, why: Skip) {
        match why {
            Skip::NotClient => self.skipped += 1,
            Skip::Linked => self.linked += 1,
            Skip::Template => {
                self.skipped += 1;
                self.templates += 1;
            }
        }
    }

    pub fn count(&mut self, note: &NoteReport) {
        self.notes += 1;
        if let Some(i) = Verdict::ALL.iter().position(|v| *v == note.verdict) {
            self.verdicts[i] += 1;
        }
        self.error_findings |= note.has_error();
    }

    /// Exit code 1 when a note (or the folder) has an error-severity finding
    /// or a note could not be read.
    pub fn has_errors(&self) -> bool {
        self.error_findings
            || !self.errors.is_empty()
            || self.folder.iter().any(|f| f.severity == Severity::Error)
    }

    /// How many notes got each verdict, in [`Verdict::ALL`] order.
    pub fn verdict_counts(&self) -> Vec<(Verdict, usize)> {
        Verdict::ALL.iter().copied().zip(self.verdicts).collect()
    }
}

/// A whole run with every note's report kept (for tests and library users;
/// `check` streams instead).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub notes: Vec<NoteReport>,
    pub tally: Tally,
}

/// A note vetted, before the per-note hook: what the results cache keeps
/// of it, followed (for a client note) by its [`Client`] record, which
/// the hook is given. Written by [`Vetting::encode`], whose borrowed form
/// ([`SettledRef`]) encodes alike.
#[derive(serde::Deserialize)]
enum Settled {
    Skipped(Skip),
    Vetted {
        report: NoteReport,
        /// Where the note's body starts (for annotating).
        body_offset: usize,
        facts: Facts,
        /// The report's digest ([`NoteSource::report`]).
        digest: u128,
    },
}

/// [`Settled`] borrowed, to write.
#[derive(serde::Serialize)]
enum SettledRef<'a> {
    Skipped(Skip),
    Vetted {
        report: &'a NoteReport,
        body_offset: usize,
        facts: Facts,
        digest: u128,
    },
}

/// A note vetted, before the per-note hook.
enum Vetting {
    Skipped(Skip),
    Vetted(Box<NoteReport>, Box<Client>),
}

impl Vetting {
    /// Its results for the cache (see [`Settled`]): the report piece,
    /// then the client record.
    fn encode(&self, body_offset: usize) -> Option<crate::cache::Results> {
        match self {
            Vetting::Skipped(why) => {
                let bytes = postcard::to_stdvec(&SettledRef::Skipped(*why)).ok()?;
                let report = bytes.len();
                Some(crate::cache::Results::new(bytes, report))
            }
            Vetting::Vetted(report, client) => {
                let head = SettledRef::Vetted {
                    report,
                    body_offset,
                    facts: client.facts(),
                    digest: crate::write::hash_value128(&**report),
                };
                let bytes = postcard::to_stdvec(&head).ok()?;
                let report = bytes.len();
                let bytes = postcard::to_extend(&**client, bytes).ok()?;
                Some(crate::cache::Results::new(bytes, report))
            }
        }
    }
}

/// What [`Vetter::vet_read`] gives: the outcome, the parse when asked to
/// keep it, and the results to cache when asked to settle them.
struct Read {
    outcome: Outcome,
    parsed: Option<crate::cache::Parsed>,
    settled: Option<crate::cache::Results>,
}

impl Read {
    /// A note that gives nothing to cache (it does not parse).
    fn unsettled(outcome: Outcome) -> Read {
        Read {
            outcome,
            parsed: None,
            settled: None,
        }
    }
}

/// A note's bytes when they are still those the cache was made from (its
/// content `hash`): what needs the text of a cached note reads it here.
fn text_as_cached(path: &Path, hash: u64) -> Option<Vec<u8>> {
    crate::fsx::read_regular(path, crate::fsx::NOTE_CAP)
        .ok()
        .filter(|b| crate::cache::hash(b) == hash)
}

/// How many notes are vetted in parallel before their reports are handed
/// on, in path order. Bounds memory on very large folders.
const CHUNK: usize = 1024;

/// The last chunks are smaller: the last one's reports are handed on
/// while nothing else runs.
const LAST_CHUNK: usize = 256;

/// The ranges of `len` notes vetted one after another: [`CHUNK`] at a
/// time, and the last [`CHUNK`] at most [`LAST_CHUNK`] at a time.
fn chunks(len: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let size = if len - start > CHUNK {
            CHUNK
        } else {
            LAST_CHUNK
        };
        let range = start..(start + size).min(len);
        start = range.end;
        (!range.is_empty()).then_some(range)
    })
}

/// Everything vetting needs: the rules with their settings, the config and
/// today. Vetting is a pure function of these and the note.
pub struct Vetter<'a> {
    pub ruleset: &'a Ruleset,
    pub config: &'a Config,
    pub today: Date,
    /// Keep each finding's source line (for human output).
    pub keep_source: bool,
}

impl Vetter<'_> {
    /// A message in the run's language.
    fn words(&self, msg: &crate::i18n::Msg) -> String {
        self.config.catalog.msg(msg)
    }

    /// Reads and vets one note file.
    pub fn vet_file(&self, note: &NoteFile, hook: Option<&dyn NoteHook>) -> Outcome {
        self.vet_file_with(note, hook, None, false, 0).0
    }

    /// Vets a note file, taking what the cache has of it when the note is
    /// unchanged there (see [`crate::cache`]): its results when they were
    /// made under `results` (the run's [`Vetter::results_key`]; 0: not
    /// used), else its parse. With `record`, also returns what to put in
    /// the next cache (with this run's results when `results` is not 0).
    pub fn vet_file_with(
        &self,
        note: &NoteFile,
        hook: Option<&dyn NoteHook>,
        cache: Option<&crate::cache::Reader>,
        record: bool,
        results: u64,
    ) -> (Outcome, Option<crate::cache::Record>) {
        use crate::cache::{self, Hit, Parsed, Record};
        let key = if cache.is_some() || record {
            cache::FileKey::of(&note.path)
        } else {
            None
        };
        let with_path = hook.map(|h| (h, note.path.as_path()));
        let settle = record && results != 0;
        if let (Some(c), Some(k)) = (cache, key)
            && let Some(hit) = c.lookup(&note.rel, k, results)
        {
            match hit {
                Hit::Settled {
                    results: bytes,
                    client,
                    hash,
                    at,
                } => {
                    // Damaged results (or an unreadable note to annotate):
                    // the note is read and vetted again below.
                    let read = || c.client(client);
                    if let Some(outcome) = self.settled_outcome(&bytes, &read, hash, with_path) {
                        return (outcome, record.then(|| Record::stored(k, hash, at)));
                    }
                }
                Hit::Parsed {
                    parsed, part, hash, ..
                } => {
                    // The text itself is read only when something needs
                    // more than the front matter: Lua rules (the body), or
                    // annotating.
                    let need_text =
                        !self.ruleset.lua_on.is_empty() || (hook.is_some() && self.config.annotate);
                    let bytes = need_text
                        .then(|| text_as_cached(&note.path, hash))
                        .flatten();
                    if !need_text || bytes.is_some() {
                        let text = bytes.as_deref().and_then(|b| std::str::from_utf8(b).ok());
                        let (vetting, body_offset) = match &parsed {
                            Parsed::NoFrontMatter => (Vetting::Skipped(Skip::NotClient), 0),
                            Parsed::Front {
                                root,
                                body_offset,
                                front,
                                ..
                            } => (
                                self.recording(settle).vet_front(
                                    &note.rel,
                                    root.as_ref(),
                                    *body_offset,
                                    front,
                                    text,
                                ),
                                *body_offset,
                            ),
                        };
                        let settled = settle.then(|| vetting.encode(body_offset)).flatten();
                        let rec = record.then(|| Record::settled(k, hash, &part, settled.as_ref()));
                        let source = |file| NoteSource {
                            text: text.unwrap_or(""),
                            hash,
                            body_offset,
                            file,
                            report: None,
                        };
                        return (self.conclude(vetting, with_path, source), rec);
                    }
                }
            }
        }
        // Only a regular file of sane size: a 2 GB note is refused, not read.
        let bytes = match crate::fsx::read_regular(&note.path, crate::fsx::NOTE_CAP) {
            Ok(b) => b,
            Err(e) => {
                let failed = Outcome::Failed(NoteError {
                    path: note.rel.clone(),
                    pos: None,
                    message: self.words(&crate::msg!("note-unreadable", error = e.to_string())),
                    source: None,
                });
                return (failed, None);
            }
        };
        let hash = cache::hash(&bytes);
        // Read again (its identity changed) but the text it was: its
        // cached results stand.
        if let (Some(c), Some(k)) = (cache, key)
            && let Some(Hit::Settled {
                results: cached,
                client,
                at,
                ..
            }) = c.results_for_text(&note.rel, hash, results)
            && let Some(outcome) =
                self.settled_outcome(&cached, &|| c.client(client), hash, with_path)
        {
            c.count_same_text();
            return (outcome, record.then(|| Record::stored(k, hash, at)));
        }
        match std::str::from_utf8(&bytes) {
            Ok(text) => {
                let read = self.vet_read(&note.rel, text, hash, with_path, record, settle);
                let rec = match (key, read.parsed) {
                    (Some(k), Some(p)) => crate::cache::ParsePart::new(&p)
                        .map(|part| Record::settled(k, hash, &part, read.settled.as_ref())),
                    _ => None,
                };
                (read.outcome, rec)
            }
            Err(e) => {
                let valid = &bytes[..e.valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&valid[line_start..])
                    .chars()
                    .count()
                    + 1;
                let failed = Outcome::Failed(NoteError {
                    path: note.rel.clone(),
                    pos: Some(Pos {
                        line: line as u32,
                        column: column as u32,
                    }),
                    message: self.words(&crate::msg!("note-not-utf8")),
                    source: None,
                });
                (failed, None)
            }
        }
    }

    /// What a note's results depend on besides the note itself: a hash of
    /// notes-vet's version, today, what vetting reads of the config (the
    /// catalog's language and the user's message overrides, the practice,
    /// the verdict thresholds), the rules' settings, and the Lua plugins'
    /// files and budgets. Not where things are (the config file, the
    /// output folder): a run given the folder as `.` and one given its
    /// full path share the results. Two runs with the same key vet an
    /// unchanged note alike, so the second takes the first's results from
    /// the cache. Never 0.
    pub fn results_key(&self) -> u64 {
        let plugins = self
            .ruleset
            .registry
            .plugins()
            .map_or(0, crate::plugins::PluginSet::fingerprint);
        let c = self.config;
        let text = format!(
            "{}\0{}\0{:?}\0{:?}\0{:?}\0{:?}\0{plugins}",
            env!("CARGO_PKG_VERSION"),
            self.today,
            c.catalog,
            c.practice,
            c.verdict,
            self.ruleset.effective,
        );
        crate::cache::hash(text.as_bytes()).max(1)
    }

    /// This vetter, keeping findings' source lines when `settle`: results
    /// are cached with them, so that a human report and a JSON one share
    /// the cache ([`Vetter::fit`] drops them again).
    fn recording(&self, settle: bool) -> Vetter<'_> {
        Vetter {
            ruleset: self.ruleset,
            config: self.config,
            today: self.today,
            keep_source: self.keep_source || settle,
        }
    }

    /// A report as this vetter makes it: without source lines unless it
    /// keeps them.
    fn fit(&self, report: &mut NoteReport) {
        if !self.keep_source {
            for f in &mut report.findings {
                f.source = None;
            }
        }
    }

    /// A note's outcome from its cached results; `None` when they do not
    /// decode, or when annotating needs the note's text and it is not the
    /// text they were made from.
    fn settled_outcome(
        &self,
        bytes: &[u8],
        client: &dyn Fn() -> Option<Vec<u8>>,
        hash: u64,
        hook: Option<(&dyn NoteHook, &Path)>,
    ) -> Option<Outcome> {
        let settled = postcard::from_bytes::<Settled>(bytes).ok()?;
        let (mut report, body_offset, facts, digest) = match settled {
            Settled::Skipped(why) => return Some(Outcome::Skipped(why)),
            Settled::Vetted {
                report,
                body_offset,
                facts,
                digest,
            } => (report, body_offset, facts, digest),
        };
        self.fit(&mut report);
        if let Some((hook, file)) = hook {
            let client = ClientRecord::Cached {
                facts,
                read: client,
            };
            let bytes = if self.config.annotate {
                Some(text_as_cached(file, hash)?)
            } else {
                None
            };
            let text = bytes.as_deref().and_then(|b| std::str::from_utf8(b).ok());
            hook.note(
                &mut report,
                &client,
                &NoteSource {
                    text: text.unwrap_or(""),
                    hash,
                    body_offset,
                    file,
                    report: Some(digest),
                },
            );
        }
        Some(Outcome::Vetted(Box::new(report)))
    }

    /// The outcome of a note vetted here: its report fitted to this
    /// vetter and given to the hook.
    fn conclude<'s>(
        &self,
        vetting: Vetting,
        hook: Option<(&dyn NoteHook, &'s Path)>,
        source: impl FnOnce(&'s Path) -> NoteSource<'s>,
    ) -> Outcome {
        match vetting {
            Vetting::Skipped(why) => Outcome::Skipped(why),
            Vetting::Vetted(mut report, client) => {
                self.fit(&mut report);
                if let Some((hook, file)) = hook {
                    hook.note(&mut report, &ClientRecord::Whole(&client), &source(file));
                }
                Outcome::Vetted(report)
            }
        }
    }

    /// Vets one note's text. `rel` is its path relative to the notes folder.
    pub fn vet_text(&self, rel: &str, text: &str) -> Outcome {
        let hash = crate::cache::hash(text.as_bytes());
        self.vet_read(rel, text, hash, None, false, false).outcome
    }

    /// Vets one note's text, and returns its parse (when it parsed) with
    /// the outcome: the tree the findings point into.
    pub fn vet_text_parsed(
        &self,
        rel: &str,
        text: &str,
    ) -> (Outcome, Option<crate::cache::Parsed>) {
        let hash = crate::cache::hash(text.as_bytes());
        let read = self.vet_read(rel, text, hash, None, true, false);
        (read.outcome, read.parsed)
    }

    /// Parses and vets a note's text; with `keep`, also returns the parse
    /// (for the cache) when it succeeded, and with `settle` the results
    /// to cache.
    fn vet_read(
        &self,
        rel: &str,
        text: &str,
        hash: u64,
        hook: Option<(&dyn NoteHook, &Path)>,
        keep: bool,
        settle: bool,
    ) -> Read {
        use crate::cache::Parsed;
        let front = match frontmatter::parse(text) {
            Ok(Some(f)) => f,
            Ok(None) => {
                return Read {
                    outcome: Outcome::Skipped(Skip::NotClient),
                    parsed: keep.then_some(Parsed::NoFrontMatter),
                    settled: settle
                        .then(|| Vetting::Skipped(Skip::NotClient).encode(0))
                        .flatten(),
                };
            }
            // A template's placeholders are not YAML; they are filled in
            // when a note is made from it.
            Err(_) if has_placeholders(text) => {
                return Read::unsettled(Outcome::Skipped(Skip::Template));
            }
            Err(e) => {
                return Read::unsettled(Outcome::Failed(NoteError {
                    path: rel.to_string(),
                    pos: e.pos,
                    source: e
                        .pos
                        .filter(|_| self.keep_source)
                        .and_then(|p| Lines::new(text).get(p.line)),
                    message: self.words(&e.message),
                }));
            }
        };
        let offset = front.body_offset.min(text.len());
        let vetting = self.recording(settle).vet_front(
            rel,
            front.root.as_ref(),
            offset,
            &text[..offset],
            Some(text),
        );
        let settled = settle.then(|| vetting.encode(offset)).flatten();
        let outcome = self.conclude(vetting, hook, |file| NoteSource {
            text,
            hash,
            body_offset: offset,
            file,
            report: None,
        });
        let parsed = keep.then(|| Parsed::Front {
            format: front.format,
            root: front.root,
            body_offset: offset,
            front: text[..offset].to_string(),
        });
        Read {
            outcome,
            parsed,
            settled,
        }
    }

    /// Vets a parsed note: `front` is its text up to the body, `text` the
    /// whole of it when it was read (a cached parse leaves it unread unless
    /// Lua rules or annotating need it).
    fn vet_front(
        &self,
        rel: &str,
        root: Option<&Node>,
        body_offset: usize,
        front: &str,
        text: Option<&str>,
    ) -> Vetting {
        let Some(root) = root else {
            return Vetting::Skipped(Skip::NotClient);
        };
        if crate::model::client_is_link(root) {
            return Vetting::Skipped(Skip::Linked);
        }
        // `front` is the note up to its body: the fences hold no `{{`.
        if placeholders_in(front) {
            return Vetting::Skipped(Skip::Template);
        }
        let Some(mut client) = Client::from_front_matter(root) else {
            return Vetting::Skipped(Skip::NotClient);
        };
        self.check_ignores(&mut client);
        if client.name == crate::model::UNNAMED {
            client.name = self.words(&crate::i18n::Msg::new("client-unnamed"));
        }
        let whole = text.unwrap_or(front);
        let body = NoteBody {
            text: whole,
            root,
            offset: body_offset.min(whole.len()),
            lines: Lines::new(whole),
        };
        let report = self.vet_client(rel, &client, &body);
        Vetting::Vetted(Box::new(report), Box::new(client))
    }

    /// `vet_ignore` entries must name known rules.
    fn check_ignores(&self, client: &mut Client) {
        for (i, ig) in client.vet_ignore.iter().enumerate() {
            if self.ruleset.registry.find(&ig.code).is_none() {
                client.problems.push(FieldProblem {
                    field: format!("vet_ignore[{i}]"),
                    pos: ig.pos,
                    expected: "expect-known-rule",
                    found: crate::msg!("found-string", value = &ig.code),
                });
            }
        }
    }

    fn vet_client(&self, rel: &str, client: &Client, note: &NoteBody<'_>) -> NoteReport {
        let ignored = |code: &str| {
            client
                .vet_ignore
                .iter()
                .any(|i| i.code.eq_ignore_ascii_case(code))
        };
        let mut findings = Vec::new();
        let mut suppressed: Vec<String> = Vec::new();
        let run =
            |scope: Scope,
             verdict: Option<Verdict>,
             findings: &mut Vec<Finding>,
             suppressed: &mut Vec<String>| {
                let input = NoteInput {
                    client,
                    today: self.today,
                    practice: &self.config.practice,
                    verdict,
                };
                for (index, rule, eff) in self.ruleset.iter() {
                    if eff.severity == Severity::Off || rule.meta.scope != scope {
                        continue;
                    }
                    let Check::Note(check) = rule.check else {
                        continue;
                    };
                    let hits = check(&input, &eff.options);
                    if hits.is_empty() {
                        continue;
                    }
                    if ignored(&rule.meta.code) {
                        suppressed.push(rule.meta.code.to_string());
                        continue;
                    }
                    findings.extend(hits.into_iter().map(|h| {
                        self.finding(index, eff.severity, eff.weight, h, Some(&note.lines))
                    }));
                }
            };
        run(Scope::Note, None, &mut findings, &mut suppressed);
        self.run_lua(rel, client, note, &ignored, &mut findings, &mut suppressed);
        let fired = |findings: &[Finding], t: fn(&crate::rules::Traits) -> bool| {
            findings.iter().any(|f| self.ruleset.rule(f.rule).has(t))
        };
        let evidence = Evidence {
            score: findings
                .iter()
                .fold(0u32, |s, f| s.saturating_add(f.weight)),
            blocking_error: findings
                .iter()
                .any(|f| f.severity == Severity::Error && f.weight > 0),
            hardship: fired(&findings, |t| t.hardship),
            boundary_violation: fired(&findings, |t| t.boundary_violation),
        };
        let status = client.status();
        let verdict = verdict::decide(status, evidence, self.config.verdict);
        run(
            Scope::AfterVerdict,
            Some(verdict),
            &mut findings,
            &mut suppressed,
        );
        findings.sort_by(|a, b| a.pos.cmp(&b.pos).then(a.rule.cmp(&b.rule)));
        suppressed.sort();
        suppressed.dedup();
        NoteReport {
            path: rel.to_string(),
            client: client.name.clone(),
            status,
            since: client.since.as_ref().map(|s| s.value),
            verdict,
            score: findings
                .iter()
                .fold(0u32, |s, f| s.saturating_add(f.weight)),
            findings,
            suppressed,
            outputs: Vec::new(),
        }
    }

    /// Runs the Lua rules on a note (in this thread's Lua state, which is
    /// not touched at all when no plugin is loaded). A failure becomes NV002.
    fn run_lua(
        &self,
        rel: &str,
        client: &Client,
        note: &NoteBody<'_>,
        ignored: &dyn Fn(&str) -> bool,
        findings: &mut Vec<Finding>,
        suppressed: &mut Vec<String>,
    ) {
        let Some(plugins) = self.ruleset.registry.plugins() else {
            return;
        };
        let registry_index = &self.ruleset.lua_on;
        if registry_index.is_empty() {
            return;
        }
        let wanted: Vec<(usize, &crate::rules::Options)> = registry_index
            .iter()
            .map(|&(l, i)| (l, &self.ruleset.effective[i].options))
            .collect();
        let body = note.text.get(note.offset..).unwrap_or("");
        let body_line = 1 + note.text[..note.offset.min(note.text.len())]
            .matches('\n')
            .count() as u32;
        let input = crate::plugins::LuaNote {
            path: rel,
            client: &client.name,
            status: client.status().as_str(),
            root: note.root,
            body,
            body_line,
            client_pos: client.name_pos,
            today: self.today,
            practice: &self.config.practice,
            ruleset: self.ruleset.id,
        };
        let nv002 = self.ruleset.nv002;
        for (lua_index, result) in plugins.run(&input, &wanted) {
            let Some(&(_, index)) = registry_index.iter().find(|(l, _)| *l == lua_index) else {
                continue;
            };
            let rule = self.ruleset.rule(index);
            let eff = &self.ruleset.effective[index];
            match result {
                Ok(hits) if hits.is_empty() => {}
                Ok(_) if ignored(&rule.meta.code) => suppressed.push(rule.meta.code.to_string()),
                Ok(hits) => {
                    for h in hits {
                        // A `field` the note lacks: the finding stays, and
                        // NV002 tells the rule's author.
                        if h.missing_field
                            && let Some(nv002) = nv002
                            && self.ruleset.effective[nv002].severity != Severity::Off
                            && !ignored(&self.ruleset.rule(nv002).meta.code)
                        {
                            let e2 = &self.ruleset.effective[nv002];
                            let hit = Hit::new(
                                h.field.clone(),
                                h.pos,
                                crate::msg!(
                                    "plugin-field-missing",
                                    field = &h.field,
                                    code = rule.meta.code.as_ref()
                                ),
                            );
                            findings.push(self.finding(
                                nv002,
                                e2.severity,
                                e2.weight,
                                hit,
                                Some(&note.lines),
                            ));
                        }
                        let hit = Hit::plain(h.field, h.pos, h.message);
                        findings.push(self.finding(
                            index,
                            eff.severity,
                            eff.weight,
                            hit,
                            Some(&note.lines),
                        ));
                    }
                }
                Err(failure) => {
                    let Some(nv002) = nv002 else { continue };
                    let e2 = &self.ruleset.effective[nv002];
                    if e2.severity == Severity::Off {
                        continue;
                    }
                    let code = &self.ruleset.rule(nv002).meta.code;
                    if ignored(code) {
                        suppressed.push(code.to_string());
                        continue;
                    }
                    let hit = Hit::new("", client.name_pos, failure.message);
                    findings.push(self.finding(
                        nv002,
                        e2.severity,
                        e2.weight,
                        hit,
                        Some(&note.lines),
                    ));
                }
            }
        }
    }

    fn finding(
        &self,
        rule: usize,
        severity: Severity,
        weight: u32,
        hit: Hit,
        lines: Option<&Lines<'_>>,
    ) -> Finding {
        let source = match lines {
            Some(l) if self.keep_source && hit.pos.line > 0 => l.get(hit.pos.line),
            _ => None,
        };
        Finding {
            rule,
            severity,
            weight,
            field: hit.field,
            pos: hit.pos,
            message: self.config.catalog.text(&hit.message),
            source,
        }
    }

    /// The folder-level pass over the vetted notes.
    pub fn folder(&self, notes: &[NoteSummary]) -> Vec<Finding> {
        let input = FolderInput {
            notes,
            today: self.today,
        };
        let mut out = Vec::new();
        for (index, rule, eff) in self.ruleset.iter() {
            if eff.severity == Severity::Off {
                continue;
            }
            if let Check::Folder(check) = rule.check {
                out.extend(
                    check(&input, &eff.options)
                        .into_iter()
                        .map(|h| self.finding(index, eff.severity, eff.weight, h, None)),
                );
            }
        }
        // Lua rules turned off after running out of their budget too often:
        // said once, for the folder.
        if let (Some(plugins), Some(nv002)) = (self.ruleset.registry.plugins(), self.ruleset.nv002)
        {
            let e2 = &self.ruleset.effective[nv002];
            if e2.severity != Severity::Off {
                for (code, overruns, at) in plugins.turned_off() {
                    let hit = Hit::new(
                        "",
                        Pos::default(),
                        crate::msg!("plugin-turned-off", code = code, count = overruns, at = at),
                    );
                    out.push(self.finding(nv002, e2.severity, e2.weight, hit, None));
                }
            }
        }
        out
    }

    /// Vets every note of a folder in parallel. Each client note's report
    /// is handed to `on_note` in path order and then dropped; `progress` is
    /// called once per note.
    pub fn vet_folder(
        &self,
        root: &Path,
        progress: &(dyn Fn() + Sync),
        hook: Option<&dyn NoteHook>,
        on_note: &mut dyn FnMut(NoteReport),
    ) -> Tally {
        let mut tally = Tally::new(self.today);
        let mut summaries: Vec<NoteSummary> = Vec::new();
        let problems = self.vet_each(root, progress, hook, &mut |_, o| match o {
            Outcome::Skipped(why) => tally.skip(why),
            Outcome::Vetted(n) => {
                tally.count(&n);
                summaries.push(n.summary());
                on_note(*n);
            }
            Outcome::Failed(e) => tally.errors.push(e),
        });
        tally.errors.extend(problems);
        tally.errors.sort_by(|a, b| a.path.cmp(&b.path));
        // No client notes, no folder to speak of (a pipeline of none).
        if !summaries.is_empty() {
            tally.folder = self.folder(&summaries);
        }
        tally
    }

    /// Scans `root` and vets every note in parallel, handing each note's
    /// outcome to `on_outcome` in path order (`watch` keeps them all).
    /// Returns the folder entries that could not be listed.
    pub fn vet_each(
        &self,
        root: &Path,
        progress: &(dyn Fn() + Sync),
        hook: Option<&dyn NoteHook>,
        on_outcome: &mut dyn FnMut(&NoteFile, Outcome),
    ) -> Vec<NoteError> {
        self.vet_each_cached(root, progress, hook, None, None, on_outcome)
    }

    /// [`Vetter::vet_each`] taking unchanged notes' parses from `cache`,
    /// and writing every note's into `next` (in path order) as it goes.
    pub fn vet_each_cached(
        &self,
        root: &Path,
        progress: &(dyn Fn() + Sync),
        hook: Option<&dyn NoteHook>,
        cache: Option<&crate::cache::Reader>,
        next: Option<&mut crate::cache::Writer>,
        on_outcome: &mut dyn FnMut(&NoteFile, Outcome),
    ) -> Vec<NoteError> {
        let scan = scan::scan(root, self.config);
        self.vet_scanned(root, scan, progress, hook, cache, next, on_outcome)
    }

    /// [`Vetter::vet_each_cached`] on the notes of `scan`, a scan of
    /// `root` made beforehand (while something else was being read).
    #[allow(clippy::too_many_arguments)]
    pub fn vet_scanned(
        &self,
        root: &Path,
        scan: scan::Scan,
        progress: &(dyn Fn() + Sync),
        hook: Option<&dyn NoteHook>,
        cache: Option<&crate::cache::Reader>,
        mut next: Option<&mut crate::cache::Writer>,
        on_outcome: &mut dyn FnMut(&NoteFile, Outcome),
    ) -> Vec<NoteError> {
        // Folders are looked up afresh by each pass (see the function).
        crate::fsx::forget_folders();
        let record = next.is_some();
        let results = self.results_key();
        debug_assert!(next.as_ref().is_none_or(|w| w.results() == results));
        let mut problems: Vec<NoteError> = Vec::new();
        if hook.is_some() {
            // A writing run removes what a killed one left beside the notes.
            for leftover in &scan.leftovers {
                if let Err(err) = std::fs::remove_file(leftover) {
                    problems.push(NoteError {
                        path: scan::relative(root, leftover),
                        pos: None,
                        message: self.words(&crate::msg!("note-leftover", error = err.to_string())),
                        source: None,
                    });
                }
            }
        }
        let scan::Scan {
            notes,
            problems: scan_problems,
            collisions,
            ..
        } = scan;
        // A chunk is vetted while the one before is handed on (reported,
        // its cache entries written) on this thread: the workers do not
        // wait for the report, nor the report for the workers. At most
        // three chunks are held (one handed on, one waiting, one being
        // vetted): memory stays bounded.
        std::thread::scope(|s| {
            let (send, receive) = std::sync::mpsc::sync_channel(1);
            let notes = &notes;
            let collisions = &collisions;
            s.spawn(move || {
                for range in chunks(notes.len()) {
                    let chunk = notes.files(range);
                    let outcomes: Vec<(Outcome, Option<crate::cache::Record>)> = chunk
                        .par_iter()
                        .map(|n| {
                            let o = match collisions.get(&n.rel) {
                                Some(earlier) => (
                                    Outcome::Failed(collision(
                                        &self.config.catalog,
                                        &n.rel,
                                        earlier,
                                    )),
                                    None,
                                ),
                                None => self.vet_file_with(n, hook, cache, record, results),
                            };
                            progress();
                            o
                        })
                        .collect();
                    if let Some(h) = hook {
                        h.chunk_done();
                    }
                    // The receiver gone (it never goes before the end).
                    if send.send((chunk, outcomes)).is_err() {
                        break;
                    }
                }
            });
            for (chunk, outcomes) in receive {
                for (note, (o, rec)) in chunk.iter().zip(outcomes) {
                    if let (Some(w), Some(rec)) = (next.as_deref_mut(), rec) {
                        // A failure is kept by the writer: this run goes
                        // on, and finishing the cache says it (the old one
                        // is left as it was).
                        let _ = w.add(&note.rel, &rec, cache);
                    }
                    on_outcome(note, o);
                }
            }
        });
        // A Lua rule that ran out of its budget may not on the next run.
        if let Some(w) = next
            && self.ruleset.registry.plugins().is_some_and(|p| p.overran())
        {
            w.forget_results();
        }
        problems.extend(scan_problems.into_iter().map(|p| NoteError {
            path: p.rel,
            pos: None,
            message: p.message,
            source: None,
        }));
        problems
    }

    /// True when `root` holds a client note, or a note that fails to parse
    /// (it may be one): stops at the first. Used before anything is
    /// written, so that a folder without client notes gets no output folder.
    pub fn has_client_notes(&self, root: &Path) -> bool {
        scan::scan(root, self.config)
            .notes
            .iter()
            .any(|n| !matches!(self.vet_file(&n, None), Outcome::Skipped(_)))
    }

    /// Vets a folder and keeps every report.
    pub fn report(&self, root: &Path) -> Report {
        let mut notes = Vec::new();
        let tally = self.vet_folder(root, &|| {}, None, &mut |n| notes.push(n));
        Report { notes, tally }
    }
}

/// The error of a note whose generated files would overwrite those of
/// `earlier`.
pub fn collision(catalog: &crate::i18n::Catalog, rel: &str, earlier: &str) -> NoteError {
    NoteError {
        path: rel.to_string(),
        pos: None,
        message: catalog.msg(&crate::msg!("note-collision", earlier = earlier)),
        source: None,
    }
}

/// True when a note's front matter holds template placeholders: `{{date}}`
/// (Obsidian's core Templates) or `<% ... %>` (Templater).
fn has_placeholders(text: &str) -> bool {
    // Only the front matter counts: the first fenced block.
    match crate::frontmatter::split::split(text) {
        Ok(Some(s)) => placeholders_in(s.front),
        _ => false,
    }
}

/// True when `front`, a front matter already split from its note (fences
/// or not), holds template placeholders.
fn placeholders_in(front: &str) -> bool {
    // Every note's front matter is looked at: memchr's search, not the
    // standard library's, which is slow for two-byte needles.
    let has = |open: &str, close: &str| {
        let front = front.as_bytes();
        memchr::memmem::find(front, open.as_bytes()).is_some_and(|i| {
            memchr::memmem::find(&front[i + open.len()..], close.as_bytes()).is_some()
        })
    };
    has("{{", "}}") || has("<%", "%>")
}

/// Parses `--today` / `NOTES_VET_TODAY`.
pub fn parse_today(s: &str) -> Option<Date> {
    dates::parse_date(s.trim())
}

#[cfg(test)]
mod tests {
    /// Chunks cover the notes once, in order: large ones, then small ones
    /// for at most the last [`super::CHUNK`] notes.
    #[test]
    fn chunks_cover_the_notes_in_order_and_end_small() {
        for len in [0, 1, 255, 256, 257, 2048, 2049, 3000, 10_000] {
            let ranges: Vec<_> = super::chunks(len).collect();
            let mut next = 0;
            for r in &ranges {
                assert_eq!(r.start, next);
                assert!(!r.is_empty());
                next = r.end;
            }
            assert_eq!(next, len);
            let small = ranges
                .iter()
                .filter(|r| r.len() <= super::LAST_CHUNK)
                .count();
            assert!(
                small <= super::CHUNK / super::LAST_CHUNK,
                "{len}: {ranges:?}"
            );
        }
        let sizes: Vec<usize> = super::chunks(10_000).map(|r| r.len()).collect();
        assert_eq!(sizes, [&[1024; 9][..], &[256, 256, 256, 16]].concat());
    }
}
