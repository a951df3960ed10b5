//! Generated files: snapshots of every kind of output in both languages,
//! the write policy (never lose a user's words), template overrides,
//! hostile client text, the annotation block, and a crash test.

mod common;

use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

use common::bin;

fn check(dir: &Path) -> assert_cmd::assert::Assert {
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(dir)
        .assert()
}

fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, bytes) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

/// Every file below `dir`, relative path -> bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                notes_vet::scan::relative(dir, e.path()),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// All generated files as one text, for a snapshot.
fn outputs_text(dir: &Path) -> String {
    let mut out = String::new();
    for (rel, bytes) in files(&dir.join("_vetted")) {
        if rel.starts_with('.') {
            continue;
        }
        out.push_str(&format!(
            "==> {rel} <==\n{}\n",
            String::from_utf8(bytes).unwrap()
        ));
    }
    out
}

#[test]
fn every_output_in_english() {
    let ex = common::example();
    check(ex.path()).code(1);
    let listed = files(&ex.path().join("_vetted"));
    for expected in [
        "index.md",
        "summaries/clients/acme-corp.md",
        "letters/clients/acme-corp-rejection.md",
        "letters/lost/harbor-fitness-feedback.md",
        "letters/clients/oak-and-ivy-expectations.md",
        ".notes-vet-manifest.json",
    ] {
        assert!(
            listed.contains_key(expected),
            "{expected} in {:?}",
            listed.keys()
        );
    }
    insta::assert_snapshot!("outputs_en", outputs_text(ex.path()));
}

#[test]
fn every_output_in_turkish() {
    let ex = common::example();
    let config = ex.path().join("notes-vet.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "explain_reason = false",
        "explain_reason = true\nlanguage = \"tr\"",
    );
    std::fs::write(&config, text).unwrap();
    check(ex.path()).code(1);
    let all = outputs_text(ex.path());
    assert!(
        all.contains("Sayın Murat Kaya,")
            && all.contains("Merhaba,")
            && all.contains("Saygılarımla")
    );
    assert!(
        all.contains("Açık konuşmak gerekirse"),
        "explain_reason gives the reasons"
    );
    insta::assert_snapshot!("outputs_tr", all);
}

#[test]
fn rejection_letter_follows_the_articles() {
    let ex = common::example();
    check(ex.path()).code(1);
    let letter = std::fs::read_to_string(
        ex.path()
            .join("_vetted/letters/prospects/bright-horizons-rejection.md"),
    )
    .unwrap();
    let thanks = letter.find("Thank you").expect("thanks for the trust");
    let refusal = letter
        .find("not to take on this project")
        .expect("the refusal");
    let encouragement = letter.find("wish you success").expect("encouragement");
    let resources = letter.find("Free guide").expect("resources");
    let referrals = letter.find("Deniz Kaya").expect("referrals");
    let signature = letter.find("Ayşe Yılmaz").expect("sender");
    assert!(
        thanks < refusal
            && refusal < encouragement
            && encouragement < resources
            && resources < referrals
            && referrals < signature
    );
    assert!(
        !letter.contains("To be open with you"),
        "no reason unless explain_reason"
    );
    let fire = std::fs::read_to_string(
        ex.path()
            .join("_vetted/letters/clients/kaya-mimarlik-rejection.md"),
    )
    .unwrap();
    assert!(
        fire.contains("final logo files, by 30 November 2026") && fire.contains("completed first")
    );
    assert!(
        fire.contains("invoice K-09 for 1,900, due 1 October 2026"),
        "{fire}"
    );
    let third = folder(&[("n.md", b"---\nclient: Deniz\nstatus: prospect\napplicant: mother\nguarantee_requested: true\ndiscount_requests: 2\n---\n")]);
    check(third.path()).code(0);
    let letter =
        std::fs::read_to_string(third.path().join("_vetted/letters/n-rejection.md")).unwrap();
    assert!(
        letter.contains("reach out themselves") || letter.contains("contact me directly"),
        "{letter}"
    );
}

#[test]
fn unchanged_second_run_writes_nothing() {
    let ex = common::example();
    check(ex.path()).code(1);
    let stamp = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    notes_vet::scan::relative(dir, e.path()),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect()
    };
    let before = (stamp(ex.path()), files(ex.path()));
    std::thread::sleep(std::time::Duration::from_millis(20));
    check(ex.path()).code(1);
    assert_eq!(before, (stamp(ex.path()), files(ex.path())));
}

