//! Where updates go: the built-in local sandbox status page until a
//! Statuspage key and page id are set, then Statuspage; switched at once,
//! without a restart.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use desk_keychain::{KeyStore, KeyringStore, STATUSPAGE_ACCOUNT};
use desk_publish::job::Pages;
use desk_publish::{Engine, EngineOptions, JsonlLog, KeyState, PublishLog, PublishMode, PublishSettings, SandboxReason, TargetChoice};
use desk_sandbox::{PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};

use crate::{AppError, Result};

/// The page of the sandbox that receives both languages in one body.
pub const SANDBOX_PAGE: &str = "sandbox";
/// The sandbox's Japanese and English pages (publish mode `split`).
pub const SANDBOX_PAGES_SPLIT: (&str, &str) = ("sandbox-ja", "sandbox-en");

/// Where updates go: the built-in sandbox (always running) until a
/// Statuspage key and page id are set, then Statuspage. Switching needs no
/// restart. `desk` instead publishes to the one target its arguments name
/// ([`Publishing::fixed`]), or nowhere ([`Publishing::nowhere`]).
pub struct Publishing {
    current: RwLock<Option<Arc<Target>>>,
    log: Arc<dyn PublishLog>,
    /// Where the Statuspage key lives (the OS keychain in the app).
    pub keys: Arc<dyn KeyStore>,
    /// True when `keys` is keyring's in-memory store (tests): keys vanish at exit.
    pub in_memory_keychain: bool,
    /// Statuspage's API; tests point it at a second sandbox.
    pub statuspage_base: String,
    sandbox: Option<Sandbox>,
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
    pub async fn sandbox(data_dir: PathBuf, components: &[String]) -> Result<Publishing> {
        let mut pages = PageSeed::defaults();
        for page in &mut pages {
            for name in components {
                if !page.components.contains(name) {
                    page.components.push(name.clone());
                }
            }
        }
        let config = SandboxConfig { data_dir: Some(data_dir.join("sandbox")), pages, ..SandboxConfig::default() };
        let sandbox = Sandbox::start(config)
            .await
            .map_err(|e| AppError::unavailable(format!("サンドボックスを起動できません: {e}"), format!("the sandbox could not start: {e}")))?;
        let log: Arc<dyn PublishLog> = Arc::new(JsonlLog::open(&data_dir.join("publish-log.jsonl")).map_err(unreadable_log)?);
        let target = sandbox_target(&sandbox, &log, &PublishSettings::default(), SandboxReason::NoKey)?;
        Ok(Publishing {
            current: RwLock::new(Some(Arc::new(target))),
            log,
            keys: Arc::new(KeyringStore::default()),
            in_memory_keychain: false,
            statuspage_base: ClientConfig::STATUSPAGE_BASE.into(),
            sandbox: Some(sandbox),
        })
    }

    /// Publishing to `target` only (`desk publish`: its arguments name the target).
    pub fn fixed(target: Target, log: Arc<dyn PublishLog>) -> Publishing {
        Publishing { current: RwLock::new(Some(Arc::new(target))), ..Publishing::nowhere_with(log) }
    }

    /// No publishing at all (`desk` commands that never publish).
    pub fn nowhere() -> Publishing {
        Publishing::nowhere_with(Arc::new(desk_publish::MemoryLog::default()))
    }

    fn nowhere_with(log: Arc<dyn PublishLog>) -> Publishing {
        Publishing {
            current: RwLock::new(None),
            log,
            keys: Arc::new(KeyringStore::default()),
            in_memory_keychain: false,
            statuspage_base: ClientConfig::STATUSPAGE_BASE.into(),
            sandbox: None,
        }
    }

    /// The target updates go to now.
    pub fn current(&self) -> Result<Arc<Target>> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone().ok_or_else(|| {
            AppError::unavailable("ここでは公開先が設定されていません。", "publishing is not set up here")
        })
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
    pub fn configure(&self, settings: &PublishSettings) -> Result<Arc<Target>> {
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
            (TargetChoice::Sandbox(reason), _) => sandbox_target(self.sandbox_server()?, &self.log, settings, reason)?,
            (TargetChoice::Statuspage(_), None) => sandbox_target(self.sandbox_server()?, &self.log, settings, SandboxReason::NoKey)?,
        };
        let target = Arc::new(target);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(target.clone());
        Ok(target)
    }

    /// The built-in sandbox, where there is one (the app's).
    pub fn sandbox_server(&self) -> Result<&Sandbox> {
        self.sandbox.as_ref().ok_or_else(|| AppError::unavailable("サンドボックスがありません。", "there is no sandbox here"))
    }
}

fn unreadable_log(e: desk_publish::LogError) -> AppError {
    AppError::unavailable(format!("公開記録を開けません: {e}"), format!("the publish log cannot be opened: {e}"))
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

pub fn engine_options(settings: &PublishSettings) -> EngineOptions {
    EngineOptions { restore_components_on_resolve: settings.restore_components_on_resolve, ..EngineOptions::default() }
}

/// The sandbox, in the publish mode of `settings` (one page or two).
fn sandbox_target(sandbox: &Sandbox, log: &Arc<dyn PublishLog>, settings: &PublishSettings, reason: SandboxReason) -> Result<Target> {
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

