//! The list's search at 10,000 incidents × 8 bilingual updates, on a SQLite
//! file and on a throwaway PostgreSQL cluster (skipped, saying so, without
//! PostgreSQL's binaries): Japanese searches (a common and a rare word of two
//! characters, a word of four and more, two words, a word with the status,
//! kind and date filters) and an English one, each through the whole use case
//! (`desk_app::search::search_in`: the store's query, the page's incidents
//! loaded and rendered, the matches placed), 30 runs after 3 to warm up.
//! Written to `<target>/bench-search.json` with the machine's load; nothing
//! is asserted. Target: p95 at most 50 ms.
//!
//! `cargo bench -p desk-app --bench search`

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Duration as Span, TimeZone, Utc};
use desk_app::search::{search_in, SearchRequest};
use desk_model::{Bilingual, Incident, Kind, Status, Update};
use desk_store::{NewIncident, Store};
use desk_templates::TemplateSet;

const INCIDENTS: usize = 10_000;
const RUNS: usize = 30;

/// A small xorshift: the same corpus every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// (Japanese, English): what fails, how, why, and where (a rare word: one incident in 40).
const SERVICES: [(&str, &str); 12] = [
    ("メール配信", "email delivery"), ("管理画面", "the admin console"), ("決済処理", "payment processing"), ("ログイン", "sign-in"),
    ("レポート集計", "report aggregation"), ("プッシュ通知", "push notifications"), ("データ連携", "data sync"), ("ファイル転送", "file transfer"),
    ("チャット", "chat"), ("請求書の発行", "invoice generation"), ("外部API", "the public API"), ("検索機能", "search"),
];
const SYMPTOMS: [(&str, &str); 8] = [
    ("が遅延しております", "is delayed"), ("でエラーが発生しております", "returns errors"), ("がご利用いただけない状態です", "is unavailable"),
    ("に通常より時間がかかっております", "takes longer than usual"), ("が重複して実行されております", "runs twice"),
    ("の結果が表示されません", "shows no results"), ("がタイムアウトしております", "times out"), ("の通知が届きません", "sends no notifications"),
];
const CAUSES: [(&str, &str); 8] = [
    ("データベースの負荷上昇", "a load spike on the database"), ("証明書の期限切れ", "an expired certificate"),
    ("設定変更の誤り", "a wrong configuration change"), ("クラウド事業者の障害", "an outage at our cloud provider"),
    ("リリースに含まれた不具合", "a defect in a release"), ("ネットワーク機器の故障", "a failed network device"),
    ("ディスク容量の不足", "a full disk"), ("処理キューの滞留", "a backed-up queue"),
];
const REGIONS: [(&str, &str); 40] = [
    ("東日本", "eastern Japan"), ("西日本", "western Japan"), ("札幌", "Sapporo"), ("仙台", "Sendai"), ("新潟", "Niigata"), ("金沢", "Kanazawa"),
    ("静岡", "Shizuoka"), ("名古屋", "Nagoya"), ("京都", "Kyoto"), ("神戸", "Kobe"), ("岡山", "Okayama"), ("広島", "Hiroshima"),
    ("松山", "Matsuyama"), ("高知", "Kochi"), ("福岡", "Fukuoka"), ("熊本", "Kumamoto"), ("鹿児島", "Kagoshima"), ("那覇", "Naha"),
    ("盛岡", "Morioka"), ("秋田", "Akita"), ("山形", "Yamagata"), ("福島", "Fukushima"), ("水戸", "Mito"), ("宇都宮", "Utsunomiya"),
    ("前橋", "Maebashi"), ("甲府", "Kofu"), ("長野", "Nagano"), ("岐阜", "Gifu"), ("津市", "Tsu"), ("大津", "Otsu"),
    ("奈良", "Nara"), ("和歌山", "Wakayama"), ("鳥取", "Tottori"), ("松江", "Matsue"), ("山口", "Yamaguchi"), ("徳島", "Tokushima"),
    ("高松", "Takamatsu"), ("佐賀", "Saga"), ("長崎", "Nagasaki"), ("大分", "Oita"),
];
const STATUSES: [Status; 8] = [
    Status::Investigating, Status::Investigating, Status::Identified, Status::Identified,
    Status::Monitoring, Status::Monitoring, Status::Resolved, Status::Postmortem,
];

