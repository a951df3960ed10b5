//! Lua rules (the README's "Writing your own rules"): loading plugin files, checking their rule
//! tables, and running their `check` functions in a sandbox.
//!
//! Why Luau (through mlua, built from source): its interrupt callback runs
//! at every function call and loop back-edge *and inside the string
//! library's pattern matching*, so a deadline stops a plain `while true`, a
//! loop that keeps catching the error with `pcall` (the interrupt raises
//! again outside the `pcall`), and runaway backtracking in `string.find`
//! alike. PUC Lua 5.4's count hook never fires inside C functions, so a
//! hostile pattern could hold a worker forever. Luau's sandbox mode also
//! makes the built-in libraries and the string metatable read-only, has no
//! `io`, no bytecode loading, and an `os` with only `clock`, `date`,
//! `difftime` and `time`; we remove `debug`, `require`, `loadstring`,
//! `getfenv` and `setfenv` on top of that. Each plugin file gets its own
//! global environment, and the note and option tables a rule receives are
//! frozen, so no rule can change what another one sees.
//!
//! One Lua state per worker thread, created lazily; a state whose check
//! ran out of time or memory is thrown away and rebuilt before its next use.

use crate::config::{Limits, Practice};
use crate::dates;
use crate::frontmatter::{Node, Pos, Value as FmValue};
use crate::i18n::Msg;
use crate::msg;
use crate::rules::{Check, OptionSpec, OptionValue, Options, RuleMeta, Scope, Severity};
use jiff::civil::Date;
use mlua::{Function, Lua, LuaOptions, StdLib, Table, Value, VmState};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A plugin file that could not be loaded: which file, which line, what.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: Msg,
}

impl PluginError {
    /// `file:line: message` in the words of `catalog`.
    pub fn describe(&self, catalog: &crate::i18n::Catalog) -> String {
        let message = catalog.msg(&self.message);
        match self.line {
            Some(l) => format!("{}:{l}: {message}", self.path.display()),
            None => format!("{}: {message}", self.path.display()),
        }
    }
}

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(&crate::i18n::Catalog::builtin(crate::i18n::Lang::En)))
    }
}

impl std::error::Error for PluginError {}

/// One plugin file's source.
#[derive(Debug, Clone)]
struct PluginFile {
    path: PathBuf,
    /// The name errors show (the path as the user gave it).
    shown: String,
    source: String,
}

/// One Lua rule: its metadata and where its check lives.
#[derive(Debug, Clone)]
pub struct LuaRule {
    pub meta: RuleMeta,
    file: usize,
    /// Position of the rule in what its file returned.
    slot: usize,
    /// Line where its `check` function starts.
    pub line: usize,
}

/// The loaded plugins of a run.
#[derive(Debug)]
pub struct PluginSet {
    id: u64,
    files: Vec<PluginFile>,
    pub rules: Vec<LuaRule>,
    pub limits: Limits,
    /// Per rule: how many notes it ran out of its time or memory budget on
    /// in this set's life (a run of `check`; in `watch` and `lsp`, until the
    /// plugins are loaded again). At [`MAX_OVERRUNS`] the rule is off.
    overruns: Vec<AtomicU64>,
    /// Per rule: the notes it ran out of budget on, so that one note vetted
    /// again and again (an editor's keystrokes, `watch`'s saves) counts once.
    overrun_notes: Vec<std::sync::Mutex<std::collections::HashSet<String>>>,
}

/// Budget overruns after which a rule is turned off for the rest of a run:
/// a rule that loops on every note would make a large run take minutes.
pub const MAX_OVERRUNS: u64 = 3;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Ids of plugin sets dropped (a `watch` config reload), and a counter
/// bumped with each: every thread drops its Lua states of dead sets the
/// next time it runs a rule, so reloads do not pile up states.
static DEAD: std::sync::Mutex<Vec<u64>> = std::sync::Mutex::new(Vec::new());
static DEAD_COUNT: AtomicU64 = AtomicU64::new(0);

impl Drop for PluginSet {
    fn drop(&mut self) {
        if let Ok(mut dead) = DEAD.lock() {
            dead.push(self.id);
        }
        DEAD_COUNT.fetch_add(1, Ordering::Release);
    }
}

/// What a Lua rule reads about one note.
pub struct LuaNote<'a> {
    pub path: &'a str,
    pub client: &'a str,
    pub status: &'a str,
    pub root: &'a Node,
    pub body: &'a str,
    /// The note line on which the body starts.
    pub body_line: u32,
    /// Where the `client` key stands (the default line of a finding).
    pub client_pos: Pos,
    pub today: Date,
    pub practice: &'a Practice,
    /// [`crate::rules::Ruleset::id`] of the ruleset giving the options.
    pub ruleset: u64,
}

/// One finding of a Lua rule.
#[derive(Debug, Clone, PartialEq)]
pub struct LuaHit {
    pub message: String,
    pub field: String,
    pub pos: Pos,
    /// `field` names a key the note does not have.
    pub missing_field: bool,
}

/// Why a Lua check did not give findings; becomes NV002. The Lua error's
/// own text (`attempt to index nil`) is a plugin's words and stays as it is;
/// the frame around it is in the run's language.
#[derive(Debug, Clone, PartialEq)]
pub struct LuaFailure {
    pub message: Msg,
    /// The rule ran out of its time or memory budget: its Lua state is
    /// dropped.
    pub budget: bool,
}

impl LuaFailure {
    fn new(message: Msg) -> LuaFailure {
        LuaFailure {
            message,
            budget: false,
        }
    }
}

/// The outcome of each Lua rule run on a note, by rule index.
pub type RuleResults = Vec<(usize, Result<Vec<LuaHit>, LuaFailure>)>;

