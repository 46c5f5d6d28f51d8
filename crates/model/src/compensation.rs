//! What a postmortem offers the customers who were affected, as data.
//!
//! An offer says who is eligible, what they get, for which period (a range of
//! whole days) and how and from when it is given, each text in Japanese and
//! English. A postmortem update carries its offers (`Update::compensation`;
//! in the incident document `[[updates.compensation]]` tables), and the
//! templates' `{{compensation}}` field writes them per language in the
//! organisation's date style:
//!
//! ```text
//! - 対象: 有料プランをご契約のお客様          - Who: Customers on a paid plan
//! - 内容: ご利用料金を2か月分いただきません    - What: Two months free of charge
//! - 対象期間: 2024/06/01〜2024/07/31          - Period: Jun 1, 2024 – Jul 31, 2024
//! - 方法: 請求書で自動的に差し引きます（2024/06/24から）
//!                                            - How: Deducted on your invoice (from Jun 24, 2024)
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incident::{Bilingual, Lang};
use crate::period::PeriodStyle;

/// One offer of compensation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct Compensation {
    /// Who is eligible (有料プランをご契約のすべてのお客様).
    #[serde(default)]
    pub who: Bilingual<String>,
    /// What they get (ご利用料金2か月分を無料, a 10 % credit).
    #[serde(default)]
    pub what: Bilingual<String>,
    /// The days it covers, both included.
    pub period: DateRange,
    /// How it is given (請求書で自動的に差し引き, a refund to the card).
    #[serde(default)]
    pub how: Bilingual<String>,
    /// From when it is given (the first refund, the invoice it appears on).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date::option")]
    #[specta(type = Option<String>)]
    pub from: Option<NaiveDate>,
}

/// A range of whole days, both ends included (`2024-06-01` to `2024-07-31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    #[serde(with = "date")]
    #[specta(type = String)]
    pub start: NaiveDate,
    #[serde(with = "date")]
    #[specta(type = String)]
    pub end: NaiveDate,
}

impl DateRange {
    /// True when the range ends before it starts.
    pub fn runs_backwards(&self) -> bool {
        self.end < self.start
    }
}

impl PeriodStyle {
    /// A date alone in the organisation's style: the date part of its
    /// `date_time` pattern (`2024/06/01`, `Jun 1, 2024`).
    pub fn format_date(&self, date: NaiveDate, lang: Lang) -> String {
        let pattern = &self.lang(lang).date_time;
        let cut = ["%H", "%I", "%k", "%l", "%R", "%T", "%p", "%M"].iter().filter_map(|p| pattern.find(p)).min();
        let pattern = cut.map_or(pattern.as_str(), |i| &pattern[..i]);
        let pattern = pattern.trim_end_matches([' ', ',', 'T']);
        date.format(if pattern.is_empty() { "%Y-%m-%d" } else { pattern }).to_string()
    }

    /// The offers in one language, one block of list items each.
    pub fn format_compensation(&self, offers: &[Compensation], lang: Lang) -> String {
        let labels = match lang {
            Lang::Ja => ["対象", "内容", "対象期間", "方法"],
            Lang::En => ["Who", "What", "Period", "How"],
        };
        let sep = ": ";
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut blocks = Vec::new();
        for offer in offers {
            let mut lines = Vec::new();
            for (label, text) in [(labels[0], offer.who.get(lang)), (labels[1], offer.what.get(lang))] {
                if !text.trim().is_empty() {
                    lines.push(format!("- {label}{sep}{}", one_line(text)));
                }
            }
            let p = offer.period;
            let between = &self.lang(lang).separator_between_days;
            lines.push(format!("- {}{sep}{}{between}{}", labels[2], self.format_date(p.start, lang), self.format_date(p.end, lang)));
            let how = one_line(offer.how.get(lang));
            let from = offer.from.map(|d| match lang {
                Lang::Ja => format!("{}から", self.format_date(d, lang)),
                Lang::En => format!("from {}", self.format_date(d, lang)),
            });
            match (how.is_empty(), from) {
                (false, Some(f)) if lang == Lang::Ja => lines.push(format!("- {}{sep}{how}（{f}）", labels[3])),
                (false, Some(f)) => lines.push(format!("- {}{sep}{how} ({f})", labels[3])),
                (false, None) => lines.push(format!("- {}{sep}{how}", labels[3])),
                (true, Some(f)) => lines.push(format!("- {}{sep}{f}", labels[3])),
                (true, None) => {}
            }
            blocks.push(lines.join("\n"));
        }
        blocks.join("\n\n")
    }
}

/// Dates as `2024-06-01`, read from a TOML date or a string.
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }

    pub fn parse(s: &str) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| format!("`{s}` is not a date of the calendar, such as 2024-06-01"))
    }

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.format("%Y-%m-%d").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let raw = match Raw::deserialize(d)? {
            Raw::Text(s) => s,
            Raw::Toml(t) => t.to_string(),
        };
        parse(&raw).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Compensation {
        let d = |s: &str| date::parse(s).unwrap();
        Compensation {
            who: Bilingual { ja: "有料プランをご契約のお客様".into(), en: "Customers on a paid plan".into() },
            what: Bilingual { ja: "ご利用料金を2か月分いただきません".into(), en: "Two months free of charge".into() },
            period: DateRange { start: d("2024-06-01"), end: d("2024-07-31") },
            how: Bilingual { ja: "お支払い済みの分は返金します".into(), en: "What was already paid is refunded".into() },
            from: Some(d("2024-06-24")),
        }
    }

    #[test]
    fn offers_are_written_in_each_language_in_the_organisations_date_style() {
        let style = PeriodStyle::default();
        assert_eq!(
            style.format_compensation(&[offer()], Lang::Ja),
            "- 対象: 有料プランをご契約のお客様\n- 内容: ご利用料金を2か月分いただきません\n- 対象期間: 2024/06/01〜2024/07/31\n- 方法: お支払い済みの分は返金します（2024/06/24から）"
        );
        assert_eq!(
            style.format_compensation(&[offer()], Lang::En),
            "- Who: Customers on a paid plan\n- What: Two months free of charge\n- Period: Jun 1, 2024 – Jul 31, 2024\n- How: What was already paid is refunded (from Jun 24, 2024)"
        );
        let mut dashed = PeriodStyle::default();
        dashed.ja.date_time = "%Y年%-m月%-d日 %H時%M分".into();
        let mut second = offer();
        second.how = Bilingual::default();
        let text = dashed.format_compensation(&[offer(), second], Lang::Ja);
        assert!(text.contains("- 対象期間: 2024年6月1日〜2024年7月31日\n- 方法: お支払い済みの分は返金します（2024年6月24日から）\n\n- 対象:"), "{text}");
        assert!(text.ends_with("- 対象期間: 2024年6月1日〜2024年7月31日\n- 方法: 2024年6月24日から"), "{text}");
        assert_eq!(style.format_compensation(&[], Lang::En), "");
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert!(date::parse("2024-02-29").is_ok());
        assert_eq!(date::parse("2023-02-29").unwrap_err(), "`2023-02-29` is not a date of the calendar, such as 2024-06-01");
        assert!(date::parse("2024-06-31").is_err());
    }
}
