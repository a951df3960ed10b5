//! The parse cache: what reading and parsing each note gave, kept between
//! runs so that a note that has not changed is neither read nor parsed
//! again (as ruff's cache and git's index do), and what vetting it gave.
//!
//! What vetting gives depends on more than the note: `today`, the config,
//! the message catalog and the Lua plugins. So a note's results (its
//! report before the output hook, and its client record) are trusted only
//! by a run whose *results key* ([`crate::engine::Vetter::results_key`], a
//! hash of all of those) is the one the cache was written under; any other
//! run (the next day, another config) runs the rules on the cached parse
//! and writes its own results. A run in which a Lua rule ran out of its
//! budget (which depends on the machine's load) writes no key: its results
//! are never trusted.
//!
//! One file, `<output>/.cache/notes.bin` (a hidden folder, which Obsidian
//! does not index), written only by a run that holds the folder's lock:
//!
//! ```text
//! "NVCACHE2" | pointer | entry blobs ... | index | (blobs and index of later runs ...)
//! pointer: index offset, index length, index checksum, pointer checksum (u64 LE each)
//! ```
//!
//! The pointer at the start names the index in force. A run that changed
//! some notes appends their blobs and a new index after the end of the
//! file, makes them durable, and only then points the pointer at the new
//! index: bytes already in the file never change, so a run reading the
//! cache meanwhile reads a whole old state, and a writer that fails or is
//! killed half-way leaves the old state in force (what it appended is
//! dead bytes). When the dead bytes would outweigh the live ones, and on
//! the first run or one of another results key (every entry new), the
//! cache is written whole instead, aside, and renamed over the old one.
//!
//! The index (postcard) names notes-vet's version, this format's number,
//! the parse limits, the notes root and the results key, then per note:
//! its path, identity (size, modification time in nanoseconds, inode),
//! content hash, and where its blob is, with the blob's checksum and the
//! length of its results part. A blob is three pieces, each postcard
//! followed by its own checksum (so each is read and checked alone): the
//! results (absent when there are none) as the note's report (its length
//! first), which every run that trusts them reads, and its client record,
//! read only when its files are made again; then the parse: the front
//! matter's tree with positions, the body offset and the front matter's
//! text (for the source lines of findings). Blobs are read one at a time
//! as notes come up, so memory does not grow with the folder.
//!
//! An entry is trusted only when the note's identity is unchanged and the
//! note was last modified more than [`RACY`] before the cache was written
//! (git's "racy" rule: a note written in the same clock tick as the cache
//! may have changed without its identity showing it). A cache of another
//! version or format, other limits or another root is dropped; a corrupt,
//! truncated or foreign file is ignored with a warning and rebuilt.

use crate::frontmatter::{Format, Node};
use crate::fsx::nanos;
use crate::pathmap::{Span, Texts};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// This file format's number; bump it when the layout or a cached type
/// changes.
const FORMAT: u32 = 10;
const HEAD: &[u8; 8] = b"NVCACHE3";
/// The heads of earlier layouts (format 5 and before, their index at the
/// end; a pointer without its time): dropped quietly, as stale.
const OLD_HEADS: [&[u8; 8]; 2] = [b"NVCACHE1", b"NVCACHE2"];
/// The pointer's length.
const POINTER: usize = 40;
/// The head and the pointer: where the first blob starts.
const START: u64 = 8 + POINTER as u64;
/// Dead bytes tolerated beside the live ones before the cache is written
/// whole again (besides as many dead bytes as live ones).
const DEAD_SLACK: u64 = 1 << 20;
/// The cache's path inside the output folder.
pub const REL: &str = ".cache/notes.bin";
/// The name of a cache being written.
pub(crate) const TEMP_PREFIX: &str = ".notes-vet-cache-";
/// The largest index read (a corrupt length must not allocate gigabytes).
const MAX_INDEX: u64 = 1 << 30;
/// The largest blob read: a note's front matter is at most 1 MiB.
const MAX_BLOB: u32 = 8 << 20;
/// How close to the cache's writing a note's modification time makes it
/// untrusted, in nanoseconds: coarse file systems keep 1 s (ext3, HFS+)
/// or 2 s (FAT) times.
pub const RACY: i64 = 2_000_000_000;

/// A note file's identity: two equal keys mean the file was not written in
/// between (within [`RACY`] of the cache's own time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    pub len: u64,
    /// Nanoseconds from 1970 (negative before).
    pub mtime: i64,
    pub inode: u64,
    /// The inode's change time (ns): no tool sets it, so a file written
    /// over with another's size and time (`cp -p`, `rsync --inplace`, an
    /// unpacked archive) still shows a change.
    pub ctime: i64,
}

impl FileKey {
    /// The key of the regular file at `path` (not following a symlink).
    pub fn of(path: &Path) -> Option<FileKey> {
        let m = crate::fsx::lstat(path)?;
        m.is_file.then_some(FileKey {
            len: m.len,
            mtime: m.mtime,
            inode: m.inode,
            ctime: m.ctime,
        })
    }
}

/// What reading and parsing a note gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Parsed {
    /// No front matter: not a client note.
    NoFrontMatter,
    /// Front matter that parsed (`root` is `None` when it is empty).
    Front {
        format: Format,
        root: Option<Node>,
        body_offset: usize,
        /// The note's text up to `body_offset` (fences included).
        front: String,
    },
}

/// One note's entry, ready to be written: its key, content hash and blob.
#[derive(Debug, Clone)]
pub struct Record {
    pub key: FileKey,
    pub hash: u64,
    blob: Blob,
}

/// What the cache found for a note.
#[derive(Debug)]
pub enum Hit {
    /// Its results, under the run's results key: the payload as
    /// [`Record::settled`] was given it, and where the whole entry is (to
    /// carry it into the next cache).
    Settled {
        results: Vec<u8>,
        /// Where its client record is, read only when its files are made
        /// again ([`Reader::client`]).
        client: ClientAt,
        hash: u64,
        at: Stored,
    },
    /// Its parse only (no results, or results of another key): with the
    /// parse part as stored, to write beside new results.
    Parsed {
        parsed: Parsed,
        part: ParsePart,
        hash: u64,
        at: Stored,
    },
}

/// Where a note's cached client record is (see [`Results`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAt {
    offset: u64,
    len: u32,
}

/// A note's results to cache (opaque here: see [`crate::engine`]), in two
/// pieces, each kept with its own checksum: its report, which every run
/// that trusts them reads, then its client record, which is read only
/// when the note's files are made again (three fifths of the bytes, not
/// copied out of the file on an unchanged run).
#[derive(Debug, Clone)]
pub struct Results {
    bytes: Vec<u8>,
    /// How many of `bytes` are the report.
    report: usize,
}

impl Results {
    /// The report's bytes followed by the client record's, the first
    /// `report` of them the report's.
    pub fn new(bytes: Vec<u8>, report: usize) -> Results {
        let report = report.min(bytes.len());
        Results { bytes, report }
    }
}

/// A blob's parse part, checksum included, as read from a cache.
#[derive(Debug, Clone)]
pub struct ParsePart(Vec<u8>);

/// An entry's bytes: new, or where the cache being replaced holds them (a
/// note served from it). Those are not kept in memory while a chunk of
/// notes is vetted (4 kB a note, 1,024 notes at a time): a run that
/// changes nothing never copies them, and one that does reads them back.
#[derive(Debug, Clone)]
enum Blob {
    /// The bytes, and how many of them are the results part.
    Fresh(Vec<u8>, u32),
    Stored(Stored),
}

