//! The publishing engine's log and request pace, kept in the database the
//! drafts live in (in a team, the shared PostgreSQL): what was published
//! where, who is publishing an incident right now, and the next free request
//! slot for the team's Statuspage key.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use desk_publish::{Action, LogError, PublishLog, PublishRecord, RecordState};
use desk_statuspage::SharedPace;
use desk_store::{MarkPublished, Store};

/// desk-publish's log over desk-store's publish records. While a draft is
/// being published ([`StoreLog::marking`]), the confirmation that completes
/// its last page marks it published in the same transaction.
pub struct StoreLog {
    store: Store,
    marks: Mutex<Vec<MarkPublished>>,
}

/// Marks a draft published when its publish is confirmed, until dropped.
pub struct Marking<'a> {
    log: &'a StoreLog,
    key: (String, i64),
}

impl Drop for Marking<'_> {
    fn drop(&mut self) {
        let mut marks = self.log.marks.lock().unwrap_or_else(|e| e.into_inner());
        marks.retain(|m| (m.incident_key.as_str(), m.update_index) != (self.key.0.as_str(), self.key.1));
    }
}

impl StoreLog {
    pub fn new(store: Store) -> StoreLog {
        StoreLog { store, marks: Mutex::new(Vec::new()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Until the guard is dropped, confirming `mark`'s update on every one
    /// of its pages marks its draft published, in the same transaction.
    pub fn marking(&self, mark: MarkPublished) -> Marking<'_> {
        let key = (mark.incident_key.clone(), mark.update_index);
        self.marks.lock().unwrap_or_else(|e| e.into_inner()).push(mark);
        Marking { log: self, key }
    }
}

fn log_error(e: desk_store::StoreError) -> LogError {
    LogError { path: "the database's publish records".into(), message: e.to_string() }
}

fn to_store(rec: &PublishRecord) -> desk_store::PublishRecord {
    desk_store::PublishRecord {
        publish_id: rec.publish_id.clone(),
        incident_key: rec.incident_key.clone(),
        update_index: rec.update_index as i64,
        page_id: rec.page_id.clone(),
        lang: rec.lang.clone(),
        action: rec.action.as_str().into(),
        state: rec.state.as_str().into(),
        remote_incident_id: rec.remote_incident_id.clone(),
        remote_update_id: rec.remote_update_id.clone(),
        url: rec.url.clone(),
        request_hash: None,
        message: rec.message.clone(),
        recorded_by: String::new(),
        updated_at: rec.at.clone(),
    }
}

fn from_store(rec: desk_store::PublishRecord) -> PublishRecord {
    PublishRecord {
        publish_id: rec.publish_id,
        incident_key: rec.incident_key,
        update_index: rec.update_index.max(0) as usize,
        page_id: rec.page_id,
        lang: rec.lang,
        action: Action::parse(&rec.action).unwrap_or(Action::Update),
        state: RecordState::parse(&rec.state).unwrap_or(RecordState::Unknown),
        remote_incident_id: rec.remote_incident_id,
        remote_update_id: rec.remote_update_id,
        url: rec.url,
        message: rec.message,
        at: rec.updated_at,
    }
}

#[async_trait::async_trait]
impl PublishLog for StoreLog {
    async fn record(&self, rec: &PublishRecord) -> Result<(), LogError> {
        let mark = {
            let marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
            marks.iter().find(|m| m.incident_key == rec.incident_key && m.update_index == rec.update_index as i64).cloned()
        };
        self.store.record_publish(&to_store(rec), mark.as_ref()).await.map_err(log_error)
    }

    async fn get(&self, publish_id: &str) -> Result<Option<PublishRecord>, LogError> {
        Ok(self.store.publish_record(publish_id).await.map_err(log_error)?.map(from_store))
    }

    async fn remote_incident(&self, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>, LogError> {
        Ok(self.store.remote_incident(incident_key, page_id).await.map_err(log_error)?.map(from_store))
    }

    async fn hold(&self, lock_key: &str, holder: &str, lease: Duration) -> Result<bool, LogError> {
        self.store.hold_publishing(lock_key, holder, lease).await.map_err(log_error)
    }

    async fn release(&self, lock_key: &str, holder: &str) -> Result<(), LogError> {
        self.store.release_publishing(lock_key, holder).await.map_err(log_error)
    }
}

/// Statuspage's one-request-a-second, shared through the database by every
/// process and machine that publishes with the same key.
pub struct StorePace(pub Store);

#[async_trait::async_trait]
impl SharedPace for StorePace {
    async fn turn(&self, pace_key: &str, interval: Duration, not_before: Duration) -> Result<Duration, String> {
        let not_before_ms = chrono::Utc::now().timestamp_millis() + not_before.as_millis() as i64;
        self.0.pace_slot(pace_key, interval, not_before_ms).await.map_err(|e| e.to_string())
    }
}

/// The log and pace for publishing from `store`.
pub fn for_store(store: &Store) -> (Arc<StoreLog>, Arc<StorePace>) {
    (Arc::new(StoreLog::new(store.clone())), Arc::new(StorePace(store.clone())))
}
