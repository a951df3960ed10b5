//! Hostile vaults, templates and plugins, each attack reproduced from files
//! alone: nothing outside the vault is read, written or deleted; nothing
//! hangs; nothing a note says reaches the terminal as a control sequence.
//! (The Lua attacks are in tests/plugins.rs.)

#![cfg(unix)]

mod common;

use common::bin;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
const NOTE: &str = "---\nclient: Acme\nstatus: prospect\nsince: 2026-11-01\n---\n";

fn vault(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    std::fs::write(dir.path().join("notes/a.md"), NOTE).unwrap();
    std::fs::write(dir.path().join("notes/notes-vet.toml"), config).unwrap();
    dir
}

fn check(notes: &Path) -> std::process::Output {
    bin()
        .args(["check", "--today", TODAY])
        .arg(notes)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn all_text(dir: &Path) -> String {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect()
}

#[test]
fn a_template_linked_to_a_file_outside_is_refused() {
    let v = vault("templates_dir = \"tpl\"\n");
    let secret = v.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-TOKEN").unwrap();
    std::fs::create_dir_all(v.path().join("notes/tpl")).unwrap();
    symlink(&secret, v.path().join("notes/tpl/summary.md")).unwrap();
    symlink("/proc/self/environ", v.path().join("notes/tpl/index.md")).unwrap();
    let out = check(&v.path().join("notes"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("leads outside"), "{err}");
    assert!(!all_text(&v.path().join("notes")).contains("TOP-SECRET-TOKEN"));
}

#[test]
fn an_output_folder_through_a_symlink_or_outside_the_vault_is_refused() {
    // _vetted itself a link to a folder outside.
    let v = vault("");
    let victim = v.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    symlink(&victim, v.path().join("notes/_vetted")).unwrap();
    let out = check(&v.path().join("notes"));
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("symlink"));
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0);
    // output_dir outside the notes root, relative or absolute.
    for out_dir in ["../elsewhere", "/tmp/notes-vet-elsewhere"] {
        let v = vault(&format!("output_dir = \"{out_dir}\"\n"));
        let out = check(&v.path().join("notes"));
        assert_eq!(out.status.code(), Some(2), "{out_dir}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("outside") || err.contains("must not contain `..`"),
            "{err}"
        );
        assert!(!v.path().join("elsewhere").exists());
    }
}

