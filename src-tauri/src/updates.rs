//! Updates (tauri-plugin-updater): where the app looks for them, what the
//! prompt shows, and installing only an artifact whose signature verifies
//! against the public key in tauri.conf.json (`plugins.updater.pubkey`).
//!
//! The app checks once at start, quietly (found or not, failed or not, the
//! log says so; the UI hears only of an update), and again from the menu.
//! The UI never calls the plugin: it shows what `UpdateOffered` carries and,
//! once the person agrees and the draft is saved, asks `install_update`.

#[cfg(test)]
mod tests;

use std::sync::Mutex;
use std::time::Duration;

use desk_app::{AppError, ErrorKind};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager, Runtime, Url};
use tauri_plugin_updater::{Update, UpdaterExt};
use tauri_specta::Event;

/// An organisation that hosts its own update feed names it here (a
/// `latest.json` URL); otherwise the endpoint in tauri.conf.json is used.
pub const ENDPOINT_VARIABLE: &str = "DESK_UPDATE_ENDPOINT";

/// How long a check or a download may take before it counts as failed.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A newer version, as the prompt shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, Event)]
pub struct UpdateOffered {
    /// The version offered (`0.2.0`).
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// When it was published (RFC 3339, UTC), when the feed says.
    pub date: Option<String>,
    /// The release notes as the feed has them (plain text, shown as such).
    pub notes: String,
}

/// The feed checked, the update found by the last check (kept until
/// installed), and how the app restarts into the new version.
pub struct Updates {
    feed: Option<Url>,
    found: Mutex<Option<Update>>,
    restart: Box<dyn Fn() + Send + Sync>,
}

impl Updates {
    /// The feed `DESK_UPDATE_ENDPOINT` names, if it is a URL; else tauri.conf.json's.
    pub fn from_env<R: Runtime>(app: &AppHandle<R>) -> Updates {
        let feed = std::env::var(ENDPOINT_VARIABLE).ok().filter(|v| !v.trim().is_empty()).and_then(|v| match Url::parse(v.trim()) {
            Ok(url) => Some(url),
            Err(e) => {
                log::warn!("updates: {ENDPOINT_VARIABLE}={v} is no URL ({e}); using the configured feed");
                None
            }
        });
        Updates::new(app, feed)
    }

    /// Updates from `feed` (an organisation's own, or a test's).
    pub fn new<R: Runtime>(app: &AppHandle<R>, feed: Option<Url>) -> Updates {
        let app = app.clone();
        Updates { feed, found: Mutex::new(None), restart: Box::new(move || app.restart()) }
    }

    /// What the last check found and nobody installed yet.
    pub fn offered(&self) -> Option<UpdateOffered> {
        self.found.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(offer_of)
    }

    /// Exits and starts the app again (the installed version).
    pub fn restart(&self) {
        (self.restart)()
    }
}

/// The updater plugin: its settings (public key, endpoints) come from tauri.conf.json.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Asks the feed whether there is a newer version; keeps it for `install`.
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> Result<Option<UpdateOffered>, AppError> {
    let updates = app.state::<Updates>();
    let mut builder = app.updater_builder().timeout(TIMEOUT);
    if let Some(feed) = &updates.feed {
        builder = builder.endpoints(vec![feed.clone()]).map_err(failure)?;
    }
    let found = builder.build().map_err(failure)?.check().await.map_err(failure)?;
    let offer = found.as_ref().map(offer_of);
    *updates.found.lock().unwrap_or_else(|e| e.into_inner()) = found;
    Ok(offer)
}

/// Downloads the update the last check found and hands it to `installer`
/// only when its signature verifies against the app's public key; a wrong
/// signature is refused (kind `refused`, field `signature`) and nothing is
/// installed. The app's installer is the plugin's (`Update::install`).
pub async fn install<I>(updates: &Updates, installer: I) -> Result<(), AppError>
where
    I: FnOnce(&Update, Vec<u8>) -> Result<(), tauri_plugin_updater::Error>,
{
    let update = updates.found.lock().unwrap_or_else(|e| e.into_inner()).take();
    let update = update.ok_or_else(|| {
        AppError::not_found("インストールできる更新はありません。先に更新を確認してください。", "there is no update to install: check for updates first")
    })?;
    log::info!("updates: downloading {} from {}", update.version, update.download_url);
    // `download` verifies the signature before it returns the bytes.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(failure)?;
    log::info!("updates: {} verified ({} bytes); installing", update.version, bytes.len());
    installer(&update, bytes).map_err(failure)
}

/// The check at start: quiet. Only an update found reaches the UI (the
/// prompt); nothing new, or a failed check (offline), goes to the log.
pub fn check_at_start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(Some(offer)) => {
                log::info!("updates: {} is available (running {})", offer.version, offer.current_version);
                if let Err(e) = offer.emit(&app) {
                    log::warn!("updates: could not tell the window: {e}");
                }
            }
            Ok(None) => log::info!("updates: {} is the newest version", app.package_info().version),
            Err(e) => log::warn!("updates: the check at start failed: {}", e.message.en),
        }
    });
}

fn offer_of(update: &Update) -> UpdateOffered {
    UpdateOffered {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        date: update
            .date
            .and_then(|d| chrono::DateTime::from_timestamp(d.unix_timestamp(), 0))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        notes: update.body.clone().unwrap_or_default(),
    }
}

/// The updater's failure, typed: a signature that does not verify is a
/// refusal (field `signature`); the feed or the download out of reach is
/// `unavailable`.
fn failure(e: tauri_plugin_updater::Error) -> AppError {
    use tauri_plugin_updater::Error as E;
    match e {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) | E::SignedVersionMismatch { .. } | E::MissingSignedVersion => AppError::refused(
            format!("更新の署名がこのアプリの公開鍵で検証できないため、インストールしませんでした（{e}）。"),
            format!("the update's signature does not verify against this app's public key: it was not installed ({e})"),
        )
        .on_field("signature"),
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound | E::Serialization(_) | E::TargetNotFound(_) | E::TargetsNotFound(_) => {
            AppError::unavailable(format!("更新の配信元に接続できません（{e}）。"), format!("the update feed cannot be reached ({e})"))
        }
        E::InsecureTransportProtocol | E::EmptyEndpoints | E::UrlParse(_) => AppError {
            field: Some(ENDPOINT_VARIABLE.into()),
            ..AppError::new(ErrorKind::Invalid, format!("更新の配信元の設定が正しくありません（{e}）。"), format!("the update feed is misconfigured ({e})"))
        },
        e => AppError::unavailable(format!("更新できませんでした（{e}）。"), format!("the update failed ({e})")),
    }
}
