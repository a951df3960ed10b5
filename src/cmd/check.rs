//! `notes-vet check [PATH...]`: vet every client note once, write the
//! generated files (unless `--no-write`) and report.
//!
//! The notes root is the folder of the `notes-vet.toml` that applies (else
//! the folder given): its one output folder and dashboard are kept current
//! whatever paths are given. Given notes or subfolders inside it, only
//! those are reported and set the exit code; `--no-write` with notes only
//! vets just those files (what a pre-commit hook runs).

use super::{Global, OutputFormat, fail, load_rules, today};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use notes_vet::engine::{NoteReport, Outcome, Tally, Vetter};
use notes_vet::publish::Publisher;
use notes_vet::report::{human, json};
use notes_vet::rules::Ruleset;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder, or notes and subfolders inside a notes root
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
}

/// What a run reports: the notes under these paths (relative to the root,
/// `/`-separated; a folder ends in `/`; empty: all).
struct Selection(Vec<String>);

impl Selection {
    fn all(&self) -> bool {
        self.0.iter().any(|p| p.is_empty())
    }

    /// True when only notes are named (no folder, not the root).
    fn only_files(&self) -> bool {
        self.0.iter().all(|p| !p.is_empty() && !p.ends_with('/'))
    }

    fn has(&self, rel: &str) -> bool {
        self.0
            .iter()
            .any(|p| p.is_empty() || rel == p || (p.ends_with('/') && rel.starts_with(p.as_str())))
    }
}

/// The notes root for `paths` and what of it they select. The root is the
/// folder of the `notes-vet.toml` that applies to the first path (else
/// that path's folder); every path must be inside it.
fn resolve(paths: &[PathBuf], g: &Global) -> Result<(PathBuf, Selection), String> {
    let words = g.words();
    for p in paths {
        if !p.exists() {
            return Err(words.msg(&notes_vet::msg!(
                "cli-path-missing",
                path = p.display().to_string()
            )));
        }
    }
    let first = &paths[0];
    let start = if first.is_dir() {
        first.clone()
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), PathBuf::from)
    };
    let root = super::notes_root(&start, g.config.as_deref());
    let canon = |p: &PathBuf| p.canonicalize().unwrap_or_else(|_| p.clone());
    let root_abs = canon(&root);
    let mut selected = Vec::new();
    for p in paths {
        let abs = canon(p);
        let Ok(rel) = abs.strip_prefix(&root_abs) else {
            return Err(words.msg(&notes_vet::msg!(
                "cli-outside-root",
                path = p.display().to_string(),
                root = root.display().to_string()
            )));
        };
        let mut rel = notes_vet::scan::relative(Path::new(""), rel);
        if abs.is_dir() && !rel.is_empty() {
            rel.push('/');
        }
        selected.push(rel);
    }
    Ok((root, Selection(selected)))
}

