//! Review and approval, emergency publishing.
//!
//! An author asks for review of a revision; someone else approves it or asks
//! for changes with comments anchored to passages. Approvals name a revision
//! and its content hash, so any edit (a new revision) leaves the new text
//! unapproved. A publish is recorded (`publications`) before it is sent, and
//! only for the current revision with a standing approval by someone other
//! than its author, or under the organisation's emergency policy with a
//! reason. The store checks all of this for clear messages; the database
//! checks it again (triggers: PostgreSQL with the session's identity, which a
//! modified client cannot forge; SQLite with the name the store passes).
//! Every step goes into the hash-chained audit log.

use chrono::{DateTime, Utc};
use desk_model::{Status, Update};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::sha256_hex;
use crate::diff::{diff_updates, UpdateDiff};
use crate::error::refusal;
use crate::{timestamp, Result, Store, StoreError};

/// The language a comment's passage is in: the model's own.
pub use desk_model::Lang;

/// Where a comment points: characters `start..end` (Unicode scalar values,
/// counted from 0) of one language's plain text (`crate::text::plain`, what the
/// diff shows), and the passage quoted, so the comment still reads right when
/// the text has moved on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub lang: Lang,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// A reviewer's comment, on a passage or on the whole update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}

impl Comment {
    pub fn general(text: &str) -> Comment {
        Comment { text: text.into(), anchor: None }
    }

    /// A comment on characters `start..end` of `lang`; the quote is filled in
    /// from the revision when the comment is recorded.
    pub fn at(text: &str, lang: Lang, start: usize, end: usize) -> Comment {
        Comment { text: text.into(), anchor: Some(Anchor { lang, start, end, quote: String::new() }) }
    }
}

/// A step of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    Request,
    Approve,
    Changes,
}

impl ReviewAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Request => "request",
            ReviewAction::Approve => "approve",
            ReviewAction::Changes => "changes",
        }
    }

    fn parse(s: &str) -> ReviewAction {
        match s {
            "approve" => ReviewAction::Approve,
            "changes" => ReviewAction::Changes,
            _ => ReviewAction::Request,
        }
    }

    /// The audit log's name for it.
    fn audit_action(self) -> &'static str {
        match self {
            ReviewAction::Request => "review_request",
            ReviewAction::Approve => "approve",
            ReviewAction::Changes => "request_changes",
        }
    }
}

/// One recorded review step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewEvent {
    pub id: i64,
    pub update_id: i64,
    pub revision: i64,
    pub revision_hash: String,
    pub action: ReviewAction,
    pub actor: String,
    pub at: String,
    pub comments: Vec<Comment>,
}

/// Where an update's current revision stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Nobody was asked to review this revision.
    NotRequested,
    Requested,
    ChangesRequested,
    Approved,
    Published,
}

/// A recorded publish: on an approval, or an emergency publish with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Publication {
    pub id: i64,
    pub update_id: i64,
    pub revision: i64,
    pub revision_hash: String,
    pub actor: String,
    pub at: String,
    pub approval_id: Option<i64>,
    /// Set for an emergency publish: approvers see these flagged.
    pub emergency_reason: Option<String>,
}

/// The request an approval covers (desk-publish's request digest).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedRequest {
    pub review_id: i64,
    pub hash: String,
    pub request: serde_json::Value,
}

impl Publication {
    pub fn emergency(&self) -> bool {
        self.emergency_reason.is_some()
    }
}

/// Everything the approver's screen and `desk review status` need about one update.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewStatus {
    pub incident_id: i64,
    pub update_id: i64,
    /// 1 = the incident's first update.
    pub position: i64,
    pub status: Status,
    pub current_revision: i64,
    pub current_hash: String,
    /// Who saved the current revision (who may not approve it).
    pub author: String,
    pub state: ReviewState,
    /// The approval standing for the current revision.
    pub approval: Option<ReviewEvent>,
    /// An approval of an older revision that an edit voided.
    pub voided_approval: Option<ReviewEvent>,
    /// Every review step on this update, oldest first.
    pub events: Vec<ReviewEvent>,
    pub publications: Vec<Publication>,
}

/// A status the emergency policy lets an author publish without approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyRule {
    pub status: Status,
    /// Only as the incident's first update (e.g. the first "investigating").
    pub first_only: bool,
}

