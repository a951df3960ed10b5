//! What hovering shows: on a rule code (in a diagnostic's line or in
//! `vet_ignore`), the rule's `explain` text; on a known key, the rules that
//! read it; on `client`, the note's verdict and score.

use super::text::Text;
use crate::engine::NoteReport;
use crate::frontmatter::{Node, Value};
use crate::model::TOP_KEYS;
use crate::rules::Ruleset;

/// The hover text (markdown) at byte `offset` of `text`, if any.
pub fn hover(
    text: &Text,
    offset: usize,
    root: Option<&Node>,
    ruleset: &Ruleset,
    report: Option<&NoteReport>,
) -> Option<String> {
    let words = &ruleset.catalog;
    let token = token_at(text.as_str(), offset)?;
    if let Some((index, rule)) = ruleset.registry.find(token) {
        let eff = ruleset.effective.get(index)?;
        let body = crate::rules::explain::render(rule, eff, words);
        return Some(format!("```text\n{}\n```", body.trim_end()));
    }
    let line = text.line_of(offset) as u32 + 1;
    let root = root?;
    // On the `client` line (its key or the name): the verdict.
    let on_client = root.get("client").is_some_and(|e| e.key_pos.line == line);
    let key = match key_at(root, line, token) {
        Some(k) => k,
        None if on_client => "client".to_string(),
        None => return None,
    };
    let top = key.split(['.', '[']).next().unwrap_or(&key).to_string();
    let mut out = String::new();
    if top == "client"
        && let Some(r) = report
    {
        out.push_str(&format!("**{}**: ", r.client.replace('*', "\\*")));
        out.push_str(&words.msg(&crate::msg!(
            "summary-verdict",
            verdict = words.get(&format!("verdict-{}", r.verdict.as_str())),
            score = r.score
        )));
        out.push_str("\n\n");
    }
    if !TOP_KEYS.contains(&top.as_str()) {
        return (!out.is_empty()).then(|| out.trim_end().to_string());
    }
    let readers: Vec<String> = ruleset
        .iter()
        .filter(|(_, r, _)| r.meta.keys.iter().any(|k| k == &top))
        .map(|(_, r, _)| format!("- `{}` {}: {}", r.meta.code, r.meta.label, r.meta.summary))
        .collect();
    if readers.is_empty() {
        // The verdict says enough about `client`.
        if out.is_empty() {
            out.push_str(&words.msg(&crate::msg!("lsp-key-unread", key = top)));
        }
    } else {
        out.push_str(&words.msg(&crate::msg!("lsp-key-read-by", key = top)));
        out.push('\n');
        out.push_str(&readers.join("\n"));
    }
    Some(out.trim_end().to_string())
}

/// The word (letters, digits, `_`, `-`) at byte `offset`.
fn token_at(text: &str, offset: usize) -> Option<&str> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text[offset..]
            .char_indices()
            .find(|(_, c)| !word(*c))
            .map_or(text.len() - offset, |(i, _)| i);
    (end > start).then(|| &text[start..end])
}

/// The key path of the mapping key `token` written on `line` (1-based).
fn key_at(root: &Node, line: u32, token: &str) -> Option<String> {
    fn walk(node: &Node, path: &str, line: u32, token: &str) -> Option<String> {
        match &node.value {
            Value::Map(entries) => entries.iter().find_map(|e| {
                let here = if path.is_empty() {
                    e.key.clone()
                } else {
                    format!("{path}.{}", e.key)
                };
                if e.key_pos.line == line && e.key == token {
                    return Some(here);
                }
                walk(&e.value, &here, line, token)
            }),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, n)| walk(n, &format!("{path}[{i}]"), line, token)),
            _ => None,
        }
    }
    walk(root, "", line, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_around_the_offset() {
        let s = "vet_ignore: [NV201, nv101]";
        assert_eq!(token_at(s, 15), Some("NV201"));
        assert_eq!(token_at(s, 13), Some("NV201"));
        assert_eq!(token_at(s, 2), Some("vet_ignore"));
        assert_eq!(token_at(s, 12), None);
    }
}

#[cfg(test)]
mod keys {
    use super::*;

    #[test]
    fn keys_inside_list_entries_are_found() {
        let note = "---\nclient: A\ncontacts:\n  - {at: 2026-01-01, tone: rude}\n  - at: 2026-01-02\n    tone: rude\n---\n";
        let root = crate::frontmatter::parse(note)
            .unwrap()
            .unwrap()
            .root
            .unwrap();
        assert_eq!(
            key_at(&root, 4, "tone").as_deref(),
            Some("contacts[0].tone")
        );
        assert_eq!(
            key_at(&root, 6, "tone").as_deref(),
            Some("contacts[1].tone")
        );
    }
}
