//! The exactly-once engine.
//!
//! Each publish of one update to one page has a stable id (from the local
//! incident, the update's index and the page). The id is written to the
//! publish log before anything is sent, and sent in the incident's
//! `metadata`. After an ambiguous failure (timeout, dropped connection,
//! 5xx) the engine never repeats a create blindly: it looks for the id among
//! the page's unresolved, scheduled and recent incidents (for an update: in
//! the incident's metadata and newest update), then finishes or sends again.
//! A publish already recorded as done is not sent again.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use desk_model::{AffectedComponent, ComponentStatus, Impact, Kind, Lang, Status};
use desk_statuspage::key::fnv1a;
use desk_statuspage::{ApiError, ApiRequest, Client, Component, Incident, IncidentFields, Progress};
use serde_json::{json, Value};

use crate::log::{Action, LogError, PublishLog, PublishRecord, RecordState};

/// The metadata key under which our publish ids travel.
pub const METADATA_KEY: &str = "incident_desk";

/// What one page receives: already rendered title and body.
#[derive(Debug, Clone, PartialEq)]
pub struct PagePayload {
    pub page_id: String,
    /// The page's language; `None` for one page with both languages.
    pub lang: Option<Lang>,
    pub title: String,
    pub body: String,
}

/// One update of one incident, rendered for each target page.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishJob {
    /// The local incident's stable identity (the store's id). Sent only as
    /// a hash.
    pub incident_key: String,
    /// Which update of the incident (0 = the first).
    pub update_index: usize,
    pub kind: Kind,
    pub status: Status,
    pub impact: Impact,
    pub components: Vec<AffectedComponent>,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub scheduled_until: Option<DateTime<Utc>>,
    pub deliver_notifications: bool,
    /// One page (combined body) or two (Japanese page, English page).
    pub pages: Vec<PagePayload>,
}

#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// On resolved/completed, set the affected components back to operational.
    pub restore_components_on_resolve: bool,
    /// Send attempts per page after ambiguous failures.
    pub max_rounds: u32,
    /// Pause after an ambiguous failure before looking, so a request still
    /// being processed has landed.
    pub settle: Duration,
    /// How many recent incidents to search besides unresolved and scheduled.
    pub recent_limit: u32,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            restore_components_on_resolve: true,
            max_rounds: 4,
            settle: Duration::from_secs(3),
            recent_limit: 100,
        }
    }
}

/// Progress, for a progress line in the app or on stderr.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishEvent {
    Request(Progress),
    Note { page_id: String, message: String },
}

pub type EventFn = Arc<dyn Fn(&PublishEvent) + Send + Sync>;

/// The check that may block a publish (lint errors). Wired to the linter
/// at integration; [`NoGate`] lets everything through.
pub trait PublishGate: Send + Sync {
    /// Problems that block publishing; empty to allow it.
    fn problems(&self, job: &PublishJob) -> Vec<String>;
}

pub struct NoGate;

