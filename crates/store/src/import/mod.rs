//! Importing real status-page histories.
//!
//! Two formats: Statuspage's public history JSON (`/api/v2/incidents.json`)
//! and the flattened text of a history page (`Report: "<title>"` lines, each
//! followed by its updates, newest first). A file is read whole and checked
//! before anything is written; then every incident goes in one transaction.

pub mod flattened;
pub mod recognise;
pub mod statuspage;

use std::path::Path;

use desk_model::Incident;

use crate::incidents::NewIncident;

/// What was wrong with an imported file, and where: the same error the
/// incident document reports (file, line, column, message).
pub type ImportError = desk_model::DocumentError;

/// A problem on a line.
pub(crate) fn at_line(line: usize, message: impl Into<String>) -> ImportError {
    ImportError { file: None, line: Some(line), column: None, message: message.into() }
}

/// A problem with the whole input.
pub(crate) fn whole(message: impl Into<String>) -> ImportError {
    ImportError { file: None, line: None, column: None, message: message.into() }
}

/// The formats `desk import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    StatuspageJson,
    FlattenedText,
}

/// Tells the format from the text: JSON starts with `{`.
pub fn detect(text: &str) -> Format {
    if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
        Format::StatuspageJson
    } else {
        Format::FlattenedText
    }
}

/// Reads incidents from a text in either format.
pub fn parse(text: &str) -> Result<Vec<NewIncident>, ImportError> {
    match detect(text) {
        Format::StatuspageJson => statuspage::parse(text),
        Format::FlattenedText => flattened::parse(text),
    }
}

/// Reads incidents from a file in either format; errors name the file.
pub fn read(path: &Path) -> Result<Vec<NewIncident>, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| whole(format!("cannot read the file: {e}")).in_file(path))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        at_line(line, "the file is not valid UTF-8 text").in_file(path)
    })?;
    if path.extension().is_some_and(|e| e == "toml") {
        return document(&text).map_err(|e| e.in_file(path));
    }
    parse(&text).map_err(|e| e.in_file(path))
}

/// An incident document (what `desk export` writes), as one incident with
/// its updates. Importing the same document again is a no-op.
pub fn document(text: &str) -> Result<Vec<NewIncident>, ImportError> {
    let incident = desk_model::IncidentDocument::parse(text)?;
    Ok(vec![NewIncident {
        incident,
        source: "document".into(),
        external_id: Some(fingerprint(&[text])),
        opened_at: None,
    }])
}

/// The incident's period: the first one its updates state, newest first
/// (later updates correct earlier ones).
pub(crate) fn incident_period(incident: &Incident) -> Option<desk_model::Period> {
    incident.updates.iter().rev().find_map(|u| u.period)
}

/// A stable fingerprint (FNV-1a, 64 bits) for texts without an id.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab"]), fingerprint(&["a", "b"]));
    }
}
