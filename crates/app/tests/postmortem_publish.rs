//! Publishing a postmortem, on a real SQLite file and the sandbox over HTTP,
//! in both page modes: the overrun renewal's postmortem (the fixture) is
//! drafted on an incident already on the page, its author chooses its
//! notifications, another person approves it, and it goes out once — one
//! `PUT …/postmortem` with the body and one `PUT …/postmortem/publish` with
//! the chosen flags per page. A second machine on the same database sends
//! nothing. An approval given for one choice of flags does not publish
//! another.

use std::path::PathBuf;

use desk_app::approval::approve_covering;
use desk_app::postmortem::{choose_notifications, notifications, PostmortemNotifications};
use desk_app::publish::{publish, Publisher, Source};
use desk_app::publishing::Target;
use desk_model::{Incident, IncidentDocument, Status};
use desk_publish::job::Pages;
use desk_publish::{PageResult, PublishSettings, SandboxReason};
use desk_sandbox::{ApiCall, PageSeed, Sandbox, SandboxConfig};
use desk_statuspage::{ApiKey, Client, ClientConfig};
use desk_store::{ListQuery, NewIncident, Store};
use desk_templates::TemplateSet;

fn fixture() -> Incident {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/incidents/window-overrun-postmortem.toml");
    IncidentDocument::read(&path).unwrap()
}

/// One machine: its own connection to the shared database, as `who`, and
/// its own client and publishing target.
struct Machine {
    store: Store,
    target: Target,
    templates: TemplateSet,
    lint: desk_lint::Config,
}

impl Machine {
    async fn open(db: &str, who: &str, sandbox: &Sandbox, pages: &Pages) -> Machine {
        let store = Store::open(db).await.unwrap().acting_as(who).unwrap();
        let client = Client::new(ClientConfig { min_interval: std::time::Duration::ZERO, ..ClientConfig::new(sandbox.api_base()) }, ApiKey::new("local-sandbox").unwrap()).unwrap();
        let target = Target::new(&store, client, pages.clone(), PublishSettings::default(), Some(SandboxReason::Chosen), String::new())
            .with_options(desk_publish::EngineOptions { settle: std::time::Duration::from_millis(50), ..Default::default() });
        let templates = store.template_set().await.unwrap();
        let lint = desk_app::settings::lint_config(&store, matches!(pages, Pages::Combined(_))).await.unwrap();
        Machine { store, target, templates, lint }
    }

    fn publisher(&self) -> Publisher<'_> {
        Publisher { templates: &self.templates, lint: &self.lint, target: &self.target }
    }
}

fn postmortem_calls(sandbox: &Sandbox) -> Vec<ApiCall> {
    sandbox.calls().into_iter().filter(|c| c.method == "PUT" && c.path.contains("/postmortem")).collect()
}