/// Loads every `*.lua` file of `dirs` (sorted by name), checking each rule
/// table. `taken` holds codes already in use (the built-in ones).
pub fn load(dirs: &[PathBuf], limits: Limits, taken: &[String]) -> Result<PluginSet, PluginError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| PluginError {
            path: dir.clone(),
            line: None,
            message: msg!("plugin-folder-unreadable", error = e.to_string()),
        })?;
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "lua") && !is_meta_file(p) && p.is_file()
            })
            .collect();
        paths.sort();
        for path in paths {
            // Only a regular file inside the plugin folder, of sane size.
            let source = crate::fsx::read_inside(dir, &path, crate::fsx::SOURCE_CAP)
                .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other))
                .map_err(|e| PluginError {
                    path: path.clone(),
                    line: None,
                    message: msg!("plugin-unreadable", error = e.to_string()),
                })?;
            files.push(PluginFile {
                shown: path.display().to_string(),
                path,
                source,
            });
        }
    }
    let mut set = PluginSet {
        id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        files,
        rules: Vec::new(),
        limits,
        overruns: Vec::new(),
        overrun_notes: Vec::new(),
    };
    let runtime = Runtime::new(&set).map_err(|(file, e)| load_error(&set.files[file], &e))?;
    let mut seen: Vec<String> = taken.to_vec();
    for (file_index, tables) in runtime.tables.iter().enumerate() {
        let file = &set.files[file_index];
        for (slot, table) in tables.iter().enumerate() {
            let rule = read_rule(table, file, file_index, slot)?;
            if seen.iter().any(|c| c.eq_ignore_ascii_case(&rule.meta.code)) {
                return Err(PluginError {
                    path: file.path.clone(),
                    line: Some(rule.line),
                    message: msg!("plugin-code-taken", code = rule.meta.code.as_ref()),
                });
            }
            seen.push(rule.meta.code.to_string());
            set.rules.push(rule);
        }
    }
    set.overruns = set.rules.iter().map(|_| AtomicU64::new(0)).collect();
    set.overrun_notes = set.rules.iter().map(|_| Default::default()).collect();
    Ok(set)
}

/// `notes-vet.d.lua` and other LuaLS `---@meta` files describe the API;
/// they are not rules.
fn is_meta_file(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".d.lua"))
}

fn load_error(file: &PluginFile, e: &mlua::Error) -> PluginError {
    let (line, message) = split_location(&e.to_string(), &file.shown);
    PluginError {
        path: file.path.clone(),
        line,
        // Lua's own words (a syntax error, the plugin's `error(...)`).
        message: msg!("plugin-lua", error = message),
    }
}

/// Pulls `path:LINE:` out of a Lua error message.
fn split_location(text: &str, shown: &str) -> (Option<usize>, String) {
    let first = text.lines().next().unwrap_or(text).trim();
    let first = first
        .strip_prefix("runtime error: ")
        .or_else(|| first.strip_prefix("syntax error: "))
        .unwrap_or(first);
    if let Some(pos) = first.find(shown) {
        let rest = &first[pos + shown.len()..];
        if let Some(rest) = rest.strip_prefix(':') {
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if let Ok(line) = digits.parse() {
                let msg = rest[digits.len()..].trim_start_matches(':').trim();
                return (Some(line), msg.to_string());
            }
        }
    }
    (None, first.to_string())
}

fn bad(file: &PluginFile, line: usize, message: Msg) -> PluginError {
    PluginError {
        path: file.path.clone(),
        line: Some(line),
        message,
    }
}

