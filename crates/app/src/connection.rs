//! Where this computer's Incident Desk keeps its data: a database of its own
//! (working alone) or the team's PostgreSQL. The choice is made at the first
//! start, without a terminal, and kept in the data folder
//! (`connection.json`); the team password goes to the OS keychain, never to
//! a file. `DESK_DB` still overrides the choice (tests, administrators).

use std::path::{Path, PathBuf};
use std::time::Duration;

use desk_keychain::{KeyStore, KeyringStore};
use desk_statuspage::ApiKey;
use desk_model::{Bilingual, Kind, Lang};
use desk_store::team::{check_team, TeamProblem};
use desk_store::{Store, UpdateState};
use serde::{Deserialize, Serialize};

use crate::desk::keychain_account;
use crate::{AppError, Desk, ErrorKind, Result};

/// The file in the data folder that keeps the choice.
pub const CHOICE_FILE: &str = "connection.json";

/// How long testing a team database may take before "unreachable".
const CHECK_TIMEOUT: Duration = Duration::from_secs(6);

/// A team database's address, as the person types it (no password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct TeamAddress {
    pub host: String,
    pub port: u16,
    pub database: String,
    /// The person's role name on the server (their login).
    pub role: String,
}

impl TeamAddress {
    /// `postgres://role@host:port/database` (no password: it lives in the keychain).
    pub fn url(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("postgres://{}@{}:{}/{}", encode(&self.role), host, self.port, encode(&self.database))
    }

    /// The parts of a `postgres://role[:password]@host[:port]/database[?…]` URL
    /// (`DESK_DB`), for saying where the app is connected; the password is dropped.
    pub fn from_url(url: &str) -> TeamAddress {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
        let (user, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
        let role = user.split(':').next().unwrap_or("").to_string();
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h.trim_matches(['[', ']']).to_string(), p.parse().unwrap_or(5432)),
            _ => (host_port.to_string(), 5432),
        };
        let database = database.split('?').next().unwrap_or("").to_string();
        TeamAddress { host, port, database, role }
    }

    /// The same address with each part trimmed, or the field that is missing.
    fn checked(&self) -> Result<TeamAddress> {
        let address = TeamAddress {
            host: self.host.trim().to_string(),
            port: self.port,
            database: self.database.trim().to_string(),
            role: self.role.trim().to_string(),
        };
        let missing = |field: &str, ja: &str, en: &str| Err(AppError::invalid(field, format!("{ja}を入力してください。"), format!("Enter the {en}.")));
        if address.host.is_empty() || address.host.contains(['/', '@', ' ']) {
            return missing("host", "サーバーのアドレス（ホスト名または IP アドレス）", "server's address (host name or IP address)");
        }
        if address.port == 0 {
            return missing("port", "ポート番号（通常は 5432）", "port (usually 5432)");
        }
        if address.database.is_empty() {
            return missing("database", "データベース名", "database name");
        }
        if address.role.is_empty() {
            return missing("role", "ロール名（サーバーでのあなたのログイン名）", "role name (your login on the server)");
        }
        Ok(address)
    }
}

/// Percent-encodes what a URL's user or path part cannot hold as it is.
fn encode(part: &str) -> String {
    part.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What this computer was told to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ConnectionChoice {
    /// A database on this computer (SQLite), for one person.
    Alone,
    /// The team's PostgreSQL.
    Team { address: TeamAddress },
}

/// Where the choice is kept for a data folder.
pub fn choice_path(data_dir: &Path) -> PathBuf {
    data_dir.join(CHOICE_FILE)
}

/// The saved choice; none at the first start (or when the file cannot be read).
pub fn saved_choice(data_dir: &Path) -> Option<ConnectionChoice> {
    let text = std::fs::read_to_string(choice_path(data_dir)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Keeps the choice for the next start.
pub fn save_choice(data_dir: &Path, choice: &ConnectionChoice) -> Result<()> {
    std::fs::create_dir_all(data_dir)
        .and_then(|_| std::fs::write(choice_path(data_dir), serde_json::to_string_pretty(choice).expect("serialisable")))
        .map_err(|e| {
            AppError::new(
                ErrorKind::Unavailable,
                format!("設定を保存できませんでした（{}）: {e}", data_dir.display()),
                format!("Could not keep the choice in {}: {e}", data_dir.display()),
            )
        })
}

/// What the app is using now, and whether the first-start question is due.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionState {
    /// Nothing chosen yet (and `DESK_DB` not set): ask.
    pub first_start: bool,
    /// What this run uses.
    pub current: ConnectionChoice,
    /// Set by `DESK_DB`: the choice on screen does not apply until it is unset.
    pub overridden: bool,
    /// This computer's drafts, which joining a team can take along (only in single-person mode).
    pub local_drafts: Vec<LocalDraft>,
}

/// An incident on this computer that has never been published: joining a team can move it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LocalDraft {
    pub id: u32,
    pub kind: Kind,
    pub title: Bilingual<String>,
}

/// The state for the UI: `current` is what the shell opened, `data_dir` where choices live.
pub async fn state(desk: &Desk, data_dir: &Path, current: ConnectionChoice, overridden: bool) -> Result<ConnectionState> {
    let local_drafts = if current == ConnectionChoice::Alone { local_drafts(&desk.store).await? } else { Vec::new() };
    Ok(ConnectionState { first_start: !overridden && saved_choice(data_dir).is_none(), current, overridden, local_drafts })
}

/// Incidents made here whose updates are all unpublished drafts.
async fn local_drafts(store: &Store) -> Result<Vec<LocalDraft>> {
    let mut drafts = Vec::new();
    let every = desk_store::ListQuery { limit: i64::MAX, ..Default::default() };
    for summary in store.list(&every).await? {
        let stored = store.load_incident(summary.id).await?;
        if stored.source == "app" && !stored.updates.is_empty() && stored.updates.iter().all(|u| u.state == UpdateState::Draft) {
            drafts.push(LocalDraft { id: stored.id as u32, kind: stored.kind, title: stored.title.clone() });
        }
    }
    Ok(drafts)
}

/// The outcome of testing a team database, in plain words.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionCheck {
    pub ok: bool,
    /// `unreachable`, `login`, `no_database`, `not_set_up`, `behind`, `bad_address`, `other`; none when ok.
    pub problem: Option<String>,
    /// What happened and what to do, in the UI's language.
    pub message: String,
    /// The form field to look at, when one is to blame.
    pub field: Option<String>,
}

