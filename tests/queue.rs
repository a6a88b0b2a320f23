//! Queueing across launcher processes, through the real binary against kubesim: a burst on a
//! quota that fits few jobs drains in FIFO order without a failure, per-queue limits hold, a dead
//! launcher's ticket expires, a job that can never fit fails at once, and the queue times out.
#![cfg(feature = "sim")]

#[path = "common/mode.rs"]
#[macro_use]
mod mode;

#[path = "common/burst.rs"]
mod burst;

use std::time::Duration;

use burst::{Env, wait_all};
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use mode::Mode;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

/// Waits (on a watch) until Lease `name` exists and satisfies `pred`.
async fn wait_lease(env: &Env, name: &str, pred: impl Fn(&Value) -> bool) {
    wait_lease_state(env, name, |l| l.is_some_and(&pred)).await;
}

/// Waits (on a watch, at most 30 s) until lease `name` (`None`: absent) satisfies `pred`.
async fn wait_lease_state(env: &Env, name: &str, pred: impl Fn(Option<&Value>) -> bool) {
    let store = &env.sim.clusters[0].store;
    let leases = kubesim::resources::find("coordination.k8s.io", "v1", "leases").unwrap();
    let filter = WatchFilter {
        res_key: leases.key(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::default(),
    };
    let (_, mut rx) = store.watch(filter, None).unwrap();
    tokio::time::timeout(Duration::from_secs(30), async {
        while !pred(store.get(leases, "default", name).ok().as_ref()) {
            rx.recv().await.unwrap();
        }
    })
    .await
    .unwrap_or_else(|_| panic!("lease {name} did not get there within 30 s"));
}

/// The usual job's cpu as the launcher words it.
fn needs(mode: Mode) -> &'static str {
    match mode {
        Mode::Cluster => "2500m",
        Mode::Client => "2",
    }
}

