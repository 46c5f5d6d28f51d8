//! A typed client for the parts of the Statuspage REST API (v1) that
//! Incident Desk uses: incidents (create; PATCH with status and body to
//! publish an update), unresolved and scheduled lists, components,
//! postmortems and incident templates.
//!
//! The key travels only as `Authorization: OAuth <key>`; [`ApiKey`] redacts
//! itself everywhere else. Requests with one key are spaced (one per second
//! by default, queued); 420 and 429 are waited out per `Retry-After`, a
//! bounded number of times. Failures say whether the change may have
//! happened ([`ApiError::is_ambiguous`]), so callers never repeat a create
//! blindly.

pub mod client;
pub mod key;
pub mod openapi;
pub mod request;
pub mod wire;

pub use client::{ApiError, Client, ClientConfig, Progress, ProgressFn, RequestObserver, SharedPace};
pub use key::{ApiKey, KeyError};
pub use openapi::OpenApi;
pub use request::{ApiRequest, Method};
pub use wire::{Component, Incident, IncidentFields, IncidentTemplate, IncidentUpdate, Postmortem};
