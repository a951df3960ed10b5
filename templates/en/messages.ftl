# notes-vet's English messages (Project Fluent, https://projectfluent.org).
#
# Every text notes-vet shows a person comes from here or from its Turkish
# twin, templates/tr/messages.ftl; both must hold the same ids (the test
# suite checks). To change a message, copy it into `messages.ftl` (or
# `en/messages.ftl`) in your `templates_dir` and edit it there.
#
# Variables ($count, $date, ...) are filled in by notes-vet: numbers choose
# the plural form and get the language's separators; dates are written out.

## Dates

date-long = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday
# A run of working days, "Monday–Friday".
day-range = { $first }–{ $last }
# Two or more runs or single days, "Monday, Wednesday and Friday".
list-and = { $head } and { $last }

## Keywords of the note format and the verdicts, as a person reads them.
## (The JSON report keeps the English keywords.)

verdict-accept = accept
verdict-caution = caution
verdict-decline = decline
verdict-keep = keep
verdict-fire = let go
verdict-follow-up = follow up
verdict-closed = closed
status-prospect = prospect
status-active = active
status-paused = paused
status-ended = ended
status-lost = lost
severity-error = error
severity-warn = warning
severity-info = info
severity-off = off
tone-friendly = friendly
tone-neutral = neutral
tone-rude = rude
tone-aggressive = aggressive
# Contact channels notes-vet knows; any other word is shown as written.
channel-phone = phone
channel-call = call
channel-email = email
channel-message = message
channel-sms = text message
channel-meeting = meeting
channel-video = video call
channel-chat = chat
lost-reason-budget = Budget
lost-reason-needs-changed = Needs changed
lost-reason-product-returned = Product returned
lost-reason-dissatisfied = Dissatisfied
lost-reason-unknown = Unknown
lost-reason-other = Other
letter-rejection = rejection letter
letter-termination = termination letter
letter-feedback = feedback survey
letter-expectations = expectations letter
client-unnamed = (unnamed client)
yes = yes
origin-say-no = 7 situations in which to say no to a client
origin-toxic = 4 legitimate reasons to fire a toxic client
origin-difficult = Don't let your energy be drained: 4 tips for difficult clients
origin-lost = You're fired: what to do when a client rejects you
origin-note-format = the note format
origin-plugins = Lua plugins

## Rules: a label, a one-line summary, the explanation `notes-vet explain`
## prints, the advice shown under each finding, and option help.

rule-NV001 = Invalid field
    .summary = A known front matter key has the wrong shape
    .explanation =
        Checks every known front matter key (SPEC section 1) for the shape the
        note format expects: dates as YYYY-MM-DD, contact times as
        YYYY-MM-DDTHH:MM, lists where lists belong, true/false for yes-or-no
        keys, one of `prospect`, `active`, `paused`, `ended`, `lost` for
        `status` and one of `friendly`, `neutral`, `rude`, `aggressive` for
        `tone`. `channel` is free text (`phone`, `email`, `message`, ...), and
        so is `lost.reason`: `budget`, `needs-changed`, `product-returned` and
        `dissatisfied` are grouped by name on the dashboard, other words under
        "other", and `unknown` means no reason.

        Why: a red-flag rule can only speak about what it can read. A contact
        logged as `at: last tuesday` is silently invisible to the
        excessive-contact check, so notes-vet says so instead of guessing. The
        finding names the key path (for example `contacts[2].at`) and what was
        expected; every other key of the note is still vetted. It adds nothing
        to the score (weight 0) but, being an error, makes `check` exit with 1
        until the note is fixed.
    .advice = Fix the value so it has the expected shape; the other rules cannot use it until then.

rule-NV002 = Plugin error
    .summary = A Lua rule raised an error or ran out of its budget on this note
    .explanation =
        Reported when a Lua rule from a plugin folder raised an error, or ran
        out of its time or memory budget, while checking this note. The message
        names the plugin file, the line and the rule code. The other rules still
        ran on the note, so the verdict is still given, but it may be missing
        what the failed rule would have said.

        Why: a broken plugin must never hide a note or stop the run; it must be
        visible where it failed.
    .advice = Open the plugin file at the line given and fix the rule, or turn it off with `severity = "off"` in `[rules.CODE]`.

