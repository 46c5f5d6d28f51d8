//! Links between incidents: a maintenance that overran and the incident
//! opened from it (schema 12). Each link is stored both ways, one row per
//! direction, in one transaction with its audit entry.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// How an incident is linked to another, seen from the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// This maintenance turned into the other, an incident.
    BecameIncident,
    /// This incident was opened from the other, a maintenance.
    FromMaintenance,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::BecameIncident => "became_incident",
            Relation::FromMaintenance => "from_maintenance",
        }
    }

    fn parse(s: &str) -> Option<Relation> {
        [Relation::BecameIncident, Relation::FromMaintenance].into_iter().find(|r| r.as_str() == s)
    }
}

/// One link of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentLink {
    pub incident_id: i64,
    pub linked_id: i64,
    pub relation: Relation,
    /// When the maintenance turned into the incident.
    pub linked_at: DateTime<Utc>,
    pub actor: String,
}

impl Store {
    /// Links maintenance `maintenance` to incident `incident` both ways, as
    /// of `at`. Linking the same two again is refused as a conflict.
    pub async fn link_maintenance_to_incident(&self, maintenance: i64, incident: i64, at: DateTime<Utc>, actor: &str) -> Result<()> {
        if maintenance == incident {
            return Err(StoreError::Invalid { field: "incident", message: "an incident cannot be linked to itself".into() });
        }
        let at = timestamp(at);
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT incident_id FROM incident_links WHERE incident_id = $1 AND linked_id = $2")
                .bind(maintenance)
                .bind(incident)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(StoreError::Invalid { field: "incident", message: format!("incident {maintenance} is already linked to {incident}") });
            }
            for (from, to, relation) in [(maintenance, incident, Relation::BecameIncident), (incident, maintenance, Relation::FromMaintenance)] {
                sqlx::query("INSERT INTO incident_links (incident_id, linked_id, relation, linked_at, actor) VALUES ($1, $2, $3, $4, $5)")
                    .bind(from)
                    .bind(to)
                    .bind(relation.as_str())
                    .bind(&at)
                    .bind(actor)
                    .execute(&mut *tx)
                    .await?;
            }
            let detail = serde_json::json!({ "maintenance": maintenance, "incident": incident, "at": at });
            sql::audit(&mut tx, actor, "link", "incident", Some(maintenance), None, &detail).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Every link, each direction its own (for the incident list).
    pub async fn all_incident_links(&self) -> Result<Vec<IncidentLink>> {
        self.links_where("", None).await
    }

    /// The links of incident `id`, oldest first.
    pub async fn incident_links(&self, id: i64) -> Result<Vec<IncidentLink>> {
        self.links_where("WHERE incident_id = $1", Some(id)).await
    }

    async fn links_where(&self, filter: &str, id: Option<i64>) -> Result<Vec<IncidentLink>> {
        let sql = format!("SELECT incident_id, linked_id, relation, linked_at, actor FROM incident_links {filter} ORDER BY linked_at, linked_id");
        on_backend!(self, pool, [] => {
            let mut query = sqlx::query(&sql);
            if let Some(id) = id {
                query = query.bind(id);
            }
            let rows = query.fetch_all(pool).await?;
            rows.into_iter()
                .map(|r| {
                    let relation: String = r.get("relation");
                    let at: String = r.get("linked_at");
                    Ok(IncidentLink {
                        incident_id: r.get("incident_id"),
                        linked_id: r.get("linked_id"),
                        relation: Relation::parse(&relation)
                            .ok_or_else(|| StoreError::Invalid { field: "relation", message: format!("unknown relation `{relation}`") })?,
                        linked_at: parse_timestamp(&at)
                            .ok_or_else(|| StoreError::Invalid { field: "linked_at", message: format!("`{at}` is not a time") })?,
                        actor: r.get("actor"),
                    })
                })
                .collect()
        })
    }
}
