//! `desk review`, `desk policy` and `desk audit verify` on a SQLite file and
//! on a throwaway PostgreSQL cluster (skipped, saying so, without PostgreSQL).

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

use std::process::{Command, Output};

use desk_model::{Kind, Status, Update, UpdateText};
use desk_store::Store;

/// Runs `desk --db DB ARGS` with extra environment (USER, PGPASSWORD).
fn desk(db: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_desk"));
    cmd.arg("--db").arg(db).args(args).env_remove("DESK_DB").env_remove("PGPASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("desk runs")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stdout: {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON")
}

/// Exit 1 with `words` on stderr.
fn refused(out: &Output, words: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(words), "{err}");
}

fn draft(status: Status, ja: &str) -> Update {
    let mut u = Update::new(status);
    u.ja = UpdateText { symptoms: ja.into(), ..Default::default() };
    u.en = UpdateText { symptoms: "Sign-in fails".into(), ..Default::default() };
    u
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// An incident with a draft saved by `store`'s identity; returns (incident, update).
async fn new_incident(store: &Store) -> (i64, i64) {
    let me = store.identity().await.unwrap();
    let title = desk_model::Bilingual { ja: "ログイン障害".to_string(), en: "Sign-in failures".to_string() };
    let id = store.create_incident(Kind::Incident, &title, &me).await.unwrap();
    let d = store.new_draft(id, &draft(Status::Investigating, "ログインできない"), &me).await.unwrap();
    (id, d.update_id)
}

/// The story through `desk`. `run(role, args)` runs it as "author",
/// "approver" or "lead"; `edit()` saves a new revision as the author;
/// `tamper()` alters the first approval's audit entry going around the
/// triggers and returns its id.
fn review_story(run: &dyn Fn(&str, &[&str]) -> Output, edit: &dyn Fn(), tamper: &dyn Fn() -> i64) {
    let said = ok(&run("author", &["review", "request", "1"]));
    assert!(said.contains("review requested for revision 1"), "{said}");
    refused(&run("author", &["review", "approve", "1"]), "self-approval refused");
    let queue = json(&run("approver", &["review", "queue", "--format", "json"]));
    assert_eq!(queue["queue"][0]["incident_id"], 1);
    let status = json(&run("approver", &["review", "status", "1", "--format", "json"]));
    assert_eq!((status["review"]["state"].as_str(), status["you"].as_str()), (Some("requested"), Some("approver")));
    let changes = json(&run(
        "approver",
        &["review", "request-changes", "1", "--comment", "「ログイン」で統一", "--lang", "ja", "--at", "0:4", "--format", "json"],
    ));
    assert_eq!(changes["comments"][0]["anchor"]["quote"], "ログイン");
    bad_usage(&run("approver", &["review", "request-changes", "1", "--comment", "x", "--lang", "ja", "--at", "9"]));

    // Approved, then an edit voids it.
    ok(&run("approver", &["review", "approve", "1"]));
    assert_eq!(json(&run("author", &["review", "status", "1", "--format", "json"]))["review"]["state"], "approved");
    edit();
    let status = json(&run("author", &["review", "status", "1", "--format", "json"]));
    assert_eq!(status["review"]["state"], "not_requested");
    assert_eq!(status["review"]["voided_approval"]["revision"], 1);
    let diff = ok(&run("approver", &["review", "diff", "1"]));
    assert!(diff.contains("since revision 1") && diff.contains("[+"), "{diff}");

    // The emergency policy: only the lead sets it (in team mode, the database decides).
    ok(&run("lead", &["policy", "set", "--emergency", "investigating"]));
    let policy = json(&run("author", &["policy", "show", "--format", "json"]));
    assert_eq!(policy["emergency"][0]["status"], "investigating");
    assert_eq!(policy["emergency"][0]["first_only"], true);
    bad_usage(&run("lead", &["policy", "set", "--emergency", "nonsense"]));

    // The audit chain holds, then fails at the altered entry.
    let verified = ok(&run("approver", &["audit", "verify"]));
    assert!(verified.contains("audit log intact"), "{verified}");
    let report = json(&run("approver", &["audit", "verify", "--format", "json"]));
    assert!(report["chained"].as_i64().unwrap() >= 5, "{report}");
    let victim = tamper();
    let out = run("approver", &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(&format!("BROKEN at entry {victim}:")) && said.contains("altered"), "{said}");
    let report = json_any(&run("approver", &["audit", "verify", "--format", "json"]));
    assert_eq!(report["broken"]["entry_id"], victim);
}

fn json_any(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn bad_usage(out: &Output) {
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn review_policy_and_audit_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db").display().to_string();
    let rt = runtime();
    let names = |role: &str| match role {
        "author" => "aiko",
        "approver" => "ben",
        _ => "chie",
    };
    let store = rt.block_on(Store::open(&db)).unwrap();
    let author = store.acting_as("aiko").unwrap();
    let (_, update_id) = rt.block_on(new_incident(&author));
    rt.block_on(store.close());
    // SQLite: who you are is the OS user.
    let run = |role: &str, args: &[&str]| {
        let out = desk(&db, &[("USER", names(role))], args);
        if args.first() == Some(&"review") && args.get(1) == Some(&"status") && out.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["you"], names(role));
            // The JSON says "you": the role's name here, for the shared assertions.
            let text = String::from_utf8_lossy(&out.stdout).replace(&format!("\"you\": \"{}\"", names(role)), &format!("\"you\": \"{role}\""));
            return Output { stdout: text.into_bytes(), ..out };
        }
        out
    };
    let edit = || {
        let rt = runtime();
        let store = rt.block_on(Store::open(&db)).unwrap().acting_as("aiko").unwrap();
        rt.block_on(store.save_draft(update_id, 1, &draft(Status::Investigating, "ログインできない状態です"), "aiko")).unwrap();
        rt.block_on(store.close());
    };
    let tamper = || {
        let rt = runtime();
        let store = rt.block_on(Store::open(&db)).unwrap();
        rt.block_on(async {
            sqlx::query("DROP TRIGGER audit_log_append_only_update").execute(store.pool()).await.unwrap();
            let id: i64 = sqlx::query_scalar(
                "UPDATE audit_log SET detail = '{}' WHERE id = (SELECT MIN(id) FROM audit_log WHERE action = 'approve') RETURNING id",
            )
            .fetch_one(store.pool())
            .await
            .unwrap();
            store.close().await;
            id
        })
    };
    review_story(&run, &edit, &tamper);
}

