//! Publishing one update: the one path for the app and `desk`.
//!
//! lint errors block it → a stored draft goes through the review gate (the
//! store records the publish on an approval of that exact revision by
//! someone else, or an emergency publish the policy allows, with a reason)
//! → the job is rendered from the approved text → the gate checks the job →
//! the engine sends it exactly once → the draft is marked published once
//! the page has it. Updates already published in the store (imported
//! history, or a repeat) and incident documents are sent as they are: the
//! engine's log makes a repeat a no-op.

use desk_lint::Severity;
use desk_model::{Bilingual, Incident};
use desk_publish::job::render_job;
use desk_publish::{PublishGate, PublishJob, PublishReport};
use desk_statuspage::ApiRequest;
use desk_store::{Store, UpdateState};
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
    /// What happened, in words (English; from the publishing engine).
    pub summary: String,
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
}

async fn prepare(p: &Publisher<'_>, source: Source<'_>, update: Option<usize>) -> Result<Prepared> {
    let (incident, key, stored) = match source {
        Source::Stored { store, id } => {
            let stored = store.load_incident(id).await?;
            (stored.to_incident(), format!("store:{id}"), Some(stored))
        }
        Source::Document { incident, key } => (incident, key, None),
    };
    let index = crate::incidents::pick(&incident, update.map(|u| u as u32))?;
    let draft = stored
        .as_ref()
        .map(|s| &s.updates[index])
        .filter(|u| u.state == UpdateState::Draft)
        .map(|u| (u.id, u.version));
    let blocking: Vec<_> = desk_lint::published::blocking_errors(p.templates, &incident, index, p.lint)?
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !blocking.is_empty() {
        return Err(AppError::blocked(blocking));
    }
    Ok(Prepared { incident, key, index, draft })
}

/// The job for the prepared update, its components mapped to the page's.
fn job(p: &Publisher<'_>, prepared: &Prepared) -> Result<PublishJob> {
    let mut job = render_job(p.templates, &prepared.incident, &prepared.key, prepared.index, &p.target.pages)?;
    p.target.settings.map_components(&mut job);
    Ok(job)
}

/// Publishes update `update` (0-based; the newest when none) of `source`
/// exactly once to `p.target`. A stored draft needs an approval of its
/// current revision by someone other than its author, or
/// `emergency_reason` under the organisation's policy.
pub async fn publish(p: &Publisher<'_>, source: Source<'_>, update: Option<usize>, emergency_reason: Option<&str>) -> Result<Published> {
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
    let gate = match (prepared.draft, store) {
        (Some((update_id, revision)), Some(store)) => {
            let gate = ReviewGate::authorise(store, update_id, revision, emergency_reason).await?.with_incident_key(&prepared.key);
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
    }
    let report = p.target.engine.publish(&job).await?;
    if let (Some((update_id, revision)), Some(store), true) = (prepared.draft, store, report.all_done()) {
        let me = store.identity().await?;
        store.mark_published(update_id, revision, chrono::Utc::now(), &me).await?;
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
pub async fn publish_update(desk: &Desk, id: u32, update: Option<u32>, emergency_reason: Option<&str>) -> Result<PublishOutcome> {
    let templates = desk.templates().await?;
    let target = desk.publishing.current()?;
    let lint = desk.lint.get();
    let publisher = Publisher { templates: &templates.set, lint: &lint, target: &target };
    let source = Source::Stored { store: &desk.store, id: id as i64 };
    let published = publish(&publisher, source, update.map(|u| u as usize), emergency_reason).await;
    // Whatever happened, the incident may have changed: the live preview reads it again.
    desk.draft_contexts.forget();
    Ok(outcome(&published?.report))
}

/// The report as the app shows it.
pub fn outcome(report: &PublishReport) -> PublishOutcome {
    PublishOutcome {
        all_done: report.all_done(),
        pages: report
            .pages
            .iter()
            .map(|p| PagePublished {
                page_id: p.page_id.clone(),
                done: p.result.is_done(),
                summary: p.to_string(),
                url: p.result.incident().map(|(_, url)| url.to_string()),
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
