//! `desk publish`: publish one update of an incident, exactly once.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use desk_app::publish::{Publisher, Source};
use desk_app::publishing::KeyDestination;
use desk_keychain::{KeyStore, ENV_VAR, STATUSPAGE_ACCOUNT};
use desk_publish::job::Pages;
use desk_publish::{PublishEvent, PublishSettings};
use desk_statuspage::{ApiKey, Client, ClientConfig};

use crate::failure::Failure;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// The local sandbox (`desk sandbox`).
    Sandbox,
    /// Atlassian Statuspage.
    Statuspage,
}

#[derive(clap::Args)]
pub struct Args {
    /// An incident document (TOML), or an incident id in the database (a
    /// draft needs an approval of its current revision: `desk review`).
    #[arg(value_name = "FILE|ID")]
    pub incident: String,
    /// Which update to publish, counting from 1 (default: the newest).
    #[arg(long, value_name = "N")]
    pub update: Option<usize>,
    #[arg(long, value_enum, default_value = "sandbox")]
    pub target: Target,
    /// API base URL (default: the sandbox on loopback, or Statuspage).
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// The page to publish to (the Japanese page when --en-page-id is given).
    #[arg(long, value_name = "ID")]
    pub page_id: Option<String>,
    /// A separate English page: Japanese goes to --page-id, English here.
    #[arg(long, value_name = "ID")]
    pub en_page_id: Option<String>,
    /// Print the exact requests (key redacted) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send the real API key to this host, which is not Statuspage (a proxy
    /// of your own). Without it the key only goes to api.statuspage.io.
    #[arg(long, value_name = "HOST")]
    pub send_key_to: Option<String>,
    /// Publish an incident imported from text, which is on no status page,
    /// as a new incident there.
    #[arg(long)]
    pub new_incident: bool,
    /// A stored draft without approval, under the organisation's emergency
    /// policy (`desk policy`): why it cannot wait. Recorded in the audit log.
    #[arg(long, value_name = "TEXT")]
    pub emergency_reason: Option<String>,
}

/// Lint errors on the update being published block it: exit 1 with the list.
fn blocked(path: &Path, diagnostics: &[desk_lint::Diagnostic]) -> Failure {
    let ui = crate::language::ui_lang();
    let list: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            let lang = d.lang.map(|l| l.as_str()).unwrap_or("");
            format!("  update {} {lang}: {} [{}]", d.update.unwrap_or(0) + 1, d.message_in(ui), d.code())
        })
        .collect();
    Failure {
        message: format!("{}: publishing is blocked by lint errors (run `desk lint {}`):\n{}", path.display(), path.display(), list.join("\n")),
        code: 1,
    }
}

/// The real key: `STATUSPAGE_API_KEY`, else the OS keychain. Read only
/// when the requests go where it may be sent (`desk_app::publishing::key_for`).
pub(crate) fn real_api_key() -> desk_app::Result<ApiKey> {
    let missing = |why: String| {
        desk_app::AppError::invalid(
            "api_key",
            format!("Statuspage の API キーがありません: {why}"),
            format!("no Statuspage API key: {why}"),
        )
    };
    match std::env::var(ENV_VAR).ok().filter(|v| !v.trim().is_empty()) {
        Some(v) => Ok(ApiKey::new(v).map_err(|e| missing(format!("{ENV_VAR}: {e}")))?),
        None => match super::keychain().get(STATUSPAGE_ACCOUNT) {
            Ok(Some(key)) => Ok(key),
            Ok(None) => Err(missing(format!("set it in the app (it goes to the OS keychain) or in {ENV_VAR}"))),
            Err(e) => Err(missing(format!("{e}; set {ENV_VAR} instead"))),
        },
    }
}

