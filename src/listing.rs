//! The folder listing kept with the parse cache: for every folder the
//! last walk of the notes root listed, its identity and what in it counts
//! (its subfolders to walk and its notes), as git's untracked cache keeps
//! them, so that a folder that is as it was is looked at once instead of
//! listed: at 10,000 notes in 50 folders, 51 `stat`s in place of reading
//! every folder's entries (a sixth of an unchanged writing run).
//!
//! A folder's entries change only with its identity: adding, removing or
//! renaming a file or folder in it sets its modification time, and a
//! folder made again, or one put in its place, is another inode (its
//! change time covers a move too). Editing a note leaves its folder as it
//! was, but every note is looked at anyway (see [`crate::cache`]). So a
//! folder with the identity kept here holds the entries kept here, and a
//! walk that takes them for every such folder, and lists only the others,
//! finds what a full walk would ([`crate::scan::scan`], which the tests
//! hold it to).
//!
//! One file, `<output>/.cache/folders.bin`, written whole (aside, then
//! renamed) by a writing run whose walk listed a folder anew:
//!
//! ```text
//! "NVFOLDR1" | checksum of the rest (u64 LE) | postcard: version, key, folders
//! folder: path below the root, identity, subfolders to walk, notes
//! (names, each followed by a NUL, which no name holds)
//! ```
//!
//! The key is a hash of what else a folder's entries that count depend
//! on: the notes root, the output folder (never walked) and the `exclude`
//! globs; another version or key drops the listing quietly. A damaged
//! file is ignored with a warning and rewritten. A folder is not kept
//! when it could not be read, held a temporary file to remove or a name
//! that is not plain UTF-8, or changed less than [`RACY`] before the walk
//! started (git's "racy" rule: a coarse clock may give a change right
//! after it was listed the time kept here); it is listed again next time.

use crate::cache::{RACY, Unusable};
use crate::config::Config;
use crate::scan::{Notes, Scan, ScanProblem};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The listing's path inside the output folder.
pub const REL: &str = ".cache/folders.bin";
/// The file's first bytes; bump the digit when the layout changes.
const MAGIC: &[u8; 8] = b"NVFOLDR1";
/// The largest listing read (at 100,000 notes it is about 3 MB).
const MAX_LEN: u64 = 64 << 20;
/// The most folders a listing names: refused while it is read, so a
/// crafted file cannot make the run hold millions of records.
const MAX_FOLDERS: usize = 1 << 18;

/// A folder's identity: equal ones mean no entry was added, removed or
/// renamed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Ident {
    inode: u64,
    /// Nanoseconds from 1970.
    mtime: i64,
    ctime: i64,
}

/// One folder as listed: its names borrowed from the bytes read (at
/// 100,000 notes, 3 MB not copied), or from a fresh listing.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Folder<'a> {
    /// Below the root, `/`-separated; `""` for the root.
    rel: &'a str,
    ident: Ident,
    /// Subfolders to walk (not hidden, not the output folder, not
    /// excluded), each name followed by a NUL.
    dirs: &'a str,
    /// Notes (not hidden, not excluded), each name followed by a NUL.
    notes: &'a str,
}

#[derive(Serialize, Deserialize)]
struct Listing<'a> {
    version: &'a str,
    key: u64,
    #[serde(borrow)]
    folders: Folders<'a>,
}

/// The folders of a listing, at most [`MAX_FOLDERS`] of them (counted as
/// they are read).
#[derive(Serialize)]
struct Folders<'a>(Vec<Folder<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Folders<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq;
        impl<'de> serde::de::Visitor<'de> for Seq {
            type Value = Folders<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "at most {MAX_FOLDERS} folders")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(f) = seq.next_element::<Folder<'de>>()? {
                    if out.len() == MAX_FOLDERS {
                        return Err(serde::de::Error::custom("too many folders"));
                    }
                    out.push(f);
                }
                Ok(Folders(out))
            }
        }
        d.deserialize_seq(Seq)
    }
}

/// A folder listed by this walk, to keep: its names each followed by a
/// NUL.
struct Fresh {
    rel: String,
    ident: Ident,
    dirs: String,
    notes: String,
}

