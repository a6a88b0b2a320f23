//! A session's pod, its Spark networking and its Service, and the shell scripts it ships.

use super::*;
use crate::plan::{JobPlan, PlanInputs, deps, kube_expand, plan};
use k8s_openapi::api::core::v1::Container;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const IMAGE: &str = "--conf=spark.kubernetes.container.image=apache/spark:4.0.0";

fn settings(command: SparkCommand, argv: &[&str]) -> Settings {
    let mut all = vec![IMAGE, "--conf", "spark.k8scli.jobId=s-1"];
    all.extend_from_slice(argv);
    crate::resolve::for_test(command, &all).expect("resolves")
}

fn inputs() -> PlanInputs {
    PlanInputs {
        context_namespace: Some("analysts".into()),
        ..Default::default()
    }
}

fn session(command: SparkCommand, argv: &[&str]) -> JobPlan {
    plan(&settings(command, argv), &inputs()).expect("plans")
}

fn container(p: &JobPlan) -> &Container {
    &p.pod.spec.as_ref().unwrap().containers[0]
}

/// The value of `--conf key=...` in the program's argv (references expanded).
fn conf<'a>(p: &'a JobPlan, key: &str) -> Option<&'a str> {
    let prefix = format!("{key}=");
    p.effective_argv
        .windows(2)
        .find(|w| w[0] == "--conf" && w[1].starts_with(&prefix))
        .map(|w| &w[1][prefix.len()..])
}

/// The container's command as rendered (`$(VAR)` references unexpanded).
fn rendered(p: &JobPlan) -> &[String] {
    container(p).command.as_deref().unwrap()
}

#[test]
fn the_shell_waits_behind_the_gate_in_a_reattachable_terminal() {
    for (command, program) in [
        (SparkCommand::Shell, "spark-shell"),
        (SparkCommand::PySpark, "pyspark"),
        (SparkCommand::Sql, "spark-sql"),
    ] {
        let p = session(command, &[]);
        let c = container(&p);
        let cmd = rendered(&p);
        assert_eq!(
            cmd[..4],
            [
                "/bin/sh",
                "-c",
                "read -r go && exec \"$0\" \"$@\"",
                &format!("/opt/spark/bin/{program}")
            ]
        );
        // After the gate, the program gets exactly the plan's argv.
        assert_eq!(cmd.len(), 3 + p.effective_argv.len());
        assert_eq!(
            (c.stdin, c.stdin_once, c.tty),
            (Some(true), Some(false), Some(true))
        );
        let labels = p.pod.metadata.labels.as_ref().unwrap();
        assert_eq!(labels["app.kubernetes.io/component"], "session");
        assert!(!labels.contains_key("spark-role"));
    }
    // Kubernetes' `$(VAR)` expansion leaves the gate as written.
    for g in GATE {
        assert_eq!(kube_expand(g, &BTreeMap::new()), g);
    }
    // A batch job's command is spark-submit's alone, stdin closed.
    let batch = plan(
        &settings(SparkCommand::Submit, &["--class", "a.B", "local:///a.jar"]),
        &inputs(),
    )
    .unwrap();
    assert_eq!(rendered(&batch)[0], "/opt/spark/bin/spark-submit");
    let c = container(&batch);
    assert_eq!((c.stdin, c.stdin_once, c.tty), (None, None, None));
    assert!(batch.service.is_none());
}

#[test]
fn a_session_has_no_pod_deadline_run_timeout_or_batch_queue_timeout() {
    let limits = [
        "--conf",
        "spark.k8scli.submitPodDeadline=2h",
        "--conf",
        "spark.k8scli.runTimeout=1h",
        "--conf",
        "spark.k8scli.queueTimeout=1h",
    ];
    let s = settings(SparkCommand::PySpark, &limits);
    let p = plan(&s, &inputs()).unwrap();
    assert_eq!(p.pod.spec.as_ref().unwrap().active_deadline_seconds, None);
    assert_eq!(s.timeouts().run, None);
    assert_eq!(s.queue().timeout, Some(std::time::Duration::from_secs(600)));
    assert_eq!(s.queue().timeout_setting, "sessionQueueTimeout");
    // The same limits hold for a batch job.
    let mut argv = limits.to_vec();
    argv.extend(["--class", "a.B", "local:///a.jar"]);
    let s = settings(SparkCommand::Submit, &argv);
    let p = plan(&s, &inputs()).unwrap();
    assert_eq!(p.pod.spec.unwrap().active_deadline_seconds, Some(7200));
    assert_eq!(s.timeouts().run, Some(std::time::Duration::from_secs(3600)));
    assert_eq!(
        s.queue().timeout,
        Some(std::time::Duration::from_secs(3600))
    );
    assert_eq!(s.queue().timeout_setting, "queueTimeout");
}

