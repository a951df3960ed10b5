//! The rule registry. A rule is data ([`RuleMeta`]: code, name, default
//! severity, options with defaults, summary, explanation, example, advice)
//! plus one check function. Built-in rules live one article per file;
//! `notes-vet rules`, `notes-vet explain` and the README's table all read
//! this one registry, and Lua rules join it through the same [`Check`] path.

mod difficult;
pub mod explain;
mod fields;
mod lost;
mod say_no;
mod toxic;

use crate::config::{Config, ConfigError, Practice, RuleSection};
use crate::frontmatter::Pos;
use crate::i18n::{Catalog, Lang, Msg, Text};
use crate::model::Client;
use crate::msg;
use crate::verdict::Verdict;
use jiff::civil::Date;
use std::borrow::Cow;
use std::fmt;

/// How much a finding matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Off,
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "off" => Some(Severity::Off),
            "info" => Some(Severity::Info),
            "warn" => Some(Severity::Warn),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The weight a finding adds to the score unless the rule says otherwise.
    pub fn default_weight(self) -> u32 {
        match self {
            Severity::Off | Severity::Info => 0,
            Severity::Warn => 1,
            Severity::Error => 3,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An option's value: its declared default, or what the config set.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<String>),
}

impl OptionValue {
    /// The kind's keyword for `config-option-type`.
    fn kind(&self) -> &'static str {
        match self {
            OptionValue::Int(_) => "int",
            OptionValue::Float(_) => "float",
            OptionValue::Text(_) => "text",
            OptionValue::List(_) => "list",
        }
    }

    /// Reads a config value as the same kind as `self` (the default).
    fn coerce(&self, v: &toml::Value) -> Option<OptionValue> {
        match (self, v) {
            (OptionValue::Int(_), toml::Value::Integer(i)) => Some(OptionValue::Int(*i)),
            (OptionValue::Float(_), toml::Value::Integer(i)) => Some(OptionValue::Float(*i as f64)),
            (OptionValue::Float(_), toml::Value::Float(x)) => Some(OptionValue::Float(*x)),
            (OptionValue::Text(_), toml::Value::String(s)) => Some(OptionValue::Text(s.clone())),
            (OptionValue::List(_), toml::Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(OptionValue::List),
            _ => None,
        }
    }
}

impl fmt::Display for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionValue::Int(i) => write!(f, "{i}"),
            OptionValue::Float(x) => write!(f, "{x}"),
            OptionValue::Text(s) => write!(f, "{s:?}"),
            OptionValue::List(items) => {
                let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
                write!(f, "[{}]", quoted.join(", "))
            }
        }
    }
}

/// A declared option of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionSpec {
    pub name: Cow<'static, str>,
    pub default: OptionValue,
    pub help: Cow<'static, str>,
}

/// The effective options of a rule: declared defaults overlaid with config.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options(Vec<(Cow<'static, str>, OptionValue)>);

impl Options {
    pub fn get(&self, name: &str) -> Option<&OptionValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A whole-number option (declared by the rule, so always present).
    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            Some(OptionValue::Int(i)) => *i,
            Some(OptionValue::Float(x)) => *x as i64,
            _ => 0,
        }
    }

    pub fn float(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(OptionValue::Float(x)) => *x,
            Some(OptionValue::Int(i)) => *i as f64,
            _ => 0.0,
        }
    }

    pub fn list(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(OptionValue::List(items)) => items,
            _ => &[],
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &OptionValue)> {
        self.0.iter().map(|(n, v)| (n.as_ref(), v))
    }
}

/// When a rule runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On each client note, before the verdict.
    Note,
    /// On each client note, after the verdict (it may read it, never change it).
    AfterVerdict,
    /// Once for the whole folder.
    Folder,
}

/// What a rule's firing means beyond its score: the verdict and the
/// generated files act on these, never on rule codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traits {
    /// The client is in hardship: `decline`/`fire` soften to `caution`.
    pub hardship: bool,
    /// A boundary was crossed: hardship does not soften the verdict.
    pub boundary_violation: bool,
    /// Expectations were never set: an expectations letter is drafted.
    pub drafts_expectations: bool,
    /// The summary shows the contact log.
    pub shows_contacts: bool,
    /// A `fire` rejection letter may carry the contact log as evidence.
    pub contact_evidence: bool,
    /// Someone else applied on the client's behalf.
    pub third_party: bool,
    /// Lua rule failures are reported under this rule.
    pub plugin_error: bool,
}

