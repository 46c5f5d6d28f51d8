//! Findings on a draft, placed in the text as the author typed it.
//!
//! The linter judges the published text (see [`crate::published`]): the
//! author's body with trailing spaces and extra blank lines dropped, and the
//! title with the template's status prefix. The composer shows the text as
//! typed, so a click on a finding, its underline and its fix need positions
//! in that text. This moves them there; a finding that points into text the
//! author did not type (the title's prefix) points at the start of the title
//! and loses its fix, which would not apply to the typed text.

use desk_model::Bilingual;
use desk_render::kept_lines;

use crate::{Diagnostic, Field};

/// What the author typed, and the title as published from it.
pub struct Typed<'a> {
    pub title: &'a Bilingual<String>,
    pub body: &'a Bilingual<String>,
    /// The titles as published (with the template's prefix).
    pub published_title: &'a Bilingual<String>,
}

/// Moves every finding with a language onto the typed text.
pub fn onto_typed(diagnostics: &mut [Diagnostic], typed: &Typed) {
    for d in diagnostics.iter_mut() {
        let Some(lang) = d.lang else { continue };
        match d.field {
            Field::Body => onto_body(d, typed.body.get(lang)),
            Field::Title => onto_title(d, typed.title.get(lang), typed.published_title.get(lang)),
            Field::Maintenance | Field::Compensation => {} // the form's own values: no text to point into
        }
    }
}

fn onto_body(d: &mut Diagnostic, body: &str) {
    if body.trim().is_empty() {
        return; // the template's text was published: nothing typed to point into
    }
    let kept = kept_lines(body);
    let typed_line = |published: u32| -> u32 {
        match kept.get(published as usize - 1) {
            Some((number, _)) => *number as u32 + 1,
            // Just past the last line: the end of the text.
            None => kept.last().map_or(1, |(n, _)| *n as u32 + 1),
        }
    };
    d.line = typed_line(d.line);
    d.end_line = typed_line(d.end_line);
    d.start = byte_offset(body, d.line, d.column) as u32;
    d.end = byte_offset(body, d.end_line, d.end_column).max(d.start as usize) as u32;
}

fn onto_title(d: &mut Diagnostic, typed: &str, published: &str) {
    let written = typed.trim();
    let Some(at) = (!written.is_empty()).then(|| published.find(written)).flatten() else {
        return point_at_start(d);
    };
    // Columns are 1-based characters; `before` characters of the published
    // title come from the template, `indent` typed ones were trimmed away.
    let before = published[..at].chars().count() as u32;
    let indent = typed[..typed.len() - typed.trim_start().len()].chars().count() as u32;
    let length = written.chars().count() as u32;
    let inside = d.line == 1 && d.end_line == 1 && d.column > before && d.end_column <= before + length + 1;
    if !inside {
        return point_at_start(d);
    }
    d.column = d.column - before + indent;
    d.end_column = d.end_column - before + indent;
    d.start = byte_offset(typed, 1, d.column) as u32;
    d.end = byte_offset(typed, 1, d.end_column) as u32;
}

fn point_at_start(d: &mut Diagnostic) {
    (d.line, d.column, d.end_line, d.end_column, d.start, d.end) = (1, 1, 1, 1, 0, 0);
    d.suggestion = None;
}

/// The byte offset of a 1-based line and character column (clamped to the line).
fn byte_offset(text: &str, line: u32, column: u32) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line as usize - 1).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    let line_text = rest.split('\n').next().unwrap_or("");
    let within: usize = line_text.chars().take(column as usize - 1).map(char::len_utf8).sum();
    line_start + within
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Rule, Severity};
    use desk_model::Lang;

    fn finding(field: Field, lang: Lang, (line, column, end_column): (u32, u32, u32), suggestion: Option<&str>) -> Diagnostic {
        Diagnostic {
            rule: Rule::DateInvalid,
            severity: Severity::Error,
            message: Bilingual { ja: "日付".into(), en: "date".into() },
            lang: Some(lang),
            update: Some(0),
            field,
            line,
            column,
            end_line: line,
            end_column,
            start: 0,
            end: 0,
            suggestion: suggestion.map(str::to_string),
        }
    }

    #[test]
    fn body_findings_move_past_the_blank_lines_publishing_drops() {
        let body = Bilingual { ja: "\n\n■ 発生期間  \n\n\n\n2025/02/30 10:00頃".to_string(), en: String::new() };
        let title = Bilingual::default();
        // Published: "■ 発生期間\n\n2025/02/30 10:00頃" — the date is on line 3.
        let mut found = [finding(Field::Body, Lang::Ja, (3, 1, 11), None)];
        onto_typed(&mut found, &Typed { title: &title, body: &body, published_title: &title });
        let d = &found[0];
        assert_eq!((d.line, d.column, d.end_line, d.end_column), (7, 1, 7, 11));
        assert_eq!(&body.ja[d.start as usize..d.end as usize], "2025/02/30");
    }

    #[test]
    fn title_findings_skip_the_templates_prefix() {
        let title = Bilingual { ja: " ログイン障害が発生しています".to_string(), en: "Sign-in".to_string() };
        let published = Bilingual { ja: "【解決済み】ログイン障害が発生しています".to_string(), en: "[Resolved] Sign-in".to_string() };
        let body = Bilingual::default();
        let mut found = [
            // 発生しています in the published title: columns 14..21.
            finding(Field::Title, Lang::Ja, (1, 14, 21), Some("発生していました")),
            // The prefix itself is not typed.
            finding(Field::Title, Lang::Ja, (1, 1, 7), Some("")),
        ];
        onto_typed(&mut found, &Typed { title: &title, body: &body, published_title: &published });
        assert_eq!((found[0].column, found[0].end_column), (9, 16));
        assert_eq!(&title.ja[found[0].start as usize..found[0].end as usize], "発生しています");
        assert_eq!(found[0].suggestion.as_deref(), Some("発生していました"));
        assert_eq!((found[1].column, found[1].suggestion.as_deref()), (1, None));
    }
}
