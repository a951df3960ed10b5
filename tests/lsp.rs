//! `notes-vet lsp` driven as an editor drives it: the real binary over
//! stdio, speaking JSON-RPC with `Content-Length` frames. Diagnostics on
//! open and on unsaved changes, positions in UTF-16 and UTF-8, the quick
//! fix, hover, a config change, a runaway Lua rule, shutdown and exit.

mod common;

use common::TODAY;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("notes-vet"))
            .args(["lsp", "--today", TODAY])
            .current_dir(dir)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("NOTES_VET_TODAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.unwrap()];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            pending: Vec::new(),
            next: 0,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message from the server; requests it makes are answered.
    fn read(&mut self) -> Value {
        let v = self
            .rx
            .recv_timeout(PATIENCE)
            .expect("the server answers in time");
        if std::env::var("LSP_TRACE").is_ok() {
            eprintln!("<- {v}");
        }
        if v.get("method").is_some() && v.get("id").is_some() {
            // `client/registerCapability` and the like: accepted.
            let id = v["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
        }
        v
    }

    /// The next response (skipping what the server asks or tells).
    fn response(&mut self) -> Value {
        loop {
            let v = self.read();
            if v.get("method").is_none() {
                return v;
            }
        }
    }

    /// Sends a request and waits for its response (`result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.read();
            if v["id"] == json!(id) && v.get("method").is_none() {
                return v;
            }
            if v.get("id").is_none() {
                self.pending.push(v);
            }
        }
    }

    fn initialize(&mut self, root: &Path, utf8: bool) -> Value {
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{"uri": uri(root), "name": "notes"}],
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
                }
            }),
        );
        self.notify("initialized", json!({}));
        r["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.pending.iter().position(|v| is_diagnostics_for(v, uri)) {
            let v = self.pending.remove(i);
            return v["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let v = self.read();
            if is_diagnostics_for(&v, uri) {
                return v["params"]["diagnostics"].as_array().unwrap().clone();
            }
            if v.get("id").is_none() {
                self.pending.push(v);
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, changes: Value) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        self.diagnostics(uri)
    }

    /// `shutdown`, `exit`, and the exit code.
    fn stop(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(&mut self) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(start.elapsed() < PATIENCE, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_diagnostics_for(v: &Value, uri: &str) -> bool {
    v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
}

fn uri(p: &Path) -> String {
    url::Url::from_file_path(p.canonicalize().unwrap())
        .unwrap()
        .to_string()
}

fn file_uri(dir: &Path, rel: &str) -> String {
    let p = dir.canonicalize().unwrap().join(rel);
    url::Url::from_file_path(p).unwrap().to_string()
}

/// (code, start line, start character, end line, end character, severity)
fn shape(d: &Value) -> (String, u64, u64, u64, u64, u64) {
    let r = &d["range"];
    (
        d["code"].as_str().unwrap_or("").to_string(),
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
        d["severity"].as_u64().unwrap(),
    )
}

fn codes(diags: &[Value]) -> Vec<String> {
    let mut c: Vec<String> = diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    c.sort();
    c.dedup();
    c
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn diagnostics_match_check_and_follow_unsaved_changes() {
    let ex = common::example();
    let d = ex.path();
    let rel = "clients/acme-corp.md";
    let text = std::fs::read_to_string(d.join(rel)).unwrap();
    let mut c = Client::start(d);
    let init = c.initialize(d, false);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "notes-vet");
    let u = file_uri(d, rel);
    let diags = c.open(&u, &text);
    // The same findings as `check`, at the same places, with the same
    // severities; each carries its rule's advice and covers its key.
    let report = common::check_json(d);
    let note = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["path"] == rel)
        .unwrap()
        .clone();
    let findings = note["findings"].as_array().unwrap();
    assert_eq!(diags.len(), findings.len(), "{diags:#?}");
    for (f, d) in findings.iter().zip(&diags) {
        assert_eq!(d["code"], f["code"]);
        assert_eq!(d["source"], "notes-vet");
        assert_eq!(d["range"]["start"]["line"], f["line"].as_u64().unwrap() - 1);
        assert_eq!(
            d["range"]["start"]["character"],
            f["column"].as_u64().unwrap() - 1
        );
        let severity = match f["severity"].as_str().unwrap() {
            "error" => 1,
            "warn" => 2,
            _ => 3,
        };
        assert_eq!(d["severity"], severity, "{d}");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with(f["message"].as_str().unwrap())
        );
    }
    // NV201 (too many contacts) covers the whole `contacts` list: from its
    // key to the last entry's closing brace.
    let nv201 = diags.iter().find(|d| d["code"] == "NV201").unwrap();
    let last = text[..text.find("extra_work:").unwrap()].lines().count() as u64 - 1;
    let (_, l0, c0, l1, c1, _) = shape(nv201);
    assert_eq!((l0, c0), (8, 0));
    assert_eq!(l1, last);
    assert_eq!(c1 as usize, text.lines().nth(last as usize).unwrap().len());
    assert!(
        nv201["message"].as_str().unwrap().contains('\n'),
        "message, then advice: {nv201}"
    );

    // An unsaved edit (incremental): the first unpaid extra work marked
    // paid leaves 1.5 unpaid hours, under NV106's 2. Nothing is written.
    let line = text
        .lines()
        .position(|l| l.contains("extra landing page"))
        .unwrap() as u64;
    let col = text
        .lines()
        .nth(line as usize)
        .unwrap()
        .find("false")
        .unwrap() as u64;
    assert!(codes(&diags).contains(&"NV106".to_string()));
    let after = c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": line, "character": col},
                          "end": {"line": line, "character": col + 5}},
                "text": "true"}]),
    );
    let now = codes(&after);
    assert!(
        !now.contains(&"NV106".to_string()) && now.contains(&"NV201".to_string()),
        "{now:?}"
    );
    assert_eq!(std::fs::read_to_string(d.join(rel)).unwrap(), text);

    // A parse error: one error at its line and column.
    let broken = text.replacen("status: active", "status: [active", 1);
    let diags = c.change(&u, 3, json!([{"text": broken}]));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 2);
    assert!(
        diags[0]["message"].as_str().unwrap().contains('['),
        "{diags:#?}"
    );

    // Not a client note: nothing. Closed: cleared.
    let diags = c.change(&u, 4, json!([{"text": "# just notes\n"}]));
    assert!(diags.is_empty());
    let diags = c.change(&u, 5, json!([{"text": text}]));
    assert!(!diags.is_empty());
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert!(c.diagnostics(&u).is_empty());
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn positions_are_right_in_utf16_and_in_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Turkish letters and an emoji before the key a finding names, on the
    // same line.
    let note = "---\nclient: Şule Ağaoğlu\nstatus: prospect\nrate: {currency: \"İş🙂\", quoted: 100, requested: 60}\n---\n";
    write(d, "şule.md", note);
    let line = note.lines().nth(3).unwrap();
    let at = line.find("requested").unwrap();
    let end = line.find('}').unwrap();
    for utf8 in [false, true] {
        let mut c = Client::start(d);
        let init = c.initialize(d, utf8);
        let u = file_uri(d, "şule.md");
        let diags = c.open(&u, note);
        let nv107 = diags.iter().find(|d| d["code"] == "NV107").expect("NV107");
        let (_, l0, c0, l1, c1, sev) = shape(nv107);
        let (want0, want1) = if utf8 {
            assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
            (at, end)
        } else {
            assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
            let u16 = |b: usize| line[..b].encode_utf16().count();
            (u16(at), u16(end))
        };
        assert_eq!(
            (l0, c0, l1, c1),
            (3, want0 as u64, 3, want1 as u64),
            "utf8={utf8}"
        );
        assert_eq!(sev, 2);
        assert_eq!(c.stop(), Some(0));
    }
}

