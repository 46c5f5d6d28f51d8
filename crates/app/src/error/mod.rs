//! What can go wrong in a use case, typed, in both languages.
//!
//! Every use case fails with an [`AppError`]: a [`ErrorKind`] the front ends
//! decide by (the UI never reads an error's text to decide anything), the
//! field it concerns when the input was wrong, the linter's findings when
//! they block, and the message in Japanese and English. The app sends the
//! UI a [`CommandError`] in the UI's language; `desk` prints the message in
//! the terminal's language and picks its exit code by kind.

mod japanese;

use desk_lint::Diagnostic;
use desk_model::{Bilingual, Lang};
use desk_store::StoreError;
use serde::Serialize;
use specta::Type;

/// What kind of failure it is: what a front end decides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Someone else saved first; nothing was saved, the text typed is kept.
    Conflict,
    /// A rule said no (review, approval, policy, a published update).
    Refused,
    /// The linter's errors block it; `diagnostics` lists them.
    Blocked,
    /// What was asked for does not exist.
    NotFound,
    /// The input is wrong; `field` names it.
    Invalid,
    /// Something it needs cannot be reached now (database, keychain, the page).
    Unavailable,
}

/// A use case's failure, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: Bilingual<String>,
    /// The field the input was wrong in (kind `invalid`).
    pub field: Option<String>,
    /// The findings that block (kind `blocked`).
    pub diagnostics: Vec<Diagnostic>,
}

/// A failure as the UI receives it: the kind to decide by, and the message
/// in the UI's language to show.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl AppError {
    /// A failure with its message written in both languages here.
    pub fn new(kind: ErrorKind, ja: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError { kind, message: Bilingual { ja: ja.into(), en: en.into() }, field: None, diagnostics: Vec::new() }
    }

    /// A failure from a lower crate's English message: the Japanese is looked
    /// up, else the English is framed in Japanese by kind.
    pub fn from_english(kind: ErrorKind, en: impl Into<String>) -> AppError {
        let en = en.into();
        let ja = japanese::japanese(&en).unwrap_or_else(|| format!("{}{en}", frame(kind)));
        AppError::new(kind, ja, en)
    }

    pub fn refused(ja: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Refused, ja, en)
    }

    pub fn not_found(ja: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::NotFound, ja, en)
    }

    pub fn unavailable(ja: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::new(ErrorKind::Unavailable, ja, en)
    }

    /// The same failure, about `field` (as the screen names it): for a
    /// refusal, the choice that would let it through.
    pub fn on_field(mut self, field: &str) -> AppError {
        self.field = Some(field.to_string());
        self
    }

    /// Wrong input in `field` (as the screen names it).
    pub fn invalid(field: &str, ja: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError { field: Some(field.to_string()), ..AppError::new(ErrorKind::Invalid, ja, en) }
    }

    /// The linter's errors block publishing.
    pub fn blocked(diagnostics: Vec<Diagnostic>) -> AppError {
        let list = |lang: Lang| diagnostics.iter().map(|d| d.message_in(lang).to_string()).collect::<Vec<_>>();
        AppError {
            diagnostics: diagnostics.clone(),
            ..AppError::new(
                ErrorKind::Blocked,
                format!("エラーがあるため公開できません: {}", list(Lang::Ja).join(" / ")),
                format!("publishing is blocked by lint errors: {}", list(Lang::En).join("; ")),
            )
        }
    }

    /// The same failure with `context` put before its message.
    pub fn context(mut self, ja: &str, en: &str) -> AppError {
        self.message = Bilingual { ja: format!("{ja}{}", self.message.ja), en: format!("{en}{}", self.message.en) };
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        self.message.get(lang)
    }

    /// What the UI receives: the message in its language.
    pub fn in_lang(self, lang: Lang) -> CommandError {
        CommandError { kind: self.kind, message: self.message.get(lang).clone(), field: self.field, diagnostics: self.diagnostics }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message.en)
    }
}

impl std::error::Error for AppError {}

