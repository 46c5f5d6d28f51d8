//! SQL that SQLite and PostgreSQL both run as written, compiled once per
//! dialect (`sql::sqlite`, `sql::pg`, see `per_dialect!` in lib.rs). What
//! differs between the two is decided here, on `POSTGRES`, and nowhere else:
//! how a writing transaction begins, and who writes the audit chain.

use chrono::Utc;
use desk_model::{Bilingual, Kind, Status, Update};
use sqlx::{Row, Transaction};

use crate::incidents::{parse_impact, IncidentSummary, NewIncident, UpdateState};
use crate::{text, timestamp, Result};

per_dialect! {

/// A transaction that writes. SQLite: `BEGIN IMMEDIATE` takes the write lock
/// up front, so that two processes queue on the busy timeout instead of one
/// failing with SQLITE_BUSY. PostgreSQL: `BEGIN` (read committed; the
/// compare-and-swap `UPDATE`s and the triggers' locks do the rest).
pub(crate) async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<Transaction<'static, Db>> {
    if POSTGRES {
        Ok(pool.begin().await?)
    } else {
        Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Appends an entry to the audit log's hash chain. SQLite: the chain is
/// computed here, inside the writing transaction (which holds the database's
/// write lock, so entries cannot interleave). PostgreSQL: the trigger
/// `audit_log_chain` computes it and fills in the time and the actor from the
/// session, so what is passed for them is ignored.
pub(crate) async fn audit(
    tx: &mut Transaction<'_, Db>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    revision_hash: Option<&str>,
    detail: &serde_json::Value,
) -> Result<()> {
    let detail = detail.to_string();
    let at = timestamp(Utc::now());
    let (prev, hash) = if POSTGRES {
        (None, None)
    } else {
        let prev: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let prev = prev.unwrap_or_default();
        let hash = crate::audit::entry_hash(&prev, &at, actor, action, entity, entity_id, revision_hash, &detail);
        (Some(prev), Some(hash))
    };
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail, revision_hash, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(detail)
    .bind(revision_hash)
    .bind(prev)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) fn summary_from_row(row: &<Db as sqlx::Database>::Row) -> Result<IncidentSummary> {
    Ok(IncidentSummary {
        id: row.try_get("id")?,
        kind: Kind::parse(row.try_get("kind")?).unwrap_or_default(),
        status: row.try_get::<Option<String>, _>("status")?.as_deref().and_then(Status::parse),
        title: Bilingual { ja: row.try_get("title_ja")?, en: row.try_get("title_en")? },
        impact: parse_impact(row.try_get("impact")?),
        updates: row.try_get("update_count")?,
        opened_at: row.try_get("opened_at")?,
        source: row.try_get("source")?,
    })
}

/// Sets an incident's status from its updates: the newest published one's,
/// else the newest draft's.
pub(crate) async fn refresh_status(tx: &mut Transaction<'_, Db>, incident_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE incidents SET status = (
             SELECT u.status FROM updates u WHERE u.incident_id = $1
             ORDER BY CASE WHEN u.state = 'published' THEN 1 ELSE 0 END DESC, u.position DESC
             LIMIT 1),
           updated_at = $2
         WHERE id = $1",
    )
    .bind(incident_id)
    .bind(timestamp(Utc::now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds an update with its first revision.
pub(crate) async fn insert_update(
    tx: &mut Transaction<'_, Db>,
    incident_id: i64,
    update: &Update,
    state: UpdateState,
    author: &str,
    note: &str,
) -> Result<i64> {
    let now = Utc::now();
    let (ja, en) = text::plain_pair(update);
    let published_at = match state {
        UpdateState::Published => Some(timestamp(update.published_at.or(update.created_at).unwrap_or(now))),
        UpdateState::Draft => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO updates (incident_id, position, state, status, version, text_ja, text_en,
                              published_revision, created_at, published_at)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM updates WHERE incident_id = $1),
                 $2, $3, 1, $4, $5, $6, $7, $8)
         RETURNING id",
    )
    .bind(incident_id)
    .bind(state.as_str())
    .bind(update.status.as_str())
    .bind(ja)
    .bind(en)
    .bind(matches!(state, UpdateState::Published).then_some(1i64))
    .bind(timestamp(update.created_at.unwrap_or(now)))
    .bind(published_at)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO revisions (update_id, number, content, author, note, saved_at) VALUES ($1, 1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(serde_json::to_string(update)?)
    .bind(author)
    .bind(note)
    .bind(timestamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Inserts an incident and its updates (published). `None` when an incident
/// with the same source and external id is already there.
pub(crate) async fn insert_incident(tx: &mut Transaction<'_, Db>, new: &NewIncident, actor: &str) -> Result<Option<i64>> {
    let inc = &new.incident;
    let now = Utc::now();
    let opened_at = new
        .opened_at
        .or(inc.period.map(|p| p.start))
        .or(inc.updates.iter().find_map(|u| u.created_at))
        .unwrap_or(now);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO incidents (kind, title_ja, title_en, impact, components, period, opened_at, source,
                                external_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
         ON CONFLICT (source, external_id) DO NOTHING
         RETURNING id",
    )
    .bind(inc.kind.as_str())
    .bind(&inc.title.ja)
    .bind(&inc.title.en)
    .bind(inc.impact.as_str())
    .bind(serde_json::to_string(&inc.components)?)
    .bind(inc.period.map(|p| serde_json::to_string(&p)).transpose()?)
    .bind(timestamp(opened_at))
    .bind(&new.source)
    .bind(&new.external_id)
    .bind(timestamp(now))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    let note = if new.source == "app" { "" } else { "imported" };
    for update in &inc.updates {
        insert_update(tx, id, update, UpdateState::Published, actor, note).await?;
    }
    refresh_status(tx, id).await?;
    Ok(Some(id))
}

/// Marks revision `number` of an update reviewed, or published at
/// `published_at`, inside the caller's transaction (with the audit entry).
pub(crate) async fn mark_update(
    tx: &mut Transaction<'_, Db>,
    update_id: i64,
    number: i64,
    actor: &str,
    published_at: Option<chrono::DateTime<Utc>>,
) -> Result<()> {
    let query = match published_at {
        None => sqlx::query_scalar("UPDATE updates SET reviewed_revision = $1 WHERE id = $2 RETURNING incident_id")
            .bind(number)
            .bind(update_id),
        Some(at) => sqlx::query_scalar(
            "UPDATE updates SET published_revision = $1, state = 'published', published_at = $3
             WHERE id = $2 RETURNING incident_id",
        )
        .bind(number)
        .bind(update_id)
        .bind(crate::timestamp(at)),
    };
    let incident_id: i64 = query
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(crate::StoreError::NotFound { what: "update", id: update_id })?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT number FROM revisions WHERE update_id = $1 AND number = $2")
        .bind(update_id)
        .bind(number)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Err(crate::StoreError::NotFound { what: "revision", id: number });
    }
    refresh_status(tx, incident_id).await?;
    let action = if published_at.is_some() { "publish" } else { "review" };
    audit(tx, actor, action, "update", Some(update_id), None, &serde_json::json!({ "revision": number })).await
}

}
