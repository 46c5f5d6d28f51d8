//! The template library and its editor.

use std::path::Path;

use serde_json::{json, Value};
use tauri::Manager;

use desk_app::Desk;

use super::{app, invoke};

type App = tauri::App<tauri::test::MockRuntime>;

fn sample(app: &App) -> Value {
    invoke(app, "template_samples", json!({})).unwrap()[0]["fields"].clone()
}

fn source(app: &App, status: &str) -> Value {
    invoke(app, "load_template", json!({ "status": status })).unwrap()["source"].clone()
}

#[test]
fn the_library_lists_every_status_in_both_languages_built_in_at_first() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let rows = invoke(&app, "list_templates", json!({})).unwrap();
    let statuses: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["investigating", "identified", "monitoring", "resolved", "postmortem", "scheduled", "in_progress", "verifying", "completed"]);
    assert_eq!(rows[3]["ja"]["path"], "incident/resolved.ja.md");
    assert_eq!(rows[3]["ja"]["version"], 0);
    assert_eq!(rows[3]["status_label"]["ja"], "解決済み");
}

#[test]
fn placeholder_errors_come_with_their_ranges_and_block_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut text = source(&app, "resolved");
    let broken = format!("{}{{{{casue}}}}\n{{{{#note}}}}\n", text["ja"].as_str().unwrap());
    let lines = broken.lines().count() as u64;
    text["ja"] = json!(broken);
    let p = invoke(&app, "preview_template", json!({ "status": "resolved", "source": text, "sample": sample(&app), "ui": "ja" })).unwrap();
    assert_eq!(p["savable"], false);
    let problems = p["ja"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!((problems[0]["line"].as_u64(), problems[0]["column"].as_u64()), (Some(lines - 1), Some(1)));
    assert_eq!(problems[0]["end_column"], 10);
    assert!(problems[0]["message"].as_str().unwrap().contains("`casue` is not a field"), "{problems:#?}");
    assert!(problems[1]["message"].as_str().unwrap().contains("never closed"), "{problems:#?}");
    assert_eq!(p["en"]["problems"], json!([]));
    // A best-effort preview is still shown, sanitized.
    assert!(p["ja"]["html"].as_str().unwrap().contains("■ 原因"));

    let refused = invoke(&app, "save_template", json!({
        "path": "incident/resolved.ja.md", "source": broken, "expectedVersion": 0, "note": "",
    }))
    .unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("casue"), "{refused}");
    assert_eq!(invoke(&app, "template_history", json!({ "path": "incident/resolved.ja.md" })).unwrap(), json!([]));
}

#[test]
fn the_linter_reads_the_filled_preview() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let text = json!({ "ja": "title: {{title}}\n---\n2025/02/30 10:00頃に復旧しました。\n", "en": "title: {{title}}\n---\nRecovered.\n" });
    let p = invoke(&app, "preview_template", json!({ "status": "resolved", "source": text, "sample": sample(&app), "ui": "en" })).unwrap();
    let findings = p["ja"]["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["severity"] == "error" && f["message"].as_str().unwrap().contains("date.invalid")), "{findings:#?}");
    assert_eq!(p["savable"], true, "lint findings are advice, not template problems");
}

#[test]
fn the_preview_follows_every_change_of_text_sample_and_library() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let mut sample = sample(&app);
    let ask = |source: Value, sample: &Value| {
        invoke(&app, "preview_template", json!({ "status": "resolved", "source": source, "sample": sample, "ui": "ja" })).unwrap()
    };
    let first = ask(Value::Null, &sample);
    assert!(first["ja"]["html"].as_str().unwrap().contains("■ 原因"));
    sample["text"]["ja"]["cause"] = json!("サンプルで書き換えた原因");
    assert!(ask(Value::Null, &sample)["ja"]["html"].as_str().unwrap().contains("サンプルで書き換えた原因"));
    let text = json!({ "ja": "title: {{title}}\n---\n書きかけ\n", "en": source(&app, "resolved")["en"] });
    let typed = ask(text.clone(), &sample);
    assert_eq!(typed["ja"]["html"], "<p>書きかけ</p>\n");
    assert_eq!(typed["en"], first["en"], "the untouched language is the same answer");
    invoke(&app, "save_template", json!({ "path": "incident/resolved.ja.md", "source": "title: {{title}}\n---\n保存済み\n", "expectedVersion": 0, "note": "" })).unwrap();
    assert_eq!(ask(Value::Null, &sample)["ja"]["html"], "<p>保存済み</p>\n", "the active text after a save");
}

