//! The checks on a maintenance's window (`Update::maintenance`): the form's
//! values against the clock and against the period the text states.
//!
//! Findings on the form itself have `Field::Maintenance` and no place in a
//! text (line and column 0); a period in the text that disagrees with the
//! window points at the text's period section.

use chrono::{DateTime, Duration, Utc};
use desk_model::{Bilingual, Lang, MaintenanceWindow, Period, Status};

use crate::diagnostic::{msg, Diagnostic, Field, Rule, Severity};
use crate::{Analysed, Config, Sink};

/// How far the text's period may sit from the window before it disagrees
/// (a rounded "22:00頃" is still the window's 22:00).
const SLACK_MINUTES: i64 = 5;

/// The checks of one maintenance update's window at `now`: `bodies` are the
/// texts as published (to compare their stated period with the window).
pub fn lint_maintenance(
    window: &MaintenanceWindow,
    status: Status,
    bodies: &Bilingual<String>,
    now: DateTime<Utc>,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut form = |rule: Rule, default: Severity, message: Bilingual<String>| {
        if let Some(severity) = config.level(rule, default) {
            out.push(form_finding(rule, severity, message));
        }
    };
    let style = &config.period_style;
    let when = |at: DateTime<Utc>, lang: Lang| style.format_instant(at, lang);
    if window.end <= window.start {
        form(
            Rule::MaintenanceOrder,
            Severity::Error,
            msg(
                format!("メンテナンスの終了 ({}) が開始 ({}) より前です。", when(window.end, Lang::Ja), when(window.start, Lang::Ja)),
                format!("The maintenance ends ({}) before it starts ({}).", when(window.end, Lang::En), when(window.start, Lang::En)),
            ),
        );
    }
    let scheduling = status == Status::Scheduled;
    if scheduling && window.end <= now {
        form(
            Rule::MaintenancePast,
            Severity::Error,
            msg(
                format!("予定のメンテナンス枠はすでに終わっています（終了 {}）。", when(window.end, Lang::Ja)),
                format!("The scheduled window is already over (it ended {}).", when(window.end, Lang::En)),
            ),
        );
    } else if scheduling && window.start < now {
        form(
            Rule::MaintenancePast,
            Severity::Error,
            msg(
                format!("予定のメンテナンスの開始 ({}) が過ぎています。「実施中」で公開するか、開始を直してください。", when(window.start, Lang::Ja)),
                format!("The scheduled start ({}) has passed: publish it as in progress, or correct the start.", when(window.start, Lang::En)),
            ),
        );
    }
    if let (Some(minutes), Some(at)) = (window.remind_before_minutes, window.reminder_at()) {
        if minutes == 0 {
            form(
                Rule::MaintenanceReminder,
                Severity::Warning,
                msg("リマインドが開始と同時です。開始より前の時刻にしてください。", "The reminder is at the start itself: set it before the start."),
            );
        } else if scheduling && at < now && window.start >= now {
            form(
                Rule::MaintenanceReminder,
                Severity::Warning,
                msg(
                    format!("リマインドの時刻 ({}、開始{minutes}分前) はもう過ぎているため送られません。", when(at, Lang::Ja)),
                    format!("The reminder time ({}, {minutes} minutes before the start) has passed: no reminder will go out.", when(at, Lang::En)),
                ),
            );
        }
    }
    let mut sink = Sink::new(config);
    for lang in Lang::ALL {
        let text = bodies.get(lang);
        if text.trim().is_empty() {
            continue;
        }
        let t = Analysed::new(text, Some(lang));
        let Some((period, at)) = crate::incident::stated_period(&t, config) else { continue };
        if let Some(message) = disagreement(window, &period, config, lang) {
            sink.report(&t, Field::Body, Rule::MaintenancePeriod, Severity::Warning, at, message, None);
        }
    }
    out.extend(sink.out);
    out
}

fn form_finding(rule: Rule, severity: Severity, message: Bilingual<String>) -> Diagnostic {
    Diagnostic::on_form(Field::Maintenance, rule, severity, message)
}

