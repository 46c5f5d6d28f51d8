//! Breaking text into lines for the PDF, the Japanese way.
//!
//! Between two Japanese characters a line may break anywhere, except that a
//! line never starts with closing punctuation, small kana or a prolonged
//! sound mark (、。」』）ー っ …) and never ends with an opening bracket
//! (「『（ …): 禁則処理 (kinsoku), the pushing-in kind. Latin words and
//! numbers (`2024/06/17`, `Kumo Tasks`) break only at spaces, or where they
//! meet Japanese text. A word longer than the whole line is cut where it must.

/// May not start a line.
const NO_START: &str = "、。，．・：；？！ー―‐–〜～…‥」』）］｝〕〉》】〙〗’”ゝゞ々ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ,.:;!?)]}%";
/// May not end a line.
const NO_END: &str = "「『（［｛〔〈《【〘〖‘“([{";

/// Characters set in full width (ideographs, kana, full-width forms).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

/// Whether a line may break between `before` and `after`.
pub fn may_break(before: char, after: char) -> bool {
    if after.is_whitespace() || NO_START.contains(after) || NO_END.contains(before) {
        return false;
    }
    if before.is_whitespace() {
        return true;
    }
    is_wide(before) || is_wide(after) || (before == '-' && after.is_alphanumeric()) || before == '/' && after.is_alphabetic()
}

/// The lines of `text` (byte ranges, without the spaces at their ends) for
/// lines `first` wide, then `rest` wide. `advance` gives each character's
/// width (its byte offset and width, in text order); characters it leaves out
/// are zero wide (they share a glyph with the one before).
pub fn break_lines(text: &str, advances: &[(usize, f32)], first: f32, rest: f32) -> Vec<(usize, usize)> {
    let width_at = |i: usize| advances.binary_search_by(|(at, _)| at.cmp(&i)).map(|k| advances[k].1).unwrap_or(0.0);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut lines = Vec::new();
    let mut start = 0usize; // index into chars
    let mut width = 0.0f32;
    let mut last_break: Option<usize> = None;
    let mut k = 0usize;
    while k < chars.len() {
        let (at, c) = chars[k];
        if k > start && may_break(chars[k - 1].1, c) {
            last_break = Some(k);
        }
        let w = width_at(at);
        let limit = if lines.is_empty() { first } else { rest };
        if width + w > limit && k > start && !c.is_whitespace() {
            let cut = last_break.filter(|b| *b > start).unwrap_or(k);
            lines.push(trimmed(text, &chars, start, cut));
            start = cut;
            while start < chars.len() && chars[start].1 == ' ' {
                start += 1;
            }
            last_break = None;
            width = (start..k).map(|j| width_at(chars[j].0)).sum();
            if start > k {
                k = start;
                continue;
            }
        }
        width += w;
        k += 1;
    }
    if start < chars.len() || lines.is_empty() {
        lines.push(trimmed(text, &chars, start, chars.len()));
    }
    lines
}

fn trimmed(text: &str, chars: &[(usize, char)], from: usize, to: usize) -> (usize, usize) {
    let a = chars.get(from).map_or(text.len(), |c| c.0);
    let b = chars.get(to).map_or(text.len(), |c| c.0);
    let kept = text[a..b].trim_end();
    (a, a + kept.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide, a space half a unit.
    fn lines(text: &str, width: f32) -> Vec<&str> {
        let adv: Vec<(usize, f32)> = text.char_indices().map(|(i, c)| (i, if c == ' ' { 0.5 } else { 1.0 })).collect();
        break_lines(text, &adv, width, width).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn japanese_breaks_between_characters_but_not_before_closing_punctuation() {
        assert_eq!(lines("あいうえおかきくけこ", 4.0), vec!["あいうえ", "おかきく", "けこ"]);
        // 。 would start the second line: the character before it goes down with it.
        assert_eq!(lines("あいうえ。かきく", 4.0), vec!["あいう", "え。かき", "く"]);
        assert_eq!(lines("あいう、えおかき", 3.0), vec!["あい", "う、え", "おかき"]);
        assert_eq!(lines("あい「うえ」おか", 3.0), vec!["あい", "「う", "え」お", "か"]);
    }

    #[test]
    fn an_opening_bracket_never_ends_a_line_and_a_closing_one_never_starts_one() {
        for width in [2.0, 3.0, 4.0, 5.0] {
            for text in ["あい「うえ」おかきく", "サービスを「メンテナンスモード」に切り替え、作業を開始。"] {
                let got = lines(text, width);
                for (i, line) in got.iter().enumerate() {
                    assert!(!line.ends_with('「'), "{got:?} at {width}");
                    if i > 0 {
                        let first = line.chars().next().unwrap();
                        assert!(!NO_START.contains(first), "{got:?} at {width}");
                    }
                }
                assert_eq!(got.concat(), text);
            }
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        assert_eq!(lines("Kumo Tasks was unavailable", 11.0), vec!["Kumo Tasks", "was", "unavailable"]);
        assert_eq!(lines("2024/06/17 06:00頃から", 12.0), vec!["2024/06/17", "06:00頃から"]);
        assert_eq!(lines("Kumo Tasksをご利用", 11.0), vec!["Kumo Tasksを", "ご利用"]);
        // Longer than a line: cut where it must.
        assert_eq!(lines("abcdefgh", 3.0), vec!["abc", "def", "gh"]);
    }
}
