//! The update prompt: what the last check found, and installing it once the
//! person agreed (the UI saves the draft first). Rust checks the signature
//! and restarts the app; the webview needs none of the updater's commands.

use desk_app::Desk;
use tauri::State;

use crate::answer::{Answer, Shown};
use crate::updates::{self, UpdateOffered, Updates};

/// The update found since start (by the quiet check or the menu's), if any.
#[tauri::command]
#[specta::specta]
pub fn pending_update(updates: State<'_, Updates>) -> Option<UpdateOffered> {
    updates.offered()
}

/// Downloads the update, installs it only if its signature verifies, and restarts.
#[tauri::command]
#[specta::specta]
pub async fn install_update(updates: State<'_, Updates>, desk: State<'_, Desk>) -> Answer<()> {
    updates::install(&updates, |update, bytes| update.install(bytes)).await.shown(&desk)?;
    log::info!("updates: installed; restarting");
    updates.restart();
    Ok(())
}