#[test]
fn an_edited_letter_survives_a_change_to_its_note() {
    let ex = common::example();
    check(ex.path()).code(1);
    let letter = ex
        .path()
        .join("_vetted/letters/clients/acme-corp-rejection.md");
    let mine = format!(
        "{}\nP.S. I added this myself.\n",
        std::fs::read_to_string(&letter).unwrap()
    );
    std::fs::write(&letter, &mine).unwrap();
    let note = ex.path().join("clients/acme-corp.md");
    let text = std::fs::read_to_string(&note)
        .unwrap()
        .replace("hours: 3, paid: false", "hours: 5, paid: false");
    std::fs::write(&note, text).unwrap();
    let doc = common::check_json(ex.path());
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), mine);
    assert_eq!(
        doc["kept"][0]["path"],
        "_vetted/letters/clients/acme-corp-rejection.md"
    );
    let dashboard = std::fs::read_to_string(ex.path().join("_vetted/index.md")).unwrap();
    assert!(
        dashboard.contains("Files kept because you edited them")
            && dashboard.contains("acme-corp-rejection.md")
    );
    // The summary, not edited, did follow the change.
    let summary =
        std::fs::read_to_string(ex.path().join("_vetted/summaries/clients/acme-corp.md")).unwrap();
    assert!(summary.contains("6.5 hours of extra work"), "{summary}");
    // When the letter no longer applies it is still kept, because it was edited.
    let text = std::fs::read_to_string(&note)
        .unwrap()
        .replace("status: active", "status: ended");
    std::fs::write(&note, text).unwrap();
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(ex.path())
        .assert()
        .stdout(predicate::str::contains("no longer applies"));
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), mine);
}

#[test]
fn outputs_of_a_deleted_note_are_removed_and_user_files_survive() {
    let ex = common::example();
    check(ex.path()).code(1);
    let vetted = ex.path().join("_vetted");
    std::fs::write(vetted.join("my-plan.md"), "my own file").unwrap();
    std::fs::remove_file(ex.path().join("lost/harbor-fitness.md")).unwrap();
    std::fs::remove_file(ex.path().join("lost/elif-sahin-tasarim.md")).unwrap();
    check(ex.path()).code(1);
    assert!(!vetted.join("summaries/lost/harbor-fitness.md").exists());
    assert!(
        !vetted
            .join("letters/lost/harbor-fitness-feedback.md")
            .exists()
    );
    assert!(
        !vetted.join("summaries/lost").exists(),
        "emptied folders go too"
    );
    let dashboard = std::fs::read_to_string(vetted.join("index.md")).unwrap();
    assert!(
        !dashboard.contains("Harbor Fitness") && dashboard.contains("Acme Corp"),
        "the dashboard follows"
    );
    // An edit to the dashboard is kept and reported.
    std::fs::write(vetted.join("index.md"), format!("{dashboard}\nmy notes\n")).unwrap();
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(ex.path())
        .assert()
        .stdout(predicate::str::contains("kept _vetted/index.edited.md"));
    assert_eq!(
        std::fs::read_to_string(vetted.join("my-plan.md")).unwrap(),
        "my own file"
    );
}

#[test]
fn a_file_notes_vet_did_not_write_is_never_overwritten() {
    let dir = folder(&[
        ("a.md", b"---\nclient: A\nstatus: prospect\n---\n"),
        ("_vetted/summaries/a.md", b"my own summary"),
        ("_vetted/index.md", b"my own dashboard"),
    ]);
    let out = bin()
        .args(["check", "--today", "2026-11-23"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("not written by notes-vet"), "{text}");
    assert_eq!(
        std::fs::read(dir.path().join("_vetted/summaries/a.md")).unwrap(),
        b"my own summary"
    );
    assert_eq!(
        std::fs::read(dir.path().join("_vetted/index.md")).unwrap(),
        b"my own dashboard"
    );
    bin().arg("clean").arg(dir.path()).assert().success();
    assert_eq!(
        std::fs::read(dir.path().join("_vetted/summaries/a.md")).unwrap(),
        b"my own summary"
    );
}

#[test]
fn a_note_that_breaks_keeps_its_outputs() {
    let dir = folder(&[("a.md", b"---\nclient: A\nstatus: prospect\n---\n")]);
    check(dir.path()).code(0);
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: [prospect\n---\n",
    )
    .unwrap();
    check(dir.path()).code(1);
    assert!(
        dir.path().join("_vetted/summaries/a.md").exists(),
        "a typo must not delete the summary"
    );
}

#[test]
fn template_override_and_broken_template() {
    let dir = folder(&[
        ("a.md", b"---\nclient: A\nstatus: prospect\n---\n"),
        ("notes-vet.toml", b"templates_dir = \"my-templates\"\n"),
        (
            "my-templates/summary.md",
            b"Client: {{ client }} -> {{ verdict }}\n",
        ),
    ]);
    check(dir.path()).code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_vetted/summaries/a.md")).unwrap(),
        "Client: A -> accept\n"
    );
    // A template with a syntax error: exit 2 naming the file and line.
    let run_with = |template: &str| {
        std::fs::write(dir.path().join("my-templates/summary.md"), template).unwrap();
        bin()
            .args(["check", "--today", "2026-11-23"])
            .arg(dir.path())
            .assert()
    };
    run_with("line one\n{{ client }\nthree\n").code(2).stderr(
        predicate::str::contains("my-templates/summary.md").and(predicate::str::contains(":2")),
    );
    // An undefined variable, and a template trying to read the environment.
    run_with("{{ no_such_variable }}\n").code(1).stdout(
        predicate::str::contains("no_such_variable")
            .and(predicate::str::contains("my-templates/summary.md")),
    );
    run_with("{{ get_env(name=\"HOME\") }}\n")
        .code(1)
        .stdout(predicate::str::contains("get_env is disabled"));
}

