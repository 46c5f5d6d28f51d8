//! A maintenance's window and its overrun through the real commands, and
//! what the UI's component tests are answered (ui/tests/maintenance.test.mjs,
//! through ui/tests/fixtures/maintenance-ipc.json): the composer's form
//! (shown, checked with an end before the start, an unreadable time), the
//! list and preview of a maintenance 45 minutes past its published end, the
//! extension drafted in one step, and another maintenance turned into a
//! linked incident. The clock is the Desk's, set by the test; the publish
//! times (the machine's clock) are blanked in the recording.
//! `UPDATE_UI_FIXTURES=1` rewrites the recording.

use chrono::{DateTime, Utc};
use desk_app::Desk;
use desk_model::{AffectedComponent, ComponentStatus, Lang, UpdateText};
use serde_json::{json, Value};
use tauri::Manager;

use super::{app_in, invoke, keep_recording};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn form(start: &str, end: &str) -> Value {
    json!({
        "start": start, "end": end, "remind_before_minutes": 60,
        "auto_in_progress": true, "auto_completed": false, "notify_at_start": true, "notify_at_end": true,
    })
}

/// A maintenance drafted through the commands (its sections and component
/// set in the store, as the composer's other fields would), window saved.
fn drafted(app: &super::App, title: (&str, &str), start: &str, end: &str) -> (u64, Value) {
    let draft = invoke(app, "new_incident", json!({ "kind": "maintenance" })).unwrap();
    let id = draft["incident_id"].as_u64().unwrap();
    let desk = app.state::<Desk>();
    let (update_id, version) = tauri::async_runtime::block_on(async {
        let stored = desk.store.load_incident(id as i64).await.unwrap();
        let mut incident = stored.to_incident();
        incident.title = desk_model::Bilingual { ja: title.0.into(), en: title.1.into() };
        incident.components = vec![AffectedComponent { name: "Kumo Mail".into(), status: ComponentStatus::UnderMaintenance }];
        desk.store.save_incident_meta(id as i64, stored.version, &incident, "tester").await.unwrap();
        let row = &stored.updates[0];
        let mut update = row.update.clone();
        update.ja = UpdateText { scope: "- Kumo Mailをご利用中のすべてのお客様".into(), symptoms: "- メンテナンス中はメールを送信できません".into(), ..Default::default() };
        update.en = UpdateText { scope: "- All Kumo Mail customers".into(), symptoms: "- Email cannot be sent during the maintenance".into(), ..Default::default() };
        let saved = desk.store.save_draft(row.id, row.version, &update, "tester").await.unwrap();
        (row.id, saved.number)
    });
    let saved = invoke(app, "save_window", json!({ "id": id, "updateId": update_id, "version": version, "form": form(start, end) })).unwrap();
    (id, saved)
}