/// Reads and checks one rule table.
fn read_rule(
    t: &Table,
    file: &PluginFile,
    file_index: usize,
    slot: usize,
) -> Result<LuaRule, PluginError> {
    // Rule tables are read raw: an `__index` metamethod never runs here.
    let check: Option<Function> = t.raw_get("check").ok();
    let line = check
        .as_ref()
        .and_then(|f| f.info().line_defined)
        .unwrap_or(1);
    let Some(_) = check else {
        return Err(bad(file, line, msg!("plugin-no-check")));
    };
    let text = |key: &str| -> Result<Option<String>, PluginError> {
        match t.raw_get::<Value>(key) {
            Ok(Value::Nil) => Ok(None),
            Ok(Value::String(s)) => Ok(Some(s.to_string_lossy())),
            _ => Err(bad(file, line, msg!("plugin-not-string", key = key))),
        }
    };
    let code = text("code")?.ok_or_else(|| bad(file, line, msg!("plugin-no-code")))?;
    // README, "Writing your own rules": letters then digits, not starting with NV (in any case).
    let letters = code.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = code[letters..]
        .chars()
        .filter(|c| c.is_ascii_digit())
        .count();
    if letters == 0 || digits == 0 || letters + digits != code.len() {
        return Err(bad(
            file,
            line,
            msg!("plugin-bad-code", code = code.as_str()),
        ));
    }
    if code.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("NV")) {
        return Err(bad(
            file,
            line,
            msg!("plugin-nv-code", code = code.as_str()),
        ));
    }
    let name = text("name")?.ok_or_else(|| bad(file, line, msg!("plugin-no-name")))?;
    let kebab = !name.is_empty()
        && name.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase());
    if !kebab {
        return Err(bad(
            file,
            line,
            msg!("plugin-bad-name", name = name.as_str()),
        ));
    }
    let severity = match text("severity")? {
        None => Severity::Warn,
        Some(s) => Severity::parse(&s).ok_or_else(|| {
            bad(
                file,
                line,
                msg!("plugin-bad-severity", severity = s.as_str()),
            )
        })?,
    };
    let summary = text("summary")?.unwrap_or_else(|| name.clone());
    let explain = text("explain")?.unwrap_or_else(|| summary.clone());
    let advice = text("advice")?.unwrap_or_default();
    let mut options = Vec::new();
    match t.raw_get::<Value>("options") {
        Ok(Value::Nil) => {}
        Ok(Value::Table(opts)) => {
            for pair in opts.pairs::<String, Value>() {
                let (key, value) =
                    pair.map_err(|_| bad(file, line, msg!("plugin-option-names")))?;
                let default = match value {
                    Value::Integer(i) => OptionValue::Int(i),
                    Value::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => {
                        OptionValue::Int(x as i64)
                    }
                    Value::Number(x) => OptionValue::Float(x),
                    Value::String(s) => OptionValue::Text(s.to_string_lossy()),
                    Value::Table(list) => OptionValue::List(
                        list.sequence_values::<String>()
                            .collect::<Result<Vec<_>, _>>()
                            .map_err(|_| {
                                bad(file, line, msg!("plugin-option-list", key = key.as_str()))
                            })?,
                    ),
                    _ => {
                        return Err(bad(
                            file,
                            line,
                            msg!("plugin-option-type", key = key.as_str()),
                        ));
                    }
                };
                options.push(OptionSpec {
                    name: Cow::Owned(key),
                    default,
                    help: Cow::Borrowed(""),
                });
            }
            options.sort_by(|a, b| a.name.cmp(&b.name));
        }
        _ => {
            return Err(bad(file, line, msg!("plugin-options-table")));
        }
    }
    let meta = RuleMeta {
        traits: crate::rules::Traits::NONE,
        code: Cow::Owned(code),
        // A plugin's rule has no translations: its name is its label.
        label: Cow::Owned(name.clone()),
        name: Cow::Owned(name),
        severity,
        weight: None,
        scope: Scope::Note,
        summary: Cow::Owned(summary),
        explanation: Cow::Owned(explain),
        keys: Vec::new(),
        options,
        example: Cow::Borrowed(""),
        advice: Cow::Owned(advice),
        origin: Cow::Owned(format!("{}:{line}", file.shown)),
    };
    Ok(LuaRule {
        meta,
        file: file_index,
        slot,
        line,
    })
}

impl PluginSet {
    /// A hash of what the rules' results depend on: each file's source
    /// and its name as messages show it, and the budgets (part of
    /// [`crate::engine::Vetter::results_key`]).
    pub fn fingerprint(&self) -> u64 {
        let mut text = format!("{:?}\0", self.limits);
        for f in &self.files {
            text.push_str(&f.shown);
            text.push('\0');
            text.push_str(&f.source);
            text.push('\0');
        }
        crate::cache::hash(text.as_bytes())
    }

    /// Whether a rule has run out of its time or memory budget in this
    /// set's life: what it found then depends on the machine's load, so
    /// the results of such a run are not cached.
    pub fn overran(&self) -> bool {
        self.overruns.iter().any(|n| n.load(Ordering::Relaxed) > 0)
    }

    /// The rules turned off after [`MAX_OVERRUNS`] budget overruns: code,
    /// overruns, and `file:line`.
    pub fn turned_off(&self) -> Vec<(String, u64, String)> {
        self.rules
            .iter()
            .zip(&self.overruns)
            .filter_map(|(r, n)| {
                let n = n.load(Ordering::Relaxed);
                (n >= MAX_OVERRUNS).then(|| {
                    (
                        r.meta.code.to_string(),
                        n,
                        format!("{}:{}", self.files[r.file].shown, r.line),
                    )
                })
            })
            .collect()
    }

    /// The registry entries of the Lua rules, in code order.
    pub fn registry_rules(&self) -> Vec<crate::rules::Rule> {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, r)| crate::rules::Rule {
                meta: r.meta.clone(),
                check: Check::Lua(i),
            })
            .collect()
    }

    /// Runs the Lua rules `wanted` (indexes into [`PluginSet::rules`], with
    /// their effective options) on one note, in this thread's Lua state.
    pub fn run(&self, note: &LuaNote<'_>, wanted: &[(usize, &Options)]) -> RuleResults {
        Self::with_runtimes(|map| {
            if let std::collections::hash_map::Entry::Vacant(e) = map.entry(self.id) {
                match Runtime::new(self) {
                    Ok(rt) => {
                        e.insert(rt);
                    }
                    Err((_, e)) => {
                        let failure =
                            LuaFailure::new(msg!("plugin-no-runtime", error = e.to_string()));
                        return wanted
                            .iter()
                            .map(|(i, _)| (*i, Err(failure.clone())))
                            .collect();
                    }
                }
            }
            let Some(rt) = map.get(&self.id) else {
                return Vec::new();
            };
            let (results, poisoned) = rt.run_note(self, note, wanted);
            if poisoned {
                // A blown budget can leave the state anywhere: start afresh.
                map.remove(&self.id);
            }
            results
        })
    }

    /// Runs `f` on this thread's Lua states, once the states of dropped
    /// plugin sets are gone.
    fn with_runtimes<R>(f: impl FnOnce(&mut HashMap<u64, Runtime>) -> R) -> R {
        thread_local! {
            static RUNTIMES: RefCell<HashMap<u64, Runtime>> = RefCell::new(HashMap::new());
            static DEAD_SEEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        }
        RUNTIMES.with(|cell| {
            let mut map = cell.borrow_mut();
            let dead_count = DEAD_COUNT.load(Ordering::Acquire);
            if DEAD_SEEN.with(|s| s.replace(dead_count)) != dead_count
                && let Ok(dead) = DEAD.lock()
            {
                map.retain(|id, _| !dead.contains(id));
            }
            f(&mut map)
        })
    }

    /// How many Lua states this thread holds (one per live plugin set it
    /// has run); for tests of the state pool.
    #[doc(hidden)]
    pub fn states_in_this_thread() -> usize {
        Self::with_runtimes(|map| map.len())
    }

    /// The file and line of a Lua rule, as errors show them.
    pub fn location(&self, rule: usize) -> String {
        let r = &self.rules[rule];
        format!("{}:{}", self.files[r.file].shown, r.line)
    }
}

