//! `notes-vet clean [DIR]`: remove the generated files and annotation
//! blocks, except those the user edited. `--dry-run` (or `--no-write`)
//! lists what would go and changes nothing; `--format json` prints the
//! same as one JSON document.

use super::{Global, OutputFormat, fail, load_rules};
use notes_vet::publish;
use notes_vet::report::visible;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// List what would be removed; change nothing (so does --no-write)
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args, g: &Global) -> u8 {
    if !args.dir.is_dir() {
        let dir = args.dir.display().to_string();
        let message = g.words().msg(&if args.dir.exists() {
            notes_vet::msg!("cli-folder-not-dir", dir = dir)
        } else {
            notes_vet::msg!("cli-folder-missing", dir = dir)
        });
        return fail(g, message);
    }
    let (config, _) = match load_rules(&args.dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let dry_run = args.dry_run || g.no_write;
    // Only an existing output folder needs the lock (and `clean` must not
    // create one just to lock it); a dry run writes nothing.
    let _lock = if !dry_run && notes_vet::publish::absolute(&config.output_dir).is_dir() {
        match super::lock_output(&config, &args.dir, "clean") {
            Ok(l) => Some(l),
            Err(e) => return fail(g, e),
        }
    } else {
        None
    };
    let report = match publish::clean(&config, &args.dir, dry_run) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    if g.format == OutputFormat::Json {
        let doc = serde_json::json!({
            "dry_run": dry_run,
            "removed": report.removed,
            "blocks": report.blocks,
            "kept": report.kept,
        });
        outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return super::OK;
    }
    let words = &config.catalog;
    if dry_run && !g.quiet {
        for path in &report.removed {
            outln!(
                "{}",
                words.msg(&notes_vet::msg!("clean-would-remove", path = visible(path)))
            );
        }
        for note in &report.blocks {
            outln!(
                "{}",
                words.msg(&notes_vet::msg!("clean-would-strip", path = visible(note)))
            );
        }
    }
    if !g.quiet {
        for k in &report.kept {
            outln!(
                "{}",
                words.msg(&notes_vet::msg!(
                    "clean-kept",
                    path = visible(&k.path),
                    reason = visible(&k.reason)
                ))
            );
        }
        let id = if dry_run {
            "clean-would"
        } else {
            "clean-removed"
        };
        outln!(
            "{}",
            words.msg(
                &notes_vet::i18n::Msg::new(id)
                    .arg("files", report.removed.len())
                    .arg("blocks", report.blocks.len())
            )
        );
    }
    super::OK
}
