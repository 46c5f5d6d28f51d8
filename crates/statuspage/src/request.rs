//! Requests as plain values: built once, then sent, printed by `--dry-run`
//! or checked against the API description by the tests.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::wire::IncidentFields;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete].into_iter().find(|m| m.as_str() == s)
    }

    /// Safe to repeat after an ambiguous failure. Only reads: a repeated
    /// PATCH with a body would publish the update twice.
    pub fn is_read(self) -> bool {
        self == Method::Get
    }
}

/// One API call: method, path below the API base (`/pages/…`), query and
/// JSON body. The key is not part of it; the client adds the header.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// Percent-encodes one path segment (ids are plain in practice).
fn seg(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

impl ApiRequest {
    fn new(method: Method, path: String, body: Option<Value>) -> ApiRequest {
        ApiRequest { method, path, query: Vec::new(), body }
    }

    fn with_query(mut self, name: &str, value: impl ToString) -> ApiRequest {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// `POST /pages/{page_id}/incidents`
    pub fn create_incident(page_id: &str, fields: &IncidentFields) -> ApiRequest {
        let body = json!({ "incident": fields });
        ApiRequest::new(Method::Post, format!("/pages/{}/incidents", seg(page_id)), Some(body))
    }

    /// `PATCH /pages/{page_id}/incidents/{incident_id}`: with `status` and
    /// `body` this publishes a new incident update.
    pub fn update_incident(page_id: &str, incident_id: &str, fields: &IncidentFields) -> ApiRequest {
        let body = json!({ "incident": fields });
        ApiRequest::new(Method::Patch, format!("/pages/{}/incidents/{}", seg(page_id), seg(incident_id)), Some(body))
    }

    pub fn get_incident(page_id: &str, incident_id: &str) -> ApiRequest {
        ApiRequest::new(Method::Get, format!("/pages/{}/incidents/{}", seg(page_id), seg(incident_id)), None)
    }

    /// `GET /pages/{page_id}/{tail}?page=…&per_page=…`: one page of a list.
    fn paged(page_id: &str, tail: &str, page: u32, per_page: u32) -> ApiRequest {
        ApiRequest::new(Method::Get, format!("/pages/{}/{tail}", seg(page_id)), None)
            .with_query("page", page)
            .with_query("per_page", per_page)
    }

    /// `GET /pages/{page_id}/incidents/unresolved`, one page of results.
    pub fn list_unresolved(page_id: &str, page: u32, per_page: u32) -> ApiRequest {
        Self::paged(page_id, "incidents/unresolved", page, per_page)
    }

    /// `GET /pages/{page_id}/incidents/upcoming`, one page of results.
    pub fn list_upcoming(page_id: &str, page: u32, per_page: u32) -> ApiRequest {
        Self::paged(page_id, "incidents/upcoming", page, per_page)
    }

    /// `GET /pages/{page_id}/incidents/scheduled`, one page of results.
    pub fn list_scheduled(page_id: &str, page: u32, per_page: u32) -> ApiRequest {
        Self::paged(page_id, "incidents/scheduled", page, per_page)
    }

    /// `GET /pages/{page_id}/incidents`: the most recent incidents, any status.
    pub fn list_incidents(page_id: &str, page: u32, limit: u32) -> ApiRequest {
        ApiRequest::new(Method::Get, format!("/pages/{}/incidents", seg(page_id)), None)
            .with_query("page", page)
            .with_query("limit", limit)
    }

    pub fn list_components(page_id: &str, page: u32, per_page: u32) -> ApiRequest {
        Self::paged(page_id, "components", page, per_page)
    }

    /// `PATCH /pages/{page_id}/components/{component_id}` with a new status.
    pub fn set_component_status(page_id: &str, component_id: &str, status: &str) -> ApiRequest {
        let body = json!({ "component": { "status": status } });
        ApiRequest::new(Method::Patch, format!("/pages/{}/components/{}", seg(page_id), seg(component_id)), Some(body))
    }

    fn postmortem_path(page_id: &str, incident_id: &str, tail: &str) -> String {
        format!("/pages/{}/incidents/{}/postmortem{tail}", seg(page_id), seg(incident_id))
    }

    pub fn get_postmortem(page_id: &str, incident_id: &str) -> ApiRequest {
        ApiRequest::new(Method::Get, Self::postmortem_path(page_id, incident_id, ""), None)
    }

    /// `PUT …/postmortem`: saves the draft (not visible to readers yet).
    pub fn postmortem_draft(page_id: &str, incident_id: &str, body: &str) -> ApiRequest {
        let body = json!({ "postmortem": { "body_draft": body } });
        ApiRequest::new(Method::Put, Self::postmortem_path(page_id, incident_id, ""), Some(body))
    }

    /// `PUT …/postmortem/publish`: makes the draft public, notifying the
    /// page's subscribers and posting to its Twitter account as asked.
    pub fn postmortem_publish(page_id: &str, incident_id: &str, notify_subscribers: bool, notify_twitter: bool) -> ApiRequest {
        let body = json!({ "postmortem": { "notify_subscribers": notify_subscribers, "notify_twitter": notify_twitter } });
        ApiRequest::new(Method::Put, Self::postmortem_path(page_id, incident_id, "/publish"), Some(body))
    }

    /// `PUT …/postmortem/revert`: takes a published postmortem back to draft.
    pub fn postmortem_revert(page_id: &str, incident_id: &str) -> ApiRequest {
        ApiRequest::new(Method::Put, Self::postmortem_path(page_id, incident_id, "/revert"), None)
    }

    pub fn list_templates(page_id: &str, page: u32, per_page: u32) -> ApiRequest {
        Self::paged(page_id, "incident_templates", page, per_page)
    }

    /// `GET /pages/{page_id}/incidents/…` → `"GET /pages/…"`, for progress lines.
    pub fn summary(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }

    /// The full URL below `base` (e.g. `https://api.statuspage.io/v1`).
    pub fn url(&self, base: &str) -> String {
        let mut url = format!("{}{}", base.trim_end_matches('/'), self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&seg(k));
            url.push('=');
            url.push_str(&seg(v));
        }
        url
    }

    /// The exact request as it will be sent, with the key redacted: what
    /// `desk publish --dry-run` prints.
    pub fn render(&self, base: &str) -> String {
        let mut out = format!("{} {}\nAuthorization: OAuth [redacted]\nAccept: application/json\n", self.method.as_str(), self.url(base));
        if let Some(body) = &self.body {
            out.push_str("Content-Type: application/json\n\n");
            out.push_str(&serde_json::to_string_pretty(body).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_never_shows_a_key_and_encodes_segments() {
        let req = ApiRequest::list_unresolved("pg 1", 2, 100);
        assert_eq!(req.url("http://x/v1/"), "http://x/v1/pages/pg%201/incidents/unresolved?page=2&per_page=100");
        assert!(req.render("http://x/v1").contains("OAuth [redacted]"));
    }
}
