//! Search in Japanese and English.
//!
//! SQLITE ONLY: the FTS5 trigram index `search_index` (migration 2). A trigram
//! index cannot answer a term shorter than three characters, so such queries
//! fall back to LIKE on the incidents and updates tables (portable SQL, a scan).

use crate::incidents::{summary_from_row, IncidentSummary, SUMMARY_COLUMNS};
use crate::{Result, Store};

/// How a query was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMethod {
    /// Every term has three characters or more: the FTS5 trigram index.
    Trigram,
    /// A term is shorter: LIKE over titles and update texts.
    Like,
}

/// The terms of a query: split on white space (ASCII or ideographic).
pub fn terms(query: &str) -> Vec<String> {
    query.split(|c: char| c.is_whitespace() || c == '\u{3000}').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Which method a query needs.
pub fn method(terms: &[String]) -> SearchMethod {
    if terms.iter().all(|t| t.chars().count() >= 3) {
        SearchMethod::Trigram
    } else {
        SearchMethod::Like
    }
}

/// An FTS5 query matching every term as a phrase (quotes doubled).
fn fts_query(terms: &[String]) -> String {
    terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
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

impl Store {
    /// Incidents whose titles or updates contain every term of the query,
    /// newest first (at most `limit`; 0 means 50).
    pub async fn search(&self, query: &str, limit: i64) -> Result<Vec<IncidentSummary>> {
        let limit = if limit <= 0 { 50 } else { limit };
        let terms = terms(query);
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let rows = match method(&terms) {
            SearchMethod::Trigram => {
                sqlx::query(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM search_index s JOIN incidents i ON i.id = s.rowid
                     WHERE search_index MATCH $1
                     ORDER BY i.opened_at DESC, i.id DESC LIMIT $2"
                ))
                .bind(fts_query(&terms))
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
            SearchMethod::Like => {
                let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM incidents i WHERE 1 = 1");
                for n in 1..=terms.len() {
                    sql.push_str(&format!(
                        " AND (i.title_ja LIKE ${n} ESCAPE '\\' OR i.title_en LIKE ${n} ESCAPE '\\'
                           OR EXISTS (SELECT 1 FROM updates u WHERE u.incident_id = i.id
                                      AND (u.text_ja LIKE ${n} ESCAPE '\\' OR u.text_en LIKE ${n} ESCAPE '\\')))"
                    ));
                }
                sql.push_str(&format!(" ORDER BY i.opened_at DESC, i.id DESC LIMIT ${}", terms.len() + 1));
                let mut q = sqlx::query(&sql);
                for t in &terms {
                    q = q.bind(like_pattern(t));
                }
                q.bind(limit).fetch_all(self.pool()).await?
            }
        };
        rows.iter().map(summary_from_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_terms_need_like() {
        assert_eq!(method(&terms("ジョブフロー 失敗")), SearchMethod::Like);
        assert_eq!(method(&terms("ジョブフロー　配信失敗")), SearchMethod::Trigram);
        assert_eq!(method(&terms("API")), SearchMethod::Trigram);
        assert_eq!(method(&terms("障害")), SearchMethod::Like);
    }

    #[test]
    fn queries_are_quoted() {
        assert_eq!(fts_query(&terms("say \"hi\" now")), "\"say\" AND \"\"\"hi\"\"\" AND \"now\"");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
