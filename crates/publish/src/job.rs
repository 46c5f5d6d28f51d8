//! The payloads of one update, exactly as the preview shows them: the
//! organisation's templates fill the titles and bodies (desk-render).

use chrono::SecondsFormat;
use desk_model::{Incident, Kind, Lang, Status};
use desk_render::{combine, render_update, RenderError};
use desk_templates::TemplateSet;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::engine::{PagePayload, PublishJob};
use crate::target::PublishSettings;

/// Where an update goes: one page with both languages, or one page each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    Combined(String),
    Split { ja: String, en: String },
}

/// The job for `incident.updates[index]`, rendered with the organisation's
/// templates; it notifies subscribers unless its author chose otherwise (see
/// [`render_job_with`] for the organisation's defaults per status).
pub fn render_job(
    set: &TemplateSet,
    incident: &Incident,
    incident_key: &str,
    index: usize,
    pages: &Pages,
) -> Result<PublishJob, RenderError> {
    render_job_with(set, incident, incident_key, index, pages, &PublishSettings::default())
}

/// [`render_job`] under the organisation's publish settings: without the
/// author's choice, whether subscribers are notified is the settings'
/// default for the update's status.
pub fn render_job_with(
    set: &TemplateSet,
    incident: &Incident,
    incident_key: &str,
    index: usize,
    pages: &Pages,
    settings: &PublishSettings,
) -> Result<PublishJob, RenderError> {
    let ja = render_update(set, incident, index, Lang::Ja)?;
    let en = render_update(set, incident, index, Lang::En)?;
    let update = &incident.updates[index];
    let payloads = match pages {
        Pages::Combined(page_id) => {
            let both = combine(&ja, &en, &set.settings.layout);
            vec![PagePayload { page_id: page_id.clone(), lang: None, title: both.title, body: both.body }]
        }
        Pages::Split { ja: ja_page, en: en_page } => vec![
            PagePayload { page_id: ja_page.clone(), lang: Some(Lang::Ja), title: ja.title, body: ja.body },
            PagePayload { page_id: en_page.clone(), lang: Some(Lang::En), title: en.title, body: en.body },
        ],
    };
    let period = incident.period_for(update).or(incident.period);
    let window = incident.maintenance_for(index);
    let period = window.map(|w| w.period()).or(period);
    Ok(PublishJob {
        incident_key: incident_key.to_string(),
        update_index: index,
        kind: incident.kind,
        status: update.status,
        impact: incident.impact,
        components: incident.components.clone(),
        scheduled_for: period.map(|p| p.start),
        scheduled_until: period.and_then(|p| p.end),
        maintenance: window,
        deliver_notifications: update.notify.unwrap_or_else(|| settings.notify_by_default(update.status)),
        notify_twitter: update.notify_twitter && update.status == Status::Postmortem,
        pages: payloads,
    })
}

/// What a job sends, as canonical JSON, and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestDigest {
    pub hash: String,
    pub request: Value,
}

