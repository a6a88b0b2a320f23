//! The fleet, through the real binary against a three-cluster kubesim: weighted spreading
//! across launcher processes, a cluster that is down, a submission refused on one cluster
//! moving to the next, pins that name no cluster failing before any request, and the fleet's
//! health shared by the launchers of several hosts through the cluster.
#![cfg(feature = "sim")]

use std::collections::BTreeMap;
use std::process::Child;
use std::sync::{Arc, Mutex};

use kubesim::SimConfig;

#[macro_use]
mod common;

use common::burst::{self, exits, wait_all, wait_one};
use common::home::{Home, exited};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;

/// Driver pods bound to a node, by (cluster index, job id).
type Drivers = Arc<Mutex<BTreeMap<(usize, String), usize>>>;

/// Three clusters (`a`, `b`, `c` on kubesim-1..3) with ample quota; `members` is the
/// launcher config's `fleet:` list body and `policy` its `fleetPolicy`.
async fn fleet(mode: Mode, name: &str, policy: &str, members: &str) -> Sandbox {
    let f = Sandbox::start(
        mode,
        &format!("fleet-{name}"),
        SimConfig {
            clusters: 3,
            quota: Some(vec![
                ("requests.cpu".into(), "1000".into()),
                ("pods".into(), "1000".into()),
            ]),
            quota_conflict_rate: Some(0.0),
            ..SimConfig::default()
        },
    )
    .await;
    f.write_config(&format!("fleetPolicy: {policy}\nfleet:\n{members}"));
    f
}

/// One launcher of the fleet's job (the usual job named `fleet`, its driver running 0.5 s).
fn spawn(f: &Sandbox, job: &str, extra: &[&str]) -> Child {
    let duration = ["--conf", "spark.kubesim.driver.durationSeconds=0.5"];
    burst::launch_named(f, "fleet", job, &[&duration[..], extra].concat())
}

/// Counts, from watches, the driver pods bound to a node per cluster and per job.
fn count_drivers(f: &Sandbox) -> Drivers {
    count_drivers_notifying(f).0
}

