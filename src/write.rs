//! Writes generated files without ever losing a user's words.
//!
//! - Every write is atomic: a temporary file in the same folder, then a
//!   rename. A file is rewritten only when its bytes change.
//! - A manifest (`.notes-vet-manifest.json` in the output folder) records
//!   the hash of every file notes-vet wrote. A file whose bytes no longer
//!   match is one the user edited: it is kept, never overwritten or deleted.
//!   A file the manifest does not list is not ours: it is never touched.
//! - Before each write its hash goes to a journal, so that a run killed
//!   between the write and the manifest still recognises its own files next
//!   time. Temporary files left by a killed run are removed by the next.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

const MANIFEST: &str = ".notes-vet-manifest.json";
const JOURNAL: &str = ".notes-vet-journal";
/// The name prefix of notes-vet's temporary files.
pub const TEMP_PREFIX: &str = ".notes-vet-tmp-";

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
    /// Ours, but edited by the user since: kept as it is.
    KeptEdited,
    /// Not written by notes-vet: never touched.
    KeptForeign,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    /// Path relative to the output folder -> hashes of the contents
    /// notes-vet wrote there (more than one only after a killed run).
    files: BTreeMap<String, Vec<String>>,
}

/// The hash recorded for a file's bytes.
pub fn hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Writes files below one output folder.
pub struct Writer {
    root: PathBuf,
    previous: BTreeMap<String, Vec<String>>,
    recorded: Mutex<BTreeMap<String, Vec<String>>>,
    journal: Mutex<Option<fs::File>>,
}

/// Checks that `rel` is a plain relative path that stays inside the root.
pub fn safe_relative(rel: &str) -> io::Result<&Path> {
    let p = Path::new(rel);
    let ok = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel:?}"),
        ))
    }
}

