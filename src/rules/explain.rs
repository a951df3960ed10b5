//! The text of `notes-vet explain CODE` and the README's rule table, both
//! made from the registry so they cannot drift from the rules.

use super::{Effective, Registry, Rule, Scope};
use std::fmt::Write as _;

/// The long explanation of one rule, with its effective settings.
pub fn render(rule: &Rule, eff: &Effective) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}\n", m.code, m.name, m.summary);
    let _ = writeln!(
        out,
        "Severity: {} (default {}), weight {}",
        eff.severity, m.severity, eff.weight
    );
    let scope = match m.scope {
        Scope::Note => "each client note",
        Scope::AfterVerdict => "each client note, after its verdict (never changes it)",
        Scope::Folder => "the whole folder, once",
    };
    let _ = writeln!(out, "Runs on: {scope}");
    let _ = writeln!(out, "From: {}\n", m.origin);
    let _ = writeln!(out, "{}\n", m.explanation.trim_end());
    let keys: Vec<String> = m.keys.iter().map(|k| format!("`{k}`")).collect();
    let _ = writeln!(out, "Reads: {}\n", keys.join(", "));
    if m.options.is_empty() {
        let _ = writeln!(out, "Options: none besides `severity` and `weight`.\n");
    } else {
        let _ = writeln!(
            out,
            "Options (set them in `[rules.{}]` of notes-vet.toml):",
            m.code
        );
        for o in &m.options {
            let current = eff
                .options
                .get(&o.name)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let default = o.default.to_string();
            let now = if current != default {
                format!(", now {current}")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  {} = {default}{now}\n      {}", o.name, o.help);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Example that fires (today = {}):\n",
        super::EXAMPLE_TODAY
    );
    let _ = writeln!(out, "    ---");
    for line in m.example.lines() {
        let _ = writeln!(out, "    {line}");
    }
    let _ = writeln!(out, "    ---\n");
    let _ = writeln!(out, "Advice: {}", m.advice);
    out
}

/// The README's table of rules.
pub fn markdown_table(registry: &Registry) -> String {
    let mut out = String::from("| code | name | default | summary |\n|---|---|---|---|\n");
    for r in registry.rules() {
        let m = &r.meta;
        let weight = match m.weight {
            Some(w) => format!(" (weight {w})"),
            None => String::new(),
        };
        let opts: Vec<String> = m
            .options
            .iter()
            .map(|o| format!("`{}` = {}", o.name, o.default))
            .collect();
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!(" Options: {}.", opts.join(", "))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {}{weight} | {}.{opts} |",
            m.code, m.name, m.severity, m.summary
        );
    }
    out
}
