//! The incident document: an incident written as TOML, for people to read,
//! write and diff, and for `desk` to read and write.
//!
//! ```toml
//! kind = "incident"
//! impact = "major"
//! title = { ja = "ログインできない障害", en = "Login failures" }
//! period = { start = 2025-06-13T02:51:00+09:00, end = 2025-06-13T05:30:00+09:00, approximate = true }
//!
//! [[updates]]
//! status = "investigating"
//! next_update_at = 2025-06-13T04:00:00+09:00
//! [updates.ja]
//! symptoms = "- ログインに失敗する"
//! [updates.en]
//! symptoms = "- Sign-in fails"
//!
//! # A postmortem's timeline: one table per entry, in the order written.
//! [[updates.timeline]]
//! at = 2025-06-13T02:51:00+09:00
//! approximate = true
//! status = "investigating"
//! ja = "エラーの増加を検知"
//! en = "Errors rose"
//!
//! # What a postmortem offers: one table per offer.
//! [[updates.compensation]]
//! who = { ja = "有料プランのお客様", en = "Customers on a paid plan" }
//! what = { ja = "1か月分の料金を無料", en = "One month free" }
//! period = { start = 2025-06-01, end = 2025-06-30 }   # days, both included
//! how = { ja = "請求額から差し引き", en = "Deducted from the invoice" }
//! from = 2025-07-01                                   # optional
//! ```

use std::path::Path;

use crate::incident::Incident;

/// What was wrong with a document, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct DocumentError {
    /// The file, when the document came from one.
    pub file: Option<String>,
    /// 1-based line and column, when the problem has a place.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl DocumentError {
    fn render(&self) -> String {
        let mut place = self.file.clone().unwrap_or_else(|| "<document>".into());
        if let Some(line) = self.line {
            place.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                place.push_str(&format!(":{col}"));
            }
        }
        format!("{place}: {}", self.message)
    }

    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.display().to_string());
        self
    }
}

pub struct IncidentDocument;

impl IncidentDocument {
    /// Reads an incident document. Errors name the line and column.
    pub fn parse(text: &str) -> Result<Incident, DocumentError> {
        let incident: Incident = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            DocumentError { file: None, line, column, message: first_line(e.message()) }
        })?;
        check(&incident, text)?;
        Ok(incident)
    }

    /// Reads an incident document from a file.
    pub fn read(path: &Path) -> Result<Incident, DocumentError> {
        let bytes = std::fs::read(path).map_err(|e| DocumentError {
            file: Some(path.display().to_string()),
            line: None,
            column: None,
            message: format!("cannot read the file: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let (line, column) = line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
            DocumentError {
                file: Some(path.display().to_string()),
                line: Some(line),
                column: Some(column),
                message: "the file is not valid UTF-8 text".into(),
            }
        })?;
        Self::parse(&text).map_err(|e| e.in_file(path))
    }

    /// Writes an incident document, with times in the organisation's time
    /// zone (Asia/Tokyo unless the templates' settings say otherwise).
    pub fn write(incident: &Incident) -> String {
        Self::write_in(incident, chrono_tz::Asia::Tokyo)
    }

    /// Writes an incident document with times written in `zone`.
    pub fn write_in(incident: &Incident, zone: chrono_tz::Tz) -> String {
        crate::period::timestamp::writing_in(zone, || {
            toml::to_string_pretty(incident).expect("an incident always serialises to TOML")
        })
    }
}

/// The checks that TOML's shape cannot express.
fn check(incident: &Incident, text: &str) -> Result<(), DocumentError> {
    for (i, update) in incident.updates.iter().enumerate() {
        if update.status.kind() != incident.kind {
            let line = nth_update_line(text, i);
            return Err(DocumentError {
                file: None,
                line,
                column: line.map(|_| 1),
                message: format!(
                    "update {} has the status `{}`, which belongs to a {}, but this document is a {} (kind = \"{}\")",
                    i + 1,
                    update.status,
                    update.status.kind().as_str(),
                    incident.kind.as_str(),
                    incident.kind.as_str(),
                ),
            });
        }
    }
    if let Some(p) = incident.period {
        if p.runs_backwards() {
            return Err(DocumentError {
                file: None,
                line: line_of(text, "period"),
                column: Some(1),
                message: "the period ends before it starts".into(),
            });
        }
    }
    Ok(())
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let valid = String::from_utf8_lossy(&bytes[..offset]);
    line_col(&valid, valid.len())
}

fn nth_update_line(text: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[updates]]"))
        .nth(n)
        .map(|(i, _)| i + 1)
}

fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines().position(|l| l.trim_start().starts_with(key)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Lang, Status};

    const DOC: &str = r#"
kind = "incident"
impact = "major"
title = { ja = "ログインできない障害", en = "Sign-in failures" }
period = { start = 2025-06-13T02:51:00+09:00, end = "2025-06-13T05:30:00+09:00", approximate = true }

