//! `notes-vet watch [DIR]`: one pass like `check`, then every output kept
//! current as notes change, until Ctrl-C or SIGTERM. The loop is the
//! library's [`notes_vet::watch`]; this file wires the flags, the signals
//! and the terminal or JSON-lines output.

use super::{Global, OutputFormat, fail};
use notes_vet::report::{human, live};
use notes_vet::rules::Ruleset;
use notes_vet::watch::{self, LiveEvent, Observer, WatchOptions, events::Msg};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Quiet time after the last change before it is processed
    #[arg(long, value_name = "MS", default_value_t = watch::DEFAULT_DEBOUNCE.as_millis() as u64)]
    debounce: u64,
    /// Poll for changes every MS milliseconds instead of inotify (network
    /// and cloud-synced folders)
    #[arg(long, value_name = "MS", num_args = 0..=1, default_missing_value = "1000")]
    poll: Option<u64>,
}

pub fn run(args: Args, g: &Global) -> u8 {
    if !args.dir.is_dir() {
        let message = g.words().msg(&notes_vet::msg!(
            "cli-folder-missing",
            dir = args.dir.display().to_string()
        ));
        return fail(g, message);
    }
    // A date given by flag or environment is fixed; otherwise watch
    // follows the local date as it changes.
    let fixed =
        g.today.is_some() || std::env::var("NOTES_VET_TODAY").is_ok_and(|t| !t.trim().is_empty());
    let today = match super::today(g) {
        Ok(t) => t,
        Err(e) => return fail(g, e),
    };
    if args.poll == Some(0) {
        return fail(g, g.words().get("cli-poll"));
    }
    let opts = WatchOptions {
        // The notes root: the folder of the notes-vet.toml that applies
        // (so `watch Clients` in a vault keeps the vault's one output
        // folder), else the folder given.
        root: notes_vet::publish::absolute(&super::notes_root(&args.dir, g.config.as_deref())),
        config: g.config.clone(),
        today: fixed.then_some(today),
        write: !g.no_write && !g.partial_rules(),
        keep_source: g.format == OutputFormat::Human,
        debounce: Duration::from_millis(args.debounce),
        poll: args.poll.map(Duration::from_millis),
        stop: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        lang: g.lang(),
        select: g.select.clone(),
        ignore: g.ignore.clone(),
        cache: !g.no_cache,
        locale: notes_vet::i18n::Lang::from_process_env(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let stop = tx.clone();
    let flag = opts.stop.clone();
    // SIGINT and SIGTERM: stop the batch in hand early, save, and exit.
    if let Err(e) = ctrlc::set_handler(move || {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = stop.send(Msg::Stop);
    }) {
        return fail(
            g,
            g.words()
                .msg(&notes_vet::msg!("cli-ctrl-c", error = e.to_string())),
        );
    }
    let mut printer = Printer {
        format: g.format,
        quiet: g.quiet,
        out: anstream::AutoStream::new(std::io::stdout(), g.color.choice()),
        dir: args.dir.display().to_string(),
    };
    match watch::run(&opts, &mut printer, tx, rx) {
        Ok(()) => super::OK,
        Err(e) => fail(g, e),
    }
}

/// Prints each event as it comes, flushed at once.
struct Printer {
    format: OutputFormat,
    quiet: bool,
    out: anstream::AutoStream<std::io::Stdout>,
    dir: String,
}

impl Printer {
    fn clock() -> (String, String) {
        let now = jiff::ZonedDateTime::now();
        (
            now.strftime("%H:%M:%S").to_string(),
            now.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        )
    }
}

impl Observer for Printer {
    fn event(&mut self, event: &LiveEvent<'_>, rules: &Ruleset) {
        let (clock, rfc3339) = Printer::clock();
        let text = match self.format {
            OutputFormat::Human => match event {
                LiveEvent::Report(note) => {
                    human::note_text(note, rules, human::HumanOptions { quiet: self.quiet })
                }
                LiveEvent::Ready {
                    tally,
                    watching,
                    polling,
                } => {
                    let words = &rules.catalog;
                    let how = match polling {
                        Some(every) => words.msg(&notes_vet::msg!(
                            "live-polling",
                            ms = every.as_millis().to_string()
                        )),
                        None => words.get("live-ctrl-c"),
                    };
                    format!(
                        "{}{clock}  {}\n",
                        human::closing_text(tally, rules),
                        words.msg(&notes_vet::msg!(
                            "live-watching",
                            count = *watching,
                            dir = self.dir.as_str(),
                            how = how
                        ))
                    )
                }
                // --quiet: only notes with findings, and errors.
                LiveEvent::Note { note, .. } | LiveEvent::Unchanged(note)
                    if self.quiet && note.findings.is_empty() =>
                {
                    String::new()
                }
                other => live::human(other, rules, &clock),
            },
            OutputFormat::Json => {
                let mut lines = String::new();
                if let LiveEvent::Ready { tally, .. } = event {
                    // What `check` reports after the notes, as events.
                    for e in &tally.errors {
                        lines.extend(live::json_line(&LiveEvent::Error(e), rules, &rfc3339));
                        lines.push('\n');
                    }
                    if !tally.folder.is_empty() {
                        lines.extend(live::json_line(
                            &LiveEvent::Folder(&tally.folder),
                            rules,
                            &rfc3339,
                        ));
                        lines.push('\n');
                    }
                    for k in &tally.kept {
                        lines.extend(live::json_line(&LiveEvent::Kept(k), rules, &rfc3339));
                        lines.push('\n');
                    }
                }
                if let Some(l) = live::json_line(event, rules, &rfc3339) {
                    lines.push_str(&l);
                    lines.push('\n');
                }
                lines
            }
        };
        if !text.is_empty() {
            let _ = self.out.write_all(text.as_bytes());
            let _ = self.out.flush();
        }
    }
}
