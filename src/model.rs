//! The client record: the known front matter keys of the README's "Notes", read
//! leniently from the [`Node`] tree. A key with the wrong shape becomes a
//! [`FieldProblem`] (reported as NV001 with its key path and line) and the
//! rest of the note is still read.

use crate::dates::{self, Moment};
use crate::frontmatter::{Entry, Node, Pos, Value};
use crate::i18n::Msg;
use crate::msg;
use jiff::civil::Date;

/// A value and the position of the key or list entry it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

/// A known key whose value does not have the shape the note format expects.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    /// Key path such as `contacts[2].at`.
    pub field: String,
    pub pos: Pos,
    /// What the note format expects there: a message id (`expect-date`).
    pub expected: &'static str,
    /// What was found, e.g. `the string "soon"`, or `nothing` for a missing key.
    pub found: Msg,
}

impl FieldProblem {
    pub fn message(&self) -> Msg {
        msg!(
            "nv001-invalid",
            field = &self.field,
            expected = Msg::new(self.expected),
            found = self.found.clone()
        )
    }
}

/// True when the front matter's `client` is a link to the client's note
/// rather than a name: a wikilink (`"[[Acme Corp]]"`, `"[[acme|Acme]]"`),
/// a markdown link (`"[Acme](acme.md)"`), YAML's reading of an unquoted
/// `[[Acme Corp]]` (a list in a list), or a list of such links. Such a note
/// is about a client (a meeting, a project), not the client's own note.
pub fn client_is_link(root: &Node) -> bool {
    fn is_link(v: &Value) -> bool {
        match v {
            Value::Str(s) => {
                let s = s.trim();
                (s.starts_with("[[") && s.ends_with("]]") && s.len() > 4)
                    || (s.starts_with('[')
                        && s.ends_with(')')
                        && s.contains("](")
                        && !s.starts_with("[["))
            }
            // `client: [[Acme Corp]]` unquoted: a list holding a list.
            Value::Seq(items) => {
                !items.is_empty()
                    && items.iter().all(|i| match &i.value {
                        Value::Seq(inner) => {
                            inner.len() == 1 && matches!(inner[0].value, Value::Str(_))
                        }
                        other => is_link(other),
                    })
            }
            _ => false,
        }
    }
    let Value::Map(entries) = &root.value else {
        return false;
    };
    entries
        .iter()
        .find(|e| e.key == "client")
        .is_some_and(|e| is_link(&e.value.value))
}

/// The name of a client whose `client` key holds no usable name; the
/// engine shows it in the run's language (`client-unnamed`).
pub const UNNAMED: &str = "(unnamed client)";

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Reads the keyword, ignoring case and surrounding blanks.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                $(if s.eq_ignore_ascii_case($text) { return Some($name::$variant); })+
                None
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// Where the relationship stands.
    Status { Prospect = "prospect", Active = "active", Paused = "paused", Ended = "ended", Lost = "lost" }
);
keyword_enum!(
    /// How a contact felt.
    Tone { Friendly = "friendly", Neutral = "neutral", Rude = "rude", Aggressive = "aggressive" }
);
keyword_enum!(
    /// Why a client left.
    LostReason {
        Budget = "budget",
        NeedsChanged = "needs-changed",
        ProductReturned = "product-returned",
        Dissatisfied = "dissatisfied",
        Unknown = "unknown",
        // Any other words: grouped as "other" on the dashboard (README, "Notes").
        Other = "other",
    }
);

/// Help already given to this client.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PriorHelp {
    pub date: Option<Date>,
    pub topic: Option<String>,
    pub pos: Pos,
}

/// Your price and what the client asked to pay.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    pub quoted: Option<f64>,
    pub requested: Option<f64>,
    pub currency: Option<String>,
    pub pos: Pos,
    /// Where `requested` stands (the `rate` key when it is absent).
    pub requested_pos: Pos,
}

