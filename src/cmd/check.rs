//! `notes-vet check [DIR]`: vet every client note once, write the generated
//! files (unless `--no-write`) and report.

use super::{Global, OutputFormat, fail, load_rules, today};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use notes_vet::engine::{NoteReport, Tally, Vetter};
use notes_vet::publish::Publisher;
use notes_vet::report::{human, json};
use notes_vet::rules::Ruleset;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, g: &Global) -> u8 {
    let dir = args.dir;
    if !dir.is_dir() {
        let id = if dir.exists() {
            notes_vet::i18n::Msg::new("cli-folder-not-dir")
        } else {
            notes_vet::i18n::Msg::new("cli-folder-missing")
        };
        return fail(g, g.words().msg(&id.arg("dir", dir.display().to_string())));
    }
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
    // run to keep current) gets no `_vetted/`: nothing is written.
    let write = !g.no_write
        && (notes_vet::publish::absolute(&config.output_dir).exists()
            || vetter.has_client_notes(&dir));
    // One writer per output folder (see "Watching a folder" in the README);
    // held until the end.
    let _lock = if !write {
        None
    } else {
        match super::lock_output(&config, &dir, "check") {
            Ok(l) => Some(l),
            Err(e) => return fail(g, e),
        }
    };
    let publisher = if !write {
        None
    } else {
        match Publisher::new(&config, &ruleset, &dir, today) {
            Ok(p) => Some(p),
            Err(e) => return fail(g, e),
        }
    };
    let progress = Progress::new(human && !g.quiet && std::io::stderr().is_terminal());

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
                    &progress,
                    publisher,
                    JsonSink {
                        stream,
                        rules: &ruleset,
                    },
                )
            });
            r.and_then(|t| out.flush().map(|_| t))
        }
        OutputFormat::Human => {
            let stdout = anstream::AutoStream::new(std::io::stdout().lock(), g.color.choice());
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
            let opts = human::HumanOptions { quiet: g.quiet };
            let r = pass(
                &vetter,
                &dir,
                &progress,
                publisher,
                HumanSink {
                    out: &mut out,
                    rules: &ruleset,
                    opts,
                    dir: dir.display().to_string(),
                },
            );
            r.and_then(|t| out.flush().map(|_| t))
        }
    };
    progress.finish();
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
}

impl Sink for HumanSink<'_, '_> {
    fn note(&mut self, note: &NoteReport) -> std::io::Result<()> {
        self.out
            .write_all(human::note_text(note, self.rules, self.opts).as_bytes())
    }
    fn finish(self, tally: &Tally) -> std::io::Result<()> {
        if tally.notes == 0 && tally.errors.is_empty() {
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

/// One pass: vet (writing each note's files in the worker), report each
/// note as it comes, then write the dashboard and close the report.
fn pass(
    vetter: &Vetter<'_>,
    dir: &std::path::Path,
    progress: &Progress,
    publisher: Option<Publisher<'_>>,
    mut sink: impl Sink,
) -> std::io::Result<Tally> {
    let mut failed = None;
    let hook_ref = publisher
        .as_ref()
        .map(|p| p as &dyn notes_vet::engine::NoteHook);
    let mut tally = vetter.vet_folder(dir, &|| progress.tick(), hook_ref, &mut |note| {
        if failed.is_none()
            && let Err(e) = sink.note(&note)
        {
            failed = Some(e);
        }
    });
    progress.finish();
    if let Some(p) = publisher {
        p.finish(&mut tally, true);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    sink.finish(&tally)?;
    Ok(tally)
}

/// A progress bar on stderr that appears only once a run on a terminal has
/// taken more than a moment.
struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} vetting notes: {pos} done, {per_sec}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_millis(300)
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
}
