//! Demand arithmetic against hand-computed values, and the submit pod's shape.

use super::*;
use crate::parse::SparkCommand;

fn settings_for(command: SparkCommand, argv: &[&str]) -> Settings {
    crate::resolve::for_test(command, argv).expect("resolves")
}

fn settings(argv: &[&str]) -> Settings {
    settings_for(SparkCommand::Submit, argv)
}

fn cluster(extra: &[&str], resource: &str) -> Settings {
    let mut v = vec!["--deploy-mode", "cluster", "--class", "a.B"];
    v.extend_from_slice(extra);
    v.push(resource);
    settings(&v)
}

/// Flags written as one line, split at spaces.
fn words(flags: &str) -> Vec<&str> {
    flags.split_whitespace().collect()
}

/// The demand of a cluster-mode job of `resource` given `args` (flags, split at spaces).
fn try_demand_of(args: &str, resource: &str) -> Result<demand::Demand, demand::DemandError> {
    demand::demand(&cluster(&words(args), resource))
}

fn demand_of(args: &str, resource: &str) -> demand::Demand {
    try_demand_of(args, resource).expect("a demand")
}

/// The executor's and the driver's memory, MiB.
fn memories(d: &demand::Demand) -> (u64, u64) {
    (d.executor.memory_mib, d.driver.as_ref().unwrap().memory_mib)
}

const JAR: &str = "local:///app.jar";
const PY: &str = "local:///app.py";

fn inputs() -> PlanInputs {
    PlanInputs {
        random: 0xabcdef,
        epoch_millis: 0x0123456789,
        user: Some("alice".into()),
        host: Some("worker-1".into()),
        ..Default::default()
    }
}

fn image() -> &'static str {
    "--conf=spark.kubernetes.container.image=apache/spark:4.0.0"
}

#[test]
fn jvm_defaults() {
    let d = demand_of("", JAR);
    // 1g heap: max(trunc(0.1 × 1024) = 102, 384) = 384 → 1408 MiB, as Spark's docs example.
    let driver = d.driver.unwrap();
    assert_eq!(
        (driver.heap_mib, driver.overhead_mib, driver.memory_mib),
        (1024, 384, 1408)
    );
    assert_eq!(driver.cpu_request_m, 1000);
    assert_eq!(d.executor.memory_mib, 1408);
    assert_eq!(d.executors.initial, 2);
    assert_eq!(d.submit.memory_mib, 512);
    assert_eq!(d.submit.cpu_request_m, 500);
    assert_eq!(d.total_cpu_m, 500 + 1000 + 2 * 1000);
    assert_eq!(d.total_memory_mib, 512 + 1408 + 2 * 1408);
    assert_eq!(d.total_pods, 4);
}

#[test]
fn python_gets_the_non_jvm_factor() {
    let d = demand_of("", PY);
    // trunc(0.4 × 1024) = 409 → 1433 MiB, as Spark's docs example.
    assert_eq!(d.driver.unwrap().memory_mib, 1433);
    assert_eq!(d.executor.overhead_mib, 409);
    assert_eq!(d.executor.memory_mib, 1433);
}

#[test]
fn memory_overheads_as_spark_sizes_them() {
    // The executor's and the driver's pod memory in MiB (a sum adds up) | the application |
    // its flags.
    let cases = crate::tests::rows(
        "
        // Larger JVM heaps use the factor: trunc(0.1 × 4096) = 409 → 4505; trunc(0.1 × 8192)
        // = 819 → 9011 (Spark's docs example).
        4505 | 9011 | jar | --driver-memory 8g --executor-memory 4g
        // Explicit overheads win.
        2048 + 1024 | 1024 + 500 | jar | --executor-memory 2g --conf spark.executor.memoryOverhead=1g --conf spark.driver.memoryOverhead=500
        // An explicit kubernetes factor replaces 0.4 for Python; the minimum still applies
        // (driver: trunc(0.2 × 1024) = 204 < 384).
        10240 + 2048 | 1024 + 384 | py | --executor-memory 10g --conf spark.kubernetes.memoryOverheadFactor=0.2
        // Per-role factors beat the kubernetes one.
        10240 + 3072 | 1024 + 512 | py | --executor-memory 10g --conf spark.kubernetes.memoryOverheadFactor=0.2 --conf spark.executor.memoryOverheadFactor=0.3 --conf spark.driver.memoryOverheadFactor=0.5
        // The minimum overhead is configurable.
        1024 + 1024 | 1024 + 512 | jar | --conf spark.driver.minMemoryOverhead=512m --conf spark.executor.minMemoryOverhead=1g
        ",
    );
    let mib = |sum: &str| -> u64 {
        sum.split('+')
            .map(|t| t.trim().parse::<u64>().unwrap())
            .sum()
    };
    let app = |kind: &str| if kind == "py" { PY } else { JAR };
    for case in &cases {
        let [executor, driver, kind, flags] = case[..] else {
            panic!("{case:?}: four cells")
        };
        let want = (mib(executor), mib(driver));
        assert_eq!(
            memories(&demand_of(flags, app(kind))),
            want,
            "{flags} ({kind})"
        );
    }
    let d = demand_of(cases[2][3], PY);
    assert_eq!(d.driver.unwrap().overhead_mib, 384);
}

