//! The template library: by kind and status, one template's Japanese and
//! English source, the live check and preview as typed (filled from sample
//! data, linted), field completion, versioned saves with history and
//! rollback, and the library in and out as files or from the Statuspage
//! page's incident templates. desk-templates and the store decide
//! everything; a broken template is never saved.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use desk_lint::{Field, TextContext};
use desk_model::{Bilingual, Kind, Lang, Status};
use desk_render::preview_template as fill_preview;
use desk_store::{ActiveTemplate, TemplateVersion};

use crate::library::ActiveTemplates;
use desk_templates::{
    completions, from_statuspage, sample_names, template_path, Diagnostic, FieldInfo, Position, PreviewFinding, PreviewLinter,
    SampleFields, Settings,
};
use desk_statuspage::Client;
use desk_store::Store;
use serde::Serialize;
use specta::Type;

use crate::library::{export_folder, import_folder, FolderImport};
use crate::{AppError, Desk, Result};

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
pub async fn list_templates(desk: &Desk) -> Result<Vec<TemplateRow>> {
    let settings = desk.templates().await?.set.settings.clone();
    let active = by_path(desk.store.active_templates().await?);
    let mut rows = Vec::new();
    for kind in Kind::ALL {
        for status in kind.statuses() {
            rows.push(TemplateRow {
                kind,
                status: *status,
                status_label: crate::facts::label(*status),
                ja: file_state(&active[&template_path(*status, Lang::Ja)], &settings),
                en: file_state(&active[&template_path(*status, Lang::En)], &settings),
            });
        }
    }
    Ok(rows)
}

/// A status's active template source in both languages.
pub async fn load_template(desk: &Desk, status: Status) -> Result<TemplatePair> {
    let settings = desk.templates().await?.set.settings.clone();
    let active = by_path(desk.store.active_templates().await?);
    let [ja, en] = Lang::ALL.map(|lang| &active[&template_path(status, lang)]);
    Ok(TemplatePair {
        status,
        ja: file_state(ja, &settings),
        en: file_state(en, &settings),
        source: Bilingual { ja: ja.source.clone(), en: en.source.clone() },
    })
}

/// The sample incidents a preview can be filled from.
pub fn template_samples() -> Vec<NamedSample> {
    sample_names()
        .into_iter()
        .filter_map(|name| SampleFields::named(name).map(|fields| NamedSample { name: name.to_string(), fields }))
        .collect()
}

