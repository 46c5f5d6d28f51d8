//! The update path against a feed served from loopback: an artifact signed
//! with a key that is not the app's is refused before anything is
//! installed; the same feed with that key's public key given to the
//! updater is accepted (so the refusal is the signature's doing).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use base64::Engine;
use desk_app::ErrorKind;
use tauri::test::MockRuntime;

use super::*;

/// The artifact: any bytes do; the updater checks them only by signature.
const ARTIFACT: &[u8] = b"Incident Desk 9.9.9, an update artifact for the test";

/// A throwaway key pair, as `tauri signer generate` makes them: the updater
/// takes the public key and the signature base64-encoded, as files' text.
struct Keys(minisign::KeyPair);

impl Keys {
    fn new() -> Keys {
        Keys(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    fn public(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0.pk.to_box().unwrap().into_string())
    }

    /// The signature of `bytes` for `version`, with the trusted comment the Tauri CLI writes.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let comment = format!("timestamp:1764580800\tfile:incident-desk.AppImage\tversion:{version}");
        let signature = minisign::sign(Some(&self.0.pk), &self.0.sk, bytes, Some(&comment), None).unwrap();
        base64::engine::general_purpose::STANDARD.encode(signature.into_string())
    }
}

/// Serves `latest.json` (version 9.9.9 for this platform) and the artifact
/// from loopback until the test ends; answers each request on its own.
fn serve_feed(signature: String) -> Url {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let manifest = serde_json::json!({
        "version": "9.9.9",
        "notes": "承認者に通知が届かない問題を直しました。\nApprovers are notified again.",
        "pub_date": "2026-12-01T09:00:00Z",
        "platforms": {
            tauri_plugin_updater::target().unwrap(): { "url": format!("{base}/incident-desk.AppImage"), "signature": signature }
        }
    })
    .to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // The rest of the head.
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let (kind, body): (&str, &[u8]) =
                if request.contains("latest.json") { ("application/json", manifest.as_bytes()) } else { ("application/octet-stream", ARTIFACT) };
            let mut stream = reader.into_inner();
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
        }
    });
    Url::parse(&format!("{base}/latest.json")).unwrap()
}

/// The app's updater settings from tauri.conf.json (its public key), with
/// `pubkey` instead when given; checking the feed at `feed` (as
/// `DESK_UPDATE_ENDPOINT` would set it).
fn app_with(pubkey: Option<String>, feed: Url) -> tauri::App<MockRuntime> {
    let conf: serde_json::Value = serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    let mut updater = conf["plugins"]["updater"].clone();
    assert!(updater["pubkey"].as_str().is_some_and(|k| !k.is_empty()), "tauri.conf.json has the updater's public key");
    if let Some(pubkey) = pubkey {
        updater["pubkey"] = pubkey.into();
    }
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    context.config_mut().plugins.0.insert("updater".into(), updater);
    let app = tauri::test::mock_builder().plugin(plugin()).build(context).expect("the app builds");
    app.manage(Updates::new(app.handle(), Some(feed)));
    app
}

/// What the app made of it: the offer, the install's outcome, and the bytes the installer got (if it was called).
type Tried = (UpdateOffered, Result<(), AppError>, Option<Vec<u8>>);

/// A feed signed by a throwaway key for `signed_version`; the app checks it
/// with its own public key, or with the throwaway key's when `trusted`.
fn try_feed(signed_version: &str, trusted: bool) -> (tauri::App<MockRuntime>, Tried) {
    let keys = Keys::new();
    let feed = serve_feed(keys.sign(ARTIFACT, signed_version));
    let app = app_with(trusted.then(|| keys.public()), feed);
    let tried = check_and_install(&app);
    (app, tried)
}

/// Checks, then installs with an installer that records being called.
fn check_and_install(app: &tauri::App<MockRuntime>) -> Tried {
    let handle = app.handle().clone();
    let installed: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
    let called = AtomicBool::new(false);
    let (offer, outcome) = tauri::async_runtime::block_on(async {
        let offer = check(&handle).await.expect("the feed answers").expect("9.9.9 is newer than the app");
        let outcome = install(&handle.state::<Updates>(), |_, bytes| {
            called.store(true, Ordering::SeqCst);
            *installed.lock().unwrap() = Some(bytes);
            Ok(())
        })
        .await;
        (offer, outcome)
    });
    let bytes = installed.lock().unwrap().take();
    assert_eq!(called.load(Ordering::SeqCst), bytes.is_some());
    (offer, outcome, bytes)
}

#[test]
fn an_artifact_signed_with_another_key_is_refused_and_never_installed() {
    let (app, (offer, outcome, installed)) = try_feed("9.9.9", false);
    assert_eq!(offer.version, "9.9.9");
    assert!(offer.notes.contains("Approvers are notified again."), "{offer:?}");
    assert_eq!(offer.date.as_deref(), Some("2026-12-01T09:00:00Z"));
    assert!(installed.is_none(), "the installer was never called");
    let refused = outcome.unwrap_err();
    assert_eq!((refused.kind, refused.field.as_deref()), (ErrorKind::Refused, Some("signature")), "{refused:?}");
    assert!(refused.message.en.starts_with("the update's signature does not verify against this app's public key"), "{}", refused.message.en);
    assert!(refused.message.ja.contains("署名"), "{}", refused.message.ja);
    assert!(app.state::<Updates>().offered().is_none(), "a refused update is not offered again");
}

/// The control: the same feed, signed by the same throwaway key, whose
/// public key the updater is given, goes through to the installer.
#[test]
fn the_same_feed_verifies_with_the_signing_keys_public_key() {
    let (_, (_, outcome, installed)) = try_feed("9.9.9", true);
    outcome.expect("a good signature is accepted");
    assert_eq!(installed.as_deref(), Some(ARTIFACT), "the installer got the verified bytes");
}

/// A signature made for another version (an old artifact offered as new) is refused too.
#[test]
fn a_signature_for_another_version_is_refused() {
    let (_, (_, outcome, installed)) = try_feed("0.0.9", true);
    assert!(installed.is_none());
    let refused = outcome.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("signature"), "{refused:?}");
}

#[test]
fn nothing_new_and_an_unreachable_feed_are_told_apart() {
    let app = app_with(None, Url::parse("http://127.0.0.1:9/latest.json").unwrap());
    let unreachable = tauri::async_runtime::block_on(check(app.handle())).unwrap_err();
    assert_eq!(unreachable.kind, ErrorKind::Unavailable, "{unreachable:?}");
    let nothing = tauri::async_runtime::block_on(install(&app.state::<Updates>(), |_, _| unreachable!())).unwrap_err();
    assert_eq!(nothing.kind, ErrorKind::NotFound);
}
