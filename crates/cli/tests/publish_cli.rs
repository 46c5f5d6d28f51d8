//! `desk publish` end to end against the sandbox: the key never lands in
//! any file, and our own overhead before the first byte is measured.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use desk_sandbox::{Faults, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "sk-live-cli-0a9b8c7d6e5f";

const DOCUMENT: &str = r#"
kind = "incident"
impact = "major"
title = { ja = "管理画面に接続しにくい状態", en = "Dashboard is hard to reach" }
period = { start = 2025-03-02T10:05:00+09:00, approximate = true }
components = [{ name = "Web app", status = "partial_outage" }]

[[updates]]
status = "investigating"
[updates.ja]
symptoms = "- 管理画面の表示に時間がかかる"
[updates.en]
symptoms = "- The dashboard loads slowly"

[[updates]]
status = "resolved"
[updates.ja]
body = "復旧しました。"
[updates.en]
body = "It has recovered."
"#;

fn desk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env("STATUSPAGE_API_KEY", KEY)
        .env("XDG_DATA_HOME", dir.join("xdg"))
        .env("HOME", dir.join("home"))
        .output()
        .expect("desk runs")
}

/// A sandbox that accepts any key (as `desk sandbox` does) and notes which it was sent.
async fn sandbox(data: PathBuf) -> Sandbox {
    let config = SandboxConfig {
        rate_limit_interval: Duration::ZERO,
        keys: None,
        data_dir: Some(data),
        api_description: desk_statuspage::OpenApi::shared().map(Arc::new),
        ..Default::default()
    };
    Sandbox::start(config).await.unwrap()
}

/// Every request `desk` sent matched the API description (checked by the
/// sandbox as they arrived).
fn check_requests(sb: &Sandbox) {
    if desk_statuspage::OpenApi::shared().is_none() {
        eprintln!("skipped the API description check: ../shared/statuspage/openapi.json is not present");
        return;
    }
    assert_eq!(sb.request_violations(), Vec::<String>::new());
    eprintln!("{} requests checked against the API description by the sandbox", sb.stats().requests);
}

