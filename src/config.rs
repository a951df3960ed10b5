//! `notes-vet.toml`: the raw options exactly as the user writes them (every
//! key optional, unknown keys refused) and the resolved settings with their
//! defaults. Rule sections (`[rules.CODE]`) are checked against the rule
//! registry in [`crate::rules::Ruleset::new`].

use crate::dates;
use crate::i18n::{Catalog, Lang, Msg};
use crate::msg;
use jiff::civil::Time;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The config file's name.
pub const FILE_NAME: &str = "notes-vet.toml";

/// A config problem: which file, and what is wrong (naming the key).
/// `Display` gives it in English; [`ConfigError::describe`] in the run's
/// language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", self.at())]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column in the file, when known.
    pub pos: Option<(u32, u32)>,
    pub message: Msg,
    /// The language the file asks for, when it could be read: the error is
    /// best said in it.
    pub lang: Option<Lang>,
}

impl ConfigError {
    /// `file:line:column`, or the file alone.
    pub fn at(&self) -> String {
        match self.pos {
            Some((l, c)) => format!("{}:{l}:{c}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// The error in the words of `catalog`, after where it is.
    pub fn describe(&self, catalog: &Catalog) -> String {
        let message = catalog.msg(&self.message);
        if self.path.as_os_str().is_empty() {
            message
        } else {
            format!("{}: {message}", self.at())
        }
    }
}

/// The `exclude` globs, matched against `/`-separated paths relative to the
/// notes folder: `*` stays within one folder, `**` crosses folders. Case
/// is ignored where the file system ignores it (macOS, Windows) and
/// matters elsewhere, as the user's own file names do.
fn exclude_set(patterns: &[String]) -> Result<globset::GlobSet, (String, String)> {
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .case_insensitive(cfg!(any(target_os = "macos", target_os = "windows")))
            .build()
            .map_err(|e| (p.clone(), e.kind().to_string()))?;
        set.add(glob);
    }
    set.build().map_err(|e| (String::new(), e.to_string()))
}

/// A TOML value described as NV001 describes a note's values: `the string
/// "ten"`, `the number 3`, `a list`.
pub(crate) fn describe_value(v: &toml::Value) -> Msg {
    match v {
        toml::Value::String(s) => msg!("found-string", value = s.as_str()),
        toml::Value::Integer(i) => msg!("found-number", value = i.to_string()),
        toml::Value::Float(x) => msg!("found-number", value = x.to_string()),
        toml::Value::Boolean(b) => msg!("found-bool", value = b.to_string()),
        toml::Value::Array(_) => msg!("found-list"),
        toml::Value::Table(_) => msg!("found-mapping"),
        toml::Value::Datetime(d) => msg!("found-raw", value = d.to_string()),
    }
}

/// The language a config text asks for (`language`, else `[letters]
/// language`), read leniently: for saying an error in it.
fn language_of(text: &str) -> Option<Lang> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let top = table.get("language").and_then(|v| v.as_str());
    let letters = table
        .get("letters")
        .and_then(|l| l.get("language"))
        .and_then(|v| v.as_str());
    top.or(letters).and_then(Lang::parse)
}

/// The dotted key written on `line` (1-based) of a TOML text, with the
/// `[table]` it is in: `verdict.reject`. Empty when the line holds none.
/// A value inside a multi-line array belongs to the key above it.
fn key_at(text: &str, line: u32) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut table = String::new();
    let mut key = String::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim();
        if let Some(h) = l.strip_prefix('[').and_then(|h| h.split(']').next()) {
            table = h.trim_matches('[').trim().to_string();
            key.clear();
        } else if let Some((k, _)) = l.split_once('=')
            && !k.trim().is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' '))
        {
            key = k
                .trim()
                .split('.')
                .map(|part| part.trim().trim_matches('"'))
                .collect::<Vec<_>>()
                .join(".");
        }
        if (i as u32) + 1 == line {
            break;
        }
    }
    match (table.is_empty(), key.is_empty()) {
        (_, true) => String::new(),
        (true, false) => key,
        (false, false) => format!("{table}.{key}"),
    }
}

