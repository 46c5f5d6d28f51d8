//! `desk render` and `desk new` run as a user runs them: the real binary,
//! the sample incidents in tests/fixtures/incidents, golden files in tests/golden.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite the golden files after an intended change.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn desk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env_remove("DESK_TEMPLATES")
        .env_remove("DESK_DB")
        .output()
        .expect("desk runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "desk failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures/incidents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "at least six sample incidents");
    files
}

fn update_count(file: &Path) -> usize {
    desk_model::IncidentDocument::read(file).unwrap().updates.len()
}

#[test]
fn every_update_of_every_sample_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for file in samples() {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let mut rendered = String::new();
        for n in 1..=update_count(&file) {
            let out = stdout(&desk(&["render", file.to_str().unwrap(), "--update", &n.to_string()]));
            rendered.push_str(&format!("<!-- update {n} -->\n{out}\n"));
        }
        let golden = repo().join("tests/golden").join(format!("{stem}.md"));
        if update {
            std::fs::write(&golden, &rendered).unwrap();
        } else {
            let expected = std::fs::read_to_string(&golden)
                .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", golden.display()));
            if expected != rendered {
                mismatches.push(stem);
            }
        }
    }
    assert!(mismatches.is_empty(), "output differs from the golden files for: {mismatches:?} (UPDATE_GOLDEN=1 rewrites them)");
}

/// The symptoms heading each status's template uses, in (ja, en).
fn symptoms_heading(status: &str) -> Option<(&'static str, &'static str)> {
    Some(match status {
        "investigating" | "identified" => ("■ 発生している現象", "■ What is happening"),
        "monitoring" => ("■ 発生していた現象", "■ What was happening"),
        "resolved" | "postmortem" => ("■ 発生した現象", "■ What happened"),
        "scheduled" | "in_progress" => ("■ メンテナンス中の影響", "■ Impact during the maintenance"),
        _ => return None,
    })
}

#[test]
fn headings_follow_each_updates_status_in_both_languages() {
    let mut checked = 0;
    for file in samples() {
        let incident = desk_model::IncidentDocument::read(&file).unwrap();
        for (i, u) in incident.updates.iter().enumerate() {
            let n = (i + 1).to_string();
            let ja = stdout(&desk(&["render", file.to_str().unwrap(), "--update", &n, "--lang", "ja"]));
            let en = stdout(&desk(&["render", file.to_str().unwrap(), "--update", &n, "--lang", "en"]));
            let status = u.status.as_str();
            if u.ja.body.is_none() && !u.ja.symptoms.is_empty() {
                let (hja, hen) = symptoms_heading(status).unwrap();
                assert!(ja.contains(hja), "{}: update {n} ({status}) lacks {hja}:\n{ja}", file.display());
                assert!(en.contains(hen), "{}: update {n} ({status}) lacks {hen}:\n{en}", file.display());
                checked += 1;
            }
            if u.status.is_closed() {
                assert!(!ja.contains("発生している"), "{}: update {n} is {status} but speaks in the present:\n{ja}", file.display());
                assert!(!en.contains("is happening"), "{}: update {n} is {status} but speaks in the present:\n{en}", file.display());
            }
            if u.status.is_ongoing() && u.next_update_at.is_some() && u.status != desk_model::Status::InProgress {
                assert!(ja.contains("次回は"), "{}: update {n} has no next-update promise:\n{ja}", file.display());
                assert!(en.contains("next update by"), "{}: update {n} has no next-update promise:\n{en}", file.display());
            }
        }
    }
    assert!(checked >= 10, "only {checked} updates had symptoms to check");
}

#[test]
fn the_samples_cover_every_status_a_maintenance_and_a_postmortem() {
    let mut seen = std::collections::BTreeSet::new();
    let mut multi = false;
    for file in samples() {
        let incident = desk_model::IncidentDocument::read(&file).unwrap();
        multi |= incident.updates.len() >= 3;
        seen.extend(incident.updates.iter().map(|u| u.status));
    }
    for status in desk_model::Status::ALL {
        assert!(seen.contains(&status), "no sample has a {status} update");
    }
    assert!(multi, "no sample has a multi-update incident");
}

#[test]
fn html_and_text_formats() {
    let file = repo().join("tests/fixtures/incidents/webhook-duplicates-own-body.toml");
    let html = stdout(&desk(&["render", file.to_str().unwrap(), "--lang", "ja", "--format", "html"]));
    assert!(html.starts_with("<h1>【解決済み】Webhookが重複して送信される障害が発生していました</h1>"), "{html}");
    assert!(html.contains("<strong>発生期間</strong>"), "{html}");
    assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    let text = stdout(&desk(&["render", file.to_str().unwrap(), "--lang", "en", "--format", "text"]));
    assert!(text.contains("See the help center (https://help.kumo.example/webhooks/duplicates) for the steps"), "{text}");
    assert!(!text.contains("**"), "{text}");
}

