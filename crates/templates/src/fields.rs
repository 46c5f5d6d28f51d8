//! The fields a template can use, and their values for one update.

use desk_model::{Incident, Lang, SectionKind, Status, Update};

use crate::set::Settings;

/// Every field a template may name. Anything else is a template error.
pub const FIELD_NAMES: &[&str] = &[
    "title",
    "status",
    "impact",
    "period",
    "next_update",
    "components",
    "scope",
    "features",
    "symptoms",
    "cause",
    "actions",
    "prevention",
    "customer_action",
    "note",
    "timeline",
    "compensation",
    "resolved_prefix",
    "completed_prefix",
    "organisation",
];

/// The values of the fields for one update in one language.
pub struct Fields<'a> {
    pub incident: &'a Incident,
    /// The update's position in `incident.updates`.
    pub index: usize,
    pub update: &'a Update,
    pub lang: Lang,
    pub settings: &'a Settings,
}

impl Fields<'_> {
    pub fn value(&self, name: &str) -> String {
        let text = self.update.text(self.lang);
        let style = &self.settings.dates;
        if let Some(kind) = SectionKind::parse(name) {
            if kind != SectionKind::Period {
                return text.section(kind).trim().to_string();
            }
        }
        match name {
            "title" => self.incident.title_for(self.index, self.lang).trim().to_string(),
            "status" => self.update.status.label(self.lang).to_string(),
            "impact" => self.incident.impact.as_str().to_string(),
            "period" => self
                .incident
                .period_for(self.update)
                .map(|p| style.format_period(&p, self.lang))
                .unwrap_or_default(),
            "next_update" => self
                .update
                .next_update_at
                .filter(|_| self.update.status.is_ongoing() || self.update.status == Status::Scheduled)
                .map(|t| style.format_instant(t, self.lang))
                .unwrap_or_default(),
            "components" => self
                .incident
                .components
                .iter()
                .map(|c| format!("- {}（{}）", c.name, c.status.label(self.lang)))
                .map(|line| if self.lang == Lang::En { line.replace('（', " (").replace('）', ")") } else { line })
                .collect::<Vec<_>>()
                .join("\n"),
            "timeline" => style.format_timeline(&self.update.timeline, self.lang),
            "compensation" => style.format_compensation(&self.update.compensation, self.lang),
            "resolved_prefix" => self.settings.title_prefix.resolved.get(self.lang).clone(),
            "completed_prefix" => self.settings.title_prefix.completed.get(self.lang).clone(),
            "organisation" => self.settings.organisation.get(self.lang).clone(),
            _ => String::new(),
        }
    }
}
