//! Where the data lives: the first start's question (alone or a team) and
//! the settings' way to change it.

use desk_app::connection::{ConnectionCheck, ConnectionState, JoinOutcome, TeamAddress};
use desk_app::Desk;
use tauri::State;

use crate::answer::{Answer, Shown};
use crate::database::{Connection, Restart};

/// What this run uses, whether to ask the first-start question, and the drafts a join can take along.
#[tauri::command]
#[specta::specta]
pub async fn connection_state(desk: State<'_, Desk>, connection: State<'_, Connection>) -> Answer<ConnectionState> {
    desk_app::connection::state(&desk, &connection.data_dir, connection.current.clone(), connection.overridden).await.shown(&desk)
}

/// Tries a team database with a password, and says in plain words what is wrong.
#[tauri::command]
#[specta::specta]
pub async fn test_team_connection(desk: State<'_, Desk>, address: TeamAddress, password: String) -> Answer<ConnectionCheck> {
    desk_app::connection::test_team(&address, &password, desk.ui_language()).await.shown(&desk)
}

/// Joins the team database from the next start (the password to the keychain, drafts copied when asked).
#[tauri::command]
#[specta::specta]
pub async fn join_team(desk: State<'_, Desk>, connection: State<'_, Connection>, address: TeamAddress, password: String, move_drafts: bool) -> Answer<JoinOutcome> {
    desk_app::connection::join_team(&desk, &connection.data_dir, &address, &password, move_drafts, desk.ui_language()).await.shown(&desk)
}

/// Works alone (this computer's database) from the next start.
#[tauri::command]
#[specta::specta]
pub async fn work_alone(desk: State<'_, Desk>, connection: State<'_, Connection>) -> Answer<()> {
    desk_app::connection::work_alone(&connection.data_dir).shown(&desk)
}

/// Starts the app again, to open the database just chosen.
#[tauri::command]
#[specta::specta]
pub fn restart_app(restart: State<'_, Restart>) {
    (restart.0)();
}