#[test]
fn a_subfolder_swapped_for_a_link_never_leads_to_a_write_or_a_delete_outside() {
    let v = vault("");
    let notes = v.path().join("notes");
    assert!(check(&notes).status.success());
    let summary = std::fs::read(notes.join("_vetted/summaries/a.md")).unwrap();
    // The victim holds a file with exactly the content notes-vet wrote.
    let victim = v.path().join("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("a.md"), &summary).unwrap();
    std::fs::remove_dir_all(notes.join("_vetted/summaries")).unwrap();
    symlink(&victim, notes.join("_vetted/summaries")).unwrap();
    // The note goes: "remove outdated output" must not delete the victim's file.
    std::fs::remove_file(notes.join("a.md")).unwrap();
    std::fs::write(notes.join("b.md"), NOTE.replace("Acme", "B")).unwrap();
    let _ = check(&notes);
    assert_eq!(std::fs::read(victim.join("a.md")).unwrap(), summary);
    assert!(
        !victim.join("b.md").exists(),
        "nothing written through the link"
    );
}

#[test]
fn a_forged_manifest_cannot_point_outside() {
    let v = vault("");
    let notes = v.path().join("notes");
    assert!(check(&notes).status.success());
    let target = v.path().join("target.txt");
    std::fs::write(&target, "keep me").unwrap();
    let hash = notes_vet::write::hash(b"keep me");
    let forged = format!(
        "{{\"version\":2,\"files\":{{\"../../target.txt\":{{\"hashes\":[\"{hash}\"]}},\"{}\":{{\"hashes\":[\"{hash}\"]}}}}}}",
        target.display()
    );
    std::fs::write(notes.join("_vetted/.notes-vet-manifest.json"), forged).unwrap();
    let _ = check(&notes);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[test]
fn odd_files_where_outputs_go_neither_hang_nor_fill_memory() {
    let v = vault("");
    let notes = v.path().join("notes");
    std::fs::create_dir_all(notes.join("_vetted/summaries")).unwrap();
    symlink("/dev/zero", notes.join("_vetted/index.md")).unwrap();
    let fifo = notes.join("_vetted/summaries/a.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let started = Instant::now();
    let out = check(&notes);
    assert!(started.elapsed() < Duration::from_secs(30));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not a regular file"), "{text}");
    if made.is_ok_and(|s| s.success()) {
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    use std::os::unix::fs::FileTypeExt;
}

#[test]
fn clean_removes_only_folders_it_created() {
    let v = vault("");
    let notes = v.path().join("notes");
    std::fs::create_dir_all(notes.join("_vetted/mine")).unwrap();
    assert!(check(&notes).status.success());
    bin().arg("clean").arg(&notes).assert().success();
    assert!(
        notes.join("_vetted/mine").is_dir(),
        "the user's folder stays"
    );
    assert!(
        !notes.join("_vetted/summaries").exists(),
        "its own folder goes"
    );
}

#[test]
fn a_damaged_manifest_is_set_aside_and_outputs_stay_notes_vets() {
    let v = vault("");
    let notes = v.path().join("notes");
    assert!(check(&notes).status.success());
    let manifest = notes.join("_vetted/.notes-vet-manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // Truncated in the middle of its second half, as a full disk leaves it.
    let cut = text.find("\"notes\"").unwrap() + 10;
    std::fs::write(&manifest, &text[..cut]).unwrap();
    std::fs::write(notes.join("a.md"), NOTE.replace("Acme", "Acme Renamed")).unwrap();
    let out = check(&notes);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("the manifest is damaged"), "{stdout}");
    let aside = std::fs::read_dir(notes.join("_vetted"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("damaged"));
    assert!(aside, "the damaged manifest is kept");
    // The summary's record was recovered: it is updated, not "foreign".
    let summary = std::fs::read_to_string(notes.join("_vetted/summaries/a.md")).unwrap();
    assert!(summary.contains("Acme Renamed"), "{summary}");
}

#[test]
fn a_template_that_recurses_or_loops_is_an_error_not_an_abort() {
    let v = vault("templates_dir = \"tpl\"\n");
    let notes = v.path().join("notes");
    std::fs::create_dir_all(notes.join("tpl")).unwrap();
    std::fs::write(
        notes.join("tpl/macros.md"),
        "{% macro boom(n) %}{{ self::boom(n=n) }}{% endmacro boom %}",
    )
    .unwrap();
    let out = check(&notes);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("recursion is not allowed"));
    std::fs::remove_file(notes.join("tpl/macros.md")).unwrap();
    std::fs::write(
        notes.join("tpl/summary.md"),
        "{% for a in range(end=100000000) %}{% for b in range(end=100000000) %}x{% endfor %}{% endfor %}",
    )
    .unwrap();
    let started = Instant::now();
    let out = check(&notes);
    assert!(started.elapsed() < Duration::from_secs(30));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("templates may loop over at most"), "{text}");
}

#[test]
fn control_sequences_in_a_note_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "---\nclient: \"Evil\\e]52;c;aGVsbG8=\\a\\e[2J\\e]0;owned\\a\"\nstatus: prospect\nguarantee_requested: true\n---\n";
    std::fs::write(dir.path().join("e.md"), evil).unwrap();
    let out = bin()
        .args(["check", "--no-write", "--color", "always", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\\x1b]52"), "{text}");
    for bad in ["\u{1b}]52", "\u{1b}[2J", "\u{1b}]0;", "\u{7}"] {
        assert!(!text.contains(bad), "{bad:?} reached the terminal");
    }
}

#[test]
fn obsidian_markup_in_client_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let note =
        "---\nclient: \"%%hidden ==mark== $x$ https://evil.example\"\nstatus: prospect\n---\n";
    std::fs::write(dir.path().join("o.md"), note).unwrap();
    assert!(check(dir.path()).status.success());
    let summary = std::fs::read_to_string(dir.path().join("_vetted/summaries/o.md")).unwrap();
    assert!(
        summary.contains("\\%\\%hidden \\=\\=mark\\=\\= \\$x\\$ `https://evil.example`"),
        "{summary}"
    );
}

#[test]
fn temporary_files_a_killed_run_left_beside_notes_are_removed() {
    let v = vault("annotate = true\n");
    let notes = v.path().join("notes");
    let left = notes.join(".notes-vet-tmp-AbC123");
    let lookalike = notes.join(".notes-vet-tmp-important");
    std::fs::write(&lookalike, "mine").unwrap();
    std::fs::write(&left, "half").unwrap();
    assert!(check(&notes).status.success());
    assert!(!left.exists());
    assert!(
        lookalike.exists(),
        "only notes-vet's own temp names are removed"
    );
}

#[test]
fn a_lock_or_journal_planted_as_a_link_is_never_written_through() {
    let v = vault("");
    let notes = v.path().join("notes");
    let victim = v.path().join("victim.txt");
    std::fs::write(&victim, "VERY IMPORTANT DATA").unwrap();
    std::fs::create_dir_all(notes.join("_vetted")).unwrap();
    symlink(&victim, notes.join("_vetted/.notes-vet-lock")).unwrap();
    symlink(&victim, notes.join("_vetted/.notes-vet-journal")).unwrap();
    // A dangling link must not create its target either.
    let created = v.path().join("created-by-link");
    symlink(&created, notes.join("_vetted/index.md")).unwrap();
    let _ = check(&notes);
    bin().arg("clean").arg(&notes).output().unwrap();
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "VERY IMPORTANT DATA"
    );
    assert!(!created.exists());
}

#[test]
fn an_output_folder_shared_with_notes_never_costs_a_note() {
    // output_dir = "clients" and a forged manifest listing a note there.
    let v = vault("output_dir = \"clients\"\n");
    let notes = v.path().join("notes");
    std::fs::create_dir_all(notes.join("clients")).unwrap();
    let bob = "---\nclient: Bob\n---\n";
    std::fs::write(notes.join("clients/bob.md"), bob).unwrap();
    let hash = notes_vet::write::hash(bob.as_bytes());
    std::fs::write(
        notes.join("clients/.notes-vet-manifest.json"),
        format!("{{\"version\":2,\"files\":{{\"bob.md\":{{\"hashes\":[\"{hash}\"]}}}}}}"),
    )
    .unwrap();
    let _ = check(&notes);
    assert_eq!(
        std::fs::read_to_string(notes.join("clients/bob.md")).unwrap(),
        bob
    );
}

#[test]
fn templates_and_plugins_come_only_from_inside_the_notes_folder() {
    let v = vault("");
    let notes = v.path().join("notes");
    let outside = v.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("index.md"), "SECRET-TOKEN-123").unwrap();
    for config in [
        "templates_dir = \"../outside\"\n".to_string(),
        format!("templates_dir = \"{}\"\n", outside.display()),
        "templates_dir = \"tpl\"\n".to_string(),
        "[plugins]\ndirs = [\"../outside\"]\n".to_string(),
    ] {
        let _ = std::fs::remove_file(notes.join("tpl"));
        symlink(&outside, notes.join("tpl")).unwrap();
        std::fs::write(notes.join("notes-vet.toml"), &config).unwrap();
        let out = check(&notes);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert!(!all_text(&notes).contains("SECRET-TOKEN-123"), "{config}");
    }
    // A hard link inside the folder to a file elsewhere.
    std::fs::remove_file(notes.join("tpl")).unwrap();
    std::fs::create_dir_all(notes.join("tpl")).unwrap();
    if std::fs::hard_link(outside.join("index.md"), notes.join("tpl/index.md")).is_ok() {
        std::fs::write(notes.join("notes-vet.toml"), "templates_dir = \"tpl\"\n").unwrap();
        let out = check(&notes);
        assert_eq!(out.status.code(), Some(2));
        assert!(!all_text(&notes.join("_vetted")).contains("SECRET-TOKEN-123"));
    }
}

