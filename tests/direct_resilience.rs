//! Direct mode keeps the launcher's guarantees (issue 21: "follow, queue, fleet, alerts and
//! cleanup stay as they are: one pinned driver name, never two drivers"), through the real
//! binary against kubesim: a re-run follows the driver it finds; a launcher killed between the
//! driver's create and its ConfigMap's leaves a driver that waits (FailedMount) until a re-run
//! gives it its own ConfigMap back; a ConfigMap refused for good takes the driver with it (as
//! Spark's `Client.run` deletes it); lost responses, quota-lock conflicts and 503s on the
//! driver's create are retried to exactly one driver; the queue admits on the driver's share
//! only; a fleet moves a refused job before any driver exists; a signal leaves nothing behind.
//!
//! Direct mode is cluster mode only (client mode goes through a submit pod, `tests/direct_mode.rs`),
//! so every test here is a cluster-mode one.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use std::process::Child;

use common::burst::{self, observe, wait_all};
use common::home::{SparkPi, assert_holds, exited, finish};
use common::mode::Mode;
use common::sandbox::{Sandbox, apply, with_rbac};
use common::watch::{self, WAIT};
use kubesim::SimConfig;
use kubesim::cluster::Cluster;
use kubesim::faults::{Action, Match, Rule};
use serde_json::Value;

/// A secret property: it makes the job's Secret (`<job>-conf`), which must go with the driver.
const PASSWORD: &str = "spark.db.password=direct-resilience";

/// The usual job in direct mode (Spark 4.3: its driver has a NetworkPolicy too), one executor,
/// a secret property, its driver running `seconds`.
fn job<'a>(env: &'a Sandbox, id: &str, seconds: f64) -> SparkPi<'a> {
    let image = "spark.kubernetes.container.image=apache/spark:4.3.0";
    let settings = ["spark.k8scli.submitMode=direct", image, PASSWORD];
    settings
        .iter()
        .fold(env.spark_pi().job(id), |j, c| j.conf(c))
        .conf("spark.executor.instances=1")
        .driver_seconds(seconds)
}

/// The creates of `default`'s pods and Services from now on (a watch's ADDED events each).
struct Creates {
    pods: Events,
    services: Events,
    /// What was read from `services` so far.
    services_seen: Vec<Value>,
}

type Events = tokio::sync::mpsc::UnboundedReceiver<std::sync::Arc<kubesim::store::WatchEvent>>;

fn added(rx: &mut Events) -> Vec<Value> {
    std::iter::from_fn(|| rx.try_recv().ok())
        .filter(|ev| ev.kind == "ADDED")
        .map(|ev| Value::clone(&ev.object))
        .collect()
}

impl Creates {
    fn on(cluster: &Cluster) -> Creates {
        let open = |plural| {
            cluster
                .store
                .watch(watch::filter(plural, ""), None)
                .unwrap()
                .1
        };
        Creates {
            pods: open("pods"),
            services: open("services"),
            services_seen: Vec::new(),
        }
    }

    /// How many times pod `name` was created since the last call.
    fn pod(&mut self, name: &str) -> usize {
        let pods = added(&mut self.pods);
        pods.iter()
            .filter(|p| p["metadata"]["name"] == name)
            .count()
    }

    /// How many Services of driver `driver` were created so far (its Service goes when it
    /// ends: Spark's driver deletes it, as kubesim's does).
    fn services_of(&mut self, driver: &str) -> usize {
        let new = added(&mut self.services);
        self.services_seen.extend(new);
        let owner = |s: &&Value| s["metadata"]["ownerReferences"][0]["name"] == driver;
        self.services_seen.iter().filter(owner).count()
    }

    /// Asserts that `driver` was created once, and has one of each object Spark makes for it.
    fn one_driver(&mut self, cluster: &Cluster, driver: &str) {
        assert_eq!(self.pod(driver), 1, "one driver {driver}, ever");
        assert_eq!(self.services_of(driver), 1, "one Service of {driver}");
        for plural in ["networkpolicies", "configmaps", "secrets"] {
            let found = owned_by(cluster, plural, driver);
            assert_eq!(found.len(), 1, "{plural} of {driver}: {found:#?}");
        }
    }
}

