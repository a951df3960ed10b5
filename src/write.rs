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

use crate::pathmap::PathMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

mod snapshot;
/// Where the manifest's binary copy is in the output folder.
pub use snapshot::REL as SNAPSHOT;

const MANIFEST: &str = ".notes-vet-manifest.json";
const JOURNAL: &str = ".notes-vet-journal";
/// The name prefix of notes-vet's temporary files.
pub const TEMP_PREFIX: &str = ".notes-vet-tmp-";

/// True for the exact name of a temporary file notes-vet makes (the prefix
/// and six random letters or digits), so that no other file is ever taken
/// for one and removed.
pub fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

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

#[derive(Debug, Default, Deserialize)]
struct Manifest {
    version: u32,
    /// Path relative to the output folder -> what notes-vet wrote there.
    files: PathMap<FileEntry>,
    /// Note path -> the hash of everything its outputs were made from, and
    /// those outputs; lets an unchanged note skip rendering.
    #[serde(default, deserialize_with = "read_notes")]
    notes: PathMap<NoteEntry>,
    /// Note path -> hashes of the annotation blocks notes-vet wrote into it.
    #[serde(default)]
    annotations: BTreeMap<String, Vec<String>>,
    /// Folders notes-vet created (relative; "" for the output folder): the
    /// only folders it ever removes.
    #[serde(default)]
    dirs: BTreeSet<String>,
}

/// How many versions of a file notes-vet remembers writing.
const HASH_HISTORY: usize = 8;

/// A journal line about an annotation block starts with this.
const ANNOTATION_PREFIX: &str = "@annotation:";

/// Who an annotation block belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockOwner {
    /// Written by notes-vet and not edited since.
    Ours,
    /// Written by notes-vet, then edited by the user.
    Edited,
    /// notes-vet has no record of writing it.
    Unknown,
}

/// What notes-vet wrote at one path. A folder of 100,000 notes keeps
/// about 180,000 of these for a whole run, so they are compact: hashes as
/// numbers, the newest in the record itself, the date as a date (the
/// manifest's JSON spells them out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "FileRead", into = "FileWire")]
pub struct FileEntry {
    /// Hashes of the contents written there, newest first (more than one
    /// after a change, or a killed run).
    pub hashes: Hashes,
    /// Size and modification time (ns) seen right after writing, when
    /// `has_stat`: when both still match, the file is taken as untouched
    /// without reading it. (Not an `Option`, which would make the record
    /// 8 bytes larger.)
    stat: (u64, u64),
    has_stat: bool,
    /// The run's today when this version was written (a letter drafted
    /// after the date a note records for sending it is not the one sent).
    pub on: Option<jiff::civil::Date>,
    /// Written or confirmed since the last [`Writer::sweep`] (not saved).
    seen: bool,
}

impl FileEntry {
    pub fn stat(&self) -> Option<(u64, u64)> {
        self.has_stat.then_some(self.stat)
    }

    fn set_stat(&mut self, stat: Option<(u64, u64)>) {
        self.stat = stat.unwrap_or_default();
        self.has_stat = stat.is_some();
    }
}

/// The hashes of what notes-vet wrote at one path, newest first. Nearly
/// every file has one, held in place; more (after a change) are boxed,
/// where a box for each, even of one, took 3 MB at 100,000 notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hashes(Held);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Held {
    #[default]
    None,
    /// One hash, in [`halves`].
    One([u64; 2]),
    Many(Box<[u128]>),
}

/// A 128-bit hash as two halves: a `u128` field would align its record to
/// 16 bytes and make it a third larger.
fn halves(h: u128) -> [u64; 2] {
    [(h >> 64) as u64, h as u64]
}

/// The hash [`halves`] split.
fn whole(h: [u64; 2]) -> u128 {
    (u128::from(h[0]) << 64) | u128::from(h[1])
}

impl Hashes {
    /// The newest.
    pub fn first(&self) -> Option<u128> {
        self.iter().next()
    }

    pub fn contains(&self, h: &u128) -> bool {
        self.iter().any(|x| x == *h)
    }

    pub fn iter(&self) -> impl Iterator<Item = u128> + '_ {
        let (one, many): (Option<u128>, &[u128]) = match &self.0 {
            Held::None => (None, &[]),
            Held::One(h) => (Some(whole(*h)), &[]),
            Held::Many(all) => (None, all),
        };
        one.into_iter().chain(many.iter().copied())
    }
}

impl FromIterator<u128> for Hashes {
    fn from_iter<I: IntoIterator<Item = u128>>(iter: I) -> Hashes {
        // One hash (most records) is held without a list.
        let mut it = iter.into_iter().fuse();
        Hashes(match (it.next(), it.next()) {
            (None, _) => Held::None,
            (Some(h), None) => Held::One(halves(h)),
            (Some(a), Some(b)) => Held::Many([a, b].into_iter().chain(it).collect()),
        })
    }
}

/// [`FileEntry`] as the manifest's JSON has it (read as [`FileRead`]).
#[derive(Serialize)]
struct FileWire {
    hashes: Vec<String>,
    #[serde(default)]
    stat: Option<(u64, u128)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on: Option<String>,
}

/// [`FileWire`] as it is read: its hashes and date taken from the text as
/// it streams past, without a string of their own each (at 100,000 notes
/// the manifest holds 280,000 records, read at the start of every run).
#[derive(Deserialize)]
struct FileRead {
    hashes: HashesRead,
    #[serde(default)]
    stat: Option<(u64, u128)>,
    #[serde(default)]
    on: Option<FromText<jiff::civil::Date>>,
}

/// What [`FromText`] reads: a hash, a date.
trait Textual: Sized {
    const WHAT: &'static str;
    fn from_text(text: &str) -> Option<Self>;
}

impl Textual for u128 {
    const WHAT: &'static str = "a hash";
    fn from_text(text: &str) -> Option<u128> {
        parse_hash(text)
    }
}

impl Textual for jiff::civil::Date {
    const WHAT: &'static str = "a date";
    fn from_text(text: &str) -> Option<jiff::civil::Date> {
        crate::dates::parse_date(text)
    }
}

/// A value read from a string where it streams past, with no string of
/// its own: `None` when the text is not one (a hash that is not one
/// notes-vet makes can match no file, and leaving it out changes nothing;
/// a date that is not one says nothing). Another type is an error.
struct FromText<T>(Option<T>);

impl<'de, T: Textual> Deserialize<'de> for FromText<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<T: Textual> serde::de::Visitor<'_> for V<T> {
            type Value = FromText<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FromText<T>, E> {
                Ok(FromText(T::from_text(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// The hashes of a record as read, those that are notes-vet's.
struct HashesRead(Hashes);

impl<'de> Deserialize<'de> for HashesRead {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        hashes_from_seq(d, |FromText(h): FromText<u128>| h).map(HashesRead)
    }
}

/// [`Hashes`] read from a list of `E`s (the manifest's hex texts, or the
/// binary copy's numbers), each giving a hash or none (one that is not
/// notes-vet's): the first apart, so that a record with one makes no list.
pub(crate) fn hashes_from_seq<'de, D, E>(
    d: D,
    hash: fn(E) -> Option<u128>,
) -> Result<Hashes, D::Error>
where
    D: serde::Deserializer<'de>,
    E: Deserialize<'de>,
{
    struct Seq<E>(fn(E) -> Option<u128>);
    impl<'de, E: Deserialize<'de>> serde::de::Visitor<'de> for Seq<E> {
        type Value = Hashes;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of hashes")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Hashes, A::Error> {
            let (mut first, mut more) = (None, Vec::new());
            while let Some(e) = seq.next_element::<E>()? {
                let h = (self.0)(e);
                match first {
                    None => first = h,
                    Some(_) => more.extend(h),
                }
            }
            Ok(first.into_iter().chain(more).collect())
        }
    }
    d.deserialize_seq(Seq(hash))
}

impl From<FileRead> for FileEntry {
    fn from(w: FileRead) -> Self {
        let mut entry = FileEntry {
            hashes: w.hashes.0,
            stat: Default::default(),
            has_stat: false,
            on: w.on.and_then(|d| d.0),
            seen: false,
        };
        entry.set_stat(
            w.stat
                .and_then(|(len, ns)| Some((len, u64::try_from(ns).ok()?))),
        );
        entry
    }
}

impl From<FileEntry> for FileWire {
    fn from(e: FileEntry) -> Self {
        FileWire {
            hashes: e.hashes.iter().map(show_hash).collect(),
            stat: e.stat().map(|(len, ns)| (len, u128::from(ns))),
            on: e.on.map(|d| d.to_string()),
        }
    }
}

/// The inputs and outputs of one note at the last run. The outputs of the
/// note's own layout (its summary and letters) are one bit each, not
/// paths: a folder of 100,000 notes keeps one of these per note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteEntry {
    /// The hash of its inputs, in [`halves`].
    inputs: [u64; 2],
    /// Which of the files of [`OWN_LAYOUT`] the note has, in that order, before
    /// `other`.
    standard: u8,
    /// Any other outputs, or all of them when they are not in that order;
    /// rare, so behind one thin box (8 bytes where none, not 16).
    #[allow(clippy::box_collection)]
    other: Option<Box<Vec<Box<str>>>>,
    /// Recorded or reused since the last [`Writer::sweep`] (not saved).
    seen: bool,
}