/// A TOML error put in words: where it is, and (for the mistakes people
/// make: an unknown key, a value of the wrong type) what was expected, in
/// the run's language; other syntax errors keep the parser's own words.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let pos = e.span().map(|s| {
        let before = &text[..s.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        (line as u32, col as u32)
    });
    let detail = e.message().trim_end();
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let message = if let Some(rest) = detail.strip_prefix("unknown field ") {
        let names = quoted(rest);
        match names.split_first() {
            Some((key, known)) if !known.is_empty() => msg!(
                "config-unknown-key",
                key = key.as_str(),
                known = known.join(", ")
            ),
            Some((key, _)) => msg!("config-unknown-key", key = key.as_str(), known = "—"),
            None => msg!("config-invalid", detail = detail),
        }
    } else if let Some(rest) = detail.strip_prefix("invalid type: ") {
        match rest.rsplit_once(", expected ") {
            Some((found, expected)) => {
                let expected = match expected {
                    e if e.starts_with("struct ") => "table",
                    "u32" | "u64" => "count",
                    "i64" | "i32" => "int",
                    "f64" => "number",
                    "a boolean" => "bool",
                    "a sequence" => "list",
                    "a string" => "text",
                    _ => "other",
                };
                // serde's words for what was found (`string "three"`,
                // `integer `3``), described as NV001 describes values.
                let inner = |s: &str| s.trim_matches(|c| c == '"' || c == '`').to_string();
                let found = if let Some(s) = found.strip_prefix("string ") {
                    msg!("found-string", value = inner(s))
                } else if let Some(n) = found
                    .strip_prefix("integer ")
                    .or_else(|| found.strip_prefix("floating point "))
                {
                    msg!("found-number", value = inner(n))
                } else if let Some(b) = found.strip_prefix("boolean ") {
                    msg!("found-bool", value = inner(b))
                } else if found == "sequence" {
                    msg!("found-list")
                } else if found == "map" {
                    msg!("found-mapping")
                } else {
                    msg!("found-raw", value = found)
                };
                let key = pos.map_or_else(String::new, |(line, _)| key_at(text, line));
                msg!(
                    "config-wrong-type",
                    keyed = if key.is_empty() { "no" } else { "yes" },
                    key = key,
                    found = found,
                    expected = expected,
                    detail = detail
                )
            }
            None => msg!("config-invalid", detail = detail),
        }
    } else {
        // A syntax error: the parser's own words, framed.
        msg!("config-toml-syntax", detail = detail)
    };
    ConfigError {
        path: path.to_path_buf(),
        pos,
        message,
        lang: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    language: Option<String>,
    output_dir: Option<String>,
    templates_dir: Option<String>,
    exclude: Option<Vec<String>>,
    annotate: Option<bool>,
    practice: Option<RawPractice>,
    verdict: Option<RawVerdict>,
    letters: Option<RawLetters>,
    plugins: Option<RawPlugins>,
    rules: Option<BTreeMap<String, toml::Table>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    services: Option<Vec<String>>,
    working_hours: Option<String>,
    working_days: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerdict {
    caution: Option<u32>,
    reject: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLetters {
    sender: Option<String>,
    explain_reason: Option<bool>,
    resources: Option<Vec<String>>,
    referrals: Option<Vec<String>>,
    language: Option<String>,
    include_contact_log: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlugins {
    dirs: Option<Vec<String>>,
    memory_limit_mb: Option<u32>,
    time_limit_ms: Option<u32>,
}

/// Your practice: what you offer and when you can be reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    /// Services you offer, lower-cased; empty when not configured.
    pub services: Vec<String>,
    /// Working hours: start included, end excluded.
    pub hours: (Time, Time),
    /// Working days, Monday first.
    pub days: [bool; 7],
}

impl Default for Practice {
    fn default() -> Self {
        Practice {
            services: Vec::new(),
            hours: (Time::constant(9, 0, 0, 0), Time::constant(18, 0, 0, 0)),
            days: [true, true, true, true, true, false, false],
        }
    }
}

impl Practice {
    /// True when a contact at this moment falls outside working hours or days.
    /// A contact without a time never counts as after hours.
    pub fn is_after_hours(&self, at: &dates::Moment) -> bool {
        let Some(time) = at.time else { return false };
        let weekday = at.date.weekday() as usize - 1;
        if !self.days[weekday] {
            return true;
        }
        let (start, end) = self.hours;
        !(time >= start && time < end)
    }

    /// Working hours as a letter writes them (`09:00–18:00`, an en dash).
    pub fn hours_spoken(&self) -> String {
        let (s, e) = self.hours;
        let end = if e == Time::MAX {
            "24:00".to_string()
        } else {
            format!("{:02}:{:02}", e.hour(), e.minute())
        };
        format!("{:02}:{:02}–{end}", s.hour(), s.minute())
    }

    /// Working days as runs of consecutive days (`mon`..`fri`), Monday
    /// first: what a letter says as "Monday to Friday".
    pub fn day_runs(&self) -> Vec<(&'static str, &'static str)> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < 7 {
            if !self.days[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && self.days[i + 1] {
                i += 1;
            }
            if i == start + 1 {
                // Two days are named, not ranged: "Monday and Tuesday".
                runs.push((DAYS[start], DAYS[start]));
                runs.push((DAYS[i], DAYS[i]));
            } else {
                runs.push((DAYS[start], DAYS[i]));
            }
            i += 1;
        }
        runs
    }

    /// Working hours as written in the config (`09:00-18:00`).
    pub fn hours_text(&self) -> String {
        let (s, e) = self.hours;
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            s.hour(),
            s.minute(),
            e.hour(),
            e.minute()
        )
    }

    /// Working days as short names (`mon`, `tue`, ...).
    pub fn day_names(&self) -> Vec<&'static str> {
        DAYS.iter()
            .zip(self.days)
            .filter(|(_, on)| *on)
            .map(|(d, _)| *d)
            .collect()
    }

    /// Working days, to be written out in the run's language.
    pub fn days_msg(&self) -> crate::i18n::Arg {
        crate::i18n::Arg::Days(self.days)
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Per-check budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Memory a check may allocate on top of what the loaded plugins use.
    pub memory: usize,
    /// Wall time a check may run.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: 32 << 20,
            time: Duration::from_millis(250),
        }
    }
}