/// A line about a publish's progress worth telling a person (rate limits,
/// retries, notes), or none.
fn progress_line(event: &PublishEvent) -> Option<String> {
    use desk_statuspage::Progress;
    match event {
        PublishEvent::Note { page_id, message } => Some(format!("{page_id}: {message}")),
        PublishEvent::Request(Progress::Queued { what, wait }) if wait.as_millis() >= 1500 => {
            Some(format!("{what}: waiting {:.1}s for the rate limit", wait.as_secs_f64()))
        }
        PublishEvent::Request(Progress::RateLimited { what, retry_after, attempt }) => {
            Some(format!("{what}: rate limited (attempt {attempt}); retrying in {:.1}s", retry_after.as_secs_f64()))
        }
        PublishEvent::Request(Progress::Retrying { what, reason, attempt }) => Some(format!("{what}: attempt {attempt} failed ({reason}); retrying")),
        _ => None,
    }
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let path = Path::new(&args.incident);
    // A file is an incident document, published under a key made from its
    // path; otherwise a number is an incident in the database.
    let stored_id = if path.exists() {
        None
    } else if let Ok(id) = args.incident.parse::<i64>() {
        Some(id)
    } else {
        return Err(Failure::usage(format!("{}: no such file, and not an incident id", args.incident)));
    };
    if args.emergency_reason.is_some() && stored_id.is_none() {
        return Err(Failure::usage("--emergency-reason is for a draft in the database; this update is not one"));
    }
    let update = match args.update {
        Some(0) => return Err(Failure::usage("--update counts from 1")),
        Some(n) => Some(n - 1),
        None => None,
    };
    let (default_base, default_page) = match args.target {
        Target::Sandbox => (format!("http://127.0.0.1:{}/v1", super::sandbox::DEFAULT_PORT), Some("sandbox".to_string())),
        Target::Statuspage => (ClientConfig::STATUSPAGE_BASE.to_string(), None),
    };
    let base = args.api_base.clone().unwrap_or(default_base);
    let page = args
        .page_id
        .clone()
        .or(default_page)
        .ok_or_else(|| Failure::usage("--page-id is required for --target statuspage"))?;
    let pages = match &args.en_page_id {
        Some(en) => Pages::Split { ja: page, en: en.clone() },
        None => Pages::Combined(page),
    };
    let sandbox = (args.target == Target::Sandbox).then_some(desk_publish::SandboxReason::Chosen);
    let destination = match args.target {
        Target::Sandbox => KeyDestination::Sandbox,
        Target::Statuspage => KeyDestination::Statuspage,
    };
    // A dry run sends nothing and prints the key redacted: it needs none.
    let key = match desk_app::publishing::key_for(destination, &base, args.send_key_to.as_deref(), real_api_key) {
        Err(_) if args.dry_run => ApiKey::new("dry-run").expect("valid"),
        other => other.map_err(Failure::from)?,
    };
    // Statuspage's pace (one request a second) unless a test or a proxy of
    // your own says otherwise; the pause before looking after a lost answer.
    let millis = |var: &str| std::env::var(var).ok().and_then(|v| v.trim().parse::<u64>().ok()).map(std::time::Duration::from_millis);
    let mut config = ClientConfig::new(base.clone());
    if let Some(interval) = millis("DESK_REQUEST_INTERVAL_MS") {
        (config.min_interval, config.retry_backoff) = (interval, interval.max(std::time::Duration::from_millis(50)));
    }
    let client = Client::new(config, key).map_err(|e| Failure::usage(e.to_string()))?;
    let mode = if args.en_page_id.is_some() { desk_publish::PublishMode::Split } else { desk_publish::PublishMode::Combined };
    let settings = PublishSettings { mode, ..PublishSettings::default() };
    let mut options = desk_app::publishing::engine_options(&settings);
    if let Some(settle) = millis("DESK_PUBLISH_SETTLE_MS") {
        options.settle = settle;
    }
    let events = Arc::new(|e: &PublishEvent| {
        if let Some(line) = progress_line(e) {
            eprintln!("desk: {line}");
        }
    });
    let combined = args.en_page_id.is_none();
    let in_file = |e: desk_app::AppError| match e.kind {
        desk_app::ErrorKind::Blocked => blocked(path, &e.diagnostics),
        _ => {
            let f = Failure::from(e);
            Failure { message: format!("{}: {}", path.display(), f.message), code: f.code }
        }
    };

    // What was published where is recorded in the database (the team's, in team mode).
    let work = |store: desk_store::Store| async move {
        // A stored incident goes out under the organisation's saved settings (notifications, components), as from the app.
        let settings = match stored_id {
            Some(_) => PublishSettings { mode: settings.mode, ..desk_app::settings::publish_settings(&store).await.map_err(in_file)? },
            None => settings,
        };
        let target = desk_app::publishing::Target::new(&store, client, pages, settings, sandbox, base.clone()).with_options(options).with_events(events);
        let (set, lint) = match stored_id {
            // A stored incident: the store's own library and glossary, as the app has them.
            Some(_) => (
                store.template_set().await?,
                desk_app::settings::lint_config(&store, combined).await.map_err(in_file)?,
            ),
            None => (global.template_set()?, desk_lint::Config { combined_body: combined, ..desk_lint::Config::default() }),
        };
        let source = match stored_id {
            Some(id) => Source::Stored { store: &store, id },
            None => {
                let incident = desk_model::IncidentDocument::read(path)?;
                // Its identity: the same file lands on one incident from any machine.
                let key = desk_app::publish::document_key(path, !args.dry_run).map_err(in_file)?;
                Source::Document { incident, key }
            }
        };
        let publisher = Publisher { templates: &set, lint: &lint, target: &target };
        if args.dry_run {
            let (index, plan) = desk_app::publish::plan(&publisher, source, update).await.map_err(in_file)?;
            let mut out = std::io::stdout().lock();
            if plan.is_empty() {
                let _ = writeln!(out, "nothing to send: update {} is already published", index + 1);
            }
            for req in plan {
                let _ = writeln!(out, "{}", req.render(&base));
            }
            return Ok(ExitCode::SUCCESS);
        }
        let published = desk_app::publish::publish(&publisher, source, update, args.emergency_reason.as_deref(), args.new_incident, false)
            .await
            .map_err(in_file)?;
        let mut out = std::io::stdout().lock();
        for page in &published.report.pages {
            let _ = writeln!(out, "{page}");
        }
        for w in &published.report.warnings {
            eprintln!("desk: warning: {w}");
        }
        Ok(if published.report.all_done() { ExitCode::SUCCESS } else { ExitCode::from(1) })
    };
    super::store::with_store(global, work)
}
