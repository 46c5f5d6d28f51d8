//! The Incident Desk app shell: it opens the window and answers the UI's
//! commands by calling the desk-* crates. Nothing is decided here.

mod commands;
mod library;

use tauri::Manager;

pub use commands::{bindings_builder, CommandError, IncidentSummary, Preview};
pub use library::IncidentLibrary;

/// Starts the app.
pub fn run() {
    let builder = bindings_builder();
    tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(|app| {
            let library = IncidentLibrary::open_default(app.path().app_data_dir()?)?;
            app.manage(library);
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("Incident Desk could not start");
}
