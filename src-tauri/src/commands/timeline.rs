//! The promised next update and its desktop notification.

use desk_app::timeline::{NextUpdate, Notifier};
use desk_app::Desk;
use desk_model::Lang;
use tauri::State;

use crate::answer::{Answer, Shown};

/// The next update promised for incident `id`; null when none is.
#[tauri::command]
#[specta::specta]
pub async fn next_update(desk: State<'_, Desk>, id: u32) -> Answer<Option<NextUpdate>> {
    desk_app::timeline::next_update(&desk, id).await.shown(&desk)
}

/// Shows a desktop notification that incident `id`'s promised update is
/// due; false (nothing shown) when it is not due, or was notified already.
#[tauri::command]
#[specta::specta]
pub async fn notify_update_due(desk: State<'_, Desk>, notifier: State<'_, Notifier>, id: u32, lang: Lang) -> Answer<bool> {
    desk_app::timeline::notify_update_due(&desk, &notifier, id, lang).await.shown(&desk)
}
