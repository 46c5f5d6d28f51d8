//! The translation memory (issue 17): the team's published updates, the
//! template library's fixed phrases and imported bilingual history, as
//! aligned Japanese–English segments (desk-memory), kept in the store's
//! `memory_pairs` and held here, indexed, once per [`Desk`].
//!
//! The memory held is read from the table lazily and brought up to date
//! before each use by one cheap query (the highest id; when it moved, the
//! row count too): rows another process or machine added since are read
//! and indexed alone; a count that does not add up (someone rebuilt the
//! table) reads it again whole. A publish adds its update's pairs to the table ([`remember_update`],
//! called by the one publish path); `desk tm build` ([`build`]) rebuilds the
//! pairs of every published update and template phrase; [`import`] adds a
//! bilingual history from Statuspage exports.
//!
//! For the composer: [`suggest_translation`] finds the sentence or list item
//! under the cursor, the memory's best segments of the other language for it
//! (rewritten with its dates, times, numbers and names), and where in the
//! other language's body a suggestion goes. An inserted suggestion is
//! recorded ([`record_memory_insert`]) and marked while it stands unedited
//! ([`memory_marks`]); the approver's review item lists them.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use desk_memory::{body_of, segment::sentences, update_pairs, Memory, Part, SegmentPair, Source, Suggestion, Term};
use desk_model::{Bilingual, Kind, Lang, PeriodStyle, SectionKind, Update};
use desk_store::{MemoryOrigin, MemoryPairRow, MemoryTableState, NewMemoryInsert, NewMemoryPair, PublishedText, Store};
use desk_templates::TemplateSet;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incidents::IncidentSummary;
use crate::library::{ActiveTemplates, LibraryCache};
use crate::{AppError, Desk, Result};

/// A range of a text: 1-based lines and character columns (Unicode scalar
/// values), the end exclusive; the diagnostics' convention. Start = end is
/// an insert point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TextSpan {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// Where a remembered segment came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MemorySource {
    /// The incident's id in this database; 0 for a template phrase or
    /// imported history.
    pub incident: u32,
    /// The update's position in its incident (1 = the oldest); 0 where there
    /// is no stored update.
    pub update: u32,
    /// The language of the segment suggested.
    pub lang: Lang,
    /// The incident's title in that language, or the template's or the
    /// import's name.
    pub title: String,
}

/// One segment of the other language proposed for the text under the cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemorySuggestion {
    /// In the other language, with the typed text's dates, times, numbers
    /// and names written in that language's style.
    pub text: String,
    /// Similarity of the typed text to `original`, 0 to 1.
    pub score: f32,
    /// The remembered segment in the typed text's language.
    pub original: String,
    pub source: MemorySource,
    /// True when every placeable of the typed text was carried over.
    pub complete: bool,
    /// What the remembered segment states that the typed text does not (a
    /// time, a number of minutes…), in words, in order; `text` holds a
    /// `{slot}` there, which `placeholder.unfilled` reports until filled.
    pub missing: Vec<Bilingual<String>>,
}

/// What the composer's memory panel shows for the cursor's place.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct TranslationHelp {
    /// The sentence or list item under the cursor; none on a blank line.
    pub segment: Option<TextSpan>,
    /// Its text.
    pub text: String,
    /// Best first, at most five.
    pub suggestions: Vec<MemorySuggestion>,
    /// Where a suggestion goes in the other language's body: its counterpart
    /// (same section, same item, same sentence where the counts agree), which
    /// an insert replaces; an empty span where there is none yet (insert
    /// there). None when the other body has no counterpart section.
    pub target: Option<TextSpan>,
    /// Written before / after the suggestion at `target` (a new line and a
    /// list marker for a missing item, a space after a sentence).
    pub target_prefix: String,
    pub target_suffix: String,
}

/// An inserted suggestion that still stands as it was inserted.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MemoryMark {
    pub lang: Lang,
    pub span: TextSpan,
    pub source: MemorySource,
}

/// A past incident that said much of what a body says.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SimilarIncident {
    /// As the incident list shows it.
    pub incident: IncidentSummary,
    /// 0 to 1: how much of the body the incident's remembered sentences cover.
    pub score: f32,
    /// The best matching remembered sentence (in the body's language).
    pub shared: String,
}

/// What the memory holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Type)]
pub struct MemoryStats {
    /// Aligned pairs in the memory held (once up to date, the sum of the
    /// three counts below).
    pub pairs: u32,
    /// Aligned pairs kept in the store, per origin.
    pub from_updates: u32,
    pub from_templates: u32,
    pub from_imports: u32,
    /// Distinct normalised segments per language.
    pub unique_ja: u32,
    pub unique_en: u32,
    /// Distinct n-grams per language and entries of the inverted lists.
    pub features_ja: u32,
    pub features_en: u32,
    pub postings: u32,
}

/// What a rebuild kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Type)]
pub struct BuildReport {
    /// Published updates read, and the pairs cut from them.
    pub updates: u32,
    pub update_pairs: u32,
    /// Fixed phrases of the template library.
    pub template_pairs: u32,
}

