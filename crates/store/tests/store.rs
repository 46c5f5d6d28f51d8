//! The store end to end, on real database files.

mod common;

use chrono::Utc;
use common::*;
use desk_model::{Kind, Status};
use desk_store::incidents::ListQuery;
use desk_store::{CompactionPolicy, Store, StoreError, UpdateState};

#[tokio::test]
async fn drafts_are_saved_as_revisions_and_conflicts_hand_the_text_back() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), desk_store::migrations::latest_version());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap();
    assert_eq!(mode, "wal");

    let id = store.create_incident(Kind::Incident, &bilingual("ログインできない障害", "Sign-in failures"), "aiko").await.unwrap();
    let first = store.new_draft(id, &update(Status::Investigating, "ログインに失敗する", "Signing in fails"), "aiko").await.unwrap();
    assert_eq!(first.number, 1);
    let second = store
        .save_draft(first.update_id, 1, &update(Status::Investigating, "ログインに失敗する場合がある", "Signing in may fail"), "aiko")
        .await
        .unwrap();
    assert_eq!(second.number, 2);

    // Ben still has revision 1 open and saves: refused, his text handed back.
    let bens = update(Status::Identified, "ベンの文章", "Ben's text");
    let err = store.save_draft(first.update_id, 1, &bens, "ben").await.unwrap_err();
    let conflict = err.conflict().expect("a conflict");
    assert_eq!((conflict.expected_version, conflict.current_version), (1, 2));
    assert_eq!(conflict.yours, bens);
    assert_eq!(conflict.theirs.ja.symptoms, "ログインに失敗する場合がある");
    assert!(err.to_string().contains("returned to you"), "{err}");

    // Nothing of Ben's was written.
    let loaded = store.load_incident(id).await.unwrap();
    assert_eq!(loaded.updates.len(), 1);
    assert_eq!(loaded.updates[0].version, 2);
    assert_eq!(loaded.updates[0].update.ja.symptoms, "ログインに失敗する場合がある");
    assert_eq!(loaded.updates[0].state, UpdateState::Draft);

    // He merges and saves on top of revision 2.
    store.save_draft(first.update_id, 2, &bens, "ben").await.unwrap();
    let history = store.revisions(first.update_id).await.unwrap();
    assert_eq!(history.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(history[2].author, "ben");
    assert!(history[2].current);

    // Any revision can be viewed and restored (as a new revision).
    assert_eq!(store.revision(first.update_id, 1).await.unwrap().ja.symptoms, "ログインに失敗する");
    let restored = store.restore(first.update_id, 1, 3, "aiko").await.unwrap();
    assert_eq!(restored.number, 4);
    let history = store.revisions(first.update_id).await.unwrap();
    assert_eq!(history[3].note, "restored from 1");
    let loaded = store.load_incident(id).await.unwrap();
    assert_eq!(loaded.updates[0].update.ja.symptoms, "ログインに失敗する");
    assert_eq!(loaded.updates[0].update.status, Status::Investigating);

    // Unknown updates are named.
    assert!(matches!(store.save_draft(999, 1, &bens, "x").await, Err(StoreError::NotFound { what: "update", id: 999 })));
}

