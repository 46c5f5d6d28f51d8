//! Importing histories, and the real seed as a check.

mod common;

use common::*;
use desk_model::{IncidentDocument, Status};
use desk_store::import;
use desk_store::Store;

#[tokio::test]
async fn the_seed_history_yields_52_incidents_with_all_their_updates() {
    let Some(seed) = seed() else { return };
    let text = std::fs::read_to_string(&seed).unwrap();
    let update_lines = text.lines().skip(1).filter(|l| !l.starts_with("Report: ") && !l.trim().is_empty()).count();
    let incidents = import::read(&seed).unwrap();
    assert_eq!(incidents.len(), 52);
    let updates: usize = incidents.iter().map(|n| n.incident.updates.len()).sum();
    assert_eq!(updates, update_lines);
    assert!((150..=170).contains(&updates), "{updates}");

    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let report = store.import(&incidents, "test").await.unwrap();
    assert_eq!((report.incidents, report.updates, report.skipped), (52, updates, 0));
    assert_eq!(store.count_incidents().await.unwrap(), 52);
    // Again: nothing new.
    let again = store.import(&incidents, "test").await.unwrap();
    assert_eq!((again.incidents, again.skipped), (0, 52));

    // Every incident is closed on this page.
    let listed = store.list(&desk_store::incidents::ListQuery { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(listed.len(), 52);
    assert!(listed.iter().all(|s| s.status.is_some_and(Status::is_closed)), "{:?}", listed.iter().filter(|s| !s.status.unwrap().is_closed()).map(|s| &s.title.ja).collect::<Vec<_>>());
    // Every export is a valid incident document.
    for s in &listed {
        let doc = IncidentDocument::write(&store.export(s.id).await.unwrap());
        IncidentDocument::parse(&doc).unwrap_or_else(|e| panic!("incident {}: {e}", s.id));
    }
    assert!(!store.search("ジョブフロー", 0).await.unwrap().is_empty());
}

#[test]
fn bad_files_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("history.json");
    std::fs::write(&p, "{\"incidents\": [\n  {\"name\": \"x\", \"incident_updates\": [ {\"status\": 5} ]}\n]}").unwrap();
    let err = import::read(&p).unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.to_string().starts_with(&format!("{}:2:", p.display())), "{err}");

    std::fs::write(&p, [0x52, 0x65, 0x0a, 0xff, 0xfe]).unwrap();
    let err = import::read(&p).unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.message.contains("UTF-8"));
}
