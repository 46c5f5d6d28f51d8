//! The incident list and any update as Statuspage will show it, in both
//! languages, with what the linter says about it.

use desk_lint::{Diagnostic, Severity};
use desk_model::{Bilingual, Impact, Incident, Kind, Lang, Status};
use desk_render::{combine, markdown_to_safe_html, render_update, Announcement};
use desk_store::{ListQuery, StoredIncident, UpdateState};
use desk_templates::TemplateSet;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{AppError, Desk, Result};

/// One row of the incident list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct IncidentSummary {
    pub id: u32,
    pub kind: Kind,
    pub impact: Impact,
    /// The newest update's status; none while nothing was written yet.
    pub status: Option<Status>,
    pub status_label: Bilingual<String>,
    /// The title as the newest update publishes it.
    pub title: Bilingual<String>,
    /// The period, written in each language's style.
    pub period: Bilingual<String>,
    pub update_count: u32,
    /// True while the incident (or maintenance) is still going on.
    pub open: bool,
    /// A maintenance past its published window's end and not completed.
    pub overrun: Option<crate::maintenance::OverrunNotice>,
    /// The maintenance it was opened from, or the incident it turned into.
    pub links: Vec<crate::maintenance::LinkView>,
}

/// One update in an incident's timeline.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineEntry {
    pub status: Status,
    pub status_label: Bilingual<String>,
    /// When it was published (or created), in the organisation's style; empty when unknown.
    pub at: Bilingual<String>,
    /// False while it is a draft.
    pub published: bool,
}

/// A title and body as Statuspage will show them: the body is sanitized HTML.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PreviewPage {
    pub title: String,
    pub html: String,
}

/// An update as readers will see it, per language and combined, with what
/// the linter says about it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Preview {
    pub id: u32,
    /// Which update is shown, counting from 0 (the oldest).
    pub update_index: u32,
    pub timeline: Vec<TimelineEntry>,
    pub ja: PreviewPage,
    pub en: PreviewPage,
    /// Both languages on one page, in the organisation's layout.
    pub combined: PreviewPage,
    /// The linter's findings on this update, errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// Why it cannot be published now; none when it can.
    pub publish_blocked: Option<Bilingual<String>>,
    /// A postmortem's timeline picture, and where each timeline row is written.
    pub timeline_table: Option<crate::timeline_table::TimelineShown>,
    /// A maintenance's window, overrun and links (an incident's links too).
    pub maintenance: crate::maintenance::MaintenanceNote,
}

/// Which pages of a preview are wanted: typing asks only for what the
/// preview pane shows, so a keystroke renders, sanitizes and sends no HTML
/// nobody sees (at 25,000 characters the combined page is as long as both
/// languages together).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PreviewPages {
    /// The Japanese, the English and the combined page.
    #[default]
    All,
    /// The Japanese and the English page; the combined page comes without its HTML.
    PerLanguage,
    /// The combined page; the Japanese and English pages come without their HTML.
    Combined,
}

impl PreviewPages {
    fn per_language(self) -> bool {
        self != PreviewPages::Combined
    }

    fn combined(self) -> bool {
        self != PreviewPages::PerLanguage
    }
}

/// How many incidents the list shows.
const LIST_LIMIT: i64 = 200;

/// Every incident, open ones first, then newest first.
pub async fn list(desk: &Desk) -> Result<Vec<IncidentSummary>> {
    let incidents = desk.store.load_incidents(&ListQuery { limit: LIST_LIMIT, ..ListQuery::default() }).await?;
    let templates = desk.templates().await?;
    let links = desk.store.all_incident_links().await?;
    let now = desk.now();
    let mut out: Vec<IncidentSummary> = incidents
        .iter()
        .map(|stored| {
            let mut summary = summarise(&templates.set, stored.id as u32, &stored.to_incident());
            let own: Vec<_> = links.iter().filter(|l| l.incident_id == stored.id).cloned().collect();
            summary.overrun = crate::maintenance::overrun_notice(&templates.set, stored, &own, now);
            summary.links = own.iter().map(|l| crate::maintenance::link_view(&templates.set, l)).collect();
            summary
        })
        .collect();
    // Open first; within each group, the store's order (newest first).
    out.sort_by_key(|s| !s.open);
    Ok(out)
}

/// One update of one incident, rendered; the newest when `update` is none.
pub async fn preview_incident(desk: &Desk, id: u32, update: Option<u32>) -> Result<Preview> {
    let stored = desk.store.load_incident(id as i64).await?;
    let templates = desk.templates().await?;
    let incident = stored.to_incident();
    let index = pick(&incident, update)?;
    let history = history(&templates.set, &incident, index, &desk.lint.get())?;
    let mut shown = preview(&templates.set, &desk.lint.get(), &incident, id, index, &published_flags(&stored), &history, PreviewPages::All)?;
    let links = desk.store.incident_links(id as i64).await?;
    crate::maintenance::annotate(&mut shown, &templates.set, &desk.lint.get(), &stored, &incident, &links, desk.now())?;
    Ok(shown)
}

