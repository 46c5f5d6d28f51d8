//! The sandbox's data and the API's rules over it, free of HTTP: each
//! operation takes a parsed request and returns the status and JSON answer.

use std::collections::BTreeMap;

use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

pub use desk_statuspage::wire::{BODY_MAX_CHARS, NAME_MAX_CHARS};

const INCIDENT_STATUSES: [&str; 8] =
    ["investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "verifying", "completed"];
const COMPONENT_STATUSES: [&str; 5] =
    ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"];
const IMPACTS: [&str; 5] = ["none", "maintenance", "minor", "major", "critical"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentRec {
    pub id: String,
    pub page_id: String,
    pub group_id: Option<String>,
    pub group: bool,
    pub name: String,
    pub description: Option<String>,
    pub position: i64,
    pub status: String,
    pub showcase: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpdateRec {
    pub id: String,
    pub incident_id: String,
    pub status: String,
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
    pub display_at: String,
    pub deliver_notifications: bool,
    pub affected_components: Vec<Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PostmortemRec {
    pub body_draft: Option<String>,
    pub body: Option<String>,
    pub published_at: Option<String>,
    pub notify_subscribers: bool,
    #[serde(default)]
    pub notify_twitter: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IncidentRec {
    pub id: String,
    pub page_id: String,
    pub name: String,
    pub status: String,
    pub impact_override: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub monitoring_at: Option<String>,
    pub resolved_at: Option<String>,
    pub scheduled_for: Option<String>,
    pub scheduled_until: Option<String>,
    /// A maintenance's automatic steps as last sent (the
    /// [`MAINTENANCE_FLAGS`] Statuspage keeps and answers with).
    #[serde(default)]
    pub maintenance_flags: BTreeMap<String, bool>,
    pub metadata: Map<String, Value>,
    /// Oldest first here; the API answers newest first, as Statuspage does.
    pub updates: Vec<UpdateRec>,
    pub component_ids: Vec<String>,
    pub postmortem: Option<PostmortemRec>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateRec {
    pub id: String,
    pub name: String,
    pub title: String,
    pub body: String,
    pub group_id: Option<String>,
    pub update_status: Option<String>,
    pub should_tweet: bool,
    pub should_send_notifications: bool,
    pub component_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageRec {
    pub id: String,
    pub name: String,
    /// The language the page is written in, when it has one (`ja`, `en`).
    pub lang: Option<String>,
    pub components: Vec<ComponentRec>,
    pub incidents: Vec<IncidentRec>,
    pub templates: Vec<TemplateRec>,
}

/// Everything the sandbox keeps, as persisted in `sandbox.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    pub pages: BTreeMap<String, PageRec>,
    pub seq: u64,
}

/// A page to create when the data dir is empty.
#[derive(Debug, Clone)]
pub struct PageSeed {
    pub id: String,
    pub name: String,
    pub lang: Option<String>,
    pub components: Vec<String>,
}

impl PageSeed {
    /// One combined page and a Japanese + English pair.
    pub fn defaults() -> Vec<PageSeed> {
        let components = vec!["Web app".to_string(), "API".to_string(), "Notifications".to_string()];
        vec![
            PageSeed { id: "sandbox".into(), name: "Sandbox (ja + en)".into(), lang: None, components: components.clone() },
            PageSeed { id: "sandbox-ja".into(), name: "Sandbox (日本語)".into(), lang: Some("ja".into()), components: components.clone() },
            PageSeed { id: "sandbox-en".into(), name: "Sandbox (English)".into(), lang: Some("en".into()), components },
        ]
    }
}

/// An answer: HTTP status, JSON body, and whether data changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub committed: bool,
}

fn ok(body: Value) -> Answer {
    Answer { status: 200, body, committed: false }
}

fn changed(status: u16, body: Value) -> Answer {
    Answer { status, body, committed: true }
}

pub fn error(status: u16, message: impl Into<String>) -> Answer {
    Answer { status, body: json!({ "error": message.into() }), committed: false }
}

pub fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A parsed API call below `/v1`.
pub struct Call<'a> {
    pub method: &'a str,
    pub segments: Vec<&'a str>,
    pub query: BTreeMap<String, String>,
    pub body: Option<Value>,
}

impl Call<'_> {
    fn query_u32(&self, name: &str, default: u32) -> u32 {
        self.query.get(name).and_then(|v| v.parse().ok()).unwrap_or(default)
    }

    fn field<'b>(&'b self, wrapper: &str) -> Result<&'b Map<String, Value>, Answer> {
        self.body
            .as_ref()
            .and_then(|b| b.get(wrapper))
            .and_then(Value::as_object)
            .ok_or_else(|| error(400, format!("the body must be a JSON object with `{wrapper}`")))
    }
}

fn paginate<T: Clone>(items: &[T], page: u32, per_page: u32) -> Vec<T> {
    let per_page = per_page.clamp(1, 100) as usize;
    let start = (page.max(1) as usize - 1) * per_page;
    items.iter().skip(start).take(per_page).cloned().collect()
}

/// A value as an error message quotes it (JSON, cut at 60 characters).
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// `wrapper.name`, a string or absent (`null` counts as absent).
fn str_field(obj: &Map<String, Value>, wrapper: &str, name: &str) -> Result<Option<String>, Answer> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(error(422, format!("{wrapper}.{name} must be a string; got {}", shown(v)))),
    }
}

