//! The settings screen.

use desk_app::settings::{ComponentSync, SettingsView};
use desk_app::Desk;
use desk_model::Lang;
use desk_publish::PublishSettings;
use tauri::State;

use crate::answer::{Answer, Shown};

/// Every setting, and where publishing goes.
#[tauri::command]
#[specta::specta]
pub async fn get_settings(desk: State<'_, Desk>) -> Answer<SettingsView> {
    desk_app::settings::get_settings(&desk).await.shown(&desk)
}

/// Saves the page id(s), publish mode, component mapping and restore toggle,
/// after checking them; publishing follows at once.
#[tauri::command]
#[specta::specta]
pub async fn save_publish_settings(desk: State<'_, Desk>, settings: PublishSettings) -> Answer<SettingsView> {
    desk_app::settings::save_publish_settings(&desk, settings).await.shown(&desk)
}

/// Puts the Statuspage API key into the OS keychain (replacing any).
#[tauri::command]
#[specta::specta]
pub async fn set_api_key(desk: State<'_, Desk>, key: String) -> Answer<SettingsView> {
    desk_app::settings::set_api_key(&desk, key).await.shown(&desk)
}

/// Removes the key from the keychain; publishing goes back to the sandbox.
#[tauri::command]
#[specta::specta]
pub async fn remove_api_key(desk: State<'_, Desk>) -> Answer<SettingsView> {
    desk_app::settings::remove_api_key(&desk).await.shown(&desk)
}

/// Adds a glossary entry (an empty English spelling means the same as the Japanese).
#[tauri::command]
#[specta::specta]
pub async fn add_glossary_term(desk: State<'_, Desk>, ja: String, en: String, note: String) -> Answer<SettingsView> {
    desk_app::settings::add_glossary_term(&desk, ja, en, note).await.shown(&desk)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_glossary_term(desk: State<'_, Desk>, id: u32) -> Answer<SettingsView> {
    desk_app::settings::remove_glossary_term(&desk, id).await.shown(&desk)
}

/// The app's own language (Japanese by default).
#[tauri::command]
#[specta::specta]
pub async fn set_ui_language(desk: State<'_, Desk>, lang: Lang) -> Answer<()> {
    desk_app::settings::set_ui_language(&desk, lang).await.shown(&desk)
}

/// Reads the current target's components and shows where each of the
/// incidents' components goes.
#[tauri::command]
#[specta::specta]
pub async fn fetch_page_components(desk: State<'_, Desk>) -> Answer<ComponentSync> {
    desk_app::settings::fetch_page_components(&desk).await.shown(&desk)
}
