//! Links between a maintenance and the incident opened from it (migration
//! 0012) on a real SQLite file and on a throwaway PostgreSQL: stored both
//! ways, read from either side, a second link of the same two refused, and
//! on PostgreSQL the actor is the member's role.

mod common;
#[path = "pg_cluster/mod.rs"]
mod pg_cluster;

use chrono::{DateTime, Utc};
use common::*;
use desk_model::Kind;
use desk_store::links::Relation;
use desk_store::Store;

async fn exercise(store: &Store, actor: &str) {
    let maintenance = store.create_incident(Kind::Maintenance, &bilingual("DB更新", "DB renewal"), actor).await.unwrap();
    let incident = store.create_incident(Kind::Incident, &bilingual("DB更新後の障害", "Outage after the renewal"), actor).await.unwrap();
    let at: DateTime<Utc> = "2026-12-10T21:30:00Z".parse().unwrap();
    store.link_maintenance_to_incident(maintenance, incident, at, actor).await.unwrap();

    let from_m = store.incident_links(maintenance).await.unwrap();
    assert_eq!(from_m.len(), 1);
    assert_eq!((from_m[0].linked_id, from_m[0].relation, from_m[0].linked_at), (incident, Relation::BecameIncident, at));
    let from_i = store.incident_links(incident).await.unwrap();
    assert_eq!(from_i.len(), 1);
    assert_eq!((from_i[0].linked_id, from_i[0].relation), (maintenance, Relation::FromMaintenance));
    assert_eq!(from_i[0].actor, actor);

    assert!(store.link_maintenance_to_incident(maintenance, incident, at, actor).await.is_err(), "linked once");
    assert!(store.link_maintenance_to_incident(incident, incident, at, actor).await.is_err(), "not to itself");
    assert_eq!(store.incident_links(maintenance).await.unwrap().len(), 1);
}

#[tokio::test]
async fn sqlite_links_both_ways() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap().acting_as("aiko").unwrap();
    exercise(&store, "aiko").await;
}

#[tokio::test]
async fn postgres_links_both_ways_as_the_members_role() {
    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    Store::open(&pg.url("postgres")).await.unwrap().close().await;
    let author = Store::open(&pg.url("author")).await.unwrap();
    exercise(&author, "author").await;
}
