//! The organisation's templates for every status, in both languages.
//!
//! Templates are data a support lead edits, not code. The engine substitutes
//! `{{field}}`, keeps `{{#field}}…{{/field}}` only when the field has text,
//! keeps `{{^field}}…{{/field}}` only when it has none, and does nothing else:
//! no expressions, no includes, no network.

pub mod editing;
pub mod engine;
pub mod fields;
pub mod library;
pub mod sample;
pub mod set;

pub use editing::{check_file, check_template, parse_file, completions, Completion, Completions, Diagnostic, FieldInfo, NoLint, Position, PreviewFinding, PreviewLinter, FIELD_INFO};
pub use engine::{Problem, Template, TemplateError};
pub use fields::{Fields, FIELD_NAMES};
pub use library::{check_dir, check_library_file, from_statuspage, ConvertedTemplate, FileProblem};
pub use sample::{sample_incident, sample_names, SampleFields};
pub use set::{
    builtin_files, builtin_source, library_paths, parse_settings, parse_status_template, template_path, Layout, Settings,
    StatusTemplate, TemplateSet, TemplateSetError, DEFAULT_SETTINGS,
};
