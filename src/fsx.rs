//! Careful file access for files that others may have planted: templates
//! and plugins from a shared folder, and what sits where generated files
//! go. Only regular files are read, within a size cap; a path whose folders
//! include a symlink is refused rather than followed.

use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The largest template or plugin file read (1 MiB).
pub const SOURCE_CAP: u64 = 1 << 20;
/// The largest note read (16 MiB).
pub const NOTE_CAP: u64 = 16 << 20;
/// The largest generated file read back to compare hashes (16 MiB).
pub const OUTPUT_CAP: u64 = 16 << 20;
/// The largest manifest or journal read (1 GiB): they grow with the folder
/// (about 160 bytes per generated file; 100,000 notes make some 180,000
/// files and a 30 MB manifest).
pub const BOOKKEEPING_CAP: u64 = 1 << 30;

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: {why}", path.display()),
    )
}

/// Reads `path`, a file that must be a regular file inside folder `dir`
/// once every link is resolved (a symlink to `/etc/passwd` or to
/// `/proc/self/environ` is refused), and at most `cap` bytes long.
pub fn read_inside(dir: &Path, path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let real_dir = dir.canonicalize()?;
    let real = path.canonicalize()?;
    if !real.starts_with(&real_dir) {
        return Err(refused(
            path,
            &format!(
                "leads outside {} (to {}); refusing to read it",
                dir.display(),
                real.display()
            ),
        ));
    }
    read_regular(&real, cap)
}

/// Reads a regular file of at most `cap` bytes (not a device, FIFO,
/// socket or folder).
pub fn read_regular(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refused(path, "not a regular file; refusing to read it"));
    }
    #[cfg(unix)]
    if std::os::unix::fs::MetadataExt::nlink(&meta) > 1 && cap == SOURCE_CAP {
        // A hard link may be another name for a file outside the folder.
        return Err(refused(
            path,
            "has other hard links (it may be a file from elsewhere); copy it instead",
        ));
    }
    if meta.len() > cap {
        return Err(refused(
            path,
            &format!("larger than {} bytes; refusing to read it", cap),
        ));
    }
    let file = fs::File::open(path)?;
    // The file may have changed between the check and the open.
    if !file.metadata()?.is_file() {
        return Err(refused(path, "not a regular file; refusing to read it"));
    }
    let mut out = Vec::with_capacity(meta.len() as usize);
    file.take(cap + 1).read_to_end(&mut out)?;
    if out.len() as u64 > cap {
        return Err(refused(
            path,
            &format!("larger than {} bytes; refusing to read it", cap),
        ));
    }
    Ok(out)
}

/// What `lstat` tells of a file (a symlink is not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lstat {
    pub len: u64,
    /// Nanoseconds from 1970 (negative before it).
    pub mtime: i64,
    /// The inode's last change, in nanoseconds from 1970 (0 where the
    /// system has none).
    pub ctime: i64,
    pub inode: u64,
    pub is_file: bool,
    pub is_dir: bool,
}

/// Forgets the folder handles [`lstat`] and [`lstat_under`] keep (on every
/// thread, as each next looks): called when a pass over the folder starts,
/// so that a folder renamed or made again since the last pass (as `watch`
/// runs on) is looked up anew, never through the handle of the old one.
pub fn forget_folders() {
    #[cfg(target_os = "linux")]
    near::EPOCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// `lstat` of `path`.
pub fn lstat(path: &Path) -> Option<Lstat> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        // `file_name` passes over a trailing `/` or `/.`, which make a
        // path to a folder (an error for a file): the standard library
        // tells those.
        let bytes = path.as_os_str().as_bytes();
        let plain = !bytes.ends_with(b"/") && !bytes.ends_with(b"/.");
        if plain
            && let (Some(dir), Some(name)) = (path.parent(), path.file_name())
            && let Some(found) = near::lstat(dir.as_os_str().as_bytes(), b"", name.as_bytes())
        {
            return found;
        }
    }
    lstat_std(path)
}

/// `lstat` of `root/rel`, `rel` a relative path with `/` between its parts.
pub fn lstat_under(root: &Path, rel: &str) -> Option<Lstat> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let (sub, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if let Some(found) =
            near::lstat(root.as_os_str().as_bytes(), sub.as_bytes(), name.as_bytes())
        {
            return found;
        }
    }
    lstat_std(&root.join(rel))
}

/// Nanoseconds from 1970 (negative before), saturating: i64 reaches the
/// year 2262.
pub fn nanos(t: std::time::SystemTime) -> i64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// `stat` of `path`: a symlink is followed (as a walk follows the root).
pub fn stat(path: &Path) -> Option<Lstat> {
    of_metadata(&fs::metadata(path).ok()?)
}

fn lstat_std(path: &Path) -> Option<Lstat> {
    of_metadata(&fs::symlink_metadata(path).ok()?)
}

