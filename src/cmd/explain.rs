//! `notes-vet explain CODE`: the long explanation of one rule.

use super::{Global, OutputFormat, fail, load_rules};
use notes_vet::rules::explain;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule code (e.g. NV201) or name (e.g. excessive-contact)
    code: String,
    /// The notes folder whose config applies
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, g: &Global) -> u8 {
    let (_, ruleset) = match load_rules(&args.dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let found = ruleset.iter().find(|(_, r, _)| {
        r.meta.code.eq_ignore_ascii_case(args.code.trim())
            || r.meta.name.eq_ignore_ascii_case(args.code.trim())
    });
    let Some((_, rule, eff)) = found else {
        let message = match ruleset.registry.nearest(&args.code) {
            Some(near) => ruleset.catalog.msg(&notes_vet::msg!(
                "explain-unknown-near",
                code = args.code.as_str(),
                near = near
            )),
            None => ruleset.catalog.msg(&notes_vet::msg!(
                "explain-unknown",
                code = args.code.as_str()
            )),
        };
        return fail(g, message);
    };
    let mut out = anstream::AutoStream::new(std::io::stdout().lock(), g.color.choice());
    if g.format == OutputFormat::Json {
        // The same facts as the text, as data: keywords in English (as in
        // every JSON of notes-vet), words in the run's language.
        let m = &rule.meta;
        let options: Vec<serde_json::Value> = m
            .options
            .iter()
            .map(|o| {
                serde_json::json!({
                    "name": o.name,
                    "default": o.default.to_string(),
                    "value": eff.options.get(&o.name).map(|v| v.to_string()),
                    "help": o.help,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "code": m.code,
            "name": m.name,
            "label": m.label,
            "severity": eff.severity.as_str(),
            "default_severity": m.severity.as_str(),
            "weight": eff.weight,
            "summary": m.summary,
            "explanation": m.explanation,
            "origin": m.origin,
            "keys": m.keys,
            "options": options,
            "example": (!m.example.is_empty()).then_some(&m.example),
            "advice": m.advice,
        });
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        );
        return super::OK;
    }
    let _ = out.write_all(explain::render(rule, eff, &ruleset.catalog).as_bytes());
    super::OK
}
