-- CAN001 short-notice-cancellations: meetings called off at the last minute.
-- Reads a key of your own: cancellations: [{at: datetime, notice_hours: n}]
return {
  code = "CAN001",
  name = "short-notice-cancellations",
  severity = "warn",
  summary = "The client cancels meetings at short notice",
  explain = [[
Reads a key of your own, `cancellations`: a list of `{at, notice_hours}`
(when the meeting was, and how many hours before it the client cancelled).
Fires when at least `max_short` cancellations in the last `window_days` days
came with less than `min_notice_hours` hours of notice.

Why: time you reserved and could not sell is unpaid work, and a pattern of
late cancellations says how the client values your time.]],
  advice = "State a cancellation policy (for example, 24 hours or the session is billed) and apply it.",
  options = { min_notice_hours = 24, max_short = 2, window_days = 90 },
  check = function(note, ctx)
    local short = 0
    for _, c in ipairs(note.meta.cancellations or {}) do
      local d = ctx.parse_date(c.at)
      if d and type(c.notice_hours) == "number" and c.notice_hours < ctx.options.min_notice_hours then
        local age = ctx.days_between(d.date, ctx.today)
        if age >= 0 and age < ctx.options.window_days then short += 1 end
      end
    end
    if short >= ctx.options.max_short then
      return {
        message = string.format("%d meetings cancelled with less than %d hours' notice in the last %d days",
          short, ctx.options.min_notice_hours, ctx.options.window_days),
        field = "cancellations",
      }
    end
    return nil
  end,
}
