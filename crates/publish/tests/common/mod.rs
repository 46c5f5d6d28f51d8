//! Helpers shared by the publish tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_model::{AffectedComponent, ComponentStatus, Impact, Lang, Status};
use desk_publish::{Engine, EngineOptions, PagePayload, PublishJob, PublishLog};
use desk_sandbox::{Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, ApiRequest, Client, ClientConfig};

pub const KEY: &str = "sk-test-5d1e0c2b9a";

pub async fn sandbox(data_dir: Option<std::path::PathBuf>) -> Sandbox {
    let config = SandboxConfig {
        rate_limit_interval: Duration::ZERO,
        keys: Some(vec![KEY.to_string()]),
        data_dir,
        ..Default::default()
    };
    Sandbox::start(config).await.expect("sandbox starts")
}

pub fn client_config(base: String) -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_millis(2_000),
        connect_timeout: Duration::from_millis(500),
        min_interval: Duration::ZERO,
        max_attempts: 6,
        retry_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(200),
        ..ClientConfig::new(base)
    }
}

pub fn fast_options() -> EngineOptions {
    EngineOptions { settle: Duration::from_millis(5), ..Default::default() }
}

pub type Seen = Arc<Mutex<Vec<ApiRequest>>>;

/// An engine whose requests are all recorded.
pub fn engine(config: ClientConfig, log: Arc<dyn PublishLog>, options: EngineOptions) -> (Engine, Seen) {
    let seen: Seen = Arc::default();
    let sink = seen.clone();
    let client = Client::new(config, ApiKey::new(KEY).unwrap())
        .unwrap()
        .with_observer(Arc::new(move |r: &ApiRequest| sink.lock().unwrap().push(r.clone())));
    (Engine::new(client, log, options), seen)
}


pub fn job(key: &str, index: usize, status: Status, pages: Vec<PagePayload>) -> PublishJob {
    PublishJob {
        incident_key: key.to_string(),
        update_index: index,
        kind: status.kind(),
        status,
        impact: Impact::Major,
        components: vec![AffectedComponent { name: "API".into(), status: ComponentStatus::PartialOutage }],
        scheduled_for: None,
        scheduled_until: None,
        maintenance: None,
        deliver_notifications: true,
        notify_twitter: false,
        pages,
    }
}

pub fn combined(page: &str, title: &str, body: &str) -> Vec<PagePayload> {
    vec![PagePayload { page_id: page.into(), lang: None, title: title.into(), body: body.into() }]
}

pub fn split(title: &str, body: &str) -> Vec<PagePayload> {
    vec![
        PagePayload { page_id: "sandbox-ja".into(), lang: Some(Lang::Ja), title: format!("{title}（日本語）"), body: format!("{body}\n日本語の本文") },
        PagePayload { page_id: "sandbox-en".into(), lang: Some(Lang::En), title: format!("{title} (English)"), body: format!("{body}\nEnglish body") },
    ]
}
