//! The translation memory as the app uses it, over a real SQLite file:
//! 12,500 synthetic updates (100,000 aligned pairs) kept in `memory_pairs`;
//! how long the store takes to keep them, how long a Desk takes to read and
//! index them when first used, what each composer request then costs
//! (`suggest_translation`: the table-state query, the lookup, the span), and
//! how long the first request after another machine's publish takes (its
//! pairs read and indexed alone).
//!
//! `cargo bench -p desk-app --bench memory` writes the figures to
//! `target/bench-results/app-memory.json`.

use std::path::PathBuf;
use std::time::Instant;

use desk_app::library::LibraryCache;
use desk_app::memory::{self, MemoryCache, MemoryDesk};
use desk_memory::{update_pairs, Source};
use desk_model::{Bilingual, Lang};
use desk_store::{MemoryOrigin, NewMemoryPair, Store};

const UPDATES: usize = 12_500;

const PRODUCTS: &[(&str, &str)] = &[
    ("メール配信", "email delivery"), ("管理画面", "the admin console"), ("請求書の発行", "invoice issuing"), ("ファイルのアップロード", "file uploads"),
    ("予約配信", "scheduled sends"), ("APIの応答", "API responses"), ("ログイン", "sign-in"), ("検索", "search"), ("レポートの出力", "report exports"),
    ("Webhookの送信", "webhook deliveries"), ("SMS通知", "SMS notifications"), ("データの同期", "data sync"), ("決済", "payments"),
    ("二段階認証", "two-factor authentication"), ("CSVの取り込み", "CSV imports"), ("帳票の印刷", "report printing"),
];
const STATES: &[(&str, &str)] = &[
    ("が遅延しております", "is delayed"), ("ができない状態です", "is failing"), ("でエラーが発生しております", "returns errors"),
    ("に時間がかかっております", "is slow"), ("が一部で失敗しております", "fails for some customers"), ("が停止しております", "has stopped"),
];
const WHO: &[(&str, &str)] = &[
    ("一部のお客様で", "For some customers, "), ("全てのお客様で", "For all customers, "), ("東日本リージョンのお客様で", "For customers in the east region, "),
    ("法人プランのお客様で", "For business plan customers, "), ("", ""),
];

/// One synthetic update: an opening, a period, two symptoms, a cause.
fn bodies(n: usize) -> (String, String) {
    let (pj, pe) = PRODUCTS[n % PRODUCTS.len()];
    let (sj, se) = STATES[(n / 7) % STATES.len()];
    let (wj, we) = WHO[(n / 3) % WHO.len()];
    let (qj, qe) = PRODUCTS[(n / 11) % PRODUCTS.len()];
    let (day, hour, count, minutes) = (1 + n % 28, n % 24, 10 + n % 990, 5 + n % 115);
    let ja = format!(
        "{wj}{pj}{sj}。\n\n■ 発生期間\n2025/03/{day:02} {hour:02}:10頃〜現在\n\n■ 発生している現象\n- 約{count}件の{qj}{sj}。\n- {pj}の処理が{minutes}分程度遅れております。\n\n■ 原因\n調査中です。事象{n}の詳細を確認しております。\n"
    );
    let en = format!(
        "{we}{pe} {se}.\n\n■ Period\nMar {day}, 2025 {hour:02}:10 JST (approx.) – ongoing\n\n■ What is happening\n- About {count} cases of {qe} {se}.\n- Processing of {pe} is about {minutes} minutes behind.\n\n■ Cause\nUnder investigation. We are checking the details of case {n}.\n"
    );
    (ja, en)
}

fn rows(n: usize) -> Vec<NewMemoryPair> {
    let (ja, en) = bodies(n);
    update_pairs(&Source::new(format!("bench{n}"), 1), &ja, &en)
        .into_iter()
        .enumerate()
        .map(|(k, p)| NewMemoryPair {
            origin: MemoryOrigin::Import,
            source_key: format!("import:bench:{n}"),
            ordinal: k as i64,
            incident_id: None,
            update_id: None,
            title: "bench".into(),
            text_ja: p.ja.text.clone(),
            text_en: p.en.text.clone(),
            pair: serde_json::to_string(&p).unwrap(),
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let figures = runtime.block_on(async {
        let store = Store::open(dir.path().join("bench.db").to_str().unwrap()).await.unwrap();
        let all: Vec<NewMemoryPair> = (0..UPDATES).flat_map(rows).collect();
        let started = Instant::now();
        store.add_memory_pairs(&all).await.unwrap();
        let keep_s = started.elapsed().as_secs_f64();
        // Template phrases too, as a build keeps them: so first use reads, not builds.
        let library = LibraryCache::default();
        let set = desk_templates::TemplateSet::builtin();
        store.add_memory_pairs(&memory::template_rows(&set, 0)).await.unwrap();

        let cache = MemoryCache::default();
        let cx = MemoryDesk { store: &store, memory: &cache, library: &library };
        let started = Instant::now();
        let stats = memory::stats(cx).await.unwrap();
        let load_s = started.elapsed().as_secs_f64();

        let typed = Bilingual {
            ja: "■ 発生している現象\n- 約250件のメール配信が遅延しております。\n".to_string(),
            en: "■ What is happening\n- \n".to_string(),
        };
        let mut times = Vec::new();
        for i in 0..320 {
            let started = Instant::now();
            let help = memory::suggest_translation(cx, 1, &typed, Lang::Ja, 2, 3).await.unwrap();
            if i >= 20 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            assert!(!help.suggestions.is_empty());
        }
        times.sort_by(|a, b| a.total_cmp(b));

        // Another machine publishes: the next request reads and indexes its pairs.
        let mut after_publish = Vec::new();
        for n in 0..20 {
            store.add_memory_pairs(&rows(UPDATES + n)).await.unwrap();
            let started = Instant::now();
            memory::suggest_translation(cx, 1, &typed, Lang::Ja, 2, 3).await.unwrap();
            after_publish.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        after_publish.sort_by(|a, b| a.total_cmp(b));
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        serde_json::json!({
            "updates": UPDATES,
            "pairs_kept": stats.from_imports + stats.from_templates,
            "unique_segments": { "ja": stats.unique_ja, "en": stats.unique_en },
            "keep_all_pairs_s": keep_s,
            "first_use_read_and_index_s": load_s,
            "suggest_translation_ms": { "p50": percentile(&times, 50.0), "p95": percentile(&times, 95.0), "max": times[times.len() - 1], "requests": times.len() },
            "first_request_after_a_publish_ms": { "p50": percentile(&after_publish, 50.0), "max": after_publish[after_publish.len() - 1], "publishes": after_publish.len() },
            "load_average": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        })
    });
    println!("{}", serde_json::to_string_pretty(&figures).unwrap());
    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("app-memory.json"), serde_json::to_string_pretty(&figures).unwrap()).unwrap();
}
