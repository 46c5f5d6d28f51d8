//! The promised next update, its notification, and the watcher.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use desk_app::timeline::{notify_fallen_due, Notifier};
use desk_app::Desk;

use super::{app, id_of, invoke};

#[test]
fn a_due_promise_is_notified_once_asked_and_a_future_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let shown: Arc<Mutex<Vec<(String, String)>>> = Default::default();
    let record = shown.clone();
    tauri::Manager::manage(&app, Notifier::new(move |t: &str, b: &str| {
        record.lock().unwrap().push((t.into(), b.into()));
        Ok(())
    }));
    // The ongoing sample promised its next update in the past: it is due.
    let id = id_of(&app, "メール配信に遅延");
    let next = invoke(&app, "next_update", serde_json::json!({ "id": id })).unwrap();
    let at = DateTime::parse_from_rfc3339(next["at"].as_str().unwrap()).unwrap().with_timezone(&Utc);
    assert!(at < Utc::now(), "the sample's promise is in the past");
    assert!(!next["label"]["ja"].as_str().unwrap().is_empty());
    let due = invoke(&app, "notify_update_due", serde_json::json!({ "id": id, "lang": "ja" })).unwrap();
    assert_eq!(due, true);
    let shown_now = shown.lock().unwrap().clone();
    assert_eq!(shown_now.len(), 1);
    assert_eq!(shown_now[0].0, "次の更新の時刻です");
    assert!(shown_now[0].1.contains("メール配信"), "{:?}", shown_now[0]);
    // The same promise is notified once.
    assert_eq!(invoke(&app, "notify_update_due", serde_json::json!({ "id": id, "lang": "ja" })).unwrap(), false);
    // A resolved incident promises nothing.
    let resolved = id_of(&app, "ログインできない");
    assert_eq!(invoke(&app, "next_update", serde_json::json!({ "id": resolved })).unwrap(), serde_json::Value::Null);
    assert_eq!(invoke(&app, "notify_update_due", serde_json::json!({ "id": resolved, "lang": "en" })).unwrap(), false);
    assert_eq!(shown.lock().unwrap().len(), 1);
}


/// The watcher notifies promises that fall due after the app started, once each.
#[test]
fn promises_falling_due_are_notified_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = super::app_in(dir.path(), "tester", desk_model::Lang::Ja);
    let shown: Arc<Mutex<Vec<String>>> = Default::default();
    let record = shown.clone();
    let notifier = Notifier::new(move |_: &str, b: &str| {
        record.lock().unwrap().push(b.to_string());
        Ok(())
    });
    let state = tauri::Manager::state::<Desk>(&app);
    let id = id_of(&app, "メール配信に遅延");
    let at = tauri::async_runtime::block_on(state.store.load_incident(id as i64)).unwrap().promised_next_update().unwrap();
    // Every sample promise was overdue before "now": nothing is notified.
    tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, Utc::now())).unwrap();
    assert!(shown.lock().unwrap().is_empty());
    // Started before Kumo Mail's promise: notified, and only once however often the watcher looks.
    let before = at - chrono::Duration::minutes(1);
    tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, before)).unwrap();
    let first = shown.lock().unwrap().clone();
    tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, before)).unwrap();
    assert_eq!(*shown.lock().unwrap(), first);
    assert_eq!(first.iter().filter(|b| b.contains("Kumo Mailのメール配信")).count(), 1, "{first:?}");
}
