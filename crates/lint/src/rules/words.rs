//! `glossary.variant`, `text.repeated`, `placeholder.unfilled`: rules on
//! words, run on bodies and titles alike.

use std::collections::HashMap;

use desk_model::Lang;

use crate::diagnostic::msg;
use crate::text::{is_hiragana, is_kana, is_kanji, is_katakana};
use crate::{Analysed, Cx, Field, Rule, Severity, Sink};

pub(crate) fn check(t: &Analysed, field: Field, cx: &Cx, sink: &mut Sink) {
    if !cx.config.glossary.is_empty() {
        glossary(t, field, &Glossary::new(&cx.config.glossary), sink);
    }
    repeated(t, field, sink);
    placeholders(t, field, sink);
}

// ---------------------------------------------------------------- glossary

/// The preferred terms, indexed for the checks.
pub(crate) struct Glossary {
    /// Every word of every term, exactly as preferred.
    words: Vec<String>,
    /// The ASCII words of five letters or more, lower-cased, for slips.
    slip_words: Vec<(String, Vec<char>)>,
    /// Lower-cased word (and lower-cased term without spaces) → preferred form.
    folded: HashMap<String, String>,
    /// The katakana words of three kana or more: (word, its kana, their spelling-folded form).
    kana_words: Vec<(String, Vec<char>, Vec<char>)>,
}

impl Glossary {
    pub fn new(terms: &[String]) -> Glossary {
        let mut words = Vec::new();
        let mut folded = HashMap::new();
        for term in terms {
            for w in term.split_whitespace() {
                if !words.iter().any(|x| x == w) {
                    words.push(w.to_string());
                }
                folded.entry(w.to_lowercase()).or_insert_with(|| w.to_string());
            }
            let joined: String = term.split_whitespace().collect();
            folded.entry(joined.to_lowercase()).or_insert_with(|| term.clone());
        }
        let slip_words = words
            .iter()
            .filter(|w| w.is_ascii() && w.len() >= 5)
            .map(|w| (w.clone(), w.to_ascii_lowercase().chars().collect()))
            .collect();
        let kana_words = words
            .iter()
            .filter(|w| w.chars().count() >= 3 && w.chars().all(is_katakana))
            .map(|w| (w.clone(), w.chars().collect(), fold_kana(w.chars())))
            .collect();
        Glossary { words, slip_words, folded, kana_words }
    }

    fn is_word(&self, token: &str) -> bool {
        self.words.iter().any(|w| w == token)
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || matches!(c, 'ß' | 'À'..='ÿ' | '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{04FF}')
        || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Full-width letters to ASCII, and look-alikes to what they imitate.
fn fold_char(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        'ß' => 'β',
        'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'х' => 'x', 'у' => 'y', 'і' => 'i',
        'А' => 'A', 'В' => 'B', 'Е' => 'E', 'К' => 'K', 'М' => 'M', 'Н' => 'H', 'О' => 'O', 'Р' => 'P',
        'С' => 'C', 'Т' => 'T', 'Х' => 'X',
        'Α' => 'A', 'Β' => 'B', 'Ε' => 'E', 'Κ' => 'K', 'Μ' => 'M', 'Ν' => 'N', 'Ο' => 'O', 'Ρ' => 'P',
        'Τ' => 'T', 'Χ' => 'X', 'ο' => 'o',
        _ => c,
    }
}

/// Tokens: runs of Latin, Greek, Cyrillic or full-width letters and digits.
fn tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = iter.by_ref().find(|(_, c)| is_token_char(*c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = iter.peek() {
            if !is_token_char(c) {
                end = i;
                break;
            }
            iter.next();
        }
        Some((start, end))
    })
}

/// One letter doubled, dropped, or two neighbours swapped.
fn one_slip(a: &[char], b: &[char]) -> bool {
    match a.len() as isize - b.len() as isize {
        0 => {
            let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
            diff.len() == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
        }
        1 | -1 => {
            let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
            let i = (0..short.len()).find(|&i| long[i] != short[i]).unwrap_or(short.len());
            long[i + 1..] == short[i..]
        }
        _ => false,
    }
}