/// Tries the address with the password: can the role log in, is the
/// database set up for Incident Desk, is its schema current?
pub async fn test_team(address: &TeamAddress, password: &str, lang: Lang) -> Result<ConnectionCheck> {
    let address = address.checked()?;
    let password = Some(password).filter(|p| !p.is_empty());
    let outcome = check_team(&address.url(), password, CHECK_TIMEOUT).await;
    Ok(explain(&address, outcome, lang))
}

fn explain(address: &TeamAddress, outcome: std::result::Result<(), TeamProblem>, lang: Lang) -> ConnectionCheck {
    let TeamAddress { host, port, database, role } = address;
    let (problem, field, words): (Option<&str>, Option<&str>, Bilingual<String>) = match outcome {
        Ok(()) => (None, None, Bilingual {
            ja: format!("接続できました。{host}:{port} のデータベース {database} に、ロール {role} で参加できます。"),
            en: format!("Connected. You can join the database {database} at {host}:{port} as {role}."),
        }),
        Err(TeamProblem::Unreachable) => (Some("unreachable"), Some("host"), Bilingual {
            ja: format!("{host}:{port} のサーバーに届きません。アドレスとポート番号、この PC のネットワーク（VPN など）を確かめてください。"),
            en: format!("Cannot reach a server at {host}:{port}. Check the address and port, and this computer's network (VPN, for example)."),
        }),
        Err(TeamProblem::Login) => (Some("login"), Some("password"), Bilingual {
            ja: format!("サーバーには届きましたが、ロール {role} でログインできません。ロール名とパスワードを確かめてください（わからなければチームの管理者に聞いてください）。"),
            en: format!("The server answered, but would not let {role} log in. Check the role name and the password (your team's administrator knows them)."),
        }),
        Err(TeamProblem::NoDatabase) => (Some("no_database"), Some("database"), Bilingual {
            ja: format!("サーバーにデータベース {database} がありません。データベース名を確かめてください。"),
            en: format!("The server has no database called {database}. Check the database name."),
        }),
        Err(TeamProblem::NotSetUp) => (Some("not_set_up"), Some("database"), Bilingual {
            ja: format!("データベース {database} は Incident Desk 用に準備されていません。チームの管理者が一度だけ準備します（README「チームで使う」）。"),
            en: format!("The database {database} is not set up for Incident Desk. Your team's administrator sets it up once (README, team mode)."),
        }),
        Err(TeamProblem::Behind { have, need }) => (Some("behind"), None, Bilingual {
            ja: format!("データベース {database} の形式が古い版です（{have}、この版の Incident Desk は {need} が必要）。チームの管理者が更新します。"),
            en: format!("The database {database} is at an older schema ({have}; this Incident Desk needs {need}). Your team's administrator brings it up to date."),
        }),
        Err(TeamProblem::BadAddress(why)) => (Some("bad_address"), Some("host"), Bilingual {
            ja: format!("アドレスを読み取れません: {why}"),
            en: format!("The address cannot be read: {why}"),
        }),
        Err(TeamProblem::Other(why)) => (Some("other"), None, Bilingual {
            ja: format!("接続できませんでした: {why}"),
            en: format!("Could not connect: {why}"),
        }),
    };
    ConnectionCheck {
        ok: problem.is_none(),
        problem: problem.map(str::to_string),
        message: words.get(lang).clone(),
        field: field.map(str::to_string),
    }
}

