//! The `--format json` document of SPEC section 6: one JSON object with
//! `today`, `notes`, `folder`, `skipped` and `errors`.

use crate::engine::{Finding, NoteError, NoteReport, Report};
use crate::rules::Ruleset;
use serde::Serialize;

#[derive(Serialize)]
struct JsonReport<'a> {
    today: String,
    notes: Vec<JsonNote<'a>>,
    folder: Vec<JsonFolderFinding<'a>>,
    skipped: usize,
    errors: Vec<JsonError<'a>>,
}

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

/// Writes the report as one pretty-printed JSON document and a newline.
pub fn write(
    report: &Report,
    rules: &Ruleset,
    pretty: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = JsonReport {
        today: report.today.to_string(),
        notes: report.notes.iter().map(|n| note(n, rules)).collect(),
        folder: report
            .folder
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
            .collect(),
        skipped: report.skipped,
        errors: report.errors.iter().map(error).collect(),
    };
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    } else {
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::other)?;
    }
    writeln!(out)
}
