//! Sample data for previewing a template while it is edited: one of our
//! sample incidents, or fields the lead edits inline, for any status.

use chrono::{DateTime, Utc};
use desk_model::{AffectedComponent, Bilingual, Impact, Incident, IncidentDocument, Kind, Period, SectionKind, Status, Update, UpdateText};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::fields::Fields;
use crate::set::Settings;

/// The sample incidents (the project's fixtures), as (name, TOML document).
pub const SAMPLE_INCIDENTS: &[(&str, &str)] = &[
    ("login-certificate-expiry", include_str!("../../../tests/fixtures/incidents/login-certificate-expiry.toml")),
    ("api-timeouts-monitoring", include_str!("../../../tests/fixtures/incidents/api-timeouts-monitoring.toml")),
    ("delivery-delay-ongoing", include_str!("../../../tests/fixtures/incidents/delivery-delay-ongoing.toml")),
    ("report-export-postmortem", include_str!("../../../tests/fixtures/incidents/report-export-postmortem.toml")),
    ("webhook-duplicates-own-body", include_str!("../../../tests/fixtures/incidents/webhook-duplicates-own-body.toml")),
    ("database-maintenance", include_str!("../../../tests/fixtures/incidents/database-maintenance.toml")),
    ("search-upgrade-scheduled", include_str!("../../../tests/fixtures/incidents/search-upgrade-scheduled.toml")),
];

/// The names of the sample incidents, for a picker.
pub fn sample_names() -> Vec<&'static str> {
    SAMPLE_INCIDENTS.iter().map(|(n, _)| *n).collect()
}

/// A sample incident by name.
pub fn sample_incident(name: &str) -> Option<Incident> {
    let (_, text) = SAMPLE_INCIDENTS.iter().find(|(n, _)| *n == name)?;
    Some(IncidentDocument::parse(text).expect("the sample incidents are valid"))
}

/// The values a preview is filled from, editable field by field. The same
/// values serve every status, so the lead can step through the lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SampleFields {
    pub kind: Kind,
    pub impact: Impact,
    /// Without prefix; the templates add 【解決済み】 and the like.
    pub title: Bilingual<String>,
    pub period: Option<Period>,
    /// Shown for ongoing statuses (and a scheduled maintenance) only.
    #[serde(default, with = "desk_model::period::timestamp::option")]
    #[specta(type = Option<String>)]
    pub next_update_at: Option<DateTime<Utc>>,
    pub components: Vec<AffectedComponent>,
    /// The sections (scope, symptoms, cause, …) in each language. A body the
    /// author wrote themselves is not used: the preview is of the template.
    pub text: Bilingual<UpdateText>,
}

impl SampleFields {
    /// The sample from an incident: its title, period and components, and for
    /// each section the newest text written in any update, so every section
    /// the templates can show has something in it.
    pub fn from_incident(incident: &Incident) -> SampleFields {
        let mut text: Bilingual<UpdateText> = Bilingual::default();
        for update in &incident.updates {
            for lang in desk_model::Lang::ALL {
                for kind in SectionKind::ALL {
                    let value = update.text(lang).section(kind);
                    if !value.trim().is_empty() {
                        if let Some(slot) = text.get_mut(lang).section_mut(kind) {
                            *slot = value.to_string();
                        }
                    }
                }
            }
        }
        let last = incident.updates.len().saturating_sub(1);
        SampleFields {
            kind: incident.kind,
            impact: incident.impact,
            title: Bilingual { ja: incident.title_for(last, desk_model::Lang::Ja).to_string(), en: incident.title_for(last, desk_model::Lang::En).to_string() },
            period: incident.period.or_else(|| incident.updates.iter().rev().find_map(|u| u.period)),
            next_update_at: incident.updates.iter().rev().find_map(|u| u.next_update_at),
            components: incident.components.clone(),
            text,
        }
    }

    /// A sample incident by name, as sample fields.
    pub fn named(name: &str) -> Option<SampleFields> {
        sample_incident(name).map(|i| SampleFields::from_incident(&i))
    }

    /// An incident with one update at `status`, holding these values.
    pub fn incident_at(&self, status: Status) -> Incident {
        let mut update = Update::new(status);
        update.next_update_at = self.next_update_at;
        update.ja = UpdateText { body: None, ..self.text.ja.clone() };
        update.en = UpdateText { body: None, ..self.text.en.clone() };
        Incident {
            kind: status.kind(),
            title: self.title.clone(),
            impact: self.impact,
            components: self.components.clone(),
            period: self.period,
            updates: vec![update],
        }
    }

    /// Fills a parsed template with these values at `status` in `lang`.
    pub fn fill(&self, template: &crate::Template, settings: &Settings, status: Status, lang: desk_model::Lang) -> String {
        let incident = self.incident_at(status);
        let fields = Fields { incident: &incident, index: 0, update: &incident.updates[0], lang, settings };
        template.fill(&|name| fields.value(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::Lang;

    #[test]
    fn every_sample_loads_and_fills_every_status() {
        let set = crate::TemplateSet::builtin();
        for name in sample_names() {
            let sample = SampleFields::named(name).unwrap();
            for status in sample.kind.statuses() {
                for lang in Lang::ALL {
                    let body = sample.fill(&set.get(*status, lang).body, &set.settings, *status, lang);
                    assert!(!body.trim().is_empty(), "{name} {status} {lang:?}");
                }
            }
        }
    }

    #[test]
    fn inline_edits_show_in_the_preview() {
        let set = crate::TemplateSet::builtin();
        let mut sample = SampleFields::named("login-certificate-expiry").unwrap();
        sample.text.ja.cause = "テスト用の原因".into();
        let body = sample.fill(&set.get(Status::Resolved, Lang::Ja).body, &set.settings, Status::Resolved, Lang::Ja);
        assert!(body.contains("■ 原因\nテスト用の原因"), "{body}");
        let title = sample.fill(&set.get(Status::Resolved, Lang::Ja).title, &set.settings, Status::Resolved, Lang::Ja);
        assert!(title.starts_with("【解決済み】"), "{title}");
    }
}
