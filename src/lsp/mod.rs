//! `notes-vet lsp`: a Language Server over stdio. It vets the unsaved text
//! of each open note with the same [`Vetter`] as `check` (same rules, Lua
//! plugins and config) and publishes the findings as diagnostics; it offers
//! a quick fix that silences a rule in the note (`vet_ignore`) and hovers
//! that explain rules, keys and the verdict (the README's "Editor
//! integration").
//!
//! - [`text`]: the editor's copy of a note and the protocol's positions
//!   (UTF-16, or UTF-8 when the client offers it).
//! - [`extent`]: the range a finding covers.
//! - [`fix`]: the `vet_ignore` edit.
//! - [`hover`]: the hover texts.
//! - [`workspace`]: the settings of each notes root, reloaded when
//!   `notes-vet.toml`, a plugin or a catalog changes.
//!
//! The loop is plain and in order: each message is handled before the
//! next, and the notes changed by a burst of messages are vetted once,
//! when no message is waiting (or before a request that needs them).

pub mod extent;
pub mod fix;
pub mod hover;
pub mod text;
pub mod transport;
pub mod workspace;

use crate::engine::{NoteReport, Outcome, Vetter};
use crate::rules::Severity;
use crate::settings::Settings;
use gen_lsp_types as lsp;
use jiff::civil::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::json;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use text::{Encoding, Text};
use url::Url;
pub use workspace::LoadFlags;

/// How the server runs.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    pub flags: LoadFlags,
    /// `--today`: a fixed date; otherwise the local date of each vetting.
    pub today: Option<Date>,
}

/// Why serving ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// `shutdown` then `exit`: exit code 0.
    Shutdown,
    /// `exit` without `shutdown`, or the client went away: exit code 1.
    Abruptly,
}

/// An open document.
struct Doc {
    text: Text,
    version: i32,
    /// A markdown note (by language or file name): only those are vetted.
    note: bool,
    /// The last vetting: its report (when it was a client note) and the
    /// root whose settings vetted it.
    report: Option<NoteReport>,
    root: Option<PathBuf>,
    /// Where the note stands (its root and path in it), worked out once
    /// and again only after a reload or a workspace change, not per
    /// keystroke.
    place: Option<(PathBuf, String)>,
}

/// The server's state.
struct Server<'c> {
    conn: &'c Connection,
    enc: Encoding,
    opts: ServeOptions,
    workspace: workspace::Workspace,
    docs: HashMap<Url, Doc>,
    dirty: BTreeSet<Url>,
    /// Setting files with a published problem, and what was published.
    settings_diags: HashMap<Url, Vec<lsp::Diagnostic>>,
    /// Settings problems with no file, already shown as a message.
    shown: HashSet<String>,
    shutdown: bool,
    next_request: i32,
    /// The client reports changes to setting files (registered after
    /// `initialized`); saves are then not a second reason to reload.
    watch_files: bool,
}

