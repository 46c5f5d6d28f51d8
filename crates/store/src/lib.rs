//! Incident Desk's storage, owned by Rust.
//!
//! SQLite in WAL mode through sqlx 0.8, the driver tauri-plugin-sql wraps: in
//! the app the plugin opens the database and runs [`migrations`], and the
//! store works on the plugin's pool ([`Store::from_pool`]); tests and `desk`
//! open their own ([`Store::open`]). See the crate's README for the schema and
//! what is SQLite-only.

/// Generates, from one source, a `sqlite` and a `pg` submodule holding the
/// given items with `Db` = `sqlx::Sqlite` / `sqlx::Postgres` and `POSTGRES` =
/// false / true: SQL that both dialects run as written, typed for each.
/// `sql` names the shared helpers of the same dialect (`crate::sql::…`).
macro_rules! per_dialect {
    ($($item:item)*) => {
        #[allow(dead_code, unused_imports)]
        pub(crate) mod sqlite {
            use super::*;
            use $crate::sql::sqlite as sql;
            pub(crate) type Db = sqlx::Sqlite;
            pub(crate) const POSTGRES: bool = false;
            $($item)*
        }
        #[allow(dead_code, unused_imports)]
        pub(crate) mod pg {
            use super::*;
            use $crate::sql::pg as sql;
            pub(crate) type Db = sqlx::Postgres;
            pub(crate) const POSTGRES: bool = true;
            $($item)*
        }
    };
}

/// Runs `$body` for the store's backend, expanded once per backend, with
/// `$pool` bound to its pool and each `module as alias` to that module's
/// per-dialect submodule ([`per_dialect!`]).
macro_rules! on_backend {
    ($store:expr, $pool:ident, [$($($seg:ident)::+ as $alias:ident),*] => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => {
                $(use $($seg)::+::sqlite as $alias;)*
                $body
            }
            $crate::Backend::Postgres($pool) => {
                $(use $($seg)::+::pg as $alias;)*
                $body
            }
        }
    };
}

pub mod audit;
pub mod diff;
pub mod drafts;
pub mod error;
pub mod glossary;
pub mod import;
pub mod incidents;
pub mod links;
pub mod memory;
pub mod migrations;
pub mod publish_records;
pub mod review;
pub mod search;
pub(crate) mod sql;
pub mod team;
pub mod templates;
pub mod text;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

pub use drafts::{CompactionPolicy, RevisionInfo, SavedRevision};
pub use error::{Conflict, Result, StoreError};
pub use glossary::GlossaryTerm;
pub use memory::{MemoryInsert, MemoryOrigin, MemoryPairRow, MemoryTableState, NewMemoryInsert, NewMemoryPair, PublishedText};
pub use publish_records::{MarkPublished, PublishRecord};
pub use incidents::{ImportReport, IncidentSummary, ListQuery, NewIncident, StoredIncident, StoredUpdate, UpdateState};
pub use search::SearchQuery;
pub use templates::{ActiveTemplate, TemplateVersion};

/// The app's identifier: its data folder's name.
pub const APP_IDENTIFIER: &str = "dev.incidentdesk.app";
/// The database's file name in the app's data folder.
pub const DB_FILE_NAME: &str = "incident-desk.db";

/// The OS user (`USER`, or `USERNAME` on Windows): who saves in
/// single-person mode. The app and `desk` both record it as the author.
pub fn os_user() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// The database the app uses (Tauri's `app_data_dir()` for the app's
/// identifier), so that `desk` and the app see the same data.
pub fn default_db_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join(DB_FILE_NAME))
}

/// Which database a store works on.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// One person's file (the default).
    Sqlite(SqlitePool),
    /// Team mode: a shared PostgreSQL, each person logged in as their own role.
    Postgres(PgPool),
}

/// Which kind of database a store works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// Is this a PostgreSQL URL (team mode)?
pub fn is_postgres_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("postgres:") || lower.starts_with("postgresql:")
}

/// A handle on the database. Cheap to clone (the pool is shared).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    /// SQLite only: who the store says is acting (the OS user unless set).
    acting_as: Option<String>,
}

impl Store {
    /// Opens a database: a SQLite path or `sqlite:` URL (created when
    /// missing, WAL, full fsync), or a `postgres://` URL (team mode). Brings
    /// the schema up to date. The PostgreSQL password comes from the URL or
    /// `PGPASSWORD` (`~/.pgpass` too); the store never stores it.
    pub async fn open(path_or_url: &str) -> Result<Store> {
        if is_postgres_url(path_or_url) {
            return Store::open_postgres(path_or_url, None).await;
        }
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

    /// Opens a team database (`postgres://` URL) as the URL's role. The
    /// password: `password` when given (the app's, from the OS keychain),
    /// else the URL's, else `PGPASSWORD` or `~/.pgpass`. Never stored.
    pub async fn open_postgres(url: &str, password: Option<&str>) -> Result<Store> {
        let mut options = PgConnectOptions::from_str(url)?.application_name("incident-desk");
        if let Some(password) = password {
            options = options.password(password);
        }
        // One attempt first, for a clear error (refused, wrong password)
        // instead of a pool timing out.
        let target = format!("{}:{} as {}", options.get_host(), options.get_port(), options.get_username());
        use sqlx::Connection;
        sqlx::PgConnection::connect_with(&options)
            .await
            .map_err(|source| StoreError::Connect { target, source })?
            .close()
            .await?;
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(15))
            .connect_lazy_with(options);
        Store::from_pg_pool(pool).await
    }

