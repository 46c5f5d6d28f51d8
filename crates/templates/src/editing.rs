//! Help while editing a template: every problem with its range, field
//! completion inside `{{`, and the hook that lints a filled preview.
//!
//! Everything here is a pure function of the text: the editor screen sends
//! what is typed and shows what comes back.

use desk_model::{Lang, Status};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::engine::{Problem, Template};
use crate::fields::FIELD_NAMES;

/// A place in a text: 1-based line, 1-based column counted in characters
/// (Unicode scalar values; a JavaScript editor counting UTF-16 units differs
/// only after characters outside the BMP, such as emoji).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem in a template file, from `start` to `end` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Diagnostic {
    pub start: Position,
    pub end: Position,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.start.line, self.start.column, self.message)
    }
}

/// Line starts of a text, to turn byte offsets into positions quickly.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self.starts[line - 1];
        Position { line, column: self.text[start..offset].chars().count() + 1 }
    }

    /// The byte offset of a position; past the end of a line is its end.
    pub(crate) fn offset(&self, at: Position) -> usize {
        let Some(&start) = self.starts.get(at.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i);
        self.text[start..line_end]
            .char_indices()
            .nth(at.column.saturating_sub(1))
            .map_or(line_end, |(i, _)| start + i)
    }
}

/// A template file split into its title template and its body template,
/// with the byte offset where each starts.
pub(crate) struct FileParts<'a> {
    pub title: &'a str,
    pub title_at: usize,
    pub body: &'a str,
    pub body_at: usize,
}

/// Splits `title: …` / `---` / body. On error, the byte offset and message.
pub(crate) fn split_file(source: &str) -> Result<FileParts<'_>, (usize, String)> {
    let missing_header =
        || (0, "a template starts with a line `title: …`, then a line `---`, then the body".to_string());
    let (first, rest) = source.split_once('\n').ok_or_else(missing_header)?;
    let after_prefix = first.trim_end_matches('\r').strip_prefix("title:").ok_or_else(missing_header)?;
    let lead = after_prefix.len() - after_prefix.trim_start().len();
    let title = after_prefix.trim();
    let (sep, body) = rest.split_once('\n').unwrap_or((rest, ""));
    if sep.trim() != "---" {
        return Err((first.len() + 1, "the second line must be `---`, between the title and the body".into()));
    }
    let body_at = (first.len() + 1 + sep.len() + 1).min(source.len());
    Ok(FileParts { title, title_at: "title:".len() + lead, body, body_at })
}

/// Every problem in a template file (`title: …`, `---`, body), positions in
/// the file as written, ordered by position. Empty means it can be saved.
pub fn check_file(source: &str) -> Vec<Diagnostic> {
    parse_file(source).1
}

/// Parses a template file as far as it can: the title and body templates
/// (`None` when the header itself is broken) and every problem, ordered by
/// position. With problems, the templates are a best effort (for a live
/// preview while typing); only a file without problems may be saved.
pub fn parse_file(source: &str) -> (Option<(Template, Template)>, Vec<Diagnostic>) {
    let index = LineIndex::new(source);
    let to_diag = |base: usize, p: Problem| Diagnostic {
        start: index.position(base + p.start),
        end: index.position(base + p.end),
        message: p.message,
    };
    let (templates, mut out) = match split_file(source) {
        Err((at, message)) => {
            let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
            (None, vec![Diagnostic { start: index.position(at), end: index.position(end), message }])
        }
        Ok(parts) => {
            let (title, title_problems) = Template::parse_all(parts.title, FIELD_NAMES);
            let (body, body_problems) = Template::parse_all(parts.body, FIELD_NAMES);
            let mut out: Vec<Diagnostic> = title_problems.into_iter().map(|p| to_diag(parts.title_at, p)).collect();
            out.extend(body_problems.into_iter().map(|p| to_diag(parts.body_at, p)));
            (Some((title, body)), out)
        }
    };
    out.sort_by_key(|d| d.start);
    (templates, out)
}

/// Every problem in a bare template (no title header), e.g. one title line.
pub fn check_template(source: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(source);
    let (_, problems) = Template::parse_all(source, FIELD_NAMES);
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| Diagnostic { start: index.position(p.start), end: index.position(p.end), message: p.message })
        .collect();
    out.sort_by_key(|d| d.start);
    out
}

/// A field a template can name, with a short description in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FieldInfo {
    pub name: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
    /// True for a section the author writes (worth wrapping in `{{#…}}…{{/…}}`).
    pub section: bool,
}