/// The most findings all Lua rules together may return for one note.
pub const MAX_NOTE_FINDINGS: usize = 1000;

/// The most headings a note passes to Lua.
const MAX_HEADINGS: usize = 10_000;

/// The error a rule's time budget raises inside Lua (recognised to say it
/// in the run's words).
const TIME_BUDGET: &str = "time budget exceeded";

/// The most elements one `table.move` may move.
const MAX_MOVE: f64 = 1_000_000.0;

/// The memory top-level plugin code may use, at least.
const LOAD_MEMORY: usize = 64 << 20;

/// The most findings one rule may return for one note.
pub const MAX_FINDINGS: usize = 100;
/// The longest finding message kept, in bytes (and error text).
pub const MAX_MESSAGE: usize = 2000;
/// The longest `field` a finding may name, in bytes.
pub const MAX_FIELD: usize = 256;

/// Makes `t` and every table reachable from it (keys, values, metatables)
/// read-only.
fn freeze(t: &Table, seen: &mut std::collections::HashSet<usize>) {
    // An explicit stack: a plugin can nest tables deeper than the native
    // stack would take.
    let mut stack = vec![t.clone()];
    while let Some(t) = stack.pop() {
        if !seen.insert(t.to_pointer() as usize) {
            continue;
        }
        if let Some(meta) = t.metatable() {
            stack.push(meta);
        }
        for (k, v) in t.clone().pairs::<Value, Value>().flatten() {
            for x in [k, v] {
                if let Value::Table(c) = x {
                    stack.push(c);
                }
            }
        }
        t.set_readonly(true);
    }
}

/// Replaces the library functions that loop in C, where the time budget
/// cannot stop them, with bounded ones: a linear `string.find` for plain
/// needles, a linear `string.split`, and a `table.move` that refuses more
/// than [`MAX_MOVE`] elements. Runs before the libraries are sandboxed.
fn harden_builtins(lua: &Lua) -> mlua::Result<()> {
    let g = lua.globals();
    let string: Table = g.get("string")?;
    wrap_builtin(lua, &string, "find", |args| {
        let (Some(Value::String(s)), Some(Value::String(p))) = (args.front(), args.get(1)) else {
            return Ok(None);
        };
        let wants_plain =
            matches!(args.get(3), Some(v) if !matches!(v, Value::Nil | Value::Boolean(false)));
        let init = match args.get(2) {
            None | Some(Value::Nil) => None,
            Some(v) => match lua_int(v) {
                Some(i) => Some(i),
                None => return Ok(None),
            },
        };
        if !wants_plain && has_pattern_specials(&p.as_bytes()) {
            return Ok(None);
        }
        Ok(Some(match plain_find(&s.as_bytes(), &p.as_bytes(), init) {
            Some((a, b)) => mlua::MultiValue::from_iter([Value::Integer(a), Value::Integer(b)]),
            None => mlua::MultiValue::from_iter([Value::Nil]),
        }))
    })?;
    let table_lib: Table = g.get("table")?;
    wrap_builtin(lua, &table_lib, "move", |args| {
        let num = |i: usize| args.get(i).and_then(lua_int).map(|n| n as f64);
        if let (Some(f), Some(e)) = (num(1), num(2))
            && e - f > MAX_MOVE
        {
            return Err(mlua::Error::runtime(format!(
                "table.move of more than {MAX_MOVE} elements is not allowed"
            )));
        }
        Ok(None)
    })?;
    string.raw_set(
        "split",
        lua.create_function(
            |lua, (s, sep): (mlua::LuaString, Option<mlua::LuaString>)| {
                let bytes = s.as_bytes();
                let sep = sep
                    .map(|x| x.as_bytes().to_vec())
                    .unwrap_or_else(|| b",".to_vec());
                let out = lua.create_table()?;
                let mut n = 1;
                if sep.is_empty() {
                    for b in bytes.iter() {
                        out.raw_set(n, lua.create_string([*b])?)?;
                        n += 1;
                    }
                    return Ok(out);
                }
                let mut start = 0usize;
                for at in memchr::memmem::find_iter(&bytes, &sep) {
                    if at < start {
                        continue;
                    }
                    out.raw_set(n, lua.create_string(&bytes[start..at])?)?;
                    n += 1;
                    start = at + sep.len();
                }
                out.raw_set(n, lua.create_string(&bytes[start..])?)?;
                Ok(out)
            },
        )?,
    )
}

/// Puts a guard in front of library function `name` of `lib`: the guard
/// answers itself (`Some`), refuses (an error), or lets the original run
/// (`None`).
fn wrap_builtin(
    lua: &Lua,
    lib: &Table,
    name: &str,
    guard: impl Fn(&mlua::MultiValue) -> mlua::Result<Option<mlua::MultiValue>> + Send + 'static,
) -> mlua::Result<()> {
    let original: Function = lib.get(name)?;
    let original = lua.create_registry_value(original)?;
    lib.raw_set(
        name,
        lua.create_function(move |lua, args: mlua::MultiValue| match guard(&args)? {
            Some(answer) => Ok(answer),
            None => lua
                .registry_value::<Function>(&original)?
                .call::<mlua::MultiValue>(args),
        })?,
    )
}

