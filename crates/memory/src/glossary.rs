//! Product and component names, each a pair of spellings (Japanese text,
//! English text). A name found in a segment is one placeable, carried into
//! a suggestion in the other language's spelling.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use crate::normalize::normalize_width;

/// One glossary entry: how the Japanese text and the English text spell it
/// (often the same). The store's `GlossaryTerm` has these two fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub ja: String,
    pub en: String,
}

impl Term {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Term {
        Term { ja: ja.into(), en: en.into() }
    }
}

/// The glossary with its matchers built.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<Term>,
    /// Matches Japanese spellings, and English ones written inside Japanese text.
    ja: Option<(AhoCorasick, Vec<u32>)>,
    /// Matches English spellings, ASCII case ignored.
    en: Option<(AhoCorasick, Vec<u32>)>,
}

impl Glossary {
    pub fn new(terms: impl IntoIterator<Item = Term>) -> Glossary {
        let terms: Vec<Term> = terms.into_iter().filter(|t| !t.ja.trim().is_empty() && !t.en.trim().is_empty()).collect();
        let build = |forms: Vec<(String, u32)>, ci: bool| -> Option<(AhoCorasick, Vec<u32>)> {
            if forms.is_empty() {
                return None;
            }
            let (patterns, ids): (Vec<String>, Vec<u32>) = forms.into_iter().unzip();
            let ac = AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).ascii_case_insensitive(ci).build(&patterns).ok()?;
            Some((ac, ids))
        };
        let mut ja_forms = Vec::new();
        let mut en_forms = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            let (ja, en) = (normalize_width(t.ja.trim()), normalize_width(t.en.trim()));
            ja_forms.push((ja.clone(), i as u32));
            if en != ja {
                ja_forms.push((en.clone(), i as u32));
            }
            en_forms.push((en, i as u32));
        }
        Glossary { ja: build(ja_forms, false), en: build(en_forms, true), terms }
    }

    /// Every term of a linter configuration, spelt the same in both languages.
    pub fn from_config(config: &desk_lint::Config) -> Glossary {
        Glossary::new(config.glossary.iter().map(|t| Term::new(t.clone(), t.clone())))
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn term(&self, index: u32) -> Option<&Term> {
        self.terms.get(index as usize)
    }

    /// The terms in a width-normalised text: (start, end, term index), with
    /// Latin names bounded by non-letters (`Relay` is not in `Relayed`).
    pub(crate) fn find(&self, text: &str, lang: desk_model::Lang) -> Vec<(usize, usize, u32)> {
        let m = match lang {
            desk_model::Lang::Ja => &self.ja,
            desk_model::Lang::En => &self.en,
        };
        let Some((ac, ids)) = m else { return Vec::new() };
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        ac.find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let first = text[m.start()..].chars().next();
                let last = text[..m.end()].chars().next_back();
                !((word(first) && word(before)) || (word(last) && word(after)))
            })
            .map(|m| (m.start(), m.end(), ids[m.pattern().as_usize()]))
            .collect()
    }
}

impl From<Vec<Term>> for Glossary {
    fn from(terms: Vec<Term>) -> Glossary {
        Glossary::new(terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::Lang;

    #[test]
    fn finds_names_in_both_languages() {
        let g = Glossary::new([Term::new("管理画面", "admin console"), Term::new("Relay Hub", "Relay Hub")]);
        let found = g.find("Relay Hubの管理画面", Lang::Ja);
        assert_eq!(found.iter().map(|f| f.2).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(g.find("the Admin Console of relay hub", Lang::En).len(), 2);
        assert!(g.find("Relay Hubs", Lang::En).is_empty());
    }
}