/// The objects of `plural` in `default` owned by pod `owner`.
fn owned_by(cluster: &Cluster, plural: &str, owner: &str) -> Vec<Value> {
    watch::list(cluster, plural, "")
        .into_iter()
        .filter(|o| {
            let refs = o["metadata"]["ownerReferences"].as_array();
            refs.into_iter()
                .flatten()
                .any(|r| r["kind"] == "Pod" && r["name"] == owner)
        })
        .collect()
}

/// Asserts that nothing of job `id` is left in `default`: no pod, and none of the objects
/// Spark makes for a driver (each owned by it) nor the job's Secret.
async fn nothing_left(env: &Sandbox, id: &str) {
    env.wait_gone(&format!("spark-k8s-cli/job-id={id}")).await;
    let cluster = &env.sim.clusters[0];
    let driver = env.driver(id);
    for plural in [
        "services",
        "networkpolicies",
        "configmaps",
        "secrets",
        "leases",
    ] {
        let named = |o: &Value| o["metadata"]["name"].as_str().unwrap_or("").starts_with(id);
        let mut left: Vec<Value> = watch::list(cluster, plural, "")
            .into_iter()
            .filter(named)
            .collect();
        left.extend(owned_by(cluster, plural, &driver));
        assert!(left.is_empty(), "{plural} of {id} left: {left:#?}");
    }
}

/// Waits (on the cluster's request counter, a watch channel) until it has served `n` requests
/// `key` (`patch configmaps`).
async fn wait_requests(cluster: &Cluster, key: &str, n: u64) {
    let mut changed = cluster.requests.subscribe();
    let seen = || cluster.counters().get(key).copied().unwrap_or(0) >= n;
    let reached = tokio::time::timeout(WAIT, async {
        while !seen() {
            changed.changed().await.expect("kubesim runs");
        }
    })
    .await;
    assert!(reached.is_ok(), "no {n} {key} within {} s", WAIT.as_secs());
}

/// The next `count` client requests `method` on `resource` suffer `action`.
fn fault(cluster: &Cluster, method: &str, resource: &str, action: Action, count: u32) {
    cluster.faults.add(Rule {
        matcher: Match {
            method: Some(method.into()),
            resource: Some(resource.into()),
            ..Match::default()
        },
        action,
        count: Some(count),
        rate: None,
    });
}

fn signal(child: &Child, name: &str) {
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args([name, &pid])
        .status();
    assert!(sent.is_ok_and(|s| s.success()), "kill {name} {pid}");
}

/// A re-run of a job whose driver runs follows that driver (no second one), to its exit code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_follows_the_running_driver() {
    let env = Sandbox::start(Mode::Cluster, "direct-rerun", SimConfig::default()).await;
    let cluster = &env.sim.clusters[0];
    let mut creates = Creates::on(cluster);
    let run = job(&env, "d-rerun", 3.0).conf("spark.kubesim.driver.exitCode=3");
    let first = run.spawn();
    env.wait_running("d-rerun", "driver").await;
    let (_, err) = run.exits(3).await;
    let driver = env.driver("d-rerun");
    assert_holds(
        &err,
        &[
            format!("job d-rerun has its driver pod already; following it: driver pod {driver}"),
            format!("driver {driver} ended (Error): Exit code: 3"),
        ],
    );
    assert!(!err.contains("submitted directly"), "{err}");
    exited(&finish(first).await, 3);
    creates.one_driver(cluster, &driver);
}

