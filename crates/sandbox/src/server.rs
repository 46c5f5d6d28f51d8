//! The HTTP side: auth, per-key rate limiting, fault injection, persistence
//! and routing to the API (`/v1/…`) and the public status page (`/`).

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use desk_statuspage::{ApiRequest, Method, OpenApi};

use crate::page;
use crate::state::{error, Answer, Call, PageSeed, State};

/// Faults to inject, each a probability per API request (0.0 = never).
#[derive(Debug, Clone)]
pub struct Faults {
    pub seed: u64,
    /// Answer 420 or 429 with `Retry-After` before doing anything.
    pub rate_limited: f64,
    /// Do the work, then close the connection without answering.
    pub drop_after_commit: f64,
    /// Do the work, then answer 500.
    pub error_after_commit: f64,
    /// Do the work, then answer after `slow_delay` (beyond the client's timeout).
    pub slow: f64,
    pub slow_delay: Duration,
    /// The `Retry-After` sent with injected 420/429 answers.
    pub retry_after: Duration,
}

impl Faults {
    pub fn none() -> Faults {
        Faults {
            seed: 1,
            rate_limited: 0.0,
            drop_after_commit: 0.0,
            error_after_commit: 0.0,
            slow: 0.0,
            slow_delay: Duration::from_secs(60),
            retry_after: Duration::from_secs(1),
        }
    }
}

/// How the sandbox runs.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub bind: SocketAddr,
    /// Where `sandbox.json` lives; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Pages created when there is no saved data.
    pub pages: Vec<PageSeed>,
    /// Keys accepted in `Authorization: OAuth <key>`; `None` accepts any
    /// non-empty key (a loopback sandbox for first-run users). Kept in
    /// memory only.
    pub keys: Option<Vec<String>>,
    /// Minimum spacing between requests with one key (Statuspage: 1 s).
    pub rate_limit_interval: Duration,
    pub faults: Faults,
    /// When set, every API request is checked against this description and
    /// each mismatch recorded (see [`Sandbox::request_violations`]).
    pub api_description: Option<Arc<OpenApi>>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: None,
            pages: PageSeed::defaults(),
            keys: None,
            rate_limit_interval: Duration::from_secs(1),
            faults: Faults::none(),
            api_description: None,
        }
    }
}

/// What the sandbox has seen, for tests and the fault test's numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub commits: u64,
    pub rate_limited: u64,
    pub injected_rate_limits: u64,
    pub dropped_after_commit: u64,
    pub errors_after_commit: u64,
    pub slow_answers: u64,
    pub unauthorized: u64,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    commits: AtomicU64,
    rate_limited: AtomicU64,
    injected_rate_limits: AtomicU64,
    dropped_after_commit: AtomicU64,
    errors_after_commit: AtomicU64,
    slow_answers: AtomicU64,
    unauthorized: AtomicU64,
}

struct Shared {
    state: Mutex<State>,
    config: Mutex<SandboxConfig>,
    public_base: String,
    last_by_key: Mutex<HashMap<u64, Instant>>,
    rng: Mutex<u64>,
    counters: Counters,
    violations: Mutex<Vec<String>>,
    keys_seen: Mutex<Vec<String>>,
    calls: Mutex<Vec<ApiCall>>,
}

/// One API request the sandbox answered from its state (after the key and
/// rate checks), as it came, with the status of the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiCall {
    pub method: String,
    /// Below `/v1`: `/pages/{page}/incidents/{id}/postmortem/publish`.
    pub path: String,
    pub body: Option<Value>,
    pub status: u16,
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot read the sandbox data {0}: {1}")]
    Load(PathBuf, String),
}

const DATA_FILE: &str = "sandbox.json";

