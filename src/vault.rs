//! What an Obsidian vault says about itself: the folders that hold
//! templates (core Templates' `.obsidian/templates.json` `folder`, and
//! Templater's `templates_folder` in
//! `.obsidian/plugins/templater-obsidian/data.json`). Notes there are
//! templates, not client notes, and are never vetted.

use std::path::{Component, Path, PathBuf};

/// The vault holding `dir`: the nearest folder, `dir` or an ancestor, with
/// an `.obsidian` folder.
pub fn vault_root(dir: &Path) -> Option<PathBuf> {
    let start = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .find(|d| d.join(".obsidian").is_dir())
        .map(Path::to_path_buf)
}

/// The vault's template folders that lie inside `notes_root`, as
/// `/`-separated paths relative to it (`Templates`, `Meta/Templates`).
/// Files that are missing, unreadable or not the JSON Obsidian writes are
/// passed over: they only ever narrow what is vetted.
pub fn template_folders(notes_root: &Path) -> Vec<String> {
    let Some(vault) = vault_root(notes_root) else {
        return Vec::new();
    };
    let root = notes_root
        .canonicalize()
        .unwrap_or_else(|_| notes_root.to_path_buf());
    let settings = vault.join(".obsidian");
    let mut out: Vec<String> = Vec::new();
    for (file, key) in [
        (settings.join("templates.json"), "folder"),
        (
            settings.join("plugins/templater-obsidian/data.json"),
            "templates_folder",
        ),
    ] {
        let Some(folder) = read_key(&file, key) else {
            continue;
        };
        // Obsidian writes vault-relative paths with `/`; a leading `/` is
        // the vault root too.
        let rel = Path::new(folder.trim().trim_start_matches('/'));
        if rel.as_os_str().is_empty()
            || rel.components().any(|c| !matches!(c, Component::Normal(_)))
        {
            continue;
        }
        let abs = vault.join(rel);
        let Ok(inside) = abs.strip_prefix(&root) else {
            continue;
        };
        let inside = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if !inside.is_empty() && !out.contains(&inside) {
            out.push(inside);
        }
    }
    out
}

/// A string value of a top-level key of a small JSON file.
fn read_key(file: &Path, key: &str) -> Option<String> {
    let bytes = crate::fsx::read_regular(file, 1 << 20).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get(key)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_folders_of_both_plugins_inside_the_root() {
        let vault = tempfile::tempdir().unwrap();
        let v = vault.path();
        std::fs::create_dir_all(v.join(".obsidian/plugins/templater-obsidian")).unwrap();
        std::fs::write(
            v.join(".obsidian/templates.json"),
            r#"{"folder":"Meta/Templates"}"#,
        )
        .unwrap();
        std::fs::write(
            v.join(".obsidian/plugins/templater-obsidian/data.json"),
            r#"{"templates_folder":"/Tpl","other":1}"#,
        )
        .unwrap();
        assert_eq!(template_folders(v), ["Meta/Templates", "Tpl"]);
        // From a notes root below the vault: only folders inside it.
        std::fs::create_dir_all(v.join("Meta")).unwrap();
        assert_eq!(template_folders(&v.join("Meta")), ["Templates"]);
        // Outside-pointing or malformed settings are passed over.
        std::fs::write(v.join(".obsidian/templates.json"), r#"{"folder":"../etc"}"#).unwrap();
        std::fs::write(
            v.join(".obsidian/plugins/templater-obsidian/data.json"),
            "not json",
        )
        .unwrap();
        assert!(template_folders(v).is_empty());
        // No vault: nothing.
        let plain = tempfile::tempdir().unwrap();
        assert!(template_folders(plain.path()).is_empty());
    }
}
