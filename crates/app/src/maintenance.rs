//! A maintenance's window in the composer, its checks, and the window that
//! overruns.
//!
//! The composer's form sends the window as the person typed it: local times
//! (`2026-12-10T22:00`) in the organisation's time zone and the automatic
//! steps; Rust reads, checks, describes and saves it ([`check_window`],
//! [`save_window`]). A maintenance whose published window has ended without
//! being completed overruns: [`overrun_notice`] decides what the list and the
//! composer say, and two one-step use cases answer it: [`extend_window`] (a
//! new update from the template with the new end) and
//! [`open_incident_from_maintenance`] (an incident carrying the maintenance's
//! components and period start, linked both ways).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use desk_lint::{Diagnostic, Severity};
use desk_model::{
    AffectedComponent, Bilingual, ComponentStatus, Impact, Incident, Kind, Lang, MaintenanceWindow, Period, PeriodStyle, Status, TimelineEntry,
    WindowState,
};
use desk_store::links::{IncidentLink, Relation};
use desk_store::{StoredIncident, UpdateState};
use desk_templates::TemplateSet;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compose::{Draft, Saved};
use crate::incidents::Preview;
use crate::{AppError, Desk, Result};

/// The composer's maintenance form, as typed: times are local to the
/// organisation's time zone, `YYYY-MM-DDTHH:MM` (an `<input type=datetime-local>`'s value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct WindowForm {
    pub start: String,
    pub end: String,
    /// Minutes before the start; none: no reminder.
    pub remind_before_minutes: Option<u32>,
    pub auto_in_progress: bool,
    pub auto_completed: bool,
    pub notify_at_start: bool,
    pub notify_at_end: bool,
}

/// A maintenance's window as the composer shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MaintenanceView {
    pub form: WindowForm,
    /// The organisation's time zone the form's times are in (`Asia/Tokyo`) and its abbreviation (`JST`).
    pub zone: String,
    pub zone_abbreviation: String,
    /// One line per language: 「メンテナンス予定: 2026/12/10 22:00〜12/11 06:00 (JST)、開始60分前にリマインド…」.
    pub described: Bilingual<String>,
    /// The maintenance checks on the form and on the text's period.
    pub findings: Vec<Diagnostic>,
    /// False while the form shows a proposal nothing was saved for yet.
    pub saved: bool,
}

/// What the list and the composer say about a maintenance that overruns.
#[derive(Debug, Clone, Serialize, Type)]
pub struct OverrunNotice {
    /// How long past its planned end, in minutes.
    pub minutes: u32,
    /// The planned end, in the organisation's style.
    pub ended: Bilingual<String>,
    /// The banner: 「メンテナンスの予定終了時刻 (…) を45分過ぎていますが、完了していません。」.
    pub message: Bilingual<String>,
    /// A new update extending the window is drafted but not yet published.
    pub extension_drafted: bool,
    /// It was already turned into an incident (no second one is offered).
    pub became_incident: Option<u32>,
}

/// A link of an incident as the list and the preview show it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct LinkView {
    pub incident_id: u32,
    /// `became_incident` on the maintenance, `from_maintenance` on the incident.
    pub relation: String,
    /// 「障害 #12 に切り替え (2026/12/11 06:45)」 / "Turned into incident #12 (Dec 11, 2026 06:45 JST)".
    pub label: Bilingual<String>,
    /// When it turned, RFC 3339.
    pub at: String,
}

/// What the preview shows about a maintenance besides its text.
#[derive(Debug, Clone, Default, Serialize, Type)]
pub struct MaintenanceNote {
    /// The shown update's window, described in each language.
    pub window: Option<Bilingual<String>>,
    pub overrun: Option<OverrunNotice>,
    pub links: Vec<LinkView>,
}

/// The organisation's dates settings (its time zone among them).
fn zone(set: &TemplateSet) -> &PeriodStyle {
    &set.settings.dates
}

/// Reads a local time typed in the form.
fn local_time(value: &str, field: &str, style: &PeriodStyle) -> Result<DateTime<Utc>> {
    let tz = style.time_zone;
    let value = value.trim();
    let bad = || {
        AppError::invalid(
            field,
            format!("「{value}」は日時として読めません（例: 2026-12-10T22:00）。"),
            format!("`{value}` is not a date and time (e.g. 2026-12-10T22:00)"),
        )
    };
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .ok_or_else(bad)?;
    tz.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc)).ok_or_else(bad)
}

