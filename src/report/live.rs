//! What `watch` prints as things change: one short, timestamped line per
//! change for a person (`16:04:12  clients/acme.md  caution → let go
//! (+NV204 aggressive-tone)`), or one JSON object per line as the README's
//! "Watching a folder" says.

use super::human::{PALETTE, paint, verdict_label};
use super::json;
use super::visible;
use crate::msg;
use crate::rules::Ruleset;
use crate::watch::LiveEvent;
use serde_json::{Map, Value, json};

/// The human line(s) for an event, ending in a newline; empty for events
/// a person does not need to see. `time` is `HH:MM:SS`.
pub fn human(event: &LiveEvent<'_>, rules: &Ruleset, time: &str) -> String {
    let words = &rules.catalog;
    let stamp = paint(PALETTE.dim, time);
    let error = || paint(PALETTE.error, words.get("severity-error"));
    let name = |code: &str| {
        rules
            .registry
            .find(code)
            .map(|(_, r)| format!("{code} {}", r.meta.name))
            .unwrap_or_else(|| code.to_string())
    };
    match event {
        LiveEvent::Report(_) | LiveEvent::Ready { .. } => String::new(),
        LiveEvent::Unchanged(note) => format!(
            "{stamp}  {}  {}  {}\n",
            paint(PALETTE.bold, visible(&note.path)),
            verdict_label(words, note.verdict),
            words.get("live-unchanged")
        ),
        LiveEvent::Note {
            note,
            previous,
            was_error,
            added,
            removed,
        } => {
            let verdict = match previous {
                None if *was_error => {
                    format!("{} → {}", error(), verdict_label(words, note.verdict))
                }
                None => format!(
                    "{} → {}",
                    words.get("live-new"),
                    verdict_label(words, note.verdict)
                ),
                Some(p) if *p != note.verdict => format!(
                    "{} → {}",
                    verdict_label(words, *p),
                    verdict_label(words, note.verdict)
                ),
                Some(_) => verdict_label(words, note.verdict),
            };
            let mut changes: Vec<String> = added.iter().map(|c| format!("+{}", name(c))).collect();
            changes.extend(removed.iter().map(|c| format!("-{}", name(c))));
            let tail = if changes.is_empty() {
                format!(
                    "  ({})",
                    words.msg(&msg!("report-score", score = note.score))
                )
            } else {
                format!("  ({})", changes.join(", "))
            };
            format!(
                "{stamp}  {}  {verdict}{tail}\n",
                paint(PALETTE.bold, visible(&note.path))
            )
        }
        LiveEvent::Removed {
            path,
            outputs_removed,
        } => {
            format!(
                "{stamp}  {}  {}\n",
                paint(PALETTE.bold, visible(path)),
                words.msg(&msg!("live-removed", count = outputs_removed.len()))
            )
        }
        LiveEvent::Error(e) => {
            let at = match e.pos {
                Some(p) => format!("{}:{}:{}", visible(&e.path), p.line, p.column),
                None => visible(&e.path).into_owned(),
            };
            format!(
                "{stamp}  {}  {}: {}\n",
                paint(PALETTE.bold, at),
                error(),
                visible(&e.message)
            )
        }
        LiveEvent::Folder(findings) => {
            if findings.is_empty() {
                return format!(
                    "{stamp}  {}  {}\n",
                    words.get("live-folder"),
                    words.get("live-no-folder-findings")
                );
            }
            findings
                .iter()
                .map(|f| {
                    let meta = &rules.rule(f.rule).meta;
                    format!(
                        "{stamp}  {}  {} {}: {}\n",
                        words.get("live-folder"),
                        paint(PALETTE.warn, &meta.code),
                        visible(&meta.name),
                        visible(&f.message)
                    )
                })
                .collect()
        }
        LiveEvent::Config {
            ok: true, message, ..
        } => format!(
            "{stamp}  {}  {}\n",
            words.get("live-config"),
            visible(message)
        ),
        LiveEvent::Config {
            ok: false,
            message,
            path,
            line,
        } => {
            let at = match (path, line) {
                (Some(p), Some(l)) => format!("{p}:{l}"),
                (Some(p), None) => p.to_string(),
                _ => words.get("live-config"),
            };
            // The message may already start with the path.
            let message = path
                .and_then(|p| message.strip_prefix(&format!("{p}: ")))
                .unwrap_or(message);
            format!(
                "{stamp}  {}  {}: {}\n",
                paint(PALETTE.bold, visible(&at)),
                error(),
                visible(message)
            )
        }
        LiveEvent::Rescan { reason } => {
            format!("{stamp}  {}  {reason}\n", words.get("live-rescan"))
        }
        LiveEvent::Kept(k) => format!(
            "{stamp}  {}  {}\n",
            paint(PALETTE.bold, visible(&k.path)),
            words.msg(&msg!("live-kept", reason = visible(&k.reason)))
        ),
        LiveEvent::Notice(text) => {
            format!(
                "{stamp}  {}: {}\n",
                paint(PALETTE.warn, words.get("report-note")),
                visible(text)
            )
        }
    }
}

