//! The engine only substitutes: tries to make a template (or a value) run
//! code, include something, reach the network or exhaust the machine, and
//! shows that it cannot.

use std::time::{Duration, Instant};

use desk_templates::{check_template, Template, FIELD_NAMES};

fn fill(src: &str, value: &str) -> String {
    let t = Template::parse(src, FIELD_NAMES).unwrap_or_else(|e| panic!("{src}: {e}"));
    t.fill(&|_| value.to_string())
}

#[test]
fn values_are_inserted_as_text_never_read_as_template() {
    for hostile in [
        "{{title}}",
        "{{#cause}}{{cause}}{{/cause}}",
        "{{{title}}}",
        "{{> partial}}",
        "}}{{",
        "<script>alert(1)</script>",
        "$(rm -rf /)",
        "`whoami`",
        "{{include \"https://example.com/x\"}}",
    ] {
        assert_eq!(fill("{{cause}}", hostile), hostile);
        assert_eq!(fill("{{#cause}}[{{cause}}]{{/cause}}", hostile), format!("[{hostile}]"));
    }
}

#[test]
fn anything_but_a_known_field_is_refused() {
    for src in [
        "{{{title}}}",                          // raw (unescaped) output
        "{{> partial}}",                        // includes
        "{{!comment}}",                         // comments
        "{{=<% %>=}}",                          // delimiter changes
        "{{include \"/etc/passwd\"}}",          // files
        "{{https://example.com/evil.js}}",      // the network
        "{{title | upper}}",                    // filters
        "{{title()}}",                          // calls
        "{{ env.HOME }}",                       // the environment
        "{{#each components}}x{{/each}}",       // loops
        "{{../title}}",                         // paths
        "{{ title }}{{ constructor }}",         // prototype tricks
    ] {
        let problems = check_template(src);
        assert!(!problems.is_empty(), "{src} was accepted");
        assert!(Template::parse(src, FIELD_NAMES).is_err(), "{src}");
    }
}

#[test]
fn huge_inputs_are_handled_in_linear_time() {
    // A 2 MB template of 200,000 fields and sections.
    let src = "{{title}} {{#cause}}{{cause}}{{/cause}}\n".repeat(50_000);
    let started = Instant::now();
    let t = Template::parse(&src, FIELD_NAMES).unwrap();
    let out = t.fill(&|_| "x".into());
    assert_eq!(out.len(), "x x\n".len() * 50_000);
    // A 10 MB value, inserted once, verbatim.
    let big = "あ".repeat(3_500_000);
    assert_eq!(fill("[{{cause}}]", &big).len(), big.len() + 2);
    // Every problem in a big broken template, without quadratic blow-up.
    let broken = "{{nope}} {{/cause}}\n".repeat(20_000);
    assert_eq!(check_template(&broken).len(), 40_000);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    let depth = 200_000;
    let src = format!("{}x{}", "{{#title}}".repeat(depth), "{{/title}}".repeat(depth));
    let problems = check_template(&src);
    assert_eq!(problems.len(), 1, "{:?}", problems.first());
    assert!(problems[0].message.contains("nest"));
    // Within the limit it works.
    let ok = format!("{}x{}", "{{#title}}".repeat(16), "{{/title}}".repeat(16));
    assert_eq!(fill(&ok, "t"), "x");
}

#[test]
fn the_engine_cannot_reach_processes_files_or_the_network() {
    // Its only dependencies are data crates, and its source names no way out.
    let manifest = include_str!("../Cargo.toml");
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    let names: Vec<&str> =
        deps.lines().filter_map(|l| l.split(['=', '.']).next()).map(str::trim).filter(|n| !n.is_empty() && !n.starts_with('#')).collect();
    for name in &names {
        assert!(
            ["desk-model", "serde", "toml", "thiserror", "chrono", "specta"].contains(name),
            "desk-templates depends on {name}: keep the engine free of anything that can run code or reach out"
        );
    }
    for (file, text) in [
        ("engine.rs", include_str!("../src/engine.rs")),
        ("fields.rs", include_str!("../src/fields.rs")),
        ("editing.rs", include_str!("../src/editing.rs")),
        ("sample.rs", include_str!("../src/sample.rs")),
    ] {
        for forbidden in ["std::process", "std::net", "Command::new", "TcpStream", "std::fs", "unsafe"] {
            assert!(!text.contains(forbidden), "{file} uses {forbidden}");
        }
    }
}