pub fn run(args: Args, g: &Global) -> u8 {
    let (dir, selection) = match resolve(&args.paths, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let (config, ruleset) = match load_rules(&dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    // After the config: a bad date is reported in the folder's language.
    let today = match today(g) {
        Ok(t) => t,
        Err(e) => return fail(g, e),
    };
    let human = g.format == OutputFormat::Human;
    let vetter = Vetter {
        ruleset: &ruleset,
        config: &config,
        today,
        keep_source: human,
    };
    // A folder with no client notes (and no output folder from an earlier
    // run to keep current) gets no `_vetted/`: nothing is written. Nor is
    // anything written when only some rules run (`--select`/`--ignore`):
    // verdicts and letters from part of the rules would replace the real
    // ones.
    let write = !g.no_write
        && !g.partial_rules()
        && (notes_vet::publish::absolute(&config.output_dir).exists()
            || vetter.has_client_notes(&dir));
    // One writer per output folder (see "Watching a folder" in the README);
    // held until the end.
    let lock = if !write {
        None
    } else {
        match super::lock_output(&config, &dir, "check") {
            Ok(l) => Some(l),
            Err(e) => return fail(g, e),
        }
    };
    // A writing run reads the manifest and loads the templates (the
    // publisher) while the cache's index is read and the folder walked.
    let (publisher, cache, scan) = std::thread::scope(|s| {
        let publisher =
            write.then(|| s.spawn(|| Publisher::new(&config, &ruleset, &dir, today, !g.no_cache)));
        // Three reads, each on its own thread (on two cores, whichever
        // ends first leaves its core to the others).
        let cache = write.then(|| s.spawn(|| super::open_cache(g, &config, &dir, write)));
        let scan = write.then(|| super::scan_root(g, &config, &dir, true, lock.as_ref()));
        let cache = match cache {
            Some(c) => c
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => super::open_cache(g, &config, &dir, write),
        };
        let publisher = publisher.map(|p| p.join());
        (publisher, cache, scan)
    });
    let publisher = match publisher {
        None => None,
        Some(Ok(Ok(p))) => Some(p),
        Some(Ok(Err(e))) => return fail(g, e),
        // As if it had run here.
        Some(Err(panic)) => std::panic::resume_unwind(panic),
    };
    let next = publisher
        .is_some()
        .then(|| super::next_cache(g, &config, cache.as_ref(), vetter.results_key()))
        .flatten();
    // A run that writes nothing walked nothing yet (unless it vets only
    // the notes named).
    let only_files = publisher.is_none() && selection.only_files();
    let listed = match scan {
        None if !only_files => Some(super::scan_root(g, &config, &dir, false, None)),
        listed => listed,
    };
    let folders = listed.as_ref().map_or((0, 0), |l| (l.listed, l.reused));
    let (scan, listing) = match listed {
        Some(l) => (Some(l.scan), l.to_save),
        None => (None, None),
    };
    let mut cache = CacheUse {
        reader: cache,
        writer: next,
        root: notes_vet::publish::absolute(&dir),
        failed: None,
        scan,
        listing,
    };
    let enabled = human && !g.quiet && std::io::stderr().is_terminal();
    // The total, for `done/total` and the time left, only when the bar
    // can be seen: the notes found, or one more walk of the folder (no
    // file is read) when only some notes are vetted.
    let total = enabled.then(|| {
        cache.scan.as_ref().map_or_else(
            || notes_vet::scan::scan(&dir, &config).notes.len(),
            |s| s.notes.len(),
        ) as u64
    });
    let progress = Progress::new(total, &config.catalog.get("report-progress"));

    let result = match g.format {
        OutputFormat::Json => {
            // JSON never carries colour: indented for a person at a
            // terminal, compact for a program.
            let pretty = std::io::stdout().is_terminal();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let r = json::JsonStream::begin(&mut out, today, pretty).and_then(|stream| {
                pass(
                    &vetter,
                    &dir,
                    &selection,
                    &progress,
                    publisher,
                    &mut cache,
                    JsonSink {
                        stream,
                        rules: &ruleset,
                    },
                )
            });
            r.and_then(|t| out.flush().map(|_| t))
        }
        OutputFormat::Human => {
            // Decided for stdout itself, then buffered on both sides of
            // the colour filter: stripped of colour for a file or a pipe,
            // the text reaches stdout in large writes, not one per line
            // (a tenth of a second on 10,000 notes).
            let choice = match g.color.choice() {
                anstream::ColorChoice::Auto => anstream::AutoStream::choice(&std::io::stdout()),
                c => c,
            };
            let plain = choice == anstream::ColorChoice::Never;
            human::write_plain(plain);
            let stdout: Box<dyn Write> = if plain {
                // Nothing to strip: written as it is made.
                Box::new(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout().lock(),
                ))
            } else if cfg!(windows) {
                // A Windows console is set up for colour (ANSI or its own
                // calls) only when anstream sees the console itself.
                Box::new(anstream::AutoStream::new(std::io::stdout().lock(), choice))
            } else {
                let raw: Box<dyn Write> = Box::new(std::io::BufWriter::with_capacity(
                    1 << 16,
                    std::io::stdout().lock(),
                ));
                Box::new(anstream::AutoStream::new(raw, choice))
            };
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
            let opts = human::HumanOptions { quiet: g.quiet };
            let r = pass(
                &vetter,
                &dir,
                &selection,
                &progress,
                publisher,
                &mut cache,
                HumanSink {
                    out: &mut out,
                    rules: &ruleset,
                    opts,
                    dir: dir.display().to_string(),
                    whole: selection.all(),
                    wrote: write,
                },
            );
            r.and_then(|t| out.flush().map(|_| t))
        }
    };
    progress.finish();
    // For tests and the curious: how many notes the cache served.
    if std::env::var_os("NOTES_VET_CACHE_STATS").is_some() {
        let (hits, settled, same) = cache
            .reader
            .as_ref()
            .map_or((0, 0, 0), |r| (r.hits(), r.settled(), r.same_text()));
        eprintln!(
            "cache: {hits} notes from the cache, {settled} with their results, \
             {same} read again with the same text"
        );
        let (listed, reused) = folders;
        eprintln!("folders: {listed} listed, {reused} from the folder listing");
    }
    if let Some(e) = &cache.failed {
        let path = notes_vet::cache::path_for(&config);
        super::cache_unwritten(g, &config, &path, e);
    }
    match result {
        Ok(tally) if tally.has_errors() => super::NOTE_ERRORS,
        Ok(_) => super::OK,
        // A reader that went away (`| head`) is not a failure of the run.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::OK,
        Err(e) => fail(
            g,
            config
                .catalog
                .msg(&notes_vet::msg!("cli-report-write", error = e.to_string())),
        ),
    }
}

/// Where the report goes while notes stream past.
trait Sink {
    fn note(&mut self, note: &NoteReport) -> std::io::Result<()>;
    fn finish(self, tally: &Tally) -> std::io::Result<()>;
    /// Pushes out what is buffered (while the progress bar is hidden).
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct JsonSink<'w, 'r> {
    stream: json::JsonStream<'w>,
    rules: &'r Ruleset,
}

impl Sink for JsonSink<'_, '_> {
    fn note(&mut self, note: &NoteReport) -> std::io::Result<()> {
        self.stream.note(note, self.rules)
    }
    fn finish(self, tally: &Tally) -> std::io::Result<()> {
        self.stream.finish(tally, self.rules)
    }
}

struct HumanSink<'w, 'r> {
    out: &'w mut dyn Write,
    rules: &'r Ruleset,
    opts: human::HumanOptions,
    /// The folder as the user named it, for "no client notes under DIR".
    dir: String,
    /// The whole root is reported, and nothing was written: only then is
    /// "no client notes" the whole story.
    whole: bool,
    wrote: bool,
}

impl Sink for HumanSink<'_, '_> {
    fn note(&mut self, note: &NoteReport) -> std::io::Result<()> {
        self.out
            .write_all(human::note_text(note, self.rules, self.opts).as_bytes())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
    fn finish(self, tally: &Tally) -> std::io::Result<()> {
        if self.whole && tally.notes == 0 && tally.errors.is_empty() && !self.wrote {
            // Nothing to vet: say what was found instead of an empty tally.
            let words = &self.rules.catalog;
            let text = words.msg(&notes_vet::msg!(
                "report-no-notes",
                dir = notes_vet::report::visible(&self.dir),
                skipped = tally.skipped,
                linked = tally.linked
            ));
            return writeln!(self.out, "{text}");
        }
        self.out
            .write_all(human::closing_text(tally, self.rules).as_bytes())
    }
}

/// The parse cache a pass reads, and the next one it writes.
struct CacheUse {
    reader: Option<notes_vet::cache::Reader>,
    writer: Option<notes_vet::cache::Writer>,
    /// The notes root, as the cache names it.
    root: std::path::PathBuf,
    /// Why the next cache could not be put in place.
    failed: Option<std::io::Error>,
    /// The folder's notes, when walked beforehand.
    scan: Option<notes_vet::scan::Scan>,
    /// The folder listing to keep beside the next cache (see
    /// [`notes_vet::listing`]), when it changed.
    listing: Option<Vec<u8>>,
}

/// One pass: vet (writing each note's files in the worker), report each
/// note as it comes, then write the dashboard and close the report.
fn pass(
    vetter: &Vetter<'_>,
    dir: &std::path::Path,
    selection: &Selection,
    progress: &Progress,
    publisher: Option<Publisher<'_>>,
    cache: &mut CacheUse,
    mut sink: impl Sink,
) -> std::io::Result<Tally> {
    let mut failed = None;
    // What is reported: the selected notes (all of the tally when the
    // root itself is selected).
    let mut shown = Tally::new(vetter.today);
    let mut report = |note: &NoteReport, shown: &mut Tally| {
        if !selection.has(&note.path) {
            return;
        }
        shown.count(note);
        // With the bar on screen, each note's report is written out while
        // the bar is hidden (not left in a buffer to land under it).
        if failed.is_none()
            && let Err(e) = progress.suspend(|| {
                sink.note(note)?;
                if progress.visible() {
                    sink.flush()?;
                }
                Ok(())
            })
        {
            failed = Some(e);
        }
    };
    // `--no-write` with notes only: just those files, no scan.
    let only_files = publisher.is_none() && selection.only_files();
    if only_files {
        let results = vetter.results_key();
        for rel in &selection.0 {
            let f = notes_vet::scan::NoteFile {
                path: dir.join(rel),
                rel: rel.clone(),
            };
            // The folder's skip rules hold for a file named on its own too
            // (pre-commit names every staged note): hidden folders, the
            // output folder, `exclude`, and what is not a note.
            if notes_vet::scan::passed_by(rel, &f.path, vetter.config) {
                shown.skip(notes_vet::engine::Skip::NotClient);
                continue;
            }
            match vetter
                .vet_file_with(&f, None, cache.reader.as_ref(), false, results)
                .0
            {
                Outcome::Vetted(n) => report(&n, &mut shown),
                Outcome::Failed(e) => shown.errors.push(e),
                Outcome::Skipped(why) => shown.skip(why),
            }
            progress.tick();
        }
        progress.finish();
        if let Some(e) = failed {
            return Err(e);
        }
        sink.finish(&shown)?;
        return Ok(shown);
    }
    let hook_ref = publisher
        .as_ref()
        .map(|p| p as &dyn notes_vet::engine::NoteHook);
    // As `Vetter::vet_folder`, counting what is skipped under the
    // selected paths too.
    let mut tally = Tally::new(vetter.today);
    let mut summaries = Vec::new();
    let scan = cache
        .scan
        .take()
        .unwrap_or_else(|| notes_vet::scan::scan(dir, vetter.config));
    let problems = vetter.vet_scanned(
        dir,
        scan,
        &|| progress.tick(),
        hook_ref,
        cache.reader.as_ref(),
        cache.writer.as_mut(),
        &mut |file, o| match o {
            Outcome::Skipped(why) => {
                tally.skip(why);
                if selection.has(&file.rel) {
                    shown.skip(why);
                }
            }
            Outcome::Vetted(n) => {
                tally.count(&n);
                summaries.push(n.summary());
                report(&n, &mut shown);
            }
            Outcome::Failed(e) => tally.errors.push(e),
        },
    );
    // The next cache replaces the old one only once the pass is whole. It
    // is finished (its index written) on a thread of its own while the
    // generated files are (the dashboard, the manifest): they share no
    // file, and both are the writing run's last serial work.
    let writer = cache.writer.take();
    let listing = cache.listing.take();
    let (root, reader) = (&cache.root, cache.reader.as_ref());
    let finished = std::thread::scope(|s| {
        let finishing = writer.map(|w| {
            s.spawn(move || {
                let finished = w.finish(root, reader);
                if finished.is_ok()
                    && let Some(bytes) = listing
                {
                    // Only a way to list fewer folders: one not written
                    // (the cache beside it was) leaves the next run to
                    // list them, as this one did.
                    let cache = notes_vet::cache::path_for(vetter.config);
                    let _ = notes_vet::listing::save(&cache, &bytes);
                }
                finished
            })
        });
        tally.errors.extend(problems);
        tally.errors.sort_by(|a, b| a.path.cmp(&b.path));
        if !summaries.is_empty() {
            tally.folder = vetter.folder(&summaries);
        }
        progress.finish();
        if let Some(p) = publisher {
            p.finish(&mut tally, true);
        }
        finishing.map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    });
    if let Some(Err(e)) = finished {
        cache.failed = Some(e);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    if selection.all() {
        sink.finish(&tally)?;
        return Ok(tally);
    }
    // Only the selected paths: their errors and kept files; folder-level
    // findings belong to the whole root.
    shown.errors = tally
        .errors
        .into_iter()
        .filter(|e| selection.has(&e.path))
        .collect();
    shown.kept = tally.kept;
    sink.finish(&shown)?;
    Ok(shown)
}

/// A progress bar on stderr that appears only once a run on a terminal has
/// taken more than a moment.
struct Progress {
    bar: Option<ProgressBar>,
    after: Duration,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `total` notes (none when it cannot be seen), labelled
    /// in the run's language.
    fn new(total: Option<u64>, label: &str) -> Self {
        let bar = total.map(|total| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            // `{` and `}` in the label would be read as template fields.
            let label = label.replace(['{', '}'], "");
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{{spinner}} {label} {{pos}}/{{len}} ({{eta}})"
            )) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            // How long a run must take before the bar appears (an
            // environment variable lets the tests see it at once).
            after: std::env::var("NOTES_VET_PROGRESS_AFTER_MS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map_or(Duration::from_millis(300), Duration::from_millis),
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > self.after
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// True once the bar is on screen.
    fn visible(&self) -> bool {
        self.bar.is_some() && self.shown.load(Ordering::Relaxed)
    }

    /// Runs `f` (which prints) with the bar hidden: the report never
    /// shares a line with it.
    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown.load(Ordering::Relaxed) => bar.suspend(f),
            _ => f(),
        }
    }
}
