---@meta
-- LuaLS annotations of the notes-vet plugin API, for editor completion.
-- Put this folder in your workspace; notes-vet does not load *.d.lua files.

---@alias NotesVetSeverity "off"|"info"|"warn"|"error"

---@class NotesVetHeading
---@field level integer 1 to 6
---@field text string the heading's text
---@field line integer its line in the note file

---@class NotesVetNote
---@field path string the note's path relative to the notes folder, with `/`
---@field client string the `client` value
---@field status "prospect"|"active"|"paused"|"ended"|"lost" (default "active")
---@field meta table<string, any> the whole front matter, frozen. YAML and TOML give the same tables; dates and datetimes are strings as written ("2026-11-23", "2026-11-23T10:30"); null values are absent (nil); lists are sequences from 1 (an empty list is an empty table); numbers are numbers
---@field body string the markdown after the front matter
---@field headings NotesVetHeading[] the markdown headings of the body
local NotesVetNote = {}

--- The line in the note file of a key path: "client", "rate.quoted",
--- "contacts[2].at" (list indexes from 0, as in notes-vet's messages).
---@param key string
---@return integer|nil
function NotesVetNote.line(key) end

---@class NotesVetDate
---@field year integer
---@field month integer
---@field day integer
---@field date string "YYYY-MM-DD"
---@field weekday integer 1 (Monday) to 7 (Sunday)
---@field hour integer|nil present for datetimes
---@field minute integer|nil
---@field time string|nil "HH:MM"

---@class NotesVetContext
---@field today string "YYYY-MM-DD" (from --today, NOTES_VET_TODAY or the local date)
---@field options table<string, any> the rule's declared defaults overlaid with [rules.CODE] from the config, frozen
local NotesVetContext = {}

--- Whole days from date a to date b; negative when b is earlier.
---@param a string "YYYY-MM-DD" (a datetime counts by its day)
---@param b string
---@return integer
function NotesVetContext.days_between(a, b) end

--- Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (seconds optional).
---@param s any
---@return NotesVetDate|nil
function NotesVetContext.parse_date(s) end

--- True when a datetime falls outside [practice] working hours or days. A date without a time never does.
---@param s any
---@return boolean
function NotesVetContext.is_after_hours(s) end

--- How many entries of `list` have a date in `key` within the last `days` days (today included).
---@param list table|nil
---@param key string
---@param days integer
---@return integer
function NotesVetContext.count_recent(list, key, days) end

---@class NotesVetFinding
---@field message string
---@field field string|nil a key path; its line becomes the finding's line (default: the `client` key)

---@class NotesVetRule
---@field code string letters then digits, not starting with NV (e.g. "PAY001")
---@field name string kebab-case (e.g. "slow-payer")
---@field severity NotesVetSeverity|nil default "warn"
---@field summary string|nil one line for `notes-vet rules`
---@field explain string|nil long text for `notes-vet explain CODE`
---@field advice string|nil shown under each finding
---@field options table<string, number|string|string[]>|nil option names and defaults
---@field check fun(note: NotesVetNote, ctx: NotesVetContext): nil|string|NotesVetFinding|(NotesVetFinding|string)[]
