//! The flattened text of a status-page history: a header line, then for each
//! incident a `Report: "<title>"` line and its updates, one per line, newest
//! first, the first prefixed `Last update`. Line breaks inside an update were
//! flattened to spaces (` ■ ` was a section heading, ` - ` a list item). There
//! are no dates and no statuses: both are recognised from the text.

use chrono::{DateTime, Duration, Utc};
use desk_model::{Bilingual, Incident, Kind, PeriodStyle, Status, Update, UpdateText};

use super::recognise::{fill_sections, settle_statuses, split_title, timeline, unflatten, Clues};
use super::{at_line, fingerprint, incident_period, whole, ImportError};
use crate::incidents::NewIncident;
use crate::text::is_japanese;

const REPORT: &str = "Report: ";
const LAST_UPDATE: &str = "Last update";

struct Raw {
    line: usize,
    title: String,
    /// (line, text), newest first.
    updates: Vec<(usize, String)>,
}

/// Reads a flattened history. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<NewIncident>, ImportError> {
    let mut raws: Vec<Raw> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix(REPORT) {
            let title = rest
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .ok_or_else(|| at_line(n, "a `Report:` line must be `Report: \"<title>\"`, with the title in double quotes"))?;
            if title.trim().is_empty() {
                return Err(at_line(n, "this incident's title is empty"));
            }
            raws.push(Raw { line: n, title: title.to_string(), updates: Vec::new() });
            continue;
        }
        match raws.last_mut() {
            Some(raw) => {
                let text = line.strip_prefix(LAST_UPDATE).unwrap_or(line).trim();
                if !text.is_empty() {
                    raw.updates.push((n, text.to_string()));
                }
            }
            // The first line is the page's header.
            None if n == 1 => {}
            None => {
                return Err(at_line(n, "text before the first `Report: \"<title>\"` line: is this a flattened status-page history?"))
            }
        }
    }
    if raws.is_empty() {
        return Err(whole("no incident found: expected Statuspage's history JSON, or `Report: \"<title>\"` lines each followed by its updates"));
    }
    if let Some(empty) = raws.iter().find(|r| r.updates.is_empty()) {
        return Err(at_line(empty.line, format!("the incident \"{}\" has no update after its `Report:` line", empty.title)));
    }
    let mut incidents: Vec<NewIncident> = raws.into_iter().rev().map(incident_of).collect();
    infer_opened_at(&mut incidents);
    Ok(incidents)
}

/// The text has no dates but the periods its updates state. An incident
/// without one is placed just after the one before it (the page lists them
/// in order), so lists keep the page's order.
fn infer_opened_at(incidents: &mut [NewIncident]) {
    let known: Vec<Option<DateTime<Utc>>> = incidents.iter().map(|n| n.incident.period.map(|p| p.start)).collect();
    let first_known = known.iter().flatten().next().copied();
    let mut carry: Option<DateTime<Utc>> = None;
    for (new, k) in incidents.iter_mut().zip(known) {
        let at = match (k, carry) {
            (Some(k), _) => k,
            (None, Some(c)) => c + Duration::seconds(1),
            (None, None) => match first_known {
                Some(f) => f - Duration::seconds(1),
                None => continue,
            },
        };
        new.opened_at = Some(at);
        carry = Some(at);
    }
}

fn incident_of(raw: Raw) -> NewIncident {
    let style = PeriodStyle::default();
    let (title, closed) = split_title(&raw.title);
    // Oldest first.
    let texts: Vec<&str> = raw.updates.iter().rev().map(|(_, t)| t.as_str()).collect();
    let mut updates: Vec<Update> = Vec::with_capacity(texts.len());
    let mut clues = Vec::with_capacity(texts.len());
    for flat in &texts {
        let body = unflatten(flat);
        let mut update = Update::new(Status::Investigating);
        update.timeline = timeline(flat, &style);
        let mut text = UpdateText::default();
        if is_japanese(&body) {
            update.period = fill_sections(&mut text, &body, &style);
            clues.push(Clues::of(&body, update.period.as_ref(), &text));
            text.body = Some(body);
            update.ja = text;
        } else {
            clues.push(Clues::of(&body, None, &text));
            text.body = Some(body);
            update.en = text;
        }
        updates.push(update);
    }
    for (update, status) in updates.iter_mut().zip(settle_statuses(&clues, closed)) {
        update.status = status;
    }
    let mut incident = Incident::new(Kind::Incident);
    incident.title = if is_japanese(&title) {
        Bilingual { ja: title, en: String::new() }
    } else {
        Bilingual { ja: String::new(), en: title }
    };
    incident.updates = updates;
    incident.period = incident_period(&incident);
    let mut parts = vec![raw.title.as_str()];
    parts.extend(texts.iter().copied());
    NewIncident {
        incident,
        source: "flattened-text".into(),
        external_id: Some(fingerprint(&parts)),
        opened_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HISTORY: &str = "\
Historical record of incidents for Example Cloud
Report: \"【解決済み】請求書の発行機能で障害が発生しています\"
Last update障害が解消したのでご報告します。 ■ 発生期間 2025/03/04 10:00頃〜11:30頃 ■ 対象プロジェクト - 請求機能を利用中の全プロジェクト ■ 原因 - 設定の誤り
原因が特定できました。 現時点で分かっていることは次の通りです。 ■ 原因 - 設定の誤り
We are continuing to investigate this issue.
請求書の発行機能で障害が発生しています。 想定される主な影響は次の通りです。 ■ 対象プロジェクト - 請求機能を利用中の全プロジェクト
Report: \"通知メールが遅延していました\"
Last update通知メールの遅延が発生していたためご報告します。なお現在は解消しております。 ■ 発生期間 2025/02/01 09:00頃〜09:40頃
";

    #[test]
    fn reads_incidents_oldest_first_with_updates_oldest_first() {
        let got = parse(HISTORY).unwrap();
        assert_eq!(got.len(), 2);
        let (mail, bill) = (&got[0].incident, &got[1].incident);
        assert_eq!(mail.title.ja, "通知メールが遅延していました");
        assert_eq!(mail.current_status(), Some(Status::Resolved));
        assert_eq!(bill.title.ja, "請求書の発行機能で障害が発生しています");
        let statuses: Vec<Status> = bill.updates.iter().map(|u| u.status).collect();
        assert_eq!(statuses, [Status::Investigating, Status::Investigating, Status::Identified, Status::Resolved]);
        assert!(bill.updates[1].ja.is_empty());
        assert_eq!(bill.updates[1].en.body.as_deref(), Some("We are continuing to investigate this issue."));
        assert_eq!(bill.updates[3].ja.cause, "- 設定の誤り");
        assert_eq!(bill.period.unwrap().start.to_rfc3339(), "2025-03-04T01:00:00+00:00");
        assert!(bill.updates[3].ja.body.as_deref().unwrap().contains("\n\n■ 原因\n- 設定の誤り"));
    }

    #[test]
    fn bad_lines_are_named() {
        let err = parse("Header\nReport: \"unterminated\nLast update text\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = parse("Header\nstray text\nReport: \"a\"\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        let err = parse("Header\nReport: \"a\"\nReport: \"b\"\nLast update x\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(parse("just some words\n").is_err());
    }
}