#[test]
fn python_executor_adds_pyspark_and_off_heap_memory() {
    let d = demand_of(
        "--executor-memory 2g \
            --conf spark.executor.pyspark.memory=512m \
            --conf spark.memory.offHeap.enabled=true \
            --conf spark.memory.offHeap.size=1g",
        PY,
    );
    // 2048 + trunc(0.4 × 2048) = 819 + 1024 off-heap + 512 pyspark.
    assert_eq!(d.executor.memory_mib, 2048 + 819 + 1024 + 512);
    assert_eq!(d.executor.extra_mib, 1536);
    // pyspark memory counts only for Python apps.
    let d = demand_of("--conf spark.executor.pyspark.memory=512m", JAR);
    assert_eq!(d.executor.memory_mib, 1408);
    // Off-heap enabled without a size is Spark's error.
    let e = try_demand_of("--conf spark.memory.offHeap.enabled=true", JAR).unwrap_err();
    assert!(e.0.contains("spark.memory.offHeap.size must be > 0"));
}

#[test]
fn cores_requests_and_limits() {
    let d = demand_of("--executor-cores 4 --driver-cores 2", JAR);
    assert_eq!(d.executor.cpu_request_m, 4000);
    assert_eq!(d.driver.unwrap().cpu_request_m, 2000);
    let d = demand_of(
        "--executor-cores 4 \
            --conf spark.kubernetes.executor.request.cores=1.5 \
            --conf spark.kubernetes.executor.limit.cores=2 \
            --conf spark.kubernetes.driver.request.cores=250m",
        JAR,
    );
    assert_eq!(d.executor.cpu_request_m, 1500);
    assert_eq!(d.executor.cpu_limit_m, Some(2000));
    assert_eq!(d.driver.unwrap().cpu_request_m, 250);
}

#[test]
fn executor_counts() {
    // A cluster-mode job's executors given `flags` (split at spaces).
    let count = |flags: &str| demand::executor_count(&cluster(&words(flags), JAR));
    let initial = |flags: &str| count(flags).unwrap().initial;
    assert_eq!(initial(""), 2);
    assert_eq!(initial("--num-executors 7"), 7);
    assert_eq!(initial("--conf spark.executor.instances=3"), 3);
    let da = "--conf spark.dynamicAllocation.enabled=true";
    assert_eq!(initial(da), 0);
    let min = "--conf spark.dynamicAllocation.minExecutors=2";
    let c = count(&format!(
        "{da} {min} --conf spark.dynamicAllocation.maxExecutors=10"
    ))
    .unwrap();
    assert_eq!((c.initial, c.max, c.dynamic), (2, Some(10), true));
    let four = "--conf spark.dynamicAllocation.initialExecutors=4";
    assert_eq!(initial(&format!("{da} {min} {four}")), 4);
    assert_eq!(initial(&format!("{da} --num-executors 5 {four}")), 5);
    let e = count(&format!(
        "{da} --num-executors 5 --conf spark.dynamicAllocation.maxExecutors=3"
    ))
    .unwrap_err();
    assert!(e.0.contains("maxExecutors is 3"));
}

#[test]
fn client_mode_sizes_the_submit_pod_as_the_driver() {
    let d = demand::demand(&settings(&["--class", "a.B", "--driver-memory", "2g", JAR])).unwrap();
    assert_eq!(d.driver, None);
    assert_eq!(d.submit.memory_mib, 2048 + 384);
    assert_eq!(d.total_pods, 3);
    assert_eq!(d.total_memory_mib, 2432 + 2 * 1408);
}

