//! The store at 10,000 incidents × 8 updates: the newest 50 listed, one
//! incident opened, Japanese searches, each timed, and the database's size.
//!
//! `cargo run --release -p desk-store --example bench` writes its results to
//! `target/bench-results/store.txt` (and prints them). Targets: list 10 ms,
//! open 5 ms, Japanese search 50 ms.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use desk_model::{Bilingual, Impact, Incident, Kind, Period, Status, Update, UpdateText};
use desk_store::incidents::{ListQuery, NewIncident};
use desk_store::Store;

const INCIDENTS: usize = 10_000;
const UPDATES: usize = 8;
const RUNS: usize = 30;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// (Japanese, English) names of features.
const FEATURES: &[(&str, &str)] = &[
    ("ジョブフロー", "job flows"), ("接客配信", "on-site messages"), ("メール配信", "email delivery"),
    ("プッシュ通知", "push notifications"), ("管理画面", "the admin console"), ("ログイン", "sign-in"),
    ("決済", "payments"), ("レポート", "reports"), ("データ連携", "data sync"), ("イベント計測", "event tracking"),
    ("API v2", "API v2"), ("Webhook", "webhooks"), ("シングルサインオン", "single sign-on"),
    ("CSVエクスポート", "CSV export"), ("セグメント", "segments"), ("ダッシュボード", "dashboards"),
    ("検索", "search"), ("チャット", "chat"), ("請求書", "invoices"), ("アクセス解析", "analytics"),
];
const SYMPTOMS: &[(&str, &str)] = &[
    ("画面が表示されない", "pages do not load"), ("処理が遅延する", "processing is delayed"),
    ("500系のエラーが返る", "requests fail with 5xx errors"), ("一部の配信が失敗する", "some deliveries fail"),
    ("データが重複して登録される", "records are duplicated"), ("ログインできない", "users cannot sign in"),
    ("集計値が実際より少なく表示される", "counts are shown too low"), ("タイムアウトが発生する", "requests time out"),
];
const CAUSES: &[(&str, &str)] = &[
    ("データベースの負荷上昇", "a load spike on the database"), ("証明書の期限切れ", "an expired certificate"),
    ("設定変更の誤り", "a wrong configuration change"), ("外部クラウドサービスの障害", "an outage at our cloud provider"),
    ("リリースに含まれた不具合", "a defect in a release"), ("ネットワーク機器の故障", "a failed network device"),
    ("ディスク容量の枯渇", "a full disk"), ("キューの滞留", "a backed-up queue"),
];
const STATUSES: [Status; UPDATES] = [
    Status::Investigating, Status::Investigating, Status::Identified, Status::Identified,
    Status::Monitoring, Status::Monitoring, Status::Resolved, Status::Postmortem,
];

fn jst(t: DateTime<Utc>) -> String {
    (t + Span::hours(9)).format("%Y/%m/%d %H:%M").to_string()
}

fn incident(rng: &mut Rng, n: usize) -> NewIncident {
    let (fja, fen) = *rng.pick(FEATURES);
    let (sja, sen) = *rng.pick(SYMPTOMS);
    let (cja, cen) = *rng.pick(CAUSES);
    let start = Utc.with_ymd_and_hms(2015, 1, 1, 0, 0, 0).unwrap() + Span::minutes((n as i64) * 525 + (rng.next() % 300) as i64);
    let end = start + Span::minutes(30 + (rng.next() % 600) as i64);
    let projects = 1 + rng.next() % 40;
    let updates = STATUSES
        .iter()
        .enumerate()
        .map(|(k, status)| {
            let at = start + Span::minutes(10 + 25 * k as i64);
            let closed = status.is_closed();
            let (symptom_ja, period_ja) = if closed {
                (format!("{fja}で{sja}事象が発生していました。"), format!("{}頃〜{}頃", jst(start), jst(end)))
            } else {
                (format!("{fja}で{sja}事象が発生しています。"), format!("{}頃〜現在", jst(start)))
            };
            let lead_ja = match status {
                Status::Investigating => "現在、開発チームが原因を調査中です。約1時間以内に続報を掲載します。",
                Status::Identified => "原因が特定できました。現在、復旧に向けた対応を進めています。",
                Status::Monitoring => "修正を適用しました。引き続き監視を続けています。",
                Status::Resolved => "障害が解消したのでご報告します。",
                _ => "この度発生した障害について、下記の通りご報告いたします。",
            };
            let ja = format!(
                "{lead_ja}\n\n■ 発生期間\n{period_ja}\n\n■ 対象プロジェクト\n- {fja}を利用中の一部のプロジェクト(約{projects}件)\n\n■ 発生している現象\n- {symptom_ja}\n- 再実行により成功する場合があります。\n\n■ 原因\n- {}\n\n■ 今後の対応\n- 監視項目を追加し、同様の事象を早期に検知できるようにします。\n\nご迷惑をおかけし、大変申し訳ございません。",
                if k >= 2 { cja } else { "調査中" }
            );
            let en = format!(
                "{}\n\nPeriod: {} – {}\nAffected: about {projects} projects using {fen}\nWhat is happening: {sen}.\nCause: {}\n\nWe apologise for the inconvenience.",
                match status {
                    Status::Investigating => "We are investigating the issue. The next update follows within an hour.",
                    Status::Identified => "The cause has been identified and we are working on a fix.",
                    Status::Monitoring => "A fix has been applied and we are monitoring the results.",
                    Status::Resolved => "This incident has been resolved.",
                    _ => "This is our report on the incident.",
                },
                start.format("%b %-d, %Y %H:%M"),
                end.format("%H:%M"),
                if k >= 2 { cen } else { "under investigation" }
            );
            let mut u = Update::new(*status);
            u.created_at = Some(at);
            u.published_at = Some(at);
            u.ja = UpdateText { body: Some(ja), ..Default::default() };
            u.en = UpdateText { body: Some(en), ..Default::default() };
            u
        })
        .collect();
    let mut incident = Incident::new(Kind::Incident);
    incident.title = Bilingual { ja: format!("{fja}で障害が発生していました"), en: format!("Incident affecting {fen}") };
    incident.impact = *rng.pick(&[Impact::Minor, Impact::Major, Impact::Critical]);
    incident.period = Some(Period { start, end: Some(end), approximate: true });
    incident.updates = updates;
    NewIncident { incident, source: "bench".into(), external_id: Some(format!("bench-{n}")), opened_at: Some(start) }
}

