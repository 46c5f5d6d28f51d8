//! Publishing one update: the one path for the app and `desk`.
//!
//! lint errors block it → a stored draft goes through the review gate (the
//! store records the publish on an approval of that exact revision by
//! someone else, or an emergency publish the policy allows, with a reason)
//! → the job is rendered from the approved text → the gate checks the job →
//! the engine sends it exactly once, recording each step in the database →
//! the draft is marked published in the same transaction that confirms its
//! last page. An update already published in the store is never sent again
//! to Statuspage (only the sandbox may show it, having no subscribers):
//! its outcome is read from the database's publish records (an import from
//! a Statuspage export is known to be on the page it came from; one from
//! text is on no page). Incident documents are published under their own
//! identity ([`document_key`]), so copies of one file on several machines
//! land on one incident.

use std::path::Path;

use desk_lint::Severity;
use desk_model::{Bilingual, Incident};
use desk_publish::job::{render_job_with, Pages};
use desk_publish::{publish_id, Action, PageOutcome, PageResult, PublishGate, PublishJob, PublishReport};
use desk_statuspage::ApiRequest;
use desk_store::{MarkPublished, Store, StoredIncident, UpdateState};
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;

use crate::gate::ReviewGate;
use crate::publishing::Target;
use crate::{AppError, Desk, ErrorKind, Result};

/// Where a publish went, page by page.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishOutcome {
    pub all_done: bool,
    pub pages: Vec<PagePublished>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PagePublished {
    pub page_id: String,
    /// True when it is on the page (now or from an earlier publish).
    pub done: bool,
    /// True when it was there already and nothing was sent.
    pub already: bool,
    /// What happened, for the author, in both languages.
    pub summary: Bilingual<String>,
    /// The engine's own line (ids, addresses), for the log, not the screen.
    pub technical: String,
    /// The incident's page, when published.
    pub url: Option<String>,
}

/// Where publishing goes.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishTarget {
    /// True while updates go to the built-in local sandbox.
    pub sandbox: bool,
    pub page_id: String,
    /// The status page as readers see it.
    pub public_url: String,
    /// Why updates go there.
    pub why: Bilingual<String>,
}

/// What is published: an incident in the store, or an incident document
/// (named by `key`, the same key every time it is published).
pub enum Source<'a> {
    Stored { store: &'a Store, id: i64 },
    Document { incident: Incident, key: String },
}

/// What one publish needs besides the update: the templates it is rendered
/// with, the linter's configuration, and where it goes.
pub struct Publisher<'a> {
    pub templates: &'a TemplateSet,
    pub lint: &'a desk_lint::Config,
    pub target: &'a Target,
}

/// A publish that went out (or was found already out), and which update it was.
pub struct Published {
    /// 0-based.
    pub index: usize,
    pub report: PublishReport,
}

/// The incident and which of its updates is meant, ready to publish.
struct Prepared {
    incident: Incident,
    key: String,
    index: usize,
    /// A stored draft: (update id, current revision).
    draft: Option<(i64, i64)>,
    stored: Option<StoredIncident>,
}

/// The key a stored incident is published under: the database's identity
/// and the incident's id, so two databases never share one.
pub async fn stored_key(store: &Store, id: i64) -> Result<String> {
    Ok(format!("db:{}:{id}", store.database_identity().await?))
}

/// The identity of the incident document at `path`, under which it is
/// published from any machine: its `uid`, or, the first time, one derived
/// from what an author does not change by accident (its kind, when it
/// began and its Japanese title), which is then written into the file
/// (unless `write` is false: a dry run changes nothing).
pub fn document_key(path: &Path, write: bool) -> Result<String> {
    let unreadable = |e: String| AppError::invalid("file", format!("{}: {e}", path.display()), format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| unreadable(e.message().to_string()))?;
    if let Some(uid) = table.get("uid") {
        return match uid.as_str().map(str::trim).filter(|u| !u.is_empty()) {
            Some(uid) => Ok(format!("doc:{uid}")),
            None => Err(AppError::invalid(
                "uid",
                format!("{}: uid は空でない文字列にしてください", path.display()),
                format!("{}: uid must be a non-empty string", path.display()),
            )),
        };
    }
    let incident = desk_model::IncidentDocument::parse(&text).map_err(|e| unreadable(e.to_string()))?;
    let began = incident
        .period
        .map(|p| p.start)
        .or_else(|| incident.updates.first().and_then(|u| u.created_at))
        .map(|t| t.to_rfc3339())
        .unwrap_or_default();
    let uid = short_hash(&format!("{}\n{began}\n{}", incident.kind.as_str(), incident.title.ja.trim()));
    if !write {
        return Ok(format!("doc:{uid}"));
    }
    let marked = format!(
        "# This document's identity on the status page: keep it when copying or editing.\nuid = \"{uid}\"\n\n{text}"
    );
    std::fs::write(path, marked).map_err(|e| unreadable(format!("cannot write its identity into the file: {e}")))?;
    Ok(format!("doc:{uid}"))
}