#[test]
fn new_documents_render_and_mark_what_is_left_to_write() {
    for (kind, status) in [("incident", "investigating"), ("incident", "resolved"), ("maintenance", "scheduled")] {
        let doc = stdout(&desk(&["new", "--kind", kind, "--status", status, "--now", "2025-06-13T02:51:00+09:00"]));
        assert!(doc.contains("start = \"2025-06-13T02:51:00+09:00\""), "{doc}");
        let path = std::env::temp_dir().join(format!("desk-new-{}-{kind}-{status}.toml", std::process::id()));
        std::fs::write(&path, &doc).unwrap();
        let out = stdout(&desk(&["render", path.to_str().unwrap()]));
        assert!(out.contains("【要記入】") && out.contains("[TBD]"), "{out}");
        std::fs::remove_file(path).unwrap();
    }
}

#[test]
fn errors_say_what_and_where_with_exit_code_2() {
    let dir = std::env::temp_dir().join(format!("desk-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "kind = \"incident\"\ntitle = { ja = \"x\", en = \"y\" }\n\n[[updates]]\nstatus = \"fixed\"\n").unwrap();
    let out = desk(&["render", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:5:", bad.display())) && err.contains("fixed"), "{err}");

    let binary = dir.join("binary.toml");
    std::fs::write(&binary, b"kind = \"incident\"\n\xff\xfe").unwrap();
    let out = desk(&["render", binary.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));

    let sample = repo().join("tests/fixtures/incidents/delivery-delay-ongoing.toml");
    let out = desk(&["render", sample.to_str().unwrap(), "--update", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no update 9; the incident has 1"));

    let out = desk(&["new", "--kind", "maintenance", "--status", "resolved"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--status: resolved is not one of this maintenance's statuses; use one of: scheduled, in_progress, verifying, completed"));

    let out = desk(&["render", dir.join("missing.toml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml: cannot read the file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_organisations_template_folder_is_used() {
    let dir = std::env::temp_dir().join(format!("desk-org-templates-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("incident")).unwrap();
    std::fs::write(dir.join("incident/resolved.ja.md"), "title: 【復旧済み】{{title}}\n---\n{{title}}は復旧しました。\n").unwrap();
    let sample = repo().join("tests/fixtures/incidents/login-certificate-expiry.toml");
    let out = stdout(&desk(&["--templates", dir.to_str().unwrap(), "render", sample.to_str().unwrap(), "--lang", "ja"]));
    assert!(out.starts_with("【復旧済み】Kumo Mailにログインできない障害が発生していました\n\nKumo Mailにログインできない障害が発生していましたは復旧しました。"), "{out}");
    std::fs::write(dir.join("incident/resolved.ja.md"), "title: {{title}}\n---\n{{#cause}}\n").unwrap();
    let out = desk(&["--templates", dir.to_str().unwrap(), "render", sample.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("incident/resolved.ja.md:3:"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Our templates and our linter must agree: the samples, rendered with the
/// built-in templates, draw no finding at all.
#[test]
fn every_sample_lints_clean() {
    for file in samples() {
        let out = desk(&["lint", "--format", "json", file.to_str().unwrap()]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let found = json["diagnostics"].as_array().unwrap();
        assert!(found.is_empty(), "{}: {}", file.display(), serde_json::to_string_pretty(found).unwrap());
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn a_postmortem_prints_its_timeline_by_day_in_both_languages() {
    let file = repo().join("tests/fixtures/incidents/window-overrun-postmortem.toml");
    let out = stdout(&desk(&["render", file.to_str().unwrap()]));
    for (heading, first, next_day, last) in [
        ("■ 経緯", "≫2024年6月16日(日)\n22:00頃: ", "\n\n≫2024年6月17日(月)\n06:00: ", "≫2024年6月18日(火)\n01:40: "),
        ("■ Timeline", "Sunday, June 16, 2024 (JST)\n22:00 (approx.): ", "\n\nMonday, June 17, 2024 (JST)\n06:00: ", "Tuesday, June 18, 2024 (JST)\n01:40: "),
    ] {
        let at = out.find(heading).unwrap_or_else(|| panic!("{heading} in {out}"));
        let section = &out[at..];
        assert!(section[heading.len()..].starts_with(&format!("\n{first}")), "{section}");
        assert!(section.contains(next_day) && section.contains(last), "{section}");
    }
}