/// Applies one LSP text edit (UTF-16 positions) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let ch = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let mut at = start;
        for c in text[start..].chars() {
            if units >= ch || c == '\n' {
                break;
            }
            units += c.len_utf16();
            at += c.len_utf8();
        }
        at
    };
    let (s, e) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..s],
        edit["newText"].as_str().unwrap(),
        &text[e..]
    )
}

#[test]
fn the_quick_fix_silences_a_rule_in_yaml_and_toml() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let notes = [
        (
            "absent.md",
            "---\nclient: A\nstatus: prospect\nguarantee_requested: true\n---\nbody\n",
        ),
        (
            "inline.md",
            "---\nclient: B\nstatus: prospect\nguarantee_requested: true\nvet_ignore: [NV303]\n---\n",
        ),
        (
            "block.md",
            "---\nclient: C\nstatus: prospect\nguarantee_requested: true\nvet_ignore:\n  - code: NV303\n    reason: fine\n---\n",
        ),
        (
            "toml.md",
            "+++\nclient = \"D\"\nstatus = \"prospect\"\nguarantee_requested = true\n[rate]\nquoted = 100\n+++\n",
        ),
    ];
    let mut c = Client::start(d);
    c.initialize(d, false);
    for (name, note) in notes {
        write(d, name, note);
        let u = file_uri(d, name);
        let diags = c.open(&u, note);
        let nv101 = diags
            .iter()
            .find(|d| d["code"] == "NV101")
            .unwrap_or_else(|| panic!("{name}: {diags:#?}"))
            .clone();
        let r = c.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": nv101["range"],
                   "context": {"diagnostics": [nv101]}}),
        );
        let actions = r["result"].as_array().unwrap();
        let action = actions
            .iter()
            .find(|a| a["title"] == "Silence NV101 in this note")
            .unwrap_or_else(|| panic!("{name}: {r}"));
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["diagnostics"][0]["code"], "NV101");
        let edits = action["edit"]["changes"][&u].as_array().unwrap();
        assert_eq!(edits.len(), 1);
        let fixed = apply(note, &edits[0]);
        let after = c.change(&u, 2, json!([{"text": fixed}]));
        assert!(
            !after.iter().any(|d| d["code"] == "NV101"),
            "{name}: {fixed}\n{after:#?}"
        );
        assert!(
            after.iter().all(|d| d["severity"] != 1),
            "{name}: the fixed note still parses: {fixed}\n{after:#?}"
        );
    }
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn hover_explains_codes_keys_and_the_verdict() {
    let ex = common::example();
    let d = ex.path();
    let rel = "clients/acme-corp.md";
    let text = std::fs::read_to_string(d.join(rel)).unwrap().replacen(
        "status: active\n",
        "status: active\nvet_ignore: [NV105]\n",
        1,
    );
    let mut c = Client::start(d);
    c.initialize(d, false);
    let u = file_uri(d, rel);
    c.open(&u, &text);
    let mut hover = |line: usize, needle: &str| -> String {
        let l = text.lines().nth(line).unwrap();
        let ch = l[..l.find(needle).unwrap()].encode_utf16().count() + 1;
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": line, "character": ch}}),
        );
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let code = hover(3, "NV105");
    assert!(code.contains("NV105") && code.contains("Advice"), "{code}");
    let key = hover(9, "contacts");
    assert!(key.contains("`contacts` is read by:"), "{key}");
    assert!(key.contains("NV201") && key.contains("NV204"), "{key}");
    // A key inside a list entry: the rules that read its list.
    let tone = hover(10, "tone");
    assert!(tone.contains("`contacts` is read by:"), "{tone}");
    // The client's name as well as its key: the verdict and score.
    let name = hover(1, "Acme");
    assert!(name.contains("Verdict: let go"), "{name}");
    assert!(!name.contains("no rule reads"), "{name}");
    let client = hover(1, "client");
    assert!(
        client.contains("**Acme Corp**: Verdict: let go (score"),
        "{client}"
    );
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_config_change_reloads_and_a_broken_one_is_shown_on_its_file() {
    let ex = common::example();
    let d = ex.path();
    let rel = "clients/acme-corp.md";
    let text = std::fs::read_to_string(d.join(rel)).unwrap();
    let toml = d.join("notes-vet.toml");
    let good = std::fs::read_to_string(&toml).unwrap();
    let mut c = Client::start(d);
    c.initialize(d, false);
    let u = file_uri(d, rel);
    assert!(codes(&c.open(&u, &text)).contains(&"NV201".to_string()));
    let changed = |c: &mut Client, file: &Path| {
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(file), "type": 2}]}),
        );
    };
    // NV201 turned off in the config: it goes from the open note.
    std::fs::write(
        &toml,
        format!("{good}\n[rules.NV202]\nseverity = \"off\"\n")
            .replace("[rules.NV201]\n", "[rules.NV201]\nseverity = \"off\"\n"),
    )
    .unwrap();
    changed(&mut c, &toml);
    let after = codes(&c.diagnostics(&u));
    assert!(!after.contains(&"NV201".to_string()), "{after:?}");
    // A broken config: an error on the config file at its line; the last
    // good settings stay in force for the note.
    std::fs::write(&toml, format!("{good}\n[verdict]\nreject = \"three\"\n")).unwrap();
    changed(&mut c, &toml);
    let on_config = c.diagnostics(&uri(&toml));
    assert_eq!(on_config.len(), 1, "{on_config:#?}");
    assert_eq!(on_config[0]["severity"], 1);
    let note_now = codes(&c.diagnostics(&u));
    assert_eq!(note_now, after, "the last good settings stay");
    // Fixed: the config's diagnostic is cleared and NV201 is back.
    std::fs::write(&toml, &good).unwrap();
    changed(&mut c, &toml);
    let mut cleared = false;
    let mut back = false;
    for _ in 0..2 {
        let v = c.read();
        if is_diagnostics_for(&v, &uri(&toml)) {
            cleared = v["params"]["diagnostics"].as_array().unwrap().is_empty();
        }
        if is_diagnostics_for(&v, &u) {
            back = codes(v["params"]["diagnostics"].as_array().unwrap())
                .contains(&"NV201".to_string());
        }
    }
    assert!(cleared && back);
    // A broken plugin: shown on the plugin file, at its line.
    write(
        d,
        "plugins/bad.lua",
        "return {\n  code = 'X001',\n  check = function(\n",
    );
    std::fs::write(&toml, format!("{good}\n[plugins]\ndirs = [\"plugins\"]\n")).unwrap();
    changed(&mut c, &toml);
    let plugin = c.diagnostics(&uri(&d.join("plugins/bad.lua")));
    assert_eq!(plugin.len(), 1, "{plugin:#?}");
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn a_runaway_lua_rule_is_nv002_and_the_server_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "notes-vet.toml",
        "[plugins]\ndirs = [\"plugins\"]\ntime_limit_ms = 50\n",
    );
    write(
        d,
        "plugins/spin.lua",
        "return {\n  code = 'SPIN001',\n  name = 'spin',\n  summary = 'spins',\n  check = function(note, ctx)\n    while true do end\n  end,\n}\n",
    );
    let note = "---\nclient: Spin\nstatus: active\n---\n";
    let mut c = Client::start(d);
    c.initialize(d, false);
    let uris: Vec<String> = (1..=4)
        .map(|i| {
            write(d, &format!("spin{i}.md"), note);
            file_uri(d, &format!("spin{i}.md"))
        })
        .collect();
    let u = uris[0].clone();
    let start = Instant::now();
    let diags = c.open(&u, note);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(codes(&diags).contains(&"NV002".to_string()), "{diags:#?}");
    // The same note edited again and again counts once.
    for v in 2..=4 {
        c.change(&u, v, json!([{"text": note}]));
    }
    let again = c.change(&u, 5, json!([{"text": note}]));
    assert!(
        !again
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("turned off")),
        "{again:#?}"
    );
    // Three notes: the rule is turned off, and every open note says so at
    // its `client` line (the first one too, without being edited).
    c.open(&uris[1], note);
    c.open(&uris[2], note);
    let first = c.diagnostics(&u);
    let off = first
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .contains("SPIN001 turned off")
        })
        .unwrap_or_else(|| panic!("{first:#?}"));
    assert_eq!(off["code"], "NV002");
    assert_eq!(off["range"]["start"]["line"], 1);
    let start = Instant::now();
    let fourth = c.open(&uris[3], note);
    assert!(start.elapsed() < Duration::from_millis(40), "not run again");
    assert!(
        fourth
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains("turned off"))
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 1, "character": 1}}),
    );
    assert!(r.get("result").is_some());
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn exit_codes_and_the_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    // exit without shutdown: 1.
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), false);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(1));
    // stdin closed: the server ends by itself.
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), false);
    c.stdin = None;
    assert!(c.wait().is_some());
    // Before `initialize`: a request is refused, `exit` ends with 1.
    let mut c = Client::start(dir.path());
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(1));
    // Malformed input gets an error response each, and the server goes on.
    let mut c = Client::start(dir.path());
    c.initialize(dir.path(), false);
    for (body, code, id) in [
        ("{not json}", -32700, Value::Null),
        ("{\"foo\":1}", -32600, Value::Null),
        (
            "[{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]",
            -32600,
            Value::Null,
        ),
        (
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}",
            -32600,
            json!(1.5),
        ),
    ] {
        c.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        let v = c.response();
        assert_eq!(
            (v["error"]["code"].clone(), v["id"].clone()),
            (json!(code), id),
            "{body}: {v}"
        );
    }
    // A frame without Content-Length, and `\n` line ends: skipped, then read.
    c.send_raw(b"Foo: bar\r\n\r\n");
    let body = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"initialize\",\"params\":{}}";
    c.send_raw(format!("content-length: {}\n\n{body}", body.len()).as_bytes());
    let v = c.response();
    assert_eq!(
        (v["id"].clone(), v["error"]["code"].clone()),
        (json!(77), json!(-32600)),
        "{v}"
    );
    // An unknown request gets an error, not silence; the server goes on.
    let r = c.request("textDocument/formatting", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    assert_eq!(c.stop(), Some(0));
}