/// The JSON line for an event (the README's "Watching a folder"), or None for the first
/// pass's per-note reports, which go out as `note` events too. `time` is
/// RFC 3339 with the offset.
pub fn json_line(event: &LiveEvent<'_>, rules: &Ruleset, time: &str) -> Option<String> {
    let mut obj = Map::new();
    obj.insert("time".into(), json!(time));
    let (kind, extra): (&str, Value) = match event {
        // Not an event of the README's "Watching a folder": nothing in the report changed.
        LiveEvent::Unchanged(_) => return None,
        LiveEvent::Report(note) => {
            let mut v = json::note_value(note, rules);
            if let Value::Object(m) = &mut v {
                m.insert("previous_verdict".into(), Value::Null);
            }
            ("note", v)
        }
        LiveEvent::Note { note, previous, .. } => {
            let mut v = json::note_value(note, rules);
            if let Value::Object(m) = &mut v {
                m.insert(
                    "previous_verdict".into(),
                    previous.map_or(Value::Null, |p| json!(p.as_str())),
                );
            }
            ("note", v)
        }
        LiveEvent::Ready { tally, .. } => {
            let verdicts: Map<String, Value> = tally
                .verdict_counts()
                .into_iter()
                .map(|(v, n)| (v.as_str().to_string(), json!(n)))
                .collect();
            (
                "ready",
                json!({
                    "today": tally.today.to_string(),
                    "notes": tally.notes,
                    "skipped": tally.skipped,
                    "linked": tally.linked,
                    "errors": tally.errors.len(),
                    "verdicts": verdicts,
                }),
            )
        }
        LiveEvent::Removed {
            path,
            outputs_removed,
        } => (
            "removed",
            json!({"path": path, "outputs_removed": outputs_removed}),
        ),
        LiveEvent::Error(e) => ("error", json::error_value(e)),
        LiveEvent::Folder(findings) => (
            "folder",
            json!({"folder": json::folder_value(findings, rules)}),
        ),
        LiveEvent::Config {
            ok,
            message,
            path,
            line,
        } => {
            let mut m = Map::new();
            m.insert("ok".into(), json!(ok));
            m.insert("message".into(), json!(message));
            if !ok {
                m.insert("path".into(), json!(path));
                m.insert("line".into(), json!(line));
            }
            ("config", Value::Object(m))
        }
        LiveEvent::Rescan { reason } => ("rescan", json!({"reason": reason})),
        LiveEvent::Kept(k) => {
            let mut m = Map::new();
            m.insert("path".into(), json!(k.path));
            m.insert("reason".into(), json!(k.reason));
            if let Some(d) = &k.draft {
                m.insert("draft".into(), json!(d));
            }
            ("kept", Value::Object(m))
        }
        LiveEvent::Notice(text) => ("notice", json!({"message": text})),
    };
    obj.insert("event".into(), json!(kind));
    if let Value::Object(m) = extra {
        obj.extend(m);
    }
    serde_json::to_string(&Value::Object(obj)).ok()
}
