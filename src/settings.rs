//! The settings a long-running command vets with: `notes-vet.toml`, the
//! rules (built-in and Lua) with their options, and the words, loaded in
//! one place. `watch` and `lsp` reload through here when a setting file
//! changes, and keep the last good settings when the new ones fail.

use crate::config::Config;
use crate::i18n::{Catalog, Lang};
use crate::render::Renderer;
use crate::rules::{Registry, Ruleset};
use std::path::{Path, PathBuf};

/// The config and the rules in force.
pub struct Settings {
    pub config: Config,
    pub ruleset: Ruleset,
}

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadRequest<'a> {
    /// The notes folder (the config is looked for from here).
    pub root: &'a Path,
    /// `--config`: this file instead of the discovered one.
    pub config: Option<&'a Path>,
    /// `--lang`: the language of everything shown, over the config's.
    pub lang: Option<Lang>,
    /// The locale's language, when neither `--lang` nor the config says.
    pub locale: Lang,
    /// `--select` / `--ignore`.
    pub select: &'a [String],
    pub ignore: &'a [String],
    /// Also load the templates, so that a broken one is refused here.
    pub templates: bool,
}

/// A settings problem: the file, where in it, and what.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", self.at())]
pub struct LoadError {
    pub message: String,
    pub path: Option<PathBuf>,
    /// 1-based line and column in `path`, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl LoadError {
    /// `file:line:column: ` (as much as is known), or nothing.
    fn at(&self) -> String {
        let Some(path) = &self.path else {
            return String::new();
        };
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: ", path.display()),
            (Some(l), None) => format!("{}:{l}: ", path.display()),
            _ => format!("{}: ", path.display()),
        }
    }

    fn plain(message: String) -> LoadError {
        LoadError {
            message,
            path: None,
            line: None,
            column: None,
        }
    }
}

/// Loads the config, plugins and rules (and templates when asked).
pub fn load(req: &LoadRequest<'_>) -> Result<Settings, LoadError> {
    if let Some(c) = req.config
        && !c.is_file()
    {
        let words = Catalog::builtin(req.lang.unwrap_or(req.locale));
        return Err(LoadError::plain(words.msg(&crate::msg!(
            "config-no-file",
            path = c.display().to_string()
        ))));
    }
    // Said in the language the file asks for when it could be read.
    let config_error = |e: crate::config::ConfigError| LoadError {
        line: e.pos.map(|(line, _)| line),
        column: e.pos.map(|(_, column)| column),
        message: Catalog::builtin(req.lang.or(e.lang).unwrap_or(req.locale)).msg(&e.message),
        path: Some(e.path),
    };
    let mut config = Config::load(req.root, req.config).map_err(config_error)?;
    config
        .localize(req.lang, req.locale)
        .map_err(config_error)?;
    let registry = Registry::for_config(&config).map_err(|e| LoadError {
        message: config.catalog.msg(&e.message),
        path: Some(e.path),
        line: e.line.map(|l| l as u32),
        column: None,
    })?;
    // In the config's own words (its catalog overrides included).
    let mut ruleset = Ruleset::new(registry, &config).map_err(|e| LoadError {
        message: config.catalog.msg(&e.message),
        line: e.pos.map(|(line, _)| line),
        column: e.pos.map(|(_, column)| column),
        path: Some(e.path),
    })?;
    ruleset
        .restrict(req.select, req.ignore)
        .map_err(|m| LoadError::plain(config.catalog.msg(&m)))?;
    if req.templates {
        // A broken template must not replace the last good set either.
        Renderer::new(&config.catalog, config.templates_dir.as_deref())
            .map_err(|e| LoadError::plain(format!("template {e}")))?;
    }
    Ok(Settings { config, ruleset })
}
