//! A postmortem outside Statuspage.
//!
//! - [`picture`]: the timeline picture (SVG) for the preview and the exports.
//! - [`html`]: one standalone bilingual page, Japanese then English.
//! - [`pdf`]: an A4 PDF with the Japanese font subset and embedded.
//!
//! All three start from a [`Postmortem`]: an incident, the update to export
//! (its newest postmortem unless told) and the organisation's templates,
//! which give the text exactly as Statuspage shows it.

pub mod html;
pub mod layout;
pub mod pdf;
pub mod picture;

use std::path::PathBuf;

use desk_model::{Incident, Lang, Period, Status};
use desk_render::{render_update, Announcement};
use desk_templates::TemplateSet;

pub use picture::{to_svg, Picture};

/// Why an export could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The incident has no update `index` (0-based) of `count`.
    NoSuchUpdate { index: usize, count: usize },
    /// None of the places a Japanese font is looked for has it.
    FontMissing { tried: Vec<PathBuf> },
    /// The font file is there but cannot be used.
    Font { path: PathBuf, reason: String },
    /// The PDF could not be written.
    Pdf(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::NoSuchUpdate { count: 0, .. } => write!(f, "the incident has no updates to export"),
            ExportError::NoSuchUpdate { index, count } => {
                write!(f, "there is no update {}; the incident has {count} (1 to {count})", index + 1)
            }
            ExportError::FontMissing { tried } => {
                let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "the Japanese font Noto Sans CJK JP (NotoSansCJK-Regular.ttc) was not found at {}; install it (Debian and Ubuntu: apt-get install fonts-noto-cjk) or name the file with {}",
                    tried.join(", "),
                    pdf::FONT_VARIABLE
                )
            }
            ExportError::Font { path, reason } => write!(f, "{}: {reason}", path.display()),
            ExportError::Pdf(reason) => write!(f, "the PDF could not be written: {reason}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// What is exported: one update of an incident, with the templates it is written from.
pub struct Postmortem<'a> {
    pub set: &'a TemplateSet,
    pub incident: &'a Incident,
    /// 0-based.
    pub index: usize,
    /// A maintenance window to show in the picture besides the incident's
    /// own (the maintenance it was opened from, when it overran).
    pub window: Option<Period>,
}

impl<'a> Postmortem<'a> {
    /// Update `index` (0-based), or by default the newest postmortem, else the newest update.
    pub fn new(set: &'a TemplateSet, incident: &'a Incident, index: Option<usize>) -> Result<Postmortem<'a>, ExportError> {
        let count = incident.updates.len();
        let index = match index {
            Some(i) if i < count => i,
            Some(i) => return Err(ExportError::NoSuchUpdate { index: i, count }),
            None => incident
                .updates
                .iter()
                .rposition(|u| u.status == Status::Postmortem)
                .or(count.checked_sub(1))
                .ok_or(ExportError::NoSuchUpdate { index: 0, count })?,
        };
        Ok(Postmortem { set, incident, index, window: None })
    }

    /// The title and body in one language, exactly as Statuspage receives them.
    pub fn announcement(&self, lang: Lang) -> Announcement {
        render_update(self.set, self.incident, self.index, lang).expect("the index was checked")
    }

    /// Shows `window` (a linked maintenance's) in the picture.
    pub fn with_window(mut self, window: Option<Period>) -> Postmortem<'a> {
        self.window = window;
        self
    }

    pub fn picture(&self, lang: Lang) -> Picture {
        let picture = Picture::of(self.incident, self.index, lang);
        match &self.window {
            Some(w) => picture.with_window(w),
            None => picture,
        }
    }

    /// The picture as SVG; its ids start `timeline-ja` / `timeline-en`.
    pub fn svg(&self, lang: Lang) -> String {
        to_svg(&self.picture(lang), &self.set.settings.dates, lang, &format!("timeline-{}", lang.as_str()))
    }

    /// The status and the period under the title: `事後報告 · 2024/06/17 06:00頃〜2024/06/18 01:40頃`.
    pub fn meta_line(&self, lang: Lang) -> Option<String> {
        let update = &self.incident.updates[self.index];
        let status = update.status.label(lang);
        Some(match update.period.or(self.incident.period) {
            Some(p) => format!("{status} · {}", self.set.settings.dates.format_period(&p, lang)),
            None => status.to_string(),
        })
    }
}
