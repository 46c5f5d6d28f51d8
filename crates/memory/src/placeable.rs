//! Placeables: the parts of a segment that are facts rather than wording —
//! dates, times, periods, numbers with units, links and glossary names.
//! Each is one token, read into a language-neutral [`Value`] and written
//! again in either language's style.
//!
//! Dates, times and ranges are read by desk-model's scanner
//! ([`desk_model::dates`]); this module adds the ranges of two lone times
//! (`02:51–03:40 JST`), numbers with their units and approximation words,
//! links and glossary names.

use chrono::{NaiveDate, TimeZone, Utc};
use desk_model::dates::{self, DateMention, DateNotation, Mention, RangeEnd, TimeMention, TimeNotation};
use desk_model::{Lang, Period, PeriodStyle};
use serde::{Deserialize, Serialize};

use crate::glossary::Glossary;

/// The type of a placeable: what its slot is called in normalised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Date,
    DateTime,
    Time,
    Period,
    TimeRange,
    Count,
    Minutes,
    Hours,
    Seconds,
    Millis,
    Days,
    Percent,
    Bytes,
    Url,
    Term,
}

impl SlotKind {
    pub const ALL: [SlotKind; 15] = [
        SlotKind::Date,
        SlotKind::DateTime,
        SlotKind::Time,
        SlotKind::Period,
        SlotKind::TimeRange,
        SlotKind::Count,
        SlotKind::Minutes,
        SlotKind::Hours,
        SlotKind::Seconds,
        SlotKind::Millis,
        SlotKind::Days,
        SlotKind::Percent,
        SlotKind::Bytes,
        SlotKind::Url,
        SlotKind::Term,
    ];

    /// The slot as normalised text shows it: `{date}`, `{num:minutes}`; a
    /// term's slot adds its glossary index (`{term:3}`) where it is known.
    pub fn label(self) -> &'static str {
        match self {
            SlotKind::Date => "{date}",
            SlotKind::DateTime => "{datetime}",
            SlotKind::Time => "{time}",
            SlotKind::Period => "{period}",
            SlotKind::TimeRange => "{time_range}",
            SlotKind::Count => "{num:count}",
            SlotKind::Minutes => "{num:minutes}",
            SlotKind::Hours => "{num:hours}",
            SlotKind::Seconds => "{num:seconds}",
            SlotKind::Millis => "{num:ms}",
            SlotKind::Days => "{num:days}",
            SlotKind::Percent => "{num:percent}",
            SlotKind::Bytes => "{num:bytes}",
            SlotKind::Url => "{url}",
            SlotKind::Term => "{term}",
        }
    }

    /// One private-use character per kind: the slot as a single token in
    /// the n-gram index.
    pub(crate) fn token(self) -> char {
        char::from_u32(0xE000 + self as u32).unwrap_or('\u{E000}')
    }

    /// Kinds that may stand for one another when no slot of the same kind is
    /// left: a date for a date and time, minutes for hours.
    fn family(self) -> u8 {
        match self {
            SlotKind::Date | SlotKind::DateTime | SlotKind::Time | SlotKind::Period | SlotKind::TimeRange => 0,
            SlotKind::Minutes | SlotKind::Hours | SlotKind::Seconds | SlotKind::Millis | SlotKind::Days => 1,
            SlotKind::Count => 2,
            SlotKind::Percent => 3,
            SlotKind::Bytes => 4,
            SlotKind::Url => 5,
            SlotKind::Term => 6,
        }
    }

    pub(crate) fn same_family(self, other: SlotKind) -> bool {
        self.family() == other.family()
    }
}

/// A calendar date as written, with its time when one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    /// Hour and minute.
    pub time: Option<(u32, u32)>,
}

/// The end of a period: a date (and time), or a time on the start's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodEnd {
    Date(DateValue),
    Time(u32, u32),
}

/// What a placeable says, whatever the language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Date(DateValue),
    Time(u32, u32),
    /// An open end (`〜現在`, `– ongoing`) has no `to`.
    Period { from: DateValue, to: Option<PeriodEnd> },
    TimeRange { from: (u32, u32), to: (u32, u32) },
    /// Digits without thousands separators (`1200`, `0.39`); the unit is the kind.
    Number(String),
    Url(String),
    /// An index into the glossary.
    Term(u32),
}

