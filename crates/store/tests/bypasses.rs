//! Review bypasses that schema 7 closes on PostgreSQL, each tried with raw SQL
//! as the author's login role (a member of desk_user, not the owner), as a
//! modified client or psql would. Skipped, saying so, without PostgreSQL
//! (and failing then when CI=true: see pg_cluster).

mod common;
mod pg_cluster;

use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use common::*;
use desk_model::{Incident, Kind, Status};
use desk_store::audit::sha256_hex;
use desk_store::incidents::ListQuery;
use desk_store::review::{EmergencyRule, ReviewState};
use desk_store::{CompactionPolicy, NewIncident, Store, StoreError, UpdateState};
use pg_cluster::{raw, PgCluster};
use sqlx::{Connection, PgConnection};

/// A throwaway cluster, migrated by its owner, and the team's stores.
struct Team {
    pg: PgCluster,
    owner: Store,
    author: Store,
    approver: Store,
    lead: Store,
}

impl Team {
    async fn start() -> Option<Team> {
        let pg = PgCluster::start()?;
        let owner = Store::open(&pg.url("postgres")).await.unwrap();
        let author = Store::open(&pg.url("author")).await.unwrap();
        let approver = Store::open(&pg.url("approver")).await.unwrap();
        let lead = Store::open(&pg.url("lead")).await.unwrap();
        Some(Team { pg, owner, author, approver, lead })
    }

    /// Raw SQL as the author's role must be refused with `words` in the error.
    async fn author_refused(&self, sql: &str, words: &str) {
        let err = raw(&self.pg.url("author"), sql).await.expect_err(sql);
        assert!(err.contains(words), "{sql}\n  expected {words:?}, got: {err}");
    }

    /// Raw SQL as the author's role that goes through; the rows it changed.
    async fn author_does(&self, sql: &str) -> u64 {
        raw(&self.pg.url("author"), sql).await.unwrap_or_else(|e| panic!("{sql}\n  {e}"))
    }

    async fn new_incident(&self) -> i64 {
        self.author.create_incident(Kind::Incident, &bilingual("障害", "Outage"), "author").await.unwrap()
    }
}

/// A published update inserted by hand into `incident` (an id or a subquery).
fn published_update_sql(incident: impl std::fmt::Display) -> String {
    format!(
        "INSERT INTO updates (incident_id, position, state, status, version, published_revision, created_at)
         VALUES ({incident}, 1, 'published', 'resolved', 1, 1, 'x')"
    )
}

