//! Speed of the linter: the whole seed corpus, one 3,000-character update
//! re-linted, a 25,000-character body, how the cost grows with length, and
//! one keystroke in the last update of a 5-update incident (the whole
//! incident re-linted, or only that update against a prepared `History`),
//! and one keystroke in the sample postmortem with its 17-entry timeline.
//!
//! `cargo bench -p desk-lint --bench lint` runs criterion and then writes a
//! small summary (medians of its own timed runs, and the targets) to
//! `target/bench-results/lint.txt`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use desk_lint::{lint_incident, lint_next, lint_text, Config, History, LintUpdate, TextContext};
use desk_model::{Bilingual, Lang, Status};

#[path = "../tests/common/seed.rs"]
mod seed;

/// One update's worth of announcement, written for the benchmark: sections,
/// dates, a list, a link, product names.
const BLOCK: &str = "ログイン機能で障害が発生しています。想定される主な影響は次の通りです。\n\
■ 発生期間\n2025/03/04 10:00頃〜現在\n\
■ 対象プロジェクト\n- Skyline Relay を利用中のすべてのプロジェクト\n- Pulseβ の一部プロジェクト\n\
■ 発生している現象\n- 管理画面へのログインに失敗する\n- APIへのリクエストの一部が500系のエラーになる\n\
■ 原因\n現在、開発チームが原因を調査しています。詳細は https://status.example.com/incidents/abc を参照してください。\n\
情報の更新があり次第、続報を掲載します。\n";

fn text_of(chars: usize) -> String {
    let mut out = String::new();
    while out.chars().count() < chars {
        out.push_str(BLOCK);
    }
    out.chars().take(chars).collect()
}

fn config() -> Config {
    Config { glossary: vec!["Skyline".into(), "Skyline Relay".into(), "Pulseβ".into(), "Orbit".into()], ..Config::default() }
}

fn ctx() -> TextContext {
    TextContext { lang: Some(Lang::Ja), status: Some(Status::Investigating), title: Some("ログイン機能で障害が発生しています".into()) }
}

/// The seed as incidents, or `None` (with a note) when it is absent.
fn corpus() -> Option<Vec<Vec<LintUpdate>>> {
    let text = match std::fs::read_to_string(seed::seed_path()) {
        Ok(t) => t,
        Err(_) => {
            eprintln!("seed corpus absent: the corpus benchmark is skipped");
            return None;
        }
    };
    Some(
        seed::parse_seed(&text)
            .iter()
            .map(seed::SeedIncident::lint_updates)
            .collect(),
    )
}

fn corpus_config() -> Config {
    Config { languages: vec![Lang::Ja], ..config() }
}

fn lint_corpus(corpus: &[Vec<LintUpdate>], config: &Config) -> usize {
    corpus.iter().map(|inc| lint_incident(inc, config).len()).sum()
}

/// A 5-update incident whose last update is being typed: four published
/// updates of one block each, then a body of `last` characters.
fn keystroke_incident(last: usize) -> Vec<LintUpdate> {
    let title = "ログイン機能で障害が発生しています";
    let statuses = [Status::Investigating, Status::Investigating, Status::Identified, Status::Monitoring, Status::Monitoring];
    statuses
        .iter()
        .enumerate()
        .map(|(k, &status)| LintUpdate {
            status,
            title: Bilingual { ja: title.into(), en: String::new() },
            body: Bilingual { ja: if k == 4 { text_of(last) } else { format!("{}回目の報告です。\n{BLOCK}", k + 1) }, en: String::new() },
            period: None,
            next_update_at: None,
        })
        .collect()
}

/// The last update's body lengths of the keystroke case.
const KEYSTROKE: [usize; 2] = [3_000, 25_000];

const LENGTHS: [usize; 6] = [1_000, 2_000, 4_000, 8_000, 16_000, 25_000];

fn benches(c: &mut Criterion) {
    let config = config();
    if let Some(corpus) = corpus() {
        let cc = corpus_config();
        c.bench_function("seed corpus (all incidents)", |b| b.iter(|| lint_corpus(black_box(&corpus), &cc)));
    }
    let update = text_of(3_000);
    c.bench_function("one 3,000-char update", |b| b.iter(|| lint_text(black_box(&update), &ctx(), &config)));
    let mut group = c.benchmark_group("length");
    for len in LENGTHS {
        let text = text_of(len);
        group.throughput(Throughput::Elements(len as u64));
        group.bench_with_input(BenchmarkId::from_parameter(len), &text, |b, t| b.iter(|| lint_text(black_box(t), &ctx(), &config)));
    }
    group.finish();
    let cc = corpus_config();
    let mut group = c.benchmark_group("keystroke, last of 5 updates");
    for len in KEYSTROKE {
        let updates = keystroke_incident(len);
        let history = History::of(&updates[..4], &cc);
        group.bench_with_input(BenchmarkId::new("lint_incident", len), &updates, |b, u| b.iter(|| lint_incident(black_box(u), &cc)));
        group.bench_with_input(BenchmarkId::new("lint_next", len), &updates[4], |b, u| b.iter(|| lint_next(&history, black_box(u), &cc)));
    }
    group.finish();
}

/// The CPU time this thread has used: unlike the wall clock, not inflated
/// when other work shares the machine's cores.
#[cfg(unix)]
fn cpu_now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the pointer given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_now() -> Duration {
    Duration::ZERO
}

