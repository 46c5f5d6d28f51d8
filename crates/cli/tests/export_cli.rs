//! `desk export ID --format html|pdf` on the overrun postmortem, stored in a
//! real database file (and given as a document). The PDF needs Noto Sans CJK
//! JP (fonts-noto-cjk): without it the PDF cases fail on CI (`CI=true`) and
//! skip, saying so, elsewhere. desk-export's own tests read the PDF back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/window-overrun-postmortem.toml")
}

fn desk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk")).arg("--db").arg(db).args(args).env_remove("DESK_DB").env_remove("DESK_PDF_FONT").env("DESK_UI_LANG", "en").output().expect("desk runs")
}

/// A database holding the fixture, and its id.
fn stored() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let out = desk(&db, &["import", fixture().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = desk(&db, &["list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list["incidents"][0]["id"].as_i64().unwrap().to_string();
    (dir, db, id)
}

fn font_present() -> bool {
    let present = desk_export::pdf::PdfFont::find().is_ok();
    if !present {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "Noto Sans CJK JP is missing on CI (fonts-noto-cjk)");
        eprintln!("skipped: Noto Sans CJK JP is missing (apt-get install fonts-noto-cjk)");
    }
    present
}

#[test]
fn html_of_a_stored_postmortem_has_both_languages_days_and_the_picture() {
    let (dir, db, id) = stored();
    let file = dir.path().join("pm.html");
    let out = desk(&db, &["export", &id, "--format", "html", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&file).unwrap();
    for want in ["≫2024年6月16日(日)", "≫2024年6月18日(火)", "Sunday, June 16, 2024 (JST)", "Tuesday, June 18, 2024 (JST)", "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"", "<article id=\"en\" lang=\"en\">"] {
        assert!(html.contains(want), "{want} missing");
    }
    // Printed when no file is given; the same page from the document itself.
    let printed = desk(&db, &["export", &id, "--format", "html"]);
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), html);
    let from_file = desk(&db, &["export", fixture().to_str().unwrap(), "--format", "html"]);
    assert_eq!(String::from_utf8(from_file.stdout).unwrap(), html);
    // The document export is as it was.
    let toml = desk(&db, &["export", &id]);
    assert!(desk_model::IncidentDocument::parse(&String::from_utf8_lossy(&toml.stdout)).unwrap().updates[3].timeline.len() == 17);
    // An update that is not there.
    let out = desk(&db, &["export", &id, "--format", "html", "--update", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the incident has 4"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn pdf_of_a_stored_postmortem_and_of_its_document() {
    if !font_present() {
        return;
    }
    let (dir, db, id) = stored();
    let file = dir.path().join("pm.pdf");
    let out = desk(&db, &["export", &id, "--format", "pdf", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = std::fs::read(&file).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 50_000, "{} bytes", pdf.len());
    // Into a pipe it is printed.
    let piped = desk(&db, &["export", fixture().to_str().unwrap(), "--format", "pdf"]);
    assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert!(piped.stdout.starts_with(b"%PDF-"));
}

#[test]
fn a_missing_font_is_named_with_what_to_install() {
    let (_dir, db, id) = stored();
    let out = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(["--db", db.to_str().unwrap(), "export", &id, "--format", "pdf"])
        .env("DESK_PDF_FONT", "/nowhere/NotoSansCJK-Regular.ttc")
        .env("DESK_UI_LANG", "en")
        .env_remove("DESK_DB")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("/nowhere/NotoSansCJK-Regular.ttc") && said.contains("fonts-noto-cjk"), "{said}");
}
