//! A real Obsidian vault: notes that link to a client, template folders
//! and template placeholders, and a folder with no client notes.

mod common;

use common::{TODAY, bin};
use std::path::Path;

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn json(dir: &Path) -> serde_json::Value {
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .arg(dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_note_linking_to_its_client_is_counted_as_linked_not_vetted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Clients/Acme Corp.md",
        "---\nclient: Acme Corp\nstatus: active\nexpectations_set: 2026-01-01\n---\n",
    );
    // Quoted wikilink, wikilink with alias, unquoted (YAML reads a list in
    // a list), a markdown link, and a list of wikilinks.
    write(d, "Meetings/m1.md", "---\nclient: \"[[Acme Corp]]\"\n---\n");
    write(
        d,
        "Meetings/m2.md",
        "---\nclient: \"[[Acme Corp|Acme]]\"\n---\n",
    );
    write(d, "Meetings/m3.md", "---\nclient: [[Acme Corp]]\n---\n");
    write(
        d,
        "Meetings/m4.md",
        "---\nclient: \"[Acme](../Clients/Acme%20Corp.md)\"\n---\n",
    );
    write(
        d,
        "Meetings/m5.md",
        "---\nclient:\n  - \"[[Acme Corp]]\"\n---\n",
    );
    // A name in brackets that is not a link is still a client.
    write(
        d,
        "Clients/b.md",
        "---\nclient: \"[Beta] Studio\"\nstatus: prospect\n---\n",
    );
    let v = json(d);
    assert_eq!(v["linked"], 5, "{v:#}");
    let clients: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["client"].as_str().unwrap())
        .collect();
    assert_eq!(clients, ["Acme Corp", "[Beta] Studio"]);
    let out = bin()
        .args(["check", "--no-write", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("5 notes linking to a client"), "{text}");
}

#[test]
fn template_folders_and_placeholders_are_not_vetted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".obsidian/templates.json",
        r#"{"folder":"Meta/Templates"}"#,
    );
    write(
        d,
        ".obsidian/plugins/templater-obsidian/data.json",
        r#"{"templates_folder":"Tpl"}"#,
    );
    // Broken as YAML and full of placeholders: in template folders.
    write(
        d,
        "Meta/Templates/client.md",
        "---\nclient: {{title}}\nsince: {{date}}\n---\n",
    );
    write(
        d,
        "Tpl/client.md",
        "---\nclient: <% tp.file.title %>\nsince: <% tp.date.now() %>\n---\n",
    );
    // Placeholders outside the template folders: skipped as templates,
    // whether they parse or not.
    write(
        d,
        "Drafts/new.md",
        "---\nclient: \"{{title}}\"\nstatus: prospect\n---\n",
    );
    write(
        d,
        "Drafts/broken.md",
        "---\nclient: {{title}}\nsince: {{date}}\n---\n",
    );
    write(d, "Clients/a.md", "---\nclient: A\nstatus: prospect\n---\n");
    let out = bin()
        .args(["check", "--no-write", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Vetted 1 client note (2 skipped, 2 of them templates)"),
        "{text}"
    );
    // `init` writes the template folders into `exclude`.
    let fresh = tempfile::tempdir().unwrap();
    write(
        fresh.path(),
        ".obsidian/templates.json",
        r#"{"folder":"Templates"}"#,
    );
    bin().args(["init"]).arg(fresh.path()).assert().success();
    let toml = std::fs::read_to_string(fresh.path().join("notes-vet.toml")).unwrap();
    assert!(
        toml.contains(r#"exclude = ["drafts/**", "Templates/**"]"#),
        "{toml}"
    );
}

#[test]
fn a_folder_without_client_notes_gets_no_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "README.md", "# my vault\n");
    write(
        d,
        "daily/2026-11-23.md",
        "---\ntags: [daily]\n---\nToday.\n",
    );
    let out = bin()
        .args(["check", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "No client notes found under {} (2 markdown files skipped); nothing was written.",
            d.display()
        )),
        "{text}"
    );
    assert!(!d.join("_vetted").exists());
    // An empty folder too, and in Turkish.
    let empty = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["check", "--today", TODAY, "--lang", "tr"])
        .arg(empty.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("müşteri notu bulunamadı (0 markdown dosyası atlandı)"),
        "{text}"
    );
    assert!(!empty.path().join("_vetted").exists());
    // Once there were client notes, their outputs go when the notes go.
    write(d, "a.md", "---\nclient: A\nstatus: prospect\n---\n");
    bin()
        .args(["check", "--today", TODAY])
        .arg(d)
        .assert()
        .success();
    assert!(d.join("_vetted/summaries/a.md").exists());
    std::fs::remove_file(d.join("a.md")).unwrap();
    bin()
        .args(["check", "--today", TODAY])
        .arg(d)
        .assert()
        .success();
    assert!(!d.join("_vetted/summaries/a.md").exists());
}

