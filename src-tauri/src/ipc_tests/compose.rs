//! The composer: a new incident written, saved, checked as typed and reworded.

use super::{app, invoke};

#[test]
fn a_new_incident_is_written_saved_and_checked_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
    assert_eq!(draft["status"], "investigating");
    let body_ja = draft["body"]["ja"].as_str().unwrap().to_string();
    assert!(body_ja.contains("■ 発生している現象\n【要記入】"), "{body_ja}");
    let (id, update_id) = (draft["incident_id"].clone(), draft["update_id"].clone());
    // As typed: the markers are still there, so the linter flags them and publishing is blocked.
    let live = invoke(&app, "preview_draft", serde_json::json!({
        "id": id, "status": "investigating", "title": draft["title"], "body": draft["body"], "pages": "per_language",
    })).unwrap();
    assert!(live["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == "placeholder.unfilled"), "{}", live["diagnostics"]);
    assert!(live["publish_blocked"].is_object());
    // Only the pages the pane shows carry HTML; every title is there.
    assert!(live["ja"]["html"].as_str().unwrap().contains("発生している現象"));
    assert_eq!((live["combined"]["html"].as_str(), live["combined"]["title"].as_str().map(str::is_empty)), (Some(""), Some(false)));
    let combined = invoke(&app, "preview_draft", serde_json::json!({
        "id": id, "status": "investigating", "title": draft["title"], "body": draft["body"], "pages": "combined",
    })).unwrap();
    assert!(combined["combined"]["html"].as_str().unwrap().contains("<hr>"), "{}", combined["combined"]);
    assert_eq!(combined["ja"]["html"], "");
    // Autosave: a revision per save, with the version check.
    let body = serde_json::json!({ "ja": body_ja.replace("【要記入】", "ログインできない"), "en": draft["body"]["en"].as_str().unwrap().replace("[TBD]", "Sign-in fails") });
    let title = serde_json::json!({ "ja": "ログイン障害", "en": "Sign-in failures" });
    let saved = invoke(&app, "save_draft", serde_json::json!({
        "id": id, "updateId": update_id, "version": draft["version"], "status": "investigating", "title": title, "body": body,
    })).unwrap();
    assert_eq!(saved["version"], draft["version"].as_u64().unwrap() + 1);
    let stale = invoke(&app, "save_draft", serde_json::json!({
        "id": id, "updateId": update_id, "version": draft["version"], "status": "investigating", "title": title, "body": body,
    })).unwrap_err();
    assert_eq!(stale["kind"], "conflict", "the UI decides by kind: {stale}");
    assert!(stale["message"].as_str().unwrap().contains("was changed elsewhere"), "{stale}");
    let reopened = invoke(&app, "open_draft", serde_json::json!({ "id": id })).unwrap();
    assert_eq!(reopened["version"], saved["version"]);
    assert!(reopened["body"]["ja"].as_str().unwrap().contains("ログインできない"));
    assert_eq!(reopened["title"]["en"], "Sign-in failures");
    let shown = invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(shown["en"]["title"], "Sign-in failures");
    assert_eq!(shown["timeline"][0]["published"], false);
}

#[test]
fn a_drafts_findings_point_into_the_text_as_typed_and_a_new_status_rewords_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
    let id = draft["incident_id"].clone();
    // Blank lines and trailing spaces that publishing drops come before the bad date.
    let body = serde_json::json!({
        "ja": "現在、以下の障害が発生しております。原因は調査中です。\nご利用中のお客様にはご不便をおかけし、申し訳ございません。\n\n\n■ 発生期間   \n2025/02/30 10:00頃〜現在\n\n■ 発生している現象\n- ログインできない",
        "en": draft["body"]["en"],
    });
    let title = serde_json::json!({ "ja": "ログイン障害が発生しています", "en": "Sign-in is failing" });
    let live = invoke(&app, "preview_draft", serde_json::json!({ "id": id, "status": "investigating", "title": title, "body": body, "pages": "all" })).unwrap();
    let invalid = live["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "date.invalid").expect("date.invalid");
    assert_eq!((invalid["line"].as_u64(), invalid["column"].as_u64(), invalid["end_column"].as_u64()), (Some(6), Some(1), Some(11)), "{invalid}");
    let reworded = invoke(&app, "restatus_draft", serde_json::json!({ "id": id, "from": "investigating", "to": "resolved", "title": title, "body": body })).unwrap();
    let ja = reworded["body"]["ja"].as_str().unwrap();
    assert!(ja.starts_with("以下の障害は解消いたしました。"), "{ja}");
    assert!(ja.contains("■ 発生した現象\n- ログインできない"), "{ja}");
    assert_eq!(reworded["title"]["ja"], "ログイン障害が発生していました");
    assert_eq!(reworded["title"]["en"], "Sign-in was failing");
    let wrong = invoke(&app, "restatus_draft", serde_json::json!({ "id": id, "from": "investigating", "to": "completed", "title": title, "body": body })).unwrap_err();
    assert!(wrong["message"].as_str().unwrap().contains("completed is not one of this incident's statuses"), "{wrong}");
}


/// In the Japanese UI (the default) a refusal reads in Japanese, and every
/// failure carries its kind.
#[test]
fn the_japanese_ui_gets_japanese_refusals_with_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    let app = super::app_in(dir.path(), "aiko", desk_model::Lang::Ja);
    let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
    // A reason of spaces: refused as wrong input, naming the field, in Japanese.
    let blank = invoke(&app, "publish_emergency", serde_json::json!({ "id": draft["incident_id"], "update": null, "reason": " " })).unwrap_err();
    assert_eq!((blank["kind"].as_str(), blank["field"].as_str()), (Some("invalid"), Some("reason")), "{blank}");
    assert!(blank["message"].as_str().unwrap().contains("理由"), "{blank}");
    // Publishing a draft nobody approved (the policy is turned off): the store's refusal, in Japanese.
    let store = tauri::Manager::state::<desk_app::Desk>(&app).store.clone();
    tauri::async_runtime::block_on(store.set_emergency_policy(&[])).unwrap();
    let ja = draft["body"]["ja"].as_str().unwrap().replace("【要記入】", "ログインできない");
    let en = draft["body"]["en"].as_str().unwrap().replace("[TBD]", "Sign-in fails");
    invoke(&app, "save_draft", serde_json::json!({
        "id": draft["incident_id"], "updateId": draft["update_id"], "version": draft["version"], "status": "investigating",
        "title": { "ja": "ログイン障害", "en": "Sign-in failures" }, "body": { "ja": ja, "en": en },
    }))
    .unwrap();
    let refused = invoke(&app, "publish_update", serde_json::json!({ "id": draft["incident_id"], "update": null })).unwrap_err();
    assert_eq!(refused["kind"], "refused", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("承認"), "{message}");
    assert!(!message.contains("publish refused"), "still English: {message}");
    // The same refusal in the English UI.
    invoke(&app, "set_ui_language", serde_json::json!({ "lang": "en" })).unwrap();
    let english = invoke(&app, "publish_update", serde_json::json!({ "id": draft["incident_id"], "update": null })).unwrap_err();
    assert!(english["message"].as_str().unwrap().contains("no approval by someone other than its author"), "{english}");
}