impl Sandbox {
    /// Loads (or seeds) the data and starts serving.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let state = match &config.data_dir {
            Some(dir) => load(dir)?.unwrap_or_else(|| State::seeded(&config.pages)),
            None => State::seeded(&config.pages),
        };
        let listener = TcpListener::bind(config.bind).await.map_err(|e| SandboxError::Bind(config.bind, e))?;
        let addr = listener.local_addr().map_err(|e| SandboxError::Bind(config.bind, e))?;
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            rng: Mutex::new(config.faults.seed),
            config: Mutex::new(config),
            public_base: format!("http://{addr}"),
            last_by_key: Mutex::new(HashMap::new()),
            counters: Counters::default(),
            violations: Mutex::new(Vec::new()),
            keys_seen: Mutex::new(Vec::new()),
            calls: Mutex::new(Vec::new()),
        });
        if let Some(dir) = shared.config.lock().expect("config").data_dir.clone() {
            save(&dir, &shared.state.lock().expect("state"));
        }
        let stop = Arc::new(Notify::new());
        let task = tokio::spawn(serve(listener, shared.clone(), stop.clone()));
        Ok(Sandbox { addr, shared, stop, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base to give a client: `http://127.0.0.1:PORT/v1`.
    pub fn api_base(&self) -> String {
        format!("{}/v1", self.shared.public_base)
    }

    /// The public status page.
    pub fn public_url(&self) -> String {
        format!("{}/", self.shared.public_base)
    }

    /// GETs a public page (`/`, `/incidents/ID`) over HTTP, as a browser
    /// would, and returns the whole answer (status line, headers, HTML).
    pub async fn fetch_public(&self, path: &str) -> std::io::Result<String> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(self.addr).await?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr);
        s.write_all(request.as_bytes()).await?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Every incident of a page as the API shows it, oldest first.
    pub fn incidents(&self, page_id: &str) -> Vec<Value> {
        let state = self.shared.state.lock().expect("state");
        state
            .pages
            .get(page_id)
            .map(|p| p.incidents.iter().map(|r| State::incident_json(p, r, &self.shared.public_base)).collect())
            .unwrap_or_default()
    }

    /// The components of a page as the API shows them.
    pub fn components(&self, page_id: &str) -> Vec<Value> {
        let state = self.shared.state.lock().expect("state");
        state.pages.get(page_id).map(|p| p.components.iter().map(|c| serde_json::json!(c)).collect()).unwrap_or_default()
    }

    /// Adds an incident template to a page, as a page's admin would in
    /// Statuspage's UI (tests and demos of `desk templates import-statuspage`).
    /// Components are given by name; unknown names are ignored. Returns its id.
    pub fn add_template(
        &self,
        page_id: &str,
        name: &str,
        title: &str,
        body: &str,
        update_status: Option<&str>,
        components: &[&str],
    ) -> Option<String> {
        let mut state = self.shared.state.lock().expect("state");
        let id = state.next_id();
        let page = state.pages.get_mut(page_id)?;
        let component_ids = page.components.iter().filter(|c| components.contains(&c.name.as_str())).map(|c| c.id.clone()).collect();
        page.templates.push(crate::state::TemplateRec {
            id: id.clone(),
            name: name.into(),
            title: title.into(),
            body: body.into(),
            group_id: None,
            update_status: update_status.map(str::to_string),
            should_tweet: false,
            should_send_notifications: true,
            component_ids,
        });
        if let Some(dir) = self.shared.config.lock().expect("config").data_dir.clone() {
            save(&dir, &state);
        }
        Some(id)
    }

    /// Requests that did not match the API description (when one was given).
    pub fn request_violations(&self) -> Vec<String> {
        self.shared.violations.lock().expect("violations").clone()
    }

    /// Every distinct credential this sandbox was sent, in the order first
    /// seen: each `Authorization` header value as it came (`OAuth xyz`,
    /// `Bearer xyz`), accepted or not, and a key put in a URL as
    /// `api_key=xyz`. Kept in memory only, so a test can assert that a real
    /// key never reached the sandbox.
    pub fn keys_seen(&self) -> Vec<String> {
        self.shared.keys_seen.lock().expect("keys seen").clone()
    }

    /// Every API request answered from the sandbox's state, oldest first
    /// (kept in memory only): what was sent, in order, for tests that count
    /// requests ("one postmortem publish per page").
    pub fn calls(&self) -> Vec<ApiCall> {
        self.shared.calls.lock().expect("calls").clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.shared.rng.lock().expect("rng") = faults.seed;
        self.shared.config.lock().expect("config").faults = faults;
    }

    pub fn set_rate_limit_interval(&self, interval: Duration) {
        self.shared.config.lock().expect("config").rate_limit_interval = interval;
    }

    pub fn stats(&self) -> Stats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            requests: get(&c.requests),
            commits: get(&c.commits),
            rate_limited: get(&c.rate_limited),
            injected_rate_limits: get(&c.injected_rate_limits),
            dropped_after_commit: get(&c.dropped_after_commit),
            errors_after_commit: get(&c.errors_after_commit),
            slow_answers: get(&c.slow_answers),
            unauthorized: get(&c.unauthorized),
        }
    }

    /// Runs until the process ends.
    pub async fn run_forever(self) {
        let _ = self.task.await;
    }

    pub async fn shutdown(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }
}

