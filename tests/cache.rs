//! The parse cache (`_vetted/.cache/notes.bin`): the same reports as
//! without it after every kind of change, never trusted when damaged, and
//! really used when a note is unchanged.

mod common;

use common::{TODAY, bin};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Sets every note's modification time `ago` in the past (notes written
/// within the cache's racy window are not cached).
fn age(dir: &Path, ago: Duration) {
    let when = SystemTime::now() - ago;
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = e.path();
        if e.file_type().is_file()
            && p.extension().is_some_and(|x| x == "md")
            && !p.components().any(|c| c.as_os_str() == "_vetted")
        {
            set_mtime(p, when);
        }
    }
}

/// Waits out the cache's racy window (2 s): a file changed (its change
/// time included, which `age` moves too) less than that before a run is
/// not cached.
fn settle() {
    std::thread::sleep(Duration::from_millis(2100));
}

fn set_mtime(p: &Path, when: SystemTime) {
    let f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
    f.set_modified(when).unwrap();
}

fn json(dir: &Path, extra: &[&str]) -> (String, String) {
    let out = bin()
        .args(["check", "--no-write", "--format", "json", "--today", TODAY])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write_run(dir: &Path) {
    let out = bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(dir)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap_or(9) <= 1, "{:?}", out);
}

fn cache_file(dir: &Path) -> PathBuf {
    dir.join("_vetted/.cache/notes.bin")
}

/// The cached report equals the uncached one, byte for byte, with writes
/// (JSON) and without.
fn assert_same(dir: &Path, step: &str) {
    let (cached, err) = json(dir, &[]);
    let (fresh, _) = json(dir, &["--no-cache"]);
    assert!(!err.contains("warning"), "{step}: {err}");
    assert_eq!(cached, fresh, "{step}");
}

/// 2,000 notes from the shared generator (beside the repository in CI),
/// else copies of the example's notes.
fn generated(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let gen_script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_notes.py");
    let made = gen_script.is_file()
        && std::process::Command::new("python3")
            .arg(&gen_script)
            .arg(dir.path())
            .arg(n.to_string())
            .status()
            .is_ok_and(|s| s.success());
    if !made {
        common::example_copies(dir.path(), n, 20);
    }
    dir
}

#[test]
fn the_cache_gives_the_same_reports_after_every_change() {
    for (name, dir) in [
        ("example", common::example()),
        ("generated", generated(2000)),
    ] {
        let d = dir.path();
        age(d, Duration::from_secs(3600));
        write_run(d);
        assert!(
            cache_file(d).is_file(),
            "{name}: a writing run leaves a cache"
        );
        assert_same(d, &format!("{name}: unchanged"));
        let notes = common::note_paths(d);
        // An edit, a rename, a deletion, a touch with no change.
        let edited = &notes[0];
        let text = std::fs::read_to_string(edited).unwrap();
        std::fs::write(
            edited,
            text.replacen("status: ", "status: lost\nold_status: ", 1),
        )
        .unwrap();
        std::fs::rename(&notes[1], notes[1].with_file_name("renamed-note.md")).unwrap();
        std::fs::remove_file(&notes[2]).unwrap();
        set_mtime(&notes[3], SystemTime::now());
        assert_same(d, &format!("{name}: edited, renamed, deleted, touched"));
        write_run(d);
        assert_same(d, &format!("{name}: after the next writing run"));
        // A config change (a rule off, a threshold) and a plugin added.
        std::fs::write(
            d.join("notes-vet.toml"),
            "[rules.NV201]\nseverity = \"off\"\n\n[verdict]\ncaution = 2\n\n[plugins]\ndirs = [\"plugins\"]\n",
        )
        .unwrap();
        std::fs::create_dir_all(d.join("plugins")).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins/gone-silent.lua"),
            d.join("plugins/gone-silent.lua"),
        )
        .unwrap();
        assert_same(d, &format!("{name}: config and plugin changed"));
        write_run(d);
        assert_same(d, &format!("{name}: after a writing run with the plugin"));
    }
}

/// How many notes a `--no-write` run took from the cache.
fn hits(dir: &Path) -> usize {
    settled(dir, &["--today", TODAY]).0
}

