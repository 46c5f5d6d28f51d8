//! desk-statuspage's client against the sandbox: every call we use, every
//! request checked against the API description, rate limiting and auth.
//! (Here rather than in desk-statuspage, so that crate needs nothing above it.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk_sandbox::{Sandbox, SandboxConfig};
use desk_statuspage::{ApiError, ApiKey, ApiRequest, Client, ClientConfig, IncidentFields, Method, OpenApi, Progress};
use serde_json::json;

const KEY: &str = "test-key-7f3a9c";

async fn sandbox(interval: Duration) -> Sandbox {
    let config = SandboxConfig { rate_limit_interval: interval, keys: Some(vec![KEY.into()]), ..Default::default() };
    Sandbox::start(config).await.expect("sandbox starts")
}

fn fast(base: String) -> ClientConfig {
    ClientConfig {
        timeout: Duration::from_secs(5),
        min_interval: Duration::ZERO,
        retry_backoff: Duration::from_millis(10),
        ..ClientConfig::new(base)
    }
}

/// A client whose requests are all recorded.
fn recording(config: ClientConfig, key: &str) -> (Client, Arc<Mutex<Vec<ApiRequest>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = Client::new(config, ApiKey::new(key).unwrap())
        .unwrap()
        .with_observer(Arc::new(move |r: &ApiRequest| sink.lock().unwrap().push(r.clone())));
    (client, seen)
}


