//! Times and periods as English prose writes them: 12-hour clocks
//! (`1:01pm`, `3 PM`), time-zone abbreviations (`PDT`, `UTC`, `UTC+9`), and
//! periods in words (`from 12:10am to 1:01pm PDT`, `between 14:00 and 15:30
//! UTC`, `October 16, 2020 from 12:10am to 1:01pm`, `until 3 PM`).
//!
//! desk-model's scanner reads the notations of Japanese announcements and
//! `Mar 4, 2025 09:12`; this reads what it leaves: the meridiem, the zone and
//! the words that join a start to an end.

use desk_model::dates::{DateMention, DateNotation, Mention};

/// `am` or `pm` after a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meridiem {
    Am,
    Pm,
}

/// A time-zone name written after a time, with its offset from UTC in
/// minutes when it is unambiguous (`PT` names a zone but not an offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Zone {
    pub offset: Option<i32>,
}

/// A clock time as written: `12:10am`, `3 PM`, `14:00 UTC`, `09:12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    pub start: usize,
    /// The end of the time and its meridiem (the zone not included).
    pub end: usize,
    /// The end of everything read with it: the zone, `(approx.)`.
    pub end_all: usize,
    /// The hour as written (`1` in `1:01pm`).
    pub hour: u32,
    pub minute: u32,
    pub meridiem: Option<Meridiem>,
    /// The zone written after it, or after the end of the period it starts.
    pub zone: Option<Zone>,
    /// The zone was written right after this time (not taken from the period's end).
    pub own_zone: bool,
}

impl Clock {
    /// The hour on a 24-hour clock, or `None` when the 12-hour time is not
    /// one (`13:00 PM`, `0:30 AM`).
    pub fn hour24(&self) -> Option<u32> {
        match self.meridiem {
            None => Some(self.hour),
            Some(_) if self.hour == 0 || self.hour > 12 => None,
            Some(Meridiem::Am) => Some(self.hour % 12),
            Some(Meridiem::Pm) => Some(self.hour % 12 + 12),
        }
    }

    /// Minutes since midnight on a 24-hour clock.
    pub fn minutes(&self) -> Option<u32> {
        self.hour24().filter(|_| self.minute < 60).map(|h| h * 60 + self.minute)
    }
}

/// One end of a period: a date, a time, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Point {
    pub date: Option<DateMention>,
    /// Index into [`Prose::clocks`].
    pub clock: Option<usize>,
}

/// A period written in words. `from` is `None` for `until 3 PM`; `to` is
/// `None` for an open end (`– ongoing`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProsePeriod {
    pub start: usize,
    pub end: usize,
    pub from: Option<Point>,
    pub to: Option<Point>,
}

/// What this module reads in one text.
#[derive(Debug, Default)]
pub(crate) struct Prose {
    pub clocks: Vec<Clock>,
    pub periods: Vec<ProsePeriod>,
}

/// Zones by abbreviation, with their offsets in minutes.
const ZONES: &[(&str, Option<i32>)] = &[
    ("JST", Some(540)),
    ("KST", Some(540)),
    ("UTC", Some(0)),
    ("GMT", Some(0)),
    ("PST", Some(-480)),
    ("PDT", Some(-420)),
    ("MST", Some(-420)),
    ("MDT", Some(-360)),
    ("CST", Some(-360)),
    ("CDT", Some(-300)),
    ("EST", Some(-300)),
    ("EDT", Some(-240)),
    ("CET", Some(60)),
    ("CEST", Some(120)),
    ("BST", Some(60)),
    ("SGT", Some(480)),
    ("HKT", Some(480)),
    ("AEST", Some(600)),
    ("AEDT", Some(660)),
    ("NZST", Some(720)),
    ("NZDT", Some(780)),
    ("IST", None),
    ("PT", None),
    ("MT", None),
    ("CT", None),
    ("ET", None),
];

/// Phrases that name Japan's time in words.
const JAPAN_TIME: &[&str] = &["Japan Standard Time", "Japan time", "Tokyo time"];

