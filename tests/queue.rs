//! Queueing across launcher processes, through the real binary against kubesim: a burst on a
//! quota that fits few jobs drains in FIFO order without a failure, per-queue limits hold, a dead
//! launcher's ticket expires, a job that can never fit fails at once, and the queue times out.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use common::burst::{self, exits, launch, observe, wait_all, wait_one};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;
use serde_json::Value;

/// Waits (on a watch) until Lease `name` exists and satisfies `pred`.
async fn wait_lease(env: &Sandbox, name: &str, pred: impl Fn(&Value) -> bool) {
    watch::wait_named(&env.sim.clusters[0], "leases", name, |l| {
        l.is_some_and(&pred)
    })
    .await;
}

/// A sandbox whose quota has room for one usual job.
async fn room_for_one(mode: Mode, name: &str) -> Sandbox {
    burst::sandbox(
        mode,
        name,
        &[("requests.cpu", &mode.cpu_for(1.0)), ("pods", "100")],
    )
    .await
}

/// `child`'s stderr as it comes, a line at a time (a thread reads it to its end).
fn stderr_lines(child: &mut std::process::Child) -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let stderr = child.stderr.take().expect("stderr piped");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            // Read on when nobody listens any more, so the launcher never blocks on the pipe.
            let _ = tx.send(line);
        }
    });
    rx
}

