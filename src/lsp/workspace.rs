//! The settings of every notes root with an open note. A note's root is
//! found as `check` finds it: the folder of the nearest `notes-vet.toml`
//! above the note, else the workspace folder holding it, else the note's
//! own folder. A root's settings are loaded on first use and reloaded when
//! a setting file changes; when a reload fails, the last good settings
//! stay in force and the error is kept to be shown on its file.

use crate::config::Config;
use crate::i18n::Lang;
use crate::settings::{LoadError, LoadRequest, Settings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What every root is loaded with (the command line's flags).
#[derive(Debug, Clone, Default)]
pub struct LoadFlags {
    pub config: Option<PathBuf>,
    pub lang: Option<Lang>,
    pub locale: Lang,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// One root's settings.
#[derive(Default)]
struct Root {
    good: Option<Rc<Settings>>,
    error: Option<LoadError>,
}

/// The workspace folders and the roots in use.
#[derive(Default)]
pub struct Workspace {
    pub folders: Vec<PathBuf>,
    flags: LoadFlags,
    roots: HashMap<PathBuf, Root>,
}

impl Workspace {
    pub fn new(folders: Vec<PathBuf>, flags: LoadFlags) -> Workspace {
        Workspace {
            folders,
            flags,
            roots: HashMap::new(),
        }
    }

    /// The notes root of a note at `path` (or of a document with no file,
    /// `None`: the first workspace folder, else the current folder).
    ///
    /// In a workspace folder, the root `check` would use on that folder
    /// when it has a `notes-vet.toml` (there or above); else the outermost
    /// folder below it with one on the way to the note (an Obsidian vault
    /// open whole, with `Clients/notes-vet.toml`); else the workspace
    /// folder. Outside any workspace folder, the nearest `notes-vet.toml`
    /// above the note, as `check FILE` finds it.
    pub fn root_of(&self, path: Option<&Path>) -> PathBuf {
        let Some(path) = path else {
            return self
                .folders
                .first()
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
        };
        let dir = path.parent().unwrap_or(path);
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        if self.flags.config.is_some() {
            return self.folder_of(&dir).unwrap_or(dir);
        }
        if let Some(folder) = self.folder_of(&dir) {
            if let Some(found) = Config::discover(&folder) {
                return found.parent().map_or(folder, Path::to_path_buf);
            }
            let below = dir
                .ancestors()
                .take_while(|d| d.starts_with(&folder) && *d != folder)
                .filter(|d| d.join(crate::config::FILE_NAME).is_file())
                .last();
            return below.map_or(folder, Path::to_path_buf);
        }
        match Config::discover(&dir).as_deref().and_then(Path::parent) {
            Some(p) => p.to_path_buf(),
            None => dir,
        }
    }

    /// The innermost workspace folder holding `dir`.
    fn folder_of(&self, dir: &Path) -> Option<PathBuf> {
        self.folders
            .iter()
            .filter(|f| dir.starts_with(f))
            .max_by_key(|f| f.as_os_str().len())
            .cloned()
    }

    /// The settings in force for `root`, loading them on first use.
    pub fn settings(&mut self, root: &Path) -> Option<Rc<Settings>> {
        if !self.roots.contains_key(root) {
            let r = self.load(root);
            self.roots.insert(root.to_path_buf(), r);
        }
        self.roots.get(root).and_then(|r| r.good.clone())
    }

    fn load(&self, root: &Path) -> Root {
        match crate::settings::load(&LoadRequest {
            root,
            config: self.flags.config.as_deref(),
            lang: self.flags.lang,
            locale: self.flags.locale,
            select: &self.flags.select,
            ignore: &self.flags.ignore,
            templates: false,
        }) {
            Ok(s) => Root {
                good: Some(Rc::new(s)),
                error: None,
            },
            Err(e) => Root {
                good: None,
                error: Some(e),
            },
        }
    }

    /// Reloads every root in use; a root that fails keeps its last good
    /// settings.
    pub fn reload(&mut self) {
        let roots: Vec<PathBuf> = self.roots.keys().cloned().collect();
        for root in roots {
            let fresh = self.load(&root);
            if let Some(r) = self.roots.get_mut(&root) {
                if fresh.good.is_some() {
                    *r = fresh;
                } else {
                    r.error = fresh.error;
                }
            }
        }
    }

    /// Why `root` has no settings, when it has none.
    pub fn error_of(&self, root: &Path) -> Option<&LoadError> {
        self.roots
            .get(root)
            .filter(|r| r.good.is_none())
            .and_then(|r| r.error.as_ref())
    }

    /// The settings problems of every root in use.
    pub fn errors(&self) -> Vec<&LoadError> {
        self.roots
            .values()
            .filter_map(|r| r.error.as_ref())
            .collect()
    }

    /// Forgets the roots `keep` says no.
    pub fn retain(&mut self, keep: impl Fn(&Path) -> bool) {
        self.roots.retain(|root, _| keep(root));
    }

    /// True when a root in use reads plugins or catalogs from a folder
    /// holding `path`.
    pub fn reads_from(&self, path: &Path) -> bool {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.roots
            .values()
            .filter_map(|r| r.good.as_ref())
            .any(|s| {
                s.config
                    .plugin_dirs
                    .iter()
                    .chain(s.config.templates_dir.iter())
                    .any(|d| {
                        let d = crate::publish::absolute(d);
                        path.starts_with(d.canonicalize().unwrap_or(d))
                    })
            })
            || self.roots.values().any(|r| r.good.is_none())
    }

    /// The words to speak in when no root is loaded yet.
    pub fn lang(&self) -> Lang {
        self.flags.lang.unwrap_or(self.flags.locale)
    }
}
