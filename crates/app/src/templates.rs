//! The template editor's commands: the library by kind and status, one
//! template's Japanese and English source, the live check and preview as
//! typed (filled from sample data, linted), field completion, versioned
//! saves with history and rollback, and the library in and out as files or
//! from the Statuspage page's incident templates. desk-templates and the
//! store decide everything; a broken template is never saved.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use desk_lint::{Field, TextContext};
use desk_model::{Bilingual, Kind, Lang, Status};
use desk_render::preview_template as fill_preview;
use desk_store::{ActiveTemplate, TemplateVersion};
use desk_templates::{
    completions, from_statuspage, sample_names, template_path, Diagnostic, FieldInfo, Position, PreviewFinding, PreviewLinter,
    SampleFields, Settings,
};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::CommandError;
use crate::library::{export_folder, import_folder, FolderImport};
use crate::state::AppState;

type Answer<T> = Result<T, CommandError>;

/// The state of one file of the library.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplateFileState {
    /// Its path in the library (`incident/resolved.ja.md`).
    pub path: String,
    /// The active version; 0 = the built-in text, never saved.
    pub version: u32,
    /// Who saved the active version (empty for the built-in text).
    pub author: String,
    /// When, in the organisation's date style (empty for the built-in text).
    pub saved_at: Bilingual<String>,
}

/// One row of the library: a status's template in both languages.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplateRow {
    pub kind: Kind,
    pub status: Status,
    pub status_label: Bilingual<String>,
    pub ja: TemplateFileState,
    pub en: TemplateFileState,
}

/// A status's template source in both languages, as active now.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplatePair {
    pub status: Status,
    pub ja: TemplateFileState,
    pub en: TemplateFileState,
    pub source: Bilingual<String>,
}

/// A problem in a template, from `line:column` to `end_line:end_column`
/// (1-based, in characters, end exclusive).
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplateProblem {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

/// One language's filled template, as the preview pane shows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FilledTemplate {
    pub title: String,
    /// Sanitized HTML, rendered in Rust.
    pub html: String,
    /// Problems in the template source; any one means it cannot be saved.
    pub problems: Vec<TemplateProblem>,
    /// What the linter finds in the filled announcement.
    pub findings: Vec<FilledFinding>,
}

/// A linter finding on a filled template (line and column in the filled body, when in the body).
#[derive(Debug, Clone, Serialize, Type)]
pub struct FilledFinding {
    /// "error", "warning" or "info".
    pub severity: String,
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// A place in a template: 1-based line and character column.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplatePlace {
    pub line: u32,
    pub column: u32,
}

/// The fields to offer at the cursor; the chosen one's `insert` replaces `from`..`to`.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FieldCompletions {
    pub from: TemplatePlace,
    pub to: TemplatePlace,
    pub items: Vec<FieldCompletion>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct FieldCompletion {
    pub field: FieldInfo,
    /// The name, with `}}` when it is missing.
    pub insert: String,
}

/// The live preview of a status's template in both languages.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplatePreview {
    pub status: Status,
    pub ja: FilledTemplate,
    pub en: FilledTemplate,
    /// True when neither language has a problem.
    pub savable: bool,
}

/// A sample the preview can be filled from.
#[derive(Debug, Clone, Serialize, Type)]
pub struct NamedSample {
    pub name: String,
    pub fields: SampleFields,
}

/// One saved version of a library file.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TemplateVersionInfo {
    pub path: String,
    pub version: u32,
    pub source: String,
    pub author: String,
    pub note: String,
    pub saved_at: Bilingual<String>,
}

/// What a folder import did: the versions it made, or (nothing saved) why.
#[derive(Debug, Clone, Serialize, Type)]
pub struct LibraryImport {
    pub saved: Vec<TemplateVersionInfo>,
    /// Every problem, as `FILE[:LINE:COLUMN]: message`; when any, nothing was saved.
    pub problems: Vec<String>,
}

/// What a Statuspage import did, template by template.
#[derive(Debug, Clone, Serialize, Type)]
pub struct StatuspageImport {
    pub saved: Vec<TemplateVersionInfo>,
    /// Templates left out, each with its reason.
    pub skipped: Vec<String>,
    /// How many templates the page has.
    pub found: u32,
}