async fn publishes_once(pages: Pages) {
    let tmp = tempfile::tempdir().unwrap();
    let mut seeds = PageSeed::defaults();
    for page in &mut seeds {
        page.components.push("Kumo Tasks".into());
    }
    let sandbox = Sandbox::start(SandboxConfig { pages: seeds, rate_limit_interval: std::time::Duration::ZERO, ..Default::default() }).await.unwrap();
    let db = tmp.path().join("team.db");
    let db = db.to_str().unwrap();
    let a = Machine::open(db, "aiko", &sandbox, &pages).await;
    desk_app::desk::prepare(&a.store).await.unwrap();

    // The incident as it was told on the page: its three updates, then the
    // postmortem as a new draft.
    let mut history = fixture();
    let mut postmortem = history.updates.pop().unwrap();
    assert_eq!(postmortem.status, Status::Postmortem);
    assert!(!postmortem.timeline.is_empty());
    let title = history.title.ja.clone();
    // (The samples hold the whole fixture, published; this copy stops before its postmortem.)
    let copy = NewIncident { incident: history, source: "sample".into(), external_id: Some("overrun-told".into()), opened_at: None };
    a.store.import(&[copy], "aiko").await.unwrap();
    let mut id = None;
    for found in a.store.load_incidents(&ListQuery::default()).await.unwrap().into_iter().filter(|s| s.title.ja == title) {
        if a.store.load_incident(found.id).await.unwrap().updates.len() == 3 {
            id = Some(found.id);
        }
    }
    let id = id.expect("the imported copy");
    for index in 0..3 {
        let out = publish(&a.publisher(), Source::Stored { store: &a.store, id }, Some(index), None, false, false).await.unwrap();
        assert!(out.report.all_done(), "update {index}: {:?}", out.report);
    }
    assert!(postmortem_calls(&sandbox).is_empty());

    postmortem.created_at = None;
    postmortem.published_at = None;
    let draft = a.store.new_draft(id, &postmortem, "aiko").await.unwrap();
    let uid = draft.update_id as u32;
    // First the author asks for Twitter too, and that is approved.
    let tweet = PostmortemNotifications { subscribers: Some(true), twitter: true };
    let v = choose_notifications(&a.store, "aiko", uid, draft.number as u32, tweet).await.unwrap().version;
    assert_eq!(notifications(&a.store, uid).await.unwrap(), tweet);
    a.store.request_review(uid as i64, v as i64).await.unwrap();
    let k = Machine::open(db, "ken", &sandbox, &pages).await;
    let approval = approve_covering(&k.store, &k.publisher(), uid as i64, v as i64).await.unwrap();
    let approved = k.store.approved_request(approval.id).await.unwrap().unwrap().request;
    assert_eq!((approved["deliver_notifications"].as_bool(), approved["notify_twitter"].as_bool()), (Some(true), Some(true)));

    // Then she takes Twitter off: that revision is not approved, and nothing goes out.
    let quiet = PostmortemNotifications { subscribers: Some(true), twitter: false };
    let v = choose_notifications(&a.store, "aiko", uid, v, quiet).await.unwrap().version;
    let refused = publish(&a.publisher(), Source::Stored { store: &a.store, id }, None, None, false, false).await;
    assert!(refused.is_err(), "published on the approval of another choice: {:?}", refused.ok().map(|p| p.report));
    assert!(postmortem_calls(&sandbox).is_empty(), "nothing sent without an approval of this choice");
    a.store.request_review(uid as i64, v as i64).await.unwrap();
    let approval = approve_covering(&k.store, &k.publisher(), uid as i64, v as i64).await.unwrap();
    let approved = k.store.approved_request(approval.id).await.unwrap().unwrap().request;
    assert_eq!((approved["deliver_notifications"].as_bool(), approved["notify_twitter"].as_bool()), (Some(true), Some(false)));

    // Published from Aiko's machine, then again from Ken's: once.
    let out = publish(&a.publisher(), Source::Stored { store: &a.store, id }, None, None, false, false).await.unwrap();
    assert!(out.report.pages.iter().all(|p| matches!(p.result, PageResult::Published { .. })), "{:?}", out.report);
    let again = publish(&k.publisher(), Source::Stored { store: &k.store, id }, None, None, false, false).await.unwrap();
    assert!(again.report.pages.iter().all(|p| matches!(p.result, PageResult::AlreadyPublished { .. })), "{:?}", again.report);

    let page_ids: Vec<String> = match &pages {
        Pages::Combined(p) => vec![p.clone()],
        Pages::Split { ja, en } => vec![ja.clone(), en.clone()],
    };
    let calls = postmortem_calls(&sandbox);
    for page in &page_ids {
        let on = |tail: &str| calls.iter().filter(|c| c.path.starts_with(&format!("/pages/{page}/")) && c.path.ends_with(tail)).collect::<Vec<_>>();
        let drafts = on("/postmortem");
        let publishes = on("/postmortem/publish");
        assert_eq!((drafts.len(), publishes.len()), (1, 1), "{page}: {calls:#?}");
        assert_eq!(
            publishes[0].body.as_ref().unwrap()["postmortem"],
            serde_json::json!({ "notify_subscribers": true, "notify_twitter": false }),
            "{page}"
        );
        let incidents = sandbox.incidents(page);
        assert_eq!(incidents.len(), 1, "{page}: one incident");
        let shown = &incidents[0];
        assert_eq!((shown["postmortem_notify_subscribers"].as_bool(), shown["postmortem_notify_twitter"].as_bool()), (Some(true), Some(false)));
        let body = shown["postmortem_body"].as_str().unwrap();
        let ja = body.contains("■ 経緯\n≫2024年6月16日(日)\n22:00頃: 刷新作業を始めるため") && body.contains("≫2024年6月18日(火)\n01:40: 刷新前のバージョンへの切り戻しを終え");
        let en = body.contains("■ Timeline\nSunday, June 16, 2024 (JST)\n22:00 (approx.): Switched the service to maintenance mode")
            && body.contains("Tuesday, June 18, 2024 (JST)\n01:40: Finished returning to the previous version");
        let ja_comp = body.contains("■ 補償について\n- 対象: ") && body.contains("- 対象期間: 2024/06/01〜2024/07/31");
        let en_comp = body.contains("■ Compensation\n- Who: ") && body.contains("- Period: Jun 1, 2024 – Jul 31, 2024");
        let expected = match (&pages, page.ends_with("-en")) {
            (Pages::Combined(_), _) => (true, true),
            (_, false) => (true, false),
            (_, true) => (false, true),
        };
        assert_eq!((ja, en), expected, "{page}: the timelines in {body}");
        assert_eq!((ja_comp, en_comp), expected, "{page}: the compensation in {body}");
    }
    assert_eq!(sandbox.request_violations(), Vec::<String>::new());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postmortem_is_published_once_with_the_chosen_notifications_on_one_bilingual_page() {
    publishes_once(Pages::Combined("sandbox".into())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postmortem_is_published_once_with_the_chosen_notifications_on_the_japanese_and_english_pages() {
    publishes_once(Pages::Split { ja: "sandbox-ja".into(), en: "sandbox-en".into() }).await;
}
