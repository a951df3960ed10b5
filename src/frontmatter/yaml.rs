//! Loads YAML front matter into a [`Node`] tree straight from the events of
//! `saphyr-parser` (a maintained, fully YAML 1.2 parser), with budgets.
//!
//! Building the tree ourselves, instead of going through a generic loader,
//! lets us keep every position, refuse duplicate keys, resolve plain scalars
//! with the YAML 1.2 core schema (so `no` and `off` stay strings and dates
//! stay strings) and stop early on hostile input: nesting deeper than
//! [`MAX_DEPTH`] or more than [`MAX_NODES`] nodes after alias expansion (a
//! "billion laughs" alias bomb) is refused before it costs time or memory.

use super::FrontMatterError;
use super::node::{Entry, Node, Pos, Value};
use crate::msg;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// The deepest nesting of lists and mappings accepted.
pub const MAX_DEPTH: usize = 64;
/// The most nodes a front matter may hold once aliases are expanded.
pub const MAX_NODES: usize = 100_000;

/// A list or mapping being built.
enum Open {
    Seq {
        anchor: usize,
        pos: Pos,
        items: Vec<Node>,
    },
    Map {
        anchor: usize,
        pos: Pos,
        entries: Vec<Entry>,
        key: Option<(String, Pos)>,
        /// Keys seen so far, with their line: duplicates are found in
        /// constant time (a mapping may have tens of thousands of keys).
        seen: std::collections::HashMap<String, u32>,
    },
}

/// Parses `text` (front matter starting on note line `first_line`).
/// Returns `Ok(None)` for an empty document.
pub fn load(text: &str, first_line: u32) -> Result<Option<Node>, FrontMatterError> {
    let at = |span: &Span| Pos {
        line: (span.start.line() as u32).saturating_add(first_line.saturating_sub(1)),
        column: span.start.col() as u32 + 1,
    };
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let m = e.marker();
            // The parser's place (1-based within `text`), then moved to
            // where the mistake was made.
            let (line, column, message) =
                refine(text, m.line() as u32, m.col() as u32 + 1, e.info());
            FrontMatterError::new(
                Pos {
                    line: line.saturating_add(first_line.saturating_sub(1)),
                    column,
                },
                message,
            )
        })?;
        let pos = at(&span);
        let done: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(FrontMatterError::new(pos, msg!("parse-many-documents")));
                }
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                let verbatim = style != ScalarStyle::Plain
                    || tag
                        .as_ref()
                        .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                let value = if verbatim {
                    Value::Str(text.into_owned())
                } else {
                    resolve_plain(text)
                };
                Some((Node::new(value, pos), anchor))
            }
            Event::SequenceStart(anchor, _) => {
                push(
                    &mut stack,
                    Open::Seq {
                        anchor,
                        pos,
                        items: Vec::new(),
                    },
                    pos,
                )?;
                nodes += 1;
                None
            }
            Event::MappingStart(anchor, _) => {
                push(
                    &mut stack,
                    Open::Map {
                        anchor,
                        pos,
                        entries: Vec::new(),
                        key: None,
                        seen: std::collections::HashMap::new(),
                    },
                    pos,
                )?;
                nodes += 1;
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq { anchor, pos, items }) => {
                    Some((Node::new(Value::Seq(items), pos), anchor))
                }
                _ => {
                    return Err(FrontMatterError::new(
                        pos,
                        msg!("parse-unbalanced-sequence"),
                    ));
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map {
                    anchor,
                    pos,
                    entries,
                    ..
                }) => Some((Node::new(Value::Map(entries), pos), anchor)),
                _ => {
                    return Err(FrontMatterError::new(pos, msg!("parse-unbalanced-mapping")));
                }
            },
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(FrontMatterError::new(pos, msg!("parse-unknown-alias")));
                };
                let size = target.size();
                if nodes.saturating_add(size) > MAX_NODES {
                    return Err(too_many(pos));
                }
                nodes += size;
                let mut copy = target.clone();
                copy.pos = pos;
                Some((copy, 0))
            }
        };
        if nodes > MAX_NODES {
            return Err(too_many(pos));
        }
        let Some((node, anchor)) = done else { continue };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => {
                    let name = match node.value {
                        Value::Str(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(x) => x.to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(FrontMatterError::new(node.pos, msg!("parse-complex-key")));
                        }
                    };
                    // Small mappings (most) are searched in place; a large
                    // one gets an index, so a hostile note with 50,000
                    // keys costs linear time, not quadratic.
                    let first_line = if entries.len() < 16 {
                        entries
                            .iter()
                            .find(|e| e.key == name)
                            .map(|e| e.key_pos.line)
                    } else {
                        if seen.is_empty() {
                            seen.extend(entries.iter().map(|e| (e.key.clone(), e.key_pos.line)));
                        }
                        seen.get(&name).copied()
                    };
                    if let Some(first_line) = first_line {
                        return Err(FrontMatterError::new(
                            node.pos,
                            msg!(
                                "parse-duplicate-key",
                                key = name.as_str(),
                                line = first_line.to_string()
                            ),
                        ));
                    }
                    *key = Some((name, node.pos));
                }
                Some((name, key_pos)) => {
                    if !seen.is_empty() {
                        seen.insert(name.clone(), key_pos.line);
                    }
                    entries.push(Entry {
                        key: name,
                        key_pos,
                        value: node,
                    })
                }
            },
        }
    }
    Ok(root)
}

