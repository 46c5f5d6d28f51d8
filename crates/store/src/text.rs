//! The plain text of an update, as search sees it.

use desk_model::{SectionKind, Update, UpdateText};

/// All the words of one language's text: the exact body when there is one,
/// else every section, one after the other.
pub fn plain(text: &UpdateText) -> String {
    if let Some(body) = text.body.as_deref().filter(|b| !b.trim().is_empty()) {
        return body.to_string();
    }
    SectionKind::ALL
        .iter()
        .map(|k| text.section(*k).trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(ja, en)` plain text of an update.
pub fn plain_pair(update: &Update) -> (String, String) {
    (plain(&update.ja), plain(&update.en))
}

/// True when the text is written in Japanese (has kana or kanji).
pub fn is_japanese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30FF   // hiragana, katakana
            | 0x3400..=0x4DBF // CJK extension A
            | 0x4E00..=0x9FFF // CJK unified ideographs
            | 0xFF66..=0xFF9F) // half-width katakana
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_wins_over_sections() {
        let mut t = UpdateText { cause: "証明書の期限切れ".into(), ..Default::default() };
        assert_eq!(plain(&t), "証明書の期限切れ");
        t.body = Some("全文".into());
        assert_eq!(plain(&t), "全文");
    }

    #[test]
    fn tells_japanese_from_english() {
        assert!(is_japanese("ログインできません"));
        assert!(is_japanese("API v2 で障害"));
        assert!(!is_japanese("We are continuing to investigate this issue."));
    }
}
