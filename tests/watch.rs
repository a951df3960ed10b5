//! `notes-vet watch` end to end: the real binary on a temporary folder,
//! replaying how editors save (write in place, truncate then write with a
//! pause, temp + rename, backup + rename), deletes, renames, new notes, a
//! burst of 1,000 notes, config/plugin/template edits, a second writer,
//! signals, and the folder removed and recreated. Outputs are awaited by
//! polling with a timeout, never with long fixed sleeps.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
const WAIT: Duration = Duration::from_secs(15);

fn exe() -> PathBuf {
    assert_cmd::cargo::cargo_bin("notes-vet")
}

/// A running `watch --format json` and its event lines.
struct Watch {
    child: Child,
    lines: Receiver<Value>,
    seen: Vec<Value>,
}

impl Watch {
    fn start(dir: &Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(exe())
            .args(["watch", "--format", "json", "--today", TODAY])
            .args(extra)
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line: {line:?}: {e}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut w = Watch {
            child,
            lines: rx,
            seen: Vec::new(),
        };
        w.wait_event(|e| e["event"] == "ready", "ready");
        w
    }

    /// Waits for an event matching `pred` (seen since the last wait).
    fn wait_event(&mut self, pred: impl Fn(&Value) -> bool, what: &str) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(i) = self.seen.iter().position(&pred) {
                let v = self.seen.remove(i);
                self.seen.drain(..i);
                return v;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(v) => self.seen.push(v),
                Err(_) => panic!("no {what} event within {WAIT:?}; saw {:#?}", self.seen),
            }
        }
    }

    /// Events that arrive within `quiet` from now.
    fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out: Vec<Value> = std::mem::take(&mut self.seen);
        while let Ok(v) = self.lines.recv_timeout(quiet) {
            out.push(v);
        }
        out
    }

    fn signal(&mut self, sig: &str) -> std::process::ExitStatus {
        // The shell's own `kill`: present wherever `sh` is.
        Command::new("sh")
            .args(["-c", &format!("kill -{sig} {}", self.child.id())])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "watch did not stop on {sig}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn note(client: &str, status: &str, extra: &str) -> String {
    format!(
        "---\nclient: {client}\nstatus: {status}\nsince: 2026-11-01\nexpectations_set: 2026-11-02\n{extra}---\n\n# {client}\n"
    )
}

/// An incident (NV105, an error) and two aggressive contacts (NV204): an
/// active client becomes `fire`.
const HOSTILE: &str = "incidents:\n  - {date: 2026-11-20, what: \"shouted at me\"}\ncontacts:\n  - {at: \"2026-11-20T10:00\", tone: aggressive}\n  - {at: \"2026-11-21T10:00\", tone: rude}\n";

/// Only the two aggressive contacts (NV204, a warning): `caution`.
const RUDE: &str = "contacts:\n  - {at: \"2026-11-20T10:00\", tone: aggressive}\n  - {at: \"2026-11-21T10:00\", tone: rude}\n";

