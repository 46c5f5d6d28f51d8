//! Incident Desk's application layer: each use case written once.
//!
//! The domain crates decide (desk-model, desk-templates, desk-render,
//! desk-lint, desk-store, desk-publish); this crate puts their steps together
//! into what a person does: list and preview incidents, start an incident or
//! an update, type, save and reword a draft, review it, publish it, keep the
//! template library and the settings, and be told when an update is due.
//! The app (`src-tauri`) and `desk` (`crates/cli`) are adapters over these
//! functions: argument parsing, windows, plugins and output formatting only.
//!
//! Every function takes the [`Desk`] context (or, for what works without a
//! database, the pieces it needs) and answers with view types that derive
//! `specta::Type` here, once, or fails with a typed [`AppError`]. Nothing here
//! links Tauri or a webview.

pub mod approval;
pub mod compose;
pub mod connection;
pub mod desk;
pub mod error;
pub mod export;
pub mod facts;
pub mod gate;
pub mod incidents;
pub mod library;
pub mod maintenance;
pub mod memory;
pub mod postmortem;
pub mod publish;
pub mod publish_log;
pub mod publishing;
pub mod review;
pub mod samples;
pub mod search;
pub mod settings;
pub mod templates;
pub mod timeline;
pub mod timeline_table;
pub mod owned_section;
pub mod compensation_form;

pub use desk::{Desk, DeskOptions};
pub use error::{AppError, CommandError, ErrorKind, Result};
