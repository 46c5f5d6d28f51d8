//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder
//! under /tmp, started with `pg_ctl` on a free port (127.0.0.1 only, password
//! logins), stopped and removed on drop. Run as the `postgres` OS user when
//! the tests run as root (PostgreSQL refuses to run as root).
//!
//! Roles, as a team would have them (crates/store/sql/postgres-team-setup.sql):
//! `postgres` (superuser, owns the schema, runs the migrations), the groups
//! `desk_user` and `desk_admin`, and the login roles `author`, `approver`
//! (desk_user) and `lead` (desk_admin).
//!
//! `PgCluster::start()` returns `None`, printing why, when the PostgreSQL
//! binaries are absent: callers skip. With `CI=true` it fails instead.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SUPERUSER_PASSWORD: &str = "super-secret";

pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
    pub port: u16,
}

/// Where the PostgreSQL server binaries are: `PG_BIN`, else Debian's
/// /usr/lib/postgresql/<newest>/bin, else `initdb` on the PATH.
fn find_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return Some(PathBuf::from(dir)).filter(|d| d.join("initdb").exists());
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    versions.sort_by_key(|p| p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()));
    if let Some(b) = versions.pop() {
        return Some(b);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

impl PgCluster {
    /// Starts a fresh cluster with the team's roles and an empty `desk`
    /// database; `None` (after printing SKIPPED) when PostgreSQL is absent.
    pub fn start() -> Option<PgCluster> {
        let cluster = PgCluster::start_bare()?;
        let _ = cluster.psql(
            "postgres",
            &[
                "CREATE ROLE desk_user NOLOGIN",
                "CREATE ROLE desk_admin NOLOGIN IN ROLE desk_user",
                "CREATE ROLE author LOGIN PASSWORD 'author-pw' IN ROLE desk_user",
                "CREATE ROLE approver LOGIN PASSWORD 'approver-pw' IN ROLE desk_user",
                "CREATE ROLE lead LOGIN PASSWORD 'lead-pw' IN ROLE desk_admin",
                "CREATE DATABASE desk",
            ],
        );
        Some(cluster)
    }

    /// A started cluster with only the superuser `postgres` and no `desk` database.
    pub fn start_bare() -> Option<PgCluster> {
        let Some(bin) = find_bin() else {
            let why = "PostgreSQL binaries (initdb, pg_ctl) not found; install Debian's `postgresql` package (./scripts/test does) or set PG_BIN";
            // CI must run the team-mode tests, not pass without them.
            assert!(std::env::var("CI").as_deref() != Ok("true"), "{why} (CI=true: the PostgreSQL tests may not be skipped)");
            println!("SKIPPED: {why}");
            return None;
        };
        let as_postgres = is_root();
        let dir = tempfile::Builder::new().prefix("desk-pg-").tempdir_in("/tmp").expect("temp dir");
        let port = TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().unwrap().port();
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).unwrap();
        if as_postgres {
            let _ = run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()));
        }
        let cluster = PgCluster { dir, bin, as_postgres, port };
        let data = cluster.data();
        cluster.run_pg(
            "initdb",
            &[
                "-D", &data, "-U", "postgres", "--pwfile", pwfile.to_str().unwrap(), "-E", "UTF8", "--locale=C",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync",
            ],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("server.log");
        cluster.run_pg("pg_ctl", &["-D", &data, "-o", &options, "-l", log.to_str().unwrap(), "-w", "-t", "60", "start"]);
Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run_pg(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir("/tmp");
        let _ = run(&mut cmd);
    }

    /// Runs statements one by one as the superuser with psql; their output
    /// (tuples only, unaligned).
    pub fn psql(&self, database: &str, statements: &[&str]) -> String {
        let psql = if self.bin.join("psql").exists() { self.bin.join("psql") } else { PathBuf::from("psql") };
        let mut cmd = Command::new(psql);
        cmd.args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", database])
            .env("PGPASSWORD", SUPERUSER_PASSWORD);
        for s in statements {
            cmd.args(["-c", s]);
        }
        run(&mut cmd)
    }

    /// Runs a file of SQL as the superuser with psql (stops at the first error).
    pub fn psql_file(&self, database: &str, file: &Path) -> String {
        let psql = if self.bin.join("psql").exists() { self.bin.join("psql") } else { PathBuf::from("psql") };
        let mut cmd = Command::new(psql);
        cmd.args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", database, "-f"])
            .arg(file)
            .env("PGPASSWORD", SUPERUSER_PASSWORD);
        run(&mut cmd)
    }

    /// A URL for any database and role.
    pub fn url_for(&self, role: &str, password: &str, database: &str) -> String {
        format!("postgres://{role}:{password}@127.0.0.1:{}/{database}", self.port)
    }

    /// A URL for the `desk` database as one of the roles (password in it).
    pub fn url(&self, role: &str) -> String {
        let password = match role {
            "postgres" => SUPERUSER_PASSWORD.to_string(),
            other => format!("{other}-pw"),
        };
        format!("postgres://{role}:{password}@127.0.0.1:{}/desk", self.port)
    }

    /// The same without the password (give it through PGPASSWORD).
    pub fn url_without_password(&self, role: &str) -> String {
        format!("postgres://{role}@127.0.0.1:{}/desk", self.port)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data();
        let exe = self.bin.join("pg_ctl");
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let _ = cmd.args(["-D", &data, "-m", "immediate", "-w", "stop"]).current_dir("/tmp").output();
    }
}

/// Runs SQL (one or more statements) as a role on its own connection, as a
/// modified client or psql would: the rows affected, or the error text.
pub async fn raw(url: &str, sql: &str) -> Result<u64, String> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let r = sqlx::raw_sql(sql).execute(&mut conn).await.map(|r| r.rows_affected()).map_err(|e| e.to_string());
    conn.close().await.unwrap();
    r
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
