//! The terminal's language, for messages that exist in both.

use desk_model::Lang;

/// Japanese when `DESK_UI_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), starts with `ja`.
pub fn ui_lang() -> Lang {
    for var in ["DESK_UI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return if v.starts_with("ja") { Lang::Ja } else { Lang::En };
            }
        }
    }
    Lang::En
}
