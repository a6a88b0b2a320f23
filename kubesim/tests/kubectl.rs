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
        // The watch lists, then follows from the list's resourceVersion; it is killed at the
        // end (its timeout only bounds a hang: at 3 s it ran out before the next `apply` on a
        // busy machine, 1 of 50 runs under CPU load).
        let mut cmd = Command::new("kubectl");
        cmd.args(["get", "pods", "-w", "--request-timeout=60s", "-o", "name"])
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
    let cluster = sim.clusters[0].clone();
    tokio::task::spawn_blocking(move || {
        // The container runs until the test closes its stdin (`cat` then ends), so `wait` and
        // `logs -f` meet it running however slowly kubectl starts on a busy machine.
        let pod = "apiVersion: v1
kind: Pod
metadata:
  name: talker
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: [sh, -c, 'echo one; cat; echo two; exit 0']
    stdin: true
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
        let mut follow = Command::new("kubectl")
            .args(["logs", "-f", "talker", "--request-timeout=20s"])
            .env("KUBECONFIG", k.home.join("config"))
            .env("HOME", &k.home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(follow.stdout.take().unwrap());
        let mut first = String::new();
        std::io::BufRead::read_line(&mut out, &mut first).unwrap();
        assert_eq!(first, "one\n");
        let key = (
            "default".to_string(),
            "talker".to_string(),
            "main".to_string(),
        );
        cluster
            .stdin
            .writer(&key)
            .expect("the container's stdin is open")
            .send(kubesim::stdio::StdinMsg::Eof)
            .unwrap();
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        assert_eq!(rest, "two\n");
        assert!(follow.wait().unwrap().success());
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

/// Logs of containers that have none yet, as the API server and kubelet answer: an unscheduled
/// pod has no log location (`LogLocation`, pkg/registry/core/pod/strategy.go: 204 No Content,
/// kubectl prints nothing), a pod failing its image pull gets the kubelet's text
/// (`validateContainerLogStatus`, pkg/kubelet/kubelet_pods.go); `--timestamps` prefixes each line
/// with the kubelet's fixed nine-digit RFC 3339 time (pkg/kubelet/kuberuntime/logs/logs.go).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_logs_of_pods_without_a_log_and_with_timestamps() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "logstatus");
    tokio::task::spawn_blocking(move || {
        let pod = |name: &str, image: &str, cpu: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: {image}\n    command: [sh, -c, 'echo hello; echo world; sleep 3600']\n    resources:\n      requests: {{cpu: \"{cpu}\"}}\n"
            )
        };
        k.ok(&["apply", "-f", "-"], Some(&pod("huge", "busybox:1.36", "1000")));
        k.ok(&["apply", "-f", "-"], Some(&pod("nopull", "does-not-exist:1", "1")));
        k.ok(&["apply", "-f", "-"], Some(&pod("box", "busybox:1.36", "1")));
        k.ok(&["wait", "--for=condition=PodScheduled=false", "pod/huge", "--timeout=20s"], None);
        let out = k.run(&["logs", "huge"], None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "");

        k.ok(&["wait", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ImagePullBackOff", "pod/nopull", "--timeout=20s"], None);
        let out = k.run(&["logs", "nopull"], None);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (BadRequest): container \"main\" in pod \"nopull\" is waiting to start: trying and failing to pull image"
        );

        k.ok(&["wait", "--for=condition=Ready", "pod/box", "--timeout=20s"], None);
        let logs = k.ok(&["logs", "box", "--timestamps"], None);
        let lines: Vec<&str> = logs.lines().collect();
        assert_eq!(lines.len(), 2, "{logs}");
        for (line, text) in lines.iter().zip(["hello", "world"]) {
            let (ts, rest) = line.split_once(' ').unwrap();
            assert_eq!(rest, text);
            // 2026-01-02T03:04:05.123456789Z
            assert_eq!(ts.len(), 30, "{ts}");
            assert_eq!((&ts[10..11], &ts[19..20], &ts[29..]), ("T", ".", "Z"), "{ts}");
            assert!(ts[20..29].chars().all(|c| c.is_ascii_digit()), "{ts}");
        }
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

/// The words of a table's header line and its rows, each row keyed by its first cell.
fn table(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = out.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no row {first} in {rows:?}"))
}

/// `kubectl get` prints the server's Table (kubectl asks for it in `Accept`): the columns of the
/// API server's printers (pkg/printers/internalversion/printers.go, `AddHandlers`), STATUS as
/// `printPod` computes it, the wide columns with `-o wide`, events as `printEvent` prints them;
/// `get all` lists the kinds of category `all` only (pods, services: no config maps).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_get_prints_the_servers_table_columns() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "table");
    tokio::task::spawn_blocking(move || {
        let pod = |name: &str, image: &str, command: &str, cpu: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: {image}\n    command: [{command}]\n    resources:\n      requests: {{cpu: \"{cpu}\"}}\n"
            )
        };
        k.ok(&["apply", "-f", "-"], Some(&pod("box", "busybox:1.36", "sleep-forever", "1")));
        k.ok(&["apply", "-f", "-"], Some(&pod("done", "busybox:1.36", "\"true\"", "1")));
        k.ok(&["apply", "-f", "-"], Some(&pod("nopull", "does-not-exist:1", "sleep-forever", "1")));
        k.ok(&["apply", "-f", "-"], Some(&pod("huge", "busybox:1.36", "sleep-forever", "1000")));
        k.ok(&["apply", "-f", "-"], Some("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: b\n"));
        k.ok(&["wait", "--for=condition=Ready", "pod/box", "--timeout=20s"], None);
        k.ok(&["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/done", "--timeout=20s"], None);
        k.ok(&["wait", "--for=condition=PodScheduled=false", "pod/huge", "--timeout=20s"], None);
        k.ok(&["wait", "--for=jsonpath={.status.containerStatuses[0].state.waiting.reason}=ImagePullBackOff", "pod/nopull", "--timeout=20s"], None);

        let (header, rows) = table(&k.ok(&["get", "pods"], None));
        assert_eq!(header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        assert_eq!(row(&rows, "box")[1..4], ["1/1", "Running", "0"]);
        assert_eq!(row(&rows, "done")[1..4], ["0/1", "Completed", "0"]);
        assert_eq!(row(&rows, "nopull")[1..4], ["0/1", "ImagePullBackOff", "0"]);
        assert_eq!(row(&rows, "huge")[1..4], ["0/1", "Pending", "0"]);
        assert!(row(&rows, "box")[4].ends_with('s'), "AGE {:?}", row(&rows, "box"));

        let (header, rows) = table(&k.ok(&["get", "pods", "-o", "wide"], None));
        assert_eq!(
            header,
            ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED", "NODE", "READINESS", "GATES"]
        );
        let node = k.ok(&["get", "pod", "box", "-o", "jsonpath={.spec.nodeName}"], None);
        let ip = k.ok(&["get", "pod", "box", "-o", "jsonpath={.status.podIP}"], None);
        assert_eq!(row(&rows, "box")[5..], [ip, node.clone(), "<none>".into(), "<none>".into()]);
        assert_eq!(row(&rows, "huge")[5..], ["<none>", "<none>", "<none>", "<none>"]);

        // One pod by name is a one-row Table too.
        let (header, rows) = table(&k.ok(&["get", "pod", "box"], None));
        assert_eq!((header.len(), rows.len()), (5, 1));

        let (header, rows) = table(&k.ok(&["get", "events"], None));
        assert_eq!(header, ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
        assert!(
            rows.iter().any(|r| r[1..4] == ["Normal", "Scheduled", "pod/box"]
                && r[4..].join(" ") == format!("Successfully assigned default/box to {node}")),
            "{rows:?}"
        );
        assert!(
            rows.iter().any(|r| r[1..4] == ["Warning", "FailedScheduling", "pod/huge"]),
            "{rows:?}"
        );

        let (header, rows) = table(&k.ok(&["get", "configmaps"], None));
        assert_eq!(header, ["NAME", "DATA", "AGE"]);
        assert_eq!(row(&rows, "conf")[1], "1");
        let (header, rows) = table(&k.ok(&["get", "nodes"], None));
        assert_eq!(header, ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]);
        assert_eq!(row(&rows, &node)[1..3], ["Ready", "<none>"]);
        assert_eq!(row(&rows, &node)[4], "v1.32.4");
        let (header, rows) = table(&k.ok(&["get", "namespaces"], None));
        assert_eq!(header, ["NAME", "STATUS", "AGE"]);
        assert_eq!(row(&rows, "default")[1], "Active");

        // `get all`: pods (and services), never config maps; kinds are named `kind/name`.
        let all = k.ok(&["get", "all"], None);
        assert!(all.contains("pod/box"), "{all}");
        assert!(!all.contains("conf"), "{all}");
        let (header, _) = table(&all);
        assert_eq!(header, ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);

        // describe is kubectl's own: the pod, then its events in kubectl's columns.
        let describe = k.ok(&["describe", "pod", "box"], None);
        let field = |name: &str| {
            describe
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}:")).map(|v| v.trim().to_string()))
                .unwrap_or_else(|| panic!("no {name}: in {describe}"))
        };
        assert_eq!(field("Name"), "box");
        assert_eq!(field("Status"), "Running");
        assert_eq!(field("Node"), format!("{node}/172.18.0.2"));
        let events = describe.split("Events:").nth(1).unwrap_or_default();
        let (header, rows) = table(events);
        assert_eq!(header, ["Type", "Reason", "Age", "From", "Message"]);
        assert!(rows.iter().any(|r| r[..2] == ["Normal", "Scheduled"]), "{events}");
    })
    .await
    .unwrap();
}

/// Stress for the exec output race (run by hand: `KUBESIM_EXEC_RUNS=200 … --ignored`, with the
/// machine under CPU load): kubectl 1.30-1.33's WebSocket client starts reading frames before it
/// has created its streams (client-go `remotecommand/websocket.go`, `StreamWithContext`; fixed
/// upstream by kubernetes/kubernetes#131203) and drops what arrives for a stream it has not made
/// yet, logging `Unknown stream id`. Counts runs that lost output or saw a dropped frame.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a stress run by hand under CPU load (KUBESIM_EXEC_RUNS), minutes long; the race it counts is pinned by kubectl_exec_streams_output_stdin_and_the_exit_code"]
async fn kubectl_exec_output_race_stress() {
    let runs: usize = std::env::var("KUBESIM_EXEC_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(50);
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = std::sync::Arc::new(Kubectl::new(&sim, "execstress"));
    let k2 = k.clone();
    tokio::task::spawn_blocking(move || {
        k2.ok(
            &[
                "run",
                "box",
                "--image=busybox:1.36",
                "--restart=Never",
                "--command",
                "--",
                "sleep-forever",
            ],
            None,
        );
        k2.ok(
            &["wait", "--for=condition=Ready", "pod/box", "--timeout=20s"],
            None,
        );
    })
    .await
    .unwrap();
    let mut handles = Vec::new();
    for _ in 0..4 {
        let k = k.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            let (mut lost, mut dropped) = (0, 0);
            for _ in 0..runs / 4 {
                let out = k.run(
                    &[
                        "exec",
                        "box",
                        "--",
                        "sh",
                        "-c",
                        "echo out; echo err >&2; hostname; exit 3",
                    ],
                    None,
                );
                if String::from_utf8_lossy(&out.stdout) != "out\nbox\n"
                    || out.status.code() != Some(3)
                {
                    lost += 1;
                    eprintln!(
                        "lost: {:?} {:?} {:?}",
                        out.status.code(),
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                if String::from_utf8_lossy(&out.stderr).contains("Unknown stream id") {
                    dropped += 1;
                }
            }
            (lost, dropped)
        }));
    }
    let (mut lost, mut dropped) = (0, 0);
    for h in handles {
        let (l, d) = h.await.unwrap();
        lost += l;
        dropped += d;
    }
    eprintln!("exec runs {runs}: output lost in {lost}, a frame dropped in {dropped}");
    assert_eq!((lost, dropped), (0, 0));
}

/// A Service gets what the registry gives it (`SetDefaults_Service`, pkg/apis/core/v1/defaults.go;
/// pkg/registry/core/service/storage/alloc.go): type ClusterIP, a cluster IP from the service
/// CIDR (headless `None` stays), TCP, `targetPort` = `port`, session affinity None, the IP family
/// fields, internal traffic policy Cluster; node ports for NodePort. `kubectl get svc` shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_services_get_the_registrys_defaults() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "svc");
    tokio::task::spawn_blocking(move || {
        let svc = |name: &str, extra: &str| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: demo}}\n{extra}  ports:\n  - name: rpc\n    port: 7078\n"
            )
        };
        k.ok(&["apply", "-f", "-"], Some(&svc("plain", "")));
        k.ok(&["apply", "-f", "-"], Some(&svc("headless", "  clusterIP: None\n")));
        k.ok(&["apply", "-f", "-"], Some(&svc("np", "  type: NodePort\n")));
        let spec = |name: &str| -> serde_json::Value {
            serde_json::from_str(&k.ok(&["get", "svc", name, "-o", "jsonpath={.spec}"], None)).unwrap()
        };
        let plain = spec("plain");
        let ip = plain["clusterIP"].as_str().unwrap().to_string();
        let octets: Vec<u32> = ip.split('.').map(|o| o.parse().unwrap()).collect();
        assert_eq!((octets[0], octets[1] & 0xF0), (10, 96), "{ip} in 10.96.0.0/12");
        assert_eq!(plain["clusterIPs"], serde_json::json!([ip]));
        assert_eq!(
            (&plain["type"], &plain["sessionAffinity"], &plain["internalTrafficPolicy"], &plain["ipFamilyPolicy"]),
            (&"ClusterIP".into(), &"None".into(), &"Cluster".into(), &"SingleStack".into())
        );
        assert_eq!(plain["ipFamilies"], serde_json::json!(["IPv4"]));
        assert_eq!(plain["ports"], serde_json::json!([{"name": "rpc", "port": 7078, "protocol": "TCP", "targetPort": 7078}]));
        let headless = spec("headless");
        assert_eq!((&headless["clusterIP"], &headless["clusterIPs"]), (&"None".into(), &serde_json::json!(["None"])));
        let np = spec("np");
        let node_port = np["ports"][0]["nodePort"].as_i64().unwrap();
        assert!((30000..=32767).contains(&node_port), "{np}");
        assert_eq!(np["externalTrafficPolicy"], "Cluster");
        assert_ne!(np["clusterIP"], plain["clusterIP"]);

        let (header, rows) = table(&k.ok(&["get", "services", "-o", "wide"], None));
        assert_eq!(header, ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]);
        let plain_row = row(&rows, "plain");
        assert_eq!(plain_row[1..5], ["ClusterIP".to_string(), ip, "<none>".into(), "7078/TCP".into()]);
        assert_eq!(plain_row[6], "app=demo");
        assert_eq!(row(&rows, "headless")[1..5], ["ClusterIP", "None", "<none>", "7078/TCP"]);
        assert_eq!(row(&rows, "np")[4], format!("7078:{node_port}/TCP"));
        // `get all` shows them after the pods' table, in `service/NAME` rows.
        let all = k.ok(&["get", "all"], None);
        assert!(all.contains("service/plain"), "{all}");
    })
    .await
    .unwrap();
}

