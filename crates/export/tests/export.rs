//! The overrun postmortem exported as HTML and as PDF, and the PDF read back:
//! with lopdf (A4 pages, the font subset and embedded), and with poppler's
//! tools (pdffonts, pdftotext, pdftoppm) whose page renderings go to
//! `tests/artifacts/export/` to be looked at. Without the font or poppler
//! these tests fail on CI (`CI=true`) and skip, saying so, elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use desk_export::pdf::{to_pdf, PdfFont};
use desk_export::{html::to_html, Postmortem};
use desk_model::{Incident, IncidentDocument};
use desk_templates::TemplateSet;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Incident {
    IncidentDocument::read(&root().join("tests/fixtures/incidents/window-overrun-postmortem.toml")).unwrap()
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The font, or None (skipping) when it is missing here; on CI a missing font fails.
fn font() -> Option<PdfFont> {
    match PdfFont::find() {
        Ok(f) => Some(f),
        Err(e) if on_ci() => panic!("{e}"),
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

/// A poppler tool, or None (skipping) when it is missing here; on CI a missing tool fails.
fn poppler(tool: &str) -> Option<Command> {
    let found = Command::new(tool).arg("-v").output().is_ok();
    match found {
        true => Some(Command::new(tool)),
        false if on_ci() => panic!("{tool} is missing: install poppler-utils (scripts/lib/setup.sh does)"),
        false => {
            eprintln!("skipped: {tool} is missing (apt-get install poppler-utils)");
            None
        }
    }
}

#[test]
fn the_html_page_has_both_languages_the_days_the_picture_and_nothing_that_runs() {
    let set = TemplateSet::builtin();
    let incident = fixture();
    let html = to_html(&Postmortem::new(&set, &incident, None).unwrap());
    for day in ["≫2024年6月16日(日)", "≫2024年6月17日(月)", "≫2024年6月18日(火)", "Sunday, June 16, 2024 (JST)", "Monday, June 17, 2024 (JST)", "Tuesday, June 18, 2024 (JST)"] {
        assert!(html.contains(day), "{day} missing");
    }
    // Japanese first, then English; each with its picture and every section.
    let (ja, en) = html.split_at(html.find("<article id=\"en\" lang=\"en\">").expect("the English article"));
    assert!(ja.contains("<article id=\"ja\" lang=\"ja\">"));
    assert!(ja.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"timeline-ja-title timeline-ja-desc\""));
    assert!(en.contains("aria-labelledby=\"timeline-en-title timeline-en-desc\""));
    for heading in ["■ 発生期間", "■ 経緯", "■ 原因", "■ 実施した対応", "■ 今後の対応", "■ 補足"] {
        assert!(ja.contains(heading), "{heading} missing");
    }
    for heading in ["■ Period", "■ Timeline", "■ Cause", "■ What we did", "■ Preventing a recurrence", "■ Notes"] {
        assert!(en.contains(heading), "{heading} missing");
    }
    assert!(ja.contains("22:00頃: 刷新作業を始めるため"));
    assert!(en.contains("01:40: Finished returning to the previous version"));
    // Standalone: nothing fetched, nothing run.
    for bad in ["<script", "src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(bad), "{bad} in the page");
    }
    let handlers = html.match_indices(" on").filter(|(i, _)| {
        let rest = &html[i + 3..];
        let name = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_lowercase()).len();
        name > 0 && rest[name..].starts_with('=')
    });
    assert_eq!(handlers.count(), 0, "an event handler in the page");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert_eq!(html, to_html(&Postmortem::new(&set, &incident, None).unwrap()), "the same page twice");
}

#[test]
fn a_hostile_body_is_sanitized_like_the_preview() {
    let set = TemplateSet::builtin();
    let mut incident = fixture();
    let last = incident.updates.len() - 1;
    incident.updates[last].ja.note = "<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))".into();
    incident.updates[last].timeline[0].en = "</text><script>alert(2)</script>".into();
    let html = to_html(&Postmortem::new(&set, &incident, None).unwrap());
    for bad in ["<script", "onerror", "href=\"javascript:"] {
        assert!(!html.contains(bad), "{bad} survived: {html}");
    }
    // What is left of it is text; an image would not load (the page's policy allows data: images only).
    assert!(html.contains("img-src data:"));
}

#[test]
fn the_pdf_is_a4_with_the_japanese_font_subset_and_embedded() {
    let Some(font) = font() else { return };
    let set = TemplateSet::builtin();
    let incident = fixture();
    let pdf = to_pdf(&Postmortem::new(&set, &incident, None).unwrap(), &font).unwrap();
    let out = root().join("tests/artifacts/export");
    std::fs::create_dir_all(&out).unwrap();
    let file = out.join("window-overrun-postmortem.pdf");
    std::fs::write(&file, &pdf).unwrap();

    let doc = lopdf::Document::load_mem(&pdf).expect("the PDF parses");
    let pages = doc.get_pages();
    assert!((4..=8).contains(&pages.len()), "{} pages", pages.len());
    for id in pages.values() {
        let media = doc.get_object(*id).unwrap().as_dict().unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
        let size: Vec<f32> = media.iter().map(|n| n.as_float().unwrap()).collect();
        assert!((size[2] - 595.28).abs() < 0.5 && (size[3] - 841.89).abs() < 0.5, "not A4: {size:?}");
    }
    // Every font is embedded, subset (a six-letter tag before its name) and Noto Sans CJK JP.
    let mut fonts = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").ok().and_then(|t| t.as_name().ok()) != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        fonts += 1;
        let name = String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).to_string();
        let (tag, base) = name.split_once('+').unwrap_or_else(|| panic!("{name} is not subset"));
        assert!(tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()), "{name}");
        assert!(base.starts_with("NotoSansCJKjp"), "{name}");
        assert!(dict.has(b"FontFile3") || dict.has(b"FontFile2"), "{name} is not embedded");
    }
    assert!(fonts >= 1, "no font in the PDF");
    // Subset: a few hundred kilobytes, not the 19 MB collection.
    assert!(pdf.len() < 600_000, "{} bytes", pdf.len());

    if let Some(mut pdffonts) = poppler("pdffonts") {
        let listing = String::from_utf8(pdffonts.arg(&file).output().unwrap().stdout).unwrap();
        for line in listing.lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // name type encoding emb sub uni object ID
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{line}");
        }
    }
    if let Some(mut pdftotext) = poppler("pdftotext") {
        let text = String::from_utf8(pdftotext.args(["-layout"]).arg(&file).arg("-").output().unwrap().stdout).unwrap();
        for want in ["≫2024年6月17日(月)", "Monday, June 17, 2024 (JST)", "刷新作業を始めるため", "Finished returning to the previous version", "原因特定"] {
            assert!(text.contains(want), "{want} not in the PDF's text:\n{text}");
        }
        // The footers: page N of M.
        let flat = text.replace(' ', "");
        for n in 1..=pages.len() {
            assert!(flat.contains(&format!("{n}/{}", pages.len())), "no footer {n} / {}", pages.len());
        }
    }
    if let Some(mut pdftoppm) = poppler("pdftoppm") {
        for old in std::fs::read_dir(&out).unwrap().flatten() {
            if old.path().extension().is_some_and(|e| e == "png") {
                std::fs::remove_file(old.path()).unwrap();
            }
        }
        let status = pdftoppm.args(["-r", "80", "-png"]).arg(&file).arg(out.join("page")).status().unwrap();
        assert!(status.success());
        let pngs = std::fs::read_dir(&out).unwrap().flatten().filter(|f| f.path().extension().is_some_and(|e| e == "png")).count();
        assert_eq!(pngs, pages.len());
    }
}

#[test]
fn a_missing_font_is_named() {
    let e = PdfFont::load(Path::new("/nonexistent/NotoSansCJK-Regular.ttc")).err().unwrap();
    assert!(e.to_string().starts_with("/nonexistent/NotoSansCJK-Regular.ttc: cannot read"), "{e}");
    let missing = desk_export::ExportError::FontMissing { tried: vec!["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc".into()] };
    let message = missing.to_string();
    assert!(message.contains("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") && message.contains("fonts-noto-cjk"), "{message}");
}
