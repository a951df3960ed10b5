//! The part of a note a finding is about: from the key (or list entry) it
//! names to the end of that key's value, so an editor underlines the whole
//! entry, not one character. Worked out from the parsed front matter and
//! the text: a flow collection (`[...]`, `{...}`) ends at its closing
//! bracket, a quoted scalar at its closing quote, a plain one before a
//! comment (or a `,`, `]`, `}` inside a flow collection), and a block list
//! or mapping where its last entry ends. Comments after a value are not
//! part of it.

use super::text::Text;
use crate::frontmatter::{Node, Pos, Value};

/// Byte range of `field` (a key path such as `contacts`, `invoices[1]` or
/// `rate.quoted`) starting at `pos`. Without a tree, or a path that leads
/// nowhere, the rest of `pos`'s line (without a comment).
pub fn extent(text: &Text, root: Option<&Node>, field: &str, pos: Pos) -> (usize, usize) {
    let start = text.offset_of(pos);
    let rest_of_line = (start, rest_end(text, start).max(start));
    let (Some(root), false) = (root, field.is_empty()) else {
        return rest_of_line;
    };
    let Some(found) = locate(text, root, field) else {
        return rest_of_line;
    };
    let end = match found.node.value {
        // `key:` with nothing after it: the key.
        Value::Null => rest_of_line.1,
        _ => value_end(text, found.node, found.next, found.in_flow),
    };
    if end <= start {
        rest_of_line
    } else {
        (start, end)
    }
}

/// What a key path leads to.
struct Found<'a> {
    node: &'a Node,
    /// Where whatever follows it starts (`None`: nothing before the fence).
    next: Option<Pos>,
    /// It sits in a flow collection (`[a, b]`, `{k: v}`).
    in_flow: bool,
}

fn locate<'a>(text: &Text, root: &'a Node, field: &str) -> Option<Found<'a>> {
    // A collection written `[...]` or `{...}` holds its entries in flow.
    let flow = |n: &Node| text.as_str()[text.offset_of(n.pos)..].starts_with(['[', '{']);
    let mut node = root;
    let mut next = None;
    let mut in_flow = false;
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
            in_flow = flow(node);
            node = &entries[i].value;
        }
        for idx in indexes.split(']').filter(|s| !s.is_empty()) {
            let i: usize = idx.trim_start_matches('[').trim().parse().ok()?;
            let Value::Seq(items) = &node.value else {
                return None;
            };
            // `i` comes from a finding's `field`, which a Lua rule writes.
            if let Some(n) = i.checked_add(1).and_then(|j| items.get(j)) {
                next = Some(n.pos);
            }
            in_flow = flow(node);
            node = items.get(i)?;
        }
    }
    Some(Found {
        node,
        next,
        in_flow,
    })
}

/// Where the value `node` ends.
fn value_end(text: &Text, node: &Node, next: Option<Pos>, in_flow: bool) -> usize {
    let at = text.offset_of(node.pos);
    let rest = &text.as_str()[at..];
    for triple in ["\"\"\"", "\'\'\'"] {
        if let Some(after) = rest.strip_prefix(triple)
            && let Some(i) = after.find(triple)
        {
            return at + 3 + i + 3;
        }
    }
    match rest.chars().next() {
        Some('[' | '{') => {
            if let Some(e) = flow_end(rest) {
                return at + e;
            }
        }
        Some(q @ ('"' | '\'')) => {
            if let Some(i) = closing_quote(&rest[1..], q) {
                return at + 1 + i + 1;
            }
        }
        _ => {}
    }
    match &node.value {
        Value::Seq(items) => match items.last() {
            Some(last) => value_end(text, last, next, false),
            None => rest_end(text, at),
        },
        Value::Map(entries) => match entries.last() {
            Some(last) if matches!(last.value.value, Value::Null) => {
                rest_end(text, text.offset_of(last.key_pos))
            }
            Some(last) => value_end(text, &last.value, next, false),
            None => rest_end(text, at),
        },
        _ => plain_end(text, at, next, in_flow),
    }
}

/// The end of a plain scalar at `at`: before a `,`, `]` or `}` in a flow
/// collection, else the end of its line without a comment, or of its last
/// line when it runs on over more (a block scalar, `|` or `>`, or a plain
/// one folded over lines) before `next`.
fn plain_end(text: &Text, at: usize, next: Option<Pos>, in_flow: bool) -> usize {
    let line = text.line_of(at);
    let first = rest_end(text, at);
    if in_flow {
        let s = &text.as_str()[at..first];
        let cut = s.find([',', ']', '}']).unwrap_or(s.len());
        return at + s[..cut].trim_end().len();
    }
    let bound = match next {
        Some(p) => (p.line as usize).saturating_sub(2),
        None => fence_line(text, line),
    };
    let mut end = first;
    for l in line + 1..=bound {
        let t = text.line(l).trim();
        if t == "---" || t == "+++" {
            break;
        }
        if !(t.is_empty() || t.starts_with('#')) {
            end = rest_end(text, text.line_end(l) - text.line(l).len());
        }
    }
    end
}

