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
        let stated = texts.iter().find(|(l, ..)| *l == Lang::Ja).or(texts.first()).and_then(|(_, text, outline)| {
            u.period.map(|p| (p, first_line(text))).or_else(|| period_in_text(text, outline, config))
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

/// The period a text states under its period heading.
fn period_in_text(text: &str, outline: &Outline, config: &Config) -> Option<(Period, (usize, usize))> {
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
    Term(String),
}

impl Fact {
    fn severity(&self) -> Severity {
        match self {
            Fact::Number(_) | Fact::Term(_) => Severity::Warning,
            _ => Severity::Error,
        }
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
    for m in &t.mentions {
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
            let glued = s > 0 && (bytes[s - 1].is_ascii_alphabetic() || bytes[s - 1] == b'.') || bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
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

fn describe(f: &Fact) -> String {
    match f {
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
        let other: BTreeSet<Fact> = facts(tb, config).into_iter().map(|f| f.0).collect();
        let mut seen = BTreeSet::new();
        for (f, span) in facts(ta, config) {
            if other.contains(&f) || !seen.insert(f.clone()) {
                continue;
            }
            let d = describe(&f);
            sink.report(
                ta,
                Field::Body,
                Rule::ParityFact,
                f.severity(),
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
