//! Words for people. Every built-in text a person reads (rule labels,
//! summaries, explanations, advice, finding messages, statuses, verdicts,
//! severities, headings, errors, the terminal report and `watch`'s lines)
//! lives in a Project Fluent catalog per language,
//! `templates/<lang>/messages.ftl`, built into the binary. A user overrides
//! any message by putting a `messages.ftl` with the same ids in the config's
//! `templates_dir` (`<lang>/messages.ftl` or `messages.ftl`).
//!
//! Code never builds a sentence: it makes a [`Msg`] (an id and its
//! arguments) and a [`Catalog`] puts it in words. Numbers go through
//! Fluent, so plurals follow the language's rules, and are written with
//! the language's separators; dates are written out (`5 Aralık 2026`).
//!
//! The JSON report's keywords (statuses, verdicts, severities, codes) are
//! an API and stay in English; only its `message` fields are put in words.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use jiff::civil::Date;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// A language notes-vet speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Tr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Tr];

    /// The code used in the config, on the command line and in folder
    /// names (`en`, `tr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Tr => "tr",
        }
    }

    /// Reads `en` / `tr` (any case, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        Lang::ALL
            .into_iter()
            .find(|l| s.eq_ignore_ascii_case(l.code()))
    }

    /// The language of a POSIX locale such as `tr_TR.UTF-8`, `tr` or
    /// `en_US`; `None` for a locale we do not speak (or `C`/`POSIX`).
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let name = locale.split(['.', '@']).next().unwrap_or("");
        let language = name.split(['_', '-']).next().unwrap_or("");
        Lang::parse(language)
    }

    /// The language of the environment's locale, looked up as POSIX does
    /// for messages: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (the first
    /// one set and not empty decides). English when it names another
    /// language.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(var)
            .find(|v| !v.trim().is_empty())
            .and_then(|v| Lang::from_locale(&v))
            .unwrap_or(Lang::En)
    }

    /// The language of this process's environment.
    pub fn from_process_env() -> Lang {
        Lang::from_env(|k| std::env::var(k).ok())
    }

    fn builtin_source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../templates/en/messages.ftl"),
            Lang::Tr => include_str!("../templates/tr/messages.ftl"),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text the user wrote (a client's name, a request): used as is.
    Text(String),
    /// A number: chooses plural forms, written with the language's
    /// separators.
    Num(f64),
    /// A day, written out in the language.
    Date(Date),
    /// Another message, put in words first (a described value).
    Msg(Box<Msg>),
    /// Messages put in words and joined with commas.
    List(Vec<Msg>),
    /// An amount of money and its currency, when the note gives one:
    /// `1,200.50 EUR`, `1.200,50 EUR`.
    Money(f64, Option<String>),
    /// Days of the week, Monday first: written as runs
    /// (`Monday-Friday`, `Pazartesi-Cuma`).
    Days([bool; 7]),
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Arg {
        Arg::Text(s.into_owned())
    }
}
impl From<Date> for Arg {
    fn from(d: Date) -> Arg {
        Arg::Date(d)
    }
}
impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(Box::new(m))
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg { Arg::Num(n as f64) }
        }
    )*};
}
number_arg!(i64, i32, u32, u64, usize, f64);

/// A message of the catalogs: its id and arguments, put in words only by
/// a [`Catalog`].
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: Cow<'static, str>,
    pub args: Vec<(Cow<'static, str>, Arg)>,
}

impl Msg {
    /// A message with no arguments.
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id: Cow::Borrowed(id),
            args: Vec::new(),
        }
    }

    /// Adds an argument.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Msg {
        self.args.push((Cow::Borrowed(name), value.into()));
        self
    }

    /// About how many bytes its arguments' texts take, nested ones
    /// included.
    fn weight(&self) -> usize {
        self.args
            .iter()
            .map(|(name, arg)| {
                name.len()
                    + match arg {
                        Arg::Text(s) => s.len(),
                        Arg::Msg(m) => m.id.len() + m.weight(),
                        Arg::List(items) => items.iter().map(|m| m.id.len() + m.weight()).sum(),
                        Arg::Money(_, c) => 8 + c.as_ref().map_or(0, String::len),
                        Arg::Num(_) | Arg::Date(_) | Arg::Days(_) => 8,
                    }
            })
            .sum()
    }

    /// Feeds the message, arguments included, to a hasher.
    fn feed(&self, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        self.id.hash(h);
        h.write_usize(self.args.len());
        for (name, arg) in &self.args {
            name.hash(h);
            match arg {
                Arg::Text(s) => (0u8, s).hash(h),
                Arg::Num(n) => (1u8, n.to_bits()).hash(h),
                Arg::Date(d) => (2u8, d).hash(h),
                Arg::Msg(m) => {
                    h.write_u8(3);
                    m.feed(h);
                }
                Arg::List(items) => {
                    (4u8, items.len()).hash(h);
                    for m in items {
                        m.feed(h);
                    }
                }
                Arg::Money(x, currency) => (5u8, x.to_bits(), currency).hash(h),
                Arg::Days(days) => (6u8, days).hash(h),
            }
        }
    }

    /// The message in English, for `Display` and logs that have no catalog.
    pub fn english(&self) -> String {
        Catalog::builtin(Lang::En).msg(self)
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// `msg!("id", name = value, ...)`: a [`Msg`] with its arguments.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Msg::new($id)$(.arg(stringify!($name), $value))*
    };
}

/// What a finding says: messages of the catalogs (joined with `; `), or
/// the words of a Lua rule, passed through unchanged in every language.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Msgs(Vec<Msg>),
    Plain(String),
}