struct Chars<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl<'a> Chars<'a> {
    fn new(text: &'a str) -> Self {
        Chars { text, chars: text.char_indices().collect() }
    }

    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|c| c.1)
    }

    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |c| c.0)
    }

    /// The char index of byte offset `b`.
    fn index(&self, b: usize) -> usize {
        self.chars.partition_point(|c| c.0 < b)
    }

    fn spaces(&self, mut i: usize) -> usize {
        while matches!(self.ch(i), Some(' ' | '\u{a0}' | '\u{3000}' | '\t')) {
            i += 1;
        }
        i
    }

    fn digits(&self, i: usize, max: usize) -> Option<(u32, usize)> {
        let mut n = 0;
        let mut k = 0;
        while let Some(d) = self.ch(i + k).and_then(|c| c.to_digit(10)) {
            if k == max {
                return None;
            }
            n = n * 10 + d;
            k += 1;
        }
        (k > 0).then_some((n, k))
    }

    /// A Latin letter or digit: Japanese may follow a word directly (`PMに`).
    fn letter(&self, i: usize) -> bool {
        self.ch(i).is_some_and(|c| c.is_ascii_alphanumeric())
    }

    /// `word` at `i`, ASCII case ignored, not followed by a letter.
    fn word(&self, i: usize, word: &str) -> Option<usize> {
        let mut k = i;
        for w in word.chars() {
            if !self.ch(k).is_some_and(|c| c.eq_ignore_ascii_case(&w)) {
                return None;
            }
            k += 1;
        }
        (!self.letter(k) || word.ends_with('.')).then_some(k)
    }
}

fn meridiem_at(c: &Chars, i: usize) -> Option<(Meridiem, usize)> {
    let k = c.spaces(i);
    for (w, m) in [("a.m.", Meridiem::Am), ("p.m.", Meridiem::Pm), ("am", Meridiem::Am), ("pm", Meridiem::Pm)] {
        if let Some(end) = c.word(k, w) {
            return Some((m, end));
        }
    }
    None
}

/// A zone after `i` (spaces, an optional bracket): its end and offset.
fn zone_at(c: &Chars, i: usize) -> Option<(Zone, usize)> {
    let k = c.spaces(i);
    let (open, k) = if matches!(c.ch(k), Some('(' | '（')) { (true, k + 1) } else { (false, k) };
    let close = |end: usize| if open { matches!(c.ch(end), Some(')' | '）')).then_some(end + 1) } else { Some(end) };
    for phrase in JAPAN_TIME {
        if let Some(end) = c.word(k, phrase) {
            return close(end).map(|e| (Zone { offset: Some(540) }, e));
        }
    }
    for (name, offset) in ZONES {
        // Abbreviations are written in capitals: `et` or `pt` are words.
        let matches = name.chars().enumerate().all(|(n, z)| c.ch(k + n) == Some(z));
        let end = k + name.len();
        if !matches || c.letter(end) {
            continue;
        }
        // UTC+9, GMT+09:00, UTC-5
        if matches!(*name, "UTC" | "GMT") && matches!(c.ch(end), Some('+' | '-' | '−')) {
            let sign = if c.ch(end) == Some('+') { 1 } else { -1 };
            if let Some((h, n)) = c.digits(end + 1, 2) {
                let mut e = end + 1 + n;
                let mut minutes = 0;
                if c.ch(e) == Some(':') {
                    if let Some((m, 2)) = c.digits(e + 1, 2) {
                        minutes = m;
                        e += 3;
                    }
                }
                return close(e).map(|e| (Zone { offset: Some(sign * (h as i32 * 60 + minutes as i32)) }, e));
            }
        }
        return close(end).map(|e| (Zone { offset: *offset }, e));
    }
    None
}

fn approx_at(c: &Chars, i: usize) -> Option<usize> {
    let k = c.spaces(i);
    ["(approx.)", "(approx)", "approx."].iter().find_map(|w| c.word(k, w))
}

/// The clock time starting at char `i`: `H:MM` (with seconds, a meridiem and
/// a zone optional) or `H am`/`H pm`.
fn clock_at(c: &Chars, i: usize) -> Option<(Clock, usize)> {
    let prev = i.checked_sub(1).and_then(|p| c.ch(p));
    if prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '.' | ':' | '/' | ',' | '-' | '+' | '_')) {
        return None;
    }
    let (hour, n) = c.digits(i, 2)?;
    let mut j = i + n;
    let mut minute = 0;
    let colon = matches!(c.ch(j), Some(':' | '：'));
    if colon {
        let (m, 2) = c.digits(j + 1, 2)? else { return None };
        minute = m;
        j += 3;
        if c.ch(j) == Some(':') {
            if let Some((_, 2)) = c.digits(j + 1, 2) {
                j += 3;
            }
        }
        // `10:00:30` or `10:00:0` is no clock we read; `10:00: text` (a
        // timeline line) is one, followed by its label colon.
        if c.ch(j).is_some_and(|x| x.is_ascii_digit() || (x == ':' && c.ch(j + 1).is_some_and(|y| !y.is_whitespace()))) {
            return None;
        }
    }
    let meridiem = meridiem_at(c, j);
    if !colon && meridiem.is_none() {
        return None;
    }
    if let Some((_, e)) = meridiem {
        j = e;
    } else if c.letter(j) {
        return None;
    }
    let end = j;
    let mut all = j;
    let mut zone = None;
    if let Some(e) = approx_at(c, all) {
        all = e;
    }
    if let Some((z, e)) = zone_at(c, all) {
        zone = Some(z);
        all = e;
    }
    if let Some(e) = approx_at(c, all) {
        all = e;
    }
    let clock = Clock {
        start: c.byte(i),
        end: c.byte(end),
        end_all: c.byte(all),
        hour,
        minute,
        meridiem: meridiem.map(|m| m.0),
        zone,
        own_zone: zone.is_some(),
    };
    Some((clock, all))
}

