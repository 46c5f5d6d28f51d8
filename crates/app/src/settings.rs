//! Settings: the Statuspage page(s) and publish mode, the API key (into the
//! OS keychain; never read back), component sync, the glossary and the
//! app's own language. Settings live in the store; each change takes effect
//! at once (publishing target, linter) without a restart.

use desk_keychain::STATUSPAGE_ACCOUNT;
use desk_model::Lang;
use desk_publish::{KeyState, PublishMode, PublishSettings};
use desk_statuspage::ApiKey;
use desk_store::{GlossaryTerm, Store};
use serde::Serialize;
use specta::Type;

use crate::publish::{describe, PublishTarget};
use crate::publishing::off_runtime;
use crate::{AppError, Desk, Result};

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

/// Reads the saved settings and applies them (publishing target, linter): at start-up.
pub async fn restore(desk: &Desk) -> Result<()> {
    let settings = publish_settings(&desk.store).await?;
    desk.publishing.configure(&settings)?;
    refresh_lint(desk, &settings).await?;
    Ok(())
}

/// The saved publish settings (page ids, mode, component mapping).
pub async fn publish_settings(store: &Store) -> Result<PublishSettings> {
    Ok(match store.setting(PUBLISHING_KEY).await? {
        Some(value) => serde_json::from_value(value)?,
        None => PublishSettings::default(),
    })
}

/// The linter follows the glossary and the publish mode (one body holds both languages).
async fn refresh_lint(desk: &Desk, settings: &PublishSettings) -> Result<()> {
    desk.lint.set(lint_config(&desk.store, settings.mode == PublishMode::Combined).await?);
    Ok(())
}

/// The linter's configuration for this organisation: its glossary, and
/// whether one body carries both languages (`combined`).
pub async fn lint_config(store: &Store, combined: bool) -> Result<desk_lint::Config> {
    Ok(desk_lint::Config { glossary: store.glossary_terms().await?, combined_body: combined, ..desk_lint::Config::default() })
}

/// The app's language as saved: Japanese unless English was chosen.
pub(crate) async fn saved_ui_language(store: &Store) -> Result<Lang> {
    Ok(match store.setting(UI_LANGUAGE_KEY).await? {
        Some(serde_json::Value::String(s)) if s == "en" => Lang::En,
        _ => Lang::Ja,
    })
}

async fn view(desk: &Desk) -> Result<SettingsView> {
    let (key, _) = desk.publishing.key_state();
    Ok(SettingsView {
        publishing: publish_settings(&desk.store).await?,
        key: KeyStatus {
            set: key == KeyState::Set,
            keychain_problem: match key {
                KeyState::Unavailable(why) => Some(why),
                _ => None,
            },
            in_memory_keychain: desk.publishing.in_memory_keychain,
        },
        glossary: desk.store.glossary().await?.into_iter().map(GlossaryEntry::from).collect(),
        ui_language: desk.ui_language(),
        target: describe(&*desk.publishing.current()?),
    })
}

/// Every setting, and where publishing goes.
pub async fn get_settings(desk: &Desk) -> Result<SettingsView> {
    view(desk).await
}

/// Saves the page id(s), publish mode, component mapping and restore toggle,
/// after checking them; publishing follows at once.
pub async fn save_publish_settings(desk: &Desk, settings: PublishSettings) -> Result<SettingsView> {
    let settings = settings.validated()?;
    desk.store.set_setting(PUBLISHING_KEY, &serde_json::to_value(&settings)?, &desk.actor).await?;
    desk.publishing.configure(&settings)?;
    refresh_lint(desk, &settings).await?;
    view(desk).await
}

/// Puts the Statuspage API key into the OS keychain (replacing any) and
/// switches publishing to Statuspage when a page id is set.
pub async fn set_api_key(desk: &Desk, key: String) -> Result<SettingsView> {
    let key = ApiKey::new(key)?;
    off_runtime(|| desk.publishing.keys.set(STATUSPAGE_ACCOUNT, &key))?;
    desk.publishing.configure(&publish_settings(&desk.store).await?)?;
    view(desk).await
}

/// Removes the key from the keychain; publishing goes back to the sandbox.
pub async fn remove_api_key(desk: &Desk) -> Result<SettingsView> {
    off_runtime(|| desk.publishing.keys.delete(STATUSPAGE_ACCOUNT))?;
    desk.publishing.configure(&publish_settings(&desk.store).await?)?;
    view(desk).await
}

/// Adds a glossary entry (an empty English spelling means the same as the Japanese).
pub async fn add_glossary_term(desk: &Desk, ja: String, en: String, note: String) -> Result<SettingsView> {
    desk.store.add_glossary_term(&ja, &en, &note, &desk.actor).await?;
    refresh_lint(desk, &publish_settings(&desk.store).await?).await?;
    view(desk).await
}

pub async fn remove_glossary_term(desk: &Desk, id: u32) -> Result<SettingsView> {
    desk.store.remove_glossary_term(id as i64, &desk.actor).await?;
    refresh_lint(desk, &publish_settings(&desk.store).await?).await?;
    view(desk).await
}

/// The app's own language (Japanese by default); messages follow it at once.
pub async fn set_ui_language(desk: &Desk, lang: Lang) -> Result<()> {
    desk.store.set_setting(UI_LANGUAGE_KEY, &serde_json::json!(lang.as_str()), &desk.actor).await?;
    desk.remember_ui_language(lang);
    Ok(())
}

/// Reads the current target's components and shows where each of the
/// incidents' components goes (the saved mapping, else the same name).
pub async fn fetch_page_components(desk: &Desk) -> Result<ComponentSync> {
    let target = desk.publishing.current()?;
    let page_id = target.first_page().to_string();
    let page_components: Vec<String> = target
        .client
        .components(&page_id)
        .await
        .map_err(|e| {
            AppError::unavailable(
                format!("ページ {page_id} のコンポーネントを読み込めませんでした: {e}"),
                format!("could not read the components of page {page_id}: {e}"),
            )
        })?
        .into_iter()
        .filter(|c| !c.group)
        .map(|c| c.name)
        .collect();
    let mapping = desk
        .store
        .component_names()
        .await?
        .into_iter()
        .map(|ours| ComponentMatch { theirs: target.settings.page_component(&ours, &page_components).cloned(), ours })
        .collect();
    Ok(ComponentSync { page_id, page_components, mapping })
}

