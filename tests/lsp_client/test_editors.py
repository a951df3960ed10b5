"""notes-vet lsp under a real LSP client: pytest-lsp (pygls), speaking with
the recorded capabilities of Neovim 0.11 (which offers UTF-8 positions) and
of VS Code (UTF-16 only). pytest-lsp also checks every message against the
LSP specification and fails the test on a violation.

Run by `cargo test` (tests/lsp.rs) with NOTES_VET_BIN set to the binary;
`.ci/run` installs pytest-lsp.
"""

import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("NOTES_VET_BIN", str(REPO / "target" / "debug" / "notes-vet"))
NOTE = "clients/acme-corp.md"


@pytest.fixture
def notes(tmp_path):
    shutil.copytree(REPO / "notes-example", tmp_path / "notes")
    return tmp_path / "notes"


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[BIN, "lsp", "--today", "2026-11-23"],
        server_env={"LANG": "C.UTF-8", "PATH": os.environ.get("PATH", "")},
    ),
    params=["neovim@v0.11.0", "visual-studio-code"],
)
async def client(lsp_client: LanguageClient, request, notes):
    caps = client_capabilities(request.param)

    # The server asks to watch its setting files; both editors accept.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations = params.registrations
        return None

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            workspace_folders=[types.WorkspaceFolder(uri=notes.as_uri(), name="notes")],
        )
    )
    lsp_client.notes = notes
    lsp_client.editor = request.param
    yield
    await lsp_client.shutdown_session()


async def open_note(client, rel, text=None):
    path = client.notes / rel
    uri = path.as_uri()
    text = path.read_text() if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri, text


@pytest.mark.asyncio(loop_scope="function")
async def test_diagnostics_quick_fix_and_hover(client: LanguageClient):
    uri, text = await open_note(client, NOTE)
    diags = client.diagnostics[uri]
    codes = {d.code for d in diags}
    assert {"NV201", "NV204", "NV106"} <= codes, codes
    watchers = getattr(client, "registrations", [])
    assert client.editor.startswith("neovim") or watchers, "VS Code gets file watchers"
    assert all(d.source == "notes-vet" for d in diags)
    nv201 = next(d for d in diags if d.code == "NV201")
    assert nv201.severity == types.DiagnosticSeverity.Warning
    assert nv201.range.start == types.Position(line=8, character=0)

    # Hover on the code in the note's text after a vet_ignore is typed.
    lines = text.splitlines(keepends=True)
    lines.insert(2, "vet_ignore: [NV105]\n")
    text2 = "".join(lines)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text2)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=2, character=15),
        )
    )
    assert "NV105" in hover.contents.value

    # The quick fix for NV201, applied as the editor would.
    nv201 = next(d for d in client.diagnostics[uri] if d.code == "NV201")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=nv201.range,
            context=types.CodeActionContext(diagnostics=[nv201]),
        )
    )
    action = next(a for a in actions if a.title == "Silence NV201 in this note")
    (edit,) = action.edit.changes[uri]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[
                types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = {d.code for d in client.diagnostics[uri]}
    assert "NV201" not in codes and "NV204" in codes, codes


@pytest.mark.asyncio(loop_scope="function")
async def test_positions_follow_the_negotiated_encoding(client: LanguageClient):
    note = (
        "---\nclient: Şule Ağaoğlu\nstatus: prospect\n"
        'rate: {currency: "İş🙂", quoted: 100, requested: 60}\n---\n'
    )
    (client.notes / "prospects" / "şule.md").write_text(note)
    uri, _ = await open_note(client, "prospects/şule.md", note)
    nv107 = next(d for d in client.diagnostics[uri] if d.code == "NV107")
    line = note.splitlines()[3]
    at = line.index("requested")
    if client.editor.startswith("neovim"):
        want = len(line[:at].encode("utf-8"))
    else:
        want = len(line[:at].encode("utf-16-le")) // 2
    assert nv107.range.start == types.Position(line=3, character=want), (
        client.editor,
        nv107.range,
    )


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
