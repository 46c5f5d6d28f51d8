//! The versioned template library (migration 0004).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use desk_model::{Kind, Lang, Status};
use desk_store::{Store, StoreError};
use desk_templates::library::{read_dir, write_dir};
use desk_templates::{builtin_source, TemplateSet};

const RESOLVED_JA: &str = "incident/resolved.ja.md";

fn edited() -> String {
    builtin_source(RESOLVED_JA).unwrap().replace("以下の障害は解消いたしました。", "以下の障害は復旧いたしました。")
}

#[tokio::test]
async fn a_fresh_library_is_the_builtin_one() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let active = store.active_templates().await.unwrap();
    assert_eq!(active.len(), TemplateSet::builtin().files().len());
    assert!(active.iter().all(|t| t.version == 0 && Some(t.source.as_str()) == builtin_source(&t.path)));
    assert_eq!(store.library_revision().await.unwrap(), 0);
    assert_eq!(store.template_set().await.unwrap().files(), TemplateSet::builtin().files());
}

#[tokio::test]
async fn saves_are_versions_broken_templates_are_refused_and_rollback_is_a_new_version() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();

    let v1 = store.save_template(RESOLVED_JA, &edited(), Some(0), "aiko", "").await.unwrap();
    assert_eq!((v1.version, v1.author.as_str()), (1, "aiko"));
    assert!((chrono::Utc::now() - v1.saved_at).num_seconds() < 60);
    let set = store.template_set().await.unwrap();
    assert!(set.get(Status::Resolved, Lang::Ja).source.contains("復旧いたしました"));

    // A broken template is refused, with every problem, and nothing changes.
    let broken = format!("{}\n{{{{casue}}}}\n{{{{#note}}}}\n", edited());
    let err = store.save_template(RESOLVED_JA, &broken, Some(1), "ben", "").await.unwrap_err();
    match &err {
        StoreError::InvalidTemplate { problems, .. } => {
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(problems[0].contains("casue"), "{problems:?}");
        }
        other => panic!("{other}"),
    }
    assert_eq!(store.active_template(RESOLVED_JA).await.unwrap().version, 1);
    let err = store.save_template("settings.toml", "[layout]\nfirst = \"fr\"\n", None, "ben", "").await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidTemplate { .. }), "{err}");
    let err = store.save_template("incident/resolvd.ja.md", &edited(), None, "ben", "").await.unwrap_err();
    assert!(err.to_string().contains("not a file of the template library"), "{err}");

    // Someone else saved meanwhile: a conflict, nothing saved.
    let err = store.save_template(RESOLVED_JA, &edited().replace("復旧", "回復"), Some(0), "ben", "").await.unwrap_err();
    assert!(matches!(err, StoreError::TemplateConflict { expected: 0, current: 1, .. }), "{err}");

    let v2 = store.save_template(RESOLVED_JA, &edited().replace("復旧", "回復"), Some(1), "ben", "").await.unwrap();
    assert_eq!(v2.version, 2);
    // The same text again makes no new version.
    assert_eq!(store.save_template(RESOLVED_JA, &v2.source, Some(2), "ben", "").await.unwrap().version, 2);

    // Roll back to 1: version 3, equal to 1.
    let v3 = store.rollback_template(RESOLVED_JA, 1, "aiko").await.unwrap();
    assert_eq!(v3.version, 3);
    assert_eq!(v3.source, v1.source);
    assert_eq!(v3.note, "rolled back to version 1");
    // And to the built-in text (version 0).
    let v4 = store.rollback_template(RESOLVED_JA, 0, "aiko").await.unwrap();
    assert_eq!(Some(v4.source.as_str()), builtin_source(RESOLVED_JA));

    let history = store.template_history(RESOLVED_JA).await.unwrap();
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), [4, 3, 2, 1]);
    assert_eq!(history.iter().map(|v| v.author.as_str()).collect::<Vec<_>>(), ["aiko", "aiko", "ben", "aiko"]);
    let err = store.rollback_template(RESOLVED_JA, 9, "aiko").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

