//! The HTTP client: one request per second per key (queued), bounded
//! retries, `Retry-After` honoured, and a clear line between "refused",
//! "not sent" and "may or may not have happened".

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::key::ApiKey;
use crate::request::{ApiRequest, Method};
use crate::wire::{Component, Incident, IncidentFields, IncidentTemplate, Postmortem};

/// Where and how to talk to Statuspage (or the sandbox).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API base, e.g. `https://api.statuspage.io/v1`.
    pub base_url: String,
    /// Whole-request timeout; past it the outcome is ambiguous.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Minimum spacing between two requests with the same key.
    pub min_interval: Duration,
    /// Attempts per request (rate-limited answers and safe retries count).
    pub max_attempts: u32,
    /// Pause before retrying a read or a request that was never sent.
    pub retry_backoff: Duration,
    /// A `Retry-After` longer than this is cut to it.
    pub max_retry_after: Duration,
}

impl ClientConfig {
    pub const STATUSPAGE_BASE: &'static str = "https://api.statuspage.io/v1";

    /// Defaults that match Statuspage: one request per second per key.
    pub fn new(base_url: impl Into<String>) -> ClientConfig {
        ClientConfig {
            base_url: base_url.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            min_interval: Duration::from_secs(1),
            max_attempts: 5,
            retry_backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(120),
        }
    }

    pub fn statuspage() -> ClientConfig {
        ClientConfig::new(Self::STATUSPAGE_BASE)
    }
}

/// What the client is doing, for a progress line in the app or on stderr.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Waiting for this key's turn (one request per second).
    Queued { what: String, wait: Duration },
    Sending { what: String, attempt: u32 },
    /// 420 or 429: waiting `retry_after` before trying again.
    RateLimited { what: String, retry_after: Duration, attempt: u32 },
    /// A read or a never-sent request failed and will be tried again.
    Retrying { what: String, reason: String, attempt: u32 },
    Answered { what: String, status: u16 },
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
pub type RequestObserver = Arc<dyn Fn(&ApiRequest) + Send + Sync>;

/// Why a request did not succeed. Messages never contain the key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A definite refusal: nothing was changed.
    #[error("{what}: refused with {status}: {message}")]
    Rejected { what: String, status: u16, message: String },
    #[error("{what}: still rate limited after {attempts} attempts")]
    RateLimited { what: String, attempts: u32 },
    /// Timeout, dropped connection or 5xx after the request went out: the
    /// change may or may not have been made. Never repeat a create on this.
    #[error("{what}: no definite answer ({reason}); the change may or may not have been made")]
    Ambiguous { what: String, reason: String },
    /// The connection could not be made: nothing was sent.
    #[error("{what}: could not connect ({reason}); nothing was sent")]
    NotSent { what: String, reason: String },
    /// A success whose body we could not read.
    #[error("{what}: unreadable answer: {reason}")]
    BadAnswer { what: String, reason: String },
    /// Refused before sending (limits).
    #[error("{0}")]
    Invalid(String),
}

impl ApiError {
    /// The request may have taken effect: reconcile before repeating it.
    pub fn is_ambiguous(&self) -> bool {
        matches!(self, ApiError::Ambiguous { .. } | ApiError::BadAnswer { .. })
    }
}

/// Per-key request spacing shared by every client in the process: requests
/// reserve consecutive slots `min_interval` apart, in order (a queue).
struct Limiter {
    next: Mutex<Instant>,
}

impl Limiter {
    fn for_key(key: &ApiKey) -> Arc<Limiter> {
        static LIMITERS: OnceLock<Mutex<HashMap<u64, Arc<Limiter>>>> = OnceLock::new();
        let map = LIMITERS.get_or_init(Default::default);
        let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key.tag()).or_insert_with(|| Arc::new(Limiter { next: Mutex::new(Instant::now()) })).clone()
    }

    /// Reserves the next slot; returns how long to wait for it. Slots are
    /// 2% further apart than `interval`, so that scheduling jitter does not
    /// make two requests arrive closer than the server allows.
    fn reserve(&self, interval: Duration) -> Duration {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let slot = (*next).max(now);
        *next = slot + interval + interval / 50;
        slot - now
    }

    /// After a 420/429: nobody with this key sends before `until`.
    fn hold_off(&self, until: Instant) {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        if until > *next {
            *next = until;
        }
    }
}

