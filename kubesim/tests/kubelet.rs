//! The simulated scheduler, kubelet and programs: pod lifecycles, container states, logs,
//! graceful deletion, and spark-submit / driver / executors emulated as Spark 4 behaves.

use kubesim::resources;
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};

mod common;
use common::{create, log, phase, pods, wait_pod};

fn waiting_reason(p: &Value) -> &str {
    p.pointer("/status/containerStatuses/0/state/waiting/reason")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn shell_pod(name: &str, script: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", script],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_runs_and_fails_with_its_exit_code() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, shell_pod("job", "echo hello; echo world; exit 3"));
    let done = wait_pod(&sim, "job", |p| phase(p) == "Failed").await;
    let t = &done["status"]["containerStatuses"][0]["state"]["terminated"];
    assert_eq!(t["exitCode"], 3);
    assert_eq!(t["reason"], "Error");
    assert!(t["startedAt"].is_string() && t["finishedAt"].is_string());
    assert_eq!(done["status"]["containerStatuses"][0]["ready"], false);
    assert!(
        done["spec"]["nodeName"]
            .as_str()
            .unwrap()
            .starts_with("kubesim-1-node-")
    );
    let conds: Vec<&str> = done["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert!(
        conds.contains(&"PodScheduled") && conds.contains(&"Ready"),
        "{conds:?}"
    );
    assert_eq!(log(&sim, "job", "main"), "hello\nworld\n");

    create(&sim, shell_pod("ok", "echo fine"));
    let done = wait_pod(&sim, "ok", |p| phase(p) == "Succeeded").await;
    assert_eq!(
        done["status"]["containerStatuses"][0]["state"]["terminated"]["reason"],
        "Completed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_pull_failures_and_missing_config() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let mut bad = shell_pod("noimg", "exit 0");
    bad["spec"]["containers"][0]["image"] = json!("registry.example/does-not-exist:1");
    create(&sim, bad);
    let p = wait_pod(&sim, "noimg", |p| waiting_reason(p) == "ErrImagePull").await;
    assert_eq!(phase(&p), "Pending");
    let p = wait_pod(&sim, "noimg", |p| waiting_reason(p) == "ImagePullBackOff").await;
    assert!(
        p["status"]["containerStatuses"][0]["state"]["waiting"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Back-off pulling image")
    );

    let mut needs = shell_pod("needs-secret", "echo $(TOKEN)");
    needs["spec"]["containers"][0]["env"] = json!([{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}}]);
    create(&sim, needs);
    let p = wait_pod(&sim, "needs-secret", |p| {
        waiting_reason(p) == "CreateContainerConfigError"
    })
    .await;
    assert_eq!(
        p["status"]["containerStatuses"][0]["state"]["waiting"]["message"],
        "secret \"creds\" not found"
    );
    let secrets = resources::find("", "v1", "secrets").unwrap();
    sim.clusters[0]
        .store
        .create(
            secrets,
            "default",
            json!({"metadata": {"name": "creds"}, "stringData": {"token": "s3cr3t"}}),
        )
        .unwrap();
    wait_pod(&sim, "needs-secret", |p| phase(p) == "Succeeded").await;
    assert_eq!(log(&sim, "needs-secret", "main"), "s3cr3t\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unschedulable_until_room_frees_up() {
    let sim = Sim::start(SimConfig {
        kubelet: kubesim::kubelet::KubeletConfig {
            nodes: vec![("4".into(), "8Gi".into())],
            ..Default::default()
        },
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let big = |name: &str| {
        json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
        "resources": {"requests": {"cpu": "3", "memory": "1Gi"}}}]}})
    };
    create(&sim, big("first"));
    wait_pod(&sim, "first", |p| phase(p) == "Running").await;
    create(&sim, big("second"));
    let p = wait_pod(&sim, "second", |p| {
        p["status"]["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["reason"] == "Unschedulable"))
    })
    .await;
    let msg = p["status"]["conditions"][0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("0/1 nodes are available: 1 Insufficient cpu."),
        "{msg}"
    );
    // Graceful deletion: marked first, removed once the kubelet stopped it; then "second" fits.
    let marked = sim.clusters[0]
        .store
        .delete(pods(), "default", "first", None)
        .unwrap();
    assert!(marked["metadata"]["deletionTimestamp"].is_string());
    assert_eq!(marked["metadata"]["deletionGracePeriodSeconds"], 30);
    wait_pod(&sim, "first", |p| p.get("deleted").is_some()).await;
    wait_pod(&sim, "second", |p| phase(p) == "Running").await;
}

/// kube-scheduler counts every node in its FitError, with each node's reason: a node selector
/// that matches none of 4 nodes is "0/4 … 4 node(s) didn't match Pod's node affinity/selector",
/// not "0/0" (pkg/scheduler/framework/types.go `FitError.Error`; the reasons are the filter
/// plugins' own: nodeaffinity `ErrReasonPod`, tainttoleration "node(s) had untolerated taint
/// {key: value}", noderesources "Insufficient <resource>"; the PostFilter text is
/// pkg/scheduler/framework/preemption/preemption.go's). A lost node carries the node lifecycle
/// controller's `node.kubernetes.io/unreachable` taints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unschedulable_messages_count_every_node_with_its_reason() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let pod = |name: &str, cpu: &str, mem: &str, selector: Value| {
        json!({"metadata": {"name": name}, "spec": {"nodeSelector": selector, "containers": [{"name": "c", "image": "nginx:1.27",
            "resources": {"requests": {"cpu": cpu, "memory": mem}}}]}})
    };
    let message = |p: &Value| {
        p["status"]["conditions"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["reason"] == "Unschedulable"))
            .map(|c| c["message"].as_str().unwrap().to_string())
    };
    create(
        &sim,
        pod("picky", "100m", "64Mi", json!({"disktype": "ssd"})),
    );
    let p = wait_pod(&sim, "picky", |p| message(p).is_some()).await;
    assert_eq!(
        message(&p).unwrap(),
        "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
    );
    create(&sim, pod("huge", "20", "100Gi", json!({})));
    let p = wait_pod(&sim, "huge", |p| message(p).is_some()).await;
    assert_eq!(
        message(&p).unwrap(),
        "0/4 nodes are available: 4 Insufficient cpu, 4 Insufficient memory. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod."
    );
    // A lost node: tainted unreachable, its reason counted beside the others.
    let nodes = resources::find("", "v1", "nodes").unwrap();
    assert!(kubesim::kubelet::lose_node(
        &sim.clusters[0],
        "kubesim-1-node-1"
    ));
    let n = sim.clusters[0]
        .store
        .get(nodes, "", "kubesim-1-node-1")
        .unwrap();
    assert_eq!(
        n["spec"]["taints"][0]["key"],
        "node.kubernetes.io/unreachable"
    );
    create(&sim, pod("big", "20", "1Gi", json!({})));
    let p = wait_pod(&sim, "big", |p| message(p).is_some()).await;
    assert_eq!(
        message(&p).unwrap(),
        "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
    );
    // The FailedScheduling event carries the same message (it follows the status write).
    let filter = kubesim::store::WatchFilter {
        res_key: "events".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::parse("events", "involvedObject.name=big").unwrap(),
    };
    let (initial, mut rx) = sim.clusters[0].store.watch(filter, None).unwrap();
    let want = message(&p);
    let is_it = |o: &Value| {
        o["reason"] == "FailedScheduling" && o["message"].as_str().map(str::to_string) == want
    };
    if !initial.iter().any(|e| is_it(&e["object"])) {
        tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while let Some(e) = rx.recv().await {
                if is_it(&e["object"]) {
                    return;
                }
            }
            panic!("event watch ended");
        })
        .await
        .expect("a FailedScheduling event with the message");
    }
}