/// What [`scan`] gives.
pub struct Listed {
    pub scan: Scan,
    /// How many folders were listed, and how many taken from the listing.
    pub listed: usize,
    pub reused: usize,
    /// The listing to keep, when it changed and the run may write it.
    pub to_save: Option<Vec<u8>>,
    /// Why the listing file could not be used, when it is damaged.
    pub damaged: Option<crate::i18n::Msg>,
}

/// The notes of `root`, as [`crate::scan::scan`] finds them, taking each
/// folder that is as it was from the listing at `path` and listing the
/// others. With `record`, also the new listing when it differs from the
/// old (to be written by [`save`] once the run holds the output folder).
/// `fs_now` is the time of a file this run wrote just before (its lock
/// file): a folder on a file system whose clock is behind this machine's
/// is held to that clock by the racy rule.
pub fn scan(
    root: &Path,
    config: &Config,
    path: &Path,
    record: bool,
    fs_now: Option<std::time::SystemTime>,
) -> Listed {
    let now = crate::fsx::nanos(std::time::SystemTime::now());
    let started = fs_now.map_or(now, |t| now.min(crate::fsx::nanos(t)));
    scan_at(root, config, path, record, started)
}

/// [`scan`], for a walk started at `started` (ns from 1970).
fn scan_at(root: &Path, config: &Config, path: &Path, record: bool, started: i64) -> Listed {
    // Folders are looked up afresh (see the function).
    crate::fsx::forget_folders();
    let key = key(root, config);
    let (bytes, mut damaged) = match read(path) {
        Ok(b) => (b, None),
        Err(why) => (None, Some(why)),
    };
    let old: HashMap<&str, Folder<'_>> = match bytes.as_deref().map(|b| decode(b, key)) {
        Some(Ok(folders)) => folders.into_iter().map(|f| (f.rel, f)).collect(),
        Some(Err(Unusable::Damaged(why))) => {
            damaged = Some(why);
            HashMap::new()
        }
        Some(Err(Unusable::Stale)) | None => HashMap::new(),
    };
    let mut walk = Walk {
        root,
        config,
        output: crate::scan::normalize(&config.output_dir),
        notes: Notes::new(root),
        problems: Vec::new(),
        leftovers: Vec::new(),
        fresh: Vec::new(),
        reused: Vec::new(),
        listed: 0,
        rel_buf: String::new(),
    };
    walk.visit(&old, started, root, "", true);
    let (listed, reused) = (walk.listed, walk.reused.len());
    // A damaged listing is written again even with nothing to keep (it
    // would be said on every run).
    let changed = !walk.fresh.is_empty() || walk.reused.len() != old.len() || damaged.is_some();
    let to_save = (record && changed).then(|| walk.encode(key)).flatten();
    let Walk {
        notes,
        problems,
        leftovers,
        ..
    } = walk;
    Listed {
        scan: Scan::assemble(notes, problems, leftovers),
        listed,
        reused,
        to_save,
        damaged,
    }
}

/// `rel` and a name below it.
fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        format!("{rel}/{name}")
    }
}

/// True when a note named `note` comes before everything in the
/// subfolder `dir` of the same folder, in path order (the subfolder's
/// paths are its name and a `/`).
fn note_first(note: &str, dir: &str) -> bool {
    let (n, d) = (note.as_bytes(), dir.as_bytes());
    match n.get(..d.len()) {
        Some(head) if head == d => n.get(d.len()).is_some_and(|&b| b < b'/'),
        _ => n < d,
    }
}

/// What a folder listed now holds that counts.
#[derive(Default)]
struct Entries {
    /// Subfolders with plain names, and notes with plain names.
    dirs: Vec<String>,
    notes: Vec<String>,
    /// Subfolders with other names (their paths and paths below the
    /// root), walked after the rest.
    odd_dirs: Vec<(PathBuf, String)>,
}

/// A walk under way.
struct Walk<'w, 'o> {
    root: &'w Path,
    config: &'w Config,
    /// The output folder, never walked.
    output: PathBuf,
    notes: Notes,
    problems: Vec<ScanProblem>,
    leftovers: Vec<PathBuf>,
    /// Folders listed now, to keep.
    fresh: Vec<Fresh>,
    /// Folders taken from the listing.
    reused: Vec<Folder<'o>>,
    /// How many folders were listed.
    listed: usize,
    rel_buf: String,
}