impl PublishGate for NoGate {
    fn problems(&self, _job: &PublishJob) -> Vec<String> {
        Vec::new()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PageResult {
    /// Sent and confirmed now; `recovered` when confirmation came from
    /// looking it up after an ambiguous failure.
    Published { incident_id: String, url: String, recovered: bool },
    /// Done before; nothing was sent.
    AlreadyPublished { incident_id: String, url: String },
    /// Definitely not published (refused, never sent, still rate limited).
    Failed { reason: String },
    /// May or may not be published, and could not be checked. Running the
    /// publish again checks before sending.
    Unconfirmed { reason: String },
}

impl PageResult {
    pub fn is_done(&self) -> bool {
        matches!(self, PageResult::Published { .. } | PageResult::AlreadyPublished { .. })
    }

    pub fn incident(&self) -> Option<(&str, &str)> {
        match self {
            PageResult::Published { incident_id, url, .. } | PageResult::AlreadyPublished { incident_id, url } => {
                Some((incident_id, url))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageOutcome {
    pub page_id: String,
    pub lang: Option<Lang>,
    pub publish_id: String,
    pub action: Action,
    pub result: PageResult,
}

impl fmt::Display for PageOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let page = match self.lang {
            Some(l) => format!("{} ({})", self.page_id, l.as_str()),
            None => self.page_id.clone(),
        };
        match &self.result {
            PageResult::Published { incident_id, url, recovered: false } => {
                write!(f, "{page}: published incident {incident_id} {url}")
            }
            PageResult::Published { incident_id, url, recovered: true } => {
                write!(f, "{page}: published incident {incident_id} {url} (confirmed after a lost answer)")
            }
            PageResult::AlreadyPublished { incident_id, url } => {
                write!(f, "{page}: already published as incident {incident_id} {url}; nothing sent")
            }
            PageResult::Failed { reason } => write!(f, "{page}: NOT published: {reason}"),
            PageResult::Unconfirmed { reason } => {
                write!(f, "{page}: UNCONFIRMED: {reason}; publish again to check and finish")
            }
        }
    }
}

/// Serializable for the app's UI; holds no secret.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct PublishReport {
    pub pages: Vec<PageOutcome>,
    pub warnings: Vec<String>,
}

impl PublishReport {
    pub fn all_done(&self) -> bool {
        self.pages.iter().all(|p| p.result.is_done())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("publishing is blocked:\n{}", .0.join("\n"))]
    Blocked(Vec<String>),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Log(#[from] LogError),
}

/// The stable id of one publish: same incident, update and page → same id.
pub fn publish_id(incident_key: &str, update_index: usize, page_id: &str) -> String {
    format!("pub-{:016x}", fnv1a(format!("{incident_key}\n{update_index}\n{page_id}").as_bytes()))
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn carries(incident: &Incident, id: &str) -> bool {
    incident.metadata.get(METADATA_KEY).is_some_and(|m| m["publish_id"] == id)
}

pub struct Engine {
    client: Client,
    log: Arc<dyn PublishLog>,
    options: EngineOptions,
    gate: Arc<dyn PublishGate>,
    events: Option<EventFn>,
    components: tokio::sync::Mutex<HashMap<String, Vec<Component>>>,
}

struct Step<'a> {
    job: &'a PublishJob,
    payload: &'a PagePayload,
    publish_id: String,
    action: Action,
    /// For updates and postmortems: the incident on the page.
    remote: Option<String>,
    twin: Option<(String, String)>,
    /// This publish's latest record in the log, if it was tried before.
    previous: Option<PublishRecord>,
}

impl Step<'_> {
    fn done_before(&self) -> bool {
        self.previous.as_ref().is_some_and(|r| r.state == RecordState::Published)
    }
}

impl Engine {
    pub fn new(client: Client, log: Arc<dyn PublishLog>, options: EngineOptions) -> Engine {
        Engine {
            client,
            log,
            options,
            gate: Arc::new(NoGate),
            events: None,
            components: Default::default(),
        }
    }

    /// Reports progress (requests, waits, retries, checks) to `events`.
    pub fn with_events(mut self, events: EventFn) -> Engine {
        let forward = events.clone();
        self.client = self.client.with_progress(Arc::new(move |p: &Progress| forward(&PublishEvent::Request(p.clone()))));
        self.events = Some(events);
        self
    }

    /// The lint hook: a gate whose problems block the publish.
    pub fn with_gate(mut self, gate: Arc<dyn PublishGate>) -> Engine {
        self.gate = gate;
        self
    }

    fn note(&self, page_id: &str, message: impl Into<String>) {
        if let Some(f) = &self.events {
            f(&PublishEvent::Note { page_id: page_id.to_string(), message: message.into() });
        }
    }

    fn check_job(&self, job: &PublishJob) -> Result<(), PublishError> {
        let problems = self.gate.problems(job);
        if !problems.is_empty() {
            return Err(PublishError::Blocked(problems));
        }
        if job.pages.is_empty() {
            return Err(PublishError::Invalid("no target page".into()));
        }
        Ok(())
    }

    /// Works out what a page's publish will do, from the log alone.
    fn step<'a>(&self, job: &'a PublishJob, payload: &'a PagePayload, twin: Option<(String, String)>) -> Result<Step<'a>, PublishError> {
        let publish_id = publish_id(&job.incident_key, job.update_index, &payload.page_id);
        let previous = self.log.get(&publish_id)?;
        if let Some(done) = previous.as_ref().filter(|r| r.state == RecordState::Published) {
            let (action, remote) = (done.action, done.remote_incident_id.clone());
            return Ok(Step { job, payload, publish_id, action, remote, twin, previous });
        }
        let earlier = self.log.remote_incident(&job.incident_key, &payload.page_id)?;
        let remote = earlier.and_then(|r| r.remote_incident_id);
        let action = match (&remote, job.status) {
            (Some(_), Status::Postmortem) => Action::Postmortem,
            (Some(_), _) => Action::Update,
            (None, Status::Postmortem) => {
                return Err(PublishError::Invalid(format!(
                    "page {}: a postmortem needs the incident published there first",
                    payload.page_id
                )))
            }
            (None, _) => Action::Create,
        };
        Ok(Step { job, payload, publish_id, action, remote, twin, previous })
    }

    /// The requests a publish would send, without sending anything
    /// (`--dry-run`). Component ids not fetched yet are shown as
    /// `<id of NAME>`; an incident not created yet as `<incident id>`.
    pub async fn plan(&self, job: &PublishJob) -> Result<Vec<ApiRequest>, PublishError> {
        self.check_job(job)?;
        let mut out = Vec::new();
        for payload in &job.pages {
            let step = self.step(job, payload, None)?;
            if step.done_before() {
                continue;
            }
            let cached = self.components.lock().await.get(&payload.page_id).cloned();
            let ids = self.component_map(&step, cached.as_deref().unwrap_or(&[]), true).map_err(PublishError::Invalid)?;
            out.extend(self.requests(&step, ids));
        }
        Ok(out)
    }

    /// Publishes the job to every page; per-page outcomes are in the report.
    pub async fn publish(&self, job: &PublishJob) -> Result<PublishReport, PublishError> {
        self.check_job(job)?;
        let mut report = PublishReport::default();
        // (page, incident) of the pages done in this run.
        let mut done: Vec<(String, String)> = Vec::new();
        for payload in &job.pages {
            let twin = match done.first() {
                Some(d) => Some(d.clone()),
                None => self.other_page(job, payload)?,
            };
            let step = self.step(job, payload, twin)?;
            let result = self.publish_page(&step).await?;
            if let Some((incident, _)) = result.incident() {
                let created_now = matches!(result, PageResult::Published { .. }) && step.action == Action::Create;
                if let (true, Some((twin_page, twin_incident))) = (created_now, &step.twin) {
                    // The twin was there first: link it back to this new incident.
                    if let Err(e) = self.link_twin(twin_page, twin_incident, &payload.page_id, incident).await {
                        report.warnings.push(format!("could not link {twin_page} to its twin: {e}"));
                    }
                }
                done.push((payload.page_id.clone(), incident.to_string()));
            }
            report.pages.push(PageOutcome {
                page_id: payload.page_id.clone(),
                lang: payload.lang,
                publish_id: step.publish_id.clone(),
                action: step.action,
                result,
            });
        }
        Ok(report)
    }

    /// The incident already published for this job on another page.
    fn other_page(&self, job: &PublishJob, payload: &PagePayload) -> Result<Option<(String, String)>, PublishError> {
        for other in job.pages.iter().filter(|p| p.page_id != payload.page_id) {
            if let Some(r) = self.log.remote_incident(&job.incident_key, &other.page_id)? {
                return Ok(r.remote_incident_id.map(|id| (other.page_id.clone(), id)));
            }
        }
        Ok(None)
    }

    async fn link_twin(&self, page: &str, incident: &str, twin_page: &str, twin_incident: &str) -> Result<(), ApiError> {
        let current = self.client.get_incident(page, incident).await?;
        let mut meta = current.metadata.get(METADATA_KEY).cloned().unwrap_or_else(|| json!({}));
        meta["twin_page_id"] = json!(twin_page);
        meta["twin_incident_id"] = json!(twin_incident);
        let fields = IncidentFields { metadata: Some(json!({ METADATA_KEY: meta })), ..Default::default() };
        // Metadata only: no status or body, so no update is published, and
        // repeating it is harmless.
        for _ in 0..self.options.max_rounds.max(1) {
            match self.client.update_incident(page, incident, &fields).await {
                Ok(_) => return Ok(()),
                Err(e) if e.is_ambiguous() => continue,
                Err(e) => return Err(e),
            }
        }
        Err(ApiError::Invalid("no definite answer".into()))
    }

    fn record(&self, step: &Step<'_>, state: RecordState, incident: Option<&str>, url: Option<&str>, message: Option<String>) -> Result<(), LogError> {
        self.log.record(&PublishRecord {
            publish_id: step.publish_id.clone(),
            incident_key: step.job.incident_key.clone(),
            update_index: step.job.update_index,
            page_id: step.payload.page_id.clone(),
            lang: step.payload.lang.map(|l| l.as_str().to_string()),
            action: step.action,
            state,
            remote_incident_id: incident.map(str::to_string).or_else(|| step.remote.clone()),
            url: url.map(str::to_string),
            message,
            at: now(),
        })
    }

    fn url_of(&self, page_id: &str, incident: &Incident) -> String {
        incident.shortlink.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| {
            format!("{}/pages/{page_id}/incidents/{}", self.client.config().base_url.trim_end_matches('/'), incident.id)
        })
    }

    async fn publish_page(&self, step: &Step<'_>) -> Result<PageResult, PublishError> {
        let page = &step.payload.page_id;
        if let Some(rec) = step.previous.as_ref().filter(|_| step.done_before()) {
            return Ok(PageResult::AlreadyPublished {
                incident_id: rec.remote_incident_id.clone().unwrap_or_default(),
                url: rec.url.clone().unwrap_or_default(),
            });
        }
        // The intent is durable before anything is sent.
        self.record(step, RecordState::Pending, None, None, None)?;

        if step.previous.as_ref().is_some_and(|r| r.state == RecordState::Pending) {
            self.note(page, "an earlier attempt ended without a definite answer; checking whether it arrived");
            match self.reconcile(step).await {
                Ok(Some(incident)) => return self.finish(step, &incident, true),
                Ok(None) => self.note(page, "it did not arrive; sending it now"),
                Err(e) => return self.unconfirmed(step, format!("could not check the earlier attempt: {e}")),
            }
        }

        let components = match self.components_for(page).await {
            Ok(c) => c,
            Err(e) => return self.failed(step, format!("could not read the page's components: {e}")),
        };
        let ids = match self.component_map(step, &components, false) {
            Ok(ids) => ids,
            Err(reason) => return self.failed(step, reason),
        };

        let mut last = String::new();
        for round in 1..=self.options.max_rounds.max(1) {
            match self.send(step, ids.clone()).await {
                Ok(incident) => return self.finish(step, &incident, round > 1),
                Err(e) if e.is_ambiguous() => {
                    self.note(page, format!("{e}; checking whether it arrived before sending again"));
                    tokio::time::sleep(self.options.settle).await;
                    match self.reconcile(step).await {
                        Ok(Some(incident)) => return self.finish(step, &incident, true),
                        Ok(None) => {
                            self.note(page, "it did not arrive; sending again");
                            last = e.to_string();
                        }
                        Err(check) => {
                            return self.unconfirmed(step, format!("{e}; and the check failed: {check}"));
                        }
                    }
                }
                Err(e) => return self.failed(step, e.to_string()),
            }
        }
        self.unconfirmed(step, format!("no definite answer after {} attempts ({last})", self.options.max_rounds))
    }

    fn finish(&self, step: &Step<'_>, incident: &Incident, recovered: bool) -> Result<PageResult, PublishError> {
        let url = self.url_of(&step.payload.page_id, incident);
        self.record(step, RecordState::Published, Some(&incident.id), Some(&url), None)?;
        Ok(PageResult::Published { incident_id: incident.id.clone(), url, recovered })
    }

    fn failed(&self, step: &Step<'_>, reason: String) -> Result<PageResult, PublishError> {
        self.record(step, RecordState::Failed, None, None, Some(reason.clone()))?;
        Ok(PageResult::Failed { reason })
    }

    fn unconfirmed(&self, step: &Step<'_>, reason: String) -> Result<PageResult, PublishError> {
        self.record(step, RecordState::Pending, None, None, Some(reason.clone()))?;
        Ok(PageResult::Unconfirmed { reason })
    }

    async fn components_for(&self, page_id: &str) -> Result<Vec<Component>, ApiError> {
        let mut cache = self.components.lock().await;
        if let Some(c) = cache.get(page_id) {
            return Ok(c.clone());
        }
        let list = self.client.components(page_id).await?;
        cache.insert(page_id.to_string(), list.clone());
        Ok(list)
    }

    /// Component id → status for this update. Names match exactly, then
    /// ignoring case and surrounding spaces.
    fn component_map(&self, step: &Step<'_>, known: &[Component], placeholders: bool) -> Result<BTreeMap<String, String>, String> {
        let restore = self.options.restore_components_on_resolve
            && matches!(step.job.status, Status::Resolved | Status::Completed);
        let mut out = BTreeMap::new();
        if step.action == Action::Postmortem {
            return Ok(out);
        }
        for c in &step.job.components {
            let found = known
                .iter()
                .find(|k| k.name == c.name)
                .or_else(|| known.iter().find(|k| k.name.trim().eq_ignore_ascii_case(c.name.trim())));
            let id = match found {
                Some(k) => k.id.clone(),
                None if placeholders => format!("<id of {}>", c.name),
                None => {
                    let names: Vec<&str> = known.iter().map(|k| k.name.as_str()).collect();
                    return Err(format!(
                        "component \"{}\" is not on page {} (it has: {})",
                        c.name,
                        step.payload.page_id,
                        names.join(", ")
                    ));
                }
            };
            let status = if restore { ComponentStatus::Operational } else { c.status };
            out.insert(id, status.as_str().to_string());
        }
        Ok(out)
    }

    fn metadata(&self, step: &Step<'_>) -> Value {
        let mut meta = json!({
            "publish_id": step.publish_id,
            "incident_ref": format!("{:016x}", fnv1a(step.job.incident_key.as_bytes())),
            "update": step.job.update_index,
        });
        if let Some(lang) = step.payload.lang {
            meta["lang"] = json!(lang.as_str());
        }
        if let Some((page, incident)) = &step.twin {
            meta["twin_page_id"] = json!(page);
            meta["twin_incident_id"] = json!(incident);
        }
        json!({ METADATA_KEY: meta })
    }

    fn fields(&self, step: &Step<'_>, components: BTreeMap<String, String>) -> IncidentFields {
        let job = step.job;
        let time = |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true));
        let maintenance = job.kind == Kind::Maintenance;
        IncidentFields {
            name: Some(step.payload.title.clone()),
            status: Some(job.status.statuspage_status().to_string()),
            body: Some(step.payload.body.clone()),
            impact_override: Some(if maintenance { "maintenance" } else { job.impact.as_str() }.to_string()),
            scheduled_for: if maintenance { time(job.scheduled_for) } else { None },
            scheduled_until: if maintenance { time(job.scheduled_until) } else { None },
            metadata: Some(self.metadata(step)),
            deliver_notifications: Some(job.deliver_notifications),
            component_ids: (!components.is_empty()).then(|| components.keys().cloned().collect()),
            components: (!components.is_empty()).then_some(components),
            ..Default::default()
        }
    }