[[components]]
name = "Web app"
status = "major_outage"

[[updates]]
status = "investigating"
next_update_at = 2025-06-13T04:00:00+09:00
[updates.ja]
symptoms = "- ログインに失敗する"
[updates.en]
symptoms = "- Signing in fails"

[[updates]]
status = "resolved"
[updates.ja]
cause = "証明書の期限切れ"
"#;

    #[test]
    fn reads_a_document() {
        let inc = IncidentDocument::parse(DOC).unwrap();
        assert_eq!(inc.title.get(Lang::Ja), "ログインできない障害");
        assert_eq!(inc.updates.len(), 2);
        assert_eq!(inc.current_status(), Some(Status::Resolved));
        let p = inc.period.unwrap();
        assert_eq!(p.start.to_rfc3339(), "2025-06-12T17:51:00+00:00");
        assert!(p.approximate);
        assert_eq!(inc.updates[0].next_update_at.unwrap().to_rfc3339(), "2025-06-12T19:00:00+00:00");
    }

    #[test]
    fn writing_then_reading_gives_the_same_incident() {
        let inc = IncidentDocument::parse(DOC).unwrap();
        let text = IncidentDocument::write(&inc);
        assert_eq!(IncidentDocument::parse(&text).unwrap(), inc);
    }

    #[test]
    fn times_are_written_in_the_organisations_zone() {
        let inc = IncidentDocument::parse(DOC).unwrap();
        let text = IncidentDocument::write(&inc);
        assert!(text.contains("start = \"2025-06-13T02:51:00+09:00\""), "{text}");
        let utc = IncidentDocument::write_in(&inc, chrono_tz::UTC);
        assert!(utc.contains("start = \"2025-06-12T17:51:00Z\""), "{utc}");
        // JSON for the app stays in UTC.
        let json = serde_json::to_string(&inc).unwrap();
        assert!(json.contains("2025-06-12T17:51:00Z"), "{json}");
    }

    #[test]
    fn errors_name_the_line() {
        let bad = DOC.replace("status = \"resolved\"", "status = \"fixed\"");
        let err = IncidentDocument::parse(&bad).unwrap_err();
        assert_eq!(err.line, Some(20), "{err}");
        assert!(err.message.contains("fixed"), "{err}");
    }

    #[test]
    fn a_maintenance_status_in_an_incident_is_refused_with_its_line() {
        let bad = DOC.replace("status = \"resolved\"", "status = \"completed\"");
        let err = IncidentDocument::parse(&bad).unwrap_err();
        assert_eq!(err.line, Some(19));
        assert!(err.message.contains("update 2"), "{err}");
    }

    const TIMELINE: &str = r#"
[[updates]]
status = "postmortem"
[updates.ja]
cause = "設定の誤り"
[updates.en]
cause = "A wrong setting"

[[updates.timeline]]
at = 2025-06-13T02:51:00+09:00
approximate = true
status = "investigating"
ja = "エラーの増加を検知"
en = "Errors rose"

[[updates.timeline]]
at = "2025-06-13T05:30:00+09:00"
ja = "設定を戻して復旧"
en = "The setting was reverted"
"#;

    #[test]
    fn a_timeline_is_read_and_written_back() {
        let doc = format!("{DOC}{TIMELINE}");
        let inc = IncidentDocument::parse(&doc).unwrap();
        let t = &inc.updates[2].timeline;
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].at.to_rfc3339(), "2025-06-12T17:51:00+00:00");
        assert!(t[0].approximate && !t[1].approximate);
        assert_eq!(t[0].status, Some(Status::Investigating));
        assert_eq!(t[1].status, None);
        assert_eq!(t[1].en, "The setting was reverted");
        let text = IncidentDocument::write(&inc);
        assert!(text.contains("[[updates.timeline]]\nat = \"2025-06-13T02:51:00+09:00\"\napproximate = true\nstatus = \"investigating\""), "{text}");
        assert_eq!(IncidentDocument::parse(&text).unwrap(), inc);
        // Documents without a timeline write none.
        assert!(!IncidentDocument::write(&IncidentDocument::parse(DOC).unwrap()).contains("timeline"));
    }

    const COMPENSATION: &str = r#"
[[updates.compensation]]
who = { ja = "有料プランのお客様", en = "Customers on a paid plan" }
what = { ja = "1か月分の料金を無料", en = "One month free" }
period = { start = 2025-06-01, end = 2025-06-30 }
how = { ja = "請求額から差し引き", en = "Deducted from the invoice" }
from = 2025-07-01

