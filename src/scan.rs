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

/// The notes a scan found, sorted by relative path, held compactly: their
/// relative paths one after another in one
/// [`Texts`](crate::pathmap::Texts). A folder of 100,000 notes takes 4 MB
/// here, where a list of [`NoteFile`]s took 17 while it grew; a pass makes
/// each chunk's `NoteFile`s as it vets them.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    root: PathBuf,
    text: crate::pathmap::Texts,
    found: Vec<Found>,
}

/// One note of [`Notes`].
#[derive(Debug, Clone)]
enum Found {
    /// At `root` joined with its relative path, which is this span.
    Rel(crate::pathmap::Span),
    /// Anywhere else (a name that is not UTF-8, whose relative path shows
    /// a replacement character; `\` separators), or a path that did not
    /// fit: kept as the scan found it.
    Whole(Box<NoteFile>),
}

impl Notes {
    pub(crate) fn new(root: &Path) -> Notes {
        Notes {
            root: root.to_path_buf(),
            ..Notes::default()
        }
    }

    /// Adds the note at `path`, whose relative path is `rel`; `plain` when
    /// [`plainly_below`] gave it (the path is then the root joined with
    /// it).
    pub(crate) fn push(&mut self, path: &Path, rel: String, plain: bool) {
        // Compared as bytes: `Path`'s `==` takes `a/b` and `a\b` for one
        // path on Windows.
        let at_rel = plain || self.root.join(&rel).as_os_str() == path.as_os_str();
        let span = at_rel.then(|| self.text.push(&rel)).flatten();
        self.found.push(match span {
            Some(span) => Found::Rel(span),
            None => Found::Whole(Box::new(NoteFile {
                path: path.to_path_buf(),
                rel,
            })),
        });
    }

    /// Adds the note at the root joined with `rel`.
    pub(crate) fn push_rel(&mut self, rel: &str) {
        self.found.push(match self.text.push(rel) {
            Some(span) => Found::Rel(span),
            None => Found::Whole(Box::new(NoteFile {
                path: self.root.join(rel),
                rel: rel.to_string(),
            })),
        });
    }

    fn rel_of<'a>(text: &'a crate::pathmap::Texts, found: &'a Found) -> &'a str {
        match found {
            Found::Rel(span) => text.get(*span),
            Found::Whole(note) => &note.rel,
        }
    }

    /// Sorts by relative path; two names that read the same after
    /// replacing what is not UTF-8 by their exact bytes.
    fn sort(&mut self) {
        let (root, text) = (&self.root, &self.text);
        let exact = |f: &Found| match f {
            Found::Rel(span) => root.join(text.get(*span)).into_os_string(),
            Found::Whole(note) => note.path.clone().into_os_string(),
        };
        self.found.sort_unstable_by(|a, b| {
            Notes::rel_of(text, a)
                .cmp(Notes::rel_of(text, b))
                .then_with(|| exact(a).cmp(&exact(b)))
        });
        self.found.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The relative path of the `i`th note.
    pub fn rel(&self, i: usize) -> Option<&str> {
        self.found.get(i).map(|f| Notes::rel_of(&self.text, f))
    }

    /// The `i`th note.
    pub fn get(&self, i: usize) -> Option<NoteFile> {
        Some(match self.found.get(i)? {
            Found::Rel(span) => {
                let rel = self.text.get(*span);
                NoteFile {
                    path: self.root.join(rel),
                    rel: rel.to_string(),
                }
            }
            Found::Whole(note) => (**note).clone(),
        })
    }

    /// The notes at `range`.
    pub fn files(&self, range: std::ops::Range<usize>) -> Vec<NoteFile> {
        range.filter_map(|i| self.get(i)).collect()
    }

    /// Every note, in order.
    pub fn iter(&self) -> impl Iterator<Item = NoteFile> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Every note's relative path, in order.
    pub fn rels(&self) -> impl Iterator<Item = &str> + '_ {
        self.found.iter().map(|f| Notes::rel_of(&self.text, f))
    }
}

/// The notes found, and the entries that could not be read.
#[derive(Debug, Default)]
pub struct Scan {
    pub notes: Notes,
    pub problems: Vec<ScanProblem>,
    /// Temporary files a killed run left beside notes (see [`crate::write`]).
    pub leftovers: Vec<PathBuf>,
    /// Notes whose generated files would have the same paths as those of
    /// an earlier note in path order (`acme.md` and `acme.markdown`, or
    /// `Acme.md` and `acme.md`): note -> the earlier note.
    pub collisions: std::collections::BTreeMap<String, String>,
}

