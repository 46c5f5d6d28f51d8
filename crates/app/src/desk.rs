//! The context every use case runs in: the store, the template library as
//! last parsed, what the draft being typed is previewed against, the
//! linter's configuration, where publishing goes, who is working, and the
//! UI's language. Built once at start-up by the app, and per run by `desk`.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use desk_keychain::KeyStore;
use desk_model::Lang;
use desk_store::Store;

use crate::compose::DraftContexts;
use crate::library::{ActiveTemplates, LibraryCache};
use crate::memory::MemoryCache;
use crate::publishing::Publishing;
use crate::templates::PreviewMemo;
use crate::Result;

pub struct Desk {
    pub store: Store,
    /// The store's active template library, parsed once per library revision.
    pub library: LibraryCache,
    /// The template editor's last preview per language.
    pub template_previews: PreviewMemo,
    /// What the draft being typed is previewed against.
    pub draft_contexts: DraftContexts,
    pub lint: LiveLint,
    pub publishing: Publishing,
    /// The translation memory, read from the store when first used and
    /// brought up to date before each use (`memory.rs`).
    pub memory: MemoryCache,
    /// Who is working: the database role in team mode, else the OS user.
    pub actor: String,
    /// The UI's language, as last saved (messages and notifications use it).
    ui_language: RwLock<Lang>,
    /// The time a test set ([`Desk::set_clock`]); none: the system clock.
    fixed_now: RwLock<Option<DateTime<Utc>>>,
}

/// How a [`Desk`] is put together besides its store.
pub struct DeskOptions {
    /// The app's data folder: the sandbox's data and the publish log.
    pub data_dir: PathBuf,
    /// Where the Statuspage key lives; `None`: the OS keychain.
    pub keys: Option<Arc<dyn KeyStore>>,
    /// True when `keys` lives in this process only (tests and demos).
    pub in_memory_keychain: bool,
    /// Statuspage's API base; `None`: Statuspage itself.
    pub statuspage_base: Option<String>,
}

impl DeskOptions {
    pub fn new(data_dir: PathBuf) -> DeskOptions {
        DeskOptions { data_dir, keys: None, in_memory_keychain: false, statuspage_base: None }
    }
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

impl Desk {
    /// Gets an opened store ready (samples and the single-person policy on a
    /// new single-person database; the `DESK_TEMPLATES` folder), starts the
    /// sandbox, and applies the saved settings (publishing target, linter).
    pub async fn start(store: Store, options: DeskOptions) -> Result<Desk> {
        let actor = prepare(&store).await?;
        import_templates_folder(&store, &actor).await?;
        // A new sandbox offers the components the incidents name, as the organisation's page would.
        let components = store.component_names().await?;
        let mut publishing = Publishing::sandbox(&store, options.data_dir, &components)
            .await
            .map_err(|e| crate::AppError::unavailable(format!("サンドボックスを起動できません: {e}"), format!("the sandbox could not start: {e}")))?;
        if let Some(keys) = options.keys {
            publishing.keys = keys;
        }
        publishing.in_memory_keychain = options.in_memory_keychain;
        if let Some(base) = options.statuspage_base {
            publishing.statuspage_base = base;
        }
        let desk = Desk {
            ui_language: RwLock::new(crate::settings::saved_ui_language(&store).await?),
            store,
            library: LibraryCache::default(),
            template_previews: PreviewMemo::default(),
            draft_contexts: DraftContexts::default(),
            lint: LiveLint::new(desk_lint::Config::default()),
            publishing,
            memory: MemoryCache::default(),
            actor,
            fixed_now: RwLock::new(None),
        };
        crate::settings::restore(&desk).await?;
        Ok(desk)
    }

    /// The template library as it is now in the store (with its revision).
    pub async fn templates(&self) -> Result<Arc<ActiveTemplates>> {
        Ok(self.library.current(&self.store).await?)
    }

    /// What time it is for the use cases that judge by the clock (a
    /// maintenance's window, its checks, the overrun): the system clock,
    /// unless [`Desk::set_clock`] fixed it.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.read().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(Utc::now)
    }

    /// Fixes the clock at `at` (none: the system clock again). For tests and
    /// demos driving the app's Rust directly; nothing outside sets it.
    pub fn set_clock(&self, at: Option<DateTime<Utc>>) {
        *self.fixed_now.write().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// The UI's language.
    pub fn ui_language(&self) -> Lang {
        *self.ui_language.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn remember_ui_language(&self, lang: Lang) {
        *self.ui_language.write().unwrap_or_else(|e| e.into_inner()) = lang;
    }
}

/// Opens a team's PostgreSQL as the URL's role. The password: the URL's,
/// else `PGPASSWORD` (or `~/.pgpass`), else the OS keychain's entry for the
/// URL (account `postgres:` + the URL without password).
pub async fn open_team(url: &str) -> Result<Store> {
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
    std::thread::spawn(move || desk_keychain::KeyringStore::default().get(&account).ok().flatten().map(|k| k.expose().to_string()))
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
pub async fn prepare(store: &Store) -> Result<String> {
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
    desk_model::Kind::ALL
        .iter()
        .flat_map(|k| k.statuses().iter().copied())
        .map(|status| desk_store::review::EmergencyRule { status, first_only: false })
        .collect()
}

/// A template folder named by `DESK_TEMPLATES` is imported into the store's
/// library at start-up (files it changes become new versions), so the
/// editor, the composer and `desk` all see one library.
async fn import_templates_folder(store: &Store, actor: &str) -> Result<()> {
    let Some(dir) = std::env::var_os("DESK_TEMPLATES") else { return Ok(()) };
    let dir = std::path::Path::new(&dir);
    match crate::library::import_folder(store, dir, actor).await? {
        crate::library::FolderImport::Saved(_) => Ok(()),
        crate::library::FolderImport::Refused(problems) => Err(crate::AppError::invalid(
            "DESK_TEMPLATES",
            format!("DESK_TEMPLATES={}: 何も取り込んでいません: {}", dir.display(), problems.join("; ")),
            format!("DESK_TEMPLATES={}: nothing imported: {}", dir.display(), problems.join("; ")),
        )),
    }
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
