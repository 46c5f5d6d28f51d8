//! The template editor's preview refresh: on every keystroke the screen sends
//! the template source and gets back both languages' preview (parse + fill
//! with sample data + normalise + sanitized HTML). Budget: p95 ≤ 16 ms.
//!
//! `cargo bench -p desk-render --bench template_preview` runs criterion and writes a
//! percentile summary to `target/bench-results/templates.txt`.

use std::path::PathBuf;
use std::time::Instant;

use criterion::{black_box, criterion_group, Criterion};
use desk_model::{Lang, Status};
use desk_render::preview_template;
use desk_templates::{check_file, NoLint, SampleFields, TemplateSet};

fn refresh(set: &TemplateSet, ja: &str, en: &str, sample: &SampleFields) -> usize {
    let a = preview_template(&set.settings, ja, Status::Resolved, Lang::Ja, sample, &NoLint);
    let b = preview_template(&set.settings, en, Status::Resolved, Lang::En, sample, &NoLint);
    a.html.len() + b.html.len()
}

fn bench(c: &mut Criterion) {
    let set = TemplateSet::builtin();
    let sample = SampleFields::named("login-certificate-expiry").unwrap();
    let ja = set.get(Status::Resolved, Lang::Ja).source.clone();
    let en = set.get(Status::Resolved, Lang::En).source.clone();
    c.bench_function("preview refresh (resolved, ja + en)", |b| b.iter(|| refresh(&set, black_box(&ja), black_box(&en), &sample)));
    c.bench_function("check_file (resolved ja)", |b| b.iter(|| check_file(black_box(&ja))));
    let big = format!("{ja}{}", "{{#note}}\n■ 補足\n{{note}}\n{{/note}}\n".repeat(200));
    c.bench_function("preview refresh (a 10x longer template)", |b| {
        b.iter(|| preview_template(&set.settings, black_box(&big), Status::Resolved, Lang::Ja, &sample, &NoLint))
    });
}

/// Percentiles of single refreshes, the way the budget is stated.
fn summary() {
    let set = TemplateSet::builtin();
    let sample = SampleFields::named("login-certificate-expiry").unwrap();
    let mut lines = Vec::new();
    for status in [Status::Investigating, Status::Resolved, Status::Postmortem] {
        let ja = set.get(status, Lang::Ja).source.clone();
        let en = set.get(status, Lang::En).source.clone();
        let mut times: Vec<f64> = (0..3000)
            .map(|i| {
                // A keystroke changes the text: vary it so nothing is cached.
                let ja = format!("{ja}{}", "あ".repeat(i % 7));
                let started = Instant::now();
                black_box(refresh(&set, &ja, &en, &sample));
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        lines.push(format!(
            "preview refresh {:<13} ja+en: p50 {:.3} ms  p95 {:.3} ms  p99 {:.3} ms  max {:.3} ms  (n={}, budget p95 ≤ 16 ms)",
            status.as_str(),
            at(0.50),
            at(0.95),
            at(0.99),
            times[times.len() - 1],
            times.len()
        ));
    }
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("bench-results");
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "desk-templates preview bench ({} build)\n{}\n",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        lines.join("\n")
    );
    std::fs::write(dir.join("templates.txt"), &text).unwrap();
    print!("{text}");
}

criterion_group!(benches, bench);

fn main() {
    benches();
    summary();
    Criterion::default().configure_from_args().final_summary();
}