/// What an import of bilingual history did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Type)]
pub struct ImportReport {
    /// Incidents found in both languages, and their updates paired.
    pub incidents: u32,
    pub updates: u32,
    /// Pairs added (those kept already are not counted).
    pub pairs: u32,
    /// Incidents found in one language only.
    pub unpaired: u32,
}

/// The most suggestions the panel gets.
const SUGGESTIONS: usize = 5;

/// Suggestions scoring less are left out: below it a "suggestion" shares
/// little more than a particle or a heading word with the text.
pub const MIN_SCORE: f32 = 0.35;

// ---------------------------------------------------------------------------
// The memory held by the Desk

/// The memory as last read from the store, indexed.
#[derive(Default)]
pub struct MemoryCache {
    held: RwLock<Option<Held>>,
    /// One refresh at a time: two would index the same new rows twice.
    refreshing: tokio::sync::Mutex<()>,
    /// Incidents' titles as the list shows them, until the table changes.
    titles: std::sync::Mutex<HashMap<u32, Bilingual<String>>>,
}

struct Held {
    memory: Memory,
    table: MemoryTableState,
    terms: Vec<Term>,
    style: PeriodStyle,
    /// What each origin key (`Origin::incident`) stands for.
    sources: HashMap<String, Known>,
}

#[derive(Debug, Clone)]
struct Known {
    incident: u32,
    origin: MemoryOrigin,
    title: Bilingual<String>,
}

/// What the memory's use cases need of a [`Desk`]: its store, the memory
/// it holds and its template library. `desk` builds one over a store it
/// opened (`desk tm`) without starting a whole Desk.
#[derive(Clone, Copy)]
pub struct MemoryDesk<'a> {
    pub store: &'a Store,
    pub memory: &'a MemoryCache,
    pub library: &'a LibraryCache,
}

impl<'a> From<&'a Desk> for MemoryDesk<'a> {
    fn from(desk: &'a Desk) -> MemoryDesk<'a> {
        MemoryDesk { store: &desk.store, memory: &desk.memory, library: &desk.library }
    }
}

impl MemoryDesk<'_> {
    async fn templates(&self) -> Result<std::sync::Arc<ActiveTemplates>> {
        Ok(self.library.current(self.store).await?)
    }
}

impl MemoryCache {
    /// Brings the memory held up to date with the store (see the module's doc).
    async fn refresh(&self, desk: MemoryDesk<'_>) -> Result<()> {
        let _one = self.refreshing.lock().await;
        let terms = glossary(desk.store).await?;
        let style = desk.templates().await?.set.settings.dates.clone();
        let same_settings = |h: &Held| h.terms == terms && h.style == style;
        // The highest id first (an index lookup); counting only when it moved.
        let max_id = desk.store.memory_max_id().await?;
        if self.read().as_ref().is_some_and(|h| same_settings(h) && h.table.max_id == max_id) {
            return Ok(());
        }
        let mut state = desk.store.memory_table_state().await?;
        // (held, same glossary and date style, the state it was read at)
        let seen: Option<(bool, MemoryTableState)> = self.read().as_ref().map(|h| (same_settings(h), h.table));
        if seen.is_some_and(|(same, table)| same && table == state) {
            return Ok(());
        }
        // A publish (new pairs) may have changed a title.
        self.titles.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let base = match seen {
            Some((true, table)) => Some(table),
            Some((false, _)) => None,
            None => {
                // Never built (a build always keeps template phrases; a publish
                // or an import alone does not): start from what is published
                // and the templates. Pairs kept already are skipped.
                let counts = desk.store.memory_origin_counts().await?;
                if !counts.iter().any(|c| c.0 == MemoryOrigin::Template && c.1 > 0) {
                    let (pairs, _) = all_pairs(desk).await?;
                    desk.store.add_memory_pairs(&pairs).await?;
                    state = desk.store.memory_table_state().await?;
                }
                None
            }
        };
        if let Some(base) = base {
            let rows: Vec<MemoryPairRow> = desk.store.memory_pairs_after(base.max_id).await?.into_iter().filter(|r| r.id <= state.max_id).collect();
            if base.count + rows.len() as i64 == state.count {
                let mut held = self.held.write().unwrap_or_else(|e| e.into_inner());
                if let Some(h) = held.as_mut().filter(|h| h.table == base) {
                    let pairs = h.learn(rows)?;
                    h.memory.add_pairs_kept(pairs);
                    h.table = state;
                    return Ok(());
                }
            }
        }
        let rows: Vec<MemoryPairRow> = desk.store.memory_pairs_after(0).await?.into_iter().filter(|r| r.id <= state.max_id).collect();
        let table = MemoryTableState { count: rows.len() as i64, max_id: rows.last().map_or(0, |r| r.id) };
        let mut h = Held { memory: Memory::with_style(terms.clone(), style.clone()), table, terms, style, sources: HashMap::new() };
        let pairs = h.learn(rows)?;
        h.memory.add_pairs_kept(pairs);
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = Some(h);
        Ok(())
    }

