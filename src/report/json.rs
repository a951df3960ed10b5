//! The `--format json` document of the README's "JSON report": one JSON object with
//! `today`, `notes`, `folder`, `skipped` and `errors`.

use crate::engine::{Finding, NoteError, NoteReport, Report, Tally};
use crate::rules::Ruleset;
use serde::Serialize;

#[derive(Serialize)]
struct JsonNote<'a> {
    path: &'a str,
    client: &'a str,
    status: &'static str,
    verdict: &'static str,
    score: u32,
    findings: Vec<JsonFinding<'a>>,
    suppressed: &'a [String],
    outputs: &'a [String],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
    field: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonFolderFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    message: &'a str,
}

fn note<'a>(n: &'a NoteReport, rules: &'a Ruleset) -> JsonNote<'a> {
    JsonNote {
        path: &n.path,
        client: &n.client,
        status: n.status.as_str(),
        verdict: n.verdict.as_str(),
        score: n.score,
        findings: n.findings.iter().map(|f| finding(f, rules)).collect(),
        suppressed: &n.suppressed,
        outputs: &n.outputs,
    }
}

fn finding<'a>(f: &'a Finding, rules: &'a Ruleset) -> JsonFinding<'a> {
    let meta = &rules.rule(f.rule).meta;
    JsonFinding {
        code: &meta.code,
        name: &meta.name,
        severity: f.severity.as_str(),
        message: &f.message,
        field: &f.field,
        line: f.pos.line,
        column: f.pos.column,
    }
}

fn error(e: &NoteError) -> JsonError<'_> {
    JsonError {
        path: &e.path,
        line: e.pos.map(|p| p.line),
        column: e.pos.map(|p| p.column),
        message: &e.message,
    }
}

/// Appends `doc` as compact JSON, exactly as `serde_json::to_writer`
/// writes it: by hand, as the report of a large folder is mostly strings
/// that need no escaping, and serde_json looks up each of their bytes.
fn compact_note(out: &mut Vec<u8>, doc: &JsonNote<'_>) {
    use std::io::Write;
    // Writing to a vector does not fail.
    let number = |out: &mut Vec<u8>, key: &[u8], n: u32| {
        out.extend_from_slice(key);
        let _ = write!(out, "{n}");
    };
    let texts = |out: &mut Vec<u8>, members: &[(&[u8], &str)]| {
        for (key, s) in members {
            out.extend_from_slice(key);
            string(out, s);
        }
    };
    texts(
        out,
        &[
            (b"{\"path\":", doc.path),
            (b",\"client\":", doc.client),
            (b",\"status\":", doc.status),
            (b",\"verdict\":", doc.verdict),
        ],
    );
    number(out, b",\"score\":", doc.score);
    out.extend_from_slice(b",\"findings\":");
    array(out, &doc.findings, |out, f| {
        texts(
            out,
            &[
                (b"{\"code\":", f.code),
                (b",\"name\":", f.name),
                (b",\"severity\":", f.severity),
                (b",\"message\":", f.message),
                (b",\"field\":", f.field),
            ],
        );
        number(out, b",\"line\":", f.line);
        number(out, b",\"column\":", f.column);
        out.push(b'}');
    });
    out.extend_from_slice(b",\"suppressed\":");
    array(out, doc.suppressed, |out, s| string(out, s));
    out.extend_from_slice(b",\"outputs\":");
    array(out, doc.outputs, |out, s| string(out, s));
    out.push(b'}');
}

/// Appends `items` as a JSON array, each written by `each`.
fn array<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

/// Appends `s` as a JSON string: as it is, quoted, when no byte of it needs
/// escaping (a check the compiler makes a few bytes at a time), else as
/// serde_json escapes it.
fn string(out: &mut Vec<u8>, s: &str) {
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20 && b != b'"' && b != b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a vector does not fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Writes the JSON document of a run while its notes stream past: call
/// [`JsonStream::note`] for each note in order, then [`JsonStream::finish`].
pub struct JsonStream<'w> {
    out: &'w mut dyn std::io::Write,
    pretty: bool,
    first: bool,
    buf: Vec<u8>,
}

impl<'w> JsonStream<'w> {
    /// Starts the document. `pretty` indents it for a person to read.
    pub fn begin(
        out: &'w mut dyn std::io::Write,
        today: jiff::civil::Date,
        pretty: bool,
    ) -> std::io::Result<Self> {
        if pretty {
            write!(out, "{{\n  \"today\": \"{today}\",\n  \"notes\": [")?;
        } else {
            write!(out, "{{\"today\":\"{today}\",\"notes\":[")?;
        }
        Ok(JsonStream {
            out,
            pretty,
            first: true,
            buf: Vec::with_capacity(4096),
        })
    }

