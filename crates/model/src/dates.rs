//! Finding the dates and times people write in announcements.
//!
//! The scanner is deliberately lenient and does not validate: it reports what
//! was written (`11/31`, `2024年09年04日`) so that callers can say what is
//! wrong with it and where. Offsets are byte offsets into the scanned text.

use chrono::{Datelike, NaiveDate, Weekday};

/// How a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateNotation {
    /// `2025/06/13`, `2025/6/13`, `6/13`
    Slash,
    /// `2025-06-13`
    Dash,
    /// `2025年6月13日`, `6月13日`
    Kanji,
    /// `Jun 13, 2025`, `13 June 2025`
    English,
}

/// How a time was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeNotation {
    /// `02:51`
    Colon,
    /// `2時51分`, `12時`
    Kanji,
}

/// A time of day as written (not validated: `25:70` is reported as is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay {
    pub hour: u32,
    pub minute: u32,
    pub notation: TimeNotation,
}

/// A problem visible in how a date was written, beyond its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// `2024年09年04日`: 年 where 月 belongs.
    YearMarkerForMonth,
}

/// A date, optionally with a weekday and a time, found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub notation: DateNotation,
    /// The weekday written beside the date, with its byte range.
    pub weekday: Option<(Weekday, usize, usize)>,
    pub time: Option<TimeOfDay>,
    /// 頃 / "about" / "approx." follows.
    pub approximate: bool,
    pub malformation: Option<Malformation>,
}

impl DateMention {
    /// The calendar date, if it exists (needs a year, or the one given).
    pub fn date(&self, default_year: Option<i32>) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.or(default_year)?, self.month, self.day)
    }

    /// True when no calendar has this day (11/31, Feb 30, month 13), whatever the year.
    pub fn is_impossible(&self) -> bool {
        if !(1..=12).contains(&self.month) || self.day == 0 {
            return true;
        }
        let max = match self.month {
            2 => match self.year {
                Some(y) if NaiveDate::from_ymd_opt(y, 2, 29).is_some() => 29,
                Some(_) => 28,
                None => 29,
            },
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        self.day > max
    }

    /// True when the time written does not exist on a clock (25:10, 10:75).
    /// 24:00 is accepted as the end of a day.
    pub fn has_impossible_time(&self) -> bool {
        self.time.is_some_and(|t| t.hour > 24 || t.minute > 59 || (t.hour == 24 && t.minute > 0))
    }
}

/// A time written on its own (`05:30頃`), usually the end of a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub start: usize,
    pub end: usize,
    pub time: TimeOfDay,
    pub approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mention {
    Date(DateMention),
    Time(TimeMention),
}

impl Mention {
    pub fn span(&self) -> (usize, usize) {
        match self {
            Mention::Date(d) => (d.start, d.end),
            Mention::Time(t) => (t.start, t.end),
        }
    }
}

/// How a range's end was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeEnd {
    Date(DateMention),
    Time(TimeMention),
    /// `〜現在`, `〜 確認中`, `- ongoing`, or nothing after the separator.
    Open,
}

/// A start, a separator and an end: `2025/06/13 02:51頃〜05:30頃`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeMention {
    pub start: usize,
    pub end: usize,
    pub from: DateMention,
    pub to: RangeEnd,
}

const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

struct Cursor<'a> {
    chars: Vec<(usize, char)>,
    text: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { chars: text.char_indices().collect(), text }
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |c| c.0)
    }

    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|c| c.1)
    }

    fn digit(&self, i: usize) -> Option<u32> {
        self.ch(i).and_then(digit_value)
    }

    /// Reads 1..=max digits at `i`; returns (value, count).
    fn number(&self, i: usize, max: usize) -> Option<(u32, usize)> {
        let mut n = 0u32;
        let mut k = 0;
        while k < max {
            match self.digit(i + k) {
                Some(d) => {
                    n = n * 10 + d;
                    k += 1;
                }
                None => break,
            }
        }
        if k == 0 || self.digit(i + k).is_some() {
            return None;
        }
        Some((n, k))
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while matches!(self.ch(i), Some(' ' | '\u{3000}' | '\t')) {
            i += 1;
        }
        i
    }

    fn is(&self, i: usize, c: char) -> bool {
        self.ch(i) == Some(c)
    }

    fn starts_with_ci(&self, i: usize, word: &str) -> bool {
        let mut k = i;
        for w in word.chars() {
            match self.ch(k) {
                Some(c) if c.to_ascii_lowercase() == w => k += 1,
                _ => return false,
            }
        }
        true
    }
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || digit_value(c).is_some())
}