#[test]
fn the_driver_is_reached_through_the_service_on_fixed_ports() {
    let p = session(SparkCommand::Shell, &[]);
    assert_eq!(
        conf(&p, "spark.driver.host"),
        Some("s-1-submit.analysts.svc")
    );
    assert_eq!(conf(&p, "spark.driver.port"), Some("7078"));
    assert_eq!(conf(&p, "spark.driver.blockManager.port"), Some("7079"));
    assert_eq!(conf(&p, "spark.driver.bindAddress"), Some("<pod IP>"));
    assert_eq!(
        conf(&p, "spark.kubernetes.driver.pod.name"),
        Some("s-1-submit")
    );
    // The namespace and the pod IP come from the pod itself (the downward API).
    let cmd = rendered(&p);
    for arg in [
        "spark.driver.host=s-1-submit.$(K8SCLI_NAMESPACE).svc",
        "spark.driver.bindAddress=$(K8SCLI_POD_IP)",
    ] {
        assert!(cmd.iter().any(|a| a == arg), "{arg} missing from {cmd:?}");
    }
    let env = container(&p).env.as_ref().unwrap();
    for (name, path) in [
        ("K8SCLI_NAMESPACE", "metadata.namespace"),
        ("K8SCLI_POD_IP", "status.podIP"),
    ] {
        let var = env.iter().find(|e| e.name == name).expect(name);
        let field = var.value_from.as_ref().unwrap().field_ref.as_ref().unwrap();
        assert_eq!(field.field_path, path);
    }
    // A batch job in client mode keeps binding and advertising its pod IP.
    let batch = plan(
        &settings(SparkCommand::Submit, &["--class", "a.B", "local:///a.jar"]),
        &inputs(),
    )
    .unwrap();
    assert_eq!(conf(&batch, "spark.driver.host"), Some("<pod IP>"));
    assert_eq!(conf(&batch, "spark.driver.port"), None);
    assert_eq!(conf(&batch, "spark.driver.bindAddress"), None);
}

#[test]
fn the_users_host_ports_and_bind_address_win() {
    let p = session(
        SparkCommand::Sql,
        &[
            "--conf",
            "spark.driver.host=driver.example",
            "--conf",
            "spark.driver.port=40000",
            "--conf",
            "spark.driver.blockManager.port=40001",
            "--conf",
            "spark.driver.bindAddress=0.0.0.0",
        ],
    );
    assert_eq!(conf(&p, "spark.driver.host"), Some("driver.example"));
    assert_eq!(conf(&p, "spark.driver.port"), Some("40000"));
    assert_eq!(conf(&p, "spark.driver.blockManager.port"), Some("40001"));
    assert_eq!(conf(&p, "spark.driver.bindAddress"), Some("0.0.0.0"));
    // The Service publishes the ports the driver really listens on.
    let ports: Vec<(String, i32)> = p
        .service
        .unwrap()
        .spec
        .unwrap()
        .ports
        .unwrap()
        .into_iter()
        .map(|sp| (sp.name.unwrap(), sp.port))
        .collect();
    assert_eq!(
        ports,
        [("driver".into(), 40000), ("blockmanager".into(), 40001)]
    );
    // spark.blockManager.port is the driver's too, as in Spark, unless the driver's own is set.
    let p = session(
        SparkCommand::Shell,
        &["--conf", "spark.blockManager.port=41000"],
    );
    assert_eq!(conf(&p, "spark.driver.blockManager.port"), Some("41000"));
    let ports = p.service.unwrap().spec.unwrap().ports.unwrap();
    assert_eq!(ports[1].port, 41000);
}

#[test]
fn a_port_the_service_cannot_publish_is_refused_before_anything_exists() {
    for (key, value) in [
        ("spark.driver.port", "0"),
        ("spark.driver.port", "http"),
        ("spark.driver.blockManager.port", "70000"),
        ("spark.blockManager.port", "-1"),
    ] {
        let conf = format!("{key}={value}");
        let s = settings(SparkCommand::Shell, &["--conf", &conf]);
        let e = plan(&s, &inputs()).unwrap_err();
        assert!(
            e.message
                .contains(&format!("Invalid value '{value}' for {key}")),
            "{conf}: {e}"
        );
        assert!(e.message.contains("1 to 65535"), "{e}");
    }
}