/// Fact sheet §1.1 (mutating admission): the ServiceAccount plugin (`Plugin.Admit` in
/// plugin/pkg/admission/serviceaccount/admission.go) names `default` when a pod names none and
/// refuses a pod whose service account does not exist with `getServiceAccount`'s NotFound wrapped
/// in a 403; the serviceaccounts controller gives every namespace a `default` ServiceAccount.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_pods_need_an_existing_service_account() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "sa");
    tokio::task::spawn_blocking(move || {
        let with_sa = POD.replace("NAME", "sa-pod").replace("  restartPolicy: Never\n", "  restartPolicy: Never\n  serviceAccountName: spark\n");
        let out = k.run(&["apply", "-f", "-"], Some(&with_sa));
        assert!(!out.status.success());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"sa-pod\" is forbidden: error looking up service account default/spark: serviceaccount \"spark\" not found"
        );
        let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: spark\n";
        assert_eq!(k.ok(&["apply", "-f", "-"], Some(sa)).trim(), "serviceaccount/spark created");
        assert_eq!(k.ok(&["apply", "-f", "-"], Some(&with_sa)).trim(), "pod/sa-pod created");

        // A new namespace gets its `default` ServiceAccount; a pod naming none runs as it.
        k.ok(&["apply", "-f", "-"], Some("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n"));
        assert_eq!(k.ok(&["get", "serviceaccounts", "-n", "team", "-o", "name"], None).trim(), "serviceaccount/default");
        k.ok(&["apply", "-n", "team", "-f", "-"], Some(&POD.replace("NAME", "plain")));
        assert_eq!(
            k.ok(&["get", "pod", "plain", "-n", "team", "-o", "jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}"], None),
            "default default"
        );
    })
    .await
    .unwrap();
}