#[test]
fn a_template_that_includes_itself_or_hides_its_recursion_is_refused() {
    for (file, text) in [
        ("index.md", "x{% include \"index.md\" %}"),
        (
            "macros.md",
            "{% macro\tboom(n) %}{{ self::boom(n=n) }}{% endmacro %}",
        ),
        (
            "macros.md",
            "{%- macro  boom(n) -%}{{ m::boom(n=n) }}{%- endmacro boom -%}",
        ),
        ("summary.md", "{# {{ #}{% include \"summary.md\" %}"),
        (
            "summary.md",
            "{% raw %}{{{% endraw %}{% include \"summary.md\" %}",
        ),
        ("summary.md", "{% include [\"x.md\",\"summary.md\"] %}"),
        (
            "macros.md",
            "{% macro boom(n) %}{{ self:: boom(n=n) }}{% endmacro boom %}",
        ),
    ] {
        let v = vault("templates_dir = \"tpl\"\n");
        let notes = v.path().join("notes");
        std::fs::create_dir_all(notes.join("tpl")).unwrap();
        std::fs::write(notes.join("tpl").join(file), text).unwrap();
        let out = check(&notes);
        assert_eq!(out.status.code(), Some(2), "{text}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("recursion is not allowed"),
            "{text}"
        );
    }
}

