//! The quick fix "Silence NVxxx in this note": one edit to the note's
//! `vet_ignore`, in YAML or TOML front matter, whether the key is absent,
//! empty, a single code, an inline list or a block list. Every edit is
//! tried on a copy first: it is offered only when the note still parses
//! and its `vet_ignore` then holds the code.

use super::extent::extent;
use super::text::Text;
use crate::frontmatter::{self, Format, Node, Value};

/// An edit: bytes `start..end` of the note replaced by `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub new: String,
}

impl Edit {
    fn insert(at: usize, new: String) -> Edit {
        Edit {
            start: at,
            end: at,
            new,
        }
    }
}

/// The edit that adds `code` to the note's `vet_ignore`; `None` when the
/// note has no front matter that parses, or already silences it.
pub fn silence(note: &str, code: &str) -> Option<Edit> {
    let split = frontmatter::split::split(note).ok()??;
    let fm = frontmatter::parse(note).ok()??;
    let root = fm.root.as_ref();
    let text = Text::new(note.to_string());
    let entry = root.and_then(|r| r.get("vet_ignore"));
    if let Some(e) = entry
        && ignores(Some(&e.value), code)
    {
        return None;
    }
    let toml = fm.format == Format::Toml;
    let quoted = if toml {
        format!("\"{code}\"")
    } else {
        code.to_string()
    };
    let front_end = split.front_offset + split.front.len();
    // New lines end the way the note's lines do.
    let nl = if note.contains("\r\n") { "\r\n" } else { "\n" };
    // What closes the front matter so far, if a line must be added after it.
    let newline = if split.front.is_empty() || split.front.ends_with('\n') {
        ""
    } else {
        nl
    };
    let candidates: Vec<Edit> = match entry {
        None => {
            let line = if toml {
                format!("vet_ignore = [{quoted}]{nl}")
            } else {
                format!("vet_ignore: [{quoted}]{nl}")
            };
            // YAML: last, where people add keys; TOML: first, before any
            // `[table]` (a key after one would belong to it).
            let end = Edit::insert(front_end, format!("{newline}{line}"));
            let start = Edit::insert(split.front_offset, line);
            if toml {
                vec![start, end]
            } else {
                vec![end, start]
            }
        }
        Some(e) => {
            let value = &e.value;
            let at = text.offset_of(value.pos);
            match &value.value {
                // TOML's `[[vet_ignore]]` tables: one more, at the end
                // (where a table header cannot capture later keys).
                Value::Seq(_) if toml && note[at..].starts_with("[[") => {
                    vec![Edit::insert(
                        front_end,
                        format!("{newline}[[vet_ignore]]{nl}code = {quoted}{nl}"),
                    )]
                }
                Value::Seq(items) if note[at..].starts_with('[') => match items.last() {
                    // `[]` or `[ ]`: the code goes in.
                    None => vec![Edit::insert(at + 1, quoted)],
                    Some(last) => {
                        let field = format!("vet_ignore[{}]", items.len() - 1);
                        let (_, end) = extent(&text, root, &field, last.pos);
                        // A list written over several lines gets a line
                        // of its own, indented as the last entry.
                        let last_line = text.line_of(text.offset_of(last.pos));
                        let sep = if last_line != text.line_of(at) {
                            let l = text.line(last_line);
                            let indent = &l[..l.len() - l.trim_start().len()];
                            format!(",{nl}{indent}")
                        } else {
                            ", ".to_string()
                        };
                        vec![Edit::insert(end, format!("{sep}{quoted}"))]
                    }
                },
                Value::Seq(items) if !items.is_empty() => {
                    // A block list: a new item under the last, indented the
                    // same way as the first.
                    let first = text.offset_of(items[0].pos);
                    let line = text.line_of(first);
                    let prefix = &note[line_start(&text, line)..first];
                    let (_, end) = extent(&text, root, "vet_ignore", e.key_pos);
                    vec![Edit::insert(end, format!("{nl}{prefix}{quoted}"))]
                }
                Value::Str(_) => {
                    let (_, end) = extent(&text, root, "vet_ignore", e.key_pos);
                    let old = &note[at.min(end)..end];
                    vec![Edit {
                        start: at.min(end),
                        end,
                        new: format!("[{}, {quoted}]", old.trim()),
                    }]
                }
                _ => {
                    // `vet_ignore:` with nothing after it (or an empty list
                    // written some other way): the whole entry becomes one.
                    let (s, end) = extent(&text, root, "vet_ignore", e.key_pos);
                    let sep = if toml { " = " } else { ": " };
                    vec![Edit {
                        start: s,
                        end,
                        new: format!("vet_ignore{sep}[{quoted}]"),
                    }]
                }
            }
        }
    };
    candidates.into_iter().find(|edit| {
        let mut after = note.to_string();
        after.replace_range(edit.start..edit.end, &edit.new);
        matches!(frontmatter::parse(&after), Ok(Some(f))
            if ignores(f.root.as_ref().and_then(|r| r.get("vet_ignore")).map(|e| &e.value), code))
    })
}

fn line_start(text: &Text, line: usize) -> usize {
    text.line_end(line) - text.line(line).len()
}

