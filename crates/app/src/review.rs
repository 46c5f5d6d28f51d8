//! Review and approval in the app: the approver's queue and screen, the
//! author's request and status, emergency publishing. Every rule lives in
//! desk-store (`review.rs`, `gate.rs`) and, in team mode, in the database;
//! these commands only carry what the UI collected and what it shows.

use desk_model::{Bilingual, Lang, Status};
use desk_store::diff::{Op, UpdateDiff};
use desk_store::review::{Comment, Publication, QueueItem, ReviewAction, ReviewEvent, ReviewState};
use desk_store::{BackendKind, UpdateState};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::commands::{preview, publish, published_flags, CommandError, Preview, PublishOutcome};
use crate::state::AppState;

type Answer<T> = Result<T, CommandError>;

/// Who the app works as, and how sure that is.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Me {
    /// The database role (team mode) or the OS user (single-person mode).
    pub name: String,
    /// True on a shared PostgreSQL, where the database vouches for `name`.
    pub team_mode: bool,
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
#[tauri::command]
#[specta::specta]
pub async fn who_am_i(state: State<'_, AppState>) -> Answer<Me> {
    me(&state).await
}

async fn me(state: &AppState) -> Answer<Me> {
    Ok(Me { name: state.store.identity().await?, team_mode: state.store.kind() == BackendKind::Postgres })
}

/// Drafts waiting for review by me (not written by me), oldest request first.
#[tauri::command]
#[specta::specta]
pub async fn review_queue(state: State<'_, AppState>) -> Answer<Vec<QueueEntry>> {
    review_queue_of(&state).await
}

/// One draft as the approver sees it.
#[tauri::command]
#[specta::specta]
pub async fn review_item(state: State<'_, AppState>, update_id: u32) -> Answer<ReviewItem> {
    item(&state, update_id as i64).await
}

/// Approves `revision` of the update (refused when I wrote it, or when it
/// is no longer the current revision).
#[tauri::command]
#[specta::specta]
pub async fn approve_revision(state: State<'_, AppState>, update_id: u32, revision: u32) -> Answer<ReviewItem> {
    state.store.approve(update_id as i64, revision as i64).await?;
    item(&state, update_id as i64).await
}

/// Sends `revision` back to its author with comments (at least one).
#[tauri::command]
#[specta::specta]
pub async fn request_changes(state: State<'_, AppState>, update_id: u32, revision: u32, comments: Vec<ReviewComment>) -> Answer<ReviewItem> {
    let comments: Vec<Comment> = comments.into_iter().map(to_store_comment).collect();
    state.store.request_changes(update_id as i64, revision as i64, &comments).await?;
    item(&state, update_id as i64).await
}

/// Asks for review of the draft's `revision` (the one the author sees).
#[tauri::command]
#[specta::specta]
pub async fn request_review(state: State<'_, AppState>, update_id: u32, revision: u32) -> Answer<DraftReview> {
    state.store.request_review(update_id as i64, revision as i64).await?;
    draft_review_of(&state, update_id as i64).await
}

/// Where the review of an incident's draft stands; null when its newest
/// update is not a draft.
#[tauri::command]
#[specta::specta]
pub async fn draft_review(state: State<'_, AppState>, id: u32) -> Answer<Option<DraftReview>> {
    let stored = state.store.load_incident(id as i64).await?;
    match stored.updates.last().filter(|u| u.state == UpdateState::Draft) {
        Some(row) => Ok(Some(draft_review_of(&state, row.id).await?)),
        None => Ok(None),
    }
}

/// Publishes an update without approval under the organisation's emergency
/// policy; the reason is required and approvers see the publish flagged.
#[tauri::command]
#[specta::specta]
pub async fn publish_emergency(state: State<'_, AppState>, id: u32, update: Option<u32>, reason: String) -> Answer<PublishOutcome> {
    if reason.trim().is_empty() {
        return Err("an emergency publish needs a reason: write why it cannot wait for approval".into());
    }
    publish(&state, id, update, Some(&reason)).await
}

