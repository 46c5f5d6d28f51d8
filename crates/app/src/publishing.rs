//! What the app holds while it runs: the store (on tauri-plugin-sql's pool),
//! the organisation's templates, the local sandbox status page and the
//! publishing target (the sandbox or Statuspage), and the linter's configuration.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use desk_keychain::{KeyStore, KeyringStore, STATUSPAGE_ACCOUNT};
use desk_publish::job::Pages;
use desk_publish::{Engine, EngineOptions, JsonlLog, KeyState, PublishLog, PublishMode, PublishSettings, SandboxReason, TargetChoice};
use desk_sandbox::{PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};
use desk_store::Store;

pub use crate::library::{ActiveTemplates, LibraryCache};

/// The page of the sandbox that receives both languages in one body.
pub const SANDBOX_PAGE: &str = "sandbox";
/// The sandbox's Japanese and English pages (publish mode `split`).
pub const SANDBOX_PAGES_SPLIT: (&str, &str) = ("sandbox-ja", "sandbox-en");

pub struct AppState {
    pub store: Store,
    /// The store's active template library, parsed once per library revision.
    pub library: LibraryCache,
    /// The template editor's last preview per language.
    pub template_previews: crate::templates::PreviewMemo,
    /// What the draft being typed is previewed against.
    pub draft_contexts: crate::compose::DraftContexts,
    pub lint: LiveLint,
    pub publishing: Publishing,
    /// Who is working: the database role in team mode, else the OS user.
    pub actor: String,
}

/// The linter's configuration; the glossary and the publish mode change it while the app runs.
pub struct LiveLint(RwLock<Arc<desk_lint::Config>>);

impl LiveLint {
    pub fn new(config: desk_lint::Config) -> LiveLint {
        LiveLint(RwLock::new(Arc::new(config)))
    }

    pub fn get(&self) -> Arc<desk_lint::Config> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, config: desk_lint::Config) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
    }
}

/// Where updates go: the built-in sandbox (always running) until a
/// Statuspage key and page id are set, then Statuspage. Switching needs no restart.
pub struct Publishing {
    current: RwLock<Arc<Target>>,
    log: Arc<dyn PublishLog>,
    /// Where the Statuspage key lives (the OS keychain in the app).
    pub keys: Arc<dyn KeyStore>,
    /// True when `keys` is keyring's in-memory store (tests): keys vanish at exit.
    pub in_memory_keychain: bool,
    /// Statuspage's API; tests point it at a second sandbox.
    pub statuspage_base: String,
    sandbox: Sandbox,
}

/// One publishing target, ready to send.
pub struct Target {
    pub engine: Engine,
    /// For reading the page (components).
    pub client: Client,
    pub pages: Pages,
    pub settings: PublishSettings,
    /// Why updates go to the sandbox; none when they go to Statuspage.
    pub sandbox_reason: Option<SandboxReason>,
    /// The status page as readers (or, on Statuspage, its owners) see it.
    pub public_url: String,
}

impl Target {
    /// The pages, in one line.
    pub fn page_label(&self) -> String {
        match &self.pages {
            Pages::Combined(id) => id.clone(),
            Pages::Split { ja, en } => format!("{ja} (ja) / {en} (en)"),
        }
    }

    /// The first page: where components are read.
    pub fn first_page(&self) -> &str {
        match &self.pages {
            Pages::Combined(id) | Pages::Split { ja: id, .. } => id,
        }
    }
}

