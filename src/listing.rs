//! The folder listing kept with the parse cache: which notes the last walk
//! of the notes root found, and the identity of every folder it walked
//! (as git's untracked cache keeps them), so that a run on a folder whose
//! folders are as they were looks at each folder once instead of listing
//! it: at 10,000 notes, 51 `stat`s in place of reading every folder's
//! entries (a sixth of an unchanged writing run).
//!
//! A folder's entries change only with its identity: adding, removing or
//! renaming a file or folder in it sets its modification time, and a
//! folder made again, or one put in its place, is another inode (its
//! change time covers a move too). Editing a note leaves its folder as it
//! was, but every note is looked at anyway (see [`crate::cache`]). So
//! when the root and every folder walked below it have the identities
//! kept here, a walk would find the notes kept here.
//!
//! One file, `<output>/.cache/folders.bin`, written whole (aside, then
//! renamed) by a writing run that walked the folder:
//!
//! ```text
//! "NVFOLDR1" | checksum of the rest (u64 LE) | postcard: version, key, folders, notes
//! ```
//!
//! The key is a hash of what else a walk depends on: the notes root, the
//! output folder (never walked) and the `exclude` globs; another version
//! or key drops the listing quietly. A damaged file is ignored with a
//! warning and rewritten. A walk that found a folder it could not read,
//! a temporary file to remove, or a path that is not plain UTF-8 below
//! the root is not kept (the next run walks again); nor is one in which a
//! folder changed less than [`RACY`] before the walk started (git's
//! "racy" rule: a coarse clock may give a change right after the walk the
//! time kept here).

use crate::cache::{RACY, Unusable};
use crate::config::Config;
use crate::scan::{Notes, Scan};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::Path;

/// The listing's path inside the output folder.
pub const REL: &str = ".cache/folders.bin";
/// The file's first bytes; bump the digit when the layout changes.
const MAGIC: &[u8; 8] = b"NVFOLDR1";
/// The largest listing read (at 100,000 notes it is about 3 MB).
const MAX_LEN: u64 = 512 << 20;

/// The most folders a listing names (each is looked at before its notes
/// are trusted).
const MAX_FOLDERS: usize = 1 << 20;

/// A folder's identity: equal ones mean no entry was added, removed or
/// renamed in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Ident {
    inode: u64,
    /// Nanoseconds from 1970.
    mtime: i64,
    ctime: i64,
}

/// The listing as written and read (its strings borrowed from the bytes
/// read: at 100,000 notes, 3 MB not copied).
#[derive(Serialize, Deserialize)]
struct Listing<'a> {
    version: &'a str,
    key: u64,
    /// Each folder walked, relative to the root (`""` for the root), and
    /// its identity.
    #[serde(borrow)]
    folders: Vec<(&'a str, Ident)>,
    /// The notes' relative paths in order, each followed by a NUL (which
    /// no file name holds).
    notes: &'a str,
}

/// What [`scan`] gives.
pub struct Listed {
    pub scan: Scan,
    /// True when the notes came from the listing (no folder was listed).
    pub from_listing: bool,
    /// The listing to keep, when the folder was walked and it may be.
    pub to_save: Option<Vec<u8>>,
    /// Why the listing file could not be used, when it is damaged.
    pub damaged: Option<crate::i18n::Msg>,
}

