-- notes-vet lsp in a real Neovim (0.7 or later), headless: open a note,
-- read the diagnostics, type without saving, hover, apply the quick fix,
-- stop. Run by tests/lsp.rs when `nvim` is installed:
--   NOTES_VET_BIN=... NOTES_DIR=... OUT=... nvim --headless -u NONE -n -c "luafile neovim.lua"
local out = io.open(os.getenv("OUT"), "w")
local function log(...) out:write(table.concat(vim.tbl_map(tostring, {...}), " ") .. "\n") out:flush() end
local dir = os.getenv("NOTES_DIR")
local id = vim.lsp.start_client({
  name = "notes-vet",
  cmd = { os.getenv("NOTES_VET_BIN"), "lsp", "--today", "2026-11-23" },
  root_dir = dir,
  workspace_folders = { { uri = vim.uri_from_fname(dir), name = "notes" } },
})
vim.cmd("edit " .. dir .. "/clients/acme-corp.md")
vim.lsp.buf_attach_client(0, id)
local ok = vim.wait(5000, function() return #vim.diagnostic.get(0) > 0 end, 50)
log("diagnostics arrived:", ok)
local client = vim.lsp.get_client_by_id(id)
log("offset encoding:", client.offset_encoding)
for _, d in ipairs(vim.diagnostic.get(0)) do
  log(d.lnum, d.col, d.end_lnum, d.end_col, d.code, d.severity, (d.message:gsub("\n.*", "")))
end
-- Type without saving: the first unpaid extra work marked paid.
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
for i, l in ipairs(lines) do
  if l:find("extra landing page") then
    vim.api.nvim_buf_set_lines(0, i - 1, i, false, { (l:gsub("paid: false", "paid: true")) })
  end
end
vim.wait(3000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "NV106" then return false end end
  return true
end, 50)
local codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, d.code) end
log("after typing:", table.concat(codes, ","))
-- Hover on `contacts`.
local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 8, character = 2 } }
local res = vim.lsp.buf_request_sync(0, "textDocument/hover", params, 3000)
for _, r in pairs(res or {}) do log("hover:", (r.result.contents.value:gsub("\n", " | "))) end
-- The quick fix for NV201, applied as Neovim applies a workspace edit.
local nv201
for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "NV201" then nv201 = d end end
local ca = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = nv201.lnum, character = nv201.col }, ["end"] = { line = nv201.end_lnum, character = nv201.end_col } },
  context = { diagnostics = {} },
}
local res = vim.lsp.buf_request_sync(0, "textDocument/codeAction", ca, 3000)
for _, r in pairs(res or {}) do
  for _, a in ipairs(r.result or {}) do
    log("action:", a.title)
    if a.title == "Silence NV201 in this note" then vim.lsp.util.apply_workspace_edit(a.edit, "utf-16") end
  end
end
vim.wait(3000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "NV201" then return false end end
  return true
end, 50)
codes = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, d.code) end
log("after the fix:", table.concat(codes, ","))
for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, 40, false)) do if l:find("vet_ignore") then log("line", i, l) end end
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)
log("stopped:", vim.lsp.get_client_by_id(id) == nil)
out:close()
vim.cmd("qa!")
