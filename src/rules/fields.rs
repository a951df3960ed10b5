//! Rules about the note itself rather than the client: NV001 (a known key
//! has the wrong shape) and NV002 (a Lua rule failed on this note).

use super::{Check, Doc, Hit, NoteInput, Options, Rule, Scope, Severity, Traits};
use crate::msg;

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
        Doc {
            code: "NV003",
            name: "unknown-key",
            severity: Severity::Info,
            weight: Some(0),
            scope: Scope::Note,
            keys: &[],
            example: "client: Example Ltd\nGuarantee_Requested: true\nrate: {quoted: 100, requestd: 60}\n",
            origin: "origin-note-format",
        }
        .rule(Vec::new(), Check::Note(unknown_key)),
    ]
}

fn unknown_key(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    input
        .client
        .typos
        .iter()
        .map(|t| {
            Hit::new(
                t.field.clone(),
                t.pos,
                msg!("nv003-typo", key = &t.field, known = &t.known),
            )
        })
        .collect()
}

fn invalid_field(input: &NoteInput<'_>, _: &Options) -> Vec<Hit> {
    input
        .client
        .problems
        .iter()
        .map(|p| Hit::new(p.field.clone(), p.pos, p.message()))
        .collect()
}
