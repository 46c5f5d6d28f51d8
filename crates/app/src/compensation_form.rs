//! A postmortem's compensation as a form: the composer edits the draft's
//! offers (who is eligible, what they get, the period, how and from when,
//! each text in Japanese and English), and they are saved with the draft's
//! text as one revision.
//!
//! **The offers own the compensation section of the body**, as the timeline
//! table owns the timeline's ([`crate::owned_section`]): on every save the
//! lines under ■ 補償について / ■ Compensation are written again from the
//! offers in each language, in the organisation's date style; text typed
//! there by hand is replaced, and the save says so.

use desk_model::compensation::{date, Compensation, DateRange};
use desk_model::{Bilingual, Lang, PeriodStyle, SectionKind, Status, Update};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compose::DraftEdit;
use crate::owned_section::{languages_replaced, own_both, Owned};
use crate::{AppError, Desk, Result};

/// One offer as the form shows it: dates as `YYYY-MM-DD` (what an
/// `<input type="date">` gives), `from` empty when not said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CompensationOffer {
    pub who: Bilingual<String>,
    pub what: Bilingual<String>,
    pub start: String,
    pub end: String,
    pub how: Bilingual<String>,
    pub from: String,
}

/// A save of a postmortem draft with its offers.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CompensationSaved {
    pub version: u32,
    /// The bodies as saved: their compensation sections written from the offers.
    pub body: Bilingual<String>,
    /// Said when text typed inside a compensation section was replaced by
    /// the offers'; none when nothing typed there was lost.
    pub replaced: Option<Bilingual<String>>,
}

/// The offers of incident `id`'s draft; none when its draft is not a postmortem.
pub async fn open_compensation(desk: &Desk, id: u32) -> Result<Option<Vec<CompensationOffer>>> {
    let stored = desk.store.load_incident(id as i64).await?;
    let Some(row) = stored.updates.last().filter(|u| u.state == desk_store::UpdateState::Draft) else {
        return Ok(None);
    };
    if row.update.status != Status::Postmortem {
        return Ok(None);
    }
    Ok(Some(row.update.compensation.iter().map(form).collect()))
}

/// An offer as the form shows it.
pub fn form(c: &Compensation) -> CompensationOffer {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    CompensationOffer {
        who: c.who.clone(),
        what: c.what.clone(),
        start: day(c.period.start),
        end: day(c.period.end),
        how: c.how.clone(),
        from: c.from.map(day).unwrap_or_default(),
    }
}

/// What a field is called in the messages.
fn field_name(field: &str) -> (&'static str, &'static str) {
    match field {
        "who" => ("対象", "who is eligible"),
        "what" => ("内容", "what is offered"),
        "how" => ("方法", "how it is given"),
        "start" => ("対象期間の始まり", "the period's start"),
        "end" => ("対象期間の終わり", "the period's end"),
        _ => ("開始日", "from when"),
    }
}

/// The offers as compensation, or the first wrong field named
/// (`compensation.<index>.<field>[.ja|.en]`): who and what missing in a
/// language, how written in one language only, a date that cannot be read,
/// a period that ends before it starts.
pub fn offers(rows: &[CompensationOffer]) -> Result<Vec<Compensation>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let n = i + 1;
            for (name, text, required) in [("who", &row.who, true), ("what", &row.what, true), ("how", &row.how, false)] {
                let written = Lang::ALL.map(|l| !text.get(l).trim().is_empty());
                if !required && written == [false, false] {
                    continue;
                }
                for (lang, ok) in Lang::ALL.into_iter().zip(written) {
                    if !ok {
                        let (ja, en) = field_name(name);
                        let (lj, le) = match lang {
                            Lang::Ja => ("日本語", "Japanese"),
                            Lang::En => ("英語", "English"),
                        };
                        return Err(AppError::invalid(
                            &format!("compensation.{i}.{name}.{}", lang.as_str()),
                            format!("補償{n}件目: {ja}の{lj}がありません。両方の言語で書いてください。"),
                            format!("offer {n}: the {le} text of {en} is empty; write it in both languages"),
                        ));
                    }
                }
            }
            let read = |name: &str, text: &str| {
                date::parse(text.trim()).map_err(|_| {
                    let (ja, en) = field_name(name);
                    AppError::invalid(
                        &format!("compensation.{i}.{name}"),
                        format!("補償{n}件目: {ja}「{text}」が日付として読めません。"),
                        format!("offer {n}: {en} “{text}” is not a date"),
                    )
                })
            };
            let period = DateRange { start: read("start", &row.start)?, end: read("end", &row.end)? };
            if period.runs_backwards() {
                return Err(AppError::invalid(
                    &format!("compensation.{i}.end"),
                    format!("補償{n}件目: 対象期間の終わり（{}）が始まり（{}）より前です。", row.end.trim(), row.start.trim()),
                    format!("offer {n}: the period ends ({}) before it starts ({})", row.end.trim(), row.start.trim()),
                ));
            }
            let from = if row.from.trim().is_empty() { None } else { Some(read("from", &row.from)?) };
            let trim = |b: &Bilingual<String>| b.map(|_, t: &String| t.trim().to_string());
            Ok(Compensation { who: trim(&row.who), what: trim(&row.what), period, how: trim(&row.how), from })
        })
        .collect()
}