/// [`count_drivers`], plus the number of drivers created so far, as it changes.
fn count_drivers_notifying(f: &Sandbox) -> (Drivers, tokio::sync::watch::Receiver<usize>) {
    let seen = Arc::new(Mutex::new(BTreeMap::new()));
    let (total, total_rx) = tokio::sync::watch::channel(0usize);
    let total = Arc::new(total);
    for (i, c) in f.sim.clusters.iter().enumerate() {
        let (_, mut rx) = c
            .store
            .watch(watch::filter("pods", "spark-role=driver"), None)
            .unwrap();
        let seen = seen.clone();
        let total = total.clone();
        tokio::spawn(async move {
            // A driver counts once it is bound to a node (it may run from then on); a
            // client-mode submit pod, the driver there, may be created on a cluster that
            // never schedules it and deleted when the job moves.
            let mut bound = std::collections::BTreeSet::new();
            while let Some(ev) = rx.recv().await {
                let uid = ev["object"]["metadata"]["uid"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                if ev["object"]["spec"]["nodeName"].is_string() && bound.insert(uid) {
                    let job = ev["object"]["metadata"]["labels"]["spark-k8s-cli/job-id"]
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    *seen.lock().unwrap().entry((i, job)).or_insert(0) += 1;
                    total.send_modify(|t| *t += 1);
                }
            }
        });
    }
    (seen, total_rx)
}

/// Runs one of our commands in the fleet's sandbox; its stdout and stderr, after asserting
/// it exited 0.
fn run_ok(f: &Sandbox, args: &[&str]) -> (String, String) {
    let out = f.cli(args).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{args:?}: {stderr}");
    (stdout, stderr)
}

/// `--verbose`'s candidates in `err` have `member`'s line saying `what`.
fn assert_candidate(err: &str, member: &str, what: &str) {
    assert!(
        err.lines()
            .any(|l| l.trim_start().starts_with(&format!("{member} ")) && l.contains(what)),
        "{err}"
    );
}

const ABC: &str = "- {name: a, context: kubesim-1, weight: 1, priority: 1}\n\
                   - {name: b, context: kubesim-2, weight: 2, priority: 2}\n\
                   - {name: c, context: kubesim-3, weight: 3, priority: 3}\n";
/// The three clusters alike.
const ABC_ALIKE: &str = "- {name: a, context: kubesim-1}\n- {name: b, context: kubesim-2}\n- {name: c, context: kubesim-3}\n";
/// a first, then b.
const AB: &str =
    "- {name: a, context: kubesim-1, priority: 1}\n- {name: b, context: kubesim-2, priority: 2}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clusters_shows_health_circuits_and_headroom() {
    let f = fleet(Mode::Cluster, "table", "weighted", ABC).await;
    f.sim.clusters[0].faults.down.send_replace(true);
    let run_with_stderr = |args: &[&str]| {
        let mut all = vec!["clusters"];
        all.extend_from_slice(args);
        run_ok(&f, &all)
    };
    let run = |args: &[&str]| run_with_stderr(args).0;
    let rows: serde_json::Value = serde_json::from_str(&run(&["-o", "json"])).unwrap();
    let a = &rows[0];
    assert_eq!(a["name"], "a");
    assert!(
        a["health"].as_str().unwrap().starts_with("GET /readyz"),
        "{a}"
    );
    assert_eq!(a["circuit"], "closed", "one failure of three: {a}");
    let b = &rows[1];
    assert_eq!(
        (b["name"].as_str(), b["health"].as_str()),
        (Some("b"), Some("ok"))
    );
    assert_eq!(b["weight"], 2);
    assert_eq!(b["headroom"]["requests.cpu"], "1000");
    assert_eq!(b["headroom"]["pods"], "1000");
    assert_eq!(
        (b["running"].as_u64(), b["queued"].as_u64()),
        (Some(0), Some(0))
    );
    // Two more failed probes open a's circuit (the breaker's default threshold is 3).
    run(&[]);
    let (table, err) = run_with_stderr(&[]);
    assert!(
        err.contains("spark-k8s-cli: event circuit-opened: ")
            && err.contains("Cluster a failed 3 times in a row"),
        "{err}"
    );
    let header = table.lines().next().unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("CIRCUIT"),
        "{table}"
    );
    let a_line = table.lines().find(|l| l.starts_with("a ")).unwrap();
    assert!(a_line.contains(" open "), "{table}");
}

