//! A test helper, not a tool: a process that writes drafts, for the crash and
//! concurrency tests (`tests/crash.rs`, `tests/concurrency.rs`).
//!
//! `desk-store-writer autosave DB`: saves one draft again and again, printing
//! `committed N` after revision N is committed and before the next save starts.
//!
//! `desk-store-writer contend DB UPDATE_ID EXPECTED NAME GO_FILE`: waits until
//! GO_FILE exists, then saves NAME's text on top of revision EXPECTED; prints
//! `saved N`, or `conflict CURRENT` followed by the text handed back (exit 3).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use desk_model::{Bilingual, Kind, Status, Update, UpdateText};
use desk_store::{Store, StoreError};

/// The draft's text at revision `n`: its number, then enough text to span
/// several database pages on some revisions.
pub fn text_of(n: i64) -> Update {
    let mut u = Update::new(Status::Investigating);
    let filler = "ログイン機能で障害が発生しています。".repeat(((n % 7) * 40) as usize);
    u.ja = UpdateText { symptoms: format!("revision {n}\n{filler}"), ..Default::default() };
    u.en = UpdateText { symptoms: format!("revision {n}"), ..Default::default() };
    u
}

async fn autosave(db: &str) -> Result<(), StoreError> {
    let store = Store::open(db).await?;
    let update_id: Option<i64> = sqlx::query_scalar("SELECT id FROM updates ORDER BY id LIMIT 1").fetch_optional(store.pool()).await?;
    let update_id = match update_id {
        Some(id) => id,
        None => {
            let title = Bilingual { ja: "自動保存の試験".into(), en: "Autosave trial".into() };
            let incident = store.create_incident(Kind::Incident, &title, "writer").await?;
            let first = store.new_draft(incident, &text_of(1), "writer").await?;
            println!("committed 1");
            first.update_id
        }
    };
    let mut version: i64 = sqlx::query_scalar("SELECT version FROM updates WHERE id = $1").bind(update_id).fetch_one(store.pool()).await?;
    let mut out = std::io::stdout().lock();
    loop {
        let saved = store.save_draft(update_id, version, &text_of(version + 1), "writer").await?;
        version = saved.number;
        writeln!(out, "committed {version}").and_then(|_| out.flush()).expect("stdout");
        if version % 25 == 0 {
            store.compact(update_id, desk_store::CompactionPolicy { keep_latest: 5, ..Default::default() }).await?;
        }
    }
}

async fn contend(db: &str, update_id: i64, expected: i64, name: &str, go: &Path) -> Result<ExitCode, StoreError> {
    let store = Store::open(db).await?;
    let mut mine = Update::new(Status::Identified);
    mine.ja = UpdateText { cause: format!("{name}の文章"), ..Default::default() };
    mine.en = UpdateText { cause: format!("{name}'s text"), ..Default::default() };
    while !go.exists() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let result = store.save_draft(update_id, expected, &mine, name).await;
    store.close().await;
    match result {
        Ok(saved) => {
            println!("saved {}", saved.number);
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Conflict(c)) => {
            println!("conflict {}", c.current_version);
            println!("{}", serde_json::to_string(&c.yours).expect("an update serialises"));
            Ok(ExitCode::from(3))
        }
        Err(e) => Err(e),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["autosave", db] => autosave(db).await.map(|_| ExitCode::SUCCESS),
        ["contend", db, id, expected, name, go] => {
            let (Ok(id), Ok(expected)) = (id.parse(), expected.parse()) else {
                eprintln!("UPDATE_ID and EXPECTED are numbers");
                return ExitCode::from(2);
            };
            contend(db, id, expected, name, Path::new(go)).await
        }
        _ => {
            eprintln!("usage: desk-store-writer autosave DB | contend DB UPDATE_ID EXPECTED NAME GO_FILE");
            return ExitCode::from(2);
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("desk-store-writer: {e}");
        ExitCode::FAILURE
    })
}
