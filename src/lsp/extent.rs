//! The part of a note a finding is about: from the key (or list entry) it
//! names to the end of that key's value, so an editor underlines the whole
//! entry, not one character. Worked out from the parsed front matter: an
//! entry runs until the next entry of its list or mapping, or of any list
//! or mapping it sits in, or the closing fence.

use super::text::Text;
use crate::frontmatter::{Node, Pos, Value};

/// Byte range of `field` (a key path such as `contacts`, `invoices[1]` or
/// `rate.quoted`) starting at `pos`. Without a tree or a path that leads
/// anywhere, the rest of `pos`'s line.
pub fn extent(text: &Text, root: Option<&Node>, field: &str, pos: Pos) -> (usize, usize) {
    let start = text.offset_of(pos);
    let line = text.line_of(start);
    let rest_of_line = (start, text.line_end(line).max(start));
    let Some(root) = root else {
        return rest_of_line;
    };
    if field.is_empty() {
        return rest_of_line;
    }
    let Some((next, scalar)) = next_after(root, field) else {
        return rest_of_line;
    };
    let end = match next {
        Some(p) if p.line as usize == line + 1 => {
            // The next entry is on the same line (a flow list or mapping):
            // up to it, without the comma between.
            let b = text.offset_of(p).max(start);
            let s = &text.as_str()[start..b];
            start
                + s.trim_end_matches(|c: char| c.is_whitespace() || c == ',')
                    .len()
        }
        Some(p) => last_content_end(text, line, (p.line as usize).saturating_sub(2)),
        None => last_content_end(text, line, fence_line(text, line)),
    };
    let mut end = end.max(start);
    // A scalar value ends with its closing quote, or before the `]` or `}`
    // of a flow list or mapping, on its own line (a block scalar, `|` or
    // `>`, runs on).
    if let Some(vpos) = scalar
        && vpos.line as usize == line + 1
    {
        let v = text.offset_of(vpos).max(start);
        let stop = end.min(text.line_end(text.line_of(v))).max(v);
        let s = &text.as_str()[v..stop];
        match s.chars().next() {
            Some(q @ ('"' | '\'')) => {
                if let Some(close) = closing_quote(&s[1..], q) {
                    end = v + 1 + close + 1;
                }
            }
            Some('[' | '{' | '|' | '>') => {}
            _ => end = v + s.trim_end_matches([']', '}', ' ', '\t', ',']).len(),
        }
        end = end.max(start);
    }
    if end == start {
        rest_of_line
    } else {
        (start, end)
    }
}

/// Byte offset in `s` of the quote closing a scalar opened by `q`: YAML's
/// `\"` escapes in double quotes, `''` in single ones.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
        } else if c == q {
            if q == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// Where whatever follows `field` starts (`None`: nothing before the
/// fence), and where its value starts when that is a scalar. `None` when
/// the path leads nowhere.
fn next_after(root: &Node, field: &str) -> Option<(Option<Pos>, Option<Pos>)> {
    let mut node = root;
    let mut next = None;
    for part in field.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            let Value::Map(entries) = &node.value else {
                return None;
            };
            let i = entries.iter().position(|e| e.key == key)?;
            if let Some(n) = entries.get(i + 1) {
                next = Some(n.key_pos);
            }
            node = &entries[i].value;
        }
        for idx in indexes.split(']').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_start_matches('[').trim().parse().ok()?;
            let Value::Seq(items) = &node.value else {
                return None;
            };
            if let Some(n) = items.get(i + 1) {
                next = Some(n.pos);
            }
            node = items.get(i)?;
        }
    }
    let scalar = !matches!(node.value, Value::Seq(_) | Value::Map(_));
    Some((next, scalar.then_some(node.pos)))
}

/// The end of the last line in `from..=to` (0-based) with something other
/// than blanks, a comment or a list dash on it.
fn last_content_end(text: &Text, from: usize, to: usize) -> usize {
    let to = to.max(from);
    for l in (from..=to).rev() {
        let t = text.line(l).trim();
        if l == from || !(t.is_empty() || t.starts_with('#') || t == "-") {
            return text.line_end(l);
        }
    }
    text.line_end(from)
}

/// The closing fence's line after `from`, less one; else the last line.
fn fence_line(text: &Text, from: usize) -> usize {
    for l in from + 1..text.lines() {
        let t = text.line(l).trim_end();
        if t == "---" || t == "+++" {
            return l - 1;
        }
    }
    text.lines().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(note: &str, field: &str) -> String {
        let text = Text::new(note.to_string());
        let fm = crate::frontmatter::parse(note).unwrap().unwrap();
        let root = fm.root.unwrap();
        let pos = crate::plugins::find_path(&root, field).unwrap();
        let (s, e) = extent(&text, Some(&root), field, pos);
        note[s..e].to_string()
    }

    #[test]
    fn a_key_covers_its_value_up_to_the_next_key() {
        let note = "---\nclient: Acme\ncontacts:\n  - {at: 2026-11-02, channel: phone}\n  - at: 2026-11-03\n    channel: email\n\n# later\nrate:\n  quoted: 90\n---\nbody\n";
        assert_eq!(covered(note, "client"), "client: Acme");
        assert_eq!(
            covered(note, "contacts"),
            "contacts:\n  - {at: 2026-11-02, channel: phone}\n  - at: 2026-11-03\n    channel: email"
        );
        assert_eq!(
            covered(note, "contacts[0]"),
            "{at: 2026-11-02, channel: phone}"
        );
        assert_eq!(
            covered(note, "contacts[1]"),
            "at: 2026-11-03\n    channel: email"
        );
        assert_eq!(covered(note, "rate.quoted"), "quoted: 90");
        assert_eq!(covered(note, "rate"), "rate:\n  quoted: 90");
    }

    #[test]
    fn flow_items_stop_at_their_comma_or_bracket() {
        let note = "---\nvet_ignore: [NV101, \"NV2]01\" ]\nclient: x\n---\n";
        assert_eq!(covered(note, "vet_ignore[0]"), "NV101");
        assert_eq!(covered(note, "vet_ignore[1]"), "\"NV2]01\"");
        let note =
            "---\nrate: {currency: \"₺}\", quoted: 100, requested: 60}\nnote: |\n  a\n  b\n---\n";
        assert_eq!(covered(note, "rate.requested"), "requested: 60");
        assert_eq!(covered(note, "rate.currency"), "currency: \"₺}\"");
        assert_eq!(covered(note, "note"), "note: |\n  a\n  b");
    }
}