both_modes! {
/// The fleet's health goes through the cluster: the launcher of one host finds b down and opens
/// its circuit; the launchers of three other hosts (a HOME each: no host file shared) skip b by
/// the state kept in a Lease of the fleet's first member (a), so b's circuit opens once, and
/// its circuit-opened alert goes out once.
async fn hosts_learn_of_a_dead_cluster_once_through_the_first_member(mode: Mode) {
    let f = fleet(mode, "shared", "priority", "").await;
    let hook = common::sink::SinkServer::start(common::sink::Answer::Ok).await;
    let config = format!(
        "fleetPolicy: priority\ncircuitFailures: 1\ncircuitCoolDown: 600\n\
         fleet:\n- {{name: a, context: kubesim-1, priority: 2}}\n- {{name: b, context: kubesim-2, priority: 1}}\n\
         alertSinks:\n- {{name: hook, type: webhook, url: '{}'}}\n",
        hook.url
    );
    f.write_config(&config);
    f.sim.clusters[1].faults.down.send_replace(true);
    let err = exits(spawn(&f, "first", &["--verbose"]), 0).await;
    assert_candidate(&err, "b", "circuit open");
    let hosts: Vec<Home> = (0..3)
        .map(|i| {
            let host = Home::in_mode(mode, &format!("fleet-host{i}"));
            std::fs::copy(f.kubeconfig(), host.kubeconfig()).unwrap();
            host.write_config(&config);
            host
        })
        .collect();
    let duration = ["--conf", "spark.kubesim.driver.durationSeconds=0.5", "--verbose"];
    let children = hosts
        .iter()
        .enumerate()
        .map(|(i, h)| burst::launch_named(h, "fleet", &format!("host-{i}"), &duration))
        .collect();
    for (code, err) in wait_all(children).await {
        assert_eq!(code, Some(0), "{err}");
        assert_candidate(&err, "b", "circuit open");
    }
    let opened: Vec<_> = hook
        .bodies()
        .into_iter()
        .filter(|e| e["event"] == "circuit-opened")
        .collect();
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(opened[0]["job_id"], "first");
    // The state, in a's namespace: b's circuit open.
    let lease = watch::list(&f.sim.clusters[0], "leases", "spark-k8s-cli/fleet=state");
    let state: serde_json::Value = serde_json::from_str(
        lease[0]["metadata"]["annotations"]["spark-k8s-cli/state"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(state["members"]["b"]["circuit"]["state"], "open", "{state}");
}

async fn a_burst_spreads_over_the_fleet_by_weight(mode: Mode) {
    let f = fleet(mode, "weights", "weighted", ABC).await;
    let drivers = count_drivers(&f);
    let n = 120;
    let children: Vec<Child> = (0..n).map(|i| spawn(&f, &format!("w-{i:03}"), &[])).collect();
    for (i, (code, err)) in wait_all(children).await.into_iter().enumerate() {
        assert_eq!(code, Some(0), "job {i}:\n{err}");
    }
    let seen = drivers.lock().unwrap().clone();
    let mut per_cluster = [0usize; 3];
    for ((cluster, job), count) in &seen {
        assert_eq!(
            *count, 1,
            "job {job} has {count} drivers on cluster {cluster}"
        );
        per_cluster[*cluster] += 1;
    }
    let jobs: std::collections::BTreeSet<&String> = seen.keys().map(|(_, j)| j).collect();
    assert_eq!(
        jobs.len(),
        n,
        "every job ran once, on one cluster: {seen:?}"
    );
    println!("jobs per cluster (weights 1/2/3): {per_cluster:?}");
    for (got, weight) in per_cluster.iter().zip([1.0, 2.0, 3.0]) {
        let share = *got as f64 / n as f64;
        assert!(
            (share - weight / 6.0).abs() <= 0.05,
            "{per_cluster:?} is not within 5 points of 1/6, 2/6, 3/6"
        );
    }
}

async fn a_cluster_that_is_down_or_refuses_is_skipped_and_the_job_moves(mode: Mode) {
    let f = fleet(mode, "down", "priority", ABC).await;
    let drivers = count_drivers(&f);
    // a refuses connections: the probe finds it, the job goes to b (the next by priority).
    f.sim.clusters[0].faults.down.send_replace(true);
    let err = exits(spawn(&f, "down-1", &["--verbose"]), 0).await;
    assert_candidate(&err, "a", "unhealthy: GET /readyz");
    assert!(
        err.lines()
            .any(|l| l.trim_start().starts_with("b ") && l.ends_with("chosen")),
        "{err}"
    );
    // a is back, but refuses to create pods (RBAC): nothing was created there, so the job
    // moves to b, once, and says so.
    f.sim.clusters[0].faults.down.send_replace(false);
    std::fs::remove_file(f.dir.join(".local/state/spark-k8s-cli/fleet.json")).unwrap();
    f.sim.clusters[0]
        .access
        .set(vec![kubesim::access::AccessRule::deny(
            "create", "pods", "*",
        )]);
    let err = exits(spawn(&f, "refused-1", &[]), 0).await;
    let moves: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("spark-k8s-cli: failover: "))
        .collect();
    assert_eq!(moves.len(), 1, "{err}");
    assert!(
        moves[0].starts_with(
            "spark-k8s-cli: failover: job refused-1 from a to b: Cannot create submit pod"
        ),
        "{err}"
    );
    // The failover event (for the alerting sinks) says from where to where.
    let event: serde_json::Value = serde_json::from_str(
        err.lines()
            .find_map(|l| l.strip_prefix("spark-k8s-cli: event failover: "))
            .unwrap_or_else(|| panic!("no failover event in:\n{err}")),
    )
    .unwrap();
    assert_eq!(event["job_id"], "refused-1");
    assert_eq!(
        (event["from_cluster"].as_str(), event["to_cluster"].as_str()),
        (Some("a"), Some("b"))
    );
    let seen = drivers.lock().unwrap().clone();
    assert_eq!(
        seen.keys().cloned().collect::<Vec<_>>(),
        [(1, "down-1".to_string()), (1, "refused-1".to_string())]
    );
    // No pod of the moved job is left on a.
    let left = watch::list(&f.sim.clusters[0], "pods", "spark-k8s-cli/job-id=refused-1");
    assert!(left.is_empty(), "{left:?}");
}

async fn pins_that_name_no_cluster_fail_before_any_request(mode: Mode) {
    let f = fleet(mode, "pins", "weighted", ABC).await;
    for (extra, message) in [
        (
            vec!["--conf", "spark.k8scli.cluster=nope"],
            "cluster 'nope' is not in the fleet (it has: a, b, c)",
        ),
        (
            vec!["--master", "k8s://fleet/zz"],
            "cluster 'zz' is not in the fleet",
        ),
        (
            vec!["--conf", "spark.k8scli.clusterSelector=region=mars"],
            "no cluster of the fleet has labels matching 'region=mars'",
        ),
    ] {
        // A typo in the command line or config: a usage error that alerts nobody.
        let err = exits(spawn(&f, "pinned", &extra), 1).await;
        assert!(err.contains(message), "{err}");
        assert!(!err.contains("event submission-failed"), "{err}");
    }
    assert_eq!(f.requests(), 0, "bad pins reach no cluster");
    // A pin that names a member runs there.
    let drivers = count_drivers(&f);
    exits(spawn(&f, "to-c", &["--master", "k8s://fleet/c"]), 0).await;
    assert_eq!(
        drivers.lock().unwrap().keys().cloned().collect::<Vec<_>>(),
        [(2, "to-c".to_string())]
    );
    // `list` covers the fleet and names each job's cluster; `logs` finds the job's cluster.
    let cmd = |args: &[&str]| run_ok(&f, args).0;
    let rows: serde_json::Value = serde_json::from_str(&cmd(&["list", "-o", "json"])).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["cluster"].as_str(), rows[0]["job_id"].as_str()),
        (Some("c"), Some("to-c"))
    );
    let table = cmd(&["list"]);
    assert!(table.starts_with("CLUSTER"), "{table}");
    // `status` finds the driver on c without a --master.
    let driver = mode.driver("to-c");
    let (_, status) = run_ok(&f, &["--status", &driver]);
    assert!(
        status.contains(&format!("pod name: {driver}")) && status.contains("phase: Succeeded"),
        "{status}"
    );
    let log = cmd(&["logs", "to-c"]);
    assert!(log.contains("Submitted application: fleet"), "{log}");
    // A master that is one member's API server pins that member (b here), through the fleet.
    let master = format!("k8s://{}", f.sim.url(1));
    let err = exits(spawn(&f, "to-b", &["--verbose", "--master", &master]), 0).await;
    let said = |who: &str, verdict: &str| {
        err.lines()
            .any(|l| l.trim_start().starts_with(who) && l.ends_with(verdict))
    };
    assert!(said("a ", "the job is pinned to b"), "{err}");
    assert!(said("b ", "chosen"), "{err}");
    assert!(
        drivers
            .lock()
            .unwrap()
            .contains_key(&(1, "to-b".to_string())),
        "{:?}",
        drivers.lock().unwrap()
    );
    // `--kill` finds the driver on b without a --master and deletes it there.
    let driver = mode.driver("to-b");
    let (_, killed) = run_ok(&f, &["--kill", &driver]);
    assert!(killed.contains(&driver), "{killed}");
    assert!(
        f.sim.clusters[1]
            .store
            .get(watch::resource("pods"), "default", &driver)
            .is_err(),
        "the driver on b is gone"
    );
}

