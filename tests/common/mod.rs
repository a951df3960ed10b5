//! Helpers shared by the integration tests: vet a front matter string with
//! the real engine, or copy a fixture folder into a temp dir.

#![allow(dead_code)]

use notes_vet::config::Config;
use notes_vet::engine::{NoteReport, Outcome, Vetter};
use notes_vet::rules::{Registry, Ruleset};
use std::path::Path;

pub const TODAY: &str = "2026-11-23";

pub fn today() -> jiff::civil::Date {
    notes_vet::dates::parse_date(TODAY).expect("valid date")
}

/// Runs `f` with a vetter on the default config and today = [`TODAY`].
pub fn with_vetter<R>(keep_source: bool, f: impl FnOnce(&Vetter<'_>) -> R) -> R {
    let config = Config::defaults(Path::new("/notes"));
    let ruleset = Ruleset::new(Registry::builtin(), &config).expect("built-in rules are valid");
    let vetter = Vetter {
        ruleset: &ruleset,
        config: &config,
        today: today(),
        keep_source,
    };
    f(&vetter)
}

/// Vets one note whose YAML front matter is `yaml`, with `config` as the
/// text of notes-vet.toml.
pub fn vet_with(yaml: &str, config: &str) -> NoteReport {
    let config = Config::from_toml(
        Path::new("/notes"),
        Path::new("/notes/notes-vet.toml"),
        config,
    )
    .expect("test config is valid");
    let ruleset = Ruleset::new(Registry::builtin(), &config).expect("test rules are valid");
    let vetter = Vetter {
        ruleset: &ruleset,
        config: &config,
        today: today(),
        keep_source: false,
    };
    match vetter.vet_text("note.md", &format!("---\n{yaml}---\nbody\n")) {
        Outcome::Vetted(n) => *n,
        other => panic!("expected a vetted note, got {other:?}"),
    }
}

pub fn vet(yaml: &str) -> NoteReport {
    vet_with(yaml, "")
}

/// The codes of the findings of a note, in report order.
pub fn codes(n: &NoteReport) -> Vec<String> {
    let reg = Registry::builtin();
    n.findings
        .iter()
        .map(|f| reg.rules()[f.rule].meta.code.to_string())
        .collect()
}

pub fn fires(yaml: &str, code: &str) -> bool {
    codes(&vet(yaml)).iter().any(|c| c == code)
}

/// The `notes-vet` binary, with no `NOTES_VET_TODAY` and no colour.
pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("notes-vet").expect("binary built");
    // The language follows the locale: tests see English unless they ask.
    c.env_remove("NOTES_VET_TODAY")
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    c
}

/// `notes-vet check --no-write --format json --today TODAY DIR`, its stdout.
pub fn check_json_text(dir: &Path, env: &[(&str, &str)]) -> String {
    let mut c = bin();
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .arg(dir)
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `check --format json` (writing files) on `dir` and parses the report.
pub fn check_json(dir: &Path) -> serde_json::Value {
    let out = bin()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(dir)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        if entry.file_name() == "_vetted" {
            continue; // what a run of the README's command left behind
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A fresh copy of the example folder, `notes-example/`, in a temp dir.
pub fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("notes-example"),
        dir.path(),
    );
    dir
}

/// Every file under `dir` with its bytes, sorted by path: two snapshots
/// are equal when nothing under `dir` changed.
pub fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

/// The notes under `dir` (`.md` files outside the output folder), in path
/// order.
pub fn note_paths(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md") && !p.to_string_lossy().contains("_vetted")
        })
        .collect()
}

/// Writes `n` notes into `dir`, copies of the example's in turn with
/// distinct client names, spread over `folders` subfolders
/// (`g3/n0042.md`).
pub fn example_copies(dir: &Path, n: usize, folders: usize) {
    let ex = example();
    let notes = note_paths(ex.path());
    for i in 0..n {
        let text = std::fs::read_to_string(&notes[i % notes.len()]).unwrap();
        let to = dir.join(format!("g{}/n{i:04}.md", i % folders));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(
            to,
            text.replacen("client: ", &format!("client: N{i:04} "), 1),
        )
        .unwrap();
    }
}