/// Every status's template in both languages, incidents first.
#[tauri::command]
#[specta::specta]
pub async fn list_templates(state: State<'_, AppState>) -> Answer<Vec<TemplateRow>> {
    let settings = state.templates().await?.set.settings.clone();
    let active = by_path(state.store.active_templates().await?);
    let mut rows = Vec::new();
    for kind in Kind::ALL {
        for status in kind.statuses() {
            rows.push(TemplateRow {
                kind,
                status: *status,
                status_label: Bilingual { ja: status.label(Lang::Ja).into(), en: status.label(Lang::En).into() },
                ja: file_state(&active[&template_path(*status, Lang::Ja)], &settings),
                en: file_state(&active[&template_path(*status, Lang::En)], &settings),
            });
        }
    }
    Ok(rows)
}

/// A status's active template source in both languages.
#[tauri::command]
#[specta::specta]
pub async fn load_template(state: State<'_, AppState>, status: Status) -> Answer<TemplatePair> {
    let settings = state.templates().await?.set.settings.clone();
    let active = by_path(state.store.active_templates().await?);
    let [ja, en] = Lang::ALL.map(|lang| &active[&template_path(status, lang)]);
    Ok(TemplatePair {
        status,
        ja: file_state(ja, &settings),
        en: file_state(en, &settings),
        source: Bilingual { ja: ja.source.clone(), en: en.source.clone() },
    })
}

/// The sample incidents a preview can be filled from.
#[tauri::command]
#[specta::specta]
pub fn template_samples() -> Vec<NamedSample> {
    sample_names()
        .into_iter()
        .filter_map(|name| SampleFields::named(name).map(|fields| NamedSample { name: name.to_string(), fields }))
        .collect()
}

/// Checks and fills a status's template as typed: `source` is the text in
/// the editors (null: the active text), `sample` the values to fill in.
/// Findings come in the UI's language `ui`. Nothing is saved.
///
/// Not async: it runs on the thread that receives the request and answers
/// from there (see `preview_draft`), on the library as last checked.
#[tauri::command]
#[specta::specta]
pub fn preview_template(
    state: State<'_, AppState>,
    status: Status,
    source: Option<Bilingual<String>>,
    sample: SampleFields,
    ui: Lang,
) -> Answer<TemplatePreview> {
    let active = match state.library.last_checked() {
        Some(active) => active,
        None => tauri::async_runtime::block_on(state.templates())?,
    };
    let source = source.unwrap_or_else(|| Bilingual::default().map(|lang, _: &String| active.set.get(status, lang).source.clone()));
    let memo = &state.template_previews;
    let [ja, en] = Lang::ALL.map(|lang| {
        // A keystroke changes one language: the other's answer is the one just given.
        let key = PreviewMemo::key(active.revision, status, lang, source.get(lang), &sample, ui);
        memo.get(lang, key).unwrap_or_else(|| {
            let filled = fill(&active.set.settings, &state.lint.get(), status, lang, source.get(lang), &sample, ui);
            memo.put(lang, key, filled.clone());
            filled
        })
    });
    Ok(both(status, ja, en))
}

/// The last preview of each language, so a keystroke in one language does
/// not fill, render and lint the other again.
#[derive(Default)]
pub struct PreviewMemo {
    last: Mutex<BTreeMap<&'static str, (u64, FilledTemplate)>>,
}

impl PreviewMemo {
    fn key(revision: i64, status: Status, lang: Lang, source: &str, sample: &SampleFields, ui: Lang) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (revision, status.as_str(), lang.as_str(), source, ui.as_str()).hash(&mut h);
        serde_json::to_string(sample).unwrap_or_default().hash(&mut h);
        h.finish()
    }

    fn get(&self, lang: Lang, key: u64) -> Option<FilledTemplate> {
        self.last.lock().ok()?.get(lang.as_str()).filter(|(k, _)| *k == key).map(|(_, f)| f.clone())
    }

    fn put(&self, lang: Lang, key: u64, filled: FilledTemplate) {
        if let Ok(mut last) = self.last.lock() {
            last.insert(lang.as_str(), (key, filled));
        }
    }
}

/// The fields to offer at a cursor (1-based line and character column)
/// inside `{{`; null elsewhere.
#[tauri::command]
#[specta::specta]
pub fn template_completions(source: String, line: u32, column: u32) -> Option<FieldCompletions> {
    let found = completions(&source, Position { line: line as usize, column: column as usize })?;
    let place = |p: Position| TemplatePlace { line: p.line as u32, column: p.column as u32 };
    Some(FieldCompletions {
        from: place(found.from),
        to: place(found.to),
        items: found.items.into_iter().map(|c| FieldCompletion { field: c.field, insert: c.insert }).collect(),
    })
}

