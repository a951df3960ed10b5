-- SCP001 scope-creep: "small" requests that keep piling up beyond the deal.
return {
  code = "SCP001",
  name = "scope-creep",
  severity = "warn",
  summary = "Requests and extra work keep growing beyond the agreed scope",
  explain = [[
Fires when the note lists at least `max_requests` requests, or at least
`max_extra` entries of `extra_work` dated in the last `window_days` days.

Why: modest demands that turn into a long list of custom changes are a
classic sign of a problem client. Naming the creep early lets you re-scope
and re-price before resentment builds.]],
  advice = "Write down what the agreement covers, and quote every addition before starting it.",
  options = { max_requests = 5, max_extra = 3, window_days = 90 },
  check = function(note, ctx)
    local found = {}
    local requests = note.meta.requests or {}
    if #requests >= ctx.options.max_requests then
      table.insert(found, {
        message = string.format("%d requests listed (threshold %d)", #requests, ctx.options.max_requests),
        field = "requests",
      })
    end
    local extra = ctx.count_recent(note.meta.extra_work, "date", ctx.options.window_days)
    if extra >= ctx.options.max_extra then
      table.insert(found, {
        message = string.format("%d pieces of extra work in the last %d days (threshold %d)",
          extra, ctx.options.window_days, ctx.options.max_extra),
        field = "extra_work",
      })
    end
    return found
  end,
}
