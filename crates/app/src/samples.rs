//! The sample incidents a new installation starts with, so a first run has
//! something to look at and to publish to the sandbox.

use desk_model::IncidentDocument;
use desk_store::{NewIncident, Store};
use include_dir::{include_dir, Dir};

static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../tests/fixtures/incidents");

/// Imports the samples when the database holds no incident at all.
pub async fn seed_if_empty(store: &Store, actor: &str) -> crate::Result<()> {
    if store.count_incidents().await? > 0 {
        return Ok(());
    }
    let mut files: Vec<_> = SAMPLES.files().filter(|f| f.path().extension().is_some_and(|e| e == "toml")).collect();
    // In name order, so every installation gives the samples the same ids.
    files.sort_by_key(|f| f.path());
    let mut incidents = Vec::new();
    for file in files {
        let text = file.contents_utf8().unwrap_or_default();
        let incident = IncidentDocument::parse(text).map_err(|e| e.in_file(file.path()))?;
        let stem = file.path().file_stem().map(|s| s.to_string_lossy().into_owned());
        incidents.push(NewIncident { incident, source: "sample".into(), external_id: stem, opened_at: None });
    }
    store.import(&incidents, actor).await?;
    Ok(())
}
