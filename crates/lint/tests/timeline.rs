//! The timeline rules (`timeline.order`, `timeline.span`, `timeline.parity`)
//! and what the date rules do with a timeline, on postmortems written as
//! the templates publish them: from `Update::timeline` entries.

use desk_lint::published::published_updates;
use desk_lint::{lint_incident, Config, Diagnostic, LintUpdate, Rule, Severity};
use desk_model::{Bilingual, Incident, Kind, Lang, Period, Status, TimelineEntry, Update};
use desk_templates::TemplateSet;

fn at(day: u32, h: u32, m: u32) -> chrono::DateTime<chrono::Utc> {
    desk_model::period::timestamp::parse(&format!("2024-06-{day:02}T{h:02}:{m:02}:00+09:00")).unwrap()
}

fn entry(day: u32, h: u32, m: u32, ja: &str, en: &str) -> TimelineEntry {
    TimelineEntry { at: at(day, h, m), approximate: false, status: None, ja: ja.into(), en: en.into() }
}

/// A postmortem of an outage from 06:00 on the 17th to 01:40 on the 18th
/// (19 h 40 min), its timeline starting with the window on the 16th.
fn postmortem(summary: Bilingual<&str>) -> Incident {
    let mut inc = Incident::new(Kind::Incident);
    inc.title = Bilingual { ja: "サービスにアクセスできない障害".into(), en: "The service was unavailable".into() };
    inc.period = Some(Period { start: at(17, 6, 0), end: Some(at(18, 1, 40)), approximate: true });
    let mut u = Update::new(Status::Postmortem);
    u.ja.symptoms = summary.ja.into();
    u.en.symptoms = summary.en.into();
    u.ja.scope = "- すべてのお客様".into();
    u.en.scope = "- All customers".into();
    u.ja.actions = "- 元のバージョンに戻しました".into();
    u.en.actions = "- We went back to the previous version".into();
    u.ja.cause = "- キャッシュサーバーの負荷".into();
    u.en.cause = "- Load on the cache servers".into();
    u.ja.prevention = "- 本番と同じ負荷で試験します".into();
    u.en.prevention = "- We will test under production load".into();
    u.timeline = vec![
        TimelineEntry { approximate: true, ..entry(16, 22, 0, "作業を開始", "The work began") },
        entry(17, 6, 0, "サービスを再開", "The service reopened"),
        entry(17, 8, 0, "アクセスできなくなる", "The service became unreachable"),
        entry(17, 23, 0, "切り戻しを開始", "Began going back"),
        TimelineEntry { status: Some(Status::Resolved), ..entry(18, 1, 40, "復旧", "Service was restored") },
    ];
    inc.updates.push(u);
    inc
}

const SUMMARY: Bilingual<&str> = Bilingual {
    ja: "- およそ20時間にわたってご利用いただけませんでした",
    en: "- The service was unavailable for about 20 hours",
};

fn lint(inc: &Incident) -> Vec<Diagnostic> {
    let updates: Vec<LintUpdate> = published_updates(&TemplateSet::builtin(), inc).unwrap();
    lint_incident(&updates, &Config::default())
}

fn timeline_findings(inc: &Incident) -> Vec<(Rule, Lang, Severity, String)> {
    let updates = published_updates(&TemplateSet::builtin(), inc).unwrap();
    lint_incident(&updates, &Config::default())
        .into_iter()
        .filter(|d| matches!(d.rule, Rule::TimelineOrder | Rule::TimelineSpan | Rule::TimelineParity))
        .map(|d| {
            let lang = d.lang.unwrap();
            let body = updates[d.update.unwrap() as usize].body.get(lang);
            (d.rule, lang, d.severity, body[d.start as usize..d.end as usize].to_string())
        })
        .collect()
}