/// The files note `note` can have, in the order its outputs are listed:
/// its summary, its letters and their fresh drafts.
#[cfg(test)]
fn standard_outputs(note: &str) -> [String; 7] {
    let stem = crate::scan::note_stem(note);
    OWN_LAYOUT.map(|(dir, suffix)| format!("{dir}{stem}{suffix}"))
}

/// The files of a note's own layout: folder, then what follows the stem.
const OWN_LAYOUT: [(&str, &str); 7] = [
    ("summaries/", ".md"),
    ("letters/", "-rejection.md"),
    ("letters/", "-feedback.md"),
    ("letters/", "-expectations.md"),
    ("letters/", "-rejection.draft.md"),
    ("letters/", "-feedback.draft.md"),
    ("letters/", "-expectations.draft.md"),
];

/// The note stem an output of a note's own layout is named after
/// (`summaries/a/b.md`, `letters/a/b-rejection.draft.md` -> `a/b`).
fn output_stem(rel: &str) -> Option<&str> {
    if let Some(s) = rel.strip_prefix("summaries/") {
        return s.strip_suffix(".md");
    }
    let s = rel.strip_prefix("letters/")?;
    let s = s
        .strip_suffix(".draft.md")
        .or_else(|| s.strip_suffix(".md"))?;
    ["-rejection", "-feedback", "-expectations"]
        .iter()
        .find_map(|k| s.strip_suffix(k))
}

impl NoteEntry {
    /// The record of note `note`, compact: [`NoteEntry::outputs`] gives
    /// back `outputs` exactly, in their order.
    fn new(note: &str, inputs: u128, outputs: Vec<String>) -> NoteEntry {
        let (mut standard, mut other) = (0u8, Vec::new());
        if !note.starts_with('@') {
            let stem = crate::scan::note_stem(note);
            // `o` is `{dir}{stem}{suffix}`, checked without making it.
            let is = |o: &str, (dir, suffix): &(&str, &str)| {
                o.len() == dir.len() + stem.len() + suffix.len()
                    && o.starts_with(dir)
                    && o.ends_with(suffix)
                    && o.get(dir.len()..dir.len() + stem.len()) == Some(stem)
            };
            let mut next = 0;
            for o in outputs {
                match OWN_LAYOUT.iter().skip(next).position(|l| is(&o, l)) {
                    Some(i) if other.is_empty() => {
                        standard |= 1 << (next + i);
                        next += i + 1;
                    }
                    _ => other.push(o.into_boxed_str()),
                }
            }
        } else {
            other = outputs.into_iter().map(String::into_boxed_str).collect();
        }
        NoteEntry {
            inputs: halves(inputs),
            standard,
            other: (!other.is_empty()).then(|| Box::new(other)),
            seen: false,
        }
    }

    fn inputs(&self) -> u128 {
        whole(self.inputs)
    }

    /// Its outputs, as recorded.
    fn outputs(&self, note: &str) -> Vec<String> {
        let mut out = Vec::with_capacity(self.standard.count_ones() as usize);
        if self.standard != 0 {
            let stem = crate::scan::note_stem(note);
            for (i, (dir, suffix)) in OWN_LAYOUT.iter().enumerate() {
                if self.standard & (1 << i) != 0 {
                    // Joined by hand: a few of these are made for every
                    // note of every run (`format!` costs twice as much).
                    let mut o = String::with_capacity(dir.len() + stem.len() + suffix.len());
                    o.push_str(dir);
                    o.push_str(stem);
                    o.push_str(suffix);
                    out.push(o);
                }
            }
        }
        out.extend(
            self.other
                .iter()
                .flat_map(|o| o.iter())
                .map(|o| o.to_string()),
        );
        out
    }
}

/// A note's record as the manifest's JSON has it.
#[derive(Serialize, Deserialize)]
struct NoteWire {
    inputs: String,
    outputs: Vec<String>,
}

/// The notes of the manifest, serialized as JSON has them.
struct NotesRef<'a>(&'a PathMap<NoteEntry>);

impl Serialize for NotesRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(note, e)| {
            (
                note,
                NoteWire {
                    inputs: show_hash(e.inputs()),
                    outputs: e.outputs(note),
                },
            )
        }))
    }
}

/// Reads the manifest's notes one by one into their compact records.
fn read_notes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PathMap<NoteEntry>, D::Error> {
    crate::pathmap::read_map(d, |note, w: NoteWire| {
        // An unreadable hash matches no run's inputs (0 is none).
        let inputs = parse_hash(&w.inputs).unwrap_or(0);
        NoteEntry::new(note, inputs, w.outputs)
    })
}

/// A hash as [`hash`] writes it (32 lowercase hex digits), as a number.
fn parse_hash(h: &str) -> Option<u128> {
    if h.len() == 32
        && h.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        u128::from_str_radix(h, 16).ok()
    } else {
        None
    }
}

fn show_hash(h: u128) -> String {
    format!("{h:032x}")
}

/// The hash recorded for a file's bytes, as a number.
fn hash128(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

fn stat_of(path: &Path) -> Option<(u64, u64)> {
    stat_pair(crate::fsx::lstat(path)?)
}

/// [`stat_of`] of output `rel` in folder `root`, looked up from its
/// folder (see [`crate::fsx::lstat_under`]).
fn stat_under(root: &Path, rel: &str) -> Option<(u64, u64)> {
    stat_pair(crate::fsx::lstat_under(root, rel)?)
}

fn stat_pair(m: crate::fsx::Lstat) -> Option<(u64, u64)> {
    // A time past what nanoseconds from 1970 hold (the year 2262) is
    // saturated: two such times would look alike, so none is trusted.
    if m.mtime == i64::MAX {
        return None;
    }
    Some((m.len, u64::try_from(m.mtime).ok()?))
}

/// The hash of several byte strings one after the other (as if joined),
/// without joining them.
pub fn hash_parts(parts: &[&[u8]]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p);
    }
    format!("{:032x}", h.digest128())
}

/// The hash of a value as its [`std::hash::Hash`] feeds it (far cheaper
/// than hashing a text made of the value), as the number the manifest's
/// records hold: a note's inputs, made for every note of every run, need
/// no text.
pub fn hash_value128(value: &impl std::hash::Hash) -> u128 {
    gathered(value, xxhash_rust::xxh3::xxh3_128)
}

/// `then` of the bytes `Hash` feeds for `value`, gathered in one buffer:
/// hashing them at once gives the digest of feeding XXH3 piece by piece
/// (its streaming form equals the one-shot over the same bytes, and it
/// takes nothing but `write`), for much less work on a report's many
/// small fields (every note's, on every run).
fn gathered<R>(value: &impl std::hash::Hash, then: impl FnOnce(&[u8]) -> R) -> R {
    struct Gather(Vec<u8>);
    impl std::hash::Hasher for Gather {
        fn finish(&self) -> u64 {
            xxhash_rust::xxh3::xxh3_64(&self.0)
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }
    thread_local! {
        static GATHERED: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut g = Gather(GATHERED.take());
    g.0.clear();
    value.hash(&mut g);
    let out = then(&g.0);
    // A buffer grown by an odd value is not kept.
    if g.0.capacity() <= 1 << 16 {
        GATHERED.set(g.0);
    }
    out
}

/// The hash recorded for a file's bytes.
pub fn hash(bytes: &[u8]) -> String {
    hash_parts(&[bytes])
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

/// What the output folder holds, as notes-vet knows it: the manifest.
#[derive(Debug, Default)]
struct State {
    files: PathMap<FileEntry>,
    notes: PathMap<NoteEntry>,
    annotations: BTreeMap<String, Vec<String>>,
    dirs: BTreeSet<String>,
}

/// The records behind their lock, with whether they may differ from the
/// manifest last saved or read.
struct Guarded {
    state: State,
    /// Set by every mutable use of the records ([`StateGuard`]'s
    /// `DerefMut`): so a run that changed nothing skips serializing them
    /// to learn that the manifest is the same (at 100,000 notes, 40 MB of
    /// JSON). Only the `seen` marks, which the manifest does not hold, are
    /// changed without it ([`Writer::marks`]).
    dirty: bool,
}

/// The records, locked: reading them leaves them clean; a mutable use
/// marks them as changed.
struct StateGuard<'a>(std::sync::MutexGuard<'a, Guarded>);

impl std::ops::Deref for StateGuard<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0.state
    }
}

impl std::ops::DerefMut for StateGuard<'_> {
    fn deref_mut(&mut self) -> &mut State {
        self.0.dirty = true;
        &mut self.0.state
    }
}

/// Writes files below one output folder. It lives as long as its process
/// (one `check`, or a whole `watch` session): what it knows is updated in
/// place with every write, [`Writer::retire`] removes one note's files, and
/// [`Writer::save`] makes the manifest match and drops the journal.
pub struct Writer {
    /// What the user should know about the output folder (a damaged
    /// manifest set aside).
    pub notices: Vec<String>,
    root: PathBuf,
    state: Mutex<Guarded>,
    journal: Mutex<Option<fs::File>>,
    /// The run's today, recorded with each file written.
    today: Mutex<Option<jiff::civil::Date>>,
    /// Held shared while a folder is made and written into, exclusively
    /// while empty folders are removed: a worker never loses the folder it
    /// is writing into to another worker's clean-up.
    dirs_lock: std::sync::RwLock<()>,
    /// The hash of the manifest text last saved (or read), to skip
    /// identical writes (the text itself is not kept: it grows with the
    /// folder).
    saved: Mutex<Option<u128>>,
    /// Whether the manifest's binary copy ([`snapshot`]) is read and kept.
    snapshots: bool,
    /// Whether that copy holds what the manifest last saved (or read) holds.
    copied: Mutex<bool>,
}

