//! The app's window never leaves the app: a link followed in it (a preview's,
//! an approver's) opens in the system browser when it is http, https or
//! mailto (the schemes the Markdown sanitiser keeps), and goes nowhere
//! otherwise.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// Where the app's own pages are served from: Linux and macOS, Windows, and
/// the development server.
fn is_the_app(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => matches!(url.host_str(), Some("tauri.localhost")) || (cfg!(dev) && url.host_str() == Some("localhost")),
        _ => false,
    }
}

/// A link the system browser may open.
fn opens_outside(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https" | "mailto")
}

pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            if is_the_app(url) {
                return true;
            }
            if opens_outside(url) {
                if let Err(e) = tauri_plugin_opener::open_url(url.as_str(), None::<&str>) {
                    log::warn!("link: could not open {url} in the browser: {e}");
                }
            } else {
                log::warn!("link: refused {} (only http, https and mailto open outside)", url.scheme());
            }
            false
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_load_in_its_window() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(is_the_app(&url("tauri://localhost/index.html")));
        assert!(is_the_app(&url("http://tauri.localhost/")));
        assert!(!is_the_app(&url("https://example.com/status")));
        assert!(!is_the_app(&url("http://127.0.0.1:8080/incidents/abc")));
        assert!(!is_the_app(&url("javascript:alert(1)")));
        assert!(opens_outside(&url("https://example.com/")) && opens_outside(&url("mailto:support@example.com")));
        assert!(!opens_outside(&url("file:///etc/passwd")) && !opens_outside(&url("javascript:alert(1)")));
    }
}
