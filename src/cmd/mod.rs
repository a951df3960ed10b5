//! Command-line arguments shared by every command, and dispatch to one
//! module per command.

/// `println!` that does not panic when stdout is closed early
/// (`notes-vet clean --dry-run | head -1`): the rest is simply not read.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod check;
mod clean;
mod completions;
mod explain;
mod init;
mod lsp;
mod new_rule;
mod rules;
mod watch;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use notes_vet::config::Config;
use notes_vet::i18n::{Catalog, Lang, Msg};
use notes_vet::rules::{Registry, Ruleset};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The run's words once its config is read.
static RUN_WORDS: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();

/// Exit code: nothing wrong.
pub const OK: u8 = 0;
/// Exit code: a note has an error-severity finding or could not be read.
pub const NOTE_ERRORS: u8 = 1;
/// Exit code: bad usage, config or plugin.
pub const USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "notes-vet",
    version,
    about = "Vet a folder of client notes for red flags, decide who to accept, keep or let go",
    long_about = "notes-vet reads the front matter of one markdown note per client, runs red-flag rules \
drawn from four articles on saying no to clients, firing toxic clients, handling difficult ones and \
learning from being dropped, and decides a verdict for every client.",
    after_help = "Exit codes: 0 clean; 1 a note has an error-severity finding or could not be read; 2 bad usage, config or plugin."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Flags every command accepts.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// The date rules treat as today [env: NOTES_VET_TODAY] [default: the local date]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Use this config file instead of looking for notes-vet.toml
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Do not write any generated file
    #[arg(long, global = true)]
    pub no_write: bool,
    /// Read and parse every note, ignoring the parse cache (and write none)
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Print only notes with findings, errors and the tally
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// When to use colour (NO_COLOR is honoured; never when piped with auto)
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// The language of everything a person reads [default: `language` in notes-vet.toml, else the locale (LC_ALL, LC_MESSAGES, LANG), else en]
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "LANG",
        ignore_case = true
    )]
    pub lang: Option<LangArg>,
    /// Run only these rules: codes, code prefixes (NV2) or names, comma-separated
    #[arg(long, global = true, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules: codes, code prefixes or names, comma-separated
    #[arg(long, global = true, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

/// The languages of `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Tr,
}

impl Global {
    /// The language asked for on the command line.
    pub fn lang(&self) -> Option<Lang> {
        self.lang.map(|l| match l {
            LangArg::En => Lang::En,
            LangArg::Tr => Lang::Tr,
        })
    }

    /// Only some rules run (`--select`/`--ignore`): the run reports but
    /// writes nothing, as with `--no-write` (see "Flags" in the README).
    pub fn partial_rules(&self) -> bool {
        !self.select.is_empty() || !self.ignore.is_empty()
    }

    /// The words of this run: once a config is read, its language (see
    /// [`load_rules`]); before that, or when it cannot be read, `--lang`,
    /// else the locale.
    pub fn words(&self) -> Arc<Catalog> {
        if let Some(w) = RUN_WORDS.get() {
            return w.clone();
        }
        Catalog::builtin(self.lang().unwrap_or_else(Lang::from_process_env))
    }

    /// The words for a config that failed: the language it asked for, if
    /// it could be read (`--lang` still first); from then on, the run's.
    fn words_for(&self, asked: Option<Lang>) -> Arc<Catalog> {
        let words = Catalog::builtin(self.lang().or(asked).unwrap_or_else(Lang::from_process_env));
        let _ = RUN_WORDS.set(words.clone());
        words
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    pub fn choice(self) -> anstream::ColorChoice {
        match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Vet every client note of a folder once, write summaries, letters and the dashboard, and report
    Check(check::Args),
    /// Remove generated files and annotation blocks, except those you edited
    Clean(clean::Args),
    /// List every rule: code, name, effective severity and summary
    Rules(rules::Args),
    /// Explain one rule: what it checks, why, its keys, options and an example
    Explain(explain::Args),
    /// Scaffold notes-vet.toml, an example note and an example plugin
    Init(init::Args),
    /// Scaffold a Lua rule in your plugin folder
    NewRule(new_rule::Args),
    /// Vet once like check, then keep every output current as notes change, until Ctrl-C
    Watch(watch::Args),
    /// Serve the Language Server Protocol over stdio: findings in your editor as you type
    #[command(
        after_help = "--config, --lang, --select, --ignore and --today apply as for check; --format, --no-write, --quiet and --color have no effect (the server writes no file and speaks JSON-RPC). See \"Editor integration\" in the README."
    )]
    Lsp(lsp::Args),
    /// Print a shell completion script
    Completions(completions::Args),
}