impl Writer {
    /// Opens the output folder: removes temporary files of a killed run
    /// and reads the manifest (and the journal a killed run left).
    ///
    /// The caller has checked that `root` is a real folder inside the notes
    /// folder ([`crate::fsx::check_real_folder`]).
    pub fn open(root: &Path) -> io::Result<Writer> {
        Writer::open_with(root, true)
    }

    /// [`Writer::open`], reading and keeping the manifest's binary copy
    /// ([`snapshot`]) unless `snapshots` is false (`--no-cache`).
    pub fn open_with(root: &Path, snapshots: bool) -> io::Result<Writer> {
        // Ours when missing, or holding nothing but the lock notes-vet just
        // took there.
        let created_root = match crate::fsx::kind(root)? {
            crate::fsx::Kind::Missing => true,
            crate::fsx::Kind::Dir => fs::read_dir(root)?
                .flatten()
                .all(|e| e.file_name() == crate::lock::LOCK_FILE),
            _ => false,
        };
        fs::create_dir_all(root)?;
        if crate::fsx::kind(root)? != crate::fsx::Kind::Dir {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a real folder; refusing to write there",
                    root.display()
                ),
            ));
        }
        // What killed runs left is removed while the manifest is read:
        // the two look at different files (a temporary file is never the
        // manifest), and each walks or reads the whole folder's records.
        // Files in the subfolders are written only after their line in the
        // journal, which a run removes last: with no journal, no killed
        // run left any there, and only the folder itself (where the
        // manifest's temporary file goes) is looked at.
        let deep = fs::symlink_metadata(root.join(JOURNAL)).is_ok();
        let (removed, read) = std::thread::scope(|s| {
            let removing = s.spawn(|| remove_temp_files(root, deep));
            let read = Writer::read_records(root, snapshots);
            let removed = removing
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("removing temporary files failed")));
            (removed, read)
        });
        removed?;
        let (notices, manifest, saved, copied) = read?;
        // A manifest not read from its copy: the last run may not have
        // ended as it should (a power cut can lose the journal's last
        // lines but keep a temporary file), so the subfolders are looked
        // at too. A run that read the copy follows one that saved both.
        if !deep && !copied {
            remove_temp_files(root, true)?;
        }
        let mut state = State {
            files: manifest.files,
            notes: manifest.notes,
            annotations: manifest.annotations,
            dirs: manifest.dirs,
        };
        if manifest.version < 2 {
            // Manifests before version 2 did not list folders: the folders
            // of the files notes-vet wrote are its own.
            let dirs: Vec<String> = state
                .files
                .keys()
                .flat_map(|rel| {
                    let parts: Vec<&str> = rel.split('/').collect();
                    (1..parts.len()).map(move |i| parts[..i].join("/"))
                })
                .collect();
            state.dirs.extend(dirs);
        }
        // Records that differ from the manifest file from the start.
        let dirty = saved.is_none() || manifest.version < 2 || created_root;
        if created_root {
            state.dirs.insert(String::new());
        }
        let journal = match crate::fsx::read_output_capped(
            &root.join(JOURNAL),
            crate::fsx::BOOKKEEPING_CAP,
        ) {
            Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            Ok(None) => String::new(),
            // A journal that cannot be read would lose what a killed run
            // wrote: stop rather than guess.
            Err(e) => return Err(e),
        };
        {
            for line in journal.lines() {
                if let Some((h, note)) = line
                    .split_once(' ')
                    .and_then(|(h, r)| Some((h, r.strip_prefix(ANNOTATION_PREFIX)?)))
                {
                    let entry = state.annotations.entry(note.to_string()).or_default();
                    if !entry.iter().any(|x| x == h) {
                        entry.push(h.to_string());
                    }
                    state.notes.clear();
                } else if let Some((h, rel)) = line.split_once(' ') {
                    let entry = state.files.get_or_default(rel);
                    if let Some(h) = parse_hash(h)
                        && !entry.hashes.contains(&h)
                    {
                        entry.hashes = entry.hashes.iter().chain([h]).collect();
                    }
                    // Its stat can no longer be trusted, nor can the
                    // shortcut for any note.
                    entry.set_stat(None);
                    state.notes.clear();
                }
            }
        }
        Ok(Writer {
            notices,
            root: root.to_path_buf(),
            state: Mutex::new(Guarded {
                state,
                // What a killed run journaled is not in the manifest yet.
                dirty: dirty || !journal.is_empty(),
            }),
            journal: Mutex::new(None),
            today: Mutex::new(None),
            dirs_lock: std::sync::RwLock::new(()),
            saved: Mutex::new(saved),
            snapshots,
            // The copy holds the records only when they were read from it
            // and nothing journaled was added since.
            copied: Mutex::new(copied && journal.is_empty()),
        })
    }

    /// Reads the manifest (a link planted there, or where the journal
    /// goes, is removed; a damaged one is set aside and what can be read
    /// of it is recovered): what to tell the user, the records and the
    /// hash of the manifest's text.
    #[allow(clippy::type_complexity)]
    fn read_records(
        root: &Path,
        snapshots: bool,
    ) -> io::Result<(Vec<String>, Manifest, Option<u128>, bool)> {
        let mut notices = Vec::new();
        // A link planted where the manifest or journal goes is removed,
        // never followed (its target stays as it is).
        for name in [MANIFEST, JOURNAL] {
            let path = root.join(name);
            if crate::fsx::kind(&path)? == crate::fsx::Kind::Other {
                fs::remove_file(&path)?;
                notices.push(format!(
                    "{} was a symlink or a special file, not notes-vet's; it was removed",
                    path.display()
                ));
            }
        }
        let (manifest, saved, copied) = match read_manifest(root, snapshots) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                // Set the damaged manifest aside (never lose it) and recover
                // what records can be read from it.
                let text = fs::read(root.join(MANIFEST)).unwrap_or_default();
                let aside = format!(".notes-vet-manifest.damaged-{}.json", std::process::id());
                fs::rename(root.join(MANIFEST), root.join(&aside))?;
                let manifest = salvage(&String::from_utf8_lossy(&text));
                notices.push(format!(
                    "{e}; it was set aside as {aside} and {} file records were recovered from it. \
                     Generated files without a record are kept as they are until you remove them",
                    manifest.files.len()
                ));
                (manifest, None, false)
            }
            Err(e) => return Err(e),
        };
        Ok((notices, manifest, saved, copied))
    }

    fn state(&self) -> StateGuard<'_> {
        StateGuard(self.marks())
    }

    /// The records locked, to change their `seen` marks (not saved) and
    /// nothing else: a change made through this does not reach the
    /// manifest.
    fn marks(&self) -> std::sync::MutexGuard<'_, Guarded> {
        // A panic elsewhere cannot leave the maps half-updated (each update
        // is one insert or remove), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn see(&self, rel: &str) {
        if let Some(e) = self.marks().state.files.get_mut(rel) {
            e.seen = true;
        }
    }

    /// Who the annotation block of note `note` (whose inner text is
    /// `inner`) belongs to.
    pub fn block_owner(&self, note: &str, inner: &str) -> BlockOwner {
        match self.state().annotations.get(note) {
            Some(hashes) if hashes.contains(&hash(inner.as_bytes())) => BlockOwner::Ours,
            Some(_) => BlockOwner::Edited,
            None => BlockOwner::Unknown,
        }
    }

    /// Journals, before the note is written, the block about to be written.
    pub fn will_annotate(&self, note: &str, inner: &str) -> io::Result<()> {
        self.journal(
            &format!("{ANNOTATION_PREFIX}{note}"),
            hash128(inner.as_bytes()),
        )
    }

    /// Records the block note `note` now holds as notes-vet's (`inner`), or
    /// keeps the previous record (`None`: the user's edit is kept).
    pub fn record_annotation(&self, note: &str, inner: Option<&str>) {
        if let Some(i) = inner {
            let h = vec![hash(i.as_bytes())];
            // The same block as recorded: the records stay clean.
            let same = self.marks().state.annotations.get(note) == Some(&h);
            if !same {
                self.state().annotations.insert(note.to_string(), h);
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many files the manifest lists.
    pub fn file_count(&self) -> usize {
        self.state().files.len()
    }

    /// The note (never the dashboard) whose recorded outputs include `rel`.
    /// Only the notes whose path starts with the stem `rel` names are
    /// looked at (`watch` asks for every file that goes from the output
    /// folder, temporary files included).
    pub fn owner_of(&self, rel: &str) -> Option<String> {
        let stem = output_stem(rel)?;
        self.state()
            .notes
            .range_from(Some(stem))
            .take_while(|(note, _)| note.starts_with(stem))
            .find(|(note, entry)| {
                !note.starts_with('@') && entry.outputs(note).iter().any(|o| o == rel)
            })
            .map(|(note, _)| note.to_string())
    }

    /// The outputs recorded for note `note`.
    pub fn outputs_of(&self, note: &str) -> Vec<String> {
        self.state()
            .notes
            .get(note)
            .map(|n| n.outputs(note))
            .unwrap_or_default()
    }

    /// Writes `content` to `rel` (relative to the output folder) unless the
    /// file is the user's or unchanged.
    pub fn put(&self, rel: &str, content: &str) -> io::Result<Written> {
        let path = self.root.join(own_layout(rel)?);
        self.check_root()?;
        if let Some(parent) = path.parent() {
            crate::fsx::check_real_folder(&self.root, parent)?;
        }
        let new_hash = hash128(content.as_bytes());
        let current = crate::fsx::read_output(&path)?.map(|bytes| hash128(&bytes));
        self.settle(rel, &path, current, new_hash, || {
            self.write_atomic(rel, &path, content, new_hash)
        })
    }

    /// [`Writer::put`] for a file too large to hold in memory (the
    /// dashboard of a big folder): `fill` writes the content, which goes
    /// to a temporary file beside `rel` while it is hashed; the file on
    /// disk is hashed as it is read. `fill` may be called again after
    /// [`Writer::set_aside`].
    pub fn put_stream(
        &self,
        rel: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<Written> {
        let path = self.root.join(own_layout(rel)?);
        self.check_root()?;
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("a file path has a parent folder"))?
            .to_path_buf();
        crate::fsx::check_real_folder(&self.root, &dir)?;
        // Folders are made and written into while no other worker prunes.
        let _shared = self.dirs_lock.read().unwrap_or_else(|p| p.into_inner());
        self.make_dirs(rel)?;
        let mut tmp = temp_in(&dir)?;
        let new_hash = {
            let mut out = HashWriter::new(io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut()));
            fill(&mut out)?;
            out.inner.flush()?;
            out.state.digest128()
        };
        let current = hash_output(&path)?;
        self.settle(rel, &path, current, new_hash, || {
            self.journal(rel, new_hash)?;
            persist_over(tmp, &path)
        })
    }

    /// What [`Writer::put`] and [`Writer::put_stream`] share: decides from
    /// the manifest's record and the file's `current` hash, calls `write`
    /// when the new content goes there, and records the outcome.
    fn settle(
        &self,
        rel: &str,
        path: &Path,
        current: Option<u128>,
        new_hash: u128,
        write: impl FnOnce() -> io::Result<()>,
    ) -> io::Result<Written> {
        let known = self.state().files.get(rel).cloned();
        let outcome = match decide(known.as_ref(), current, new_hash) {
            Decision::Keep(w) => {
                if w == Written::KeptEdited {
                    self.see(rel);
                }
                return Ok(w);
            }
            Decision::Same => Written::Unchanged,
            Decision::Write(w) => {
                write()?;
                w
            }
        };
        let known_on = known.as_ref().and_then(|k| k.on);
        // The last few versions written stay known: a file put back by
        // `git checkout` or a sync client as notes-vet once wrote it is
        // still notes-vet's, not an edit.
        let mut hashes = vec![new_hash];
        if let Some(entry) = &known {
            hashes.extend(entry.hashes.iter().filter(|h| *h != new_hash));
        }
        hashes.truncate(HASH_HISTORY);
        let on = match outcome {
            Written::Unchanged => known_on,
            _ => *self.today.lock().unwrap_or_else(|p| p.into_inner()),
        };
        let mut entry = FileEntry {
            hashes: hashes.into_iter().collect(),
            on,
            seen: true,
            ..FileEntry::default()
        };
        entry.set_stat(stat_of(path));
        if known.is_some_and(|k| FileEntry { seen: true, ..k } == entry) {
            // The record as it was: only seen (the manifest stays clean).
            self.see(rel);
        } else {
            self.state().files.insert(rel, entry);
        }
        Ok(outcome)
    }

    /// Keeps our file `rel` as it is (a sent letter, kept as the record of
    /// what was sent): true when notes-vet wrote it and it is still there.
    pub fn confirm(&self, rel: &str) -> bool {
        let ours = self.state().files.contains_key(rel);
        let there = safe_relative(rel).is_ok_and(|p| self.root.join(p).is_file());
        if ours && there {
            self.see(rel);
        }
        ours && there
    }

    /// True when `content` is what notes-vet last wrote at `rel` (not an
    /// older version: a draft that returns to an earlier text is news).
    pub fn wrote(&self, rel: &str, content: &str) -> bool {
        let h = hash128(content.as_bytes());
        self.state()
            .files
            .get(rel)
            .is_some_and(|e| e.hashes.first() == Some(h))
    }

    /// True when notes-vet wrote `rel`, last on `on` or before.
    pub fn wrote_by(&self, rel: &str, on: jiff::civil::Date) -> bool {
        self.state()
            .files
            .get(rel)
            .is_some_and(|e| e.on.is_none_or(|d| d <= on))
    }

    /// Sets the date recorded with each file written from now on.
    pub fn set_today(&self, today: jiff::civil::Date) {
        *self.today.lock().unwrap_or_else(|p| p.into_inner()) = Some(today);
    }

    /// True when output `rel` is no longer exactly as notes-vet wrote it
    /// (size or modification time changed): the user edited it.
    pub fn changed_since_written(&self, rel: &str) -> bool {
        let Ok(p) = safe_relative(rel) else {
            return false;
        };
        let recorded = self.state().files.get(rel).and_then(|e| e.stat());
        recorded.is_some() && stat_of(&self.root.join(p)) != recorded
    }

    /// Moves the file at `rel` (one the user edited) aside to a free name
    /// beside it (`index.edited.md`, `index.edited-2.md`, ...) that
    /// notes-vet never touches again, and forgets `rel`, so that a fresh
    /// file can be written there. Returns the new name.
    pub fn set_aside(&self, rel: &str) -> io::Result<String> {
        let path = self.root.join(safe_relative(rel)?);
        let (stem, ext) = match rel.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() && !e.contains('/') => (s, format!(".{e}")),
            _ => (rel, String::new()),
        };
        for n in 1..1000 {
            let name = if n == 1 {
                format!("{stem}.edited{ext}")
            } else {
                format!("{stem}.edited-{n}{ext}")
            };
            let to = self.root.join(safe_relative(&name)?);
            // A hard link never replaces an existing file; then the
            // original name is removed.
            match fs::hard_link(&path, &to) {
                Ok(()) => {
                    fs::remove_file(&path)?;
                    self.state().files.remove(rel);
                    return Ok(name);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    // No hard links here (FAT, some synced folders): copy
                    // into a new file that must not exist yet.
                    let bytes = fs::read(&path)?;
                    match fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&to)
                    {
                        Ok(mut f) => {
                            f.write_all(&bytes)?;
                            fs::remove_file(&path)?;
                            self.state().files.remove(rel);
                            return Ok(name);
                        }
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Err(io::Error::other(format!("no free name to set {rel} aside")))
    }

    /// When note `note` was made from the same `inputs` last time and every
    /// one of its outputs is still exactly as written (same size and
    /// modification time), confirms them and returns their paths: the
    /// caller can skip rendering.
    pub fn reuse(&self, note: &str, inputs: &str) -> Option<Vec<String>> {
        self.reuse_hashed(note, parse_hash(inputs)?)
    }

    /// [`Writer::reuse`] given the inputs' hash as a number.
    pub fn reuse_hashed(&self, note: &str, inputs: u128) -> Option<Vec<String>> {
        // Marked seen at once (each record found once), and unmarked if a
        // file turns out to have changed; the files are looked at with the
        // records unlocked: the other workers wait for no system call.
        let (outputs, recorded, was) = {
            let mut marks = self.marks();
            let State { files, notes, .. } = &mut marks.state;
            let prev = notes.get_mut(note).filter(|n| n.inputs() == inputs)?;
            let outputs = prev.outputs(note);
            let mut was = vec![std::mem::replace(&mut prev.seen, true)];
            let mut recorded = Vec::with_capacity(outputs.len());
            for rel in &outputs {
                match files.get_mut(rel.as_str()) {
                    Some(e) if e.has_stat => {
                        recorded.push(e.stat);
                        was.push(std::mem::replace(&mut e.seen, true));
                    }
                    _ => {
                        drop(marks);
                        self.unmark(note, &outputs, &was);
                        return None;
                    }
                }
            }
            (outputs, recorded, was)
        };
        for (rel, stat) in outputs.iter().zip(recorded) {
            let same = safe_relative(rel).is_ok() && stat_under(&self.root, rel) == Some(stat);
            if !same {
                self.unmark(note, &outputs, &was);
                return None;
            }
        }
        Some(outputs)
    }

    /// Puts back the `seen` marks of note `note` and of the first of its
    /// `outputs` as [`Writer::reuse`] found them (`was`: the note's, then
    /// each output's).
    fn unmark(&self, note: &str, outputs: &[String], was: &[bool]) {
        let mut marks = self.marks();
        let State { files, notes, .. } = &mut marks.state;
        let mut was = was.iter();
        if let (Some(n), Some(w)) = (notes.get_mut(note), was.next()) {
            n.seen = *w;
        }
        for (rel, w) in outputs.iter().zip(was) {
            if let Some(e) = files.get_mut(rel.as_str()) {
                e.seen = *w;
            }
        }
    }

    /// Records what note `note` was made from and which files it produced.
    pub fn record_note(&self, note: &str, inputs: &str, outputs: Vec<String>) {
        self.record_note_hashed(note, parse_hash(inputs).unwrap_or(0), outputs);
    }

    /// [`Writer::record_note`] given the inputs' hash as a number.
    pub fn record_note_hashed(&self, note: &str, inputs: u128, outputs: Vec<String>) {
        self.state().notes.insert(
            note,
            NoteEntry {
                seen: true,
                ..NoteEntry::new(note, inputs, outputs)
            },
        );
    }

    fn write_atomic(
        &self,
        rel: &str,
        path: &Path,
        content: &str,
        new_hash: u128,
    ) -> io::Result<()> {
        self.journal(rel, new_hash)?;
        // Folders are made and written into while no other worker prunes.
        let _shared = self.dirs_lock.read().unwrap_or_else(|p| p.into_inner());
        self.make_dirs(rel)?;
        write_file_atomic(path, content.as_bytes())
    }

    fn journal(&self, rel: &str, new_hash: u128) -> io::Result<()> {
        let mut guard = self
            .journal
            .lock()
            .map_err(|_| io::Error::other("journal lock poisoned"))?;
        if guard.is_none() {
            self.check_root()?;
            *guard = Some(crate::fsx::open_own(
                &self.root.join(JOURNAL),
                fs::OpenOptions::new().create(true).append(true),
            )?);
        }
        match guard.as_mut() {
            Some(f) => f.write_all(format!("{} {rel}\n", show_hash(new_hash)).as_bytes()),
            None => Ok(()),
        }
    }

    /// Removes our file `rel` unless the user edited it. Returns true when
    /// it was kept because of an edit.
    fn remove_ours(&self, rel: &str, emptied: &mut BTreeSet<PathBuf>) -> io::Result<bool> {
        let Some(entry) = self.state().files.get(rel).cloned() else {
            return Ok(false);
        };
        // Only paths of notes-vet's own layout, whatever the manifest says.
        let Ok(p) = own_layout(rel) else {
            self.state().files.remove(rel);
            return Ok(false);
        };
        self.check_root()?;
        let path = self.root.join(p);
        // Never through a symlinked folder, and only a regular file whose
        // bytes are what notes-vet wrote, whatever the manifest says.
        if let Some(parent) = path.parent() {
            crate::fsx::check_real_folder(&self.root, parent)?;
        }
        // Hashed as it is read: the dashboard of a big folder is larger
        // than any note.
        match hash_output(&path) {
            Ok(Some(current)) if entry.hashes.contains(&current) => {
                fs::remove_file(&path)?;
                if let Some(parent) = path.parent() {
                    emptied.insert(parent.to_path_buf());
                }
                self.state().files.remove(rel);
                Ok(false)
            }
            Ok(Some(_)) => Ok(true),
            Ok(None) => {
                self.state().files.remove(rel);
                Ok(false)
            }
            // Something else stands there now: left alone, and kept.
            Err(_) => Ok(true),
        }
    }

    /// The output folder must still be a real folder: in a long `watch` it
    /// may have been swapped for a symlink since it was opened.
    fn check_root(&self) -> io::Result<()> {
        match crate::fsx::kind(&self.root)? {
            crate::fsx::Kind::Dir => Ok(()),
            _ => Err(not_a_folder(&self.root)),
        }
    }

    /// Creates the folders of output `rel` that are missing, one by one,
    /// never through a symlink, and records them as notes-vet's.
    fn make_dirs(&self, rel: &str) -> io::Result<()> {
        let parts: Vec<&str> = rel.split('/').collect();
        let mut at = self.root.clone();
        for i in 1..parts.len() {
            at.push(parts[i - 1]);
            match crate::fsx::kind(&at)? {
                crate::fsx::Kind::Dir => {}
                crate::fsx::Kind::Missing => {
                    match fs::create_dir(&at) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                        Err(e) => return Err(e),
                    }
                    if crate::fsx::kind(&at)? != crate::fsx::Kind::Dir {
                        return Err(not_a_folder(&at));
                    }
                    self.state().dirs.insert(parts[..i].join("/"));
                }
                _ => return Err(not_a_folder(&at)),
            }
        }
        Ok(())
    }

    /// Removes folders left empty that notes-vet created, never the output
    /// folder itself.
    fn prune(&self, emptied: BTreeSet<PathBuf>) {
        let _alone = self.dirs_lock.write().unwrap_or_else(|p| p.into_inner());
        for dir in emptied.iter().rev() {
            let mut d = dir.clone();
            while d.starts_with(&self.root) && d != self.root {
                let rel = d
                    .strip_prefix(&self.root)
                    .map(|p| {
                        p.components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                    .unwrap_or_default();
                if !self.state().dirs.contains(&rel) || fs::remove_dir(&d).is_err() {
                    break;
                }
                self.state().dirs.remove(&rel);
                if !d.pop() {
                    break;
                }
            }
        }
    }

    /// Removes the files note `note` had that are not in `keep` (all of
    /// them, and its record, when `keep` is empty), except those the user
    /// edited. Returns the removed files and the kept ones.
    pub fn retire(&self, note: &str, keep: &[String]) -> io::Result<(Vec<String>, Vec<String>)> {
        let old = self.outputs_of(note);
        let mut emptied = BTreeSet::new();
        let (mut removed, mut kept) = (Vec::new(), Vec::new());
        for rel in old.iter().filter(|r| !keep.contains(r)) {
            if self.state().files.contains_key(rel.as_str()) {
                if self.remove_ours(rel, &mut emptied)? {
                    kept.push(rel.clone());
                } else {
                    removed.push(rel.clone());
                }
            }
        }
        if keep.is_empty() {
            self.state().notes.remove(note);
        }
        self.prune(emptied);
        Ok((removed, kept))
    }

    /// Ends a full pass: removes our files not written or confirmed since
    /// the last sweep (unless edited, or `retain` says so, e.g. for a note
    /// that failed to parse) and forgets the notes not seen. Returns the
    /// stale files kept because the user edited them.
    pub fn sweep(&self, retain: &dyn Fn(&str) -> bool) -> io::Result<Vec<String>> {
        let stale: Vec<String> = {
            let mut marks = self.marks();
            let stale = marks
                .state
                .files
                .iter()
                .filter(|(rel, e)| !e.seen && !retain(rel))
                .map(|(rel, _)| rel.to_string())
                .collect();
            for e in marks.state.files.values_mut() {
                e.seen = false;
            }
            stale
        };
        let mut kept = Vec::new();
        let mut emptied = BTreeSet::new();
        for rel in stale {
            if self.remove_ours(&rel, &mut emptied)? {
                kept.push(rel);
            }
        }
        self.prune(emptied);
        // A note whose files were retained (it failed to parse) keeps its
        // record, so its files can go with it later.
        let keep = |note: &str, entry: &NoteEntry| {
            entry.seen || note.starts_with('@') || entry.outputs(note).iter().any(|o| retain(o))
        };
        let mut marks = self.marks();
        // Records are forgotten only when there are some to forget: the
        // manifest stays clean otherwise.
        if marks.state.notes.iter().all(|(note, e)| keep(note, e)) {
            for e in marks.state.notes.values_mut() {
                e.seen = false;
            }
        } else {
            marks.dirty = true;
            marks.state.notes.retain(|note, entry| {
                let kept = keep(note, entry);
                entry.seen = false;
                kept
            });
        }
        Ok(kept)
    }

    /// Saves the manifest (when it changed) and drops the journal, whose
    /// every line the manifest now holds, including those of an earlier
    /// killed run.
    pub fn save(&self) -> io::Result<()> {
        self.check_root()?;
        // Records not changed since the manifest was read or saved: it
        // says the same already.
        let mut marks = self.marks();
        let mut saved = self.saved.lock().unwrap_or_else(|p| p.into_inner());
        if marks.dirty || saved.is_none() {
            // Hashed as it is serialized, and written (serialized again)
            // only when it changed: its text grows with the folder and is
            // never held whole.
            let state = &marks.state;
            let manifest = ManifestRef {
                version: 2,
                files: &state.files,
                notes: NotesRef(&state.notes),
                annotations: &state.annotations,
                dirs: &state.dirs,
            };
            let mut tmp = temp_in(&self.root)?;
            let now = {
                let mut out =
                    HashWriter::new(io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut()));
                serde_json::to_writer(&mut out, &manifest).map_err(io::Error::other)?;
                out.inner.flush()?;
                out.state.digest128()
            };
            // Unchanged: the temporary file goes when dropped.
            if *saved != Some(now) {
                persist_over(tmp, &self.root.join(MANIFEST))?;
                *saved = Some(now);
                *self.copied.lock().unwrap_or_else(|p| p.into_inner()) = false;
            }
            marks.dirty = false;
        }
        // The binary copy made again when it is not of this text; one that
        // cannot be written only costs the next run the JSON.
        let mut copied = self.copied.lock().unwrap_or_else(|p| p.into_inner());
        if let (true, false, Some(text)) = (self.snapshots, *copied, *saved) {
            *copied = snapshot::write(&self.root, text, 2, &marks.state).is_ok();
        }
        drop(copied);
        drop((marks, saved));
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| io::Error::other("journal lock poisoned"))?;
        *journal = None;
        match fs::remove_file(self.root.join(JOURNAL)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Ends a run: [`Writer::sweep`], then [`Writer::save`].
    pub fn finish(&self, retain: &dyn Fn(&str) -> bool) -> io::Result<Vec<String>> {
        let kept = self.sweep(retain)?;
        self.save()?;
        Ok(kept)
    }

    /// What [`Writer::clean`] would do, doing nothing: the files it would
    /// remove and those it would keep because they were edited (or
    /// something else stands there now).
    pub fn plan_clean(&self) -> io::Result<(Vec<String>, Vec<String>)> {
        self.check_root()?;
        let files: Vec<(String, FileEntry)> = self
            .state()
            .files
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let (mut gone, mut kept) = (Vec::new(), Vec::new());
        for (rel, entry) in files {
            let Ok(p) = own_layout(&rel) else { continue };
            match hash_output(&self.root.join(p)) {
                Ok(None) => {}
                Ok(Some(h)) if entry.hashes.contains(&h) => gone.push(rel),
                Ok(Some(_)) | Err(_) => kept.push(rel),
            }
        }
        Ok((gone, kept))
    }

    /// Removes every file notes-vet wrote that the user has not edited, and
    /// the manifest. Returns the files kept because they were edited.
    pub fn clean(self) -> io::Result<Vec<String>> {
        {
            let mut marks = self.marks();
            for e in marks.state.files.values_mut() {
                e.seen = false;
            }
            for n in marks.state.notes.values_mut() {
                n.seen = false;
            }
        }
        let root = self.root.clone();
        let kept = self.finish(&|_| false)?;
        if kept.is_empty() {
            fs::remove_file(root.join(MANIFEST))?;
            match fs::remove_file(root.join(crate::lock::LOCK_FILE)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // Only a folder notes-vet created, and only when empty.
            if self.state().dirs.contains("") {
                let _ = fs::remove_dir(&root);
            }
        }
        Ok(kept)
    }
}

/// The manifest as saved, borrowed from the writer's state.
#[derive(Serialize)]
struct ManifestRef<'a> {
    version: u32,
    files: &'a PathMap<FileEntry>,
    notes: NotesRef<'a>,
    annotations: &'a BTreeMap<String, Vec<String>>,
    dirs: &'a BTreeSet<String>,
}

/// `rel` as a path of notes-vet's own layout in the output folder: the
/// dashboard, `.gitignore`, and files under `summaries/` and `letters/`.
/// Nothing else is ever written or deleted there, whatever a manifest says
/// (an `output_dir` shared with notes cannot cost a note).
pub fn own_layout(rel: &str) -> io::Result<&Path> {
    let p = safe_relative(rel)?;
    let top = rel.split('/').next().unwrap_or("");
    let single = !rel.contains('/');
    let ok = (single
        && (rel == "index.md"
            || rel == ".gitignore"
            || rel == "clients.base"
            || rel.starts_with("index.edited")))
        || (!single && (top == "summaries" || top == "letters") && rel.ends_with(".md"));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a path notes-vet writes: {rel:?}"),
        ))
    }
}

fn not_a_folder(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} is a symlink or not a folder; notes-vet never writes through it",
            path.display()
        ),
    )
}

