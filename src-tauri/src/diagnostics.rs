//! "Copy diagnostics": what a person pastes into a support request. The
//! app's version, the system, which database (team PostgreSQL: host, port,
//! database and role, never a password or the URL's options; or one
//! person's SQLite file), where publishing goes (the sandbox or the
//! Statuspage page id, never the key: the key stays in the keychain), and
//! the end of the log.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use desk_app::Desk;
use tauri::{AppHandle, Manager, Runtime, Url};

use crate::database::Database;

/// How many of the log's last lines go in.
pub const LOG_LINES: usize = 100;

/// The app's log file (in the platform's log folder; a test's own elsewhere).
pub struct LogFile(pub PathBuf);

/// The database the app opened, as diagnostics (and the single-instance key) name it.
#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseMode {
    /// A team's PostgreSQL: where, and as whom (no password, no options).
    Team { host: String, port: Option<u16>, database: String, role: String },
    /// One person's SQLite file.
    File(PathBuf),
}

impl DatabaseMode {
    pub fn of(database: &Database) -> DatabaseMode {
        match database {
            Database::File(url) => DatabaseMode::File(PathBuf::from(url.trim_start_matches("sqlite:"))),
            Database::Team(url) => match Url::parse(url) {
                Ok(u) => DatabaseMode::Team {
                    host: u.host_str().unwrap_or("").to_string(),
                    port: u.port(),
                    database: u.path().trim_start_matches('/').to_string(),
                    role: u.username().to_string(),
                },
                Err(_) => DatabaseMode::Team { host: "?".into(), port: None, database: "?".into(), role: "?".into() },
            },
        }
    }
}

impl std::fmt::Display for DatabaseMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseMode::Team { host, port, database, role } => {
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                write!(f, "team (PostgreSQL) {host}{port}/{database} as {role}")
            }
            DatabaseMode::File(path) => write!(f, "single person (SQLite) {}", path.display()),
        }
    }
}

/// Everything the text is made of.
pub struct Facts {
    pub version: String,
    pub os: String,
    pub arch: String,
    pub database: DatabaseMode,
    /// Where publishing goes, as the publish target names it (no key).
    pub target: String,
    pub log_file: Option<PathBuf>,
    pub log_tail: Vec<String>,
}

/// The diagnostics as text (English: it is read by whoever supports the app).
pub fn text(facts: &Facts) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Incident Desk {}", facts.version);
    let _ = writeln!(out, "System: {} {}", facts.os, facts.arch);
    let _ = writeln!(out, "Database: {}", facts.database);
    let _ = writeln!(out, "Publishing to: {}", facts.target);
    match &facts.log_file {
        Some(file) => {
            let _ = writeln!(out, "Log: {} (last {} lines)", file.display(), facts.log_tail.len());
        }
        None => {
            let _ = writeln!(out, "Log: none");
        }
    }
    for line in &facts.log_tail {
        let _ = writeln!(out, "  {line}");
    }
    out
}

/// The last `n` lines of the file (none when it cannot be read).
pub fn tail(path: &Path, n: usize) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].iter().map(|l| l.to_string()).collect()
}

/// Gathers the facts from the running app.
pub fn gather<R: Runtime>(app: &AppHandle<R>) -> Facts {
    let target = match app.try_state::<Desk>().map(|desk| desk_app::publish::publish_target(&desk)) {
        Some(Ok(t)) if t.sandbox => format!("the local sandbox ({})", t.public_url),
        Some(Ok(t)) => format!("Statuspage page {} ({})", t.page_id, t.public_url),
        Some(Err(e)) => format!("unknown ({})", e.message.en),
        None => "unknown (not started)".into(),
    };
    let log_file = app.try_state::<LogFile>().map(|f| f.0.clone());
    Facts {
        version: app.package_info().version.to_string(),
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        database: app.try_state::<DatabaseMode>().map(|m| m.inner().clone()).unwrap_or(DatabaseMode::File(PathBuf::from("?"))),
        target,
        log_tail: log_file.as_deref().map(|f| tail(f, LOG_LINES)).unwrap_or_default(),
        log_file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(database: DatabaseMode) -> Facts {
        Facts {
            version: "0.1.0".into(),
            os: "linux".into(),
            arch: "x86_64".into(),
            database,
            target: "Statuspage page kctbh9vrtdwd (https://status.example.com)".into(),
            log_file: Some(PathBuf::from("/home/aiko/.local/share/dev.incidentdesk.app/logs/incident-desk.log")),
            log_tail: vec!["[2026-12-01][10:00:00][incident_desk][INFO] publish: created incident abc".into()],
        }
    }

    #[test]
    fn team_mode_names_host_database_and_role_never_the_password_or_options() {
        let url = "postgres://aiko:hunter2-secret@db.example.com:6432/desk?sslmode=require&password=also-secret";
        let mode = DatabaseMode::of(&Database::Team(url.into()));
        assert_eq!(mode, DatabaseMode::Team { host: "db.example.com".into(), port: Some(6432), database: "desk".into(), role: "aiko".into() });
        let out = text(&facts(mode));
        assert!(out.starts_with("Incident Desk 0.1.0\n"), "{out}");
        assert!(out.contains("System: linux x86_64"), "{out}");
        assert!(out.contains("Database: team (PostgreSQL) db.example.com:6432/desk as aiko"), "{out}");
        assert!(out.contains("Publishing to: Statuspage page kctbh9vrtdwd"), "{out}");
        assert!(out.contains("(last 1 lines)\n  [2026-12-01]"), "{out}");
        assert!(!out.contains("hunter2") && !out.contains("also-secret") && !out.contains("sslmode"), "{out}");
    }

    #[test]
    fn single_person_mode_names_the_file() {
        let mode = DatabaseMode::of(&Database::File("sqlite:/home/aiko/.local/share/incident-desk/desk.db".into()));
        let out = text(&facts(mode));
        assert!(out.contains("Database: single person (SQLite) /home/aiko/.local/share/incident-desk/desk.db"), "{out}");
    }

    #[test]
    fn the_log_tail_is_the_last_lines() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.log");
        std::fs::write(&file, (1..=150).map(|i| format!("line {i}\n")).collect::<String>()).unwrap();
        let lines = tail(&file, LOG_LINES);
        assert_eq!((lines.len(), lines[0].as_str(), lines[99].as_str()), (100, "line 51", "line 150"));
        assert!(tail(&dir.path().join("missing.log"), 10).is_empty());
    }
}
