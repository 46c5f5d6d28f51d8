//! Search in Japanese and English.
//!
//! SQLITE ONLY: the FTS5 trigram index `search_index` (migration 2) finds
//! candidate incidents; every candidate is then checked with LIKE on its real
//! text (titles and updates: portable SQL), newest first, until the page is
//! full. A word of three characters or more is found through its trigrams; a
//! shorter one through the trigrams it starts (`search_vocab`), unless it
//! starts too many of them (a very common character): then LIKE alone, which
//! finds a common word in the newest incidents at once.

use crate::incidents::{IncidentSummary, SUMMARY_COLUMNS};
use crate::sql::sqlite::summary_from_row;
use crate::{Result, Store};

/// How a term is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMethod {
    /// Three characters or more: all its trigrams.
    Trigrams,
    /// One or two characters: any trigram it starts.
    TrigramPrefix,
}

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

/// A LIKE pattern for a term, with `\` as the escape character.
fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The check on an incident's real text, for the term bound at `$n`.
fn like_check(n: usize) -> String {
    format!(
        "(i.title_ja LIKE ${n} ESCAPE '\\' OR i.title_en LIKE ${n} ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM updates u WHERE u.incident_id = i.id
                     AND (u.text_ja LIKE ${n} ESCAPE '\\' OR u.text_en LIKE ${n} ESCAPE '\\')))"
    )
}

impl Store {
    /// Incidents whose titles or updates contain every term of the query
    /// (each term anywhere in the incident), newest first, at most `limit`
    /// (0 means 50).
    pub async fn search(&self, query: &str, limit: i64) -> Result<Vec<IncidentSummary>> {
        let limit = if limit <= 0 { 50 } else { limit };
        let terms = terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM incidents i WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        for term in &terms {
            let lower = term.to_lowercase();
            let grams: Vec<String> = match method(term) {
                SearchMethod::Trigrams => trigrams(&lower),
                SearchMethod::TrigramPrefix => {
                    sqlx::query_scalar(
                        "SELECT term FROM search_vocab WHERE term >= $1 AND term < $1 || char(1114111) LIMIT $2",
                    )
                    .bind(&lower)
                    .bind(MAX_PREFIX_TRIGRAMS as i64 + 1)
                    .fetch_all(self.sqlite_only("search")?)
                    .await?
                }
            };
            if grams.is_empty() {
                // Every character of every text starts a trigram: none, no match.
                return Ok(Vec::new());
            }
            let filter = if grams.len() > MAX_PREFIX_TRIGRAMS {
                None
            } else {
                let joiner = if method(term) == SearchMethod::Trigrams { " AND " } else { " OR " };
                binds.push(grams.iter().map(|g| quoted(g)).collect::<Vec<_>>().join(joiner));
                Some(format!(
                    "i.id IN (SELECT rowid / 65536 FROM search_index WHERE search_index MATCH ${})",
                    binds.len()
                ))
            };
            binds.push(like_pattern(term));
            let check = like_check(binds.len());
            // CASE: the index first, the (slower) check of the text only for candidates.
            match filter {
                Some(f) => sql.push_str(&format!(" AND CASE WHEN {f} THEN {check} ELSE 0 END")),
                None => sql.push_str(&format!(" AND {check}")),
            }
        }
        sql.push_str(&format!(" ORDER BY i.opened_at DESC, i.id DESC LIMIT ${}", binds.len() + 1));
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.bind(limit).fetch_all(self.sqlite_only("search")?).await?;
        rows.iter().map(summary_from_row).collect()
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
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
