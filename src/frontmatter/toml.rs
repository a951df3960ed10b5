//! Loads TOML front matter into the same [`Node`] tree as YAML, using the
//! `toml` crate's spanned document parser. TOML dates and datetimes become
//! the same `YYYY-MM-DD` / `YYYY-MM-DDTHH:MM[:SS]` strings a YAML note holds.

use super::FrontMatterError;
use super::node::{Entry, Node, Pos, Value};
use crate::msg;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Maps byte offsets of the front matter to note lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text,
            starts,
            first_line,
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let idx = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[idx];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line: self.first_line.saturating_add(idx as u32),
            column: column as u32 + 1,
        }
    }
}

/// Parses `text` (front matter starting on note line `first_line`).
pub fn load(text: &str, first_line: u32) -> Result<Node, FrontMatterError> {
    let lines = Lines::new(text, first_line);
    let table = DeTable::parse(text).map_err(|e| {
        let pos = e.span().map(|s| lines.pos(s.start));
        FrontMatterError {
            pos,
            message: msg!("parse-toml", detail = e.message().trim_end()),
        }
    })?;
    let pos = lines.pos(table.span().start);
    Ok(Node::new(
        Value::Map(convert_table(table.get_ref(), &lines)),
        pos,
    ))
}

fn convert_table(table: &DeTable<'_>, lines: &Lines<'_>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_pos: lines.pos(k.span().start),
            value: convert(v, lines),
        })
        .collect();
    // In the order written (the TOML table is sorted by key), as YAML's
    // are: what follows a key in the tree follows it in the note.
    entries.sort_by_key(|e| e.key_pos);
    entries
}

fn convert(v: &Spanned<DeValue<'_>>, lines: &Lines<'_>) -> Node {
    let pos = lines.pos(v.span().start);
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => Value::Int(n),
                Err(_) => Value::Str(i.to_string()),
            }
        }
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => Value::Float(x),
            Err(_) => Value::Str(f.to_string()),
        },
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Str(datetime_text(d)),
        DeValue::Array(items) => Value::Seq(items.iter().map(|i| convert(i, lines)).collect()),
        DeValue::Table(t) => Value::Map(convert_table(t, lines)),
    };
    Node::new(value, pos)
}

/// The text a YAML note would hold for the same date or datetime.
fn datetime_text(d: &toml::value::Datetime) -> String {
    let mut out = String::new();
    if let Some(date) = &d.date {
        out.push_str(&format!(
            "{:04}-{:02}-{:02}",
            date.year, date.month, date.day
        ));
    }
    if let Some(time) = &d.time {
        if !out.is_empty() {
            out.push('T');
        }
        out.push_str(&format!("{:02}:{:02}", time.hour, time.minute));
        if let Some(s) = time
            .second
            .filter(|&s| s != 0 || time.nanosecond.unwrap_or(0) != 0)
        {
            out.push_str(&format!(":{s:02}"));
        }
    }
    if d.offset.is_some() {
        // Offsets are not part of the note format; keep them visible so that
        // the date parser reports the value instead of silently dropping it.
        return d.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_strings() {
        let n = load(
            "client = \"A\"\nsince = 2026-11-23\nat = 2026-11-23T10:30:00\n",
            2,
        )
        .unwrap();
        assert_eq!(
            n.get("since").unwrap().value.value,
            Value::Str("2026-11-23".into())
        );
        assert_eq!(
            n.get("at").unwrap().value.value,
            Value::Str("2026-11-23T10:30".into())
        );
        assert_eq!(n.get("since").unwrap().key_pos, Pos { line: 3, column: 1 });
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = load("a = 1\na = 2\n", 2).unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(3));
    }

    #[test]
    fn array_of_tables_positions() {
        let n = load(
            "client = \"A\"\n[[contacts]]\nat = 2026-01-01\n[[contacts]]\nat = 2026-01-02\n",
            2,
        )
        .unwrap();
        let Value::Seq(items) = &n.get("contacts").unwrap().value.value else {
            panic!()
        };
        assert_eq!(items[1].get("at").unwrap().key_pos.line, 6);
    }
}
