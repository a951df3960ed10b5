//! One writer per output folder. `check`, `watch` and `clean` hold an
//! exclusive lock on `.notes-vet-lock` in the output folder while they
//! write; the file names the holder (`pid command`) for the message a
//! second writer gets.
//!
//! The file is removed when the lock is released.
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix,
//! `LockFileEx` on Windows, through std's `File::try_lock`): the kernel
//! drops it when its process dies, so a lock left by a killed process is
//! simply taken over, and a pid that was reused by another program can
//! never keep the folder locked.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name in the output folder (hidden from Obsidian and
/// from the note scan).
pub const LOCK_FILE: &str = ".notes-vet-lock";

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    path: PathBuf,
}

/// Why the lock could not be taken ([`LockError::message`] names the
/// folder for the user).
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another notes-vet is already writing this folder")]
    /// Another live process holds it: what its lock file says (`pid
    /// command`), when it could be read.
    Held { holder: Option<(u32, String)> },
    #[error(transparent)]
    Io(io::Error),
}

impl FolderLock {
    /// Takes the lock on `output` (created if missing) for `command`
    /// (`check`, `watch`, `clean`), without waiting.
    pub fn acquire(output: &Path, command: &str) -> Result<FolderLock, LockError> {
        fs::create_dir_all(output).map_err(LockError::Io)?;
        if crate::fsx::kind(output).map_err(LockError::Io)? != crate::fsx::Kind::Dir {
            return Err(LockError::Io(io::Error::other(format!(
                "{} is not a real folder (a symlink?); refusing to write there",
                output.display()
            ))));
        }
        let path = output.join(LOCK_FILE);
        // The holder may remove the file (`clean`) between our open and our
        // lock: then we hold a lock on a file nobody else can see. Retry
        // until the file we locked is the one at the path.
        for _ in 0..16 {
            let mut file = crate::fsx::open_own(
                &path,
                OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false),
            )
            .map_err(LockError::Io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(LockError::Held {
                        holder: parse_holder(&text),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            let line = format!("{} {command}\n", std::process::id());
            file.set_len(0).map_err(LockError::Io)?;
            file.rewind().map_err(LockError::Io)?;
            file.write_all(line.as_bytes()).map_err(LockError::Io)?;
            return Ok(FolderLock { file, path });
        }
        Err(LockError::Io(io::Error::other(
            "the lock file keeps being replaced",
        )))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True while the lock file at the path is still the one held (it goes
    /// when the output folder is deleted).
    pub fn is_current(&self) -> bool {
        same_file(&self.file, &self.path)
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock, so no stale pid is
        // shown and the folder is left as it was; a process waiting on the
        // old file sees that it is gone and retries.
        if self.is_current() {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

fn parse_holder(text: &str) -> Option<(u32, String)> {
    let (pid, command) = text.trim().split_once(' ')?;
    Some((pid.parse().ok()?, command.to_string()))
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl LockError {
    /// The message for the user: who holds `output`.
    pub fn message(&self, output: &str, words: &crate::i18n::Catalog) -> String {
        use crate::msg;
        words.msg(&match self {
            LockError::Held {
                holder: Some((pid, command)),
            } => msg!(
                "lock-held-by",
                command = command.as_str(),
                pid = pid.to_string(),
                output = output
            ),
            LockError::Held { holder: None } => msg!("lock-held", output = output),
            LockError::Io(e) => msg!("lock-io", output = output, error = e.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_and_named_then_takes_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), "watch").unwrap();
        match FolderLock::acquire(dir.path(), "check") {
            Err(LockError::Held {
                holder: Some((pid, cmd)),
            }) => {
                assert_eq!(pid, std::process::id());
                assert_eq!(cmd, "watch");
            }
            other => panic!("expected the lock to be held, got {other:?}"),
        }
        drop(first);
        let second = FolderLock::acquire(dir.path(), "check").unwrap();
        assert!(second.is_current());
        let text = fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text, format!("{} check\n", std::process::id()));
    }

    #[test]
    fn a_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(LOCK_FILE), "999999 watch\n").unwrap();
        let lock = FolderLock::acquire(dir.path(), "clean").unwrap();
        assert!(lock.is_current());
    }
}
