//! Renders the generated files with Tera. The built-in templates (English
//! and Turkish) are compiled into the binary; a file of the same name in the
//! config's `templates_dir` overrides one (`templates_dir/<lang>/NAME` first,
//! then `templates_dir/NAME`).
//!
//! Safety: every `{{ value }}` is escaped for markdown (so a client's name
//! cannot break a table or a link, or inject HTML); undefined variables are
//! errors; templates cannot read the environment or files (`get_env` is
//! replaced, and only the templates registered here can be included).

use crate::i18n::{Arg, Catalog, Msg};
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::Tera;

/// The generated files, by template name.
pub const TEMPLATES: [&str; 9] = [
    "summary.md",
    "index.md",
    "index-clients.md",
    "index-letters.md",
    "rejection.md",
    "feedback.md",
    "expectations.md",
    "annotation.md",
    "clients.base",
];

/// Built-in templates: (language, name, text). The summary, the dashboard
/// and the note's block are one template for every language (their words
/// are in the message catalogs); the letters are prose, one per language.
const BUILTIN: &[(&str, &str, &str)] = &[
    ("en", "macros.md", include_str!("../templates/en/macros.md")),
    (
        "en",
        "rejection.md",
        include_str!("../templates/en/rejection.md"),
    ),
    (
        "en",
        "feedback.md",
        include_str!("../templates/en/feedback.md"),
    ),
    (
        "en",
        "expectations.md",
        include_str!("../templates/en/expectations.md"),
    ),
    ("tr", "macros.md", include_str!("../templates/tr/macros.md")),
    (
        "tr",
        "rejection.md",
        include_str!("../templates/tr/rejection.md"),
    ),
    (
        "tr",
        "feedback.md",
        include_str!("../templates/tr/feedback.md"),
    ),
    (
        "tr",
        "expectations.md",
        include_str!("../templates/tr/expectations.md"),
    ),
    ("", "summary.md", include_str!("../templates/summary.md")),
    ("", "index.md", include_str!("../templates/index.md")),
    (
        "",
        "index-clients.md",
        include_str!("../templates/index-clients.md"),
    ),
    (
        "",
        "index-letters.md",
        include_str!("../templates/index-letters.md"),
    ),
    (
        "",
        "annotation.md",
        include_str!("../templates/annotation.md"),
    ),
    (
        "",
        "clients.base",
        include_str!("../templates/clients.base"),
    ),
];

/// A template that could not be loaded or rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template's file (a user override) or built-in name.
    pub template: String,
    /// 1-based line, when Tera says.
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.template, self.message),
            None => write!(f, "{}: {}", self.template, self.message),
        }
    }
}

impl std::error::Error for TemplateError {}

/// The loaded templates of one language.
pub struct Renderer {
    /// The templates compiled: at once when the user has templates of
    /// their own (a broken one is said before anything is written), else
    /// on the first rendering (a run that makes no file again compiles
    /// nothing: 5 ms of each re-run).
    tera: std::sync::OnceLock<Result<Tera, TemplateError>>,
    /// The templates' names and texts, until compiled.
    templates: Vec<(String, String)>,
    catalog: Arc<Catalog>,
    /// A hash of every template's text, so that outputs made with other
    /// templates are never taken as current.
    pub fingerprint: String,
    /// Where each template came from, for error messages.
    origins: Vec<(String, String)>,
}