/// A launcher SIGKILLed after the driver's create and before its ConfigMap exists: the driver
/// waits for its conf volume as the kubelet makes it wait (`FailedMount`: the volume manager
/// cannot mount a ConfigMap that does not exist, pkg/kubelet/volumemanager; kubesim's
/// `kubelet::missing_config`), and the job's re-run gives it its own ConfigMap (the name its
/// volume mounts, its app id) and completes; still one driver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_completes_the_driver_of_a_killed_launcher() {
    // As the launcher's Role of `spark-k8s-cli rbac` allows, no more.
    let token = "direct-killed-token";
    let rbac = with_rbac(token, spark_k8s_cli::plan::rbac::LAUNCHER_ACCOUNT);
    let env = Sandbox::start(Mode::Cluster, "direct-killed", rbac).await;
    let cluster = &env.sim.clusters[0];
    apply(cluster, &spark_k8s_cli::plan::rbac::manifests("default"));
    std::fs::write(env.kubeconfig(), env.sim.kubeconfig_with_token(token)).unwrap();
    let mut creates = Creates::on(cluster);
    // The first ConfigMap apply is never answered: the launcher is killed while it waits.
    fault(cluster, "PATCH", "configmaps", Action::Hang, 1);
    let account = spark_k8s_cli::plan::rbac::SUBMIT_ACCOUNT;
    let run = job(&env, "d-killed", 0.3).conf(&format!(
        "spark.kubernetes.authenticate.driver.serviceAccountName={account}"
    ));
    let mut first = run.spawn();
    wait_requests(cluster, "patch configmaps", 1).await;
    first.kill().unwrap();
    let _ = first.wait();
    let driver_name = env.driver("d-killed");
    let driver = env
        .wait_pod("spark-k8s-cli/job-id=d-killed", |p| {
            p["metadata"]["name"] == driver_name.as_str()
        })
        .await;
    let volume = driver["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|v| v["configMap"]["name"].as_str())
        .expect("the conf volume")
        .to_string();
    let app_id = driver["metadata"]["labels"]["spark-app-selector"].clone();
    let failed_mount = watch::wait_object(cluster, "events", "", |e| {
        e["reason"] == "FailedMount" && e["involvedObject"]["name"] == driver_name.as_str()
    })
    .await;
    let message = failed_mount["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("configmap \"{volume}\" not found")),
        "{message}"
    );
    assert!(watch::list(cluster, "configmaps", "").is_empty());
    // Its Service was made before the ConfigMap, as `Client.run` orders them.
    let service = owned_by(cluster, "services", &driver_name);
    let service = service[0]["metadata"]["name"].as_str().unwrap().to_string();

    let (_, err) = run.exits(0).await;
    assert_holds(
        &err,
        &["job d-killed has its driver pod already; following it"],
    );
    let cm = &owned_by(cluster, "configmaps", &driver_name)[0];
    assert_eq!(cm["metadata"]["name"], volume.as_str());
    let props = cm["data"]["spark.properties"].as_str().unwrap_or_default();
    assert!(
        props.contains(&format!("spark.app.id={}", app_id.as_str().unwrap())),
        "{props}"
    );
    // The driver's host is the Service it has, not a second one.
    let host = format!("spark.driver.host={service}.default.svc");
    assert!(props.contains(&host), "{props}");
    creates.one_driver(cluster, &driver_name);
}

/// A ConfigMap the cluster refuses for good: the launcher deletes the driver it just made (as
/// Spark's `Client.run` does when a resource after the pod fails: `KubernetesClientApplication`,
/// `kubernetesClient.resource(createdDriverPod).delete()`), says so, and leaves nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_config_map_takes_the_driver_with_it() {
    let env = Sandbox::start(Mode::Cluster, "direct-refused", SimConfig::default()).await;
    let cluster = &env.sim.clusters[0];
    cluster.access.set(vec![kubesim::access::AccessRule::deny(
        "patch",
        "configmaps",
        "*",
    )]);
    let (_, err) = job(&env, "d-refused", 0.3).exits(3).await;
    let driver = env.driver("d-refused");
    assert_holds(
        &err,
        &[
            "Cannot create the driver's config map in default",
            &format!("driver pod {driver} deleted"),
        ],
    );
    nothing_left(&env, "d-refused").await;
}

