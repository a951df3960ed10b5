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
            keys: &[],
            example: "client: Example Ltd\nsince: last spring\ncontacts:\n  - at: yesterday\n    tone: rude\n",
            origin: "origin-note-format",
        }
        .rule(Vec::new(), Check::Note(invalid_field)),
        Doc {
            code: "NV002",
            name: "plugin-error",
            severity: Severity::Error,
            weight: Some(0),
            scope: Scope::Note,
            keys: &[],
            example: "client: Example Ltd\n# + plugins/boom.lua: check = function(note, ctx) error(\"boom\") end\n",
            origin: "origin-plugins",
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