impl EmergencyRule {
    /// Whether this rule lets an update in `status` at `position` (1 = the
    /// incident's first) go out without approval.
    pub fn allows(&self, status: Status, position: i64) -> bool {
        self.status == status && (!self.first_only || position == 1)
    }
}

/// A draft waiting for review, for the approver's queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueItem {
    pub incident_id: i64,
    pub update_id: i64,
    pub revision: i64,
    pub status: Status,
    pub title_ja: String,
    pub title_en: String,
    pub author: String,
    pub requested_by: String,
    pub requested_at: String,
}

/// The diffs the approver reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDiff {
    pub revision: i64,
    /// Against the incident's last published update (everything, when none).
    pub against_published: UpdateDiff,
    /// The revision the viewer last approved or sent back, and the diff since.
    pub last_reviewed_revision: Option<i64>,
    pub against_last_reviewed: Option<UpdateDiff>,
}

const EVENT_COLUMNS: &str = "id, update_id, revision, revision_hash, action, actor, at, comments";
const PUBLICATION_COLUMNS: &str = "id, update_id, revision, revision_hash, actor, at, approval_id, emergency_reason";

fn event_from_row<R: Row>(r: &R) -> Result<ReviewEvent>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> &'a str: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(ReviewEvent {
        id: r.try_get("id")?,
        update_id: r.try_get("update_id")?,
        revision: r.try_get("revision")?,
        revision_hash: r.try_get("revision_hash")?,
        action: ReviewAction::parse(r.try_get("action")?),
        actor: r.try_get("actor")?,
        at: r.try_get("at")?,
        comments: serde_json::from_str(r.try_get("comments")?)?,
    })
}

fn publication_from_row<R: Row>(r: &R) -> Result<Publication>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(Publication {
        id: r.try_get("id")?,
        update_id: r.try_get("update_id")?,
        revision: r.try_get("revision")?,
        revision_hash: r.try_get("revision_hash")?,
        actor: r.try_get("actor")?,
        at: r.try_get("at")?,
        approval_id: r.try_get("approval_id")?,
        emergency_reason: r.try_get("emergency_reason")?,
    })
}

/// Checks anchors against the revision's text and fills in their quotes.
fn anchor_comments(update: &Update, comments: &[Comment]) -> Result<Vec<Comment>> {
    if comments.is_empty() || comments.iter().any(|c| c.text.trim().is_empty()) {
        return Err(StoreError::Refused("a request for changes needs at least one comment, none of them empty".into()));
    }
    let (ja, en) = crate::text::plain_pair(update);
    comments
        .iter()
        .map(|c| {
            let mut c = c.clone();
            if let Some(a) = &mut c.anchor {
                let text = if a.lang == Lang::Ja { &ja } else { &en };
                let chars: Vec<char> = text.chars().collect();
                if a.start >= a.end || a.end > chars.len() {
                    return Err(StoreError::Refused(format!(
                        "the passage {}:{} is outside the {} text ({} characters)",
                        a.start,
                        a.end,
                        if a.lang == Lang::Ja { "Japanese" } else { "English" },
                        chars.len()
                    )));
                }
                let quote: String = chars[a.start..a.end].iter().collect();
                if !a.quote.is_empty() && a.quote != quote {
                    return Err(StoreError::Refused(format!("the passage {}:{} reads 「{quote}」, not 「{}」", a.start, a.end, a.quote)));
                }
                a.quote = quote;
            }
            Ok(c)
        })
        .collect()
}

/// The facts about an update a review step needs.
struct UpdateFacts {
    incident_id: i64,
    position: i64,
    status: Status,
    version: i64,
    published_revision: Option<i64>,
}