/// The largest manifest read whole before it is parsed (about 20,000
/// notes' worth); a larger one is parsed as it is read.
const SLURP_CAP: u64 = 8 << 20;

/// Reads the manifest and the hash of the text it was read from, and
/// whether it was taken from its binary copy ([`snapshot`], when
/// `snapshots` allows it and the copy is of this very text). A manifest
/// that cannot be parsed (corrupt, truncated, foreign) is never taken as
/// empty, which would make every output "not written by notes-vet" for
/// ever: it is an error, and the caller sets it aside ([`Writer::open`]
/// reports it).
fn read_manifest(root: &Path, snapshots: bool) -> io::Result<(Manifest, Option<u128>, bool)> {
    read_manifest_with(root, SLURP_CAP, snapshots)
}

/// [`read_manifest`], reading a manifest of up to `slurp_cap` bytes whole.
fn read_manifest_with(
    root: &Path,
    slurp_cap: u64,
    snapshots: bool,
) -> io::Result<(Manifest, Option<u128>, bool)> {
    let path = root.join(MANIFEST);
    let open = || crate::fsx::open_output(&path, crate::fsx::BOOKKEEPING_CAP);
    // Parsed as it is read, and hashed likewise: at 100,000 notes its text
    // (40 MB) is as large as what it holds once read.
    let Some(file) = open()? else {
        return Ok((Manifest::default(), None, false));
    };
    let size = file.metadata().map_or(u64::MAX, |m| m.len());
    // Hashed a buffer at a time, under the buffer: serde_json reads a
    // byte at a time, and hashing each alone cost a fifth of the parse.
    let hashing = |file| {
        io::BufReader::with_capacity(
            1 << 16,
            HashReader {
                inner: io::Read::take(file, crate::fsx::BOOKKEEPING_CAP),
                state: xxhash_rust::xxh3::Xxh3::new(),
            },
        )
    };
    let mut reader = hashing(file);
    let io_error = |e: io::Error| io::Error::other(format!("{}: {e}", path.display()));
    if snapshots {
        // Hashed a buffer at a time: its binary copy is taken only for
        // this text, and then the text itself is not needed (read whole,
        // 4.5 MB of new memory at 10,000 notes, each page of it faulted
        // in, a tenth of the time of opening the folder). The copy is
        // read meanwhile, on a thread of its own: each takes a millisecond
        // or more at 10,000 notes, at the start of every writing run.
        let (hashed, copy) = std::thread::scope(|s| {
            let copy = s.spawn(|| snapshot::read(root));
            let hashed =
                io::copy(&mut reader, &mut io::sink()).map(|_| reader.get_ref().state.digest128());
            (hashed, copy.join().ok().flatten())
        });
        let digest = hashed.map_err(io_error)?;
        if let Some((m, made_from)) = copy
            && made_from == digest
        {
            return Ok((m, Some(digest), true));
        }
        let Some(file) = open()? else {
            return Ok((Manifest::default(), None, false));
        };
        reader = hashing(file);
    }
    // serde_json parses text in memory three times as fast as text it
    // reads in pieces (bench/run.py: 22 against 70 ms at 10,000 notes).
    // Up to the cap the text is read whole; beyond, the pieces keep
    // memory down.
    let parsed = if size <= slurp_cap {
        let mut text = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        io::Read::read_to_end(&mut reader, &mut text).map_err(io_error)?;
        serde_json::from_slice::<Manifest>(&text)
    } else {
        serde_json::from_reader::<_, Manifest>(&mut reader)
    };
    match parsed {
        Ok(m) => Ok((m, Some(reader.get_ref().state.digest128()), false)),
        Err(e) if e.is_io() => Err(io::Error::other(format!("{}: {e}", path.display()))),
        Err(e) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: the manifest is damaged ({e})", path.display()),
        )),
    }
}