/// One incident of eight updates, written as a support team writes them.
fn incident(n: usize, rng: &mut Rng) -> NewIncident {
    let (service, service_en) = SERVICES[rng.below(SERVICES.len())];
    let (symptom, symptom_en) = SYMPTOMS[rng.below(SYMPTOMS.len())];
    let (cause, cause_en) = CAUSES[rng.below(CAUSES.len())];
    let (region, region_en) = REGIONS[rng.below(REGIONS.len())];
    let start = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap() + Span::minutes((n * 263 + rng.below(200)) as i64);
    let count = 50 + rng.below(5_000);
    let when = start.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap());
    let (ja_time, en_time) = (when.format("%Y/%m/%d %H:%M頃").to_string(), when.format("%b %-d, %Y %H:%M JST").to_string());
    let mut incident = Incident::new(if n.is_multiple_of(10) { Kind::Maintenance } else { Kind::Incident });
    incident.title = Bilingual { ja: format!("{service}{symptom}"), en: format!("{} {symptom_en}", capital(service_en)) };
    incident.updates = STATUSES
        .iter()
        .enumerate()
        .map(|(i, status)| {
            let mut u = Update::new(*status);
            u.created_at = Some(start + Span::minutes(20 * i as i64));
            u.published_at = u.created_at;
            u.ja.body = Some(format!(
                "{ja_time}から、{region}のお客様を中心に{service}{symptom}。\n\n■ 影響範囲\n- 約{count}件のお客様\n- {service}をご利用のお客様\n\n■ 現在の状況\n{}\n\n■ 原因\n{}\n\nご不便をおかけしており申し訳ございません。次回の更新は{}分後を予定しております。",
                ["原因を調査しております。", "原因を特定し、対応を進めております。", "対応を完了し、経過を監視しております。", "本件は解消いたしました。"][i / 2],
                if i >= 2 { format!("{cause}により発生いたしました。") } else { "調査中です。".to_string() },
                30 + 10 * i,
            ));
            u.en.body = Some(format!(
                "Since {en_time}, {service_en} {symptom_en}, mostly for customers in {region_en}.\n\n■ Impact\n- About {count} customers\n- Everyone using {service_en}\n\n■ Current status\n{}\n\n■ Cause\n{}\n\nWe apologise for the inconvenience. The next update will follow in {} minutes.",
                ["We are investigating.", "We found the cause and are fixing it.", "The fix is in and we are monitoring.", "This is resolved."][i / 2],
                if i >= 2 { format!("It was caused by {cause_en}.") } else { "Under investigation.".to_string() },
                30 + 10 * i,
            ));
            u
        })
        .collect();
    NewIncident { incident, source: "bench".into(), external_id: Some(format!("bench-{n}")), opened_at: Some(start) }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

async fn fill(store: &Store) -> Duration {
    let mut rng = Rng(0x5eed_cafe);
    let started = Instant::now();
    let all: Vec<NewIncident> = (0..INCIDENTS).map(|n| incident(n, &mut rng)).collect();
    for chunk in all.chunks(500) {
        store.import(chunk, "bench").await.unwrap();
    }
    started.elapsed()
}

/// The searches measured: (name, request).
fn searches() -> Vec<(&'static str, SearchRequest)> {
    let ask = |q: &str| SearchRequest { query: q.into(), ..SearchRequest::default() };
    vec![
        ("two characters, common (遅延)", ask("遅延")),
        ("two characters, rare (福岡: 1 incident in 40)", ask("福岡")),
        ("two characters, nowhere (虹色)", ask("虹色")),
        ("four characters and more (証明書の期限切れ)", ask("証明書の期限切れ")),
        ("two words (メール配信 タイムアウト)", ask("メール配信 タイムアウト")),
        ("a word and filters (障害, postmortem, incidents, 2021)", SearchRequest {
            status: Some(Status::Postmortem),
            kind: Some(Kind::Incident),
            from: Some("2021-01-01".into()),
            to: Some("2021-12-31".into()),
            ..ask("障害")
        }),
        ("English (expired certificate)", ask("expired certificate")),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

async fn measure(store: &Store, set: &TemplateSet) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (name, request) in searches() {
        let mut times = Vec::new();
        let mut hits = 0;
        for run in 0..RUNS + 3 {
            let started = Instant::now();
            let found = search_in(store, set, &request).await.unwrap();
            if run >= 3 {
                times.push(started.elapsed());
            }
            hits = found.hits.len();
        }
        times.sort();
        let (p50, p95) = (percentile(&times, 0.50), percentile(&times, 0.95));
        println!("  {name}: p50 {p50:.1} ms, p95 {p95:.1} ms, max {:.1} ms ({hits} hits on the first page)", percentile(&times, 1.0));
        out.insert(name.into(), serde_json::json!({ "p50_ms": p50, "p95_ms": p95, "max_ms": percentile(&times, 1.0), "hits_first_page": hits, "runs": RUNS }));
    }
    serde_json::Value::Object(out)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let set = TemplateSet::builtin();
    let load_before = loadavg();
    let dir = tempfile::tempdir().unwrap();
    let mut report = serde_json::json!({
        "corpus": { "incidents": INCIDENTS, "updates_per_incident": STATUSES.len() },
        "target_p95_ms": 50.0,
        "machine": { "cpus": std::thread::available_parallelism().map_or(1, |n| n.get()), "loadavg_before": load_before },
    });
    runtime.block_on(async {
        let store = Store::open(dir.path().join("bench.db").to_str().unwrap()).await.unwrap();
        let took = fill(&store).await;
        println!("SQLite: {INCIDENTS} incidents written in {:.1} s", took.as_secs_f64());
        report["sqlite"] = serde_json::json!({ "fill_seconds": took.as_secs_f64(), "searches": measure(&store, &set).await });
        store.close().await;

        match pg_cluster::PgCluster::start() {
            None => report["postgres"] = serde_json::json!("skipped: PostgreSQL's binaries were not found"),
            Some(pg) => {
                let store = Store::open(&pg.url("postgres")).await.unwrap();
                let took = fill(&store).await;
                sqlx::query("ANALYZE").execute(&sqlx::PgPool::connect(&pg.url("postgres")).await.unwrap()).await.unwrap();
                println!("PostgreSQL: {INCIDENTS} incidents written in {:.1} s", took.as_secs_f64());
                report["postgres"] = serde_json::json!({ "fill_seconds": took.as_secs_f64(), "searches": measure(&store, &set).await });
                store.close().await;
            }
        }
    });
    report["machine"]["loadavg_after"] = loadavg().into();
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let file = target.join("bench-search.json");
    std::fs::write(&file, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    println!("written to {}", file.display());
}
