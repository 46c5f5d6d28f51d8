//! `desk`: Incident Desk on the command line.
//!
//! Exit codes: 0 success, 1 the input has errors (lint findings, refused
//! publishes), 2 bad usage or unreadable input. Errors go to stderr and name
//! the file and line.

mod commands;
mod failure;
mod language;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "desk", version, about = "Write, check and publish bilingual incident announcements.")]
struct Cli {
    /// The database: a SQLite file path or a postgres:// URL. Defaults to the
    /// app's own database, so the app and `desk` see the same data.
    #[arg(long, global = true, env = "DESK_DB", value_name = "PATH_OR_URL")]
    db: Option<String>,

    /// The organisation's template folder (settings.toml and one file per
    /// status and language). Files it lacks come from the built-in set.
    #[arg(long, global = true, env = "DESK_TEMPLATES", value_name = "DIR")]
    templates: Option<std::path::PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print an incident's update as Statuspage will receive it.
    Render(commands::render::Args),
    /// Print a new incident document filled from the templates.
    New(commands::new::Args),
    /// Publish an update to Statuspage (or the local sandbox), exactly once.
    Publish(commands::publish::Args),
    /// Run the local sandbox: the Statuspage API subset and a public status page.
    Sandbox(commands::sandbox::Args),
    /// Store, remove or check the Statuspage API key in the OS keychain.
    Key(commands::key::Args),
    /// Import a status-page history (Statuspage JSON or flattened text) into the database.
    Import(commands::import::Args),
    /// List incidents, newest first.
    List(commands::list::Args),
    /// Search incidents in Japanese or English.
    Search(commands::search::Args),
    /// An update's saved revisions: list them, show one, or restore one.
    Revisions(commands::revisions::Args),
    /// Print (or write) an incident as an incident document.
    Export(commands::export::Args),
    /// Check announcements (raw text or incident documents) for mistakes.
    Lint(commands::lint::Args),
    /// The template library in the database: list, show, history, rollback,
    /// export, import, check a folder, import from Statuspage.
    Templates(commands::templates::Args),
    /// Review and approval: request, approve, request-changes, status, queue, diff.
    Review(commands::review::Args),
    /// Check the audit log's hash chain.
    Audit(commands::audit::Args),
    /// The organisation's emergency publishing policy.
    Policy(commands::policy::Args),
    /// The translation memory: build, suggest, stats, import.
    Tm(commands::tm::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let global = commands::Global { db: cli.db, templates: cli.templates };
    let result = match cli.command {
        Command::Render(args) => commands::render::run(&global, args),
        Command::New(args) => commands::new::run(&global, args),
        Command::Publish(args) => commands::publish::run(&global, args),
        Command::Sandbox(args) => commands::sandbox::run(&global, args),
        Command::Key(args) => commands::key::run(&global, args),
        Command::Import(args) => commands::import::run(&global, args),
        Command::List(args) => commands::list::run(&global, args),
        Command::Search(args) => commands::search::run(&global, args),
        Command::Export(args) => commands::export::run(&global, args),
        Command::Revisions(args) => commands::revisions::run(&global, args),
        Command::Lint(args) => commands::lint::run(&global, args),
        Command::Templates(args) => commands::templates::run(&global, args),
        Command::Review(args) => commands::review::run(&global, args),
        Command::Audit(args) => commands::audit::run(&global, args),
        Command::Policy(args) => commands::policy::run(&global, args),
        Command::Tm(args) => commands::tm::run(&global, args),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("desk: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
