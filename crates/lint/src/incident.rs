//! Rules over a whole incident: each update in each language, and the rules
//! that compare updates (`period.drift`, `update.duplicate`,
//! `status.reopened`) and languages (`parity.section`, `parity.fact`). The
//! state carried from one update to the next is a [`History`], so one
//! update can be linted alone (`lint_next`) with the same findings.

use std::collections::BTreeSet;

use desk_model::dates::Mention;
use desk_model::{Bilingual, Lang, Period, SectionKind};

use crate::diagnostic::msg;
use crate::text::first_line;
use crate::outline::{HeadingStyle, Outline};
use crate::rules::needles;
use crate::{rules, Analysed, Config, Cx, Field, LintUpdate, Rule, Severity, Sink};

needles!(
    /// Words that say a period or a fact was corrected on purpose.
    CORRECTION_WORDS, true, [
    "訂正", "変更", "修正", "更新前", "更新後", "誤り", "正しくは", "判明", "corrected", "correction", "updated",
    "revised", "previously", "changed",
]);

/// What [`crate::lint_incident`] carries from the updates already seen to
/// the next one: the state behind `period.drift`, `status.reopened`,
/// `update.duplicate`, the marker-spacing drift of `heading.style-mixed` and
/// the titles already checked. Build it with [`History::of`] (or [`History::push`] one update at
/// a time) and lint the next update with [`crate::lint_next`]. It must be
/// built with the same [`Config`] the next update is linted with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Every title seen so far, as published.
    titles: Vec<Bilingual<String>>,
    /// Every body seen so far, whitespace normalised.
    bodies: Vec<Bilingual<String>>,
    /// The last period an update stated, and that update's index.
    period: Option<(usize, Period)>,
    /// The closed update not yet followed by a reopening one.
    closed: Option<usize>,
    /// Per language, the first update whose headings used a marker, and its style.
    markers: [Option<(usize, HeadingStyle)>; 2],
}

impl History {
    /// The state after `updates` (oldest first), without linting them.
    pub fn of(updates: &[LintUpdate], config: &Config) -> History {
        let mut history = History::default();
        for u in updates {
            history.push(u, config);
        }
        history
    }

    /// Moves the history past `update`, without linting it.
    pub fn push(&mut self, update: &LintUpdate, config: &Config) {
        let texts: Vec<(Lang, &str, Outline)> = written(update).map(|(l, text)| (l, text, Outline::parse(text))).collect();
        let views: Vec<(Lang, &str, &Outline)> = texts.iter().map(|(l, text, o)| (*l, *text, o)).collect();
        let traits = Traits::of(update, &views, config);
        self.advance(update, traits);
    }

    /// The number of updates seen: the index of the update that follows.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// True before the first update.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    fn advance(&mut self, u: &LintUpdate, traits: Traits) {
        let i = self.len();
        if u.status.is_ongoing() {
            // Reported by `step`, which needs a text to point at.
            if traits.written {
                self.closed = None;
            }
        } else if u.status.is_closed() {
            self.closed = Some(i);
        }
        for (lang, style) in Lang::ALL.into_iter().zip(traits.markers) {
            let slot = &mut self.markers[lang as usize];
            if let (None, Some(style)) = (*slot, style) {
                *slot = Some((i, style));
            }
        }
        if let Some((p, _)) = traits.stated {
            self.period = Some((i, p));
        }
        self.titles.push(u.title.clone());
        self.bodies.push(traits.bodies);
    }
}

/// What an update contributes to the history, read from its written texts
/// (language, text, outline).
struct Traits {
    /// Some text is written (in any language).
    written: bool,
    /// The period the update states, and where.
    stated: Option<(Period, (usize, usize))>,
    /// Per language, the majority marker style of the text's headings.
    markers: [Option<HeadingStyle>; 2],
    /// The bodies, whitespace normalised.
    bodies: Bilingual<String>,
}

impl Traits {
    fn of(u: &LintUpdate, texts: &[(Lang, &str, &Outline)], config: &Config) -> Traits {
        let mut markers = [None, None];
        for (lang, _, outline) in texts {
            let styles: Vec<HeadingStyle> = outline.headings().map(|h| h.style).filter(|s| matches!(s, HeadingStyle::Marker { .. })).collect();
            markers[*lang as usize] = rules::majority(&styles);
        }
        // The period, as stated by this update (in Japanese when written).
        let stated = texts.iter().find(|(l, ..)| *l == Lang::Ja).or(texts.first()).and_then(|(lang, text, outline)| {
            let in_words = || if *lang == Lang::En { period_in_words(text, outline, config) } else { None };
            u.period.map(|p| (p, first_line(text))).or_else(in_words).or_else(|| period_in_text(text, outline, config))
        });
        Traits {
            written: !texts.is_empty(),
            stated,
            markers,
            bodies: Bilingual { ja: normalised(&u.body.ja), en: normalised(&u.body.en) },
        }
    }
}

/// The languages in which `u` has a body, with it.
fn written(u: &LintUpdate) -> impl Iterator<Item = (Lang, &str)> {
    Lang::ALL.into_iter().map(|l| (l, u.body.get(l).as_str())).filter(|(_, b)| !b.trim().is_empty())
}

