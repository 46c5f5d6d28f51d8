//! The organisation's policy: glossary, required sections per status, date
//! format and severity overrides. Readable from TOML; every field has a
//! sensible default.
//!
//! ```toml
//! languages = ["ja", "en"]
//! glossary = ["KARTE", "Datahub", "Messageβ"]
//! date_format = "slash"
//! resolved_title_marker = "解決済み"
//!
//! [sections.identified]
//! required = ["cause"]
//!
//! [severity]
//! "text.repeated" = "warning"
//! "next-update.missing" = "off"
//! ```

use std::collections::BTreeMap;

use desk_model::{Lang, PeriodStyle, SectionKind, Status};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Rule, Severity};

/// How dates should be written. `Any` only asks that one text is consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    #[default]
    Any,
    /// `2025/06/13 02:51`
    Slash,
    /// `2025-06-13 02:51`
    Dash,
    /// `2025年6月13日 2時51分`
    Kanji,
}

/// A severity override: a level, or `off` to silence the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

/// The sections one status must (error) or should (warning) have.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SectionPolicy {
    pub required: Vec<SectionKind>,
    pub recommended: Vec<SectionKind>,
}

impl SectionPolicy {
    fn new(required: &[SectionKind], recommended: &[SectionKind]) -> Self {
        SectionPolicy { required: required.to_vec(), recommended: recommended.to_vec() }
    }
}

/// Section policies, one per status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SectionPolicies {
    pub investigating: SectionPolicy,
    pub identified: SectionPolicy,
    pub monitoring: SectionPolicy,
    pub resolved: SectionPolicy,
    pub postmortem: SectionPolicy,
    pub scheduled: SectionPolicy,
    pub in_progress: SectionPolicy,
    pub verifying: SectionPolicy,
    pub completed: SectionPolicy,
}

impl Default for SectionPolicies {
    fn default() -> Self {
        use SectionKind::*;
        SectionPolicies {
            investigating: SectionPolicy::new(&[], &[Symptoms]),
            identified: SectionPolicy::new(&[Cause], &[]),
            monitoring: SectionPolicy::new(&[], &[]),
            resolved: SectionPolicy::new(&[], &[Period, Symptoms, Cause]),
            postmortem: SectionPolicy::new(&[Period, Cause, Prevention], &[Scope, Symptoms, Actions]),
            scheduled: SectionPolicy::new(&[Period], &[Scope]),
            in_progress: SectionPolicy::default(),
            verifying: SectionPolicy::default(),
            completed: SectionPolicy::default(),
        }
    }
}

impl SectionPolicies {
    pub fn for_status(&self, status: Status) -> &SectionPolicy {
        match status {
            Status::Investigating => &self.investigating,
            Status::Identified => &self.identified,
            Status::Monitoring => &self.monitoring,
            Status::Resolved => &self.resolved,
            Status::Postmortem => &self.postmortem,
            Status::Scheduled => &self.scheduled,
            Status::InProgress => &self.in_progress,
            Status::Verifying => &self.verifying,
            Status::Completed => &self.completed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The languages every announcement must be written in. Parity rules
    /// run only when both are required.
    pub languages: Vec<Lang>,
    /// Preferred spellings: product and feature names.
    pub glossary: Vec<String>,
    pub date_format: DateFormat,
    /// The word the organisation puts in a closed title's 【…】 marker.
    /// Other markers (解消済み, 復旧済み…) are reported; empty: no check.
    pub resolved_title_marker: String,
    /// True when both languages are published in one Statuspage body, so
    /// the 25,000-character limit applies to them together.
    pub combined_body: bool,
    /// The time zone dates are read in (periods compared across updates).
    pub period_style: PeriodStyle,
    pub sections: SectionPolicies,
    /// Rule code → level (`error`, `warning`, `info`, `off`).
    pub severity: BTreeMap<String, Level>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            languages: vec![Lang::Ja, Lang::En],
            glossary: Vec::new(),
            date_format: DateFormat::Any,
            resolved_title_marker: "解決済み".into(),
            combined_body: false,
            period_style: PeriodStyle::default(),
            sections: SectionPolicies::default(),
            severity: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("the configuration is not valid TOML for the linter: {0}")]
    Toml(String),
    #[error("`{0}` is not a rule code (see RULES.md)")]
    UnknownRule(String),
}

impl Config {
    /// Reads a configuration written in TOML; missing fields keep their defaults.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Toml(e.message().to_string()))?;
        if let Some(code) = config.severity.keys().find(|c| Rule::parse(c).is_none()) {
            return Err(ConfigError::UnknownRule(code.clone()));
        }
        Ok(config)
    }

    /// Terms from a glossary file: one preferred term per line, `#` starts a comment.
    pub fn parse_glossary(text: &str) -> Vec<String> {
        text.lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The severity a rule reports at, after the organisation's override;
    /// `None` when the rule is switched off.
    pub fn level(&self, rule: Rule, default: Severity) -> Option<Severity> {
        match self.severity.get(rule.code()) {
            None => Some(default),
            Some(Level::Off) => None,
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Info) => Some(Severity::Info),
        }
    }

    pub fn bilingual(&self) -> bool {
        self.languages.contains(&Lang::Ja) && self.languages.contains(&Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_policy_and_keeps_defaults() {
        let c = Config::from_toml(
            "glossary = [\"KARTE\"]\ndate_format = \"kanji\"\n[sections.monitoring]\nrequired = [\"actions\"]\n[severity]\n\"text.repeated\" = \"off\"\n",
        )
        .unwrap();
        assert_eq!(c.glossary, ["KARTE"]);
        assert_eq!(c.date_format, DateFormat::Kanji);
        assert_eq!(c.sections.monitoring.required, [SectionKind::Actions]);
        assert_eq!(c.sections.identified.required, [SectionKind::Cause]);
        assert_eq!(c.level(Rule::TextRepeated, Severity::Error), None);
        assert_eq!(c.level(Rule::DateInvalid, Severity::Error), Some(Severity::Error));
    }

    #[test]
    fn refuses_unknown_rules_and_fields() {
        assert_eq!(
            Config::from_toml("[severity]\n\"date.bogus\" = \"off\"\n"),
            Err(ConfigError::UnknownRule("date.bogus".into()))
        );
        assert!(Config::from_toml("glosary = []").is_err());
    }

    #[test]
    fn glossary_files_have_comments() {
        let terms = Config::parse_glossary("# products\nKARTE\n\n Datahub  # the data hub\n");
        assert_eq!(terms, ["KARTE", "Datahub"]);
    }
}