/// Score thresholds of the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictThresholds {
    pub caution: u32,
    pub reject: u32,
}

impl Default for VerdictThresholds {
    fn default() -> Self {
        VerdictThresholds {
            caution: 1,
            reject: 3,
        }
    }
}

/// What the letters say and who signs them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Letters {
    pub sender: Option<String>,
    pub explain_reason: bool,
    pub resources: Vec<String>,
    pub referrals: Vec<String>,
    /// A rejection letter to a fired client carries the dates, times and
    /// channels of the contacts that led to it (never tones or remarks).
    pub include_contact_log: bool,
}

/// A `[rules.CODE]` section as written: severity, weight and options. The
/// options are checked against the rule's declared options later.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSection {
    pub severity: Option<String>,
    pub weight: Option<toml::Value>,
    pub options: BTreeMap<String, toml::Value>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file, when there is one.
    pub file: Option<PathBuf>,
    /// The language the config asks for (`language`, or its old alias
    /// `[letters] language`); `None`: the locale decides.
    pub language: Option<Lang>,
    /// The words of this run: the language's catalog with the user's
    /// overrides. English until [`Config::localize`] is called.
    pub catalog: std::sync::Arc<Catalog>,
    /// Where generated files go.
    pub output_dir: PathBuf,
    pub templates_dir: Option<PathBuf>,
    pub exclude: globset::GlobSet,
    pub exclude_patterns: Vec<String>,
    pub annotate: bool,
    pub practice: Practice,
    pub verdict: VerdictThresholds,
    pub letters: Letters,
    pub plugin_dirs: Vec<PathBuf>,
    /// Budgets of one Lua check.
    pub plugin_limits: Limits,
    pub rules: BTreeMap<String, RuleSection>,
}

