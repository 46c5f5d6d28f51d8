//! The organisation's template set: its settings and one template per status
//! and language, read from a folder a support lead can edit.
//!
//! Folder layout (every file optional; a missing one falls back to ours):
//!
//! ```text
//! settings.toml
//! incident/investigating.ja.md   incident/investigating.en.md   …
//! maintenance/scheduled.ja.md    …
//! ```
//!
//! A template file starts with `title: <title template>` on its first line,
//! then a line `---`, then the body template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use desk_model::document::line_col;
use desk_model::{Bilingual, Lang, PeriodStyle, Status};
use serde::{Deserialize, Serialize};

use crate::editing::{parse_file, Diagnostic};
use crate::engine::Template;

/// The organisation's house-style settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The organisation's name, for templates that use `{{organisation}}`.
    pub organisation: Bilingual<String>,
    pub title_prefix: TitlePrefixes,
    pub layout: Layout,
    pub dates: PeriodStyle,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TitlePrefixes {
    /// `{{resolved_prefix}}`: e.g. 【解決済み】.
    pub resolved: Bilingual<String>,
    /// `{{completed_prefix}}`: e.g. 【完了】 for a finished maintenance.
    pub completed: Bilingual<String>,
}

/// How both languages are combined into one Statuspage body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Layout {
    /// Which language comes first.
    pub first: Lang,
    /// Between the two bodies.
    pub separator: String,
    /// Between the two titles.
    pub title_separator: String,
}

impl Default for TitlePrefixes {
    fn default() -> Self {
        TitlePrefixes {
            resolved: Bilingual { ja: "【解決済み】".into(), en: "[Resolved] ".into() },
            completed: Bilingual { ja: "【完了】".into(), en: "[Completed] ".into() },
        }
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout { first: Lang::Ja, separator: "\n\n---\n\n".into(), title_separator: " / ".into() }
    }
}

/// One status's template in one language.
#[derive(Debug, Clone)]
pub struct StatusTemplate {
    pub title: Template,
    pub body: Template,
    /// The file's text as written, for showing and editing.
    pub source: String,
}

/// A template set that could not be read: which file, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", location(*line, *column))]
pub struct TemplateSetError {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// The settings and the templates for every status in both languages.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    pub settings: Settings,
    /// settings.toml as written (comments and all), so export gives it back unchanged.
    settings_source: String,
    templates: BTreeMap<(Status, Lang), StatusTemplate>,
}

/// Our settings.toml.
pub const DEFAULT_SETTINGS: &str = include_str!("../default/settings.toml");

/// Our default templates, embedded so a new installation works at once.
const DEFAULT_FILES: &[(&str, &str)] = &[
    ("incident/investigating.ja.md", include_str!("../default/incident/investigating.ja.md")),
    ("incident/investigating.en.md", include_str!("../default/incident/investigating.en.md")),
    ("incident/identified.ja.md", include_str!("../default/incident/identified.ja.md")),
    ("incident/identified.en.md", include_str!("../default/incident/identified.en.md")),
    ("incident/monitoring.ja.md", include_str!("../default/incident/monitoring.ja.md")),
    ("incident/monitoring.en.md", include_str!("../default/incident/monitoring.en.md")),
    ("incident/resolved.ja.md", include_str!("../default/incident/resolved.ja.md")),
    ("incident/resolved.en.md", include_str!("../default/incident/resolved.en.md")),
    ("incident/postmortem.ja.md", include_str!("../default/incident/postmortem.ja.md")),
    ("incident/postmortem.en.md", include_str!("../default/incident/postmortem.en.md")),
    ("maintenance/scheduled.ja.md", include_str!("../default/maintenance/scheduled.ja.md")),
    ("maintenance/scheduled.en.md", include_str!("../default/maintenance/scheduled.en.md")),
    ("maintenance/in_progress.ja.md", include_str!("../default/maintenance/in_progress.ja.md")),
    ("maintenance/in_progress.en.md", include_str!("../default/maintenance/in_progress.en.md")),
    ("maintenance/verifying.ja.md", include_str!("../default/maintenance/verifying.ja.md")),
    ("maintenance/verifying.en.md", include_str!("../default/maintenance/verifying.en.md")),
    ("maintenance/completed.ja.md", include_str!("../default/maintenance/completed.ja.md")),
    ("maintenance/completed.en.md", include_str!("../default/maintenance/completed.en.md")),
];

/// Our default files as (relative path, text), settings.toml first.
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("settings.toml", DEFAULT_SETTINGS)).chain(DEFAULT_FILES.iter().copied())
}

/// Our default text for a file of the set (`settings.toml`, `incident/resolved.ja.md`, …).
pub fn builtin_source(path: &str) -> Option<&'static str> {
    builtin_files().find(|(p, _)| *p == path).map(|(_, s)| s)
}

/// Every file a template folder may hold, settings.toml first.
pub fn library_paths() -> Vec<String> {
    builtin_files().map(|(p, _)| p.to_string()).collect()
}

/// The path of a status's template file inside a template folder.
pub fn template_path(status: Status, lang: Lang) -> String {
    format!("{}/{}.{}.md", status.kind().as_str(), status.as_str(), lang.as_str())
}

impl TemplateSet {
    /// Our default set, in the house style.
    pub fn builtin() -> TemplateSet {
        TemplateSet::from_sources(DEFAULT_SETTINGS, &|path| {
            DEFAULT_FILES.iter().find(|(p, _)| *p == path).map(|(_, s)| s.to_string())
        })
        .expect("the built-in templates are valid")
    }

