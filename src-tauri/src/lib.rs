//! The Incident Desk app shell: it opens the window, loads the plugins,
//! and answers the UI's commands by calling desk-app, where every use case
//! is written. Nothing is decided here.

mod answer;
mod commands;
mod database;
mod desktop;
mod diagnostics;
#[cfg(test)]
mod ipc_tests;
mod menu;
mod navigation;
mod registry;
mod trace;
mod updates;
mod watcher;

use database::{database, Database};
use desk_app::{Desk, DeskOptions};
use tauri::Manager;
use tauri_plugin_sql::{DbInstances, DbPool, Migration, MigrationKind};

pub use registry::bindings_builder;
pub use trace::trace_startup;

/// The webview paints on the CPU, without GPU compositing. Where there is no
/// GPU driver (virtual machines, remote desktops) WebKitGTK emulates the GPU
/// in software (llvmpipe), which cost about 190 ms of CPU per keystroke in
/// the composer here against about 28 ms without it; text like ours gains
/// nothing from compositing on a real GPU either.
fn render_on_cpu(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    for window in app.webview_windows().values() {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Starts the app.
pub fn run() {
    trace_startup("main");
    let (database, connection) = database();
    let database_mode = diagnostics::DatabaseMode::of(&database);
    let mut context = tauri::generate_context!();
    let mut app = desktop::plugins(tauri::Builder::default(), &context.config().identifier, &database_mode);
    if let Database::File(db_url) = &database {
        let migrations = desk_store::migrations::list()
            .into_iter()
            .map(|(version, description, sql)| Migration { version, description, sql, kind: MigrationKind::Up })
            .collect();
        // The plugin opens (and migrates) the database at start-up. The webview
        // is granted none of its commands: only Rust reaches the database.
        context
            .config_mut()
            .plugins
            .0
            .insert("sql".into(), serde_json::json!({ "preload": [db_url.clone()] }));
        app = app.plugin(tauri_plugin_sql::Builder::new().add_migrations(db_url, migrations).build());
    }

    let commands = bindings_builder();
    app.plugin(tauri_plugin_notification::init())
        .plugin(navigation::guard())
        .invoke_handler(commands.invoke_handler())
        .setup(move |app| {
            trace_startup("setup");
            commands.mount_events(app);
            render_on_cpu(app);
            let data_dir = app.path().app_data_dir()?;
            let handle = app.handle().clone();
            let desk = tauri::async_runtime::block_on(async move {
                let store = match &database {
                    Database::File(db_url) => {
                        let pool = match handle.state::<DbInstances>().0.read().await.get(db_url) {
                            Some(DbPool::Sqlite(pool)) => pool.clone(),
                            _ => return Err(format!("the database {db_url} did not open").into()),
                        };
                        // from_pool switches the file to WAL and checks the plugin ran every migration.
                        desk_store::Store::from_pool(pool).await?
                    }
                    Database::Team(url) => desk_app::desk::open_team(url).await?,
                };
                trace_startup("store");
                let mut options = DeskOptions::new(data_dir);
                if std::env::var_os("DESK_KEYCHAIN").is_some_and(|v| v == "memory") {
                    // For tests and demos: keys live in this process only and vanish at exit.
                    desk_keychain::memory::install();
                    options.in_memory_keychain = true;
                }
                let desk = Desk::start(store, options).await?;
                trace_startup("desk");
                Ok::<_, Box<dyn std::error::Error>>(desk)
            })?;
            app.manage(desk);
            desktop::start(app.handle(), database_mode);
            app.manage(connection);
            let handle = app.handle().clone();
            app.manage(database::Restart(Box::new(move || handle.restart())));
            app.manage(watcher::desktop_notifier(app.handle().clone()));
            watcher::watch(app.handle().clone());
            // The translation memory is read (built, the first time) in the
            // background, so the composer's first suggestion need not wait.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let _ = desk_app::memory::stats(&*handle.state::<Desk>()).await;
            });
            trace_startup("ready");
            Ok(())
        })
        .run(context)
        .expect("Incident Desk could not start");
}
