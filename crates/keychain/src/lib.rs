//! The Statuspage API key lives only in the OS keychain: Secret Service on
//! Linux, the Keychain on macOS, Credential Manager on Windows (keyring 3).
//! Never in the database, a log, an error message or an export.
//!
//! [`KeyStore`] is the small trait the app and `desk` use; [`KeyringStore`]
//! goes through keyring's default credential store, and
//! [`memory::install`] swaps that store for an in-memory one shared by every
//! entry (keyring's own mock shares nothing between two entries), for tests.

pub mod memory;

use desk_statuspage::{ApiKey, KeyError};

/// The keychain service name every entry of Incident Desk uses.
pub const SERVICE: &str = "incident-desk";
/// The account under which the Statuspage key is kept.
pub const STATUSPAGE_ACCOUNT: &str = "statuspage-api-key";
/// The environment variable `desk` reads for automation.
pub const ENV_VAR: &str = "STATUSPAGE_API_KEY";

/// Why the keychain could not be used. Never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    #[error("the keychain is not available: {0}")]
    Unavailable(String),
    #[error("the stored key is not usable: {0}")]
    Unusable(#[from] KeyError),
    #[error("the keychain refused: {0}")]
    Failed(String),
}

pub trait KeyStore: Send + Sync {
    fn get(&self, account: &str) -> Result<Option<ApiKey>, KeyStoreError>;
    fn set(&self, account: &str, key: &ApiKey) -> Result<(), KeyStoreError>;
    /// Removes the key; removing a missing key is not an error.
    fn delete(&self, account: &str) -> Result<(), KeyStoreError>;
}

/// The OS keychain through keyring 3's default credential store.
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore { service: SERVICE.to_string() }
    }
}

impl KeyringStore {
    pub fn with_service(service: &str) -> KeyringStore {
        KeyringStore { service: service.to_string() }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeyStoreError> {
        keyring::Entry::new(&self.service, account).map_err(map_error)
    }
}

/// keyring's errors, without anything that could hold secret bytes.
fn map_error(e: keyring::Error) -> KeyStoreError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            KeyStoreError::Unavailable(inner.to_string())
        }
        keyring::Error::BadEncoding(_) => KeyStoreError::Failed("the stored key is not UTF-8".into()),
        keyring::Error::TooLong(what, max) => KeyStoreError::Failed(format!("{what} is longer than {max}")),
        keyring::Error::Invalid(what, why) => KeyStoreError::Failed(format!("{what}: {why}")),
        keyring::Error::Ambiguous(_) => KeyStoreError::Failed("more than one key is stored".into()),
        other => KeyStoreError::Failed(other.to_string()),
    }
}

impl KeyStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<ApiKey>, KeyStoreError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(ApiKey::new(secret)?)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, account: &str, key: &ApiKey) -> Result<(), KeyStoreError> {
        self.entry(account)?.set_password(key.expose()).map_err(map_error)
    }

    fn delete(&self, account: &str) -> Result<(), KeyStoreError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// Where a key came from, for a message that never shows the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    Environment,
    Keychain,
}

/// The key for `account`: `STATUSPAGE_API_KEY` (given as `env`) first, then
/// the keychain. A keychain that cannot be reached counts as "no key" only
/// when the environment supplied one.
pub fn resolve(store: &dyn KeyStore, account: &str, env: Option<String>) -> Result<Option<(ApiKey, KeySource)>, KeyStoreError> {
    if let Some(value) = env.filter(|v| !v.trim().is_empty()) {
        return Ok(Some((ApiKey::new(value)?, KeySource::Environment)));
    }
    Ok(store.get(account)?.map(|k| (k, KeySource::Keychain)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_keyring_with_the_memory_store() {
        memory::install();
        let store = KeyringStore::with_service("incident-desk-test");
        assert_eq!(store.get("a").unwrap(), None);
        let key = ApiKey::new("kc-secret-1").unwrap();
        store.set("a", &key).unwrap();
        // A second store (a second keyring Entry) sees the same key.
        let again = KeyringStore::with_service("incident-desk-test");
        assert_eq!(again.get("a").unwrap(), Some(key.clone()));
        assert_eq!(again.get("b").unwrap(), None);
        assert_eq!(resolve(&again, "a", None).unwrap(), Some((key, KeySource::Keychain)));
        let env = resolve(&again, "a", Some("from-env".into())).unwrap().unwrap();
        assert_eq!((env.0.expose(), env.1), ("from-env", KeySource::Environment));
        again.delete("a").unwrap();
        again.delete("a").unwrap();
        assert_eq!(store.get("a").unwrap(), None);
    }
}