/// Runs the command and returns its exit code.
pub fn run(cli: Cli) -> u8 {
    let g = &cli.global;
    match cli.command {
        Command::Check(a) => check::run(a, g),
        Command::Clean(a) => clean::run(a, g),
        Command::Rules(a) => rules::run(a, g),
        Command::Explain(a) => explain::run(a, g),
        Command::Init(a) => init::run(a, g),
        Command::NewRule(a) => new_rule::run(a, g),
        Command::Watch(a) => watch::run(a, g),
        Command::Lsp(a) => lsp::run(a, g),
        Command::Completions(a) => completions::run(a),
    }
}

/// Prints a message as `warning: ...` on stderr.
pub fn warn(g: &Global, message: impl std::fmt::Display) {
    say(
        g,
        anstyle::AnsiColor::Yellow,
        "cli-warning",
        &message.to_string(),
    );
}

/// Prints `message` on stderr after the catalog's `label` (`error`,
/// `warning`) in bold `color`. Messages quote config, template and plugin
/// text: nothing in them may reach the terminal as a control sequence.
fn say(g: &Global, color: anstyle::AnsiColor, label: &str, message: &str) {
    use std::io::Write;
    let style = color.on_default().effects(anstyle::Effects::BOLD);
    let mut err = anstream::AutoStream::new(std::io::stderr(), g.color.choice());
    let _ = writeln!(
        err,
        "{style}{}{style:#}: {}",
        g.words().get(label),
        notes_vet::report::visible_lines(message)
    );
}

/// The parse cache of a run (see "Speed" in the README): the one there is
/// (unless `--no-cache`; a damaged one is ignored with a warning, which
/// says whether this run, a writing one, rebuilds it).
pub fn open_cache(
    g: &Global,
    config: &Config,
    root: &Path,
    write: bool,
) -> Option<notes_vet::cache::Reader> {
    use notes_vet::cache::{self, Reader, Unusable};
    if g.no_cache {
        return None;
    }
    let path = cache::path_for(config);
    let root = notes_vet::publish::absolute(root);
    match Reader::open(&path, &root) {
        Ok(r) => r,
        Err(Unusable::Stale) => None,
        Err(Unusable::Damaged(why)) => {
            let words = [Msg::new("cache-ignored"), Msg::new("cache-ignored-read")];
            warn_ignored(g, config, &path, &why, words, write);
            None
        }
    }
}

/// Warns that the damaged file at `path` (of the parse cache) was ignored
/// for `why`, in the first of `words` for a writing run (which rebuilds
/// it), else the second; both take the path and the reason.
fn warn_ignored(g: &Global, config: &Config, path: &Path, why: &Msg, words: [Msg; 2], write: bool) {
    let [rebuilt, read] = words;
    let m = (if write { rebuilt } else { read })
        .arg("path", path.display().to_string())
        .arg("why", config.catalog.msg(why));
    warn(g, config.catalog.msg(&m));
}

/// The notes of `root`, each folder that is as it was taken from the
/// folder listing kept with the cache (see [`notes_vet::listing`]), unless
/// `--no-cache`; a damaged listing is said as a warning. With `record`
/// (a writing run), also the listing to keep when it changed.
pub fn scan_root(
    g: &Global,
    config: &Config,
    root: &Path,
    record: bool,
    lock: Option<&notes_vet::lock::FolderLock>,
) -> notes_vet::listing::Listed {
    if g.no_cache {
        return notes_vet::listing::Listed {
            scan: notes_vet::scan::scan(root, config),
            listed: 0,
            reused: 0,
            to_save: None,
            damaged: None,
        };
    }
    let cache = notes_vet::cache::path_for(config);
    let path = notes_vet::listing::path_beside(&cache);
    // The lock file was written just now: its time is the file system's
    // clock (see `listing::scan`).
    let fs_now = lock
        .and_then(|l| std::fs::metadata(l.path()).ok())
        .and_then(|m| m.modified().ok());
    let listed = notes_vet::listing::scan(root, config, &path, record, fs_now);
    if let Some(why) = &listed.damaged {
        let words = [
            Msg::new("listing-ignored"),
            Msg::new("listing-ignored-read"),
        ];
        warn_ignored(g, config, &path, why, words, record);
    }
    listed
}

