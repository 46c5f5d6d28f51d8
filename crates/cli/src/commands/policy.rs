//! `desk policy`: the organisation's emergency publishing policy.

use std::process::ExitCode;

use desk_model::Status;
use desk_store::review::EmergencyRule;

use super::store::{with_store, Format};
use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Print which statuses may be published without approval.
    Show {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Replace the policy (team mode: members of desk_admin only).
    Set {
        /// A status an author may publish without approval, with a reason:
        /// `investigating` (only as an incident's first update) or
        /// `investigating:any` (any update). Repeat for more.
        #[arg(long = "emergency", value_name = "STATUS[:any]")]
        emergency: Vec<String>,
        /// Allow nothing: every publish needs an approval.
        #[arg(long, conflicts_with = "emergency")]
        none: bool,
    },
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    match args.action {
        Action::Show { format } => {
            let rules = with_store(global, |store| async move { Ok(store.emergency_policy().await?) })?;
            print(&rules, format);
        }
        Action::Set { emergency, none } => {
            if emergency.is_empty() && !none {
                return Err(Failure::usage("give --emergency STATUS[:any] (repeatable) or --none"));
            }
            let rules = emergency.iter().map(|e| parse_rule(e)).collect::<Result<Vec<_>, _>>()?;
            let stored = with_store(global, |store| async move {
                store.set_emergency_policy(&rules).await?;
                Ok(store.emergency_policy().await?)
            })?;
            print(&stored, Format::Text);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_rule(text: &str) -> Result<EmergencyRule, Failure> {
    let (status, scope) = text.split_once(':').unwrap_or((text, "first"));
    let status = Status::parse(status.trim())
        .ok_or_else(|| Failure::usage(format!("--emergency {text}: `{status}` is not a status")))?;
    let first_only = match scope.trim() {
        "first" => true,
        "any" => false,
        other => return Err(Failure::usage(format!("--emergency {text}: `{other}` is not `any` or `first`"))),
    };
    Ok(EmergencyRule { status, first_only })
}

fn print(rules: &[EmergencyRule], format: Format) {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "emergency": rules })).unwrap()),
        Format::Text => {
            if rules.is_empty() {
                println!("every publish needs an approval by someone other than the author");
            }
            for r in rules {
                let scope = if r.first_only { "as an incident's first update" } else { "any update" };
                println!("{}: may be published without approval, with a reason ({scope})", r.status.as_str());
            }
        }
    }
}
