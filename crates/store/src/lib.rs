//! Incident Desk's storage, owned by Rust.
//!
//! SQLite in WAL mode through sqlx 0.8, the driver tauri-plugin-sql wraps: in
//! the app the plugin opens the database and runs [`migrations`], and the
//! store works on the plugin's pool ([`Store::from_pool`]); tests and `desk`
//! open their own ([`Store::open`]). See the crate's README for the schema and
//! what is SQLite-only.

pub mod drafts;
pub mod error;
pub mod glossary;
pub mod import;
pub mod incidents;
pub mod migrations;
pub mod search;
pub mod templates;
pub mod text;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use drafts::{CompactionPolicy, RevisionInfo, SavedRevision};
pub use error::{Conflict, Result, StoreError};
pub use glossary::GlossaryTerm;
pub use incidents::{ImportReport, IncidentSummary, ListQuery, NewIncident, StoredIncident, StoredUpdate, UpdateState};
pub use templates::{ActiveTemplate, TemplateVersion};

/// The app's identifier: its data folder's name.
pub const APP_IDENTIFIER: &str = "dev.incidentdesk.app";
/// The database's file name in the app's data folder.
pub const DB_FILE_NAME: &str = "incident-desk.db";

/// The OS user (`USER`, or `USERNAME` on Windows): who saves in
/// single-person mode. The app and `desk` both record it as the author.
pub fn os_user() -> Option<String> {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok().filter(|u| !u.is_empty())
}

/// The database the app uses (Tauri's `app_data_dir()` for the app's
/// identifier), so that `desk` and the app see the same data.
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

/// A handle on the database. Cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating when missing) a SQLite database, given as a path or a
    /// `sqlite:` URL, in WAL mode with full fsync, and brings its schema up to
    /// date. The database's folder is created when missing.
    pub async fn open(path_or_url: &str) -> Result<Store> {
        let options = connect_options(path_or_url)?;
        if let Some(parent) = options.get_filename().parent() {
            if !parent.as_os_str().is_empty() && !parent.exists() {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        }
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        Store::from_pool(pool).await
    }

    /// Works on a pool opened elsewhere (the app's tauri-plugin-sql pool):
    /// switches the database to WAL (a setting kept in the file) and runs the
    /// migrations that are missing, checking the checksums of those applied.
    pub async fn from_pool(pool: SqlitePool) -> Result<Store> {
        sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        migrations::migrator().await?.run(&pool).await?;
        Ok(Store { pool })
    }

    /// Like [`Store::from_pool`], but runs no migration: for a pool whose
    /// migrations the plugin already ran. Fails when the schema is not current.
    pub async fn from_migrated_pool(pool: SqlitePool) -> Result<Store> {
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&pool)
                .await
                .unwrap_or(None);
        if applied != Some(migrations::latest_version()) {
            return Err(StoreError::Unsupported(format!(
                "the database's schema is at version {}, the store needs {}",
                applied.unwrap_or(0),
                migrations::latest_version()
            )));
        }
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction that writes. SQLITE ONLY: `BEGIN IMMEDIATE` takes the
    /// write lock at the start, waiting (busy_timeout) for another writer to
    /// finish; a deferred `BEGIN` would fail at once with SQLITE_BUSY when
    /// another process committed meanwhile (WAL snapshot). PostgreSQL: `BEGIN`.
    pub(crate) async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// `PRAGMA integrity_check`: "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&self.pool).await?;
        Ok(rows.join("\n"))
    }

    /// The schema version applied.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?
            .unwrap_or(0))
    }

    /// Closes the pool's connections; the last one to close writes the WAL
    /// back into the database file.
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Records an entry in the audit log.
    pub async fn audit(&self, actor: &str, action: &str, entity: &str, entity_id: Option<i64>, detail: &serde_json::Value) -> Result<()> {
        audit(&self.pool, actor, action, entity, entity_id, detail).await
    }
}

pub(crate) async fn audit<'e, E: sqlx::SqliteExecutor<'e>>(
    executor: E,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: &serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(timestamp(Utc::now()))
        .bind(actor)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(detail.to_string())
        .execute(executor)
        .await?;
    Ok(())
}

/// The connection options for a path or a `sqlite:` URL.
pub fn connect_options(path_or_url: &str) -> Result<SqliteConnectOptions> {
    let lower = path_or_url.to_ascii_lowercase();
    if lower.starts_with("postgres:") || lower.starts_with("postgresql:") {
        return Err(StoreError::Unsupported(
            "PostgreSQL (team mode) is not supported yet: give a SQLite file path".into(),
        ));
    }
    let options = if lower.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(path_or_url)?
    } else if lower.contains("://") {
        return Err(StoreError::Unsupported(format!(
            "`{path_or_url}` is not a SQLite file path, a sqlite: URL or a postgres:// URL"
        )));
    } else {
        SqliteConnectOptions::new().filename(Path::new(path_or_url))
    };
    Ok(options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

/// Times are stored as fixed-width RFC 3339 UTC text, which sorts as time.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

impl Store {
    /// An organisation setting (a JSON value), if set.
    pub async fn setting(&self, key: &str) -> Result<Option<serde_json::Value>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(value.as_deref().map(serde_json::from_str).transpose()?)
    }

    /// Sets an organisation setting.
    pub async fn set_setting(&self, key: &str, value: &serde_json::Value, actor: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value.to_string())
        .bind(timestamp(Utc::now()))
        .execute(&mut *tx)
        .await?;
        audit(&mut *tx, actor, "set", "setting", None, &serde_json::json!({ "key": key })).await?;
        tx.commit().await?;
        Ok(())
    }
}