/// `wrapper.name`, `true`, `false` or absent: `"no"`, `0` and the like are refused.
fn bool_field(obj: &Map<String, Value>, wrapper: &str, name: &str) -> Result<Option<bool>, Answer> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => Err(error(422, format!("{wrapper}.{name} must be true or false; got {}", shown(v)))),
    }
}

/// A string field that must be one of `allowed`.
fn enum_field(obj: &Map<String, Value>, wrapper: &str, name: &str, allowed: &[&str]) -> Result<Option<String>, Answer> {
    match str_field(obj, wrapper, name)? {
        Some(s) if !allowed.contains(&s.as_str()) => Err(not_one_of(&format!("{wrapper}.{name}"), allowed, &Value::String(s))),
        other => Ok(other),
    }
}

fn not_one_of(field: &str, allowed: &[&str], got: &Value) -> Answer {
    error(422, format!("{field} must be one of {}; got {}", allowed.join(", "), shown(got)))
}

/// `wrapper.name`, an array of component ids, each on `page`; absent = `None`.
fn component_ids_field(page: &PageRec, obj: &Map<String, Value>, wrapper: &str, name: &str) -> Result<Option<Vec<String>>, Answer> {
    let items = match obj.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(v) => return Err(error(422, format!("{wrapper}.{name} must be an array of component ids; got {}", shown(v)))),
    };
    let mut ids = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::String(id) = item else {
            return Err(error(422, format!("{wrapper}.{name}[{i}] must be a component id (a string); got {}", shown(item))));
        };
        if !page.components.iter().any(|c| c.id == *id) {
            return Err(error(422, format!("component {id} is not on this page")));
        }
        ids.push(id.clone());
    }
    Ok(Some(ids))
}

/// The boolean fields of a maintenance Statuspage keeps on the incident and
/// answers with; the sandbox keeps them too (the newest value sent of each).
pub const MAINTENANCE_FLAGS: [&str; 7] = [
    "scheduled_remind_prior",
    "scheduled_auto_in_progress",
    "scheduled_auto_completed",
    "auto_transition_to_maintenance_state",
    "auto_transition_to_operational_state",
    "auto_transition_deliver_notifications_at_start",
    "auto_transition_deliver_notifications_at_end",
];

/// The boolean fields of an incident Statuspage accepts (the sandbox keeps
/// `deliver_notifications` and the [`MAINTENANCE_FLAGS`], and refuses a
/// wrong type in any of them).
const INCIDENT_FLAGS: [&str; 14] = [
    "deliver_notifications",
    "scheduled_remind_prior",
    "scheduled_auto_in_progress",
    "scheduled_auto_completed",
    "scheduled_auto_transition",
    "auto_transition_to_maintenance_state",
    "auto_transition_to_operational_state",
    "auto_transition_deliver_notifications_at_start",
    "auto_transition_deliver_notifications_at_end",
    "auto_tweet_at_beginning",
    "auto_tweet_on_completion",
    "auto_tweet_on_creation",
    "auto_tweet_one_hour_before",
    "backfilled",
];

