//! The timeline picture of the overrun postmortem, pinned by golden files
//! (`tests/golden/window-overrun-postmortem.timeline.{ja,en}.svg`).
//! Set `UPDATE_GOLDEN=1` to rewrite them after an intended change.

use std::path::{Path, PathBuf};

use desk_export::picture::{self, Picture, ELEMENTS};
use desk_model::{IncidentDocument, Lang, PeriodStyle};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_overrun_postmortems_picture_matches_its_golden_files() {
    let incident = IncidentDocument::read(&root().join("tests/fixtures/incidents/window-overrun-postmortem.toml")).unwrap();
    let style = PeriodStyle::default();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for lang in Lang::ALL {
        let svg = picture::to_svg(&Picture::of(&incident, incident.updates.len() - 1, lang), &style, lang, &format!("timeline-{}", lang.as_str()));
        let golden = root().join(format!("tests/golden/window-overrun-postmortem.timeline.{}.svg", lang.as_str()));
        if update {
            std::fs::write(&golden, &svg).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", golden.display()));
        assert_eq!(svg, want, "{} differs (UPDATE_GOLDEN=1 rewrites it)", golden.display());

        // Only the elements the picture is allowed, each opened as `<name ` or `<name>`.
        for (i, _) in svg.match_indices('<') {
            let rest = &svg[i + 1..];
            if rest.starts_with('/') {
                continue;
            }
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            assert!(ELEMENTS.contains(&name.as_str()), "<{name}> is not one of {ELEMENTS:?}");
        }
        // The days of the axis, in the language's own words.
        let days: &[&str] = match lang {
            Lang::Ja => &["6月16日(日)", "6月17日(月)", "6月18日(火)"],
            Lang::En => &["Sun, Jun 16", "Mon, Jun 17", "Tue, Jun 18"],
        };
        for day in days {
            assert!(svg.contains(&format!(">{day}</text>")), "{day} missing");
        }
        // Every one of the 17 entries has its mark.
        assert_eq!(svg.matches("<circle ").count(), 17);
    }
}
