-- SIL001 gone-silent: an active client you have not heard from in a while.
-- A quiet client is often an unhappy one; a short check-in costs little.
return {
  code = "SIL001",
  name = "gone-silent",
  severity = "info",
  summary = "An active client has not been in touch for a long time",
  explain = [[
Fires when the status is active and the newest entry of `contacts` is more
than `max_days` days before today (or there is no contact at all and `since`
is older than that).

Why: clients rarely announce that they are drifting away; they just go quiet.
Checking in early is how you learn about a problem while it can still be fixed.]],
  advice = "Send a short, friendly check-in: how is it going, and is there anything you need?",
  options = { max_days = 45 },
  check = function(note, ctx)
    if note.status ~= "active" then return nil end
    local newest = nil
    for _, c in ipairs(note.meta.contacts or {}) do
      local d = ctx.parse_date(c.at)
      if d and (newest == nil or d.date > newest) then newest = d.date end
    end
    local since = newest or note.meta.since
    if since == nil or ctx.parse_date(since) == nil then return nil end
    local days = ctx.days_between(since, ctx.today)
    if days > ctx.options.max_days then
      local what = newest and ("last contact " .. newest) or ("no contact logged since " .. since)
      return {
        message = string.format("%s, %d days ago (limit %d)", what, days, ctx.options.max_days),
        field = newest and "contacts" or "since",
      }
    end
    return nil
  end,
}
