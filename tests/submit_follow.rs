//! Submit and follow, through the real binary against kubesim: exit codes and status lines,
//! fail-fast start-up failures, quota-lock storms and 503s, SIGTERM clean-up, re-attach, and the
//! API requests one job costs.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use std::process::{Child, Command, Output};
use std::time::Duration;

use common::home::{Home, SparkPi, assert_holds, exited, finish, homeless, output, text};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;
use kubesim::SimConfig;
use serde_json::{Value, json};

/// The job of these tests: SparkPi named `pi`, one executor, a driver that runs 0.3 s.
fn pi(env: &Sandbox) -> SparkPi<'_> {
    env.spark_pi()
        .name("pi")
        .conf("spark.executor.instances=1")
        .driver_seconds(0.3)
}

/// Kubesim whose namespace `default` has a pod quota: every pod create takes the quota's lock
/// (the conflicts these tests cause are on it).
async fn with_pod_quota(mode: Mode, name: &str) -> Sandbox {
    let config = SimConfig {
        quota: Some(vec![("pods".into(), "100".into())]),
        ..SimConfig::default()
    };
    Sandbox::start(mode, name, config).await
}

/// Kubesim serving TLS (a CA of its own, named in the kubeconfig).
async fn over_tls(name: &str) -> Sandbox {
    let config = SimConfig {
        tls: true,
        ..SimConfig::default()
    };
    Sandbox::start(Mode::Cluster, name, config).await
}

/// Sends `signal` (`-TERM`, `-INT`) to a launcher, which must end with exit `code`.
async fn signalled(child: Child, signal: &str, code: i32) {
    let pid = child.id().to_string();
    Command::new("kill").args([signal, &pid]).status().unwrap();
    let out = finish(child).await;
    assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
}

/// Runs `job` (job id `id`), which must fail with exit 1 and `message` before creating a pod.
async fn refused(env: &Sandbox, id: &str, job: SparkPi<'_>, message: &str) {
    let (_, err) = job.job(id).exits(1).await;
    assert!(err.contains(message), "{err}");
    assert!(env.pods(&format!("spark-k8s-cli/job-id={id}")).is_empty());
}

/// Starts `job` with job id `id` and waits (on a watch) until its driver runs.
async fn started(env: &Sandbox, id: &str, job: SparkPi<'_>) -> Child {
    let child = job.job(id).spawn();
    env.wait_running(id, "driver").await;
    child
}

fn phase(p: &Value) -> &str {
    p.pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("")
}

both_modes! {
async fn a_succeeding_and_a_failing_driver(mode: Mode) {
    let env = Sandbox::start(mode, "exit", SimConfig::default()).await;
    let (out, err) = pi(&env).job("pi-ok").exits(0).await;
    if mode == Mode::Cluster {
        // What Airflow's SparkSubmitHook looks for.
        assert!(
            out.lines()
                .any(|l| l.trim_start() == "pod name: pi-ok-driver"),
            "{out}"
        );
        assert!(out.contains("spark-app-selector -> spark-"), "{out}");
        assert!(out.lines().any(|l| l.trim() == "exit code: 0"), "{out}");
    }
    // The driver's own log follows the submit pod's (in client mode it is the submit pod's).
    assert!(
        out.contains("SparkContext: Successfully stopped SparkContext"),
        "{out}"
    );
    assert!(
        err.contains(&format!("driver {} ended", env.driver("pi-ok"))),
        "{err}"
    );

    let (out, err) = pi(&env)
        .job("pi-bad")
        .conf("spark.kubesim.driver.exitCode=2")
        .exits(2)
        .await;
    if mode == Mode::Cluster {
        assert!(out.lines().any(|l| l.trim() == "exit code: 2"), "{out}");
    }
    assert!(err.contains("Exit code: 2"), "{err}");
    // The driver failed: that is the alert, never a failed submission.
    assert!(err.contains("event driver-failed: "), "{err}");
    assert!(!err.contains("submission-failed"), "{err}");
    // Completed submit pods are removed; the drivers stay, as Spark leaves them.
    let left: Vec<String> = env
        .pods("spark-k8s-cli/job-id")
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .filter(|n| !n.contains("-exec-"))
        .collect();
    assert_eq!(left, vec![env.driver("pi-bad"), env.driver("pi-ok")]);
    // `list` shows both jobs with their drivers' phases, never "Submitting".
    let list = output(env.cli(&["list", "-o", "json"])).await;
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let phases: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["driver"].as_str().unwrap(), r["phase"].as_str().unwrap()))
        .collect();
    let (bad, ok) = (env.driver("pi-bad"), env.driver("pi-ok"));
    let mut want = vec![(bad.as_str(), "Failed"), (ok.as_str(), "Succeeded")];
    let mut got = phases.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{}", text(&list.stderr));
}
}

both_modes! {
async fn start_up_failures_fail_fast_with_the_cause(mode: Mode) {
    let env = Sandbox::start(mode, "startup", SimConfig::default()).await;
    // A missing image, and a driver no node has room for: each named with its cause and
    // what the pod's events say.
    for (job, confs, cause, events) in [
        (
            "pull",
            &["spark.kubernetes.driver.container.image=registry.local/does-not-exist:1"][..],
            "cannot start: ErrImagePull",
            "Failed",
        ),
        (
            "huge",
            &["spark.k8scli.startupTimeout=1", "spark.driver.cores=500"],
            "is still unschedulable after 1 s",
            "Insufficient cpu",
        ),
    ] {
        let confs = confs.iter().flat_map(|c| ["--conf", c]);
        let (_, err) = pi(&env).job(job).args(confs).exits(4).await;
        let named = format!("Pod {} {cause}", env.driver(job));
        assert!(err.contains(&named), "{err}");
        assert!(err.contains(events), "the pod's events: {err}");
    }
    // Nothing of either job is left.
    assert!(env.pods("spark-k8s-cli/job-id in (pull,huge)").is_empty());
}
}

