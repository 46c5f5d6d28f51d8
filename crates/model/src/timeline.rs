//! A postmortem's timeline: what happened when, as data.
//!
//! Each entry has a time (kept in UTC, written with its offset), whether the
//! time is approximate (頃 / "approx."), the status it marks if any, and its
//! text in Japanese and in English. A postmortem update carries its timeline
//! (`Update::timeline`), so the entries are saved with the draft's revisions.
//!
//! Written per language in the organisation's style, grouped by day:
//!
//! ```text
//! ≫2026年6月14日(日)                Sunday, June 14, 2026 (JST)
//! 22:00頃: メンテナンスを開始        22:00 (approx.): The maintenance began
//! ```
//!
//! [`read`] finds such day-grouped lines in text (a rendered postmortem, a
//! pasted report, Statuspage's `postmortem_body`), for the linter and import.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dates::{self, Mention};
use crate::incident::{Incident, Lang, Status};
use crate::period::PeriodStyle;

/// One moment of a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When, RFC 3339 with an offset (`2026-06-14T22:00:00+09:00`); UTC inside.
    #[serde(with = "crate::period::timestamp")]
    #[specta(type = String)]
    pub at: DateTime<Utc>,
    /// The time is "about" this (頃 / approx.).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// The status this moment moved the incident to, when it marks one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default)]
    pub ja: String,
    #[serde(default)]
    pub en: String,
}

impl TimelineEntry {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The Japanese name of a weekday: 月, 火, … 日.
pub fn weekday_ja(w: Weekday) -> &'static str {
    WEEKDAYS_JA[w.num_days_from_monday() as usize]
}

impl PeriodStyle {
    /// A timeline's day heading: `≫2026年6月14日(日)` / `Sunday, June 14, 2026 (JST)`.
    pub fn format_day(&self, at: DateTime<Utc>, lang: Lang) -> String {
        let s = self.lang(lang);
        let local = at.with_timezone(&self.time_zone);
        let pattern = s.day_heading.clone().unwrap_or_else(|| default_day_heading(lang).to_string());
        // chrono writes weekday names in English; Japanese ones are ours.
        let pattern = match lang {
            Lang::Ja => {
                let w = weekday_ja(local.weekday());
                pattern.replace("%A", &format!("{w}曜日")).replace("%a", w)
            }
            Lang::En => pattern,
        };
        let mut out = local.format(&pattern).to_string();
        if s.show_zone {
            out.push_str(&format!(" ({})", local.format("%Z")));
        }
        out
    }

    /// One entry's time: `22:00頃` / `22:00 (approx.)`.
    pub fn format_entry_time(&self, entry: &TimelineEntry, lang: Lang) -> String {
        let s = self.lang(lang);
        let mut out = entry.at.with_timezone(&self.time_zone).format(&s.time).to_string();
        if entry.approximate {
            out.push_str(&s.approximate);
        }
        out
    }

    /// The timeline in one language, grouped by day in the organisation's
    /// time zone, entries in the order written (the linter reports one out
    /// of order; it is not silently moved). An entry with no text in this
    /// language is left out (the linter reports the difference).
    pub fn format_timeline(&self, entries: &[TimelineEntry], lang: Lang) -> String {
        let mut out = String::new();
        let mut day: Option<NaiveDate> = None;
        for entry in entries {
            let text = entry.text(lang).trim();
            if text.is_empty() {
                continue;
            }
            let this_day = entry.at.with_timezone(&self.time_zone).date_naive();
            if day != Some(this_day) {
                if day.is_some() {
                    out.push('\n');
                }
                out.push_str(&self.format_day(entry.at, lang));
                out.push('\n');
                day = Some(this_day);
            }
            // One line per entry: Statuspage keeps line breaks.
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!("{}: {text}\n", self.format_entry_time(entry, lang)));
        }
        out.trim_end().to_string()
    }
}

fn default_day_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "≫%Y年%-m月%-d日(%a)",
        Lang::En => "%A, %B %-d, %Y",
    }
}