impl Traits {
    /// A rule with no effect beyond its score.
    pub const NONE: Traits = Traits {
        hardship: false,
        boundary_violation: false,
        drafts_expectations: false,
        shows_contacts: false,
        contact_evidence: false,
        third_party: false,
        plugin_error: false,
    };
}

/// Everything a rule knows about a rule, apart from its check.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: Cow<'static, str>,
    /// The kebab-case name, as configs and reports name it.
    pub name: Cow<'static, str>,
    /// The name in the run's language, for people (`Guarantee demand`).
    pub label: Cow<'static, str>,
    pub severity: Severity,
    /// The weight when the config does not set one; `None`: by severity.
    pub weight: Option<u32>,
    pub scope: Scope,
    pub summary: Cow<'static, str>,
    /// What it checks and why, in prose.
    pub explanation: Cow<'static, str>,
    /// The front matter keys it reads (none listed: every known key, or
    /// whatever a plugin reads).
    pub keys: Vec<Cow<'static, str>>,
    pub options: Vec<OptionSpec>,
    /// A YAML front matter (without fences) that fires the rule when today
    /// is [`EXAMPLE_TODAY`].
    pub example: Cow<'static, str>,
    /// What to do about a finding.
    pub advice: Cow<'static, str>,
    /// Where the rule comes from (a built-in article, or a plugin file).
    pub origin: Cow<'static, str>,
    /// What its firing means for the verdict and the outputs.
    pub traits: Traits,
}

/// The date the built-in examples are written against.
pub const EXAMPLE_TODAY: &str = "2026-11-23";

/// What a rule reads about one note.
pub struct NoteInput<'a> {
    pub client: &'a Client,
    pub today: Date,
    pub practice: &'a Practice,
    /// Set for [`Scope::AfterVerdict`] rules.
    pub verdict: Option<crate::verdict::Verdict>,
}

/// A compact summary of one vetted note, for folder-level rules.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteSummary {
    pub status: crate::model::Status,
    pub since: Option<Date>,
}

/// What a folder-level rule reads.
pub struct FolderInput<'a> {
    pub notes: &'a [NoteSummary],
    pub today: Date,
}

/// One thing a rule found: which key, where, and what. A built-in rule
/// says it with a message of the catalogs ([`Hit::new`]); only a Lua rule's
/// own words pass through as they are ([`Hit::plain`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub field: String,
    pub pos: Pos,
    pub message: Text,
}

impl Hit {
    pub fn new(field: impl Into<String>, pos: Pos, message: Msg) -> Hit {
        Hit {
            field: field.into(),
            pos,
            message: Text::from(message),
        }
    }

    /// A finding in the words of a Lua rule, shown unchanged in every
    /// language.
    pub(crate) fn plain(field: impl Into<String>, pos: Pos, message: String) -> Hit {
        Hit {
            field: field.into(),
            pos,
            message: Text::Plain(message),
        }
    }
}

