//! `desk search QUERY`: incidents whose titles or updates contain every word.

use std::process::ExitCode;

use super::store::{print_incidents, with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Words to find, Japanese or English; every one must occur.
    pub query: String,
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let Args { query, limit, format } = args;
    let incidents = with_store(global, |store| async move { Ok(store.search(&query, limit).await?) })?;
    print_incidents(&incidents, format);
    Ok(ExitCode::SUCCESS)
}
