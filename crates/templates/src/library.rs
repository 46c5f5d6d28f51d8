//! The template library as files: checking, reading and writing a folder in
//! the layout [`TemplateSet::load_dir`](crate::TemplateSet::load_dir) reads,
//! and turning a Statuspage incident template into one of ours.

use std::collections::BTreeMap;
use std::path::Path;

use desk_model::{Lang, Status};
use serde::Serialize;
use specta::Type;

use crate::editing::{check_file, Diagnostic, LineIndex};
use crate::set::{library_paths, parse_settings, template_path};

/// A problem in one file of a library folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FileProblem {
    /// The path inside the folder (`incident/resolved.ja.md`).
    pub file: String,
    /// Where, when the problem is inside the text.
    pub diagnostic: Option<Diagnostic>,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.diagnostic {
            Some(d) => write!(f, "{}:{}:{}: {}", self.file, d.start.line, d.start.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem in one file of the library, by its path: settings.toml is
/// checked as settings, any other library path as a template.
pub fn check_library_file(path: &str, text: &str) -> Vec<Diagnostic> {
    if path == "settings.toml" {
        return match parse_settings(text) {
            Ok(_) => Vec::new(),
            Err(e) => {
                let index = LineIndex::new(text);
                let start = crate::Position { line: e.line.unwrap_or(1), column: e.column.unwrap_or(1) };
                let at = index.offset(start);
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                vec![Diagnostic { start, end: index.position(end), message: e.message }]
            }
        };
    }
    check_file(text)
}

/// The library files a folder holds (only those it has), and every problem:
/// unreadable or broken files, and files that are not part of a library
/// (a misspelt status would otherwise be silently ignored).
pub fn read_dir(dir: &Path) -> Result<(BTreeMap<String, String>, Vec<FileProblem>), String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a folder", dir.display()));
    }
    let mut files = BTreeMap::new();
    let mut problems = Vec::new();
    let problem = |file: &str, message: String| FileProblem { file: file.to_string(), diagnostic: None, message };
    for path in library_paths() {
        match std::fs::read(dir.join(&path)) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    for d in check_library_file(&path, &text) {
                        problems.push(FileProblem { file: path.clone(), message: d.message.clone(), diagnostic: Some(d) });
                    }
                    files.insert(path, text);
                }
                Err(_) => problems.push(problem(&path, "the file is not valid UTF-8 text".into())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => problems.push(problem(&path, format!("cannot read the file: {e}"))),
        }
    }
    let known = library_paths();
    let mut stray = |rel: String| {
        if !known.contains(&rel) {
            problems.push(problem(
                &rel,
                "is not a file of the template library (the files are settings.toml and KIND/STATUS.LANG.md, e.g. incident/resolved.ja.md)".into(),
            ));
        }
    };
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            stray(name.clone());
        }
        if (name == "incident" || name == "maintenance") && entry.path().is_dir() {
            for inner in std::fs::read_dir(entry.path()).into_iter().flatten().flatten() {
                let inner_name = inner.file_name().to_string_lossy().into_owned();
                if !inner_name.starts_with('.') {
                    stray(format!("{name}/{inner_name}"));
                }
            }
        }
    }
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((files, problems))
}

/// Every problem in a library folder (`desk templates check`).
pub fn check_dir(dir: &Path) -> Result<Vec<FileProblem>, String> {
    read_dir(dir).map(|(_, problems)| problems)
}

/// Writes files (relative path, text) into a folder, byte for byte.
pub fn write_dir(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// A Statuspage incident template, turned into one of our template files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ConvertedTemplate {
    pub status: Status,
    pub lang: Lang,
    /// Where it goes in the library (`incident/investigating.ja.md`).
    pub path: String,
    /// The file: `title: …`, `---`, the body as Statuspage had it.
    pub source: String,
    /// Where it came from, for the version's note.
    pub note: String,
}