impl Renderer {
    /// Loads the built-in templates of the catalog's language and the
    /// user's overrides from `templates_dir`; the templates' words come
    /// from `catalog` (`t(id=..)`, and the date, day and amount filters).
    pub fn new(
        catalog: &Arc<Catalog>,
        templates_dir: Option<&Path>,
    ) -> Result<Renderer, TemplateError> {
        let lang = catalog.lang().code();
        let mut sources: Vec<(String, String, String)> = Vec::new();
        let mut users = false;
        for (l, name, text) in BUILTIN {
            if !l.is_empty() && *l != lang {
                continue;
            }
            let (origin, text) = match templates_dir.and_then(|d| user_template(d, lang, name)) {
                Some((path, Ok(t))) => {
                    users = true;
                    (path.display().to_string(), t)
                }
                Some((path, Err(e))) => {
                    return Err(TemplateError {
                        template: path.display().to_string(),
                        line: None,
                        message: format!("cannot read: {e}"),
                    });
                }
                None if l.is_empty() => (format!("built-in {name}"), (*text).to_string()),
                None => (format!("built-in {lang}/{name}"), (*text).to_string()),
            };
            sources.push((name.to_string(), origin, text));
        }
        let origins: Vec<(String, String)> = sources
            .iter()
            .map(|(n, o, _)| (n.clone(), o.clone()))
            .collect();
        let all: String = sources
            .iter()
            .map(|(n, _, t)| format!("{n}\0{t}\0"))
            .collect();
        // Other words make other files: the language and the user's
        // catalog overrides count too.
        let fingerprint =
            crate::write::hash(format!("{all}\0{lang}\0{}", catalog.fingerprint).as_bytes());
        let renderer = Renderer {
            tera: std::sync::OnceLock::new(),
            templates: sources.into_iter().map(|(n, _, t)| (n, t)).collect(),
            catalog: catalog.clone(),
            fingerprint,
            origins,
        };
        if users {
            renderer.tera()?;
        }
        Ok(renderer)
    }

    /// The compiled templates (compiled now if they are not yet).
    fn tera(&self) -> Result<&Tera, TemplateError> {
        self.tera
            .get_or_init(|| compile(&self.catalog, &self.templates, &self.origins))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Compiles `templates` (named and placed as `origins` say), their words
/// from `catalog`.
fn compile(
    catalog: &Arc<Catalog>,
    templates: &[(String, String)],
    origins: &[(String, String)],
) -> Result<Tera, TemplateError> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".md"]);
    tera.set_escape_fn(escape_markdown);
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, tera::Value>| {
            Err(tera::Error::msg(
                "get_env is disabled: templates cannot read environment variables",
            ))
        },
    );
    tera.register_filter("cell", cell_filter);
    // A Mermaid label that client text cannot break: quoted, with the
    // characters Mermaid reads as syntax (quotes, brackets, `;`, `#`,
    // `%`, `:`, backticks, line breaks) replaced by spaces.
    tera.register_filter(
        "mermaid",
        // `bare=true`: unquoted, for a pie's title (Mermaid reads the
        // rest of that line as the title, quotes included).
        |v: &tera::Value, args: &std::collections::HashMap<String, tera::Value>| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            let clean: String = text
                .chars()
                .map(|c| {
                    if c.is_control()
                        || matches!(
                            c,
                            '"' | '\\'
                                | '`'
                                | ';'
                                | '#'
                                | '%'
                                | ':'
                                | '['
                                | ']'
                                | '{'
                                | '}'
                                | '('
                                | ')'
                                | '<'
                                | '>'
                                | '|'
                        )
                    {
                        ' '
                    } else {
                        c
                    }
                })
                .take(80)
                .collect();
            let bare = args.get("bare").and_then(|b| b.as_bool()).unwrap_or(false);
            Ok(tera::Value::String(if bare {
                clean.trim().to_string()
            } else {
                format!("\"{}\"", clean.trim())
            }))
        },
    );
    // A YAML value that client text cannot break: a JSON string is a
    // double-quoted YAML scalar (every quote, colon, newline escaped).
    tera.register_filter(
        "yaml",
        |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            // `<` and `>` as `\u` escapes too: the value reads the same,
            // and no viewer that shows front matter raw sees HTML.
            let safe = |json: String| json.replace('<', "\\u003c").replace('>', "\\u003e");
            Ok(tera::Value::String(match v {
                tera::Value::String(s) => safe(serde_json::to_string(s).unwrap_or_default()),
                tera::Value::Array(items) => safe(
                    serde_json::to_string(
                        &items
                            .iter()
                            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                            .collect::<Vec<_>>(),
                    )
                    .unwrap_or_default(),
                ),
                other => other.to_string(),
            }))
        },
    );
    // For your own words from the config (resources, referrals): escaped
    // like client text, but a URL stays a link the client can follow.
    tera.register_filter(
        "with_links",
        |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(match v.as_str() {
                Some(s) => tera::Value::String(escape_keeping_links(s)),
                None => v.clone(),
            })
        },
    );
    let words = catalog.clone();
    tera.register_filter(
        "long_date",
        move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(match v.as_str().and_then(crate::dates::parse_date) {
                Some(d) => tera::Value::String(words.date(d)),
                None => v.clone(),
            })
        },
    );
    let words = catalog.clone();
    tera.register_filter(
        "weekday",
        move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(match v.as_str() {
                Some(code) => tera::Value::String(words.weekday(code)),
                None => v.clone(),
            })
        },
    );
    let words = catalog.clone();
    tera.register_filter(
        "channel",
        move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(match v.as_str() {
                Some(s) => tera::Value::String(words.channel(s)),
                None => v.clone(),
            })
        },
    );
    let words = catalog.clone();
    tera.register_filter(
        "amount",
        move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(match v.as_f64() {
                Some(x) => tera::Value::String(words.amount(x)),
                None => v.clone(),
            })
        },
    );
    let words = catalog.clone();
    tera.register_function(
        "t",
        move |args: &std::collections::HashMap<String, tera::Value>| translate(&words, args),
    );
    // `range` as Tera has it, with a cap on its length: nested loops
    // cannot run for ever.
    tera.register_function("range", capped_range);
    // Where the dashboard's long lists go: they are rendered a few
    // hundred rows at a time and streamed in (src/publish/dashboard.rs).
    tera.register_function(
        "client_rows",
        |_: &std::collections::HashMap<String, tera::Value>| Ok(CLIENT_ROWS_MARK.into()),
    );
    tera.register_function(
        "waiting_letters",
        |_: &std::collections::HashMap<String, tera::Value>| Ok(WAITING_LETTERS_MARK.into()),
    );
    tera.add_raw_templates(templates.to_vec())
        .map_err(|e| describe(&e, origins))?;
    // A macro that calls itself, or a template that includes itself
    // (directly or through others), would overflow the stack and abort
    // the process: refused at load.
    check_recursion(&tera, origins)?;
    Ok(tera)
}

