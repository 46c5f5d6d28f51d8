//! Search in Japanese and English, on both backends, with the same results.
//!
//! A query's words (split on white space) must each occur in the incident:
//! in a title or in one update's text (drafts included), ASCII letters in
//! either case, any other character exactly. Filters: status, kind, opened
//! between two instants. Newest first (`opened_at`, then id), paged.
//!
//! Each word gives candidates from an index, which are then checked with
//! LIKE on the real text, newest first, until the page is full:
//! - SQLite: the FTS5 trigram index `search_index` (migration 2). A word of
//!   three characters or more is found through its trigrams; a shorter one
//!   through the trigrams it starts (`search_vocab`), unless it starts too
//!   many of them (a very common character): then LIKE alone, which finds a
//!   common word in the newest incidents at once.
//! - PostgreSQL: GIN indexes over every character and pair of characters of
//!   the titles and of each update (`desk_grams`, migration 10), checked with
//!   LIKE, or ILIKE for a word with ASCII letters: a word of
//!   two characters or more is looked up by all its pairs, one of one
//!   character by itself; the index is asked first how many updates hold
//!   them, and a term that many hold is looked up by LIKE alone, newest
//!   first, like SQLite's very common words. (Why not pg_trgm: see the
//!   migration and the README.)

use chrono::{DateTime, Utc};
use desk_model::{Kind, Status};

use crate::incidents::{IncidentSummary, SUMMARY_COLUMNS};
use crate::{timestamp, Backend, Result, Store};

/// What a search asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Words, Japanese or English; every one must occur. Empty: every
    /// incident the filters let through.
    pub text: String,
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    /// Opened at or after this instant.
    pub opened_from: Option<DateTime<Utc>>,
    /// Opened before this instant.
    pub opened_before: Option<DateTime<Utc>>,
    /// At most this many; 0 means 50.
    pub limit: i64,
    pub offset: i64,
}

/// How a term is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMethod {
    /// Three characters or more: all its trigrams.
    Trigrams,
    /// One or two characters: any trigram it starts.
    TrigramPrefix,
}

/// PostgreSQL: a term whose pairs this many updates hold is looked up by
/// LIKE alone, newest incidents first (it fills a page at once); a rarer one
/// through the index.
const COMMON_UPDATES: i64 = 3_000;

/// A short word starting more trigrams than this is looked up by LIKE alone.
const MAX_PREFIX_TRIGRAMS: usize = 400;