impl From<Msg> for Text {
    fn from(m: Msg) -> Text {
        Text::Msgs(vec![m])
    }
}

/// A catalog that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for CatalogError {}

/// The messages of one language: the built-in catalog, with the user's
/// overrides on top.
pub struct Catalog {
    lang: Lang,
    /// The messages in use: the built-in ones, with the user's replacing
    /// those of the same id.
    bundle: FluentBundle<FluentResource>,
    /// The built-in messages alone, when the user has overrides: a message
    /// the user rewrote without some attribute (only `.advice` of a rule,
    /// say) keeps the built-in value and attributes.
    base: Option<FluentBundle<FluentResource>>,
    /// A hash of the user's overrides ("" without), so outputs made with
    /// other words are never taken as current.
    pub fingerprint: String,
    /// This catalog among all made by the process, for [`Recent`].
    serial: u64,
}

/// The serial number of the next catalog made.
static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn next_serial() -> u64 {
    SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Messages lately put in words on this thread, by catalog and message.
///
/// A folder's findings repeat: 10,000 generated notes give 35,000
/// findings in 5,100 different words, and Fluent's resolver costs as much
/// as parsing the note's cached tree. The record is exact (a hit compares
/// the whole message, not only its hash) and bounded: it keeps messages
/// of at most [`Recent::LONGEST`] bytes and is emptied when it reaches
/// [`Recent::CAP`] of them, so `watch` and the LSP, which run for days,
/// never grow it.
#[derive(Default)]
struct Recent {
    words: std::collections::HashMap<u64, (u64, Msg, String), rustc_hash::FxBuildHasher>,
}

impl Recent {
    const CAP: usize = 512;
    /// The longest message kept, in bytes of its id and arguments' text,
    /// and of its words: 512 of them take at most 1 MB a thread.
    const LONGEST: usize = 1024;

    fn key(serial: u64, msg: &Msg) -> u64 {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write_u64(serial);
        msg.feed(&mut h);
        h.finish()
    }
}

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = std::cell::RefCell::new(Recent::default());
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("lang", &self.lang)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

static EN: LazyLock<Arc<Catalog>> = LazyLock::new(|| Arc::new(Catalog::bare(Lang::En)));
static TR: LazyLock<Arc<Catalog>> = LazyLock::new(|| Arc::new(Catalog::bare(Lang::Tr)));

impl Catalog {
    /// The built-in catalog of `lang`.
    pub fn builtin(lang: Lang) -> Arc<Catalog> {
        match lang {
            Lang::En => EN.clone(),
            Lang::Tr => TR.clone(),
        }
    }

    /// A bundle holding the built-in messages of `lang`.
    fn base_bundle(lang: Lang) -> FluentBundle<FluentResource> {
        let mut bundle = FluentBundle::new_concurrent(vec![langid(lang)]);
        // Plain text and markdown, not HTML or bidirectional UI: no
        // isolation marks around arguments.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(match lang {
            Lang::En => format_number::<0>,
            Lang::Tr => format_number::<1>,
        }));
        // The built-in catalogs are checked by the test suite: a syntax
        // error there cannot ship. Whatever parsed is used regardless.
        let resource = match FluentResource::try_new(lang.builtin_source().to_string()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        let _ = bundle.add_resource(resource);
        bundle
    }

    fn bare(lang: Lang) -> Catalog {
        Catalog {
            lang,
            bundle: Catalog::base_bundle(lang),
            base: None,
            fingerprint: String::new(),
            serial: next_serial(),
        }
    }

    /// The catalog of `lang` with the user's overrides from `templates_dir`:
    /// `messages.ftl` (for every language), then `<lang>/messages.ftl`; a
    /// message there replaces the built-in one of the same id.
    pub fn load(lang: Lang, templates_dir: Option<&Path>) -> Result<Arc<Catalog>, CatalogError> {
        let Some(dir) = templates_dir else {
            return Ok(Catalog::builtin(lang));
        };
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        for path in [
            dir.join("messages.ftl"),
            dir.join(lang.code()).join("messages.ftl"),
        ] {
            if path.exists() || path.is_symlink() {
                let text = read_catalog(lang, dir, &path)?;
                files.push((path, text));
            }
        }
        if files.is_empty() {
            return Ok(Catalog::builtin(lang));
        }
        Catalog::with_files(lang, files)
    }

    /// The catalog of `lang` with the messages of `text` (read from `path`)
    /// replacing built-in ones.
    #[cfg(test)]
    fn with_overrides(lang: Lang, path: &Path, text: String) -> Result<Arc<Catalog>, CatalogError> {
        Catalog::with_files(lang, vec![(path.to_path_buf(), text)])
    }

    /// The catalog of `lang` with the messages of each file, in order, each
    /// replacing what came before. Every file is checked against the
    /// built-in catalog first: a message id, attribute or variable notes-vet
    /// does not have, a function, or an id given twice is an error naming
    /// the file, line and column.
    fn with_files(lang: Lang, files: Vec<(PathBuf, String)>) -> Result<Arc<Catalog>, CatalogError> {
        let words = Catalog::builtin(lang);
        let shapes = shapes(lang.builtin_source());
        let mut bundle = Catalog::base_bundle(lang);
        let mut all = String::new();
        let mut seen = Seen::default();
        // Every message and attribute a user file defines, with where.
        let mut overridden: Vec<(PathBuf, Defined)> = Vec::new();
        for (path, text) in files {
            all.push_str(&text);
            all.push('\0');
            let fail = |at: usize, msg: Msg| {
                let (line, column) = line_col(&text, at);
                CatalogError {
                    path: path.clone(),
                    line,
                    column,
                    message: words.msg(&msg),
                }
            };
            // Before the parser sees it: nesting deep enough to overflow the
            // parser's or the resolver's stack, and control characters that
            // would reach the terminal, are refused.
            if let Some((at, msg)) = hazards(&text) {
                return Err(fail(at, msg));
            }
            let resource = FluentResource::try_new(text.clone()).map_err(|(_, errors)| {
                let first = &errors[0];
                // Where the parser stopped; an error found only at the end of
                // the file (an unclosed brace) points at the entry it broke.
                let at = match &first.slice {
                    Some(entry) if first.pos.start >= text.trim_end().len() => entry.start,
                    _ => first.pos.start,
                };
                fail(
                    at,
                    Msg::new("catalog-syntax").arg("detail", first.kind.to_string()),
                )
            })?;
            for d in check_overrides(&words, &shapes, &path, &text, &resource, &mut seen)? {
                overridden.push((path.clone(), d));
            }
            bundle.add_resource_overriding(resource);
        }
        // Put every overridden message in words once, with each argument
        // notes-vet gives it: a cycle, a reference to nothing or a variable
        // a referenced message needs but is not given shows up here, at
        // load, not as a broken file later.
        for (path, Defined { id, attr, at }) in &overridden {
            let key = match attr {
                Some(a) => format!("{id}.{a}"),
                None => id.clone(),
            };
            let mut args = FluentArgs::new();
            for v in shapes.get(&key).into_iter().flatten() {
                args.set(v.clone(), FluentValue::from("1"));
            }
            let Some(message) = bundle.get_message(id) else {
                continue;
            };
            let pattern = match attr {
                Some(a) => message.get_attribute(a).map(|a| a.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else { continue };
            let mut errors = Vec::new();
            let _ = bundle.format_pattern(pattern, Some(&args), &mut errors);
            if let Some(e) = errors.first() {
                return Err(CatalogError {
                    path: path.clone(),
                    line: at.0,
                    column: at.1,
                    message: words.msg(
                        &Msg::new("catalog-unresolved")
                            .arg("id", key.as_str())
                            .arg("detail", e.to_string()),
                    ),
                });
            }
        }
        Ok(Arc::new(Catalog {
            lang,
            bundle,
            base: Some(Catalog::base_bundle(lang)),
            fingerprint: crate::write::hash(all.as_bytes()),
            serial: next_serial(),
        }))
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// True when the catalog has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// Message `msg` in words. A missing message or argument shows its id
    /// in braces rather than failing (the test suite keeps the catalogs
    /// complete).
    pub fn msg(&self, msg: &Msg) -> String {
        self.try_msg(msg).unwrap_or_else(|e| e)
    }

    /// Message `msg` in words, or (as the error) the best text there is
    /// when the message is missing or an argument it names is not given.
    pub fn try_msg(&self, msg: &Msg) -> Result<String, String> {
        // Only short messages are kept: a finding may quote a value of up
        // to a megabyte, which would stay with every thread for the life
        // of `watch`.
        let keep = msg.id.len() + msg.weight() <= Recent::LONGEST;
        let key = keep.then(|| Recent::key(self.serial, msg));
        let known = key.and_then(|key| {
            RECENT
                .try_with(|r| {
                    let r = r.borrow();
                    r.words
                        .get(&key)
                        .filter(|(serial, m, _)| *serial == self.serial && m == msg)
                        .map(|(_, _, words)| words.clone())
                })
                .ok()
                .flatten()
        });
        if let Some(words) = known {
            return Ok(words);
        }
        let words = self.format(&msg.id, None, &msg.args)?;
        if let Some(key) = key.filter(|_| words.len() <= Recent::LONGEST) {
            // Formatting a message may format others (its arguments), but
            // never while this borrow is held. A thread being torn down
            // keeps nothing.
            let _ = RECENT.try_with(|r| {
                let mut r = r.borrow_mut();
                if r.words.len() >= Recent::CAP {
                    r.words.clear();
                }
                r.words
                    .insert(key, (self.serial, msg.clone(), words.clone()));
            });
        }
        Ok(words)
    }

    /// A message without arguments.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None, &[]).unwrap_or_else(|e| e)
    }

    /// An attribute of a message (`rule-NV101.summary`), `None` when the
    /// message or attribute does not exist.
    pub fn attr(&self, id: &str, attribute: &str) -> Option<String> {
        self.format(id, Some(attribute), &[]).ok()
    }

    /// What a finding says.
    pub fn text(&self, text: &Text) -> String {
        match text {
            Text::Plain(s) => s.clone(),
            Text::Msgs(parts) => parts
                .iter()
                .map(|m| self.msg(m))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    fn format(
        &self,
        id: &str,
        attribute: Option<&str>,
        args: &[(Cow<'static, str>, Arg)],
    ) -> Result<String, String> {
        let missing = || match attribute {
            Some(a) => format!("{{{id}.{a}}}"),
            None => format!("{{{id}}}"),
        };
        // The message in use; if the user's version of it lacks this part,
        // the built-in one.
        fn pattern_in<'b>(
            bundle: &'b FluentBundle<FluentResource>,
            id: &str,
            attribute: Option<&str>,
        ) -> Option<&'b ast::Pattern<&'b str>> {
            let message = bundle.get_message(id)?;
            match attribute {
                Some(a) => message.get_attribute(a).map(|a| a.value()),
                None => message.value(),
            }
        }
        let (bundle, pattern) = match pattern_in(&self.bundle, id, attribute) {
            Some(p) => (&self.bundle, p),
            None => match self
                .base
                .as_ref()
                .and_then(|b| pattern_in(b, id, attribute).map(|p| (b, p)))
            {
                Some(found) => found,
                None => return Err(missing()),
            },
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue<'_> = match value {
                Arg::Text(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Date(d) => FluentValue::from(self.date(*d)),
                Arg::Msg(m) => FluentValue::from(self.msg(m)),
                Arg::List(items) => FluentValue::from(
                    items
                        .iter()
                        .map(|m| self.msg(m))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Arg::Days(days) => FluentValue::from(self.days(days)),
                Arg::Money(x, currency) => FluentValue::from(match currency {
                    Some(c) if !c.trim().is_empty() => format!("{} {}", self.amount(*x), c.trim()),
                    _ => self.amount(*x),
                }),
            };
            fargs.set(name.clone(), v);
        }
        let mut errors = Vec::new();
        let out = bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned();
        if errors.is_empty() {
            return Ok(out);
        }
        // The user's wording failed after all (checked at load, so this is
        // a safety net): the built-in words rather than a broken text.
        if let Some(base) = self.base.as_ref()
            && !std::ptr::eq(bundle, base)
            && let Some(p) = pattern_in(base, id, attribute)
        {
            let mut errors = Vec::new();
            let out = base
                .format_pattern(p, Some(&fargs), &mut errors)
                .into_owned();
            if errors.is_empty() {
                return Ok(out);
            }
        }
        Err(out)
    }

    /// A day written out: `5 December 2026`, `5 Aralık 2026`.
    pub fn date(&self, d: Date) -> String {
        let month = self.get(MONTHS[(d.month() as usize).clamp(1, 12) - 1]);
        let mut args = FluentArgs::new();
        args.set("day", FluentValue::from(d.day().to_string()));
        args.set("month", FluentValue::from(month));
        args.set("year", FluentValue::from(d.year().to_string()));
        let Some(pattern) = self.bundle.get_message("date-long").and_then(|m| m.value()) else {
            return d.to_string();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .into_owned()
    }

    /// A number with the language's separators, at most two decimals:
    /// `1,200.5` / `1.200,5`.
    pub fn number(&self, x: f64) -> String {
        number(x, self.lang)
    }

    /// An amount of money: two decimals unless whole (`1,200.50`, `1.200`).
    pub fn amount(&self, x: f64) -> String {
        amount(x, self.lang)
    }

    /// The name of a weekday from its three-letter code (`mon`).
    pub fn weekday(&self, code: &str) -> String {
        self.get(&format!("weekday-{code}"))
    }

    /// A contact channel: its name in the language when the catalog knows
    /// the word (`phone`, `email`, ...), else as the user wrote it.
    pub fn channel(&self, written: &str) -> String {
        let key = written.trim().to_lowercase();
        let id = format!("channel-{key}");
        if !key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && self.has(&id)
        {
            self.get(&id)
        } else {
            written.to_string()
        }
    }

    /// Days of the week as a person says them: runs of three or more as
    /// ranges (`Monday-Friday`), the rest named, the last joined with
    /// "and".
    pub fn days(&self, days: &[bool; 7]) -> String {
        const CODES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < 7 {
            if !days[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && days[i + 1] {
                i += 1;
            }
            if i >= start + 2 {
                parts.push(
                    self.msg(
                        &Msg::new("day-range")
                            .arg("first", self.weekday(CODES[start]))
                            .arg("last", self.weekday(CODES[i])),
                    ),
                );
            } else {
                parts.extend((start..=i).map(|d| self.weekday(CODES[d])));
            }
            i += 1;
        }
        match parts.len() {
            0 | 1 => parts.concat(),
            n => {
                let last = parts[n - 1].clone();
                let head = parts[..n - 1].join(", ");
                self.msg(&Msg::new("list-and").arg("head", head).arg("last", last))
            }
        }
    }
}

/// Reads a user's catalog: as for templates, a regular file inside the
/// templates folder, of sane size, never through a link; UTF-8, with a
/// byte order mark allowed (Notepad writes one).
fn read_catalog(lang: Lang, dir: &Path, path: &Path) -> Result<String, CatalogError> {
    let words = Catalog::builtin(lang);
    let bytes =
        crate::fsx::read_inside(dir, path, crate::fsx::SOURCE_CAP).map_err(|e| CatalogError {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: words.msg(&Msg::new("catalog-unreadable").arg("error", e.to_string())),
        })?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let (line, column) = line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        CatalogError {
            path: path.to_path_buf(),
            line,
            column,
            message: words.msg(&Msg::new("catalog-not-utf8")),
        }
    })
}

/// What a catalog's messages are made of: for each message and attribute
/// (`id`, `id.attr`), the variables it may use.
pub type Shapes = BTreeMap<String, BTreeSet<String>>;

/// The messages and attributes of a catalog's source with the variables
/// each uses (what a user's override is checked against; the test suite
/// compares the two built-in catalogs with it).
pub fn shapes(source: &str) -> Shapes {
    let mut out = Shapes::new();
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            if let Some(v) = &m.value {
                out.insert(m.id.name.to_string(), used(v).variables);
            }
            for a in &m.attributes {
                out.insert(
                    format!("{}.{}", m.id.name, a.id.name),
                    used(&a.value).variables,
                );
            }
        }
    }
    out
}

/// What a pattern refers to.
#[derive(Default)]
struct Used {
    variables: BTreeSet<String>,
    messages: BTreeSet<String>,
    terms: BTreeSet<String>,
    functions: BTreeSet<String>,
}

fn used(p: &ast::Pattern<&str>) -> Used {
    fn expr(e: &ast::Expression<&str>, out: &mut Used) {
        match e {
            ast::Expression::Inline(i) => inline(i, out),
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    pattern(&v.value, out);
                }
            }
        }
    }
    fn inline(i: &ast::InlineExpression<&str>, out: &mut Used) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.variables.insert(id.name.to_string());
            }
            ast::InlineExpression::MessageReference { id, attribute } => {
                out.messages.insert(match attribute {
                    Some(a) => format!("{}.{}", id.name, a.name),
                    None => id.name.to_string(),
                });
            }
            ast::InlineExpression::TermReference { id, arguments, .. } => {
                out.terms.insert(id.name.to_string());
                if let Some(a) = arguments {
                    a.positional.iter().for_each(|x| inline(x, out));
                    a.named.iter().for_each(|x| inline(&x.value, out));
                }
            }
            ast::InlineExpression::FunctionReference { id, arguments } => {
                out.functions.insert(id.name.to_string());
                arguments.positional.iter().for_each(|x| inline(x, out));
                arguments.named.iter().for_each(|x| inline(&x.value, out));
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    fn pattern(p: &ast::Pattern<&str>, out: &mut Used) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expr(expression, out);
            }
        }
    }
    let mut out = Used::default();
    pattern(p, &mut out);
    out
}

