//! `notes-vet new-rule NAME`: scaffold a Lua rule in the first plugin
//! folder of the config (or `plugins/`), ready to edit.

use super::{Global, fail, load_rules};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule's name, in kebab-case (e.g. slow-payer)
    name: String,
    /// The notes folder whose config applies
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

const TEMPLATE: &str = include_str!("../../templates/init/new-rule.lua");

pub fn run(args: Args, g: &Global) -> u8 {
    let name = args.name.trim();
    let kebab = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !kebab {
        let message = g
            .words()
            .msg(&notes_vet::msg!("cli-rule-name", name = name));
        return fail(g, message);
    }
    // The configured plugin folder may not exist yet: this makes it.
    if let Ok(config) = notes_vet::config::Config::load(&args.dir, g.config.as_deref())
        && let Some(first) = config.plugin_dirs.first()
        && let Err(e) = std::fs::create_dir_all(first)
    {
        let message = g.words().msg(&notes_vet::msg!(
            "cli-cannot-create",
            path = first.display().to_string(),
            error = e.to_string()
        ));
        return fail(g, message);
    }
    let (config, ruleset) = match load_rules(&args.dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let folder = config
        .plugin_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| args.dir.join("plugins"));
    let path = folder.join(format!("{name}.lua"));
    if path.exists() {
        let message = g.words().msg(&notes_vet::msg!(
            "cli-refuse-overwrite",
            paths = path.display().to_string()
        ));
        return fail(g, message);
    }
    let code = free_code(name, &|c| ruleset.registry.find(c).is_some());
    let text = TEMPLATE
        .replace("{{code}}", &code)
        .replace("{{name}}", name);
    if let Err(e) = std::fs::create_dir_all(&folder).and_then(|_| std::fs::write(&path, text)) {
        let message = config.catalog.msg(&notes_vet::msg!(
            "cli-cannot-write",
            path = path.display().to_string(),
            error = e.to_string()
        ));
        return fail(g, message);
    }
    if !g.quiet {
        let words = &config.catalog;
        outln!(
            "{}",
            words.msg(&notes_vet::msg!(
                "cli-created-rule",
                path = path.display().to_string(),
                code = code.as_str()
            ))
        );
        if config.plugin_dirs.is_empty() {
            outln!(
                "{}\n\n[plugins]\ndirs = [\"plugins\"]",
                words.get("cli-plugins-on")
            );
        }
        outln!(
            "{}",
            words.msg(&notes_vet::msg!("cli-rule-then", code = code.as_str()))
        );
    }
    super::OK
}

/// A code from the name's initials (`slow-payer` -> SP001), the first one
/// not taken.
fn free_code(name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let parts: Vec<&str> = name
        .split('-')
        .filter(|p| p.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .collect();
    let mut letters: String = if parts.len() >= 2 {
        parts.iter().filter_map(|p| p.chars().next()).collect()
    } else {
        parts
            .first()
            .map(|p| {
                p.chars()
                    .filter(char::is_ascii_alphabetic)
                    .take(3)
                    .collect()
            })
            .unwrap_or_default()
    };
    letters = letters.to_ascii_uppercase();
    if letters.len() < 2 || letters.starts_with("NV") {
        letters = format!("U{letters}");
    }
    (1..1000)
        .map(|n| format!("{letters}{n:03}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| format!("{letters}999"))
}
