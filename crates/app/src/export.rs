//! A postmortem for the places it goes besides Statuspage: a standalone
//! bilingual HTML page and an A4 PDF (desk-export makes both, in Rust), and
//! the timeline picture the composer's preview shows. One function each for
//! `desk export` and the app.

use desk_export::pdf::{to_pdf, PdfFont};
use desk_export::picture::describe;
use desk_export::{html::to_html, ExportError, Postmortem};
use desk_model::{Bilingual, Incident, Lang, Period};
use desk_store::links::Relation;
use desk_store::Store;
use desk_templates::TemplateSet;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{AppError, ErrorKind, Result};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Html,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Pdf => "pdf",
        }
    }
}

/// The timeline picture in one language, for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TimelinePicture {
    /// The SVG (only svg, title, desc, g, rect, line, circle and text; all text escaped).
    pub svg: String,
    /// The same SVG as a `data:` URL, for an `<img>` (nothing in it can run there).
    pub data_url: String,
    /// What it shows, in words: the `<img>`'s alternative text.
    pub alt: String,
}

/// Update `update` (0-based; by default the newest postmortem, else the
/// newest update) of an incident, with the templates given: no database.
pub fn export_document(set: &TemplateSet, incident: &Incident, update: Option<usize>, format: ExportFormat) -> Result<Vec<u8>> {
    write(&Postmortem::new(set, incident, update).map_err(app_error)?, format)
}

fn write(pm: &Postmortem, format: ExportFormat) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Html => Ok(to_html(pm).into_bytes()),
        ExportFormat::Pdf => {
            let font = PdfFont::find().map_err(app_error)?;
            to_pdf(pm, &font).map_err(app_error)
        }
    }
}

/// A stored incident, written from the template library's active texts;
/// an incident opened from an overrun maintenance shows that window too.
pub async fn export_stored(store: &Store, id: i64, update: Option<usize>, format: ExportFormat) -> Result<Vec<u8>> {
    let incident = store.export(id).await?;
    let set = store.template_set_at(store.library_revision().await?).await?;
    let window = linked_window(store, id).await?;
    write(&Postmortem::new(&set, &incident, update).map_err(app_error)?.with_window(window), format)
}

/// The planned window of the maintenance incident `id` was opened from, if it was.
pub async fn linked_window(store: &Store, id: i64) -> Result<Option<Period>> {
    for link in store.incident_links(id).await? {
        if link.relation == Relation::FromMaintenance {
            let maintenance = store.export(link.linked_id).await?;
            return Ok(maintenance.maintenance_window().map(|w| w.period()).or(maintenance.period));
        }
    }
    Ok(None)
}

/// The timeline picture of update `index` (0-based) in both languages, in
/// the organisation's time zone: for a draft being written, from its
/// incident as it stands; `window`: a linked maintenance's ([`linked_window`]).
pub fn timeline_picture_of(set: &TemplateSet, incident: &Incident, index: usize, window: Option<Period>) -> Result<Bilingual<TimelinePicture>> {
    let pm = Postmortem::new(set, incident, Some(index)).map_err(app_error)?.with_window(window);
    let one = |lang: Lang| {
        let svg = pm.svg(lang);
        let (title, desc) = describe(&pm.picture(lang), &set.settings.dates, lang);
        TimelinePicture { data_url: data_url(&svg), svg, alt: format!("{title}. {desc}") }
    };
    Ok(Bilingual { ja: one(Lang::Ja), en: one(Lang::En) })
}

/// `data:image/svg+xml,…` with everything but letters, digits and a few safe marks percent-encoded.
fn data_url(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml;charset=utf-8,");
    for b in svg.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~=:/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn app_error(e: ExportError) -> AppError {
    match &e {
        ExportError::NoSuchUpdate { index, count } => AppError::invalid(
            "update",
            format!("更新{}はありません（この障害の更新は{count}件です）", index + 1),
            e.to_string(),
        ),
        ExportError::FontMissing { tried } => {
            let tried: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
            AppError::new(
                ErrorKind::Unavailable,
                format!(
                    "PDFに埋め込む日本語フォント Noto Sans CJK JP（NotoSansCJK-Regular.ttc）が見つかりません（{}）。fonts-noto-cjk をインストールするか、{} でファイルを指定してください",
                    tried.join("、"),
                    desk_export::pdf::FONT_VARIABLE
                ),
                e.to_string(),
            )
        }
        ExportError::Font { path, reason } => AppError::new(
            ErrorKind::Unavailable,
            format!("フォント {} を使えません: {reason}", path.display()),
            e.to_string(),
        ),
        ExportError::Pdf(reason) => AppError::new(ErrorKind::Unavailable, format!("PDFを作成できませんでした: {reason}"), e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_url_holds_the_svg_encoded() {
        let url = data_url("<svg a=\"1\">経 #x</svg>");
        assert_eq!(url, "data:image/svg+xml;charset=utf-8,%3Csvg%20a=%221%22%3E%E7%B5%8C%20%23x%3C/svg%3E");
    }

    #[test]
    fn a_missing_font_says_what_to_install_in_both_languages() {
        let e = app_error(ExportError::FontMissing { tried: vec!["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc".into()] });
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.ja.contains("fonts-noto-cjk") && e.message.ja.contains("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"));
        assert!(e.message.en.contains("apt-get install fonts-noto-cjk"));
    }

    #[test]
    fn the_picture_comes_in_both_languages_with_its_words() {
        let set = TemplateSet::builtin();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/incidents/window-overrun-postmortem.toml");
        let incident = desk_model::IncidentDocument::read(std::path::Path::new(path)).unwrap();
        let last = incident.updates.len() - 1;
        let p = timeline_picture_of(&set, &incident, last, None).unwrap();
        assert!(p.ja.svg.contains(">6月17日(月)</text>"));
        assert!(p.en.alt.starts_with("Timeline: Kumo Tasks is unavailable. "), "{}", p.en.alt);
        assert!(p.ja.data_url.starts_with("data:image/svg+xml;charset=utf-8,%3Csvg"));
        let e = timeline_picture_of(&set, &incident, 9, None).unwrap_err();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("update")));
    }
}