/// Serves one client on `conn` until `exit` or until the client goes away.
/// Handles `initialize` itself.
pub fn serve(conn: &Connection, opts: ServeOptions) -> Ended {
    // Before `initialize`: requests are refused (-32002), `exit` ends.
    let (id, params) = loop {
        match conn.receiver.recv() {
            Err(_) => return Ended::Abruptly,
            Ok(Message::Request(r)) if r.method == "initialize" => break (r.id, r.params),
            Ok(Message::Request(r)) => {
                let _ = conn.sender.send(
                    Response::new_err(
                        r.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the server is not initialized yet: send `initialize` first".to_string(),
                    )
                    .into(),
                );
            }
            Ok(Message::Notification(n)) if n.method == "exit" => return Ended::Abruptly,
            Ok(_) => {}
        }
    };
    // Only the few fields used are read, each on its own: one field a
    // client fills in its own way must not cost the rest.
    let at = |path: &[&str]| {
        path.iter()
            .try_fold(&params, |v, k| v.get(*k))
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    let enc = if at(&["capabilities", "general", "positionEncodings"])
        .as_array()
        .is_some_and(|e| e.iter().any(|x| x == "utf-8"))
    {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let uri_of = |v: &serde_json::Value| v.as_str().and_then(|u| Url::parse(u).ok());
    let mut folders: Vec<PathBuf> = at(&["workspaceFolders"])
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| uri_of(&f["uri"]))
                .filter_map(|u| folder_path(&u))
                .collect()
        })
        .unwrap_or_default();
    // Clients older than workspace folders name one root.
    if folders.is_empty()
        && let Some(root) = uri_of(&at(&["rootUri"])).and_then(|u| folder_path(&u))
    {
        folders.push(root);
    }
    let watch_files = at(&[
        "capabilities",
        "workspace",
        "didChangeWatchedFiles",
        "dynamicRegistration",
    ]) == serde_json::Value::Bool(true);
    let result = json!({
        "capabilities": {
            "positionEncoding": match enc { Encoding::Utf8 => "utf-8", Encoding::Utf16 => "utf-16" },
            "textDocumentSync": {
                "openClose": true,
                "change": 2,
                "save": { "includeText": false }
            },
            "codeActionProvider": { "codeActionKinds": ["quickfix"] },
            "hoverProvider": true,
            "workspace": {
                "workspaceFolders": { "supported": true, "changeNotifications": true }
            }
        },
        "serverInfo": { "name": "notes-vet", "version": env!("CARGO_PKG_VERSION") }
    });
    let _ = conn.sender.send(Response::new_ok(id, result).into());
    let mut server = Server {
        conn,
        enc,
        workspace: workspace::Workspace::new(folders, opts.flags.clone()),
        opts,
        docs: HashMap::new(),
        dirty: BTreeSet::new(),
        settings_diags: HashMap::new(),
        shown: HashSet::new(),
        shutdown: false,
        next_request: 0,
        watch_files,
    };
    while let Ok(msg) = conn.receiver.recv() {
        if server.handle(msg) {
            break;
        }
        // A burst of edits is vetted once, when it has settled.
        while let Ok(msg) = conn.receiver.try_recv() {
            if server.handle(msg) {
                return server.ended();
            }
        }
        server.flush();
    }
    server.ended()
}

/// The local folder of a `file:` URI.
fn folder_path(uri: &Url) -> Option<PathBuf> {
    let p = uri.to_file_path().ok()?;
    Some(p.canonicalize().unwrap_or(p))
}