    /// Names each suggestion's incident by its title as the list shows it
    /// (the title of its newest update), in the suggestion's language.
    async fn titled(&self, desk: MemoryDesk<'_>, mut list: Vec<MemorySuggestion>) -> Result<Vec<MemorySuggestion>> {
        for s in &mut list {
            if s.source.incident == 0 || s.source.update == 0 {
                continue;
            }
            let id = s.source.incident;
            let kept = self.titles.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned();
            let title = match kept {
                Some(t) => t,
                None => {
                    let Ok(stored) = desk.store.load_incident(id as i64).await else { continue };
                    let templates = desk.templates().await?;
                    let t = crate::incidents::summarise(&templates.set, id, &stored.to_incident()).title;
                    self.titles.lock().unwrap_or_else(|e| e.into_inner()).insert(id, t.clone());
                    t
                }
            };
            let lang = s.source.lang;
            s.source.title = if title.get(lang).trim().is_empty() { title.get(other(lang)).clone() } else { title.get(lang).clone() };
        }
        Ok(list)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Held>> {
        self.held.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the memory, brought up to date first.
    async fn with<T>(&self, desk: MemoryDesk<'_>, f: impl FnOnce(&Held) -> T) -> Result<T> {
        self.refresh(desk).await?;
        let held = self.read();
        let h = held.as_ref().ok_or_else(|| AppError::unavailable("翻訳メモリを読み込めませんでした。", "the translation memory could not be loaded"))?;
        Ok(f(h))
    }
}

impl Held {
    /// The pairs of rows, noting what their origins stand for.
    fn learn(&mut self, rows: Vec<MemoryPairRow>) -> Result<Vec<SegmentPair>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let pair: SegmentPair = serde_json::from_str(&row.pair.pair)?;
            let title = match row.pair.origin {
                MemoryOrigin::Update => row.incident_title.clone(),
                _ => Bilingual { ja: row.pair.title.clone(), en: row.pair.title.clone() },
            };
            let known = Known { incident: row.pair.incident_id.unwrap_or(0) as u32, origin: row.pair.origin, title };
            self.sources.insert(pair.ja.origin.incident.clone(), known.clone());
            self.sources.insert(pair.en.origin.incident.clone(), known);
            out.push(pair);
        }
        Ok(out)
    }

    fn source(&self, s: &Suggestion, lang: Lang) -> MemorySource {
        let known = self.sources.get(&s.source.incident);
        let title = known.map(|k| {
            let t = k.title.get(lang);
            if t.trim().is_empty() { k.title.get(other(lang)).clone() } else { t.clone() }
        });
        MemorySource {
            incident: known.map_or(0, |k| k.incident),
            update: if known.is_some_and(|k| k.origin == MemoryOrigin::Update) { s.source.update } else { 0 },
            lang,
            title: title.unwrap_or_default(),
        }
    }

    fn suggestions(&self, text: &str, from: Lang, limit: usize) -> Vec<MemorySuggestion> {
        let to = other(from);
        self.memory
            .suggest(text, from, limit)
            .into_iter()
            .filter(|s| s.score >= MIN_SCORE)
            .map(|s| MemorySuggestion {
                source: self.source(&s, to),
                text: s.text,
                score: s.score,
                original: s.matched,
                complete: s.complete,
                missing: s.missing.iter().map(|label| slot_words(label)).collect(),
            })
            .collect()
    }
}

/// A slot's kind (`{num:minutes}`) in words, for the person told it was not filled.
fn slot_words(label: &str) -> Bilingual<String> {
    let (ja, en) = match label {
        "{date}" => ("日付", "a date"),
        "{datetime}" => ("日時", "a date and time"),
        "{time}" => ("時刻", "a time"),
        "{period}" => ("期間", "a period"),
        "{time_range}" => ("時間帯", "a time range"),
        "{num:count}" => ("件数・数量", "a count"),
        "{num:minutes}" => ("分数", "a number of minutes"),
        "{num:hours}" => ("時間数", "a number of hours"),
        "{num:seconds}" => ("秒数", "a number of seconds"),
        "{num:ms}" => ("ミリ秒数", "a number of milliseconds"),
        "{num:days}" => ("日数", "a number of days"),
        "{num:percent}" => ("割合（%）", "a percentage"),
        "{num:bytes}" => ("データ量", "a data size"),
        "{url}" => ("URL", "a URL"),
        "{term}" => ("製品・機能名", "a product or feature name"),
        other => (other, other),
    };
    Bilingual { ja: format!("{ja}（{label}）"), en: format!("{en} ({label})") }
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    }
}

/// The glossary as the memory's placeables: each name's two spellings.
async fn glossary(store: &Store) -> Result<Vec<Term>> {
    Ok(store.glossary().await?.into_iter().map(|t| Term::new(t.ja, t.en)).collect())
}

// ---------------------------------------------------------------------------
// Filling the table