/// Where a YAML mistake was made and what it is, from where the parser
/// noticed it (`line`, `column`, 1-based within `text`) and what it said.
/// The parser often notices on a later line: a `key:value` with no space
/// reads as text until the next line; an unclosed `[`, `{` or quote runs on.
fn refine(text: &str, line: u32, column: u32, info: &str) -> (u32, u32, crate::i18n::Msg) {
    let lines: Vec<&str> = text.lines().collect();
    let here = (line as usize).saturating_sub(1).min(lines.len());
    // The lines up to and including the parser's, last first, numbered.
    let before = || {
        (0..=here.min(lines.len().saturating_sub(1)))
            .rev()
            .map(|i| (i, lines[i]))
    };
    let col_of = |s: &str, byte: usize| s[..byte].chars().count() as u32 + 1;
    // A `key:value` without the space: YAML reads the line as text.
    if info.starts_with("simple key expect ':'") || info.starts_with("could not find expected ':'")
    {
        // The parser's line, or the one before it (where it noticed).
        for (i, l) in before()
            .filter(|(_, l)| {
                let t = l.trim_start();
                !t.is_empty() && !t.starts_with('#')
            })
            .take(2)
        {
            let trimmed = l.trim_start();
            if let Some(colon) = trimmed.find(':')
                && !trimmed.contains(": ")
                && colon > 0
                && trimmed[..colon]
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                && !trimmed[colon + 1..].is_empty()
            {
                let at = l.len() - trimmed.len() + colon;
                return (
                    i as u32 + 1,
                    col_of(l, at),
                    crate::msg!(
                        "parse-yaml-no-space",
                        key = &trimmed[..colon],
                        value = trimmed[colon + 1..].trim()
                    ),
                );
            }
        }
    }
    // An unclosed `[` or `{`: where it opened.
    let unclosed = |open: char, close: char| -> Option<(u32, u32)> {
        let mut depth: Vec<(usize, usize)> = Vec::new();
        for (i, l) in lines.iter().enumerate().take(here + 1) {
            let mut quote: Option<char> = None;
            for (b, c) in l.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '#') if b == 0 || l[..b].ends_with(' ') => break,
                    (None, c) if c == open => depth.push((i, b)),
                    (None, c) if c == close => {
                        depth.pop();
                    }
                    _ => {}
                }
            }
        }
        depth
            .first()
            .map(|(i, b)| (*i as u32 + 1, col_of(lines[*i], *b)))
    };
    let flow = if info.starts_with("while parsing a flow sequence")
        || info.starts_with("illegal placement of ':' indicator")
    {
        unclosed('[', ']').map(|at| (at, "parse-yaml-flow-sequence"))
    } else {
        None
    }
    .or_else(|| {
        (info.starts_with("while parsing a flow mapping")
            || info.starts_with("illegal placement of ':' indicator"))
        .then(|| unclosed('{', '}').map(|at| (at, "parse-yaml-flow-mapping")))
        .flatten()
    });
    if let Some(((l, c), id)) = flow {
        return (l, c, crate::i18n::Msg::new(id));
    }
    // A tab: the tab itself.
    let message = yaml_message(info);
    if message.id == "parse-yaml-tab"
        && let Some(l) = lines.get(here)
        && let Some(b) = l.find('\t')
    {
        return (line, col_of(l, b), message);
    }
    // A line indented unlike the keys around it: its indentation.
    if message.id == "parse-yaml-expected-key"
        && let Some(l) = lines.get(here)
        && let Some(prev) = lines[..here].iter().rev().find(|p| !p.trim().is_empty())
    {
        let indent = |s: &str| s.len() - s.trim_start_matches(' ').len();
        if indent(l) != indent(prev) && indent(l) > 0 && !l.trim_start().starts_with('-') {
            return (
                line,
                1,
                crate::msg!(
                    "parse-yaml-indent-mismatch",
                    spaces = indent(l),
                    above = indent(prev)
                ),
            );
        }
    }
    (line, column, message)
}

