//! `desk search QUERY`: incidents whose titles or updates contain every word,
//! with the app's filters (desk_app::search, the same use case as the app's list).

use std::process::ExitCode;

use desk_app::search::{search_in, SearchHit, SearchRequest};
use desk_model::Kind;
use serde::Serialize;

use super::store::{with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Words to find, Japanese or English; every one must occur. Empty: every incident the filters let through.
    pub query: String,
    /// Only incidents whose current status is this (investigating, resolved, ...).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only incidents or only maintenances.
    #[arg(long, value_name = "incident|maintenance")]
    pub kind: Option<String>,
    /// Opened on or after this day (YYYY-MM-DD, in the organisation's time zone).
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// Opened on or before this day (YYYY-MM-DD, in the organisation's time zone).
    #[arg(long, value_name = "DAY")]
    pub to: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Skip this many hits (the next page).
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `{"incidents":[...],"more":bool}`: each incident as the app's list shows
/// it, with where the words are (characters, 0-based, end exclusive).
#[derive(Serialize)]
struct Found<'a> {
    incidents: Vec<Row<'a>>,
    more: bool,
}

/// One incident: the list's fields, then `title_matches` and `excerpt`.
#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    incident: &'a desk_app::incidents::IncidentSummary,
    title_matches: &'a desk_model::Bilingual<Vec<desk_app::search::MatchSpan>>,
    excerpt: &'a Option<desk_app::search::Excerpt>,
}

impl<'a> From<&'a SearchHit> for Row<'a> {
    fn from(hit: &'a SearchHit) -> Row<'a> {
        Row { incident: &hit.incident, title_matches: &hit.title_matches, excerpt: &hit.excerpt }
    }
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let status = super::store::status_flag(args.status.as_deref())?;
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| Failure::usage(format!("--kind {k}: incident or maintenance")))?),
    };
    let request = SearchRequest { query: args.query, status, kind, from: args.from, to: args.to, offset: args.offset, limit: args.limit };
    let organisation = global.templates.as_ref().map(|_| global.template_set()).transpose()?;
    let results = with_store(global, |store| async move {
        let set = match organisation {
            Some(set) => set,
            None => store.template_set().await?,
        };
        Ok(search_in(&store, &set, &request).await?)
    })?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&Found { incidents: results.hits.iter().map(Row::from).collect(), more: results.more }).expect("hits serialise")),
        Format::Text => {
            for hit in &results.hits {
                let s = &hit.incident;
                let title = if s.title.ja.is_empty() { &s.title.en } else { &s.title.ja };
                let status = s.status.map_or("-", |st| st.as_str());
                let plural = if s.update_count == 1 { "" } else { "s" };
                println!("{:>6}  {:<13}  {}  {}  ({} update{plural})", s.id, status, s.period.ja, title, s.update_count);
                if let Some(e) = &hit.excerpt {
                    let (before, after) = (if e.cut_before { "…" } else { "" }, if e.cut_after { "…" } else { "" });
                    println!("        {before}{}{after}", e.text);
                }
            }
            if results.more {
                println!("(more: --offset {})", results.offset as usize + results.hits.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