const fn info(name: &'static str, section: bool, ja: &'static str, en: &'static str) -> FieldInfo {
    FieldInfo { name, ja, en, section }
}

/// Every field, in the order of [`FIELD_NAMES`].
pub const FIELD_INFO: &[FieldInfo] = &[
    info("title", false, "障害のタイトル（接頭辞なし）", "The incident's title, without a prefix"),
    info("status", false, "ステータス名（調査中、解決済みなど）", "The status's name (Investigating, Resolved, …)"),
    info("impact", false, "影響度（none, minor, major, critical）", "The impact (none, minor, major, critical)"),
    info("period", false, "発生期間（設定の日付形式で）", "The period, in the settings' date style"),
    info("next_update", false, "次回更新の予定時刻（継続中のみ）", "When the next update is due (ongoing only)"),
    info("components", false, "影響を受けたコンポーネントとその状態の一覧", "The affected components and their status, as a list"),
    info("scope", true, "対象（影響を受けたお客様）", "Affected customers"),
    info("features", true, "対象機能", "Affected features"),
    info("symptoms", true, "発生している／発生した現象", "What is (or was) happening"),
    info("cause", true, "原因", "The cause"),
    info("actions", true, "実施した対応", "What was done"),
    info("prevention", true, "今後の対応（再発防止策）", "What will prevent it happening again"),
    info("customer_action", true, "お客様側で必要な対応", "What customers need to do"),
    info("note", true, "補足", "Notes"),
    info("timeline", true, "経緯（日ごとの時系列。事後報告の経緯の表から）", "The timeline, grouped by day (from a postmortem's timeline entries)"),
    info("compensation", true, "補償（対象・内容・対象期間・方法。事後報告の補償の欄から）", "The compensation offered: who, what, which period, how and from when (from a postmortem's compensation fields)"),
    info("resolved_prefix", false, "解決時のタイトル接頭辞（【解決済み】）", "The resolved title prefix ([Resolved])"),
    info("completed_prefix", false, "完了時のタイトル接頭辞（【完了】）", "The completed title prefix ([Completed])"),
    info("organisation", false, "組織名（設定から）", "The organisation's name (from the settings)"),
];

/// What to offer at the cursor: the fields, and the range the chosen one replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Completions {
    /// The partial name typed so far is replaced from here…
    pub from: Position,
    /// …to here (the rest of the name after the cursor, when any).
    pub to: Position,
    pub items: Vec<Completion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Completion {
    pub field: FieldInfo,
    /// What to put in place of `from..to`: the name, and `}}` when it is missing.
    pub insert: String,
}

/// The fields to offer when the cursor is inside `{{` (after an optional `#`,
/// `^` or `/`), else `None`. Names starting with what is typed come first
/// (after a `{{/`, the innermost open section comes first of all).
pub fn completions(source: &str, cursor: Position) -> Option<Completions> {
    let index = LineIndex::new(source);
    let at = index.offset(cursor);
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..at];
    let open = before.rfind("{{")?;
    let inside = &before[open + 2..];
    if inside.contains("}}") {
        return None;
    }
    let trimmed = inside.trim_start();
    let (sigil, after_sigil) = match trimmed.chars().next() {
        Some(c @ ('#' | '^' | '/')) => (Some(c), trimmed[1..].trim_start()),
        _ => (None, trimmed),
    };
    if !after_sigil.chars().all(is_name_char) {
        return None;
    }
    let prefix = after_sigil;
    let from = at - prefix.len();
    let after = &source[at..];
    let rest_len = after.find(|c: char| !is_name_char(c)).unwrap_or(after.len());
    let to = at + rest_len;
    let closed = source[to..].trim_start_matches([' ', '\t']).starts_with("}}");
    let innermost = if sigil == Some('/') { innermost_open(&source[..line_start + open]) } else { None };
    let mut items: Vec<&FieldInfo> = FIELD_INFO.iter().filter(|f| f.name.starts_with(prefix)).collect();
    if let Some(name) = innermost {
        if let Some(i) = items.iter().position(|f| f.name == name) {
            let f = items.remove(i);
            items.insert(0, f);
        }
    }
    Some(Completions {
        from: index.position(from),
        to: index.position(to),
        items: items
            .into_iter()
            .map(|f| Completion {
                field: f.clone(),
                insert: if closed { f.name.to_string() } else { format!("{}}}}}", f.name) },
            })
            .collect(),
    })
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c == '_'
}