both_modes! {
async fn quota_lock_storm_and_503_bursts_start_every_job_once(mode: Mode) {
    let env = with_pod_quota(mode, "storm").await;
    let faults = &env.sim.clusters[0].faults;
    for rule in [
        json!({"action": "quotaConflict", "method": "POST", "resource": "pods", "rate": 0.3}),
        json!({"action": "status", "code": 503, "method": "POST", "resource": "pods", "count": 3}),
        json!({"action": "status", "code": 429, "method": "POST", "resource": "pods", "count": 2}),
    ] {
        faults.add(kubesim::faults::Faults::rule_from_json(&rule).unwrap());
    }
    let jobs: Vec<_> = (1..=4)
        .map(|i| pi(&env).job(&format!("storm-{i}")).spawn())
        .collect();
    let outs = tokio::task::spawn_blocking(move || {
        jobs.into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let mut retried = 0;
    for o in &outs {
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{}\n{err}", text(&o.stdout));
        retried += err.matches("retrying").count();
    }
    assert!(retried > 0, "the storm caused retries");
    for i in 1..=4 {
        let drivers = env.pods(&format!("spark-k8s-cli/job-id=storm-{i},spark-role=driver"));
        assert_eq!(drivers.len(), 1, "one driver for storm-{i}");
    }
}
}

both_modes! {
async fn sigterm_while_running_deletes_the_job(mode: Mode) {
    let env = Sandbox::start(mode, "sigterm", SimConfig::default()).await;
    let child = started(&env, "term", pi(&env).driver_seconds(60.0)).await;
    signalled(child, "-TERM", 143).await;
    // No pod of the job remains (submit, driver, executors).
    env.wait_gone("spark-k8s-cli/job-id=term").await;
}
}

both_modes! {
async fn a_rerun_with_the_same_job_id_attaches(mode: Mode) {
    let env = Sandbox::start(mode, "attach", SimConfig::default()).await;
    let job = pi(&env).job("again").driver_seconds(2.0);
    let first = job.spawn();
    env.wait_running("again", "driver").await;
    let second = job.run().await;
    let (_, err) = exited(&second, 0);
    assert!(
        err.contains(&format!("has submit pod {} already; following it", mode.submit_pod("again"))),
        "{err}"
    );
    let first = finish(first).await;
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(
        env.pods("spark-k8s-cli/job-id=again,spark-role=driver")
            .len(),
        1
    );
}
}

both_modes! {
async fn one_job_costs_a_bounded_number_of_requests(mode: Mode) {
    let env = Sandbox::start(mode, "economy", SimConfig::default()).await;
    let before = env.sim.clusters[0].counters();
    let out = pi(&env).job("cheap").driver_seconds(1.0).run().await;
    assert_eq!(out.status.code(), Some(0));
    let after = env.sim.clusters[0].counters();
    // The launcher's own requests (in-cluster Spark's are counted apart).
    let mut requests = 0;
    let mut streams = 0;
    let mut lines = Vec::new();
    for (k, v) in &after {
        let n = v - before.get(k).copied().unwrap_or(0);
        if n == 0 || k.ends_with("(in-cluster)") {
            continue;
        }
        lines.push(format!("  {k}: {n}"));
        if k.starts_with("watch ") {
            streams += n;
        } else {
            requests += n;
        }
    }
    println!(
        "one job: {requests} requests + {streams} watches\n{}",
        lines.join("\n")
    );
    assert!(requests <= 15, "{requests} requests:\n{}", lines.join("\n"));
    assert!(streams <= 2, "{streams} watches:\n{}", lines.join("\n"));
}
}

both_modes! {
async fn a_cut_watch_and_a_lost_create_response_do_not_lose_the_job(mode: Mode) {
    let env = Sandbox::start(mode, "cut", SimConfig::default()).await;
    // The submit pod's create takes effect but its response never arrives.
    env.sim.clusters[0].faults.add(
        kubesim::faults::Faults::rule_from_json(
            &json!({"action": "drop", "method": "POST", "resource": "pods", "count": 1}),
        )
        .unwrap(),
    );
    let job = pi(&env)
        .driver_seconds(1.0)
        .conf("spark.kubesim.driver.exitCode=5");
    let child = started(&env, "cut", job).await;
    // Every open watch ends mid-job; the launcher resumes from its last resourceVersion.
    env.sim.clusters[0]
        .faults
        .cut_watches
        .send_modify(|n| *n += 1);
    let out = finish(child).await;
    let (_, err) = exited(&out, 5);
    assert!(err.contains("Exit code: 5"), "{err}");
    // The lost response was retried, and the retry found the pod the first create made.
    assert!(
        err.contains("create submit pod: transient API error (attempt 1)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("has submit pod {} already; following it", mode.submit_pod("cut"))),
        "{err}"
    );
    assert_eq!(
        env.pods("spark-k8s-cli/job-id=cut,spark-role=driver").len(),
        1
    );
}
}

both_modes! {
async fn sigkill_then_deleting_the_driver_leaves_nothing(mode: Mode) {
    let env = Sandbox::start(mode, "airflow-kill", SimConfig::default()).await;
    let mut child = pi(&env).job("killed").driver_seconds(60.0).spawn();
    // Once the driver exists the submit pod is owned by it (in client mode it is the driver).
    if mode == Mode::Cluster {
        env.wait_pod("spark-k8s-cli/job-id=killed", |p| {
            p["metadata"]["name"] == "killed-submit"
                && p.pointer("/metadata/ownerReferences/0/name")
                    == Some(&json!("killed-job-driver"))
        })
        .await;
    }
    env.wait_running("killed", "executor").await;
    // What Airflow's on_kill does: SIGKILL the launcher, then delete the driver pod.
    child.kill().unwrap();
    let _ = child.wait();
    env.sim.clusters[0]
        .store
        .delete(watch::resource("pods"), "default", &env.driver("killed"), None)
        .unwrap();
    env.wait_gone("spark-k8s-cli/job-id=killed").await;
}
}

both_modes! {
async fn sigterm_while_pending_deletes_the_job(mode: Mode) {
    let env = Sandbox::start(mode, "pending", SimConfig::default()).await;
    let child = pi(&env).job("stuck").conf("spark.driver.cores=500").spawn();
    env.wait_pod("spark-k8s-cli/job-id=stuck,spark-role=driver", |p| {
        p.pointer("/status/conditions/0/reason") == Some(&json!("Unschedulable"))
    })
    .await;
    signalled(child, "-INT", 130).await;
    env.wait_gone("spark-k8s-cli/job-id=stuck").await;
}
}

both_modes! {
async fn status_and_kill_by_submission_id(mode: Mode) {
    let env = Sandbox::start(mode, "ops", SimConfig::default()).await;
    let job = started(&env, "ops-1", pi(&env).driver_seconds(60.0)).await;
    let master = format!("k8s://{}", env.sim.url(0));
    let run = |args: &[&str]| env.cli(args).args(["--master", &master]).output().unwrap();
    let driver = env.driver("ops-1");
    let status = run(&["--status", &format!("default:{driver}")]);
    let (_, err) = exited(&status, 0);
    assert_holds(
        &err,
        &[
            format!("Submitting a request for the status of submission default:{driver} in {master}."),
            format!("Application status (driver): \n\t pod name: {driver}\n\t namespace: default"),
            "\n\t phase: Running\n".to_string(),
        ],
    );
    let missing = run(&["--status", "nope-driver"]);
    assert!(text(&missing.stderr).ends_with("Application not found.\n"));
    // Spark 4's K8sSubmitOps (KillApplication.executeOnPod) says so for a kill too.
    let missing = run(&["--kill", "nope-driver"]);
    assert_eq!(missing.status.code(), Some(0));
    assert!(
        text(&missing.stderr).ends_with(&format!(
            "Submitting a request to kill submission nope-driver in {master}. Grace period in secs: not set.\nApplication not found.\n"
        )),
        "{}",
        text(&missing.stderr)
    );
    let kill = run(&["--kill", "default:ops-*"]);
    let (_, err) = exited(&kill, 0);
    assert!(err.contains("Grace period in secs: not set."), "{err}");
    assert!(
        err.contains(&format!("Deleting driver pod: {driver}.\n")),
        "{err}"
    );
    // The launcher that followed the job sees its driver end, not succeed.
    let out = finish(job).await;
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
    env.wait_gone("spark-k8s-cli/job-id=ops-1").await;
}
}

both_modes! {
async fn list_logs_and_kill_by_job_id(mode: Mode) {
    let env = Sandbox::start(mode, "jobs", SimConfig::default()).await;
    let done = pi(&env).job("jobs-done").args(["--queue", "etl"]).run().await;
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    let running = started(&env, "jobs-run", pi(&env).driver_seconds(60.0)).await;
    let cli = |args: &[&str]| env.cli(args).output().unwrap();
    let table = text(&cli(&["list"]).stdout);
    let rows: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "JOB", "ID", "APP", "QUEUE", "DRIVER", "PHASE", "LAUNCHER", "CREATED"
        ],
        "{table}"
    );
    // A job that ended needs no launcher; a running one has its launcher (a live ticket).
    let (done, run) = (env.driver("jobs-done"), env.driver("jobs-run"));
    let want = [
        ["jobs-done", "pi", "etl", &done, "Succeeded", "-"],
        ["jobs-run", "pi", "default", &run, "Running", "alive"],
    ];
    for (i, want) in want.iter().enumerate() {
        assert_eq!(rows[i + 1][..6], want[..], "{table}");
    }
    let json: Value =
        serde_json::from_slice(&cli(&["list", "--queue", "etl", "-o", "json"]).stdout).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert_eq!(json[0]["job_id"], "jobs-done");
    let log = text(&cli(&["logs", "jobs-done"]).stdout);
    assert!(
        log.contains("SparkContext: Successfully stopped SparkContext"),
        "{log}"
    );
    let bad = cli(&["logs"]);
    assert_eq!(bad.status.code(), Some(1));
    // `kill JOB-ID` removes the job's pods; its launcher sees the driver end.
    let kill = cli(&["kill", "jobs-run"]);
    let said = text(&kill.stderr);
    assert_eq!(kill.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("spark-k8s-cli: deleted pod {}", env.driver("jobs-run"))),
        "{said}"
    );
    let out = finish(running).await;
    assert_ne!(out.status.code(), Some(0));
    env.wait_gone("spark-k8s-cli/job-id=jobs-run").await;
}
}