/// Where an entry's bytes are in the cache they were read from.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    offset: u64,
    sum: u64,
    size: u32,
    /// The length of the results part, first in the blob (0: none).
    split: u32,
}

/// How many bytes of a results part are read at first: its report piece
/// (its length first) is nearly always within them, and a longer one is
/// read whole by a second read. Where the piece ends is not kept in the
/// index: 8 bytes more per note held for the whole run (0.8 MB at
/// 100,000 notes) for a read that is rarely needed.
const REPORT_WINDOW: u32 = 1024;

/// Appends `payload` and its checksum to `out`: a part of a blob.
fn push_part(out: &mut Vec<u8>, payload: &[u8]) {
    out.extend_from_slice(payload);
    out.extend_from_slice(&hash(payload).to_le_bytes());
}

/// A part's payload, when its checksum holds.
fn payload(part: &[u8]) -> Option<&[u8]> {
    let (payload, sum) = part.split_at_checked(part.len().checked_sub(8)?)?;
    (hash(payload).to_le_bytes() == *sum).then_some(payload)
}

/// The pointer to an index: its offset, length and checksum, when it was
/// made durable (the file's modification time then, in nanoseconds: the
/// time the racy rule measures its entries against, as appends that never
/// come into force move the file's own time on), and the pointer's own
/// checksum.
fn pointer(offset: u64, len: u64, sum: u64, written: i64) -> [u8; POINTER] {
    let mut out = [0; POINTER];
    for (i, word) in [offset, len, sum, written as u64].into_iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&word.to_le_bytes());
    }
    let check = hash(&out[..POINTER - 8]);
    out[POINTER - 8..].copy_from_slice(&check.to_le_bytes());
    out
}

/// The index a file's first [`START`] bytes point to (offset, length,
/// checksum, when written), when the pointer's checksum holds.
fn read_pointer(head: &[u8]) -> Option<(u64, u64, u64, i64)> {
    let word = |i: usize| {
        let bytes = head.get(8 + i * 8..16 + i * 8)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    };
    let ptr = head.get(8..8 + POINTER - 8)?;
    (hash(ptr) == word(4)?).then_some((word(0)?, word(1)?, word(2)?, word(3)? as i64))
}

impl Record {
    /// A note's parse, without results.
    pub fn new(key: FileKey, hash: u64, parsed: &Parsed) -> Option<Record> {
        Some(Record::settled(key, hash, &ParsePart::new(parsed)?, None))
    }

    /// A note's parse (as stored, or new) and the results of vetting it
    /// (opaque here: see [`crate::engine`]), when there are any.
    pub fn settled(
        key: FileKey,
        hash: u64,
        parse: &ParsePart,
        results: Option<&Results>,
    ) -> Record {
        let mut bytes =
            Vec::with_capacity(results.map_or(0, |r| r.bytes.len() + 20) + parse.0.len());
        if let Some(results) = results {
            // The report piece's length first (see `REPORT_WINDOW`).
            let (report, client) = results.bytes.split_at(results.report);
            bytes.extend_from_slice(&(report.len() as u32).to_le_bytes());
            push_part(&mut bytes, report);
            push_part(&mut bytes, client);
        }
        let split = bytes.len() as u32;
        bytes.extend_from_slice(&parse.0);
        Record {
            key,
            hash,
            blob: Blob::Fresh(bytes, split),
        }
    }

    /// The entry of a note the cache being replaced served, as it is there.
    pub fn stored(key: FileKey, hash: u64, at: Stored) -> Record {
        Record {
            key,
            hash,
            blob: Blob::Stored(at),
        }
    }

    fn size(&self) -> usize {
        match &self.blob {
            Blob::Fresh(b, _) => b.len(),
            Blob::Stored(s) => s.size as usize,
        }
    }

    fn sum(&self) -> u64 {
        match &self.blob {
            Blob::Fresh(b, _) => hash(b),
            Blob::Stored(s) => s.sum,
        }
    }

    fn split(&self) -> u32 {
        match &self.blob {
            Blob::Fresh(_, split) => *split,
            Blob::Stored(s) => s.split,
        }
    }
}

impl ParsePart {
    /// A new parse's part.
    pub fn new(parsed: &Parsed) -> Option<ParsePart> {
        let mut bytes = Vec::new();
        push_part(&mut bytes, &postcard::to_stdvec(parsed).ok()?);
        Some(ParsePart(bytes))
    }
}

/// The content hash of a note's bytes.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[derive(Debug, Serialize, Deserialize)]
struct Index {
    version: String,
    format: u32,
    /// The parse limits the entries were made under.
    limits: (u64, u64),
    root: String,
    /// The results key the entries' results were made under (0: none).
    results: u64,
    entries: Vec<IndexEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IndexEntry {
    rel: Box<str>,
    key: FileKey,
    hash: u64,
    offset: u64,
    size: u32,
    /// xxh3 of the blob, to tell whether an entry is unchanged (each part
    /// has its own checksum: a flipped bit is a miss, never a wrong tree).
    sum: u64,
    /// The length of the results part (0: none).
    split: u32,
}

/// [`Index`] as a reader takes it: its entries read straight into
/// [`Held`] form.
#[derive(Deserialize)]
struct IndexRead {
    version: String,
    format: u32,
    limits: (u64, u64),
    root: String,
    results: u64,
    entries: HeldEntries,
}

/// An index entry as the reader keeps it for the whole run: its path a
/// span of [`HeldEntries::rels`], not a string of its own (a folder of
/// 100,000 notes: 7 MB where the entries as read take 11).
#[derive(Debug, Clone, Copy)]
struct Held {
    rel: Span,
    key: FileKey,
    hash: u64,
    at: Stored,
}

/// The entries of a cache being read.
#[derive(Debug, Default)]
struct HeldEntries {
    /// Every entry's path.
    rels: Texts,
    /// Sorted by path, one entry per path, once [`Reader::open`] has
    /// checked them.
    held: Vec<Held>,
}

impl HeldEntries {
    fn rel(&self, e: &Held) -> &str {
        self.rels.get(e.rel)
    }
}

impl<'de> Deserialize<'de> for HeldEntries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = HeldEntries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("cache index entries")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<HeldEntries, A::Error> {
                let mut out = HeldEntries::default();
                // Sized from the count written before the entries, their
                // paths at a typical length: no vector grows by copying
                // itself. Bounded (a hostile count must not reserve
                // gigabytes: past 262,144 entries they grow as read), and
                // a hint only.
                let count = seq.size_hint().unwrap_or(0).min(1 << 18);
                let _ = out.held.try_reserve(count);
                out.rels.reserve(count * 32);
                while let Some(e) = seq.next_element::<IndexEntry>()? {
                    let Some(rel) = out.rels.push(&e.rel) else {
                        return Err(serde::de::Error::custom("index too large"));
                    };
                    out.held.push(Held {
                        rel,
                        key: e.key,
                        hash: e.hash,
                        at: Stored {
                            offset: e.offset,
                            size: e.size,
                            sum: e.sum,
                            split: e.split,
                        },
                    });
                }
                out.rels.shrink_to_fit();
                out.held.shrink_to_fit();
                Ok(out)
            }
        }
        d.deserialize_seq(Entries)
    }
}

