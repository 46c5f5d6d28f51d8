//! One module per `desk` subcommand.

pub mod audit;
pub mod export;
pub mod import;
pub mod key;
pub mod lint;
pub mod list;
pub mod new;
pub mod policy;
pub mod publish;
pub mod render;
pub mod revisions;
pub mod review;
pub mod sandbox;
pub mod search;
pub mod store;
pub mod templates;
pub mod tm;

use std::path::PathBuf;

use desk_templates::TemplateSet;

use crate::failure::Failure;

/// The app's data folder (Tauri's `app_data_dir()` for the app's identifier),
/// shared with the app: the database, the publish log and the sandbox's data.
pub fn data_dir() -> PathBuf {
    desk_store::default_db_path()
        .and_then(|db| db.parent().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The OS keychain; `DESK_KEYCHAIN_SERVICE` picks another service name
/// (a second profile, or tests that must not touch a real key).
pub fn keychain() -> desk_keychain::KeyringStore {
    match std::env::var("DESK_KEYCHAIN_SERVICE") {
        Ok(service) if !service.trim().is_empty() => desk_keychain::KeyringStore::with_service(service.trim()),
        _ => desk_keychain::KeyringStore::default(),
    }
}

/// Options every subcommand sees.
pub struct Global {
    /// `--db` / `DESK_DB`; `None` means the app's own database.
    pub db: Option<String>,
    /// `--templates` / `DESK_TEMPLATES`; `None` means the built-in set.
    pub templates: Option<PathBuf>,
}

impl Global {
    /// The organisation's templates, or ours.
    pub fn template_set(&self) -> Result<TemplateSet, Failure> {
        match &self.templates {
            Some(dir) => TemplateSet::load_dir(dir).map_err(|e| Failure::usage(e.to_string())),
            None => Ok(TemplateSet::builtin()),
        }
    }
}
