//! Two processes save the same draft at the same moment, both from the same
//! revision: one wins, the other is told and gets its text back. Never a
//! silent overwrite.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;
use desk_model::{Kind, Status, Update};
use desk_store::Store;

fn spawn(db: &str, update_id: i64, expected: i64, name: &str, go: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_desk-store-writer"))
        .args(["contend", db, &update_id.to_string(), &expected.to_string(), name, go.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("a writer starts")
}

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_editing_one_draft_never_overwrite_silently() {
    let (dir, path) = temp_db();
    let db = path_str(&path).to_string();
    let store = Store::open(&db).await.unwrap();
    let incident = store.create_incident(Kind::Incident, &bilingual("同時編集", "Both editing"), "t").await.unwrap();
    let draft = store.new_draft(incident, &update(Status::Investigating, "最初", "first"), "t").await.unwrap();
    store.close().await;

    for (round, version) in (1..=8).enumerate() {
        let go = dir.path().join(format!("go-{round}"));
        let app = spawn(&db, draft.update_id, version, "app", &go);
        let desk = spawn(&db, draft.update_id, version, "desk", &go);
        std::thread::sleep(Duration::from_millis(150));
        std::fs::write(&go, b"go").unwrap();
        let outputs = [("app", app.wait_with_output().unwrap()), ("desk", desk.wait_with_output().unwrap())];
        let winners: Vec<&str> = outputs.iter().filter(|(_, o)| o.status.success()).map(|(n, _)| *n).collect();
        assert_eq!(winners.len(), 1, "round {round}: exactly one save wins: {:?}", outputs.iter().map(|(n, o)| (n, lines(o), String::from_utf8_lossy(&o.stderr).to_string())).collect::<Vec<_>>());
        let winner = winners[0];
        let (loser, lost) = outputs.iter().find(|(n, _)| *n != winner).unwrap();
        assert_eq!(lost.status.code(), Some(3), "round {round}: the loser is told");
        let said = lines(lost);
        assert_eq!(said[0], format!("conflict {}", version + 1));
        let handed_back: Update = serde_json::from_str(&said[1]).unwrap();
        assert_eq!(handed_back.en.cause, format!("{loser}'s text"), "round {round}: the loser keeps its text");

        let store = Store::open(&db).await.unwrap();
        let current = store.load_incident(incident).await.unwrap().updates[0].clone();
        assert_eq!(current.version, version + 1);
        assert_eq!(current.update.en.cause, format!("{winner}'s text"), "round {round}: the winner's text is stored");
        let history = store.revisions(draft.update_id).await.unwrap();
        assert_eq!(history.len() as i64, version + 1, "round {round}: one revision per save, none lost");
        store.close().await;
    }
}