/// Publishes that went out without approval, newest first: for approvers.
#[tauri::command]
#[specta::specta]
pub async fn emergency_publishes(state: State<'_, AppState>) -> Answer<Vec<PublishRecord>> {
    emergency_publishes_of(&state).await
}

async fn review_queue_of(state: &AppState) -> Answer<Vec<QueueEntry>> {
    let items = state.store.review_queue().await?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(queue_entry(state, item).await?);
    }
    Ok(out)
}

async fn emergency_publishes_of(state: &AppState) -> Answer<Vec<PublishRecord>> {
    let mut out = Vec::new();
    for p in state.store.emergency_publications().await? {
        out.push(publish_record(state, p).await?);
    }
    Ok(out)
}

async fn queue_entry(state: &AppState, item: QueueItem) -> Answer<QueueEntry> {
    Ok(QueueEntry {
        incident_id: item.incident_id as u32,
        update_id: item.update_id as u32,
        revision: item.revision as u32,
        status: item.status,
        status_label: Bilingual { ja: item.status.label(Lang::Ja).into(), en: item.status.label(Lang::En).into() },
        title: shown_title(state, item.incident_id, item.update_id).await?,
        author: item.author,
        requested_by: item.requested_by,
        requested_at: item.requested_at,
    })
}

/// The title as the update will publish it, per language.
async fn shown_title(state: &AppState, incident_id: i64, update_id: i64) -> Answer<Bilingual<String>> {
    let stored = state.store.load_incident(incident_id).await?;
    let incident = stored.to_incident();
    let index = stored.updates.iter().position(|u| u.id == update_id).unwrap_or(0);
    let templates = state.templates().await?;
    Ok(Bilingual::default().map(|lang, _: &String| {
        desk_render::render_update(&templates.set, &incident, index, lang).map(|a| a.title).unwrap_or_default()
    }))
}

async fn item(state: &AppState, update_id: i64) -> Answer<ReviewItem> {
    let status = state.store.review_status(update_id).await?;
    let me = state.store.identity().await?;
    let stored = state.store.load_incident(status.incident_id).await?;
    let index = stored.updates.iter().position(|u| u.id == update_id).ok_or("that update is not in its incident")?;
    let incident = stored.to_incident();
    let templates = state.templates().await?;
    let shown = preview(&templates.set, &state.lint.get(), &incident, status.incident_id as u32, Some(index as u32), &published_flags(&stored))?;
    let (ja, en) = desk_store::text::plain_pair(&incident.updates[index]);
    let diffs = state.store.review_diff(update_id, status.current_revision).await?;
    let stage = stage(status.state);
    Ok(ReviewItem {
        incident_id: status.incident_id as u32,
        update_id: update_id as u32,
        revision: status.current_revision as u32,
        status: status.status,
        can_decide: status.author != me && stage != ReviewStage::Published,
        author: status.author,
        stage,
        preview: shown,
        text: Bilingual { ja, en },
        against_published: text_diff(&diffs.against_published),
        last_reviewed_revision: diffs.last_reviewed_revision.map(|r| r as u32),
        against_last_reviewed: diffs.against_last_reviewed.as_ref().map(text_diff),
        steps: status.events.iter().map(step).collect(),
    })
}

