//! The list's search through the real commands on the samples, and what the
//! UI's component tests are answered (ui/tests/search.test.mjs, through
//! ui/tests/fixtures/search-ipc.json): a Japanese word, two words, a word
//! with filters, a word found nowhere, a refused date, and the preview of a
//! hit with its words marked. `UPDATE_UI_FIXTURES=1` rewrites the recording.

use desk_model::Lang;
use serde_json::{json, Value};

use super::{app_in, invoke, keep_recording};

/// A request as the UI sends it.
fn request(query: &str, status: Value, kind: Value, from: Value, to: Value) -> Value {
    json!({ "query": query, "status": status, "kind": kind, "from": from, "to": to, "offset": 0, "limit": 50 })
}

#[test]
fn recorded_search_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path(), "tester", Lang::Ja);
    let requests = [
        request("配信", Value::Null, Value::Null, Value::Null, Value::Null),
        request("障害 ログイン", Value::Null, Value::Null, Value::Null, Value::Null),
        request("障害", json!("resolved"), json!("incident"), Value::Null, Value::Null),
        request("", Value::Null, json!("maintenance"), Value::Null, Value::Null),
        request("ずっと先", Value::Null, Value::Null, Value::Null, Value::Null),
    ];
    let mut answers = Vec::new();
    for r in &requests {
        let found = invoke(&app, "search_incidents", json!({ "request": r })).unwrap();
        answers.push(json!({ "request": r, "answer": found }));
    }
    let delayed = &answers[0]["answer"];
    let first = delayed["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["incident"]["title"]["ja"].as_str().unwrap().contains("配信"))
        .unwrap_or_else(|| panic!("a title with the word: {delayed:#}"));
    assert_eq!(first["title_matches"]["ja"][0]["end"].as_u64().unwrap() - first["title_matches"]["ja"][0]["start"].as_u64().unwrap(), 2);
    assert!(answers[2]["answer"]["hits"].as_array().unwrap().iter().all(|h| h["incident"]["kind"] == "incident"));
    assert!(answers[3]["answer"]["hits"].as_array().unwrap().iter().all(|h| h["incident"]["kind"] == "maintenance"));
    assert_eq!(answers[4]["answer"]["hits"], json!([]));

    let refused = invoke(&app, "search_incidents", json!({ "request": request("", Value::Null, Value::Null, json!("6/1"), Value::Null) })).unwrap_err();
    assert_eq!((refused["kind"].as_str(), refused["field"].as_str()), (Some("invalid"), Some("from")), "{refused:#}");

    let id = first["incident"]["id"].clone();
    let preview = invoke(&app, "preview_search_match", json!({ "id": id, "update": null, "query": "配信" })).unwrap();
    assert!(preview["ja"]["html"].as_str().unwrap().contains("<mark>配信</mark>"), "{preview:#}");

    // Similar past incidents for a new draft that repeats a sample's sentences (the composer's section).
    let draft = invoke(&app, "new_incident", json!({ "kind": "incident" })).unwrap();
    let body = json!({ "ja": "- Kumo Mailをご利用中のすべてのお客様\n- ログイン画面で「認証に失敗しました」と表示され、ログインできない", "en": "" });
    let similar = invoke(&app, "similar_incidents", json!({ "id": draft["incident_id"], "body": body, "limit": 5 })).unwrap();
    let best = &similar[0];
    assert!(best["incident"]["title"]["ja"].as_str().unwrap().contains("ログイン"), "{similar:#}");
    let best_preview = invoke(&app, "preview_incident", json!({ "id": best["incident"]["id"], "update": null })).unwrap();

    let recording = json!({
        "searches": answers,
        "refused": { "from": "6/1", "error": refused },
        "preview": { "id": id, "query": "配信", "answer": preview },
        "similar": { "id": draft["incident_id"], "body": body, "answer": similar, "preview": best_preview },
    });
    keep_recording("search-ipc.json", &recording);
}
