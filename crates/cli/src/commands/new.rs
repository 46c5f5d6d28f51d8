//! `desk new`: replaced by the template-based version in the next commit.

use std::process::ExitCode;

use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_global: &super::Global, _args: Args) -> Result<ExitCode, Failure> {
    print!("{}", desk_model::IncidentDocument::write(&desk_model::Incident::new(desk_model::Kind::Incident)));
    Ok(ExitCode::SUCCESS)
}
