//! When an incident happened: stored in UTC, written in the organisation's
//! time zone in each language's house style, and read back from text.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dates::{self, DateMention, RangeEnd};
use crate::incident::Lang;

/// A start, an optional end (missing while it is still going on), and whether
/// the times are approximate (頃).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Period {
    #[serde(with = "timestamp")]
    #[specta(type = String)]
    pub start: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "timestamp::option")]
    #[specta(type = Option<String>)]
    pub end: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

/// How periods and times are written in one language.
///
/// Patterns are chrono `strftime` patterns (`%Y/%m/%d %H:%M`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LangPeriodStyle {
    /// A date with its time.
    pub date_time: String,
    /// A time alone, for an end on the same day as the start.
    pub time: String,
    /// Between a start and an end on the same day.
    pub separator: String,
    /// Between a start and an end on different days.
    pub separator_between_days: String,
    /// The "about" marker.
    pub approximate: String,
    /// True: the marker follows every time (Japanese 頃). False: it is written
    /// once, at the end (English "(approx.)").
    pub approximate_each_time: bool,
    /// Written after the separator while there is no end yet.
    pub open_end: String,
    /// Append the time zone's abbreviation (`JST`) after the last time (and
    /// after a timeline's day headings).
    pub show_zone: bool,
    /// A timeline's day heading (strftime; in Japanese `%a` is 日, 月, … and
    /// `%A` 日曜日, …). Unset: `≫%Y年%-m月%-d日(%a)` / `%A, %B %-d, %Y`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_heading: Option<String>,
}

/// The organisation's date style: a time zone and a style per language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodStyle {
    #[serde(with = "tz_name")]
    pub time_zone: Tz,
    pub ja: LangPeriodStyle,
    pub en: LangPeriodStyle,
}

impl Default for PeriodStyle {
    fn default() -> Self {
        PeriodStyle {
            time_zone: chrono_tz::Asia::Tokyo,
            ja: LangPeriodStyle::japanese(),
            en: LangPeriodStyle::english(),
        }
    }
}

impl Default for LangPeriodStyle {
    fn default() -> Self {
        LangPeriodStyle::japanese()
    }
}

impl LangPeriodStyle {
    pub fn japanese() -> Self {
        LangPeriodStyle {
            date_time: "%Y/%m/%d %H:%M".into(),
            time: "%H:%M".into(),
            separator: "〜".into(),
            separator_between_days: "〜".into(),
            approximate: "頃".into(),
            approximate_each_time: true,
            open_end: "現在".into(),
            show_zone: false,
            day_heading: None,
        }
    }

    pub fn english() -> Self {
        LangPeriodStyle {
            date_time: "%b %-d, %Y %H:%M".into(),
            time: "%H:%M".into(),
            separator: "–".into(),
            separator_between_days: " – ".into(),
            approximate: " (approx.)".into(),
            approximate_each_time: false,
            open_end: "ongoing".into(),
            show_zone: true,
            day_heading: None,
        }
    }
}

impl PeriodStyle {
    pub fn lang(&self, lang: Lang) -> &LangPeriodStyle {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// A single point in time (the promised next update), without 頃.
    pub fn format_instant(&self, at: DateTime<Utc>, lang: Lang) -> String {
        let s = self.lang(lang);
        let local = at.with_timezone(&self.time_zone);
        let mut out = local.format(&s.date_time).to_string();
        if s.show_zone {
            out.push(' ');
            out.push_str(&local.format("%Z").to_string());
        }
        out
    }

    /// `2025/06/13 02:51頃〜05:30頃` / `Jun 13, 2025 02:51–05:30 JST (approx.)`.
    pub fn format_period(&self, p: &Period, lang: Lang) -> String {
        let s = self.lang(lang);
        let start = p.start.with_timezone(&self.time_zone);
        let each = if p.approximate && s.approximate_each_time { s.approximate.as_str() } else { "" };
        let zone = |out: &mut String, at: &DateTime<Tz>| {
            if s.show_zone {
                out.push(' ');
                out.push_str(&at.format("%Z").to_string());
            }
        };
        let mut out = start.format(&s.date_time).to_string();
        out.push_str(each);
        match p.end {
            Some(end) => {
                let end = end.with_timezone(&self.time_zone);
                if end.date_naive() == start.date_naive() {
                    out.push_str(&s.separator);
                    out.push_str(&end.format(&s.time).to_string());
                } else {
                    if s.show_zone && start.offset() != end.offset() {
                        zone(&mut out, &start);
                    }
                    out.push_str(&s.separator_between_days);
                    out.push_str(&end.format(&s.date_time).to_string());
                }
                out.push_str(each);
                zone(&mut out, &end);
            }
            None => {
                zone(&mut out, &start);
                if p.approximate && !s.approximate_each_time {
                    out.push_str(&s.approximate);
                }
                out.push_str(&s.separator_between_days);
                out.push_str(&s.open_end);
                return out;
            }
        }
        if p.approximate && !s.approximate_each_time {
            out.push_str(&s.approximate);
        }
        out
    }
}

/// Why text could not be read as a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodParseError {
    #[error("no date was found")]
    NoDate,
    #[error("the start has no year")]
    NoYear,
    #[error("the start has no time")]
    NoTime,
    #[error("{0} is not a date that exists")]
    NoSuchDate(String),
    #[error("{0} is not a time of day")]
    NoSuchTime(String),
}

