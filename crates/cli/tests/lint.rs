//! `desk lint` run as a program: the contract other tools depend on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("desk-lint-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn desk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env("DESK_UI_LANG", "en")
        .env_remove("DESK_DB")
        .output()
        .unwrap()
}

fn json(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v["diagnostics"].as_array().unwrap().clone()
}

const CLEAN: &str = "ログインできない障害は解消しました。\n■ 発生期間\n2025/03/04 10:00頃〜11:30頃\n■ 発生した現象\nログインに失敗する\n■ 原因\n証明書の期限切れ\n";

#[test]
fn a_clean_text_exits_zero_with_no_diagnostics() {
    let d = dir("clean");
    let f = write(&d, "clean.md", CLEAN.as_bytes());
    let out = desk(&["lint", "--status", "resolved", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(json(&out).is_empty());
}

#[test]
fn errors_exit_one_and_print_the_json_contract() {
    let d = dir("errors");
    let text = CLEAN.replace("2025/03/04", "2025/02/30");
    let f = write(&d, "bad.md", text.as_bytes());
    let out = desk(&["lint", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let list = json(&out);
    assert_eq!(list.len(), 1, "{list:?}");
    let d0 = list[0].as_object().unwrap();
    let keys: Vec<&str> = d0.keys().map(String::as_str).collect();
    let mut expect = ["file", "code", "severity", "message", "line", "column", "end_line", "end_column", "suggestion"];
    expect.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, expect);
    assert_eq!(d0["file"], f.to_str().unwrap());
    assert_eq!(d0["code"], "date.invalid");
    assert_eq!(d0["severity"], "error");
    assert_eq!((d0["line"].as_u64(), d0["column"].as_u64()), (Some(3), Some(1)));
    assert_eq!((d0["end_line"].as_u64(), d0["end_column"].as_u64()), (Some(3), Some(11)));
    assert!(d0["suggestion"].is_null());
    assert!(d0["message"].as_str().unwrap().contains("2025/02/30"));
    // The raw JSON keeps the contract's field order.
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(raw.starts_with("{\"diagnostics\":[{\"file\":"), "{raw}");
}

#[test]
fn status_rules_run_only_with_a_status() {
    let d = dir("status");
    let f = write(&d, "one-line.txt", "原因が特定できました。\n".as_bytes());
    let without = desk(&["lint", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(without.status.code(), Some(0));
    let with = desk(&["lint", "--status", "identified", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(with.status.code(), Some(1));
    assert!(json(&with).iter().any(|d| d["code"] == "section.missing"));
}

#[test]
fn titles_are_checked_against_the_status() {
    let d = dir("title");
    let f = write(&d, "r.md", CLEAN.as_bytes());
    let out = desk(&["lint", "--status", "resolved", "--title", "【解決済み】ログインで障害が発生しています", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let list = json(&out);
    assert_eq!(list[0]["code"], "title.status");
    assert_eq!(list[0]["suggestion"], "発生していました");
}

#[test]
fn glossary_files_are_read() {
    let d = dir("glossary");
    let g = write(&d, "terms.txt", "# our products\nSkyline\nPulseβ  # beta\n".as_bytes());
    let f = write(&d, "t.md", "Skylnie と Pulseß で遅延が発生しています。\n".as_bytes());
    let out = desk(&["lint", "--glossary", g.to_str().unwrap(), "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let sugg: Vec<&str> = json(&out).iter().filter(|d| d["code"] == "glossary.variant").map(|d| d["suggestion"].as_str().unwrap().to_string()).map(|s| if s == "Skyline" { "Skyline" } else { "Pulseβ" }).collect();
    assert_eq!(sugg, ["Skyline", "Pulseβ"]);
}

#[test]
fn unreadable_input_exits_two_naming_the_file() {
    let d = dir("unreadable");
    let bad = write(&d, "latin1.txt", b"caf\xe9 \xff\n");
    let out = desk(&["lint", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
    assert!(out.stdout.is_empty());
    let missing = desk(&["lint", d.join("nope.md").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.md"));
}

#[test]
fn bad_usage_exits_two() {
    let d = dir("usage");
    let f = write(&d, "a.md", CLEAN.as_bytes());
    for args in [
        vec!["lint", "--status", "fixed", f.to_str().unwrap()],
        vec!["lint", "--lang", "fr", f.to_str().unwrap()],
        vec!["lint", "--format", "xml", f.to_str().unwrap()],
        vec!["lint"],
    ] {
        let out = desk(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn human_format_names_file_line_and_column() {
    let d = dir("human");
    let f = write(&d, "h.md", "■ 原因\n設定の誤り\n\n■ 発生期間\n".as_bytes());
    let out = desk(&["lint", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("{}:4:1: error[section.empty]", f.display())), "{text}");
    assert!(text.contains("1 error(s)"), "{text}");
}

#[test]
fn japanese_messages_follow_the_ui_language() {
    let d = dir("ja");
    let f = write(&d, "h.md", "■ 発生期間\n".as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_desk")).args(["lint", f.to_str().unwrap()]).env("DESK_UI_LANG", "ja_JP.UTF-8").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("何も書かれていません"));
}

const DOC: &str = r#"kind = "incident"
title = { ja = "ログインできない障害", en = "Sign-in failures" }

[[updates]]
status = "investigating"
[updates.ja]
body = """
ログインに失敗する障害を調査しています。
■ 発生期間
2025/03/04 10:00頃〜現在
1時間以内に続報を掲載します。"""
[updates.en]
body = """
We are investigating failed sign-ins.
## Period
Mar 4, 2025 10:00 JST – ongoing
We will post the next update within an hour."""

[[updates]]
status = "postmortem"
[updates.ja]
symptoms = "ログインに失敗した"
cause = "証明書の期限切れ"
[updates.en]
symptoms = "Signing in failed."
cause = "An expired certificate."
"#;

#[test]
fn incident_documents_are_linted_update_by_update() {
    let d = dir("doc");
    let f = write(&d, "incident.toml", DOC.as_bytes());
    let out = desk(&["lint", "--format", "json", f.to_str().unwrap()]);
    let list = json(&out);
    // The postmortem has no period and no countermeasures (prevention), in
    // either language: both required by the default policy.
    let missing: Vec<&Value> = list.iter().filter(|d| d["code"] == "section.missing" && d["severity"] == "error").collect();
    assert_eq!(missing.len(), 4, "{list:#?}");
    assert_eq!(missing[0]["line"].as_u64(), Some(19), "the second [[updates]] line");
    assert_eq!(out.status.code(), Some(1));
    // A mistake in a verbatim body is placed at its line in the document.
    let bad = DOC.replace("2025/03/04 10:00頃〜現在", "2025/03/04 (水) 10:00頃〜現在");
    let f = write(&d, "weekday.toml", bad.as_bytes());
    let list = json(&desk(&["lint", "--format", "json", f.to_str().unwrap()]));
    let wd = list.iter().find(|d| d["code"] == "date.invalid").expect("weekday mismatch");
    assert_eq!((wd["line"].as_u64(), wd["column"].as_u64()), (Some(10), Some(12)));
}

#[test]
fn broken_documents_exit_two_with_their_line() {
    let d = dir("brokendoc");
    let f = write(&d, "broken.toml", DOC.replace("status = \"postmortem\"", "status = \"fixed\"").as_bytes());
    let out = desk(&["lint", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.toml:20"), "{}", String::from_utf8_lossy(&out.stderr));
}

fn postmortem_fixture() -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/window-overrun-postmortem.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}")) as u64 + 1
}

#[test]
fn the_window_overrun_postmortem_is_clean() {
    let (path, _) = postmortem_fixture();
    let out = desk(&["lint", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(json(&out).is_empty(), "{:#?}", json(&out));
}

#[test]
fn an_entry_out_of_order_a_wrong_weekday_and_a_wrong_duration_give_three_findings() {
    let (_, text) = postmortem_fixture();
    // Move the 07:00 entry below the 08:00 one.
    let mut blocks: Vec<&str> = text.split("\n[[updates.timeline]]\n").collect();
    let k = blocks.iter().position(|b| b.contains("at = 2024-06-17T07:00:00+09:00")).unwrap();
    blocks.swap(k, k + 1);
    let broken = blocks
        .join("\n[[updates.timeline]]\n")
        // June 17, 2024 was a Monday.
        .replace("2024/06/17 (月) 06:00頃", "2024/06/17 (火) 06:00頃")
        // The outage lasted about 20 hours: the period and the timeline say so.
        .replace("およそ20時間にわたって", "およそ8時間にわたって")
        .replace("for about 20 hours", "for about 8 hours");
    let d = dir("overrun");
    let f = write(&d, "overrun.toml", broken.as_bytes());
    let out = desk(&["lint", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "two of them are errors");
    let got: Vec<(String, u64, String)> = json(&out)
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["severity"].as_str().unwrap().to_string()))
        .collect();
    let summary = line_of(&broken, "(火) 06:00頃");
    let moved = line_of(&broken, "at = 2024-06-17T07:00:00+09:00");
    assert!(moved > line_of(&broken, "at = 2024-06-17T08:00:00+09:00"));
    assert_eq!(
        got,
        vec![
            ("date.invalid".to_string(), summary, "error".to_string()),
            ("timeline.order".to_string(), moved, "error".to_string()),
            ("timeline.span".to_string(), summary, "warning".to_string()),
        ],
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let list = json(&out);
    let span = list.iter().find(|d| d["code"] == "timeline.span").unwrap();
    let col = span["column"].as_u64().unwrap() as usize;
    let line = broken.lines().nth(summary as usize - 1).unwrap();
    assert!(line.chars().skip(col - 1).collect::<String>().starts_with("およそ8時間"), "{line} at {col}");
}

#[test]
fn a_compensation_before_the_outage_and_an_amount_in_one_language_are_found_at_the_offer() {
    let (_, text) = postmortem_fixture();
    let broken = text
        // The outage began on June 17, 2024: May is before it.
        .replace("period = { start = 2024-06-01, end = 2024-07-31 }", "period = { start = 2024-05-01, end = 2024-05-31 }")
        // An amount the English offer does not state.
        .replace("2か月分のご利用料金をいただきません", "2か月分のご利用料金（1,500円）をいただきません");
    let d = dir("compensation");
    let f = write(&d, "overrun.toml", broken.as_bytes());
    let out = desk(&["lint", "--format", "json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let got: Vec<(String, u64, String)> = json(&out)
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["severity"].as_str().unwrap().to_string()))
        .collect();
    let offer = line_of(&broken, "[[updates.compensation]]");
    let amount = line_of(&broken, "1,500円");
    assert_eq!(
        got,
        vec![
            // The published text says it too, where the offer's text was written.
            ("parity.fact".to_string(), amount, "warning".to_string()),
            ("compensation.period".to_string(), offer, "error".to_string()),
            ("compensation.parity".to_string(), offer, "error".to_string()),
        ],
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let list = json(&out);
    assert!(list[1]["message"].as_str().unwrap().contains("ends before the incident began (Jun 17, 2024)"), "{list:#?}");
    assert!(list[2]["message"].as_str().unwrap().contains("“1500” is not in the English"), "{list:#?}");
}
