//! Review and approval, emergency publishing and the audit chain, on SQLite
//! and on a real PostgreSQL (skipped, saying so, when it is not installed).
//! On PostgreSQL the rules are also tried with raw SQL as the author's role.

mod common;
mod pg_cluster;

use chrono::Utc;
use common::*;
use desk_model::{Kind, Status};
use desk_store::audit::sha256_hex;
use desk_store::review::{Comment, EmergencyRule, Lang, ReviewState};
use desk_store::{Store, StoreError};
use pg_cluster::{raw, PgCluster};

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, words: &str) {
    match r {
        Err(StoreError::Refused(msg)) => assert!(msg.contains(words), "refused, but: {msg}"),
        other => panic!("expected a refusal containing {words:?}, got {other:?}"),
    }
}

/// The same story for both backends. Returns the id of the update published
/// on an approval.
async fn the_review_story(author: &Store, approver: &Store, admin: &Store) -> i64 {
    let me = author.identity().await.unwrap();
    let them = approver.identity().await.unwrap();
    assert_ne!(me, them);
    let id = author.create_incident(Kind::Incident, &bilingual("ログイン障害", "Sign-in failures"), &me).await.unwrap();
    let d = author.new_draft(id, &update(Status::Investigating, "ログインできない", "Sign-in fails"), &me).await.unwrap();
    let u = d.update_id;
    assert_eq!(author.review_status(u).await.unwrap().state, ReviewState::NotRequested);
    author.request_review(u, 1).await.unwrap();
    assert_eq!(author.review_status(u).await.unwrap().state, ReviewState::Requested);
    // The approver's queue has it, the author's does not.
    assert_eq!(approver.review_queue().await.unwrap().iter().map(|q| q.update_id).collect::<Vec<_>>(), vec![u]);
    assert!(author.review_queue().await.unwrap().is_empty());

    // Self-approval refused; publishing without approval refused.
    refused(author.approve(u, 1).await, "self-approval refused");
    refused(author.authorise_publish(u, 1, None).await, "publish refused");

    // Approved by someone else.
    let approval = approver.approve(u, 1).await.unwrap();
    assert_eq!(approval.actor, them);
    assert_eq!(approval.revision_hash, author.revision_hash(u, 1).await.unwrap());
    assert_eq!(author.review_status(u).await.unwrap().state, ReviewState::Approved);

    // Any edit voids it.
    let d2 = author.save_draft(u, 1, &update(Status::Investigating, "ログインできない状態です", "Sign-in fails"), &me).await.unwrap();
    let status = author.review_status(u).await.unwrap();
    assert_eq!((status.current_revision, status.state), (2, ReviewState::NotRequested));
    assert_eq!(status.voided_approval.as_ref().map(|a| a.revision), Some(1));
    refused(author.authorise_publish(u, 2, None).await, "no approval");
    // The old approval cannot carry the old revision out either.
    refused(author.authorise_publish(u, 1, None).await, "not the current one");

    // Changes requested, anchored to a passage.
    author.request_review(u, d2.number).await.unwrap();
    let diff = approver.review_diff(u, 2).await.unwrap();
    assert_eq!(diff.last_reviewed_revision, Some(1));
    let since = diff.against_last_reviewed.unwrap();
    assert!(since.ja.iter().any(|s| s.text == "状態です"), "{since:?}");
    assert_eq!(approver.diff_revisions(u, 1, 2).await.unwrap(), since);
    let changes = approver.request_changes(u, 2, &[Comment::at("「状態」は不要です", Lang::Ja, 8, 10)]).await.unwrap();
    assert_eq!(changes.comments[0].anchor.as_ref().unwrap().quote, "状態");
    refused(approver.request_changes(u, 2, &[Comment::at("x", Lang::En, 0, 999)]).await, "outside");
    assert_eq!(author.review_status(u).await.unwrap().state, ReviewState::ChangesRequested);

    // Fixed, approved, published.
    let d3 = author.save_draft(u, 2, &update(Status::Investigating, "ログインできない", "Sign-in fails."), &me).await.unwrap();
    author.request_review(u, d3.number).await.unwrap();
    approver.approve(u, 3).await.unwrap();
    let publication = author.publish_recorded(u, 3, None, Utc::now()).await.unwrap();
    assert!(!publication.emergency());
    assert_eq!(publication.actor, me);
    let status = author.review_status(u).await.unwrap();
    assert_eq!(status.state, ReviewState::Published);
    assert_eq!(author.load_incident(id).await.unwrap().updates[0].published_revision, Some(3));

    // Emergency publishing: only what the policy allows, only with a reason.
    let id2 = author.create_incident(Kind::Incident, &bilingual("配信遅延", "Delivery delays"), &me).await.unwrap();
    let e = author.new_draft(id2, &update(Status::Investigating, "メールが遅れています", "Mail is delayed"), &me).await.unwrap();
    refused(author.authorise_publish(e.update_id, 1, Some("夜間で承認者不在")).await, "policy does not allow");
    admin.set_emergency_policy(&[EmergencyRule { status: Status::Investigating, first_only: true }]).await.unwrap();
    assert_eq!(author.emergency_policy().await.unwrap().len(), 1);
    refused(author.authorise_publish(e.update_id, 1, Some("  ")).await, "needs a reason");
    let emergency = author.publish_recorded(e.update_id, 1, Some("夜間で承認者不在"), Utc::now()).await.unwrap();
    assert!(emergency.emergency());
    let flagged = approver.emergency_publications().await.unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!((flagged[0].update_id, flagged[0].actor.as_str()), (e.update_id, me.as_str()));
    // Not beyond the first update.
    let e2 = author.new_draft(id2, &update(Status::Investigating, "続報", "More"), &me).await.unwrap();
    refused(author.authorise_publish(e2.update_id, 1, Some("急ぎ")).await, "policy does not allow");

    // The audit log has every step, with the revisions' hashes, and holds.
    let entries = admin.audit_entries().await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for a in ["review_request", "approve", "request_changes", "publish", "emergency_publish", "policy"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let publish = entries.iter().find(|e| e.action == "publish").unwrap();
    assert_eq!(publish.actor, me);
    let content3 = serde_json::to_string(&author.revision(u, 3).await.unwrap()).unwrap();
    assert_eq!(publish.revision_hash.as_deref(), Some(sha256_hex(&content3).as_str()));
    let report = admin.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.chained, entries.len());
    u
}

