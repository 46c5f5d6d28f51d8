//! The translation memory's tables (schema 9): the aligned segment pairs a
//! memory is rebuilt from (`memory_pairs`), and the suggestions authors
//! inserted into drafts (`memory_inserts`). The store keeps the pairs as
//! text (a pair is desk-memory's `SegmentPair` as JSON); cutting updates
//! into pairs and reading them back is desk-app's and desk-memory's.

use chrono::Utc;
use desk_model::{Bilingual, Lang, Update};
use serde::Serialize;
use sqlx::Row;

use crate::{timestamp, Result, Store, StoreError};

/// What a pair was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemoryOrigin {
    /// A published update of this database.
    Update,
    /// A fixed phrase of the template library.
    Template,
    /// An imported bilingual history.
    Import,
}

impl MemoryOrigin {
    pub const ALL: [MemoryOrigin; 3] = [MemoryOrigin::Update, MemoryOrigin::Template, MemoryOrigin::Import];

    pub fn as_str(self) -> &'static str {
        match self {
            MemoryOrigin::Update => "update",
            MemoryOrigin::Template => "template",
            MemoryOrigin::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<MemoryOrigin> {
        MemoryOrigin::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// One aligned pair to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMemoryPair {
    pub origin: MemoryOrigin,
    /// What the pairs were cut from (`update:<id>`, `template:<path>@<rev>`,
    /// `import:<label>:<incident>:<update>`); with `ordinal` unique.
    pub source_key: String,
    /// The pair's place among its source's pairs.
    pub ordinal: i64,
    pub incident_id: Option<i64>,
    pub update_id: Option<i64>,
    /// The incident's title, or the template's or import's name.
    pub title: String,
    pub text_ja: String,
    pub text_en: String,
    /// desk-memory's `SegmentPair`, as JSON.
    pub pair: String,
}

/// One kept pair, with its row id (ids only grow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryPairRow {
    pub id: i64,
    pub pair: NewMemoryPair,
    /// 1-based position of `pair.update_id` in its incident (0 without one).
    pub position: i64,
    /// The incident's title as it is now (empty without an incident).
    pub incident_title: Bilingual<String>,
}

/// How far the table has come: a reader holding `count` rows up to `max_id`
/// is current when both are unchanged; rows above `max_id` are new, and a
/// count that does not add up means rows went (a rebuild): read it all again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MemoryTableState {
    pub count: i64,
    pub max_id: i64,
}

/// A published update as the memory reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedText {
    pub incident_id: i64,
    pub update_id: i64,
    /// 1 = the incident's oldest update.
    pub position: i64,
    pub title_ja: String,
    pub title_en: String,
    /// The published revision.
    pub update: Update,
}

/// A suggestion the author inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMemoryInsert {
    pub update_id: i64,
    pub lang: Lang,
    pub text: String,
    pub source_incident: i64,
    pub source_update: i64,
    pub source_lang: Lang,
    pub source_title: String,
}

/// A recorded insert, with who and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemoryInsert {
    pub id: i64,
    pub insert: NewMemoryInsert,
    pub actor: String,
    pub at: String,
}

fn lang_of(s: &str) -> Lang {
    if s == "en" {
        Lang::En
    } else {
        Lang::Ja
    }
}

