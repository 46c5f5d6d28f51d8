//! Which database the app opens: one person's SQLite file or the team's
//! PostgreSQL.

/// Where the app keeps its data.
pub enum Database {
    /// One person's SQLite file (a `sqlite:` URL), opened by tauri-plugin-sql.
    File(String),
    /// Team mode: a shared PostgreSQL (`postgres://ROLE@HOST/DB`), opened by
    /// the store itself (see the README's architecture notes).
    Team(String),
}

/// `DESK_DB`: a `postgres://` URL (team mode) or a SQLite file; without it,
/// the file `desk` also uses by default (the app's data folder).
pub fn database() -> Database {
    let given = std::env::var("DESK_DB").ok().filter(|v| !v.is_empty());
    if let Some(url) = given.as_deref().filter(|v| desk_store::is_postgres_url(v)) {
        return Database::Team(url.to_string());
    }
    let path = given
        .map(std::path::PathBuf::from)
        .or_else(desk_store::default_db_path)
        .expect("a data folder exists on this system");
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    Database::File(format!("sqlite:{}", path.display()))
}
