//! A postmortem's notifications, as its author chooses them on the draft:
//! whether publishing it notifies the page's subscribers (Statuspage's
//! `notify_subscribers`, the update's `notify`, as for any update) and
//! whether it is posted to the page's Twitter account (`notify_twitter`, off
//! unless chosen). The choice is part of the draft's revision, so an
//! approval covers it twice over: the approved revision holds it, and the
//! request digest recorded with the approval names both flags
//! (`desk_app::approval`); changing either after the approval needs a new one.

use desk_model::Status;
use desk_store::{Store, StoredUpdate, UpdateState};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compose::Saved;
use crate::{AppError, Desk, Result};

/// What publishing a postmortem draft will send besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PostmortemNotifications {
    /// Notify the page's subscribers; none: the organisation's default for
    /// postmortems.
    pub subscribers: Option<bool>,
    /// Post it to the page's Twitter account.
    pub twitter: bool,
}

/// Saves the author's choice on the postmortem draft `update_id` as a new
/// revision, if `version` is still the current one (else a conflict, and
/// nothing is saved). Refused for an update that is not a postmortem draft.
pub async fn choose_notifications(
    store: &Store,
    actor: &str,
    update_id: u32,
    version: u32,
    choice: PostmortemNotifications,
) -> Result<Saved> {
    let row = stored_update(store, update_id).await?;
    if row.state != UpdateState::Draft {
        return Err(AppError::refused(
            "公開済みの更新の通知は変えられません。",
            "the update is published: its notifications cannot be changed",
        ));
    }
    if row.update.status != Status::Postmortem {
        return Err(AppError::invalid(
            "notify_twitter",
            "Twitter への投稿と購読者への通知をここで選べるのは事後報告だけです。ほかの更新は通知の選択で決めてください。",
            "only a postmortem chooses its Twitter post and subscriber notification here; other updates use the notify choice",
        ));
    }
    let mut update = row.update.clone();
    update.notify = choice.subscribers;
    update.notify_twitter = choice.twitter;
    let saved = store.save_draft(update_id as i64, version as i64, &update, actor).await?;
    Ok(Saved { version: saved.number as u32 })
}

/// [`choose_notifications`] in the app: as the Desk's person, and the live
/// preview reads the draft again.
pub async fn choose_notifications_in(desk: &Desk, id: u32, update_id: u32, version: u32, choice: PostmortemNotifications) -> Result<Saved> {
    let saved = choose_notifications(&desk.store, &desk.actor, update_id, version, choice).await?;
    desk.draft_contexts.read(desk, id).await?;
    Ok(saved)
}

/// Update `update_id` as stored now.
async fn stored_update(store: &Store, update_id: u32) -> Result<StoredUpdate> {
    let status = store.review_status(update_id as i64).await?;
    let stored = store.load_incident(status.incident_id).await?;
    stored
        .updates
        .into_iter()
        .find(|u| u.id == update_id as i64)
        .ok_or_else(|| AppError::not_found("その更新はありません。", "that update does not exist"))
}

/// The choice on update `update_id` as saved (its current revision).
pub async fn notifications(store: &Store, update_id: u32) -> Result<PostmortemNotifications> {
    let row = stored_update(store, update_id).await?;
    Ok(PostmortemNotifications { subscribers: row.update.notify, twitter: row.update.notify_twitter })
}
