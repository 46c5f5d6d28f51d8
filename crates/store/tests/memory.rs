//! The translation memory's tables (migration 0009) on a real SQLite file and
//! on a throwaway PostgreSQL: pairs kept once per (source, ordinal), read
//! back by id, replaced per origin in one transaction; what a reader of the
//! table state learns from a rebuild; inserts recorded with who and when.

mod common;
#[path = "pg_cluster/mod.rs"]
mod pg_cluster;

use common::*;
use desk_model::{Incident, Kind, Lang, Status, Update, UpdateText};
use desk_store::{MemoryOrigin, MemoryTableState, NewIncident, NewMemoryInsert, NewMemoryPair, Store, StoreError};

fn pair(origin: MemoryOrigin, source_key: &str, ordinal: i64, update_id: Option<i64>, ja: &str, en: &str) -> NewMemoryPair {
    NewMemoryPair {
        origin,
        source_key: source_key.into(),
        ordinal,
        incident_id: None,
        update_id,
        title: "title".into(),
        text_ja: ja.into(),
        text_en: en.into(),
        pair: format!("{{\"ja\":{ja:?},\"en\":{en:?}}}"),
    }
}

/// An imported incident with one published update (and so a published revision).
fn imported() -> NewIncident {
    let mut incident = Incident::new(Kind::Incident);
    incident.title = bilingual("メール配信の遅延", "Email delivery delays");
    let mut u = Update::new(Status::Resolved);
    u.ja = UpdateText { body: Some("メール配信の遅延は解消しました。".into()), ..Default::default() };
    u.en = UpdateText { body: Some("Email delivery is back to normal.".into()), ..Default::default() };
    incident.updates.push(u);
    NewIncident { incident, source: "statuspage-json".into(), external_id: Some("m1".into()), opened_at: None }
}

/// What every backend must do the same.
async fn exercise(store: &Store) {
    assert_eq!(store.memory_table_state().await.unwrap(), MemoryTableState { count: 0, max_id: 0 });
    store.import(&[imported()], "aiko").await.unwrap();
    let published = store.published_texts(None).await.unwrap();
    assert_eq!(published.len(), 1);
    let text = &published[0];
    assert_eq!((text.position, text.title_en.as_str()), (1, "Email delivery delays"));
    assert_eq!(text.update.ja.body.as_deref(), Some("メール配信の遅延は解消しました。"));
    assert_eq!(store.published_texts(Some(text.update_id + 1000)).await.unwrap().len(), 0);

    let key = format!("update:{}", text.update_id);
    let from_update = vec![
        NewMemoryPair { incident_id: Some(text.incident_id), ..pair(MemoryOrigin::Update, &key, 0, Some(text.update_id), "メール配信の遅延は解消しました。", "Email delivery is back to normal.") },
        pair(MemoryOrigin::Update, &key, 1, Some(text.update_id), "原因", "Cause"),
    ];
    assert_eq!(store.add_memory_pairs(&from_update).await.unwrap(), 2);
    assert_eq!(store.add_memory_pairs(&from_update).await.unwrap(), 0, "the same update twice adds nothing");
    let imported = [pair(MemoryOrigin::Import, "import:old:1:1", 0, None, "ご不便をおかけしました。", "We apologise for the inconvenience.")];
    assert_eq!(store.add_memory_pairs(&imported).await.unwrap(), 1);

    let state = store.memory_table_state().await.unwrap();
    assert_eq!(state.count, 3);
    let all = store.memory_pairs_after(0).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].position, 1, "the update's position in its incident");
    assert_eq!(all[0].incident_title.en, "Email delivery delays", "the incident's title as it is now");
    assert_eq!(all[2].position, 0, "imported history has no stored update");
    assert_eq!(all[1].pair, from_update[1]);
    assert_eq!(state.max_id, all[2].id);
    let newer = store.memory_pairs_after(all[0].id).await.unwrap();
    assert_eq!(newer.iter().map(|r| r.pair.text_en.as_str()).collect::<Vec<_>>(), ["Cause", "We apologise for the inconvenience."]);

    // A rebuild of the updates' pairs keeps the imported history; a reader
    // holding the old state sees that the count does not add up.
    let rebuilt = [pair(MemoryOrigin::Update, &key, 0, Some(text.update_id), "メール配信の遅延は解消しました。", "Email delivery is back to normal.")];
    assert_eq!(store.replace_memory_pairs(&[MemoryOrigin::Update, MemoryOrigin::Template], &rebuilt).await.unwrap(), 1);
    let after = store.memory_table_state().await.unwrap();
    let added = store.memory_pairs_after(state.max_id).await.unwrap().len() as i64;
    assert_eq!(after.count, 2);
    assert!(after.max_id > state.max_id, "ids are never reused");
    assert_ne!(after.count, state.count + added, "a reader can tell the table was rebuilt");
    let mut counts = store.memory_origin_counts().await.unwrap();
    counts.sort_by_key(|c| c.0.as_str());
    assert_eq!(counts, [(MemoryOrigin::Import, 1), (MemoryOrigin::Update, 1)]);
    let wrong = store.replace_memory_pairs(&[MemoryOrigin::Template], &imported).await.unwrap_err();
    assert!(matches!(wrong, StoreError::Invalid { .. }), "{wrong}");

    // Inserts: recorded, read back per update; an unknown update or empty text refused.
    let insert = NewMemoryInsert {
        update_id: text.update_id,
        lang: Lang::En,
        text: "Email delivery is back to normal.".into(),
        source_incident: text.incident_id,
        source_update: 1,
        source_lang: Lang::En,
        source_title: "Email delivery delays".into(),
    };
    store.record_memory_insert(&insert).await.unwrap();
    let kept = store.memory_inserts(text.update_id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].insert, insert);
    assert_eq!(kept[0].actor, store.identity().await.unwrap());
    assert!(kept[0].at.ends_with('Z'));
    let missing = store.record_memory_insert(&NewMemoryInsert { update_id: text.update_id + 1000, ..insert.clone() }).await.unwrap_err();
    assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
    let empty = store.record_memory_insert(&NewMemoryInsert { text: "  ".into(), ..insert }).await.unwrap_err();
    assert!(matches!(empty, StoreError::Invalid { .. }), "{empty}");
}