impl Server<'_> {
    fn ended(&self) -> Ended {
        if self.shutdown {
            Ended::Shutdown
        } else {
            Ended::Abruptly
        }
    }

    /// Handles one message; true when the server must stop.
    fn handle(&mut self, msg: Message) -> bool {
        match msg {
            Message::Request(req) => {
                self.request(req);
                false
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return true;
                }
                // After `shutdown` only `exit` means anything.
                if !self.shutdown {
                    self.notification(n);
                }
                false
            }
            Message::Response(_) => false,
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        // The client has gone when this fails; the loop ends on its own.
        let _ = self.conn.sender.send(msg.into());
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if self.shutdown {
            self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_string(),
            ));
            return;
        }
        let result = match req.method.as_str() {
            "initialize" => {
                self.send(Response::new_err(
                    id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is already initialized".to_string(),
                ));
                return;
            }
            "shutdown" => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            "textDocument/codeAction" => self.parse(&id, req.params).map(|p| self.code_actions(p)),
            "textDocument/hover" => self.parse(&id, req.params).map(|p| self.hover(p)),
            _ => {
                self.send(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("notes-vet does not offer {}", req.method),
                ));
                return;
            }
        };
        if let Ok(value) = result {
            self.send(Response::new_ok(id, value));
        }
    }

    /// The params of a request, or an error response sent for them.
    fn parse<P: serde::de::DeserializeOwned>(
        &self,
        id: &RequestId,
        params: serde_json::Value,
    ) -> Result<P, ()> {
        serde_json::from_value(params).map_err(|e| {
            self.send(Response::new_err(
                id.clone(),
                ErrorCode::InvalidParams as i32,
                e.to_string(),
            ))
        })
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "initialized" if self.watch_files => self.watch_setting_files(),
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let d = p.text_document;
                let note = matches!(d.language_id, lsp::LanguageKind::Markdown)
                    || crate::scan::is_note_name(d.uri.path());
                self.docs.insert(
                    d.uri.clone(),
                    Doc {
                        text: Text::new(d.text),
                        version: d.version,
                        note,
                        report: None,
                        root: None,
                        place: None,
                    },
                );
                self.dirty.insert(d.uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let enc = self.enc;
                let uri = p.text_document.text_document_identifier.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    match change {
                        lsp::TextDocumentContentChangeEvent::TextDocumentContentChangePartial(c) => {
                            doc.text.apply(Some(c.range), &c.text, enc)
                        }
                        lsp::TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(c) => {
                            doc.text.apply(None, &c.text, enc)
                        }
                    }
                }
                doc.version = p.text_document.version;
                self.dirty.insert(uri);
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                self.dirty.remove(&uri);
                if self.docs.remove(&uri).is_some_and(|d| d.note) {
                    self.publish(&uri, None, Vec::new());
                }
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                if !self.watch_files && self.is_setting_file(&p.text_document.uri) {
                    self.reload();
                }
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                if p.changes.iter().any(|c| self.is_setting_file(&c.uri)) {
                    self.reload();
                }
            }
            "workspace/didChangeWorkspaceFolders" => {
                let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeWorkspaceFoldersParams>(n.params)
                else {
                    return;
                };
                let removed: Vec<PathBuf> = p
                    .event
                    .removed
                    .iter()
                    .filter_map(|f| folder_path(&f.uri))
                    .collect();
                self.workspace.folders.retain(|f| !removed.contains(f));
                self.workspace
                    .folders
                    .extend(p.event.added.iter().filter_map(|f| folder_path(&f.uri)));
                self.replace_all();
            }
            _ => {}
        }
    }

    /// Asks the client to report changes to setting files.
    fn watch_setting_files(&mut self) {
        self.next_request += 1;
        let params = json!({
            "registrations": [{
                "id": "notes-vet-settings",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": [
                    { "globPattern": "**/notes-vet.toml" },
                    { "globPattern": "**/*.lua" },
                    { "globPattern": "**/*.ftl" }
                ]}
            }]
        });
        self.send(Request::new(
            RequestId::from(self.next_request),
            "client/registerCapability".to_string(),
            params,
        ));
    }

    /// Reloads every root's settings and re-vets every open note.
    fn reload(&mut self) {
        self.workspace.reload();
        self.shown.clear();
        self.replace_all();
    }

    /// Works out again where every open note stands (a config may have
    /// appeared or gone, a folder been added), drops roots no open note
    /// uses, and vets every note again.
    fn replace_all(&mut self) {
        for doc in self.docs.values_mut() {
            doc.place = None;
        }
        let used: Vec<PathBuf> = self
            .docs
            .keys()
            .map(|u| self.workspace.root_of(u.to_file_path().ok().as_deref()))
            .collect();
        self.workspace.retain(|root| used.iter().any(|u| u == root));
        self.dirty.extend(self.docs.keys().cloned());
    }

    /// True for a file whose change reloads settings: a `notes-vet.toml`,
    /// or a plugin or catalog in a folder some root reads them from.
    fn is_setting_file(&self, uri: &Url) -> bool {
        let Ok(path) = uri.to_file_path() else {
            return false;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name == crate::config::FILE_NAME {
            return true;
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy())
            .unwrap_or_default();
        (ext == "lua" || ext == "ftl") && self.workspace.reads_from(&path)
    }

    /// Vets the notes changed since the last time, and shows the settings
    /// problems.
    fn flush(&mut self) {
        // Twice at most: a Lua rule turned off while vetting marks every
        // open note again, so that each says so.
        for _ in 0..2 {
            let dirty = std::mem::take(&mut self.dirty);
            for uri in dirty {
                self.vet(&uri);
            }
        }
        self.publish_settings_problems();
    }

    fn vet(&mut self, uri: &Url) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if !doc.note {
            return;
        }
        let path = uri.to_file_path().ok();
        let (root, rel) = match &doc.place {
            Some(p) => p.clone(),
            None => {
                let root = self.workspace.root_of(path.as_deref());
                let rel = rel_path(&root, path.as_deref(), uri);
                (root, rel)
            }
        };
        let settings = self.workspace.settings(&root);
        let today = self.today();
        let (enc, lang) = (self.enc, self.workspace.lang());
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let version = doc.version;
        let (diagnostics, report) = match &settings {
            Some(s) => {
                let off = |s: &Settings| {
                    s.ruleset
                        .registry
                        .plugins()
                        .map_or(0, |p| p.turned_off().len())
                };
                let before = off(s);
                let out = diagnose(s, &rel, path.as_deref(), &doc.text, today, enc);
                if off(s) > before {
                    // Every open note of this root says the rule is off.
                    let others: Vec<Url> = self
                        .docs
                        .iter()
                        .filter(|(u, d)| *u != uri && d.root.as_ref() == Some(&root))
                        .map(|(u, _)| u.clone())
                        .collect();
                    self.dirty.extend(others);
                }
                out
            }
            // No settings have ever loaded for this root: the note says it
            // was not vetted, rather than look clean.
            None => {
                let error = self
                    .workspace
                    .error_of(&root)
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                let words = crate::i18n::Catalog::builtin(lang);
                let d = not_vetted(
                    &doc.text,
                    enc,
                    words.msg(&crate::msg!("lsp-not-vetted", error = error)),
                );
                (vec![d], None)
            }
        };
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.report = report;
            doc.root = Some(root.clone());
            doc.place = Some((root, rel));
        }
        self.publish(uri, Some(version), diagnostics);
    }

    fn today(&self) -> Date {
        self.opts
            .today
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
    }

    fn publish(&self, uri: &Url, version: Option<i32>, diagnostics: Vec<lsp::Diagnostic>) {
        let params = lsp::PublishDiagnosticsParams {
            uri: uri.clone(),
            version,
            diagnostics,
        };
        self.send(Notification::new(
            "textDocument/publishDiagnostics".to_string(),
            params,
        ));
    }

    /// A diagnostic on each setting file that failed to load (the last
    /// good settings stay in force); cleared once it loads.
    fn publish_settings_problems(&mut self) {
        let mut now: HashMap<Url, Vec<lsp::Diagnostic>> = HashMap::new();
        let mut unplaced = Vec::new();
        let mut errors = self.workspace.errors();
        errors.sort_by_key(|e| (e.path.clone(), e.line, e.column, e.message.clone()));
        for e in errors {
            let Some(uri) = e
                .path
                .as_ref()
                .and_then(|p| Url::from_file_path(crate::publish::absolute(p)).ok())
            else {
                unplaced.push(e.message.clone());
                continue;
            };
            let line = e.line.unwrap_or(1).max(1) - 1;
            let column = e.column.unwrap_or(1).max(1) - 1;
            let range = match self.docs.get(&uri) {
                Some(d) => {
                    let at = d.text.offset_of(crate::frontmatter::Pos {
                        line: line + 1,
                        column: column + 1,
                    });
                    d.text
                        .range(at, d.text.line_end(d.text.line_of(at)), self.enc)
                }
                None => lsp::Range::new(
                    lsp::Position::new(line, column),
                    lsp::Position::new(line, column + 1),
                ),
            };
            let d = diagnostic(
                range,
                lsp::DiagnosticSeverity::Error,
                None,
                e.message.clone(),
            );
            // Two roots may share a config and its problem: shown once.
            let on_file = now.entry(uri).or_default();
            if !on_file.contains(&d) {
                on_file.push(d);
            }
        }
        let gone: Vec<Url> = self
            .settings_diags
            .keys()
            .filter(|u| !now.contains_key(*u))
            .cloned()
            .collect();
        for uri in gone {
            self.publish(&uri, None, Vec::new());
            self.settings_diags.remove(&uri);
        }
        for (uri, diags) in now {
            if self.settings_diags.get(&uri) != Some(&diags) {
                self.publish(&uri, None, diags.clone());
                self.settings_diags.insert(uri, diags);
            }
        }
        for message in unplaced {
            if self.shown.insert(message.clone()) {
                self.send(Notification::new(
                    "window/showMessage".to_string(),
                    json!({ "type": 1, "message": format!("notes-vet: {message}") }),
                ));
            }
        }
    }

    fn code_actions(&mut self, p: lsp::CodeActionParams) -> serde_json::Value {
        self.flush();
        let uri = p.text_document.uri;
        let Some(doc) = self.docs.get(&uri) else {
            return json!([]);
        };
        let start = doc.text.offset(p.range.start, self.enc);
        let end = doc.text.offset(p.range.end, self.enc);
        // The codes of the diagnostics the client sent, and of the findings
        // under the range.
        let mut codes: Vec<String> = p
            .context
            .diagnostics
            .iter()
            .filter(|d| d.source.as_deref() == Some(SOURCE))
            .filter_map(|d| match &d.code {
                Some(lsp::Code::String(c)) => Some(c.clone()),
                _ => None,
            })
            .collect();
        let settings = doc.root.as_ref().and_then(|r| self.workspace.settings(r));
        if let (Some(report), Some(s)) = (&doc.report, &settings) {
            let root = crate::frontmatter::parse(doc.text.as_str())
                .ok()
                .flatten()
                .and_then(|f| f.root);
            for f in &report.findings {
                let (a, b) = extent::extent(&doc.text, root.as_ref(), &f.field, f.pos);
                if a <= end && start <= b {
                    codes.push(s.ruleset.rule(f.rule).meta.code.to_string());
                }
            }
        }
        let mut seen = HashSet::new();
        codes.retain(|c| seen.insert(c.to_ascii_uppercase()));
        // Only codes of rules in force (a client may send anything).
        codes.retain(|c| {
            settings
                .as_ref()
                .is_some_and(|s| s.ruleset.registry.find(c).is_some())
        });
        let words = match &settings {
            Some(s) => s.config.catalog.clone(),
            None => crate::i18n::Catalog::builtin(self.workspace.lang()),
        };
        let mut actions = Vec::new();
        for code in codes {
            let Some(edit) = fix::silence(doc.text.as_str(), &code) else {
                continue;
            };
            let fixes: Vec<lsp::Diagnostic> = p
                .context
                .diagnostics
                .iter()
                .filter(|d| d.source.as_deref() == Some(SOURCE))
                .filter(|d| matches!(&d.code, Some(lsp::Code::String(c)) if c.eq_ignore_ascii_case(&code)))
                .cloned()
                .collect();
            let text_edit = lsp::TextEdit {
                range: doc.text.range(edit.start, edit.end, self.enc),
                new_text: edit.new,
            };
            let action = lsp::CodeAction {
                title: words.msg(&crate::msg!("lsp-silence", code = code.as_str())),
                kind: Some(lsp::CodeActionKind::QuickFix),
                diagnostics: (!fixes.is_empty()).then_some(fixes),
                is_preferred: None,
                disabled: None,
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![text_edit])])),
                    document_changes: None,
                    change_annotations: None,
                }),
                command: None,
                data: None,
                tags: None,
            };
            actions.push(action);
        }
        serde_json::to_value(actions).unwrap_or(json!([]))
    }

    fn hover(&mut self, p: lsp::HoverParams) -> serde_json::Value {
        self.flush();
        let at = p.text_document_position_params;
        let Some(doc) = self.docs.get(&at.text_document.uri) else {
            return serde_json::Value::Null;
        };
        let Some(settings) = doc.root.as_ref().and_then(|r| self.workspace.settings(r)) else {
            return serde_json::Value::Null;
        };
        let offset = doc.text.offset(at.position, self.enc);
        let root = crate::frontmatter::parse(doc.text.as_str())
            .ok()
            .flatten()
            .and_then(|f| f.root);
        match hover::hover(
            &doc.text,
            offset,
            root.as_ref(),
            &settings.ruleset,
            doc.report.as_ref(),
        ) {
            Some(value) => serde_json::to_value(lsp::Hover {
                contents: lsp::Contents::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value,
                }),
                range: None,
            })
            .unwrap_or(serde_json::Value::Null),
            None => serde_json::Value::Null,
        }
    }
}