rule-NV003 = Unknown key
    .summary = A key the note format does not know looks like a known one misspelled
    .explanation =
        Fires for an unknown key, at the top of the front matter or inside a
        known mapping or list (`rate`, `contacts[2]`, ...), that is a known
        key written in another case, with `-` or a space for `_`, or a letter
        or two off (for keys of five letters or more): `Guarantee_Requested`,
        `guarantee-requested`, `gaurantee_requested`, `rate.quoteddd`.

        Why: a misspelled key is silently ignored, so the rule that reads it
        never fires. Unknown keys that resemble no known one are your own
        (Obsidian's `tags`, `aliases`, ...) and stay silent; Lua rules still
        see every key.
    .advice = Rename the key to the one suggested, or ignore the finding if the key is your own.

rule-NV101 = Guarantee demand
    .summary = The client demands a guaranteed result
    .explanation =
        Fires when `guarantee_requested` is true, or when one of the `requests`
        contains one of the `words` (in any case, in English and Turkish alike:
        `İ`, `I`, `ı` and `i` count as one letter).

        Why: no consultant can honestly promise a result to the full hundred
        percent, because the outcome also depends on the client's own work and
        on things nobody controls. A client who insists on a guarantee is
        handing you the whole responsibility for their success; when it does not
        come, the blame will too.
    .advice = Explain what you can commit to (effort, method, milestones) and what you cannot; if they still want a guarantee, decline kindly.
    .option-words = words in a request that ask for a guarantee (matched in any case)

rule-NV102 = Unrealistic outcome
    .summary = The client wants a miracle, or something outside your services
    .explanation =
        Fires when a `requests` entry contains one of the `patterns` (any case),
        or when `[practice] services` is set in the config and the note's
        `topic` is not one of those services (any case).

        Why: some requests are outside anyone's abilities (a "magic" plan that
        makes a million by next month), some ask you to do the client's own part
        of the work for them, and some are simply outside your skills or values.
        Taking them on sets both sides up for disappointment.
    .advice = Restate what is realistic and within your services; refer the client elsewhere for what is not.
    .option-patterns = phrases in a request that signal an unrealistic outcome (matched in any case)

rule-NV103 = Repeat help
    .summary = You have already helped this client on the same topic
    .explanation =
        Fires when an entry of `prior_help` has the same `topic` as the note's
        `topic` (any case).

        Why: good help makes the client able to go on without you. Helping the
        same person again and again on the same question ties them to you
        instead of making them independent, and usually means the earlier help
        did not land.
    .advice = Ask what stopped the earlier advice from working; offer a follow-up resource rather than the same engagement again.

rule-NV104 = Third party applicant
    .summary = Someone else applied on the client's behalf
    .explanation =
        Fires when `applicant` is set and is not `self` (for example `spouse`,
        `parent`, `friend`, `assistant`).

        Why: the work only succeeds with a client who wants it. When a spouse, a
        parent or a friend brings someone in, the person who has to do the work
        may not have chosen it. Work with people who come on their own
        initiative.
    .advice = Invite the client to get in touch themselves when they are ready; do not start through an intermediary.

rule-NV105 = Boundary violation
    .summary = The client crossed ethical or personal boundaries
    .explanation =
        Fires when `incidents` has at least one entry.

        Why: a client who ignores ethics, your personal space or your rights
        drains you, and it tends to grow: flattery turns into endless
        complaints, and complaints into threats of public revenge. One recorded
        incident is enough to act on. This is also the one finding that a
        client's hardship does not soften (see the verdict rules).
    .advice = Keep a dated record of every incident; state your boundary once, in writing, and end the engagement if it is crossed again.

rule-NV106 = Unpaid extra work
    .summary = Unpaid work beyond the agreed scope has piled up
    .explanation =
        Fires when the `hours` of the `extra_work` entries that are not paid add
        up to at least `min_hours`. An entry without `paid` counts as unpaid.

        Why: a client who keeps taking your evenings and "quick favours" is
        taking your private time. Every piece of work beyond the agreement is
        work, and it should be paid.
    .advice = Quote the extra work before doing it, and invoice what is already done.
    .option-min_hours = unpaid extra hours that fire the rule

rule-NV107 = Cannot pay
    .summary = The client cannot or will not pay your rate
    .explanation =
        Fires when `barter_offered` is true; or when `rate.requested` is below
        `rate.quoted` × (1 − `max_discount`); or when an invoice is still unpaid
        more than `overdue_days` after its `due` date.

        Why: bargaining hard, offering a swap instead of money, or leaning on
        guilt ("you would not leave me like this") all say the same thing: the
        client cannot or will not pay for the work. Starting anyway builds
        resentment on both sides.
    .advice = Hold your rate; offer a smaller scope for a smaller budget, or ask for payment up front.
    .option-max_discount = largest discount (a fraction of the quote) that is still fine
    .option-overdue_days = days after the due date an unpaid invoice may stay open

rule-NV201 = Excessive contact
    .summary = The client contacts you far too often, or outside working hours
    .explanation =
        Fires when the contact log has more than `max_per_week` contacts in the
        last 7 days (today included), or at least `max_after_hours` contacts in
        the last 30 days whose time falls outside your working hours or on a day
        you do not work (`[practice] working_hours`, default 09:00-18:00 with
        09:00 inside and 18:00 outside, and `working_days`, default Monday to
        Friday). A contact logged with a date but no time never counts as after
        hours.

        Why: the client who calls late at night and floods you with messages
        that could have waited for office hours costs you focus and rest.
        Counting the contacts turns a feeling into evidence you can show them.
    .advice = Tell the client once, in writing, when and how you can be reached; log every contact with its time and send them the log if it goes on.
    .option-max_per_week = contacts allowed in the last 7 days
    .option-max_after_hours = after-hours contacts in the last 30 days that fire the rule

rule-NV202 = Unrealistic timeline
    .summary = The client's deadline is shorter than your honest estimate
    .explanation =
        Fires when the status is prospect, active or paused and the number of
        days from today to `deadline.requested` is smaller than
        `deadline.estimate_days`.

        Why: a client who expects a month of work in a week will be unhappy
        whatever you do. Say clearly how long the work takes and what it costs,
        before you start, rather than racing a date you already know you will
        miss.
    .advice = Share your estimate and what it rests on; offer a smaller first delivery by their date, or a later date for the whole.

