//! Statuspage's public history JSON (`/api/v2/incidents.json`):
//! `{"incidents":[{"name","status","impact","created_at","incident_updates":[…]}]}`,
//! incidents and updates newest first. Statuses are fields here; sections and
//! periods are still recognised from the bodies.

use chrono::{DateTime, Utc};
use desk_model::{Bilingual, Impact, Incident, Kind, PeriodStyle, Status, Update, UpdateText};
use serde::Deserialize;

use super::recognise::{fill_sections, split_title, status_from_text};
use super::{fingerprint, incident_period, whole, ImportError};
use crate::incidents::NewIncident;
use crate::text::is_japanese;

#[derive(Deserialize)]
struct History {
    incidents: Vec<RawIncident>,
}

#[derive(Deserialize)]
struct RawIncident {
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    impact: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    started_at: Option<String>,
    #[serde(default)]
    scheduled_for: Option<String>,
    #[serde(default)]
    postmortem_body: Option<String>,
    #[serde(default)]
    postmortem_published_at: Option<String>,
    #[serde(default)]
    incident_updates: Vec<RawUpdate>,
}

#[derive(Deserialize)]
struct RawUpdate {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    display_at: Option<String>,
}

/// Reads the history JSON. Errors name the line and column, or the incident.
pub fn parse(text: &str) -> Result<Vec<NewIncident>, ImportError> {
    let history: History = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| ImportError {
        file: None,
        line: Some(e.line()),
        column: Some(e.column()),
        message: format!("not Statuspage's history JSON ({{\"incidents\":[...]}}): {e}"),
    })?;
    let mut out = Vec::with_capacity(history.incidents.len());
    // Oldest first, as they happened.
    for (i, raw) in history.incidents.into_iter().enumerate().rev() {
        out.push(incident_of(raw).map_err(|message| whole(format!("incident {} (counting from 1): {message}", i + 1)))?);
    }
    Ok(out)
}

fn time(field: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, String> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| format!("`{field}` is `{v}`, not a date and time such as 2025-06-13T02:51:00.000+09:00"))
        })
        .transpose()
}

fn text_of(body: &str, style: &PeriodStyle, update: &mut Update) {
    let mut text = UpdateText { body: Some(body.to_string()), ..Default::default() };
    if is_japanese(body) {
        update.period = fill_sections(&mut text, body, style);
        update.ja = text;
    } else {
        update.en = text;
    }
}