/// What joining did.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct JoinOutcome {
    /// Drafts copied into the team database (they stay on this computer too).
    pub moved: Vec<Bilingual<String>>,
    /// The app opens the team database at its next start.
    pub restart_needed: bool,
}

/// Joins the team database: tests it, keeps the password in the OS keychain,
/// copies this computer's drafts into it when asked (one by one: a failure midway
/// keeps no choice, and what was copied stays in the team database), and keeps
/// the choice for the next start.
pub async fn join_team(desk: &Desk, data_dir: &Path, address: &TeamAddress, password: &str, move_drafts: bool, lang: Lang) -> Result<JoinOutcome> {
    let check = test_team(address, password, lang).await?;
    if !check.ok {
        let field = check.field.clone().unwrap_or_else(|| "host".into());
        return Err(AppError::new(ErrorKind::Unavailable, check.message.clone(), check.message).on_field(&field));
    }
    let address = address.checked()?;
    let url = address.url();
    if !password.is_empty() {
        keep_password(&url, password)?;
    }
    let mut moved = Vec::new();
    if move_drafts {
        let team = Store::open_postgres(&url, Some(password).filter(|p| !p.is_empty())).await?;
        for draft in local_drafts(&desk.store).await? {
            let stored = desk.store.load_incident(draft.id as i64).await?;
            let incident = stored.to_incident();
            let id = team.create_incident(stored.kind, &stored.title, &address.role).await?;
            for update in &incident.updates {
                team.new_draft(id, update, &address.role).await?;
            }
            moved.push(stored.title);
        }
    }
    save_choice(data_dir, &ConnectionChoice::Team { address })?;
    Ok(JoinOutcome { moved, restart_needed: true })
}

/// Works alone from the next start (this computer's database).
pub fn work_alone(data_dir: &Path) -> Result<()> {
    save_choice(data_dir, &ConnectionChoice::Alone)
}

/// The password into the OS keychain (on a thread of its own: the keychain
/// client may run its own runtime).
fn keep_password(url: &str, password: &str) -> Result<()> {
    let account = keychain_account(url);
    let secret = ApiKey::new(password).map_err(|e| AppError::invalid("password", e.to_string(), e.to_string()))?;
    std::thread::spawn(move || KeyringStore::default().set(&account, &secret))
        .join()
        .expect("the keychain thread ends")
        .map_err(|e| {
            AppError::new(
                ErrorKind::Unavailable,
                format!("パスワードを OS のキーチェーンに保存できませんでした: {e}"),
                format!("Could not keep the password in the OS keychain: {e}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> TeamAddress {
        TeamAddress { host: " db.example.internal ".into(), port: 5432, database: "desk".into(), role: "aiko".into() }
    }

    #[test]
    fn the_url_carries_no_password_and_encodes_what_it_must() {
        let a = address().checked().unwrap();
        assert_eq!(a.url(), "postgres://aiko@db.example.internal:5432/desk");
        let odd = TeamAddress { host: "::1".into(), port: 6543, database: "チーム".into(), role: "sato.k@corp".into() };
        assert_eq!(odd.url(), "postgres://sato.k%40corp@[::1]:6543/%E3%83%81%E3%83%BC%E3%83%A0");
    }

    #[test]
    fn a_url_reads_back_into_its_parts_without_the_password() {
        let a = TeamAddress::from_url("postgres://aiko:secret@db.example.internal:6543/desk?sslmode=require");
        assert_eq!(a, TeamAddress { host: "db.example.internal".into(), port: 6543, database: "desk".into(), role: "aiko".into() });
        assert_eq!(TeamAddress::from_url("postgres://ben@127.0.0.1/desk").port, 5432);
        let own = address().checked().unwrap();
        assert_eq!(TeamAddress::from_url(&own.url()), own);
    }

    #[test]
    fn a_missing_part_names_its_field() {
        let mut a = address();
        a.role = "  ".into();
        let e = a.checked().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("role"));
        assert!(e.message.ja.contains("ロール名"), "{}", e.message.ja);
    }

    #[test]
    fn the_choice_is_kept_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(saved_choice(dir.path()), None);
        let team = ConnectionChoice::Team { address: address().checked().unwrap() };
        save_choice(dir.path(), &team).unwrap();
        assert_eq!(saved_choice(dir.path()), Some(team));
        work_alone(dir.path()).unwrap();
        assert_eq!(saved_choice(dir.path()), Some(ConnectionChoice::Alone));
    }

    #[tokio::test]
    async fn nothing_listening_is_unreachable_in_plain_words() {
        // A port just released: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let a = TeamAddress { host: "127.0.0.1".into(), port, database: "desk".into(), role: "aiko".into() };
        let check = test_team(&a, "pw", Lang::Ja).await.unwrap();
        assert!(!check.ok);
        assert_eq!(check.problem.as_deref(), Some("unreachable"));
        assert_eq!(check.field.as_deref(), Some("host"));
        assert!(check.message.contains(&format!("127.0.0.1:{port} のサーバーに届きません")), "{}", check.message);
    }
}
