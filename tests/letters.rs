//! Letters a user can send as they are: nothing private in them, written
//! to their addressee, each reason once; the sent-key lifecycle; the
//! dashboard as a view; a fresh draft beside an edited letter; and output
//! paths that never collide.

mod common;

use common::bin;
use std::path::Path;

const TODAY: &str = "2026-11-23";

fn check(dir: &Path) -> assert_cmd::assert::Assert {
    bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(dir)
        .assert()
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

fn letter(dir: &Path, stem: &str, kind: &str) -> String {
    read(&dir.join(format!("_vetted/letters/{stem}-{kind}.md")))
}

/// A fired client whose note is full of the user's private words.
const PRIVATE: &str = "---
client: Kaya Ltd
contact: Deniz Kaya
status: active
since: 2026-01-10
expectations_set: 2026-01-12
hardship: \"SECRET-HARDSHIP divorce and debts\"
incidents:
  - {date: 2026-11-02, what: \"SECRET-INCIDENT screamed at my assistant\"}
contacts:
  - {at: \"2026-11-20T23:05\", channel: message, tone: aggressive, note: \"SECRET-REMARK all caps at night\"}
  - {at: \"2026-11-21T22:10\", channel: phone, tone: rude, note: \"SECRET-REMARK-2 threatened a review\"}
obligations:
  - {what: \"final logo files\", due: 2026-12-05, done: false}
invoices:
  - {id: K-09, amount: 1900, issued: 2026-09-01, due: 2026-10-01, paid: false}
rate: {quoted: 100, currency: EUR}
---
# Kaya Ltd

SECRET-BODY my private thoughts.
";

#[test]
fn a_letter_holds_nothing_the_user_wrote_for_themselves() {
    for extra in [
        "",
        "[letters]\nexplain_reason = true\n",
        "[letters]\ninclude_contact_log = true\n",
    ] {
        let dir = folder(&[("kaya.md", PRIVATE), ("notes-vet.toml", extra)]);
        check(dir.path()).code(1);
        let text = letter(dir.path(), "kaya", "rejection");
        assert!(text.contains("Dear Deniz,"), "{text}");
        for private in [
            "SECRET",
            "aggressive",
            "rude",
            "score",
            "NV105",
            "NV204",
            "divorce",
        ] {
            assert!(
                !text.contains(private),
                "{private:?} leaked with {extra:?}:\n{text}"
            );
        }
        // What a fired client must hear: open work, open invoices, the end.
        assert!(
            text.contains("final logo files, by 5 December 2026"),
            "{text}"
        );
        assert!(
            text.contains("invoice K-09 for 1,900 EUR, due 1 October 2026"),
            "{text}"
        );
        assert!(text.contains("our engagement ends"), "{text}");
        assert!(text.contains("This invoice is past its due date"), "{text}");
        let log = extra.contains("include_contact_log");
        assert_eq!(text.contains("| Date | Time | Channel |"), log, "{text}");
        if log {
            assert!(
                text.contains("| 20 November 2026 | 23:05 | message |"),
                "{text}"
            );
        }
    }
}

#[test]
fn a_sent_letter_is_recorded_in_the_note_and_its_file_stays() {
    let note = "---\nclient: Nord\nstatus: prospect\nsince: 2026-11-01\nguarantee_requested: true\ndiscount_requests: 3\nfree_trial_requested: true\nbarter_offered: true\n---\n";
    let dir = folder(&[("nord.md", note)]);
    check(dir.path()).code(0);
    let path = dir.path().join("_vetted/letters/nord-rejection.md");
    let drafted = read(&path);
    assert!(drafted.contains("not to take on this project"));
    let index = read(&dir.path().join("_vetted/index.md"));
    assert!(index.contains("rejection letter for Nord"));
    assert!(
        index.contains("record `rejection_sent: 2026-11-23`"),
        "{index}"
    );
    assert!(!index.contains("- [ ]"), "the dashboard has no checkboxes");
    // Sent: recorded in the note.
    std::fs::write(
        dir.path().join("nord.md"),
        note.replace("---\n#", "").replace(
            "free_trial_requested: true\n",
            "free_trial_requested: true\nrejection_sent: 2026-11-23\n",
        ),
    )
    .unwrap();
    check(dir.path()).code(0);
    assert_eq!(read(&path), drafted, "the sent letter stays as the record");
    let index = read(&dir.path().join("_vetted/index.md"));
    assert!(
        !index.contains("rejection letter for Nord"),
        "no longer waiting:\n{index}"
    );
    let json = common::check_json(dir.path());
    assert!(
        json["notes"][0]["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "_vetted/letters/nord-rejection.md")
    );
    // The sent letter deleted: no longer among the note's files, and not
    // made again (it is not due).
    std::fs::remove_file(&path).unwrap();
    let json = common::check_json(dir.path());
    assert_eq!(
        json["notes"][0]["outputs"],
        serde_json::json!(["_vetted/summaries/nord.md"])
    );
    assert!(!path.exists());
    // A lost client whose survey was requested gets none.
    let lost = "---\nclient: Gone\nstatus: lost\nlost: {date: 2026-10-01, reason: budget, feedback_requested: 2026-10-02}\n---\n";
    let dir = folder(&[("gone.md", lost)]);
    check(dir.path()).code(0);
    assert!(!dir.path().join("_vetted/letters/gone-feedback.md").exists());
    let dir = folder(&[("gone.md", &lost.replace("2026-10-02", "false"))]);
    check(dir.path()).code(0);
    let survey = letter(dir.path(), "gone", "feedback");
    assert!(survey.contains("Dear Gone,"));
    // The opening does not say the same thing twice.
    assert!(!survey.contains("no longer working together"), "{survey}");
}

#[test]
fn an_edited_dashboard_is_saved_aside_and_written_afresh() {
    let dir = folder(&[(
        "a.md",
        "---\nclient: A\nstatus: prospect\nsince: 2026-11-01\n---\n",
    )]);
    check(dir.path()).code(0);
    let index = dir.path().join("_vetted/index.md");
    let mine = format!("{}\n- [x] called them\n", read(&index));
    std::fs::write(&index, &mine).unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A renamed\nstatus: prospect\nsince: 2026-11-01\n---\n",
    )
    .unwrap();
    let out = bin()
        .args(["check", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("index.edited.md"), "{stdout}");
    assert_eq!(read(&dir.path().join("_vetted/index.edited.md")), mine);
    assert!(
        read(&index).contains("A renamed"),
        "the dashboard is current"
    );
    // Edited again: a second copy, never an overwrite.
    std::fs::write(&index, "mine again").unwrap();
    check(dir.path()).code(0);
    assert_eq!(
        read(&dir.path().join("_vetted/index.edited-2.md")),
        "mine again"
    );
    assert_eq!(read(&dir.path().join("_vetted/index.edited.md")), mine);
}

#[test]
fn an_edited_letter_gets_a_fresh_draft_beside_it_while_they_differ() {
    let note = |extra: &str| {
        format!(
            "---\nclient: Oak\nstatus: active\nsince: 2026-01-01\nincidents:\n  - {{date: 2026-11-02, what: x}}\n{extra}---\n"
        )
    };
    let dir = folder(&[("oak.md", &note(""))]);
    check(dir.path()).code(1);
    let path = dir.path().join("_vetted/letters/oak-rejection.md");
    let draft = dir.path().join("_vetted/letters/oak-rejection.draft.md");
    std::fs::write(&path, "Dear Oak, my own words.\n").unwrap();
    // The note changes: a new obligation would change the letter.
    std::fs::write(
        dir.path().join("oak.md"),
        note("obligations:\n  - {what: \"the last report\", due: 2026-12-01}\n"),
    )
    .unwrap();
    let json = common::check_json(dir.path());
    assert_eq!(
        read(&path),
        "Dear Oak, my own words.\n",
        "the user's letter is kept"
    );
    assert!(read(&draft).contains("the last report, by 1 December 2026"));
    let kept = json["kept"].as_array().unwrap();
    let k = kept
        .iter()
        .find(|k| k["path"] == "_vetted/letters/oak-rejection.md")
        .expect("reported as kept");
    assert_eq!(k["draft"], "_vetted/letters/oak-rejection.draft.md");
    assert!(
        k["reason"]
            .as_str()
            .unwrap()
            .contains("a newer draft is at")
    );
    assert!(read(&dir.path().join("_vetted/index.md")).contains("oak-rejection.draft.md"));
    // Back to what notes-vet first wrote: the draft no longer differs and goes.
    std::fs::write(dir.path().join("oak.md"), note("")).unwrap();
    check(dir.path()).code(1);
    assert!(!draft.exists());
    assert_eq!(read(&path), "Dear Oak, my own words.\n");
}

#[test]
fn notes_whose_outputs_would_collide_are_refused() {
    let note =
        |name: &str| format!("---\nclient: {name}\nstatus: prospect\nsince: 2026-11-01\n---\n");
    let dir = folder(&[
        ("clients/acme.md", &note("First")),
        ("clients/acme.markdown", &note("Second")),
        ("clients/Acme.md", &note("Third")),
    ]);
    let json = common::check_json(dir.path());
    let errors = json["errors"].as_array().unwrap();
    let paths: Vec<&str> = errors.iter().map(|e| e["path"].as_str().unwrap()).collect();
    // Path order: clients/Acme.md < clients/acme.markdown < clients/acme.md.
    assert_eq!(paths, vec!["clients/acme.markdown", "clients/acme.md"]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("clients/Acme.md")
    );
    let summary = read(&dir.path().join("_vetted/summaries/clients/Acme.md"));
    assert!(summary.contains("Third"), "the first keeps its outputs");
    assert!(
        !dir.path()
            .join("_vetted/summaries/clients/acme.md")
            .exists()
    );
}

/// Every letter kind, for every status and each rule that changes the
/// wording, says only what is true for its addressee.
#[test]
fn every_sentence_is_true_for_its_addressee() {
    let statuses = ["prospect", "active", "paused", "ended", "lost"];
    let extras = [
        ("plain", ""),
        (
            "guarantee",
            "guarantee_requested: true\ndiscount_requests: 3\nfree_trial_requested: true\nbarter_offered: true\n",
        ),
        (
            "third-party",
            "applicant: parent\ncontact: Ahmet Aksoy\nguarantee_requested: true\ndiscount_requests: 3\nfree_trial_requested: true\nbarter_offered: true\n",
        ),
        ("incident", "incidents:\n  - {date: 2026-11-02, what: x}\n"),
        (
            "hardship",
            "hardship: ill\nincidents: []\ndiscount_requests: 3\nfree_trial_requested: true\nguarantee_requested: true\nbarter_offered: true\n",
        ),
        (
            "owing",
            "incidents:\n  - {date: 2026-11-02, what: x}\nobligations:\n  - {what: report, due: 2026-12-01}\ninvoices:\n  - {id: I-1, amount: 50, due: 2026-10-01, paid: false}\n",
        ),
    ];
    for lang in ["en", "tr"] {
        for explain in [false, true] {
            let mut files: Vec<(String, String)> = vec![(
                "notes-vet.toml".into(),
                format!("[letters]\nlanguage = \"{lang}\"\nexplain_reason = {explain}\n"),
            )];
            for s in statuses {
                for (name, extra) in extras {
                    files.push((
                        format!("{s}-{name}.md"),
                        format!("---\nclient: Client {s} {name}\nstatus: {s}\nsince: 2026-11-10\n{extra}lost: {{date: 2026-11-01, reason: budget}}\n---\n"),
                    ));
                }
            }
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let dir = folder(&refs);
            let _ = bin()
                .args(["check", "-q", "--today", TODAY])
                .arg(dir.path())
                .output();
            let mut kinds = std::collections::BTreeSet::new();
            for entry in walkdir::WalkDir::new(dir.path().join("_vetted/letters"))
                .into_iter()
                .flatten()
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry.file_name().to_string_lossy().to_string();
                let text = read(entry.path());
                let ctx = format!("{lang} explain={explain} {name}:\n{text}");
                kinds.insert(name.rsplit('-').next().unwrap_or_default().to_string());
                // Every sentence appears once.
                let mut seen = std::collections::HashSet::new();
                for sentence in text
                    .split(['.', '\n'])
                    .map(str::trim)
                    .filter(|s| s.len() > 25)
                {
                    assert!(
                        seen.insert(sentence),
                        "repeated sentence {sentence:?} in {ctx}"
                    );
                }
                if name.contains("third-party")
                    && name.ends_with("rejection.md")
                    && name.starts_with("prospect")
                {
                    // To the parent who applied, about the client.
                    let greet = if lang == "en" {
                        "Dear Ahmet,"
                    } else {
                        "Sayın Ahmet Aksoy,"
                    };
                    assert!(text.contains(greet), "{ctx}");
                    assert!(text.contains("Client prospect third-party"), "{ctx}");
                    assert!(
                        !text.contains("on behalf of someone you care about"),
                        "{ctx}"
                    );
                }
                if name.starts_with("prospect") {
                    for never in [
                        "worked together",
                        "engagement ends",
                        "birlikte çalıştığımız",
                        "sona erecek",
                    ] {
                        assert!(
                            !text.contains(never),
                            "a prospect never worked with us: {ctx}"
                        );
                    }
                }
                if name.ends_with("rejection.md") && !name.starts_with("prospect") {
                    for never in [
                        "Your enquiry",
                        "Talebiniz",
                        "take on this project",
                        "üstlenmeme",
                    ] {
                        assert!(!text.contains(never), "a client is not an enquiry: {ctx}");
                    }
                }
                if name.starts_with("lost") && name.ends_with("feedback.md") {
                    assert!(!text.contains("[your name]") || lang == "en", "{ctx}");
                }
                for private in ["score", "NV1", "NV2", "NV3", "NV4", "ill\n"] {
                    assert!(!text.contains(private), "{private:?} in {ctx}");
                }
            }
            assert_eq!(
                kinds.into_iter().collect::<Vec<_>>(),
                ["expectations.md", "feedback.md", "rejection.md"],
                "every kind of letter was looked at"
            );
        }
    }
}

/// Every letter kind in both languages, for the cases that change them: a
/// contact name, a third-party application, unpaid invoices, and the
/// contact log turned on and off.
#[test]
fn letters_snapshot() {
    let notes = [
        ("clients/kaya.md", PRIVATE.to_string()),
        (
            "prospects/selin.md",
            "---\nclient: Selin Aksoy\ncontact: Ahmet Aksoy\nstatus: prospect\nsince: 2026-11-18\napplicant: parent\nguarantee_requested: true\nbarter_offered: true\ndiscount_requests: 2\n---\n".to_string(),
        ),
        (
            "lost/harbor.md",
            "---\nclient: Harbor Fitness\ncontact: Jane Doe\nstatus: lost\ntopic: copywriting\nlost: {date: 2026-10-20, reason: budget, feedback_requested: false}\n---\n".to_string(),
        ),
        (
            "clients/oak.md",
            "---\nclient: Oak & Ivy\nstatus: active\nsince: 2026-10-01\ntopic: branding\n---\n".to_string(),
        ),
    ];
    for lang in ["en", "tr"] {
        for log in [false, true] {
            let mut files: Vec<(&str, String)> =
                notes.iter().map(|(a, b)| (*a, b.clone())).collect();
            files.push((
                "notes-vet.toml",
                format!(
                    "[letters]\nlanguage = \"{lang}\"\nsender = \"Ayşe Yılmaz\"\nexplain_reason = true\ninclude_contact_log = {log}\nreferrals = [\"Deniz Kaya, pricing coach\"]\n"
                ),
            ));
            let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
            let dir = folder(&refs);
            let _ = bin()
                .args(["check", "-q", "--today", TODAY])
                .arg(dir.path())
                .output();
            let mut all = String::new();
            let mut paths: Vec<_> = walkdir::WalkDir::new(dir.path().join("_vetted/letters"))
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
                .map(|e| e.path().to_path_buf())
                .collect();
            paths.sort();
            for p in paths {
                let rel = notes_vet::scan::relative(&dir.path().join("_vetted"), &p);
                all.push_str(&format!("==> {rel} <==\n{}\n", read(&p)));
            }
            let name = format!("letters_{lang}_{}", if log { "with_log" } else { "no_log" });
            insta::assert_snapshot!(name, all);
        }
    }
}

#[test]
fn a_draft_that_returns_to_an_earlier_text_is_still_written() {
    let base = "---\nclient: Z\nstatus: active\nsince: 2026-01-01\nexpectations_set: 2026-01-02\nincidents:\n  - {date: 2026-11-02, what: x}\n";
    let with = format!("{base}obligations:\n  - {{what: \"logo files\", due: 2026-12-05}}\n---\n");
    let without = format!("{base}---\n");
    let dir = folder(&[("z.md", &with)]);
    check(dir.path()).code(1);
    std::fs::write(dir.path().join("z.md"), &without).unwrap();
    check(dir.path()).code(1);
    let letter = dir.path().join("_vetted/letters/z-rejection.md");
    std::fs::write(&letter, "my words").unwrap();
    std::fs::write(dir.path().join("z.md"), &with).unwrap();
    check(dir.path()).code(1);
    let draft = read(&dir.path().join("_vetted/letters/z-rejection.draft.md"));
    assert!(
        draft.contains("logo files"),
        "the newer draft is written: {draft:?}"
    );
}

#[test]
fn a_letter_drafted_after_the_recorded_date_was_not_the_one_sent() {
    // expectations_set removed for a moment (a letter is drafted), then put
    // back with its old date: that draft was never sent, so it goes.
    let with =
        "---\nclient: A\nstatus: active\nsince: 2026-09-15\nexpectations_set: 2026-09-16\n---\n";
    let without = "---\nclient: A\nstatus: active\nsince: 2026-09-15\n---\n";
    let dir = folder(&[("a.md", without)]);
    check(dir.path()).code(0);
    let letter = dir.path().join("_vetted/letters/a-expectations.md");
    assert!(letter.is_file());
    std::fs::write(dir.path().join("a.md"), with).unwrap();
    check(dir.path()).code(0);
    assert!(
        !letter.exists(),
        "a draft made after 2026-09-16 was not the letter sent"
    );
}
