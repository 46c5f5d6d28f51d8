//! What an approval covers: the request that would be sent.
//!
//! An approval is of a revision's text, but what goes out also depends on
//! the templates, the incident's fields (title, impact, components), the
//! target pages and whether subscribers are notified (the author's choice,
//! else the organisation's default for the status). So an approval given in
//! the app records, in the same transaction, the digest of the request that
//! would be sent at that moment (desk-publish's `request_digest`), and a
//! publish on it sends only a request with that same digest: anything that
//! changed since refuses the publish, naming what changed, and asks for a new
//! approval. An approval recorded without a digest (before this existed) is
//! refused the same way: approve again. `desk review approve` records the
//! digest under the organisation's saved publish settings.

use desk_publish::job::{canonical_json, describe_changes, request_digest, RequestDigest};
use desk_publish::PublishJob;
use desk_store::review::{Publication, ReviewEvent};
use desk_store::Store;

use crate::publish::{job_for, stored_key, Publisher};
use crate::{AppError, Result};

/// The digest of what publishing `revision` of update `update_id` would send now through `p`.
pub async fn request_now(store: &Store, p: &Publisher<'_>, update_id: i64, revision: i64) -> Result<RequestDigest> {
    let status = store.review_status(update_id).await?;
    let stored = store.load_incident(status.incident_id).await?;
    let index = stored
        .updates
        .iter()
        .position(|u| u.id == update_id)
        .ok_or_else(|| AppError::not_found("その更新はインシデントにありません。", "that update is not in its incident"))?;
    if stored.updates[index].version != revision {
        return Err(AppError::refused(
            format!("版 {revision} は最新ではありません（最新は版 {}）。公開される内容を確認して承認してください。", stored.updates[index].version),
            format!("revision {revision} is not the current one (revision {} is): review what will be published", stored.updates[index].version),
        ));
    }
    let key = stored_key(store, status.incident_id).await?;
    let job = job_for(p, &stored.to_incident(), &key, index)?;
    Ok(request_digest(&job))
}

/// Approves `revision` of update `update_id` together with the request
/// publishing it through `p` would send now.
pub async fn approve_covering(store: &Store, p: &Publisher<'_>, update_id: i64, revision: i64) -> Result<ReviewEvent> {
    let digest = request_now(store, p, update_id, revision).await?;
    Ok(store.approve_request(update_id, revision, &digest.hash, &canonical_json(&digest.request)).await?)
}

/// Refuses a publish on an approval when `job` is not exactly the request
/// the approval covers (an emergency publish rests on no approval: nothing to check).
pub async fn check_covered(store: &Store, publication: &Publication, job: &PublishJob) -> Result<()> {
    let Some(approval_id) = publication.approval_id else { return Ok(()) };
    let now = request_digest(job);
    let Some(approved) = store.approved_request(approval_id).await? else {
        return Err(AppError::refused(
            "この承認には、送信する内容（本文・通知の有無など）の記録がありません。送信内容を確認できないため公開しません。アプリで承認し直してもらってください。",
            "this approval does not record what would be sent (bodies, whether subscribers are notified, ...), so it cannot be checked and nothing was sent: ask for a new approval in the app",
        ));
    };
    if approved.hash == now.hash {
        return Ok(());
    }
    let mut changes = describe_changes(&approved.request, &now.request);
    if changes.is_empty() {
        changes.push("the request's encoding".into());
    }
    let list = changes.join("; ");
    Err(AppError::refused(
        format!("承認の後で送信内容が変わったため、承認は送信される内容を保証しなくなりました。何も送信していません。変わった箇所: {list}。新しく承認を受けてください。"),
        format!("the approval no longer covers what would be sent, so nothing was sent. Changed since the approval: {list}. Ask for a new approval"),
    ))
}

/// Approves `revision` of update `update_id` with the digest of what
/// publishing it would send under the organisation's saved publish settings
/// (`desk review approve`, which has no publishing target of its own). The
/// digest names pages by language, so only the publish mode matters here.
pub async fn approve_under_saved_settings(store: &Store, update_id: i64, revision: i64) -> Result<ReviewEvent> {
    use desk_publish::PublishMode;
    use desk_statuspage::{ApiKey, Client, ClientConfig};

    let settings = crate::settings::publish_settings(store).await?;
    let pages = crate::publishing::sandbox_pages(settings.mode);
    // Nothing is sent: the target only shapes the request.
    let client = Client::new(ClientConfig::new(ClientConfig::STATUSPAGE_BASE), ApiKey::new(crate::publishing::PLACEHOLDER_KEY)?)?;
    let combined = settings.mode == PublishMode::Combined;
    let target = crate::publishing::Target::new(store, client, pages, settings, None, String::new());
    let templates = store.template_set().await?;
    let lint = crate::settings::lint_config(store, combined).await?;
    approve_covering(store, &Publisher { templates: &templates, lint: &lint, target: &target }, update_id, revision).await
}
