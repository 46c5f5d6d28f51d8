//! Desktop habits: one instance per database (a second launch on the same
//! database focuses the open window), the window's size and place
//! remembered, and the log in the platform's log folder.

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

use crate::diagnostics::DatabaseMode;

/// The log file's name in the platform's log folder (`incident-desk.log`).
pub const LOG_FILE: &str = "incident-desk";

/// One instance per database and person: a second launch on the same
/// database (the same SQLite file, or the same PostgreSQL database as the
/// same role) focuses the first one's window and exits; other databases
/// open side by side. Linux tells instances apart by a D-Bus name, which
/// carries the database here; on Windows and macOS the plugin knows only
/// the app's identifier, so there it is one instance of the app.
pub fn single_instance<R: Runtime>(identifier: &str, database: &DatabaseMode) -> TauriPlugin<R> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, _args, _cwd| {
        log::info!("a second launch on this database: showing the open window");
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.unminimize();
            let _ = window.show();
            let _ = window.set_focus();
        }
    });
    #[cfg(target_os = "linux")]
    let builder = builder.dbus_id(format!("{identifier}.db{:016x}", fnv1a(database.to_string().as_bytes())));
    #[cfg(not(target_os = "linux"))]
    let _ = (identifier, database);
    builder.build()
}

/// A hash that stays the same from one build to the next (std's may not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The window opens where and as large as it was left.
pub fn window_state<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_window_state::Builder::default().build()
}

/// The log: our lines and our dependencies' warnings, to `targets` (the
/// app: the platform's log folder and stdout). No line carries the API key:
/// the key lives in the keychain and desk-statuspage's `ApiKey` prints as
/// redacted (tested in `ipc_tests::desktop`).
pub fn log<R: Runtime>(targets: impl IntoIterator<Item = Target>) -> TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .targets(targets)
        .level(log::LevelFilter::Warn)
        .level_for("incident_desk", log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(3))
        .build()
}

/// Where the app writes its log: the platform's log folder and stdout.
pub fn log_targets() -> [Target; 2] {
    [Target::new(TargetKind::LogDir { file_name: Some(LOG_FILE.into()) }), Target::new(TargetKind::Stdout)]
}

/// The desktop plugins, single-instance first (as its docs ask: a second
/// launch must stop before anything else starts).
pub fn plugins(app: tauri::Builder<tauri::Wry>, identifier: &str, database: &DatabaseMode) -> tauri::Builder<tauri::Wry> {
    app.plugin(single_instance(identifier, database))
        .plugin(log(log_targets()))
        .plugin(window_state())
        .plugin(crate::updates::plugin())
        .plugin(tauri_plugin_clipboard_manager::init())
}

/// Once the desk is open: the menu in the UI's language, and the quiet
/// check for updates.
pub fn start(app: &tauri::AppHandle, database: DatabaseMode) {
    log::info!("Incident Desk {} started on {database}", app.package_info().version);
    app.manage(database);
    if let Ok(dir) = app.path().app_log_dir() {
        app.manage(crate::diagnostics::LogFile(dir.join(format!("{LOG_FILE}.log"))));
    }
    app.manage(crate::updates::Updates::from_env(app));
    if let Err(e) = crate::menu::install(app) {
        log::warn!("menu: could not set it: {e}");
    }
    crate::updates::check_at_start(app.clone());
}
