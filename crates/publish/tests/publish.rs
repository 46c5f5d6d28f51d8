//! The engine against the sandbox: a whole incident lifecycle, re-runs,
//! bilingual two-page publishing with a failing page, components.

mod common;

use std::sync::Arc;

use common::*;
use desk_model::Status;
use desk_publish::{Action, MemoryLog, PageResult, PublishGate, PublishJob, PublishError};

#[tokio::test]
async fn a_lifecycle_on_one_page_publishes_each_update_once() {
    let sb = sandbox(None).await;
    let log = Arc::new(MemoryLog::default());
    let (engine, seen) = engine(client_config(sb.api_base()), log.clone(), fast_options());

    let steps = [
        (Status::Investigating, "調査中です / Investigating"),
        (Status::Identified, "原因が分かりました / Identified"),
        (Status::Resolved, "解決しました / Resolved"),
    ];
    let mut incident_id = String::new();
    for (i, (status, body)) in steps.iter().enumerate() {
        let report = engine.publish(&job("inc-1", i, *status, combined("sandbox", "API 障害 / API outage", body))).await.unwrap();
        let page = &report.pages[0];
        assert_eq!(page.action, if i == 0 { Action::Create } else { Action::Update });
        let PageResult::Published { incident_id: id, url, recovered: false } = &page.result else { panic!("{page}") };
        assert!(url.contains(id.as_str()));
        if i == 0 {
            incident_id = id.clone();
            let api = sb.components("sandbox").into_iter().find(|c| c["name"] == "API").unwrap();
            assert_eq!(api["status"], "partial_outage");
        }
        assert_eq!(*id, incident_id);
    }
    let incidents = sb.incidents("sandbox");
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0]["incident_updates"].as_array().unwrap().len(), 3);
    assert_eq!(incidents[0]["status"], "resolved");
    let api = sb.components("sandbox").into_iter().find(|c| c["name"] == "API").unwrap();
    assert_eq!(api["status"], "operational", "restored on resolve");

    // The postmortem goes to the same incident.
    let report = engine.publish(&job("inc-1", 3, Status::Postmortem, combined("sandbox", "t", "## 事後報告\n詳細"))).await.unwrap();
    assert_eq!(report.pages[0].action, Action::Postmortem);
    assert!(report.pages[0].result.is_done(), "{}", report.pages[0]);
    assert_eq!(sb.incidents("sandbox")[0]["postmortem_body"], "## 事後報告\n詳細");

    // Running any of them again sends nothing and says where it went.
    let before = seen.lock().unwrap().len();
    let report = engine.publish(&job("inc-1", 1, Status::Identified, combined("sandbox", "x", "y"))).await.unwrap();
    let PageResult::AlreadyPublished { incident_id: id, .. } = &report.pages[0].result else { panic!() };
    assert_eq!(*id, incident_id);
    assert!(report.pages[0].to_string().contains("already published"));
    assert_eq!(seen.lock().unwrap().len(), before, "nothing sent");

    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}

