//! A binary copy of the manifest, kept with the parse cache
//! (`<output>/.cache/manifest.bin`), so that a writing run takes its
//! records without parsing their JSON (at 10,000 notes, 4 MB of JSON took
//! 16 ms at the start of every run; the copy takes a fifth of that).
//!
//! The copy names the hash of the manifest text it was made from, and is
//! used only when the manifest's text has that hash: the JSON stays what
//! notes-vet trusts and what a person reads, and a manifest edited,
//! damaged or written by another version is read as JSON. The copy is
//! written in pieces, each with its own checksum, and read a piece at a
//! time, so memory stays as low as with the JSON read as it streams:
//!
//! ```text
//! "NVMANIF1" | version length u32, version | text hash u128 | manifest version u32
//! pieces: kind u8 (1 files, 2 notes, 3 annotations and folders) | length u32 | postcard | xxh3 u64
//! kind 0: the end, then how many file and note records there are (u64 each)
//! ```
//!
//! Anything wrong with it (cut short, a flipped bit, another version)
//! means it is not used, quietly: the JSON is read instead and the copy
//! made again.

use super::{FileEntry, Hashes, Manifest, NoteEntry, State};
use crate::pathmap::PathMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The copy's path inside the output folder.
pub const REL: &str = ".cache/manifest.bin";
const MAGIC: &[u8; 8] = b"NVMANIF1";
/// Records in one piece.
const PIECE: usize = 2048;
/// The largest piece read (a corrupt length must not allocate gigabytes).
const MAX_PIECE: u32 = 64 << 20;

#[derive(Serialize, Deserialize)]
struct FileBin {
    hashes: HashesBin,
    stat: Option<(u64, u64)>,
    on: Option<(i16, i8, i8)>,
}

/// A file's hashes as a list of `u128` (as a `Vec<u128>` is written),
/// read straight into [`Hashes`]: one hash (nearly every file) makes no
/// list, where reading a `Vec` made one for each of 17,800 files at
/// 10,000 notes.
struct HashesBin(Hashes);

impl Serialize for HashesBin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A list of known length (as postcard writes one).
        s.collect_seq(self.0.iter().collect::<Vec<u128>>())
    }
}

impl<'de> Deserialize<'de> for HashesBin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::hashes_from_seq(d, |h: u128| Some(h)).map(HashesBin)
    }
}

impl From<&FileEntry> for FileBin {
    fn from(e: &FileEntry) -> Self {
        FileBin {
            hashes: HashesBin(e.hashes.clone()),
            stat: e.stat(),
            on: e.on.map(|d| (d.year(), d.month(), d.day())),
        }
    }
}

impl From<FileBin> for FileEntry {
    fn from(b: FileBin) -> Self {
        let mut e = FileEntry {
            hashes: b.hashes.0,
            on: b
                .on
                .and_then(|(y, m, d)| jiff::civil::Date::new(y, m, d).ok()),
            ..FileEntry::default()
        };
        e.set_stat(b.stat);
        e
    }
}

#[derive(Serialize, Deserialize)]
struct NoteBin {
    inputs: [u64; 2],
    standard: u8,
    other: Option<Vec<Box<str>>>,
}

impl From<&NoteEntry> for NoteBin {
    fn from(e: &NoteEntry) -> Self {
        NoteBin {
            inputs: e.inputs,
            standard: e.standard,
            other: e.other.as_ref().map(|o| o.to_vec()),
        }
    }
}