both_modes! {
async fn sigterm_while_creating_catches_the_late_pod(mode: Mode) {
    let env = Sandbox::start(mode, "creating", SimConfig::default()).await;
    // The submit pod's create is held for a second on the server.
    env.sim.clusters[0].faults.add(
        kubesim::faults::Faults::rule_from_json(
            &json!({"action": "latency", "ms": 1000, "method": "POST", "resource": "pods", "count": 1}),
        )
        .unwrap(),
    );
    let (_, mut added) = env.sim.clusters[0]
        .store
        .watch(watch::filter("pods", "spark-k8s-cli/job-id=creating"), None)
        .unwrap();
    let cluster = env.sim.clusters[0].clone();
    let mut requests = cluster.requests.subscribe();
    let child = pi(&env).job("creating").spawn();
    // Signal the launcher while its submit-pod create is held on the server.
    requests
        .wait_for(|_| {
            cluster
                .counters()
                .get("create pods")
                .is_some_and(|n| *n >= 1)
        })
        .await
        .unwrap();
    signalled(child, "-TERM", 143).await;
    // The held create lands after the signal; the launcher deletes what it made.
    let ev = tokio::time::timeout(Duration::from_secs(30), added.recv())
        .await
        .expect("the held create lands")
        .unwrap();
    assert_eq!(ev["type"], "ADDED");
    env.wait_gone("spark-k8s-cli/job-id=creating").await;
}
}

both_modes! {
/// A launcher SIGKILLed while its submit pod waits for a node leaves the pod, the job's Secret
/// and its ticket: `status` shows the submit pod, `kill` deletes all of it and says so.
async fn kill_after_the_launcher_died_while_pending_deletes_every_object(mode: Mode) {
    let env = with_pod_quota(mode, "orphan").await;
    // Too big for any node: the submit pod (the driver, in client mode) stays Pending.
    let mut child = pi(&env)
        .job("orphan")
        .conf("spark.k8scli.submitCpu=500")
        .conf("spark.driver.cores=500")
        .conf("spark.hadoop.fs.s3a.secret.key=not-printed")
        .spawn();
    let pod = mode.submit_pod("orphan");
    env.wait_pod("spark-k8s-cli/job-id=orphan", |p| {
        p["metadata"]["name"] == pod.as_str()
            && p.pointer("/status/conditions/0/reason") == Some(&json!("Unschedulable"))
    })
    .await;
    // The launcher gives the job's Secret to the submit pod: deleting the pod takes the Secret
    // with it (the garbage collector), and `kill` names it all the same (CI saw it missing).
    watch::wait_object(&env.sim.clusters[0], "secrets", "spark-k8s-cli/job-id=orphan", |s| {
        s["metadata"]["name"] == "orphan-conf"
            && s.pointer("/metadata/ownerReferences/0/name") == Some(&json!(pod))
    })
    .await;
    child.kill().unwrap();
    let _ = child.wait();
    let cli = |args: &[&str]| env.cli(args).output().unwrap();
    let status = cli(&["status", "orphan"]);
    let said = text(&status.stderr);
    assert!(said.contains(&format!("pod name: {pod}")), "{said}");
    assert!(said.contains("phase: Pending"), "{said}");
    let kill = cli(&["kill", "orphan"]);
    let said = text(&kill.stderr);
    assert_eq!(kill.status.code(), Some(0), "{said}");
    for object in [
        &*format!("pod {pod}"),
        "secret orphan-conf",
        "ticket orphan-ticket",
    ] {
        assert!(
            said.contains(&format!("spark-k8s-cli: deleted {object}\n")),
            "{object}: {said}"
        );
    }
    env.wait_gone("spark-k8s-cli/job-id=orphan").await;
    let left = |res: &str| {
        watch::list(&env.sim.clusters[0], res, "")
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap_or("").to_string())
            .filter(|n| n.contains("orphan"))
            .collect::<Vec<_>>()
    };
    assert_eq!(left("secrets"), Vec::<String>::new());
    assert_eq!(left("leases"), Vec::<String>::new());
    // Nothing more to find.
    let again = cli(&["kill", "orphan"]);
    assert!(
        text(&again.stderr).ends_with("Application not found.\n"),
        "{}",
        text(&again.stderr)
    );
}
}