/// How many notes a `--no-write` run took from the cache, and how many of
/// them with their results (not vetted again).
fn settled(dir: &Path, extra: &[&str]) -> (usize, usize) {
    let (hits, with_results, _) = stats(dir, extra);
    (hits, with_results)
}

/// [`settled`], and how many notes were read again but had the text their
/// cached results were made from.
fn stats(dir: &Path, extra: &[&str]) -> (usize, usize, usize) {
    let numbers = stats_line(dir, extra, "cache: ");
    (numbers[0], numbers[1], numbers[2])
}

/// The numbers of the line starting with `prefix` that a `--no-write`
/// run says on stderr with `NOTES_VET_CACHE_STATS` set.
fn stats_line(dir: &Path, extra: &[&str], prefix: &str) -> Vec<usize> {
    let out = bin()
        .args(["check", "--no-write", "--format", "json"])
        .args(extra)
        .env("NOTES_VET_CACHE_STATS", "1")
        .arg(dir)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("{err}"));
    line.split(' ')
        .filter_map(|w| w.trim_end_matches(',').parse().ok())
        .collect()
}

/// A note's results are taken from the cache only by a run that would
/// vet it alike: the same day, config, messages and plugins. Any other
/// run vets the cached parse again and gives what `--no-cache` gives.
#[test]
fn results_come_from_the_cache_only_for_the_same_day_config_words_and_plugins() {
    let ex = common::example();
    let d = ex.path();
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let today = ["--today", TODAY];
    let (all, with_results) = settled(d, &today);
    assert!(all >= 12, "{all}");
    assert_eq!(with_results, all, "the writing run's results");
    // A human report and a JSON one share them: a JSON writing run after
    // the human one leaves the cache as it was.
    let before = std::fs::metadata(cache_file(d))
        .unwrap()
        .modified()
        .unwrap();
    let out = bin()
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap_or(9) <= 1, "{out:?}");
    let after = std::fs::metadata(cache_file(d))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "the cache was written again");
    // Another day: parses only, and the report of that day.
    let other_day = ["--today", "2027-03-01"];
    assert_eq!(settled(d, &other_day), (all, 0));
    let report = |extra: &[&str]| {
        bin()
            .args(["check", "--no-write", "--format", "json"])
            .args(other_day)
            .args(extra)
            .arg(d)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(report(&[]), report(&["--no-cache"]), "another day");
    let config = d.join("notes-vet.toml");
    for step in ["a threshold", "a message", "a plugin"] {
        let text = std::fs::read_to_string(&config).unwrap();
        let changed = match step {
            "a threshold" => text.replacen("caution = 1", "caution = 2", 1),
            "a message" => {
                std::fs::create_dir_all(d.join("words/en")).unwrap();
                std::fs::write(
                    d.join("words/en/messages.ftl"),
                    "nv101-flag = asks for a sure thing\n",
                )
                .unwrap();
                format!("templates_dir = \"words\"\n{text}")
            }
            _ => {
                std::fs::create_dir_all(d.join("plugins")).unwrap();
                std::fs::write(
                    d.join("plugins/every.lua"),
                    "return { code = \"EVR001\", name = \"every-note\", check = function(note, ctx)\nreturn { message = \"seen \" .. note.client }\nend }\n",
                )
                .unwrap();
                format!("{text}\n[plugins]\ndirs = [\"plugins\"]\n")
            }
        };
        assert_ne!(changed, text, "{step}");
        std::fs::write(&config, changed).unwrap();
        assert_eq!(
            settled(d, &today),
            (all, 0),
            "{step}: results of another config"
        );
        assert_same(d, step);
        write_run(d);
        assert_eq!(settled(d, &today), (all, all), "{step}: its own results");
        assert_same(d, &format!("{step}, from its own results"));
        let (report, _) = json(d, &[]);
        match step {
            "a message" => assert!(report.contains("asks for a sure thing"), "{report}"),
            "a plugin" => {
                assert!(report.contains("\"EVR001\""), "{report}");
                // The plugin's own text is part of the key.
                std::fs::write(
                    d.join("plugins/every.lua"),
                    "return { code = \"EVR001\", name = \"every-note\", check = function(note, ctx)\nreturn { message = \"met \" .. note.client }\nend }\n",
                )
                .unwrap();
                assert_eq!(settled(d, &today), (all, 0), "the plugin edited");
                assert_same(d, "the plugin edited");
                let (report, _) = json(d, &[]);
                assert!(
                    report.contains("met ") && !report.contains("seen "),
                    "{report}"
                );
            }
            _ => {}
        }
    }
}

