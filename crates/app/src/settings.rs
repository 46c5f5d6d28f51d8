//! The settings screen's commands: the Statuspage page(s) and publish mode,
//! the API key (into the OS keychain; never read back), component sync, the
//! glossary and the app's own language. Settings live in the store; each
//! change takes effect at once (publishing target, linter) without a restart.

use desk_keychain::STATUSPAGE_ACCOUNT;
use desk_model::{Bilingual, Lang};
use desk_publish::{KeyState, PublishMode, PublishSettings};
use desk_statuspage::ApiKey;
use desk_store::GlossaryTerm;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::{CommandError, PublishTarget};
use crate::state::{off_runtime, AppState, Target};

type Answer<T> = Result<T, CommandError>;

/// The store's setting keys.
const PUBLISHING_KEY: &str = "publishing";
const UI_LANGUAGE_KEY: &str = "ui_language";

/// Everything the settings screen shows. Of the key, only whether one is set.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SettingsView {
    pub publishing: PublishSettings,
    pub key: KeyStatus,
    pub glossary: Vec<GlossaryEntry>,
    pub ui_language: Lang,
    pub target: PublishTarget,
}

/// The API key's state. The key itself never leaves Rust.
#[derive(Debug, Clone, Serialize, Type)]
pub struct KeyStatus {
    pub set: bool,
    /// Why the keychain cannot be used; none when it can.
    pub keychain_problem: Option<String>,
    /// True when keys live only in this process (`DESK_KEYCHAIN=memory`, for tests).
    pub in_memory_keychain: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct GlossaryEntry {
    pub id: u32,
    pub ja: String,
    pub en: String,
    pub note: String,
}

impl From<GlossaryTerm> for GlossaryEntry {
    fn from(t: GlossaryTerm) -> Self {
        GlossaryEntry { id: t.id as u32, ja: t.ja, en: t.en, note: t.note }
    }
}

/// The page's components beside the incidents' components and where each goes.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ComponentSync {
    pub page_id: String,
    /// The page's component names, in the page's order.
    pub page_components: Vec<String>,
    pub mapping: Vec<ComponentMatch>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ComponentMatch {
    /// The name the incidents use.
    pub ours: String,
    /// The page component it is set on; none when it matches nothing (publishing would stop).
    pub theirs: Option<String>,
}

/// Where publishing goes, and why.
pub fn describe(target: &Target) -> PublishTarget {
    PublishTarget {
        sandbox: target.sandbox_reason.is_some(),
        page_id: target.page_label(),
        public_url: target.public_url.clone(),
        why: match &target.sandbox_reason {
            Some(reason) => reason.explain(),
            None => Bilingual {
                ja: "API キーとページ ID が設定されているため、Statuspage に公開します。".into(),
                en: "An API key and page id are set, so updates go to Statuspage.".into(),
            },
        },
    }
}

/// Reads the saved settings and applies them (publishing target, linter): at start-up.
pub async fn restore(state: &AppState) -> Answer<()> {
    let settings = publish_settings(state).await?;
    state.publishing.configure(&settings)?;
    refresh_lint(state, &settings).await?;
    Ok(())
}

async fn publish_settings(state: &AppState) -> Answer<PublishSettings> {
    Ok(match state.store.setting(PUBLISHING_KEY).await? {
        Some(value) => serde_json::from_value(value)?,
        None => PublishSettings::default(),
    })
}

/// The linter follows the glossary and the publish mode (one body holds both languages).
async fn refresh_lint(state: &AppState, settings: &PublishSettings) -> Answer<()> {
    let mut config = (*state.lint.get()).clone();
    config.glossary = state.store.glossary_terms().await?;
    config.combined_body = settings.mode == PublishMode::Combined;
    state.lint.set(config);
    Ok(())
}

/// The app's language: Japanese unless English was chosen.
pub(crate) async fn ui_language(store: &desk_store::Store) -> Answer<Lang> {
    Ok(match store.setting(UI_LANGUAGE_KEY).await? {
        Some(serde_json::Value::String(s)) if s == "en" => Lang::En,
        _ => Lang::Ja,
    })
}

async fn view(state: &AppState) -> Answer<SettingsView> {
    let (key, _) = state.publishing.key_state();
    let ui_language = ui_language(&state.store).await?;
    Ok(SettingsView {
        publishing: publish_settings(state).await?,
        key: KeyStatus {
            set: key == KeyState::Set,
            keychain_problem: match key {
                KeyState::Unavailable(why) => Some(why),
                _ => None,
            },
            in_memory_keychain: state.publishing.in_memory_keychain,
        },
        glossary: state.store.glossary().await?.into_iter().map(GlossaryEntry::from).collect(),
        ui_language,
        target: describe(&state.publishing.current()),
    })
}

/// Every setting, and where publishing goes.
#[tauri::command]
#[specta::specta]
pub async fn get_settings(state: State<'_, AppState>) -> Answer<SettingsView> {
    view(&state).await
}

/// Saves the page id(s), publish mode, component mapping and restore toggle,
/// after checking them; publishing follows at once.
#[tauri::command]
#[specta::specta]
pub async fn save_publish_settings(state: State<'_, AppState>, settings: PublishSettings) -> Answer<SettingsView> {
    let settings = settings.validated()?;
    state.store.set_setting(PUBLISHING_KEY, &serde_json::to_value(&settings)?, &state.actor).await?;
    state.publishing.configure(&settings)?;
    refresh_lint(&state, &settings).await?;
    view(&state).await
}

/// Puts the Statuspage API key into the OS keychain (replacing any) and
/// switches publishing to Statuspage when a page id is set.
#[tauri::command]
#[specta::specta]
pub async fn set_api_key(state: State<'_, AppState>, key: String) -> Answer<SettingsView> {
    let key = ApiKey::new(key)?;
    off_runtime(|| state.publishing.keys.set(STATUSPAGE_ACCOUNT, &key))?;
    state.publishing.configure(&publish_settings(&state).await?)?;
    view(&state).await
}

/// Removes the key from the keychain; publishing goes back to the sandbox.
#[tauri::command]
#[specta::specta]
pub async fn remove_api_key(state: State<'_, AppState>) -> Answer<SettingsView> {
    off_runtime(|| state.publishing.keys.delete(STATUSPAGE_ACCOUNT))?;
    state.publishing.configure(&publish_settings(&state).await?)?;
    view(&state).await
}

/// Adds a glossary entry (an empty English spelling means the same as the Japanese).
#[tauri::command]
#[specta::specta]
pub async fn add_glossary_term(state: State<'_, AppState>, ja: String, en: String, note: String) -> Answer<SettingsView> {
    state.store.add_glossary_term(&ja, &en, &note, &state.actor).await?;
    refresh_lint(&state, &publish_settings(&state).await?).await?;
    view(&state).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_glossary_term(state: State<'_, AppState>, id: u32) -> Answer<SettingsView> {
    state.store.remove_glossary_term(id as i64, &state.actor).await?;
    refresh_lint(&state, &publish_settings(&state).await?).await?;
    view(&state).await
}

/// The app's own language (Japanese by default).
#[tauri::command]
#[specta::specta]
pub async fn set_ui_language(state: State<'_, AppState>, lang: Lang) -> Answer<()> {
    state.store.set_setting(UI_LANGUAGE_KEY, &serde_json::json!(lang.as_str()), &state.actor).await?;
    Ok(())
}

/// Reads the current target's components and shows where each of the
/// incidents' components goes (the saved mapping, else the same name).
#[tauri::command]
#[specta::specta]
pub async fn fetch_page_components(state: State<'_, AppState>) -> Answer<ComponentSync> {
    let target = state.publishing.current();
    let page_id = target.first_page().to_string();
    let page_components: Vec<String> = target
        .client
        .components(&page_id)
        .await
        .map_err(|e| format!("could not read the components of page {page_id}: {e}"))?
        .into_iter()
        .filter(|c| !c.group)
        .map(|c| c.name)
        .collect();
    let mapping = crate::state::component_names(&state.store)
        .await?
        .into_iter()
        .map(|ours| ComponentMatch { theirs: target.settings.page_component(&ours, &page_components).cloned(), ours })
        .collect();
    Ok(ComponentSync { page_id, page_components, mapping })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::commands::tests::{app, app_from, id_of, invoke, state};
    use std::sync::Arc;

    /// What the settings commands really answer, step by step, for the UI's
    /// component tests (recorded with the rest in ui/tests/fixtures/ipc.json).
    pub(crate) fn recording(dir: &std::path::Path) -> serde_json::Value {
        let app = app(dir);
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
        let sandbox = tauri::Manager::state::<AppState>(&app).publishing.sandbox_api_base().replace("/v1", "");
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
        let app = app(dir.path());
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
        let mut state = state(dir.path());
        state.publishing.statuspage_base = statuspage.api_base();
        let app = app_from(state);
        invoke(&app, "save_publish_settings", serde_json::json!({ "settings": {
            "mode": "split", "page_id": "", "ja_page_id": "sandbox-ja", "en_page_id": "sandbox-en",
            "restore_components_on_resolve": true, "component_map": { "Kumo Mail": "Notifications" }
        }})).unwrap();
        let keyed = invoke(&app, "set_api_key", serde_json::json!({ "key": "sk-end-to-end" })).unwrap();
        assert_eq!(keyed["target"]["page_id"], "sandbox-ja (ja) / sandbox-en (en)");
        let id = id_of(&app, "メール配信に遅延");
        let out = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
        assert_eq!(out["all_done"], true, "{out}");
        let urls: Vec<&str> = out["pages"].as_array().unwrap().iter().map(|p| p["url"].as_str().unwrap()).collect();
        assert!(urls.iter().all(|u| u.starts_with(&statuspage.api_base().replace("/v1", ""))), "{urls:?}");
        let page = http_get(&statuspage.public_url());
        assert!(page.contains("メール配信"), "the update is on the Japanese page");
        // The key is in none of the app's files: database (and its WAL), publish log, sandbox data.
        let files = walk(dir.path());
        assert!(files.iter().any(|f| f.ends_with("publish-log.jsonl")) && files.iter().any(|f| f.ends_with("test.db")), "{files:?}");
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
        let state = tauri::Manager::state::<AppState>(&app);
        assert_eq!(state.lint.get().glossary, ["Kumo Mail"]);
        let id = id_of(&app, "メール配信に遅延");
        // A slip in the product's name, as typed in a draft, is flagged.
        let draft = invoke(&app, "start_update", serde_json::json!({ "id": id, "status": "identified" })).unwrap();
        let body = serde_json::json!({ "ja": "KumoMail の配信が遅れています。", "en": "kumo mail deliveries are delayed." });
        let live = invoke(&app, "preview_draft", serde_json::json!({
            "id": id, "status": "identified", "title": draft["title"], "body": body,
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
        let state = tauri::Manager::state::<AppState>(&app);
        assert!(!state.publishing.current().settings.restore_components_on_resolve);
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
        let mut state = state(dir.path());
        state.publishing.keys = Arc::new(NoKeychain);
        let app = app_from(state);
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
}
