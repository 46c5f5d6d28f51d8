//! Why a command could not do its work, and the exit code that says so.

use std::fmt;

/// A command's failure: bad usage or unreadable input (exit 2), unless a
/// command chooses otherwise.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// Bad usage or unreadable input: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { message: message.into(), code: 2 }
    }

    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<desk_model::DocumentError> for Failure {
    fn from(e: desk_model::DocumentError) -> Self {
        Failure::usage(e.to_string())
    }
}

/// A use case's failure: its message in the terminal's language; exit 1
/// when a rule or the linter said no, 2 for bad input or what cannot be reached.
impl From<desk_app::AppError> for Failure {
    fn from(e: desk_app::AppError) -> Self {
        use desk_app::ErrorKind;
        let code = match e.kind {
            ErrorKind::Refused | ErrorKind::Blocked => 1,
            ErrorKind::Conflict | ErrorKind::NotFound | ErrorKind::Invalid | ErrorKind::Unavailable => 2,
        };
        Failure { message: e.message_in(crate::language::ui_lang()).to_string(), code }
    }
}
