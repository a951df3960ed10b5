//! What `watch` keeps in memory between changes: every client note's last
//! report (or the error it last gave), and the folder-level findings. A
//! change to one note updates its entry; the tally, the folder pass
//! (NV403) and the verdict counts are then recomputed from memory, never by
//! reading another note. Pure: no file system here.

use crate::engine::{Finding, NoteError, NoteReport, Skip, Tally, Vetter};
use crate::rules::{NoteSummary, Ruleset};
use crate::verdict::Verdict;
use std::collections::BTreeMap;

/// A note file's identity: size, modification time (ns) and inode. Two
/// equal identities mean the file was not written in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    pub len: u64,
    /// Nanoseconds from 1970 (negative before).
    pub mtime: i128,
    pub inode: u64,
}

impl FileId {
    /// The identity of the file at `path`, if it is a file.
    pub fn of(path: &std::path::Path) -> Option<FileId> {
        // A symlink is not a note (as in `check`): it reads as gone.
        let m = std::fs::symlink_metadata(path).ok()?;
        if !m.file_type().is_file() {
            return None;
        }
        let mtime = match m.modified().ok()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileId {
            len: m.len(),
            mtime,
            inode,
        })
    }
}

/// What one note last gave.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteState {
    Vetted(Box<NoteReport>),
    Failed(NoteError),
}

/// One note's entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub state: NoteState,
    /// The file as it was when read (None: unknown, so any event re-reads).
    pub id: Option<FileId>,
}

/// How one note's entry changed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Nothing a person would see changed.
    Same,
    /// Vetted, and its verdict, score or findings changed (or it is new).
    Note {
        previous: Option<Verdict>,
        /// It could not be read or parsed before.
        was_error: bool,
        /// Codes that fired now and not before, and the other way round.
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// It was a client note and no longer is (deleted, renamed away, or
    /// its `client` key went).
    Removed,
    /// It could not be read or parsed (and was not failing the same way).
    Error,
}

/// Every note's last result, and the folder-level findings.
#[derive(Debug, Default)]
pub struct FolderState {
    notes: BTreeMap<String, Entry>,
    /// Notes seen that are not client notes.
    skipped: BTreeMap<String, Skip>,
    /// Folder entries that could not be listed.
    problems: Vec<NoteError>,
    folder: Vec<Finding>,
}

fn codes(report: &NoteReport, rules: &Ruleset) -> Vec<String> {
    let mut c: Vec<String> = report
        .findings
        .iter()
        .map(|f| rules.rule(f.rule).meta.code.to_string())
        .collect();
    c.sort();
    c.dedup();
    c
}

/// Findings as a person compares them: rule, where and what.
fn same_findings(a: &NoteReport, b: &NoteReport) -> bool {
    a.findings.len() == b.findings.len()
        && a.findings.iter().zip(&b.findings).all(|(x, y)| {
            x.rule == y.rule && x.pos == y.pos && x.message == y.message && x.severity == y.severity
        })
}

impl FolderState {
    pub fn new() -> FolderState {
        FolderState::default()
    }

    /// The entry of note `rel`.
    pub fn get(&self, rel: &str) -> Option<&Entry> {
        self.notes.get(rel)
    }