#[tokio::test]
async fn compaction_never_drops_the_last_reviewed_or_published_revision() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let id = store.create_incident(Kind::Incident, &bilingual("配信遅延", "Delivery delays"), "a").await.unwrap();
    let draft = store.new_draft(id, &update(Status::Investigating, "版 1", "rev 1"), "a").await.unwrap();
    let mut version = 1;
    for n in 2..=60 {
        version = store.save_draft(draft.update_id, version, &update(Status::Investigating, &format!("版 {n}"), &format!("rev {n}")), "a").await.unwrap().number;
        if n == 5 {
            // Publishing needs an approval by someone other than the author.
            store.acting_as("approver").unwrap().approve(draft.update_id, 5).await.unwrap();
            store.acting_as("a").unwrap().publish_recorded(draft.update_id, 5, None, Utc::now()).await.unwrap();
        }
        if n == 7 {
            store.mark_reviewed(draft.update_id, 7, "approver").await.unwrap();
        }
    }
    // All saved within a second or so: one window, so only its last one, the
    // newest, and the pinned survive.
    let dropped = store.compact(draft.update_id, CompactionPolicy { keep_latest: 10, ..Default::default() }).await.unwrap();
    let kept: Vec<i64> = store.revisions(draft.update_id).await.unwrap().iter().map(|r| r.number).collect();
    assert!(kept.contains(&5) && kept.contains(&7), "{kept:?}");
    assert!(kept.ends_with(&(51..=60).collect::<Vec<_>>()), "{kept:?}");
    assert_eq!(dropped + kept.len(), 60);
    assert!(dropped >= 45, "{dropped}");
    let info = store.revisions(draft.update_id).await.unwrap();
    assert!(info.iter().any(|r| r.number == 7 && r.reviewed));
    assert!(info.iter().any(|r| r.number == 5 && r.published));
    // Published: the incident's status follows it; further edits still save.
    let loaded = store.load_incident(id).await.unwrap();
    assert_eq!(loaded.updates[0].state, UpdateState::Published);
    assert_eq!(store.revision(draft.update_id, 5).await.unwrap().ja.symptoms, "版 5");
}

#[tokio::test]
async fn search_finds_japanese_and_english_long_and_short() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let a = store.create_incident(Kind::Incident, &bilingual("ジョブフローで障害", "Job flow failures"), "a").await.unwrap();
    let b = store.create_incident(Kind::Incident, &bilingual("メール配信の遅延", "Email delivery delays"), "a").await.unwrap();
    let d = store.new_draft(a, &update(Status::Investigating, "一部のジョブが失敗しています", "Some jobs fail"), "a").await.unwrap();
    store.new_draft(b, &update(Status::Investigating, "メールの送信が遅れています", "Emails are sent late"), "a").await.unwrap();

    let ids = |v: Vec<desk_store::IncidentSummary>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(store.search("ジョブが失敗", 0).await.unwrap()), [a]);
    assert_eq!(ids(store.search("ジョブフロー", 0).await.unwrap()), [a]);
    assert_eq!(ids(store.search("delivery", 0).await.unwrap()), [b]);
    assert_eq!(ids(store.search("EMAILS", 0).await.unwrap()), [b]);
    // Two characters: no trigram, LIKE.
    assert_eq!(ids(store.search("遅延", 0).await.unwrap()), [b]);
    assert_eq!(ids(store.search("メール 遅れ", 0).await.unwrap()), [b]);
    // One character: LIKE alone. Two, at the very end of a text: still found.
    assert_eq!(ids(store.search("遅", 0).await.unwrap()), [b]);
    assert_eq!(ids(store.search("ays", 0).await.unwrap()), [b]);
    assert_eq!(ids(store.search("ys", 0).await.unwrap()), [b]);
    assert!(store.search("ず", 0).await.unwrap().is_empty());
    assert!(store.search("ずっと", 0).await.unwrap().is_empty());
    let mut both = ids(store.search("障害 OR", 0).await.unwrap());
    both.sort();
    assert!(both.is_empty(), "terms are ANDed: {both:?}");
    assert!(store.search("  ", 0).await.unwrap().is_empty());
    assert!(store.search("\"; DROP", 0).await.unwrap().is_empty());

    // Edits are searchable at once; old words are gone.
    store.save_draft(d.update_id, 1, &update(Status::Identified, "証明書の期限切れが原因です", "An expired certificate"), "a").await.unwrap();
    assert_eq!(ids(store.search("証明書", 0).await.unwrap()), [a]);
    assert!(store.search("ジョブが失敗", 0).await.unwrap().is_empty());
    assert_eq!(ids(store.search("ジョブフロー", 0).await.unwrap()), [a], "the title still matches");
}

#[tokio::test]
async fn list_filters_by_status_newest_first() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let a = store.create_incident(Kind::Incident, &bilingual("一つ目", "First"), "a").await.unwrap();
    let b = store.create_incident(Kind::Incident, &bilingual("二つ目", "Second"), "a").await.unwrap();
    store.new_draft(a, &update(Status::Resolved, "解消しました", "Resolved"), "a").await.unwrap();
    store.new_draft(b, &update(Status::Investigating, "調査中", "Investigating"), "a").await.unwrap();
    let all = store.list(&ListQuery::default()).await.unwrap();
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [b, a]);
    assert_eq!(all[0].updates, 1);
    let resolved = store.list(&ListQuery { status: Some(Status::Resolved), ..Default::default() }).await.unwrap();
    assert_eq!(resolved.iter().map(|s| s.id).collect::<Vec<_>>(), [a]);
    assert_eq!(resolved[0].title.en, "First");
}