/// Saves a template file as a new version by the app's user. Refused, with
/// every problem, when the text has any; refused as a conflict when the
/// active version is no longer `expected_version` (the editor keeps the text).
#[tauri::command]
#[specta::specta]
pub async fn save_template(
    state: State<'_, AppState>,
    path: String,
    source: String,
    expected_version: u32,
    note: String,
) -> Answer<TemplateVersionInfo> {
    let saved = state.store.save_template(&path, &source, Some(expected_version as i64), &state.actor, note.trim()).await?;
    state.library.forget();
    version_info(&state, saved).await
}

/// A library file's saved versions, newest first.
#[tauri::command]
#[specta::specta]
pub async fn template_history(state: State<'_, AppState>, path: String) -> Answer<Vec<TemplateVersionInfo>> {
    let settings = state.templates().await?.set.settings.clone();
    Ok(state.store.template_history(&path).await?.into_iter().map(|v| to_info(v, &settings)).collect())
}

/// Makes an old version (0 = the built-in text) active again, as a new version.
#[tauri::command]
#[specta::specta]
pub async fn rollback_template(state: State<'_, AppState>, path: String, version: u32) -> Answer<TemplateVersionInfo> {
    let saved = state.store.rollback_template(&path, version as i64, &state.actor).await?;
    state.library.forget();
    version_info(&state, saved).await
}

/// Writes the whole active library into a folder (created when missing).
/// Returns how many files were written.
#[tauri::command]
#[specta::specta]
pub async fn export_templates(state: State<'_, AppState>, dir: String) -> Answer<u32> {
    Ok(export_folder(&state.store, &folder(&dir)?).await? as u32)
}

/// Reads a library folder back: every file is checked first, and nothing is
/// saved when any has a problem. Unchanged files make no new version.
#[tauri::command]
#[specta::specta]
pub async fn import_templates(state: State<'_, AppState>, dir: String) -> Answer<LibraryImport> {
    let settings = state.templates().await?.set.settings.clone();
    let imported = import_folder(&state.store, &folder(&dir)?, &state.actor).await;
    state.library.forget();
    Ok(match imported? {
        FolderImport::Saved(saved) => LibraryImport { saved: saved.into_iter().map(|v| to_info(v, &settings)).collect(), problems: vec![] },
        FolderImport::Refused(problems) => LibraryImport { saved: vec![], problems },
    })
}

/// Imports the publishing page's incident templates as a starting point:
/// each becomes a new version of its status's template in its language (the
/// first one per file wins); one that cannot be used is skipped with why.
#[tauri::command]
#[specta::specta]
pub async fn import_statuspage_templates(state: State<'_, AppState>) -> Answer<StatuspageImport> {
    let target = state.publishing.current();
    let page = target.first_page();
    let found = target
        .client
        .incident_templates(page)
        .await
        .map_err(|e| format!("cannot read the incident templates of page {page}: {e}"))?;
    let settings = state.templates().await?.set.settings.clone();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut out = StatuspageImport { saved: vec![], skipped: vec![], found: found.len() as u32 };
    for t in &found {
        let components: Vec<String> = t.components.iter().map(|c| c.name.clone()).collect();
        let converted = match from_statuspage(&t.name, &t.title, &t.body, t.update_status.as_deref(), &components) {
            Ok(c) => c,
            Err(reason) => {
                out.skipped.push(reason);
                continue;
            }
        };
        if let Some(first) = taken.get(&converted.path) {
            out.skipped.push(format!("\"{}\": \"{first}\" already filled {}", t.name, converted.path));
            continue;
        }
        taken.insert(converted.path.clone(), t.name.clone());
        let saved = state.store.save_template(&converted.path, &converted.source, None, &state.actor, &converted.note).await?;
        out.saved.push(to_info(saved, &settings));
    }
    state.library.forget();
    Ok(out)
}

fn both(status: Status, ja: FilledTemplate, en: FilledTemplate) -> TemplatePreview {
    let savable = ja.problems.is_empty() && en.problems.is_empty();
    TemplatePreview { status, ja, en, savable }
}