/// The client's deadline and your honest estimate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Deadline {
    pub requested: Option<Date>,
    pub estimate_days: Option<i64>,
    pub pos: Pos,
    /// Where `requested` stands (the `deadline` key when it is absent).
    pub requested_pos: Pos,
}

/// One entry of the contact log.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub at: Option<Moment>,
    /// The `at` value as written, for the evidence log.
    pub at_text: String,
    pub channel: Option<String>,
    pub tone: Option<Tone>,
    pub note: Option<String>,
    pub pos: Pos,
}

/// Whether an invoice was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Payment {
    Unpaid,
    PaidOn(Date),
    /// `paid: true`: not the note format (a date is expected) but clearly paid.
    PaidUndated,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Invoice {
    pub id: Option<String>,
    pub amount: Option<f64>,
    pub issued: Option<Date>,
    pub due: Option<Date>,
    pub paid: Payment,
    pub pos: Pos,
}

/// Work beyond the agreed scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExtraWork {
    pub date: Option<Date>,
    pub hours: Option<f64>,
    /// `None` when the entry does not say; such hours count as unpaid.
    pub paid: Option<bool>,
    pub note: Option<String>,
    pub pos: Pos,
}

/// An ethics, personal-space or rights violation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    pub date: Option<Date>,
    pub what: Option<String>,
    pub pos: Pos,
}

/// Something you still owe the client.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Obligation {
    pub what: String,
    pub due: Option<Date>,
    pub done: bool,
    pub pos: Pos,
}

/// How the client was lost.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Lost {
    pub date: Option<Date>,
    pub reason: Option<LostReason>,
    /// `None`: missing or `false`.
    pub feedback_requested: Option<Date>,
    pub pos: Pos,
    pub reason_pos: Option<Pos>,
    pub feedback_pos: Option<Pos>,
}

/// One `vet_ignore` entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ignore {
    pub code: String,
    pub reason: Option<String>,
    pub pos: Pos,
}

/// A client note's known keys. `pos` fields point at the key in the note.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Client {
    pub name: String,
    pub name_pos: Pos,
    pub status: Option<Spanned<Status>>,
    pub since: Option<Spanned<Date>>,
    pub topic: Option<Spanned<String>>,
    pub applicant: Option<Spanned<String>>,
    pub referred_by: Option<Spanned<String>>,
    pub prior_help: Vec<PriorHelp>,
    pub guarantee_requested: Option<Spanned<bool>>,
    pub requests: Vec<Spanned<String>>,
    pub rate: Option<Rate>,
    pub discount_requests: Option<Spanned<i64>>,
    pub free_trial_requested: Option<Spanned<bool>>,
    pub barter_offered: Option<Spanned<bool>>,
    pub deadline: Option<Deadline>,
    pub expectations_set: Option<Spanned<Date>>,
    /// When the rejection letter was sent.
    pub rejection_sent: Option<Spanned<Date>>,
    /// The person letters are addressed to (default: `client`).
    pub contact: Option<Spanned<String>>,
    pub hardship: Option<Spanned<String>>,
    pub contacts: Vec<Contact>,
    pub invoices: Vec<Invoice>,
    pub extra_work: Vec<ExtraWork>,
    pub incidents: Vec<Incident>,
    pub obligations: Vec<Obligation>,
    pub lost: Option<Lost>,
    pub vet_ignore: Vec<Ignore>,
    /// Known keys with the wrong shape (NV001). Read only by the rules: a
    /// record from the results cache ([`crate::cache`]) comes without it.
    #[serde(skip)]
    pub problems: Vec<FieldProblem>,
    /// Unknown keys that look like a known one misspelled (NV003); as
    /// `problems`, not kept in the results cache.
    #[serde(skip)]
    pub typos: Vec<Typo>,
    /// Where each top-level key stands, for findings about a whole key; as
    /// `problems`, not kept in the results cache.
    #[serde(skip)]
    pub keys: Vec<(String, Pos)>,
}