fn folder(notes: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in notes {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

fn summary(dir: &Path, stem: &str) -> PathBuf {
    dir.join("_vetted/summaries").join(format!("{stem}.md"))
}

fn is_note(e: &Value, path: &str, verdict: &str) -> bool {
    e["event"] == "note" && e["path"] == path && e["verdict"] == verdict
}

#[test]
fn first_pass_matches_check_then_each_save_pattern_ends_in_the_right_outputs() {
    let dir = folder(&[
        ("clients/acme.md", note("Acme", "active", "")),
        ("clients/beta.md", note("Beta", "active", "")),
        ("prospects/p1.md", note("P1", "prospect", "")),
        ("README.md", "# not a client note\n".into()),
    ]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    // The first pass wrote what check writes.
    let listed = |d: &Path| -> Vec<String> {
        walkdir::WalkDir::new(d.join("_vetted"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| notes_vet::scan::relative(d, e.path()))
            .filter(|r| !r.ends_with(".notes-vet-lock"))
            .collect()
    };
    let mut ours = listed(root);
    ours.sort();
    let copy = tempfile::tempdir().unwrap();
    for rel in [
        "clients/acme.md",
        "clients/beta.md",
        "prospects/p1.md",
        "README.md",
    ] {
        let to = copy.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(rel), to).unwrap();
    }
    Command::new(exe())
        .args(["check", "-q", "--today", TODAY])
        .arg(copy.path())
        .output()
        .unwrap();
    let mut theirs = listed(copy.path());
    theirs.sort();
    assert_eq!(ours, theirs);
    assert_eq!(
        read(&root.join("_vetted/index.md")),
        read(&copy.path().join("_vetted/index.md"))
    );

    let acme = root.join("clients/acme.md");
    // 1. Write in place (vim with backupcopy=yes, `>`).
    std::fs::write(&acme, note("Acme", "active", HOSTILE)).unwrap();
    let e = w.wait_event(|e| is_note(e, "clients/acme.md", "fire"), "acme fire");
    assert_eq!(e["previous_verdict"], "keep");
    wait_for("the rejection letter", || {
        root.join("_vetted/letters/clients/acme-rejection.md")
            .is_file()
    });
    assert!(read(&summary(root, "clients/acme")).contains("NV204"));

    // 2. Truncate, then write in two parts with a pause (VS Code and most
    // editors; a slow disk). The half-written note must not remove outputs.
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&acme).unwrap();
        f.write_all(b"---\nclient: Acme\nstatus: act").unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(30));
        assert!(summary(root, "clients/acme").is_file());
        f.write_all(b"ive\nsince: 2026-11-01\nexpectations_set: 2026-11-02\n---\n")
            .unwrap();
    }
    let e = w.wait_event(|e| is_note(e, "clients/acme.md", "keep"), "acme keep");
    assert_eq!(e["previous_verdict"], "fire");
    wait_for("the letter to go", || {
        !root
            .join("_vetted/letters/clients/acme-rejection.md")
            .exists()
    });
    assert!(summary(root, "clients/acme").is_file());

    // 3. Temp file + rename (JetBrains safe-write, Obsidian, atomic savers).
    let tmp = root.join("clients/acme.md___jb_tmp___");
    std::fs::write(&tmp, note("Acme", "active", HOSTILE)).unwrap();
    std::fs::rename(&tmp, &acme).unwrap();
    w.wait_event(|e| is_note(e, "clients/acme.md", "fire"), "acme fire again");

    // 4. Backup + write + rename (vim's default): note.md -> note.md~,
    // write 4913 probe, write a new note.md, remove the backup.
    std::fs::write(root.join("clients/4913"), "").unwrap();
    std::fs::remove_file(root.join("clients/4913")).unwrap();
    std::fs::rename(&acme, root.join("clients/acme.md~")).unwrap();
    std::fs::write(&acme, note("Acme", "active", "")).unwrap();
    std::fs::remove_file(root.join("clients/acme.md~")).unwrap();
    w.wait_event(|e| is_note(e, "clients/acme.md", "keep"), "acme keep again");
    assert!(
        summary(root, "clients/acme").is_file(),
        "outputs survive a backup-rename save"
    );

    // 5. `sed -i` (writes a temp file and renames it over the note).
    let sed = Command::new("sed")
        .args(["-i", "s/status: active/status: prospect/"])
        .arg(root.join("clients/beta.md"))
        .status()
        .unwrap();
    assert!(sed.success());
    w.wait_event(|e| is_note(e, "clients/beta.md", "accept"), "beta accept");

    // 6. A new note (cp), a rename (mv), a delete.
    std::fs::copy(root.join("prospects/p1.md"), root.join("prospects/p2.md")).unwrap();
    w.wait_event(
        |e| {
            e["event"] == "note"
                && e["path"] == "prospects/p2.md"
                && e["previous_verdict"].is_null()
        },
        "p2 new",
    );
    std::fs::rename(root.join("prospects/p2.md"), root.join("prospects/p3.md")).unwrap();
    let gone = w.wait_event(
        |e| e["event"] == "removed" && e["path"] == "prospects/p2.md",
        "p2 removed",
    );
    assert_eq!(
        gone["outputs_removed"][0],
        "_vetted/summaries/prospects/p2.md"
    );
    w.wait_event(
        |e| e["event"] == "note" && e["path"] == "prospects/p3.md",
        "p3 new",
    );
    wait_for("the summary to follow the rename", || {
        summary(root, "prospects/p3").is_file() && !summary(root, "prospects/p2").exists()
    });
    std::fs::remove_file(root.join("prospects/p3.md")).unwrap();
    w.wait_event(
        |e| e["event"] == "removed" && e["path"] == "prospects/p3.md",
        "p3 removed",
    );
    wait_for("the dashboard row to go", || {
        !read(&root.join("_vetted/index.md")).contains("p3")
    });

    // 7. A broken note is reported with line and column once it settles;
    // its outputs stay.
    std::fs::write(root.join("prospects/p1.md"), "---\nclient: [P1\n---\n").unwrap();
    let err = w.wait_event(|e| e["event"] == "error", "parse error");
    assert_eq!(err["path"], "prospects/p1.md");
    assert!(err["line"].as_u64().is_some() && err["column"].as_u64().is_some());
    assert!(
        summary(root, "prospects/p1").is_file(),
        "outputs kept on a parse failure"
    );

    // SIGINT: exit 0, manifest saved, lock released, no temp files.
    let status = w.signal("INT");
    assert!(status.success(), "{status:?}");
    assert!(!root.join("_vetted/.notes-vet-lock").exists());
    let temps = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("notes-vet-tmp"))
        .count();
    assert_eq!(temps, 0);
    let manifest: Value =
        serde_json::from_str(&read(&root.join("_vetted/.notes-vet-manifest.json"))).unwrap();
    assert!(manifest["files"]["summaries/clients/beta.md"].is_object());
    assert!(manifest["files"]["summaries/prospects/p3.md"].is_null());
}

