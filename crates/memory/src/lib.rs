//! The translation memory of Incident Desk.
//!
//! Published updates are cut into aligned Japanese–English segments
//! ([`segment`]); each segment's facts — dates, times, periods, numbers with
//! units, links and glossary names — are placeables ([`placeable`]), one
//! token each, so that `2025/06/13 02:51頃に約300件` and `2024/01/05
//! 10:00頃に約20件` are the same sentence to the memory. [`Memory::suggest`]
//! finds the closest segments of one language through an inverted n-gram
//! index and returns their partners in the other language, rewritten with
//! the placeables of the text being translated, in that language's style.
//!
//! No database and no I/O: the store keeps [`SegmentPair`]s (serde) and
//! rebuilds a memory with [`Memory::from_pairs`].

mod analyse;
pub mod glossary;
mod normalize;
pub mod placeable;
pub mod segment;

use desk_model::{Lang, PeriodStyle, SectionKind, Update, UpdateText};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use analyse::{analyse, dice, features, Analysed};
pub use glossary::{Glossary, Term};
pub use normalize::normalize_width;
pub use placeable::{Placeable, SlotKind, Value};
use placeable::Writer;
pub use segment::{Origin, Part, Segment, SegmentPair};

/// Which update a body belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    pub incident: String,
    pub update: u32,
}

impl Source {
    pub fn new(incident: impl Into<String>, update: u32) -> Source {
        Source { incident: incident.into(), update }
    }
}

/// A segment of the other language, proposed as the translation of a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The memory's segment rewritten with the placeables of the text being
    /// translated; slots that could not be filled stay as their label
    /// (`{num:minutes}`).
    pub text: String,
    /// Similarity of the text to [`Suggestion::matched`], in [0, 1].
    pub score: f32,
    /// The memory's segment in the text's language that matched.
    pub matched: String,
    /// The memory's segment in the other language, as it was written.
    pub original: String,
    /// Where the suggested segment came from (its latest occurrence).
    pub source: Origin,
    /// How many times this pair was seen.
    pub seen: u32,
    /// True when every placeable of the text was carried over and every slot
    /// of the suggestion was filled.
    pub complete: bool,
    /// Slots of the suggestion left unfilled (their labels, in order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Placeables of the text that found no slot (as written in the text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unused: Vec<String>,
}

/// Counts that describe a memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Aligned pairs added (repeats included).
    pub pairs: usize,
    /// Distinct normalised segments per language.
    pub unique_ja: usize,
    pub unique_en: usize,
    /// Distinct n-gram features per language.
    pub features_ja: usize,
    pub features_en: usize,
    /// Entries in the inverted lists of both languages.
    pub postings: usize,
}

/// One distinct normalised segment of one language.
#[derive(Debug, Clone)]
struct Unit {
    features: Box<[u64]>,
    slots: Box<[SlotKind]>,
    /// Partner units in the other language: (unit, times seen, latest pair).
    partners: Vec<(u32, u32, u32)>,
}

#[derive(Debug, Clone, Default)]
struct Side {
    units: Vec<Unit>,
    by_key: FxHashMap<Box<str>, u32>,
    postings: FxHashMap<u64, Vec<u32>>,
    postings_len: usize,
}

impl Side {
    /// The unit for a key, added (and indexed) when new.
    fn unit(&mut self, key: &str, lang: Lang, a: &Analysed) -> u32 {
        if let Some(&u) = self.by_key.get(key) {
            return u;
        }
        let id = self.units.len() as u32;
        let f = features(key, lang);
        for x in &f {
            self.postings.entry(*x).or_default().push(id);
        }
        self.postings_len += f.len();
        self.units.push(Unit { features: f.into_boxed_slice(), slots: a.slots().into_boxed_slice(), partners: Vec::new() });
        self.by_key.insert(key.into(), id);
        id
    }