/// Lints every update of an incident: each is linted after the ones before
/// it, then the history moves past it.
pub(crate) fn check(updates: &[LintUpdate], config: &Config, sink: &mut Sink) {
    let mut history = History::default();
    for u in updates {
        let texts = analyse(u);
        let traits = step(&history, u, &texts, config, sink);
        history.advance(u, traits);
    }
}

/// Lints the update that follows `history` (see [`crate::lint_next`]).
pub(crate) fn next(history: &History, u: &LintUpdate, config: &Config, sink: &mut Sink) {
    step(history, u, &analyse(u), config, sink);
}

fn analyse(u: &LintUpdate) -> Vec<(Lang, Analysed<'_>)> {
    written(u).map(|(l, text)| (l, Analysed::new(text, Some(l)))).collect()
}

/// Every finding on update `u`, the one after `history`; returns what it
/// contributes to the history.
fn step(history: &History, u: &LintUpdate, texts: &[(Lang, Analysed)], config: &Config, sink: &mut Sink) -> Traits {
    let i = history.len();
    sink.update = Some(i as u32);
    let views: Vec<(Lang, &str, &Outline)> = texts.iter().map(|(l, t)| (*l, t.text, &t.outline)).collect();
    let traits = Traits::of(u, &views, config);
    let cx = Cx { config, status: Some(u.status), has_period: u.period.is_some(), has_next_update: u.next_update_at.is_some() };
    for (_, t) in texts {
        rules::check_body(t, &cx, sink);
    }
    for lang in Lang::ALL {
        let title = u.title.get(lang);
        if !title.trim().is_empty() {
            let seen = history.titles.iter().any(|p| p.get(lang) == title);
            rules::check_title(&Analysed::new(title, Some(lang)), &cx, seen, sink);
        }
    }
    marker_spacing(texts, &traits, &history.markers, sink);
    if config.bilingual() {
        parity(u, texts, config, sink);
    }
    if config.combined_body {
        combined_limit(texts, sink);
    }
    duplicate(&history.bodies, texts, &traits, sink);
    crate::timeline::check(u, texts, traits.stated, config, sink);

    // A closed incident that goes back to an ongoing status.
    if u.status.is_ongoing() {
        if let (Some(c), Some((_, t))) = (history.closed, texts.first()) {
            sink.whole(
                t,
                Rule::StatusReopened,
                Severity::Warning,
                msg(
                    format!("{}番目の更新で解決としたインシデントを再開しています。先の解決が誤りだったことと正しい期間を明記してください。", c + 1),
                    format!("Update {} closed this incident and this one reopens it: say that the earlier resolution was wrong, and give the corrected period.", c + 1),
                ),
            );
        }
    }

    // The period, as stated by this update, against the last one stated.
    let chosen = texts.iter().find(|(l, _)| *l == Lang::Ja).or(texts.first());
    if let (Some((_, t)), Some((p, at)), Some((j, before))) = (chosen, traits.stated, history.period) {
        let start_moved = p.start != before.start;
        let end_moved = match (before.end, p.end) {
            (Some(a), Some(b)) => a != b,
            (Some(_), None) => true,
            _ => false,
        };
        let said = CORRECTION_WORDS.any(t.text);
        if (start_moved || end_moved) && !said {
            let style = &config.period_style;
            let (old, new) = (style.format_period(&before, t.lang), style.format_period(&p, t.lang));
            sink.report(
                t,
                Field::Body,
                Rule::PeriodDrift,
                Severity::Warning,
                at,
                msg(
                    format!("期間が{}番目の更新（{old}）から変わっています（{new}）。訂正であればその旨を書いてください。", j + 1),
                    format!("The period changed from update {} ({old}) to {new} without saying so: if it is a correction, say it is.", j + 1),
                ),
                None,
            );
        }
    }
    traits
}

/// `■ 原因` in one update and `■原因` in a later one: the same marker with
/// other spacing drifts across the incident. The first update that used a
/// marker sets the style; later headings with that marker follow it.
fn marker_spacing(texts: &[(Lang, Analysed)], traits: &Traits, first: &[Option<(usize, HeadingStyle)>; 2], sink: &mut Sink) {
    for (lang, t) in texts {
        let (Some(mine), Some((j, set))) = (traits.markers[*lang as usize], first[*lang as usize]) else { continue };
        let (HeadingStyle::Marker { marker: a, .. }, HeadingStyle::Marker { marker: b, .. }) = (set, mine) else { continue };
        if a != b || set == mine {
            continue;
        }
        // Within one text the majority rules (heading.style-mixed); here the
        // text's own majority differs from the incident's first style.
        let Some(h) = t.outline.headings().find(|h| h.style == mine) else { continue };
        rules::report_style(t, h, set, (format!("{}番目の更新", j + 1), format!("in update {}", j + 1)), sink);
    }
}

