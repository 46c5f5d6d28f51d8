//! The exactly-once engine.
//!
//! Each publish of one update to one page has a stable id (from the
//! incident's key, the update's index and the page). For one incident and
//! one page, one process at a time publishes: it holds the log's lock
//! (in a team, a lease in the shared database). Then:
//!
//! 1. A publish the log has confirmed is not sent again.
//! 2. **The page is asked first.** The incident is looked up on the page,
//!    by the id the log remembers or else by the incident's reference in
//!    `metadata` (unresolved, upcoming, scheduled and recent incidents),
//!    looking again a bounded number of times when it is expected there (a
//!    list may lag). If the page cannot be read, nothing is created: a
//!    delay is better than a duplicate. If the incident carries this
//!    publish's id, it is confirmed without sending.
//! 3. The intent is recorded, then the request is sent (create when the
//!    page has no incident for it, else update or postmortem), carrying the
//!    publish id in `metadata` (with every earlier update's id).
//! 4. After an answer that is not definite (timeout, dropped connection,
//!    5xx, unreadable 2xx) the page is asked again before anything is
//!    resent.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use desk_model::{AffectedComponent, ComponentStatus, Impact, Kind, Lang, MaintenanceWindow, Status};
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
    /// A maintenance's window and automatic steps, when the update gives
    /// one (its times are `scheduled_for` / `scheduled_until` then).
    pub maintenance: Option<MaintenanceWindow>,
    pub deliver_notifications: bool,
    /// A postmortem: post it to the page's Twitter account too
    /// (`notify_twitter`; `deliver_notifications` is its `notify_subscribers`).
    pub notify_twitter: bool,
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
    /// How many recent incidents a page of `/incidents` holds (at most 100).
    pub recent_limit: u32,
    /// How many pages of recent incidents to search.
    pub recent_pages: u32,
    /// Looking again for an incident that should be on the page, after `settle`.
    pub lag_retries: u32,
    /// How long to wait for another process publishing the same incident.
    pub lock_wait: Duration,
    /// How long a held lock lasts unless renewed: it is renewed every third
    /// of it while the publish runs, so a process that dies holds nobody up
    /// for longer than this.
    pub lock_lease: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            restore_components_on_resolve: true,
            max_rounds: 4,
            settle: Duration::from_secs(3),
            recent_limit: 100,
            recent_pages: 3,
            lag_retries: 2,
            lock_wait: Duration::from_secs(120),
            lock_lease: Duration::from_secs(30),
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

/// Our part of an incident's metadata.
fn ours(incident: &Incident) -> Option<&Value> {
    incident.metadata.get(METADATA_KEY).filter(|m| m.is_object())
}

/// Whether the incident carries publish `id` (as its latest publish, or
/// among the updates published to it).
fn carries(incident: &Incident, id: &str) -> bool {
    ours(incident).is_some_and(|m| {
        m["publish_id"] == id || m["updates"].as_object().is_some_and(|u| u.values().any(|v| v == id))
    })
}

/// The reference of a local incident on a page: a hash of its key.
pub fn incident_ref(incident_key: &str) -> String {
    format!("{:016x}", fnv1a(incident_key.as_bytes()))
}

/// A name for this process among the team's, for the publishing lock.
fn holder_name() -> String {
    let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "host".into());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{host}/{}/{:x}", std::process::id(), fnv1a(format!("{nanos}").as_bytes()))
}


pub struct Engine {
    client: Client,
    log: Arc<dyn PublishLog>,
    options: EngineOptions,
    gate: Arc<dyn PublishGate>,
    events: Option<EventFn>,
    components: tokio::sync::Mutex<HashMap<String, Vec<Component>>>,
    /// This engine's name when it holds a publishing lock.
    holder: String,
}

/// One publish of one update to one page, once the page has been asked.
struct Step<'a> {
    job: &'a PublishJob,
    payload: &'a PagePayload,
    publish_id: String,
    action: Action,
    /// The incident on the page, for updates and postmortems.
    remote: Option<Incident>,
    twin: Option<(String, String)>,
}

impl Step<'_> {
    fn remote_id(&self) -> Option<&str> {
        self.remote.as_ref().map(|i| i.id.as_str())
    }
}

/// What the page has of a job's incident.
enum OnPage {
    /// This very publish is there.
    Done(Incident),
    /// The incident is there, without this publish.
    Incident(Incident),
    Nothing,
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
            holder: holder_name(),
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

