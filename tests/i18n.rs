//! The message catalogs and the language setting: both catalogs hold the
//! same messages with the same arguments, every message the code asks for
//! exists, rule messages come only from the catalogs, and the language is
//! chosen by `--lang`, the config and the locale, in that order.

mod common;

use common::{TODAY, bin};
use notes_vet::i18n::{Catalog, Lang};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const EN: &str = include_str!("../templates/en/messages.ftl");
const TR: &str = include_str!("../templates/tr/messages.ftl");

/// Every message and attribute of a catalog (`id` or `id.attr`) with the
/// variables its text uses; a syntax error fails the test.
fn entries(name: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
        panic!("{name}: Fluent syntax errors: {errors:?}");
    }
    notes_vet::i18n::shapes(source)
}

#[test]
fn both_catalogs_hold_the_same_messages_with_the_same_arguments() {
    let en = entries("en", EN);
    let tr = entries("tr", TR);
    let only_en: Vec<&String> = en.keys().filter(|k| !tr.contains_key(*k)).collect();
    let only_tr: Vec<&String> = tr.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        only_en.is_empty() && only_tr.is_empty(),
        "messages only in en: {only_en:?}; only in tr: {only_tr:?}"
    );
    for (id, vars) in &en {
        assert_eq!(
            vars, &tr[id],
            "{id}: the English and Turkish messages use different arguments"
        );
    }
}

/// The message ids the code and the templates name literally.
fn ids_in_the_sources() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let patterns = ["msg!(\"", "Msg::new(\"", ".get(\"", "t(id=\"", "msg!(\n"];
    for entry in walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root.join("templates")))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str());
        if !matches!(ext, Some("rs" | "md")) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // The unit tests name missing messages on purpose.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for p in patterns {
            let mut rest = text;
            while let Some(i) = rest.find(p) {
                rest = &rest[i + p.len()..];
                // `msg!(` on its own line: the id is the next string.
                let s = if p.ends_with('\n') {
                    match rest.trim_start().strip_prefix('"') {
                        Some(s) => s,
                        None => continue,
                    }
                } else {
                    rest
                };
                let id: String = s.chars().take_while(|c| *c != '"').collect();
                // Ids are lower-case words with dashes; `get("...")` also
                // reads maps and JSON, so only catalog-looking names count.
                if !id.is_empty()
                    && id.contains('-')
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !id.ends_with('-')
                {
                    ids.insert(id);
                }
            }
        }
    }
    ids
}

#[test]
fn every_message_the_code_names_is_in_both_catalogs() {
    let ids = ids_in_the_sources();
    assert!(ids.len() > 150, "the scan finds the ids ({})", ids.len());
    for lang in Lang::ALL {
        let c = Catalog::builtin(lang);
        let missing: Vec<&String> = ids.iter().filter(|id| !c.has(id)).collect();
        assert!(missing.is_empty(), "{lang}: missing {missing:?}");
    }
}

#[test]
fn every_keyword_and_rule_has_its_words_in_both_catalogs() {
    use notes_vet::model::{LostReason, Status, Tone};
    use notes_vet::verdict::Verdict;
    for lang in Lang::ALL {
        let c = Catalog::builtin(lang);
        let mut ids: Vec<String> = Vec::new();
        ids.extend(
            Verdict::ALL
                .iter()
                .map(|v| format!("verdict-{}", v.as_str())),
        );
        ids.extend(Status::ALL.iter().map(|s| format!("status-{}", s.as_str())));
        ids.extend(Tone::ALL.iter().map(|t| format!("tone-{}", t.as_str())));
        ids.extend(
            LostReason::ALL
                .iter()
                .map(|r| format!("lost-reason-{}", r.as_str())),
        );
        ids.extend(
            ["off", "info", "warn", "error"]
                .iter()
                .map(|s| format!("severity-{s}")),
        );
        ids.extend(
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .map(|d| format!("weekday-{d}")),
        );
        ids.extend(
            ["rejection", "feedback", "expectations"]
                .iter()
                .map(|k| format!("letter-{k}")),
        );
        ids.extend((1..=12).map(|m| format!("month-{m}")));
        for id in &ids {
            assert!(c.has(id), "{lang}: no {id}");
        }
        let reg = notes_vet::rules::Registry::builtin_in(&c);
        for r in reg.rules() {
            let m = &r.meta;
            for (what, text) in [
                ("label", &m.label),
                ("summary", &m.summary),
                ("explanation", &m.explanation),
                ("advice", &m.advice),
                ("origin", &m.origin),
            ] {
                assert!(
                    !text.trim().is_empty() && !text.contains('{'),
                    "{lang}: {} has no {what}: {text:?}",
                    m.code
                );
            }
            for o in &m.options {
                assert!(!o.help.is_empty(), "{lang}: {} option {}", m.code, o.name);
            }
        }
    }
}