/// The machine's clock in an answer (when updates were published) blanked.
fn steady(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Array(entries)) = map.get_mut("timeline") {
                    for e in entries.iter_mut().filter(|e| e.get("published").is_some()) {
                        e["at"] = json!({ "ja": "", "en": "" });
                    }
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

#[test]
fn recorded_maintenance_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path(), "tester", Lang::Ja);
    let desk = app.state::<Desk>();
    desk.set_clock(Some(at("2030-12-03T10:00:00+09:00")));

    let (id, saved) = drafted(&app, ("メール基盤の更新", "Mail platform renewal"), "2030-12-10T22:00", "2030-12-11T06:00");
    let window = invoke(&app, "maintenance_window", json!({ "id": id })).unwrap();
    assert_eq!(window["described"]["ja"], "メンテナンス予定: 2030/12/10 22:00〜12/11 06:00 (JST)、開始60分前にリマインド、自動で開始");
    let draft = invoke(&app, "open_draft", json!({ "id": id })).unwrap();
    let backwards = invoke(&app, "check_window", json!({ "id": id, "status": "scheduled", "form": form("2030-12-10T22:00", "2030-12-10T21:00"), "body": draft["body"] })).unwrap();
    assert_eq!(backwards["findings"][0]["rule"], "maintenance.order", "{backwards:#}");
    let unreadable = invoke(&app, "check_window", json!({ "id": id, "status": "scheduled", "form": form("12月10日", "2030-12-11T06:00"), "body": draft["body"] })).unwrap_err();
    assert_eq!(unreadable["field"], "maintenance.start");
    let scheduled_preview = invoke(&app, "preview_incident", json!({ "id": id, "update": null })).unwrap();
    assert!(scheduled_preview["maintenance"]["window"]["en"].as_str().unwrap().starts_with("Scheduled maintenance: Dec 10, 2030 22:00"));
    let published = invoke(&app, "publish_update", json!({ "id": id, "update": null, "confirmNewIncident": null })).unwrap();
    assert_eq!(published["all_done"], true, "{published:#}");

    // 45 minutes past the planned end.
    desk.set_clock(Some(at("2030-12-11T06:45:00+09:00")));
    let list = invoke(&app, "list_incidents", json!({})).unwrap();
    let row = list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row["overrun"]["minutes"], 45, "{row:#}");
    let preview = invoke(&app, "preview_incident", json!({ "id": id, "update": null })).unwrap();
    assert_eq!(preview["maintenance"]["overrun"]["minutes"], 45);
    let too_early = invoke(&app, "extend_window", json!({ "id": id, "newEnd": "2030-12-11T05:00" })).unwrap_err();
    assert_eq!(too_early["field"], "new_end");
    let extension = invoke(&app, "extend_window", json!({ "id": id, "newEnd": "2030-12-11T09:00" })).unwrap();
    assert_eq!(extension["status"], "in_progress");
    let extension_preview = invoke(&app, "preview_incident", json!({ "id": id, "update": null })).unwrap();
    let extension_window = invoke(&app, "maintenance_window", json!({ "id": id })).unwrap();

    // Another maintenance overruns and turns into an incident.
    desk.set_clock(Some(at("2030-12-03T10:00:00+09:00")));
    let (other, _) = drafted(&app, ("検索基盤の更新", "Search platform renewal"), "2030-12-10T23:00", "2030-12-11T02:00");
    invoke(&app, "publish_update", json!({ "id": other, "update": null, "confirmNewIncident": null })).unwrap();
    desk.set_clock(Some(at("2030-12-11T03:10:00+09:00")));
    let other_preview = invoke(&app, "preview_incident", json!({ "id": other, "update": null })).unwrap();
    let incident = invoke(&app, "open_incident_from_maintenance", json!({ "id": other })).unwrap();
    let new_id = incident["incident_id"].as_u64().unwrap();
    let linked_list = invoke(&app, "list_incidents", json!({})).unwrap();
    let linked = |id: u64| linked_list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(linked(other)["links"][0]["incident_id"], new_id);
    assert_eq!(linked(new_id)["links"][0]["relation"], "from_maintenance");
    let incident_preview = invoke(&app, "preview_incident", json!({ "id": new_id, "update": null })).unwrap();
    let again = invoke(&app, "open_incident_from_maintenance", json!({ "id": other })).unwrap_err();
    assert_eq!(again["kind"], "refused");

    let recording = json!({
        "composer": { "id": id, "draft": draft, "window": window, "saved": saved, "backwards": backwards, "unreadable": unreadable, "preview": steady(scheduled_preview) },
        "overrun": { "id": id, "row": row, "preview": steady(preview), "too_early": too_early, "extension": extension, "extension_preview": steady(extension_preview), "extension_window": extension_window },
        "convert": { "id": other, "preview": steady(other_preview), "incident": incident, "new_id": new_id, "maintenance_row": linked(other), "incident_row": linked(new_id), "incident_preview": steady(incident_preview), "again": again },
    });
    keep_recording("maintenance-ipc.json", &recording);
}