async fn chaos_every_job_runs_exactly_once_and_leaves_no_pod(mode: Mode) {
    let f = fleet(mode, "chaos", "weighted", ABC_ALIKE).await;
    // One create response in ten is lost (the pod is created, the client never hears).
    for c in &f.sim.clusters {
        c.faults.add(kubesim::faults::Rule {
            matcher: kubesim::faults::Match {
                method: Some("POST".into()),
                resource: Some("pods".into()),
                ..Default::default()
            },
            action: kubesim::faults::Action::DropResponse,
            count: None,
            rate: Some(0.1),
        });
    }
    let (drivers, mut created) = count_drivers_notifying(&f);
    let n = 100;
    let children: Vec<Child> = (0..n).map(|i| spawn(&f, &format!("x-{i:03}"), &[])).collect();
    // Midway, a goes down, and stays down until b and c have started ten more drivers without
    // it (the fleet goes on around a dead cluster); then it comes back.
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        created.wait_for(|c| *c >= n / 3),
    )
    .await
    .expect("a third of the drivers within 60 s")
    .unwrap();
    let elsewhere = |d: &Drivers| d.lock().unwrap().keys().filter(|(c, _)| *c != 0).count();
    f.sim.clusters[0].faults.down.send_replace(true);
    let before = elsewhere(&drivers);
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        created.wait_for(|_| elsewhere(&drivers) >= before + 10),
    )
    .await
    .expect("b and c go on while a is down")
    .unwrap();
    f.sim.clusters[0].faults.down.send_replace(false);
    let results = wait_all(children).await;
    let failed: Vec<String> = results
        .iter()
        .enumerate()
        .filter(|(_, (code, _))| *code != Some(0))
        .map(|(i, (code, err))| format!("x-{i:03} exited {code:?}:\n{err}"))
        .collect();
    let seen = drivers.lock().unwrap().clone();
    let mut per_job: BTreeMap<&str, usize> = BTreeMap::new();
    for ((_, job), count) in &seen {
        *per_job.entry(job.as_str()).or_default() += count;
    }
    let duplicates = per_job.values().filter(|c| **c > 1).count();
    println!(
        "chaos: {} jobs, {} failed, {} drivers, {duplicates} duplicate drivers",
        n,
        failed.len(),
        per_job.values().sum::<usize>()
    );
    assert_eq!(duplicates, 0, "{seen:?}");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert_eq!(per_job.len(), n, "every job ran");
    // Nothing of the launcher's is left running anywhere.
    for (i, c) in f.sim.clusters.iter().enumerate() {
        let left = watch::list(c, "pods", "spark-k8s-cli/job-id");
        let running: Vec<String> = left
            .iter()
            .filter(|p| !matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed")))
            .map(|p| format!("{} {}", p["metadata"]["name"], p["status"]["phase"]))
            .collect();
        assert!(running.is_empty(), "cluster {i}: {running:?}");
    }
}

