//! Positions, character classes and the spans of a text that rules skip
//! (links, code).

use desk_model::Lang;

/// Converts byte offsets into 1-based lines and character columns.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// (line, column) of a byte offset, both 1-based; the column counts characters.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[self.starts[line]..offset].chars().count() + 1;
        (line as u32 + 1, col as u32)
    }
}

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}')
}

pub fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
}

pub fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー')
}

pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Japanese when kana or kanji make up a fair share of the letters.
pub fn detect_lang(text: &str) -> Lang {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if is_kana(c) || is_kanji(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    if cjk > 0 && cjk * 5 >= latin { Lang::Ja } else { Lang::En }
}

/// Byte ranges that hold links, e-mail-like words and inline code: rules
/// about wording skip them.
pub fn opaque_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let is_link = rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("//") && i.checked_sub(1).is_none_or(|p| bytes[p] != b':');
        if is_link {
            let end = i + rest.find(|c: char| c.is_whitespace() || !c.is_ascii() || matches!(c, ')' | '>' | '\'' | '"' | ']')).unwrap_or(rest.len());
            out.push((i, end));
            i = end.max(i + 1);
            continue;
        }
        if bytes[i] == b'`' {
            if let Some(close) = text[i + 1..].find('`') {
                let end = i + 1 + close + 1;
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// True when `[start, end)` overlaps one of the sorted spans.
pub fn in_spans(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    let k = spans.partition_point(|s| s.1 <= start);
    spans.get(k).is_some_and(|s| s.0 < end)
}

/// Byte ranges inside Japanese or typographic quotes (「…」『…』“…”) on one
/// line: quoted names and quoted wording are not the author's own sentence.
pub fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '「' | '『' | '“') => open = Some((c, i)),
            (Some(('「', s)), '」') | (Some(('『', s)), '』') | (Some(('“', s)), '”') => {
                out.push((s, i + c.len_utf8()));
                open = None;
            }
            (Some(_), '\n') => open = None,
            _ => {}
        }
    }
    out
}

/// The first non-blank line's range, where text-wide diagnostics point.
pub fn first_line(text: &str) -> (usize, usize) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if !trimmed.trim().is_empty() {
            let lead = trimmed.len() - trimmed.trim_start().len();
            return (offset + lead, offset + trimmed.len());
        }
        offset += line.len();
    }
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "発生期間\n■ 原因 abc";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(text.find('原').unwrap()), (2, 3));
        assert_eq!(idx.position(text.len()), (2, 9));
    }

    #[test]
    fn detects_language() {
        assert_eq!(detect_lang("KARTE Datahubで障害が発生しています"), Lang::Ja);
        assert_eq!(detect_lang("We are investigating reports of failed sign-ins."), Lang::En);
    }

    #[test]
    fn finds_links_and_quotes() {
        let text = "詳細 https://example.com/a?b=1 を参照。「〇〇日後」";
        let spans = opaque_spans(text);
        assert_eq!(&text[spans[0].0..spans[0].1], "https://example.com/a?b=1");
        let q = quoted_spans(text);
        assert_eq!(&text[q[0].0..q[0].1], "「〇〇日後」");
    }
}