/// The `source` of every diagnostic.
const SOURCE: &str = "notes-vet";

/// The note's path relative to its root, `/`-separated (a document with
/// no file: its name).
fn rel_path(root: &Path, path: Option<&Path>, uri: &Url) -> String {
    match path {
        Some(p) => {
            let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            let p = p
                .parent()
                .and_then(|d| d.canonicalize().ok())
                .and_then(|d| p.file_name().map(|n| d.join(n)))
                .unwrap_or_else(|| p.to_path_buf());
            match p.strip_prefix(&canonical_root) {
                Ok(rel) => crate::scan::relative(Path::new(""), rel),
                Err(_) => p.display().to_string(),
            }
        }
        None => uri
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("untitled.md")
            .to_string(),
    }
}

fn severity_of(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::Error,
        Severity::Warn => lsp::DiagnosticSeverity::Warning,
        Severity::Info | Severity::Off => lsp::DiagnosticSeverity::Information,
    }
}

fn diagnostic(
    range: lsp::Range,
    severity: lsp::DiagnosticSeverity,
    code: Option<String>,
    message: String,
) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range,
        severity: Some(severity),
        code: code.map(lsp::Code::String),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: lsp::Message::String(message),
        tags: None,
        related_information: None,
        data: None,
    }
}

/// Vets one note's text and turns the outcome into diagnostics: one per
/// finding, or one for a note that cannot be parsed; none for a file that
/// is not a client note (or one the folder's scan passes by).
pub fn diagnose(
    settings: &Settings,
    rel: &str,
    path: Option<&Path>,
    text: &Text,
    today: Date,
    enc: Encoding,
) -> (Vec<lsp::Diagnostic>, Option<NoteReport>) {
    if let Some(p) = path
        && crate::scan::passed_by(rel, p, &settings.config)
    {
        return (Vec::new(), None);
    }
    // A bug must not take the editor's server down with it, nor leave the
    // note looking clean.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        diagnose_inner(settings, rel, text, today, enc)
    }));
    match outcome {
        Ok(out) => out,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let words = &settings.config.catalog;
            let d = not_vetted(
                text,
                enc,
                words.msg(&crate::msg!("lsp-failed", error = why)),
            );
            (vec![d], None)
        }
    }
}