/// Checks and fills a status's template as typed: `source` is the text in
/// the editors (null: the active text), `sample` the values to fill in.
/// Findings come in the UI's language `ui`. Nothing is saved. It works on
/// `active`, the library as last checked (`desk.library.last_checked()`,
/// else `desk.templates()`), so a keystroke reads nothing from the store.
pub fn preview_template(
    desk: &Desk,
    active: &ActiveTemplates,
    status: Status,
    source: Option<Bilingual<String>>,
    sample: &SampleFields,
    ui: Lang,
) -> TemplatePreview {
    let source = source.unwrap_or_else(|| Bilingual::default().map(|lang, _: &String| active.set.get(status, lang).source.clone()));
    let memo = &desk.template_previews;
    let [ja, en] = Lang::ALL.map(|lang| {
        // A keystroke changes one language: the other's answer is the one just given.
        let key = PreviewMemo::key(active.revision, status, lang, source.get(lang), sample, ui);
        memo.get(lang, key).unwrap_or_else(|| {
            let filled = fill(&active.set.settings, &desk.lint.get(), status, lang, source.get(lang), sample, ui);
            memo.put(lang, key, filled.clone());
            filled
        })
    });
    both(status, ja, en)
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
pub fn template_completions(source: &str, line: u32, column: u32) -> Option<FieldCompletions> {
    let found = completions(source, Position { line: line as usize, column: column as usize })?;
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
pub async fn save_template(desk: &Desk, path: &str, source: &str, expected_version: u32, note: &str) -> Result<TemplateVersionInfo> {
    let saved = desk.store.save_template(path, source, Some(expected_version as i64), &desk.actor, note.trim()).await?;
    desk.library.forget();
    version_info(desk, saved).await
}

/// A library file's saved versions, newest first.
pub async fn template_history(desk: &Desk, path: &str) -> Result<Vec<TemplateVersionInfo>> {
    let settings = desk.templates().await?.set.settings.clone();
    Ok(desk.store.template_history(path).await?.into_iter().map(|v| to_info(v, &settings)).collect())
}

/// Makes an old version (0 = the built-in text) active again, as a new version.
pub async fn rollback_template(desk: &Desk, path: &str, version: u32) -> Result<TemplateVersionInfo> {
    let saved = desk.store.rollback_template(path, version as i64, &desk.actor).await?;
    desk.library.forget();
    version_info(desk, saved).await
}

/// Writes the whole active library into a folder (created when missing).
/// Returns how many files were written.
pub async fn export_templates(desk: &Desk, dir: &str) -> Result<u32> {
    Ok(export_folder(&desk.store, &folder(dir)?).await? as u32)
}

/// Reads a library folder back: every file is checked first, and nothing is
/// saved when any has a problem. Unchanged files make no new version.
pub async fn import_templates(desk: &Desk, dir: &str) -> Result<LibraryImport> {
    let settings = desk.templates().await?.set.settings.clone();
    let imported = import_folder(&desk.store, &folder(dir)?, &desk.actor).await;
    desk.library.forget();
    Ok(match imported? {
        FolderImport::Saved(saved) => LibraryImport { saved: saved.into_iter().map(|v| to_info(v, &settings)).collect(), problems: vec![] },
        FolderImport::Refused(problems) => LibraryImport { saved: vec![], problems },
    })
}

/// Imports the publishing page's incident templates as a starting point
/// (the app: the page publishing goes to now); see [`import_from_page`].
pub async fn import_statuspage_templates(desk: &Desk) -> Result<StatuspageImport> {
    let target = desk.publishing.current()?;
    let settings = desk.templates().await?.set.settings.clone();
    let imported = import_from_page(&desk.store, &target.client, target.first_page(), &desk.actor).await;
    desk.library.forget();
    let imported = imported?;
    Ok(StatuspageImport {
        saved: imported.saved.into_iter().map(|(_, v)| to_info(v, &settings)).collect(),
        skipped: imported.skipped,
        found: imported.found,
    })
}

/// What importing a page's incident templates did: each template saved (its
/// name on the page, and the version made), each skipped with why.
pub struct PageImport {
    pub saved: Vec<(String, TemplateVersion)>,
    pub skipped: Vec<String>,
    pub found: u32,
}

/// Imports page `page`'s incident templates as a starting point: each
/// becomes a new version of its status's template in its language (the
/// first one per file wins); one that cannot be used is skipped with why.
pub async fn import_from_page(store: &Store, client: &Client, page: &str, actor: &str) -> Result<PageImport> {
    let found = client.incident_templates(page).await.map_err(|e| {
        AppError::unavailable(
            format!("ページ {page} のインシデントテンプレートを読み込めません: {e}"),
            format!("cannot read the incident templates of page {page}: {e}"),
        )
    })?;
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut out = PageImport { saved: vec![], skipped: vec![], found: found.len() as u32 };
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
        let saved = store.save_template(&converted.path, &converted.source, None, actor, &converted.note).await?;
        out.saved.push((t.name.clone(), saved));
    }
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

async fn version_info(desk: &Desk, saved: TemplateVersion) -> Result<TemplateVersionInfo> {
    let settings = desk.templates().await?.set.settings.clone();
    Ok(to_info(saved, &settings))
}

/// A folder the user typed: an absolute path (the app's working folder means nothing to them).
fn folder(dir: &str) -> Result<PathBuf> {
    let path = PathBuf::from(dir.trim());
    if dir.trim().is_empty() {
        return Err(AppError::invalid("folder", "フォルダーのフルパスを入力してください。", "give the folder's full path"));
    }
    if !path.is_absolute() {
        return Err(AppError::invalid(
            "folder",
            format!("`{}` はフルパスではありません。フォルダーのフルパスを入力してください（例: /home/you/templates）。", dir.trim()),
            format!("`{}` is not a full path: give the folder's full path, e.g. /home/you/templates", dir.trim()),
        ));
    }
    Ok(path)
}

