//! `date.invalid`, `period.order`, `date.format-mixed`.

use chrono::{Datelike, NaiveDate, Weekday};
use desk_model::dates::{DateMention, DateNotation, Malformation, Mention, RangeEnd, TimeNotation};

use crate::config::DateFormat;
use crate::prose::Meridiem;
use super::majority;
use crate::diagnostic::msg;
use crate::{Analysed, Cx, Field, Rule, Severity, Sink};

pub(crate) fn check(t: &Analysed, cx: &Cx, sink: &mut Sink) {
    invalid(t, sink);
    twelve_hour(t, sink);
    order(t, sink);
    prose_order(t, sink);
    format_mixed(t, cx, sink);
}

/// `13:00 PM`, `0:30 AM`: a 12-hour time whose hour is not 1 to 12.
fn twelve_hour(t: &Analysed, sink: &mut Sink) {
    for c in &t.prose().clocks {
        let Some(meridiem) = c.meridiem else { continue };
        if c.hour24().is_some() && c.minute < 60 || t.skipped(c.start, c.end) {
            continue;
        }
        let written = &t.text[c.start..c.end];
        let digits = written.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(written.len());
        let rest = &written[digits..];
        // 0:30 AM is 12:30 AM; 13:00 PM is 1:00 PM; 13:00 AM contradicts itself.
        let fixed = match (c.hour, meridiem) {
            _ if c.minute >= 60 => None,
            (0, _) => Some(format!("12{rest}")),
            (13..=23, Meridiem::Pm) => Some(format!("{}{rest}", c.hour - 12)),
            _ => None,
        };
        let (ja, en) = match &fixed {
            Some(f) => (format!("12時間制では「{f}」と書きます。"), format!("on a 12-hour clock it is “{f}”.")),
            None if c.minute >= 60 => ("分は0〜59です。".to_string(), "minutes run from 0 to 59.".to_string()),
            None => ("24時間制の時刻に午前・午後は付けられません。".to_string(), "a 24-hour time takes no am/pm.".to_string()),
        };
        sink.report(
            t,
            Field::Body,
            Rule::DateInvalid,
            Severity::Error,
            (c.start, c.end),
            msg(format!("「{written}」は12時間制の時刻としてありえません。{ja}"), format!("“{written}” is not a 12-hour time: {en}")),
            fixed,
        );
    }
}

/// Periods written in words (`from 11:00 PM to 1:00 AM UTC on …`): the
/// same check as [`order`], with 12-hour clocks and zones read.
fn prose_order(t: &Analysed, sink: &mut Sink) {
    let clocks = &t.prose().clocks;
    for p in &t.prose().periods {
        let (Some(from), Some(to)) = (&p.from, &p.to) else { continue };
        let (Some(a), Some(b)) = (from.clock.map(|k| clocks[k]), to.clock.map(|k| clocks[k])) else { continue };
        let (Some(am), Some(bm)) = (a.minutes(), b.minutes()) else { continue };
        if t.skipped(p.start, p.end) {
            continue;
        }
        // Both in UTC when both zones are known.
        let (am, bm) = match (a.zone.and_then(|z| z.offset), b.zone.and_then(|z| z.offset)) {
            (Some(x), Some(y)) => (am as i64 - x as i64, bm as i64 - y as i64),
            _ => (am as i64, bm as i64),
        };
        let day = |d: &DateMention, year: i32| NaiveDate::from_ymd_opt(d.year.unwrap_or(year), d.month, d.day).map(|x| x.num_days_from_ce() as i64);
        match (&from.date, &to.date) {
            (Some(fd), Some(td)) => {
                if fd.year.is_none() && td.year.is_none() && td.month < fd.month {
                    continue; // Dec 31 to Jan 1: the year turned.
                }
                let year = fd.year.or(td.year).unwrap_or(2000);
                let (Some(x), Some(y)) = (day(fd, year), day(td, year)) else { continue };
                if y * 1440 + bm < x * 1440 + am {
                    report_backwards(t, sink, (p.start, p.end), true);
                }
            }
            // Times alone: on a clock face, once both are in one zone.
            (_, None) if bm.rem_euclid(1440) < am.rem_euclid(1440) => report_backwards(t, sink, (p.start, p.end), false),
            _ => {}
        }
    }
}