    /// Works on a pool opened elsewhere (the app's tauri-plugin-sql pool):
    /// switches the database to WAL (a setting kept in the file) and runs the
    /// migrations that are missing, checking the checksums of those applied.
    pub async fn from_pool(pool: SqlitePool) -> Result<Store> {
        sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        migrations::migrator().await?.run(&pool).await?;
        Ok(Store { backend: Backend::Sqlite(pool), acting_as: None })
    }

    /// Team mode on a PostgreSQL pool. Migrations run only when the schema is
    /// behind, which needs the owner's role (see the README); team members'
    /// roles only read the migrations table.
    pub async fn from_pg_pool(pool: PgPool) -> Result<Store> {
        let applied: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&pool)
            .await
            .unwrap_or(None);
        if applied != Some(migrations::latest_postgres_version()) {
            migrations::postgres_migrator().await?.run(&pool).await?;
        }
        Ok(Store { backend: Backend::Postgres(pool), acting_as: None })
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
        Ok(Store { backend: Backend::Sqlite(pool), acting_as: None })
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// The SQLite pool. PANICS in team mode (PostgreSQL): use
    /// [`Store::sqlite_pool`] where both can occur.
    pub fn pool(&self) -> &SqlitePool {
        self.sqlite_pool().expect("Store::pool is SQLite-only; this store is on PostgreSQL")
    }

    /// The SQLite pool, unless the store is on PostgreSQL.
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.backend {
            Backend::Sqlite(p) => Some(p),
            Backend::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, in team mode.
    pub fn pg_pool(&self) -> Option<&PgPool> {
        match &self.backend {
            Backend::Postgres(p) => Some(p),
            Backend::Sqlite(_) => None,
        }
    }

    /// For operations not yet ported to PostgreSQL.
    pub(crate) fn sqlite_only(&self, what: &str) -> Result<&SqlitePool> {
        self.sqlite_pool()
            .ok_or_else(|| StoreError::Unsupported(format!("{what} is not available in team mode (PostgreSQL) yet")))
    }

    /// Who is acting. PostgreSQL: the database's `session_user` (the role
    /// logged in: the database vouches for it). SQLite: the name set with
    /// [`Store::acting_as`], else the OS user (`USER`/`USERNAME`): NOT a
    /// security boundary, anyone can claim any name in their own file.
    pub async fn identity(&self) -> Result<String> {
        match &self.backend {
            Backend::Postgres(pool) => Ok(sqlx::query_scalar("SELECT session_user::text").fetch_one(pool).await?),
            Backend::Sqlite(_) => Ok(self.acting_as.clone().or_else(os_user).unwrap_or_else(|| "unknown".into())),
        }
    }

    /// SQLite: act under this name (tests, imports by a named tool). Refused
    /// in team mode, where the database decides who you are.
    pub fn acting_as(&self, name: &str) -> Result<Store> {
        match self.backend {
            Backend::Sqlite(_) => Ok(Store { backend: self.backend.clone(), acting_as: Some(name.to_string()) }),
            Backend::Postgres(_) => Err(StoreError::Unsupported(
                "in team mode your identity is your database role; log in as that role instead".into(),
            )),
        }
    }

    /// `PRAGMA integrity_check`: "ok", or what is wrong. PostgreSQL: "ok".
    pub async fn integrity_check(&self) -> Result<String> {
        let Some(pool) = self.sqlite_pool() else { return Ok("ok".into()) };
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(pool).await?;
        Ok(rows.join("\n"))
    }

    /// The schema version applied.
    pub async fn schema_version(&self) -> Result<i64> {
        on_backend!(self, pool, [] => Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?
            .unwrap_or(0)))
    }

    /// Closes the pool's connections; the last one to close writes the WAL
    /// back into the database file.
    pub async fn close(self) {
        match self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }

    /// Records an entry in the audit log (chained: see [`audit`]).
    pub async fn audit(&self, actor: &str, action: &str, entity: &str, entity_id: Option<i64>, detail: &serde_json::Value) -> Result<()> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            sql::audit(&mut tx, actor, action, entity, entity_id, None, detail).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}

/// The connection options for a path or a `sqlite:` URL.
pub fn connect_options(path_or_url: &str) -> Result<SqliteConnectOptions> {
    let lower = path_or_url.to_ascii_lowercase();
    if is_postgres_url(path_or_url) {
        return Err(StoreError::Unsupported("a postgres:// URL is opened with Store::open, not as a SQLite file".into()));
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
        let value: Option<String> = on_backend!(self, pool, [] => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?);
        Ok(value.as_deref().map(serde_json::from_str).transpose()?)
    }

    /// Sets an organisation setting. The audit entry names the key and the
    /// value before and after: on PostgreSQL a trigger writes it (for any
    /// change of `settings`, schema 7), here the store, the same.
    pub async fn set_setting(&self, key: &str, value: &serde_json::Value, actor: &str) -> Result<()> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let old: Option<String> = if sql::POSTGRES {
                None
            } else {
                sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(&mut *tx).await?
            };
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value.to_string())
            .bind(timestamp(Utc::now()))
            .execute(&mut *tx)
            .await?;
            if !sql::POSTGRES {
                let detail = serde_json::json!({ "key": key, "old": old, "new": value.to_string() });
                sql::audit(&mut tx, actor, "set", "setting", None, None, &detail).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
