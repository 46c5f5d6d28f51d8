//! Exports through the application layer on a real SQLite file: the overrun
//! postmortem stored as an incident opened from its maintenance (the linked
//! window is drawn in its picture, in the page and the preview), and the
//! store's copy exported as the document's is (imported history, as `desk import` keeps it).

use std::path::Path;

use chrono::{DateTime, Utc};
use desk_app::export::{export_document, export_stored, linked_window, timeline_picture_of, ExportFormat};
use desk_model::{Bilingual, Incident, IncidentDocument, Kind, MaintenanceWindow, Status, Update};
use desk_store::{ListQuery, NewIncident, Store};
use desk_templates::TemplateSet;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn new(incident: Incident, id: &str) -> NewIncident {
    NewIncident { incident, source: "document".into(), external_id: Some(id.into()), opened_at: None }
}

#[tokio::test]
async fn an_incident_opened_from_a_maintenance_shows_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("desk.db").to_str().unwrap()).await.unwrap();
    let overrun = IncidentDocument::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/window-overrun-postmortem.toml")).unwrap();
    // The renewal's planned window: Sunday 22:00 to Monday 06:00.
    let mut maintenance = Incident::new(Kind::Maintenance);
    maintenance.title = Bilingual { ja: "Kumo Tasksの刷新作業".into(), en: "Kumo Tasks renewal".into() };
    let mut scheduled = Update::new(Status::Scheduled);
    scheduled.maintenance = Some(MaintenanceWindow::new(at("2024-06-16T22:00:00+09:00"), at("2024-06-17T06:00:00+09:00")));
    scheduled.published_at = Some(at("2024-06-10T10:00:00+09:00"));
    maintenance.updates.push(scheduled);
    store.import(&[new(maintenance, "renewal"), new(overrun.clone(), "overrun")], "aiko").await.unwrap();
    let listed = store.list(&ListQuery { status: None, limit: 10, offset: 0 }).await.unwrap();
    let id_of = |title: &str| listed.iter().find(|s| s.title.en == title).map(|s| s.id).unwrap();
    let (maintenance_id, incident_id) = (id_of("Kumo Tasks renewal"), id_of("Kumo Tasks is unavailable"));

    // Not linked yet: the page is the document's own.
    let set = store.template_set_at(store.library_revision().await.unwrap()).await.unwrap();
    let alone = export_stored(&store, incident_id, None, ExportFormat::Html).await.unwrap();
    assert_eq!(alone, export_document(&TemplateSet::builtin(), &overrun, None, ExportFormat::Html).unwrap());
    assert!(!String::from_utf8(alone).unwrap().contains("作業予定時間"));

    store.link_maintenance_to_incident(maintenance_id, incident_id, at("2024-06-17T07:00:00+09:00"), "aiko").await.unwrap();
    let window = linked_window(&store, incident_id).await.unwrap().expect("the maintenance's window");
    assert_eq!((window.start, window.end), (at("2024-06-16T22:00:00+09:00"), Some(at("2024-06-17T06:00:00+09:00"))));
    let html = String::from_utf8(export_stored(&store, incident_id, None, ExportFormat::Html).await.unwrap()).unwrap();
    assert!(html.contains(">作業予定時間</text>") && html.contains("作業予定時間 2024/06/16 22:00〜2024/06/17 06:00"), "no window in the Japanese picture");
    assert!(html.contains(">Planned window</text>"), "no window in the English picture");
    // The preview's picture gets the same window.
    let last = overrun.updates.len() - 1;
    let picture = timeline_picture_of(&set, &overrun, last, Some(window)).unwrap();
    assert!(picture.en.svg.contains(">Planned window</text>"));
    assert!(picture.ja.alt.contains("作業予定時間 2024/06/16 22:00〜2024/06/17 06:00"), "{}", picture.ja.alt);
    // The maintenance itself has no maintenance to show besides its own window.
    assert_eq!(linked_window(&store, maintenance_id).await.unwrap(), None);
}
