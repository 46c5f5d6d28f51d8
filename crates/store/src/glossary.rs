//! The organisation's glossary: product and feature names as they must be
//! spelt, in Japanese and in English. The linter's `glossary.variant` rule
//! checks text against [`Store::glossary_terms`].

use chrono::Utc;
use serde::Serialize;
use sqlx::Row;

use crate::{timestamp, Result, Store, StoreError};

/// One entry of the glossary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlossaryTerm {
    pub id: i64,
    /// The Japanese text's spelling.
    pub ja: String,
    /// The English text's spelling (often the same).
    pub en: String,
    pub note: String,
}

/// The longest term accepted, in characters.
const MAX_TERM: usize = 100;

fn checked(field: &'static str, value: &str) -> Result<String> {
    let value = value.trim();
    let invalid = |message: String| Err(StoreError::Invalid { field, message });
    if value.is_empty() {
        return invalid("is empty; write the term as it must be spelt".into());
    }
    if value.chars().count() > MAX_TERM {
        return invalid(format!("is {} characters long; a term has at most {MAX_TERM}", value.chars().count()));
    }
    if value.contains(['\n', '\r', '\t']) {
        return invalid("must be on one line".into());
    }
    Ok(value.to_string())
}

impl Store {
    /// Every entry, in the order they were added.
    pub async fn glossary(&self) -> Result<Vec<GlossaryTerm>> {
        on_backend!(self, pool, [] => {
            let rows = sqlx::query("SELECT id, term_ja, term_en, note FROM glossary ORDER BY id").fetch_all(pool).await?;
            Ok(rows
                .into_iter()
                .map(|r| GlossaryTerm { id: r.get("id"), ja: r.get("term_ja"), en: r.get("term_en"), note: r.get("note") })
                .collect())
        })
    }

    /// The preferred spellings, both languages, each once: what the linter's config takes.
    pub async fn glossary_terms(&self) -> Result<Vec<String>> {
        let mut terms: Vec<String> = Vec::new();
        for entry in self.glossary().await? {
            for term in [entry.ja, entry.en] {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        Ok(terms)
    }

    /// Adds an entry; an empty English spelling means "the same as the Japanese".
    pub async fn add_glossary_term(&self, ja: &str, en: &str, note: &str, actor: &str) -> Result<GlossaryTerm> {
        let ja = checked("Japanese term", ja)?;
        let en = if en.trim().is_empty() { ja.clone() } else { checked("English term", en)? };
        let note = note.trim().to_string();
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM glossary WHERE term_ja = $1 AND term_en = $2")
                .bind(&ja)
                .bind(&en)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Invalid { field: "Japanese term", message: format!("“{ja}” / “{en}” is already in the glossary") });
            }
            let id: i64 = sqlx::query_scalar("INSERT INTO glossary (term_ja, term_en, note, updated_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(&ja)
                .bind(&en)
                .bind(&note)
                .bind(timestamp(Utc::now()))
                .fetch_one(&mut *tx)
                .await?;
            sql::audit(&mut tx, actor, "add", "glossary", Some(id), None, &serde_json::json!({ "ja": ja, "en": en })).await?;
            tx.commit().await?;
            Ok(GlossaryTerm { id, ja, en, note })
        })
    }

    /// Removes an entry.
    pub async fn remove_glossary_term(&self, id: i64, actor: &str) -> Result<()> {
        on_backend!(self, pool, [crate::sql as sql] => {
            let mut tx = sql::begin_write(pool).await?;
            let gone = sqlx::query("DELETE FROM glossary WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
            if gone == 0 {
                return Err(StoreError::NotFound { what: "glossary entry", id });
            }
            sql::audit(&mut tx, actor, "remove", "glossary", Some(id), None, &serde_json::json!({})).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn terms_are_added_checked_listed_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("g.db").to_str().unwrap()).await.unwrap();
        let kumo = store.add_glossary_term(" Kumo Mail ", "", "", "t").await.unwrap();
        assert_eq!((kumo.ja.as_str(), kumo.en.as_str()), ("Kumo Mail", "Kumo Mail"));
        store.add_glossary_term("一括送信", "Bulk Send", "feature", "t").await.unwrap();
        assert_eq!(store.glossary_terms().await.unwrap(), ["Kumo Mail", "一括送信", "Bulk Send"]);
        let empty = store.add_glossary_term("  ", "", "", "t").await.unwrap_err();
        assert_eq!(empty.to_string(), "Japanese term: is empty; write the term as it must be spelt");
        let twice = store.add_glossary_term("Kumo Mail", "Kumo Mail", "", "t").await.unwrap_err();
        assert!(twice.to_string().contains("already in the glossary"), "{twice}");
        store.remove_glossary_term(kumo.id, "t").await.unwrap();
        assert_eq!(store.glossary().await.unwrap().len(), 1);
        assert!(store.remove_glossary_term(kumo.id, "t").await.unwrap_err().to_string().contains("does not exist"));
    }
}
