//! What goes over the wire: request fields we send and the parts of the
//! answers we read. Answers are parsed leniently (every field defaults), as
//! Statuspage's answers and error bodies vary.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Statuspage's limit on an incident's `name`, in characters.
pub const NAME_MAX_CHARS: usize = 255;
/// Statuspage's limit on an update's `body`, in characters.
pub const BODY_MAX_CHARS: usize = 25_000;

/// The `incident` object of a create (POST) or update (PATCH) request. On a
/// PATCH, `status` + `body` publish a new incident update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_override: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Scheduled maintenance window (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_remind_prior: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_auto_in_progress: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_auto_completed: Option<bool>,
    /// Components go under maintenance when it starts by itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_transition_to_maintenance_state: Option<bool>,
    /// Components go back to operational when it completes by itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_transition_to_operational_state: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_transition_deliver_notifications_at_start: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_transition_deliver_notifications_at_end: Option<bool>,
    /// Top-level values must be objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliver_notifications: Option<bool>,
    /// Component id → new component status, applied with this update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_ids: Option<Vec<String>>,
}

impl IncidentFields {
    /// Checks Statuspage's documented limits before anything is sent.
    pub fn check_limits(&self) -> Result<(), String> {
        if let Some(name) = &self.name {
            let n = name.chars().count();
            if n > NAME_MAX_CHARS {
                return Err(format!("the title has {n} characters; Statuspage allows {NAME_MAX_CHARS}"));
            }
        }
        if let Some(body) = &self.body {
            let n = body.chars().count();
            if n > BODY_MAX_CHARS {
                return Err(format!("the body has {n} characters; Statuspage allows {BODY_MAX_CHARS}"));
            }
        }
        if let Some(meta) = &self.metadata {
            match meta.as_object() {
                Some(map) if map.values().all(Value::is_object) => {}
                _ => return Err("metadata must be an object whose top-level values are objects".into()),
            }
        }
        Ok(())
    }
}

/// An incident as Statuspage returns it (the fields we read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Incident {
    pub id: String,
    pub page_id: Option<String>,
    pub name: String,
    pub status: String,
    pub impact: Option<String>,
    pub shortlink: Option<String>,
    pub created_at: Option<String>,
    pub resolved_at: Option<String>,
    pub scheduled_for: Option<String>,
    pub scheduled_until: Option<String>,
    pub metadata: Value,
    pub incident_updates: Vec<IncidentUpdate>,
    pub components: Vec<Component>,
    pub postmortem_body: Option<String>,
    /// A timestamp in practice (the description says boolean).
    pub postmortem_published_at: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentUpdate {
    pub id: String,
    pub incident_id: Option<String>,
    pub status: String,
    pub body: String,
    pub created_at: Option<String>,
    pub display_at: Option<String>,
    pub affected_components: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Component {
    pub id: String,
    pub page_id: Option<String>,
    pub group_id: Option<String>,
    pub group: bool,
    pub name: String,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub status: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Postmortem {
    pub body: Option<String>,
    pub body_draft: Option<String>,
    pub published_at: Option<String>,
    pub notify_subscribers: Option<bool>,
    pub notify_twitter: Option<bool>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

/// A template kept on the status page, imported into our own templates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentTemplate {
    pub id: String,
    pub name: String,
    pub title: String,
    pub body: String,
    pub group_id: Option<String>,
    pub update_status: Option<String>,
    pub should_tweet: Option<bool>,
    pub should_send_notifications: Option<bool>,
    pub components: Vec<Component>,
}
