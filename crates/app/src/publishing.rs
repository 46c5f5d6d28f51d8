//! Where updates go: the built-in local sandbox status page until a
//! Statuspage key and page id are set, then Statuspage; switched at once,
//! without a restart.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use desk_keychain::{KeyStore, KeyringStore, STATUSPAGE_ACCOUNT};
use desk_publish::job::Pages;
use desk_publish::{Engine, EngineOptions, EventFn, KeyState, PublishMode, PublishSettings, SandboxReason, TargetChoice};
use desk_sandbox::{PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};
use desk_store::Store;

use crate::publish_log::{StoreLog, StorePace};
use crate::{AppError, Result};

/// What the sandbox (and any host not trusted with the key) receives instead of a key.
pub const PLACEHOLDER_KEY: &str = "local-sandbox";

/// The page of the sandbox that receives both languages in one body.
pub const SANDBOX_PAGE: &str = "sandbox";
/// The sandbox's Japanese and English pages (publish mode `split`).
pub const SANDBOX_PAGES_SPLIT: (&str, &str) = ("sandbox-ja", "sandbox-en");

/// Where the app's updates go: the built-in sandbox (always running) until a
/// Statuspage key and page id are set, then Statuspage. Switching needs no
/// restart. (`desk publish` makes the one [`Target`] its arguments name.)
pub struct Publishing {
    current: RwLock<Option<Arc<Target>>>,
    store: Store,
    /// Where the Statuspage key lives (the OS keychain in the app).
    pub keys: Arc<dyn KeyStore>,
    /// True when `keys` is keyring's in-memory store (tests): keys vanish at exit.
    pub in_memory_keychain: bool,
    /// Statuspage's API; tests point it at a second sandbox.
    pub statuspage_base: String,
    sandbox: Option<Sandbox>,
}

/// One publishing target, ready to send; what was published where is
/// recorded in the database (`log`).
pub struct Target {
    pub engine: Engine,
    pub log: Arc<StoreLog>,
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
    /// A target whose publishes are recorded in `store`, and whose requests
    /// are paced with every other process publishing with the same key
    /// through it.
    pub fn new(store: &Store, client: Client, pages: Pages, settings: PublishSettings, sandbox_reason: Option<SandboxReason>, public_url: String) -> Target {
        let log = Arc::new(StoreLog::new(store.clone()));
        let client = client.with_shared_pace(Arc::new(StorePace(store.clone())));
        let engine = Engine::new(client.clone(), log.clone(), engine_options(&settings));
        Target { engine, log, client, pages, settings, sandbox_reason, public_url }
    }

    /// The same target with other engine timings (tests, proxies).
    pub fn with_options(mut self, options: EngineOptions) -> Target {
        self.engine = Engine::new(self.client.clone(), self.log.clone(), options);
        self
    }

    /// The same target, telling `events` of its progress.
    pub fn with_events(mut self, events: EventFn) -> Target {
        self.engine = self.engine.with_events(events);
        self
    }

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
    /// Starts the sandbox on a free loopback port, with its data in the
    /// app's data folder, and points publishing at it; publishes are
    /// recorded in `store`. A new sandbox's pages offer the components the
    /// incidents name, as the organisation's own page would. The key store
    /// is the OS keychain.
    pub async fn sandbox(store: &Store, data_dir: PathBuf, components: &[String]) -> Result<Publishing> {
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
        let target = sandbox_target(store, &sandbox, &PublishSettings::default(), SandboxReason::NoKey)?;
        Ok(Publishing {
            current: RwLock::new(Some(Arc::new(target))),
            store: store.clone(),
            keys: Arc::new(KeyringStore::default()),
            in_memory_keychain: false,
            statuspage_base: ClientConfig::STATUSPAGE_BASE.into(),
            sandbox: Some(sandbox),
        })
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
                let public_url = if self.statuspage_base == ClientConfig::STATUSPAGE_BASE {
                    // Statuspage's public address is the page's own domain; its owners' view is here.
                    format!("https://manage.statuspage.io/pages/{}", first_id(&pages))
                } else {
                    format!("{}/", self.statuspage_base.trim_end_matches('/').trim_end_matches("/v1"))
                };
                Target::new(&self.store, client, pages, settings.clone(), None, public_url)
            }
            (TargetChoice::Sandbox(reason), _) => sandbox_target(&self.store, self.sandbox_server()?, settings, reason)?,
            (TargetChoice::Statuspage(_), None) => sandbox_target(&self.store, self.sandbox_server()?, settings, SandboxReason::NoKey)?,
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
fn sandbox_target(store: &Store, sandbox: &Sandbox, settings: &PublishSettings, reason: SandboxReason) -> Result<Target> {
    // The sandbox never gets a real key.
    let client = Client::new(ClientConfig::new(sandbox.api_base()), ApiKey::new(PLACEHOLDER_KEY)?)?;
    let pages = sandbox_pages(settings.mode);
    Ok(Target::new(store, client, pages, settings.clone(), Some(reason), sandbox.public_url()))
}

/// The sandbox's pages for a publish mode: one page, or a Japanese and an English one.
pub fn sandbox_pages(mode: PublishMode) -> Pages {
    match mode {
        PublishMode::Combined => Pages::Combined(SANDBOX_PAGE.into()),
        PublishMode::Split => Pages::Split { ja: SANDBOX_PAGES_SPLIT.0.into(), en: SANDBOX_PAGES_SPLIT.1.into() },
    }
}

/// Where a request may carry the real Statuspage key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDestination {
    /// The built-in sandbox, or `desk sandbox`: a placeholder, always.
    Sandbox,
    /// Statuspage, or whatever `--api-base` names.
    Statuspage,
}

/// The host of a URL, lowercased (`http://127.0.0.1:8080/v1` → `127.0.0.1:8080`).
pub fn host_of(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase()
}

/// The key a request to `base` carries. The sandbox always gets a
/// placeholder; Statuspage's own API the real key (`real`, read only then);
/// any other host the real key only when `send_key_to` names exactly that
/// host, and otherwise nothing is sent.
pub fn key_for(destination: KeyDestination, base: &str, send_key_to: Option<&str>, real: impl FnOnce() -> Result<ApiKey>) -> Result<ApiKey> {
    if destination == KeyDestination::Sandbox {
        return Ok(ApiKey::new(PLACEHOLDER_KEY)?);
    }
    let host = host_of(base);
    let statuspage = host_of(ClientConfig::STATUSPAGE_BASE);
    if host == statuspage && base.starts_with("https://") {
        return real();
    }
    match send_key_to.map(host_of) {
        Some(named) if named == host => real(),
        Some(named) => Err(AppError::invalid(
            "send_key_to",
            format!("--send-key-to は {named} ですが、送り先は {host} です。API キーは送りません。"),
            format!("--send-key-to names {named}, but the requests go to {host}: the API key is not sent"),
        )),
        None => Err(AppError::invalid(
            "api_base",
            format!("{base} は Statuspage ではありません。API キーは Statuspage ({statuspage}) にだけ送ります。このホストに送るには --send-key-to {host} を付けてください。"),
            format!("{base} is not Statuspage: the API key only goes to {statuspage}; to send it to this host, add --send-key-to {host}"),
        )),
    }
}