/// Request slots shared beyond this process: Statuspage's limit is per key,
/// and a team shares one key across machines (desk-app keeps the slots in
/// the shared database). `turn` reserves the next slot for `pace_key`,
/// `interval` after the previous one and not before `not_before` from now,
/// and says how long to wait for it.
#[async_trait::async_trait]
pub trait SharedPace: Send + Sync {
    async fn turn(&self, pace_key: &str, interval: Duration, not_before: Duration) -> Result<Duration, String>;
}

/// A Statuspage client for one key.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
    key: ApiKey,
    limiter: Arc<Limiter>,
    progress: Option<ProgressFn>,
    observer: Option<RequestObserver>,
    shared_pace: Option<Arc<dyn SharedPace>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base_url", &self.config.base_url).field("key", &self.key).finish()
    }
}

impl Client {
    pub fn new(config: ClientConfig, key: ApiKey) -> Result<Client, ApiError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("incident-desk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Invalid(format!("cannot set up HTTP: {}", e.without_url())))?;
        let limiter = Limiter::for_key(&key);
        Ok(Client { http, config, key, limiter, progress: None, observer: None, shared_pace: None })
    }

    /// Called with every progress event.
    pub fn with_progress(mut self, progress: ProgressFn) -> Client {
        self.progress = Some(progress);
        self
    }

    /// Called with every request just before it is sent (tests check them
    /// against the API description).
    pub fn with_observer(mut self, observer: RequestObserver) -> Client {
        self.observer = Some(observer);
        self
    }

    /// Paces requests with every other process sharing `pace` as well.
    pub fn with_shared_pace(mut self, pace: Arc<dyn SharedPace>) -> Client {
        self.shared_pace = Some(pace);
        self
    }

    /// The key's pace slot name: a tag of the key (never the key) and the host.
    fn pace_key(&self) -> String {
        format!("{:016x}@{}", self.key.tag(), self.config.base_url.trim_end_matches('/'))
    }

    /// Waits for this request's turn: this process's queue, then the shared one.
    async fn wait_turn(&self, what: &str, not_before: Duration) {
        let mut wait = self.limiter.reserve(self.config.min_interval).max(not_before);
        if let Some(pace) = &self.shared_pace {
            match pace.turn(&self.pace_key(), self.config.min_interval + self.config.min_interval / 50, not_before).await {
                Ok(shared) => wait = wait.max(shared),
                Err(e) => self.report(Progress::Retrying { what: what.to_string(), reason: format!("shared pacing unavailable ({e}); pacing this process only"), attempt: 0 }),
            }
        }
        if !wait.is_zero() {
            self.report(Progress::Queued { what: what.to_string(), wait });
            tokio::time::sleep(wait).await;
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    fn report(&self, p: Progress) {
        if let Some(f) = &self.progress {
            f(&p);
        }
    }

    /// Sends one request, with queueing and bounded retries. Reads are
    /// retried after any failure; writes only when they were refused for
    /// rate limiting or never sent. Returns the JSON answer (`Null` if empty).
    pub async fn send(&self, req: &ApiRequest) -> Result<Value, ApiError> {
        let what = req.summary();
        let url = req.url(&self.config.base_url);
        let body = req.body.as_ref().map(|b| serde_json::to_vec(b).unwrap_or_default());
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut last = ApiError::NotSent { what: what.clone(), reason: "no attempt was made".into() };
        let mut held_off = Duration::ZERO;
        for attempt in 1..=self.config.max_attempts.max(1) {
            self.wait_turn(&what, std::mem::take(&mut held_off)).await;
            if let Some(observe) = &self.observer {
                observe(req);
            }
            self.report(Progress::Sending { what: what.clone(), attempt });
            let mut builder = self
                .http
                .request(method.clone(), &url)
                .header(reqwest::header::AUTHORIZATION, self.key.authorization())
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(body) = &body {
                builder = builder.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
            }
            let failure = match builder.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    let bytes = resp.bytes().await;
                    self.report(Progress::Answered { what: what.clone(), status });
                    match (status, bytes) {
                        (420 | 429, _) => {
                            let wait = retry_after.unwrap_or(self.config.min_interval).min(self.config.max_retry_after);
                            self.limiter.hold_off(Instant::now() + wait);
                            held_off = wait;
                            self.report(Progress::RateLimited { what: what.clone(), retry_after: wait, attempt });
                            last = ApiError::RateLimited { what: what.clone(), attempts: attempt };
                            continue;
                        }
                        (200..=299, Ok(bytes)) => return self.decode_json(&what, &bytes),
                        (_, Err(e)) => ApiError::Ambiguous {
                            what: what.clone(),
                            reason: format!("answer {status} cut off: {}", e.without_url()),
                        },
                        (500..=599, Ok(_)) => {
                            ApiError::Ambiguous { what: what.clone(), reason: format!("server error {status}") }
                        }
                        (_, Ok(bytes)) => {
                            return Err(ApiError::Rejected {
                                what,
                                status,
                                message: self.redact(&error_message(&bytes)),
                            })
                        }
                    }
                }
                Err(e) if e.is_connect() => {
                    ApiError::NotSent { what: what.clone(), reason: self.redact(&e.without_url().to_string()) }
                }
                Err(e) => {
                    let reason = if e.is_timeout() {
                        format!("no answer within {:?}", self.config.timeout)
                    } else {
                        format!("connection failed: {}", self.redact(&error_chain(&e.without_url())))
                    };
                    ApiError::Ambiguous { what: what.clone(), reason }
                }
            };
            let retry = matches!(failure, ApiError::NotSent { .. }) || req.method.is_read();
            if !retry || attempt == self.config.max_attempts {
                return Err(failure);
            }
            let reason = failure.to_string();
            self.report(Progress::Retrying { what: what.clone(), reason, attempt });
            last = failure;
            tokio::time::sleep(self.config.retry_backoff).await;
        }
        Err(last)
    }