both_modes! {
async fn a_burst_waits_its_turn_in_fifo_order_and_never_fails_for_quota(mode: Mode) {
    // The burst: 200 launcher processes on room for 10 (about 100 s on 2 cores in a
    // debug build). SK8S_QUEUE_BURST=40x5 runs a smaller one. The drain time against the ideal
    // is measured by `cargo bench --bench queue` (release build), not asserted here.
    let (n, fit) = std::env::var("SK8S_QUEUE_BURST")
        .ok()
        .and_then(|b| {
            let (n, f) = b.split_once('x')?;
            Some((n.parse().ok()?, f.parse().ok()?))
        })
        .unwrap_or((200, 10));
    let b = burst::burst(BIN, mode, n, fit, 2.0).await;
    println!("{}\n{}", burst::Burst::HEADER, b.row(n, fit));
    assert_eq!(b.violations, 0);
    assert!(b.max_used_cpu <= b.hard_cpu);
    assert!(
        b.requests_per_job < 60.0,
        "{} requests per job",
        b.requests_per_job
    );
}

async fn queue_limits_hold_across_launchers(mode: Mode) {
    let env = Env::new(BIN, mode, "limits", &[("requests.cpu", "1000"), ("pods", "1000")]).await;
    let seen = env.observe();
    let mut children = Vec::new();
    for (queue, n) in [("etl", 8), ("adhoc", 12)] {
        for i in 0..n {
            children.push(env.spawn(
                &format!("{queue}-{i}"),
                &[
                    "--queue",
                    queue,
                    "--conf",
                    "spark.k8scli.queueMaxRunning.etl=3",
                    "--conf",
                    "spark.k8scli.queueMaxRunning.adhoc=7",
                    "--conf",
                    "spark.kubesim.driver.durationSeconds=1",
                ],
            ));
        }
    }
    for (code, err) in wait_all(children).await {
        assert_eq!(code, Some(0), "{err}");
    }
    let m = seen.0.lock().unwrap();
    assert!(m.max_running["etl"] <= 3, "{:?}", m.max_running);
    assert!(m.max_running["adhoc"] <= 7, "{:?}", m.max_running);
    assert!(
        m.max_running["etl"] >= 2,
        "the limit was never reached: {:?}",
        m.max_running
    );
}

async fn a_killed_launchers_ticket_expires_and_the_queue_moves_on(mode: Mode) {
    let env = Env::new(
        BIN,
        mode,
        "expiry",
        &[("requests.cpu", &mode.cpu_for(1.0)), ("pods", "100")],
    )
    .await;
    let hb = ["--conf", "spark.k8scli.queueHeartbeat=2"];
    // The first job holds the room; the second waits and is killed; the third must still start.
    let mut first = env.spawn(
        "first",
        &[
            &hb[..],
            &["--conf", "spark.kubesim.driver.durationSeconds=3"],
        ]
        .concat(),
    );
    let store = &env.sim.clusters[0].store;
    let leases = kubesim::resources::find("coordination.k8s.io", "v1", "leases").unwrap();
    let mut doomed = env.spawn("doomed", &hb);
    // Once the doomed launcher's ticket exists, SIGKILL it.
    wait_lease(&env, "doomed-ticket", |_| true).await;
    doomed.kill().unwrap();
    let _ = doomed.wait();
    let third = env.spawn("third", &hb);
    let results = wait_all(vec![third]).await;
    assert_eq!(results[0].0, Some(0), "{}", results[0].1);
    let _ = first.wait();
    // The dead ticket was removed by a live launcher.
    assert!(store.get(leases, "default", "doomed-ticket").is_err());
}

async fn too_big_fails_at_once_and_a_queue_timeout_has_its_code(mode: Mode) {
    // Room for most of one job, never all of it.
    let small = mode.cpu_for(0.8);
    let env = Env::new(BIN, mode, "big", &[("requests.cpu", &small), ("pods", "100")]).await;
    let results = wait_all(vec![env.spawn("huge", &[])]).await;
    let (code, err) = &results[0];
    assert_eq!(*code, Some(3), "{err}");
    let needs = format!(
        "can never start in namespace default: requests.cpu: the job needs {}, quota compute allows {small} in all",
        needs(mode)
    );
    assert!(err.contains(&needs), "{needs}\nnot in\n{err}");
    let env = Env::new(BIN, mode, "timeout", &[("requests.cpu", "3"), ("pods", "100")]).await;
    let mut holder = env.spawn(
        "holder",
        &["--conf", "spark.kubesim.driver.durationSeconds=20"],
    );
    let store = &env.sim.clusters[0].store;
    let leases = kubesim::resources::find("coordination.k8s.io", "v1", "leases").unwrap();
    wait_lease(&env, "holder-ticket", |l| {
        l.pointer("/metadata/annotations/spark-k8s-cli~1state") == Some(&Value::from("admitted"))
    })
    .await;
    let results = wait_all(vec![
        // A duration with its unit, as every duration setting takes it.
        env.spawn("late", &["--conf", "spark.k8scli.queue.timeout=1s"]),
    ])
    .await;
    let (code, err) = &results[0];
    assert_eq!(*code, Some(5), "{err}");
    assert!(
        err.contains("Queue timeout: job late waited 1 s in queue default"),
        "{err}"
    );
    assert!(
        store.get(leases, "default", "late-ticket").is_err(),
        "the ticket goes with the job"
    );
    // The queue-timeout event: one line on stderr (the log sink), and a Kubernetes Event on the
    // ticket for cluster monitoring.
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("spark-k8s-cli: event queue-timeout: "))
        .unwrap_or_else(|| panic!("no queue-timeout event in:\n{err}"));
    let payload: Value = serde_json::from_str(line).unwrap();
    assert_eq!(payload["event"], "queue-timeout");
    assert_eq!(payload["job_id"], "late");
    assert_eq!(payload["app_name"], "burst");
    assert_eq!(payload["queue"], "default");
    assert_eq!(payload["namespace"], "default");
    assert!(payload["seconds"].as_f64().unwrap() >= 1.0);
    let events = kubesim::resources::find("", "v1", "events").unwrap();
    let (recorded, _) = store.list(
        events,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    let ev = recorded
        .iter()
        .find(|e| e["reason"] == "QueueTimeout")
        .unwrap_or_else(|| panic!("no QueueTimeout Event among {recorded:?}"));
    assert_eq!(ev["involvedObject"]["kind"], "Lease");
    assert_eq!(ev["involvedObject"]["name"], "late-ticket");
    assert_eq!(ev["type"], "Warning");
    assert!(
        ev["message"]
            .as_str()
            .unwrap()
            .starts_with("Queue timeout: job late")
    );
    let _ = holder.kill();
    let _ = holder.wait();
}

async fn quotas_scoped_to_other_pods_neither_limit_nor_queue_the_job(mode: Mode) {
    // The namespace's unscoped quota has room; the tight ones count pods the job has none of.
    let env = Env::new(BIN, mode, "scopes", &[("requests.cpu", "10"), ("pods", "100")]).await;
    let store = &env.sim.clusters[0].store;
    let quotas = kubesim::resources::find("", "v1", "resourcequotas").unwrap();
    let scoped = |name: &str, spec: Value| {
        serde_json::json!({"apiVersion": "v1", "kind": "ResourceQuota",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec})
    };
    store
        .create(
            quotas,
            "default",
            scoped(
                "best-effort",
                serde_json::json!({"hard": {"pods": "0"}, "scopes": ["BestEffort"]}),
            ),
        )
        .unwrap();
    store
        .create(
            quotas,
            "default",
            scoped(
                "high-priority",
                serde_json::json!({"hard": {"requests.cpu": "1"}, "scopeSelector": {"matchExpressions": [
                    {"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}}),
            ),
        )
        .unwrap();
    let results = wait_all(vec![env.spawn("scoped", &[])]).await;
    let (code, err) = &results[0];
    assert_eq!(*code, Some(0), "{err}");
    // A quota that does count the job's pods (NotBestEffort) and is too small: it never fits.
    let small = mode.cpu_for(0.8);
    store
        .create(
            quotas,
            "default",
            scoped(
                "burstable",
                serde_json::json!({"hard": {"requests.cpu": small}, "scopes": ["NotBestEffort"]}),
            ),
        )
        .unwrap();
    let results = wait_all(vec![env.spawn("counted", &[])]).await;
    let (code, err) = &results[0];
    assert_eq!(*code, Some(3), "{err}");
    assert!(
        err.contains(&format!(
            "requests.cpu: the job needs {}, quota burstable allows {small} in all",
            needs(mode)
        )),
        "{err}"
    );
}

/// A job whose launcher died still runs: it holds its queue's place, and `queue` shows it with
/// its pods (not "nothing running"); `kill JOB` frees the place and the waiting job goes on.
async fn a_job_without_a_launcher_holds_its_queue_and_is_named(mode: Mode) {
    let env = Env::new(BIN, mode, "orphan", &[("pods", "100")]).await;
    let limit = ["--conf", "spark.k8scli.queueMaxRunning.default=1"];
    let mut first = env.spawn(
        "alone",
        &[
            &limit[..],
            &[
                "--conf",
                "spark.k8scli.queueHeartbeat=2",
                "--conf",
                "spark.kubesim.driver.durationSeconds=600",
            ],
        ]
        .concat(),
    );
    // Its driver runs; then its launcher dies.
    burst::wait_running(&env.sim.clusters[0], &env.driver("alone")).await;
    first.kill().unwrap();
    let _ = first.wait();
    let waiting = env.spawn("next", &limit);
    wait_lease(&env, "next-ticket", |_| true).await;
    // The dead launcher's ticket expires and the waiting launcher removes it.
    wait_lease_state(&env, "alone-ticket", |l| l.is_none()).await;
    let cli = |args: &[&str]| {
        std::process::Command::new(BIN)
            .args(args)
            .env_clear()
            .env("HOME", &env.dir)
            .env("KUBECONFIG", env.dir.join("kubeconfig"))
            .output()
            .unwrap()
    };
    let rows: Value = serde_json::from_slice(&cli(&["queue", "-o", "json"]).stdout).unwrap();
    let Some(alone) = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job_id"] == "alone")
    else {
        let _ = cli(&["kill", "next"]);
        let r = wait_all(vec![waiting]).await;
        panic!("the launcher-less job is not listed: {rows}\n{}", r[0].1);
    };
    assert_eq!(alone["state"], "running, no launcher", "{rows}");
    assert!(
        alone["detail"]
            .as_str()
            .unwrap()
            .contains(&env.driver("alone")),
        "{rows}"
    );
    let table = String::from_utf8_lossy(&cli(&["queue"]).stdout).into_owned();
    assert!(table.contains("running, no launcher"), "{table}");
    // Deleting the job frees its place: the next job runs.
    let kill = cli(&["kill", "alone"]);
    assert_eq!(kill.status.code(), Some(0));
    let results = wait_all(vec![waiting]).await;
    assert_eq!(results[0].0, Some(0), "{}", results[0].1);
    assert!(
        results[0].1.contains(
            "queue default runs 1 of at most 1 jobs; without a launcher: job alone (pods "
        ),
        "{}",
        results[0].1
    );
}
}
