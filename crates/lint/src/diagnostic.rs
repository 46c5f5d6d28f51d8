//! What the linter reports: a stable rule code, a severity, a message in both
//! UI languages, where it is, and a fix when one is certain.

use desk_model::{Bilingual, Lang};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Every rule, by its stable code. The codes are a contract: the CLI's JSON,
/// the app and the organisation's severity overrides use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
pub enum Rule {
    #[serde(rename = "date.invalid")]
    DateInvalid,
    #[serde(rename = "period.order")]
    PeriodOrder,
    #[serde(rename = "period.drift")]
    PeriodDrift,
    #[serde(rename = "date.format-mixed")]
    DateFormatMixed,
    #[serde(rename = "tense.status")]
    TenseStatus,
    #[serde(rename = "title.status")]
    TitleStatus,
    #[serde(rename = "section.missing")]
    SectionMissing,
    #[serde(rename = "section.empty")]
    SectionEmpty,
    #[serde(rename = "parity.section")]
    ParitySection,
    #[serde(rename = "parity.fact")]
    ParityFact,
    #[serde(rename = "glossary.variant")]
    GlossaryVariant,
    #[serde(rename = "text.repeated")]
    TextRepeated,
    #[serde(rename = "placeholder.unfilled")]
    PlaceholderUnfilled,
    #[serde(rename = "next-update.missing")]
    NextUpdateMissing,
    #[serde(rename = "heading.style-mixed")]
    HeadingStyleMixed,
    #[serde(rename = "limit.title")]
    LimitTitle,
    #[serde(rename = "limit.body")]
    LimitBody,
    #[serde(rename = "statuspage.default-text")]
    StatuspageDefaultText,
    #[serde(rename = "update.duplicate")]
    UpdateDuplicate,
    #[serde(rename = "status.reopened")]
    StatusReopened,
    #[serde(rename = "timeline.order")]
    TimelineOrder,
    #[serde(rename = "timeline.span")]
    TimelineSpan,
    #[serde(rename = "timeline.parity")]
    TimelineParity,
    #[serde(rename = "maintenance.order")]
    MaintenanceOrder,
    #[serde(rename = "maintenance.past")]
    MaintenancePast,
    #[serde(rename = "maintenance.reminder")]
    MaintenanceReminder,
    #[serde(rename = "maintenance.period")]
    MaintenancePeriod,
    #[serde(rename = "compensation.period")]
    CompensationPeriod,
    #[serde(rename = "compensation.parity")]
    CompensationParity,
}

impl Rule {
    pub const ALL: [Rule; 29] = [
        Rule::DateInvalid,
        Rule::PeriodOrder,
        Rule::PeriodDrift,
        Rule::DateFormatMixed,
        Rule::TenseStatus,
        Rule::TitleStatus,
        Rule::SectionMissing,
        Rule::SectionEmpty,
        Rule::ParitySection,
        Rule::ParityFact,
        Rule::GlossaryVariant,
        Rule::TextRepeated,
        Rule::PlaceholderUnfilled,
        Rule::NextUpdateMissing,
        Rule::HeadingStyleMixed,
        Rule::LimitTitle,
        Rule::LimitBody,
        Rule::StatuspageDefaultText,
        Rule::UpdateDuplicate,
        Rule::StatusReopened,
        Rule::TimelineOrder,
        Rule::TimelineSpan,
        Rule::TimelineParity,
        Rule::MaintenanceOrder,
        Rule::MaintenancePast,
        Rule::MaintenanceReminder,
        Rule::MaintenancePeriod,
        Rule::CompensationPeriod,
        Rule::CompensationParity,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::DateInvalid => "date.invalid",
            Rule::PeriodOrder => "period.order",
            Rule::PeriodDrift => "period.drift",
            Rule::DateFormatMixed => "date.format-mixed",
            Rule::TenseStatus => "tense.status",
            Rule::TitleStatus => "title.status",
            Rule::SectionMissing => "section.missing",
            Rule::SectionEmpty => "section.empty",
            Rule::ParitySection => "parity.section",
            Rule::ParityFact => "parity.fact",
            Rule::GlossaryVariant => "glossary.variant",
            Rule::TextRepeated => "text.repeated",
            Rule::PlaceholderUnfilled => "placeholder.unfilled",
            Rule::NextUpdateMissing => "next-update.missing",
            Rule::HeadingStyleMixed => "heading.style-mixed",
            Rule::LimitTitle => "limit.title",
            Rule::LimitBody => "limit.body",
            Rule::StatuspageDefaultText => "statuspage.default-text",
            Rule::UpdateDuplicate => "update.duplicate",
            Rule::StatusReopened => "status.reopened",
            Rule::TimelineOrder => "timeline.order",
            Rule::TimelineSpan => "timeline.span",
            Rule::TimelineParity => "timeline.parity",
            Rule::MaintenanceOrder => "maintenance.order",
            Rule::MaintenancePast => "maintenance.past",
            Rule::MaintenanceReminder => "maintenance.reminder",
            Rule::MaintenancePeriod => "maintenance.period",
            Rule::CompensationPeriod => "compensation.period",
            Rule::CompensationParity => "compensation.parity",
        }
    }

    pub fn parse(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Which text of the input a diagnostic's range is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Body,
    /// A maintenance's window and automatic steps (the composer's form), not a text.
    Maintenance,
    /// A postmortem's compensation (its structured fields), not a text.
    Compensation,
}

/// Where a diagnostic is. Lines and columns are 1-based and counted in
/// characters (Unicode scalar values); the end is exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// The message in both UI languages; the app shows the one it speaks.
    pub message: Bilingual<String>,
    /// The language of the text the diagnostic concerns.
    pub lang: Option<Lang>,
    /// The update (index in the input, oldest first) for incident input.
    pub update: Option<u32>,
    pub field: Field,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// Byte offsets into the text, for tools that edit it.
    pub start: u32,
    pub end: u32,
    /// Replacement for the range, given only when it is certain.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A finding on a form's own values (a maintenance window, a
    /// compensation), which have no place in a text: no language, line 0.
    pub fn on_form(field: Field, rule: Rule, severity: Severity, message: Bilingual<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message,
            lang: None,
            update: None,
            field,
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            start: 0,
            end: 0,
            suggestion: None,
        }
    }
}

impl Diagnostic {
    pub fn code(&self) -> &'static str {
        self.rule.code()
    }

    pub fn message_in(&self, ui: Lang) -> &str {
        self.message.get(ui)
    }
}

/// A message in both UI languages.
pub(crate) fn msg(ja: impl Into<String>, en: impl Into<String>) -> Bilingual<String> {
    Bilingual { ja: ja.into(), en: en.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_a_specta_type<T: specta::Type>() {}

    #[test]
    fn codes_are_stable_and_serialise_as_themselves() {
        is_a_specta_type::<Diagnostic>();
        for rule in Rule::ALL {
            assert_eq!(Rule::parse(rule.code()), Some(rule));
            assert_eq!(serde_json::to_value(rule).unwrap(), rule.code());
        }
        let d = Diagnostic {
            rule: Rule::DateInvalid,
            severity: Severity::Error,
            message: msg("日付がありません", "No such date"),
            lang: Some(Lang::Ja),
            update: None,
            field: Field::Body,
            line: 2,
            column: 1,
            end_line: 2,
            end_column: 11,
            start: 10,
            end: 20,
            suggestion: None,
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["rule"], "date.invalid");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["message"]["en"], "No such date");
        assert_eq!(v["lang"], "ja");
    }
}