    pub fn client(&self) -> &Client {
        &self.client
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

    fn action_for(job: &PublishJob, page_id: &str, on_page: bool) -> Result<Action, PublishError> {
        match (on_page, job.status) {
            (true, Status::Postmortem) => Ok(Action::Postmortem),
            (true, _) => Ok(Action::Update),
            (false, Status::Postmortem) => {
                Err(PublishError::Invalid(format!("page {page_id}: a postmortem needs the incident published there first")))
            }
            (false, _) => Ok(Action::Create),
        }
    }

    /// The requests a publish would send, without sending anything or
    /// recording anything (`--dry-run`), from the log alone. Component ids
    /// not fetched yet are shown as `<id of NAME>`; an incident not known
    /// yet as `<incident id>`.
    pub async fn plan(&self, job: &PublishJob) -> Result<Vec<ApiRequest>, PublishError> {
        self.check_job(job)?;
        let mut out = Vec::new();
        for payload in &job.pages {
            let publish_id = publish_id(&job.incident_key, job.update_index, &payload.page_id);
            if self.log.get(&publish_id).await?.is_some_and(|r| r.state == RecordState::Confirmed) {
                continue;
            }
            let known = self.log.remote_incident(&job.incident_key, &payload.page_id).await?;
            let remote = known.and_then(|r| r.remote_incident_id).map(|id| Incident { id, ..Default::default() });
            let action = Self::action_for(job, &payload.page_id, remote.is_some())?;
            let step = Step { job, payload, publish_id, action, remote, twin: None };
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
                None => self.other_page(job, payload).await?,
            };
            let (action, result) = self.publish_page_held(job, payload, twin.clone()).await?;
            if let Some((incident, _)) = result.incident() {
                let created_now = matches!(result, PageResult::Published { .. }) && action == Action::Create;
                if let (true, Some((twin_page, twin_incident))) = (created_now, &twin) {
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
                publish_id: publish_id(&job.incident_key, job.update_index, &payload.page_id),
                action,
                result,
            });
        }
        Ok(report)
    }

    /// The incident already published for this job on another page.
    async fn other_page(&self, job: &PublishJob, payload: &PagePayload) -> Result<Option<(String, String)>, PublishError> {
        for other in job.pages.iter().filter(|p| p.page_id != payload.page_id) {
            if let Some(r) = self.log.remote_incident(&job.incident_key, &other.page_id).await? {
                return Ok(r.remote_incident_id.map(|id| (other.page_id.clone(), id)));
            }
        }
        Ok(None)
    }

    async fn link_twin(&self, page: &str, incident: &str, twin_page: &str, twin_incident: &str) -> Result<(), ApiError> {
        let current = self.client.get_incident(page, incident).await?;
        let mut meta = ours(&current).cloned().unwrap_or_else(|| json!({}));
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

    /// One page's publish, under the incident's publishing lock for that page.
    async fn publish_page_held(&self, job: &PublishJob, payload: &PagePayload, twin: Option<(String, String)>) -> Result<(Action, PageResult), PublishError> {
        let page = &payload.page_id;
        let lock = format!("{}\n{}", job.incident_key, page);
        let started = tokio::time::Instant::now();
        let mut told = false;
        while !self.log.hold(&lock, &self.holder, self.options.lock_lease).await? {
            if started.elapsed() >= self.options.lock_wait {
                let action = Self::action_for(job, page, job.update_index > 0).unwrap_or(Action::Update);
                let reason = format!(
                    "someone else has been publishing this incident to {page} for over {}s; nothing was sent. Try again when they are done",
                    self.options.lock_wait.as_secs()
                );
                return Ok((action, PageResult::Failed { reason }));
            }
            if !told {
                self.note(page, "someone else is publishing this incident to this page; waiting for them to finish");
                told = true;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Renewed while this publish runs (a request may wait out a long rate limit).
        let renewal = {
            let (log, lock, holder, lease) = (self.log.clone(), lock.clone(), self.holder.clone(), self.options.lock_lease);
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(lease / 3).await;
                    let _ = log.hold(&lock, &holder, lease).await;
                }
            })
        };
        let result = self.publish_page(job, payload, twin).await;
        renewal.abort();
        if let Err(e) = self.log.release(&lock, &self.holder).await {
            self.note(page, format!("could not release the publishing lock ({e}); it lapses by itself"));
        }
        result
    }

