//! Fuzzing the linter with raw text: it must never panic, and every range it
//! reports must lie inside the text, on character boundaries.
//!
//! CI runs a small number of cases. A long session:
//! `DESK_FUZZ_SECONDS=600 cargo test --release -p desk-lint --test fuzz -- --nocapture`
//! (or `DESK_FUZZ_CASES=N` for a fixed count).

use std::time::{Duration, Instant};

use desk_lint::{lint_incident, lint_text, Config, Diagnostic, Field, LintUpdate, TextContext};
use desk_model::{Bilingual, Lang, Status};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};

/// Pieces announcements are made of, so that generated text reaches deep
/// into every rule, mixed with arbitrary characters.
const PIECES: &[&str] = &[
    "■ ", "■", "【", "】", "**", "●", "[", "]", "‹", "›", "## ", "1. ", "(2)", "①", "\n", " ", "　", "：", ":",
    "発生期間", "原因", "対象プロジェクト", "発生している現象", "発生した現象", "今後の対応", "実施した対応",
    "2024/09/31", "2024年09年04日", "2025-06-13", "12/31", "2/30", "(水)", "（火）", "02:51頃", "25:70", "10時30分",
    "〜", "~", " - ", "現在", "確認中", "{{", "}}", "〇〇", "XX:XX", "TBD", "【要記入】", "次第次第", "ますます",
    "発生しています", "発生していました", "解消しました", "続報", "解決済み", "Skylline", "Skyline", "Pulseß", "Ｓｋｙ",
    "We are continuing to investigate this issue.", "https://example.com/a", "`code`", "「", "」", "ß", "β", "е",
    "Jun 13, 2025", "13 June", "approx.", "JST", "the the", "0", "9", "99", "。", "、",
];

fn announcement() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn status() -> impl Strategy<Value = Option<Status>> {
    proptest::option::of(proptest::sample::select(Status::ALL.to_vec()))
}

fn check_ranges(text: &str, title: Option<&str>, diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diagnostics {
        let within = if d.field == Field::Title { title.unwrap_or("") } else { text };
        prop_assert!(d.start <= d.end && (d.end as usize) <= within.len(), "{d:?}");
        prop_assert!(within.is_char_boundary(d.start as usize) && within.is_char_boundary(d.end as usize), "{d:?}");
        prop_assert!(d.line >= 1 && d.column >= 1 && (d.end_line, d.end_column) >= (d.line, d.column), "{d:?}");
    }
    Ok(())
}

fn config() -> Config {
    Config { glossary: vec!["Skyline".into(), "Skyline Relay".into(), "Pulseβ".into()], ..Config::default() }
}

fn one_case(text: &str, title: &Option<String>, status: Option<Status>) -> Result<(), TestCaseError> {
    let config = config();
    for lang in [None, Some(Lang::Ja), Some(Lang::En)] {
        let ctx = TextContext { lang, status, title: title.clone() };
        let got = lint_text(text, &ctx, &config);
        check_ranges(text, title.as_deref(), &got)?;
    }
    let update = LintUpdate {
        status: status.unwrap_or(Status::Investigating),
        title: Bilingual { ja: title.clone().unwrap_or_default(), en: String::new() },
        body: Bilingual { ja: text.to_string(), en: text.chars().rev().collect() },
        period: None,
        next_update_at: None,
    };
    let _ = lint_incident(&[update.clone(), update], &config);
    Ok(())
}

fn strategy() -> impl Strategy<Value = (String, Option<String>, Option<Status>)> {
    (announcement(), proptest::option::of(announcement()), status())
}

#[test]
fn raw_text_never_panics_and_ranges_stay_inside() {
    let seconds: Option<u64> = std::env::var("DESK_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let cases: u32 = std::env::var("DESK_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let started = Instant::now();
    let mut total: u64 = 0;
    let mut batch: u64 = 0;
    loop {
        let batch_cases = if deadline.is_some() { 5_000 } else { cases };
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&batch.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
        let mut runner = TestRunner::new_with_rng(RunnerConfig { cases: batch_cases, failure_persistence: None, ..RunnerConfig::default() }, rng);
        let result = runner.run(&strategy(), |(text, title, status)| one_case(&text, &title, status));
        if let Err(e) = result {
            panic!("after {total} cases: {e}");
        }
        total += u64::from(batch_cases);
        batch += 1;
        match deadline {
            Some(d) if Instant::now() < d => continue,
            _ => break,
        }
    }
    println!("fuzz: {total} cases in {:.1} s without a panic", started.elapsed().as_secs_f64());
}
