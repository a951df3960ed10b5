//! Finds the notes of a folder: `*.md` and `*.markdown` files, recursively,
//! skipping hidden files and folders, the output folder, `exclude` globs and
//! symlinks (never followed). The result is sorted by relative path.

use crate::config::Config;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A note found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFile {
    pub path: PathBuf,
    /// Path relative to the notes folder, with `/` separators.
    pub rel: String,
}

/// A folder entry that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanProblem {
    pub rel: String,
    pub message: String,
}

/// The notes found, and the entries that could not be read.
#[derive(Debug, Default)]
pub struct Scan {
    pub notes: Vec<NoteFile>,
    pub problems: Vec<ScanProblem>,
    /// Temporary files a killed run left beside notes (see [`crate::write`]).
    pub leftovers: Vec<PathBuf>,
    /// Notes whose generated files would have the same paths as those of
    /// an earlier note in path order (`acme.md` and `acme.markdown`, or
    /// `Acme.md` and `acme.md`): note -> the earlier note.
    pub collisions: std::collections::BTreeMap<String, String>,
}

/// What two notes share when their generated files would share a path:
/// the path without its extension, case-folded (a vault moves between
/// case-sensitive and case-insensitive file systems).
pub fn output_key(rel: &str) -> String {
    note_stem(rel).to_lowercase()
}

/// `<rel>`: the note's path without its extension.
pub fn note_stem(rel: &str) -> String {
    let lower = rel.to_ascii_lowercase();
    for ext in [".markdown", ".md"] {
        if lower.ends_with(ext) {
            return rel[..rel.len() - ext.len()].to_string();
        }
    }
    rel.to_string()
}

/// True for the file names notes-vet reads.
pub fn is_note_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// The `/`-separated path of `path` below `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `root`.
pub fn scan(root: &Path, config: &Config) -> Scan {
    scan_from(root, root, config)
}

/// Walks the folder `start` below `root` (paths stay relative to `root`);
/// `watch` uses it for a folder that appeared.
pub fn scan_from(root: &Path, start: &Path, config: &Config) -> Scan {
    let output = normalize(&config.output_dir);
    let mut out = Scan::default();
    let walker = WalkDir::new(start)
        .follow_links(false)
        // The folder given may be a link; a subfolder reached from an event
        // is treated like any other: a link is never followed.
        .follow_root_links(start == root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') {
                // Hidden, except the temporary files of a killed run,
                // which a writing run removes.
                return crate::write::is_temp_name(&name) && e.file_type().is_file();
            }
            if e.file_type().is_dir() {
                if normalize(e.path()) == output {
                    return false;
                }
                let rel = relative(root, e.path());
                return !config.exclude.is_match(&rel);
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_file() {
                    continue; // directories, and symlinks, which are never followed
                }
                let name = e.file_name().to_string_lossy();
                if crate::write::is_temp_name(&name) {
                    if !config.exclude.is_match(relative(root, e.path())) {
                        out.leftovers.push(e.path().to_path_buf());
                    }
                    continue;
                }
                if !is_note_name(&name) {
                    continue;
                }
                let rel = relative(root, e.path());
                if config.exclude.is_match(&rel) {
                    continue;
                }
                out.notes.push(NoteFile {
                    path: e.path().to_path_buf(),
                    rel,
                });
            }
            Err(err) => {
                let rel = err.path().map(|p| relative(root, p)).unwrap_or_default();
                let message = match err.io_error() {
                    Some(io) => format!("cannot read this folder entry: {io}"),
                    None => format!("cannot read this folder entry: {err}"),
                };
                out.problems.push(ScanProblem { rel, message });
            }
        }
    }
    out.notes.sort_by(|a, b| a.rel.cmp(&b.rel));
    // Kept for the whole run: no spare room from growing.
    out.notes.shrink_to_fit();
    let mut first: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for n in &out.notes {
        let key = output_key(&n.rel);
        match first.get(&key) {
            Some(earlier) => {
                out.collisions.insert(n.rel.clone(), earlier.to_string());
            }
            None => {
                first.insert(key, &n.rel);
            }
        }
    }
    out
}

/// A path made comparable: absolute when it exists, as given otherwise.
fn normalize(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// True when a scan of the notes folder would pass the file `rel` (at
/// `path`) by: a hidden file or folder on the way, the output folder, an
/// `exclude` glob, or not a note. For a file named on its own (a
/// pre-commit hook's, an editor's).
pub fn passed_by(rel: &str, path: &Path, config: &Config) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let output = crate::publish::absolute(&config.output_dir);
    parts.iter().any(|p| p.starts_with('.'))
        || !is_note_name(parts.last().copied().unwrap_or(""))
        || crate::publish::absolute(path).starts_with(&output)
        || (1..=parts.len()).any(|n| config.exclude.is_match(parts[..n].join("/")))
}
