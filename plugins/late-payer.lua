-- PAY001 late-payer: a history of paying invoices late, even if all are paid now.
return {
  code = "PAY001",
  name = "late-payer",
  severity = "warn",
  summary = "The client has paid several invoices late",
  explain = [[
Fires when at least `min_late` invoices were paid more than `grace_days`
days after their due date (NV107 covers invoices that are still unpaid).

Why: a client who always pays late is financing their business with your
time. The pattern matters more than any single invoice.]],
  advice = "Ask for a deposit or payment up front, and shorten your payment terms.",
  options = { min_late = 2, grace_days = 7 },
  check = function(note, ctx)
    local late, first = 0, nil
    for i, inv in ipairs(note.meta.invoices or {}) do
      if type(inv.paid) == "string" and inv.due then
        local days = ctx.days_between(inv.due, inv.paid)
        if days > ctx.options.grace_days then
          late += 1
          first = first or i
        end
      end
    end
    if late >= ctx.options.min_late then
      return {
        message = string.format("%d invoices paid more than %d days late", late, ctx.options.grace_days),
        field = string.format("invoices[%d]", first - 1),
      }
    end
    return nil
  end,
}