/// Direct jobs on a quota with room for two of them (a driver and an executor each, no submit
/// pod: `Demand::without_submit_pod`): six drain in FIFO order, two at a time, none failed for
/// quota, the quota never over its hard limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_burst_waits_its_turn_on_the_drivers_share_only() {
    // Room for two direct jobs (2 cpu each), not for two of pod mode's (2.5 each).
    let room = [("requests.cpu", "4"), ("pods", "100")];
    let env = burst::sandbox(Mode::Cluster, "direct-burst", &room).await;
    let seen = observe(&env);
    let direct = [
        "--conf",
        "spark.k8scli.submitMode=direct",
        "--conf",
        "spark.kubesim.driver.durationSeconds=1",
    ];
    let children: Vec<Child> = (0..6)
        .map(|i| burst::launch(&env, &format!("d-burst-{i}"), &direct))
        .collect();
    for (i, (code, err)) in wait_all(children).await.into_iter().enumerate() {
        assert_eq!(code, Some(0), "job {i}:\n{err}");
        assert!(err.contains("submitted directly"), "job {i}:\n{err}");
        assert!(!err.contains("back to the queue"), "job {i}:\n{err}");
    }
    let violations = seen.fifo_violations();
    let m = seen.0.lock().unwrap();
    let order = |t: &Vec<(String, String)>| {
        let mut t = t.clone();
        t.sort();
        t.into_iter().map(|(_, job)| job).collect::<Vec<_>>()
    };
    let (enqueued, admitted) = (order(&m.enqueued), &m.admitted);
    assert_eq!(
        violations, 0,
        "enqueued {enqueued:?}, admitted {admitted:?}"
    );
    assert_eq!(m.admitted.len(), 6);
    assert_eq!(m.max_total, 2, "two drivers at once, no more, no fewer");
    assert!(
        m.max_used_cpu <= m.hard_cpu,
        "{} > {}",
        m.max_used_cpu,
        m.hard_cpu
    );
    let pods = env.pods("");
    assert!(pods.iter().all(|p| {
        !p["metadata"]["name"]
            .as_str()
            .unwrap_or("")
            .ends_with("-submit")
    }));
}

/// The driver's create meets a lost response, quota-lock conflicts, 503s: each is retried (a
/// lost create read back by its pinned name), and the job has one driver, which owns its
/// Secret and the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_troubled_driver_create_makes_one_driver() {
    let quota = SimConfig {
        quota: Some(vec![("pods".into(), "100".into())]),
        quota_conflict_rate: Some(0.0),
        ..SimConfig::default()
    };
    let env = Sandbox::start(Mode::Cluster, "direct-faults", quota).await;
    let cluster = &env.sim.clusters[0];
    let mut creates = Creates::on(cluster);
    for (id, action, count, retried) in [
        (
            "d-lost",
            Action::DropResponse,
            1,
            "transient API error (attempt 1)",
        ),
        (
            "d-conflict",
            Action::QuotaConflict,
            2,
            "quota-lock conflict (attempt 2)",
        ),
        (
            "d-503",
            Action::Status(503),
            2,
            "transient API error (attempt 2)",
        ),
    ] {
        fault(cluster, "POST", "pods", action, count);
        let (_, err) = job(&env, id, 0.2).exits(0).await;
        assert_holds(&err, &[format!("create driver pod: {retried}")]);
        // The lost create is found by its pinned name.
        let found = err.contains("has its driver pod already; following it");
        assert_eq!(found, id == "d-lost", "{err}");
        creates.one_driver(cluster, &env.driver(id));
    }
}

/// Two clusters, `a` (kubesim-1) before `b` (kubesim-2), `a` refusing `verb` on `resource`.
async fn fleet_refusing(name: &str, verb: &str, resource: &str) -> Sandbox {
    let two = SimConfig {
        clusters: 2,
        ..SimConfig::default()
    };
    let env = Sandbox::start(Mode::Cluster, name, two).await;
    env.write_config(
        "fleetPolicy: priority\nfleet:\n\
         - {name: a, context: kubesim-1, priority: 1}\n\
         - {name: b, context: kubesim-2, priority: 2}\n",
    );
    let deny = kubesim::access::AccessRule::deny(verb, resource, "*");
    env.sim.clusters[0].access.set(vec![deny]);
    env
}

