//! The rules on a postmortem's timeline, read from the published text of
//! each language (the day-grouped lines `desk_model::timeline` writes and
//! reads, whether the template wrote them from the entries or the author
//! typed them): `timeline.order`, `timeline.span` and `timeline.parity`.
//!
//! Both languages are usually written from the same entries, so a mistake in
//! an entry shows in both: it is reported once, on the Japanese text, and on
//! the English one only where the English says something else.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use desk_model::timeline::{self, ReadEntry};
use desk_model::{Lang, Period};

use crate::diagnostic::msg;
use crate::{Analysed, Config, Field, LintUpdate, Rule, Severity, Sink};

/// Times this close are the same moment; approximate ones (頃) may differ more.
const SAME_MINUTES: i64 = 5;
const SAME_MINUTES_APPROX: i64 = 30;

/// Every timeline finding on update `u`. `stated`: the period the update
/// states and where (see `incident::Traits`).
pub(crate) fn check(
    u: &LintUpdate,
    texts: &[(Lang, Analysed)],
    stated: Option<(Period, (usize, usize))>,
    config: &Config,
    sink: &mut Sink,
) {
    let style = &config.period_style;
    let year = u.period.or(stated.map(|s| s.0)).map(|p| p.start.with_timezone(&style.time_zone).year());
    let read: Vec<(Lang, &Analysed, Vec<ReadEntry>)> =
        texts.iter().map(|(l, t)| (*l, t, timeline::read(t.text, style, year))).collect();
    if read.iter().all(|(_, _, e)| e.is_empty()) {
        return;
    }
    order(&read, sink);
    span(&read, stated, config, sink);
    if config.bilingual() {
        parity(&read, sink);
    }
}

/// The timeline rules on one raw text (`lint_text`): order, and the period
/// under its heading or a stated duration against the timeline.
pub(crate) fn check_text(t: &Analysed, config: &Config, sink: &mut Sink) {
    let style = &config.period_style;
    let stated = crate::incident::period_in_text(t.text, &t.outline, config);
    let year = stated.map(|s| s.0.start.with_timezone(&style.time_zone).year());
    let entries = timeline::read(t.text, style, year);
    if entries.is_empty() {
        return;
    }
    let read = [(t.lang, t, entries)];
    order(&read, sink);
    span(&read, stated, config, sink);
}

fn clock(config: &Config, at: DateTime<Utc>, approximate: bool, lang: Lang) -> String {
    let s = config.period_style.lang(lang);
    let mut out = at.with_timezone(&config.period_style.time_zone).format(&s.date_time).to_string();
    if approximate {
        out.push_str(&s.approximate);
    }
    out
}

/// An entry earlier than one before it.
fn order(read: &[(Lang, &Analysed, Vec<ReadEntry>)], sink: &mut Sink) {
    let mut reported_ja: Vec<usize> = Vec::new();
    for (lang, t, entries) in read {
        let mut latest: Option<&ReadEntry> = None;
        for (k, e) in entries.iter().enumerate() {
            match latest {
                Some(before) if e.at < before.at => {
                    if *lang == Lang::Ja {
                        reported_ja.push(k);
                    } else if reported_ja.contains(&k) {
                        continue;
                    }
                    let (bt, et) = (&t.text[before.time_start..before.time_end], &t.text[e.time_start..e.time_end]);
                    let (bd, ed) = (day(t.text, before), day(t.text, e));
                    sink.report(
                        t,
                        Field::Body,
                        Rule::TimelineOrder,
                        Severity::Error,
                        (e.time_start, e.time_end),
                        msg(
                            format!("経緯の「{ed} {et}」が、その前の「{bd} {bt}」より前の時刻です。順番か日付・時刻が誤っています。"),
                            format!("The timeline's “{ed} {et}” comes before the earlier line “{bd} {bt}”: the order, the day or the time is wrong."),
                        ),
                        None,
                    );
                }
                _ => {}
            }
            if latest.is_none_or(|l| e.at >= l.at) {
                latest = Some(e);
            }
        }
    }
}

/// The day line an entry is under, as written.
fn day<'t>(text: &'t str, e: &ReadEntry) -> &'t str {
    text[e.day_line..].lines().next().unwrap_or("").trim()
}

fn near(a: DateTime<Utc>, b: DateTime<Utc>, approximate: bool) -> bool {
    let limit = if approximate { SAME_MINUTES_APPROX } else { SAME_MINUTES };
    (a - b).num_minutes().abs() <= limit
}