/// Lua's `string.find` for a plain needle (or a pattern without special
/// characters): the same results in linear time. Luau's own plain search
/// is quadratic, inside C code where the time budget cannot stop it.
fn plain_find(s: &[u8], needle: &[u8], init: Option<i64>) -> Option<(i64, i64)> {
    let len = s.len() as i64;
    let mut start = init.unwrap_or(1);
    if start < 0 {
        start = (len + start + 1).max(1);
    } else if start == 0 {
        start = 1;
    }
    if start > len + 1 {
        return None;
    }
    let from = (start - 1) as usize;
    let at = memchr::memmem::find(&s[from..], needle)?;
    let first = from as i64 + at as i64 + 1;
    Some((first, first + needle.len() as i64 - 1))
}

/// A Lua number argument as Lua's C functions read it: an integer, a
/// float (rounded down), or a string holding a number.
fn lua_int(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        Value::Number(x) if x.is_finite() => Some(x.floor() as i64),
        Value::String(s) => {
            let t = s.to_str().ok()?;
            let t = t.trim();
            t.parse::<i64>().ok().or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(|x| x.floor() as i64)
            })
        }
        _ => None,
    }
}

fn has_pattern_specials(p: &[u8]) -> bool {
    p.iter().any(|b| b"^$*+?.([%-".contains(b))
}

/// The deadline of the check running in a state.
struct Deadline(Option<Instant>);

/// One thread's Lua state with every plugin loaded.
struct Runtime {
    lua: Lua,
    /// What each file returned: its rule tables.
    tables: Vec<Vec<Table>>,
    /// Memory in use once the plugins were loaded.
    baseline: usize,
    /// Each rule's frozen `ctx` (today and options are the same for every
    /// note of a run), built on first use, with what it was built for:
    /// today, the ruleset (its options) and the working hours.
    contexts: RefCell<HashMap<usize, (Date, u64, Practice, Table)>>,
}

impl Runtime {
    fn new(set: &PluginSet) -> Result<Runtime, (usize, mlua::Error)> {
        let libs =
            StdLib::STRING | StdLib::TABLE | StdLib::MATH | StdLib::OS | StdLib::UTF8 | StdLib::BIT;
        let lua = Lua::new_with(libs, LuaOptions::default()).map_err(|e| (0, e))?;
        let setup = || -> mlua::Result<()> {
            let g = lua.globals();
            // Not part of the plugin API, and ways around the sandbox.
            for name in [
                "debug",
                "require",
                "loadstring",
                "getfenv",
                "setfenv",
                "collectgarbage",
                "newproxy",
                "gcinfo",
            ] {
                g.raw_set(name, Value::Nil)?;
            }
            let os: Table = g.get("os")?;
            {
                let name = "difftime";
                os.raw_set(name, Value::Nil)?;
            }
            g.raw_set(
                "print",
                // `print` is how rule authors debug: to stderr, after the
                // file and line that printed, never into the report.
                lua.create_function(|lua, args: mlua::Variadic<Value>| {
                    let text: Vec<String> = args
                        .iter()
                        .map(|v| v.to_string().unwrap_or_default())
                        .collect();
                    let at = lua
                        .inspect_stack(1, |d| {
                            let file = d.source().short_src.map(|s| s.into_owned());
                            (file, d.current_line())
                        })
                        .and_then(|(file, line)| Some(format!("{}:{}", file?, line?)))
                        .unwrap_or_else(|| "[plugin]".to_string());
                    eprintln!(
                        "{}: {}",
                        crate::report::visible(&at),
                        crate::report::visible(&text.join("\t"))
                    );
                    Ok(())
                })?,
            )?;
            harden_builtins(&lua)?;
            lua.sandbox(true)?;
            lua.set_app_data(Deadline(None));
            lua.set_interrupt(|lua| {
                let late = lua
                    .app_data_ref::<Deadline>()
                    .and_then(|d| d.0)
                    .is_some_and(|d| Instant::now() > d);
                if late {
                    return Err(mlua::Error::runtime(TIME_BUDGET));
                }
                Ok(VmState::Continue)
            });
            Ok(())
        };
        setup().map_err(|e| (0, e))?;
        let mut tables = Vec::new();
        for (i, file) in set.files.iter().enumerate() {
            // Each file gets its own globals, reading through to the
            // (read-only) built-ins.
            let env = lua.create_table().map_err(|e| (i, e))?;
            let meta = lua.create_table().map_err(|e| (i, e))?;
            meta.raw_set("__index", lua.globals()).map_err(|e| (i, e))?;
            env.set_metatable(Some(meta)).map_err(|e| (i, e))?;
            lua.set_app_data(Deadline(Some(
                Instant::now() + set.limits.time.max(Duration::from_secs(1)),
            )));
            // Top-level code runs under the memory budget too.
            lua.set_memory_limit(lua.used_memory() + set.limits.memory.max(LOAD_MEMORY))
                .map_err(|e| (i, e))?;
            let returned: mlua::Result<Value> = lua
                .load(&file.source)
                .set_name(format!("@{}", file.shown))
                .set_environment(env.clone())
                .eval();
            lua.set_app_data(Deadline(None));
            lua.set_memory_limit(0).map_err(|e| (i, e))?;
            let returned = returned.map_err(|e| (i, e))?;
            let list = rule_tables(returned)
                .map_err(|m| (i, mlua::Error::runtime(format!("{}: {m}", file.shown))))?;
            // Rules are pure functions of the note: once loaded, a plugin's
            // globals and every table it can reach are frozen, so nothing
            // carries from one note to the next (a write fails as NV002).
            let mut seen = std::collections::HashSet::new();
            freeze(&env, &mut seen);
            for t in &list {
                freeze(t, &mut seen);
            }
            tables.push(list);
        }
        let baseline = lua.used_memory();
        Ok(Runtime {
            lua,
            tables,
            baseline,
            contexts: RefCell::new(HashMap::new()),
        })
    }

