//! Which database the app opens: one person's SQLite file or the team's
//! PostgreSQL, as `DESK_DB` says, else as chosen at the first start
//! (desk-app's `connection` module keeps the choice in the data folder).

use std::path::PathBuf;

use desk_app::connection::{saved_choice, ConnectionChoice, TeamAddress};

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
        let current = ConnectionChoice::Team { address: TeamAddress::from_url(url) };
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
