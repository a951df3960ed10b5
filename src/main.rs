//! The `notes-vet` command line: parses arguments and hands each command to
//! its module under `cmd/`. No vetting happens here.

mod cmd;

/// Vetting allocates many small, short-lived strings across threads;
/// mimalloc handles that pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

/// Tells mimalloc to give freed memory back to the system at once and to
/// commit its arenas as they fill, not up front: memory that notes-vet no
/// longer uses is not counted against it (a folder of 100,000 notes).
fn tune_allocator() {
    // Their positions in mimalloc.h's `mi_option_e`, the same in mimalloc
    // v2 and v3 (libmimalloc-sys names only some of them).
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store that mimalloc reads
    // when it next needs it; any value is valid for these two.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = cmd::Cli::parse();
    let code = cmd::run(cli);
    ExitCode::from(code)
}
