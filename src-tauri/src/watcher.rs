//! Watches, for as long as the app runs, for promised updates that fall due
//! and drafts waiting for my approval, and notifies each once
//! (desk-app decides what is due and what the notification says).

use chrono::Utc;
use desk_app::timeline::{Notifier, WATCH_EVERY};
use desk_app::Desk;
use tauri::Manager;

/// Starts the watcher. Promises already overdue when the app started are
/// shown by the countdown, not notified; drafts already waiting are.
pub fn watch<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    let started = Utc::now();
    std::thread::spawn(move || loop {
        std::thread::sleep(WATCH_EVERY);
        let (desk, notifier) = (app.state::<Desk>(), app.state::<Notifier>());
        if let Err(e) = tauri::async_runtime::block_on(desk_app::timeline::notify_fallen_due(&desk, &notifier, started)) {
            log::warn!("checking for due updates: {e}");
        }
        if let Err(e) = tauri::async_runtime::block_on(desk_app::review::notify_waiting(&desk, &notifier)) {
            log::warn!("checking for drafts waiting for approval: {e}");
        }
    });
}

/// The notifier that shows desktop notifications through tauri-plugin-notification.
pub fn desktop_notifier<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Notifier {
    Notifier::new(move |title: &str, body: &str| {
        use tauri_plugin_notification::NotificationExt;
        app.notification().builder().title(title).body(body).show().map_err(|e| e.to_string())
    })
}