/// The notes of `root`: from the listing at `path` when every folder is as
/// it was, else from a walk, whose listing is made when `record` (to be
/// written by [`save`] once the run holds the output folder).
pub fn scan(root: &Path, config: &Config, path: &Path, record: bool) -> Listed {
    let started = crate::fsx::nanos(std::time::SystemTime::now());
    let damaged = match load(path, root, config) {
        Ok(Some(scan)) => {
            return Listed {
                scan,
                from_listing: true,
                to_save: None,
                damaged: None,
            };
        }
        Ok(None) | Err(Unusable::Stale) => None,
        Err(Unusable::Damaged(why)) => Some(why),
    };
    let scan = crate::scan::scan(root, config);
    let to_save = record
        .then(|| encode(root, config, &scan, started))
        .flatten();
    Listed {
        scan,
        from_listing: false,
        to_save,
        damaged,
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
pub fn path_beside(cache: &Path) -> std::path::PathBuf {
    cache.with_file_name("folders.bin")
}

/// A hash of what a walk of `root` depends on besides its folders.
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
        use std::os::unix::fs::MetadataExt;
        if is_root {
            let m = std::fs::metadata(path).ok()?;
            return m.is_dir().then(|| Ident {
                inode: m.ino(),
                mtime: m
                    .mtime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(m.mtime_nsec()),
                ctime: m
                    .ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(m.ctime_nsec()),
            });
        }
        let m = crate::fsx::lstat(path)?;
        (!m.is_file).then_some(Ident {
            inode: m.inode,
            mtime: m.mtime,
            ctime: m.ctime,
        })
    }
    // Elsewhere a folder's identity is not all there: always walked.
    #[cfg(not(unix))]
    {
        let _ = (path, is_root);
        None
    }
}

/// The listing of `scan` (walked from `started`), when it may be kept.
fn encode(root: &Path, config: &Config, scan: &Scan, started: i64) -> Option<Vec<u8>> {
    if !scan.problems.is_empty() || !scan.leftovers.is_empty() || !scan.notes.all_below_root() {
        return None;
    }
    let mut folders = Vec::with_capacity(scan.folders.len());
    for (i, folder) in scan.folders.iter().enumerate() {
        // The root is walked first; every other folder plainly below it.
        let (rel, is_root) = if i == 0 && folder == root {
            ("", true)
        } else {
            (crate::scan::plainly_below(root, folder)?, false)
        };
        let id = ident(folder, is_root)?;
        if id.mtime.max(id.ctime) >= started.saturating_sub(RACY) {
            return None;
        }
        folders.push((rel, id));
    }
    if folders.first().is_none_or(|(rel, _)| !rel.is_empty()) {
        return None;
    }
    let mut notes = String::new();
    for rel in scan.notes.rels() {
        notes.push_str(rel);
        notes.push('\0');
    }
    let body = postcard::to_stdvec(&Listing {
        version: env!("CARGO_PKG_VERSION"),
        key: key(root, config),
        folders,
        notes: &notes,
    })
    .ok()?;
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&crate::cache::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Some(out)
}

/// The scan the listing at `path` holds for `root`, when every folder it
/// names is as it was: `Ok(None)` when there is none or a folder changed.
fn load(path: &Path, root: &Path, config: &Config) -> Result<Option<Scan>, Unusable> {
    let damaged = |id: &'static str| Unusable::Damaged(crate::i18n::Msg::new(id));
    let bytes = match crate::fsx::read_output_capped(path, MAX_LEN) {
        Ok(Some(b)) => b,
        Ok(None) => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Unusable::Damaged(crate::msg!(
                "cache-why-io",
                error = e.to_string()
            )));
        }
    };
    let (Some(head), Some(sum), Some(body)) = (bytes.get(..8), bytes.get(8..16), bytes.get(16..))
    else {
        return Err(damaged("cache-why-foreign"));
    };
    if head != MAGIC {
        return Err(damaged("cache-why-foreign"));
    }
    let sum = u64::from_le_bytes(sum.try_into().map_err(|_| damaged("cache-why-short"))?);
    if crate::cache::hash(body) != sum {
        return Err(damaged("cache-why-index"));
    }
    let listing: Listing<'_> =
        postcard::from_bytes(body).map_err(|_| damaged("cache-why-index"))?;
    if listing.version != env!("CARGO_PKG_VERSION") || listing.key != key(root, config) {
        return Err(Unusable::Stale);
    }
    // Never trusted to name a path outside the root (it is a file in
    // the user's folder): every path plain, every note a note's name in a
    // folder walked, in order and once.
    let plain = |rel: &str| {
        !rel.starts_with('/')
            && !rel.contains('\\')
            && rel.split('/').all(|part| !matches!(part, "" | "." | ".."))
    };
    let walked: std::collections::HashSet<&str> =
        listing.folders.iter().map(|&(rel, _)| rel).collect();
    let root_first = listing
        .folders
        .first()
        .is_some_and(|(rel, _)| rel.is_empty());
    let folders_plain = listing.folders.iter().skip(1).all(|&(rel, _)| plain(rel));
    let mut last: Option<&str> = None;
    let notes_sound = listing.notes.split_terminator('\0').all(|rel| {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let sound = plain(rel)
            && crate::scan::is_note_name(name)
            && walked.contains(folder)
            && last.is_none_or(|l| l < rel);
        last = Some(rel);
        sound
    });
    if !root_first || !folders_plain || !notes_sound {
        return Err(damaged("cache-why-index"));
    }
    if listing.folders.len() > MAX_FOLDERS {
        return Err(damaged("cache-why-index"));
    }
    for &(rel, id) in &listing.folders {
        let is_root = rel.is_empty();
        let folder = if is_root {
            root.to_path_buf()
        } else {
            root.join(rel)
        };
        if ident(&folder, is_root) != Some(id) {
            return Ok(None);
        }
    }
    let notes = Notes::below_root(root, listing.notes.split_terminator('\0'));
    Ok(Some(Scan::of_notes(notes)))
}

