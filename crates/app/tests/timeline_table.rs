//! A postmortem's timeline as a table, through the application layer on a
//! real SQLite file: the prefilled rows, saving an added and reordered row
//! with the draft's text (the body's timeline section follows in both
//! languages), a hand edit inside the section replaced and said, every
//! revision keeping its entries, a wrong row named and nothing saved, and
//! the preview's picture and row lines.

mod common;

use std::path::Path;

use desk_app::compose::{self, DraftEdit};
use desk_app::incidents::PreviewPages;
use desk_app::timeline_table::{self, TimelineRow};
use desk_app::{Desk, ErrorKind};
use desk_model::{Bilingual, Status};

async fn desk(dir: &Path) -> Desk {
    common::desk_at(dir, None).await
}

/// The resolved sign-in sample (published investigating → resolved).
async fn resolved_sample(desk: &Desk) -> u32 {
    let list = desk_app::incidents::list(desk).await.unwrap();
    list.iter().find(|i| i.title.en.contains("Sign-in to Kumo Mail")).expect("the sign-in sample").id
}

fn row(at: &str, status: Option<Status>, ja: &str, en: &str) -> TimelineRow {
    TimelineRow { at: at.into(), approximate: false, status, ja: ja.into(), en: en.into() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_owns_the_timeline_section_and_every_revision_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path()).await;
    let id = resolved_sample(&desk).await;
    let draft = compose::start_update(&desk, id, Status::Postmortem).await.unwrap();

    // Prefilled: one row per published change of status, in JST.
    let table = timeline_table::open_timeline(&desk, id).await.unwrap().expect("a postmortem has a table");
    assert_eq!(table.zone, "Asia/Tokyo");
    let ats: Vec<&str> = table.rows.iter().map(|r| r.at.as_str()).collect();
    assert_eq!(ats, ["2025-03-04T09:26", "2025-03-04T10:01", "2025-03-04T10:53", "2025-03-04T11:35"]);
    assert!(draft.body.ja.contains("■ 経緯\n≫2025年3月4日(火)\n09:26: "), "{}", draft.body.ja);

    // Add a row and move it up above the first: the section follows, in both languages.
    let mut rows = table.rows.clone();
    rows.insert(0, row("2025-03-04T09:12", None, "ログインの失敗が増え始める", "Sign-in failures began to rise"));
    rows[0].approximate = true;
    let edit = |version: u32, body: Bilingual<String>| DraftEdit {
        id,
        update_id: draft.update_id,
        version,
        status: Status::Postmortem,
        title: draft.title.clone(),
        body,
        notify: None,
    };
    let saved = timeline_table::save_timeline(&desk, edit(draft.version, draft.body.clone()), rows.clone()).await.unwrap();
    assert!(saved.replaced.is_none(), "nothing typed in the section was lost");
    assert!(saved.body.ja.contains("■ 経緯\n≫2025年3月4日(火)\n09:12頃: ログインの失敗が増え始める\n09:26: "), "{}", saved.body.ja);
    assert!(saved.body.en.contains("■ Timeline\nTuesday, March 4, 2025 (JST)\n09:12 (approx.): Sign-in failures began to rise\n09:26: "), "{}", saved.body.en);
    // Outside the section the text is the author's, unchanged.
    let outside = |t: &str| t.split("■ 経緯").next().unwrap().to_string();
    assert_eq!(outside(&saved.body.ja), outside(&draft.body.ja));

    // Reorder: the new row goes below the second; opened again, the table and the text say so.
    let mut reordered = rows.clone();
    reordered.swap(0, 1);
    let again = timeline_table::save_timeline(&desk, edit(saved.version, saved.body.clone()), reordered.clone()).await.unwrap();
    let opened = compose::open_draft(&desk, id).await.unwrap().unwrap();
    assert_eq!(opened.body, again.body);
    assert_eq!(timeline_table::open_timeline(&desk, id).await.unwrap().unwrap().rows, reordered);
    let first = opened.body.ja.find("09:26: ").unwrap();
    assert!(first < opened.body.ja.find("09:12頃: ").unwrap(), "written in the table's order: {}", opened.body.ja);

    // A hand edit inside the section is replaced by the table's, and said.
    let typed = Bilingual { ja: again.body.ja.replace("ログインの失敗が増え始める", "手で書き換えた"), en: again.body.en.clone() };
    let fixed = timeline_table::save_timeline(&desk, edit(again.version, typed), reordered.clone()).await.unwrap();
    assert_eq!(fixed.body, again.body);
    let note = fixed.replaced.expect("the replacement is said");
    assert!(note.en.contains("Japanese timeline"), "{}", note.en);

    // A wrong row: named, in both languages, and nothing saved.
    let mut wrong = reordered.clone();
    wrong[2].en = "  ".into();
    let e = timeline_table::save_timeline(&desk, edit(fixed.version, fixed.body.clone()), wrong).await.unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("timeline.2.en")));
    assert!(e.message.ja.starts_with("経緯の3行目"), "{}", e.message.ja);
    let mut late = reordered.clone();
    late[4].at = "2025-03-04 25:00".into();
    let e = timeline_table::save_timeline(&desk, edit(fixed.version, fixed.body.clone()), late).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("timeline.4.at"));
    assert_eq!(compose::open_draft(&desk, id).await.unwrap().unwrap().version, fixed.version, "nothing saved");

    // Every revision keeps its own entries.
    let revisions = desk.store.revisions(draft.update_id as i64).await.unwrap();
    assert_eq!(revisions.len(), 4, "started, added, reordered, hand edit replaced");
    let counts = {
        let mut out = Vec::new();
        for r in &revisions {
            out.push(desk.store.revision(draft.update_id as i64, r.number).await.unwrap().timeline.len());
        }
        out.sort();
        out
    };
    assert_eq!(counts, [4, 5, 5, 5]);
    let started = desk.store.revision(draft.update_id as i64, draft.version as i64).await.unwrap();
    assert_eq!(started.timeline.len(), 4, "the first revision keeps the prefilled timeline");

    // The preview: the picture in both languages, and each row's line in the text as typed.
    let context = desk.draft_contexts.read(&desk, id).await.unwrap();
    let shown = compose::preview_draft(&desk, &context, Status::Postmortem, &opened.title, &fixed.body, PreviewPages::PerLanguage).unwrap();
    let table = shown.timeline_table.expect("a postmortem's preview has its timeline");
    assert!(table.picture.ja.starts_with("<svg") && table.picture.ja.contains("<title id=\"timeline-picture-ja-title\">"), "{}", &table.picture.ja[..200]);
    assert!(table.picture.en.contains("Sign-in failures began to rise"));
    assert!(timeline_table::safe_svg(&table.picture.ja) && !timeline_table::safe_svg("<svg><script>x</script></svg>"));
    let lines: Vec<&str> = fixed.body.ja.lines().collect();
    let at = |i: usize| lines[table.row_lines[i].ja.unwrap() as usize - 1];
    assert!(at(0).starts_with("09:26: ") && at(1).starts_with("09:12頃: "), "{:?}", table.row_lines);
    // A typed line above the section moves the rows' lines with it.
    let shifted = Bilingual { ja: format!("追記\n{}", fixed.body.ja), en: fixed.body.en.clone() };
    let shown = compose::preview_draft(&desk, &context, Status::Postmortem, &opened.title, &shifted, PreviewPages::PerLanguage).unwrap();
    let moved = shown.timeline_table.unwrap();
    assert_eq!(moved.row_lines[0].ja.unwrap(), table.row_lines[0].ja.unwrap() + 1);
    assert_eq!(moved.row_lines[0].en, table.row_lines[0].en);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_that_is_not_a_postmortem_has_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path()).await;
    let draft = compose::new_incident(&desk, desk_model::Kind::Incident).await.unwrap();
    assert!(timeline_table::open_timeline(&desk, draft.incident_id).await.unwrap().is_none());
    let context = desk.draft_contexts.read(&desk, draft.incident_id).await.unwrap();
    let shown = compose::preview_draft(&desk, &context, draft.status, &draft.title, &draft.body, PreviewPages::PerLanguage).unwrap();
    assert!(shown.timeline_table.is_none());
}
