//! The corpus check: every update of the real status-page history in
//! `../shared/seeds/` linted with the status it had, as an incident.
//!
//! Prints which of DOMAIN.md's mistake classes the linter finds on the
//! updates known to contain them, and how many error-severity diagnostics it
//! reports on the updates that contain none (the target: at most 1 per 20).
//! This is a check, not a fixture: the rules are not tuned to it, and it
//! fails only on a panic or when the seed is malformed. Skips, saying so,
//! when the seed is absent.
//!
//! `DESK_CORPUS_DUMP=1` prints every update with its diagnostics.

use std::collections::{BTreeMap, BTreeSet};

use desk_lint::{lint_incident, Config, Rule, Severity};
use desk_model::Lang;

#[path = "common/seed.rs"]
mod seed;

use seed::{parse_seed, seed_path};

/// DOMAIN.md's classes of real mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    ImpossibleDate,
    PeriodDrift,
    PresentTenseResolved,
    ProductMisspelt,
    DoubledWord,
    HeadingStyleDrift,
    Duplicate,
    Retracted,
    DefaultEnglish,
    OneLineIdentified,
}

impl Class {
    const ALL: [Class; 10] = [
        Class::ImpossibleDate,
        Class::PeriodDrift,
        Class::PresentTenseResolved,
        Class::ProductMisspelt,
        Class::DoubledWord,
        Class::HeadingStyleDrift,
        Class::Duplicate,
        Class::Retracted,
        Class::DefaultEnglish,
        Class::OneLineIdentified,
    ];

    fn describe(self) -> &'static str {
        match self {
            Class::ImpossibleDate => "impossible date (11/31, 年 for 月)",
            Class::PeriodDrift => "period changes silently between updates",
            Class::PresentTenseResolved => "present tense in a resolved update or title",
            Class::ProductMisspelt => "product name misspelt (letter, ß for β)",
            Class::DoubledWord => "word doubled by accident",
            Class::HeadingStyleDrift => "heading / title-marker style drift",
            Class::Duplicate => "same update published again",
            Class::Retracted => "resolved, then retracted",
            Class::DefaultEnglish => "Statuspage default English line alone",
            Class::OneLineIdentified => "identified update, one line, no sections",
        }
    }

    /// The rules that report this class.
    fn rules(self) -> &'static [Rule] {
        match self {
            Class::ImpossibleDate => &[Rule::DateInvalid],
            Class::PeriodDrift => &[Rule::PeriodDrift],
            Class::PresentTenseResolved => &[Rule::TenseStatus, Rule::TitleStatus],
            Class::ProductMisspelt => &[Rule::GlossaryVariant],
            Class::DoubledWord => &[Rule::TextRepeated],
            Class::HeadingStyleDrift => &[Rule::HeadingStyleMixed],
            Class::Duplicate => &[Rule::UpdateDuplicate],
            Class::Retracted => &[Rule::StatusReopened],
            Class::DefaultEnglish => &[Rule::StatuspageDefaultText],
            Class::OneLineIdentified => &[Rule::SectionMissing],
        }
    }
}

/// Where the seed's mistakes are, found by reading it (not by running the
/// linter): (incident, update oldest-first, class), both 0-based.
const KNOWN: &[(usize, usize, Class)] = &[
    (0, 0, Class::ProductMisspelt),
    (1, 0, Class::ProductMisspelt),
    (2, 3, Class::PresentTenseResolved),
    (4, 0, Class::ProductMisspelt),
    (4, 1, Class::ProductMisspelt),
    (4, 3, Class::PresentTenseResolved),
    (5, 0, Class::ImpossibleDate),
    (5, 1, Class::ImpossibleDate),
    (5, 2, Class::ImpossibleDate),
    (5, 2, Class::PresentTenseResolved),
    (6, 2, Class::Duplicate),
    (6, 4, Class::Duplicate),
    (7, 1, Class::ImpossibleDate),
    (7, 2, Class::ImpossibleDate),
    (9, 2, Class::HeadingStyleDrift),
    (9, 3, Class::HeadingStyleDrift),
    (9, 4, Class::HeadingStyleDrift),
    (10, 3, Class::PresentTenseResolved),
    (13, 1, Class::DefaultEnglish),
    (13, 4, Class::PresentTenseResolved),
    (14, 0, Class::ProductMisspelt),
    (14, 1, Class::ProductMisspelt),
    (14, 1, Class::DoubledWord),
    (14, 2, Class::ProductMisspelt),
    (14, 3, Class::PeriodDrift),
    (14, 3, Class::ProductMisspelt),
    (14, 4, Class::ProductMisspelt),
    (15, 1, Class::OneLineIdentified),
    (15, 3, Class::PresentTenseResolved),
    (17, 1, Class::HeadingStyleDrift),
    (18, 0, Class::HeadingStyleDrift),
    (18, 0, Class::Retracted),
    (19, 1, Class::DefaultEnglish),
    (19, 2, Class::ProductMisspelt),
    (22, 2, Class::DefaultEnglish),
    (22, 3, Class::PresentTenseResolved),
    (23, 1, Class::DefaultEnglish),
    (23, 2, Class::PresentTenseResolved),
    (24, 0, Class::HeadingStyleDrift),
    (24, 2, Class::PeriodDrift),
    (24, 2, Class::HeadingStyleDrift),
    (26, 3, Class::PresentTenseResolved),
    (27, 0, Class::HeadingStyleDrift),
    (29, 2, Class::PresentTenseResolved),
    (29, 3, Class::PresentTenseResolved),
    (30, 4, Class::PresentTenseResolved),
    (31, 2, Class::PresentTenseResolved),
    (32, 2, Class::PresentTenseResolved),
    (34, 2, Class::PresentTenseResolved),
    (34, 2, Class::HeadingStyleDrift),
    (37, 0, Class::PresentTenseResolved),
    (37, 0, Class::ProductMisspelt),
    (39, 1, Class::PresentTenseResolved),
    (44, 3, Class::PresentTenseResolved),
    (45, 4, Class::PresentTenseResolved),
    (45, 4, Class::HeadingStyleDrift),
    (46, 2, Class::PresentTenseResolved),
    (47, 2, Class::PresentTenseResolved),
    (48, 3, Class::PresentTenseResolved),
    (50, 1, Class::PeriodDrift),
    (50, 2, Class::PresentTenseResolved),
    (51, 2, Class::PresentTenseResolved),
];