#[test]
fn hostile_client_text_cannot_break_tables_links_or_inject_html() {
    let hostile = b"---\nclient: \"Evil | Co [x](http://evil) <script>alert(1)</script> `tick`\\nsecond line\"\nstatus: active\nsince: 2026-01-01\ncontacts:\n  - {at: \"2026-11-20T23:00\", channel: \"a|b\", tone: rude, note: \"](javascript:x) <img src=x>\"}\n  - {at: \"2026-11-21T23:00\", tone: rude}\n  - {at: \"2026-11-22T23:00\", tone: rude}\n---\n";
    let dir = folder(&[("clients/evil.md", hostile)]);
    check(dir.path()).code(0);
    let summary =
        std::fs::read_to_string(dir.path().join("_vetted/summaries/clients/evil.md")).unwrap();
    assert!(
        !summary.contains("<script>") && !summary.contains("<img"),
        "{summary}"
    );
    assert!(
        summary.contains("Evil \\| Co \\[x\\](http://evil) &lt;script&gt;"),
        "{summary}"
    );
    // Every row of the contact log still has exactly 7 unescaped pipes.
    let rows: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("| 2") && l.contains(" November 2026 |"))
        .collect();
    assert_eq!(rows.len(), 3, "{summary}");
    for row in rows {
        let pipes = row
            .match_indices('|')
            .filter(|(i, _)| *i == 0 || row.as_bytes()[i - 1] != b'\\')
            .count();
        assert_eq!(pipes, 7, "{row}");
    }
    let dashboard = std::fs::read_to_string(dir.path().join("_vetted/index.md")).unwrap();
    let row = dashboard.lines().find(|l| l.contains("Evil")).unwrap();
    assert!(row.contains("](summaries/clients/evil.md)"), "{row}");
    assert!(notes_vet::write::safe_relative("../outside.md").is_err());
    assert!(notes_vet::write::safe_relative("/etc/passwd").is_err());
    assert!(notes_vet::write::safe_relative("summaries/a.md").is_ok());
}

#[test]
fn annotation_round_trip_with_bom_and_crlf() {
    let note = "\u{feff}---\r\nclient: A\r\nstatus: prospect\r\napplicant: friend\r\n---\r\n# A\r\n\r\nMy notes.\r\n";
    let dir = folder(&[
        ("a.md", note.as_bytes()),
        ("b.md", b"---\nclient: B\nstatus: prospect\n---\nbody"),
        ("notes-vet.toml", b"annotate = true\n"),
    ]);
    check(dir.path()).code(0);
    let annotated = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    assert!(annotated.starts_with(note), "the note is only appended to");
    assert!(
        annotated.contains("\r\n<!-- notes-vet:begin -->\r\n")
            && annotated.ends_with("<!-- notes-vet:end -->\r\n")
    );
    assert!(annotated.contains("NV104"));
    assert!(
        !annotated.replace("\r\n", "").contains('\n'),
        "CRLF kept throughout"
    );
    // Update: the finding goes away, the block follows.
    std::fs::write(
        dir.path().join("a.md"),
        annotated.replace("applicant: friend", "applicant: self"),
    )
    .unwrap();
    check(dir.path()).code(0);
    let updated = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    assert!(!updated.contains("NV104") && updated.matches("notes-vet:begin").count() == 1);
    // Clean restores the notes byte for byte (as edited by the user).
    bin().arg("clean").arg(dir.path()).assert().success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        note.replace("applicant: friend", "applicant: self")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.md")).unwrap(),
        "---\nclient: B\nstatus: prospect\n---\nbody"
    );
    assert!(!dir.path().join("_vetted").exists());
}