    /// Paths of the notes below folder `prefix` (`/`-separated, relative).
    pub fn under(&self, prefix: &str) -> Vec<String> {
        let p = format!("{}/", prefix.trim_end_matches('/'));
        if prefix.is_empty() {
            return self.notes.keys().cloned().collect();
        }
        self.notes
            .range(p.clone()..)
            .take_while(|(k, _)| k.starts_with(&p))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// The remembered notes grouped by [`crate::scan::output_key`]: notes
    /// in one group would write the same files.
    pub fn output_groups(&self) -> std::collections::HashMap<String, Vec<String>> {
        let mut keys: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::with_capacity(self.notes.len());
        for rel in self.notes.keys() {
            keys.entry(crate::scan::output_key(rel))
                .or_default()
                .push(rel.clone());
        }
        keys
    }

    /// Client notes held.
    pub fn vetted(&self) -> usize {
        self.notes
            .values()
            .filter(|e| matches!(e.state, NoteState::Vetted(_)))
            .count()
    }

    /// The last report of note `rel`, if it was vetted.
    pub fn report(&self, rel: &str) -> Option<&NoteReport> {
        match self.notes.get(rel).map(|e| &e.state) {
            Some(NoteState::Vetted(r)) => Some(r),
            _ => None,
        }
    }

    /// Records that note `rel` was vetted.
    pub fn vetted_note(
        &mut self,
        rel: &str,
        report: NoteReport,
        id: Option<FileId>,
        rules: &Ruleset,
    ) -> Change {
        let old = self.notes.insert(
            rel.to_string(),
            Entry {
                state: NoteState::Vetted(Box::new(report)),
                id,
            },
        );
        let Some(NoteState::Vetted(new)) = self.notes.get(rel).map(|e| &e.state) else {
            return Change::Same;
        };
        match old.map(|e| e.state) {
            Some(NoteState::Vetted(before))
                if before.verdict == new.verdict
                    && before.score == new.score
                    && before.status == new.status
                    && before.client == new.client
                    && same_findings(&before, new) =>
            {
                Change::Same
            }
            Some(NoteState::Vetted(before)) => {
                let (was, now) = (codes(&before, rules), codes(new, rules));
                Change::Note {
                    previous: Some(before.verdict),
                    was_error: false,
                    added: now.iter().filter(|c| !was.contains(c)).cloned().collect(),
                    removed: was.iter().filter(|c| !now.contains(c)).cloned().collect(),
                }
            }
            other => Change::Note {
                previous: None,
                was_error: matches!(other, Some(NoteState::Failed(_))),
                added: codes(new, rules),
                removed: Vec::new(),
            },
        }
    }

    /// Records that note `rel` could not be read or parsed. Its last report
    /// goes (as in `check`, a note that cannot be read has no verdict);
    /// its generated files stay.
    pub fn failed_note(&mut self, rel: &str, error: NoteError, id: Option<FileId>) -> Change {
        let old = self.notes.insert(
            rel.to_string(),
            Entry {
                state: NoteState::Failed(error.clone()),
                id,
            },
        );
        match old.map(|e| e.state) {
            Some(NoteState::Failed(e)) if e == error => Change::Same,
            _ => Change::Error,
        }
    }

    /// Note `rel` is gone or is no longer a client note.
    pub fn removed_note(&mut self, rel: &str) -> Change {
        match self.notes.remove(rel) {
            Some(_) => Change::Removed,
            None => Change::Same,
        }
    }

    /// Updates a note's identity without re-vetting (after notes-vet wrote
    /// its annotation block).
    pub fn set_id(&mut self, rel: &str, id: Option<FileId>) {
        if let Some(e) = self.notes.get_mut(rel) {
            e.id = id;
        }
    }

    /// Sets the notes that are not client notes, and the folder entries
    /// that could not be listed (from a full scan).
    pub fn set_scan(&mut self, skipped: BTreeMap<String, Skip>, problems: Vec<NoteError>) {
        self.skipped = skipped;
        self.problems = problems;
    }

    /// Note `rel` is a markdown file that is not vetted, and why.
    pub fn skipped_note(&mut self, rel: &str, why: Skip) {
        self.skipped.insert(rel.to_string(), why);
    }

    /// Note `rel` is not (or no longer) a skipped one.
    pub fn not_skipped(&mut self, rel: &str) {
        self.skipped.remove(rel);
    }

    /// Puts back an entry taken with [`FolderState::take_all`].
    pub fn restore(&mut self, rel: &str, entry: Entry) {
        self.notes.insert(rel.to_string(), entry);
    }

    /// Forgets everything (before a full pass that will refill it).
    pub fn take_all(&mut self) -> BTreeMap<String, Entry> {
        std::mem::take(&mut self.notes)
    }

    /// Redoes the folder pass, the counts and the error list from memory.
    /// The second value is true when the folder-level findings changed.
    pub fn tally(&mut self, vetter: &Vetter<'_>) -> (Tally, bool) {
        let mut tally = Tally::new(vetter.today);
        let mut summaries: Vec<NoteSummary> = Vec::with_capacity(self.notes.len());
        tally.errors.extend(self.problems.iter().cloned());
        for entry in self.notes.values() {
            match &entry.state {
                NoteState::Vetted(r) => {
                    tally.count(r);
                    summaries.push(r.summary());
                }
                NoteState::Failed(e) => tally.errors.push(e.clone()),
            }
        }
        for why in self.skipped.values() {
            tally.skip(*why);
        }
        tally.errors.sort_by(|a, b| a.path.cmp(&b.path));
        if !summaries.is_empty() {
            tally.folder = vetter.folder(&summaries);
        }
        let changed = !same_folder(&tally.folder, &self.folder);
        self.folder = tally.folder.clone();
        (tally, changed)
    }
}

fn same_folder(a: &[Finding], b: &[Finding]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.rule == y.rule && x.message == y.message && x.severity == y.severity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::engine::Outcome;
    use crate::rules::Registry;
    use std::path::Path;

    fn vetter_parts() -> (Config, Ruleset) {
        let config = Config::defaults(Path::new("/notes"));
        let rules = Ruleset::new(Registry::builtin(), &config).unwrap();
        (config, rules)
    }

    fn vetter<'a>(config: &'a Config, rules: &'a Ruleset) -> Vetter<'a> {
        Vetter {
            ruleset: rules,
            config,
            today: crate::dates::parse_date("2026-11-23").unwrap(),
            keep_source: false,
        }
    }

    fn report(v: &Vetter<'_>, rel: &str, yaml: &str) -> NoteReport {
        match v.vet_text(rel, &format!("---\n{yaml}---\n")) {
            Outcome::Vetted(r) => *r,
            other => panic!("{other:?}"),
        }
    }

    const CALM: &str = "client: A\nstatus: prospect\nsince: 2026-11-01\n";
    const RUDE: &str = "client: A\nstatus: active\nsince: 2026-01-01\ncontacts:\n  - {at: \"2026-11-20T10:00\", tone: aggressive}\n  - {at: \"2026-11-21T10:00\", tone: rude}\n";

    fn prospect(day: u32) -> String {
        format!("client: P\nstatus: prospect\nsince: 2026-11-{day:02}\n")
    }

    #[test]
    fn a_changed_note_replaces_its_entry_and_the_counts_follow() {
        let (config, rules) = vetter_parts();
        let v = vetter(&config, &rules);
        let mut s = FolderState::new();
        let first = report(&v, "a.md", CALM);
        let verdict = first.verdict;
        assert_eq!(
            s.vetted_note("a.md", first, None, &rules),
            Change::Note {
                previous: None,
                was_error: false,
                added: vec![],
                removed: vec![]
            }
        );
        // The same result again is no change.
        assert_eq!(
            s.vetted_note("a.md", report(&v, "a.md", CALM), None, &rules),
            Change::Same
        );
        let rude = report(&v, "a.md", RUDE);
        let now = rude.verdict;
        match s.vetted_note("a.md", rude, None, &rules) {
            Change::Note {
                previous, added, ..
            } => {
                assert_eq!(previous, Some(verdict));
                assert!(added.contains(&"NV204".to_string()), "{added:?}");
            }
            other => panic!("{other:?}"),
        }
        let (tally, _) = s.tally(&v);
        assert_eq!(tally.notes, 1);
        let i = Verdict::ALL.iter().position(|x| *x == now).unwrap();
        assert_eq!(tally.verdicts[i], 1);
    }

    #[test]
    fn removed_and_renamed_notes_leave_the_tally() {
        let (config, rules) = vetter_parts();
        let v = vetter(&config, &rules);
        let mut s = FolderState::new();
        s.vetted_note("a.md", report(&v, "a.md", CALM), None, &rules);
        s.vetted_note("b/c.md", report(&v, "b/c.md", CALM), None, &rules);
        assert_eq!(s.under("b"), vec!["b/c.md".to_string()]);
        // A rename: the old path goes, the new one comes.
        assert_eq!(s.removed_note("a.md"), Change::Removed);
        assert_eq!(s.removed_note("a.md"), Change::Same);
        assert!(matches!(
            s.vetted_note("z.md", report(&v, "z.md", CALM), None, &rules),
            Change::Note { previous: None, .. }
        ));
        let (tally, _) = s.tally(&v);
        assert_eq!(tally.notes, 2);
        assert!(s.report("a.md").is_none() && s.report("z.md").is_some());
    }

    #[test]
    fn a_failing_note_is_an_error_once_and_keeps_no_verdict() {
        let (config, rules) = vetter_parts();
        let v = vetter(&config, &rules);
        let mut s = FolderState::new();
        s.vetted_note("a.md", report(&v, "a.md", CALM), None, &rules);
        let err = NoteError {
            path: "a.md".into(),
            pos: None,
            message: "bad".into(),
            source: None,
        };
        assert_eq!(s.failed_note("a.md", err.clone(), None), Change::Error);
        assert_eq!(s.failed_note("a.md", err, None), Change::Same);
        let (tally, _) = s.tally(&v);
        assert_eq!((tally.notes, tally.errors.len()), (0, 1));
        assert!(tally.has_errors());
    }

    #[test]
    fn the_folder_pass_is_redone_from_memory() {
        let (config, rules) = vetter_parts();
        let v = vetter(&config, &rules);
        let mut s = FolderState::new();
        // Three new prospects this month: no thin pipeline (NV403).
        for day in [10, 15, 20] {
            let rel = format!("p{day}.md");
            s.vetted_note(&rel, report(&v, &rel, &prospect(day)), None, &rules);
        }
        let (tally, _) = s.tally(&v);
        let nv403 = |t: &Tally| {
            t.folder
                .iter()
                .any(|f| rules.rule(f.rule).meta.code == "NV403")
        };
        assert!(!nv403(&tally));
        // Two of them go: the thin pipeline shows, and is a change.
        for day in [15, 20] {
            s.removed_note(&format!("p{day}.md"));
        }
        let (tally, changed) = s.tally(&v);
        assert!(nv403(&tally) && changed);
        let (_, changed) = s.tally(&v);
        assert!(!changed, "the same folder findings are no change");
    }
}