pub type NoteCheck = fn(&NoteInput<'_>, &Options) -> Vec<Hit>;
pub type FolderCheck = fn(&FolderInput<'_>, &Options) -> Vec<Hit>;

/// How a rule is checked.
#[derive(Clone)]
pub enum Check {
    Note(NoteCheck),
    Folder(FolderCheck),
    /// A Lua rule: its index in the registry's [`crate::plugins::PluginSet`].
    Lua(usize),
}

/// A rule in the registry.
#[derive(Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// Every rule known to this run: built-in ones in code order, then the
/// Lua rules of the loaded plugins in code order.
#[derive(Clone)]
pub struct Registry {
    rules: Vec<Rule>,
    plugins: Option<std::sync::Arc<crate::plugins::PluginSet>>,
}

impl Registry {
    /// The built-in rules, in English.
    pub fn builtin() -> Registry {
        Registry::builtin_in(&Catalog::builtin(Lang::En))
    }

    /// The built-in rules, their words from `catalog`.
    pub fn builtin_in(catalog: &Catalog) -> Registry {
        let mut rules = Vec::new();
        rules.extend(fields::rules());
        rules.extend(say_no::rules());
        rules.extend(toxic::rules());
        rules.extend(difficult::rules());
        rules.extend(lost::rules());
        for r in &mut rules {
            r.meta.localize(catalog);
        }
        rules.sort_by(|a, b| a.meta.code.cmp(&b.meta.code));
        Registry {
            rules,
            plugins: None,
        }
    }

    /// The built-in rules (words from `catalog`) and the Lua rules of
    /// `plugins`.
    pub fn with_plugins(catalog: &Catalog, plugins: crate::plugins::PluginSet) -> Registry {
        let mut reg = Registry::builtin_in(catalog);
        let mut lua = plugins.registry_rules();
        lua.sort_by(|a, b| a.meta.code.cmp(&b.meta.code));
        reg.rules.extend(lua);
        reg.plugins = Some(std::sync::Arc::new(plugins));
        reg
    }

    /// The built-in rules and the Lua rules of the config's plugin folders.
    pub fn for_config(config: &Config) -> Result<Registry, crate::plugins::PluginError> {
        if config.plugin_dirs.is_empty() {
            return Ok(Registry::builtin_in(&config.catalog));
        }
        let builtin = Registry::builtin_in(&config.catalog);
        let taken: Vec<String> = builtin
            .rules
            .iter()
            .map(|r| r.meta.code.to_string())
            .collect();
        let plugins = crate::plugins::load(&config.plugin_dirs, config.plugin_limits, &taken)?;
        Ok(Registry::with_plugins(&config.catalog, plugins))
    }

    /// The loaded plugins, if any.
    pub fn plugins(&self) -> Option<&crate::plugins::PluginSet> {
        self.plugins.as_deref()
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The code or name nearest to a mistyped `entry` (a case or small
    /// edit away), for "did you mean ...?".
    pub fn nearest(&self, entry: &str) -> Option<String> {
        let e = entry.trim().to_ascii_lowercase();
        self.rules
            .iter()
            .flat_map(|r| [r.meta.code.to_string(), r.meta.name.to_string()])
            .map(|c| (edit_distance(&e, &c.to_ascii_lowercase()), c))
            .filter(|(d, c)| *d <= (c.chars().count() / 4).max(1))
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    pub fn find(&self, code: &str) -> Option<(usize, &Rule)> {
        let code = code.trim();
        self.rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.meta.code.eq_ignore_ascii_case(code))
    }
}

/// A rule's effective settings in this run.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    pub severity: Severity,
    pub weight: u32,
    pub options: Options,
}

/// The registry with the config's `[rules.CODE]` applied.
#[derive(Clone)]
pub struct Ruleset {
    pub registry: Registry,
    pub effective: Vec<Effective>,
    /// The Lua rules that are on: (index in the plugin set, index here).
    pub lua_on: Vec<(usize, usize)>,
    /// Where NV002 (plugin-error) stands, for Lua failures.
    pub nv002: Option<usize>,
    /// Unique per [`Ruleset::new`]: what a Lua state's cached `ctx` was
    /// built for (two rulesets may share a registry with other options).
    pub id: u64,
    /// The run's words (the config's catalog), for everything that reports
    /// on these rules.
    pub catalog: std::sync::Arc<Catalog>,
}

static NEXT_RULESET: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Ruleset {
    /// Applies the config's rule sections; an unknown code, option, severity
    /// or a value of the wrong type is an error naming the key.
    pub fn new(registry: Registry, config: &Config) -> Result<Ruleset, ConfigError> {
        let file = config.file.clone().unwrap_or_default();
        // Where in the file: the key of `[rules.CODE]` at fault, else its
        // header (read again only on this error path).
        let err_at = |message: Msg, code: &str, key: Option<&str>| ConfigError {
            pos: std::fs::read_to_string(&file)
                .ok()
                .and_then(|text| crate::config::locate_key(&text, &format!("rules.{code}"), key)),
            path: file.clone(),
            lang: Some(config.lang()),
            message,
        };
        let mut effective: Vec<Effective> = registry
            .rules
            .iter()
            .map(|r| Effective {
                severity: r.meta.severity,
                weight: r
                    .meta
                    .weight
                    .unwrap_or_else(|| r.meta.severity.default_weight()),
                options: Options(
                    r.meta
                        .options
                        .iter()
                        .map(|o| (o.name.clone(), o.default.clone()))
                        .collect(),
                ),
            })
            .collect();
        for (code, section) in &config.rules {
            let Some((index, rule)) = registry
                .rules
                .iter()
                .enumerate()
                .find(|(_, r)| r.meta.code.eq_ignore_ascii_case(code))
            else {
                let known: Vec<&str> = registry
                    .rules
                    .iter()
                    .map(|r| r.meta.code.as_ref())
                    .collect();
                return Err(err_at(
                    msg!(
                        "config-unknown-rule",
                        code = code.as_str(),
                        known = known.join(", ")
                    ),
                    code,
                    None,
                ));
            };
            let eff = &mut effective[index];
            apply_section(code, rule, section, eff)
                .map_err(|(m, key)| err_at(m, code, Some(&key)))?;
        }
        let lua_on = registry
            .rules
            .iter()
            .zip(&effective)
            .enumerate()
            .filter_map(|(i, (r, e))| match r.check {
                Check::Lua(l) if e.severity != Severity::Off => Some((l, i)),
                _ => None,
            })
            .collect();
        let nv002 = registry
            .rules
            .iter()
            .position(|r| r.meta.traits.plugin_error);
        Ok(Ruleset {
            registry,
            effective,
            lua_on,
            nv002,
            id: NEXT_RULESET.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            catalog: config.catalog.clone(),
        })
    }

    /// Runs only the rules `select` names (all when it is empty) and none
    /// that `ignore` names, for this run (`--select` / `--ignore`, as ruff
    /// names them). Each entry is a code, a code prefix (`NV2` for NV201 to
    /// NV204) or a rule name, in any case; one that matches no rule is an
    /// error suggesting the nearest code or name.
    pub fn restrict(&mut self, select: &[String], ignore: &[String]) -> Result<(), Msg> {
        let matches = |entry: &str| -> Result<Vec<usize>, Msg> {
            let e = entry.trim();
            let hits: Vec<usize> = self
                .registry
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    let code = r.meta.code.to_ascii_uppercase();
                    code.starts_with(&e.to_ascii_uppercase()) && !e.is_empty()
                        || r.meta.name.eq_ignore_ascii_case(e)
                })
                .map(|(i, _)| i)
                .collect();
            if hits.is_empty() {
                return Err(match self.registry.nearest(e) {
                    Some(near) => msg!("select-unknown-near", entry = e, near = near),
                    None => msg!("select-unknown", entry = e),
                });
            }
            Ok(hits)
        };
        let entries = |list: &[String]| -> Vec<String> {
            list.iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let select = entries(select);
        let ignore = entries(ignore);
        let mut on = vec![select.is_empty(); self.registry.rules.len()];
        for e in &select {
            for i in matches(e)? {
                on[i] = true;
            }
        }
        for e in &ignore {
            for i in matches(e)? {
                on[i] = false;
            }
        }
        for (i, keep) in on.iter().enumerate() {
            if !keep {
                self.effective[i].severity = Severity::Off;
            }
        }
        self.lua_on.retain(|(_, i)| on[*i]);
        Ok(())
    }

    /// The rules with their effective settings, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Rule, &Effective)> {
        self.registry
            .rules
            .iter()
            .zip(&self.effective)
            .enumerate()
            .map(|(i, (r, e))| (i, r, e))
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.registry.rules[index]
    }
}

/// Applies one `[rules.CODE]` section; an error names the key at fault.
fn apply_section(
    code: &str,
    rule: &Rule,
    section: &RuleSection,
    eff: &mut Effective,
) -> Result<(), (Msg, String)> {
    if let Some(s) = &section.severity {
        let severity = Severity::parse(s).ok_or_else(|| {
            (
                msg!("config-severity", code = code, found = s.as_str()),
                "severity".to_string(),
            )
        })?;
        eff.severity = severity;
        if section.weight.is_none() && rule.meta.weight.is_none() {
            eff.weight = severity.default_weight();
        }
    }
    if let Some(w) = &section.weight {
        eff.weight = match w {
            toml::Value::Integer(i) if (0..=1000).contains(i) => *i as u32,
            other => {
                return Err((
                    msg!("config-weight", code = code, found = other.to_string()),
                    "weight".to_string(),
                ));
            }
        };
    }
    for (name, value) in &section.options {
        let Some(spec) = rule.meta.options.iter().find(|o| o.name == *name) else {
            let known: Vec<&str> = rule.meta.options.iter().map(|o| o.name.as_ref()).collect();
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            return Err((
                msg!(
                    "config-unknown-option",
                    code = code,
                    name = name.as_str(),
                    known = known
                ),
                name.to_string(),
            ));
        };
        let v = spec.default.coerce(value).ok_or_else(|| {
            (
                msg!(
                    "config-option-type",
                    code = code,
                    name = name.as_str(),
                    expected = spec.default.kind(),
                    found = crate::config::describe_value(value)
                ),
                name.to_string(),
            )
        })?;
        if let Some(slot) = eff.options.0.iter_mut().find(|(n, _)| n == name) {
            slot.1 = v;
        }
    }
    Ok(())
}

/// Shorthand for building an option; its help comes from the catalog
/// (`rule-CODE.option-NAME`).
pub(crate) fn opt(name: &'static str, default: OptionValue) -> OptionSpec {
    OptionSpec {
        name: Cow::Borrowed(name),
        default,
        help: Cow::Borrowed(""),
    }
}

/// Shorthand for the parts of a built-in rule's metadata. Its words (label,
/// summary, explanation, advice, option help) are in the message catalogs
/// under `rule-CODE`; `origin` is the id of its source's title.
pub(crate) struct Doc {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub weight: Option<u32>,
    pub scope: Scope,
    pub keys: &'static [&'static str],
    pub example: &'static str,
    pub origin: &'static str,
}

