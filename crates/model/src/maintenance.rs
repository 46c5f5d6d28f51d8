//! A maintenance's window and what Statuspage does on its own around it.
//!
//! A maintenance update carries its window (`Update::maintenance`, in the
//! incident document an `[updates.maintenance]` table), so it is saved with
//! the draft's revisions like the text; a later update that moves the window
//! (an extension) carries the new one. The newest window given up to an
//! update is the one published with it ([`Incident::maintenance_for`]).
//!
//! ```toml
//! [updates.maintenance]
//! start = 2026-12-10T22:00:00+09:00
//! end = 2026-12-11T06:00:00+09:00
//! remind_before_minutes = 60
//! auto_in_progress = true
//! auto_completed = true
//! notify_at_start = true
//! notify_at_end = true
//! ```
//!
//! Statuspage's fields, as the publish engine sends them: `scheduled_for`,
//! `scheduled_until`, `scheduled_remind_prior` (a reminder is wanted; the
//! API takes no lead time, the page's reminder setting decides it, and
//! `remind_before_minutes` is what the announcement tells and the checks use),
//! `scheduled_auto_in_progress` with `auto_transition_to_maintenance_state`
//! (the components go under maintenance with the status),
//! `scheduled_auto_completed` with `auto_transition_to_operational_state`,
//! `auto_transition_deliver_notifications_at_start` / `_at_end`.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incident::{Incident, Lang, Status};
use crate::period::{Period, PeriodStyle};

/// A maintenance's planned window and Statuspage's automatic steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceWindow {
    /// When the work begins (`scheduled_for`).
    #[serde(with = "crate::period::timestamp")]
    #[specta(type = String)]
    pub start: DateTime<Utc>,
    /// When it is planned to end (`scheduled_until`).
    #[serde(with = "crate::period::timestamp")]
    #[specta(type = String)]
    pub end: DateTime<Utc>,
    /// Remind subscribers this many minutes before the start; none: no reminder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_before_minutes: Option<u32>,
    /// Statuspage moves it to in progress at the start by itself.
    #[serde(default)]
    pub auto_in_progress: bool,
    /// Statuspage moves it to completed at the end by itself.
    #[serde(default)]
    pub auto_completed: bool,
    /// The automatic start notifies subscribers.
    #[serde(default)]
    pub notify_at_start: bool,
    /// The automatic completion notifies subscribers.
    #[serde(default)]
    pub notify_at_end: bool,
}

impl MaintenanceWindow {
    /// A window with every automatic step on and a reminder an hour before.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> MaintenanceWindow {
        MaintenanceWindow {
            start,
            end,
            remind_before_minutes: Some(60),
            auto_in_progress: true,
            auto_completed: true,
            notify_at_start: true,
            notify_at_end: true,
        }
    }

    /// When the reminder goes out, if one is wanted.
    pub fn reminder_at(&self) -> Option<DateTime<Utc>> {
        self.remind_before_minutes.map(|m| self.start - Duration::minutes(i64::from(m)))
    }

    /// The window as a period (exact times).
    pub fn period(&self) -> Period {
        Period { start: self.start, end: Some(self.end), approximate: false }
    }

    /// The same window ending at `end`.
    pub fn extended_to(&self, end: DateTime<Utc>) -> MaintenanceWindow {
        MaintenanceWindow { end, ..*self }
    }

    /// One line for people, in the organisation's time zone:
    /// `メンテナンス予定: 2026/12/10 22:00〜12/11 06:00 (JST)、開始60分前にリマインド、自動で開始・完了` /
    /// `Scheduled maintenance: Dec 10, 2026 22:00 – Dec 11, 2026 06:00 JST; reminder 60 minutes before; starts and completes automatically`.
    pub fn describe(&self, style: &PeriodStyle, lang: Lang) -> String {
        let zone = style.time_zone;
        let start = self.start.with_timezone(&zone);
        let end = self.end.with_timezone(&zone);
        let abbr = start.format("%Z").to_string();
        let same_year = start.format("%Y").to_string() == end.format("%Y").to_string();
        let same_day = start.date_naive() == end.date_naive();
        match lang {
            Lang::Ja => {
                let end_text = if same_day {
                    end.format("%H:%M").to_string()
                } else if same_year {
                    end.format("%m/%d %H:%M").to_string()
                } else {
                    end.format("%Y/%m/%d %H:%M").to_string()
                };
                let mut out = format!("メンテナンス予定: {}〜{} ({abbr})", start.format("%Y/%m/%d %H:%M"), end_text);
                match self.remind_before_minutes {
                    Some(m) => out.push_str(&format!("、開始{m}分前にリマインド")),
                    None => out.push_str("、リマインドなし"),
                }
                let auto = match (self.auto_in_progress, self.auto_completed) {
                    (true, true) => Some("自動で開始・完了"),
                    (true, false) => Some("自動で開始"),
                    (false, true) => Some("自動で完了"),
                    (false, false) => None,
                };
                if let Some(a) = auto {
                    out.push('、');
                    out.push_str(a);
                    let quiet = (self.auto_in_progress && !self.notify_at_start) || (self.auto_completed && !self.notify_at_end);
                    if quiet {
                        out.push_str(&format!(
                            "（通知: 開始{}・完了{}）",
                            if self.notify_at_start { "あり" } else { "なし" },
                            if self.notify_at_end { "あり" } else { "なし" }
                        ));
                    }
                }
                out
            }
            Lang::En => {
                let end_text = if same_day { end.format("%H:%M").to_string() } else { end.format("%b %-d, %Y %H:%M").to_string() };
                let mut out = format!("Scheduled maintenance: {} – {} {abbr}", start.format("%b %-d, %Y %H:%M"), end_text);
                match self.remind_before_minutes {
                    Some(m) => out.push_str(&format!("; reminder {m} minutes before the start")),
                    None => out.push_str("; no reminder"),
                }
                let auto = match (self.auto_in_progress, self.auto_completed) {
                    (true, true) => Some("starts and completes automatically"),
                    (true, false) => Some("starts automatically"),
                    (false, true) => Some("completes automatically"),
                    (false, false) => None,
                };
                if let Some(a) = auto {
                    out.push_str("; ");
                    out.push_str(a);
                    let quiet = (self.auto_in_progress && !self.notify_at_start) || (self.auto_completed && !self.notify_at_end);
                    if quiet {
                        out.push_str(&format!(
                            " (notifies at the start: {}, at the end: {})",
                            if self.notify_at_start { "yes" } else { "no" },
                            if self.notify_at_end { "yes" } else { "no" }
                        ));
                    }
                }
                out
            }
        }
    }
}