/// The digest of exactly what `job` sends to each page: per page its title
/// and body (each language's, or the combined one), and the status, impact,
/// components with their statuses (by name: ids come from the page),
/// `deliver_notifications` (and a postmortem's `notify_twitter`), the kind
/// and, for a maintenance, its times, as
/// the engine puts them in the request.
pub fn request_digest(job: &PublishJob) -> RequestDigest {
    let maintenance = job.kind == Kind::Maintenance;
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| match t {
        Some(t) if maintenance => Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        _ => Value::Null,
    };
    let components: Map<String, Value> =
        job.components.iter().map(|c| (c.name.clone(), Value::String(c.status.as_str().to_string()))).collect();
    let pages: Map<String, Value> = job
        .pages
        .iter()
        // By language, not page id: the approval covers what readers get,
        // wherever the organisation's page ids point.
        .map(|p| (p.lang.map_or("both", Lang::as_str).to_string(), json!({ "lang": p.lang.map(Lang::as_str), "title": p.title, "body": p.body })))
        .collect();
    let request = json!({
        "kind": job.kind.as_str(),
        "status": job.status.statuspage_status(),
        "impact": if maintenance { "maintenance" } else { job.impact.as_str() },
        "components": components,
        "deliver_notifications": job.deliver_notifications,
        "scheduled_for": time(job.scheduled_for),
        "scheduled_until": time(job.scheduled_until),
        "pages": pages,
    });
    let mut request = request;
    // A maintenance's automatic steps are part of what is approved; a
    // request without them keeps the digest it always had.
    if let Some(w) = job.maintenance.filter(|_| maintenance) {
        request["maintenance"] = json!({
            "scheduled_remind_prior": w.remind_before_minutes.is_some(),
            "remind_before_minutes": w.remind_before_minutes,
            "scheduled_auto_in_progress": w.auto_in_progress,
            "scheduled_auto_completed": w.auto_completed,
            "auto_transition_deliver_notifications_at_start": w.notify_at_start,
            "auto_transition_deliver_notifications_at_end": w.notify_at_end,
        });
    }
    // A postmortem's publish also says whether it goes to Twitter; other
    // requests keep the digest they always had.
    if job.status == Status::Postmortem {
        request["notify_twitter"] = json!(job.notify_twitter);
    }
    let hash = Sha256::digest(canonical_json(&request).as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    RequestDigest { hash, request }
}

/// `value` as JSON with every object's keys sorted and no spaces.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::String((*k).clone()), canonical_json(&map[k.as_str()]))).collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// A page of the request by its language: "Japanese", "English" or "combined".
fn slot_name(slot: &str) -> &'static str {
    match slot {
        "ja" => "Japanese",
        "en" => "English",
        _ => "combined",
    }
}

/// What differs between an approved request and the one that would be
/// sent now, in plain words ("the English body",
/// "deliver_notifications: false → true"); empty when they are the same.
pub fn describe_changes(approved: &Value, now: &Value) -> Vec<String> {
    let shown = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "(none)".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => canonical_json(other),
    };
    let object = |v: &Value, key: &str| v.get(key).map(object_of).unwrap_or_default();
    let mut changes = Vec::new();
    for key in union_keys(&object_of(approved), &object_of(now)) {
        let (a, b) = (approved.get(&key), now.get(&key));
        if a == b {
            continue;
        }
        match key.as_str() {
            "pages" => {
                let (a, b) = (object(approved, "pages"), object(now, "pages"));
                for id in union_keys(&a, &b) {
                    match (a.get(&id), b.get(&id)) {
                        (Some(_), None) => changes.push(format!("the {} page (approved, no longer sent)", slot_name(&id))),
                        (None, Some(_)) => changes.push(format!("the {} page (not in the approved request)", slot_name(&id))),
                        (Some(pa), Some(pb)) => {
                            for field in ["title", "body"] {
                                if pa.get(field) != pb.get(field) {
                                    changes.push(format!("the {} {field}", slot_name(&id)));
                                }
                            }
                        }
                        (None, None) => {}
                    }
                }
            }
            "components" => {
                let (a, b) = (object(approved, "components"), object(now, "components"));
                for name in union_keys(&a, &b).into_iter().filter(|n| a.get(n) != b.get(n)) {
                    changes.push(format!("component {name}: {} → {}", shown(a.get(&name)), shown(b.get(&name))));
                }
            }
            _ => changes.push(format!("{key}: {} → {}", shown(a), shown(b))),
        }
    }
    changes
}