fn diagnose_inner(
    settings: &Settings,
    rel: &str,
    text: &Text,
    today: Date,
    enc: Encoding,
) -> (Vec<lsp::Diagnostic>, Option<NoteReport>) {
    let vetter = Vetter {
        ruleset: &settings.ruleset,
        config: &settings.config,
        today,
        keep_source: false,
    };
    // One parse: the tree the findings point into comes back with them.
    let (outcome, parsed) = vetter.vet_text_parsed(rel, text.as_str());
    match outcome {
        Outcome::Vetted(report) => {
            let root = match parsed {
                Some(crate::cache::Parsed::Front { root, .. }) => root,
                _ => None,
            };
            let mut diags: Vec<lsp::Diagnostic> = report
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Off)
                .map(|f| {
                    let rule = settings.ruleset.rule(f.rule);
                    let (a, b) = extent::extent(text, root.as_ref(), &f.field, f.pos);
                    let advice = rule.meta.advice.trim();
                    let message = if advice.is_empty() {
                        f.message.clone()
                    } else {
                        format!("{}\n{advice}", f.message)
                    };
                    diagnostic(
                        text.range(a, b, enc),
                        severity_of(f.severity),
                        Some(rule.meta.code.to_string()),
                        message,
                    )
                })
                .collect();
            diags.extend(turned_off(settings, text, root.as_ref(), enc));
            (diags, Some(*report))
        }
        Outcome::Failed(e) => {
            let mut at = e.pos.map_or(0, |p| text.offset_of(p));
            let line = text.line_of(at);
            let end = text.line_end(line).max(at);
            // At the end of a line (an unclosed quote): the whole line, so
            // that the editor has something to underline.
            if at == end {
                at = text.line_end(line) - text.line(line).len();
            }
            let diag = diagnostic(
                text.range(at, end, enc),
                lsp::DiagnosticSeverity::Error,
                None,
                e.message,
            );
            (vec![diag], None)
        }
        Outcome::Skipped(_) => (Vec::new(), None),
    }
}

