//! `desk review`: ask for review, approve, send back with comments, see where
//! an update stands, the approver's queue and diff.
//!
//! Who you are comes from the database in team mode (your PostgreSQL role);
//! on SQLite it is your OS user (`USER`), which is not a security boundary.

use std::process::ExitCode;

use desk_store::diff::{Op, Span};
use desk_store::review::{Comment, Lang, ReviewStatus};
use desk_store::Store;

use super::store::{with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

/// Which update: an incident id, and its update (1 = oldest; the newest by default).
#[derive(clap::Args)]
pub struct Target {
    /// The incident's id (`desk list` shows them).
    pub id: i64,
    /// The update, counting from 1 (oldest); the newest when omitted.
    #[arg(long, value_name = "N")]
    pub update: Option<i64>,
    /// The revision; the current one when omitted (only the current one can be reviewed).
    #[arg(long, value_name = "R")]
    pub revision: Option<i64>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Ask for review of the update's current revision.
    Request(Target),
    /// Approve the current revision (not your own).
    Approve(Target),
    /// Send the current revision back with a comment, on the whole update or a passage.
    RequestChanges {
        #[command(flatten)]
        target: Target,
        /// What to change.
        #[arg(long)]
        comment: String,
        /// The language of the passage (with --at).
        #[arg(long, value_name = "ja|en", requires = "at")]
        lang: Option<String>,
        /// The passage: characters START..END of that language's text (from 0).
        #[arg(long, value_name = "START:END", requires = "lang")]
        at: Option<String>,
    },
    /// Where the update's review stands.
    Status(Target),
    /// Drafts waiting for someone other than their author (you, here).
    Queue {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The character diff against the last published update and against the revision you last reviewed.
    Diff(Target),
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    match args.action {
        Action::Queue { format } => {
            let queue = with_store(global, |store| async move { Ok(store.review_queue().await?) })?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "queue": queue })).unwrap()),
                Format::Text => {
                    if queue.is_empty() {
                        println!("nothing waits for your review");
                    }
                    for q in &queue {
                        let title = if q.title_ja.is_empty() { &q.title_en } else { &q.title_ja };
                        println!(
                            "{:>6}  {:<13}  revision {}  by {}  asked by {} at {}  {title}",
                            q.incident_id,
                            q.status.as_str(),
                            q.revision,
                            q.author,
                            q.requested_by,
                            q.requested_at
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::RequestChanges { target, comment, lang, at } => {
            let comment = match (lang, at) {
                (Some(lang), Some(at)) => {
                    let lang = Lang::parse(&lang).ok_or_else(|| Failure::usage(format!("--lang {lang}: ja or en")))?;
                    let (start, end) = at
                        .split_once(':')
                        .and_then(|(s, e)| Some((s.trim().parse::<usize>().ok()?, e.trim().parse::<usize>().ok()?)))
                        .ok_or_else(|| Failure::usage(format!("--at {at}: START:END, two numbers")))?;
                    Comment::at(&comment, lang, start, end)
                }
                _ => Comment::general(&comment),
            };
            step(global, target, move |store, update_id, revision| async move {
                Ok(serde_json::to_value(store.request_changes(update_id, revision, &[comment]).await?).unwrap())
            }, "changes requested on")
        }
        Action::Request(target) => step(global, target, |store, u, r| async move {
            Ok(serde_json::to_value(store.request_review(u, r).await?).unwrap())
        }, "review requested for"),
        Action::Approve(target) => step(global, target, |store, u, r| async move {
            let approved = desk_app::approval::approve_under_saved_settings(&store, u, r).await?;
            Ok(serde_json::to_value(approved).unwrap())
        }, "approved"),
        Action::Status(target) => {
            let format = target.format;
            let (me, status) = with_store(global, |store| async move {
                let update_id = store.update_id_at(target.id, target.update).await?;
                Ok((store.identity().await?, store.review_status(update_id).await?))
            })?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "you": me, "review": status })).unwrap()),
                Format::Text => print_status(&me, &status),
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Diff(target) => {
            let format = target.format;
            let diff = with_store(global, |store| async move {
                let (update_id, revision) = resolve(&store, &target).await?;
                Ok(store.review_diff(update_id, revision).await?)
            })?;
            match format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&diff).unwrap()),
                Format::Text => {
                    println!("revision {} against the last published update:", diff.revision);
                    println!("  ja: {}\n  en: {}", marked(&diff.against_published.ja), marked(&diff.against_published.en));
                    if let (Some(n), Some(d)) = (diff.last_reviewed_revision, &diff.against_last_reviewed) {
                        println!("since revision {n}, which you last reviewed:");
                        println!("  ja: {}\n  en: {}", marked(&d.ja), marked(&d.en));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `[-deleted]` and `[+inserted]` inline.
fn marked(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s.op {
            Op::Equal => s.text.replace('\n', "⏎"),
            Op::Insert => format!("[+{}]", s.text.replace('\n', "⏎")),
            Op::Delete => format!("[-{}]", s.text.replace('\n', "⏎")),
        })
        .collect()
}

/// The target's update id and revision (the current one unless given).
async fn resolve(store: &Store, target: &Target) -> Result<(i64, i64), Failure> {
    let update_id = store.update_id_at(target.id, target.update).await?;
    let revision = match target.revision {
        Some(r) => r,
        None => store.review_status(update_id).await?.current_revision,
    };
    Ok((update_id, revision))
}

/// One review step on the target's current (or given) revision.
fn step<F, Fut>(global: &super::Global, target: Target, act: F, done: &str) -> Result<ExitCode, Failure>
where
    F: FnOnce(Store, i64, i64) -> Fut,
    Fut: std::future::Future<Output = Result<serde_json::Value, Failure>>,
{
    let format = target.format;
    let event = with_store(global, |store| async move {
        let (update_id, revision) = resolve(&store, &target).await?;
        act(store, update_id, revision).await
    })?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&event).unwrap()),
        Format::Text => println!(
            "{done} revision {} of update {} (by {}, sha256 {})",
            event["revision"], event["update_id"], event["actor"].as_str().unwrap_or(""), event["revision_hash"].as_str().unwrap_or("")
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_status(me: &str, s: &ReviewStatus) {
    println!("incident {}, update {} ({}), revision {} by {}", s.incident_id, s.position, s.status.as_str(), s.current_revision, s.author);
    println!("state: {}", serde_json::to_value(s.state).unwrap().as_str().unwrap_or(""));
    if let Some(a) = &s.approval {
        println!("approved by {} at {}", a.actor, a.at);
    }
    if let Some(v) = &s.voided_approval {
        println!("approval of revision {} by {} was voided by a later edit", v.revision, v.actor);
    }
    for e in &s.events {
        let action = serde_json::to_value(e.action).unwrap();
        println!("  {}  revision {}  {}  {}", e.at, e.revision, action.as_str().unwrap_or(""), e.actor);
        for c in &e.comments {
            match &c.anchor {
                Some(a) => println!("      「{}」 ({:?} {}:{}): {}", a.quote, a.lang, a.start, a.end, c.text),
                None => println!("      {}", c.text),
            }
        }
    }
    for p in &s.publications {
        match &p.emergency_reason {
            Some(reason) => println!("  {}  revision {}  EMERGENCY PUBLISH without approval by {}: {reason}", p.at, p.revision, p.actor),
            None => println!("  {}  revision {}  published by {}", p.at, p.revision, p.actor),
        }
    }
    println!("you are {me}{}", if me == s.author { " (the author: someone else must approve)" } else { "" });
}
