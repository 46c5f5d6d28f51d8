//! The sandbox over raw HTTP: auth rules, what it refuses, the public page
//! and the keys it was sent.

use std::time::Duration;

use desk_sandbox::{Sandbox, SandboxConfig};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn raw(sb: &Sandbox, request: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// Sends `method path` with a JSON body and `Authorization: OAuth k`;
/// returns the status and the JSON answer (`null` when there is none).
async fn send(sb: &Sandbox, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let request = format!(
        "{method} /v1/pages/{path} HTTP/1.1\r\nHost: x\r\nAuthorization: OAuth k\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = raw(sb, &request).await;
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status: {answer}"));
    let json = answer.split_once("\r\n\r\n").and_then(|(_, b)| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    (status, json)
}

async fn open_sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig { rate_limit_interval: Duration::ZERO, ..Default::default() }).await.unwrap()
}

fn component_id(sb: &Sandbox, page: &str, name: &str) -> String {
    let c = sb.components(page).into_iter().find(|c| c["name"] == name).unwrap();
    c["id"].as_str().unwrap().to_string()
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
    let sb = open_sandbox().await;
    let body = json!({"incident": {"name": "<b>遅延</b>", "status": "identified", "body": "**原因**を特定 <script>x</script>"}});
    assert_eq!(send(&sb, "POST", "sandbox/incidents", &body).await.0, 201);
    let page = sb.fetch_public("/").await.unwrap();
    assert!(page.contains("原因特定 / Identified"), "{page}");
    assert!(page.contains("<strong>原因</strong>"));
    assert!(page.contains("&lt;b&gt;遅延&lt;/b&gt;") && page.contains("&lt;script&gt;"));
    assert!(!page.contains("<script>"));
    assert!(page.contains("Sandbox (English)") && page.contains("正常"));
    sb.shutdown().await;
}

/// Each field of the wrong type or out of range is refused with 422 naming
/// the field and what was sent, on create and on update, and changes nothing.
#[tokio::test]
async fn incident_fields_of_the_wrong_type_are_refused_naming_the_field() {
    let sb = open_sandbox().await;
    let api = component_id(&sb, "sandbox", "API");
    let web = component_id(&sb, "sandbox", "Web app");
    let statuses = "operational, under_maintenance, degraded_performance, partial_outage, major_outage, \"\" (no change)";
    let cases = [
        (json!({"components": {&api: 5}}), format!("incident.components.{api} must be one of {statuses}; got 5")),
        (json!({"components": {&api: "broken"}}), format!("incident.components.{api} must be one of {statuses}; got \"broken\"")),
        (json!({"components": {&api: null}}), format!("incident.components.{api} must be one of {statuses}; got null")),
        (json!({"components": [&api]}), format!("incident.components must be an object of component id to status; got [\"{api}\"]")),
        (json!({"deliver_notifications": "no"}), "incident.deliver_notifications must be true or false; got \"no\"".into()),
        (json!({"deliver_notifications": 0}), "incident.deliver_notifications must be true or false; got 0".into()),
        (json!({"scheduled_remind_prior": "yes"}), "incident.scheduled_remind_prior must be true or false; got \"yes\"".into()),
        (json!({"component_ids": [&api, 5]}), "incident.component_ids[1] must be a component id (a string); got 5".into()),
        (json!({"component_ids": &api}), format!("incident.component_ids must be an array of component ids; got \"{api}\"")),
        (json!({"name": 5}), "incident.name must be a string; got 5".into()),
        (json!({"status": "fixed"}), "incident.status must be one of investigating, identified, monitoring, resolved, scheduled, in_progress, verifying, completed; got \"fixed\"".into()),
        (json!({"reminder_intervals": 4}), "incident.reminder_intervals must be a string; got 4".into()),
    ];
    let (status, created) =
        send(&sb, "POST", "sandbox/incidents", &json!({"incident": {"name": "遅延 / Slow", "body": "調査中"}})).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    for (fields, expected) in &cases {
        let mut incident = json!({"name": "遅延 / Slow", "status": "identified", "body": "b"});
        incident.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        let body = json!({ "incident": incident });
        for (method, path) in [("POST", "sandbox/incidents".to_string()), ("PATCH", format!("sandbox/incidents/{id}"))] {
            let (status, answer) = send(&sb, method, &path, &body).await;
            assert_eq!((status, answer["error"].as_str()), (422, Some(expected.as_str())), "{method} {fields}");
        }
    }
    let incidents = sb.incidents("sandbox");
    assert_eq!(incidents.len(), 1, "no refused create was kept");
    assert_eq!(incidents[0]["status"], "investigating");
    assert_eq!(incidents[0]["incident_updates"].as_array().unwrap().len(), 1, "no refused update was kept");
    assert!(sb.components("sandbox").iter().all(|c| c["status"] == "operational"));

    // The same fields with the right types are taken as sent.
    let fine = json!({"incident": {
        "status": "identified", "body": "原因を特定", "deliver_notifications": false,
        "components": {&api: "", &web: "major_outage"}, "component_ids": [&api],
    }});
    let (status, updated) = send(&sb, "PATCH", &format!("sandbox/incidents/{id}"), &fine).await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["incident_updates"][0]["deliver_notifications"], false);
    let mut affected: Vec<&str> = updated["components"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    affected.sort();
    assert_eq!(affected, ["API", "Web app"]);
    let status_of = |name: &str| sb.components("sandbox").into_iter().find(|c| c["name"] == name).unwrap()["status"].clone();
    assert_eq!((status_of("API"), status_of("Web app")), (json!("operational"), json!("major_outage")));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_component_update_refuses_a_blank_name_and_wrong_types_and_changes_nothing() {
    let sb = open_sandbox().await;
    let api = component_id(&sb, "sandbox", "API");
    let path = format!("sandbox/components/{api}");
    let statuses = "operational, under_maintenance, degraded_performance, partial_outage, major_outage, \"\" (no change)";
    let cases = [
        (json!({"name": ""}), "component.name can't be blank".to_string()),
        (json!({"name": "  \t"}), "component.name can't be blank".into()),
        (json!({"name": "\u{3000}"}), "component.name can't be blank".into()),
        (json!({"name": "API v2", "status": 5}), format!("component.status must be one of {statuses}; got 5")),
        (json!({"status": "down"}), format!("component.status must be one of {statuses}; got \"down\"")),
        (json!({"name": 5}), "component.name must be a string; got 5".into()),
        (json!({"description": ["x"]}), "component.description must be a string; got [\"x\"]".into()),
        (json!({"name": "API v2", "showcase": "yes"}), "component.showcase must be true or false; got \"yes\"".into()),
    ];
    for (fields, expected) in &cases {
        let (status, answer) = send(&sb, "PATCH", &path, &json!({ "component": fields })).await;
        assert_eq!((status, answer["error"].as_str()), (422, Some(expected.as_str())), "{fields}");
    }
    let api_now = || sb.components("sandbox").into_iter().find(|c| c["id"] == api.as_str()).unwrap();
    assert_eq!((api_now()["name"].clone(), api_now()["status"].clone()), (json!("API"), json!("operational")));

    let (status, answer) = send(&sb, "PATCH", &path, &json!({"component": {"name": "API v2", "status": ""}})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!((api_now()["name"].clone(), api_now()["status"].clone()), (json!("API v2"), json!("operational")));
    sb.shutdown().await;
}

#[tokio::test]
async fn templates_and_postmortems_refuse_wrong_types() {
    let sb = open_sandbox().await;
    let api = component_id(&sb, "sandbox", "API");
    let template = |extra: Value| {
        let mut t = json!({"name": "調査中", "title": "障害", "body": "確認中です"});
        t.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!({ "template": t })
    };
    let cases = [
        (json!({"should_tweet": "no"}), "template.should_tweet must be true or false; got \"no\""),
        (json!({"should_send_notifications": 1}), "template.should_send_notifications must be true or false; got 1"),
        (json!({"component_ids": [5]}), "template.component_ids[0] must be a component id (a string); got 5"),
        (json!({"update_status": "fixed"}), "template.update_status must be one of investigating, identified, monitoring, resolved, scheduled, in_progress, verifying, completed; got \"fixed\""),
        (json!({"name": 5}), "template.name must be a string; got 5"),
    ];
    for (fields, expected) in cases {
        let (status, answer) = send(&sb, "POST", "sandbox/incident_templates", &template(fields.clone())).await;
        assert_eq!((status, answer["error"].as_str()), (422, Some(expected)), "{fields}");
    }
    let (status, kept) =
        send(&sb, "POST", "sandbox/incident_templates", &template(json!({"component_ids": [&api], "should_tweet": false}))).await;
    assert_eq!(status, 201, "{kept}");
    assert_eq!(kept["components"][0]["name"], "API");
    assert_eq!(send(&sb, "GET", "sandbox/incident_templates", &Value::Null).await.1.as_array().unwrap().len(), 1);

    let (_, incident) = send(&sb, "POST", "sandbox/incidents", &json!({"incident": {"name": "n", "body": "b"}})).await;
    let pm = format!("sandbox/incidents/{}/postmortem", incident["id"].as_str().unwrap());
    let (status, answer) = send(&sb, "PUT", &pm, &json!({"postmortem": {"body_draft": 5}})).await;
    assert_eq!((status, answer["error"].as_str()), (422, Some("postmortem.body_draft must be a string; got 5")));
    assert_eq!(send(&sb, "PUT", &pm, &json!({"postmortem": {"body_draft": "原因"}})).await.0, 200);
    let (status, answer) = send(&sb, "PUT", &format!("{pm}/publish"), &json!({"postmortem": {"notify_subscribers": "no"}})).await;
    assert_eq!((status, answer["error"].as_str()), (422, Some("postmortem.notify_subscribers must be true or false; got \"no\"")));
    assert_eq!(send(&sb, "GET", &pm, &Value::Null).await.1["published_at"], Value::Null, "not published");
    let (status, published) = send(&sb, "PUT", &format!("{pm}/publish"), &json!({"postmortem": {"notify_subscribers": true}})).await;
    assert_eq!((status, published["notify_subscribers"].clone()), (200, json!(true)), "{published}");
    sb.shutdown().await;
}

/// Every `href`/`src` value in the page's tags (text has its `<` escaped, so
/// every `<` starts a tag), as written.
fn link_targets(html: &str) -> Vec<String> {
    let tags = html.split('<').skip(1).map(|t| &t[..t.find('>').unwrap()]);
    tags.flat_map(|tag| {
        ["href=\"", "src=\""].into_iter().flat_map(move |attr| tag.match_indices(attr).map(move |(at, _)| &tag[at + attr.len()..]))
    })
    .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
    .collect()
}

#[tokio::test]
async fn the_public_page_keeps_only_http_https_and_mailto_links() {
    let sb = open_sandbox().await;
    let body = "[x](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [f](file:///etc/passwd) \
[v](vbscript:msgbox(1)) [c](JaVaScRiPt:alert(2)) [e](&#106;avascript:alert(3)) [t](<java\tscript:alert(4)>) \
<javascript:alert(5)> ![i](javascript:alert(6)) [r][ref]\n\n\
<a href=\"javascript:alert(7)\">raw</a>\n\n\
[ok](https://example.com/ok) [mail](mailto:ops@example.com) [rel](/incidents/abc) [top](#top) [colon](docs/a:b)\n\n\
[ref]: javascript:alert(8)\n";
    let (status, created) = send(&sb, "POST", "sandbox-en/incidents", &json!({"incident": {"name": "links", "body": body}})).await;
    assert_eq!(status, 201, "{created}");
    let page = sb.fetch_public(&format!("/incidents/{}", created["id"].as_str().unwrap())).await.unwrap();
    let targets = link_targets(&page);
    for target in &targets {
        let bare: String = target.trim().chars().filter(|c| !c.is_ascii_whitespace()).collect::<String>().to_ascii_lowercase();
        for bad in ["javascript:", "data:", "file:", "vbscript:"] {
            assert!(!bare.starts_with(bad), "{target} became a link: {page}");
        }
    }
    for kept in ["https://example.com/ok", "mailto:ops@example.com", "/incidents/abc", "#top", "docs/a:b"] {
        assert!(targets.iter().any(|t| t == kept), "{kept} was dropped: {targets:?}");
    }
    // A dropped link keeps its text; raw HTML is shown as text, never a tag.
    assert!(page.contains("<p>x d f v c e t javascript:alert(5) i r</p>"), "{page}");
    assert!(page.contains("<p>&lt;a href=\"javascript:alert(7)\"&gt;raw&lt;/a&gt;</p>"), "{page}");
    sb.shutdown().await;
}

#[tokio::test]
async fn keys_seen_lists_every_credential_sent_once_in_order() {
    let config = SandboxConfig { keys: Some(vec!["k1".into()]), rate_limit_interval: Duration::ZERO, ..Default::default() };
    let sb = Sandbox::start(config).await.unwrap();
    assert!(sb.keys_seen().is_empty());
    for (path, auth) in [
        ("/v1/pages/sandbox", Some("OAuth k1")),
        ("/v1/pages/sandbox", Some("Bearer secret-2")),
        ("/v1/pages/sandbox", Some("OAuth k1")),
        ("/v1/pages/sandbox", None),
        ("/", Some("OAuth on-the-public-page")),
        ("/v1/pages/sandbox?api_key=in-the-url", Some("OAuth k1")),
        ("/v1/pages/sandbox", Some("Bearer secret-2")),
    ] {
        raw(&sb, &get(path, auth)).await;
    }
    assert_eq!(sb.keys_seen(), ["OAuth k1", "Bearer secret-2", "OAuth on-the-public-page", "api_key=in-the-url"]);
    sb.shutdown().await;
}