#[test]
fn submit_pod_settings() {
    let d = demand_of(
        "--conf spark.k8scli.submitCpu=1 \
            --conf spark.k8scli.submitMemory=1Gi \
            --conf spark.k8scli.submitCpuLimit=2",
        JAR,
    );
    assert_eq!(
        (
            d.submit.cpu_request_m,
            d.submit.cpu_limit_m,
            d.submit.memory_mib
        ),
        (1000, Some(2000), 1024)
    );
}

#[test]
fn demand_table_names_every_pod() {
    let t = demand::table(&demand_of("", JAR));
    for needle in [
        "submit pod",
        "driver",
        "executor",
        "total",
        "1408Mi",
        "4 pods",
        "3500m",
    ] {
        assert!(t.contains(needle), "{needle} missing from\n{t}");
    }
}

fn container(p: &JobPlan) -> &Container {
    &p.pod.spec.as_ref().unwrap().containers[0]
}

#[test]
fn submit_pod_manifest() {
    let s = cluster(
        &[
            image(),
            "--name",
            "Spark Pi",
            "--conf",
            "spark.kubernetes.namespace=jobs",
        ],
        JAR,
    );
    let p = plan(&s, &inputs()).unwrap();
    assert_eq!(p.job_id, "spark-pi-abcdef0123456789");
    assert_eq!(p.submit_pod_name, "spark-pi-abcdef0123456789-submit");
    assert_eq!(p.driver_pod_name, "spark-pi-abcdef0123456789-driver");
    assert_eq!(p.namespace.as_deref(), Some("jobs"));
    let meta = &p.pod.metadata;
    let labels = meta.labels.as_ref().unwrap();
    assert_eq!(labels[JOB_ID_LABEL], p.job_id);
    assert_eq!(labels[QUEUE_LABEL], "default");
    assert_eq!(labels[APP_NAME_LABEL], "spark-pi");
    assert_eq!(
        labels["app.kubernetes.io/version"],
        env!("CARGO_PKG_VERSION")
    );
    let ann = meta.annotations.as_ref().unwrap();
    assert_eq!(ann["spark-k8s-cli/submitted-by"], "alice");
    assert_eq!(ann["spark-k8s-cli/submitted-from"], "worker-1");
    let spec = p.pod.spec.as_ref().unwrap();
    assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
    let c = container(&p);
    assert_eq!(c.image.as_deref(), Some("apache/spark:4.0.0"));
    let cmd = c.command.as_ref().unwrap();
    assert_eq!(cmd[0], "/opt/spark/bin/spark-submit");
    assert_eq!(
        &cmd[1..5],
        ["--master", IN_CLUSTER_MASTER, "--deploy-mode", "cluster"]
    );
    assert!(cmd.contains(&format!(
        "spark.kubernetes.driver.pod.name={}",
        p.driver_pod_name
    )));
    assert!(cmd.contains(&format!(
        "spark.kubernetes.driver.label.{JOB_ID_LABEL}={}",
        p.job_id
    )));
    assert!(cmd.contains(&"spark.kubernetes.namespace=$(K8SCLI_NAMESPACE)".to_string()));
    assert_eq!(cmd.last().unwrap(), JAR);
    let res = c.resources.as_ref().unwrap();
    assert_eq!(res.requests.as_ref().unwrap()["cpu"].0, "500m");
    assert_eq!(res.limits.as_ref().unwrap()["memory"].0, "512Mi");
    assert!(
        c.env
            .as_ref()
            .unwrap()
            .iter()
            .any(|e| e.name == "SPARK_USER" && e.value.as_deref() == Some("alice"))
    );
    assert!(p.secret.is_none());
}

#[test]
fn job_id_is_stable_when_given() {
    let s = cluster(
        &[image(), "--conf", "spark.k8scli.jobId=nightly-etl-42"],
        JAR,
    );
    let a = plan(&s, &inputs()).unwrap();
    let b = plan(
        &s,
        &PlanInputs {
            random: 1,
            epoch_millis: 2,
            ..inputs()
        },
    )
    .unwrap();
    assert_eq!(a.job_id, "nightly-etl-42");
    assert_eq!(a.driver_pod_name, b.driver_pod_name);
    assert_eq!(a.pod, b.pod);
    // A user-set driver pod name is kept.
    let s = cluster(
        &[image(), "--conf", "spark.kubernetes.driver.pod.name=mine"],
        JAR,
    );
    assert_eq!(plan(&s, &inputs()).unwrap().driver_pod_name, "mine");
}

