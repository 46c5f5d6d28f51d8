//! A section of a draft's body that is owned by data: the timeline (■ 経緯 /
//! ■ Timeline, written from the timeline table) and the compensation (■ 補償について /
//! ■ Compensation, written from the offers). On every save the lines under
//! the section's heading, up to the next heading, are written again from the
//! data in each language; text typed there by hand is replaced, and the save
//! says so. Everything outside the section stays the author's.

use desk_model::{Bilingual, Lang, SectionKind};

/// What one owned section is called and where it goes.
pub struct Owned {
    /// Names its heading can have (after its marker: ■, #, 1. …), compared
    /// ignoring ASCII case.
    pub names: &'static [&'static str],
    /// The heading written for a section that is not there yet.
    pub heading: fn(Lang) -> &'static str,
    /// Where the section ends when no heading follows it: the byte length
    /// of its own lines at the start of the text after its heading.
    pub last_end: fn(&str) -> usize,
    /// A missing section is written before the first heading of these
    /// kinds; after all the text when there is none.
    pub before: &'static [SectionKind],
}

/// What a heading line is without its marker, and the marker.
pub(crate) fn heading_parts(line: &str) -> (&str, &str) {
    let rest = line.trim_start_matches(['■', '□', '◆', '●', '#', '*', ' ', '\u{3000}', '【']);
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let marker = &line[..line.len() - rest.len()];
    (marker.trim(), rest.trim().trim_end_matches(['】', ':', '：', '*']).trim())
}

impl Owned {
    /// Byte ranges: the heading's line, and its section (the lines after it
    /// up to the next heading with the same marker, blank lines at its end
    /// left out). None when the text has no such heading.
    pub fn section_of(&self, text: &str) -> Option<((usize, usize), (usize, usize))> {
        let mut offset = 0;
        let mut found: Option<((usize, usize), &str)> = None;
        for raw in text.split_inclusive('\n') {
            let start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let (marker, name) = heading_parts(line);
            match found {
                None if !marker.is_empty() && self.names.iter().any(|h| name.eq_ignore_ascii_case(h)) => found = Some(((start, offset), marker)),
                Some((head, marker)) if !line.trim().is_empty() && line.starts_with(marker) && heading_parts(line).0 == marker => {
                    return Some((head, (head.1, head.1 + text[head.1..start].trim_end().len())));
                }
                _ => {}
            }
        }
        let (head, _) = found?;
        Some((head, (head.1, head.1 + (self.last_end)(&text[head.1..]))))
    }

    /// `text` with its section's lines replaced by `rendered` in `lang`, and
    /// whether text typed there (anything but `before` or `rendered`) was lost.
    /// With nothing rendered the section goes, heading and all.
    pub fn own(&self, text: &str, before: &str, rendered: &str, lang: Lang) -> (String, bool) {
        match self.section_of(text) {
            Some(((head_start, _), (start, end))) => {
                let old = text[start..end].trim();
                let lost = old != before.trim() && old != rendered.trim();
                if rendered.is_empty() {
                    let rest = text[end..].trim_start_matches(['\n', '\r']);
                    return (format!("{}{rest}", &text[..head_start]), lost);
                }
                (format!("{}{rendered}{}", &text[..start], &text[end..]), lost)
            }
            None if rendered.is_empty() => (text.to_string(), false),
            None => {
                let next = text.match_indices('\n').map(|(i, _)| i + 1).chain(std::iter::once(0)).filter(|&i| {
                    let line = text[i..].lines().next().unwrap_or("");
                    let (marker, name) = heading_parts(line);
                    !marker.is_empty() && SectionKind::recognise(name).is_some_and(|k| self.before.contains(&k))
                }).min();
                let section = format!("{}\n{rendered}", (self.heading)(lang));
                match next {
                    Some(i) => (format!("{}{section}\n\n{}", &text[..i], &text[i..]), false),
                    None => (format!("{}\n\n{section}", text.trim_end()), false),
                }
            }
        }
    }
}

/// The languages whose typed text was replaced, named in Japanese and
/// English (日本語と英語 / Japanese and English); none when none was.
pub fn languages_replaced(replaced: Bilingual<bool>) -> Option<(&'static str, &'static str)> {
    match (replaced.ja, replaced.en) {
        (true, true) => Some(("日本語と英語", "Japanese and English")),
        (true, false) => Some(("日本語", "Japanese")),
        (false, true) => Some(("英語", "English")),
        (false, false) => None,
    }
}

/// Writes `owned`'s section of both bodies from `render` (what the data
/// gives in a language), `before` being what the data was when last saved;
/// says per language whether typed text was replaced.
pub(crate) fn own_both(owned: &Owned, body: &mut Bilingual<String>, render: impl Fn(Lang, bool) -> String) -> Bilingual<bool> {
    let mut replaced = Bilingual { ja: false, en: false };
    for lang in Lang::ALL {
        let (text, lost) = owned.own(body.get(lang), &render(lang, false), &render(lang, true), lang);
        *body.get_mut(lang) = text;
        *replaced.get_mut(lang) = lost;
    }
    replaced
}