/// The pairs of one published update, keyed by the update.
fn update_rows(t: &PublishedText) -> Vec<NewMemoryPair> {
    let (ja, en) = (body_of(&t.update, Lang::Ja), body_of(&t.update, Lang::En));
    if ja.trim().is_empty() || en.trim().is_empty() {
        return Vec::new();
    }
    let source = Source::new(t.incident_id.to_string(), t.position as u32);
    rows_of(update_pairs(&source, &ja, &en), MemoryOrigin::Update, &format!("update:{}", t.update_id), Some((t.incident_id, t.update_id)), &t.title_ja)
}

fn rows_of(pairs: Vec<SegmentPair>, origin: MemoryOrigin, key: &str, ids: Option<(i64, i64)>, title: &str) -> Vec<NewMemoryPair> {
    pairs
        .into_iter()
        .enumerate()
        .map(|(k, p)| NewMemoryPair {
            origin,
            source_key: key.to_string(),
            ordinal: k as i64,
            incident_id: ids.map(|i| i.0),
            update_id: ids.map(|i| i.1),
            title: title.to_string(),
            text_ja: p.ja.text.clone(),
            text_en: p.en.text.clone(),
            pair: serde_json::to_string(&p).unwrap_or_default(),
        })
        .collect()
}

/// A template's fixed text: the body after its `title:` header, without the
/// lines that hold a placeholder or a section tag (`{{period}}`,
/// `{{#scope}}`): what every update from it says word for word.
pub fn fixed_text(source: &str) -> String {
    let body = match source.split_once("\n---\n") {
        Some((head, body)) if head.trim_start().starts_with("title:") => body,
        _ => source,
    };
    body.lines().filter(|l| !l.contains("{{")).collect::<Vec<_>>().join("\n")
}

/// The template library's fixed phrases, aligned per status.
pub fn template_rows(set: &TemplateSet, revision: i64) -> Vec<NewMemoryPair> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for &status in kind.statuses() {
            let name = desk_templates::template_path(status, Lang::Ja).trim_end_matches(".ja.md").to_string();
            let (ja, en) = (fixed_text(&set.get(status, Lang::Ja).source), fixed_text(&set.get(status, Lang::En).source));
            let pairs = update_pairs(&Source::new(format!("template:{name}"), 0), &ja, &en);
            let label = format!("template {name}");
            out.extend(rows_of(pairs, MemoryOrigin::Template, &format!("template:{name}@{revision}"), None, &label));
        }
    }
    out
}

/// Every published update's pairs and the templates' (for a build); and how
/// many updates were read.
async fn all_pairs(desk: MemoryDesk<'_>) -> Result<(Vec<NewMemoryPair>, usize)> {
    let published = desk.store.published_texts(None).await?;
    let mut pairs: Vec<NewMemoryPair> = published.iter().flat_map(update_rows).collect();
    let templates = desk.templates().await?;
    pairs.extend(template_rows(&templates.set, templates.revision));
    Ok((pairs, published.len()))
}

/// Adds a published update's pairs to the memory's table (a no-op when they
/// are there already). The publish path calls it once an update is out.
pub async fn remember_update(store: &Store, update_id: i64) -> Result<usize> {
    let rows: Vec<NewMemoryPair> = store.published_texts(Some(update_id)).await?.iter().flat_map(update_rows).collect();
    Ok(store.add_memory_pairs(&rows).await?)
}

/// Rebuilds the pairs of every published update and of the template
/// library (imported history stays), in one transaction.
pub async fn build(desk: impl Into<MemoryDesk<'_>>) -> Result<BuildReport> {
    let desk = desk.into();
    let (pairs, updates) = all_pairs(desk).await?;
    let template_pairs = pairs.iter().filter(|p| p.origin == MemoryOrigin::Template).count();
    desk.store.replace_memory_pairs(&[MemoryOrigin::Update, MemoryOrigin::Template], &pairs).await?;
    desk.memory.refresh(desk).await?;
    Ok(BuildReport { updates: updates as u32, update_pairs: (pairs.len() - template_pairs) as u32, template_pairs: template_pairs as u32 })
}

/// Counts of the memory as it is now.
pub async fn stats(desk: impl Into<MemoryDesk<'_>>) -> Result<MemoryStats> {
    let desk = desk.into();
    let s = desk.memory.with(desk, |h| h.memory.stats()).await?;
    let counts = desk.store.memory_origin_counts().await?;
    let count = |o: MemoryOrigin| counts.iter().find(|c| c.0 == o).map_or(0, |c| c.1 as u32);
    Ok(MemoryStats {
        pairs: s.pairs as u32,
        from_updates: count(MemoryOrigin::Update),
        from_templates: count(MemoryOrigin::Template),
        from_imports: count(MemoryOrigin::Import),
        unique_ja: s.unique_ja as u32,
        unique_en: s.unique_en as u32,
        features_ja: s.features_ja as u32,
        features_en: s.features_en as u32,
        postings: s.postings as u32,
    })
}

// ---------------------------------------------------------------------------
// Importing bilingual history

