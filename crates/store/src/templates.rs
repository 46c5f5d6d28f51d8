//! The template library, versioned (migration 0004).
//!
//! Each file of the library (`settings.toml`, `incident/resolved.ja.md`, …:
//! one per kind, status and language, the layout `TemplateSet::load_dir`
//! reads) has its own numbered versions, each with who saved it and when. The
//! newest version is the active one, and only text that desk-templates finds
//! no problem in is ever saved, so the active library always works. A
//! rollback saves an old text again as a new version. A file never saved
//! uses the built-in text (version 0).
//!
//! Every version's row id is also the library's revision: an update records
//! the revision it was written from ([`Store::set_update_template_revision`]),
//! and [`Store::template_set_at`] gives back exactly that library.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use desk_model::{Lang, Status};
use desk_templates::{builtin_source, check_library_file, library_paths, template_path, TemplateSet};
use serde::Serialize;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// One saved version of one library file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateVersion {
    /// The library revision this save made.
    pub revision: i64,
    pub path: String,
    /// 1 = the file's first saved version.
    pub version: i64,
    pub source: String,
    pub author: String,
    pub note: String,
    pub saved_at: DateTime<Utc>,
}

/// A library file as it is now: its active version, or the built-in text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveTemplate {
    pub path: String,
    /// 0 = the built-in text, never saved.
    pub version: i64,
    pub source: String,
    pub author: String,
    pub saved_at: Option<DateTime<Utc>>,
}

/// The library path of a status's template (`incident/resolved.ja.md`).
pub fn template_file(status: Status, lang: Lang) -> String {
    template_path(status, lang)
}

fn check(path: &str, source: &str) -> Result<()> {
    if !library_paths().iter().any(|p| p == path) {
        return Err(StoreError::InvalidTemplate {
            path: path.to_string(),
            problems: vec!["not a file of the template library (settings.toml or KIND/STATUS.LANG.md)".into()],
        });
    }
    let problems = check_library_file(path, source);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::InvalidTemplate { path: path.to_string(), problems: problems.iter().map(|d| d.to_string()).collect() })
    }
}

/// The newest version of each file with revision <= `$1`.
const ACTIVE_SQL: &str = "SELECT v.id, v.path, v.version, v.source, v.author, v.note, v.saved_at
     FROM template_versions v
     WHERE v.id = (SELECT MAX(w.id) FROM template_versions w WHERE w.path = v.path AND w.id <= $1)";

const VERSION_COLUMNS: &str = "id, path, version, source, author, note, saved_at";

impl Store {
    /// Saves a new version of a library file, after checking it: a template
    /// with any problem (or settings that do not parse) is refused and
    /// nothing is saved. `expected_version` is the version the editor
    /// started from (0 = the built-in text); when another save got there
    /// first, this one is refused as a conflict. Saving the text the file
    /// already has makes no new version and returns the current one.
    /// In team mode the author recorded is the database role, whatever
    /// `author` says.
    pub async fn save_template(
        &self,
        path: &str,
        source: &str,
        expected_version: Option<i64>,
        author: &str,
        note: &str,
    ) -> Result<TemplateVersion> {
        check(path, source)?;
        on_backend!(self, pool, [crate::templates as db] => {
            let mut tx = db::begin_library_write(pool).await?;
            let saved = db::save_in(&mut tx, path, source, expected_version, author, note).await?;
            tx.commit().await?;
            Ok(saved)
        })
    }

    /// Saves several files at once (a folder import): all are checked first,
    /// and either every changed file gets a new version or none does.
    /// Returns the versions made (unchanged files make none).
    pub async fn save_templates(&self, files: &BTreeMap<String, String>, author: &str, note: &str) -> Result<Vec<TemplateVersion>> {
        let mut problems = Vec::new();
        for (path, source) in files {
            if let Err(StoreError::InvalidTemplate { path, problems: p }) = check(path, source) {
                problems.extend(p.into_iter().map(|p| format!("{path}:{p}")));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::InvalidTemplate { path: "the library".into(), problems });
        }
        on_backend!(self, pool, [crate::templates as db] => {
            let mut tx = db::begin_library_write(pool).await?;
            let mut made = Vec::new();
            for (path, source) in files {
                let current = db::current_version(&mut tx, path).await?.unwrap_or(0);
                let active = match current {
                    0 => builtin_source(path).map(str::to_string),
                    v => db::source_of(&mut tx, path, v).await?,
                };
                if active.as_deref() != Some(source.as_str()) {
                    made.push(db::save_in(&mut tx, path, source, None, author, note).await?);
                }
            }
            tx.commit().await?;
            Ok(made)
        })
    }