impl Renderer {
    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, TemplateError> {
        self.render_raw(name, context).map(|text| tidy(&text))
    }

    /// Renders template `name` with `context`, untidied: for text that is
    /// put together from several renderings and tidied as a whole
    /// ([`Tidy`]).
    pub fn render_raw(
        &self,
        name: &str,
        context: &impl Serialize,
    ) -> Result<String, TemplateError> {
        let ctx =
            tera::Context::from_serialize(context).map_err(|e| describe(&e, &self.origins))?;
        let origin = self
            .origins
            .iter()
            .find(|(n, _)| n == name)
            .map_or(name, |(_, o)| o.as_str());
        let tera = self.tera()?;
        let _guard = watchdog::Guard::start(origin);
        tera.render(name, &ctx)
            .map_err(|e| describe(&e, &self.origins))
    }
}

/// What `{{ client_rows() }}` leaves in `index.md`'s text, on a line of its
/// own, for the table rows (`index-clients.md`) to be streamed in.
pub const CLIENT_ROWS_MARK: &str = "\u{1}notes-vet:client-rows\u{1}";
/// The same for `{{ waiting_letters() }}` and `index-letters.md`.
pub const WAITING_LETTERS_MARK: &str = "\u{1}notes-vet:waiting-letters\u{1}";

/// The most items `range` gives in a template.
const RANGE_CAP: i64 = 10_000;

fn capped_range(
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let int = |name: &str, default: Option<i64>| -> tera::Result<i64> {
        match args.get(name) {
            Some(v) => v
                .as_i64()
                .ok_or_else(|| tera::Error::msg(format!("range: `{name}` must be a whole number"))),
            None => default.ok_or_else(|| tera::Error::msg("range: `end` is required")),
        }
    };
    let start = int("start", Some(0))?;
    let end = int("end", None)?;
    let step = int("step_by", Some(1))?;
    if step <= 0 {
        return Err(tera::Error::msg("range: `step_by` must be at least 1"));
    }
    let count = if end > start {
        (end - start + step - 1) / step
    } else {
        0
    };
    if count > RANGE_CAP {
        return Err(tera::Error::msg(format!(
            "range: {count} items asked for; templates may loop over at most {RANGE_CAP}"
        )));
    }
    Ok(tera::Value::Array(
        (0..count)
            .map(|i| tera::Value::from(start + i * step))
            .collect(),
    ))
}