/// The compensation section: ■ 補償について / ■ Compensation, before what
/// customers are asked to do and the notes.
pub(crate) const SECTION: Owned = Owned {
    names: &["補償について", "補償", "compensation"],
    heading: |lang| match lang {
        Lang::Ja => "■ 補償について",
        Lang::En => "■ Compensation",
    },
    // The last section: its list items (blank lines between offers), up to the last.
    last_end: |after| {
        let mut offset = 0;
        let mut end = 0;
        for raw in after.split_inclusive('\n') {
            let line = raw.trim();
            if !line.is_empty() && !line.starts_with("- ") {
                break;
            }
            offset += raw.len();
            if !line.is_empty() {
                end = offset - (raw.len() - raw.trim_end().len());
            }
        }
        end
    },
    before: &[SectionKind::CustomerAction, SectionKind::Note],
};

/// The text with its compensation section written from `offers` in `lang`,
/// and whether text typed there (anything but what `before` renders to) was replaced.
pub fn own_section(text: &str, before: &[Compensation], offers: &[Compensation], style: &PeriodStyle, lang: Lang) -> (String, bool) {
    SECTION.own(text, &style.format_compensation(before, lang), &style.format_compensation(offers, lang), lang)
}

/// Saves a postmortem draft with its `offers`: they are checked (nothing is
/// saved when one is wrong: the error names the offer and field), the
/// compensation sections of both bodies are written from them, and text,
/// status, notify choice and offers become one new revision.
pub async fn save_compensation(desk: &Desk, mut edit: DraftEdit, rows: Vec<CompensationOffer>) -> Result<CompensationSaved> {
    let new = offers(&rows)?;
    let style = desk.templates().await?.set.settings.dates.clone();
    let stored = desk.store.load_incident(edit.id as i64).await?;
    let before = stored.updates.iter().find(|u| u.id == edit.update_id as i64).map(|u| u.update.compensation.clone()).unwrap_or_default();
    let replaced = own_both(&SECTION, &mut edit.body, |lang, now| style.format_compensation(if now { &new } else { &before }, lang));
    let body = edit.body.clone();
    let saved = crate::compose::save_draft_with(desk, edit, |u: &mut Update| u.compensation = new).await?;
    let replaced = languages_replaced(replaced).map(|(ja, en)| Bilingual {
        ja: format!("補償の欄はフォームから書かれます。{ja}の補償の欄に直接書かれた変更はフォームの内容に置き換えました。補償はフォームで編集してください。"),
        en: format!("The compensation section is written from the form: what was typed in the {en} compensation section was replaced by the offers. Edit the compensation in the form."),
    });
    Ok(CompensationSaved { version: saved.version, body, replaced })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn offer(start: &str, end: &str) -> CompensationOffer {
        let b = |ja: &str, en: &str| Bilingual { ja: ja.into(), en: en.into() };
        CompensationOffer {
            who: b("有料プランのお客様", "Customers on a paid plan"),
            what: b("1か月分無料", "One month free"),
            start: start.into(),
            end: end.into(),
            how: b("請求書で差し引き", "Deducted on the invoice"),
            from: String::new(),
        }
    }

    #[test]
    fn a_wrong_field_is_named() {
        let e = offers(&[offer("2026-06-01", "2026-06-30"), offer("2026-06-01", "2026-05-31")]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("compensation.1.end"));
        assert!(e.message.ja.starts_with("補償2件目: 対象期間の終わり"), "{}", e.message.ja);
        let mut no_en = offer("2026-06-01", "2026-06-30");
        no_en.what.en = " ".into();
        assert_eq!(offers(&[no_en]).unwrap_err().field.as_deref(), Some("compensation.0.what.en"));
        let mut half_how = offer("2026-06-01", "2026-06-30");
        half_how.how.ja.clear();
        assert_eq!(offers(&[half_how.clone()]).unwrap_err().field.as_deref(), Some("compensation.0.how.ja"));
        half_how.how.en.clear();
        half_how.from = "2026-02-30".into();
        assert_eq!(offers(&[half_how.clone()]).unwrap_err().field.as_deref(), Some("compensation.0.from"));
        half_how.from = "2026-07-10".into();
        let ok = offers(&[half_how]).unwrap();
        assert_eq!(form(&ok[0]).from, "2026-07-10");
    }

    #[test]
    fn the_section_is_written_from_the_offers_before_the_customers_part() {
        let style = PeriodStyle::default();
        let a = offers(&[offer("2026-06-01", "2026-06-30")]).unwrap();
        let text = "前文\n\n■ 今後の対応\n監視を増やします\n\n■ 補足\nなし";
        let (out, lost) = own_section(text, &[], &a, &style, Lang::Ja);
        assert!(!lost);
        let section = "■ 補償について\n- 対象: 有料プランのお客様\n- 内容: 1か月分無料\n- 対象期間: 2026/06/01〜2026/06/30\n- 方法: 請求書で差し引き\n\n";
        assert_eq!(out, format!("前文\n\n■ 今後の対応\n監視を増やします\n\n{section}■ 補足\nなし"));
        // Typed over: replaced, and said; the last section ends with its list.
        let last = format!("前文\n\n{section}お詫び申し上げます。");
        let typed = last.replace("1か月分無料", "2か月分無料");
        let (again, lost) = own_section(&typed, &a, &a, &style, Lang::Ja);
        assert!(lost);
        assert_eq!(again, last);
        // No offers: no section.
        assert_eq!(own_section(&last, &a, &[], &style, Lang::Ja).0, "前文\n\nお詫び申し上げます。");
    }
}