fn of_metadata(m: &fs::Metadata) -> Option<Lstat> {
    #[cfg(unix)]
    let (inode, ctime) = {
        use std::os::unix::fs::MetadataExt;
        (
            m.ino(),
            m.ctime()
                .saturating_mul(1_000_000_000)
                .saturating_add(m.ctime_nsec()),
        )
    };
    #[cfg(not(unix))]
    let (inode, ctime) = (0, 0);
    Some(Lstat {
        len: m.len(),
        mtime: nanos(m.modified().ok()?),
        ctime,
        inode,
        is_file: m.file_type().is_file(),
        is_dir: m.file_type().is_dir(),
    })
}

/// Files looked at from their folder's handle, kept open per thread while
/// the files asked for stay in it (notes and their outputs come in path
/// order): the kernel then walks one name, not the whole path. Every note
/// and generated file is looked at on every run (27,800 of them for
/// 10,000 notes); this makes each about a fifth cheaper. rustix, already
/// built for tempfile, gives `openat` and `statx` without `unsafe`.
#[cfg(target_os = "linux")]
mod near {
    use super::Lstat;
    use rustix::fs::{AtFlags, CWD, Mode, OFlags, StatxFlags};
    use std::cell::RefCell;
    use std::os::fd::OwnedFd;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// How many folders a thread keeps open: a note's own, and those of
    /// its summary and its letters, looked at in turn.
    const HELD: usize = 4;

    /// Bumped by [`super::forget_folders`].
    pub(super) static EPOCH: AtomicU64 = AtomicU64::new(0);

    /// A folder's path (its bytes) and its handle.
    type Held = (Vec<u8>, OwnedFd);

    thread_local! {
        /// The folders last looked in (their paths' bytes) and their
        /// handles, the latest first, as of an [`EPOCH`].
        static FOLDERS: RefCell<(u64, Vec<Held>)> = const { RefCell::new((0, Vec::new())) };
    }

    /// True when `held` is `a`, or `a/b` for a non-empty `b`.
    fn same(held: &[u8], a: &[u8], b: &[u8]) -> bool {
        if b.is_empty() {
            held == a
        } else {
            held.len() == a.len() + 1 + b.len()
                && held.starts_with(a)
                && held[a.len()] == b'/'
                && held.ends_with(b)
        }
    }

    /// `lstat` of `name` in the folder `a` (`a/b` when `b` is not empty):
    /// `Some(None)` when there is no such file, `None` when it could not be
    /// told this way (the caller asks the standard library).
    pub(super) fn lstat(a: &[u8], b: &[u8], name: &[u8]) -> Option<Option<Lstat>> {
        if name.is_empty() || name.contains(&b'/') || name == b"." || name == b".." {
            return None;
        }
        let missing = |e: rustix::io::Errno| {
            (e == rustix::io::Errno::NOENT || e == rustix::io::Errno::NOTDIR).then_some(None)
        };
        // The working folder, named as the handles' paths name it.
        let a = if a.is_empty() { &b"."[..] } else { a };
        FOLDERS.with(|cell| {
            let mut cell = cell.try_borrow_mut().ok()?;
            let (epoch, held) = &mut *cell;
            let now = EPOCH.load(Ordering::Relaxed);
            if *epoch != now {
                held.clear();
                *epoch = now;
            }
            match held.iter().position(|(p, _)| same(p, a, b)) {
                Some(0) => {}
                Some(i) => held[..=i].rotate_right(1),
                None => {
                    let mut path = a.to_vec();
                    if !b.is_empty() {
                        path.push(b'/');
                        path.extend_from_slice(b);
                    }
                    // O_PATH: a handle to look up from, that reads nothing
                    // (and needs no read permission on the folder).
                    let fd = match rustix::fs::openat(
                        CWD,
                        path.as_slice(),
                        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                        Mode::empty(),
                    ) {
                        Ok(fd) => fd,
                        Err(e) => return missing(e),
                    };
                    held.truncate(HELD - 1);
                    held.insert(0, (path, fd));
                }
            }
            let (_, fd) = held.first()?;
            let st = match rustix::fs::statx(
                fd,
                name,
                AtFlags::SYMLINK_NOFOLLOW,
                StatxFlags::TYPE
                    | StatxFlags::SIZE
                    | StatxFlags::MTIME
                    | StatxFlags::CTIME
                    | StatxFlags::INO,
            ) {
                Ok(st) => st,
                Err(e) => return missing(e),
            };
            let ns = |t: rustix::fs::StatxTimestamp| {
                t.tv_sec
                    .saturating_mul(1_000_000_000)
                    .saturating_add(i64::from(t.tv_nsec))
            };
            Some(Some(Lstat {
                len: st.stx_size,
                mtime: ns(st.stx_mtime),
                ctime: ns(st.stx_ctime),
                inode: st.stx_ino,
                is_file: u32::from(st.stx_mode) & 0o170000 == 0o100000,
                is_dir: u32::from(st.stx_mode) & 0o170000 == 0o040000,
            }))
        })
    }
}

