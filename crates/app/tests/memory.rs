//! The translation memory through the application layer, on a real SQLite
//! file and the built-in sandbox: what one Desk publishes is suggested, with
//! the facts of the sentence being translated, by another Desk on the same
//! database; the suggestion's place in the English body; inserts marked until
//! edited, and shown to the approver; rebuilds, imports and similar incidents.

use std::path::Path;

use desk_app::compose::{self, DraftEdit};
use desk_app::memory::{self, TextSpan};
use desk_app::{Desk, DeskOptions};
use desk_model::{Bilingual, Kind, Lang};
use desk_store::Store;

async fn desk(dir: &Path, who: &str) -> Desk {
    desk_keychain::memory::install();
    let store = Store::open(dir.join("shared.db").to_str().unwrap()).await.unwrap().acting_as(who).unwrap();
    let mut options = DeskOptions::new(dir.join(format!("app-{who}")));
    options.in_memory_keychain = true;
    Desk::start(store, options).await.unwrap()
}

fn bilingual(ja: &str, en: &str) -> Bilingual<String> {
    Bilingual { ja: ja.into(), en: en.into() }
}

const JA: &str = "メール配信で障害が発生しております。\n\n■ 発生期間\n2025/06/13 02:51頃〜現在\n\n■ 発生している現象\n- 2025/06/13 02:51頃から、Kumo Mailで約300件のメールの配信が遅延しております。\n- 管理画面にログインできない状態です。\n";
const EN: &str = "We are seeing problems with email delivery.\n\n■ Period\nJun 13, 2025 02:51 JST (approx.) – ongoing\n\n■ What is happening\n- Since Jun 13, 2025 02:51 JST (approx.), delivery of about 300 emails in Kumo Mail has been delayed.\n- Users cannot sign in to the admin console.\n";