fn limits() -> (u64, u64) {
    (
        crate::frontmatter::MAX_FRONT_MATTER as u64,
        crate::fsx::NOTE_CAP,
    )
}

/// The cache file of an output folder.
pub fn path_in(output: &Path) -> PathBuf {
    output.join(REL)
}

/// The cache file of the output folder `config` names.
pub fn path_for(config: &crate::config::Config) -> PathBuf {
    path_in(&crate::publish::absolute(&config.output_dir))
}

/// A cache read at the start of a run.
pub struct Reader {
    file: File,
    len: u64,
    /// When the cache was written (its modification time).
    stamp: i64,
    /// Sorted by path (one copy of each path: no map beside it).
    entries: HeldEntries,
    /// The results key of its entries' results (0: none).
    results: u64,
    /// Notes served from it so far.
    hits: std::sync::atomic::AtomicUsize,
    /// Of those, notes served with their results.
    settled: std::sync::atomic::AtomicUsize,
    /// Notes read again whose text was what their results were made from.
    same_text: std::sync::atomic::AtomicUsize,
}

/// Why a cache file was not used (said once, as a warning).
#[derive(Debug, Clone, PartialEq)]
pub enum Unusable {
    /// Another version, format, limits or root: dropped quietly.
    Stale,
    /// Corrupt, truncated or not a notes-vet cache: the reason.
    Damaged(crate::i18n::Msg),
}

