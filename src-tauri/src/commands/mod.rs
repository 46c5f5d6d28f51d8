//! The commands the UI may call, one module per screen. Each is a few lines:
//! it takes what the UI collected, calls the use case in desk-app, and
//! answers what the UI shows (`registry.rs` lists them for the invoke
//! handler and the generated TypeScript bindings).

pub mod compose;
pub mod connection;
pub mod incidents;
pub mod maintenance;
pub mod memory;
pub mod review;
pub mod search;
pub mod settings;
pub mod templates;
pub mod timeline;
pub mod updates;