#[tokio::test]
async fn sqlite_review_story_and_what_its_triggers_refuse() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let author = store.acting_as("aiko").unwrap();
    let approver = store.acting_as("ben").unwrap();
    let u = the_review_story(&author, &approver, &store.acting_as("lead").unwrap()).await;

    // Raw SQL, going around the store: the triggers still refuse.
    let pool = store.pool();
    let d = author.new_draft(1, &update(Status::Identified, "原因を特定", "Cause found"), "aiko").await.unwrap();
    let hash = author.revision_hash(d.update_id, 1).await.unwrap();
    let self_approval = sqlx::query(
        "INSERT INTO reviews (update_id, revision, revision_hash, action, actor, at) VALUES ($1, 1, $2, 'approve', 'aiko', 'now')",
    )
    .bind(d.update_id)
    .bind(&hash)
    .execute(pool)
    .await;
    assert!(self_approval.unwrap_err().to_string().contains("self-approval refused"));
    let unapproved = sqlx::query(
        "INSERT INTO publications (update_id, revision, revision_hash, actor, at, approval_id) VALUES ($1, 1, $2, 'aiko', 'now', 1)",
    )
    .bind(d.update_id)
    .bind(&hash)
    .execute(pool)
    .await;
    assert!(unapproved.unwrap_err().to_string().contains("publish refused"));
    let marked = sqlx::query("UPDATE updates SET state = 'published', published_revision = 1 WHERE id = $1")
        .bind(d.update_id)
        .execute(pool)
        .await;
    assert!(marked.unwrap_err().to_string().contains("publish refused"));
    for sql in ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "DELETE FROM reviews", "UPDATE revisions SET content = '{}'"] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err().to_string();
        assert!(err.contains("append-only") || err.contains("immutable"), "{sql}: {err}");
    }
    assert_eq!(author.review_status(u).await.unwrap().state, ReviewState::Published);

    // Whoever can write the file can drop a trigger: the chain shows it.
    let victim: i64 = sqlx::query_scalar("SELECT id FROM audit_log WHERE action = 'approve' ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_log_append_only_update").execute(pool).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'aiko' WHERE id = $1").bind(victim).execute(pool).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    let broken = report.broken.expect("tampering detected");
    assert_eq!(broken.entry_id, victim);
    assert!(broken.problem.contains("altered"), "{}", broken.problem);
}