/// One update's two bodies, from an export or two.
fn split_bilingual(body: &str) -> Option<(String, String)> {
    let is_ja = desk_store::text::is_japanese;
    let parts: Vec<&str> = body.split("\n---\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [a, b] if is_ja(a) && !is_ja(b) => Some((a.to_string(), b.to_string())),
        [a, b] if is_ja(b) && !is_ja(a) => Some((b.to_string(), a.to_string())),
        _ => None,
    }
}

fn body(update: &Update, lang: Lang) -> String {
    update.text(lang).body.clone().unwrap_or_default()
}

/// Adds a bilingual history to the memory: Statuspage JSON exports, one
/// per language (incidents paired by their id, updates by order), or one
/// export whose bodies hold both languages (split at the `---` rule).
pub async fn import(desk: impl Into<MemoryDesk<'_>>, files: &[&Path]) -> Result<ImportReport> {
    let desk = desk.into();
    let (first, second) = match files {
        [a] => (*a, None),
        [a, b] => (*a, Some(*b)),
        _ => return Err(AppError::invalid("files", "取り込むのはエクスポート 1 つ（両言語入り）か 2 つ（言語ごと）です。", "give one export holding both languages, or two (one per language)")),
    };
    let label = first.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "import".into());
    let a = desk_store::import::read(first)?;
    let mut report = ImportReport::default();
    let mut rows = Vec::new();
    let mut add = |ext: &str, title: &str, k: usize, ja: String, en: String, report: &mut ImportReport| {
        let key = format!("import:{label}:{ext}:{k}");
        let pairs = update_pairs(&Source::new(format!("import:{label}:{ext}"), 0), &ja, &en);
        let name = if title.is_empty() { label.clone() } else { format!("{label}: {title}") };
        rows.extend(rows_of(pairs, MemoryOrigin::Import, &key, None, &name));
        report.updates += 1;
    };
    match second {
        None => {
            for inc in &a {
                let ext = inc.external_id.clone().unwrap_or_default();
                let title = split_title(&inc.incident.title);
                let mut any = false;
                for (k, u) in inc.incident.updates.iter().enumerate() {
                    let whole = if body(u, Lang::Ja).is_empty() { body(u, Lang::En) } else { body(u, Lang::Ja) };
                    if let Some((ja, en)) = split_bilingual(&whole) {
                        add(&ext, &title, k, ja, en, &mut report);
                        any = true;
                    }
                }
                if any { report.incidents += 1 } else { report.unpaired += 1 }
            }
        }
        Some(second) => {
            let b = desk_store::import::read(second)?;
            let by_id: HashMap<&str, &desk_store::NewIncident> = b.iter().filter_map(|i| i.external_id.as_deref().map(|e| (e, i))).collect();
            let mut used = 0;
            for inc in &a {
                let Some(other_inc) = inc.external_id.as_deref().and_then(|e| by_id.get(e)) else {
                    report.unpaired += 1;
                    continue;
                };
                used += 1;
                let ext = inc.external_id.clone().unwrap_or_default();
                let (x, y) = (&inc.incident.updates, &other_inc.incident.updates);
                let title = if inc.incident.title.ja.is_empty() { other_inc.incident.title.ja.clone() } else { inc.incident.title.ja.clone() };
                let title = if title.is_empty() { inc.incident.title.en.clone() } else { title };
                let pairs: Vec<(usize, &Update, &Update)> = if x.len() == y.len() {
                    x.iter().zip(y).enumerate().map(|(k, (p, q))| (k, p, q)).collect()
                } else {
                    // Different counts: only updates published at the same moment pair up.
                    x.iter().enumerate().filter_map(|(k, p)| y.iter().find(|q| q.created_at.is_some() && q.created_at == p.created_at).map(|q| (k, p, q))).collect()
                };
                for (k, p, q) in pairs {
                    let ja = [body(p, Lang::Ja), body(q, Lang::Ja)].into_iter().find(|t| !t.is_empty()).unwrap_or_default();
                    let en = [body(p, Lang::En), body(q, Lang::En)].into_iter().find(|t| !t.is_empty()).unwrap_or_default();
                    if !ja.is_empty() && !en.is_empty() {
                        add(&ext, &title, k, ja, en, &mut report);
                    }
                }
                report.incidents += 1;
            }
            report.unpaired += (b.len() - used) as u32;
        }
    }
    report.pairs = desk.store.add_memory_pairs(&rows).await? as u32;
    desk.memory.refresh(desk).await?;
    Ok(report)
}

/// The Japanese part of a combined title (`JA / EN`), else the title.
fn split_title(title: &Bilingual<String>) -> String {
    let t = if title.ja.is_empty() { &title.en } else { &title.ja };
    t.split(" / ").next().unwrap_or(t).to_string()
}

// ---------------------------------------------------------------------------
// Where the cursor is, and where its counterpart is

/// Byte offsets of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The byte offset of a 1-based line and character column (clamped).
fn offset_of(text: &str, starts: &[usize], line: u32, column: u32) -> usize {
    let Some(&start) = starts.get((line.max(1) - 1) as usize) else { return text.len() };
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    text[start..end].char_indices().nth((column.max(1) - 1) as usize).map_or(end, |(i, _)| start + i)
}

