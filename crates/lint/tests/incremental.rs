//! The live preview's incremental lint: `lint_next` on update `i` with the
//! `History` of the updates before it must report exactly what
//! `lint_incident` reports on update `i` (same diagnostics, same order),
//! over the sample incidents, hand-made incidents that trigger every rule
//! comparing updates, and generated ones.

use std::path::PathBuf;

use desk_lint::published::{published_update, published_updates};
use desk_lint::{lint_incident, lint_next, Config, Diagnostic, History, LintUpdate, Rule};
use desk_model::{Bilingual, IncidentDocument, Lang, Period, PeriodStyle, Status};
use desk_templates::TemplateSet;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};

fn configs() -> Vec<(&'static str, Config)> {
    vec![
        ("default", Config::default()),
        ("combined body", Config { combined_body: true, ..Config::default() }),
        ("japanese only, glossary", Config { languages: vec![Lang::Ja], glossary: vec!["Tsubame Pay".into()], ..Config::default() }),
    ]
}

/// The property, for every update of `updates`; also that the pieces put
/// together are `lint_incident`'s whole answer, and that `History::of` is
/// the history pushed one update at a time.
fn assert_incremental(name: &str, updates: &[LintUpdate], config: &Config) {
    let all = lint_incident(updates, config);
    let mut pushed = History::default();
    let mut joined: Vec<Diagnostic> = Vec::new();
    for i in 0..updates.len() {
        let history = History::of(&updates[..i], config);
        assert_eq!(history.len(), i);
        assert_eq!(history, pushed, "{name}: History::of and push disagree before update {i}");
        let want: Vec<Diagnostic> = all.iter().filter(|d| d.update == Some(i as u32)).cloned().collect();
        let got = lint_next(&history, &updates[i], config);
        assert_eq!(got, want, "{name}: update {i}");
        joined.extend(got);
        pushed.push(&updates[i], config);
    }
    assert_eq!(joined, all, "{name}: every finding belongs to one update");
}

fn fixtures() -> Vec<(String, desk_model::Incident)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no sample incidents in {}", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let incident = IncidentDocument::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), incident)
        })
        .collect()
}

#[test]
fn sample_incidents_lint_next_matches_lint_incident() {
    let set = TemplateSet::builtin();
    for (name, incident) in fixtures() {
        let updates = published_updates(&set, &incident).unwrap();
        for (cname, config) in configs() {
            assert_incremental(&format!("{name} ({cname})"), &updates, &config);
        }
    }
}

#[test]
fn published_update_is_one_of_published_updates() {
    let set = TemplateSet::builtin();
    for (name, incident) in fixtures() {
        let all = published_updates(&set, &incident).unwrap();
        for (i, u) in all.iter().enumerate() {
            assert_eq!(&published_update(&set, &incident, i).unwrap(), u, "{name}: update {i}");
        }
        assert!(published_update(&set, &incident, all.len()).is_err(), "{name}: past the last update");
    }
}

// Hand-made incidents: a payments outage written for this test.

const TITLE_JA: &str = "Tsubame Payで決済が失敗する障害が発生しています";
const TITLE_EN: &str = "Payments through Tsubame Pay are failing";

const INV_JA: &str = "Tsubame Payでの決済が失敗する障害を調査しています。\n\
■ 発生期間\n2025/06/10 14:05頃〜現在\n\
■ 発生している現象\n- カード決済の一部がエラーになる\n\
続報は30分以内に掲載します。";
const INV_EN: &str = "We are investigating failed payments through Tsubame Pay.\n\
## Period\nJun 10, 2025 14:05 JST – ongoing\n\
## What is happening\n- Some card payments return an error.\n\
We will post the next update within 30 minutes.";

/// The start moved from 14:05 to 13:50 without a word about it.
const DRIFT_JA: &str = "原因を特定し、対応を進めています。\n\
■ 発生期間\n2025/06/10 13:50頃〜現在\n\
■ 発生している現象\n- カード決済の一部がエラーになる\n\
■ 原因\n決済代行との接続設定の不備\n\
続報は30分以内に掲載します。";
const DRIFT_EN: &str = "We have found the cause and are working on a fix.\n\
## Period\nJun 10, 2025 13:50 JST – ongoing\n\
## What is happening\n- Some card payments return an error.\n\
## Cause\nA wrong connection setting towards the payment processor.\n\
We will post the next update within 30 minutes.";

/// The same headings with `■原因`: the marker's spacing drifts.
fn tight(text: &str) -> String {
    text.replace("■ ", "■")
}