/// The product names of the seed's service, as an organisation's glossary.
const GLOSSARY: &[&str] = &["KARTE", "Datahub", "Insight", "Action", "Blocks", "Talk", "Signals", "Message", "Messageβ", "RightSupport"];

#[test]
fn corpus_check() {
    let path = seed_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("corpus check skipped: {} is absent", path.display());
        return;
    };
    let incidents = parse_seed(&text);
    assert!(incidents.len() > 40, "the seed has {} incidents", incidents.len());
    let config = Config {
        languages: vec![Lang::Ja],
        glossary: GLOSSARY.iter().map(|s| s.to_string()).collect(),
        ..Config::default()
    };
    let dump = std::env::var("DESK_CORPUS_DUMP").is_ok();
    let known: BTreeMap<(usize, usize), BTreeSet<Class>> = KNOWN.iter().fold(BTreeMap::new(), |mut m, &(i, u, c)| {
        m.entry((i, u)).or_default().insert(c);
        m
    });
    let mut found: BTreeSet<Class> = BTreeSet::new();
    let mut hits: BTreeMap<Class, usize> = BTreeMap::new();
    let mut warnings_by_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut clean, mut false_errors, mut false_warnings, mut updates_total) = (0usize, 0usize, 0usize, 0usize);
    let mut by_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        let updates = inc.lint_updates();
        let diagnostics = lint_incident(&updates, &config);
        for (k, u) in updates.iter().enumerate() {
            updates_total += 1;
            let mine: Vec<_> = diagnostics.iter().filter(|d| d.update == Some(k as u32)).collect();
            let classes = known.get(&(i, k));
            if dump {
                let head: String = u.body.ja.chars().take(60).collect();
                println!("[{i}:{k}] {} {:?} {head}", u.status, classes);
                for d in &mine {
                    println!("    {} {} {}:{} {}", d.severity.as_str(), d.code(), d.line, d.column, d.message.en);
                }
            }
            match classes {
                Some(classes) => {
                    for c in classes {
                        if mine.iter().any(|d| c.rules().contains(&d.rule)) {
                            found.insert(*c);
                            *hits.entry(*c).or_default() += 1;
                        }
                    }
                }
                None => {
                    clean += 1;
                    for d in &mine {
                        match d.severity {
                            Severity::Error => {
                                false_errors += 1;
                                *by_rule.entry(d.code()).or_default() += 1;
                            }
                            Severity::Warning => {
                                false_warnings += 1;
                                *warnings_by_rule.entry(d.code()).or_default() += 1;
                            }
                            Severity::Info => {}
                        }
                    }
                }
            }
        }
    }
    println!("\ncorpus check: {} incidents, {updates_total} updates", incidents.len());
    println!("| DOMAIN.md mistake class | updates with it | found on | rule |");
    println!("|---|---|---|---|");
    for c in Class::ALL {
        let count = KNOWN.iter().filter(|k| k.2 == c).count();
        let rules: Vec<&str> = c.rules().iter().map(|r| r.code()).collect();
        println!("| {} | {count} | {} | {} |", c.describe(), hits.get(&c).copied().unwrap_or(0), rules.join(", "));
    }
    let missing: Vec<&str> = Class::ALL.iter().filter(|c| !found.contains(c)).map(|c| c.describe()).collect();
    println!("classes found: {} of {}{}", found.len(), Class::ALL.len(), if missing.is_empty() { String::new() } else { format!("; not found: {missing:?}") });
    println!(
        "clean updates: {clean}; error diagnostics on them: {false_errors} ({:.2} per 20; target ≤ 1); warnings on them: {false_warnings}",
        false_errors as f64 * 20.0 / clean.max(1) as f64
    );
    println!("false errors by rule: {by_rule:?}");
    println!("warnings on clean updates by rule: {warnings_by_rule:?}");
}
