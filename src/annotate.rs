//! The opt-in in-note annotation (`annotate = true`): a generated block at
//! the end of a client note between `<!-- notes-vet:begin -->` and
//! `<!-- notes-vet:end -->`. Only that block is ever touched; the note's BOM
//! and line endings are kept. Duplicated or unbalanced markers, or markers
//! inside a code block, are refused.

use pulldown_cmark::{Event, Parser, Tag};
use std::ops::Range;

pub const BEGIN: &str = "<!-- notes-vet:begin -->";
pub const END: &str = "<!-- notes-vet:end -->";

/// Why a note's annotation block cannot be handled.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal(pub crate::i18n::Msg);

/// Finds the block: the byte range from the start of the BEGIN line to the
/// end of the END line (with its line ending). `body_offset` is where the
/// markdown body starts; markers are only looked for there.
pub fn find_block(text: &str, body_offset: usize) -> Result<Option<Range<usize>>, Refusal> {
    let body = text.get(body_offset..).unwrap_or("");
    let begins: Vec<usize> = body.match_indices(BEGIN).map(|(i, _)| i).collect();
    let ends: Vec<usize> = body.match_indices(END).map(|(i, _)| i).collect();
    if begins.is_empty() && ends.is_empty() {
        return Ok(None);
    }
    if begins.len() > 1 || ends.len() > 1 {
        return Err(Refusal(crate::msg!(
            "annotate-many-markers",
            begins = begins.len(),
            ends = ends.len()
        )));
    }
    let (Some(&b), Some(&e)) = (begins.first(), ends.first()) else {
        return Err(Refusal(crate::msg!("annotate-unbalanced")));
    };
    if e < b {
        return Err(Refusal(crate::msg!("annotate-end-first")));
    }
    for range in code_blocks(body) {
        if range.contains(&b) || range.contains(&e) {
            return Err(Refusal(crate::msg!("annotate-in-code")));
        }
    }
    let start = body[..b].rfind('\n').map_or(0, |i| i + 1);
    let end_line = e + END.len();
    let end = body[end_line..]
        .find('\n')
        .map_or(body.len(), |i| end_line + i + 1);
    Ok(Some(body_offset + start..body_offset + end))
}

fn code_blocks(body: &str) -> Vec<Range<usize>> {
    Parser::new(body)
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::CodeBlock(_)) => Some(range),
            Event::Code(_) => Some(range),
            _ => None,
        })
        .collect()
}

/// The line ending the note uses.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The whole block for `content` (which uses `\n`), in the note's line endings.
fn block(content: &str, nl: &str) -> String {
    let mut out = format!("{BEGIN}{nl}");
    for line in content.trim_end_matches('\n').split('\n') {
        out.push_str(line.trim_end_matches('\r'));
        out.push_str(nl);
    }
    out.push_str(END);
    out.push_str(nl);
    out
}

/// The block's inner text as `\n` lines, for comparing with what was written.
pub fn inner(text: &str, range: &Range<usize>) -> String {
    let raw = &text[range.clone()];
    let after_begin = raw.find(BEGIN).map_or(0, |i| i + BEGIN.len());
    let before_end = raw.rfind(END).unwrap_or(raw.len());
    raw.get(after_begin..before_end)
        .unwrap_or("")
        .replace("\r\n", "\n")
        .trim_matches('\n')
        .to_string()
}

/// The note with its block set to `content`: replaced where it stands, or
/// appended at the end after a blank line.
pub fn with_block(text: &str, body_offset: usize, content: &str) -> Result<String, Refusal> {
    let nl = line_ending(text);
    let new_block = block(content, nl);
    match find_block(text, body_offset)? {
        Some(range) => {
            let last_without_newline = range.end == text.len() && !text.ends_with('\n');
            let block = if last_without_newline {
                new_block.trim_end_matches(['\r', '\n'])
            } else {
                &new_block
            };
            Ok(format!(
                "{}{}{}",
                &text[..range.start],
                block,
                &text[range.end..]
            ))
        }
        None => {
            // After a blank line. A note without a final newline gets a
            // block without one, so that removing it restores the note.
            // The blank line ends as the note's last line does (a note
            // edited on two systems may mix CRLF and LF).
            let mut out = text.to_string();
            if text.ends_with('\n') || text.is_empty() {
                out.push_str(if text.ends_with("\r\n") {
                    "\r\n"
                } else if text.ends_with('\n') {
                    "\n"
                } else {
                    nl
                });
                out.push_str(&new_block);
            } else {
                out.push_str(nl);
                out.push_str(nl);
                out.push_str(new_block.trim_end_matches(['\r', '\n']));
            }
            Ok(out)
        }
    }
}

