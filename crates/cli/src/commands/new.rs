//! `desk new`: a new incident document, filled from the templates.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use desk_model::{IncidentDocument, Kind, Status};

use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = "incident", value_parser = parse_kind)]
    pub kind: Kind,
    /// The status of the first update. Defaults to the first of the kind's
    /// lifecycle (investigating, or scheduled for a maintenance).
    #[arg(long, value_parser = parse_status)]
    pub status: Option<Status>,
    /// The time to start from (RFC 3339), instead of now: for reproducible output.
    #[arg(long, hide = true, value_parser = parse_time)]
    pub now: Option<DateTime<Utc>>,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let set = global.template_set()?;
    let incident = desk_app::compose::new_document(&set, args.kind, args.status, args.now.unwrap_or_else(Utc::now)).map_err(|e| {
        let usage = format!("; use one of: {}", names(args.kind.statuses()));
        Failure { message: format!("--status: {}{usage}", Failure::from(e).message), code: 2 }
    })?;
    print!("{}", IncidentDocument::write_in(&incident, set.settings.dates.time_zone));
    Ok(ExitCode::SUCCESS)
}

fn names(statuses: &[Status]) -> String {
    statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("`{s}` is not a kind; use incident or maintenance"))
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| format!("`{s}` is not a status; use one of: {}", names(&Status::ALL)))
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    desk_model::period::timestamp::parse(s)
}