/// Past the bracket closing the `[` or `{` that `s` starts with, skipping
/// quoted strings and comments.
fn flow_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = s.char_indices().peekable();
    let mut after_blank = true;
    // The last character other than a blank: a quote opens a scalar only
    // where one starts (`it's` is a plain scalar's apostrophe).
    let mut last = ' ';
    while let Some((i, c)) = chars.next() {
        let starts_scalar = matches!(last, '[' | '{' | ',' | ':' | '-' | '?' | ' ');
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            '"' | '\'' if starts_scalar => {
                let close = closing_quote(&s[i + 1..], c)?;
                let stop = i + 1 + close;
                while chars.peek().is_some_and(|(j, _)| *j <= stop) {
                    chars.next();
                }
            }
            '#' if after_blank => {
                while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                    chars.next();
                }
            }
            _ => {}
        }
        after_blank = c.is_whitespace() || c == ',' || c == '[' || c == '{';
        if !c.is_whitespace() {
            last = c;
        }
    }
    None
}

/// The end of `at`'s line, before a comment (` #`, outside quotes) and
/// trailing blanks.
fn rest_end(text: &Text, at: usize) -> usize {
    let line = text.line_of(at);
    let end = text.line_end(line).max(at);
    let s = &text.as_str()[at..end];
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut last = ' ';
    let mut cut = s.len();
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            // Only where a scalar starts: `it's` is no quote.
            None if (c == '"' || c == '\'')
                && matches!(last, '[' | '{' | ',' | ':' | '-' | '?' | ' ') =>
            {
                quote = Some(c)
            }
            None if c == '#' && prev.is_whitespace() && i > 0 => {
                cut = i;
                break;
            }
            None => {}
        }
        prev = c;
        if !c.is_whitespace() {
            last = c;
        }
    }
    at + s[..cut].trim_end().len()
}

/// Byte offset in `s` of the quote closing a scalar opened by `q`: `\"`
/// escapes in double quotes, `''` in single ones.
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

    /// What `field` covers when the finding stands at `line` (1-based),
    /// column 1.
    fn covered_at(note: &str, field: &str, line: u32) -> String {
        let text = Text::new(note.to_string());
        let fm = crate::frontmatter::parse(note).unwrap().unwrap();
        let (s, e) = extent(&text, fm.root.as_ref(), field, Pos { line, column: 1 });
        note[s..e].to_string()
    }

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

    #[test]
    fn comments_and_nested_flow_collections_are_not_run_over() {
        let note = "---\nvet_ignore: [NV203, {code: NV104, reason: \"a, b}\"}]  # keep\nrate: {quoted: 100, requested: 60 }  # c\nclient: x # the client\ncontacts:\n  - {at: 2026-01-01, tone: rude}   # late\n\n  # later\nstatus: active\n---\n";
        assert_eq!(
            covered(note, "vet_ignore"),
            "vet_ignore: [NV203, {code: NV104, reason: \"a, b}\"}]"
        );
        assert_eq!(
            covered(note, "vet_ignore[1]"),
            "{code: NV104, reason: \"a, b}\"}"
        );
        assert_eq!(covered(note, "vet_ignore[0]"), "NV203");
        assert_eq!(covered(note, "rate.requested"), "requested: 60");
        assert_eq!(covered(note, "client"), "client: x");
        assert_eq!(
            covered(note, "contacts"),
            "contacts:\n  - {at: 2026-01-01, tone: rude}"
        );
    }

    #[test]
    fn apostrophes_huge_indexes_and_toml_order() {
        // An apostrophe in a plain scalar is no quote.
        let note = "---\ncontacts:\n  - {at: 2026-01-01, note: it's late}  # x\n  - {at: 2026-01-02, note: she's rude}\nclient: it's me # c\n---\n";
        assert_eq!(
            covered(note, "contacts[0]"),
            "{at: 2026-01-01, note: it's late}"
        );
        assert_eq!(covered(note, "client"), "client: it's me");
        // A Lua rule's `field` may hold any index: the rest of the line.
        assert_eq!(
            covered_at(note, "contacts[18446744073709551615]", 2),
            "contacts:"
        );
        // TOML keys in the order written (its table is sorted by key).
        let note = "+++\nclient = \"A\"\nzeta = 1\nalpha = 2\n+++\n";
        assert_eq!(covered(note, "zeta"), "zeta = 1");
    }
}