#[tokio::test]
async fn emergency_publish_is_checked_against_the_revisions_own_status_and_a_fixed_position() {
    let Some(t) = Team::start().await else { return };
    t.lead.set_emergency_policy(&[EmergencyRule { status: Status::Investigating, first_only: true }]).await.unwrap();

    // updates.status is a copy for lists: the author may change it, and the
    // policy no longer reads it. The revision says "identified".
    let id = t.new_incident().await;
    let first = t.author.new_draft(id, &update(Status::Identified, "原因を特定", "Cause found"), "author").await.unwrap().update_id;
    assert_eq!(t.author_does(&format!("UPDATE updates SET status = 'investigating' WHERE id = {first}")).await, 1);
    t.author_refused(
        &format!("INSERT INTO publications (update_id, revision, emergency_reason) VALUES ({first}, 1, 'hurry')"),
        "emergency publish refused",
    )
    .await;
    match t.author.authorise_publish(first, 1, Some("hurry")).await {
        Err(StoreError::Refused(msg)) => assert!(msg.contains("publishing identified"), "{msg}"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // Nor does a temporary table of the author's stand in for the policy
    // (pg_temp is searched first unless a function says otherwise).
    t.author_refused(
        &format!(
            "CREATE TEMP TABLE emergency_policy (status TEXT, first_only BIGINT);
             INSERT INTO emergency_policy VALUES ('identified', 0);
             INSERT INTO publications (update_id, revision, emergency_reason) VALUES ({first}, 1, 'hurry')"
        ),
        "emergency publish refused",
    )
    .await;

    // A later update does not become the first: positions never change ...
    let second = t.author.new_draft(id, &update(Status::Investigating, "調査中", "Investigating"), "author").await.unwrap().update_id;
    t.author_refused(
        &format!("UPDATE updates SET position = 99 WHERE id = {first}; UPDATE updates SET position = 1 WHERE id = {second}"),
        "position never change",
    )
    .await;
    let empty = t.new_incident().await;
    t.author_refused(&format!("UPDATE updates SET incident_id = {empty} WHERE id = {second}"), "position never change").await;
    t.author_refused(
        &format!("INSERT INTO publications (update_id, revision, emergency_reason) VALUES ({second}, 1, 'hurry')"),
        "emergency publish refused",
    )
    .await;
    // ... and are assigned on insert, whatever the client says: claiming
    // position 1 after another update gets position 2.
    let content = serde_json::to_string(&update(Status::Investigating, "調査中", "Investigating")).unwrap();
    t.author_does(&format!(
        "INSERT INTO updates (incident_id, position, status, version, created_at) VALUES ({empty}, 7, 'identified', 1, 'x');
         INSERT INTO updates (incident_id, position, status, version, created_at) VALUES ({empty}, 1, 'investigating', 1, 'x');
         INSERT INTO revisions (update_id, number, content, saved_at)
           SELECT id, 1, '{content}', 'x' FROM updates WHERE incident_id = {empty} AND status = 'investigating'"
    ))
    .await;
    let places: Vec<(i64, String)> = sqlx::query_as("SELECT position, status FROM updates WHERE incident_id = $1 ORDER BY id")
        .bind(empty)
        .fetch_all(t.owner.pg_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(places, [(1, "identified".to_string()), (2, "investigating".to_string())]);
    t.author_refused(
        &format!(
            "INSERT INTO publications (update_id, revision, emergency_reason)
             SELECT id, 1, 'hurry' FROM updates WHERE incident_id = {empty} AND position = 2"
        ),
        "emergency publish refused",
    )
    .await;

    // What the policy allows still goes out: a first update, investigating.
    let allowed = t.new_incident().await;
    let d = t.author.new_draft(allowed, &update(Status::Investigating, "調査中", "Investigating"), "author").await.unwrap();
    assert!(t.author.publish_recorded(d.update_id, 1, Some("夜間で承認者不在"), Utc::now()).await.unwrap().emergency());
}

#[tokio::test]
async fn published_updates_are_inserted_only_with_the_new_incident_an_import_brings() {
    let Some(t) = Team::start().await else { return };
    // The app's incident does not become an import, nor take a published update.
    let app = t.new_incident().await;
    t.author_refused(&format!("UPDATE incidents SET source = 'statuspage-json' WHERE id = {app}"), "source never changes").await;
    t.author_refused(&published_update_sql(app), "publish refused").await;

    // The importer still works (incident and updates in one transaction), once.
    let mut incident = Incident::new(Kind::Incident);
    incident.title = bilingual("配信遅延", "Delivery delays");
    incident.updates = vec![update(Status::Investigating, "遅延", "Delays"), update(Status::Resolved, "解消", "Resolved")];
    let new = NewIncident { incident, source: "statuspage-json".into(), external_id: Some("sp-1".into()), opened_at: None };
    let report = t.author.import(std::slice::from_ref(&new), "author").await.unwrap();
    assert_eq!((report.incidents, report.updates), (1, 2));
    assert_eq!(t.author.import(&[new], "author").await.unwrap().skipped, 1);
    let listed = t.author.list(&ListQuery::default()).await.unwrap();
    let imported = listed.iter().find(|s| s.source == "statuspage-json").unwrap().id;
    let stored = t.author.load_incident(imported).await.unwrap();
    assert_eq!(stored.updates.len(), 2);
    assert!(stored.updates.iter().all(|u| u.state == UpdateState::Published));

    // An incident imported earlier takes no published update afterwards, not
    // even in a transaction that first touched its row (its xmin is then
    // this transaction's) or tried to claim it.
    t.author_refused(&published_update_sql(imported), "publish refused").await;
    t.author_refused(
        &format!(
            "BEGIN; UPDATE incidents SET title_ja = title_ja, created_xact = txid_current() WHERE id = {imported}; {}; COMMIT",
            published_update_sql(imported)
        ),
        "publish refused",
    )
    .await;
    t.author_refused(&format!("UPDATE incidents SET source = 'app' WHERE id = {imported}"), "source never changes").await;

    // What stays possible is what an import is: a new incident of another
    // source with its history, in one transaction (shown as such by its source).
    t.author_does(&format!(
        "INSERT INTO incidents (opened_at, created_at, updated_at, source, external_id)
           VALUES ('2026-01-01T00:00:00.000000Z', 'x', 'x', 'flattened-text', 'by-hand');
         {}",
        published_update_sql("(SELECT id FROM incidents WHERE external_id = 'by-hand')")
    ))
    .await;
}

#[tokio::test]
async fn a_published_update_is_not_edited_restored_or_unpublished() {
    let Some(t) = Team::start().await else { return };
    let id = t.new_incident().await;
    let u = t.author.new_draft(id, &update(Status::Investigating, "ログイン不可", "Sign-in fails"), "author").await.unwrap().update_id;
    t.author.save_draft(u, 1, &update(Status::Investigating, "ログインできません", "Sign-in fails."), "author").await.unwrap();
    t.approver.approve(u, 2).await.unwrap();
    t.author.publish_recorded(u, 2, None, Utc::now()).await.unwrap();

    // The store refuses to save onto it or to restore an older revision.
    let edited = update(Status::Resolved, "解決しました", "Resolved");
    assert!(matches!(t.author.save_draft(u, 2, &edited, "author").await, Err(StoreError::Published(x)) if x == u));
    assert!(matches!(t.author.restore(u, 1, 2, "author").await, Err(StoreError::Published(x)) if x == u));

    // So does the database, for raw SQL as the author's role.
    for (sql, words) in [
        (format!("UPDATE updates SET status = 'resolved' WHERE id = {u}"), "edit refused"),
        (format!("UPDATE updates SET text_ja = '改ざん', text_en = 'tampered' WHERE id = {u}"), "edit refused"),
        (format!("UPDATE updates SET version = 1, published_revision = 1 WHERE id = {u}"), "edit refused"),
        (format!("UPDATE updates SET version = version + 1 WHERE id = {u}"), "edit refused"),
        (format!("UPDATE updates SET state = 'draft' WHERE id = {u}"), "edit refused"),
        (format!("INSERT INTO revisions (update_id, number, content, saved_at) VALUES ({u}, 3, '{{}}', 'x')"), "edit refused"),
        (format!("DELETE FROM revisions WHERE update_id = {u} AND number = 2"), "delete refused"),
    ] {
        t.author_refused(&sql, words).await;
    }
    let stored = t.author.load_incident(id).await.unwrap();
    assert_eq!((stored.updates[0].version, stored.updates[0].published_revision), (2, Some(2)));
    assert_eq!(stored.updates[0].update.ja.symptoms, "ログインできません");
    assert_eq!(t.author.review_status(u).await.unwrap().state, ReviewState::Published);

    // A draft is marked published only at its current revision: text saved
    // after the publish was recorded does not pass for the published one.
    let d = t.author.new_draft(id, &update(Status::Identified, "原因を特定", "Cause found"), "author").await.unwrap().update_id;
    t.approver.approve(d, 1).await.unwrap();
    t.author.authorise_publish(d, 1, None).await.unwrap();
    t.author.save_draft(d, 1, &update(Status::Identified, "承認されていない文", "Not approved"), "author").await.unwrap();
    t.author_refused(
        &format!("UPDATE updates SET state = 'published', published_revision = 1 WHERE id = {d}"),
        "must be the update's current one",
    )
    .await;
    let err = t.author.mark_published(d, 1, Utc::now(), "author").await.unwrap_err();
    assert!(err.to_string().contains("must be the update's current one"), "{err}");
}

#[tokio::test]
async fn deleted_revisions_and_changed_settings_are_audited_with_who_did_it() {
    let Some(t) = Team::start().await else { return };
    let id = t.new_incident().await;
    let u = t.author.new_draft(id, &update(Status::Investigating, "版 1", "rev 1"), "author").await.unwrap().update_id;
    let mut version = 1;
    for n in 2..=3 {
        version = t.author.save_draft(u, version, &update(Status::Investigating, &format!("版 {n}"), &format!("rev {n}")), "author").await.unwrap().number;
    }
    let first: String = sqlx::query_scalar("SELECT content FROM revisions WHERE update_id = $1 AND number = 1")
        .bind(u)
        .fetch_one(t.owner.pg_pool().unwrap())
        .await
        .unwrap();

    // As the author, by hand: a revision deleted, a setting set and changed.
    assert_eq!(t.author_does(&format!("DELETE FROM revisions WHERE update_id = {u} AND number = 1")).await, 1);
    t.author_does("INSERT INTO settings (key, value, updated_at) VALUES ('statuspage.page_id', '\"abc\"', 'x')").await;
    t.author_does("UPDATE settings SET value = '\"elsewhere\"' WHERE key = 'statuspage.page_id'").await;
    // The current revision is not deleted at all.
    t.author_refused(&format!("DELETE FROM revisions WHERE update_id = {u} AND number = {version}"), "delete refused").await;

    let entries = t.owner.audit_entries().await.unwrap();
    let deleted: Vec<_> = entries.iter().filter(|e| e.action == "delete_revision").collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!((deleted[0].actor.as_str(), deleted[0].entity.as_str(), deleted[0].entity_id), ("author", "update", Some(u)));
    assert_eq!(deleted[0].revision_hash.as_deref(), Some(sha256_hex(&first).as_str()));
    let detail: serde_json::Value = serde_json::from_str(&deleted[0].detail).unwrap();
    assert_eq!((detail["revision"].as_i64(), detail["author"].as_str()), (Some(1), Some("author")));
    let settings = |entries: &[desk_store::audit::AuditEntry]| -> Vec<(String, serde_json::Value)> {
        entries
            .iter()
            .filter(|e| e.entity == "setting")
            .map(|e| (e.actor.clone(), serde_json::from_str(&e.detail).unwrap()))
            .collect()
    };
    let key = "statuspage.page_id";
    assert_eq!(
        settings(&entries),
        [
            ("author".to_string(), serde_json::json!({ "key": key, "old": null, "new": "\"abc\"" })),
            ("author".to_string(), serde_json::json!({ "key": key, "old": "\"abc\"", "new": "\"elsewhere\"" })),
        ]
    );

    // The store's own set_setting leaves one entry, the trigger's.
    t.approver.set_setting(key, &serde_json::json!("abc"), "ignored").await.unwrap();
    let entries = t.owner.audit_entries().await.unwrap();
    assert_eq!(settings(&entries).len(), 3);
    assert_eq!(settings(&entries)[2], ("approver".to_string(), serde_json::json!({ "key": key, "old": "\"elsewhere\"", "new": "\"abc\"" })));

    // Compaction still works; each revision it drops is an entry.
    for n in 4..=20 {
        version = t.author.save_draft(u, version, &update(Status::Investigating, &format!("版 {n}"), &format!("rev {n}")), "author").await.unwrap().number;
    }
    let dropped = t.author.compact(u, CompactionPolicy { keep_latest: 5, ..Default::default() }).await.unwrap();
    assert!(dropped >= 10, "{dropped}");
    let entries = t.owner.audit_entries().await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.action == "delete_revision" && e.actor == "author").count(), 1 + dropped);
    assert!(t.owner.verify_audit().await.unwrap().ok());
}

const ENTRY: &str = "INSERT INTO audit_log (at, action, entity) VALUES ('', 'note', 'repeatable read')";
const BEGIN_RR: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM audit_log";

async fn exec(conn: &mut PgConnection, sql: &str) {
    sqlx::raw_sql(sql).execute(conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn is_serialization_failure(e: &sqlx::Error) -> bool {
    e.as_database_error().and_then(|d| d.code()).as_deref() == Some("40001")
}

/// Writes 8 audit entries as `url`'s role, each in its own REPEATABLE READ
/// transaction, retrying serialization failures.
async fn rr_writer(url: &str) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    for _ in 0..8 {
        loop {
            exec(&mut conn, BEGIN_RR).await;
            match sqlx::raw_sql(ENTRY).execute(&mut conn).await {
                Ok(_) => break exec(&mut conn, "COMMIT").await,
                Err(e) if is_serialization_failure(&e) => exec(&mut conn, "ROLLBACK").await,
                Err(e) => panic!("{e}"),
            }
        }
    }
    conn.close().await.unwrap();
}

#[tokio::test]
async fn the_audit_chain_stays_one_line_under_repeatable_read() {
    let Some(t) = Team::start().await else { return };
    let mut one = PgConnection::connect(&t.pg.url("author")).await.unwrap();
    let mut two = PgConnection::connect(&t.pg.url("approver")).await.unwrap();

    // Both take their snapshots; one chains an entry and commits. The other,
    // whose snapshot still shows the old head, is refused (a serialization
    // failure) instead of chaining onto it, and succeeds when retried.
    exec(&mut one, BEGIN_RR).await;
    exec(&mut two, BEGIN_RR).await;
    exec(&mut one, ENTRY).await;
    exec(&mut one, "COMMIT").await;
    let err = sqlx::raw_sql(ENTRY).execute(&mut two).await.unwrap_err();
    assert!(is_serialization_failure(&err), "{err}");
    exec(&mut two, "ROLLBACK").await;
    exec(&mut two, BEGIN_RR).await;
    exec(&mut two, ENTRY).await;
    exec(&mut two, "COMMIT").await;

    // The same when the second waits for the first's lock.
    exec(&mut one, BEGIN_RR).await;
    exec(&mut two, BEGIN_RR).await;
    exec(&mut one, ENTRY).await;
    let (r, ()) = tokio::join!(sqlx::raw_sql(ENTRY).execute(&mut two), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        exec(&mut one, "COMMIT").await;
    });
    assert!(r.as_ref().is_err_and(is_serialization_failure), "{r:?}");
    exec(&mut two, "ROLLBACK").await;
    one.close().await.unwrap();
    two.close().await.unwrap();

    // Four writers at once, every entry in its own REPEATABLE READ
    // transaction, retrying serialization failures.
    let (a, b) = (t.pg.url("author"), t.pg.url("approver"));
    tokio::join!(rr_writer(&a), rr_writer(&b), rr_writer(&a), rr_writer(&b));

    let entries = t.owner.audit_entries().await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.entity == "repeatable read").count(), 2 + 1 + 32);
    let report = t.owner.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.chained, entries.len());
    let prevs: HashSet<_> = entries.iter().map(|e| e.prev_hash.clone()).collect();
    assert_eq!(prevs.len(), entries.len(), "two entries share a prev_hash: the chain forked");
}

