//! The promised next update: when it is due, and a desktop notification once
//! it is. The UI counts down; Rust decides what was promised and what the
//! notification says. Besides the countdown on screen, a watcher notifies
//! every promise that falls due while the app runs, whichever screen is open,
//! and each draft that starts waiting for my approval.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use desk_model::{Bilingual, Lang};
use desk_store::StoredIncident;
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::CommandError;
use crate::state::AppState;

type Answer<T> = Result<T, CommandError>;

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
    fn once(&self, id: i64, at: DateTime<Utc>, title: &str, body: &str) -> Result<bool, String> {
        self.once_for(format!("due:{id}:{}", at.to_rfc3339()), title, body)
    }

    /// Shows the notification unless the event `key` was notified already;
    /// true when it was shown now.
    pub(crate) fn once_for(&self, key: String, title: &str, body: &str) -> Result<bool, String> {
        if !self.notified.lock().unwrap_or_else(|e| e.into_inner()).insert(key) {
            return Ok(false);
        }
        (self.show)(title, body).map(|()| true)
    }
}

/// How often the watcher looks for promises that fell due and drafts that wait.
const WATCH_EVERY: Duration = Duration::from_secs(15);

/// Watches, for as long as the app runs, for promised updates that fall due
/// and drafts waiting for my approval, and notifies each once. Promises
/// already overdue when the app started are shown by the countdown, not
/// notified; drafts already waiting are.
pub fn watch<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    use tauri::Manager;
    let started = Utc::now();
    std::thread::spawn(move || loop {
        std::thread::sleep(WATCH_EVERY);
        let (state, notifier) = (app.state::<AppState>(), app.state::<Notifier>());
        if let Err(e) = tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, started)) {
            eprintln!("incident-desk: checking for due updates: {}", e.message);
        }
        if let Err(e) = tauri::async_runtime::block_on(crate::review::notify_waiting(&state, &notifier)) {
            eprintln!("incident-desk: checking for drafts waiting for approval: {}", e.message);
        }
    });
}

/// Notifies every promise that fell due after `since`.
async fn notify_fallen_due(state: &AppState, notifier: &Notifier, since: DateTime<Utc>) -> Answer<()> {
    let lang = crate::settings::ui_language(&state.store).await?;
    let now = Utc::now();
    for row in state.store.list(&desk_store::ListQuery { limit: 1000, ..Default::default() }).await? {
        let stored = state.store.load_incident(row.id).await?;
        if let Some(at) = stored.promised_next_update().filter(|at| *at > since && *at <= now) {
            let label = state.templates().await?.set.settings.dates.format_instant(at, lang);
            let (title, body) = due_message(stored.title.get(lang), &label, lang);
            notifier.once(row.id, at, &title, &body)?;
        }
    }
    Ok(())
}

/// The next update promised for incident `id`; null when none is (resolved, or nothing published).
#[tauri::command]
#[specta::specta]
pub async fn next_update(state: State<'_, AppState>, id: u32) -> Answer<Option<NextUpdate>> {
    let stored = state.store.load_incident(id as i64).await?;
    Ok(promised(&state.templates().await?.set, &stored))
}

