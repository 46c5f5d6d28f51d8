//! An in-memory credential store for keyring, shared by every entry in the
//! process, so a key set through one `Entry` is read through another (as
//! with a real keychain). For tests only.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi, CredentialPersistence};

type Id = (Option<String>, String, String);
type Secrets = Arc<Mutex<HashMap<Id, Vec<u8>>>>;

fn secrets() -> Secrets {
    static SECRETS: OnceLock<Secrets> = OnceLock::new();
    SECRETS.get_or_init(Default::default).clone()
}

/// Makes keyring's default store the shared in-memory one.
pub fn install() {
    keyring::set_default_credential_builder(Box::new(MemoryCredentialBuilder { secrets: secrets() }));
}

#[derive(Debug)]
pub struct MemoryCredentialBuilder {
    secrets: Secrets,
}

struct MemoryCredential {
    secrets: Secrets,
    id: Id,
}

impl std::fmt::Debug for MemoryCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemoryCredential({}/{})", self.id.1, self.id.2)
    }
}

impl CredentialApi for MemoryCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner()).insert(self.id.clone(), secret.to_vec());
        Ok(())
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        self.secrets.lock().unwrap_or_else(|e| e.into_inner()).get(&self.id).cloned().ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        match self.secrets.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id) {
            Some(_) => Ok(()),
            None => Err(keyring::Error::NoEntry),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CredentialBuilderApi for MemoryCredentialBuilder {
    fn build(&self, target: Option<&str>, service: &str, user: &str) -> keyring::Result<Box<Credential>> {
        let id = (target.map(str::to_string), service.to_string(), user.to_string());
        Ok(Box::new(MemoryCredential { secrets: self.secrets.clone(), id }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn persistence(&self) -> CredentialPersistence {
        CredentialPersistence::ProcessOnly
    }
}