/// Refuses templates that can recurse: a macro that calls itself, a
/// template that includes (or extends) itself, directly or through others.
/// Tera has no recursion limit: the stack would overflow and abort the
/// process. The templates are read as Tera parsed them (its syntax tree, in
/// its `Debug` form, which names every macro call and include), so no
/// spacing, comment or raw block can hide a call.
fn check_recursion(tera: &Tera, origins: &[(String, String)]) -> Result<(), TemplateError> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Every template name in an `Include(.., [..], ..)` node.
    let includes = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("Include(") {
            rest = &rest[i + 8..];
            let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
                break;
            };
            if open < close {
                out.extend(
                    rest[open + 1..close]
                        .split(", ")
                        .map(|s| s.trim_matches('"').to_string())
                        .filter(|s| !s.is_empty()),
                );
            }
        }
        out
    };
    for name in tera.get_template_names() {
        let Ok(t) = tera.get_template(name) else {
            continue;
        };
        let node = format!("tpl:{name}");
        let body = format!("{:?}", t.ast);
        let e = edges.entry(node.clone()).or_default();
        e.extend(macro_calls(&body).into_iter().map(|n| format!("macro:{n}")));
        e.extend(includes(&body).into_iter().map(|i| format!("tpl:{i}")));
        if let Some(parent) = &t.parent {
            e.insert(format!("tpl:{parent}"));
        }
        for (m, def) in &t.macros {
            let body = format!("{:?}", def.body);
            let e = edges.entry(format!("macro:{m}")).or_default();
            e.extend(macro_calls(&body).into_iter().map(|n| format!("macro:{n}")));
            e.extend(includes(&body).into_iter().map(|i| format!("tpl:{i}")));
        }
    }
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            return Some(path[i..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    let nodes: Vec<String> = edges.keys().cloned().collect();
    for node in nodes {
        if let Some(cycle) = visit(&node, &edges, &mut Vec::new(), &mut done) {
            let shown: Vec<String> = cycle
                .iter()
                .map(|n| n.replacen("tpl:", "", 1).replacen("macro:", "macro ", 1))
                .collect();
            let template = cycle
                .iter()
                .find_map(|n| n.strip_prefix("tpl:"))
                .and_then(|t| origins.iter().find(|(n, _)| n == t))
                .map(|(_, o)| o.clone())
                .unwrap_or_else(|| "template".into());
            return Err(TemplateError {
                template,
                line: None,
                message: format!(
                    "{} calls or includes itself ({} -> {}); recursion is not allowed in templates",
                    shown[0],
                    shown.join(" -> "),
                    shown[0]
                ),
            });
        }
    }
    Ok(())
}

/// The names of the macros called in a `Debug` rendering of Tera's tree.
fn macro_calls(debug: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = debug;
    while let Some(i) = rest.find("MacroCall { namespace: \"") {
        rest = &rest[i + 25..];
        if let Some(n) = rest.find(", name: \"") {
            let after = &rest[n + 9..];
            if let Some(end) = after.find('"') {
                out.push(after[..end].to_string());
            }
        }
    }
    out
}

/// A time limit on rendering. Tera cannot be interrupted, so a template
/// that still runs after [`watchdog::LIMIT`] ends the process with a clear
/// error (exit code 2) rather than hanging it: a watchdog thread looks at
/// the renders under way.
mod watchdog {
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Mutex, Once};
    use std::time::{Duration, Instant};

    pub const LIMIT: Duration = Duration::from_secs(10);
    /// The process size at which a render under way is stopped.
    pub const MEMORY: u64 = 1 << 30;

    /// The resident size of this process (Linux), if it can be read.
    fn resident_bytes() -> Option<u64> {
        let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
        Some(pages * 4096)
    }
    static RUNNING: Mutex<Option<HashMap<u64, (Instant, String)>>> = Mutex::new(None);
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: Once = Once::new();

    pub struct Guard(u64);

    impl Guard {
        pub fn start(origin: &str) -> Guard {
            START.call_once(|| {
                let _ = std::thread::Builder::new()
                    .name("notes-vet template watchdog".into())
                    .spawn(watch);
            });
            let id = NEXT.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut r) = RUNNING.lock() {
                r.get_or_insert_with(HashMap::new)
                    .insert(id, (Instant::now(), origin.to_string()));
            }
            Guard(id)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if let Ok(mut r) = RUNNING.lock()
                && let Some(map) = r.as_mut()
            {
                map.remove(&self.0);
            }
        }
    }

    fn watch() {
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let late = RUNNING.lock().ok().and_then(|r| {
                r.as_ref()?
                    .values()
                    .find(|(t, _)| t.elapsed() > LIMIT)
                    .map(|(_, o)| o.clone())
            });
            if let Some(origin) = late {
                eprintln!(
                    "error: template {}: still rendering after {} s (a loop that does not end?); stopping",
                    crate::report::visible(&origin),
                    LIMIT.as_secs()
                );
                std::process::exit(2);
            }
            // Tera cannot bound what it builds either: a render under way
            // while the process outgrows MEMORY ends the run the same way.
            let rendering = RUNNING
                .lock()
                .ok()
                .and_then(|r| r.as_ref()?.values().next().map(|(_, o)| o.clone()));
            if let Some(origin) = rendering
                && resident_bytes().is_some_and(|b| b > MEMORY)
            {
                eprintln!(
                    "error: template {}: rendering took more than {} MiB of memory; stopping",
                    crate::report::visible(&origin),
                    MEMORY >> 20
                );
                std::process::exit(2);
            }
        }
    }
}

