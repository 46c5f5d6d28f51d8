//! The postmortem as an A4 PDF: Japanese pages, then English pages, each
//! language with its title, period, the timeline picture (as vector
//! graphics, through krilla-svg: its text stays text) and every section,
//! the timeline set as a table of times and events under its day headings.
//! A header (the title, the status) and a footer (page N / M) on every page.
//!
//! One font serves both languages: Noto Sans CJK JP, read at run time from
//! the system (Debian's `fonts-noto-cjk`), subset to the glyphs used and
//! embedded (CID-keyed CFF), so the PDF reads the same everywhere. Lines
//! are broken by [`crate::layout`] (kinsoku for Japanese), measured with the
//! same shaping (rustybuzz) the glyphs are drawn with.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use desk_model::timeline::read;
use desk_model::Lang;
use desk_render::markdown_to_text;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};
use usvg::fontdb;

use crate::layout::break_lines;
use crate::{ExportError, Postmortem};

/// Names the font file to use instead of the places in [`FONT_PATHS`].
pub const FONT_VARIABLE: &str = "DESK_PDF_FONT";

/// Where Noto Sans CJK is looked for, in this order.
pub const FONT_PATHS: &[&str] = &[
    // Debian and Ubuntu: fonts-noto-cjk.
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    // Fedora: google-noto-sans-cjk-fonts.
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    // Arch: noto-fonts-cjk.
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
];

/// The family the PDF and its picture are set in.
pub const FAMILY: &str = "Noto Sans CJK JP";

/// The Japanese font, read once; a face of a collection (`.ttc`).
pub struct PdfFont {
    pub path: PathBuf,
    data: Arc<Vec<u8>>,
    index: u32,
    db: Arc<fontdb::Database>,
}

impl PdfFont {
    /// `DESK_PDF_FONT` when set, else the first of [`FONT_PATHS`] there is.
    pub fn find() -> Result<PdfFont, ExportError> {
        if let Some(path) = std::env::var_os(FONT_VARIABLE).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            if !path.is_file() {
                return Err(ExportError::FontMissing { tried: vec![path] });
            }
            return PdfFont::load(&path);
        }
        match FONT_PATHS.iter().map(Path::new).find(|p| p.is_file()) {
            Some(path) => PdfFont::load(path),
            None => Err(ExportError::FontMissing { tried: FONT_PATHS.iter().map(PathBuf::from).collect() }),
        }
    }

    /// The Japanese face of the file (`Noto Sans CJK JP` in a collection; a
    /// single font must have kana and kanji).
    pub fn load(path: &Path) -> Result<PdfFont, ExportError> {
        let fail = |reason: String| ExportError::Font { path: path.to_path_buf(), reason };
        let data = Arc::new(std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?);
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(data.clone()));
        let faces: Vec<(u32, String)> =
            db.faces().map(|f| (f.index, f.families.first().map(|(n, _)| n.clone()).unwrap_or_default())).collect();
        let (index, family) = faces
            .iter()
            .find(|(_, family)| family == FAMILY)
            .or_else(|| faces.first())
            .cloned()
            .ok_or_else(|| fail("is not a font".into()))?;
        let face = rustybuzz::Face::from_slice(&data, index).ok_or_else(|| fail("is not a font".into()))?;
        if ['あ', '経', 'A'].iter().any(|c| face.glyph_index(*c).is_none()) {
            return Err(fail(format!("{family} has no Japanese glyphs")));
        }
        db.set_sans_serif_family(family);
        Ok(PdfFont { path: path.to_path_buf(), data, index, db: Arc::new(db) })
    }
}

// A4 in points, and the page's frame.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 56.7;
const RIGHT: f32 = PAGE_W - 56.7;
const TOP: f32 = 78.0;
const BOTTOM: f32 = PAGE_H - 62.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.7;

type Colour = (u8, u8, u8);
const INK: Colour = (30, 30, 30);
const GREY: Colour = (100, 100, 100);
const DAY: Colour = (31, 79, 153);

enum Op {
    Text { x: f32, y: f32, size: f32, colour: Colour, text: String },
    Rule { x1: f32, x2: f32, y: f32 },
    Picture { x: f32, y: f32, w: f32, h: f32, tree: usize },
}

struct PageOps {
    lang: Lang,
    ops: Vec<Op>,
}

/// Shapes text with the font, as krilla draws it.
struct Shaper<'f> {
    face: rustybuzz::Face<'f>,
    upem: f32,
}

