//! Reading the seed's status-page history export (shared by the corpus
//! check and the benchmark).

#![allow(dead_code)]

use std::path::PathBuf;

use desk_lint::LintUpdate;
use desk_model::{Bilingual, Status};

pub const SEED: &str = "000_81e5634fc690bc19.txt";

/// `../shared/seeds/<SEED>` relative to the repository's root.
pub fn seed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds").join(SEED)
}

/// An incident of the seed: its title and its updates, oldest first.
pub struct SeedIncident {
    pub title: String,
    pub updates: Vec<String>,
}

/// `Report: "<title>"` starts an incident; its updates follow, newest first,
/// the first prefixed `Last update`.
pub fn parse_seed(text: &str) -> Vec<SeedIncident> {
    let mut out: Vec<SeedIncident> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Report: \"") {
            out.push(SeedIncident { title: rest.trim_end_matches('"').to_string(), updates: Vec::new() });
        } else if let Some(inc) = out.last_mut() {
            let body = line.strip_prefix("Last update").unwrap_or(line).trim();
            if !body.is_empty() {
                inc.updates.push(body.to_string());
            }
        }
    }
    for inc in &mut out {
        inc.updates.reverse();
    }
    out
}

impl SeedIncident {
    /// The updates as the linter takes them (Japanese only), each with the
    /// status read from its wording; only the newest carries the title (the
    /// export shows the current one).
    pub fn lint_updates(&self) -> Vec<LintUpdate> {
        let n = self.updates.len();
        self.updates
            .iter()
            .enumerate()
            .map(|(k, body)| LintUpdate {
                status: status_of(body, k + 1 == n, &self.title),
                title: Bilingual { ja: if k + 1 == n { self.title.clone() } else { String::new() }, en: String::new() },
                body: Bilingual { ja: body.clone(), en: String::new() },
                period: None,
                next_update_at: None,
            })
            .collect()
    }
}

/// The status an update was published with. The export does not record it,
/// so it is read from the conventional wording of each stage (DOMAIN.md's
/// lifecycle table): a heuristic of this check, not of the linter.
pub fn status_of(text: &str, newest: bool, title: &str) -> Status {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let status = guess_status(text, newest);
    // The newest update carries the title's final state: 【解決済み】 or a past tense.
    let title_closed = ["解決済み", "解消済み"].iter().any(|w| title.contains(w)) || title.trim_end_matches('。').ends_with("ていました");
    if newest && title_closed && !status.is_closed() && !has(&["We are continuing"]) {
        return Status::Resolved;
    }
    status
}

fn guess_status(text: &str, newest: bool) -> Status {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if newest && (has(&["下記の通りご報告"]) || text.starts_with("---")) {
        Status::Postmortem
    } else if has(&["This incident has been resolved"]) {
        Status::Resolved
    } else if has(&["continuing to monitor"]) {
        Status::Monitoring
    } else if has(&["continuing to investigate"]) {
        Status::Investigating
    } else if has(&["解消したのでご報告", "解消しております", "解消されています", "すでに解消", "解消を確認", "復旧を確認", "解消済み", "解消いたしました", "解消しました", "解消したため"]) && !has(&["監視"]) {
        Status::Resolved
    } else if has(&["監視", "対応を実施しました", "対応を行いました", "修正を適用"]) {
        Status::Monitoring
    } else if has(&["原因が特定", "原因は特定", "原因を特定"]) {
        Status::Identified
    } else {
        Status::Investigating
    }
}