rule-NV203 = Freebie expectation
    .summary = The client keeps asking for discounts or free work
    .explanation =
        Fires when `discount_requests`, plus one if `free_trial_requested` is
        true, is at least `min_requests`.

        Why: some clients always want a deal: a lower price, a special offer, a
        free trial, then another discount after the trial. A client who values
        your work only when it is free will not start paying for it later;
        sending them to a cheaper provider can be the kind answer for both of
        you.
    .advice = Keep one clear price list and say no to further discounts; if price is all that matters to them, point them to a cheaper provider.
    .option-min_requests = discount or free-trial requests that fire the rule

rule-NV204 = Aggressive tone
    .summary = The client has been rude or aggressive repeatedly
    .explanation =
        Fires when at least `min_contacts` contacts in the last 90 days (today
        included) have the tone `rude` or `aggressive`.

        Why: rude, demanding calls wear down you and your team and eat the time
        you owe your other clients. One agency logged every such call for three
        months and sent the log to the client along with a request to find a new
        vendor: a calm, factual way to end it. The summary notes-vet writes
        includes that log.
    .advice = Keep logging each contact with its tone; state what tone you accept, and if it goes on, send the log with your notice.
    .option-min_contacts = rude or aggressive contacts in the last 90 days that fire the rule

rule-NV301 = Expectations not set
    .summary = An active client never got your how-we-work note
    .explanation =
        Fires when the status is active, `expectations_set` is missing, and
        `since` is missing or more than `grace_days` days ago.

        Why: most friction with clients comes from expectations nobody stated.
        At the first contact, tell the client how the work runs, what they can
        expect and by when, and how and when to reach you. notes-vet drafts that
        letter for you when this rule fires; record the date you sent it in
        `expectations_set`.
    .advice = Send the expectations letter (how the work runs, timeline, how to reach you) and record the date in `expectations_set`.
    .option-grace_days = days after `since` before expectations must be set

rule-NV302 = Client in hardship
    .summary = The client is going through a hard time
    .explanation =
        Fires when `hardship` is a non-empty string.

        Why: a client with a problem is not a problem client. Someone who lost
        their main investor or is grieving may be short and demanding for a
        while; that is a person in a hard moment, not a reason to let them go.
        So a client in hardship is never told “{ verdict-decline }” or
        “{ verdict-fire }” by notes-vet (the verdict becomes
        “{ verdict-caution }”), unless they also crossed a boundary (NV105).
    .advice = Make an extra effort: apologise sincerely for any misunderstanding, offer to fix something concrete, and help for real.

rule-NV303 = Open obligations
    .summary = You still owe work to a client you are letting go
    .explanation =
        Fires when the note has `obligations` that are not `done`, and its
        verdict is “{ verdict-fire }” or its status is `ended`. It is decided after the
        verdict and never changes it.

        Why: letting go of a client who drains you is fine, but only after every
        promise already made is kept. Stop quickly and professionally, without
        insults, and leave nothing half done that could be held against you.
    .advice = Finish or hand over each open obligation, and name them with their dates in your closing letter.

rule-NV401 = Lost without reason
    .summary = A lost client has no known reason for leaving
    .explanation =
        Fires when the status is lost and `lost.reason` is missing or `unknown`.

        Why: a client leaves for a reason: money got tight, their needs changed,
        a product did not fit and went back, or they were really dissatisfied.
        Only the last one says something about your work, and you cannot tell
        them apart without asking. It is rarely personal; find the root cause.
    .advice = Ask the client, kindly and briefly, what made them leave, and record it in `lost.reason`.

rule-NV402 = Feedback not requested
    .summary = You never asked a lost client for feedback
    .explanation =
        Fires when the status is lost and `lost.feedback_requested` is missing
        or false.

        Why: losing a client is information. Slow service, missed expectations
        or a clumsy ordering process can all be fixed, but only once you hear
        about them. Stay professional and kind, thank them, and send a short
        feedback survey; notes-vet drafts one for every lost client.
    .advice = Send the feedback survey notes-vet drafted and record the date in `lost.feedback_requested`.

rule-NV403 = Thin pipeline
    .summary = Too few new prospects came in recently
    .explanation =
        A folder-level rule: fires when fewer than `min_new` client notes have
        status prospect and a `since` date in the last 30 days (today included).

        Why: even the best clients leave one day, and some you will choose to
        let go. Keep marketing and asking for referrals every day, so that
        losing one client is never a crisis.
    .advice = Ask your happy clients for referrals and put a little time into marketing every week.
    .option-min_new = new prospects wanted in the last 30 days


## What the rules say about a note. A quoted value is the note's own text.