impl Period {
    /// Reads the first period written in `text`, in any of the styles
    /// announcements use. Times are taken in the style's time zone.
    pub fn parse(text: &str, style: &PeriodStyle) -> Result<Period, PeriodParseError> {
        let tz = style.time_zone;
        let (from, to) = match dates::scan_ranges(text).into_iter().next() {
            Some(r) => (r.from, Some(r.to)),
            None => {
                let first = dates::scan(text).into_iter().find_map(|m| match m {
                    dates::Mention::Date(d) => Some(d),
                    _ => None,
                });
                (first.ok_or(PeriodParseError::NoDate)?, None)
            }
        };
        let year = from.year.ok_or(PeriodParseError::NoYear)?;
        let start_date = mention_date(&from, year, text)?;
        let start_time = from.time.ok_or(PeriodParseError::NoTime)?;
        let start = local_to_utc(tz, start_date, start_time.hour, start_time.minute, text, &from)?;
        let mut approximate = from.approximate;
        let end = match to {
            None | Some(RangeEnd::Open) => None,
            Some(RangeEnd::Time(t)) => {
                approximate |= t.approximate;
                Some(local_to_utc(tz, start_date, t.time.hour, t.time.minute, text, &from)?)
            }
            Some(RangeEnd::Date(d)) => {
                approximate |= d.approximate;
                let date = mention_date(&d, d.year.unwrap_or(year), text)?;
                let (h, m) = d.time.map_or((0, 0), |t| (t.hour, t.minute));
                Some(local_to_utc(tz, date, h, m, text, &d)?)
            }
        };
        Ok(Period { start, end, approximate })
    }

    /// True when the end comes before the start.
    pub fn runs_backwards(&self) -> bool {
        self.end.is_some_and(|e| e < self.start)
    }
}

fn mention_date(m: &DateMention, year: i32, text: &str) -> Result<NaiveDate, PeriodParseError> {
    NaiveDate::from_ymd_opt(year, m.month, m.day)
        .filter(|_| m.malformation.is_none())
        .ok_or_else(|| PeriodParseError::NoSuchDate(text[m.start..m.end].to_string()))
}

fn local_to_utc(
    tz: Tz,
    date: NaiveDate,
    hour: u32,
    minute: u32,
    text: &str,
    m: &DateMention,
) -> Result<DateTime<Utc>, PeriodParseError> {
    let (date, hour) = if hour == 24 && minute == 0 {
        (date.succ_opt().unwrap_or(date), 0)
    } else {
        (date, hour)
    };
    let time = NaiveTime::from_hms_opt(hour, minute, 0)
        .ok_or_else(|| PeriodParseError::NoSuchTime(text[m.start..m.end].to_string()))?;
    tz.from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| PeriodParseError::NoSuchTime(text[m.start..m.end].to_string()))
}

/// RFC 3339 timestamps, accepted as strings or as TOML date-times, written in UTC.
pub mod timestamp {
    use std::cell::Cell;

    use chrono::{DateTime, SecondsFormat, Utc};
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    thread_local! {
        /// The zone timestamps are written in while a document is written.
        static WRITE_ZONE: Cell<Option<Tz>> = const { Cell::new(None) };
    }

    /// Runs `f` with timestamps written in `zone` (`2025-06-13T02:51:00+09:00`)
    /// instead of UTC. The instant is the same; only the writing differs.
    pub fn writing_in<R>(zone: Tz, f: impl FnOnce() -> R) -> R {
        let before = WRITE_ZONE.with(|z| z.replace(Some(zone)));
        let out = f();
        WRITE_ZONE.with(|z| z.set(before));
        out
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }

