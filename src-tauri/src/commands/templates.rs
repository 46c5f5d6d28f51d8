//! The template library and its editor.

use desk_app::templates::{
    FieldCompletions, LibraryImport, NamedSample, StatuspageImport, TemplatePair, TemplatePreview, TemplateRow, TemplateVersionInfo,
};
use desk_app::Desk;
use desk_model::{Bilingual, Lang, Status};
use desk_templates::SampleFields;
use tauri::State;

use crate::answer::{Answer, Shown};

/// Every status's template in both languages, incidents first.
#[tauri::command]
#[specta::specta]
pub async fn list_templates(desk: State<'_, Desk>) -> Answer<Vec<TemplateRow>> {
    desk_app::templates::list_templates(&desk).await.shown(&desk)
}

/// A status's active template source in both languages.
#[tauri::command]
#[specta::specta]
pub async fn load_template(desk: State<'_, Desk>, status: Status) -> Answer<TemplatePair> {
    desk_app::templates::load_template(&desk, status).await.shown(&desk)
}

/// The sample incidents a preview can be filled from.
#[tauri::command]
#[specta::specta]
pub fn template_samples() -> Vec<NamedSample> {
    desk_app::templates::template_samples()
}

/// Checks and fills a status's template as typed (`source` null: the active
/// text), from `sample`, findings in the UI's language `ui`. Nothing is
/// saved. Not async (see `preview_draft`): on the library as last checked.
#[tauri::command]
#[specta::specta]
pub fn preview_template(desk: State<'_, Desk>, status: Status, source: Option<Bilingual<String>>, sample: SampleFields, ui: Lang) -> Answer<TemplatePreview> {
    let active = match desk.library.last_checked() {
        Some(active) => active,
        None => tauri::async_runtime::block_on(desk.templates()).shown(&desk)?,
    };
    Ok(desk_app::templates::preview_template(&desk, &active, status, source, &sample, ui))
}

/// The fields to offer at a cursor (1-based line and character column)
/// inside `{{`; null elsewhere.
#[tauri::command]
#[specta::specta]
pub fn template_completions(source: String, line: u32, column: u32) -> Option<FieldCompletions> {
    desk_app::templates::template_completions(&source, line, column)
}

/// Saves a template file as a new version; refused with every problem when
/// the text has any, and with kind `conflict` when `expected_version` is stale.
#[tauri::command]
#[specta::specta]
pub async fn save_template(desk: State<'_, Desk>, path: String, source: String, expected_version: u32, note: String) -> Answer<TemplateVersionInfo> {
    desk_app::templates::save_template(&desk, &path, &source, expected_version, &note).await.shown(&desk)
}

/// A library file's saved versions, newest first.
#[tauri::command]
#[specta::specta]
pub async fn template_history(desk: State<'_, Desk>, path: String) -> Answer<Vec<TemplateVersionInfo>> {
    desk_app::templates::template_history(&desk, &path).await.shown(&desk)
}

/// Makes an old version (0 = the built-in text) active again, as a new version.
#[tauri::command]
#[specta::specta]
pub async fn rollback_template(desk: State<'_, Desk>, path: String, version: u32) -> Answer<TemplateVersionInfo> {
    desk_app::templates::rollback_template(&desk, &path, version).await.shown(&desk)
}

/// Writes the whole active library into a folder; answers how many files.
#[tauri::command]
#[specta::specta]
pub async fn export_templates(desk: State<'_, Desk>, dir: String) -> Answer<u32> {
    desk_app::templates::export_templates(&desk, &dir).await.shown(&desk)
}

/// Reads a library folder back: all files checked first, nothing saved on any problem.
#[tauri::command]
#[specta::specta]
pub async fn import_templates(desk: State<'_, Desk>, dir: String) -> Answer<LibraryImport> {
    desk_app::templates::import_templates(&desk, &dir).await.shown(&desk)
}

/// Imports the publishing page's incident templates as a starting point.
#[tauri::command]
#[specta::specta]
pub async fn import_statuspage_templates(desk: State<'_, Desk>) -> Answer<StatuspageImport> {
    desk_app::templates::import_statuspage_templates(&desk).await.shown(&desk)
}