#[test]
fn a_timeline_that_agrees_with_itself_is_clean() {
    let found = lint(&postmortem(SUMMARY));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn an_entry_out_of_order_is_reported_once_at_its_time() {
    let mut inc = postmortem(SUMMARY);
    inc.updates[0].timeline.swap(2, 3);
    assert_eq!(timeline_findings(&inc), vec![(Rule::TimelineOrder, Lang::Ja, Severity::Error, "08:00".to_string())]);
    // An entry on an earlier day, written after a later one, is out of order too.
    let mut inc = postmortem(SUMMARY);
    inc.updates[0].timeline.swap(0, 1);
    assert_eq!(timeline_findings(&inc), vec![(Rule::TimelineOrder, Lang::Ja, Severity::Error, "22:00頃".to_string())]);
}

#[test]
fn an_english_timeline_typed_out_of_order_is_reported_on_the_english() {
    let mut inc = postmortem(SUMMARY);
    let en = "Monday, June 17, 2024\n08:00: The service became unreachable\n06:00: The service reopened";
    let ja = "≫2024年6月17日(月)\n06:00: サービスを再開\n08:00: アクセスできなくなる";
    inc.updates[0].timeline.clear();
    inc.updates[0].ja.note = ja.into();
    inc.updates[0].en.note = en.into();
    let found = timeline_findings(&inc);
    assert!(found.contains(&(Rule::TimelineOrder, Lang::En, Severity::Error, "06:00".to_string())), "{found:#?}");
    assert!(!found.iter().any(|f| f.0 == Rule::TimelineOrder && f.1 == Lang::Ja), "{found:#?}");
}

#[test]
fn a_stated_duration_must_match_the_period_within_the_tolerance() {
    // 19 h 40 min; the tolerance is the larger of 30 minutes and a tenth (1 h 58 min).
    for fine in ["およそ18時間", "約21時間", "20時間弱にわたり"] {
        let summary = Bilingual { ja: fine, en: "- for about 20 hours" };
        assert!(timeline_findings(&postmortem(summary)).is_empty(), "{fine}");
    }
    let wrong = Bilingual { ja: "- 約3時間半にわたってご利用いただけませんでした", en: "- The service was unavailable for about 20 hours" };
    assert_eq!(timeline_findings(&postmortem(wrong)), vec![(Rule::TimelineSpan, Lang::Ja, Severity::Warning, "約3時間半".to_string())]);
    // The same wrong figure in both languages is one finding; another one in English is its own.
    let both = Bilingual { ja: "- 約3時間半にわたって", en: "- for about 3.5 hours" };
    assert_eq!(timeline_findings(&postmortem(both)).len(), 1);
    let other = Bilingual { ja: "- 約3時間半にわたって", en: "- for about 5 hours" };
    let found = timeline_findings(&postmortem(other));
    assert_eq!(found.iter().map(|f| (f.1, f.3.as_str())).collect::<Vec<_>>(), vec![(Lang::Ja, "約3時間半"), (Lang::En, "about 5 hours")]);
}

#[test]
fn without_a_period_the_duration_is_the_timelines_first_to_last() {
    let mut inc = postmortem(Bilingual { ja: "- およそ28時間にわたって", en: "- for about 28 hours" });
    inc.period = None;
    inc.updates[0].ja.note = "■ 発生期間\n下記の経緯のとおり".into();
    // 22:00 on the 16th to 01:40 on the 18th: 27 h 40 min.
    let found: Vec<(Rule, Lang)> = timeline_findings(&inc).into_iter().map(|f| (f.0, f.1)).collect();
    assert!(found.is_empty(), "{found:?}");
    let mut inc = postmortem(SUMMARY);
    inc.period = None;
    let found = timeline_findings(&inc);
    assert_eq!(found.len(), 1, "20 hours is not 27 h 40 min: {found:?}");
    assert_eq!(found[0].3, "およそ20時間");
}

#[test]
fn a_period_whose_ends_are_not_on_the_timeline_is_reported() {
    let mut inc = postmortem(SUMMARY);
    // The period says it ended at 03:00; the timeline says 01:40.
    inc.period = Some(Period { start: at(17, 6, 0), end: Some(at(18, 3, 0)), approximate: false });
    let found = timeline_findings(&inc);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].0, found[0].2), (Rule::TimelineSpan, Severity::Warning));
    let d = lint(&inc).into_iter().find(|d| d.rule == Rule::TimelineSpan).unwrap();
    assert!(d.message.en.contains("end (Jun 18, 2024 03:00)"), "{}", d.message.en);
    // Within 30 minutes of an approximate entry is the same moment.
    let mut inc = postmortem(SUMMARY);
    inc.period = Some(Period { start: at(17, 6, 20), end: Some(at(18, 1, 40)), approximate: true });
    assert!(timeline_findings(&inc).is_empty());
}

