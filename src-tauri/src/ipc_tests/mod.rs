//! The commands through Tauri's IPC (`tauri::test`, origin `tauri://localhost`),
//! on a real SQLite file and a real sandbox on loopback: the harness, the
//! generated bindings and the UI's recorded answers, and one file of tests
//! per screen.

mod approval;
mod compose;
mod desktop;
mod incidents;
mod maintenance;
mod memory;
mod memory_panel;
mod review;
mod search;
mod settings;
mod templates;
mod timeline;
mod timeline_table;
mod compensation_form;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use desk_app::{Desk, DeskOptions};
use desk_model::Lang;

use crate::registry::bindings_builder;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The committed bindings are what the Rust signatures generate; with
/// `UPDATE_BINDINGS=1` the test rewrites them instead.
#[test]
fn bindings_are_current() {
    let committed = repo().join("ui/src/lib/bindings.ts");
    let fresh = std::env::temp_dir().join(format!("desk-bindings-{}.ts", std::process::id()));
    bindings_builder::<tauri::Wry>()
        .export(specta_typescript::Typescript::default(), &fresh)
        .expect("the bindings export");
    let generated = std::fs::read_to_string(&fresh).unwrap();
    std::fs::remove_file(&fresh).ok();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(current == generated, "ui/src/lib/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test -p incident-desk bindings`");
}

/// The UI's component tests (ui/tests/) replay what these commands really
/// answer for the samples, in the app's default language (Japanese, so the
/// recorded refusals are the Japanese ones). With `UPDATE_UI_FIXTURES=1` the
/// test rewrites the recording; otherwise it fails when it is stale.
#[test]
fn recorded_answers_for_the_ui_tests_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path(), "tester", Lang::Ja);
    let list = invoke(&app, "list_incidents", serde_json::json!({})).unwrap();
    let mut previews = serde_json::Map::new();
    let mut next_updates = serde_json::Map::new();
    let mut plans = serde_json::Map::new();
    for row in list.as_array().unwrap() {
        let id = row["id"].clone();
        let mut by_update = serde_json::Map::new();
        for i in 0..row["update_count"].as_u64().unwrap() {
            by_update.insert(i.to_string(), invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": i })).unwrap());
        }
        by_update.insert("newest".into(), invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": null })).unwrap());
        previews.insert(id.to_string(), by_update.into());
        next_updates.insert(id.to_string(), invoke(&app, "next_update", serde_json::json!({ "id": id })).unwrap());
        let mut plan = invoke(&app, "publish_plan", serde_json::json!({ "id": id, "update": null })).unwrap();
        // The sandbox's port changes from run to run.
        plan["target"]["public_url"] = serde_json::json!("http://127.0.0.1:9/");
        plans.insert(id.to_string(), plan);
    }
    let mut recording =
        serde_json::json!({ "list_incidents": list, "preview_incident": previews, "next_update": next_updates, "publish_plan": plans });
    let review_dir = tempfile::tempdir().unwrap();
    recording["review"] = review::recording(review_dir.path());
    let settings_dir = tempfile::tempdir().unwrap();
    recording["settings"] = settings::recording(settings_dir.path());
    keep_recording("ipc.json", &recording);
}

/// Compares a recording with `ui/tests/fixtures/<file>`; with
/// `UPDATE_UI_FIXTURES=1`, writes it there instead.
pub(crate) fn keep_recording(file: &str, recording: &serde_json::Value) {
    let text = serde_json::to_string_pretty(recording).unwrap() + "\n";
    let path = repo().join("ui/tests/fixtures").join(file);
    if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(current == text, "ui/tests/fixtures/{file} is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
}

pub(crate) type App = tauri::App<tauri::test::MockRuntime>;

/// How a test's app is set up besides its folder and person.
pub(crate) struct Setup {
    pub who: String,
    /// The UI's language (English here, so assertions read the English messages).
    pub lang: Lang,
    /// Statuspage's API base (tests point it at a second sandbox).
    pub statuspage_base: Option<String>,
    /// The key store; by default keyring's in-memory store under a service of the test's own.
    pub keys: Option<Arc<dyn desk_keychain::KeyStore>>,
}

impl Setup {
    pub fn new(who: &str) -> Setup {
        Setup { who: who.into(), lang: Lang::En, statuspage_base: None, keys: None }
    }
}

/// The context a person's app works in: a real store (a SQLite file in a
/// temporary folder, shared by everyone in `dir`) seeded with the samples,
/// and a real sandbox on loopback of their own, with its own publish log.
pub(crate) fn desk_with(dir: &Path, setup: Setup) -> Desk {
    static TESTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    desk_keychain::memory::install();
    let service = format!("incident-desk-test-{}", TESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    tauri::async_runtime::block_on(async {
        let store = desk_store::Store::open(dir.join("test.db").to_str().unwrap()).await.unwrap().acting_as(&setup.who).unwrap();
        let mut options = DeskOptions::new(dir.join(format!("app-{}", setup.who)));
        options.keys = Some(setup.keys.unwrap_or_else(|| Arc::new(desk_keychain::KeyringStore::with_service(&service))));
        options.statuspage_base = setup.statuspage_base;
        let desk = Desk::start(store, options).await.unwrap();
        desk_app::settings::set_ui_language(&desk, setup.lang).await.unwrap();
        desk
    })
}

pub(crate) fn desk_as(dir: &Path, who: &str) -> Desk {
    desk_with(dir, Setup::new(who))
}

pub(crate) fn app(dir: &Path) -> App {
    app_as(dir, "tester")
}

/// The app as `who`, on the same database file as the others in `dir`.
pub(crate) fn app_as(dir: &Path, who: &str) -> App {
    app_from(desk_as(dir, who))
}

/// The app as `who`, its UI in `lang`.
pub(crate) fn app_in(dir: &Path, who: &str, lang: Lang) -> App {
    app_from(desk_with(dir, Setup { lang, ..Setup::new(who) }))
}

pub(crate) fn app_from(desk: Desk) -> App {
    tauri::test::mock_builder()
        .invoke_handler(bindings_builder::<tauri::test::MockRuntime>().invoke_handler())
        .manage(desk)
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("the app builds")
}

pub(crate) fn invoke(app: &App, cmd: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
    static WINDOWS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let label = format!("test-{}", WINDOWS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let window = tauri::WebviewWindowBuilder::new(app, label, Default::default()).build().unwrap();
    let request = tauri::webview::InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: tauri::test::INVOKE_KEY.to_string(),
    };
    let out = tauri::test::get_ipc_response(&window, request);
    window.close().ok();
    out.map(|r| r.deserialize::<serde_json::Value>().unwrap())
}

pub(crate) fn id_of(app: &App, ja_title_part: &str) -> u64 {
    let list = invoke(app, "list_incidents", serde_json::json!({})).unwrap();
    list.as_array().unwrap().iter().find(|r| r["title"]["ja"].as_str().unwrap().contains(ja_title_part)).unwrap()["id"]
        .as_u64()
        .unwrap()
}

