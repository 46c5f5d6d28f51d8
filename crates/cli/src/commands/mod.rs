//! One module per `desk` subcommand.

pub mod key;
pub mod new;
pub mod publish;
pub mod render;
pub mod sandbox;

/// Incident Desk's own data directory: `$XDG_DATA_HOME/incident-desk`, else
/// `~/.local/share/incident-desk` (the app passes its own at integration).
pub fn data_dir() -> std::path::PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    base.join("incident-desk")
}

/// The OS keychain; `DESK_KEYCHAIN_SERVICE` picks another service name
/// (a second profile, or tests that must not touch a real key).
pub fn keychain() -> desk_keychain::KeyringStore {
    match std::env::var("DESK_KEYCHAIN_SERVICE") {
        Ok(service) if !service.trim().is_empty() => desk_keychain::KeyringStore::with_service(service.trim()),
        _ => desk_keychain::KeyringStore::default(),
    }
}

use std::path::PathBuf;

use desk_templates::TemplateSet;

use crate::failure::Failure;

/// Options every subcommand sees.
pub struct Global {
    /// `--db` / `DESK_DB`; `None` means the app's own database.
    #[allow(dead_code)]
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
