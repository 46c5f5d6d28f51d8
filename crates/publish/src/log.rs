//! The publish log: every publish is recorded (with its id) before anything
//! is sent, and its outcome after. The shared database is the record a team
//! relies on (desk-app's `StoreLog`, over desk-store's publish records, with
//! locks so two machines never publish one incident to one page at once);
//! [`JsonlLog`] is a durable file (JSON lines, fsync'd) for one process, and
//! [`MemoryLog`] is for tests and dry runs.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// What a publish does on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// POST a new incident (its first update).
    Create,
    /// PATCH the incident with a new status and body.
    Update,
    /// PUT the postmortem draft, then publish it.
    Postmortem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// Recorded before anything is sent.
    Intended,
    /// The request is on its way.
    Sent,
    /// On the page (answered, or found there afterwards).
    #[serde(alias = "published")]
    Confirmed,
    /// Sent without a definite answer, and not found yet: the next attempt
    /// looks before sending.
    #[serde(alias = "pending")]
    Unknown,
    /// Definitely not applied (refused, never sent, rate limited throughout).
    Failed,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Intended => "intended",
            RecordState::Sent => "sent",
            RecordState::Confirmed => "confirmed",
            RecordState::Unknown => "unknown",
            RecordState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<RecordState> {
        [RecordState::Intended, RecordState::Sent, RecordState::Confirmed, RecordState::Unknown, RecordState::Failed]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Maybe on the page: sent (or about to be) without a definite answer.
    pub fn in_doubt(self) -> bool {
        matches!(self, RecordState::Intended | RecordState::Sent | RecordState::Unknown)
    }
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Postmortem => "postmortem",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [Action::Create, Action::Update, Action::Postmortem].into_iter().find(|a| a.as_str() == s)
    }
}

/// One publish of one update to one page. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishRecord {
    pub publish_id: String,
    pub incident_key: String,
    pub update_index: usize,
    pub page_id: String,
    pub lang: Option<String>,
    pub action: Action,
    pub state: RecordState,
    pub remote_incident_id: Option<String>,
    /// Statuspage's id of the incident update this publish made, where known.
    #[serde(default)]
    pub remote_update_id: Option<String>,
    pub url: Option<String>,
    pub message: Option<String>,
    /// RFC 3339, when this state was recorded.
    pub at: String,
}

#[derive(Debug, thiserror::Error)]
#[error("publish log {path}: {message}")]
pub struct LogError {
    pub path: String,
    pub message: String,
}

/// Where publishes are recorded. Implementations must make
/// [`PublishLog::record`] durable before returning: the engine sends
/// nothing until it has. A confirmed record is never downgraded.
#[async_trait::async_trait]
pub trait PublishLog: Send + Sync {
    /// Records a publish's current state (intent or outcome).
    async fn record(&self, rec: &PublishRecord) -> Result<(), LogError>;
    /// The latest state of a publish.
    async fn get(&self, publish_id: &str) -> Result<Option<PublishRecord>, LogError>;
    /// The Statuspage incident a local incident became on a page, if any
    /// publish of it has been confirmed there.
    async fn remote_incident(&self, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>, LogError>;
    /// Takes (or renews) the lock on publishing `lock_key` for `lease`:
    /// false while another holder has it. A log of one process has nobody
    /// to share with.
    async fn hold(&self, _lock_key: &str, _holder: &str, _lease: std::time::Duration) -> Result<bool, LogError> {
        Ok(true)
    }
    async fn release(&self, _lock_key: &str, _holder: &str) -> Result<(), LogError> {
        Ok(())
    }
}

/// The latest record of `publish_id` among `records`, a confirmed one first.
fn latest<'a>(records: impl DoubleEndedIterator<Item = &'a PublishRecord> + Clone, publish_id: &str) -> Option<PublishRecord> {
    let mine = || records.clone().rev().filter(|r| r.publish_id == publish_id);
    mine().find(|r| r.state == RecordState::Confirmed).or_else(|| mine().next()).cloned()
}

/// A publish log in memory, for tests and `--dry-run`.
#[derive(Default)]
pub struct MemoryLog {
    records: Mutex<Vec<PublishRecord>>,
}

fn latest_published<'a>(
    records: impl DoubleEndedIterator<Item = &'a PublishRecord>,
    incident_key: &str,
    page_id: &str,
) -> Option<PublishRecord> {
    records
        .rev()
        .find(|r| {
            r.incident_key == incident_key
                && r.page_id == page_id
                && r.state == RecordState::Confirmed
                && r.remote_incident_id.is_some()
        })
        .cloned()
}

