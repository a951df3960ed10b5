//! `notes-vet clean [DIR]`: remove the generated files and annotation
//! blocks, except those the user edited.

use super::{Global, fail, load_rules};
use notes_vet::publish;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, g: &Global) -> u8 {
    if !args.dir.is_dir() {
        let message = g.words().msg(&notes_vet::msg!(
            "cli-folder-missing",
            dir = args.dir.display().to_string()
        ));
        return fail(g, message);
    }
    let (config, _) = match load_rules(&args.dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    // Only an existing output folder needs the lock (and `clean` must not
    // create one just to lock it).
    let _lock = if notes_vet::publish::absolute(&config.output_dir).is_dir() {
        match super::lock_output(&config, &args.dir, "clean") {
            Ok(l) => Some(l),
            Err(e) => return fail(g, e),
        }
    } else {
        None
    };
    match publish::clean(&config, &args.dir) {
        Ok(report) => {
            if !g.quiet {
                let words = &config.catalog;
                for k in &report.kept {
                    println!(
                        "{}",
                        words.msg(&notes_vet::msg!(
                            "clean-kept",
                            path = notes_vet::report::visible(&k.path),
                            reason = notes_vet::report::visible(&k.reason)
                        ))
                    );
                }
                println!(
                    "{}",
                    words.msg(&notes_vet::msg!(
                        "clean-removed",
                        files = report.removed_files,
                        blocks = report.removed_blocks
                    ))
                );
            }
            super::OK
        }
        Err(e) => fail(g, e),
    }
}