/// What stands at a path, without following a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    File,
    Dir,
    /// A symlink, device, FIFO or socket.
    Other,
}

pub fn kind(path: &Path) -> io::Result<Kind> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(Kind::File),
        Ok(m) if m.file_type().is_dir() => Ok(Kind::Dir),
        Ok(_) => Ok(Kind::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Kind::Missing),
        Err(e) => Err(e),
    }
}

/// Reads a file notes-vet wrote, if it is there: `None` when missing; an
/// error when something else than a regular file stands there (a symlink,
/// a FIFO, `/dev/zero`) or it is larger than [`OUTPUT_CAP`].
pub fn read_output(path: &Path) -> io::Result<Option<Vec<u8>>> {
    read_output_capped(path, OUTPUT_CAP)
}

/// [`read_output`] with another size cap: notes-vet's own bookkeeping
/// (the manifest, the journal) grows with the folder.
pub fn read_output_capped(path: &Path, cap: u64) -> io::Result<Option<Vec<u8>>> {
    match kind(path)? {
        Kind::Missing => Ok(None),
        Kind::File => read_regular(path, cap).map(Some),
        Kind::Dir | Kind::Other => Err(refused(
            path,
            "not a regular file (a symlink, a folder or a device); left alone",
        )),
    }
}

/// Opens an output for reading in pieces (one too large to read whole, as
/// the dashboard or the manifest of a big folder): `None` when missing; an
/// error for anything but a regular file (never followed, never a FIFO
/// opened) or one larger than `cap`.
pub fn open_output(path: &Path, cap: u64) -> io::Result<Option<fs::File>> {
    match kind(path)? {
        Kind::Missing => Ok(None),
        Kind::File => {
            let file = fs::File::open(path)?;
            let meta = file.metadata()?;
            // The file may have changed between the check and the open.
            if !meta.is_file() {
                return Err(refused(path, "not a regular file; refusing to read it"));
            }
            if meta.len() > cap {
                return Err(refused(
                    path,
                    &format!("larger than {cap} bytes; refusing to read it"),
                ));
            }
            Ok(Some(file))
        }
        Kind::Dir | Kind::Other => Err(refused(
            path,
            "not a regular file (a symlink, a folder or a device); left alone",
        )),
    }
}

