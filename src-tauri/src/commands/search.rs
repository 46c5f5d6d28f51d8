//! Searching the incident list, and the preview of a hit with its words marked.

use desk_app::incidents::Preview;
use desk_app::search::{SearchRequest, SearchResults};
use desk_app::Desk;
use tauri::State;

use crate::answer::{Answer, Shown};

/// The incidents whose titles or updates hold every word of the query,
/// through the filters, newest first; with where the words are (characters).
#[tauri::command]
#[specta::specta]
pub async fn search_incidents(desk: State<'_, Desk>, request: SearchRequest) -> Answer<SearchResults> {
    desk_app::search::search(&desk, &request).await.shown(&desk)
}

/// One update of one incident as `preview_incident` gives it, with the
/// query's words marked (`<mark>`) in its pages.
#[tauri::command]
#[specta::specta]
pub async fn preview_search_match(desk: State<'_, Desk>, id: u32, update: Option<u32>, query: String) -> Answer<Preview> {
    desk_app::search::preview_with_matches(&desk, id, update, &query).await.shown(&desk)
}
