//! A segment read once: its placeables, its normalised text and the
//! n-gram features the index keys on.

use std::hash::Hasher;

use desk_model::Lang;
use rustc_hash::FxHasher;

use crate::glossary::Glossary;
use crate::normalize::{normalize_width, OffsetMap};
use crate::placeable::{self, Placeable, SlotKind};

pub(crate) struct Analysed {
    /// Placeables with byte ranges in the original text.
    pub placeables: Vec<Placeable>,
    /// Width-normalised, lower-cased, spaces folded, each placeable one
    /// private-use character: what n-grams are taken from.
    pub key: String,
}

impl Analysed {
    pub fn slots(&self) -> Vec<SlotKind> {
        let mut s: Vec<SlotKind> = self.placeables.iter().map(|p| p.kind).collect();
        s.sort_unstable();
        s
    }

    /// The key with each slot written as its label (`{num:minutes}`, `{term:3}`).
    pub fn normalised(&self) -> String {
        let mut out = String::with_capacity(self.key.len() + 16);
        let mut k = 0;
        for c in self.key.chars() {
            if SlotKind::ALL.iter().any(|s| s.token() == c) {
                if let Some(p) = self.placeables.get(k) {
                    out.push_str(&p.slot());
                }
                k += 1;
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A space is kept only between Latin words, digits, punctuation and slots:
/// Japanese text does not separate words with it.
fn latin(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii() || ('\u{E000}'..='\u{E0FF}').contains(&c))
}

pub(crate) fn analyse(text: &str, lang: Lang, glossary: &Glossary) -> Analysed {
    let norm = normalize_width(text);
    let mut placeables = placeable::find(&norm, lang, glossary);
    let mut key = String::with_capacity(norm.len());
    let mut next = 0;
    let mut space = false;
    let mut i = 0;
    while i < norm.len() {
        if let Some(p) = placeables.get(next).filter(|p| p.start == i) {
            if space && latin(key.chars().next_back()) {
                key.push(' ');
            }
            space = false;
            key.push(p.kind.token());
            i = p.end;
            next += 1;
            continue;
        }
        let Some(c) = norm[i..].chars().next() else { break };
        i += c.len_utf8();
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && latin(key.chars().next_back()) && latin(Some(c)) {
            key.push(' ');
        }
        space = false;
        for l in c.to_lowercase() {
            key.push(l);
        }
    }
    if norm.len() != text.len() {
        let map = OffsetMap::new(text, &norm);
        for p in &mut placeables {
            p.start = map.to_original(p.start);
            p.end = map.to_original(p.end);
        }
    }
    Analysed { placeables, key }
}

fn hash(tag: u8, parts: &[char]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(tag);
    for c in parts {
        h.write_u32(*c as u32);
    }
    h.finish()
}

fn hash_words(tag: u8, words: &[&str]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(tag);
    for w in words {
        h.write(w.as_bytes());
        h.write_u8(0xff);
    }
    h.finish()
}

/// The n-gram features of a key, sorted and without repeats: character
/// 2- and 3-grams for Japanese; word 1- and 2-grams and character 3-grams
/// for English.
pub(crate) fn features(key: &str, lang: Lang) -> Vec<u64> {
    let mut out = Vec::new();
    match lang {
        Lang::Ja => {
            let chars: Vec<char> = key.chars().filter(|c| !c.is_whitespace()).collect();
            if chars.len() == 1 {
                out.push(hash(1, &chars));
            }
            for w in chars.windows(2) {
                out.push(hash(2, w));
            }
            for w in chars.windows(3) {
                out.push(hash(3, w));
            }
        }
        Lang::En => {
            let words: Vec<&str> = key
                .split(|c: char| !(c.is_alphanumeric() || ('\u{E000}'..='\u{E0FF}').contains(&c)))
                .filter(|w| !w.is_empty())
                .collect();
            for w in &words {
                out.push(hash_words(4, std::slice::from_ref(w)));
            }
            for w in words.windows(2) {
                out.push(hash_words(5, w));
            }
            let chars: Vec<char> = key.chars().collect();
            if chars.len() < 3 && !chars.is_empty() {
                out.push(hash(6, &chars));
            }
            for w in chars.windows(3) {
                out.push(hash(6, w));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Sørensen–Dice over two sorted sets (or multisets); 1 when both are empty.
pub(crate) fn dice<T: Ord>(a: &[T], b: &[T]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}