fn plural_of(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == format!("{b}s") || b == format!("{a}s") || a == format!("{b}es") || b == format!("{a}es")
}

/// A katakana spelling with the choices that vary between writers folded
/// away: the long-vowel mark and the middle dot dropped, ヴ as ブ (ヴァ as バ…),
/// small kana as large.
fn fold_kana(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in chars {
        let small_vowel = match c {
            'ァ' => Some('バ'),
            'ィ' => Some('ビ'),
            'ェ' => Some('ベ'),
            'ォ' => Some('ボ'),
            _ => None,
        };
        if let (Some(v), Some('ブ')) = (small_vowel, out.last()) {
            // ヴァ: the ヴ was folded to ブ just before.
            out.pop();
            out.push(v);
            continue;
        }
        match c {
            'ー' | '・' => {}
            'ヴ' => out.push('ブ'),
            'ヵ' => out.push('カ'),
            'ヶ' => out.push('ケ'),
            // Each small kana is the code point just before its large one.
            'ァ' | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' => out.push(char::from_u32(c as u32 + 1).unwrap_or(c)),
            _ => out.push(c),
        }
    }
    out
}

/// Katakana product names written another way: a spelling variant (ー or
/// not, ヴ or ブ, small or large kana) or, for names of five kana or more,
/// one kana doubled, dropped, inserted or two neighbours swapped. The name
/// may start or end a longer katakana word (`クモメールアプリ`).
fn kana_variants(t: &Analysed, field: Field, g: &Glossary, sink: &mut Sink) {
    let chars: Vec<(usize, char)> = t.text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_katakana(chars[i].1) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && is_katakana(chars[end].1) {
            end += 1;
        }
        let run: Vec<char> = chars[i..end].iter().map(|c| c.1).collect();
        let at = |k: usize| chars.get(k).map_or(t.text.len(), |c| c.0);
        for (word, kana, folded) in &g.kana_words {
            // The name itself inside a longer word is a compound, unless the
            // whole word is the name spelt another way (`クモメールー`).
            let whole_variant = run != *kana && fold_kana(run.iter().copied()) == *folded;
            if !whole_variant && run.windows(kana.len()).any(|w| w == kana.as_slice()) {
                continue;
            }
            // The whole run, then its prefixes and suffixes, longest first.
            let n = run.len();
            let lengths = (kana.len().saturating_sub(3).max(2)..=(kana.len() + 3).min(n)).rev();
            let windows = std::iter::once((0, n)).chain(lengths.flat_map(|l| [(0, l), (n - l, n)]));
            let hit = windows.filter(|&(a, b)| b > a).find_map(|(a, b)| {
                let piece = &run[a..b];
                let piece_folded = fold_kana(piece.iter().copied());
                // A piece of a longer word must begin and end as the name does:
                // `データハ` + `プ` is not `データハブ` with a kana dropped.
                let bounded = piece_folded.first() == folded.first() && piece_folded.last() == folded.last();
                if (a, b) != (0, n) && !bounded {
                    None
                } else if piece_folded == *folded {
                    Some((a, b, Why::Kana))
                } else if kana.len() >= 5 && one_slip(piece, kana) {
                    Some((a, b, Why::Slip))
                } else {
                    None
                }
            });
            if let Some((a, b, why)) = hit {
                let (s, e) = (at(i + a), at(i + b));
                if !t.skipped(s, e) {
                    report_variant(t, field, sink, (s, e), &t.text[s..e], word, Severity::Error, why);
                }
                break;
            }
        }
        i = end;
    }
}

