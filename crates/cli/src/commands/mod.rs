//! One module per `desk` subcommand.

pub mod new;
pub mod render;

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