/// One language's template checked, filled from the sample, rendered and linted.
fn fill(settings: &Settings, lint: &desk_lint::Config, status: Status, lang: Lang, source: &str, sample: &SampleFields, ui: Lang) -> FilledTemplate {
    let p = fill_preview(settings, source, status, lang, sample, &LintFilled { config: lint, ui });
    let findings = p
        .findings
        .into_iter()
        .map(|f| FilledFinding { severity: f.severity, message: f.message, line: f.line.map(|l| l as u32), column: f.column.map(|c| c as u32) })
        .collect();
    FilledTemplate { title: p.title, html: p.html, problems: p.problems.into_iter().map(problem).collect(), findings }
}

/// desk-lint on a filled template, through desk-templates' hook: the same
/// rules the composer applies to a written announcement.
struct LintFilled<'a> {
    config: &'a desk_lint::Config,
    /// The language of the messages.
    ui: Lang,
}

impl PreviewLinter for LintFilled<'_> {
    fn lint_filled_preview(&self, title: &str, body: &str, status: Status, lang: Lang) -> Vec<PreviewFinding> {
        let ctx = TextContext { lang: Some(lang), status: Some(status), title: Some(title.to_string()) };
        desk_lint::lint_text(body, &ctx, self.config)
            .into_iter()
            .map(|d| {
                let place = if d.field == Field::Title { "title: " } else { "" };
                PreviewFinding {
                    severity: d.severity.as_str().to_string(),
                    message: format!("{place}{} ({})", d.message.get(self.ui), d.code()),
                    line: (d.field == Field::Body).then_some(d.line as usize),
                    column: (d.field == Field::Body).then_some(d.column as usize),
                }
            })
            .collect()
    }
}

fn problem(d: Diagnostic) -> TemplateProblem {
    TemplateProblem {
        line: d.start.line as u32,
        column: d.start.column as u32,
        end_line: d.end.line as u32,
        end_column: d.end.column as u32,
        message: d.message,
    }
}

fn by_path(active: Vec<ActiveTemplate>) -> BTreeMap<String, ActiveTemplate> {
    active.into_iter().map(|t| (t.path.clone(), t)).collect()
}

fn when(at: Option<DateTime<Utc>>, settings: &Settings) -> Bilingual<String> {
    Bilingual::default().map(|lang, _: &String| at.map(|t| settings.dates.format_instant(t, lang)).unwrap_or_default())
}

fn file_state(t: &ActiveTemplate, settings: &Settings) -> TemplateFileState {
    TemplateFileState { path: t.path.clone(), version: t.version as u32, author: t.author.clone(), saved_at: when(t.saved_at, settings) }
}

fn to_info(v: TemplateVersion, settings: &Settings) -> TemplateVersionInfo {
    TemplateVersionInfo {
        saved_at: when(Some(v.saved_at), settings),
        path: v.path,
        version: v.version as u32,
        source: v.source,
        author: v.author,
        note: v.note,
    }
}

async fn version_info(state: &AppState, saved: TemplateVersion) -> Answer<TemplateVersionInfo> {
    let settings = state.templates().await?.set.settings.clone();
    Ok(to_info(saved, &settings))
}

