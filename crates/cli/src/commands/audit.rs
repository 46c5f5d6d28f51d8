//! `desk audit verify`: checks the audit log's hash chain.

use std::process::ExitCode;

use super::store::{with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Recompute the chain; exit 1 and name the first broken link when it does not hold.
    Verify {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let Action::Verify { format } = args.action;
    let report = with_store(global, |store| async move { Ok(store.verify_audit().await?) })?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report).unwrap()),
        Format::Text => match &report.broken {
            None => println!(
                "audit log intact: {} entries chained ({} older entries before the chain), head {}",
                report.chained,
                report.unchained,
                report.head.as_deref().unwrap_or("-")
            ),
            Some(b) => println!("audit log BROKEN at entry {}: {} ({} entries before it hold)", b.entry_id, b.problem, report.chained),
        },
    }
    Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
