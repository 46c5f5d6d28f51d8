//! The organisation's templates for every status, in both languages.
//!
//! Templates are data a support lead edits, not code. The engine substitutes
//! `{{field}}`, keeps `{{#field}}…{{/field}}` only when the field has text,
//! keeps `{{^field}}…{{/field}}` only when it has none, and does nothing else:
//! no expressions, no includes, no network.

pub mod engine;
pub mod fields;
pub mod set;

pub use engine::{Template, TemplateError};
pub use fields::{Fields, FIELD_NAMES};
pub use set::{Layout, Settings, StatusTemplate, TemplateSet, TemplateSetError};
