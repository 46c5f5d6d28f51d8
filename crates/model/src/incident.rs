//! Incidents, their updates and the vocabulary Statuspage uses for them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::maintenance::MaintenanceWindow;
use crate::period::Period;
use crate::sections::UpdateText;
use crate::compensation::Compensation;
use crate::timeline::TimelineEntry;

/// A real-time incident or a scheduled maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    #[default]
    Incident,
    Maintenance,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Incident, Kind::Maintenance];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The statuses an announcement of this kind moves through, in order.
    pub fn statuses(self) -> &'static [Status] {
        match self {
            Kind::Incident => &[
                Status::Investigating,
                Status::Identified,
                Status::Monitoring,
                Status::Resolved,
                Status::Postmortem,
            ],
            Kind::Maintenance => &[
                Status::Scheduled,
                Status::InProgress,
                Status::Verifying,
                Status::Completed,
            ],
        }
    }
}

/// The status an update moves the announcement to.
///
/// `postmortem` is not a Statuspage status: it is published as the incident's
/// postmortem body, after the incident was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Investigating,
        Status::Identified,
        Status::Monitoring,
        Status::Resolved,
        Status::Postmortem,
        Status::Scheduled,
        Status::InProgress,
        Status::Verifying,
        Status::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Investigating => "investigating",
            Status::Identified => "identified",
            Status::Monitoring => "monitoring",
            Status::Resolved => "resolved",
            Status::Postmortem => "postmortem",
            Status::Scheduled => "scheduled",
            Status::InProgress => "in_progress",
            Status::Verifying => "verifying",
            Status::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn kind(self) -> Kind {
        match self {
            Status::Scheduled | Status::InProgress | Status::Verifying | Status::Completed => {
                Kind::Maintenance
            }
            _ => Kind::Incident,
        }
    }

    /// True while the problem (or the work) is still going on: the text speaks
    /// in the present tense and promises a next update.
    pub fn is_ongoing(self) -> bool {
        matches!(
            self,
            Status::Investigating
                | Status::Identified
                | Status::Monitoring
                | Status::InProgress
                | Status::Verifying
        )
    }

    /// True once it is over: the text speaks in the past tense.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Resolved | Status::Postmortem | Status::Completed)
    }

    /// The value sent as Statuspage's `status` field.
    pub fn statuspage_status(self) -> &'static str {
        match self {
            Status::Postmortem => "resolved",
            other => other.as_str(),
        }
    }

    /// The label people see, in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Ja, Status::Investigating) => "調査中",
            (Lang::Ja, Status::Identified) => "原因特定",
            (Lang::Ja, Status::Monitoring) => "監視中",
            (Lang::Ja, Status::Resolved) => "解決済み",
            (Lang::Ja, Status::Postmortem) => "事後報告",
            (Lang::Ja, Status::Scheduled) => "予定",
            (Lang::Ja, Status::InProgress) => "実施中",
            (Lang::Ja, Status::Verifying) => "確認中",
            (Lang::Ja, Status::Completed) => "完了",
            (Lang::En, Status::Investigating) => "Investigating",
            (Lang::En, Status::Identified) => "Identified",
            (Lang::En, Status::Monitoring) => "Monitoring",
            (Lang::En, Status::Resolved) => "Resolved",
            (Lang::En, Status::Postmortem) => "Postmortem",
            (Lang::En, Status::Scheduled) => "Scheduled",
            (Lang::En, Status::InProgress) => "In progress",
            (Lang::En, Status::Verifying) => "Verifying",
            (Lang::En, Status::Completed) => "Completed",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Statuspage's impact levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    #[default]
    None,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Minor => "minor",
            Impact::Major => "major",
            Impact::Critical => "critical",
        }
    }
}

/// Statuspage's component statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
    UnderMaintenance,
}

impl ComponentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
            ComponentStatus::UnderMaintenance => "under_maintenance",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Ja, ComponentStatus::Operational) => "正常",
            (Lang::Ja, ComponentStatus::DegradedPerformance) => "パフォーマンス低下",
            (Lang::Ja, ComponentStatus::PartialOutage) => "一部停止",
            (Lang::Ja, ComponentStatus::MajorOutage) => "停止",
            (Lang::Ja, ComponentStatus::UnderMaintenance) => "メンテナンス中",
            (Lang::En, ComponentStatus::Operational) => "Operational",
            (Lang::En, ComponentStatus::DegradedPerformance) => "Degraded performance",
            (Lang::En, ComponentStatus::PartialOutage) => "Partial outage",
            (Lang::En, ComponentStatus::MajorOutage) => "Major outage",
            (Lang::En, ComponentStatus::UnderMaintenance) => "Under maintenance",
        }
    }
}