/// Writes a new incident's first update and publishes it (one person alone: no approval).
async fn publish(desk: &Desk, title: Bilingual<String>, body: Bilingual<String>) -> u32 {
    let draft = compose::new_incident(desk, Kind::Incident).await.unwrap();
    let edit = DraftEdit { id: draft.incident_id, update_id: draft.update_id, version: draft.version, status: draft.status, title, body, notify: None };
    compose::save_draft(desk, edit).await.unwrap();
    desk_app::publish::publish_update(desk, draft.incident_id, None, None, false).await.unwrap();
    draft.incident_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_is_suggested_by_another_desk_with_the_new_facts_in_the_right_place() {
    let tmp = tempfile::tempdir().unwrap();
    let a = desk(tmp.path(), "aiko").await;
    let b = desk(tmp.path(), "ben").await;
    // Ben's memory is read before Aiko publishes (built from the samples and templates).
    let before = memory::stats(&b).await.unwrap();
    assert!(before.from_updates > 0 && before.from_templates > 0, "{before:?}");
    assert_eq!(before.pairs, before.from_updates + before.from_templates + before.from_imports);

    let id = publish(&a, bilingual("メール配信の遅延", "Email delivery delays"), bilingual(JA, EN)).await;

    // Ben writes a new update: the same sentence with a new time and count.
    let draft = compose::new_incident(&b, Kind::Incident).await.unwrap();
    let typed = bilingual(
        "■ 発生している現象\n- 2025/07/01 10:15頃から、Kumo Mailで約1,200件のメールの配信が遅延しております。\n",
        "We are investigating.\n\n■ What is happening\n- [INSERT]\n\n■ Cause\nUnder investigation.\n",
    );
    let help = memory::suggest_translation(&b, draft.incident_id, &typed, Lang::Ja, 2, 12).await.unwrap();
    assert_eq!(help.text, "2025/07/01 10:15頃から、Kumo Mailで約1,200件のメールの配信が遅延しております。");
    assert_eq!(help.segment, Some(TextSpan { line: 2, column: 3, end_line: 2, end_column: 57 }));
    let top = &help.suggestions[0];
    assert_eq!(top.text, "Since Jul 1, 2025 10:15 JST (approx.), delivery of about 1,200 emails in Kumo Mail has been delayed.");
    assert!(top.complete && top.missing.is_empty() && top.score > 0.8, "{top:?}");
    assert_eq!(top.original, "2025/06/13 02:51頃から、Kumo Mailで約300件のメールの配信が遅延しております。");
    assert_eq!((top.source.incident, top.source.update, top.source.lang), (id, 1, Lang::En));
    assert_eq!(top.source.title, "Email delivery delays");
    // It goes where the English list item is: the placeholder on line 4, replaced.
    assert_eq!(help.target, Some(TextSpan { line: 4, column: 3, end_line: 4, end_column: 11 }));
    assert_eq!((help.target_prefix.as_str(), help.target_suffix.as_str()), ("", ""));

    // Typed without its time: the suggestion keeps a slot there, named in
    // words, which the linter reports until the author fills it.
    let untimed = bilingual("■ 発生している現象\n- Kumo Mailで約1,200件のメールの配信が遅延しております。\n", typed.en.as_str());
    let help = memory::suggest_translation(&b, draft.incident_id, &untimed, Lang::Ja, 2, 12).await.unwrap();
    let top = help.suggestions.iter().find(|s| s.source.incident == id).expect("Aiko's sentence");
    assert!(!top.complete && top.text.contains("{datetime}"), "{top:?}");
    assert_eq!(top.missing, [bilingual("日時（{datetime}）", "a date and time ({datetime})")]);
    let found = desk_lint::lint_text(&top.text, &desk_lint::TextContext::default(), &desk_lint::Config::default());
    assert!(found.iter().any(|d| d.rule == desk_lint::Rule::PlaceholderUnfilled), "{found:?}");

    // Ben's memory took Aiko's pairs once: what it holds is what the table keeps.
    let after = memory::stats(&b).await.unwrap();
    assert!(after.from_updates > before.from_updates);
    assert_eq!(after.pairs, after.from_updates + after.from_templates + after.from_imports);

    // The second item of the English body is missing: a new line after the first.
    let short = bilingual("■ 発生している現象\n- 何か\n- 管理画面にログインできない状態です。\n", "■ What is happening\n- Something\n");
    let help = memory::suggest_translation(&b, draft.incident_id, &short, Lang::Ja, 3, 4).await.unwrap();
    assert_eq!(help.suggestions[0].text, "Users cannot sign in to the admin console.");
    assert_eq!(help.target, Some(TextSpan { line: 2, column: 12, end_line: 2, end_column: 12 }));
    assert_eq!(help.target_prefix, "\n- ");
    // A heading's counterpart is the other heading; a blank line has no segment.
    let help = memory::suggest_translation(&b, draft.incident_id, &short, Lang::Ja, 1, 3).await.unwrap();
    assert_eq!((help.text.as_str(), help.target), ("発生している現象", Some(TextSpan { line: 1, column: 3, end_line: 1, end_column: 20 })));
    let blank = bilingual("一行目\n\n三行目", "");
    assert_eq!(memory::suggest_translation(&b, draft.incident_id, &blank, Lang::Ja, 2, 1).await.unwrap().segment, None);

    // Ben inserts the suggestion: marked while it stands, gone once edited.
    let inserted = bilingual(&typed.ja, &typed.en.replace("[INSERT]", &top.text));
    memory::record_memory_insert(&b, draft.update_id, Lang::En, &top.text, &top.source).await.unwrap();
    let marks = memory::memory_marks(&b, draft.update_id, &inserted).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!((marks[0].lang, marks[0].span.line, marks[0].span.column), (Lang::En, 4, 3));
    assert_eq!(marks[0].source, top.source);
    let edited = bilingual(&inserted.ja, &inserted.en.replace("about 1,200", "about 1,300"));
    assert!(memory::memory_marks(&b, draft.update_id, &edited).await.unwrap().is_empty());

    // The approver sees which sentence came from memory.
    let edit = DraftEdit { id: draft.incident_id, update_id: draft.update_id, version: draft.version, status: draft.status, title: bilingual("配信遅延", "Delays"), body: inserted, notify: None };
    compose::save_draft(&b, edit).await.unwrap();
    let item = desk_app::review::review_item(&a, draft.update_id).await.unwrap();
    assert_eq!(item.from_memory.len(), 1);
    assert_eq!(item.from_memory[0].source.incident, id);
    let line = item.text.en.lines().nth(item.from_memory[0].span.line as usize - 1).unwrap();
    assert!(line.contains(&top.text), "{line}");

    // Similar past incidents: Aiko's, not Ben's own.
    let similar = memory::similar_incidents(&b, draft.incident_id, &bilingual(JA, ""), 3).await.unwrap();
    assert_eq!(similar[0].incident.id, id, "{similar:?}");
    assert!(similar[0].score > 0.5 && similar.iter().all(|s| s.incident.id != draft.incident_id));
    assert_eq!(similar[0].incident.title.en, "Email delivery delays");
    let own = memory::similar_incidents(&a, id, &bilingual(JA, ""), 3).await.unwrap();
    assert!(own.iter().all(|s| s.incident.id != id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_keeps_imports_and_the_other_desk_reads_it_again() {
    let tmp = tempfile::tempdir().unwrap();
    let a = desk(tmp.path(), "aiko").await;
    let b = desk(tmp.path(), "ben").await;
    publish(&a, bilingual("メール配信の遅延", "Email delivery delays"), bilingual(JA, EN)).await;

    // History from two exports, one per language, paired by incident id and update order.
    let export = |name: &str, title: &str, first: &str, second: &str| {
        let json = serde_json::json!({ "incidents": [ { "id": "h1", "name": title, "status": "resolved", "created_at": "2024-03-01T10:00:00+09:00",
            "incident_updates": [
                { "status": "resolved", "body": second, "created_at": "2024-03-01T11:00:00+09:00" },
                { "status": "investigating", "body": first, "created_at": "2024-03-01T10:00:00+09:00" } ] },
            { "id": "only-here", "name": title, "status": "resolved", "incident_updates": [ { "status": "resolved", "body": second } ] } ] });
        let path = tmp.path().join(name);
        std::fs::write(&path, json.to_string()).unwrap();
        path
    };
    let ja = export("ja.json", "請求書PDFのダウンロード障害", "請求書PDFをダウンロードできない事象が発生しております。", "請求書PDFをダウンロードできない事象は解消いたしました。");
    let en = export("en.json", "Invoice PDF downloads failing", "Invoice PDFs cannot be downloaded.", "Invoice PDFs can be downloaded again.");
    let report = memory::import(&a, &[ja.as_path(), en.as_path()]).await.unwrap();
    assert_eq!((report.incidents, report.updates, report.unpaired), (2, 3, 0), "{report:?}");
    assert!(report.pairs >= 3);
    assert_eq!(memory::import(&a, &[ja.as_path(), en.as_path()]).await.unwrap().pairs, 0, "importing again adds nothing");
    let s = memory::suggest(&b, "請求書PDFをダウンロードできない事象は解消いたしました。", Lang::Ja, 1).await.unwrap();
    assert_eq!(s[0].text, "Invoice PDFs can be downloaded again.");
    assert_eq!((s[0].source.incident, s[0].source.update), (0, 0));
    assert_eq!(s[0].source.title, "ja: 請求書PDFのダウンロード障害");

    // One export with both languages in each body.
    let both = serde_json::json!({ "incidents": [ { "id": "c1", "name": "アップロード障害 / Upload failures", "status": "resolved",
        "incident_updates": [ { "status": "resolved", "body": "添付ファイルのアップロードは復旧しました。\n\n---\n\nAttachment uploads are working again." } ] } ] });
    let path = tmp.path().join("combined.json");
    std::fs::write(&path, both.to_string()).unwrap();
    let report = memory::import(&b, &[path.as_path()]).await.unwrap();
    assert_eq!((report.incidents, report.updates, report.pairs), (1, 1, 1), "{report:?}");
    assert_eq!(memory::suggest(&a, "添付ファイルのアップロードは復旧しました。", Lang::Ja, 1).await.unwrap()[0].text, "Attachment uploads are working again.");

    // Ben rebuilds: the updates' and templates' pairs anew, the imports kept;
    // Aiko's memory notices the rebuild and reads it again whole.
    let before = memory::stats(&a).await.unwrap();
    let built = memory::build(&b).await.unwrap();
    assert!(built.updates > 1 && built.update_pairs > 0 && built.template_pairs > 0, "{built:?}");
    let after = memory::stats(&a).await.unwrap();
    assert_eq!((after.from_updates, after.from_templates, after.from_imports), (before.from_updates, before.from_templates, before.from_imports));
    assert_eq!(after.pairs, before.pairs, "read again, not added twice");
    let s = memory::suggest(&a, "管理画面にログインできない状態です。", Lang::Ja, 1).await.unwrap();
    assert_eq!(s[0].text, "Users cannot sign in to the admin console.");
    // The templates' fixed phrases are there too.
    let s = memory::suggest(&a, "現在、以下の障害が発生しております。", Lang::Ja, 1).await.unwrap();
    assert!(s[0].text.starts_with("We are investigating"), "{s:?}");
    assert!(s[0].source.title.starts_with("template "), "{s:?}");

    assert!(memory::import(&a, &[]).await.is_err());
}

#[path = "../../store/tests/pg_cluster/mod.rs"]
mod pg_cluster;

/// A team on PostgreSQL: one member's import and publish show up in
/// another member's memory; any member may rebuild it, and the others read
/// it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_on_postgresql_shares_one_memory() {
    let Some(pg) = pg_cluster::PgCluster::start() else { return };
    desk_keychain::memory::install();
    let owner = Store::open(&pg.url("postgres")).await.unwrap();
    // Published history, as an import by the owner would leave it.
    let mut incident = desk_model::Incident::new(Kind::Incident);
    incident.title = bilingual("メール配信の遅延", "Email delivery delays");
    let mut u = desk_model::Update::new(desk_model::Status::Investigating);
    u.ja.body = Some(JA.into());
    u.en.body = Some(EN.into());
    incident.updates.push(u);
    owner.import(&[desk_store::NewIncident { incident, source: "document".into(), external_id: Some("t1".into()), opened_at: None }], "postgres").await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let start = |role: &'static str| {
        let url = pg.url(role);
        let dir = tmp.path().join(role);
        async move {
            let mut options = DeskOptions::new(dir);
            options.in_memory_keychain = true;
            Desk::start(Store::open(&url).await.unwrap(), options).await.unwrap()
        }
    };
    let author = start("author").await;
    let approver = start("approver").await;

    // The approver's memory, built on first use from what the team published.
    let s = memory::suggest(&approver, "2025/08/02 09:00頃から、Kumo Mailで約40件のメールの配信が遅延しております。", Lang::Ja, 1).await.unwrap();
    assert_eq!(s[0].text, "Since Aug 2, 2025 09:00 JST (approx.), delivery of about 40 emails in Kumo Mail has been delayed.");
    assert_eq!(s[0].source.title, "Email delivery delays");

    // The author imports history: the approver's memory adds it.
    let path = tmp.path().join("both.json");
    let both = serde_json::json!({ "incidents": [ { "id": "p1", "name": "印刷 / Printing", "status": "resolved",
        "incident_updates": [ { "status": "resolved", "body": "帳票の印刷は復旧しました。\n\n---\n\nPrinting reports works again." } ] } ] });
    std::fs::write(&path, both.to_string()).unwrap();
    assert_eq!(memory::import(&author, &[path.as_path()]).await.unwrap().pairs, 1);
    let s = memory::suggest(&approver, "帳票の印刷は復旧しました。", Lang::Ja, 1).await.unwrap();
    assert_eq!(s[0].text, "Printing reports works again.");
    let before = memory::stats(&approver).await.unwrap();

    // The author rebuilds (a member may); the approver reads it again, not twice.
    memory::build(&author).await.unwrap();
    let after = memory::stats(&approver).await.unwrap();
    assert_eq!((after.pairs, after.from_updates, after.from_imports), (before.pairs, before.from_updates, 1));

    // Inserts are recorded as the member's role.
    let draft = compose::new_incident(&author, Kind::Incident).await.unwrap();
    memory::record_memory_insert(&author, draft.update_id, Lang::En, &s[0].text, &s[0].source).await.unwrap();
    let inserts = author.store.memory_inserts(draft.update_id as i64).await.unwrap();
    assert_eq!(inserts[0].actor, "author");
}
