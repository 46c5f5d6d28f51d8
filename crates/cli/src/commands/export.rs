//! `desk export ID`: an incident as an incident document (`--format toml`,
//! the default), or its postmortem as a standalone bilingual HTML page or an
//! A4 PDF (`--format html|pdf`; those also take an incident document's path).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use desk_app::export::{export_document, export_stored, ExportFormat};
use desk_model::IncidentDocument;

use super::store::with_store;
use crate::failure::Failure;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The incident document (TOML), to edit or import again.
    Toml,
    /// The postmortem as one standalone page, Japanese then English.
    Html,
    /// The postmortem as an A4 PDF, the Japanese font embedded.
    Pdf,
}

#[derive(clap::Args)]
pub struct Args {
    /// The incident's id (as `desk list` shows it); for html and pdf also an incident document (TOML).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Write to this file instead of printing (a PDF is printed only into a pipe).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "toml")]
    pub format: Format,
    /// For html and pdf: which update, counting from 1. Defaults to the newest postmortem, else the newest update.
    #[arg(long, value_name = "N")]
    pub update: Option<usize>,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let stored: Option<i64> = args.id.parse().ok();
    let update = match args.update {
        Some(0) => return Err(Failure::usage("--update counts from 1 (the oldest update)")),
        other => other.map(|n| n - 1),
    };
    let bytes = match (args.format, stored) {
        (Format::Toml, Some(id)) => {
            if update.is_some() {
                return Err(Failure::usage("--update is for --format html or pdf: the document holds every update"));
            }
            let incident = with_store(global, |store| async move { Ok(store.export(id).await?) })?;
            IncidentDocument::write(&incident).into_bytes()
        }
        (Format::Toml, None) => {
            return Err(Failure::usage(format!("{}: not an incident id (as `desk list` shows it)", args.id)));
        }
        (format, Some(id)) => {
            let format = app_format(format);
            with_store(global, |store| async move { Ok(export_stored(&store, id, update, format).await?) })?
        }
        (format, None) => {
            let path = Path::new(&args.id);
            let incident = IncidentDocument::read(path)?;
            export_document(&global.template_set()?, &incident, update, app_format(format)).map_err(|e| {
                let failure = Failure::from(e);
                Failure { message: format!("{}: {}", path.display(), failure.message), ..failure }
            })?
        }
    };
    match args.out {
        None if args.format == Format::Pdf && std::io::stdout().is_terminal() => {
            Err(Failure::usage("a PDF is not printed to the terminal: give the file with -o FILE (or pipe it)"))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes).and_then(|_| stdout.flush()).map_err(|e| Failure::usage(format!("cannot write: {e}")))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(path) => {
            // Written beside, then renamed: an existing file is never left half-written.
            let mut partial = path.clone().into_os_string();
            partial.push(".partial");
            let tmp = PathBuf::from(partial);
            std::fs::write(&tmp, &bytes)
                .and_then(|_| std::fs::rename(&tmp, &path))
                .map_err(|e| Failure::usage(format!("{}: cannot write: {e}", path.display())))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// html or pdf (toml is written by `run` itself).
fn app_format(format: Format) -> ExportFormat {
    if format == Format::Html {
        ExportFormat::Html
    } else {
        ExportFormat::Pdf
    }
}