/// A short, stable hex digest (the first 16 bytes of the store's SHA-256).
fn short_hash(text: &str) -> String {
    desk_store::audit::sha256_hex(text)[..32].to_string()
}

async fn prepare(p: &Publisher<'_>, source: Source<'_>, update: Option<usize>) -> Result<Prepared> {
    let (incident, key, stored) = match source {
        Source::Stored { store, id } => {
            let stored = store.load_incident(id).await?;
            (stored.to_incident(), stored_key(store, id).await?, Some(stored))
        }
        Source::Document { incident, key } => (incident, key, None),
    };
    let index = crate::incidents::pick(&incident, update.map(|u| u as u32))?;
    let draft = stored
        .as_ref()
        .map(|s| &s.updates[index])
        .filter(|u| u.state == UpdateState::Draft)
        .map(|u| (u.id, u.version));
    let mut blocking: Vec<_> = desk_lint::published::blocking_errors(p.templates, &incident, index, p.lint)?
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    // A maintenance's window is checked against the clock as it is sent.
    let window = crate::maintenance::findings(p.templates, p.lint, &incident, index, chrono::Utc::now())?;
    blocking.extend(window.into_iter().filter(|d| d.severity == Severity::Error));
    if !blocking.is_empty() {
        return Err(AppError::blocked(blocking));
    }
    Ok(Prepared { incident, key, index, draft, stored })
}

fn page_ids(pages: &Pages) -> Vec<String> {
    match pages {
        Pages::Combined(id) => vec![id.clone()],
        Pages::Split { ja, en } => vec![ja.clone(), en.clone()],
    }
}

/// An incident imported from a Statuspage export is on the page it came
/// from: its published updates are recorded there (on the first target
/// page), so a new update goes to the same incident.
async fn record_imported(store: &Store, target: &Target, prepared: &Prepared) -> Result<()> {
    let Some(stored) = &prepared.stored else { return Ok(()) };
    let (Some(remote), "statuspage-json") = (&stored.external_id, stored.source.as_str()) else { return Ok(()) };
    let page = target.first_page().to_string();
    if store.remote_incident(&prepared.key, &page).await?.is_some() {
        return Ok(());
    }
    for (i, _) in stored.updates.iter().enumerate().filter(|(_, u)| u.state == UpdateState::Published) {
        let rec = desk_store::PublishRecord {
            publish_id: publish_id(&prepared.key, i, &page),
            incident_key: prepared.key.clone(),
            update_index: i as i64,
            page_id: page.clone(),
            lang: None,
            action: if i == 0 { "create" } else { "update" }.into(),
            state: "confirmed".into(),
            remote_incident_id: Some(remote.clone()),
            remote_update_id: None,
            url: None,
            request_hash: None,
            message: Some("imported from a Statuspage export".into()),
            recorded_by: String::new(),
            updated_at: String::new(),
        };
        store.record_publish(&rec, None).await?;
    }
    Ok(())
}