/// The cache a writing run leaves (its results under `results`, the run's
/// [`notes_vet::engine::Vetter::results_key`]), to replace `old`. Made
/// once the output folder is open (its `.cache` folder would make a new
/// output folder look like the user's).
pub fn next_cache(
    g: &Global,
    config: &Config,
    old: Option<&notes_vet::cache::Reader>,
    results: u64,
) -> Option<notes_vet::cache::Writer> {
    use notes_vet::cache::{self, Writer};
    if g.no_cache {
        return None;
    }
    let path = cache::path_for(config);
    match Writer::create(&path, old, results) {
        Ok(w) => Some(w),
        Err(e) => {
            cache_unwritten(g, config, &path, &e);
            None
        }
    }
}

/// The notes root for a folder `start` (see "The notes root" in the
/// README): the folder of its `notes-vet.toml` (found above it, or given
/// with `--config` when `start` lies inside that file's folder, so that
/// a run from a subfolder keeps the whole root's output folder whole),
/// else `start`.
pub fn notes_root(start: &Path, config: Option<&Path>) -> PathBuf {
    let file = match config {
        Some(c) => Some(c.to_path_buf()),
        None => Config::discover(start),
    };
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    match file.as_deref().and_then(Path::parent) {
        Some(dir) if config.is_none() || canon(start).starts_with(canon(dir)) => {
            if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.to_path_buf()
            }
        }
        _ => start.to_path_buf(),
    }
}

/// Warns that the parse cache at `path` could not be written.
pub fn cache_unwritten(g: &Global, config: &Config, path: &Path, e: &std::io::Error) {
    warn(
        g,
        config.catalog.msg(&notes_vet::msg!(
            "cache-unwritten",
            path = path.display().to_string(),
            error = e.to_string()
        )),
    );
}

/// Prints a message as `error: ...` on stderr.
pub fn fail(g: &Global, message: impl std::fmt::Display) -> u8 {
    say(
        g,
        anstyle::AnsiColor::Red,
        "cli-error",
        &message.to_string(),
    );
    USAGE
}

/// Today: `--today`, else `NOTES_VET_TODAY`, else the local date.
pub fn today(g: &Global) -> Result<Date, String> {
    let (text, source) = match (&g.today, std::env::var("NOTES_VET_TODAY")) {
        (Some(t), _) => (t.clone(), "--today"),
        (None, Ok(t)) if !t.trim().is_empty() => (t, "NOTES_VET_TODAY"),
        _ => return Ok(jiff::ZonedDateTime::now().date()),
    };
    notes_vet::engine::parse_today(&text).ok_or_else(|| {
        g.words().msg(&notes_vet::msg!(
            "cli-today",
            source = source,
            found = text.as_str()
        ))
    })
}

/// Takes the one-writer lock on the config's output folder for `command`.
pub fn lock_output(
    config: &Config,
    notes_dir: &Path,
    command: &str,
) -> Result<notes_vet::lock::FolderLock, String> {
    let output = notes_vet::publish::output_folder(config, notes_dir).map_err(|e| e.to_string())?;
    notes_vet::lock::FolderLock::acquire(&output, command)
        .map_err(|e| e.message(&config.output_dir.display().to_string(), &config.catalog))
}

/// Loads the config for `dir` and applies it to the rule registry.
pub fn load_rules(dir: &Path, g: &Global) -> Result<(Config, Ruleset), String> {
    if let Some(c) = &g.config
        && !c.is_file()
    {
        return Err(g.words().msg(&notes_vet::msg!(
            "config-no-file",
            path = c.display().to_string()
        )));
    }
    let mut config =
        Config::load(dir, g.config.as_deref()).map_err(|e| e.describe(&g.words_for(e.lang)))?;
    config
        .localize(g.lang(), Lang::from_process_env())
        .map_err(|e| e.describe(&g.words_for(e.lang)))?;
    // From here on, every message of the command (errors included) is in
    // the run's language.
    let _ = RUN_WORDS.set(config.catalog.clone());
    let registry = Registry::for_config(&config).map_err(|e| e.describe(&config.catalog))?;
    let mut ruleset = Ruleset::new(registry, &config).map_err(|e| e.describe(&config.catalog))?;
    ruleset
        .restrict(&g.select, &g.ignore)
        .map_err(|m| config.catalog.msg(&m))?;
    Ok((config, ruleset))
}
