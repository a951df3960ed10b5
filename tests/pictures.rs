//! Charts and properties: client text cannot break the Mermaid or the YAML
//! of the generated files.

mod common;

use common::TODAY;
use notes_vet::frontmatter::{self, Value};

/// The summary of a one-note folder whose client is `name` and whose
/// invoice id is `id`.
fn summary(name: &str, id: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let yaml_name = serde_json::to_string(name).unwrap();
    let yaml_id = serde_json::to_string(id).unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        format!(
            "---\nclient: {yaml_name}\nstatus: active\nexpectations_set: 2026-01-01\ncontacts:\n  - {{at: \"2026-11-20T23:00\", tone: rude}}\ninvoices:\n  - {{id: {yaml_id}, due: 2026-10-01, paid: false}}\n---\n"
        ),
    )
    .unwrap();
    common::bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    std::fs::read_to_string(dir.path().join("_vetted/summaries/a.md")).unwrap()
}

/// The front matter's `client`, read back as notes-vet reads YAML.
fn client_property(text: &str) -> String {
    let front = frontmatter::parse(text).unwrap().unwrap();
    let Value::Map(entries) = front.root.unwrap().value else {
        panic!("a mapping")
    };
    match &entries
        .iter()
        .find(|e| e.key == "client")
        .unwrap()
        .value
        .value
    {
        Value::Str(s) => s.clone(),
        other => panic!("{other:?}"),
    }
}

/// Every Mermaid block's labels: quoted, with no quote, bracket or
/// semicolon inside.
fn assert_mermaid_intact(text: &str) {
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```mermaid") {
            in_block = true;
            continue;
        }
        if line.starts_with("```") {
            in_block = false;
        }
        if !in_block {
            continue;
        }
        let line = line.trim();
        assert!(
            line.starts_with("xychart-beta")
                || line.starts_with("title \"")
                || line.starts_with("x-axis [\"")
                || line.starts_with("y-axis \"")
                || line.starts_with("bar [")
                || line.starts_with("line [")
                || line.starts_with("pie title ")
                || (line.starts_with('"')
                    && line.rsplit_once("\" : ").is_some_and(|(label, n)| {
                        !label[1..].contains(['"', ';']) && n.parse::<u64>().is_ok()
                    })),
            "unexpected Mermaid line {line:?} in\n{text}"
        );
        if let Some(labels) = line
            .strip_prefix("x-axis [")
            .and_then(|l| l.strip_suffix(']'))
        {
            for label in labels.split("\", \"") {
                let inner = label.trim_matches('"');
                assert!(
                    !inner.contains(['"', ';', '[', ']', '\n']),
                    "label {label:?}"
                );
            }
        }
    }
}

#[test]
fn hostile_names_and_ids_cannot_break_properties_or_charts() {
    for (name, id) in [
        ("\"; pie title x", "\"]; bar [1"),
        ("a: b", "x\ny: z"),
        ("--- \n# heading", "`code` <b>"),
        ("[[link]] | #tag", "%%{init}%%"),
    ] {
        let text = summary(name, id);
        assert_eq!(client_property(&text), name, "{text}");
        assert!(text.contains("```mermaid\nxychart-beta"), "{text}");
        assert_mermaid_intact(&text);
        assert!(!text.contains("<b>"), "{text}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    #[test]
    fn any_client_name_reads_back_from_the_properties(name in "[^\u{0}]{1,40}") {
        proptest::prop_assume!(!name.trim().is_empty());
        let text = summary(&name, "K-1");
        proptest::prop_assert_eq!(client_property(&text), name.trim().to_string());
        assert_mermaid_intact(&text);
    }
}

#[test]
fn the_base_file_and_the_dashboard_charts_are_written() {
    let ex = common::example();
    common::bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(ex.path())
        .output()
        .unwrap();
    let base = std::fs::read_to_string(ex.path().join("_vetted/clients.base")).unwrap();
    assert!(
        base.contains("file.inFolder(\\\"_vetted/summaries\\\")"),
        "{base}"
    );
    assert!(
        base.contains("property: verdict") && base.contains("property: score"),
        "{base}"
    );
    let index = std::fs::read_to_string(ex.path().join("_vetted/index.md")).unwrap();
    assert_eq!(index.matches("```mermaid").count(), 3, "{index}");
    assert_mermaid_intact(&index);
    // No chart when it would be empty.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: active\nsince: 2020-01-01\nexpectations_set: 2020-01-02\n---\n",
    )
    .unwrap();
    common::bin()
        .args(["check", "-q", "--today", TODAY])
        .arg(dir.path())
        .output()
        .unwrap();
    let index = std::fs::read_to_string(dir.path().join("_vetted/index.md")).unwrap();
    assert_eq!(
        index.matches("```mermaid").count(),
        1,
        "only the verdicts: {index}"
    );
    let summary = std::fs::read_to_string(dir.path().join("_vetted/summaries/a.md")).unwrap();
    assert!(!summary.contains("```mermaid"), "{summary}");
}