nv001-invalid = `{ $field }` should be { $expected }, found { $found }
nv003-typo = unknown key `{ $key }`; did you mean `{ $known }`?
nv101-flag = the client demands a guaranteed result
nv101-request = request "{ $request }" asks for a guarantee
nv102-request = request "{ $request }" expects an unrealistic outcome ("{ $pattern }")
nv102-service = topic "{ $topic }" is not one of your services ({ $services })
nv103-repeat = you already helped this client with "{ $topic }"
nv103-repeat-on = you already helped this client with "{ $topic }" on { $date }
nv104-third-party = applied through a third party ({ $applicant })
nv105-incident = boundary violation recorded: "{ $what }"{ $dated ->
        [yes] {" "}on { $date }
       *[no] {""}
    }{ $more ->
        [0] {""}
       *[other] {" "}and { $more } more
    }
nv105-an-incident = an incident
nv106-unpaid = { $hours ->
        [one] { $hours } hour of extra work is unpaid
       *[other] { $hours } hours of extra work are unpaid
    } (threshold { $threshold ->
        [one] { $threshold } hour
       *[other] { $threshold } hours
    })
nv107-barter = offered barter instead of payment
nv107-discount = asked to pay { $requested } instead of { $quoted } ({ $percent }% less; at most { $allowed }% is fine)
nv107-invoice = invoice{ $named ->
        [yes] {" "}"{ $id }"
       *[no] {""}
    } is unpaid { $days ->
        [one] 1 day
       *[other] { $days } days
    } after its due date { $due } (limit { $limit ->
        [one] 1 day
       *[other] { $limit } days
    })
nv201-week = { $count ->
        [one] 1 contact
       *[other] { $count } contacts
    } in the last 7 days (limit { $limit })
nv201-after-hours = { $count ->
        [one] 1 contact
       *[other] { $count } contacts
    } outside working hours ({ $hours }, { $days }) in the last 30 days (threshold { $threshold })
nv202-deadline = the requested deadline { $deadline } { $left ->
        [today] is today
       *[other] { $days ->
            [one] is 1 day away
           *[other] is { $days } days away
        }
    }, but the work needs { $estimate ->
        [one] 1 day
       *[other] { $estimate } days
    }
nv202-deadline-passed = the requested deadline { $deadline } passed { $days ->
        [one] 1 day ago
       *[other] { $days } days ago
    }, but the work needs { $estimate ->
        [one] 1 day
       *[other] { $estimate } days
    }
nv203-freebies = { $discounts ->
        [0] a free trial
        [one] 1 discount request{ $trial ->
            [yes] {" "}and a free trial
           *[no] {""}
        }
       *[other] { $discounts } discount requests{ $trial ->
            [yes] {" "}and a free trial
           *[no] {""}
        }
    }: { $total ->
        [one] 1 request
       *[other] { $total } requests
    } for lower prices or free work (threshold { $threshold })
nv204-hostile = { $count ->
        [one] 1 rude or aggressive contact
       *[other] { $count } rude or aggressive contacts
    } in the last 90 days (threshold { $threshold })
nv301-since = active for { $days ->
        [one] 1 day
       *[other] { $days } days
    } (since { $since }) and expectations were never set (grace { $grace ->
        [one] 1 day
       *[other] { $grace } days
    })
nv301-no-since = active client and expectations were never set
nv302-hardship = the client is in a hard situation: { $hardship }
nv303-obligations = { $count ->
        [one] 1 open obligation
       *[other] { $count } open obligations
    } while { $ended ->
        [yes] the engagement has ended
       *[no] the verdict is "{ verdict-fire }"
    }: { $list }
nv303-obligation = { $what }
nv303-obligation-due = { $what } (due { $due })
nv401-unknown = the client left and the reason is unknown
nv401-missing = the client left and no reason is recorded
nv402-no-feedback = the client left and you have not asked them for feedback
nv403-thin = { $count ->
        [one] 1 new prospect
       *[other] { $count } new prospects
    } in the last 30 days (at least { $min } wanted)

## NV001: what a key should hold, and what was found.

expect-date = a date (YYYY-MM-DD)
expect-moment = a date or datetime (YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DD HH:MM)
expect-text = a string
expect-bool = true or false
expect-number = a number
expect-count = a whole number, 0 or more
expect-list = a list
expect-status = one of prospect, active, paused, ended, lost
expect-rate = a mapping with quoted, requested and currency
expect-deadline = a mapping with requested and estimate_days
expect-lost = a mapping with date, reason and feedback_requested
expect-lost-reason = a string: budget, needs-changed, product-returned, dissatisfied, unknown, or your own words
expect-date-or-false = a date (YYYY-MM-DD) or false
expect-paid-date = the date it was paid (YYYY-MM-DD) or false
expect-prior-help = a mapping with date and topic
expect-contact = a mapping with at, channel, tone and note
expect-tone = one of friendly, neutral, rude, aggressive
expect-invoice = a mapping with id, amount, issued, due and paid
expect-extra-work = a mapping with date, hours, paid and note
expect-incident = a mapping with date and what
expect-obligation = a mapping with what, due and done
expect-obligation-what = a string saying what you owe
expect-ignore = a rule code, or a mapping with code and reason
expect-rule-code = a rule code such as NV203
expect-client = the client's name (a non-empty string)
expect-known-rule = the code of a known rule (see `notes-vet rules`)
found-missing = nothing (the key is missing)
found-null = nothing (null)
found-bool = the boolean { $value }
found-number = the number { $value }
found-empty = an empty string
found-string = the string "{ $value }"
found-list = a list
found-mapping = a mapping
found-raw = { $value }