/// A timeline to start a postmortem from: one entry per change of status among
/// the incident's published updates (postmortems aside), at the time it was
/// published, marking that status. The author then adds what happened between
/// them. Updates never published (drafts) are left out.
pub fn prefill(incident: &Incident) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = Vec::new();
    let mut last: Option<Status> = None;
    for update in &incident.updates {
        if update.status == Status::Postmortem || Some(update.status) == last {
            continue;
        }
        let Some(at) = update.published_at else { continue };
        last = Some(update.status);
        out.push(TimelineEntry {
            at,
            approximate: false,
            status: Some(update.status),
            ja: format!("「{}」として状況を掲載", update.status.label(Lang::Ja)),
            en: format!("Posted an update: {}", update.status.label(Lang::En)),
        });
    }
    out
}

/// A timeline entry found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadEntry {
    /// Byte range of the entry's line (without its line break).
    pub start: usize,
    pub end: usize,
    /// Byte range of the time written at the start of the line.
    pub time_start: usize,
    pub time_end: usize,
    pub at: DateTime<Utc>,
    pub approximate: bool,
    /// The text after the time and its separator.
    pub text: String,
    /// Byte offset of the day line the entry is under.
    pub day_line: usize,
}

/// The day-grouped timeline lines in `text`: a line that is only a date
/// (`≫2026年6月14日(日)`, `■6月14日`, `【2026/06/14】`, `Sunday, June 14, 2026 (JST)`),
/// then lines that start with a time (`22:00頃: …`, `- 22:00 (approx.): …`,
/// `6:00　…`). A day without a year takes the year of the day line before it,
/// else `default_year`; without either it is not read. Times are taken in the
/// style's time zone. Lines that are neither end the day's group.
pub fn read(text: &str, style: &PeriodStyle, default_year: Option<i32>) -> Vec<ReadEntry> {
    let mut out = Vec::new();
    let mut day: Option<(NaiveDate, usize)> = None;
    let mut year = default_year;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(date) = day_line(line, year) {
            year = Some(date.year());
            day = Some((date, line_start));
            continue;
        }
        let Some((date, day_at)) = day else { continue };
        match entry_line(line) {
            Some(EntryLine { time, approximate, span: (ts, te), body }) => {
                let Some(at) = local(style, date, time) else { continue };
                out.push(ReadEntry {
                    start: line_start,
                    end: line_start + line.len(),
                    time_start: line_start + ts,
                    time_end: line_start + te,
                    at,
                    approximate,
                    text: body.to_string(),
                    day_line: day_at,
                });
            }
            None => day = None,
        }
    }
    out
}

fn local(style: &PeriodStyle, date: NaiveDate, (h, m): (u32, u32)) -> Option<DateTime<Utc>> {
    let (date, h) = if h == 24 && m == 0 { (date.succ_opt()?, 0) } else { (date, h) };
    let t = NaiveTime::from_hms_opt(h, m, 0)?;
    style.time_zone.from_local_datetime(&date.and_time(t)).earliest().map(|t| t.with_timezone(&Utc))
}

/// Characters that may frame a day line: `≫`, `■`, `【…】`, `**…**`, `(…)`.
fn is_frame(c: char) -> bool {
    matches!(c, '≫' | '»' | '>' | '■' | '□' | '◆' | '◇' | '●' | '○' | '◎' | '▼' | '▶' | '★' | '#' | '*' | '【' | '】' | '[' | ']' | '-' | ' ' | '\u{3000}' | ':' | '：')
}