async fn a_job_waiting_past_spill_after_moves_to_a_cluster_with_room(mode: Mode) {
    let f = fleet(mode, "spill", "priority", AB).await;
    f.write_config(
        &(std::fs::read_to_string(f.config_file()).unwrap()
            + "healthTtl: 0.2\nqueueSpillAfter: 1\n"),
    );
    // a has room for one job (2.5 cpu each, 2 in client mode); the hog takes it and is admitted there.
    f.sim.clusters[0]
        .store
        .create(
            watch::resource("resourcequotas"),
            "default",
            serde_json::json!({"metadata": {"name": "tight"}, "spec": {"hard": {"requests.cpu": "3"}}}),
        )
        .unwrap();
    let (drivers, mut created) = count_drivers_notifying(&f);
    let mut hog = spawn(
        &f,
        "hog",
        &[
            "--conf",
            "spark.k8scli.cluster=a",
            "--conf",
            "spark.kubesim.driver.durationSeconds=30",
        ],
    );
    created.wait_for(|c| *c >= 1).await.unwrap();
    // b is down when the next job is placed: it waits in a's queue.
    f.sim.clusters[1].faults.down.send_replace(true);
    let waiting = spawn(&f, "spill", &[]);
    watch::wait_named(&f.sim.clusters[0], "leases", "spill-ticket", |l| l.is_some()).await;
    // b comes back; past spillAfter the job finds room there and moves.
    f.sim.clusters[1].faults.down.send_replace(false);
    let err = exits(waiting, 0).await;
    assert!(
        err.lines().any(|l| l
            .starts_with("spark-k8s-cli: failover: job spill from a to b: job spill waited")
            && l.contains("(spark.k8scli.queue.spillAfter) and another cluster has room")),
        "{err}"
    );
    let seen = drivers.lock().unwrap().clone();
    assert_eq!(
        seen.keys().cloned().collect::<Vec<_>>(),
        [(0, "hog".to_string()), (1, "spill".to_string())],
        "the admitted hog stays on a; the waiting job ran on b only"
    );
    assert!(
        f.sim.clusters[0]
            .store
            .get(watch::resource("leases"), "default", "spill-ticket")
            .is_err(),
        "the place in a's queue was given up"
    );
    let _ = hog.kill();
    let _ = hog.wait();
}

