//! How long the exports of the overrun postmortem take (17 timeline entries,
//! six A4 pages): reading the font, the picture, the HTML page, the PDF
//! (layout, shaping, subsetting, writing), and how big the PDF is. Written
//! to `target/bench-results/export.txt`; no target is asserted.
//!
//! `cargo bench -p desk-export --bench export`

use std::path::{Path, PathBuf};
use std::time::Instant;

use desk_export::pdf::{to_pdf, PdfFont};
use desk_export::{html::to_html, Postmortem};
use desk_model::{IncidentDocument, Lang};
use desk_templates::TemplateSet;

fn ms(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let incident = IncidentDocument::read(&root.join("tests/fixtures/incidents/window-overrun-postmortem.toml")).unwrap();
    let set = TemplateSet::builtin();
    let pm = Postmortem::new(&set, &incident, None).unwrap();
    let mut lines = vec!["desk-export: the overrun postmortem (17 timeline entries), p50 / max".to_string()];
    let (p50, max) = ms(200, || drop(pm.svg(Lang::Ja)));
    lines.push(format!("timeline picture (SVG, one language): {p50:.3} / {max:.3} ms (200 runs)"));
    let (p50, max) = ms(100, || drop(to_html(&pm)));
    lines.push(format!("HTML page: {p50:.3} / {max:.3} ms (100 runs)"));
    match PdfFont::find() {
        Ok(font) => {
            let (p50, max) = ms(5, || drop(PdfFont::find().unwrap()));
            lines.push(format!("reading the font ({}): {p50:.1} / {max:.1} ms (5 runs)", font.path.display()));
            let mut size = 0;
            let (p50, max) = ms(10, || size = to_pdf(&pm, &font).unwrap().len());
            lines.push(format!("PDF, font already read: {p50:.1} / {max:.1} ms (10 runs), {size} bytes"));
        }
        Err(e) => lines.push(format!("PDF: not measured: {e}")),
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    lines.push(format!("load average {}; {} cores", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "), std::thread::available_parallelism().map_or(1, |n| n.get())));
    let text = lines.join("\n") + "\n";
    print!("{text}");
    let out = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target")).join("bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("export.txt"), text).unwrap();
}