#[test]
fn every_rule_example_is_put_in_words_in_both_languages() {
    // Each rule's example fires it; its message must come out whole (a
    // missing message or argument would show `{id}` or `{$name}`).
    for lang in Lang::ALL {
        let mut config = notes_vet::config::Config::defaults(Path::new("/notes"));
        config.localize(Some(lang), Lang::En).unwrap();
        let ruleset = notes_vet::rules::Ruleset::new(
            notes_vet::rules::Registry::for_config(&config).unwrap(),
            &config,
        )
        .unwrap();
        let vetter = notes_vet::engine::Vetter {
            ruleset: &ruleset,
            config: &config,
            today: common::today(),
            keep_source: false,
        };
        let mut seen = 0;
        for r in ruleset.registry.rules() {
            let text = format!("---\n{}---\n", r.meta.example);
            let notes_vet::engine::Outcome::Vetted(n) = vetter.vet_text("x.md", &text) else {
                continue;
            };
            for f in &n.findings {
                seen += 1;
                assert!(
                    !f.message.contains('{') && !f.message.is_empty(),
                    "{lang}: {}: {}",
                    r.meta.code,
                    f.message
                );
            }
        }
        assert!(seen >= 18, "{lang}: the examples fire ({seen})");
    }
}

#[test]
fn rule_messages_are_built_only_from_the_catalogs() {
    // A built-in rule's `Hit` takes a catalog message; only the Lua path may
    // pass words through as they are, and no rule formats a sentence.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
    {
        let rel = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let plain = text.matches("Hit::plain(").count() + text.matches("Text::Plain(").count();
        let allowed = match rel.as_str() {
            // Definitions, and the Lua rules' findings and failures.
            "rules/mod.rs" => 2,
            "engine.rs" => 2,
            "i18n.rs" => 3,
            "rules/say_no.rs" => 1, // matches a part, never builds one
            _ => 0,
        };
        assert!(
            plain <= allowed,
            "{rel}: {plain} findings built outside the catalogs"
        );
        // In the rule files, `format!` only builds key paths such as
        // `invoices[2]`, never words.
        if rel.starts_with("rules/") && rel != "rules/mod.rs" && rel != "rules/explain.rs" {
            for formatted in text.split("format!(\"").skip(1) {
                let head: String = formatted.chars().take_while(|c| *c != '"').collect();
                assert!(
                    head.ends_with("[{i}]"),
                    "{rel}: a rule formats text that is not a key path: {head:?}"
                );
            }
        }
    }
}

