//! Crash safety: a writer process is killed (SIGKILL) at random moments, 50
//! times; after each kill the database is consistent and holds at least the
//! last revision the writer reported committed.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use desk_store::Store;

const RUNS: usize = 50;

/// xorshift64*: reproducible from the printed seed.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

#[tokio::test(flavor = "current_thread")]
async fn killed_writers_never_lose_a_committed_revision() {
    let seed = std::env::var("DESK_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    println!("crash test seed: {seed} (DESK_CRASH_SEED={seed} repeats it)");
    let mut rng = seed;
    let (_dir, path) = temp_db();
    let db = path_str(&path).to_string();
    let mut last_reported: Option<i64> = None;
    let mut committed_in_total = 0;
    let started = Instant::now();
    for run in 1..=RUNS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_desk-store-writer"))
            .args(["autosave", &db])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the writer starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Somewhere from its start-up (opening, migrating) to well into its saves.
        let delay = Duration::from_millis(5 + next(&mut rng) % 150);
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        let status = child.wait().unwrap();
        assert!(!status.success(), "run {run}: the writer was killed, it did not exit");
        reader.join().unwrap();
        let mut reported_this_run = 0;
        for line in rx.try_iter() {
            let n: i64 = line.strip_prefix("committed ").and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("run {run}: unexpected output {line:?}"));
            assert!(last_reported.is_none_or(|l| n > l), "run {run}: numbers go up");
            last_reported = Some(n);
            reported_this_run += 1;
        }
        committed_in_total += reported_this_run;

        let store = Store::open(&db).await.unwrap_or_else(|e| panic!("run {run}: reopening failed: {e}"));
        assert_eq!(store.integrity_check().await.unwrap(), "ok", "run {run}");
        // (The writer's first run creates the incident, then its draft: a kill
        // between the two leaves an incident without updates, and the next
        // run makes another. The draft is the first update.)
        let row: Option<(i64, i64, i64)> = sqlx::query_as("SELECT id, version, incident_id FROM updates ORDER BY id LIMIT 1")
            .fetch_optional(store.pool())
            .await
            .unwrap();
        match (row, last_reported) {
            (None, None) => {}
            (None, Some(l)) => panic!("run {run}: revision {l} was reported committed but the draft is gone"),
            (Some((update_id, version, incident_id)), reported) => {
                let reported = reported.unwrap_or(0);
                // A revision may be committed but killed before it was reported: at most one.
                assert!(version == reported || version == reported + 1, "run {run}: stored {version}, last reported {reported}");
                let text = store.revision(update_id, version).await.unwrap();
                assert!(text.ja.symptoms.starts_with(&format!("revision {version}\n")), "run {run}: the current revision's text is its own");
                assert_eq!(text.en.symptoms, format!("revision {version}"));
                let load = store.load_incident(incident_id).await.unwrap();
                assert_eq!(load.updates[0].version, version);
                if version > reported {
                    last_reported = Some(version);
                }
            }
        }
        store.close().await;
    }
    println!(
        "{RUNS} kills in {:.1?}: {committed_in_total} revisions reported committed, last {:?}; every reopen consistent",
        started.elapsed(),
        last_reported
    );
    assert!(committed_in_total > RUNS, "the writer got to write: {committed_in_total}");
}
