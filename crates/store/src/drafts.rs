//! Drafts and their history.
//!
//! Every save of an update is a new revision, numbered from 1. A save names
//! the revision it was made from; when another save got there first, it is
//! refused with a [`Conflict`] that hands the loser's text back (optimistic
//! concurrency: a compare-and-swap on `updates.version`, atomic in SQLite and
//! PostgreSQL alike). Old revisions are thinned out by [`Store::compact`],
//! which never drops the current, the last reviewed or the last published one.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use desk_model::Update;
use serde::Serialize;
use sqlx::Row;

use crate::incidents::UpdateState;
use crate::{parse_timestamp, text, timestamp, Conflict, Result, Store, StoreError};

/// A save that went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SavedRevision {
    pub update_id: i64,
    /// The new revision's number: the version to pass to the next save.
    pub number: i64,
}

/// One revision in an update's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RevisionInfo {
    pub number: i64,
    pub saved_at: DateTime<Utc>,
    pub author: String,
    pub note: String,
    pub current: bool,
    pub reviewed: bool,
    pub published: bool,
}

/// Which old revisions compaction keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactionPolicy {
    /// The newest revisions kept as they are.
    pub keep_latest: usize,
    /// Older ones: the last revision of each window of this length is kept.
    pub keep_one_per: Duration,
}

impl Default for CompactionPolicy {
    fn default() -> Self {
        CompactionPolicy { keep_latest: 30, keep_one_per: Duration::minutes(10) }
    }
}

/// Compaction runs on its own after this many saves of one update.
pub const AUTO_COMPACT_EVERY: i64 = 100;