    fn decode_json(&self, what: &str, bytes: &[u8]) -> Result<Value, ApiError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(bytes)
            .map_err(|e| ApiError::BadAnswer { what: what.to_string(), reason: e.to_string() })
    }

    fn redact(&self, text: &str) -> String {
        text.replace(self.key.expose(), "[redacted]")
    }

    async fn call<T: DeserializeOwned>(&self, req: ApiRequest) -> Result<T, ApiError> {
        let value = self.send(&req).await?;
        serde_json::from_value(value).map_err(|e| ApiError::BadAnswer { what: req.summary(), reason: e.to_string() })
    }

    /// Reads every page of a paginated list (at most 50 pages).
    async fn all_pages<T: DeserializeOwned>(&self, make: impl Fn(u32, u32) -> ApiRequest) -> Result<Vec<T>, ApiError> {
        const PER_PAGE: u32 = 100;
        let mut all = Vec::new();
        for page in 1..=50 {
            let batch: Vec<T> = self.call(make(page, PER_PAGE)).await?;
            let n = batch.len();
            all.extend(batch);
            if n < PER_PAGE as usize {
                break;
            }
        }
        Ok(all)
    }

    pub async fn create_incident(&self, page_id: &str, fields: &IncidentFields) -> Result<Incident, ApiError> {
        fields.check_limits().map_err(ApiError::Invalid)?;
        if fields.name.as_deref().unwrap_or("").is_empty() {
            return Err(ApiError::Invalid("an incident needs a title".into()));
        }
        self.call(ApiRequest::create_incident(page_id, fields)).await
    }

    /// PATCHes the incident; with `status` and `body` this publishes an update.
    pub async fn update_incident(&self, page_id: &str, incident_id: &str, fields: &IncidentFields) -> Result<Incident, ApiError> {
        fields.check_limits().map_err(ApiError::Invalid)?;
        self.call(ApiRequest::update_incident(page_id, incident_id, fields)).await
    }

    pub async fn get_incident(&self, page_id: &str, incident_id: &str) -> Result<Incident, ApiError> {
        self.call(ApiRequest::get_incident(page_id, incident_id)).await
    }

    pub async fn unresolved_incidents(&self, page_id: &str) -> Result<Vec<Incident>, ApiError> {
        self.all_pages(|p, n| ApiRequest::list_unresolved(page_id, p, n)).await
    }

    pub async fn scheduled_incidents(&self, page_id: &str) -> Result<Vec<Incident>, ApiError> {
        self.all_pages(|p, n| ApiRequest::list_scheduled(page_id, p, n)).await
    }

    pub async fn upcoming_incidents(&self, page_id: &str) -> Result<Vec<Incident>, ApiError> {
        self.all_pages(|p, n| ApiRequest::list_upcoming(page_id, p, n)).await
    }

    /// The most recent incidents of any status (first page only).
    pub async fn recent_incidents(&self, page_id: &str, limit: u32) -> Result<Vec<Incident>, ApiError> {
        self.incidents_page(page_id, 1, limit).await
    }

    /// Page `page` (from 1) of the incidents, newest first, `limit` (at most 100) a page.
    pub async fn incidents_page(&self, page_id: &str, page: u32, limit: u32) -> Result<Vec<Incident>, ApiError> {
        self.call(ApiRequest::list_incidents(page_id, page, limit.min(100))).await
    }

    pub async fn components(&self, page_id: &str) -> Result<Vec<Component>, ApiError> {
        self.all_pages(|p, n| ApiRequest::list_components(page_id, p, n)).await
    }

    pub async fn set_component_status(&self, page_id: &str, component_id: &str, status: &str) -> Result<Component, ApiError> {
        self.call(ApiRequest::set_component_status(page_id, component_id, status)).await
    }

    pub async fn postmortem(&self, page_id: &str, incident_id: &str) -> Result<Postmortem, ApiError> {
        self.call(ApiRequest::get_postmortem(page_id, incident_id)).await
    }

    pub async fn postmortem_draft(&self, page_id: &str, incident_id: &str, body: &str) -> Result<Postmortem, ApiError> {
        self.call(ApiRequest::postmortem_draft(page_id, incident_id, body)).await
    }

    pub async fn postmortem_publish(
        &self,
        page_id: &str,
        incident_id: &str,
        notify_subscribers: bool,
        notify_twitter: bool,
    ) -> Result<Postmortem, ApiError> {
        self.call(ApiRequest::postmortem_publish(page_id, incident_id, notify_subscribers, notify_twitter)).await
    }

    pub async fn postmortem_revert(&self, page_id: &str, incident_id: &str) -> Result<Postmortem, ApiError> {
        self.call(ApiRequest::postmortem_revert(page_id, incident_id)).await
    }

    pub async fn incident_templates(&self, page_id: &str) -> Result<Vec<IncidentTemplate>, ApiError> {
        self.all_pages(|p, n| ApiRequest::list_templates(page_id, p, n)).await
    }
}