/// The parser's complaint in the run's language: the mistakes people make
/// in front matter have messages of their own; anything rarer keeps the
/// parser's words after "invalid YAML".
fn yaml_message(info: &str) -> crate::i18n::Msg {
    const KNOWN: &[(&str, &str)] = &[
        (
            "mapping values are not allowed in this context",
            "parse-yaml-colon",
        ),
        (
            "while parsing a flow sequence, expected ',' or ']'",
            "parse-yaml-flow-sequence",
        ),
        (
            "while parsing a flow mapping, did not find expected ',' or '}'",
            "parse-yaml-flow-mapping",
        ),
        (
            "while parsing a block mapping, did not find expected key",
            "parse-yaml-expected-key",
        ),
        // A quote left open runs into the next lines, which then seem
        // wrongly indented.
        (
            "invalid indentation in quoted scalar",
            "parse-yaml-unclosed-quote",
        ),
        ("invalid indentation", "parse-yaml-indentation"),
        (
            "block sequence entries are not allowed in this context",
            "parse-yaml-list-item",
        ),
        (
            "while scanning a quoted scalar, found unexpected end of stream",
            "parse-yaml-unclosed-quote",
        ),
        (
            "while scanning a plain scalar, found a tab",
            "parse-yaml-tab",
        ),
        ("tabs disallowed", "parse-yaml-tab"),
        (
            "while parsing a node, did not find expected node content",
            "parse-yaml-no-value",
        ),
    ];
    match KNOWN.iter().find(|(text, _)| info.starts_with(text)) {
        Some((_, id)) => crate::i18n::Msg::new(id),
        None => msg!("parse-yaml", detail = info),
    }
}

fn push(stack: &mut Vec<Open>, open: Open, pos: Pos) -> Result<(), FrontMatterError> {
    if stack.len() >= MAX_DEPTH {
        return Err(FrontMatterError::new(
            pos,
            msg!("parse-too-deep", depth = MAX_DEPTH),
        ));
    }
    stack.push(open);
    Ok(())
}

