//! `spark.k8scli.submitMode=direct` (issue 21, docs/direct-submit.md): the launcher creates the
//! driver's Pod, Service, NetworkPolicy and ConfigMap itself, as the image's spark-submit would,
//! with no submit pod; the properties the redaction rule matches reach the driver from a Secret,
//! never a ConfigMap. Through the real binary against kubesim, whose driver reads its conf as
//! Spark's does (the ConfigMap's `spark.properties`, then `--extra-properties-file`, with
//! `--conf` first; `kubesim/src/programs.rs`, `driver_conf`). In client mode (and wherever
//! direct mode does not reach) the job goes through a submit pod, and a line says why.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use common::home::{SparkPi, assert_holds, finish};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;
use kubesim::SimConfig;
use serde_json::Value;

/// The secret properties of these tests: S3 keys, a password and a token.
const SECRETS: [(&str, &str); 4] = [
    ("spark.hadoop.fs.s3a.access.key", "AKIAIOSFODNN7EXAMPLE"),
    (
        "spark.hadoop.fs.s3a.secret.key",
        "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY",
    ),
    ("spark.db.password", "hunter2-direct"),
    ("spark.service.auth.token", "tok-0123456789"),
];

/// SparkPi in direct mode, one executor.
fn direct<'a>(env: &'a Sandbox, job: &str) -> SparkPi<'a> {
    env.spark_pi()
        .job(job)
        .conf("spark.k8scli.submitMode=direct")
        .conf("spark.executor.instances=1")
        .driver_seconds(0.3)
}

/// Every object of a kind created in `default` from now on, as created, read when asked (the
/// driver's Service goes when the driver stops: Spark's `deleteOnTermination`).
struct Created(tokio::sync::mpsc::UnboundedReceiver<std::sync::Arc<kubesim::store::WatchEvent>>);

impl Created {
    fn start(env: &Sandbox, plural: &str) -> Created {
        let (_, rx) = env.sim.clusters[0]
            .store
            .watch(watch::filter(plural, ""), None)
            .unwrap();
        Created(rx)
    }

    fn objects(&mut self) -> Vec<Value> {
        let mut out = Vec::new();
        while let Ok(ev) = self.0.try_recv() {
            if ev.kind == "ADDED" {
                out.push(Value::clone(&ev.object));
            }
        }
        out
    }

