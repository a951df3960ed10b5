//! The `notes-vet` command line: parses arguments and hands each command to
//! its module under `cmd/`. No vetting happens here.

mod cmd;

/// Vetting allocates many small, short-lived strings across threads;
/// mimalloc handles that pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    let code = cmd::run(cli);
    ExitCode::from(code)
}