/// Passes bytes read on while hashing them as [`hash`] does.
struct HashReader<R> {
    inner: R,
    state: xxhash_rust::xxh3::Xxh3,
}

impl<R: io::Read> io::Read for HashReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.state.update(&buf[..n]);
        Ok(n)
    }
}

/// The file records that can still be read from a damaged manifest:
/// every `"path":{"hashes":["..."]` pair.
fn salvage(text: &str) -> Manifest {
    let mut m = Manifest {
        version: 2,
        ..Manifest::default()
    };
    let Some(start) = text.find("\"files\":{") else {
        return m;
    };
    let mut rest = &text[start + 9..];
    while let Some(q) = rest.find("\":{\"hashes\":[\"") {
        let before = &rest[..q];
        let Some(open) = before.rfind('"') else { break };
        let rel = &before[open + 1..];
        let after = &rest[q + 14..];
        let hash: String = after
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        if let Some(hash) = parse_hash(&hash)
            && safe_relative(rel).is_ok()
            && !rel.contains('\\')
        {
            m.files.insert(
                rel,
                FileEntry {
                    hashes: [hash].into_iter().collect(),
                    ..FileEntry::default()
                },
            );
        }
        rest = after;
    }
    m
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, keeping the permissions of the file it replaces (or ordinary
/// ones for a new file).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("a file path has a parent folder"))?;
    let mut tmp = temp_in(dir)?;
    tmp.write_all(bytes)?;
    persist_over(tmp, path)
}

/// A temporary file in folder `dir`, named so that a killed run's is
/// found and removed.
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
}

