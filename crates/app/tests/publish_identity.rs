//! Publish ids carry the database's identity: two databases (two machines'
//! single-person files, or a switch to another database) that both hold an
//! incident with the same id publish two incidents on one page, never
//! "already published" for the other's; one database publishing again sends
//! nothing.

use desk_app::publish::{publish, Publisher, Source};
use desk_app::publishing::Target;
use desk_publish::job::Pages;
use desk_publish::{PageResult, PublishSettings, SandboxReason};
use desk_sandbox::{PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};
use desk_store::{ListQuery, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_incident_id_in_two_databases_is_two_incidents_on_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut pages = PageSeed::defaults();
    for page in &mut pages {
        page.components.push("Kumo Mail".into());
    }
    let sandbox = Sandbox::start(SandboxConfig { pages, rate_limit_interval: std::time::Duration::ZERO, ..Default::default() }).await.unwrap();
    let mut ids = Vec::new();
    let mut uuids = Vec::new();
    for machine in ["a", "b"] {
        let store = Store::open(tmp.path().join(format!("{machine}.db")).to_str().unwrap()).await.unwrap().acting_as("aiko").unwrap();
        // The same samples, with the same ids, in both databases.
        desk_app::desk::prepare(&store).await.unwrap();
        uuids.push(store.database_identity().await.unwrap());
        let sample = store.load_incidents(&ListQuery::default()).await.unwrap().into_iter().find(|s| s.title.en.contains("deliveries are delayed")).unwrap();
        let client = Client::new(ClientConfig { min_interval: std::time::Duration::ZERO, ..ClientConfig::new(sandbox.api_base()) }, ApiKey::new("local-sandbox").unwrap()).unwrap();
        let target = Target::new(&store, client, Pages::Combined("sandbox".into()), PublishSettings::default(), Some(SandboxReason::Chosen), String::new())
            .with_options(desk_publish::EngineOptions { settle: std::time::Duration::from_millis(50), ..Default::default() });
        let templates = store.template_set().await.unwrap();
        let lint = desk_app::settings::lint_config(&store, true).await.unwrap();
        let p = Publisher { templates: &templates, lint: &lint, target: &target };
        for round in 0..2 {
            let published = publish(&p, Source::Stored { store: &store, id: sample.id }, None, None, false, false).await.unwrap();
            let result = &published.report.pages[0].result;
            match round {
                0 => assert!(matches!(result, PageResult::Published { .. }), "{machine}: {result:?}"),
                _ => assert!(matches!(result, PageResult::AlreadyPublished { .. }), "{machine}, again: {result:?}"),
            }
        }
        ids.push(sample.id);
        store.close().await;
    }
    assert_eq!(ids[0], ids[1], "the same incident id in both databases");
    assert_ne!(uuids[0], uuids[1], "each database made its own identity");
    assert_eq!(sandbox.incidents("sandbox").len(), 2, "one incident per database, none taken for the other's");
    sandbox.shutdown().await;
}

/// The publishing lock is a lease: a second holder waits while it runs,
/// takes it once it lapses (a process that died), and its own holder renews it.
#[tokio::test]
async fn the_publishing_lock_lapses_when_its_holder_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("lock.db").to_str().unwrap()).await.unwrap();
    let lease = std::time::Duration::from_millis(300);
    assert!(store.hold_publishing("db:x:1\nsandbox", "machine-a", lease).await.unwrap());
    assert!(!store.hold_publishing("db:x:1\nsandbox", "machine-b", lease).await.unwrap(), "held by a");
    assert!(store.hold_publishing("db:x:1\nsandbox", "machine-a", lease).await.unwrap(), "a renews its own");
    assert!(store.hold_publishing("db:x:2\nsandbox", "machine-b", lease).await.unwrap(), "another incident is free");
    tokio::time::sleep(lease + std::time::Duration::from_millis(100)).await;
    assert!(store.hold_publishing("db:x:1\nsandbox", "machine-b", lease).await.unwrap(), "a's lease lapsed: b takes it");
    store.release_publishing("db:x:1\nsandbox", "machine-a").await.unwrap();
    assert!(!store.hold_publishing("db:x:1\nsandbox", "machine-a", lease).await.unwrap(), "a's release does not free b's lock");
}
