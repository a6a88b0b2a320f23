//! Conformance with the official Python `kubernetes` client (pinned, in the tests' own virtualenv).

#[path = "pyenv/mod.rs"]
mod pyenv;

use std::process::Command;

use kubesim::{Sim, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_kubernetes_client() {
    let python = pyenv::python();
    let sim = Sim::start(SimConfig {
        quota: Some(vec![
            ("cpu".into(), "2".into()),
            ("pods".into(), "10".into()),
        ]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("kubesim-py-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/python_client.py"
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(&kubeconfig)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "python client failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("python client: ok"));
}

/// Fact sheet §4.12 (PATCH): a patch without `metadata.resourceVersion` never answers 409; the
/// apiserver retries its own write (`patcher.patchResource` in
/// k8s.io/apiserver/pkg/endpoints/handlers/patch.go hands `applyPatch` to `Store.Update` as the
/// `tryUpdate` that `GuaranteedUpdate` re-runs on the fresh object). Six Python clients (six
/// processes) send 1,200 merge patches to one ConfigMap at once: every one succeeds, and each
/// client's last write is what is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_merge_patches_from_six_python_clients_all_succeed() {
    const CLIENTS: usize = 6;
    const EACH: usize = 200;
    let python = pyenv::python();
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let cm = kubesim::resources::find("", "v1", "configmaps").unwrap();
    sim.clusters[0]
        .store
        .create(
            cm,
            "default",
            serde_json::json!({"metadata": {"name": "storm"}, "data": {}}),
        )
        .unwrap();
    let dir = std::env::temp_dir().join(format!("kubesim-storm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/patch_storm.py");
    let started = std::time::Instant::now();
    let outputs = tokio::task::spawn_blocking(move || {
        let children: Vec<_> = (0..CLIENTS)
            .map(|w| {
                Command::new(&python)
                    .arg(script)
                    .arg(&kubeconfig)
                    .args(["storm", &w.to_string(), &EACH.to_string()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    for out in &outputs {
        assert!(
            out.status.success(),
            "a client got an error:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stored = sim.clusters[0].store.get(cm, "default", "storm").unwrap();
    for w in 0..CLIENTS {
        assert_eq!(
            stored["data"][format!("w{w}")],
            (EACH - 1).to_string(),
            "{stored}"
        );
    }
    eprintln!(
        "{} concurrent merge patches from {CLIENTS} Python clients: {:.2} s",
        CLIENTS * EACH,
        elapsed.as_secs_f64()
    );
}

/// Fact sheet §4.3: a continue token serves the next page from the first page's snapshot (objects
/// created, deleted or changed since are as they were; the page keeps the first page's
/// resourceVersion), as etcd3's `GetList` reads at the token's revision
/// (k8s.io/apiserver/pkg/storage/etcd3/store.go); past the history window the token is the 410
/// `Expired` of `handleCompactedErrorForPaging`, carrying a token that continues at the current state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_client_pages_from_the_first_pages_snapshot() {
    const HISTORY: usize = 20;
    let python = pyenv::python();
    let sim = Sim::start(SimConfig {
        history_limit: HISTORY,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("kubesim-paging-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/paging.py");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .arg(&kubeconfig)
            .arg(HISTORY.to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "paging failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("paging: ok"));
}