async fn draft_review_of(state: &AppState, update_id: i64) -> Answer<DraftReview> {
    let status = state.store.review_status(update_id).await?;
    let policy = state.store.emergency_policy().await?;
    let emergency_allowed = policy.iter().any(|r| r.status == status.status && (!r.first_only || status.position == 1));
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

async fn publish_record(state: &AppState, p: Publication) -> Answer<PublishRecord> {
    let incident_id = state.store.review_status(p.update_id).await?.incident_id;
    Ok(PublishRecord {
        incident_id: incident_id as u32,
        update_id: p.update_id as u32,
        revision: p.revision as u32,
        title: shown_title(state, incident_id, p.update_id).await?,
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

fn store_lang(lang: Lang) -> desk_store::review::Lang {
    match lang {
        Lang::Ja => desk_store::review::Lang::Ja,
        Lang::En => desk_store::review::Lang::En,
    }
}

fn to_store_comment(c: ReviewComment) -> Comment {
    match c.passage {
        Some(p) => {
            let mut comment = Comment::at(&c.text, store_lang(p.lang), p.start as usize, p.end as usize);
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
            lang: match a.lang {
                desk_store::review::Lang::Ja => Lang::Ja,
                desk_store::review::Lang::En => Lang::En,
            },
            start: a.start as u32,
            end: a.end as u32,
            quote: a.quote.clone(),
        }),
    }
}

/// Notifies, once per revision, each draft waiting for my approval (the
/// watcher in timeline.rs calls this every few seconds).
pub(crate) async fn notify_waiting(state: &AppState, notifier: &crate::timeline::Notifier) -> Answer<()> {
    let lang = crate::settings::ui_language(&state.store).await?;
    for item in state.store.review_queue().await? {
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

#[cfg(test)]
pub(crate) mod tests {
    use crate::commands::tests::{app_as, invoke, state_as};
    use serde_json::{json, Value};

    /// What the review commands answer in a fixed story on the samples, for
    /// the UI's component tests: aiko writes the next update of the delivery
    /// delay, ben sends revision 1 back with a comment on a passage, aiko
    /// fixes it and asks again; aiko publishes another incident's next update
    /// as an emergency. Answers as ben (the approver) and, for the draft, as
    /// aiko. Times of review steps are fixed, so the recording is stable.
    pub(crate) fn recording(dir: &std::path::Path) -> Value {
        use chrono::{Duration, TimeZone};
        use desk_model::Status;
        let (aiko, ben) = (state_as(dir, "aiko"), state_as(dir, "ben"));
        tauri::async_runtime::block_on(async {
            let delayed = find(&aiko, "Kumo Mail deliveries are delayed").await;
            let stored = aiko.store.load_incident(delayed).await.unwrap();
            let mut next = stored.updates.last().unwrap().update.clone();
            next.status = Status::Identified;
            let at = chrono::Utc.with_ymd_and_hms(2025, 7, 22, 6, 30, 0).unwrap();
            (next.created_at, next.published_at, next.next_update_at) = (Some(at), None, Some(at + Duration::hours(1)));
            next.ja.cause = "- 配信サーバーの一部で処理が滞っていました".into();
            next.en.cause = "- Some delivery servers were falling behind".into();
            let first = aiko.store.new_draft(delayed, &next, "aiko").await.unwrap();
            let update_id = first.update_id;
            aiko.store.request_review(update_id, 1).await.unwrap();
            let ja = desk_store::text::plain(&next.ja);
            let start = ja[..ja.find("処理が滞って").unwrap()].chars().count();
            let comment = desk_store::review::Comment::at("何の処理か具体的に書いてください", desk_store::review::Lang::Ja, start, start + 6);
            ben.store.request_changes(update_id, 1, &[comment]).await.unwrap();
            next.ja.cause = "- 配信サーバーの一部で送信待ちのメールの処理が滞っていました".into();
            aiko.store.save_draft(update_id, 1, &next, "aiko").await.unwrap();
            aiko.store.request_review(update_id, 2).await.unwrap();

            let webhooks = find(&aiko, "webhooks").await;
            let stored = aiko.store.load_incident(webhooks).await.unwrap();
            let mut urgent = stored.updates.last().unwrap().update.clone();
            urgent.created_at = Some(at);
            let draft = aiko.store.new_draft(webhooks, &urgent, "aiko").await.unwrap();
            aiko.store.publish_recorded(draft.update_id, 1, Some("夜間で承認者が不在のため"), at).await.unwrap();

            let queue = super::review_queue_of(&ben).await.unwrap();
            let item = super::item(&ben, update_id).await.unwrap();
            let mut items = serde_json::Map::new();
            items.insert(update_id.to_string(), serde_json::to_value(item).unwrap());
            let emergencies = super::emergency_publishes_of(&ben).await.unwrap();
            let mut drafts = serde_json::Map::new();
            drafts.insert(delayed.to_string(), serde_json::to_value(super::draft_review_of(&aiko, update_id).await.unwrap()).unwrap());
            let mut out = json!({
                "who_am_i": super::me(&ben).await.unwrap(),
                "review_queue": queue,
                "review_item": items,
                "emergency_publishes": emergencies,
                "draft_review": drafts,
            });
            fix_times(&mut out);
            out
        })
    }

    /// A draft that starts waiting for me is notified once per revision; my own are not.
    #[test]
    fn each_revision_waiting_for_my_approval_is_notified_once() {
        use crate::timeline::Notifier;
        use std::sync::{Arc, Mutex};
        let dir = tempfile::tempdir().unwrap();
        let (aiko, ben) = (state_as(dir.path(), "aiko"), state_as(dir.path(), "ben"));
        let shown: Arc<Mutex<Vec<(String, String)>>> = Default::default();
        let record = shown.clone();
        let notifier = Notifier::new(move |t: &str, b: &str| {
            record.lock().unwrap().push((t.into(), b.into()));
            Ok(())
        });
        let count = || shown.lock().unwrap().len();
        tauri::async_runtime::block_on(async {
            let delayed = find(&aiko, "Kumo Mail deliveries are delayed").await;
            let mut next = aiko.store.load_incident(delayed).await.unwrap().updates.last().unwrap().update.clone();
            next.published_at = None;
            let draft = aiko.store.new_draft(delayed, &next, "aiko").await.unwrap();
            super::notify_waiting(&ben, &notifier).await.unwrap();
            assert_eq!(count(), 0, "nothing was asked yet");
            aiko.store.request_review(draft.update_id, 1).await.unwrap();
            super::notify_waiting(&aiko, &notifier).await.unwrap();
            assert_eq!(count(), 0, "not my own draft");
            super::notify_waiting(&ben, &notifier).await.unwrap();
            super::notify_waiting(&ben, &notifier).await.unwrap();
            assert_eq!(count(), 1, "once, however often the watcher looks");
            let (title, body) = shown.lock().unwrap()[0].clone();
            assert_eq!(title, "承認を待っている更新があります");
            assert!(body.contains("aiko") && body.contains("メール配信"), "{body}");
            next.ja.cause = "- 配信サーバーの一部で処理が滞っていました".into();
            aiko.store.save_draft(draft.update_id, 1, &next, "aiko").await.unwrap();
            aiko.store.request_review(draft.update_id, 2).await.unwrap();
            super::notify_waiting(&ben, &notifier).await.unwrap();
            assert_eq!(count(), 2, "a new revision asks again");
        });
    }

    async fn find(state: &crate::state::AppState, english_title: &str) -> i64 {
        for row in state.store.list(&desk_store::ListQuery { limit: 100, ..Default::default() }).await.unwrap() {
            if row.title.en.contains(english_title) {
                return row.id;
            }
        }
        panic!("no sample titled {english_title}")
    }

    /// Review steps are stamped with the time they happen: fixed for the recording.
    fn fix_times(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "at" || k == "requested_at" {
                        *v = json!("2025-07-22T06:40:00.000000Z");
                    } else {
                        fix_times(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(fix_times),
            _ => {}
        }
    }

    type App = tauri::App<tauri::test::MockRuntime>;

    /// A new incident by `app`'s person, its text filled in and saved: (id, update id, revision).
    fn written(app: &App, ja: &str, en: &str) -> (Value, Value, u64) {
        let draft = invoke(app, "new_incident", json!({ "kind": "incident" })).unwrap();
        let body = json!({
            "ja": draft["body"]["ja"].as_str().unwrap().replace("【要記入】", ja),
            "en": draft["body"]["en"].as_str().unwrap().replace("[TBD]", en),
        });
        let saved = invoke(app, "save_draft", json!({
            "id": draft["incident_id"], "updateId": draft["update_id"], "version": draft["version"],
            "status": "investigating", "title": { "ja": "ログイン障害", "en": "Sign-in failures" }, "body": body,
        }))
        .unwrap();
        (draft["incident_id"].clone(), draft["update_id"].clone(), saved["version"].as_u64().unwrap())
    }

    fn edit(app: &App, id: &Value, update_id: &Value, version: u64, from: &str, to: &str) -> u64 {
        let draft = invoke(app, "open_draft", json!({ "id": id })).unwrap();
        let body = json!({ "ja": draft["body"]["ja"].as_str().unwrap().replace(from, to), "en": draft["body"]["en"] });
        let saved = invoke(app, "save_draft", json!({
            "id": id, "updateId": update_id, "version": version, "status": "investigating", "title": draft["title"], "body": body,
        }))
        .unwrap();
        saved["version"].as_u64().unwrap()
    }

    fn message(e: Value) -> String {
        e["message"].as_str().unwrap_or_default().to_string()
    }

    #[test]
    fn a_draft_is_published_only_on_someone_elses_approval_of_that_revision() {
        let dir = tempfile::tempdir().unwrap();
        let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
        assert_eq!(invoke(&aiko, "who_am_i", json!({})).unwrap(), json!({ "name": "aiko", "team_mode": false }));
        let (id, update_id, rev) = written(&aiko, "ログインできない", "Sign-in fails");

        // Not requested, not approved: the review gate refuses it.
        let refused = message(invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap_err());
        assert!(refused.contains("no approval by someone other than its author"), "{refused}");

        let asked = invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev })).unwrap();
        assert_eq!(asked["stage"], "requested");
        assert!(invoke(&aiko, "review_queue", json!({})).unwrap().as_array().unwrap().is_empty(), "not my own drafts");
        let queue = invoke(&ben, "review_queue", json!({})).unwrap();
        assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
        assert_eq!((&queue[0]["update_id"], &queue[0]["author"]), (&update_id, &json!("aiko")));
        assert_eq!(queue[0]["title"]["ja"], "ログイン障害");
        let own = message(invoke(&aiko, "approve_revision", json!({ "updateId": update_id, "revision": rev })).unwrap_err());
        assert!(own.contains("self-approval refused"), "{own}");

        // What the approver sees: both languages rendered, the diff, the findings.
        let item = invoke(&ben, "review_item", json!({ "updateId": update_id })).unwrap();
        assert_eq!((item["can_decide"].clone(), item["stage"].clone()), (json!(true), json!("requested")));
        assert!(item["preview"]["ja"]["html"].as_str().unwrap().contains("ログインできない"));
        assert!(item["preview"]["en"]["html"].as_str().unwrap().contains("Sign-in fails"));
        assert!(item["against_published"]["ja"].as_array().unwrap().iter().all(|s| s["op"] == "insert"), "nothing published yet: all new");
        assert!(item["against_last_reviewed"].is_null());
        let ja = item["text"]["ja"].as_str().unwrap();
        let start = ja[..ja.find("ログインできない").unwrap()].chars().count();

        // Sent back with a comment on the passage.
        let comment = json!([{ "text": "「できない」より具体的に", "passage": { "lang": "ja", "start": start, "end": start + 8 } }]);
        let sent = invoke(&ben, "request_changes", json!({ "updateId": update_id, "revision": rev, "comments": comment })).unwrap();
        assert_eq!(sent["stage"], "changes_requested");
        let mine = invoke(&aiko, "draft_review", json!({ "id": id })).unwrap();
        assert_eq!(mine["changes_requested"]["comments"][0]["passage"]["quote"], "ログインできない");
        let empty = message(invoke(&ben, "request_changes", json!({ "updateId": update_id, "revision": rev, "comments": [] })).unwrap_err());
        assert!(empty.contains("at least one comment"), "{empty}");

        // The author fixes it and asks again; the approver sees what changed since.
        let rev2 = edit(&aiko, &id, &update_id, rev, "ログインできない", "ログイン画面でエラーが表示される");
        invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev2 })).unwrap();
        let item = invoke(&ben, "review_item", json!({ "updateId": update_id })).unwrap();
        assert_eq!(item["last_reviewed_revision"], rev);
        let since = &item["against_last_reviewed"]["ja"];
        assert!(since.as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"].as_str().unwrap().contains("エラーが表示される")), "{since}");
        assert!(since.as_array().unwrap().iter().any(|s| s["op"] == "delete" && s["text"] == "きない"), "{since}");
        assert_eq!(invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev2 })).unwrap()["stage"], "approved");

        // An edit after approval voids it.
        let rev3 = edit(&aiko, &id, &update_id, rev2, "エラーが表示される", "エラーが表示され、ログインできない");
        let mine = invoke(&aiko, "draft_review", json!({ "id": id })).unwrap();
        assert_eq!((mine["stage"].clone(), mine["voided_approval"]["revision"].clone()), (json!("not_requested"), json!(rev2)));
        let refused = message(invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap_err());
        assert!(refused.contains(&format!("revision {rev3} has no approval")), "{refused}");

        // Approved again, exactly this revision: it goes out, once.
        invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev3 })).unwrap();
        let stale = message(invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev2 })).unwrap_err());
        assert!(stale.contains("not the current one"), "{stale}");
        invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev3 })).unwrap();
        assert_eq!(invoke(&aiko, "draft_review", json!({ "id": id })).unwrap()["approved_by"], "ben");
        let out = invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap();
        assert_eq!(out["all_done"], true, "{out}");
        assert!(invoke(&aiko, "draft_review", json!({ "id": id })).unwrap().is_null(), "published: no draft left");
        assert!(invoke(&ben, "review_queue", json!({})).unwrap().as_array().unwrap().is_empty());
    }

    #[test]
    fn single_person_mode_publishes_without_approval_only_with_a_reason_and_approvers_see_it_flagged() {
        let dir = tempfile::tempdir().unwrap();
        let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
        let (id, update_id, _) = written(&aiko, "ログインできない", "Sign-in fails");
        assert_eq!(invoke(&aiko, "draft_review", json!({ "id": id })).unwrap()["emergency_allowed"], true);
        let blank = message(invoke(&aiko, "publish_emergency", json!({ "id": id, "update": null, "reason": "  " })).unwrap_err());
        assert!(blank.contains("needs a reason"), "{blank}");
        let out = invoke(&aiko, "publish_emergency", json!({ "id": id, "update": null, "reason": "夜間で承認者不在" })).unwrap();
        assert_eq!(out["all_done"], true, "{out}");
        let again = message(invoke(&aiko, "publish_emergency", json!({ "id": id, "update": null, "reason": "もう一度" })).unwrap_err());
        assert!(again.contains("already published"), "{again}");
        let flagged = invoke(&ben, "emergency_publishes", json!({})).unwrap();
        assert_eq!(flagged[0]["update_id"], update_id);
        assert_eq!((flagged[0]["actor"].clone(), flagged[0]["emergency_reason"].clone()), (json!("aiko"), json!("夜間で承認者不在")));
    }

    #[test]
    fn the_live_preview_keeps_the_incident_between_keystrokes_yet_shows_a_publish_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let aiko = app_as(dir.path(), "aiko");
        let (id, _, _) = written(&aiko, "ログインできない", "Sign-in fails");
        let draft = invoke(&aiko, "open_draft", json!({ "id": id })).unwrap();
        let typed = || invoke(&aiko, "preview_draft", json!({ "id": id, "status": "investigating", "title": draft["title"], "body": draft["body"] })).unwrap();
        assert_eq!(typed()["timeline"][0]["published"], false);
        assert_eq!(typed()["timeline"][0]["published"], false, "the second keystroke uses the kept incident");
        invoke(&aiko, "publish_emergency", json!({ "id": id, "update": null, "reason": "夜間で承認者不在" })).unwrap();
        assert_eq!(typed()["timeline"][0]["published"], true, "the publish shows at once, not when the kept copy expires");
    }
}