/// How a date was written, kept so that a Japanese suggestion can follow
/// the notation of the segment it was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notation {
    #[default]
    Slash,
    Dash,
    Kanji,
    English,
}

/// One placeable found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placeable {
    pub kind: SlotKind,
    pub value: Value,
    /// 頃, 約, 程度, "about", "(approx.)".
    pub approximate: bool,
    /// 最大, "up to".
    pub up_to: bool,
    /// Byte range in the text it was found in.
    pub start: usize,
    pub end: usize,
    pub notation: Notation,
    /// A Japanese counter after a count (件, 台, 回…), empty when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
}

impl Placeable {
    /// True when both state the same fact (how each was written aside).
    pub fn same_fact(&self, other: &Placeable) -> bool {
        self.kind == other.kind && self.value == other.value && self.approximate == other.approximate && self.up_to == other.up_to
    }

    /// The slot label, with the glossary index for a term.
    pub fn slot(&self) -> String {
        match self.value {
            Value::Term(i) => format!("{{term:{i}}}"),
            _ => self.kind.label().to_string(),
        }
    }
}

fn date_value(d: &DateMention) -> DateValue {
    DateValue { year: d.year, month: d.month, day: d.day, time: d.time.map(|t| (t.hour, t.minute)) }
}

fn notation(d: &DateMention) -> Notation {
    match d.notation {
        DateNotation::Slash => Notation::Slash,
        DateNotation::Dash => Notation::Dash,
        DateNotation::Kanji => Notation::Kanji,
        DateNotation::English => Notation::English,
    }
}

fn time_notation(t: &TimeMention) -> Notation {
    match t.time.notation {
        TimeNotation::Kanji => Notation::Kanji,
        TimeNotation::Colon => Notation::Slash,
    }
}

/// Byte ranges already taken by a placeable.
struct Claims(Vec<(usize, usize)>);

impl Claims {
    fn free(&self, start: usize, end: usize) -> bool {
        !self.0.iter().any(|&(s, e)| s < end && start < e)
    }
    fn take(&mut self, start: usize, end: usize) {
        self.0.push((start, end));
    }
}

/// The placeables of a width-normalised text, in text order.
pub fn find(text: &str, lang: Lang, glossary: &Glossary) -> Vec<Placeable> {
    let mut out = Vec::new();
    let mut claims = Claims(Vec::new());
    let push = |out: &mut Vec<Placeable>, claims: &mut Claims, p: Placeable| {
        if p.end > p.start && claims.free(p.start, p.end) {
            claims.take(p.start, p.end);
            out.push(p);
        }
    };
    let blank = |kind, value, start, end| Placeable { kind, value, approximate: false, up_to: false, start, end, notation: Notation::Slash, unit: String::new() };
    for (s, e) in urls(text) {
        push(&mut out, &mut claims, blank(SlotKind::Url, Value::Url(text[s..e].to_string()), s, e));
    }
    for (s, e, id) in glossary.find(text, lang) {
        push(&mut out, &mut claims, blank(SlotKind::Term, Value::Term(id), s, e));
    }
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    if has_digit {
        for r in dates::scan_ranges(text) {
            let mut approximate = r.from.approximate;
            let to = match &r.to {
                RangeEnd::Open => None,
                RangeEnd::Time(t) => {
                    approximate |= t.approximate;
                    Some(PeriodEnd::Time(t.time.hour, t.time.minute))
                }
                RangeEnd::Date(d) => {
                    approximate |= d.approximate;
                    Some(PeriodEnd::Date(date_value(d)))
                }
            };
            let p = Placeable { approximate, notation: notation(&r.from), ..blank(SlotKind::Period, Value::Period { from: date_value(&r.from), to }, r.start, r.end) };
            push(&mut out, &mut claims, p);
        }
        let mentions = dates::scan(text);
        let times: Vec<&TimeMention> = mentions.iter().filter_map(|m| if let Mention::Time(t) = m { Some(t) } else { None }).collect();
        for pair in times.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let gap = text[a.end..b.start].trim();
            if matches!(gap, "〜" | "~" | "-" | "–" | "—" | "から" | "to") {
                let value = Value::TimeRange { from: (a.time.hour, a.time.minute), to: (b.time.hour, b.time.minute) };
                let p = Placeable { approximate: a.approximate || b.approximate, notation: time_notation(a), ..blank(SlotKind::TimeRange, value, a.start, b.end) };
                push(&mut out, &mut claims, p);
            }
        }
        for m in &mentions {
            let p = match m {
                Mention::Date(d) => {
                    let kind = if d.time.is_some() { SlotKind::DateTime } else { SlotKind::Date };
                    Placeable { approximate: d.approximate, notation: notation(d), ..blank(kind, Value::Date(date_value(d)), d.start, d.end) }
                }
                Mention::Time(t) => Placeable { approximate: t.approximate, notation: time_notation(t), ..blank(SlotKind::Time, Value::Time(t.time.hour, t.time.minute), t.start, t.end) },
            };
            push(&mut out, &mut claims, p);
        }
        for p in numbers(text, lang) {
            push(&mut out, &mut claims, p);
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// `http://…` and `https://…` up to a space, a non-ASCII character or a
/// closing bracket; a final `.` or `,` is punctuation.
fn urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = text[from..].find("http") {
        let s = from + k;
        let rest = &text[s..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let len = rest.find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>' | ']' | '"' | '\'')).unwrap_or(rest.len());
            let url = rest[..len].trim_end_matches(['.', ',', ';', ':']);
            out.push((s, s + url.len()));
            from = s + len.max(1);
        } else {
            from = s + 4;
        }
    }
    out
}