impl Store {
    /// Starts a new draft update on an incident; returns its first revision.
    pub async fn new_draft(&self, incident_id: i64, update: &Update, author: &str) -> Result<SavedRevision> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM incidents WHERE id = $1")
                .bind(incident_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound { what: "incident", id: incident_id });
            }
            let update_id = sql::insert_update(&mut tx, incident_id, update, UpdateState::Draft, author, "").await?;
            sql::refresh_status(&mut tx, incident_id).await?;
            tx.commit().await?;
            Ok(SavedRevision { update_id, number: 1 })
        })
    }

    /// Saves an update's text as a new revision, if `expected_version` is
    /// still the current one. Otherwise nothing is written and the error
    /// carries both texts ([`StoreError::Conflict`]).
    pub async fn save_draft(&self, update_id: i64, expected_version: i64, update: &Update, author: &str) -> Result<SavedRevision> {
        self.save_revision(update_id, expected_version, update, author, "").await
    }

    async fn save_revision(&self, update_id: i64, expected_version: i64, update: &Update, author: &str, note: &str) -> Result<SavedRevision> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let (ja, en) = text::plain_pair(update);
            let mut tx = sql::begin_write(pool).await?;
            // The compare-and-swap comes first: the transaction takes the write
            // lock at once, so two writers queue instead of deadlocking.
            // Team mode: a published update is not edited (the database
            // refuses it too, schema 7); single-person mode still saves onto one.
            let swapped: Option<i64> = sqlx::query_scalar(
                "UPDATE updates SET version = version + 1, status = $1, text_ja = $2, text_en = $3
                 WHERE id = $4 AND version = $5 AND (state = 'draft' OR $6)
                 RETURNING incident_id",
            )
            .bind(update.status.as_str())
            .bind(ja)
            .bind(en)
            .bind(update_id)
            .bind(expected_version)
            .bind(!sql::POSTGRES)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(incident_id) = swapped else {
                let current = sqlx::query(
                    "SELECT u.version, u.state, r.content FROM updates u
                     JOIN revisions r ON r.update_id = u.id AND r.number = u.version WHERE u.id = $1",
                )
                .bind(update_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound { what: "update", id: update_id })?;
                if sql::POSTGRES && current.try_get::<String, _>("state")? == UpdateState::Published.as_str() {
                    return Err(StoreError::Published(update_id));
                }
                return Err(StoreError::Conflict(Box::new(Conflict {
                    update_id,
                    expected_version,
                    current_version: current.try_get("version")?,
                    yours: update.clone(),
                    theirs: serde_json::from_str(current.try_get("content")?)?,
                })));
            };
            let number = expected_version + 1;
            sqlx::query(
                "INSERT INTO revisions (update_id, number, content, author, note, saved_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(update_id)
            .bind(number)
            .bind(serde_json::to_string(update)?)
            .bind(author)
            .bind(note)
            .bind(timestamp(Utc::now()))
            .execute(&mut *tx)
            .await?;
            sql::refresh_status(&mut tx, incident_id).await?;
            tx.commit().await?;
            if number % AUTO_COMPACT_EVERY == 0 {
                self.compact(update_id, CompactionPolicy::default()).await?;
            }
            Ok(SavedRevision { update_id, number })
        })
    }

    /// An update's history, oldest first.
    pub async fn revisions(&self, update_id: i64) -> Result<Vec<RevisionInfo>> {
        on_backend!(self, pool, [] => {
            let marks = sqlx::query("SELECT version, reviewed_revision, published_revision FROM updates WHERE id = $1")
                .bind(update_id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "update", id: update_id })?;
            let current: i64 = marks.try_get("version")?;
            let reviewed: Option<i64> = marks.try_get("reviewed_revision")?;
            let published: Option<i64> = marks.try_get("published_revision")?;
            sqlx::query("SELECT number, saved_at, author, note FROM revisions WHERE update_id = $1 ORDER BY number")
                .bind(update_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| {
                    let number: i64 = r.try_get("number")?;
                    Ok(RevisionInfo {
                        number,
                        saved_at: parse_timestamp(r.try_get("saved_at")?).unwrap_or_default(),
                        author: r.try_get("author")?,
                        note: r.try_get("note")?,
                        current: number == current,
                        reviewed: reviewed == Some(number),
                        published: published == Some(number),
                    })
                })
                .collect()
        })
    }

    /// The text of one revision.
    pub async fn revision(&self, update_id: i64, number: i64) -> Result<Update> {
        on_backend!(self, pool, [] => {
            let content: String = sqlx::query_scalar("SELECT content FROM revisions WHERE update_id = $1 AND number = $2")
                .bind(update_id)
                .bind(number)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "revision", id: number })?;
            Ok(serde_json::from_str(&content)?)
        })
    }

    /// Makes an old revision current again, as a new revision (history is
    /// never rewritten). Same optimistic check as a save.
    pub async fn restore(&self, update_id: i64, number: i64, expected_version: i64, author: &str) -> Result<SavedRevision> {
        let old = self.revision(update_id, number).await?;
        self.save_revision(update_id, expected_version, &old, author, &format!("restored from {number}")).await
    }

    /// Marks a revision as the one an approver reviewed.
    pub async fn mark_reviewed(&self, update_id: i64, number: i64, actor: &str) -> Result<()> {
        self.mark(update_id, number, actor, None).await
    }

    /// Marks a revision as published (the update becomes `published`).
    pub async fn mark_published(&self, update_id: i64, number: i64, at: DateTime<Utc>, actor: &str) -> Result<()> {
        self.mark(update_id, number, actor, Some(at)).await
    }

    async fn mark(&self, update_id: i64, number: i64, actor: &str, published_at: Option<DateTime<Utc>>) -> Result<()> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            sql::mark_update(&mut tx, update_id, number, actor, published_at).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Thins out an update's old revisions; returns how many were dropped.
    pub async fn compact(&self, update_id: i64, policy: CompactionPolicy) -> Result<usize> {
        on_backend!(self, pool, [crate::sql as sql] => {
            // Who deletes (SQLite: the store says; PostgreSQL: the session).
            let actor = if sql::POSTGRES { String::new() } else { self.identity().await? };
            let mut tx = sql::begin_write(pool).await?;
            // Take the write lock first, so nobody saves between reading and deleting.
            let marks = sqlx::query(
                "UPDATE updates SET version = version WHERE id = $1
                 RETURNING version, reviewed_revision, published_revision",
            )
            .bind(update_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound { what: "update", id: update_id })?;
            let mut pinned: Vec<i64> = vec![marks.try_get("version")?];
            pinned.extend(marks.try_get::<Option<i64>, _>("reviewed_revision")?);
            pinned.extend(marks.try_get::<Option<i64>, _>("published_revision")?);
            let revisions: Vec<(i64, DateTime<Utc>)> =
                sqlx::query("SELECT number, saved_at FROM revisions WHERE update_id = $1 ORDER BY number")
                    .bind(update_id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| Ok((r.try_get("number")?, parse_timestamp(r.try_get("saved_at")?).unwrap_or_default())))
                    .collect::<Result<_>>()?;
            let doomed = to_drop(&revisions, &pinned, policy);
            for number in &doomed {
                let gone = sqlx::query(
                    "DELETE FROM revisions WHERE update_id = $1 AND number = $2 RETURNING content, author, note, saved_at",
                )
                .bind(update_id)
                .bind(number)
                .fetch_one(&mut *tx)
                .await?;
                // Each deleted revision is an audit entry: on PostgreSQL a
                // trigger writes it (schema 7), here the store, the same.
                if !sql::POSTGRES {
                    let detail = serde_json::json!({
                        "revision": number,
                        "author": gone.try_get::<String, _>("author")?,
                        "note": gone.try_get::<String, _>("note")?,
                        "saved_at": gone.try_get::<String, _>("saved_at")?,
                    });
                    let hash = crate::audit::sha256_hex(gone.try_get("content")?);
                    sql::audit(&mut tx, &actor, "delete_revision", "update", Some(update_id), Some(&hash), &detail).await?;
                }
            }
            tx.commit().await?;
            Ok(doomed.len())
        })
    }
}