fn object_of(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// The keys of either object, sorted, each once.
fn union_keys(a: &Map<String, Value>, b: &Map<String, Value>) -> Vec<String> {
    let mut keys: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::{Kind, Status, Update};

    fn delays() -> Incident {
        let mut incident = Incident::new(Kind::Incident);
        incident.title.ja = "遅延".into();
        incident.title.en = "Delays".into();
        incident
    }

    #[test]
    fn payloads_are_what_the_preview_shows() {
        let set = TemplateSet::builtin();
        let mut incident = delays();
        let mut u = Update::new(Status::Identified);
        u.ja.cause = "設定".into();
        u.en.body = Some("Config.".into());
        incident.updates.push(u);
        let job = render_job(&set, &incident, "k", 0, &Pages::Combined("p".into())).unwrap();
        let ja = render_update(&set, &incident, 0, Lang::Ja).unwrap();
        assert_eq!(job.pages[0].title, "遅延 / Delays");
        assert!(job.pages[0].body.starts_with(&ja.body), "{}", job.pages[0].body);
        assert!(job.pages[0].body.contains("■ 原因\n設定"), "{}", job.pages[0].body);
        assert!(job.pages[0].body.ends_with("---\n\nConfig."));
        let split = render_job(&set, &incident, "k", 0, &Pages::Split { ja: "a".into(), en: "b".into() }).unwrap();
        assert_eq!(split.pages.len(), 2);
        assert_eq!(split.pages[1].body, "Config.");
        assert!(render_job(&set, &incident, "k", 1, &Pages::Combined("p".into())).is_err());
    }

    #[test]
    fn the_digest_covers_what_is_sent_and_names_what_changed() {
        let set = TemplateSet::builtin();
        let mut incident = delays();
        incident.updates.push(Update::new(Status::Monitoring));
        let pages = Pages::Split { ja: "a".into(), en: "b".into() };
        let job = render_job(&set, &incident, "k", 0, &pages).unwrap();
        assert!(job.deliver_notifications);
        let approved = request_digest(&job);
        assert_eq!(approved.hash.len(), 64);
        // The same job, the same digest; the key and index are not part of it.
        let mut same = job.clone();
        same.incident_key = "other".into();
        assert_eq!(request_digest(&same), approved);

        let quiet = PublishSettings { quiet_statuses: vec![Status::Monitoring], ..PublishSettings::default() };
        let mut changed = render_job_with(&set, &incident, "k", 0, &pages, &quiet).unwrap();
        assert!(!changed.deliver_notifications);
        changed.pages[1].body.push_str(" more");
        let now = request_digest(&changed);
        assert_ne!(now.hash, approved.hash);
        assert_eq!(
            describe_changes(&approved.request, &now.request),
            ["deliver_notifications: true → false", "the English body"]
        );
        assert!(describe_changes(&approved.request, &approved.request).is_empty());
        // The author's choice wins over the organisation's default.
        incident.updates[0].notify = Some(true);
        assert!(render_job_with(&set, &incident, "k", 0, &pages, &quiet).unwrap().deliver_notifications);
        assert_eq!(canonical_json(&json!({ "b": [1, { "d": 1, "c": "x" }], "a": null })), r#"{"a":null,"b":[1,{"c":"x","d":1}]}"#);
    }

    #[test]
    fn a_postmortems_twitter_choice_is_part_of_what_is_approved() {
        let set = TemplateSet::builtin();
        let mut incident = delays();
        let mut u = Update::new(Status::Postmortem);
        u.ja.cause = "設定".into();
        u.en.cause = "Config".into();
        u.notify = Some(true);
        incident.updates.push(u);
        let pages = Pages::Combined("p".into());
        let job = render_job(&set, &incident, "k", 0, &pages).unwrap();
        assert!(job.deliver_notifications && !job.notify_twitter);
        let approved = request_digest(&job);
        assert_eq!(approved.request["notify_twitter"], json!(false));
        incident.updates[0].notify_twitter = true;
        let tweeting = render_job(&set, &incident, "k", 0, &pages).unwrap();
        assert!(tweeting.notify_twitter);
        let now = request_digest(&tweeting);
        assert_ne!(now.hash, approved.hash, "an approval without Twitter does not cover a publish with it");
        assert_eq!(describe_changes(&approved.request, &now.request), ["notify_twitter: false → true"]);
        // Only a postmortem goes to Twitter; other updates' digests are as they were.
        incident.updates[0].status = Status::Resolved;
        let resolved = render_job(&set, &incident, "k", 0, &pages).unwrap();
        assert!(!resolved.notify_twitter);
        assert!(request_digest(&resolved).request.get("notify_twitter").is_none());
    }
}