    /// Runs the wanted rules on one note. The second value is true when the
    /// state must be rebuilt.
    fn run_note(
        &self,
        set: &PluginSet,
        note: &LuaNote<'_>,
        wanted: &[(usize, &Options)],
    ) -> (RuleResults, bool) {
        let mut poisoned = false;
        // The note's tables are built under a memory limit too.
        let _ = self
            .lua
            .set_memory_limit(self.lua.used_memory() + 4 * set.limits.memory);
        let note_table = self.note_table(note);
        let _ = self.lua.set_memory_limit(0);
        let note_table = match note_table {
            Ok(t) => t,
            Err(e) => {
                let failure = LuaFailure::new(msg!("plugin-note-pass", error = e.to_string()));
                return (
                    wanted
                        .iter()
                        .map(|(i, _)| (*i, Err(failure.clone())))
                        .collect(),
                    true,
                );
            }
        };
        let mut out = Vec::with_capacity(wanted.len());
        // All rules together may return at most MAX_NOTE_FINDINGS for one
        // note: output cannot outgrow the memory budget through many rules.
        let mut total = 0usize;
        for (index, options) in wanted {
            let rule = &set.rules[*index];
            // Turned off after too many overruns: not run (one folder-level
            // NV002 says so).
            if set
                .overruns
                .get(*index)
                .is_some_and(|n| n.load(Ordering::Relaxed) >= MAX_OVERRUNS)
            {
                continue;
            }
            if total >= MAX_NOTE_FINDINGS {
                out.push((
                    *index,
                    Err(LuaFailure::new(msg!(
                        "plugin-not-run",
                        max = MAX_NOTE_FINDINGS,
                        code = rule.meta.code.as_ref()
                    ))),
                ));
                continue;
            }
            let result = self.run_rule(set, *index, rule, note, &note_table, options);
            if let Ok(hits) = &result {
                total += hits.len();
            }
            if let Err(f) = &result {
                poisoned |= f.budget;
                if f.budget
                    && let (Some(n), Some(seen)) =
                        (set.overruns.get(*index), set.overrun_notes.get(*index))
                    && seen
                        .lock()
                        .is_ok_and(|mut s| s.insert(note.path.to_string()))
                {
                    n.fetch_add(1, Ordering::Relaxed);
                }
            }
            out.push((*index, result));
        }
        // State that outgrows the budget (kept in upvalues, which cannot
        // be frozen) is dropped with the whole state.
        poisoned |= self.lua.used_memory() > self.baseline + 2 * set.limits.memory;
        (out, poisoned)
    }

    fn run_rule(
        &self,
        set: &PluginSet,
        rule_index: usize,
        rule: &LuaRule,
        note: &LuaNote<'_>,
        note_table: &Table,
        options: &Options,
    ) -> Result<Vec<LuaHit>, LuaFailure> {
        let shown = &set.files[rule.file].shown;
        let fail = |e: mlua::Error| {
            let mut text = e.to_string();
            if text.len() > MAX_MESSAGE {
                let mut end = MAX_MESSAGE;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                text.push('…');
            }
            let first = text.lines().next().unwrap_or(&text).trim().to_string();
            let first = first
                .strip_prefix("runtime error: ")
                .unwrap_or(&first)
                .to_string();
            // Out of budget: said in the run's words, not Lua's.
            let budget = if first.contains(TIME_BUDGET) {
                Some(msg!("plugin-time"))
            } else if first.contains("not enough memory") {
                Some(msg!("plugin-memory"))
            } else {
                None
            };
            let located = if first.contains(shown.as_str()) {
                first
            } else {
                format!("{shown}:{}: {first}", rule.line)
            };
            let error: crate::i18n::Arg = match &budget {
                Some(m) => {
                    // Keep where it stopped: `file:line:`.
                    let at = located
                        .find(": ")
                        .map_or(String::new(), |i| located[..i].to_string());
                    msg!("plugin-at", at = at, what = m.clone()).into()
                }
                None => located.into(),
            };
            LuaFailure {
                message: msg!(
                    "plugin-failed",
                    error = error,
                    code = rule.meta.code.as_ref()
                ),
                budget: budget.is_some(),
            }
        };
        let table = &self.tables[rule.file][rule.slot];
        let check: Function = table.raw_get("check").map_err(fail)?;
        let ctx = self.cached_ctx(rule_index, note, options).map_err(fail)?;
        // No budget, no run: a rule never runs without its memory limit.
        self.lua
            .set_memory_limit(self.lua.used_memory().max(self.baseline) + set.limits.memory)
            .map_err(fail)?;
        self.lua
            .set_app_data(Deadline(Some(Instant::now() + set.limits.time)));
        let returned = check.call::<Value>((note_table.clone(), ctx));
        self.lua.set_app_data(Deadline(None));
        let lifted = self.lua.set_memory_limit(0);
        if let Err(e) = lifted {
            return Err(fail(e));
        }
        let value = returned.map_err(fail)?;
        hits(value, note).map_err(|m| {
            LuaFailure::new(msg!(
                "plugin-failed",
                error = msg!("plugin-at", at = format!("{shown}:{}", rule.line), what = m),
                code = rule.meta.code.as_ref()
            ))
        })
    }