/// Every clock time in `text`, in order.
pub(crate) fn clocks(text: &str) -> Vec<Clock> {
    let c = Chars::new(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.chars.len() {
        if c.ch(i).is_some_and(|x| x.is_ascii_digit()) {
            if let Some((clock, next)) = clock_at(&c, i) {
                out.push(clock);
                i = next;
                continue;
            }
            // Skip the rest of this number.
            while c.ch(i).is_some_and(|x| x.is_ascii_digit()) {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

/// True when `text` names a time zone anywhere (`All times are in JST`).
pub(crate) fn names_a_zone(text: &str) -> bool {
    let c = Chars::new(text);
    (0..c.chars.len()).any(|i| !i.checked_sub(1).is_some_and(|p| c.letter(p)) && zone_at(&c, i).is_some())
}

/// Words that join a period's start to its end, and whether they need a
/// `between` before the start (`and`).
const JOINERS: &[(&str, bool)] = &[
    ("to", false),
    ("until", false),
    ("till", false),
    ("through", false),
    ("thru", false),
    ("and", true),
    ("-", false),
    ("–", false),
    ("—", false),
    ("~", false),
    ("〜", false),
];
const OPEN_ENDS: &[&str] = &["ongoing", "now", "present", "further notice"];
const END_ONLY: &[&str] = &["until", "till", "through"];

/// The English date ending just before char `i` (with `on`, `at`, `from`,
/// `between`, commas and spaces between), if any.
fn date_before<'m>(c: &Chars, dates: &'m [DateMention], i: usize) -> Option<&'m DateMention> {
    let at = c.byte(i);
    let d = dates.iter().rev().find(|d| d.end <= at)?;
    let gap = c.text[d.end..at].trim();
    let gap = gap.trim_end_matches(',').trim();
    let ok = gap.is_empty() || ["at", "from", "between", "since", "starting at", "starting from", ","].iter().any(|w| gap.eq_ignore_ascii_case(w));
    ok.then_some(d)
}

/// The word just before char `i` (after spaces), lower-cased.
fn word_before(c: &Chars, i: usize) -> String {
    let before = c.text[..c.byte(i)].trim_end();
    let start = before.rfind(|ch: char| !ch.is_ascii_alphabetic()).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
    before[start..].to_ascii_lowercase()
}

/// The periods and clocks of an English text.
pub(crate) fn read(text: &str, mentions: &[Mention]) -> Prose {
    let c = Chars::new(text);
    let mut clocks = clocks(text);
    let dates: Vec<DateMention> = mentions
        .iter()
        .filter_map(|m| match m {
            Mention::Date(d) if d.notation == DateNotation::English => {
                // The date alone: desk-model may have read a time after it.
                let mut d = d.clone();
                if let Some(k) = clocks.iter().find(|k| k.start >= d.start && k.start < d.end) {
                    d.end = text[..k.start].trim_end().trim_end_matches(',').len();
                }
                Some(d)
            }
            _ => None,
        })
        .collect();
    let mut periods = Vec::new();
    let mut used = vec![false; clocks.len()];
    for k in 0..clocks.len() {
        if used[k] {
            continue;
        }
        let a = clocks[k];
        let ai = c.index(a.start);
        let from_date = date_before(&c, &dates, ai).cloned();
        let lead = from_date.as_ref().map_or(ai, |d| c.index(d.start));
        let between = word_before(&c, lead) == "between" || word_before(&c, ai) == "between";
        let start = from_date.as_ref().map_or(a.start, |d| d.start);
        // A joiner after the start, then an end (a date and/or a time).
        let j = c.spaces(c.index(a.end_all));
        let joined = JOINERS.iter().find_map(|(w, needs_between)| {
            let end = c.word(j, w).or_else(|| (!w.chars().all(char::is_alphabetic) && text[c.byte(j)..].starts_with(w)).then_some(j + w.chars().count()))?;
            (!needs_between || between).then_some(end)
        });
        let Some(after) = joined else {
            // `until 3 PM`: an end alone.
            if END_ONLY.contains(&word_before(&c, ai).as_str()) {
                periods.push(ProsePeriod { start: a.start, end: a.end_all, from: None, to: Some(Point { date: None, clock: Some(k) }) });
                used[k] = true;
            }
            continue;
        };
        let e = c.spaces(after);
        if let Some(open) = OPEN_ENDS.iter().find_map(|w| c.word(e, w)) {
            periods.push(ProsePeriod { start, end: c.byte(open), from: Some(Point { date: from_date, clock: Some(k) }), to: None });
            used[k] = true;
            continue;
        }
        let to_date = dates.iter().find(|d| d.start == c.byte(e)).cloned();
        let Some(b) = clocks.get(k + 1).copied() else { continue };
        let bi = c.index(b.start);
        let reach = to_date.as_ref().map_or(e, |d| c.spaces(c.index(d.end)));
        let gap = text[c.byte(reach)..b.start].trim().trim_end_matches(',').trim();
        if !(gap.is_empty() || gap.eq_ignore_ascii_case("at") || gap == ",") || bi < reach {
            continue;
        }
        if a.zone.is_none() {
            clocks[k].zone = b.zone;
        }
        used[k] = true;
        used[k + 1] = true;
        periods.push(ProsePeriod {
            start,
            end: b.end_all,
            from: Some(Point { date: from_date, clock: Some(k) }),
            to: Some(Point { date: to_date, clock: Some(k + 1) }),
        });
    }
    Prose { clocks, periods }
}

#[cfg(test)]
mod tests {
    use desk_model::dates::scan;

    use super::*;

    fn prose(text: &str) -> Prose {
        read(text, &scan(text))
    }

    #[test]
    fn twelve_hour_clocks_and_zones() {
        let c = clocks("from 12:10am to 1:01pm PDT, then 3 PM, 14:00 UTC+9, 10:47 (approx.) and 9 p.m. (JST)");
        let got: Vec<(Option<u32>, u32, Option<i32>)> = c.iter().map(|c| (c.hour24(), c.minute, c.zone.and_then(|z| z.offset))).collect();
        assert_eq!(got, [(Some(0), 10, None), (Some(13), 1, Some(-420)), (Some(15), 0, None), (Some(14), 0, Some(540)), (Some(10), 47, None), (Some(21), 0, Some(540))]);
        assert_eq!(clocks("13:00 PM and 0:30 AM").iter().map(Clock::hour24).collect::<Vec<_>>(), [None, None]);
        assert!(clocks("version 128.0.6613.146, 3 items, 50/50, S3, 2025-08-13, 1.5%").is_empty());
    }

    #[test]
    fn periods_in_words() {
        let p = prose("Sign-in failed from 12:10am to 1:01pm PDT.");
        assert_eq!(p.periods.len(), 1);
        assert_eq!(p.clocks[0].zone, p.clocks[1].zone, "the end's zone covers the start");
        let p = prose("Deliveries were delayed between 14:00 and 15:30 UTC.");
        assert_eq!(p.periods.len(), 1);
        let text = "From October 16, 2020 from 12:10am to 1:01pm, some exports failed.";
        let p = prose(text);
        assert_eq!(p.periods.len(), 1);
        let from = p.periods[0].from.as_ref().unwrap();
        assert_eq!(from.date.as_ref().map(|d| (d.year, d.month, d.day)), Some((Some(2020), 10, 16)));
        let p = prose("Exports are paused until 3 PM.");
        assert!(p.periods[0].from.is_none() && p.periods[0].to.is_some());
        let p = prose("Mar 4, 2025 09:12 JST (approx.) – ongoing");
        assert!(p.periods[0].to.is_none());
        let p = prose("from Oct 16, 2020 11:00 PM to Oct 17, 2020 1:00 AM UTC");
        assert_eq!(p.periods[0].to.as_ref().unwrap().date.as_ref().map(|d| d.day), Some(17));
        assert!(prose("We checked 3 servers and 10:00 was fine.").periods.is_empty());
    }
}