/// The note without its block (and the blank line added before it).
pub fn without_block(text: &str, body_offset: usize) -> Result<Option<String>, Refusal> {
    let Some(range) = find_block(text, body_offset)? else {
        return Ok(None);
    };
    let nl = line_ending(text);
    let mut head = &text[..range.start];
    let blank = format!("{nl}{nl}");
    // A block that ends the note without a final newline was appended to a
    // note without one: remove both line endings put before it.
    let last_without_newline = range.end == text.len() && !text.ends_with('\n');
    if last_without_newline {
        if head.ends_with(&blank) {
            head = &head[..head.len() - 2 * nl.len()];
        }
    } else if head.ends_with("\r\n\r\n") {
        // The blank line added before the block ends as the line before it.
        head = &head[..head.len() - 2];
    } else if head.ends_with("\n\n") {
        head = &head[..head.len() - 1];
    }
    Ok(Some(format!("{head}{}", &text[range.end..])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_bom_and_crlf() {
        let note = "\u{feff}---\r\nclient: A\r\n---\r\nbody\r\n";
        let body = note.find("body").unwrap();
        let with = with_block(note, body, "> hello\n> world").unwrap();
        assert!(with.starts_with('\u{feff}'));
        assert!(with.ends_with("body\r\n\r\n<!-- notes-vet:begin -->\r\n> hello\r\n> world\r\n<!-- notes-vet:end -->\r\n"));
        let again = with_block(&with, body, "> changed").unwrap();
        assert!(again.contains("> changed\r\n") && !again.contains("hello"));
        assert_eq!(without_block(&again, body).unwrap().unwrap(), note);
    }

    #[test]
    fn round_trip_without_final_newline() {
        for note in [
            "---\nclient: A\n---\nbody",
            "---\nclient: A\n---\nbody\n",
            "---\nclient: A\n---\nbody\n\n",
        ] {
            let with = with_block(note, 18, "x").unwrap();
            let again = with_block(&with, 18, "y").unwrap();
            assert_eq!(
                without_block(&again, 18).unwrap().unwrap(),
                note,
                "{note:?}"
            );
        }
    }

    proptest::proptest! {
        /// Annotate, annotate again with other words, then clean: any note
        /// comes back byte for byte (BOM or not, LF, CRLF or both mixed,
        /// a final newline or none, blank lines at the end).
        #[test]
        fn annotate_then_clean_restores_any_note(
            bom in proptest::bool::ANY,
            front_crlf in proptest::bool::ANY,
            body in proptest::collection::vec(("[a-z #>*-]{0,12}", 0u8..3), 0..6),
            last in 0u8..3,
        ) {
            let nl = |k: u8| match k { 0 => "\n", 1 => "\r\n", _ => "" };
            let fnl = if front_crlf { "\r\n" } else { "\n" };
            let mut note = String::new();
            if bom {
                note.push('\u{feff}');
            }
            note.push_str(&format!("---{fnl}client: A{fnl}---{fnl}"));
            let body_offset = note.len();
            let lines = body.len();
            for (i, (text, ending)) in body.iter().enumerate() {
                note.push_str(text);
                // Every line but the last ends; the last as `last` says.
                note.push_str(if i + 1 == lines { nl(last) } else { nl((*ending).min(1)) });
            }
            let once = with_block(&note, body_offset, "> a\n> b").unwrap();
            let twice = with_block(&once, body_offset, "> c").unwrap();
            proptest::prop_assert_eq!(without_block(&twice, body_offset).unwrap().unwrap(), note.clone());
            proptest::prop_assert_eq!(without_block(&once, body_offset).unwrap().unwrap(), note);
        }
    }

    #[test]
    fn mixed_line_endings_come_back() {
        // CRLF lines, the last one LF: as after editing on Windows, then Linux.
        let note = "---\r\nclient: A\r\n---\r\nbody\r\nlast\n";
        let with = with_block(note, 21, "> x").unwrap();
        assert_eq!(without_block(&with, 21).unwrap().unwrap(), note);
    }

    #[test]
    fn refusals() {
        let two = format!("x\n{BEGIN}\n{END}\n{BEGIN}\n{END}\n");
        assert!(find_block(&two, 0).is_err());
        assert!(find_block(&format!("x\n{BEGIN}\n"), 0).is_err());
        assert!(find_block(&format!("x\n{END}\n{BEGIN}\n"), 0).is_err());
        let fenced = format!("x\n```\n{BEGIN}\n```\n{BEGIN}\n{END}\n");
        assert!(find_block(&fenced, 0).is_err());
    }
}