## Front matter that cannot be read.

parse-unclosed = front matter opened with `{ $fence }` on line 1 is never closed: expected a line holding only `{ $fence }` after it
parse-too-large = front matter is larger than { $kib } KiB; refused
parse-yaml = invalid YAML: { $detail }
parse-toml = invalid TOML: { $detail }
parse-yaml-colon = invalid YAML: a second `:` where a value was expected; put a value that holds `: ` in quotes
parse-yaml-flow-sequence = invalid YAML: a list in `[...]` is not closed; expected `,` or `]`
parse-yaml-flow-mapping = invalid YAML: a mapping in `{"{"}...{"}"}` is not closed; expected `,` or `{"}"}`
parse-yaml-no-space = invalid YAML: no space after the `:` of `{ $key }`, so YAML reads the line as text; write `{ $key }: { $value }`
parse-yaml-indent-mismatch = invalid YAML: this line is indented by { $spaces ->
        [one] 1 space
       *[other] { $spaces } spaces
    }, the line above by { $above }; keys of one mapping line up
parse-yaml-expected-key = invalid YAML: a key was expected here; check the indentation, and that every quote is closed
parse-yaml-indentation = invalid YAML: this line is not indented like the keys around it
parse-yaml-list-item = invalid YAML: a list item `- ` where a key was expected; check the indentation
parse-yaml-unclosed-quote = invalid YAML: a quoted value is never closed
parse-yaml-tab = invalid YAML: a tab where spaces were expected; indent with spaces
parse-yaml-no-value = invalid YAML: a value was expected here
parse-many-documents = the front matter holds more than one YAML document; expected one mapping
parse-unbalanced-sequence = invalid YAML: unbalanced sequence
parse-unbalanced-mapping = invalid YAML: unbalanced mapping
parse-unknown-alias = invalid YAML: alias to an unknown anchor
parse-complex-key = a list or mapping cannot be used as a key; expected a plain key such as `client`
parse-duplicate-key = duplicate key `{ $key }` (first given on line { $line }); each key may appear once
parse-too-deep = front matter is nested more than { $depth } levels deep
parse-too-many = front matter expands to more than { $count } values (too many aliases?); refused
note-unreadable = cannot read the note: { $error }
note-not-utf8 = the note is not valid UTF-8 text; save it as UTF-8
note-collision = its generated files would have the same names as those of { $earlier } (file names are compared without the extension and case); rename one of the two notes. Nothing was written for this note
note-leftover = cannot remove this temporary file a killed run left: { $error }

## The terminal report of `check`.

report-score = score { $score }
report-advice = advice:
report-folder-finding = folder-level finding
report-note = note
report-kept = kept { $path }: { $reason }
report-suppressed = suppressed by vet_ignore: { $codes }
report-not-vetted = this note was not vetted; the rest of the folder was
report-vetted = Vetted
report-skipped = { $skipped } skipped{ $templates ->
        [0] {""}
        [one] , 1 of them a template
       *[other] , { $templates } of them templates
    }{ $linked ->
        [0] {""}
        [one] , 1 note linking to a client
       *[other] , { $linked } notes linking to a client
    }
count-client-notes = { $count ->
        [one] 1 client note
       *[other] { $count } client notes
    }
count-errors = { $count ->
        [one] 1 error
       *[other] { $count } errors
    }
report-progress = vetting notes
cli-path-missing = { $path } does not exist
cli-outside-root = { $path } is outside the notes root { $root } (the folder of its notes-vet.toml); give paths inside it
report-no-notes = No client notes found under { $dir } ({ $skipped ->
        [one] 1 markdown file skipped
       *[other] { $skipped } markdown files skipped
    }{ $linked ->
        [0] {""}
        [one] , 1 linking to a client
       *[other] , { $linked } linking to a client
    }); nothing was written. A client note is a markdown file whose front matter has a `client` key with the client's name.

## `notes-vet watch`: one line per change.

live-unchanged = (re-read; verdict and findings unchanged)
live-new = new
live-removed = removed ({ $count ->
        [one] 1 generated file
       *[other] { $count } generated files
    } removed)
live-folder = folder
live-no-folder-findings = no folder-level findings
live-config = config
live-rescan = rescan
live-kept = kept: { $reason }
live-watching = watching { $count ->
        [one] 1 note
       *[other] { $count } notes
    } in { $dir } ({ $how })
live-ctrl-c = Ctrl-C to stop
live-polling = polling every { $ms } ms
live-stopped = Stopped.
rescan-locked = the new output folder is locked
rescan-writing-again = writing to the output folder again
rescan-folder-back = the notes folder was created again
rescan-new-day = the date is now { $date }
rescan-overflow = the event queue overflowed
rescan-output-removed = the output folder was removed; writing it again
rescan-collision = two notes would share their generated files
watch-folder-removed = the notes folder { $dir } was removed; waiting for it to come back
watch-config-removed-defaults = { $file } was removed; the default settings are in force
watch-config-removed-other = { $file } was removed; the settings of { $other } are in force
watch-config-reloaded = reloaded after a change to { $files }
watch-settings-reloaded = settings reloaded
watch-config-kept = { $error }; the last good settings stay in force
watch-inotify = { $error }; raise fs.inotify.max_user_watches, or run with --poll
watch-inotify-limit = the kernel's limit of inotify watches is reached (fs.inotify.max_user_watches = { $limit }); raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (and in /etc/sysctl.d/ to keep it)
watch-cannot-watch = cannot watch the folder for changes: { $error }
watch-polling-instead = { $why }; polling every { $ms } ms instead