/// Where a maintenance stands against its window at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum WindowState {
    /// Not a maintenance, or no window given.
    None,
    /// The window has not begun.
    Upcoming,
    /// Inside the window.
    Open,
    /// Past its end and not completed: overrunning by `minutes`.
    Overrun { minutes: u32 },
    /// Completed.
    Done,
}

impl Incident {
    /// The window an update is published with: the newest one given by it
    /// or an update before it.
    pub fn maintenance_for(&self, index: usize) -> Option<MaintenanceWindow> {
        self.updates.iter().take(index.saturating_add(1)).rev().find_map(|u| u.maintenance)
    }

    /// The newest window any update gives.
    pub fn maintenance_window(&self) -> Option<MaintenanceWindow> {
        self.updates.iter().rev().find_map(|u| u.maintenance)
    }

    /// Where this maintenance stands at `now`, judged by its newest window
    /// and its newest update (a draft extending the window counts: the app
    /// asks again once it is published).
    pub fn window_state(&self, now: DateTime<Utc>) -> WindowState {
        if self.kind != crate::incident::Kind::Maintenance {
            return WindowState::None;
        }
        let Some(window) = self.maintenance_window() else { return WindowState::None };
        if self.current_status() == Some(Status::Completed) {
            return WindowState::Done;
        }
        if now < window.start {
            WindowState::Upcoming
        } else if now <= window.end {
            WindowState::Open
        } else {
            let minutes = (now - window.end).num_minutes().clamp(0, i64::from(u32::MAX)) as u32;
            WindowState::Overrun { minutes }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Kind, Update};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn window() -> MaintenanceWindow {
        MaintenanceWindow::new(at("2026-12-10T22:00:00+09:00"), at("2026-12-11T06:00:00+09:00"))
    }

    #[test]
    fn described_in_both_languages_in_the_organisations_zone() {
        let style = PeriodStyle::default();
        assert_eq!(
            window().describe(&style, Lang::Ja),
            "メンテナンス予定: 2026/12/10 22:00〜12/11 06:00 (JST)、開始60分前にリマインド、自動で開始・完了"
        );
        assert_eq!(
            window().describe(&style, Lang::En),
            "Scheduled maintenance: Dec 10, 2026 22:00 – Dec 11, 2026 06:00 JST; reminder 60 minutes before the start; starts and completes automatically"
        );
        let quiet = MaintenanceWindow { remind_before_minutes: None, notify_at_end: false, ..window() };
        assert!(quiet.describe(&style, Lang::Ja).ends_with("リマインドなし、自動で開始・完了（通知: 開始あり・完了なし）"), "{}", quiet.describe(&style, Lang::Ja));
        assert!(quiet.describe(&style, Lang::En).ends_with("(notifies at the start: yes, at the end: no)"));
    }

    #[test]
    fn the_state_follows_the_clock_and_the_newest_window() {
        let mut m = Incident::new(Kind::Maintenance);
        let mut first = Update::new(Status::Scheduled);
        first.maintenance = Some(window());
        m.updates.push(first);
        assert_eq!(m.window_state(at("2026-12-10T21:00:00+09:00")), WindowState::Upcoming);
        assert_eq!(m.window_state(at("2026-12-11T01:00:00+09:00")), WindowState::Open);
        assert_eq!(m.window_state(at("2026-12-11T06:45:00+09:00")), WindowState::Overrun { minutes: 45 });
        let mut longer = Update::new(Status::InProgress);
        longer.maintenance = Some(window().extended_to(at("2026-12-11T09:00:00+09:00")));
        m.updates.push(longer);
        assert_eq!(m.window_state(at("2026-12-11T06:45:00+09:00")), WindowState::Open);
        assert_eq!(m.maintenance_for(0).unwrap().end, at("2026-12-11T06:00:00+09:00"));
        m.updates.push(Update::new(Status::Completed));
        assert_eq!(m.maintenance_for(2).unwrap().end, at("2026-12-11T09:00:00+09:00"));
        assert_eq!(m.window_state(at("2026-12-11T12:00:00+09:00")), WindowState::Done);
        assert_eq!(Incident::new(Kind::Incident).window_state(at("2026-12-11T12:00:00+09:00")), WindowState::None);
    }

    #[test]
    fn the_reminder_is_counted_back_from_the_start() {
        assert_eq!(window().reminder_at(), Some(at("2026-12-10T21:00:00+09:00")));
    }
}
