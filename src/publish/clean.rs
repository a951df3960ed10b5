//! `clean`: remove every generated file and annotation block the user has
//! not edited.

use super::{absolute, shown_in};
use crate::annotate;
use crate::config::Config;
use crate::engine::Kept;
use crate::write::{self, Writer};
use std::path::Path;

/// Why `clean` stopped.
#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    #[error(transparent)]
    Output(#[from] super::OutputError),
    #[error("{}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// What `clean` did (or, in a dry run, would do).
#[derive(Debug, Default, serde::Serialize)]
pub struct CleanReport {
    /// Generated files removed, as shown to the user.
    pub removed: Vec<String>,
    /// Notes whose annotation block was removed.
    pub blocks: Vec<String>,
    pub kept: Vec<Kept>,
}

/// Removes every generated file the user has not edited, and the
/// annotation blocks of the notes (unless edited since notes-vet wrote
/// them). With `dry_run`, changes nothing and says what it would do.
pub fn clean(config: &Config, notes_dir: &Path, dry_run: bool) -> Result<CleanReport, CleanError> {
    let mut report = CleanReport::default();
    let output = super::output_folder(config, notes_dir)?;
    let notes_abs = absolute(notes_dir);
    let writer = if output.is_dir() {
        // Never making the manifest's binary copy that goes below.
        Some(
            Writer::open_with(&output, false).map_err(|source| CleanError::Io {
                path: output.clone(),
                source,
            })?,
        )
    } else {
        None
    };
    let words = &config.catalog;
    for note in crate::scan::scan(notes_dir, config).notes.iter() {
        let text = match std::fs::read_to_string(&note.path) {
            Ok(t) => t,
            Err(e) => {
                report.kept.push(Kept {
                    path: note.rel.clone(),
                    reason: words.msg(&crate::msg!("clean-unreadable", error = e.to_string())),
                    draft: None,
                });
                continue;
            }
        };
        let body_offset = match crate::frontmatter::split::split(&text) {
            Ok(Some(s)) => s.body_offset,
            Ok(None) => crate::frontmatter::split::bom_len(&text),
            Err(_) => continue,
        };
        let range = match annotate::find_block(&text, body_offset) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(annotate::Refusal(why)) => {
                report.kept.push(Kept {
                    path: note.rel.clone(),
                    reason: words.msg(&crate::msg!("clean-block-left", why = why)),
                    draft: None,
                });
                continue;
            }
        };
        let inner = annotate::inner(&text, &range);
        let owner = writer.as_ref().map_or(write::BlockOwner::Unknown, |w| {
            w.block_owner(&note.rel, &inner)
        });
        if owner != write::BlockOwner::Ours {
            report.kept.push(Kept {
                path: note.rel.clone(),
                reason: words.get("clean-block-edited"),
                draft: None,
            });
            continue;
        }
        if let Ok(Some(stripped)) = annotate::without_block(&text, body_offset) {
            if !dry_run {
                write::write_file_atomic(&note.path, stripped.as_bytes()).map_err(|source| {
                    CleanError::Io {
                        path: note.path.clone(),
                        source,
                    }
                })?;
            }
            report.blocks.push(note.rel.clone());
        }
    }
    if let Some(writer) = writer {
        let io = |source| CleanError::Io {
            path: output.clone(),
            source,
        };
        let (mut gone, kept) = writer.plan_clean().map_err(io)?;
        // The parse cache goes too (before the folder is tidied away).
        let cache = crate::cache::path_in(&output);
        if !dry_run && let Some(dir) = cache.parent() {
            crate::cache::Writer::remove_leftovers(dir);
        }
        // With the manifest's binary copy and the folder listing beside it.
        for rel in [
            crate::cache::REL,
            crate::write::SNAPSHOT,
            crate::listing::REL,
        ] {
            let file = output.join(rel);
            if file.is_file() {
                gone.push(rel.to_string());
                if !dry_run {
                    std::fs::remove_file(&file).map_err(io)?;
                }
            }
        }
        if !dry_run {
            let _ = std::fs::remove_dir(cache.parent().unwrap_or(&output));
        }
        let kept = if dry_run {
            kept
        } else {
            let kept = writer.clean().map_err(io)?;
            // What went is what the plan said, less what was kept after all.
            report.removed = gone
                .iter()
                .filter(|g| !kept.contains(g))
                .map(|rel| shown_in(&notes_abs, &output, rel))
                .collect();
            kept
        };
        if dry_run {
            report.removed = gone
                .iter()
                .map(|rel| shown_in(&notes_abs, &output, rel))
                .collect();
        }
        report.kept.extend(kept.into_iter().map(|rel| Kept {
            path: shown_in(&notes_abs, &output, &rel),
            reason: words.get("kept-edited"),
            draft: None,
        }));
    }
    Ok(report)
}
