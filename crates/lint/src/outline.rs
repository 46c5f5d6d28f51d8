//! Splitting raw text into headed sections, whatever the heading style.
//!
//! Recognised: `■ name` (and □◆◇▼▶★●○◎), `【name】`, `**name**`, `[name]`,
//! `‹name›` and other angle brackets, numbered headings (`1. 原因`, `(2)原因`,
//! `③原因`), Markdown headings, a known section name alone on its line, and a
//! field line (`原因：…`). Announcements flattened onto one line (the form
//! Statuspage exports show) are split too: ` ■ name` mid-line starts a
//! section, and so does a mid-line `**name**` or `【name】` whose name is a
//! known section.

use desk_model::SectionKind;

/// How a heading is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadingStyle {
    /// `■ name`, `● name` …: the marker and whether a space follows it.
    Marker { marker: char, spaced: bool },
    /// `【name】`
    LenticularBracket,
    /// `**name**`
    Bold,
    /// `[name]`, `［name］`
    SquareBracket,
    /// `‹name›`, `〈name〉`, `《name》`, `〔name〕`
    Angle,
    /// `1. name`, `(1) name`, `① name`
    Numbered,
    /// `（name）value`
    Parenthesis,
    /// `## name`
    Markdown(u8),
    /// A known name alone on its line.
    Plain,
    /// `name：value`
    Field,
}

impl HeadingStyle {
    /// How the heading would be written in this style (for suggestions).
    pub fn write(self, name: &str) -> String {
        match self {
            HeadingStyle::Marker { marker, spaced: true } => format!("{marker} {name}"),
            HeadingStyle::Marker { marker, spaced: false } => format!("{marker}{name}"),
            HeadingStyle::LenticularBracket => format!("【{name}】"),
            HeadingStyle::Bold => format!("**{name}**"),
            HeadingStyle::SquareBracket => format!("[{name}]"),
            HeadingStyle::Angle => format!("〈{name}〉"),
            HeadingStyle::Markdown(level) => format!("{} {name}", "#".repeat(level as usize)),
            HeadingStyle::Parenthesis => format!("（{name}）"),
            HeadingStyle::Numbered | HeadingStyle::Plain => name.to_string(),
            HeadingStyle::Field => format!("{name}："),
        }
    }

    /// A short label for messages: `■ `, `【】`, `**`.
    pub fn label(self) -> String {
        match self {
            HeadingStyle::Marker { marker, spaced: true } => format!("「{marker} 見出し」"),
            HeadingStyle::Marker { marker, spaced: false } => format!("「{marker}見出し」"),
            other => format!("「{}」", other.write("見出し")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Byte range of the whole heading, markers included.
    pub start: usize,
    pub end: usize,
    /// Byte range of the name alone.
    pub name_start: usize,
    pub name_end: usize,
    pub style: HeadingStyle,
    pub kind: Option<SectionKind>,
}

impl Heading {
    pub fn name<'t>(&self, text: &'t str) -> &'t str {
        &text[self.name_start..self.name_end]
    }
}

/// One section: an optional heading and the byte range of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: Option<Heading>,
    pub body_start: usize,
    pub body_end: usize,
}

impl Section {
    pub fn kind(&self) -> Option<SectionKind> {
        self.heading.as_ref().and_then(|h| h.kind)
    }

    /// True when the content is only blank, list markers or rules.
    pub fn is_empty(&self, text: &str) -> bool {
        text[self.body_start..self.body_end]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '-' | '*' | '・' | '−' | '_' | '＿' | '–' | '—'))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Outline {
    pub sections: Vec<Section>,
}

impl Outline {
    pub fn headings(&self) -> impl Iterator<Item = &Heading> {
        self.sections.iter().filter_map(|s| s.heading.as_ref())
    }

    pub fn has(&self, kind: SectionKind) -> bool {
        self.headings().any(|h| h.kind == Some(kind))
    }

    /// Byte ranges of the text that is prose, not headings.
    pub fn bodies(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.sections.iter().map(|s| (s.body_start, s.body_end))
    }

    pub fn parse(text: &str) -> Outline {
        let mut headings = Vec::new();
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            scan_line(text, offset, line, &mut headings);
            offset += raw.len();
        }
        let mut sections = Vec::with_capacity(headings.len() + 1);
        let first = headings.first().map_or(text.len(), |h| h.start);
        if first > 0 || headings.is_empty() {
            sections.push(Section { heading: None, body_start: 0, body_end: first });
        }
        for (i, h) in headings.iter().enumerate() {
            let body_end = headings.get(i + 1).map_or(text.len(), |n| n.start);
            sections.push(Section { heading: Some(h.clone()), body_start: h.end, body_end });
        }
        Outline { sections }
    }
}

