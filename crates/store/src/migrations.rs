//! The schema's migrations: plain `.sql` files embedded in the crate.
//!
//! The list is the single source of truth for two runners that must agree:
//! the app hands it to tauri-plugin-sql (`tauri_plugin_sql::Migration` has the
//! same three fields, with `kind: MigrationKind::Up`), and [`crate::Store`]
//! runs it through sqlx's migrator when it opens a database itself (tests,
//! `desk`). Both record applied versions and SHA-384 checksums of the SQL in
//! `_sqlx_migrations`, so either may open a database the other migrated.
//! Never edit a released file: add a new version.

use std::borrow::Cow;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

/// One migration: its version, a description and its SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrationDef {
    pub version: i64,
    pub description: &'static str,
    pub sql: &'static str,
    /// True when the SQL uses SQLite-only features (FTS5); PostgreSQL team
    /// mode will need its own version of it.
    pub sqlite_only: bool,
}

/// Every migration, in order.
pub const MIGRATIONS: &[MigrationDef] = &[
    MigrationDef {
        version: 1,
        description: "initial",
        sql: include_str!("../migrations/0001_initial.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 2,
        description: "search fts5 trigram",
        sql: include_str!("../migrations/0002_search_fts5_trigram.sql"),
        sqlite_only: true,
    },
    MigrationDef {
        version: 3,
        description: "review audit",
        sql: include_str!("../migrations/0003_review_audit.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 4,
        description: "template versions",
        sql: include_str!("../migrations/0004_template_versions.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 5,
        description: "drop publish log",
        sql: include_str!("../migrations/0005_drop_publish_log.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 6,
        description: "publish records",
        sql: include_str!("../migrations/0006_publish_records.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 7,
        description: "close review bypasses",
        sql: include_str!("../migrations/0007_close_review_bypasses.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 8,
        description: "approved requests",
        sql: include_str!("../migrations/0008_approved_requests.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 9,
        description: "translation memory",
        sql: include_str!("../migrations/0009_translation_memory.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 10,
        description: "search",
        sql: include_str!("../migrations/0010_search.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 12,
        description: "incident links",
        sql: include_str!("../migrations/0012_incident_links.sql"),
        sqlite_only: false,
    },
];

/// PostgreSQL (team mode): the same schema in its dialect, with the review
/// rules enforced by the database. Version 2 (SQLite's FTS5 search) has no
/// counterpart (PostgreSQL's search index is version 10's); versions keep
/// their numbers so the two lists line up.
pub const POSTGRES_MIGRATIONS: &[MigrationDef] = &[
    MigrationDef {
        version: 1,
        description: "initial",
        sql: include_str!("../migrations/postgres/0001_initial.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 3,
        description: "review audit",
        sql: include_str!("../migrations/postgres/0003_review_audit.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 4,
        description: "template versions",
        sql: include_str!("../migrations/postgres/0004_template_versions.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 5,
        description: "drop publish log",
        sql: include_str!("../migrations/postgres/0005_drop_publish_log.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 6,
        description: "publish records",
        sql: include_str!("../migrations/postgres/0006_publish_records.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 7,
        description: "close review bypasses",
        sql: include_str!("../migrations/postgres/0007_close_review_bypasses.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 8,
        description: "approved requests",
        sql: include_str!("../migrations/postgres/0008_approved_requests.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 9,
        description: "translation memory",
        sql: include_str!("../migrations/postgres/0009_translation_memory.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 10,
        description: "search",
        sql: include_str!("../migrations/postgres/0010_search.sql"),
        sqlite_only: false,
    },
    MigrationDef {
        version: 12,
        description: "incident links",
        sql: include_str!("../migrations/postgres/0012_incident_links.sql"),
        sqlite_only: false,
    },
];

/// The migrations as `(version, description, sql)`, the shape tauri-plugin-sql takes.
pub fn list() -> Vec<(i64, &'static str, &'static str)> {
    MIGRATIONS.iter().map(|m| (m.version, m.description, m.sql)).collect()
}

/// The latest schema version.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

#[derive(Debug)]
struct Source(Vec<MigrationDef>);

impl MigrationSource<'static> for Source {
    fn resolve(self) -> futures_core::future::BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .into_iter()
                .map(|m| {
                    // ReversibleUp, as tauri-plugin-sql's MigrationKind::Up maps to.
                    Migration::new(
                        m.version,
                        Cow::Borrowed(m.description),
                        MigrationType::ReversibleUp,
                        Cow::Borrowed(m.sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// A sqlx migrator for the migrations up to and including `up_to`.
pub async fn migrator_up_to(up_to: i64) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Source(MIGRATIONS.iter().copied().filter(|m| m.version <= up_to).collect())).await
}

/// The latest PostgreSQL schema version.
pub fn latest_postgres_version() -> i64 {
    POSTGRES_MIGRATIONS.last().map_or(0, |m| m.version)
}

/// A sqlx migrator for the PostgreSQL migrations.
pub async fn postgres_migrator() -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Source(POSTGRES_MIGRATIONS.to_vec())).await
}

/// A sqlx migrator for every migration.
pub async fn migrator() -> Result<Migrator, sqlx::migrate::MigrateError> {
    migrator_up_to(latest_version()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_strictly_increasing_from_one() {
        // Strictly increasing; a gap is allowed while branches that own the
        // numbers in between (3: review) are not merged yet.
        assert_eq!(MIGRATIONS[0].version, 1);
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version, "{} then {}", pair[0].version, pair[1].version);
        }
        for m in MIGRATIONS {
            assert!(!m.sql.trim().is_empty());
        }
        assert_eq!(list().len(), MIGRATIONS.len());
    }

    #[test]
    fn postgres_versions_match_portable_sqlite_ones() {
        for m in POSTGRES_MIGRATIONS {
            let sqlite = MIGRATIONS.iter().find(|s| s.version == m.version).expect("same version in SQLite");
            assert!(!sqlite.sqlite_only && sqlite.description == m.description, "migration {}", m.version);
        }
        for m in MIGRATIONS.iter().filter(|m| !m.sqlite_only) {
            assert!(POSTGRES_MIGRATIONS.iter().any(|p| p.version == m.version), "migration {} needs a PostgreSQL version", m.version);
        }
    }

    #[test]
    fn sqlite_only_features_stay_in_migrations_marked_so() {
        for m in MIGRATIONS {
            let uses_fts = m.sql.to_lowercase().contains("fts5");
            assert_eq!(uses_fts, m.sqlite_only, "migration {}", m.version);
        }
    }
}
