//! An open note's text as the editor holds it, and positions in it. The
//! protocol counts columns in UTF-16 code units, or UTF-8 ones when both
//! sides agree ([`Encoding`]); notes-vet's own positions count characters
//! ([`Pos`]). Every conversion clamps: a position past a line's end is its
//! end, one inside a character is that character's start.

use crate::frontmatter::Pos;
use gen_lsp_types::{Position, Range};

/// How the protocol's columns are counted, as negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A document's text and where its lines start.
#[derive(Debug, Clone)]
pub struct Text {
    text: String,
    /// Byte offset of each line's start (after each `\n`).
    starts: Vec<usize>,
}

impl Text {
    pub fn new(text: String) -> Text {
        let starts = line_starts(&text);
        Text { text, starts }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Line `line` (0-based) without its line ending; empty past the end.
    pub fn line(&self, line: usize) -> &str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        let end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let l = &self.text[start..end.max(start)];
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }

    /// How many lines the text has (a final line ending opens an empty one).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a protocol position.
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let mut left = pos.character as usize;
        let mut at = start;
        for c in self.line(line).chars() {
            let n = enc.units(c);
            if left < n {
                break;
            }
            left -= n;
            at += c.len_utf8();
        }
        at
    }

    /// The protocol position of byte `offset` (moved back to a character
    /// boundary).
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let content = self.line(line);
        let upto = (offset - start).min(content.len());
        let character: usize = content[..upto].chars().map(|c| enc.units(c)).sum();
        Position::new(line as u32, character as u32)
    }

    /// The protocol range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize, enc: Encoding) -> Range {
        Range::new(
            self.position(start, enc),
            self.position(end.max(start), enc),
        )
    }

    /// Byte offset of a notes-vet position (1-based line; 1-based column in
    /// characters, not counting a byte-order mark).
    pub fn offset_of(&self, pos: Pos) -> usize {
        let line = (pos.line.max(1) - 1) as usize;
        let Some(&start) = self.starts.get(line) else {
            return self.text.len();
        };
        let content = self.line(line);
        let skip = if line == 0 && content.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let within: usize = content[skip..]
            .chars()
            .take(pos.column.max(1) as usize - 1)
            .map(char::len_utf8)
            .sum();
        start + skip + within
    }

    /// Byte offset of the end of line `line`'s content.
    pub fn line_end(&self, line: usize) -> usize {
        match self.starts.get(line) {
            Some(&start) => start + self.line(line).len(),
            None => self.text.len(),
        }
    }

    /// Applies an edit: `range` replaced by `new`, or the whole text when
    /// `range` is `None`.
    pub fn apply(&mut self, range: Option<Range>, new: &str, enc: Encoding) {
        match range {
            None => self.text = new.to_string(),
            Some(r) => {
                let start = self.offset(r.start, enc);
                let end = self.offset(r.end, enc).max(start);
                self.text.replace_range(start..end, new);
            }
        }
        self.starts = line_starts(&self.text);
    }
}

/// Where lines start: after `\n`, `\r\n`, or a `\r` alone, the three line
/// ends of LSP.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    std::iter::once(0)
        .chain(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_code_units_of_the_negotiated_encoding() {
        // `ş` is 2 bytes and 1 UTF-16 unit; the emoji 4 bytes and 2 units.
        let t = Text::new("a: 1\nİş 🙂 rate: 5\r\nend".to_string());
        let rate = t.as_str().find("rate").unwrap();
        assert_eq!(t.position(rate, Encoding::Utf16), Position::new(1, 6));
        assert_eq!(t.position(rate, Encoding::Utf8), Position::new(1, 10));
        assert_eq!(t.offset(Position::new(1, 6), Encoding::Utf16), rate);
        assert_eq!(t.offset(Position::new(1, 10), Encoding::Utf8), rate);
        // Inside the emoji: its start. Past the line: its end, before CRLF.
        let emoji = t.as_str().find('🙂').unwrap();
        assert_eq!(t.offset(Position::new(1, 4), Encoding::Utf16), emoji);
        assert_eq!(
            t.offset(Position::new(1, 99), Encoding::Utf16),
            t.line_end(1)
        );
        assert_eq!(
            t.offset(Position::new(9, 0), Encoding::Utf16),
            t.as_str().len()
        );
        // notes-vet's columns are characters.
        assert_eq!(t.offset_of(Pos { line: 2, column: 6 }), rate);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_lsp_says() {
        let mut t = Text::new("a\rb\nc\r\nd".to_string());
        assert_eq!(
            (t.lines(), t.line(0), t.line(1), t.line(2), t.line(3)),
            (4, "a", "b", "c", "d")
        );
        let r = Range::new(Position::new(1, 0), Position::new(1, 1));
        t.apply(Some(r), "X", Encoding::Utf16);
        assert_eq!(t.as_str(), "a\rX\nc\r\nd");
    }

    #[test]
    fn edits_apply_in_either_encoding() {
        let mut t = Text::new("İş 🙂 x\nnext".to_string());
        let r = Range::new(Position::new(0, 6), Position::new(0, 7));
        t.apply(Some(r), "yz", Encoding::Utf16);
        assert_eq!(t.as_str(), "İş 🙂 yz\nnext");
        let r = Range::new(Position::new(0, 10), Position::new(1, 0));
        t.apply(Some(r), "", Encoding::Utf8);
        assert_eq!(t.as_str(), "İş 🙂 next");
        assert_eq!(t.lines(), 1);
    }
}
