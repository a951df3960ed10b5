//! Rules about the note itself rather than the client: NV001 (a known key
//! has the wrong shape) and NV002 (a Lua rule failed on this note).

use super::{Check, Doc, Hit, NoteInput, Options, Rule, Scope, Severity, Traits};

pub(super) fn rules() -> Vec<Rule> {
    vec![
        Doc {
            code: "NV001",
            name: "invalid-field",
            severity: Severity::Error,
            weight: Some(0),
            scope: Scope::Note,
            summary: "A known front matter key has the wrong shape",
            explanation: "\
Checks every known front matter key (SPEC section 1) for the shape the note \
format expects: dates as YYYY-MM-DD, contact times as YYYY-MM-DDTHH:MM, \
lists where lists belong, true/false for yes-or-no keys, and one of the \
listed words for `status`, `tone` and `lost.reason`.

Why: a red-flag rule can only speak about what it can read. A contact logged \
as `at: last tuesday` is silently invisible to the excessive-contact check, so \
notes-vet says so instead of guessing. The finding names the key path (for \
example `contacts[2].at`) and what was expected; every other key of the note \
is still vetted. It adds nothing to the score (weight 0) but, being an error, \
makes `check` exit with 1 until the note is fixed.",
            keys: &["every known key"],
            example: "client: Example Ltd\nsince: last spring\ncontacts:\n  - at: yesterday\n    tone: rude\n",
            advice: "Fix the value so it has the expected shape; the other rules cannot use it until then.",
            origin: "the note format",
        }
        .rule(Vec::new(), Check::Note(invalid_field)),
        Doc {
            code: "NV002",
            name: "plugin-error",
            severity: Severity::Error,
            weight: Some(0),
            scope: Scope::Note,
            summary: "A Lua rule raised an error or ran out of its budget on this note",
            explanation: "\
Reported when a Lua rule from a plugin folder raised an error, or ran out of \
its time or memory budget, while checking this note. The message names the \
plugin file, the line and the rule code. The other rules still ran on the \
note, so the verdict is still given, but it may be missing what the failed \
rule would have said.

Why: a broken plugin must never hide a note or stop the run; it must be \
visible where it failed.",
            keys: &["whatever the plugin reads"],
            example: "client: Example Ltd\n# with a plugin rule whose check calls error(\"boom\")\n",
            advice: "Open the plugin file at the line given and fix the rule, or turn it off with `severity = \"off\"` in `[rules.CODE]`.",
            origin: "Lua plugins",
        }
        .rule(Vec::new(), Check::Note(|_, _| Vec::new()))
        .with_traits(Traits {
            plugin_error: true,
            ..Traits::NONE
        }),
    ]
}

fn invalid_field(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    input
        .client
        .problems
        .iter()
        .map(|p| Hit::new(p.field.clone(), p.pos, p.message()))
        .collect()
}
