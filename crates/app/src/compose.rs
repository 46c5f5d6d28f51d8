//! Writing an update: start an incident or an update from the
//! organisation's template, preview the text as it is typed, reword it for
//! another status, and save it as a draft revision (autosave) with the
//! store's version check. `desk new` writes its document from here too.

use chrono::{DateTime, Duration, DurationRound, Utc};
use desk_model::{Bilingual, Incident, Kind, Lang, Period, SectionKind, Status, Update};
use desk_render::render_update;
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;

use std::sync::{Arc, Mutex};

use crate::incidents::{history, preview, published_flags, Preview, PreviewPages};
use crate::library::ActiveTemplates;
use crate::{AppError, Desk, Result};

/// Marks what the author still has to write; the linter reports it.
pub(crate) const TO_FILL: Bilingual<&str> = Bilingual { ja: "【要記入】", en: "[TBD]" };

/// A draft update being written.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Draft {
    pub incident_id: u32,
    pub update_id: u32,
    /// The revision the text comes from: pass it back when saving.
    pub version: u32,
    pub status: Status,
    /// The statuses this kind of announcement can take.
    pub statuses: Vec<Status>,
    pub title: Bilingual<String>,
    pub body: Bilingual<String>,
    /// Whether publishing it notifies subscribers, as the author chose; none
    /// for the organisation's default for its status.
    pub notify: Option<bool>,
    /// The statuses whose updates do not notify by default (the
    /// organisation's settings), for saying what the default is.
    pub quiet_statuses: Vec<Status>,
}

/// A save that went through.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Saved {
    pub version: u32,
}

/// A new incident (or maintenance) with its first update from the template.
pub async fn new_incident(desk: &Desk, kind: Kind) -> Result<Draft> {
    let title = TO_FILL.map(|_, s| s.to_string());
    let id = desk.store.create_incident(kind, &title, &desk.actor).await?;
    start_update(desk, id as u32, kind.statuses()[0]).await
}

/// The incident's newest update when it is a draft; none otherwise.
pub async fn open_draft(desk: &Desk, id: u32) -> Result<Option<Draft>> {
    // Read once, and kept: the draft's live previews start from here.
    let context = desk.draft_contexts.read(desk, id).await?;
    let stored = &context.stored;
    let Some(row) = stored.updates.last().filter(|u| u.state == desk_store::UpdateState::Draft) else {
        return Ok(None);
    };
    let index = stored.updates.len() - 1;
    let quiet = quiet_statuses(desk);
    Ok(Some(draft_view(&context.templates.set, &stored.to_incident(), id, row.id, row.version, index, quiet)?))
}

/// The incident's preview with the draft's text as typed (not saved), and
/// what the linter says about it. It reads nothing from the database: the
/// draft's context is what [`DraftContexts`] keeps (`kept`, else `read` it
/// first). The draft is rendered once per language and only it is linted,
/// against the updates before it as the context keeps them; only the
/// `pages` the preview pane shows carry their HTML.
pub fn preview_draft(
    desk: &Desk,
    context: &DraftContext,
    status: Status,
    title: &Bilingual<String>,
    body: &Bilingual<String>,
    pages: PreviewPages,
) -> Result<Preview> {
    let id = context.id;
    let (incident, index) = context.as_typed(status, title, body)?;
    let mut shown = preview(&context.templates.set, &desk.lint.get(), &incident, id, index, &published_flags(&context.stored), &context.history, pages)?;
    crate::maintenance::annotate(&mut shown, &context.templates.set, &desk.lint.get(), &context.stored, &incident, &context.links, desk.now())?;
    if let Some(table) = shown.timeline_table.as_mut() {
        // The rows' lines in the text as typed.
        crate::timeline_table::retarget(table, &incident.updates[index].timeline, &context.templates.set.settings.dates, body);
    }
    // The editors show the text as typed: the findings point into it.
    let published_title = Bilingual { ja: shown.ja.title.clone(), en: shown.en.title.clone() };
    let typed = desk_lint::typed::Typed { title, body, published_title: &published_title };
    desk_lint::typed::onto_typed(&mut shown.diagnostics, &typed);
    Ok(shown)
}