#[test]
fn the_headless_service_selects_the_session_pod_alone() {
    let p = session(SparkCommand::PySpark, &["--queue", "adhoc"]);
    let svc = p.service.as_ref().unwrap();
    assert_eq!(svc.metadata.name.as_deref(), Some("s-1-submit"));
    assert_eq!(svc.metadata.namespace.as_deref(), Some("analysts"));
    // Labelled as its pod, so `list` and clean-up find it by the job id.
    assert_eq!(svc.metadata.labels, p.pod.metadata.labels);
    // Owned by the pod only once the pod exists (its uid).
    assert_eq!(svc.metadata.owner_references, None);
    let spec = svc.spec.as_ref().unwrap();
    assert_eq!(spec.cluster_ip.as_deref(), Some("None"));
    // Executors carry the job id too: the component narrows it to the session pod.
    assert_eq!(
        spec.selector,
        Some(BTreeMap::from([
            (
                "app.kubernetes.io/component".to_string(),
                "session".to_string()
            ),
            ("spark-k8s-cli/job-id".to_string(), "s-1".to_string()),
        ]))
    );
    let ports = spec.ports.as_ref().unwrap();
    let shape: Vec<_> = ports
        .iter()
        .map(|sp| {
            (
                sp.name.as_deref().unwrap(),
                sp.port,
                sp.target_port.clone(),
                sp.protocol.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("driver", 7078, Some(IntOrString::Int(7078)), "TCP"),
            ("blockmanager", 7079, Some(IntOrString::Int(7079)), "TCP"),
        ]
    );
    // The pod matches the selector; the executors' labels do not.
    let labels = p.pod.metadata.labels.as_ref().unwrap();
    assert!(
        spec.selector
            .iter()
            .flatten()
            .all(|(k, v)| labels.get(k) == Some(v))
    );
    let executor_labels = ["spark.kubernetes.executor.label.app.kubernetes.io/component"];
    assert!(executor_labels.iter().all(|k| conf(&p, k).is_none()));
}

#[test]
fn service_names_are_dns_1035_labels() {
    assert_eq!(service_name("etl-1-submit"), "etl-1-submit");
    // A job id may start with a digit; a Service name may not.
    assert_eq!(service_name("1st-submit"), "x1st-submit");
    let longest = format!("{}-submit", "7".repeat(crate::naming::MAX_JOB_ID));
    let name = service_name(&longest);
    assert!(name.len() <= 63, "{name}");
    assert!(name.starts_with(|c: char| c.is_ascii_lowercase()));
    let p = session(
        SparkCommand::Shell,
        &["--conf", "spark.k8scli.jobId=9lives"],
    );
    assert_eq!(
        p.service.as_ref().unwrap().metadata.name.as_deref(),
        Some("x9lives-submit")
    );
    assert_eq!(
        conf(&p, "spark.driver.host"),
        Some("x9lives-submit.analysts.svc")
    );
}

fn created(name: &str, uid: Option<&str>) -> Pod {
    let mut pod = Pod::default();
    pod.metadata.name = Some(name.into());
    pod.metadata.uid = uid.map(str::to_string);
    pod
}

#[test]
fn the_service_is_owned_by_the_created_pod() {
    let p = session(SparkCommand::Shell, &[]);
    let planned = p.service.as_ref().unwrap();
    assert_eq!(owned_by(planned, &created("s-1-submit", None)), None);
    let owned = owned_by(planned, &created("s-1-submit", Some("u-1"))).unwrap();
    assert_eq!(
        owned.metadata.owner_references,
        Some(vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: "s-1-submit".into(),
            uid: "u-1".into(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }])
    );
    assert_eq!(owned.spec, planned.spec);
}

#[test]
fn a_service_found_at_create_is_ours_adopted_or_another_jobs() {
    let p = session(SparkCommand::Shell, &[]);
    let planned = p.service.as_ref().unwrap();
    let first = created("s-1-submit", Some("u-1"));
    let second = created("s-1-submit-2", Some("u-2"));
    let ours = owned_by(planned, &first).unwrap();
    assert_eq!(existing(&ours, "s-1", &first), Existing::Ours);
    // Owned by an earlier attempt's pod, or by none: this pod takes it over.
    assert_eq!(existing(&ours, "s-1", &second), Existing::Adopt);
    assert_eq!(existing(planned, "s-1", &first), Existing::Adopt);
    assert_eq!(
        existing(&ours, "s-2", &first),
        Existing::Foreign("s-1".into())
    );
    assert_eq!(
        existing(&Service::default(), "s-1", &first),
        Existing::Foreign(String::new())
    );
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// A command line of a shell and the script arguments in it (index, how given).
type ScriptCase = (
    SparkCommand,
    &'static [&'static str],
    &'static [(usize, &'static str)],
);