#[tokio::test]
async fn meta_saves_are_checked_too() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let id = store.create_incident(Kind::Incident, &bilingual("旧題", "Old"), "a").await.unwrap();
    let mut inc = store.export(id).await.unwrap();
    inc.title.ja = "新題".into();
    assert_eq!(store.save_incident_meta(id, 1, &inc, "a").await.unwrap(), 2);
    assert!(matches!(store.save_incident_meta(id, 1, &inc, "b").await, Err(StoreError::IncidentConflict(_, 1, 2))));
    assert_eq!(store.export(id).await.unwrap().title.ja, "新題");
    assert_eq!(store.search("新題", 0).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_unreachable_postgres_is_named_at_once() {
    let started = std::time::Instant::now();
    let err = Store::open("postgres://nobody@127.0.0.1:1/desk").await.unwrap_err();
    assert!(err.to_string().contains("cannot connect to PostgreSQL (127.0.0.1:1 as nobody)"), "{err}");
    assert!(started.elapsed().as_secs() < 10);
}

#[tokio::test]
async fn settings_are_json_values() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    assert_eq!(store.setting("period_style").await.unwrap(), None);
    let style = serde_json::json!({ "time_zone": "Asia/Tokyo" });
    store.set_setting("period_style", &style, "admin").await.unwrap();
    store.set_setting("period_style", &style, "admin").await.unwrap();
    assert_eq!(store.setting("period_style").await.unwrap(), Some(style));
}

/// A postmortem's timeline is part of its draft: each save keeps it in the
/// revision, an old revision restores it, and the export writes it.
#[tokio::test]
async fn a_timeline_rides_along_with_the_drafts_revisions() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let id = store.create_incident(Kind::Incident, &bilingual("アクセスできない障害", "Service unavailable"), "aiko").await.unwrap();
    let at = |s: &str| desk_model::period::timestamp::parse(s).unwrap();
    let entry = |t: &str, ja: &str, en: &str| desk_model::TimelineEntry { at: at(t), approximate: false, status: None, ja: ja.into(), en: en.into() };
    let mut pm = update(Status::Postmortem, "およそ20時間ご利用いただけませんでした", "Unavailable for about 20 hours");
    pm.timeline = desk_model::timeline::prefill(&desk_model::Incident::new(Kind::Incident));
    pm.timeline.push(entry("2024-06-17T06:00:00+09:00", "再開", "Reopened"));
    let first = store.new_draft(id, &pm, "aiko").await.unwrap();
    pm.timeline.push(desk_model::TimelineEntry { status: Some(Status::Resolved), ..entry("2024-06-18T01:40:00+09:00", "復旧", "Restored") });
    pm.timeline[0].approximate = true;
    let second = store.save_draft(first.update_id, first.number, &pm, "aiko").await.unwrap();

    assert_eq!(store.revision(first.update_id, 1).await.unwrap().timeline.len(), 1);
    let latest = store.revision(first.update_id, second.number).await.unwrap();
    assert_eq!(latest.timeline, pm.timeline);
    let exported = desk_model::IncidentDocument::write(&store.export(id).await.unwrap());
    assert!(exported.contains("[[updates.timeline]]\nat = \"2024-06-17T06:00:00+09:00\"\napproximate = true\nja = \"再開\""), "{exported}");
    assert!(exported.contains("status = \"resolved\""), "{exported}");

    // Restoring revision 1 brings its one-entry timeline back, as a new revision.
    store.restore(first.update_id, 1, second.number, "aiko").await.unwrap();
    let loaded = store.load_incident(id).await.unwrap();
    assert_eq!(loaded.updates[0].update.timeline.len(), 1);
    assert!(!loaded.updates[0].update.timeline[0].approximate);
}
