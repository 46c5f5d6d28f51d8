//! The architecture holds: the crates depend on each other in one direction
//! (model → templates → render → lint → store → publish → app → cli and the
//! app shell), desk-store does not reach for publishing, desk-app links no
//! Tauri, and the modules of the two adapters (`src-tauri/src`,
//! `crates/cli/src`) import each other without a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every workspace package's name and the `desk-*`/`incident-desk` packages
/// it depends on, in any section (normal, dev, build, per target).
fn crate_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut manifests: Vec<PathBuf> = std::fs::read_dir(repo().join("crates"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("Cargo.toml"))
        .filter(|p| p.exists())
        .collect();
    manifests.push(repo().join("src-tauri/Cargo.toml"));
    let mut graph = BTreeMap::new();
    for path in manifests {
        let manifest: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let mut deps = BTreeSet::new();
        let mut sections: Vec<&toml::Table> = Vec::new();
        for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(t) = manifest.get(key).and_then(|v| v.as_table()) {
                sections.push(t);
            }
        }
        if let Some(targets) = manifest.get("target").and_then(|v| v.as_table()) {
            for t in targets.values().filter_map(|v| v.as_table()) {
                for key in ["dependencies", "dev-dependencies", "build-dependencies"] {
                    if let Some(t) = t.get(key).and_then(|v| v.as_table()) {
                        sections.push(t);
                    }
                }
            }
        }
        for section in sections {
            deps.extend(section.keys().filter(|k| k.starts_with("desk-") || *k == "incident-desk").cloned());
        }
        graph.insert(name, deps);
    }
    graph
}

/// The first cycle found in `graph`, as the path that closes it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_crates_depend_on_each_other_in_one_direction() {
    let graph = crate_graph();
    assert!(graph.contains_key("desk-app") && graph.contains_key("incident-desk"), "{graph:?}");
    assert_eq!(cycle(&graph), None, "a dependency loop between crates");
    assert!(!graph["desk-store"].contains("desk-publish"), "desk-store depends on desk-publish again");
    for front in ["desk-cli", "incident-desk"] {
        assert!(graph[front].contains("desk-app"), "{front} does not use desk-app");
    }
    for lower in ["desk-model", "desk-templates", "desk-render", "desk-lint", "desk-store", "desk-publish", "desk-statuspage", "desk-sandbox", "desk-keychain"] {
        assert!(!graph[lower].contains("desk-app"), "{lower} depends on the application layer above it");
    }
    assert!(!graph["desk-app"].contains("incident-desk") && !graph["desk-app"].contains("desk-cli"));
}

#[test]
fn desk_app_links_no_tauri_and_no_webview() {
    let manifest = std::fs::read_to_string(repo().join("crates/app/Cargo.toml")).unwrap();
    for forbidden in ["tauri", "wry", "webkit"] {
        assert!(!manifest.to_lowercase().contains(&format!("\n{forbidden}")), "crates/app/Cargo.toml names {forbidden}");
    }
    let Ok(out) = std::process::Command::new(env!("CARGO")).args(["tree", "-p", "desk-app", "-e", "normal", "--prefix", "none"]).current_dir(repo()).output()
    else {
        panic!("cargo tree could not run");
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    for forbidden in ["tauri ", "tauri-runtime", "wry ", "webkit2gtk"] {
        assert!(!tree.lines().any(|l| l.starts_with(forbidden)), "desk-app links {forbidden}");
    }
}

/// The module a file under `src` is (`commands/review.rs` → `commands::review`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Which modules each module uses: `crate::a::b` names `a::b` (or its
/// nearest known parent), and `super::x` the parent's `x`; tests are left
/// out (they may use anything).
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = rust_files(src);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let known = |path: &str| -> Option<String> {
        let mut parts: Vec<&str> = path.split("::").collect();
        while !parts.is_empty() {
            let candidate = parts.join("::");
            if modules.contains(&candidate) {
                return Some(candidate);
            }
            parts.pop();
        }
        None
    };
    let mut graph = BTreeMap::new();
    for file in &files {
        let me = module_of(src, file);
        if me.split("::").any(|p| p.ends_with("tests")) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // Only the code before the file's own tests.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut uses = BTreeSet::new();
        for (prefix, base) in [("crate::", String::new()), ("super::", me.rsplit_once("::").map(|(p, _)| p.to_string()).unwrap_or_default())] {
            for (at, _) in code.match_indices(prefix) {
                let rest: String = code[at + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                let path = if base.is_empty() { rest } else { format!("{base}::{rest}") };
                if let Some(target) = known(path.trim_end_matches(':')) {
                    if target != me && !target.is_empty() {
                        uses.insert(target);
                    }
                }
            }
        }
        graph.insert(me, uses);
    }
    graph
}

#[test]
fn the_adapters_modules_import_each_other_without_a_loop() {
    for adapter in ["src-tauri/src", "crates/cli/src"] {
        let graph = module_graph(&repo().join(adapter));
        assert!(graph.len() > 3, "{adapter}: {graph:?}");
        assert_eq!(cycle(&graph), None, "{adapter}: an import loop");
    }
}

#[test]
fn the_loop_finder_finds_a_loop() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}
