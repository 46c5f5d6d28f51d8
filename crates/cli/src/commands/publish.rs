//! `desk publish`: publish one update of an incident, exactly once.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use desk_keychain::{KeyStore, ENV_VAR, STATUSPAGE_ACCOUNT};
use desk_publish::job::{render_job, Pages};
use desk_publish::{Engine, EngineOptions, JsonlLog, MemoryLog, PublishEvent, PublishLog};
use desk_publish::PublishGate;
use desk_statuspage::{ApiKey, Client, ClientConfig, Progress};
use desk_store::gate::ReviewGate;

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
    /// The publish log (JSON lines); default: in the app's data directory.
    #[arg(long, env = "DESK_PUBLISH_LOG", value_name = "PATH")]
    pub publish_log: Option<PathBuf>,
    /// A stored draft without approval, under the organisation's emergency
    /// policy (`desk policy`): why it cannot wait. Recorded in the audit log.
    #[arg(long, value_name = "TEXT")]
    pub emergency_reason: Option<String>,
}

/// Lint errors on the update being published block it: exit 1 with the list.
fn refuse_on_lint_errors(set: &desk_templates::TemplateSet, incident: &desk_model::Incident, index: usize, path: &Path) -> Result<(), Failure> {
    let errors = desk_lint::published::blocking_errors(set, incident, index, &desk_lint::Config::default())
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    if errors.is_empty() {
        return Ok(());
    }
    let ui = super::lint::ui_lang();
    let list: Vec<String> = errors
        .iter()
        .map(|d| {
            let lang = d.lang.map(|l| l.as_str()).unwrap_or("");
            format!("  update {} {lang}: {} [{}]", index + 1, d.message_in(ui), d.code())
        })
        .collect();
    Err(Failure {
        message: format!("{}: publishing is blocked by lint errors (run `desk lint {}`):\n{}", path.display(), path.display(), list.join("\n")),
        code: 1,
    })
}

/// The key: `STATUSPAGE_API_KEY`, else the OS keychain. The sandbox accepts
/// any key, so it gets a local placeholder when there is none.
pub(crate) fn api_key(target: Target) -> Result<ApiKey, Failure> {
    let env = std::env::var(ENV_VAR).ok();
    let from_keychain = || super::keychain().get(STATUSPAGE_ACCOUNT);
    let found = match env.filter(|v| !v.trim().is_empty()) {
        Some(v) => Some(ApiKey::new(v).map_err(|e| Failure::usage(format!("{ENV_VAR}: {e}")))?),
        None => match from_keychain() {
            Ok(k) => k,
            // The sandbox accepts any key: an unreachable keychain is no obstacle.
            Err(_) if target == Target::Sandbox => None,
            Err(e) => return Err(Failure::usage(format!("no Statuspage API key: {e}; set {ENV_VAR} instead"))),
        },
    };
    match (found, target) {
        (Some(k), _) => Ok(k),
        (None, Target::Sandbox) => Ok(ApiKey::new("local-sandbox").expect("valid")),
        (None, Target::Statuspage) => Err(Failure::usage(format!(
            "no Statuspage API key: set it in the app (it goes to the OS keychain) or in {ENV_VAR}"
        ))),
    }
}