impl Shaper<'_> {
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let out = rustybuzz::shape(&self.face, &[], buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = infos[i..].iter().find(|n| n.cluster != info.cluster).map_or(text.len(), |n| n.cluster as usize);
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                pos.x_advance as f32 / self.upem,
                pos.x_offset as f32 / self.upem,
                pos.y_offset as f32 / self.upem,
                pos.y_advance as f32 / self.upem,
                start..end,
                None,
            ));
        }
        glyphs
    }

    /// Each cluster's start and width at `size`.
    fn advances(&self, text: &str, size: f32) -> Vec<(usize, f32)> {
        let mut out: Vec<(usize, f32)> = Vec::new();
        for g in self.glyphs(text) {
            match out.last_mut() {
                Some(last) if last.0 == g.text_range.start => last.1 += g.x_advance * size,
                _ => out.push((g.text_range.start, g.x_advance * size)),
            }
        }
        out.sort_by_key(|a| a.0);
        out
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// Lays pages out, top to bottom.
struct Pages<'f> {
    shaper: &'f Shaper<'f>,
    pages: Vec<PageOps>,
    y: f32,
    lang: Lang,
}

impl Pages<'_> {
    fn new_page(&mut self) {
        self.pages.push(PageOps { lang: self.lang, ops: Vec::new() });
        self.y = TOP;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.pages.is_empty() || self.y + height > BOTTOM {
            self.new_page();
        }
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").ops.push(op);
    }

    /// A paragraph from `x` (continuation lines from `x + hang`), wrapped
    /// before `RIGHT`, each line starting a new page when it must.
    /// Answers the page and baseline of its first line.
    fn paragraph(&mut self, text: &str, x: f32, hang: f32, size: f32, colour: Colour) -> (usize, f32) {
        let advances = self.shaper.advances(text, size);
        let line_height = size * LEADING;
        let mut first = (0, 0.0);
        for (i, (a, b)) in break_lines(text, &advances, RIGHT - x, RIGHT - x - hang).into_iter().enumerate() {
            self.ensure(line_height);
            self.y += line_height;
            let baseline = self.y - size * 0.45;
            if i == 0 {
                first = (self.pages.len() - 1, baseline);
            }
            let x = if i == 0 { x } else { x + hang };
            self.push(Op::Text { x, y: baseline, size, colour, text: text[a..b].to_string() });
        }
        first
    }

    fn gap(&mut self, h: f32) {
        if self.y > TOP {
            self.y += h;
        }
    }
}

/// The PDF's bytes.
pub fn to_pdf(pm: &Postmortem, font: &PdfFont) -> Result<Vec<u8>, ExportError> {
    let face = rustybuzz::Face::from_slice(&font.data, font.index)
        .ok_or_else(|| ExportError::Font { path: font.path.clone(), reason: "is not a font".into() })?;
    let shaper = Shaper { upem: face.units_per_em() as f32, face };
    let style = &pm.set.settings.dates;
    let mut pages = Pages { shaper: &shaper, pages: Vec::new(), y: TOP, lang: Lang::Ja };
    let mut trees = Vec::new();
    let mut titles = HashMap::new();
    let mut options = usvg::Options { font_family: FAMILY.to_string(), ..usvg::Options::default() };
    options.fontdb = font.db.clone();

    for lang in Lang::ALL {
        let a = pm.announcement(lang);
        pages.lang = lang;
        pages.new_page();
        titles.insert(lang, a.title.clone());
        pages.paragraph(&a.title, LEFT, 0.0, 16.0, INK);
        if let Some(meta) = pm.meta_line(lang) {
            pages.gap(2.0);
            pages.paragraph(&meta, LEFT, 0.0, 9.0, GREY);
        }
        // The picture, scaled to the text's width.
        let tree = usvg::Tree::from_str(&pm.svg(lang), &options).map_err(|e| ExportError::Pdf(format!("the timeline picture: {e}")))?;
        let w = RIGHT - LEFT;
        let h = tree.size().height() * w / tree.size().width();
        pages.gap(10.0);
        pages.ensure(h);
        trees.push(tree);
        pages.push(Op::Picture { x: LEFT, y: pages.y, w, h, tree: trees.len() - 1 });
        pages.y += h + 8.0;
        body(&mut pages, &markdown_to_text(&a.body), style, lang);
    }

    // Header and footer, now that the pages are counted.
    let total = pages.pages.len();
    for (i, page) in pages.pages.iter_mut().enumerate() {
        let status = pm.incident.updates[pm.index].status.label(page.lang);
        let status_w = shaper.width(status, 8.0);
        let title = fit(&shaper, &titles[&page.lang], 8.0, RIGHT - LEFT - status_w - 16.0);
        page.ops.push(Op::Text { x: LEFT, y: 44.0, size: 8.0, colour: GREY, text: title });
        page.ops.push(Op::Text { x: RIGHT - status_w, y: 44.0, size: 8.0, colour: GREY, text: status.to_string() });
        page.ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y: 50.0 });
        let number = format!("{} / {total}", i + 1);
        let nw = shaper.width(&number, 8.0);
        page.ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y: PAGE_H - 44.0 });
        page.ops.push(Op::Text { x: (PAGE_W - nw) / 2.0, y: PAGE_H - 30.0, size: 8.0, colour: GREY, text: number });
    }

    let krilla_font = Font::new(krilla::Data::from(font.data.clone() as Arc<dyn AsRef<[u8]> + Send + Sync>), font.index)
        .ok_or_else(|| ExportError::Font { path: font.path.clone(), reason: "cannot be embedded".into() })?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new().title(format!("{} / {}", titles[&Lang::Ja], titles[&Lang::En])).language("ja".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4");
    for page in &pages.pages {
        let mut p = document.start_page_with(settings.clone());
        let mut surface = p.surface();
        for op in &page.ops {
            draw(&mut surface, op, &shaper, &krilla_font, &trees);
        }
        surface.finish();
        p.finish();
    }
    document.finish().map_err(|e| ExportError::Pdf(format!("{e:?}")))
}

