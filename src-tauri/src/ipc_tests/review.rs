//! Review and approval: the approver's screen, the author's panel, emergency publishes.

use desk_app::Desk;

use super::{app_as, invoke};
use serde_json::{json, Value};

/// What the review commands answer in a fixed story on the samples, for
/// the UI's component tests: aiko writes the next update of the delivery
/// delay, ben sends revision 1 back with a comment on a passage, aiko
/// fixes it and asks again; aiko publishes another incident's next update
/// as an emergency. Answers as ben (the approver) and, for the draft, as
/// aiko. Times of review steps are fixed, so the recording is stable.
pub(crate) fn recording(dir: &std::path::Path) -> Value {
    use desk_app::review;
    use chrono::{Duration, TimeZone};
    use desk_model::Status;
    let (aiko, ben) = (ja_desk(dir, "aiko"), ja_desk(dir, "ben"));
    tauri::async_runtime::block_on(async {
        let delayed = find(&aiko, "Kumo Mail deliveries are delayed").await;
        let stored = aiko.store.load_incident(delayed).await.unwrap();
        let mut next = stored.updates.last().unwrap().update.clone();
        next.status = Status::Identified;
        let at = chrono::Utc.with_ymd_and_hms(2025, 7, 22, 6, 30, 0).unwrap();
        (next.created_at, next.published_at, next.next_update_at) = (Some(at), None, Some(at + Duration::hours(1)));
        next.ja.cause = "- 配信サーバーの一部で処理が滞っていました".into();
        next.en.cause = "- Some delivery servers were falling behind".into();
        let first = aiko.store.new_draft(delayed, &next, "aiko").await.unwrap();
        let update_id = first.update_id;
        aiko.store.request_review(update_id, 1).await.unwrap();
        let ja = desk_store::text::plain(&next.ja);
        let start = ja[..ja.find("処理が滞って").unwrap()].chars().count();
        let comment = desk_store::review::Comment::at("何の処理か具体的に書いてください", desk_store::review::Lang::Ja, start, start + 6);
        ben.store.request_changes(update_id, 1, &[comment]).await.unwrap();
        next.ja.cause = "- 配信サーバーの一部で送信待ちのメールの処理が滞っていました".into();
        aiko.store.save_draft(update_id, 1, &next, "aiko").await.unwrap();
        aiko.store.request_review(update_id, 2).await.unwrap();

        let webhooks = find(&aiko, "webhooks").await;
        let stored = aiko.store.load_incident(webhooks).await.unwrap();
        let mut urgent = stored.updates.last().unwrap().update.clone();
        urgent.created_at = Some(at);
        let draft = aiko.store.new_draft(webhooks, &urgent, "aiko").await.unwrap();
        aiko.store.publish_recorded(draft.update_id, 1, Some("夜間で承認者が不在のため"), at).await.unwrap();

        let queue = review::review_queue(&ben).await.unwrap();
        let item = review::review_item(&ben, update_id as u32).await.unwrap();
        let mut items = serde_json::Map::new();
        items.insert(update_id.to_string(), serde_json::to_value(item).unwrap());
        let emergencies = review::emergency_publishes(&ben).await.unwrap();
        let mut drafts = serde_json::Map::new();
        drafts.insert(delayed.to_string(), serde_json::to_value(review::draft_review(&aiko, delayed as u32).await.unwrap()).unwrap());
        // What aiko is told, in a team, when she publishes the draft nobody approved yet: the real refusal, in Japanese.
        aiko.store.set_emergency_policy(&[]).await.unwrap();
        let refused = desk_app::publish::publish_update(&aiko, delayed as u32, None, None, false).await.unwrap_err();
        let mut out = json!({
            "publish_refused": refused.in_lang(desk_model::Lang::Ja),
            "who_am_i": review::who_am_i(&ben).await.unwrap(),
            "review_queue": queue,
            "review_item": items,
            "emergency_publishes": emergencies,
            "draft_review": drafts,
        });
        fix_times(&mut out);
        out
    })
}