#[cfg(test)]
mod tests {
    use super::{Ident, Listing, MAGIC, encode, key, load, save, scan};
    use crate::cache::Unusable;
    use crate::config::Config;
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
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\nclient: X\n---\n").unwrap();
        }
        let config = Config::load(root, None).unwrap();
        (dir, config)
    }

    fn rels(scan: &crate::scan::Scan) -> Vec<String> {
        scan.notes.rels().map(str::to_string).collect()
    }

    /// A walk as if it had started a minute from now: its folders are
    /// then old enough to keep (the racy rule is tested on its own).
    fn kept(root: &Path, config: &Config, path: &Path) -> Vec<String> {
        let walked = crate::scan::scan(root, config);
        let later = crate::fsx::nanos(std::time::SystemTime::now()) + 60_000_000_000;
        let bytes = encode(root, config, &walked, later).expect("a listing");
        save(&crate::cache::path_for(config), &bytes).unwrap();
        assert!(path.is_file());
        rels(&walked)
    }

    fn path_of(config: &Config) -> std::path::PathBuf {
        super::path_beside(&crate::cache::path_for(config))
    }

    #[test]
    fn a_kept_walk_is_used_until_a_folder_changes() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        let walked = kept(root, &config, &path);
        assert_eq!(walked, ["a.md", "sub/b.md", "sub/deep/c.markdown"]);
        let listed = scan(root, &config, &path, true);
        assert!(listed.from_listing && listed.to_save.is_none());
        assert_eq!(rels(&listed.scan), walked);
        // Editing a note leaves its folder as it was.
        std::fs::write(root.join("sub/deep/c.markdown"), "---\nclient: Y\n---\n").unwrap();
        assert!(scan(root, &config, &path, true).from_listing);
        // A note added two levels down: that folder changed, and the walk
        // finds the note (its folder is too new to keep at once).
        std::fs::write(root.join("sub/deep/e.md"), "---\nclient: E\n---\n").unwrap();
        assert!(matches!(load(&path, root, &config), Ok(None)));
        let walked_again = scan(root, &config, &path, true);
        assert!(!walked_again.from_listing);
        assert!(walked_again.to_save.is_none(), "a folder changed just now");
        assert_eq!(
            rels(&walked_again.scan),
            ["a.md", "sub/b.md", "sub/deep/c.markdown", "sub/deep/e.md"]
        );
    }

    #[test]
    fn a_folder_removed_renamed_or_made_again_is_walked() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        kept(root, &config, &path);
        std::fs::remove_dir_all(root.join("sub/deep")).unwrap();
        assert!(matches!(load(&path, root, &config), Ok(None)));
        assert_eq!(
            rels(&scan(root, &config, &path, true).scan),
            ["a.md", "sub/b.md"]
        );
        kept(root, &config, &path);
        // Moved away and another folder of the same name put in its place.
        std::fs::rename(root.join("sub"), root.join("old")).unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/z.md"), "---\nclient: Z\n---\n").unwrap();
        assert!(matches!(load(&path, root, &config), Ok(None)));
        assert_eq!(
            rels(&scan(root, &config, &path, true).scan),
            ["a.md", "old/b.md", "sub/z.md"]
        );
    }

    #[test]
    fn another_output_folder_or_exclude_drops_the_listing() {
        let (dir, mut config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        kept(root, &config, &path);
        config.exclude_patterns = vec!["sub/**".into()];
        assert!(matches!(load(&path, root, &config), Err(Unusable::Stale)));
    }

    #[test]
    fn a_walk_with_a_folder_changed_just_before_it_is_not_kept() {
        let (dir, config) = folder();
        let root = dir.path();
        let walked = crate::scan::scan(root, &config);
        let now = crate::fsx::nanos(std::time::SystemTime::now());
        assert!(encode(root, &config, &walked, now).is_none());
        // Nor one that left something to tidy (a killed run's file).
        std::fs::write(root.join("sub/.notes-vet-tmp-abc123"), "").unwrap();
        let walked = crate::scan::scan(root, &config);
        assert_eq!(walked.leftovers.len(), 1, "{:?}", walked.leftovers);
        assert!(encode(root, &config, &walked, now + 60_000_000_000).is_none());
    }

    #[test]
    fn a_damaged_truncated_or_foreign_listing_is_said_and_walked_past() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        kept(root, &config, &path);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0x20;
        let foreign = [b"NOTAFILE".as_slice(), &good[8..]].concat();
        for (bytes, why) in [
            (flipped, "cache-why-index"),
            (good[..good.len() / 2].to_vec(), "cache-why-index"),
            (good[..10].to_vec(), "cache-why-foreign"),
            (foreign, "cache-why-foreign"),
        ] {
            std::fs::write(&path, &bytes).unwrap();
            match load(&path, root, &config) {
                Err(Unusable::Damaged(m)) => assert_eq!(m.id, why),
                _ => panic!("{why}: not said"),
            }
            let listed = scan(root, &config, &path, true);
            assert!(!listed.from_listing && listed.damaged.is_some());
            assert_eq!(
                rels(&listed.scan),
                ["a.md", "sub/b.md", "sub/deep/c.markdown"]
            );
        }
    }

    /// A listing is a file in the user's folder: one naming a path outside
    /// the root, out of order, or in a folder not walked is refused, even
    /// with a good checksum.
    #[test]
    fn a_listing_never_names_a_path_outside_the_root() {
        let (dir, config) = folder();
        let (root, path) = (dir.path(), path_of(&config));
        kept(root, &config, &path);
        let id = |p: &Path| {
            let m = crate::fsx::lstat(p).unwrap();
            Ident {
                inode: m.inode,
                mtime: m.mtime,
                ctime: m.ctime,
            }
        };
        let root_id = {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(root).unwrap();
            Ident {
                inode: m.ino(),
                mtime: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
                ctime: m.ctime() * 1_000_000_000 + m.ctime_nsec(),
            }
        };
        let sub = id(&root.join("sub"));
        for notes in [
            "../outside.md\0",
            "sub/../../outside.md\0",
            "/etc/x.md\0",
            "sub/b.md\0a.md\0",
            "a.md\0a.md\0",
            "other/b.md\0",
            "sub/readme.txt\0",
        ] {
            let body = postcard::to_stdvec(&Listing {
                version: env!("CARGO_PKG_VERSION"),
                key: key(root, &config),
                folders: vec![("", root_id), ("sub", sub)],
                notes,
            })
            .unwrap();
            let bytes = [
                MAGIC.as_slice(),
                &crate::cache::hash(&body).to_le_bytes(),
                &body,
            ]
            .concat();
            std::fs::write(&path, bytes).unwrap();
            assert!(
                matches!(load(&path, root, &config), Err(Unusable::Damaged(_))),
                "{notes:?}"
            );
        }
    }
}
