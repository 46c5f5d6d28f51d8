//! The commands the UI may call. Each takes what the UI collected and returns
//! what it shows; every decision is made by the desk-* crates.
//!
//! The TypeScript types and wrappers in `ui/src/lib/bindings.ts` are
//! generated from these signatures (see `bindings_are_current` below).

use desk_lint::{Diagnostic, Severity};
use desk_model::{Bilingual, Impact, Incident, Kind, Lang, Status};
use desk_render::{combine, markdown_to_safe_html, render_update, Announcement};
use desk_publish::PublishGate;
use desk_store::gate::ReviewGate;
use desk_store::{ListQuery, StoredIncident};
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::{collect_commands, Builder};

use crate::state::AppState;

/// A failure the UI shows as it is: it says what went wrong and where.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CommandError {
    pub message: String,
}

impl<E: std::fmt::Display> From<E> for CommandError {
    fn from(e: E) -> Self {
        CommandError { message: e.to_string() }
    }
}

type Answer<T> = Result<T, CommandError>;

/// One row of the incident list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct IncidentSummary {
    pub id: u32,
    pub kind: Kind,
    pub impact: Impact,
    /// The newest update's status; none while nothing was written yet.
    pub status: Option<Status>,
    pub status_label: Bilingual<String>,
    /// The title as the newest update publishes it.
    pub title: Bilingual<String>,
    /// The period, written in each language's style.
    pub period: Bilingual<String>,
    pub update_count: u32,
    /// True while the incident (or maintenance) is still going on.
    pub open: bool,
}

/// One update in an incident's timeline.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineEntry {
    pub status: Status,
    pub status_label: Bilingual<String>,
    /// When it was published (or created), in the organisation's style; empty when unknown.
    pub at: Bilingual<String>,
    /// False while it is a draft.
    pub published: bool,
}

/// A title and body as Statuspage will show them: the body is sanitized HTML.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PreviewPage {
    pub title: String,
    pub html: String,
}

/// An update as readers will see it, per language and combined, with what
/// the linter says about it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Preview {
    pub id: u32,
    /// Which update is shown, counting from 0 (the oldest).
    pub update_index: u32,
    pub timeline: Vec<TimelineEntry>,
    pub ja: PreviewPage,
    pub en: PreviewPage,
    /// Both languages on one page, in the organisation's layout.
    pub combined: PreviewPage,
    /// The linter's findings on this update, errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// Why it cannot be published now; none when it can.
    pub publish_blocked: Option<Bilingual<String>>,
}

/// Where a publish went, page by page.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishOutcome {
    pub all_done: bool,
    pub pages: Vec<PagePublished>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct PagePublished {
    pub page_id: String,
    /// True when it is on the page (now or from an earlier publish).
    pub done: bool,
    /// What happened, in words (English; from the publishing engine).
    pub summary: String,
    /// The incident's page, when published.
    pub url: Option<String>,
}

/// Where publishing goes.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PublishTarget {
    /// True while updates go to the built-in local sandbox.
    pub sandbox: bool,
    pub page_id: String,
    /// The status page as readers see it.
    pub public_url: String,
    /// Why updates go there.
    pub why: Bilingual<String>,
}

/// Every incident, open ones first, then newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_incidents(state: State<'_, AppState>) -> Answer<Vec<IncidentSummary>> {
    crate::trace_startup("list asked");
    list(&state).await
}

/// One update of one incident, rendered; the newest when `update` is null.
#[tauri::command]
#[specta::specta]
pub async fn preview_incident(state: State<'_, AppState>, id: u32, update: Option<u32>) -> Answer<Preview> {
    let stored = state.store.load_incident(id as i64).await?;
    let templates = state.templates().await?;
    preview(&templates.set, &state.lint.get(), &stored.to_incident(), id, update, &published_flags(&stored))
}

/// Publishes one update (the newest when `update` is null) exactly once to
/// the current target. Lint errors refuse it with their list. A draft goes
/// out only on an approval of its current revision by someone other than
/// its author (the review gate; emergency publishes: `publish_emergency`).
#[tauri::command]
#[specta::specta]
pub async fn publish_update(state: State<'_, AppState>, id: u32, update: Option<u32>) -> Answer<PublishOutcome> {
    publish(&state, id, update, None).await
}