both_modes! {
/// The launcher loses its view of the cluster while the job runs; meanwhile its driver is
/// deleted and the server compacts its history (the launcher's resourceVersion is then too old: 410, a relist). A pod
/// missing from that list is gone: the driver's end without an exit code (exit 1).
async fn a_driver_deleted_while_the_cluster_was_away_ends_the_job(mode: Mode) {
    let env = Sandbox::start(
        mode,
        "away",
        SimConfig {
            history_limit: 5,
            ..SimConfig::default()
        },
    )
    .await;
    let child = started(&env, "away", pi(&env).driver_seconds(600.0)).await;
    let cluster = env.sim.clusters[0].clone();
    // The launcher loses its view: its pod reads answer 503 and its watch is cut. Waiting
    // for its next watch request (refused) proves it holds no open watch any more.
    cluster.faults.add(
        kubesim::faults::Faults::rule_from_json(
            &json!({"action": "status", "code": 503, "method": "GET", "resource": "pods", "rate": 1.0}),
        )
        .unwrap(),
    );
    let watches = || cluster.counters().get("watch pods").copied().unwrap_or(0);
    let before = watches();
    let mut requests = cluster.requests.subscribe();
    cluster.faults.cut_watches.send_modify(|n| *n += 1);
    requests.wait_for(|_| watches() > before).await.unwrap();
    cluster
        .store
        .delete(watch::resource("pods"), "default", &env.driver("away"), None)
        .unwrap();
    env.wait_gone("spark-k8s-cli/job-id=away,spark-role=driver").await;
    // Enough other changes that the history no longer reaches the launcher's last version.
    for i in 0..10 {
        cluster
            .store
            .create(
                watch::resource("configmaps"),
                "default",
                json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("churn-{i}")}}),
            )
            .unwrap();
    }
    cluster.faults.clear();
    let out = finish(child).await;
    let (_, err) = exited(&out, 1);
    let ended = format!("driver {} ended without an exit code", env.driver("away"));
    assert!(err.contains(&ended), "{err}");
    assert!(err.contains("event driver-failed: "), "{err}");
}

/// The cluster never comes back: the job ends after clusterLostTimeout with its own exit code
/// and alert, and says so once per backoff step.
async fn a_cluster_gone_for_good_ends_the_job_after_its_timeout(mode: Mode) {
    let env = Sandbox::start(mode, "gone", SimConfig::default()).await;
    let job = pi(&env)
        .driver_seconds(600.0)
        .conf("spark.k8scli.clusterLostTimeout=3s");
    let child = started(&env, "gone", job).await;
    env.sim.clusters[0].faults.down.send_replace(true);
    let out = finish(child).await;
    let (_, err) = exited(&out, 7);
    assert!(
        err.contains("no answer for 3 s (spark.k8scli.clusterLostTimeout)"),
        "{err}"
    );
    assert!(err.contains("event cluster-lost: "), "{err}");
    // 0.8, 1.6 s (jittered) of backoff within 3 s: a handful of lines, not one per request.
    let tries = err.matches("cannot reach the cluster").count();
    assert!((1..=5).contains(&tries), "{tries} lines:\n{err}");
    assert!(!err.contains("ERROR kube_client"), "{err}");
}

/// The cluster is away for less than clusterLostTimeout, then the job's pods stay quiet for
/// longer than it: the launcher knows the cluster answers again (a resumed watch says nothing
/// until something changes; it lists the pods again) and follows the job to its end.
///
/// The outage is one refused request and the first backoff step (0.8 s, jittered) plus
/// however long a loaded machine takes to run the retry: 2 s of timeout was overrun once with
/// the machine's load average at 63, so the timeout leaves 5 s for it, and the driver stays
/// quiet for longer than that after it.
async fn a_cluster_back_in_time_keeps_following_a_quiet_job(mode: Mode) {
    let env = Sandbox::start(mode, "back", SimConfig::default()).await;
    let child = pi(&env)
        .job("back")
        .driver_seconds(12.0)
        .conf("spark.k8scli.clusterLostTimeout=5s")
        .spawn();
    // Driver and executor running: nothing of the job changes until the driver ends.
    for role in ["driver", "executor"] {
        env.wait_running("back", role).await;
    }
    let cluster = env.sim.clusters[0].clone();
    // Its watch is cut and the next one refused (503, once): the clock of clusterLostTimeout
    // runs; the request after that is answered.
    cluster.faults.add(
        kubesim::faults::Faults::rule_from_json(
            &json!({"action": "status", "code": 503, "method": "GET", "resource": "pods", "count": 1}),
        )
        .unwrap(),
    );
    cluster.faults.cut_watches.send_modify(|n| *n += 1);
    let out = finish(child).await;
    let (_, err) = exited(&out, 0);
    assert!(err.contains("job back: cannot reach the cluster"), "{err}");
    assert!(err.contains("job back: the cluster answers again after"), "{err}");
    assert!(!err.contains("event cluster-lost"), "{err}");
}
}

/// Typos found before any request (a kubeconfig that is not there, a fleet that is not
/// configured) are usage errors: exit 1, naming what is wrong, and no alert.
#[test]
fn configuration_typos_exit_1_and_alert_nobody() {
    let home = Home::new("typos");
    let run = |extra: &[&str], kubeconfig: &str| {
        let out = home
            .spark_pi()
            .args(extra)
            .command()
            .env("KUBECONFIG", kubeconfig)
            .output()
            .unwrap();
        (out.status.code(), text(&out.stderr))
    };
    let (code, err) = run(&[], "/nonexistent/kubeconfig");
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("Kubeconfig /nonexistent/kubeconfig (from KUBECONFIG) does not exist"),
        "{err}"
    );
    assert!(!err.contains("event "), "{err}");
    let (code, err) = run(&["--master", "k8s://fleet/nope"], "/nonexistent/kubeconfig");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no fleet is configured"), "{err}");
    assert!(!err.contains("event "), "{err}");
}

