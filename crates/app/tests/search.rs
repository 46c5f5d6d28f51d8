//! Searching the incident list through the application layer, on a real
//! SQLite file and on a throwaway PostgreSQL cluster: the same incidents,
//! the same queries, the same answers; filters, Japanese words of one and two
//! characters, English words in any case, paging, and the places of the
//! matches in text with emoji.

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

use chrono::{TimeZone, Utc};
use desk_app::search::{search, MatchSpan, SearchRequest, SearchResults};
use desk_app::{Desk, DeskOptions};
use desk_model::{Bilingual, Incident, Kind, Lang, Status, Update};
use desk_store::{NewIncident, Store};

fn update(status: Status, ja: &str, en: &str) -> Update {
    let mut u = Update::new(status);
    u.ja.body = Some(ja.into());
    u.en.body = Some(en.into());
    u
}

/// (kind, title ja, title en, day in June 2025, updates as (status, ja, en)).
type Fixture = (Kind, &'static str, &'static str, u32, &'static [(Status, &'static str, &'static str)]);

const INCIDENTS: &[Fixture] = &[
    (Kind::Incident, "メール配信の遅延", "Email delivery delays", 1, &[
        (Status::Investigating, "一部のお客様でメールの配信が遅延しております。", "Some emails are delayed."),
        (Status::Resolved, "メール配信の遅延は解消しました。", "Email delivery is back to normal."),
    ]),
    (Kind::Incident, "ログインできない障害", "Users cannot sign in", 5, &[
        (Status::Investigating, "🙇‍♀️ 管理画面にログインできない障害が発生しております。", "Users cannot sign in to the admin console (EMAIL login too)."),
    ]),
    (Kind::Maintenance, "データベースのメンテナンス", "Database maintenance", 10, &[
        (Status::Scheduled, "メンテナンス中は管理画面がご利用いただけません。", "The admin console is unavailable during the window."),
    ]),
    (Kind::Incident, "決済画面の表示遅延", "Slow payment pages", 20, &[
        (Status::Identified, "決済画面の表示が遅れる障害の原因を特定しました。100%の負荷_です", "We found why the payment pages load slowly."),
    ]),
];

async fn fill(store: &Store) {
    let new: Vec<NewIncident> = INCIDENTS
        .iter()
        .enumerate()
        .map(|(n, (kind, ja, en, day, updates))| {
            let mut incident = Incident::new(*kind);
            incident.title = Bilingual { ja: ja.to_string(), en: en.to_string() };
            incident.updates = updates.iter().map(|(s, ja, en)| update(*s, ja, en)).collect();
            NewIncident {
                incident,
                source: "search-test".into(),
                external_id: Some(format!("fixture-{n}")),
                opened_at: Some(Utc.with_ymd_and_hms(2025, 6, *day, 3, 0, 0).unwrap()),
            }
        })
        .collect();
    store.import(&new, "search test").await.unwrap();
}

async fn desk(store: Store, dir: &std::path::Path) -> Desk {
    desk_keychain::memory::install();
    let mut options = DeskOptions::new(dir.to_path_buf());
    options.in_memory_keychain = true;
    Desk::start(store, options).await.unwrap()
}

fn ask(query: &str) -> SearchRequest {
    SearchRequest { query: query.into(), ..SearchRequest::default() }
}

/// The queries both backends answer, each with the titles it must find (newest first).
fn cases() -> Vec<(SearchRequest, Vec<&'static str>)> {
    vec![
        (ask("障害"), vec!["決済画面の表示遅延", "ログインできない障害"]),
        (ask("遅"), vec!["決済画面の表示遅延", "メール配信の遅延"]),
        (ask("ログイン"), vec!["ログインできない障害"]),
        (ask("管理画面 ご利用"), vec!["データベースのメンテナンス"]),
        (ask("メール　遅延"), vec!["メール配信の遅延"]),
        (ask("email"), vec!["ログインできない障害", "メール配信の遅延"]),
        (ask("EMAIL Delivery"), vec!["メール配信の遅延"]),
        (ask("ADMIN"), vec!["データベースのメンテナンス", "ログインできない障害"]),
        (ask("100%"), vec!["決済画面の表示遅延"]),
        (ask("%"), vec!["決済画面の表示遅延"]),
        (ask("負荷_"), vec!["決済画面の表示遅延"]),
        (ask("_"), vec!["決済画面の表示遅延"]),
        (ask("🙇‍♀️"), vec!["ログインできない障害"]),
        (ask("ずっと"), vec![]),
        (ask("障害 maintenance"), vec![]),
        (SearchRequest { status: Some(Status::Investigating), ..ask("障害") }, vec!["ログインできない障害"]),
        (SearchRequest { kind: Some(Kind::Maintenance), ..ask("管理画面") }, vec!["データベースのメンテナンス"]),
        (SearchRequest { kind: Some(Kind::Incident), ..ask("") }, vec!["決済画面の表示遅延", "ログインできない障害", "メール配信の遅延"]),
        // Days are the organisation's (Tokyo): 03:00 UTC is noon there, the same day.
        (SearchRequest { from: Some("2025-06-05".into()), to: Some("2025-06-10".into()), ..ask("") }, vec!["データベースのメンテナンス", "ログインできない障害"]),
        (SearchRequest { to: Some("2025-06-04".into()), ..ask("遅延") }, vec!["メール配信の遅延"]),
        (SearchRequest { limit: 1, offset: 1, ..ask("遅") }, vec!["メール配信の遅延"]),
    ]
}

fn titles(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.incident.title.ja.clone()).collect()
}

