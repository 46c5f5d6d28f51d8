//! An approval covers the request that is sent: templates saved after it, or
//! a new organisation default for notifying subscribers, refuse the publish.

use desk_app::Desk;
use serde_json::{json, Value};
use tauri::Manager;

use super::{app_as, invoke};

type App = tauri::App<tauri::test::MockRuntime>;

/// aiko writes a new incident and asks for review; ben approves it: (id, the approver's review item).
fn approved(aiko: &App, ben: &App) -> (Value, Value) {
    let draft = invoke(aiko, "new_incident", json!({ "kind": "incident" })).unwrap();
    let body = json!({
        "ja": draft["body"]["ja"].as_str().unwrap().replace("【要記入】", "ログインできない"),
        "en": draft["body"]["en"].as_str().unwrap().replace("[TBD]", "Sign-in fails"),
    });
    let saved = invoke(aiko, "save_draft", json!({
        "id": draft["incident_id"], "updateId": draft["update_id"], "version": draft["version"],
        "status": "investigating", "title": { "ja": "ログイン障害", "en": "Sign-in failures" }, "body": body,
    }))
    .unwrap();
    let (update_id, rev) = (draft["update_id"].clone(), saved["version"].clone());
    invoke(aiko, "request_review", json!({ "updateId": update_id, "revision": rev })).unwrap();
    let item = invoke(ben, "approve_revision", json!({ "updateId": update_id, "revision": rev })).unwrap();
    assert_eq!(item["stage"], "approved");
    (draft["incident_id"].clone(), item)
}

fn sent(app: &App) -> usize {
    app.state::<Desk>().publishing.sandbox_server().unwrap().incidents("sandbox").len()
}

fn publish(app: &App, id: &Value) -> Result<Value, String> {
    invoke(app, "publish_update", json!({ "id": id, "update": null })).map_err(|e| {
        assert_eq!(e["kind"], "refused", "{e}");
        e["message"].as_str().unwrap_or_default().to_string()
    })
}

/// The publish is refused as no longer covered by its approval, and nothing reached the sandbox: the message.
fn refused_and_nothing_sent(app: &App, id: &Value) -> String {
    let refused = publish(app, id).unwrap_err();
    assert!(refused.contains("the approval no longer covers what would be sent, so nothing was sent"), "{refused}");
    assert!(refused.ends_with("Ask for a new approval"), "{refused}");
    assert_eq!(sent(app), 0, "nothing reached the sandbox");
    refused
}

#[test]
fn a_template_saved_after_the_approval_refuses_the_publish_and_names_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    let (id, _) = approved(&aiko, &ben);
    invoke(&aiko, "save_template", json!({
        "path": "incident/investigating.en.md", "source": "title: [Investigating] {{title}}\n---\nWe are looking into it.\n",
        "expectedVersion": 0, "note": "after the approval",
    }))
    .unwrap();
    let refused = refused_and_nothing_sent(&aiko, &id);
    assert!(refused.contains("the combined body") || refused.contains("the combined title"), "{refused}");
}

#[test]
fn a_new_notification_default_after_the_approval_refuses_the_publish() {
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    let (id, item) = approved(&aiko, &ben);
    assert_eq!((item["deliver_notifications"].clone(), item["notify_chosen_by_author"].clone()), (json!(true), json!(false)));
    invoke(&aiko, "save_publish_settings", json!({ "settings": {
        "mode": "combined", "page_id": "", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}, "quiet_statuses": ["investigating"],
    }}))
    .unwrap();
    let shown = invoke(&ben, "review_item", json!({ "updateId": item["update_id"] })).unwrap();
    assert_eq!(shown["deliver_notifications"], false, "the approver sees who will be notified now");
    let refused = refused_and_nothing_sent(&aiko, &id);
    assert!(refused.contains("Changed since the approval: deliver_notifications: true → false."), "{refused}");
}

#[test]
fn an_unchanged_request_is_published_on_its_approval() {
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    let (id, _) = approved(&aiko, &ben);
    let out = publish(&aiko, &id).unwrap();
    assert_eq!(out["all_done"], true, "{out}");
    assert_eq!(sent(&aiko), 1);
}
