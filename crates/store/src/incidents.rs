//! Incidents: creating, importing, loading, listing and exporting them.

use chrono::{DateTime, Utc};
use desk_model::{AffectedComponent, Bilingual, Impact, Incident, Kind, Period, Status, Update};
use serde::Serialize;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// Whether an update is still being written or is on the status page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateState {
    Draft,
    Published,
}

impl UpdateState {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateState::Draft => "draft",
            UpdateState::Published => "published",
        }
    }

    fn parse(s: &str) -> UpdateState {
        if s == "published" {
            UpdateState::Published
        } else {
            UpdateState::Draft
        }
    }
}

/// One update as stored: its place, its state, its current revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredUpdate {
    pub id: i64,
    /// 1 = the oldest.
    pub position: i64,
    pub state: UpdateState,
    /// The number of the current revision: pass it back when saving.
    pub version: i64,
    pub reviewed_revision: Option<i64>,
    pub published_revision: Option<i64>,
    pub update: Update,
}

/// An incident as stored, with all its updates (drafts included), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredIncident {
    pub id: i64,
    /// Pass it back when changing the title, impact or components.
    pub version: i64,
    pub source: String,
    /// Where it came from outside: Statuspage's incident id for a
    /// `statuspage-json` import, a fingerprint of the text for a text import.
    pub external_id: Option<String>,
    pub opened_at: Option<DateTime<Utc>>,
    pub kind: Kind,
    pub title: Bilingual<String>,
    pub impact: Impact,
    pub components: Vec<AffectedComponent>,
    pub period: Option<Period>,
    pub updates: Vec<StoredUpdate>,
}

impl StoredIncident {
    /// When readers were promised the next update: the newest published
    /// update's promise, while its status is still ongoing. Drafts promise nothing yet.
    pub fn promised_next_update(&self) -> Option<DateTime<Utc>> {
        let newest = self.updates.iter().rev().find(|u| u.state == UpdateState::Published)?;
        newest.update.status.is_ongoing().then_some(newest.update.next_update_at).flatten()
    }

    /// The incident document's model: every update, drafts included.
    pub fn to_incident(&self) -> Incident {
        Incident {
            kind: self.kind,
            title: self.title.clone(),
            impact: self.impact,
            components: self.components.clone(),
            period: self.period,
            updates: self.updates.iter().map(|u| u.update.clone()).collect(),
        }
    }
}

/// A line of a list: what `desk list` and the app's sidebar show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentSummary {
    pub id: i64,
    pub kind: Kind,
    pub status: Option<Status>,
    pub title: Bilingual<String>,
    pub impact: Impact,
    /// How many updates it has (drafts included).
    pub updates: i64,
    pub opened_at: String,
    pub source: String,
}

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<Status>,
    /// Newest first; 0 means the default (50).
    pub limit: i64,
    pub offset: i64,
}

/// An incident to be written as it is, with its updates published (imports).
#[derive(Debug, Clone, PartialEq)]
pub struct NewIncident {
    pub incident: Incident,
    /// Where it came from: `app`, `statuspage-json`, `flattened-text`.
    pub source: String,
    /// An id that makes re-importing it a no-op.
    pub external_id: Option<String>,
    /// When it began; defaults to its period's start, else now.
    pub opened_at: Option<DateTime<Utc>>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub incidents: usize,
    pub updates: usize,
    /// Incidents already in the database (same source and id), left as they were.
    pub skipped: usize,
}

const INCIDENT_COLUMNS: &str = "id, version, source, external_id, opened_at, kind, title_ja, title_en, impact, components, period";

/// The current revision of each update; append the condition (`WHERE ...`).
const UPDATE_COLUMNS: &str = "u.incident_id, u.id, u.position, u.state, u.version, u.reviewed_revision, u.published_revision, r.content
     FROM updates u JOIN revisions r ON r.update_id = u.id AND r.number = u.version";

/// A [`StoredUpdate`] from a row of [`UPDATE_COLUMNS`] (either backend's row type).
macro_rules! update_from_row {
    ($u:expr) => {{
        let u = $u;
        Ok::<StoredUpdate, StoreError>(StoredUpdate {
            id: u.try_get("id")?,
            position: u.try_get("position")?,
            state: UpdateState::parse(u.try_get("state")?),
            version: u.try_get("version")?,
            reviewed_revision: u.try_get("reviewed_revision")?,
            published_revision: u.try_get("published_revision")?,
            update: serde_json::from_str(u.try_get("content")?)?,
        })
    }};
}

