//! A team publishing: two `desk` processes, as two teammates on their own
//! machines (each its own data folder and its own copy of the incident
//! documents), sharing one PostgreSQL database and one status page (the
//! sandbox) that drops connections and fails after committing, and answers
//! 429 at random. 104 publishes of successive updates, alternating between
//! the machines and simultaneous, with one machine's data folder (and its
//! copies of the documents) deleted halfway: every incident exactly once on
//! the page, every update exactly once, none lost.

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use desk_sandbox::{Faults, Sandbox, SandboxConfig};
use pg_cluster::PgCluster;
use serde_json::Value;

const FIXTURE: &str = include_str!("../../../tests/fixtures/incidents/login-certificate-expiry.toml");
const UPDATES: usize = 4;

/// Incident document `n`: the fixture with its own title (the same text
/// would be the same incident).
fn document(n: usize) -> String {
    FIXTURE
        .replace("ja = \"Kumo Mailにログインできない障害が発生しています\"", &format!("ja = \"Kumo Mailにログインできない障害が発生しています（{n}）\""))
        .replace("en = \"Sign-in to Kumo Mail is failing\"", &format!("en = \"Sign-in to Kumo Mail is failing ({n})\""))
}

struct Machine {
    name: &'static str,
    dir: PathBuf,
    db: String,
    base: String,
}

impl Machine {
    fn doc(&self, n: usize) -> PathBuf {
        self.dir.join("documents").join(format!("incident-{n}.toml"))
    }

    /// A fresh machine: its data folder and its own copies of the documents.
    fn set_up(&self, docs: usize) {
        std::fs::create_dir_all(self.dir.join("documents")).unwrap();
        for n in 0..docs {
            std::fs::write(self.doc(n), document(n)).unwrap();
        }
    }

    fn publish(&self, n: usize, update: usize) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_desk"));
        cmd.args(["publish", self.doc(n).to_str().unwrap(), "--update", &update.to_string(), "--api-base", &self.base])
            .env("DESK_DB", &self.db)
            .env("XDG_DATA_HOME", self.dir.join("xdg"))
            .env("HOME", self.dir.join("home"))
            .env("USER", self.name)
            .env("DESK_REQUEST_INTERVAL_MS", "40")
            .env("DESK_PUBLISH_SETTLE_MS", "150")
            .env_remove("STATUSPAGE_API_KEY");
        cmd
    }
}