fn load(dir: &std::path::Path) -> Result<Option<State>, SandboxError> {
    let path = dir.join(DATA_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| SandboxError::Load(path, e.to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SandboxError::Load(path, e.to_string())),
    }
}

/// Writes the state atomically (temp file, fsync, rename).
fn save(dir: &std::path::Path, state: &State) {
    use std::io::Write;
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!("{DATA_FILE}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&serde_json::to_vec(state).unwrap_or_default())?;
        f.sync_all()?;
        std::fs::rename(&tmp, dir.join(DATA_FILE))
    })();
    if let Err(e) = result {
        eprintln!("sandbox: cannot save {}: {e}", dir.display());
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>, stop: Arc<Notify>) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.notified() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let shared = shared.clone();
        tokio::spawn(async move {
            // A handler that wants the connection dropped unanswered
            // notifies `kill`; dropping the connection future closes it.
            let kill = Arc::new(Notify::new());
            let kill_in = kill.clone();
            let service = service_fn(move |req| {
                let shared = shared.clone();
                let kill = kill_in.clone();
                async move { Ok::<_, Infallible>(handle(&shared, &kill, req).await) }
            });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
            }
        });
    }
}

fn json_response(answer: &Answer) -> Response<Full<Bytes>> {
    let body = if answer.status == 204 { Bytes::new() } else { Bytes::from(answer.body.to_string()) };
    Response::builder()
        .status(answer.status)
        .header("content-type", "application/json; charset=utf-8")
        .body(Full::new(body))
        .expect("valid response")
}

/// `Retry-After` in whole seconds (rounded up) as HTTP has it, when the
/// limit is a second or more; with a sub-second limit (a test setup) a
/// decimal, which our client reads.
fn rate_limited(status: u16, wait: Duration, limit: Duration) -> Response<Full<Bytes>> {
    let secs = wait.as_secs_f64();
    let value = if limit >= Duration::from_secs(1) { format!("{}", secs.ceil() as u64) } else { format!("{secs:.3}") };
    let mut resp = json_response(&error(status, "rate limited: slow down"));
    resp.headers_mut().insert("retry-after", value.parse().expect("header"));
    resp
}