const RES_JA: &str = "障害は解消しました。\n\
■ 発生期間\n2025/06/10 13:50頃〜15:20頃\n\
■ 発生した現象\n- カード決済の一部がエラーになっていました\n\
■ 原因\n決済代行との接続設定の不備";
const RES_EN: &str = "This incident has been resolved.\n\
## Period\nJun 10, 2025 13:50–15:20 JST (approx.)\n\
## What happened\n- Some card payments returned an error.\n\
## Cause\nA wrong connection setting towards the payment processor.";

const AGAIN_JA: &str = "決済のエラーが再び発生しているため、調査を再開しました。\n\
■ 発生期間\n2025/06/10 13:50頃〜現在\n\
■ 発生している現象\n- カード決済の一部がエラーになる\n\
続報は30分以内に掲載します。";
const AGAIN_EN: &str = "Payment errors are back and we have reopened the investigation.\n\
## Period\nJun 10, 2025 13:50 JST – ongoing\n\
## What is happening\n- Some card payments return an error.\n\
We will post the next update within 30 minutes.";

fn update(status: Status, title: (&str, &str), ja: &str, en: &str) -> LintUpdate {
    LintUpdate {
        status,
        title: Bilingual { ja: title.0.into(), en: title.1.into() },
        body: Bilingual { ja: ja.into(), en: en.into() },
        period: None,
        next_update_at: None,
    }
}

fn period(text: &str) -> Option<Period> {
    Some(Period::parse(text, &PeriodStyle::default()).unwrap())
}

const TITLE: (&str, &str) = (TITLE_JA, TITLE_EN);
const NO_TITLE: (&str, &str) = ("", "");

/// (name, updates, findings that must be there: (update, rule)).
#[allow(clippy::type_complexity)]
fn hand_made() -> Vec<(&'static str, Vec<LintUpdate>, Vec<(u32, Rule)>)> {
    let inv = update(Status::Investigating, TITLE, INV_JA, INV_EN);
    let drift = update(Status::Identified, TITLE, DRIFT_JA, DRIFT_EN);
    let resolved = update(Status::Resolved, ("【解決済み】Tsubame Payで決済が失敗する障害が発生していました", "[Resolved] Payments through Tsubame Pay failed"), RES_JA, RES_EN);
    let again = update(Status::Investigating, TITLE, AGAIN_JA, AGAIN_EN);
    let mut structured = update(Status::Monitoring, NO_TITLE, "対策を適用し、様子を見ています。\n続報は1時間以内に掲載します。", "We applied a fix and are monitoring.\nWe will post the next update within an hour.");
    structured.period = period("2025/06/10 13:30頃〜現在");
    // Only the English text is written: it states the period.
    let english_only = update(Status::Monitoring, NO_TITLE, " \n", &DRIFT_EN.replace("13:50", "13:40"));
    // No text at all: a structured period is not recorded, a reopening not consumed.
    let mut blank = update(Status::Investigating, NO_TITLE, "", "   ");
    blank.period = period("2025/06/10 09:00頃〜現在");
    let long = "決済のエラーについて、影響を受けたお取引を一件ずつ確認しています。".repeat(400);
    let long_en = "We are checking every affected payment one by one. ".repeat(260);
    let scheduled = update(Status::Scheduled, NO_TITLE, INV_JA, "");
    vec![
        ("period drift", vec![inv.clone(), drift.clone()], vec![(1, Rule::PeriodDrift)]),
        ("structured period drift", vec![inv.clone(), structured.clone(), drift.clone()], vec![(1, Rule::PeriodDrift), (2, Rule::PeriodDrift)]),
        ("marker spacing drift", vec![inv.clone(), update(Status::Identified, TITLE, &tight(DRIFT_JA), DRIFT_EN)], vec![(1, Rule::HeadingStyleMixed)]),
        (
            "marker spacing set by a later update",
            vec![update(Status::Investigating, TITLE, "調査しています。続報は30分以内に掲載します。", INV_EN), update(Status::Identified, TITLE, &tight(DRIFT_JA), DRIFT_EN), drift.clone()],
            vec![(2, Rule::HeadingStyleMixed)],
        ),
        ("duplicate", vec![inv.clone(), drift.clone(), inv.clone()], vec![(2, Rule::UpdateDuplicate)]),
        (
            "duplicate after whitespace",
            vec![inv.clone(), update(Status::Investigating, TITLE, &INV_JA.replace('\n', "\n\n"), INV_EN)],
            vec![(1, Rule::UpdateDuplicate)],
        ),
        ("reopened", vec![inv.clone(), resolved.clone(), again.clone()], vec![(2, Rule::StatusReopened)]),
        ("reopened after a blank update", vec![inv.clone(), resolved.clone(), blank.clone(), again.clone(), again.clone()], vec![(3, Rule::StatusReopened), (4, Rule::UpdateDuplicate)]),
        (
            "repeated title, checked once for its words",
            vec![update(Status::Investigating, ("Tsubmae Payで決済が失敗しています", ""), INV_JA, INV_EN), update(Status::Identified, ("Tsubmae Payで決済が失敗しています", ""), DRIFT_JA, DRIFT_EN)],
            vec![],
        ),
        ("english only and blank", vec![inv.clone(), english_only, blank, drift.clone(), scheduled, resolved.clone()], vec![]),
        ("combined body", vec![inv.clone(), update(Status::Identified, TITLE, &format!("{DRIFT_JA}\n{long}"), &format!("{DRIFT_EN}\n{long_en}"))], vec![(1, Rule::PeriodDrift)]),
        ("everything", vec![inv.clone(), structured, update(Status::Identified, TITLE, &tight(DRIFT_JA), DRIFT_EN), resolved.clone(), inv, again, resolved], vec![]),
    ]
}

