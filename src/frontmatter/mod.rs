//! Front matter: split a note, then parse YAML or TOML into a [`Node`] tree
//! with positions. Both formats yield the same tree for the same data.

pub mod node;
pub mod split;
mod toml;
pub mod yaml;

pub use node::{Entry, Node, Pos, Value};
pub use split::{Format, Split};

use crate::i18n::Msg;
use crate::msg;

/// The largest front matter accepted, in bytes.
pub const MAX_FRONT_MATTER: usize = 1 << 20;

/// Why a note's front matter could not be read (`Display`: in English).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FrontMatterError {
    /// Where in the note, when known.
    pub pos: Option<Pos>,
    pub message: Msg,
}

impl FrontMatterError {
    pub fn new(pos: Pos, message: Msg) -> Self {
        FrontMatterError {
            pos: Some(pos),
            message,
        }
    }
}

/// A note's front matter, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter<'a> {
    pub format: Format,
    /// The top-level value; `None` when the front matter is empty.
    pub root: Option<Node>,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits and parses a note. `Ok(None)`: the note has no front matter.
pub fn parse(text: &str) -> Result<Option<FrontMatter<'_>>, FrontMatterError> {
    let split = match split::split(text) {
        Ok(Some(s)) => s,
        Ok(None) => return Ok(None),
        Err(e) => {
            return Err(FrontMatterError::new(
                Pos { line: 1, column: 1 },
                msg!("parse-unclosed", fence = e.format.fence()),
            ));
        }
    };
    if split.front.len() > MAX_FRONT_MATTER {
        return Err(FrontMatterError::new(
            Pos {
                line: split.front_line,
                column: 1,
            },
            msg!("parse-too-large", kib = MAX_FRONT_MATTER / 1024),
        ));
    }
    let root = match split.format {
        Format::Yaml => yaml::load(split.front, split.front_line)?,
        Format::Toml => Some(toml::load(split.front, split.front_line)?),
    };
    Ok(Some(FrontMatter {
        format: split.format,
        root,
        body: split.body,
        body_offset: split.body_offset,
    }))
}