/// Runs job `id` on `env`'s fleet, expecting it to move from `a` to `b` once and run there
/// once, and `a` to keep nothing of it (not even the job's Secret); its stderr.
async fn moves_once(env: &Sandbox, id: &str) -> String {
    let (a, b) = (&env.sim.clusters[0], &env.sim.clusters[1]);
    let mut on_b = Creates::on(b);
    let (_, err) = job(env, id, 0.3).exits(0).await;
    let driver = env.driver(id);
    let on = env.sim.url(1);
    assert_holds(
        &err,
        &[
            format!("spark-k8s-cli: failover: job {id} from a to b"),
            format!("job {id} submitted directly: driver pod {driver} in default on {on}"),
        ],
    );
    assert_eq!(err.matches("spark-k8s-cli: failover:").count(), 1, "{err}");
    on_b.one_driver(b, &driver);
    for plural in [
        "pods",
        "secrets",
        "configmaps",
        "services",
        "networkpolicies",
    ] {
        let left = watch::list(a, plural, "");
        assert!(left.is_empty(), "{plural} left on a: {left:#?}");
    }
    err
}

/// On a fleet, a cluster that refuses the driver's create: the job moves to the next cluster
/// before any driver exists, and runs there once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_driver_moves_to_the_next_cluster_once() {
    let env = fleet_refusing("direct-fleet", "create", "pods").await;
    moves_once(&env, "d-moved").await;
}

/// On a fleet, a cluster that takes the driver and refuses its ConfigMap: the driver goes
/// again at once (its container never started: the kubelet does not start a pod whose conf
/// volume it cannot mount), and the job moves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_config_map_moves_to_the_next_cluster_once() {
    let env = fleet_refusing("direct-fleet-cm", "patch", "configmaps").await;
    let err = moves_once(&env, "d-moved-cm").await;
    assert_holds(&err, &["driver pod d-moved-cm-driver deleted"]);
}

/// SIGTERM to a direct job waiting in the queue, and to one whose driver is pending (no node
/// matches its selector): each exits 143 and leaves nothing (pods, Secret, ConfigMap, Service,
/// NetworkPolicy, ticket).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_queued_or_pending_leaves_nothing() {
    let room = [("requests.cpu", "2"), ("pods", "100")];
    let env = burst::sandbox(Mode::Cluster, "direct-term", &room).await;
    let cluster = &env.sim.clusters[0];
    let pending = job(&env, "d-pending", 60.0)
        .conf("spark.kubernetes.node.selector.pool=nowhere")
        .spawn();
    let driver = env.driver("d-pending");
    // Its last object made: the launcher follows the pending driver.
    watch::wait_until(
        cluster,
        "configmaps",
        WAIT,
        || !owned_by(cluster, "configmaps", &driver).is_empty(),
        || format!("no ConfigMap of {driver}"),
    )
    .await;
    let queued = job(&env, "d-queued", 0.3).spawn();
    watch::wait_named(cluster, "leases", "d-queued-ticket", |l| {
        l.is_some_and(|l| l["metadata"]["annotations"]["spark-k8s-cli/state"] == "waiting")
    })
    .await;
    signal(&queued, "-TERM");
    exited(&finish(queued).await, 143);
    nothing_left(&env, "d-queued").await;
    assert_eq!(env.pods("spark-k8s-cli/job-id=d-pending").len(), 1);
    signal(&pending, "-TERM");
    exited(&finish(pending).await, 143);
    nothing_left(&env, "d-pending").await;
}

/// SIGTERM while the driver's create is on the wire (its Secret made, the pod not yet): the
/// pod the server makes after the launcher stopped listening is swept, and the Secret, which
/// no pod owns yet, goes too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_the_driver_is_created_leaves_nothing() {
    let env = Sandbox::start(Mode::Cluster, "direct-term-create", SimConfig::default()).await;
    let cluster = &env.sim.clusters[0];
    let slow = std::time::Duration::from_millis(1500);
    fault(cluster, "POST", "pods", Action::Latency(slow), 1);
    let child = job(&env, "d-creating", 60.0).spawn();
    wait_requests(cluster, "create pods", 1).await;
    signal(&child, "-TERM");
    exited(&finish(child).await, 143);
    nothing_left(&env, "d-creating").await;
}
