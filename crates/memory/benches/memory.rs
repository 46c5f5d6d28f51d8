//! Speed of the translation memory on a synthetic corpus: 10,000 incidents
//! × 8 updates generated from this file's own phrase patterns (products,
//! features, symptoms, causes, actions; random dates, times, counts and
//! durations). Measured: the build of the whole memory (`add_updates`), one
//! lookup with 100,000 segments in memory and with the whole memory
//! (p50/p95/max over 2,000 new Japanese segments), and adding one update to
//! the full memory. Written to `<target>/bench-memory.json` with the
//! machine's load; nothing is asserted.
//!
//! `cargo bench -p desk-memory --bench memory`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use desk_memory::{Memory, Source, Term};
use desk_model::Lang;

const PRODUCTS: [&str; 16] = [
    "Nimbus Mail", "Relay Hub", "Beacon Analytics", "Orbit Chat", "Lumen Forms", "Atlas Storage", "Pulse Push", "Gate SSO",
    "Quill Docs", "Harbor CDN", "Signal Hooks", "Vista Reports", "Summit Billing", "Cobalt Search", "Ember Queue", "Tide Sync",
];
const FEATURES: [(&str, &str); 20] = [
    ("メール配信", "email delivery"), ("ジョブフロー", "job flows"), ("レポートの集計", "report aggregation"), ("メッセージ送信", "sending messages"),
    ("フォームの送信", "form submissions"), ("ファイルのアップロード", "file uploads"), ("プッシュ通知", "push notifications"), ("ログイン", "sign-in"),
    ("ドキュメントの保存", "saving documents"), ("キャッシュの更新", "cache refreshes"), ("Webhookの送信", "webhook deliveries"), ("CSVのエクスポート", "CSV exports"),
    ("請求書の発行", "invoice generation"), ("検索インデックスの更新", "search index updates"), ("キューの処理", "queue processing"), ("データの同期", "data sync"),
    ("セグメントの更新", "segment updates"), ("予約配信", "scheduled delivery"), ("APIキーの発行", "API key issuance"), ("画像の変換", "image conversion"),
];
const SYMPTOMS: [(&str, &str, &str); 12] = [
    ("が失敗することがあります", "may fail", "sometimes failed"),
    ("が遅延しています", "is delayed", "was delayed"),
    ("が停止しています", "has stopped", "had stopped"),
    ("でエラーが発生しています", "returns errors", "returned errors"),
    ("に通常より時間がかかっています", "takes longer than usual", "took longer than usual"),
    ("が重複して実行されています", "is running twice", "ran twice"),
    ("の結果が表示されません", "results are not shown", "results were not shown"),
    ("がタイムアウトしています", "is timing out", "timed out"),
    ("が一部の環境で動作しません", "does not work in some environments", "did not work in some environments"),
    ("の設定が反映されません", "settings are not applied", "settings were not applied"),
    ("で文字化けが発生しています", "shows garbled text", "showed garbled text"),
    ("の通知が届きません", "notifications are not arriving", "notifications did not arrive"),
];
const CLAUSES: [(&str, &str); 6] = [
    ("", ""),
    ("。再試行すると成功する場合があります", ". Retrying may succeed"),
    ("。モバイルアプリでのみ発生しています", ". This happens only in the mobile app"),
    ("。一部の地域で発生しています", ". This happens in some regions"),
    ("。大きなファイルで発生しています", ". This happens with large files"),
    ("。管理画面からの操作で発生しています", ". This happens with operations in the admin console"),
];
const CAUSES: [(&str, &str); 10] = [
    ("データベースの負荷が一時的に上昇しました", "The load on the database rose temporarily"),
    ("証明書の有効期限が切れていました", "A certificate had expired"),
    ("リリースした変更に不具合がありました", "A change we released contained a bug"),
    ("外部クラウドサービスの障害の影響を受けました", "We were affected by an outage at an external cloud provider"),
    ("キューが滞留していました", "Queues had built up"),
    ("設定値が一時的に不正な状態になっていました", "A setting was temporarily left in an invalid state"),
    ("ネットワーク機器の故障がありました", "A network device failed"),
    ("ディスクの容量が不足していました", "A disk ran out of space"),
    ("内部APIが不安定になりました", "An internal API became unstable"),
    ("アクセスが特定の処理に集中しました", "Traffic concentrated on one process"),
];
const ACTIONS: [(&str, &str); 8] = [
    ("サーバーを再起動しました", "We restarted the servers"),
    ("サーバーを増強しました", "We added servers"),
    ("変更を元に戻しました", "We rolled back the change"),
    ("修正を適用しました", "We have applied a fix"),
    ("証明書を更新しました", "We renewed the certificate"),
    ("別のリージョンに切り替えました", "We switched to another region"),
    ("滞留していた処理を再実行しました", "We reran the queued work"),
    ("ディスクを増設しました", "We added disk space"),
];