/// `text` cut (with …) to `max` wide.
fn fit(shaper: &Shaper, text: &str, size: f32, max: f32) -> String {
    if shaper.width(text, size) <= max {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && shaper.width(&format!("{out}…"), size) > max {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// The body's plain text: ■ headings, the timeline's day headings and
/// entries (time, then the event with its lines aligned), list items with
/// their marks hanging, paragraphs.
fn body(pages: &mut Pages, text: &str, style: &desk_model::PeriodStyle, lang: Lang) {
    let read = read(text, style, None);
    let days: std::collections::HashSet<usize> = read.iter().map(|e| e.day_line).collect();
    let entries: HashMap<usize, &desk_model::timeline::ReadEntry> = read.iter().map(|e| (e.start, e)).collect();
    let time_col = read.iter().map(|e| pages.shaper.width(&text[e.time_start..e.time_end], BODY)).fold(0.0f32, f32::max) + 10.0;
    let line_height = BODY * LEADING;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end();
        if line.trim().is_empty() {
            pages.gap(line_height * 0.5);
        } else if line.starts_with('■') {
            pages.gap(line_height * 0.5);
            // A heading stays with at least two lines of what follows.
            pages.ensure(12.0 * LEADING + 2.0 * line_height);
            pages.paragraph(line, LEFT, 0.0, 12.0, INK);
            pages.push(Op::Rule { x1: LEFT, x2: RIGHT, y: pages.y + 3.0 });
            pages.y += 4.0;
        } else if days.contains(&start) {
            pages.gap(line_height * 0.3);
            pages.ensure(line_height * 2.0);
            pages.paragraph(line.trim(), LEFT, 0.0, BODY, DAY);
        } else if let Some(e) = entries.get(&start) {
            let time = &text[e.time_start..e.time_end];
            // The time beside the event's first line, the event's lines aligned.
            let (page, baseline) = pages.paragraph(&e.text, LEFT + 8.0 + time_col, 0.0, BODY, INK);
            pages.pages[page].ops.push(Op::Text { x: LEFT + 8.0, y: baseline, size: BODY, colour: GREY, text: time.to_string() });
        } else if let Some(item) = list_item(line) {
            let (depth, item) = item;
            let mark = if lang == Lang::Ja { "・" } else { "•" };
            let x = LEFT + 4.0 + depth as f32 * 14.0;
            let mark_w = pages.shaper.width(mark, BODY) + if lang == Lang::Ja { 0.0 } else { 4.0 };
            let text = format!("{mark}{}{item}", if lang == Lang::Ja { "" } else { " " });
            pages.paragraph(&text, x, mark_w, BODY, INK);
        } else {
            pages.paragraph(line, LEFT, 0.0, BODY, INK);
        }
    }
}

/// `- item` (indented by two spaces a level) as its depth and text.
fn list_item(line: &str) -> Option<(usize, &str)> {
    let depth = (line.len() - line.trim_start_matches(' ').len()) / 2;
    line.trim_start_matches(' ').strip_prefix("- ").map(|item| (depth, item))
}

fn draw(surface: &mut Surface, op: &Op, shaper: &Shaper, font: &Font, trees: &[usvg::Tree]) {
    match op {
        Op::Text { x, y, size, colour, text } => {
            let glyphs = shaper.glyphs(text);
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font.clone(), text, *size, false);
        }
        Op::Rule { x1, x2, y } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y);
            path.line_to(*x2, *y);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke { paint: rgb::Color::new(190, 190, 190).into(), width: 0.6, ..Default::default() }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Picture { x, y, w, h, tree } => {
            surface.push_transform(&Transform::from_translate(*x, *y));
            surface.draw_svg(&trees[*tree], Size::from_wh(*w, *h).expect("a size"), SvgSettings::default());
            surface.pop();
        }
    }
}
