//! `notes-vet check [DIR]`: vet every client note once and report.

use super::{Global, OutputFormat, fail, load_rules, today};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use notes_vet::engine::Vetter;
use notes_vet::report::{human, json};
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
        let what = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return fail(g, format!("the notes folder {} {what}", dir.display()));
    }
    let today = match today(g) {
        Ok(t) => t,
        Err(e) => return fail(g, e),
    };
    let (config, ruleset) = match load_rules(&dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let human = g.format == OutputFormat::Human;
    let vetter = Vetter {
        ruleset: &ruleset,
        config: &config,
        today,
        keep_source: human,
    };

    let progress = Progress::new(human && !g.quiet && std::io::stderr().is_terminal());
    let result = match g.format {
        OutputFormat::Json => {
            // JSON never carries colour: write it straight through a buffer,
            // indented for a person at a terminal, compact for a program.
            let pretty = std::io::stdout().is_terminal();
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            stream_json(&vetter, &dir, &progress, pretty, &mut stdout)
                .and_then(|tally| stdout.flush().map(|_| tally))
        }
        OutputFormat::Human => {
            let opts = human::HumanOptions { quiet: g.quiet };
            let stdout = anstream::AutoStream::new(std::io::stdout().lock(), g.color.choice());
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, stdout);
            let mut failed = None;
            let tally = vetter.vet_folder(&dir, &|| progress.tick(), &mut |note| {
                if failed.is_none() {
                    let text = human::note_text(&note, &ruleset, opts);
                    if let Err(e) = stdout.write_all(text.as_bytes()) {
                        failed = Some(e);
                    }
                }
            });
            progress.finish();
            match failed {
                Some(e) => Err(e),
                None => stdout
                    .write_all(human::closing_text(&tally, &ruleset).as_bytes())
                    .and_then(|_| stdout.flush())
                    .map(|_| tally),
            }
        }
    };
    progress.finish();
    match result {
        Ok(tally) if tally.has_errors() => super::NOTE_ERRORS,
        Ok(_) => super::OK,
        // A reader that went away (`| head`) is not a failure of the run.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => super::OK,
        Err(e) => fail(g, format!("cannot write the report: {e}")),
    }
}

fn stream_json(
    vetter: &Vetter<'_>,
    dir: &std::path::Path,
    progress: &Progress,
    pretty: bool,
    out: &mut dyn Write,
) -> std::io::Result<notes_vet::engine::Tally> {
    let mut stream = json::JsonStream::begin(out, vetter.today, pretty)?;
    let mut failed = None;
    let tally = vetter.vet_folder(dir, &|| progress.tick(), &mut |note| {
        if failed.is_none()
            && let Err(e) = stream.note(&note, vetter.ruleset)
        {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    stream.finish(&tally, vetter.ruleset)?;
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