    fn names(&mut self) -> Vec<String> {
        self.objects()
            .iter()
            .map(|o| o["metadata"]["name"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

fn owner_of(o: &Value) -> (String, String) {
    let r = &o["metadata"]["ownerReferences"][0];
    (
        r["kind"].as_str().unwrap_or("").to_string(),
        r["name"].as_str().unwrap_or("").to_string(),
    )
}

both_modes! {
async fn a_job_submitted_directly(mode: Mode) {
    let env = Sandbox::start(mode, "direct-ok", SimConfig::default()).await;
    let mut created = Created::start(&env, "pods");
    let mut services = Created::start(&env, "services");
    let mut cms = Created::start(&env, "configmaps");
    let mut policies = Created::start(&env, "networkpolicies");
    let (out, err) = direct(&env, "dir-ok").exits(0).await;
    let driver = env.driver("dir-ok");
    if mode == Mode::Client {
        // The driver runs in the submit pod already: nothing to go direct.
        assert_holds(&err, &["direct submit does not cover client mode", "submitting through a submit pod"]);
        assert!(err.contains("runs its driver in the submit pod (client mode), pod name: dir-ok-driver"), "{err}");
        return;
    }
    assert!(err.contains(&format!("job dir-ok submitted directly: driver pod {driver} in default")), "{err}");
    // No submit pod, ever: the driver and its executor.
    let pods = created.names();
    assert_eq!(pods[0], driver, "{pods:?}");
    assert!(pods.iter().all(|p| p == &driver || p.contains("-exec-")), "{pods:?}");
    // What Airflow's hook reads, in spark-submit's shape.
    assert!(out.lines().any(|l| l.trim() == format!("pod name: {driver}")), "{out}");
    assert!(out.contains("spark-app-selector -> spark-"), "{out}");
    assert!(out.lines().any(|l| l.trim() == "exit code: 0"), "{out}");
    assert!(out.contains("INFO LoggingPodStatusWatcherImpl: Waiting for application"), "{out}");
    assert!(out.contains("Container final statuses:"), "{out}");
    assert!(out.contains("SparkContext: Successfully stopped SparkContext"), "{out}");
    assert!(err.contains(&format!("driver {driver} ended (Completed): Exit code: 0")), "{err}");
    // Spark's objects, owned by the driver.
    let (services, cms, policies) = (services.objects(), cms.objects(), policies.objects());
    let cm = cms.iter().find(|c| c["metadata"]["name"].as_str().unwrap_or("").starts_with("spark-drv-")).expect("the driver's ConfigMap");
    assert_eq!(owner_of(cm), ("Pod".into(), driver.clone()));
    assert_eq!(cm["metadata"]["managedFields"][0]["manager"], "fabric8");
    let props = cm["data"]["spark.properties"].as_str().unwrap();
    assert!(props.contains("spark.kubernetes.submitInDriver=true"), "{props}");
    let svc = services.iter().find(|s| s["metadata"]["name"].as_str().unwrap_or("").ends_with("-driver-svc")).unwrap_or_else(|| panic!("no driver Service in {services:#?}"));
    assert_eq!(owner_of(svc), ("Pod".into(), driver.clone()));
    assert_eq!(svc["spec"]["clusterIP"], "None");
    // Spark 4.0 (the image's tag) makes no NetworkPolicy (4.2+; docs/spark-versions.md).
    assert!(policies.is_empty(), "{policies:#?}");
    // 4.3's does, owned by the driver too.
    let mut policies = Created::start(&env, "networkpolicies");
    direct(&env, "dir-43").conf("spark.kubernetes.container.image=apache/spark:4.3.0").exits(0).await;
    let policies = policies.objects();
    assert_eq!(policies.len(), 1, "{policies:#?}");
    assert_eq!(owner_of(&policies[0]), ("Pod".into(), env.driver("dir-43")));

    // A failing driver: its exit code, as in pod mode.
    let (out, err) = direct(&env, "dir-bad").conf("spark.kubesim.driver.exitCode=2").exits(2).await;
    assert!(out.lines().any(|l| l.trim() == "exit code: 2"), "{out}");
    assert!(err.contains("Exit code: 2") && err.contains("event driver-failed: "), "{err}");
}

async fn secret_properties_reach_the_driver_from_a_secret(mode: Mode) {
    let env = Sandbox::start(mode, "direct-secrets", SimConfig::default()).await;
    // Spark 4.2+ reads them as a second properties file (`--extra-properties-file`).
    let mut job = direct(&env, "dir-sec").conf("spark.kubernetes.container.image=apache/spark:4.3.0");
    let keys: Vec<&str> = SECRETS.iter().map(|(k, _)| *k).collect();
    job = job.conf(&format!("spark.kubesim.driver.echoConf={}", keys.join(",")));
    for (k, v) in SECRETS {
        job = job.conf(&format!("{k}={v}"));
    }
    let (out, _) = job.exits(0).await;
    // The driver read every one, with its value.
    for (k, v) in SECRETS {
        assert!(out.contains(&format!("conf {k}={v}")), "{k}: {out}");
    }
    // No ConfigMap holds one (pod mode's submit pod has none in its spec; direct mode's driver
    // ConfigMap none either).
    for cm in watch::list(&env.sim.clusters[0], "configmaps", "") {
        let text = cm.to_string();
        for (k, v) in SECRETS {
            assert!(!text.contains(v), "{k}'s value in ConfigMap {}", cm["metadata"]["name"]);
        }
    }
    if mode == Mode::Cluster {
        let secret = watch::list(&env.sim.clusters[0], "secrets", "spark-k8s-cli/job-id=dir-sec");
        assert_eq!(secret.len(), 1, "{secret:#?}");
        assert_eq!(owner_of(&secret[0]), ("Pod".into(), env.driver("dir-sec")));
        let driver = &env.pods("spark-role=driver")[0];
        let args = driver["spec"]["containers"][0]["args"].to_string();
        assert!(args.contains("--extra-properties-file"), "{args}");
    }
}
}

/// Spark before 4.2 has no `--extra-properties-file`: the secret properties reach its driver as
/// `--conf KEY=$(VAR)` args, each `VAR` a `secretKeyRef` the kubelet expands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_3_5_reads_secret_properties_from_the_environment() {
    let env = Sandbox::start(Mode::Cluster, "direct-35", SimConfig::default()).await;
    let (k, v) = SECRETS[2];
    let (out, err) = direct(&env, "dir-35")
        .conf("spark.kubernetes.container.image=apache/spark:3.5.3-scala2.12-java17-ubuntu")
        .conf(&format!("spark.kubesim.driver.echoConf={k}"))
        .conf(&format!("{k}={v}"))
        .exits(0)
        .await;
    assert!(err.contains("submitted directly"), "{err}");
    assert!(out.contains(&format!("conf {k}={v}")), "{out}");
    let driver = &env.pods("spark-role=driver")[0];
    assert_eq!(driver["metadata"]["labels"]["spark-version"], "3.5.3");
    let spec = driver["spec"].to_string();
    assert!(!spec.contains(v), "{spec}");
    assert!(spec.contains("$(SPARK_K8SCLI_SECRET_CONF_0)"), "{spec}");
}

/// An image without a release tag: direct mode cannot know which spark-submit to reproduce, so
/// the job goes through a submit pod, and says so; `sparkVersion` names the release.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_release_goes_through_a_submit_pod() {
    let env = Sandbox::start(Mode::Cluster, "direct-unknown", SimConfig::default()).await;
    let (_, err) = direct(&env, "dir-unk")
        .conf("spark.kubernetes.container.image=registry.local/spark")
        .exits(0)
        .await;
    assert_holds(
        &err,
        &[
            "direct submit does not cover the job's Spark release: the image's tag names none",
            "set spark.k8scli.sparkVersion",
            "submitted: pod dir-unk-submit",
        ],
    );
    // A release direct mode does not model goes through a submit pod too.
    let (_, err) = direct(&env, "dir-old")
        .conf("spark.kubernetes.container.image=apache/spark:3.4.1")
        .exits(0)
        .await;
    assert_holds(
        &err,
        &[
            "Spark 3.4.1 is older than 3.5",
            "submitted: pod dir-old-submit",
        ],
    );
    let (_, err) = direct(&env, "dir-pin")
        .conf("spark.kubernetes.container.image=registry.local/spark")
        .conf("spark.k8scli.sparkVersion=4.0")
        .exits(0)
        .await;
    assert!(err.contains("submitted directly"), "{err}");
    let (_, err) = direct(&env, "dir-bad-version")
        .conf("spark.k8scli.sparkVersion=four")
        .exits(1)
        .await;
    assert!(
        err.contains("Invalid value 'four' for launcher setting sparkVersion"),
        "{err}"
    );
    assert!(env.pods("spark-k8s-cli/job-id=dir-bad-version").is_empty());
}

/// SIGTERM while the driver runs: the driver goes, and with it (owner references) its Service,
/// NetworkPolicy, ConfigMap and Secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_leaves_nothing_behind() {
    let env = Sandbox::start(Mode::Cluster, "direct-term", SimConfig::default()).await;
    let child = direct(&env, "dir-term")
        .driver_seconds(600.0)
        .conf("spark.db.password=x-secret")
        .spawn();
    env.wait_running("dir-term", "driver").await;
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = finish(child).await;
    assert_eq!(
        out.status.code(),
        Some(143),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.wait_gone("spark-k8s-cli/job-id=dir-term").await;
    let cluster = &env.sim.clusters[0];
    for plural in ["services", "configmaps", "networkpolicies", "secrets"] {
        let left: Vec<Value> = watch::list(cluster, plural, "")
            .into_iter()
            .filter(|o| !o["metadata"]["ownerReferences"].is_null())
            .collect();
        assert!(left.is_empty(), "{plural} left: {left:#?}");
    }
}

/// `--dry-run` prints what direct mode would create: the Secret (values redacted), the driver
/// pod, its Service, NetworkPolicy and ConfigMap, and no submit pod.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_direct_objects() {
    let env = Sandbox::start(Mode::Cluster, "direct-dry", SimConfig::default()).await;
    let (out, err) = direct(&env, "dir-dry")
        .conf("spark.db.password=hunter2-dry")
        .dry_run()
        .exits(0)
        .await;
    let kinds: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(kinds, ["Secret", "Pod", "Service", "ConfigMap"], "{out}");
    assert!(!out.contains("hunter2-dry"), "{out}");
    assert!(!out.contains("dir-dry-submit"), "{out}");
    assert!(out.contains("name: dir-dry-driver"), "{out}");
    assert!(
        err.contains("direct (as Spark 4.0.0's spark-submit)"),
        "{err}"
    );
    assert!(env.pods("").is_empty());
}

/// Small local files travel as in `pod` mode, in the job's Secret mounted in the driver and the
/// executors (`spark.kubernetes.driver.secrets.*`, which direct mode reproduces); files to
/// upload to `spark.kubernetes.file.upload.path` need the submit pod's spark-submit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_files_travel_in_the_jobs_secret() {
    let env = Sandbox::start(Mode::Cluster, "direct-files", SimConfig::default()).await;
    let jar = env.write("app/etl.jar", b"PK\x03\x04 not much of a jar");
    let data = env.write("app/lookup.csv", "k,v\n");
    let (_, err) = direct(&env, "dir-files")
        .resource(&jar)
        .args(["--files", data.to_str().unwrap()])
        .exits(0)
        .await;
    assert!(err.contains("submitted directly"), "{err}");
    let driver = &env.pods("spark-role=driver")[0];
    let volumes = driver["spec"]["volumes"].to_string();
    assert!(volumes.contains("dir-files-deps"), "{volumes}");
    // With an upload path the submit pod's spark-submit uploads them: a submit pod.
    let (_, err) = direct(&env, "dir-upload")
        .resource(&jar)
        .args(["--files", data.to_str().unwrap()])
        .conf("spark.kubernetes.file.upload.path=s3a://bucket/uploads")
        .exits(0)
        .await;
    assert_holds(
        &err,
        &[
            "direct submit does not cover local files to upload",
            "submitted: pod dir-upload-submit",
        ],
    );
}