pub(crate) fn glossary(t: &Analysed, field: Field, g: &Glossary, sink: &mut Sink) {
    if !g.kana_words.is_empty() {
        kana_variants(t, field, g, sink);
    }
    let all: Vec<(usize, usize)> = tokens(t.text).collect();
    let mut k = 0;
    while k < all.len() {
        let (s, e) = all[k];
        k += 1;
        // A term split by a space (`Pulse ß` for `Pulseβ`): one finding.
        if let Some(&(s2, e2)) = all.get(k) {
            let gap = &t.text[e..s2];
            if !gap.is_empty() && gap.chars().count() <= 2 && gap.chars().all(|c| c == ' ' || c == '\u{3000}') {
                let joined: String = format!("{}{}", &t.text[s..e], &t.text[s2..e2]).chars().map(fold_char).collect();
                let hit = if g.is_word(&joined) { Some(joined.clone()) } else { g.folded.get(&joined.to_lowercase()).filter(|w| !w.contains(' ')).cloned() };
                if let Some(wanted) = hit {
                    if !t.skipped(s, e2) {
                        let token = &t.text[s..e2];
                        let changed = joined != format!("{}{}", &t.text[s..e], &t.text[s2..e2]);
                        let severity = if changed { Severity::Error } else { Severity::Warning };
                        report_variant(t, field, sink, (s, e2), token, &wanted, severity, if changed { Why::LookAlike } else { Why::Spacing });
                    }
                    k += 1;
                    continue;
                }
            }
        }
        let token = &t.text[s..e];
        if g.is_word(token) || t.skipped(s, e) || token.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let folded: std::borrow::Cow<str> = if token.is_ascii() { token.into() } else { token.chars().map(fold_char).collect::<String>().into() };
        let folded = folded.as_ref();
        let lower = folded.to_lowercase();
        // A look-alike of a whole word, or of a piece of one (`ß` for the `β` of `Pulseβ`).
        let look_alike = folded != token && (g.is_word(folded) || !folded.is_ascii() && g.words.iter().any(|w| w.contains(folded)));
        let (wanted, severity, why) = if look_alike {
            (folded.to_string(), Severity::Error, Why::LookAlike)
        } else if let Some(w) = g.folded.get(&lower) {
            if w == token {
                continue;
            }
            if w.contains(' ') {
                (w.clone(), Severity::Warning, Why::Spacing)
            } else if folded != token {
                (w.clone(), Severity::Error, Why::LookAlike)
            } else {
                // In English prose a lower-case word is usually the common noun.
                if t.lang == Lang::En && token.chars().all(|c| c.is_lowercase()) {
                    continue;
                }
                (w.clone(), Severity::Warning, Why::Case)
            }
        } else {
            // Slips are looked for between ASCII words: `Pulse` beside
            // `Pulseβ` is another product, not a dropped letter.
            if lower.len() < 5 || !lower.is_ascii() {
                continue;
            }
            let chars: Vec<char> = lower.chars().collect();
            let found = g.slip_words.iter().find(|(w, wc)| {
                wc.len().abs_diff(chars.len()) <= 1 && !plural_of(w, folded) && one_slip(&chars, wc)
            });
            match found {
                Some((w, _)) => (w.clone(), Severity::Error, Why::Slip),
                None => continue,
            }
        };
        report_variant(t, field, sink, (s, e), token, &wanted, severity, why);
    }
}

#[allow(clippy::too_many_arguments)]
fn report_variant(t: &Analysed, field: Field, sink: &mut Sink, (s, e): (usize, usize), token: &str, wanted: &str, severity: Severity, why: Why) {
    {
        let (ja, en) = match why {
            Why::LookAlike => ("似た別の文字（全角文字やßなど）が使われています", "it uses look-alike or full-width characters"),
            Why::Case => ("大文字と小文字が違います", "the case differs"),
            Why::Spacing => ("空白の入れ方が違います", "the spacing differs"),
            Why::Slip => ("文字の重複・抜け・入れ替わりがあります", "a letter is doubled, dropped or swapped"),
            Why::Kana => ("カナの書き方（長音・ヴ・小書きの文字）が違います", "the kana are spelt another way (long vowel, ヴ, small kana)"),
        };
        sink.report(
            t,
            field,
            Rule::GlossaryVariant,
            severity,
            (s, e),
            msg(format!("「{token}」は用語集の「{wanted}」と違います（{ja}）。"), format!("“{token}” is not the glossary's “{wanted}”: {en}.")),
            Some(wanted.to_string()),
        );
    }
}