/// `Retry-After` in seconds; fractions are accepted (the sandbox uses them
/// to keep tests fast). HTTP dates fall back to the default wait.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// Error bodies are not reliably `{"message": …}`: take what is there.
fn error_message(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        for field in ["message", "error"] {
            if let Some(s) = v.get(field).and_then(Value::as_str) {
                return s.to_string();
            }
        }
        if let Some(list) = v.get("errors").and_then(Value::as_array) {
            let parts: Vec<String> =
                list.iter().map(|e| e.as_str().map(str::to_string).unwrap_or_else(|| e.to_string())).collect();
            return parts.join("; ");
        }
    }
    let text = text.trim();
    if text.is_empty() {
        return "no message".into();
    }
    text.chars().take(300).collect()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_parses_seconds_and_fractions() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.05 "), Some(Duration::from_millis(50)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn error_bodies_are_read_defensively() {
        assert_eq!(error_message(br#"{"message":"nope"}"#), "nope");
        assert_eq!(error_message(br#"{"error":"bad"}"#), "bad");
        assert_eq!(error_message(br#"{"errors":["a","b"]}"#), "a; b");
        assert_eq!(error_message(b"<html>oops</html>"), "<html>oops</html>");
        assert_eq!(error_message(b""), "no message");
    }

    #[test]
    fn limiter_spaces_requests_in_order() {
        let key = ApiKey::new("limiter-test-key").unwrap();
        let l = Limiter::for_key(&key);
        let i = Duration::from_millis(100);
        let a = l.reserve(i);
        let b = l.reserve(i);
        let c = l.reserve(i);
        assert!(a < Duration::from_millis(5));
        assert!(b > Duration::from_millis(90) && c > Duration::from_millis(190), "{b:?} {c:?}");
    }
}