#[test]
fn an_edited_annotation_block_is_kept() {
    let dir = folder(&[
        (
            "a.md",
            b"---\nclient: A\nstatus: prospect\napplicant: friend\n---\nbody\n",
        ),
        ("notes-vet.toml", b"annotate = true\n"),
    ]);
    check(dir.path()).code(0);
    let path = dir.path().join("a.md");
    let mine = std::fs::read_to_string(&path)
        .unwrap()
        .replace("> [Full summary]", "> My own remark.\n> [Full summary]");
    std::fs::write(&path, &mine).unwrap();
    // A change that alters the block notes-vet would write: the edit wins.
    let changed = mine.replace("applicant: friend", "applicant: parent");
    std::fs::write(&path, &changed).unwrap();
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("you edited its annotation block"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), changed);
    // On every run after, too (the note's files are unchanged then).
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("you edited its annotation block"));
    bin()
        .arg("clean")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("annotation block edited"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        changed,
        "clean leaves an edited block"
    );
    // A block notes-vet has no record of is not touched either.
    let foreign = folder(&[
        ("b.md", b"---\nclient: B\nstatus: prospect\n---\nbody\n\n<!-- notes-vet:begin -->\nmine\n<!-- notes-vet:end -->\n"),
        ("notes-vet.toml", b"annotate = true\n"),
    ]);
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(foreign.path())
        .assert()
        .stdout(predicate::str::contains("not written by notes-vet"));
    assert!(
        std::fs::read_to_string(foreign.path().join("b.md"))
            .unwrap()
            .contains("\nmine\n")
    );
}

#[test]
fn annotation_refuses_bad_markers_and_is_off_by_default() {
    let dup = "---\nclient: A\n---\n<!-- notes-vet:begin -->\n<!-- notes-vet:begin -->\n<!-- notes-vet:end -->\n";
    let fenced =
        "---\nclient: B\n---\n```\n<!-- notes-vet:begin -->\n```\n<!-- notes-vet:end -->\n";
    let dir = folder(&[
        ("a.md", dup.as_bytes()),
        ("b.md", fenced.as_bytes()),
        ("notes-vet.toml", b"annotate = true\n"),
    ]);
    let out = bin()
        .args(["check", "--today", "2026-11-23"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("annotation refused") && text.contains("code block"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        dup
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.md")).unwrap(),
        fenced
    );
    let plain = folder(&[("a.md", b"---\nclient: A\n---\nbody\n")]);
    check(plain.path()).code(0);
    assert_eq!(
        std::fs::read_to_string(plain.path().join("a.md")).unwrap(),
        "---\nclient: A\n---\nbody\n"
    );
}

/// Writes `n` varied client notes built from the example folder's notes.
fn many_notes(dir: &Path, n: usize) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("notes-example");
    let notes: Vec<(String, String)> = walkdir::WalkDir::new(&src)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    for i in 0..n {
        let (name, text) = &notes[i % notes.len()];
        let p = dir.join(format!("batch-{:02}/{i:05}-{name}", i / 200));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            p,
            text.replacen("client: \"", &format!("client: \"#{i} "), 1),
        )
        .unwrap();
    }
    std::fs::copy(src.join("notes-vet.toml"), dir.join("notes-vet.toml")).unwrap();
}

fn generated(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(&dir.join("_vetted"))
        .into_iter()
        .filter(|(k, _)| !k.contains(".notes-vet-tmp-") && !k.ends_with(".notes-vet-journal"))
        .collect()
}

