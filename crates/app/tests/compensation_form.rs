//! A postmortem's compensation as a form, through the application layer on
//! a real SQLite file: saving offers with the draft's text (the body's
//! compensation section follows in both languages), a hand edit inside the
//! section replaced and said, a period ending before it starts refused
//! naming the field and nothing saved, and every revision keeping its offers.

mod common;

use std::path::Path;

use desk_app::compensation_form::{self, CompensationOffer};
use desk_app::compose::{self, DraftEdit};
use desk_app::{Desk, ErrorKind};
use desk_model::{Bilingual, Status};

async fn desk(dir: &Path) -> Desk {
    common::desk_at(dir, None).await
}

fn b(ja: &str, en: &str) -> Bilingual<String> {
    Bilingual { ja: ja.into(), en: en.into() }
}

fn offer(start: &str, end: &str) -> CompensationOffer {
    CompensationOffer {
        who: b("有料プランをご契約のお客様", "Customers on a paid plan"),
        what: b("3月分のご利用料金を無料", "March free of charge"),
        start: start.into(),
        end: end.into(),
        how: b("請求書で自動的に差し引きます", "Deducted on your invoice"),
        from: "2025-04-01".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offers_own_the_compensation_section_and_every_revision_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path()).await;
    let list = desk_app::incidents::list(&desk).await.unwrap();
    let id = list.iter().find(|i| i.title.en.contains("Sign-in to Kumo Mail")).expect("the sign-in sample").id;
    let draft = compose::start_update(&desk, id, Status::Postmortem).await.unwrap();
    assert_eq!(compensation_form::open_compensation(&desk, id).await.unwrap(), Some(vec![]), "a postmortem starts without offers");
    assert!(!draft.body.ja.contains("■ 補償について"));

    let edit = |version: u32, body: Bilingual<String>| DraftEdit {
        id,
        update_id: draft.update_id,
        version,
        status: Status::Postmortem,
        title: draft.title.clone(),
        body,
        notify: None,
    };
    let offers = vec![offer("2025-03-01", "2025-03-31")];
    let saved = compensation_form::save_compensation(&desk, edit(draft.version, draft.body.clone()), offers.clone()).await.unwrap();
    assert!(saved.replaced.is_none());
    assert!(
        saved.body.ja.contains("■ 補償について\n- 対象: 有料プランをご契約のお客様\n- 内容: 3月分のご利用料金を無料\n- 対象期間: 2025/03/01〜2025/03/31\n- 方法: 請求書で自動的に差し引きます（2025/04/01から）"),
        "{}",
        saved.body.ja
    );
    assert!(
        saved.body.en.contains("■ Compensation\n- Who: Customers on a paid plan\n- What: March free of charge\n- Period: Mar 1, 2025 – Mar 31, 2025\n- How: Deducted on your invoice (from Apr 1, 2025)"),
        "{}",
        saved.body.en
    );
    let opened = compose::open_draft(&desk, id).await.unwrap().unwrap();
    assert_eq!(opened.body, saved.body);
    assert_eq!(compensation_form::open_compensation(&desk, id).await.unwrap().unwrap(), offers);

    // A second offer: both sections follow; a hand edit there is replaced and said.
    let mut two = offers.clone();
    two.push(CompensationOffer { how: b("", ""), from: String::new(), ..offer("2025-04-01", "2025-04-30") });
    let typed = Bilingual { ja: saved.body.ja.clone(), en: saved.body.en.replace("March free of charge", "Two months free") };
    let again = compensation_form::save_compensation(&desk, edit(saved.version, typed), two.clone()).await.unwrap();
    assert!(again.body.en.contains("- What: March free of charge\n- Period: Mar 1, 2025 – Mar 31, 2025\n- How: Deducted on your invoice (from Apr 1, 2025)\n\n- Who: Customers on a paid plan"), "{}", again.body.en);
    assert!(again.body.ja.contains("- 対象期間: 2025/04/01〜2025/04/30"), "{}", again.body.ja);
    let note = again.replaced.expect("the replacement is said");
    assert!(note.en.contains("English compensation section") && note.ja.contains("英語の補償"), "{note:?}");

    // A period ending before it starts: refused naming the offer and field; nothing saved.
    let mut backwards = two.clone();
    backwards[1].end = "2025-03-15".into();
    let e = compensation_form::save_compensation(&desk, edit(again.version, again.body.clone()), backwards).await.unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("compensation.1.end")));
    assert!(e.message.ja.starts_with("補償2件目: 対象期間の終わり") && e.message.en.starts_with("offer 2: the period ends"), "{:?}", e.message);
    assert_eq!(compose::open_draft(&desk, id).await.unwrap().unwrap().version, again.version, "nothing saved");

    // Every revision keeps its own offers.
    let mut counts = Vec::new();
    for r in desk.store.revisions(draft.update_id as i64).await.unwrap() {
        counts.push(desk.store.revision(draft.update_id as i64, r.number).await.unwrap().compensation.len());
    }
    counts.sort();
    assert_eq!(counts, [0, 1, 2]);
    let first = desk.store.revision(draft.update_id as i64, saved.version as i64).await.unwrap();
    assert_eq!(first.compensation[0].period.end.to_string(), "2025-03-31");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_is_not_a_postmortem_has_no_form() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path()).await;
    let draft = compose::new_incident(&desk, desk_model::Kind::Incident).await.unwrap();
    assert!(compensation_form::open_compensation(&desk, draft.incident_id).await.unwrap().is_none());
}
