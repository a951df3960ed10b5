//! Where `watch` hears about changes: the `notify` crate (inotify on Linux,
//! or its polling watcher), a filter that drops everything that is not a
//! note, a notes folder, the config, a plugin or a template before any work
//! is done, and a quiet-window batcher.
//!
//! Why not `notify-debouncer-full`: it debounces per path and hands out
//! each path once that path has been quiet for the timeout, so a `git
//! checkout` of 1,000 notes written over 300 ms arrives as several batches
//! (several dashboard writes), and it debounces before our filter, so our
//! own writes in the output folder would keep resetting its timers. Rename
//! tracking, its other feature, we do not need: every touched path is
//! looked at again (`stat`) when its batch is processed. So we debounce
//! ourselves, after filtering, on the whole folder: a batch is processed
//! once no relevant event came for the debounce time (or after
//! [`MAX_BATCH_WAIT`] of continuous events).

use crate::config::{Config, FILE_NAME};
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// The longest a batch waits for the events to stop.
pub const MAX_BATCH_WAIT: Duration = Duration::from_secs(2);

/// What reaches the watch loop.
#[derive(Debug)]
pub enum Msg {
    Fs(notify::Result<notify::Event>),
    /// Ctrl-C or SIGTERM.
    Stop,
}

/// What a changed path means.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Touched {
    /// A markdown file below the notes folder (relative path).
    Note(String),
    /// Something else below the notes folder that may be a folder (or was
    /// one): the notes below it are looked at again.
    Folder(String),
    /// The notes folder itself.
    Root,
    /// The config file, a plugin or a template.
    Settings(PathBuf),
    /// A generated file went away (relative to the output folder): it is
    /// written again.
    Output(String),
    Ignored,
}

/// True for an event that only says a file or folder was opened, read or
/// closed without writing: inotify reports our own reads (and every
/// program's) that way, and reacting to them would loop.
pub fn is_read_only(event: &notify::Event) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode};
    matches!(
        event.kind,
        EventKind::Access(
            AccessKind::Open(_)
                | AccessKind::Read
                | AccessKind::Any
                | AccessKind::Other
                | AccessKind::Close(
                    AccessMode::Read | AccessMode::Execute | AccessMode::Any | AccessMode::Other
                )
        )
    ) && !event.need_rescan()
}

/// True for an event that may mean a path is gone (removed, or renamed
/// away): the only events about generated files that matter.
pub fn is_removal(event: &notify::Event) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    matches!(
        event.kind,
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
    )
}

/// Editors' swap, backup and temporary files: never notes, never folders.
pub fn is_editor_temp(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || name.ends_with(".tmp")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
        || name.ends_with(".crswap")
}

/// Decides what a path from an event means. Built from the config in
/// force; paths are compared in absolute, canonical form.
#[derive(Debug, Clone)]
pub struct Filter {
    root: PathBuf,
    output: PathBuf,
    exclude: globset::GlobSet,
    config_file: Option<PathBuf>,
    /// Plugin folders and the templates folder.
    settings_dirs: Vec<PathBuf>,
}