/// What a draft's live preview needs besides the typed text: the incident as
/// stored and the active templates. Read when the draft opens and again at
/// every save (off the typing path), so a keystroke reads nothing; what the
/// app itself changes about an incident (a publish, a new update) drops it
/// at once. Someone else's change (team mode) shows from the next save.
#[derive(Default)]
pub struct DraftContexts {
    kept: Mutex<Option<Arc<DraftContext>>>,
}

pub struct DraftContext {
    id: u32,
    stored: desk_store::StoredIncident,
    templates: Arc<ActiveTemplates>,
    /// What the updates before the draft carry into its lint (periods,
    /// styles, earlier bodies), worked out once per context.
    history: desk_lint::History,
    /// Its links to other incidents (a maintenance turned into an incident).
    links: Vec<desk_store::links::IncidentLink>,
}

impl DraftContexts {
    /// The context of incident `id`, when one is kept.
    pub fn kept(&self, id: u32) -> Option<Arc<DraftContext>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).clone();
        kept.filter(|c| c.id == id)
    }

    /// Reads incident `id` and the active templates, and keeps them.
    pub async fn read(&self, desk: &Desk, id: u32) -> Result<Arc<DraftContext>> {
        let stored = desk.store.load_incident(id as i64).await?;
        let templates = desk.templates().await?;
        let incident = stored.to_incident();
        let history = history(&templates.set, &incident, incident.updates.len().saturating_sub(1), &desk.lint.get())?;
        let links = desk.store.incident_links(id as i64).await?;
        let context = Arc::new(DraftContext { id, stored, templates, history, links });
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(context.clone());
        Ok(context)
    }

    /// Drops what is kept: the incident changed.
    pub fn forget(&self) {
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl DraftContext {
    /// The incident with its newest update (the draft) carrying the text as typed, and that update's index.
    fn as_typed(&self, status: Status, title: &Bilingual<String>, body: &Bilingual<String>) -> Result<(Incident, usize)> {
        let mut incident = self.stored.to_incident();
        let index = incident
            .updates
            .len()
            .checked_sub(1)
            .ok_or_else(|| AppError::not_found("このインシデントには下書きがありません。", "the incident has no draft"))?;
        apply(&mut incident.updates[index], status, title.clone(), body.clone());
        Ok((incident, index))
    }
}

/// The draft's title and body as typed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DraftText {
    pub title: Bilingual<String>,
    pub body: Bilingual<String>,
}

/// The text typed in status `from`, reworded for status `to`: the template's
/// wording for `to` (lead, headings, closing, tense of the status phrases)
/// with everything the author wrote kept. Saves nothing.
pub async fn restatus_draft(desk: &Desk, id: u32, from: Status, to: Status, title: Bilingual<String>, body: Bilingual<String>) -> Result<DraftText> {
    let context = desk.draft_contexts.read(desk, id).await?;
    let (incident, index) = context.as_typed(from, &title, &body)?;
    if to.kind() != incident.kind {
        return Err(not_a_status_of(to, incident.kind));
    }
    let written = desk_render::Written { title, body };
    let reworded = desk_render::restatus(&context.templates.set, &incident, index, &written, to);
    Ok(DraftText { title: reworded.title, body: reworded.body })
}

/// What the author typed into a draft, to be saved.
pub struct DraftEdit {
    pub id: u32,
    pub update_id: u32,
    /// The revision the text was typed on.
    pub version: u32,
    pub status: Status,
    pub title: Bilingual<String>,
    pub body: Bilingual<String>,
    /// The author's choice of notifying subscribers; none for the default.
    pub notify: Option<bool>,
}

/// Saves the draft's text as a new revision, if `version` is still the
/// current one; otherwise fails as a conflict and saves nothing (the editor
/// keeps the text).
pub async fn save_draft(desk: &Desk, edit: DraftEdit) -> Result<Saved> {
    save_draft_with(desk, edit, |_| {}).await
}

/// [`save_draft`], with `more` changing the update besides its text (a
/// postmortem's timeline entries) in the same revision.
pub(crate) async fn save_draft_with(desk: &Desk, edit: DraftEdit, more: impl FnOnce(&mut Update)) -> Result<Saved> {
    let stored = desk.store.load_incident(edit.id as i64).await?;
    let row = stored
        .updates
        .iter()
        .find(|u| u.id == edit.update_id as i64)
        .ok_or_else(|| AppError::not_found("その更新はありません。", "that update does not exist"))?;
    let mut update = row.update.clone();
    apply(&mut update, edit.status, edit.title, edit.body);
    update.notify = edit.notify;
    more(&mut update);
    let saved = desk.store.save_draft(edit.update_id as i64, edit.version as i64, &update, &desk.actor).await?;
    // Typing goes on against what is in the store now (team mode: others' changes too).
    desk.draft_contexts.read(desk, edit.id).await?;
    Ok(Saved { version: saved.number as u32 })
}