    /// Every library file as it is now, settings.toml first.
    pub async fn active_templates(&self) -> Result<Vec<ActiveTemplate>> {
        self.active_templates_at(i64::MAX).await
    }

    /// Every library file as it was at a library revision.
    pub async fn active_templates_at(&self, revision: i64) -> Result<Vec<ActiveTemplate>> {
        let versions: Vec<TemplateVersion> = on_backend!(self, pool, [crate::templates as db] => {
            sqlx::query(ACTIVE_SQL).bind(revision).fetch_all(pool).await?.iter().map(db::version_from_row).collect::<Result<_>>()?
        });
        let mut saved: BTreeMap<String, TemplateVersion> = versions.into_iter().map(|v| (v.path.clone(), v)).collect();
        Ok(library_paths()
            .into_iter()
            .map(|path| match saved.remove(&path) {
                Some(v) => ActiveTemplate { path, version: v.version, source: v.source, author: v.author, saved_at: Some(v.saved_at) },
                None => ActiveTemplate {
                    source: builtin_source(&path).unwrap_or_default().to_string(),
                    path,
                    version: 0,
                    author: String::new(),
                    saved_at: None,
                },
            })
            .collect())
    }

    /// One library file as it is now.
    pub async fn active_template(&self, path: &str) -> Result<ActiveTemplate> {
        self.active_templates()
            .await?
            .into_iter()
            .find(|t| t.path == path)
            .ok_or_else(|| StoreError::Unsupported(format!("{path} is not a file of the template library")))
    }

    /// The template set the app uses now: the active version of every file.
    pub async fn template_set(&self) -> Result<TemplateSet> {
        self.template_set_at(i64::MAX).await
    }

    /// The template set as it was at a library revision (what an update
    /// that recorded this revision was written from).
    pub async fn template_set_at(&self, revision: i64) -> Result<TemplateSet> {
        let files: BTreeMap<String, String> =
            self.active_templates_at(revision).await?.into_iter().map(|t| (t.path, t.source)).collect();
        TemplateSet::from_sources(&files["settings.toml"], &|p| files.get(p).cloned()).map_err(|e| StoreError::InvalidTemplate {
            path: e.file.clone(),
            problems: vec![e.to_string()],
        })
    }

    /// The library's current revision (0 while only built-in texts are used).
    pub async fn library_revision(&self) -> Result<i64> {
        on_backend!(self, pool, [] => {
            Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM template_versions").fetch_one(pool).await?.unwrap_or(0))
        })
    }

    /// A file's versions, newest first.
    pub async fn template_history(&self, path: &str) -> Result<Vec<TemplateVersion>> {
        on_backend!(self, pool, [crate::templates as db] => {
            sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM template_versions WHERE path = $1 ORDER BY version DESC"))
                .bind(path)
                .fetch_all(pool)
                .await?
                .iter()
                .map(db::version_from_row)
                .collect()
        })
    }

    /// Makes an old version active again by saving its text as a new
    /// version (history is never rewritten). Version 0 is the built-in text.
    pub async fn rollback_template(&self, path: &str, version: i64, author: &str) -> Result<TemplateVersion> {
        let source = if version == 0 {
            builtin_source(path)
                .ok_or_else(|| StoreError::Unsupported(format!("{path} is not a file of the template library")))?
                .to_string()
        } else {
            on_backend!(self, pool, [] => {
                sqlx::query_scalar::<_, String>("SELECT source FROM template_versions WHERE path = $1 AND version = $2")
                    .bind(path)
                    .bind(version)
                    .fetch_optional(pool)
                    .await?
            })
            .ok_or(StoreError::NotFound { what: "template version", id: version })?
        };
        check(path, &source)?;
        on_backend!(self, pool, [crate::templates as db] => {
            let mut tx = db::begin_library_write(pool).await?;
            let saved = db::save_in(&mut tx, path, &source, None, author, &format!("rolled back to version {version}")).await?;
            tx.commit().await?;
            Ok(saved)
        })
    }

