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
        // The shell's driver asked for its executor.
        assert!(
            k.ok(&["get", "pods"], None)
                .contains("spark-shell-exec-exec-1")
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