impl Scan {
    /// The scan that found `notes` (in any order), `problems` and
    /// `leftovers`, each sorted as [`scan`] sorts them.
    pub(crate) fn assemble(
        mut notes: Notes,
        mut problems: Vec<ScanProblem>,
        mut leftovers: Vec<PathBuf>,
    ) -> Scan {
        notes.sort();
        problems.sort_by(|a, b| (&a.rel, &a.message).cmp(&(&b.rel, &b.message)));
        leftovers.sort();
        let collisions = collisions(&notes);
        Scan {
            notes,
            problems,
            leftovers,
            collisions,
        }
    }
}

/// What two notes share when their generated files would share a path:
/// the path without its extension, case-folded (a vault moves between
/// case-sensitive and case-insensitive file systems).
pub fn output_key(rel: &str) -> String {
    note_stem(rel).to_lowercase()
}

/// `<rel>`: the note's path without its extension.
pub fn note_stem(rel: &str) -> &str {
    for ext in [".markdown", ".md"] {
        if let Some(at) = rel.len().checked_sub(ext.len())
            && rel.as_bytes()[at..].eq_ignore_ascii_case(ext.as_bytes())
        {
            // The extension is ASCII: `at` is a character boundary.
            return rel.get(..at).unwrap_or(rel);
        }
    }
    rel
}

/// True for the file names notes-vet reads.
pub fn is_note_name(name: &str) -> bool {
    let ends_with = |ext: &str| {
        name.len() >= ext.len()
            && name.as_bytes()[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    };
    ends_with(".md") || ends_with(".markdown")
}

/// The `/`-separated path of `path` below `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    match plainly_below(root, path) {
        Some(rel) => rel.to_string(),
        None => by_components(root, path),
    }
}

/// [`relative`], taking both paths apart.
fn by_components(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The rest of `path` after `root` and a `/`, when that is a plain
/// relative path (UTF-8, no empty, `.` or `..` part, no `\`), which is
/// then what [`relative`] gives: the scan's paths nearly always, found
/// without taking both paths apart into components for every note.
pub(crate) fn plainly_below<'a>(root: &Path, path: &'a Path) -> Option<&'a str> {
    if !cfg!(unix) {
        return None;
    }
    let root = root
        .to_str()
        .filter(|r| !r.is_empty() && !r.ends_with('/'))?;
    let rest = path.to_str()?.strip_prefix(root)?.strip_prefix('/')?;
    let plain = !rest.is_empty()
        && !rest.contains('\\')
        && rest.split('/').all(|part| !matches!(part, "" | "." | ".."));
    plain.then_some(rest)
}

/// Walks `root`.
pub fn scan(root: &Path, config: &Config) -> Scan {
    scan_from(root, root, config)
}

/// Walks the folder `start` below `root` (paths stay relative to `root`);
/// `watch` uses it for a folder that appeared.
pub fn scan_from(root: &Path, start: &Path, config: &Config) -> Scan {
    let output = normalize(&config.output_dir);
    let mut out = Scan {
        notes: Notes::new(root),
        ..Scan::default()
    };
    let walker = WalkDir::new(start)
        .follow_links(false)
        // The folder given may be a link; a subfolder reached from an event
        // is treated like any other: a link is never followed.
        .follow_root_links(start == root)
        // Not sorted as it walks (walkdir compares names by taking each
        // path apart, a third of a scan): the notes are sorted once found.
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
                let plain = plainly_below(root, e.path());
                let rel = plain.map_or_else(|| by_components(root, e.path()), str::to_string);
                if config.exclude.is_match(&rel) {
                    continue;
                }
                out.notes.push(e.path(), rel, plain.is_some());
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
    Scan::assemble(out.notes, out.problems, out.leftovers)
}