/// A component status in an incident's `components` map or a component's
/// `status`: one of the five, or `""` (leave it as it is).
const COMPONENT_STATUS_CHOICES: [&str; 6] =
    ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage", "\"\" (no change)"];

fn component_status(field: &str, value: &Value) -> Result<String, Answer> {
    match value {
        Value::String(s) if s.is_empty() || COMPONENT_STATUSES.contains(&s.as_str()) => Ok(s.clone()),
        other => Err(not_one_of(field, &COMPONENT_STATUS_CHOICES, other)),
    }
}

fn check_time(value: Option<String>, name: &str) -> Result<Option<String>, Answer> {
    match value {
        Some(s) => chrono::DateTime::parse_from_rfc3339(&s)
            .map(|t| Some(t.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true)))
            .map_err(|_| error(422, format!("`{name}` is not a valid date-time"))),
        None => Ok(None),
    }
}

fn is_closed(status: &str) -> bool {
    matches!(status, "resolved" | "completed")
}

fn impact_from(components: &[&str]) -> &'static str {
    if components.contains(&"major_outage") {
        "critical"
    } else if components.contains(&"partial_outage") {
        "major"
    } else if components.contains(&"degraded_performance") {
        "minor"
    } else if components.contains(&"under_maintenance") {
        "maintenance"
    } else {
        "none"
    }
}

impl State {
    pub fn seeded(seeds: &[PageSeed]) -> State {
        let mut state = State::default();
        let at = now();
        for seed in seeds {
            let components = seed
                .components
                .iter()
                .enumerate()
                .map(|(i, name)| ComponentRec {
                    id: state.next_id(),
                    page_id: seed.id.clone(),
                    group_id: None,
                    group: false,
                    name: name.clone(),
                    description: None,
                    position: i as i64 + 1,
                    status: "operational".into(),
                    showcase: true,
                    created_at: at.clone(),
                    updated_at: at.clone(),
                })
                .collect();
            let page = PageRec {
                id: seed.id.clone(),
                name: seed.name.clone(),
                lang: seed.lang.clone(),
                components,
                incidents: Vec::new(),
                templates: Vec::new(),
            };
            state.pages.insert(seed.id.clone(), page);
        }
        state
    }

