//! Review and approval: the approver's queue and screen, the author's
//! request and status, the record of emergency publishes, and who is told
//! that a draft waits. Every rule lives in desk-store (`review.rs`) and, in
//! team mode, in the database; this module puts together what the screens
//! show.

use desk_model::{Bilingual, Lang, Status};
use desk_store::diff::{Op, UpdateDiff};
use desk_store::review::{Comment, Publication, QueueItem, ReviewAction, ReviewEvent, ReviewState};
use desk_store::{BackendKind, UpdateState};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incidents::{preview, published_flags, Preview, PreviewPages};
use crate::timeline::Notifier;
use crate::{AppError, Desk, Result};

/// Who the app works as, and how sure that is.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Me {
    /// The database role (team mode) or the OS user (single-person mode).
    pub name: String,
    /// True on a shared PostgreSQL, where the database vouches for `name`.
    pub team_mode: bool,
    /// One person alone (`publish::single_person`): the Publish button and a
    /// confirmation publish a draft; no approval, no reason to type.
    pub single_person: bool,
}

/// A draft waiting for my review.
#[derive(Debug, Clone, Serialize, Type)]
pub struct QueueEntry {
    pub incident_id: u32,
    pub update_id: u32,
    pub revision: u32,
    pub status: Status,
    pub status_label: Bilingual<String>,
    pub title: Bilingual<String>,
    pub author: String,
    pub requested_by: String,
    pub requested_at: String,
}

#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DiffOp {
    Equal,
    Insert,
    Delete,
}

/// A run of text: unchanged, added or removed.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DiffSpan {
    pub op: DiffOp,
    pub text: String,
}

/// A character-level diff of both languages' text.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TextDiff {
    pub ja: Vec<DiffSpan>,
    pub en: Vec<DiffSpan>,
    /// True when nothing changed in either language.
    pub unchanged: bool,
}

/// Characters `start..end` (Unicode code points) of one language's plain text.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct Passage {
    pub lang: Lang,
    pub start: u32,
    pub end: u32,
    /// The passage's text (filled in by the store; may be left empty when sending).
    #[serde(default)]
    pub quote: String,
}

/// A reviewer's comment, on a passage or on the whole update.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ReviewComment {
    pub text: String,
    pub passage: Option<Passage>,
}

#[derive(Debug, Clone, Copy, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Request,
    Approve,
    Changes,
}

/// One step of a review, as the history shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReviewStep {
    pub kind: StepKind,
    pub revision: u32,
    pub actor: String,
    pub at: String,
    pub comments: Vec<ReviewComment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStage {
    NotRequested,
    Requested,
    ChangesRequested,
    Approved,
    Published,
}

/// A recorded publish; `emergency_reason` set when it went out without approval.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishRecord {
    pub incident_id: u32,
    pub update_id: u32,
    pub revision: u32,
    pub title: Bilingual<String>,
    pub actor: String,
    pub at: String,
    pub emergency_reason: Option<String>,
}

/// Everything the approver's screen shows about one draft.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReviewItem {
    pub incident_id: u32,
    pub update_id: u32,
    /// The revision under review (the current one).
    pub revision: u32,
    pub status: Status,
    pub author: String,
    pub stage: ReviewStage,
    /// False when I wrote this revision (or it is published): no approve button.
    pub can_decide: bool,
    /// Both languages as Statuspage will show them, with the linter's findings.
    pub preview: Preview,
    /// The plain text comments point into, per language.
    pub text: Bilingual<String>,
    /// Against the incident's last published update (all new when none).
    pub against_published: TextDiff,
    /// The revision I last approved or sent back, and what changed since.
    pub last_reviewed_revision: Option<u32>,
    pub against_last_reviewed: Option<TextDiff>,
    pub steps: Vec<ReviewStep>,
    /// Whether publishing it notifies the page's subscribers (Statuspage's `deliver_notifications`).
    pub deliver_notifications: bool,
    /// True when that is the author's choice; false when it is the
    /// organisation's default for the update's status.
    pub notify_chosen_by_author: bool,
    /// A postmortem: whether publishing it also posts to the page's Twitter
    /// account (Statuspage's `notify_twitter`), as its author chose.
    pub notify_twitter: bool,
    /// Sentences inserted from the translation memory that still stand as
    /// inserted, with where they came from (spans into `text`).
    pub from_memory: Vec<crate::memory::MemoryMark>,
}