/// One error on the note's first line: it was not vetted, and why.
fn not_vetted(text: &Text, enc: Encoding, message: String) -> lsp::Diagnostic {
    diagnostic(
        text.range(0, text.line_end(0), enc),
        lsp::DiagnosticSeverity::Error,
        None,
        message,
    )
}

/// A Lua rule turned off after running out of its budget on too many
/// notes no longer runs; every note says so (as NV002, on its `client`
/// line) until the plugin is reloaded, where `check` says it once for the
/// folder.
fn turned_off(
    settings: &Settings,
    text: &Text,
    root: Option<&crate::frontmatter::Node>,
    enc: Encoding,
) -> Vec<lsp::Diagnostic> {
    let (Some(plugins), Some(nv002)) =
        (settings.ruleset.registry.plugins(), settings.ruleset.nv002)
    else {
        return Vec::new();
    };
    let severity = settings.ruleset.effective[nv002].severity;
    let code = settings.ruleset.rule(nv002).meta.code.to_string();
    // Silenced in the note, as the engine silences NV002's findings.
    let ignored = root
        .and_then(|r| r.get("vet_ignore"))
        .is_some_and(|e| fix::ignores(Some(&e.value), &code));
    if severity == Severity::Off || ignored {
        return Vec::new();
    }
    let client = root
        .and_then(|r| r.get("client"))
        .map(|e| e.key_pos)
        .unwrap_or_default();
    let (a, b) = extent::extent(text, root, "client", client);
    let words = &settings.config.catalog;
    plugins
        .turned_off()
        .into_iter()
        .map(|(code, count, at)| {
            diagnostic(
                text.range(a, b, enc),
                severity_of(severity),
                Some(settings.ruleset.rule(nv002).meta.code.to_string()),
                words.msg(&crate::msg!(
                    "plugin-turned-off",
                    code = code,
                    count = count,
                    at = at
                )),
            )
        })
        .collect()
}
