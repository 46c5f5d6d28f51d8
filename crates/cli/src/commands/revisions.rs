//! `desk revisions ID`: an update's saved revisions; show or restore one.

use std::process::ExitCode;

use desk_model::Lang;

use super::store::with_store;
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The incident's id (as `desk list` shows it).
    pub id: i64,
    /// Which update, counting from 1 (oldest). Defaults to the newest.
    #[arg(long, value_name = "N")]
    pub update: Option<usize>,
    /// Print this revision's text instead of the list.
    #[arg(long, value_name = "R", conflicts_with = "restore")]
    pub show: Option<i64>,
    /// Make this revision's text current again (saved as a new revision).
    #[arg(long, value_name = "R")]
    pub restore: Option<i64>,
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let actor = desk_store::os_user().unwrap_or_else(|| "desk".into());
    with_store(global, |store| async move {
        let incident = store.load_incident(args.id).await?;
        let count = incident.updates.len();
        let row = match args.update {
            Some(0) => return Err(Failure::usage("--update counts from 1 (the oldest update)")),
            Some(n) => incident.updates.get(n - 1),
            None => incident.updates.last(),
        }
        .ok_or_else(|| Failure::usage(format!("incident {} has {count} update(s)", args.id)))?;
        if let Some(number) = args.show {
            let update = store.revision(row.id, number).await?;
            for lang in Lang::ALL {
                let text = update.text(lang);
                println!("--- {} ({})", lang.as_str(), update.status);
                match &text.body {
                    Some(body) => println!("{body}"),
                    None => println!("{}", desk_store::text::plain(text)),
                }
            }
        } else if let Some(number) = args.restore {
            let saved = store.restore(row.id, number, row.version, &actor).await?;
            println!("revision {number} restored as revision {} of update {}", saved.number, row.position);
        } else {
            for r in store.revisions(row.id).await? {
                let mut marks = Vec::new();
                if r.current {
                    marks.push("current");
                }
                if r.reviewed {
                    marks.push("reviewed");
                }
                if r.published {
                    marks.push("published");
                }
                println!("{:>4}  {}  {}  {}", r.number, r.saved_at.format("%Y-%m-%d %H:%M:%S UTC"), r.author, marks.join(", "));
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