/// What the bookkeeping of a note's generated files needs of its client
/// record: which letters are due or were sent, and its dashboard row.
/// The results cache keeps it beside the whole record, which is decoded
/// only when the note's files are made again.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    pub status: Status,
    pub since: Option<Date>,
    pub rejection_sent: Option<Date>,
    pub feedback_requested: Option<Date>,
    pub expectations_set: Option<Date>,
    /// Why a lost client left, when the note says.
    pub lost_reason: Option<LostReason>,
}

impl Client {
    /// Its [`Facts`].
    pub fn facts(&self) -> Facts {
        Facts {
            status: self.status(),
            since: self.since.as_ref().map(|s| s.value),
            rejection_sent: self.rejection_sent.as_ref().map(|s| s.value),
            feedback_requested: self.lost.as_ref().and_then(|l| l.feedback_requested),
            expectations_set: self.expectations_set.as_ref().map(|s| s.value),
            lost_reason: self.lost.as_ref().and_then(|l| l.reason),
        }
    }

    /// The status, `active` when the note does not say.
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Active, |s| s.value)
    }

    /// Where a top-level key stands; the `client` key when it is absent.
    pub fn key_pos(&self, key: &str) -> Pos {
        self.keys
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.name_pos, |(_, p)| *p)
    }

    /// Reads a client record from a front matter root. `None` when the front
    /// matter has no `client` key (the note is not a client note).
    pub fn from_front_matter(root: &Node) -> Option<Client> {
        let Value::Map(entries) = &root.value else {
            return None;
        };
        let client_entry = entries.iter().find(|e| e.key == "client")?;
        let mut r = Reader::default();
        let mut c = Client {
            name_pos: client_entry.key_pos,
            keys: entries.iter().map(|e| (e.key.clone(), e.key_pos)).collect(),
            ..Client::default()
        };
        c.name = match &client_entry.value.value {
            Value::Str(s) if !s.trim().is_empty() => s.trim().to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => x.to_string(),
            other => {
                r.bad(
                    Path::Key("client"),
                    client_entry.key_pos,
                    "expect-client",
                    other,
                );
                UNNAMED.to_string()
            }
        };
        for e in entries {
            r.read_key(&mut c, e);
        }
        c.problems = r.problems;
        c.typos = typos(entries);
        Some(c)
    }
}

/// An unknown key that looks like a known one: another case, `-` for `_`,
/// or a letter or two off (`gaurantee_requested`, `rate.quoteddd`).
#[derive(Debug, Clone, PartialEq)]
pub struct Typo {
    /// The key path as written (`rate.quoteddd`, `contacts[2].tonne`).
    pub field: String,
    pub pos: Pos,
    /// The known key path meant (`rate.quoted`).
    pub known: String,
}

/// The known keys of the note format, and of its mappings.
pub const TOP_KEYS: &[&str] = &[
    "client",
    "contact",
    "status",
    "since",
    "topic",
    "applicant",
    "referred_by",
    "prior_help",
    "guarantee_requested",
    "requests",
    "rate",
    "discount_requests",
    "free_trial_requested",
    "barter_offered",
    "deadline",
    "expectations_set",
    "rejection_sent",
    "hardship",
    "contacts",
    "invoices",
    "extra_work",
    "incidents",
    "obligations",
    "lost",
    "vet_ignore",
];

/// The keys of a known mapping key (`rate`), or of the entries of a known
/// list key (`contacts`).
fn sub_keys(key: &str) -> &'static [&'static str] {
    match key {
        "rate" => &["quoted", "requested", "currency"],
        "deadline" => &["requested", "estimate_days"],
        "lost" => &["date", "reason", "feedback_requested"],
        "prior_help" => &["date", "topic"],
        "contacts" => &["at", "channel", "tone", "note"],
        "invoices" => &["id", "amount", "issued", "due", "paid"],
        "extra_work" => &["date", "hours", "paid", "note"],
        "incidents" => &["date", "what"],
        "obligations" => &["what", "due", "done"],
        "vet_ignore" => &["code", "reason"],
        _ => &[],
    }
}

