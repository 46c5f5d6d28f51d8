//! Where the app finds incidents: a folder of incident documents.
//!
//! `DESK_INCIDENTS_DIR` names the folder; otherwise it is `incidents/` in the
//! app's data folder, which starts out holding our sample incidents.

use std::path::{Path, PathBuf};

use desk_model::{Incident, IncidentDocument};
use desk_templates::TemplateSet;
use include_dir::{include_dir, Dir};

/// The sample incidents shipped with the app, for a first run.
static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../tests/fixtures/incidents");

pub struct IncidentLibrary {
    dir: PathBuf,
    pub templates: TemplateSet,
}

impl IncidentLibrary {
    /// Opens the folder named by `DESK_INCIDENTS_DIR`, or the app's own
    /// (filled with the samples the first time), with the templates named by
    /// `DESK_TEMPLATES` or ours.
    pub fn open_default(app_data: PathBuf) -> Result<Self, Box<dyn std::error::Error>> {
        let dir = match std::env::var_os("DESK_INCIDENTS_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let dir = app_data.join("incidents");
                if !dir.exists() {
                    std::fs::create_dir_all(&dir)?;
                    SAMPLES.extract(&dir)?;
                }
                dir
            }
        };
        let templates = match std::env::var_os("DESK_TEMPLATES") {
            Some(t) => TemplateSet::load_dir(Path::new(&t))?,
            None => TemplateSet::builtin(),
        };
        Ok(IncidentLibrary { dir, templates })
    }

    pub fn at(dir: PathBuf, templates: TemplateSet) -> Self {
        IncidentLibrary { dir, templates }
    }

    /// Every document in the folder, by id (the file name without `.toml`),
    /// sorted by id. A document that cannot be read is returned as its error.
    pub fn all(&self) -> std::io::Result<Vec<(String, Result<Incident, String>)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let id = id_of(&path);
                out.push((id, IncidentDocument::read(&path).map_err(|e| e.to_string())));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// One incident by id. Ids are file names; anything that could leave the
    /// folder is refused.
    pub fn get(&self, id: &str) -> Result<Incident, String> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(format!("`{id}` is not an incident id"));
        }
        IncidentDocument::read(&self.dir.join(format!("{id}.toml"))).map_err(|e| e.to_string())
    }
}

fn id_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}