#[tokio::test]
async fn postgres_review_story_enforced_by_the_database() {
    let Some(pg) = PgCluster::start() else { return };
    // The owner (here the superuser) creates the schema.
    let owner = Store::open(&pg.url("postgres")).await.unwrap();
    assert_eq!(owner.identity().await.unwrap(), "postgres");
    // Team members: identities come from the database, not from the client.
    let author = Store::open(&pg.url("author")).await.unwrap();
    let approver = Store::open(&pg.url("approver")).await.unwrap();
    let lead = Store::open(&pg.url("lead")).await.unwrap();
    assert_eq!(author.identity().await.unwrap(), "author");
    assert!(author.acting_as("approver").is_err());
    // A name passed by the client is ignored: the revision's author is the role.
    let u = the_review_story(&author, &approver, &lead).await;
    let rev = author.revisions(u).await.unwrap();
    assert!(rev.iter().all(|r| r.author == "author"), "{rev:?}");
    // Only desk_admin members change the policy.
    refused(author.set_emergency_policy(&[]).await, "permission denied");

    // Raw SQL as the author's role.
    let a = pg.url("author");
    let id = author.create_incident(Kind::Incident, &bilingual("障害", "Outage"), "author").await.unwrap();
    let d = author.new_draft(id, &update(Status::Identified, "原因特定", "Identified"), "claims-to-be-someone-else").await.unwrap();
    let upd = d.update_id;
    let checks: Vec<(String, &str)> = vec![
        // self-approval, also pretending to be the approver, also after SET ROLE
        (format!("INSERT INTO reviews (update_id, revision, action) VALUES ({upd}, 1, 'approve')"), "self-approval refused"),
        (format!("INSERT INTO reviews (update_id, revision, action, actor) VALUES ({upd}, 1, 'approve', 'approver')"), "self-approval refused"),
        (format!("SET ROLE desk_user; INSERT INTO reviews (update_id, revision, action) VALUES ({upd}, 1, 'approve')"), "self-approval refused"),
        // rewriting who wrote a revision
        (format!("UPDATE revisions SET author = 'approver' WHERE update_id = {upd}"), "permission denied"),
        // publishing without approval, on an approval of another update, emergency without policy
        (format!("INSERT INTO publications (update_id, revision) VALUES ({upd}, 1)"), "publish refused"),
        (format!("INSERT INTO publications (update_id, revision, approval_id) VALUES ({upd}, 1, \
                  (SELECT id FROM reviews WHERE action = 'approve' LIMIT 1))"), "publish refused"),
        (format!("INSERT INTO publications (update_id, revision, emergency_reason) VALUES ({upd}, 1, 'hurry')"), "emergency publish refused"),
        (format!("UPDATE updates SET state = 'published', published_revision = 1 WHERE id = {upd}"), "publish refused"),
        // the records themselves
        ("UPDATE reviews SET actor = 'approver'".into(), "permission denied"),
        ("DELETE FROM publications".into(), "permission denied"),
        ("UPDATE audit_log SET actor = 'x'".into(), "permission denied"),
        ("DELETE FROM audit_log".into(), "permission denied"),
        ("INSERT INTO emergency_policy (status) VALUES ('investigating')".into(), "permission denied"),
        ("ALTER TABLE reviews DISABLE TRIGGER reviews_check".into(), "must be owner"),
        ("DROP TRIGGER publications_check ON publications".into(), "must be owner"),
    ];
    for (sql, expected) in &checks {
        let err = raw(&a, sql).await.expect_err(sql);
        assert!(err.contains(expected), "{sql}\n  expected {expected:?}, got: {err}");
    }
    // A revision inserted by hand claiming another author is the author's.
    raw(&a, &format!("INSERT INTO revisions (update_id, number, content, author, saved_at) VALUES ({upd}, 99, '{{}}', 'approver', 'x')"))
        .await
        .unwrap();
    assert!(author.revisions(upd).await.unwrap().iter().all(|r| r.author == "author"));
    // Even the table owner cannot rewrite the log through the triggers.
    let err = raw(&pg.url("postgres"), "UPDATE audit_log SET actor = 'x'").await.unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    // An audit entry written by hand gets the session's identity and the chain.
    raw(&a, "INSERT INTO audit_log (at, actor, action, entity) VALUES ('1999', 'approver', 'note', 'x')").await.unwrap();
    let last = author.audit_entries().await.unwrap().pop().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str()), ("author", "note"));
    assert!(owner.verify_audit().await.unwrap().ok());

    // Writers at once (two roles, several connections): the chain stays one line.
    let mut tasks = Vec::new();
    for (n, store) in [author.clone(), approver.clone(), author.clone(), approver.clone()].into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                store.audit("ignored", "note", "test", Some((n * 100 + i) as i64), &serde_json::json!({ "n": n, "i": i })).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = owner.verify_audit().await.unwrap();
    assert!(report.ok(), "{report:?}");
    // A superuser bypassing the triggers alters an entry: verify names it.
    let victim = owner.audit_entries().await.unwrap().iter().find(|e| e.action == "approve").unwrap().id;
    raw(
        &pg.url("postgres"),
        &format!(
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; \
             UPDATE audit_log SET actor = 'author' WHERE id = {victim}; \
             ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"
        ),
    )
    .await
    .unwrap();
    let broken = owner.verify_audit().await.unwrap().broken.expect("tampering detected");
    assert_eq!(broken.entry_id, victim);
    assert!(broken.problem.contains("altered"), "{}", broken.problem);
}

