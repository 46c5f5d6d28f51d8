//! The translation memory's commands through the IPC, on the samples: a
//! suggestion for the sentence under the cursor with its new figure, where it
//! goes in the English body, an insert recorded and marked until edited,
//! similar incidents; a malformed request is refused as invalid.

use super::{app, id_of, invoke};

#[test]
fn the_composer_gets_suggestions_places_marks_and_similar_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let sample = id_of(&app, "メール配信に遅延");
    let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
    let (id, update_id) = (draft["incident_id"].clone(), draft["update_id"].clone());
    let body = serde_json::json!({ "ja": "■ 発生している現象\n- 配信の開始が最大で15分ほど遅れている\n", "en": "■ What is happening\n-\n" });

    let help = invoke(&app, "suggest_translation", serde_json::json!({ "id": id, "body": body, "from": "ja", "line": 2, "column": 5 })).unwrap();
    assert_eq!(help["text"], "配信の開始が最大で15分ほど遅れている");
    assert_eq!(help["segment"], serde_json::json!({ "line": 2, "column": 3, "end_line": 2, "end_column": 22 }));
    let top = &help["suggestions"][0];
    assert_eq!(top["text"], "Sends start up to 15 minutes late");
    assert_eq!(top["source"]["incident"].as_u64(), Some(sample));
    assert_eq!(top["source"]["lang"], "en");
    assert_eq!(top["complete"], true);
    // The English item is a bare `-`: the suggestion goes after it, with a space.
    assert_eq!(help["target"], serde_json::json!({ "line": 2, "column": 2, "end_line": 2, "end_column": 2 }));
    assert_eq!(help["target_prefix"], " ");

    let inserted = serde_json::json!({ "ja": body["ja"], "en": "■ What is happening\n- Sends start up to 15 minutes late\n" });
    invoke(&app, "record_memory_insert", serde_json::json!({ "updateId": update_id, "lang": "en", "text": top["text"], "source": top["source"] })).unwrap();
    let marks = invoke(&app, "memory_marks", serde_json::json!({ "updateId": update_id, "body": inserted })).unwrap();
    assert_eq!(marks[0]["span"], serde_json::json!({ "line": 2, "column": 3, "end_line": 2, "end_column": 36 }));
    assert_eq!(marks[0]["source"], top["source"]);
    let edited = serde_json::json!({ "ja": body["ja"], "en": "■ What is happening\n- Sends start up to 20 minutes late\n" });
    assert_eq!(invoke(&app, "memory_marks", serde_json::json!({ "updateId": update_id, "body": edited })).unwrap(), serde_json::json!([]));

    let similar = invoke(&app, "similar_incidents", serde_json::json!({ "id": id, "body": body, "limit": 3 })).unwrap();
    assert_eq!(similar[0]["incident"]["id"].as_u64(), Some(sample), "{similar}");
    assert!(similar[0]["shared"].as_str().unwrap().contains("配信の開始"), "{similar}");

    let refused = invoke(&app, "record_memory_insert", serde_json::json!({ "updateId": update_id, "lang": "en", "text": " ", "source": top["source"] })).unwrap_err();
    assert_eq!(refused["kind"], "invalid", "{refused}");
}
