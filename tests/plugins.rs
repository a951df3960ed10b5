//! Lua rules: the API, the sandbox (every escape attempted), the budgets
//! (every overrun stopped in bounded time), error locations, first-class
//! integration, thread independence, and the example plugins.

mod common;

use notes_vet::config::Config;
use notes_vet::engine::{NoteReport, Outcome, Vetter};
use notes_vet::rules::{Registry, Ruleset};
use std::path::Path;
use std::time::{Duration, Instant};

struct Setup {
    _dir: tempfile::TempDir,
    config: Config,
    rules: Ruleset,
}

/// A folder with `plugins/` holding `files`, and a config with `extra`.
fn setup(files: &[(&str, &str)], extra: &str) -> Result<Setup, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("plugins").join(name), text).unwrap();
    }
    let path = dir.path().join("notes-vet.toml");
    // 16 MB unless the test sets its own.
    let memory = if extra.contains("memory_limit_mb") {
        ""
    } else {
        "memory_limit_mb = 16\n"
    };
    let toml = format!("[plugins]\ndirs = [\"plugins\"]\ntime_limit_ms = 200\n{memory}{extra}");
    let config = Config::from_toml(dir.path(), &path, &toml).map_err(|e| e.to_string())?;
    let registry = Registry::for_config(&config).map_err(|e| e.to_string())?;
    let rules = Ruleset::new(registry, &config).map_err(|e| e.to_string())?;
    Ok(Setup {
        _dir: dir,
        config,
        rules,
    })
}

fn vet(s: &Setup, note: &str) -> NoteReport {
    let v = Vetter {
        ruleset: &s.rules,
        config: &s.config,
        today: common::today(),
        keep_source: false,
    };
    match v.vet_text("clients/note.md", note) {
        Outcome::Vetted(n) => *n,
        other => panic!("{other:?}"),
    }
}

/// (code, message) of each finding.
fn found(s: &Setup, n: &NoteReport) -> Vec<(String, String)> {
    n.findings
        .iter()
        .map(|f| {
            (
                s.rules.rule(f.rule).meta.code.to_string(),
                f.message.clone(),
            )
        })
        .collect()
}

fn messages_of(s: &Setup, n: &NoteReport, code: &str) -> Vec<String> {
    found(s, n)
        .into_iter()
        .filter(|(c, _)| c == code)
        .map(|(_, m)| m)
        .collect()
}

fn rule(code: &str, body: &str) -> String {
    format!(
        "return {{ code = \"{code}\", name = \"test-rule\", check = function(note, ctx)\n{body}\nend }}\n"
    )
}

const NOTE: &str = "---\nclient: Acme\nstatus: prospect\nsince: 2026-11-01\ncontacts:\n  - {at: \"2026-11-20T21:00\", tone: rude}\n  - {at: 2026-11-21}\nrequests: []\nreferred_by: null\nrate: {quoted: 100}\n---\n# Acme\n\nText.\n\n## Calls\n";

