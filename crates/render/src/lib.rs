//! What an update looks like once published.
//!
//! [`compose`] fills the organisation's template (or takes the author's own
//! body) and gives the exact title and Markdown body Statuspage receives, per
//! language or combined. [`html`] turns that Markdown into sanitized HTML for
//! the preview; [`text`] into plain text as email and SMS readers see it.
//! [`restatus`] rewords a draft for another status, keeping the author's text.

pub mod compose;
pub mod html;
pub mod preview;
pub mod restatus;
pub mod text;

pub use compose::{combine, kept_lines, render_update, Announcement, RenderError};
pub use html::markdown_to_safe_html;
pub use preview::{preview_template, TemplatePreview};
pub use restatus::{restatus, Written};
pub use text::markdown_to_text;
