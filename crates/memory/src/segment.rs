//! Cutting a bilingual update into aligned Japanese–English segments.
//!
//! Sections first (desk-lint's [`Outline`] reads every heading style),
//! matched by kind where both headings are recognised and by order
//! otherwise; then, inside a pair of sections, list item to list item and
//! sentence to sentence where the counts agree, else the whole blocks.

use desk_lint::Outline;
use desk_model::{Lang, SectionKind};
use serde::{Deserialize, Serialize};

/// Where a segment came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The incident's id (the store's, or a document's); for template phrases,
    /// the label they were added under.
    pub incident: String,
    /// The update's index in its incident (0 for phrases).
    pub update: u32,
    /// The section's index in this language's body (0: the text before the
    /// first heading, or the only one).
    pub section: u32,
    /// The section's kind, where its heading is recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SectionKind>,
    /// What the segment is within its section.
    pub part: Part,
}

/// The granularity a segment was aligned at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Heading,
    ListItem,
    Sentence,
    /// A paragraph or a list item whose sentences did not pair up.
    Block,
    /// A whole section whose blocks did not pair up.
    Section,
    /// A fixed phrase added with [`crate::Memory::add_pairs`].
    Phrase,
}

/// One side of an aligned pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub lang: Lang,
    pub text: String,
    pub origin: Origin,
}

/// A Japanese segment and the English one it was aligned with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentPair {
    pub ja: Segment,
    pub en: Segment,
}

impl SegmentPair {
    pub fn get(&self, lang: Lang) -> &Segment {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// A line of a section's body: a list item or a paragraph line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    text: String,
    list: bool,
}

#[derive(Debug, Clone)]
struct Sec {
    index: u32,
    kind: Option<SectionKind>,
    heading: Option<String>,
    blocks: Vec<Block>,
}

fn sections(text: &str) -> Vec<Sec> {
    let outline = Outline::parse(text);
    outline
        .sections
        .iter()
        .enumerate()
        .map(|(k, s)| Sec {
            index: k as u32,
            kind: s.kind(),
            heading: s.heading.as_ref().map(|h| h.name(text).trim().trim_end_matches([':', '：']).trim().to_string()),
            blocks: blocks(&text[s.body_start..s.body_end]),
        })
        .filter(|s| s.heading.is_some() || !s.blocks.is_empty())
        .collect()
}

/// The lines of a body with list markers and emphasis taken off; rules and
/// blank lines dropped.
fn blocks(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for line in body.lines() {
        let t = line.trim().trim_start_matches('>').trim();
        if t.is_empty() || t.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | '─' | '—')) {
            continue;
        }
        let (text, list) = strip_marker(t);
        let text = text.replace("**", "").replace("\\*", "*").trim().to_string();
        if !text.is_empty() {
            out.push(Block { text, list });
        }
    }
    out
}

fn strip_marker(t: &str) -> (&str, bool) {
    for m in ["- ", "* ", "+ ", "・", "• ", "•", "※ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return (rest.trim_start(), m != "※ ");
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 2 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (r.trim_start(), true);
        }
    }
    (t, false)
}

const ABBREVIATIONS: &[&str] = &[
    "approx", "e.g", "i.e", "etc", "vs", "no", "inc", "ltd", "co", "mr", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "ver", "incl", "min", "max", "est",
];

/// The sentences of a block. Japanese ends sentences with 。！？ (and their
/// ASCII forms before a non-Latin character); English with `.`, `!` or `?`
/// followed by a space and a capital, a digit or a quote, but not after an
/// abbreviation (`approx.`, `e.g.`) or inside a number (`1.5`) or a time.
pub fn sentences(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let mut end = None;
        match (lang, c) {
            (_, '。' | '！' | '？') => {
                let mut j = k + 1;
                while j < chars.len() && matches!(chars[j].1, '」' | '）' | ')' | '』' | '！' | '？') {
                    j += 1;
                }
                end = Some(j);
            }
            (Lang::En, '.' | '!' | '?') => {
                let mut j = k + 1;
                while j < chars.len() && matches!(chars[j].1, ')' | '"' | '\'' | '”' | '’') {
                    j += 1;
                }
                let next_space = chars.get(j).is_some_and(|c| c.1 == ' ');
                let after = chars.iter().skip(j).find(|c| c.1 != ' ').map(|c| c.1);
                let starts = after.is_some_and(|a| a.is_uppercase() || a.is_ascii_digit() || matches!(a, '"' | '“' | '(' | '[') || !a.is_ascii());
                let word: String = text[..i].chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '.').collect::<Vec<_>>().into_iter().rev().collect();
                let abbrev = c == '.' && ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str());
                let single_letter = c == '.' && word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic());
                if next_space && starts && !abbrev && !single_letter {
                    end = Some(j);
                }
            }
            _ => {}
        }
        if let Some(j) = end {
            let b = chars.get(j).map_or(text.len(), |c| c.0);
            let s = text[start..b].trim();
            if !s.is_empty() {
                out.push(s.to_string());
            }
            start = b;
            k = j;
            continue;
        }
        k += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// A pair of texts, each with the section it came from, and its part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aligned {
    pub ja: String,
    pub en: String,
    pub ja_section: (u32, Option<SectionKind>),
    pub en_section: (u32, Option<SectionKind>),
    pub part: Part,
}

