//! One module per `desk` subcommand.

pub mod export;
pub mod import;
pub mod list;
pub mod new;
pub mod render;
pub mod search;
pub mod store;

/// Options every subcommand sees.
pub struct Global {
    /// `--db` / `DESK_DB`; `None` means the app's own database.
    pub db: Option<String>,
}
