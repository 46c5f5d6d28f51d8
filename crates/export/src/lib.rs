//! A postmortem outside Statuspage.
//!
//! - [`picture`]: the timeline picture (SVG) for the preview and the exports.

pub mod picture;

pub use picture::{to_svg, Picture};