    /// Records the library revision an update was written from (the
    /// composer sets it when it creates the update from the templates).
    pub async fn set_update_template_revision(&self, update_id: i64, revision: i64) -> Result<()> {
        let changed = on_backend!(self, pool, [] => {
            sqlx::query("UPDATE updates SET template_revision = $1 WHERE id = $2")
                .bind(revision)
                .bind(update_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::NotFound { what: "update", id: update_id });
        }
        Ok(())
    }

    /// The library revision an update was written from, when recorded.
    pub async fn update_template_revision(&self, update_id: i64) -> Result<Option<i64>> {
        on_backend!(self, pool, [] => {
            sqlx::query_scalar::<_, Option<i64>>("SELECT template_revision FROM updates WHERE id = $1")
                .bind(update_id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "update", id: update_id })
        })
    }
}

per_dialect! {

/// A transaction that saves library versions. PostgreSQL: read committed
/// would let two saves of one file both see version N and both try N + 1,
/// so saves of the library queue on a transaction-scoped advisory lock
/// (which every role may take). SQLite: `BEGIN IMMEDIATE` already queues.
pub(crate) async fn begin_library_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>> {
    let mut tx = sql::begin_write(pool).await?;
    if POSTGRES {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('incident-desk:template_versions'))").execute(&mut *tx).await?;
    }
    Ok(tx)
}

pub(crate) fn version_from_row(r: &<Db as sqlx::Database>::Row) -> Result<TemplateVersion> {
    Ok(TemplateVersion {
        revision: r.try_get("id")?,
        path: r.try_get("path")?,
        version: r.try_get("version")?,
        source: r.try_get("source")?,
        author: r.try_get("author")?,
        note: r.try_get("note")?,
        saved_at: parse_timestamp(r.try_get("saved_at")?).unwrap_or_default(),
    })
}

pub(crate) async fn current_version(tx: &mut sqlx::Transaction<'static, Db>, path: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM template_versions WHERE path = $1")
        .bind(path)
        .fetch_one(&mut **tx)
        .await?)
}

pub(crate) async fn source_of(tx: &mut sqlx::Transaction<'static, Db>, path: &str, version: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT source FROM template_versions WHERE path = $1 AND version = $2")
        .bind(path)
        .bind(version)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Inside a library write transaction; the text is already checked.
pub(crate) async fn save_in(
    tx: &mut sqlx::Transaction<'static, Db>,
    path: &str,
    source: &str,
    expected_version: Option<i64>,
    author: &str,
    note: &str,
) -> Result<TemplateVersion> {
    let current = current_version(tx, path).await?.unwrap_or(0);
    if let Some(expected) = expected_version {
        if expected != current {
            return Err(StoreError::TemplateConflict { path: path.to_string(), expected, current });
        }
    }
    // Saving the built-in text over no version does make version 1: it is an explicit save.
    let current_source = if current == 0 { None } else { source_of(tx, path, current).await? };
    if current_source.as_deref() == Some(source) {
        let row = sqlx::query(&format!("SELECT {VERSION_COLUMNS} FROM template_versions WHERE path = $1 AND version = $2"))
            .bind(path)
            .bind(current)
            .fetch_one(&mut **tx)
            .await?;
        return version_from_row(&row);
    }
    let version = current + 1;
    // PostgreSQL's trigger puts the session's role in `author`: read it back.
    let row = sqlx::query(&format!(
        "INSERT INTO template_versions (path, version, source, author, note, saved_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING {VERSION_COLUMNS}"
    ))
    .bind(path)
    .bind(version)
    .bind(source)
    .bind(author)
    .bind(note)
    .bind(timestamp(Utc::now()))
    .fetch_one(&mut **tx)
    .await?;
    let saved = version_from_row(&row)?;
    let detail = serde_json::json!({ "path": path, "version": version, "note": note });
    sql::audit(tx, &saved.author, "save", "template", Some(saved.revision), None, &detail).await?;
    Ok(saved)
}

}