/// The publish itself. Updates already published in the store (imported
/// history, or a repeat) are sent as stored: the engine's log makes a
/// repeat a no-op. A draft is authorised first ([`ReviewGate`]: the store
/// records the publish, or refuses it, and the database checks it again),
/// sent as the authorised text, and marked published once the page has it.
pub(crate) async fn publish(state: &AppState, id: u32, update: Option<u32>, emergency_reason: Option<&str>) -> Answer<PublishOutcome> {
    let stored = state.store.load_incident(id as i64).await?;
    let mut incident = stored.to_incident();
    let index = pick(&incident, update)?;
    let templates = state.templates().await?;
    let blocking = desk_lint::published::blocking_errors(&templates.set, &incident, index, &state.lint.get())?;
    if !blocking.is_empty() {
        let list: Vec<&str> = blocking.iter().map(|d| d.message.en.as_str()).collect();
        return Err(format!("publishing is blocked by lint errors: {}", list.join("; ")).into());
    }
    let row = &stored.updates[index];
    let draft = row.state == desk_store::UpdateState::Draft;
    if emergency_reason.is_some() && !draft {
        return Err(format!("update {} is already published: there is no draft to publish without approval", index + 1).into());
    }
    let incident_key = format!("store:{id}");
    let gate = if draft {
        let gate = ReviewGate::authorise(&state.store, row.id, row.version, emergency_reason).await?.with_incident_key(&incident_key);
        if let Some(approved) = gate.update() {
            incident.updates[index] = approved.clone();
        }
        Some(gate)
    } else {
        None
    };
    let target = state.publishing.current();
    let mut job = desk_publish::job::render_job(&templates.set, &incident, &incident_key, index, &target.pages)?;
    target.settings.map_components(&mut job);
    if let Some(gate) = &gate {
        let problems = gate.problems(&job);
        if !problems.is_empty() {
            return Err(problems.join("; ").into());
        }
    }
    let report = target.engine.publish(&job).await?;
    if report.all_done() && draft {
        state.store.mark_published(row.id, row.version, chrono::Utc::now(), &state.actor).await?;
    }
    state.draft_contexts.forget();
    Ok(PublishOutcome {
        all_done: report.all_done(),
        pages: report
            .pages
            .iter()
            .map(|p| PagePublished {
                page_id: p.page_id.clone(),
                done: p.result.is_done(),
                summary: p.to_string(),
                url: p.result.incident().map(|(_, url)| url.to_string()),
            })
            .collect(),
        warnings: report.warnings,
    })
}

/// Where publishing goes now.
#[tauri::command]
#[specta::specta]
pub fn publish_target(state: State<'_, AppState>) -> PublishTarget {
    crate::settings::describe(&state.publishing.current())
}

/// Opens the status page readers see in the default browser.
#[tauri::command]
#[specta::specta]
pub fn open_public_page(state: State<'_, AppState>) -> Answer<()> {
    tauri_plugin_opener::open_url(&state.publishing.current().public_url, None::<&str>)?;
    Ok(())
}

async fn list(state: &AppState) -> Answer<Vec<IncidentSummary>> {
    let rows = state.store.list(&ListQuery { limit: 200, ..ListQuery::default() }).await?;
    let templates = state.templates().await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let stored = state.store.load_incident(row.id).await?;
        out.push(summarise(&templates.set, row.id as u32, &stored.to_incident()));
    }
    // Open first; within each group, the store's order (newest first).
    out.sort_by_key(|s| !s.open);
    Ok(out)
}

pub(crate) fn published_flags(stored: &StoredIncident) -> Vec<bool> {
    stored.updates.iter().map(|u| u.state == desk_store::UpdateState::Published).collect()
}

fn pick(incident: &Incident, update: Option<u32>) -> Answer<usize> {
    let count = incident.updates.len();
    match update {
        _ if count == 0 => Err("the incident has no updates yet".into()),
        None => Ok(count - 1),
        Some(i) if (i as usize) < count => Ok(i as usize),
        Some(i) => Err(format!("there is no update {}; the incident has {count}", i + 1).into()),
    }
}