/// The 1-based line and character column of a byte offset.
fn position_of(text: &str, starts: &[usize], offset: usize) -> (u32, u32) {
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let column = text[starts[line - 1]..offset].chars().count() + 1;
    (line as u32, column as u32)
}

fn span(text: &str, starts: &[usize], from: usize, to: usize) -> TextSpan {
    let (line, column) = position_of(text, starts, from);
    let (end_line, end_column) = position_of(text, starts, to);
    TextSpan { line, column, end_line, end_column }
}

/// A line of a section's body: where its text is (list marker left out).
#[derive(Debug, Clone, Copy)]
struct Item {
    line_start: usize,
    start: usize,
    end: usize,
    list: bool,
}

#[derive(Debug, Clone)]
struct Sec {
    kind: Option<SectionKind>,
    heading: Option<(usize, usize, usize)>, // whole heading start, name start, name end
    heading_line_end: usize,
    items: Vec<Item>,
}

/// Takes a list marker off the front: how many bytes, and whether it is a list item.
fn marker_len(t: &str) -> (usize, bool) {
    for m in ["- ", "* ", "+ ", "・", "• ", "•", "※ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return (m.len() + (rest.len() - rest.trim_start().len()), m != "※ ");
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        return (digits + 2, true);
    }
    (0, false)
}

/// The sections of a body and their items, as the memory aligns them.
fn outline(text: &str) -> Vec<Sec> {
    let outline = desk_lint::Outline::parse(text);
    let mut out = Vec::new();
    for s in &outline.sections {
        let mut items = Vec::new();
        let mut at = s.body_start;
        for raw in text[s.body_start..s.body_end].split_inclusive('\n') {
            let line = raw.trim_end_matches(['\n', '\r']);
            let lead = line.len() - line.trim_start().len();
            let mut t = line.trim();
            let mut start = at + lead;
            if let Some(rest) = t.strip_prefix('>') {
                start += t.len() - rest.trim_start().len();
                t = rest.trim_start();
            }
            let rule = t.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | '─' | '—'));
            if matches!(t, "-" | "*" | "+" | "・" | "•") {
                // A list marker with nothing after it yet: an empty item, filled
                // after the marker (and the space the line may already have).
                let mut end = start + t.len();
                if line[start - at + t.len()..].starts_with(' ') {
                    end += 1;
                }
                items.push(Item { line_start: at, start: end, end, list: true });
            } else if !t.is_empty() && !rule {
                let (m, list) = marker_len(t);
                if m < t.len() {
                    items.push(Item { line_start: at, start: start + m, end: start + t.len(), list });
                }
            }
            at += raw.len();
        }
        let heading = s.heading.as_ref().map(|h| (h.start, h.name_start, h.name_end));
        if heading.is_none() && items.is_empty() {
            continue;
        }
        let heading_line_end = heading.map_or(s.body_start, |h| text[h.0..].find('\n').map_or(text.len(), |e| h.0 + e));
        out.push(Sec { kind: s.kind(), heading, heading_line_end, items });
    }
    out
}

/// The byte ranges of an item's sentences.
fn sentence_ranges(text: &str, item: &Item, lang: Lang) -> Vec<(usize, usize)> {
    let content = &text[item.start..item.end];
    let mut out = Vec::new();
    let mut pos = 0;
    for s in sentences(content, lang) {
        if let Some(i) = content[pos..].find(s.as_str()) {
            let a = pos + i;
            out.push((item.start + a, item.start + a + s.len()));
            pos = a + s.len();
        }
    }
    if out.is_empty() {
        out.push((item.start, item.end));
    }
    out
}

/// Which section: by kind (the n-th of that kind), the untitled opening,
/// or by order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SecKey {
    Kind(SectionKind, usize),
    Opening,
    Order(usize),
}

fn key_of(secs: &[Sec], i: usize) -> SecKey {
    match (secs[i].kind, secs[i].heading) {
        (Some(k), _) => SecKey::Kind(k, secs[..i].iter().filter(|s| s.kind == Some(k)).count()),
        (None, None) if i == 0 => SecKey::Opening,
        _ => SecKey::Order(i),
    }
}

fn find_key(secs: &[Sec], key: SecKey) -> Option<usize> {
    match key {
        SecKey::Kind(k, n) => secs.iter().enumerate().filter(|(_, s)| s.kind == Some(k)).nth(n).map(|(i, _)| i),
        SecKey::Opening => secs.first().filter(|s| s.heading.is_none()).map(|_| 0),
        SecKey::Order(i) => (i < secs.len()).then_some(i),
    }
}

/// The segment under the cursor.
#[derive(Debug, Clone)]
struct Located {
    range: (usize, usize),
    key: SecKey,
    /// None: the heading.
    item: Option<usize>,
    list: bool,
    sentence: usize,
    sentences: usize,
}