/// The date of a line that is a date and nothing else.
fn day_line(line: &str, year: Option<i32>) -> Option<NaiveDate> {
    let mentions = dates::scan(line);
    let [Mention::Date(d)] = mentions.as_slice() else { return None };
    if d.time.is_some() || d.malformation.is_some() {
        return None;
    }
    // The weekday may be written before an English date ("Sunday, June 14").
    let from = d.weekday.map_or(d.start, |w| w.1.min(d.start));
    let to = d.weekday.map_or(d.end, |w| w.2.max(d.end));
    let before = &line[..from];
    let after = line[to..].trim();
    let after = after.strip_prefix("(JST)").or_else(|| after.strip_prefix("（JST）")).unwrap_or(after);
    if !before.chars().all(is_frame) || !after.chars().all(|c| is_frame(c) || c == ')') {
        return None;
    }
    NaiveDate::from_ymd_opt(d.year.or(year)?, d.month, d.day)
}

/// A line that starts with a time, read.
struct EntryLine<'t> {
    time: (u32, u32),
    approximate: bool,
    /// The time's byte range in the line.
    span: (usize, usize),
    /// The text after the time's separator.
    body: &'t str,
}

fn entry_line(line: &str) -> Option<EntryLine<'_>> {
    let lead = line.len() - line.trim_start_matches(['-', '・', '*', ' ', '\u{3000}', '\t']).len();
    let rest = &line[lead..];
    let first = dates::scan(rest).into_iter().next()?;
    let Mention::Time(t) = first else { return None };
    if t.start != 0 || t.time.hour > 24 || t.time.minute > 59 {
        return None;
    }
    let after = &rest[t.end..];
    let trimmed = after.trim_start_matches([' ', '\u{3000}', '\t']);
    let separated = [':', '：', '-', '–'].into_iter().find_map(|c| trimmed.strip_prefix(c));
    let body = match separated {
        Some(body) => body,
        // A space alone also separates (`6:00　公開`).
        None if trimmed.len() < after.len() => trimmed,
        None => return None,
    };
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    Some(EntryLine { time: (t.time.hour, t.time.minute), approximate: t.approximate, span: (lead, lead + t.end), body })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Kind, Update};

    fn jst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Tokyo.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().with_timezone(&Utc)
    }

    fn entry(at: DateTime<Utc>, approximate: bool, ja: &str, en: &str) -> TimelineEntry {
        TimelineEntry { at, approximate, status: None, ja: ja.into(), en: en.into() }
    }

    fn sample() -> Vec<TimelineEntry> {
        vec![
            entry(jst(2026, 6, 14, 22, 0), true, "切り替え作業を開始", "The switch-over began"),
            entry(jst(2026, 6, 15, 6, 0), false, "新しい環境で受付を再開", "Service reopened on the new platform"),
            entry(jst(2026, 6, 15, 8, 5), false, "画面が開けない状態に", "Pages stopped loading"),
        ]
    }

    #[test]
    fn groups_by_day_with_the_weekday_in_each_language() {
        let style = PeriodStyle::default();
        assert_eq!(
            style.format_timeline(&sample(), Lang::Ja),
            "≫2026年6月14日(日)\n22:00頃: 切り替え作業を開始\n\n≫2026年6月15日(月)\n06:00: 新しい環境で受付を再開\n08:05: 画面が開けない状態に"
        );
        assert_eq!(
            style.format_timeline(&sample(), Lang::En),
            "Sunday, June 14, 2026 (JST)\n22:00 (approx.): The switch-over began\n\nMonday, June 15, 2026 (JST)\n06:00: Service reopened on the new platform\n08:05: Pages stopped loading"
        );
    }

    #[test]
    fn days_follow_the_organisations_time_zone_and_pattern() {
        let mut style = PeriodStyle { time_zone: chrono_tz::UTC, ..PeriodStyle::default() };
        style.en.show_zone = false;
        style.ja.day_heading = Some("■ %m/%d（%A）".into());
        // 22:00 JST on the 14th is 13:00 UTC the same day; 06:00 JST on the 15th is 21:00 UTC on the 14th.
        let ja = style.format_timeline(&sample(), Lang::Ja);
        assert!(ja.starts_with("■ 06/14（日曜日）\n13:00頃: 切り替え作業を開始\n21:00: "), "{ja}");
        assert_eq!(ja.matches('■').count(), 1, "in UTC all three fall on the 14th: {ja}");
        let en = style.format_timeline(&sample(), Lang::En);
        assert!(en.starts_with("Sunday, June 14, 2026\n13:00 (approx.)"), "{en}");
    }

    #[test]
    fn an_entry_without_text_in_a_language_is_left_out_of_it() {
        let mut entries = sample();
        entries[2].en.clear();
        let en = PeriodStyle::default().format_timeline(&entries, Lang::En);
        assert!(!en.contains("08:05"), "{en}");
        assert!(PeriodStyle::default().format_timeline(&entries, Lang::Ja).contains("08:05"));
    }

    #[test]
    fn what_is_written_reads_back() {
        let style = PeriodStyle::default();
        for lang in Lang::ALL {
            let text = format!("■ 経緯\n{}\n\n■ 原因\n10:00に設定を変えた", style.format_timeline(&sample(), lang));
            let read = read(&text, &style, None);
            let got: Vec<(DateTime<Utc>, bool, &str)> = read.iter().map(|e| (e.at, e.approximate, e.text.as_str())).collect();
            let entries = sample();
            let want: Vec<(DateTime<Utc>, bool, &str)> = entries.iter().map(|e| (e.at, e.approximate, e.text(lang))).collect();
            assert_eq!(got, want, "{text}");
            assert_eq!(&text[read[0].time_start..read[0].time_end], if lang == Lang::Ja { "22:00頃" } else { "22:00 (approx.)" });
        }
    }

    #[test]
    fn reads_the_styles_reports_use() {
        let style = PeriodStyle::default();
        let text = "2. 経緯\n\n≫2026年6月14日(日)\n\n22:00頃: 作業開始\n\n■6月15日\n6:00: 公開\n- 7:30　遅延が発生\n本文の段落 10:00\n8:00: 段落の後は読まない\n\n【6月16日】\n1:40 - 復旧";
        let read = read(text, &style, None);
        let got: Vec<(DateTime<Utc>, &str)> = read.iter().map(|e| (e.at, e.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (jst(2026, 6, 14, 22, 0), "作業開始"),
                (jst(2026, 6, 15, 6, 0), "公開"),
                (jst(2026, 6, 15, 7, 30), "遅延が発生"),
                (jst(2026, 6, 16, 1, 40), "復旧"),
            ]
        );
        // No year anywhere: nothing is guessed, unless the caller knows it.
        assert!(super::read("■6月15日\n6:00: 公開", &style, None).is_empty());
        assert_eq!(super::read("■6月15日\n6:00: 公開", &style, Some(2026)).len(), 1);
        // A dated sentence is not a day line.
        assert!(super::read("2026年6月14日に作業しました\n22:00: 開始", &style, None).is_empty());
    }

    #[test]
    fn prefill_marks_each_change_of_status_at_its_time() {
        let mut inc = Incident::new(Kind::Incident);
        for (status, h) in [(Status::Investigating, 9), (Status::Investigating, 10), (Status::Identified, 11), (Status::Resolved, 23), (Status::Postmortem, 23)] {
            let mut u = Update::new(status);
            u.published_at = Some(jst(2026, 6, 15, h, 0));
            inc.updates.push(u);
        }
        let mut draft = Update::new(Status::Monitoring);
        draft.created_at = Some(jst(2026, 6, 15, 20, 0));
        inc.updates.insert(3, draft);
        let t = prefill(&inc);
        let got: Vec<(Option<Status>, DateTime<Utc>)> = t.iter().map(|e| (e.status, e.at)).collect();
        assert_eq!(
            got,
            vec![
                (Some(Status::Investigating), jst(2026, 6, 15, 9, 0)),
                (Some(Status::Identified), jst(2026, 6, 15, 11, 0)),
                (Some(Status::Resolved), jst(2026, 6, 15, 23, 0)),
            ]
        );
        assert_eq!(t[1].ja, "「原因特定」として状況を掲載");
        assert_eq!(t[2].en, "Posted an update: Resolved");
    }
}