#[test]
fn saves_are_versions_with_who_and_rollback_restores_any_version() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let path = "incident/identified.en.md";
    let original = source(&app, "identified")["en"].as_str().unwrap().to_string();
    let first = format!("{original}First change.\n");
    let v1 = invoke(&app, "save_template", json!({ "path": path, "source": first, "expectedVersion": 0, "note": "one" })).unwrap();
    assert_eq!((v1["version"].as_u64(), v1["author"].as_str()), (Some(1), Some("tester")));
    let v2 = invoke(&app, "save_template", json!({ "path": path, "source": "title: {{title}}\n---\nSecond.\n", "expectedVersion": 1, "note": "" })).unwrap();
    assert_eq!(v2["version"], 2);
    // An editor still on version 1 is told, and nothing is saved.
    let stale = invoke(&app, "save_template", json!({ "path": path, "source": "title: x\n---\n", "expectedVersion": 1, "note": "" })).unwrap_err();
    assert!(!stale["message"].as_str().unwrap().is_empty());
    let history = invoke(&app, "template_history", json!({ "path": path })).unwrap();
    assert_eq!(history.as_array().unwrap().iter().map(|v| v["version"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 1]);
    assert!(!history[0]["saved_at"]["ja"].as_str().unwrap().is_empty());

    let back = invoke(&app, "rollback_template", json!({ "path": path, "version": 1 })).unwrap();
    assert_eq!((back["version"].as_u64(), back["source"].as_str()), (Some(3), Some(first.as_str())));
    assert_eq!(source(&app, "identified")["en"], first.as_str());
    invoke(&app, "rollback_template", json!({ "path": path, "version": 0 })).unwrap();
    assert_eq!(source(&app, "identified")["en"], original.as_str());
    let row = &invoke(&app, "list_templates", json!({})).unwrap()[1];
    assert_eq!((row["en"]["version"].as_u64(), row["en"]["author"].as_str()), (Some(4), Some("tester")));
}

#[test]
fn the_composer_writes_from_the_saved_template_and_records_its_revision() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let draft = invoke(&app, "new_incident", json!({ "kind": "incident" })).unwrap();
    let ja = source(&app, "resolved")["ja"].as_str().unwrap().replace("■ 原因", "■ 原因（社内調査の結果）");
    assert!(ja.contains("社内調査"));
    let saved = invoke(&app, "save_template", json!({ "path": "incident/resolved.ja.md", "source": ja, "expectedVersion": 0, "note": "" })).unwrap();
    let resolved = invoke(&app, "start_update", json!({ "id": draft["incident_id"], "status": "resolved" })).unwrap();
    assert!(resolved["body"]["ja"].as_str().unwrap().contains("■ 原因（社内調査の結果）"), "{}", resolved["body"]["ja"]);

    let store = app.state::<Desk>().store.clone();
    let (first, second) = (draft["update_id"].as_i64().unwrap(), resolved["update_id"].as_i64().unwrap());
    tauri::async_runtime::block_on(async {
        assert_eq!(store.update_template_revision(first).await.unwrap(), Some(0), "written from the built-in texts");
        let revision = store.update_template_revision(second).await.unwrap().unwrap();
        assert_eq!(revision, store.library_revision().await.unwrap());
        let then = store.template_set_at(revision).await.unwrap();
        assert_eq!(then.get(desk_model::Status::Resolved, desk_model::Lang::Ja).source, saved["source"].as_str().unwrap());
    });
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    desk_templates::library_paths().into_iter().map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap())).collect()
}