fn apply(update: &mut Update, status: Status, title: Bilingual<String>, body: Bilingual<String>) {
    update.status = status;
    update.title = Some(title);
    update.ja.body = Some(body.ja);
    update.en.body = Some(body.en);
}

/// A new update on an incident, in `status`, from the template, carrying
/// over what the newest update said.
pub async fn start_update(desk: &Desk, id: u32, status: Status) -> Result<Draft> {
    let stored = desk.store.load_incident(id as i64).await?;
    let mut incident = stored.to_incident();
    if status.kind() != incident.kind {
        return Err(not_a_status_of(status, incident.kind));
    }
    // The store's active library; the update records which revision it came from.
    let templates = desk.templates().await?;
    let mut update = first_text(&templates.set, &incident, status, desk.now());
    if status == Status::Postmortem {
        // The moment a maintenance turned into this incident is on its timeline.
        crate::maintenance::add_link_entries(&mut update.timeline, &desk.store.incident_links(id as i64).await?);
    }
    let saved = desk.store.new_draft(id as i64, &update, &desk.actor).await?;
    desk.store.set_update_template_revision(saved.update_id, templates.revision).await?;
    desk.draft_contexts.read(desk, id).await?;
    incident.updates.push(update);
    draft_view(&templates.set, &incident, id, saved.update_id, saved.number, incident.updates.len() - 1, quiet_statuses(desk))
}

/// The organisation's statuses that do not notify subscribers by default.
fn quiet_statuses(desk: &Desk) -> Vec<Status> {
    desk.publishing.current().map(|t| t.settings.quiet_statuses.clone()).unwrap_or_default()
}

/// `status` cannot be used on a `kind`.
fn not_a_status_of(status: Status, kind: Kind) -> AppError {
    let facts = crate::facts::label(status);
    AppError::invalid(
        "status",
        format!("「{}」は{}のステータスではありません。", facts.ja, if kind == Kind::Incident { "障害" } else { "メンテナンス" }),
        format!("{status} is not one of this {}'s statuses", kind.as_str()),
    )
}

/// A new incident document for `desk new`: its first update in `status`
/// (the kind's first by default) from the templates, every section the
/// template shows marked to be written, the period starting `now`.
pub fn new_document(set: &TemplateSet, kind: Kind, status: Option<Status>, now: DateTime<Utc>) -> Result<Incident> {
    let status = status.unwrap_or(kind.statuses()[0]);
    if status.kind() != kind {
        return Err(not_a_status_of(status, kind));
    }
    let now = minute(now);
    let mut incident = Incident::new(kind);
    incident.title = TO_FILL.map(|_, s| s.to_string());
    incident.period = Some(Period { start: now, end: None, approximate: true });
    let update = first_text(set, &incident, status, now);
    incident.updates.push(update);
    Ok(incident)
}

fn minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::minutes(1)).unwrap_or(t)
}

/// The new update's first text: the sections the newest update had (or a
/// marker where the template for `status` has a section and nothing was
/// written yet), filled into the template, so the author edits from there.
/// It promises the next update an hour from `now` while the status is ongoing.
fn first_text(set: &TemplateSet, incident: &Incident, status: Status, now: DateTime<Utc>) -> Update {
    let now = minute(now);
    let mut update = Update::new(status);
    if let Some(previous) = incident.updates.last() {
        update.ja = previous.ja.clone();
        update.en = previous.en.clone();
        update.ja.body = None;
        update.en.body = None;
    }
    for lang in Lang::ALL {
        let used = set.get(status, lang).body.fields_used();
        let text = update.text_mut(lang);
        for kind in SectionKind::ALL {
            if let Some(section) = text.section_mut(kind) {
                if used.contains(kind.as_str()) && section.trim().is_empty() {
                    *section = TO_FILL.get(lang).to_string();
                }
            }
        }
    }
    update.created_at = Some(now);
    if status.is_ongoing() {
        update.next_update_at = Some(now + Duration::hours(1));
    }
    if status == Status::Postmortem {
        // The timeline an earlier postmortem told, else one entry per published
        // change of status: the author adds what happened between them.
        update.timeline = match incident.updates.last() {
            Some(previous) if !previous.timeline.is_empty() => previous.timeline.clone(),
            _ => desk_model::timeline::prefill(incident),
        };
    }
    update
}