/// The terms of a query: split on white space (ASCII or ideographic).
pub fn terms(query: &str) -> Vec<String> {
    query.split(char::is_whitespace).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// How a term is looked up.
pub fn method(term: &str) -> SearchMethod {
    if term.chars().count() >= 3 {
        SearchMethod::Trigrams
    } else {
        SearchMethod::TrigramPrefix
    }
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A term's trigrams: every text containing the term has them all.
fn trigrams(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    let mut out: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    out.dedup();
    out
}

/// What PostgreSQL's `desk_grams` index holds for a term, as an array
/// literal: its pairs of characters (the character itself when it is one),
/// ASCII letters in lower case.
fn pair_grams(term: &str) -> String {
    let chars: Vec<char> = term.to_ascii_lowercase().chars().collect();
    let mut grams: Vec<String> =
        if chars.len() == 1 { vec![chars[0].to_string()] } else { chars.windows(2).map(|w| w.iter().collect()).collect() };
    grams.sort();
    grams.dedup();
    let quoted: Vec<String> = grams.iter().map(|g| format!("\"{}\"", g.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    format!("{{{}}}", quoted.join(","))
}

/// A LIKE pattern for a term, with `\` as the escape character; ASCII
/// letters in lower case (both backends compare them so).
fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in term.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// How a term's pattern is compared with the text. SQLite's LIKE ignores
/// the case of ASCII letters and no other. PostgreSQL: LIKE for a term
/// without ASCII letters (case does not matter); ILIKE for one with them,
/// which in a C-locale database folds ASCII letters only, as SQLite does (a
/// database of another locale folds other cased letters too, such as É/é).
/// Folding the text with `desk_fold` instead would cost `translate` on every
/// character of every text checked (about 0.1 ms per update).
fn like_operator(term: &str, postgres: bool) -> &'static str {
    if postgres && term.chars().any(|c| c.is_ascii_alphabetic()) {
        "ILIKE"
    } else {
        "LIKE"
    }
}

/// The check on an incident's real text, for the pattern bound at `$n`.
/// (`OFFSET 0` keeps PostgreSQL from checking every update of every incident
/// up front, a "hashed subplan", instead of the incidents it walks.)
fn like_check(n: usize, op: &str, postgres: bool) -> String {
    let walk = if postgres { " OFFSET 0" } else { "" };
    format!(
        "(i.title_ja {op} ${n} ESCAPE '\\' OR i.title_en {op} ${n} ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM updates u WHERE u.incident_id = i.id
                     AND (u.text_ja {op} ${n} ESCAPE '\\' OR u.text_en {op} ${n} ESCAPE '\\'){walk}))"
    )
}

impl Store {
    /// Incidents whose titles or updates contain every term of the query,
    /// newest first, at most `limit` (0 means 50). An empty query finds nothing.
    pub async fn search(&self, query: &str, limit: i64) -> Result<Vec<IncidentSummary>> {
        if terms(query).is_empty() {
            return Ok(Vec::new());
        }
        self.search_incidents(&SearchQuery { text: query.to_string(), limit, ..SearchQuery::default() }).await
    }

    /// A page of the incidents a [`SearchQuery`] finds, newest first.
    pub async fn search_incidents(&self, query: &SearchQuery) -> Result<Vec<IncidentSummary>> {
        let limit = if query.limit <= 0 { 50 } else { query.limit };
        let postgres = matches!(self.backend, Backend::Postgres(_));
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM incidents i WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let bind = |value: String, binds: &mut Vec<String>| {
            binds.push(value);
            binds.len()
        };
        if let Some(status) = query.status {
            sql.push_str(&format!(" AND i.status = ${}", bind(status.as_str().to_string(), &mut binds)));
        }
        if let Some(kind) = query.kind {
            sql.push_str(&format!(" AND i.kind = ${}", bind(kind.as_str().to_string(), &mut binds)));
        }
        if let Some(from) = query.opened_from {
            sql.push_str(&format!(" AND i.opened_at >= ${}", bind(timestamp(from), &mut binds)));
        }
        if let Some(before) = query.opened_before {
            sql.push_str(&format!(" AND i.opened_at < ${}", bind(timestamp(before), &mut binds)));
        }
        for term in terms(&query.text) {
            if postgres {
                let grams = pair_grams(&term);
                if self.postgres_common(&grams).await? {
                    // Held by many updates: checking the newest incidents one by one finds a page at once.
                    sql.push_str(&format!(" AND {}", like_check(bind(like_pattern(&term), &mut binds), like_operator(&term, true), true)));
                } else {
                    // Few candidates: the index's, checked on their text.
                    let g = bind(grams, &mut binds);
                    let p = bind(like_pattern(&term), &mut binds);
                    let op = like_operator(&term, true);
                    sql.push_str(&format!(
                        " AND i.id IN (SELECT s.id FROM incidents s WHERE desk_grams(s.title_ja || ' ' || s.title_en) @> ${g}::text[]
                                         AND (s.title_ja {op} ${p} ESCAPE '\\' OR s.title_en {op} ${p} ESCAPE '\\')
                                       UNION SELECT s.incident_id FROM updates s WHERE desk_grams(s.text_ja || ' ' || s.text_en) @> ${g}::text[]
                                         AND (s.text_ja {op} ${p} ESCAPE '\\' OR s.text_en {op} ${p} ESCAPE '\\'))"
                    ));
                }
                continue;
            }
            let filter = {
                match self.sqlite_trigram_match(&term).await? {
                    // Every character of every text starts a trigram: none, no match.
                    None => return Ok(Vec::new()),
                    Some(None) => None,
                    Some(Some(expression)) => {
                        let n = bind(expression, &mut binds);
                        Some(format!("i.id IN (SELECT rowid / 65536 FROM search_index WHERE search_index MATCH ${n})"))
                    }
                }
            };
            let check = like_check(bind(like_pattern(&term), &mut binds), like_operator(&term, false), false);
            match filter {
                // CASE consults the index first, the (slower) check of the text only for candidates.
                Some(f) => sql.push_str(&format!(" AND CASE WHEN {f} THEN {check} ELSE 0 END")),
                None => sql.push_str(&format!(" AND {check}")),
            }
        }
        sql.push_str(&format!(" ORDER BY i.opened_at DESC, i.id DESC LIMIT ${} OFFSET ${}", binds.len() + 1, binds.len() + 2));
        on_backend!(self, pool, [crate::sql as sql_dialect] => {
            let mut q = sqlx::query(&sql);
            for b in &binds {
                q = q.bind(b);
            }
            let rows = q.bind(limit).bind(query.offset.max(0)).fetch_all(pool).await?;
            rows.iter().map(sql_dialect::summary_from_row).collect()
        })
    }

    /// PostgreSQL: true when at least [`COMMON_UPDATES`] updates hold a
    /// term's pairs of characters (counted in the index, no further).
    async fn postgres_common(&self, grams: &str) -> Result<bool> {
        let Backend::Postgres(pool) = &self.backend else { return Ok(false) };
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM updates s WHERE desk_grams(s.text_ja || ' ' || s.text_en) @> $1::text[] LIMIT $2) c",
        )
        .bind(grams)
        .bind(COMMON_UPDATES)
        .fetch_one(pool)
        .await?;
        Ok(held >= COMMON_UPDATES)
    }

    /// SQLite: the FTS5 expression that finds a term's candidates; `Some(None)`
    /// when a short term starts so many trigrams that LIKE alone is quicker,
    /// `None` when no text can contain it.
    async fn sqlite_trigram_match(&self, term: &str) -> Result<Option<Option<String>>> {
        let lower = term.to_lowercase();
        let grams: Vec<String> = match method(term) {
            SearchMethod::Trigrams => trigrams(&lower),
            SearchMethod::TrigramPrefix => {
                sqlx::query_scalar("SELECT term FROM search_vocab WHERE term >= $1 AND term < $1 || char(1114111) LIMIT $2")
                    .bind(&lower)
                    .bind(MAX_PREFIX_TRIGRAMS as i64 + 1)
                    .fetch_all(self.sqlite_only("search")?)
                    .await?
            }
        };
        if grams.is_empty() {
            return Ok(None);
        }
        if grams.len() > MAX_PREFIX_TRIGRAMS {
            return Ok(Some(None));
        }
        let joiner = if method(term) == SearchMethod::Trigrams { " AND " } else { " OR " };
        Ok(Some(Some(grams.iter().map(|g| quoted(g)).collect::<Vec<_>>().join(joiner))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_choose_their_method() {
        assert_eq!(terms("ジョブフロー　配信 失敗"), ["ジョブフロー", "配信", "失敗"]);
        assert_eq!(method("ジョブフロー"), SearchMethod::Trigrams);
        assert_eq!(method("API"), SearchMethod::Trigrams);
        assert_eq!(method("障害"), SearchMethod::TrigramPrefix);
        assert_eq!(method("障"), SearchMethod::TrigramPrefix);
    }

    #[test]
    fn queries_are_quoted() {
        assert_eq!(trigrams("証明書の"), ["証明書", "明書の"]);
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(like_pattern("50%_A\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn pairs_are_what_postgres_indexes() {
        assert_eq!(pair_grams("障害"), "{\"障害\"}");
        assert_eq!(pair_grams("障"), "{\"障\"}");
        assert_eq!(pair_grams("API"), "{\"ap\",\"pi\"}");
        assert_eq!(pair_grams("a\"b\\"), "{\"\\\"b\",\"a\\\"\",\"b\\\\\"}");
    }
}
