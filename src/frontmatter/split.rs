//! Splits a note into its front matter and its markdown body.
//!
//! Front matter must start at byte 0 (after an optional UTF-8 BOM) with a
//! `---` (YAML) or `+++` (TOML) line and end at the next line that is the same
//! fence. A `---` further down the body is a thematic break, never front
//! matter. CRLF and LF line endings are both accepted.

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Yaml,
    Toml,
}

impl Format {
    pub fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// A note cut in two. `front` and `body` borrow from the note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter text between the fences (without the fence lines).
    pub front: &'a str,
    /// The 1-based line of the note file on which `front` starts.
    pub front_line: u32,
    /// Byte offset of `front` in the text given to [`split`].
    pub front_offset: usize,
    /// Everything after the closing fence line, byte for byte.
    pub body: &'a str,
    /// Byte offset of `body` in the text given to [`split`].
    pub body_offset: usize,
}

/// Why a note that opens with a fence has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnclosedFence {
    pub format: Format,
}

impl std::fmt::Display for UnclosedFence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fence = self.format.fence();
        write!(
            f,
            "front matter opened with `{fence}` on line 1 is never closed: expected a line holding only `{fence}` after it"
        )
    }
}

/// The byte length of a UTF-8 byte order mark at the start of `text`, if any.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// Splits `text`. `Ok(None)` means the note has no front matter at all.
pub fn split(text: &str) -> Result<Option<Split<'_>>, UnclosedFence> {
    let start = bom_len(text);
    let rest = &text[start..];
    let (first, after_first) = next_line(rest);
    let format = match trim_line(first) {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(None),
    };
    let front_offset = start + after_first;
    let mut cursor = front_offset;
    while cursor < text.len() {
        let (line, len) = next_line(&text[cursor..]);
        if trim_line(line) == format.fence() {
            let body_offset = cursor + len;
            return Ok(Some(Split {
                format,
                front: &text[front_offset..cursor],
                front_line: 2,
                front_offset,
                body: &text[body_offset..],
                body_offset,
            }));
        }
        cursor += len;
    }
    Err(UnclosedFence { format })
}

/// The first line of `s` without its line ending, and the byte length of the
/// line including its ending.
fn next_line(s: &str) -> (&str, usize) {
    match s.find('\n') {
        Some(i) => {
            let line = &s[..i];
            (line.strip_suffix('\r').unwrap_or(line), i + 1)
        }
        None => (s, s.len()),
    }
}

/// A fence line may carry trailing blanks; nothing may come before it.
fn trim_line(line: &str) -> &str {
    line.trim_end_matches([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_with_body() {
        let s = split("---\na: 1\n---\n# Title\n---\nmore\n")
            .unwrap()
            .unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(s.front, "a: 1\n");
        assert_eq!(s.body, "# Title\n---\nmore\n");
    }

    #[test]
    fn bom_and_crlf() {
        let s = split("\u{feff}+++\r\na = 1\r\n+++\r\nbody")
            .unwrap()
            .unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "a = 1\r\n");
        assert_eq!(s.body, "body");
        assert_eq!(s.front_offset, 8);
    }

    #[test]
    fn fence_not_at_start_is_body() {
        assert_eq!(split("\n---\na: 1\n---\n").unwrap(), None);
        assert_eq!(split(" ---\na: 1\n---\n").unwrap(), None);
        assert_eq!(split("# t\n---\n").unwrap(), None);
        assert_eq!(split("").unwrap(), None);
        assert_eq!(split("----\n").unwrap(), None);
    }

    #[test]
    fn unclosed() {
        assert!(split("---\na: 1\n").is_err());
        assert!(split("---").is_err());
        assert!(split("+++\na = 1\n---\n").is_err());
    }

    #[test]
    fn empty_front_matter_and_no_final_newline() {
        let s = split("---\n---").unwrap().unwrap();
        assert_eq!(s.front, "");
        assert_eq!(s.body, "");
    }
}