const REGIONS: [(&str, &str); 8] = [
    ("", ""), ("東日本リージョンで", "in the Tokyo region "), ("西日本リージョンで", "in the Osaka region "), ("一部のお客様環境で", "for some customers "),
    ("夜間バッチで", "in nightly batches "), ("新しい画面で", "on the new screens "), ("旧バージョンのSDKで", "with older SDK versions "), ("大規模なプロジェクトで", "in large projects "),
];
const NOUNS: [(&str, &str); 40] = [
    ("ログ", "logs"), ("設定", "settings"), ("権限", "permissions"), ("履歴", "history"), ("テンプレート", "templates"), ("添付ファイル", "attachments"),
    ("ダッシュボード", "dashboards"), ("アカウント", "accounts"), ("請求情報", "billing details"), ("通知設定", "notification settings"), ("エクスポート", "exports"), ("インポート", "imports"),
    ("ユーザー一覧", "user lists"), ("グループ", "groups"), ("タグ", "tags"), ("ラベル", "labels"), ("ワークフロー", "workflows"), ("コメント", "comments"),
    ("監査ログ", "audit logs"), ("APIトークン", "API tokens"), ("ドメイン", "domains"), ("証明書", "certificates"), ("バックアップ", "backups"), ("レポート", "reports"),
    ("ウィジェット", "widgets"), ("スケジュール", "schedules"), ("フィルター", "filters"), ("キャンペーン", "campaigns"), ("セッション", "sessions"), ("招待", "invitations"),
    ("サブスクリプション", "subscriptions"), ("プロフィール", "profiles"), ("画像", "images"), ("動画", "videos"), ("フォルダ", "folders"), ("チャンネル", "channels"),
    ("連携先", "integrations"), ("署名", "signatures"), ("メタデータ", "metadata"), ("検索条件", "search conditions"),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// One update's two bodies.
fn update(r: &mut Rng, status: usize) -> (String, String) {
    let p = PRODUCTS[r.pick(PRODUCTS.len())];
    let (fj, fe) = FEATURES[r.pick(FEATURES.len())];
    let (sj, se_now, se_past) = SYMPTOMS[r.pick(SYMPTOMS.len())];
    let (cj, ce) = CLAUSES[r.pick(CLAUSES.len())];
    let (rj, re) = REGIONS[r.pick(REGIONS.len())];
    let [(n1j, n1e), (n2j, n2e), (n3j, n3e)] = [NOUNS[r.pick(NOUNS.len())], NOUNS[r.pick(NOUNS.len())], NOUNS[r.pick(NOUNS.len())]];
    let (caj, cae) = CAUSES[r.pick(CAUSES.len())];
    let (aj, ae) = ACTIONS[r.pick(ACTIONS.len())];
    let (y, mo, d) = (2023 + r.pick(3), 1 + r.pick(12), 1 + r.pick(28));
    let (h, mi) = (r.pick(20), r.pick(60));
    let (h2, mi2) = (h + 1 + r.pick(3), r.pick(60));
    let count = 10 + r.pick(20_000);
    let minutes = 5 + r.pick(90);
    let past = status >= 5;
    let en_sym = if past { se_past } else { se_now };
    let ja_sym = if past { sj.replace("ています", "ていました").replace("ります", "りました").replace("ません", "ませんでした") } else { sj.to_string() };
    let (open_ja, open_en) = match status {
        0..=2 => (format!("{p}で障害が発生しています。"), format!("We are experiencing an issue with {p}.")),
        3 | 4 => ("本障害の解決に向けた対応を実施しました。".to_string(), "We have taken action to resolve this issue.".to_string()),
        _ => ("障害が解消したのでご報告します。".to_string(), "The issue has been resolved.".to_string()),
    };
    let period_ja = if past { format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}頃〜{h2:02}:{mi2:02}頃") } else { format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}頃〜現在") };
    let month = MONTHS[mo - 1];
    let period_en = if past { format!("{month} {d}, {y} {h:02}:{mi:02}–{h2:02}:{mi2:02} JST (approx.)") } else { format!("{month} {d}, {y} {h:02}:{mi:02} JST (approx.) – ongoing") };
    let ja = format!(
        "{open_ja}\n\n■ 発生期間\n{period_ja}\n\n■ 対象プロジェクト\n- {p}をご利用中の一部のプロジェクト\n\n■ 発生している現象\n- {rj}{p}の{fj}{ja_sym}{cj}。\n- {n1j}と{n2j}の{n3j}への影響を確認しています。\n- 約{count}件の処理が最大で{minutes}分程度遅れています。\n\n■ 原因\n- {caj}。\n\n■ 実施した対応\n- {aj}。\n\nこの度はご迷惑をおかけし、大変申し訳ございませんでした。\n"
    );
    let en = format!(
        "{open_en}\n\n■ Period\n{period_en}\n\n■ Affected projects\n- Some projects using {p}\n\n■ What is happening\n- {re}In {p}, {fe} {en_sym}{ce}.\n- We are checking the effect on the {n3e} of {n1e} and {n2e}.\n- About {count} jobs are delayed by up to {minutes} minutes.\n\n■ Cause\n- {cae}.\n\n■ What we did\n- {ae}.\n\nWe sincerely apologize for the inconvenience.\n"
    );
    (ja, en)
}

