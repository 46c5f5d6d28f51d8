//! What was published where: publish records, publishing locks and the shared
//! request pace (migration 6). The publishing engine (desk-publish) records
//! through these, via desk-app; the store knows nothing of Statuspage.
//!
//! Everything here is one statement or one transaction, so it holds for many
//! processes on many machines sharing the database: a lock is an upsert that
//! only takes an expired lease, a pace slot an upsert that moves the next
//! free slot on, and a confirmed record is never downgraded.

use std::time::Duration;

use chrono::Utc;
use serde::Serialize;
use sqlx::Row;

use crate::{timestamp, Result, Store, StoreError};

/// One publish of one update to one page, as the database holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishRecord {
    pub publish_id: String,
    pub incident_key: String,
    pub update_index: i64,
    pub page_id: String,
    pub lang: Option<String>,
    /// create, update or postmortem.
    pub action: String,
    /// intended, sent, confirmed, unknown or failed.
    pub state: String,
    pub remote_incident_id: Option<String>,
    pub remote_update_id: Option<String>,
    pub url: Option<String>,
    pub request_hash: Option<String>,
    pub message: Option<String>,
    /// Filled in by the store (PostgreSQL: the session's role).
    pub recorded_by: String,
    pub updated_at: String,
}

/// A stored draft to mark published when its publish is confirmed on every
/// one of `pages`, in the same transaction as the last confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkPublished {
    pub update_id: i64,
    pub revision: i64,
    pub incident_key: String,
    pub update_index: i64,
    pub pages: Vec<String>,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