impl Doc {
    pub(crate) fn rule(self, options: Vec<OptionSpec>, check: Check) -> Rule {
        Rule {
            meta: RuleMeta {
                code: Cow::Borrowed(self.code),
                name: Cow::Borrowed(self.name),
                label: Cow::Borrowed(""),
                severity: self.severity,
                weight: self.weight,
                scope: self.scope,
                summary: Cow::Borrowed(""),
                explanation: Cow::Borrowed(""),
                keys: self.keys.iter().map(|k| Cow::Borrowed(*k)).collect(),
                options,
                example: Cow::Borrowed(self.example),
                advice: Cow::Borrowed(""),
                origin: Cow::Borrowed(self.origin),
                traits: Traits::NONE,
            },
            check,
        }
    }
}

impl RuleMeta {
    /// Puts a built-in rule's words in the language of `catalog`: they are
    /// the attributes of message `rule-CODE`, and its origin is a message id.
    fn localize(&mut self, catalog: &Catalog) {
        let id = format!("rule-{}", self.code);
        // The catalogs wrap paragraphs for reading; the terminal wraps them
        // itself, so each paragraph is one line.
        let attr = |a: &str| -> Cow<'static, str> {
            Cow::Owned(
                catalog
                    .attr(&id, a)
                    .unwrap_or_default()
                    .split("\n\n")
                    .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("\n\n"),
            )
        };
        self.label = Cow::Owned(catalog.get(&id));
        self.summary = attr("summary");
        self.explanation = attr("explanation");
        self.advice = attr("advice");
        self.origin = Cow::Owned(catalog.get(&self.origin));
        for o in &mut self.options {
            o.help = attr(&format!("option-{}", o.name));
        }
    }
}

impl Rule {
    /// Sets what the rule's firing means beyond its score.
    pub(crate) fn with_traits(mut self, traits: Traits) -> Rule {
        self.meta.traits = traits;
        self
    }

    /// True when this rule has trait `t` (a selector such as
    /// `|t| t.hardship`).
    pub fn has(&self, t: impl Fn(&Traits) -> bool) -> bool {
        t(&self.meta.traits)
    }
}

/// How many single-character insertions, deletions or substitutions turn
/// `a` into `b` (Levenshtein), for suggesting the key or rule meant.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// Text folded for matching without regard to case, in English and in
/// Turkish alike: `İ`, `I`, `ı` and `i` are one letter here (Turkish `I`
/// lowers to `ı` and `İ` to `i`, which plain lowercasing gets wrong), and
/// surrounding blanks are dropped.
pub(crate) fn fold(s: &str) -> String {
    let s = s.trim();
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| *c != '\u{307}')
        .map(|c| if c == 'ı' { 'i' } else { c })
        .collect()
}

/// Used by [`Verdict`]-aware rules.
pub(crate) fn verdict_of(input: &NoteInput<'_>) -> Option<Verdict> {
    input.verdict
}