    pub fn note(&mut self, n: &NoteReport, rules: &Ruleset) -> std::io::Result<()> {
        let doc = note(n, rules);
        self.buf.clear();
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        if self.pretty {
            self.buf.extend_from_slice(b"\n    ");
            let inner = serde_json::to_vec_pretty(&doc).map_err(std::io::Error::other)?;
            for &b in &inner {
                self.buf.push(b);
                if b == b'\n' {
                    self.buf.extend_from_slice(b"    ");
                }
            }
        } else {
            compact_note(&mut self.buf, &doc);
        }
        self.out.write_all(&self.buf)
    }

    /// Ends the document with the folder findings, skipped count and errors.
    pub fn finish(self, tally: &Tally, rules: &Ruleset) -> std::io::Result<()> {
        let folder = folder_findings(&tally.folder, rules);
        let errors: Vec<JsonError<'_>> = tally.errors.iter().map(error).collect();
        let tail = JsonTail {
            folder,
            skipped: tally.skipped,
            linked: tally.linked,
            errors,
            kept: &tally.kept,
        };
        let text = if self.pretty {
            serde_json::to_string_pretty(&tail).map_err(std::io::Error::other)?
        } else {
            serde_json::to_string(&tail).map_err(std::io::Error::other)?
        };
        // `tail` is an object: splice its members in after the notes array.
        let members = text.strip_prefix('{').unwrap_or(&text);
        let close = if self.pretty && !self.first {
            "\n  ],"
        } else {
            "],"
        };
        write!(self.out, "{close}{members}")?;
        writeln!(self.out)
    }
}

#[derive(Serialize)]
struct JsonTail<'a> {
    folder: Vec<JsonFolderFinding<'a>>,
    skipped: usize,
    /// Notes about a client that link to its note (not vetted).
    linked: usize,
    errors: Vec<JsonError<'a>>,
    /// Generated files kept because the user edited them (extra key).
    kept: &'a [crate::engine::Kept],
}

/// Writes a whole report as one JSON document.
pub fn write(
    report: &Report,
    rules: &Ruleset,
    pretty: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut stream = JsonStream::begin(out, report.tally.today, pretty)?;
    for n in &report.notes {
        stream.note(n, rules)?;
    }
    stream.finish(&report.tally, rules)
}

/// A note as the JSON object of the README's "JSON report" (for `watch`'s lines).
pub fn note_value(n: &NoteReport, rules: &Ruleset) -> serde_json::Value {
    serde_json::to_value(note(n, rules)).unwrap_or_default()
}

/// An unreadable note as the error object of the README's "JSON report".
pub fn error_value(e: &NoteError) -> serde_json::Value {
    serde_json::to_value(error(e)).unwrap_or_default()
}

/// Folder-level findings as the `folder` list of the README's "JSON report".
pub fn folder_value(findings: &[Finding], rules: &Ruleset) -> serde_json::Value {
    serde_json::to_value(folder_findings(findings, rules)).unwrap_or_default()
}

fn folder_findings<'a>(findings: &'a [Finding], rules: &'a Ruleset) -> Vec<JsonFolderFinding<'a>> {
    findings
        .iter()
        .map(|f| {
            let meta = &rules.rule(f.rule).meta;
            JsonFolderFinding {
                code: &meta.code,
                name: &meta.name,
                severity: f.severity.as_str(),
                message: &f.message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::Pos;
    use crate::model::Status;
    use crate::rules::{Registry, Severity};
    use crate::verdict::Verdict;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        // Plain text, and what JSON escapes: quotes, backslashes, control
        // characters, DEL, and characters beyond ASCII.
        prop::string::string_regex("([a-z /.:-]|\"|\\\\|[\\x00-\\x1f]|\\x7f|é|ş|🙂){0,12}").unwrap()
    }

    proptest! {
        /// The hand-written compact form is serde_json's, byte for byte.
        #[test]
        fn a_note_is_written_as_serde_json_writes_it(
            path in text(), client in text(), score in any::<u32>(),
            findings in prop::collection::vec((0..19usize, text(), text(), any::<u32>(), any::<u32>()), 0..4),
            suppressed in prop::collection::vec(text(), 0..3),
            outputs in prop::collection::vec(text(), 0..3),
        ) {
            let config = crate::config::Config::defaults(std::path::Path::new("/notes"));
            let rules = Ruleset::new(Registry::builtin(), &config).unwrap();
            let report = NoteReport {
                path,
                client,
                status: Status::Prospect,
                since: None,
                verdict: Verdict::Caution,
                score,
                findings: findings
                    .into_iter()
                    .map(|(rule, field, message, line, column)| Finding {
                        rule,
                        severity: Severity::Warn,
                        weight: 1,
                        field,
                        pos: Pos { line, column },
                        message,
                        source: None,
                    })
                    .collect(),
                suppressed,
                outputs,
            };
            let doc = note(&report, &rules);
            let mut ours = Vec::new();
            compact_note(&mut ours, &doc);
            prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&doc).unwrap());
        }
    }
}