impl Publishing {
    /// Starts the sandbox on a free loopback port, with its data (and the
    /// publish log) in the app's data folder, and points publishing at it. A
    /// new sandbox's pages offer the components the incidents name, as the
    /// organisation's own page would. The key store is the OS keychain.
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
        let target = sandbox_target(&sandbox, &log, &PublishSettings::default(), SandboxReason::NoKey)?;
        Ok(Publishing {
            current: RwLock::new(Arc::new(target)),
            log,
            keys: Arc::new(KeyringStore::default()),
            in_memory_keychain: false,
            statuspage_base: ClientConfig::STATUSPAGE_BASE.into(),
            sandbox,
        })
    }

    /// The target updates go to now.
    pub fn current(&self) -> Arc<Target> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether a key can be used; never reads it out.
    pub fn key_state(&self) -> (KeyState, Option<ApiKey>) {
        match off_runtime(|| self.keys.get(STATUSPAGE_ACCOUNT)) {
            Ok(Some(key)) => (KeyState::Set, Some(key)),
            Ok(None) => (KeyState::Missing, None),
            Err(e) => (KeyState::Unavailable(e.to_string()), None),
        }
    }

    /// Points publishing at what `settings` and the keychain allow, at once.
    pub fn configure(&self, settings: &PublishSettings) -> Result<Arc<Target>, Box<dyn std::error::Error>> {
        let (state, key) = self.key_state();
        let target = match (desk_publish::choose(settings, &state), key) {
            (TargetChoice::Statuspage(pages), Some(key)) => {
                let client = Client::new(ClientConfig::new(self.statuspage_base.clone()), key)?;
                let engine = Engine::new(client.clone(), self.log.clone(), engine_options(settings));
                let public_url = if self.statuspage_base == ClientConfig::STATUSPAGE_BASE {
                    // Statuspage's public address is the page's own domain; its owners' view is here.
                    format!("https://manage.statuspage.io/pages/{}", first_id(&pages))
                } else {
                    format!("{}/", self.statuspage_base.trim_end_matches('/').trim_end_matches("/v1"))
                };
                Target { engine, client, pages, settings: settings.clone(), sandbox_reason: None, public_url }
            }
            (TargetChoice::Sandbox(reason), _) => sandbox_target(&self.sandbox, &self.log, settings, reason)?,
            (TargetChoice::Statuspage(_), None) => sandbox_target(&self.sandbox, &self.log, settings, SandboxReason::NoKey)?,
        };
        let target = Arc::new(target);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = target.clone();
        Ok(target)
    }

    /// The sandbox's API, for tests that use it as "Statuspage".
    pub fn sandbox_api_base(&self) -> String {
        self.sandbox.api_base()
    }
}

/// Runs a keychain call on a thread of its own: keyring's Secret Service
/// client runs its own async runtime, which must not nest inside Tauri's.
pub fn off_runtime<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(call).join().expect("the keychain call does not panic"))
}

fn first_id(pages: &Pages) -> String {
    match pages {
        Pages::Combined(id) | Pages::Split { ja: id, .. } => id.clone(),
    }
}

fn engine_options(settings: &PublishSettings) -> EngineOptions {
    EngineOptions { restore_components_on_resolve: settings.restore_components_on_resolve, ..EngineOptions::default() }
}

/// The sandbox, in the publish mode of `settings` (one page or two).
fn sandbox_target(sandbox: &Sandbox, log: &Arc<dyn PublishLog>, settings: &PublishSettings, reason: SandboxReason) -> Result<Target, Box<dyn std::error::Error>> {
    // The sandbox accepts any key; a real key only ever comes from the keychain.
    let client = Client::new(ClientConfig::new(sandbox.api_base()), ApiKey::new("local-sandbox")?)?;
    let pages = match settings.mode {
        PublishMode::Combined => Pages::Combined(SANDBOX_PAGE.into()),
        PublishMode::Split => Pages::Split { ja: SANDBOX_PAGES_SPLIT.0.into(), en: SANDBOX_PAGES_SPLIT.1.into() },
    };
    Ok(Target {
        engine: Engine::new(client.clone(), log.clone(), engine_options(settings)),
        client,
        pages,
        settings: settings.clone(),
        sandbox_reason: Some(reason),
        public_url: sandbox.public_url(),
    })
}