/// Medians of timed runs of `f` over at least `min`: (wall, CPU).
fn median(mut f: impl FnMut(), min: Duration) -> (Duration, Duration) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while wall.len() < 11 || start.elapsed() < min {
        let (t, c) = (Instant::now(), cpu_now());
        f();
        cpu.push(cpu_now().saturating_sub(c));
        wall.push(t.elapsed());
    }
    wall.sort_unstable();
    cpu.sort_unstable();
    (wall[wall.len() / 2], cpu[cpu.len() / 2])
}

/// Like [`median`] for two functions timed in turn, so that other work on
/// the machine weighs on both alike: ((wall, CPU) of `f`, (wall, CPU) of `g`).
fn median_pair(mut f: impl FnMut(), mut g: impl FnMut(), min: Duration) -> ((Duration, Duration), (Duration, Duration)) {
    let mut runs: [(Vec<Duration>, Vec<Duration>); 2] = Default::default();
    let start = Instant::now();
    while runs[0].0.len() < 11 || start.elapsed() < min {
        for (k, run) in runs.iter_mut().enumerate() {
            let (t, c) = (Instant::now(), cpu_now());
            if k == 0 { f() } else { g() }
            run.1.push(cpu_now().saturating_sub(c));
            run.0.push(t.elapsed());
        }
    }
    let [a, b] = runs.map(|(mut wall, mut cpu)| {
        wall.sort_unstable();
        cpu.sort_unstable();
        (wall[wall.len() / 2], cpu[cpu.len() / 2])
    });
    (a, b)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn summary() {
    let config = config();
    let min = Duration::from_millis(500);
    let mut out = String::from(
        "desk-lint benchmark: medians, wall clock and this thread's CPU time (the machine is shared;\n\
         targets are judged on CPU time). cargo bench -p desk-lint --bench lint\n",
    );
    let line = |what: &str, (wall, cpu): (Duration, Duration), target: Option<f64>| {
        let judged = target.map(|t| format!(" (target < {t} ms) {}", verdict(ms(cpu) < t))).unwrap_or_default();
        format!("{what}: {:.3} ms CPU, {:.3} ms wall{judged}\n", ms(cpu), ms(wall))
    };
    match corpus() {
        Some(corpus) => {
            let cc = corpus_config();
            let updates: usize = corpus.iter().map(Vec::len).sum();
            let chars: usize = corpus.iter().flatten().map(|u| u.body.ja.chars().count()).sum();
            let d = median(|| { black_box(lint_corpus(&corpus, &cc)); }, min);
            out += &line(&format!("seed corpus, {} incidents / {updates} updates / {chars} chars", corpus.len()), d, Some(20.0));
        }
        None => out += "seed corpus: skipped (../shared/seeds absent)\n",
    }
    let update = text_of(3_000);
    out += &line("one 3,000-char update", median(|| { black_box(lint_text(&update, &ctx(), &config)); }, min), Some(1.0));
    let mut per_char = Vec::new();
    for len in LENGTHS {
        let text = text_of(len);
        let d = median(|| { black_box(lint_text(&text, &ctx(), &config)); }, min);
        let ns = d.1.as_secs_f64() * 1e9 / len as f64;
        per_char.push(ns);
        out += &line(&format!("{len:>6} chars ({ns:.0} ns/char CPU)"), d, (len == 25_000).then_some(10.0));
    }
    let cc = corpus_config();
    for len in KEYSTROKE {
        let updates = keystroke_incident(len);
        let earlier: usize = updates[..4].iter().map(|u| u.body.ja.chars().count()).sum();
        let history = History::of(&updates[..4], &cc);
        let (all, next) = median_pair(
            || { black_box(lint_incident(&updates, &cc)); },
            || { black_box(lint_next(&history, &updates[4], &cc)); },
            min,
        );
        let of = median(|| { black_box(History::of(&updates[..4], &cc)); }, min);
        let what = format!("keystroke, {len}-char last of 5 updates ({earlier} chars before it)");
        out += &line(&format!("{what}: lint_incident on all"), all, None);
        out += &line(&format!("{what}: lint_next ({:.2}x faster, CPU)", all.1.as_secs_f64() / next.1.as_secs_f64()), next, None);
        out += &line(&format!("{what}: History::of the 4 before it, once per draft"), of, None);
    }
    // A postmortem with its timeline: the timeline rules read both languages' day-grouped lines.
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/window-overrun-postmortem.toml");
    let incident = desk_model::IncidentDocument::read(&fixture).expect("the sample postmortem");
    let updates = desk_lint::published::published_updates(&desk_templates::TemplateSet::builtin(), &incident).expect("renders");
    let last = updates.len() - 1;
    let history = History::of(&updates[..last], &Config::default());
    let chars = updates[last].body.ja.chars().count() + updates[last].body.en.chars().count();
    let d = median(|| { black_box(lint_next(&history, &updates[last], &Config::default())); }, min);
    let what = format!("keystroke, the postmortem with a {}-entry timeline (window-overrun-postmortem, {chars} chars ja+en): lint_next", incident.updates[last].timeline.len());
    out += &line(&what, d, None);
    let (lo, hi) = per_char.iter().fold((f64::MAX, 0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    out += &format!("linearity: CPU ns/char from {lo:.0} to {hi:.0} across 1,000..25,000 chars (max/min {:.2}; 1.00 is perfectly linear) {}\n", hi / lo, verdict(hi / lo < 2.0));
    print!("\n{out}");
    let dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target")).join("bench-results");
    if std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(dir.join("lint.txt"), &out)).is_err() {
        eprintln!("could not write {}", dir.join("lint.txt").display());
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "OVER TARGET" }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    summary();
}