    async fn publish_page(&self, job: &PublishJob, payload: &PagePayload, twin: Option<(String, String)>) -> Result<(Action, PageResult), PublishError> {
        let page = &payload.page_id;
        let publish_id = publish_id(&job.incident_key, job.update_index, page);
        let previous = self.log.get(&publish_id).await?;
        if let Some(done) = previous.as_ref().filter(|r| r.state == RecordState::Confirmed) {
            return Ok((
                done.action,
                PageResult::AlreadyPublished {
                    incident_id: done.remote_incident_id.clone().unwrap_or_default(),
                    url: done.url.clone().unwrap_or_default(),
                },
            ));
        }
        let in_doubt = previous.as_ref().is_some_and(|r| r.state.in_doubt());
        if in_doubt {
            self.note(page, "an earlier attempt ended without a definite answer; checking whether it arrived");
        }
        // The page is asked before anything is created.
        let expected = in_doubt || job.update_index > 0;
        let on_page = match self.find_on_page(job, page, &publish_id, expected).await {
            Ok(found) => found,
            Err(e) => {
                let action = Self::action_for(job, page, job.update_index > 0).unwrap_or(Action::Update);
                let reason = format!("could not read page {page} to check what is already there ({e}); nothing was sent, since a delay is better than a duplicate");
                let rec = self.record_of(job, payload, &publish_id, action, RecordState::Failed, None, Some(reason.clone()));
                self.log.record(&rec).await?;
                return Ok((action, PageResult::Failed { reason }));
            }
        };
        let remote = match on_page {
            OnPage::Done(incident) => {
                let action = previous.as_ref().map(|p| p.action).unwrap_or(if job.update_index == 0 { Action::Create } else { Action::Update });
                let step = Step { job, payload, publish_id, action, remote: None, twin };
                return Ok((action, self.finish(&step, &incident, true).await?));
            }
            OnPage::Incident(incident) => Some(incident),
            OnPage::Nothing => None,
        };
        let action = Self::action_for(job, page, remote.is_some())?;
        let step = Step { job, payload, publish_id, action, remote, twin };
        let result = self.send_step(&step).await?;
        Ok((action, result))
    }

    /// Sends a step whose page has been asked: intent, request, outcome.
    async fn send_step(&self, step: &Step<'_>) -> Result<PageResult, PublishError> {
        let page = &step.payload.page_id;
        self.record(step, RecordState::Intended, None, None).await?;
        let components = match self.components_for(page).await {
            Ok(c) => c,
            Err(e) => return self.failed(step, format!("could not read the page's components: {e}")).await,
        };
        let ids = match self.component_map(step, &components, false) {
            Ok(ids) => ids,
            Err(reason) => return self.failed(step, reason).await,
        };
        let mut last = String::new();
        for round in 1..=self.options.max_rounds.max(1) {
            self.record(step, RecordState::Sent, None, None).await?;
            match self.send(step, ids.clone()).await {
                Ok(incident) => return self.finish(step, &incident, round > 1).await,
                Err(e) if e.is_ambiguous() => {
                    self.record(step, RecordState::Unknown, None, Some(e.to_string())).await?;
                    self.note(page, format!("{e}; checking whether it arrived before sending again"));
                    tokio::time::sleep(self.options.settle).await;
                    match self.find_on_page(step.job, page, &step.publish_id, true).await {
                        Ok(OnPage::Done(incident)) => return self.finish(step, &incident, true).await,
                        Ok(_) => {
                            self.note(page, "it did not arrive; sending again");
                            last = e.to_string();
                        }
                        Err(check) => {
                            return self.unconfirmed(step, format!("{e}; and the check failed: {check}")).await;
                        }
                    }
                }
                Err(e) => return self.failed(step, e.to_string()).await,
            }
        }
        self.unconfirmed(step, format!("no definite answer after {} attempts ({last})", self.options.max_rounds)).await
    }