    /// The frozen `note` table.
    fn note_table(&self, note: &LuaNote<'_>) -> mlua::Result<Table> {
        let lua = &self.lua;
        let t = lua.create_table()?;
        t.raw_set("path", note.path)?;
        t.raw_set("client", note.client)?;
        t.raw_set("status", note.status)?;
        t.raw_set("meta", to_lua(lua, note.root)?)?;
        t.raw_set("body", note.body)?;
        let headings = lua.create_table()?;
        for (i, (level, text, line)) in headings_of(note.body, note.body_line)
            .into_iter()
            .enumerate()
        {
            let h = lua.create_table()?;
            h.raw_set("level", level)?;
            h.raw_set("text", text)?;
            h.raw_set("line", line)?;
            h.set_readonly(true);
            headings.raw_set(i + 1, h)?;
        }
        headings.set_readonly(true);
        t.raw_set("headings", headings)?;
        let root = note.root.clone();
        let client_line = note.client_pos.line;
        t.raw_set(
            "line",
            lua.create_function(move |_, key: String| {
                Ok(find_path(&root, &key)
                    .map(|p| p.line)
                    .or(Some(client_line).filter(|_| key.is_empty())))
            })?,
        )?;
        t.set_readonly(true);
        Ok(t)
    }

    /// The `ctx` of a rule, built once per state and run.
    fn cached_ctx(
        &self,
        rule_index: usize,
        note: &LuaNote<'_>,
        options: &Options,
    ) -> mlua::Result<Table> {
        if let Some((today, ruleset, practice, t)) = self.contexts.borrow().get(&rule_index)
            && *today == note.today
            && *ruleset == note.ruleset
            && practice == note.practice
        {
            return Ok(t.clone());
        }
        let t = self.ctx_table(note, options)?;
        self.contexts.borrow_mut().insert(
            rule_index,
            (note.today, note.ruleset, note.practice.clone(), t.clone()),
        );
        Ok(t)
    }

    /// The `ctx` table: today, options and helpers.
    fn ctx_table(&self, note: &LuaNote<'_>, options: &Options) -> mlua::Result<Table> {
        let lua = &self.lua;
        let ctx = lua.create_table()?;
        let today = note.today;
        ctx.raw_set("today", today.to_string())?;
        let opts = lua.create_table()?;
        for (name, value) in options.iter() {
            let v = match value {
                OptionValue::Int(i) => Value::Number(*i as f64),
                OptionValue::Float(x) => Value::Number(*x),
                OptionValue::Text(s) => Value::String(lua.create_string(s)?),
                OptionValue::List(items) => {
                    let l = lua.create_sequence_from(items.iter().map(String::as_str))?;
                    l.set_readonly(true);
                    Value::Table(l)
                }
            };
            opts.raw_set(name, v)?;
        }
        opts.set_readonly(true);
        ctx.raw_set("options", opts)?;
        ctx.raw_set(
            "days_between",
            lua.create_function(|_, (a, b): (String, String)| {
                let (Some(a), Some(b)) =
                    (dates::parse_moment(a.trim()), dates::parse_moment(b.trim()))
                else {
                    return Err(mlua::Error::runtime(
                        "days_between: expected two dates as YYYY-MM-DD",
                    ));
                };
                Ok(dates::days_between(a.date, b.date))
            })?,
        )?;
        ctx.raw_set(
            "parse_date",
            lua.create_function(|lua, s: Value| {
                let Some(m) = as_text(&s).and_then(|s| dates::parse_moment(s.trim())) else {
                    return Ok(Value::Nil);
                };
                let t = lua.create_table()?;
                t.raw_set("year", m.date.year())?;
                t.raw_set("month", m.date.month())?;
                t.raw_set("day", m.date.day())?;
                t.raw_set("date", m.date.to_string())?;
                if let Some(time) = m.time {
                    t.raw_set("hour", time.hour())?;
                    t.raw_set("minute", time.minute())?;
                    t.raw_set("time", format!("{:02}:{:02}", time.hour(), time.minute()))?;
                }
                t.raw_set("weekday", m.date.weekday().to_monday_one_offset())?;
                Ok(Value::Table(t))
            })?,
        )?;
        let practice = note.practice.clone();
        ctx.raw_set(
            "is_after_hours",
            lua.create_function(move |_, s: Value| {
                Ok(as_text(&s)
                    .and_then(|s| dates::parse_moment(s.trim()))
                    .is_some_and(|m| practice.is_after_hours(&m)))
            })?,
        )?;
        ctx.raw_set(
            "count_recent",
            // Lenient: whatever a hostile note holds where a list should be
            // counts as no entries.
            lua.create_function(move |_, (list, key, days): (Value, String, i64)| {
                let Value::Table(list) = list else {
                    return Ok(0);
                };
                let mut n = 0;
                for item in list.sequence_values::<Value>() {
                    let Value::Table(entry) = item? else { continue };
                    let v: Value = entry.raw_get(key.as_str())?;
                    if as_text(&v)
                        .and_then(|s| dates::parse_moment(s.trim()))
                        .is_some_and(|m| dates::in_last_days(m.date, today, days))
                    {
                        n += 1;
                    }
                }
                Ok(n)
            })?,
        )?;
        ctx.set_readonly(true);
        Ok(ctx)
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string_lossy()),
        _ => None,
    }
}

/// A plugin file returns one rule table or a list of them.
fn rule_tables(v: Value) -> Result<Vec<Table>, String> {
    let Value::Table(t) = v else {
        return Err("a plugin file must return a rule table or a list of rule tables".into());
    };
    let has = |k: &str| t.raw_get::<Value>(k).is_ok_and(|v| !v.is_nil());
    if has("check") || has("code") {
        return Ok(vec![t]);
    }
    let list: Vec<Table> = (1..=t.raw_len())
        .map(|i| t.raw_get::<Table>(i))
        .collect::<mlua::Result<_>>()
        .map_err(|_| {
            "a plugin file must return a rule table or a list of rule tables".to_string()
        })?;
    if list.is_empty() {
        return Err("the plugin file returned an empty list of rules".into());
    }
    Ok(list)
}

