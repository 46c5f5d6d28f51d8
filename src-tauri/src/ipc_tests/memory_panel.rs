//! What the composer's translation-memory panel is answered in the UI's
//! component tests (ui/tests/memory.test.mjs, through
//! ui/tests/fixtures/memory-ipc.json): the real commands on the samples,
//! whose published updates are the memory. A new incident's draft repeats a
//! sample's Japanese item with other numbers; suggest_translation is asked
//! with the caret in it and on its heading; the first suggestion is inserted
//! over the English placeholder, recorded, and memory_marks asked about the
//! text with it. `UPDATE_UI_FIXTURES=1` rewrites the recording.

use std::path::Path;

use desk_model::Lang;
use serde_json::json;

use super::{app_in, invoke};

/// The draft's texts: line 4 of the Japanese is a sample's item with 45 seconds and a 503; line 4 of the English its counterpart, a placeholder.
const JA: &str = "■ 発生している現象\n現在、以下の障害が発生しております。\n\n- 一部のリクエストが45秒でタイムアウトし、503エラーが返る";
const EN: &str = "■ What is happening\nWe are investigating the issue described below.\n\n- TBD";

#[test]
fn recorded_memory_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path(), "tester", Lang::Ja);
    let draft = invoke(&app, "new_incident", json!({ "kind": "incident" })).unwrap();
    let (id, update_id) = (draft["incident_id"].clone(), draft["update_id"].clone());
    let body = json!({ "ja": JA, "en": EN });
    let title = json!({ "ja": "APIのタイムアウト", "en": "API timeouts" });
    let saved = invoke(
        &app,
        "save_draft",
        json!({ "id": id, "updateId": update_id, "version": draft["version"], "status": "investigating", "title": title, "body": body, "notify": null }),
    )
    .unwrap();

    // The caret at the end of the remembered item, then on the heading.
    let item = JA.lines().nth(3).unwrap();
    let help = invoke(&app, "suggest_translation", json!({ "id": id, "body": body, "from": "ja", "line": 4, "column": item.chars().count() + 1 })).unwrap();
    let heading = invoke(&app, "suggest_translation", json!({ "id": id, "body": body, "from": "ja", "line": 1, "column": 3 })).unwrap();
    let best = &help["suggestions"][0];
    assert_eq!(help["segment"]["line"], 4, "the item under the caret: {help:#}");
    assert!(best["text"].as_str().unwrap().contains("45 seconds"), "the new number carried over: {help:#}");
    assert_eq!(help["target"], json!({ "line": 4, "column": 3, "end_line": 4, "end_column": 6 }), "the placeholder item is the place: {help:#}");

    // Inserted over the placeholder, recorded, and marked in the text that has it.
    let inserted = EN.replace("TBD", best["text"].as_str().unwrap());
    let with_insert = json!({ "ja": JA, "en": inserted });
    invoke(&app, "record_memory_insert", json!({ "updateId": update_id, "lang": "en", "text": best["text"], "source": best["source"] })).unwrap();
    let marks = invoke(&app, "memory_marks", json!({ "updateId": update_id, "body": with_insert })).unwrap();
    assert_eq!(marks.as_array().unwrap().len(), 1, "{marks:#}");

    let recording = json!({
        "draft": { "incident_id": id, "update_id": update_id, "version": saved["version"], "title": title, "body": body },
        "line": 4,
        "help": help,
        "heading": heading,
        "with_insert": with_insert,
        "marks": marks,
    });
    let text = serde_json::to_string_pretty(&recording).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/memory-ipc.json");
    if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == text, "ui/tests/fixtures/memory-ipc.json is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
}