    fn requests(&self, step: &Step<'_>, components: BTreeMap<String, String>) -> Vec<ApiRequest> {
        let page = &step.payload.page_id;
        let incident = step.remote.as_deref().unwrap_or("<incident id>");
        match step.action {
            Action::Create => vec![ApiRequest::create_incident(page, &self.fields(step, components))],
            Action::Update => vec![ApiRequest::update_incident(page, incident, &self.fields(step, components))],
            Action::Postmortem => vec![
                ApiRequest::postmortem_draft(page, incident, &step.payload.body),
                ApiRequest::postmortem_publish(page, incident, step.job.deliver_notifications),
            ],
        }
    }

    async fn send(&self, step: &Step<'_>, components: BTreeMap<String, String>) -> Result<Incident, ApiError> {
        let page = &step.payload.page_id;
        match (&step.action, &step.remote) {
            (Action::Create, _) => self.client.create_incident(page, &self.fields(step, components)).await,
            (Action::Update, Some(incident)) => {
                self.client.update_incident(page, incident, &self.fields(step, components)).await
            }
            (Action::Postmortem, Some(incident)) => {
                // Both PUTs set state; repeating them publishes nothing twice.
                self.client.postmortem_draft(page, incident, &step.payload.body).await?;
                self.client.postmortem_publish(page, incident, step.job.deliver_notifications).await?;
                self.client.get_incident(page, incident).await
            }
            _ => Err(ApiError::Invalid("no incident to update".into())),
        }
    }

