//! The dry run's YAML is accepted by a real client nobody here wrote: the machine's `kubectl`,
//! `apply --dry-run=client` (with kubectl's default validation) and then a real `apply` against
//! kubesim, which stores the Secret and the submit Pod.
#![cfg(feature = "sim")]

use std::io::Write;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

#[test]
fn kubectl_accepts_the_dry_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sim = runtime
        .block_on(kubesim::Sim::start(kubesim::SimConfig::default()))
        .unwrap();
    let which = Command::new("sh")
        .args(["-c", "command -v kubectl"])
        .output()
        .unwrap();
    assert!(
        which.status.success(),
        "kubectl is not on PATH: this check needs the machine image's kubectl"
    );
    let dry = Command::new(BIN)
        .args([
            "--dry-run",
            "--master",
            "k8s://https://example:6443",
            "--deploy-mode",
            "cluster",
            "--class",
            "org.apache.spark.examples.SparkPi",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
            "--conf",
            "spark.hadoop.fs.s3a.secret.key=abc",
            "local:///opt/spark/examples/jars/spark-examples.jar",
            "100",
        ])
        .output()
        .unwrap();
    assert_eq!(dry.status.code(), Some(0));

    let dir = std::env::temp_dir().join(format!("sk8s-kubectl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
    let kubectl = |args: &[&str]| {
        let mut child = Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", &kubeconfig)
            .env("HOME", &dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&dry.stdout).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = kubectl(&["apply", "--dry-run=client", "-o", "json", "-f", "-"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "kubectl refused the dry run:\n{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("kubectl printed JSON");
    let items = json["items"]
        .as_array()
        .expect("a List of the applied objects");
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Secret", "Pod"]);
    let pod = &items[1];
    assert_eq!(pod["spec"]["restartPolicy"], "Never");
    assert_eq!(
        pod["spec"]["containers"][0]["command"][0],
        "/opt/spark/bin/spark-submit"
    );
}
