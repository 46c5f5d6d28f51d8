//! The checks on a postmortem's compensation (`Update::compensation`, the
//! structured offers): `compensation.period` (a period that is not a range
//! of days, or that ends before the incident began) and `compensation.parity`
//! (an offer's Japanese and English texts stating different amounts, dates
//! or numbers, or one language left empty).
//!
//! A date that does not exist cannot be kept in an offer: the incident
//! document refuses it, naming its line, and so does the app's form. In a
//! compensation written as text it is date.invalid's, like any date.

use chrono::{DateTime, Utc};
use desk_model::{Bilingual, Compensation, Lang};

use crate::diagnostic::{msg, Diagnostic, Field, Rule, Severity};
use crate::{Analysed, Config};

/// Every finding on the offers of one update, each with the offer it is
/// about (0-based). `began`: when the incident began (its period's start),
/// when known.
pub fn lint_compensation(offers: &[Compensation], began: Option<DateTime<Utc>>, config: &Config) -> Vec<(usize, Diagnostic)> {
    let mut out = Vec::new();
    let style = &config.period_style;
    let date = |d: chrono::NaiveDate, lang: Lang| style.format_date(d, lang);
    for (k, offer) in offers.iter().enumerate() {
        let n = k + 1;
        let mut report = |rule: Rule, default: Severity, lang: Option<Lang>, message: Bilingual<String>| {
            if let Some(severity) = config.level(rule, default) {
                let mut d = Diagnostic::on_form(Field::Compensation, rule, severity, message);
                d.lang = lang;
                out.push((k, d));
            }
        };
        let p = offer.period;
        if p.runs_backwards() {
            report(
                Rule::CompensationPeriod,
                Severity::Error,
                None,
                msg(
                    format!("補償 {n} 件目の対象期間は、終わり（{}）が始まり（{}）より前です。", date(p.end, Lang::Ja), date(p.start, Lang::Ja)),
                    format!("Offer {n}'s period ends ({}) before it starts ({}).", date(p.end, Lang::En), date(p.start, Lang::En)),
                ),
            );
        } else if let Some(began) = began {
            let first_day = began.with_timezone(&style.time_zone).date_naive();
            if p.end < first_day {
                report(
                    Rule::CompensationPeriod,
                    Severity::Error,
                    None,
                    msg(
                        format!(
                            "補償 {n} 件目の対象期間（{}〜{}）は、障害が始まった日（{}）より前に終わっています。",
                            date(p.start, Lang::Ja),
                            date(p.end, Lang::Ja),
                            date(first_day, Lang::Ja)
                        ),
                        format!(
                            "Offer {n}'s period ({} – {}) ends before the incident began ({}).",
                            date(p.start, Lang::En),
                            date(p.end, Lang::En),
                            date(first_day, Lang::En)
                        ),
                    ),
                );
            }
        }
        if !config.bilingual() {
            continue;
        }
        let fields: [(&Bilingual<String>, &str, &str); 3] =
            [(&offer.who, "対象", "who"), (&offer.what, "内容", "what"), (&offer.how, "方法", "how")];
        for (text, name_ja, name_en) in fields {
            let (ja, en) = (text.ja.trim(), text.en.trim());
            if ja.is_empty() != en.is_empty() {
                let (lang, missing_ja, missing_en) = if ja.is_empty() { (Lang::Ja, "日本語", "Japanese") } else { (Lang::En, "英語", "English") };
                report(
                    Rule::CompensationParity,
                    Severity::Error,
                    Some(lang),
                    msg(
                        format!("補償 {n} 件目の「{name_ja}」に{missing_ja}がありません。"),
                        format!("Offer {n}'s “{name_en}” has no {missing_en} text."),
                    ),
                );
                continue;
            }
            let (tja, ten) = (Analysed::new(ja, Some(Lang::Ja)), Analysed::new(en, Some(Lang::En)));
            for (from, to, lang_to) in [(&tja, &ten, Lang::En), (&ten, &tja, Lang::Ja)] {
                let (in_ja, in_en) = match lang_to {
                    Lang::Ja => ("日本語", "Japanese"),
                    Lang::En => ("英語", "English"),
                };
                // Amounts and dates are what customers hold us to: any fact
                // one language lacks is an error here (parity.fact warns on
                // numbers in prose).
                for (fact, _, _) in crate::incident::missing_facts(from, to, config) {
                    report(
                        Rule::CompensationParity,
                        Severity::Error,
                        Some(from.lang),
                        msg(
                            format!("補償 {n} 件目の「{name_ja}」: 「{fact}」が{in_ja}にありません。"),
                            format!("Offer {n}'s “{name_en}”: “{fact}” is not in the {in_en}."),
                        ),
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::compensation::date::parse;
    use desk_model::DateRange;

    fn offer(start: &str, end: &str, what: (&str, &str)) -> Compensation {
        Compensation {
            who: Bilingual { ja: "有料プランのお客様".into(), en: "Customers on a paid plan".into() },
            what: Bilingual { ja: what.0.into(), en: what.1.into() },
            period: DateRange { start: parse(start).unwrap(), end: parse(end).unwrap() },
            how: Bilingual { ja: "請求額から差し引きます".into(), en: "Deducted from the invoice".into() },
            from: None,
        }
    }

    fn began() -> Option<DateTime<Utc>> {
        // 2024-06-17 06:00 JST is still the 16th in UTC: the day is the organisation's.
        Some(desk_model::period::timestamp::parse("2024-06-17T06:00:00+09:00").unwrap())
    }

    fn codes(found: &[(usize, Diagnostic)]) -> Vec<(usize, &str, Severity)> {
        found.iter().map(|(k, d)| (*k, d.rule.code(), d.severity)).collect()
    }

    #[test]
    fn a_period_must_run_forwards_and_not_end_before_the_incident() {
        let config = Config::default();
        let good = offer("2024-06-01", "2024-07-31", ("料金を10%割引", "A 10% discount"));
        assert!(lint_compensation(std::slice::from_ref(&good), began(), &config).is_empty());
        // The day the incident began counts (in the organisation's zone).
        assert!(lint_compensation(&[offer("2024-06-17", "2024-06-17", ("料金を10%割引", "A 10% discount"))], began(), &config).is_empty());
        let backwards = offer("2024-07-31", "2024-06-01", ("料金を10%割引", "A 10% discount"));
        let before = offer("2024-05-01", "2024-05-31", ("料金を10%割引", "A 10% discount"));
        let found = lint_compensation(&[good, backwards, before], began(), &config);
        assert_eq!(codes(&found), [(1, "compensation.period", Severity::Error), (2, "compensation.period", Severity::Error)]);
        assert_eq!(found[0].1.message.en, "Offer 2's period ends (Jun 1, 2024) before it starts (Jul 31, 2024).");
        assert_eq!(found[1].1.message.ja, "補償 3 件目の対象期間（2024/05/01〜2024/05/31）は、障害が始まった日（2024/06/17）より前に終わっています。");
        assert_eq!((found[0].1.field, found[0].1.line), (Field::Compensation, 0));
        // Without a start, only the order is checked.
        assert!(lint_compensation(&[offer("2024-05-01", "2024-05-31", ("料金を10%割引", "A 10% discount"))], None, &config).is_empty());
    }

    #[test]
    fn both_languages_must_offer_the_same() {
        let config = Config::default();
        let found = lint_compensation(&[offer("2024-06-01", "2024-06-30", ("料金を10%割引", "A 15% discount"))], began(), &config);
        assert_eq!(codes(&found), [(0, "compensation.parity", Severity::Error), (0, "compensation.parity", Severity::Error)]);
        assert_eq!(found[0].1.message.en, "Offer 1's “what”: “10%” is not in the English.");
        assert_eq!(found[0].1.lang, Some(Lang::Ja));
        assert_eq!(found[1].1.message.ja, "補償 1 件目の「内容」: 「15%」が日本語にありません。");
        // The same amount in either language's way of writing it is the same.
        let same = offer("2024-06-01", "2024-06-30", ("1,000円分のクレジット", "A credit of 1,000 yen"));
        assert!(lint_compensation(&[same], began(), &config).is_empty());
        // A text left out in one language.
        let mut half = offer("2024-06-01", "2024-06-30", ("料金を10%割引", "A 10% discount"));
        half.how.en.clear();
        let found = lint_compensation(&[half.clone()], began(), &config);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.message.en, "Offer 1's “how” has no English text.");
        // A Japanese-only page compares nothing.
        let ja_only = Config { languages: vec![Lang::Ja], ..Config::default() };
        assert!(lint_compensation(&[half], began(), &ja_only).is_empty());
        // Severity overrides apply.
        let off: Config = Config::from_toml("[severity]\n\"compensation.parity\" = \"off\"\n").unwrap();
        assert!(lint_compensation(&[offer("2024-06-01", "2024-06-30", ("料金を10%割引", "A 15% discount"))], began(), &off).is_empty());
    }
}
