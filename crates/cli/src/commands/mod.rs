//! One module per `desk` subcommand.

pub mod lint;
pub mod new;
pub mod render;

/// Options every subcommand sees.
pub struct Global {
    /// `--db` / `DESK_DB`; `None` means the app's own database.
    #[allow(dead_code)]
    pub db: Option<String>,
}