const JA_UNITS: &[(&str, SlotKind)] = &[
    ("時間", SlotKind::Hours),
    ("分間", SlotKind::Minutes),
    ("分", SlotKind::Minutes),
    ("ミリ秒", SlotKind::Millis),
    ("秒間", SlotKind::Seconds),
    ("秒", SlotKind::Seconds),
    ("日間", SlotKind::Days),
];
const JA_COUNTERS: &[&str] = &["件", "台", "回", "名", "人", "個", "社", "通", "本", "種類", "つ", "ヶ所", "か所", "箇所", "ヶ月", "か月", "カ月", "倍"];
const EN_UNITS: &[(&str, SlotKind)] = &[
    ("milliseconds", SlotKind::Millis),
    ("ms", SlotKind::Millis),
    ("minutes", SlotKind::Minutes),
    ("minute", SlotKind::Minutes),
    ("mins", SlotKind::Minutes),
    ("min", SlotKind::Minutes),
    ("hours", SlotKind::Hours),
    ("hour", SlotKind::Hours),
    ("hrs", SlotKind::Hours),
    ("seconds", SlotKind::Seconds),
    ("second", SlotKind::Seconds),
    ("secs", SlotKind::Seconds),
    ("days", SlotKind::Days),
    ("day", SlotKind::Days),
    ("percent", SlotKind::Percent),
];
const BYTE_UNITS: &[&str] = &["KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB"];
const JA_APPROX_BEFORE: &[&str] = &["およそ", "約"];
const JA_UP_TO_BEFORE: &[&str] = &["最大で", "最大"];
const JA_APPROX_AFTER: &[&str] = &["程度", "ほど", "前後"];
const EN_APPROX_BEFORE: &[&str] = &["approximately ", "approx. ", "about ", "around ", "roughly ", "nearly "];
const EN_UP_TO_BEFORE: &[&str] = &["up to "];