/// The Japanese put before an English message nobody translated yet.
fn frame(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Conflict => "ほかの場所で変更されました: ",
        ErrorKind::Refused => "この操作はできません: ",
        ErrorKind::Blocked => "公開できません: ",
        ErrorKind::NotFound => "見つかりません: ",
        ErrorKind::Invalid => "入力に誤りがあります: ",
        ErrorKind::Unavailable => "接続できません: ",
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let kind = match &e {
            StoreError::Conflict(_) | StoreError::IncidentConflict(..) | StoreError::TemplateConflict { .. } => ErrorKind::Conflict,
            StoreError::NotFound { .. } => ErrorKind::NotFound,
            StoreError::Published(_) | StoreError::Refused(_) | StoreError::Unsupported(_) => ErrorKind::Refused,
            StoreError::Invalid { .. } | StoreError::InvalidTemplate { .. } => ErrorKind::Invalid,
            StoreError::Folder { .. }
            | StoreError::Connect { .. }
            | StoreError::Sql(_)
            | StoreError::Migrate(_)
            | StoreError::Json(_) => ErrorKind::Unavailable,
        };
        let field = match &e {
            StoreError::Invalid { field, .. } => Some(field.to_string()),
            StoreError::InvalidTemplate { path, .. } => Some(path.clone()),
            _ => None,
        };
        AppError { field, ..AppError::from_english(kind, e.to_string()) }
    }
}

impl From<desk_publish::SettingsError> for AppError {
    fn from(e: desk_publish::SettingsError) -> AppError {
        AppError { field: Some(e.field.to_string()), ..AppError::from_english(ErrorKind::Invalid, e.to_string()) }
    }
}

impl From<desk_publish::PublishError> for AppError {
    fn from(e: desk_publish::PublishError) -> AppError {
        let kind = match &e {
            desk_publish::PublishError::Blocked(_) => ErrorKind::Refused,
            desk_publish::PublishError::Invalid(_) => ErrorKind::Invalid,
            desk_publish::PublishError::Log(_) => ErrorKind::Unavailable,
        };
        AppError::from_english(kind, e.to_string())
    }
}

impl From<desk_render::RenderError> for AppError {
    fn from(e: desk_render::RenderError) -> AppError {
        AppError::from_english(ErrorKind::NotFound, e.to_string())
    }
}

impl From<desk_keychain::KeyStoreError> for AppError {
    fn from(e: desk_keychain::KeyStoreError) -> AppError {
        AppError::from_english(ErrorKind::Unavailable, e.to_string())
    }
}

impl From<desk_statuspage::KeyError> for AppError {
    fn from(e: desk_statuspage::KeyError) -> AppError {
        AppError { field: Some("API key".into()), ..AppError::from_english(ErrorKind::Invalid, e.to_string()) }
    }
}

impl From<desk_statuspage::ApiError> for AppError {
    fn from(e: desk_statuspage::ApiError) -> AppError {
        AppError::from_english(ErrorKind::Unavailable, e.to_string())
    }
}

impl From<desk_model::DocumentError> for AppError {
    fn from(e: desk_model::DocumentError) -> AppError {
        AppError::from_english(ErrorKind::Invalid, e.to_string())
    }
}

impl From<serde_json::Error> for AppError {
    fn from(e: serde_json::Error) -> AppError {
        AppError::from_english(ErrorKind::Unavailable, format!("stored settings cannot be read: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_conflict_is_a_conflict_in_both_languages() {
        let e: AppError = StoreError::TemplateConflict { path: "incident/resolved.ja.md".into(), expected: 1, current: 2 }.into();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert!(e.message.en.contains("changed elsewhere"), "{}", e.message.en);
        assert!(e.message.ja.contains("incident/resolved.ja.md"), "{}", e.message.ja);
        let shown = e.in_lang(Lang::Ja);
        assert_eq!(serde_json::to_value(&shown).unwrap()["kind"], "conflict");
    }

    #[test]
    fn a_store_refusal_reads_in_japanese() {
        let e: AppError = StoreError::Refused("self-approval refused: aiko wrote revision 2; someone else must approve it".into()).into();
        assert_eq!(e.kind, ErrorKind::Refused);
        assert!(e.message.ja.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)), "{}", e.message.ja);
        assert!(!e.message.ja.starts_with("self-approval"), "{}", e.message.ja);
    }

    #[test]
    fn invalid_input_names_its_field() {
        let e: AppError = StoreError::Invalid { field: "Japanese term", message: "is empty".into() }.into();
        assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Invalid, Some("Japanese term")));
    }
}