#[test]
fn check_paths_inside_a_root_keep_its_one_output_folder() {
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
    // A subfolder: the root's output folder stays the only one, and the
    // vault's own annotation blocks are its own.
    let out = bin()
        .args(["check", "--today", TODAY])
        .arg(d.join("prospects"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!d.join("prospects/_vetted").exists());
    assert!(
        !text.contains("clients/"),
        "only the path given is reported: {text}"
    );
    assert!(text.contains("prospects/bright-horizons.md"), "{text}");
    assert!(!text.contains("kept"), "no block is foreign: {text}");
    assert!(
        text.contains("Vetted 3 client notes (0 skipped): 1 caution, 2 decline"),
        "{text}"
    );
    // prospects/ holds no error-severity finding; clients/ does.
    assert_eq!(out.status.code(), Some(0), "{text}");
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d.join("clients"))
        .assert()
        .code(1);
    // The dashboard still lists every client of the root.
    let index = std::fs::read_to_string(d.join("_vetted/index.md")).unwrap();
    assert!(
        index.contains("Kaya Mimarlık") && index.contains("Bright Horizons"),
        "{index}"
    );
    // `--no-write FILE...`: just those notes (a pre-commit hook's run).
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .arg(d.join("prospects/bright-horizons.md"))
        .arg(d.join("clients/acme-corp.md"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["prospects/bright-horizons.md", "clients/acme-corp.md"]
    );
    assert_eq!(out.status.code(), Some(0));
    // A path outside the root: exit 2, naming both.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["check", "--no-write"])
        .arg(d.join("clients"))
        .arg(elsewhere.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is outside the notes root"), "{err}");
    // The hook pre-commit users add by URL.
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    assert!(hooks.contains("entry: notes-vet check --no-write") && hooks.contains("id: notes-vet"));
}

#[test]
fn files_named_alone_follow_the_folders_skip_rules() {
    let ex = common::example();
    let d = ex.path();
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d)
        .assert()
        .code(1);
    // A pre-commit hook names every staged file: outputs, hidden folders
    // and non-notes among them. None is vetted; the client note is.
    write(
        d,
        ".trash/old.md",
        "---\nclient: Old\nstatus: active\n---\n",
    );
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .arg(d.join("_vetted/index.md"))
        .arg(d.join(".trash/old.md"))
        .arg(d.join("notes-vet.toml"))
        .arg(d.join("clients/acme-corp.md"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["clients/acme-corp.md"], "{v}");
    assert_eq!(v["skipped"], 3, "{v}");
}

#[test]
fn links_and_the_base_are_vault_paths() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join(".obsidian")).unwrap();
    std::fs::create_dir_all(d.join("Work/Clients")).unwrap();
    std::fs::write(d.join("Work/Clients/notes-vet.toml"), "").unwrap();
    write(
        d,
        "Work/Clients/Acme.md",
        "---\nclient: Acme\nstatus: active\n---\n",
    );
    // `#` and `|` mean a heading and an alias inside [[...]].
    write(
        d,
        "Work/Clients/Beta #2 | Co.md",
        "---\nclient: Beta\nstatus: active\n---\n",
    );
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d.join("Work/Clients"))
        .assert()
        .success();
    let out = d.join("Work/Clients/_vetted");
    let base = std::fs::read_to_string(out.join("clients.base")).unwrap();
    assert!(
        base.contains(r#"file.inFolder(\"Work/Clients/_vetted/summaries\")"#),
        "{base}"
    );
    let acme = std::fs::read_to_string(out.join("summaries/Acme.md")).unwrap();
    assert!(acme.contains("note: \"[[Work/Clients/Acme]]\""), "{acme}");
    let beta = std::fs::read_to_string(out.join("summaries/Beta #2 | Co.md")).unwrap();
    assert!(
        beta.contains("note: \"Work/Clients/Beta #2 | Co.md\""),
        "{beta}"
    );
}

#[test]
fn config_given_from_a_subfolder_keeps_the_roots_outputs() {
    let ex = common::example();
    let d = ex.path();
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d)
        .assert()
        .code(1);
    let prospect = d.join("_vetted/summaries/prospects/bright-horizons.md");
    assert!(prospect.is_file());
    // From `clients/`, with the root's config named: the root is the
    // config's folder, so the other notes' files stay.
    let out = bin()
        .current_dir(d.join("clients"))
        .args([
            "check",
            "--today",
            TODAY,
            "--config",
            "../notes-vet.toml",
            ".",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(prospect.is_file(), "{text}");
    assert!(
        text.contains("clients/acme-corp.md") && !text.contains("prospects/"),
        "{text}"
    );
}