/// The author's view of a draft's review.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DraftReview {
    pub update_id: u32,
    pub revision: u32,
    pub stage: ReviewStage,
    pub author: String,
    pub approved_by: Option<String>,
    /// An approval an edit voided: who, and which revision it was for.
    pub voided_approval: Option<ReviewStep>,
    /// The latest request for changes on any revision, with its comments.
    pub changes_requested: Option<ReviewStep>,
    pub steps: Vec<ReviewStep>,
    /// True when the organisation's policy lets this update go out without approval (with a reason).
    pub emergency_allowed: bool,
    /// True when I may publish it now on an approval.
    pub publishable: bool,
}

/// Who the app works as.
pub async fn who_am_i(desk: &Desk) -> Result<Me> {
    Ok(Me {
        name: desk.store.identity().await?,
        team_mode: desk.store.kind() == BackendKind::Postgres,
        single_person: crate::publish::single_person(&desk.store).await?,
    })
}

/// Approves `revision` of the update (refused when I wrote it, or when it
/// is no longer the current revision); answers what the approver now sees.
///
/// The approval records what publishing would send now (templates, target
/// pages, whether subscribers are notified): a publish on it sends exactly
/// that or nothing (see [`crate::approval`]).
pub async fn approve_revision(desk: &Desk, update_id: u32, revision: u32) -> Result<ReviewItem> {
    let templates = desk.templates().await?;
    let target = desk.publishing.current()?;
    let lint = desk.lint.get();
    let publisher = crate::publish::Publisher { templates: &templates.set, lint: &lint, target: &target };
    crate::approval::approve_covering(&desk.store, &publisher, update_id as i64, revision as i64).await?;
    review_item(desk, update_id).await
}

/// Sends `revision` back to its author with comments (at least one).
pub async fn request_changes(desk: &Desk, update_id: u32, revision: u32, comments: Vec<ReviewComment>) -> Result<ReviewItem> {
    let comments: Vec<Comment> = comments.into_iter().map(to_store_comment).collect();
    desk.store.request_changes(update_id as i64, revision as i64, &comments).await?;
    review_item(desk, update_id).await
}

/// Asks for review of the draft's `revision` (the one the author sees).
pub async fn request_review(desk: &Desk, update_id: u32, revision: u32) -> Result<DraftReview> {
    desk.store.request_review(update_id as i64, revision as i64).await?;
    draft_review_of(desk, update_id as i64).await
}

/// Where the review of an incident's draft stands; none when its newest
/// update is not a draft.
pub async fn draft_review(desk: &Desk, id: u32) -> Result<Option<DraftReview>> {
    let stored = desk.store.load_incident(id as i64).await?;
    match stored.updates.last().filter(|u| u.state == UpdateState::Draft) {
        Some(row) => Ok(Some(draft_review_of(desk, row.id).await?)),
        None => Ok(None),
    }
}

/// Drafts waiting for review by me (not written by me), oldest request first.
pub async fn review_queue(desk: &Desk) -> Result<Vec<QueueEntry>> {
    let items = desk.store.review_queue().await?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(queue_entry(desk, item).await?);
    }
    Ok(out)
}

/// Publishes that went out without approval, newest first: for approvers.
pub async fn emergency_publishes(desk: &Desk) -> Result<Vec<PublishRecord>> {
    let mut out = Vec::new();
    for p in desk.store.emergency_publications().await? {
        out.push(publish_record(desk, p).await?);
    }
    Ok(out)
}