/// A period whose end comes before its start: certain when both ends carry
/// a date, else perhaps a period past midnight without the end's date.
fn report_backwards(t: &Analysed, sink: &mut Sink, span: (usize, usize), certain: bool) {
    let written = &t.text[span.0..span.1];
    let (severity, message) = if certain {
        (Severity::Error, msg(format!("「{written}」は終わりが始まりより前になっています。"), format!("“{written}” ends before it starts.")))
    } else {
        (
            Severity::Warning,
            msg(
                format!("「{written}」は終わりが始まりより前です。日をまたいだ場合は終わりの日付も書いてください。"),
                format!("“{written}” ends before it starts; if it ran past midnight, write the end's date."),
            ),
        )
    };
    sink.report(t, Field::Body, Rule::PeriodOrder, severity, span, message, None);
}

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

fn weekday_names(w: Weekday) -> (&'static str, String) {
    (WEEKDAYS_JA[w.num_days_from_monday() as usize], format!("{w:?}"))
}

fn month_days(year: Option<i32>, month: u32) -> u32 {
    match month {
        2 => match year {
            Some(y) if NaiveDate::from_ymd_opt(y, 2, 29).is_none() => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn invalid(t: &Analysed, sink: &mut Sink) {
    let mut last_year = None;
    for m in &t.mentions {
        let Mention::Date(d) = m else { continue };
        // The date alone, without the weekday and time written after it.
        let date_len = date_part_len(&t.text[d.start..d.end], d.notation);
        let written = &t.text[d.start..d.start + date_len];
        let span = (d.start, d.start + date_len);
        if t.skipped(d.start, d.end) {
            continue;
        }
        if d.malformation == Some(Malformation::YearMarkerForMonth) {
            let fixed = fix_year_marker(written);
            sink.report(
                t,
                Field::Body,
                Rule::DateInvalid,
                Severity::Error,
                (d.start, d.start + date_len),
                msg(
                    format!("「{written}」は月の位置に「年」があります。「{fixed}」の誤りではありませんか。"),
                    format!("“{written}” has 年 (year) where 月 (month) belongs: “{fixed}”."),
                ),
                Some(fixed),
            );
        } else if d.is_impossible() {
            // A bare M/D with a day past 31 is more likely a ratio than a date.
            if d.year.is_none() && (d.day > 31 || d.month > 12) {
                continue;
            }
            let (ja, en) = if (1..=12).contains(&d.month) {
                let max = month_days(d.year, d.month);
                (format!("{}月は{}日までです", d.month, max), format!("month {} has {} days", d.month, max))
            } else {
                ("月は1〜12です".to_string(), "months run from 1 to 12".to_string())
            };
            sink.report(
                t,
                Field::Body,
                Rule::DateInvalid,
                Severity::Error,
                span,
                msg(format!("「{written}」という日付はありません（{ja}）。"), format!("There is no such date as “{written}” ({en}).")),
                None,
            );
        } else if d.has_impossible_time() {
            sink.report(
                t,
                Field::Body,
                Rule::DateInvalid,
                Severity::Error,
                span,
                msg(format!("「{written}」の時刻はありません。"), format!("“{written}” is not a time of day.")),
                None,
            );
        } else if let Some((w, ws, we)) = d.weekday {
            if let Some(actual) = d.date(d.year.or(last_year)).map(|x| x.weekday()) {
                if actual != w {
                    let (aj, ae) = weekday_names(actual);
                    let (wj, wen) = weekday_names(w);
                    sink.report(
                        t,
                        Field::Body,
                        Rule::DateInvalid,
                        Severity::Error,
                        (ws, we),
                        msg(
                            format!("{}月{}日は{aj}曜日です（{wj}曜日と書かれています）。日付と曜日のどちらかが誤っています。", d.month, d.day),
                            format!("{}/{} is a {ae}, not a {wen}: the date or the weekday is wrong.", d.month, d.day),
                        ),
                        None,
                    );
                }
            }
        }
        last_year = d.year.or(last_year);
    }
}

/// `2024年09年04日` → `2024年09月04日`: the second 年 is the month's.
fn fix_year_marker(written: &str) -> String {
    match written.match_indices('年').nth(1) {
        Some((i, _)) => format!("{}月{}", &written[..i], &written[i + '年'.len_utf8()..]),
        None => written.to_string(),
    }
}

/// The length of the date itself at the start of a mention's text.
fn date_part_len(written: &str, notation: DateNotation) -> usize {
    match notation {
        DateNotation::Kanji => written.find('日').map_or(written.len(), |i| i + '日'.len_utf8()),
        DateNotation::Slash | DateNotation::Dash => written
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '/' | '-' | '０'..='９')))
            .map_or(written.len(), |(i, _)| i),
        DateNotation::English => written.len(),
    }
}