/// A message or attribute a user's file defines, and where.
struct Defined {
    id: String,
    attr: Option<String>,
    at: (u32, u32),
}

/// One part of a message: its attribute (none for the value), its
/// pattern, and where it is.
type Part<'a> = (Option<&'a str>, &'a ast::Pattern<&'a str>, (u32, u32));

/// What the user's files so far define that later files may use: terms.
#[derive(Default)]
struct Seen {
    terms: BTreeSet<String>,
}

/// Deeper nesting of placeables (and of call arguments in them) than any
/// sensible message needs; the built-in catalogs nest two or three deep.
/// The parser and the resolver recurse: a file nesting thousands deep
/// would overflow the stack.
const MAX_NESTING: usize = 32;

/// Characters that must not reach a terminal from a user's catalog:
/// control characters (escape sequences) and bidirectional overrides.
fn is_hazard(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first hazard in a user's catalog, before it is parsed: nesting
/// deeper than [`MAX_NESTING`], or a control character, written as is or
/// as a `\u` escape in a string literal. Returns its byte offset.
fn hazards(text: &str) -> Option<(usize, Msg)> {
    let control = |i: usize, c: char| {
        Some((
            i,
            Msg::new("catalog-control").arg("code", format!("U+{:04X}", c as u32)),
        ))
    };
    let mut depth = 0usize;
    let mut braces = 0usize;
    let mut in_string = false;
    let mut line_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_hazard(c) {
            return control(i, c);
        }
        // A comment line (outside any placeable) is skipped whole.
        if line_start && braces == 0 && c == '#' {
            for (j, d) in chars.by_ref() {
                if is_hazard(d) {
                    return control(j, d);
                }
                if d == '\n' {
                    break;
                }
            }
            continue;
        }
        line_start = c == '\n';
        if in_string {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'u')) | Some((_, 'U')) => {
                        let hex: String = chars
                            .by_ref()
                            .take_while(|(_, h)| h.is_ascii_hexdigit())
                            .map(|(_, h)| h)
                            .take(6)
                            .collect();
                        if let Some(ch) =
                            u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                            && is_hazard(ch)
                        {
                            return control(i, ch);
                        }
                    }
                    _ => {}
                },
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '{' => {
                braces += 1;
                depth += 1;
            }
            '}' => {
                braces = braces.saturating_sub(1);
                depth = depth.saturating_sub(1);
            }
            '(' if braces > 0 => depth += 1,
            ')' if braces > 0 => depth = depth.saturating_sub(1),
            '"' if braces > 0 => in_string = true,
            _ => {}
        }
        if depth > MAX_NESTING {
            return Some((i, Msg::new("catalog-too-deep").arg("max", MAX_NESTING)));
        }
    }
    None
}

