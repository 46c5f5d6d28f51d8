//! What every command answers: its value, or the failure typed with its
//! `kind` and the message in the UI's language (the UI decides by `kind`).

use desk_app::{AppError, CommandError, Desk};

/// A command's answer.
pub type Answer<T> = Result<T, CommandError>;

/// A use case's result as the UI receives it.
pub trait Shown<T> {
    /// The failure's message in `desk`'s UI language.
    fn shown(self, desk: &Desk) -> Answer<T>;
}

impl<T> Shown<T> for Result<T, AppError> {
    fn shown(self, desk: &Desk) -> Answer<T> {
        self.map_err(|e| e.in_lang(desk.ui_language()))
    }
}