    pub fn parse(s: &str) -> Result<DateTime<Utc>, String> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| format!("`{s}` is not a date and time with an offset, such as 2025-06-13T02:51:00+09:00"))
    }

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        match WRITE_ZONE.with(|z| z.get()) {
            Some(zone) => s.serialize_str(&t.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let raw = match Raw::deserialize(d)? {
            Raw::Text(s) => s,
            Raw::Toml(t) => t.to_string(),
        };
        parse(&raw).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

mod tz_name {
    use chrono_tz::Tz;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        name.parse::<Tz>()
            .map_err(|_| serde::de::Error::custom(format!("`{name}` is not a time zone name such as Asia/Tokyo")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn jst(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Tokyo.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn same_day_end_omits_the_date() {
        let style = PeriodStyle::default();
        let p = Period { start: jst(2025, 6, 13, 2, 51), end: Some(jst(2025, 6, 13, 5, 30)), approximate: true };
        assert_eq!(style.format_period(&p, Lang::Ja), "2025/06/13 02:51頃〜05:30頃");
        assert_eq!(style.format_period(&p, Lang::En), "Jun 13, 2025 02:51–05:30 JST (approx.)");
    }

    #[test]
    fn different_days_and_open_ends() {
        let style = PeriodStyle::default();
        let p = Period { start: jst(2024, 12, 31, 22, 50), end: Some(jst(2025, 1, 1, 1, 40)), approximate: false };
        assert_eq!(style.format_period(&p, Lang::Ja), "2024/12/31 22:50〜2025/01/01 01:40");
        assert_eq!(style.format_period(&p, Lang::En), "Dec 31, 2024 22:50 – Jan 1, 2025 01:40 JST");
        let open = Period { end: None, approximate: true, ..p };
        assert_eq!(style.format_period(&open, Lang::Ja), "2024/12/31 22:50頃〜現在");
        assert_eq!(style.format_period(&open, Lang::En), "Dec 31, 2024 22:50 JST (approx.) – ongoing");
    }

    #[test]
    fn parses_the_styles_people_write() {
        let style = PeriodStyle::default();
        let p = Period::parse("2024/12/31 22時50分頃 〜 2025/1/1 1時40分頃", &style).unwrap();
        assert_eq!(p.start, jst(2024, 12, 31, 22, 50));
        assert_eq!(p.end, Some(jst(2025, 1, 1, 1, 40)));
        assert!(p.approximate);
        let p = Period::parse("2024年8月20日14時02分頃〜現在", &style).unwrap();
        assert_eq!(p.start, jst(2024, 8, 20, 14, 2));
        assert_eq!(p.end, None);
        let p = Period::parse("2024-08-13 16:13頃〜17:40頃", &style).unwrap();
        assert_eq!(p.end, Some(jst(2024, 8, 13, 17, 40)));
        assert_eq!(Period::parse("2022/11/31 10:00", &style), Err(PeriodParseError::NoSuchDate("2022/11/31 10:00".into())));
        assert_eq!(Period::parse("8/7 13:00", &style), Err(PeriodParseError::NoYear));
    }

    #[test]
    fn backwards_periods_are_kept_as_written() {
        let style = PeriodStyle::default();
        let p = Period::parse("2025/06/13 05:30〜02:51", &style).unwrap();
        assert!(p.runs_backwards());
    }

    fn arb_period() -> impl Strategy<Value = Period> {
        // 2000-01-01 .. 2099-12-31 in minutes, a duration up to four days, or none.
        (0i64..52_594_000, proptest::option::of(0i64..5_760), any::<bool>()).prop_map(|(start, dur, approx)| {
            let start = DateTime::<Utc>::from_timestamp(946_684_800 + start * 60, 0).unwrap();
            Period { start, end: dur.map(|d| start + chrono::Duration::minutes(d)), approximate: approx }
        })
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_period_back(p in arb_period()) {
            let style = PeriodStyle::default();
            for lang in Lang::ALL {
                let text = style.format_period(&p, lang);
                let back = Period::parse(&text, &style);
                prop_assert_eq!(back, Ok(p), "{} text: {}", lang.as_str(), text);
            }
        }

        #[test]
        fn same_day_ends_never_repeat_the_date(p in arb_period()) {
            let style = PeriodStyle::default();
            let text = style.format_period(&p, Lang::Ja);
            let dates_written = dates::scan(&text).iter().filter(|m| matches!(m, dates::Mention::Date(_))).count();
            let same_day = p.end.is_some_and(|e| e.with_timezone(&style.time_zone).date_naive() == p.start.with_timezone(&style.time_zone).date_naive());
            prop_assert_eq!(dates_written, if same_day || p.end.is_none() { 1 } else { 2 });
        }

        #[test]
        fn missing_ends_are_written_as_open(p in arb_period()) {
            let style = PeriodStyle::default();
            let open = Period { end: None, ..p };
            prop_assert!(style.format_period(&open, Lang::Ja).ends_with("〜現在"));
            prop_assert!(style.format_period(&open, Lang::En).ends_with("ongoing"));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,60}") {
            let _ = Period::parse(&s, &PeriodStyle::default());
            let _ = dates::scan_ranges(&s);
        }
    }
}
