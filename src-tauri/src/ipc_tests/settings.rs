//! Settings: the target, the key in the keychain, components, the glossary, the UI language.

use std::sync::Arc;

use desk_app::Desk;
use desk_statuspage::ApiKey;
use tauri::Manager;

use super::{app, app_as, app_from, app_in, desk_with, id_of, invoke, Setup};

/// What the settings commands really answer, step by step, for the UI's
/// component tests (recorded with the rest in ui/tests/fixtures/ipc.json).
pub(crate) fn recording(dir: &std::path::Path) -> serde_json::Value {
    let app = app_in(dir, "tester", desk_model::Lang::Ja);
    let combined = |page: &str| serde_json::json!({ "settings": {
        "mode": "combined", "page_id": page, "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}
    }});
    let initial = settings(&app);
    let bad_page_id = invoke(&app, "save_publish_settings", combined("my page")).unwrap_err();
    let saved_page = invoke(&app, "save_publish_settings", combined("kctbh9vrtdwd")).unwrap();
    let key_set = invoke(&app, "set_api_key", serde_json::json!({ "key": "recorded-key" })).unwrap();
    let key_removed = invoke(&app, "remove_api_key", serde_json::json!({})).unwrap();
    let components = invoke(&app, "fetch_page_components", serde_json::json!({})).unwrap();
    let term_added = invoke(&app, "add_glossary_term", serde_json::json!({ "ja": "Kumo Mail", "en": "", "note": "" })).unwrap();
    let sandbox = app.state::<Desk>().publishing.sandbox_server().unwrap().api_base().replace("/v1", "");
    let recorded = serde_json::json!({
        "initial": initial, "bad_page_id": bad_page_id, "saved_page": saved_page, "key_set": key_set,
        "key_removed": key_removed, "components": components, "term_added": term_added,
    });
    // The sandbox's port changes from run to run; the recording must not.
    serde_json::from_str(&recorded.to_string().replace(&sandbox, "http://127.0.0.1:9")).unwrap()
}

fn settings(app: &tauri::App<tauri::test::MockRuntime>) -> serde_json::Value {
    invoke(app, "get_settings", serde_json::json!({})).unwrap()
}

#[test]
fn the_sandbox_until_a_key_and_page_id_then_statuspage_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path(), "tester", desk_model::Lang::Ja);
    let first = settings(&app);
    assert_eq!(first["target"]["sandbox"], true);
    assert_eq!(first["key"]["set"], false);
    assert!(first["target"]["why"]["en"].as_str().unwrap().contains("No Statuspage API key"), "{first}");
    assert_eq!(first["ui_language"], "ja");

    let with_page = invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "combined", "page_id": " sandbox ", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}
    }})).unwrap();
    assert_eq!(with_page["publishing"]["page_id"], "sandbox", "trimmed");
    assert!(with_page["target"]["why"]["en"].as_str().unwrap().contains("No Statuspage API key"));

    let keyed = invoke(&app, "set_api_key", serde_json::json!({ "key": "sk-secret-123" })).unwrap();
    assert_eq!(keyed["key"]["set"], true);
    assert_eq!(keyed["target"]["sandbox"], false, "{keyed}");
    assert_eq!(keyed["target"]["page_id"], "sandbox");
    assert!(!keyed.to_string().contains("sk-secret-123"), "the key is never sent back");

    let removed = invoke(&app, "remove_api_key", serde_json::json!({})).unwrap();
    assert_eq!(removed["key"]["set"], false);
    assert_eq!(removed["target"]["sandbox"], true);
    let reopened = settings(&app);
    assert_eq!(reopened["publishing"]["page_id"], "sandbox", "settings persist in the store");
}

/// The key path end to end: the key from the (in-memory) keychain goes
/// in the `Authorization` header to "Statuspage" (a second sandbox, which
/// speaks the same API and refuses requests without a key), and the
/// update lands on the configured page.
#[test]
fn a_key_from_the_keychain_publishes_to_the_configured_page() {
    let dir = tempfile::tempdir().unwrap();
    // Only this key is accepted: a request without it gets 401.
    let config = desk_sandbox::SandboxConfig { keys: Some(vec!["sk-end-to-end".into()]), ..Default::default() };
    let statuspage = tauri::async_runtime::block_on(desk_sandbox::Sandbox::start(config)).unwrap();
    let app = app_from(desk_with(dir.path(), Setup { statuspage_base: Some(statuspage.api_base()), ..Setup::new("tester") }));
    invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "split", "page_id": "", "ja_page_id": "sandbox-ja", "en_page_id": "sandbox-en",
        "restore_components_on_resolve": true, "component_map": { "Kumo Mail": "Notifications" }
    }})).unwrap();
    let keyed = invoke(&app, "set_api_key", serde_json::json!({ "key": "sk-end-to-end" })).unwrap();
    assert_eq!(keyed["target"]["page_id"], "sandbox-ja (ja) / sandbox-en (en)");
    // A sample's updates are published already, on no page this database
    // knows of: Statuspage never gets them again.
    let sample = id_of(&app, "メール配信に遅延");
    let refused = invoke(&app, "publish_update", serde_json::json!({ "id": sample, "update": null })).unwrap_err();
    assert_eq!(refused["kind"], "refused", "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("not sent again"), "{refused}");
    assert!(statuspage.incidents("sandbox-ja").is_empty(), "nothing was sent");
    // Someone else approves a new incident (after the settings are saved, as the team's are).
    let ben = app_as(dir.path(), "ben");
    let id = super::review::approved(&app, &ben);
    let out = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
    assert_eq!(out["all_done"], true, "{out}");
    let urls: Vec<&str> = out["pages"].as_array().unwrap().iter().map(|p| p["url"].as_str().unwrap()).collect();
    assert!(urls.iter().all(|u| u.starts_with(&statuspage.api_base().replace("/v1", ""))), "{urls:?}");
    let page = http_get(&statuspage.public_url());
    assert!(page.contains("ログイン障害"), "the update is on the Japanese page");
    // The key is in none of the app's files: database (and its WAL, with the publish records), sandbox data.
    let files = walk(dir.path());
    assert!(files.iter().any(|f| f.ends_with("test.db")), "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(13).any(|w| w == b"sk-end-to-end"), "the key is in {}", file.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let err = invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "combined", "page_id": "my page", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}
    }})).unwrap_err();
    assert!(err["message"].as_str().unwrap().starts_with("page id: a space cannot be part of a page id"), "{err}");
    assert_eq!(settings(&app)["publishing"]["page_id"], "");
    let empty_key = invoke(&app, "set_api_key", serde_json::json!({ "key": "   " })).unwrap_err();
    assert_eq!(empty_key["message"], "the API key is empty");
    let term = invoke(&app, "add_glossary_term", serde_json::json!({ "ja": "", "en": "x", "note": "" })).unwrap_err();
    assert!(term["message"].as_str().unwrap().starts_with("Japanese term: is empty"), "{term}");
}