/// Collapses runs of blank lines that template tags leave behind, trims
/// trailing blanks on each line, and ends the file with one newline.
fn tidy(text: &str) -> String {
    let mut tidy = Tidy::new(Vec::with_capacity(text.len()));
    // Writing to memory cannot fail.
    let _ = tidy.feed(text);
    let out = tidy.finish().unwrap_or_default();
    String::from_utf8(out).unwrap_or_default()
}

/// Tidies rendered text as it streams past: trailing blanks go, runs of
/// blank lines become one, and the text starts and ends without blank
/// lines (a whitespace-only line still counts as a blank one). Text may
/// arrive in any pieces.
pub struct Tidy<W: std::io::Write> {
    out: W,
    /// Blank lines just written.
    blank_run: usize,
    /// Empty lines held back: written only if more text follows.
    held: usize,
    /// A line that is not empty has come.
    started: bool,
    /// The unfinished last line.
    partial: String,
}

impl<W: std::io::Write> Tidy<W> {
    pub fn new(out: W) -> Self {
        Tidy {
            out,
            blank_run: 0,
            held: 0,
            started: false,
            partial: String::new(),
        }
    }

    pub fn feed(&mut self, text: &str) -> std::io::Result<()> {
        let mut rest = text;
        while let Some(i) = rest.find('\n') {
            if self.partial.is_empty() {
                self.line(&rest[..i])?;
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.push_str(&rest[..i]);
                self.line(&line)?;
            }
            rest = &rest[i + 1..];
        }
        self.partial.push_str(rest);
        Ok(())
    }

    fn line(&mut self, raw: &str) -> std::io::Result<()> {
        if raw.is_empty() {
            if self.started {
                self.held += 1;
            }
            return Ok(());
        }
        self.started = true;
        for _ in 0..std::mem::take(&mut self.held) {
            self.emit("")?;
        }
        self.emit(raw.trim_end())
    }

