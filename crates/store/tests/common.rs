//! Helpers shared by the store's integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use desk_model::{Bilingual, Status, Update, UpdateText};

/// A fresh database file in its own temporary folder.
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested").join("desk.db");
    (dir, path)
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub fn bilingual(ja: &str, en: &str) -> Bilingual<String> {
    Bilingual { ja: ja.into(), en: en.into() }
}

/// An update with a symptoms section in both languages.
pub fn update(status: Status, ja: &str, en: &str) -> Update {
    let mut u = Update::new(status);
    u.ja = UpdateText { symptoms: ja.into(), ..Default::default() };
    u.en = UpdateText { symptoms: en.into(), ..Default::default() };
    u
}

/// The seed history, when `../shared` is beside the repository.
pub fn seed() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/000_81e5634fc690bc19.txt");
    if p.exists() {
        Some(p)
    } else {
        println!("SKIPPED: {} is absent (a clone without ../shared)", p.display());
        None
    }
}
