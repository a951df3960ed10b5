//! Human output that reads like rustc or ruff: for every client note a
//! verdict line, then each finding with `path:line:col`, code, name,
//! severity, message, the front matter line and the rule's advice; then
//! folder findings, unreadable notes and a closing tally.

use super::visible;
use crate::engine::{Finding, NoteError, NoteReport, Report, Tally};
use crate::i18n::Catalog;
use crate::msg;
use crate::rules::{Ruleset, Severity};
use crate::verdict::Verdict;
use anstyle::{AnsiColor, Effects, Style};
use std::fmt::Write as _;

/// What to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Only notes with findings, errors and the tally.
    pub quiet: bool,
}

pub(crate) struct Palette {
    pub(crate) error: Style,
    pub(crate) warn: Style,
    pub(crate) info: Style,
    pub(crate) gutter: Style,
    pub(crate) bold: Style,
    pub(crate) dim: Style,
    pub(crate) good: Style,
}

pub(crate) const PALETTE: Palette = Palette {
    error: AnsiColor::Red.on_default().effects(Effects::BOLD),
    warn: AnsiColor::Yellow.on_default().effects(Effects::BOLD),
    info: AnsiColor::Cyan.on_default().effects(Effects::BOLD),
    gutter: AnsiColor::Blue.on_default().effects(Effects::BOLD),
    bold: Style::new().effects(Effects::BOLD),
    dim: Style::new().effects(Effects::DIMMED),
    good: AnsiColor::Green.on_default().effects(Effects::BOLD),
};