/// The documented setup (sql/postgres-team-setup.sql): an owner that is not a
/// superuser creates the schema; a member works; the owner of the tables is
/// the only one (short of a superuser) who could disable the triggers.
#[tokio::test]
async fn postgres_documented_team_setup_works_with_an_unprivileged_owner() {
    let Some(pg) = PgCluster::start_bare() else { return };
    let setup = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sql/postgres-team-setup.sql");
    pg.psql_file("postgres", &setup);
    let owner = Store::open(&pg.url_for("desk_owner", "change me", "incident_desk")).await.unwrap();
    assert_eq!(owner.schema_version().await.unwrap(), desk_store::migrations::latest_postgres_version());
    let aiko = Store::open(&pg.url_for("aiko", "aiko's own password", "incident_desk")).await.unwrap();
    let ben = Store::open(&pg.url_for("ben", "ben's own password", "incident_desk")).await.unwrap();
    let id = aiko.create_incident(Kind::Incident, &bilingual("障害", "Outage"), "x").await.unwrap();
    let d = aiko.new_draft(id, &update(Status::Investigating, "調査中", "Investigating"), "x").await.unwrap();
    refused(aiko.approve(d.update_id, 1).await, "self-approval refused");
    ben.approve(d.update_id, 1).await.unwrap();
    aiko.publish_recorded(d.update_id, 1, None, Utc::now()).await.unwrap();
    assert!(ben.verify_audit().await.unwrap().ok());
    let err = raw(&pg.url_for("aiko", "aiko's own password", "incident_desk"), "ALTER TABLE audit_log DISABLE TRIGGER USER")
        .await
        .unwrap_err();
    assert!(err.contains("must be owner"), "{err}");
}