fn submit_pod(name: &str, confs: &[&str]) -> Value {
    let mut cmd = vec![
        "/opt/spark/bin/spark-submit",
        "--master",
        "k8s://https://kubernetes.default.svc",
        "--deploy-mode",
        "cluster",
        "--name",
        "pi",
        "--class",
        "org.apache.spark.examples.SparkPi",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.0",
        "--conf",
        "spark.kubernetes.namespace=$(NS)",
    ];
    for c in confs {
        cmd.push("--conf");
        cmd.push(c);
    }
    cmd.push("local:///opt/spark/examples/jars/spark-examples.jar");
    cmd.push("10");
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [{"name": "spark-submit", "image": "apache/spark:4.0.0", "command": cmd,
        "env": [{"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"memory": "512Mi"}}}]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_submit_cluster_mode_runs_a_driver_and_reports_its_exit_code() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(
        &sim,
        submit_pod(
            "job-submit",
            &[
                "spark.kubernetes.driver.pod.name=job-1-driver",
                "spark.kubesim.driver.durationSeconds=1",
                "spark.kubesim.driver.exitCode=3",
                "spark.kubernetes.driver.label.spark-k8s-cli/job-id=job-1",
                "spark.kubernetes.report.interval=0.2s",
            ],
        ),
    );
    // The driver: pinned name, Spark's labels, owned objects.
    let driver = wait_pod(&sim, "job-1-driver", |p| phase(p) == "Running").await;
    let labels = &driver["metadata"]["labels"];
    assert_eq!(labels["spark-role"], "driver");
    assert_eq!(labels["spark-app-name"], "pi");
    assert_eq!(labels["spark-k8s-cli/job-id"], "job-1");
    assert!(
        labels["spark-app-selector"]
            .as_str()
            .unwrap()
            .starts_with("spark-")
    );
    assert_eq!(
        driver["spec"]["containers"][0]["resources"]["limits"]["memory"],
        "1408Mi"
    );
    let cms = resources::find("", "v1", "configmaps").unwrap();
    let (cm_list, _) = sim.clusters[0].store.list(
        cms,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    let cm = cm_list
        .iter()
        .find(|c| {
            c["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with("spark-drv-")
        })
        .expect("driver config map");
    assert_eq!(
        cm["metadata"]["ownerReferences"][0]["uid"],
        driver["metadata"]["uid"]
    );
    assert!(
        cm["data"]["spark.properties"]
            .as_str()
            .unwrap()
            .contains("spark.kubesim.driver.exitCode=3")
    );
    // Executors appear while it runs.
    let exec_sel = LabelSelector::parse("spark-role=executor").unwrap();
    let (execs, _) = sim.clusters[0].store.list(
        pods(),
        Some("default"),
        &exec_sel,
        &FieldSelector::default(),
    );
    let n_exec = execs.len();
    let driver = wait_pod(&sim, "job-1-driver", |p| phase(p) == "Failed").await;
    assert_eq!(
        driver["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"],
        3
    );
    let submit = wait_pod(&sim, "job-submit", |p| phase(p) == "Succeeded").await;
    assert_eq!(
        submit["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"], 0,
        "spark-submit exits 0 whatever the driver did"
    );
    let out = log(&sim, "job-submit", "spark-submit");
    assert!(out.contains("\t pod name: job-1-driver\n"), "{out}");
    assert!(out.contains("\t\t exit code: 3\n"), "{out}");
    assert!(out.contains("Application status for spark-"), "{out}");
    assert!(out.contains("Container final statuses:"), "{out}");
    assert!(
        out.contains("submission ID default:job-1-driver finished"),
        "{out}"
    );
    // Airflow's regexes find the driver and the exit code in these lines.
    let pod_re = regex_lite_pod(&out);
    assert_eq!(pod_re.as_deref(), Some("job-1-driver"));
    // The driver deleted its executors (gracefully: gone, or terminating).
    let (execs, _) = sim.clusters[0].store.list(
        pods(),
        Some("default"),
        &exec_sel,
        &FieldSelector::default(),
    );
    // Pods created through the API by Spark in the cluster: the driver, then its two executors.
    let created = sim.clusters[0]
        .counters()
        .get("create pods (in-cluster)")
        .copied()
        .unwrap_or(0);
    assert_eq!(created, 3, "{:?}", sim.clusters[0].counters());
    assert!(
        execs
            .iter()
            .all(|e| e["metadata"]["deletionTimestamp"].is_string()),
        "{n_exec} executors created, some left running: {execs:#?}"
    );
    let dlog = log(&sim, "job-1-driver", "spark-kubernetes-driver");
    assert!(dlog.contains("Running Spark version"), "{dlog}");
}

/// A DNS-1035 label, as a Service name must be.
fn dns_label(n: &str) -> bool {
    n.len() <= 63
        && n.starts_with(|c: char| c.is_ascii_lowercase())
        && n.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `--name 名前` works as with Spark 4: its resource name prefix is Spark's
/// `KubernetesConf.getResourceNamePrefix` ("名前-<id>" cleaned: non-[a-z0-9-] to '-', runs
/// collapsed, the leading '-' dropped, a leading digit made 'x'), and DriverServiceFeatureStep
/// names the service `<prefix>-driver-svc` (falling back to `spark-<id>-driver-svc` only when
/// that passes 63 characters). kubesim used to build `-<id>-driver`, refused as invalid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_ascii_app_name_gets_valid_resource_names() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    // The service outlives the driver (Spark deletes it on termination by default).
    let mut pod = submit_pod(
        "jp-submit",
        &[
            "spark.kubesim.driver.durationSeconds=0.3",
            "spark.kubernetes.driver.service.deleteOnTermination=false",
        ],
    );
    let cmd = pod["spec"]["containers"][0]["command"]
        .as_array_mut()
        .unwrap();
    let at = cmd.iter().position(|a| a == "--name").unwrap();
    cmd[at + 1] = json!("名前");
    create(&sim, pod);
    let submit = wait_pod(&sim, "jp-submit", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, "jp-submit", "spark-submit");
    assert_eq!(phase(&submit), "Succeeded", "{out}");
    let services = resources::find("", "v1", "services").unwrap();
    let (svcs, _) = sim.clusters[0].store.list(
        services,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    assert_eq!(svcs.len(), 1, "{svcs:#?}");
    let svc = svcs[0]["metadata"]["name"].as_str().unwrap().to_string();
    assert!(dns_label(&svc) && svc.ends_with("-driver-svc"), "{svc}");
    let prefix = svc.trim_end_matches("-driver-svc");
    assert!(
        !prefix.contains('-'),
        "the prefix is the id alone: {prefix}"
    );
    let driver = format!("{prefix}-driver");
    assert!(out.contains(&format!("\t pod name: {driver}\n")), "{out}");
    let d = wait_pod(&sim, &driver, |p| {
        p.get("deleted").is_some() || phase(p) == "Succeeded"
    })
    .await;
    assert_eq!(
        d["metadata"]["labels"]["spark-app-name"], "",
        "Spark's getAppNameLabel leaves nothing of 名前"
    );
    // The driver ran its executors, named with a prefix of the same kind.
    assert_eq!(
        sim.clusters[0]
            .counters()
            .get("create pods (in-cluster)")
            .copied(),
        Some(3),
        "{out}"
    );
    let cms = resources::find("", "v1", "configmaps").unwrap();
    let (cm, _) = sim.clusters[0].store.list(
        cms,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    let props = cm[0]["data"]["spark.properties"].as_str().unwrap();
    assert!(
        props.contains(&format!("spark.driver.host={svc}.default.svc\n")),
        "{props}"
    );
}

/// Airflow's `\s*pod name: ((.+?)-([a-z0-9]+)-driver$)` on stripped lines, by hand.
fn regex_lite_pod(log: &str) -> Option<String> {
    log.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("pod name: "))
        .rfind(|n| n.ends_with("-driver") && n.matches('-').count() >= 2)
        .map(str::to_string)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_submit_fails_like_spark_when_the_driver_is_refused() {
    let sim = Sim::start(SimConfig {
        quota: Some(vec![("requests.memory".into(), "1Gi".into())]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    create(
        &sim,
        submit_pod(
            "refused-submit",
            &["spark.kubernetes.driver.pod.name=refused-driver"],
        ),
    );
    let submit = wait_pod(&sim, "refused-submit", |p| phase(p) == "Failed").await;
    assert_eq!(
        submit["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"],
        1
    );
    let out = log(&sim, "refused-submit", "spark-submit");
    assert!(
        out.contains("Please check \"kubectl auth can-i create pod\" first. It should be yes."),
        "{out}"
    );
    assert!(out.contains("Message: pods \"refused-driver\" is forbidden: exceeded quota: compute, requested: requests.memory=1408Mi, used: requests.memory=512Mi, limited: requests.memory=1Gi."), "{out}");
    assert!(
        sim.clusters[0]
            .store
            .get(pods(), "default", "refused-driver")
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_app_completion_false_returns_at_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(
        &sim,
        submit_pod(
            "ff-submit",
            &[
                "spark.kubernetes.driver.pod.name=ff-driver",
                "spark.kubernetes.submission.waitAppCompletion=false",
                "spark.kubesim.driver.durationSeconds=30",
            ],
        ),
    );
    wait_pod(&sim, "ff-submit", |p| phase(p) == "Succeeded").await;
    let out = log(&sim, "ff-submit", "spark-submit");
    assert!(
        out.contains("Deployed Spark application pi with application ID spark-"),
        "{out}"
    );
    let d = sim.clusters[0]
        .store
        .get(pods(), "default", "ff-driver")
        .unwrap();
    assert_ne!(phase(&d), "Succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_node_fails_its_pods_and_takes_no_new_ones() {
    let sim = Sim::start(SimConfig {
        kubelet: kubesim::kubelet::KubeletConfig {
            nodes: vec![("4".into(), "8Gi".into()), ("4".into(), "8Gi".into())],
            ..Default::default()
        },
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let server = |name: &str| {
        json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27",
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}})
    };
    create(&sim, server("web"));
    let running = wait_pod(&sim, "web", |p| phase(p) == "Running").await;
    let node = running["spec"]["nodeName"].as_str().unwrap().to_string();
    assert!(kubesim::kubelet::lose_node(&sim.clusters[0], &node));
    let failed = wait_pod(&sim, "web", |p| phase(p) == "Failed").await;
    assert_eq!(failed["status"]["reason"], "NodeLost");
    assert_eq!(
        failed["status"]["message"],
        format!("Node {node} which was running pod web is unresponsive")
    );
    let nodes = resources::find("", "v1", "nodes").unwrap();
    let n = sim.clusters[0].store.get(nodes, "", &node).unwrap();
    assert_eq!(n["status"]["conditions"][0]["status"], "Unknown");
    for i in 0..4 {
        let name = format!("after-{i}");
        create(&sim, server(&name));
        let p = wait_pod(&sim, &name, |p| phase(p) == "Running").await;
        assert_ne!(
            p["spec"]["nodeName"],
            node.as_str(),
            "scheduled onto the lost node"
        );
    }
    assert!(!kubesim::kubelet::lose_node(
        &sim.clusters[0],
        "no-such-node"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_killed_for_memory_is_oomkilled_after_its_output() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let pod = json!({"metadata": {"name": "drv"}, "spec": {"restartPolicy": "Never", "containers": [{
        "name": "spark-kubernetes-driver", "image": "apache/spark:4.3.0",
        "command": ["/opt/spark/bin/spark-submit"],
        "args": ["--deploy-mode", "client", "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.executor.instances=0",
                 "--conf", "spark.kubesim.driver.durationSeconds=0.2", "--conf", "spark.kubesim.driver.logLines=3",
                 "--conf", "spark.kubesim.driver.message=Pi is roughly 3.14", "--conf", "spark.kubesim.driver.failAt=oom",
                 "local:///opt/spark/examples/jars/spark-examples.jar"],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}});
    create(&sim, pod);
    let done = wait_pod(&sim, "drv", |p| phase(p) == "Failed").await;
    let t = &done["status"]["containerStatuses"][0]["state"]["terminated"];
    assert_eq!(
        (t["exitCode"].as_i64(), t["reason"].as_str()),
        (Some(137), Some("OOMKilled"))
    );
    let out = log(&sim, "drv", "spark-kubernetes-driver");
    assert!(out.contains("Job 3 finished: kubesim line 3 of 3"), "{out}");
    assert!(out.contains("\nPi is roughly 3.14\n"), "{out}");
    assert!(!out.contains("Successfully stopped SparkContext"), "{out}");
}

/// Reads a chunked HTTP/1.1 response to its end; returns (status line, decoded body).
async fn get_chunked(sim: &Sim, path: &str) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(&sim.clusters[0].address)
        .await
        .unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: kubesim\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(std::time::Duration::from_secs(20), s.read_to_end(&mut raw))
        .await
        .expect("the response ends when the container does")
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, mut rest) = text.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let mut body = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        body.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    (head.lines().next().unwrap().to_string(), body)
}

/// Every line a busy driver logs reaches a client following its log, once and in order, and the
/// stored log holds the same. (The speed of this is measured by `benches/log_volume.rs`: paced
/// by deadlines and written in batches, 30,000 lines no longer stretch a 10 s run to 43 s.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_log_gets_every_line_of_a_busy_driver() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let n = 5000;
    let pod = json!({"metadata": {"name": "busy"}, "spec": {"restartPolicy": "Never", "containers": [{
        "name": "spark-kubernetes-driver", "image": "apache/spark:4.3.0",
        "command": ["/opt/spark/bin/spark-submit"],
        "args": ["--deploy-mode", "client", "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.executor.instances=0",
                 "--conf", "spark.kubesim.driver.durationSeconds=0.5",
                 "--conf", format!("spark.kubesim.driver.logLines={n}"),
                 "--conf", "spark.kubesim.driver.message=all done",
                 "local:///opt/spark/examples/jars/spark-examples.jar"],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}});
    create(&sim, pod);
    wait_pod(&sim, "busy", |p| phase(p) == "Running").await;
    let (status, followed) =
        get_chunked(&sim, "/api/v1/namespaces/default/pods/busy/log?follow=true").await;
    assert!(status.contains(" 200 "), "{status}");
    wait_pod(&sim, "busy", |p| phase(p) == "Succeeded").await;
    let numbered: Vec<&str> = followed
        .lines()
        .filter(|l| l.contains(" INFO DAGScheduler: Job "))
        .collect();
    assert_eq!(numbered.len(), n, "lines lost or repeated");
    for (i, line) in numbered.iter().enumerate() {
        let want = format!(
            " INFO DAGScheduler: Job {0} finished: kubesim line {0} of {n}",
            i + 1
        );
        assert!(line.ends_with(&want), "line {}: {line}", i + 1);
    }
    assert!(followed.contains("\nall done\n"), "{followed}");
    assert!(followed.contains("Successfully stopped SparkContext"));
    assert_eq!(followed, log(&sim, "busy", "spark-kubernetes-driver"));
}

fn terminated(p: &Value) -> (i64, String) {
    let t = &p["status"]["containerStatuses"][0]["state"]["terminated"];
    (
        t["exitCode"].as_i64().unwrap_or(-1),
        t["reason"].as_str().unwrap_or("").to_string(),
    )
}

fn executors_of(sim: &Sim) -> Vec<String> {
    let (execs, _) = sim.clusters[0].store.list(
        pods(),
        Some("default"),
        &LabelSelector::parse("spark-role=executor").unwrap(),
        &FieldSelector::default(),
    );
    execs
        .iter()
        .map(|e| e["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

/// Executors whose driver dies without stopping them (OOM-killed) end by themselves, as Spark 4's
/// do: the driver's connection closes, `CoarseGrainedExecutorBackend.onDisconnected` calls
/// `exitExecutor(1, s"Driver $remoteAddress disassociated! Shutting down.")`, which logs
/// "Executor self-exiting due to : …" at ERROR and shuts the executor down; `run` returns and
/// `KubernetesExecutorBackend.main` exits 0 (core/src/main/scala/org/apache/spark/executor/
/// CoarseGrainedExecutorBackend.scala, resource-managers/kubernetes/core/src/main/scala/org/
/// apache/spark/scheduler/cluster/k8s/KubernetesExecutorBackend.scala). Their pods stay until
/// the driver pod is deleted; then the garbage collector takes them (ownerReferences).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_end_when_their_cluster_mode_driver_dies() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(
        &sim,
        submit_pod(
            "oom-submit",
            &[
                "spark.kubernetes.driver.pod.name=oom-driver",
                "spark.kubesim.driver.durationSeconds=2",
                "spark.kubesim.driver.failAt=oom",
            ],
        ),
    );
    let driver = wait_pod(&sim, "oom-driver", |p| phase(p) == "Failed").await;
    assert_eq!(terminated(&driver), (137, "OOMKilled".into()));
    let services = resources::find("", "v1", "services").unwrap();
    let (svcs, _) = sim.clusters[0].store.list(
        services,
        Some("default"),
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    let svc = svcs[0]["metadata"]["name"].as_str().unwrap().to_string();
    let execs = executors_of(&sim);
    assert_eq!(execs.len(), 2, "{execs:?}");
    for e in &execs {
        let done = wait_pod(&sim, e, |p| matches!(phase(p), "Succeeded" | "Failed")).await;
        let out = log(&sim, e, "spark-kubernetes-executor");
        assert_eq!(terminated(&done), (0, "Completed".into()), "{out}");
        assert!(
            out.contains(&format!(
                "Connecting to driver: spark://CoarseGrainedScheduler@{svc}.default.svc:7078\n"
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!(" ERROR CoarseGrainedExecutorBackend: Executor self-exiting due to : Driver {svc}.default.svc:7078 disassociated! Shutting down.\n")),
            "{out}"
        );
    }
    // Deleting the driver pod takes its executors with it.
    sim.clusters[0]
        .store
        .delete(pods(), "default", "oom-driver", None)
        .unwrap();
    for e in &execs {
        wait_pod(&sim, e, |p| p.get("deleted").is_some()).await;
    }
}

/// In client mode the driver is the pod that ran `spark-submit --deploy-mode client`; its
/// executors reach it at its pod IP (no spark.driver.host) and end when it dies. An executor
/// whose driver is already gone when it starts cannot fetch the driver's properties
/// (`KubernetesExecutorBackend.run`: `fetcher.setupEndpointRefByURI`) and `main` dies, exit 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_end_when_their_client_mode_driver_dies() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let pod = json!({"metadata": {"name": "client-drv"}, "spec": {"restartPolicy": "Never", "containers": [{
        "name": "spark-submit", "image": "apache/spark:4.3.0",
        "command": ["/opt/spark/bin/spark-submit"],
        "args": ["--deploy-mode", "client", "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.executor.instances=1",
                 "--conf", "spark.kubesim.driver.durationSeconds=2", "--conf", "spark.kubesim.driver.failAt=oom",
                 "local:///opt/spark/examples/jars/spark-examples.jar"],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}});
    create(&sim, pod);
    let driver = wait_pod(&sim, "client-drv", |p| phase(p) == "Failed").await;
    assert_eq!(terminated(&driver), (137, "OOMKilled".into()));
    let ip = driver["status"]["podIP"].as_str().unwrap().to_string();
    let execs = executors_of(&sim);
    assert_eq!(execs.len(), 1, "{execs:?}");
    let done = wait_pod(&sim, &execs[0], |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, &execs[0], "spark-kubernetes-executor");
    assert_eq!(terminated(&done), (0, "Completed".into()), "{out}");
    assert!(
        out.contains(&format!(
            "Executor self-exiting due to : Driver {ip}:7078 disassociated! Shutting down.\n"
        )),
        "{out}"
    );

    // An executor started after its driver ended.
    let late = json!({"metadata": {"name": "late-exec", "labels": {"spark-role": "executor"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "controller": true, "name": "client-drv", "uid": driver["metadata"]["uid"]}]},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "spark-kubernetes-executor", "image": "apache/spark:4.3.0", "args": ["executor"],
            "env": [{"name": "SPARK_DRIVER_URL", "value": format!("spark://CoarseGrainedScheduler@{ip}:7078")}],
            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]}});
    create(&sim, late);
    let done = wait_pod(&sim, "late-exec", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, "late-exec", "spark-kubernetes-executor");
    assert_eq!(terminated(&done), (1, "Error".into()), "{out}");
    assert!(
        out.contains(&format!(
            "Caused by: java.io.IOException: Failed to connect to {ip}:7078\n"
        )),
        "{out}"
    );
}

/// A client-mode spark-submit pod that mounts the Secret `data` at `/data`, with `--files`.
fn glob_pod(name: &str, files: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never",
        "volumes": [{"name": "data", "secret": {"secretName": "data"}}],
        "containers": [{"name": "spark-submit", "image": "apache/spark:4.0.0",
        "command": ["/opt/spark/bin/spark-submit", "--master", "k8s://https://kubernetes.default.svc",
            "--deploy-mode", "client", "--name", "pi", "--class", "org.apache.spark.examples.SparkPi",
            "--conf", "spark.kubernetes.container.image=apache/spark:4.0.0",
            "--conf", "spark.kubesim.driver.durationSeconds=0.1",
            "--files", files, "local:///opt/spark/examples/jars/spark-examples.jar"],
        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
        "resources": {"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"memory": "512Mi"}}}]}})
}

/// spark-submit resolves local globs against its own container's disk, as
/// DependencyUtils.resolveGlobPaths does: each match is kept as a file: URI, a pattern that
/// matches nothing there (a path from the submitting machine) is dropped without a word, and a
/// #name with several matches is Spark's error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_submit_resolves_globs_against_its_own_disk() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let secrets = resources::find("", "v1", "secrets").unwrap();
    sim.clusters[0]
        .store
        .create(
            secrets,
            "default",
            json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "data"},
                "data": {"a.csv": "YQ==", "b.csv": "Yg==", "c.txt": "Yw=="}}),
        )
        .unwrap();
    create(
        &sim,
        glob_pod("globbed", "/data/*.csv,/home/me/input/*.json,data/*.csv"),
    );
    let p = wait_pod(&sim, "globbed", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, "globbed", "spark-submit");
    assert_eq!(phase(&p), "Succeeded", "{out}");
    for f in ["a.csv", "b.csv"] {
        assert!(
            out.contains(&format!("INFO SparkContext: Added file file:/data/{f} at ")),
            "{out}"
        );
    }
    assert!(!out.contains("c.txt") && !out.contains(".json"), "{out}");
    assert_eq!(out.matches("Added file").count(), 2, "{out}");

    create(&sim, glob_pod("ambiguous", "/data/*.csv#input"));
    let p = wait_pod(&sim, "ambiguous", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, "ambiguous", "spark-submit");
    assert_eq!(phase(&p), "Failed", "{out}");
    assert!(out.contains("Exception in thread \"main\" org.apache.spark.SparkException: file:/data/*.csv resolves ambiguously to multiple files: file:/data/a.csv,file:/data/b.csv"), "{out}");
}

/// A cluster-mode driver whose local: file is not mounted (the Secret that should carry it
/// is not there) fails where Spark fails: SparkSubmit in the driver copies each file into its
/// working directory (SPARK-33782) before the SparkContext starts. spark-submit itself does
/// not look at local: files, and exits 0 as it does whatever the driver did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_mode_driver_fails_on_a_local_file_it_does_not_have() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(
        &sim,
        submit_pod(
            "nolocal-submit",
            &[
                "spark.kubernetes.driver.pod.name=nolocal-driver",
                "spark.files=local:///opt/spark-k8scli/deps/a.csv",
                "spark.kubesim.driver.durationSeconds=0.1",
            ],
        ),
    );
    let submit = wait_pod(&sim, "nolocal-submit", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let out = log(&sim, "nolocal-submit", "spark-submit");
    assert_eq!(phase(&submit), "Succeeded", "{out}");
    assert!(!out.contains("Uploading file"), "{out}");
    let driver = wait_pod(&sim, "nolocal-driver", |p| {
        matches!(phase(p), "Succeeded" | "Failed")
    })
    .await;
    let dlog = log(&sim, "nolocal-driver", "spark-kubernetes-driver");
    assert_eq!(phase(&driver), "Failed", "{dlog}");
    assert!(
        dlog.contains(
            "Exception in thread \"main\" java.nio.file.NoSuchFileException: /opt/spark-k8scli/deps/a.csv"
        ),
        "{dlog}"
    );
}