/// Checks a user's catalog against the built-in one (see
/// [`Catalog::with_files`]) and returns the messages and attributes it
/// defines, with where each starts. `seen` carries what earlier files
/// defined (the shared file's terms serve the per-language one).
fn check_overrides(
    words: &Catalog,
    shapes: &Shapes,
    path: &Path,
    text: &str,
    resource: &FluentResource,
    seen: &mut Seen,
) -> Result<Vec<Defined>, CatalogError> {
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let at = offset;
                offset += l.len();
                (at, l)
            })
            .collect()
    };
    // Where an entry starts: the `nth` line that begins with its id; and
    // where one of its attributes is, after that.
    let locate = |name: &str, nth: usize| -> usize {
        lines
            .iter()
            .enumerate()
            .filter(|(_, (_, l))| {
                l.strip_prefix(name)
                    .map(str::trim_start)
                    .is_some_and(|r| r.starts_with('='))
            })
            .nth(nth)
            .map_or(0, |(k, _)| k)
    };
    let at_line = |k: usize| line_col(text, lines.get(k).map_or(0, |(o, _)| *o));
    let locate_attr = |entry: usize, attr: &str| -> (u32, u32) {
        let found = lines
            .iter()
            .enumerate()
            .skip(entry + 1)
            .find(|(_, (_, l))| {
                l.trim_start()
                    .strip_prefix('.')
                    .and_then(|r| r.strip_prefix(attr))
                    .map(str::trim_start)
                    .is_some_and(|r| r.starts_with('='))
            });
        match found {
            Some((k, (o, l))) => {
                line_col(text, o + (l.len() - l.trim_start().len())).max(at_line(k))
            }
            None => at_line(entry),
        }
    };
    let fail = |at: (u32, u32), msg: Msg| CatalogError {
        path: path.to_path_buf(),
        line: at.0,
        column: at.1,
        message: words.msg(&msg),
    };
    let here_terms: BTreeSet<String> = resource
        .entries()
        .filter_map(|e| match e {
            ast::Entry::Term(t) => Some(t.id.name.to_string()),
            _ => None,
        })
        .collect();
    // What a pattern may refer to: built-in messages (and their
    // attributes), and terms of this file or an earlier one.
    let references = |at: (u32, u32), u: &Used| -> Result<(), CatalogError> {
        if let Some(f) = u.functions.iter().next() {
            return Err(fail(
                at,
                Msg::new("catalog-function").arg("name", f.as_str()),
            ));
        }
        if let Some(m) = u.messages.iter().find(|m| !shapes.contains_key(*m)) {
            return Err(fail(
                at,
                Msg::new("catalog-unknown-reference").arg("name", m.as_str()),
            ));
        }
        if let Some(t) = u
            .terms
            .iter()
            .find(|t| !here_terms.contains(*t) && !seen.terms.contains(*t))
        {
            return Err(fail(
                at,
                Msg::new("catalog-unknown-reference").arg("name", format!("-{t}")),
            ));
        }
        Ok(())
    };
    let mut defined = Vec::new();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for entry in resource.entries() {
        match entry {
            ast::Entry::Message(m) => {
                let name = m.id.name;
                let nth = count.entry(name.to_string()).or_insert(0);
                let line = locate(name, *nth);
                let at = at_line(line);
                *nth += 1;
                if *nth > 1 {
                    return Err(fail(at, Msg::new("catalog-duplicate").arg("id", name)));
                }
                if !shapes.contains_key(name) {
                    return Err(fail(at, Msg::new("catalog-unknown-id").arg("id", name)));
                }
                let mut parts: Vec<Part<'_>> = Vec::new();
                if let Some(v) = &m.value {
                    parts.push((None, v, at));
                }
                for a in &m.attributes {
                    parts.push((Some(a.id.name), &a.value, locate_attr(line, a.id.name)));
                }
                for (attr, pattern, at) in parts {
                    let key = match attr {
                        Some(a) => format!("{name}.{a}"),
                        None => name.to_string(),
                    };
                    let Some(allowed) = shapes.get(&key) else {
                        return Err(fail(
                            at,
                            Msg::new("catalog-unknown-id").arg("id", key.as_str()),
                        ));
                    };
                    let u = used(pattern);
                    references(at, &u)?;
                    if let Some(v) = u.variables.iter().find(|v| !allowed.contains(*v)) {
                        let given = if allowed.is_empty() {
                            "—".to_string()
                        } else {
                            allowed
                                .iter()
                                .map(|a| format!("${a}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        return Err(fail(
                            at,
                            Msg::new("catalog-unknown-variable")
                                .arg("variable", format!("${v}"))
                                .arg("id", name)
                                .arg("given", given),
                        ));
                    }
                    defined.push(Defined {
                        id: name.to_string(),
                        attr: attr.map(str::to_string),
                        at,
                    });
                }
            }
            ast::Entry::Term(term) => {
                let name = format!("-{}", term.id.name);
                let nth = count.entry(name.clone()).or_insert(0);
                let at = at_line(locate(&name, *nth));
                *nth += 1;
                if *nth > 1 {
                    return Err(fail(
                        at,
                        Msg::new("catalog-duplicate").arg("id", name.as_str()),
                    ));
                }
                let mut u = used(&term.value);
                for a in &term.attributes {
                    let more = used(&a.value);
                    u.variables.extend(more.variables);
                    u.messages.extend(more.messages);
                    u.terms.extend(more.terms);
                    u.functions.extend(more.functions);
                }
                references(at, &u)?;
                // A term sees only the arguments its caller writes in it,
                // never the message's: a variable there would stay empty.
                if let Some(v) = u.variables.iter().next() {
                    return Err(fail(
                        at,
                        Msg::new("catalog-term-variable")
                            .arg("variable", format!("${v}"))
                            .arg("id", name.as_str()),
                    ));
                }
            }
            _ => {}
        }
    }
    seen.terms.extend(here_terms);
    Ok(defined)
}

