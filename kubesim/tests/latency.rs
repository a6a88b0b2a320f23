//! The realistic latency profile delays what it says: scheduling, the first pull of an image on
//! a node (a later pod of the same image on that node skips it), container start, and the JVM
//! spark-submit's start-up before it creates the driver. Distributions without spread (median
//! = p95) make every delay exact, so the bounds below are floors measured on watch events.

use std::time::{Duration, Instant};

use kubesim::latency::{Dist, Profile, image_size};
use kubesim::resources;
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};

mod common;
use common::{create, phase, wait_pod};

const IMAGE: &str = "example.org/app:1";

fn pod(name: &str, policy: &str, command: &[&str]) -> Value {
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [{"name": "main",
        "image": IMAGE, "imagePullPolicy": policy, "command": command,
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}})
}

/// The messages of the kubelet's events about a pod, in creation order.
fn events(sim: &Sim, name: &str) -> Vec<String> {
    let r = resources::find("", "v1", "events").unwrap();
    let (list, _) = sim.clusters[0].store.list(
        r,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    let mut list: Vec<&Value> = list
        .iter()
        .filter(|e| e["involvedObject"]["name"] == name && e["source"]["component"] == "kubelet")
        .collect();
    list.sort_by_key(|e| {
        e["metadata"]["resourceVersion"]
            .as_str()
            .and_then(|v| v.parse::<u64>().ok())
    });
    list.iter()
        .map(|e| {
            format!(
                "{}: {}",
                e["reason"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_realistic_profile_delays_each_step() {
    let ms = Duration::from_millis;
    let profile = Profile {
        seed: 3,
        scheduling: Dist::ms(100, 100),
        image_pull: Dist::ms(2_000, 2_000),
        image_pull_cached: Dist::ms(50, 50),
        container_start: Dist::ms(100, 100),
        spark_submit_jvm: Dist::ms(700, 700),
        shell_jvm: Dist::ms(1_500, 1_500),
    };
    let mut config = SimConfig {
        latency: Some(profile),
        ..SimConfig::default()
    };
    // One node: every pod lands where the image was first pulled.
    config.kubelet.nodes = vec![("16".into(), "64Gi".into())];
    let sim = Sim::start(config).await.unwrap();
    let running = |p: &Value| phase(p) == "Running";

    // The first pod: scheduling + the slow first pull + container start.
    let t0 = Instant::now();
    create(&sim, pod("first", "IfNotPresent", &["server"]));
    let bound = wait_pod(&sim, "first", |p| p["spec"]["nodeName"].is_string()).await;
    assert!(t0.elapsed() >= ms(100), "bound after {:?}", t0.elapsed());
    assert_eq!(phase(&bound), "Pending");
    wait_pod(&sim, "first", running).await;
    let first = t0.elapsed();
    assert!(first >= ms(2_200), "Running after {first:?}");
    // (The Started event follows the Running status; it may not be written yet.)
    assert_eq!(
        events(&sim, "first")[..2],
        [
            format!("Pulling: Pulling image \"{IMAGE}\""),
            format!(
                "Pulled: Successfully pulled image \"{IMAGE}\" in 2s (2s including waiting). Image size: {} bytes.",
                image_size(IMAGE)
            ),
        ]
    );

    // The same image on the same node: no pull with IfNotPresent, a fast one with Always.
    let t1 = Instant::now();
    create(&sim, pod("second", "IfNotPresent", &["server"]));
    wait_pod(&sim, "second", running).await;
    let second = t1.elapsed();
    assert!(
        second >= ms(200) && second < ms(2_000),
        "Running after {second:?}"
    );
    assert_eq!(
        events(&sim, "second")[0],
        format!("Pulled: Container image \"{IMAGE}\" already present on machine")
    );
    let t2 = Instant::now();
    create(&sim, pod("third", "Always", &["server"]));
    wait_pod(&sim, "third", running).await;
    let third = t2.elapsed();
    assert!(
        third >= ms(250) && third < ms(2_000),
        "Running after {third:?}"
    );
    assert_eq!(
        events(&sim, "third")[1],
        format!(
            "Pulled: Successfully pulled image \"{IMAGE}\" in 50ms (50ms including waiting). Image size: {} bytes.",
            image_size(IMAGE)
        )
    );

    // spark-submit in cluster mode: its JVM starts once the container runs, and only then creates
    // the driver pod (scheduling 100 ms + container start 100 ms + the JVM's 700 ms).
    let drivers = WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::parse("spark-role=driver").unwrap(),
        field: FieldSelector::default(),
    };
    let (_, mut rx) = sim.clusters[0].store.watch(drivers, None).unwrap();
    let t3 = Instant::now();
    create(
        &sim,
        pod(
            "submit",
            "IfNotPresent",
            &[
                "/opt/spark/bin/spark-submit",
                "--master",
                "k8s://https://kubernetes.default.svc",
                "--deploy-mode",
                "cluster",
                "--name",
                "jvm",
                "--class",
                "org.apache.spark.examples.SparkPi",
                "--conf",
                &format!("spark.kubernetes.container.image={IMAGE}"),
                "--conf",
                "spark.kubernetes.submission.waitAppCompletion=false",
                "local:///opt/spark/examples/jars/spark-examples.jar",
            ],
        ),
    );
    let created = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("a driver pod within 20 s")
        .expect("watch open");
    assert_eq!(created["type"], "ADDED");
    let to_driver = t3.elapsed();
    assert!(
        to_driver >= ms(900),
        "driver created {to_driver:?} after the submit pod"
    );
}

/// A Spark shell prints nothing before its JVM, SparkContext and interpreter have started
/// (`shellJvm`): spark-sql's `-e` result comes that long after the container runs. The instant
/// profile has no such start-up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_starts_before_its_first_output() {
    let ms = Duration::from_millis;
    let none = Dist::ms(0, 0);
    let profile = Profile {
        seed: 3,
        scheduling: none,
        image_pull: none,
        image_pull_cached: none,
        container_start: none,
        spark_submit_jvm: none,
        shell_jvm: Dist::ms(1_000, 1_000),
    };
    for latency in [Some(profile), None] {
        let sim = Sim::start(SimConfig {
            latency: latency.clone(),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        create(
            &sim,
            pod(
                "sql",
                "IfNotPresent",
                &["/opt/spark/bin/spark-sql", "-S", "-e", "SELECT 6 * 7"],
            ),
        );
        wait_pod(&sim, "sql", |p| phase(p) == "Running").await;
        let t0 = Instant::now();
        if latency.is_some() {
            assert_eq!(
                common::log(&sim, "sql", "main"),
                "",
                "nothing before the JVM"
            );
        }
        wait_pod(&sim, "sql", |p| phase(p) == "Succeeded").await;
        if latency.is_some() {
            assert!(
                t0.elapsed() >= ms(950),
                "done {:?} after Running",
                t0.elapsed()
            );
        }
        assert!(common::log(&sim, "sql", "main").contains("42\nTime taken"));
    }
}
