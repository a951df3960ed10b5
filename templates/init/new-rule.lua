-- {{code}} {{name}}: describe in a sentence what this rule looks for.
-- The API is described in plugins/notes-vet.d.lua (editor completion with
-- LuaLS) and in the README's "Writing your own rules".
return {
  code = "{{code}}",
  name = "{{name}}",
  severity = "warn",                  -- off | info | warn | error
  summary = "One line for `notes-vet rules`",
  explain = [[
What the rule checks, which keys it reads, and why it matters.]],
  advice = "What to do when it fires.",
  options = { threshold = 3 },        -- [rules.{{code}}] in notes-vet.toml may change these
  check = function(note, ctx)
    -- note.meta is the front matter (read-only); ctx.options the options.
    local count = #(note.meta.requests or {})
    if count >= ctx.options.threshold then
      return {
        message = string.format("%d requests (threshold %d)", count, ctx.options.threshold),
        field = "requests",           -- the finding's line is this key's line
      }
    end
    return nil                        -- no finding
  end,
}