fn minutes(d: &DateMention) -> Option<u32> {
    d.time.map(|t| t.hour * 60 + t.minute)
}

fn order(t: &Analysed, sink: &mut Sink) {
    let prose = &t.prose().periods;
    for r in t.ranges() {
        let from = &r.from;
        if from.is_impossible() || from.malformation.is_some() || t.skipped(r.start, r.end) {
            continue;
        }
        // Read in words, with its am/pm and zones: checked by `prose_order`.
        if prose.iter().any(|p| p.start < r.end && r.start < p.end) {
            continue;
        }
        match &r.to {
            RangeEnd::Time(end) => {
                let (Some(start), end_min) = (minutes(from), end.time.hour * 60 + end.time.minute) else { continue };
                if end_min < start {
                    report_backwards(t, sink, (r.start, r.end), false);
                }
            }
            RangeEnd::Date(end) => {
                if end.is_impossible() || end.malformation.is_some() {
                    continue;
                }
                if from.year.is_none() && end.year.is_none() && end.month < from.month {
                    continue; // 12/31〜1/1: the year turned.
                }
                let year = from.year.unwrap_or(2000);
                let key = |y: i32, d: &DateMention| (y, d.month, d.day, minutes(d).unwrap_or(0));
                if key(end.year.unwrap_or(year), end) < key(year, from) {
                    report_backwards(t, sink, (r.start, r.end), true);
                }
            }
            RangeEnd::Open => {}
        }
    }
}

fn notation_name(n: DateNotation) -> (&'static str, &'static str) {
    match n {
        DateNotation::Slash => ("2025/06/13", "2025/06/13"),
        DateNotation::Dash => ("2025-06-13", "2025-06-13"),
        DateNotation::Kanji => ("2025年6月13日", "2025年6月13日"),
        DateNotation::English => ("Jun 13, 2025", "Jun 13, 2025"),
    }
}