/// Numbers with their unit (or counter) and the words that qualify them.
fn numbers(text: &str, lang: Lang) -> Vec<Placeable> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let prev = text[..i].chars().next_back();
        if prev.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | ':' | '#' | '@' | '-' | '+' | ',' | '$' | '¥')) {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            continue;
        }
        // Digits, thousands separators, one decimal point.
        let start = i;
        let mut amount = String::new();
        let mut j = i;
        let mut point = false;
        loop {
            while j < b.len() && b[j].is_ascii_digit() {
                amount.push(b[j] as char);
                j += 1;
            }
            let three = |k: usize| k + 3 <= b.len() && b[k..k + 3].iter().all(u8::is_ascii_digit) && b.get(k + 3).is_none_or(|c| !c.is_ascii_digit());
            if j < b.len() && b[j] == b',' && three(j + 1) && !point {
                j += 1;
                continue;
            }
            if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() && !point {
                point = true;
                amount.push('.');
                j += 1;
                continue;
            }
            break;
        }
        i = j;
        let rest = &text[j..];
        // Versions, times and other number runs are not quantities.
        if rest.starts_with(['.', ':', '/']) && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            while i < b.len() && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b':' | b'/')) {
                i += 1;
            }
            continue;
        }
        let Some((kind, unit, unit_len)) = unit_after(rest, lang) else { continue };
        let mut end = j + unit_len;
        let before = &text[..start];
        let approx_before = match lang {
            Lang::Ja => JA_APPROX_BEFORE.iter().find(|w| before.ends_with(*w)),
            Lang::En => EN_APPROX_BEFORE.iter().find(|w| ends_with_ci(before, w)),
        };
        let up_to_before = match lang {
            Lang::Ja => JA_UP_TO_BEFORE.iter().find(|w| before.ends_with(*w)),
            Lang::En => EN_UP_TO_BEFORE.iter().find(|w| ends_with_ci(before, w)),
        };
        let mut s = start;
        let mut approximate = false;
        let mut up_to = false;
        if let Some(w) = approx_before {
            s -= w.len();
            approximate = true;
        }
        if let Some(w) = up_to_before.filter(|_| approx_before.is_none()) {
            s -= w.len();
            up_to = true;
        }
        if lang == Lang::Ja {
            // 最大で30分程度: "up to 30 minutes"; 程度 alone: "about".
            if let Some(w) = JA_APPROX_AFTER.iter().find(|w| text[end..].starts_with(*w)) {
                end += w.len();
                approximate |= !up_to;
            }
        }
        out.push(Placeable { kind, value: Value::Number(amount), approximate, up_to, start: s, end, notation: Notation::Slash, unit });
    }
    out
}

fn ends_with_ci(text: &str, word: &str) -> bool {
    text.len() >= word.len() && text.is_char_boundary(text.len() - word.len()) && text[text.len() - word.len()..].eq_ignore_ascii_case(word) && {
        let before = text[..text.len() - word.len()].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
    }
}

/// The unit after a number: its kind, the Japanese counter, and its byte length
/// (with the space before it). `None`: the number is no placeable.
fn unit_after(rest: &str, lang: Lang) -> Option<(SlotKind, String, usize)> {
    let letter = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if let Some(r) = rest.strip_prefix('%') {
        let _ = r;
        return Some((SlotKind::Percent, String::new(), 1));
    }
    let spaced = rest.strip_prefix(' ');
    let after_space = spaced.unwrap_or(rest);
    let space = rest.len() - after_space.len();
    if after_space.starts_with('%') {
        return Some((SlotKind::Percent, String::new(), space + 1));
    }
    for u in BYTE_UNITS {
        if after_space.starts_with(u) && !letter(&after_space[u.len()..]) {
            return Some((SlotKind::Bytes, (*u).to_string(), space + u.len()));
        }
    }
    match lang {
        Lang::Ja => {
            for (u, kind) in JA_UNITS {
                if rest.starts_with(u) {
                    return Some((*kind, String::new(), u.len()));
                }
            }
            for c in JA_COUNTERS {
                if rest.starts_with(c) {
                    return Some((SlotKind::Count, (*c).to_string(), c.len()));
                }
            }
            // Parts of dates and clock times the scanner did not take, and
            // numbers glued to Latin words (`3rd`, `5xx`), are not counts.
            if rest.starts_with(['年', '月', '日', '時', '週', '歳']) || letter(rest) || rest.starts_with("系") {
                return None;
            }
            Some((SlotKind::Count, String::new(), 0))
        }
        Lang::En => {
            for (u, kind) in EN_UNITS {
                if after_space.len() >= u.len() && after_space.is_char_boundary(u.len()) && after_space[..u.len()].eq_ignore_ascii_case(u) && !letter(&after_space[u.len()..]) {
                    return Some((*kind, String::new(), space + u.len()));
                }
            }
            if letter(rest) {
                return None;
            }
            Some((SlotKind::Count, String::new(), 0))
        }
    }
}