#[test]
fn plugin_outputs_and_c_loops_stay_within_bounds() {
    let v = vault("[plugins]\ndirs = [\"plugins\"]\n");
    let notes = v.path().join("notes");
    std::fs::create_dir_all(notes.join("plugins")).unwrap();
    std::fs::write(
        notes.join("plugins/big.lua"),
        "return {\n { code = 'FLD001', name = 'field', check = function()\n  local f = string.rep('f', 1000000)\n  return { { message = 'm', field = f } } end },\n { code = 'ERR001', name = 'err', check = function() error(string.rep('x', 2^21), 0) end },\n { code = 'MOV001', name = 'move', check = function() table.move({}, 1, 2^31 - 2, 2) end } }\n",
    )
    .unwrap();
    // Many headings in a note: building note.headings must stay linear.
    let mut note = String::from(NOTE);
    for i in 0..40_000 {
        note.push_str(&format!("# h{i}\n"));
    }
    std::fs::write(notes.join("a.md"), note).unwrap();
    let started = Instant::now();
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .arg(&notes)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = json["notes"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "NV002")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("`field` is longer")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("table.move of more than")),
        "{messages:?}"
    );
    assert!(messages.iter().all(|m| m.len() < 2200), "error text capped");
}

#[test]
fn bidirectional_overrides_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.md"),
        "---\nclient: \"abc\u{202e}fed\"\nstatus: prospect\nguarantee_requested: true\n---\n",
    )
    .unwrap();
    let out = bin()
        .args(["check", "--no-write", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("abc\\u{202e}fed"), "{text}");
    assert!(!text.contains('\u{202e}'));
}

#[test]
fn a_vault_reached_through_a_symlink_is_checked_like_the_real_one() {
    let v = vault("");
    let link = v.path().join("link");
    symlink(v.path().join("notes"), &link).unwrap();
    let out = check(&link);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(v.path().join("notes/_vetted/summaries/a.md").is_file());
}

#[test]
fn dot_dot_after_a_link_and_oversized_notes_are_refused() {
    let v = vault("");
    let notes = v.path().join("notes");
    let far = v.path().join("far/tpl");
    std::fs::create_dir_all(&far).unwrap();
    std::fs::write(far.join("index.md"), "SECRET-FAR").unwrap();
    std::fs::create_dir_all(v.path().join("far/a")).unwrap();
    symlink(v.path().join("far/a"), notes.join("lnk")).unwrap();
    for config in [
        "templates_dir = \"lnk/../tpl\"\n",
        "[plugins]\ndirs = [\"lnk/../tpl\"]\n",
        "output_dir = \"lnk/../out\"\n",
    ] {
        std::fs::write(notes.join("notes-vet.toml"), config).unwrap();
        let out = check(&notes);
        assert_eq!(out.status.code(), Some(2), "{config}");
        assert!(!all_text(&notes).contains("SECRET-FAR"));
    }
    std::fs::write(notes.join("notes-vet.toml"), "").unwrap();
    let big = std::fs::File::create(notes.join("big.md")).unwrap();
    big.set_len(64 << 20).unwrap();
    let out = check(&notes);
    assert!(String::from_utf8_lossy(&out.stdout).contains("larger than"));
}

#[test]
fn errors_quoting_a_config_never_carry_control_sequences() {
    let v = vault("bogus = \"\u{1b}]0;PWNED\u{7}\u{202e}\"\n");
    let out = bin()
        .args(["check", "--color", "always", "--today", TODAY])
        .arg(v.path().join("notes"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("\u{1b}]0;") && !err.contains('\u{7}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
}