/// The period the update states, and the durations its text states, against
/// the timeline.
fn span(read: &[(Lang, &Analysed, Vec<ReadEntry>)], stated: Option<(Period, (usize, usize))>, config: &Config, sink: &mut Sink) {
    // The timeline the Japanese text tells, else the first one written.
    let Some((_, first_t, entries)) = read.iter().find(|(l, _, e)| *l == Lang::Ja && !e.is_empty()).or_else(|| read.iter().find(|(_, _, e)| !e.is_empty())) else {
        return;
    };
    let on_timeline = |at: DateTime<Utc>, approximate: bool| entries.iter().any(|e| near(e.at, at, approximate || e.approximate));
    // The period's ends are moments of the timeline.
    if let Some((p, at)) = stated {
        let mut off: Vec<(&str, &str, DateTime<Utc>)> = Vec::new();
        if !on_timeline(p.start, p.approximate) {
            off.push(("始まり", "start", p.start));
        }
        if let Some(end) = p.end.filter(|&e| !on_timeline(e, p.approximate)) {
            off.push(("終わり", "end", end));
        }
        if !off.is_empty() {
            let lang = first_t.lang;
            let ja: Vec<String> = off.iter().map(|(j, _, t)| format!("{j}（{}）", clock(config, *t, p.approximate, Lang::Ja))).collect();
            let en: Vec<String> = off.iter().map(|(_, e, t)| format!("{e} ({})", clock(config, *t, p.approximate, Lang::En))).collect();
            let period_t = read.iter().find(|(l, ..)| *l == lang).map_or(*first_t, |r| r.1);
            sink.report(
                period_t,
                Field::Body,
                Rule::TimelineSpan,
                Severity::Warning,
                at,
                msg(
                    format!("発生期間の{}にあたる時刻が経緯にありません。期間か経緯のどちらかが誤っています。", ja.join("と")),
                    format!("The period's {} is not a time on the timeline: the period or the timeline is wrong.", en.join(" and ")),
                ),
                None,
            );
        }
    }
    // A stated duration: against the period when there is one with an end,
    // else the timeline's first and last moments.
    let (length, what_ja, what_en) = match stated.and_then(|(p, _)| Some(p.end? - p.start)) {
        Some(d) => (d, "発生期間", "the period"),
        None => {
            let min = entries.iter().map(|e| e.at).min().expect("entries");
            let max = entries.iter().map(|e| e.at).max().expect("entries");
            (max - min, "経緯の最初から最後まで", "the timeline from first to last")
        }
    };
    if length <= TimeDelta::zero() {
        return;
    }
    let tolerance = TimeDelta::minutes(30).max(length / 10);
    let mut wrong_ja: Vec<i64> = Vec::new();
    for (lang, t, entries) in read {
        for d in durations(t.text, *lang) {
            if entries.iter().any(|e| e.start <= d.start && d.start < e.end) || t.skipped(d.start, d.end) {
                continue;
            }
            if (TimeDelta::minutes(d.minutes) - length).abs() <= tolerance {
                continue;
            }
            if *lang == Lang::Ja {
                wrong_ja.push(d.minutes);
            } else if wrong_ja.contains(&d.minutes) {
                continue;
            }
            let actual = hours(length);
            sink.report(
                t,
                Field::Body,
                Rule::TimelineSpan,
                Severity::Warning,
                (d.start, d.end),
                msg(
                    format!("「{}」は{what_ja}（{}時間）と合いません。", &t.text[d.start..d.end], actual),
                    format!("“{}” does not match {what_en} ({} hours).", &t.text[d.start..d.end], actual),
                ),
                None,
            );
        }
    }
}

