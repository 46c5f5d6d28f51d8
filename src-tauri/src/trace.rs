//! Where start-up time goes (`DESK_TRACE_STARTUP=1`).

/// Prints how far start-up has come, in milliseconds of wall-clock time.
pub fn trace_startup(step: &str) {
    if std::env::var_os("DESK_TRACE_STARTUP").is_some() {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        eprintln!("startup {step} {}", now.as_micros() as f64 / 1000.0);
    }
}