enum Why {
    Kana,
    LookAlike,
    Case,
    Spacing,
    Slip,
}

// ---------------------------------------------------------------- repeated

/// Hiragana reduplications that are words (ますます), not slips.
const REDUPLICATIONS: &[&str] = &[
    "ますます", "いろいろ", "そろそろ", "まだまだ", "だんだん", "どんどん", "たまたま", "ときどき", "もともと",
    "わざわざ", "しばしば", "たびたび", "ぎりぎり", "ばらばら", "いよいよ", "ちょくちょく", "つぎつぎ",
    "ひとつひとつ", "ひとりひとり", "くれぐれ", "ところどころ", "いちいち", "なかなか", "まずまず", "かねがね",
    "ほぼほぼ", "もしもし", "ぐるぐる", "ついつい", "さまざま", "それぞれ", "ただただ", "いまいま", "よくよく",
];
const ENGLISH_DOUBLES: &[&str] = &["that", "had"];

fn is_word_char(c: char) -> bool {
    is_kana(c) || is_kanji(c)
}

pub(crate) fn repeated(t: &Analysed, field: Field, sink: &mut Sink) {
    let chars: Vec<(usize, char)> = t.text.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if !is_word_char(chars[i].1) {
            i += 1;
            continue;
        }
        // A run of Japanese letters [i, run); a doubled unit lies inside one.
        let mut run = i;
        while run < n && is_word_char(chars[run].1) {
            run += 1;
        }
        let mut j = i;
        while j < run {
            let mut hit = None;
            for len in 2..=6 {
                if j + 2 * len > run {
                    break;
                }
                if chars[j].1 == chars[j + len].1 && (1..len).all(|k| chars[j + k].1 == chars[j + len + k].1) {
                    hit = Some(len);
                    break;
                }
            }
            // Particles that never double: をを, がが, のの (not in ものの or ののしる).
            if hit.is_none() && j + 1 < run && chars[j].1 == chars[j + 1].1 {
                let particle = match chars[j].1 {
                    'を' | 'が' => true,
                    'の' => !(j > 0 && chars[j - 1].1 == 'も' || chars.get(j + 2).is_some_and(|c| c.1 == 'し')),
                    _ => false,
                };
                if particle {
                    hit = Some(1);
                }
            }
            let Some(len) = hit else {
                j += 1;
                continue;
            };
            let start = chars[j].0;
            let end = chars.get(j + 2 * len).map_or(t.text.len(), |c| c.0);
            let unit: String = chars[j..j + len].iter().map(|c| c.1).collect();
            let doubled = &t.text[start..end];
            let all_same = unit.chars().all(|c| unit.starts_with(c));
            let legit = REDUPLICATIONS.contains(&doubled)
                || unit.starts_with('一')
                || (all_same && len > 1)
                || inside_katakana_word(&chars, j, j + 2 * len);
            if !legit && !t.skipped(start, end) {
                let uncertain = unit.chars().all(is_hiragana) && len > 1 || unit.chars().all(is_katakana) && len == 2;
                let severity = if uncertain { Severity::Warning } else { Severity::Error };
                report_double(t, field, sink, (start, end), doubled, &unit, severity);
            }
            j += 2 * len;
        }
        i = run;
    }
    // English and product names: the same word twice with only spaces between.
    let mut prev: Option<(usize, usize)> = None;
    for (s, e) in tokens(t.text) {
        if let Some((ps, pe)) = prev {
            let gap = &t.text[pe..s];
            let (a, b) = (&t.text[ps..pe], &t.text[s..e]);
            if !gap.is_empty()
                && gap.chars().all(|c| c == ' ' || c == '\u{3000}')
                && a.eq_ignore_ascii_case(b)
                && a.chars().any(|c| c.is_alphabetic())
                && !ENGLISH_DOUBLES.contains(&a.to_lowercase().as_str())
                && !t.skipped(ps, e)
            {
                report_double(t, field, sink, (ps, e), &t.text[ps..e], b, Severity::Error);
            }
        }
        prev = Some((s, e));
    }
}