#[test]
fn secrets_go_to_a_secret_not_the_pod() {
    let s = cluster(
        &[
            image(),
            "--conf",
            "spark.hadoop.fs.s3a.secret.key=hunter2",
            "--conf",
            "spark.a=b",
        ],
        JAR,
    );
    let p = plan(&s, &inputs()).unwrap();
    let pod = serde_json::to_string(&p.pod).unwrap();
    assert!(!pod.contains("hunter2"));
    assert!(pod.contains("spark.hadoop.fs.s3a.secret.key=$(K8SCLI_SECRET_0)"));
    let secret = p.secret.as_ref().unwrap();
    assert_eq!(
        secret.metadata.name.as_deref(),
        Some(secret_name(&p.job_id).as_str())
    );
    assert_eq!(secret.string_data.as_ref().unwrap()["conf-0"], "hunter2");
    assert!(
        p.effective_argv
            .contains(&"spark.hadoop.fs.s3a.secret.key=hunter2".to_string())
    );
}

#[test]
fn submission_credentials_stay_with_the_launcher() {
    let s = cluster(
        &[
            image(),
            "--conf",
            "spark.kubernetes.authenticate.submission.oauthToken=tok",
            "--conf",
            "spark.kubernetes.context=prod",
        ],
        JAR,
    );
    let p = plan(&s, &inputs()).unwrap();
    let argv = p.effective_argv.join(" ");
    assert!(!argv.contains("submission.oauthToken"));
    assert!(!argv.contains("spark.kubernetes.context"));
    assert!(p.secret.is_none());
}

#[test]
fn dollars_from_the_user_are_escaped() {
    let s = cluster(&[image()], JAR);
    let mut s = s;
    s.app_args = vec!["$(HOME)".into(), "a$$b".into(), "$".into()];
    let p = plan(&s, &inputs()).unwrap();
    let cmd = container(&p).command.clone().unwrap();
    assert_eq!(&cmd[cmd.len() - 3..], ["$$(HOME)", "a$$$$b", "$$"]);
    let env = BTreeMap::from([("HOME".to_string(), "/root".to_string())]);
    let expanded: Vec<String> = cmd[cmd.len() - 3..]
        .iter()
        .map(|a| kube_expand(a, &env))
        .collect();
    assert_eq!(expanded, ["$(HOME)", "a$$b", "$"]);
}

#[test]
fn kubernetes_expansion_rules() {
    let env = BTreeMap::from([("A".to_string(), "x".to_string())]);
    for (input, want) in [
        ("$(A)", "x"),
        ("pre$(A)post", "prexpost"),
        ("$(B)", "$(B)"),
        ("$$(A)", "$(A)"),
        ("$$", "$"),
        ("$", "$"),
        ("a$b", "a$b"),
        ("$(A", "$(A"),
        ("$()", "$()"),
        ("é$(A)é", "éxé"),
    ] {
        assert_eq!(kube_expand(input, &env), want, "{input}");
        // Escaping then expanding is the identity.
        assert_eq!(kube_expand(&escape_dollars(input), &env), input);
    }
}

#[test]
fn client_mode_runs_the_driver_in_the_submit_pod() {
    let s = settings(&[image(), "--class", "a.B", JAR]);
    let p = plan(&s, &inputs()).unwrap();
    assert_eq!(p.driver_pod_name, p.submit_pod_name);
    // Named as the driver, in the `<app>-<id>-driver` shape Airflow's hook looks for.
    assert_eq!(p.submit_pod_name, jobid::driver_pod_name(&p.job_id));
    assert!(p.submit_pod_name.ends_with("-driver"));
    let cmd = container(&p).command.clone().unwrap();
    assert!(cmd.contains(&"client".to_string()));
    assert!(cmd.contains(&"spark.driver.host=$(K8SCLI_POD_IP)".to_string()));
    assert!(cmd.contains(&format!(
        "spark.kubernetes.driver.pod.name={}",
        p.submit_pod_name
    )));
    // A driver pod name the user sets names the pod.
    let named = |command: SparkCommand| {
        let args = [
            image(),
            "--conf",
            "spark.kubernetes.driver.pod.name=mine",
            "--class",
            "a.B",
            JAR,
        ];
        plan(&settings_for(command, &args), &inputs())
    };
    let p = named(SparkCommand::Submit).unwrap();
    assert_eq!((&*p.submit_pod_name, &*p.driver_pod_name), ("mine", "mine"));
    // A session's pod keeps `<id>-submit`, so it cannot take another name.
    let refused = named(SparkCommand::Shell).unwrap_err().message;
    assert!(
        refused.contains("a session's driver runs in its pod"),
        "{refused}"
    );
}