#[test]
fn key_set_reads_stdin_and_never_echoes_the_key() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(["key", "set"])
        .env("HOME", tmp.path())
        .env("DESK_KEYCHAIN_SERVICE", "incident-desk-test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{KEY}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // Stored where a keychain is running; a clear refusal where none is (CI).
    assert!(out.status.success() || all.contains("keychain is not available"), "{all}");
    assert!(!all.contains(KEY), "{all}");
    if out.status.success() {
        let desk = |action: &str| {
            Command::new(env!("CARGO_BIN_EXE_desk"))
                .args(["key", action])
                .env("DESK_KEYCHAIN_SERVICE", "incident-desk-test")
                .env_remove("STATUSPAGE_API_KEY")
                .output()
                .unwrap()
        };
        assert!(String::from_utf8_lossy(&desk("status").stdout).contains("is stored"));
        assert!(desk("delete").status.success());
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_in_no_log_data_file_or_output() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let doc = dir.join("incident.toml");
    std::fs::write(&doc, DOCUMENT).unwrap();
    let sb = sandbox(dir.join("sandbox-data")).await;
    // Faults make the publish go through retries and error messages too.
    sb.set_faults(Faults {
        seed: 3,
        rate_limited: 0.2,
        drop_after_commit: 0.2,
        error_after_commit: 0.2,
        retry_after: Duration::from_millis(10),
        ..Faults::none()
    });
    let base = sb.api_base();
    let doc = doc.to_str().unwrap();
    let mut outputs = Vec::new();
    for args in [
        vec!["publish", doc, "--update", "1", "--api-base", &base, "--dry-run"],
        vec!["publish", doc, "--update", "1", "--api-base", &base],
        vec!["publish", doc, "--update", "1", "--api-base", &base],
        vec!["publish", doc, "--api-base", &base, "--dry-run"],
        vec!["publish", doc, "--api-base", &base],
        vec!["publish", doc, "--api-base", &base, "--page-id", "sandbox-ja", "--en-page-id", "sandbox-en"],
        vec!["publish", doc, "--api-base", "http://127.0.0.1:9/v1", "--page-id", "nowhere"],
    ] {
        let out = tokio::task::spawn_blocking({
            let dir = dir.to_path_buf();
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            move || desk(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .await
        .unwrap();
        outputs.push((args.join(" "), out));
    }
    for (i, (args, out)) in outputs.iter().enumerate() {
        std::fs::write(dir.join(format!("run-{i}.stdout")), &out.stdout).unwrap();
        std::fs::write(dir.join(format!("run-{i}.stderr")), &out.stderr).unwrap();
        eprintln!("$ desk {args}\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }
    let text = |i: usize| String::from_utf8_lossy(&outputs[i].1.stdout).into_owned();
    assert!(text(0).contains("POST ") && text(0).contains("OAuth [redacted]"), "{}", text(0));
    assert!(outputs[1].1.status.success());
    assert!(text(1).contains("published incident"), "{}", text(1));
    assert!(text(2).contains("already published"), "{}", text(2));
    assert!(text(3).contains("PATCH "), "{}", text(3));
    assert!(text(4).contains("published incident"), "{}", text(4));
    assert_eq!(outputs[6].1.status.code(), Some(1), "unreachable API reports failure");
    // The sandbox gets a placeholder, never the key in STATUSPAGE_API_KEY.
    let keys = sb.keys_seen();
    assert!(!keys.is_empty() && keys.iter().all(|k| !k.contains(KEY)), "{keys:?}");
    assert_eq!(sb.incidents("sandbox").len(), 1);
    assert_eq!(sb.incidents("sandbox")[0]["incident_updates"].as_array().unwrap().len(), 2);
    let public = sb.fetch_public("/").await.unwrap();
    std::fs::write(dir.join("public-page.html"), &public).unwrap();
    assert!(public.contains("管理画面に接続しにくい状態"));
    check_requests(&sb);
    sb.shutdown().await;

    let mut files = Vec::new();
    files_under(dir, &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let mut leaks = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        if bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()) {
            leaks.push(f.clone());
        }
    }
    eprintln!("searched {} files for the key: {} contain it", files.len(), leaks.len());
    assert!(leaks.is_empty(), "the key leaked into {leaks:?}");
}

/// A loopback proxy that notes when each request's first byte arrives
/// (connections are kept alive, so it watches for request lines).
async fn first_byte_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<Instant>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(upstream).await else { return };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut sr, &mut cw).await;
                });
                let mut buf = vec![0u8; 65536];
                loop {
                    let n = match cr.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    let at = Instant::now();
                    let chunk = &buf[..n];
                    if [&b"GET "[..], b"POST ", b"PATCH ", b"PUT ", b"DELETE "].iter().any(|m| chunk.starts_with(m)) {
                        sink.lock().unwrap().push(at);
                    }
                    if sw.write_all(chunk).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, seen)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overhead_before_the_first_byte_is_small() {
    use desk_publish::job::{render_job, Pages};
    let templates = desk_templates::TemplateSet::builtin();
    use desk_publish::{Engine, EngineOptions, JsonlLog};
    use desk_statuspage::{ApiKey, Client, ClientConfig};

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sb = sandbox(dir.join("sandbox-data")).await;
    let (proxy, seen) = first_byte_proxy(sb.addr()).await;
    let base = format!("http://{proxy}/v1");
    let incident = desk_model::IncidentDocument::parse(DOCUMENT).unwrap();

    // In process, as the app does it: engine ready, a click calls publish.
    let log = Arc::new(JsonlLog::open(&dir.join("log.jsonl")).unwrap());
    let config = ClientConfig { min_interval: Duration::ZERO, ..ClientConfig::new(base.clone()) };
    let engine = Engine::new(Client::new(config.clone(), ApiKey::new(KEY).unwrap()).unwrap(), log, EngineOptions::default());
    let mut warm = Vec::new();
    let mut cold = Vec::new();
    for i in 0..20 {
        let job = render_job(&templates, &incident, &format!("bench-{i}"), 0, &Pages::Combined("sandbox".into())).unwrap();
        let before = seen.lock().unwrap().len();
        let start = Instant::now();
        let report = engine.publish(&job).await.unwrap();
        assert!(report.all_done());
        let first = seen.lock().unwrap()[before];
        warm.push((first - start).as_secs_f64() * 1000.0);

        // Cold: a new client, engine and log for this one publish.
        let job = render_job(&templates, &incident, &format!("bench-cold-{i}"), 0, &Pages::Combined("sandbox".into())).unwrap();
        let before = seen.lock().unwrap().len();
        let start = Instant::now();
        let log = Arc::new(JsonlLog::open(&dir.join("log.jsonl")).unwrap());
        let engine = Engine::new(Client::new(config.clone(), ApiKey::new(KEY).unwrap()).unwrap(), log, EngineOptions::default());
        assert!(engine.publish(&job).await.unwrap().all_done());
        let first = seen.lock().unwrap()[before];
        cold.push((first - start).as_secs_f64() * 1000.0);
    }

    // `desk publish` as a process, from spawn to the first byte.
    let mut cli = Vec::new();
    for i in 0..5 {
        let doc = dir.join(format!("doc-{i}.toml"));
        // Each its own incident (the same text would be one incident, published once).
        std::fs::write(&doc, format!("uid = \"bench-cli-{i}\"\n{DOCUMENT}")).unwrap();
        let before = seen.lock().unwrap().len();
        let start = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_desk"))
            .args(["publish", doc.to_str().unwrap(), "--update", "1", "--api-base", &base])
            .env("STATUSPAGE_API_KEY", KEY)
            .env("XDG_DATA_HOME", dir.join("xdg"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
        assert!(out.status.success());
        let first = seen.lock().unwrap()[before];
        cli.push((first - start).as_secs_f64() * 1000.0);
    }
    check_requests(&sb);
    sb.shutdown().await;

    let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
    let summary = format!(
        "publish overhead: from the call (or process start) to the first byte sent, loopback, debug build\n\
         engine ready (app click), 20 publishes: median {:.2} ms, max {:.2} ms\n\
         engine built per publish (new client, log opened), 20 publishes: median {:.2} ms, max {:.2} ms\n\
         desk publish process (exec, parse, key, log, engine), 5 runs: median {:.2} ms, max {:.2} ms\n\
         target: < 50 ms\n",
        median(warm.clone()),
        max(&warm),
        median(cold.clone()),
        max(&cold),
        median(cli.clone()),
        max(&cli),
    );
    println!("{summary}");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("publish.txt"), &summary).unwrap();
    assert!(median(warm) < 50.0 && median(cold) < 50.0, "{summary}");
}

/// `--target statuspage` with an `--api-base` that is not Statuspage sends
/// nothing without `--send-key-to` naming that host; with it, the key goes
/// there. The sandbox notes every key it was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_goes_to_another_host_only_when_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let doc = dir.join("incident.toml");
    std::fs::write(&doc, DOCUMENT).unwrap();
    let sb = sandbox(dir.join("sandbox-data")).await;
    let base = sb.api_base();
    let host = base.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["publish", doc.to_str().unwrap(), "--update", "1", "--target", "statuspage", "--api-base", &base, "--page-id", "sandbox"];
        args.extend_from_slice(extra);
        desk(dir, &args)
    };
    let refused = run(&[]);
    let said = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("is not Statuspage") && said.contains(&format!("--send-key-to {host}")), "{said}");
    let wrong = run(&["--send-key-to", "example.com"]);
    assert_eq!(wrong.status.code(), Some(2), "{}", String::from_utf8_lossy(&wrong.stderr));
    assert!(sb.keys_seen().is_empty(), "nothing reached the host: {:?}", sb.keys_seen());
    assert!(sb.incidents("sandbox").is_empty());

    let sent = run(&["--send-key-to", &host]);
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    assert_eq!(sb.keys_seen(), vec![format!("OAuth {KEY}")]);
    assert_eq!(sb.incidents("sandbox").len(), 1);
    sb.shutdown().await;
}
