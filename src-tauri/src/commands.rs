//! The commands the UI may call. Each takes what the UI collected and returns
//! what it shows; every decision is made by the desk-* crates.
//!
//! The TypeScript types and wrappers in `ui/src/lib/bindings.ts` are
//! generated from these signatures (see `bindings_are_current` below).

use desk_model::{Bilingual, Impact, Incident, Kind, Lang, Status};
use desk_render::{combine, markdown_to_safe_html, render_update, Announcement};
use desk_templates::TemplateSet;
use serde::Serialize;
use specta::Type;
use tauri::State;
use tauri_specta::{collect_commands, Builder};

use crate::library::IncidentLibrary;

/// A failure the UI shows as it is: it says what went wrong and where.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CommandError {
    pub message: String,
}

impl From<String> for CommandError {
    fn from(message: String) -> Self {
        CommandError { message }
    }
}

/// One row of the incident list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct IncidentSummary {
    pub id: String,
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
    /// When the document cannot be read: what is wrong with it and where.
    pub problem: Option<String>,
}

/// One update in an incident's timeline.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TimelineEntry {
    pub status: Status,
    pub status_label: Bilingual<String>,
    /// When it was published (or created), in the organisation's style; empty when unknown.
    pub at: Bilingual<String>,
}

/// A title and body as Statuspage will show them: the body is sanitized HTML.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PreviewPage {
    pub title: String,
    pub html: String,
}

/// An update as readers will see it, per language and combined.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Preview {
    pub id: String,
    /// Which update is shown, counting from 0 (the oldest).
    pub update_index: u32,
    pub timeline: Vec<TimelineEntry>,
    pub ja: PreviewPage,
    pub en: PreviewPage,
    /// Both languages on one page, in the organisation's layout.
    pub combined: PreviewPage,
}

/// Every incident, open ones first, then newest first.
#[tauri::command]
#[specta::specta]
pub fn list_incidents(library: State<'_, IncidentLibrary>) -> Result<Vec<IncidentSummary>, CommandError> {
    list(&library)
}

fn list(library: &IncidentLibrary) -> Result<Vec<IncidentSummary>, CommandError> {
    let all = library.all().map_err(|e| format!("cannot read the incident folder: {e}"))?;
    let mut rows: Vec<(i64, IncidentSummary)> = all
        .into_iter()
        .map(|(id, doc)| match doc {
            Ok(incident) => (newest_time(&incident), summarise(&library.templates, id, &incident)),
            Err(problem) => (i64::MAX, unreadable(id, problem)),
        })
        .collect();
    rows.sort_by(|a, b| b.1.open.cmp(&a.1.open).then(b.0.cmp(&a.0)));
    Ok(rows.into_iter().map(|(_, s)| s).collect())
}

/// One update of one incident, rendered; the newest when `update` is null.
#[tauri::command]
#[specta::specta]
pub fn preview_incident(
    library: State<'_, IncidentLibrary>,
    id: String,
    update: Option<u32>,
) -> Result<Preview, CommandError> {
    let incident = library.get(&id)?;
    preview(&library.templates, id, &incident, update)
}

fn preview(set: &TemplateSet, id: String, incident: &Incident, update: Option<u32>) -> Result<Preview, CommandError> {
    let count = incident.updates.len();
    if count == 0 {
        return Err(format!("{id}: the incident has no updates yet").into());
    }
    let index = update.map_or(count - 1, |u| u as usize);
    let render = |lang| render_update(set, incident, index, lang).map_err(|e| CommandError::from(format!("{id}: {e}")));
    let ja = render(Lang::Ja)?;
    let en = render(Lang::En)?;
    let combined = combine(&ja, &en, &set.settings.layout);
    let style = &set.settings.dates;
    let timeline = incident
        .updates
        .iter()
        .map(|u| TimelineEntry {
            status: u.status,
            status_label: labels(u.status),
            at: Bilingual::default().map(|lang, _: &String| {
                u.published_at.or(u.created_at).map(|t| style.format_instant(t, lang)).unwrap_or_default()
            }),
        })
        .collect();
    Ok(Preview {
        id,
        update_index: index as u32,
        timeline,
        ja: page(&ja),
        en: page(&en),
        combined: page(&combined),
    })
}

fn page(a: &Announcement) -> PreviewPage {
    PreviewPage { title: a.title.clone(), html: markdown_to_safe_html(&a.body) }
}

fn labels(status: Status) -> Bilingual<String> {
    Bilingual { ja: status.label(Lang::Ja).into(), en: status.label(Lang::En).into() }
}

fn summarise(set: &TemplateSet, id: String, incident: &Incident) -> IncidentSummary {
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
        problem: None,
    }
}