fn locate(text: &str, lang: Lang, at: usize) -> Option<Located> {
    let secs = outline(text);
    for (i, s) in secs.iter().enumerate() {
        if let Some((start, name_start, name_end)) = s.heading {
            if at >= start && at <= s.heading_line_end {
                return Some(Located { range: (name_start, name_end), key: key_of(&secs, i), item: None, list: false, sentence: 0, sentences: 1 });
            }
        }
        for (k, item) in s.items.iter().enumerate() {
            let line_end = text[item.line_start..].find('\n').map_or(text.len(), |e| item.line_start + e);
            if at < item.line_start || at > line_end {
                continue;
            }
            let ranges = sentence_ranges(text, item, lang);
            let j = ranges.iter().rposition(|r| r.0 <= at).unwrap_or(0);
            return Some(Located { range: ranges[j], key: key_of(&secs, i), item: Some(k), list: item.list, sentence: j, sentences: ranges.len() });
        }
    }
    None
}

/// True when a counterpart only holds a placeholder for text to come.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let inner = |open: &str, close: &str| t.starts_with(open) && t.ends_with(close);
    t.is_empty()
        || inner("{{", "}}")
        || (inner("[", "]") && (t.to_uppercase().contains("INSERT") || t.to_uppercase().contains("TBD")))
        || (inner("<", ">") && !t.contains("</"))
        || t.eq_ignore_ascii_case("TBD")
        || t == "【要記入】"
        || t.chars().all(|c| matches!(c, '○' | '●' | '＿' | '_' | 'X' | 'x' | ':' | '：' | '-' | '…'))
}

/// Where a suggestion for `from` goes in `text` (the other language):
/// (start, end, prefix, suffix) in bytes.
fn counterpart(text: &str, lang: Lang, from: &Located) -> Option<(usize, usize, String, String)> {
    let secs = outline(text);
    let Some(i) = find_key(&secs, from.key) else {
        // The untitled opening: the other body's start.
        return (from.key == SecKey::Opening).then(|| (0, 0, String::new(), if text.trim().is_empty() { String::new() } else { "\n\n".into() }));
    };
    let s = &secs[i];
    let Some(k) = from.item else {
        return s.heading.map(|(_, a, b)| (a, b, String::new(), String::new()));
    };
    let marker = if from.list { "- " } else { "" };
    let Some(item) = s.items.get(k) else {
        // No such item yet: a new line after the section's last one.
        let end = s.items.last().map_or(s.heading_line_end, |it| it.end);
        let prefix = if end == 0 { marker.to_string() } else { format!("\n{marker}") };
        return Some((end, end, prefix, String::new()));
    };
    if is_placeholder(&text[item.start..item.end]) {
        // `-` with no space yet: write one.
        let space = if item.start == item.end && item.list && !text[..item.start].ends_with([' ', '・', '•']) { " " } else { "" };
        return Some((item.start, item.end, space.to_string(), String::new()));
    }
    let ranges = sentence_ranges(text, item, lang);
    if ranges.len() == from.sentences {
        let r = ranges[from.sentence];
        return Some((r.0, r.1, String::new(), String::new()));
    }
    if from.sentences == 1 {
        return Some((item.start, item.end, String::new(), String::new()));
    }
    // The sentence counts differ: after the item's text.
    let space = if lang == Lang::En { " " } else { "" };
    Some((item.end, item.end, space.to_string(), String::new()))
}

/// The suggestions for the sentence or list item under the cursor
/// (`line`, `column` in `body`'s `from` language), and where in the other
/// language's body one goes. `id` is the incident being written.
pub async fn suggest_translation(desk: impl Into<MemoryDesk<'_>>, id: u32, body: &Bilingual<String>, from: Lang, line: u32, column: u32) -> Result<TranslationHelp> {
    let desk = desk.into();
    let _ = id;
    let text = body.get(from);
    let starts = line_starts(text);
    let at = offset_of(text, &starts, line, column);
    let Some(found) = locate(text, from, at) else {
        return Ok(TranslationHelp { segment: None, text: String::new(), suggestions: Vec::new(), target: None, target_prefix: String::new(), target_suffix: String::new() });
    };
    let segment_text = text[found.range.0..found.range.1].to_string();
    let suggestions = if segment_text.trim().is_empty() { Vec::new() } else { desk.memory.with(desk, |h| h.suggestions(&segment_text, from, SUGGESTIONS)).await? };
    let suggestions = desk.memory.titled(desk, suggestions).await?;
    let to = other(from);
    let target_text = body.get(to);
    let target_starts = line_starts(target_text);
    let target = counterpart(target_text, to, &found);
    Ok(TranslationHelp {
        segment: Some(span(text, &starts, found.range.0, found.range.1)),
        text: segment_text,
        suggestions,
        target: target.as_ref().map(|t| span(target_text, &target_starts, t.0, t.1)),
        target_prefix: target.as_ref().map(|t| t.2.clone()).unwrap_or_default(),
        target_suffix: target.map(|t| t.3).unwrap_or_default(),
    })
}