/// Notes whose generated files would have the same paths as those of an
/// earlier note: note -> the earlier note. Found by a hash of each note's
/// [`output_key`] (16 bytes a note, not a map of 100,000 keys), sorted;
/// notes of equal hash are then compared by their keys.
fn collisions(notes: &Notes) -> std::collections::BTreeMap<String, String> {
    let rel = |i: usize| notes.rel(i).unwrap_or("");
    // The key's hash, made without the key for a short ASCII path (as
    // good as all): ASCII case-folds alike either way.
    let key_hash = |i: usize| {
        let stem = note_stem(rel(i));
        let mut folded = [0u8; 128];
        match folded.get_mut(..stem.len()) {
            Some(buf) if stem.is_ascii() => {
                buf.copy_from_slice(stem.as_bytes());
                buf.make_ascii_lowercase();
                crate::cache::hash(buf)
            }
            _ => crate::cache::hash(output_key(rel(i)).as_bytes()),
        }
    };
    let mut by_hash: Vec<(u64, usize)> = (0..notes.len()).map(|i| (key_hash(i), i)).collect();
    by_hash.sort_unstable();
    let mut out = std::collections::BTreeMap::new();
    for run in by_hash.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Almost never more than one: each note of the run is compared
        // with those before it (in path order, as the run is sorted).
        for (n, &(_, i)) in run.iter().enumerate() {
            let key = output_key(rel(i));
            if let Some(&(_, earlier)) = run[..n].iter().find(|(_, j)| output_key(rel(*j)) == key) {
                out.insert(rel(i).to_string(), rel(earlier).to_string());
            }
        }
    }
    out
}

/// A path made comparable: absolute when it exists, as given otherwise.
pub(crate) fn normalize(p: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::{NoteFile, Notes};
    use std::path::Path;

    /// The compact list gives back each note as the scan found it, sorted
    /// by relative path, a name that is not UTF-8 included (kept whole,
    /// not rebuilt from its relative path, which shows it with a
    /// replacement character).
    #[test]
    fn the_note_list_gives_back_what_the_scan_found() {
        let root = Path::new("/notes");
        #[allow(unused_mut)]
        let mut found = vec![
            NoteFile {
                path: root.join("c.md"),
                rel: "c.md".into(),
            },
            NoteFile {
                path: root.join("a/b.md"),
                rel: "a/b.md".into(),
            },
        ];
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            found.push(NoteFile {
                path: root.join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")),
                rel: "caf\u{fffd}.md".into(),
            });
        }
        let mut list = Notes::new(root);
        for n in &found {
            let plain = super::plainly_below(root, &n.path).is_some();
            list.push(&n.path, n.rel.clone(), plain);
        }
        list.sort();
        found.sort_by(|a, b| a.rel.cmp(&b.rel));
        assert_eq!(list.len(), found.len());
        assert_eq!(list.iter().collect::<Vec<_>>(), found);
        assert_eq!(list.files(1..2), found[1..2]);
        assert_eq!(list.rel(0), Some("a/b.md"));
        assert_eq!(list.get(found.len()), None);
        let whole = list
            .found
            .iter()
            .filter(|f| matches!(f, super::Found::Whole(_)));
        assert_eq!(whole.count(), usize::from(cfg!(unix)));
    }

    /// The shortcut for plain paths gives what taking the paths apart
    /// gives, and leaves every other path to it.
    #[test]
    fn relative_paths_are_the_same_with_or_without_the_shortcut() {
        let cases = [
            ("/notes", "/notes/a/b.md", Some("a/b.md")),
            ("notes", "notes/Müşteri 1.md", Some("Müşteri 1.md")),
            ("/notes/", "/notes/a.md", None),
            ("/notes", "/notes//a.md", None),
            ("/notes", "/notes/./a.md", None),
            ("/notes", "/notes/x/../a.md", None),
            ("/notes", "/notes/a/", None),
            ("/notes", "/notesx/a.md", None),
            ("/notes", "/other/a.md", None),
            ("", "a/b.md", None),
            ("/notes", "/notes/a\\b.md", None),
        ];
        for (root, path, plain) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(super::plainly_below(root, path), plain, "{path:?}");
            assert_eq!(
                super::relative(root, path),
                super::by_components(root, path),
                "{path:?}"
            );
        }
    }

    /// Notes whose outputs would share paths: each later one names the
    /// first in path order (bytes: `ACME.MD` before `Acme.md`), whatever
    /// the case or extension; others are not named.
    #[test]
    fn collisions_name_the_first_note_of_each_output_path() {
        let root = Path::new("/notes");
        let mut list = Notes::new(root);
        for rel in [
            "b.md",
            "Acme.md",
            "acme.markdown",
            "x/acme.md",
            "ACME.MD",
            "c.md",
        ] {
            list.push(&root.join(rel), rel.to_string(), true);
        }
        list.sort();
        let found = super::collisions(&list);
        let want: Vec<(&str, &str)> = vec![("Acme.md", "ACME.MD"), ("acme.markdown", "ACME.MD")];
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(got, want);
    }
}