    /// What the page has of the job's incident: through the id the log
    /// remembers, else by its reference among the page's incidents. With
    /// `expected`, a miss is looked for again (lists may lag).
    async fn find_on_page(&self, job: &PublishJob, page: &str, publish_id: &str, expected: bool) -> Result<OnPage, ApiError> {
        let judge = |incident: Incident| if carries(&incident, publish_id) { OnPage::Done(incident) } else { OnPage::Incident(incident) };
        if let Some(known) = self.log.remote_incident(&job.incident_key, page).await.map_err(|e| ApiError::Invalid(e.to_string()))? {
            if let Some(id) = known.remote_incident_id {
                match self.client.get_incident(page, &id).await {
                    Ok(incident) => return Ok(self.judge_update(job, judge(incident))),
                    // Deleted on the page: look for it as if never published.
                    Err(ApiError::Rejected { status: 404, .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let reference = incident_ref(&job.incident_key);
        let rounds = if expected { self.options.lag_retries } else { 0 };
        for round in 0..=rounds {
            if round > 0 {
                tokio::time::sleep(self.options.settle).await;
            }
            if let Some(incident) = self.search(page, &reference).await? {
                return Ok(self.judge_update(job, judge(incident)));
            }
        }
        Ok(OnPage::Nothing)
    }

    /// A server that keeps no metadata: the newest update must be ours.
    fn judge_update(&self, job: &PublishJob, found: OnPage) -> OnPage {
        match found {
            OnPage::Incident(incident) if ours(&incident).is_none() => {
                let body = job.pages.iter().map(|p| p.body.trim()).collect::<Vec<_>>();
                let newest = incident.incident_updates.iter().max_by(|a, b| a.created_at.cmp(&b.created_at));
                let same = newest.is_some_and(|u| u.status == job.status.statuspage_status() && body.contains(&u.body.trim()));
                if same {
                    OnPage::Done(incident)
                } else {
                    OnPage::Incident(incident)
                }
            }
            other => other,
        }
    }

    /// The incident with `reference` among the page's unresolved, upcoming,
    /// scheduled and recent incidents.
    async fn search(&self, page: &str, reference: &str) -> Result<Option<Incident>, ApiError> {
        let mine = |i: &Incident| ours(i).is_some_and(|m| m["incident_ref"] == reference);
        for list in [
            self.client.unresolved_incidents(page).await?,
            self.client.upcoming_incidents(page).await?,
            self.client.scheduled_incidents(page).await?,
        ] {
            if let Some(found) = list.into_iter().find(mine) {
                return Ok(Some(found));
            }
        }
        let limit = self.options.recent_limit.clamp(1, 100);
        for n in 1..=self.options.recent_pages.max(1) {
            let list = self.client.incidents_page(page, n, limit).await?;
            let short = list.len() < limit as usize;
            if let Some(found) = list.into_iter().find(mine) {
                return Ok(Some(found));
            }
            if short {
                break;
            }
        }
        Ok(None)
    }

    #[allow(clippy::too_many_arguments)]
    fn record_of(
        &self,
        job: &PublishJob,
        payload: &PagePayload,
        publish_id: &str,
        action: Action,
        state: RecordState,
        remote: Option<&Incident>,
        message: Option<String>,
    ) -> PublishRecord {
        let newest_update = remote.and_then(|i| i.incident_updates.iter().max_by(|a, b| a.created_at.cmp(&b.created_at)));
        PublishRecord {
            publish_id: publish_id.to_string(),
            incident_key: job.incident_key.clone(),
            update_index: job.update_index,
            page_id: payload.page_id.clone(),
            lang: payload.lang.map(|l| l.as_str().to_string()),
            action,
            state,
            remote_incident_id: remote.map(|i| i.id.clone()),
            remote_update_id: (state == RecordState::Confirmed).then(|| newest_update.map(|u| u.id.clone())).flatten().filter(|id| !id.is_empty()),
            url: None,
            message,
            at: now(),
        }
    }

    async fn record(&self, step: &Step<'_>, state: RecordState, incident: Option<&Incident>, message: Option<String>) -> Result<(), LogError> {
        let remote = incident.or(step.remote.as_ref());
        let mut rec = self.record_of(step.job, step.payload, &step.publish_id, step.action, state, remote, message);
        if let Some(i) = incident {
            rec.url = Some(self.url_of(&step.payload.page_id, i));
        }
        self.log.record(&rec).await
    }

    fn url_of(&self, page_id: &str, incident: &Incident) -> String {
        incident.shortlink.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| {
            format!("{}/pages/{page_id}/incidents/{}", self.client.config().base_url.trim_end_matches('/'), incident.id)
        })
    }

    async fn finish(&self, step: &Step<'_>, incident: &Incident, recovered: bool) -> Result<PageResult, PublishError> {
        let url = self.url_of(&step.payload.page_id, incident);
        self.record(step, RecordState::Confirmed, Some(incident), None).await?;
        Ok(PageResult::Published { incident_id: incident.id.clone(), url, recovered })
    }

    async fn failed(&self, step: &Step<'_>, reason: String) -> Result<PageResult, PublishError> {
        self.record(step, RecordState::Failed, None, Some(reason.clone())).await?;
        Ok(PageResult::Failed { reason })
    }

    async fn unconfirmed(&self, step: &Step<'_>, reason: String) -> Result<PageResult, PublishError> {
        self.record(step, RecordState::Unknown, None, Some(reason.clone())).await?;
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

    /// Our metadata for this publish: the incident's reference, this publish
    /// id, and every update published to the incident so far.
    fn metadata(&self, step: &Step<'_>) -> Value {
        let mut meta = step.remote.as_ref().and_then(ours).cloned().unwrap_or_else(|| json!({}));
        meta["publish_id"] = json!(step.publish_id);
        meta["incident_ref"] = json!(incident_ref(&step.job.incident_key));
        meta["update"] = json!(step.job.update_index);
        if !meta["updates"].is_object() {
            meta["updates"] = json!({});
        }
        meta["updates"][step.job.update_index.to_string()] = json!(step.publish_id);
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
        let window = job.maintenance.filter(|_| maintenance);
        IncidentFields {
            name: Some(step.payload.title.clone()),
            status: Some(job.status.statuspage_status().to_string()),
            body: Some(step.payload.body.clone()),
            impact_override: Some(if maintenance { "maintenance" } else { job.impact.as_str() }.to_string()),
            scheduled_for: if maintenance { time(job.scheduled_for) } else { None },
            scheduled_until: if maintenance { time(job.scheduled_until) } else { None },
            scheduled_remind_prior: window.map(|w| w.remind_before_minutes.is_some()),
            scheduled_auto_in_progress: window.map(|w| w.auto_in_progress),
            scheduled_auto_completed: window.map(|w| w.auto_completed),
            auto_transition_to_maintenance_state: window.map(|w| w.auto_in_progress),
            auto_transition_to_operational_state: window.map(|w| w.auto_completed),
            auto_transition_deliver_notifications_at_start: window.map(|w| w.notify_at_start),
            auto_transition_deliver_notifications_at_end: window.map(|w| w.notify_at_end),
            metadata: Some(self.metadata(step)),
            deliver_notifications: Some(job.deliver_notifications),
            component_ids: (!components.is_empty()).then(|| components.keys().cloned().collect()),
            components: (!components.is_empty()).then_some(components),
        }
    }

    fn requests(&self, step: &Step<'_>, components: BTreeMap<String, String>) -> Vec<ApiRequest> {
        let page = &step.payload.page_id;
        let incident = step.remote_id().unwrap_or("<incident id>");
        match step.action {
            Action::Create => vec![ApiRequest::create_incident(page, &self.fields(step, components))],
            Action::Update => vec![ApiRequest::update_incident(page, incident, &self.fields(step, components))],
            Action::Postmortem => vec![
                ApiRequest::postmortem_draft(page, incident, &step.payload.body),
                ApiRequest::postmortem_publish(page, incident, step.job.deliver_notifications, step.job.notify_twitter),
            ],
        }
    }

    async fn send(&self, step: &Step<'_>, components: BTreeMap<String, String>) -> Result<Incident, ApiError> {
        let page = &step.payload.page_id;
        match (&step.action, step.remote_id()) {
            (Action::Create, _) => self.client.create_incident(page, &self.fields(step, components)).await,
            (Action::Update, Some(incident)) => self.client.update_incident(page, incident, &self.fields(step, components)).await,
            (Action::Postmortem, Some(incident)) => {
                // Both PUTs set state; repeating them publishes nothing twice.
                self.client.postmortem_draft(page, incident, &step.payload.body).await?;
                self.client.postmortem_publish(page, incident, step.job.deliver_notifications, step.job.notify_twitter).await?;
                // The incident's metadata records the postmortem as published.
                let fields = IncidentFields { metadata: Some(self.metadata(step)), ..Default::default() };
                self.client.update_incident(page, incident, &fields).await
            }
            _ => Err(ApiError::Invalid("no incident to update".into())),
        }
    }
}