/// Files made again from cached results are the files made from a fresh
/// vetting: a summary and a letter the user deleted come back as they
/// were, and with `annotate` the notes' blocks stay as they are.
#[test]
fn files_made_from_cached_results_are_the_same() {
    let ex = common::example();
    let d = ex.path();
    let config = d.join("notes-vet.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("annotate = true\n{text}")).unwrap();
    write_run(d);
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let (all, with_results) = settled(d, &["--today", TODAY]);
    assert_eq!(with_results, all);
    let note = d.join("clients/acme-corp.md");
    let annotated = std::fs::read_to_string(&note).unwrap();
    assert!(annotated.contains("notes-vet"), "{annotated}");
    let summary = d.join("_vetted/summaries/clients/acme-corp.md");
    let letter = d.join("_vetted/letters/clients/acme-corp-rejection.md");
    let (s, l) = (
        std::fs::read_to_string(&summary).unwrap(),
        std::fs::read_to_string(&letter).unwrap(),
    );
    std::fs::remove_file(&summary).unwrap();
    std::fs::remove_file(&letter).unwrap();
    write_run(d);
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), s);
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), l);
    assert_eq!(std::fs::read_to_string(&note).unwrap(), annotated);
    assert_eq!(settled(d, &["--today", TODAY]), (all, all));
    assert_same(d, "after files were made again from cached results");
}

/// Where the folder is named from does not change the results key: a
/// folder without a config given as `.` from inside it and by its full
/// path share the results (its output folder is `./_vetted` for one and
/// a full path for the other).
#[test]
fn results_are_shared_however_the_folder_is_named() {
    let ex = common::example();
    let d = ex.path();
    std::fs::remove_file(d.join("notes-vet.toml")).unwrap();
    age(d, Duration::from_secs(3600));
    settle();
    let out = bin()
        .args(["check", "-q", "--today", TODAY, "."])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap_or(9) <= 1, "{out:?}");
    let (all, with_results) = settled(d, &["--today", TODAY]);
    assert!(all >= 12, "{all}");
    assert_eq!(with_results, all);
}

/// A run in which a Lua rule ran out of its time budget leaves no results
/// in the cache: on a less busy machine the rule may finish.
#[test]
fn a_run_where_a_rule_ran_out_of_time_caches_no_results() {
    let ex = common::example();
    let d = ex.path();
    std::fs::create_dir_all(d.join("plugins")).unwrap();
    std::fs::write(
        d.join("plugins/spin.lua"),
        "return { code = \"SPN001\", name = \"spin\", check = function(note, ctx)\nif note.client == \"Bright Horizons Ltd\" then while true do end end\nend }\n",
    )
    .unwrap();
    std::fs::write(
        d.join("notes-vet.toml"),
        "[plugins]\ndirs = [\"plugins\"]\ntime_limit_ms = 50\n",
    )
    .unwrap();
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let (all, with_results) = settled(d, &["--today", TODAY]);
    assert!(all >= 12, "{all}");
    assert_eq!(with_results, 0, "results of a run with an overrun");
    // Without the overrun, the next writing run keeps its results.
    std::fs::write(
        d.join("plugins/spin.lua"),
        "return { code = \"SPN001\", name = \"spin\", check = function(note, ctx)\nreturn nil\nend }\n",
    )
    .unwrap();
    write_run(d);
    assert_eq!(settled(d, &["--today", TODAY]), (all, all));
}

