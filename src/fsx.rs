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
