//! The dry run's YAML is accepted by a real client nobody here wrote: the machine's `kubectl`,
//! `apply --dry-run=client` (with kubectl's default validation) and then a real `apply` against
//! kubesim, which stores the Secret and the submit Pod.
#![cfg(feature = "sim")]

#[path = "common/mode.rs"]
#[macro_use]
mod mode;

use std::io::Write;

use mode::Mode;
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

/// Runs kubectl against `kubeconfig` with `input` on its stdin.
fn kubectl_with(
    kubeconfig: &std::path::Path,
    home: &std::path::Path,
    args: &[&str],
    input: &[u8],
) -> std::process::Output {
    let mut child = Command::new("kubectl")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Waits (on a watch) until pod `name` has ended; its log lines.
async fn ended(sim: &kubesim::Sim, name: &str, container: &str) -> (String, Vec<String>) {
    use kubesim::selector::{FieldSelector, LabelSelector};
    let store = &sim.clusters[0].store;
    let filter = kubesim::store::WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::default(),
    };
    let (initial, mut rx) = store.watch(filter, None).unwrap();
    let done = |o: &serde_json::Value| {
        o["metadata"]["name"] == name
            && matches!(o["status"]["phase"].as_str(), Some("Succeeded" | "Failed"))
    };
    let mut pod = initial
        .into_iter()
        .map(|e| e["object"].clone())
        .find(|o| done(o));
    if pod.is_none() {
        pod = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            loop {
                let ev = rx.recv().await.expect("watch open");
                if done(&ev["object"]) {
                    return ev["object"].clone();
                }
            }
        })
        .await
        .ok();
    }
    let pod = pod.unwrap_or_else(|| panic!("{name} did not end within 60 s"));
    let key = (
        "default".to_string(),
        name.to_string(),
        container.to_string(),
    );
    let lines = sim.clusters[0]
        .logs
        .read(&key, 0)
        .0
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    (
        pod["status"]["phase"].as_str().unwrap_or("").to_string(),
        lines,
    )
}

fn dependency_lines(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .filter_map(|l| {
            l.split_once("INFO kubesim: ")
                .map(|(_, r)| r.trim_end().to_string())
        })
        .collect();
    out.sort();
    out
}

