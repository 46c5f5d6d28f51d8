//! Publishing through the per-key queue against a sandbox that enforces its
//! rate limit: concurrent publishes are spaced, none is lost or doubled, and
//! the waits are reported.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use desk_model::Status;
use desk_publish::{MemoryLog, PublishEvent};
use desk_sandbox::{Sandbox, SandboxConfig};
use desk_statuspage::Progress;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_publishes_queue_behind_one_key() {
    // The client spaces requests a little wider than the server's limit, as
    // 1 s + 2% does against Statuspage, so connection set-up and scheduling
    // jitter on a busy machine do not trip it.
    let interval = Duration::from_millis(40);
    let server_limit = Duration::from_millis(30);
    let config = SandboxConfig { rate_limit_interval: server_limit, keys: Some(vec![KEY.into()]), ..Default::default() };
    let sb = Sandbox::start(config).await.unwrap();
    let client = desk_statuspage::ClientConfig { min_interval: interval, ..client_config(sb.api_base()) };
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let (engine, seen) = engine(client, Arc::new(MemoryLog::default()), fast_options());
    let engine = Arc::new(engine.with_events(Arc::new(move |e: &PublishEvent| sink.lock().unwrap().push(e.clone()))));

    let start = Instant::now();
    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let engine = engine.clone();
            tokio::spawn(async move {
                let key = format!("rl-{n}");
                for (i, status) in [Status::Investigating, Status::Resolved].into_iter().enumerate() {
                    let report = engine.publish(&job(&key, i, status, combined("sandbox", &key, &format!("{key} {i}")))).await.unwrap();
                    assert!(report.all_done(), "{report:?}");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed();
    let requests = seen.lock().unwrap().len();
    let incidents = sb.incidents("sandbox");
    assert_eq!(incidents.len(), 8);
    assert!(incidents.iter().all(|i| i["incident_updates"].as_array().unwrap().len() == 2));
    assert!(elapsed >= interval * (requests as u32 - 1), "{requests} requests in {elapsed:?}");
    let queued = events.lock().unwrap().iter().filter(|e| matches!(e, PublishEvent::Request(Progress::Queued { .. }))).count();
    let limited = sb.stats().rate_limited;
    println!("{requests} requests from 8 concurrent incidents in {elapsed:?}; {queued} waited in the queue; {limited} rate-limited answers");
    assert!(queued > 0, "waits are reported");
    assert!(limited <= 2, "the queue keeps to the limit: {limited} rate-limited answers");
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}