/// Turns a Statuspage incident template into our format: the title on the
/// title line, `---`, the body as written. Its `update_status` gives our
/// status; the language is Japanese when the text has Japanese characters.
/// Text stays text: no placeholder is invented. Fails when there is no
/// usable status, or when the text has `{{`/`}}` (which our engine would read
/// as placeholders: such a template needs a person to look at it).
pub fn from_statuspage(
    name: &str,
    title: &str,
    body: &str,
    update_status: Option<&str>,
    components: &[String],
) -> Result<ConvertedTemplate, String> {
    let status = match update_status.map(str::trim).filter(|s| !s.is_empty()) {
        None => return Err(format!("\"{name}\" has no status; set its status on Statuspage, or copy its text by hand")),
        Some(s) => Status::parse(s).ok_or_else(|| format!("\"{name}\" has the status `{s}`, which Incident Desk does not know"))?,
    };
    let lang = if is_japanese(title) || is_japanese(body) { Lang::Ja } else { Lang::En };
    let title_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let body = body.replace("\r\n", "\n");
    let body = body.trim_end();
    let source = if body.is_empty() { format!("title: {title_line}\n---\n") } else { format!("title: {title_line}\n---\n{body}\n") };
    let problems = check_file(&source);
    if let Some(p) = problems.first() {
        return Err(format!(
            "\"{name}\" has text our templates would read as a placeholder ({p}); copy it by hand and write it with our fields"
        ));
    }
    let mut note = format!("imported from the Statuspage template \"{name}\"");
    if !components.is_empty() {
        note.push_str(&format!(" (components: {})", components.join(", ")));
    }
    Ok(ConvertedTemplate { status, lang, path: template_path(status, lang), source, note })
}

fn is_japanese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff60}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TemplateSet;

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("desk-library-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn export_import_export_is_byte_identical() {
        let dir = tmp("roundtrip");
        let mut files = TemplateSet::builtin().files();
        // An edited file with comments, CRLF and trailing spaces survives as written.
        files[0].1 = format!("# ours\r\n{}", files[0].1);
        files[1].1.push_str("最後の行  \n\n");
        write_dir(&dir, &files).unwrap();
        let (read, problems) = read_dir(&dir).unwrap();
        assert_eq!(problems, vec![]);
        let set = TemplateSet::from_sources(&read["settings.toml"], &|p| read.get(p).cloned()).unwrap();
        assert_eq!(set.files(), files);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_dir_reports_every_problem_and_stray_files() {
        let dir = tmp("check");
        write_dir(
            &dir,
            &[
                ("incident/resolved.ja.md".into(), "title: {{title}}\n---\n{{casue}}\n{{#note}}\n".into()),
                ("incident/resolvd.en.md".into(), "title: x\n---\n".into()),
                ("settings.toml".into(), "[layout]\nfirst = \"fr\"\n".into()),
            ],
        )
        .unwrap();
        let problems = check_dir(&dir).unwrap();
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("incident/resolvd.en.md: is not a file"), "{lines:#?}");
        assert!(lines[1].starts_with("incident/resolved.ja.md:3:1: `casue`"), "{lines:#?}");
        assert!(lines[2].starts_with("incident/resolved.ja.md:4:1: the section `note`"), "{lines:#?}");
        assert!(lines[3].starts_with("settings.toml:2:"), "{lines:#?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn statuspage_templates_become_ours_without_invented_placeholders() {
        let c = from_statuspage(
            "調査中",
            "ログインできない障害について",
            "現在、ログインできない事象を確認しております。\r\n原因を調査中です。",
            Some("investigating"),
            &["Web app".into()],
        )
        .unwrap();
        assert_eq!((c.status, c.lang), (Status::Investigating, Lang::Ja));
        assert_eq!(c.path, "incident/investigating.ja.md");
        assert_eq!(c.source, "title: ログインできない障害について\n---\n現在、ログインできない事象を確認しております。\n原因を調査中です。\n");
        assert!(!c.source.contains("{{"));
        assert!(c.note.contains("Web app"));

        let c = from_statuspage("Maint", "Scheduled maintenance", "We will upgrade.", Some("scheduled"), &[]).unwrap();
        assert_eq!((c.path.as_str(), c.lang), ("maintenance/scheduled.en.md", Lang::En));

        assert!(from_statuspage("x", "t", "b", None, &[]).unwrap_err().contains("no status"));
        assert!(from_statuspage("x", "t", "b", Some("exploded"), &[]).unwrap_err().contains("exploded"));
        assert!(from_statuspage("x", "t", "Use {{name}} here", Some("resolved"), &[]).unwrap_err().contains("placeholder"));
    }
}
