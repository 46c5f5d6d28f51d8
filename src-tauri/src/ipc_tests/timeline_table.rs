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