/// Runs every case, checks its titles, and returns the answers for comparison.
async fn run_cases(desk: &Desk, backend: &str) -> Vec<Vec<String>> {
    let mut answers = Vec::new();
    for (request, want) in cases() {
        let found = search(desk, &request).await.unwrap_or_else(|e| panic!("{backend} {request:?}: {e:?}"));
        let got = titles(&found);
        // Titles as shown: a resolved incident's carries the template's prefix.
        assert_eq!(got.len(), want.len(), "{backend} {request:?}: {got:?}");
        for (g, w) in got.iter().zip(&want) {
            assert!(g.contains(w), "{backend} {request:?}: {got:?}, want {want:?}");
        }
        answers.push(got);
    }
    answers
}

async fn highlights_and_paging(desk: &Desk) {
    let found = search(desk, &ask("障害 ログイン")).await.unwrap();
    let hit = &found.hits[0];
    let title = &hit.incident.title.ja;
    let marked: Vec<String> = hit.title_matches.ja.iter().map(|s| slice(title, s)).collect();
    assert_eq!(marked, ["ログイン", "障害"], "{title}");
    // The excerpt's places are characters: the emoji (a ZWJ sequence of 4
    // characters, 5 UTF-16 units) before the words does not shift them.
    let excerpt = hit.excerpt.as_ref().expect("the update holds the words");
    assert_eq!((excerpt.lang, excerpt.update_index), (Lang::Ja, 0));
    assert!(excerpt.text.starts_with("🙇‍♀️ 管理画面"), "{}", excerpt.text);
    let words: Vec<String> = excerpt.matches.iter().map(|s| slice(&excerpt.text, s)).collect();
    assert_eq!(words, ["ログイン", "障害"]);
    assert_eq!(excerpt.matches[0], MatchSpan { start: 10, end: 14 });
    assert!(!excerpt.cut_before);

    // English, any case: the span covers the text as written.
    let found = search(desk, &ask("email")).await.unwrap();
    let en: Vec<String> = found.hits.iter().flat_map(|h| h.title_matches.en.iter().map(|s| slice(&h.incident.title.en, s))).collect();
    assert_eq!(en, ["Email"]);

    // Paging: one per page says whether more follow.
    let first = search(desk, &SearchRequest { limit: 1, ..ask("遅") }).await.unwrap();
    assert!(first.more && first.hits.len() == 1);
    let last = search(desk, &SearchRequest { limit: 1, offset: 1, ..ask("遅") }).await.unwrap();
    assert!(!last.more && last.hits.len() == 1 && last.offset == 1);

    let bad = search(desk, &SearchRequest { from: Some("6/1".into()), ..ask("") }).await.unwrap_err();
    assert_eq!(bad.field.as_deref(), Some("from"));

    // The preview of a hit marks the words in both languages.
    let id = found.hits[0].incident.id;
    let preview = desk_app::search::preview_with_matches(desk, id, None, "email 障害").await.unwrap();
    assert!(preview.ja.html.contains("<mark>障害</mark>"), "{}", preview.ja.html);
    assert!(preview.en.html.contains("<mark>EMAIL</mark>"), "{}", preview.en.html);
}

fn slice(text: &str, span: &MatchSpan) -> String {
    text.chars().skip(span.start as usize).take((span.end - span.start) as usize).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_find_the_same_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("search.db").to_str().unwrap()).await.unwrap();
    // Only the fixtures: the samples a new single-person database gets are removed first.
    let sqlite = desk(store.clone(), &tmp.path().join("app-sqlite")).await;
    sqlx::query("DELETE FROM incidents").execute(store.pool()).await.unwrap();
    fill(&store).await;
    let on_sqlite = run_cases(&sqlite, "SQLite").await;
    highlights_and_paging(&sqlite).await;

    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    Store::open(&pg.url("postgres")).await.unwrap(); // the owner migrates
    let team = Store::open(&pg.url("author")).await.unwrap();
    fill(&team).await;
    let postgres = desk(team, &tmp.path().join("app-pg")).await;
    let on_postgres = run_cases(&postgres, "PostgreSQL").await;
    assert_eq!(on_sqlite, on_postgres);
    highlights_and_paging(&postgres).await;
}
