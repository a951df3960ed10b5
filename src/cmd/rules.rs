//! `notes-vet rules`: every rule with its code, name, effective severity
//! (after the config) and summary.

use super::{Global, OutputFormat, fail, load_rules};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The notes folder whose config applies
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args, g: &Global) -> u8 {
    let (_, ruleset) = match load_rules(&args.dir, g) {
        Ok(r) => r,
        Err(e) => return fail(g, e),
    };
    let mut out = anstream::AutoStream::new(std::io::stdout().lock(), g.color.choice());
    if g.format == OutputFormat::Json {
        let rows: Vec<serde_json::Value> = ruleset
            .iter()
            .map(|(_, r, e)| {
                serde_json::json!({
                    "code": r.meta.code, "name": r.meta.name, "severity": e.severity.as_str(),
                    "weight": e.weight, "summary": r.meta.summary,
                })
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return super::OK;
    }
    let name_w = ruleset
        .iter()
        .map(|(_, r, _)| r.meta.name.len())
        .max()
        .unwrap_or(0);
    let bold = anstyle::Style::new().effects(anstyle::Effects::BOLD);
    let severity =
        |s: notes_vet::rules::Severity| ruleset.catalog.get(&format!("severity-{}", s.as_str()));
    let sev_w = ruleset
        .iter()
        .map(|(_, _, e)| severity(e.severity).chars().count())
        .max()
        .unwrap_or(0);
    for (_, r, e) in ruleset.iter() {
        let _ = writeln!(
            out,
            "{bold}{:<6}{bold:#} {:<name_w$}  {:<sev_w$}  {}",
            r.meta.code,
            r.meta.name,
            severity(e.severity),
            r.meta.summary
        );
    }
    super::OK
}
