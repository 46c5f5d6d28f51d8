//! One keystroke's work in Rust: `compose::preview_draft` on the draft's kept
//! context (render both languages, sanitize the per-language pages the pane
//! shows, lint the draft against the history, move the findings onto the
//! text as typed), for a Japanese body
//! of 3,000 and 25,000 characters in an incident with earlier updates, and a
//! postmortem with a 17-entry timeline (its picture drawn and rows placed).
//! The webview's share is measured by `scripts/bench-app`.
//!
//! `cargo bench -p desk-app --bench keystroke` writes its percentiles to
//! `target/bench-results/app-keystroke.txt`.

use std::path::PathBuf;
use std::time::Instant;

use desk_app::incidents::PreviewPages;
use desk_app::{Desk, DeskOptions};
use desk_model::{Bilingual, Status};

const PARAGRAPH: &str = "2025/03/04 10:00頃から、一部のお客様で決済画面が表示されない事象が発生しておりました。原因はロードバランサーの設定変更で、11:30頃に設定を戻して復旧いたしました。";

fn body_of(chars: usize) -> String {
    let mut text = String::from("以下の障害は解消いたしました。\n\n■ 発生期間\n2025/03/04 10:00頃〜11:30頃\n\n■ 発生した現象\n");
    while text.chars().count() < chars {
        text.push_str(&format!("- {PARAGRAPH}\n"));
    }
    text.chars().take(chars).collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize]
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let (desk, id) = runtime.block_on(async {
        let store = desk_store::Store::open(dir.path().join("bench.db").to_str().unwrap()).await.unwrap();
        desk_keychain::memory::install();
        let mut options = DeskOptions::new(dir.path().to_path_buf());
        options.keys = Some(std::sync::Arc::new(desk_keychain::KeyringStore::with_service("incident-desk-bench")));
        let desk = Desk::start(store, options).await.unwrap();
        // The sample that has the most updates, with a new draft on top.
        let list = desk_app::incidents::list(&desk).await.unwrap();
        let row = list.iter().max_by_key(|r| r.update_count).unwrap().clone();
        desk_app::compose::start_update(&desk, row.id, Status::Resolved).await.unwrap();
        (desk, row.id)
    });
    let context = desk.draft_contexts.kept(id).expect("the draft's context is kept");
    let title = Bilingual { ja: "決済画面が表示されない障害".to_string(), en: "The payment page does not load".to_string() };
    let mut report = String::new();
    for chars in [3_000usize, 25_000] {
        let mut ja = body_of(chars);
        let en = "We are sorry: the payment page did not load for some customers.".to_string();
        let mut times = Vec::new();
        for i in 0..300 {
            ja.push('障');
            let body = Bilingual { ja: ja.clone(), en: en.clone() };
            let started = Instant::now();
            let shown = desk_app::compose::preview_draft(&desk, &context, Status::Resolved, &title, &body, PreviewPages::PerLanguage).unwrap();
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            assert!(!shown.ja.html.is_empty());
            if i >= 20 {
                times.push(ms);
            }
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let line = format!(
            "preview_draft, {chars} characters: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} keystrokes)",
            percentile(&times, 50.0),
            percentile(&times, 95.0),
            times[times.len() - 1],
            times.len()
        );
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    }
    // A postmortem: the overrun sample's, with its 17-entry timeline (the preview
    // also draws the timeline picture in both languages and places each row).
    // On a database of its own: the first case put a draft on the sample with the most updates.
    let dir = tempfile::tempdir().unwrap();
    let (desk, id, draft) = runtime.block_on(async {
        let store = desk_store::Store::open(dir.path().join("bench.db").to_str().unwrap()).await.unwrap();
        let mut options = DeskOptions::new(dir.path().to_path_buf());
        options.keys = Some(std::sync::Arc::new(desk_keychain::KeyringStore::with_service("incident-desk-bench")));
        let desk = Desk::start(store, options).await.unwrap();
        let list = desk_app::incidents::list(&desk).await.unwrap();
        let row = list.iter().find(|r| r.title.en.contains("Kumo Tasks was unavailable")).expect("the overrun sample").clone();
        let draft = desk_app::compose::start_update(&desk, row.id, Status::Postmortem).await.unwrap();
        (desk, row.id, draft)
    });
    let context = desk.draft_contexts.kept(id).expect("the postmortem's context is kept");
    let mut body = draft.body.clone();
    let mut times = Vec::new();
    for i in 0..300 {
        body.ja.push('障');
        let started = Instant::now();
        let shown = desk_app::compose::preview_draft(&desk, &context, Status::Postmortem, &draft.title, &body, PreviewPages::PerLanguage).unwrap();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let table = shown.timeline_table.expect("the picture and the rows' lines");
        assert!(table.picture.ja.starts_with("<svg"), "{}", &table.picture.ja);
        assert_eq!(table.row_lines.len(), 17);
        if i >= 20 {
            times.push(ms);
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let line = format!(
        "preview_draft, postmortem with 17 timeline entries ({} characters, picture in both languages): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} keystrokes)",
        body.ja.chars().count(),
        percentile(&times, 50.0),
        percentile(&times, 95.0),
        times[times.len() - 1],
        times.len()
    );
    println!("{line}");
    report.push_str(&line);
    report.push('\n');
    let out = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("app-keystroke.txt"), report).unwrap();
}
