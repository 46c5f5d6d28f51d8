//! `desk templates`: the library in the database, folders, and importing a
//! Statuspage page's incident templates from the sandbox.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use desk_sandbox::{Sandbox, SandboxConfig};

const KEY: &str = "sk-live-templates-1a2b3c";

fn desk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env("DESK_DB", dir.join("desk.db"))
        .env("DESK_AUTHOR", "aiko")
        .env("STATUSPAGE_API_KEY", KEY)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("HOME", dir.join("home"))
        .output()
        .expect("desk runs")
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                walk(root, &e.path(), out);
            } else {
                out.insert(e.path().strip_prefix(root).unwrap().display().to_string(), std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn check_prints_every_problem_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    std::fs::create_dir_all(lib.join("incident")).unwrap();
    std::fs::write(lib.join("incident/resolved.ja.md"), "title: {{resolved_prefix}}{{titel}}\n---\n本文\n{{#cause}}\n").unwrap();
    let out = desk(tmp.path(), &["templates", "check", lib.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let file = lib.join("incident/resolved.ja.md").display().to_string();
    assert!(stdout.contains(&format!("{file}:1:27: `titel` is not a field")), "{stdout}");
    assert!(stdout.contains(&format!("{file}:4:1: the section `cause` is never closed")), "{stdout}");
    assert!(stderr.contains("2 problems"), "{stderr}");

    std::fs::write(lib.join("incident/resolved.ja.md"), "title: {{resolved_prefix}}{{title}}\n---\n本文\n").unwrap();
    let out = desk(tmp.path(), &["templates", "check", lib.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
}

#[test]
fn export_import_export_is_byte_identical_and_versions_can_be_rolled_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = dir.join("first");
    assert!(desk(dir, &["templates", "export", first.to_str().unwrap()]).status.success());
    assert_eq!(tree(&first).len(), 19);

    // Edit the resolved Japanese template in the folder and import it.
    let resolved = first.join("incident/resolved.ja.md");
    let edited = std::fs::read_to_string(&resolved).unwrap().replace("解消いたしました", "復旧いたしました");
    std::fs::write(&resolved, &edited).unwrap();
    let out = desk(dir, &["templates", "import", first.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("incident/resolved.ja.md: version 1"), "{stdout}");
    assert!(stdout.contains("1 of 19 files changed"), "{stdout}");

    let second = dir.join("second");
    assert!(desk(dir, &["templates", "export", second.to_str().unwrap()]).status.success());
    assert_eq!(tree(&first), tree(&second), "export → import → export changed bytes");

    let out = desk(dir, &["templates", "show", "resolved", "--lang", "ja"]);
    assert_eq!(text(&out).0, edited);

    // A broken folder is refused whole.
    std::fs::write(second.join("incident/identified.en.md"), "title: {{title}}\n---\n{{nope}}\n").unwrap();
    let out = desk(dir, &["templates", "import", second.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).0.contains("identified.en.md:3:1: `nope` is not a field"), "{:?}", text(&out));

    // History and rollback.
    let out = desk(dir, &["templates", "rollback", "resolved", "--lang", "ja", "--version", "0"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let out = desk(dir, &["templates", "history", "resolved", "--lang", "ja"]);
    let (stdout, _) = text(&out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("v2") && lines[0].contains("aiko") && lines[0].contains("rolled back to version 0"), "{stdout}");
    assert!(lines[1].starts_with("v1") && lines[1].contains("imported from"), "{stdout}");
    let out = desk(dir, &["templates", "show", "resolved", "--lang", "ja"]);
    assert!(text(&out).0.contains("解消いたしました"));
    let out = desk(dir, &["templates", "list"]);
    let (stdout, _) = text(&out);
    assert!(stdout.lines().any(|l| l.starts_with("incident/resolved.ja.md") && l.contains("v2") && l.contains("aiko")), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("incident/resolved.en.md") && l.contains("built-in")), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_the_pages_incident_templates_from_the_sandbox() {
    let tmp = tempfile::tempdir().unwrap();
    let config = SandboxConfig {
        rate_limit_interval: std::time::Duration::ZERO,
        keys: Some(vec![KEY.into()]),
        data_dir: Some(tmp.path().join("sandbox")),
        ..Default::default()
    };
    let sb = Sandbox::start(config).await.unwrap();
    sb.add_template(
        "sandbox",
        "調査中（ログイン）",
        "ログインできない事象について",
        "現在、ログインできない事象が発生しております。\n原因を調査しております。",
        Some("investigating"),
        &["Web app"],
    )
    .unwrap();
    sb.add_template("sandbox", "Resolved", "Issue resolved", "This incident has been resolved.", Some("resolved"), &[]).unwrap();
    sb.add_template("sandbox", "No status", "x", "y", None, &[]).unwrap();
    sb.add_template("sandbox", "Braces", "x", "Use {{name}}", Some("monitoring"), &[]).unwrap();

    let dir: PathBuf = tmp.path().to_path_buf();
    let base = sb.api_base();
    // The sandbox stands in for Statuspage: the key goes there only when named.
    let host = base.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let out = tokio::task::spawn_blocking(move || {
        let import = desk(&dir, &["templates", "import-statuspage", "--page-id", "sandbox", "--api-base", &base, "--send-key-to", &host]);
        let ja = desk(&dir, &["templates", "show", "investigating", "--lang", "ja"]);
        let en = desk(&dir, &["templates", "show", "resolved", "--lang", "en"]);
        let history = desk(&dir, &["templates", "history", "investigating", "--lang", "ja"]);
        (import, ja, en, history)
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&out.0);
    // Two could not be used: exit 1, each said why.
    assert_eq!(out.0.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("\"調査中（ログイン）\" -> incident/investigating.ja.md (version 1)"), "{stdout}");
    assert!(stdout.contains("\"Resolved\" -> incident/resolved.en.md (version 1)"), "{stdout}");
    assert!(stdout.contains("imported 2 of 4 templates"), "{stdout}");
    assert!(stderr.contains("\"No status\" has no status"), "{stderr}");
    assert!(stderr.contains("\"Braces\""), "{stderr}");
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY));

    assert_eq!(
        text(&out.1).0,
        "title: ログインできない事象について\n---\n現在、ログインできない事象が発生しております。\n原因を調査しております。\n"
    );
    assert_eq!(text(&out.2).0, "title: Issue resolved\n---\nThis incident has been resolved.\n");
    assert!(text(&out.3).0.contains("components: Web app"), "{:?}", text(&out.3));
    sb.shutdown().await;
}