/// Matches sections: kind to kind where both are known, otherwise by order
/// among the sections left, when as many are left on each side.
fn pair_sections<'a>(ja: &'a [Sec], en: &'a [Sec]) -> Vec<(&'a Sec, &'a Sec)> {
    let same_shape = ja.len() == en.len() && ja.iter().zip(en).all(|(a, b)| a.kind.is_none() || b.kind.is_none() || a.kind == b.kind);
    if same_shape {
        return ja.iter().zip(en).collect();
    }
    let mut used_en = vec![false; en.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut left_ja = Vec::new();
    for (a, s) in ja.iter().enumerate() {
        let found = s.kind.and_then(|k| (0..en.len()).find(|&b| !used_en[b] && en[b].kind == Some(k)));
        match found {
            Some(b) => {
                used_en[b] = true;
                pairs.push((a, b));
            }
            None => left_ja.push(a),
        }
    }
    let left_en: Vec<usize> = (0..en.len()).filter(|&b| !used_en[b]).collect();
    if left_ja.len() == left_en.len() {
        pairs.extend(left_ja.into_iter().zip(left_en));
    } else if let (Some(&a), Some(&b)) = (left_ja.first(), left_en.first()) {
        // The untitled openings still answer each other.
        if ja[a].heading.is_none() && en[b].heading.is_none() {
            pairs.push((a, b));
        }
    }
    pairs.sort_unstable();
    pairs.into_iter().map(|(a, b)| (&ja[a], &en[b])).collect()
}

/// The longest section body paired whole when nothing finer pairs up.
const WHOLE_SECTION_LIMIT: usize = 600;

/// Aligns the Japanese and English bodies of one update.
pub fn align(ja: &str, en: &str) -> Vec<Aligned> {
    let (ja_secs, en_secs) = (sections(ja), sections(en));
    let mut out = Vec::new();
    for (a, b) in pair_sections(&ja_secs, &en_secs) {
        let mk = |ja: String, en: String, part| Aligned { ja, en, ja_section: (a.index, a.kind), en_section: (b.index, b.kind), part };
        if let (Some(ha), Some(hb)) = (&a.heading, &b.heading) {
            out.push(mk(ha.clone(), hb.clone(), Part::Heading));
        }
        if a.blocks.len() == b.blocks.len() {
            for (x, y) in a.blocks.iter().zip(&b.blocks) {
                let (sx, sy) = (sentences(&x.text, Lang::Ja), sentences(&y.text, Lang::En));
                if sx.len() == sy.len() && sx.len() > 1 {
                    out.extend(sx.into_iter().zip(sy).map(|(p, q)| mk(p, q, Part::Sentence)));
                } else {
                    let part = if x.list && y.list { Part::ListItem } else if sx.len() == 1 && sy.len() == 1 { Part::Sentence } else { Part::Block };
                    out.push(mk(x.text.clone(), y.text.clone(), part));
                }
            }
            continue;
        }
        let sx: Vec<String> = a.blocks.iter().flat_map(|x| sentences(&x.text, Lang::Ja)).collect();
        let sy: Vec<String> = b.blocks.iter().flat_map(|y| sentences(&y.text, Lang::En)).collect();
        if sx.len() == sy.len() {
            out.extend(sx.into_iter().zip(sy).map(|(p, q)| mk(p, q, Part::Sentence)));
            continue;
        }
        let whole = |s: &Sec| s.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join(" ");
        let (wa, wb) = (whole(a), whole(b));
        if !wa.is_empty() && !wb.is_empty() && wa.chars().count() <= WHOLE_SECTION_LIMIT && wb.chars().count() <= WHOLE_SECTION_LIMIT * 2 {
            out.push(mk(wa, wb, Part::Section));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_sentences_keep_abbreviations_numbers_and_times() {
        let s = sentences("Sign-in failed from Jun 13, 2025 02:51 JST (approx.) for 1.5% of users, e.g. Safari users. We restarted the servers at 03:40. Next update in 30 min.", Lang::En);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("Safari users."));
        let j = sentences("障害が発生しています。原因を調査中です！約1時間以内に続報を掲載します", Lang::Ja);
        assert_eq!(j.len(), 3);
    }

    #[test]
    fn aligns_sections_items_and_sentences() {
        let ja = "メール配信で障害が発生しています。現在、原因を調査しています。\n\n■ 発生期間\n2025/06/13 02:51頃〜現在\n\n■ 対象\n- Nimbus Mailをご利用のお客様\n- Relay Hubをご利用のお客様\n\n■ 原因\n調査中です。\n";
        let en = "We are seeing failures in email delivery. We are investigating the cause.\n\n■ Period\nJun 13, 2025 02:51 JST (approx.) – ongoing\n\n■ Affected customers\n- Customers using Nimbus Mail\n- Customers using Relay Hub\n\n■ Cause\nUnder investigation.\n";
        let got = align(ja, en);
        let pairs: Vec<(&str, &str, Part)> = got.iter().map(|a| (a.ja.as_str(), a.en.as_str(), a.part)).collect();
        assert_eq!(pairs[0], ("メール配信で障害が発生しています。", "We are seeing failures in email delivery.", Part::Sentence));
        assert!(pairs.contains(&("発生期間", "Period", Part::Heading)));
        assert!(pairs.contains(&("Relay Hubをご利用のお客様", "Customers using Relay Hub", Part::ListItem)));
        assert!(pairs.contains(&("調査中です。", "Under investigation.", Part::Sentence)));
        let period = got.iter().find(|a| a.ja.starts_with("2025")).unwrap();
        assert_eq!(period.ja_section, (1, Some(SectionKind::Period)));
    }

    #[test]
    fn sections_pair_by_kind_when_the_order_differs() {
        let ja = "■ 原因\n設定の誤りです。\n■ 発生期間\n2025/01/05 10:00〜11:00\n■ 補足\nなし";
        let en = "■ Period\nJan 5, 2025 10:00–11:00 JST\n■ Cause\nA wrong setting.";
        let got = align(ja, en);
        assert!(got.iter().any(|a| a.ja == "設定の誤りです。" && a.en == "A wrong setting."));
        assert!(!got.iter().any(|a| a.ja == "なし"));
    }
}
