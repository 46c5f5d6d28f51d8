//! A maintenance's window through the application layer, on a real SQLite
//! file, the built-in sandbox and a clock the test sets: the composer's form
//! read in the organisation's time zone, described in both languages and
//! checked; published with Statuspage's fields; past its end it overruns
//! (the list and the preview say so); extending it drafts an update with the
//! new end that reaches the page; turning it into an incident links the two
//! both ways, and the incident's postmortem timeline has the moment.

mod common;

use std::path::Path;

use chrono::{DateTime, Utc};
use desk_app::compose::{self, DraftEdit};
use desk_app::maintenance::{self, WindowForm};
use desk_app::{Desk, ErrorKind};
use desk_model::{AffectedComponent, Bilingual, ComponentStatus, Kind, Status, UpdateText};

async fn desk(dir: &Path) -> Desk {
    common::desk_at(dir, Some("aiko")).await
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn bilingual(ja: &str, en: &str) -> Bilingual<String> {
    Bilingual { ja: ja.into(), en: en.into() }
}

fn form(start: &str, end: &str) -> WindowForm {
    WindowForm {
        start: start.into(),
        end: end.into(),
        remind_before_minutes: Some(60),
        auto_in_progress: false,
        auto_completed: false,
        notify_at_start: true,
        notify_at_end: true,
    }
}

/// A maintenance drafted in the composer: title, component, what it affects, and its window.
async fn drafted(desk: &Desk, title: Bilingual<String>, start: &str, end: &str) -> u32 {
    let draft = compose::new_incident(desk, Kind::Maintenance).await.unwrap();
    let id = draft.incident_id;
    let stored = desk.store.load_incident(id as i64).await.unwrap();
    let mut incident = stored.to_incident();
    incident.components = vec![AffectedComponent { name: "Kumo Mail".into(), status: ComponentStatus::UnderMaintenance }];
    desk.store.save_incident_meta(id as i64, stored.version, &incident, "aiko").await.unwrap();
    let row = &stored.updates[0];
    let mut update = row.update.clone();
    // What it affects; the other sections the template offers are left out.
    update.ja = UpdateText { scope: "- Kumo Mailをご利用中のすべてのお客様".into(), symptoms: "- メンテナンス中はメールを送信できません".into(), ..Default::default() };
    update.en = UpdateText { scope: "- All Kumo Mail customers".into(), symptoms: "- Email cannot be sent during the maintenance".into(), ..Default::default() };
    // The title as the composer saves it: on the update.
    update.title = Some(title);
    let saved = desk.store.save_draft(row.id, row.version, &update, "aiko").await.unwrap();
    maintenance::save_window(desk, id, row.id as u32, saved.number as u32, form(start, end)).await.unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_is_set_checked_published_overruns_and_is_extended_or_turned_into_an_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = desk(tmp.path()).await;
    // A week before the work (the machine's clock is not consulted).
    desk.set_clock(Some(at("2030-12-03T10:00:00+09:00")));

    let id = drafted(&desk, bilingual("メール基盤の更新", "Mail platform renewal"), "2030-12-10T22:00", "2030-12-11T06:00").await;

    // The form as the composer shows it: local times, described in both languages, no findings.
    let shown = maintenance::maintenance_window(&desk, id).await.unwrap().unwrap();
    assert_eq!((shown.form.start.as_str(), shown.form.end.as_str()), ("2030-12-10T22:00", "2030-12-11T06:00"));
    assert_eq!((shown.zone.as_str(), shown.zone_abbreviation.as_str()), ("Asia/Tokyo", "JST"));
    assert_eq!(shown.described.ja, "メンテナンス予定: 2030/12/10 22:00〜12/11 06:00 (JST)、開始60分前にリマインド");
    assert_eq!(shown.described.en, "Scheduled maintenance: Dec 10, 2030 22:00 – Dec 11, 2030 06:00 JST; reminder 60 minutes before the start");
    assert!(shown.findings.is_empty(), "{:#?}", shown.findings);

    // Checking what is typed: Rust reads the times and finds what is wrong.
    let draft = compose::open_draft(&desk, id).await.unwrap().unwrap();
    let backwards = maintenance::check_window(&desk, id, Status::Scheduled, form("2030-12-10T22:00", "2030-12-10T21:00"), draft.body.clone()).await.unwrap();
    let codes: Vec<_> = backwards.findings.iter().map(|d| d.code()).collect();
    assert_eq!(codes[0], "maintenance.order", "{codes:?}");
    assert!(codes[1..].iter().all(|c| *c == "maintenance.period"), "the text still says 06:00: {codes:?}");
    let past = maintenance::check_window(&desk, id, Status::Scheduled, form("2030-12-01T22:00", "2030-12-02T06:00"), draft.body.clone()).await.unwrap();
    let codes: Vec<_> = past.findings.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"maintenance.past") && codes.contains(&"maintenance.period"), "{codes:?}");
    let unreadable = maintenance::check_window(&desk, id, Status::Scheduled, form("10 Dec 22:00", "2030-12-11T06:00"), draft.body.clone()).await.unwrap_err();
    assert_eq!((unreadable.kind, unreadable.field.as_deref()), (ErrorKind::Invalid, Some("maintenance.start")));

    // The preview states the window and the text's period is the window's.
    let preview = desk_app::incidents::preview_incident(&desk, id, None).await.unwrap();
    assert_eq!(preview.maintenance.window.as_ref().unwrap().ja, shown.described.ja);
    assert!(draft.body.ja.contains("2030/12/10 22:00〜2030/12/11 06:00"), "{}", draft.body.ja);
    assert!(preview.publish_blocked.is_none(), "{:?}", preview.diagnostics);

    // Published: the page has the window and the fields.
    let published = desk_app::publish::publish_update(&desk, id, None, None, false).await.unwrap();
    assert!(published.all_done, "{published:?}");
    let sandbox = desk.publishing.sandbox_server().unwrap();
    let on_page = |title: &str| sandbox.incidents("sandbox").into_iter().find(|i| i["name"].as_str().unwrap_or("").contains(title)).unwrap();
    let page = on_page("メール基盤の更新");
    assert_eq!(page["scheduled_until"], "2030-12-10T21:00:00.000Z");
    assert_eq!(page["scheduled_remind_prior"], true);
    assert_eq!(page["scheduled_auto_in_progress"], false);

    // Inside the window: no overrun. 45 minutes after its end: the list and the preview say so.
    desk.set_clock(Some(at("2030-12-11T01:00:00+09:00")));
    let row = |list: &[desk_app::incidents::IncidentSummary]| list.iter().find(|s| s.id == id).cloned().unwrap();
    assert!(row(&desk_app::incidents::list(&desk).await.unwrap()).overrun.is_none());
    desk.set_clock(Some(at("2030-12-11T06:45:00+09:00")));
    let overrun = row(&desk_app::incidents::list(&desk).await.unwrap()).overrun.expect("overruns");
    assert_eq!(overrun.minutes, 45);
    assert_eq!(overrun.message.ja, "メンテナンスの予定終了時刻 (2030/12/11 06:00) を45分過ぎていますが、完了していません。");
    assert_eq!(overrun.message.en, "This maintenance was planned to end at Dec 11, 2030 06:00 JST and is 45 min over, not completed.");
    assert!(desk_app::incidents::preview_incident(&desk, id, None).await.unwrap().maintenance.overrun.is_some());

    // Extend: a new in-progress update from the template with the new end.
    let wrong = maintenance::extend_window(&desk, id, "2030-12-11T05:00").await.unwrap_err();
    assert_eq!(wrong.field.as_deref(), Some("new_end"));
    let extension = maintenance::extend_window(&desk, id, "2030-12-11T09:00").await.unwrap();
    assert_eq!(extension.status, Status::InProgress);
    assert!(extension.body.ja.contains("2030/12/11 09:00"), "{}", extension.body.ja);
    let form_now = maintenance::maintenance_window(&desk, id).await.unwrap().unwrap();
    assert_eq!(form_now.form.end, "2030-12-11T09:00");
    let still = row(&desk_app::incidents::list(&desk).await.unwrap()).overrun.expect("until it is published");
    assert!(still.extension_drafted);
    let published = desk_app::publish::publish_update(&desk, id, None, None, false).await.unwrap();
    assert!(published.all_done, "{published:?}");
    assert_eq!(on_page("メール基盤の更新")["scheduled_until"], "2030-12-11T00:00:00.000Z");
    assert!(row(&desk_app::incidents::list(&desk).await.unwrap()).overrun.is_none(), "the new end is ahead");

    // Another maintenance overruns and turns into an incident.
    desk.set_clock(Some(at("2030-12-03T10:00:00+09:00")));
    let other = drafted(&desk, bilingual("検索基盤の更新", "Search platform renewal"), "2030-12-10T23:00", "2030-12-11T02:00").await;
    assert!(desk_app::publish::publish_update(&desk, other, None, None, false).await.unwrap().all_done);
    desk.set_clock(Some(at("2030-12-11T03:10:00+09:00")));
    let incident = maintenance::open_incident_from_maintenance(&desk, other).await.unwrap();
    assert_eq!(incident.status, Status::Investigating);
    let new_id = incident.incident_id;
    let stored = desk.store.load_incident(new_id as i64).await.unwrap();
    assert_eq!(stored.kind, Kind::Incident);
    assert_eq!(stored.title.ja, "検索基盤の更新");
    assert_eq!(stored.components, vec![AffectedComponent { name: "Kumo Mail".into(), status: ComponentStatus::MajorOutage }]);
    assert_eq!(stored.period.unwrap().start, at("2030-12-10T23:00:00+09:00"), "the window's start");

    // Linked both ways, in the list and the previews.
    let list = desk_app::incidents::list(&desk).await.unwrap();
    assert_eq!(row(&list).links.len(), 0);
    let m_row = list.iter().find(|s| s.id == other).unwrap();
    assert_eq!(m_row.links[0].incident_id, new_id);
    assert_eq!(m_row.links[0].label.ja, format!("障害 #{new_id} に切り替え (2030/12/11 03:10)"));
    assert_eq!(m_row.overrun.as_ref().unwrap().became_incident, Some(new_id));
    let i_row = list.iter().find(|s| s.id == new_id).unwrap();
    assert_eq!(i_row.links[0].incident_id, other);
    assert_eq!(i_row.links[0].label.en, format!("Opened from maintenance #{other} (Dec 11, 2030 03:10 JST)"));
    let preview = desk_app::incidents::preview_incident(&desk, new_id, None).await.unwrap();
    assert_eq!(preview.maintenance.links[0].relation, "from_maintenance");
    let again = maintenance::open_incident_from_maintenance(&desk, other).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::Refused);

    // The incident written and published, then resolved: its postmortem's timeline has the moment.
    let edit = DraftEdit {
        id: new_id,
        update_id: incident.update_id,
        version: incident.version,
        status: Status::Investigating,
        title: bilingual("検索基盤の更新後の障害", "Outage after the search platform renewal"),
        body: bilingual(
            "検索が利用できない障害が発生しております。\n\n■ 発生している現象\n- 検索結果が表示されません\n",
            "Search is unavailable.\n\n■ What is happening\n- Search returns no results\n",
        ),
        notify: None,
    };
    compose::save_draft(&desk, edit).await.unwrap();
    assert!(desk_app::publish::publish_update(&desk, new_id, None, None, false).await.unwrap().all_done);
    assert!(sandbox.incidents("sandbox").iter().any(|i| i["name"].as_str().unwrap_or("").contains("検索基盤の更新後の障害")));
    let postmortem = compose::start_update(&desk, new_id, Status::Postmortem).await.unwrap();
    let stored = desk.store.load_incident(new_id as i64).await.unwrap();
    let timeline = &stored.updates.iter().find(|u| u.id == postmortem.update_id as i64).unwrap().update.timeline;
    let turned = timeline.iter().find(|e| e.ja == "メンテナンスから障害に切り替え").expect("the link on the timeline");
    assert_eq!((turned.at, turned.en.as_str()), (at("2030-12-11T03:10:00+09:00"), "Maintenance turned into an incident"));
}