/// A katakana repeat that is only part of a longer katakana word: in
/// `エントリールール` (エントリー + ルール) the `ール` twice is the seam of a
/// compound, not a slip. Only a katakana word that is the unit twice and
/// nothing more (`データデータ`) is taken for a doubled word.
fn inside_katakana_word(chars: &[(usize, char)], start: usize, end: usize) -> bool {
    if !chars[start..end].iter().all(|c| is_katakana(c.1)) {
        return false;
    }
    let before = start > 0 && is_katakana(chars[start - 1].1);
    let after = chars.get(end).is_some_and(|c| is_katakana(c.1));
    before || after
}

fn report_double(t: &Analysed, field: Field, sink: &mut Sink, span: (usize, usize), doubled: &str, unit: &str, severity: Severity) {
    sink.report(
        t,
        field,
        Rule::TextRepeated,
        severity,
        span,
        msg(format!("「{doubled}」は「{unit}」が重複しています。"), format!("“{doubled}” repeats “{unit}”.")),
        Some(unit.to_string()),
    );
}

// ---------------------------------------------------------------- placeholders

needles!(PLACEHOLDER_LITERALS, false, [
    "XX:XX", "xx:xx", "XX/XX", "xx/xx", "YYYY/MM/DD", "YYYY-MM-DD", "YYYY年MM月DD日", "HH:MM", "hh:mm", "X月X日",
    "X時X分", "XX時XX分", "〇月〇日", "〇時〇分", "○月○日", "○時○分", "●月●日", "●時●分", "〇〇", "○○", "◯◯", "●●",
    "××", "＿＿", "___",
]);
needles!(PLACEHOLDER_WORDS, false, ["TBD", "TODO", "FIXME", "TBA", "XXX"]);
const BRACKET_KEYWORDS: &[&str] = &[
    "要記入", "記入", "要確認", "要修正", "未記入", "ここに", "TBD", "TODO", "入力してください", "INSERT", "Insert ", "insert ",
];

/// `<…>` holding a blank to fill (`<原因>`, `<START TIME>`, `<your name>`),
/// not an autolink (`<https://…>`, `<support@example.com>`) nor an HTML tag
/// (`<br>`, `</p>`, `<a href="…">`).
fn angle_placeholder(inner: &str) -> bool {
    // `a < b and c > d` is a comparison: a blank hugs its brackets.
    if inner.trim() != inner {
        return false;
    }
    let Some(first) = inner.chars().next() else { return false };
    if matches!(first, '/' | '!' | '?' | '-' | '=' | '<') || inner.contains("://") || inner.contains(['@', '=', '"', '<', '\n']) {
        return false;
    }
    if inner.starts_with("mailto:") || inner.chars().count() > 30 {
        return false;
    }
    // Japanese inside: a blank to fill; Latin: words, or one word in capitals.
    !inner.is_ascii()
        || inner.contains([' ', '_']) && inner.chars().any(|c| c.is_ascii_alphabetic()) && !inner.contains(['>', '.'])
        || inner.len() >= 2 && inner.chars().all(|c| c.is_ascii_uppercase())
}