// ---- writing values in a language's style ----

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Writes placeables in the style of the organisation's [`PeriodStyle`].
pub(crate) struct Writer<'a> {
    pub style: &'a PeriodStyle,
    pub glossary: &'a Glossary,
}

impl Writer<'_> {
    fn zone(&self, d: Option<&DateValue>) -> String {
        let at = d
            .and_then(|d| NaiveDate::from_ymd_opt(d.year?, d.month, d.day))
            .and_then(|n| n.and_hms_opt(12, 0, 0))
            .map(|n| Utc.from_utc_datetime(&n))
            .unwrap_or_else(Utc::now);
        at.with_timezone(&self.style.time_zone).format("%Z").to_string()
    }

    fn date_ja(&self, d: &DateValue, notation: Notation) -> String {
        let mut out = match (notation, d.year) {
            (Notation::Kanji, Some(y)) => format!("{y}年{}月{}日", d.month, d.day),
            (Notation::Kanji, None) => format!("{}月{}日", d.month, d.day),
            (Notation::Dash, Some(y)) => format!("{y}-{:02}-{:02}", d.month, d.day),
            (_, Some(y)) => format!("{y}/{:02}/{:02}", d.month, d.day),
            (_, None) => format!("{}/{}", d.month, d.day),
        };
        if let Some((h, m)) = d.time {
            out.push(' ');
            out.push_str(&time_ja(h, m, notation));
        }
        out
    }

    fn date_en(&self, d: &DateValue) -> String {
        let month = MONTHS.get(d.month.wrapping_sub(1) as usize).copied().unwrap_or("?");
        let mut out = match d.year {
            Some(y) => format!("{month} {}, {y}", d.day),
            None => format!("{month} {}", d.day),
        };
        if let Some((h, m)) = d.time {
            out.push_str(&format!(" {h:02}:{m:02}"));
        }
        out
    }

    fn to_utc(&self, d: &DateValue, time: (u32, u32)) -> Option<chrono::DateTime<Utc>> {
        let date = NaiveDate::from_ymd_opt(d.year?, d.month, d.day)?;
        let local = date.and_hms_opt(time.0, time.1, 0)?;
        self.style.time_zone.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc))
    }

    /// A period with a year and times, in the organisation's style.
    fn period_by_style(&self, from: &DateValue, to: &Option<PeriodEnd>, approximate: bool, lang: Lang) -> Option<String> {
        let start = self.to_utc(from, from.time?)?;
        let end = match to {
            None => None,
            Some(PeriodEnd::Time(h, m)) => Some(self.to_utc(from, (*h, *m))?),
            Some(PeriodEnd::Date(d)) => {
                let d = DateValue { year: d.year.or(from.year), ..*d };
                Some(self.to_utc(&d, d.time?)?)
            }
        };
        Some(self.style.format_period(&Period { start, end, approximate }, lang))
    }

    /// `p`'s value written in `lang`, following `template` (the placeable it
    /// replaces) where the language leaves a choice.
    pub fn write(&self, p: &Placeable, lang: Lang, template: Option<&Placeable>) -> String {
        let notation = template.map_or(Notation::Slash, |t| t.notation);
        let ja_style = &self.style.ja;
        let en_style = &self.style.en;
        match (&p.value, lang) {
            (Value::Url(u), _) => u.clone(),
            (Value::Term(i), _) => self.glossary.term(*i).map_or_else(String::new, |t| if lang == Lang::Ja { t.ja.clone() } else { t.en.clone() }),
            (Value::Number(n), _) => write_number(p, n, lang, template),
            (Value::Date(d), Lang::Ja) => self.ja_tail(self.date_ja(d, notation), p.approximate),
            (Value::Date(d), Lang::En) => self.en_tail(self.date_en(d), d.time.is_some(), Some(d), p.approximate),
            (Value::Time(h, m), Lang::Ja) => self.ja_tail(time_ja(*h, *m, notation), p.approximate),
            (Value::Time(h, m), Lang::En) => self.en_tail(format!("{h:02}:{m:02}"), true, None, p.approximate),
            (Value::TimeRange { from, to }, Lang::Ja) => {
                let approx = if p.approximate { ja_style.approximate.as_str() } else { "" };
                format!("{}{approx}{}{}{approx}", time_ja(from.0, from.1, notation), ja_style.separator, time_ja(to.0, to.1, notation))
            }
            (Value::TimeRange { from, to }, Lang::En) => {
                let out = format!("{:02}:{:02}{}{:02}:{:02}", from.0, from.1, en_style.separator, to.0, to.1);
                self.en_tail(out, true, None, p.approximate)
            }
            (Value::Period { from, to }, _) => {
                if notation != Notation::Kanji || lang == Lang::En {
                    if let Some(s) = self.period_by_style(from, to, p.approximate, lang) {
                        return s;
                    }
                }
                self.period_by_hand(from, to, p.approximate, lang, notation)
            }
        }
    }

    /// Japanese: the "about" marker after the value.
    fn ja_tail(&self, mut out: String, approximate: bool) -> String {
        if approximate {
            out.push_str(&self.style.ja.approximate);
        }
        out
    }

    /// English: the zone after a time, then the "about" marker.
    fn en_tail(&self, mut out: String, has_time: bool, date: Option<&DateValue>, approximate: bool) -> String {
        if has_time && self.style.en.show_zone {
            out.push(' ');
            out.push_str(&self.zone(date));
        }
        if approximate {
            out.push_str(&self.style.en.approximate);
        }
        out
    }

    /// A period without a year or a time, written piece by piece.
    fn period_by_hand(&self, from: &DateValue, to: &Option<PeriodEnd>, approximate: bool, lang: Lang, notation: Notation) -> String {
        let s = self.style.lang(lang);
        let each = if approximate && s.approximate_each_time { s.approximate.as_str() } else { "" };
        let date = |d: &DateValue| if lang == Lang::Ja { self.date_ja(d, notation) } else { self.date_en(d) };
        let mut out = date(from);
        out.push_str(each);
        match to {
            Some(PeriodEnd::Time(h, m)) => {
                out.push_str(&s.separator);
                out.push_str(&if lang == Lang::Ja { time_ja(*h, *m, notation) } else { format!("{h:02}:{m:02}") });
                out.push_str(each);
            }
            Some(PeriodEnd::Date(d)) => {
                out.push_str(&s.separator_between_days);
                out.push_str(&date(d));
                out.push_str(each);
            }
            None => {
                out.push_str(&s.separator_between_days);
                out.push_str(&s.open_end);
            }
        }
        if s.show_zone && (from.time.is_some() || matches!(to, Some(PeriodEnd::Time(..)))) {
            out.push(' ');
            out.push_str(&self.zone(Some(from)));
        }
        if approximate && !s.approximate_each_time {
            out.push_str(&s.approximate);
        }
        out
    }
}

