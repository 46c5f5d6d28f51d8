//! A local stand-in for the part of the Statuspage REST API (v1) that
//! Incident Desk uses: same paths and payloads below `/v1`, the
//! `Authorization: OAuth <key>` header, the 255/25,000-character limits,
//! one request per second per key (420/429 with `Retry-After`), persistence
//! in a data directory, and a public status page at `/` showing incidents
//! as readers see them, in Japanese and English.
//!
//! For tests it injects faults: a dropped connection after the change is
//! committed, 500 after commit, 420/429 with `Retry-After`, and answers
//! slower than the client's timeout.

pub mod page;
pub mod server;
pub mod state;

pub use server::{ApiCall, Faults, Sandbox, SandboxConfig, SandboxError, Stats};
pub use state::PageSeed;