async fn queue_entry(desk: &Desk, item: QueueItem) -> Result<QueueEntry> {
    Ok(QueueEntry {
        incident_id: item.incident_id as u32,
        update_id: item.update_id as u32,
        revision: item.revision as u32,
        status: item.status,
        status_label: crate::facts::label(item.status),
        title: shown_title(desk, item.incident_id, item.update_id).await?,
        author: item.author,
        requested_by: item.requested_by,
        requested_at: item.requested_at,
    })
}

/// The title as the update will publish it, per language.
async fn shown_title(desk: &Desk, incident_id: i64, update_id: i64) -> Result<Bilingual<String>> {
    let stored = desk.store.load_incident(incident_id).await?;
    let incident = stored.to_incident();
    let index = stored.updates.iter().position(|u| u.id == update_id).unwrap_or(0);
    let templates = desk.templates().await?;
    Ok(Bilingual::default().map(|lang, _: &String| {
        desk_render::render_update(&templates.set, &incident, index, lang).map(|a| a.title).unwrap_or_default()
    }))
}

/// One draft as the approver sees it.
pub async fn review_item(desk: &Desk, update_id: u32) -> Result<ReviewItem> {
    let update_id = update_id as i64;
    let status = desk.store.review_status(update_id).await?;
    let me = desk.store.identity().await?;
    let stored = desk.store.load_incident(status.incident_id).await?;
    let index = stored
        .updates
        .iter()
        .position(|u| u.id == update_id)
        .ok_or_else(|| AppError::not_found("その更新はインシデントにありません。", "that update is not in its incident"))?;
    let incident = stored.to_incident();
    let templates = desk.templates().await?;
    let lint = desk.lint.get();
    let history = crate::incidents::history(&templates.set, &incident, index, &lint)?;
    let shown = preview(&templates.set, &lint, &incident, status.incident_id as u32, index, &published_flags(&stored), &history, PreviewPages::All)?;
    let (ja, en) = desk_store::text::plain_pair(&incident.updates[index]);
    let text = Bilingual { ja, en };
    let diffs = desk.store.review_diff(update_id, status.current_revision).await?;
    let stage = stage(status.state);
    let chosen = incident.updates[index].notify;
    let settings = crate::settings::publish_settings(&desk.store).await?;
    Ok(ReviewItem {
        deliver_notifications: chosen.unwrap_or_else(|| settings.notify_by_default(incident.updates[index].status)),
        notify_chosen_by_author: chosen.is_some(),
        notify_twitter: incident.updates[index].notify_twitter && incident.updates[index].status == desk_model::Status::Postmortem,
        incident_id: status.incident_id as u32,
        update_id: update_id as u32,
        revision: status.current_revision as u32,
        status: status.status,
        can_decide: status.author != me && stage != ReviewStage::Published,
        author: status.author,
        stage,
        preview: shown,
        against_published: text_diff(&diffs.against_published),
        last_reviewed_revision: diffs.last_reviewed_revision.map(|r| r as u32),
        against_last_reviewed: diffs.against_last_reviewed.as_ref().map(text_diff),
        steps: status.events.iter().map(step).collect(),
        from_memory: crate::memory::marks_in(&desk.store.memory_inserts(update_id).await?, &text),
        text,
    })
}

async fn draft_review_of(desk: &Desk, update_id: i64) -> Result<DraftReview> {
    let status = desk.store.review_status(update_id).await?;
    let policy = desk.store.emergency_policy().await?;
    let emergency_allowed = policy.iter().any(|r| r.allows(status.status, status.position));
    let stage = stage(status.state);
    Ok(DraftReview {
        update_id: update_id as u32,
        revision: status.current_revision as u32,
        stage,
        approved_by: status.approval.as_ref().map(|a| a.actor.clone()),
        voided_approval: status.voided_approval.as_ref().map(step),
        changes_requested: status.events.iter().rev().find(|e| e.action == ReviewAction::Changes).map(step),
        steps: status.events.iter().map(step).collect(),
        emergency_allowed,
        publishable: stage == ReviewStage::Approved,
        author: status.author,
    })
}

