//! Finding what the team wrote before: the incident list searched in
//! Japanese and English, with filters, and the matches to highlight.
//!
//! One use case for the app's list (`search_incidents`) and `desk search`.
//! The store finds the incidents (every word somewhere in a title or one
//! update, ASCII letters in either case; the same on SQLite and PostgreSQL);
//! this module pages them, renders their list rows and says where the words
//! are: in the titles as shown, and in a short excerpt of the update text
//! that holds them. Places are counted in characters (Unicode scalar values,
//! as the linter's columns are), 0-based, end exclusive; the UI converts them
//! to its UTF-16 strings (ui/src/lib/positions.ts, `charSlices`).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use desk_model::{Bilingual, Kind, Lang, Status};
use desk_store::search::terms;
use desk_store::{SearchQuery, Store, StoredIncident};
use desk_templates::TemplateSet;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incidents::{summarise, IncidentSummary, Preview};
use crate::{AppError, Desk, Result};

/// What the person asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SearchRequest {
    /// Words, Japanese or English, separated by spaces; every one must occur.
    /// Empty: every incident the filters let through.
    pub query: String,
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    /// Opened on or after this day (`YYYY-MM-DD`, in the organisation's time zone).
    pub from: Option<String>,
    /// Opened on or before this day (`YYYY-MM-DD`, in the organisation's time zone).
    pub to: Option<String>,
    /// How many hits to skip (paging).
    pub offset: u32,
    /// At most this many hits; 0 means 50.
    pub limit: u32,
}

/// Where a word was found: characters `start..end` (Unicode scalar values, 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct MatchSpan {
    pub start: u32,
    pub end: u32,
}

/// A short passage of one update's text around the first word found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Excerpt {
    pub lang: Lang,
    /// Which update, counting from 0 (the oldest).
    pub update_index: u32,
    /// On one line (line breaks are spaces).
    pub text: String,
    pub matches: Vec<MatchSpan>,
    /// True when the update's text goes on before / after the passage.
    pub cut_before: bool,
    pub cut_after: bool,
}

/// One incident found.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SearchHit {
    pub incident: IncidentSummary,
    /// The words in `incident.title` (as shown) in each language.
    pub title_matches: Bilingual<Vec<MatchSpan>>,
    /// Where the words are in the updates; none when only the titles hold them.
    pub excerpt: Option<Excerpt>,
}

/// A page of hits, newest first.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub offset: u32,
    /// True when there are more hits after this page.
    pub more: bool,
    /// The words searched for, as the query was split.
    pub terms: Vec<String>,
}

/// How many characters an excerpt shows before its first word, and in all.
const EXCERPT_BEFORE: usize = 24;
const EXCERPT_LENGTH: usize = 90;

/// The incidents the request finds, with their matches.
pub async fn search(desk: &Desk, request: &SearchRequest) -> Result<SearchResults> {
    search_in(&desk.store, &desk.templates().await?.set, request).await
}

/// [`search`] on a store and the template library its titles are rendered
/// with (`desk search` has no [`Desk`]).
pub async fn search_in(store: &Store, set: &TemplateSet, request: &SearchRequest) -> Result<SearchResults> {
    let zone = set.settings.dates.time_zone;
    let opened_from = request.from.as_deref().map(|d| day_start(d, "from", zone)).transpose()?;
    let opened_before = request.to.as_deref().map(|d| day_start(d, "to", zone).map(|t| t + chrono::Duration::days(1))).transpose()?;
    let limit = if request.limit == 0 { 50 } else { request.limit.min(500) };
    let query = SearchQuery {
        text: request.query.clone(),
        status: request.status,
        kind: request.kind,
        opened_from,
        opened_before,
        limit: i64::from(limit) + 1,
        offset: i64::from(request.offset),
    };
    let found = store.search_incidents(&query).await?;
    let more = found.len() > limit as usize;
    let ids: Vec<i64> = found.iter().take(limit as usize).map(|s| s.id).collect();
    let words = terms(&request.query);
    let hits = store
        .load_incidents_by_ids(&ids)
        .await?
        .iter()
        .map(|stored| {
            let incident = summarise(set, stored.id as u32, &stored.to_incident());
            let title_matches = Bilingual { ja: match_spans(&incident.title.ja, &words), en: match_spans(&incident.title.en, &words) };
            SearchHit { excerpt: excerpt(stored, &words), incident, title_matches }
        })
        .collect();
    Ok(SearchResults { hits, offset: request.offset, more, terms: words })
}