/// The innermost section still open at the end of `text`.
fn innermost_open(text: &str) -> Option<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let tag = after[..close].trim();
        match tag.chars().next() {
            Some('#' | '^') => stack.push(tag[1..].trim().to_string()),
            Some('/') => {
                let name = tag[1..].trim();
                if let Some(i) = stack.iter().rposition(|n| n == name) {
                    stack.truncate(i);
                }
            }
            _ => {}
        }
        rest = &after[close + 2..];
    }
    stack.pop()
}

/// A finding about a filled preview (what the announcement would say), from
/// the linter. Positions are in the filled body when the linter gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PreviewFinding {
    /// "error", "warning" or "info", as the linter grades it.
    pub severity: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// THE HOOK for "lint the filled preview": given the filled title and body
/// (Markdown, exactly as it would be published) of one language and status,
/// return what the linter finds. desk-lint implements it where it is linked
/// (the app's commands, `desk`); this crate cannot depend on the linter.
pub trait PreviewLinter {
    fn lint_filled_preview(&self, title: &str, body: &str, status: Status, lang: Lang) -> Vec<PreviewFinding>;
}

/// No linter: finds nothing. Until desk-lint is wired in.
pub struct NoLint;

impl PreviewLinter for NoLint {
    fn lint_filled_preview(&self, _: &str, _: &str, _: Status, _: Lang) -> Vec<PreviewFinding> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn every_problem_is_reported_with_its_range_in_the_file() {
        let src = "title: {{titel}}\n---\n{{#cause}}\n■ 原因\n{{cause}}\n{{/cause}}\n{{symptom}} と {{#note}}\nおわり }}\n";
        let d = check_file(src);
        let got: Vec<(Position, Position, &str)> = d.iter().map(|d| (d.start, d.end, d.message.as_str())).collect();
        assert_eq!(got.len(), 4, "{d:#?}");
        assert_eq!((got[0].0, got[0].1), (pos(1, 8), pos(1, 17)));
        assert!(got[0].2.contains("`titel` is not a field"));
        // After the standalone lines, positions are still the file's own.
        assert_eq!((got[1].0, got[1].1), (pos(7, 1), pos(7, 12)));
        assert!(got[1].2.contains("symptom"));
        assert_eq!((got[2].0, got[2].1), (pos(7, 15), pos(7, 24)));
        assert!(got[2].2.contains("never closed"));
        assert_eq!((got[3].0, got[3].1), (pos(8, 5), pos(8, 7)));
        assert!(got[3].2.contains("without a matching"));
    }

    #[test]
    fn a_valid_file_has_no_problems() {
        for (path, text) in crate::set::builtin_files().skip(1) {
            assert_eq!(check_file(text), vec![], "{path}");
        }
    }

    #[test]
    fn header_problems_are_reported() {
        assert!(check_file("no header")[0].message.contains("title:"));
        let d = check_file("title: x\nnot a separator\nbody");
        assert_eq!(d[0].start, pos(2, 1));
        assert!(d[0].message.contains("---"));
    }

    #[test]
    fn an_unclosed_brace_spans_to_the_end_of_its_line_and_the_rest_is_still_checked() {
        let d = check_template("a {{title\n{{nope}}\n");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].start, d[0].end), (pos(1, 3), pos(1, 10)));
        assert!(d[1].message.contains("nope"));
    }

    #[test]
    fn completes_fields_inside_braces() {
        let src = "■ 原因\n{{ca";
        let c = completions(src, pos(2, 5)).unwrap();
        assert_eq!(c.items.iter().map(|i| i.field.name).collect::<Vec<_>>(), ["cause"]);
        assert_eq!(c.items[0].insert, "cause}}");
        assert_eq!((c.from, c.to), (pos(2, 3), pos(2, 5)));
        assert!(!c.items[0].field.ja.is_empty() && !c.items[0].field.en.is_empty());

        // Everything right after `{{`; no `}}` added when it is there.
        let c = completions("x {{}}", pos(1, 5)).unwrap();
        assert_eq!(c.items.len(), FIELD_NAMES.len());
        assert_eq!(c.items[0].insert, "title");

        // Closing: the open section first.
        let c = completions("{{#note}}\n{{note}}\n{{/", pos(3, 4)).unwrap();
        assert_eq!(c.items[0].field.name, "note");

        // Outside braces, or after a closed tag: nothing.
        assert_eq!(completions("plain text", pos(1, 3)), None);
        assert_eq!(completions("{{title}} and", pos(1, 12)), None);
    }

    #[test]
    fn field_info_matches_the_field_list() {
        assert_eq!(FIELD_INFO.iter().map(|f| f.name).collect::<Vec<_>>(), FIELD_NAMES);
    }
}
