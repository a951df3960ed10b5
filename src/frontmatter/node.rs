//! The parsed front matter as one small tree that both YAML and TOML load
//! into, with the position of every key and value in the note file.

use std::fmt;

/// A 1-based line and column in the note file (columns count characters).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One value of the front matter and where it stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// A front matter value. Dates and datetimes are strings here, exactly as a
/// YAML 1.2 core-schema parser sees them; TOML date values are turned into
/// the same strings so that both formats mean the same thing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A key of a mapping, its position, and its value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Node { value, pos }
    }

    /// The entry with this key, when the node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// How many nodes this tree holds, itself included.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|e| e.value.size()).sum(),
            _ => 0,
        }
    }
}

impl Value {
    /// A short description of the value, for messages ("a list", "the
    /// number 3").
    pub fn shape(&self) -> crate::i18n::Msg {
        use crate::msg;
        match self {
            Value::Null => msg!("found-null"),
            Value::Bool(b) => msg!("found-bool", value = b.to_string()),
            // As written, not with the language's separators: it is the
            // note's own text.
            Value::Int(i) => msg!("found-number", value = i.to_string()),
            Value::Float(x) => msg!("found-number", value = x.to_string()),
            Value::Str(s) if s.is_empty() => msg!("found-empty"),
            Value::Str(s) => {
                let short: String = s.chars().take(40).collect();
                let more = if short.len() < s.len() { "…" } else { "" };
                msg!("found-string", value = format!("{short}{more}"))
            }
            Value::Seq(_) => msg!("found-list"),
            Value::Map(_) => msg!("found-mapping"),
        }
    }
}
