//! `desk sandbox`: the local Statuspage stand-in and its public status page.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use desk_sandbox::{Sandbox, SandboxConfig};

use crate::failure::Failure;

/// The sandbox's default loopback port (also `desk publish`'s default target).
pub const DEFAULT_PORT: u16 = 8797;

#[derive(clap::Args)]
pub struct Args {
    /// Loopback port to listen on.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Where the sandbox keeps its data (default: the app's data directory).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Minimum milliseconds between two requests with one key (Statuspage: 1000).
    #[arg(long, default_value_t = 1000, value_name = "MS")]
    pub rate_limit_ms: u64,
}

pub fn run(_global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let data = args.data.unwrap_or_else(|| super::data_dir().join("sandbox"));
    let config = SandboxConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], args.port)),
        data_dir: Some(data.clone()),
        rate_limit_interval: Duration::from_millis(args.rate_limit_ms),
        ..Default::default()
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Failure::usage(format!("cannot start: {e}")))?;
    runtime.block_on(async {
        let sandbox = Sandbox::start(config).await.map_err(|e| Failure::usage(e.to_string()))?;
        println!("sandbox API:  {}", sandbox.api_base());
        println!("status page:  {}", sandbox.public_url());
        println!("data:         {}", data.display());
        println!("pages:        sandbox (ja + en), sandbox-ja, sandbox-en; any key is accepted");
        sandbox.run_forever().await;
        Ok(ExitCode::SUCCESS)
    })
}
