//! The promised next update: when it is due, and a desktop notification once
//! it is. The UI counts down; Rust decides what was promised and what the
//! notification says. Besides the countdown on screen, the app's watcher
//! notifies every promise that falls due while it runs, whichever screen is
//! open ([`notify_fallen_due`]), and each draft that starts waiting for my
//! approval (`review::notify_waiting`). How a notification is shown is the
//! front end's: a [`Notifier`] is given the function that shows one.

use std::collections::HashSet;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use desk_model::{Bilingual, Lang};
use desk_store::StoredIncident;
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;

use crate::{AppError, Desk, Result};

/// The next update readers were promised.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NextUpdate {
    /// RFC 3339, UTC: what the countdown counts to.
    pub at: String,
    /// The time in the organisation's style.
    pub label: Bilingual<String>,
}

/// Shows one desktop notification: title, body.
type ShowFn = Box<dyn Fn(&str, &str) -> Result<(), String> + Send + Sync>;

/// Shows a desktop notification (title, body), once per event. The app's
/// goes through tauri-plugin-notification; tests record what would be shown.
pub struct Notifier {
    show: ShowFn,
    /// The events already notified: a promise (incident, time) or a review request.
    notified: Mutex<HashSet<String>>,
}

impl Notifier {
    pub fn new(show: impl Fn(&str, &str) -> Result<(), String> + Send + Sync + 'static) -> Notifier {
        Notifier { show: Box::new(show), notified: Mutex::default() }
    }

    /// Notifies that incident `id`'s promise of `at` is due, unless that was
    /// done already; true when it was shown now.
    fn once(&self, id: i64, at: DateTime<Utc>, title: &str, body: &str) -> Result<bool> {
        self.once_for(format!("due:{id}:{}", at.to_rfc3339()), title, body)
    }

    /// Shows the notification unless the event `key` was notified already;
    /// true when it was shown now.
    pub fn once_for(&self, key: String, title: &str, body: &str) -> Result<bool> {
        if !self.notified.lock().unwrap_or_else(|e| e.into_inner()).insert(key) {
            return Ok(false);
        }
        (self.show)(title, body).map(|()| true).map_err(|e| {
            AppError::unavailable(
                format!("デスクトップ通知を表示できませんでした: {e}"),
                format!("the desktop notification could not be shown: {e}"),
            )
        })
    }
}

/// How often the app's watcher looks for promises that fell due and drafts that wait.
pub const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Notifies every promise that fell due after `since`. Reads the promises of every incident in one query.
pub async fn notify_fallen_due(desk: &Desk, notifier: &Notifier, since: DateTime<Utc>) -> Result<()> {
    let lang = desk.ui_language();
    let now = Utc::now();
    for (id, incident_title, at) in desk.store.promised_updates().await? {
        if at > since && at <= now {
            let label = desk.templates().await?.set.settings.dates.format_instant(at, lang);
            let (title, body) = due_message(incident_title.get(lang), &label, lang);
            notifier.once(id, at, &title, &body)?;
        }
    }
    Ok(())
}

/// The next update promised for incident `id`; none when none is (resolved, or nothing published).
pub async fn next_update(desk: &Desk, id: u32) -> Result<Option<NextUpdate>> {
    let stored = desk.store.load_incident(id as i64).await?;
    Ok(promised(&desk.templates().await?.set, &stored))
}

/// The incident's promised next update, its time in the organisation's style.
pub fn promised(templates: &TemplateSet, stored: &StoredIncident) -> Option<NextUpdate> {
    let style = &templates.settings.dates;
    stored.promised_next_update().map(|t| NextUpdate {
        at: t.to_rfc3339(),
        label: Bilingual { ja: style.format_instant(t, Lang::Ja), en: style.format_instant(t, Lang::En) },
    })
}

/// The notification's title and text, in the app's language.
fn due_message(title: &str, label: &str, lang: Lang) -> (String, String) {
    match lang {
        Lang::Ja => ("次の更新の時刻です".into(), format!("「{title}」の次の更新（{label} 予定）を公開してください。")),
        Lang::En => ("The next update is due".into(), format!("“{title}”: the next update promised for {label} is due.")),
    }
}

/// Shows a desktop notification that incident `id`'s promised update is
/// due. Answers false (and shows nothing) when it is not due yet, nothing is
/// promised, or this promise was notified already.
pub async fn notify_update_due(desk: &Desk, notifier: &Notifier, id: u32, lang: Lang) -> Result<bool> {
    let stored = desk.store.load_incident(id as i64).await?;
    let Some(at) = stored.promised_next_update().filter(|at| *at <= Utc::now()) else {
        return Ok(false);
    };
    let label = desk.templates().await?.set.settings.dates.format_instant(at, lang);
    let (title, body) = due_message(stored.title.get(lang), &label, lang);
    notifier.once(id as i64, at, &title, &body)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_reads_in_both_languages() {
        let (title, body) = due_message("Delays", "Jul 22, 15:20", Lang::En);
        assert_eq!(title, "The next update is due");
        assert_eq!(body, "“Delays”: the next update promised for Jul 22, 15:20 is due.");
        let (title, _) = due_message("遅延", "7/22 15:20", Lang::Ja);
        assert_eq!(title, "次の更新の時刻です");
    }
}
