//! Checking a team database before joining it: can this role log in, and is
//! the database set up for Incident Desk? Each problem is told apart, so the
//! person joining can be told in plain words what to fix.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::migrations;

/// Why a team database cannot be used (yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamProblem {
    /// The address is not a `postgres://` URL the store can read.
    BadAddress(String),
    /// Nothing answers at the host and port (refused, unknown host, timed out).
    Unreachable,
    /// The server answered but refused this role: wrong password, unknown role, or no entry for it.
    Login,
    /// The server has no database of that name.
    NoDatabase,
    /// The database exists but Incident Desk's schema was never created in it.
    NotSetUp,
    /// The schema is older than this app's (its owner brings it up to date with `desk`).
    Behind { have: i64, need: i64 },
    /// Anything else, in the server's or driver's words.
    Other(String),
}

/// Connects once as the URL's role (with `password` when given) and checks
/// the schema's version. Takes at most about `timeout`.
pub async fn check_team(url: &str, password: Option<&str>, timeout: Duration) -> Result<(), TeamProblem> {
    let mut options = PgConnectOptions::from_str(url)
        .map_err(|e| TeamProblem::BadAddress(e.to_string()))?
        .application_name("incident-desk")
        .disable_statement_logging();
    if let Some(password) = password {
        options = options.password(password);
    }
    let mut connection = match tokio::time::timeout(timeout, sqlx::PgConnection::connect_with(&options)).await {
        Err(_elapsed) => return Err(TeamProblem::Unreachable),
        Ok(Err(e)) => return Err(connect_problem(&e)),
        Ok(Ok(connection)) => connection,
    };
    let applied: Result<Option<i64>, sqlx::Error> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut connection).await;
    let _ = connection.close().await;
    let need = migrations::latest_postgres_version();
    match applied {
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Err(TeamProblem::NotSetUp),
        Err(e) => Err(TeamProblem::Other(e.to_string())),
        Ok(None) => Err(TeamProblem::NotSetUp),
        Ok(Some(have)) if have < need => Err(TeamProblem::Behind { have, need }),
        Ok(Some(_)) => Ok(()),
    }
}

/// Sorts a failed connection by what the person can do about it.
fn connect_problem(error: &sqlx::Error) -> TeamProblem {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut => TeamProblem::Unreachable,
        sqlx::Error::Database(e) => match e.code().as_deref() {
            // invalid_password, invalid_authorization_specification (unknown role, no pg_hba entry)
            Some("28P01") | Some("28000") => TeamProblem::Login,
            // invalid_catalog_name
            Some("3D000") => TeamProblem::NoDatabase,
            _ => TeamProblem::Other(e.message().to_string()),
        },
        other => TeamProblem::Other(other.to_string()),
    }
}