/// The memory's suggestions for a text alone (`desk tm suggest`).
pub async fn suggest(desk: impl Into<MemoryDesk<'_>>, text: &str, from: Lang, limit: usize) -> Result<Vec<MemorySuggestion>> {
    let desk = desk.into();
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid("text", "訳す文がありません。", "there is no text to translate"));
    }
    let list = desk.memory.with(desk, |h| h.suggestions(text, from, limit.max(1))).await?;
    desk.memory.titled(desk, list).await
}

// ---------------------------------------------------------------------------
// Inserted suggestions

/// Records that the author inserted a suggestion into update `update_id`'s
/// `lang` text.
pub async fn record_memory_insert(desk: impl Into<MemoryDesk<'_>>, update_id: u32, lang: Lang, text: &str, source: &MemorySource) -> Result<()> {
    let desk = desk.into();
    desk.store
        .record_memory_insert(&NewMemoryInsert {
            update_id: update_id as i64,
            lang,
            text: text.to_string(),
            source_incident: source.incident as i64,
            source_update: source.update as i64,
            source_lang: source.lang,
            source_title: source.title.clone(),
        })
        .await?;
    Ok(())
}

/// The inserted suggestions that still stand word for word in `body`
/// (each occurrence claimed once); an edited one is no longer marked.
pub fn marks_in(inserts: &[desk_store::MemoryInsert], body: &Bilingual<String>) -> Vec<MemoryMark> {
    let mut out = Vec::new();
    let mut claimed: Vec<(Lang, usize)> = Vec::new();
    for ins in inserts {
        let i = &ins.insert;
        let text = body.get(i.lang);
        if i.text.trim().is_empty() {
            continue;
        }
        let found = text.match_indices(i.text.as_str()).map(|(at, _)| at).find(|at| !claimed.contains(&(i.lang, *at)));
        if let Some(at) = found {
            claimed.push((i.lang, at));
            let starts = line_starts(text);
            out.push(MemoryMark {
                lang: i.lang,
                span: span(text, &starts, at, at + i.text.len()),
                source: MemorySource { incident: i.source_incident as u32, update: i.source_update as u32, lang: i.source_lang, title: i.source_title.clone() },
            });
        }
    }
    out
}

/// The recorded inserts of update `update_id` still unedited in `body`.
pub async fn memory_marks(desk: impl Into<MemoryDesk<'_>>, update_id: u32, body: &Bilingual<String>) -> Result<Vec<MemoryMark>> {
    let desk = desk.into();
    let inserts = desk.store.memory_inserts(update_id as i64).await?;
    Ok(marks_in(&inserts, body))
}

// ---------------------------------------------------------------------------
// Similar past incidents

/// Past incidents whose remembered sentences cover most of `body` (its
/// Japanese, else its English), best first, without incident `id` itself.
pub async fn similar_incidents(desk: impl Into<MemoryDesk<'_>>, id: u32, body: &Bilingual<String>, limit: u32) -> Result<Vec<SimilarIncident>> {
    let desk = desk.into();
    let lang = if body.ja.trim().is_empty() { Lang::En } else { Lang::Ja };
    let text = body.get(lang);
    let mut segments: Vec<String> = Vec::new();
    for s in outline(text) {
        for item in &s.items {
            for r in sentence_ranges(text, item, lang) {
                let t = text[r.0..r.1].trim();
                if t.chars().count() >= 6 && !is_placeholder(t) {
                    segments.push(t.to_string());
                }
            }
        }
    }
    if segments.is_empty() {
        return Ok(Vec::new());
    }
    // Per incident: the best score per segment, summed; the best sentence.
    let found: Vec<(u32, f32, String)> = desk
        .memory
        .with(desk, |h| {
            let mut best: HashMap<u32, (Vec<f32>, f32, String)> = HashMap::new();
            for (n, seg) in segments.iter().enumerate() {
                for s in h.memory.suggest(seg, lang, 8) {
                    if matches!(s.source.part, Part::Heading | Part::Phrase) || s.score < 0.4 {
                        continue;
                    }
                    let Some(known) = h.sources.get(&s.source.incident).filter(|k| k.origin == MemoryOrigin::Update) else { continue };
                    if known.incident == id || known.incident == 0 {
                        continue;
                    }
                    let e = best.entry(known.incident).or_insert_with(|| (vec![0.0; segments.len()], 0.0, String::new()));
                    e.0[n] = e.0[n].max(s.score);
                    if s.score > e.1 {
                        e.1 = s.score;
                        e.2 = s.matched.clone();
                    }
                }
            }
            let total = segments.len() as f32;
            let mut out: Vec<(u32, f32, String)> = best.into_iter().map(|(i, (per, _, shared))| (i, per.iter().sum::<f32>() / total, shared)).collect();
            out.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
            out
        })
        .await?;
    let templates = desk.templates().await?;
    let mut out = Vec::new();
    for (incident, score, shared) in found.into_iter().take(limit.clamp(1, 20) as usize) {
        let Ok(stored) = desk.store.load_incident(incident as i64).await else { continue };
        out.push(SimilarIncident { incident: crate::incidents::summarise(&templates.set, incident, &stored.to_incident()), score, shared });
    }
    Ok(out)
}
