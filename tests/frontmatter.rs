//! Front matter edge cases through the real engine, and property tests that
//! no input makes the splitter, the parsers or the model panic.

mod common;

use notes_vet::engine::Outcome;
use notes_vet::frontmatter::{self, split};
use proptest::prelude::*;

fn outcome(text: &str) -> Outcome {
    common::with_vetter(true, |v| v.vet_text("n.md", text))
}

fn vetted(text: &str) -> notes_vet::engine::NoteReport {
    match outcome(text) {
        Outcome::Vetted(n) => *n,
        other => panic!("expected vetted, got {other:?}"),
    }
}

fn error(text: &str) -> (Option<(u32, u32)>, String) {
    match outcome(text) {
        Outcome::Failed(e) => (e.pos.map(|p| (p.line, p.column)), e.message),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn bom_and_crlf_keep_lines() {
    let n = vetted(
        "\u{feff}---\r\nclient: A\r\nstatus: prospect\r\napplicant: friend\r\n---\r\nbody\r\n",
    );
    assert_eq!(n.client, "A");
    assert_eq!(n.findings[0].pos.line, 4);
    assert_eq!(n.findings[0].source.as_deref(), Some("applicant: friend"));
}

#[test]
fn thematic_break_in_body_is_not_front_matter() {
    assert_eq!(
        outcome("# Title\n\n---\nclient: A\n---\n"),
        Outcome::Skipped(notes_vet::engine::Skip::NotClient)
    );
    let n = vetted("---\nclient: A\nstatus: prospect\n---\ntext\n---\nclient: B\n---\n");
    assert_eq!(n.client, "A");
}

#[test]
fn unclosed_fence_is_an_error_at_line_one() {
    let (pos, msg) = error("---\nclient: A\nstatus: active\n");
    assert_eq!(pos, Some((1, 1)));
    assert!(msg.contains("never closed"), "{msg}");
    let (_, msg) = error("+++\nclient = \"A\"\n");
    assert!(msg.contains("`+++`"), "{msg}");
    assert!(matches!(outcome("---"), Outcome::Failed(_)), "only a fence");
}

#[test]
fn toml_front_matter() {
    let n = vetted("+++\nclient = \"A\"\nstatus = \"prospect\"\napplicant = \"spouse\"\n+++\n");
    assert_eq!(n.findings[0].pos.line, 4);
    let (pos, msg) = error("+++\nclient = \"A\"\nstatus = \n+++\n");
    assert_eq!(pos.map(|p| p.0), Some(3));
    assert!(msg.starts_with("invalid TOML"), "{msg}");
}

#[test]
fn empty_and_non_client_notes_are_skipped() {
    for text in [
        "",
        "\n",
        "# just a title\n",
        "---\n---\n",
        "---\ntitle: Daily\n---\n",
        "---\n- a\n- b\n---\n",
        "---\n42\n---\n",
        "+++\n+++\n",
    ] {
        assert_eq!(
            outcome(text),
            Outcome::Skipped(notes_vet::engine::Skip::NotClient),
            "{text:?}"
        );
    }
}

#[test]
fn duplicate_keys_are_errors_with_position() {
    let (pos, msg) = error("---\nclient: A\nstatus: active\nclient: B\n---\n");
    assert_eq!(pos, Some((4, 1)));
    assert!(
        msg.contains("duplicate key `client`") && msg.contains("line 2"),
        "{msg}"
    );
    let (pos, _) = error("---\nclient: A\nrate: {quoted: 1, quoted: 2}\n---\n");
    assert_eq!(pos.map(|p| p.0), Some(3));
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let (pos, msg) = error("---\nclient: A\nrequests: [a, b\nstatus: x\n---\n");
    assert!(pos.is_some());
    assert!(msg.starts_with("invalid YAML"), "{msg}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let mut y = String::from(
        "---\nclient: A\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        let refs = vec![format!("*{prev}"); 9].join(",");
        y.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    y.push_str("---\n");
    let started = std::time::Instant::now();
    let (_, msg) = error(&y);
    assert!(msg.contains("too many aliases"), "{msg}");
    // Not a timing test of speed, a guard against expanding 9^9 nodes.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "---\nclient: A\nx: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (_, msg) = error(&deep);
    assert!(msg.contains("nested") || msg.contains("recursion"), "{msg}");
    let deep = format!(
        "---\nclient: A\nx: {}1{}\n---\n",
        "{a: ".repeat(100),
        "}".repeat(100)
    );
    let (_, msg) = error(&deep);
    assert!(msg.contains("nested") || msg.contains("recursion"), "{msg}");
}

#[test]
fn norway_problem_does_not_exist() {
    let n = vetted("---\nclient: NO\nstatus: prospect\napplicant: no\n---\n");
    assert_eq!(n.client, "NO");
    assert!(
        n.findings.iter().any(|f| f.message.contains("(no)")),
        "applicant `no` is the string \"no\""
    );
    let n = vetted("---\nclient: off\nstatus: prospect\n---\n");
    assert_eq!(n.client, "off");
}

#[test]
fn yaml_dates_quoted_or_not_mean_the_same() {
    let a = vetted(
        "---\nclient: A\nsince: 2026-11-01\ncontacts: [{at: 2026-11-20T20:00}, {at: 2026-11-20 21:00}, {at: 2026-11-21T09:00:00}]\n---\n",
    );
    let b = vetted(
        "---\nclient: A\nsince: \"2026-11-01\"\ncontacts: [{at: \"2026-11-20T20:00\"}, {at: \"2026-11-20 21:00\"}, {at: '2026-11-21T09:00:00'}]\n---\n",
    );
    let msgs = |n: &notes_vet::engine::NoteReport| {
        n.findings
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(msgs(&a), msgs(&b));
    assert!(!msgs(&a).is_empty());
}

#[test]
fn non_utf8_is_an_error_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.md");
    std::fs::write(&p, b"---\nclient: A\nname: caf\xe9\n---\n").unwrap();
    let note = notes_vet::scan::NoteFile {
        path: p,
        rel: "bad.md".into(),
    };
    common::with_vetter(false, |v| match v.vet_file(&note, None) {
        Outcome::Failed(e) => {
            assert_eq!(e.pos.map(|p| (p.line, p.column)), Some((3, 10)));
            assert!(e.message.contains("UTF-8"));
        }
        other => panic!("{other:?}"),
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn splitter_returns_the_body_byte_for_byte(front in "[a-z: \\-\\n\\r\"\\[\\]{}]{0,80}", body in "(?s).{0,200}", crlf in any::<bool>(), bom in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let front = front.replace('\r', "").replace("---", "- -");
        let text = format!("{}---{nl}{front}{nl}---{nl}{body}", if bom { "\u{feff}" } else { "" });
        let s = split::split(&text).expect("closed").expect("has front matter");
        prop_assert_eq!(s.body, body.as_str());
        prop_assert_eq!(&text[s.body_offset..], body.as_str());
    }

    #[test]
    fn no_text_makes_anything_panic(text in "(?s)(---\\n|\\+\\+\\+\\n)?.{0,300}(\\n---\\n|\\n\\+\\+\\+\\n)?.{0,20}") {
        let _ = frontmatter::parse(&text);
        let _ = outcome(&text);
    }

    #[test]
    fn no_yaml_shaped_front_matter_makes_the_model_panic(
        lines in proptest::collection::vec("(client|status|since|contacts|invoices|rate|lost|vet_ignore|obligations|extra_work|deadline|requests|  -|    at|  - \\{at): ?[a-z0-9:\\-\\[\\]{},&*!\" ]{0,30}", 0..12)
    ) {
        let text = format!("---\nclient: X\n{}\n---\n", lines.join("\n"));
        let _ = outcome(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = outcome(text);
        }
        let _ = outcome(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn common_yaml_mistakes_in_plain_words_at_the_right_place() {
    // (front matter after `client: A`, line and column in the note,
    // the start of the message)
    let cases: &[(&str, (u32, u32), &str)] = &[
        (
            "status:active\nsince: 2026-01-01\n",
            (3, 7),
            "invalid YAML: no space after the `:` of `status`, so YAML reads the line as text; write `status: active`",
        ),
        (
            "note: \"open\nsince: 2026-01-01\n",
            (3, 7),
            "invalid YAML: a quoted value is never closed",
        ),
        (
            "a:\n\tb: 1\n",
            (4, 1),
            "invalid YAML: a tab where spaces were expected",
        ),
        (
            "requests: [a, b\nsince: 2026-01-01\n",
            (3, 11),
            "invalid YAML: a list in `[...]` is not closed",
        ),
        (
            "rate: {quoted: 1\nsince: 2026-01-01\n",
            (3, 7),
            "invalid YAML: a mapping in `{...}` is not closed",
        ),
        (
            "note: a: b\n",
            (3, 8),
            "invalid YAML: a second `:` where a value was expected",
        ),
        (
            "rate:\n  quoted: 1\n requested: 2\n",
            (5, 1),
            "invalid YAML: this line is indented by 1 space, the line above by 2",
        ),
    ];
    for (yaml, at, message) in cases {
        let (pos, text) = error(&format!("---\nclient: A\n{yaml}---\n"));
        assert_eq!(pos, Some(*at), "{yaml:?}: {text}");
        assert!(text.starts_with(message), "{yaml:?}: {text}");
    }
}