/// An update already published in the store is never sent again: where the
/// database records it on a page, that is the outcome; elsewhere it is refused.
async fn already_published(store: &Store, target: &Target, prepared: &Prepared) -> Result<Published> {
    let n = prepared.index + 1;
    let mut report = PublishReport::default();
    for page in page_ids(&target.pages) {
        let id = publish_id(&prepared.key, prepared.index, &page);
        match store.publish_record(&id).await?.filter(|r| r.state == "confirmed") {
            Some(rec) => report.pages.push(PageOutcome {
                page_id: page.clone(),
                lang: None,
                publish_id: id,
                action: Action::parse(&rec.action).unwrap_or(Action::Update),
                result: PageResult::AlreadyPublished {
                    incident_id: rec.remote_incident_id.unwrap_or_default(),
                    url: rec.url.unwrap_or_default(),
                },
            }),
            None => {
                let text = prepared.stored.as_ref().is_some_and(|s| s.source == "flattened-text");
                let (ja, en) = if text {
                    ("テキストから取り込んだ更新で、どのページにも公開されていません", "it was imported from text and is on no status page")
                } else {
                    ("公開済みですが、このページに公開した記録がありません", "it is published, but there is no record of it on this page")
                };
                return Err(AppError::refused(
                    format!("{n} 番目の更新は{ja}（{page}）。公開済みの更新は送り直しません。新しい更新を書いて承認を受けてください。"),
                    format!("update {n}: {en} ({page}); a published update is not sent again. Write a new update and have it approved"),
                ));
            }
        }
    }
    Ok(Published { index: prepared.index, report })
}

/// The job for the prepared update, its components mapped to the page's.
fn job(p: &Publisher<'_>, prepared: &Prepared) -> Result<PublishJob> {
    job_for(p, &prepared.incident, &prepared.key, prepared.index)
}

/// The job for `incident.updates[index]` through `p`: rendered with its
/// templates, notifying by the target's settings, components mapped to the page's.
pub(crate) fn job_for(p: &Publisher<'_>, incident: &Incident, key: &str, index: usize) -> Result<PublishJob> {
    let mut job = render_job_with(p.templates, incident, key, index, &p.target.pages, &p.target.settings)?;
    p.target.settings.map_components(&mut job);
    Ok(job)
}

/// The reason recorded for a publish without approval in single-person
/// mode, where nobody else could approve (approvers of a later team see it).
pub const SINGLE_PERSON_REASON: &str = "単独モードで公開 (single-person mode: nobody else to approve)";

/// Publishes update `update` (0-based; the newest when none) of `source`
/// exactly once to `p.target`. A stored draft needs an approval of its
/// current revision by someone other than its author, or
/// `emergency_reason` under the organisation's policy.
/// `single_person`: one person works alone (see [`single_person`]), so a
/// draft without approval goes out as the policy allows, with
/// [`SINGLE_PERSON_REASON`] recorded; no reason is asked for.
pub async fn publish(
    p: &Publisher<'_>,
    source: Source<'_>,
    update: Option<usize>,
    emergency_reason: Option<&str>,
    confirm_new_incident: bool,
    single_person: bool,
) -> Result<Published> {
    let store = match &source {
        Source::Stored { store, .. } => Some(*store),
        Source::Document { .. } => None,
    };
    if emergency_reason.is_some_and(|r| r.trim().is_empty()) {
        return Err(AppError::invalid(
            "reason",
            "承認なしで公開するには理由が必要です。承認を待てない理由を書いてください。",
            "an emergency publish needs a reason: write why it cannot wait for approval",
        ));
    }
    let mut prepared = prepare(p, source, update).await?;
    if emergency_reason.is_some() && prepared.draft.is_none() {
        let n = prepared.index + 1;
        return Err(AppError::refused(
            format!("{n} 番目の更新はすでに公開されています。承認なしで公開する下書きはありません。"),
            format!("update {n} is already published: there is no draft to publish without approval"),
        ));
    }
    if let Some(store) = store {
        record_imported(store, p.target, &prepared).await?;
        // The sandbox has no subscribers: published history may be shown
        // there (the samples, on a first run); a real page never gets it again.
        if prepared.draft.is_none() && p.target.sandbox_reason.is_none() {
            return already_published(store, p.target, &prepared).await;
        }
        let from_text = prepared.stored.as_ref().is_some_and(|s| s.source == "flattened-text");
        let anywhere = async {
            for page in page_ids(&p.target.pages) {
                if store.remote_incident(&prepared.key, &page).await?.is_some() {
                    return Ok::<bool, AppError>(true);
                }
            }
            Ok(false)
        };
        if from_text && !confirm_new_incident && !anywhere.await? {
            return Err(AppError::refused(
                "この障害はテキストから取り込んだもので、どのステータスページにもありません。公開すると新しいインシデントとして作成され、購読者に通知されます。よければ確認のうえもう一度公開してください。",
                "this incident was imported from text and is on no status page: publishing creates a new incident there and notifies subscribers. Confirm to publish it",
            )
            .on_field("confirm_new_incident"));
        }
    }
    let emergency_reason = emergency_reason.or((single_person && prepared.draft.is_some()).then_some(SINGLE_PERSON_REASON));
    let gate = match (prepared.draft, store) {
        (Some((update_id, revision)), Some(store)) => {
            let approved = single_person && store.review_status(update_id).await?.state == desk_store::review::ReviewState::Approved;
            let reason = if approved { None } else { emergency_reason };
            let gate = ReviewGate::authorise(store, update_id, revision, reason).await?.with_incident_key(&prepared.key);
            if let Some(approved) = gate.update() {
                prepared.incident.updates[prepared.index] = approved.clone();
            }
            Some(gate)
        }
        _ => None,
    };
    let job = job(p, &prepared)?;
    if let Some(gate) = &gate {
        let problems = gate.problems(&job);
        if !problems.is_empty() {
            return Err(AppError::from_english(ErrorKind::Refused, problems.join("; ")));
        }
        // The approval covers the request: anything changed since refuses it.
        if let (Some(store), Some(publication)) = (store, gate.publication()) {
            crate::approval::check_covered(store, publication, &job).await?;
        }
    }
    // The confirmation of the last page marks the draft published, in one transaction.
    let _marking = prepared.draft.map(|(update_id, revision)| {
        p.target.log.marking(MarkPublished {
            update_id,
            revision,
            incident_key: prepared.key.clone(),
            update_index: prepared.index as i64,
            pages: page_ids(&p.target.pages),
        })
    });
    let report = p.target.engine.publish(&job).await?;
    // Once out, the update's sentences join the translation memory. It went
    // out whatever happens here: a failure leaves them to `desk tm build`.
    if let (Some(store), Some((update_id, _))) = (store, prepared.draft) {
        let _ = crate::memory::remember_update(store, update_id).await;
    }
    Ok(Published { index: prepared.index, report })
}