/// A [`StoredIncident`] from a row of [`INCIDENT_COLUMNS`] and its updates.
macro_rules! incident_from_row {
    ($row:expr, $updates:expr) => {{
        let row = $row;
        let period: Option<String> = row.try_get("period")?;
        Ok::<StoredIncident, StoreError>(StoredIncident {
            id: row.try_get("id")?,
            version: row.try_get("version")?,
            source: row.try_get("source")?,
            external_id: row.try_get("external_id")?,
            opened_at: parse_timestamp(row.try_get("opened_at")?),
            kind: Kind::parse(row.try_get("kind")?).unwrap_or_default(),
            title: Bilingual { ja: row.try_get("title_ja")?, en: row.try_get("title_en")? },
            impact: parse_impact(row.try_get("impact")?),
            components: serde_json::from_str(row.try_get("components")?)?,
            period: period.as_deref().map(serde_json::from_str).transpose()?,
            updates: $updates,
        })
    }};
}

pub(crate) const SUMMARY_COLUMNS: &str = "i.id, i.kind, i.status, i.title_ja, i.title_en, i.impact, i.opened_at, i.source, \
     (SELECT COUNT(*) FROM updates u WHERE u.incident_id = i.id) AS update_count";

pub(crate) fn parse_impact(s: &str) -> Impact {
    match s {
        "minor" => Impact::Minor,
        "major" => Impact::Major,
        "critical" => Impact::Critical,
        _ => Impact::None,
    }
}

