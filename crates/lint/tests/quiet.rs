//! Quiet is a feature: how many findings the linter reports on text that is
//! known to be clean or close to it, per rule code, per update.
//!
//! Measured on the project's own sample incidents (`tests/fixtures/incidents`,
//! linted as incidents, published with the built-in templates), their golden
//! renderings (`tests/golden`, each update's Japanese and English linted as
//! raw text), and on the seeds in `../shared/seeds/` when present (the
//! status-page history as incidents; the apology as one raw text). The
//! samples and golden files must draw no error; the seed figures are
//! printed for comparison across changes (`cargo test -p desk-lint --test
//! quiet -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use desk_lint::published::published_updates;
use desk_lint::{lint_incident, lint_text, Config, Diagnostic, Severity, TextContext};
use desk_model::{IncidentDocument, Lang};
use desk_templates::TemplateSet;

#[path = "common/seed.rs"]
mod seed;

/// Findings per rule: (errors, warnings).
#[derive(Default)]
struct Tally {
    updates: usize,
    by_rule: BTreeMap<&'static str, (usize, usize)>,
}

impl Tally {
    fn add(&mut self, found: &[Diagnostic]) {
        for d in found {
            let slot = self.by_rule.entry(d.code()).or_default();
            match d.severity {
                Severity::Error => slot.0 += 1,
                Severity::Warning => slot.1 += 1,
                Severity::Info => {}
            }
        }
    }

    fn errors(&self) -> usize {
        self.by_rule.values().map(|c| c.0).sum()
    }

    fn print(&self, name: &str) {
        let (e, w): (usize, usize) = self.by_rule.values().fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
        let per = |n: usize| n as f64 / self.updates.max(1) as f64;
        println!("{name}: {} updates, {e} errors ({:.3}/update), {w} warnings ({:.3}/update)", self.updates, per(e), per(w));
        for (rule, (e, w)) in &self.by_rule {
            println!("    {rule:<26} errors {e:>3}  warnings {w:>3}");
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// The samples' own product names, as an organisation would list them.
fn sample_config() -> Config {
    Config { glossary: ["Kumo", "Kumo API", "Kumo Mail", "Kumo Analytics"].iter().map(|s| s.to_string()).collect(), ..Config::default() }
}

#[test]
fn sample_incidents_and_golden_files_draw_no_error() {
    let set = TemplateSet::builtin();
    let mut samples = Tally::default();
    for path in files(&repo().join("tests/fixtures/incidents"), "toml") {
        let incident = IncidentDocument::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let updates = published_updates(&set, &incident).unwrap();
        samples.updates += updates.len();
        for config in [Config::default(), sample_config()] {
            samples.add(&lint_incident(&updates, &config));
        }
    }
    samples.print("sample incidents (default config and with a glossary)");

    // Golden files: `<!-- update N -->`, a title line, then Japanese, `---`, English.
    let mut golden = Tally::default();
    for path in files(&repo().join("tests/golden"), "md") {
        let text = std::fs::read_to_string(&path).unwrap();
        for chunk in text.split("<!-- update ").skip(1) {
            golden.updates += 1;
            let body = chunk.split_once('\n').map_or("", |x| x.1);
            let body = body.split_once("\n\n").map_or(body, |x| x.1); // the title line
            let (ja, en) = body.split_once("\n---\n").unwrap_or((body, ""));
            for (lang, text) in [(Lang::Ja, ja), (Lang::En, en)] {
                let cx = TextContext { lang: Some(lang), ..TextContext::default() };
                golden.add(&lint_text(text.trim(), &cx, &sample_config()));
            }
        }
    }
    golden.print("golden renderings (raw text, with a glossary)");
    assert_eq!(samples.errors(), 0, "errors on the sample incidents");
    assert_eq!(golden.errors(), 0, "errors on the golden files");
}

#[test]
fn seed_findings_per_rule() {
    let path = seed::seed_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is absent on CI", path.display());
        println!("seed measurement skipped: {} is absent", path.display());
        return;
    };
    let config = Config {
        languages: vec![Lang::Ja],
        glossary: ["KARTE", "Datahub", "Insight", "Action", "Blocks", "Talk", "Signals", "Message", "Messageβ", "RightSupport"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ..Config::default()
    };
    let mut history = Tally::default();
    for inc in seed::parse_seed(&text) {
        let updates = inc.lint_updates();
        history.updates += updates.len();
        history.add(&lint_incident(&updates, &config));
    }
    history.print("seed 000, status-page history (all updates, mistakes included)");

    // The seed's katakana feature names as glossary terms: the kana checks
    // must not take their compounds and neighbours for misspellings.
    let kana = Config {
        glossary: ["ジャーニー", "ジョブフロー", "エレメントビルダー", "ターゲット", "セグメント", "ディメンション", "スクリーンショット"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ..config.clone()
    };
    let mut kana_tally = Tally::default();
    for inc in seed::parse_seed(&text) {
        let updates = inc.lint_updates();
        kana_tally.updates += updates.len();
        let found: Vec<Diagnostic> = lint_incident(&updates, &kana).into_iter().filter(|d| d.rule == desk_lint::Rule::GlossaryVariant).collect();
        for d in &found {
            println!("    kana glossary finding: {}", d.message.en);
        }
        kana_tally.add(&found);
    }
    kana_tally.print("seed 000, glossary.variant with katakana feature names");

    let apology_path = path.with_file_name("002_0554dd0b565fc892.txt");
    if let Ok(apology) = std::fs::read_to_string(&apology_path) {
        let mut one = Tally { updates: 1, ..Tally::default() };
        one.add(&lint_text(&apology, &TextContext { lang: Some(Lang::Ja), ..TextContext::default() }, &Config::default()));
        one.print("seed 002, apology (raw text)");
    }
}
