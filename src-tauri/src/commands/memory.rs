//! The translation memory beside the composer: suggestions for the sentence
//! under the cursor, inserted suggestions recorded and marked, and similar
//! past incidents. Each command calls desk-app's `memory` module.

use desk_app::memory::{MemoryMark, MemorySource, SimilarIncident, TranslationHelp};
use desk_app::Desk;
use desk_model::{Bilingual, Lang};
use tauri::State;

use crate::answer::{Answer, Shown};

/// The memory's suggestions for the sentence or list item at `line`,
/// `column` (1-based, characters) of the `from` body, and where in the other
/// body one goes.
#[tauri::command]
#[specta::specta]
pub async fn suggest_translation(desk: State<'_, Desk>, id: u32, body: Bilingual<String>, from: Lang, line: u32, column: u32) -> Answer<TranslationHelp> {
    desk_app::memory::suggest_translation(&*desk, id, &body, from, line, column).await.shown(&desk)
}

/// The author inserted a suggestion into the draft `update_id`'s `lang` text.
#[tauri::command]
#[specta::specta]
pub async fn record_memory_insert(desk: State<'_, Desk>, update_id: u32, lang: Lang, text: String, source: MemorySource) -> Answer<()> {
    desk_app::memory::record_memory_insert(&*desk, update_id, lang, &text, &source).await.shown(&desk)
}

/// The inserted suggestions that still stand unedited in `body`.
#[tauri::command]
#[specta::specta]
pub async fn memory_marks(desk: State<'_, Desk>, update_id: u32, body: Bilingual<String>) -> Answer<Vec<MemoryMark>> {
    desk_app::memory::memory_marks(&*desk, update_id, &body).await.shown(&desk)
}

/// Past incidents that said much of what `body` says, best first, without incident `id`.
#[tauri::command]
#[specta::specta]
pub async fn similar_incidents(desk: State<'_, Desk>, id: u32, body: Bilingual<String>, limit: u32) -> Answer<Vec<SimilarIncident>> {
    desk_app::memory::similar_incidents(&*desk, id, &body, limit).await.shown(&desk)
}
