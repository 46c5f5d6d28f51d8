//! The app's log: where start-up time goes (`DESK_TRACE_STARTUP=1`, on
//! standard error), and the technical lines of each publish (the log file in
//! the platform's log folder, and stdout: see desktop.rs).

/// Prints how far start-up has come, in milliseconds of wall-clock time.
pub fn trace_startup(step: &str) {
    if std::env::var_os("DESK_TRACE_STARTUP").is_some() {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        eprintln!("startup {step} {}", now.as_micros() as f64 / 1000.0);
    }
}

/// The engine's line for each page (ids, addresses): the log gets it, the
/// author's screen gets the summary in the UI's language.
pub fn log_publish(outcome: &Result<desk_app::publish::PublishOutcome, desk_app::AppError>) {
    match outcome {
        Ok(o) => o.pages.iter().for_each(|p| log::info!("publish: {}", p.technical)),
        Err(e) => log::warn!("publish: {:?}: {}", e.kind, e.message.en),
    }
}