/// What differs between the window and the period a text states.
fn disagreement(window: &MaintenanceWindow, period: &Period, config: &Config, lang: Lang) -> Option<Bilingual<String>> {
    let slack = Duration::minutes(SLACK_MINUTES);
    let off = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).abs() > slack;
    let start_off = off(period.start, window.start);
    let end_off = period.end.is_some_and(|e| off(e, window.end));
    if !start_off && !end_off {
        return None;
    }
    let style = &config.period_style;
    let said = style.format_period(period, lang);
    let set = window.period();
    let ja_lang = if lang == Lang::Ja { "日本語" } else { "英語" };
    let en_lang = if lang == Lang::Ja { "Japanese" } else { "English" };
    Some(msg(
        format!("{ja_lang}の本文の期間「{said}」が、メンテナンス枠 ({}) と合いません。", style.format_period(&set, Lang::Ja)),
        format!("The {en_lang} text's period “{said}” does not match the maintenance window ({}).", style.format_period(&set, Lang::En)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn window() -> MaintenanceWindow {
        MaintenanceWindow::new(at("2026-12-10T22:00:00+09:00"), at("2026-12-11T06:00:00+09:00"))
    }

    const JA: &str = "■ 実施日時\n2026/12/10 22:00〜2026/12/11 06:00\n\n■ 影響\n- ログインできません\n";
    const EN: &str = "## Maintenance window\nDec 10, 2026 from 10:00pm to Dec 11, 2026 6:00am JST\n";

    fn codes(d: &[Diagnostic]) -> Vec<(&'static str, Option<Lang>)> {
        d.iter().map(|d| (d.code(), d.lang)).collect()
    }

    fn bodies(ja: &str, en: &str) -> Bilingual<String> {
        Bilingual { ja: ja.into(), en: en.into() }
    }

    #[test]
    fn a_window_that_agrees_with_its_text_ahead_of_time_is_quiet() {
        let d = lint_maintenance(&window(), Status::Scheduled, &bodies(JA, EN), at("2026-12-01T10:00:00+09:00"), &Config::default());
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn an_end_before_the_start() {
        let w = MaintenanceWindow { end: at("2026-12-10T21:00:00+09:00"), ..window() };
        let d = lint_maintenance(&w, Status::Scheduled, &bodies("", ""), at("2026-12-01T10:00:00+09:00"), &Config::default());
        assert_eq!(codes(&d), [("maintenance.order", None)]);
        assert_eq!(d[0].field, Field::Maintenance);
        assert!(d[0].message.ja.contains("2026/12/10 21:00"), "{}", d[0].message.ja);
    }

    #[test]
    fn a_window_in_the_past_only_when_scheduling() {
        let late = at("2026-12-11T07:00:00+09:00");
        let d = lint_maintenance(&window(), Status::Scheduled, &bodies("", ""), late, &Config::default());
        assert_eq!(codes(&d), [("maintenance.past", None)]);
        assert!(d[0].message.en.contains("already over"));
        let started = lint_maintenance(&window(), Status::Scheduled, &bodies("", ""), at("2026-12-10T23:00:00+09:00"), &Config::default());
        assert_eq!(codes(&started), [("maintenance.past", None)]);
        assert!(started[0].message.en.contains("has passed"));
        // In progress, a window that has begun (or ended: the overrun) is no mistake of the form.
        assert!(lint_maintenance(&window(), Status::InProgress, &bodies("", ""), late, &Config::default()).is_empty());
    }

    #[test]
    fn a_reminder_that_cannot_go_out() {
        let d = lint_maintenance(&window(), Status::Scheduled, &bodies("", ""), at("2026-12-10T21:30:00+09:00"), &Config::default());
        assert_eq!(codes(&d), [("maintenance.reminder", None)]);
        assert!(d[0].message.ja.contains("2026/12/10 21:00"), "{}", d[0].message.ja);
        let at_start = MaintenanceWindow { remind_before_minutes: Some(0), ..window() };
        let d = lint_maintenance(&at_start, Status::Scheduled, &bodies("", ""), at("2026-12-01T10:00:00+09:00"), &Config::default());
        assert_eq!(codes(&d), [("maintenance.reminder", None)]);
        let none = MaintenanceWindow { remind_before_minutes: None, ..window() };
        assert!(lint_maintenance(&none, Status::Scheduled, &bodies("", ""), at("2026-12-10T21:30:00+09:00"), &Config::default()).is_empty());
    }

    #[test]
    fn a_text_whose_period_is_not_the_window() {
        let ja = JA.replace("06:00", "08:00");
        let en = EN.replace("10:00pm", "11:00pm");
        let d = lint_maintenance(&window(), Status::Scheduled, &bodies(&ja, &en), at("2026-12-01T10:00:00+09:00"), &Config::default());
        assert_eq!(codes(&d), [("maintenance.period", Some(Lang::Ja)), ("maintenance.period", Some(Lang::En))]);
        assert_eq!((d[0].field, d[0].line), (Field::Body, 1), "points at the period section");
        assert!(d[0].message.ja.contains("2026/12/10 22:00〜2026/12/11 08:00"), "{}", d[0].message.ja);
        // Severity overrides apply.
        let off: Config = Config::from_toml("[severity]\n\"maintenance.period\" = \"off\"\n").unwrap();
        assert!(lint_maintenance(&window(), Status::Scheduled, &bodies(&ja, &en), at("2026-12-01T10:00:00+09:00"), &off).is_empty());
    }
}