#[test]
fn hand_made_incidents_lint_next_matches_lint_incident() {
    for (name, updates, expected) in hand_made() {
        for (cname, config) in configs() {
            let all = lint_incident(&updates, &config);
            for (i, rule) in &expected {
                assert!(all.iter().any(|d| d.update == Some(*i) && d.rule == *rule), "{name} ({cname}): no {} on update {i}: {all:#?}", rule.code());
            }
            assert_incremental(&format!("{name} ({cname})"), &updates, &config);
        }
    }
}

#[test]
fn the_hand_made_incidents_reach_the_carried_state() {
    // The title's misspelling is reported once, on the first update only.
    let (_, updates, _) = hand_made().into_iter().find(|(n, ..)| n.starts_with("repeated title")).unwrap();
    let config = &configs()[2].1;
    let variants: Vec<Option<u32>> = lint_incident(&updates, config).into_iter().filter(|d| d.rule == Rule::GlossaryVariant && d.field == desk_lint::Field::Title).map(|d| d.update).collect();
    assert_eq!(variants, vec![Some(0)]);
    // The combined body is over the limit only when the bodies are combined.
    let (_, updates, _) = hand_made().into_iter().find(|(n, ..)| *n == "combined body").unwrap();
    let over = |config: &Config| lint_next(&History::of(&updates[..1], config), &updates[1], config).iter().any(|d| d.rule == Rule::LimitBody);
    assert!(!over(&Config::default()));
    assert!(over(&Config { combined_body: true, ..Config::default() }));
}

// Generated incidents: updates picked from pieces of the texts above.

fn generated_update() -> impl Strategy<Value = LintUpdate> {
    let bodies = vec![
        (INV_JA.to_string(), INV_EN.to_string()),
        (DRIFT_JA.to_string(), DRIFT_EN.to_string()),
        (tight(DRIFT_JA), DRIFT_EN.to_string()),
        (tight(INV_JA), tight(INV_EN)),
        (RES_JA.to_string(), RES_EN.to_string()),
        (AGAIN_JA.to_string(), AGAIN_EN.to_string()),
        (INV_JA.to_string(), String::new()),
        (String::new(), DRIFT_EN.to_string()),
        (" ".to_string(), String::new()),
        (DRIFT_JA.replace("を特定し", "を特定し（発生時刻を訂正しました）"), DRIFT_EN.to_string()),
        (RES_JA.replace("15:20頃", "15:40頃"), RES_EN.to_string()),
        ("● 発生期間\n2025/06/10 14:05頃〜現在\n●原因\n調査中".to_string(), String::new()),
    ];
    let titles = vec![("", ""), TITLE, ("Tsubmae Payで決済が失敗しています", "Tsubame Pay payments fail"), ("【解決済み】Tsubame Payの決済障害", "[Resolved] Tsubame Pay payments")];
    let periods = vec![None, period("2025/06/10 14:05頃〜現在"), period("2025/06/10 13:50〜15:20")];
    (
        proptest::sample::select(Status::ALL.to_vec()),
        proptest::sample::select(titles),
        proptest::sample::select(bodies),
        proptest::sample::select(periods),
    )
        .prop_map(|(status, (tja, ten), (ja, en), period)| LintUpdate {
            status,
            title: Bilingual { ja: tja.into(), en: ten.into() },
            body: Bilingual { ja, en },
            period,
            next_update_at: None,
        })
}

#[test]
fn generated_incidents_lint_next_matches_lint_incident() {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(RunnerConfig { cases: 64, failure_persistence: None, ..RunnerConfig::default() }, rng);
    let configs = configs();
    runner
        .run(&proptest::collection::vec(generated_update(), 1..7), |updates| {
            for (cname, config) in &configs {
                assert_incremental(cname, &updates, config);
            }
            Ok(())
        })
        .unwrap();
}

