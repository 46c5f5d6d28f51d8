//! A postmortem's timeline as a table: the composer edits the draft's
//! timeline entries as rows (time in the organisation's time zone, 頃 /
//! approx., the status it marks, Japanese and English text), and they are
//! saved with the draft's text as one revision.
//!
//! **The entries own the timeline section of the body.** On every save the
//! lines under the timeline heading (■ 経緯 / ■ Timeline, up to the next
//! heading) are written again from the entries, in each language, in the
//! organisation's style. Text typed by hand inside that section is replaced,
//! and the save says so ([`TimelineSaved::replaced`]): the table is the one
//! place a timeline is changed, so the two languages, the lint's timeline
//! checks, the picture and the exports all read the same entries and cannot
//! drift from the text. Everything outside the section stays the author's.

use chrono::{NaiveDateTime, TimeZone, Utc};
use desk_model::{Bilingual, Lang, PeriodStyle, Status, TimelineEntry, Update};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compose::DraftEdit;
use crate::owned_section::{languages_replaced, own_both, Owned};
use crate::{AppError, Desk, Result};

/// The form of a row's time: local date and time in the organisation's zone
/// (what an `<input type="datetime-local">` gives).
const LOCAL: &str = "%Y-%m-%dT%H:%M";

/// One row of the timeline table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TimelineRow {
    /// `YYYY-MM-DDTHH:MM` in the organisation's time zone.
    pub at: String,
    /// 頃 / approx.
    pub approximate: bool,
    /// The status this moment marks, if any.
    pub status: Option<Status>,
    pub ja: String,
    pub en: String,
}

/// A postmortem draft's timeline, as the table shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineTable {
    pub rows: Vec<TimelineRow>,
    /// The organisation's time zone the times are in (`Asia/Tokyo`).
    pub zone: String,
}

/// A save of a postmortem draft with its timeline.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineSaved {
    pub version: u32,
    /// The bodies as saved: their timeline sections written from the rows.
    pub body: Bilingual<String>,
    /// Said when text typed inside a timeline section was replaced by the
    /// table's; none when nothing typed there was lost.
    pub replaced: Option<Bilingual<String>>,
}

/// What the preview shows of a postmortem's timeline.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineShown {
    /// The timeline picture per language: SVG made by desk-export from a
    /// fixed set of elements (no scripts, links, styles or event
    /// attributes; every text escaped), checked by [`safe_svg`].
    pub picture: Bilingual<String>,
    /// Each row's line (1-based) in each language's text, where it is
    /// written: the lint's findings on that line belong to that row.
    pub row_lines: Vec<Bilingual<Option<u32>>>,
}

/// The timeline table of incident `id`'s draft; none when its draft is not a postmortem.
pub async fn open_timeline(desk: &Desk, id: u32) -> Result<Option<TimelineTable>> {
    let stored = desk.store.load_incident(id as i64).await?;
    let Some(row) = stored.updates.last().filter(|u| u.state == desk_store::UpdateState::Draft) else {
        return Ok(None);
    };
    if row.update.status != Status::Postmortem {
        return Ok(None);
    }
    let style = desk.templates().await?.set.settings.dates.clone();
    Ok(Some(table(&row.update.timeline, &style)))
}

/// The rows of `entries`, their times in the style's zone.
pub fn table(entries: &[TimelineEntry], style: &PeriodStyle) -> TimelineTable {
    let rows = entries
        .iter()
        .map(|e| TimelineRow {
            at: e.at.with_timezone(&style.time_zone).format(LOCAL).to_string(),
            approximate: e.approximate,
            status: e.status,
            ja: e.ja.clone(),
            en: e.en.clone(),
        })
        .collect();
    TimelineTable { rows, zone: style.time_zone.name().to_string() }
}