#[test]
fn a_burst_of_a_thousand_notes_is_one_batch_with_one_dashboard_write() {
    let dir = folder(&[]);
    let root = dir.path();
    for i in 0..1000 {
        let p = root.join(format!("clients/c{i:04}.md"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, note(&format!("C{i}"), "active", "")).unwrap();
    }
    let mut w = Watch::start(root, &[]);
    let index = root.join("_vetted/index.md");
    let before = std::fs::metadata(&index).unwrap().modified().unwrap();
    // As `git checkout` does: every note rewritten in one go.
    for i in 0..1000 {
        let p = root.join(format!("clients/c{i:04}.md"));
        std::fs::write(p, note(&format!("C{i}"), "active", HOSTILE)).unwrap();
    }
    let events = {
        let mut got = Vec::new();
        let deadline = Instant::now() + WAIT;
        while got.iter().filter(|e: &&Value| e["event"] == "note").count() < 1000 {
            assert!(
                Instant::now() < deadline,
                "only {} notes re-vetted",
                got.len()
            );
            got.extend(w.drain(Duration::from_millis(200)));
        }
        got
    };
    assert!(
        events
            .iter()
            .filter(|e| e["event"] == "note")
            .all(|e| e["verdict"] == "fire")
    );
    wait_for("the dashboard", || {
        let text = read(&index);
        text.contains("| let go | 1000 |") && text.contains("| keep | 0 |")
    });
    let after = std::fs::metadata(&index).unwrap().modified().unwrap();
    assert!(after > before);
    // One batch: the dashboard was written once, so it is not rewritten
    // again while nothing changes.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        std::fs::metadata(&index).unwrap().modified().unwrap(),
        after
    );
}

