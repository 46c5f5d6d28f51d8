//! What the composer's compensation form is answered in the UI's component
//! tests (ui/tests/compensation.test.mjs, through
//! ui/tests/fixtures/compensation-ipc.json): the real commands on the
//! resolved sign-in sample. Its postmortem is started (no offers), saved
//! with one offer (the bodies' compensation sections written from it), and
//! saved with a period ending before it starts (refused, naming the field).
//! `UPDATE_UI_FIXTURES=1` rewrites it.

use desk_model::Lang;
use serde_json::json;

use super::{app_from, desk_with, id_of, invoke, keep_recording, Setup};

#[test]
fn recorded_compensation_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_with(dir.path(), Setup { lang: Lang::Ja, ..Setup::new("tester") });
    desk.set_clock(Some(chrono::DateTime::parse_from_rfc3339("2025-03-06T10:00:00+09:00").unwrap().to_utc()));
    let app = app_from(desk);
    let id = id_of(&app, "ログインできない");
    let draft = invoke(&app, "start_update", json!({ "id": id, "status": "postmortem" })).unwrap();
    let offers = invoke(&app, "open_compensation", json!({ "id": id })).unwrap();
    assert_eq!(offers, json!([]));

    let offer = json!({
        "who": { "ja": "有料プランをご契約のお客様", "en": "Customers on a paid plan" },
        "what": { "ja": "3月分のご利用料金を無料", "en": "March free of charge" },
        "start": "2025-03-01", "end": "2025-03-31",
        "how": { "ja": "請求書で自動的に差し引きます", "en": "Deducted on your invoice" },
        "from": "2025-04-01"
    });
    let save = |offers: serde_json::Value, version: &serde_json::Value| {
        invoke(
            &app,
            "save_compensation",
            json!({ "id": id, "updateId": draft["update_id"], "version": version, "status": "postmortem", "title": draft["title"], "body": draft["body"], "notify": null, "offers": offers }),
        )
    };
    let saved = save(json!([offer]), &draft["version"]).unwrap();
    assert!(saved["body"]["en"].as_str().unwrap().contains("■ Compensation\n- Who: Customers on a paid plan"), "{saved:#}");
    assert!(saved["body"]["ja"].as_str().unwrap().contains("■ 補償について\n- 対象: 有料プランをご契約のお客様"), "{saved:#}");

    let mut backwards = offer.clone();
    backwards["end"] = json!("2025-02-28");
    let refused = save(json!([backwards]), &saved["version"]).unwrap_err();
    assert_eq!(refused["field"], "compensation.0.end", "{refused:#}");

    keep_recording("compensation-ipc.json", &json!({ "draft": draft, "offers": offers, "offer": offer, "saved": saved, "refused": refused }));
}