## `notes-vet rules` and `notes-vet explain`.

explain-severity = Severity: { $severity } (default { $default }), weight { $weight }
explain-runs-on = Runs on: { $scope ->
        [note] each client note
        [after-verdict] each client note, after its verdict (never changes it)
       *[folder] the whole folder, once
    }
explain-from = From: { $origin }
explain-reads = Reads: { $keys }
explain-no-options = Options: none besides `severity` and `weight`.
explain-options = Options (set them in `[rules.{ $code }]` of notes-vet.toml):
explain-now = now { $value }
explain-example = Example that fires (today = { $today }):
explain-advice = Advice: { $advice }
explain-unknown = unknown rule "{ $code }"; `notes-vet rules` lists them all
explain-unknown-near = unknown rule "{ $code }"; did you mean `{ $near }`? (`notes-vet rules` lists them all)
select-unknown = `{ $entry }` names no rule (a code such as NV201, a prefix such as NV2, or a name); `notes-vet rules` lists them all
select-unknown-near = `{ $entry }` names no rule; did you mean `{ $near }`?
explain-keys-every = every known key
explain-keys-plugin = whatever the plugin reads
table-code = code
table-name = name
table-default = default
table-summary = summary
table-weight = weight { $weight }
table-options = Options: { $options }.

## Config errors. `{ $key }` is the key in notes-vet.toml.

config-unreadable = cannot read the config file: { $error }
config-invalid = { $detail }
config-unknown-key = unknown key `{ $key }`; expected one of { $known }
config-wrong-type = { $keyed ->
        [yes] `{ $key }`: expected
       *[no] expected
    } { $expected ->
        [count] a whole number (0 or more)
        [int] a whole number
        [number] a number
        [bool] true or false
        [list] a list
        [text] a string
        [table] a table (a `[section]`)
       *[other] another value ({ $detail })
    }, found { $found }
config-toml-syntax = invalid TOML: { $detail }
config-empty = `{ $key }` must not be empty
config-dotdot = `{ $key }`: { $path } must not contain `..`; give a folder inside the notes folder
config-folder = `{ $key }`: { $error }
config-glob = `exclude`: invalid glob "{ $pattern }": { $error }
config-hours = `practice.working_hours`: expected "HH:MM-HH:MM" with the start before the end, found "{ $found }"
config-day = `practice.working_days`: unknown day "{ $found }"; expected mon, tue, wed, thu, fri, sat or sun
config-language = `{ $key }`: expected "en" or "tr", found "{ $found }"
config-language-both = `language` and `letters.language` disagree ("{ $top }" and "{ $letters }"); keep the top-level `language` and remove `letters.language`
config-at-least-one = `{ $key }` must be at least 1
config-severity-type = `rules.{ $code }.severity`: expected one of "off", "info", "warn", "error", found { $found }
config-severity = `rules.{ $code }.severity`: expected one of "off", "info", "warn", "error", found "{ $found }"
config-weight = `rules.{ $code }.weight`: expected a whole number from 0 to 1000, found { $found }
config-unknown-rule = `[rules.{ $code }]`: unknown rule code "{ $code }"; known codes: { $known }
config-unknown-option = `rules.{ $code }.{ $name }`: unknown option; allowed keys: severity, weight{ $known ->
        [none] {""}
       *[other] , { $known }
    }
config-option-type = `rules.{ $code }.{ $name }`: expected { $expected ->
        [int] a whole number
        [float] a number
        [text] a string
       *[list] a list of strings
    }, found { $found }
config-no-file = --config { $path }: no such file
catalog-not-utf8 = the file is not valid UTF-8 text
catalog-syntax = invalid Fluent syntax: { $detail }
catalog-unreadable = cannot read it: { $error }
catalog-unknown-id = notes-vet has no message `{ $id }` to replace; the ids are those of its own messages.ftl
catalog-unknown-variable = `{ $id }` uses { $variable }, which notes-vet does not give it; it gives { $given }
catalog-unknown-reference = `{ $name }` is neither a message of notes-vet nor a term of this file
catalog-function = functions such as `{ $name }()` are not available; notes-vet formats numbers and dates itself
catalog-duplicate = `{ $id }` is given twice in this file
catalog-too-deep = placeables nested more than { $max } deep; write the message flatter
catalog-control = a control character ({ $code }) is not allowed in a message: it could change your terminal
catalog-unresolved = `{ $id }` cannot be put in words: { $detail }
catalog-term-variable = the term `{ $id }` uses { $variable }, but a term sees only the arguments written in its call; use the variable in the message instead
lang-unknown = expected "en" or "tr", found "{ $found }"

