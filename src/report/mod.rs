//! Turns a [`crate::engine::Report`] into what the user reads: the human
//! diagnostics (rustc/ruff style) or the JSON document of the README's "JSON report".

pub mod human;
pub mod json;
pub mod live;

/// Text from a note, a plugin or a file name, made safe for a terminal:
/// control characters (C0, DEL, C1: what clears screens, sets titles or
/// writes the clipboard) become visible escapes such as `\x1b`, as `ls`
/// and ripgrep show them. Tabs stay. Colour comes only from notes-vet.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    // Bidirectional overrides and isolates reorder what a terminal shows.
    let bidi = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    // Printable ASCII, most of what is shown, needs no look at characters.
    let printable = |b: &u8| (b' '..=b'~').contains(b) || *b == b'\t';
    if s.as_bytes().iter().all(printable)
        || !s.chars().any(|c| c != '\t' && (c.is_control() || bidi(c)))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push('\t'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || bidi(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`visible`] for a text of several lines: the line breaks stay.
pub fn visible_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| visible(l.strip_suffix('\r').unwrap_or(l)).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_become_visible() {
        assert_eq!(super::visible("plain\ttext"), "plain\ttext");
        assert_eq!(
            super::visible("a\x1b]52;c;aGk=\x07b\u{9b}2J\x7f"),
            "a\\x1b]52;c;aGk=\\x07b\\u{9b}2J\\x7f"
        );
    }
}