fn format_mixed(t: &Analysed, cx: &Cx, sink: &mut Sink) {
    // A timeline's day headings are written in the organisation's own
    // pattern for them (`≫2026年6月14日(日)`), not in the prose's notation.
    let day_lines: Vec<usize> = desk_model::timeline::read(t.text, &cx.config.period_style, None).iter().map(|e| e.day_line).collect();
    let on_day_line = |d: &DateMention| day_lines.contains(&t.text[..d.start].rfind('\n').map_or(0, |n| n + 1));
    let dated: Vec<&DateMention> = t
        .mentions
        .iter()
        .filter_map(|m| match m {
            Mention::Date(d) if d.notation != DateNotation::English && !t.skipped(d.start, d.end) && !on_day_line(d) => Some(d),
            _ => None,
        })
        .collect();
    let notations: Vec<DateNotation> = dated.iter().map(|d| d.notation).collect();
    let wanted = match cx.config.date_format {
        DateFormat::Any => majority(&notations),
        DateFormat::Slash => Some(DateNotation::Slash),
        DateFormat::Dash => Some(DateNotation::Dash),
        DateFormat::Kanji => Some(DateNotation::Kanji),
    };
    let Some(wanted) = wanted else { return };
    let policy = cx.config.date_format != DateFormat::Any;
    let mut reported = Vec::new();
    for d in &dated {
        // Report each other notation once, at its first use.
        if d.notation == wanted || reported.contains(&d.notation) {
            continue;
        }
        reported.push(d.notation);
        let (w, _) = notation_name(wanted);
        let written = &t.text[d.start..d.end];
        let (ja, en) = if policy {
            ("組織の表記", "the organisation's format")
        } else {
            ("この文中の他の日付", "the other dates in this text")
        };
        sink.report(
            t,
            Field::Body,
            Rule::DateFormatMixed,
            Severity::Warning,
            (d.start, d.end),
            msg(format!("「{written}」の表記が{ja}（{w}）と違います。"), format!("“{written}” is not written like {en} ({w}).")),
            None,
        );
    }
    // Times: 10:00 beside 10時00分.
    let times: Vec<(usize, usize, TimeNotation)> = t
        .mentions
        .iter()
        .filter_map(|m| match m {
            Mention::Date(d) => d.time.map(|x| (d.start, d.end, x.notation)),
            Mention::Time(x) => Some((x.start, x.end, x.time.notation)),
        })
        .filter(|(s, e, _)| !t.skipped(*s, *e))
        .collect();
    let kinds: Vec<TimeNotation> = times.iter().map(|x| x.2).collect();
    let wanted_time = match cx.config.date_format {
        DateFormat::Kanji => Some(TimeNotation::Kanji),
        DateFormat::Slash | DateFormat::Dash => Some(TimeNotation::Colon),
        DateFormat::Any => majority(&kinds),
    };
    let Some(wanted_time) = wanted_time else { return };
    if let Some((s, e, _)) = times.iter().find(|x| x.2 != wanted_time) {
        let written = &t.text[*s..*e];
        let w = if wanted_time == TimeNotation::Colon { "10:30" } else { "10時30分" };
        sink.report(
            t,
            Field::Body,
            Rule::DateFormatMixed,
            Severity::Warning,
            (*s, *e),
            msg(format!("「{written}」の時刻の表記が他と違います（{w}）。"), format!("The time in “{written}” is not written like the others ({w}).")),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{lint_text, Config, Rule, Severity, TextContext};

    fn codes(text: &str) -> Vec<(Rule, Severity, Option<String>)> {
        lint_text(text, &TextContext::default(), &Config::default())
            .into_iter()
            .map(|d| (d.rule, d.severity, d.suggestion))
            .collect()
    }

    #[test]
    fn impossible_days_are_errors() {
        let got = codes("■ 発生期間\n2023/09/31 10:00〜11:00");
        assert!(got.contains(&(Rule::DateInvalid, Severity::Error, None)), "{got:?}");
        assert!(codes("2/30 14:00頃から遅延").iter().any(|c| c.0 == Rule::DateInvalid));
        assert!(codes("■ 発生期間\n2023/09/30 10:00〜11:00").is_empty());
        assert!(codes("2024/02/29 09:00 に再起動").is_empty(), "a leap day exists");
    }

    #[test]
    fn year_marker_where_the_month_belongs_has_a_fix() {
        let got = codes("2023年10年02日 09時15分頃に発生");
        assert_eq!(got, [(Rule::DateInvalid, Severity::Error, Some("2023年10月02日".into()))]);
    }

    #[test]
    fn weekdays_must_match() {
        // 2025-03-04 is a Tuesday.
        let got = codes("2025/03/04 (水) 10:00 に実施");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, Rule::DateInvalid);
        assert!(codes("2025/03/04 (火) 10:00 に実施").is_empty());
        // The year comes from the date before.
        assert_eq!(codes("2025/03/04 10:00 から 3/5(月) 09:00 まで").len(), 1);
    }

    #[test]
    fn periods_must_run_forwards() {
        let got = codes("2025/03/04 12:00〜2025/03/03 09:00");
        assert_eq!(got[0].0, Rule::PeriodOrder);
        assert_eq!(got[0].1, Severity::Error);
        let got = codes("2025/03/04 23:10〜01:20");
        assert_eq!(got[0], (Rule::PeriodOrder, Severity::Warning, None));
        assert!(codes("2025/03/04 10:00〜12:00").is_empty());
        assert!(codes("12/31 22:00〜1/1 01:00").is_empty());
    }

    #[test]
    fn twelve_hour_times_must_exist() {
        let en = |text: &str| -> Vec<(Rule, Severity, Option<String>)> {
            lint_text(text, &TextContext { lang: Some(desk_model::Lang::En), ..TextContext::default() }, &Config::default())
                .into_iter()
                .map(|d| (d.rule, d.severity, d.suggestion))
                .collect()
        };
        assert_eq!(en("Exports failed at 13:00 PM."), [(Rule::DateInvalid, Severity::Error, Some("1:00 PM".into()))]);
        assert_eq!(en("Exports failed at 0:30 AM."), [(Rule::DateInvalid, Severity::Error, Some("12:30 AM".into()))]);
        assert_eq!(en("Exports failed at 00:30am."), [(Rule::DateInvalid, Severity::Error, Some("12:30am".into()))]);
        assert_eq!(en("Exports failed at 13:00 AM."), [(Rule::DateInvalid, Severity::Error, None)]);
        assert_eq!(codes("13:00 PMに再開"), [(Rule::DateInvalid, Severity::Error, Some("1:00 PM".into()))], "in Japanese text too");
        for ok in ["Exports failed at 12:00 AM.", "at 12:30 pm", "at 1:01pm PDT", "at 11 p.m.", "at 13:00", "pm2.5 is 13"] {
            assert!(en(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn periods_in_english_words_must_run_forwards() {
        let en = |text: &str| -> Vec<(Rule, Severity)> {
            lint_text(text, &TextContext { lang: Some(desk_model::Lang::En), ..TextContext::default() }, &Config::default())
                .into_iter()
                .map(|d| (d.rule, d.severity))
                .collect()
        };
        for ok in [
            "Sign-in failed from 12:10am to 1:01pm PDT.",
            "Deliveries were delayed between 14:00 and 15:30 UTC.",
            "From October 16, 2020 from 12:10am to 1:01pm, exports failed.",
            "Exports are paused until 3 PM.",
            "Mar 4, 2025 10:00 – 1:00 PM JST",
            "from 23:00 UTC to 08:30 JST",
            "from Oct 16, 2020 11:00 PM to Oct 17, 2020 1:00 AM UTC",
        ] {
            assert!(en(ok).is_empty(), "{ok}: {:?}", en(ok));
        }
        // 1:01pm to 12:10am on one day runs backwards: perhaps past midnight.
        assert_eq!(en("Sign-in failed from 1:01pm to 12:10am PDT."), [(Rule::PeriodOrder, Severity::Warning)]);
        assert_eq!(en("Delayed between 15:30 and 14:00 UTC."), [(Rule::PeriodOrder, Severity::Warning)]);
        // 08:30 JST is 23:30 UTC the day before: before 23:40 UTC.
        assert_eq!(en("from 23:40 UTC to 08:30 JST"), [(Rule::PeriodOrder, Severity::Warning)]);
        assert_eq!(en("from Oct 17, 2020 1:00 AM to Oct 16, 2020 11:00 PM UTC"), [(Rule::PeriodOrder, Severity::Error)]);
    }

    #[test]
    fn mixed_date_notations_warn_once() {
        let got = codes("2025/03/04 10:00に発生し、2025年3月5日 11:00に解消、2025年3月6日にも確認");
        assert_eq!(got, [(Rule::DateFormatMixed, Severity::Warning, None)]);
        let got = codes("2025/03/04 10:00〜11時30分");
        assert_eq!(got.iter().filter(|c| c.0 == Rule::DateFormatMixed).count(), 1);
        assert!(codes("2025/03/04 10:00〜2025/03/05 11:00").is_empty());
    }

    #[test]
    fn the_organisation_format_is_enforced_when_set() {
        let config = Config { date_format: crate::DateFormat::Kanji, ..Config::default() };
        let got = lint_text("2025/03/04 に発生", &TextContext::default(), &config);
        assert_eq!(got[0].rule, Rule::DateFormatMixed);
        assert!(lint_text("2025年3月4日 に発生", &TextContext::default(), &config).is_empty());
    }
}