async fn overrides_shape_the_job_per_cluster_and_a_lost_cluster_is_cleaned_when_back(mode: Mode) {
    // a's overrides give the submit pod more cpu than any of its nodes has, and a short
    // start-up timeout; b takes the job as configured.
    let f = fleet(
        mode,
        "lost",
        "priority",
        "- {name: a, context: kubesim-1, priority: 1, overrides: {submitCpu: \"64\", startupTimeout: 2}}\n\
         - {name: b, context: kubesim-2, priority: 2}\n",
    )
    .await;
    let drivers = count_drivers(&f);
    if mode == Mode::Client {
        // The submit pod is the driver there, sized as the driver (submitCpu sizes only a
        // cluster-mode submit pod): a's nodes are unreachable instead (tainted, so nothing is
        // scheduled there).
        let a = &f.sim.clusters[0];
        let nodes = (1..=kubesim::kubelet::KubeletConfig::default().nodes.len())
            .map(|i| format!("{}-node-{i}", a.name))
            .collect();
        a.faults.lost_nodes.send_replace(nodes);
    }
    // The submit pod on a cannot be scheduled, and a answers nothing about the driver pod
    // and takes no deletes (503), so after the start-up timeout the job can be neither read
    // back nor cleaned up there.
    for (method, name) in [(None, Some("lost-1-driver")), (Some("DELETE"), None)] {
        f.sim.clusters[0].faults.add(kubesim::faults::Rule {
            matcher: kubesim::faults::Match {
                method: method.map(str::to_string),
                resource: Some("pods".into()),
                name: name.map(str::to_string),
                ..Default::default()
            },
            action: kubesim::faults::Action::Status(503),
            count: None,
            rate: None,
        });
    }
    let job = spawn(
        &f,
        "lost-1",
        &["--conf", "spark.k8scli.failover.onUnknown=true"],
    );
    let err = exits(job, 0).await;
    assert!(
        err.lines().any(|l| l.starts_with(
            &format!("spark-k8s-cli: failover: job lost-1 from a to b: Pod {} is still unschedulable", mode.submit_pod("lost-1"))
        )),
        "{err}"
    );
    let seen = drivers.lock().unwrap().clone();
    assert_eq!(
        seen.keys().cloned().collect::<Vec<_>>(),
        [(1, "lost-1".to_string())]
    );
    // The overrides shaped a's submit pod.
    let submit_on_a = f.sim.clusters[0]
        .store
        .get(watch::resource("pods"), "default", &mode.submit_pod("lost-1"))
        .unwrap();
    assert_eq!(
        submit_on_a["spec"]["containers"][0]["resources"]["requests"]["cpu"],
        match mode {
            Mode::Cluster => "64",
            Mode::Client => "1",
        }
    );
    // a could not be read when the job moved, so its submit pod is still there; once a is
    // back, the next look at the fleet deletes it.
    f.sim.clusters[0].faults.clear();
    let state =
        std::fs::read_to_string(f.dir.join(".local/state/spark-k8s-cli/fleet.json")).unwrap();
    assert!(state.contains("\"job_id\":\"lost-1\""), "{state}");
    run_ok(&f, &["clusters"]);
    let left = watch::list(&f.sim.clusters[0], "pods", "spark-k8s-cli/job-id=lost-1");
    assert!(left.is_empty(), "{left:?}");
    let state =
        std::fs::read_to_string(f.dir.join(".local/state/spark-k8s-cli/fleet.json")).unwrap();
    assert!(!state.contains("lost-1"), "{state}");
}

