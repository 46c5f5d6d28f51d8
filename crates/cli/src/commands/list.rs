//! `desk list`: incidents, newest first.

use std::process::ExitCode;

use desk_store::incidents::ListQuery;

use super::store::{print_incidents, with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Only incidents whose current status is this (investigating, resolved, ...).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let status = super::store::status_flag(args.status.as_deref())?;
    let query = ListQuery { status, limit: args.limit, offset: 0 };
    let incidents = with_store(global, |store| async move { Ok(store.list(&query).await?) })?;
    print_incidents(&incidents, args.format);
    Ok(ExitCode::SUCCESS)
}