impl<'o> Walk<'_, 'o> {
    /// Walks the folder `dir` (at `rel`, which is `plain` when every name
    /// on the way is plain UTF-8): from the listing `old` when it is as it
    /// was, else listed. Notes come out in path order (each folder's
    /// notes and subfolders merged by name), so that sorting them at the
    /// end finds them sorted.
    fn visit(
        &mut self,
        old: &HashMap<&str, Folder<'o>>,
        started: i64,
        dir: &Path,
        rel: &str,
        plain: bool,
    ) {
        let id = ident(dir, rel.is_empty());
        // A subfolder that is no longer a folder (a link now, or a file),
        // named by a listing that says its parent is as it was: never
        // followed, as the full walk never follows a link.
        if id.is_none() && !rel.is_empty() && crate::fsx::lstat(dir).is_some() {
            return;
        }
        if let Some(folder) = id.and_then(|id| old.get(rel).filter(|f| plain && f.ident == id)) {
            self.reused.push(folder.clone());
            self.emit(
                old,
                started,
                dir,
                rel,
                folder.dirs.split_terminator('\0'),
                folder.notes.split_terminator('\0'),
            );
            return;
        }
        let old_enough = id.filter(|id| id.mtime.max(id.ctime) < started.saturating_sub(RACY));
        let kept_before = self.fresh.len();
        let Some(mut entries) = self.list(dir, rel, plain, old_enough) else {
            return;
        };
        entries.dirs.sort_unstable();
        entries.notes.sort_unstable();
        if self.fresh.len() > kept_before
            && let Some(fresh) = self.fresh.last_mut()
        {
            // Kept with its names in order, each followed by a NUL.
            for d in &entries.dirs {
                fresh.dirs.push_str(d);
                fresh.dirs.push('\0');
            }
            for n in &entries.notes {
                fresh.notes.push_str(n);
                fresh.notes.push('\0');
            }
        }
        let odd_dirs = std::mem::take(&mut entries.odd_dirs);
        self.emit(
            old,
            started,
            dir,
            rel,
            entries.dirs.iter().map(String::as_str),
            entries.notes.iter().map(String::as_str),
        );
        for (path, sub_rel) in odd_dirs {
            self.visit(old, started, &path, &sub_rel, false);
        }
    }

    /// The notes `notes` of the folder `dir` (at `rel`) and the walks of
    /// its subfolders `dirs`, both sorted by name, in path order.
    fn emit<'n>(
        &mut self,
        old: &HashMap<&str, Folder<'o>>,
        started: i64,
        dir: &Path,
        rel: &str,
        dirs: impl Iterator<Item = &'n str>,
        notes: impl Iterator<Item = &'n str>,
    ) {
        let mut notes = notes.peekable();
        for d in dirs {
            while let Some(n) = notes.next_if(|n| note_first(n, d)) {
                self.push_note(rel, n);
            }
            self.visit(old, started, &dir.join(d), &join(rel, d), true);
        }
        for n in notes {
            self.push_note(rel, n);
        }
    }

    fn push_note(&mut self, rel: &str, name: &str) {
        self.rel_buf.clear();
        if !rel.is_empty() {
            self.rel_buf.push_str(rel);
            self.rel_buf.push('/');
        }
        self.rel_buf.push_str(name);
        self.notes.push_rel(&self.rel_buf);
    }

    /// Lists the folder `dir` (at `rel`) as the walk of
    /// [`crate::scan::scan`] does; kept when `ident` is given (it is old
    /// enough) and everything in it could be. Notes with odd names are
    /// added at once; the rest is given back.
    fn list(
        &mut self,
        dir: &Path,
        rel: &str,
        plain: bool,
        ident: Option<Ident>,
    ) -> Option<Entries> {
        let problem = |rel: String, e: &dyn std::fmt::Display| ScanProblem {
            rel,
            message: format!("cannot read this folder entry: {e}"),
        };
        self.listed += 1;
        let shown = |path: &Path| crate::scan::relative(self.root, path);
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.problems.push(problem(shown(dir), &e));
                return None;
            }
        };
        let mut keep = plain && ident.is_some();
        let mut out = Entries::default();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // As the full walk says it: an entry it could not read
                    // has no path.
                    self.problems.push(problem(String::new(), &e));
                    keep = false;
                    continue;
                }
            };
            let path = entry.path();
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    self.problems.push(problem(shown(&path), &e));
                    keep = false;
                    continue;
                }
            };
            let os_name = entry.file_name();
            let name = os_name.to_string_lossy();
            // Kept as a name only when plain: UTF-8, no `\\`.
            let plain_name = plain && os_name.to_str().is_some() && !name.contains('\\');
            if name.starts_with('.') {
                // Hidden, except the temporary files of a killed run,
                // which a writing run removes (and then the folder
                // changes).
                if crate::write::is_temp_name(&name)
                    && file_type.is_file()
                    && !self.config.exclude.is_match(shown(&path))
                {
                    self.leftovers.push(path);
                    keep = false;
                }
                continue;
            }
            if file_type.is_dir() {
                if crate::scan::normalize(&path) == self.output {
                    continue;
                }
                let sub_rel = shown(&path);
                if self.config.exclude.is_match(&sub_rel) {
                    continue;
                }
                keep &= plain_name;
                if plain_name {
                    out.dirs.push(name.into_owned());
                } else {
                    out.odd_dirs.push((path, sub_rel));
                }
            } else if file_type.is_file() && crate::scan::is_note_name(&name) {
                let plainly = crate::scan::plainly_below(self.root, &path).map(str::to_string);
                let note_rel = plainly.clone().unwrap_or_else(|| shown(&path));
                if self.config.exclude.is_match(&note_rel) {
                    continue;
                }
                keep &= plain_name;
                if plain_name {
                    out.notes.push(name.into_owned());
                } else {
                    self.notes.push(&path, note_rel, plainly.is_some());
                }
            }
            // Symlinks and anything else: never followed, never notes.
        }
        if let (true, Some(ident)) = (keep, ident) {
            // Its names are filled in once sorted.
            self.fresh.push(Fresh {
                rel: rel.to_string(),
                ident,
                dirs: String::new(),
                notes: String::new(),
            });
        }
        Some(out)
    }

    /// The listing of the folders kept by this walk.
    fn encode(&self, key: u64) -> Option<Vec<u8>> {
        let mut folders: Vec<Folder<'_>> = self.reused.clone();
        folders.extend(self.fresh.iter().map(|f| Folder {
            rel: &f.rel,
            ident: f.ident,
            dirs: &f.dirs,
            notes: &f.notes,
        }));
        if folders.len() > MAX_FOLDERS {
            return None;
        }
        folders.sort_unstable_by(|a, b| a.rel.cmp(b.rel));
        let body = postcard::to_stdvec(&Listing {
            version: env!("CARGO_PKG_VERSION"),
            key,
            folders: Folders(folders),
        })
        .ok()?;
        let mut out = Vec::with_capacity(16 + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&crate::cache::hash(&body).to_le_bytes());
        out.extend_from_slice(&body);
        Some(out)
    }
}