#[test]
fn settings_are_reloaded_and_a_broken_set_keeps_the_last_good_one() {
    let dir = folder(&[
        ("clients/acme.md", note("Acme", "active", RUDE)),
        ("notes-vet.toml", "[verdict]\nreject = 3\n".into()),
    ]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    let toml = root.join("notes-vet.toml");
    // Broken: reported with file and line, nothing re-vetted.
    std::fs::write(&toml, "[verdict]\nreject = \"three\"\n").unwrap();
    let e = w.wait_event(|e| e["event"] == "config", "config error");
    assert_eq!(e["ok"], false);
    assert!(e["path"].as_str().unwrap().ends_with("notes-vet.toml"));
    assert_eq!(e["line"], 2);
    // Fixed, with the rule off: reloaded, re-vetted, the verdict follows.
    std::fs::write(&toml, "[rules.NV204]\nseverity = \"off\"\n").unwrap();
    let e = w.wait_event(|e| e["event"] == "config", "config reloaded");
    assert_eq!(e["ok"], true);
    w.wait_event(|e| e["event"] == "rescan", "rescan");
    w.wait_event(|e| is_note(e, "clients/acme.md", "keep"), "acme keep");

    // A plugin: added, then broken (last good kept), then fixed.
    std::fs::write(
        &toml,
        "[plugins]\ndirs = [\"plugins\"]\n[rules.NV204]\nseverity = \"off\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("plugins")).unwrap();
    w.wait_event(|e| e["event"] == "rescan", "rescan after plugins on");
    let rule = |msg: &str| {
        format!(
            "return {{ code = \"XW1\", name = \"watch-test\", severity = \"error\", check = function(note, ctx) return \"{msg}\" end }}\n"
        )
    };
    std::fs::write(root.join("plugins/w.lua"), rule("first")).unwrap();
    let e = w.wait_event(
        |e| e["event"] == "note" && e["path"] == "clients/acme.md",
        "plugin finding",
    );
    assert_eq!(e["findings"][0]["code"], "XW1");
    assert_eq!(e["findings"][0]["message"], "first");
    std::fs::write(root.join("plugins/w.lua"), "return { code = \n").unwrap();
    let e = w.wait_event(
        |e| e["event"] == "config" && e["ok"] == false,
        "plugin error",
    );
    assert!(e["path"].as_str().unwrap().ends_with("w.lua"), "{e}");
    std::fs::write(root.join("plugins/w.lua"), rule("second")).unwrap();
    let e = w.wait_event(
        |e| e["event"] == "note" && e["path"] == "clients/acme.md",
        "plugin fixed",
    );
    assert_eq!(e["findings"][0]["message"], "second");

    // A template: overridden, broken (kept), fixed.
    std::fs::create_dir_all(root.join("my-templates")).unwrap();
    std::fs::write(
        &toml,
        "templates_dir = \"my-templates\"\n[plugins]\ndirs = [\"plugins\"]\n",
    )
    .unwrap();
    w.wait_event(|e| e["event"] == "rescan", "rescan after templates_dir");
    let tpl = root.join("my-templates/summary.md");
    std::fs::write(&tpl, "CUSTOM {{ client }}\n").unwrap();
    wait_for("the custom summary", || {
        read(&summary(root, "clients/acme")).starts_with("CUSTOM Acme")
    });
    std::fs::write(&tpl, "BROKEN {{ client \n").unwrap();
    w.wait_event(
        |e| e["event"] == "config" && e["ok"] == false,
        "template error",
    );
    assert!(read(&summary(root, "clients/acme")).starts_with("CUSTOM Acme"));
    std::fs::write(&tpl, "FIXED {{ client }}\n").unwrap();
    wait_for("the fixed summary", || {
        read(&summary(root, "clients/acme")).starts_with("FIXED Acme")
    });
}

#[test]
fn a_second_writer_is_refused_and_a_reader_is_not() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", ""))]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    let out = Command::new(exe())
        .args(["check", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let pid = w.child.id().to_string();
    assert!(
        err.contains(&format!("notes-vet watch (pid {pid}) is already writing")),
        "{err}"
    );
    assert!(err.contains("_vetted"), "{err}");
    let out = Command::new(exe())
        .args(["clean"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Reading needs no lock.
    let out = Command::new(exe())
        .args(["check", "--no-write", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // SIGTERM stops it like Ctrl-C; then check may write.
    assert!(w.signal("TERM").success());
    let out = Command::new(exe())
        .args(["check", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_stale_lock_of_a_killed_watch_is_taken_over() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", ""))]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    let _ = w.signal("KILL");
    assert!(
        root.join("_vetted/.notes-vet-lock").exists(),
        "a killed process leaves its file"
    );
    let out = Command::new(exe())
        .args(["check", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_folder_removed_and_recreated_is_picked_up_again() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("notes");
    std::fs::create_dir_all(root.join("clients")).unwrap();
    std::fs::write(root.join("clients/acme.md"), note("Acme", "active", "")).unwrap();
    let mut w = Watch::start(&root, &[]);
    std::fs::remove_dir_all(&root).unwrap();
    w.wait_event(
        |e| e["event"] == "removed" && e["path"] == "clients/acme.md",
        "removed",
    );
    std::fs::create_dir_all(root.join("clients")).unwrap();
    std::fs::write(
        root.join("clients/beta.md"),
        note("Beta", "active", HOSTILE),
    )
    .unwrap();
    w.wait_event(|e| e["event"] == "rescan", "rescan");
    w.wait_event(|e| is_note(e, "clients/beta.md", "fire"), "beta");
    wait_for("beta's summary", || {
        summary(&root, "clients/beta").is_file()
    });
    // And it keeps watching the new folder.
    std::fs::write(root.join("clients/beta.md"), note("Beta", "active", "")).unwrap();
    w.wait_event(|e| is_note(e, "clients/beta.md", "keep"), "beta keep");
}

#[test]
fn polling_works_and_no_write_only_reports() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", ""))]);
    let root = dir.path();
    let mut w = Watch::start(root, &["--poll", "100", "--no-write"]);
    assert!(!root.join("_vetted").exists(), "--no-write writes nothing");
    std::fs::write(
        root.join("clients/acme.md"),
        note("Acme", "active", HOSTILE),
    )
    .unwrap();
    w.wait_event(
        |e| is_note(e, "clients/acme.md", "fire"),
        "acme fire (polled)",
    );
    assert!(!root.join("_vetted").exists());
}

#[test]
fn its_own_writes_cause_no_events_and_no_writes() {
    let dir = folder(&[
        ("clients/acme.md", note("Acme", "active", HOSTILE)),
        ("notes-vet.toml", "annotate = true\n".into()),
    ]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    assert!(read(&root.join("clients/acme.md")).contains("notes-vet:begin"));
    std::fs::write(root.join("clients/acme.md"), note("Acme", "active", "")).unwrap();
    w.wait_event(|e| is_note(e, "clients/acme.md", "keep"), "acme keep");
    wait_for("the new annotation and dashboard", || {
        read(&root.join("clients/acme.md")).contains("keep")
            && read(&root.join("_vetted/index.md")).contains("| keep | 1 |")
    });
    // Nothing more happens: no feedback loop through the annotated note,
    // the outputs or the manifest.
    let stamp = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let (note_t, index_t) = (
        stamp(&root.join("clients/acme.md")),
        stamp(&root.join("_vetted/index.md")),
    );
    let quiet = w.drain(Duration::from_millis(600));
    assert!(quiet.iter().all(|e| e["event"] != "note"), "{quiet:#?}");
    assert_eq!(stamp(&root.join("clients/acme.md")), note_t);
    assert_eq!(stamp(&root.join("_vetted/index.md")), index_t);
    // A folder event makes watch list that folder, and listing a folder is
    // itself an event (inotify reports opens): that must not loop either.
    std::fs::create_dir(root.join("clients/sub")).unwrap();
    std::fs::write(root.join("clients/sub/b.md"), note("B", "active", "")).unwrap();
    w.wait_event(
        |e| e["event"] == "note" && e["path"] == "clients/sub/b.md",
        "b",
    );
    std::thread::sleep(Duration::from_millis(300));
    #[cfg(target_os = "linux")]
    {
        // Not a speed measurement: a busy loop uses the whole second.
        let ticks = |pid: u32| -> u64 {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
            let after = stat.rsplit_once(')').unwrap().1;
            let f: Vec<&str> = after.split_whitespace().collect();
            f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
        };
        let before = ticks(w.child.id());
        std::thread::sleep(Duration::from_secs(1));
        let used = ticks(w.child.id()) - before;
        assert!(used < 20, "watch used {used} clock ticks in an idle second");
    }
    let quiet = w.drain(Duration::from_millis(300));
    assert!(quiet.is_empty(), "{quiet:#?}");
}

#[test]
fn a_folder_moved_in_renamed_and_removed_is_followed() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", ""))]);
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let batch = outside.path().join("new-clients");
    std::fs::create_dir_all(batch.join("deep")).unwrap();
    std::fs::write(batch.join("one.md"), note("One", "active", "")).unwrap();
    std::fs::write(batch.join("deep/two.md"), note("Two", "active", HOSTILE)).unwrap();
    let mut w = Watch::start(root, &[]);
    // Moved in: notes the watcher never saw created.
    std::fs::rename(&batch, root.join("new-clients")).unwrap();
    // (A batch reports its notes in path order.)
    w.wait_event(|e| is_note(e, "new-clients/deep/two.md", "fire"), "two");
    w.wait_event(|e| is_note(e, "new-clients/one.md", "keep"), "one");
    // Renamed: the outputs follow.
    std::fs::rename(root.join("new-clients"), root.join("clients-2026")).unwrap();
    w.wait_event(
        |e| is_note(e, "clients-2026/deep/two.md", "fire"),
        "two renamed",
    );
    wait_for("the summaries to follow", || {
        summary(root, "clients-2026/deep/two").is_file()
            && !summary(root, "new-clients/deep/two").exists()
    });
    // Removed with its notes.
    std::fs::remove_dir_all(root.join("clients-2026")).unwrap();
    w.wait_event(
        |e| e["event"] == "removed" && e["path"] == "clients-2026/one.md",
        "one removed",
    );
    wait_for("the summaries to go", || {
        !root.join("_vetted/summaries/clients-2026").exists()
    });
}

#[test]
fn a_new_note_whose_outputs_would_collide_is_refused() {
    let dir = folder(&[("clients/Acme.md", note("Acme", "active", ""))]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    // Sorts after clients/Acme.md: it gets the error, nothing is written.
    std::fs::write(
        root.join("clients/acme.md"),
        note("Impostor", "active", HOSTILE),
    )
    .unwrap();
    let e = w.wait_event(
        |e| e["event"] == "error" && e["path"] == "clients/acme.md",
        "collision error",
    );
    assert!(
        e["message"].as_str().unwrap().contains("clients/Acme.md"),
        "{e}"
    );
    assert!(read(&summary(root, "clients/Acme")).contains("Acme"));
    assert!(!read(&summary(root, "clients/Acme")).contains("Impostor"));
    assert!(!summary(root, "clients/acme").exists());
    // Sorts before both: a full pass gives the errors to the later ones.
    std::fs::write(root.join("clients/ACME.md"), note("First", "active", "")).unwrap();
    w.wait_event(|e| e["event"] == "rescan", "rescan");
    let e = w.wait_event(
        |e| e["event"] == "error" && e["path"] == "clients/Acme.md",
        "Acme.md now collides",
    );
    assert!(
        e["message"].as_str().unwrap().contains("clients/ACME.md"),
        "{e}"
    );
}

#[test]
fn generated_files_that_go_away_are_written_again() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", HOSTILE))]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    let summary = summary(root, "clients/acme");
    let letter = root.join("_vetted/letters/clients/acme-rejection.md");
    let index = root.join("_vetted/index.md");
    std::fs::remove_file(&summary).unwrap();
    std::fs::remove_file(&index).unwrap();
    wait_for("the summary and dashboard again", || {
        summary.is_file() && index.is_file()
    });
    std::fs::remove_dir_all(root.join("_vetted")).unwrap();
    w.wait_event(|e| e["event"] == "rescan", "rescan");
    wait_for("everything again", || {
        summary.is_file() && letter.is_file() && index.is_file()
    });
    // An emptied note (a save under way) keeps its files for a moment.
    std::fs::write(root.join("clients/acme.md"), "").unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert!(summary.is_file() && letter.is_file(), "removed too early");
    std::fs::write(root.join("clients/acme.md"), note("Acme", "active", "")).unwrap();
    w.wait_event(|e| is_note(e, "clients/acme.md", "keep"), "acme keep");
    let events = w.drain(Duration::from_millis(300));
    assert!(
        events.iter().all(|e| e["event"] != "removed"),
        "{events:#?}"
    );
}

#[test]
fn an_output_folder_swapped_for_a_link_while_watching_is_never_written_through() {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("notes");
    std::fs::create_dir_all(root.join("clients")).unwrap();
    std::fs::write(root.join("clients/acme.md"), note("Acme", "active", "")).unwrap();
    let outside = parent.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let mut w = Watch::start(&root, &[]);
    std::fs::rename(root.join("_vetted"), parent.path().join("old")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("_vetted")).unwrap();
    std::fs::write(
        root.join("clients/acme.md"),
        note("Acme", "active", HOSTILE),
    )
    .unwrap();
    let _ = w.drain(Duration::from_millis(800));
    let written: Vec<_> = walkdir::WalkDir::new(&outside)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(written.is_empty(), "written outside: {written:?}");
}

#[test]
fn an_edited_dashboard_is_set_aside_at_once_and_kept_drafts_are_reported() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", HOSTILE))]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    let index = root.join("_vetted/index.md");
    let mine = format!("{}\n- [x] called them\n", read(&index));
    std::fs::write(&index, &mine).unwrap();
    wait_for("the edited dashboard set aside", || {
        read(&root.join("_vetted/index.edited.md")) == mine && !read(&index).contains("[x]")
    });
    // An edited letter whose note changes: the JSON kept event names the draft.
    let letter = root.join("_vetted/letters/clients/acme-rejection.md");
    std::fs::write(&letter, "my words").unwrap();
    std::fs::write(
        root.join("clients/acme.md"),
        note(
            "Acme",
            "active",
            &format!("{HOSTILE}obligations:\n  - {{what: report, due: 2026-12-01}}\n"),
        ),
    )
    .unwrap();
    let e = w.wait_event(
        |e| e["event"] == "kept" && e["path"] == "_vetted/letters/clients/acme-rejection.md",
        "kept letter",
    );
    assert_eq!(
        e["draft"],
        "_vetted/letters/clients/acme-rejection.draft.md"
    );
}

#[test]
fn review_cases_collisions_links_old_times_and_deleted_failing_notes() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("s.md"), note("Elsewhere", "active", "")).unwrap();
    let dir = folder(&[
        ("clients/Zz.md", note("First", "active", "")),
        ("clients/broken.md", "---\nclient: [B\n---\n".to_string()),
        ("clients/old.md", note("Old", "active", "")),
    ]);
    let root = dir.path();
    let mut w = Watch::start(root, &[]);
    // A colliding note, then edited: still refused, never written.
    std::fs::write(root.join("clients/zz.md"), note("Second", "active", "")).unwrap();
    w.wait_event(
        |e| e["event"] == "error" && e["path"] == "clients/zz.md",
        "collision",
    );
    std::fs::write(
        root.join("clients/zz.md"),
        note("Second", "active", HOSTILE),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert!(read(&summary(root, "clients/Zz")).contains("First"));
    assert!(!summary(root, "clients/zz").exists());
    // A symlinked note is not a note (as in check).
    std::os::unix::fs::symlink(outside.path().join("s.md"), root.join("clients/link.md")).unwrap();
    // A note dated before 1970 is still there.
    let old = std::process::Command::new("touch")
        .args(["-d", "1960-01-01"])
        .arg(root.join("clients/old.md"))
        .status();
    std::thread::sleep(Duration::from_millis(400));
    let events = w.drain(Duration::from_millis(300));
    assert!(
        events.iter().all(|e| e["path"] != "clients/link.md"),
        "{events:#?}"
    );
    if old.is_ok_and(|s| s.success()) {
        assert!(
            events.iter().all(|e| e["event"] != "removed"),
            "{events:#?}"
        );
        assert!(summary(root, "clients/old").is_file());
    }
    assert!(!summary(root, "clients/link").exists());
    // A note failing since the first pass, then deleted: its files go too.
    std::fs::write(root.join("clients/broken.md"), note("B", "active", "")).unwrap();
    w.wait_event(|e| is_note(e, "clients/broken.md", "keep"), "broken fixed");
    std::fs::write(root.join("clients/broken.md"), "---\nclient: [B\n---\n").unwrap();
    w.wait_event(
        |e| e["event"] == "error" && e["path"] == "clients/broken.md",
        "broken again",
    );
    std::fs::remove_file(root.join("clients/broken.md")).unwrap();
    let e = w.wait_event(
        |e| e["event"] == "removed" && e["path"] == "clients/broken.md",
        "removed",
    );
    assert_eq!(e["outputs_removed"].as_array().unwrap().len(), 1, "{e}");
    wait_for("its summary to go", || {
        !summary(root, "clients/broken").exists()
    });
}

#[test]
fn ctrl_c_right_after_start_stops_it() {
    let dir = folder(&[("clients/acme.md", note("Acme", "active", ""))]);
    for delay in [0u64, 15, 40] {
        let mut child = Command::new(exe())
            .args(["watch", "--format", "json", "--today", TODAY])
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        Command::new("sh")
            .args(["-c", &format!("kill -INT {}", child.id())])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "still running {delay} ms after start"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A running `watch` in human format: its lines as they come.
fn watch_human(dir: &Path, extra: &[&str]) -> (Child, Receiver<String>) {
    let mut child = Command::new(exe())
        .args(["watch", "--today", TODAY, "--color", "never"])
        .args(extra)
        .arg(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn wait_line(rx: &Receiver<String>, pred: impl Fn(&str) -> bool, what: &str) -> String {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if pred(&l) => return l,
            Ok(l) => seen.push(l),
            Err(_) => panic!("no line with {what} within {WAIT:?}; saw {seen:#?}"),
        }
    }
}

#[test]
fn watch_speaks_the_language_and_follows_a_change_of_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("acme.md"), note("Acme", "active", "")).unwrap();
    // `--lang tr`: Turkish lines.
    let (mut child, rx) = watch_human(dir.path(), &["--lang", "tr"]);
    wait_line(
        &rx,
        |l| l.contains("1 not izleniyor"),
        "the Turkish ready line",
    );
    std::fs::write(dir.path().join("acme.md"), note("Acme", "active", HOSTILE)).unwrap();
    let l = wait_line(&rx, |l| l.contains("acme.md"), "the change");
    assert!(l.contains("devam → sonlandırma"), "{l}");
    let _ = child.kill();
    let _ = child.wait();
    // The config's language, changed while watching: the next lines follow.
    std::fs::write(dir.path().join("acme.md"), note("Acme", "active", "")).unwrap();
    std::fs::write(dir.path().join("notes-vet.toml"), "language = \"en\"\n").unwrap();
    let (mut child, rx) = watch_human(dir.path(), &[]);
    wait_line(
        &rx,
        |l| l.contains("watching 1 note in"),
        "the English ready line",
    );
    std::fs::write(dir.path().join("notes-vet.toml"), "language = \"tr\"\n").unwrap();
    let l = wait_line(&rx, |l| l.contains("  config  "), "the reload");
    assert!(l.contains("değişiklik") || l.contains("yeniden"), "{l}");
    std::fs::write(dir.path().join("acme.md"), note("Acme", "active", HOSTILE)).unwrap();
    let l = wait_line(
        &rx,
        |l| l.contains("acme.md") && l.contains("→"),
        "the change",
    );
    assert!(l.contains("→ sonlandırma"), "{l}");
    let summary = std::fs::read_to_string(dir.path().join("_vetted/summaries/acme.md")).unwrap();
    assert!(summary.contains("Karar: sonlandırma"), "{summary}");
    let _ = child.kill();
    let _ = child.wait();
}
