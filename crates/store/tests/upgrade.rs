//! A database made with the first schema, carrying data, is brought up to date.

mod common;

use common::*;
use desk_store::{migrations, Store};
use sqlx::sqlite::SqlitePoolOptions;

#[tokio::test]
async fn upgrades_from_the_first_schema_keeping_data() {
    let (_dir, path) = temp_db();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let options = desk_store::connect_options(path_str(&path)).unwrap();
    let pool = SqlitePoolOptions::new().connect_with(options).await.unwrap();
    migrations::migrator_up_to(1).await.unwrap().run(&pool).await.unwrap();

    // Data as schema 1 held it.
    let update = serde_json::to_string(&update(desk_model::Status::Resolved, "証明書の期限切れで接続に失敗", "Connections failed")).unwrap();
    for stmt in [
        "INSERT INTO incidents (id, title_ja, title_en, status, opened_at, created_at, updated_at)
         VALUES (7, '接続障害', 'Connection failures', 'resolved', '2024-01-02T03:04:05.000000Z', '2024-01-02T03:04:05.000000Z', '2024-01-02T03:04:05.000000Z')",
        "INSERT INTO updates (id, incident_id, position, state, status, version, text_ja, text_en, published_revision, created_at)
         VALUES (70, 7, 1, 'published', 'resolved', 1, '証明書の期限切れで接続に失敗', 'Connections failed', 1, '2024-01-02T03:04:05.000000Z')",
    ] {
        sqlx::query(stmt).execute(&pool).await.unwrap();
    }
    sqlx::query("INSERT INTO revisions (update_id, number, content, saved_at) VALUES (70, 1, $1, '2024-01-02T03:04:05.000000Z')")
        .bind(&update)
        .execute(&pool)
        .await
        .unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&pool).await.unwrap();
    assert_eq!(applied, 1);
    pool.close().await;

    let store = Store::open(path_str(&path)).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), migrations::latest_version());
    let loaded = store.load_incident(7).await.unwrap();
    assert_eq!(loaded.title.ja, "接続障害");
    assert_eq!(loaded.updates[0].update.ja.symptoms, "証明書の期限切れで接続に失敗");
    // The search index added by the upgrade holds the old data.
    assert_eq!(store.search("期限切れ", 0).await.unwrap().len(), 1);
    assert_eq!(store.search("connection", 0).await.unwrap().len(), 1);
    assert_eq!(store.integrity_check().await.unwrap(), "ok");
}

#[tokio::test]
async fn a_pool_opened_elsewhere_is_verified_not_migrated_twice() {
    let (_dir, path) = temp_db();
    Store::open(path_str(&path)).await.unwrap().close().await;
    // As tauri-plugin-sql opens it: plain options, no pragmas of ours.
    let url = format!("sqlite:{}", path.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let store = Store::from_migrated_pool(pool.clone()).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), migrations::latest_version());
    let again = Store::from_pool(pool).await.unwrap();
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(again.pool()).await.unwrap();
    assert_eq!(runs, migrations::MIGRATIONS.len() as i64);
    again.close().await;

    // A fresh file that nobody migrated is refused by from_migrated_pool.
    let (_dir2, other) = temp_db();
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}?mode=rwc", other.display())).await.unwrap();
    assert!(Store::from_migrated_pool(pool.clone()).await.is_err());
    pool.close().await;
}