fn too_many(pos: Pos) -> FrontMatterError {
    FrontMatterError::new(pos, msg!("parse-too-many", count = MAX_NODES))
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: std::borrow::Cow<'_, str>) -> Value {
    let s: &str = &text;
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let bytes = s.as_bytes();
    let first = bytes[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(text.into_owned());
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(i) = i64::from_str_radix(hex, 16)
        {
            return Value::Int(i);
        }
        return Value::Str(text.into_owned());
    }
    if let Some(oct) = s.strip_prefix("0o") {
        if !oct.is_empty()
            && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
            && let Ok(i) = i64::from_str_radix(oct, 8)
        {
            return Value::Int(i);
        }
        return Value::Str(text.into_owned());
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match s.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => s
                .parse::<f64>()
                .map(Value::Float)
                .unwrap_or_else(|_| Value::Str(s.to_string())),
        };
    }
    if is_core_float(digits)
        && let Ok(x) = s.parse::<f64>()
    {
        return Value::Float(x);
    }
    Value::Str(text.into_owned())
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    } else if int_digits == 0 {
        return false;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> Node {
        load(text, 2).expect("parses").expect("not empty")
    }

    #[test]
    fn core_schema() {
        let n = top(
            "a: no\nb: off\nc: NO\nd: true\ne: 12\nf: 1.5\ng: 2026-11-23\nh: ~\ni: '12'\nj: !!str 7\nk: yes\n",
        );
        let v = |k: &str| n.get(k).unwrap().value.value.clone();
        assert_eq!(v("a"), Value::Str("no".into()));
        assert_eq!(v("b"), Value::Str("off".into()));
        assert_eq!(v("c"), Value::Str("NO".into()));
        assert_eq!(v("d"), Value::Bool(true));
        assert_eq!(v("e"), Value::Int(12));
        assert_eq!(v("f"), Value::Float(1.5));
        assert_eq!(v("g"), Value::Str("2026-11-23".into()));
        assert_eq!(v("h"), Value::Null);
        assert_eq!(v("i"), Value::Str("12".into()));
        assert_eq!(v("j"), Value::Str("7".into()));
        assert_eq!(v("k"), Value::Str("yes".into()));
    }

    #[test]
    fn positions_are_note_lines() {
        let n = top("client: A\ncontacts:\n  - at: 2026-01-01\n  - {at: 2026-01-02}\n");
        let c = n.get("contacts").unwrap();
        assert_eq!(c.key_pos, Pos { line: 3, column: 1 });
        let Value::Seq(items) = &c.value.value else {
            panic!()
        };
        assert_eq!(items[0].pos.line, 4);
        assert_eq!(items[1].pos.line, 5);
        assert_eq!(
            items[1].get("at").unwrap().key_pos,
            Pos { line: 5, column: 6 }
        );
    }

    #[test]
    fn duplicate_key_is_an_error() {
        let e = load("a: 1\nb: 2\na: 3\n", 2).unwrap_err();
        assert_eq!(e.pos, Some(Pos { line: 4, column: 1 }));
        assert!(e.to_string().contains("duplicate key `a`"), "{}", e.message);
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                ["b", "c", "d", "e", "f", "g", "h"][i - 1].to_string()
            };
            y.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = load(&y, 2).unwrap_err();
        assert!(e.to_string().contains("too many aliases"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        // The parser's own recursion limit or ours, whichever comes first.
        let e = load(&y, 2).unwrap_err();
        assert!(
            e.to_string().contains("nested") || e.to_string().contains("recursion limit"),
            "{}",
            e.message
        );
        let y = (0..200)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect::<String>();
        assert!(
            load(&y, 2)
                .unwrap_err()
                .to_string()
                .contains("nested more than")
        );
    }

    #[test]
    fn common_mistakes_get_messages_of_their_own() {
        let id = |y: &str| load(y, 2).unwrap_err().message.id.to_string();
        assert_eq!(id("a: [1, 2\n"), "parse-yaml-flow-sequence");
        assert_eq!(id("note: foo: bar\n"), "parse-yaml-colon");
        assert_eq!(id("a: \"open\nb: 1\n"), "parse-yaml-unclosed-quote");
        assert_eq!(id("a:\n\t- b\n"), "parse-yaml-tab");
        assert_eq!(id("a: {x: 1\n"), "parse-yaml-flow-mapping");
        // Anything rarer keeps the parser's words.
        assert_eq!(id("a: *nope\n"), "parse-yaml");
    }

    #[test]
    fn syntax_error_has_position() {
        let e = load("a: 1\nb: [1, 2\n", 2).unwrap_err();
        assert!(e.pos.is_some());
        assert!(e.to_string().starts_with("invalid YAML"), "{}", e.message);
    }

    #[test]
    fn aliases_expand() {
        let n = top("a: &x {k: 1}\nb: *x\n");
        assert_eq!(
            n.get("b").unwrap().value.get("k").unwrap().value.value,
            Value::Int(1)
        );
    }
}