/// Puts a finished temporary file in place of `path`, with the permissions
/// of the file it replaces (or ordinary ones for a new file).
fn persist_over(tmp: tempfile::NamedTempFile, path: &Path) -> io::Result<()> {
    // No fsync: the rename alone makes the write atomic for a process that
    // is killed at any moment (the crash test); syncing every one of
    // thousands of small files made a first run many times slower.
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
pub(crate) fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
pub(crate) fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

/// Removes the temporary files a killed run left in the output folder (in
/// its subfolders too when `deep`).
fn remove_temp_files(root: &Path, deep: bool) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(root)
        .max_depth(if deep { usize::MAX } else { 1 })
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() && is_temp_name(&entry.file_name().to_string_lossy()) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// What to do with a file about to be written, from what the manifest
/// knows of it, the hash of what is there and the hash of the new content.
enum Decision {
    /// Leave the file as it is (the user's, or not notes-vet's).
    Keep(Written),
    /// It already holds the new content.
    Same,
    /// Write it.
    Write(Written),
}

fn decide(known: Option<&FileEntry>, current: Option<u128>, new_hash: u128) -> Decision {
    match (current, known) {
        (None, _) => Decision::Write(Written::Created),
        // Ours from a run killed before its journal.
        (Some(c), None) if c == new_hash => Decision::Same,
        (Some(_), None) => Decision::Keep(Written::KeptForeign),
        (Some(c), Some(entry)) if !entry.hashes.contains(&c) => Decision::Keep(Written::KeptEdited),
        (Some(c), Some(_)) if c == new_hash => Decision::Same,
        (Some(_), Some(_)) => Decision::Write(Written::Updated),
    }
}

/// Passes bytes on while hashing them as [`hash`] does.
pub struct HashWriter<W> {
    inner: W,
    state: xxhash_rust::xxh3::Xxh3,
}

impl<W> HashWriter<W> {
    pub fn new(inner: W) -> Self {
        HashWriter {
            inner,
            state: xxhash_rust::xxh3::Xxh3::new(),
        }
    }

    /// Adds a value as its [`std::hash::Hash`] feeds it (as
    /// [`hash_value128`] does), without writing anything.
    pub fn feed(&mut self, value: &impl std::hash::Hash) {
        // Gathered first, as `hash_value128` does: one update per value
        // (a dashboard row) rather than one per field.
        gathered(value, |bytes| self.state.update(bytes));
    }

    /// The hash of everything written so far.
    pub fn digest(&self) -> String {
        format!("{:032x}", self.state.digest128())
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.state.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The hash of the output at `path` (as [`hash`]), read in pieces: the
/// file is never held whole. `None` when it is missing; an error for
/// anything but a regular file.
fn hash_output(path: &Path) -> io::Result<Option<u128>> {
    let Some(file) = crate::fsx::open_output(path, u64::MAX)? else {
        return Ok(None);
    };
    let mut out = HashWriter::new(io::sink());
    io::copy(&mut io::BufReader::with_capacity(1 << 16, file), &mut out)?;
    Ok(Some(out.state.digest128()))
}

#[cfg(test)]
mod tests {
    /// The gathered hash is the one XXH3 gives when fed piece by piece
    /// (what the manifest's recorded inputs were made with).
    #[test]
    fn a_value_hashed_at_once_hashes_as_when_fed_in_pieces() {
        use std::hash::Hash;
        let value = (
            "fingerprint",
            42_u64,
            vec![Some("a".to_string()), None],
            ("ünïcode", 7_u32, -3_i64),
            [1_u8, 2, 3],
        );
        let mut fed = xxhash_rust::xxh3::Xxh3::new();
        value.hash(&mut fed);
        assert_eq!(super::hash_value128(&value), fed.digest128());
        // Twice: the buffer kept between calls starts empty.
        assert_eq!(super::hash_value128(&value), fed.digest128());
        assert_ne!(super::hash_value128(&(1_u8,)), fed.digest128());
    }

    /// A file's hashes keep their order, newest first, whether none, one
    /// (held in place) or several (boxed).
    #[test]
    fn hashes_keep_their_order_in_place_or_boxed() {
        use super::{FileEntry, Hashes};
        let big = (7u128 << 64) | 9;
        for all in [vec![], vec![big], vec![big, 1, u128::MAX]] {
            let h: Hashes = all.iter().copied().collect();
            assert_eq!(h.iter().collect::<Vec<_>>(), all);
            assert_eq!(h.first(), all.first().copied());
            assert!(all.iter().all(|x| h.contains(x)));
            assert!(!h.contains(&2));
        }
        assert_eq!(std::mem::size_of::<FileEntry>(), 48, "a record grew");
        assert_eq!(std::mem::size_of::<super::NoteEntry>(), 32, "a record grew");
    }

    #[test]
    fn hashing_in_parts_is_hashing_the_whole() {
        // Manifests store these hashes: they must not change.
        let whole = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(b"abcdef"));
        assert_eq!(super::hash(b"abcdef"), whole);
        assert_eq!(super::hash_parts(&[b"abc", b"def"]), whole);
    }

    /// A manifest read whole and one parsed as it is read give the same
    /// records and hash, and the same error when damaged.
    #[test]
    fn a_manifest_read_whole_is_one_read_in_pieces() {
        use super::{MANIFEST, Writer, read_manifest_with};
        let dir = tempfile::tempdir().unwrap();
        let w = Writer::open(dir.path()).unwrap();
        w.put("summaries/a.md", "A").unwrap();
        w.put("letters/a-rejection.md", "R").unwrap();
        w.record_note(
            "a.md",
            &super::hash(b"in"),
            vec!["summaries/a.md".into(), "letters/a-rejection.md".into()],
        );
        w.save().unwrap();
        let whole = read_manifest_with(dir.path(), u64::MAX, false).unwrap();
        let pieces = read_manifest_with(dir.path(), 0, false).unwrap();
        assert_eq!(whole.0.files, pieces.0.files);
        assert_eq!(whole.0.notes, pieces.0.notes);
        assert_eq!(whole.0.files.len(), 2);
        assert_eq!(whole.1, pieces.1);
        assert!(whole.1.is_some());
        let path = dir.path().join(MANIFEST);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        for cap in [u64::MAX, 0] {
            let e = read_manifest_with(dir.path(), cap, true).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
            assert!(e.to_string().contains("the manifest is damaged"), "{e}");
        }
    }

    /// The manifest's binary copy, made when it is saved, gives the records
    /// and hash the JSON gives (read whole or in pieces); it is used only
    /// for the text it was made from, and a damaged copy is never used.
    #[test]
    fn the_manifests_copy_reads_as_its_json_and_only_for_that_text() {
        use super::{MANIFEST, SNAPSHOT, Writer, read_manifest_with};
        let dir = tempfile::tempdir().unwrap();
        let w = Writer::open(dir.path()).unwrap();
        for i in 0..3000 {
            w.put(&format!("summaries/n{i}.md"), &format!("S{i}"))
                .unwrap();
        }
        w.put("letters/a-rejection.md", "R").unwrap();
        w.put("letters/a-rejection.md", "R2").unwrap();
        for text in ["B", "B2", "B3"] {
            w.put("letters/b-rejection.md", text).unwrap();
        }
        w.record_note(
            "a.md",
            &super::hash(b"in"),
            vec!["summaries/n1.md".into(), "letters/a-rejection.md".into()],
        );
        w.record_note(
            "odd.md",
            &super::hash(b"x"),
            vec!["elsewhere/odd.md".into()],
        );
        w.will_annotate("a.md", "block").unwrap();
        w.save().unwrap();
        drop(w);
        assert!(dir.path().join(SNAPSHOT).is_file());
        let json = read_manifest_with(dir.path(), u64::MAX, false).unwrap();
        assert!(!json.2, "read from JSON");
        for cap in [u64::MAX, 0] {
            let copy = read_manifest_with(dir.path(), cap, true).unwrap();
            assert!(copy.2, "read from the copy");
            assert_eq!(copy.0.files, json.0.files);
            assert_eq!(copy.0.notes, json.0.notes);
            assert_eq!(copy.0.annotations, json.0.annotations);
            assert_eq!(copy.0.dirs, json.0.dirs);
            assert_eq!((copy.0.version, copy.1), (json.0.version, json.1));
        }
        assert_eq!(json.0.files.len(), 3002);
        let first = |m: &super::Manifest| m.files.get("letters/a-rejection.md").cloned();
        assert_eq!(first(&json.0).unwrap().hashes.iter().count(), 2);
        let b = |m: &super::Manifest| m.files.get("letters/b-rejection.md").cloned();
        assert_eq!(b(&json.0).unwrap().hashes.iter().count(), 3);
        // Another text (edited by hand): the JSON is read.
        let path = dir.path().join(MANIFEST);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replace("summaries/n1.md\"", "summaries/m1.md\""),
        )
        .unwrap();
        let edited = read_manifest_with(dir.path(), u64::MAX, true).unwrap();
        assert!(!edited.2);
        assert!(edited.0.files.contains_key("summaries/m1.md"));
        std::fs::write(&path, &text).unwrap();
        // A damaged copy: not used, or what it was.
        let good = std::fs::read(dir.path().join(SNAPSHOT)).unwrap();
        for at in (0..good.len())
            .step_by(good.len() / 150 + 1)
            .chain([good.len() - 1])
        {
            for bad in [
                {
                    let mut b = good.clone();
                    b[at] ^= if at % 2 == 0 { 0x41 } else { 0x01 };
                    b
                },
                good[..at].to_vec(),
            ] {
                std::fs::write(dir.path().join(SNAPSHOT), &bad).unwrap();
                let read = read_manifest_with(dir.path(), u64::MAX, true).unwrap();
                if read.2 {
                    assert_eq!(read.0.files, json.0.files, "byte {at}");
                    assert_eq!(read.0.notes, json.0.notes, "byte {at}");
                }
            }
        }
        // Counts at its end that no file could hold: nothing huge is
        // reserved, and the copy is not used.
        let mut huge = good.clone();
        let end = huge.len();
        huge[end - 16..].fill(0xff);
        std::fs::write(dir.path().join(SNAPSHOT), &huge).unwrap();
        assert!(!read_manifest_with(dir.path(), u64::MAX, true).unwrap().2);
        // Saved again by a run that read the JSON: the copy is made again.
        std::fs::remove_file(dir.path().join(SNAPSHOT)).unwrap();
        let w = Writer::open(dir.path()).unwrap();
        w.save().unwrap();
        drop(w);
        assert!(read_manifest_with(dir.path(), u64::MAX, true).unwrap().2);
        // --no-cache: neither read nor made.
        std::fs::remove_file(dir.path().join(SNAPSHOT)).unwrap();
        let w = Writer::open_with(dir.path(), false).unwrap();
        w.put("summaries/new.md", "N").unwrap();
        w.save().unwrap();
        assert!(!dir.path().join(SNAPSHOT).exists());
    }

    /// A record reads back as it was written, and a hostile one reads as
    /// no more than it can prove: hashes that are not notes-vet's and a
    /// date that is not a date are left out; a date of the wrong type is
    /// an error (the manifest is damaged).
    #[test]
    fn file_records_read_as_written_and_no_more() {
        use super::FileEntry;
        let a = 0x0123_4567_89ab_cdef_0011_2233_4455_6677u128;
        let b = 0xffee_ddcc_bbaa_9988_7766_5544_3322_1100u128;
        let mut e = FileEntry {
            hashes: [a, b].into_iter().collect(),
            on: jiff::civil::Date::new(2026, 11, 23).ok(),
            ..FileEntry::default()
        };
        e.set_stat(Some((12, 34)));
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<FileEntry>(&text).unwrap(), e);
        let read = |j: &str| serde_json::from_str::<FileEntry>(j);
        let one = read(&format!(
            "{{\"hashes\":[\"nope\",\"{a:032x}\",\"{}\"],\"on\":null}}",
            "A".repeat(32)
        ))
        .unwrap();
        assert_eq!(one.hashes.iter().collect::<Vec<_>>(), vec![a]);
        assert_eq!((one.on, one.stat()), (None, None));
        assert_eq!(
            read("{\"hashes\":[],\"on\":\"yesterday\"}").unwrap().on,
            None
        );
        assert_eq!(read("{\"hashes\":[]}").unwrap(), FileEntry::default());
        assert!(read("{\"hashes\":[],\"on\":7}").is_err());
        assert!(read("{\"hashes\":[1]}").is_err());
        assert!(read("{\"hashes\":\"x\"}").is_err());
    }

    /// The records are clean after opening and after marking what a run
    /// confirms (nothing for the manifest to say anew), and dirty after any
    /// change; a sweep that forgets a note's record saves the manifest.
    #[test]
    fn only_a_change_to_the_records_makes_the_manifest_be_written() {
        use super::{MANIFEST, Writer};
        let dir = tempfile::tempdir().unwrap();
        let inputs = super::hash(b"in");
        {
            let w = Writer::open(dir.path()).unwrap();
            w.put("summaries/a.md", "A").unwrap();
            w.put("summaries/b.md", "B").unwrap();
            w.record_note("a.md", &inputs, vec!["summaries/a.md".into()]);
            w.record_note("b.md", &inputs, vec!["summaries/b.md".into()]);
            assert!(w.marks().dirty);
            w.finish(&|_| false).unwrap();
            assert!(!w.marks().dirty);
        }
        let manifest = dir.path().join(MANIFEST);
        let before = std::fs::read(&manifest).unwrap();
        {
            let w = Writer::open(dir.path()).unwrap();
            assert!(!w.marks().dirty, "fresh from the manifest");
            assert!(w.reuse("a.md", &inputs).is_some());
            assert!(w.reuse("b.md", &inputs).is_some());
            w.put("summaries/a.md", "A").unwrap();
            assert!(!w.marks().dirty, "confirming and same content");
            w.finish(&|_| false).unwrap();
            assert!(!w.marks().dirty);
        }
        assert_eq!(std::fs::read(&manifest).unwrap(), before);
        {
            // b.md is not seen: its file and record go, and that is saved.
            let w = Writer::open(dir.path()).unwrap();
            assert!(w.reuse("a.md", &inputs).is_some());
            w.finish(&|_| false).unwrap();
        }
        let w = Writer::open(dir.path()).unwrap();
        assert!(w.reuse("b.md", &inputs).is_none());
        assert!(!dir.path().join("summaries/b.md").exists());
        assert!(w.reuse("a.md", &inputs).is_some());
        w.put("summaries/a.md", "A changed").unwrap();
        assert!(w.marks().dirty, "a file written anew");
        w.record_annotation("a.md", Some("block"));
        w.finish(&|_| false).unwrap();
        drop(w);
        let w = Writer::open(dir.path()).unwrap();
        w.record_annotation("a.md", Some("block"));
        assert!(!w.marks().dirty, "the same annotation block");
        w.record_annotation("a.md", Some("another block"));
        assert!(w.marks().dirty, "another annotation block");
    }

    /// `put_stream` decides as `put` does: written, unchanged, updated,
    /// a user's edit kept, a file it did not write left alone; a failed
    /// fill changes nothing; no temporary file is left behind.
    #[test]
    fn a_streamed_file_is_written_and_kept_as_a_put_one_is() {
        use super::{Writer, Written};
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("_vetted");
        let w = Writer::open(&root).unwrap();
        let put = |rel: &str, text: &str| {
            w.put_stream(rel, &mut |out: &mut dyn Write| {
                out.write_all(text.as_bytes())
            })
            .unwrap()
        };
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
        assert_eq!(put("index.md", "one\n"), Written::Created);
        assert_eq!(read("index.md"), "one\n");
        assert!(w.wrote("index.md", "one\n"));
        assert_eq!(put("index.md", "one\n"), Written::Unchanged);
        assert_eq!(put("index.md", "two\n"), Written::Updated);
        assert_eq!(read("index.md"), "two\n");
        // A version put back as notes-vet once wrote it is still ours.
        std::fs::write(root.join("index.md"), "one\n").unwrap();
        assert_eq!(put("index.md", "three\n"), Written::Updated);
        std::fs::write(root.join("index.md"), "mine\n").unwrap();
        assert_eq!(put("index.md", "four\n"), Written::KeptEdited);
        assert_eq!(read("index.md"), "mine\n");
        std::fs::create_dir_all(root.join("summaries")).unwrap();
        std::fs::write(root.join("summaries/x.md"), "not ours\n").unwrap();
        assert_eq!(put("summaries/x.md", "ours\n"), Written::KeptForeign);
        assert_eq!(read("summaries/x.md"), "not ours\n");
        let failed = w.put_stream("summaries/y.md", &mut |out: &mut dyn Write| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("stopped"))
        });
        assert!(failed.is_err());
        assert!(!root.join("summaries/y.md").exists());
        let temps = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| super::is_temp_name(&e.file_name().to_string_lossy()))
            .count();
        assert_eq!(temps, 0, "temporary files left");
        assert!(super::own_layout("../x.md").is_err());
        assert!(put_err(&w, "../x.md"));
    }

    fn put_err(w: &super::Writer, rel: &str) -> bool {
        w.put_stream(rel, &mut |out: &mut dyn std::io::Write| out.write_all(b"x"))
            .is_err()
    }

    proptest::proptest! {
        /// A note's outputs come back from its compact record exactly, in
        /// their order, whatever they are.
        #[test]
        fn a_notes_outputs_come_back_as_recorded(
            picks in proptest::collection::vec(0usize..9, 0..9),
            note in "[a-z]{1,3}(/[a-z]{1,3})?\\.(md|markdown|MD)",
        ) {
            let own = super::standard_outputs(&note);
            let outputs: Vec<String> = picks
                .iter()
                .map(|i| match i {
                    7 => "index.md".to_string(),
                    8 => format!("letters/{note}-x.md"),
                    i => own[*i].clone(),
                })
                .collect();
            let entry = super::NoteEntry::new(&note, 7, outputs.clone());
            proptest::prop_assert_eq!(entry.outputs(&note), outputs.clone());
            let dash = super::NoteEntry::new("@dashboard", 7, outputs.clone());
            proptest::prop_assert_eq!(dash.outputs("@dashboard"), outputs);
        }
    }

    #[test]
    fn the_owner_of_an_output_is_found_by_its_stem() {
        let dir = tempfile::tempdir().unwrap();
        let w = super::Writer::open(&dir.path().join("_vetted")).unwrap();
        let h = super::hash(b"x");
        let rec = |note: &str, outputs: &[&str]| {
            w.record_note(note, &h, outputs.iter().map(|o| o.to_string()).collect())
        };
        rec("a/b.md", &["summaries/a/b.md", "letters/a/b-rejection.md"]);
        rec("a/b-c.md", &["summaries/a/b-c.md"]);
        // Out of the usual order: kept as paths, found all the same.
        rec(
            "x.Markdown",
            &[
                "letters/x-feedback.md",
                "summaries/x.md",
                "letters/x-rejection.draft.md",
            ],
        );
        rec("@dashboard", &["index.md"]);
        let owner = |rel: &str| w.owner_of(rel);
        assert_eq!(owner("summaries/a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(owner("letters/a/b-rejection.md").as_deref(), Some("a/b.md"));
        assert_eq!(owner("summaries/a/b-c.md").as_deref(), Some("a/b-c.md"));
        assert_eq!(
            owner("letters/x-rejection.draft.md").as_deref(),
            Some("x.Markdown")
        );
        assert_eq!(owner("summaries/x.md").as_deref(), Some("x.Markdown"));
        assert_eq!(owner("letters/a/b-feedback.md"), None);
        assert_eq!(owner("index.md"), None);
        assert_eq!(owner("summaries/.notes-vet-tmp-abc123"), None);
    }
}
