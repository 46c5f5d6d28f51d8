//! `desk export ID`: an incident as an incident document.

use std::path::PathBuf;
use std::process::ExitCode;

use desk_model::IncidentDocument;

use super::store::with_store;
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The incident's id (as `desk list` shows it).
    pub id: i64,
    /// Write the document to this file instead of printing it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let id = args.id;
    let incident = with_store(global, |store| async move { Ok(store.export(id).await?) })?;
    let doc = IncidentDocument::write(&incident);
    match args.out {
        None => print!("{doc}"),
        Some(path) => {
            // Written beside, then renamed: an existing file is never left half-written.
            let tmp = path.with_extension("toml.partial");
            std::fs::write(&tmp, &doc)
                .and_then(|_| std::fs::rename(&tmp, &path))
                .map_err(|e| Failure::usage(format!("{}: cannot write: {e}", path.display())))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
