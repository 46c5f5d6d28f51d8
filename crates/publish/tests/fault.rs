//! The fault test: 200 randomized publishes against the sandbox in fault
//! mode (connection dropped after commit, 500 after commit, 420/429 with
//! Retry-After, answers slower than the client's timeout). Zero duplicates,
//! zero lost, every outcome reported.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use desk_model::Status;
use desk_publish::{JsonlLog, PageResult, PublishJob, PublishLog};
use desk_sandbox::Faults;

const PUBLISHES: usize = 200;

/// A small deterministic generator (the test must be reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Incidents, each a sequence of updates, 200 jobs in all.
fn scenario(seed: u64) -> Vec<Vec<PublishJob>> {
    let mut rng = Rng(seed);
    let mut incidents = Vec::new();
    let mut total = 0;
    let mut n = 0;
    while total < PUBLISHES {
        n += 1;
        let key = format!("fault-{n}");
        let two_pages = rng.below(3) == 0;
        let len = (1 + rng.below(4) as usize).min(PUBLISHES - total);
        let statuses = [Status::Investigating, Status::Identified, Status::Monitoring, Status::Resolved];
        // Some resolved incidents end with a postmortem (published to the
        // incident's postmortem, not as an update).
        let postmortem = len >= 3 && rng.below(2) == 0;
        let jobs: Vec<PublishJob> = (0..len)
            .map(|i| {
                let status = match i + 1 == len {
                    true if postmortem => Status::Postmortem,
                    true if len > 1 => Status::Resolved,
                    _ if postmortem && i + 2 == len => Status::Resolved,
                    _ => statuses[i.min(2)],
                };
                let title = format!("障害 {n} / Incident {n}");
                let body = format!("更新 {i} の本文 {} / update {i} body", rng.below(1_000_000));
                let pages = if two_pages { split(&title, &body) } else { combined("sandbox", &title, &body) };
                job(&key, i, status, pages)
            })
            .collect();
        total += jobs.len();
        incidents.push(jobs);
    }
    incidents
}

#[derive(Default, Debug)]
struct Tally {
    published: usize,
    recovered: usize,
    already: usize,
    failed: usize,
    unconfirmed: usize,
}

