//! The log and the diagnostics, with a Statuspage API key set and used
//! through the app's commands: the key's text is in neither. The log here
//! is tauri-plugin-log as the app configures it (desktop.rs: the same
//! levels and format), writing to a folder of the test's instead of the
//! platform's log folder; the app's own lines (trace.rs: each publish) and
//! its dependencies' warnings all pass through it.

use desk_app::Desk;
use tauri::Manager;
use tauri_plugin_log::{Target, TargetKind};

use super::{app_as, desk_with, invoke, Setup};
use crate::desktop::{log, LOG_FILE};
use crate::diagnostics::{gather, text, DatabaseMode, LogFile};

const KEY: &str = "sk-live-7f3a9c41e2d8b6a0";

#[test]
fn the_api_key_is_in_neither_the_log_nor_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    // "Statuspage": a second sandbox that accepts only this key.
    let config = desk_sandbox::SandboxConfig { keys: Some(vec![KEY.into()]), ..Default::default() };
    let statuspage = tauri::async_runtime::block_on(desk_sandbox::Sandbox::start(config)).unwrap();
    let desk = desk_with(dir.path(), Setup { statuspage_base: Some(statuspage.api_base()), ..Setup::new("tester") });
    // The only test that installs the logger: the `log` crate takes one per process.
    let app = tauri::test::mock_builder()
        .plugin(log(Some(Target::new(TargetKind::Folder { path: logs.clone(), file_name: Some(LOG_FILE.into()) }))))
        .invoke_handler(crate::registry::bindings_builder::<tauri::test::MockRuntime>().invoke_handler())
        .manage(desk)
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("the app builds");
    let log_file = logs.join(format!("{LOG_FILE}.log"));
    app.manage(LogFile(log_file.clone()));
    app.manage(DatabaseMode::File(dir.path().join("test.db")));

    invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "combined", "page_id": "sandbox-ja", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}
    }}))
    .unwrap();
    let keyed = invoke(&app, "set_api_key", serde_json::json!({ "key": KEY })).unwrap();
    assert_eq!(keyed["target"]["sandbox"], false, "{keyed}");
    invoke(&app, "fetch_page_components", serde_json::json!({})).unwrap();
    // Someone else approves; the key goes to "Statuspage" with the publish.
    let ben = app_as(dir.path(), "ben");
    let id = super::review::approved(&app, &ben);
    let out = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(out["all_done"], true, "{out}");
    // A refused publish logs its failure too.
    invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).ok();
    ::log::logger().flush();

    let logged = std::fs::read_to_string(&log_file).unwrap();
    assert!(logged.contains("[INFO] publish: "), "the publish was logged:\n{logged}");
    assert!(!logged.contains(KEY), "the key is in the log:\n{logged}");

    let diagnostics = text(&gather(app.handle()));
    assert!(diagnostics.starts_with("Incident Desk 0.1.0\n"), "{diagnostics}");
    assert!(diagnostics.contains("Database: single person (SQLite)"), "{diagnostics}");
    assert!(diagnostics.contains("Publishing to: Statuspage page sandbox-ja"), "{diagnostics}");
    assert!(diagnostics.contains("publish: "), "the log's last lines are in: {diagnostics}");
    assert!(!diagnostics.contains(KEY), "the key is in the diagnostics: {diagnostics}");
    assert!(app.state::<Desk>().publishing.current().is_ok());
}
