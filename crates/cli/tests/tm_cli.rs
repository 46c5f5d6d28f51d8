//! `desk tm` against a real database file: build, suggest (text and the JSON
//! shape scripts read), stats and import, the same functions as the app.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn desk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk")).arg("--db").arg(db).args(args).env_remove("DESK_DB").env("DESK_UI_LANG", "en").output().expect("desk runs")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(out)).expect("JSON")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents").join(name)
}

#[test]
fn build_then_suggest_with_the_new_facts_stats_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    ok(&desk(&db, &["import", fixture("delivery-delay-ongoing.toml").to_str().unwrap()]));

    let built = ok(&desk(&db, &["tm", "build"]));
    assert!(built.contains("pairs from 1 published updates"), "{built}");

    // The JSON scripts read: {"suggestions":[{"text","score","source":{"incident","update","lang"}}]}.
    let got = json(&desk(&db, &["tm", "suggest", "--from", "ja", "--format", "json", "配信の開始が最大で15分ほど遅れている"]));
    let top = &got["suggestions"][0];
    assert_eq!(top["text"], "Sends start up to 15 minutes late");
    assert!(top["score"].as_f64().unwrap() > 0.9, "{top}");
    assert_eq!((top["source"]["incident"].as_u64(), top["source"]["update"].as_u64(), top["source"]["lang"].as_str()), (Some(1), Some(1), Some("en")));
    assert!(got["suggestions"].as_array().unwrap().len() <= 5);

    // The other way round, as text for people.
    let said = ok(&desk(&db, &["tm", "suggest", "--from", "en", "Messages are still going out in order, and none are lost"]));
    assert!(said.starts_with("1.00  配信自体は順次行われており、メールが失われることはありません"), "{said}");
    assert!(said.contains("incident 1, update 1"), "{said}");

    let stats = json(&desk(&db, &["tm", "stats", "--format", "json"]));
    assert!(stats["from_updates"].as_u64().unwrap() >= 5 && stats["from_templates"].as_u64().unwrap() > 0, "{stats}");
    assert_eq!(stats["from_imports"], 0);

    // Bilingual history from two exports.
    let export = |name: &str, body: &str| {
        let path = dir.path().join(name);
        let json = serde_json::json!({ "incidents": [ { "id": "x1", "name": name, "status": "resolved", "incident_updates": [ { "status": "resolved", "body": body } ] } ] });
        std::fs::write(&path, json.to_string()).unwrap();
        path
    };
    let ja = export("ja.json", "ファイルのアップロードに失敗する事象は解消しました。");
    let en = export("en.json", "File uploads are working again.");
    let imported = json(&desk(&db, &["tm", "import", "--format", "json", ja.to_str().unwrap(), en.to_str().unwrap()]));
    assert_eq!((imported["incidents"].as_u64(), imported["pairs"].as_u64()), (Some(1), Some(1)), "{imported}");
    let got = json(&desk(&db, &["tm", "suggest", "--from", "ja", "--format", "json", "ファイルのアップロードに失敗する事象は解消しました。"]));
    assert_eq!(got["suggestions"][0]["text"], "File uploads are working again.");
    assert_eq!(got["suggestions"][0]["source"]["incident"], 0);

    // A rebuild keeps the imported history.
    ok(&desk(&db, &["tm", "build"]));
    assert_eq!(json(&desk(&db, &["tm", "stats", "--format", "json"]))["from_imports"], 1);

    // Usage errors exit 2 and say why.
    let empty = desk(&db, &["tm", "suggest", "--from", "ja", "  "]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("no text to translate"), "{}", String::from_utf8_lossy(&empty.stderr));
    let missing = desk(&db, &["tm", "import", dir.path().join("nowhere.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}