#[derive(Default, Debug)]
struct Tally {
    publishes: usize,
    processes: usize,
    /// Runs that ended without a definite outcome and were run again, as a
    /// person would click again.
    again: usize,
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Runs the publish of update `update` of document `n` on each of
/// `machines` at the same moment, again on a machine whose run did not end
/// with the update on the page (at most 6 times).
fn publish_at_once(machines: &[&Machine], n: usize, update: usize, tally: &mut Tally) {
    let mut pending: Vec<&Machine> = machines.to_vec();
    for attempt in 0..6 {
        // Every machine's process starts before any is waited for: they run at the same time.
        let children: Vec<_> = pending
            .iter()
            .map(|m| (m, m.publish(n, update).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("desk starts")))
            .collect();
        tally.processes += children.len();
        let mut again = Vec::new();
        for (m, child) in children {
            let out = child.wait_with_output().expect("desk runs");
            let text = said(&out);
            if !out.status.success() {
                eprintln!("{} doc {n} update {update} (attempt {}): {text}", m.name, attempt + 1);
                assert!(!text.contains("is not Statuspage") && !text.contains("blocked"), "{text}");
                again.push(*m);
            }
        }
        if again.is_empty() {
            return;
        }
        tally.again += again.len();
        pending = again;
    }
    panic!("document {n} update {update} was never confirmed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_machines_one_database_one_page_every_update_exactly_once() {
    let Some(pg) = PgCluster::start() else { return };
    // The owner creates the schema; the teammates are `author` and `approver`.
    let owner = desk_store::Store::open(&pg.url("postgres")).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut pages = desk_sandbox::PageSeed::defaults();
    for page in &mut pages {
        page.components.push("Kumo Mail".into());
    }
    let sandbox = Sandbox::start(SandboxConfig {
        pages,
        rate_limit_interval: Duration::from_millis(35),
        data_dir: Some(tmp.path().join("status-page")),
        ..Default::default()
    })
    .await
    .unwrap();
    sandbox.set_faults(Faults {
        seed: 13,
        rate_limited: 0.08,
        drop_after_commit: 0.08,
        error_after_commit: 0.08,
        retry_after: Duration::from_millis(200),
        ..Faults::none()
    });
    let a = Machine { name: "author", dir: tmp.path().join("machine-a"), db: pg.url("author"), base: sandbox.api_base() };
    let b = Machine { name: "approver", dir: tmp.path().join("machine-b"), db: pg.url("approver"), base: sandbox.api_base() };
    const DOCS: usize = 26;
    const ALTERNATING: usize = 13;
    a.set_up(DOCS);
    b.set_up(DOCS);
    let started = Instant::now();
    let mut tally = Tally::default();
    let on = |doc: usize, update: usize| if (doc + update).is_multiple_of(2) { &a } else { &b };

    // Alternating: successive updates of each document from alternate machines.
    tokio::task::block_in_place(|| {
        for update in 1..=2 {
            for doc in 0..ALTERNATING {
                publish_at_once(&[on(doc, update)], doc, update, &mut tally);
                tally.publishes += 1;
            }
        }
        // Halfway: machine A loses its data folder and its copies of the
        // documents (a reinstall); it gets the documents again as they were.
        std::fs::remove_dir_all(&a.dir).unwrap();
        a.set_up(DOCS);
        for update in 3..=UPDATES {
            for doc in 0..ALTERNATING {
                publish_at_once(&[on(doc, update)], doc, update, &mut tally);
                tally.publishes += 1;
            }
        }
        // Simultaneous: both machines publish the same update at once.
        for doc in ALTERNATING..DOCS {
            for update in 1..=UPDATES {
                publish_at_once(&[&a, &b], doc, update, &mut tally);
                tally.publishes += 1;
            }
        }
    });
    let elapsed = started.elapsed();

    // What the page has: one incident per document, each update once.
    let incidents = sandbox.incidents("sandbox");
    let mut by_ref: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for i in &incidents {
        let reference = i["metadata"]["incident_desk"]["incident_ref"].as_str().unwrap_or("(none)").to_string();
        by_ref.entry(reference).or_default().push(i);
    }
    let duplicates: usize = by_ref.values().map(|v| v.len() - 1).sum();
    let mut duplicate_updates = 0;
    let mut lost_updates = 0;
    for i in &incidents {
        let statuses: Vec<&str> = i["incident_updates"].as_array().unwrap().iter().map(|u| u["status"].as_str().unwrap()).collect();
        let mut distinct = statuses.clone();
        distinct.sort();
        distinct.dedup();
        duplicate_updates += statuses.len() - distinct.len();
        lost_updates += UPDATES.saturating_sub(distinct.len());
    }
    let stats = sandbox.stats();
    let records = {
        let mut confirmed = 0;
        for n in 0..DOCS {
            let key = desk_app::publish::document_key(&b.doc(n), false).unwrap();
            confirmed += owner.publish_records(&key).await.unwrap().iter().filter(|r| r.state == "confirmed").count();
        }
        confirmed
    };
    let summary = format!(
        "team publishing: 2 desk processes (separate data folders and document copies), 1 PostgreSQL, 1 sandbox page\n\
         faults: 8% dropped after commit, 8% 500 after commit, 8% 429 (seed 13); machine A's folder deleted after half the alternating publishes\n\
         publishes: {} ({} alternating, {} simultaneous pairs); desk processes run: {}; runs ended unconfirmed and run again: {}\n\
         sandbox: {} requests, {} committed, {} dropped after commit, {} errors after commit, {} injected 429, {} paced 429\n\
         page: {} incidents for {DOCS} documents; duplicate incidents {duplicates}; duplicate updates {duplicate_updates}; lost updates {lost_updates}\n\
         database: {records} confirmed publish records (expected {})\n\
         took {:.1} s\n",
        tally.publishes,
        ALTERNATING * UPDATES,
        (DOCS - ALTERNATING) * UPDATES,
        tally.processes,
        tally.again,
        stats.requests,
        stats.commits,
        stats.dropped_after_commit,
        stats.errors_after_commit,
        stats.injected_rate_limits,
        stats.rate_limited - stats.injected_rate_limits.min(stats.rate_limited),
        incidents.len(),
        DOCS * UPDATES,
        elapsed.as_secs_f64(),
    );
    eprintln!("{summary}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/team-publish.txt");
    let _ = std::fs::write(out, &summary);
    assert!(tally.publishes >= 100, "{summary}");
    assert!(stats.dropped_after_commit + stats.errors_after_commit > 0 && stats.injected_rate_limits > 0, "faults were injected: {summary}");
    assert_eq!(by_ref.len(), DOCS, "{summary}");
    assert_eq!((duplicates, duplicate_updates, lost_updates), (0, 0, 0), "{summary}");
    assert_eq!(records, DOCS * UPDATES, "{summary}");
    sandbox.shutdown().await;
    owner.close().await;
}