#[test]
fn review_policy_and_audit_on_postgres() {
    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    let rt = runtime();
    // The owner creates the schema; the author writes a draft.
    rt.block_on(async {
        Store::open(&pg.url("postgres")).await.unwrap().close().await;
        let author = Store::open(&pg.url("author")).await.unwrap();
        new_incident(&author).await;
        author.close().await;
    });
    // The password through PGPASSWORD, not in the URL.
    let run = |role: &str, args: &[&str]| {
        let password = format!("{role}-pw");
        desk(&pg.url_without_password(role), &[("PGPASSWORD", password.as_str()), ("USER", "whoever")], args)
    };
    let edit = || {
        let rt = runtime();
        rt.block_on(async {
            let store = Store::open(&pg.url("author")).await.unwrap();
            let update_id = store.update_id_at(1, None).await.unwrap();
            store.save_draft(update_id, 1, &draft(Status::Investigating, "ログインできない状態です"), "ignored").await.unwrap();
            store.close().await;
        });
    };
    let tamper = || {
        let said = pg.psql(
            "desk",
            &[
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "UPDATE audit_log SET detail = '{}' WHERE id = (SELECT MIN(id) FROM audit_log WHERE action = 'approve') RETURNING id",
                "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
            ],
        );
        said.lines().find_map(|l| l.trim().parse::<i64>().ok()).expect("the altered entry's id")
    };
    // Team members cannot set the policy.
    refused(&run("author", &["policy", "set", "--none"]), "permission denied");
    review_story(&run, &edit, &tamper);
}

/// `desk publish ID` sends a stored draft only through the review gate: an
/// approval of its current revision by someone else, or an emergency
/// publish the policy allows with a reason; then the update is published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desk_publish_of_a_stored_draft_needs_an_approval() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db").display().to_string();
    let store = Store::open(&db).await.unwrap();
    let (_, update_id) = new_incident(&store.acting_as("aiko").unwrap()).await;
    store.close().await;
    let config = desk_sandbox::SandboxConfig {
        rate_limit_interval: std::time::Duration::ZERO,
        data_dir: Some(dir.path().join("sandbox")),
        ..Default::default()
    };
    let sb = desk_sandbox::Sandbox::start(config).await.unwrap();
    let base = sb.api_base();
    let xdg = dir.path().join("xdg").display().to_string();
    let publish = |who: &str, extra: &[&str]| {
        let mut args = vec!["publish", "1", "--api-base", base.as_str()];
        args.extend_from_slice(extra);
        desk(&db, &[("USER", who), ("STATUSPAGE_API_KEY", "sandbox-key"), ("XDG_DATA_HOME", xdg.as_str())], &args)
    };
    refused(&publish("aiko", &[]), "no approval by someone other than its author (aiko)");
    refused(&publish("aiko", &["--emergency-reason", "夜間"]), "emergency publish refused");
    assert!(sb.incidents("sandbox").is_empty(), "nothing was sent");
    ok(&desk(&db, &[("USER", "ben")], &["review", "approve", "1"]));
    let said = ok(&publish("aiko", &[]));
    assert!(said.contains("published"), "{said}");
    assert_eq!(sb.incidents("sandbox").len(), 1);
    let store = Store::open(&db).await.unwrap();
    assert_eq!(store.review_status(update_id).await.unwrap().state, desk_store::review::ReviewState::Published);
    store.close().await;
    // Published now: nothing left for an emergency reason to apply to.
    refused(&publish("aiko", &["--emergency-reason", "夜間"]), "already published: there is no draft to publish without approval");
}