    /// The units closest to a query, best first: (unit, Dice of features).
    ///
    /// Inverted lists are read rarest first until a budget of entries is
    /// spent (common n-grams like `して` are then skipped); the units met
    /// most often are scored exactly.
    fn nearest(&self, q: &[u64], keep: usize) -> Vec<(u32, f32)> {
        const BUDGET: usize = 40_000;
        const SHORTLIST: usize = 200;
        let mut lists: Vec<&Vec<u32>> = q.iter().filter_map(|f| self.postings.get(f)).collect();
        lists.sort_unstable_by_key(|l| l.len());
        let mut counts = vec![0u16; self.units.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut spent = 0;
        for (k, l) in lists.iter().enumerate() {
            if k >= 3 && spent + l.len() > BUDGET {
                break;
            }
            spent += l.len();
            for &u in l.iter() {
                let c = &mut counts[u as usize];
                if *c == 0 {
                    touched.push(u);
                }
                *c = c.saturating_add(1);
            }
        }
        if touched.len() > SHORTLIST {
            touched.select_nth_unstable_by_key(SHORTLIST, |&u| std::cmp::Reverse(counts[u as usize]));
            touched.truncate(SHORTLIST);
        }
        let mut scored: Vec<(u32, f32)> = touched.into_iter().map(|u| (u, dice(q, &self.units[u as usize].features))).collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(keep);
        scored
    }
}

/// Weight of the n-gram similarity in a score; the rest is how well the
/// placeable slots agree.
const TEXT_WEIGHT: f32 = 0.85;

/// The translation memory: aligned segment pairs and their index.
#[derive(Debug, Clone)]
pub struct Memory {
    glossary: Glossary,
    style: PeriodStyle,
    pairs: Vec<SegmentPair>,
    ja: Side,
    en: Side,
}

/// One pair read and ready to be inserted.
struct Prepared {
    pair: SegmentPair,
    ja_key: String,
    en_key: String,
    ja: Analysed,
    en: Analysed,
}

impl Memory {
    /// An empty memory that treats the glossary's names as placeables and
    /// writes dates in the default style (Japan time).
    pub fn new(glossary: impl Into<Glossary>) -> Memory {
        Memory::with_style(glossary, PeriodStyle::default())
    }

    /// An empty memory writing dates in the organisation's style.
    pub fn with_style(glossary: impl Into<Glossary>, style: PeriodStyle) -> Memory {
        Memory { glossary: glossary.into(), style, pairs: Vec::new(), ja: Side::default(), en: Side::default() }
    }

    /// A memory holding pairs kept earlier (see [`Memory::pairs`]).
    pub fn from_pairs(glossary: impl Into<Glossary>, style: PeriodStyle, pairs: impl IntoIterator<Item = SegmentPair>) -> Memory {
        let mut m = Memory::with_style(glossary, style);
        for p in pairs {
            let prepared = m.prepare(p);
            m.insert(prepared);
        }
        m
    }

    pub fn glossary(&self) -> &Glossary {
        &self.glossary
    }

    /// Every pair added, oldest first: what a store keeps.
    pub fn pairs(&self) -> &[SegmentPair] {
        &self.pairs
    }

