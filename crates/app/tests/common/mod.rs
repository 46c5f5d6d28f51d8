//! What the application-layer tests share: a `Desk` on a real SQLite file.

use std::path::Path;

use desk_app::{Desk, DeskOptions};
use desk_store::Store;

/// A Desk on `dir/desk.db` (its data folder `dir/app`) with the in-process
/// keychain, acting as `who` (`None`: the OS user).
pub async fn desk_at(dir: &Path, who: Option<&str>) -> Desk {
    desk_keychain::memory::install();
    let store = Store::open(dir.join("desk.db").to_str().unwrap()).await.unwrap();
    let store = match who {
        Some(who) => store.acting_as(who).unwrap(),
        None => store,
    };
    let mut options = DeskOptions::new(dir.join("app"));
    options.in_memory_keychain = true;
    Desk::start(store, options).await.unwrap()
}
