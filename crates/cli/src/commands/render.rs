//! `desk render`: an update exactly as Statuspage will receive it.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use desk_model::{IncidentDocument, Lang};
use desk_render::{combine, markdown_to_safe_html, markdown_to_text, render_update, Announcement};

use crate::failure::Failure;

#[derive(Clone, Copy, ValueEnum)]
pub enum LangChoice {
    Ja,
    En,
    /// Both languages combined, as on a single bilingual page.
    Both,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// The Markdown Statuspage receives.
    Markdown,
    /// Sanitized HTML, as the preview shows it.
    Html,
    /// Plain text, as email and SMS readers see it.
    Text,
}

#[derive(clap::Args)]
pub struct Args {
    /// An incident document (TOML).
    pub file: PathBuf,
    /// Which update, counting from 1 (oldest). Defaults to the newest.
    #[arg(long, value_name = "N")]
    pub update: Option<usize>,
    #[arg(long, value_enum, default_value = "both")]
    pub lang: LangChoice,
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let set = global.template_set()?;
    let incident = IncidentDocument::read(&args.file)?;
    let count = incident.updates.len();
    let index = match args.update {
        Some(0) => return Err(Failure::usage("--update counts from 1 (the oldest update)")),
        Some(n) => n - 1,
        None if count == 0 => {
            return Err(Failure::usage(format!("{}: the incident has no updates to render", args.file.display())))
        }
        None => count - 1,
    };
    let render = |lang| {
        render_update(&set, &incident, index, lang).map_err(|e| Failure::usage(format!("{}: {e}", args.file.display())))
    };
    let announcement = match args.lang {
        LangChoice::Ja => render(Lang::Ja)?,
        LangChoice::En => render(Lang::En)?,
        LangChoice::Both => combine(&render(Lang::Ja)?, &render(Lang::En)?, &set.settings.layout),
    };
    print!("{}", present(&announcement, args.format));
    Ok(ExitCode::SUCCESS)
}

/// The title on the first line, a blank line, then the body in the format asked for.
fn present(a: &Announcement, format: Format) -> String {
    match format {
        Format::Markdown => format!("{}\n\n{}\n", a.title, a.body),
        Format::Text => format!("{}\n\n{}\n", a.title, markdown_to_text(&a.body)),
        Format::Html => format!("<h1>{}</h1>\n{}", escape(&a.title), markdown_to_safe_html(&a.body)),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
