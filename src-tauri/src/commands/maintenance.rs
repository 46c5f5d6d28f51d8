//! A maintenance's window in the composer, and the window that overruns:
//! extend it, or turn it into an incident. Each a call into desk-app.

use desk_app::compose::{Draft, Saved};
use desk_app::maintenance::{MaintenanceView, WindowForm};
use desk_app::Desk;
use desk_model::{Bilingual, Status};
use tauri::State;

use crate::answer::{Answer, Shown};

/// The window of the maintenance's newest update, as the form shows it
/// (a proposal when none is set yet); null for an incident.
#[tauri::command]
#[specta::specta]
pub async fn maintenance_window(desk: State<'_, Desk>, id: u32) -> Answer<Option<MaintenanceView>> {
    desk_app::maintenance::maintenance_window(&desk, id).await.shown(&desk)
}

/// The form as typed, read in the organisation's time zone, described in
/// both languages and checked against the clock and the text as typed
/// (`body`). Saves nothing.
#[tauri::command]
#[specta::specta]
pub async fn check_window(desk: State<'_, Desk>, id: u32, status: Status, form: WindowForm, body: Bilingual<String>) -> Answer<MaintenanceView> {
    desk_app::maintenance::check_window(&desk, id, status, form, body).await.shown(&desk)
}

/// Saves the form as the draft's window (a new revision, if `version` is
/// still the current one; otherwise kind `conflict`).
#[tauri::command]
#[specta::specta]
pub async fn save_window(desk: State<'_, Desk>, id: u32, update_id: u32, version: u32, form: WindowForm) -> Answer<Saved> {
    desk_app::maintenance::save_window(&desk, id, update_id, version, form).await.shown(&desk)
}

/// Extends the maintenance to `new_end` (local time, `YYYY-MM-DDTHH:MM`):
/// the drafted update to review and publish.
#[tauri::command]
#[specta::specta]
pub async fn extend_window(desk: State<'_, Desk>, id: u32, new_end: String) -> Answer<Draft> {
    desk_app::maintenance::extend_window(&desk, id, &new_end).await.shown(&desk)
}

/// Opens an incident from the maintenance, linked both ways: its first
/// update's draft.
#[tauri::command]
#[specta::specta]
pub async fn open_incident_from_maintenance(desk: State<'_, Desk>, id: u32) -> Answer<Draft> {
    desk_app::maintenance::open_incident_from_maintenance(&desk, id).await.shown(&desk)
}
