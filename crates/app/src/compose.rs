//! The composer's commands: start an incident or an update from the
//! organisation's template, preview the text as it is typed, and save it as a
//! draft revision (autosave) with the store's version check.

use chrono::{Duration, DurationRound, Utc};
use desk_model::{Bilingual, Incident, Kind, Lang, SectionKind, Status, Update};
use desk_render::render_update;
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;
use tauri::State;

use std::sync::{Arc, Mutex};

use crate::commands::{preview, published_flags, CommandError, Preview};
use crate::state::{ActiveTemplates, AppState};

type Answer<T> = Result<T, CommandError>;

/// Marks what the author still has to write; the linter reports it.
const TO_FILL: Bilingual<&str> = Bilingual { ja: "【要記入】", en: "[TBD]" };

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
}

/// A save that went through.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Saved {
    pub version: u32,
}

/// A new incident (or maintenance) with its first update from the template.
#[tauri::command]
#[specta::specta]
pub async fn new_incident(state: State<'_, AppState>, kind: Kind) -> Answer<Draft> {
    let title = TO_FILL.map(|_, s| s.to_string());
    let id = state.store.create_incident(kind, &title, &state.actor).await?;
    start(&state, id as u32, kind.statuses()[0]).await
}

/// A new update on an incident, in `status`, from the template, carrying
/// over what the newest update said.
#[tauri::command]
#[specta::specta]
pub async fn start_update(state: State<'_, AppState>, id: u32, status: Status) -> Answer<Draft> {
    start(&state, id, status).await
}

/// The incident's newest update when it is a draft; null otherwise.
#[tauri::command]
#[specta::specta]
pub async fn open_draft(state: State<'_, AppState>, id: u32) -> Answer<Option<Draft>> {
    // Read once, and kept: the draft's live previews start from here.
    let context = state.draft_contexts.read(&state, id).await?;
    let stored = &context.stored;
    let Some(row) = stored.updates.last().filter(|u| u.state == desk_store::UpdateState::Draft) else {
        return Ok(None);
    };
    let index = stored.updates.len() - 1;
    Ok(Some(draft_view(&context.templates.set, &stored.to_incident(), id, row.id, row.version, index)?))
}

/// The incident's preview with the draft's text as typed (not saved), and
/// what the linter says about it. Not async: Tauri runs it on the thread that
/// receives the request and answers from there, without handing it to the
/// async runtime and back, which saved about 2 ms a keystroke here. It reads
/// nothing from the database but the first time (see [`DraftContexts`]).
#[tauri::command]
#[specta::specta]
pub fn preview_draft(
    state: State<'_, AppState>,
    id: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
) -> Answer<Preview> {
    let context = match state.draft_contexts.kept(id) {
        Some(context) => context,
        None => tauri::async_runtime::block_on(state.draft_contexts.read(&state, id))?,
    };
    let (incident, index) = context.as_typed(status, &title, &body)?;
    let mut shown = preview(&context.templates.set, &state.lint.get(), &incident, id, Some(index as u32), &published_flags(&context.stored))?;
    // The editors show the text as typed: the findings point into it.
    let published_title = Bilingual { ja: shown.ja.title.clone(), en: shown.en.title.clone() };
    let typed = desk_lint::typed::Typed { title: &title, body: &body, published_title: &published_title };
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
}

impl DraftContexts {
    /// The context of incident `id`, when one is kept.
    fn kept(&self, id: u32) -> Option<Arc<DraftContext>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner()).clone();
        kept.filter(|c| c.id == id)
    }

    /// Reads incident `id` and the active templates, and keeps them.
    async fn read(&self, state: &AppState, id: u32) -> Answer<Arc<DraftContext>> {
        let stored = state.store.load_incident(id as i64).await?;
        let context = Arc::new(DraftContext { id, stored, templates: state.templates().await? });
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
    fn as_typed(&self, status: Status, title: &Bilingual<String>, body: &Bilingual<String>) -> Answer<(Incident, usize)> {
        let mut incident = self.stored.to_incident();
        let index = incident.updates.len().checked_sub(1).ok_or("the incident has no draft")?;
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
#[tauri::command]
#[specta::specta]
pub async fn restatus_draft(
    state: State<'_, AppState>,
    id: u32,
    from: Status,
    to: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
) -> Answer<DraftText> {
    let context = state.draft_contexts.read(&state, id).await?;
    let (incident, index) = context.as_typed(from, &title, &body)?;
    if to.kind() != incident.kind {
        return Err(format!("{to} is not one of this {}'s statuses", incident.kind.as_str()).into());
    }
    let written = desk_render::Written { title, body };
    let reworded = desk_render::restatus(&context.templates.set, &incident, index, &written, to);
    Ok(DraftText { title: reworded.title, body: reworded.body })
}

/// Saves the draft's text as a new revision, if `version` is still the
/// current one; otherwise says so and saves nothing (the editor keeps the text).
#[tauri::command]
#[specta::specta]
pub async fn save_draft(
    state: State<'_, AppState>,
    id: u32,
    update_id: u32,
    version: u32,
    status: Status,
    title: Bilingual<String>,
    body: Bilingual<String>,
) -> Answer<Saved> {
    let stored = state.store.load_incident(id as i64).await?;
    let row = stored.updates.iter().find(|u| u.id == update_id as i64).ok_or("that update does not exist")?;
    let mut update = row.update.clone();
    apply(&mut update, status, title, body);
    let saved = state.store.save_draft(update_id as i64, version as i64, &update, &state.actor).await?;
    // Typing goes on against what is in the store now (team mode: others' changes too).
    state.draft_contexts.read(&state, id).await?;
    Ok(Saved { version: saved.number as u32 })
}

fn apply(update: &mut Update, status: Status, title: Bilingual<String>, body: Bilingual<String>) {
    update.status = status;
    update.title = Some(title);
    update.ja.body = Some(body.ja);
    update.en.body = Some(body.en);
}

async fn start(state: &AppState, id: u32, status: Status) -> Answer<Draft> {
    let stored = state.store.load_incident(id as i64).await?;
    let mut incident = stored.to_incident();
    if status.kind() != incident.kind {
        return Err(format!("{status} is not a status of a {}", incident.kind.as_str()).into());
    }
    // The store's active library; the update records which revision it came from.
    let templates = state.templates().await?;
    let update = first_text(&templates.set, &incident, status);
    let saved = state.store.new_draft(id as i64, &update, &state.actor).await?;
    state.store.set_update_template_revision(saved.update_id, templates.revision).await?;
    state.draft_contexts.read(state, id).await?;
    incident.updates.push(update);
    draft_view(&templates.set, &incident, id, saved.update_id, saved.number, incident.updates.len() - 1)
}

/// The new update's first text: the sections the newest update had (or a
/// marker where the template for `status` has a section and nothing was
/// written yet), filled into the template, so the author edits from there.
fn first_text(set: &TemplateSet, incident: &Incident, status: Status) -> Update {
    let now = Utc::now().duration_trunc(Duration::minutes(1)).unwrap_or_else(|_| Utc::now());
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
    update
}

fn draft_view(set: &TemplateSet, incident: &Incident, id: u32, update_id: i64, version: i64, index: usize) -> Answer<Draft> {
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
        let next = first_text(&set, &incident, Status::Resolved);
        assert_eq!(next.ja.symptoms, "- ログインできない");
        assert_eq!(next.ja.cause, "【要記入】", "the resolved template asks for a cause");
        assert_eq!(next.en.symptoms, "[TBD]");
        assert!(next.next_update_at.is_none(), "nothing more is promised once resolved");
    }
}