#[tokio::test]
async fn sqlite_keeps_pairs_once_and_tells_a_rebuild() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap().acting_as("aiko").unwrap();
    exercise(&store).await;
    // A second connection (another process) reads what the first wrote.
    let other = Store::open(path_str(&path)).await.unwrap();
    assert_eq!(other.memory_table_state().await.unwrap().count, 2);
}

#[tokio::test]
async fn postgres_members_keep_pairs_and_inserts_are_theirs_and_stay() {
    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    Store::open(&pg.url("postgres")).await.unwrap().close().await;
    let author = Store::open(&pg.url("author")).await.unwrap();
    exercise(&author).await;
    // Another member sees the same memory and the author's insert as the author's.
    let approver = Store::open(&pg.url("approver")).await.unwrap();
    assert_eq!(approver.memory_table_state().await.unwrap(), author.memory_table_state().await.unwrap());
    let update_id = approver.published_texts(None).await.unwrap()[0].update_id;
    let inserts = approver.memory_inserts(update_id).await.unwrap();
    assert_eq!(inserts[0].actor, "author");
    // Whoever a client claims to be, the role is recorded; and an insert never changes.
    let url = pg.url("approver");
    pg_cluster::raw(
        &url,
        &format!(
            "INSERT INTO memory_inserts (update_id, lang, text, source_lang, actor, at) VALUES ({update_id}, 'ja', 'x', 'ja', 'author', '2025-01-01T00:00:00.000000Z')"
        ),
    )
    .await
    .unwrap();
    let inserts = approver.memory_inserts(update_id).await.unwrap();
    assert_eq!(inserts[1].actor, "approver");
    let err = pg_cluster::raw(&url, "UPDATE memory_inserts SET text = 'changed'").await.unwrap_err();
    assert!(err.contains("permission denied") || err.contains("append-only"), "{err}");
    assert!(approver.memory_inserts(update_id).await.unwrap().iter().all(|i| i.insert.text != "changed"));
}