/// Waits until the launcher says `part` on a line of its stderr; fails with what it said if it
/// ends first (or within [`watch::WAIT`] says nothing of the kind).
async fn says(lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>, part: &str) {
    let mut said = String::new();
    let found = tokio::time::timeout(watch::WAIT, async {
        while let Some(line) = lines.recv().await {
            said.push_str(&line);
            said.push('\n');
            if line.contains(part) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(
        found,
        Ok(true),
        "the launcher never said {part:?}; it said:\n{said}"
    );
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
    let b = burst::burst(mode, n, fit, 2.0).await;
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
    let env = burst::sandbox(mode, "limits", &[("requests.cpu", "1000"), ("pods", "1000")]).await;
    let seen = observe(&env);
    let mut children = Vec::new();
    for (queue, n) in [("etl", 8), ("adhoc", 12)] {
        for i in 0..n {
            children.push(launch(
                &env,
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
    let env = room_for_one(mode, "expiry").await;
    let hb = ["--conf", "spark.k8scli.queueHeartbeat=2"];
    // The first job holds the room; the second waits and is killed; the third must still start.
    let mut first = launch(
        &env,
        "first",
        &[
            &hb[..],
            &["--conf", "spark.kubesim.driver.durationSeconds=3"],
        ]
        .concat(),
    );
    let store = &env.sim.clusters[0].store;
    let leases = watch::resource("leases");
    let mut doomed = launch(&env, "doomed", &hb);
    // Once the doomed launcher's ticket exists, SIGKILL it.
    wait_lease(&env, "doomed-ticket", |_| true).await;
    doomed.kill().unwrap();
    let _ = doomed.wait();
    let third = launch(&env, "third", &hb);
    exits(third, 0).await;
    let _ = first.wait();
    // The dead ticket was removed by a live launcher.
    assert!(store.get(leases, "default", "doomed-ticket").is_err());
}

async fn too_big_fails_at_once_and_a_queue_timeout_has_its_code(mode: Mode) {
    // Room for most of one job, never all of it.
    let small = mode.cpu_for(0.8);
    let env = burst::sandbox(mode, "big", &[("requests.cpu", &small), ("pods", "100")]).await;
    let err = exits(launch(&env, "huge", &[]), 3).await;
    let needs = format!(
        "can never start in namespace default: requests.cpu: the job needs {}, quota compute allows {small} in all",
        needs(mode)
    );
    assert!(err.contains(&needs), "{needs}\nnot in\n{err}");
    let env = burst::sandbox(mode, "timeout", &[("requests.cpu", "3"), ("pods", "100")]).await;
    let mut holder = launch(
        &env,
        "holder",
        &["--conf", "spark.kubesim.driver.durationSeconds=20"],
    );
    let store = &env.sim.clusters[0].store;
    let leases = watch::resource("leases");
    wait_lease(&env, "holder-ticket", |l| {
        l.pointer("/metadata/annotations/spark-k8s-cli~1state") == Some(&Value::from("admitted"))
    })
    .await;
    // A duration with its unit, as every duration setting takes it.
    let late = launch(&env, "late", &["--conf", "spark.k8scli.queue.timeout=1s"]);
    let err = exits(late, 5).await;
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
    let recorded = watch::list(&env.sim.clusters[0], "events", "");
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
    let env = burst::sandbox(mode, "scopes", &[("requests.cpu", "10"), ("pods", "100")]).await;
    let store = &env.sim.clusters[0].store;
    let quotas = watch::resource("resourcequotas");
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
    exits(launch(&env, "scoped", &[]), 0).await;
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
    let err = exits(launch(&env, "counted", &[]), 3).await;
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
    let env = burst::sandbox(mode, "orphan", &[("pods", "100")]).await;
    let limit = ["--conf", "spark.k8scli.queueMaxRunning.default=1"];
    let mut first = launch(
        &env,
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
    watch::wait_running(&env.sim.clusters[0], &env.driver("alone")).await;
    first.kill().unwrap();
    let _ = first.wait();
    let waiting = launch(&env, "next", &limit);
    wait_lease(&env, "next-ticket", |_| true).await;
    // The dead launcher's ticket expires and the waiting launcher removes it.
    watch::wait_named(&env.sim.clusters[0], "leases", "alone-ticket", |l| l.is_none()).await;
    let cli = |args: &[&str]| env.cli(args).output().unwrap();
    let rows: Value = serde_json::from_slice(&cli(&["queue", "-o", "json"]).stdout).unwrap();
    let Some(alone) = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job_id"] == "alone")
    else {
        let _ = cli(&["kill", "next"]);
        let (_, err) = wait_one(waiting).await;
        panic!("the launcher-less job is not listed: {rows}\n{err}");
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
    let err = exits(waiting, 0).await;
    assert!(
        err.contains(
            "queue default runs 1 of at most 1 jobs; without a launcher: job alone (pods "
        ),
        "{err}"
    );
}

/// A live launcher whose ticket was deleted as expired (its heartbeat starved, so another
/// launcher took it for dead) makes it again, with its first enqueue time, so it keeps its place
/// and starts once there is room, instead of waiting for a ticket that never comes back.
async fn a_ticket_deleted_under_a_live_launcher_is_made_again_in_its_place(mode: Mode) {
    let env = room_for_one(mode, "remade").await;
    let hb = ["--conf", "spark.k8scli.queueHeartbeat=2"];
    let mut hold = launch(
        &env,
        "hold",
        &[&hb[..], &["--conf", "spark.kubesim.driver.durationSeconds=600"]].concat(),
    );
    wait_lease(&env, "hold-ticket", |l| {
        l["metadata"]["annotations"]["spark-k8s-cli/state"] == "admitted"
    })
    .await;
    let lost = launch(&env, "lost", &hb);
    let waiting = |l: &Value| l["metadata"]["annotations"]["spark-k8s-cli/state"] == "waiting";
    wait_lease(&env, "lost-ticket", waiting).await;
    let store = &env.sim.clusters[0].store;
    let leases = watch::resource("leases");
    let first = store.get(leases, "default", "lost-ticket").unwrap();
    store.delete(leases, "default", "lost-ticket", None).unwrap();
    // Made again: a new object with the same place in line, still waiting.
    let uid = first["metadata"]["uid"].clone();
    let acquired = first["spec"]["acquireTime"].clone();
    wait_lease(&env, "lost-ticket", |l| {
        l["metadata"]["uid"] != uid && l["spec"]["acquireTime"] == acquired && waiting(l)
    })
    .await;
    // The room frees: the job whose ticket was lost runs.
    let kill = env.cli(&["kill", "hold"]).output().unwrap();
    assert_eq!(kill.status.code(), Some(0), "{kill:?}");
    let _ = hold.wait();
    exits(lost, 0).await;
}

/// A waiting launcher takes another's ticket for dead only when it has not seen it change for
/// a lease duration (client-go's rule for Leases), never by the `renewTime` written in it. That
/// time is another host's clock, and it is only as fresh as the launcher's view: under load
/// (two suites at once, load 100 on 2 cores) launchers whose watches lagged read every ticket
/// as expired, deleted them one request at a time (their watches lagging further meanwhile) and
/// showed "the ticket is not in the queue yet" until the burst was killed. Here the ticket of a
/// launcher whose clock is two hours behind (an hour's heartbeat) is ahead in line: the
/// launcher behind it waits for it, and starts once its job ends.
async fn a_ticket_stamped_by_a_clock_behind_is_not_taken_for_dead(mode: Mode) {
    use k8s_openapi::jiff::{SignedDuration, Timestamp};
    let env = room_for_one(mode, "skew").await;
    let store = &env.sim.clusters[0].store;
    let leases = watch::resource("leases");
    let behind = k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime(
        Timestamp::now() - SignedDuration::from_hours(2),
    );
    let behind = serde_json::to_value(behind).unwrap();
    store
        .create(
            leases,
            "default",
            serde_json::json!({
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": "slow-ticket",
                    "labels": {
                        "spark-k8s-cli/ticket": "true",
                        "spark-k8s-cli/job-id": "slow",
                        "spark-k8s-cli/queue": "default",
                    },
                    "annotations": {
                        "spark-k8s-cli/state": "waiting",
                        "spark-k8s-cli/priority": "0",
                        "spark-k8s-cli/demand": "{\"pods\":\"1000\"}",
                    },
                },
                "spec": {
                    "holderIdentity": "slow-host/1",
                    "leaseDurationSeconds": 3600,
                    "acquireTime": behind,
                    "renewTime": behind,
                },
            }),
        )
        .unwrap();
    let mut late = launch(&env, "late", &[]);
    let mut lines = stderr_lines(&mut late);
    says(&mut lines, "queued in default, 1 ahead: behind slow (next to start)").await;
    // The slow host's job ends: its launcher gives the ticket back, and the queue moves on.
    store
        .delete(leases, "default", "slow-ticket", None)
        .expect("the slow host's ticket is still there");
    says(&mut lines, "admitted after").await;
    let (code, _) = wait_one(late).await;
    assert_eq!(code, Some(0));
}
}