#[test]
fn script_arguments_of_each_shell() {
    use SparkCommand::*;
    let cases: &[ScriptCase] = &[
        (
            Shell,
            &["-i", "a.scala", "-I", "b.scala"],
            &[(1, "spark-shell -i"), (3, "spark-shell -I")],
        ),
        (Shell, &["-f", "a.sql"], &[]),
        (
            Sql,
            &["-i", "init.sql", "-f", "q.sql"],
            &[(1, "spark-sql -i"), (3, "spark-sql -f")],
        ),
        // The values of the SQL CLI's other options are not flags.
        (
            Sql,
            &["-e", "-f", "--database", "-i", "-f", "q.sql"],
            &[(5, "spark-sql -f")],
        ),
        (
            Sql,
            &[
                "--hiveconf",
                "-f",
                "--hivevar",
                "-i",
                "-d",
                "-i",
                "--define",
                "-f",
            ],
            &[],
        ),
        // A flag without a value is the shell's to refuse.
        (Sql, &["-f"], &[]),
        (PySpark, &["-i", "x.py"], &[]),
        (Submit, &["-i", "x"], &[]),
    ];
    for (command, words, want) in cases {
        assert_eq!(
            script_files(*command, &args(words)),
            want.to_vec(),
            "{command:?} {words:?}"
        );
    }
}

fn with_files(entries: &[(&str, &str)]) -> PlanInputs {
    let mut i = inputs();
    for (uri, path) in entries {
        let found = deps::Found {
            path: path.to_string(),
            size: 10,
        };
        i.local_files.insert(uri.to_string(), Ok(found));
    }
    i
}

#[test]
fn local_scripts_are_shipped_and_their_arguments_point_into_the_pod() {
    let s = settings(
        SparkCommand::Sql,
        &[
            "-i",
            "init.sql",
            "-f",
            "file:///home/me/q.sql",
            "--database",
            "db.sql",
        ],
    );
    // The edge looks every one of them up (and only those).
    let uris: Vec<(String, &str)> = deps::local_uris(&s);
    assert_eq!(
        uris,
        [
            ("init.sql".to_string(), "spark-sql -i"),
            ("file:///home/me/q.sql".to_string(), "spark-sql -f"),
        ]
    );
    let inputs = with_files(&[
        ("init.sql", "/work/init.sql"),
        ("file:///home/me/q.sql", "/home/me/q.sql"),
    ]);
    let p = plan(&s, &inputs).unwrap();
    let d = p.deps.as_ref().unwrap();
    let names: Vec<&str> = d.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["init.sql", "q.sql"]);
    let tail = &p.effective_argv[p.effective_argv.len() - 6..];
    assert_eq!(
        tail,
        [
            "-i",
            "/opt/spark-k8scli/deps/init.sql",
            "-f",
            "/opt/spark-k8scli/deps/q.sql",
            "--database",
            "db.sql"
        ]
    );
    // Mounted where the arguments point, in the session pod itself.
    let mounts = container(&p).volume_mounts.as_ref().unwrap();
    assert!(mounts.iter().any(|m| m.mount_path == deps::DEPS_DIR));
}

#[test]
fn scripts_in_the_image_or_remote_are_left_as_written() {
    let s = settings(
        SparkCommand::Shell,
        &[
            "-i",
            "local:///opt/init.scala",
            "-I",
            "s3a://bucket/x.scala",
        ],
    );
    assert!(deps::local_uris(&s).is_empty());
    let p = plan(&s, &inputs()).unwrap();
    assert!(p.deps.is_none());
    let tail = &p.effective_argv[p.effective_argv.len() - 4..];
    assert_eq!(
        tail,
        [
            "-i",
            "local:///opt/init.scala",
            "-I",
            "s3a://bucket/x.scala"
        ]
    );
}

#[test]
fn a_missing_script_is_named_before_any_request() {
    let s = settings(SparkCommand::Shell, &["-i", "nope.scala"]);
    let mut i = inputs();
    i.local_files.insert(
        "nope.scala".into(),
        Err("No such file or directory (os error 2)".into()),
    );
    let e = plan(&s, &i).unwrap_err();
    assert!(
        e.message
            .contains("nope.scala (spark-shell -i): No such file or directory"),
        "{e}"
    );
    // Not looked up at all: refused too (the edge must look up every local file).
    let e = plan(&s, &inputs()).unwrap_err();
    assert!(
        e.message
            .contains("nope.scala (spark-shell -i): not looked up"),
        "{e}"
    );
}
