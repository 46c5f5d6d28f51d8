//! Where updates go, decided from the organisation's publishing settings and
//! whether a Statuspage key is set: the built-in sandbox until both a key and
//! the page id(s) the mode needs are there, then Statuspage.
//!
//! The settings are checked here (trimmed, page ids well formed, the two
//! pages of a bilingual setup distinct), with a message naming the field.

use std::collections::BTreeMap;

use desk_model::{Bilingual, Status};
use serde::{Deserialize, Serialize};

use crate::engine::PublishJob;
use crate::job::Pages;

/// How the two languages reach readers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PublishMode {
    /// One page; each update carries the Japanese and the English text.
    #[default]
    Combined,
    /// A Japanese page and an English page, each incident linked to its twin.
    Split,
}

/// The organisation's publishing settings (kept in the store; never the key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct PublishSettings {
    pub mode: PublishMode,
    /// The page that receives both languages (mode `combined`).
    pub page_id: String,
    /// The Japanese page (mode `split`).
    pub ja_page_id: String,
    /// The English page (mode `split`).
    pub en_page_id: String,
    /// On resolved/completed, set the affected components back to operational.
    pub restore_components_on_resolve: bool,
    /// An incident's component name → the name of the page's component, where
    /// the two differ. Names not listed are matched as they are.
    pub component_map: BTreeMap<String, String>,
    /// The statuses whose updates do not notify subscribers unless their
    /// author chooses to (`Update::notify`); every other status notifies by
    /// default. Empty by default: every update notifies.
    pub quiet_statuses: Vec<Status>,
}

impl Default for PublishSettings {
    fn default() -> Self {
        PublishSettings {
            mode: PublishMode::Combined,
            page_id: String::new(),
            ja_page_id: String::new(),
            en_page_id: String::new(),
            restore_components_on_resolve: true,
            component_map: BTreeMap::new(),
            quiet_statuses: Vec::new(),
        }
    }
}

/// A setting that cannot be saved: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingsError {
    /// The field as the settings screen names it.
    pub field: &'static str,
    pub message: String,
}

/// The longest page id accepted (Statuspage's are 12 characters).
const MAX_PAGE_ID: usize = 64;

fn check_page_id(field: &'static str, value: &str) -> Result<(), SettingsError> {
    let bad = |message: String| Err(SettingsError { field, message });
    if value.chars().count() > MAX_PAGE_ID {
        return bad(format!("is {} characters long; a page id has at most {MAX_PAGE_ID}", value.chars().count()));
    }
    if let Some(c) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        let what = if c.is_whitespace() { "a space".to_string() } else { format!("“{c}”") };
        return bad(format!(
            "{what} cannot be part of a page id (letters, digits, - and _ only; copy it from the page's URL or API settings)"
        ));
    }
    Ok(())
}

impl PublishSettings {
    /// The settings trimmed and checked; the first problem names its field.
    /// Empty page ids are allowed (publishing then stays on the sandbox).
    pub fn validated(mut self) -> Result<PublishSettings, SettingsError> {
        for (field, value) in [
            ("page id", &mut self.page_id),
            ("Japanese page id", &mut self.ja_page_id),
            ("English page id", &mut self.en_page_id),
        ] {
            *value = value.trim().to_string();
            check_page_id(field, value)?;
        }
        if self.mode == PublishMode::Split && !self.ja_page_id.is_empty() && self.ja_page_id == self.en_page_id {
            return Err(SettingsError {
                field: "English page id",
                message: "is the same as the Japanese page id; a bilingual setup needs two different pages".into(),
            });
        }
        let mut map = BTreeMap::new();
        for (ours, theirs) in std::mem::take(&mut self.component_map) {
            let (ours, theirs) = (ours.trim().to_string(), theirs.trim().to_string());
            if ours.is_empty() {
                return Err(SettingsError { field: "component mapping", message: "a mapping has no incident component name".into() });
            }
            // An empty page component means "as it is": nothing to keep.
            if !theirs.is_empty() && theirs != ours {
                map.insert(ours, theirs);
            }
        }
        self.component_map = map;
        self.quiet_statuses.sort();
        self.quiet_statuses.dedup();
        Ok(self)
    }

    /// Whether an update of `status` notifies subscribers when its author made no choice.
    pub fn notify_by_default(&self, status: Status) -> bool {
        !self.quiet_statuses.contains(&status)
    }

    /// The field the mode still needs, if any.
    pub fn missing_page_id(&self) -> Option<&'static str> {
        match self.mode {
            PublishMode::Combined if self.page_id.is_empty() => Some("page id"),
            PublishMode::Split if self.ja_page_id.is_empty() => Some("Japanese page id"),
            PublishMode::Split if self.en_page_id.is_empty() => Some("English page id"),
            _ => None,
        }
    }

    /// The Statuspage pages to publish to, once the ids the mode needs are set.
    pub fn pages(&self) -> Option<Pages> {
        if self.missing_page_id().is_some() {
            return None;
        }
        Some(match self.mode {
            PublishMode::Combined => Pages::Combined(self.page_id.clone()),
            PublishMode::Split => Pages::Split { ja: self.ja_page_id.clone(), en: self.en_page_id.clone() },
        })
    }

    /// The page component an incident's component goes to: the mapping, else
    /// the same name (exactly, then ignoring case and spaces, as the engine matches).
    pub fn page_component<'a>(&self, ours: &str, page_names: &'a [String]) -> Option<&'a String> {
        let wanted = self.component_map.get(ours.trim()).map(String::as_str).unwrap_or(ours);
        page_names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| page_names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted.trim())))
    }

    /// Renames the job's components to the page's names (the engine matches by name).
    pub fn map_components(&self, job: &mut PublishJob) {
        for c in &mut job.components {
            if let Some(theirs) = self.component_map.get(c.name.trim()) {
                c.name = theirs.clone();
            }
        }
    }
}

