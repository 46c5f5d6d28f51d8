//! Publishing incident updates to Statuspage exactly once.
//!
//! The engine takes already rendered payloads (title and body per page), a
//! [`PublishLog`] and a [`desk_statuspage::Client`]; see [`engine`] for the
//! rules. [`job`] renders an incident's update into those payloads with the
//! organisation's templates, exactly as the preview shows it.

pub mod engine;
pub mod job;
pub mod log;
pub mod target;

pub use engine::{
    incident_ref, publish_id, Engine, EngineOptions, EventFn, NoGate, PageOutcome, PagePayload, PageResult, PublishError,
    PublishEvent, PublishGate, PublishJob, PublishReport, METADATA_KEY,
};
pub use target::{choose, KeyState, PublishMode, PublishSettings, SandboxReason, SettingsError, TargetChoice};
pub use log::{Action, JsonlLog, LogError, MemoryLog, PublishLog, PublishRecord, RecordState};
