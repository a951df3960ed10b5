//! `watch`: one full pass like `check`, then every output kept current as
//! notes change, until stopped. The loop and its in-memory state live here;
//! vetting is the [`Vetter`]'s and writing the [`Publisher`]'s, exactly as
//! for `check` (the README's "Watching a folder").
//!
//! - [`events`] turns file-system events into batches of touched notes.
//! - [`state`] keeps every note's last result; the folder pass, counts and
//!   dashboard are redone from it without reading other notes.
//! - A batch re-reads only the touched notes (those whose size, mtime or
//!   inode changed), writes their files, then the dashboard once.
//! - A note that fails to parse, or stops being a client note, is reported
//!   only once it has been stable for one debounce period (an editor may be
//!   half-way through a save); its files are never removed for a parse
//!   failure.
//! - The config, plugins and templates are reloaded when they change; a
//!   broken set is reported and the last good one stays in force.

pub mod events;
pub mod state;

use crate::config::Config;
use crate::engine::{Finding, Kept, NoteError, NoteReport, Outcome, Tally, Vetter};
use crate::i18n::Lang;
use crate::lock::FolderLock;
use crate::publish::Publisher;
use crate::rules::Ruleset;
use crate::scan::NoteFile;
use crate::settings::{LoadError, Settings as Loaded};
use crate::verdict::Verdict;
use events::{Msg, Touched};
use jiff::civil::Date;
use rayon::prelude::*;
use state::{Change, FileId, FolderState};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How `watch` runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The notes folder.
    pub root: PathBuf,
    /// `--config`: this file instead of the discovered one.
    pub config: Option<PathBuf>,
    /// `--today`: a fixed date; otherwise the local date, followed as it
    /// changes.
    pub today: Option<Date>,
    /// False with `--no-write`: report only.
    pub write: bool,
    /// Keep source lines in findings (human output).
    pub keep_source: bool,
    /// Quiet time after the last event before a batch is processed.
    pub debounce: Duration,
    /// `--poll`: poll at this interval instead of inotify.
    pub poll: Option<Duration>,
    /// Set (with a [`Msg::Stop`] sent) when the user asks to stop, so a
    /// batch in hand stops early.
    pub stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// `--lang`: the language of everything shown, over the config's.
    pub lang: Option<Lang>,
    /// The locale's language, when neither `--lang` nor the config says.
    pub locale: Lang,
    /// `--select` / `--ignore`: the rules of this run.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Start from the parse cache (false with `--no-cache`).
    pub cache: bool,
}

/// How long a client note that reads as none (emptied, or its front
/// matter gone) must stay so before its files are removed.
const EMPTIED_SETTLE: Duration = Duration::from_secs(1);

/// How many notes of a batch are vetted between checks for Ctrl-C.
const STOP_SLICE: usize = 128;

/// The default debounce.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(50);

