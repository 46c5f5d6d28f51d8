//! `desk tm`: the translation memory, the same functions as the app's
//! composer (desk-app's `memory` module) over the database `desk` opens.

use std::path::PathBuf;
use std::process::ExitCode;

use desk_app::library::LibraryCache;
use desk_app::memory::{self, MemoryCache, MemoryDesk, MemorySuggestion};
use desk_model::Lang;
use serde::Serialize;

use super::store::{with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Tm,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum From {
    Ja,
    En,
}

#[derive(clap::Subcommand)]
pub enum Tm {
    /// Rebuild the memory from every published update and the template
    /// library's fixed phrases (imported history stays).
    Build {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The memory's best segments of the other language for TEXT, rewritten
    /// with TEXT's dates, times, numbers and names.
    Suggest {
        /// The language TEXT is written in.
        #[arg(long, value_enum)]
        from: From,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        text: String,
    },
    /// What the memory holds.
    Stats {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Add a bilingual history: two Statuspage JSON exports (one per
    /// language, incidents paired by id), or one whose bodies hold both.
    Import {
        #[arg(required = true, num_args = 1..=2, value_name = "EXPORT.json")]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Serialize)]
struct Suggestions<'a> {
    suggestions: &'a [MemorySuggestion],
}

fn print<T: Serialize>(value: &T, format: Format, text: impl FnOnce(&T) -> String) {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(value).expect("memory views serialise")),
        Format::Text => println!("{}", text(value)),
    }
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    with_store(global, |store| async move {
        let cache = MemoryCache::default();
        let library = LibraryCache::default();
        let desk = MemoryDesk { store: &store, memory: &cache, library: &library };
        match args.command {
            Tm::Build { format } => {
                let r = memory::build(desk).await?;
                print(&r, format, |r| format!("{} pairs from {} published updates, {} from the templates' fixed phrases", r.update_pairs, r.updates, r.template_pairs));
            }
            Tm::Suggest { from, format, limit, text } => {
                let from = match from {
                    From::Ja => Lang::Ja,
                    From::En => Lang::En,
                };
                let list = memory::suggest(desk, &text, from, limit).await?;
                print(&Suggestions { suggestions: &list }, format, |s| {
                    if s.suggestions.is_empty() {
                        return "nothing in the memory is close".into();
                    }
                    s.suggestions
                        .iter()
                        .map(|m| {
                            let from = match (m.source.incident, m.source.update) {
                                (0, _) => m.source.title.clone(),
                                (i, u) => format!("incident {i}, update {u}: {}", m.source.title),
                            };
                            let missing = if m.missing.is_empty() { String::new() } else { format!(" [unfilled: {}]", m.missing.iter().map(|w| w.en.as_str()).collect::<Vec<_>>().join(", ")) };
                            format!("{:.2}  {}{missing}\n      ({from})", m.score, m.text)
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            Tm::Stats { format } => {
                let s = memory::stats(desk).await?;
                print(&s, format, |s| {
                    format!(
                        "pairs: {} from published updates, {} from templates, {} imported\nsegments: {} Japanese, {} English\nindex: {} Japanese and {} English n-grams, {} postings",
                        s.from_updates, s.from_templates, s.from_imports, s.unique_ja, s.unique_en, s.features_ja, s.features_en, s.postings
                    )
                });
            }
            Tm::Import { files, format } => {
                let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
                let r = memory::import(desk, &paths).await?;
                print(&r, format, |r| {
                    format!("{} incidents ({} updates) paired, {} new pairs; {} incidents in one language only", r.incidents, r.updates, r.pairs, r.unpaired)
                });
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
