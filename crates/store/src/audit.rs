//! The audit log: append-only and tamper-evident.
//!
//! Every entry written since schema 3 carries `prev_hash` (the hash of the
//! entry before it in the chain, "" for the first) and `hash` = SHA-256 over
//! `prev_hash` and the entry's fields ([`entry_hash`]). Triggers refuse UPDATE
//! and DELETE. Changing, removing or inserting an entry without recomputing
//! every later hash breaks the chain, and [`Store::verify_audit`] names the
//! first entry where it breaks. Removing the newest entries leaves a shorter
//! valid chain: compare [`AuditReport::head`] with a copy kept elsewhere to
//! notice that. On SQLite, someone who can write the file can drop the
//! triggers and recompute the whole chain; on PostgreSQL only the tables'
//! owner or a superuser can (team members cannot).

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Result, Store};

/// SHA-256 of a text, in lower-case hex: a revision's hash is this of its
/// stored content (JSON of `desk_model::Update`).
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// One field of an entry's hashed form: its length in bytes, ':', the text, ';'
/// (unambiguous whatever the text holds). PostgreSQL's `desk_audit_field` is the same.
fn field(out: &mut String, text: &str) {
    out.push_str(&text.len().to_string());
    out.push(':');
    out.push_str(text);
    out.push(';');
}

/// The hash of an audit entry, chained to the previous entry's hash.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    at: &str,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    revision_hash: Option<&str>,
    detail: &str,
) -> String {
    let mut s = String::new();
    for f in [prev_hash, at, actor, action, entity, &entity_id.map(|i| i.to_string()).unwrap_or_default(), revision_hash.unwrap_or(""), detail] {
        field(&mut s, f);
    }
    sha256_hex(&s)
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub revision_hash: Option<String>,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl AuditEntry {
    /// The hash this entry should carry after `prev`.
    pub fn expected_hash(&self, prev: &str) -> String {
        entry_hash(prev, &self.at, &self.actor, &self.action, &self.entity, self.entity_id, self.revision_hash.as_deref(), &self.detail)
    }
}

/// Where the chain breaks first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokenLink {
    /// The entry at which the chain stops holding.
    pub entry_id: i64,
    /// What differs, in words.
    pub problem: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    /// Entries checked in the chain.
    pub chained: usize,
    /// Entries from before schema 3, outside the chain.
    pub unchained: usize,
    /// The newest entry's hash: keep a copy elsewhere to detect truncation.
    pub head: Option<String>,
    pub broken: Option<BrokenLink>,
}

impl AuditReport {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
    }
}

/// Checks a chain given oldest first.
pub fn verify_entries(entries: &[AuditEntry]) -> AuditReport {
    let mut report = AuditReport { chained: 0, unchained: 0, head: None, broken: None };
    let mut prev: Option<&str> = None; // Some once the chain has started
    for e in entries {
        let problem = match (&e.hash, prev) {
            (None, None) => {
                report.unchained += 1;
                continue;
            }
            (None, Some(_)) => Some("the entry has no hash inside the chain (its hash was removed)".to_string()),
            (Some(hash), _) => {
                let expected_prev = prev.unwrap_or("");
                let stored_prev = e.prev_hash.as_deref().unwrap_or("");
                if stored_prev != expected_prev {
                    Some(if prev.is_none() {
                        format!("the first chained entry names a previous hash {stored_prev} although none precedes it (entries before it were removed)")
                    } else {
                        format!(
                            "prev_hash is {stored_prev} but the entry before it has hash {expected_prev} (an entry was removed or inserted here)"
                        )
                    })
                } else {
                    let recomputed = e.expected_hash(stored_prev);
                    (recomputed != *hash).then(|| {
                        format!("stored hash {hash} but the entry's content hashes to {recomputed} (the entry was altered)")
                    })
                }
            }
        };
        if let Some(problem) = problem {
            report.broken = Some(BrokenLink { entry_id: e.id, problem });
            return report;
        }
        report.chained += 1;
        prev = e.hash.as_deref();
    }
    report.head = prev.map(str::to_string);
    report
}

impl Store {
    /// Every audit entry, oldest first.
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        let sql = "SELECT id, at, actor, action, entity, entity_id, revision_hash, detail, prev_hash, hash
                   FROM audit_log ORDER BY id";
        on_backend!(self, pool, [] => {
            sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    Ok(AuditEntry {
                        id: r.try_get("id")?,
                        at: r.try_get("at")?,
                        actor: r.try_get("actor")?,
                        action: r.try_get("action")?,
                        entity: r.try_get("entity")?,
                        entity_id: r.try_get("entity_id")?,
                        revision_hash: r.try_get("revision_hash")?,
                        detail: r.try_get("detail")?,
                        prev_hash: r.try_get("prev_hash")?,
                        hash: r.try_get("hash")?,
                    })
                })
                .collect()
        })
    }

    /// Checks the audit log's hash chain.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        Ok(verify_entries(&self.audit_entries().await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = String::new();
        (1..=n)
            .map(|id| {
                let mut e = AuditEntry {
                    id,
                    at: format!("2026-11-23T10:00:{id:02}.000000Z"),
                    actor: "aiko".into(),
                    action: "approve".into(),
                    entity: "update".into(),
                    entity_id: Some(7),
                    revision_hash: Some(sha256_hex("x")),
                    detail: "{\"note\":\"a|b;c\"}".into(),
                    prev_hash: Some(prev.clone()),
                    hash: None,
                };
                e.hash = Some(e.expected_hash(&prev));
                prev = e.hash.clone().unwrap();
                e
            })
            .collect()
    }

    #[test]
    fn a_valid_chain_passes_and_reports_its_head() {
        let entries = chain(5);
        let report = verify_entries(&entries);
        assert!(report.ok(), "{report:?}");
        assert_eq!(report.chained, 5);
        assert_eq!(report.head, entries[4].hash);
    }

    #[test]
    fn an_altered_entry_is_named() {
        let mut entries = chain(5);
        entries[2].actor = "mallory".into();
        let broken = verify_entries(&entries).broken.unwrap();
        assert_eq!(broken.entry_id, 3);
        assert!(broken.problem.contains("altered"), "{}", broken.problem);
    }

    #[test]
    fn a_removed_entry_breaks_the_next_link() {
        let mut entries = chain(5);
        entries.remove(1);
        let broken = verify_entries(&entries).broken.unwrap();
        assert_eq!(broken.entry_id, 3);
        assert!(broken.problem.contains("removed or inserted"));
    }

    #[test]
    fn legacy_entries_before_the_chain_are_counted_apart() {
        let mut entries = chain(2);
        for e in &mut entries {
            e.id += 10;
        }
        let legacy = AuditEntry { id: 1, prev_hash: None, hash: None, ..entries[0].clone() };
        entries.insert(0, legacy);
        let report = verify_entries(&entries);
        assert!(report.ok());
        assert_eq!((report.unchained, report.chained), (1, 2));
    }

    #[test]
    fn field_encoding_is_unambiguous() {
        assert_ne!(
            entry_hash("", "a", "b;", "c", "", None, None, ""),
            entry_hash("", "a", "b", ";c", "", None, None, "")
        );
    }
}