fn roll(shared: &Shared) -> f64 {
    let mut s = shared.rng.lock().expect("rng");
    *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn parse_query(q: Option<&str>) -> BTreeMap<String, String> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn handle(shared: &Shared, kill: &Notify, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query());
    {
        let sent = req.headers().get_all("authorization").iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut seen = shared.keys_seen.lock().expect("keys seen");
        for key in sent.chain(query.get("api_key").map(|k| format!("api_key={k}"))) {
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
    }
    if req.method() == "GET" && (path == "/" || path.starts_with("/incidents/")) {
        let state = shared.state.lock().expect("state").clone();
        let html = page::render(&state, &path, &query, &shared.public_base);
        let status = if html.is_some() { 200 } else { 404 };
        return Response::builder()
            .status(status)
            .header("content-type", "text/html; charset=utf-8")
            .body(Full::new(Bytes::from(html.unwrap_or_else(|| "not found".into()))))
            .expect("valid response");
    }
    let Some(api_path) = path.strip_prefix("/v1/") else {
        return json_response(&error(404, "not found"));
    };
    let c = &shared.counters;
    c.requests.fetch_add(1, Ordering::Relaxed);

    // Auth: the key only in the header, never in the query.
    if query.contains_key("api_key") {
        c.unauthorized.fetch_add(1, Ordering::Relaxed);
        return json_response(&error(401, "send the key in the Authorization header, not the URL"));
    }
    let key = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("OAuth "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let (interval, faults, keys) = {
        let cfg = shared.config.lock().expect("config");
        (cfg.rate_limit_interval, cfg.faults.clone(), cfg.keys.clone())
    };
    let Some(key) = key.filter(|k| keys.as_ref().is_none_or(|ks| ks.contains(k))) else {
        c.unauthorized.fetch_add(1, Ordering::Relaxed);
        return json_response(&error(401, "unauthorized"));
    };

    // One request per interval per key; 420 and 429 both mean "slow down".
    if !interval.is_zero() {
        let tag = desk_statuspage::key::fnv1a(key.as_bytes());
        let mut last = shared.last_by_key.lock().expect("rate");
        let now = Instant::now();
        if let Some(prev) = last.get(&tag) {
            let since = now.duration_since(*prev);
            if since < interval {
                let n = c.rate_limited.fetch_add(1, Ordering::Relaxed);
                return rate_limited(if n.is_multiple_of(2) { 429 } else { 420 }, interval - since, interval);
            }
        }
        last.insert(tag, now);
    }
    drop(key);

    if roll(shared) < faults.rate_limited {
        let n = c.injected_rate_limits.fetch_add(1, Ordering::Relaxed);
        return rate_limited(if n.is_multiple_of(2) { 420 } else { 429 }, faults.retry_after, faults.retry_after);
    }

    let method = req.method().as_str().to_string();
    let body = match Limited::new(req.into_body(), 1 << 20).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return json_response(&error(413, "request too large")),
    };
    let body = if body.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) => Some(v),
            Err(_) => return json_response(&error(400, "the body is not JSON")),
        }
    };
    let api = shared.config.lock().expect("config").api_description.clone();
    if let Some(api) = api {
        let request = ApiRequest {
            method: Method::parse(&method).unwrap_or(Method::Get),
            path: format!("/{api_path}"),
            query: query.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            body: body.clone(),
        };
        let errors = api.check(&request);
        if !errors.is_empty() {
            shared.violations.lock().expect("violations").push(format!("{}: {}", request.summary(), errors.join("; ")));
        }
    }
    let logged_body = body.clone();
    let call = Call { method: &method, segments: api_path.trim_end_matches('/').split('/').collect(), query, body };
    let answer = {
        let mut state = shared.state.lock().expect("state");
        let answer = state.handle(&call, &shared.public_base);
        shared.calls.lock().expect("calls").push(ApiCall {
            method: method.clone(),
            path: format!("/{}", api_path.trim_end_matches('/')),
            body: logged_body,
            status: answer.status,
        });
        if answer.committed {
            c.commits.fetch_add(1, Ordering::Relaxed);
            let dir = shared.config.lock().expect("config").data_dir.clone();
            if let Some(dir) = dir {
                save(&dir, &state);
            }
        }
        answer
    };

    let r = roll(shared);
    if r < faults.drop_after_commit {
        c.dropped_after_commit.fetch_add(1, Ordering::Relaxed);
        kill.notify_one();
        std::future::pending::<()>().await;
    }
    let r = r - faults.drop_after_commit;
    if r >= 0.0 && r < faults.error_after_commit {
        c.errors_after_commit.fetch_add(1, Ordering::Relaxed);
        return json_response(&error(500, "internal error"));
    }
    let r = r - faults.error_after_commit;
    if r >= 0.0 && r < faults.slow {
        c.slow_answers.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(faults.slow_delay).await;
    }
    json_response(&answer)
}