impl Store {
    /// Creates an empty incident (no update yet) and returns its id.
    pub async fn create_incident(&self, kind: Kind, title: &Bilingual<String>, actor: &str) -> Result<i64> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut incident = Incident::new(kind);
            incident.title = title.clone();
            let new = NewIncident { incident, source: "app".into(), external_id: None, opened_at: None };
            let mut tx = sql::begin_write(pool).await?;
            let id = sql::insert_incident(&mut tx, &new, actor).await?.expect("an app incident has no external id");
            sql::audit(&mut tx, actor, "create", "incident", Some(id), None, &serde_json::json!({})).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Writes incidents with their updates as published, in one transaction:
    /// all of them or, on any error, none. Incidents already imported (same
    /// source and external id) are skipped.
    pub async fn import(&self, incidents: &[NewIncident], actor: &str) -> Result<ImportReport> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut report = ImportReport::default();
            let mut tx = sql::begin_write(pool).await?;
            for new in incidents {
                match sql::insert_incident(&mut tx, new, actor).await? {
                    Some(_) => {
                        report.incidents += 1;
                        report.updates += new.incident.updates.len();
                    }
                    None => report.skipped += 1,
                }
            }
            sql::audit(&mut tx, actor, "import", "incident", None, None, &serde_json::to_value(report)?).await?;
            tx.commit().await?;
            Ok(report)
        })
    }

    /// One incident with all its updates, oldest first.
    pub async fn load_incident(&self, id: i64) -> Result<StoredIncident> {
        on_backend!(self, pool, [] => {
            let row = sqlx::query(&format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "incident", id })?;
            let updates = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} WHERE u.incident_id = $1 ORDER BY u.position"))
                .bind(id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|u| update_from_row!(u))
                .collect::<Result<Vec<_>>>()?;
            incident_from_row!(&row, updates)
        })
    }

    /// A page of incidents with their updates, newest first (the order and
    /// paging of [`Store::list`]), in two queries however many there are.
    pub async fn load_incidents(&self, query: &ListQuery) -> Result<Vec<StoredIncident>> {
        let limit = if query.limit <= 0 { 50 } else { query.limit };
        self.load_page("SELECT id FROM incidents ORDER BY opened_at DESC, id DESC LIMIT $1 OFFSET $2", &[limit, query.offset]).await
    }

    /// The incidents of these ids with their updates, newest first (ids not
    /// found are left out), in two queries.
    pub async fn load_incidents_by_ids(&self, ids: &[i64]) -> Result<Vec<StoredIncident>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        self.load_page(&format!("SELECT id FROM incidents WHERE id IN ({list})"), &[]).await
    }

    /// The incidents whose ids `page` selects (with `binds` bound in order),
    /// with their updates, newest first.
    async fn load_page(&self, page: &str, binds: &[i64]) -> Result<Vec<StoredIncident>> {
        let incidents_sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id IN ({page}) ORDER BY opened_at DESC, id DESC");
        let updates_sql = format!("SELECT {UPDATE_COLUMNS} WHERE u.incident_id IN ({page}) ORDER BY u.incident_id, u.position");
        on_backend!(self, pool, [] => {
            let mut incidents = sqlx::query(&incidents_sql);
            let mut with_updates = sqlx::query(&updates_sql);
            for b in binds {
                incidents = incidents.bind(*b);
                with_updates = with_updates.bind(*b);
            }
            let rows = incidents.fetch_all(pool).await?;
            let mut updates: std::collections::HashMap<i64, Vec<StoredUpdate>> = std::collections::HashMap::new();
            for u in with_updates.fetch_all(pool).await? {
                updates.entry(u.try_get("incident_id")?).or_default().push(update_from_row!(&u)?);
            }
            rows.iter()
                .map(|row| {
                    let id: i64 = row.try_get("id")?;
                    incident_from_row!(row, updates.remove(&id).unwrap_or_default())
                })
                .collect()
        })
    }

    /// The next update each incident promised its readers: the newest
    /// published update's `next_update_at` while its status is ongoing (see
    /// [`StoredIncident::promised_next_update`]), read for every incident in
    /// one query: (incident id, title, when).
    pub async fn promised_updates(&self) -> Result<Vec<(i64, Bilingual<String>, DateTime<Utc>)>> {
        on_backend!(self, pool, [] => {
            let rows = sqlx::query(
                "SELECT i.id, i.title_ja, i.title_en, r.content
                 FROM incidents i
                 JOIN updates u ON u.incident_id = i.id AND u.state = 'published'
                 JOIN revisions r ON r.update_id = u.id AND r.number = u.version
                 WHERE u.position = (SELECT MAX(v.position) FROM updates v WHERE v.incident_id = i.id AND v.state = 'published')
                 ORDER BY i.id",
            )
            .fetch_all(pool)
            .await?;
            let mut out = Vec::new();
            for row in &rows {
                let update: Update = serde_json::from_str(row.try_get("content")?)?;
                if let Some(at) = update.status.is_ongoing().then_some(update.next_update_at).flatten() {
                    out.push((row.try_get("id")?, Bilingual { ja: row.try_get("title_ja")?, en: row.try_get("title_en")? }, at));
                }
            }
            Ok(out)
        })
    }

    /// Every component name the incidents mention, sorted, each once.
    pub async fn component_names(&self) -> Result<Vec<String>> {
        on_backend!(self, pool, [] => {
            let mut names = std::collections::BTreeSet::new();
            for json in sqlx::query_scalar::<_, String>("SELECT components FROM incidents").fetch_all(pool).await? {
                let components: Vec<AffectedComponent> = serde_json::from_str(&json)?;
                names.extend(components.into_iter().map(|c| c.name));
            }
            Ok(names.into_iter().collect())
        })
    }

    /// The incident as an incident document's model (drafts included).
    pub async fn export(&self, id: i64) -> Result<Incident> {
        Ok(self.load_incident(id).await?.to_incident())
    }

    /// Incidents, newest first, optionally of one status.
    pub async fn list(&self, query: &ListQuery) -> Result<Vec<IncidentSummary>> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let limit = if query.limit <= 0 { 50 } else { query.limit };
            let rows = match query.status {
                Some(status) => {
                    sqlx::query(&format!(
                        "SELECT {SUMMARY_COLUMNS} FROM incidents i WHERE i.status = $1
                         ORDER BY i.opened_at DESC, i.id DESC LIMIT $2 OFFSET $3"
                    ))
                    .bind(status.as_str())
                    .bind(limit)
                    .bind(query.offset)
                    .fetch_all(pool)
                    .await?
                }
                None => {
                    sqlx::query(&format!(
                        "SELECT {SUMMARY_COLUMNS} FROM incidents i
                         ORDER BY i.opened_at DESC, i.id DESC LIMIT $1 OFFSET $2"
                    ))
                    .bind(limit)
                    .bind(query.offset)
                    .fetch_all(pool)
                    .await?
                }
            };
            rows.iter().map(sql::summary_from_row).collect()
        })
    }

    /// How many incidents there are.
    pub async fn count_incidents(&self) -> Result<i64> {
        on_backend!(self, pool, [] => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM incidents").fetch_one(pool).await?)
        })
    }

    /// Changes the title, impact, components and period, if nobody else did
    /// since `expected_version`. Returns the new version.
    pub async fn save_incident_meta(&self, id: i64, expected_version: i64, incident: &Incident, actor: &str) -> Result<i64> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let done = sqlx::query(
                "UPDATE incidents SET title_ja = $1, title_en = $2, impact = $3, components = $4, period = $5,
                        version = version + 1, updated_at = $6
                 WHERE id = $7 AND version = $8",
            )
            .bind(&incident.title.ja)
            .bind(&incident.title.en)
            .bind(incident.impact.as_str())
            .bind(serde_json::to_string(&incident.components)?)
            .bind(incident.period.map(|p| serde_json::to_string(&p)).transpose()?)
            .bind(timestamp(Utc::now()))
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                let current: Option<i64> = sqlx::query_scalar("SELECT version FROM incidents WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                return Err(match current {
                    None => StoreError::NotFound { what: "incident", id },
                    Some(v) => StoreError::IncidentConflict(id, expected_version, v),
                });
            }
            sql::audit(&mut tx, actor, "save", "incident", Some(id), None, &serde_json::json!({ "version": expected_version + 1 })).await?;
            tx.commit().await?;
            Ok(expected_version + 1)
        })
    }
}