/// What `watch` tells its observer (the terminal or JSON lines).
pub enum LiveEvent<'a> {
    /// A note's full report, during the first pass (as `check` prints it).
    Report(&'a NoteReport),
    /// The first pass is done; what `check` prints last, then "watching".
    Ready {
        tally: &'a Tally,
        watching: usize,
        polling: Option<Duration>,
    },
    /// A note was (re-)vetted and its verdict, score or findings changed.
    Note {
        note: &'a NoteReport,
        previous: Option<Verdict>,
        /// It could not be read or parsed before.
        was_error: bool,
        added: &'a [String],
        removed: &'a [String],
    },
    /// A note was re-read after a change and nothing in its report changed
    /// (a person still wants to see that the edit was picked up).
    Unchanged(&'a NoteReport),
    /// A client note is gone (deleted, renamed away, or no longer one).
    Removed {
        path: &'a str,
        outputs_removed: &'a [String],
    },
    /// A note could not be read or parsed (after it settled), or a file
    /// could not be written.
    Error(&'a NoteError),
    /// The folder-level findings changed.
    Folder(&'a [Finding]),
    /// The config, a plugin or a template was reloaded, or failed to load.
    Config {
        ok: bool,
        message: &'a str,
        path: Option<&'a str>,
        line: Option<u32>,
    },
    /// A full re-vet, and why.
    Rescan { reason: &'a str },
    /// A generated file or annotation block was left because the user
    /// edited it.
    Kept(&'a Kept),
    /// Something the user should know that is none of the above (the
    /// watcher fell back to polling, the folder went away).
    Notice(&'a str),
}

/// Receives what `watch` does.
pub trait Observer {
    /// `rules` is the ruleset in force (to name rule codes).
    fn event(&mut self, event: &LiveEvent<'_>, rules: &Ruleset);
}

/// Why `watch` could not start (later problems are reported as events).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Settings(#[from] LoadError),
    #[error(transparent)]
    Output(#[from] crate::publish::OutputError),
    #[error("{message}")]
    Locked {
        message: String,
        source: crate::lock::LockError,
    },
    #[error(transparent)]
    Publish(#[from] crate::publish::PublishError),
    #[error("cannot watch the folder: {0}")]
    Watcher(#[from] notify::Error),
}

/// The settings `opts` asks for.
fn load(opts: &WatchOptions) -> Result<Loaded, LoadError> {
    crate::settings::load(&crate::settings::LoadRequest {
        root: &opts.root,
        config: opts.config.as_deref(),
        lang: opts.lang,
        locale: opts.locale,
        select: &opts.select,
        ignore: &opts.ignore,
        templates: opts.write,
    })
}

/// Why a session's inner loop ended.
enum Next {
    Stop,
    Reload(Box<Loaded>, String),
    Rescan(String),
}

/// The local date.
fn local_today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Time until the local date changes (re-checked at least every minute,
/// so a clock or time-zone change is noticed too).
fn until_tomorrow() -> Duration {
    until_next_day(&jiff::ZonedDateTime::now())
}

/// Time from `now` to the next local midnight, at most a minute.
fn until_next_day(now: &jiff::ZonedDateTime) -> Duration {
    let next = now
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned_datetime(now.time_zone().clone()).ok());
    let left = next
        .and_then(|n| now.duration_until(&n).try_into().ok())
        .unwrap_or(Duration::from_secs(60));
    left.min(Duration::from_secs(60))
        .max(Duration::from_millis(10))
}

/// The error for a second writer, or another lock failure.
fn take_lock(config: &Config, root: &Path) -> Result<FolderLock, WatchError> {
    let output = crate::publish::output_folder(config, root)?;
    FolderLock::acquire(&output, "watch").map_err(|source| WatchError::Locked {
        message: source.message(&config.output_dir.display().to_string(), &config.catalog),
        source,
    })
}

/// Runs `watch` until a [`Msg::Stop`] arrives on `rx` (send it from a
/// signal handler through a clone of `tx`). An error before the first pass
/// (a broken config, the folder locked) is returned; later problems are
/// reported to the observer and the last good settings stay in force.
pub fn run(
    opts: &WatchOptions,
    observer: &mut dyn Observer,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
) -> Result<(), WatchError> {
    let mut loaded = load(opts)?;
    let mut lock = if opts.write {
        Some(take_lock(&loaded.config, &opts.root)?)
    } else {
        None
    };
    let mut session = Session {
        opts,
        state: FolderState::new(),
        source: None,
        tx,
        rx,
        first: true,
        kept: BTreeSet::new(),
        last_error: None,
        reported: BTreeSet::new(),
        today: opts.today.unwrap_or_else(local_today),
    };
    let mut reason: Option<String> = None;
    loop {
        if let Some(l) = &lock
            && !l.is_current()
        {
            // The output folder (or the whole notes folder) was removed
            // and made again: lock the new one. It may still be going
            // away: a passing failure to create it is tried again.
            drop(lock.take());
            let mut tries = 0;
            lock = loop {
                match take_lock(&loaded.config, &opts.root) {
                    Ok(l) => break Some(l),
                    Err(WatchError::Locked {
                        source: crate::lock::LockError::Io(_),
                        ..
                    }) if tries < 20 => {
                        tries += 1;
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Err(e) => return Err(e),
                }
            };
        }
        match session.serve(&loaded, reason.take(), observer)? {
            Next::Stop => return Ok(()),
            Next::Rescan(why) => reason = Some(why),
            Next::Reload(new, why) => {
                let new_output = crate::publish::absolute(&new.config.output_dir);
                let old_output = crate::publish::absolute(&loaded.config.output_dir);
                if opts.write && new_output != old_output {
                    match take_lock(&new.config, &opts.root) {
                        Ok(l) => lock = Some(l),
                        Err(e) => {
                            let e = e.to_string();
                            observer.event(
                                &LiveEvent::Config {
                                    ok: false,
                                    message: &e,
                                    path: None,
                                    line: None,
                                },
                                &loaded.ruleset,
                            );
                            reason = Some(loaded.config.catalog.get("rescan-locked"));
                            continue;
                        }
                    }
                }
                loaded = *new;
                reason = Some(why);
            }
        }
    }
}

/// A watch session's memory across reloads.
struct Session<'o> {
    opts: &'o WatchOptions,
    state: FolderState,
    source: Option<events::Source>,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    first: bool,
    /// Kept files already reported, so each is reported once.
    kept: BTreeSet<(String, String)>,
    /// The last error opening the output folder, so it is reported once.
    last_error: Option<String>,
    /// Write failures already reported.
    reported: BTreeSet<(String, String)>,
    today: Date,
}

/// A note to look at again in a batch.
struct Settle {
    id: Option<FileId>,
    due: Instant,
}

impl Session<'_> {
    /// One config's life: a full pass, then changes until the config,
    /// the date or the folder itself changes.
    fn serve(
        &mut self,
        loaded: &Loaded,
        reason: Option<String>,
        observer: &mut dyn Observer,
    ) -> Result<Next, WatchError> {
        let opts = self.opts;
        if opts.today.is_none() {
            self.today = local_today();
        }
        let vetter = Vetter {
            ruleset: &loaded.ruleset,
            config: &loaded.config,
            today: self.today,
            keep_source: opts.keep_source,
        };
        let rules = &loaded.ruleset;
        let publisher = if opts.write {
            match Publisher::new(&loaded.config, rules, &opts.root, self.today, opts.cache) {
                Ok(p) => {
                    self.last_error = None;
                    Some(p)
                }
                Err(e) => {
                    if self.first {
                        return Err(e.into());
                    }
                    let message = e.to_string();
                    if self.last_error.as_deref() != Some(message.as_str()) {
                        observer.event(
                            &LiveEvent::Config {
                                ok: false,
                                message: &message,
                                path: None,
                                line: None,
                            },
                            rules,
                        );
                        self.last_error = Some(message);
                    }
                    if matches!(e, crate::publish::PublishError::Template(_)) {
                        None
                    } else {
                        // The output folder could not be opened (it may be
                        // in the middle of being removed): try again soon.
                        match self.rx.recv_timeout(Duration::from_millis(500)) {
                            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => {
                                return Ok(Next::Stop);
                            }
                            _ => {}
                        }
                        return Ok(Next::Rescan(
                            loaded.config.catalog.get("rescan-writing-again"),
                        ));
                    }
                }
            }
        } else {
            None
        };
        let filter = events::Filter::new(&opts.root, &loaded.config);
        // (Re)start the watcher when what to watch changed.
        let list = filter.watch_list();
        if self
            .source
            .as_ref()
            .is_none_or(|s| s.list() != list.as_slice())
        {
            self.source = None;
            let (source, notice) = events::start(list, self.tx.clone(), opts.poll)?;
            if let Some(n) = notice {
                let n = loaded.config.catalog.msg(&n);
                observer.event(&LiveEvent::Notice(&n), rules);
            }
            self.source = Some(source);
        }
        // Events from before this pass are covered by it.
        while let Ok(m) = self.rx.try_recv() {
            if matches!(m, Msg::Stop) {
                return Ok(Next::Stop);
            }
        }
        if opts.stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(Next::Stop);
        }
        if let Some(r) = &reason {
            observer.event(&LiveEvent::Rescan { reason: r }, rules);
        }
        let mut pass = Pass {
            vetter: &vetter,
            publisher: publisher.as_ref(),
            state: &mut self.state,
            observer,
            root: &opts.root,
            kept: &mut self.kept,
            rescan: false,
            full_pass: false,
            stop: &opts.stop,
            reported: &mut self.reported,
            cache: opts.cache,
        };
        let listener = Listener {
            opts,
            rx: &self.rx,
            source: &mut self.source,
            today: self.today,
        };
        let tally = pass.full(self.first);
        if self.first {
            pass.observer.event(
                &LiveEvent::Ready {
                    tally: &tally,
                    watching: pass.state.vetted(),
                    polling: listener.source.as_ref().and_then(|s| s.polling),
                },
                rules,
            );
            self.first = false;
        }
        listener.listen(&filter, &mut pass)
    }
}

/// The receiving end of a session while one config is in force.
struct Listener<'s> {
    opts: &'s WatchOptions,
    rx: &'s Receiver<Msg>,
    source: &'s mut Option<events::Source>,
    today: Date,
}

impl Listener<'_> {
    /// Waits for events and processes them in batches.
    fn listen(self, filter: &events::Filter, pass: &mut Pass<'_, '_>) -> Result<Next, WatchError> {
        let debounce = self.opts.debounce;
        let mut pending: BTreeSet<Touched> = BTreeSet::new();
        let mut settle: BTreeMap<String, Settle> = BTreeMap::new();
        let mut first_event: Option<Instant> = None;
        let mut last_event = Instant::now();
        let mut rescan = false;
        let mut root_gone = false;
        loop {
            let now = Instant::now();
            let mut wait = if self.opts.today.is_none() {
                until_tomorrow()
            } else {
                Duration::from_secs(3600)
            };
            if let Some(first) = first_event {
                let due = (last_event + debounce).min(first + events::MAX_BATCH_WAIT);
                wait = wait.min(due.saturating_duration_since(now));
            }
            if let Some(s) = settle.values().map(|s| s.due).min() {
                wait = wait.min(s.saturating_duration_since(now));
            }
            if root_gone {
                wait = wait.min(Duration::from_millis(250));
            }
            match self.rx.recv_timeout(wait) {
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return Ok(Next::Stop),
                Ok(Msg::Fs(Ok(event))) if events::is_read_only(&event) => {}
                Ok(Msg::Fs(Ok(event))) => {
                    let mut relevant = false;
                    if event.need_rescan() {
                        rescan = true;
                        relevant = true;
                    }
                    let removal = events::is_removal(&event);
                    for p in &event.paths {
                        match filter.classify(p) {
                            Touched::Ignored => {}
                            // Our own writes in the output folder are no news;
                            // a generated file that went away is, and so is a
                            // dashboard someone edited.
                            Touched::Output(rel) if !removal && rel != "index.md" => {}
                            t => {
                                pending.insert(t);
                                relevant = true;
                            }
                        }
                    }
                    if relevant {
                        last_event = Instant::now();
                        first_event.get_or_insert(last_event);
                    }
                }
                Ok(Msg::Fs(Err(e))) => {
                    if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
                        let n = pass
                            .vetter
                            .config
                            .catalog
                            .msg(&crate::msg!("watch-inotify", error = e.to_string()));
                        pass.observer
                            .event(&LiveEvent::Notice(&n), pass.vetter.ruleset);
                    }
                    // Paths that vanished while being watched are normal.
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            let now = Instant::now();
            if root_gone {
                // Nothing is pending while the folder is away (a deadline
                // left in the past would make the wait a busy loop).
                pending.clear();
                settle.clear();
                first_event = None;
                if filter.root().is_dir() {
                    *self.source = None;
                    return Ok(Next::Rescan(
                        pass.vetter.config.catalog.get("rescan-folder-back"),
                    ));
                }
                continue;
            }
            if self.opts.today.is_none() && local_today() != self.today {
                return Ok(Next::Rescan(
                    pass.vetter
                        .config
                        .catalog
                        .msg(&crate::msg!("rescan-new-day", date = local_today())),
                ));
            }
            let batch_due = first_event.is_some_and(|first| {
                now >= last_event + debounce || now >= first + events::MAX_BATCH_WAIT
            });
            let settled: Vec<String> = settle
                .iter()
                .filter(|(_, s)| s.due <= now)
                .map(|(rel, _)| rel.clone())
                .collect();
            if !batch_due && settled.is_empty() {
                continue;
            }
            let mut notes: BTreeSet<String> = BTreeSet::new();
            let mut settings: Vec<PathBuf> = Vec::new();
            // Notes (and the dashboard) whose generated files went away.
            let mut forced: BTreeSet<String> = BTreeSet::new();
            let mut force_dashboard = false;
            let mut output_gone = false;
            if batch_due {
                first_event = None;
                for t in std::mem::take(&mut pending) {
                    match t {
                        Touched::Note(rel) => {
                            notes.insert(rel);
                        }
                        Touched::Folder(rel) => notes.extend(pass.folder_notes(&rel)),
                        Touched::Root => {
                            if !filter.root().is_dir() {
                                root_gone = true;
                            }
                        }
                        Touched::Settings(p) => settings.push(p),
                        Touched::Output(rel) => {
                            if !filter.output().is_dir() {
                                // The whole output folder went: start over.
                                output_gone = true;
                            } else if rel == "index.md"
                                && pass.publisher.is_some_and(|p| p.output_changed("index.md"))
                            {
                                force_dashboard = true;
                            } else if !filter.output().join(&rel).exists() {
                                match pass.publisher.and_then(|p| p.owner_of(&rel)) {
                                    Some(note) => {
                                        forced.insert(note);
                                    }
                                    None => force_dashboard |= rel == "index.md",
                                }
                            }
                        }
                        Touched::Ignored => {}
                    }
                }
            }
            if root_gone || !filter.root().is_dir() {
                root_gone = true;
                let n = pass.vetter.config.catalog.msg(&crate::msg!(
                    "watch-folder-removed",
                    dir = self.opts.root.display().to_string()
                ));
                pass.observer
                    .event(&LiveEvent::Notice(&n), pass.vetter.ruleset);
                for rel in pass.state.under("") {
                    pass.remove(&rel);
                }
                continue;
            }
            if !settings.is_empty() {
                match load(self.opts) {
                    Ok(new) => {
                        let shown: Vec<String> =
                            settings.iter().map(|p| p.display().to_string()).collect();
                        let gone: Vec<&PathBuf> = settings
                            .iter()
                            .filter(|p| {
                                p.file_name().is_some_and(|n| n == crate::config::FILE_NAME)
                                    && !p.exists()
                            })
                            .collect();
                        // Said in the new settings' language.
                        let words = &new.config.catalog;
                        let message = match (gone.first(), &new.config.file) {
                            (Some(g), None) => words.msg(&crate::msg!(
                                "watch-config-removed-defaults",
                                file = g.display().to_string()
                            )),
                            (Some(g), Some(f)) => words.msg(&crate::msg!(
                                "watch-config-removed-other",
                                file = g.display().to_string(),
                                other = f.display().to_string()
                            )),
                            _ => words.msg(&crate::msg!(
                                "watch-config-reloaded",
                                files = shown.join(", ")
                            )),
                        };
                        let why = words.get("watch-settings-reloaded");
                        pass.observer.event(
                            &LiveEvent::Config {
                                ok: true,
                                message: &message,
                                path: None,
                                line: None,
                            },
                            pass.vetter.ruleset,
                        );
                        return Ok(Next::Reload(Box::new(new), why));
                    }
                    Err(e) => {
                        let message = pass.vetter.config.catalog.msg(&crate::msg!(
                            "watch-config-kept",
                            error = e.message.as_str()
                        ));
                        pass.observer.event(
                            &LiveEvent::Config {
                                ok: false,
                                message: &message,
                                path: e.path.as_ref().map(|p| p.display().to_string()).as_deref(),
                                line: e.line,
                            },
                            pass.vetter.ruleset,
                        );
                    }
                }
            }
            if rescan {
                return Ok(Next::Rescan(
                    pass.vetter.config.catalog.get("rescan-overflow"),
                ));
            }
            if output_gone && pass.publisher.is_some() {
                return Ok(Next::Rescan(
                    pass.vetter.config.catalog.get("rescan-output-removed"),
                ));
            }
            // Notes that were settling: decided now if still unchanged.
            let mut settled_now: BTreeSet<String> = BTreeSet::new();
            for rel in settled {
                if let Some(s) = settle.remove(&rel) {
                    if FileId::of(&self.opts.root.join(&rel)) == s.id {
                        settled_now.insert(rel.clone());
                    }
                    notes.insert(rel);
                }
            }
            for rel in &notes {
                settle.remove(rel);
            }
            for rel in forced {
                notes.insert(rel.clone());
                settled_now.insert(rel);
            }
            if notes.is_empty() && !force_dashboard {
                continue;
            }
            let unsettled = pass.batch(&notes, &settled_now, force_dashboard);
            if std::mem::take(&mut pass.rescan) {
                return Ok(Next::Rescan(
                    pass.vetter.config.catalog.get("rescan-collision"),
                ));
            }
            for (rel, id, wait) in unsettled {
                settle.insert(
                    rel,
                    Settle {
                        id,
                        due: Instant::now() + wait.max(debounce).max(Duration::from_millis(20)),
                    },
                );
            }
        }
    }
}

/// One config's vetting and writing, over the session's state.
struct Pass<'p, 'v> {
    vetter: &'p Vetter<'v>,
    publisher: Option<&'p Publisher<'v>>,
    state: &'p mut FolderState,
    observer: &'p mut dyn Observer,
    root: &'p Path,
    kept: &'p mut BTreeSet<(String, String)>,
    /// A batch found something only a full pass can sort out.
    rescan: bool,
    /// Set while a full pass reports (an unchanged note is then no news).
    full_pass: bool,
    /// Set by Ctrl-C or SIGTERM.
    stop: &'p std::sync::atomic::AtomicBool,
    /// Write failures already reported, so each is reported once.
    reported: &'p mut BTreeSet<(String, String)>,
    /// Use the parse cache for the first pass (not `--no-cache`).
    cache: bool,
}

impl Pass<'_, '_> {
    /// Vets the whole folder, as `check` does, and reports: every note on
    /// the first pass, only what changed on later ones.
    fn full(&mut self, first: bool) -> Tally {
        let hook_ref = self.publisher.map(|p| p as &dyn crate::engine::NoteHook);
        let mut before = self.state.take_all();
        let mut skipped: BTreeMap<String, crate::engine::Skip> = BTreeMap::new();
        let mut errors: Vec<NoteError> = Vec::new();
        let mut changes: Vec<(String, Change)> = Vec::new();
        let state = &mut *self.state;
        let observer = &mut *self.observer;
        let rules = self.vetter.ruleset;
        // The first pass starts from the parse cache and, when it writes,
        // leaves the next one (later passes read only what changed).
        let cache_path = crate::cache::path_for(self.vetter.config);
        let root_abs = crate::publish::absolute(self.root);
        let use_cache = first && self.cache;
        let reader = use_cache
            .then(|| {
                crate::cache::Reader::open(&cache_path, &root_abs)
                    .ok()
                    .flatten()
            })
            .flatten();
        let mut next = (use_cache && self.publisher.is_some())
            .then(|| {
                crate::cache::Writer::create(
                    &cache_path,
                    reader.as_ref(),
                    self.vetter.results_key(),
                )
                .ok()
            })
            .flatten();
        let problems = self.vetter.vet_each_cached(
            self.root,
            &|| {},
            hook_ref,
            reader.as_ref(),
            next.as_mut(),
            &mut |note, o| {
                let old = before.remove(&note.rel);
                match o {
                    Outcome::Skipped(why) => {
                        skipped.insert(note.rel.clone(), why);
                    }
                    Outcome::Vetted(r) => {
                        if first {
                            observer.event(&LiveEvent::Report(&r), rules);
                        }
                        // Compared with what the note gave before this pass.
                        if let Some(old) = old {
                            state.restore(&note.rel, old);
                        }
                        let change = state.vetted_note(&note.rel, *r, None, rules);
                        changes.push((note.rel.clone(), change));
                    }
                    Outcome::Failed(e) => {
                        if let Some(old) = old {
                            state.restore(&note.rel, old);
                        }
                        if state.failed_note(&note.rel, e.clone(), None) != Change::Same {
                            errors.push(e);
                        }
                    }
                }
            },
        );
        if let Some(w) = next {
            let _ = w.finish(&root_abs, reader.as_ref());
        }
        self.state.set_scan(skipped, problems);
        if !first {
            self.full_pass = true;
            for (rel, change) in changes {
                self.report_change(&rel, change);
            }
            self.full_pass = false;
        }
        // Client notes that are gone since the last pass.
        for rel in before.keys() {
            self.forget(rel);
        }
        let (mut tally, folder_changed) = self.state.tally(self.vetter);
        if let Some(p) = self.publisher {
            p.finish(&mut tally, true);
            self.note_own_writes();
        }
        if first {
            // The Ready event reports errors, folder findings and kept
            // files; later batches report only what is new.
            fresh(self.kept, &tally.kept, kept_key);
            return tally;
        }
        for e in &errors {
            self.observer
                .event(&LiveEvent::Error(e), self.vetter.ruleset);
        }
        if folder_changed {
            self.observer
                .event(&LiveEvent::Folder(&tally.folder), self.vetter.ruleset);
        }
        self.report_kept(&tally);
        tally
    }

    /// Re-vets the notes `rels` (those in `settled` have been stable for a
    /// debounce period), updates the state, writes their files and the
    /// dashboard. Returns the notes to look at again once stable.
    fn batch(
        &mut self,
        rels: &BTreeSet<String>,
        settled: &BTreeSet<String>,
        force_dashboard: bool,
    ) -> Vec<(String, Option<FileId>, Duration)> {
        let mut unsettled = Vec::new();
        let mut to_vet: Vec<(NoteFile, FileId)> = Vec::new();
        // Notes whose file changed (an unchanged result is still news to
        // the person who saved it; a re-check for other reasons is not).
        let mut edited: BTreeSet<String> = BTreeSet::new();
        let mut changed = false;
        for rel in rels {
            let path = self.root.join(rel);
            match FileId::of(&path) {
                None => {
                    changed |= self.remove(rel);
                }
                Some(id) => {
                    let known = self.state.get(rel).and_then(|e| e.id);
                    if known != Some(id) {
                        edited.insert(rel.clone());
                    }
                    if known != Some(id) || settled.contains(rel) {
                        to_vet.push((
                            NoteFile {
                                path,
                                rel: rel.clone(),
                            },
                            id,
                        ));
                    }
                }
            }
        }
        // Notes whose files would overwrite another's: the first in path
        // order among the notes remembered and those of this batch keeps
        // them, the others get the error, as in `check`.
        let mut collided: Vec<(String, String)> = Vec::new();
        {
            let mut groups = self.state.output_groups();
            for (n, _) in &to_vet {
                let group = groups.entry(crate::scan::output_key(&n.rel)).or_default();
                if !group.contains(&n.rel) {
                    group.push(n.rel.clone());
                }
            }
            let state = &*self.state;
            let mut rescan = false;
            to_vet.retain(|(n, _)| {
                let group = &groups[&crate::scan::output_key(&n.rel)];
                let Some(first) = group.iter().min() else {
                    return true;
                };
                if group.len() < 2 {
                    return true;
                }
                if *first != n.rel {
                    collided.push((n.rel.clone(), first.clone()));
                    return false;
                }
                // It comes first now while another one holds the files: a
                // full pass sorts them out.
                if group
                    .iter()
                    .any(|o| *o != n.rel && state.report(o).is_some())
                {
                    rescan = true;
                    return false;
                }
                true
            });
            self.rescan |= rescan;
        }
        changed |= !collided.is_empty();
        for (rel, earlier) in &collided {
            let e = crate::engine::collision(&self.vetter.config.catalog, rel, earlier);
            let id = FileId::of(&self.root.join(rel));
            if self.state.failed_note(rel, e.clone(), id) != Change::Same {
                self.observer
                    .event(&LiveEvent::Error(&e), self.vetter.ruleset);
            }
        }
        let hook_ref = self.publisher.map(|p| p as &dyn crate::engine::NoteHook);
        let vetter = self.vetter;
        // Nothing read and nothing removed: nothing to redo.
        let anything = changed || !to_vet.is_empty();
        // In slices, so that Ctrl-C during a large burst stops within a
        // moment; what was not vetted is vetted by the next start.
        let mut outcomes: Vec<(NoteFile, FileId, Outcome)> = Vec::with_capacity(to_vet.len());
        // Folders renamed or made again since the last batch are looked
        // up afresh.
        crate::fsx::forget_folders();
        for slice in to_vet.chunks(STOP_SLICE) {
            if self.stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            outcomes.par_extend(slice.par_iter().map(|(note, id)| {
                let o = vetter.vet_file(note, hook_ref);
                (note.clone(), *id, o)
            }));
        }
        let mut errors: Vec<NoteError> = Vec::new();
        for (note, id, outcome) in outcomes {
            let rel = note.rel;
            let stable = settled.contains(&rel);
            match outcome {
                Outcome::Vetted(r) => {
                    self.state.not_skipped(&rel);
                    let change = self
                        .state
                        .vetted_note(&rel, *r, Some(id), self.vetter.ruleset);
                    self.full_pass = !edited.contains(&rel);
                    self.report_change(&rel, change);
                    self.full_pass = false;
                }
                Outcome::Failed(e) if stable => {
                    let change = self.state.failed_note(&rel, e.clone(), Some(id));
                    if change != Change::Same {
                        errors.push(e);
                        if let Some(p) = self.publisher {
                            p.drop_row(&rel);
                        }
                    }
                }
                Outcome::Failed(_) => unsettled.push((rel, Some(id), Duration::ZERO)),
                Outcome::Skipped(why) => {
                    if self.state.get(&rel).is_none() {
                        self.state.skipped_note(&rel, why);
                    } else if stable {
                        self.remove(&rel);
                        self.state.skipped_note(&rel, why);
                    } else {
                        // A client note that reads as none: maybe a save
                        // in progress (truncated). Decide once it settles.
                        // An emptied file is most likely a save under way
                        // (truncate, then write): give it a second.
                        unsettled.push((rel, Some(id), EMPTIED_SETTLE));
                    }
                }
            }
        }
        for e in &errors {
            self.observer
                .event(&LiveEvent::Error(e), self.vetter.ruleset);
        }
        let (mut tally, folder_changed) = self.state.tally(self.vetter);
        if folder_changed {
            self.observer
                .event(&LiveEvent::Folder(&tally.folder), self.vetter.ruleset);
        }
        if let Some(p) = self.publisher
            && (anything || folder_changed || force_dashboard)
        {
            p.finish(&mut tally, false);
            self.note_own_writes();
            self.report_kept(&tally);
            // Write failures (not parse errors, reported above), each once.
            let failures: Vec<NoteError> = tally
                .errors
                .iter()
                .filter(|e| {
                    !self
                        .state
                        .get(&e.path)
                        .is_some_and(|x| matches!(x.state, state::NoteState::Failed(_)))
                        && !e.message.starts_with("cannot read this folder entry")
                })
                .cloned()
                .collect();
            for e in fresh(self.reported, &failures, |e| {
                (e.path.clone(), e.message.clone())
            }) {
                self.observer
                    .event(&LiveEvent::Error(e), self.vetter.ruleset);
            }
        }
        unsettled
    }

    /// The notes below folder `rel` now, and those remembered below it.
    fn folder_notes(&self, rel: &str) -> Vec<String> {
        let mut out = self.state.under(rel);
        let dir = self.root.join(rel);
        if dir.is_dir() {
            let scan = crate::scan::scan_from(self.root, &dir, self.vetter.config);
            out.extend(scan.notes.rels().map(str::to_string));
        }
        out
    }

    /// Note `rel` is gone: its files and row go. True when it was a client
    /// note (or failing).
    fn remove(&mut self, rel: &str) -> bool {
        self.state.not_skipped(rel);
        if self.state.removed_note(rel) == Change::Same {
            return false;
        }
        self.forget(rel);
        true
    }

    /// Removes a gone note's files and row, and reports it.
    fn forget(&mut self, rel: &str) {
        let outputs = self.publisher.map(|p| p.forget(rel)).unwrap_or_default();
        self.observer.event(
            &LiveEvent::Removed {
                path: rel,
                outputs_removed: &outputs,
            },
            self.vetter.ruleset,
        );
    }

    fn report_change(&mut self, rel: &str, change: Change) {
        match change {
            Change::Note {
                previous,
                was_error,
                added,
                removed,
            } => {
                if let Some(note) = self.state.report(rel) {
                    self.observer.event(
                        &LiveEvent::Note {
                            note,
                            previous,
                            was_error,
                            added: &added,
                            removed: &removed,
                        },
                        self.vetter.ruleset,
                    );
                }
            }
            Change::Same if !self.full_pass => {
                if let Some(note) = self.state.report(rel) {
                    self.observer
                        .event(&LiveEvent::Unchanged(note), self.vetter.ruleset);
                }
            }
            _ => {}
        }
    }

    /// Reports kept files not reported before.
    fn report_kept(&mut self, tally: &Tally) {
        for k in fresh(self.kept, &tally.kept, kept_key) {
            self.observer
                .event(&LiveEvent::Kept(k), self.vetter.ruleset);
        }
    }

    /// Notes notes-vet just annotated: their new identity, so the event of
    /// our own write does not re-vet them.
    fn note_own_writes(&mut self) {
        let Some(p) = self.publisher else { return };
        for file in p.take_annotated() {
            let rel = crate::scan::relative(self.root, &file);
            self.state.set_id(&rel, FileId::of(&file));
        }
    }
}

/// The items not in `seen` (by `key`); `seen` becomes the keys of all
/// `items`. What was reported stays unreported until it goes and returns.
fn fresh<'i, T>(
    seen: &mut BTreeSet<(String, String)>,
    items: &'i [T],
    key: impl Fn(&T) -> (String, String),
) -> Vec<&'i T> {
    let now: BTreeSet<(String, String)> = items.iter().map(&key).collect();
    let new = items.iter().filter(|i| !seen.contains(&key(i))).collect();
    *seen = now;
    new
}

fn kept_key(k: &Kept) -> (String, String) {
    (k.path.clone(), k.reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> jiff::ZonedDateTime {
        let dt: jiff::civil::DateTime = text.parse().unwrap();
        dt.to_zoned_datetime(jiff::tz::TimeZone::UTC).unwrap()
    }

    #[test]
    fn the_date_is_looked_at_again_by_midnight() {
        // Half a minute before midnight: woken at midnight, not later.
        assert_eq!(
            until_next_day(&at("2026-11-29T23:59:30")),
            Duration::from_secs(30)
        );
        // Midday: at least once a minute (a changed clock or time zone).
        assert_eq!(
            until_next_day(&at("2026-11-29T12:00:00")),
            Duration::from_secs(60)
        );
        // Never a busy loop.
        assert!(until_next_day(&at("2026-11-29T23:59:59.999999")) >= Duration::from_millis(10));
    }
}