both_modes! {
/// Local pod templates are read by the launcher, as spark-submit on the submitting machine
/// reads them: in cluster mode nothing of them is shipped (no deps Secret), the driver runs in
/// the template's `spark` container, appended after its sidecar as Spark appends it, whose log
/// is the one followed; the executors' template reaches the driver in its ConfigMap.
async fn local_pod_templates_are_read_by_the_launcher(mode: Mode) {
    let env = Sandbox::start(mode, "direct-templates", SimConfig::default()).await;
    let driver_template = env.write(
        "templates/driver.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: from-template\nspec:\n  containers:\n  - name: log-agent\n    image: busybox\n    command: [\"true\"]\n  - name: spark\n    env:\n    - name: FROM_TEMPLATE\n      value: \"1\"\n",
    );
    let executor_template = env.write(
        "templates/executor.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: executors\n",
    );
    let mut cms = Created::start(&env, "configmaps");
    let (out, err) = direct(&env, "dir-tpl")
        .conf(&format!("spark.kubernetes.driver.podTemplateFile={}", driver_template.display()))
        .conf("spark.kubernetes.driver.podTemplateContainerName=spark")
        .conf(&format!("spark.kubernetes.executor.podTemplateFile={}", executor_template.display()))
        .exits(0)
        .await;
    if mode == Mode::Client {
        // The driver runs in the submit pod, which reads the templates from the deps Secret.
        assert_holds(&err, &["direct submit does not cover client mode"]);
        return;
    }
    assert!(err.contains("submitted directly"), "{err}");
    assert!(out.lines().any(|l| l.trim() == "exit code: 0"), "{out}");
    let secrets = watch::list(&env.sim.clusters[0], "secrets", "spark-k8s-cli/job-id=dir-tpl");
    assert!(secrets.is_empty(), "nothing to ship, yet {secrets:#?}");
    // The driver's own log was followed (the sidecar says nothing).
    assert!(out.contains("SparkContext: Successfully stopped SparkContext"), "{out}");
    let driver = &env.pods("spark-role=driver")[0];
    let names: Vec<&str> = driver["spec"]["containers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["log-agent", "spark"]);
    assert_eq!(driver["metadata"]["labels"]["team"], "from-template");
    let spec = driver["spec"].to_string();
    assert!(!spec.contains("-deps"), "{spec}");
    // The properties name the templates where they were read, as spark-submit writes them.
    let cms = cms.objects();
    let props = cms.iter().find_map(|c| c["data"]["spark.properties"].as_str()).expect("spark.properties");
    assert!(props.contains("spark.kubernetes.driver.podTemplateFile="), "{props}");
    assert!(props.contains("templates/driver.yaml"), "{props}");
    // PodTemplateConfigMapStep's ConfigMap, key `podspec-configmap-key`.
    let exec_cm = cms.iter().find_map(|c| c["data"]["podspec-configmap-key"].as_str()).expect("the executors' template ConfigMap");
    assert!(exec_cm.contains("team: executors"), "{exec_cm}");
}
}

/// Direct submit is the default: a cluster-mode job that names no submit mode goes direct (the
/// tests' environment names `pod` for the submit pod's tests; here it is taken away).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_is_direct() {
    let env = Sandbox::start(Mode::Cluster, "direct-default", SimConfig::default()).await;
    let job = env
        .spark_pi()
        .job("dir-default")
        .conf("spark.executor.instances=1")
        .driver_seconds(0.3);
    let mut c = job.command();
    c.env_remove("SPARK_K8S_CLI_SUBMIT_MODE");
    let (_, err) = common::home::exited(&common::home::output(c).await, 0);
    assert!(err.contains("job dir-default submitted directly"), "{err}");
    assert!(
        env.pods("spark-k8s-cli/job-id=dir-default")
            .iter()
            .all(|p| p["metadata"]["name"] != "dir-default-submit")
    );
}
