//! `desk render`: replaced by the template-based renderer in the next commit.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    pub file: PathBuf,
}

pub fn run(_global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let incident = desk_model::IncidentDocument::read(&args.file)?;
    println!("{}", incident.title.ja);
    Ok(ExitCode::SUCCESS)
}