#[test]
fn killed_runs_never_leave_a_partial_file_and_the_next_run_heals() {
    let reference = tempfile::tempdir().unwrap();
    many_notes(reference.path(), 3000);
    let exe = assert_cmd::cargo::cargo_bin("notes-vet");
    let run = |dir: &Path| {
        std::process::Command::new(&exe)
            .args(["check", "-q", "--today", "2026-11-23"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap()
    };
    let started = std::time::Instant::now();
    run(reference.path());
    let full = started.elapsed();
    let expected = generated(reference.path());

    // The victim starts from a run made on an earlier day, so that the
    // killed runs have files to update as well as to create.
    let victim = tempfile::tempdir().unwrap();
    many_notes(victim.path(), 3000);
    std::process::Command::new(&exe)
        .args(["check", "-q", "--today", "2026-10-01"])
        .arg(victim.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    let old = generated(victim.path());
    // Deterministic "random" moments spread over a whole run.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..8 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = full.mul_f64((seed % 1000) as f64 / 1000.0);
        let mut child = std::process::Command::new(&exe)
            .args(["check", "-q", "--today", "2026-11-23"])
            .arg(victim.path())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        for (rel, bytes) in generated(victim.path()) {
            if rel == ".notes-vet-manifest.json" {
                assert!(
                    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(),
                    "round {round}: manifest is whole"
                );
                continue;
            }
            if rel.starts_with(".cache/") {
                // The parse cache (appended to, its pointer moved last),
                // the manifest's copy and the folder listing (each renamed
                // into place whole, or not at all); a killed run may leave
                // a temporary file, which the next run removes.
                assert!(
                    rel == ".cache/notes.bin"
                        || rel == ".cache/manifest.bin"
                        || rel == ".cache/folders.bin"
                        || rel.starts_with(".cache/.notes-vet-cache-"),
                    "round {round}: {rel}"
                );
                continue;
            }
            if rel == ".notes-vet-lock" {
                // A killed writer leaves its lock file; the kernel has
                // released the lock, and the next run takes it over.
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    text.is_empty() || text.ends_with(" check\n"),
                    "round {round}: lock file holds {text:?}"
                );
                continue;
            }
            let whole = expected.get(&rel) == Some(&bytes) || old.get(&rel) == Some(&bytes);
            assert!(
                whole,
                "round {round} (killed after {at:?}): {rel} is neither the old nor the new complete file"
            );
        }
    }
    run(victim.path());
    let healed = generated(victim.path());
    // The folder listing is kept only once the folders are 2 s old, which
    // the victim's may be and the reference's (one run, at once) are not.
    let names = |m: &BTreeMap<String, Vec<u8>>| {
        m.keys()
            .filter(|k| *k != ".cache/folders.bin")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&healed),
        names(&expected),
        "after a normal run the same files exist as after a clean run"
    );
    for (rel, bytes) in &healed {
        if rel == ".cache/notes.bin" || rel == ".cache/manifest.bin" || rel == ".cache/folders.bin"
        {
            // The cache and the folder listing name their notes root, and
            // the manifest's copy the manifest's stats, which differ
            // between the folders.
            continue;
        }
        if rel == ".notes-vet-manifest.json" {
            // Stat and paths differ between folders; the hashes must not.
            let hashes = |b: &[u8]| {
                serde_json::from_slice::<serde_json::Value>(b).unwrap()["files"]
                    .as_object()
                    .unwrap()
                    .iter()
                    // The current version's hash (earlier ones are history).
                    .map(|(k, v)| (k.clone(), v["hashes"][0].clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                hashes(bytes),
                hashes(&expected[rel]),
                "the manifest records the same files"
            );
        } else {
            assert!(expected[rel] == *bytes, "{rel} equals a clean run's");
        }
    }
    assert!(
        files(&victim.path().join("_vetted"))
            .keys()
            .all(|k| !k.contains(".notes-vet-tmp-") && !k.contains("journal"))
    );
}

#[test]
fn a_journal_left_by_a_killed_run_is_cleared_by_a_run_with_nothing_to_write() {
    let dir = folder(&[("a.md", b"---\nclient: A\nstatus: prospect\n---\n")]);
    check(dir.path()).code(0);
    let summary = std::fs::read(dir.path().join("_vetted/summaries/a.md")).unwrap();
    // As a run killed after writing the summary leaves it.
    let line = format!("{} summaries/a.md\n", notes_vet::write::hash(&summary));
    std::fs::write(dir.path().join("_vetted/.notes-vet-journal"), line).unwrap();
    std::fs::write(
        dir.path().join("_vetted/summaries/.notes-vet-tmp-abc123"),
        "half a fi",
    )
    .unwrap();
    check(dir.path()).code(0);
    let left: Vec<String> = files(&dir.path().join("_vetted")).into_keys().collect();
    assert_eq!(
        left,
        vec![
            ".cache/manifest.bin",
            ".cache/notes.bin",
            ".gitignore",
            ".notes-vet-manifest.json",
            "clients.base",
            "index.md",
            "summaries/a.md"
        ]
    );
}

/// A temporary file left in a subfolder with no journal line (a power cut
/// can lose the journal's end) is removed by the next run that finds the
/// manifest not as its binary copy says (here: the copy gone).
#[test]
fn a_temporary_file_without_a_journal_line_is_removed_when_the_manifest_is_read_as_json() {
    let dir = folder(&[("a.md", b"---\nclient: A\nstatus: prospect\n---\n")]);
    check(dir.path()).code(0);
    let tmp = dir.path().join("_vetted/summaries/.notes-vet-tmp-Pw0r3d");
    std::fs::write(&tmp, "half a summ").unwrap();
    check(dir.path()).code(0);
    assert!(tmp.exists(), "left while the manifest is its copy's");
    std::fs::remove_file(dir.path().join("_vetted/.cache/manifest.bin")).unwrap();
    check(dir.path()).code(0);
    assert!(!tmp.exists());
}

/// A run killed while saving the manifest (no journal then) leaves its
/// temporary file in the output folder itself: the next run removes it.
#[test]
fn a_manifest_half_saved_by_a_killed_run_is_removed() {
    let dir = folder(&[("a.md", b"---\nclient: A\nstatus: prospect\n---\n")]);
    check(dir.path()).code(0);
    let tmp = dir.path().join("_vetted/.notes-vet-tmp-XyZ789");
    std::fs::write(&tmp, "{\"version\": 2, \"fi").unwrap();
    check(dir.path()).code(0);
    assert!(!tmp.exists());
}

/// `clients.base` is made again only when something changed, yet an edit
/// of it is kept and reported on every run, and a deleted one comes back.
#[test]
fn an_edited_bases_view_is_kept_on_every_run_and_a_deleted_one_comes_back() {
    let dir = folder(&[("a.md", b"---\nclient: A\nstatus: prospect\n---\n")]);
    check(dir.path()).code(0);
    let base = dir.path().join("_vetted/clients.base");
    let made = std::fs::read_to_string(&base).unwrap();
    let mine = format!("{made}# my own view\n");
    std::fs::write(&base, &mine).unwrap();
    for _ in 0..2 {
        let doc = common::check_json(dir.path());
        let kept: Vec<&str> = doc["kept"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|k| k["path"].as_str())
            .collect();
        assert_eq!(kept, ["_vetted/clients.base"]);
        assert_eq!(std::fs::read_to_string(&base).unwrap(), mine);
    }
    std::fs::remove_file(&base).unwrap();
    check(dir.path()).code(0);
    assert_eq!(std::fs::read_to_string(&base).unwrap(), made);
    let doc = common::check_json(dir.path());
    assert_eq!(doc["kept"], serde_json::json!([]));
}

/// The report's form (human, with the notes' source lines, or JSON)
/// changes nothing a note's files are made from: a run in the other form
/// takes every note's files as they are and leaves the manifest as it was.
#[test]
fn a_human_run_after_a_json_run_makes_no_file_again() {
    let ex = common::example();
    let manifest = ex.path().join("_vetted/.notes-vet-manifest.json");
    common::check_json(ex.path());
    let after_json = std::fs::read(&manifest).unwrap();
    check(ex.path()).code(1);
    assert!(
        std::fs::read(&manifest).unwrap() == after_json,
        "a human run recorded other inputs"
    );
    common::check_json(ex.path());
    assert!(std::fs::read(&manifest).unwrap() == after_json);
}

#[test]
fn an_edit_is_noticed_even_when_the_note_is_unchanged() {
    let ex = common::example();
    check(ex.path()).code(1);
    check(ex.path()).code(1);
    let summary = ex.path().join("_vetted/summaries/prospects/selin-aksoy.md");
    let mine = std::fs::read_to_string(&summary)
        .unwrap()
        .replace("# Selin Aksoy", "# Selin Aksoy (call her back)");
    std::fs::write(&summary, &mine).unwrap();
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(ex.path())
        .assert()
        .stdout(predicate::str::contains(
            "kept _vetted/summaries/prospects/selin-aksoy.md",
        ));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), mine);
    // Deleting a generated file brings it back on the next run.
    let letter = ex
        .path()
        .join("_vetted/letters/lost/harbor-fitness-feedback.md");
    std::fs::remove_file(&letter).unwrap();
    check(ex.path()).code(1);
    assert!(letter.exists());
}