impl Store {
    async fn update_facts(&self, update_id: i64) -> Result<UpdateFacts> {
        on_backend!(self, pool, [] => {
            let r = sqlx::query("SELECT incident_id, position, status, version, published_revision FROM updates WHERE id = $1")
                .bind(update_id)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "update", id: update_id })?;
            Ok(UpdateFacts {
                incident_id: r.try_get("incident_id")?,
                position: r.try_get("position")?,
                status: Status::parse(r.try_get("status")?).unwrap_or(Status::Investigating),
                version: r.try_get("version")?,
                published_revision: r.try_get("published_revision")?,
            })
        })
    }

    /// A revision's stored content and author.
    async fn revision_row(&self, update_id: i64, number: i64) -> Result<(String, String)> {
        on_backend!(self, pool, [] => {
            let r = sqlx::query("SELECT content, author FROM revisions WHERE update_id = $1 AND number = $2")
                .bind(update_id)
                .bind(number)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound { what: "revision", id: number })?;
            Ok((r.try_get("content")?, r.try_get("author")?))
        })
    }

    /// The SHA-256 of a revision's stored content.
    pub async fn revision_hash(&self, update_id: i64, number: i64) -> Result<String> {
        Ok(sha256_hex(&self.revision_row(update_id, number).await?.0))
    }

    /// The id of an incident's update at a position (1 = oldest); the newest when `None`.
    pub async fn update_id_at(&self, incident_id: i64, position: Option<i64>) -> Result<i64> {
        on_backend!(self, pool, [] => {
            let id: Option<i64> = match position {
                Some(p) => sqlx::query_scalar("SELECT id FROM updates WHERE incident_id = $1 AND position = $2")
                    .bind(incident_id)
                    .bind(p)
                    .fetch_optional(pool)
                    .await?,
                None => sqlx::query_scalar("SELECT id FROM updates WHERE incident_id = $1 ORDER BY position DESC LIMIT 1")
                    .bind(incident_id)
                    .fetch_optional(pool)
                    .await?,
            };
            id.ok_or(StoreError::NotFound { what: if position.is_some() { "update" } else { "incident (with an update)" }, id: position.unwrap_or(incident_id) })
        })
    }

    /// Asks for review of `revision` (the current one).
    pub async fn request_review(&self, update_id: i64, revision: i64) -> Result<ReviewEvent> {
        self.review_step(update_id, revision, ReviewAction::Request, &[], None).await
    }

    /// Approves `revision` (the current one). Refused for the revision's
    /// author. The approval covers no request: the app refuses to publish on
    /// it (see [`Store::approve_request`]).
    pub async fn approve(&self, update_id: i64, revision: i64) -> Result<ReviewEvent> {
        self.review_step(update_id, revision, ReviewAction::Approve, &[], None).await
    }

    /// Approves `revision` (the current one) together with the request it
    /// would send now (`request_hash` of the canonical `request_json`), in
    /// one transaction: a publish on this approval must send exactly that.
    pub async fn approve_request(&self, update_id: i64, revision: i64, request_hash: &str, request_json: &str) -> Result<ReviewEvent> {
        self.review_step(update_id, revision, ReviewAction::Approve, &[], Some((request_hash, request_json))).await
    }

    /// The request an approval (a review id, e.g. `Publication::approval_id`)
    /// covers; none when it was recorded without one.
    pub async fn approved_request(&self, review_id: i64) -> Result<Option<ApprovedRequest>> {
        on_backend!(self, pool, [] => {
            let row = sqlx::query("SELECT review_id, request_hash, request FROM approved_requests WHERE review_id = $1")
                .bind(review_id)
                .fetch_optional(pool)
                .await?;
            row.map(|r| {
                let request: String = r.try_get("request")?;
                Ok(ApprovedRequest { review_id: r.try_get("review_id")?, hash: r.try_get("request_hash")?, request: serde_json::from_str(&request)? })
            })
            .transpose()
        })
    }

    /// Sends `revision` back with comments.
    pub async fn request_changes(&self, update_id: i64, revision: i64, comments: &[Comment]) -> Result<ReviewEvent> {
        self.review_step(update_id, revision, ReviewAction::Changes, comments, None).await
    }

    async fn review_step(&self, update_id: i64, revision: i64, action: ReviewAction, comments: &[Comment], request: Option<(&str, &str)>) -> Result<ReviewEvent> {
        let me = self.identity().await?;
        let facts = self.update_facts(update_id).await?;
        if facts.published_revision == Some(facts.version) {
            return Err(StoreError::Refused(format!("update {update_id} is published; there is nothing to review")));
        }
        if revision != facts.version {
            return Err(StoreError::Refused(format!(
                "revision {revision} is not the current one (revision {} is): review what will be published",
                facts.version
            )));
        }
        let (content, author) = self.revision_row(update_id, revision).await?;
        if action == ReviewAction::Approve && author == me {
            return Err(StoreError::Refused(format!(
                "self-approval refused: {me} wrote revision {revision}; someone else must approve it"
            )));
        }
        let comments = match action {
            ReviewAction::Changes => anchor_comments(&serde_json::from_str(&content)?, comments)?,
            _ => Vec::new(),
        };
        let hash = sha256_hex(&content);
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO reviews (update_id, revision, revision_hash, action, actor, at, comments)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {EVENT_COLUMNS}"
            ))
            .bind(update_id)
            .bind(revision)
            .bind(&hash)
            .bind(action.as_str())
            .bind(&me)
            .bind(timestamp(Utc::now()))
            .bind(serde_json::to_string(&comments)?)
            .fetch_one(&mut *tx)
            .await
            .map_err(refusal)?;
            let event = event_from_row(&row)?;
            if action == ReviewAction::Approve {
                // Compaction keeps the reviewed revision.
                sqlx::query("UPDATE updates SET reviewed_revision = $1 WHERE id = $2")
                    .bind(revision)
                    .bind(update_id)
                    .execute(&mut *tx)
                    .await?;
                if let Some((hash, json)) = request {
                    sqlx::query("INSERT INTO approved_requests (review_id, request_hash, request) VALUES ($1, $2, $3)")
                        .bind(event.id)
                        .bind(hash)
                        .bind(json)
                        .execute(&mut *tx)
                        .await
                        .map_err(refusal)?;
                }
            }
            let mut detail = serde_json::json!({ "review_id": event.id, "revision": revision, "incident_id": facts.incident_id, "comments": comments.len() });
            if let Some((hash, _)) = request {
                detail["request_hash"] = hash.into();
            }
            sql::audit(&mut tx, &me, action.audit_action(), "update", Some(update_id), Some(&event.revision_hash), &detail).await?;
            tx.commit().await?;
            Ok(event)
        })
    }

    /// Every review step on an update, oldest first.
    pub async fn review_events(&self, update_id: i64) -> Result<Vec<ReviewEvent>> {
        on_backend!(self, pool, [] => {
            sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM reviews WHERE update_id = $1 ORDER BY id"))
                .bind(update_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(event_from_row)
                .collect()
        })
    }

    /// Every recorded publish of an update, oldest first.
    pub async fn publications(&self, update_id: i64) -> Result<Vec<Publication>> {
        on_backend!(self, pool, [] => {
            sqlx::query(&format!("SELECT {PUBLICATION_COLUMNS} FROM publications WHERE update_id = $1 ORDER BY id"))
                .bind(update_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(publication_from_row)
                .collect()
        })
    }

    /// Emergency publishes (without approval), newest first: for approvers to
    /// look at afterwards.
    pub async fn emergency_publications(&self) -> Result<Vec<Publication>> {
        on_backend!(self, pool, [] => {
            sqlx::query(&format!(
                "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE emergency_reason IS NOT NULL ORDER BY id DESC"
            ))
            .fetch_all(pool)
            .await?
            .iter()
            .map(publication_from_row)
            .collect()
        })
    }

    /// Where an update's review stands.
    pub async fn review_status(&self, update_id: i64) -> Result<ReviewStatus> {
        let facts = self.update_facts(update_id).await?;
        let (content, author) = self.revision_row(update_id, facts.version).await?;
        let events = self.review_events(update_id).await?;
        let publications = self.publications(update_id).await?;
        let approval = standing_approval(&events, facts.version, &author);
        let last_on_current = events.iter().rev().find(|e| e.revision == facts.version);
        let state = if facts.published_revision == Some(facts.version) {
            ReviewState::Published
        } else if approval.is_some() {
            ReviewState::Approved
        } else {
            match last_on_current.map(|e| e.action) {
                Some(ReviewAction::Changes) => ReviewState::ChangesRequested,
                Some(_) => ReviewState::Requested,
                None => ReviewState::NotRequested,
            }
        };
        let voided_approval = if approval.is_none() {
            events.iter().rev().find(|e| e.action == ReviewAction::Approve && e.revision < facts.version).cloned()
        } else {
            None
        };
        Ok(ReviewStatus {
            incident_id: facts.incident_id,
            update_id,
            position: facts.position,
            status: facts.status,
            current_revision: facts.version,
            current_hash: sha256_hex(&content),
            author,
            state,
            approval,
            voided_approval,
            events,
            publications,
        })
    }

    /// Drafts whose current revision waits for review by someone other than
    /// its author, for the identity asking: the approver's queue.
    pub async fn review_queue(&self) -> Result<Vec<QueueItem>> {
        let me = self.identity().await?;
        on_backend!(self, pool, [] => {
            let rows = sqlx::query(
                "SELECT u.incident_id, u.id AS update_id, u.version, u.status, i.title_ja, i.title_en,
                        r.author, q.actor AS requested_by, q.at AS requested_at
                 FROM updates u
                 JOIN incidents i ON i.id = u.incident_id
                 JOIN revisions r ON r.update_id = u.id AND r.number = u.version
                 JOIN reviews q ON q.id = (SELECT MAX(id) FROM reviews WHERE update_id = u.id AND revision = u.version)
                 WHERE q.action = 'request' AND u.state = 'draft' AND r.author <> $1
                 ORDER BY q.id",
            )
            .bind(&me)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(QueueItem {
                        incident_id: r.try_get("incident_id")?,
                        update_id: r.try_get("update_id")?,
                        revision: r.try_get("version")?,
                        status: Status::parse(r.try_get("status")?).unwrap_or(Status::Investigating),
                        title_ja: r.try_get("title_ja")?,
                        title_en: r.try_get("title_en")?,
                        author: r.try_get("author")?,
                        requested_by: r.try_get("requested_by")?,
                        requested_at: r.try_get("requested_at")?,
                    })
                })
                .collect()
        })
    }

    /// The diffs for the approver: the revision against the incident's last
    /// published update, and against the revision the viewer last reviewed.
    pub async fn review_diff(&self, update_id: i64, revision: i64) -> Result<ReviewDiff> {
        let me = self.identity().await?;
        let facts = self.update_facts(update_id).await?;
        let new = self.revision(update_id, revision).await?;
        let published: Option<(i64, i64)> = on_backend!(self, pool, [] => {
            let row = sqlx::query(
                "SELECT id, published_revision FROM updates
                 WHERE incident_id = $1 AND state = 'published' AND id <> $2 AND published_revision IS NOT NULL
                 ORDER BY position DESC LIMIT 1",
            )
            .bind(facts.incident_id)
            .bind(update_id)
            .fetch_optional(pool)
            .await?;
            match row {
                Some(r) => Some((r.try_get("id")?, r.try_get("published_revision")?)),
                None => None,
            }
        });
        let old_published = match published {
            Some((id, rev)) => Some(self.revision(id, rev).await?),
            None => None,
        };
        let last_reviewed_revision = self
            .review_events(update_id)
            .await?
            .iter()
            .rev()
            .find(|e| e.actor == me && e.action != ReviewAction::Request && e.revision != revision)
            .map(|e| e.revision);
        let against_last_reviewed = match last_reviewed_revision {
            Some(n) => match self.revision(update_id, n).await {
                Ok(old) => Some(diff_updates(Some(&old), &new)),
                Err(StoreError::NotFound { .. }) => None, // compacted away
                Err(e) => return Err(e),
            },
            None => None,
        };
        Ok(ReviewDiff {
            revision,
            against_published: diff_updates(old_published.as_ref(), &new),
            last_reviewed_revision,
            against_last_reviewed,
        })
    }

    /// The character diff between two revisions of an update, per language.
    pub async fn diff_revisions(&self, update_id: i64, from: i64, to: i64) -> Result<UpdateDiff> {
        let (old, new) = (self.revision(update_id, from).await?, self.revision(update_id, to).await?);
        Ok(diff_updates(Some(&old), &new))
    }

    /// The emergency policy.
    pub async fn emergency_policy(&self) -> Result<Vec<EmergencyRule>> {
        on_backend!(self, pool, [] => {
            sqlx::query("SELECT status, first_only FROM emergency_policy ORDER BY status")
                .fetch_all(pool)
                .await?
                .iter()
                .filter_map(|r| {
                    let status: String = match r.try_get("status") { Ok(s) => s, Err(e) => return Some(Err(e.into())) };
                    let first_only: i64 = match r.try_get("first_only") { Ok(s) => s, Err(e) => return Some(Err(e.into())) };
                    Status::parse(&status).map(|status| Ok(EmergencyRule { status, first_only: first_only != 0 }))
                })
                .collect()
        })
    }

    /// Replaces the emergency policy (an empty list: every publish needs an
    /// approval). PostgreSQL: members of `desk_admin` only.
    pub async fn set_emergency_policy(&self, rules: &[EmergencyRule]) -> Result<()> {
        let me = self.identity().await?;
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            sqlx::query("DELETE FROM emergency_policy").execute(&mut *tx).await.map_err(refusal)?;
            for rule in rules {
                sqlx::query("INSERT INTO emergency_policy (status, first_only, updated_by, updated_at) VALUES ($1, $2, $3, $4)")
                    .bind(rule.status.as_str())
                    .bind(rule.first_only as i64)
                    .bind(&me)
                    .bind(timestamp(Utc::now()))
                    .execute(&mut *tx)
                    .await
                    .map_err(refusal)?;
            }
            sql::audit(&mut tx, &me, "policy", "emergency_policy", None, None, &serde_json::to_value(rules)?).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records a publish of `revision` before it is sent: on the standing
    /// approval (by someone other than the revision's author), or, with
    /// `emergency_reason`, under the emergency policy. Refused otherwise, by
    /// the store and again by the database.
    pub async fn authorise_publish(&self, update_id: i64, revision: i64, emergency_reason: Option<&str>) -> Result<Publication> {
        let me = self.identity().await?;
        let facts = self.update_facts(update_id).await?;
        if revision != facts.version {
            return Err(StoreError::Refused(format!(
                "publish refused: revision {revision} is not the current one (revision {} is)",
                facts.version
            )));
        }
        let (content, author) = self.revision_row(update_id, revision).await?;
        let hash = sha256_hex(&content);
        let reason = emergency_reason.map(str::trim);
        // The status that goes out is the revision's own (updates.status is
        // only a copy for lists), as the database checks it too.
        let status = serde_json::from_str::<Update>(&content)?.status;
        let approval_id = match reason {
            Some("") => return Err(StoreError::Refused("an emergency publish needs a reason".into())),
            Some(_) => {
                let allowed = self.emergency_policy().await?.iter().any(|r| r.allows(status, facts.position));
                if !allowed {
                    return Err(StoreError::Refused(format!(
                        "emergency publish refused: the policy does not allow publishing {}{} without approval",
                        status.as_str(),
                        if facts.position == 1 { "" } else { " (beyond an incident's first update)" }
                    )));
                }
                None
            }
            None => {
                let events = self.review_events(update_id).await?;
                match standing_approval(&events, revision, &author) {
                    Some(a) if a.revision_hash == hash => Some(a.id),
                    _ => {
                        return Err(StoreError::Refused(format!(
                            "publish refused: revision {revision} has no approval by someone other than its author ({author})"
                        )))
                    }
                }
            }
        };
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO publications (update_id, revision, revision_hash, actor, at, approval_id, emergency_reason)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {PUBLICATION_COLUMNS}"
            ))
            .bind(update_id)
            .bind(revision)
            .bind(&hash)
            .bind(&me)
            .bind(timestamp(Utc::now()))
            .bind(approval_id)
            .bind(reason)
            .fetch_one(&mut *tx)
            .await
            .map_err(refusal)?;
            let publication = publication_from_row(&row)?;
            let (action, detail) = match reason {
                Some(reason) => ("emergency_publish", serde_json::json!({ "publication_id": publication.id, "revision": revision, "status": status.as_str(), "reason": reason })),
                None => ("publish", serde_json::json!({ "publication_id": publication.id, "revision": revision, "approval_id": approval_id })),
            };
            sql::audit(&mut tx, &me, action, "update", Some(update_id), Some(&publication.revision_hash), &detail).await?;
            tx.commit().await?;
            Ok(publication)
        })
    }

    /// Records a publish and marks the update published at once (no
    /// Statuspage request: imports of what was sent elsewhere, tests, `desk`).
    /// The app authorises first ([`crate::gate::ReviewGate`]), sends, then
    /// calls [`Store::mark_published`].
    pub async fn publish_recorded(&self, update_id: i64, revision: i64, emergency_reason: Option<&str>, at: DateTime<Utc>) -> Result<Publication> {
        let publication = self.authorise_publish(update_id, revision, emergency_reason).await?;
        let me = self.identity().await?;
        self.mark_published(update_id, revision, at, &me).await?;
        Ok(publication)
    }
}

/// The approval that stands for `revision`: the latest approval of it by
/// someone other than `author`, with no request for changes after it.
fn standing_approval(events: &[ReviewEvent], revision: i64, author: &str) -> Option<ReviewEvent> {
    let on_rev: Vec<&ReviewEvent> = events.iter().filter(|e| e.revision == revision).collect();
    let last_decision = on_rev.iter().rev().find(|e| e.action != ReviewAction::Request)?;
    (last_decision.action == ReviewAction::Approve && last_decision.actor != author).then(|| (*last_decision).clone())
}