#[test]
fn timelines_with_other_times_or_counts_in_the_two_languages() {
    let mut inc = postmortem(SUMMARY);
    inc.updates[0].timeline[2].en.clear();
    assert_eq!(timeline_findings(&inc), vec![(Rule::TimelineParity, Lang::Ja, Severity::Error, "08:00".to_string())]);
    // Typed by hand: the English says 08:30 where the Japanese says 08:00.
    let mut inc = postmortem(SUMMARY);
    inc.updates[0].timeline.clear();
    inc.updates[0].ja.note = "≫2024年6月17日(月)\n06:00: 再開\n08:00: 停止".into();
    inc.updates[0].en.note = "Monday, June 17, 2024\n06:00: Reopened\n08:30: Stopped".into();
    let found = timeline_findings(&inc);
    assert!(found.contains(&(Rule::TimelineParity, Lang::En, Severity::Error, "08:30".to_string())), "{found:#?}");
}

#[test]
fn weekdays_are_checked_in_both_languages_and_day_headings_are_no_mixed_notation() {
    let summary = Bilingual {
        ja: "- 2024/06/17 (火) 06:00頃から、およそ20時間にわたって",
        en: "- From 06:00 JST on Tuesday, June 17, 2024, for about 20 hours",
    };
    let found: Vec<(Rule, Lang)> = lint(&postmortem(summary)).into_iter().map(|d| (d.rule, d.lang.unwrap())).collect();
    assert_eq!(found, vec![(Rule::DateInvalid, Lang::Ja), (Rule::DateInvalid, Lang::En)]);
    // The day headings (≫2024年6月17日(月)) are not the prose's slash dates: no date.format-mixed.
    let summary = Bilingual { ja: "- 2024/06/17 (月) 06:00頃から、およそ20時間にわたって", en: "- From 06:00 JST on Monday, June 17, 2024, for about 20 hours" };
    assert!(lint(&postmortem(summary)).is_empty());
}

#[test]
fn raw_text_is_checked_for_order_and_stated_duration() {
    use desk_lint::{lint_text, TextContext};
    let ctx = TextContext { lang: None, status: Some(Status::Postmortem), title: None };
    let codes = |text: &str| -> Vec<&'static str> {
        lint_text(text, &ctx, &Config::default()).into_iter().map(|d| d.rule.code()).filter(|c| c.starts_with("timeline.")).collect()
    };
    let text = "■ 発生期間\n2024/06/17 06:00頃〜2024/06/18 01:40頃\n\nおよそ20時間弱にわたり停止しました。\n\n■ 経緯\n≫2024年6月16日(日)\n22:00頃: 作業開始\n\n≫2024年6月17日(月)\n6:00: 公開\n8:00: 停止\n\n≫2024年6月18日(火)\n1:40: 復旧\n\n■ 本件の原因と対策\n設定の誤り。試験を増やします。";
    assert!(codes(text).is_empty(), "{:?}", codes(text));
    assert_eq!(codes(&text.replace("6:00: 公開\n8:00: 停止", "8:00: 停止\n6:00: 公開")), ["timeline.order"]);
    assert_eq!(codes(&text.replace("およそ20時間弱", "約3時間")), ["timeline.span"]);
    // The renewal report in ../shared/seeds (when present) agrees with itself.
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/002_0554dd0b565fc892.txt");
    match std::fs::read_to_string(&seed) {
        Ok(report) => {
            assert!(codes(&report).is_empty(), "{:?}", codes(&report));
            assert_eq!(codes(&report.replace("7:00: 徐々に", "5:00: 徐々に")), ["timeline.order"]);
        }
        Err(_) => eprintln!("skipped the seed: {} is not here", seed.display()),
    }
}