fn unreadable(id: String, problem: String) -> IncidentSummary {
    IncidentSummary {
        title: Bilingual { ja: id.clone(), en: id.clone() },
        id,
        kind: Kind::Incident,
        impact: Impact::None,
        status: None,
        status_label: Bilingual::default(),
        period: Bilingual::default(),
        update_count: 0,
        open: true,
        problem: Some(problem),
    }
}

/// The newest moment the incident mentions, for ordering the list.
fn newest_time(incident: &Incident) -> i64 {
    let updates = incident.updates.iter().filter_map(|u| u.published_at.or(u.created_at));
    let period = incident.period.map(|p| p.start);
    updates.chain(period).map(|t| t.timestamp()).max().unwrap_or(0)
}

/// The commands, for the invoke handler and for generating the TypeScript bindings.
pub fn bindings_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![list_incidents, preview_incident])
        // The UI only reads what commands return: one type per struct is enough.
        .disable_serde_phases()
}

#[cfg(test)]
mod tests {
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
        bindings_builder()
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
        let library = library();
        let mut previews = serde_json::Map::new();
        for (id, doc) in library.all().unwrap() {
            let incident = doc.unwrap();
            let mut by_update = serde_json::Map::new();
            for i in 0..incident.updates.len() {
                let p = preview(&library.templates, id.clone(), &incident, Some(i as u32)).unwrap();
                by_update.insert(i.to_string(), serde_json::to_value(p).unwrap());
            }
            let newest = preview(&library.templates, id.clone(), &incident, None).unwrap();
            by_update.insert("newest".into(), serde_json::to_value(newest).unwrap());
            previews.insert(id, by_update.into());
        }
        let recording = serde_json::json!({
            "list_incidents": list(&library).unwrap(),
            "preview_incident": previews,
        });
        let text = serde_json::to_string_pretty(&recording).unwrap() + "\n";
        let path = repo().join("ui/tests/fixtures/ipc.json");
        if std::env::var_os("UPDATE_UI_FIXTURES").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(current == text, "ui/tests/fixtures/ipc.json is stale: run `UPDATE_UI_FIXTURES=1 cargo test -p incident-desk recorded`");
    }

    fn library() -> IncidentLibrary {
        IncidentLibrary::at(repo().join("tests/fixtures/incidents"), TemplateSet::builtin())
    }

    fn app() -> tauri::App<tauri::test::MockRuntime> {
        let builder = Builder::<tauri::test::MockRuntime>::new()
            .commands(collect_commands![list_incidents, preview_incident]);
        tauri::test::mock_builder()
            .invoke_handler(builder.invoke_handler())
            .manage(library())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("the app builds")
    }

    fn invoke(app: &tauri::App<tauri::test::MockRuntime>, cmd: &str, body: serde_json::Value) -> Result<serde_json::Value, serde_json::Value> {
        let window = tauri::WebviewWindowBuilder::new(app, "main", Default::default()).build().unwrap();
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

    #[test]
    fn the_list_holds_every_sample_open_ones_first() {
        let app = app();
        let list = invoke(&app, "list_incidents", serde_json::json!({})).unwrap();
        let rows = list.as_array().unwrap();
        assert_eq!(rows.len(), 7);
        let open: Vec<bool> = rows.iter().map(|r| r["open"].as_bool().unwrap()).collect();
        assert!(open.windows(2).all(|w| w[0] >= w[1]), "open incidents come first: {open:?}");
        let login = rows.iter().find(|r| r["id"] == "login-certificate-expiry").unwrap();
        assert_eq!(login["title"]["ja"], "【解決済み】Kumo Mailにログインできない障害が発生していました");
        assert_eq!(login["status"], "resolved");
        assert_eq!(login["period"]["ja"], "2025/03/04 09:12頃〜10:47頃");
    }

    #[test]
    fn a_preview_is_sanitized_html_in_both_languages() {
        let app = app();
        let p = invoke(&app, "preview_incident", serde_json::json!({ "id": "login-certificate-expiry", "update": 0 })).unwrap();
        assert_eq!(p["update_index"], 0);
        assert_eq!(p["timeline"].as_array().unwrap().len(), 4);
        assert!(p["ja"]["html"].as_str().unwrap().contains("■ 発生している現象"));
        assert!(p["en"]["html"].as_str().unwrap().contains("■ What is happening"));
        assert!(p["combined"]["html"].as_str().unwrap().contains("<hr>"));
        assert_eq!(p["timeline"][3]["at"]["ja"], "2025/03/04 11:35");
    }

    #[test]
    fn ids_that_could_leave_the_folder_are_refused() {
        let app = app();
        let err = invoke(&app, "preview_incident", serde_json::json!({ "id": "../Cargo", "update": null })).unwrap_err();
        assert!(err["message"].as_str().unwrap().contains("is not an incident id"), "{err}");
    }
}