/// Our own commands' help never reaches a cluster; an id that looks like an option is refused.
#[test]
fn kill_and_status_help_and_option_looking_ids() {
    for (args, code, stream_has) in [
        (&["kill", "--help"][..], 0, "Usage: spark-k8s-cli kill"),
        (&["kill", "-h"][..], 0, "Usage: spark-k8s-cli kill"),
        (&["status", "--help"][..], 0, "Usage: spark-k8s-cli status"),
        (&["kill", "--master"][..], 1, "not the option --master"),
        (&["status"][..], 1, "status takes a job id"),
    ] {
        // No kubeconfig at all: any request would fail differently.
        let out = homeless(args);
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(code), "{args:?}: {all}");
        assert!(all.contains(stream_has), "{args:?}: {all}");
        assert!(!all.contains("Submitting a request"), "{args:?}: {all}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_waiting_for_completion_the_launcher_returns_once_the_driver_runs() {
    let env = Sandbox::start(Mode::Cluster, "nowait", SimConfig::default()).await;
    let out = pi(&env)
        .job("nowait")
        .conf("spark.kubernetes.submission.waitAppCompletion=false")
        .driver_seconds(60.0)
        .run()
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The driver goes on; the finished submit pod is gone.
    let pods = env.pods("spark-k8s-cli/job-id=nowait,spark-role=driver");
    assert_eq!(pods.len(), 1);
    assert_eq!(phase(&pods[0]), "Running");
    assert!(
        env.pods("spark-k8s-cli/job-id=nowait,!spark-role")
            .is_empty()
    );
    // No launcher follows it any more, and `list` says so.
    let list = env.cli(&["list", "-o", "json"]).output().unwrap();
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(
        (rows[0]["job_id"].as_str(), rows[0]["launcher"].as_str()),
        (Some("nowait"), Some("gone")),
        "{rows}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_with_the_kubeconfigs_ca_and_token() {
    let env = over_tls("tls").await;
    let (_, err) = pi(&env).job("tls-1").exits(0).await;
    assert!(err.contains("on https://127.0.0.1:"), "{err}");
}

/// A connection that cannot work: the job's API server, its kubeconfig, and what the error
/// must name (the cause and the kubeconfig's context).
struct Unreachable<'a> {
    server: &'a str,
    kubeconfig: &'a std::path::Path,
    cause: &'a str,
    context: &'a str,
}

/// Runs job `job` over `to`: it fails in a bounded time with exit 3, its last `Error:` line
/// naming the server, the cause and the context (never the quota), and no line per attempt
/// from the HTTP client underneath. Its stderr.
async fn fails_to_connect(env: &Sandbox, job: &str, to: Unreachable<'_>) -> String {
    let mut c = pi(env)
        .master(format!("k8s://{}", to.server))
        .job(job)
        .command();
    c.env("KUBECONFIG", to.kubeconfig);
    let started = std::time::Instant::now();
    let out = output(c).await;
    let took = started.elapsed();
    println!("{}: exit {:?} after {took:?}", to.cause, out.status.code());
    let (_, err) = exited(&out, 3);
    let last = err
        .lines()
        .rfind(|l| l.starts_with("Error: "))
        .unwrap_or("");
    assert!(last.contains(to.server) && last.contains(to.cause), "{err}");
    assert!(last.contains(&format!("(context {})", to.context)), "{err}");
    assert!(!last.contains("quota"), "{err}");
    assert!(took < Duration::from_secs(20), "{took:?}\n{err}");
    assert!(!err.contains("kube_client"), "{err}");
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_port_fails_within_seconds_naming_the_server_and_the_cause() {
    let env = Sandbox::start(Mode::Cluster, "dead-port", SimConfig::default()).await;
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("http://127.0.0.1:{port}");
    let kubeconfig = env.write(
        "dead-kubeconfig",
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster: {{server: '{server}'}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: dead\n  context: {{cluster: dead, user: u, namespace: default}}\ncurrent-context: dead\n"
        ),
    );
    // A short bounded retry (spark-submit gives up in about 6 s), one line per step.
    let to = Unreachable {
        server: &server,
        kubeconfig: &kubeconfig,
        cause: "connection refused",
        context: "dead",
    };
    fails_to_connect(&env, "dead-1", to).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_that_did_not_sign_the_servers_certificate_fails_at_once() {
    let env = over_tls("wrong-ca").await;
    // The kubeconfig trusts another CA than the one that signed the server's certificate.
    let ca = |pem: &str| kubesim::validate::base64(pem.as_bytes());
    let other = kubesim::tls::Tls::generate().unwrap().ca_pem;
    let served = env.sim.ca_pem.clone().unwrap();
    let text_of = env.sim.kubeconfig();
    assert!(text_of.contains(&ca(&served)));
    let kubeconfig = env.write(
        "wrong-ca-kubeconfig",
        text_of.replace(&ca(&served), &ca(&other)),
    );
    let server = env.sim.url(0);
    let to = Unreachable {
        server: &server,
        kubeconfig: &kubeconfig,
        cause: "certificate signed by an unknown authority",
        context: "kubesim-1",
    };
    let err = fails_to_connect(&env, "wrong-ca-1", to).await;
    // Permanent: not retried.
    assert!(!err.contains("retrying"), "{err}");
    assert!(env.pods("spark-k8s-cli/job-id").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_follows_the_attempts_and_goes_with_the_job() {
    let env = with_pod_quota(Mode::Cluster, "secret").await;
    // The in-pod spark-submit loses the quota lock once: the launcher starts a second submit pod.
    env.sim.clusters[0].faults.add(
        kubesim::faults::Faults::rule_from_json(&json!({"action": "quotaConflict",
            "method": "POST", "resource": "pods", "origin": "in-cluster", "count": 1}))
        .unwrap(),
    );
    let out = pi(&env)
        .job("sec-1")
        .conf("spark.hadoop.fs.s3a.secret.key=hunter2")
        .run()
        .await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}\n{err}", text(&out.stdout));
    assert!(
        err.contains("in-pod submission failed: quota-lock conflict (attempt 1)"),
        "{err}"
    );
    assert!(!err.contains("hunter2") && !text(&out.stdout).contains("hunter2"));
    // The secret and every submit pod are gone (owned, then garbage-collected).
    let left = watch::list(
        &env.sim.clusters[0],
        "secrets",
        "spark-k8s-cli/job-id=sec-1",
    );
    assert!(left.is_empty(), "{left:#?}");
    assert!(
        env.pods("spark-k8s-cli/job-id=sec-1,!spark-role")
            .is_empty()
    );
}

/// The bytes of a test file: varied, so a lost or reordered block changes the checksum.
fn file_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// How the in-pod spark-submit names a shipped file of `--files` (no upload path): `file:` in
/// client mode, so SparkContext.addFile serves it; `local:` in cluster mode, where a `file:`
/// one would be uploaded.
fn shipped_uri(mode: Mode, name: &str) -> String {
    match mode {
        Mode::Client => format!("file:///opt/spark-k8scli/deps/{name}"),
        Mode::Cluster => format!("local:///opt/spark-k8scli/deps/{name}"),
    }
}

/// Writes `len` bytes of [`file_bytes`] to `path` in the sandbox; the bytes.
fn data_file(env: &Sandbox, path: &str, len: usize, seed: u64) -> Vec<u8> {
    let data = file_bytes(len, seed);
    env.write(path, &data);
    data
}

fn dependency_line(uri_part: &str, bytes: &[u8]) -> String {
    format!(
        "{uri_part}: {} bytes, fnv1a64 {:016x}",
        bytes.len(),
        kubesim::files::fnv1a64(bytes)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_local_jar_is_streamed_into_the_submit_pod_and_uploaded() {
    let env = Sandbox::start(Mode::Cluster, "bigjar", SimConfig::default()).await;
    let jar = file_bytes(50 * 1024 * 1024, 7);
    let path = env.write("big-app.jar", &jar);
    let (stdout, _) = pi(&env)
        .job("bigjar-1")
        .conf("spark.kubernetes.file.upload.path=s3a://bucket/uploads")
        .class("org.example.Big")
        .resource(&path)
        .exits_saying(
            0,
            "sending 1 local file(s), 52428800 bytes, to bigjar-1-submit",
        )
        .await;
    // The in-pod spark-submit found it where the argv points and uploaded it.
    assert!(
        stdout.contains(
            "Uploading file: /opt/spark-k8scli/deps/big-app.jar to dest: s3a://bucket/uploads/spark-upload-"
        ),
        "{stdout}"
    );
    // The driver received every byte.
    assert!(
        stdout.contains(&dependency_line("/big-app.jar", &jar)),
        "{stdout}"
    );
    assert!(
        stdout.contains("Added JAR s3a://bucket/uploads/spark-upload-"),
        "{stdout}"
    );
    env.wait_gone("spark-k8s-cli/job-id=bigjar-1,!spark-role")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_py_file_and_its_py_files_zip_reach_the_driver_in_a_secret() {
    let env = Sandbox::start(Mode::Cluster, "pyfiles", SimConfig::default()).await;
    let app = b"from helpers import run\nrun()\n".to_vec();
    let zip = file_bytes(40 * 1024, 11);
    env.write("app.py", &app);
    env.write("helpers.zip", &zip);
    let (stdout, _) = pi(&env)
        .no_class()
        .job("py-1")
        .args(["--py-files", "helpers.zip"])
        .resource("app.py")
        .exits(0)
        .await;
    assert!(
        stdout.contains(&dependency_line(
            "local:///opt/spark-k8scli/deps/app.py",
            &app
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&dependency_line(
            "local:///opt/spark-k8scli/deps/helpers.zip",
            &zip
        )),
        "{stdout}"
    );
    // The files' Secret lives as long as the driver (executors mount it) and goes with it.
    env.wait_gone("spark-k8s-cli/job-id=py-1,!spark-role").await;
    let cluster = &env.sim.clusters[0];
    let secret = cluster
        .store
        .get(watch::resource("secrets"), "default", "py-1-deps")
        .unwrap();
    let owners: Vec<&str> = secret["metadata"]["ownerReferences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert!(owners.contains(&"py-1-driver"), "{owners:?}");
    cluster
        .store
        .delete(watch::resource("pods"), "default", "py-1-driver", None)
        .unwrap();
    // The files' secret is garbage-collected with the driver.
    watch::wait_named(cluster, "secrets", "py-1-deps", |s| s.is_none()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_unshippable_local_files_fail_before_anything_is_created() {
    let env = Sandbox::start(Mode::Cluster, "nofile", SimConfig::default()).await;
    let (_, err) = pi(&env)
        .no_class()
        .args(["--jars", "/nonexistent/lib.jar"])
        .resource("app.py")
        .exits(1)
        .await;
    assert!(
        err.contains("Local file(s) not found: app.py (the primary resource)"),
        "{err}"
    );
    assert!(err.contains("; /nonexistent/lib.jar (--jars): "), "{err}");
    // Too big for a Secret and no upload path.
    let big = env.write("big.jar", file_bytes(1024 * 1024, 3));
    pi(&env)
        .class("A")
        .resource(&big)
        .exits_saying(1, "spark.kubernetes.file.upload.path is not set")
        .await;
    let creates: u64 = env.sim.clusters[0]
        .counters()
        .iter()
        .filter(|(k, _)| k.starts_with("create"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(creates, 0, "{:?}", env.sim.clusters[0].counters());
}

/// The in-pod spark-submit's job line as the launcher would write it for this job, but
/// without shipping anything: give it the options and resource of the case.
fn in_pod(env: &Sandbox) -> SparkPi<'_> {
    env.spark_pi()
        .program("/opt/spark/bin/spark-submit")
        .master("k8s://https://kubernetes.default.svc")
        .name("pi")
        .conf("spark.kubernetes.namespace=default")
        .driver_seconds(0.3)
}

/// The submit pod as the launcher made it before it shipped a file: the in-pod spark-submit
/// gets the submitting machine's path unchanged ([`in_pod`]'s `job`). Runs it in kubesim and
/// returns its exit code and log, after checking that it created no driver (it failed before
/// anything).
async fn unshipped(env: &Sandbox, name: &str, job: SparkPi<'_>) -> (i64, String) {
    let mut command = vec!["/opt/spark/bin/spark-submit".to_string()];
    command.extend(job.argv());
    let cluster = &env.sim.clusters[0];
    cluster
        .store
        .create(
            watch::resource("pods"),
            "default",
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "labels": {"unshipped": name}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "spark-submit",
                    "image": "apache/spark:4.0.0", "command": command}]}}),
        )
        .unwrap();
    let pod = watch::wait_ended(cluster, name, watch::WAIT).await;
    let code = pod
        .pointer("/status/containerStatuses/0/state/terminated/exitCode")
        .and_then(Value::as_i64)
        .unwrap_or(-1);
    let log = watch::log(cluster, name, "spark-submit");
    // (The launcher's own jobs carry their job id; this pod's driver would not.)
    let drivers: Vec<String> = env
        .pods("spark-role=driver,!spark-k8s-cli/job-id")
        .iter()
        .filter_map(|p| p["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    assert!(drivers.is_empty(), "{drivers:?}");
    (code, log.join("\n"))
}

/// Runs the launcher while watching for a pod of `selector` that satisfies `pred` (executors
/// come and go within the run).
async fn run_and_see(
    env: &Sandbox,
    job: SparkPi<'_>,
    selector: &str,
    pred: impl Fn(&Value) -> bool,
) -> (Output, Value) {
    let child = job.spawn();
    let (seen, out) = tokio::join!(env.wait_pod(selector, pred), finish(child));
    (out, seen)
}

fn label<'a>(p: &'a Value, key: &str) -> &'a str {
    p.pointer(&format!("/metadata/labels/{}", key.replace('/', "~1")))
        .and_then(Value::as_str)
        .unwrap_or("")
}

both_modes! {
/// spark.kubernetes.{driver,executor}.podTemplateFile naming files on this machine: spark-submit
/// in the submit pod reads them (KubernetesUtils.loadPodFromTemplate, PodTemplateConfigMapStep),
/// so they are shipped and the properties rewritten to their path there.
async fn local_pod_template_files_reach_the_submit_pod(mode: Mode) {
    let env = Sandbox::start(mode, "tpl", SimConfig::default()).await;
    let job = mode.tag("tpl");
    env.write(
        "templates/driver.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: from-driver-template\n",
    );
    let exec = env.write(
        "exec.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: from-executor-template\n",
    );
    let driver_conf = "spark.kubernetes.driver.podTemplateFile=templates/driver.yaml";
    let exec_conf = format!(
        "spark.kubernetes.executor.podTemplateFile={}",
        exec.to_str().unwrap()
    );
    let (out, executor) = run_and_see(
        &env,
        pi(&env).job(&job).conf(driver_conf).conf(&exec_conf),
        &format!("spark-k8s-cli/job-id={job},spark-role=executor"),
        |_| true,
    )
    .await;
    exited(&out, 0);
    assert_eq!(label(&executor, "team"), "from-executor-template", "{executor:#}");
    if mode == Mode::Cluster {
        let driver = &env.pods(&format!("spark-k8s-cli/job-id={job},spark-role=driver"))[0];
        assert_eq!(label(driver, "team"), "from-driver-template", "{driver:#}");
    }

    // Without shipping, spark-submit in the pod meets the submitting machine's path and fails
    // as Spark fails, before creating a driver (client mode reads only the executor template:
    // no driver pod is built from a template there).
    let missing = env.dir.join("templates/driver.yaml");
    let conf = match mode {
        Mode::Cluster => format!(
            "spark.kubernetes.driver.podTemplateFile={}",
            missing.to_str().unwrap()
        ),
        Mode::Client => format!(
            "spark.kubernetes.executor.podTemplateFile={}",
            missing.to_str().unwrap()
        ),
    };
    let (code, log) = unshipped(&env, &format!("{job}-unshipped"), in_pod(&env).conf(&conf)).await;
    assert_eq!(code, 1, "{log}");
    assert_holds(
        &log,
        &[
            "org.apache.spark.SparkException: Could not load pod from template file.".to_string(),
            format!(
                "java.io.FileNotFoundException: {} (No such file or directory)",
                missing.to_str().unwrap()
            ),
        ],
    );
}
}

both_modes! {
/// --keytab with --principal: the keytab is shipped (never printed), spark-submit gets its path
/// in the submit pod, and the driver logs in with it (cluster mode: from the Secret
/// KerberosConfDriverFeatureStep makes).
async fn a_local_keytab_reaches_spark_submit_and_the_driver(mode: Mode) {
    let env = Sandbox::start(mode, "keytab", SimConfig::default()).await;
    let job = mode.tag("kt");
    let mut keytab = b"KEYTAB-SECRET-MATERIAL".to_vec();
    keytab.extend(file_bytes(300, 5));
    env.write("etl.keytab", &keytab);
    let (stdout, err) = pi(&env)
        .job(&job)
        .args([
            "--principal",
            "etl@EXAMPLE.COM",
            "--keytab",
            "etl.keytab",
            "--verbose",
        ])
        .exits(0)
        .await;
    let in_driver = match mode {
        Mode::Cluster => "/mnt/secrets/kerberos-keytab/etl.keytab",
        Mode::Client => "/opt/spark-k8scli/deps/etl.keytab",
    };
    assert!(
        stdout.contains(&format!("kubesim: keytab {}", dependency_line(in_driver, &keytab))),
        "{stdout}"
    );
    assert!(!stdout.contains("KEYTAB-SECRET") && !err.contains("KEYTAB-SECRET"));

    let missing = env.dir.join("etl.keytab");
    let (code, log) = unshipped(
        &env,
        &format!("{job}-unshipped"),
        in_pod(&env).args([
            "--principal",
            "etl@EXAMPLE.COM",
            "--keytab",
            missing.to_str().unwrap(),
        ]),
    )
    .await;
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!(
            "java.lang.IllegalArgumentException: requirement failed: Keytab file: {} does not exist",
            missing.to_str().unwrap()
        )),
        "{log}"
    );
}
}

/// A jar whose manifest names `main`, or has no Main-Class.
fn jar_with_main(main: Option<&str>) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("META-INF/MANIFEST.MF", opts).unwrap();
    let manifest = match main {
        Some(m) => format!("Manifest-Version: 1.0\r\nMain-Class: {m}\r\n\r\n"),
        None => "Manifest-Version: 1.0\r\n\r\n".into(),
    };
    w.write_all(manifest.as_bytes()).unwrap();
    w.start_file("org/example/App.class", opts).unwrap();
    w.write_all(&file_bytes(2000, 9)).unwrap();
    w.finish().unwrap();
    out.into_inner()
}

both_modes! {
/// A local application jar without --class: Main-Class comes from its manifest, as
/// SparkSubmit.prepareSubmitEnvironment reads it; spark-submit in the pod could not (the jar is
/// a local:// file there, which Hadoop cannot open).
async fn main_class_comes_from_a_local_jars_manifest(mode: Mode) {
    let env = Sandbox::start(mode, "manifest", SimConfig::default()).await;
    let job = mode.tag("mf");
    env.write("app.jar", jar_with_main(Some("org.example.FromManifest")));
    pi(&env).no_class().job(&job).resource("app.jar").exits(0).await;
    let driver = &env.pods(&format!("spark-k8s-cli/job-id={job},spark-role=driver"))[0];
    let argv: Vec<&str> = driver
        .pointer(match mode {
            Mode::Cluster => "/spec/containers/0/args",
            Mode::Client => "/spec/containers/0/command",
        })
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let at = argv.iter().position(|a| *a == "--class").expect("--class");
    assert_eq!(argv[at + 1], "org.example.FromManifest", "{argv:?}");

    // The in-pod spark-submit, given the shipped jar without --class, fails as Spark does.
    let (code, log) = unshipped(
        &env,
        &format!("{job}-unshipped"),
        in_pod(&env)
            .no_class()
            .resource("local:///opt/spark-k8scli/deps/app.jar"),
    )
    .await;
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("org.apache.spark.SparkException: Failed to get main class in JAR with error 'No FileSystem for scheme \"local\"'.  Please specify one with --class."), "{log}");

    // No Main-Class and no --class: Spark's error, nothing created.
    env.write("plain.jar", jar_with_main(None));
    refused(
        &env,
        &format!("{job}-2"),
        pi(&env).no_class().resource("plain.jar"),
        "Error: No main class set in JAR; please specify one with --class.",
    )
    .await;
}
}

both_modes! {
/// Local globs in --files are expanded as resolveGlobPaths does: each matching file is shipped;
/// a pattern that matches nothing is left out (Spark drops it too; we say so); a #name that
/// matches several files is Spark's error, before anything exists.
async fn local_globs_are_expanded_and_each_file_shipped(mode: Mode) {
    let env = Sandbox::start(mode, "glob", SimConfig::default()).await;
    let job = mode.tag("glob");
    let a = file_bytes(1000, 21);
    let b = file_bytes(2000, 22);
    let a_path = env.write("data/a.csv", &a);
    let b_path = env.write("data/b.csv", &b);
    env.write("data/c.txt", b"not me");
    let (stdout, err) = pi(&env)
        .job(&job)
        .args(["--files", "data/*.csv,none/*.json"])
        .exits(0)
        .await;
    for (name, bytes) in [("a.csv", &a), ("b.csv", &b)] {
        assert!(
            stdout.contains(&dependency_line(&shipped_uri(mode, name), bytes)),
            "{stdout}"
        );
    }
    assert!(!stdout.contains("c.txt"), "{stdout}");
    assert!(
        err.contains("none/*.json (spark.files) matches no file; it is left out, as spark-submit leaves it out."),
        "{err}"
    );

    refused(
        &env,
        &format!("{job}-2"),
        pi(&env).args(["--archives", "data/*.csv#input"]),
        "Error: data/*.csv resolves ambiguously to multiple files: data/a.csv,data/b.csv",
    )
    .await;

    // Without shipping, spark-submit in the pod gets what the glob names on this machine, and
    // fails as Spark fails: cluster mode uploads a plain path (KubernetesUtils.uploadFileUri:
    // no upload path is its error, an upload path meets a file that is not there), client
    // mode's SparkContext.addFile looks the file up on the pod's disk.
    let (a_path, b_path) = (a_path.to_str().unwrap(), b_path.to_str().unwrap());
    let matched = format!("{a_path},{b_path}");
    let cases: Vec<(&str, Vec<&str>, Vec<String>)> = match mode {
        Mode::Cluster => vec![
            (
                "noupload",
                vec![],
                vec!["org.apache.spark.SparkException: Please specify spark.kubernetes.file.upload.path property.".into()],
            ),
            (
                "upload",
                vec!["--conf", "spark.kubernetes.file.upload.path=s3a://bucket/uploads"],
                vec![
                    format!("org.apache.spark.SparkException: Uploading file {a_path} failed..."),
                    format!("java.io.FileNotFoundException: File file:{a_path} does not exist"),
                ],
            ),
        ],
        Mode::Client => vec![(
            "addfile",
            vec![],
            vec![
                "ERROR SparkContext: Error initializing SparkContext.".into(),
                format!("java.io.FileNotFoundException: File file:{a_path} does not exist"),
            ],
        )],
    };
    for (case, extra, expected) in cases {
        let (code, log) = unshipped(
            &env,
            &format!("{job}-unshipped-{case}"),
            in_pod(&env).args(["--files", matched.as_str()]).args(extra),
        )
        .await;
        assert_eq!(code, 1, "{case}: {log}");
        for e in &expected {
            assert!(log.contains(e.as_str()), "{case}: {e}\n{log}");
        }
    }
}
}

both_modes! {
/// Local paths named in a --properties-file are settings like any other: shipped and
/// rewritten. spark-submit in the pod gets no properties file (every property travels as
/// --conf); given one that is not there it fails as Spark's launcher does.
async fn local_paths_in_a_properties_file_are_shipped(mode: Mode) {
    let env = Sandbox::start(mode, "props", SimConfig::default()).await;
    let job = mode.tag("props");
    let data = data_file(&env, "lookup.bin", 500, 31);
    env.write(
        "exec.yaml",
        "metadata:\n  labels:\n    team: from-properties-file\n",
    );
    env.write(
        "job.conf",
        "spark.files=lookup.bin\nspark.kubernetes.executor.podTemplateFile=exec.yaml\n",
    );
    let (out, executor) = run_and_see(
        &env,
        pi(&env)
            .job(&job)
            .args(["--properties-file", "job.conf"]),
        &format!("spark-k8s-cli/job-id={job},spark-role=executor"),
        |_| true,
    )
    .await;
    let (stdout, _) = exited(&out, 0);
    assert!(
        stdout.contains(&dependency_line(&shipped_uri(mode, "lookup.bin"), &data)),
        "{stdout}"
    );
    assert_eq!(label(&executor, "team"), "from-properties-file", "{executor:#}");

    let missing = env.dir.join("job.conf");
    let (code, log) = unshipped(
        &env,
        &format!("{job}-unshipped"),
        in_pod(&env).args(["--properties-file", missing.to_str().unwrap()]),
    )
    .await;
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(&format!("Error: Invalid properties file '{}'.", missing.to_str().unwrap())),
        "{log}"
    );
}
}

both_modes! {
/// Two jobs of one --name in one namespace at once: executor names carry Spark's random part
/// (KubernetesConf.getResourceNamePrefix), so neither job's executors collide.
async fn two_jobs_with_one_name_get_their_own_executors(mode: Mode) {
    let env = Sandbox::start(mode, "twins", SimConfig::default()).await;
    let jobs = [mode.tag("twin-a"), mode.tag("twin-b")];
    let children: Vec<Child> = jobs
        .iter()
        .map(|j| pi(&env).job(j).driver_seconds(2.0).spawn())
        .collect();
    let selectors: Vec<String> = jobs
        .iter()
        .map(|j| format!("spark-k8s-cli/job-id={j},spark-role=executor"))
        .collect();
    let (a, b, outs) = tokio::join!(
        env.wait_pod(&selectors[0], |_| true),
        env.wait_pod(&selectors[1], |_| true),
        futures::future::join_all(children.into_iter().map(finish))
    );
    let names: Vec<String> = [a, b]
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    for o in &outs {
        assert_eq!(o.status.code(), Some(0), "{}\n{}", text(&o.stdout), text(&o.stderr));
    }
    assert_ne!(names[0], names[1]);
    for n in &names {
        let id = n
            .strip_prefix("pi-")
            .and_then(|r| r.strip_suffix("-exec-1"))
            .unwrap_or_else(|| panic!("{n}"));
        assert_eq!(id.len(), 16, "{n}");
    }
}
}

both_modes! {
/// A setting that does not read fails before any request, in each of its three spellings:
/// Spark-style `Error:` naming the setting, the value and the form it takes; exit 1; the API
/// server sees nothing.
async fn a_bad_setting_fails_before_any_request_in_every_spelling(mode: Mode) {
    let env = Sandbox::start(mode, "badsetting", SimConfig::default()).await;
    let config = env.write("launcher.yaml", "queueTimeout: abc\n");
    let config = config.to_str().unwrap().to_string();
    let by_conf = pi(&env).conf("spark.k8scli.queueTimeout=abc").command();
    let mut by_env = pi(&env).command();
    by_env.env("SPARK_K8S_CLI_QUEUE_TIMEOUT", "abc");
    let by_file = pi(&env).args(["--launcher-config", &config]).command();
    let before = env.sim.clusters[0].counters();
    for (spelling, command, from) in [
        ("--conf", by_conf, "spark.k8scli.queueTimeout"),
        ("env", by_env, "environment SPARK_K8S_CLI_QUEUE_TIMEOUT"),
        ("YAML", by_file, "launcher config"),
    ] {
        let out = output(command).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{spelling}: {err}");
        assert!(err.starts_with("Error: "), "{spelling}: {err}");
        for part in [
            "'abc'",
            "launcher setting queueTimeout",
            from,
            "write seconds (3, 0.5) or a number with a unit",
        ] {
            assert!(err.contains(part), "{spelling}: no {part:?} in {err}");
        }
        assert_eq!(
            env.sim.clusters[0].counters(),
            before,
            "{spelling}: a request reached the API server"
        );
    }
    assert!(env.pods("").is_empty());
}
}

both_modes! {
/// `--files a.csv` works through `SparkFiles.get("a.csv")` on the driver and the executors, as
/// with a plain spark-submit: in client mode the in-pod spark-submit gets the shipped file as
/// `file:` (SparkContext.addFile skips `local:` files); in cluster mode, with an upload path,
/// spark-submit uploads it and the driver registers the download. Cluster mode without an
/// upload path keeps `local:` (nothing to upload to): the file is on every pod's disk and in
/// the driver's working directory, but SparkFiles does not find it, as in Spark.
async fn shipped_files_are_found_through_sparkfiles(mode: Mode) {
    let env = Sandbox::start(mode, "sparkfiles", SimConfig::default()).await;
    let job = mode.tag("sparkfiles");
    let data = data_file(&env, "a.csv", 3000, 41);
    let run = |job: String, upload: bool| {
        let mut job = pi(&env)
            .job(&job)
            .conf("spark.kubesim.driver.sparkFiles=a.csv")
            .args(["--files", "a.csv"]);
        if upload {
            job = job.conf("spark.kubernetes.file.upload.path=s3a://bucket/up");
        }
        output(job.command())
    };
    let out = run(job.clone(), mode == Mode::Cluster).await;
    let (stdout, _) = exited(&out, 0);
    let got = stdout
        .lines()
        .find(|l| l.contains("kubesim: SparkFiles.get(a.csv): "))
        .unwrap_or_else(|| panic!("no SparkFiles line in {stdout}"));
    assert!(got.contains("/userFiles-"), "{got}");
    assert!(got.ends_with(&dependency_line("/a.csv", &data)), "{got}");
    assert!(!stdout.contains("File with 'local' scheme"), "{stdout}");

    if mode == Mode::Cluster {
        // No upload path: the file stays local: and SparkFiles.get names a missing file.
        let out = run(format!("{job}-2"), false).await;
        let (stdout, err) = (text(&out.stdout), text(&out.stderr));
        assert_ne!(out.status.code(), Some(0), "{stdout}\n{err}");
        assert!(
            stdout.contains("File with 'local' scheme local:///opt/spark-k8scli/deps/a.csv is not supported to add to file server"),
            "{stdout}"
        );
        assert!(stdout.contains("/a.csv (No such file or directory)"), "{stdout}");
    }
}
}