#[test]
fn a_file_put_back_as_notes_vet_once_wrote_it_is_still_ours() {
    // As `git checkout` or a sync client does with a committed _vetted/.
    let note = |topic: &str| format!("---\nclient: A\nstatus: prospect\ntopic: {topic}\n---\n");
    let dir = folder(&[("a.md", note("one").as_bytes())]);
    check(dir.path()).code(0);
    let summary = dir.path().join("_vetted/summaries/a.md");
    let v1 = std::fs::read(&summary).unwrap();
    std::fs::write(dir.path().join("a.md"), note("two")).unwrap();
    check(dir.path()).code(0);
    std::fs::write(&summary, &v1).unwrap();
    std::fs::write(dir.path().join("a.md"), note("three")).unwrap();
    let json = common::check_json(dir.path());
    assert_eq!(json["kept"], serde_json::json!([]), "not taken for an edit");
    assert!(std::fs::read_to_string(&summary).unwrap().contains("three"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_vetted/.gitignore")).unwrap(),
        "# Written by notes-vet: its bookkeeping is machine state, not yours to commit.\n.notes-vet-*\n.cache/\n"
    );
}

#[test]
fn an_edited_letter_that_no_longer_applies_is_reported_on_every_run() {
    let note = |status: &str| {
        format!(
            "---\nclient: K\nstatus: {status}\nsince: 2026-01-01\nexpectations_set: 2026-01-02\nincidents:\n  - {{date: 2026-11-02, what: x}}\n---\n"
        )
    };
    let dir = folder(&[("k.md", note("active").as_bytes())]);
    check(dir.path()).code(1);
    let letter = dir.path().join("_vetted/letters/k-rejection.md");
    std::fs::write(&letter, "my words").unwrap();
    std::fs::write(dir.path().join("k.md"), note("ended")).unwrap();
    for run in 0..2 {
        let json = common::check_json(dir.path());
        let kept = json["kept"].as_array().unwrap();
        assert!(
            kept.iter()
                .any(|k| k["path"] == "_vetted/letters/k-rejection.md"),
            "run {run}: {kept:?}"
        );
        let index = std::fs::read_to_string(dir.path().join("_vetted/index.md")).unwrap();
        assert!(
            index.contains("k-rejection.md"),
            "run {run}: the dashboard lists it"
        );
        assert_eq!(std::fs::read_to_string(&letter).unwrap(), "my words");
    }
}

#[test]
fn a_manifest_larger_than_any_generated_file_is_still_read() {
    // 100,000 notes make a manifest of some 30 MB; it must not be refused
    // as a generated file over its size cap would be.
    let ex = common::example();
    check(ex.path()).code(1);
    let path = ex.path().join("_vetted/.notes-vet-manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let files = manifest["files"].as_object_mut().unwrap();
    for i in 0..150_000 {
        files.insert(
            format!("summaries/gone/note-{i:06}.md"),
            serde_json::json!({"hashes": ["0123456789abcdef0123456789abcdef"], "stat": [100, 1_700_000_000_000_000_000u64]}),
        );
    }
    let text = serde_json::to_vec(&manifest).unwrap();
    assert!(text.len() > 16 << 20, "{}", text.len());
    std::fs::write(&path, text).unwrap();
    let out = bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(ex.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The records of files that are gone are dropped.
    let after = std::fs::read(&path).unwrap();
    assert!(after.len() < 1 << 20, "{}", after.len());
}

/// A dashboard longer than the pieces it is rendered in (256 rows): every
/// client once, worst first across the pieces, every letter waiting, no
/// blank line inside the table or the list, nothing of the markers left.
#[test]
fn a_long_dashboard_is_whole_across_its_pieces() {
    let dir = tempfile::tempdir().unwrap();
    common::example_copies(dir.path(), 1000, 7);
    let out = bin()
        .args(["check", "--format", "json", "--today", "2026-11-23"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let clients = report["notes"].as_array().unwrap().len();
    assert!(clients > 512, "{clients} client notes");
    let index = std::fs::read_to_string(dir.path().join("_vetted/index.md")).unwrap();
    assert!(
        !index.contains('\u{1}'),
        "a marker was left in the dashboard"
    );
    assert!(!index.contains("\n\n\n") && index.ends_with('\n') && !index.ends_with("\n\n"));
    // The table: its rows follow the header without a gap, one per client.
    let lines: Vec<&str> = index.lines().collect();
    let header = lines
        .iter()
        .position(|l| *l == "|---|---|---|---|---|---|")
        .unwrap();
    let rows: Vec<&str> = lines[header + 1..]
        .iter()
        .take_while(|l| l.starts_with("| ["))
        .copied()
        .collect();
    assert_eq!(rows.len(), clients);
    assert_eq!(
        lines[header + 1 + rows.len()],
        "",
        "the table ends with one blank line"
    );
    // Every client once, by the summary each row links to.
    let mut links: Vec<&str> = rows
        .iter()
        .map(|r| {
            let from = r.find("](summaries/").unwrap() + 2;
            &r[from..from + r[from..].find(')').unwrap()]
        })
        .collect();
    links.sort();
    links.dedup();
    assert_eq!(links.len(), clients, "every client once");
    // Worst first: by verdict, then score, across the pieces.
    let order = [
        "decline",
        "let go",
        "caution",
        "follow up",
        "accept",
        "keep",
        "closed",
    ];
    let rank = |r: &str| {
        let cells: Vec<&str> = r.split(" | ").collect();
        let verdict = order.iter().position(|v| *v == cells[2]).unwrap_or(99);
        let score: u32 = cells[3].parse().unwrap();
        (verdict, score)
    };
    let ranked: Vec<(usize, u32)> = rows.iter().map(|r| rank(r)).collect();
    let urgency = |v: usize| match v {
        0 | 1 => 0,
        2 => 1,
        3 => 2,
        4 | 5 => 3,
        _ => 4,
    };
    for w in ranked.windows(2) {
        let (a, b) = (w[0], w[1]);
        assert!(
            urgency(a.0) < urgency(b.0) || (urgency(a.0) == urgency(b.0) && a.1 >= b.1),
            "{a:?} before {b:?}"
        );
    }
    // The letters waiting: one line per letter drafted.
    let drafted = walkdir::WalkDir::new(dir.path().join("_vetted/letters"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    let waiting: Vec<&str> = lines
        .iter()
        .skip_while(|l| !l.starts_with("## Letters"))
        .skip(4)
        .take_while(|l| l.starts_with("- ["))
        .copied()
        .collect();
    assert!(drafted > 256, "{drafted} letters");
    assert_eq!(waiting.len(), drafted);
}

/// A user's `index.md` and `index-clients.md`: the rows go where
/// `client_rows()` is, on a line of its own or inside one; the waiting
/// letters likewise; nothing of the marks is left.
#[test]
fn a_custom_dashboard_places_the_rows_where_it_says() {
    let dir = folder(&[
        ("a.md", b"---\nclient: A\nstatus: prospect\n---\n"),
        ("b.md", b"---\nclient: B\nstatus: prospect\n---\n"),
        ("notes-vet.toml", b"templates_dir = \"tpl\"\n"),
        (
            "tpl/index.md",
            b"# Mine ({{ waiting }} waiting)\nrows: [{{ client_rows() | safe }}] end\n{{ client_rows() | safe }}\n",
        ),
        (
            "tpl/index-clients.md",
            b"{% for n in notes %}{{ n.client }};{% endfor %}",
        ),
    ]);
    check(dir.path()).code(0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("_vetted/index.md")).unwrap(),
        "# Mine (0 waiting)\nrows: [A;B;] end\nA;B;\n"
    );
}

/// The dashboard is made again only when what it shows changes: an
/// unchanged run leaves `index.md` untouched, and a letter the user edited
/// (a file kept, no row changed) or a note that changed verdict makes it
/// again, showing the change.
#[test]
fn the_dashboard_is_made_again_only_when_what_it_shows_changes() {
    let ex = common::example();
    let d = ex.path();
    let _ = std::fs::remove_dir_all(d.join("_vetted"));
    let index = d.join("_vetted/index.md");
    check(d);
    let stamp = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let first = (std::fs::read(&index).unwrap(), stamp(&index));
    check(d);
    assert_eq!(
        (std::fs::read(&index).unwrap(), stamp(&index)),
        first,
        "an unchanged run leaves the dashboard as it was"
    );
    let letter = d.join("_vetted/letters/clients/acme-corp-rejection.md");
    let mut text = std::fs::read_to_string(&letter).unwrap();
    text.push_str("\nA line of my own.\n");
    std::fs::write(&letter, text).unwrap();
    check(d);
    let shown = std::fs::read_to_string(&index).unwrap();
    assert!(
        shown.contains("letters/clients/acme-corp-rejection.md: you edited it"),
        "{shown}"
    );
    // A verdict changed: its row moves.
    let note = d.join("clients/riverside-dental.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replacen("status: active", "status: lost", 1)).unwrap();
    check(d);
    let after = std::fs::read_to_string(&index).unwrap();
    assert_ne!(after, shown, "the dashboard follows the note");
}