impl Config {
    /// The defaults, for a notes folder with no config file.
    pub fn defaults(notes_dir: &Path) -> Config {
        Config {
            file: None,
            language: None,
            catalog: Catalog::builtin(Lang::En),
            output_dir: notes_dir.join("_vetted"),
            templates_dir: None,
            exclude: globset::GlobSet::empty(),
            exclude_patterns: Vec::new(),
            annotate: false,
            practice: Practice::default(),
            verdict: VerdictThresholds::default(),
            letters: Letters::default(),
            plugin_dirs: Vec::new(),
            plugin_limits: Limits::default(),
            rules: BTreeMap::new(),
        }
    }

    /// The language of this run.
    pub fn lang(&self) -> Lang {
        self.catalog.lang()
    }

    /// Settles the run's language: `chosen` (from `--lang`) if given, else
    /// the config's `language`, else the locale's; and loads its catalog
    /// with the user's overrides from `templates_dir`.
    pub fn localize(&mut self, chosen: Option<Lang>, locale: Lang) -> Result<(), ConfigError> {
        let lang = chosen.or(self.language).unwrap_or(locale);
        self.catalog =
            Catalog::load(lang, self.templates_dir.as_deref()).map_err(|e| ConfigError {
                path: e.path.clone(),
                pos: Some((e.line, e.column)),
                lang: self.language,
                message: msg!("config-invalid", detail = e.message),
            })?;
        Ok(())
    }