fn time_ja(h: u32, m: u32, notation: Notation) -> String {
    if notation == Notation::Kanji {
        format!("{h}時{m:02}分")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// `1200` → `1,200`; decimals as they are.
fn grouped(n: &str) -> String {
    let (int, frac) = n.split_once('.').map_or((n, None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

fn write_number(p: &Placeable, n: &str, lang: Lang, template: Option<&Placeable>) -> String {
    let amount = grouped(n);
    let one = n == "1";
    match lang {
        Lang::Ja => {
            let prefix = if p.approximate { "約" } else if p.up_to { "最大" } else { "" };
            let unit = match p.kind {
                SlotKind::Count => template.filter(|t| t.kind == SlotKind::Count).map_or_else(|| p.unit.clone(), |t| t.unit.clone()),
                SlotKind::Minutes => "分".into(),
                SlotKind::Hours => "時間".into(),
                SlotKind::Seconds => "秒".into(),
                SlotKind::Millis => "ミリ秒".into(),
                SlotKind::Days => "日間".into(),
                SlotKind::Percent => "%".into(),
                SlotKind::Bytes => p.unit.clone(),
                _ => String::new(),
            };
            format!("{prefix}{amount}{unit}")
        }
        Lang::En => {
            let prefix = if p.approximate { "about " } else if p.up_to { "up to " } else { "" };
            let unit = match p.kind {
                SlotKind::Minutes => if one { " minute" } else { " minutes" }.to_string(),
                SlotKind::Hours => if one { " hour" } else { " hours" }.to_string(),
                SlotKind::Seconds => if one { " second" } else { " seconds" }.to_string(),
                SlotKind::Millis => " ms".into(),
                SlotKind::Days => if one { " day" } else { " days" }.to_string(),
                SlotKind::Percent => "%".into(),
                SlotKind::Bytes => format!(" {}", p.unit),
                _ => String::new(),
            };
            format!("{prefix}{amount}{unit}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Term;

    fn kinds(text: &str, lang: Lang) -> Vec<(SlotKind, String)> {
        let g = Glossary::new([Term::new("管理画面", "admin console"), Term::new("Relay Hub", "Relay Hub")]);
        find(text, lang, &g).into_iter().map(|p| (p.kind, text[p.start..p.end].to_string())).collect()
    }

    #[test]
    fn reads_the_placeables_of_both_languages() {
        use SlotKind::*;
        type Case<'a> = (&'a str, Lang, &'a [(SlotKind, &'a str)]);
        let cases: [Case; 2] = [
            (
                "2025/06/13 02:51頃から約300件のメールが30分程度遅延し、100MBを超えるファイルの12%が失敗しました（Relay Hubの管理画面）。https://status.example.com/a.",
                Lang::Ja,
                &[(DateTime, "2025/06/13 02:51頃"), (Count, "約300件"), (Minutes, "30分程度"), (Bytes, "100MB"), (Percent, "12%"), (Term, "Relay Hub"), (Term, "管理画面"), (Url, "https://status.example.com/a")],
            ),
            (
                "From Jun 13, 2025 02:51 JST (approx.), about 300 emails were delayed by up to 30 minutes; 1,200 files over 100 MB (12%) failed between 02:51–03:40 JST.",
                Lang::En,
                &[(DateTime, "Jun 13, 2025 02:51 JST (approx.)"), (Count, "about 300"), (Minutes, "up to 30 minutes"), (Count, "1,200"), (Bytes, "100 MB"), (Percent, "12%"), (TimeRange, "02:51–03:40 JST")],
            ),
        ];
        for (text, lang, expected) in cases {
            let got = kinds(text, lang);
            assert_eq!(got.iter().map(|(k, s)| (*k, s.as_str())).collect::<Vec<_>>(), expected);
        }
    }

    #[test]
    fn periods_and_kanji_dates() {
        let got = kinds("2025年6月13日 2時51分頃〜5時30分頃、2024/12/31 22:50〜2025/01/01 01:40", Lang::Ja);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), [SlotKind::Period, SlotKind::Period]);
        assert!(kinds("バージョン 128.0.6613.146 と APIv2、S3、1日あたり", Lang::Ja).is_empty());
        assert!(kinds("version 128.0.6613.146 of APIv2 and S3", Lang::En).is_empty());
    }

    #[test]
    fn writes_each_language_style() {
        let style = PeriodStyle::default();
        let g = Glossary::default();
        let w = Writer { style: &style, glossary: &g };
        let one = |text: &str, lang| find(text, lang, &g).remove(0);
        assert_eq!(w.write(&one("2025/06/13 02:51頃", Lang::Ja), Lang::En, None), "Jun 13, 2025 02:51 JST (approx.)");
        assert_eq!(w.write(&one("Jun 13, 2025 02:51 JST", Lang::En), Lang::Ja, None), "2025/06/13 02:51");
        assert_eq!(w.write(&one("約300件", Lang::Ja), Lang::En, None), "about 300");
        assert_eq!(w.write(&one("30分", Lang::Ja), Lang::En, None), "30 minutes");
        assert_eq!(w.write(&one("about 1,200", Lang::En), Lang::Ja, Some(&one("50台", Lang::Ja))), "約1,200台");
        assert_eq!(w.write(&one("2025/06/13 02:51頃〜05:30頃", Lang::Ja), Lang::En, None), "Jun 13, 2025 02:51–05:30 JST (approx.)");
        assert_eq!(w.write(&one("02:51–03:40 JST", Lang::En), Lang::Ja, None), "02:51〜03:40");
        let kanji = one("2024年8月20日14時02分", Lang::Ja);
        assert_eq!(w.write(&one("Jun 13, 2025 02:51", Lang::En), Lang::Ja, Some(&kanji)), "2025年6月13日 2時51分");
    }
}
