//! The composer: start an incident or an update, type, preview, reword, save.

use desk_app::compensation_form::{CompensationOffer, CompensationSaved};
use desk_app::compose::{Draft, DraftEdit, DraftText, Saved};
use desk_app::incidents::{Preview, PreviewPages};
use desk_app::postmortem::PostmortemNotifications;
use desk_app::timeline_table::{TimelineRow, TimelineSaved, TimelineTable};
use desk_app::Desk;
use desk_model::{Bilingual, Kind, Status};
use tauri::State;

use crate::answer::{Answer, Shown};

/// A new incident (or maintenance) with its first update from the template.
#[tauri::command]
#[specta::specta]
pub async fn new_incident(desk: State<'_, Desk>, kind: Kind) -> Answer<Draft> {
    desk_app::compose::new_incident(&desk, kind).await.shown(&desk)
}

/// A new update on an incident, in `status`, from the template, carrying
/// over what the newest update said.
#[tauri::command]
#[specta::specta]
pub async fn start_update(desk: State<'_, Desk>, id: u32, status: Status) -> Answer<Draft> {
    desk_app::compose::start_update(&desk, id, status).await.shown(&desk)
}

/// The incident's newest update when it is a draft; null otherwise.
#[tauri::command]
#[specta::specta]
pub async fn open_draft(desk: State<'_, Desk>, id: u32) -> Answer<Option<Draft>> {
    desk_app::compose::open_draft(&desk, id).await.shown(&desk)
}

/// The preview with the draft's text as typed (not saved), and what the
/// linter says about it; only the `pages` the pane shows carry their HTML.
/// Not async: Tauri answers it on the thread that receives the request,
/// without a hop to the async runtime and back (about 2 ms a keystroke); it
/// reads the database only when no context is kept.
#[tauri::command]
#[specta::specta]
pub fn preview_draft(
    desk: State<'_, Desk>,
    id: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
    pages: PreviewPages,
) -> Answer<Preview> {
    let context = match desk.draft_contexts.kept(id) {
        Some(context) => context,
        None => tauri::async_runtime::block_on(desk.draft_contexts.read(&desk, id)).shown(&desk)?,
    };
    desk_app::compose::preview_draft(&desk, &context, status, &title, &body, pages).shown(&desk)
}

/// The text typed in status `from`, reworded for status `to`. Saves nothing.
#[tauri::command]
#[specta::specta]
pub async fn restatus_draft(desk: State<'_, Desk>, id: u32, from: Status, to: Status, title: Bilingual<String>, body: Bilingual<String>) -> Answer<DraftText> {
    desk_app::compose::restatus_draft(&desk, id, from, to, title, body).await.shown(&desk)
}

/// Saves the draft's text (and the author's choice of notifying
/// subscribers; null for the organisation's default) as a new revision, if
/// `version` is still the current one; otherwise fails with kind `conflict`
/// and saves nothing.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)] // the UI's call names each argument (generated bindings)
pub async fn save_draft(
    desk: State<'_, Desk>,
    id: u32,
    update_id: u32,
    version: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
    notify: Option<bool>,
) -> Answer<Saved> {
    let edit = DraftEdit { id, update_id, version, status, title, body, notify };
    desk_app::compose::save_draft(&desk, edit).await.shown(&desk)
}

/// The timeline table of incident `id`'s draft (rows in the organisation's
/// time zone); null when the draft is not a postmortem.
#[tauri::command]
#[specta::specta]
pub async fn open_timeline(desk: State<'_, Desk>, id: u32) -> Answer<Option<TimelineTable>> {
    desk_app::timeline_table::open_timeline(&desk, id).await.shown(&desk)
}

/// Saves a postmortem draft like `save_draft`, with its timeline `rows`: a
/// wrong row fails with kind `invalid` and a field naming it
/// (`timeline.<index>.at|ja|en`); the bodies come back with their timeline
/// sections written from the rows.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)] // the UI's call names each argument (generated bindings)
pub async fn save_timeline(
    desk: State<'_, Desk>,
    id: u32,
    update_id: u32,
    version: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
    notify: Option<bool>,
    rows: Vec<TimelineRow>,
) -> Answer<TimelineSaved> {
    let edit = DraftEdit { id, update_id, version, status, title, body, notify };
    desk_app::timeline_table::save_timeline(&desk, edit, rows).await.shown(&desk)
}

/// The compensation offers of incident `id`'s draft (dates as
/// `YYYY-MM-DD`); null when the draft is not a postmortem.
#[tauri::command]
#[specta::specta]
pub async fn open_compensation(desk: State<'_, Desk>, id: u32) -> Answer<Option<Vec<CompensationOffer>>> {
    desk_app::compensation_form::open_compensation(&desk, id).await.shown(&desk)
}

/// Saves a postmortem draft like `save_draft`, with its compensation
/// `offers`: a wrong offer fails with kind `invalid` and a field naming it
/// (`compensation.<index>.who|what|how.ja|en`, `….start|end|from`); the
/// bodies come back with their compensation sections written from the offers.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)] // the UI's call names each argument (generated bindings)
pub async fn save_compensation(
    desk: State<'_, Desk>,
    id: u32,
    update_id: u32,
    version: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
    notify: Option<bool>,
    offers: Vec<CompensationOffer>,
) -> Answer<CompensationSaved> {
    let edit = DraftEdit { id, update_id, version, status, title, body, notify };
    desk_app::compensation_form::save_compensation(&desk, edit, offers).await.shown(&desk)
}

/// A postmortem draft's notifications as saved: whether its publish
/// notifies subscribers (null: the organisation's default) and posts to Twitter.
#[tauri::command]
#[specta::specta]
pub async fn postmortem_notifications(desk: State<'_, Desk>, update_id: u32) -> Answer<PostmortemNotifications> {
    desk_app::postmortem::notifications(&desk.store, update_id).await.shown(&desk)
}

/// Saves the author's choice of a postmortem draft's notifications as a new
/// revision, if `version` is still the current one (else kind `conflict`);
/// refused for an update that is not a postmortem draft (kind `invalid`,
/// field `notify_twitter`).
#[tauri::command]
#[specta::specta]
pub async fn choose_postmortem_notifications(
    desk: State<'_, Desk>,
    id: u32,
    update_id: u32,
    version: u32,
    choice: PostmortemNotifications,
) -> Answer<Saved> {
    desk_app::postmortem::choose_notifications_in(&desk, id, update_id, version, choice).await.shown(&desk)
}