mod any_text {
    //! The server's pieces on any text and any edit: no panic, every range
    //! inside the text, every quick fix leaving a note that parses.

    use notes_vet::lsp::text::{Encoding, Text};
    use notes_vet::lsp::{diagnose, fix, hover};
    use proptest::prelude::*;
    use std::path::Path;

    fn settings() -> (tempfile::TempDir, notes_vet::settings::Settings) {
        let dir = tempfile::tempdir().unwrap();
        let plugins = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins");
        std::fs::create_dir(dir.path().join("plugins")).unwrap();
        for f in std::fs::read_dir(plugins).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|e| e == "lua") {
                std::fs::copy(&f, dir.path().join("plugins").join(f.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(
            dir.path().join("notes-vet.toml"),
            "[plugins]\ndirs = [\"plugins\"]\n",
        )
        .unwrap();
        let s = notes_vet::settings::load(&notes_vet::settings::LoadRequest {
            root: dir.path(),
            config: None,
            lang: None,
            locale: notes_vet::i18n::Lang::En,
            select: &[],
            ignore: &[],
            templates: false,
        })
        .unwrap();
        (dir, s)
    }

    const PIECES: &[&str] = &[
        "---",
        "+++",
        "client: Şule 🙂",
        "client = \"A\"",
        "status: active",
        "status: prospect",
        "contacts:",
        "  - {at: 2026-11-20T23:00, channel: phone, tone: rude}",
        "  - at: 2026-11-21",
        "    tone: aggressive",
        "vet_ignore: [NV101",
        "vet_ignore:",
        "  - NV201",
        "vet_ignore: NV2",
        "rate: {quoted: 100, requested: 60, currency: \"İ🙂}\"}",
        "guarantee_requested: true",
        "note: |",
        "  a: b",
        "\t",
        "'",
        "\"",
        "[",
        "{",
        "",
        "# x",
        "İş 🙂: x",
        "\r",
        "key: value: more",
        "invoices:",
        "  - {id: \"a]\", amount: 5, issued: 2026-01-01, due: 2026-02-01}",
    ];

    fn note() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
                .prop_map(|l| l.join("\n")),
            // Most of it a client note, so the rules and plugins run.
            proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
                .prop_map(|l| format!("---\nclient: X\nstatus: active\n{}\n---\n", l.join("\n"))),
            ".{0,200}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]
        #[test]
        fn any_text_and_edit(
            start in note(),
            edits in proptest::collection::vec((0u32..30, 0u32..90, 0u32..3, 0u32..90, note()), 0..5),
            utf8 in any::<bool>(),
        ) {
            static SETTINGS: std::sync::OnceLock<(tempfile::TempDir, notes_vet::settings::Settings)> = std::sync::OnceLock::new();
            let (_, s) = SETTINGS.get_or_init(settings);
            let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let today = jiff::civil::date(2026, 11, 23);
            let mut text = Text::new(start);
            for (line, ch, lines, ch2, new) in edits {
                let range = gen_lsp_types::Range::new(
                    gen_lsp_types::Position::new(line, ch),
                    gen_lsp_types::Position::new(line + lines, ch2),
                );
                text.apply(Some(range), &new, enc);
                let (diags, report) = diagnose(s, "n.md", None, &text, today, enc);
                for d in &diags {
                    prop_assert!(d.range.start <= d.range.end, "{d:?}");
                    prop_assert!((d.range.end.line as usize) < text.lines(), "{d:?}");
                    let a = text.offset(d.range.start, enc);
                    let b = text.offset(d.range.end, enc);
                    prop_assert!(a <= b && b <= text.as_str().len());
                    // Round trip: the range is on character boundaries.
                    prop_assert_eq!(text.position(a, enc), d.range.start);
                }
                let root = notes_vet::frontmatter::parse(text.as_str()).ok().flatten().and_then(|f| f.root);
                for at in [0, text.as_str().len() / 2, text.as_str().len()] {
                    let _ = hover::hover(&text, at, root.as_ref(), &s.ruleset, report.as_ref());
                }
                if let Some(e) = fix::silence(text.as_str(), "NV101") {
                    let mut after = text.as_str().to_string();
                    after.replace_range(e.start..e.end, &e.new);
                    prop_assert!(matches!(notes_vet::frontmatter::parse(&after), Ok(Some(_))));
                }
            }
        }
    }
}

/// The Python that has pytest-lsp: `NOTES_VET_PYTEST_PYTHON`, else the
/// virtual environment `.ci/run` makes in `target/lsp-venv`.
fn pytest_python() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("NOTES_VET_PYTEST_PYTHON") {
        return Some(p.into());
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lsp-venv/bin/python");
    venv.is_file().then_some(venv)
}

#[test]
fn a_real_client_pytest_lsp_with_neovim_and_vs_code_capabilities() {
    let Some(python) = pytest_python() else {
        // CI always has it (`.ci/run` installs it and sets this).
        assert!(
            std::env::var_os("NOTES_VET_REQUIRE_CLIENTS").is_none(),
            "pytest-lsp is required here but not installed"
        );
        eprintln!("skipped: no pytest-lsp (run .ci/run, or set NOTES_VET_PYTEST_PYTHON)");
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp_client");
    let out = Command::new(python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "."])
        .current_dir(&dir)
        .env("NOTES_VET_BIN", assert_cmd::cargo::cargo_bin("notes-vet"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("4 passed"), "{text}");
}

#[test]
fn a_real_editor_neovim_headless_when_installed() {
    let has_nvim = Command::new("nvim")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nvim {
        eprintln!("skipped: no nvim (apt install neovim)");
        return;
    }
    let ex = common::example();
    let out = ex.path().join("nvim-out.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp_client/neovim.lua");
    let status = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("NOTES_VET_BIN", assert_cmd::cargo::cargo_bin("notes-vet"))
        .env("NOTES_DIR", ex.path())
        .env("OUT", &out)
        .env("XDG_STATE_HOME", ex.path().join(".state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "{text}");
    assert!(text.contains("diagnostics arrived: true"), "{text}");
    assert!(text.contains("8 0 20 56 NV201 2 "), "{text}");
    assert!(text.contains("after typing: NV201,NV204"), "{text}");
    assert!(text.contains("hover: `contacts` is read by:"), "{text}");
    assert!(text.contains("after the fix: NV204"), "{text}");
    assert!(text.contains("vet_ignore: [NV201]"), "{text}");
    assert!(text.contains("stopped: true"), "{text}");
}

#[test]
fn settings_that_never_loaded_say_so_on_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "notes-vet.toml",
        "[verdict]\ncaution = 1\n\n[rules.NV201]\ncautoin = 1\n",
    );
    let note = "---\nclient: A\nstatus: prospect\nguarantee_requested: true\n---\n";
    write(d, "a.md", note);
    let mut c = Client::start(d);
    c.initialize(d, false);
    let u = file_uri(d, "a.md");
    let diags = c.open(&u, note);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let m = diags[0]["message"].as_str().unwrap();
    assert!(
        m.starts_with("Not vetted: the settings for this note cannot be loaded."),
        "{m}"
    );
    assert!(
        m.contains("notes-vet.toml:5:1: `rules.NV201.cautoin`"),
        "{m}"
    );
    // On the config file: once, at the key's line.
    let on_config = c.diagnostics(&uri(&d.join("notes-vet.toml")));
    assert_eq!(on_config.len(), 1, "{on_config:#?}");
    assert_eq!(on_config[0]["range"]["start"]["line"], 4);
    assert_eq!(c.stop(), Some(0));
}

#[test]
fn the_config_is_the_one_check_uses_on_the_workspace_folder() {
    // A nested config under a folder with its own: `check` on the folder
    // uses the folder's for every note, and so does the editor.
    let ex = common::example();
    let d = ex.path();
    write(
        d,
        "clients/notes-vet.toml",
        "[rules.NV201]\nseverity = \"off\"\n",
    );
    let rel = "clients/acme-corp.md";
    let text = std::fs::read_to_string(d.join(rel)).unwrap();
    let mut c = Client::start(d);
    c.initialize(d, false);
    let from_editor = codes(&c.open(&file_uri(d, rel), &text));
    let report = common::check_json(d);
    let mut from_check: Vec<String> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["path"] == rel)
        .unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    from_check.sort();
    from_check.dedup();
    assert_eq!(from_editor, from_check);
    assert!(from_editor.contains(&"NV201".to_string()));
    assert_eq!(c.stop(), Some(0));

    // A vault open whole, its config in a subfolder: that config.
    let vault = tempfile::tempdir().unwrap();
    let v = vault.path();
    std::fs::create_dir_all(v.join(".obsidian")).unwrap();
    write(
        v,
        "Clients/notes-vet.toml",
        "[rules.NV101]\nseverity = \"error\"\n",
    );
    let note = "---\nclient: A\nstatus: prospect\nguarantee_requested: true\n---\n";
    write(v, "Clients/a.md", note);
    let mut c = Client::start(v);
    c.initialize(v, false);
    let diags = c.open(&file_uri(v, "Clients/a.md"), note);
    let nv101 = diags.iter().find(|d| d["code"] == "NV101").unwrap();
    assert_eq!(nv101["severity"], 1, "{nv101}");
    assert_eq!(c.stop(), Some(0));
}