/// The period an English text states in words (`Oct 16, 2020 from 12:10am
/// to 1:01pm PDT`): under its period heading, else the first in the text
/// that carries a date with its year.
fn period_in_words(text: &str, outline: &Outline, config: &Config) -> Option<(Period, (usize, usize))> {
    let section = outline.sections.iter().find(|s| s.kind() == Some(SectionKind::Period));
    let (from, to) = section.map_or((0, text.len()), |s| (s.body_start, s.body_end));
    let piece = &text[from..to];
    let prose = crate::prose::read(piece, &desk_model::dates::scan(piece));
    let instant = |date: &desk_model::dates::DateMention, year: i32, k: usize| -> Option<chrono::DateTime<chrono::Utc>> {
        let c = prose.clocks[k];
        let day = chrono::NaiveDate::from_ymd_opt(date.year.unwrap_or(year), date.month, date.day)?;
        let minutes = c.minutes()? as i64;
        let offset = match c.zone.map(|z| z.offset) {
            Some(None) => return None,
            Some(Some(o)) => o as i64,
            None => org_offset(config, day),
        };
        Some(day.and_hms_opt(0, 0, 0)?.and_utc() + chrono::TimeDelta::minutes(minutes - offset))
    };
    prose.periods.iter().find_map(|p| {
        let start_point = p.from.as_ref()?;
        let date = start_point.date.as_ref()?;
        let year = date.year?;
        let start = instant(date, year, start_point.clock?)?;
        let end = match &p.to {
            None => None,
            Some(end_point) => Some(instant(end_point.date.as_ref().unwrap_or(date), year, end_point.clock?)?),
        };
        let at = section.and_then(|s| s.heading.as_ref()).map_or((from + p.start, from + p.end), |h| (h.start, to));
        Some((Period { start, end, approximate: false }, at))
    })
}

/// The period a text states: in English words, else under its period
/// heading (as the period rules read it), and where.
pub(crate) fn stated_period(t: &Analysed, config: &Config) -> Option<(Period, (usize, usize))> {
    let in_words = if t.lang == Lang::En { period_in_words(t.text, &t.outline, config) } else { None };
    in_words.or_else(|| period_in_text(t.text, &t.outline, config))
}