/// A job's estimate takes the price of the cluster it ran on (`prices.clusters`), else the
/// default; `list` over the fleet prices each cluster's jobs alike.
async fn each_cluster_prices_its_jobs(mode: Mode) {
    let f = fleet(mode, "prices", "weighted", AB).await;
    f.write_config(&format!(
        "fleet:\n{AB}prices:\n  default: {{coreHour: 1, currency: credits}}\n  clusters:\n    b: {{coreHour: 100, gibHour: 0}}\n"
    ));
    let mut costs = BTreeMap::new();
    for (cluster, job, price) in [("a", "priced-a", 1.0), ("b", "priced-b", 100.0)] {
        let (out, _) = f
            .spark_pi()
            .master(format!("k8s://fleet/{cluster}"))
            .job(job)
            .conf("spark.executor.instances=1")
            .args(["--quiet", "-o", "json"])
            .exits(0)
            .await;
        let o: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        let cost = &o["cost"];
        let core_s = cost["total"]["core_seconds"].as_f64().unwrap();
        assert!(core_s > 0.0, "{o}");
        let amount = cost["estimated"]["amount"].as_f64().unwrap();
        assert!((amount - core_s * price / 3600.0).abs() < 1e-5, "{o}");
        assert_eq!(cost["estimated"]["currency"], if cluster == "a" { serde_json::json!("credits") } else { serde_json::Value::Null }, "{o}");
        costs.insert(job.to_string(), cost.clone());
    }
    let (out, _) = exited(&f.cli(&["list", "-o", "json"]).output().unwrap(), 0);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    for row in rows.as_array().unwrap() {
        let job = row["job_id"].as_str().unwrap();
        assert_eq!(&row["cost"], &costs[job], "{rows}");
    }
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
}

/// With only a fleet config (its members name their kubeconfig; no KUBECONFIG, no
/// ~/.kube/config), `queue`, `status JOB` and `kill JOB` find the job's cluster.
async fn commands_work_from_a_fleet_only_config(mode: Mode) {
    let f = fleet(mode, "fleet-only", "weighted", ABC).await;
    let kc = f.kubeconfig();
    let kc = kc.display();
    f.write_config(&format!(
        "fleet:\n\
         - {{name: a, kubeconfig: {kc}, context: kubesim-1}}\n\
         - {{name: b, kubeconfig: {kc}, context: kubesim-2}}\n"
    ));
    let job = spawn(
        &f,
        "fo-1",
        &[
            "--master",
            "k8s://fleet/b",
            "--conf",
            "spark.kubesim.driver.durationSeconds=600",
        ],
    );
    watch::wait_running(&f.sim.clusters[1], &mode.driver("fo-1")).await;
    // Runs one of our commands; asserts its exit code; its stdout and stderr.
    let cli = |args: &[&str], code: i32| {
        exited(&f.cli(args).env_remove("KUBECONFIG").output().unwrap(), code)
    };
    let (out, _) = cli(&["queue", "-o", "json"], 0);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["job_id"] == "fo-1")
        .unwrap_or_else(|| panic!("{rows}"));
    assert_eq!(row["cluster"], "b", "{rows}");
    let (out, _) = cli(&["queue", "--master", "k8s://fleet/a"], 0);
    assert!(!out.contains("fo-1"), "{out}");
    let (_, err) = cli(&["queue", "--master", "k8s://fleet/zz"], 1);
    assert!(err.contains("names no cluster of the fleet"), "{err}");
    let (_, err) = cli(&["status", "fo-1"], 0);
    assert!(
        err.contains(&format!("pod name: {}", mode.driver("fo-1"))),
        "{err}"
    );
    assert!(err.contains("phase: Running"), "{err}");
    let (_, err) = cli(&["kill", "fo-1"], 0);
    assert!(
        err.contains(&format!("spark-k8s-cli: deleted pod {}", mode.driver("fo-1"))),
        "{err}"
    );
    let (code, err) = wait_one(job).await;
    assert_ne!(code, Some(0), "{err}");
}
}
