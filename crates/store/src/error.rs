//! What can go wrong in the store.

use desk_model::Update;

/// Another save got there first. The loser's text is handed back untouched,
/// beside what is now stored, so nothing typed is lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub update_id: i64,
    /// The revision the loser had started from.
    pub expected_version: i64,
    /// The revision now current, saved by someone else.
    pub current_version: i64,
    /// What the loser tried to save.
    pub yours: Update,
    /// What is stored now.
    pub theirs: Update,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "update {} was changed elsewhere: you edited revision {}, but revision {} was saved meanwhile; your text was not saved and is returned to you",
        .0.update_id, .0.expected_version, .0.current_version
    )]
    Conflict(Box<Conflict>),
    #[error("incident {0} was changed elsewhere (you had version {1}, it is now at {2})")]
    IncidentConflict(i64, i64, i64),
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: i64 },
    #[error("update {0} is published; published updates are not edited as drafts")]
    Published(i64),
    #[error("{0}")]
    Unsupported(String),
    /// Input that cannot be saved: the field, and why. Nothing was saved.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// A template or settings file that does not check out; nothing was saved.
    #[error("{path} was not saved: {}", .problems.join("; "))]
    InvalidTemplate { path: String, problems: Vec<String> },
    #[error("{path} was changed elsewhere (you edited version {expected}, it is now at version {current}); nothing was saved")]
    TemplateConflict { path: String, expected: i64, current: i64 },
    /// A review rule said no (self-approval, publish without approval, ...),
    /// whether the store or the database refused it.
    #[error("{0}")]
    Refused(String),
    #[error("cannot create the database's folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot connect to PostgreSQL ({target}): {source}")]
    Connect { target: String, source: sqlx::Error },
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("the database's schema cannot be brought up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored JSON cannot be read: {0}")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// The conflict, when this is one.
    pub fn conflict(&self) -> Option<&Conflict> {
        match self {
            StoreError::Conflict(c) => Some(c),
            _ => None,
        }
    }
}

/// Database errors that are a rule refusing something become
/// [`StoreError::Refused`]: PostgreSQL's triggers raise `insufficient_privilege`
/// (42501, also "permission denied" for a missing grant); SQLite's triggers
/// abort with a message saying "refused" or "append-only".
pub(crate) fn refusal(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        let msg = db.message();
        if db.code().as_deref() == Some("42501") || msg.contains("refused") || msg.contains("append-only") || msg.contains("immutable") {
            return StoreError::Refused(msg.to_string());
        }
    }
    StoreError::Sql(e)
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
