//! The list, the preview of any update, publishing.

use super::{app, app_as, id_of, invoke};

#[test]
fn the_list_holds_every_sample_open_ones_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let list = invoke(&app, "list_incidents", serde_json::json!({})).unwrap();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 7);
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
