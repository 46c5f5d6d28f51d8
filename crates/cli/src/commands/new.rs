//! `desk new`: a new incident document, filled from the templates.

use std::process::ExitCode;

use chrono::{DateTime, Duration, DurationRound, Utc};
use desk_model::{Incident, IncidentDocument, Kind, Lang, Period, SectionKind, Status, Update};

use crate::failure::Failure;

/// Marks a field the author still has to write; the linter reports it.
const TO_FILL: [(Lang, &str); 2] = [(Lang::Ja, "【要記入】"), (Lang::En, "[TBD]")];

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
    let status = args.status.unwrap_or(args.kind.statuses()[0]);
    if status.kind() != args.kind {
        return Err(Failure::usage(format!(
            "--status {status} is not a status of a {}; use one of: {}",
            args.kind.as_str(),
            names(args.kind.statuses())
        )));
    }
    let now = args.now.unwrap_or_else(Utc::now).duration_trunc(Duration::minutes(1)).unwrap_or_else(|_| Utc::now());
    let mut incident = Incident::new(args.kind);
    incident.title.ja = TO_FILL[0].1.into();
    incident.title.en = TO_FILL[1].1.into();
    incident.period = Some(Period { start: now, end: None, approximate: true });
    let mut update = Update::new(status);
    update.created_at = Some(now);
    if status.is_ongoing() {
        update.next_update_at = Some(now + Duration::hours(1));
    }
    // Every section the template for this status shows gets a marker to fill.
    for (lang, marker) in TO_FILL {
        let used = set.get(status, lang).body.fields_used();
        let text = update.text_mut(lang);
        for kind in SectionKind::ALL {
            if used.contains(kind.as_str()) {
                if let Some(section) = text.section_mut(kind) {
                    *section = marker.to_string();
                }
            }
        }
    }
    incident.updates.push(update);
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
