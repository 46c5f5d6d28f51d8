//! Opening the store for a subcommand: `--db`, else the app's own database.

use std::future::Future;

use desk_store::{Store, StoreError};
use serde::Serialize;

use crate::failure::Failure;

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            // A rule said no (self-approval, publish without approval): exit 1.
            StoreError::Refused(why) => Failure { message: why, code: 1 },
            e => Failure::usage(e.to_string()),
        }
    }
}

/// Which database a command works on: `--db`/`DESK_DB`, else the app's.
pub fn target(global: &super::Global) -> Result<String, Failure> {
    match &global.db {
        Some(db) => Ok(db.clone()),
        None => desk_store::default_db_path()
            .map(|p| p.display().to_string())
            .ok_or_else(|| Failure::usage("no data folder is known on this system: give the database with --db PATH")),
    }
}

/// Runs `work` on the opened store, on a single-threaded runtime, and closes
/// the store afterwards.
pub fn with_store<T, F, Fut>(global: &super::Global, work: F) -> Result<T, Failure>
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let target = target(global)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::usage(format!("cannot start: {e}")))?;
    runtime.block_on(async move {
        let store = Store::open(&target).await.map_err(|e| Failure::usage(format!("{target}: {e}")))?;
        let result = work(store.clone()).await;
        store.close().await;
        result
    })
}

/// `--status S`: a status by its name, or a usage error naming them all.
pub fn status_flag(flag: Option<&str>) -> Result<Option<desk_model::Status>, Failure> {
    use desk_model::Status;
    flag.map(|s| {
        Status::parse(s).ok_or_else(|| {
            let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            Failure::usage(format!("--status {s}: not a status; one of {}", known.join(", ")))
        })
    })
    .transpose()
}

/// `--format`: for people or for programs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// The shape `desk list` and `desk search` print as JSON.
#[derive(Serialize)]
pub struct Listing<'a> {
    pub incidents: &'a [desk_store::IncidentSummary],
}

/// Prints incidents as a table or as `{"incidents":[...]}`.
pub fn print_incidents(incidents: &[desk_store::IncidentSummary], format: Format) {
    match format {
        Format::Json => {
            println!("{}", serde_json::to_string_pretty(&Listing { incidents }).expect("summaries serialise"));
        }
        Format::Text => {
            for s in incidents {
                let title = if s.title.ja.is_empty() { &s.title.en } else { &s.title.ja };
                let status = s.status.map_or("-", |st| st.as_str());
                let opened = s.opened_at.get(..10).unwrap_or(&s.opened_at);
                let plural = if s.updates == 1 { "" } else { "s" };
                println!("{:>6}  {:<13}  {}  {}  ({} update{plural})", s.id, status, opened, title, s.updates);
            }
        }
    }
}
