//! `notes-vet completions SHELL`: print a shell completion script.

use clap::CommandFactory;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> u8 {
    use std::io::Write;
    let mut cmd = super::Cli::command();
    // Written at once, and a reader that goes away (`| head`) is no error:
    // clap_complete would panic writing to a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "notes-vet", &mut script);
    let _ = std::io::stdout().lock().write_all(&script);
    super::OK
}
