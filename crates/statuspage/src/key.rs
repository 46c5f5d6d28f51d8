//! The Statuspage API key, which must never be printed, logged or stored
//! outside the OS keychain.

use std::fmt;
use std::sync::Arc;

/// A Statuspage API key. `Debug` and `Display` print `ApiKey(redacted)`; the
/// secret only leaves through [`ApiKey::authorization`] (the header value)
/// and [`ApiKey::expose`] (for the keychain). It has no `Serialize` on
/// purpose, so it cannot end up in a log record or an export.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Arc<str>);

/// Why a string cannot be an API key. Never contains the string itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the API key is empty")]
    Empty,
    #[error("the API key contains whitespace or control characters")]
    BadCharacters,
}

impl ApiKey {
    pub fn new(key: impl AsRef<str>) -> Result<ApiKey, KeyError> {
        let key = key.as_ref().trim();
        if key.is_empty() {
            return Err(KeyError::Empty);
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(KeyError::BadCharacters);
        }
        Ok(ApiKey(Arc::from(key)))
    }

    /// The `Authorization` header value: `OAuth <key>`.
    pub fn authorization(&self) -> String {
        format!("OAuth {}", self.0)
    }

    /// The secret itself, for the keychain and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A stable, non-reversible tag for per-key bookkeeping (the rate
    /// limiter): FNV-1a of the key. Never printed.
    pub(crate) fn tag(&self) -> u64 {
        fnv1a(self.0.as_bytes())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(redacted)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// 64-bit FNV-1a: small, stable across Rust versions.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let key = ApiKey::new("  sekrit-123  ").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(redacted)");
        assert_eq!(format!("{key}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&key)), "Some(ApiKey(redacted))");
        assert_eq!(key.authorization(), "OAuth sekrit-123");
    }

    #[test]
    fn rejects_bad_keys_without_echoing_them() {
        assert_eq!(ApiKey::new("   "), Err(KeyError::Empty));
        let err = ApiKey::new("abc def").unwrap_err();
        assert!(!err.to_string().contains("abc"));
    }
}
