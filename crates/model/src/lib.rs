//! The incident model shared by every part of Incident Desk.
//!
//! Nothing here knows about the webview, the database or the network: the
//! app shell, the `desk` command-line tool and the other crates build on it.

pub mod compensation;
pub mod dates;
pub mod document;
pub mod incident;
pub mod maintenance;
pub mod period;
pub mod sections;
pub mod timeline;

pub use compensation::{Compensation, DateRange};
pub use document::{DocumentError, IncidentDocument};
pub use incident::{
    AffectedComponent, Bilingual, ComponentStatus, Impact, Incident, Kind, Lang, Status, Update,
};
pub use maintenance::{MaintenanceWindow, WindowState};
pub use period::{Period, PeriodStyle};
pub use sections::{SectionKind, UpdateText};
pub use timeline::TimelineEntry;