pub(crate) fn preview(set: &TemplateSet, lint: &desk_lint::Config, incident: &Incident, id: u32, update: Option<u32>, published: &[bool]) -> Answer<Preview> {
    let index = pick(incident, update)?;
    let ja = render_update(set, incident, index, Lang::Ja)?;
    let en = render_update(set, incident, index, Lang::En)?;
    let combined = combine(&ja, &en, &set.settings.layout);
    let style = &set.settings.dates;
    let timeline = incident
        .updates
        .iter()
        .enumerate()
        .map(|(i, u)| TimelineEntry {
            status: u.status,
            status_label: labels(u.status),
            at: Bilingual::default().map(|lang, _: &String| {
                u.published_at.or(u.created_at).map(|t| style.format_instant(t, lang)).unwrap_or_default()
            }),
            published: published.get(i).copied().unwrap_or(false),
        })
        .collect();
    let updates = desk_lint::published::published_updates(set, incident)?;
    let mut diagnostics: Vec<Diagnostic> =
        desk_lint::lint_incident(&updates, lint).into_iter().filter(|d| d.update == Some(index as u32)).collect();
    diagnostics.sort_by_key(|d| d.severity as u8);
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let publish_blocked = (errors > 0).then(|| Bilingual {
        ja: format!("エラーが {errors} 件あるため公開できません。"),
        en: format!("{errors} error(s) must be fixed before publishing."),
    });
    Ok(Preview {
        id,
        update_index: index as u32,
        timeline,
        ja: page(&ja),
        en: page(&en),
        combined: page(&combined),
        diagnostics,
        publish_blocked,
    })
}

fn page(a: &Announcement) -> PreviewPage {
    PreviewPage { title: a.title.clone(), html: markdown_to_safe_html(&a.body) }
}

fn labels(status: Status) -> Bilingual<String> {
    Bilingual { ja: status.label(Lang::Ja).into(), en: status.label(Lang::En).into() }
}

fn summarise(set: &TemplateSet, id: u32, incident: &Incident) -> IncidentSummary {
    let status = incident.current_status();
    let newest = incident.updates.len().checked_sub(1);
    let title = Bilingual::default().map(|lang, _: &String| match newest {
        Some(i) => render_update(set, incident, i, lang).map(|a| a.title).unwrap_or_default(),
        None => incident.title.get(lang).clone(),
    });
    let period = Bilingual::default().map(|lang, _: &String| {
        let p = newest.and_then(|i| incident.period_for(&incident.updates[i])).or(incident.period);
        p.map(|p| set.settings.dates.format_period(&p, lang)).unwrap_or_default()
    });
    IncidentSummary {
        id,
        kind: incident.kind,
        impact: incident.impact,
        status,
        status_label: status.map(labels).unwrap_or_default(),
        title,
        period,
        update_count: incident.updates.len() as u32,
        open: status.is_none_or(|s| !s.is_closed()),
    }
}