impl Writer {
    /// Opens the output folder: removes temporary files of a killed run
    /// and reads the manifest (and the journal a killed run left).
    pub fn open(root: &Path) -> io::Result<Writer> {
        fs::create_dir_all(root)?;
        remove_temp_files(root)?;
        let mut previous: BTreeMap<String, Vec<String>> = match fs::read(root.join(MANIFEST)) {
            Ok(bytes) => serde_json::from_slice::<Manifest>(&bytes)
                .map(|m| m.files)
                .unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e),
        };
        if let Ok(journal) = fs::read_to_string(root.join(JOURNAL)) {
            for line in journal.lines() {
                if let Some((h, rel)) = line.split_once(' ') {
                    let entry = previous.entry(rel.to_string()).or_default();
                    if !entry.iter().any(|x| x == h) {
                        entry.push(h.to_string());
                    }
                }
            }
        }
        Ok(Writer {
            root: root.to_path_buf(),
            previous,
            recorded: Mutex::new(BTreeMap::new()),
            journal: Mutex::new(None),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many files the manifest lists.
    pub fn file_count(&self) -> usize {
        self.previous.len()
    }

    /// True when notes-vet wrote `rel` before (edited or not).
    pub fn is_ours(&self, rel: &str) -> bool {
        self.previous.contains_key(rel)
    }

    /// Writes `content` to `rel` (relative to the output folder) unless the
    /// file is the user's or unchanged.
    pub fn put(&self, rel: &str, content: &str) -> io::Result<Written> {
        let path = self.root.join(safe_relative(rel)?);
        let new_hash = hash(content.as_bytes());
        let known = self.previous.get(rel);
        let outcome = match fs::read(&path) {
            Ok(current) => {
                let current_hash = hash(&current);
                match known {
                    None if current == content.as_bytes() => Written::Unchanged, // ours from a run killed before its journal
                    None => return Ok(Written::KeptForeign),
                    Some(hashes) if !hashes.contains(&current_hash) => {
                        self.record(rel, hashes.clone());
                        return Ok(Written::KeptEdited);
                    }
                    Some(_) if current == content.as_bytes() => Written::Unchanged,
                    Some(_) => {
                        self.write_atomic(rel, &path, content, &new_hash)?;
                        Written::Updated
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.write_atomic(rel, &path, content, &new_hash)?;
                Written::Created
            }
            Err(e) => return Err(e),
        };
        self.record(rel, vec![new_hash]);
        Ok(outcome)
    }

    fn record(&self, rel: &str, hashes: Vec<String>) {
        if let Ok(mut r) = self.recorded.lock() {
            r.insert(rel.to_string(), hashes);
        }
    }

    fn write_atomic(
        &self,
        rel: &str,
        path: &Path,
        content: &str,
        new_hash: &str,
    ) -> io::Result<()> {
        self.journal(rel, new_hash)?;
        let dir = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir)?;
        write_file_atomic(path, content.as_bytes())
    }

    fn journal(&self, rel: &str, new_hash: &str) -> io::Result<()> {
        let mut guard = self
            .journal
            .lock()
            .map_err(|_| io::Error::other("journal lock poisoned"))?;
        if guard.is_none() {
            *guard = Some(
                fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(self.root.join(JOURNAL))?,
            );
        }
        match guard.as_mut() {
            Some(f) => f.write_all(format!("{new_hash} {rel}\n").as_bytes()),
            None => Ok(()),
        }
    }

    /// Ends the run: removes our files that no longer apply (unless edited,
    /// or belonging to a note in `retain`, e.g. one that failed to parse),
    /// saves the manifest and drops the journal. Returns the stale files
    /// kept because the user edited them.
    pub fn finish(self, retain: &dyn Fn(&str) -> bool) -> io::Result<Vec<String>> {
        let mut recorded = self.recorded.into_inner().unwrap_or_default();
        let mut kept = Vec::new();
        let mut emptied: BTreeSet<PathBuf> = BTreeSet::new();
        for (rel, hashes) in &self.previous {
            if recorded.contains_key(rel) {
                continue;
            }
            let Ok(p) = safe_relative(rel) else { continue };
            let path = self.root.join(p);
            match fs::read(&path) {
                Ok(_) if retain(rel) => {
                    recorded.insert(rel.clone(), hashes.clone());
                }
                Ok(current) if hashes.contains(&hash(&current)) => {
                    fs::remove_file(&path)?;
                    if let Some(parent) = path.parent() {
                        emptied.insert(parent.to_path_buf());
                    }
                }
                Ok(_) => {
                    recorded.insert(rel.clone(), hashes.clone());
                    kept.push(rel.clone());
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        for dir in emptied.iter().rev() {
            let mut d = dir.clone();
            // Remove folders left empty, never the output folder itself.
            while d.starts_with(&self.root) && d != self.root && fs::remove_dir(&d).is_ok() {
                if !d.pop() {
                    break;
                }
            }
        }
        let manifest = Manifest {
            version: 1,
            files: recorded,
        };
        let text = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
        let path = self.root.join(MANIFEST);
        if fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            write_file_atomic(&path, text.as_bytes())?;
        }
        if let Some(f) = self.journal.into_inner().ok().flatten() {
            drop(f);
            fs::remove_file(self.root.join(JOURNAL))?;
        }
        Ok(kept)
    }

    /// Removes every file notes-vet wrote that the user has not edited, and
    /// the manifest. Returns the files kept because they were edited.
    pub fn clean(self) -> io::Result<Vec<String>> {
        let this = Writer {
            recorded: Mutex::new(BTreeMap::new()),
            ..self
        };
        let root = this.root.clone();
        let kept = this.finish(&|_| false)?;
        if kept.is_empty() {
            let _ = fs::remove_file(root.join(MANIFEST));
            let _ = fs::remove_dir(&root);
        }
        Ok(kept)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, keeping the permissions of the file it replaces (or ordinary
/// ones for a new file).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("a file path has a parent folder"))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    let permissions = fs::metadata(path)
        .map(|m| m.permissions())
        .ok()
        .or_else(new_file_permissions);
    if let Some(p) = permissions {
        fs::set_permissions(tmp.path(), p)?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Ordinary permissions for a new file (the temporary file starts private).
#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Removes the temporary files a killed run left in the output folder.
fn remove_temp_files(root: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file()
            && entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}