/// The requests a publish would send, key redacted, sending nothing and
/// recording nothing (`desk publish --dry-run`); empty when it is out already.
pub async fn plan(p: &Publisher<'_>, source: Source<'_>, update: Option<usize>) -> Result<(usize, Vec<ApiRequest>)> {
    let prepared = prepare(p, source, update).await?;
    let job = job(p, &prepared)?;
    Ok((prepared.index, p.target.engine.plan(&job).await?))
}

/// Publishes update `update` (the newest when none) of incident `id` to
/// where the app publishes now; see [`publish`].
pub async fn publish_update(desk: &Desk, id: u32, update: Option<u32>, emergency_reason: Option<&str>, confirm_new_incident: bool) -> Result<PublishOutcome> {
    let alone = single_person(&desk.store).await?;
    let templates = desk.templates().await?;
    let target = desk.publishing.current()?;
    let lint = desk.lint.get();
    let publisher = Publisher { templates: &templates.set, lint: &lint, target: &target };
    let source = Source::Stored { store: &desk.store, id: id as i64 };
    let published = publish(&publisher, source, update.map(|u| u as usize), emergency_reason, confirm_new_incident, alone).await;
    // Whatever happened, the incident may have changed: the live preview reads it again.
    desk.draft_contexts.forget();
    Ok(outcome(&published?.report, &target))
}

/// One person works alone: a database of this machine (not a team's
/// PostgreSQL) whose review policy is still the single-person one (every
/// status may go out without approval). Publishing is then the Publish
/// button and a confirmation; a team keeps four eyes.
pub async fn single_person(store: &Store) -> Result<bool> {
    if store.kind() != desk_store::BackendKind::Sqlite {
        return Ok(false);
    }
    let policy = store.emergency_policy().await?;
    Ok(crate::desk::single_person_policy().iter().all(|rule| policy.iter().any(|r| r.status == rule.status && !r.first_only)))
}

