//! The command line as a shell user meets it: running a subset of rules,
//! suggestions for typos.

mod common;

use common::{TODAY, bin};
use std::path::Path;

fn codes(dir: &Path, args: &[&str]) -> std::collections::BTreeSet<String> {
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["findings"].as_array().unwrap().clone())
        .chain(v["folder"].as_array().unwrap().clone())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn select_and_ignore_run_a_subset_of_rules() {
    let ex = common::example();
    let all = codes(ex.path(), &[]);
    assert!(all.len() > 10, "{all:?}");
    // A prefix selects a family; a name works as well as a code.
    let only = codes(ex.path(), &["--select", "NV2,lost-without-reason"]);
    assert!(
        only.iter().all(|c| c.starts_with("NV2") || c == "NV401") && only.contains("NV401"),
        "{only:?}"
    );
    let without = codes(
        ex.path(),
        &["--ignore", "nv201", "--ignore", "aggressive-tone,NV4"],
    );
    assert!(
        !without.contains("NV201")
            && !without.contains("NV204")
            && !without.iter().any(|c| c.starts_with("NV4")),
        "{without:?}"
    );
    assert!(without.contains("NV105"), "{without:?}");
    // A code that names no rule: exit 2 and the nearest one.
    let out = bin()
        .args(["check", "--no-write", "--select", "NV2O1", "--today", TODAY])
        .arg(ex.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("`NV2O1` names no rule; did you mean `NV201`?"),
        "{err}"
    );
    let out = bin()
        .args(["explain", "excesive-contact"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean `excessive-contact`?"), "{err}");
}

#[test]
fn rule_codes_are_read_in_any_case_everywhere() {
    // `[rules.nv201]` as `vet_ignore: [nv203]` and `--select nv2`: one
    // rule for the case of codes.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        "[rules.nv201]\nmax_per_week = 0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: prospect\ncontacts: [{at: 2026-11-22, channel: phone}]\nvet_ignore: [nv203]\n---\n",
    )
    .unwrap();
    let found = codes(dir.path(), &["--select", "nv2"]);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["NV201"]);
}

#[test]
fn clean_dry_run_and_no_write_change_nothing_and_json_forms_exist() {
    let ex = common::example();
    let d = ex.path();
    let toml = d.join("notes-vet.toml");
    let base = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("annotate = true\n{base}")).unwrap();
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d)
        .assert()
        .code(1);
    let before = common::snapshot_dir(d);
    for flag in ["--dry-run", "--no-write"] {
        let out = bin().args(["clean", flag]).arg(d).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("would remove _vetted/index.md"), "{text}");
        assert!(
            text.contains("would remove the notes-vet block of clients/acme-corp.md"),
            "{text}"
        );
        assert!(
            text.contains("would be removed; nothing was changed."),
            "{text}"
        );
        assert!(common::snapshot_dir(d) == before, "{flag} changed files");
    }
    // JSON: the same as data.
    let out = bin()
        .args(["clean", "--dry-run", "--format", "json"])
        .arg(d)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    let removed = v["removed"].as_array().unwrap();
    assert!(removed.iter().any(|r| r == "_vetted/index.md"), "{v:#}");
    assert_eq!(v["blocks"].as_array().unwrap().len(), 12, "{v:#}");
    // For real: everything listed goes.
    bin().args(["clean"]).arg(d).assert().success();
    assert!(!d.join("_vetted").exists());
    // `explain` and `rules` have JSON forms too.
    let out = bin()
        .args(["explain", "NV201", "--format", "json", "--dir"])
        .arg(d)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "NV201");
    assert_eq!(v["options"][0]["name"], "max_per_week");
    assert_eq!(v["options"][0]["value"], "8", "the example config sets it");
    let out = bin().args(["rules", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 19);
}

#[test]
fn the_progress_bar_shows_the_total_and_never_shares_a_line_with_the_report() {
    // A terminal for stdout and stderr together, as a person has: a pty,
    // through Python's standard library (on every machine that builds this).
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        std::fs::write(
            dir.path().join(format!("n{i:04}.md")),
            format!("---\nclient: C{i}\nstatus: prospect\napplicant: friend\n---\n"),
        )
        .unwrap();
    }
    let script = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
env = dict(os.environ, NOTES_VET_PROGRESS_AFTER_MS="0", TERM="xterm")
env.pop("NO_COLOR", None)
p = subprocess.Popen(sys.argv[1:], stdout=slave, stderr=slave, stdin=slave, env=env)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
p.wait()
sys.stdout.buffer.write(out)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("notes-vet"))
        .args(["check", "--no-write", "--today", TODAY, "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let raw = String::from_utf8_lossy(&out.stdout);
    // Escape sequences out: what is left is what the lines carried.
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        text.push(c);
    }
    assert!(
        text.contains("vetting notes") && text.contains("/3000"),
        "the bar showed its total: {text}"
    );
    for line in text.split('\n') {
        // What stays on a line is what follows its last carriage return.
        let seen = line.rsplit('\r').next().unwrap_or(line);
        assert!(
            !(seen.contains("vetting notes") && (seen.contains('→') || seen.contains("warning["))),
            "the bar and the report share a line: {seen:?}"
        );
    }
    let last = text
        .split(['\n', '\r'])
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("");
    assert!(last.starts_with("Vetted 3,000 client notes"), "{last:?}");
}

#[test]
fn a_subset_of_rules_reports_but_never_rewrites_outputs() {
    let ex = common::example();
    let d = ex.path();
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d)
        .assert()
        .code(1);
    let before = common::snapshot_dir(&d.join("_vetted"));
    // Verdicts from NV2 alone would replace the real ones and drop letters.
    let out = bin()
        .args(["check", "--select", "NV2", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("NV201"));
    bin()
        .args(["check", "--ignore", "NV1,NV3", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(common::snapshot_dir(&d.join("_vetted")), before);
}

#[test]
fn output_cut_short_by_a_closed_pipe_is_no_crash() {
    let ex = common::example();
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(ex.path())
        .assert()
        .code(1);
    // `clean --dry-run | head -1`: stdout closes after the first line.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("notes-vet"))
        .env("LANG", "C.UTF-8")
        .args(["clean", "--dry-run"])
        .arg(ex.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn clean_of_a_file_says_it_is_not_a_folder() {
    let ex = common::example();
    let out = bin()
        .args(["clean"])
        .arg(ex.path().join("notes-vet.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is not a folder"), "{err}");
}