/// Writes a listing made by [`scan`] into the output folder whose cache is
/// at `cache` (aside, then renamed over the old one).
pub fn save(cache: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = path_beside(cache);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(crate::cache::TEMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Some(p) = crate::write::new_file_permissions() {
        std::fs::set_permissions(tmp.path(), p)?;
    }
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// The listing's path beside the parse cache at `cache`.
pub fn path_beside(cache: &Path) -> PathBuf {
    cache.with_file_name("folders.bin")
}

/// A hash of what the entries kept for a folder depend on besides it.
fn key(root: &Path, config: &Config) -> u64 {
    let text = format!(
        "{}\0{}\0{}",
        crate::publish::absolute(root).display(),
        crate::scan::normalize(&config.output_dir).display(),
        config.exclude_patterns.join("\0"),
    );
    crate::cache::hash(text.as_bytes())
}

/// The identity of the folder at `path` (the root's link followed, as the
/// walk follows it).
fn ident(path: &Path, is_root: bool) -> Option<Ident> {
    #[cfg(unix)]
    {
        // Below the root a folder, never a link to one (which a walk does
        // not follow).
        let m = if is_root {
            crate::fsx::stat(path)?
        } else {
            crate::fsx::lstat(path)?
        };
        m.is_dir.then_some(Ident {
            inode: m.inode,
            mtime: m.mtime,
            ctime: m.ctime,
        })
    }
    // Elsewhere a folder's identity is not all there: always listed.
    #[cfg(not(unix))]
    {
        let _ = (path, is_root);
        None
    }
}

/// The listing file's bytes (`None` when there is none).
fn read(path: &Path) -> Result<Option<Vec<u8>>, crate::i18n::Msg> {
    match crate::fsx::read_output_capped(path, MAX_LEN) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::msg!("cache-why-io", error = e.to_string())),
    }
}