/// Fact sheet §4.12 (pod updates, label values), §4.9 and §4.10 (selectors), §3 (405): kubectl
/// prints what a real server answers.
/// - `ValidatePodUpdate` (pkg/apis/core/validation/validation.go): only images,
///   activeDeadlineSeconds, added tolerations and a negative grace period set to 1 may change.
/// - `ValidateLabels` (apimachinery pkg/apis/meta/v1/validation): `IsQualifiedName` for keys,
///   `IsValidLabelValue` for values (apimachinery pkg/util/validation/validation.go).
/// - `labels.Parse` (apimachinery pkg/labels/selector.go) refuses a bad selector with 400; kinds
///   without a field label conversion func use `DefaultMetaV1FieldSelectorConversion`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_sees_the_real_refusals_for_updates_labels_and_selectors() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "strict");
    tokio::task::spawn_blocking(move || {
        let err = |args: &[&str]| {
            let out = k.run(args, None);
            assert!(!out.status.success(), "kubectl {args:?} succeeded");
            String::from_utf8_lossy(&out.stderr).trim().to_string()
        };
        assert_eq!(k.ok(&["apply", "-f", "-"], Some(&POD.replace("NAME", "p1"))).trim(), "pod/p1 created");
        // Pod spec updates: an image may change, the restart policy may not.
        assert_eq!(
            k.ok(&["patch", "pod", "p1", "-p", r#"{"spec":{"containers":[{"name":"main","image":"busybox:1.37"}]}}"#], None).trim(),
            "pod/p1 patched"
        );
        let e = err(&["patch", "pod", "p1", "-p", r#"{"spec":{"restartPolicy":"Always"}}"#]);
        assert!(
            e.starts_with("The Pod \"p1\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"),
            "{e}"
        );
        assert!(e.contains("restartPolicy"), "{e}");
        let e = err(&["patch", "pod", "p1", "-p", r#"{"spec":{"activeDeadlineSeconds":-5}}"#]);
        assert_eq!(e, "The Pod \"p1\" is invalid: spec.activeDeadlineSeconds: Invalid value: -5: must be between 0 and 2147483647, inclusive");

        // Labels: a bad value and a bad key are 422 on metadata.labels.
        let e = err(&["patch", "pod", "p1", "--type=merge", "-p", r#"{"metadata":{"labels":{"tier":"-web-"}}}"#]);
        assert_eq!(
            e,
            "The Pod \"p1\" is invalid: metadata.labels: Invalid value: \"-web-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
        let e = err(&["patch", "pod", "p1", "--type=merge", "-p", r#"{"metadata":{"labels":{"a/b/c":"x"}}}"#]);
        assert_eq!(
            e,
            "The Pod \"p1\" is invalid: metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        );

        // Selectors: an unparseable label selector and an unknown field are 400, not an empty list.
        let e = err(&["get", "pods", "-l", "app:x"]);
        assert!(e.starts_with("Error from server (BadRequest): "), "{e}");
        assert!(
            e.ends_with(": unable to parse requirement: <nil>: Invalid value: \"app:x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
            "{e}"
        );
        let e = err(&["get", "configmaps", "--field-selector", "spec.foo=x"]);
        assert!(e.starts_with("Error from server (BadRequest): "), "{e}");
        assert!(e.ends_with(": \"spec.foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""), "{e}");

        // A method no route serves: POST on an object URL.
        let e = err(&["create", "--raw", "/api/v1/namespaces/default/pods/p1", "-f", "-"]);
        assert_eq!(e, "Error from server (MethodNotAllowed): the server does not allow this method on the requested resource");
    })
    .await
    .unwrap();
}

/// Fact sheet §4.15: `kubectl delete --cascade=orphan` sends `propagationPolicy: Orphan`; the
/// garbage collector's `orphanDependents` (pkg/controller/garbagecollector/garbagecollector.go)
/// removes the owner's reference from each dependent, which stays. `--cascade=background` (the
/// default) still deletes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_orphan_delete_keeps_the_dependents() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let k = Kubectl::new(&sim, "orphan");
    tokio::task::spawn_blocking(move || {
        let cm = |name: &str, owner: Option<(&str, &str)>| {
            let refs = owner
                .map(|(n, uid)| format!("  ownerReferences: [{{apiVersion: v1, kind: ConfigMap, name: {n}, uid: {uid}}}]\n"))
                .unwrap_or_default();
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{refs}data: {{k: v}}\n")
        };
        for (owner, child) in [("owner-a", "child-a"), ("owner-b", "child-b")] {
            k.ok(&["apply", "-f", "-"], Some(&cm(owner, None)));
            let uid = k.ok(&["get", "configmap", owner, "-o", "jsonpath={.metadata.uid}"], None);
            k.ok(&["apply", "-f", "-"], Some(&cm(child, Some((owner, &uid)))));
        }
        assert_eq!(
            k.ok(&["delete", "configmap", "owner-a", "--cascade=orphan"], None).trim(),
            "configmap \"owner-a\" deleted"
        );
        assert_eq!(k.ok(&["get", "configmap", "child-a", "-o", "jsonpath={.metadata.name} refs={.metadata.ownerReferences}"], None), "child-a refs=");
        k.ok(&["delete", "configmap", "owner-b", "--cascade=background"], None);
        let out = k.run(&["get", "configmap", "child-b"], None);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            "Error from server (NotFound): configmaps \"child-b\" not found"
        );
    })
    .await
    .unwrap();
}
