//! `notes-vet lsp`: the Language Server over stdio. The server is the
//! library's [`notes_vet::lsp`]; this file wires the flags. Exit code 0
//! after `shutdown` and `exit`, 1 when the client leaves without them.

use super::{Global, fail};
use notes_vet::lsp::{Ended, LoadFlags, ServeOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Speak LSP over stdin and stdout (the only transport; accepted for
    /// clients that pass it)
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: Args, g: &Global) -> u8 {
    // A date given by flag or environment is fixed; otherwise each
    // vetting uses the local date.
    let fixed =
        g.today.is_some() || std::env::var("NOTES_VET_TODAY").is_ok_and(|t| !t.trim().is_empty());
    let today = match super::today(g) {
        Ok(t) => t,
        Err(e) => return fail(g, e),
    };
    let opts = ServeOptions {
        flags: LoadFlags {
            config: g.config.clone(),
            lang: g.lang(),
            locale: notes_vet::i18n::Lang::from_process_env(),
            select: g.select.clone(),
            ignore: g.ignore.clone(),
        },
        today: fixed.then_some(today),
    };
    let (connection, writer) = notes_vet::lsp::transport::stdio();
    let ended = notes_vet::lsp::serve(&connection, opts);
    // The writer ends, every message written, when the connection goes.
    drop(connection);
    writer.join();
    match ended {
        Ended::Shutdown => super::OK,
        Ended::Abruptly => 1,
    }
}