/// Whether subscribers are notified is the author's choice per update, else
/// the organisation's default for its status; the confirmation shows it.
#[test]
fn the_author_chooses_whether_subscribers_are_notified() {
    let dir = tempfile::tempdir().unwrap();
    let app = super::app_as(dir.path(), "aiko");
    let (id, update_id, version) = super::review::written(&app, "ログインできない", "Sign-in fails");
    let draft = invoke(&app, "open_draft", serde_json::json!({ "id": id })).unwrap();
    assert_eq!((draft["notify"].clone(), draft["quiet_statuses"].clone()), (serde_json::json!(null), serde_json::json!([])));
    let plan = invoke(&app, "publish_plan", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(plan["deliver_notifications"], true, "the default: every status notifies");
    // The organisation makes "investigating" quiet by default; the author then says to notify.
    let mut settings = invoke(&app, "get_settings", serde_json::json!({})).unwrap()["publishing"].clone();
    settings["quiet_statuses"] = serde_json::json!(["investigating"]);
    invoke(&app, "save_publish_settings", serde_json::json!({ "settings": settings })).unwrap();
    assert_eq!(invoke(&app, "open_draft", serde_json::json!({ "id": id })).unwrap()["quiet_statuses"], serde_json::json!(["investigating"]));
    let plan = invoke(&app, "publish_plan", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(plan["deliver_notifications"], false, "the organisation's default for the status");
    invoke(&app, "save_draft", serde_json::json!({
        "id": id, "updateId": update_id, "version": version, "status": "investigating",
        "title": draft["title"], "body": draft["body"], "notify": true,
    }))
    .unwrap();
    assert_eq!(invoke(&app, "open_draft", serde_json::json!({ "id": id })).unwrap()["notify"], true);
    let plan = invoke(&app, "publish_plan", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(plan["deliver_notifications"], true, "the author's choice wins: {plan}");
}