/// A draft that starts waiting for me is notified once per revision; my own are not.
#[test]
fn each_revision_waiting_for_my_approval_is_notified_once() {
    use desk_app::timeline::Notifier;
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (ja_desk(dir.path(), "aiko"), ja_desk(dir.path(), "ben"));
    let shown: Arc<Mutex<Vec<(String, String)>>> = Default::default();
    let record = shown.clone();
    let notifier = Notifier::new(move |t: &str, b: &str| {
        record.lock().unwrap().push((t.into(), b.into()));
        Ok(())
    });
    let count = || shown.lock().unwrap().len();
    tauri::async_runtime::block_on(async {
        let delayed = find(&aiko, "Kumo Mail deliveries are delayed").await;
        let mut next = aiko.store.load_incident(delayed).await.unwrap().updates.last().unwrap().update.clone();
        next.published_at = None;
        let draft = aiko.store.new_draft(delayed, &next, "aiko").await.unwrap();
        desk_app::review::notify_waiting(&ben, &notifier).await.unwrap();
        assert_eq!(count(), 0, "nothing was asked yet");
        aiko.store.request_review(draft.update_id, 1).await.unwrap();
        desk_app::review::notify_waiting(&aiko, &notifier).await.unwrap();
        assert_eq!(count(), 0, "not my own draft");
        desk_app::review::notify_waiting(&ben, &notifier).await.unwrap();
        desk_app::review::notify_waiting(&ben, &notifier).await.unwrap();
        assert_eq!(count(), 1, "once, however often the watcher looks");
        let (title, body) = shown.lock().unwrap()[0].clone();
        assert_eq!(title, "承認を待っている更新があります");
        assert!(body.contains("aiko") && body.contains("メール配信"), "{body}");
        next.ja.cause = "- 配信サーバーの一部で処理が滞っていました".into();
        aiko.store.save_draft(draft.update_id, 1, &next, "aiko").await.unwrap();
        aiko.store.request_review(draft.update_id, 2).await.unwrap();
        desk_app::review::notify_waiting(&ben, &notifier).await.unwrap();
        assert_eq!(count(), 2, "a new revision asks again");
    });
}

async fn find(state: &Desk, english_title: &str) -> i64 {
    for row in state.store.list(&desk_store::ListQuery { limit: 100, ..Default::default() }).await.unwrap() {
        if row.title.en.contains(english_title) {
            return row.id;
        }
    }
    panic!("no sample titled {english_title}")
}

/// Review steps are stamped with the time they happen: fixed for the recording.
fn fix_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "at" || k == "requested_at" {
                    *v = json!("2025-07-22T06:40:00.000000Z");
                } else {
                    fix_times(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_times),
        _ => {}
    }
}

type App = tauri::App<tauri::test::MockRuntime>;

/// A new incident by `app`'s person, its text filled in and saved: (id, update id, revision).
pub(super) fn written(app: &App, ja: &str, en: &str) -> (Value, Value, u64) {
    let draft = invoke(app, "new_incident", json!({ "kind": "incident" })).unwrap();
    let body = json!({
        "ja": draft["body"]["ja"].as_str().unwrap().replace("【要記入】", ja),
        "en": draft["body"]["en"].as_str().unwrap().replace("[TBD]", en),
    });
    let saved = invoke(app, "save_draft", json!({
        "id": draft["incident_id"], "updateId": draft["update_id"], "version": draft["version"],
        "status": "investigating", "title": { "ja": "ログイン障害", "en": "Sign-in failures" }, "body": body,
    }))
    .unwrap();
    (draft["incident_id"].clone(), draft["update_id"].clone(), saved["version"].as_u64().unwrap())
}

/// A new incident by `author`, approved by `approver`: its id.
pub(super) fn approved(author: &App, approver: &App) -> Value {
    let (id, update_id, rev) = written(author, "ログインできない", "sign-in fails");
    invoke(author, "request_review", json!({ "updateId": update_id, "revision": rev })).unwrap();
    invoke(approver, "approve_revision", json!({ "updateId": update_id, "revision": rev })).unwrap();
    id
}

fn edit(app: &App, id: &Value, update_id: &Value, version: u64, from: &str, to: &str) -> u64 {
    let draft = invoke(app, "open_draft", json!({ "id": id })).unwrap();
    let body = json!({ "ja": draft["body"]["ja"].as_str().unwrap().replace(from, to), "en": draft["body"]["en"] });
    let saved = invoke(app, "save_draft", json!({
        "id": id, "updateId": update_id, "version": version, "status": "investigating", "title": draft["title"], "body": body,
    }))
    .unwrap();
    saved["version"].as_u64().unwrap()
}

pub(super) fn message(e: Value) -> String {
    e["message"].as_str().unwrap_or_default().to_string()
}

/// A team on one machine's database: its policy is no longer the
/// single-person one, so four eyes are needed.
fn as_a_team(app: &App) {
    let store = tauri::Manager::state::<Desk>(app).store.clone();
    tauri::async_runtime::block_on(store.set_emergency_policy(&[])).unwrap();
}