/// What the updates before update `index` carry into its lint, as published.
pub(crate) fn history(set: &TemplateSet, incident: &Incident, index: usize, lint: &desk_lint::Config) -> Result<desk_lint::History> {
    let before = (0..index).map(|i| desk_lint::published::published_update(set, incident, i)).collect::<Result<Vec<_>, _>>()?;
    Ok(desk_lint::History::of(&before, lint))
}

/// Which updates are on the page.
pub(crate) fn published_flags(stored: &StoredIncident) -> Vec<bool> {
    stored.updates.iter().map(|u| u.state == UpdateState::Published).collect()
}

/// The update `update` names (0-based), else the newest.
pub(crate) fn pick(incident: &Incident, update: Option<u32>) -> Result<usize> {
    let count = incident.updates.len();
    match update {
        _ if count == 0 => Err(AppError::not_found("このインシデントにはまだ更新がありません。", "the incident has no updates yet")),
        None => Ok(count - 1),
        Some(i) if (i as usize) < count => Ok(i as usize),
        Some(i) => Err(AppError::not_found(
            format!("{} 番目の更新はありません（更新は {count} 件です）。", i + 1),
            format!("there is no update {}; the incident has {count}", i + 1),
        )),
    }
}

/// Update `index` rendered in both languages, with its timeline and the
/// linter's findings on it: each language rendered once, and only this
/// update linted, against `history` (what the updates before it carry).
/// Only the `pages` asked for carry their HTML; every title is there.
#[allow(clippy::too_many_arguments)]
pub(crate) fn preview(
    set: &TemplateSet,
    lint: &desk_lint::Config,
    incident: &Incident,
    id: u32,
    index: usize,
    published: &[bool],
    history: &desk_lint::History,
    pages: PreviewPages,
) -> Result<Preview> {
    let ja = render_update(set, incident, index, Lang::Ja)?;
    let en = render_update(set, incident, index, Lang::En)?;
    let combined = combine(&ja, &en, &set.settings.layout);
    let style = &set.settings.dates;
    let timeline = incident
        .updates
        .iter()
        .enumerate()
        .map(|(i, u)| TimelineEntry {
            status: u.status,
            status_label: crate::facts::label(u.status),
            at: Bilingual::default().map(|lang, _: &String| {
                u.published_at.or(u.created_at).map(|t| style.format_instant(t, lang)).unwrap_or_default()
            }),
            published: published.get(i).copied().unwrap_or(false),
        })
        .collect();
    let update = &incident.updates[index];
    let linted = desk_lint::LintUpdate {
        status: update.status,
        title: Bilingual { ja: ja.title.clone(), en: en.title.clone() },
        body: Bilingual { ja: ja.body.clone(), en: en.body.clone() },
        period: incident.period_for(update),
        next_update_at: update.next_update_at,
    };
    let mut diagnostics = desk_lint::lint_next(history, &linted, lint);
    diagnostics.sort_by_key(|d| d.severity as u8);
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let publish_blocked = (errors > 0).then(|| Bilingual {
        ja: format!("エラーが {errors} 件あるため公開できません。"),
        en: format!("{errors} error(s) must be fixed before publishing."),
    });
    Ok(Preview {
        id,
        update_index: index as u32,
        timeline,
        ja: page(&ja, pages.per_language()),
        en: page(&en, pages.per_language()),
        combined: page(&combined, pages.combined()),
        diagnostics,
        publish_blocked,
        timeline_table: crate::timeline_table::shown(incident, index, style, &Bilingual { ja: ja.body.clone(), en: en.body.clone() }),
        maintenance: Default::default(),
    })
}

/// The page's title, and its body as sanitized HTML when `html` is wanted (else empty).
fn page(a: &Announcement, html: bool) -> PreviewPage {
    PreviewPage { title: a.title.clone(), html: if html { markdown_to_safe_html(&a.body) } else { String::new() } }
}

pub(crate) fn summarise(set: &TemplateSet, id: u32, incident: &Incident) -> IncidentSummary {
    let status = incident.current_status();
    let newest = incident.updates.len().checked_sub(1);
    let title = Bilingual::default().map(|lang, _: &String| match newest {
        Some(i) => render_update(set, incident, i, lang).map(|a| a.title).unwrap_or_default(),
        None => incident.title.get(lang).clone(),
    });
    let period = Bilingual::default().map(|lang, _: &String| {
        let p = newest.and_then(|i| incident.period_for(&incident.updates[i])).or(incident.period);
        p.map(|p| set.settings.dates.format_period(&p, lang)).unwrap_or_default()
    });
    IncidentSummary {
        id,
        kind: incident.kind,
        impact: incident.impact,
        status,
        status_label: status.map(crate::facts::label).unwrap_or_default(),
        title,
        period,
        update_count: incident.updates.len() as u32,
        open: status.is_none_or(|s| !s.is_closed()),
        overrun: None,
        links: Vec::new(),
    }
}