/// Month message ids, January first.
const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

fn langid(lang: Lang) -> unic_langid::LanguageIdentifier {
    lang.code().parse().unwrap_or_default()
}

/// Fluent's number formatter for language `L` (an index into
/// [`Lang::ALL`]): a plain `fn`, as Fluent takes one, per language.
fn format_number<const L: usize>(
    v: &FluentValue<'_>,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match v {
        FluentValue::Number(n) => Some(number(n.value, Lang::ALL[L])),
        _ => None,
    }
}

fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => (',', '.'),
        Lang::Tr => ('.', ','),
    }
}

/// A number with at most two decimals, trailing zeros dropped: `4.5`.
fn number(x: f64, lang: Lang) -> String {
    decimal(x, lang, false)
}

/// An amount: two decimals unless whole: `1,200.50`, `1,200`.
fn amount(x: f64, lang: Lang) -> String {
    decimal(x, lang, true)
}

/// `x` rounded to cents with the language's separators; `cents` keeps both
/// decimals of a fraction (`.50`), otherwise trailing zeros go (`.5`).
fn decimal(x: f64, lang: Lang, cents: bool) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let (thousands, point) = separators(lang);
    // Rounded to cents as text. Most numbers are counts or small amounts:
    // integer arithmetic for those; float formatting (exact for any size,
    // but slow) only beyond.
    let text = if x.abs() < 1e15 {
        let hundredths = (x.abs() * 100.0).round() as u64;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    } else {
        format!("{:.2}", x.abs())
    };
    let (whole, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let zero = whole.bytes().all(|b| b == b'0') && frac == "00";
    let sign = if x < 0.0 && !zero { "-" } else { "" };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    match frac {
        "00" => format!("{sign}{grouped}"),
        f if !cents && f.ends_with('0') => format!("{sign}{grouped}{point}{}", &f[..1]),
        f => format!("{sign}{grouped}{point}{f}"),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_decides_the_language_in_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "tr_TR.UTF-8")])), Lang::Tr);
        assert_eq!(
            Lang::from_env(env(&[("LANG", "tr_TR.UTF-8"), ("LC_ALL", "en_US.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_env(env(&[("LANG", "en_GB"), ("LC_MESSAGES", "tr_TR")])),
            Lang::Tr
        );
        // An empty variable does not decide; an unknown language is English.
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", ""), ("LANG", "tr")])),
            Lang::Tr
        );
        assert_eq!(Lang::from_env(env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "C")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
        assert_eq!(Lang::from_locale("tr_TR@euro"), Some(Lang::Tr));
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(number(1234.5, Lang::En), "1,234.5");
        assert_eq!(number(1234.5, Lang::Tr), "1.234,5");
        assert_eq!(number(2.0, Lang::Tr), "2");
        assert_eq!(number(0.25, Lang::Tr), "0,25");
        assert_eq!(number(-3.0, Lang::En), "-3");
        assert_eq!(amount(1200.5, Lang::En), "1,200.50");
        assert_eq!(amount(1200.5, Lang::Tr), "1.200,50");
        assert_eq!(amount(1_000_000.0, Lang::Tr), "1.000.000");
        assert_eq!(number(-0.001, Lang::En), "0");
        assert_eq!(number(0.005, Lang::En), "0.01");
        // Far beyond any integer type: written out, not clamped.
        assert!(number(1e30, Lang::En).starts_with("1,000,000,000,000,000,019,884,624,838,656"));
    }

    #[test]
    fn dates_are_written_out() {
        let d = jiff::civil::date(2026, 12, 5);
        assert_eq!(Catalog::builtin(Lang::En).date(d), "5 December 2026");
        assert_eq!(Catalog::builtin(Lang::Tr).date(d), "5 Aralık 2026");
    }

    #[test]
    fn plurals_follow_the_language() {
        let en = Catalog::builtin(Lang::En);
        let tr = Catalog::builtin(Lang::Tr);
        let one = msg!("count-client-notes", count = 1);
        let three = msg!("count-client-notes", count = 3);
        assert_eq!(en.msg(&one), "1 client note");
        assert_eq!(en.msg(&three), "3 client notes");
        // Turkish has no plural after a numeral.
        assert_eq!(tr.msg(&one), "1 müşteri notu");
        assert_eq!(tr.msg(&three), "3 müşteri notu");
    }

    /// The record of recent words gives what Fluent gives, message by
    /// message: another argument, another language or a user's wording of
    /// the same message is never served another's words, and a full
    /// record empties and goes on.
    #[test]
    fn recent_words_are_the_words_of_that_catalog_and_arguments() {
        let en = Catalog::builtin(Lang::En);
        let tr = Catalog::builtin(Lang::Tr);
        let mine = Catalog::with_overrides(
            Lang::En,
            Path::new("my/messages.ftl"),
            "count-client-notes = { $count } of my clients\n".into(),
        )
        .expect("valid override");
        for round in 0..2 {
            for n in [1, 3, 1] {
                let m = msg!("count-client-notes", count = n);
                let words = if n == 1 {
                    "1 client note"
                } else {
                    "3 client notes"
                };
                assert_eq!(en.msg(&m), words, "round {round}");
                assert_eq!(tr.msg(&m), format!("{n} müşteri notu"));
                assert_eq!(mine.msg(&m), format!("{n} of my clients"));
            }
            // A message argument counts too.
            let shaped = |v: &str| msg!("found-string", value = v.to_string());
            assert_ne!(en.msg(&shaped("a")), en.msg(&shaped("b")));
        }
        // Past the record's capacity every message is still worded afresh
        // and right.
        for n in 0..(Recent::CAP + 10) {
            let m = msg!("count-client-notes", count = n);
            assert_eq!(tr.try_msg(&m), tr.format(&m.id, None, &m.args));
        }
        let filled = RECENT.with(|r| r.borrow().words.len());
        assert!(filled > 0 && filled <= Recent::CAP, "{filled}");
        // A long value is worded, not kept.
        let long = msg!("found-string", value = "x".repeat(5000));
        assert_eq!(en.try_msg(&long), en.format(&long.id, None, &long.args));
        let kept = RECENT.with(|r| r.borrow().words.values().any(|(_, m, _)| *m == long));
        assert!(!kept, "a long message was kept");
    }

    #[test]
    fn a_missing_message_shows_its_id() {
        let en = Catalog::builtin(Lang::En);
        assert_eq!(en.msg(&Msg::new("no-such-message")), "{no-such-message}");
        assert!(en.try_msg(&Msg::new("no-such-message")).is_err());
    }

    #[test]
    fn an_override_of_one_part_keeps_the_rest() {
        let path = Path::new("my/messages.ftl");
        let c = Catalog::with_overrides(
            Lang::En,
            path,
            "rule-NV201 =\n    .advice = Tell them your hours.\n".into(),
        )
        .expect("valid override");
        let en = Catalog::builtin(Lang::En);
        assert_eq!(
            c.attr("rule-NV201", "advice").as_deref(),
            Some("Tell them your hours.")
        );
        assert_eq!(c.get("rule-NV201"), en.get("rule-NV201"));
        assert_eq!(
            c.attr("rule-NV201", "summary"),
            en.attr("rule-NV201", "summary")
        );
    }

    #[test]
    fn overrides_are_checked_against_the_builtin_catalog() {
        let path = Path::new("my/messages.ftl");
        let err = |text: &str| {
            Catalog::with_overrides(Lang::En, path, text.to_string()).expect_err("refused")
        };
        let e = err("verdict-fire = x\nverdict-keep = { $what } y\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("$what"), "{}", e.message);
        let e = err("verdict-fyre = x\n");
        assert!(e.message.contains("verdict-fyre"), "{}", e.message);
        let e = err("rule-NV201 =\n    .advise = x\n");
        assert!(e.message.contains("rule-NV201.advise"), "{}", e.message);
        let e = err("nv201-week = { NUMBER($count) }\n");
        assert!(e.message.contains("NUMBER"), "{}", e.message);
        let e = err("verdict-fire = a\nverdict-fire = b\n");
        assert_eq!(e.line, 2);
        let e = err("verdict-fire = { no-such }\n");
        assert!(e.message.contains("no-such"), "{}", e.message);
        // Variables the message is given, terms of the file, references to
        // other messages: fine.
        let c = Catalog::with_overrides(
            Lang::En,
            path,
            "-me = Ayşe\nnv201-week = { -me } got { $count } calls (limit { $limit }); { verdict-keep }\n"
                .into(),
        )
        .expect("valid");
        assert_eq!(
            c.msg(&msg!("nv201-week", count = 3, limit = 2)),
            "Ayşe got 3 calls (limit 2); keep"
        );
    }

    #[test]
    fn hostile_overrides_are_refused_at_load() {
        let path = Path::new("my/messages.ftl");
        let err =
            |text: String| Catalog::with_overrides(Lang::Tr, path, text).expect_err("refused");
        // Nesting that would overflow the parser's or resolver's stack.
        let n = 20_000;
        let e = err(format!(
            "verdict-fire = {}\"x\"{}\n",
            "{".repeat(n),
            "}".repeat(n)
        ));
        assert!(e.message.contains("32"), "{}", e.message);
        let e = err(format!(
            "-t = x\nverdict-fire = {{ {}1{} }}\n",
            "-t(".repeat(5000),
            ")".repeat(5000)
        ));
        assert_eq!(e.line, 2);
        // Control characters, raw or escaped.
        let e = err("verdict-fire = a\u{1b}[31mb\n".to_string());
        assert!(e.message.contains("U+001B"), "{}", e.message);
        let e = err("verdict-fire = x{\"\\u001B]0;PWNED\\u0007\"}y\n".to_string());
        assert!(e.message.contains("U+001B"), "{}", e.message);
        // Cycles, references to nothing, variables a referenced message needs.
        let e = err("verdict-fire = { verdict-fire }\n".to_string());
        assert!(e.message.contains("verdict-fire"), "{}", e.message);
        let e =
            err("verdict-fire = { verdict-keep }\nverdict-keep = { verdict-fire }\n".to_string());
        assert_eq!(e.line, 1);
        let e = err("verdict-fire = { nv201-week }\n".to_string());
        assert!(e.message.contains("verdict-fire"), "{}", e.message);
        let e = err("verdict-fire = { rule-NV201.nope }\n".to_string());
        assert!(e.message.contains("rule-NV201.nope"), "{}", e.message);
        let e = err("rule-NV201 =\n    .advice = x\nverdict-fire = { rule-NV201 }\n".to_string());
        assert_eq!(e.line, 3);
        // Terms: their references are checked, and they cannot use the
        // message's variables.
        let e = err("-t = { nope }\nverdict-fire = { -t }\n".to_string());
        assert_eq!(e.line, 1);
        let e = err("-t = a { $x }\nverdict-fire = { -t }\n".to_string());
        assert!(e.message.contains("$x"), "{}", e.message);
        let e = err("-t = a\n-t = b\n".to_string());
        assert_eq!(e.line, 2);
        // An attribute is pointed at where it is.
        let e = err("rule-NV201 = A\n    .summary = ok\n    .advise = x\n".to_string());
        assert_eq!((e.line, e.column), (3, 5));
    }

    #[test]
    fn a_shared_term_serves_the_language_file() {
        let c = Catalog::with_files(
            Lang::Tr,
            vec![
                (PathBuf::from("my/messages.ftl"), "-me = Ayşe\n".into()),
                (
                    PathBuf::from("my/tr/messages.ftl"),
                    "verdict-fire = { -me } ayrılır\n".into(),
                ),
            ],
        )
        .expect("valid");
        assert_eq!(c.get("verdict-fire"), "Ayşe ayrılır");
    }

    #[test]
    fn overrides_replace_messages_and_report_syntax_errors() {
        let path = Path::new("templates/en/messages.ftl");
        let c = Catalog::with_overrides(Lang::En, path, "verdict-fire = part ways\n".into())
            .expect("valid override");
        assert_eq!(c.get("verdict-fire"), "part ways");
        assert_eq!(
            c.get("verdict-keep"),
            Catalog::builtin(Lang::En).get("verdict-keep")
        );
        assert!(!c.fingerprint.is_empty());
        let e = Catalog::with_overrides(Lang::En, path, "ok = fine\nbad = {\n".into())
            .expect_err("syntax error");
        assert_eq!((e.line, e.path.as_path()), (2, path));
    }
}