/// The report as the app shows it.
pub fn outcome(report: &PublishReport, target: &Target) -> PublishOutcome {
    let place = |page: &str| match &target.sandbox_reason {
        Some(_) => Bilingual { ja: "サンドボックス".to_string(), en: "the sandbox".to_string() },
        None => Bilingual { ja: format!("Statuspage（{page}）"), en: format!("Statuspage ({page})") },
    };
    PublishOutcome {
        all_done: report.all_done(),
        pages: report
            .pages
            .iter()
            .map(|p| {
                let at = place(&p.page_id);
                let summary = match &p.result {
                    PageResult::Published { .. } => Bilingual { ja: format!("{}に公開しました。", at.ja), en: format!("Published to {}.", at.en) },
                    PageResult::AlreadyPublished { .. } => Bilingual {
                        ja: format!("{}に公開済みです。もう一度は送っていません。", at.ja),
                        en: format!("Already published to {}; nothing was sent again.", at.en),
                    },
                    PageResult::Failed { reason } => {
                        let why = AppError::from_english(ErrorKind::Unavailable, reason.clone()).message;
                        Bilingual { ja: format!("{}に公開できませんでした: {}", at.ja, why.ja), en: format!("Not published to {}: {}", at.en, why.en) }
                    }
                    PageResult::Unconfirmed { .. } => Bilingual {
                        ja: format!("{}に届いたか確認できませんでした。もう一度公開すると、先に確認してから送ります。", at.ja),
                        en: format!("Could not confirm it reached {}. Publishing again checks first, then sends.", at.en),
                    },
                };
                PagePublished {
                    page_id: p.page_id.clone(),
                    done: p.result.is_done(),
                    already: matches!(p.result, PageResult::AlreadyPublished { .. }),
                    summary,
                    technical: p.to_string(),
                    url: p.result.incident().map(|(_, url)| url.to_string()).filter(|u| !u.is_empty()),
                }
            })
            .collect(),
        warnings: report.warnings.clone(),
    }
}

/// Where publishing goes, and why.
pub fn describe(target: &Target) -> PublishTarget {
    PublishTarget {
        sandbox: target.sandbox_reason.is_some(),
        page_id: target.page_label(),
        public_url: target.public_url.clone(),
        why: match &target.sandbox_reason {
            Some(reason) => reason.explain(),
            None => Bilingual {
                ja: "API キーとページ ID が設定されているため、Statuspage に公開します。".into(),
                en: "An API key and page id are set, so updates go to Statuspage.".into(),
            },
        },
    }
}

/// Where publishing goes now.
pub fn publish_target(desk: &Desk) -> Result<PublishTarget> {
    Ok(describe(&*desk.publishing.current()?))
}

/// What the Publish button's confirmation shows: exactly what goes where,
/// and who is notified; and where the update is already, if it is.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishPlan {
    /// One person alone: publishing needs no approval and no reason.
    pub single_person: bool,
    pub target: PublishTarget,
    /// The title readers will see (as rendered, with the status prefix).
    pub title: Bilingual<String>,
    pub status: desk_model::Status,
    /// Whether the page's subscribers are notified (Statuspage's `deliver_notifications`).
    pub deliver_notifications: bool,
    /// Where this update is on the page already (publish records of this database).
    pub published: Vec<PublishedPage>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishedPage {
    pub page_id: String,
    pub url: Option<String>,
    /// RFC 3339, when the page confirmed it.
    pub at: String,
}

/// What publishing update `update` (the newest when none) of incident `id`
/// would send, and where it is already.
pub async fn publish_plan(desk: &Desk, id: u32, update: Option<u32>) -> Result<PublishPlan> {
    let templates = desk.templates().await?;
    let target = desk.publishing.current()?;
    let lint = desk.lint.get();
    let publisher = Publisher { templates: &templates.set, lint: &lint, target: &target };
    let stored = desk.store.load_incident(id as i64).await?;
    let incident = stored.to_incident();
    let index = crate::incidents::pick(&incident, update)?;
    let key = stored_key(&desk.store, id as i64).await?;
    let job = job_for(&publisher, &incident, &key, index)?;
    let title = match &target.pages {
        Pages::Split { .. } => Bilingual { ja: job.pages[0].title.clone(), en: job.pages.get(1).map_or(String::new(), |p| p.title.clone()) },
        Pages::Combined(_) => Bilingual { ja: job.pages[0].title.clone(), en: job.pages[0].title.clone() },
    };
    let published = desk
        .store
        .publish_records(&key)
        .await?
        .into_iter()
        .filter(|r| r.update_index == index as i64 && r.state == "confirmed" && page_ids(&target.pages).contains(&r.page_id))
        .map(|r| PublishedPage { page_id: r.page_id, url: r.url, at: r.updated_at })
        .collect();
    Ok(PublishPlan {
        single_person: single_person(&desk.store).await?,
        target: describe(&target),
        title,
        status: job.status,
        deliver_notifications: job.deliver_notifications,
        published,
    })
}