per_dialect! {

fn record_of(r: &<Db as sqlx::Database>::Row) -> Result<PublishRecord> {
    Ok(PublishRecord {
        publish_id: r.try_get("publish_id")?,
        incident_key: r.try_get("incident_key")?,
        update_index: r.try_get("update_index")?,
        page_id: r.try_get("page_id")?,
        lang: r.try_get("lang")?,
        action: r.try_get("action")?,
        state: r.try_get("state")?,
        remote_incident_id: r.try_get("remote_incident_id")?,
        remote_update_id: r.try_get("remote_update_id")?,
        url: r.try_get("url")?,
        request_hash: r.try_get("request_hash")?,
        message: r.try_get("message")?,
        recorded_by: r.try_get("recorded_by")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(crate) async fn get(pool: &sqlx::Pool<Db>, publish_id: &str) -> Result<Option<PublishRecord>> {
    let row = sqlx::query("SELECT * FROM publish_records WHERE publish_id = $1").bind(publish_id).fetch_optional(pool).await?;
    row.as_ref().map(record_of).transpose()
}

pub(crate) async fn remote_incident(pool: &sqlx::Pool<Db>, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>> {
    let row = sqlx::query(
        "SELECT * FROM publish_records
         WHERE incident_key = $1 AND page_id = $2 AND state = 'confirmed' AND remote_incident_id IS NOT NULL
         ORDER BY update_index DESC, updated_at DESC LIMIT 1",
    )
    .bind(incident_key)
    .bind(page_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(record_of).transpose()
}

pub(crate) async fn for_incident(pool: &sqlx::Pool<Db>, incident_key: &str) -> Result<Vec<PublishRecord>> {
    let rows = sqlx::query("SELECT * FROM publish_records WHERE incident_key = $1 ORDER BY update_index, page_id")
        .bind(incident_key)
        .fetch_all(pool)
        .await?;
    rows.iter().map(record_of).collect()
}

pub(crate) async fn record(pool: &sqlx::Pool<Db>, rec: &PublishRecord, actor: &str, mark: Option<&MarkPublished>) -> Result<()> {
    let mut tx = sql::begin_write(pool).await?;
    // A confirmed publish is never downgraded (a late process's "unknown"
    // after another confirmed it changes nothing).
    sqlx::query(
        "INSERT INTO publish_records (publish_id, incident_key, update_index, page_id, lang, action, state,
             remote_incident_id, remote_update_id, url, request_hash, message, recorded_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (publish_id) DO UPDATE SET
             action = excluded.action, state = excluded.state,
             remote_incident_id = coalesce(excluded.remote_incident_id, publish_records.remote_incident_id),
             remote_update_id = coalesce(excluded.remote_update_id, publish_records.remote_update_id),
             url = coalesce(excluded.url, publish_records.url),
             request_hash = coalesce(excluded.request_hash, publish_records.request_hash),
             message = excluded.message, recorded_by = excluded.recorded_by, updated_at = excluded.updated_at
         WHERE publish_records.state <> 'confirmed'",
    )
    .bind(&rec.publish_id)
    .bind(&rec.incident_key)
    .bind(rec.update_index)
    .bind(&rec.page_id)
    .bind(&rec.lang)
    .bind(&rec.action)
    .bind(&rec.state)
    .bind(&rec.remote_incident_id)
    .bind(&rec.remote_update_id)
    .bind(&rec.url)
    .bind(&rec.request_hash)
    .bind(&rec.message)
    .bind(actor)
    .bind(timestamp(Utc::now()))
    .execute(&mut *tx)
    .await?;
    if let Some(mark) = mark.filter(|_| rec.state == "confirmed") {
        let confirmed: Vec<String> = sqlx::query_scalar(
            "SELECT page_id FROM publish_records WHERE incident_key = $1 AND update_index = $2 AND state = 'confirmed'",
        )
        .bind(&mark.incident_key)
        .bind(mark.update_index)
        .fetch_all(&mut *tx)
        .await?;
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM updates WHERE id = $1")
            .bind(mark.update_id)
            .fetch_optional(&mut *tx)
            .await?;
        if mark.pages.iter().all(|p| confirmed.contains(p)) && state.as_deref() == Some("draft") {
            sql::mark_update(&mut tx, mark.update_id, mark.revision, actor, Some(Utc::now())).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn hold(pool: &sqlx::Pool<Db>, lock_key: &str, holder: &str, lease: Duration) -> Result<bool> {
    let now = now_ms();
    let until = now + lease.as_millis() as i64;
    let taken = sqlx::query(
        "INSERT INTO publish_locks (lock_key, holder, lease_until_ms) VALUES ($1, $2, $3)
         ON CONFLICT (lock_key) DO UPDATE SET holder = excluded.holder, lease_until_ms = excluded.lease_until_ms
         WHERE publish_locks.lease_until_ms < $4 OR publish_locks.holder = excluded.holder",
    )
    .bind(lock_key)
    .bind(holder)
    .bind(until)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

pub(crate) async fn release(pool: &sqlx::Pool<Db>, lock_key: &str, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM publish_locks WHERE lock_key = $1 AND holder = $2").bind(lock_key).bind(holder).execute(pool).await?;
    Ok(())
}

pub(crate) async fn pace(pool: &sqlx::Pool<Db>, pace_key: &str, interval_ms: i64, not_before_ms: i64) -> Result<i64> {
    let now = now_ms().max(not_before_ms);
    // The row's next free slot moves on by one interval; this request's slot
    // is the one it moved from (or now, when the row was idle).
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO publish_pace (pace_key, next_ms) VALUES ($1, $2 + $3)
         ON CONFLICT (pace_key) DO UPDATE SET next_ms =
             CASE WHEN publish_pace.next_ms > $2 THEN publish_pace.next_ms + $3 ELSE $2 + $3 END
         RETURNING next_ms",
    )
    .bind(pace_key)
    .bind(now)
    .bind(interval_ms)
    .fetch_one(pool)
    .await?;
    Ok(next - interval_ms)
}

}

impl Store {
    /// The database's own identity: a UUID made when it was created.
    pub async fn database_identity(&self) -> Result<String> {
        on_backend!(self, pool, [] => {
            let uuid: Option<String> = sqlx::query_scalar("SELECT uuid FROM database_identity WHERE singleton = 1")
                .fetch_optional(pool)
                .await?;
            uuid.ok_or_else(|| StoreError::Unsupported("the database has no identity (migration 6 did not run)".into()))
        })
    }

    /// The latest state of a publish.
    pub async fn publish_record(&self, publish_id: &str) -> Result<Option<PublishRecord>> {
        on_backend!(self, pool, [crate::publish_records as q] => q::get(pool, publish_id).await)
    }

    /// The newest confirmed publish of an incident to a page, with its
    /// remote incident id.
    pub async fn remote_incident(&self, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>> {
        on_backend!(self, pool, [crate::publish_records as q] => q::remote_incident(pool, incident_key, page_id).await)
    }

    /// Every publish of an incident, by update and page.
    pub async fn publish_records(&self, incident_key: &str) -> Result<Vec<PublishRecord>> {
        on_backend!(self, pool, [crate::publish_records as q] => q::for_incident(pool, incident_key).await)
    }

    /// Records a publish's state (never downgrading a confirmed one). With
    /// `mark`, a confirmation that completes every page marks the draft
    /// published in the same transaction.
    pub async fn record_publish(&self, rec: &PublishRecord, mark: Option<&MarkPublished>) -> Result<()> {
        let me = self.identity().await?;
        on_backend!(self, pool, [crate::publish_records as q] => q::record(pool, rec, &me, mark).await)
    }

    /// Takes the publishing lock `lock_key` for `lease` (or renews it for the
    /// same holder); false while someone else holds an unexpired lease.
    pub async fn hold_publishing(&self, lock_key: &str, holder: &str, lease: Duration) -> Result<bool> {
        on_backend!(self, pool, [crate::publish_records as q] => q::hold(pool, lock_key, holder, lease).await)
    }

    pub async fn release_publishing(&self, lock_key: &str, holder: &str) -> Result<()> {
        on_backend!(self, pool, [crate::publish_records as q] => q::release(pool, lock_key, holder).await)
    }

    /// Reserves the next request slot for `pace_key`, `interval` after the
    /// previous one and not before `not_before_ms`; returns how long to wait
    /// for it.
    pub async fn pace_slot(&self, pace_key: &str, interval: Duration, not_before_ms: i64) -> Result<Duration> {
        let slot = on_backend!(self, pool, [crate::publish_records as q] => {
            q::pace(pool, pace_key, interval.as_millis() as i64, not_before_ms).await?
        });
        Ok(Duration::from_millis((slot - now_ms()).max(0) as u64))
    }
}
