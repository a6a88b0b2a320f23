//! Conformance with a client nobody here wrote: the machine image's kubectl (the gcloud
//! dispatcher picks kubectl 1.32 from kubesim's `/version`).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use kubesim::{Sim, SimConfig};

struct Kubectl {
    home: PathBuf,
}

impl Kubectl {
    fn new(sim: &Sim, name: &str) -> Kubectl {
        let which = Command::new("sh")
            .args(["-c", "command -v kubectl"])
            .output()
            .unwrap();
        assert!(
            which.status.success(),
            "kubectl is not on PATH: this check needs the machine image's kubectl"
        );
        let home =
            std::env::temp_dir().join(format!("kubesim-kubectl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("config"), sim.kubeconfig()).unwrap();
        Kubectl { home }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new("kubectl");
        cmd.args(args)
            .env("KUBECONFIG", self.home.join("config"))
            .env("HOME", &self.home)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Kubectl {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: NAME
  labels: {app: demo}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    resources:
      requests: {cpu: \"3\", memory: 1Gi}
      limits: {memory: 1Gi}
";

const SPARK_APP: &str = "apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata:
  name: pi
spec:
  type: TYPE
  mode: cluster
  image: apache/spark:4.0.0
  mainClass: org.apache.spark.examples.SparkPi
  mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
  sparkVersion: 4.0.0
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_get_apply_delete_and_quota() {
    let sim = Sim::start(SimConfig {
        clusters: 2,
        quota: Some(vec![
            ("cpu".into(), "4".into()),
            ("memory".into(), "8Gi".into()),
            ("pods".into(), "10".into()),
        ]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let k = Kubectl::new(&sim, "basic");
    tokio::task::spawn_blocking(move || {
        let ns = k.ok(&["get", "namespaces", "-o", "name"], None);
        assert!(ns.contains("namespace/default") && ns.contains("namespace/kube-system"), "{ns}");
        assert_eq!(k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "p1"))).trim(), "pod/p1 created");
        assert_eq!(k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "p1"))).trim(), "pod/p1 unchanged");
        let phase = k.ok(&["get", "pod", "p1", "-o", "jsonpath={.status.phase}"], None);
        assert!(phase == "Pending" || phase == "Running", "{phase}");
        assert_eq!(k.ok(&["label", "pod", "p1", "extra=yes"], None).trim(), "pod/p1 labeled");
        assert_eq!(k.ok(&["get", "pods", "-l", "extra=yes", "-o", "name"], None).trim(), "pod/p1");

        // The quota rejection, word for word as a real cluster prints it.
        let out = k.run(&["apply", "-f", "-"], Some(&POD.replace("NAME", "p2")));
        assert!(!out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"p2\" is forbidden: exceeded quota: compute, requested: cpu=3, used: cpu=3, limited: cpu=4"
        );
        assert_eq!(
            k.ok(&["get", "quota", "compute", "-o", "jsonpath={.status.used.cpu}"], None),
            "3"
        );

        // A custom resource: created, then changed through a merge patch.
        assert_eq!(
            k.ok(&["apply", "-f", "-"], Some(&SPARK_APP.replace("TYPE", "Scala"))).trim(),
            "sparkapplication.sparkoperator.k8s.io/pi created"
        );
        assert_eq!(
            k.ok(&["apply", "-f", "-"], Some(&SPARK_APP.replace("TYPE", "Java"))).trim(),
            "sparkapplication.sparkoperator.k8s.io/pi configured"
        );
        assert_eq!(k.ok(&["get", "sparkapp", "pi", "-o", "jsonpath={.spec.type}"], None), "Java");
        k.ok(&["delete", "sparkapplication", "pi"], None);

        assert_eq!(k.ok(&["delete", "pod", "p1"], None).trim(), "pod \"p1\" deleted");
        assert_eq!(k.ok(&["get", "quota", "compute", "-o", "jsonpath={.status.used.cpu}"], None), "0");
        let out = k.run(&["get", "pod", "p1"], None);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (NotFound): pods \"p1\" not found"
        );
        // The second context is a second cluster.
        let out = k.run(&["--context", "kubesim-2", "get", "pods"], None);
        assert!(String::from_utf8_lossy(&out.stderr).contains("No resources found in default namespace."));
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_get_watch_sees_changes() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "watch");
    tokio::task::spawn_blocking(move || {
        k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "w0")));
        // The watch lists, then follows from the list's resourceVersion; it ends by its timeout.
        let mut cmd = Command::new("kubectl");
        cmd.args(["get", "pods", "-w", "--request-timeout=3s", "-o", "name"])
            .env("KUBECONFIG", k.home.join("config"))
            .env("HOME", &k.home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut lines =
            std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
        // The first line comes from the list; what follows can only come through the watch.
        assert_eq!(lines.next().unwrap().unwrap(), "pod/w0");
        // (w0's own status changes may be printed in between: the kubelet is running it.)
        let mut until = |want: &str| {
            for line in lines.by_ref().take(100) {
                if line.unwrap() == want {
                    return;
                }
            }
            panic!("{want} never came through the watch");
        };
        k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "w1")));
        until("pod/w1");
        k.ok(&["delete", "pod", "w0", "--wait=false"], None);
        until("pod/w0");
        child.kill().ok();
        child.wait().ok();
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_logs_follow_until_the_container_ends() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "logs");
    tokio::task::spawn_blocking(move || {
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: talker
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, 'echo one; sleep 0.3; echo two; exit 0']
";
        k.ok(&["apply", "-f", "-"], Some(pod));
        k.ok(
            &[
                "wait",
                "--for=condition=Ready",
                "pod/talker",
                "--timeout=20s",
            ],
            None,
        );
        // -f follows until the container ends, then kubectl exits.
        assert_eq!(
            k.ok(&["logs", "-f", "talker", "--request-timeout=20s"], None),
            "one\ntwo\n"
        );
        assert_eq!(k.ok(&["logs", "talker", "--tail=1"], None), "two\n");
        let out = k.run(&["logs", "nope"], None);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "error: error from server (NotFound): pods \"nope\" not found in namespace \"default\""
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_over_tls_with_the_generated_ca_and_a_token() {
    let sim = Sim::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    assert!(sim.url(0).starts_with("https://127.0.0.1:"));
    assert!(sim.kubeconfig().contains("certificate-authority-data: "));
    let k = Kubectl::new(&sim, "tls");
    tokio::task::spawn_blocking(move || {
        assert_eq!(
            k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "secure")))
                .trim(),
            "pod/secure created"
        );
        assert_eq!(
            k.ok(&["get", "pods", "-o", "name"], None).trim(),
            "pod/secure"
        );
        // Without the token a TLS cluster answers 401, as a real API server does.
        let config = std::fs::read_to_string(k.home.join("config")).unwrap();
        std::fs::write(
            k.home.join("config"),
            config.replace("token: kubesim-token", "token: wrong"),
        )
        .unwrap();
        let out = k.run(&["get", "pods"], None);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("You must be logged in to the server"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_exec_streams_output_stdin_and_the_exit_code() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "exec");
    tokio::task::spawn_blocking(move || {
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep-forever]
    env: [{name: GREETING, value: hello}]
";
        k.ok(&["apply", "-f", "-"], Some(pod));
        k.ok(
            &["wait", "--for=condition=Ready", "pod/box", "--timeout=20s"],
            None,
        );
        let out = k.run(
            &[
                "exec",
                "box",
                "--",
                "sh",
                "-c",
                "echo out; echo err >&2; printenv GREETING; exit 3",
            ],
            None,
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "out\nhello\n");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("err\n"), "{stderr}");
        assert!(
            stderr.contains("command terminated with exit code 3"),
            "{stderr}"
        );
        assert_eq!(out.status.code(), Some(3));
        // stdin reaches the process; its end ends `cat`.
        assert_eq!(
            k.ok(
                &["exec", "-i", "box", "--", "cat"],
                Some("line one\nline two\n")
            ),
            "line one\nline two\n"
        );
        let out = k.run(&["exec", "box", "--", "no-such-binary"], None);
        assert_ne!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("executable file not found in $PATH"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = k.run(&["exec", "box", "-c", "other", "--", "true"], None);
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("container other is not valid for pod box")
                || String::from_utf8_lossy(&out.stderr)
                    .contains("container other not found in pod box"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_attach_drives_the_spark_shell_repl() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "attach");
    tokio::task::spawn_blocking(move || {
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  restartPolicy: Never
  containers:
  - name: spark
    image: apache/spark:4.3.0
    command: [/opt/spark/bin/spark-shell]
    args: [--master, k8s://https://kubernetes.default.svc, --conf, spark.executor.instances=1]
    stdin: true
    stdinOnce: true
";
        k.ok(&["apply", "-f", "-"], Some(pod));
        k.ok(
            &[
                "wait",
                "--for=condition=Ready",
                "pod/shell",
                "--timeout=20s",
            ],
            None,
        );
        // The shell's driver asked for its executor, named as Spark names it:
        // `<app name>-<16 hex, random>-exec-<id>` (KubernetesConf.getResourceNamePrefix).
        let pods = k.ok(&["get", "pods"], None);
        assert!(
            pods.split_whitespace().any(|w| w
                .strip_prefix("spark-shell-")
                .and_then(|r| r.strip_suffix("-exec-1"))
                .is_some_and(|id| id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()))),
            "{pods}"
        );
        let out = k.run(
            &["attach", "-i", "shell", "--request-timeout=20s"],
            Some("1 + 1\nspark.range(5).count()\nfoo\n:quit\n"),
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("val res0: Int = 2"), "{stdout}");
        assert!(stdout.contains("val res1: Long = 5"), "{stdout}");
        assert!(stdout.contains("error: not found: value foo"), "{stdout}");
        k.ok(
            &[
                "wait",
                "--for=jsonpath={.status.phase}=Succeeded",
                "pod/shell",
                "--timeout=20s",
            ],
            None,
        );
        // The whole session is in the container's log too, banner first.
        let log = k.ok(&["logs", "shell"], None);
        assert!(log.contains("version 4.3.0"), "{log}");
        assert!(log.contains("Spark session available as 'spark'."), "{log}");
        assert!(
            log.contains("scala> val res0: Int = 2") || log.contains("val res0: Int = 2"),
            "{log}"
        );
        // The executors went with the shell.
        let pods = k.ok(&["get", "pods", "-o", "name"], None);
        assert!(!pods.contains("exec-1"), "{pods}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_server_side_apply_owns_fields_and_reports_conflicts() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "ssa");
    tokio::task::spawn_blocking(move || {
        let cm = |value: &str, extra: &str| {
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  key: {value}\n{extra}"
            )
        };
        k.ok(
            &["apply", "--server-side", "-f", "-"],
            Some(&cm("one", "  other: x\n")),
        );
        // A second manager changing the first one's field is refused, naming both.
        let out = k.run(
            &["apply", "--server-side", "--field-manager=team-b", "-f", "-"],
            Some(&cm("two", "")),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .data.key"),
            "{stderr}"
        );
        // --force-conflicts takes the field over.
        k.ok(
            &[
                "apply",
                "--server-side",
                "--field-manager=team-b",
                "--force-conflicts",
                "-f",
                "-",
            ],
            Some(&cm("two", "")),
        );
        let managers = k.ok(
            &[
                "get",
                "configmap",
                "conf",
                "--show-managed-fields",
                "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}",
            ],
            None,
        );
        assert_eq!(managers.trim(), "kubectl:Apply team-b:Apply");
        // The first manager drops `other` from its config: the field goes.
        k.ok(
            &["apply", "--server-side", "-f", "-"],
            Some(&cm("two", "")),
        );
        assert_eq!(
            k.ok(&["get", "configmap", "conf", "-o", "jsonpath={.data}"], None),
            "{\"key\":\"two\"}"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_auth_can_i_and_rbac_refusals_follow_the_rules() {
    use kubesim::access::AccessRule;
    let rule = |verb: &str, resource: &str, allowed: bool| AccessRule {
        verb: verb.into(),
        resource: resource.into(),
        group: "*".into(),
        namespace: "*".into(),
        allowed,
    };
    let sim = Sim::start(SimConfig {
        access: vec![
            rule("create", "pods/exec", false),
            rule("delete", "pods", false),
        ],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let k = Kubectl::new(&sim, "auth");
    tokio::task::spawn_blocking(move || {
        let can_i = |args: &[&str]| {
            let mut a = vec!["auth", "can-i"];
            a.extend_from_slice(args);
            String::from_utf8_lossy(&k.run(&a, None).stdout).trim().to_string()
        };
        assert_eq!(can_i(&["create", "pods"]), "yes");
        assert_eq!(can_i(&["delete", "pods"]), "no");
        assert_eq!(can_i(&["create", "pods", "--subresource=exec"]), "no");
        k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "keep")));
        let out = k.run(&["delete", "pod", "keep"], None);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (Forbidden): pods \"keep\" is forbidden: User \"kubesim-user\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\""
        );
    })
    .await
    .unwrap();
}