/// An update as [`crate::incidents::preview_incident`] shows it, with the
/// query's words marked (`<mark>`) in its pages.
pub async fn preview_with_matches(desk: &Desk, id: u32, update: Option<u32>, query: &str) -> Result<Preview> {
    let mut preview = crate::incidents::preview_incident(desk, id, update).await?;
    let words = terms(query);
    if !words.is_empty() {
        for page in [&mut preview.ja, &mut preview.en, &mut preview.combined] {
            page.html = mark_html(&page.html, &words);
        }
    }
    Ok(preview)
}

/// The UTC instant a local day (`YYYY-MM-DD`) starts at in `zone`.
fn day_start<Z: TimeZone>(day: &str, field: &str, zone: Z) -> Result<DateTime<Utc>> {
    let invalid = || {
        AppError::invalid(
            field,
            format!("日付は 2025-06-13 の形で指定してください（「{day}」）。"),
            format!("give the date as 2025-06-13 (not \"{day}\")"),
        )
    };
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| invalid())?;
    let start = date.and_hms_opt(0, 0, 0).ok_or_else(invalid)?;
    zone.from_local_datetime(&start).earliest().map(|t| t.with_timezone(&Utc)).ok_or_else(invalid)
}

/// Every place in `text` where one of the words occurs (ASCII letters in
/// either case, as the store matches), overlapping places joined, in order.
pub fn match_spans(text: &str, words: &[String]) -> Vec<MatchSpan> {
    let chars: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    spans_in(&chars, words)
}

fn spans_in(chars: &[char], words: &[String]) -> Vec<MatchSpan> {
    let mut found: Vec<(usize, usize)> = Vec::new();
    for word in words {
        let w: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
        if w.is_empty() || w.len() > chars.len() {
            continue;
        }
        found.extend((0..=chars.len() - w.len()).filter(|&i| chars[i..i + w.len()] == w[..]).map(|i| (i, i + w.len())));
    }
    found.sort_unstable();
    let mut joined: Vec<MatchSpan> = Vec::new();
    for (start, end) in found {
        match joined.last_mut() {
            Some(last) if start as u32 <= last.end => last.end = last.end.max(end as u32),
            _ => joined.push(MatchSpan { start: start as u32, end: end as u32 }),
        }
    }
    joined
}

/// The passage of the newest update text (Japanese first) that holds the
/// most of the words, around the first of them.
fn excerpt(stored: &StoredIncident, words: &[String]) -> Option<Excerpt> {
    if words.is_empty() {
        return None;
    }
    let mut best: Option<(usize, Excerpt)> = None;
    for (index, u) in stored.updates.iter().enumerate().rev() {
        for lang in [Lang::Ja, Lang::En] {
            let text = desk_store::text::plain(u.update.text(lang));
            let chars: Vec<char> = text.chars().collect();
            let folded: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
            let spans = spans_in(&folded, words);
            let Some(first) = spans.first() else { continue };
            let held = words.iter().filter(|w| !spans_in(&folded, std::slice::from_ref(w)).is_empty()).count();
            if best.as_ref().is_some_and(|(n, _)| *n >= held) {
                continue;
            }
            let start = (first.start as usize).saturating_sub(EXCERPT_BEFORE);
            let end = (start + EXCERPT_LENGTH).min(chars.len());
            let matches = spans
                .iter()
                .filter(|s| (s.start as usize) < end)
                .map(|s| MatchSpan { start: s.start - start as u32, end: (s.end as usize).min(end) as u32 - start as u32 })
                .collect();
            let passage: String = chars[start..end].iter().map(|&c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect();
            best = Some((
                held,
                Excerpt { lang, update_index: index as u32, text: passage, matches, cut_before: start > 0, cut_after: end < chars.len() },
            ));
            if held == words.len() {
                return best.map(|(_, e)| e);
            }
        }
    }
    best.map(|(_, e)| e)
}

/// Sanitized HTML with the words marked (`<mark>`) in its text, never inside
/// a tag or a character reference.
pub fn mark_html(html: &str, words: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = tag_end(rest);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            found => {
                let end = found.unwrap_or(rest.len());
                mark_text(&rest[..end], words, &mut out);
                rest = &rest[end..];
            }
        }
    }
    out
}