/// The rows as timeline entries, or the first wrong row named: a time that
/// cannot be read (or does not exist in the zone), text missing in a
/// language, a status of the other kind.
pub fn entries(rows: &[TimelineRow], style: &PeriodStyle) -> Result<Vec<TimelineEntry>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let n = i + 1;
            let at = NaiveDateTime::parse_from_str(row.at.trim(), LOCAL)
                .ok()
                .and_then(|t| style.time_zone.from_local_datetime(&t).earliest())
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| {
                    AppError::invalid(
                        &format!("timeline.{i}.at"),
                        format!("経緯の{n}行目: 日時「{}」が読めません。日付と時刻を入れてください。", row.at),
                        format!("timeline row {n}: the time “{}” cannot be read; give a date and a time", row.at),
                    )
                })?;
            for lang in Lang::ALL {
                let text = match lang {
                    Lang::Ja => &row.ja,
                    Lang::En => &row.en,
                };
                if text.trim().is_empty() {
                    let (ja, en) = match lang {
                        Lang::Ja => ("日本語", "Japanese"),
                        Lang::En => ("英語", "English"),
                    };
                    return Err(AppError::invalid(
                        &format!("timeline.{i}.{}", lang.as_str()),
                        format!("経緯の{n}行目: {ja}の文がありません。両方の言語で書いてください。"),
                        format!("timeline row {n}: the {en} text is empty; write it in both languages"),
                    ));
                }
            }
            Ok(TimelineEntry { at, approximate: row.approximate, status: row.status, ja: row.ja.trim().to_string(), en: row.en.trim().to_string() })
        })
        .collect()
}

/// Saves a postmortem draft with its timeline `rows`: the rows are checked
/// (nothing is saved when one is wrong: the error names it), the timeline
/// sections of both bodies are written from them, and text, status, notify
/// choice and entries become one new revision (version-checked like any save).
pub async fn save_timeline(desk: &Desk, mut edit: DraftEdit, rows: Vec<TimelineRow>) -> Result<TimelineSaved> {
    let style = desk.templates().await?.set.settings.dates.clone();
    let new = entries(&rows, &style)?;
    let stored = desk.store.load_incident(edit.id as i64).await?;
    let before = stored.updates.iter().find(|u| u.id == edit.update_id as i64).map(|u| u.update.timeline.clone()).unwrap_or_default();
    let replaced = own_both(&SECTION, &mut edit.body, |lang, now| style.format_timeline(if now { &new } else { &before }, lang));
    let body = edit.body.clone();
    let saved = crate::compose::save_draft_with(desk, edit, |u: &mut Update| u.timeline = new).await?;
    let replaced = languages_replaced(replaced).map(|(ja, en)| Bilingual {
        ja: format!("経緯の欄は表から書かれます。{ja}の経緯に直接書かれた変更は表の内容に置き換えました。経緯は表で編集してください。"),
        en: format!("The timeline section is written from the table: what was typed in the {en} timeline was replaced by the table's entries. Edit the timeline in the table."),
    });
    Ok(TimelineSaved { version: saved.version, body, replaced })
}

/// The timeline section: ■ 経緯 / ■ Timeline, before the cause.
pub(crate) const SECTION: Owned = Owned {
    names: &["経緯", "時系列", "タイムライン", "timeline"],
    heading: |lang| match lang {
        Lang::Ja => "■ 経緯",
        Lang::En => "■ Timeline",
    },
    // The last section: up to the last timeline line read after the heading.
    last_end: |after| desk_model::timeline::read(after, &PeriodStyle::default(), Some(2000)).last().map_or(0, |e| e.end),
    before: &[desk_model::SectionKind::Cause],
};

/// The text with its timeline section written from `entries` in `lang`, and
/// whether text typed there (anything but what `before` renders to) was replaced.
pub fn own_section(text: &str, before: &[TimelineEntry], entries: &[TimelineEntry], style: &PeriodStyle, lang: Lang) -> (String, bool) {
    SECTION.own(text, &style.format_timeline(before, lang), &style.format_timeline(entries, lang), lang)
}

/// Each entry's line (1-based) in `text`'s timeline section, in `lang`: the
/// section's timeline lines in order, an entry without text in `lang` has none.
pub fn row_lines(text: &str, entries: &[TimelineEntry], style: &PeriodStyle, lang: Lang) -> Vec<Option<u32>> {
    let mut out = vec![None; entries.len()];
    let Some((_, (start, end))) = SECTION.section_of(text) else { return out };
    let year = entries.first().map(|e| chrono::Datelike::year(&e.at.with_timezone(&style.time_zone)));
    let read = desk_model::timeline::read(&text[start..end], style, year);
    let mut lines = read.iter().map(|r| 1 + text[..start + r.start].matches('\n').count() as u32);
    for (i, entry) in entries.iter().enumerate() {
        if entry.text(lang).trim().is_empty() {
            continue;
        }
        match lines.next() {
            Some(line) => out[i] = Some(line),
            None => break,
        }
    }
    out
}

