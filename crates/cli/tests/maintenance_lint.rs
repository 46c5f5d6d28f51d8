//! `desk lint` on a maintenance document: the window's checks, placed at
//! the `[updates.maintenance]` line of the update that gave the window.

use std::process::Command;

use serde_json::Value;

const DOC: &str = r#"kind = "maintenance"
title = { ja = "メール基盤の更新", en = "Mail platform renewal" }

[[components]]
name = "Kumo Mail"
status = "under_maintenance"

[[updates]]
status = "scheduled"
[updates.ja]
scope = "- Kumo Mailをご利用中のすべてのお客様"
[updates.en]
scope = "- All Kumo Mail customers"
[updates.maintenance]
start = 2099-12-10T22:00:00+09:00
end = 2099-12-11T06:00:00+09:00
remind_before_minutes = 60
"#;

fn lint(doc: &str, name: &str) -> (i32, Vec<Value>) {
    let dir = std::env::temp_dir().join(format!("desk-maintenance-lint-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("maintenance.toml");
    std::fs::write(&file, doc).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(["lint", "--format", "json", file.to_str().unwrap()])
        .env("DESK_UI_LANG", "en")
        .env_remove("DESK_DB")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), v["diagnostics"].as_array().unwrap().clone())
}

#[test]
fn a_window_ending_before_it_starts_is_found_at_its_table() {
    let (_, clean) = lint(DOC, "clean");
    let maintenance: Vec<_> = clean.iter().filter(|d| d["code"].as_str().unwrap().starts_with("maintenance.")).collect();
    assert!(maintenance.is_empty(), "{clean:#?}");

    let (code, found) = lint(&DOC.replace("end = 2099-12-11T06:00:00+09:00", "end = 2099-12-10T21:00:00+09:00"), "backwards");
    let order: Vec<_> = found.iter().filter(|d| d["code"] == "maintenance.order").collect();
    assert_eq!(order.len(), 1, "{found:#?}");
    assert_eq!(order[0]["line"], 14, "the [updates.maintenance] line: {:#}", order[0]);
    assert_eq!(order[0]["severity"], "error");
    assert_ne!(code, 0);
}