#[test]
fn a_draft_is_published_only_on_someone_elses_approval_of_that_revision() {
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    assert_eq!(invoke(&aiko, "who_am_i", json!({})).unwrap(), json!({ "name": "aiko", "team_mode": false, "single_person": true }));
    as_a_team(&aiko);
    assert_eq!(invoke(&aiko, "who_am_i", json!({})).unwrap(), json!({ "name": "aiko", "team_mode": false, "single_person": false }));
    let (id, update_id, rev) = written(&aiko, "ログインできない", "Sign-in fails");

    // Not requested, not approved: the review gate refuses it.
    let refused = message(invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap_err());
    assert!(refused.contains("no approval by someone other than its author"), "{refused}");

    let asked = invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev })).unwrap();
    assert_eq!(asked["stage"], "requested");
    assert!(invoke(&aiko, "review_queue", json!({})).unwrap().as_array().unwrap().is_empty(), "not my own drafts");
    let queue = invoke(&ben, "review_queue", json!({})).unwrap();
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    assert_eq!((&queue[0]["update_id"], &queue[0]["author"]), (&update_id, &json!("aiko")));
    assert_eq!(queue[0]["title"]["ja"], "ログイン障害");
    let own = message(invoke(&aiko, "approve_revision", json!({ "updateId": update_id, "revision": rev })).unwrap_err());
    assert!(own.contains("self-approval refused"), "{own}");

    // What the approver sees: both languages rendered, the diff, the findings.
    let item = invoke(&ben, "review_item", json!({ "updateId": update_id })).unwrap();
    assert_eq!((item["can_decide"].clone(), item["stage"].clone()), (json!(true), json!("requested")));
    assert!(item["preview"]["ja"]["html"].as_str().unwrap().contains("ログインできない"));
    assert!(item["preview"]["en"]["html"].as_str().unwrap().contains("Sign-in fails"));
    assert!(item["against_published"]["ja"].as_array().unwrap().iter().all(|s| s["op"] == "insert"), "nothing published yet: all new");
    assert!(item["against_last_reviewed"].is_null());
    let ja = item["text"]["ja"].as_str().unwrap();
    let start = ja[..ja.find("ログインできない").unwrap()].chars().count();

    // Sent back with a comment on the passage.
    let comment = json!([{ "text": "「できない」より具体的に", "passage": { "lang": "ja", "start": start, "end": start + 8 } }]);
    let sent = invoke(&ben, "request_changes", json!({ "updateId": update_id, "revision": rev, "comments": comment })).unwrap();
    assert_eq!(sent["stage"], "changes_requested");
    let mine = invoke(&aiko, "draft_review", json!({ "id": id })).unwrap();
    assert_eq!(mine["changes_requested"]["comments"][0]["passage"]["quote"], "ログインできない");
    let empty = message(invoke(&ben, "request_changes", json!({ "updateId": update_id, "revision": rev, "comments": [] })).unwrap_err());
    assert!(empty.contains("at least one comment"), "{empty}");

    // The author fixes it and asks again; the approver sees what changed since.
    let rev2 = edit(&aiko, &id, &update_id, rev, "ログインできない", "ログイン画面でエラーが表示される");
    invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev2 })).unwrap();
    let item = invoke(&ben, "review_item", json!({ "updateId": update_id })).unwrap();
    assert_eq!(item["last_reviewed_revision"], rev);
    let since = &item["against_last_reviewed"]["ja"];
    assert!(since.as_array().unwrap().iter().any(|s| s["op"] == "insert" && s["text"].as_str().unwrap().contains("エラーが表示される")), "{since}");
    assert!(since.as_array().unwrap().iter().any(|s| s["op"] == "delete" && s["text"] == "きない"), "{since}");
    assert_eq!(invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev2 })).unwrap()["stage"], "approved");

    // An edit after approval voids it.
    let rev3 = edit(&aiko, &id, &update_id, rev2, "エラーが表示される", "エラーが表示され、ログインできない");
    let mine = invoke(&aiko, "draft_review", json!({ "id": id })).unwrap();
    assert_eq!((mine["stage"].clone(), mine["voided_approval"]["revision"].clone()), (json!("not_requested"), json!(rev2)));
    let refused = message(invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap_err());
    assert!(refused.contains(&format!("revision {rev3} has no approval")), "{refused}");

    // Approved again, exactly this revision: it goes out, once.
    invoke(&aiko, "request_review", json!({ "updateId": update_id, "revision": rev3 })).unwrap();
    let stale = message(invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev2 })).unwrap_err());
    assert!(stale.contains("not the current one"), "{stale}");
    invoke(&ben, "approve_revision", json!({ "updateId": update_id, "revision": rev3 })).unwrap();
    assert_eq!(invoke(&aiko, "draft_review", json!({ "id": id })).unwrap()["approved_by"], "ben");
    let out = invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap();
    assert_eq!(out["all_done"], true, "{out}");
    assert!(invoke(&aiko, "draft_review", json!({ "id": id })).unwrap().is_null(), "published: no draft left");
    assert!(invoke(&ben, "review_queue", json!({})).unwrap().as_array().unwrap().is_empty());
}