/// `check --lang LANG DIR` that must fail with exit code 2: its stderr.
fn check_refused(dir: &Path, lang: &str) -> String {
    let out = bin()
        .args(["check", "--today", TODAY, "--lang", lang])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

fn check_text(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = bin();
    c.args(["check", "--no-write", "--today", TODAY])
        .args(args)
        .arg(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
}

#[test]
fn terminal_report_in_turkish() {
    let ex = common::example();
    let text = check_text(ex.path(), &["--lang", "tr"], &[]);
    let text = text.replace(&ex.path().display().to_string(), "[DIR]");
    assert!(text.contains("sonlandırma"), "{text}");
    insta::assert_snapshot!("terminal_tr", text);
}

#[test]
fn json_keeps_its_keywords_and_puts_messages_in_the_language() {
    let ex = common::example();
    let text = check_text(ex.path(), &["--lang", "tr", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let notes = v["notes"].as_array().unwrap();
    let acme = notes.iter().find(|n| n["client"] == "Acme Corp").unwrap();
    assert_eq!(acme["verdict"], "fire");
    assert_eq!(acme["status"], "active");
    assert_eq!(acme["findings"][0]["severity"], "warn");
    assert_eq!(acme["findings"][0]["name"], "excessive-contact");
    let message = acme["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("pazartesi–cuma"), "{message}");
}

#[test]
fn the_language_comes_from_lang_then_config_then_locale() {
    let ex = common::example();
    let toml = ex.path().join("notes-vet.toml");
    let base = std::fs::read_to_string(&toml).unwrap();
    let turkish = |t: &str| t.contains("incelendi") || t.contains("müşteri notu");
    // The locale: LANG, and LC_ALL over it.
    let t = check_text(ex.path(), &[], &[("LANG", "tr_TR.UTF-8")]);
    assert!(turkish(&t), "{t}");
    let t = check_text(
        ex.path(),
        &[],
        &[("LANG", "tr_TR.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    assert!(!turkish(&t), "{t}");
    let t = check_text(ex.path(), &[], &[("LC_MESSAGES", "tr_TR.UTF-8")]);
    assert!(turkish(&t), "{t}");
    // The config over the locale; `--lang` over both.
    std::fs::write(&toml, format!("language = \"tr\"\n{base}")).unwrap();
    let t = check_text(ex.path(), &[], &[("LANG", "en_US.UTF-8")]);
    assert!(turkish(&t), "{t}");
    let t = check_text(ex.path(), &["--lang", "en"], &[]);
    assert!(!turkish(&t) && t.contains("Vetted 12 client notes"), "{t}");
    // `[letters] language`, the old place, still sets it.
    std::fs::write(
        &toml,
        base.replace("[letters]", "[letters]\nlanguage = \"tr\""),
    )
    .unwrap();
    let t = check_text(ex.path(), &[], &[]);
    assert!(turkish(&t), "{t}");
    // Both, disagreeing: an error naming both keys.
    std::fs::write(
        &toml,
        format!(
            "language = \"en\"\n{}",
            base.replace("[letters]", "[letters]\nlanguage = \"tr\"")
        ),
    )
    .unwrap();
    let err = check_refused(ex.path(), "en");
    assert!(
        err.contains("`language`") && err.contains("`letters.language`"),
        "{err}"
    );
    // An unknown language names the key and what is allowed.
    std::fs::write(&toml, format!("language = \"de\"\n{base}")).unwrap();
    let err = check_refused(ex.path(), "en");
    assert!(
        err.contains("`language`") && err.contains("\"de\""),
        "{err}"
    );
}

#[test]
fn config_errors_follow_lang_and_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        "[practice]\nworking_hours = \"late\"\n",
    )
    .unwrap();
    let out = bin()
        .args(["check", "--no-write", "--lang", "tr"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.starts_with("hata:") && err.contains("`practice.working_hours`"),
        "{err}"
    );
    let out = bin()
        .args(["check", "--no-write"])
        .arg(dir.path())
        .env("LANG", "tr_TR.UTF-8")
        .output()
        .unwrap();
    let tr_err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(tr_err, err);
    let out = bin()
        .args(["check", "--no-write"])
        .arg(dir.path())
        .output()
        .unwrap();
    let en_err = String::from_utf8(out.stderr).unwrap();
    assert!(en_err.starts_with("error:") && en_err != err, "{en_err}");
}

#[test]
fn parse_errors_and_explain_are_in_the_language() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "---\nclient: A\nclient: B\n---\n").unwrap();
    let t = check_text(dir.path(), &["--lang", "tr"], &[]);
    assert!(
        t.contains("hata:") && t.contains("`client`") && !t.contains("duplicate"),
        "{t}"
    );
    let out = bin()
        .args(["explain", "NV201", "--lang", "tr"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Zehirli Bir Müşteriyi Ateşlemek İçin 4 Meşru Neden"),
        "{text}"
    );
    assert!(!text.contains("Fires when"), "{text}");
    let out = bin().args(["rules", "--lang", "tr"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("uyarı") && !text.contains("warning"),
        "{text}"
    );
}

#[test]
fn one_verdict_label_in_the_terminal_the_files_and_explain() {
    for (lang, label) in [("en", "let go"), ("tr", "sonlandırma")] {
        let ex = common::example();
        let out = bin()
            .args(["check", "--today", TODAY, "--lang", lang])
            .arg(ex.path())
            .output()
            .unwrap();
        let terminal = String::from_utf8(out.stdout).unwrap();
        assert!(
            terminal.contains(&format!("→ {label} (")),
            "{lang}: {terminal}"
        );
        let summary =
            std::fs::read_to_string(ex.path().join("_vetted/summaries/clients/acme-corp.md"))
                .unwrap();
        assert!(summary.contains(label), "{lang}: {summary}");
        let index = std::fs::read_to_string(ex.path().join("_vetted/index.md")).unwrap();
        assert!(index.contains(&format!("| {label} |")), "{lang}: {index}");
        let out = bin()
            .args(["explain", "NV303", "--lang", lang])
            .output()
            .unwrap();
        let explain = String::from_utf8(out.stdout).unwrap();
        // NV303's explanation speaks of the verdict by its label.
        assert!(
            explain.contains(&format!("“{label}”")) && !explain.contains("`fire`"),
            "{lang}: {explain}"
        );
    }
}

#[test]
fn a_lua_rules_own_message_passes_through_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plugins")).unwrap();
    std::fs::write(
        dir.path().join("plugins/own.lua"),
        r#"return { code = "OWN001", name = "own-words", summary = "s",
  check = function(note, ctx) return "Ödeme {gecikti}: 50% off, { $x }" end }"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        "[plugins]\ndirs = [\"plugins\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: active\n---\n",
    )
    .unwrap();
    for lang in ["en", "tr"] {
        let out = bin()
            .args(["check", "--today", TODAY, "--lang", lang])
            .arg(dir.path())
            .output()
            .unwrap();
        let terminal = String::from_utf8(out.stdout).unwrap();
        assert!(
            terminal.contains("[OWN001] own-words: Ödeme {gecikti}: 50% off, { $x }"),
            "{lang}: {terminal}"
        );
        // In markdown it is escaped like any text from a note, and nothing
        // else is done to it.
        let summary = std::fs::read_to_string(dir.path().join("_vetted/summaries/a.md")).unwrap();
        let shown = notes_vet::render::escape_markdown("Ödeme {gecikti}: 50% off, { $x }");
        assert!(
            summary.contains(&format!("| {shown} |")),
            "{lang}: {summary}"
        );
        let out = bin()
            .args([
                "check",
                "--no-write",
                "--format",
                "json",
                "--today",
                TODAY,
                "--lang",
                lang,
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            v["notes"][0]["findings"][0]["message"], "Ödeme {gecikti}: 50% off, { $x }",
            "{lang}"
        );
    }
}

#[test]
fn a_user_catalog_overrides_messages_and_its_errors_are_located() {
    let ex = common::example();
    let toml = ex.path().join("notes-vet.toml");
    let base = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("templates_dir = \"my-templates\"\n{base}")).unwrap();
    std::fs::create_dir_all(ex.path().join("my-templates/tr")).unwrap();
    // The per-language file (with a byte order mark, as Notepad saves)
    // over the shared one: both apply.
    std::fs::write(
        ex.path().join("my-templates/tr/messages.ftl"),
        "\u{feff}verdict-fire = ayrılalım\nsummary-findings = Uyarı işaretleri\n",
    )
    .unwrap();
    std::fs::write(
        ex.path().join("my-templates/messages.ftl"),
        "verdict-fire = (shared)\nverdict-keep = sürsün\n",
    )
    .unwrap();
    let out = bin()
        .args(["check", "--today", TODAY, "--lang", "tr"])
        .arg(ex.path())
        .output()
        .unwrap();
    let terminal = String::from_utf8(out.stdout).unwrap();
    assert!(terminal.contains("→ ayrılalım ("), "{terminal}");
    assert!(terminal.contains("→ sürsün ("), "{terminal}");
    let summary =
        std::fs::read_to_string(ex.path().join("_vetted/summaries/clients/acme-corp.md")).unwrap();
    assert!(
        summary.contains("## Uyarı işaretleri") && summary.contains("ayrılalım"),
        "{summary}"
    );
    // English is untouched by a Turkish override.
    let t = check_text(ex.path(), &["--lang", "en"], &[]);
    assert!(
        t.contains("→ (shared) (") && t.contains("→ sürsün ("),
        "{t}"
    );
    std::fs::remove_file(ex.path().join("my-templates/messages.ftl")).unwrap();
    let t = check_text(ex.path(), &["--lang", "en"], &[]);
    assert!(t.contains("→ let go ("), "{t}");
    // A variable notes-vet does not give: refused at load, located.
    std::fs::write(
        ex.path().join("my-templates/tr/messages.ftl"),
        "verdict-fire = ayrılalım\nverdict-keep = { $what } sürsün\n",
    )
    .unwrap();
    let err = check_refused(ex.path(), "tr");
    assert!(
        err.contains("messages.ftl:2:1:") && err.contains("$what"),
        "{err}"
    );
    // A broken catalog: exit 2, the file, line and column.
    std::fs::write(
        ex.path().join("my-templates/tr/messages.ftl"),
        "verdict-fire = ayrılalım\nbroken = { $x\n",
    )
    .unwrap();
    let err = check_refused(ex.path(), "tr");
    assert!(err.contains("messages.ftl:2:"), "{err}");
}

#[test]
fn every_string_that_looks_like_a_message_id_is_one() {
    // A message id written as a plain string (an `expected` shape passed
    // along, a letter name) is checked too: any literal of the catalog's
    // `prefix-words` form whose prefix the catalog uses must be an id,
    // unless it is a rule's name.
    let en = notes_vet::i18n::shapes(EN);
    let prefixes: BTreeSet<&str> = en.keys().filter_map(|k| k.split('-').next()).collect();
    let names: BTreeSet<String> = notes_vet::rules::Registry::builtin()
        .rules()
        .iter()
        .map(|r| r.meta.name.to_string())
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
    {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for literal in text.split('"').skip(1).step_by(2) {
            let looks = literal.contains('-')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !literal.starts_with('-')
                && !literal.ends_with('-');
            let prefix = literal.split('-').next().unwrap_or("");
            if !looks || !prefixes.contains(prefix) || names.contains(literal) {
                continue;
            }
            checked += 1;
            for lang in Lang::ALL {
                assert!(
                    Catalog::builtin(lang).has(literal),
                    "{}: \"{literal}\" looks like a message id but {lang} has none",
                    entry.path().display()
                );
            }
        }
    }
    assert!(checked > 100, "the scan finds the literals ({checked})");
}