/// A known section name exactly (after trimming and a trailing colon).
pub fn exact_section(name: &str) -> Option<SectionKind> {
    let n = name.trim().trim_end_matches([':', '：']).trim().to_lowercase();
    SectionKind::ALL.into_iter().find(|k| k.known_names().contains(&n.as_str()))
}

const MARKERS: [char; 11] = ['■', '□', '◆', '◇', '▼', '▶', '★', '☆', '●', '○', '◎'];

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\t'
}

/// Where a marker heading's name ends: a known name the rest starts with,
/// else the whole line when short, else the first word.
fn name_extent(rest: &str, line_rest_is_short: bool) -> usize {
    let mut best = 0;
    for kind in SectionKind::ALL {
        for name in kind.known_names() {
            if name.is_ascii() {
                continue;
            }
            if let Some(after) = rest.strip_prefix(name) {
                let boundary = after.chars().next().is_none_or(|c| is_space(c) || matches!(c, ':' | '：'));
                if boundary && name.len() > best {
                    best = name.len();
                }
            }
        }
    }
    if best > 0 {
        return best;
    }
    if line_rest_is_short {
        return rest.len();
    }
    rest.find(is_space).unwrap_or(rest.len())
}

fn heading(start: usize, end: usize, name_start: usize, name_end: usize, style: HeadingStyle, text: &str) -> Heading {
    let name = text[name_start..name_end].trim_end_matches([':', '：']);
    let kind = match style {
        HeadingStyle::Plain | HeadingStyle::Numbered | HeadingStyle::Field => exact_section(name),
        _ => SectionKind::recognise(name),
    };
    Heading { start, end, name_start, name_end, style, kind }
}

/// A closing bracket heading: `open name close` at `s`; returns (name range, end).
fn bracketed(s: &str, open: char, close: char) -> Option<(usize, usize, usize)> {
    let inner = s.strip_prefix(open)?;
    let close_at = inner.find(close)?;
    let name = &inner[..close_at];
    if name.trim().is_empty() || name.chars().count() > 40 || name.contains('\n') {
        return None;
    }
    let ns = open.len_utf8();
    Some((ns, ns + close_at, ns + close_at + close.len_utf8()))
}

fn scan_line(text: &str, offset: usize, line: &str, out: &mut Vec<Heading>) {
    let lead = line.len() - line.trim_start_matches(is_space).len();
    let t = &line[lead..];
    if t.is_empty() {
        return;
    }
    let base = offset + lead;
    // Inline headings are looked for after a line-start heading, or after
    // the first character of a line that has none.
    let content_from = match line_start_heading(text, base, t) {
        Some((h, content)) => {
            out.push(h);
            lead + content
        }
        None => lead,
    };
    scan_inline(text, offset, line, content_from, out);
}