struct Timing {
    first: Duration,
    median: Duration,
    max: Duration,
}

async fn time<F, Fut, T>(mut f: F) -> Timing
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut all = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(f(i).await);
        all.push(t.elapsed());
    }
    let first = all[0];
    all.sort();
    Timing { first, median: all[RUNS / 2], max: all[RUNS - 1] }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results");
    std::fs::create_dir_all(&root).unwrap();
    let db = root.join("store-bench.db");
    // BENCH_KEEP=1 keeps the database and, when it is there, reuses it.
    let keep = std::env::var_os("BENCH_KEEP").is_some();
    if !(keep && db.exists()) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let t = Instant::now();
    let reused = store.count_incidents().await.unwrap() > 0;
    if !reused {
        for chunk in (0..INCIDENTS).collect::<Vec<_>>().chunks(500) {
            let batch: Vec<NewIncident> = chunk.iter().map(|n| incident(&mut rng, *n)).collect();
            store.import(&batch, "bench").await.unwrap();
        }
    }
    let generated = t.elapsed();
    let count = store.count_incidents().await.unwrap();
    let updates: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM updates").fetch_one(store.pool()).await.unwrap();
    let share = |sql: &'static str| {
        let pool = store.pool().clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    let revision_bytes = share("SELECT SUM(LENGTH(CAST(content AS BLOB))) FROM revisions").await;
    let text_bytes = share("SELECT SUM(LENGTH(CAST(text_ja AS BLOB)) + LENGTH(CAST(text_en AS BLOB))) FROM updates").await;
    store.close().await;
    let size = std::fs::metadata(&db).unwrap().len();

    // Measured on a freshly opened store, as `desk` or the app would.
    let store = Store::open(db.to_str().unwrap()).await.unwrap();
    let newest = ListQuery { limit: 50, ..Default::default() };
    let list = time(|_| store.list(&newest)).await;
    assert_eq!(store.list(&newest).await.unwrap().len(), 50);
    let open = time(|i| store.load_incident(1 + ((i as i64) * 7919) % count)).await;
    assert_eq!(store.load_incident(count / 2).await.unwrap().updates.len(), UPDATES);
    let mut searches = Vec::new();
    for (query, what) in [
        ("証明書の期限切れ", "a cause (1 incident in 8)"),
        ("シングルサインオン", "a feature (1 in 20)"),
        ("ジョブフロー 遅延", "two words, one of 2 characters: via search_vocab"),
        ("約37件", "rare (1 in 40)"),
        ("遅", "1 character: the trigrams it starts"),
        ("の", "1 very common character: LIKE alone, newest first"),
        ("存在しない語句", "no match"),
        ("鍵", "1 character, no match"),
        ("障害が発生", "in every incident"),
        ("expired certificate", "English"),
    ] {
        let hits = store.search(query, 50).await.unwrap().len();
        let timing = time(|_| store.search(query, 50)).await;
        searches.push((query, what, hits, timing));
    }
    store.close().await;

    let mut out = String::new();
    writeln!(out, "desk-store benchmark ({INCIDENTS} incidents × {UPDATES} updates, bilingual; release build)").unwrap();
    writeln!(out, "command: cargo run --release -p desk-store --example bench").unwrap();
    if reused {
        writeln!(out, "reused the database of an earlier run (BENCH_KEEP): {count} incidents, {updates} updates").unwrap();
    } else {
        writeln!(out, "generated and imported {count} incidents, {updates} updates in {:.1?}", generated).unwrap();
    }
    writeln!(out, "database size: {:.1} MiB ({size} bytes, after checkpoint)", size as f64 / 1048576.0).unwrap();
    writeln!(
        out,
        "  of which revision JSON {:.1} MiB, plain text for search {:.1} MiB, the rest indexes (FTS5 included) and pages",
        revision_bytes as f64 / 1048576.0,
        text_bytes as f64 / 1048576.0
    )
    .unwrap();
    writeln!(out, "timings over {RUNS} runs each: median (first, max)").unwrap();
    let line = |out: &mut String, what: &str, t: &Timing, target: &str| {
        writeln!(out, "  {what:<58} {:>9} ({}, {})  target {target}", ms(t.median), ms(t.first), ms(t.max)).unwrap();
    };
    line(&mut out, "list newest 50", &list, "10 ms");
    line(&mut out, "open one incident (8 updates)", &open, "5 ms");
    for (query, what, hits, t) in &searches {
        line(&mut out, &format!("search {query:?} [{what}; {hits} shown]"), t, "50 ms");
    }
    print!("{out}");
    std::fs::write(root.join("store.txt"), &out).unwrap();
    for suffix in ["", "-wal", "-shm"].iter().filter(|_| !keep) {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