#[tokio::test]
async fn every_call_we_use_works_and_matches_the_description() {
    let sb = sandbox(Duration::ZERO).await;
    let (client, seen) = recording(fast(sb.api_base()), KEY);
    let page = "sandbox";

    let components = client.components(page).await.unwrap();
    assert_eq!(components.len(), 3);
    let api = components.iter().find(|c| c.name == "API").unwrap();

    let created = client
        .create_incident(page, &IncidentFields {
            name: Some("API の応答遅延 / Slow API".into()),
            status: Some("investigating".into()),
            body: Some("調べています。\n\nWe are looking into it.".into()),
            impact_override: Some("minor".into()),
            metadata: Some(json!({"incident_desk": {"publish_id": "p-1"}})),
            components: Some([(api.id.clone(), "degraded_performance".into())].into()),
            component_ids: Some(vec![api.id.clone()]),
            deliver_notifications: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(created.status, "investigating");
    assert_eq!(created.incident_updates.len(), 1);
    assert_eq!(created.metadata["incident_desk"]["publish_id"], "p-1");
    assert!(created.shortlink.as_deref().unwrap().ends_with(&created.id));

    let unresolved = client.unresolved_incidents(page).await.unwrap();
    assert_eq!(unresolved.len(), 1);

    let updated = client
        .update_incident(page, &created.id, &IncidentFields {
            status: Some("resolved".into()),
            body: Some("解決しました。".into()),
            components: Some([(api.id.clone(), "operational".into())].into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(updated.incident_updates.len(), 2);
    assert_eq!(updated.incident_updates[0].status, "resolved");
    assert!(client.unresolved_incidents(page).await.unwrap().is_empty());
    assert_eq!(client.recent_incidents(page, 10).await.unwrap().len(), 1);
    assert_eq!(client.get_incident(page, &created.id).await.unwrap().status, "resolved");

    let comp = client.set_component_status(page, &api.id, "partial_outage").await.unwrap();
    assert_eq!(comp.status, "partial_outage");

    let draft = client.postmortem_draft(page, &created.id, "## 原因\n設定の誤り").await.unwrap();
    assert_eq!(draft.body_draft.as_deref(), Some("## 原因\n設定の誤り"));
    let published = client.postmortem_publish(page, &created.id, false, true).await.unwrap();
    assert!(published.published_at.is_some());
    // Both flags are kept as sent.
    assert_eq!((published.notify_subscribers, published.notify_twitter), (Some(false), Some(true)));
    let incident = client.get_incident(page, &created.id).await.unwrap();
    assert_eq!(incident.postmortem_body.as_deref(), Some("## 原因\n設定の誤り"));
    let reverted = client.postmortem_revert(page, &created.id).await.unwrap();
    assert!(reverted.published_at.is_none());
    assert!(client.postmortem(page, &created.id).await.unwrap().body_draft.is_some());

    let maintenance = client
        .create_incident(page, &IncidentFields {
            name: Some("定期メンテナンス / Scheduled maintenance".into()),
            status: Some("scheduled".into()),
            body: Some("予定".into()),
            scheduled_for: Some("2030-01-01T01:00:00Z".into()),
            scheduled_until: Some("2030-01-01T03:00:00+09:00".into()),
            scheduled_remind_prior: Some(true),
            scheduled_auto_in_progress: Some(true),
            scheduled_auto_completed: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let scheduled = client.scheduled_incidents(page).await.unwrap();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].id, maintenance.id);
    assert_eq!(scheduled[0].scheduled_until.as_deref(), Some("2029-12-31T18:00:00.000Z"));

    let template = ApiRequest {
        method: Method::Post,
        path: "/pages/sandbox/incident_templates".into(),
        query: vec![],
        body: Some(json!({"template": {"name": "調査中", "title": "障害", "body": "確認中です", "update_status": "investigating"}})),
    };
    client.send(&template).await.unwrap();
    let templates = client.incident_templates(page).await.unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!(templates[0].update_status.as_deref(), Some("investigating"));

    OpenApi::assert_all_valid(&seen.lock().unwrap());
    assert_eq!(sb.keys_seen(), [format!("OAuth {KEY}")], "the client sends its key only in the header");
    sb.shutdown().await;
}

#[tokio::test]
async fn limits_are_enforced_before_sending_and_by_the_sandbox() {
    let sb = sandbox(Duration::ZERO).await;
    let (client, seen) = recording(fast(sb.api_base()), KEY);
    let long_name = "あ".repeat(256);
    let err = client
        .create_incident("sandbox", &IncidentFields { name: Some(long_name.clone()), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Invalid(_)), "{err}");
    assert!(seen.lock().unwrap().is_empty(), "nothing is sent");

    // The sandbox enforces the same limits on anyone else.
    let raw = ApiRequest::create_incident("sandbox", &IncidentFields { name: Some(long_name), ..Default::default() });
    let err = client.send(&raw).await.unwrap_err();
    assert!(matches!(err, ApiError::Rejected { status: 422, .. }), "{err}");
    let body = "x".repeat(25_001);
    let raw = ApiRequest::create_incident("sandbox", &IncidentFields { name: Some("n".into()), body: Some(body), ..Default::default() });
    assert!(matches!(client.send(&raw).await.unwrap_err(), ApiError::Rejected { status: 422, .. }));
    let ok = IncidentFields { name: Some("n".repeat(255)), body: Some("本".repeat(25_000)), ..Default::default() };
    client.create_incident("sandbox", &ok).await.unwrap();
    sb.shutdown().await;
}

#[tokio::test]
async fn a_wrong_key_is_refused_and_never_echoed() {
    let sb = sandbox(Duration::ZERO).await;
    let (client, _) = recording(fast(sb.api_base()), "wrong-key-123456");
    let err = client.components("sandbox").await.unwrap_err();
    assert!(matches!(err, ApiError::Rejected { status: 401, .. }), "{err}");
    assert!(!format!("{err} {err:?} {client:?}").contains("wrong-key-123456"));
    sb.shutdown().await;
}

#[tokio::test]
async fn rate_limited_answers_are_waited_out_and_reported() {
    let interval = Duration::from_millis(300);
    let sb = sandbox(interval).await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    // This client does not space its requests: the sandbox answers 429/420.
    let client = Client::new(fast(sb.api_base()), ApiKey::new(KEY).unwrap())
        .unwrap()
        .with_progress(Arc::new(move |p: &Progress| sink.lock().unwrap().push(p.clone())));
    let start = Instant::now();
    for _ in 0..3 {
        client.components("sandbox").await.unwrap();
    }
    let elapsed = start.elapsed();
    let limited = events.lock().unwrap().iter().filter(|p| matches!(p, Progress::RateLimited { .. })).count();
    assert!(limited >= 2, "rate limiting was reported: {limited}");
    assert!(elapsed >= interval * 2, "{elapsed:?}");
    assert!(sb.stats().rate_limited >= 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_spaced_client_queues_its_requests_one_interval_apart() {
    let interval = Duration::from_millis(150);
    let open = SandboxConfig { rate_limit_interval: Duration::ZERO, ..Default::default() };
    let sb = Sandbox::start(open).await.unwrap();
    let config = ClientConfig { min_interval: interval, ..fast(sb.api_base()) };
    let client = Client::new(config, ApiKey::new("spacing-key-9").unwrap()).unwrap();
    let client = Arc::new(client);
    let start = Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.components("sandbox").await.map(|_| Instant::now()) })
        })
        .collect();
    let mut done = Vec::new();
    for t in tasks {
        done.push(t.await.unwrap().unwrap_or_else(|e| panic!("{e}")));
    }
    assert!(start.elapsed() >= interval * 3, "{:?}", start.elapsed());
    sb.shutdown().await;
}

#[tokio::test]
async fn persistence_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("desk-sandbox-persist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = SandboxConfig { rate_limit_interval: Duration::ZERO, data_dir: Some(dir.clone()), ..Default::default() };
    let sb = Sandbox::start(config.clone()).await.unwrap();
    let client = Client::new(fast(sb.api_base()), ApiKey::new(KEY).unwrap()).unwrap();
    let inc = client
        .create_incident("sandbox-ja", &IncidentFields { name: Some("保存".into()), body: Some("本文".into()), ..Default::default() })
        .await
        .unwrap();
    sb.shutdown().await;
    let sb = Sandbox::start(config).await.unwrap();
    let client = Client::new(fast(sb.api_base()), ApiKey::new(KEY).unwrap()).unwrap();
    assert_eq!(client.get_incident("sandbox-ja", &inc.id).await.unwrap().name, "保存");
    let html = sb.fetch_public(&format!("/incidents/{}", inc.id)).await.unwrap();
    assert!(html.contains("保存") && html.contains("本文") && html.contains("調査中"), "{html}");
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
