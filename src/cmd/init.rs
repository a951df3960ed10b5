//! `notes-vet init [DIR]`: scaffold a commented `notes-vet.toml`, an example
//! client note and an example plugin. Refuses to overwrite anything.

use super::{Global, fail};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder to set up
    #[arg(default_value = ".")]
    dir: PathBuf,
}

const CONFIG: &str = include_str!("../../templates/init/notes-vet.toml");
const NOTE: &str = include_str!("../../templates/init/example-client.md");
const PLUGIN: &str = include_str!("../../templates/init/example-rule.lua");
/// The Lua API for the editor (LuaLS), the same file as in `plugins/`.
const API: &str = include_str!("../../plugins/notes-vet.d.lua");

pub fn run(args: Args, g: &Global) -> u8 {
    // The language chosen now (`--lang`, else the locale) is written down,
    // so the folder speaks it on every machine; English stays the default.
    let lang = g
        .lang()
        .unwrap_or_else(notes_vet::i18n::Lang::from_process_env);
    let config = match lang {
        notes_vet::i18n::Lang::En => CONFIG.to_string(),
        other => CONFIG.replace(
            "# language = \"en\"",
            &format!("language = \"{}\"", other.code()),
        ),
    };
    // The vault's template folders, as Obsidian names them, are written
    // into `exclude` (they are skipped anyway; this shows where).
    let templates = notes_vet::vault::template_folders(&args.dir);
    let config = if templates.is_empty() {
        config
    } else {
        let mut globs = vec!["\"drafts/**\"".to_string()];
        globs.extend(templates.iter().map(|t| format!("\"{t}/**\"")));
        config.replace(
            "exclude = [\"drafts/**\", \"templates/**\"]",
            &format!("exclude = [{}]", globs.join(", ")),
        )
    };
    let files: [(&str, &str); 4] = [
        ("notes-vet.toml", &config),
        ("clients/example-client.md", NOTE),
        ("plugins/example-rule.lua", PLUGIN),
        ("plugins/notes-vet.d.lua", API),
    ];
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| args.dir.join(p))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        let message = g.words().msg(&notes_vet::msg!(
            "cli-refuse-overwrite",
            paths = existing.join(", ")
        ));
        return fail(g, message);
    }
    for (rel, text) in files {
        let path = args.dir.join(rel);
        if let Err(e) = write_new(&path, text) {
            let message = g.words().msg(&notes_vet::msg!(
                "cli-cannot-write",
                path = path.display().to_string(),
                error = e.to_string()
            ));
            return fail(g, message);
        }
        if !g.quiet {
            outln!(
                "{}",
                g.words().msg(&notes_vet::msg!(
                    "cli-created",
                    path = path.display().to_string()
                ))
            );
        }
    }
    if !g.quiet {
        outln!(
            "\n{}",
            g.words().msg(&notes_vet::msg!(
                "cli-init-next",
                dir = args.dir.display().to_string()
            ))
        );
    }
    super::OK
}

/// Creates a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}
