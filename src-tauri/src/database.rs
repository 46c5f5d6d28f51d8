//! Which database the app opens: one person's SQLite file or the team's
//! PostgreSQL, as `DESK_DB` says, else as chosen at the first start
//! (desk-app's `connection` module keeps the choice in the data folder).

use std::path::PathBuf;

use desk_app::connection::{saved_choice, ConnectionChoice};

/// Where the app keeps its data.
pub enum Database {
    /// One person's SQLite file (a `sqlite:` URL), opened by tauri-plugin-sql.
    File(String),
    /// Team mode: a shared PostgreSQL (`postgres://ROLE@HOST/DB`), opened by
    /// the store itself (see the README's architecture notes).
    Team(String),
}

/// Starts the app again (set up with the running app's handle, so commands need no runtime type).
pub struct Restart(pub Box<dyn Fn() + Send + Sync>);

/// What this run opened, for the connection commands.
pub struct Connection {
    pub current: ConnectionChoice,
    /// `DESK_DB` decided, whatever was chosen.
    pub overridden: bool,
    /// Where the choice is kept.
    pub data_dir: PathBuf,
}

/// `DESK_DB`: a `postgres://` URL (team mode) or a SQLite file; without it,
/// the team chosen at the first start, else the file `desk` also uses by
/// default (the app's data folder).
pub fn database() -> (Database, Connection) {
    let default_file = desk_store::default_db_path().expect("a data folder exists on this system");
    let data_dir = default_file.parent().map(PathBuf::from).unwrap_or_default();
    let given = std::env::var("DESK_DB").ok().filter(|v| !v.is_empty());
    let overridden = given.is_some();
    if let Some(url) = given.as_deref().filter(|v| desk_store::is_postgres_url(v)) {
        let current = ConnectionChoice::Team { address: address_of(url) };
        return (Database::Team(url.to_string()), Connection { current, overridden, data_dir });
    }
    if given.is_none() {
        if let Some(ConnectionChoice::Team { address }) = saved_choice(&data_dir) {
            let url = address.url();
            let current = ConnectionChoice::Team { address };
            return (Database::Team(url), Connection { current, overridden, data_dir });
        }
    }
    let path = given.map(PathBuf::from).unwrap_or(default_file);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    (Database::File(format!("sqlite:{}", path.display())), Connection { current: ConnectionChoice::Alone, overridden, data_dir })
}

/// The parts of a `postgres://role@host:port/db` URL, for showing where the app is connected.
fn address_of(url: &str) -> desk_app::connection::TeamAddress {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
    let (user, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    let role = user.split(':').next().unwrap_or("").to_string();
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h.trim_matches(['[', ']']).to_string(), p.parse().unwrap_or(5432)),
        _ => (host_port.to_string(), 5432),
    };
    let database = database.split('?').next().unwrap_or("").to_string();
    desk_app::connection::TeamAddress { host, port, database, role }
}