    /// Reads a template folder; files it lacks come from the built-in set.
    pub fn load_dir(dir: &Path) -> Result<TemplateSet, TemplateSetError> {
        let read = |rel: &str| -> Result<Option<String>, TemplateSetError> {
            let path: PathBuf = dir.join(rel);
            match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| TemplateSetError {
                    file: path.display().to_string(),
                    line: None,
                    column: None,
                    message: "the file is not valid UTF-8 text".into(),
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(TemplateSetError {
                    file: path.display().to_string(),
                    line: None,
                    column: None,
                    message: format!("cannot read the file: {e}"),
                }),
            }
        };
        if !dir.is_dir() {
            return Err(TemplateSetError {
                file: dir.display().to_string(),
                line: None,
                column: None,
                message: "is not a folder".into(),
            });
        }
        let settings = read("settings.toml")?.unwrap_or_else(|| DEFAULT_SETTINGS.to_string());
        let mut files = BTreeMap::new();
        for (rel, builtin) in DEFAULT_FILES {
            files.insert(rel.to_string(), read(rel)?.unwrap_or_else(|| builtin.to_string()));
        }
        TemplateSet::from_sources(&settings, &|p| files.get(p).cloned()).map_err(|mut e| {
            e.file = dir.join(&e.file).display().to_string();
            e
        })
    }

    /// Builds a set from the settings text and a way to read each template file.
    pub fn from_sources(settings: &str, file: &dyn Fn(&str) -> Option<String>) -> Result<TemplateSet, TemplateSetError> {
        let settings_source = settings.to_string();
        let settings = parse_settings(settings)?;
        let mut templates = BTreeMap::new();
        for status in Status::ALL {
            for lang in Lang::ALL {
                let path = template_path(status, lang);
                let source = file(&path).ok_or_else(|| TemplateSetError {
                    file: path.clone(),
                    line: None,
                    column: None,
                    message: "the template is missing".into(),
                })?;
                let t = parse_status_template(&source).map_err(|e| TemplateSetError {
                    file: path.clone(),
                    line: Some(e.start.line),
                    column: Some(e.start.column),
                    message: e.message,
                })?;
                templates.insert((status, lang), t);
            }
        }
        Ok(TemplateSet { settings, settings_source, templates })
    }

    /// settings.toml as written.
    pub fn settings_source(&self) -> &str {
        &self.settings_source
    }

    pub fn get(&self, status: Status, lang: Lang) -> &StatusTemplate {
        &self.templates[&(status, lang)]
    }

    /// Every file of the set as (relative path, text): for export.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut out = vec![("settings.toml".to_string(), self.settings_source.clone())];
        for ((status, lang), t) in &self.templates {
            out.push((template_path(*status, *lang), t.source.clone()));
        }
        out
    }
}

/// Parses settings.toml, naming the line of a problem.
pub fn parse_settings(text: &str) -> Result<Settings, TemplateSetError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) =
            e.span().map(|s| line_col(text, s.start)).map_or((None, None), |(l, c)| (Some(l), Some(c)));
        TemplateSetError { file: "settings.toml".into(), line, column, message: e.message().to_string() }
    })
}

/// Parses one template file (`title: …`, `---`, body). On error, the first
/// problem, placed in the file as written ([`crate::check_file`] gives all).
pub fn parse_status_template(source: &str) -> Result<StatusTemplate, Diagnostic> {
    match parse_file(source) {
        (Some((title, body)), problems) if problems.is_empty() => Ok(StatusTemplate { title, body, source: source.to_string() }),
        (_, problems) => Err(problems.into_iter().next().expect("a template that does not parse has a problem")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_set_covers_every_status_in_both_languages() {
        let set = TemplateSet::builtin();
        for status in Status::ALL {
            for lang in Lang::ALL {
                let t = set.get(status, lang);
                assert!(t.body.fields_used().len() > 1, "{status} {lang:?}");
            }
        }
        assert_eq!(set.files().len(), 1 + Status::ALL.len() * 2);
    }

    #[test]
    fn a_folder_overrides_only_what_it_has() {
        let dir = std::env::temp_dir().join(format!("desk-templates-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("incident")).unwrap();
        std::fs::write(dir.join("incident/resolved.ja.md"), "title: 【復旧】{{title}}\n---\n復旧しました。\n").unwrap();
        let set = TemplateSet::load_dir(&dir).unwrap();
        assert_eq!(set.get(Status::Resolved, Lang::Ja).source, "title: 【復旧】{{title}}\n---\n復旧しました。\n");
        assert_eq!(set.get(Status::Resolved, Lang::En).source, TemplateSet::builtin().get(Status::Resolved, Lang::En).source);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_template_names_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("desk-templates-bad-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("incident")).unwrap();
        std::fs::write(dir.join("incident/identified.en.md"), "title: {{title}}\n---\nline one\n{{#cause}}\nno close\n").unwrap();
        let err = TemplateSet::load_dir(&dir).unwrap_err();
        assert!(err.file.ends_with("incident/identified.en.md"), "{err}");
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("never closed"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_shipped_settings_file_says_what_the_defaults_are() {
        let shipped: Settings = toml::from_str(DEFAULT_SETTINGS).unwrap();
        assert_eq!(shipped, Settings::default());
    }

    #[test]
    fn bad_settings_name_the_line() {
        let err = TemplateSet::from_sources("[layout]\nfirst = \"fr\"\n", &|_| None).unwrap_err();
        assert_eq!(err.file, "settings.toml");
        assert_eq!(err.line, Some(2));
    }
}