fn incident_of(raw: RawIncident) -> Result<NewIncident, String> {
    let style = PeriodStyle::default();
    let mut updates = Vec::with_capacity(raw.incident_updates.len() + 1);
    let mut kind = Kind::Incident;
    for (j, u) in raw.incident_updates.iter().enumerate().rev() {
        let body = u.body.as_deref().unwrap_or("");
        let status = match u.status.as_deref() {
            Some(s) => Status::parse(s).ok_or_else(|| {
                format!("update {} has the status `{s}`, which is not one of Statuspage's", j + 1)
            })?,
            None => status_from_text(body).unwrap_or(Status::Investigating),
        };
        kind = status.kind();
        let mut update = Update::new(status);
        update.created_at = time("created_at", u.created_at.as_deref())?;
        update.published_at = time("display_at", u.display_at.as_deref())?.or(update.created_at);
        text_of(body, &style, &mut update);
        updates.push(update);
    }
    if let Some(pm) = raw.postmortem_body.as_deref().filter(|b| !b.trim().is_empty()) {
        let mut update = Update::new(Status::Postmortem);
        update.published_at = time("postmortem_published_at", raw.postmortem_published_at.as_deref())?;
        update.created_at = update.published_at;
        text_of(pm, &style, &mut update);
        update.timeline = super::recognise::timeline(pm, &style);
        updates.push(update);
    }
    let (title, _) = split_title(&raw.name);
    let mut incident = Incident::new(kind);
    incident.title = if is_japanese(&title) {
        Bilingual { ja: title, en: String::new() }
    } else {
        Bilingual { ja: String::new(), en: title }
    };
    incident.impact = match raw.impact.as_deref() {
        Some("minor") => Impact::Minor,
        Some("major") => Impact::Major,
        Some("critical") => Impact::Critical,
        _ => Impact::None,
    };
    incident.updates = updates;
    incident.period = incident_period(&incident);
    if let Some(s) = raw.status.as_deref() {
        if Status::parse(s).is_none() {
            return Err(format!("the status `{s}` is not one of Statuspage's"));
        }
    }
    let opened_at = time("started_at", raw.started_at.as_deref())?
        .or(time("scheduled_for", raw.scheduled_for.as_deref())?)
        .or(time("created_at", raw.created_at.as_deref())?);
    let external_id = raw.id.clone().unwrap_or_else(|| {
        fingerprint(&[&raw.name, raw.created_at.as_deref().unwrap_or("")])
    });
    Ok(NewIncident { incident, source: "statuspage-json".into(), external_id: Some(external_id), opened_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HISTORY: &str = r#"{
  "page": {"id": "p1", "name": "Example Cloud"},
  "incidents": [
    {
      "id": "inc2", "name": "【解決済み】ログインできない障害が発生しています", "status": "resolved", "impact": "major",
      "created_at": "2025-05-02T10:00:00.000+09:00",
      "incident_updates": [
        {"status": "resolved", "body": "障害が解消したのでご報告します。\n\n■ 発生期間\n2025/05/02 09:50頃〜10:40頃\n\n■ 原因\n- 証明書の期限切れ",
         "created_at": "2025-05-02T10:45:00.000+09:00", "display_at": "2025-05-02T10:45:00.000+09:00"},
        {"status": "investigating", "body": "ログインできない障害が発生しています。",
         "created_at": "2025-05-02T10:00:00.000+09:00", "display_at": "2025-05-02T10:00:00.000+09:00"}
      ]
    },
    {
      "id": "inc1", "name": "Scheduled database upgrade", "status": "completed", "impact": "maintenance",
      "created_at": "2025-04-01T09:00:00Z", "scheduled_for": "2025-04-03T01:00:00Z",
      "incident_updates": [
        {"status": "completed", "body": "The maintenance is complete.", "created_at": "2025-04-03T02:00:00Z"},
        {"status": "scheduled", "body": "We will upgrade the database.", "created_at": "2025-04-01T09:00:00Z"}
      ]
    }
  ]
}"#;

    #[test]
    fn reads_the_history_json() {
        let got = parse(HISTORY).unwrap();
        assert_eq!(got.len(), 2);
        let maintenance = &got[0].incident;
        assert_eq!(maintenance.kind, Kind::Maintenance);
        assert_eq!(maintenance.title.en, "Scheduled database upgrade");
        assert_eq!(maintenance.updates[0].status, Status::Scheduled);
        assert_eq!(got[0].opened_at.unwrap().to_rfc3339(), "2025-04-03T01:00:00+00:00");
        let login = &got[1].incident;
        assert_eq!(login.title.ja, "ログインできない障害が発生しています");
        assert_eq!(login.impact, Impact::Major);
        assert_eq!(login.updates.iter().map(|u| u.status).collect::<Vec<_>>(), [Status::Investigating, Status::Resolved]);
        assert_eq!(login.updates[1].ja.cause, "- 証明書の期限切れ");
        assert_eq!(login.period.unwrap().start.to_rfc3339(), "2025-05-02T00:50:00+00:00");
        assert_eq!(login.updates[0].created_at.unwrap().to_rfc3339(), "2025-05-02T01:00:00+00:00");
        assert_eq!(got[1].external_id.as_deref(), Some("inc2"));
    }

    #[test]
    fn a_postmortem_bodys_timeline_becomes_entries() {
        let with_pm = HISTORY.replacen(
            "\"created_at\": \"2025-05-02T10:00:00.000+09:00\",\n      \"incident_updates\"",
            "\"created_at\": \"2025-05-02T10:00:00.000+09:00\",\n      \"postmortem_body\": \"事後報告です。\\n\\n■ 経緯\\n≫2025年5月2日(金)\\n9:50頃: ログインの失敗が増える\\n10:40: 証明書を更新して復旧\\n\\n■ 原因\\n証明書の期限切れ\",\n      \"postmortem_published_at\": \"2025-05-09T12:00:00.000+09:00\",\n      \"incident_updates\"",
            1,
        );
        assert_ne!(with_pm, HISTORY);
        let got = parse(&with_pm).unwrap();
        let pm = got[1].incident.updates.last().unwrap();
        assert_eq!(pm.status, Status::Postmortem);
        let t: Vec<(String, bool, &str)> = pm.timeline.iter().map(|e| (e.at.to_rfc3339(), e.approximate, e.ja.as_str())).collect();
        assert_eq!(
            t,
            vec![
                ("2025-05-02T00:50:00+00:00".to_string(), true, "ログインの失敗が増える"),
                ("2025-05-02T01:40:00+00:00".to_string(), false, "証明書を更新して復旧"),
            ]
        );
        assert!(pm.timeline.iter().all(|e| e.en.is_empty()));
        // Other updates tell no timeline.
        assert!(got[1].incident.updates[..2].iter().all(|u| u.timeline.is_empty()));
    }

    #[test]
    fn errors_say_where() {
        let err = parse("{\"incidents\": [ {\"name\": 3} ]}").unwrap_err();
        assert_eq!(err.line, Some(1));
        assert!(err.column.is_some());
        let bad = HISTORY.replace("\"status\": \"scheduled\"", "\"status\": \"planned\"");
        let err = parse(&bad).unwrap_err();
        assert!(err.message.contains("incident 2") && err.message.contains("planned"), "{err}");
    }
}