    /// Finds `notes-vet.toml` in `notes_dir` or its nearest ancestor.
    pub fn discover(notes_dir: &Path) -> Option<PathBuf> {
        let start = notes_dir
            .canonicalize()
            .unwrap_or_else(|_| notes_dir.to_path_buf());
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Loads the config for `notes_dir`: `explicit` when given, else the
    /// discovered file, else the defaults.
    pub fn load(notes_dir: &Path, explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let file = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => Config::discover(notes_dir),
        };
        let mut config = match file {
            None => Config::defaults(notes_dir),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                    path: path.clone(),
                    pos: None,
                    lang: None,
                    message: msg!("config-unreadable", error = e.to_string()),
                })?;
                Config::from_toml(notes_dir, &path, &text)?
            }
        };
        config.exclude_vault_templates(notes_dir);
        Ok(config)
    }

    /// Adds the Obsidian vault's template folders (see [`crate::vault`])
    /// to `exclude`: a template is not a client note.
    pub fn exclude_vault_templates(&mut self, notes_dir: &Path) {
        let folders = crate::vault::template_folders(notes_dir);
        if folders.is_empty() {
            return;
        }
        let mut patterns = self.exclude_patterns.clone();
        for f in folders {
            // The folder itself (so the walk never enters it) and all in it.
            let escaped = globset::escape(&f);
            patterns.push(escaped.clone());
            patterns.push(format!("{escaped}/**"));
        }
        if let Ok(set) = exclude_set(&patterns) {
            self.exclude = set;
            self.exclude_patterns = patterns;
        }
    }

    /// Parses config text; `path` names the file in errors and anchors
    /// relative paths.
    pub fn from_toml(notes_dir: &Path, path: &Path, text: &str) -> Result<Config, ConfigError> {
        Config::read_toml(notes_dir, path, text).map_err(|mut e| {
            e.lang = e.lang.or_else(|| language_of(text));
            e
        })
    }

    fn read_toml(notes_dir: &Path, path: &Path, text: &str) -> Result<Config, ConfigError> {
        let err = |message: Msg| ConfigError {
            path: path.to_path_buf(),
            pos: None,
            lang: None,
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut config = Config::defaults(notes_dir);
        config.file = Some(path.to_path_buf());
        if let Some(lang) = &raw.language {
            config.language = Some(Lang::parse(lang).ok_or_else(|| {
                err(msg!(
                    "config-language",
                    key = "language",
                    found = lang.as_str()
                ))
            })?);
        }
        // One output folder per notes root: the folder of the config file.
        config.output_dir = base.join("_vetted");
        if let Some(out) = raw.output_dir {
            if out.trim().is_empty() {
                return Err(err(msg!("config-empty", key = "output_dir")));
            }
            if Path::new(&out)
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(err(msg!(
                    "config-dotdot",
                    key = "output_dir",
                    path = format!("{out:?}")
                )));
            }
            config.output_dir = base.join(out);
        }
        config.templates_dir = raw.templates_dir.map(|t| base.join(t));
        // Templates and plugins come from inside the notes folder only, and
        // never through a symlink: a shared config cannot make notes-vet
        // read files from elsewhere into what it writes.
        let inside = |key: &str, dir: &Path| -> Result<(), ConfigError> {
            // `..` is refused outright: after a symlink it leads elsewhere
            // than its text says.
            if dir
                .strip_prefix(&base)
                .unwrap_or(dir)
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                return Err(err(msg!(
                    "config-dotdot",
                    key = key,
                    path = dir.display().to_string()
                )));
            }
            let abs = |p: &Path| {
                crate::fsx::lexical(&std::env::current_dir().unwrap_or_default().join(p))
            };
            crate::fsx::check_real_folder(&abs(&base), &abs(dir))
                .map_err(|e| err(msg!("config-folder", key = key, error = e.to_string())))
        };
        if let Some(t) = &config.templates_dir {
            inside("templates_dir", t)?;
        }
        config.annotate = raw.annotate.unwrap_or(false);
        if let Some(patterns) = raw.exclude {
            config.exclude = exclude_set(&patterns)
                .map_err(|(p, e)| err(msg!("config-glob", pattern = p, error = e)))?;
            config.exclude_patterns = patterns;
        }
        if let Some(p) = raw.practice {
            if let Some(services) = p.services {
                config.practice.services = services.iter().map(|s| s.trim().to_string()).collect();
            }
            if let Some(hours) = p.working_hours {
                config.practice.hours = parse_hours(&hours)
                    .ok_or_else(|| err(msg!("config-hours", found = hours.as_str())))?;
            }
            if let Some(days) = p.working_days {
                let mut set = [false; 7];
                for d in &days {
                    let key = d.trim().to_lowercase();
                    let idx = DAYS
                        .iter()
                        .position(|name| key.starts_with(name) && is_day_name(&key, name));
                    match idx {
                        Some(i) => set[i] = true,
                        None => {
                            return Err(err(msg!("config-day", found = d)));
                        }
                    }
                }
                config.practice.days = set;
            }
        }
        if let Some(v) = raw.verdict {
            config.verdict.caution = v.caution.unwrap_or(config.verdict.caution);
            config.verdict.reject = v.reject.unwrap_or(config.verdict.reject);
        }
        if let Some(l) = raw.letters {
            config.letters.sender = l.sender;
            config.letters.explain_reason = l.explain_reason.unwrap_or(false);
            config.letters.resources = l.resources.unwrap_or_default();
            config.letters.referrals = l.referrals.unwrap_or_default();
            config.letters.include_contact_log = l.include_contact_log.unwrap_or(false);
            // The old place of the setting, still read: it now sets the
            // language of everything, as the top-level `language` does.
            if let Some(lang) = l.language {
                let parsed = Lang::parse(&lang).ok_or_else(|| {
                    err(msg!(
                        "config-language",
                        key = "letters.language",
                        found = lang.as_str()
                    ))
                })?;
                if let Some(top) = config.language.filter(|t| *t != parsed) {
                    return Err(err(msg!(
                        "config-language-both",
                        top = top.code(),
                        letters = parsed.code()
                    )));
                }
                config.language = Some(parsed);
            }
        }
        if let Some(p) = raw.plugins {
            config.plugin_dirs = p
                .dirs
                .unwrap_or_default()
                .into_iter()
                .map(|d| base.join(d))
                .collect();
            for d in &config.plugin_dirs {
                inside("plugins.dirs", d)?;
            }
            if let Some(mb) = p.memory_limit_mb {
                if mb == 0 {
                    return Err(err(msg!(
                        "config-at-least-one",
                        key = "plugins.memory_limit_mb"
                    )));
                }
                config.plugin_limits.memory = (mb as usize) << 20;
            }
            if let Some(ms) = p.time_limit_ms {
                if ms == 0 {
                    return Err(err(msg!(
                        "config-at-least-one",
                        key = "plugins.time_limit_ms"
                    )));
                }
                config.plugin_limits.time = std::time::Duration::from_millis(u64::from(ms));
            }
        }
        for (code, mut table) in raw.rules.unwrap_or_default() {
            let severity = match table.remove("severity") {
                None => None,
                Some(toml::Value::String(s)) => Some(s),
                Some(other) => {
                    return Err(err(msg!(
                        "config-severity-type",
                        code = code.as_str(),
                        found = describe_value(&other)
                    )));
                }
            };
            let weight = table.remove("weight");
            config.rules.insert(
                code,
                RuleSection {
                    severity,
                    weight,
                    options: table.into_iter().collect(),
                },
            );
        }
        Ok(config)
    }
}