/// A component of the status page and the status the incident gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AffectedComponent {
    /// The component's name as it appears on the status page.
    pub name: String,
    pub status: ComponentStatus,
}

/// The two languages every announcement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// One value in Japanese and in English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
pub struct Bilingual<T> {
    pub ja: T,
    pub en: T,
}

impl<T> Bilingual<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    pub fn get_mut(&mut self, lang: Lang) -> &mut T {
        match lang {
            Lang::Ja => &mut self.ja,
            Lang::En => &mut self.en,
        }
    }

    pub fn map<U>(&self, mut f: impl FnMut(Lang, &T) -> U) -> Bilingual<U> {
        Bilingual { ja: f(Lang::Ja, &self.ja), en: f(Lang::En, &self.en) }
    }
}

/// An incident or a maintenance, with every update written for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Incident {
    #[serde(default)]
    pub kind: Kind,
    /// The title as the author wrote it, without any status prefix; the
    /// templates add the organisation's prefix (e.g. 【解決済み】) per status.
    pub title: Bilingual<String>,
    #[serde(default)]
    pub impact: Impact,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<AffectedComponent>,
    /// When it happened (or, for a maintenance, the planned window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<Update>,
}

/// One update: what the incident's page says after one change of status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Update {
    pub status: Status,
    /// The title from this update on, where it changes with the status
    /// (…が発生しています → …が発生していました). Without it, the incident's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Bilingual<String>>,
    /// The period this update states, where it differs from the incident's
    /// (a later update may correct it; the linter asks that it says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// When the next update is promised (ongoing statuses).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::period::timestamp::option")]
    #[specta(type = Option<String>)]
    pub next_update_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::period::timestamp::option")]
    #[specta(type = Option<String>)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::period::timestamp::option")]
    #[specta(type = Option<String>)]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ja: UpdateText,
    #[serde(default)]
    pub en: UpdateText,
    /// Whether subscribers are notified of this update (Statuspage's
    /// `deliver_notifications`), as the author chose; without a choice, the
    /// organisation's default for its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<bool>,
    /// A postmortem: whether publishing it also posts to the page's Twitter
    /// account (Statuspage's `notify_twitter`), as the author chose; off
    /// unless chosen. `notify` is its `notify_subscribers`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notify_twitter: bool,
    /// The timeline this update tells (a postmortem's), in the order written;
    /// in the incident document, `[[updates.timeline]]` tables. Saved with the
    /// update's revisions like the rest of its text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<TimelineEntry>,
    /// A maintenance's window and Statuspage's automatic steps as from this
    /// update (`[updates.maintenance]`); none: the earlier update's stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<MaintenanceWindow>,
    /// What a postmortem offers the affected customers, one entry per offer;
    /// in the incident document, `[[updates.compensation]]` tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compensation: Vec<Compensation>,
}

impl Update {
    pub fn new(status: Status) -> Update {
        Update {
            status,
            title: None,
            period: None,
            next_update_at: None,
            created_at: None,
            published_at: None,
            ja: UpdateText::default(),
            en: UpdateText::default(),
            notify: None,
            notify_twitter: false,
            timeline: Vec::new(),
            maintenance: None,
            compensation: Vec::new(),
        }
    }

    pub fn text(&self, lang: Lang) -> &UpdateText {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    pub fn text_mut(&mut self, lang: Lang) -> &mut UpdateText {
        match lang {
            Lang::Ja => &mut self.ja,
            Lang::En => &mut self.en,
        }
    }
}

impl Incident {
    pub fn new(kind: Kind) -> Incident {
        Incident {
            kind,
            title: Bilingual::default(),
            impact: Impact::None,
            components: Vec::new(),
            period: None,
            updates: Vec::new(),
        }
    }

    /// The status of the newest update, if there is one.
    pub fn current_status(&self) -> Option<Status> {
        self.updates.last().map(|u| u.status)
    }

    /// The title an update is published under: the newest one given by this
    /// update or an earlier one, else the incident's.
    pub fn title_for(&self, index: usize, lang: Lang) -> &str {
        self.updates
            .iter()
            .take(index.saturating_add(1))
            .rev()
            .find_map(|u| u.title.as_ref())
            .unwrap_or(&self.title)
            .get(lang)
    }

    /// The period an update states: its own, else the incident's.
    pub fn period_for(&self, update: &Update) -> Option<Period> {
        update.period.or(self.period)
    }
}
