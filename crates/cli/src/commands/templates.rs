//! `desk templates`: the organisation's template library in the database —
//! list, show, history, rollback, export to and import from a folder, check a
//! folder, and import a Statuspage page's incident templates.

use std::path::PathBuf;
use std::process::ExitCode;

use desk_model::{Lang, Status};
use desk_statuspage::{Client, ClientConfig};
use desk_app::library::FolderImport;
use desk_templates::library::check_dir;
use desk_templates::template_path;

use super::publish::real_api_key;
use desk_app::publishing::KeyDestination;
use super::store::with_store;
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// Who is saving (recorded with every version). Default: $USER.
    #[arg(long, global = true, env = "DESK_AUTHOR", value_name = "NAME")]
    pub author: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Every file of the library with its active version.
    List,
    /// Print the active template of a status (both languages unless --lang),
    /// or `settings`.
    Show {
        #[arg(value_name = "STATUS|settings")]
        status: String,
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write the whole library to a folder (the layout --templates reads).
    Export { dir: PathBuf },
    /// Read a folder back: every file is checked first; nothing is saved when
    /// any has a problem. Unchanged files make no new version.
    Import { dir: PathBuf },
    /// Every saved version of a template, newest first.
    History {
        #[arg(value_name = "STATUS|settings")]
        status: String,
        #[arg(long)]
        lang: Option<String>,
    },
    /// Make an old version active again (as a new version). Version 0 is the built-in text.
    Rollback {
        #[arg(value_name = "STATUS|settings")]
        status: String,
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        version: i64,
    },
    /// Check a template folder: print every problem as FILE:LINE:COLUMN; exit 1 if any.
    Check { dir: PathBuf },
    /// Import a Statuspage page's incident templates as a starting point.
    /// The key is read like `desk publish` reads it (STATUSPAGE_API_KEY, else the keychain).
    ImportStatuspage {
        #[arg(long, value_name = "ID")]
        page_id: String,
        /// API base URL (default: Statuspage).
        #[arg(long, value_name = "URL")]
        api_base: Option<String>,
        /// Send the real API key to this host, which is not Statuspage.
        #[arg(long, value_name = "HOST")]
        send_key_to: Option<String>,
    },
}

fn parse_lang(lang: &str) -> Result<Lang, Failure> {
    Lang::parse(lang).ok_or_else(|| Failure::usage(format!("--lang {lang}: ja or en")))
}

/// The library paths a STATUS [--lang] names.
fn paths(status: &str, lang: Option<&str>, lang_required: bool) -> Result<Vec<String>, Failure> {
    if status == "settings" {
        return Ok(vec!["settings.toml".into()]);
    }
    let status = Status::parse(status).ok_or_else(|| {
        let known: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        Failure::usage(format!("{status}: not a status; one of {} (or settings)", known.join(", ")))
    })?;
    match lang {
        Some(l) => Ok(vec![template_path(status, parse_lang(l)?)]),
        None if lang_required => Err(Failure::usage("--lang ja|en is required")),
        None => Ok(Lang::ALL.iter().map(|l| template_path(status, *l)).collect()),
    }
}

fn single(status: &str, lang: Option<&str>) -> Result<String, Failure> {
    Ok(paths(status, lang, true)?.remove(0))
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let author = args.author.clone().or_else(desk_store::os_user).unwrap_or_else(|| "desk".into());
    match args.command {
        Command::Check { dir } => {
            let problems = check_dir(&dir).map_err(Failure::usage)?;
            for p in &problems {
                println!("{}", p.to_string().replacen(&p.file, &dir.join(&p.file).display().to_string(), 1));
            }
            if problems.is_empty() {
                println!("{}: no problems", dir.display());
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("desk: {} problem{} in {}", problems.len(), if problems.len() == 1 { "" } else { "s" }, dir.display());
                Ok(ExitCode::from(1))
            }
        }
        Command::List => with_store(global, |store| async move {
            for t in store.active_templates().await? {
                let saved = match t.saved_at {
                    Some(at) => format!("v{:<3} {}  {}", t.version, at.format("%Y-%m-%d %H:%M"), t.author),
                    None => "built-in".to_string(),
                };
                println!("{:<32} {saved}", t.path);
            }
            Ok(ExitCode::SUCCESS)
        }),
        Command::Show { status, lang } => {
            let paths = paths(&status, lang.as_deref(), false)?;
            with_store(global, |store| async move {
                let many = paths.len() > 1;
                for path in paths {
                    let t = store.active_template(&path).await?;
                    if many {
                        println!("==> {path} (version {}) <==", t.version);
                    }
                    print!("{}", t.source);
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::History { status, lang } => {
            let path = single(&status, lang.as_deref())?;
            with_store(global, |store| async move {
                let history = store.template_history(&path).await?;
                if history.is_empty() {
                    println!("{path}: never saved; the built-in text is active (version 0)");
                }
                for v in history {
                    let note = if v.note.is_empty() { String::new() } else { format!("  {}", v.note) };
                    println!("v{:<3} {}  {}{note}", v.version, v.saved_at.format("%Y-%m-%d %H:%M:%S"), v.author);
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Rollback { status, lang, version } => {
            let path = single(&status, lang.as_deref())?;
            with_store(global, |store| async move {
                let v = store.rollback_template(&path, version, &author).await?;
                println!("{path}: version {} is now active ({})", v.version, v.note);
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Export { dir } => with_store(global, |store| async move {
            let count = desk_app::library::export_folder(&store, &dir).await?;
            println!("wrote {count} files to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }),
        Command::Import { dir } => with_store(global, |store| async move {
            match desk_app::library::import_folder(&store, &dir, &author).await? {
                FolderImport::Refused(problems) => {
                    for p in &problems {
                        println!("{}", dir.join(p).display());
                    }
                    Err(Failure { message: format!("{}: nothing imported: fix the problems above", dir.display()), code: 1 })
                }
                FolderImport::Saved(made) => {
                    for v in &made {
                        println!("{}: version {}", v.path, v.version);
                    }
                    println!("{} of {} files changed", made.len(), desk_templates::library_paths().len());
                    Ok(ExitCode::SUCCESS)
                }
            }
        }),
        Command::ImportStatuspage { page_id, api_base, send_key_to } => {
            let base = api_base.unwrap_or_else(|| ClientConfig::STATUSPAGE_BASE.to_string());
            let key = desk_app::publishing::key_for(KeyDestination::Statuspage, &base, send_key_to.as_deref(), real_api_key)?;
            let client = Client::new(ClientConfig::new(base), key).map_err(|e| Failure::usage(e.to_string()))?;
            with_store(global, |store| async move {
                let imported = desk_app::templates::import_from_page(&store, &client, &page_id, &author).await.map_err(|e| Failure { code: 1, ..e.into() })?;
                for reason in &imported.skipped {
                    eprintln!("desk: skipped {reason}");
                }
                for (name, v) in &imported.saved {
                    println!("\"{name}\" -> {} (version {})", v.path, v.version);
                }
                println!("imported {} of {} templates from page {page_id}", imported.saved.len(), imported.found);
                Ok(if imported.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
            })
        }
    }
}