#[test]
fn unchanged_notes_come_from_the_cache_and_changed_ones_never_do() {
    let ex = common::example();
    let d = ex.path();
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let all = hits(d);
    assert!(all >= 12, "{all}");
    // An edit: that note is read again.
    let note = d.join("prospects/bright-horizons.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replacen("Ltd", "Plc", 1)).unwrap();
    assert_eq!(hits(d), all - 1);
    assert_same(d, "after an edit");
    // `cp -p` of a note of the same size and time over another keeps size,
    // time and inode: the change time still tells.
    let (x, y) = (d.join("clients/x.md"), d.join("clients/y.md"));
    std::fs::write(&x, "---\nclient: X\nstatus: active\n---\n").unwrap();
    std::fs::write(&y, "---\nclient: Y\nstatus: paused\n---\n").unwrap();
    let when = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(&x, when);
    set_mtime(&y, when);
    settle();
    write_run(d);
    std::fs::write(&x, std::fs::read(&y).unwrap()).unwrap();
    set_mtime(&x, when);
    let (cached, _) = json(d, &[]);
    assert!(
        cached.contains("\"client\":\"Y\",\"status\":\"paused\"") && !cached.contains("\"X\""),
        "{cached}"
    );
    assert_same(d, "after cp -p");
    settle();
    write_run(d);
    // Git's racy rule: a note changed just before the cache was written is
    // not taken from it, whatever its identity says later.
    let racy = d.join("prospects/selin-aksoy.md");
    let text = std::fs::read_to_string(&racy).unwrap();
    std::fs::write(&racy, &text).unwrap();
    write_run(d);
    let before = hits(d);
    settle();
    assert_eq!(hits(d), before, "a --no-write run does not write the cache");
    write_run(d);
    assert_eq!(hits(d), before + 1, "old enough now: cached");
    // `clean` removes the cache, and what a killed writer left beside it.
    std::fs::write(d.join("_vetted/.cache/.notes-vet-cache-abc123"), "half").unwrap();
    bin().args(["clean"]).arg(d).assert().success();
    assert!(!d.join("_vetted/.cache").exists());
}

/// A note whose identity changed but whose text did not (touched, checked
/// out again, rewritten by a sync tool) is read, and its cached results
/// stand; one whose text changed is vetted again.
#[test]
fn a_note_touched_but_not_changed_keeps_its_cached_results() {
    let ex = common::example();
    let d = ex.path();
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let (all, _, _) = stats(d, &["--today", TODAY]);
    let touched = d.join("prospects/bright-horizons.md");
    set_mtime(&touched, SystemTime::now() - Duration::from_secs(60));
    assert_eq!(stats(d, &["--today", TODAY]), (all - 1, all - 1, 1));
    assert_same(d, "after a touch");
    // Another day: results of another key are not taken.
    assert_eq!(stats(d, &["--today", "2026-12-01"]).2, 0);
    let text = std::fs::read_to_string(&touched).unwrap();
    std::fs::write(&touched, text.replacen("Ltd", "Plc", 1)).unwrap();
    assert_eq!(
        stats(d, &["--today", TODAY]).2,
        0,
        "an edit is vetted again"
    );
    assert_same(d, "after an edit");
}

#[test]
fn a_damaged_cache_is_ignored_with_a_warning_and_rebuilt() {
    let ex = common::example();
    let d = ex.path();
    age(d, Duration::from_secs(3600));
    settle();
    write_run(d);
    let (good_report, _) = json(d, &["--no-cache"]);
    let good = std::fs::read(cache_file(d)).unwrap();
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        (
            "foreign",
            b"#!/bin/sh\necho this is not a cache at all, but it is long enough\n".to_vec(),
        ),
        ("empty", Vec::new()),
        ("flipped", {
            let mut b = good.clone();
            let end = b.len() - 30;
            b[end] ^= 0xff;
            b
        }),
    ] {
        std::fs::write(cache_file(d), &bytes).unwrap();
        let (report, err) = json(d, &[]);
        assert_eq!(report, good_report, "{what}");
        assert!(
            err.contains("warning: the parse cache")
                && err.contains("(a run that writes rebuilds the cache)"),
            "{what}: {err}"
        );
        // `--no-cache` neither reads nor writes it.
        let (_, err) = json(d, &["--no-cache"]);
        assert!(err.is_empty(), "{what}: {err}");
        assert_eq!(std::fs::read(cache_file(d)).unwrap(), bytes);
        // The next writing run rebuilds it.
        write_run(d);
        let (report, err) = json(d, &[]);
        assert_eq!(report, good_report, "{what}: rebuilt");
        assert!(err.is_empty(), "{what}: {err}");
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_said_so() {
    let ex = common::example();
    let d = ex.path();
    age(d, Duration::from_secs(3600));
    write_run(d);
    // `.cache` replaced by a file: nothing can be written there.
    std::fs::remove_dir_all(d.join("_vetted/.cache")).unwrap();
    std::fs::write(d.join("_vetted/.cache"), "not a folder").unwrap();
    let out = bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(d)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("could not be written"), "{err}");
    assert_eq!(out.status.code(), Some(1), "the run itself goes on: {err}");
}

/// How many folders a `--no-write` run listed, and how many it took from
/// the folder listing.
fn folders(dir: &Path) -> (usize, usize) {
    let numbers = stats_line(dir, &["--today", TODAY], "folders: ");
    (numbers[0], numbers[1])
}

/// The folder listing (`_vetted/.cache/folders.bin`): while every folder
/// is as it was, a run takes the notes from it instead of walking; a note
/// added, renamed or removed, or a folder made, is found by a walk, and
/// the report is the one made without the cache every time.
#[test]
fn the_folder_listing_is_used_only_while_every_folder_is_as_it_was() {
    let ex = common::example();
    let d = ex.path();
    let listing = d.join("_vetted/.cache/folders.bin");
    age(d, Duration::from_secs(3600));
    // The first run makes the output folder in the root: the root changed
    // just now, and a walk of a folder changed less than 2 s before it is
    // not kept. The next run keeps it.
    write_run(d);
    assert!(!listing.exists());
    settle();
    write_run(d);
    assert!(listing.is_file(), "a writing run keeps the listing");
    assert_eq!(folders(d).0, 0, "no folder listed");
    assert_same(d, "unchanged");
    let notes = common::note_paths(d);
    let deep = notes
        .iter()
        .find(|p| p.parent() != Some(d))
        .expect("a note in a subfolder");
    let text = std::fs::read_to_string(deep).unwrap();
    // An edit leaves the folder as it was.
    std::fs::write(
        deep,
        text.replacen("status: ", "status: lost\nold_status: ", 1),
    )
    .unwrap();
    assert_eq!(folders(d).0, 0, "no folder listed");
    assert_same(d, "edited");
    type Change<'a> = Box<dyn Fn() + 'a>;
    let steps: [(&str, Change); 4] = [
        (
            "a note added",
            Box::new(|| std::fs::write(deep.with_file_name("added-client.md"), &text).unwrap()),
        ),
        (
            "a note renamed",
            Box::new(|| {
                std::fs::rename(
                    deep.with_file_name("added-client.md"),
                    deep.with_file_name("renamed-client.md"),
                )
                .unwrap()
            }),
        ),
        (
            "a note removed",
            Box::new(|| std::fs::remove_file(deep.with_file_name("renamed-client.md")).unwrap()),
        ),
        (
            "a folder made",
            Box::new(|| {
                let new = d.join("new-folder");
                std::fs::create_dir(&new).unwrap();
                std::fs::write(new.join("new-client.md"), &text).unwrap();
            }),
        ),
    ];
    for (step, change) in steps {
        change();
        assert!(folders(d).0 > 0, "{step}: a folder listed");
        assert_same(d, step);
        // The next writing run keeps the new walk once it is old enough.
        settle();
        write_run(d);
        assert_eq!(folders(d).0, 0, "{step}: no folder listed");
        assert_same(d, &format!("{step}, listed"));
    }
    // `--no-cache` walks and leaves the listing as it is.
    let kept = std::fs::read(&listing).unwrap();
    let (_, err) = json(d, &["--no-cache"]);
    assert!(err.is_empty(), "{err}");
    assert_eq!(std::fs::read(&listing).unwrap(), kept);
    // A damaged listing is said and walked past, and rebuilt.
    std::fs::write(&listing, b"NVFOLDR1 but nothing after").unwrap();
    let (_, err) = json(d, &[]);
    assert!(
        err.contains("warning: the folder listing") && err.contains("folders.bin"),
        "{err}"
    );
    write_run(d);
    assert_eq!(folders(d).0, 0, "no folder listed");
    // `clean` takes it away with the rest of the cache.
    let out = bin().args(["clean"]).arg(d).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!listing.exists());
}