async fn publish_record(desk: &Desk, p: Publication) -> Result<PublishRecord> {
    let incident_id = desk.store.review_status(p.update_id).await?.incident_id;
    Ok(PublishRecord {
        incident_id: incident_id as u32,
        update_id: p.update_id as u32,
        revision: p.revision as u32,
        title: shown_title(desk, incident_id, p.update_id).await?,
        actor: p.actor,
        at: p.at,
        emergency_reason: p.emergency_reason,
    })
}

fn stage(state: ReviewState) -> ReviewStage {
    match state {
        ReviewState::NotRequested => ReviewStage::NotRequested,
        ReviewState::Requested => ReviewStage::Requested,
        ReviewState::ChangesRequested => ReviewStage::ChangesRequested,
        ReviewState::Approved => ReviewStage::Approved,
        ReviewState::Published => ReviewStage::Published,
    }
}

fn step(e: &ReviewEvent) -> ReviewStep {
    ReviewStep {
        kind: match e.action {
            ReviewAction::Request => StepKind::Request,
            ReviewAction::Approve => StepKind::Approve,
            ReviewAction::Changes => StepKind::Changes,
        },
        revision: e.revision as u32,
        actor: e.actor.clone(),
        at: e.at.clone(),
        comments: e.comments.iter().map(from_store_comment).collect(),
    }
}

fn text_diff(d: &UpdateDiff) -> TextDiff {
    let spans = |spans: &[desk_store::diff::Span]| -> Vec<DiffSpan> {
        spans
            .iter()
            .map(|s| DiffSpan {
                op: match s.op {
                    Op::Equal => DiffOp::Equal,
                    Op::Insert => DiffOp::Insert,
                    Op::Delete => DiffOp::Delete,
                },
                text: s.text.clone(),
            })
            .collect()
    };
    let changed = |s: &[desk_store::diff::Span]| s.iter().any(|s| s.op != Op::Equal);
    TextDiff { ja: spans(&d.ja), en: spans(&d.en), unchanged: !changed(&d.ja) && !changed(&d.en) }
}

fn to_store_comment(c: ReviewComment) -> Comment {
    match c.passage {
        Some(p) => {
            let mut comment = Comment::at(&c.text, p.lang, p.start as usize, p.end as usize);
            if let Some(a) = &mut comment.anchor {
                a.quote = p.quote;
            }
            comment
        }
        None => Comment::general(&c.text),
    }
}

fn from_store_comment(c: &Comment) -> ReviewComment {
    ReviewComment {
        text: c.text.clone(),
        passage: c.anchor.as_ref().map(|a| Passage {
            lang: a.lang,
            start: a.start as u32,
            end: a.end as u32,
            quote: a.quote.clone(),
        }),
    }
}

/// Notifies, once per revision, each draft waiting for my approval (the
/// app's watcher calls this every few seconds).
pub async fn notify_waiting(desk: &Desk, notifier: &Notifier) -> Result<()> {
    let lang = desk.ui_language();
    for item in desk.store.review_queue().await? {
        let (title, body) = waiting_message(&item, lang);
        notifier.once_for(format!("review:{}:{}", item.update_id, item.revision), &title, &body)?;
    }
    Ok(())
}

/// The notification that a draft waits, in the app's language.
fn waiting_message(item: &QueueItem, lang: Lang) -> (String, String) {
    match lang {
        Lang::Ja => ("承認を待っている更新があります".into(), format!("{}さんの「{}」が承認を待っています。", item.author, item.title_ja)),
        Lang::En => ("An update waits for your approval".into(), format!("{}'s “{}” waits for your approval.", item.author, item.title_en)),
    }
}