/// The folders a listing's `bytes` hold, when written under `key` by this
/// version and sound.
fn decode(bytes: &[u8], key: u64) -> Result<Vec<Folder<'_>>, Unusable> {
    let damaged = |id: &'static str| Unusable::Damaged(crate::i18n::Msg::new(id));
    let (Some(head), Some(sum), Some(body)) = (bytes.get(..8), bytes.get(8..16), bytes.get(16..))
    else {
        return Err(damaged("cache-why-foreign"));
    };
    if head != MAGIC {
        return Err(damaged("cache-why-foreign"));
    }
    let sum = u64::from_le_bytes(sum.try_into().map_err(|_| damaged("cache-why-short"))?);
    if crate::cache::hash(body) != sum {
        return Err(damaged("listing-why-damaged"));
    }
    let listing: Listing<'_> =
        postcard::from_bytes(body).map_err(|_| damaged("listing-why-damaged"))?;
    if listing.version != env!("CARGO_PKG_VERSION") || listing.key != key {
        return Err(Unusable::Stale);
    }
    // Never trusted to name a path outside the root (it is a file in
    // the user's folder): every folder a plain path below it, every
    // entry one plain name, every note a note's name.
    let plain_rel = |rel: &str| {
        rel.is_empty()
            || (!rel.contains('\\') && rel.split('/').all(|part| !matches!(part, "" | "." | "..")))
    };
    let plain_name = |name: &str| {
        !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0'])
    };
    let sound = listing.folders.0.iter().all(|f| {
        plain_rel(f.rel)
            && f.dirs.split_terminator('\0').all(plain_name)
            && f.notes
                .split_terminator('\0')
                .all(|n| plain_name(n) && crate::scan::is_note_name(n))
            && (f.dirs.is_empty() || f.dirs.ends_with('\0'))
            && (f.notes.is_empty() || f.notes.ends_with('\0'))
    });
    if !sound {
        return Err(damaged("listing-why-damaged"));
    }
    Ok(listing.folders.0)
}

#[cfg(test)]
mod tests {
    use super::{Folder, Folders, Ident, Listing, MAGIC, key, save, scan_at};
    use crate::config::Config;
    use crate::scan::Scan;
    use std::path::Path;