fn draft_view(set: &TemplateSet, incident: &Incident, id: u32, update_id: i64, version: i64, index: usize, quiet_statuses: Vec<Status>) -> Result<Draft> {
    let update = &incident.updates[index];
    let mut title = Bilingual::default();
    let mut body = Bilingual::default();
    for lang in Lang::ALL {
        // The author edits the full text; the title without its status prefix.
        *body.get_mut(lang) = match update.text(lang).body.clone() {
            Some(own) => own,
            None => render_update(set, incident, index, lang)?.body,
        };
        *title.get_mut(lang) = incident.title_for(index, lang).to_string();
    }
    Ok(Draft {
        incident_id: id,
        update_id: update_id as u32,
        version: version as u32,
        status: update.status,
        statuses: incident.kind.statuses().to_vec(),
        title,
        body,
        notify: update.notify,
        quiet_statuses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_update_starts_from_the_template_with_what_was_said_before() {
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        let mut first = Update::new(Status::Investigating);
        first.ja.symptoms = "- ログインできない".into();
        incident.updates.push(first);
        let next = first_text(&set, &incident, Status::Resolved, Utc::now());
        assert_eq!(next.ja.symptoms, "- ログインできない");
        assert_eq!(next.ja.cause, "【要記入】", "the resolved template asks for a cause");
        assert_eq!(next.en.symptoms, "[TBD]");
        assert!(next.next_update_at.is_none(), "nothing more is promised once resolved");
    }

    #[test]
    fn a_postmortem_starts_with_the_published_changes_of_status_on_its_timeline() {
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        for (status, at) in [(Status::Investigating, "2025-03-04T00:20:00Z"), (Status::Resolved, "2025-03-04T01:50:00Z")] {
            let mut u = Update::new(status);
            u.ja.cause = "- 証明書の期限切れ".into();
            u.published_at = Some(at.parse().unwrap());
            incident.updates.push(u);
        }
        let mut pm = first_text(&set, &incident, Status::Postmortem, Utc::now());
        let marks: Vec<(Option<Status>, String)> = pm.timeline.iter().map(|e| (e.status, e.at.to_rfc3339())).collect();
        assert_eq!(marks, vec![(Some(Status::Investigating), "2025-03-04T00:20:00+00:00".into()), (Some(Status::Resolved), "2025-03-04T01:50:00+00:00".into())]);
        incident.updates.push(pm.clone());
        let ja = render_update(&set, &incident, 2, Lang::Ja).unwrap().body;
        assert!(ja.contains("■ 経緯\n≫2025年3月4日(火)\n09:20: 「調査中」として状況を掲載\n10:50: "), "{ja}");
        // A second postmortem carries the first one's timeline as the author left it.
        pm.timeline.truncate(1);
        incident.updates[2] = pm;
        assert_eq!(first_text(&set, &incident, Status::Postmortem, Utc::now()).timeline.len(), 1);
        // Other statuses start without one.
        assert!(first_text(&set, &incident, Status::Investigating, Utc::now()).timeline.is_empty());
    }

    #[test]
    fn a_new_document_promises_the_next_update_and_marks_what_to_write() {
        let set = TemplateSet::builtin();
        let now = "2025-03-04T00:12:34Z".parse().unwrap();
        let doc = new_document(&set, Kind::Incident, None, now).unwrap();
        let first = &doc.updates[0];
        assert_eq!(first.status, Status::Investigating);
        assert_eq!(first.next_update_at, Some("2025-03-04T01:12:00Z".parse().unwrap()));
        assert_eq!(doc.period.unwrap().start, "2025-03-04T00:12:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(first.ja.symptoms, "【要記入】");
        let wrong = new_document(&set, Kind::Maintenance, Some(Status::Resolved), now).unwrap_err();
        assert_eq!((wrong.kind, wrong.field.as_deref()), (crate::ErrorKind::Invalid, Some("status")));
    }
}