#[test]
fn api_fields_and_helpers() {
    let body = r#"
      local m = note.meta
      local parts = {
        note.path, note.client, note.status, m.since, tostring(#m.contacts), m.contacts[1].at,
        tostring(m.referred_by), tostring(#m.requests), tostring(m.rate.quoted),
        tostring(#note.headings), note.headings[2].text, tostring(note.headings[2].line),
        tostring(note.line("contacts[1].at")), tostring(note.line("rate.quoted")), tostring(note.line("nope")),
        ctx.today, tostring(ctx.options.limit), tostring(ctx.days_between("2026-11-01", ctx.today)),
        tostring(ctx.days_between("2026-11-23", "2026-11-20")),
        ctx.parse_date("2026-11-20T21:00").time, tostring(ctx.parse_date("2026-11-20").weekday),
        tostring(ctx.parse_date("soon")), tostring(ctx.is_after_hours(m.contacts[1].at)),
        tostring(ctx.is_after_hours(m.contacts[2].at)), tostring(ctx.count_recent(m.contacts, "at", 3)),
        tostring(#note.body > 0),
      }
      return table.concat(parts, "|")"#;
    let plugin = format!(
        "return {{ code = \"API001\", name = \"api\", options = {{ limit = 3 }}, check = function(note, ctx) {body} end }}"
    );
    let s = setup(&[("api.lua", &plugin)], "[rules.API001]\nlimit = 7\n").unwrap();
    let n = vet(&s, NOTE);
    let msg = &messages_of(&s, &n, "API001")[0];
    assert_eq!(
        msg,
        "clients/note.md|Acme|prospect|2026-11-01|2|2026-11-20T21:00|nil|0|100|2|Calls|16|7|10|nil|2026-11-23|7|22|-3|21:00|5|nil|true|false|1|true"
    );
    // TOML notes give the same tables.
    let toml = "+++\nclient = \"Acme\"\nstatus = \"prospect\"\nsince = 2026-11-01\nrequests = []\n[rate]\nquoted = 100\n[[contacts]]\nat = 2026-11-20T21:00:00\ntone = \"rude\"\n[[contacts]]\nat = 2026-11-21\n+++\n# Acme\n\nText.\n\n## Calls\n";
    let t = vet(&s, toml);
    let tmsg = &messages_of(&s, &t, "API001")[0];
    let strip_lines = |m: &str| {
        m.split('|')
            .enumerate()
            .filter(|(i, _)| ![11, 12, 13].contains(i))
            .map(|(_, p)| p.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip_lines(tmsg),
        strip_lines(msg),
        "same values apart from line numbers"
    );
}

#[test]
fn return_values() {
    let s = setup(
        &[
            ("a.lua", &rule("RET001", "return nil")),
            ("b.lua", &rule("RET002", "return 'plain message'")),
            (
                "c.lua",
                &rule(
                    "RET003",
                    "return { message = 'with field', field = 'contacts[1]' }",
                ),
            ),
            (
                "d.lua",
                &rule(
                    "RET004",
                    "return { { message = 'one' }, 'two', { message = 'three', field = 'since' } }",
                ),
            ),
            ("e.lua", &rule("RET005", "return 42")),
            ("f.lua", &rule("RET006", "return { field = 'since' }")),
        ],
        "",
    )
    .unwrap();
    let n = vet(&s, NOTE);
    let f = found(&s, &n);
    assert!(!f.iter().any(|(c, _)| c == "RET001"));
    assert_eq!(messages_of(&s, &n, "RET002"), vec!["plain message"]);
    let with_field = n
        .findings
        .iter()
        .find(|x| x.message == "with field")
        .unwrap();
    assert_eq!(
        (with_field.field.as_str(), with_field.pos.line),
        ("contacts[1]", 7)
    );
    assert_eq!(messages_of(&s, &n, "RET004"), vec!["one", "two", "three"]);
    let nv002 = messages_of(&s, &n, "NV002");
    assert_eq!(nv002.len(), 2, "{nv002:?}");
    assert!(
        nv002
            .iter()
            .any(|m| m.contains("RET005") && m.contains("e.lua:1")),
        "{nv002:?}"
    );
    assert!(
        nv002
            .iter()
            .any(|m| m.contains("RET006") && m.contains("message")),
        "{nv002:?}"
    );
    // Lua findings count in the score: RET002, RET003 and 3 × RET004 at warn weight 1.
    assert_eq!(n.score, 5);
}

#[test]
fn every_sandbox_escape_fails() {
    let attempts = [
        ("io", "io.open('/etc/passwd')"),
        ("package", "package.loaded.string = {}"),
        ("os.execute", "os.execute('true')"),
        ("os.getenv", "return os.getenv('HOME')"),
        ("os.remove", "os.remove('/tmp/x')"),
        ("os.exit", "os.exit(1)"),
        ("require", "require('os')"),
        ("debug", "debug.getinfo(1)"),
        ("loadstring", "loadstring('return 1')()"),
        ("load", "load('return 1')()"),
        ("dofile", "dofile('/etc/passwd')"),
        ("loadfile", "loadfile('/etc/passwd')"),
        ("getfenv", "getfenv(1).x = 1"),
        ("setfenv", "setfenv(1, {})"),
        ("string.dump", "string.dump(print)"),
        (
            "string library",
            "string.upper = function() return 'owned' end",
        ),
        ("string metatable", "getmetatable('').__index = {}"),
        ("table library", "table.insert = nil"),
        ("note is frozen", "note.meta.client = 'changed'"),
        (
            "nested tables frozen",
            "note.meta.contacts[1].tone = 'friendly'",
        ),
        ("options frozen", "ctx.options.x = 1"),
        ("rawset on note", "rawset(note.meta, 'client', 'x')"),
        ("setmetatable on note", "setmetatable(note.meta, {})"),
        ("collectgarbage", "collectgarbage('collect')"),
    ];
    let mut files = Vec::new();
    for (i, (what, code)) in attempts.iter().enumerate() {
        let body = format!(
            "local ok = pcall(function() {code} end)\nif ok then return 'escaped: {what}' end\nreturn nil"
        );
        files.push((format!("esc{i:02}.lua"), rule(&format!("ESC{i:03}"), &body)));
    }
    // One rule tries to leave a global and change the string library for
    // the next one; the next one looks.
    files.push((
        "zz1.lua".into(),
        rule(
            "GLB001",
            "shared_secret = 'set by GLB001'\npcall(function() string.lower = nil end)\nreturn nil",
        ),
    ));
    files.push((
        "zz2.lua".into(),
        rule("GLB002", "if shared_secret ~= nil then return 'saw ' .. shared_secret end\nif string.lower('A') ~= 'a' then return 'string.lower changed' end\nif note.meta.client ~= 'Acme' then return 'note changed' end"),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = setup(&refs, "").unwrap();
    for _ in 0..2 {
        let n = vet(&s, NOTE);
        let escaped: Vec<_> = found(&s, &n)
            .into_iter()
            .filter(|(_, m)| m.contains("escaped") || m.contains("saw") || m.contains("changed"))
            .collect();
        assert!(escaped.is_empty(), "{escaped:?}");
        // Globals are frozen after load: the write is an error naming the
        // line, and nothing else fails.
        let nv002 = messages_of(&s, &n, "NV002");
        assert_eq!(nv002.len(), 1, "{nv002:?}");
        assert!(
            nv002[0].contains("zz1.lua:2:")
                && nv002[0].contains("readonly")
                && nv002[0].contains("GLB001"),
            "{nv002:?}"
        );
    }
}

#[test]
fn every_budget_overrun_is_stopped_in_bounded_time() {
    let cases = [
        ("loop", "while true do end"),
        (
            "pcall loop",
            "while true do pcall(function() while true do end end) end",
        ),
        ("pcall error loop", "while true do pcall(error, 'x') end"),
        (
            "pattern backtracking",
            "local s = string.rep('a', 20000)\nreturn tostring(s:find('.-.-.-.-b'))",
        ),
        (
            "gsub backtracking",
            "local s = string.rep('a', 20000)\nreturn (s:gsub('.-.-.-.-b', ''))",
        ),
        (
            "gmatch backtracking",
            "local s = string.rep('a', 20000)\nfor x in s:gmatch('.-.-.-.-b') do end",
        ),
        (
            "match backtracking",
            "return string.match(string.rep('a', 20000), '.-.-.-.-b$')",
        ),
        (
            "memory growth",
            "local t = {}\nwhile true do t[#t + 1] = string.rep('x', 100000) .. #t end",
        ),
        (
            "memory in pcall",
            "local t = {}\nwhile true do pcall(function() t[#t + 1] = string.rep('y', 100000) .. #t end) end",
        ),
        ("one huge string", "return #string.rep('z', 1e9)"),
        (
            "deep recursion",
            "local function f(n) return f(n + 1) + 1 end\nreturn f(1)",
        ),
    ];
    for (what, body) in cases {
        let s = setup(
            &[
                ("bad.lua", &rule("BAD001", body)),
                ("good.lua", &rule("GOOD001", "return 'still here'")),
            ],
            "",
        )
        .unwrap();
        let started = Instant::now();
        let n = vet(&s, NOTE);
        let took = started.elapsed();
        let nv002 = messages_of(&s, &n, "NV002");
        assert_eq!(nv002.len(), 1, "{what}: {:?}", found(&s, &n));
        assert!(
            nv002[0].contains("BAD001") && nv002[0].contains("bad.lua"),
            "{what}: {}",
            nv002[0]
        );
        assert!(took < Duration::from_secs(10), "{what} took {took:?}");
        assert_eq!(
            messages_of(&s, &n, "GOOD001"),
            vec!["still here"],
            "{what}: the other rules still run"
        );
        // The state was reset: the next note is vetted normally.
        let again = vet(&s, NOTE);
        assert_eq!(
            messages_of(&s, &again, "GOOD001"),
            vec!["still here"],
            "{what}: after a reset"
        );
    }
}

#[test]
fn runtime_errors_name_file_line_and_rule() {
    let plugin = "return {\n  code = \"ERR001\",\n  name = \"boom\",\n  check = function(note, ctx)\n    local x = nil\n    return x.field\n  end,\n}\n";
    let s = setup(&[("boom.lua", plugin)], "").unwrap();
    let n = vet(&s, NOTE);
    let msg = &messages_of(&s, &n, "NV002")[0];
    assert!(
        msg.contains("boom.lua:6") && msg.contains("ERR001"),
        "{msg}"
    );
    assert_eq!(n.findings[0].pos.line, 2, "NV002 stands on the client key");
    let s = setup(
        &[("boom.lua", &rule("ERR002", "error('custom failure')"))],
        "",
    )
    .unwrap();
    let msg = &messages_of(&s, &vet(&s, NOTE), "NV002")[0];
    assert!(
        msg.contains("custom failure") && msg.contains("boom.lua:2"),
        "{msg}"
    );
}

#[test]
fn load_errors_name_file_and_line() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "syntax.lua",
            "return {\n  code = \"SYN001\",\n  name = = 'x',\n}\n",
            "syntax.lua:3",
        ),
        (
            "nocode.lua",
            "return {\n  name = 'x',\n  check = function() end,\n}\n",
            "nocode.lua:3: the rule table has no `code`",
        ),
        (
            "nv.lua",
            "return { code = 'NV999', name = 'x', check = function() end }",
            "starts with NV",
        ),
        (
            "lower.lua",
            "return { code = '1PAY', name = 'x', check = function() end }",
            "letters then digits",
        ),
        (
            "name.lua",
            "return { code = 'NAM001', name = 'Not Kebab', check = function() end }",
            "kebab-case",
        ),
        (
            "sev.lua",
            "return { code = 'SEV001', name = 'x', severity = 'loud', check = function() end }",
            "severity",
        ),
        (
            "nocheck.lua",
            "return { code = 'CHK001', name = 'x' }",
            "no `check` function",
        ),
        ("number.lua", "return 42", "must return a rule table"),
        ("runtime.lua", "local x = nil\nreturn x.y", "runtime.lua:2"),
    ];
    for (file, text, expected) in cases {
        let err = setup(&[(file, text)], "")
            .err()
            .unwrap_or_else(|| panic!("{file} should not load"));
        assert!(err.contains(expected), "{file}: {err}");
    }
    // Lower-case letters are letters too; an nv prefix is still reserved.
    assert!(
        setup(
            &[(
                "lc.lua",
                "return { code = 'pay7', name = 'x', check = function() end }"
            )],
            ""
        )
        .is_ok()
    );
    assert!(
        setup(
            &[(
                "nv.lua",
                "return { code = 'nv7', name = 'x', check = function() end }"
            )],
            ""
        )
        .err()
        .unwrap()
        .contains("starts with NV")
    );
    let dup = setup(
        &[
            ("a.lua", &rule("DUP001", "")),
            ("b.lua", &rule("DUP001", "")),
        ],
        "",
    )
    .err()
    .unwrap();
    assert!(
        dup.contains("b.lua") && dup.contains("already used"),
        "{dup}"
    );
    // A loop at load time is stopped too.
    let err = setup(&[("hang.lua", "while true do end")], "")
        .err()
        .unwrap();
    assert!(err.contains("time budget"), "{err}");
}

#[test]
fn lua_rules_are_first_class() {
    let files = [("w.lua", rule("FC001", "return 'flagged'"))];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let s = setup(&refs, "[rules.FC001]\nseverity = \"error\"\n").unwrap();
    let n = vet(&s, NOTE);
    assert_eq!(
        n.verdict.as_str(),
        "decline",
        "an error finding of weight 3 declines"
    );
    let s = setup(&refs, "[rules.FC001]\nseverity = \"off\"\n").unwrap();
    assert!(messages_of(&s, &vet(&s, NOTE), "FC001").is_empty());
    let n = vet(
        &setup(&refs, "").unwrap(),
        &NOTE.replace("rate:", "vet_ignore: [FC001]\nrate:"),
    );
    assert_eq!(n.suppressed, vec!["FC001"]);
    assert!(
        setup(&refs, "[rules.FC001]\nnope = 1\n")
            .err()
            .unwrap()
            .contains("rules.FC001.nope")
    );
    let with_opt = [(
        "o.lua",
        "return { code = 'OPT001', name = 'o', options = { n = 2 }, check = function(note, ctx) return tostring(ctx.options.n) end }",
    )];
    assert!(
        setup(&with_opt, "[rules.OPT001]\nn = \"two\"\n")
            .err()
            .unwrap()
            .contains("rules.OPT001.n")
    );
    let s = setup(&with_opt, "[rules.OPT001]\nn = 5\n").unwrap();
    assert_eq!(messages_of(&s, &vet(&s, NOTE), "OPT001"), vec!["5"]);
    // NV002 itself can be silenced per note or turned off.
    let broken = [("x.lua", rule("BRK001", "error('x')"))];
    let refs: Vec<(&str, &str)> = broken.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let n = vet(
        &setup(&refs, "").unwrap(),
        &NOTE.replace("rate:", "vet_ignore: [NV002]\nrate:"),
    );
    assert_eq!(n.suppressed, vec!["NV002"]);
}

use common::bin;

/// Copies the repository's example plugins into `dir/repo-plugins` (plugin
/// folders must be inside the notes folder) and returns that folder's name.
fn repo_plugins(dir: &Path) -> String {
    let to = dir.join("repo-plugins");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    "repo-plugins".to_string()
}

#[test]
fn one_thread_or_many_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("notes-example"),
        dir.path(),
    );
    for i in 0..150 {
        let src = [
            "clients/acme-corp.md",
            "clients/kaya-mimarlik.md",
            "lost/harbor-fitness.md",
            "prospects/bright-horizons.md",
        ][i % 4];
        let text = std::fs::read_to_string(dir.path().join(src)).unwrap();
        std::fs::create_dir_all(dir.path().join("many")).unwrap();
        std::fs::write(dir.path().join(format!("many/{i:03}.md")), text).unwrap();
    }
    let flaky = "return { code = 'THR001', name = 'thr', check = function(note, ctx)\n if #note.path % 3 == 0 then error('deliberate') end\n return note.client .. ' ' .. #(note.meta.contacts or {}) end }";
    std::fs::create_dir_all(dir.path().join("my-plugins")).unwrap();
    std::fs::write(dir.path().join("my-plugins/thr.lua"), flaky).unwrap();
    // Stateful rules: a global counter, and a global table that remembers
    // notes.
    // Both are refused (frozen after load), the same way on every thread.
    let stateful = "seen = 0\nmemory = {}\nreturn {\n { code = 'CNT001', name = 'count', check = function(note, ctx)\n  seen = seen + 1\n  if seen > 3 then return 'seen ' .. seen end end },\n { code = 'CNT002', name = 'remember', check = function(note, ctx)\n  memory[#memory + 1] = note.path\n  if #memory > 3 then return 'remembers ' .. #memory end end } }";
    std::fs::write(dir.path().join("my-plugins/count.lua"), stateful).unwrap();
    let config = std::fs::read_to_string(dir.path().join("notes-vet.toml")).unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        format!(
            "{config}\n[plugins]\ndirs = [\"{}\", \"my-plugins\"]\n",
            repo_plugins(dir.path())
        ),
    )
    .unwrap();
    let run =
        |threads: &str| common::check_json_text(dir.path(), &[("RAYON_NUM_THREADS", threads)]);
    let one = run("1");
    assert!(one.contains("THR001") && one.contains("NV002") && one.contains("SCP001"));
    assert!(
        !one.contains("\"seen ") && !one.contains("remembers"),
        "state carried over"
    );
    assert!(one.contains("count.lua:5: attempt to modify a readonly table (rule CNT001)"));
    assert!(one.contains("count.lua:8: attempt to modify a readonly table (rule CNT002)"));
    assert_eq!(one, run("4"));
}

/// Vets `yaml` with the repository's example plugins.
fn with_examples(yaml: &str, extra: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes-vet.toml");
    let toml = format!(
        "[plugins]\ndirs = [\"{}\"]\n{extra}",
        repo_plugins(dir.path())
    );
    let config = Config::from_toml(dir.path(), &path, &toml).unwrap();
    let s = Setup {
        rules: Ruleset::new(Registry::for_config(&config).unwrap(), &config).unwrap(),
        config,
        _dir: dir,
    };
    let n = vet(
        &s,
        &format!("---\nclient: Example\nexpectations_set: 2026-01-01\n{yaml}---\n"),
    );
    found(&s, &n)
        .into_iter()
        .filter(|(c, _)| !c.starts_with("NV"))
        .collect()
}

fn codes(found: &[(String, String)]) -> Vec<&str> {
    found.iter().map(|(c, _)| c.as_str()).collect()
}

#[test]
fn example_gone_silent() {
    let silent = with_examples(
        "status: active\ncontacts: [{at: 2026-10-08}, {at: \"2026-09-01T10:00\"}]\n",
        "",
    );
    assert_eq!(codes(&silent), vec!["SIL001"]);
    assert!(silent[0].1.contains("46 days ago"), "{silent:?}");
    assert!(
        with_examples("status: active\ncontacts: [{at: 2026-10-09}]\n", "").is_empty(),
        "45 days is within the limit"
    );
    assert!(with_examples("status: prospect\ncontacts: [{at: 2026-01-01}]\n", "").is_empty());
    assert_eq!(
        codes(&with_examples("status: active\nsince: 2026-01-01\n", "")),
        vec!["SIL001"]
    );
    assert!(
        with_examples(
            "status: active\ncontacts: [{at: 2026-11-01}]\n",
            "[rules.SIL001]\nmax_days = 30\n"
        )
        .is_empty()
    );
}

#[test]
fn example_scope_creep() {
    let reqs = "requests: [a, b, c, d, e]\n";
    assert_eq!(
        codes(&with_examples(&format!("status: prospect\n{reqs}"), "")),
        vec!["SCP001"]
    );
    assert!(with_examples("status: prospect\nrequests: [a, b, c, d]\n", "").is_empty());
    let extra = "extra_work: [{date: 2026-11-01, hours: 1, paid: true}, {date: 2026-10-01, hours: 1, paid: true}, {date: 2026-08-26, hours: 1, paid: true}]\n";
    assert_eq!(
        codes(&with_examples(&format!("status: prospect\n{extra}"), "")),
        vec!["SCP001"]
    );
    let older = extra.replace("2026-08-26", "2026-08-25");
    assert!(
        with_examples(&format!("status: prospect\n{older}"), "").is_empty(),
        "the 90-day window"
    );
}

#[test]
fn example_late_payer() {
    let inv = |paid1: &str, paid2: &str| {
        format!(
            "status: prospect\ninvoices:\n  - {{id: a, due: 2026-09-01, paid: {paid1}}}\n  - {{id: b, due: 2026-10-01, paid: {paid2}}}\n"
        )
    };
    let late = with_examples(&inv("2026-09-09", "2026-10-20"), "");
    assert_eq!(codes(&late), vec!["PAY001"]);
    assert!(
        with_examples(&inv("2026-09-08", "2026-10-20"), "").is_empty(),
        "7 days late is within grace"
    );
    assert!(
        with_examples(&inv("2026-09-09", "false"), "").is_empty(),
        "unpaid is NV107's"
    );
}

#[test]
fn example_short_notice_cancellations() {
    let c = |hours: u32, at: &str| {
        format!(
            "status: active\ncancellations:\n  - {{at: \"2026-11-10T10:00\", notice_hours: 2}}\n  - {{at: \"{at}\", notice_hours: {hours}}}\n"
        )
    };
    assert_eq!(
        codes(&with_examples(&c(23, "2026-11-20T09:00"), "")),
        vec!["CAN001"]
    );
    assert!(
        with_examples(&c(24, "2026-11-20T09:00"), "").is_empty(),
        "24 hours is enough notice"
    );
    assert!(
        with_examples(&c(1, "2026-08-25T09:00"), "").is_empty(),
        "outside the 90-day window"
    );
}

#[test]
fn plugins_appear_in_rules_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        format!(
            "[plugins]\ndirs = [\"{}\"]\n[rules.SIL001]\nseverity = \"warn\"\n",
            repo_plugins(dir.path())
        ),
    )
    .unwrap();
    let out = bin()
        .args(["rules", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text.lines().find(|l| l.starts_with("SIL001")).unwrap();
    assert!(
        line.contains("gone-silent") && line.contains("warn"),
        "{line}"
    );
    let out = bin()
        .args(["explain", "PAY001", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("late-payer")
            && text.contains("min_late = 2")
            && text.contains("late-payer.lua"),
        "{text}"
    );
    std::fs::write(
        dir.path().join("bad.toml"),
        "[plugins]\ndirs = [\"nowhere\"]\n",
    )
    .unwrap();
    bin()
        .args(["check", "--config"])
        .arg(dir.path().join("bad.toml"))
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn new_rule_scaffolds_a_rule_that_loads_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        "[plugins]\ndirs = [\"rules\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: prospect\nrequests: [a, b, c]\n---\n",
    )
    .unwrap();
    bin()
        .args(["new-rule", "slow-payer", "--dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("SP001"));
    assert!(dir.path().join("rules/slow-payer.lua").is_file());
    // A second rule with the same initials gets the next free code.
    bin()
        .args(["new-rule", "short-prices", "--dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("SP002"));
    let doc: serde_json::Value =
        serde_json::from_str(&common::check_json_text(dir.path(), &[])).unwrap();
    let codes: Vec<&str> = doc["notes"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"SP001") && codes.contains(&"SP002"),
        "{codes:?}"
    );
    bin()
        .args(["new-rule", "slow-payer", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("refusing to overwrite"));
    bin()
        .args(["new-rule", "Not Kebab", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn init_turns_plugins_on_with_a_working_example() {
    let dir = tempfile::tempdir().unwrap();
    bin().arg("init").arg(dir.path()).assert().success();
    let out = bin()
        .args(["rules", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("EX001"));
    bin()
        .args(["check", "--no-write", "--today", "2026-11-23"])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn lua_findings_reach_the_summary_and_bad_plugins_stop_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(
        dir.path().join("notes-vet.toml"),
        "[plugins]\ndirs = [\"plugins\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plugins/p.lua"),
        "return { code = 'SUM001', name = 'summary-check', advice = 'Call them.', check = function(note, ctx) return { message = 'from Lua', field = 'status' } end }",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nclient: A\nstatus: prospect\n---\n",
    )
    .unwrap();
    bin()
        .args(["check", "-q", "--today", "2026-11-23"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "warning[SUM001] summary-check: from Lua",
        ));
    let summary = std::fs::read_to_string(dir.path().join("_vetted/summaries/a.md")).unwrap();
    assert!(
        summary.contains("| SUM001 | summary-check | warning | from Lua | status | 3 |")
            && summary.contains("Call them."),
        "{summary}"
    );
    std::fs::write(
        dir.path().join("plugins/p.lua"),
        "return {\n  code = 'SUM001',\n  name = 'x' 'y',\n}\n",
    )
    .unwrap();
    bin()
        .args(["check", "--today", "2026-11-23"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("p.lua:3"));
}

mod hostile_notes {
    use super::*;
    use proptest::prelude::*;

    /// A rule that walks every value of the front matter and touches every API.
    const WALKER: &str = r#"return { code = "WLK001", name = "walker", check = function(note, ctx)
      local n = 0
      local function walk(v, depth)
        n += 1
        if type(v) == "table" and depth < 100 then for k, x in pairs(v) do walk(x, depth + 1) end end
        if type(v) == "string" then ctx.parse_date(v); ctx.is_after_hours(v) end
      end
      walk(note.meta, 0)
      note.line("contacts[0].at"); note.line(""); note.line("[[[")
      ctx.count_recent(note.meta.contacts, "at", 30)
      return tostring(n) .. " values, " .. #note.headings .. " headings"
    end }"#;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, .. ProptestConfig::default() })]

        #[test]
        fn no_note_makes_a_lua_rule_panic(
            lines in proptest::collection::vec("(client|status|since|contacts|meta|x)?: ?[a-z0-9:\\-\\[\\]{},&*!\" #]{0,30}", 0..10),
            body in "(?s)[#a-z \\n`-]{0,80}",
        ) {
            let s = setup(&[("walker.lua", WALKER)], "").unwrap();
            let text = format!("---\nclient: X\n{}\n---\n{body}", lines.join("\n"));
            let v = Vetter { ruleset: &s.rules, config: &s.config, today: common::today(), keep_source: false };
            if let Outcome::Vetted(n) = v.vet_text("n.md", &text) {
                let nv002 = messages_of(&s, &n, "NV002");
                prop_assert!(nv002.is_empty(), "{nv002:?}");
                prop_assert_eq!(messages_of(&s, &n, "WLK001").len(), 1);
            }
        }
    }
}

/// `tests/fixtures/plugins/CODE/fires.md` fires CODE with the example
/// plugins; `quiet.md`, just below a threshold, does not.
#[test]
fn example_plugins_on_their_fixture_notes() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plugins");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes-vet.toml");
    let config = Config::from_toml(
        dir.path(),
        &path,
        &format!("[plugins]\ndirs = [\"{}\"]\n", repo_plugins(dir.path())),
    )
    .unwrap();
    let s = Setup {
        rules: Ruleset::new(Registry::for_config(&config).unwrap(), &config).unwrap(),
        config,
        _dir: dir,
    };
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let code = entry.file_name().to_string_lossy().to_string();
        for (file, should_fire) in [("fires.md", true), ("quiet.md", false)] {
            let text = std::fs::read_to_string(entry.path().join(file)).unwrap();
            let n = vet(&s, &text);
            let fired = !messages_of(&s, &n, &code).is_empty();
            assert_eq!(fired, should_fire, "{code}/{file}: {:?}", found(&s, &n));
            assert!(messages_of(&s, &n, "NV002").is_empty(), "{code}/{file}");
            checked += 1;
        }
    }
    assert_eq!(
        checked, 8,
        "two fixtures for each of the four example plugins"
    );
}

#[test]
fn helpers_are_lenient_with_malformed_notes() {
    let s = setup(&[("h.lua", &rule("HLP001", "return tostring(ctx.count_recent(note.meta.contacts, 'at', 30)) .. ' ' .. tostring(ctx.parse_date(note.meta.contacts)) .. ' ' .. tostring(ctx.is_after_hours(42))"))], "").unwrap();
    let n = vet(&s, "---\nclient: A\nstatus: prospect\ncontacts: a\n---\n");
    assert_eq!(messages_of(&s, &n, "HLP001"), vec!["0 nil false"]);
}

#[test]
fn two_rulesets_sharing_a_registry_each_see_their_own_options() {
    let plugin = "return { code = \"XO1\", name = \"n-is\", options = { n = 1 },\n  check = function(note, ctx) return \"n=\" .. ctx.options.n end }\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("plugins")).unwrap();
    std::fs::write(dir.path().join("plugins/n.lua"), plugin).unwrap();
    let path = dir.path().join("notes-vet.toml");
    let config_for = |n: u32| {
        Config::from_toml(
            dir.path(),
            &path,
            &format!("[plugins]\ndirs = [\"plugins\"]\n[rules.XO1]\nn = {n}\n"),
        )
        .unwrap()
    };
    let (one, many) = (config_for(1), config_for(99));
    let registry = Registry::for_config(&one).unwrap();
    let rules_one = Ruleset::new(registry.clone(), &one).unwrap();
    let rules_many = Ruleset::new(registry, &many).unwrap();
    let message = |rules: &Ruleset, config: &Config| {
        let v = Vetter {
            ruleset: rules,
            config,
            today: common::today(),
            keep_source: false,
        };
        match v.vet_text("a.md", NOTE) {
            Outcome::Vetted(n) => n
                .findings
                .iter()
                .find(|f| rules.rule(f.rule).meta.code == "XO1")
                .map(|f| f.message.clone()),
            other => panic!("{other:?}"),
        }
    };
    // Same thread, same Lua state: the second ruleset must not get the
    // first one's cached ctx.
    assert_eq!(message(&rules_one, &one).as_deref(), Some("n=1"));
    assert_eq!(message(&rules_many, &many).as_deref(), Some("n=99"));
    assert_eq!(message(&rules_one, &one).as_deref(), Some("n=1"));
}

#[test]
fn reloading_plugins_drops_the_old_lua_states() {
    // As `watch` does on every plugin edit: load a new set, drop the old.
    std::thread::spawn(|| {
        for round in 0..20 {
            let s = setup(&[("a.lua", &rule("XR1", "return nil"))], "").unwrap();
            vet(&s, NOTE);
            assert_eq!(
                notes_vet::plugins::PluginSet::states_in_this_thread(),
                1,
                "round {round}: one live state per live plugin set"
            );
        }
    })
    .join()
    .unwrap();
}

#[test]
fn rule_tables_are_read_raw_so_a_looping_index_cannot_hang() {
    for (what, source) in [
        (
            "at load",
            "return setmetatable({}, { __index = function() while true do end end })",
        ),
        (
            "when check is fetched",
            "return { setmetatable({ code = 'IDX001', name = 'idx' }, { __index = function() while true do end end }) }",
        ),
    ] {
        let started = Instant::now();
        let err = setup(&[("idx.lua", source)], "").err().unwrap_or_default();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: took {:?}",
            started.elapsed()
        );
        assert!(err.contains("idx.lua"), "{what}: {err}");
    }
}

#[test]
fn a_plain_find_on_large_strings_is_linear() {
    // Luau's own plain search is quadratic in C, out of the budget's reach.
    let body = "local hay = string.rep('a', 400000) .. 'b'\nlocal needle = string.rep('a', 200000) .. 'b'\nlocal i, j = string.find(hay, needle, 1, true)\nlocal k = hay:find(needle)\nif i ~= 200001 or j ~= 400001 or k ~= 200001 then return 'wrong: ' .. tostring(i) .. ' ' .. tostring(j) .. ' ' .. tostring(k) end\nif ('hello'):find('l', -2, true) ~= 4 then return 'negative init' end\nif ('abc'):find('', 10) ~= nil then return 'init past the end' end\nif ('a.c'):find('.', 1, true) ~= 2 then return 'plain dot' end\nif ('abc'):find('b.') ~= 2 then return 'pattern' end\nreturn nil";
    let s = setup(&[("find.lua", &rule("FND001", body))], "").unwrap();
    let started = Instant::now();
    let n = vet(&s, NOTE);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(found(&s, &n).is_empty(), "{:?}", found(&s, &n));
}

#[test]
fn what_a_rule_returns_is_capped() {
    let many = rule(
        "MNY001",
        "local big = string.rep('x', 10000)\nlocal out = {}\nfor i = 1, 100000 do out[i] = big end\nreturn out",
    );
    let long = rule("LNG001", "return string.rep('y', 1000000)");
    let s = setup(&[("many.lua", &many), ("long.lua", &long)], "").unwrap();
    let n = vet(&s, NOTE);
    let nv002 = messages_of(&s, &n, "NV002");
    assert!(
        nv002
            .iter()
            .any(|m| m.contains("100,000 findings") && m.contains("MNY001")),
        "{nv002:?}"
    );
    let long = messages_of(&s, &n, "LNG001");
    assert_eq!(long.len(), 1);
    assert!(
        long[0].len() <= notes_vet::plugins::MAX_MESSAGE + 4,
        "{}",
        long[0].len()
    );
}

#[test]
fn top_level_code_runs_under_the_memory_budget() {
    let hog = "local s = string.rep('x', 1e9)\nreturn { code = 'HOG001', name = 'hog', check = function() end }";
    let started = Instant::now();
    let err = setup(&[("hog.lua", hog)], "").err().unwrap_or_default();
    assert!(err.contains("hog.lua") && err.contains("memory"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn c_functions_cannot_be_tricked_out_of_their_bounds() {
    // Odd argument types that used to slip past the linear find and the
    // table.move cap, Luau's quadratic string.split, and a table nested
    // deeper than the native stack at load.
    let body = "local hay = string.rep('a', 400000) .. 'b'\nlocal needle = string.rep('a', 200000) .. 'b'\nif string.find(hay, needle, 1.5, true) ~= 200001 then return 'float init' end\nif string.find(hay, needle, '1') ~= 200001 then return 'string init' end\nlocal parts = string.split(string.rep('ab,', 100000), ',')\nif #parts ~= 100001 or parts[1] ~= 'ab' then return 'split ' .. #parts end\nlocal ok = pcall(table.move, {}, '1', '200000000', 2, {})\nif ok then return 'string move not capped' end\nreturn nil";
    let deep = "local t = {}\nfor i = 1, 300000 do t = { t } end\nreturn { code = 'DEP001', name = 'deep', deep = t, check = function() return nil end }";
    let started = Instant::now();
    // What is checked is time and bounds, not memory: the strings and the
    // split's 100,001 parts sit near a 16 MB budget before the collector
    // has run, and once in a while (a CI run here) went over it.
    let s = setup(
        &[("odd.lua", &rule("ODD001", body)), ("deep.lua", deep)],
        "memory_limit_mb = 64\n",
    )
    .unwrap();
    let n = vet(&s, NOTE);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(found(&s, &n).is_empty(), "{:?}", found(&s, &n));
}

#[test]
fn many_rules_together_cannot_outgrow_the_budget_through_their_findings() {
    let mut rules = String::from(
        "local out = {}\nfor r = 1, 50 do out[r] = { code = 'MNR' .. string.format('%03d', r), name = 'many', check = function()\n local f = {}\n for i = 1, 100 do f[i] = string.rep('m', 1900) end\n return f end } end\nreturn out",
    );
    rules.push('\n');
    let s = setup(&[("many.lua", &rules)], "").unwrap();
    let n = vet(&s, NOTE);
    let lua_findings = n
        .findings
        .iter()
        .filter(|f| s.rules.rule(f.rule).meta.code.starts_with("MNR"))
        .count();
    assert!(
        lua_findings <= notes_vet::plugins::MAX_NOTE_FINDINGS,
        "{lua_findings}"
    );
    assert!(
        messages_of(&s, &n, "NV002")
            .iter()
            .any(|m| m.contains("already returned")),
        "the rest are reported as not run"
    );
}

#[test]
fn a_rule_that_keeps_running_out_of_time_is_turned_off_for_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("plugins")).unwrap();
    std::fs::write(
        d.join("plugins/spin.lua"),
        rule("SPN001", "while true do end"),
    )
    .unwrap();
    std::fs::write(
        d.join("notes-vet.toml"),
        "[plugins]\ndirs = [\"plugins\"]\ntime_limit_ms = 20\n",
    )
    .unwrap();
    for i in 0..12 {
        std::fs::write(
            d.join(format!("n{i:02}.md")),
            format!("---\nclient: C{i}\nstatus: prospect\nsince: 2026-11-20\n---\n"),
        )
        .unwrap();
    }
    let out = common::bin()
        .args([
            "check",
            "--no-write",
            "--format",
            "json",
            "--today",
            "2026-11-23",
        ])
        .arg(d)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let per_note = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["findings"].as_array().unwrap().clone())
        .filter(|f| f["code"] == "NV002")
        .count();
    // Three overruns (one more may be in flight on another thread), then off.
    assert!((3..=4).contains(&per_note), "{per_note} time-outs reported");
    let folder: Vec<&str> = v["folder"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "NV002")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(folder.len(), 1, "{v:#}");
    assert!(
        folder[0].starts_with("SPN001 turned off for the rest of this run after")
            && folder[0].contains("plugins/spin.lua:1"),
        "{folder:?}"
    );
}

#[test]
fn plugin_authors_hear_of_missing_fields_and_see_their_prints() {
    let body = r#"
      print("checking", note.client)
      return { message = "look here", field = "rate.quoteddd" }
    "#;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("plugins")).unwrap();
    std::fs::write(d.join("plugins/fld.lua"), rule("FLD001", body)).unwrap();
    std::fs::write(
        d.join("notes-vet.toml"),
        "[plugins]\ndirs = [\"plugins\"]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("a.md"),
        "---\nclient: Acme\nstatus: prospect\nrate: {quoted: 100}\n---\n",
    )
    .unwrap();
    let out = common::bin()
        .args(["check", "--no-write", "--today", "2026-11-23"])
        .arg(d)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The finding stays (at the client line), and NV002 names the field.
    assert!(stdout.contains("[FLD001] test-rule: look here"), "{stdout}");
    assert!(
        stdout.contains("[NV002] plugin-error: field `rate.quoteddd` is not in the note"),
        "{stdout}"
    );
    // print goes to stderr after the file and line that printed.
    assert!(
        stderr.contains("plugins/fld.lua:3: checking\tAcme"),
        "{stderr}"
    );
    // What a check may return, said with the right article.
    let s = setup(&[("num.lua", &rule("NUM001", "return 42"))], "").unwrap();
    let n = vet(&s, NOTE);
    let m = messages_of(&s, &n, "NV002");
    assert!(
        m[0].contains("check returned a value of type integer"),
        "{m:?}"
    );
}