/// Where the tag at the start of `html` ends (after its `>`), quotes respected.
fn tag_end(html: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// One run of HTML text with the words marked: references (`&amp;`) count
/// as the one character they stand for.
fn mark_text(run: &str, words: &[String], out: &mut String) {
    // Each character of the text, folded, with the bytes of the run it comes from.
    let mut units: Vec<(char, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < run.len() {
        let c = run[i..].chars().next().unwrap_or(' ');
        let reference = (c == '&').then(|| run[i..].find(';').filter(|&n| n <= 10)).flatten();
        let (ch, len) = match reference {
            Some(n) => (decode(&run[i..=i + n]), n + 1),
            None => (c, c.len_utf8()),
        };
        units.push((ch.to_ascii_lowercase(), i, i + len));
        i += len;
    }
    let chars: Vec<char> = units.iter().map(|u| u.0).collect();
    let mut at = 0;
    for span in spans_in(&chars, words) {
        let (from, to) = (units[span.start as usize].1, units[span.end as usize - 1].2);
        out.push_str(&run[at..from]);
        out.push_str("<mark>");
        out.push_str(&run[from..to]);
        out.push_str("</mark>");
        at = to;
    }
    out.push_str(&run[at..]);
}

fn decode(reference: &str) -> char {
    match reference {
        "&amp;" => '&',
        "&lt;" => '<',
        "&gt;" => '>',
        "&quot;" => '"',
        "&#39;" | "&#x27;" | "&apos;" => '\'',
        "&nbsp;" => '\u{a0}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<String> {
        terms(q)
    }

    fn span(start: u32, end: u32) -> MatchSpan {
        MatchSpan { start, end }
    }

    #[test]
    fn spans_count_characters_and_fold_only_ascii() {
        // 🙇 is one character (two UTF-16 units): the span after it is in characters.
        assert_eq!(match_spans("🙇 障害が発生 API 障害", &words("障害 api")), [span(2, 4), span(8, 11), span(12, 14)]);
        assert_eq!(match_spans("Émail", &words("émail")), []);
        assert_eq!(match_spans("aaa", &words("aa")), [span(0, 3)]);
        assert_eq!(match_spans("ログイン", &words("ロ グイ")), [span(0, 3)]);
    }

    #[test]
    fn html_is_marked_in_text_only() {
        let html = r#"<p><a href="https://example.com/api?a=1&amp;b=2">API</a> &amp; api 障害 &lt;b&gt;</p>"#;
        assert_eq!(
            mark_html(html, &words("api 障害 amp <b>")),
            r#"<p><a href="https://example.com/api?a=1&amp;b=2"><mark>API</mark></a> &amp; <mark>api</mark> <mark>障害</mark> <mark>&lt;b&gt;</mark></p>"#
        );
        assert_eq!(mark_html("<p>🙇‍♀️障害</p>", &words("障")), "<p>🙇‍♀️<mark>障</mark>害</p>");
    }

    #[test]
    fn days_are_the_organisations() {
        let tokyo = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
        assert_eq!(day_start("2025-06-13", "from", tokyo).unwrap().to_rfc3339(), "2025-06-12T15:00:00+00:00");
        let bad = day_start("13/06/2025", "to", tokyo).unwrap_err();
        assert_eq!(bad.field.as_deref(), Some("to"));
    }
}