/// One machine: the same rules where they apply there (schema 7's SQLite
/// triggers, a guard rail against other programs, not a control between
/// people), and the same audit entries, written by the store.
#[tokio::test]
async fn sqlite_keeps_the_rules_that_hold_on_one_machine() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let (aiko, ben) = (store.acting_as("aiko").unwrap(), store.acting_as("ben").unwrap());
    let pool = store.pool();
    let refused = |r: Result<sqlx::sqlite::SqliteQueryResult, sqlx::Error>, words: &str| {
        let err = r.expect_err(words).to_string();
        assert!(err.contains(words), "expected {words:?}, got: {err}");
    };
    store.set_emergency_policy(&[EmergencyRule { status: Status::Investigating, first_only: true }]).await.unwrap();
    let id = aiko.create_incident(Kind::Incident, &bilingual("障害", "Outage"), "aiko").await.unwrap();
    let u = aiko.new_draft(id, &update(Status::Identified, "原因を特定", "Cause found"), "aiko").await.unwrap().update_id;

    // The emergency policy reads the revision; positions are fixed.
    sqlx::query("UPDATE updates SET status = 'investigating' WHERE id = $1").bind(u).execute(pool).await.unwrap();
    let emergency = "INSERT INTO publications (update_id, revision, revision_hash, actor, at, emergency_reason) VALUES ($1, 1, 'h', 'aiko', 'now', 'hurry')";
    refused(sqlx::query(emergency).bind(u).execute(pool).await, "emergency publish refused");
    assert!(matches!(aiko.authorise_publish(u, 1, Some("hurry")).await, Err(StoreError::Refused(_))));
    refused(sqlx::query("UPDATE updates SET position = 5 WHERE id = $1").bind(u).execute(pool).await, "position never change");
    let by_hand = "INSERT INTO updates (incident_id, position, state, status, version, created_at) VALUES ($1, 1, $2, 'resolved', 1, 'x')";
    refused(sqlx::query(by_hand).bind(id).bind("draft").execute(pool).await, "next position");

    // The app's incident is no import.
    refused(sqlx::query("UPDATE incidents SET source = 'statuspage-json' WHERE id = $1").bind(id).execute(pool).await, "source never changes");
    let published = by_hand.replace("VALUES ($1, 1,", "VALUES ($1, 2,");
    refused(sqlx::query(&published).bind(id).bind("published").execute(pool).await, "publish refused");

    // Published stays published, on the revision it was published at.
    ben.approve(u, 1).await.unwrap();
    aiko.publish_recorded(u, 1, None, Utc::now()).await.unwrap();
    refused(sqlx::query("UPDATE updates SET state = 'draft' WHERE id = $1").bind(u).execute(pool).await, "edit refused");
    refused(sqlx::query("DELETE FROM revisions WHERE update_id = $1 AND number = 1").bind(u).execute(pool).await, "delete refused");

    // Compaction and settings leave the same audit entries as on PostgreSQL.
    let d = aiko.new_draft(id, &update(Status::Monitoring, "版 1", "rev 1"), "aiko").await.unwrap().update_id;
    let mut version = 1;
    for n in 2..=12 {
        version = aiko.save_draft(d, version, &update(Status::Monitoring, &format!("版 {n}"), &format!("rev {n}")), "aiko").await.unwrap().number;
    }
    let dropped = aiko.compact(d, CompactionPolicy { keep_latest: 3, ..Default::default() }).await.unwrap();
    aiko.set_setting("statuspage.page_id", &serde_json::json!("abc"), "aiko").await.unwrap();
    let entries = store.audit_entries().await.unwrap();
    let deleted: Vec<_> = entries.iter().filter(|e| e.action == "delete_revision").collect();
    assert_eq!(deleted.len(), dropped);
    assert!(dropped >= 8 && deleted.iter().all(|e| e.actor == "aiko" && e.entity_id == Some(d) && e.revision_hash.is_some()), "{deleted:?}");
    let set = entries.iter().rfind(|e| e.entity == "setting").unwrap();
    let detail: serde_json::Value = serde_json::from_str(&set.detail).unwrap();
    assert_eq!(detail, serde_json::json!({ "key": "statuspage.page_id", "old": null, "new": "\"abc\"" }));
    assert!(store.verify_audit().await.unwrap().ok());
}

