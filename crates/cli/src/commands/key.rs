//! `desk key`: the Statuspage API key in the OS keychain. The key is read
//! from standard input (never an argument, which shells keep in history)
//! and never printed.

use std::io::BufRead as _;
use std::process::ExitCode;

use desk_keychain::{KeyStore, ENV_VAR, STATUSPAGE_ACCOUNT};
use desk_statuspage::ApiKey;

use crate::failure::Failure;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Store the key read from standard input in the OS keychain.
    Set,
    /// Remove the key from the OS keychain.
    Delete,
    /// Say where the key would come from (never prints it).
    Status,
}

fn keychain_failure(e: desk_keychain::KeyStoreError) -> Failure {
    Failure::usage(format!("{e} (automation can use {ENV_VAR} instead)"))
}

pub fn run(_global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let store = super::keychain();
    match args.action {
        Action::Set => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| Failure::usage(format!("cannot read the key: {e}")))?;
            let key = ApiKey::new(&line).map_err(|e| Failure::usage(e.to_string()))?;
            store.set(STATUSPAGE_ACCOUNT, &key).map_err(keychain_failure)?;
            println!("the Statuspage API key is stored in the OS keychain");
        }
        Action::Delete => {
            store.delete(STATUSPAGE_ACCOUNT).map_err(keychain_failure)?;
            println!("no Statuspage API key is stored in the OS keychain now");
        }
        Action::Status => {
            if std::env::var(ENV_VAR).is_ok_and(|v| !v.trim().is_empty()) {
                println!("{ENV_VAR} is set: it is used before the keychain");
            }
            match store.get(STATUSPAGE_ACCOUNT).map_err(keychain_failure)? {
                Some(_) => println!("a Statuspage API key is stored in the OS keychain"),
                None => println!("no Statuspage API key in the OS keychain"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