fn percentiles(mut v: Vec<Duration>) -> serde_json::Value {
    v.sort();
    let at = |q: f64| v[((v.len() as f64 * q) as usize).min(v.len() - 1)].as_secs_f64() * 1e3;
    serde_json::json!({ "count": v.len(), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": v.last().map_or(0.0, |d| d.as_secs_f64() * 1e3) })
}

fn lookups(memory: &Memory, queries: &[String]) -> serde_json::Value {
    // Warm up once, then time each lookup.
    for q in queries.iter().take(50) {
        std::hint::black_box(memory.suggest(q, Lang::Ja, 5));
    }
    let times: Vec<Duration> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(memory.suggest(q, Lang::Ja, 5));
            t.elapsed()
        })
        .collect();
    percentiles(times)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let incidents = std::env::var("MEMORY_BENCH_INCIDENTS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000usize);
    let glossary: Vec<Term> = PRODUCTS.iter().map(|p| Term::new(*p, *p)).chain([Term::new("管理画面", "admin console")]).collect();
    let load_before = loadavg();
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bodies: Vec<(Source, String, String)> = Vec::with_capacity(incidents * 8);
    for i in 0..incidents {
        for u in 0..8 {
            let (ja, en) = update(&mut r, u);
            bodies.push((Source::new(format!("inc-{i}"), u as u32), ja, en));
        }
    }
    // Queries: Japanese segments of fresh updates the memory has not seen.
    let mut queries = Vec::new();
    let mut qr = Rng(0xD1B5_4A32_D192_ED03);
    while queries.len() < 2_000 {
        let status = qr.pick(8);
        let (ja, _) = update(&mut qr, status);
        queries.extend(ja.lines().map(|l| l.trim_start_matches("- ").trim().to_string()).filter(|l| l.chars().count() > 6 && !l.starts_with('■')));
    }
    queries.truncate(2_000);

    // The whole corpus.
    let t = Instant::now();
    let mut memory = Memory::new(glossary.clone());
    memory.add_updates(bodies.iter().map(|(s, j, e)| (s.clone(), j.as_str(), e.as_str())));
    let build = t.elapsed();
    let stats_full = memory.stats();
    let full = lookups(&memory, &queries);

    // One more published update, added to the full memory.
    let mut adds = Vec::new();
    for k in 0..200 {
        let (ja, en) = update(&mut qr, k % 8);
        let t = Instant::now();
        memory.add_update(&Source::new("late", k as u32), &ja, &en);
        adds.push(t.elapsed());
    }
    drop(memory);

    // 100,000 segments: the first updates until that many pairs.
    let mut m100 = Memory::new(glossary);
    let t = Instant::now();
    for (s, j, e) in &bodies {
        if m100.stats().pairs >= 100_000 {
            break;
        }
        m100.add_update(s, j, e);
    }
    let build_100k = t.elapsed();
    let stats_100k = m100.stats();
    let at_100k = lookups(&m100, &queries);

    let report = serde_json::json!({
        "corpus": { "incidents": incidents, "updates": bodies.len() },
        "build_all": { "seconds": build.as_secs_f64(), "threads": std::thread::available_parallelism().map_or(1, |n| n.get()), "stats": stats_full },
        "lookup_full": full,
        "add_one_update_to_full": percentiles(adds),
        "build_100k_sequential": { "seconds": build_100k.as_secs_f64(), "stats": stats_100k },
        "lookup_100k": at_100k,
        "targets": { "lookup_p95_ms_at_100k": 2.0, "build_10k_x_8_seconds": 10.0 },
        "machine": { "cpus": std::thread::available_parallelism().map_or(1, |n| n.get()), "loadavg_before": load_before, "loadavg_after": loadavg() },
    });
    let text = serde_json::to_string_pretty(&report).unwrap();
    println!("{text}");
    let dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bench-memory.json"), text + "\n").unwrap();
}