    /// A notes folder: notes at the root and two levels down, a file that
    /// is not a note, a hidden folder and the output folder (never walked).
    fn folder() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "a.md",
            "sub/b.md",
            "sub/deep/c.markdown",
            "sub/readme.txt",
            ".hidden/d.md",
            "_vetted/summaries/a.md",
        ] {
            write(root, rel);
        }
        let config = Config::load(root, None).unwrap();
        (dir, config)
    }

    fn write(root: &Path, rel: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "---\nclient: X\n---\n").unwrap();
    }

    fn path_of(config: &Config) -> std::path::PathBuf {
        super::path_beside(&crate::cache::path_for(config))
    }

    /// A minute from now: a walk started then finds every folder old
    /// enough to keep (the racy rule is tested on its own).
    fn later() -> i64 {
        crate::fsx::nanos(std::time::SystemTime::now()) + 60_000_000_000
    }

    /// A walk (started a minute from now), its listing saved when it
    /// changed; and whether no folder was listed.
    fn walk(root: &Path, config: &Config) -> (Scan, bool) {
        let listed = scan_at(root, config, &path_of(config), true, later());
        if let Some(bytes) = &listed.to_save {
            save(&crate::cache::path_for(config), bytes).unwrap();
        }
        assert!(listed.damaged.is_none());
        (listed.scan, (listed.listed == 0))
    }

    /// What a full walk finds, the same as `scan` with a listing (or
    /// without one).
    fn assert_as_walked(scan: &Scan, root: &Path, config: &Config, step: &str) {
        let walked = crate::scan::scan(root, config);
        let files = |s: &Scan| s.notes.iter().collect::<Vec<_>>();
        assert_eq!(files(scan), files(&walked), "{step}: notes");
        assert_eq!(scan.problems, walked.problems, "{step}: problems");
        assert_eq!(scan.leftovers, walked.leftovers, "{step}: leftovers");
        assert_eq!(scan.collisions, walked.collisions, "{step}: collisions");
    }

    fn rels(scan: &Scan) -> Vec<String> {
        scan.notes.rels().map(str::to_string).collect()
    }

    #[test]
    fn a_folder_is_taken_from_the_listing_until_it_changes() {
        let (dir, config) = folder();
        let root = dir.path();
        let (first, listed) = walk(root, &config);
        assert!(!listed);
        assert!(path_of(&config).is_file());
        assert_eq!(rels(&first), ["a.md", "sub/b.md", "sub/deep/c.markdown"]);
        let (again, listed) = walk(root, &config);
        assert!(listed, "every folder as it was");
        assert_as_walked(&again, root, &config, "unchanged");
        // Editing a note leaves its folder as it was.
        std::fs::write(root.join("sub/deep/c.markdown"), "---\nclient: Y\n---\n").unwrap();
        assert!(walk(root, &config).1);
        // A note added, renamed, removed; a folder made, renamed, removed,
        // made again: each time the walk finds what a full walk finds.
        type Change = fn(&Path);
        let steps: [(&str, Change); 7] = [
            ("note added two levels down", |r| write(r, "sub/deep/e.md")),
            ("note renamed", |r| {
                std::fs::rename(r.join("sub/deep/e.md"), r.join("sub/deep/f.md")).unwrap()
            }),
            ("note removed", |r| {
                std::fs::remove_file(r.join("sub/b.md")).unwrap()
            }),
            ("folder made", |r| write(r, "sub/new/g.md")),
            ("folder renamed", |r| {
                std::fs::rename(r.join("sub/new"), r.join("sub/newer")).unwrap()
            }),
            ("folder removed", |r| {
                std::fs::remove_dir_all(r.join("sub/deep")).unwrap()
            }),
            ("folder made again in its place", |r| {
                std::fs::rename(r.join("sub"), r.join("old")).unwrap();
                write(r, "sub/z.md");
            }),
        ];
        for (step, change) in steps {
            change(root);
            let (scan, listed) = walk(root, &config);
            assert!(!listed, "{step}: a folder changed");
            assert_as_walked(&scan, root, &config, step);
            let (scan, listed) = walk(root, &config);
            assert!(listed, "{step}: kept again");
            assert_as_walked(&scan, root, &config, &format!("{step}, listed"));
        }
        assert_eq!(
            rels(&walk(root, &config).0),
            ["a.md", "old/newer/g.md", "sub/z.md"]
        );
    }

    /// The walk lists a folder as `scan::scan` walks it: hidden entries,
    /// excluded ones, the output folder, symlinks (never followed), a
    /// killed run's temporary file, names that are not UTF-8, and two
    /// notes whose outputs collide.
    #[test]
    fn the_walk_finds_what_a_full_walk_finds() {
        let (dir, _) = folder();
        let root = dir.path();
        std::fs::write(
            root.join("notes-vet.toml"),
            "exclude = [\"drafts/**\", \"sub/skip.md\"]\n",
        )
        .unwrap();
        for rel in [
            "drafts/x.md",
            "sub/skip.md",
            "Acme.md",
            "acme.markdown",
            "sub/.notes-vet-tmp-abc123",
            "sub/.hidden.md",
        ] {
            write(root, rel);
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("sub"), root.join("linked")).unwrap();
            std::os::unix::fs::symlink(root.join("a.md"), root.join("link.md")).unwrap();
            use std::os::unix::ffi::OsStrExt;
            let odd = std::ffi::OsStr::from_bytes(b"caf\xe9");
            std::fs::create_dir(root.join(odd)).unwrap();
            write(&root.join(odd), "h.md");
            std::fs::write(
                root.join("sub")
                    .join(std::ffi::OsStr::from_bytes(b"n\xe9.md")),
                "x",
            )
            .unwrap();
        }
        let config = Config::load(root, None).unwrap();
        let (scan, _) = walk(root, &config);
        assert_as_walked(&scan, root, &config, "first");
        assert_eq!(scan.leftovers.len(), 1);
        assert_eq!(scan.collisions.len(), 1);
        let (scan, listed) = walk(root, &config);
        assert!(
            !listed,
            "folders with a leftover or odd names are listed each time"
        );
        assert_as_walked(&scan, root, &config, "second");
        std::fs::remove_file(root.join("sub/.notes-vet-tmp-abc123")).unwrap();
        let (scan, _) = walk(root, &config);
        assert_as_walked(&scan, root, &config, "leftover gone");
        // Another exclude: the listing is dropped quietly, and the walk
        // follows the new globs.
        std::fs::write(root.join("notes-vet.toml"), "exclude = [\"sub/**\"]\n").unwrap();
        let config = Config::load(root, None).unwrap();
        let listed = scan_at(root, &config, &path_of(&config), true, later());
        assert!(listed.damaged.is_none() && listed.listed > 0);
        assert_as_walked(&listed.scan, root, &config, "new exclude");
    }

    /// The root given with a trailing `/`, or as a link to nowhere: the
    /// same notes and problems as the full walk.
    #[test]
    fn the_root_in_other_forms_is_walked_alike() {
        let (dir, config) = folder();
        let slash = dir.path().join("");
        assert!(slash.to_string_lossy().ends_with('/'));
        let (scan, _) = walk(&slash, &config);
        assert_as_walked(&scan, &slash, &config, "trailing slash");
        let (scan, listed) = walk(&slash, &config);
        assert!(listed);
        assert_as_walked(&scan, &slash, &config, "trailing slash, listed");
        #[cfg(unix)]
        {
            let nowhere = dir.path().join("nowhere");
            std::os::unix::fs::symlink(dir.path().join("missing"), &nowhere).unwrap();
            let listed = scan_at(&nowhere, &config, &path_of(&config), true, later());
            assert_eq!(listed.scan.problems.len(), 1);
            assert_as_walked(&listed.scan, &nowhere, &config, "dangling root");
        }
    }

    /// A listing whose identities match, naming as a subfolder a link to a
    /// folder outside the root: the link is never followed.
    #[cfg(unix)]
    #[test]
    fn a_listed_subfolder_that_is_a_link_is_not_followed() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.md");
        std::os::unix::fs::symlink(outside.path(), root.join("link")).unwrap();
        let root_id = super::ident(root, true).unwrap();
        let body = postcard::to_stdvec(&Listing {
            version: env!("CARGO_PKG_VERSION"),
            key: key(root, &config),
            folders: Folders(vec![Folder {
                rel: "",
                ident: root_id,
                dirs: "link\0sub\0",
                notes: "a.md\0",
            }]),
        })
        .unwrap();
        let bytes = [
            MAGIC.as_slice(),
            &crate::cache::hash(&body).to_le_bytes(),
            &body,
        ]
        .concat();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let listed = scan_at(root, &config, &path, false, later());
        assert!(listed.damaged.is_none());
        assert_eq!(listed.reused, 1, "the root taken from the listing");
        assert_eq!(
            rels(&listed.scan),
            ["a.md", "sub/b.md", "sub/deep/c.markdown"],
            "nothing found through the link"
        );
        assert!(listed.scan.problems.is_empty());
    }

    /// A folder's notes and subfolders merge in path order: a note sorts
    /// against a subfolder's name followed by `/`.
    #[test]
    fn notes_and_subfolders_merge_in_path_order() {
        for (note, dir, first) in [
            ("a.md", "a", true),
            ("a-x.md", "a", true),
            ("a0.md", "a", false),
            ("ab.md", "a", false),
            ("b.md", "a", false),
            ("Z.md", "a", true),
            ("a.md", "ab", true),
            ("a.md", "a.md.d", true),
        ] {
            let by_paths = note < format!("{dir}/").as_str();
            assert_eq!(super::note_first(note, dir), first, "{note} {dir}");
            assert_eq!(by_paths, first, "{note} {dir}");
        }
        // Names on both sides of a subfolder's: the same notes as the
        // full walk, in its order.
        let (dir, config) = folder();
        let root = dir.path();
        for rel in [
            "sub.md",
            "sub-a.md",
            "sub0.md",
            "Sub/x.md",
            "sub/a.md",
            "sub/a/z.md",
        ] {
            write(root, rel);
        }
        for _ in 0..2 {
            let listed = scan_at(root, &config, &path_of(&config), true, later());
            if let Some(bytes) = &listed.to_save {
                save(&crate::cache::path_for(&config), bytes).unwrap();
            }
            let rels = rels(&listed.scan);
            let mut sorted = rels.clone();
            sorted.sort();
            assert_eq!(rels, sorted);
            assert_as_walked(&listed.scan, root, &config, "merged");
        }
    }

    #[test]
    fn a_folder_changed_just_before_the_walk_is_not_kept() {
        let (dir, config) = folder();
        let root = dir.path();
        let now = crate::fsx::nanos(std::time::SystemTime::now());
        let listed = scan_at(root, &config, &path_of(&config), true, now);
        assert!(listed.to_save.is_none(), "every folder was made just now");
        walk(root, &config);
        assert!(walk(root, &config).1);
        // The root changed just now: listed again (and not kept), while
        // the others are still taken from the listing.
        write(root, "b.md");
        let listed = scan_at(root, &config, &path_of(&config), true, now + 1);
        assert!(listed.listed > 0);
        assert_as_walked(&listed.scan, root, &config, "root changed");
    }

    #[test]
    fn a_damaged_truncated_or_foreign_listing_is_said_and_walked_past() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        walk(root, &config);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        let foreign = [b"NOTAFILE".as_slice(), &good[8..]].concat();
        for (bytes, why) in [
            (flipped, "listing-why-damaged"),
            (good[..good.len() / 2].to_vec(), "listing-why-damaged"),
            (good[..10].to_vec(), "cache-why-foreign"),
            (foreign, "cache-why-foreign"),
        ] {
            std::fs::write(&path, &bytes).unwrap();
            let listed = scan_at(root, &config, &path, true, later());
            assert_eq!(
                listed.damaged.map(|m| m.id.to_string()).as_deref(),
                Some(why)
            );
            assert!(
                listed.listed > 0 && listed.to_save.is_some(),
                "{why}: rebuilt"
            );
            assert_as_walked(&listed.scan, root, &config, why);
        }
    }

    /// A listing is a file in the user's folder: one naming a path outside
    /// the root, or a name that is not one plain name, is refused, even
    /// with a good checksum.
    #[test]
    fn a_listing_never_names_a_path_outside_the_root() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        walk(root, &config);
        let ident = Ident {
            inode: 1,
            mtime: 0,
            ctime: 0,
        };
        let folders: [(&str, &str, &str); 9] = [
            ("..", "", "x.md\0"),
            ("sub/../..", "", "x.md\0"),
            ("/etc", "", "x.md\0"),
            ("", "..\0", ""),
            ("", "a/b\0", ""),
            ("", "sub\0\0", ""),
            ("", "sub", ""),
            ("", "", "../x.md\0"),
            ("", "", "notes.txt\0"),
        ];
        for (rel, dirs, notes) in folders {
            let body = postcard::to_stdvec(&Listing {
                version: env!("CARGO_PKG_VERSION"),
                key: key(root, &config),
                folders: Folders(vec![Folder {
                    rel,
                    ident,
                    dirs,
                    notes,
                }]),
            })
            .unwrap();
            let bytes = [
                MAGIC.as_slice(),
                &crate::cache::hash(&body).to_le_bytes(),
                &body,
            ]
            .concat();
            std::fs::write(&path, bytes).unwrap();
            let listed = scan_at(root, &config, &path, false, later());
            assert!(listed.damaged.is_some(), "{rel:?} {dirs:?} {notes:?}");
            assert_as_walked(&listed.scan, root, &config, rel);
        }
    }
}