/// A heading at the start of a line; returns it and where the line's content
/// continues (relative to `t`).
fn line_start_heading(text: &str, base: usize, t: &str) -> Option<(Heading, usize)> {
    let first = t.chars().next()?;
    let short = t.chars().count() <= 40;
    // Markdown heading
    if first == '#' {
        let level = t.chars().take_while(|&c| c == '#').count();
        let after = &t[level..];
        if level <= 6 && after.starts_with(' ') {
            let ns = level + 1 + (after.len() - after.trim_start().len()) - 1;
            let name_end = t.trim_end().len().max(ns);
            let h = heading(base, base + t.len(), base + ns, base + name_end, HeadingStyle::Markdown(level as u8), text);
            return Some((h, t.len()));
        }
        return None;
    }
    if MARKERS.contains(&first) {
        return marker_heading(text, base, t, first, short && !t.contains(" ■"));
    }
    let brackets: [(char, char, HeadingStyle); 10] = [
        ('【', '】', HeadingStyle::LenticularBracket),
        ('[', ']', HeadingStyle::SquareBracket),
        ('［', '］', HeadingStyle::SquareBracket),
        ('‹', '›', HeadingStyle::Angle),
        ('〈', '〉', HeadingStyle::Angle),
        ('《', '》', HeadingStyle::Angle),
        ('〔', '〕', HeadingStyle::Angle),
        ('<', '>', HeadingStyle::Angle),
        ('(', ')', HeadingStyle::Parenthesis),
        ('（', '）', HeadingStyle::Parenthesis),
    ];
    for (open, close, style) in brackets {
        if first != open {
            continue;
        }
        let Some((ns, ne, end)) = bracketed(t, open, close) else { break };
        let h = heading(base, base + end, base + ns, base + ne, style, text);
        let rest = t[end..].trim();
        // 【…】 leads a line as a heading. Other brackets must stand alone or
        // name a known section (a `[menu > item]` path in prose is no
        // heading); parentheses only an exact name (`（発生日時）2025/…`).
        let alone = rest.is_empty() || rest == ":" || rest == "：";
        let known = match style {
            HeadingStyle::Parenthesis => exact_section(h.name(text)).is_some(),
            _ => (alone || h.kind.is_some()) && !rest.starts_with('('),
        };
        if style == HeadingStyle::LenticularBracket || known {
            return Some((h, end));
        }
        break;
    }
    if let Some((open, close)) = bold_at(t) {
        let inner = &t[open..];
        let close_at = inner.find(close)?;
        let name = &inner[..close_at];
        if name.trim().is_empty() || name.chars().count() > 40 {
            return None;
        }
        let end = open + close_at + close.len();
        let h = heading(base, base + end, base + open, base + open + close_at, HeadingStyle::Bold, text);
        let rest = t[end..].trim();
        if rest.is_empty() || h.kind.is_some() || rest.starts_with([':', '：']) {
            return Some((h, end));
        }
        return None;
    }
    if let Some(n) = numbered_prefix(t) {
        let rest = &t[n..];
        let name_len = name_extent(rest, short);
        let h = heading(base, base + n + name_len, base + n, base + n + name_len, HeadingStyle::Numbered, text);
        if h.kind.is_some() {
            return Some((h, n + name_len));
        }
        // A short numbered line that names a known section (`3. 本件の原因と対策`)
        // is a heading; a numbered sentence is a list item.
        let line = rest.trim_end();
        let sentence = line.ends_with(['。', '．', '.', '!', '！']);
        if short && !sentence && line.chars().count() <= 20 && SectionKind::recognise(line).is_some() {
            let h = Heading { kind: SectionKind::recognise(line), ..heading(base, base + n + line.len(), base + n, base + n + line.len(), HeadingStyle::Numbered, text) };
            return Some((h, n + line.len()));
        }
        return None;
    }
    // A field line `原因：…` or a known name alone on its line.
    if let Some(colon) = t.find([':', '：']) {
        let name = &t[..colon];
        if name.chars().count() <= 20 && exact_section(name).is_some() && !name.contains("http") {
            let colon_len = t[colon..].chars().next().map_or(1, char::len_utf8);
            let h = heading(base, base + colon + colon_len, base, base + colon, HeadingStyle::Field, text);
            return Some((h, colon + colon_len));
        }
    }
    let trimmed = t.trim_end();
    if trimmed.chars().count() <= 30 && exact_section(trimmed).is_some() {
        let h = heading(base, base + trimmed.len(), base, base + trimmed.len(), HeadingStyle::Plain, text);
        return Some((h, t.len()));
    }
    None
}

/// `■ name` at the start of `t`: the heading and where its name ends.
/// `whole_line`: the name may run to the end of the line.
fn marker_heading(text: &str, base: usize, t: &str, marker: char, whole_line: bool) -> Option<(Heading, usize)> {
    let after = &t[marker.len_utf8()..];
    let spaced = after.starts_with(is_space);
    let name_at = marker.len_utf8() + (after.len() - after.trim_start_matches(is_space).len());
    let rest = &t[name_at..];
    if rest.is_empty() || rest.starts_with(MARKERS) {
        return None;
    }
    let end = name_at + name_extent(rest, whole_line);
    let h = heading(base, base + end, base + name_at, base + end, HeadingStyle::Marker { marker, spaced }, text);
    Some((h, end))
}

/// `**` or its escaped form `\*\*` (which Markdown shows as literal
/// asterisks, but the author meant a bold heading): (opening length, closer).
fn bold_at(t: &str) -> Option<(usize, &'static str)> {
    if t.starts_with("**") {
        Some((2, "**"))
    } else if t.starts_with("\\*\\*") {
        Some((4, "\\*\\*"))
    } else {
        None
    }
}

/// `1. `, `1) `, `(1)`, `（1）`, `①`: the prefix's byte length.
fn numbered_prefix(t: &str) -> Option<usize> {
    let mut chars = t.char_indices();
    let (_, c) = chars.next()?;
    if ('①'..='⑳').contains(&c) {
        let n = c.len_utf8();
        return Some(n + (t[n..].len() - t[n..].trim_start_matches(is_space).len()));
    }
    let (open, digits_at) = match c {
        '(' | '（' => (true, c.len_utf8()),
        _ => (false, 0),
    };
    let digits = t[digits_at..].chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let after = digits_at + digits;
    let close = t[after..].chars().next()?;
    let ok = if open { matches!(close, ')' | '）') } else { matches!(close, '.' | ')' | '）' | '．') };
    if !ok {
        return None;
    }
    let n = after + close.len_utf8();
    Some(n + (t[n..].len() - t[n..].trim_start_matches(is_space).len()))
}