/// A length in hours, to a tenth.
fn hours(d: TimeDelta) -> String {
    let tenths = (d.num_minutes() as f64 / 6.0).round() as i64;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// The Japanese and English timelines: how many entries, and at what times.
fn parity(read: &[(Lang, &Analysed, Vec<ReadEntry>)], sink: &mut Sink) {
    let (Some(ja), Some(en)) = (read.iter().find(|r| r.0 == Lang::Ja), read.iter().find(|r| r.0 == Lang::En)) else { return };
    let (ja_t, ja_e) = (ja.1, &ja.2);
    let (en_t, en_e) = (en.1, &en.2);
    let same = |a: &ReadEntry, b: &ReadEntry| a.at == b.at;
    if ja_e.len() == en_e.len() {
        for (a, b) in ja_e.iter().zip(en_e) {
            if !same(a, b) {
                let (wa, wb) = (&ja_t.text[a.time_start..a.time_end], &en_t.text[b.time_start..b.time_end]);
                sink.report(
                    en_t,
                    Field::Body,
                    Rule::TimelineParity,
                    Severity::Error,
                    (b.time_start, b.time_end),
                    msg(
                        format!("経緯のこの行は英語では「{} {wb}」、日本語では「{} {wa}」です。日時が合っていません。", day(en_t.text, b), day(ja_t.text, a)),
                        format!("This timeline line says “{} {wb}” in English and “{} {wa}” in Japanese: the times differ.", day(en_t.text, b), day(ja_t.text, a)),
                    ),
                    None,
                );
            }
        }
        return;
    }
    // Different counts: point at the first line of the longer timeline that
    // the other lacks.
    let (long_t, long, short, long_lang) =
        if ja_e.len() > en_e.len() { (ja_t, ja_e, en_e, Lang::Ja) } else { (en_t, en_e, ja_e, Lang::En) };
    let missing = long.iter().find(|a| !short.iter().any(|b| same(a, b))).unwrap_or(&long[short.len()]);
    let (jn, en_n) = (ja_e.len(), en_e.len());
    let other = if long_lang == Lang::Ja { ("英語", "English") } else { ("日本語", "Japanese") };
    sink.report(
        long_t,
        Field::Body,
        Rule::TimelineParity,
        Severity::Error,
        (missing.time_start, missing.time_end),
        msg(
            format!("経緯の行数が日本語は{jn}行、英語は{en_n}行です。この行は{}にありません。", other.0),
            format!("The timeline has {jn} lines in Japanese and {en_n} in English: this one is missing from the {}.", other.1),
        ),
        None,
    );
}

/// A length of time stated in text (`およそ20時間`, “about 20 hours”).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duration {
    pub start: usize,
    pub end: usize,
    pub minutes: i64,
}

const JA_BEFORE: [&str; 6] = ["およそ", "おおよそ", "約", "概ね", "ほぼ", "実に"];
const JA_AFTER: [&str; 10] = ["弱", "強", "ほど", "程度", "にわたり", "にわたって", "にわたる", "もの間", "の間", "間"];
const JA_NOT: [&str; 7] = ["以内", "ごと", "毎", "後", "前", "おき", "以上"];
const EN_BEFORE: [&str; 11] = [
    "about", "approximately", "around", "roughly", "nearly", "almost", "just under", "just over", "over", "some", "for",
];

/// The lengths of time a text states about itself: a number of hours (or
/// minutes) with a word that makes it a length — `およそ20時間`, `約3時間半`,
/// `20時間弱`, `8時間にわたり`, “about 20 hours”, “for 3.5 hours”, “a 20-hour
/// outage” — and not a deadline or an interval (`24時間以内`, “every 2 hours”,
/// “within 2 hours”).
pub(crate) fn durations(text: &str, lang: Lang) -> Vec<Duration> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.' || bytes[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < text.len() && (bytes[j].is_ascii_digit() || (bytes[j] == b'.' && j + 1 < text.len() && bytes[j + 1].is_ascii_digit())) {
            j += 1;
        }
        let Ok(n) = text[i..j].parse::<f64>() else {
            i = j;
            continue;
        };
        let found = match lang {
            Lang::Ja => ja_duration(text, i, j, n),
            Lang::En => en_duration(text, i, j, n),
        };
        if let Some(d) = found {
            i = d.end;
            out.push(d);
        } else {
            i = j;
        }
    }
    out
}