impl Reader {
    /// Opens the cache of `root` at `path`: `Ok(None)` when there is none.
    pub fn open(path: &Path, root: &Path) -> Result<Option<Reader>, Unusable> {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&e)),
        };
        let damaged = |id: &'static str| Unusable::Damaged(crate::i18n::Msg::new(id));
        // The pointer first, then the length: a writer appends and makes
        // durable what a pointer names before the pointer, so the length
        // read after it covers it. A pointer read while it was being
        // written (its checksum fails) is read again.
        let mut tries = 0;
        let (head, meta) = loop {
            let mut head = [0u8; START as usize];
            let read = file
                .seek(io::SeekFrom::Start(0))
                .and_then(|_| file.read_exact(&mut head));
            let meta = file.metadata().map_err(|e| io_error(&e))?;
            if !meta.is_file() {
                return Err(damaged("cache-why-not-file"));
            }
            if read.is_err() {
                return Err(damaged("cache-why-foreign"));
            }
            tries += 1;
            if tries >= 3 || &head[..8] != HEAD || read_pointer(&head).is_some() {
                break (head, meta);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        let len = meta.len();
        let modified = meta.modified().map(nanos).map_err(|e| io_error(&e))?;
        if OLD_HEADS.iter().any(|h| head[..8] == h[..]) {
            return Err(Unusable::Stale);
        }
        if &head[..8] != HEAD {
            return Err(damaged("cache-why-foreign"));
        }
        let Some((index_offset, index_len, index_sum, written)) = read_pointer(&head) else {
            return Err(damaged("cache-why-index"));
        };
        let stamp = modified.min(written);
        if index_len > MAX_INDEX
            || index_offset < START
            || index_offset
                .checked_add(index_len)
                .is_none_or(|end| end > len)
        {
            return Err(damaged("cache-why-short"));
        }
        let mut bytes = vec![0; index_len as usize];
        read_at(&file, &mut bytes, index_offset).map_err(|e| io_error(&e))?;
        if hash(&bytes) != index_sum {
            return Err(damaged("cache-why-index"));
        }
        let index: IndexRead =
            postcard::from_bytes(&bytes).map_err(|_| damaged("cache-why-index"))?;
        drop(bytes);
        if index.version != env!("CARGO_PKG_VERSION")
            || index.format != FORMAT
            || index.limits != limits()
            || index.root != root.display().to_string()
        {
            return Err(Unusable::Stale);
        }
        let mut entries = index.entries;
        entries.held.retain(|e| {
            let at = e.at;
            at.offset >= START
                && at
                    .offset
                    .checked_add(u64::from(at.size))
                    .is_some_and(|end| end <= len)
                && at.size <= MAX_BLOB
                && at.split <= at.size
        });
        let HeldEntries { rels, held } = &mut entries;
        // As written, in path order; the first of repeated paths stays.
        held.sort_by(|a, b| rels.get(a.rel).cmp(rels.get(b.rel)));
        held.dedup_by(|a, b| rels.get(a.rel) == rels.get(b.rel));
        Ok(Some(Reader {
            file,
            len,
            stamp,
            entries,
            results: index.results,
            hits: Default::default(),
            settled: Default::default(),
            same_text: Default::default(),
        }))
    }

    fn entry(&self, rel: &str) -> Option<&Held> {
        let held = &self.entries.held;
        crate::pathmap::search_near(held.as_ptr() as usize, held, rel, |e| self.entries.rel(e))
            .ok()
            .map(|i| &self.entries.held[i])
    }

    /// Its entry at `i` (in path order), with its path.
    fn nth(&self, i: usize) -> Option<(&str, &Held)> {
        let e = self.entries.held.get(i)?;
        Some((self.entries.rel(e), e))
    }

    /// How many notes were served from it.
    pub fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many of them were served with their results.
    pub fn settled(&self) -> usize {
        self.settled.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts a note read again whose cached results stood.
    pub fn count_same_text(&self) {
        self.same_text
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many notes read again had the text their results were made
    /// from ([`Reader::results_for_text`]).
    pub fn same_text(&self) -> usize {
        self.same_text.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many notes it holds.
    pub fn len(&self) -> usize {
        self.entries.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.held.is_empty()
    }

    /// The cached parse of note `rel`, when its key is `key` and it was
    /// not modified too close to the cache's writing; with its content
    /// hash and where its entry is (the tests' way in: a run uses
    /// [`Reader::lookup`]).
    #[cfg(test)]
    pub fn get(&self, rel: &str, key: FileKey) -> Option<(Parsed, u64, Stored)> {
        match self.lookup(rel, key, 0)? {
            Hit::Parsed {
                parsed, hash, at, ..
            } => Some((parsed, hash, at)),
            Hit::Settled { .. } => None,
        }
    }

    /// What the cache has of note `rel`, when its key is `key` and it was
    /// not modified too close to the cache's writing: its results when
    /// they were made under `results` (a run's results key, not 0), else
    /// its parse.
    pub fn lookup(&self, rel: &str, key: FileKey, results: u64) -> Option<Hit> {
        let e = self.entry(rel)?;
        if e.key != key || key.mtime.max(key.ctime) >= self.stamp - RACY {
            return None;
        }
        let at = e.at;
        if !self.holds(at) {
            return None;
        }
        let count = || {
            self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        if let Some(hit) = self.results_part(e, results) {
            count();
            self.settled
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Some(hit);
        }
        let part = self
            .bytes(at.offset + u64::from(at.split), at.size - at.split)
            .ok()?;
        let parsed = postcard::from_bytes(payload(&part)?).ok()?;
        count();
        Some(Hit::Parsed {
            parsed,
            part: ParsePart(part),
            hash: e.hash,
            at,
        })
    }

    /// The file read, opened at `path` to be appended to, when it is still
    /// the same file, as long as when it was read (else a new file is
    /// written): its end is where the appended bytes go.
    #[cfg(unix)]
    fn append_to(&self, path: &Path) -> Option<File> {
        use std::io::Seek;
        use std::os::unix::fs::MetadataExt;
        let mut file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
        let (now, then) = (file.metadata().ok()?, self.file.metadata().ok()?);
        let same = now.is_file()
            && now.dev() == then.dev()
            && now.ino() == then.ino()
            && now.len() == self.len;
        (same && file.seek(io::SeekFrom::Start(self.len)).is_ok()).then_some(file)
    }

    /// Elsewhere a new file is written each time.
    #[cfg(not(unix))]
    fn append_to(&self, _path: &Path) -> Option<File> {
        None
    }

    /// The results of note `rel` made under `results` (a run's results
    /// key, not 0) from a text of content hash `hash`, whatever the note's
    /// identity now: for a note read again because its identity changed
    /// (touched, checked out, synced) whose text is what it was.
    pub fn results_for_text(&self, rel: &str, hash: u64, results: u64) -> Option<Hit> {
        let e = self.entry(rel)?;
        if e.hash != hash || !self.holds(e.at) {
            return None;
        }
        self.results_part(e, results)
    }

    /// Whether the file holds all of an entry's bytes.
    fn holds(&self, at: Stored) -> bool {
        at.offset
            .checked_add(u64::from(at.size))
            .is_some_and(|end| end <= self.len)
    }

    /// Entry `e`'s results, when it has some made under `results` (a run's
    /// results key, not 0) and their checksum holds.
    fn results_part(&self, e: &Held, results: u64) -> Option<Hit> {
        let at = e.at;
        if results == 0 || results != self.results || at.split == 0 {
            return None;
        }
        // The report piece only (its length, payload and checksum): the
        // client record after it stays in the file.
        let mut part = self.bytes(at.offset, at.split.min(REPORT_WINDOW)).ok()?;
        let len = u32::from_le_bytes(part.get(..4)?.try_into().ok()?);
        let end = len.checked_add(4 + 8).filter(|&end| end <= at.split)?;
        if end as usize > part.len() {
            part = self.bytes(at.offset, end).ok()?;
        }
        part.truncate(end as usize);
        let n = payload(&part[4..])?.len();
        part.drain(..4);
        part.truncate(n);
        Some(Hit::Settled {
            results: part,
            client: ClientAt {
                offset: at.offset + u64::from(end),
                len: at.split - end,
            },
            hash: e.hash,
            at,
        })
    }

    /// The client record a [`Hit::Settled`] points to, when its checksum
    /// holds.
    pub fn client(&self, at: ClientAt) -> Option<Vec<u8>> {
        let mut part = self.bytes(at.offset, at.len).ok()?;
        let n = payload(&part)?.len();
        part.truncate(n);
        Some(part)
    }

    /// `size` bytes at `offset`.
    fn bytes(&self, offset: u64, size: u32) -> io::Result<Vec<u8>> {
        let mut blob = vec![0; size as usize];
        read_at(&self.file, &mut blob, offset)?;
        Ok(blob)
    }
}

fn io_error(e: &io::Error) -> Unusable {
    Unusable::Damaged(crate::msg!("cache-why-io", error = e.to_string()))
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_write(file, &buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        done += n;
    }
    Ok(())
}

/// The cache being written by a run, note by note in path order.
///
/// As long as every note added is the old cache's next entry, unchanged,
/// nothing is written and nothing is kept: an unchanged run neither
/// rewrites the cache (a quarter of a gigabyte at 100,000 notes) nor holds
/// its index. At the first difference the writer either appends to the
/// old file (the notes that changed get new blobs after its end; the
/// others keep theirs where they are) or, when every entry is new (no old
/// cache, another results key), writes a whole new file aside.
pub struct Writer {
    out: Out,
    dest: PathBuf,
    /// Where the next blob goes in the file being written.
    offset: u64,
    entries: Vec<IndexEntry>,
    /// How many of the old cache's entries the notes added so far repeat
    /// (while `out` is [`Out::Unstarted`]).
    same: usize,
    /// The results key of this run (0: its results are not to be trusted).
    results: u64,
    /// Bytes of the old cache still to copy into a new file (offset,
    /// length): the entries carried over that lie one after another
    /// there, copied in large pieces rather than an entry at a time.
    pending: Option<(u64, u64)>,
    /// Why an entry could not be written: the new cache is then never put
    /// in place ([`Writer::finish`] says why).
    failed: Option<io::Error>,
}

/// Where a [`Writer`] writes.
enum Out {
    /// Nothing yet: the notes so far repeat the old cache.
    Unstarted,
    /// A whole new file, renamed over the old one at the end.
    New(BufWriter<tempfile::NamedTempFile>),
    /// The old file itself, after its end (its entries stay where they are).
    Append(BufWriter<File>),
}

/// The largest piece of the old cache copied at once.
const COPY_PIECE: u64 = 1 << 20;

impl Writer {
    /// Removes what a killed writer left in the cache's folder.
    pub fn remove_leftovers(dir: &Path) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }

    /// Starts a new cache at `dest` (its folder is made), to replace `old`
    /// (the cache the run reads) if it turns out to differ. `results` is
    /// the run's results key (0 when it records no results).
    pub fn create(dest: &Path, old: Option<&Reader>, results: u64) -> io::Result<Writer> {
        let dir = dest.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        // What a killed run left (the writer holds the folder's lock).
        Writer::remove_leftovers(dir);
        let mut w = Writer {
            out: Out::Unstarted,
            dest: dest.to_path_buf(),
            offset: 0,
            entries: Vec::new(),
            same: 0,
            results,
            pending: None,
            failed: None,
        };
        if old.is_none_or(|o| o.is_empty() || o.results != results) {
            // Nothing to repeat: the file is started now, so that a folder
            // where it cannot be written is said at once.
            w.start_new(None)?;
        }
        Ok(w)
    }

    /// Goes on from the first `self.same` entries of `old`: appending to
    /// it when it can be written in place, else in a new file.
    fn start(&mut self, old: Option<&Reader>) -> io::Result<()> {
        match old.map(|o| (o, o.append_to(&self.dest))) {
            Some((old, Some(file))) => {
                self.offset = old.len;
                self.out = Out::Append(BufWriter::with_capacity(1 << 16, file));
                for (rel, e) in (0..self.same.min(old.len())).filter_map(|i| old.nth(i)) {
                    self.carry(rel, e.key, e.hash, e.at, old)?;
                }
                Ok(())
            }
            _ => self.start_new(old),
        }
    }

    /// Starts a whole new file with the first `self.same` entries of `old`.
    fn start_new(&mut self, old: Option<&Reader>) -> io::Result<()> {
        let dir = self.dest.parent().unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)?;
        let mut out = BufWriter::new(tmp);
        out.write_all(HEAD)?;
        // The pointer, written once the index is.
        out.write_all(&[0; (START - 8) as usize])?;
        self.offset = START;
        self.out = Out::New(out);
        if let Some(old) = old {
            for (rel, e) in (0..self.same.min(old.len())).filter_map(|i| old.nth(i)) {
                self.carry(rel, e.key, e.hash, e.at, old)?;
            }
        }
        Ok(())
    }

    /// Records an entry of `old` as it is there: where it is, when
    /// appending to it; else its bytes are copied into the new file with
    /// those next to it ([`Writer::copy_pending`]).
    fn carry(
        &mut self,
        rel: &str,
        key: FileKey,
        hash: u64,
        at: Stored,
        old: &Reader,
    ) -> io::Result<()> {
        let offset = match self.out {
            Out::Unstarted => return Ok(()),
            Out::Append(_) => at.offset,
            Out::New(_) => {
                let size = u64::from(at.size);
                match &mut self.pending {
                    Some((from, len)) if *from + *len == at.offset => *len += size,
                    _ => {
                        self.copy_pending(Some(old))?;
                        self.pending = Some((at.offset, size));
                    }
                }
                self.offset += size;
                self.offset - size
            }
        };
        self.entries.push(IndexEntry {
            rel: rel.into(),
            key,
            hash,
            offset,
            size: at.size,
            sum: at.sum,
            split: at.split,
        });
        Ok(())
    }

    /// Copies the bytes of `old` the entries carried so far stand for.
    fn copy_pending(&mut self, old: Option<&Reader>) -> io::Result<()> {
        let Some((mut from, mut left)) = self.pending.take() else {
            return Ok(());
        };
        let (Out::New(out), Some(old)) = (&mut self.out, old) else {
            return Err(io::Error::other("the cache being replaced is gone"));
        };
        let mut piece = vec![0; left.min(COPY_PIECE) as usize];
        while left > 0 {
            let n = left.min(COPY_PIECE) as usize;
            read_at(&old.file, &mut piece[..n], from)?;
            out.write_all(&piece[..n])?;
            from += n as u64;
            left -= n as u64;
        }
        Ok(())
    }

    /// Writes an entry's bytes into the new file and records it.
    fn append(
        &mut self,
        rel: &str,
        key: FileKey,
        hash: u64,
        blob: &[u8],
        sum: u64,
        split: u32,
    ) -> io::Result<()> {
        // Whatever was carried before it goes first.
        if self.pending.is_some() {
            return Err(io::Error::other("carried entries not copied"));
        }
        match &mut self.out {
            Out::Unstarted => return Ok(()),
            Out::New(out) => out.write_all(blob)?,
            Out::Append(out) => out.write_all(blob)?,
        }
        self.entries.push(IndexEntry {
            rel: rel.into(),
            key,
            hash,
            offset: self.offset,
            size: blob.len() as u32,
            sum,
            split,
        });
        self.offset += blob.len() as u64;
        Ok(())
    }

    /// Adds note `rel` (`old`: the cache this one replaces). A note
    /// modified less than [`RACY`] ago is left out (the next run reads it
    /// again).
    pub fn add(&mut self, rel: &str, record: &Record, old: Option<&Reader>) -> io::Result<()> {
        if self.failed.is_some() {
            return Err(io::Error::other("the new cache has failed already"));
        }
        let added = self.add_entry(rel, record, old);
        if let Err(e) = &added {
            self.failed = Some(io::Error::new(e.kind(), e.to_string()));
        }
        added
    }

    fn add_entry(&mut self, rel: &str, record: &Record, old: Option<&Reader>) -> io::Result<()> {
        let now = nanos(std::time::SystemTime::now());
        let (size, sum, split) = (record.size(), record.sum(), record.split());
        let left_out =
            record.key.mtime.max(record.key.ctime) >= now - RACY || size > MAX_BLOB as usize;
        if let Out::Unstarted = self.out {
            let repeats = !left_out
                && old
                    .and_then(|o| o.nth(self.same))
                    .is_some_and(|(o_rel, o)| {
                        o_rel == rel
                            && o.key == record.key
                            && o.hash == record.hash
                            && o.at.size as usize == size
                            && o.at.sum == sum
                            && o.at.split == split
                    });
            if repeats {
                self.same += 1;
                return Ok(());
            }
            self.start(old)?;
        }
        if left_out {
            return Ok(());
        }
        match &record.blob {
            Blob::Fresh(blob, _) => {
                self.copy_pending(old)?;
                self.append(rel, record.key, record.hash, blob, sum, split)
            }
            // Served by the cache this one replaces: carried from it
            // (without it, the note is read again next time).
            Blob::Stored(at) => match old {
                Some(old) => self.carry(rel, record.key, record.hash, *at, old),
                None => Ok(()),
            },
        }
    }

    /// The results key this cache is written under.
    pub fn results(&self) -> u64 {
        self.results
    }

    /// Marks this run's results as not to be trusted (a Lua rule ran out
    /// of its budget: another run may not): the next run vets every note
    /// again, from the cached parses.
    pub fn forget_results(&mut self) {
        self.results = 0;
    }

    /// Writes the index and puts it in force (appended to the old file,
    /// or in a new file put in place of it), unless it would say the same
    /// as `old` (then nothing is written: a run that changed nothing
    /// leaves every file as it was).
    pub fn finish(mut self, root: &Path, old: Option<&Reader>) -> io::Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let same_results = old.is_some_and(|o| o.results == self.results);
        if let Out::Unstarted = self.out {
            if same_results && old.is_some_and(|o| o.len() == self.same) {
                return Ok(());
            }
            // The old cache has notes this run did not add.
            self.start(old)?;
        }
        if let Some(old) = old
            && same_results
            && old.len() == self.entries.len()
            && self.entries.iter().all(|e| {
                old.entry(&e.rel)
                    .is_some_and(|o| o.key == e.key && o.hash == e.hash && o.at.sum == e.sum)
            })
        {
            return Ok(());
        }
        self.copy_pending(old)?;
        let index = Index {
            version: env!("CARGO_PKG_VERSION").to_string(),
            format: FORMAT,
            limits: limits(),
            root: root.display().to_string(),
            results: self.results,
            entries: std::mem::take(&mut self.entries),
        };
        let bytes = postcard::to_stdvec(&index).map_err(io::Error::other)?;
        let at = |file: &File| -> io::Result<[u8; POINTER]> {
            let written = nanos(file.metadata()?.modified()?);
            Ok(pointer(
                self.offset,
                bytes.len() as u64,
                hash(&bytes),
                written,
            ))
        };
        match std::mem::replace(&mut self.out, Out::Unstarted) {
            Out::Unstarted => Ok(()),
            Out::Append(out) => {
                let live: u64 = START
                    + bytes.len() as u64
                    + index.entries.iter().map(|e| u64::from(e.size)).sum::<u64>();
                let mut file = out.into_inner().map_err(|e| e.into_error())?;
                if self.offset + bytes.len() as u64 > 2 * live + DEAD_SLACK {
                    // More dead bytes than live ones: the cache is written
                    // whole again (from the old file, whose appended blobs
                    // are read as the others).
                    return self.compact(index, root, old);
                }
                file.write_all(&bytes)?;
                // The new blobs and index are durable before the pointer
                // names them: a crash leaves the old index in force.
                file.sync_data()?;
                write_at(&file, &at(&file)?, 8)
            }
            Out::New(mut out) => {
                out.write_all(&bytes)?;
                out.flush()?;
                let tmp = out.into_inner().map_err(|e| e.into_error())?;
                tmp.as_file().sync_data()?;
                write_at(tmp.as_file(), &at(tmp.as_file())?, 8)?;
                tmp.as_file().sync_data()?;
                // As every other output (a temporary file starts private).
                if let Some(p) = crate::write::new_file_permissions() {
                    std::fs::set_permissions(tmp.path(), p)?;
                }
                tmp.persist(&self.dest).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }

    /// Writes `index`'s entries, read from `old` (the file appended to),
    /// into a whole new file, which replaces it.
    fn compact(mut self, index: Index, root: &Path, old: Option<&Reader>) -> io::Result<()> {
        let Some(old) = old else {
            return Err(io::Error::other("the cache being replaced is gone"));
        };
        self.same = 0;
        self.start_new(None)?;
        for e in &index.entries {
            let at = Stored {
                offset: e.offset,
                sum: e.sum,
                size: e.size,
                split: e.split,
            };
            self.carry(&e.rel, e.key, e.hash, at, old)?;
        }
        self.finish(root, Some(old))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(note: &str) -> Parsed {
        let fm = crate::frontmatter::parse(note).unwrap().unwrap();
        Parsed::Front {
            format: fm.format,
            root: fm.root,
            body_offset: fm.body_offset,
            front: note[..fm.body_offset].to_string(),
        }
    }

    fn old_key(len: u64) -> FileKey {
        FileKey {
            len,
            mtime: 1_000_000_000,
            inode: 7,
            ctime: 1_000_000_000,
        }
    }

    /// A first cache at `path` (under results key `results`) of notes
    /// `{i}.md`, each of key `old_key(i)`, content hash `i` and parse
    /// `parsed`.
    fn first_cache(
        path: &Path,
        root: &Path,
        results: u64,
        notes: impl IntoIterator<Item = (u64, Parsed)>,
    ) {
        let mut w = Writer::create(path, None, results).unwrap();
        for (i, parsed) in notes {
            let rec = Record::new(old_key(i), i, &parsed).unwrap();
            w.add(&format!("{i}.md"), &rec, None).unwrap();
        }
        w.finish(root, None).unwrap();
    }

    #[test]
    fn a_written_cache_reads_back_and_trusts_only_unchanged_old_notes() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = "---\nclient: Şule 🙂\ncontacts:\n  - {at: 2026-01-01, tone: rude}\n---\nbody\n";
        let p = parsed(note);
        let mut w = Writer::create(&path, None, 0).unwrap();
        w.add("a.md", &Record::new(old_key(10), 42, &p).unwrap(), None)
            .unwrap();
        w.add(
            "b.md",
            &Record::new(old_key(11), 43, &Parsed::NoFrontMatter).unwrap(),
            None,
        )
        .unwrap();
        // Modified just now: left out.
        let fresh = FileKey {
            ctime: nanos(std::time::SystemTime::now()),
            ..old_key(12)
        };
        w.add("c.md", &Record::new(fresh, 44, &p).unwrap(), None)
            .unwrap();
        w.finish(dir.path(), None).unwrap();
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert_eq!(r.len(), 2);
        let (back, hash, _) = r.get("a.md", old_key(10)).unwrap();
        assert_eq!((back, hash), (p, 42));
        assert_eq!(r.get("b.md", old_key(11)).unwrap().0, Parsed::NoFrontMatter);
        assert!(r.get("a.md", old_key(99)).is_none(), "another size");
        assert!(r.get("c.md", fresh).is_none());
        // Another root: stale.
        assert!(matches!(
            Reader::open(&path, Path::new("/elsewhere")),
            Err(Unusable::Stale)
        ));
    }

    #[test]
    fn damaged_files_are_refused_never_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        first_cache(
            &path,
            dir.path(),
            0,
            (0..50).map(|i| (i, parsed(&format!("---\nclient: C{i}\n---\n")))),
        );
        let good = std::fs::read(&path).unwrap();
        // Cut short anywhere, foreign, empty, or with bytes flipped: an
        // error or entries that decode to nothing wrong; never a panic.
        for cut in [0, 7, 8, 100, good.len() / 2, good.len() - 1] {
            std::fs::write(&path, &good[..cut]).unwrap();
            assert!(
                matches!(Reader::open(&path, dir.path()), Err(Unusable::Damaged(_))),
                "cut {cut}"
            );
        }
        std::fs::write(&path, b"this is somebody else's file, long enough to look").unwrap();
        assert!(matches!(
            Reader::open(&path, dir.path()),
            Err(Unusable::Damaged(_))
        ));
        // A flipped byte anywhere: the entry (or the whole file) is not
        // used; an entry that is used is exactly what was written.
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&path, &bad).unwrap();
            if let Ok(Some(r)) = Reader::open(&path, dir.path()) {
                for i in 0..50u64 {
                    if let Some((p, h, _)) = r.get(&format!("{i}.md"), old_key(i)) {
                        let note = format!("---\nclient: C{i}\n---\n");
                        assert_eq!((p, h), (parsed(&note), i), "byte {at}");
                    }
                }
            }
        }
    }

    /// Notes the old cache served are carried by where they are in it: a
    /// change before them makes the new cache copy their bytes from the
    /// old file, and they read back as they were.
    #[test]
    fn served_notes_are_copied_from_the_old_cache_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| parsed(&format!("---\nclient: C{i} 🙂\ntags: [a, b]\n---\n"));
        let mut w = Writer::create(&path, None, 0).unwrap();
        for i in 1..=3 {
            let rec = Record::new(old_key(i * 10), i, &note(i)).unwrap();
            w.add(&format!("{i}.md"), &rec, None).unwrap();
        }
        w.finish(dir.path(), None).unwrap();
        let old = Reader::open(&path, dir.path()).unwrap().unwrap();
        let mut w = Writer::create(&path, Some(&old), 0).unwrap();
        // 1.md changed (another size): a fresh entry; 2 and 3 were served.
        let changed = Record::new(old_key(11), 100, &note(100)).unwrap();
        w.add("1.md", &changed, Some(&old)).unwrap();
        for i in 2..=3 {
            let (p, h, at) = old.get(&format!("{i}.md"), old_key(i * 10)).unwrap();
            assert_eq!(p, note(i));
            let rec = Record::stored(old_key(i * 10), h, at);
            w.add(&format!("{i}.md"), &rec, Some(&old)).unwrap();
        }
        w.finish(dir.path(), Some(&old)).unwrap();
        drop(old);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r.get("1.md", old_key(11)).unwrap().0, note(100));
        for i in 2..=3 {
            let (p, h, _) = r.get(&format!("{i}.md"), old_key(i * 10)).unwrap();
            assert_eq!((p, h), (note(i), i));
        }
    }

    /// A run that adds what the old cache holds writes nothing; a change
    /// anywhere (an entry changed, one gone at the end, one more) writes
    /// a whole new cache, the unchanged entries carried over.
    #[test]
    fn an_unchanged_run_writes_nothing_and_a_change_anywhere_writes_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| parsed(&format!("---\nclient: C{i}\n---\n"));
        let rec = |i: u64, len: u64| Record::new(old_key(len), i, &note(i)).unwrap();
        let write = |recs: &[(u64, u64)], old: Option<&Reader>| {
            let mut w = Writer::create(&path, old, 0).unwrap();
            for (i, len) in recs {
                w.add(&format!("{i}.md"), &rec(*i, *len), old).unwrap();
            }
            w.finish(dir.path(), old).unwrap();
        };
        let stamp = || std::fs::metadata(&path).unwrap().modified().unwrap();
        write(&[(1, 10), (2, 20), (3, 30)], None);
        let first = stamp();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        write(&[(1, 10), (2, 20), (3, 30)], Some(&r));
        assert_eq!(stamp(), first, "an unchanged run rewrote the cache");
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "a temporary file was left");
        for (recs, expect) in [
            (
                vec![(1, 10), (2, 20), (3, 31)],
                vec![(1, 10), (2, 20), (3, 31)],
            ),
            (vec![(1, 10), (2, 20)], vec![(1, 10), (2, 20)]),
            (
                vec![(1, 10), (2, 20), (4, 40)],
                vec![(1, 10), (2, 20), (4, 40)],
            ),
            (vec![(2, 20), (4, 40)], vec![(2, 20), (4, 40)]),
        ] {
            let r = Reader::open(&path, dir.path()).unwrap().unwrap();
            write(&recs, Some(&r));
            drop(r);
            let r = Reader::open(&path, dir.path()).unwrap().unwrap();
            assert_eq!(r.len(), expect.len(), "{recs:?}");
            for (i, len) in expect {
                let (p, h, _) = r.get(&format!("{i}.md"), old_key(len)).unwrap();
                assert_eq!((p, h), (note(i), i));
            }
        }
    }

    /// A report longer than the first read is read whole by a second;
    /// one whose stated length runs past its part is refused.
    #[test]
    fn a_long_report_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let part = ParsePart::new(&parsed("---\nclient: Ada\n---\n")).unwrap();
        for (rel, report) in [("a.md", 10), ("b.md", 3000), ("c.md", 1000)] {
            let mut bytes = vec![b'r'; report];
            bytes.extend_from_slice(b"client");
            let results = Results::new(bytes, report);
            let mut w = Writer::create(&path, None, 7).unwrap();
            w.add(
                rel,
                &Record::settled(old_key(5), 9, &part, Some(&results)),
                None,
            )
            .unwrap();
            w.finish(dir.path(), None).unwrap();
            let r = Reader::open(&path, dir.path()).unwrap().unwrap();
            match r.lookup(rel, old_key(5), 7) {
                Some(Hit::Settled {
                    results, client, ..
                }) => {
                    assert_eq!(results, vec![b'r'; report], "{rel}");
                    assert_eq!(r.client(client).as_deref(), Some(&b"client"[..]));
                }
                other => panic!("{rel}: {other:?}"),
            }
            // The length made larger than the part: not served.
            let mut file = std::fs::read(&path).unwrap();
            let at = r.entry(rel).unwrap().at.offset as usize;
            file[at..at + 4].copy_from_slice(&(report as u32 + 100).to_le_bytes());
            let long = dir.path().join("long.bin");
            std::fs::write(&long, &file).unwrap();
            let l = Reader::open(&long, dir.path()).unwrap().unwrap();
            assert!(
                matches!(l.lookup(rel, old_key(5), 7), Some(Hit::Parsed { .. })),
                "{rel}"
            );
        }
    }

    /// Results are served only to a run of the key they were written
    /// under, never when the writer forgot them; the parse is served to
    /// any run. A run of another key writes the whole cache again.
    #[test]
    fn results_are_served_only_under_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = parsed("---\nclient: Ada\n---\n");
        let part = ParsePart::new(&note).unwrap();
        let write = |key: u64, forget: bool, old: Option<&Reader>| {
            let mut w = Writer::create(&path, old, key).unwrap();
            // "results of" the report piece, " Ada" the client record.
            let results = Results::new(b"results of Ada".to_vec(), 10);
            let rec = Record::settled(old_key(5), 9, &part, Some(&results));
            w.add("a.md", &rec, old).unwrap();
            if forget {
                w.forget_results();
            }
            w.finish(dir.path(), old).unwrap();
        };
        write(7, false, None);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        match r.lookup("a.md", old_key(5), 7) {
            Some(Hit::Settled {
                results,
                client,
                hash,
                ..
            }) => {
                assert_eq!((results.as_slice(), hash), (&b"results of"[..], 9));
                assert_eq!(r.client(client).as_deref(), Some(&b" Ada"[..]));
                // A flipped byte in the client record: that piece alone
                // is refused.
                let mut bytes = std::fs::read(&path).unwrap();
                bytes[client.offset as usize] ^= 1;
                let flipped = dir.path().join("flipped.bin");
                std::fs::write(&flipped, &bytes).unwrap();
                let f = Reader::open(&flipped, dir.path()).unwrap().unwrap();
                assert!(matches!(
                    f.lookup("a.md", old_key(5), 7),
                    Some(Hit::Settled { .. })
                ));
                assert_eq!(f.client(client), None);
            }
            other => panic!("{other:?}"),
        }
        match r.lookup("a.md", old_key(5), 8) {
            Some(Hit::Parsed { parsed, hash, .. }) => assert_eq!((parsed, hash), (note.clone(), 9)),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.get("a.md", old_key(5)).unwrap().0, note);
        assert!(r.lookup("a.md", old_key(6), 7).is_none(), "another size");
        assert_eq!((r.hits(), r.settled()), (3, 1));
        // The same entry under another key: written again, under that key.
        let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(8, false, Some(&r));
        drop(r);
        assert_ne!(std::fs::metadata(&path).unwrap().modified().unwrap(), stamp);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert!(matches!(
            r.lookup("a.md", old_key(5), 8),
            Some(Hit::Settled { .. })
        ));
        assert!(matches!(
            r.lookup("a.md", old_key(5), 7),
            Some(Hit::Parsed { .. })
        ));
        // Forgotten: no key at all, though the entry is the same.
        write(8, true, Some(&r));
        drop(r);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert!(matches!(
            r.lookup("a.md", old_key(5), 8),
            Some(Hit::Parsed { .. })
        ));
        assert!(r.lookup("a.md", old_key(5), 0).is_some());
    }

    /// Entries carried from the old cache in runs (with gaps where a note
    /// went, and fresh entries between them) read back exactly.
    #[test]
    fn entries_carried_in_runs_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| {
            parsed(&format!(
                "---\nclient: C{i}\nnotes: [{}]\n---\n",
                "x, ".repeat(i as usize)
            ))
        };
        first_cache(&path, dir.path(), 0, (1..=6).map(|i| (i, note(i))));
        let old = Reader::open(&path, dir.path()).unwrap().unwrap();
        let mut w = Writer::create(&path, Some(&old), 0).unwrap();
        let carry = |w: &mut Writer, i: u64| {
            let (_, h, at) = old.get(&format!("{i}.md"), old_key(i)).unwrap();
            w.add(
                &format!("{i}.md"),
                &Record::stored(old_key(i), h, at),
                Some(&old),
            )
            .unwrap();
        };
        carry(&mut w, 1);
        carry(&mut w, 2);
        // 3 changed, 4 gone, 5 and 6 carried, 7 new.
        let three = Record::new(old_key(33), 33, &note(33)).unwrap();
        w.add("3.md", &three, Some(&old)).unwrap();
        carry(&mut w, 5);
        carry(&mut w, 6);
        let seven = Record::new(old_key(7), 7, &note(7)).unwrap();
        w.add("7.md", &seven, Some(&old)).unwrap();
        w.finish(dir.path(), Some(&old)).unwrap();
        drop(old);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert_eq!(r.len(), 6);
        for (i, key, expect) in [
            (1, 1, 1),
            (2, 2, 2),
            (3, 33, 33),
            (5, 5, 5),
            (6, 6, 6),
            (7, 7, 7),
        ] {
            let (p, h, _) = r.get(&format!("{i}.md"), old_key(key)).unwrap();
            assert_eq!((p, h), (note(expect), expect), "{i}.md");
        }
        assert!(r.get("4.md", old_key(4)).is_none());
    }

    /// An entry that cannot be written fails the whole new cache: later
    /// entries are refused, and finishing says why and puts nothing in
    /// place (a cache missing what a run vetted, or keyed as if its results
    /// were whole, is never written).
    #[test]
    fn a_failed_entry_fails_the_new_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| parsed(&format!("---\nclient: C{i}\n---\n"));
        first_cache(&path, dir.path(), 5, (1..=3).map(|i| (i, note(i))));
        let old = Reader::open(&path, dir.path()).unwrap().unwrap();
        let mut w = Writer::create(&path, Some(&old), 5).unwrap();
        let (_, h, at) = old.get("1.md", old_key(1)).unwrap();
        w.add("1.md", &Record::stored(old_key(1), h, at), Some(&old))
            .unwrap();
        // The old file cut short under the reader: carrying 1.md fails
        // when the next entry is written.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(4)
            .unwrap();
        let two = Record::new(old_key(22), 22, &note(22)).unwrap();
        assert!(w.add("2.md", &two, Some(&old)).is_err());
        let three = Record::new(old_key(3), 3, &note(3)).unwrap();
        assert!(
            w.add("3.md", &three, Some(&old)).is_err(),
            "refused after a failure"
        );
        assert!(w.finish(dir.path(), Some(&old)).is_err());
        assert_eq!(
            std::fs::read(&path).unwrap().len(),
            4,
            "nothing put in place"
        );
        let left = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(left, 1, "no temporary file left");
    }

    fn inode(path: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
    }

    /// A run that changed some notes appends their entries to the same
    /// file: bytes already there stay as they were, so a reader that
    /// opened the cache before still reads its own entries right, and the
    /// next reader reads the new ones.
    #[test]
    fn a_change_is_appended_and_an_earlier_reader_still_reads_its_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| parsed(&format!("---\nclient: C{i}\ntags: [a]\n---\n"));
        first_cache(&path, dir.path(), 3, (1..=4).map(|i| (i, note(i))));
        let (ino, before) = (inode(&path), std::fs::read(&path).unwrap());
        let old = Reader::open(&path, dir.path()).unwrap().unwrap();
        let mut w = Writer::create(&path, Some(&old), 3).unwrap();
        for i in 1..=4 {
            let rec = if i == 3 {
                Record::new(old_key(33), 33, &note(33)).unwrap()
            } else {
                let (_, h, at) = old.get(&format!("{i}.md"), old_key(i)).unwrap();
                Record::stored(old_key(i), h, at)
            };
            w.add(&format!("{i}.md"), &rec, Some(&old)).unwrap();
        }
        w.finish(dir.path(), Some(&old)).unwrap();
        let after = std::fs::read(&path).unwrap();
        assert_eq!(inode(&path), ino, "appended to, not replaced");
        assert!(after.len() > before.len());
        assert_eq!(
            after[START as usize..before.len()],
            before[START as usize..]
        );
        // The reader of the old state: 3.md as it was.
        assert_eq!(old.get("3.md", old_key(3)).unwrap().0, note(3));
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(r.get("3.md", old_key(33)).unwrap().0, note(33));
        assert!(r.get("3.md", old_key(3)).is_none());
        for i in [1, 2, 4] {
            let (p, h, _) = r.get(&format!("{i}.md"), old_key(i)).unwrap();
            assert_eq!((p, h), (note(i), i));
        }
    }

    /// Bytes a killed writer appended (blobs, half an index) are dead: the
    /// pointer still names the old index, which reads as before, and the
    /// next run appends after them.
    #[test]
    fn what_a_killed_writer_appended_leaves_the_old_state_in_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        let note = |i: u64| parsed(&format!("---\nclient: C{i}\n---\n"));
        first_cache(&path, dir.path(), 0, (1..=3).map(|i| (i, note(i))));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"half a blob and half an index, then the power went")
            .unwrap();
        drop(f);
        let old = Reader::open(&path, dir.path()).unwrap().unwrap();
        for i in 1..=3 {
            assert_eq!(old.get(&format!("{i}.md"), old_key(i)).unwrap().0, note(i));
        }
        let mut w = Writer::create(&path, Some(&old), 0).unwrap();
        let (_, h, at) = old.get("1.md", old_key(1)).unwrap();
        w.add("1.md", &Record::stored(old_key(1), h, at), Some(&old))
            .unwrap();
        w.add(
            "2.md",
            &Record::new(old_key(22), 22, &note(22)).unwrap(),
            Some(&old),
        )
        .unwrap();
        w.finish(dir.path(), Some(&old)).unwrap();
        drop(old);
        let r = Reader::open(&path, dir.path()).unwrap().unwrap();
        assert_eq!(r.len(), 2, "3.md gone");
        assert_eq!(r.get("1.md", old_key(1)).unwrap().0, note(1));
        assert_eq!(r.get("2.md", old_key(22)).unwrap().0, note(22));
    }

    /// Appending run after run, the file never holds more dead bytes than
    /// live ones (plus [`DEAD_SLACK`]): it is then written whole again,
    /// and reads back exactly.
    #[test]
    fn dead_bytes_never_outweigh_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        // About 200 KB a note, so that dead bytes pass the slack soon.
        let note = |i: u64, round: u64| {
            parsed(&format!(
                "---\nclient: C{i}\nround: {round}\nnotes: \"{}\"\n---\n",
                "x".repeat(200_000)
            ))
        };
        first_cache(&path, dir.path(), 0, (0..8).map(|i| (i, note(i, 0))));
        let mut inodes = std::collections::BTreeSet::from([inode(&path)]);
        for round in 1..=30u64 {
            let old = Reader::open(&path, dir.path()).unwrap().unwrap();
            let mut w = Writer::create(&path, Some(&old), 0).unwrap();
            let changed = round % 8;
            for i in 0..8 {
                let rec = if i == changed {
                    Record::new(old_key(100 * round + i), round, &note(i, round)).unwrap()
                } else {
                    let e = *old.entry(&format!("{i}.md")).unwrap();
                    Record::stored(e.key, e.hash, e.at)
                };
                w.add(&format!("{i}.md"), &rec, Some(&old)).unwrap();
            }
            w.finish(dir.path(), Some(&old)).unwrap();
            drop(old);
            let r = Reader::open(&path, dir.path()).unwrap().unwrap();
            let live: u64 = r.entries.held.iter().map(|e| u64::from(e.at.size)).sum();
            let len = std::fs::metadata(&path).unwrap().len();
            assert!(
                len <= 2 * (live + 1_000) + DEAD_SLACK,
                "round {round}: {len} for {live}"
            );
            let (p, h, _) = r
                .get(&format!("{changed}.md"), old_key(100 * round + changed))
                .unwrap();
            assert_eq!((p, h), (note(changed, round), round));
            inodes.insert(inode(&path));
        }
        assert!(inodes.len() > 1, "never written whole again");
    }

    /// The cache of an earlier notes-vet (format 5: its index at the end)
    /// is dropped quietly, not called damaged.
    #[test]
    fn an_earlier_format_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_in(dir.path());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut old = OLD_HEADS[0].to_vec();
        old.extend_from_slice(&[7; 100]);
        std::fs::write(&path, &old).unwrap();
        assert!(matches!(
            Reader::open(&path, dir.path()),
            Err(Unusable::Stale)
        ));
    }
}