#[test]
fn shells_run_their_own_script_interactively() {
    let s = settings_for(SparkCommand::Shell, &[image()]);
    let p = plan(&s, &inputs()).unwrap();
    let c = container(&p);
    // The shell's own script, behind the gate that holds it until the launcher is attached.
    assert_eq!(c.command.as_ref().unwrap()[..3], session::GATE);
    assert_eq!(c.command.as_ref().unwrap()[3], "/opt/spark/bin/spark-shell");
    assert_eq!(p.effective_argv[0], "/opt/spark/bin/spark-shell");
    assert_eq!((c.stdin, c.tty), (Some(true), Some(true)));
    assert_eq!(
        p.pod.metadata.labels.as_ref().unwrap()["app.kubernetes.io/component"],
        "session"
    );
}

#[test]
fn scheduling_settings() {
    // The submit pod's spec given the image and `flags` (split at spaces).
    let spec_of = |flags: &str| {
        let s = cluster(&[&[image()], &words(flags)[..]].concat(), JAR);
        plan(&s, &inputs()).unwrap().pod.spec.unwrap()
    };
    let spec = spec_of(
        "--conf spark.kubernetes.node.selector.pool=spark \
         --conf spark.kubernetes.container.image.pullSecrets=regcred,other \
         --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
         --conf spark.k8scli.submitTolerations=[{\"key\":\"spot\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
    );
    assert_eq!(spec.node_selector.as_ref().unwrap()["pool"], "spark");
    assert_eq!(spec.image_pull_secrets.as_ref().unwrap().len(), 2);
    assert_eq!(spec.service_account_name.as_deref(), Some("spark"));
    assert_eq!(
        spec.tolerations.as_ref().unwrap()[0].key.as_deref(),
        Some("spot")
    );
    // The launcher's own settings win.
    let spec = spec_of(
        "--conf spark.kubernetes.node.selector.pool=spark \
         --conf spark.k8scli.submitNodeSelector.pool=system \
         --conf spark.k8scli.submitServiceAccount=submitter",
    );
    assert_eq!(spec.node_selector.as_ref().unwrap()["pool"], "system");
    assert_eq!(spec.service_account_name.as_deref(), Some("submitter"));
}

#[test]
fn pod_template_is_merged() {
    let s = cluster(&[image()], JAR);
    let template = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    team: data\nspec:\n  priorityClassName: batch\n  containers:\n  - name: whatever\n    env:\n    - name: FROM_TEMPLATE\n      value: '1'\n    volumeMounts:\n    - name: certs\n      mountPath: /certs\n  volumes:\n  - name: certs\n    secret:\n      secretName: certs\n";
    let p = plan(
        &s,
        &PlanInputs {
            pod_template: Some(template.into()),
            ..inputs()
        },
    )
    .unwrap();
    let spec = p.pod.spec.as_ref().unwrap();
    assert_eq!(spec.priority_class_name.as_deref(), Some("batch"));
    assert_eq!(spec.containers.len(), 1);
    let c = &spec.containers[0];
    assert_eq!(c.name, SUBMIT_CONTAINER);
    assert!(
        c.env
            .as_ref()
            .unwrap()
            .iter()
            .any(|e| e.name == "FROM_TEMPLATE")
    );
    assert_eq!(c.volume_mounts.as_ref().unwrap()[0].name, "certs");
    assert_eq!(p.pod.metadata.labels.as_ref().unwrap()["team"], "data");
    let bad = plan(
        &s,
        &PlanInputs {
            pod_template: Some("spec: [".into()),
            ..inputs()
        },
    );
    assert!(bad.unwrap_err().message.contains("not a valid Pod"));
}

#[test]
fn image_is_required_and_missing_local_files_are_named() {
    let e = plan(&cluster(&[], JAR), &inputs()).unwrap_err();
    assert!(
        e.message.contains("spark.kubernetes.container.image"),
        "{e}"
    );
    let mut i = inputs();
    i.local_files.insert(
        "/home/me/dep.jar".into(),
        Err("No such file or directory (os error 2)".into()),
    );
    let e = plan(
        &cluster(&[image(), "--jars", "/home/me/dep.jar,s3a://ok.jar"], JAR),
        &i,
    )
    .unwrap_err();
    assert!(
        e.message.contains(
            "Local file(s) not found: /home/me/dep.jar (--jars): No such file or directory"
        ),
        "{e}"
    );
    assert!(!e.message.contains("s3a://ok.jar"), "{e}");
    // Not looked up at all (strict plan): still named, never silently passed on.
    let e = plan(&cluster(&[image()], "file:///home/me/app.jar"), &inputs()).unwrap_err();
    assert!(
        e.message
            .contains("file:///home/me/app.jar (the primary resource)"),
        "{e}"
    );
    // A local keytab is shipped like any local file: not looked up, it is named.
    let e = plan(
        &cluster(
            &[
                image(),
                "--principal",
                "etl@R",
                "--keytab",
                "/home/me/k.keytab",
            ],
            JAR,
        ),
        &inputs(),
    )
    .unwrap_err();
    assert!(e.message.contains("/home/me/k.keytab (--keytab)"), "{e}");
}

fn found(entries: &[(&str, &str, u64)]) -> PlanInputs {
    let mut i = inputs();
    for (uri, path, size) in entries {
        i.local_files.insert(
            uri.to_string(),
            Ok(deps::Found {
                path: path.to_string(),
                size: *size,
            }),
        );
    }
    i
}

/// The local files as the edge finds them: each `(uri, size)` at the path its URI names (a
/// relative one below `cwd`).
fn found_in(cwd: &str, files: &[(&str, u64)]) -> PlanInputs {
    let paths: Vec<String> = files
        .iter()
        .map(|(uri, _)| match crate::naming::local_path(uri) {
            p if p.starts_with('/') => p.to_string(),
            p => format!("{cwd}/{p}"),
        })
        .collect();
    let entries: Vec<(&str, &str, u64)> = files
        .iter()
        .zip(&paths)
        .map(|((uri, size), path)| (*uri, path.as_str(), *size))
        .collect();
    found(&entries)
}

fn argv_has(p: &JobPlan, arg: &str) -> bool {
    p.effective_argv.iter().any(|a| a == arg)
}

#[test]
fn small_local_files_travel_in_a_secret_the_driver_and_executors_mount() {
    let s = settings(&[
        "--deploy-mode",
        "cluster",
        image(),
        "--conf",
        "spark.k8scli.jobId=j-1",
        "--py-files",
        "lib/helpers.zip,s3a://b/remote.zip",
        "--archives",
        "file:///data/env.tar.gz#env",
        "app.py",
        "arg1",
    ]);
    let p = plan(
        &s,
        &found_in(
            "/work",
            &[
                ("app.py", 100),
                ("lib/helpers.zip", 2000),
                ("file:///data/env.tar.gz", 5000),
            ],
        ),
    )
    .unwrap();
    let d = p.deps.as_ref().unwrap();
    assert_eq!(d.delivery, deps::Delivery::Secret("j-1-deps".into()));
    assert_eq!(d.total(), 7100);
    assert!(argv_has(&p, "local:///opt/spark-k8scli/deps/app.py"));
    assert!(argv_has(
        &p,
        "spark.submit.pyFiles=local:///opt/spark-k8scli/deps/helpers.zip,s3a://b/remote.zip"
    ));
    assert!(argv_has(
        &p,
        "spark.archives=local:///opt/spark-k8scli/deps/env.tar.gz#env"
    ));
    assert!(argv_has(
        &p,
        "spark.kubernetes.driver.secrets.j-1-deps=/opt/spark-k8scli/deps"
    ));
    assert!(argv_has(
        &p,
        "spark.kubernetes.executor.secrets.j-1-deps=/opt/spark-k8scli/deps"
    ));
    assert_eq!(p.effective_argv.last().unwrap(), "arg1");
    // Nothing to stream: no init container.
    assert!(p.pod.spec.as_ref().unwrap().init_containers.is_none());
}

/// Shipped files reach SparkContext.addFile as files (see `deps::in_pod_scheme`): in client
/// mode always `file://`; in cluster mode `file://` for files, py-files and archives when an
/// upload path is set (spark-submit uploads them), else, like jars and the primary resource,
/// `local://`.
#[test]
fn shipped_files_keep_a_scheme_that_sparkfiles_can_serve() {
    let run = |extra: &[&'static str]| {
        let mut v = vec![image(), "--conf", "spark.k8scli.jobId=j-1"];
        v.extend_from_slice(extra);
        v.extend_from_slice(&[
            "--files",
            "a.csv#alias",
            "--jars",
            "dep.jar",
            "--archives",
            "env.tgz#env",
            "--class",
            "a.B",
            "app.jar",
        ]);
        plan(
            &settings(&v),
            &found_in(
                "/w",
                &[
                    ("a.csv", 10),
                    ("dep.jar", 10),
                    ("env.tgz", 10),
                    ("app.jar", 10),
                ],
            ),
        )
        .unwrap()
    };
    // Each mode's in-pod argv, with `D` for the directory the shipped files land in.
    for (flags, wanted) in [
        (
            "--deploy-mode client",
            "spark.files=file://D/a.csv#alias spark.archives=file://D/env.tgz#env \
             spark.jars=file://D/dep.jar file://D/app.jar",
        ),
        (
            "--deploy-mode cluster",
            "spark.files=local://D/a.csv#alias local://D/app.jar",
        ),
        (
            "--deploy-mode cluster --conf spark.kubernetes.file.upload.path=s3a://b/up",
            "spark.files=file://D/a.csv#alias spark.archives=file://D/env.tgz#env \
             spark.jars=local://D/dep.jar local://D/app.jar",
        ),
    ] {
        let p = run(&words(flags));
        for arg in words(wanted) {
            let arg = arg.replace("//D/", "///opt/spark-k8scli/deps/");
            assert!(
                argv_has(&p, &arg),
                "{flags}: {arg} in {:?}",
                p.effective_argv
            );
        }
        if flags.contains("upload.path") {
            assert_eq!(
                p.deps.as_ref().unwrap().delivery,
                deps::Delivery::Secret("j-1-deps".into())
            );
        }
    }
}

#[test]
fn large_local_files_are_streamed_and_need_an_upload_path() {
    let big = deps::SECRET_LIMIT + 1;
    let args = |extra: &[&'static str]| {
        let mut v = vec!["--deploy-mode", "cluster", "--class", "a.B", image()];
        v.extend_from_slice(extra);
        v.push("/home/me/app.jar");
        settings(&v)
    };
    let files = found_in("/", &[("/home/me/app.jar", big)]);
    let e = plan(&args(&[]), &files).unwrap_err();
    assert!(
        e.message
            .contains("spark.kubernetes.file.upload.path is not set"),
        "{e}"
    );
    assert!(e.message.contains("more than fits in a Secret"), "{e}");
    let p = plan(
        &args(&["--conf", "spark.kubernetes.file.upload.path=s3a://b/up"]),
        &files,
    )
    .unwrap();
    assert_eq!(p.deps.as_ref().unwrap().delivery, deps::Delivery::Stream);
    assert!(argv_has(&p, "file:///opt/spark-k8scli/deps/app.jar"));
    let spec = p.pod.spec.as_ref().unwrap();
    let init = &spec.init_containers.as_ref().unwrap()[0];
    assert_eq!(init.name, deps::DEPS_CONTAINER);
    assert_eq!(
        init.command.as_ref().unwrap().join(" "),
        "timeout 600 tar -x -f - -C /opt/spark-k8scli/deps"
    );
    assert_eq!((init.stdin, init.stdin_once), (Some(true), Some(true)));
    // Same requests as the main container: the pod's quota demand does not change.
    assert_eq!(init.resources, spec.containers[0].resources);
    assert!(
        spec.containers[0]
            .volume_mounts
            .as_ref()
            .unwrap()
            .iter()
            .any(|m| m.mount_path == deps::DEPS_DIR)
    );
    // A name no Secret key allows goes the stream way too.
    let odd = found(&[("/home/me/app.jar", "/home/me/my app.jar", 10)]);
    let e = plan(&args(&[]), &odd).unwrap_err();
    assert!(e.message.contains("named my app.jar"), "{e}");
}

#[test]
fn two_local_files_with_one_name_are_refused() {
    let s = cluster(&[image(), "--jars", "/a/x.jar,/b/x.jar"], JAR);
    let e = plan(&s, &found_in("/", &[("/a/x.jar", 1), ("/b/x.jar", 1)])).unwrap_err();
    assert!(
        e.message.contains("Two local files share the name x.jar"),
        "{e}"
    );
}

#[test]
fn local_paths_and_tar_headers() {
    let h = deps::tar_header("app.jar", 1536, 0).unwrap();
    assert_eq!(&h[..7], b"app.jar");
    assert_eq!(&h[124..136], b"00000003000\0");
    assert_eq!(&h[257..263], b"ustar\0");
    // What the launcher streams, read back by kubesim's reader (which checks the checksum as
    // GNU tar does).
    #[cfg(feature = "sim")]
    {
        let mut archive = h.to_vec();
        archive.extend(vec![7u8; 1536]);
        archive.extend([0u8; 1024]);
        assert_eq!(
            kubesim::files::untar(&archive).unwrap(),
            vec![("app.jar".to_string(), vec![7u8; 1536])]
        );
    }
    assert_eq!(deps::tar_padding(1536), 0);
    assert_eq!(deps::tar_padding(1), 511);
    assert!(deps::tar_header(&"x".repeat(101), 1, 0).is_err());
}

#[test]
fn client_mode_pod_is_the_labelled_driver_and_deadlines_are_set_on_request() {
    let client = settings(&["--class", "a.B", image(), JAR]);
    let p = plan(&client, &inputs()).unwrap();
    assert!(p.driver_in_submit_pod());
    let labels = p.pod.metadata.labels.clone().unwrap();
    assert_eq!(labels.get("spark-role").map(String::as_str), Some("driver"));
    assert_eq!(p.pod.spec.as_ref().unwrap().active_deadline_seconds, None);
    let p = plan(&cluster(&[image()], JAR), &inputs()).unwrap();
    assert!(!p.driver_in_submit_pod());
    assert!(!p.pod.metadata.labels.unwrap().contains_key("spark-role"));
    let with = cluster(
        &[image(), "--conf", "spark.k8scli.submitPodDeadline=2h"],
        JAR,
    );
    let p = plan(&with, &inputs()).unwrap();
    assert_eq!(p.pod.spec.unwrap().active_deadline_seconds, Some(7200));
}

#[test]
fn pod_templates_and_the_keytab_reach_the_submit_pod_as_plain_paths() {
    let s = settings(&[
        "--deploy-mode",
        "cluster",
        image(),
        "--conf",
        "spark.k8scli.jobId=j-2",
        "--conf",
        "spark.kubernetes.driver.podTemplateFile=templates/driver.yaml",
        "--conf",
        "spark.kubernetes.executor.podTemplateFile=file:///t/exec.yaml",
        "--principal",
        "etl@EXAMPLE.COM",
        "--keytab",
        "etl.keytab",
        "--class",
        "a.B",
        JAR,
    ]);
    let p = plan(
        &s,
        &found_in(
            "/w",
            &[
                ("templates/driver.yaml", 100),
                ("file:///t/exec.yaml", 90),
                ("etl.keytab", 60),
            ],
        ),
    )
    .unwrap();
    // Spark opens them with java.io.File: plain paths, not local:// URIs.
    for arg in [
        "spark.kubernetes.driver.podTemplateFile=/opt/spark-k8scli/deps/driver.yaml",
        "spark.kubernetes.executor.podTemplateFile=/opt/spark-k8scli/deps/exec.yaml",
        "spark.kerberos.keytab=/opt/spark-k8scli/deps/etl.keytab",
    ] {
        assert!(argv_has(&p, arg), "{arg}: {:?}", p.effective_argv);
    }
    let d = p.deps.as_ref().unwrap();
    assert_eq!(d.delivery, deps::Delivery::Secret("j-2-deps".into()));
    let secret: Vec<(&str, bool)> = d
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.secret))
        .collect();
    assert_eq!(
        secret,
        [
            ("driver.yaml", false),
            ("exec.yaml", false),
            ("etl.keytab", true)
        ]
    );
    // The Secret is mounted in the submit pod itself, where spark-submit reads them.
    let spec = p.pod.spec.as_ref().unwrap();
    let mount = spec.containers[0]
        .volume_mounts
        .as_ref()
        .unwrap()
        .iter()
        .find(|m| m.mount_path == deps::DEPS_DIR)
        .expect("deps mounted in the submit container");
    let volume = spec
        .volumes
        .as_ref()
        .unwrap()
        .iter()
        .find(|v| v.name == mount.name)
        .unwrap();
    assert_eq!(
        volume.secret.as_ref().unwrap().secret_name.as_deref(),
        Some("j-2-deps")
    );
    // A keytab without a principal is Spark's error, before anything exists.
    let argv = [
        "--deploy-mode",
        "cluster",
        "--keytab",
        "k.keytab",
        "--class",
        "a.B",
        JAR,
    ];
    let e = crate::resolve::for_test(SparkCommand::Submit, &argv).unwrap_err();
    assert_eq!(
        e.message,
        "If a Kerberos keytab is specified you must also specify a Kerberos principal"
    );
}
