//! The approver's screen and the author's review panel.

use desk_app::publish::PublishOutcome;
use desk_app::review::{DraftReview, Me, PublishRecord, QueueEntry, ReviewComment, ReviewItem};
use desk_app::Desk;
use tauri::State;

use crate::answer::{Answer, Shown};

/// Who the app works as.
#[tauri::command]
#[specta::specta]
pub async fn who_am_i(desk: State<'_, Desk>) -> Answer<Me> {
    desk_app::review::who_am_i(&desk).await.shown(&desk)
}

/// Drafts waiting for review by me (not written by me), oldest request first.
#[tauri::command]
#[specta::specta]
pub async fn review_queue(desk: State<'_, Desk>) -> Answer<Vec<QueueEntry>> {
    desk_app::review::review_queue(&desk).await.shown(&desk)
}

/// One draft as the approver sees it.
#[tauri::command]
#[specta::specta]
pub async fn review_item(desk: State<'_, Desk>, update_id: u32) -> Answer<ReviewItem> {
    desk_app::review::review_item(&desk, update_id).await.shown(&desk)
}

/// Approves `revision` of the update (refused when I wrote it, or when it
/// is no longer the current revision).
#[tauri::command]
#[specta::specta]
pub async fn approve_revision(desk: State<'_, Desk>, update_id: u32, revision: u32) -> Answer<ReviewItem> {
    desk_app::review::approve_revision(&desk, update_id, revision).await.shown(&desk)
}

/// Sends `revision` back to its author with comments (at least one).
#[tauri::command]
#[specta::specta]
pub async fn request_changes(desk: State<'_, Desk>, update_id: u32, revision: u32, comments: Vec<ReviewComment>) -> Answer<ReviewItem> {
    desk_app::review::request_changes(&desk, update_id, revision, comments).await.shown(&desk)
}

/// Asks for review of the draft's `revision` (the one the author sees).
#[tauri::command]
#[specta::specta]
pub async fn request_review(desk: State<'_, Desk>, update_id: u32, revision: u32) -> Answer<DraftReview> {
    desk_app::review::request_review(&desk, update_id, revision).await.shown(&desk)
}

/// Where the review of an incident's draft stands; null when its newest
/// update is not a draft.
#[tauri::command]
#[specta::specta]
pub async fn draft_review(desk: State<'_, Desk>, id: u32) -> Answer<Option<DraftReview>> {
    desk_app::review::draft_review(&desk, id).await.shown(&desk)
}

/// Publishes an update without approval under the organisation's emergency
/// policy; the reason is required and approvers see the publish flagged.
#[tauri::command]
#[specta::specta]
pub async fn publish_emergency(desk: State<'_, Desk>, id: u32, update: Option<u32>, reason: String) -> Answer<PublishOutcome> {
    let outcome = desk_app::publish::publish_update(&desk, id, update, Some(&reason), false).await;
    crate::trace::log_publish(&outcome);
    outcome.shown(&desk)
}

/// Publishes that went out without approval, newest first: for approvers.
#[tauri::command]
#[specta::specta]
pub async fn emergency_publishes(desk: State<'_, Desk>) -> Answer<Vec<PublishRecord>> {
    desk_app::review::emergency_publishes(&desk).await.shown(&desk)
}