#[async_trait::async_trait]
impl PublishLog for MemoryLog {
    async fn record(&self, rec: &PublishRecord) -> Result<(), LogError> {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).push(rec.clone());
        Ok(())
    }

    async fn get(&self, publish_id: &str) -> Result<Option<PublishRecord>, LogError> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        Ok(latest(records.iter(), publish_id))
    }

    async fn remote_incident(&self, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>, LogError> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        Ok(latest_published(records.iter(), incident_key, page_id))
    }
}

/// A durable publish log: one JSON object per line, appended and fsync'd.
/// A torn last line (a crash mid-write) is ignored on open.
pub struct JsonlLog {
    path: PathBuf,
    inner: Mutex<(File, Vec<PublishRecord>)>,
}

impl JsonlLog {
    pub fn open(path: &Path) -> Result<JsonlLog, LogError> {
        let err = |e: std::io::Error| LogError { path: path.display().to_string(), message: e.to_string() };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(err)?;
        }
        let mut records = Vec::new();
        if let Ok(f) = File::open(path) {
            for line in BufReader::new(f).lines() {
                let line = line.map_err(err)?;
                if let Ok(rec) = serde_json::from_str::<PublishRecord>(&line) {
                    records.push(rec);
                }
            }
        }
        let mut file = OpenOptions::new().create(true).append(true).open(path).map_err(err)?;
        // Finish a torn last line so the next record starts on its own line.
        let len = file.metadata().map_err(err)?.len();
        if len > 0 && std::fs::read(path).map_err(err)?.last() != Some(&b'\n') {
            file.write_all(b"\n").map_err(err)?;
        }
        Ok(JsonlLog { path: path.to_path_buf(), inner: Mutex::new((file, records)) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait::async_trait]
impl PublishLog for JsonlLog {
    async fn record(&self, rec: &PublishRecord) -> Result<(), LogError> {
        let err = |e: std::io::Error| LogError { path: self.path.display().to_string(), message: e.to_string() };
        let mut line = serde_json::to_vec(rec).map_err(|e| err(e.into()))?;
        line.push(b'\n');
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (file, records) = &mut *inner;
        file.write_all(&line).map_err(err)?;
        file.sync_data().map_err(err)?;
        records.push(rec.clone());
        Ok(())
    }

    async fn get(&self, publish_id: &str) -> Result<Option<PublishRecord>, LogError> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Ok(latest(inner.1.iter(), publish_id))
    }

    async fn remote_incident(&self, incident_key: &str, page_id: &str) -> Result<Option<PublishRecord>, LogError> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        Ok(latest_published(inner.1.iter(), incident_key, page_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, state: RecordState) -> PublishRecord {
        PublishRecord {
            publish_id: id.into(),
            incident_key: "k".into(),
            update_index: 0,
            page_id: "p".into(),
            lang: None,
            action: Action::Create,
            state,
            remote_incident_id: (state == RecordState::Confirmed).then(|| "inc1".into()),
            remote_update_id: None,
            url: None,
            message: None,
            at: "2025-01-01T00:00:00Z".into(),
        }
    }

    #[tokio::test]
    async fn jsonl_log_survives_reopen_and_a_torn_line() {
        let path = std::env::temp_dir().join(format!("desk-log-test-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        {
            let log = JsonlLog::open(&path).unwrap();
            log.record(&rec("a", RecordState::Unknown)).await.unwrap();
            log.record(&rec("a", RecordState::Confirmed)).await.unwrap();
            log.record(&rec("b", RecordState::Unknown)).await.unwrap();
        }
        std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"publish_id\":\"c\",").unwrap();
        let log = JsonlLog::open(&path).unwrap();
        log.record(&rec("d", RecordState::Unknown)).await.unwrap();
        let log = JsonlLog::open(&path).unwrap();
        assert_eq!(log.get("d").await.unwrap().unwrap().state, RecordState::Unknown);
        assert_eq!(log.get("a").await.unwrap().unwrap().state, RecordState::Confirmed);
        assert_eq!(log.get("b").await.unwrap().unwrap().state, RecordState::Unknown);
        assert!(log.get("c").await.unwrap().is_none());
        assert_eq!(log.remote_incident("k", "p").await.unwrap().unwrap().remote_incident_id.as_deref(), Some("inc1"));
        let _ = std::fs::remove_file(&path);
    }
}