fn weekday_from_kanji(c: char) -> Option<Weekday> {
    Some(match c {
        '月' => Weekday::Mon,
        '火' => Weekday::Tue,
        '水' => Weekday::Wed,
        '木' => Weekday::Thu,
        '金' => Weekday::Fri,
        '土' => Weekday::Sat,
        '日' => Weekday::Sun,
        _ => return None,
    })
}

const WEEKDAYS_EN: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

/// Every date (with its time) and every lone time in `text`, in order.
pub fn scan(text: &str) -> Vec<Mention> {
    let cur = Cursor::new(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < cur.chars.len() {
        let prev = if i == 0 { None } else { cur.ch(i - 1) };
        // `-2024/12/31` in a list: the dash is a list marker, not a separator.
        let list_dash = prev == Some('-') && (i < 2 || matches!(cur.ch(i - 2), Some(' ' | '\u{3000}' | '\t' | '\n')));
        if !is_word_char(prev) && (list_dash || !matches!(prev, Some('/' | '-' | '.' | ':'))) {
            if let Some((mut m, next)) = date_at(&cur, i) {
                if m.weekday.is_none() && m.notation == DateNotation::English {
                    m.weekday = weekday_before(&cur, i);
                }
                out.push(Mention::Date(m));
                i = next;
                continue;
            }
            if let Some((t, next)) = lone_time_at(&cur, i) {
                out.push(Mention::Time(t));
                i = next;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The ranges in `text`: a date, a separator, and an end (a date, a time or
/// nothing). Dates that stand alone are not ranges.
pub fn scan_ranges(text: &str) -> Vec<RangeMention> {
    let cur = Cursor::new(text);
    let mentions = scan(text);
    let mut out = Vec::new();
    let mut k = 0;
    while k < mentions.len() {
        let Mention::Date(from) = &mentions[k] else {
            k += 1;
            continue;
        };
        // Find the char index right after the mention.
        let after = cur.chars.partition_point(|c| c.0 < from.end);
        let Some(sep_end) = separator_at(&cur, cur.skip_spaces(after)) else {
            k += 1;
            continue;
        };
        let j = cur.skip_spaces(sep_end);
        let next = mentions.get(k + 1);
        let next_starts_here = next.is_some_and(|m| m.span().0 == cur.byte(j));
        if next_starts_here {
            let to = match next.cloned() {
                Some(Mention::Date(d)) => RangeEnd::Date(d),
                Some(Mention::Time(t)) => RangeEnd::Time(t),
                None => unreachable!(),
            };
            let end = next.map(|m| m.span().1).unwrap_or(from.end);
            out.push(RangeMention { start: from.start, end, from: from.clone(), to });
            k += 2;
            continue;
        }
        let open_len = open_end_at(&cur, j);
        if open_len > 0 || at_line_end(&cur, j) {
            out.push(RangeMention {
                start: from.start,
                end: cur.byte(j + open_len),
                from: from.clone(),
                to: RangeEnd::Open,
            });
        }
        k += 1;
    }
    out
}

fn at_line_end(cur: &Cursor, i: usize) -> bool {
    matches!(cur.ch(i), None | Some('\n' | '\r' | ')' | '）'))
}

/// A range separator at `i`; returns the index after it.
fn separator_at(cur: &Cursor, i: usize) -> Option<usize> {
    match cur.ch(i)? {
        '〜' | '～' | '~' | '-' | '–' | '—' | '−' | 'ー' => Some(i + 1),
        'f' if cur.starts_with_ci(i, "from") => None,
        't' if cur.starts_with_ci(i, "to ") => Some(i + 2),
        'か' if cur.is(i + 1, 'ら') => Some(i + 2),
        _ => None,
    }
}

fn open_end_at(cur: &Cursor, i: usize) -> usize {
    for word in ["現在", "確認中", "継続中", "調査中", "復旧まで", "ongoing", "present", "now", "tbd"] {
        if cur.starts_with_ci(i, word) {
            return word.chars().count();
        }
    }
    0
}

fn date_at(cur: &Cursor, i: usize) -> Option<(DateMention, usize)> {
    let (mut m, next) = numeric_date_at(cur, i).or_else(|| english_date_at(cur, i))?;
    let mut j = next;
    // Weekday: (水) （水） (Wed) or ", Wed"
    let k = cur.skip_spaces(j);
    if matches!(cur.ch(k), Some('(' | '（')) {
        if let Some(w) = cur.ch(k + 1).and_then(weekday_from_kanji) {
            if matches!(cur.ch(k + 2), Some(')' | '）')) {
                m.weekday = Some((w, cur.byte(k), cur.byte(k + 3)));
                j = k + 3;
            }
        } else if let Some((w, len)) = english_weekday_at(cur, k + 1) {
            if matches!(cur.ch(k + 1 + len), Some(')' | '）')) {
                m.weekday = Some((w, cur.byte(k), cur.byte(k + 2 + len)));
                j = k + 2 + len;
            }
        }
    }
    // Time
    let k = cur.skip_spaces(j);
    if let Some((t, after)) = time_at(cur, k) {
        m.time = Some(t);
        j = after;
    }
    let (approx, after) = approx_marker_at(cur, j);
    m.approximate = approx;
    j = after;
    j = zone_marker_at(cur, j);
    let (approx2, after) = approx_marker_at(cur, j);
    m.approximate |= approx2;
    j = after;
    m.end = cur.byte(j);
    Some((m, j))
}

/// An English weekday written just before a date: "Sunday, June 14" / "Sun June 14".
fn weekday_before(cur: &Cursor, i: usize) -> Option<(Weekday, usize, usize)> {
    let mut k = i;
    while k > 0 && matches!(cur.ch(k - 1), Some(' ' | '\u{3000}' | '\t')) {
        k -= 1;
    }
    if k > 0 && cur.is(k - 1, ',') {
        k -= 1;
    }
    if k == i {
        return None;
    }
    let end = k;
    while k > 0 && cur.ch(k - 1).is_some_and(|c| c.is_ascii_alphabetic()) {
        k -= 1;
    }
    if k == end || (k > 0 && is_word_char(cur.ch(k - 1))) {
        return None;
    }
    let word: String = (k..end).filter_map(|j| cur.ch(j)).collect::<String>().to_ascii_lowercase();
    let (w, _) = english_weekday_at(cur, k)?;
    let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let short = ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"];
    if !full.contains(&word.as_str()) && !short.contains(&word.as_str()) {
        return None;
    }
    Some((w, cur.byte(k), cur.byte(end)))
}

fn english_weekday_at(cur: &Cursor, i: usize) -> Option<(Weekday, usize)> {
    for (name, w) in WEEKDAYS_EN {
        if cur.starts_with_ci(i, name) {
            let mut len = 3;
            while cur.ch(i + len).is_some_and(|c| c.is_ascii_alphabetic()) {
                len += 1;
            }
            return Some((w, len));
        }
    }
    None
}

fn numeric_date_at(cur: &Cursor, i: usize) -> Option<(DateMention, usize)> {
    let mk = |year, month, day, notation, end_i: usize| DateMention {
        start: cur.byte(i),
        end: cur.byte(end_i),
        year,
        month,
        day,
        notation,
        weekday: None,
        time: None,
        approximate: false,
        malformation: None,
    };
    let (first, n1) = cur.number(i, 4)?;
    let mut j = i + n1;
    if n1 == 4 {
        let year = first as i32;
        let k = cur.skip_spaces(j);
        match cur.ch(k)? {
            '/' | '-' => {
                let sep = cur.ch(k)?;
                let (month, n2) = cur.number(k + 1, 2)?;
                j = k + 1 + n2;
                if !cur.is(j, sep) {
                    return None;
                }
                let (day, n3) = cur.number(j + 1, 2)?;
                j = j + 1 + n3;
                let notation = if sep == '/' { DateNotation::Slash } else { DateNotation::Dash };
                return Some((mk(Some(year), month, day, notation, j), j));
            }
            '年' => {
                let k = cur.skip_spaces(k + 1);
                let (month, n2) = cur.number(k, 2)?;
                let k2 = cur.skip_spaces(k + n2);
                let marker = cur.ch(k2)?;
                if marker != '月' && marker != '年' {
                    return None;
                }
                let k3 = cur.skip_spaces(k2 + 1);
                let (day, n3) = cur.number(k3, 2)?;
                if !cur.is(k3 + n3, '日') {
                    return None;
                }
                j = k3 + n3 + 1;
                let mut m = mk(Some(year), month, day, DateNotation::Kanji, j);
                if marker == '年' {
                    m.malformation = Some(Malformation::YearMarkerForMonth);
                }
                return Some((m, j));
            }
            _ => return None,
        }
    }
    if n1 > 2 {
        return None;
    }
    match cur.ch(j)? {
        '/' => {
            let (day, n2) = cur.number(j + 1, 2)?;
            let end = j + 1 + n2;
            // Not part of a longer number run like 1/2/3, and a plausible month.
            if cur.is(end, '/') || !(1..=12).contains(&first) || day == 0 {
                return None;
            }
            // A bare M/D must look like a date: followed by a weekday, a time,
            // a range separator, or the end of a phrase.
            let k = cur.skip_spaces(end);
            let plausible = matches!(cur.ch(k), None | Some('(' | '（' | '〜' | '～' | '~' | '-' | '\n' | ' ' | '、' | '。' | 'に' | 'ま' | 'か' | 'の' | '頃'))
                || cur.digit(k).is_some();
            if !plausible {
                return None;
            }
            Some((mk(None, first, day, DateNotation::Slash, end), end))
        }
        '月' => {
            j = cur.skip_spaces(j + 1);
            let (day, n2) = cur.number(j, 2)?;
            if !cur.is(j + n2, '日') {
                return None;
            }
            let end = j + n2 + 1;
            Some((mk(None, first, day, DateNotation::Kanji, end), end))
        }
        _ => None,
    }
}

fn english_date_at(cur: &Cursor, i: usize) -> Option<(DateMention, usize)> {
    // Only a digit or the first letter of a month can start an English date:
    // a cheap test that keeps scanning Japanese text fast.
    let first = cur.ch(i)?;
    if !(digit_value(first).is_some() || matches!(first.to_ascii_lowercase(), 'j' | 'f' | 'm' | 'a' | 's' | 'o' | 'n' | 'd')) {
        return None;
    }
    // "Jun 13, 2025" / "June 13 2025" / "13 Jun 2025"
    let month_at = |k: usize| -> Option<(u32, usize)> {
        for (idx, name) in MONTHS.iter().enumerate() {
            if cur.starts_with_ci(k, name) {
                return Some((idx as u32 + 1, name.len()));
            }
            if cur.starts_with_ci(k, &name[..3])
                && !cur.ch(k + 3).is_some_and(|c| c.is_ascii_alphabetic())
            {
                let dot = usize::from(cur.is(k + 3, '.'));
                return Some((idx as u32 + 1, 3 + dot));
            }
        }
        None
    };
    let mk = |year, month, day, end_i: usize| DateMention {
        start: cur.byte(i),
        end: cur.byte(end_i),
        year,
        month,
        day,
        notation: DateNotation::English,
        weekday: None,
        time: None,
        approximate: false,
        malformation: None,
    };
    if let Some((month, len)) = month_at(i) {
        let k = cur.skip_spaces(i + len);
        if k == i + len {
            return None;
        }
        let (day, n) = cur.number(k, 2)?;
        let mut j = k + n;
        for suffix in ["st", "nd", "rd", "th"] {
            if cur.starts_with_ci(j, suffix) {
                j += 2;
                break;
            }
        }
        let mut y = j;
        if cur.is(y, ',') {
            y += 1;
        }
        let y = cur.skip_spaces(y);
        if let Some((year, 4)) = cur.number(y, 4) {
            let end = y + 4;
            return Some((mk(Some(year as i32), month, day, end), end));
        }
        return Some((mk(None, month, day, j), j));
    }
    let (day, n) = cur.number(i, 2)?;
    let k = cur.skip_spaces(i + n);
    if k == i + n {
        return None;
    }
    let (month, len) = month_at(k)?;
    let mut j = k + len;
    let y = cur.skip_spaces(j);
    let mut year = None;
    if let Some((yv, 4)) = cur.number(y, 4) {
        year = Some(yv as i32);
        j = y + 4;
    }
    Some((mk(year, month, day, j), j))
}

fn time_at(cur: &Cursor, i: usize) -> Option<(TimeOfDay, usize)> {
    let (hour, n) = cur.number(i, 2)?;
    let j = i + n;
    match cur.ch(j)? {
        ':' | '：' => {
            let (minute, n2) = cur.number(j + 1, 2)?;
            if n2 != 2 {
                return None;
            }
            let mut end = j + 1 + n2;
            // Tolerate "0:20分" as written in some announcements.
            if cur.is(end, '分') {
                end += 1;
            }
            Some((TimeOfDay { hour, minute, notation: TimeNotation::Colon }, end))
        }
        '時' => {
            let k = j + 1;
            if cur.is(k, '半') {
                return Some((TimeOfDay { hour, minute: 30, notation: TimeNotation::Kanji }, k + 1));
            }
            if let Some((minute, n2)) = cur.number(k, 2) {
                if cur.is(k + n2, '分') {
                    return Some((
                        TimeOfDay { hour, minute, notation: TimeNotation::Kanji },
                        k + n2 + 1,
                    ));
                }
            }
            Some((TimeOfDay { hour, minute: 0, notation: TimeNotation::Kanji }, k))
        }
        _ => None,
    }
}

fn lone_time_at(cur: &Cursor, i: usize) -> Option<(TimeMention, usize)> {
    let (time, mut j) = time_at(cur, i)?;
    // "10時" alone is too common in other senses ("24時間"); require minutes
    // or 頃 for the kanji form.
    if cur.digit(j).is_some() || cur.is(j, '間') {
        return None;
    }
    let (approx, after) = approx_marker_at(cur, j);
    if time.notation == TimeNotation::Kanji && time.minute == 0 && !approx && !cur.is(j - 1, '分') {
        let written_minutes = cur.ch(j - 1) == Some('分');
        if !written_minutes {
            return None;
        }
    }
    j = zone_marker_at(cur, after);
    let (approx2, after) = approx_marker_at(cur, j);
    j = after;
    Some((
        TimeMention { start: cur.byte(i), end: cur.byte(j), time, approximate: approx || approx2 },
        j,
    ))
}

fn approx_marker_at(cur: &Cursor, i: usize) -> (bool, usize) {
    if cur.is(i, '頃') {
        return (true, i + 1);
    }
    if cur.ch(i) == Some('ご') && cur.is(i + 1, 'ろ') {
        return (true, i + 2);
    }
    let k = cur.skip_spaces(i);
    for word in ["(approx.)", "(approx)", "approx."] {
        if cur.starts_with_ci(k, word) {
            return (true, k + word.len());
        }
    }
    (false, i)
}

fn zone_marker_at(cur: &Cursor, i: usize) -> usize {
    let k = cur.skip_spaces(i);
    for word in ["(jst)", "（jst）", "jst", "(utc)", "utc"] {
        if cur.starts_with_ci(k, word) && !cur.ch(k + word.chars().count()).is_some_and(|c| c.is_ascii_alphabetic()) {
            return k + word.chars().count();
        }
    }
    i
}

/// The weekday a date falls on, when the date exists.
pub fn weekday_of(year: i32, month: u32, day: u32) -> Option<Weekday> {
    NaiveDate::from_ymd_opt(year, month, day).map(|d| d.weekday())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> Vec<DateMention> {
        scan(text)
            .into_iter()
            .filter_map(|m| match m {
                Mention::Date(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn finds_the_styles_announcements_use() {
        let found = dates("2025/06/13 02:51頃、2024年8月20日14時02分頃、2024-08-13 16:13頃、2025年 1月30日 15時15分頃");
        assert_eq!(found.len(), 4);
        assert_eq!((found[0].year, found[0].month, found[0].day), (Some(2025), 6, 13));
        assert_eq!(found[0].time.map(|t| (t.hour, t.minute)), Some((2, 51)));
        assert!(found[0].approximate);
        assert_eq!(found[1].notation, DateNotation::Kanji);
        assert_eq!(found[1].time.map(|t| (t.hour, t.minute)), Some((14, 2)));
        assert_eq!(found[2].notation, DateNotation::Dash);
        assert_eq!((found[3].month, found[3].day), (1, 30));
    }

    #[test]
    fn reports_impossible_days_without_judging_them() {
        let found = dates("対象期間 2022/10/05 ~ 2022/11/31 のデータ");
        assert_eq!(found.len(), 2);
        assert!(!found[0].is_impossible());
        assert!(found[1].is_impossible());
    }

    #[test]
    fn notices_year_marker_where_month_belongs() {
        let found = dates("2024年08月20日00時00分〜2024年09年04日14時27分");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].malformation, None);
        assert_eq!(found[1].malformation, Some(Malformation::YearMarkerForMonth));
    }

    #[test]
    fn reads_weekdays_beside_dates() {
        let found = dates("2023/11/21 (火) 10:00 〜 13:34 と 8/7(水)13:00");
        assert_eq!(found[0].weekday.map(|w| w.0), Some(Weekday::Tue));
        assert_eq!(found[0].time.map(|t| t.hour), Some(10));
        assert_eq!((found[1].month, found[1].day), (8, 7));
        assert_eq!(found[1].weekday.map(|w| w.0), Some(Weekday::Wed));
        assert_eq!(found[1].time.map(|t| t.hour), Some(13));
    }

    #[test]
    fn reads_an_english_weekday_before_its_date() {
        let text = "On Monday, June 15, 2026 and Sun June 14 but not Sundays June 7 or Monsoon June 8";
        let found = dates(text);
        assert_eq!(found[0].weekday.map(|w| (w.0, &text[w.1..w.2])), Some((Weekday::Mon, "Monday")));
        assert_eq!(found[1].weekday.map(|w| (w.0, &text[w.1..w.2])), Some((Weekday::Sun, "Sun")));
        assert_eq!(found[2].weekday, None);
        assert_eq!(found[3].weekday, None);
    }

    #[test]
    fn english_dates() {
        let found = dates("Between Jun 13, 2025 02:51 JST and 14 June 2025 05:30");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].year, found[0].month, found[0].day), (Some(2025), 6, 13));
        assert_eq!((found[1].year, found[1].month, found[1].day), (Some(2025), 6, 14));
        assert_eq!(found[1].time.map(|t| t.minute), Some(30));
    }

    #[test]
    fn ranges_with_time_only_ends_and_open_ends() {
        let r = scan_ranges("■ 発生期間 2025/06/13 02:51頃〜05:30頃 ■ 原因");
        assert_eq!(r.len(), 1);
        assert!(matches!(&r[0].to, RangeEnd::Time(t) if t.time.hour == 5 && t.approximate));
        let r = scan_ranges("2024/10/07 20:00頃 〜 確認中");
        assert!(matches!(r[0].to, RangeEnd::Open));
        let r = scan_ranges("2024/12/31 22時50分頃 〜 2025/1/1 1時40分頃");
        assert!(matches!(&r[0].to, RangeEnd::Date(d) if d.year == Some(2025) && d.day == 1));
        let r = scan_ranges("2024年8月20日14時02分頃〜現在");
        assert!(matches!(r[0].to, RangeEnd::Open));
    }

    #[test]
    fn ignores_numbers_that_are_not_dates() {
        assert!(dates("約1.5%に該当、50/50 の割合、バージョン 128.0.6613.146").is_empty());
        assert!(scan("24時間以内").is_empty());
    }

    #[test]
    fn a_list_dash_before_a_date_is_no_separator() {
        let found = dates("■ 発生期間 -2024/12/31 22時50分頃 〜 2025/1/1 1時40分頃");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].year, found[0].month, found[0].day), (Some(2024), 12, 31));
        assert!(dates("ID 12-2024/12/31").is_empty(), "a dash inside a number run is not a list marker");
    }

    #[test]
    fn offsets_point_at_the_written_text() {
        let text = "期間：2025/06/13 02:51頃";
        let d = &dates(text)[0];
        assert_eq!(&text[d.start..d.end], "2025/06/13 02:51頃");
    }
}
