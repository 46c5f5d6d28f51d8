//! Joining a team database from the app, against a throwaway PostgreSQL
//! cluster: each way it can go wrong is told apart in plain words, and
//! joining keeps the password in the keychain, the choice in the data folder
//! and takes this computer's drafts along.

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

use desk_app::connection::{join_team, saved_choice, state, test_team, ConnectionChoice, TeamAddress};
use desk_app::{compose, Desk, DeskOptions};
use desk_keychain::{KeyStore, KeyringStore};
use desk_model::{Kind, Lang};
use desk_store::{ListQuery, Store, UpdateState};
use pg_cluster::PgCluster;

fn address(pg: &PgCluster, database: &str) -> TeamAddress {
    TeamAddress { host: "127.0.0.1".into(), port: pg.port, database: database.into(), role: "author".into() }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_problem_is_told_apart_then_joining_takes_the_drafts_along() {
    let Some(pg) = PgCluster::start() else { return };
    pg.psql("postgres", &["CREATE DATABASE other"]);

    // Not set up yet: the database exists, Incident Desk's schema does not.
    let check = test_team(&address(&pg, "desk"), "author-pw", Lang::Ja).await.unwrap();
    assert_eq!(check.problem.as_deref(), Some("not_set_up"), "{}", check.message);
    assert!(check.message.contains("Incident Desk 用に準備されていません"), "{}", check.message);

    // The owner sets it up once (any store opened as the owner migrates).
    Store::open(&pg.url("postgres")).await.unwrap();

    let wrong = test_team(&address(&pg, "desk"), "not-the-password", Lang::En).await.unwrap();
    assert_eq!((wrong.problem.as_deref(), wrong.field.as_deref()), (Some("login"), Some("password")));
    assert!(wrong.message.contains("would not let author log in"), "{}", wrong.message);

    let missing = test_team(&address(&pg, "nowhere"), "author-pw", Lang::Ja).await.unwrap();
    assert_eq!((missing.problem.as_deref(), missing.field.as_deref()), (Some("no_database"), Some("database")));

    let elsewhere = test_team(&address(&pg, "other"), "author-pw", Lang::Ja).await.unwrap();
    assert_eq!(elsewhere.problem.as_deref(), Some("not_set_up"));

    let fine = test_team(&address(&pg, "desk"), "author-pw", Lang::Ja).await.unwrap();
    assert!(fine.ok, "{}", fine.message);

    // This computer: a database of its own with one draft written here.
    desk_keychain::memory::install();
    let tmp = tempfile::tempdir().unwrap();
    let local = Store::open(tmp.path().join("local.db").to_str().unwrap()).await.unwrap();
    let mut options = DeskOptions::new(tmp.path().to_path_buf());
    options.in_memory_keychain = true;
    let desk = Desk::start(local, options).await.unwrap();
    let draft = compose::new_incident(&desk, Kind::Incident).await.unwrap();
    let data_dir = tmp.path().join("data");
    let before = state(&desk, &data_dir, ConnectionChoice::Alone, false).await.unwrap();
    assert!(before.first_start);
    assert_eq!(before.local_drafts.iter().map(|d| d.id).collect::<Vec<_>>(), vec![draft.incident_id]);

    // A wrong password refuses the join: nothing kept, nothing moved.
    let refused = join_team(&desk, &data_dir, &address(&pg, "desk"), "nope", true, Lang::Ja).await.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("password"));
    assert_eq!(saved_choice(&data_dir), None);

    let joined = join_team(&desk, &data_dir, &address(&pg, "desk"), "author-pw", true, Lang::Ja).await.unwrap();
    assert_eq!(joined.moved.len(), 1);
    assert!(joined.restart_needed);
    assert_eq!(saved_choice(&data_dir), Some(ConnectionChoice::Team { address: address(&pg, "desk") }));
    let url = address(&pg, "desk").url();
    let kept = KeyringStore::default().get(&desk_app::desk::keychain_account(&url)).unwrap().expect("the password is in the keychain");
    assert_eq!(kept.expose(), "author-pw");

    // The team database has the draft, still a draft, with its text; opened as the next start opens it.
    let team = desk_app::desk::open_team(&url).await.unwrap();
    let listed = team.list(&ListQuery::default()).await.unwrap();
    assert_eq!(listed.len(), 1);
    let moved = team.load_incident(listed[0].id).await.unwrap();
    assert_eq!(moved.title, draft.title);
    assert!(moved.updates.iter().all(|u| u.state == UpdateState::Draft));
    let here = desk.store.load_incident(draft.incident_id as i64).await.unwrap().to_incident();
    assert_eq!(moved.to_incident().updates, here.updates, "the same updates, text and all");
    let after = state(&desk, &data_dir, ConnectionChoice::Alone, false).await.unwrap();
    assert!(!after.first_start, "the question is not asked again");
}