/// Whether a Statuspage key can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    Set,
    Missing,
    /// The OS keychain cannot be reached (e.g. no Secret Service on Linux).
    Unavailable(String),
}

/// Why updates go to the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxReason {
    NoKey,
    /// A key is set, but this page id is not.
    NoPageId(&'static str),
    KeychainUnavailable(String),
    /// Asked for by name (`desk publish --target sandbox`).
    Chosen,
}

impl SandboxReason {
    /// The reason as the app shows it.
    pub fn explain(&self) -> Bilingual<String> {
        match self {
            SandboxReason::NoKey => Bilingual {
                ja: "Statuspage の API キーが未設定のため、ローカルのサンドボックスに公開します。".into(),
                en: "No Statuspage API key is set, so updates go to the local sandbox.".into(),
            },
            SandboxReason::NoPageId(field) => Bilingual {
                ja: format!("API キーは設定済みですが、ページ ID（{}）が未設定のため、サンドボックスに公開します。", ja_field(field)),
                en: format!("The API key is set but the {field} is not, so updates go to the local sandbox."),
            },
            SandboxReason::KeychainUnavailable(why) => Bilingual {
                ja: format!("OS のキーチェーンを利用できないため、サンドボックスに公開します（{why}）。"),
                en: format!("The OS keychain is not available, so updates go to the local sandbox ({why})."),
            },
            SandboxReason::Chosen => Bilingual {
                ja: "サンドボックスへの公開が指定されています。".into(),
                en: "The sandbox was chosen as the target.".into(),
            },
        }
    }
}

fn ja_field(field: &str) -> &'static str {
    match field {
        "Japanese page id" => "日本語ページ",
        "English page id" => "英語ページ",
        _ => "ページ",
    }
}

/// Where updates go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetChoice {
    Sandbox(SandboxReason),
    Statuspage(Pages),
}

/// Statuspage once the key and the page ids are set; the sandbox otherwise, with why.
pub fn choose(settings: &PublishSettings, key: &KeyState) -> TargetChoice {
    match key {
        KeyState::Unavailable(why) => TargetChoice::Sandbox(SandboxReason::KeychainUnavailable(why.clone())),
        KeyState::Missing => TargetChoice::Sandbox(SandboxReason::NoKey),
        KeyState::Set => match (settings.pages(), settings.missing_page_id()) {
            (Some(pages), _) => TargetChoice::Statuspage(pages),
            (None, field) => TargetChoice::Sandbox(SandboxReason::NoPageId(field.unwrap_or("page id"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn combined(page: &str) -> PublishSettings {
        PublishSettings { page_id: page.into(), ..PublishSettings::default() }
    }

    #[test]
    fn the_sandbox_until_key_and_page_are_set() {
        let set = combined("kctbh9vrtdwd");
        assert_eq!(choose(&set, &KeyState::Missing), TargetChoice::Sandbox(SandboxReason::NoKey));
        assert_eq!(choose(&PublishSettings::default(), &KeyState::Set), TargetChoice::Sandbox(SandboxReason::NoPageId("page id")));
        assert_eq!(choose(&set, &KeyState::Set), TargetChoice::Statuspage(Pages::Combined("kctbh9vrtdwd".into())));
        let split = PublishSettings { mode: PublishMode::Split, ja_page_id: "ja1".into(), ..PublishSettings::default() };
        assert_eq!(choose(&split, &KeyState::Set), TargetChoice::Sandbox(SandboxReason::NoPageId("English page id")));
        let down = choose(&set, &KeyState::Unavailable("no Secret Service".into()));
        let TargetChoice::Sandbox(reason) = down else { panic!() };
        let said = reason.explain().en;
        assert!(said.contains("keychain is not available") && said.ends_with("(no Secret Service)."), "{said}");
    }

    #[test]
    fn inputs_are_trimmed_and_problems_name_the_field() {
        let ok = PublishSettings { page_id: "  abc123 ".into(), ..PublishSettings::default() }.validated().unwrap();
        assert_eq!(ok.page_id, "abc123");
        let err = combined("abc 123").validated().unwrap_err();
        assert_eq!(err.field, "page id");
        assert!(err.to_string().starts_with("page id: a space cannot be part of a page id"), "{err}");
        assert!(combined("a/b").validated().unwrap_err().to_string().starts_with("page id: “/” cannot"));
        let long = combined(&"a".repeat(65)).validated().unwrap_err();
        assert!(long.to_string().contains("65 characters"), "{long}");
        let same = PublishSettings { mode: PublishMode::Split, ja_page_id: "p".into(), en_page_id: " p".into(), ..PublishSettings::default() };
        assert_eq!(same.validated().unwrap_err().field, "English page id");
        let mut map = BTreeMap::new();
        map.insert(" API ".to_string(), "Public API".to_string());
        map.insert("Web".to_string(), "".to_string());
        let mapped = PublishSettings { component_map: map, ..PublishSettings::default() }.validated().unwrap();
        let page = ["Public API".to_string(), "Web app".to_string()];
        assert_eq!(mapped.page_component("API", &page), Some(&page[0]));
        assert_eq!(mapped.page_component("web APP", &page), Some(&page[1]));
        assert_eq!(mapped.page_component("Mail", &page), None);
        assert_eq!(mapped.component_map.into_iter().collect::<Vec<_>>(), [("API".to_string(), "Public API".to_string())]);
    }
}