fn ident_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) fn placeholders(t: &Analysed, field: Field, sink: &mut Sink) {
    let text = t.text;
    let mut found: Vec<(usize, usize)> = Vec::new();
    // {{name}}, unless part of an identifier (`user_{{id}}`).
    for (s, _) in text.match_indices("{{") {
        if let Some(close) = text[s..].find("}}").filter(|&c| c <= 80) {
            let e = s + close + 2;
            if !ident_char(text[..s].chars().next_back()) && !ident_char(text[e..].chars().next()) {
                found.push((s, e));
            }
        }
    }
    // {slot} and {kind:unit}: a slot a suggestion could not fill
    // (`{datetime}`, `{num:minutes}`), not a `{{…}}` field nor code or JSON.
    for (s, _) in text.match_indices('{') {
        let after = &text[s + 1..];
        let Some(close) = after.find('}').filter(|&c| (1..=24).contains(&c)) else { continue };
        let inner = &after[..close];
        let slot = inner.split(':').count() <= 2
            && inner.split(':').enumerate().all(|(i, w)| {
                !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || i == 1 && b.is_ascii_digit())
            });
        let e = s + 1 + close + 1;
        if slot && !text[..s].ends_with('{') && !text[e..].starts_with('}') && !ident_char(text[..s].chars().next_back()) && !ident_char(text[e..].chars().next()) {
            found.push((s, e));
        }
    }
    for (s, e, _) in PLACEHOLDER_LITERALS.find_all(text) {
        // A rule line of underscores is Markdown, not a blank.
        if text[s..e].starts_with('_') && text[..s].ends_with('_') {
            continue;
        }
        found.push((s, e));
    }
    for (s, e, _) in PLACEHOLDER_WORDS.find_all(text) {
        if !ident_char(text[..s].chars().next_back()) && !ident_char(text[e..].chars().next()) {
            found.push((s, e));
        }
    }
    for (s, _) in text.match_indices('<') {
        let inner_at = s + 1;
        let window = crate::text::floor_char_boundary(text, (inner_at + 100).min(text.len()));
        let Some(c) = text[inner_at..window].find('>') else { continue };
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !glued(text[..s].chars().next_back()) && !glued(text[inner_at + c + 1..].chars().next()) && angle_placeholder(&text[inner_at..inner_at + c]) {
            found.push((s, inner_at + c + 1));
        }
    }
    for (open, close) in [('【', '】'), ('[', ']'), ('［', '］'), ('<', '>'), ('＜', '＞'), ('(', ')'), ('（', '）')] {
        for (s, _) in text.match_indices(open) {
            let inner_at = s + open.len_utf8();
            // A placeholder is short: look for the closer nearby only.
            let window = crate::text::floor_char_boundary(text, (inner_at + 80).min(text.len()));
            let Some(c) = text[inner_at..window].find(close) else { continue };
            let inner = &text[inner_at..inner_at + c];
            if inner.chars().count() <= 20 && BRACKET_KEYWORDS.iter().any(|k| inner.contains(k)) {
                found.push((s, inner_at + c + close.len_utf8()));
            }
        }
    }
    found.sort_unstable();
    let mut last_end = 0;
    for (s, e) in found {
        // Quoted (「〇〇日後」, a feature's name), linked or code: not a blank.
        if s < last_end || t.skipped(s, e) {
            continue;
        }
        last_end = e;
        let written = &text[s..e];
        sink.report(
            t,
            field,
            Rule::PlaceholderUnfilled,
            Severity::Error,
            (s, e),
            msg(format!("「{written}」が埋められていません。"), format!("“{written}” is a placeholder that was not filled in.")),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{lint_text, Config, Diagnostic, Rule, Severity, TextContext};

    fn lint(text: &str, glossary: &[&str], rule: Rule) -> Vec<Diagnostic> {
        let config = Config { glossary: glossary.iter().map(|s| s.to_string()).collect(), ..Config::default() };
        lint_text(text, &TextContext::default(), &config).into_iter().filter(|d| d.rule == rule).collect()
    }

    fn found(text: &str, glossary: &[&str]) -> Vec<(Severity, String)> {
        lint(text, glossary, Rule::GlossaryVariant)
            .into_iter()
            .map(|d| (d.severity, d.suggestion.unwrap_or_default()))
            .collect()
    }

    const G: &[&str] = &["Skyline", "Skyline Relay", "Pulseβ", "Orbit"];

    #[test]
    fn glossary_slips() {
        assert_eq!(found("Skylline の障害", G), [(Severity::Error, "Skyline".into())]);
        assert_eq!(found("Skyine の障害", G), [(Severity::Error, "Skyline".into())]);
        assert_eq!(found("Skylnie の障害", G), [(Severity::Error, "Skyline".into())]);
        assert!(found("Skyline と Skylines の障害", G).is_empty(), "plurals are not slips");
        assert!(found("Skyline Relay と Pulseβ の障害", G).is_empty());
    }

    #[test]
    fn glossary_look_alikes_case_and_width() {
        assert_eq!(found("Pulseß で遅延", G), [(Severity::Error, "Pulseβ".into())]);
        assert_eq!(found("Pulse ß で遅延", G), [(Severity::Error, "Pulseβ".into())]);
        assert_eq!(found("Pulse β で遅延", G), [(Severity::Warning, "Pulseβ".into())]);
        assert_eq!(found("Ｓｋｙｌｉｎｅ で遅延", G), [(Severity::Error, "Skyline".into())]);
        assert_eq!(found("SKYLINE で遅延", G), [(Severity::Warning, "Skyline".into())]);
        assert_eq!(found("SkylineRelay で遅延", G), [(Severity::Warning, "Skyline Relay".into())]);
        assert_eq!(found("Skylinе で遅延", G), [(Severity::Error, "Skyline".into())], "Cyrillic е");
        assert!(found("we took an orbit around", G).is_empty(), "lower-case English word");
        assert!(found("https://skylne.example.com/status を参照", G).is_empty(), "links are skipped");
    }

    #[test]
    fn glossary_full_width_letters() {
        let g = &["Kumo", "Kumo Mail"];
        assert_eq!(found("ｋｕｍｏ で遅延", g), [(Severity::Error, "Kumo".into())]);
        assert_eq!(found("Deliveries from ｋｕｍｏ are delayed.", g), [(Severity::Error, "Kumo".into())]);
        assert_eq!(found("ＫＵＭＯ Ｍａｉｌ で遅延", g), [(Severity::Error, "Kumo".into()), (Severity::Error, "Mail".into())]);
    }

    #[test]
    fn glossary_kana_variants() {
        const K: &[&str] = &["クモメール", "ヴィジョン", "データハブ", "ショッピング"];
        for (text, want) in [
            ("クモメルで遅延が発生しています", "クモメール"),       // ー dropped
            ("クモメールーで遅延", "クモメール"),                 // ー added
            ("ビジョンの画面が表示されない", "ヴィジョン"),         // ブ/ビ for ヴ
            ("シヨツピングの決済", "ショッピング"),               // large kana for small
            ("データーハブのジョブ", "データハブ"),               // ー added
            ("クモメーールで遅延", "クモメール"),                 // a kana doubled
            ("クモメールアプリとクメモールの両方", "クモメール"), // two kana swapped
            ("データハプのジョブ", "データハブ"),                 // not a slip: ハプ is another kana
        ] {
            let got = found(text, K);
            if text.contains("ハプ") {
                assert!(got.is_empty(), "{text}: {got:?}");
            } else {
                assert_eq!(got, [(Severity::Error, want.to_string())], "{text}");
            }
        }
        for ok in ["クモメールアプリで遅延", "データハブとヴィジョン", "メールの配信", "ルールの変更", "「クモメル」という旧称"] {
            assert!(found(ok, K).is_empty(), "{ok}");
        }
        // The finding covers the variant only, and suggests the glossary's spelling.
        let d = &lint("新クモメルアプリ", K, Rule::GlossaryVariant)[0];
        assert_eq!((d.column, d.end_column, d.suggestion.as_deref()), (2, 6, Some("クモメール")));
    }

    #[test]
    fn doubled_words() {
        let got = lint("判明次第次第、ご連絡します。", &[], Rule::TextRepeated);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].severity, got[0].suggestion.as_deref()), (Severity::Error, Some("次第")));
        assert_eq!(lint("The the service failed.", &[], Rule::TextRepeated).len(), 1);
        assert_eq!(lint("障害がが発生", &[], Rule::TextRepeated).len(), 1);
        for ok in ["時々遅延します", "ますます増加", "一つ一つ確認", "それぞれ対応", "ーーーー", "said that that was", "人々"] {
            assert!(lint(ok, &[], Rule::TextRepeated).is_empty(), "{ok}");
        }
        assert_eq!(lint("してしています", &[], Rule::TextRepeated)[0].severity, Severity::Warning);
    }

    #[test]
    fn a_repeat_inside_a_katakana_compound_is_no_double() {
        // エントリー + ルール: `ール` twice at the seam.
        for ok in ["個別に設定されたエントリールールに依ります。", "ルーティングルールを変更", "確認したものの、解消していません", "ののしる"] {
            assert!(lint(ok, &[], Rule::TextRepeated).is_empty(), "{ok}");
        }
        for (bad, unit) in [("障害のの影響", "の"), ("データデータを削除", "データ"), ("the the service", "the"), ("判明次第次第", "次第")] {
            let got = lint(bad, &[], Rule::TextRepeated);
            assert_eq!(got.len(), 1, "{bad}: {got:?}");
            assert_eq!(got[0].suggestion.as_deref(), Some(unit), "{bad}");
        }
    }

    #[test]
    fn placeholders() {
        for bad in ["{{開始時刻}}に発生", "〇〇時頃に復旧", "XX:XX に再開", "次回更新: TBD", "【要記入】", "原因：[ここに原因を書く]"] {
            assert_eq!(lint(bad, &[], Rule::PlaceholderUnfilled).len(), 1, "{bad}");
        }
        for ok in ["dataset_{{api_key}} を確認", "「〇〇日後」の配信", "TBDs", "https://example.com/XX:XX", "実施日時 未定"] {
            assert!(lint(ok, &[], Rule::PlaceholderUnfilled).is_empty(), "{ok}");
        }
    }

    #[test]
    fn placeholders_in_the_shapes_templates_and_teams_use() {
        for bad in [
            "Sign-in failed from [INSERT START TIME] onwards.",
            "The cause was [insert cause here].",
            "Next update: [TBD]",
            "Next update: TBD",
            "{{ next_update }} までに続報します",
            "Affected: <PRODUCT NAME>",
            "We expect a fix by <time of fix>.",
            "<原因> のため遅延しました",
            "<START_TIME> から発生",
            "XX:XX に復旧",
            "●●機能で障害が発生",
            "○○様",
            "発生日時：＿＿",
            "■ 原因\n【要記入】",
            "Since {datetime}, delivery has been delayed.",
            "約45件のメールが{num:minutes}遅延",
            "{term:3} の障害",
        ] {
            let got = lint(bad, &[], Rule::PlaceholderUnfilled);
            assert_eq!(got.len(), 1, "{bad}: {got:?}");
        }
        for ok in [
            "See <https://status.example.com/incidents/1> for details.",
            "Write to <support@example.com>.",
            "line one<br>line two",
            "<a href=\"https://example.com\">status</a>",
            "</p>",
            "<b>Resolved</b>",
            "If latency < 200 ms and errors > 1%, we page.",
            "Settings > Billing > Invoices",
            "a<b and c>d",
            "Press the [Insert] key",
            "「〇〇日後」の配信",
            "一部の設定値(<10件)",
            "Send {\"retry\": true} to the API.",
            "a set {a, b} of two",
            "user_{id} is the key",
            "{Kumo}",
        ] {
            let got = lint(ok, &[], Rule::PlaceholderUnfilled);
            assert!(got.is_empty(), "{ok}: {got:?}");
        }
    }
}