/// The commands, for the invoke handler and for generating the TypeScript bindings.
pub fn bindings_builder<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![
            list_incidents,
            preview_incident,
            publish_update,
            publish_target,
            open_public_page,
            crate::compose::new_incident,
            crate::compose::start_update,
            crate::compose::open_draft,
            crate::compose::preview_draft,
            crate::compose::save_draft,
            crate::review::who_am_i,
            crate::review::review_queue,
            crate::review::review_item,
            crate::review::approve_revision,
            crate::review::request_changes,
            crate::review::request_review,
            crate::review::draft_review,
            crate::review::publish_emergency,
            crate::review::emergency_publishes,
            crate::templates::list_templates,
            crate::templates::load_template,
            crate::templates::template_samples,
            crate::templates::preview_template,
            crate::templates::template_completions,
            crate::templates::save_template,
            crate::templates::template_history,
            crate::templates::rollback_template,
            crate::templates::export_templates,
            crate::templates::import_templates,
            crate::templates::import_statuspage_templates,
            crate::settings::get_settings,
            crate::settings::save_publish_settings,
            crate::settings::set_api_key,
            crate::settings::remove_api_key,
            crate::settings::add_glossary_term,
            crate::settings::remove_glossary_term,
            crate::settings::set_ui_language,
            crate::settings::fetch_page_components,
            crate::timeline::next_update,
            crate::timeline::notify_update_due,
            crate::compose::restatus_draft,
        ])
        // The UI only reads what commands return: one type per struct is enough.
        .disable_serde_phases()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The committed bindings are what the Rust signatures generate; with
    /// `UPDATE_BINDINGS=1` the test rewrites them instead.
    #[test]
    fn bindings_are_current() {
        let committed = repo().join("ui/src/lib/bindings.ts");
        let fresh = std::env::temp_dir().join(format!("desk-bindings-{}.ts", std::process::id()));
        bindings_builder::<tauri::Wry>()
            .export(specta_typescript::Typescript::default(), &fresh)
            .expect("the bindings export");
        let generated = std::fs::read_to_string(&fresh).unwrap();
        std::fs::remove_file(&fresh).ok();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed, &generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(current == generated, "ui/src/lib/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test -p incident-desk bindings`");
    }

    /// The UI's component tests (ui/tests/) replay what these commands really
    /// answer for the samples. With `UPDATE_UI_FIXTURES=1` the test rewrites
    /// the recording; otherwise it fails when the recording is stale.
    #[test]
    fn recorded_answers_for_the_ui_tests_are_current() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let recording = tauri::async_runtime::block_on(async {
            let list = list(&state).await.unwrap();
            let templates = state.templates().await.unwrap();
            let mut previews = serde_json::Map::new();
            for row in &list {
                let stored = state.store.load_incident(row.id as i64).await.unwrap();
                let incident = stored.to_incident();
                let flags = published_flags(&stored);
                let mut by_update = serde_json::Map::new();
                for i in 0..incident.updates.len() {
                    let p = preview(&templates.set, &state.lint.get(), &incident, row.id, Some(i as u32), &flags).unwrap();
                    by_update.insert(i.to_string(), serde_json::to_value(p).unwrap());
                }
                let newest = preview(&templates.set, &state.lint.get(), &incident, row.id, None, &flags).unwrap();
                by_update.insert("newest".into(), serde_json::to_value(newest).unwrap());
                previews.insert(row.id.to_string(), by_update.into());
            }
            let mut next_updates = serde_json::Map::new();
            for row in &list {
                let stored = state.store.load_incident(row.id as i64).await.unwrap();
                let next = crate::timeline::promised(&templates.set, &stored);
                next_updates.insert(row.id.to_string(), serde_json::to_value(next).unwrap());
            }
            serde_json::json!({ "list_incidents": list, "preview_incident": previews, "next_update": next_updates })
        });
        let mut recording = recording;
        let review_dir = tempfile::tempdir().unwrap();
        recording["review"] = crate::review::tests::recording(review_dir.path());
        let settings_dir = tempfile::tempdir().unwrap();
        recording["settings"] = crate::settings::tests::recording(settings_dir.path());
        let text = serde_json::to_string_pretty(&recording).unwrap() + "\n";
        let path = repo().join("ui/tests/fixtures/ipc.json");
        if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
            std::fs::write(&path, text).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(current == text, "ui/tests/fixtures/ipc.json is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
    }

    /// A real store (a SQLite file in a temporary folder) seeded with the
    /// samples, and a real sandbox on loopback.
    pub(crate) fn state(dir: &Path) -> AppState {
        state_as(dir, "tester")
    }

    /// The same, working as `who` (another person on the same file). The
    /// keys go to keyring's in-memory store, under a service of this test's own.
    pub(crate) fn state_as(dir: &Path, who: &str) -> AppState {
        static TESTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        desk_keychain::memory::install();
        let service = format!("incident-desk-test-{}", TESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        tauri::async_runtime::block_on(async {
            let store = desk_store::Store::open(dir.join("test.db").to_str().unwrap()).await.unwrap().acting_as(who).unwrap();
            crate::state::prepare(&store).await.unwrap();
            let components = crate::state::component_names(&store).await.unwrap();
            // Each person's app has its own sandbox and publish log.
            let mut publishing = crate::state::Publishing::sandbox(dir.join(format!("app-{who}")), &components).await.unwrap();
            publishing.keys = std::sync::Arc::new(desk_keychain::KeyringStore::with_service(&service));
            AppState {
                store,
                library: Default::default(),
                template_previews: Default::default(),
                draft_contexts: Default::default(),
                lint: crate::state::LiveLint::new(desk_lint::Config::default()),
                publishing,
                actor: who.into(),
            }
        })
    }

    pub(crate) fn app(dir: &Path) -> tauri::App<tauri::test::MockRuntime> {
        app_as(dir, "tester")
    }

    /// The app as `who`, on the same database file as the others in `dir`.
    pub(crate) fn app_as(dir: &Path, who: &str) -> tauri::App<tauri::test::MockRuntime> {
        app_from(state_as(dir, who))
    }

    pub(crate) fn app_from(state: AppState) -> tauri::App<tauri::test::MockRuntime> {
        tauri::test::mock_builder()
            .invoke_handler(bindings_builder::<tauri::test::MockRuntime>().invoke_handler())
            .manage(state)
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("the app builds")
    }

    pub(crate) fn invoke(app: &tauri::App<tauri::test::MockRuntime>, cmd: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
        static WINDOWS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let label = format!("test-{}", WINDOWS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let window = tauri::WebviewWindowBuilder::new(app, label, Default::default()).build().unwrap();
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        };
        let out = tauri::test::get_ipc_response(&window, request);
        window.close().ok();
        out.map(|r| r.deserialize::<serde_json::Value>().unwrap())
    }

    pub(crate) fn id_of(app: &tauri::App<tauri::test::MockRuntime>, ja_title_part: &str) -> u64 {
        let list = invoke(app, "list_incidents", serde_json::json!({})).unwrap();
        list.as_array().unwrap().iter().find(|r| r["title"]["ja"].as_str().unwrap().contains(ja_title_part)).unwrap()["id"]
            .as_u64()
            .unwrap()
    }

    #[test]
    fn the_list_holds_every_sample_open_ones_first() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let list = invoke(&app, "list_incidents", serde_json::json!({})).unwrap();
        let rows = list.as_array().unwrap();
        assert_eq!(rows.len(), 7);
        let open: Vec<bool> = rows.iter().map(|r| r["open"].as_bool().unwrap()).collect();
        assert!(open.windows(2).all(|w| w[0] >= w[1]), "open incidents come first: {open:?}");
        let login = rows.iter().find(|r| r["title"]["en"] == "[Resolved] Sign-in to Kumo Mail was failing").unwrap();
        assert_eq!(login["title"]["ja"], "【解決済み】Kumo Mailにログインできない障害が発生していました");
        assert_eq!(login["status"], "resolved");
        assert_eq!(login["period"]["ja"], "2025/03/04 09:12頃〜10:47頃");
    }

    #[test]
    fn a_preview_is_sanitized_html_in_both_languages_with_the_linters_findings() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let id = id_of(&app, "ログインできない");
        let p = invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": 0 })).unwrap();
        assert_eq!(p["update_index"], 0);
        assert_eq!(p["timeline"].as_array().unwrap().len(), 4);
        assert!(p["ja"]["html"].as_str().unwrap().contains("■ 発生している現象"));
        assert!(p["en"]["html"].as_str().unwrap().contains("■ What is happening"));
        assert!(p["combined"]["html"].as_str().unwrap().contains("<hr>"));
        assert_eq!(p["timeline"][3]["at"]["ja"], "2025/03/04 11:35");
        assert_eq!(p["diagnostics"].as_array().unwrap().len(), 0, "{}", p["diagnostics"]);
        assert!(p["publish_blocked"].is_null());
    }

    #[test]
    fn publishing_goes_to_the_sandbox_exactly_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let id = id_of(&app, "メール配信に遅延");
        let first = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
        assert_eq!(first["all_done"], true, "{first}");
        let url = first["pages"][0]["url"].as_str().unwrap().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let again = invoke(&app, "publish_update", serde_json::json!({ "id": id, "update": null })).unwrap();
        assert!(again["pages"][0]["summary"].as_str().unwrap().contains("already published"), "{again}");
        assert_eq!(again["pages"][0]["url"], url.as_str());
        let target = invoke(&app, "publish_target", serde_json::json!({})).unwrap();
        assert_eq!(target["sandbox"], true);
    }

    #[test]
    fn a_new_incident_is_written_saved_and_checked_as_typed() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
        assert_eq!(draft["status"], "investigating");
        let body_ja = draft["body"]["ja"].as_str().unwrap().to_string();
        assert!(body_ja.contains("■ 発生している現象\n【要記入】"), "{body_ja}");
        let (id, update_id) = (draft["incident_id"].clone(), draft["update_id"].clone());
        // As typed: the markers are still there, so the linter flags them and publishing is blocked.
        let live = invoke(&app, "preview_draft", serde_json::json!({
            "id": id, "status": "investigating", "title": draft["title"], "body": draft["body"],
        })).unwrap();
        assert!(live["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == "placeholder.unfilled"), "{}", live["diagnostics"]);
        assert!(live["publish_blocked"].is_object());
        // Autosave: a revision per save, with the version check.
        let body = serde_json::json!({ "ja": body_ja.replace("【要記入】", "ログインできない"), "en": draft["body"]["en"].as_str().unwrap().replace("[TBD]", "Sign-in fails") });
        let title = serde_json::json!({ "ja": "ログイン障害", "en": "Sign-in failures" });
        let saved = invoke(&app, "save_draft", serde_json::json!({
            "id": id, "updateId": update_id, "version": draft["version"], "status": "investigating", "title": title, "body": body,
        })).unwrap();
        assert_eq!(saved["version"], draft["version"].as_u64().unwrap() + 1);
        let stale = invoke(&app, "save_draft", serde_json::json!({
            "id": id, "updateId": update_id, "version": draft["version"], "status": "investigating", "title": title, "body": body,
        })).unwrap_err();
        assert!(stale["message"].as_str().unwrap().contains("was changed elsewhere"), "{stale}");
        let reopened = invoke(&app, "open_draft", serde_json::json!({ "id": id })).unwrap();
        assert_eq!(reopened["version"], saved["version"]);
        assert!(reopened["body"]["ja"].as_str().unwrap().contains("ログインできない"));
        assert_eq!(reopened["title"]["en"], "Sign-in failures");
        let shown = invoke(&app, "preview_incident", serde_json::json!({ "id": id, "update": null })).unwrap();
        assert_eq!(shown["en"]["title"], "Sign-in failures");
        assert_eq!(shown["timeline"][0]["published"], false);
    }

    #[test]
    fn a_drafts_findings_point_into_the_text_as_typed_and_a_new_status_rewords_it() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let draft = invoke(&app, "new_incident", serde_json::json!({ "kind": "incident" })).unwrap();
        let id = draft["incident_id"].clone();
        // Blank lines and trailing spaces that publishing drops come before the bad date.
        let body = serde_json::json!({
            "ja": "現在、以下の障害が発生しております。原因は調査中です。\nご利用中のお客様にはご不便をおかけし、申し訳ございません。\n\n\n■ 発生期間   \n2025/02/30 10:00頃〜現在\n\n■ 発生している現象\n- ログインできない",
            "en": draft["body"]["en"],
        });
        let title = serde_json::json!({ "ja": "ログイン障害が発生しています", "en": "Sign-in is failing" });
        let live = invoke(&app, "preview_draft", serde_json::json!({ "id": id, "status": "investigating", "title": title, "body": body })).unwrap();
        let invalid = live["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "date.invalid").expect("date.invalid");
        assert_eq!((invalid["line"].as_u64(), invalid["column"].as_u64(), invalid["end_column"].as_u64()), (Some(6), Some(1), Some(11)), "{invalid}");
        let reworded = invoke(&app, "restatus_draft", serde_json::json!({ "id": id, "from": "investigating", "to": "resolved", "title": title, "body": body })).unwrap();
        let ja = reworded["body"]["ja"].as_str().unwrap();
        assert!(ja.starts_with("以下の障害は解消いたしました。"), "{ja}");
        assert!(ja.contains("■ 発生した現象\n- ログインできない"), "{ja}");
        assert_eq!(reworded["title"]["ja"], "ログイン障害が発生していました");
        assert_eq!(reworded["title"]["en"], "Sign-in was failing");
        let wrong = invoke(&app, "restatus_draft", serde_json::json!({ "id": id, "from": "investigating", "to": "completed", "title": title, "body": body })).unwrap_err();
        assert!(wrong["message"].as_str().unwrap().contains("completed is not one of this incident's statuses"), "{wrong}");
    }

    #[test]
    fn unknown_incidents_are_an_error_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path());
        let err = invoke(&app, "preview_incident", serde_json::json!({ "id": 9999, "update": null })).unwrap_err();
        assert!(err["message"].as_str().unwrap().contains("9999"), "{err}");
    }
}
