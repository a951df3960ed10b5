-- An example notes-vet rule in Lua: flags a client who has gone silent.
-- notes-vet.toml turns plugins on with `[plugins] dirs = ["plugins"]`.
return {
  code = "EX001",
  name = "example-gone-silent",
  severity = "info",
  summary = "An active client has not been in touch for a long time",
  explain = "Fires when an active client's last logged contact is more than `max_days` days ago.",
  advice = "Check in with a short, friendly message.",
  options = { max_days = 45 },
  check = function(note, ctx)
    if note.status ~= "active" then return nil end
    local last = nil
    for _, c in ipairs(note.meta.contacts or {}) do
      local d = ctx.parse_date(c.at)
      if d and (last == nil or d.date > last) then last = d.date end
    end
    if last == nil then return nil end
    local days = ctx.days_between(last, ctx.today)
    if days > ctx.options.max_days then
      return { message = "no contact for " .. days .. " days", field = "contacts" }
    end
  end,
}