#[test]
fn export_then_import_loses_nothing_and_a_broken_folder_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = app(dir.path());
    let edited = "title: {{title}}\r\n---\r\n調査しています。  \r\n\r\n";
    invoke(&first, "save_template", json!({ "path": "incident/investigating.ja.md", "source": edited, "expectedVersion": 0, "note": "" })).unwrap();
    let out = dir.path().join("library");
    let count = invoke(&first, "export_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
    assert_eq!(count, 19);
    let exported = read_all(&out);
    assert_eq!(std::fs::read(out.join("incident/investigating.ja.md")).unwrap(), edited.as_bytes());

    // Into a fresh app: the same library, byte for byte.
    let other_dir = tempfile::tempdir().unwrap();
    let other = app(other_dir.path());
    let imported = invoke(&other, "import_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
    assert_eq!(imported["problems"], json!([]));
    assert_eq!(imported["saved"].as_array().unwrap().len(), 1, "only the edited file differs from the built-in text");
    let again = other_dir.path().join("again");
    invoke(&other, "export_templates", json!({ "dir": again.to_str().unwrap() })).unwrap();
    assert_eq!(read_all(&again), exported);

    std::fs::write(out.join("incident/resolved.en.md"), "title: {{title}}\n---\n{{causes}}\n").unwrap();
    std::fs::write(out.join("incident/monitoring.en.md"), "title: fine\n---\nWatching.\n").unwrap();
    let refused = invoke(&other, "import_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
    assert_eq!(refused["saved"], json!([]));
    assert_eq!(refused["problems"][0], "incident/resolved.en.md:3:1: `causes` is not a field; the fields are: title, status, impact, period, next_update, components, scope, features, symptoms, cause, actions, prevention, customer_action, note, timeline, compensation, resolved_prefix, completed_prefix, organisation");
    assert_eq!(invoke(&other, "template_history", json!({ "path": "incident/monitoring.en.md" })).unwrap(), json!([]));
    let relative = invoke(&other, "export_templates", json!({ "dir": "library" })).unwrap_err();
    assert!(relative["message"].as_str().unwrap().contains("full path"), "{relative}");
}

#[test]
fn the_pages_incident_templates_are_imported_as_a_starting_point() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let state = app.state::<Desk>();
    let sandbox = state.publishing.sandbox_server().unwrap();
    let page = state.publishing.current().unwrap().first_page().to_string();
    sandbox.add_template(&page, "調査開始", "サービスに接続しにくい状態です", "ただいま原因を調査しております。", Some("investigating"), &[]).unwrap();
    sandbox.add_template(&page, "No status", "Something", "Text", None, &[]).unwrap();
    let done = invoke(&app, "import_statuspage_templates", json!({})).unwrap();
    assert_eq!(done["found"], 2);
    assert_eq!(done["saved"][0]["path"], "incident/investigating.ja.md");
    assert!(done["saved"][0]["note"].as_str().unwrap().contains("調査開始"));
    assert!(done["skipped"][0].as_str().unwrap().contains("No status"));
    assert_eq!(source(&app, "investigating")["ja"], "title: サービスに接続しにくい状態です\n---\nただいま原因を調査しております。\n");
}

#[test]
fn completion_offers_the_fields_inside_braces() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let c = invoke(&app, "template_completions", json!({ "source": "title: x\n---\n{{ca", "line": 3, "column": 5 })).unwrap();
    assert_eq!(c["items"][0]["insert"], "cause}}");
    assert_eq!(c["from"], json!({ "line": 3, "column": 3 }));
    assert_eq!(invoke(&app, "template_completions", json!({ "source": "plain", "line": 1, "column": 2 })).unwrap(), Value::Null);
}

/// What the template editor's component tests (ui/tests/templates.test.mjs)
/// replay: these commands' real answers. `UPDATE_UI_FIXTURES=1` rewrites them.
#[test]
fn recorded_template_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let samples = invoke(&app, "template_samples", json!({})).unwrap();
    let mut load = serde_json::Map::new();
    let mut preview = serde_json::Map::new();
    for status in desk_model::Status::ALL {
        let pair = invoke(&app, "load_template", json!({ "status": status })).unwrap();
        let filled = invoke(&app, "preview_template", json!({ "status": status, "source": pair["source"], "sample": samples[0]["fields"], "ui": "ja" })).unwrap();
        load.insert(status.as_str().into(), pair);
        preview.insert(status.as_str().into(), filled);
    }
    // The resolved template with a misspelt field typed at its end.
    let mut broken = load["resolved"]["source"].clone();
    broken["ja"] = json!(format!("{}{{{{casue}}}}", broken["ja"].as_str().unwrap()));
    let broken_preview = invoke(&app, "preview_template", json!({ "status": "resolved", "source": broken, "sample": samples[0]["fields"], "ui": "ja" })).unwrap();
    let recording = json!({
        "list_templates": invoke(&app, "list_templates", json!({})).unwrap(),
        "template_samples": samples,
        "load_template": load,
        "preview_template": preview,
        "broken": { "source": broken, "preview": broken_preview },
        "template_completions": invoke(&app, "template_completions", json!({ "source": "{{", "line": 1, "column": 3 })).unwrap(),
    });
    let text = serde_json::to_string_pretty(&recording).unwrap() + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/templates-ipc.json");
    if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == text, "ui/tests/fixtures/templates-ipc.json is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
}
