//! What the composer's timeline table is answered in the UI's component
//! tests (ui/tests/timeline.test.mjs, through
//! ui/tests/fixtures/timeline-ipc.json): the real commands on the resolved
//! sign-in sample. Its postmortem is started (the table prefilled from the
//! published changes of status), previewed (the picture and each row's
//! line), saved with a row added (the bodies' timeline sections written
//! from the rows), previewed again, and saved with a row missing its
//! English text (refused, naming the row). `UPDATE_UI_FIXTURES=1` rewrites it.

use desk_model::Lang;
use serde_json::json;

use super::{app_from, desk_with, id_of, invoke, keep_recording, Setup};

#[test]
fn recorded_timeline_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_with(dir.path(), Setup { lang: Lang::Ja, ..Setup::new("tester") });
    // The postmortem is started at a fixed time, so the recording does not change with the clock.
    desk.set_clock(Some(chrono::DateTime::parse_from_rfc3339("2025-03-06T10:00:00+09:00").unwrap().to_utc()));
    let app = app_from(desk);
    let id = id_of(&app, "ログインできない");
    let draft = invoke(&app, "start_update", json!({ "id": id, "status": "postmortem" })).unwrap();
    let table = invoke(&app, "open_timeline", json!({ "id": id })).unwrap();
    assert_eq!(table["rows"].as_array().unwrap().len(), 4, "{table:#}");
    let preview = invoke(&app, "preview_draft", json!({ "id": id, "status": "postmortem", "title": draft["title"], "body": draft["body"], "pages": "per_language" })).unwrap();
    assert!(preview["timeline_table"]["picture"]["ja"].as_str().unwrap().starts_with("<svg"), "{preview:#}");

    let mut rows = table["rows"].as_array().unwrap().clone();
    rows.push(json!({ "at": "2025-03-04T11:50", "approximate": true, "status": null, "ja": "全てのお客様でログインできることを確認", "en": "Confirmed that every customer could sign in" }));
    let save = |rows: &[serde_json::Value], version: &serde_json::Value| {
        invoke(
            &app,
            "save_timeline",
            json!({ "id": id, "updateId": draft["update_id"], "version": version, "status": "postmortem", "title": draft["title"], "body": draft["body"], "notify": null, "rows": rows }),
        )
    };
    let saved = save(&rows, &draft["version"]).unwrap();
    assert!(saved["body"]["en"].as_str().unwrap().contains("11:50 (approx.): Confirmed that every customer could sign in"), "{saved:#}");
    let preview_saved = invoke(&app, "preview_draft", json!({ "id": id, "status": "postmortem", "title": draft["title"], "body": saved["body"], "pages": "per_language" })).unwrap();
    assert_eq!(preview_saved["timeline_table"]["row_lines"].as_array().unwrap().len(), 5);

    let mut wrong = rows.clone();
    wrong[4]["en"] = json!("");
    let refused = save(&wrong, &saved["version"]).unwrap_err();
    assert_eq!(refused["field"], "timeline.4.en", "{refused:#}");

    keep_recording(
        "timeline-ipc.json",
        &json!({
            "draft": draft,
            "table": table,
            "preview": preview,
            "rows_added": rows,
            "saved": saved,
            "preview_saved": preview_saved,
            "refused": refused,
        }),
    );
}

/// A postmortem's notifications are chosen on its draft and shown to the approver.
#[test]
fn a_postmortems_notifications_are_chosen_on_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_from(desk_with(dir.path(), Setup::new("tester")));
    let id = id_of(&app, "ログインできない");
    let draft = invoke(&app, "start_update", json!({ "id": id, "status": "postmortem" })).unwrap();
    let uid = draft["update_id"].clone();
    assert_eq!(invoke(&app, "postmortem_notifications", json!({ "updateId": uid })).unwrap(), json!({ "subscribers": null, "twitter": false }));
    let choice = json!({ "subscribers": false, "twitter": true });
    let saved = invoke(&app, "choose_postmortem_notifications", json!({ "id": id, "updateId": uid, "version": draft["version"], "choice": choice })).unwrap();
    assert_eq!(saved["version"], draft["version"].as_u64().unwrap() + 1);
    assert_eq!(invoke(&app, "postmortem_notifications", json!({ "updateId": uid })).unwrap(), choice);
    // On a stale version nothing is saved.
    let stale = invoke(&app, "choose_postmortem_notifications", json!({ "id": id, "updateId": uid, "version": draft["version"], "choice": json!({ "subscribers": true, "twitter": false }) })).unwrap_err();
    assert_eq!(stale["kind"], "conflict", "{stale}");
    // The approver is told.
    let item = invoke(&app, "review_item", json!({ "updateId": uid })).unwrap();
    assert_eq!((item["deliver_notifications"].as_bool(), item["notify_twitter"].as_bool()), (Some(false), Some(true)), "{item:#}");
    // Another status's draft has no Twitter choice.
    let other = invoke(&app, "new_incident", json!({ "kind": "incident" })).unwrap();
    let refused = invoke(&app, "choose_postmortem_notifications", json!({ "id": other["incident_id"], "updateId": other["update_id"], "version": other["version"], "choice": choice })).unwrap_err();
    assert_eq!((refused["kind"].as_str(), refused["field"].as_str()), (Some("invalid"), Some("notify_twitter")), "{refused}");
}