impl Filter {
    pub fn new(root: &Path, config: &Config) -> Filter {
        let abs = crate::publish::absolute;
        let mut settings_dirs: Vec<PathBuf> = config.plugin_dirs.iter().map(|d| abs(d)).collect();
        if let Some(t) = &config.templates_dir {
            settings_dirs.push(abs(t));
        }
        Filter {
            root: abs(root),
            output: abs(&config.output_dir),
            exclude: config.exclude.clone(),
            config_file: config.file.as_deref().map(abs),
            settings_dirs,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// What `path` (from an event) means.
    pub fn classify(&self, path: &Path) -> Touched {
        if self.config_file.as_deref() == Some(path)
            || (path.parent() == Some(&self.root)
                && path.file_name().is_some_and(|n| n == FILE_NAME))
        {
            return Touched::Settings(path.to_path_buf());
        }
        if self.settings_dirs.iter().any(|d| path.starts_with(d)) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            if !name.starts_with('.') && !is_editor_temp(&name) {
                return Touched::Settings(path.to_path_buf());
            }
            return Touched::Ignored;
        }
        if path == self.root {
            return Touched::Root;
        }
        if let Ok(rel) = path.strip_prefix(&self.output) {
            return Touched::Output(crate::scan::relative(Path::new(""), rel));
        }
        let Ok(below) = path.strip_prefix(&self.root) else {
            return Touched::Ignored;
        };
        let parts: Vec<String> = below
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.iter().any(|p| p.starts_with('.')) {
            return Touched::Ignored;
        }
        let Some(name) = parts.last() else {
            return Touched::Ignored;
        };
        if is_editor_temp(name) || name.starts_with(crate::write::TEMP_PREFIX) {
            return Touched::Ignored;
        }
        // A folder on the way that `exclude` names is skipped, as the scan does.
        for i in 1..parts.len() {
            if self.exclude.is_match(parts[..i].join("/")) {
                return Touched::Ignored;
            }
        }
        let rel = parts.join("/");
        if self.exclude.is_match(&rel) {
            return Touched::Ignored;
        }
        if crate::scan::is_note_name(name) {
            Touched::Note(rel)
        } else {
            Touched::Folder(rel)
        }
    }

    /// The paths to watch: the notes folder, recursively, and the config
    /// file's folder, plugin and template folders outside it.
    pub fn watch_list(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut list = vec![(self.root.clone(), RecursiveMode::Recursive)];
        if let Some(parent) = self.config_file.as_deref().and_then(Path::parent)
            && !parent.starts_with(&self.root)
        {
            list.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
        }
        for d in &self.settings_dirs {
            if !d.starts_with(&self.root) && d.is_dir() {
                list.push((d.clone(), RecursiveMode::Recursive));
            }
        }
        list
    }
}

/// A running watcher.
pub struct Source {
    _watcher: Box<dyn Watcher + Send>,
    /// Polling interval, when polling.
    pub polling: Option<Duration>,
    list: Vec<(PathBuf, RecursiveMode)>,
}

impl Source {
    /// What it watches.
    pub fn list(&self) -> &[(PathBuf, RecursiveMode)] {
        &self.list
    }
}

/// The default interval of `--poll` and of the fallback.
pub const DEFAULT_POLL: Duration = Duration::from_millis(1000);

/// Starts watching `list`: with inotify (or the platform's watcher), or by
/// polling every `poll`. When the kernel's watch limit is reached, falls
/// back to polling; the second value then says so, with the limit and how
/// to raise it.
pub fn start(
    list: Vec<(PathBuf, RecursiveMode)>,
    tx: Sender<Msg>,
    poll: Option<Duration>,
) -> Result<(Source, Option<crate::i18n::Msg>), notify::Error> {
    if let Some(every) = poll {
        return Ok((polling(list, tx, every)?, None));
    }
    let sender = tx.clone();
    let native = notify::recommended_watcher(move |e| {
        let _ = sender.send(Msg::Fs(e));
    });
    let result = native.and_then(|mut w| {
        for (path, mode) in &list {
            w.watch(path, *mode)?;
        }
        Ok(w)
    });
    match result {
        Ok(w) => Ok((
            Source {
                _watcher: Box::new(w),
                polling: None,
                list,
            },
            None,
        )),
        Err(e) => {
            let why = match e.kind {
                notify::ErrorKind::MaxFilesWatch => {
                    let limit = std::fs::read_to_string("/proc/sys/fs/inotify/max_user_watches")
                        .map(|s| s.trim().to_string())
                        .unwrap_or_else(|_| "?".into());
                    crate::msg!("watch-inotify-limit", limit = limit)
                }
                _ => crate::msg!("watch-cannot-watch", error = e.to_string()),
            };
            let source = polling(list, tx, DEFAULT_POLL)?;
            Ok((
                source,
                Some(crate::msg!(
                    "watch-polling-instead",
                    why = why,
                    ms = DEFAULT_POLL.as_millis().to_string()
                )),
            ))
        }
    }
}

fn polling(
    list: Vec<(PathBuf, RecursiveMode)>,
    tx: Sender<Msg>,
    every: Duration,
) -> Result<Source, notify::Error> {
    let config = notify::Config::default()
        .with_poll_interval(every)
        // notify compares modification times in whole seconds: a save
        // within the same second would be missed without the contents.
        .with_compare_contents(true);
    let mut w = notify::PollWatcher::new(
        move |e| {
            let _ = tx.send(Msg::Fs(e));
        },
        config,
    )?;
    for (path, mode) in &list {
        w.watch(path, *mode).map_err(|e| e.add_path(path.clone()))?;
    }
    Ok(Source {
        _watcher: Box::new(w),
        polling: Some(every),
        list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(toml: &str) -> (tempfile::TempDir, Filter) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("plugins")).unwrap();
        let config = Config::from_toml(&root, &root.join(FILE_NAME), toml).unwrap();
        let f = Filter::new(&root, &config);
        (dir, f)
    }

    #[test]
    fn opens_and_reads_are_not_changes() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
        let ev = |kind| notify::Event::new(kind).add_path(PathBuf::from("/n/a.md"));
        assert!(is_read_only(&ev(EventKind::Access(AccessKind::Open(
            AccessMode::Any
        )))));
        assert!(is_read_only(&ev(EventKind::Access(AccessKind::Close(
            AccessMode::Read
        )))));
        assert!(!is_read_only(&ev(EventKind::Access(AccessKind::Close(
            AccessMode::Write
        )))));
        assert!(!is_read_only(&ev(EventKind::Modify(ModifyKind::Any))));
        assert!(!is_read_only(&ev(EventKind::Create(CreateKind::File))));
    }

    #[test]
    fn only_notes_folders_and_settings_get_through() {
        let (_d, f) =
            filter("exclude = [\"drafts/**\", \"Templates\"]\n[plugins]\ndirs = [\"plugins\"]\n");
        let r = f.root().to_path_buf();
        assert_eq!(
            f.classify(&r.join("clients/acme.md")),
            Touched::Note("clients/acme.md".into())
        );
        assert_eq!(
            f.classify(&r.join("clients")),
            Touched::Folder("clients".into())
        );
        assert_eq!(f.classify(&r), Touched::Root);
        assert_eq!(
            f.classify(&r.join("_vetted/summaries/a.md")),
            Touched::Output("summaries/a.md".into())
        );
        for ignored in [
            ".obsidian/workspace.json",
            "clients/.acme.md.swp",
            "clients/acme.md~",
            "clients/.#acme.md",
            "clients/4913",
            "clients/acme.md.tmp",
            "clients/acme.md___jb_tmp___",
            "clients/.notes-vet-tmp-abc",
            "drafts/idea.md",
            "Templates/client.md",
        ] {
            assert_eq!(f.classify(&r.join(ignored)), Touched::Ignored, "{ignored}");
        }
        for settings in ["notes-vet.toml", "plugins/rule.lua"] {
            assert!(
                matches!(f.classify(&r.join(settings)), Touched::Settings(_)),
                "{settings}"
            );
        }
        assert_eq!(
            f.classify(&r.join("plugins/.rule.lua.swp")),
            Touched::Ignored
        );
    }
}