    /// A fresh 12-character id (Statuspage's shape: lowercase and digits).
    pub fn next_id(&mut self) -> String {
        self.seq += 1;
        let mut x = self.seq.wrapping_add(0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x ^= x >> 31;
        let alphabet = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut id = String::with_capacity(12);
        // 8 mixed characters, then 4 from the counter: unique by construction.
        for _ in 0..8 {
            id.push(alphabet[(x % 36) as usize] as char);
            x /= 36;
        }
        let mut n = self.seq;
        for _ in 0..4 {
            id.push(alphabet[(n % 36) as usize] as char);
            n /= 36;
        }
        id
    }

    pub fn incident_json(page: &PageRec, rec: &IncidentRec, public_base: &str) -> Value {
        let components: Vec<&ComponentRec> =
            page.components.iter().filter(|c| rec.component_ids.contains(&c.id)).collect();
        let statuses: Vec<&str> = components.iter().map(|c| c.status.as_str()).collect();
        let impact = rec.impact_override.clone().unwrap_or_else(|| impact_from(&statuses).to_string());
        let updates: Vec<&UpdateRec> = rec.updates.iter().rev().collect();
        let published = rec.postmortem.as_ref().and_then(|p| p.published_at.clone());
        let mut answer = json!({
            "id": rec.id,
            "page_id": rec.page_id,
            "name": rec.name,
            "status": rec.status,
            "impact": impact,
            "impact_override": rec.impact_override,
            "created_at": rec.created_at,
            "updated_at": rec.updated_at,
            "monitoring_at": rec.monitoring_at,
            "resolved_at": rec.resolved_at,
            "scheduled_for": rec.scheduled_for,
            "scheduled_until": rec.scheduled_until,
            "shortlink": format!("{public_base}/incidents/{}", rec.id),
            "metadata": rec.metadata,
            "incident_updates": updates,
            "components": components,
            "postmortem_body": published.as_ref().and(rec.postmortem.as_ref().and_then(|p| p.body.clone())),
            "postmortem_published_at": published,
            "postmortem_notify_subscribers": rec.postmortem.as_ref().is_some_and(|p| p.notify_subscribers),
            "postmortem_notify_twitter": rec.postmortem.as_ref().is_some_and(|p| p.notify_twitter),
        });
        // Statuspage answers every flag, false when never set.
        for flag in MAINTENANCE_FLAGS {
            answer[flag] = json!(rec.maintenance_flags.get(flag).copied().unwrap_or(false));
        }
        answer
    }

    /// Runs one API call. `public_base` is where the status page is served.
    pub fn handle(&mut self, call: &Call<'_>, public_base: &str) -> Answer {
        let s = &call.segments;
        match (call.method, s.as_slice()) {
            ("GET", ["pages"]) => {
                let pages: Vec<Value> = self.pages.values().map(page_json).collect();
                ok(Value::Array(pages))
            }
            (_, ["pages", page_id, rest @ ..]) => {
                let page_id = page_id.to_string();
                if !self.pages.contains_key(&page_id) {
                    return error(404, "page not found");
                }
                let rest: Vec<&str> = rest.to_vec();
                self.page_call(&page_id, call, &rest, public_base)
            }
            _ => error(404, "not found"),
        }
    }

    fn page_call(&mut self, page_id: &str, call: &Call<'_>, rest: &[&str], base: &str) -> Answer {
        match (call.method, rest) {
            ("GET", []) => ok(page_json(&self.pages[page_id])),
            ("GET", ["incidents"]) => self.list(page_id, call, |_| true, base),
            ("GET", ["incidents", "unresolved"]) => self.list(page_id, call, |r| {
                matches!(r.status.as_str(), "investigating" | "identified" | "monitoring" | "in_progress" | "verifying")
            }, base),
            ("GET", ["incidents", "scheduled"]) => self.list(page_id, call, |r| r.status == "scheduled", base),
            // Scheduled maintenance that has not begun yet.
            ("GET", ["incidents", "upcoming"]) => self.list(page_id, call, |r| r.status == "scheduled", base),
            ("POST", ["incidents"]) => self.create_incident(page_id, call, base),
            ("GET", ["incidents", id]) => self.with_incident(page_id, id, |page, rec| {
                ok(State::incident_json(page, rec, base))
            }),
            ("PATCH" | "PUT", ["incidents", id]) => self.update_incident(page_id, id, call, base),
            ("DELETE", ["incidents", id]) => {
                let page = self.pages.get_mut(page_id).expect("checked");
                match page.incidents.iter().position(|r| r.id == *id) {
                    Some(i) => {
                        let rec = page.incidents.remove(i);
                        let page = &self.pages[page_id];
                        changed(200, State::incident_json(page, &rec, base))
                    }
                    None => error(404, "incident not found"),
                }
            }
            (m, ["incidents", id, "postmortem", tail @ ..]) => self.postmortem(page_id, id, m, tail, call),
            ("GET", ["components"]) => {
                let page = &self.pages[page_id];
                let list = paginate(&page.components, call.query_u32("page", 1), call.query_u32("per_page", 100));
                ok(json!(list))
            }
            ("GET", ["components", id]) => match self.pages[page_id].components.iter().find(|c| c.id == *id) {
                Some(c) => ok(json!(c)),
                None => error(404, "component not found"),
            },
            ("PATCH" | "PUT", ["components", id]) => self.update_component(page_id, id, call),
            ("GET", ["incident_templates"]) => {
                let page = &self.pages[page_id];
                let list: Vec<Value> = paginate(&page.templates, call.query_u32("page", 1), call.query_u32("per_page", 100))
                    .iter()
                    .map(|t| template_json(page, t))
                    .collect();
                ok(Value::Array(list))
            }
            ("POST", ["incident_templates"]) => self.create_template(page_id, call),
            _ => error(404, "not found"),
        }
    }

    fn list(&self, page_id: &str, call: &Call<'_>, keep: impl Fn(&IncidentRec) -> bool, base: &str) -> Answer {
        let page = &self.pages[page_id];
        let q = call.query.get("q").map(|q| q.to_lowercase());
        let matches_q = |r: &IncidentRec| match &q {
            None => true,
            Some(q) => {
                r.name.to_lowercase().contains(q)
                    || r.status.contains(q.as_str())
                    || r.updates.iter().any(|u| u.body.to_lowercase().contains(q))
            }
        };
        let mut list: Vec<&IncidentRec> = page.incidents.iter().filter(|r| keep(r) && matches_q(r)).collect();
        list.reverse(); // newest first
        let per_page = call.query.get("limit").or(call.query.get("per_page")).and_then(|v| v.parse().ok()).unwrap_or(100);
        let list = paginate(&list, call.query_u32("page", 1), per_page);
        ok(Value::Array(list.into_iter().map(|r| State::incident_json(page, r, base)).collect()))
    }

    fn with_incident(&self, page_id: &str, id: &str, f: impl FnOnce(&PageRec, &IncidentRec) -> Answer) -> Answer {
        let page = &self.pages[page_id];
        match page.incidents.iter().find(|r| r.id == id) {
            Some(rec) => f(page, rec),
            None => error(404, "incident not found"),
        }
    }

    /// Validates the `incident` object of a create or update: every field
    /// of the wrong type or out of range is refused, naming the field.
    fn incident_input(&self, page_id: &str, call: &Call<'_>, creating: bool) -> Result<IncidentInput, Answer> {
        const W: &str = "incident";
        let obj = call.field(W)?;
        let name = str_field(obj, W, "name")?;
        match &name {
            Some(n) if n.chars().count() > NAME_MAX_CHARS => {
                return Err(error(422, format!("name is too long (maximum is {NAME_MAX_CHARS} characters)")))
            }
            Some(n) if n.trim().is_empty() => return Err(error(422, "name can't be blank")),
            None if creating => return Err(error(422, "name can't be blank")),
            _ => {}
        }
        let body = str_field(obj, W, "body")?;
        if body.as_ref().is_some_and(|b| b.chars().count() > BODY_MAX_CHARS) {
            return Err(error(422, format!("body is too long (maximum is {BODY_MAX_CHARS} characters)")));
        }
        let status = enum_field(obj, W, "status", &INCIDENT_STATUSES)?;
        let impact_override = enum_field(obj, W, "impact_override", &IMPACTS)?;
        let metadata = match obj.get("metadata") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) if m.values().all(Value::is_object) => Some(m.clone()),
            Some(_) => return Err(error(422, "metadata: top-level values must be objects")),
        };
        for flag in INCIDENT_FLAGS {
            bool_field(obj, W, flag)?;
        }
        let mut maintenance_flags = BTreeMap::new();
        for flag in MAINTENANCE_FLAGS {
            if let Some(v) = bool_field(obj, W, flag)? {
                maintenance_flags.insert(flag.to_string(), v);
            }
        }
        for text in ["reminder_intervals", "backfill_date"] {
            str_field(obj, W, text)?;
        }
        let page = &self.pages[page_id];
        let mut components = Vec::new();
        if let Some(map) = obj.get("components") {
            let map = map
                .as_object()
                .ok_or_else(|| error(422, format!("incident.components must be an object of component id to status; got {}", shown(map))))?;
            for (id, status) in map {
                if !page.components.iter().any(|c| c.id == *id) {
                    return Err(error(422, format!("component {id} is not on this page")));
                }
                components.push((id.clone(), component_status(&format!("incident.components.{id}"), status)?));
            }
        }
        Ok(IncidentInput {
            name,
            status,
            body,
            impact_override,
            metadata,
            components,
            component_ids: component_ids_field(page, obj, W, "component_ids")?.unwrap_or_default(),
            scheduled_for: check_time(str_field(obj, W, "scheduled_for")?, "scheduled_for")?,
            scheduled_until: check_time(str_field(obj, W, "scheduled_until")?, "scheduled_until")?,
            deliver_notifications: bool_field(obj, W, "deliver_notifications")?.unwrap_or(true),
            maintenance_flags,
        })
    }

    fn create_incident(&mut self, page_id: &str, call: &Call<'_>, base: &str) -> Answer {
        let input = match self.incident_input(page_id, call, true) {
            Ok(i) => i,
            Err(a) => return a,
        };
        let id = self.next_id();
        let at = now();
        let status = input.status.clone().unwrap_or_else(|| {
            if input.scheduled_for.is_some() { "scheduled".into() } else { "investigating".into() }
        });
        let rec = IncidentRec {
            id: id.clone(),
            page_id: page_id.to_string(),
            name: input.name.clone().unwrap_or_default(),
            status: status.clone(),
            impact_override: input.impact_override.clone(),
            created_at: at.clone(),
            updated_at: at.clone(),
            monitoring_at: None,
            resolved_at: None,
            scheduled_for: input.scheduled_for.clone(),
            scheduled_until: input.scheduled_until.clone(),
            maintenance_flags: input.maintenance_flags.clone(),
            metadata: input.metadata.clone().unwrap_or_default(),
            updates: Vec::new(),
            component_ids: Vec::new(),
            postmortem: None,
        };
        self.pages.get_mut(page_id).expect("checked").incidents.push(rec);
        self.apply_update(page_id, &id, &input, Some(status), true);
        let page = &self.pages[page_id];
        let rec = page.incidents.iter().find(|r| r.id == id).expect("just added");
        changed(201, State::incident_json(page, rec, base))
    }

    fn update_incident(&mut self, page_id: &str, id: &str, call: &Call<'_>, base: &str) -> Answer {
        if !self.pages[page_id].incidents.iter().any(|r| r.id == id) {
            return error(404, "incident not found");
        }
        let input = match self.incident_input(page_id, call, false) {
            Ok(i) => i,
            Err(a) => return a,
        };
        let new_update = input.status.is_some() || input.body.is_some();
        {
            let rec = self.incident_mut(page_id, id);
            if let Some(name) = &input.name {
                rec.name = name.clone();
            }
            if input.impact_override.is_some() {
                rec.impact_override = input.impact_override.clone();
            }
            if let Some(meta) = &input.metadata {
                for (k, v) in meta {
                    rec.metadata.insert(k.clone(), v.clone());
                }
            }
            if input.scheduled_for.is_some() {
                rec.scheduled_for = input.scheduled_for.clone();
            }
            if input.scheduled_until.is_some() {
                rec.scheduled_until = input.scheduled_until.clone();
            }
            for (flag, v) in &input.maintenance_flags {
                rec.maintenance_flags.insert(flag.clone(), *v);
            }
            rec.updated_at = now();
        }
        let status = input.status.clone();
        self.apply_update(page_id, id, &input, status, new_update);
        let page = &self.pages[page_id];
        let rec = page.incidents.iter().find(|r| r.id == id).expect("checked");
        changed(200, State::incident_json(page, rec, base))
    }

    fn incident_mut(&mut self, page_id: &str, id: &str) -> &mut IncidentRec {
        let page = self.pages.get_mut(page_id).expect("checked");
        page.incidents.iter_mut().find(|r| r.id == id).expect("checked")
    }

    /// Applies component changes and, when asked, adds an incident update.
    fn apply_update(&mut self, page_id: &str, id: &str, input: &IncidentInput, status: Option<String>, add: bool) {
        let at = now();
        let update_id = self.next_id();
        let page = self.pages.get_mut(page_id).expect("checked");
        let mut affected = Vec::new();
        let mut touched: Vec<String> = input.component_ids.clone();
        for (cid, new_status) in &input.components {
            touched.push(cid.clone());
            if new_status.is_empty() {
                continue;
            }
            if let Some(c) = page.components.iter_mut().find(|c| c.id == *cid) {
                affected.push(json!({
                    "code": c.id, "name": c.name, "old_status": c.status, "new_status": new_status,
                }));
                c.status = new_status.clone();
                c.updated_at = at.clone();
            }
        }
        let rec = page.incidents.iter_mut().find(|r| r.id == id).expect("checked");
        for cid in touched {
            if !rec.component_ids.contains(&cid) {
                rec.component_ids.push(cid);
            }
        }
        if let Some(status) = &status {
            if *status != rec.status || rec.updates.is_empty() {
                if status == "monitoring" {
                    rec.monitoring_at = Some(at.clone());
                }
                rec.resolved_at = is_closed(status).then(|| at.clone());
            }
            rec.status = status.clone();
        }
        if add {
            rec.updates.push(UpdateRec {
                id: update_id,
                incident_id: rec.id.clone(),
                status: rec.status.clone(),
                body: input.body.clone().unwrap_or_default(),
                created_at: at.clone(),
                updated_at: at.clone(),
                display_at: at.clone(),
                deliver_notifications: input.deliver_notifications,
                affected_components: affected,
            });
        }
    }

    fn postmortem(&mut self, page_id: &str, id: &str, method: &str, tail: &[&str], call: &Call<'_>) -> Answer {
        if !self.pages[page_id].incidents.iter().any(|r| r.id == id) {
            return error(404, "incident not found");
        }
        let at = now();
        let mut input = None;
        let mut notify = false;
        let mut twitter = false;
        match (method, tail) {
            ("PUT", []) => {
                let draft = call.field("postmortem").and_then(|o| str_field(o, "postmortem", "body_draft"));
                match draft {
                    Ok(Some(d)) if d.chars().count() <= BODY_MAX_CHARS => input = Some(d),
                    Ok(Some(_)) => return error(422, format!("body_draft is too long (maximum is {BODY_MAX_CHARS} characters)")),
                    Ok(None) => return error(400, "postmortem.body_draft is required"),
                    Err(a) => return a,
                }
            }
            // The body is optional here; when sent, its fields are checked.
            ("PUT", ["publish"]) if call.body.as_ref().is_some_and(|b| b.get("postmortem").is_some()) => {
                let checked = call.field("postmortem").and_then(|o| {
                    let t = bool_field(o, "postmortem", "notify_twitter")?;
                    str_field(o, "postmortem", "custom_tweet")?;
                    Ok((bool_field(o, "postmortem", "notify_subscribers")?, t))
                });
                match checked {
                    Ok((n, t)) => {
                        notify = n.unwrap_or(false);
                        twitter = t.unwrap_or(false);
                    }
                    Err(a) => return a,
                }
            }
            _ => {}
        }
        let rec = self.incident_mut(page_id, id);
        match (method, tail) {
            ("GET", []) => match &rec.postmortem {
                Some(p) => ok(json!(p)),
                None => error(404, "no postmortem"),
            },
            ("PUT", []) => {
                let pm = rec.postmortem.get_or_insert_with(|| PostmortemRec { created_at: at.clone(), ..Default::default() });
                pm.body_draft = input;
                pm.updated_at = at;
                changed(200, json!(pm))
            }
            ("DELETE", []) => {
                rec.postmortem = None;
                changed(204, Value::Null)
            }
            ("PUT", ["publish"]) => match rec.postmortem.as_mut() {
                Some(pm) if pm.body_draft.is_some() => {
                    pm.body = pm.body_draft.clone();
                    pm.published_at = Some(at.clone());
                    pm.notify_subscribers = notify;
                    pm.notify_twitter = twitter;
                    pm.updated_at = at;
                    changed(200, json!(pm))
                }
                _ => error(400, "there is no postmortem draft to publish"),
            },
            ("PUT", ["revert"]) => match rec.postmortem.as_mut() {
                Some(pm) if pm.published_at.is_some() => {
                    pm.published_at = None;
                    pm.updated_at = at;
                    changed(200, json!(pm))
                }
                _ => error(400, "the postmortem is not published"),
            },
            _ => error(404, "not found"),
        }
    }

    fn update_component(&mut self, page_id: &str, id: &str, call: &Call<'_>) -> Answer {
        const W: &str = "component";
        let obj = match call.field(W) {
            Ok(o) => o.clone(),
            Err(a) => return a,
        };
        if !self.pages[page_id].components.iter().any(|c| c.id == id) {
            return error(404, "component not found");
        }
        // Everything is checked before anything changes.
        let checked = (|| {
            let status = match obj.get("status") {
                None | Some(Value::Null) => None,
                Some(v) => Some(component_status("component.status", v)?).filter(|s| !s.is_empty()),
            };
            let name = str_field(&obj, W, "name")?;
            if name.as_ref().is_some_and(|n| n.trim().is_empty()) {
                return Err(error(422, "component.name can't be blank"));
            }
            let description = str_field(&obj, W, "description")?;
            for text in ["group_id", "start_date"] {
                str_field(&obj, W, text)?;
            }
            bool_field(&obj, W, "only_show_if_degraded")?;
            let showcase = bool_field(&obj, W, "showcase")?;
            Ok((status, name, description, showcase))
        })();
        let (status, name, description, showcase) = match checked {
            Ok(c) => c,
            Err(a) => return a,
        };
        let page = self.pages.get_mut(page_id).expect("checked");
        let c = page.components.iter_mut().find(|c| c.id == id).expect("checked");
        if let Some(status) = status {
            c.status = status;
        }
        if let Some(name) = name {
            c.name = name;
        }
        if description.is_some() {
            c.description = description;
        }
        if let Some(showcase) = showcase {
            c.showcase = showcase;
        }
        c.updated_at = now();
        changed(200, json!(c))
    }

    fn create_template(&mut self, page_id: &str, call: &Call<'_>) -> Answer {
        const W: &str = "template";
        let obj = match call.field(W) {
            Ok(o) => o.clone(),
            Err(a) => return a,
        };
        let page = &self.pages[page_id];
        let checked = (|| {
            let (name, title, body) = (str_field(&obj, W, "name")?, str_field(&obj, W, "title")?, str_field(&obj, W, "body")?);
            let (Some(name), Some(title), Some(body)) = (name, title, body) else {
                return Err(error(422, "a template needs name, title and body"));
            };
            Ok(TemplateRec {
                id: String::new(),
                name,
                title,
                body,
                group_id: str_field(&obj, W, "group_id")?,
                update_status: enum_field(&obj, W, "update_status", &INCIDENT_STATUSES)?,
                should_tweet: bool_field(&obj, W, "should_tweet")?.unwrap_or(false),
                should_send_notifications: bool_field(&obj, W, "should_send_notifications")?.unwrap_or(true),
                component_ids: component_ids_field(page, &obj, W, "component_ids")?.unwrap_or_default(),
            })
        })();
        let mut rec = match checked {
            Ok(r) => r,
            Err(a) => return a,
        };
        rec.id = self.next_id();
        let page = self.pages.get_mut(page_id).expect("checked");
        page.templates.push(rec);
        let page = &self.pages[page_id];
        changed(201, template_json(page, page.templates.last().expect("just added")))
    }
}

struct IncidentInput {
    name: Option<String>,
    status: Option<String>,
    body: Option<String>,
    impact_override: Option<String>,
    metadata: Option<Map<String, Value>>,
    components: Vec<(String, String)>,
    component_ids: Vec<String>,
    scheduled_for: Option<String>,
    scheduled_until: Option<String>,
    deliver_notifications: bool,
    maintenance_flags: BTreeMap<String, bool>,
}

fn page_json(page: &PageRec) -> Value {
    json!({ "id": page.id, "name": page.name, "time_zone": "Asia/Tokyo" })
}

fn template_json(page: &PageRec, t: &TemplateRec) -> Value {
    let components: Vec<&ComponentRec> = page.components.iter().filter(|c| t.component_ids.contains(&c.id)).collect();
    json!({
        "id": t.id, "name": t.name, "title": t.title, "body": t.body, "group_id": t.group_id,
        "update_status": t.update_status, "should_tweet": t.should_tweet,
        "should_send_notifications": t.should_send_notifications, "components": components,
    })
}