    /// After an ambiguous failure: did the publish arrive?
    async fn reconcile(&self, step: &Step<'_>) -> Result<Option<Incident>, ApiError> {
        let page = &step.payload.page_id;
        let id = &step.publish_id;
        match (&step.action, &step.remote) {
            (Action::Create, _) => {
                for found in [
                    self.client.unresolved_incidents(page).await?,
                    self.client.scheduled_incidents(page).await?,
                    self.client.recent_incidents(page, self.options.recent_limit).await?,
                ] {
                    if let Some(incident) = found.into_iter().find(|i| carries(i, id)) {
                        return Ok(Some(incident));
                    }
                }
                Ok(None)
            }
            (Action::Update, Some(incident_id)) => {
                let incident = self.client.get_incident(page, incident_id).await?;
                if incident.metadata.get(METADATA_KEY).is_some() {
                    // Our PATCH carries its publish id in the metadata: it
                    // arrived exactly when the incident carries that id.
                    return Ok(carries(&incident, id).then_some(incident));
                }
                // A server that keeps no metadata: the newest update must be ours.
                let newest = incident.incident_updates.iter().max_by(|a, b| a.created_at.cmp(&b.created_at));
                let same_text = newest.is_some_and(|u| {
                    u.status == step.job.status.statuspage_status() && u.body.trim() == step.payload.body.trim()
                });
                Ok(same_text.then_some(incident))
            }
            (Action::Postmortem, Some(incident_id)) => {
                let pm = self.client.postmortem(page, incident_id).await;
                let published = match pm {
                    Ok(pm) => pm.published_at.is_some() && pm.body.as_deref().map(str::trim) == Some(step.payload.body.trim()),
                    Err(ApiError::Rejected { status: 404, .. }) => false,
                    Err(e) => return Err(e),
                };
                if published {
                    Ok(Some(self.client.get_incident(page, incident_id).await?))
                } else {
                    Ok(None)
                }
            }
            _ => Ok(None),
        }
    }
}
