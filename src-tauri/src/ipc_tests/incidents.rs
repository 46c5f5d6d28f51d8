//! The list, the preview of any update, publishing.

use super::{app, app_as, id_of, invoke};

#[test]
fn the_list_holds_every_sample_open_ones_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let list = invoke(&app, "list_incidents", serde_json::json!({})).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let open: Vec<bool> = rows.iter().map(|r| r["open"].as_bool().unwrap()).collect();
    assert!(open.windows(2).all(|w| w[0] >= w[1]), "open incidents come first: {open:?}");
    let login = rows.iter().find(|r| r["title"]["en"] == "[Resolved] Sign-in to Kumo Mail was failing").unwrap();
    assert_eq!(login["title"]["ja"], "【解決済み】Kumo Mailにログインできない障害が発生していました");
    assert_eq!(login["status"], "resolved");
    assert_eq!(login["period"]["ja"], "2025/03/04 09:12頃〜10:47頃");
}

#[test]
fn a_preview_is_sanitized_html_in_both_languages_with_the_linters_findings() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let id = id_of(&app, "ログインできない");
    let p = invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": 0 })).unwrap();
    assert_eq!(p["update_index"], 0);
    assert_eq!(p["timeline"].as_array().unwrap().len(), 4);
    assert!(p["ja"]["html"].as_str().unwrap().contains("■ 発生している現象"));
    assert!(p["en"]["html"].as_str().unwrap().contains("■ What is happening"));
    assert!(p["combined"]["html"].as_str().unwrap().contains("<hr>"));
    assert_eq!(p["timeline"][3]["at"]["ja"], "2025/03/04 11:35");
    assert_eq!(p["diagnostics"].as_array().unwrap().len(), 0, "{}", p["diagnostics"]);
    assert!(p["publish_blocked"].is_null());
}

#[test]
fn publishing_goes_to_the_sandbox_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (app, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    let id = super::review::approved(&app, &ben);
    let first = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(first["all_done"], true, "{first}");
    let url = first["pages"][0]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let again = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(again["pages"][0]["already"], true, "{again}");
    assert!(again["pages"][0]["summary"]["en"].as_str().unwrap().contains("Already published"), "{again}");
    assert_eq!(again["pages"][0]["url"], url.as_str());
    let target = invoke(&app, "publish_target", serde_json::json!({})).unwrap();
    assert_eq!(target["sandbox"], true);
}

#[test]
fn unknown_incidents_are_an_error_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let err = invoke(&app, "preview_incident", serde_json::json!({ "id": 9999, "update": null })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("9999"), "{err}");
}

/// Imported history is known to be published: an incident from a Statuspage
/// export keeps its remote incident, so its next update goes to that same
/// incident; one imported from text is on no page, and publishing it asks
/// first (a new incident, subscribers notified), sending nothing until asked.
#[test]
fn imported_history_is_known_to_be_published() {
    use desk_app::ErrorKind;
    use desk_statuspage::{ApiKey, Client, ClientConfig, IncidentFields};
    use desk_store::{ListQuery, NewIncident};

    let dir = tempfile::tempdir().unwrap();
    let desk = super::desk_as(dir.path(), "aiko");
    tauri::async_runtime::block_on(async {
        let store = &desk.store;
        let stored = store.load_incidents(&ListQuery::default()).await.unwrap();
        let sample = stored.iter().find(|s| s.updates.len() >= 2 && s.title.en.contains("timing out")).expect("a sample with two updates");
        let mut history = sample.to_incident();
        let next = history.updates.pop().unwrap();
        history.updates.truncate(1);
        let sandbox = desk.publishing.sandbox_server().unwrap();
        let sent = || sandbox.incidents("sandbox");

        // Exported from the page: the incident is there already.
        let client = Client::new(ClientConfig::new(sandbox.api_base()), ApiKey::new("local-sandbox").unwrap()).unwrap();
        let fields = IncidentFields { name: Some("exported".into()), body: Some("first".into()), status: Some("investigating".into()), ..Default::default() };
        let remote = client.create_incident("sandbox", &fields).await.unwrap();
        let exported = NewIncident { incident: history.clone(), source: "statuspage-json".into(), external_id: Some(remote.id.clone()), opened_at: None };
        let mut text = history.clone();
        text.title.ja.push_str("（テキスト）");
        text.title.en.push_str(" (text)");
        let from_text = NewIncident { incident: text, source: "flattened-text".into(), external_id: Some("fingerprint-1".into()), opened_at: None };
        store.import(&[exported, from_text], "aiko").await.unwrap();
        let imported = store.load_incidents(&ListQuery::default()).await.unwrap();
        let id_of_source = |source: &str| imported.iter().find(|s| s.source == source).unwrap().id;
        let (json_id, text_id) = (id_of_source("statuspage-json"), id_of_source("flattened-text"));

        store.new_draft(json_id, &next, "aiko").await.unwrap();
        let out = desk_app::publish::publish_update(&desk, json_id as u32, None, None, false).await.unwrap();
        assert!(out.all_done, "{out:?}");
        assert_eq!(sent().len(), 1, "the update went to the exported incident, not a new one");
        assert_eq!(sent()[0]["id"], remote.id.as_str());
        assert_eq!(sent()[0]["incident_updates"].as_array().unwrap().len(), 2);

        store.new_draft(text_id, &next, "aiko").await.unwrap();
        let asked = desk_app::publish::publish_update(&desk, text_id as u32, None, None, false).await.unwrap_err();
        assert_eq!((asked.kind, asked.field.as_deref()), (ErrorKind::Refused, Some("confirm_new_incident")), "{asked:?}");
        assert!(asked.message.en.contains("imported from text"), "{}", asked.message.en);
        assert_eq!(sent().len(), 1, "nothing sent before the author agrees");
        let out = desk_app::publish::publish_update(&desk, text_id as u32, None, None, true).await.unwrap();
        assert!(out.all_done, "{out:?}");
        assert_eq!(sent().len(), 2, "a new incident on the page, as agreed");
    });
}