## Generated files: why a file was kept or could not be written. These show
## in the terminal and on the dashboard.

kept-edited = you edited it since notes-vet wrote it
kept-edited-draft = you edited it; a newer draft is at { $draft }
kept-not-ours = not written by notes-vet; left untouched
kept-stale-edited = no longer applies, but you edited it, so it stays
kept-dashboard-aside = you edited the dashboard; your version is kept under this name and the dashboard was written afresh
kept-annotation-edited = you edited its annotation block since notes-vet wrote it
kept-annotation-foreign = its annotation block was not written by notes-vet; kept (remove it to get a fresh one)
kept-annotation-refused = annotation refused: { $why }
kept-annotation-changed = the note changed while it was vetted; annotation skipped
fail-remove-outputs = cannot remove its generated files: { $error }
fail-remove-stale = cannot remove a file that no longer applies: { $error }
fail-render = cannot render { $path }: { $error }
fail-write = cannot write { $path }: { $error }
fail-render-annotation = cannot render the annotation: { $error }
fail-annotate = cannot annotate the note: { $error }
fail-gitignore = cannot write .gitignore: { $error }
fail-dashboard-write = cannot write the dashboard: { $error }
fail-dashboard-aside = cannot save your edited dashboard aside: { $error }
fail-dashboard-render = cannot render the dashboard: { $error }
fail-manifest = cannot save the manifest in { $dir }: { $error }
fail-sweep = cannot remove stale files: { $error }

## Summaries, the dashboard and the block in a note. These are markdown:
## notes-vet escapes what comes from a note, so keep the markup you see.

summary-verdict = Verdict: { $verdict } (score { $score })
summary-status = Status: **{ $status }**
summary-since = first contact { $since }
summary-topic = topic: { $topic }
summary-vetted = Vetted on { $today }
summary-note = note
summary-findings = Findings
summary-no-findings = No red flags.
summary-advice = Advice
summary-silenced = Silenced by `vet_ignore`: { $codes }.
summary-contacts = Contact log
summary-contacts-intro = The log to keep, and to send with your notice if it comes to that.
summary-obligations = Obligations
summary-due = due { $date }
summary-letters = Letters
summary-dashboard = Dashboard
summary-footer = generated by notes-vet; edit freely, it will not be overwritten once you do.
col-code = code
col-rule = rule
col-severity = severity
col-message = message
col-key = key
col-line = line
col-date = date
col-time = time
col-channel = channel
col-tone = tone
col-after-hours = after hours
col-note = note
col-verdict = verdict
col-clients = clients
col-client = client
col-status = status
col-score = score
col-top = top findings
col-letters = letters
dashboard-title = Client dashboard
chart-verdicts = Clients per verdict
chart-prospects = New prospects per month, the line is what NV403 wants
chart-prospects-axis = prospects
chart-lost = Lost clients by reason
chart-contacts = Contacts per week, lines for after hours and for rude or aggressive
chart-contacts-axis = contacts
chart-invoices = Days late per invoice
chart-invoices-axis = days
base-clients = Clients
base-letters = Letters waiting
dashboard-intro = Vetted on { $today }: { $total ->
        [one] 1 client note
       *[other] { $total } client notes
    }{ $skipped ->
        [0] {""}
        [one] , 1 other note skipped
       *[other] , { $skipped } other notes skipped
    }{ $errors ->
        [0] {""}
       *[other] , { $errors } could not be read
    }.
dashboard-clients = Clients, worst first
dashboard-folder = Folder
dashboard-lost = Lost clients by reason
dashboard-waiting = Letters waiting to be sent
dashboard-waiting-intro = This page is rewritten on every run: record what you sent in the client's note, not here.
dashboard-letter-for = { $letter } for { $client }
# $key is what to add to the note (such as `rejection_sent: 2026-11-23`, or
# `feedback_requested: 2026-11-23` under `lost`); $note is a link to the note.
dashboard-record-sent = once it is sent, record { $key } (the date you sent it) in { $note }
dashboard-nested-key = { $key } under { $parent }
dashboard-the-note = the note
dashboard-kept = Files kept because you edited them
dashboard-errors = Notes that could not be read
dashboard-error-line = line { $line }
annotation-head = notes-vet: { $verdict } (score { $score }, { $today })
annotation-line = line { $line }
annotation-full = Full summary

## The command line.

cli-error = error
cli-folder-missing = the notes folder { $dir } does not exist
cli-folder-not-dir = the notes folder { $dir } is not a folder
cli-report-write = cannot write the report: { $error }
cli-today = { $source }: expected a date as YYYY-MM-DD, found "{ $found }"
cli-poll = --poll: the interval must be at least 1 ms
cli-ctrl-c = cannot handle Ctrl-C: { $error }
cli-refuse-overwrite = refusing to overwrite { $paths }; nothing was written
cli-cannot-write = cannot write { $path }: { $error }
cli-cannot-create = cannot create { $path }: { $error }
cli-created = created { $path }
cli-init-next = Next: edit notes-vet.toml, then run `notes-vet check { $dir }`
cli-rule-name = rule name "{ $name }" must be kebab-case, like slow-payer
cli-created-rule = created { $path } (rule { $code })
cli-plugins-on = turn plugins on in notes-vet.toml:
cli-rule-then = then `notes-vet explain { $code }` and `notes-vet check` use it
clean-kept = kept { $path }: { $reason }
clean-would-remove = would remove { $path }
clean-would-strip = would remove the notes-vet block of { $path }
clean-would = Dry run: { $files ->
        [one] 1 generated file
       *[other] { $files } generated files
    } and { $blocks ->
        [one] 1 annotation block
       *[other] { $blocks } annotation blocks
    } would be removed; nothing was changed.