/// Opens a team's PostgreSQL as the URL's role. The password: the URL's,
/// else `PGPASSWORD` (or `~/.pgpass`), else the OS keychain's entry for the
/// URL (account `postgres:` + the URL without password).
pub async fn open_team(url: &str) -> Result<Store, Box<dyn std::error::Error>> {
    let password = keychain_password(url);
    Ok(Store::open_postgres(url, password.as_deref()).await?)
}

/// The keychain's password for a team URL, when neither the URL nor
/// `PGPASSWORD` gives one. Read on a thread of its own: the keychain client
/// may run its own async runtime, which must not start inside ours. A
/// keychain that cannot be reached is the same as no entry: the connection
/// then says which role could not log in.
fn keychain_password(url: &str) -> Option<String> {
    if url_has_password(url) || std::env::var_os("PGPASSWORD").is_some() {
        return None;
    }
    let account = keychain_account(url);
    std::thread::spawn(move || {
        use desk_keychain::KeyStore;
        desk_keychain::KeyringStore::default().get(&account).ok().flatten().map(|k| k.expose().to_string())
    })
    .join()
    .ok()
    .flatten()
}

/// The keychain account holding the password for a team database URL.
pub fn keychain_account(url: &str) -> String {
    format!("postgres:{url}")
}

/// Does `postgres://user:password@host/db` carry a password?
fn url_has_password(url: &str) -> bool {
    let authority = url.split_once("://").map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    authority.rsplit_once('@').is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// The setting that records that the single-person review policy was set
/// once (so that a policy changed later with `desk policy` is left alone).
const SINGLE_PERSON_POLICY_SET: &str = "review.single_person_policy_set";

/// Gets an opened store ready and says who works on it: the samples on a
/// first run of a single-person database, and that database's review
/// policy (see [`single_person_policy`]). A team's shared database gets
/// neither: its data and policy are the team's.
pub async fn prepare(store: &Store) -> Result<String, Box<dyn std::error::Error>> {
    let actor = store.identity().await?;
    if store.kind() == desk_store::BackendKind::Sqlite {
        crate::samples::seed_if_empty(store, &actor).await?;
        if store.setting(SINGLE_PERSON_POLICY_SET).await?.is_none() {
            store.set_emergency_policy(&single_person_policy()).await?;
            store.set_setting(SINGLE_PERSON_POLICY_SET, &serde_json::json!(true), &actor).await?;
        }
    }
    Ok(actor)
}

/// One person alone cannot have their text approved by someone else, so a
/// new single-person database lets every status be published without
/// approval, each time with a written reason that the audit log keeps
/// (an emergency publish). `desk policy set` changes it like any policy.
pub fn single_person_policy() -> Vec<desk_store::review::EmergencyRule> {
    [desk_model::Kind::Incident, desk_model::Kind::Maintenance]
        .iter()
        .flat_map(|k| k.statuses().iter().copied())
        .map(|status| desk_store::review::EmergencyRule { status, first_only: false })
        .collect()
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_in_the_url_is_found_and_only_there() {
        assert!(super::url_has_password("postgres://aiko:pw@db.example.com:5432/desk"));
        assert!(!super::url_has_password("postgres://aiko@db.example.com:5432/desk"));
        assert!(!super::url_has_password("postgres://db.example.com/desk"));
    }

    #[test]
    fn the_team_password_comes_from_the_keychain_when_nothing_else_gives_one() {
        use desk_keychain::KeyStore;
        if std::env::var_os("PGPASSWORD").is_some() {
            return; // PGPASSWORD wins, as intended; nothing to check here
        }
        desk_keychain::memory::install();
        let url = "postgres://aiko@db.example.com:5432/desk";
        assert_eq!(super::keychain_password(url), None);
        let secret = desk_statuspage::ApiKey::new("aiko-s-password").unwrap();
        desk_keychain::KeyringStore::default().set(&super::keychain_account(url), &secret).unwrap();
        assert_eq!(super::keychain_password(url).as_deref(), Some("aiko-s-password"));
        assert_eq!(super::keychain_password("postgres://aiko:given@db.example.com:5432/desk"), None, "the URL's own wins");
    }
}
