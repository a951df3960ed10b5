-- An example notes-vet rule in Lua: flags a client who has gone silent.
-- Turn plugins on with `[plugins] dirs = ["plugins"]` in notes-vet.toml.
return {
  code = "SIL001",
  name = "gone-silent",
  severity = "info",
  summary = "An active client has not been in touch for a long time",
  explain = "Fires when an active client's last logged contact is more than `max_days` days ago.",
  advice = "Check in with a short, friendly message.",
  options = { max_days = 45 },
  check = function(note, ctx)
    if note.status ~= "active" then return nil end
    local last = nil
    for _, c in ipairs(note.meta.contacts or {}) do
      local day = string.sub(tostring(c.at or ""), 1, 10)
      if last == nil or day > last then last = day end
    end
    if last == nil then return nil end
    local days = ctx.days_between(last, ctx.today)
    if days > ctx.options.max_days then
      return { message = "no contact for " .. days .. " days", field = "contacts" }
    end
  end,
}