clean-removed = Removed { $files ->
        [one] 1 generated file
       *[other] { $files } generated files
    } and { $blocks ->
        [one] 1 annotation block
       *[other] { $blocks } annotation blocks
    }.
annotate-many-markers = the note has { $begins } begin and { $ends } end markers of the notes-vet block; expected one of each
annotate-unbalanced = the notes-vet block markers are unbalanced (a begin without an end, or an end without a begin)
annotate-end-first = the notes-vet end marker comes before its begin marker
annotate-in-code = a notes-vet block marker stands inside a code block; move it out or remove it
clean-unreadable = cannot read the note ({ $error }); its annotation block, if any, was left
clean-block-left = annotation block left: { $why }
clean-block-edited = annotation block edited since notes-vet wrote it (or not written by it); left

## The one-writer lock on the output folder.

lock-held-by = notes-vet { $command } (pid { $pid }) is already writing { $output }; stop it first, or run with --no-write
lock-held = another notes-vet is already writing { $output }; stop it first, or run with --no-write
lock-io = cannot lock { $output }: { $error }

## Lua plugins: why one could not be loaded or run. The error Lua itself
## gives (a plugin's own words) is shown as it is.

plugin-folder-unreadable = cannot read the plugin folder: { $error }
plugin-unreadable = cannot read: { $error }
plugin-lua = { $error }
plugin-code-taken = rule code { $code } is already used by another rule; codes must be unique
plugin-no-check = the rule table has no `check` function
plugin-not-string = `{ $key }` must be a string
plugin-no-code = the rule table has no `code` (e.g. code = "PAY001")
plugin-bad-code = code "{ $code }" must be letters then digits, like PAY001
plugin-nv-code = code "{ $code }" starts with NV, which is kept for built-in rules
plugin-no-name = the rule table has no `name` (kebab-case, e.g. "slow-payer")
plugin-bad-name = name "{ $name }" must be kebab-case, like "slow-payer"
plugin-bad-severity = severity "{ $severity }" must be one of off, info, warn, error
plugin-option-names = `options` keys must be names
plugin-option-list = option `{ $key }` must be a list of strings
plugin-option-type = option `{ $key }` must be a number, a string or a list of strings
plugin-options-table = `options` must be a table of option names and defaults
plugin-option-help = declared by the plugin
plugin-no-runtime = cannot start the Lua runtime: { $error }
plugin-note-pass = cannot pass the note to Lua: { $error }
plugin-not-run = not run: the plugins already returned { $max } findings for this note (rule { $code })
plugin-failed = { $error } (rule { $code })
plugin-at = { $at }: { $what }
plugin-time = time budget exceeded
plugin-memory = memory budget exceeded
plugin-finding-message = a finding table needs a `message` string
plugin-field-long = `field` is longer than { $max } bytes; it names a key such as "contacts"
plugin-field-type = `field` must be a string such as "contacts"
plugin-too-many = check returned { $count } findings; a rule may return at most { $max } for one note
plugin-finding-list = a list of findings may hold only tables or strings
plugin-return-type = check returned a value of type { $kind }; expected nil, a message, a finding table or a list of them
plugin-turned-off = { $code } turned off for the rest of this run after { $count } notes on which it ran out of its time or memory budget: { $at }
plugin-field-missing = field `{ $field }` is not in the note; the finding of { $code } is shown at the `client` line

## The editor integration (`notes-vet lsp`)

lsp-silence = Silence { $code } in this note
lsp-key-read-by = `{ $key }` is read by:
lsp-key-unread = `{ $key }`: no rule reads this key on its own (the key checks of NV001 and NV003 cover it).
lsp-not-vetted = Not vetted: the settings for this note cannot be loaded. { $error }
lsp-failed = Not vetted: notes-vet failed on this note ({ $error }). Please report it, with the note's front matter.

## The parse cache

cli-warning = warning
cache-ignored = the parse cache { $path } was ignored: { $why }. Every note is read again, and the cache is rebuilt.
cache-ignored-read = the parse cache { $path } was ignored: { $why }. Every note is read again (a run that writes rebuilds the cache).
listing-ignored = the folder listing { $path } was ignored: { $why }. Every folder is listed again, and the listing is rebuilt.
listing-ignored-read = the folder listing { $path } was ignored: { $why }. Every folder is listed again (a run that writes rebuilds the listing).
cache-unwritten = the parse cache { $path } could not be written ({ $error }); the next run reads every note again
cache-why-not-file = it is not a regular file
cache-why-foreign = it is not a notes-vet cache
cache-why-short = it is cut short
cache-why-index = its index is damaged
listing-why-damaged = it is damaged
cache-why-io = it cannot be read ({ $error })