/// One person alone: the Publish button publishes a draft (no approval, no
/// reason typed); the plan says what goes where and who is notified; the
/// screen's summary speaks the UI's language, the engine's line goes to the
/// log; approvers of a later team see the publish flagged.
#[test]
fn single_person_mode_publishes_with_the_button_alone_and_approvers_see_it_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let (aiko, ben) = (app_as(dir.path(), "aiko"), app_as(dir.path(), "ben"));
    let (id, update_id, _) = written(&aiko, "ログインできない", "Sign-in fails");
    let plan = invoke(&aiko, "publish_plan", json!({ "id": id, "update": null })).unwrap();
    assert_eq!((plan["single_person"].clone(), plan["deliver_notifications"].clone()), (json!(true), json!(true)), "{plan}");
    assert_eq!(plan["target"]["sandbox"], true);
    assert!(plan["title"]["ja"].as_str().unwrap().contains("ログイン障害"), "{plan}");
    assert_eq!(plan["published"], json!([]));
    let out = invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap();
    assert_eq!(out["all_done"], true, "{out}");
    assert_eq!(out["pages"][0]["summary"]["en"], "Published to the sandbox.");
    assert!(out["pages"][0]["technical"].as_str().unwrap().contains("published incident"), "{out}");
    // Published: the plan says where and when, and a second click sends nothing.
    let plan = invoke(&aiko, "publish_plan", json!({ "id": id, "update": null })).unwrap();
    assert!(plan["published"][0]["url"].as_str().unwrap().starts_with("http://127.0.0.1:"), "{plan}");
    let again = invoke(&aiko, "publish_update", json!({ "id": id, "update": null })).unwrap();
    assert_eq!(again["pages"][0]["already"], true, "{again}");
    // An explicit emergency publish still needs its reason.
    let (second, _, _) = written(&aiko, "遅延", "Delays");
    let blank = message(invoke(&aiko, "publish_emergency", json!({ "id": second, "update": null, "reason": "  " })).unwrap_err());
    assert!(blank.contains("needs a reason"), "{blank}");
    let flagged = invoke(&ben, "emergency_publishes", json!({})).unwrap();
    assert_eq!(flagged[0]["update_id"], update_id);
    assert_eq!(flagged[0]["actor"], "aiko");
    assert!(flagged[0]["emergency_reason"].as_str().unwrap().contains("single-person mode"), "{flagged}");
}

#[test]
fn the_live_preview_keeps_the_incident_between_keystrokes_yet_shows_a_publish_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let aiko = app_as(dir.path(), "aiko");
    let (id, _, _) = written(&aiko, "ログインできない", "Sign-in fails");
    let draft = invoke(&aiko, "open_draft", json!({ "id": id })).unwrap();
    let typed = || invoke(&aiko, "preview_draft", json!({ "id": id, "status": "investigating", "title": draft["title"], "body": draft["body"], "pages": "all" })).unwrap();
    assert_eq!(typed()["timeline"][0]["published"], false);
    assert_eq!(typed()["timeline"][0]["published"], false, "the second keystroke uses the kept incident");
    invoke(&aiko, "publish_emergency", json!({ "id": id, "update": null, "reason": "夜間で承認者不在" })).unwrap();
    assert_eq!(typed()["timeline"][0]["published"], true, "the publish shows at once, not when the kept copy expires");
}

/// A person's context with the UI in Japanese, the app's default: what the recording shows.
fn ja_desk(dir: &std::path::Path, who: &str) -> Desk {
    super::desk_with(dir, super::Setup { lang: desk_model::Lang::Ja, ..super::Setup::new(who) })
}
