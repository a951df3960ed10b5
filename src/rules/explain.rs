//! The text of `notes-vet explain CODE` and the README's rule table, both
//! made from the registry so they cannot drift from the rules.

use super::{Effective, Registry, Rule, Scope};
use crate::i18n::Catalog;
use crate::msg;
use std::fmt::Write as _;

/// The long explanation of one rule, with its effective settings, in the
/// words of `words`.
pub fn render(rule: &Rule, eff: &Effective, words: &Catalog) -> String {
    let m = &rule.meta;
    let severity = |s: crate::rules::Severity| words.get(&format!("severity-{}", s.as_str()));
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({}): {}\n", m.code, m.label, m.name, m.summary);
    let _ = writeln!(
        out,
        "{}",
        words.msg(&msg!(
            "explain-severity",
            severity = severity(eff.severity),
            default = severity(m.severity),
            weight = eff.weight
        ))
    );
    let scope = match m.scope {
        Scope::Note => "note",
        Scope::AfterVerdict => "after-verdict",
        Scope::Folder => "folder",
    };
    let _ = writeln!(
        out,
        "{}",
        words.msg(&msg!("explain-runs-on", scope = scope))
    );
    let _ = writeln!(
        out,
        "{}\n",
        words.msg(&msg!("explain-from", origin = m.origin.as_ref()))
    );
    let _ = writeln!(out, "{}\n", m.explanation.trim_end());
    let keys = if m.keys.is_empty() {
        match rule.check {
            crate::rules::Check::Lua(_) => words.get("explain-keys-plugin"),
            _ if m.traits.plugin_error => words.get("explain-keys-plugin"),
            _ => words.get("explain-keys-every"),
        }
    } else {
        m.keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "{}\n", words.msg(&msg!("explain-reads", keys = keys)));
    if m.options.is_empty() {
        let _ = writeln!(out, "{}\n", words.get("explain-no-options"));
    } else {
        let _ = writeln!(
            out,
            "{}",
            words.msg(&msg!("explain-options", code = m.code.as_ref()))
        );
        for o in &m.options {
            let current = eff
                .options
                .get(&o.name)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let default = o.default.to_string();
            let now = if current != default {
                format!(", {}", words.msg(&msg!("explain-now", value = current)))
            } else {
                String::new()
            };
            // A plugin's options have no help of their own.
            let help = if o.help.is_empty() {
                words.get("plugin-option-help")
            } else {
                o.help.to_string()
            };
            let _ = writeln!(out, "  {} = {default}{now}\n      {help}", o.name);
        }
        out.push('\n');
    }
    if !m.example.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            words.msg(&msg!("explain-example", today = super::EXAMPLE_TODAY))
        );
        let _ = writeln!(out, "    ---");
        for line in m.example.lines() {
            let _ = writeln!(out, "    {line}");
        }
        let _ = writeln!(out, "    ---\n");
    }
    let _ = writeln!(
        out,
        "{}",
        words.msg(&msg!("explain-advice", advice = m.advice.as_ref()))
    );
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