/// The incident's promised next update, its time in the organisation's style.
pub(crate) fn promised(templates: &TemplateSet, stored: &StoredIncident) -> Option<NextUpdate> {
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
#[tauri::command]
#[specta::specta]
pub async fn notify_update_due(state: State<'_, AppState>, notifier: State<'_, Notifier>, id: u32, lang: Lang) -> Answer<bool> {
    let stored = state.store.load_incident(id as i64).await?;
    let Some(at) = stored.promised_next_update().filter(|at| *at <= Utc::now()) else {
        return Ok(false);
    };
    let label = state.templates().await?.set.settings.dates.format_instant(at, lang);
    let (title, body) = due_message(stored.title.get(lang), &label, lang);
    Ok(notifier.once(id as i64, at, &title, &body).map_err(|e| format!("the desktop notification could not be shown: {e}"))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::tests::{app_from, id_of, invoke, state};
    use chrono::DateTime;
    use std::sync::Arc;

    #[test]
    fn a_due_promise_is_notified_once_asked_and_a_future_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_from(state(dir.path()));
        let shown: Arc<Mutex<Vec<(String, String)>>> = Default::default();
        let record = shown.clone();
        tauri::Manager::manage(&app, Notifier::new(move |t: &str, b: &str| {
            record.lock().unwrap().push((t.into(), b.into()));
            Ok(())
        }));
        // The ongoing sample promised its next update in the past: it is due.
        let id = id_of(&app, "メール配信に遅延");
        let next = invoke(&app, "next_update", serde_json::json!({ "id": id })).unwrap();
        let at = DateTime::parse_from_rfc3339(next["at"].as_str().unwrap()).unwrap().with_timezone(&Utc);
        assert!(at < Utc::now(), "the sample's promise is in the past");
        assert!(!next["label"]["ja"].as_str().unwrap().is_empty());
        let due = invoke(&app, "notify_update_due", serde_json::json!({ "id": id, "lang": "ja" })).unwrap();
        assert_eq!(due, true);
        let shown_now = shown.lock().unwrap().clone();
        assert_eq!(shown_now.len(), 1);
        assert_eq!(shown_now[0].0, "次の更新の時刻です");
        assert!(shown_now[0].1.contains("メール配信"), "{:?}", shown_now[0]);
        // The same promise is notified once.
        assert_eq!(invoke(&app, "notify_update_due", serde_json::json!({ "id": id, "lang": "ja" })).unwrap(), false);
        // A resolved incident promises nothing.
        let resolved = id_of(&app, "ログインできない");
        assert_eq!(invoke(&app, "next_update", serde_json::json!({ "id": resolved })).unwrap(), serde_json::Value::Null);
        assert_eq!(invoke(&app, "notify_update_due", serde_json::json!({ "id": resolved, "lang": "en" })).unwrap(), false);
        assert_eq!(shown.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_message_reads_in_both_languages() {
        let (title, body) = due_message("Delays", "Jul 22, 15:20", Lang::En);
        assert_eq!(title, "The next update is due");
        assert_eq!(body, "“Delays”: the next update promised for Jul 22, 15:20 is due.");
    }
}

#[cfg(test)]
mod watcher_tests {
    use super::*;
    use crate::commands::tests::{app_from, id_of, state};
    use std::sync::Arc;

    /// The watcher notifies promises that fall due after the app started, once each.
    #[test]
    fn promises_falling_due_are_notified_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_from(state(dir.path()));
        let shown: Arc<Mutex<Vec<String>>> = Default::default();
        let record = shown.clone();
        let notifier = Notifier::new(move |_: &str, b: &str| {
            record.lock().unwrap().push(b.to_string());
            Ok(())
        });
        let state = tauri::Manager::state::<AppState>(&app);
        let id = id_of(&app, "メール配信に遅延");
        let at = tauri::async_runtime::block_on(state.store.load_incident(id as i64)).unwrap().promised_next_update().unwrap();
        // Every sample promise was overdue before "now": nothing is notified.
        tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, Utc::now())).unwrap();
        assert!(shown.lock().unwrap().is_empty());
        // Started before Kumo Mail's promise: notified, and only once however often the watcher looks.
        let before = at - chrono::Duration::minutes(1);
        tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, before)).unwrap();
        let first = shown.lock().unwrap().clone();
        tauri::async_runtime::block_on(notify_fallen_due(&state, &notifier, before)).unwrap();
        assert_eq!(*shown.lock().unwrap(), first);
        assert_eq!(first.iter().filter(|b| b.contains("Kumo Mailのメール配信")).count(), 1, "{first:?}");
    }
}
