//! The sandbox over raw HTTP: auth rules and the public page.

use std::time::Duration;

use desk_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn raw(sb: &Sandbox, request: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn get(path: &str, auth: Option<&str>) -> String {
    let auth = auth.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n")
}

#[tokio::test]
async fn the_key_goes_only_in_the_oauth_header() {
    let config = SandboxConfig { keys: Some(vec!["k1".into()]), rate_limit_interval: Duration::ZERO, ..Default::default() };
    let sb = Sandbox::start(config).await.unwrap();
    assert!(raw(&sb, &get("/v1/pages/sandbox/components", None)).await.starts_with("HTTP/1.1 401"));
    assert!(raw(&sb, &get("/v1/pages/sandbox/components", Some("Bearer k1"))).await.starts_with("HTTP/1.1 401"));
    assert!(raw(&sb, &get("/v1/pages/sandbox/components", Some("OAuth k2"))).await.starts_with("HTTP/1.1 401"));
    let query = raw(&sb, &get("/v1/pages/sandbox/components?api_key=k1", Some("OAuth k1"))).await;
    assert!(query.starts_with("HTTP/1.1 401") && query.contains("Authorization header"), "{query}");
    assert!(raw(&sb, &get("/v1/pages/sandbox/components", Some("OAuth k1"))).await.starts_with("HTTP/1.1 200"));
    assert!(raw(&sb, &get("/v1/pages/nope/components", Some("OAuth k1"))).await.starts_with("HTTP/1.1 404"));
    assert_eq!(sb.stats().unauthorized, 4);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_rate_limit_answers_with_retry_after() {
    let config = SandboxConfig { rate_limit_interval: Duration::from_secs(1), ..Default::default() };
    let sb = Sandbox::start(config).await.unwrap();
    let req = get("/v1/pages/sandbox", Some("OAuth any"));
    assert!(raw(&sb, &req).await.starts_with("HTTP/1.1 200"));
    let limited = raw(&sb, &req).await;
    assert!(limited.starts_with("HTTP/1.1 429") || limited.starts_with("HTTP/1.1 420"), "{limited}");
    assert!(limited.to_ascii_lowercase().contains("retry-after: 1\r\n"), "{limited}");
    // Another key has its own allowance.
    assert!(raw(&sb, &get("/v1/pages/sandbox", Some("OAuth other"))).await.starts_with("HTTP/1.1 200"));
    sb.shutdown().await;
}

#[tokio::test]
async fn the_public_page_shows_both_languages_and_escapes_html() {
    let config = SandboxConfig { rate_limit_interval: Duration::ZERO, ..Default::default() };
    let sb = Sandbox::start(config).await.unwrap();
    let body = r#"{"incident":{"name":"<b>遅延</b>","status":"identified","body":"**原因**を特定 <script>x</script>"}}"#;
    let post = format!(
        "POST /v1/pages/sandbox/incidents HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth k\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    assert!(raw(&sb, &post).await.starts_with("HTTP/1.1 201"));
    let page = sb.fetch_public("/").await.unwrap();
    assert!(page.contains("原因特定 / Identified"), "{page}");
    assert!(page.contains("<strong>原因</strong>"));
    assert!(page.contains("&lt;b&gt;遅延&lt;/b&gt;") && page.contains("&lt;script&gt;"));
    assert!(!page.contains("<script>"));
    assert!(page.contains("Sandbox (English)") && page.contains("正常"));
    sb.shutdown().await;
}