fn ja_duration(text: &str, i: usize, j: usize, n: f64) -> Option<Duration> {
    let rest = &text[j..];
    let (unit, mut minutes) = if let Some(r) = rest.strip_prefix("時間") {
        let half = r.starts_with('半');
        ("時間".len() + if half { '半'.len_utf8() } else { 0 }, n * 60.0 + if half { 30.0 } else { 0.0 })
    } else if rest.starts_with("分間") || (rest.starts_with('分') && !text[..i].ends_with('時')) {
        (if rest.starts_with("分間") { "分間".len() } else { '分'.len_utf8() }, n)
    } else {
        return None;
    };
    // 「3時間20分」: minutes after the hours.
    let mut end = j + unit;
    if unit >= "時間".len() {
        let k = end;
        let digits = text[k..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && text[k + digits..].starts_with('分') {
            minutes += text[k..k + digits].parse::<f64>().unwrap_or(0.0);
            end = k + digits + '分'.len_utf8();
            if text[end..].starts_with('間') {
                end += '間'.len_utf8();
            }
        }
    }
    let after = &text[end..];
    if JA_NOT.iter().any(|w| after.starts_with(w)) {
        return None;
    }
    let before = text[..i].trim_end();
    let lead = JA_BEFORE.iter().find(|w| before.ends_with(*w));
    let tail = JA_AFTER.iter().find(|w| after.starts_with(*w));
    if lead.is_none() && tail.is_none() {
        return None;
    }
    let start = lead.map_or(i, |w| before.len() - w.len());
    let end = tail.map_or(end, |w| if ["弱", "強", "ほど", "程度"].contains(w) { end + w.len() } else { end });
    Some(Duration { start, end, minutes: minutes.round() as i64 })
}

fn en_duration(text: &str, i: usize, j: usize, n: f64) -> Option<Duration> {
    let rest = &text[j..];
    let lower = rest.to_ascii_lowercase();
    let (unit, per) = [("-hour", 60.0), (" hours", 60.0), (" hour", 60.0), (" hrs", 60.0), (" minutes", 1.0), ("-minute", 1.0)]
        .into_iter()
        .find(|(u, _)| lower.starts_with(u) && !lower[u.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))?;
    let before = text[..i].trim_end();
    let before_lower = before.to_ascii_lowercase();
    let lead = EN_BEFORE.iter().find(|w| {
        before_lower.ends_with(*w) && !before_lower[..before_lower.len() - w.len()].ends_with(|c: char| c.is_ascii_alphabetic())
    });
    // “a 20-hour outage” states a length by itself; “20 hours” needs a word.
    let hyphen = unit.starts_with('-');
    if lead.is_none() && !hyphen {
        return None;
    }
    let mut minutes = n * per;
    let mut end = j + unit.len();
    // “3 and a half hours” is rare; “3.5 hours” and “3 hours 20 minutes” are read.
    let after = text[end..].to_ascii_lowercase();
    let after_trim = after.trim_start_matches([' ', ',']).trim_start_matches("and ");
    let skip = after.len() - after_trim.len();
    let digits = after_trim.bytes().take_while(u8::is_ascii_digit).count();
    if per == 60.0 && !hyphen && digits > 0 && after_trim[digits..].starts_with(" minute") {
        minutes += after_trim[..digits].parse::<f64>().unwrap_or(0.0);
        end += skip + digits + " minutes".len().min(after_trim.len() - digits);
        if !after_trim[digits..].starts_with(" minutes") {
            end -= 1;
        }
    }
    let start = lead.map_or(i, |w| before.len() - w.len());
    Some(Duration { start, end, minutes: minutes.round() as i64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, lang: Lang) -> Vec<(&str, i64)> {
        durations(text, lang).into_iter().map(|d| (&text[d.start..d.end], d.minutes)).collect()
    }

    #[test]
    fn reads_stated_lengths_of_time() {
        assert_eq!(
            found("およそ20時間弱にわたりご利用いただけず、約3時間半で一部を戻し、約3時間20分後に…、2時間ほど停止", Lang::Ja),
            vec![("およそ20時間弱", 1200), ("約3時間半", 210), ("2時間ほど", 120)]
        );
        assert_eq!(found("8時間にわたり停止し、約40分間の遅延", Lang::Ja), vec![("8時間", 480), ("約40分間", 40)]);
        assert_eq!(
            found("for about 20 hours, a 20-hour outage, for 3.5 hours, nearly 3 hours 20 minutes", Lang::En),
            vec![("about 20 hours", 1200), ("20-hour", 1200), ("for 3.5 hours", 210), ("nearly 3 hours 20 minutes", 200)]
        );
    }

    #[test]
    fn deadlines_intervals_and_clock_times_are_not_lengths() {
        assert!(found("24時間以内に、2時間ごとに、1時間後に、10時40分頃、20時間", Lang::Ja).is_empty());
        assert!(found("within 24 hours, every 2 hours, 2 hours later, at 10:40, after 3 hours", Lang::En).is_empty());
    }
}