/// The period a text states under its period heading.
pub(crate) fn period_in_text(text: &str, outline: &Outline, config: &Config) -> Option<(Period, (usize, usize))> {
    let s = outline.sections.iter().find(|s| s.kind() == Some(SectionKind::Period))?;
    let body = &text[s.body_start..s.body_end];
    let p = Period::parse(body, &config.period_style).ok()?;
    let h = s.heading.as_ref()?;
    Some((p, (h.start, s.body_end)))
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The same body published again.
fn duplicate(before: &[Bilingual<String>], texts: &[(Lang, Analysed)], traits: &Traits, sink: &mut Sink) {
    for (lang, t) in texts {
        let mine = traits.bodies.get(*lang);
        let Some(j) = before.iter().position(|b| b.get(*lang) == mine) else { continue };
        sink.whole(
            t,
            Rule::UpdateDuplicate,
            Severity::Error,
            msg(
                format!("{}番目の更新と本文が同じです。同じ更新を二度出していませんか。", j + 1),
                format!("This body is the same as update {}'s: the same update would be published twice.", j + 1),
            ),
        );
    }
}

fn combined_limit(texts: &[(Lang, Analysed)], sink: &mut Sink) {
    let total: usize = texts.iter().map(|(_, t)| t.text.chars().count()).sum();
    let max = rules::BODY_LIMIT;
    if total > max {
        if let Some((_, t)) = texts.last() {
            sink.report(
                t,
                Field::Body,
                Rule::LimitBody,
                Severity::Error,
                (0, t.text.len()),
                msg(
                    format!("日本語と英語を合わせた本文が{total}文字あります。Statuspageの上限は{max}文字です。"),
                    format!("The Japanese and English bodies together have {total} characters; Statuspage accepts at most {max}."),
                ),
                None,
            );
        }
    }
}

/// A fact that can be compared across languages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Date(u32, u32),
    Time(u32, u32),
    Url(String),
    Number(u64),
    /// A number with its unit, in the unit's base (bytes, milliseconds,
    /// percent), and the number as written: `5分` and `5 minutes` are
    /// `Quantity(300_000, Millis, 5)`, and so is `300 seconds` but for the 300.
    Quantity(u64, Dim, u64),
    Term(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dim {
    Bytes,
    Millis,
    Percent,
}

impl Fact {
    fn severity(&self) -> Severity {
        match self {
            Fact::Number(_) | Fact::Quantity(..) | Fact::Term(_) => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// True when `other` (the other language's facts) states this one. A
    /// number with a unit matches the same amount in any unit of its kind,
    /// or the same number written without a unit (`about 300` for `約300件`).
    fn stated_in(&self, other: &BTreeSet<Fact>) -> bool {
        match self {
            Fact::Quantity(v, d, n) => other.contains(&Fact::Number(*n)) || other.iter().any(|f| matches!(f, Fact::Quantity(w, e, _) if w == v && e == d)),
            Fact::Number(n) => other.contains(self) || other.iter().any(|f| matches!(f, Fact::Quantity(_, _, m) if m == n)),
            _ => other.contains(self),
        }
    }

    /// Small numbers are often spelt out ("an hour", "five minutes"): they
    /// match when present and are not reported when absent.
    fn reported(&self) -> bool {
        !matches!(self, Fact::Quantity(_, _, n) if *n < 10)
    }
}

/// Units after a number, as (unit, kind, factor to the kind's base). Latin
/// units may follow a space or a hyphen; byte units are case-sensitive.
const UNITS: &[(&str, Dim, u64)] = &[
    ("ミリ秒", Dim::Millis, 1),
    ("秒", Dim::Millis, 1_000),
    ("分間", Dim::Millis, 60_000),
    ("分", Dim::Millis, 60_000),
    ("時間", Dim::Millis, 3_600_000),
    ("日間", Dim::Millis, 86_400_000),
    ("milliseconds", Dim::Millis, 1),
    ("millisecond", Dim::Millis, 1),
    ("msec", Dim::Millis, 1),
    ("ms", Dim::Millis, 1),
    ("seconds", Dim::Millis, 1_000),
    ("second", Dim::Millis, 1_000),
    ("secs", Dim::Millis, 1_000),
    ("sec", Dim::Millis, 1_000),
    ("s", Dim::Millis, 1_000),
    ("minutes", Dim::Millis, 60_000),
    ("minute", Dim::Millis, 60_000),
    ("mins", Dim::Millis, 60_000),
    ("min", Dim::Millis, 60_000),
    ("hours", Dim::Millis, 3_600_000),
    ("hour", Dim::Millis, 3_600_000),
    ("hrs", Dim::Millis, 3_600_000),
    ("hr", Dim::Millis, 3_600_000),
    ("h", Dim::Millis, 3_600_000),
    ("days", Dim::Millis, 86_400_000),
    ("day", Dim::Millis, 86_400_000),
    ("KB", Dim::Bytes, 1_000),
    ("kB", Dim::Bytes, 1_000),
    ("MB", Dim::Bytes, 1_000_000),
    ("GB", Dim::Bytes, 1_000_000_000),
    ("TB", Dim::Bytes, 1_000_000_000_000),
    ("キロバイト", Dim::Bytes, 1_000),
    ("メガバイト", Dim::Bytes, 1_000_000),
    ("ギガバイト", Dim::Bytes, 1_000_000_000),
    ("kilobytes", Dim::Bytes, 1_000),
    ("megabytes", Dim::Bytes, 1_000_000),
    ("gigabytes", Dim::Bytes, 1_000_000_000),
    ("terabytes", Dim::Bytes, 1_000_000_000_000),
    ("percent", Dim::Percent, 1),
    ("%", Dim::Percent, 1),
    ("％", Dim::Percent, 1),
];

/// The unit starting `rest` (just after a number's digits): kind, factor, length in bytes.
fn unit_at(rest: &str) -> Option<(Dim, u64, usize)> {
    let gap = rest.len() - rest.trim_start_matches([' ', '\u{a0}', '-']).len();
    let gap = if gap <= 1 { gap } else { return None };
    let after = &rest[gap..];
    UNITS.iter().find_map(|&(u, dim, factor)| {
        let latin = u.is_ascii() && u.chars().all(|c| c.is_ascii_alphabetic());
        if !after.starts_with(u) || latin && after[u.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        // `10 -s` is no unit; a hyphen joins only Latin words (`100-megabyte`).
        if gap == 1 && rest.starts_with('-') && !latin {
            return None;
        }
        Some((dim, factor, gap + u.len()))
    })
}

/// The offset of the organisation's zone from UTC, in minutes, on `day`.
fn org_offset(config: &Config, day: chrono::NaiveDate) -> i64 {
    use chrono::{Offset, TimeZone};
    let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default();
    config.period_style.time_zone.offset_from_utc_datetime(&noon).fix().local_minus_utc() as i64 / 60
}

/// Times and dates of an English text, read with their am/pm and zones and
/// moved into the organisation's zone (the Japanese text's).
fn english_times(t: &Analysed, config: &Config, out: &mut Vec<(Fact, (usize, usize))>, taken: &mut Vec<(usize, usize)>) {
    let clocks = &t.prose().clocks;
    let fallback = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    // The day shift of each clock moved into the organisation's zone; None: not comparable.
    let mut shifts: Vec<Option<i64>> = Vec::new();
    for c in clocks {
        taken.push((c.start, c.end_all));
        let Some(m) = c.minutes() else {
            shifts.push(None);
            continue;
        };
        let local = match c.zone.map(|z| z.offset) {
            Some(None) => {
                shifts.push(None); // a zone without a known offset
                continue;
            }
            Some(Some(o)) => m as i64 - o as i64 + org_offset(config, fallback),
            None => m as i64,
        };
        shifts.push(Some(local.div_euclid(1440)));
        let hm = local.rem_euclid(1440) as u32;
        out.push((Fact::Time(hm / 60, hm % 60), (c.start, c.end_all)));
    }
    for m in &t.mentions {
        let Mention::Date(d) = m else { continue };
        taken.push((d.start, d.end));
        // The day moves with the time written with it (23:00 PDT is the next day in Japan).
        // Its time: written within it, or the one a period in words gives it.
        let in_words = t.prose().periods.iter().flat_map(|p| [&p.from, &p.to]).flatten().find(|p| p.date.as_ref().is_some_and(|x| x.start == d.start)).and_then(|p| p.clock);
        let k = clocks.iter().position(|c| c.start >= d.start && c.start <= d.end).or(in_words);
        let shift = k.and_then(|k| shifts[k]).unwrap_or(0);
        let day = chrono::NaiveDate::from_ymd_opt(d.year.unwrap_or(2024), d.month, d.day).and_then(|x| x.checked_add_signed(chrono::TimeDelta::days(shift)));
        let (month, day) = day.map_or((d.month, d.day), |x| {
            use chrono::Datelike;
            (x.month(), x.day())
        });
        out.push((Fact::Date(month, day), (d.start, d.end)));
    }
}

/// The facts a text states, each with where it first appears.
fn facts(t: &Analysed, config: &Config) -> Vec<(Fact, (usize, usize))> {
    let mut out: Vec<(Fact, (usize, usize))> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let pm = |end: usize| {
        let after = t.text[end..].trim_start().to_ascii_lowercase();
        after.starts_with("pm") || after.starts_with("p.m.")
    };
    if t.lang == Lang::En {
        english_times(t, config, &mut out, &mut taken);
    }
    for m in t.mentions.iter().filter(|_| t.lang == Lang::Ja) {
        let span = m.span();
        taken.push(span);
        match m {
            Mention::Date(d) => {
                out.push((Fact::Date(d.month, d.day), span));
                if let Some(x) = d.time {
                    let h = if pm(d.end) && x.hour < 12 { x.hour + 12 } else { x.hour };
                    out.push((Fact::Time(h, x.minute), span));
                }
            }
            Mention::Time(x) => {
                let h = if pm(x.end) && x.time.hour < 12 { x.time.hour + 12 } else { x.time.hour };
                out.push((Fact::Time(h, x.time.minute), span));
            }
        }
    }
    for &(s, e) in &t.opaque {
        let link = t.text[s..e].trim_end_matches(['.', ',', '。', '、']);
        if link.starts_with("http") {
            out.push((Fact::Url(link.to_string()), (s, e)));
        }
        taken.push((s, e));
    }
    taken.sort_unstable();
    let mut i = 0;
    let bytes = t.text.as_bytes();
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let s = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
                i += 1;
            }
            let glued_before = s > 0 && (bytes[s - 1].is_ascii_alphabetic() || bytes[s - 1] == b'.');
            let unit = unit_at(&t.text[i..]).filter(|_| !glued_before);
            let glued = glued_before || unit.is_none() && bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
            if let (Some((dim, factor, len)), false) = (unit, crate::text::in_spans(&taken, s, i)) {
                // 100MB and 100 MB, 30秒 and 30 seconds: one fact.
                if let Ok(n) = t.text[s..i].replace(',', "").parse::<u64>() {
                    out.push((Fact::Quantity(n.saturating_mul(factor), dim, n), (s, i + len)));
                }
                i += len;
                continue;
            }
            if !glued && !crate::text::in_spans(&taken, s, i) {
                // Japanese counts in 万 and 億 are the same number as the
                // English digits: 10万 is 100,000.
                let unit = match t.text[i..].chars().next() {
                    Some('万') => 10_000,
                    Some('億') => 100_000_000,
                    _ => 1,
                };
                let end = if unit > 1 { i + 3 } else { i };
                // Small counts are often spelt out in English ("an hour").
                if let Some(n) = t.text[s..i].replace(',', "").parse::<u64>().ok().map(|n| n.saturating_mul(unit)).filter(|n| *n >= 10) {
                    out.push((Fact::Number(n), (s, end)));
                }
            }
        } else {
            i += 1;
        }
    }
    for term in &config.glossary {
        if let Some(s) = t.text.find(term.as_str()) {
            out.push((Fact::Term(term.clone()), (s, s + term.len())));
        }
    }
    out
}

/// The facts `a` states that `b` does not (parity.fact's comparison), each
/// once: as written for the message, its severity, and where it is in `a`.
pub(crate) fn missing_facts(a: &Analysed, b: &Analysed, config: &Config) -> Vec<(String, Severity, (usize, usize))> {
    let other: BTreeSet<Fact> = facts(b, config).into_iter().map(|f| f.0).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (f, span) in facts(a, config) {
        if f.stated_in(&other) || !f.reported() || !seen.insert(f.clone()) {
            continue;
        }
        out.push((describe(&f, &a.text[span.0..span.1]), f.severity(), span));
    }
    out
}

fn describe(f: &Fact, written: &str) -> String {
    match f {
        Fact::Quantity(..) => written.to_string(),
        Fact::Date(m, d) => format!("{m}/{d}"),
        Fact::Time(h, m) => format!("{h:02}:{m:02}"),
        Fact::Url(u) => u.clone(),
        Fact::Number(n) => n.to_string(),
        Fact::Term(t) => t.clone(),
    }
}

fn lang_names(l: Lang) -> (&'static str, &'static str) {
    match l {
        Lang::Ja => ("日本語", "Japanese"),
        Lang::En => ("英語", "English"),
    }
}

/// The Japanese text says its times are Japan's (JST, 日本時間) and the
/// English text names no zone at all: its times read as the reader's own.
fn zone_unstated(ja: &Analysed, en: &Analysed, sink: &mut Sink) {
    let says_jst = ja.text.contains("JST") || ja.text.contains("日本時間");
    let Some(first) = en.prose().clocks.iter().find(|c| !en.skipped(c.start, c.end)) else { return };
    if !says_jst || crate::prose::names_a_zone(en.text) {
        return;
    }
    let written = &en.text[first.start..first.end];
    sink.report(
        en,
        Field::Body,
        Rule::ParityFact,
        Severity::Warning,
        (first.start, first.end),
        msg(
            format!("日本語の本文は日本時間（JST）と書いていますが、英語の本文の時刻「{written}」にはタイムゾーンがありません。"),
            format!("The Japanese text says its times are JST, but “{written}” in the English text names no time zone: write “{written} JST”."),
        ),
        None,
    );
}

fn parity(u: &LintUpdate, texts: &[(Lang, Analysed)], config: &Config, sink: &mut Sink) {
    if texts.len() == 1 {
        let (lang, t) = &texts[0];
        let (mj, me) = lang_names(if *lang == Lang::Ja { Lang::En } else { Lang::Ja });
        sink.whole(
            t,
            Rule::ParitySection,
            Severity::Error,
            msg(format!("{mj}の本文がありません。"), format!("The {me} text is missing.")),
        );
        return;
    }
    if texts.len() != 2 {
        return;
    }
    if let [(Lang::Ja, ja), (Lang::En, en)] | [(Lang::En, en), (Lang::Ja, ja)] = texts {
        zone_unstated(ja, en, sink);
    }
    for (a, b) in [(0, 1), (1, 0)] {
        let (_, ta) = &texts[a];
        let (lb, tb) = &texts[b];
        let (bj, be) = lang_names(*lb);
        // Sections that this language has and the other lacks.
        let kinds = |t: &Analysed| -> BTreeSet<SectionKind> { t.outline.headings().filter_map(|h| h.kind).filter(|k| *k != SectionKind::Note).collect() };
        let theirs = kinds(tb);
        for h in ta.outline.headings() {
            let Some(k) = h.kind.filter(|k| *k != SectionKind::Note && !theirs.contains(k)) else { continue };
            let name = h.name(ta.text);
            sink.report(
                ta,
                Field::Body,
                Rule::ParitySection,
                Severity::Warning,
                (h.start, h.end),
                msg(
                    format!("「{name}」の節が{bj}の本文にありません。"),
                    format!("The {be} text has no “{}” section.", k.heading(Lang::En, u.status.is_closed())),
                ),
                None,
            );
        }
        // Facts that this language states and the other does not.
        for (d, severity, span) in missing_facts(ta, tb, config) {
            sink.report(
                ta,
                Field::Body,
                Rule::ParityFact,
                severity,
                span,
                msg(format!("「{d}」が{bj}の本文にありません。"), format!("“{d}” does not appear in the {be} text.")),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use desk_model::{Bilingual, Period, PeriodStyle, Status};

    use crate::{lint_incident, Config, Diagnostic, LintUpdate, Rule, Severity};
    use super::{facts, Fact};

    fn update(status: Status, ja: &str, en: &str) -> LintUpdate {
        LintUpdate {
            status,
            title: Bilingual::default(),
            body: Bilingual { ja: ja.into(), en: en.into() },
            period: None,
            next_update_at: None,
        }
    }

    fn only(d: Vec<Diagnostic>, rule: Rule) -> Vec<Diagnostic> {
        d.into_iter().filter(|d| d.rule == rule).collect()
    }

    const INV_JA: &str = "ログインに失敗する障害を調査しています。\n■ 発生期間\n2025/03/04 10:00頃〜現在\n■ 発生している現象\nログインできない\n続報は1時間以内に掲載します。";
    const INV_EN: &str = "We are investigating failed sign-ins.\n## Period\nMar 4, 2025 10:00 JST – ongoing\n## What is happening\nSigning in fails.\nWe will post the next update within an hour.";

    #[test]
    fn a_clean_bilingual_incident_is_quiet() {
        let res_ja = "解消しました。\n■ 発生期間\n2025/03/04 10:00頃〜11:30頃\n■ 発生した現象\nログインできない\n■ 原因\n証明書の期限切れ";
        let res_en = "Resolved.\n## Period\nMar 4, 2025 10:00–11:30 JST (approx.)\n## What happened\nSigning in failed.\n## Cause\nAn expired certificate.";
        let got = lint_incident(&[update(Status::Investigating, INV_JA, INV_EN), update(Status::Resolved, res_ja, res_en)], &Config::default());
        assert!(got.is_empty(), "{got:#?}");
    }

    #[test]
    fn counts_in_man_match_english_digits() {
        let config = Config::default();
        let ja = crate::Analysed::new("- 10万行を超えるレポート、約2.5万件", Some(desk_model::Lang::Ja));
        let numbers: Vec<Fact> = facts(&ja, &config).into_iter().map(|(f, _)| f).filter(|f| matches!(f, Fact::Number(_))).collect();
        assert_eq!(numbers, vec![Fact::Number(100_000)]);
    }

    /// The parity findings on one bilingual investigating update.
    fn parity_of(ja: &str, en: &str) -> Vec<(Severity, String)> {
        only(lint_incident(&[update(Status::Investigating, ja, en)], &Config::default()), Rule::ParityFact)
            .into_iter()
            .map(|d| (d.severity, d.message.en))
            .collect()
    }

    #[test]
    fn a_number_with_its_unit_is_one_fact_in_either_language() {
        for (ja, en) in [
            ("100MBを超えるファイルのアップロードが失敗します。", "Uploads larger than 100 MB fail."),
            ("100 MBを超えるファイルのアップロードが失敗します。", "Uploads larger than 100MB fail."),
            ("応答に30秒以上かかります。", "Responses take 30 seconds or more."),
            ("応答に30秒以上かかります。", "Responses take over 30 s."),
            ("配信が5分遅延しました。", "Deliveries were 5 minutes late."),
            ("配信が15分遅延しました。", "Deliveries were 15 minutes late."),
            ("配信が2時間遅延しました。", "Deliveries were 2 hours late."),
            ("配信が2時間遅延しました。", "Deliveries were 120 minutes late."),
            ("約300件の配信が失敗しました。", "About 300 deliveries failed."),
            ("約300件の配信が失敗しました。", "About 300 deliveries (300 items) failed."),
            ("エラー率が12%に上昇しました。", "The error rate rose to 12 percent."),
            ("1GBを超えるファイル", "Files over 1 GB"),
            ("1GBを超えるファイル", "Files over one gigabyte"),
        ] {
            let got = parity_of(&format!("{ja}\n続報します。"), &format!("{en}\nWe will post the next update."));
            assert!(got.is_empty(), "{ja} / {en}: {got:?}");
        }
        // Different amounts still disagree.
        let got = parity_of("配信が30分遅延しました。続報します。", "Deliveries were 30 seconds late. We will post the next update.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|g| g.0 == Severity::Warning));
        assert!(got[0].1.contains("“30分”"), "{got:?}");
    }

    #[test]
    fn english_twelve_hour_times_and_zones_are_the_same_facts() {
        let ja = "■ 発生期間\n2020/10/17 04:10頃〜05:01頃\n■ 発生している現象\n遅延\n続報します。";
        for en in [
            "## Period\nOct 16, 2020 from 12:10pm to 1:01pm PDT\n## What is happening\nDelays.\nWe will post the next update.",
            "## Period\nOct 16, 2020 19:10–20:01 UTC\n## What is happening\nDelays.\nWe will post the next update.",
            "## Period\nOct 17, 2020 4:10am to 5:01am JST\n## What is happening\nDelays.\nWe will post the next update.",
        ] {
            let got = parity_of(ja, en);
            assert!(got.is_empty(), "{en}: {got:?}");
        }
        // 12:10am is 00:10, not 12:10.
        let got = parity_of("2025/03/04 00:10頃から遅延しています。続報します。", "Delays since Mar 4, 2025 12:10am JST. We will post the next update.");
        assert!(got.is_empty(), "{got:?}");
        let got = parity_of("2025/03/04 13:01頃から遅延しています。続報します。", "Delays since Mar 4, 2025 1:01pm JST. We will post the next update.");
        assert!(got.is_empty(), "{got:?}");
        let got = parity_of("2025/03/04 13:01頃から遅延しています。続報します。", "Delays since Mar 4, 2025 1:01am JST. We will post the next update.");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn an_english_time_without_a_zone_beside_japanese_jst() {
        let ja = "2025/03/04 10:00（JST）頃から遅延しています。続報します。";
        let got = parity_of(ja, "Delays since Mar 4, 2025 10:00. We will post the next update.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.contains("names no time zone"), "{got:?}");
        assert!(parity_of(ja, "Delays since Mar 4, 2025 10:00 JST. We will post the next update.").is_empty());
        assert!(parity_of(ja, "Delays since Mar 4, 2025 10:00. All times are Japan time. We will post the next update.").is_empty());
        assert!(parity_of(ja, "Delays since Mar 4, 2025 01:00 UTC. We will post the next update.").is_empty(), "the same instant in UTC");
        // A Japanese text that does not say JST asks nothing of the English.
        assert!(parity_of("2025/03/04 10:00頃から遅延しています。続報します。", "Delays since Mar 4, 2025 10:00. We will post the next update.").is_empty());
    }

    #[test]
    fn facts_must_agree_across_languages() {
        let en = INV_EN.replace("10:00", "11:00");
        let got = only(lint_incident(&[update(Status::Investigating, INV_JA, &en)], &Config::default()), Rule::ParityFact);
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got.iter().all(|d| d.severity == Severity::Error));
    }

    #[test]
    fn sections_must_agree_across_languages() {
        let en = INV_EN.replace("## What is happening\nSigning in fails.\n", "");
        let got = only(lint_incident(&[update(Status::Investigating, INV_JA, &en)], &Config::default()), Rule::ParitySection);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].lang, Some(desk_model::Lang::Ja));
        let got = only(lint_incident(&[update(Status::Investigating, INV_JA, "")], &Config::default()), Rule::ParitySection);
        assert_eq!(got[0].severity, Severity::Error, "a missing translation");
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], ..Config::default() };
        assert!(only(lint_incident(&[update(Status::Investigating, INV_JA, "")], &ja_only), Rule::ParitySection).is_empty());
    }

    #[test]
    fn periods_that_drift_silently() {
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], ..Config::default() };
        let a = update(Status::Investigating, INV_JA, "");
        let moved = INV_JA.replace("10:00頃〜現在", "09:40頃〜現在");
        let got = only(lint_incident(&[a.clone(), update(Status::Identified, &moved, "")], &ja_only), Rule::PeriodDrift);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].update, Some(1));
        let said = format!("{moved}\n発生時刻を訂正しました。");
        assert!(only(lint_incident(&[a.clone(), update(Status::Identified, &said, "")], &ja_only), Rule::PeriodDrift).is_empty());
        let ended = INV_JA.replace("10:00頃〜現在", "10:00頃〜11:00頃");
        assert!(only(lint_incident(&[a, update(Status::Monitoring, &ended, "")], &ja_only), Rule::PeriodDrift).is_empty(), "an end appearing is no drift");
    }

    #[test]
    fn periods_in_english_words_drift_too() {
        let en_only = Config { languages: vec![desk_model::Lang::En], ..Config::default() };
        let first = "Exports are failing.\n## Period\nOct 16, 2020 from 12:10am PDT – ongoing\nWe will post the next update.";
        let moved = first.replace("12:10am", "11:40pm");
        let got = only(lint_incident(&[update(Status::Investigating, "", first), update(Status::Identified, "", &moved)], &en_only), Rule::PeriodDrift);
        assert_eq!(got.len(), 1, "{got:#?}");
        let ended = "Exports failed.\n## Period\nOct 16, 2020 from 12:10am to 1:01pm PDT\n## What happened\nFailures.\n## Cause\nA bug.";
        let got = lint_incident(&[update(Status::Investigating, "", first), update(Status::Resolved, "", ended)], &en_only);
        assert!(only(got, Rule::PeriodDrift).is_empty(), "an end appearing is no drift");
        // The same instant written in another zone is the same period.
        let utc = "Exports are failing.\n## Period\nOct 16, 2020 from 07:10 UTC – ongoing\nWe will post the next update.";
        let got = lint_incident(&[update(Status::Investigating, "", first), update(Status::Identified, "", utc)], &en_only);
        assert!(only(got, Rule::PeriodDrift).is_empty());
        // In words, outside a period heading.
        let prose = "Exports failed on Oct 16, 2020 from 12:10am to 1:01pm PDT.\n## What happened\nFailures.\n## Cause\nA bug.";
        let later = prose.replace("1:01pm", "2:15pm");
        let got = only(lint_incident(&[update(Status::Resolved, "", prose), update(Status::Postmortem, "", &later)], &en_only), Rule::PeriodDrift);
        assert_eq!(got.len(), 1, "{got:#?}");
    }

    #[test]
    fn structured_periods_are_compared_too() {
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], ..Config::default() };
        let style = PeriodStyle::default();
        let mut a = update(Status::Investigating, "調査中です。続報します。", "");
        a.period = Some(Period::parse("2025/03/04 10:00〜11:00", &style).unwrap());
        let mut b = update(Status::Resolved, "解消しました。\n■ 発生した現象\n遅延\n■ 原因\n設定", "");
        b.period = Some(Period::parse("2025/03/04 10:00〜12:00", &style).unwrap());
        assert_eq!(only(lint_incident(&[a, b], &ja_only), Rule::PeriodDrift).len(), 1);
    }

    #[test]
    fn marker_spacing_drifts_across_updates() {
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], ..Config::default() };
        let a = update(Status::Investigating, INV_JA, "");
        let b = update(Status::Identified, &format!("{}\n■原因\n設定の誤り", INV_JA.replace("■ ", "■")), "");
        let got = only(lint_incident(&[a.clone(), b], &ja_only), Rule::HeadingStyleMixed);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!((got[0].update, got[0].suggestion.as_deref()), (Some(1), Some("■ 発生期間")));
        let same = update(Status::Identified, &format!("{INV_JA}\n■ 原因\n設定の誤り"), "");
        assert!(only(lint_incident(&[a, same], &ja_only), Rule::HeadingStyleMixed).is_empty());
    }

    #[test]
    fn a_title_is_checked_once_for_its_words_and_per_update_for_its_tense() {
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], glossary: vec!["Skyline".into()], ..Config::default() };
        let mut a = update(Status::Investigating, INV_JA, "");
        a.title.ja = "Skylline で障害が発生しています".into();
        let mut b = update(Status::Resolved, "解消しました。\n■ 発生期間\n2025/03/04 10:00頃〜11:00頃\n■ 発生した現象\n遅延\n■ 原因\n設定", "");
        b.title.ja = a.title.ja.clone();
        let got = lint_incident(&[a, b], &ja_only);
        assert_eq!(only(got.clone(), Rule::GlossaryVariant).len(), 1);
        let tense = only(got, Rule::TitleStatus);
        assert_eq!(tense.len(), 1);
        assert_eq!(tense[0].update, Some(1));
    }

    #[test]
    fn duplicates_and_reopening() {
        let ja_only = Config { languages: vec![desk_model::Lang::Ja], ..Config::default() };
        let a = update(Status::Investigating, INV_JA, "");
        let got = lint_incident(&[a.clone(), a.clone()], &ja_only);
        assert_eq!(only(got, Rule::UpdateDuplicate).len(), 1);
        let closed = update(Status::Resolved, "解消しました。\n■ 発生期間\n2025/03/04 10:00頃〜11:00頃\n■ 発生した現象\n遅延\n■ 原因\n設定", "");
        let again = update(Status::Investigating, &INV_JA.replace("調査しています", "再度調査しています"), "");
        let got = only(lint_incident(&[a, closed, again], &ja_only), Rule::StatusReopened);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].update, Some(2));
    }
}