fn lang_str(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

per_dialect! {

pub(crate) const PAIR_COLUMNS: &str = "p.id, p.origin, p.source_key, p.ordinal, p.incident_id, p.update_id, p.title, p.text_ja, p.text_en, p.pair,
     COALESCE(u.position, 0) AS position, COALESCE(i.title_ja, '') AS incident_title_ja, COALESCE(i.title_en, '') AS incident_title_en";

pub(crate) fn pair_row(row: &<Db as sqlx::Database>::Row) -> Result<MemoryPairRow> {
    let origin: String = row.try_get("origin")?;
    Ok(MemoryPairRow {
        id: row.try_get("id")?,
        position: row.try_get("position")?,
        incident_title: Bilingual { ja: row.try_get("incident_title_ja")?, en: row.try_get("incident_title_en")? },
        pair: NewMemoryPair {
            origin: MemoryOrigin::parse(&origin).unwrap_or(MemoryOrigin::Update),
            source_key: row.try_get("source_key")?,
            ordinal: row.try_get("ordinal")?,
            incident_id: row.try_get("incident_id")?,
            update_id: row.try_get("update_id")?,
            title: row.try_get("title")?,
            text_ja: row.try_get("text_ja")?,
            text_en: row.try_get("text_en")?,
            pair: row.try_get("pair")?,
        },
    })
}

/// Inserts pairs, skipping those whose (source, ordinal) is kept already.
pub(crate) async fn insert_pairs(tx: &mut sqlx::Transaction<'_, Db>, pairs: &[NewMemoryPair]) -> Result<usize> {
    let now = timestamp(Utc::now());
    let mut added = 0;
    for p in pairs {
        added += sqlx::query(
            "INSERT INTO memory_pairs (origin, source_key, ordinal, incident_id, update_id, title, text_ja, text_en, pair, added_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (source_key, ordinal) DO NOTHING",
        )
        .bind(p.origin.as_str())
        .bind(&p.source_key)
        .bind(p.ordinal)
        .bind(p.incident_id)
        .bind(p.update_id)
        .bind(&p.title)
        .bind(&p.text_ja)
        .bind(&p.text_en)
        .bind(&p.pair)
        .bind(&now)
        .execute(&mut **tx)
        .await?
        .rows_affected() as usize;
    }
    Ok(added)
}

}

impl Store {
    /// Keeps pairs; those already kept (same source and ordinal) are
    /// skipped. Returns how many were new. One transaction.
    pub async fn add_memory_pairs(&self, pairs: &[NewMemoryPair]) -> Result<usize> {
        if pairs.is_empty() {
            return Ok(0);
        }
        on_backend!(self, pool, [crate::sql as sql, crate::memory as m] => {
            let mut tx = sql::begin_write(pool).await?;
            let n = m::insert_pairs(&mut tx, pairs).await?;
            tx.commit().await?;
            Ok(n)
        })
    }

    /// Replaces every pair of the given origins with `pairs` (a rebuild), in
    /// one transaction: readers see the old set or the new one. Returns how
    /// many pairs were kept.
    pub async fn replace_memory_pairs(&self, origins: &[MemoryOrigin], pairs: &[NewMemoryPair]) -> Result<usize> {
        if let Some(p) = pairs.iter().find(|p| !origins.contains(&p.origin)) {
            return Err(StoreError::Invalid { field: "origin", message: format!("a pair from {} is not among the origins replaced", p.source_key) });
        }
        on_backend!(self, pool, [crate::sql as sql, crate::memory as m] => {
            let mut tx = sql::begin_write(pool).await?;
            for o in origins {
                sqlx::query("DELETE FROM memory_pairs WHERE origin = $1").bind(o.as_str()).execute(&mut *tx).await?;
            }
            let n = m::insert_pairs(&mut tx, pairs).await?;
            tx.commit().await?;
            Ok(n)
        })
    }

    /// The kept pairs with ids above `after`, oldest first.
    pub async fn memory_pairs_after(&self, after: i64) -> Result<Vec<MemoryPairRow>> {
        on_backend!(self, pool, [crate::memory as m] => {
            let rows = sqlx::query(&format!(
                "SELECT {} FROM memory_pairs p LEFT JOIN updates u ON u.id = p.update_id LEFT JOIN incidents i ON i.id = p.incident_id WHERE p.id > $1 ORDER BY p.id",
                m::PAIR_COLUMNS
            ))
            .bind(after)
            .fetch_all(pool)
            .await?;
            rows.iter().map(m::pair_row).collect()
        })
    }

    /// How many pairs are kept and the highest id: one cheap query, asked
    /// before each use of a memory held in memory.
    pub async fn memory_table_state(&self) -> Result<MemoryTableState> {
        on_backend!(self, pool, [] => {
            let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max_id FROM memory_pairs").fetch_one(pool).await?;
            Ok(MemoryTableState { count: row.try_get("n")?, max_id: row.try_get("max_id")? })
        })
    }

    /// The highest id kept (0 when none): one index lookup, the cheapest
    /// sign that pairs were added or the table rebuilt (a rebuild keeps
    /// template phrases, so new ids).
    pub async fn memory_max_id(&self) -> Result<i64> {
        on_backend!(self, pool, [] => {
            Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM memory_pairs").fetch_one(pool).await?.unwrap_or(0))
        })
    }

    /// Pairs kept per origin.
    pub async fn memory_origin_counts(&self) -> Result<Vec<(MemoryOrigin, i64)>> {
        on_backend!(self, pool, [] => {
            let rows = sqlx::query("SELECT origin, COUNT(*) AS n FROM memory_pairs GROUP BY origin ORDER BY origin").fetch_all(pool).await?;
            let mut out = Vec::new();
            for r in rows {
                let origin: String = r.try_get("origin")?;
                if let Some(o) = MemoryOrigin::parse(&origin) {
                    out.push((o, r.try_get("n")?));
                }
            }
            Ok(out)
        })
    }

    /// Every published update (its published revision) with its incident's
    /// titles, in id order; `only` limits it to one update.
    pub async fn published_texts(&self, only: Option<i64>) -> Result<Vec<PublishedText>> {
        on_backend!(self, pool, [] => {
            let rows = sqlx::query(
                "SELECT u.id, u.incident_id, u.position, i.title_ja, i.title_en, r.content
                 FROM updates u
                 JOIN incidents i ON i.id = u.incident_id
                 JOIN revisions r ON r.update_id = u.id AND r.number = u.published_revision
                 WHERE u.state = 'published' AND ($1 IS NULL OR u.id = $1)
                 ORDER BY u.id",
            )
            .bind(only)
            .fetch_all(pool)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let content: String = r.try_get("content")?;
                out.push(PublishedText {
                    update_id: r.try_get("id")?,
                    incident_id: r.try_get("incident_id")?,
                    position: r.try_get("position")?,
                    title_ja: r.try_get("title_ja")?,
                    title_en: r.try_get("title_en")?,
                    update: serde_json::from_str(&content)?,
                });
            }
            Ok(out)
        })
    }

    /// Records that the author inserted a suggestion into a draft. The actor
    /// is who the store says is acting (on PostgreSQL the database role,
    /// which a trigger sets whatever is sent).
    pub async fn record_memory_insert(&self, insert: &NewMemoryInsert) -> Result<i64> {
        if insert.text.trim().is_empty() {
            return Err(StoreError::Invalid { field: "text", message: "is empty: nothing was inserted".into() });
        }
        let actor = self.identity().await?;
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM updates WHERE id = $1").bind(insert.update_id).fetch_optional(&mut *tx).await?;
            if known.is_none() {
                return Err(StoreError::NotFound { what: "update", id: insert.update_id });
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO memory_inserts (update_id, lang, text, source_incident, source_update, source_lang, source_title, actor, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(insert.update_id)
            .bind(lang_str(insert.lang))
            .bind(&insert.text)
            .bind(insert.source_incident)
            .bind(insert.source_update)
            .bind(lang_str(insert.source_lang))
            .bind(&insert.source_title)
            .bind(&actor)
            .bind(timestamp(Utc::now()))
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The suggestions inserted into an update, oldest first.
    pub async fn memory_inserts(&self, update_id: i64) -> Result<Vec<MemoryInsert>> {
        on_backend!(self, pool, [] => {
            let rows = sqlx::query(
                "SELECT id, update_id, lang, text, source_incident, source_update, source_lang, source_title, actor, at
                 FROM memory_inserts WHERE update_id = $1 ORDER BY id",
            )
            .bind(update_id)
            .fetch_all(pool)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push(MemoryInsert {
                    id: r.try_get("id")?,
                    insert: NewMemoryInsert {
                        update_id: r.try_get("update_id")?,
                        lang: lang_of(r.try_get("lang")?),
                        text: r.try_get("text")?,
                        source_incident: r.try_get("source_incident")?,
                        source_update: r.try_get("source_update")?,
                        source_lang: lang_of(r.try_get("source_lang")?),
                        source_title: r.try_get("source_title")?,
                    },
                    actor: r.try_get("actor")?,
                    at: r.try_get("at")?,
                });
            }
            Ok(out)
        })
    }
}
