//! The `notes-vet` command line: parses arguments and hands each command to
//! its module under `cmd/`. No vetting happens here.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    let code = cmd::run(cli);
    ExitCode::from(code)
}