impl Tally {
    fn add(&mut self, r: &PageResult) {
        match r {
            PageResult::Published { recovered: false, .. } => self.published += 1,
            PageResult::Published { recovered: true, .. } => self.recovered += 1,
            PageResult::AlreadyPublished { .. } => self.already += 1,
            PageResult::Failed { .. } => self.failed += 1,
            PageResult::Unconfirmed { .. } => self.unconfirmed += 1,
        }
    }
    fn total(&self) -> usize {
        self.published + self.recovered + self.already + self.failed + self.unconfirmed
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_publishes_under_faults_are_exactly_once() {
    let dir = std::env::temp_dir().join(format!("desk-fault-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let sb = sandbox(Some(dir.join("sandbox"))).await;
    let slow = Duration::from_millis(400);
    sb.set_faults(Faults {
        seed: 7,
        rate_limited: 0.08,
        drop_after_commit: 0.08,
        error_after_commit: 0.08,
        slow: 0.05,
        slow_delay: slow,
        retry_after: Duration::from_millis(20),
    });
    let log: Arc<dyn PublishLog> = Arc::new(JsonlLog::open(&dir.join("publish-log.jsonl")).unwrap());
    let config = desk_statuspage::ClientConfig { timeout: Duration::from_millis(150), ..client_config(sb.api_base()) };
    // The settle pause covers a request the sandbox is still reading when
    // the client gives up (a loaded machine); its commits are instant.
    let options = desk_publish::EngineOptions { settle: Duration::from_millis(50), ..fast_options() };
    let (engine, seen) = engine(config, log.clone(), options);
    let engine = Arc::new(engine);
    let incidents = scenario(42);
    let jobs: usize = incidents.iter().map(Vec::len).sum();
    let page_publishes: usize = incidents.iter().flatten().map(|j| j.pages.len()).sum();
    assert_eq!(jobs, PUBLISHES);

    // First pass: incidents in parallel (4 at a time), updates in order.
    let start = Instant::now();
    let tally = Arc::new(Mutex::new(Tally::default()));
    let reported = Arc::new(Mutex::new(0usize));
    // Every page publish must be reported at least once, by the first pass or a re-run.
    let reported_ids = Arc::new(Mutex::new(std::collections::BTreeSet::<String>::new()));
    let crashed = Arc::new(Mutex::new(0usize));
    // One publish in ten is interrupted after 0-20 ms, as by a crash.
    let mut rng = Rng(99);
    let with_crashes: Vec<Vec<(PublishJob, Option<u64>)>> = incidents
        .iter()
        .map(|jobs| jobs.iter().map(|j| (j.clone(), (rng.below(10) == 0).then(|| rng.below(20)))).collect())
        .collect();
    let queue = Arc::new(Mutex::new(with_crashes));
    let mut workers = Vec::new();
    for _ in 0..4 {
        let (engine, tally, queue, reported) = (engine.clone(), tally.clone(), queue.clone(), reported.clone());
        let (crashed, reported_ids) = (crashed.clone(), reported_ids.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some(jobs) = queue.lock().unwrap().pop() else { break };
                for (job, crash_after) in jobs {
                    let publish = engine.publish(&job);
                    let report = match crash_after {
                        // The process dies mid-publish: the future is dropped
                        // wherever it is (intent logged, request maybe sent).
                        Some(ms) => match tokio::time::timeout(Duration::from_millis(ms), publish).await {
                            Ok(r) => r.expect("the log works"),
                            Err(_) => {
                                *crashed.lock().unwrap() += 1;
                                break;
                            }
                        },
                        None => publish.await.expect("the log works"),
                    };
                    assert_eq!(report.pages.len(), job.pages.len(), "an outcome for every page");
                    for page in &report.pages {
                        assert!(!page.to_string().is_empty());
                        tally.lock().unwrap().add(&page.result);
                        *reported.lock().unwrap() += 1;
                        reported_ids.lock().unwrap().insert(page.publish_id.clone());
                    }
                    if !report.all_done() {
                        break; // later updates wait for the re-run, as a person would
                    }
                }
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let first = std::mem::take(&mut *tally.lock().unwrap());

    // Re-runs: whatever did not finish is published again (bounded).
    let mut reruns = Tally::default();
    let mut passes = 0;
    for pass in 1..=6 {
        let mut pending = false;
        for jobs in &incidents {
            for job in jobs {
                let report = engine.publish(job).await.unwrap();
                for p in &report.pages {
                    // A publish cut off after it finished, but before it
                    // reported, is reported here for the first time.
                    let first_report = reported_ids.lock().unwrap().insert(p.publish_id.clone());
                    if first_report || !matches!(p.result, PageResult::AlreadyPublished { .. }) {
                        reruns.add(&p.result);
                    }
                }
                if !report.all_done() {
                    pending = true;
                    break;
                }
            }
        }
        passes = pass;
        if !pending {
            break;
        }
    }
    let elapsed = start.elapsed();

    // Verify: exactly one incident per (incident, page), each update exactly once, in order.
    let mut expected: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    let mut postmortems: BTreeMap<(String, String), String> = BTreeMap::new();
    for job in incidents.iter().flatten() {
        for p in &job.pages {
            if job.status == Status::Postmortem {
                postmortems.insert((job.incident_key.clone(), p.page_id.clone()), p.body.clone());
                continue;
            }
            expected
                .entry((job.incident_key.clone(), p.page_id.clone()))
                .or_default()
                .push((job.status.statuspage_status().to_string(), p.body.clone()));
        }
    }
    let mut duplicates = 0;
    let mut lost = 0;
    let mut published_postmortems = 0;
    let mut found_incidents: BTreeMap<(String, String), usize> = BTreeMap::new();
    for page in ["sandbox", "sandbox-ja", "sandbox-en"] {
        for inc in sb.incidents(page) {
            let first_update = inc["incident_updates"].as_array().unwrap().last().unwrap()["body"].as_str().unwrap().to_string();
            let key = expected
                .iter()
                .find(|((_, p), ups)| p == page && ups[0].1 == first_update)
                .map(|(k, _)| k.clone())
                .expect("every incident on the page is one we published");
            *found_incidents.entry(key.clone()).or_default() += 1;
            let mut got: Vec<(String, String)> = inc["incident_updates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| (u["status"].as_str().unwrap().to_string(), u["body"].as_str().unwrap().to_string()))
                .collect();
            got.reverse();
            let want = &expected[&key];
            match postmortems.get(&key) {
                Some(body) => {
                    assert_eq!(inc["postmortem_body"].as_str(), Some(body.as_str()), "{key:?}: postmortem");
                    published_postmortems += 1;
                }
                None => assert!(inc["postmortem_body"].is_null(), "{key:?}: no postmortem"),
            }
            duplicates += got.len().saturating_sub(want.len());
            lost += want.len().saturating_sub(got.len());
            if got.len() == want.len() {
                assert_eq!(&got, want, "{key:?}: updates in order");
            }
        }
    }
    for (key, n) in &found_incidents {
        duplicates += n - 1;
        let _ = key;
    }
    lost += expected.keys().filter(|k| !found_incidents.contains_key(*k)).map(|k| expected[k].len()).sum::<usize>();

    // Twin links on the two-page incidents.
    let twin_of = |page: &str| -> Vec<(String, Option<String>)> {
        sb.incidents(page)
            .iter()
            .map(|i| (i["id"].as_str().unwrap().to_string(), i["metadata"]["incident_desk"]["twin_incident_id"].as_str().map(str::to_string)))
            .collect()
    };
    let (ja, en) = (twin_of("sandbox-ja"), twin_of("sandbox-en"));
    let en_linked = en.iter().filter(|(_, t)| t.as_ref().is_some_and(|t| ja.iter().any(|(id, _)| id == t))).count();
    let ja_linked = ja.iter().filter(|(_, t)| t.as_ref().is_some_and(|t| en.iter().any(|(id, _)| id == t))).count();

    // A last re-run of everything sends nothing new.
    let before = seen.lock().unwrap().len();
    let mut already = 0;
    for job in incidents.iter().flatten() {
        let report = engine.publish(job).await.unwrap();
        already += report.pages.iter().filter(|p| matches!(p.result, PageResult::AlreadyPublished { .. })).count();
    }
    let sent_on_rerun = seen.lock().unwrap().len() - before;

    let stats = sb.stats();
    let summary = format!(
        "fault test: {jobs} publishes ({page_publishes} page publishes over {} incidents), {:.1}s\n\
         faults injected: {} dropped after commit, {} 500 after commit, {} 420/429, {} slow (> client timeout); {} requests\n\
         first pass outcomes ({} reported): {} published, {} published after a lost answer (found by publish id), {} failed, {} unconfirmed; {} publishes interrupted as by a crash\n\
         re-runs ({passes} passes): {} published, {} recovered, {} found done after a crash cut off their report, {} failed, {} unconfirmed\n\
         final re-run: {already} already published, {sent_on_rerun} requests sent\n\
         postmortems: {published_postmortems} of {} published; two-page twins: {en_linked} of {} English incidents link to their Japanese twin, {ja_linked} of {} Japanese link back\n\
         duplicates: {duplicates}, lost: {lost}\n",
        incidents.len(),
        elapsed.as_secs_f64(),
        stats.dropped_after_commit,
        stats.errors_after_commit,
        stats.injected_rate_limits,
        stats.slow_answers,
        stats.requests,
        first.total(),
        first.published,
        first.recovered,
        first.failed,
        first.unconfirmed,
        crashed.lock().unwrap(),
        reruns.published,
        reruns.recovered,
        reruns.already,
        reruns.failed,
        reruns.unconfirmed,
        postmortems.len(),
        en.len(),
        ja.len(),
    );
    println!("{summary}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results");
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(out.join("fault.txt"), &summary);

    assert_eq!(*reported.lock().unwrap(), first.total());
    assert_eq!(duplicates, 0, "{summary}");
    assert_eq!(lost, 0, "{summary}");
    assert_eq!(already, page_publishes);
    assert_eq!(sent_on_rerun, 0);
    assert!(*crashed.lock().unwrap() > 0);
    assert_eq!(reported_ids.lock().unwrap().len(), page_publishes, "an outcome reported for every page publish");
    assert_eq!(published_postmortems, postmortems.len());
    assert_eq!(en_linked, en.len(), "the English incident is created with its twin's id");
    assert!(!postmortems.is_empty());
    assert!(stats.dropped_after_commit > 0 && stats.errors_after_commit > 0 && stats.injected_rate_limits > 0 && stats.slow_answers > 0);
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The control: the same faults with blind retries (what the engine never
/// does) leave duplicates, so the test above has teeth.
#[tokio::test]
async fn blind_retries_under_the_same_faults_would_duplicate() {
    let sb = sandbox(None).await;
    sb.set_faults(Faults {
        seed: 11,
        drop_after_commit: 0.15,
        error_after_commit: 0.15,
        ..Faults::none()
    });
    let client = desk_statuspage::Client::new(client_config(sb.api_base()), desk_statuspage::ApiKey::new(KEY).unwrap()).unwrap();
    for n in 0..40 {
        let fields = desk_statuspage::IncidentFields { name: Some(format!("blind {n}")), ..Default::default() };
        for _ in 0..10 {
            if client.create_incident("sandbox", &fields).await.is_ok() {
                break;
            }
        }
    }
    let created = sb.incidents("sandbox").len();
    println!("blind retries: 40 creates made {created} incidents");
    assert!(created > 40);
    sb.shutdown().await;
}