/// What an approval covers (schema 8) is written by its approver only, once:
/// an author cannot attach a request of their own to someone's approval,
/// nor change or remove the one recorded.
#[tokio::test]
async fn an_approved_request_is_recorded_by_its_approver_only_and_never_changed() {
    let Some(t) = Team::start().await else { return };
    let id = t.new_incident().await;
    let u = t.author.new_draft(id, &update(Status::Investigating, "調査中", "Investigating"), "author").await.unwrap().update_id;
    // An approval recorded without its request (as before schema 8).
    t.approver.approve(u, 1).await.unwrap();
    let approval = "(SELECT max(id) FROM reviews WHERE action = 'approve')";
    t.author_refused(
        &format!("INSERT INTO approved_requests (review_id, request_hash, request) VALUES ({approval}, 'forged', '{{}}')"),
        "only by its approver",
    )
    .await;
    // The approver's own, with the approval; then nobody changes it.
    t.approver.approve_request(u, 1, &"a".repeat(64), "{}").await.unwrap();
    let recorded = "(SELECT max(review_id) FROM approved_requests)";
    t.author_refused(&format!("UPDATE approved_requests SET request_hash = 'forged' WHERE review_id = {recorded}"), "permission denied").await;
    t.author_refused(&format!("DELETE FROM approved_requests WHERE review_id = {recorded}"), "permission denied").await;
    let _ = &t.owner;
}