/// The known key an unknown `key` most likely means, if any: the same
/// but for case and `-`/`_`/space, or (for keys of five letters or more)
/// a letter or two off. Unknown keys that resemble nothing are the user's
/// own and stay silent.
fn meant(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let norm: String = key
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    if let Some(k) = known.iter().find(|k| **k == norm) {
        return Some(k);
    }
    let len = norm.chars().count();
    let allowed = match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    };
    known
        .iter()
        // Lengths further apart than `allowed` are further apart in edits
        // too: most unknown keys are measured against no known one.
        .filter(|k| k.len().abs_diff(len) <= allowed)
        .map(|k| (crate::rules::edit_distance(&norm, k), *k))
        .filter(|(d, _)| *d > 0 && *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The unknown keys of a front matter that look like known ones.
fn typos(entries: &[Entry]) -> Vec<Typo> {
    // `prefix` is made only for a typo: nearly every key is known, and
    // most notes list maps (`contacts[3]`).
    fn check_map(
        prefix: &dyn Fn() -> String,
        entries: &[Entry],
        known: &[&'static str],
        out: &mut Vec<Typo>,
    ) {
        for e in entries {
            if known.contains(&e.key.as_str()) {
                continue;
            }
            if let Some(k) = meant(&e.key, known) {
                let prefix = prefix();
                let path = |key: &str| {
                    if prefix.is_empty() {
                        key.to_string()
                    } else {
                        format!("{prefix}.{key}")
                    }
                };
                out.push(Typo {
                    field: path(&e.key),
                    pos: e.key_pos,
                    known: path(k),
                });
            }
        }
    }
    let mut out = Vec::new();
    check_map(&String::new, entries, TOP_KEYS, &mut out);
    for e in entries {
        let known = sub_keys(&e.key);
        if known.is_empty() {
            continue;
        }
        match &e.value.value {
            Value::Map(inner) => check_map(&|| e.key.clone(), inner, known, &mut out),
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Map(inner) = &item.value {
                        check_map(&|| format!("{}[{i}]", e.key), inner, known, &mut out);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A key path, formatted only when a problem is reported (vetting stays
/// allocation-free for well-formed notes).
#[derive(Clone, Copy)]
enum Path<'a> {
    Key(&'a str),
    Sub(&'a str, &'a str),
    Item(&'a str, usize),
    ItemKey(&'a str, usize, &'a str),
}

impl<'a> Path<'a> {
    /// `items[i].key` from `items[i]`.
    fn sub(self, key: &'a str) -> Path<'a> {
        match self {
            Path::Item(k, i) => Path::ItemKey(k, i, key),
            Path::Key(k) => Path::Sub(k, key),
            other => other,
        }
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Key(k) => f.write_str(k),
            Path::Sub(k, sub) => write!(f, "{k}.{sub}"),
            Path::Item(k, i) => write!(f, "{k}[{i}]"),
            Path::ItemKey(k, i, sub) => write!(f, "{k}[{i}].{sub}"),
        }
    }
}

/// Reads values and collects the problems met on the way.
#[derive(Default)]
struct Reader {
    problems: Vec<FieldProblem>,
}

// What a key should hold: message ids of the catalogs.
const DATE: &str = "expect-date";
const MOMENT: &str = "expect-moment";
const TEXT: &str = "expect-text";
const BOOL: &str = "expect-bool";
const NUMBER: &str = "expect-number";
const COUNT: &str = "expect-count";
const LIST: &str = "expect-list";

impl Reader {
    fn bad(&mut self, field: Path<'_>, pos: Pos, expected: &'static str, found: &Value) {
        self.problems.push(FieldProblem {
            field: field.to_string(),
            pos,
            expected,
            found: found.shape(),
        });
    }

    fn missing(&mut self, field: Path<'_>, pos: Pos, expected: &'static str) {
        self.problems.push(FieldProblem {
            field: field.to_string(),
            pos,
            expected,
            found: msg!("found-missing"),
        });
    }

    /// A string; `None` for null. Numbers are accepted as their text when
    /// `numbers_ok` (ids, free-text notes).
    fn text(&mut self, field: Path<'_>, node: &Node, pos: Pos, numbers_ok: bool) -> Option<String> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) if numbers_ok => Some(i.to_string()),
            Value::Float(x) if numbers_ok => Some(x.to_string()),
            other => {
                self.bad(field, pos, TEXT, other);
                None
            }
        }
    }

    fn date(&mut self, field: Path<'_>, node: &Node, pos: Pos) -> Option<Date> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) => {
                let d = dates::parse_date(s.trim());
                if d.is_none() {
                    self.bad(field, pos, DATE, &node.value);
                }
                d
            }
            other => {
                self.bad(field, pos, DATE, other);
                None
            }
        }
    }

    fn boolean(&mut self, field: Path<'_>, node: &Node, pos: Pos) -> Option<bool> {
        match &node.value {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            other => {
                self.bad(field, pos, BOOL, other);
                None
            }
        }
    }

    fn number(&mut self, field: Path<'_>, node: &Node, pos: Pos) -> Option<f64> {
        match &node.value {
            Value::Null => None,
            Value::Int(i) => Some(*i as f64),
            Value::Float(x) if x.is_finite() => Some(*x),
            other => {
                self.bad(field, pos, NUMBER, other);
                None
            }
        }
    }

    fn count(&mut self, field: Path<'_>, node: &Node, pos: Pos) -> Option<i64> {
        match &node.value {
            Value::Null => None,
            Value::Int(i) if *i >= 0 => Some(*i),
            other => {
                self.bad(field, pos, COUNT, other);
                None
            }
        }
    }

    /// The items of a list; null is an empty list.
    fn list<'n>(&mut self, field: Path<'_>, node: &'n Node, pos: Pos) -> &'n [Node] {
        match &node.value {
            Value::Null => &[],
            Value::Seq(items) => items,
            other => {
                self.bad(field, pos, LIST, other);
                &[]
            }
        }
    }

    /// The entries of a mapping; `None` for null or a wrong shape.
    fn map<'n>(
        &mut self,
        field: Path<'_>,
        node: &'n Node,
        pos: Pos,
        expected: &'static str,
    ) -> Option<&'n [Entry]> {
        match &node.value {
            Value::Null => None,
            Value::Map(entries) => Some(entries),
            other => {
                self.bad(field, pos, expected, other);
                None
            }
        }
    }

    /// Reads a list of mappings (`contacts`, `invoices`, ...): each entry
    /// that is a mapping is read by `item` (given its key path, its
    /// entries and its position); any other entry is a problem, named with
    /// what an entry should be (`expected`, a message id).
    fn list_of<T>(
        &mut self,
        key: &'static str,
        node: &Node,
        pos: Pos,
        expected: &'static str,
        mut item: impl FnMut(&mut Self, Path<'static>, &[Entry], Pos) -> T,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for (i, entry) in self.list(Path::Key(key), node, pos).iter().enumerate() {
            let base = Path::Item(key, i);
            if let Some(m) = self.map(base, entry, entry.pos, expected) {
                out.push(item(self, base, m, entry.pos));
            }
        }
        out
    }

    fn read_key(&mut self, c: &mut Client, e: &Entry) {
        let (k, v, pos) = (e.key.as_str(), &e.value, e.key_pos);
        match k {
            "status" => match &v.value {
                Value::Null => {}
                Value::Str(s) => match Status::parse(s) {
                    Some(st) => c.status = Some(Spanned { value: st, pos }),
                    None => self.bad(Path::Key(k), pos, "expect-status", &v.value),
                },
                other => self.bad(Path::Key(k), pos, "expect-status", other),
            },
            "since" => {
                c.since = self
                    .date(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "expectations_set" => {
                c.expectations_set = self
                    .date(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "rejection_sent" => {
                c.rejection_sent = self
                    .date(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "contact" => {
                c.contact = self
                    .text(Path::Key(k), v, pos, false)
                    .map(|value| Spanned { value, pos })
            }
            "topic" => {
                c.topic = self
                    .text(Path::Key(k), v, pos, false)
                    .map(|value| Spanned { value, pos })
            }
            "applicant" => {
                c.applicant = self
                    .text(Path::Key(k), v, pos, false)
                    .map(|value| Spanned { value, pos })
            }
            "referred_by" => {
                c.referred_by = self
                    .text(Path::Key(k), v, pos, false)
                    .map(|value| Spanned { value, pos })
            }
            "hardship" => {
                c.hardship = self
                    .text(Path::Key(k), v, pos, false)
                    .map(|value| Spanned { value, pos })
            }
            "guarantee_requested" => {
                c.guarantee_requested = self
                    .boolean(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "free_trial_requested" => {
                c.free_trial_requested = self
                    .boolean(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "barter_offered" => {
                c.barter_offered = self
                    .boolean(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "discount_requests" => {
                c.discount_requests = self
                    .count(Path::Key(k), v, pos)
                    .map(|value| Spanned { value, pos })
            }
            "requests" => {
                for (i, item) in self.list(Path::Key(k), v, pos).iter().enumerate() {
                    if let Some(s) = self.text(Path::Item("requests", i), item, item.pos, true) {
                        c.requests.push(Spanned {
                            value: s,
                            pos: item.pos,
                        });
                    }
                }
            }
            "rate" => {
                let expected = "expect-rate";
                if let Some(m) = self.map(Path::Key(k), v, pos, expected) {
                    let mut rate = Rate {
                        quoted: None,
                        requested: None,
                        currency: None,
                        pos,
                        requested_pos: pos,
                    };
                    for f in m {
                        let path = Path::Sub("rate", &f.key);
                        match f.key.as_str() {
                            "quoted" => rate.quoted = self.number(path, &f.value, f.key_pos),
                            "requested" => {
                                rate.requested_pos = f.key_pos;
                                rate.requested = self.number(path, &f.value, f.key_pos);
                            }
                            "currency" => {
                                rate.currency = self.text(path, &f.value, f.key_pos, false)
                            }
                            _ => {}
                        }
                    }
                    c.rate = Some(rate);
                }
            }
            "deadline" => {
                let expected = "expect-deadline";
                if let Some(m) = self.map(Path::Key(k), v, pos, expected) {
                    let mut d = Deadline {
                        requested: None,
                        estimate_days: None,
                        pos,
                        requested_pos: pos,
                    };
                    for f in m {
                        let path = Path::Sub("deadline", &f.key);
                        match f.key.as_str() {
                            "requested" => {
                                d.requested_pos = f.key_pos;
                                d.requested = self.date(path, &f.value, f.key_pos);
                            }
                            "estimate_days" => {
                                d.estimate_days = self.count(path, &f.value, f.key_pos)
                            }
                            _ => {}
                        }
                    }
                    c.deadline = Some(d);
                }
            }
            "lost" => {
                let expected = "expect-lost";
                if let Some(m) = self.map(Path::Key(k), v, pos, expected) {
                    let mut l = Lost {
                        date: None,
                        reason: None,
                        feedback_requested: None,
                        pos,
                        reason_pos: None,
                        feedback_pos: None,
                    };
                    for f in m {
                        let path = Path::Sub("lost", &f.key);
                        match f.key.as_str() {
                            "date" => l.date = self.date(path, &f.value, f.key_pos),
                            "reason" => {
                                l.reason_pos = Some(f.key_pos);
                                let expected = "expect-lost-reason";
                                match &f.value.value {
                                    Value::Null => {}
                                    // Free text: the four known reasons by
                                    // name, anything else is "other".
                                    Value::Str(s) if s.trim().is_empty() => {}
                                    Value::Str(s) => {
                                        l.reason =
                                            Some(LostReason::parse(s).unwrap_or(LostReason::Other));
                                    }
                                    other => self.bad(path, f.key_pos, expected, other),
                                }
                            }
                            "feedback_requested" => {
                                l.feedback_pos = Some(f.key_pos);
                                match &f.value.value {
                                    Value::Null | Value::Bool(false) => {}
                                    Value::Str(s) if dates::parse_date(s.trim()).is_some() => {
                                        l.feedback_requested = dates::parse_date(s.trim());
                                    }
                                    other => {
                                        self.bad(path, f.key_pos, "expect-date-or-false", other)
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    c.lost = Some(l);
                }
            }
            "prior_help" => {
                c.prior_help = self.list_of(
                    "prior_help",
                    v,
                    pos,
                    "expect-prior-help",
                    |r, base, m, at| {
                        let mut h = PriorHelp {
                            date: None,
                            topic: None,
                            pos: at,
                        };
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "date" => h.date = r.date(path, &f.value, f.key_pos),
                                "topic" => h.topic = r.text(path, &f.value, f.key_pos, false),
                                _ => {}
                            }
                        }
                        h
                    },
                );
            }
            "contacts" => {
                c.contacts =
                    self.list_of("contacts", v, pos, "expect-contact", |r, base, m, at| {
                        let mut ct = Contact {
                            at: None,
                            at_text: String::new(),
                            channel: None,
                            tone: None,
                            note: None,
                            pos: at,
                        };
                        let mut has_at = false;
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "at" => {
                                    has_at = true;
                                    match &f.value.value {
                                        Value::Str(s) => {
                                            ct.at_text = s.trim().to_string();
                                            ct.at = dates::parse_moment(s.trim());
                                            if ct.at.is_none() {
                                                r.bad(path, f.key_pos, MOMENT, &f.value.value);
                                            }
                                        }
                                        other => r.bad(path, f.key_pos, MOMENT, other),
                                    }
                                }
                                "channel" => ct.channel = r.text(path, &f.value, f.key_pos, false),
                                "note" => ct.note = r.text(path, &f.value, f.key_pos, true),
                                "tone" => match &f.value.value {
                                    Value::Null => {}
                                    Value::Str(s) => match Tone::parse(s) {
                                        Some(t) => ct.tone = Some(t),
                                        None => {
                                            r.bad(path, f.key_pos, "expect-tone", &f.value.value)
                                        }
                                    },
                                    other => r.bad(path, f.key_pos, "expect-tone", other),
                                },
                                _ => {}
                            }
                        }
                        if !has_at {
                            r.missing(base.sub("at"), at, MOMENT);
                        }
                        ct
                    });
            }
            "invoices" => {
                c.invoices =
                    self.list_of("invoices", v, pos, "expect-invoice", |r, base, m, at| {
                        let mut inv = Invoice {
                            id: None,
                            amount: None,
                            issued: None,
                            due: None,
                            paid: Payment::Unpaid,
                            pos: at,
                        };
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "id" => inv.id = r.text(path, &f.value, f.key_pos, true),
                                "amount" => inv.amount = r.number(path, &f.value, f.key_pos),
                                "issued" => inv.issued = r.date(path, &f.value, f.key_pos),
                                "due" => inv.due = r.date(path, &f.value, f.key_pos),
                                "paid" => match &f.value.value {
                                    Value::Null | Value::Bool(false) => {}
                                    Value::Str(s) if dates::parse_date(s.trim()).is_some() => {
                                        if let Some(d) = dates::parse_date(s.trim()) {
                                            inv.paid = Payment::PaidOn(d);
                                        }
                                    }
                                    other => {
                                        if *other == Value::Bool(true) {
                                            inv.paid = Payment::PaidUndated;
                                        }
                                        r.bad(path, f.key_pos, "expect-paid-date", other);
                                    }
                                },
                                _ => {}
                            }
                        }
                        inv
                    });
            }
            "extra_work" => {
                c.extra_work = self.list_of(
                    "extra_work",
                    v,
                    pos,
                    "expect-extra-work",
                    |r, base, m, at| {
                        let mut w = ExtraWork {
                            date: None,
                            hours: None,
                            paid: None,
                            note: None,
                            pos: at,
                        };
                        let mut has_hours = false;
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "date" => w.date = r.date(path, &f.value, f.key_pos),
                                "hours" => {
                                    has_hours = true;
                                    w.hours = r.number(path, &f.value, f.key_pos);
                                }
                                "paid" => w.paid = r.boolean(path, &f.value, f.key_pos),
                                "note" => w.note = r.text(path, &f.value, f.key_pos, true),
                                _ => {}
                            }
                        }
                        if !has_hours {
                            r.missing(base.sub("hours"), at, NUMBER);
                        }
                        w
                    },
                );
            }
            "incidents" => {
                c.incidents =
                    self.list_of("incidents", v, pos, "expect-incident", |r, base, m, at| {
                        let mut inc = Incident {
                            date: None,
                            what: None,
                            pos: at,
                        };
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "date" => inc.date = r.date(path, &f.value, f.key_pos),
                                "what" => inc.what = r.text(path, &f.value, f.key_pos, true),
                                _ => {}
                            }
                        }
                        inc
                    });
            }
            "obligations" => {
                c.obligations = self.list_of(
                    "obligations",
                    v,
                    pos,
                    "expect-obligation",
                    |r, base, m, at| {
                        let mut what = None;
                        let mut due = None;
                        let mut done = false;
                        for f in m {
                            let path = base.sub(&f.key);
                            match f.key.as_str() {
                                "what" => what = r.text(path, &f.value, f.key_pos, true),
                                "due" => due = r.date(path, &f.value, f.key_pos),
                                "done" => {
                                    done = r.boolean(path, &f.value, f.key_pos).unwrap_or(false)
                                }
                                _ => {}
                            }
                        }
                        let what = match what {
                            Some(w) if !w.trim().is_empty() => w,
                            _ => {
                                r.missing(base.sub("what"), at, "expect-obligation-what");
                                // Shown as is in any language; NV001 names it.
                                "…".to_string()
                            }
                        };
                        Obligation {
                            what,
                            due,
                            done,
                            pos: at,
                        }
                    },
                );
            }
            "vet_ignore" => {
                for (i, item) in self.list(Path::Key(k), v, pos).iter().enumerate() {
                    let base = Path::Item("vet_ignore", i);
                    let expected = "expect-ignore";
                    match &item.value {
                        Value::Str(s) => c.vet_ignore.push(Ignore {
                            code: s.trim().to_string(),
                            reason: None,
                            pos: item.pos,
                        }),
                        Value::Map(m) => {
                            let mut code = None;
                            let mut reason = None;
                            for f in m {
                                let path = base.sub(&f.key);
                                match f.key.as_str() {
                                    "code" => code = self.text(path, &f.value, f.key_pos, false),
                                    "reason" => reason = self.text(path, &f.value, f.key_pos, true),
                                    _ => {}
                                }
                            }
                            match code {
                                Some(code) => c.vet_ignore.push(Ignore {
                                    code: code.trim().to_string(),
                                    reason,
                                    pos: item.pos,
                                }),
                                None => {
                                    self.missing(base.sub("code"), item.pos, "expect-rule-code")
                                }
                            }
                        }
                        other => self.bad(base, item.pos, expected, other),
                    }
                }
            }
            _ => {}
        }
    }
}