fn progress_line(event: &PublishEvent) -> Option<String> {
    match event {
        PublishEvent::Note { page_id, message } => Some(format!("{page_id}: {message}")),
        PublishEvent::Request(Progress::Queued { what, wait }) if wait.as_millis() >= 1500 => {
            Some(format!("{what}: waiting {:.1}s for the rate limit", wait.as_secs_f64()))
        }
        PublishEvent::Request(Progress::RateLimited { what, retry_after, attempt }) => Some(format!(
            "{what}: rate limited (attempt {attempt}); retrying in {:.1}s",
            retry_after.as_secs_f64()
        )),
        PublishEvent::Request(Progress::Retrying { what, reason, attempt }) => {
            Some(format!("{what}: attempt {attempt} failed ({reason}); retrying"))
        }
        _ => None,
    }
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let path = Path::new(&args.incident);
    // A file is an incident document; otherwise a number is an incident in
    // the database, published under the same key as the app uses for it.
    let (mut incident, incident_key, stored) = if path.exists() {
        let incident = desk_model::IncidentDocument::read(path)?;
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        (incident, format!("file:{}", canonical.display()), None)
    } else if let Ok(id) = args.incident.parse::<i64>() {
        let stored = super::store::with_store(global, |store| async move { Ok(store.load_incident(id).await?) })?;
        (stored.to_incident(), format!("store:{id}"), Some(stored))
    } else {
        return Err(Failure::usage(format!("{}: no such file, and not an incident id", args.incident)));
    };
    if incident.updates.is_empty() {
        return Err(Failure::usage(format!("{}: the incident has no update to publish", path.display())));
    }
    let index = match args.update {
        Some(0) => return Err(Failure::usage("--update counts from 1")),
        Some(n) if n > incident.updates.len() => {
            return Err(Failure::usage(format!("--update {n}: the incident has {} updates", incident.updates.len())))
        }
        Some(n) => n - 1,
        None => incident.updates.len() - 1,
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
    // A stored draft: (update id, current revision). It goes out only
    // through the review gate; a file, or an update already published in
    // the store, is sent as it is.
    let draft = stored
        .as_ref()
        .map(|s| &s.updates[index])
        .filter(|u| u.state == desk_store::UpdateState::Draft)
        .map(|u| (u.id, u.version));
    if args.emergency_reason.is_some() && draft.is_none() {
        return Err(Failure::usage("--emergency-reason is for a draft in the database; this update is not one"));
    }
    let set = global.template_set()?;
    refuse_on_lint_errors(&set, &incident, index, path)?;
    let gate = match draft {
        Some((update_id, revision)) if !args.dry_run => {
            let reason = args.emergency_reason.clone();
            let key = incident_key.clone();
            let gate = super::store::with_store(global, |store| async move {
                Ok(ReviewGate::authorise(&store, update_id, revision, reason.as_deref()).await?.with_incident_key(&key))
            })?;
            if let Some(approved) = gate.update() {
                incident.updates[index] = approved.clone();
            }
            Some(gate)
        }
        _ => None,
    };
    let job = render_job(&set, &incident, &incident_key, index, &pages)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    if let Some(gate) = &gate {
        let problems = gate.problems(&job);
        if !problems.is_empty() {
            return Err(Failure { message: problems.join("; "), code: 1 });
        }
    }

    // A dry run sends nothing and prints the key redacted: it needs none.
    let key = match api_key(args.target) {
        Err(_) if args.dry_run => ApiKey::new("dry-run").expect("valid"),
        other => other?,
    };
    let client = Client::new(ClientConfig::new(base.clone()), key).map_err(|e| Failure::usage(e.to_string()))?;
    let log_path = args.publish_log.clone().unwrap_or_else(|| super::data_dir().join("publish-log.jsonl"));
    let log: Arc<dyn PublishLog> = if args.dry_run && !log_path.exists() {
        Arc::new(MemoryLog::default())
    } else {
        Arc::new(JsonlLog::open(&log_path).map_err(|e| Failure::usage(e.to_string()))?)
    };
    let engine = Engine::new(client, log, EngineOptions::default())
        .with_events(Arc::new(|e: &PublishEvent| {
            if let Some(line) = progress_line(e) {
                eprintln!("desk: {line}");
            }
        }));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::usage(format!("cannot start: {e}")))?;
    if args.dry_run {
        let plan = runtime.block_on(engine.plan(&job)).map_err(|e| Failure { message: e.to_string(), code: 1 })?;
        let mut out = std::io::stdout().lock();
        if plan.is_empty() {
            let _ = writeln!(out, "nothing to send: update {} is already published", index + 1);
        }
        for req in plan {
            let _ = writeln!(out, "{}", req.render(&base));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let report = runtime.block_on(engine.publish(&job)).map_err(|e| Failure { message: e.to_string(), code: 1 })?;
    drop(runtime);
    if let (Some((update_id, revision)), true) = (draft, report.all_done()) {
        super::store::with_store(global, |store| async move {
            let me = store.identity().await?;
            Ok(store.mark_published(update_id, revision, chrono::Utc::now(), &me).await?)
        })?;
    }
    let mut out = std::io::stdout().lock();
    for page in &report.pages {
        let _ = writeln!(out, "{page}");
    }
    for w in &report.warnings {
        eprintln!("desk: warning: {w}");
    }
    Ok(if report.all_done() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
