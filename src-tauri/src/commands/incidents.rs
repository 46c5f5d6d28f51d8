//! The incident list, the preview of any update, publishing.

use desk_app::incidents::{IncidentSummary, Preview};
use desk_app::publish::{PublishOutcome, PublishPlan, PublishTarget};
use desk_app::Desk;
use tauri::State;

use crate::answer::{Answer, Shown};

/// Every incident, open ones first, then newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_incidents(desk: State<'_, Desk>) -> Answer<Vec<IncidentSummary>> {
    crate::trace::trace_startup("list asked");
    desk_app::incidents::list(&desk).await.shown(&desk)
}

/// One update of one incident, rendered; the newest when `update` is null.
#[tauri::command]
#[specta::specta]
pub async fn preview_incident(desk: State<'_, Desk>, id: u32, update: Option<u32>) -> Answer<Preview> {
    desk_app::incidents::preview_incident(&desk, id, update).await.shown(&desk)
}

/// Publishes one update (the newest when `update` is null) exactly once to
/// the current target. A draft goes out only on an approval of its current
/// revision by someone other than its author (emergency publishes:
/// `publish_emergency`). `confirm_new_incident`: the author has agreed to
/// create an incident on the page for one imported from text.
#[tauri::command]
#[specta::specta]
pub async fn publish_update(desk: State<'_, Desk>, id: u32, update: Option<u32>, confirm_new_incident: Option<bool>) -> Answer<PublishOutcome> {
    let outcome = desk_app::publish::publish_update(&desk, id, update, None, confirm_new_incident.unwrap_or(false)).await;
    crate::trace::log_publish(&outcome);
    outcome.shown(&desk)
}

/// What the Publish button's confirmation shows: what goes where, who is
/// notified, and where the update is already.
#[tauri::command]
#[specta::specta]
pub async fn publish_plan(desk: State<'_, Desk>, id: u32, update: Option<u32>) -> Answer<PublishPlan> {
    desk_app::publish::publish_plan(&desk, id, update).await.shown(&desk)
}

/// Where publishing goes now.
#[tauri::command]
#[specta::specta]
pub fn publish_target(desk: State<'_, Desk>) -> Answer<PublishTarget> {
    desk_app::publish::publish_target(&desk).shown(&desk)
}

/// Opens the status page readers see in the default browser.
#[tauri::command]
#[specta::specta]
pub fn open_public_page(desk: State<'_, Desk>) -> Answer<()> {
    let target = desk.publishing.current().shown(&desk)?;
    tauri_plugin_opener::open_url(&target.public_url, None::<&str>)
        .map_err(|e| desk_app::AppError::unavailable(format!("ブラウザーを開けません: {e}"), format!("the browser could not be opened: {e}")))
        .shown(&desk)
}
