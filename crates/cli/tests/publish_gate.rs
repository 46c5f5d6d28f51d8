//! Lint errors on the update being published block `desk publish`: exit 1,
//! the list of errors, and nothing sent (not even a dry run's plan).

use std::path::Path;
use std::process::Command;

#[test]
fn lint_errors_block_publishing() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/webhook-duplicates-own-body.toml");
    let text = std::fs::read_to_string(&sample).unwrap().replace("2025/08/02 07:15頃〜08:05頃", "2025/02/30 07:15頃〜08:05頃");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, text).unwrap();
    let run = |file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_desk"))
            .args(["publish", file.to_str().unwrap(), "--dry-run"])
            .env("DESK_UI_LANG", "en")
            .env("XDG_DATA_HOME", dir.path())
            .env_remove("STATUSPAGE_API_KEY")
            .output()
            .unwrap()
    };
    let out = run(&bad);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("publishing is blocked by lint errors") && err.contains("[date.invalid]"), "{err}");
    assert!(out.stdout.is_empty(), "nothing planned: {}", String::from_utf8_lossy(&out.stdout));
    let ok = run(&sample);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Authorization: OAuth [redacted]"));
}