/// Opens a file of notes-vet's own bookkeeping (the lock, the journal) in
/// the output folder without ever following a symlink planted there: a
/// symlink (or anything but a regular file) at `path` is removed first
/// (removing a link never touches its target), and the open itself refuses
/// to follow one (`O_NOFOLLOW`) should it appear in between.
pub fn open_own(path: &Path, options: &mut fs::OpenOptions) -> io::Result<fs::File> {
    match kind(path)? {
        Kind::Missing | Kind::File => {}
        Kind::Other => fs::remove_file(path)?,
        Kind::Dir => {
            return Err(refused(
                path,
                "is a folder where notes-vet keeps a file of its own",
            ));
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(refused(path, "not a regular file"));
    }
    Ok(file)
}

/// `path` with `.` and `..` resolved by name, without touching the disk.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Checks that `folder` is inside `root` and that every existing folder
/// from `root` down to it is a real folder, not a symlink. Returns the
/// first folder below `root` that is missing (to be created), if any.
pub fn check_real_folder(root: &Path, folder: &Path) -> io::Result<()> {
    let root_abs = lexical(root);
    let folder_abs = lexical(folder);
    let Ok(below) = folder_abs.strip_prefix(&root_abs) else {
        return Err(refused(
            folder,
            &format!(
                "is outside {}; it must be inside the notes folder (the folder of notes-vet.toml)",
                root.display()
            ),
        ));
    };
    let mut at = root_abs.clone();
    for c in below.components() {
        at.push(c.as_os_str());
        match kind(&at)? {
            Kind::Missing => return Ok(()),
            Kind::Dir => {}
            Kind::File | Kind::Other => {
                return Err(refused(
                    &at,
                    "is a symlink or not a folder; notes-vet never writes through it (replace it with a real folder)",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files looked at from their folders' handles are told as the
    /// standard library tells them, whatever the order (more folders than
    /// are held, in turn), for files, folders, links and missing names.
    #[test]
    fn lstat_from_folders_agrees_with_the_standard_library() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut rels = vec!["top.md".to_string(), "nowhere/x.md".to_string()];
        for f in 0..7 {
            fs::create_dir_all(root.join(format!("f{f}/deeper"))).unwrap();
            for n in 0..3 {
                let rel = format!("f{f}/n{n}.md");
                fs::write(root.join(&rel), "x".repeat(f * 10 + n)).unwrap();
                rels.push(rel);
            }
            rels.push(format!("f{f}/deeper"));
            rels.push(format!("f{f}/deeper/none.md"));
            rels.push(format!("f{f}/missing.md"));
        }
        fs::write(root.join("top.md"), "top").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("top.md"), root.join("f1/link.md")).unwrap();
            rels.push("f1/link.md".to_string());
        }
        // Round and round, then back and forth: every folder is dropped
        // from the held ones and opened again.
        let mut order: Vec<&String> = rels.iter().chain(rels.iter().rev()).collect();
        order.extend(rels.iter().step_by(3));
        for rel in order {
            let path = root.join(rel);
            let want = lstat_std(&path);
            assert_eq!(lstat(&path), want, "{rel}");
            assert_eq!(lstat_under(root, rel), want, "{rel}");
        }
        assert!(lstat(&root.join("f1/missing.md")).is_none());
        assert!(lstat(&root.join("f2/n1.md")).is_some_and(|m| m.is_file && m.len == 21));
        assert!(lstat(&root.join("f2/deeper")).is_some_and(|m| !m.is_file && m.is_dir));
        #[cfg(unix)]
        assert!(lstat(&root.join("f1/link.md")).is_some_and(|m| !m.is_file && !m.is_dir));
        // A path of one name looks in the working folder, as does a
        // relative path under an empty root.
        assert_eq!(
            lstat(Path::new("Cargo.toml")),
            lstat_std(Path::new("Cargo.toml"))
        );
        let lib = lstat_under(Path::new(""), "src/lib.rs");
        assert!(lib.is_some());
        assert_eq!(lib, lstat_std(Path::new("src/lib.rs")));
        // A file named as a folder is not found, as the standard library
        // says.
        for odd in ["/", "/."] {
            let path = PathBuf::from(format!("{}{odd}", root.join("f2/n1.md").display()));
            assert_eq!(lstat(&path), lstat_std(&path), "{odd}");
            assert!(lstat(&path).is_none(), "{odd}");
        }
    }

    /// A folder renamed away and made again under its name is looked up
    /// afresh once a pass starts: not through the handle of the old one.
    #[test]
    fn a_folder_made_again_is_looked_up_afresh_by_the_next_pass() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("clients");
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("a.md"), "old").unwrap();
        let before = lstat(&folder.join("a.md")).unwrap();
        assert_eq!(before.len, 3);
        fs::rename(&folder, dir.path().join("moved")).unwrap();
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("a.md"), "new text").unwrap();
        forget_folders();
        let after = lstat(&folder.join("a.md")).unwrap();
        assert_eq!(after, lstat_std(&folder.join("a.md")).unwrap());
        assert_eq!(after.len, 8);
        assert_ne!(after.inode, before.inode);
        assert_eq!(lstat_under(dir.path(), "clients/a.md"), Some(after));
    }

    #[test]
    fn links_leading_outside_and_odd_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("t");
        fs::create_dir(&inside).unwrap();
        fs::write(inside.join("ok.md"), "fine").unwrap();
        assert_eq!(
            read_inside(&inside, &inside.join("ok.md"), 100).unwrap(),
            b"fine"
        );
        fs::write(dir.path().join("secret"), "s3cret").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret"), inside.join("evil.md")).unwrap();
            let e = read_inside(&inside, &inside.join("evil.md"), 100).unwrap_err();
            assert!(e.to_string().contains("leads outside"), "{e}");
            std::os::unix::fs::symlink("/dev/zero", inside.join("zero.md")).unwrap();
            assert!(read_inside(&inside, &inside.join("zero.md"), 100).is_err());
            assert!(read_output(&inside.join("zero.md")).is_err());
        }
        fs::write(inside.join("big.md"), vec![b'x'; 200]).unwrap();
        assert!(read_inside(&inside, &inside.join("big.md"), 100).is_err());
    }

    #[test]
    fn an_output_folder_through_a_symlink_or_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("notes");
        fs::create_dir(&root).unwrap();
        assert!(check_real_folder(&root, &root.join("_vetted")).is_ok());
        assert!(check_real_folder(&root, &root.join("../elsewhere")).is_err());
        assert!(check_real_folder(&root, Path::new("/tmp/x")).is_err());
        #[cfg(unix)]
        {
            let victim = dir.path().join("victim");
            fs::create_dir(&victim).unwrap();
            std::os::unix::fs::symlink(&victim, root.join("_vetted")).unwrap();
            let e = check_real_folder(&root, &root.join("_vetted/summaries")).unwrap_err();
            assert!(e.to_string().contains("symlink"), "{e}");
        }
    }
}
