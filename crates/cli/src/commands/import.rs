//! `desk import FILE`: a Statuspage history JSON, a flattened history text,
//! or an incident document (`.toml`, as `desk export` writes it).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Statuspage's `/api/v2/incidents.json`, a flattened history text
    /// (`Report: "<title>"` lines, each followed by its updates, newest first),
    /// or an incident document (`.toml`).
    pub file: PathBuf,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    // The whole file is read and checked before anything is written.
    let incidents = desk_store::import::read(&args.file)?;
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &incidents {
        for u in &n.incident.updates {
            *statuses.entry(u.status.as_str()).or_default() += 1;
        }
    }
    let report = super::store::with_store(global, |store| async move { Ok(store.import(&incidents, "desk import").await?) })?;
    println!(
        "imported {} incidents ({} updates) from {}; {} already present",
        report.incidents,
        report.updates,
        args.file.display(),
        report.skipped
    );
    let by_status: Vec<String> = statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!("update statuses in the file: {}", by_status.join(", "));
    Ok(ExitCode::SUCCESS)
}