#[test]
fn the_glossary_reaches_the_linter() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let view = invoke(&app, "add_glossary_term", serde_json::json!({ "ja": "Kumo Mail", "en": "", "note": "product" })).unwrap();
    assert_eq!(view["glossary"][0]["en"], "Kumo Mail");
    let state = app.state::<Desk>();
    assert_eq!(state.lint.get().glossary, ["Kumo Mail"]);
    let id = id_of(&app, "メール配信に遅延");
    // A slip in the product's name, as typed in a draft, is flagged.
    let draft = invoke(&app, "start_update", serde_json::json!({ "id": id, "status": "identified" })).unwrap();
    let body = serde_json::json!({ "ja": "KumoMail の配信が遅れています。", "en": "kumo mail deliveries are delayed." });
    let live = invoke(&app, "preview_draft", serde_json::json!({
        "id": id, "status": "identified", "title": draft["title"], "body": body, "pages": "per_language",
    })).unwrap();
    let flagged: Vec<&serde_json::Value> = live["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "glossary.variant").collect();
    assert!(!flagged.is_empty(), "{}", live["diagnostics"]);
    assert!(flagged[0]["message"]["en"].as_str().unwrap().contains("Kumo Mail"), "{}", flagged[0]);
    let gone = invoke(&app, "remove_glossary_term", serde_json::json!({ "id": view["glossary"][0]["id"] })).unwrap();
    assert_eq!(gone["glossary"].as_array().unwrap().len(), 0);
    assert!(state.lint.get().glossary.is_empty());
}

#[test]
fn the_ui_language_persists() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    invoke(&app, "set_ui_language", serde_json::json!({ "lang": "en" })).unwrap();
    assert_eq!(settings(&app)["ui_language"], "en");
}

#[test]
fn components_are_read_from_the_page_and_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let sync = invoke(&app, "fetch_page_components", serde_json::json!({})).unwrap();
    assert_eq!(sync["page_id"], "sandbox");
    let page: Vec<&str> = sync["page_components"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(page.contains(&"API"), "{page:?}");
    assert!(sync["mapping"].as_array().unwrap().iter().all(|m| m["theirs"] == m["ours"]), "the sandbox offers every incident component: {sync}");
    let ours = sync["mapping"][0]["ours"].as_str().unwrap().to_string();
    invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "combined", "page_id": "", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": false, "component_map": { ours.clone(): "API" }
    }})).unwrap();
    let mapped = invoke(&app, "fetch_page_components", serde_json::json!({})).unwrap();
    let row = mapped["mapping"].as_array().unwrap().iter().find(|m| m["ours"] == ours.as_str()).unwrap().clone();
    assert_eq!(row["theirs"], "API");
    assert!(!app.state::<Desk>().publishing.current().unwrap().settings.restore_components_on_resolve);
}

/// Without a reachable keychain the screen says so, and publishing stays on the sandbox.
#[test]
fn an_unavailable_keychain_is_said_plainly() {
    struct NoKeychain;
    impl desk_keychain::KeyStore for NoKeychain {
        fn get(&self, _: &str) -> Result<Option<ApiKey>, desk_keychain::KeyStoreError> {
            Err(desk_keychain::KeyStoreError::Unavailable("no Secret Service on the session bus".into()))
        }
        fn set(&self, _: &str, _: &ApiKey) -> Result<(), desk_keychain::KeyStoreError> {
            Err(desk_keychain::KeyStoreError::Unavailable("no Secret Service on the session bus".into()))
        }
        fn delete(&self, _: &str) -> Result<(), desk_keychain::KeyStoreError> {
            Err(desk_keychain::KeyStoreError::Unavailable("no Secret Service on the session bus".into()))
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let app = app_from(desk_with(dir.path(), Setup { keys: Some(Arc::new(NoKeychain)), ..Setup::new("tester") }));
    let view = settings(&app);
    assert_eq!(view["key"]["keychain_problem"], "the keychain is not available: no Secret Service on the session bus");
    let err = invoke(&app, "set_api_key", serde_json::json!({ "key": "k" })).unwrap_err();
    assert_eq!(err["message"], "the keychain is not available: no Secret Service on the session bus");
    invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
        "mode": "combined", "page_id": "abc", "ja_page_id": "", "en_page_id": "",
        "restore_components_on_resolve": true, "component_map": {}
    }})).unwrap();
    let after = settings(&app);
    assert_eq!(after["target"]["sandbox"], true);
    assert!(after["target"]["why"]["en"].as_str().unwrap().contains("keychain is not available"), "{after}");
}