fn local_text(at: DateTime<Utc>, style: &PeriodStyle) -> String {
    at.with_timezone(&style.time_zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// The window a form gives, read in the organisation's time zone.
pub fn window_from_form(form: &WindowForm, set: &TemplateSet) -> Result<MaintenanceWindow> {
    let tz = zone(set);
    let window = MaintenanceWindow {
        start: local_time(&form.start, "maintenance.start", tz)?,
        end: local_time(&form.end, "maintenance.end", tz)?,
        remind_before_minutes: form.remind_before_minutes,
        auto_in_progress: form.auto_in_progress,
        auto_completed: form.auto_completed,
        notify_at_start: form.notify_at_start,
        notify_at_end: form.notify_at_end,
    };
    if window.remind_before_minutes.is_some_and(|m| m > 7 * 24 * 60) {
        return Err(AppError::invalid(
            "maintenance.remind_before_minutes",
            "リマインドは開始の7日前までにしてください。",
            "the reminder can be at most 7 days before the start",
        ));
    }
    Ok(window)
}

/// The form showing `window`.
pub fn form_of(window: &MaintenanceWindow, set: &TemplateSet) -> WindowForm {
    let tz = zone(set);
    WindowForm {
        start: local_text(window.start, tz),
        end: local_text(window.end, tz),
        remind_before_minutes: window.remind_before_minutes,
        auto_in_progress: window.auto_in_progress,
        auto_completed: window.auto_completed,
        notify_at_start: window.notify_at_start,
        notify_at_end: window.notify_at_end,
    }
}

/// The maintenance checks on update `index` of `incident` at `now`, with its
/// texts as published.
pub fn findings(set: &TemplateSet, lint: &desk_lint::Config, incident: &Incident, index: usize, now: DateTime<Utc>) -> Result<Vec<Diagnostic>> {
    if incident.kind != Kind::Maintenance {
        return Ok(Vec::new());
    }
    let Some(window) = incident.maintenance_for(index) else { return Ok(Vec::new()) };
    let mut bodies = Bilingual::<String>::default();
    for lang in Lang::ALL {
        *bodies.get_mut(lang) = desk_render::render_update(set, incident, index, lang)?.body;
    }
    let mut out = desk_lint::lint_maintenance(&window, incident.updates[index].status, &bodies, now, lint);
    for d in &mut out {
        d.update = Some(index as u32);
    }
    Ok(out)
}

fn view(set: &TemplateSet, window: &MaintenanceWindow, findings: Vec<Diagnostic>, saved: bool) -> MaintenanceView {
    let tz = zone(set);
    MaintenanceView {
        form: form_of(window, set),
        zone: tz.time_zone.name().to_string(),
        zone_abbreviation: window.start.with_timezone(&tz.time_zone).format("%Z").to_string(),
        described: Bilingual::default().map(|lang, _: &String| window.describe(&set.settings.dates, lang)),
        findings,
        saved,
    }
}

/// A window to propose when none is set: from the next full hour, two hours long.
fn proposal(now: DateTime<Utc>) -> MaintenanceWindow {
    use chrono::{Duration, DurationRound};
    let start = now.duration_trunc(Duration::hours(1)).unwrap_or(now) + Duration::hours(1);
    MaintenanceWindow::new(start, start + Duration::hours(2))
}

/// The window of incident `id`'s newest update (the draft's), as the form
/// shows it, with its checks; a proposal when none was set. None for an incident.
pub async fn maintenance_window(desk: &Desk, id: u32) -> Result<Option<MaintenanceView>> {
    let stored = desk.store.load_incident(id as i64).await?;
    let incident = stored.to_incident();
    if incident.kind != Kind::Maintenance || incident.updates.is_empty() {
        return Ok(None);
    }
    let templates = desk.templates().await?;
    let index = incident.updates.len() - 1;
    Ok(Some(match incident.maintenance_for(index) {
        Some(window) => {
            let found = findings(&templates.set, &desk.lint.get(), &incident, index, desk.now())?;
            view(&templates.set, &window, found, true)
        }
        None => view(&templates.set, &proposal(desk.now()), Vec::new(), false),
    }))
}

/// The form as typed, read, checked against the clock and the draft's text
/// as typed (`body`), and described in both languages. Saves nothing.
pub async fn check_window(desk: &Desk, id: u32, status: Status, form: WindowForm, body: Bilingual<String>) -> Result<MaintenanceView> {
    let stored = desk.store.load_incident(id as i64).await?;
    let mut incident = stored.to_incident();
    let templates = desk.templates().await?;
    let window = window_from_form(&form, &templates.set)?;
    let index = incident
        .updates
        .len()
        .checked_sub(1)
        .ok_or_else(|| AppError::not_found("このメンテナンスには下書きがありません。", "the maintenance has no draft"))?;
    let update = &mut incident.updates[index];
    update.status = status;
    update.maintenance = Some(window);
    update.ja.body = Some(body.ja);
    update.en.body = Some(body.en);
    let found = findings(&templates.set, &desk.lint.get(), &incident, index, desk.now())?;
    Ok(view(&templates.set, &window, found, true))
}

/// Saves the form as the draft's window: a new revision, if `version` is
/// still the current one (else a conflict, nothing saved).
pub async fn save_window(desk: &Desk, id: u32, update_id: u32, version: u32, form: WindowForm) -> Result<Saved> {
    let stored = desk.store.load_incident(id as i64).await?;
    if stored.kind != Kind::Maintenance {
        return Err(AppError::invalid("maintenance", "障害にはメンテナンス枠はありません。", "an incident has no maintenance window"));
    }
    let templates = desk.templates().await?;
    let window = window_from_form(&form, &templates.set)?;
    let row = stored
        .updates
        .iter()
        .find(|u| u.id == update_id as i64 && u.state == UpdateState::Draft)
        .ok_or_else(|| AppError::not_found("その下書きはありません。", "that draft does not exist"))?;
    let mut update = row.update.clone();
    update.maintenance = Some(window);
    // The text's {{period}} states the window.
    update.period = Some(window.period());
    let saved = desk.store.save_draft(update_id as i64, version as i64, &update, &desk.actor).await?;
    desk.draft_contexts.read(desk, id).await?;
    Ok(Saved { version: saved.number as u32 })
}

/// The newest published window and status of a maintenance.
fn published(stored: &StoredIncident) -> Incident {
    let mut incident = stored.to_incident();
    let published: Vec<bool> = stored.updates.iter().map(|u| u.state == UpdateState::Published).collect();
    let mut i = 0;
    incident.updates.retain(|_| {
        let keep = published[i];
        i += 1;
        keep
    });
    incident
}

/// Whether the maintenance overruns at `now` and what to say: judged on
/// what is published (readers see that window); a draft extending it is
/// mentioned, not counted, until it is published.
pub fn overrun_notice(set: &TemplateSet, stored: &StoredIncident, links: &[IncidentLink], now: DateTime<Utc>) -> Option<OverrunNotice> {
    if stored.kind != Kind::Maintenance {
        return None;
    }
    let on_page = published(stored);
    let WindowState::Overrun { minutes } = on_page.window_state(now) else { return None };
    let window = on_page.maintenance_window()?;
    let style = &set.settings.dates;
    let ended = Bilingual::default().map(|lang, _: &String| style.format_instant(window.end, lang));
    let all = stored.to_incident();
    let extension_drafted = stored.updates.last().is_some_and(|u| u.state == UpdateState::Draft)
        && all.maintenance_window().is_some_and(|w| w.end > window.end);
    let became_incident = links.iter().find(|l| l.relation == Relation::BecameIncident).map(|l| l.linked_id as u32);
    let late = duration_words(minutes);
    let mut message = Bilingual {
        ja: format!("メンテナンスの予定終了時刻 ({}) を{}過ぎていますが、完了していません。", ended.ja, late.ja),
        en: format!("This maintenance was planned to end at {} and is {} over, not completed.", ended.en, late.en),
    };
    if extension_drafted {
        message.ja.push_str("延長の更新は下書きのままです。");
        message.en.push_str(" The extension is drafted, not yet published.");
    }
    Some(OverrunNotice { minutes, ended, message, extension_drafted, became_incident })
}

/// `1時間5分` / `1 h 5 min`.
fn duration_words(minutes: u32) -> Bilingual<String> {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => Bilingual { ja: format!("{m}分"), en: format!("{m} min") },
        (h, 0) => Bilingual { ja: format!("{h}時間"), en: format!("{h} h") },
        (h, m) => Bilingual { ja: format!("{h}時間{m}分"), en: format!("{h} h {m} min") },
    }
}

/// How the list and the preview show a link.
pub fn link_view(set: &TemplateSet, link: &IncidentLink) -> LinkView {
    let style = &set.settings.dates;
    let at = Bilingual::default().map(|lang, _: &String| style.format_instant(link.linked_at, lang));
    let other = link.linked_id;
    let label = match link.relation {
        Relation::BecameIncident => Bilingual {
            ja: format!("障害 #{other} に切り替え ({})", at.ja),
            en: format!("Turned into incident #{other} ({})", at.en),
        },
        Relation::FromMaintenance => Bilingual {
            ja: format!("メンテナンス #{other} から切り替え ({})", at.ja),
            en: format!("Opened from maintenance #{other} ({})", at.en),
        },
    };
    LinkView { incident_id: other as u32, relation: link.relation.as_str().to_string(), label, at: link.linked_at.to_rfc3339() }
}

/// What a preview of `incident` shows about its window, overrun and links.
pub(crate) fn note(set: &TemplateSet, stored: &StoredIncident, incident: &Incident, index: usize, links: &[IncidentLink], now: DateTime<Utc>) -> MaintenanceNote {
    MaintenanceNote {
        window: incident
            .maintenance_for(index)
            .filter(|_| incident.kind == Kind::Maintenance)
            .map(|w| Bilingual::default().map(|lang, _: &String| w.describe(&set.settings.dates, lang))),
        overrun: overrun_notice(set, stored, links, now),
        links: links.iter().map(|l| link_view(set, l)).collect(),
    }
}

/// Adds the maintenance checks and the note to a preview; the checks'
/// errors block publishing like the text's.
pub(crate) fn annotate(
    preview: &mut Preview,
    set: &TemplateSet,
    lint: &desk_lint::Config,
    stored: &StoredIncident,
    incident: &Incident,
    links: &[IncidentLink],
    now: DateTime<Utc>,
) -> Result<()> {
    let index = preview.update_index as usize;
    let extra = findings(set, lint, incident, index, now)?;
    if !extra.is_empty() {
        preview.diagnostics.extend(extra);
        preview.diagnostics.sort_by_key(|d| d.severity as u8);
        let errors = preview.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        preview.publish_blocked = (errors > 0).then(|| Bilingual {
            ja: format!("エラーが {errors} 件あるため公開できません。"),
            en: format!("{errors} error(s) must be fixed before publishing."),
        });
    }
    preview.maintenance = note(set, stored, incident, index, links, now);
    Ok(())
}

/// Extends an overrunning (or running) maintenance to `new_end` (local time
/// in the organisation's zone): a new update from the template, in progress
/// (or the status it has, once begun), stating the new window, with the
/// fields updated; when the newest update is still a draft, that draft's
/// window is moved instead. Answers the draft to review and publish.
pub async fn extend_window(desk: &Desk, id: u32, new_end: &str) -> Result<Draft> {
    let stored = desk.store.load_incident(id as i64).await?;
    let incident = stored.to_incident();
    if incident.kind != Kind::Maintenance {
        return Err(AppError::invalid("id", "延長できるのはメンテナンスだけです。", "only a maintenance can be extended"));
    }
    if incident.current_status() == Some(Status::Completed) {
        return Err(AppError::refused("このメンテナンスは完了しています。", "this maintenance is completed"));
    }
    let window = incident
        .maintenance_window()
        .ok_or_else(|| AppError::invalid("maintenance", "このメンテナンスには枠がありません。", "this maintenance has no window to extend"))?;
    let templates = desk.templates().await?;
    let tz = zone(&templates.set);
    let end = local_time(new_end, "new_end", tz)?;
    let now = desk.now();
    if end <= window.end || end <= now {
        let style = &templates.set.settings.dates;
        let floor = window.end.max(now);
        return Err(AppError::invalid(
            "new_end",
            format!("新しい終了時刻は {} より後にしてください。", style.format_instant(floor, Lang::Ja)),
            format!("the new end must be after {}", style.format_instant(floor, Lang::En)),
        ));
    }
    let extended = window.extended_to(end);
    let draft = match stored.updates.last() {
        Some(row) if row.state == UpdateState::Draft => {
            crate::compose::open_draft(desk, id).await?.ok_or_else(|| AppError::not_found("下書きがありません。", "no draft"))?
        }
        _ => {
            let status = match incident.current_status() {
                Some(Status::Scheduled) | None => Status::InProgress,
                Some(s) => s,
            };
            crate::compose::start_update(desk, id, status).await?
        }
    };
    let stored = desk.store.load_incident(id as i64).await?;
    let row = stored.updates.iter().find(|u| u.id == draft.update_id as i64).expect("the draft just opened");
    let mut update = row.update.clone();
    update.maintenance = Some(extended);
    update.period = Some(extended.period());
    update.next_update_at = Some(end);
    // The sections the maintenance's last update told, with a note on the
    // extension, no markers to fill: the template writes the body again, so
    // it states the new window and is ready to publish as it is.
    if let Some(before) = stored.updates.iter().rev().find(|u| u.id != row.id) {
        update.ja = before.update.ja.clone();
        update.en = before.update.en.clone();
    }
    // Sections nobody wrote (still the template's marker) are left out.
    for lang in Lang::ALL {
        let marker = crate::compose::TO_FILL.get(lang);
        let text = update.text_mut(lang);
        for kind in desk_model::SectionKind::ALL {
            if let Some(section) = text.section_mut(kind) {
                if section.trim() == *marker {
                    section.clear();
                }
            }
        }
    }
    let style = &templates.set.settings.dates;
    update.ja.note = format!("作業に想定より時間がかかっているため、終了予定を{}に延長いたします。", style.format_instant(end, Lang::Ja));
    update.en.note = format!("The work is taking longer than planned: we have extended the window to {}.", style.format_instant(end, Lang::En));
    update.ja.body = None;
    update.en.body = None;
    desk.store.save_draft(row.id, row.version, &update, &desk.actor).await?;
    desk.draft_contexts.forget();
    crate::compose::open_draft(desk, id).await?.ok_or_else(|| AppError::not_found("下書きがありません。", "no draft"))
}

/// Opens an incident from a maintenance that turned into one: its title,
/// its components (now in a major outage), its period from the window's
/// start, linked both ways as of now; the incident's first update is drafted
/// from the template. Once per maintenance.
pub async fn open_incident_from_maintenance(desk: &Desk, id: u32) -> Result<Draft> {
    let stored = desk.store.load_incident(id as i64).await?;
    let maintenance = stored.to_incident();
    if maintenance.kind != Kind::Maintenance {
        return Err(AppError::invalid("id", "障害に切り替えられるのはメンテナンスだけです。", "only a maintenance can turn into an incident"));
    }
    let links = desk.store.incident_links(id as i64).await?;
    if let Some(done) = links.iter().find(|l| l.relation == Relation::BecameIncident) {
        return Err(AppError::refused(
            format!("このメンテナンスはすでに障害 #{} に切り替えています。", done.linked_id),
            format!("this maintenance already turned into incident #{}", done.linked_id),
        ));
    }
    let now = desk.now();
    let start = maintenance.maintenance_window().map(|w| w.start).or(maintenance.period.map(|p| p.start)).unwrap_or(now);
    // The title the maintenance is published under now (the author's, without the status prefix).
    let newest = maintenance.updates.len().saturating_sub(1);
    let title = Bilingual::default().map(|lang, _: &String| maintenance.title_for(newest, lang).to_string());
    let new_id = desk.store.create_incident(Kind::Incident, &title, &desk.actor).await?;
    let created = desk.store.load_incident(new_id).await?;
    let mut incident = created.to_incident();
    incident.impact = Impact::Major;
    incident.components = maintenance
        .components
        .iter()
        .map(|c| AffectedComponent { name: c.name.clone(), status: ComponentStatus::MajorOutage })
        .collect();
    incident.period = Some(Period { start, end: None, approximate: false });
    desk.store.save_incident_meta(new_id, created.version, &incident, &desk.actor).await?;
    desk.store.link_maintenance_to_incident(id as i64, new_id, now, &desk.actor).await?;
    crate::compose::start_update(desk, new_id as u32, Kind::Incident.statuses()[0]).await
}

/// The moment a linked maintenance turned into this incident, as a timeline
/// entry: 「メンテナンスから障害に切り替え」 / "Maintenance turned into an incident".
pub fn link_entries(links: &[IncidentLink]) -> Vec<TimelineEntry> {
    links
        .iter()
        .filter(|l| l.relation == Relation::FromMaintenance)
        .map(|l| TimelineEntry {
            at: l.linked_at,
            approximate: false,
            status: None,
            ja: "メンテナンスから障害に切り替え".into(),
            en: "Maintenance turned into an incident".into(),
        })
        .collect()
}

/// Puts the link entries into a postmortem's timeline, in time order, once.
pub(crate) fn add_link_entries(timeline: &mut Vec<TimelineEntry>, links: &[IncidentLink]) {
    for entry in link_entries(links) {
        if timeline.iter().any(|e| e.at == entry.at && e.ja == entry.ja) {
            continue;
        }
        let at = timeline.iter().position(|e| e.at > entry.at).unwrap_or(timeline.len());
        timeline.insert(at, entry);
    }
}
