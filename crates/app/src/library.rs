//! The template library as the use cases read it: the store's active versions,
//! parsed once per library revision, and the library as a folder of files.

use std::path::Path;
use std::sync::{Arc, Mutex};

use desk_store::{Store, StoreError, TemplateVersion};
use desk_templates::library::{read_dir, write_dir};
use desk_templates::TemplateSet;

use crate::{AppError, ErrorKind};

/// The active library at one revision (0 = only built-in texts).
pub struct ActiveTemplates {
    pub revision: i64,
    pub set: TemplateSet,
}

/// Holds the last parsed library; a save (here or by `desk` in another
/// process) makes a new revision, and the next call parses that one.
#[derive(Default)]
pub struct LibraryCache {
    parsed: Mutex<Option<Arc<ActiveTemplates>>>,
}

impl LibraryCache {
    /// The active library, its revision checked in the store now.
    pub async fn current(&self, store: &Store) -> Result<Arc<ActiveTemplates>, StoreError> {
        let revision = store.library_revision().await?;
        if let Some(hit) = self.parsed.lock().expect("library cache").as_ref().filter(|a| a.revision == revision) {
            return Ok(hit.clone());
        }
        let fresh = Arc::new(ActiveTemplates { revision, set: store.template_set_at(revision).await? });
        *self.parsed.lock().expect("library cache") = Some(fresh.clone());
        Ok(fresh)
    }

    /// The library as last checked, without asking the store: for work done
    /// at every keystroke. Every other command checks it ([`LibraryCache::current`]),
    /// and this app's own saves drop it ([`LibraryCache::forget`]).
    pub fn last_checked(&self) -> Option<Arc<ActiveTemplates>> {
        self.parsed.lock().expect("library cache").clone()
    }

    /// The library changed: the next call checks the store.
    pub fn forget(&self) {
        *self.parsed.lock().expect("library cache") = None;
    }
}

/// What reading a library folder into the store did.
pub enum FolderImport {
    /// Every file was valid; the versions made (unchanged files make none).
    Saved(Vec<TemplateVersion>),
    /// Nothing was saved: every problem, as `FILE[:LINE:COLUMN]: message`.
    Refused(Vec<String>),
}

/// Reads a library folder into the store: all files are checked first and
/// either every changed file becomes a new version or nothing is saved.
pub async fn import_folder(store: &Store, dir: &Path, actor: &str) -> crate::Result<FolderImport> {
    let (files, problems) = read_dir(dir).map_err(|e| AppError::from_english(ErrorKind::Invalid, e))?;
    if !problems.is_empty() {
        return Ok(FolderImport::Refused(problems.iter().map(|p| p.to_string()).collect()));
    }
    let note = format!("imported from {}", dir.display());
    Ok(FolderImport::Saved(store.save_templates(&files, actor, &note).await?))
}

/// Writes every file of the active library into a folder, byte for byte.
/// Returns how many files were written.
pub async fn export_folder(store: &Store, dir: &Path) -> crate::Result<usize> {
    let files: Vec<(String, String)> = store.active_templates().await?.into_iter().map(|t| (t.path, t.source)).collect();
    write_dir(dir, &files).map_err(|e| AppError::from_english(ErrorKind::Invalid, format!("{}: {e}", dir.display())))?;
    Ok(files.len())
}
