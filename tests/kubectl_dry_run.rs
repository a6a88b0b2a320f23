//! The dry run's YAML is accepted by a real client nobody here wrote: the machine's `kubectl`,
//! `apply --dry-run=client` (with kubectl's default validation) and then a real `apply` against
//! kubesim, which stores the Secret and the submit Pod.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::home::{Home, assert_holds, text};
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;

#[test]
fn kubectl_accepts_the_dry_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let env = runtime.block_on(Sandbox::start(
        Mode::Cluster,
        "kubectl",
        kubesim::SimConfig::default(),
    ));
    let which = Command::new("sh")
        .args(["-c", "command -v kubectl"])
        .output()
        .unwrap();
    assert!(
        which.status.success(),
        "kubectl is not on PATH: this check needs the machine image's kubectl"
    );
    let dry = env
        .spark_pi()
        .dry_run()
        .master("k8s://https://example:6443")
        .conf("spark.hadoop.fs.s3a.secret.key=abc")
        .app_args(&["100"])
        .command()
        .output()
        .unwrap();
    assert_eq!(dry.status.code(), Some(0));

    let out = kubectl(
        &env,
        &["apply", "--dry-run=client", "-o", "json", "-f", "-"],
        &dry.stdout,
    );
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

/// Runs kubectl in the sandbox (its kubeconfig, its HOME) with `input` on its stdin.
fn kubectl(env: &Sandbox, args: &[&str], input: &[u8]) -> Output {
    let mut child = env
        .command("kubectl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Waits (on a watch, at most 60 s) until pod `name` has ended; its phase and the log lines
/// of `container`.
async fn ended(env: &Sandbox, name: &str, container: &str) -> (String, Vec<String>) {
    let cluster = &env.sim.clusters[0];
    let pod = watch::wait_ended(cluster, name, std::time::Duration::from_secs(60)).await;
    (
        pod["status"]["phase"].as_str().unwrap_or("").to_string(),
        watch::log(cluster, name, container),
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
    let env = Sandbox::start(mode, "dryapply", kubesim::SimConfig::default()).await;
    env.write("app.py", "print('hello')\n");
    env.write("helpers.zip", vec![7u8; 3000]);
    env.write("etl.keytab", b"KEYTAB-BYTES-0123456789");
    let launcher = |job: &str, extra: &[&str]| {
        env.spark_pi()
            .args(extra)
            .name("pi")
            .no_class()
            .conf("spark.executor.instances=1")
            .driver_seconds(0.3)
            .conf("spark.hadoop.fs.s3a.secret.key=s3cr3t-value")
            .job(job)
            .args([
                "--principal",
                "etl@EXAMPLE.COM",
                "--keytab",
                "etl.keytab",
                "--py-files",
                "helpers.zip",
            ])
            .resource("app.py")
            .command()
            .output()
            .unwrap()
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
    let applied = kubectl(&env, &["apply", "-f", "-"], &yaml);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let (driver, container) = match mode {
        Mode::Cluster => (format!("{job}-driver"), "spark-kubernetes-driver"),
        Mode::Client => (mode.driver(&job), "spark-submit"),
    };
    let (phase, lines) = ended(&env, &driver, container).await;
    assert_eq!(phase, "Succeeded", "{lines:#?}");
    // The applied job left no ticket behind for the queue to wait on.
    let leases = kubectl(&env, &["get", "leases", "-o", "name"], b"");
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
}
}

/// Runs the dry run for a cluster-mode job in `home` with `extra` before the resource.
fn dry_run_in(home: &Home, extra: &[&str]) -> Output {
    home.spark_pi()
        .dry_run()
        .master("k8s://https://example:6443")
        .class("org.example.App")
        .job("big-1")
        .args(extra)
        .resource("local:///opt/app/app.jar")
        .command()
        .env("KUBECONFIG", home.dir.join("no-such-kubeconfig"))
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
    let home = Home::new("drybig");
    let limit: usize = 768 * 1024;
    let big = home.write("big.bin", vec![1u8; limit - 1000]);
    home.write("small.txt", vec![2u8; 1000]);
    home.write("one-more.txt", b"x");
    // The dry run with an upload path and `files`: its YAML, after asserting the kinds of
    // the objects it prints.
    let uploaded = |files: &str, kinds: &[&str]| {
        let upload = "spark.kubernetes.file.upload.path=s3a://bucket/uploads";
        let yaml = dry_run_ok(&home, &["--conf", upload, "--files", files]);
        let printed: Vec<&str> = yaml
            .lines()
            .filter_map(|l| l.strip_prefix("kind: "))
            .collect();
        assert_eq!(printed, kinds, "{yaml}");
        yaml
    };

    // Exactly the limit: a Secret.
    let yaml = uploaded("big.bin,small.txt", &["Secret", "Pod"]);
    assert!(!yaml.contains("too many for a Secret"), "{yaml}");

    // One byte more: streamed, and the comment says how much and where.
    let yaml = uploaded("big.bin,small.txt,one-more.txt", &["Pod"]);
    let total = limit + 1;
    assert_holds(
        &yaml,
        &[
            format!(
                "# The job's local files, {total} bytes in all, too many for a Secret: the launcher streams them (tar) into the submit pod's init container `deps` at /opt/spark-k8scli/deps, whose spark-submit uploads them to spark.kubernetes.file.upload.path."
            ),
            format!(
                "big.bin ({} bytes, from {})",
                limit - 1000,
                big.canonicalize().unwrap().display()
            ),
            // The submit pod has the init container the stream goes to.
            "name: deps".to_string(),
        ],
    );

    // Without an upload path the streamed set cannot work: an error, with the sizes.
    let out = dry_run_in(&home, &["--files", "big.bin,small.txt,one-more.txt"]);
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
}

/// A dry run in `home` that must succeed; its YAML.
fn dry_run_ok(home: &Home, args: &[&str]) -> String {
    let out = dry_run_in(home, args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}