both_modes! {
/// `--dry-run --show-secrets | kubectl apply -f -` runs the job to the same end as a normal
/// submission, local files (a .py, its --py-files zip, a keytab) and a secret property
/// included; without --show-secrets the output says it must be run again to apply as-is, and
/// holds no secret.
async fn an_applied_dry_run_runs_the_job_as_a_submission_does(mode: Mode) {
    let sim = kubesim::Sim::start(kubesim::SimConfig::default()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("sk8s-dryapply-{}-{}", mode.flag(), std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("config");
    std::fs::write(&kubeconfig, sim.kubeconfig()).unwrap();
    std::fs::write(dir.join("app.py"), "print('hello')\n").unwrap();
    std::fs::write(dir.join("helpers.zip"), vec![7u8; 3000]).unwrap();
    std::fs::write(dir.join("etl.keytab"), b"KEYTAB-BYTES-0123456789").unwrap();
    let launcher = |job: &str, extra: &[&str]| {
        let mut c = Command::new(BIN);
        c.args(extra)
            .args([
                "--master",
                &format!("k8s://{}", sim.url(0)),
                "--deploy-mode",
                mode.flag(),
                "--name",
                "pi",
                "--conf",
                "spark.kubernetes.container.image=apache/spark:4.0.0",
                "--conf",
                "spark.executor.instances=1",
                "--conf",
                "spark.kubesim.driver.durationSeconds=0.3",
                "--conf",
                "spark.hadoop.fs.s3a.secret.key=s3cr3t-value",
                "--conf",
                &format!("spark.k8scli.jobId={job}"),
                "--principal",
                "etl@EXAMPLE.COM",
                "--keytab",
                "etl.keytab",
                "--py-files",
                "helpers.zip",
                "app.py",
            ])
            .current_dir(&dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &dir)
            .env("KUBECONFIG", &kubeconfig);
        c.output().unwrap()
    };

    // Redacted by default, and says so.
    let dry = launcher("dry-redacted", &["--dry-run"]);
    let yaml = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(0), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(yaml.contains("Run the dry run again with --show-secrets"), "{yaml}");
    assert!(!yaml.contains("s3cr3t-value"), "{yaml}");
    let keytab_b64 = "S0VZVEFCLUJZVEVTLTAxMjM0NTY3ODk=";
    assert!(!yaml.contains(keytab_b64), "{yaml}");
    assert!(yaml.contains("Redacted (a credential): etl.keytab."), "{yaml}");

    // With --show-secrets: applied as it is, it runs.
    let job = mode.tag("dry");
    let dry = launcher(&job, &["--dry-run", "--show-secrets"]);
    let yaml = dry.stdout.clone();
    let text = String::from_utf8_lossy(&yaml);
    assert_eq!(dry.status.code(), Some(0));
    assert!(!text.contains("redacted"), "{text}");
    assert!(text.contains(keytab_b64), "{text}");
    let kinds: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(kinds, ["Secret", "Secret", "Pod"], "creation order: {text}");
    // The queue ticket is not among them, and the output says so first.
    assert!(
        text.starts_with(&format!("# Every object spark-k8s-cli would create for this job, in creation order, except the queue ticket (the Lease {job}-ticket)")),
        "{text}"
    );
    let applied = kubectl_with(&kubeconfig, &dir, &["apply", "-f", "-"], &yaml);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let (driver, container) = match mode {
        Mode::Cluster => (format!("{job}-driver"), "spark-kubernetes-driver"),
        Mode::Client => (format!("{job}-submit"), "spark-submit"),
    };
    let (phase, lines) = ended(&sim, &driver, container).await;
    assert_eq!(phase, "Succeeded", "{lines:#?}");
    // The applied job left no ticket behind for the queue to wait on.
    let leases = kubectl_with(&kubeconfig, &dir, &["get", "leases", "-o", "name"], b"");
    assert!(leases.status.success(), "{}", String::from_utf8_lossy(&leases.stderr));
    assert_eq!(String::from_utf8_lossy(&leases.stdout), "", "leases after the applied run");
    let applied_deps = dependency_lines(&lines);

    // A normal submission of the same job.
    let job2 = mode.tag("normal");
    let normal = launcher(&job2, &[]);
    let stdout = String::from_utf8_lossy(&normal.stdout).into_owned();
    assert_eq!(normal.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&normal.stderr));
    let normal_lines: Vec<String> = stdout.lines().map(str::to_string).collect();
    let normal_deps = dependency_lines(&normal_lines);
    assert_eq!(applied_deps, normal_deps);
    // The .py, the zip and the keytab each reached the driver.
    assert_eq!(applied_deps.len(), 3, "{applied_deps:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}
}

/// Runs the dry run for a cluster-mode job in `dir` with `extra` before the resource.
fn dry_run_in(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--dry-run")
        .args([
            "--master",
            "k8s://https://example:6443",
            "--deploy-mode",
            "cluster",
            "--class",
            "org.example.App",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
            "--conf",
            "spark.k8scli.jobId=big-1",
        ])
        .args(extra)
        .arg("local:///opt/app/app.jar")
        .current_dir(dir)
        .env("HOME", dir)
        .env("KUBECONFIG", dir.join("no-such-kubeconfig"))
        .output()
        .unwrap()
}

/// A set of local files too big for a Secret is named in the dry run with its size and the
/// stream path it takes, and no Secret is printed for it; a set of exactly the limit still
/// travels in a Secret. The limit is 768 KiB of file bytes (`plan::deps::SECRET_LIMIT`), under
/// the API server's 1 MiB (`MaxSecretSize = 1 * 1024 * 1024`, k8s.io/api core/v1 types.go,
/// checked on the sum of the decoded values).
#[test]
fn a_set_too_big_for_a_secret_is_named_with_its_size_and_stream_path() {
    let dir = std::env::temp_dir().join(format!("sk8s-drybig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limit: usize = 768 * 1024;
    std::fs::write(dir.join("big.bin"), vec![1u8; limit - 1000]).unwrap();
    std::fs::write(dir.join("small.txt"), vec![2u8; 1000]).unwrap();
    std::fs::write(dir.join("one-more.txt"), b"x").unwrap();
    let upload = [
        "--conf",
        "spark.kubernetes.file.upload.path=s3a://bucket/uploads",
    ];

    // Exactly the limit: a Secret.
    let mut args = upload.to_vec();
    args.extend(["--files", "big.bin,small.txt"]);
    let yaml = dry_run_ok(&dir, &args);
    let kinds: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(kinds, ["Secret", "Pod"], "{yaml}");
    assert!(!yaml.contains("too many for a Secret"), "{yaml}");

    // One byte more: streamed, and the comment says how much and where.
    let mut args = upload.to_vec();
    args.extend(["--files", "big.bin,small.txt,one-more.txt"]);
    let yaml = dry_run_ok(&dir, &args);
    let kinds: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.strip_prefix("kind: "))
        .collect();
    assert_eq!(kinds, ["Pod"], "{yaml}");
    let total = limit + 1;
    assert!(
        yaml.contains(&format!(
            "# The job's local files, {total} bytes in all, too many for a Secret: the launcher streams them (tar) into the submit pod's init container `deps` at /opt/spark-k8scli/deps, whose spark-submit uploads them to spark.kubernetes.file.upload.path."
        )),
        "{yaml}"
    );
    let abs = dir.canonicalize().unwrap();
    assert!(
        yaml.contains(&format!(
            "big.bin ({} bytes, from {})",
            limit - 1000,
            abs.join("big.bin").display()
        )),
        "{yaml}"
    );
    // The submit pod has the init container the stream goes to.
    assert!(yaml.contains("name: deps"), "{yaml}");

    // Without an upload path the streamed set cannot work: an error, with the sizes.
    let out = dry_run_in(&dir, &["--files", "big.bin,small.txt,one-more.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("more than fits in a Secret (768.0 KiB)"),
        "{err}"
    );
    assert!(
        err.contains("spark.kubernetes.file.upload.path is not set"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dry run in `dir` that must succeed; its YAML.
fn dry_run_ok(dir: &std::path::Path, args: &[&str]) -> String {
    let out = dry_run_in(dir, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