/// True when a `vet_ignore` value lists `code` (as a string or `code:`).
pub(crate) fn ignores(value: Option<&Node>, code: &str) -> bool {
    let holds = |n: &Node| match &n.value {
        Value::Str(s) => s.trim().eq_ignore_ascii_case(code),
        Value::Map(_) => n.get("code").is_some_and(
            |c| matches!(&c.value.value, Value::Str(s) if s.trim().eq_ignore_ascii_case(code)),
        ),
        _ => false,
    };
    match value {
        Some(n) => match &n.value {
            Value::Seq(items) => items.iter().any(holds),
            _ => holds(n),
        },
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(note: &str) -> String {
        let e = silence(note, "NV201").expect("an edit");
        let mut out = note.to_string();
        out.replace_range(e.start..e.end, &e.new);
        out
    }

    #[test]
    fn yaml_every_shape_of_vet_ignore() {
        assert_eq!(
            fixed("---\nclient: A\n---\nbody"),
            "---\nclient: A\nvet_ignore: [NV201]\n---\nbody"
        );
        assert_eq!(
            fixed("---\nclient: A\nvet_ignore: [NV101]\nstatus: active\n---\n"),
            "---\nclient: A\nvet_ignore: [NV101, NV201]\nstatus: active\n---\n"
        );
        assert_eq!(
            fixed("---\nvet_ignore: []\nclient: A\n---\n"),
            "---\nvet_ignore: [NV201]\nclient: A\n---\n"
        );
        assert_eq!(
            fixed(
                "---\nvet_ignore:\n  - NV101\n  - code: NV102\n    reason: ok\n\nclient: A\n---\n"
            ),
            "---\nvet_ignore:\n  - NV101\n  - code: NV102\n    reason: ok\n  - NV201\n\nclient: A\n---\n"
        );
        assert_eq!(
            fixed("---\nclient: A\nvet_ignore: NV101\n---\n"),
            "---\nclient: A\nvet_ignore: [NV101, NV201]\n---\n"
        );
        assert_eq!(
            fixed("---\nclient: A\nvet_ignore:\n---\n"),
            "---\nclient: A\nvet_ignore: [NV201]\n---\n"
        );
    }

    #[test]
    fn yaml_with_comments_maps_and_crlf() {
        assert_eq!(
            fixed(
                "---\nclient: Q\nvet_ignore: [NV203, {code: NV104, reason: \"her, assistant\"}]\n---\n"
            ),
            "---\nclient: Q\nvet_ignore: [NV203, {code: NV104, reason: \"her, assistant\"}, NV201]\n---\n"
        );
        assert_eq!(
            fixed("---\nclient: Q\nvet_ignore: [NV203]  # keep\n---\n"),
            "---\nclient: Q\nvet_ignore: [NV203, NV201]  # keep\n---\n"
        );
        assert_eq!(
            fixed("---\nclient: Q\nvet_ignore: NV203 # x\n---\n"),
            "---\nclient: Q\nvet_ignore: [NV203, NV201] # x\n---\n"
        );
        assert_eq!(
            fixed("---\r\nclient: Q\r\nvet_ignore:\r\n  - NV203\r\n---\r\n"),
            "---\r\nclient: Q\r\nvet_ignore:\r\n  - NV203\r\n  - NV201\r\n---\r\n"
        );
        assert_eq!(
            fixed("---\r\nclient: Q\r\n---\r\n"),
            "---\r\nclient: Q\r\nvet_ignore: [NV201]\r\n---\r\n"
        );
    }

    #[test]
    fn toml_every_shape_of_vet_ignore() {
        assert_eq!(
            fixed("+++\nclient = \"A\"\n[rate]\nquoted = 1\n+++\n"),
            "+++\nvet_ignore = [\"NV201\"]\nclient = \"A\"\n[rate]\nquoted = 1\n+++\n"
        );
        assert_eq!(
            fixed("+++\nclient = \"A\"\nvet_ignore = [\n  \"NV101\",\n]\n+++\n"),
            "+++\nclient = \"A\"\nvet_ignore = [\n  \"NV101\",\n  \"NV201\",\n]\n+++\n"
        );
        assert_eq!(
            fixed("+++\nclient = \"A\"\nvet_ignore = [{code = \"NV203\", reason = \"x\"}]\n+++\n"),
            "+++\nclient = \"A\"\nvet_ignore = [{code = \"NV203\", reason = \"x\"}, \"NV201\"]\n+++\n"
        );
        assert_eq!(
            fixed("+++\nclient = \"A\"\n[[vet_ignore]]\ncode = \"NV203\"\n+++\n"),
            "+++\nclient = \"A\"\n[[vet_ignore]]\ncode = \"NV203\"\n[[vet_ignore]]\ncode = \"NV201\"\n+++\n"
        );
    }

    #[test]
    fn nothing_to_do_when_already_silenced_or_unparsable() {
        assert_eq!(
            silence("---\nclient: A\nvet_ignore: [nv201]\n---\n", "NV201"),
            None
        );
        assert_eq!(silence("---\nclient: [A\n---\n", "NV201"), None);
        assert_eq!(silence("no front matter", "NV201"), None);
    }
}