    fn side(&self, lang: Lang) -> &Side {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    fn prepare(&self, pair: SegmentPair) -> Prepared {
        let ja = analyse(&pair.ja.text, Lang::Ja, &self.glossary);
        let en = analyse(&pair.en.text, Lang::En, &self.glossary);
        Prepared { ja_key: ja.key.clone(), en_key: en.key.clone(), ja, en, pair }
    }

    fn insert(&mut self, p: Prepared) {
        let index = self.pairs.len() as u32;
        let ju = self.ja.unit(&p.ja_key, Lang::Ja, &p.ja);
        let eu = self.en.unit(&p.en_key, Lang::En, &p.en);
        for (side, from, to) in [(&mut self.ja, ju, eu), (&mut self.en, eu, ju)] {
            let partners = &mut side.units[from as usize].partners;
            match partners.iter_mut().find(|x| x.0 == to) {
                Some(x) => {
                    x.1 += 1;
                    x.2 = index;
                }
                None => partners.push((to, 1, index)),
            }
        }
        self.pairs.push(p.pair);
    }

    /// Cuts one published update (its Japanese and English Markdown bodies)
    /// into aligned segments and adds them; returns how many. Only the new
    /// segments are indexed: nothing is rebuilt.
    pub fn add_update(&mut self, source: &Source, ja: &str, en: &str) -> usize {
        let prepared: Vec<Prepared> = update_pairs(source, ja, en).into_iter().map(|p| self.prepare(p)).collect();
        let n = prepared.len();
        for p in prepared {
            self.insert(p);
        }
        n
    }

    /// Adds many updates at once, reading them on every core; the same
    /// result as [`Memory::add_update`] on each in order.
    pub fn add_updates<'a>(&mut self, updates: impl IntoIterator<Item = (Source, &'a str, &'a str)>) -> usize {
        let updates: Vec<(Source, &str, &str)> = updates.into_iter().collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
        let chunk = updates.len().div_ceil(threads).max(1);
        let this = &*self;
        let prepared: Vec<Vec<Prepared>> = std::thread::scope(|s| {
            let handles: Vec<_> = updates
                .chunks(chunk)
                .map(|part| s.spawn(move || part.iter().flat_map(|(src, ja, en)| update_pairs(src, ja, en)).map(|p| this.prepare(p)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        let mut n = 0;
        for p in prepared.into_iter().flatten() {
            self.insert(p);
            n += 1;
        }
        n
    }

    /// Adds pairs kept earlier (see [`Memory::pairs`]), reading them on
    /// every core; the same result as [`Memory::from_pairs`] on them in order.
    /// What a store does when it loads its table, or the rows added since.
    pub fn add_pairs_kept(&mut self, pairs: Vec<SegmentPair>) -> usize {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
        let chunk = pairs.len().div_ceil(threads).max(1);
        let this = &*self;
        let mut parts: Vec<Vec<SegmentPair>> = Vec::new();
        let mut rest = pairs.into_iter();
        loop {
            let part: Vec<SegmentPair> = rest.by_ref().take(chunk).collect();
            if part.is_empty() {
                break;
            }
            parts.push(part);
        }
        let prepared: Vec<Vec<Prepared>> = std::thread::scope(|s| {
            let handles: Vec<_> = parts.into_iter().map(|part| s.spawn(move || part.into_iter().map(|p| this.prepare(p)).collect::<Vec<_>>())).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        let mut n = 0;
        for p in prepared.into_iter().flatten() {
            self.insert(p);
            n += 1;
        }
        n
    }

    /// Adds fixed phrases (a template's headings and stock sentences) as
    /// pairs of Japanese and English text, under `label`.
    pub fn add_pairs<J: Into<String>, E: Into<String>>(&mut self, label: &str, pairs: impl IntoIterator<Item = (J, E)>) -> usize {
        let mut n = 0;
        for (ja, en) in pairs {
            let origin = Origin { incident: label.to_string(), update: 0, section: 0, kind: None, part: Part::Phrase };
            let pair = SegmentPair {
                ja: Segment { lang: Lang::Ja, text: ja.into(), origin: origin.clone() },
                en: Segment { lang: Lang::En, text: en.into(), origin },
            };
            let p = self.prepare(pair);
            self.insert(p);
            n += 1;
        }
        n
    }

    /// The placeables of a text, with byte ranges in it.
    pub fn placeables(&self, text: &str, lang: Lang) -> Vec<Placeable> {
        analyse(text, lang, &self.glossary).placeables
    }

    /// The text as the memory compares it: width-normalised, lower-cased,
    /// spaces folded, placeables replaced by their slots (`{datetime}`,
    /// `{num:count}`, `{term:2}`).
    pub fn normalise(&self, text: &str, lang: Lang) -> String {
        analyse(text, lang, &self.glossary).normalised()
    }

    /// Up to `limit` segments of the other language for `text` (written in
    /// `from`), best first, each rewritten with `text`'s placeables.
    pub fn suggest(&self, text: &str, from: Lang, limit: usize) -> Vec<Suggestion> {
        let to = other(from);
        let q = analyse(text, from, &self.glossary);
        let qf = features(&q.key, from);
        let qs = q.slots();
        let side = self.side(from);
        let mut ranked: Vec<(f32, u32, u32, u32, u32)> = Vec::new();
        for (u, d) in side.nearest(&qf, limit.max(1) * 4) {
            let unit = &side.units[u as usize];
            let score = (TEXT_WEIGHT * d + (1.0 - TEXT_WEIGHT) * dice(&qs, &unit.slots)).clamp(0.0, 1.0);
            for &(partner, seen, latest) in &unit.partners {
                ranked.push((score, seen, latest, partner, u));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
        let mut out: Vec<Suggestion> = Vec::new();
        for (score, seen, latest, _, _) in ranked {
            if out.len() >= limit {
                break;
            }
            let pair = &self.pairs[latest as usize];
            let target = pair.get(to);
            let s = self.rewrite(text, &q, &target.text, to);
            if out.iter().any(|o| o.text == s.0) {
                continue;
            }
            out.push(Suggestion {
                text: s.0,
                score,
                matched: pair.get(from).text.clone(),
                original: target.text.clone(),
                source: target.origin.clone(),
                seen,
                complete: s.1.is_empty() && s.2.is_empty(),
                missing: s.1,
                unused: s.2,
            });
        }
        out
    }

    /// The target text with its placeables replaced by the query's, written
    /// in `to`: (text, slots left, query placeables unused).
    fn rewrite(&self, query_text: &str, q: &Analysed, target: &str, to: Lang) -> (String, Vec<String>, Vec<String>) {
        let t = analyse(target, to, &self.glossary);
        let mut given: Vec<Option<usize>> = vec![None; t.placeables.len()];
        let mut used = vec![false; q.placeables.len()];
        // Same kind first, in order; then a kind of the same family.
        for same_kind in [true, false] {
            for (k, tp) in t.placeables.iter().enumerate() {
                if given[k].is_some() {
                    continue;
                }
                let found = q.placeables.iter().enumerate().position(|(j, qp)| !used[j] && if same_kind { qp.kind == tp.kind } else { qp.kind.same_family(tp.kind) });
                if let Some(j) = found {
                    used[j] = true;
                    given[k] = Some(j);
                }
            }
        }
        let writer = Writer { style: &self.style, glossary: &self.glossary };
        let mut out = String::with_capacity(target.len() + 16);
        let mut missing = Vec::new();
        let mut at = 0;
        for (k, tp) in t.placeables.iter().enumerate() {
            out.push_str(&target[at..tp.start]);
            match given[k] {
                Some(j) => {
                    let written = writer.write(&q.placeables[j], to, Some(tp));
                    // `About 320` where the segment began with a capital.
                    let capital = target[tp.start..].starts_with(|c: char| c.is_ascii_uppercase());
                    match written.chars().next() {
                        Some(first) if capital && first.is_ascii_lowercase() => {
                            out.push(first.to_ascii_uppercase());
                            out.push_str(&written[1..]);
                        }
                        _ => out.push_str(&written),
                    }
                }
                None => {
                    let label = tp.kind.label().to_string();
                    out.push_str(&label);
                    missing.push(label);
                }
            }
            at = tp.end;
        }
        out.push_str(&target[at..]);
        let unused = q.placeables.iter().zip(&used).filter(|(_, u)| !**u).map(|(p, _)| query_text[p.start..p.end].to_string()).collect();
        (out, missing, unused)
    }

    pub fn stats(&self) -> Stats {
        Stats {
            pairs: self.pairs.len(),
            unique_ja: self.ja.units.len(),
            unique_en: self.en.units.len(),
            features_ja: self.ja.postings.len(),
            features_en: self.en.postings.len(),
            postings: self.ja.postings_len + self.en.postings_len,
        }
    }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    }
}

/// The aligned pairs of one update's two bodies.
pub fn update_pairs(source: &Source, ja: &str, en: &str) -> Vec<SegmentPair> {
    segment::align(ja, en)
        .into_iter()
        .map(|a| {
            let origin = |(section, kind): (u32, Option<SectionKind>)| Origin { incident: source.incident.clone(), update: source.update, section, kind, part: a.part };
            SegmentPair {
                ja: Segment { lang: Lang::Ja, text: a.ja, origin: origin(a.ja_section) },
                en: Segment { lang: Lang::En, text: a.en, origin: origin(a.en_section) },
            }
        })
        .collect()
}

/// The Markdown an update's text stands for: its `body` when written as
/// one, else its structured sections under the default headings (`■ 原因`).
pub fn body_of(update: &Update, lang: Lang) -> String {
    let text: &UpdateText = update.text(lang);
    if let Some(body) = &text.body {
        return body.clone();
    }
    let past = update.status.is_closed();
    let mut out = String::new();
    for kind in SectionKind::ALL {
        let s = text.section(kind).trim();
        if s.is_empty() {
            continue;
        }
        if kind != SectionKind::Note || !out.is_empty() {
            out.push_str(&format!("■ {}\n", kind.heading(lang, past)));
        }
        out.push_str(s);
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Memory {
        let mut m = Memory::new(vec![Term::new("Nimbus Mail", "Nimbus Mail"), Term::new("Relay Hub", "Relay Hub"), Term::new("管理画面", "admin console")]);
        m.add_update(
            &Source::new("a", 0),
            "■ 発生期間\n2025/06/13 02:51頃〜05:30頃\n\n■ 発生した現象\n- Nimbus Mailで約300件のメールの配信が30分程度遅延しました。\n- 管理画面にログインできませんでした。",
            "■ Period\nJun 13, 2025 02:51–05:30 JST (approx.)\n\n■ What happened\n- In Nimbus Mail, delivery of about 300 emails was delayed by about 30 minutes.\n- Users could not sign in to the admin console.",
        );
        m
    }

    #[test]
    fn suggestions_carry_the_texts_placeables() {
        let m = memory();
        let s = m.suggest("Relay Hubで約1,200件のメールの配信が45分程度遅延しました。", Lang::Ja, 3);
        assert_eq!(s[0].text, "In Relay Hub, delivery of about 1,200 emails was delayed by about 45 minutes.");
        assert!(s[0].complete && s[0].score > 0.6, "{s:?}");
        let s = m.suggest("2024/12/31 22:50頃〜2025/01/01 01:40頃", Lang::Ja, 1);
        assert_eq!(s[0].text, "Dec 31, 2024 22:50 – Jan 1, 2025 01:40 JST (approx.)");
        let s = m.suggest("Jan 5, 2025 10:00–11:30 JST", Lang::En, 1);
        assert_eq!(s[0].text, "2025/01/05 10:00〜11:30");
        let s = m.suggest("In Relay Hub, delivery of 20 emails was delayed.", Lang::En, 1);
        assert!(!s[0].complete, "{s:?}");
        assert_eq!(s[0].missing, ["{num:minutes}"]);
    }

    #[test]
    fn normalised_text_has_typed_slots() {
        let m = memory();
        assert_eq!(m.normalise("Nimbus Mailで　約３００件が３０分遅延", Lang::Ja), "{term:0}で{num:count}が{num:minutes}遅延");
        assert_eq!(m.normalise("About 300 emails were delayed at 02:51 JST", Lang::En), "{num:count} emails were delayed at {time}");
        assert_eq!(m.stats().pairs, 5);
    }

    #[test]
    fn pairs_survive_serde_and_rebuild_the_same_memory() {
        let m = memory();
        let json = serde_json::to_string(m.pairs()).unwrap();
        let pairs: Vec<SegmentPair> = serde_json::from_str(&json).unwrap();
        let back = Memory::from_pairs(m.glossary().clone(), PeriodStyle::default(), pairs);
        assert_eq!(back.stats(), m.stats());
        assert_eq!(back.suggest("管理画面にログインできませんでした。", Lang::Ja, 1)[0].text, "Users could not sign in to the admin console.");
    }

    #[test]
    fn pairs_kept_added_on_every_core_are_the_same_memory() {
        let m = memory();
        let mut back = Memory::new(m.glossary().clone());
        assert_eq!(back.add_pairs_kept(m.pairs().to_vec()), 5);
        assert_eq!(back.stats(), m.stats());
        assert_eq!(back.pairs(), m.pairs());
        assert_eq!(back.add_pairs_kept(Vec::new()), 0);
    }
}