    fn emit(&mut self, line: &str) -> std::io::Result<()> {
        if line.is_empty() {
            self.blank_run += 1;
            if self.blank_run > 1 {
                return Ok(());
            }
        } else {
            self.blank_run = 0;
        }
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// Ends the text; returns where it went.
    pub fn finish(mut self) -> std::io::Result<W> {
        let last = std::mem::take(&mut self.partial);
        self.line(&last)?;
        if !self.started {
            // Nothing but line ends: one empty line.
            self.emit("")?;
        }
        Ok(self.out)
    }
}

fn user_template(dir: &Path, lang: &str, name: &str) -> Option<(PathBuf, std::io::Result<String>)> {
    [dir.join(lang).join(name), dir.join(name)]
        .into_iter()
        .find(|p| p.exists() || p.is_symlink())
        .map(|p| {
            // Only a regular file inside the templates folder, of sane size:
            // never a link to /etc/passwd or /proc/self/environ.
            let text = crate::fsx::read_inside(dir, &p, crate::fsx::SOURCE_CAP)
                .and_then(|b| String::from_utf8(b).map_err(std::io::Error::other));
            (p, text)
        })
}

/// Turns a Tera error chain into one message naming the template's file and
/// line, with every cause.
fn describe(e: &tera::Error, origins: &[(String, String)]) -> TemplateError {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let text = parts.join(": ");
    // Tera names templates in quotes: 'summary.md'.
    let template = origins
        .iter()
        .find(|(name, _)| text.contains(&format!("'{name}'")))
        .map(|(_, origin)| origin.clone())
        .unwrap_or_else(|| "template".to_string());
    // Parse errors carry " --> LINE:COL".
    let line = text
        .split("--> ")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|l| l.trim().parse().ok());
    let message = parts
        .iter()
        .map(|p| {
            p.lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(": ");
    TemplateError {
        template,
        line,
        message,
    }
}

/// Escapes text for markdown: it stays one line, cannot open a table cell,
/// link, code span or emphasis, and cannot inject HTML (`<` and `>` become
/// entities; a lone `&` is left alone, so letters read naturally).
pub fn escape_markdown(s: &str) -> String {
    // One pass, no allocation per word: this runs for every value of every
    // row of a dashboard of thousands of clients.
    let mut out = String::with_capacity(s.len() + 8);
    let mut at_word_start = true;
    let mut prev: Option<char> = None;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if at_word_start && !c.is_whitespace() {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            if is_bare_url(word) && !word.contains(['`', '|', '<', '>']) {
                out.push('`');
                out.push_str(word);
                out.push('`');
                rest = &rest[end..];
                prev = word.chars().last();
                at_word_start = false;
                continue;
            }
        }
        let next = rest[c.len_utf8()..].chars().next();
        match c {
            '\r' => {}
            '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // `%%` and `==` only mean something doubled; a lone one stays.
            '%' | '=' if prev == Some(c) || next == Some(c) => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
        at_word_start = c.is_whitespace();
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// True for what Obsidian and GitHub turn into a link by themselves.
fn is_bare_url(token: &str) -> bool {
    const SCHEMES: [&str; 7] = [
        "http://",
        "https://",
        "ftp://",
        "www.",
        "mailto:",
        "obsidian://",
        "file://",
    ];
    SCHEMES.iter().any(|p| {
        token
            .get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })
}

/// [`escape_markdown`], except that URLs stay as they are (links).
pub fn escape_keeping_links(s: &str) -> String {
    s.split(' ')
        .map(|word| {
            if is_bare_url(word) && !word.contains(['`', '|', '<', '>', '\n', '\r']) {
                word.to_string()
            } else {
                escape_markdown(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `{{ x | cell }}`: an empty table cell shows a dash.
/// A date written out as a person writes it: `5 December 2026`,
/// `5 Aralık 2026`.
/// `t(id="...", name=value, ...)`: message `id` of the catalog with its
/// arguments. The message is markdown written by us (or by the user's
/// override) and is returned as is; each argument is escaped like any
/// value from a note, except those whose name ends in `_md` (markup the
/// template built, such as a link; the message sees it without the
/// suffix). Use it as `{{ t(id="x") | safe }}`.
fn translate(
    catalog: &Catalog,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let id = args
        .get("id")
        .and_then(|v| v.as_str())
        .ok_or_else(|| tera::Error::msg("t: `id` (a message id) is required"))?;
    let mut names: Vec<&String> = args.keys().filter(|k| *k != "id").collect();
    names.sort();
    let mut msg = Msg {
        id: std::borrow::Cow::Owned(id.to_string()),
        args: Vec::new(),
    };
    for name in names {
        let value = &args[name];
        let arg = match value {
            tera::Value::Number(n) => Arg::Num(n.as_f64().unwrap_or(0.0)),
            tera::Value::String(s) if name.ends_with("_md") => Arg::Text(s.clone()),
            tera::Value::String(s) => Arg::Text(escape_markdown(s)),
            tera::Value::Bool(b) => Arg::Text(if *b { "yes" } else { "no" }.to_string()),
            tera::Value::Null => Arg::Text(String::new()),
            other => Arg::Text(escape_markdown(&other.to_string())),
        };
        let name = name.strip_suffix("_md").unwrap_or(name);
        msg.args
            .push((std::borrow::Cow::Owned(name.to_string()), arg));
    }
    catalog.try_msg(&msg).map(tera::Value::String).map_err(|_| {
        tera::Error::msg(format!(
            "t: message {id:?} cannot be put in words (no such message, or an argument it needs is missing)"
        ))
    })
}

fn cell_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    match value {
        tera::Value::Null => Ok(tera::Value::String("—".into())),
        tera::Value::String(s) if s.trim().is_empty() => Ok(tera::Value::String("—".into())),
        other => Ok(other.clone()),
    }
}

/// A relative link from a file in `from_dir` to `to`, both absolute, with
/// each segment percent-encoded so it works in Obsidian and any viewer.
pub fn relative_link(from_dir: &Path, to: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let to_c: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_c).take_while(|(a, b)| a == b).count();
    let mut segments: Vec<String> = vec!["..".to_string(); from.len() - common];
    segments.extend(
        to_c[common..]
            .iter()
            .map(|c| encode_segment(&c.as_os_str().to_string_lossy())),
    );
    segments.join("/")
}

/// The link to `rel` (a `/`-separated path) from the folder it is
/// relative to: [`relative_link`] for a path known to lie below, without
/// the path arithmetic (the dashboard makes three links per client).
pub fn link_below(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len() + 8);
    for (i, segment) in rel.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&encode_segment(segment));
    }
    out
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_neutralises_markdown_and_html() {
        assert_eq!(
            escape_markdown("A|B [x](y) <script>`z`\nnext"),
            "A\\|B \\[x\\](y) &lt;script&gt;\\`z\\` next"
        );
    }

    #[test]
    fn what_obsidian_reads_as_markup_is_escaped() {
        assert_eq!(
            escape_markdown("%%hide ==mark== $x$ 50% a=b"),
            "\\%\\%hide \\=\\=mark\\=\\= \\$x\\$ 50% a=b"
        );
        assert_eq!(
            escape_markdown("see https://evil.example/x and www.x.com now"),
            "see `https://evil.example/x` and `www.x.com` now"
        );
    }

    #[test]
    fn links_are_relative_and_encoded() {
        let l = relative_link(
            Path::new("/n/_vetted/summaries/clients"),
            Path::new("/n/clients/Acme Corp.md"),
        );
        assert_eq!(l, "../../../clients/Acme%20Corp.md");
        assert_eq!(
            relative_link(
                Path::new("/n/_vetted"),
                Path::new("/n/_vetted/summaries/a.md")
            ),
            "summaries/a.md"
        );
    }

    /// The reference: what tidying a whole text gave before it could be
    /// streamed.
    fn tidy_whole(text: &str) -> String {
        let mut out = String::new();
        let mut blank_run = 0;
        for line in text.trim_matches('\n').split('\n') {
            let line = line.trim_end();
            if line.is_empty() {
                blank_run += 1;
                if blank_run > 1 {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    proptest::proptest! {
        /// Tidying text as it streams past, cut anywhere, gives what
        /// tidying it whole gives.
        #[test]
        fn tidying_in_pieces_is_tidying_the_whole(
            text in "[a \\n\\t|]{0,60}",
            cuts in proptest::collection::vec(0usize..60, 0..6),
        ) {
            let mut stream = Tidy::new(Vec::new());
            let mut at = 0;
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|c| *c <= text.len()).collect();
            cuts.sort();
            for c in cuts.into_iter().chain([text.len()]) {
                stream.feed(&text[at..c]).unwrap();
                at = c;
            }
            let streamed = String::from_utf8(stream.finish().unwrap()).unwrap();
            proptest::prop_assert_eq!(&streamed, &tidy_whole(&text));
            proptest::prop_assert_eq!(tidy(&text), tidy_whole(&text));
        }
    }
}
