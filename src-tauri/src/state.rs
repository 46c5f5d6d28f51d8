//! What the app holds while it runs: the store (on tauri-plugin-sql's pool),
//! the organisation's templates, the local sandbox status page and the
//! publishing engine pointed at it.

use std::path::PathBuf;
use std::sync::Arc;

use desk_publish::{Engine, EngineOptions, JsonlLog, PublishLog};
use desk_sandbox::{PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};
use desk_store::Store;

pub use crate::library::{ActiveTemplates, LibraryCache};

/// The page of the sandbox that receives both languages in one body.
pub const SANDBOX_PAGE: &str = "sandbox";

pub struct AppState {
    pub store: Store,
    /// The store's active template library, parsed once per library revision.
    pub library: LibraryCache,
    /// The template editor's last preview per language.
    pub template_previews: crate::templates::PreviewMemo,
    pub lint: desk_lint::Config,
    pub publishing: Publishing,
    /// Who is working: the OS user (single-person mode).
    pub actor: String,
}

/// Where updates go. Until a Statuspage key is set, the built-in sandbox.
pub struct Publishing {
    pub engine: Engine,
    /// A client for the same page's API (reading its incident templates).
    pub client: Client,
    pub page_id: String,
    /// The page readers see, to open in the browser.
    pub public_url: String,
    /// Kept alive for as long as the app runs.
    sandbox: Sandbox,
}

impl Publishing {
    /// Starts the sandbox on a free loopback port, with its data (and the
    /// publish log) in the app's data folder. A new sandbox's pages offer the
    /// components the incidents name, as the organisation's own page would.
    pub async fn sandbox(data_dir: PathBuf, components: &[String]) -> Result<Publishing, Box<dyn std::error::Error>> {
        let mut pages = PageSeed::defaults();
        for page in &mut pages {
            for name in components {
                if !page.components.contains(name) {
                    page.components.push(name.clone());
                }
            }
        }
        let config = SandboxConfig { data_dir: Some(data_dir.join("sandbox")), pages, ..SandboxConfig::default() };
        let sandbox = Sandbox::start(config).await?;
        let log: Arc<dyn PublishLog> = Arc::new(JsonlLog::open(&data_dir.join("publish-log.jsonl"))?);
        // The sandbox accepts any key; a real key only ever comes from the keychain.
        let client = Client::new(ClientConfig::new(sandbox.api_base()), ApiKey::new("local-sandbox")?)?;
        Ok(Publishing {
            engine: Engine::new(client.clone(), log, EngineOptions::default()),
            client,
            page_id: SANDBOX_PAGE.to_string(),
            public_url: sandbox.public_url(),
            sandbox,
        })
    }
}

impl Publishing {
    /// The built-in sandbox behind this target.
    pub fn sandbox_server(&self) -> &Sandbox {
        &self.sandbox
    }
}

impl AppState {
    /// The template library as it is now in the store (with its revision).
    pub async fn templates(&self) -> Result<std::sync::Arc<ActiveTemplates>, desk_store::StoreError> {
        self.library.current(&self.store).await
    }
}

/// The OS user, as the author of what is saved in single-person mode.
pub fn os_user() -> String {
    desk_store::os_user().unwrap_or_else(|| "local".into())
}

/// A template folder named by `DESK_TEMPLATES` is imported into the store's
/// library at start-up (files it changes become new versions), so the
/// editor, the composer and `desk` all see one library.
pub async fn import_templates_folder(store: &Store, actor: &str) -> Result<(), Box<dyn std::error::Error>> {
    let Some(dir) = std::env::var_os("DESK_TEMPLATES") else { return Ok(()) };
    let dir = std::path::Path::new(&dir);
    match crate::library::import_folder(store, dir, actor).await? {
        crate::library::FolderImport::Saved(_) => Ok(()),
        crate::library::FolderImport::Refused(problems) => {
            Err(format!("DESK_TEMPLATES={}: nothing imported: {}", dir.display(), problems.join("; ")).into())
        }
    }
}

/// Every component name the stored incidents mention, sorted.
pub async fn component_names(store: &Store) -> Result<Vec<String>, desk_store::StoreError> {
    let mut names = std::collections::BTreeSet::new();
    for row in store.list(&desk_store::ListQuery { limit: 1000, ..Default::default() }).await? {
        let incident = store.load_incident(row.id).await?;
        names.extend(incident.components.into_iter().map(|c| c.name));
    }
    Ok(names.into_iter().collect())
}