/// The front matter as frozen Lua tables. Null values and keys are absent
/// (nil); lists are sequences from 1; dates stay `YYYY-MM-DD` strings.
fn to_lua(lua: &Lua, node: &Node) -> mlua::Result<Value> {
    Ok(match &node.value {
        FmValue::Null => Value::Nil,
        FmValue::Bool(b) => Value::Boolean(*b),
        FmValue::Int(i) => Value::Number(*i as f64),
        FmValue::Float(x) => Value::Number(*x),
        FmValue::Str(s) => Value::String(lua.create_string(s)?),
        FmValue::Seq(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, to_lua(lua, item)?)?;
            }
            t.set_readonly(true);
            Value::Table(t)
        }
        FmValue::Map(entries) => {
            let t = lua.create_table_with_capacity(0, entries.len())?;
            for e in entries {
                t.raw_set(e.key.as_str(), to_lua(lua, &e.value)?)?;
            }
            t.set_readonly(true);
            Value::Table(t)
        }
    })
}

/// Where a key path (`client`, `rate.quoted`, `contacts[2].at`, indexes
/// from 0 as in NV001 messages) stands in the note.
pub fn find_path(root: &Node, path: &str) -> Option<Pos> {
    let mut node = root;
    let mut pos = None;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            let e = node.get(key)?;
            pos = Some(e.key_pos);
            node = &e.value;
        }
        for idx in indexes.split(']').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_start_matches('[').trim().parse().ok()?;
            let FmValue::Seq(items) = &node.value else {
                return None;
            };
            node = items.get(i)?;
            pos = Some(node.pos);
        }
    }
    pos
}

/// The markdown headings of the body: (level, text, note line).
fn headings_of(body: &str, body_line: u32) -> Vec<(u32, String, u32)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current: Option<(u32, String, usize)> = None;
    // Lines are counted as the parser moves on: linear, however many
    // headings a note has.
    let (mut counted_to, mut lines_before) = (0usize, 0u32);
    for (ev, range) in Parser::new(body).into_offset_iter() {
        if out.len() >= MAX_HEADINGS {
            break;
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level as u32, String::new(), range.start))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text, _)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, start)) = current.take() {
                    if start >= counted_to {
                        lines_before += body.as_bytes()[counted_to..start]
                            .iter()
                            .filter(|&&b| b == b'\n')
                            .count() as u32;
                        counted_to = start;
                    }
                    out.push((level, text, body_line + lines_before));
                }
            }
            _ => {}
        }
    }
    out
}

/// Turns what `check` returned into findings.
/// A message as kept: at most [`MAX_MESSAGE`] bytes, cut at a character.
fn capped(s: &mlua::LuaString) -> String {
    let bytes = s.as_bytes();
    if bytes.len() <= MAX_MESSAGE {
        return s.to_string_lossy();
    }
    let mut end = MAX_MESSAGE;
    while end > 0 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    format!("{}…", String::from_utf8_lossy(&bytes[..end]))
}

fn hits(v: Value, note: &LuaNote<'_>) -> Result<Vec<LuaHit>, Msg> {
    let one = |t: &Table| -> Result<LuaHit, Msg> {
        let message: String = match t.raw_get::<Value>("message") {
            Ok(Value::String(s)) => capped(&s),
            _ => return Err(msg!("plugin-finding-message")),
        };
        let field = match t.raw_get::<Value>("field") {
            Ok(Value::String(s)) if s.as_bytes().len() > MAX_FIELD => {
                return Err(msg!("plugin-field-long", max = MAX_FIELD));
            }
            Ok(Value::String(s)) => s.to_string_lossy(),
            Ok(Value::Nil) => String::new(),
            _ => return Err(msg!("plugin-field-type")),
        };
        let found = find_path(note.root, &field);
        Ok(LuaHit {
            message,
            // A key the note lacks: the finding stays (at the `client`
            // line), and the rule's author hears of it (NV002).
            missing_field: !field.is_empty() && found.is_none(),
            field,
            pos: found.unwrap_or(note.client_pos),
        })
    };
    match v {
        Value::Nil | Value::Boolean(false) => Ok(Vec::new()),
        Value::String(s) => Ok(vec![LuaHit {
            message: capped(&s),
            field: String::new(),
            pos: note.client_pos,
            missing_field: false,
        }]),
        Value::Table(t) => {
            if t.raw_get::<Value>("message")
                .map(|m| !m.is_nil())
                .unwrap_or(false)
            {
                return Ok(vec![one(&t)?]);
            }
            if t.raw_len() == 0 && t.pairs::<Value, Value>().next().is_some() {
                return Err(msg!("plugin-finding-message"));
            }
            let n = t.raw_len();
            if n > MAX_FINDINGS {
                return Err(msg!("plugin-too-many", count = n, max = MAX_FINDINGS));
            }
            let mut out = Vec::new();
            for i in 1..=n {
                match t
                    .raw_get::<Value>(i)
                    .map_err(|e| msg!("plugin-lua", error = e.to_string()))?
                {
                    Value::Table(f) => out.push(one(&f)?),
                    Value::String(s) => out.push(LuaHit {
                        message: capped(&s),
                        field: String::new(),
                        pos: note.client_pos,
                        missing_field: false,
                    }),
                    _ => return Err(msg!("plugin-finding-list")),
                }
            }
            Ok(out)
        }
        other => Err(msg!("plugin-return-type", kind = other.type_name())),
    }
}
