//! `desk` must build and run headless: its dependency tree has no tauri and no webview.

use std::process::Command;

#[test]
fn desk_does_not_link_tauri_or_a_webview() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "-p", "desk-cli", "-e", "normal,build", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().count() > 10, "unexpectedly small tree:\n{tree}");
    for banned in ["tauri", "wry", "webkit2gtk", "gtk "] {
        let hits: Vec<_> = tree.lines().filter(|l| l.starts_with(banned)).collect();
        assert!(hits.is_empty(), "desk depends on {banned}: {hits:?}");
    }
}