[[updates.compensation]]
what = { ja = "追加の容量10GB", en = "10 GB of extra storage" }
period = { start = "2025-07-01", end = "2025-07-31" }
"#;

    #[test]
    fn compensation_is_read_and_written_back() {
        let doc = format!("{DOC}{TIMELINE}{COMPENSATION}");
        let inc = IncidentDocument::parse(&doc).unwrap();
        let c = &inc.updates[2].compensation;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].period.start.to_string(), "2025-06-01");
        assert_eq!(c[0].from.map(|d| d.to_string()).as_deref(), Some("2025-07-01"));
        assert_eq!(c[1].who.ja, "");
        assert_eq!(c[1].from, None);
        assert_eq!(inc.updates[2].timeline.len(), 2, "the timeline is still the update's");
        let text = IncidentDocument::write(&inc);
        assert!(text.contains("[updates.compensation.period]\nstart = \"2025-06-01\"\nend = \"2025-06-30\""), "{text}");
        assert_eq!(IncidentDocument::parse(&text).unwrap(), inc);
        // Documents without compensation write none, and old ones read as before.
        assert!(!IncidentDocument::write(&IncidentDocument::parse(DOC).unwrap()).contains("compensation"));
    }

    #[test]
    fn a_bad_compensation_names_its_line() {
        let doc = format!("{DOC}{COMPENSATION}");
        let base = DOC.lines().count();
        let err = IncidentDocument::parse(&doc.replace("end = 2025-06-30", "end = 2025-06-31")).unwrap_err();
        assert_eq!(err.line, Some(base + 5), "{err}");
        let err = IncidentDocument::parse(&doc.replace("end = \"2025-07-31\"", "end = \"2025-07-32\"")).unwrap_err();
        assert_eq!(err.line, Some(base + 11), "{err}");
        assert!(err.message.contains("`2025-07-32` is not a date of the calendar"), "{err}");
        let err = IncidentDocument::parse(&doc.replace("from = 2025-07-01", "since = 2025-07-01")).unwrap_err();
        assert!(err.message.contains("since"), "{err}");
        let err = IncidentDocument::parse(&doc.replace("period = { start = 2025-06-01, end = 2025-06-30 }\n", "")).unwrap_err();
        assert!(err.message.contains("missing field `period`"), "{err}");
    }

    #[test]
    fn a_bad_timeline_entry_names_its_line() {
        let doc = format!("{DOC}{TIMELINE}");
        let base = DOC.lines().count();
        let err = IncidentDocument::parse(&doc.replace("at = \"2025-06-13T05:30:00+09:00\"", "at = \"5:30\"")).unwrap_err();
        assert_eq!(err.line, Some(base + 17), "{err}");
        assert!(err.message.contains("`5:30` is not a date and time with an offset"), "{err}");
        let err = IncidentDocument::parse(&doc.replace("at = \"2025-06-13T05:30:00+09:00\"\n", "")).unwrap_err();
        assert_eq!(err.line, Some(base + 16), "{err}");
        assert!(err.message.contains("missing field `at`"), "{err}");
        let err = IncidentDocument::parse(&doc.replace("approximate = true", "aproximate = true")).unwrap_err();
        assert_eq!(err.line, Some(base + 11), "{err}");
        assert!(err.message.contains("aproximate"), "{err}");
    }

    const MAINTENANCE: &str = r#"
kind = "maintenance"
title = { ja = "データベースの更新", en = "Database renewal" }

[[updates]]
status = "scheduled"
[updates.maintenance]
start = 2026-12-10T22:00:00+09:00
end = "2026-12-11T06:00:00+09:00"
remind_before_minutes = 60
auto_in_progress = true
auto_completed = false
notify_at_start = true
"#;

    #[test]
    fn a_maintenance_window_is_read_and_written_back() {
        let inc = IncidentDocument::parse(MAINTENANCE).unwrap();
        let w = inc.updates[0].maintenance.unwrap();
        assert_eq!(w.start.to_rfc3339(), "2026-12-10T13:00:00+00:00");
        assert_eq!(w.end.to_rfc3339(), "2026-12-10T21:00:00+00:00");
        assert_eq!(w.remind_before_minutes, Some(60));
        assert!(w.auto_in_progress && !w.auto_completed && w.notify_at_start && !w.notify_at_end);
        let text = IncidentDocument::write(&inc);
        assert!(text.contains("[updates.maintenance]\nstart = \"2026-12-10T22:00:00+09:00\"\nend = \"2026-12-11T06:00:00+09:00\""), "{text}");
        assert_eq!(IncidentDocument::parse(&text).unwrap(), inc);
        let err = IncidentDocument::parse(&MAINTENANCE.replace("remind_before_minutes", "remind_minutes")).unwrap_err();
        assert_eq!(err.line, Some(10), "{err}");
    }

    #[test]
    fn bad_timestamps_say_what_is_expected() {
        let bad = DOC.replace("\"2025-06-13T05:30:00+09:00\"", "\"13 June\"");
        let err = IncidentDocument::parse(&bad).unwrap_err();
        assert_eq!(err.line, Some(5));
        assert!(err.message.contains("13 June"), "{err}");
    }
}