/// The revisions a policy drops: not pinned, not among the newest, and not
/// the last of their time window.
fn to_drop(revisions: &[(i64, DateTime<Utc>)], pinned: &[i64], policy: CompactionPolicy) -> Vec<i64> {
    let old = revisions.len().saturating_sub(policy.keep_latest);
    let window = policy.keep_one_per.num_milliseconds().max(1);
    let mut last_of_window = BTreeSet::new();
    let mut seen_windows = BTreeSet::new();
    for (number, at) in revisions[..old].iter().rev() {
        if seen_windows.insert(at.timestamp_millis().div_euclid(window)) {
            last_of_window.insert(*number);
        }
    }
    revisions[..old]
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !pinned.contains(n) && !last_of_window.contains(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compaction_keeps_the_newest_the_pinned_and_one_per_window() {
        let start = DateTime::parse_from_rfc3339("2025-06-13T02:00:00Z").unwrap().with_timezone(&Utc);
        // 100 saves, one a minute.
        let revs: Vec<_> = (1..=100).map(|n| (n, start + Duration::minutes(n))).collect();
        let policy = CompactionPolicy { keep_latest: 10, keep_one_per: Duration::minutes(10) };
        let dropped = to_drop(&revs, &[3, 4], policy);
        let kept: Vec<i64> = (1..=100).filter(|n| !dropped.contains(n)).collect();
        for n in [3, 4] {
            assert!(kept.contains(&n), "pinned {n} kept");
        }
        for n in 91..=100 {
            assert!(kept.contains(&n), "recent {n} kept");
        }
        // minutes 1..=9 are window 0 (last: 9), 10..=19 window 1 (last: 19), ...
        for n in [9, 19, 29, 89, 90] {
            assert!(kept.contains(&n), "{n} ends its window");
        }
        assert!(dropped.contains(&1) && dropped.contains(&50));
        // 2 pinned, 10 newest, the last of windows 0..=9 (9, 19, ..., 89, 90).
        assert_eq!(kept.len(), 2 + 10 + 10);
    }
}