fn is_day_name(key: &str, short: &str) -> bool {
    const LONG: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    key == short || LONG.contains(&key)
}

fn parse_hours(s: &str) -> Option<(Time, Time)> {
    let (a, b) = s.trim().split_once('-')?;
    let start = dates::parse_time(a.trim())?;
    let end = if b.trim() == "24:00" {
        Time::MAX
    } else {
        dates::parse_time(b.trim())?
    };
    (start < end).then_some((start, end))
}

/// Where `key` of the TOML table `table` (`rules.NV201`) is written in
/// `text`, as a 1-based line and column; the table's header when the key
/// is not found or not given. Header names are compared without regard to
/// case, blanks or quotes (`[rules.nv201]`, `[ rules."NV201" ]`), as rule
/// codes are read in any case.
pub fn locate_key(text: &str, table: &str, key: Option<&str>) -> Option<(u32, u32)> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = norm(table);
    let mut header = None;
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let indent = (line.chars().count() - t.chars().count()) as u32;
        if let Some(h) = t.strip_prefix('[').and_then(|h| h.split(']').next())
            && !t.starts_with("[[")
        {
            inside = norm(h) == want;
            if inside && header.is_none() {
                header = Some((i as u32 + 1, indent + 1));
            }
            continue;
        }
        if inside
            && let Some(k) = key
            && let Some((name, _)) = t.split_once('=')
            && norm(name) == norm(k)
        {
            return Some((i as u32 + 1, indent + 1));
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(
            Path::new("/notes"),
            Path::new("/notes/notes-vet.toml"),
            text,
        )
    }

    #[test]
    fn unknown_key_is_named() {
        let e = load("[practice]\nworking_hour = \"09:00-17:00\"\n").unwrap_err();
        assert!(e.to_string().contains("working_hour"), "{e}");
        let e = load("outputdir = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("outputdir"), "{e}");
    }

    #[test]
    fn toml_mistakes_point_at_the_line_and_say_what_was_expected() {
        let e = load("language = \"en\"\noutputdir = \"x\"\n").unwrap_err();
        assert_eq!(e.pos, Some((2, 1)));
        let en = e.describe(&Catalog::builtin(Lang::En));
        assert!(
            en.starts_with("/notes/notes-vet.toml:2:1: unknown key `outputdir`; expected one of ")
                && en.contains("output_dir"),
            "{en}"
        );
        let tr = e.describe(&Catalog::builtin(Lang::Tr));
        assert!(tr.contains("bilinmeyen anahtar `outputdir`"), "{tr}");
        let e = load("[verdict]\nreject = \"three\"\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.0), Some(2));
        assert!(
            e.to_string().ends_with(
                "2:10: `verdict.reject`: expected a whole number (0 or more), found the string \"three\""
            ),
            "{e}"
        );
        let e = load("[practice\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.0), Some(1));
    }

    #[test]
    fn wrong_type_is_named() {
        let e = load("[verdict]\nreject = \"three\"\n").unwrap_err();
        assert!(e.to_string().contains("reject"), "{e}");
    }

    #[test]
    fn practice_and_paths() {
        let c = load("output_dir = \"out\"\n[practice]\nworking_hours = \"08:30-17:00\"\nworking_days = [\"Mon\", \"saturday\"]\n").unwrap();
        assert_eq!(c.output_dir, Path::new("/notes/out"));
        assert_eq!(c.practice.hours_text(), "08:30-17:00");
        assert_eq!(
            c.practice.days,
            [true, false, false, false, false, true, false]
        );
        assert!(load("[practice]\nworking_hours = \"18:00-09:00\"\n").is_err());
        assert!(load("[practice]\nworking_days = [\"funday\"]\n").is_err());
    }
}