impl From<NoteBin> for NoteEntry {
    fn from(b: NoteBin) -> Self {
        NoteEntry {
            inputs: b.inputs,
            standard: b.standard,
            other: b.other.map(Box::new),
            seen: false,
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Rest {
    annotations: BTreeMap<String, Vec<String>>,
    dirs: BTreeSet<String>,
}

/// Writes the copy of `state` (manifest `version`), whose JSON text has
/// hash `text`, into the output folder `root`: aside, then renamed.
pub fn write(root: &Path, text: u128, version: u32, state: &State) -> io::Result<()> {
    let path = root.join(REL);
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new()
        .prefix(crate::cache::TEMP_PREFIX)
        .tempfile_in(dir)?;
    let mut out = BufWriter::with_capacity(1 << 16, tmp);
    out.write_all(MAGIC)?;
    let v = env!("CARGO_PKG_VERSION").as_bytes();
    out.write_all(&(v.len() as u32).to_le_bytes())?;
    out.write_all(v)?;
    out.write_all(&text.to_le_bytes())?;
    out.write_all(&version.to_le_bytes())?;
    put_records(
        &mut out,
        1,
        state.files.iter().map(|(k, e)| (k, FileBin::from(e))),
    )?;
    put_records(
        &mut out,
        2,
        state.notes.iter().map(|(k, e)| (k, NoteBin::from(e))),
    )?;
    let rest = (&state.annotations, &state.dirs);
    put_piece(&mut out, 3, &rest)?;
    out.write_all(&[0])?;
    // The counts: a piece lost to a flipped kind is noticed.
    out.write_all(&(state.files.len() as u64).to_le_bytes())?;
    out.write_all(&(state.notes.len() as u64).to_le_bytes())?;
    let tmp = out.into_inner().map_err(|e| e.into_error())?;
    if let Some(p) = super::new_file_permissions() {
        std::fs::set_permissions(tmp.path(), p)?;
    }
    tmp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `records` as pieces of kind `kind`, [`PIECE`] records each (not
/// all of them gathered first: 180,000 file records at 100,000 notes).
fn put_records<'a, T: Serialize>(
    out: &mut impl Write,
    kind: u8,
    records: impl Iterator<Item = (&'a str, T)>,
) -> io::Result<()> {
    let mut piece = Vec::with_capacity(PIECE);
    for record in records {
        piece.push(record);
        if piece.len() == PIECE {
            put_piece(out, kind, &piece)?;
            piece.clear();
        }
    }
    if !piece.is_empty() {
        put_piece(out, kind, &piece)?;
    }
    Ok(())
}

fn put_piece(out: &mut impl Write, kind: u8, value: &impl Serialize) -> io::Result<()> {
    let bytes = postcard::to_stdvec(value).map_err(io::Error::other)?;
    let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    out.write_all(&[kind])?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&bytes)?;
    out.write_all(&xxhash_rust::xxh3::xxh3_64(&bytes).to_le_bytes())
}

/// The manifest as the copy in `root` holds it, and the hash of the
/// manifest text it was made from, when that copy was made by this
/// version and reads whole (the caller compares the hash with the text's).
pub fn read(root: &Path) -> Option<(Manifest, u128)> {
    let file = crate::fsx::open_output(&root.join(REL), u64::MAX).ok()??;
    let mut r = io::BufReader::with_capacity(1 << 16, file);
    let mut magic = [0; 8];
    r.read_exact(&mut magic).ok()?;
    let v = env!("CARGO_PKG_VERSION").as_bytes();
    if &magic != MAGIC || u32_of(&mut r)? as usize != v.len() {
        return None;
    }
    let mut version = vec![0; v.len()];
    r.read_exact(&mut version).ok()?;
    let mut hash = [0; 16];
    r.read_exact(&mut hash).ok()?;
    if version != v {
        return None;
    }
    let text = u128::from_le_bytes(hash);
    let mut m = Manifest {
        version: u32_of(&mut r)?,
        ..Manifest::default()
    };
    let (mut files, mut notes) = (PathMap::default(), PathMap::default());
    // The counts at the end size the maps at once. A damaged file's are
    // bounded by its length and a cap (and what cannot be had is not
    // reserved); the whole file's checks still decide whether it is used.
    {
        let here = r.stream_position().ok()?;
        let len = r.seek(SeekFrom::End(0)).ok()?;
        let mut counts = [0; 16];
        if len >= here + 17
            && r.seek(SeekFrom::End(-16)).is_ok()
            && r.read_exact(&mut counts).is_ok()
        {
            // A record takes more than 16 bytes; beyond 4 million records
            // or 256 MiB of paths the maps grow as they are read.
            let bound = usize::try_from(len / 16).unwrap_or(0).min(1 << 22);
            let count = |b: &[u8]| {
                let n = u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
                usize::try_from(n).unwrap_or(0).min(bound)
            };
            // Paths take less than half of it (the files'), a quarter
            // (the notes'): what is not filled is not touched.
            let len = usize::try_from(len).unwrap_or(0).min(1 << 29);
            files.reserve(count(&counts[..8]), len / 2);
            notes.reserve(count(&counts[8..]), len / 4);
        }
        r.seek(SeekFrom::Start(here)).ok()?;
    }
    let mut buf = Vec::new();
    loop {
        let mut kind = [0; 1];
        r.read_exact(&mut kind).ok()?;
        if kind[0] == 0 {
            let mut counts = [0; 16];
            r.read_exact(&mut counts).ok()?;
            let whole = counts[..8] == (files.len() as u64).to_le_bytes()
                && counts[8..] == (notes.len() as u64).to_le_bytes();
            if !whole {
                return None;
            }
            break;
        }
        let len = u32_of(&mut r)?;
        if len > MAX_PIECE {
            return None;
        }
        buf.resize(len as usize, 0);
        r.read_exact(&mut buf).ok()?;
        let mut sum = [0; 8];
        r.read_exact(&mut sum).ok()?;
        if xxhash_rust::xxh3::xxh3_64(&buf) != u64::from_le_bytes(sum) {
            return None;
        }
        match kind[0] {
            1 => {
                let piece: Vec<(&str, FileBin)> = postcard::from_bytes(&buf).ok()?;
                for (k, b) in piece {
                    files.push(k, FileEntry::from(b));
                }
            }
            2 => {
                let piece: Vec<(&str, NoteBin)> = postcard::from_bytes(&buf).ok()?;
                for (k, b) in piece {
                    notes.push(k, NoteEntry::from(b));
                }
            }
            3 => {
                let rest: Rest = postcard::from_bytes(&buf).ok()?;
                m.annotations = rest.annotations;
                m.dirs = rest.dirs;
            }
            _ => return None,
        }
    }
    files.shrink_to_fit();
    notes.shrink_to_fit();
    m.files = files;
    m.notes = notes;
    Some((m, text))
}

fn u32_of(r: &mut impl Read) -> Option<u32> {
    let mut b = [0; 4];
    r.read_exact(&mut b).ok()?;
    Some(u32::from_le_bytes(b))
}