/// Whether reports are written without colour from now on (see
/// [`write_plain`]).
static PLAIN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes reports from now on without colour codes, for a file or a pipe
/// (or `--color never`): made plain rather than painted and then stripped,
/// which took more time than the rest of a re-run of 10,000 notes. User
/// text is made visible ([`crate::report::visible`]) either way, so plain
/// text holds no escape sequence.
pub fn write_plain(plain: bool) {
    PLAIN.store(plain, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn paint(style: Style, text: impl std::fmt::Display) -> String {
    if PLAIN.load(std::sync::atomic::Ordering::Relaxed) {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

fn severity_label(words: &Catalog, s: Severity) -> String {
    let style = match s {
        Severity::Error => PALETTE.error,
        Severity::Warn => PALETTE.warn,
        Severity::Info | Severity::Off => PALETTE.info,
    };
    paint(style, words.get(&format!("severity-{}", s.as_str())))
}

/// A verdict as a person reads it, in colour: the same label the summaries
/// and `explain` use.
pub(crate) fn verdict_label(words: &Catalog, v: Verdict) -> String {
    let style = match v.urgency() {
        0 => PALETTE.error,
        1 => PALETTE.warn,
        2 => PALETTE.info,
        3 => PALETTE.good,
        _ => PALETTE.dim,
    };
    paint(style, words.get(&format!("verdict-{}", v.as_str())))
}

/// Renders a whole report with ANSI styles; the caller's stream strips them
/// when colour is off.
pub fn render(report: &Report, rules: &Ruleset, opts: HumanOptions) -> String {
    let mut out = String::new();
    for note in &report.notes {
        out.push_str(&note_text(note, rules, opts));
    }
    out.push_str(&closing_text(&report.tally, rules));
    out
}

/// One note's block: its verdict line and its findings (empty when quiet
/// and the note has no findings).
pub fn note_text(note: &NoteReport, rules: &Ruleset, opts: HumanOptions) -> String {
    let mut out = String::new();
    if !(opts.quiet && note.findings.is_empty() && note.suppressed.is_empty()) {
        render_note(&mut out, note, rules);
    }
    out
}

/// What follows the notes: unreadable notes, folder findings and the tally.
pub fn closing_text(report: &Tally, rules: &Ruleset) -> String {
    let words = &rules.catalog;
    let mut out = String::new();
    for e in &report.errors {
        render_error(&mut out, e, words);
    }
    for f in &report.folder {
        let meta = &rules.rule(f.rule).meta;
        header(&mut out, f, meta, words);
        let _ = writeln!(
            out,
            "  {} {}",
            paint(PALETTE.gutter, "-->"),
            words.get("report-folder-finding")
        );
        let _ = writeln!(
            out,
            "   {} {} {}\n",
            paint(PALETTE.gutter, "="),
            paint(PALETTE.bold, words.get("report-advice")),
            visible(&meta.advice)
        );
    }
    for k in &report.kept {
        let _ = writeln!(
            out,
            "{}: {}",
            paint(PALETTE.info, words.get("report-note")),
            words.msg(&msg!(
                "report-kept",
                path = paint(PALETTE.bold, visible(&k.path)),
                reason = visible(&k.reason)
            ))
        );
    }
    if !report.kept.is_empty() {
        out.push('\n');
    }
    render_tally(&mut out, report, words);
    out
}

fn render_note(out: &mut String, note: &NoteReport, rules: &Ruleset) {
    let words = &rules.catalog;
    let _ = writeln!(
        out,
        "{}: {} ({}) {} {} ({})",
        paint(PALETTE.bold, visible(&note.path)),
        visible(&note.client),
        words.get(&format!("status-{}", note.status.as_str())),
        paint(PALETTE.dim, "→"),
        verdict_label(words, note.verdict),
        words.msg(&msg!("report-score", score = note.score))
    );
    for f in &note.findings {
        render_finding(out, &note.path, f, rules);
    }
    if !note.suppressed.is_empty() {
        let _ = writeln!(
            out,
            "   {} {}",
            paint(PALETTE.gutter, "="),
            words.msg(&msg!(
                "report-suppressed",
                codes = visible(&note.suppressed.join(", "))
            ))
        );
    }
    out.push('\n');
}

/// `warning[NV201] excessive-contact: message`
fn header(out: &mut String, f: &Finding, meta: &crate::rules::RuleMeta, words: &Catalog) {
    let _ = writeln!(
        out,
        "{}{} {}: {}",
        severity_label(words, f.severity),
        paint(PALETTE.bold, format!("[{}]", visible(&meta.code))),
        paint(PALETTE.bold, visible(&meta.name)),
        visible(&f.message)
    );
}

fn render_finding(out: &mut String, path: &str, f: &Finding, rules: &Ruleset) {
    let meta = &rules.rule(f.rule).meta;
    header(out, f, meta, &rules.catalog);
    snippet(
        out,
        path,
        f.pos.line,
        f.pos.column,
        f.source.as_deref(),
        &f.field,
    );
    let _ = writeln!(
        out,
        "{}{} {} {}",
        pad(f.pos.line),
        paint(PALETTE.gutter, "="),
        paint(PALETTE.bold, rules.catalog.get("report-advice")),
        visible(&meta.advice)
    );
}

fn pad(line: u32) -> String {
    " ".repeat(line.to_string().len() + 1)
}

/// The `--> path:line:col` pointer, the source line and a caret under the
/// key or value.
fn snippet(
    out: &mut String,
    path: &str,
    line: u32,
    column: u32,
    source: Option<&str>,
    label: &str,
) {
    let gutter = pad(line);
    let path = visible(path);
    let label = visible(label);
    let _ = writeln!(
        out,
        "{}{} {path}:{line}:{column}",
        &gutter[1..],
        paint(PALETTE.gutter, "-->")
    );
    let Some(src) = source else { return };
    let bar = paint(PALETTE.gutter, "|");
    let _ = writeln!(out, "{gutter}{bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        paint(PALETTE.gutter, line),
        visible(src).replace('\t', "    ")
    );
    let start = column.saturating_sub(1) as usize;
    let width = token_width(src.chars().skip(start));
    let _ = writeln!(
        out,
        "{gutter}{bar} {}{} {}",
        " ".repeat(
            src.chars()
                .take(start)
                .map(|c| match c {
                    '\t' => 4,
                    c => visible(c.encode_utf8(&mut [0; 4])).chars().count(),
                })
                .sum()
        ),
        paint(PALETTE.warn, "^".repeat(width)),
        paint(PALETTE.warn, &*label)
    );
}

/// How many characters the key or value starting here spans: a quoted
/// string up to its closing quote, or a run of word characters.
fn token_width(mut chars: impl Iterator<Item = char>) -> usize {
    let Some(first) = chars.next() else { return 1 };
    if first == '"' || first == '\'' {
        let mut n = 1;
        for c in chars {
            n += 1;
            if c == first {
                return n;
            }
        }
        return n;
    }
    if !(first.is_alphanumeric() || first == '_') {
        return 1;
    }
    1 + chars
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .count()
}

fn render_error(out: &mut String, e: &NoteError, words: &Catalog) {
    let _ = writeln!(
        out,
        "{}: {}",
        paint(PALETTE.error, words.get("severity-error")),
        paint(PALETTE.bold, visible(&e.message))
    );
    match e.pos {
        Some(p) => snippet(out, &e.path, p.line, p.column, e.source.as_deref(), ""),
        None => {
            let _ = writeln!(
                out,
                "  {} {}",
                paint(PALETTE.gutter, "-->"),
                visible(&e.path)
            );
        }
    }
    let _ = writeln!(
        out,
        "   {} {}\n",
        paint(PALETTE.gutter, "="),
        words.get("report-not-vetted")
    );
}

fn render_tally(out: &mut String, report: &Tally, words: &Catalog) {
    let counts: Vec<String> = report
        .verdict_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(v, n)| format!("{} {}", words.number(n as f64), verdict_label(words, v)))
        .collect();
    let errors = match report.errors.len() {
        0 => String::new(),
        n => format!(
            ", {}",
            paint(PALETTE.error, words.msg(&msg!("count-errors", count = n)))
        ),
    };
    let notes = words.msg(&msg!("count-client-notes", count = report.notes));
    let skipped = words.msg(&msg!(
        "report-skipped",
        skipped = report.skipped,
        templates = report.templates,
        linked = report.linked
    ));
    let _ = write!(
        out,
        "{} {notes} ({skipped}{errors})",
        paint(PALETTE.bold, words.get("report-vetted")),
    );
    if counts.is_empty() {
        out.push('\n');
    } else {
        let _ = writeln!(out, ": {}", counts.join(", "));
    }
}