/// Headings in the middle of a line: ` ■ name`, and ` **name**` or ` 【name】`
/// when the name is a known section.
fn scan_inline(text: &str, offset: usize, line: &str, from: usize, out: &mut Vec<Heading>) {
    let mut i = from;
    while i < line.len() {
        let Some(c) = line[i..].chars().next() else { break };
        if i > from && line[..i].ends_with(is_space) {
            let rest = &line[i..];
            if let Some((h, len)) = inline_heading(text, offset + i, rest) {
                out.push(h);
                i += len;
                continue;
            }
        }
        i += c.len_utf8();
    }
}

fn inline_heading(text: &str, base: usize, rest: &str) -> Option<(Heading, usize)> {
    let first = rest.chars().next()?;
    if first == '■' || first == '●' || first == '◆' {
        return marker_heading(text, base, rest, first, false);
    }
    let (ns, ne, end, style) = if first == '【' {
        let (ns, ne, end) = bracketed(rest, '【', '】')?;
        (ns, ne, end, HeadingStyle::LenticularBracket)
    } else if let Some((open, close)) = bold_at(rest) {
        let close_at = rest[open..].find(close)?;
        (open, open + close_at, open + close_at + close.len(), HeadingStyle::Bold)
    } else {
        return None;
    };
    let h = heading(base, base + end, base + ns, base + ne, style, text);
    if h.kind.is_some() && exact_section(&rest[ns..ne]).is_some() {
        return Some((h, end));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Option<SectionKind>, String)> {
        Outline::parse(text).headings().map(|h| (h.kind, h.name(text).to_string())).collect()
    }

    #[test]
    fn splits_every_heading_style() {
        use SectionKind::*;
        let text = "障害が解消しました。\n■ 発生期間\n2025/01/05 10:00〜11:00\n【対象】\nすべてのお客様\n**原因**\n設定の誤り\n● 実施した対応\n設定を戻しました\n[今後の対応]\n監視を強化します\n‹補足›\nなし\n1. 回避策\n再読み込み\n## Root cause\nA bad deploy.\n影響範囲\n一部\n発生原因：設定\n";
        let got = kinds(text);
        let expect = [Period, Scope, Cause, Actions, Prevention, Note, CustomerAction, Cause, Scope, Cause];
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), expect.map(Some).to_vec(), "{got:?}");
        let o = Outline::parse(text);
        assert_eq!(&text[o.sections[0].body_start..o.sections[0].body_end], "障害が解消しました。\n");
        let s = &o.sections[1];
        assert_eq!(text[s.body_start..s.body_end].trim(), "2025/01/05 10:00〜11:00");
        let field = &o.sections[10];
        assert_eq!(text[field.body_start..field.body_end].trim(), "設定");
    }

    #[test]
    fn splits_the_flattened_one_line_form() {
        let text = "復旧しました。 ■ 発生期間 2025/01/05 10:00〜11:00 ■ 対象プロジェクト - 全プロジェクト ■原因 - 設定 --- **今後の対応** 監視";
        let got = kinds(text);
        let names: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(names, ["発生期間", "対象プロジェクト", "原因", "今後の対応"]);
        let escaped = kinds("報告します。 \\*\\*発生原因\\*\\* 設定の誤り \\*\\*今後の対応\\*\\* 監視");
        assert_eq!(escaped.iter().map(|g| g.0).collect::<Vec<_>>(), [Some(SectionKind::Cause), Some(SectionKind::Prevention)]);
        let o = Outline::parse(text);
        assert_eq!(o.headings().nth(2).unwrap().style, HeadingStyle::Marker { marker: '■', spaced: false });
        assert_eq!(text[o.sections[1].body_start..o.sections[1].body_end].trim(), "2025/01/05 10:00〜11:00");
    }

    #[test]
    fn numbered_and_parenthesised_report_headings() {
        use SectionKind::*;
        let text = "1. 内容\n（発生日時）2025年3月4日 10:00〜11:00\n3. 本件の原因と対策\n設定の誤り\n(2) 原因\n設定";
        let got: Vec<_> = kinds(text).into_iter().map(|k| k.0).collect();
        assert_eq!(got, [Some(Period), Some(Cause), Some(Cause)]);
        assert!(Outline::parse("2. 原因を調べて対応しました。").headings().next().is_none());
    }

    #[test]
    fn prose_is_not_a_heading() {
        for text in [
            "原因は調査中です。",
            "[すべてのメニュー > 設定]を開いてください",
            "1. 管理画面を開く",
            "本文に **重要** と書いた",
            "[詳細](https://example.com)",
        ] {
            assert!(Outline::parse(text).headings().next().is_none(), "{text}");
        }
    }

    #[test]
    fn unknown_headings_still_split() {
        let text = "【テンプレート例】\n- A\n■ お知らせ\n本文";
        let o = Outline::parse(text);
        assert_eq!(o.headings().count(), 2);
        assert!(o.headings().all(|h| h.kind.is_none()));
    }
}