#[tokio::test]
async fn two_pages_are_linked_and_a_failed_page_is_retried_alone() {
    let sb = sandbox(None).await;
    let log = Arc::new(MemoryLog::default());
    let (engine, seen) = engine(client_config(sb.api_base()), log.clone(), fast_options());

    let mut first = job("inc-2", 0, Status::Investigating, split("遅延", "本文"));
    first.pages[1].body = "x".repeat(25_001); // the English page will be refused
    let report = engine.publish(&first).await.unwrap();
    assert!(report.pages[0].result.is_done());
    assert!(matches!(report.pages[1].result, PageResult::Failed { .. }), "{}", report.pages[1]);
    assert!(report.pages[1].to_string().starts_with("sandbox-en (en): NOT published"));
    assert!(sb.incidents("sandbox-en").is_empty());

    // Fixed and retried: only the English page is sent.
    let fixed = job("inc-2", 0, Status::Investigating, split("遅延", "本文"));
    let report = engine.publish(&fixed).await.unwrap();
    assert!(matches!(report.pages[0].result, PageResult::AlreadyPublished { .. }));
    assert!(matches!(report.pages[1].result, PageResult::Published { .. }));
    let ja = &sb.incidents("sandbox-ja")[0];
    let en = &sb.incidents("sandbox-en")[0];
    assert_eq!(en["metadata"]["incident_desk"]["twin_incident_id"], ja["id"]);
    assert_eq!(ja["metadata"]["incident_desk"]["twin_incident_id"], en["id"], "linked back on the retry");
    assert_eq!(ja["incident_updates"].as_array().unwrap().len(), 1, "linking publishes no update");
    assert_eq!(en["metadata"]["incident_desk"]["lang"], "en");

    // Both pages fresh: the second links back to the first.
    let report = engine.publish(&job("inc-3", 0, Status::Investigating, split("停止", "本文"))).await.unwrap();
    assert!(report.all_done(), "{report:?}");
    let ja = sb.incidents("sandbox-ja").into_iter().find(|i| i["name"] == "停止（日本語）").unwrap();
    let en = sb.incidents("sandbox-en").into_iter().find(|i| i["name"] == "停止 (English)").unwrap();
    assert_eq!(ja["metadata"]["incident_desk"]["twin_incident_id"], en["id"]);
    assert_eq!(en["metadata"]["incident_desk"]["twin_incident_id"], ja["id"]);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    // Next update goes to each page's own incident.
    let report = engine.publish(&job("inc-3", 1, Status::Monitoring, split("停止", "監視中"))).await.unwrap();
    assert!(report.all_done());
    assert_eq!(report.pages[0].result.incident().unwrap().0, ja["id"].as_str().unwrap());
    assert_eq!(report.pages[1].result.incident().unwrap().0, en["id"].as_str().unwrap());

    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_components_and_gates_stop_before_anything_is_published() {
    let sb = sandbox(None).await;
    let (engine, seen) = engine(client_config(sb.api_base()), Arc::new(MemoryLog::default()), fast_options());
    let mut j = job("inc-4", 0, Status::Investigating, combined("sandbox", "t", "b"));
    j.components[0].name = "Billing".into();
    let report = engine.publish(&j).await.unwrap();
    let PageResult::Failed { reason } = &report.pages[0].result else { panic!() };
    assert!(reason.contains("Billing") && reason.contains("API"), "{reason}");
    assert!(sb.incidents("sandbox").is_empty());

    struct Lint;
    impl PublishGate for Lint {
        fn problems(&self, _job: &PublishJob) -> Vec<String> {
            vec!["line 3: 発生している in a resolved update".into()]
        }
    }
    let engine = engine.with_gate(Arc::new(Lint));
    let err = engine.publish(&job("inc-5", 0, Status::Investigating, combined("sandbox", "t", "b"))).await.unwrap_err();
    assert!(matches!(err, PublishError::Blocked(_)));
    assert!(err.to_string().contains("line 3"));
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}

#[tokio::test]
async fn dry_run_plans_the_exact_requests_without_sending() {
    let sb = sandbox(None).await;
    let (engine, seen) = engine(client_config(sb.api_base()), Arc::new(MemoryLog::default()), fast_options());
    let plan = engine.plan(&job("inc-6", 0, Status::Investigating, combined("sandbox", "t", "b"))).await.unwrap();
    assert_eq!(plan.len(), 1);
    let text = plan[0].render(&sb.api_base());
    assert!(text.starts_with("POST http://"), "{text}");
    assert!(text.contains("OAuth [redacted]") && !text.contains(KEY));
    assert!(text.contains("<id of API>"));
    assert!(seen.lock().unwrap().is_empty());
    assert!(sb.incidents("sandbox").is_empty());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_publish_interrupted_after_sending_is_found_not_repeated() {
    use desk_publish::{publish_id, PublishLog, PublishRecord, RecordState, METADATA_KEY};
    use desk_statuspage::{ApiKey, Client, IncidentFields};

    let sb = sandbox(None).await;
    let log = Arc::new(MemoryLog::default());
    let id = publish_id("inc-7", 0, "sandbox");
    // A previous run recorded its intent, sent the create, and died before
    // hearing the answer.
    log.record(&PublishRecord {
        publish_id: id.clone(),
        incident_key: "inc-7".into(),
        update_index: 0,
        page_id: "sandbox".into(),
        lang: None,
        action: Action::Create,
        state: RecordState::Unknown,
        remote_incident_id: None,
        remote_update_id: None,
        url: None,
        message: None,
        at: "2025-01-01T00:00:00Z".into(),
    })
    .await
    .unwrap();
    let other = Client::new(client_config(sb.api_base()), ApiKey::new(KEY).unwrap()).unwrap();
    let sent = other
        .create_incident("sandbox", &IncidentFields {
            name: Some("t".into()),
            body: Some("b".into()),
            metadata: Some(serde_json::json!({ METADATA_KEY: { "publish_id": id, "incident_ref": desk_publish::incident_ref("inc-7") } })),
            ..Default::default()
        })
        .await
        .unwrap();

    let (engine, seen) = engine(client_config(sb.api_base()), log.clone(), fast_options());
    let report = engine.publish(&job("inc-7", 0, Status::Investigating, combined("sandbox", "t", "b"))).await.unwrap();
    let PageResult::Published { incident_id, recovered: true, .. } = &report.pages[0].result else { panic!("{}", report.pages[0]) };
    assert_eq!(*incident_id, sent.id);
    assert_eq!(sb.incidents("sandbox").len(), 1, "not created twice");
    assert!(seen.lock().unwrap().iter().all(|r| r.method == desk_statuspage::Method::Get), "only looked");

    // Pending with nothing on the page: sent now, once.
    let pending = PublishRecord {
        publish_id: publish_id("inc-8", 0, "sandbox"),
        incident_key: "inc-8".into(),
        state: RecordState::Unknown,
        remote_incident_id: None,
        ..log.get(&id).await.unwrap().unwrap()
    };
    log.record(&pending).await.unwrap();
    let report = engine.publish(&job("inc-8", 0, Status::Investigating, combined("sandbox", "t8", "b8"))).await.unwrap();
    assert!(matches!(report.pages[0].result, PageResult::Published { recovered: false, .. }), "{}", report.pages[0]);
    assert_eq!(sb.incidents("sandbox").len(), 2);
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_maintenance_is_scheduled_then_carried_out() {
    use desk_model::{ComponentStatus, Kind};
    let sb = sandbox(None).await;
    let (engine, seen) = engine(client_config(sb.api_base()), Arc::new(MemoryLog::default()), fast_options());
    let window = |mut j: desk_publish::PublishJob| {
        j.kind = Kind::Maintenance;
        j.scheduled_for = Some("2030-05-01T01:00:00Z".parse().unwrap());
        j.scheduled_until = Some("2030-05-01T03:00:00Z".parse().unwrap());
        j.components[0].status = ComponentStatus::UnderMaintenance;
        j
    };
    let steps = [(Status::Scheduled, "予定"), (Status::InProgress, "実施中"), (Status::Completed, "完了")];
    for (i, (status, body)) in steps.into_iter().enumerate() {
        let report = engine.publish(&window(job("mnt-1", i, status, combined("sandbox", "メンテナンス", body)))).await.unwrap();
        assert!(report.all_done(), "{report:?}");
        let inc = &sb.incidents("sandbox")[0];
        assert_eq!(inc["status"], status.statuspage_status());
        assert_eq!(inc["scheduled_until"], "2030-05-01T03:00:00.000Z");
        assert_eq!(inc["impact"], "maintenance");
        let api = sb.components("sandbox").into_iter().find(|c| c["name"] == "API").unwrap();
        let want = if status == Status::Completed { "operational" } else { "under_maintenance" };
        assert_eq!(api["status"], want, "{status}");
    }
    assert_eq!(sb.incidents("sandbox").len(), 1);
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}

#[tokio::test]
async fn a_maintenance_window_and_its_automatic_steps_reach_the_page_and_an_extension_moves_the_end() {
    use desk_model::{ComponentStatus, Kind, MaintenanceWindow};
    let sb = sandbox(None).await;
    let (engine, seen) = engine(client_config(sb.api_base()), Arc::new(MemoryLog::default()), fast_options());
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
    let planned = MaintenanceWindow {
        start: at("2030-05-01T22:00:00+09:00"),
        end: at("2030-05-02T06:00:00+09:00"),
        remind_before_minutes: Some(60),
        auto_in_progress: true,
        auto_completed: false,
        notify_at_start: false,
        notify_at_end: true,
    };
    let with = |mut j: PublishJob, w: MaintenanceWindow| {
        j.kind = Kind::Maintenance;
        j.scheduled_for = Some(w.start);
        j.scheduled_until = Some(w.end);
        j.maintenance = Some(w);
        j.components[0].status = ComponentStatus::UnderMaintenance;
        j
    };
    let report = engine.publish(&with(job("mnt-2", 0, Status::Scheduled, combined("sandbox", "更新作業", "予定")), planned)).await.unwrap();
    assert!(report.all_done(), "{report:?}");

    // Exactly the API's fields went out…
    let sent = seen.lock().unwrap().iter().rev().find_map(|r| r.body.clone()).unwrap();
    let fields = &sent["incident"];
    assert_eq!(fields["scheduled_for"], "2030-05-01T13:00:00Z");
    assert_eq!(fields["scheduled_until"], "2030-05-01T21:00:00Z");
    for (flag, want) in [
        ("scheduled_remind_prior", true),
        ("scheduled_auto_in_progress", true),
        ("auto_transition_to_maintenance_state", true),
        ("scheduled_auto_completed", false),
        ("auto_transition_to_operational_state", false),
        ("auto_transition_deliver_notifications_at_start", false),
        ("auto_transition_deliver_notifications_at_end", true),
    ] {
        assert_eq!(fields[flag], want, "{flag} sent");
    }
    // …and the page keeps them.
    let inc = &sb.incidents("sandbox")[0];
    assert_eq!(inc["scheduled_until"], "2030-05-01T21:00:00.000Z");
    assert_eq!(inc["scheduled_remind_prior"], true);
    assert_eq!(inc["scheduled_auto_in_progress"], true);
    assert_eq!(inc["scheduled_auto_completed"], false);
    assert_eq!(inc["auto_transition_deliver_notifications_at_start"], false);

    // The work runs long: an in-progress update extends the window to 09:00.
    let longer = MaintenanceWindow { auto_completed: true, ..planned.extended_to(at("2030-05-02T09:00:00+09:00")) };
    let report = engine.publish(&with(job("mnt-2", 1, Status::InProgress, combined("sandbox", "更新作業", "延長")), longer)).await.unwrap();
    assert!(report.all_done(), "{report:?}");
    let incidents = sb.incidents("sandbox");
    assert_eq!(incidents.len(), 1, "the same maintenance");
    assert_eq!(incidents[0]["scheduled_until"], "2030-05-02T00:00:00.000Z");
    assert_eq!(incidents[0]["scheduled_auto_completed"], true);
    assert_eq!(incidents[0]["incident_updates"].as_array().unwrap().len(), 2);
    desk_statuspage::OpenApi::assert_all_valid(&seen.lock().unwrap());
    sb.shutdown().await;
}