#[tokio::test]
async fn an_update_records_the_library_revision_it_was_written_from() {
    let (_dir, path) = temp_db();
    let store = Store::open(path_str(&path)).await.unwrap();
    let v1 = store.save_template(RESOLVED_JA, &edited(), None, "aiko", "").await.unwrap();
    let revision = store.library_revision().await.unwrap();
    assert_eq!(revision, v1.revision);

    let id = store.create_incident(Kind::Incident, &bilingual("ログインできない", "Sign-in fails"), "aiko").await.unwrap();
    let draft = store.new_draft(id, &update(Status::Resolved, "ログインできなかった", "Sign-in failed"), "aiko").await.unwrap();
    assert_eq!(store.update_template_revision(draft.update_id).await.unwrap(), None);
    store.set_update_template_revision(draft.update_id, revision).await.unwrap();
    assert_eq!(store.update_template_revision(draft.update_id).await.unwrap(), Some(revision));

    // Later changes do not change what that update was written from.
    store.save_template(RESOLVED_JA, &edited().replace("復旧", "回復"), None, "ben", "").await.unwrap();
    let then = store.template_set_at(revision).await.unwrap();
    assert_eq!(then.get(Status::Resolved, Lang::Ja).source, v1.source);
    let now = store.template_set().await.unwrap();
    assert!(now.get(Status::Resolved, Lang::Ja).source.contains("回復"));
    assert!(store.set_update_template_revision(999, 1).await.is_err());
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        out.insert(entry.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&entry).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[tokio::test]
async fn export_import_export_is_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (_d1, p1) = temp_db();
    let a = Store::open(path_str(&p1)).await.unwrap();
    // A library with edits: comments, CRLF, trailing blank lines, Japanese.
    a.save_template(RESOLVED_JA, &format!("{}\n\n", edited()), None, "aiko", "").await.unwrap();
    a.save_template("settings.toml", "# 当社の設定\r\norganisation = { ja = \"雲株式会社\", en = \"Kumo Inc.\" }\r\n", None, "aiko", "")
        .await
        .unwrap();
    let files: Vec<(String, String)> = a.active_templates().await.unwrap().into_iter().map(|t| (t.path, t.source)).collect();
    let first = tmp.path().join("first");
    write_dir(&first, &files).unwrap();

    let (_d2, p2) = temp_db();
    let b = Store::open(path_str(&p2)).await.unwrap();
    let (read, problems) = read_dir(&first).unwrap();
    assert_eq!(problems, vec![]);
    let made = b.save_templates(&read, "ben", "imported").await.unwrap();
    // Only what differs from the built-in texts became versions.
    assert_eq!(made.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), [RESOLVED_JA, "settings.toml"]);
    // Importing the same folder again changes nothing.
    assert_eq!(b.save_templates(&read, "ben", "imported").await.unwrap(), vec![]);

    let second = tmp.path().join("second");
    let files: Vec<(String, String)> = b.active_templates().await.unwrap().into_iter().map(|t| (t.path, t.source)).collect();
    write_dir(&second, &files).unwrap();
    assert_eq!(tree(&first), tree(&second));
    assert_eq!(tree(&first).len(), TemplateSet::builtin().files().len());

    // A folder with a broken file is refused whole.
    std::fs::write(second.join("incident/identified.en.md"), "title: {{title}}\n---\n{{#cause}}\n").unwrap();
    std::fs::write(second.join(RESOLVED_JA), "title: {{title}}\n---\nchanged\n").unwrap();
    let (read, problems) = read_dir(&second).unwrap();
    assert_eq!(problems.len(), 1);
    assert!(b.save_templates(&read, "ben", "imported").await.is_err());
    assert_eq!(b.active_template(RESOLVED_JA).await.unwrap().version, 1);
}

#[path = "pg_cluster/mod.rs"]
mod pg_cluster;

/// Team mode: the same library on PostgreSQL. The author recorded is the
/// role, whatever the client says; versions cannot be rewritten; saves from
/// two roles at once queue and each gets its own version.
#[tokio::test]
async fn postgres_library_versions_belong_to_roles_and_are_append_only() {
    use sqlx::Connection;
    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    Store::open(&pg.url("postgres")).await.unwrap().close().await;
    let author = Store::open(&pg.url("author")).await.unwrap();
    let approver = Store::open(&pg.url("approver")).await.unwrap();

    let v1 = author.save_template(RESOLVED_JA, &edited(), Some(0), "claims-to-be-ben", "").await.unwrap();
    assert_eq!((v1.version, v1.author.as_str()), (1, "author"));
    let err = approver.save_template(RESOLVED_JA, &edited().replace("復旧", "回復"), Some(0), "x", "").await.unwrap_err();
    assert!(matches!(err, StoreError::TemplateConflict { expected: 0, current: 1, .. }), "{err}");
    let v2 = approver.save_template(RESOLVED_JA, &edited().replace("復旧", "回復"), Some(1), "x", "").await.unwrap();
    assert_eq!((v2.version, v2.author.as_str()), (2, "approver"));
    let v3 = author.rollback_template(RESOLVED_JA, 1, "x").await.unwrap();
    assert_eq!((v3.version, v3.source.as_str()), (3, v1.source.as_str()));
    assert_eq!(
        approver.template_history(RESOLVED_JA).await.unwrap().iter().map(|v| v.author.as_str()).collect::<Vec<_>>(),
        ["author", "approver", "author"]
    );
    assert_eq!(author.template_set_at(v2.revision).await.unwrap().get(Status::Resolved, Lang::Ja).source, v2.source);
    assert_eq!(author.library_revision().await.unwrap(), v3.revision);

    let id = author.create_incident(Kind::Incident, &bilingual("障害", "Outage"), "x").await.unwrap();
    let d = author.new_draft(id, &update(Status::Resolved, "復旧", "Resolved"), "x").await.unwrap();
    author.set_update_template_revision(d.update_id, v3.revision).await.unwrap();
    assert_eq!(approver.update_template_revision(d.update_id).await.unwrap(), Some(v3.revision));

    // Raw SQL as a member cannot rewrite a version.
    let mut conn = sqlx::PgConnection::connect(&pg.url("author")).await.unwrap();
    for sql in ["UPDATE template_versions SET author = 'approver'", "DELETE FROM template_versions"] {
        let err = sqlx::raw_sql(sql).execute(&mut conn).await.unwrap_err().to_string();
        assert!(err.contains("permission denied") || err.contains("append-only"), "{sql}: {err}");
    }
    conn.close().await.unwrap();

    // Two roles saving other files at once: every save lands, numbered in turn.
    let mut tasks = Vec::new();
    for (n, store) in [author.clone(), approver.clone()].into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            for i in 0..5 {
                let text = edited().replace("復旧", &format!("復旧({n}-{i})"));
                store.save_template(RESOLVED_JA, &text, None, "x", "").await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let history = author.template_history(RESOLVED_JA).await.unwrap();
    assert_eq!(history.len(), 13);
    assert_eq!(history[0].version, 13);
    assert!(author.verify_audit().await.unwrap().ok());
}