/// A folder the user typed: an absolute path (the app's working folder means nothing to them).
fn folder(dir: &str) -> Answer<PathBuf> {
    let path = PathBuf::from(dir.trim());
    if dir.trim().is_empty() {
        return Err("give the folder's full path".into());
    }
    if !path.is_absolute() {
        return Err(format!("`{}` is not a full path: give the folder's full path, e.g. /home/you/templates", dir.trim()).into());
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::{json, Value};
    use tauri::Manager;

    use crate::commands::tests::{app, invoke};
    use crate::state::AppState;

    type App = tauri::App<tauri::test::MockRuntime>;

    fn sample(app: &App) -> Value {
        invoke(app, "template_samples", json!({})).unwrap()[0]["fields"].clone()
    }

    fn source(app: &App, status: &str) -> Value {
        invoke(app, "load_template", json!({ "status": status })).unwrap()["source"].clone()
    }

    #[test]
    fn the_library_lists_every_status_in_both_languages_built_in_at_first() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let rows = invoke(&app, "list_templates", json!({})).unwrap();
        let statuses: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["investigating", "identified", "monitoring", "resolved", "postmortem", "scheduled", "in_progress", "verifying", "completed"]);
        assert_eq!(rows[3]["ja"]["path"], "incident/resolved.ja.md");
        assert_eq!(rows[3]["ja"]["version"], 0);
        assert_eq!(rows[3]["status_label"]["ja"], "解決済み");
    }

    #[test]
    fn placeholder_errors_come_with_their_ranges_and_block_the_save() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let mut text = source(&app, "resolved");
        let broken = format!("{}{{{{casue}}}}\n{{{{#note}}}}\n", text["ja"].as_str().unwrap());
        let lines = broken.lines().count() as u64;
        text["ja"] = json!(broken);
        let p = invoke(&app, "preview_template", json!({ "status": "resolved", "source": text, "sample": sample(&app), "ui": "ja" })).unwrap();
        assert_eq!(p["savable"], false);
        let problems = p["ja"]["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert_eq!((problems[0]["line"].as_u64(), problems[0]["column"].as_u64()), (Some(lines - 1), Some(1)));
        assert_eq!(problems[0]["end_column"], 10);
        assert!(problems[0]["message"].as_str().unwrap().contains("`casue` is not a field"), "{problems:#?}");
        assert!(problems[1]["message"].as_str().unwrap().contains("never closed"), "{problems:#?}");
        assert_eq!(p["en"]["problems"], json!([]));
        // A best-effort preview is still shown, sanitized.
        assert!(p["ja"]["html"].as_str().unwrap().contains("■ 原因"));

        let refused = invoke(&app, "save_template", json!({
            "path": "incident/resolved.ja.md", "source": broken, "expectedVersion": 0, "note": "",
        }))
        .unwrap_err();
        assert!(refused["message"].as_str().unwrap().contains("casue"), "{refused}");
        assert_eq!(invoke(&app, "template_history", json!({ "path": "incident/resolved.ja.md" })).unwrap(), json!([]));
    }

    #[test]
    fn the_linter_reads_the_filled_preview() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let text = json!({ "ja": "title: {{title}}\n---\n2025/02/30 10:00頃に復旧しました。\n", "en": "title: {{title}}\n---\nRecovered.\n" });
        let p = invoke(&app, "preview_template", json!({ "status": "resolved", "source": text, "sample": sample(&app), "ui": "en" })).unwrap();
        let findings = p["ja"]["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["severity"] == "error" && f["message"].as_str().unwrap().contains("date.invalid")), "{findings:#?}");
        assert_eq!(p["savable"], true, "lint findings are advice, not template problems");
    }

    #[test]
    fn the_preview_follows_every_change_of_text_sample_and_library() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let mut sample = sample(&app);
        let ask = |source: Value, sample: &Value| {
            invoke(&app, "preview_template", json!({ "status": "resolved", "source": source, "sample": sample, "ui": "ja" })).unwrap()
        };
        let first = ask(Value::Null, &sample);
        assert!(first["ja"]["html"].as_str().unwrap().contains("■ 原因"));
        sample["text"]["ja"]["cause"] = json!("サンプルで書き換えた原因");
        assert!(ask(Value::Null, &sample)["ja"]["html"].as_str().unwrap().contains("サンプルで書き換えた原因"));
        let text = json!({ "ja": "title: {{title}}\n---\n書きかけ\n", "en": source(&app, "resolved")["en"] });
        let typed = ask(text.clone(), &sample);
        assert_eq!(typed["ja"]["html"], "<p>書きかけ</p>\n");
        assert_eq!(typed["en"], first["en"], "the untouched language is the same answer");
        invoke(&app, "save_template", json!({ "path": "incident/resolved.ja.md", "source": "title: {{title}}\n---\n保存済み\n", "expectedVersion": 0, "note": "" })).unwrap();
        assert_eq!(ask(Value::Null, &sample)["ja"]["html"], "<p>保存済み</p>\n", "the active text after a save");
    }

    #[test]
    fn saves_are_versions_with_who_and_rollback_restores_any_version() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let path = "incident/identified.en.md";
        let original = source(&app, "identified")["en"].as_str().unwrap().to_string();
        let first = format!("{original}First change.\n");
        let v1 = invoke(&app, "save_template", json!({ "path": path, "source": first, "expectedVersion": 0, "note": "one" })).unwrap();
        assert_eq!((v1["version"].as_u64(), v1["author"].as_str()), (Some(1), Some("tester")));
        let v2 = invoke(&app, "save_template", json!({ "path": path, "source": "title: {{title}}\n---\nSecond.\n", "expectedVersion": 1, "note": "" })).unwrap();
        assert_eq!(v2["version"], 2);
        // An editor still on version 1 is told, and nothing is saved.
        let stale = invoke(&app, "save_template", json!({ "path": path, "source": "title: x\n---\n", "expectedVersion": 1, "note": "" })).unwrap_err();
        assert!(!stale["message"].as_str().unwrap().is_empty());
        let history = invoke(&app, "template_history", json!({ "path": path })).unwrap();
        assert_eq!(history.as_array().unwrap().iter().map(|v| v["version"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 1]);
        assert!(!history[0]["saved_at"]["ja"].as_str().unwrap().is_empty());

        let back = invoke(&app, "rollback_template", json!({ "path": path, "version": 1 })).unwrap();
        assert_eq!((back["version"].as_u64(), back["source"].as_str()), (Some(3), Some(first.as_str())));
        assert_eq!(source(&app, "identified")["en"], first.as_str());
        invoke(&app, "rollback_template", json!({ "path": path, "version": 0 })).unwrap();
        assert_eq!(source(&app, "identified")["en"], original.as_str());
        let row = &invoke(&app, "list_templates", json!({})).unwrap()[1];
        assert_eq!((row["en"]["version"].as_u64(), row["en"]["author"].as_str()), (Some(4), Some("tester")));
    }

    #[test]
    fn the_composer_writes_from_the_saved_template_and_records_its_revision() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let draft = invoke(&app, "new_incident", json!({ "kind": "incident" })).unwrap();
        let ja = source(&app, "resolved")["ja"].as_str().unwrap().replace("■ 原因", "■ 原因（社内調査の結果）");
        assert!(ja.contains("社内調査"));
        let saved = invoke(&app, "save_template", json!({ "path": "incident/resolved.ja.md", "source": ja, "expectedVersion": 0, "note": "" })).unwrap();
        let resolved = invoke(&app, "start_update", json!({ "id": draft["incident_id"], "status": "resolved" })).unwrap();
        assert!(resolved["body"]["ja"].as_str().unwrap().contains("■ 原因（社内調査の結果）"), "{}", resolved["body"]["ja"]);

        let store = app.state::<AppState>().store.clone();
        let (first, second) = (draft["update_id"].as_i64().unwrap(), resolved["update_id"].as_i64().unwrap());
        tauri::async_runtime::block_on(async {
            assert_eq!(store.update_template_revision(first).await.unwrap(), Some(0), "written from the built-in texts");
            let revision = store.update_template_revision(second).await.unwrap().unwrap();
            assert_eq!(revision, store.library_revision().await.unwrap());
            let then = store.template_set_at(revision).await.unwrap();
            assert_eq!(then.get(desk_model::Status::Resolved, desk_model::Lang::Ja).source, saved["source"].as_str().unwrap());
        });
    }

    fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
        desk_templates::library_paths().into_iter().map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap())).collect()
    }

    #[test]
    fn export_then_import_loses_nothing_and_a_broken_folder_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = app(dir.path());
        let edited = "title: {{title}}\r\n---\r\n調査しています。  \r\n\r\n";
        invoke(&first, "save_template", json!({ "path": "incident/investigating.ja.md", "source": edited, "expectedVersion": 0, "note": "" })).unwrap();
        let out = dir.path().join("library");
        let count = invoke(&first, "export_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
        assert_eq!(count, 19);
        let exported = read_all(&out);
        assert_eq!(std::fs::read(out.join("incident/investigating.ja.md")).unwrap(), edited.as_bytes());

        // Into a fresh app: the same library, byte for byte.
        let other_dir = tempfile::tempdir().unwrap();
        let other = app(other_dir.path());
        let imported = invoke(&other, "import_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
        assert_eq!(imported["problems"], json!([]));
        assert_eq!(imported["saved"].as_array().unwrap().len(), 1, "only the edited file differs from the built-in text");
        let again = other_dir.path().join("again");
        invoke(&other, "export_templates", json!({ "dir": again.to_str().unwrap() })).unwrap();
        assert_eq!(read_all(&again), exported);

        std::fs::write(out.join("incident/resolved.en.md"), "title: {{title}}\n---\n{{causes}}\n").unwrap();
        std::fs::write(out.join("incident/monitoring.en.md"), "title: fine\n---\nWatching.\n").unwrap();
        let refused = invoke(&other, "import_templates", json!({ "dir": out.to_str().unwrap() })).unwrap();
        assert_eq!(refused["saved"], json!([]));
        assert_eq!(refused["problems"][0], "incident/resolved.en.md:3:1: `causes` is not a field; the fields are: title, status, impact, period, next_update, components, scope, features, symptoms, cause, actions, prevention, customer_action, note, resolved_prefix, completed_prefix, organisation");
        assert_eq!(invoke(&other, "template_history", json!({ "path": "incident/monitoring.en.md" })).unwrap(), json!([]));
        let relative = invoke(&other, "export_templates", json!({ "dir": "library" })).unwrap_err();
        assert!(relative["message"].as_str().unwrap().contains("full path"), "{relative}");
    }

    #[test]
    fn the_pages_incident_templates_are_imported_as_a_starting_point() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let state = app.state::<AppState>();
        let sandbox = state.publishing.sandbox_server();
        let page = state.publishing.current().first_page().to_string();
        sandbox.add_template(&page, "調査開始", "サービスに接続しにくい状態です", "ただいま原因を調査しております。", Some("investigating"), &[]).unwrap();
        sandbox.add_template(&page, "No status", "Something", "Text", None, &[]).unwrap();
        let done = invoke(&app, "import_statuspage_templates", json!({})).unwrap();
        assert_eq!(done["found"], 2);
        assert_eq!(done["saved"][0]["path"], "incident/investigating.ja.md");
        assert!(done["saved"][0]["note"].as_str().unwrap().contains("調査開始"));
        assert!(done["skipped"][0].as_str().unwrap().contains("No status"));
        assert_eq!(source(&app, "investigating")["ja"], "title: サービスに接続しにくい状態です\n---\nただいま原因を調査しております。\n");
    }

    #[test]
    fn completion_offers_the_fields_inside_braces() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let c = invoke(&app, "template_completions", json!({ "source": "title: x\n---\n{{ca", "line": 3, "column": 5 })).unwrap();
        assert_eq!(c["items"][0]["insert"], "cause}}");
        assert_eq!(c["from"], json!({ "line": 3, "column": 3 }));
        assert_eq!(invoke(&app, "template_completions", json!({ "source": "plain", "line": 1, "column": 2 })).unwrap(), Value::Null);
    }

    /// What the template editor's component tests (ui/tests/templates.test.mjs)
    /// replay: these commands' real answers. `UPDATE_UI_FIXTURES=1` rewrites them.
    #[test]
    fn recorded_template_answers_for_the_ui_tests_are_current() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let samples = invoke(&app, "template_samples", json!({})).unwrap();
        let mut load = serde_json::Map::new();
        let mut preview = serde_json::Map::new();
        for status in desk_model::Status::ALL {
            let pair = invoke(&app, "load_template", json!({ "status": status })).unwrap();
            let filled = invoke(&app, "preview_template", json!({ "status": status, "source": pair["source"], "sample": samples[0]["fields"], "ui": "ja" })).unwrap();
            load.insert(status.as_str().into(), pair);
            preview.insert(status.as_str().into(), filled);
        }
        // The resolved template with a misspelt field typed at its end.
        let mut broken = load["resolved"]["source"].clone();
        broken["ja"] = json!(format!("{}{{{{casue}}}}", broken["ja"].as_str().unwrap()));
        let broken_preview = invoke(&app, "preview_template", json!({ "status": "resolved", "source": broken, "sample": samples[0]["fields"], "ui": "ja" })).unwrap();
        let recording = json!({
            "list_templates": invoke(&app, "list_templates", json!({})).unwrap(),
            "template_samples": samples,
            "load_template": load,
            "preview_template": preview,
            "broken": { "source": broken, "preview": broken_preview },
            "template_completions": invoke(&app, "template_completions", json!({ "source": "{{", "line": 1, "column": 3 })).unwrap(),
        });
        let text = serde_json::to_string_pretty(&recording).unwrap() + "\n";
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/fixtures/templates-ipc.json");
        if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
            std::fs::write(&path, text).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(current == text, "ui/tests/fixtures/templates-ipc.json is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
    }
}