/// True when `svg` is made only of the picture's elements, with no event
/// attribute, link, style or script: what the webview may show inline.
pub fn safe_svg(svg: &str) -> bool {
    let lower = svg.to_ascii_lowercase();
    let tags_ok = lower.split('<').skip(1).all(|t| {
        let name: String = t.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        desk_export::picture::ELEMENTS.contains(&name.as_str())
    });
    let attrs_ok = !lower.contains(" on") && !lower.contains("href") && !lower.contains("style") && !lower.contains("javascript:") && !lower.contains("url(");
    tags_ok && attrs_ok
}

/// Points the rows at their lines in `bodies` (the text as typed).
pub fn retarget(shown: &mut TimelineShown, entries: &[TimelineEntry], style: &PeriodStyle, bodies: &Bilingual<String>) {
    let lines = bodies.map(|lang, text| row_lines(text, entries, style, lang));
    shown.row_lines = (0..entries.len()).map(|i| Bilingual { ja: lines.ja[i], en: lines.en[i] }).collect();
}

/// The picture and row lines of update `index` of `incident`, when it is a
/// postmortem with a timeline; `bodies` are the texts the row lines refer to.
pub(crate) fn shown(
    incident: &desk_model::Incident,
    index: usize,
    style: &PeriodStyle,
    bodies: &Bilingual<String>,
) -> Option<TimelineShown> {
    let update = incident.updates.get(index)?;
    if update.status != Status::Postmortem || update.timeline.is_empty() {
        return None;
    }
    let picture = Bilingual::default().map(|lang, _: &String| {
        let picture = desk_export::Picture::of(incident, index, lang);
        let svg = desk_export::to_svg(&picture, style, lang, &format!("timeline-picture-{}", lang.as_str()));
        if safe_svg(&svg) { svg } else { String::new() }
    });
    let mut shown = TimelineShown { picture, row_lines: Vec::new() };
    retarget(&mut shown, &update.timeline, style, bodies);
    Some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: &str, ja: &str, en: &str) -> TimelineRow {
        TimelineRow { at: at.into(), approximate: false, status: None, ja: ja.into(), en: en.into() }
    }

    #[test]
    fn a_wrong_row_is_named() {
        let style = PeriodStyle::default();
        let e = entries(&[row("2026-06-14T22:00", "開始", "Began"), row("2026-06-14T25:00", "x", "x")], &style).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("timeline.1.at"));
        assert!(e.message.en.starts_with("timeline row 2:"), "{}", e.message.en);
        let e = entries(&[row("2026-06-14T22:00", "開始", " ")], &style).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("timeline.0.en"));
        assert!(e.message.ja.starts_with("経緯の1行目: 英語"), "{}", e.message.ja);
        let ok = entries(&[row("2026-06-14T22:00", "開始", "Began")], &style).unwrap();
        assert_eq!(ok[0].at.to_rfc3339(), "2026-06-14T13:00:00+00:00", "taken in the organisation's zone (JST)");
        assert_eq!(table(&ok, &style).rows[0].at, "2026-06-14T22:00");
    }

    #[test]
    fn the_section_is_written_from_the_entries_and_hand_edits_are_reported() {
        let style = PeriodStyle::default();
        let a = entries(&[row("2026-06-14T22:00", "開始", "Began"), row("2026-06-15T06:00", "再開", "Reopened")], &style).unwrap();
        let text = format!("前文\n\n■ 経緯\n{}\n\n■ 原因\n設定の誤り", style.format_timeline(&a, Lang::Ja));
        let mut b = a.clone();
        b.swap(0, 1);
        let (out, lost) = own_section(&text, &a, &b, &style, Lang::Ja);
        assert!(!lost);
        assert_eq!(out, "前文\n\n■ 経緯\n≫2026年6月15日(月)\n06:00: 再開\n\n≫2026年6月14日(日)\n22:00: 開始\n\n■ 原因\n設定の誤り");
        assert_eq!(row_lines(&out, &b, &style, Lang::Ja), vec![Some(5), Some(8)]);
        let typed = text.replace("22:00: 開始", "22:00: 手で書いた");
        let (out, lost) = own_section(&typed, &a, &a, &style, Lang::Ja);
        assert!(lost, "a hand edit inside the section is replaced, and said");
        assert_eq!(out, text);
        // No section yet: written before the cause.
        let (out, _) = own_section("前文\n\n■ 原因\n設定", &[], &a[..1], &style, Lang::Ja);
        assert_eq!(out, "前文\n\n■ 経緯\n≫2026年6月14日(日)\n22:00: 開始\n\n■ 原因\n設定");
        // No entries: no section.
        let (out, _) = own_section(&text, &a, &[], &style, Lang::Ja);
        assert_eq!(out, "前文\n\n■ 原因\n設定の誤り");
    }
}
