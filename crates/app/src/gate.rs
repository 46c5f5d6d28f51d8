//! The review rules (desk-store's) as a `desk_publish::PublishGate`.
//!
//! The engine's gate is synchronous and sees only the rendered job, so the
//! decision is taken before, asynchronously, against the store:
//! [`ReviewGate::authorise`] records the publish (which the store and, in team
//! mode, the database refuse without an approval of that exact revision by
//! someone other than its author, or an allowed emergency publish with a
//! reason) and hands back the approved text. Build the job from that text;
//! the gate then lets through only that incident's update with that status,
//! and blocks everything when authorisation was refused.

use desk_model::Update;
use desk_publish::{PublishGate, PublishJob};
use desk_store::review::Publication;
use desk_store::{Result, Store, StoreError};

/// A publish the store authorised (or refused).
#[derive(Debug, Clone)]
pub struct ReviewGate {
    incident_key: String,
    update_index: usize,
    update: Option<Update>,
    publication: Option<Publication>,
    problems: Vec<String>,
}

impl ReviewGate {
    /// Authorises publishing the current `revision` of update `update_id`:
    /// on its approval, or with `emergency_reason` under the emergency policy.
    /// A refusal gives a gate that blocks, naming why; only a failure to reach
    /// the database is an error.
    pub async fn authorise(store: &Store, update_id: i64, revision: i64, emergency_reason: Option<&str>) -> Result<ReviewGate> {
        let status = store.review_status(update_id).await?;
        let mut gate = ReviewGate {
            incident_key: status.incident_id.to_string(),
            update_index: (status.position - 1).max(0) as usize,
            update: None,
            publication: None,
            problems: Vec::new(),
        };
        match store.authorise_publish(update_id, revision, emergency_reason).await {
            Ok(publication) => {
                gate.update = Some(store.revision(update_id, revision).await?);
                gate.publication = Some(publication);
            }
            Err(StoreError::Refused(why)) => gate.problems.push(why),
            Err(e) => return Err(e),
        }
        Ok(gate)
    }

    /// The key the job names the incident by, when it is not the store's id
    /// as text (the default).
    pub fn with_incident_key(mut self, key: &str) -> ReviewGate {
        self.incident_key = key.to_string();
        self
    }

    /// The approved text: the job must be built from exactly this.
    pub fn update(&self) -> Option<&Update> {
        self.update.as_ref()
    }

    /// The recorded publish (mark the update published with its revision
    /// once Statuspage confirms: `Store::mark_published`).
    pub fn publication(&self) -> Option<&Publication> {
        self.publication.as_ref()
    }

    pub fn allowed(&self) -> bool {
        self.problems.is_empty() && self.publication.is_some()
    }
}

impl PublishGate for ReviewGate {
    fn problems(&self, job: &PublishJob) -> Vec<String> {
        if !self.problems.is_empty() {
            return self.problems.clone();
        }
        let Some(update) = &self.update else {
            return vec!["publish refused: not authorised".into()];
        };
        if job.incident_key != self.incident_key || job.update_index != self.update_index {
            return vec![format!(
                "publish refused: the authorised publish is update {} of incident {}, not update {} of incident {}",
                self.update_index + 1,
                self.incident_key,
                job.update_index + 1,
                job.incident_key
            )];
        }
        if job.status != update.status {
            return vec![format!(
                "publish refused: the approved revision's status is {}, the job's is {}",
                update.status.as_str(),
                job.status.as_str()
            )];
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use desk_model::{Bilingual, Kind, Status};
    use desk_store::review::ReviewState;

    fn job(incident_key: &str, update_index: usize, status: Status) -> PublishJob {
        PublishJob {
            incident_key: incident_key.into(),
            update_index,
            kind: Kind::Incident,
            status,
            impact: desk_model::Impact::Major,
            components: Vec::new(),
            scheduled_for: None,
            scheduled_until: None,
            maintenance: None,
            deliver_notifications: false,
            notify_twitter: false,
            pages: Vec::new(),
        }
    }

    #[tokio::test]
    async fn the_review_gate_blocks_the_engine_without_approval() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("gate.db").to_str().unwrap()).await.unwrap();
        let (author, approver) = (store.acting_as("aiko").unwrap(), store.acting_as("ben").unwrap());
        let title = Bilingual { ja: "障害".to_string(), en: "Outage".to_string() };
        let id = author.create_incident(Kind::Incident, &title, "aiko").await.unwrap();
        let mut first = Update::new(Status::Investigating);
        (first.ja.symptoms, first.en.symptoms) = ("調査中".into(), "Investigating".into());
        let d = author.new_draft(id, &first, "aiko").await.unwrap();

        let refused_gate = ReviewGate::authorise(&author, d.update_id, 1, None).await.unwrap();
        assert!(!refused_gate.allowed());
        let problems = refused_gate.problems(&job(&id.to_string(), 0, Status::Investigating));
        assert!(problems[0].contains("publish refused"), "{problems:?}");

        approver.approve(d.update_id, 1).await.unwrap();
        let gate = ReviewGate::authorise(&author, d.update_id, 1, None).await.unwrap();
        assert!(gate.allowed() && gate.update().unwrap().ja.symptoms == "調査中");
        assert!(gate.problems(&job(&id.to_string(), 0, Status::Investigating)).is_empty());
        // Only the authorised update, with the approved status.
        assert!(!gate.problems(&job(&id.to_string(), 1, Status::Investigating)).is_empty());
        assert!(!gate.problems(&job("999", 0, Status::Investigating)).is_empty());
        assert!(!gate.problems(&job(&id.to_string(), 0, Status::Resolved)).is_empty());
        // After Statuspage confirms, the update is marked published.
        author.mark_published(d.update_id, 1, Utc::now(), "aiko").await.unwrap();
        assert_eq!(author.review_status(d.update_id).await.unwrap().state, ReviewState::Published);
    }
}
