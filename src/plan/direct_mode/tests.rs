//! Direct mode's plan: the objects, the secret properties out of the ConfigMap, the releases.

use super::*;
use crate::parse::SparkCommand;
use crate::plan::PlanInputs;

const SECRETS: [(&str, &str); 4] = [
    ("spark.hadoop.fs.s3a.access.key", "AKIAEXAMPLE"),
    ("spark.hadoop.fs.s3a.secret.key", "s3cr3t-value"),
    ("spark.db.password", "hunter2"),
    ("spark.api.token", "tok-123"),
];

fn user_settings(extra: &[&str]) -> Settings {
    let mut v: Vec<String> = [
        "--master",
        "k8s://https://k:6443",
        "--deploy-mode",
        "cluster",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.3.0",
        "--conf",
        "spark.k8scli.jobId=etl-1",
        "--conf",
        "spark.k8scli.submitMode=direct",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    let v: Vec<&str> = v.iter().map(String::as_str).collect();
    crate::resolve::for_test(SparkCommand::Submit, &v).expect("resolves")
}

/// The job planned in direct mode, as the edge does it.
fn direct(extra: &[&str]) -> (JobPlan, Objects) {
    let plan = direct_plan(extra);
    let objects = plan.direct.as_ref().unwrap().objects.clone();
    (plan, objects)
}

fn direct_plan(extra: &[&str]) -> JobPlan {
    let s = user_settings(extra);
    let plan = crate::plan::build(&s, &PlanInputs::default()).expect("plans");
    assert_eq!(why_not(&s, &plan), None);
    let argv: Vec<&str> = plan.effective_argv[1..]
        .iter()
        .map(String::as_str)
        .collect();
    let in_pod = crate::resolve::for_test(SparkCommand::Submit, &argv).expect("in-pod argv");
    let release = release(s.spark_version()).expect("a release");
    make(
        plan,
        in_pod,
        release,
        randoms(7, 1_796_676_996_663),
        "alice",
        Files::default(),
    )
    .expect("direct")
}

fn with_secrets() -> Vec<String> {
    SECRETS
        .iter()
        .flat_map(|(k, v)| ["--conf".to_string(), format!("{k}={v}")])
        .chain(["--class", "org.example.Etl", "local:///app/etl.jar"].map(String::from))
        .collect()
}

fn args_of(pod: &Pod) -> Vec<String> {
    pod.spec.as_ref().unwrap().containers[0]
        .args
        .clone()
        .unwrap()
}

#[test]
fn no_configmap_holds_a_secret_property() {
    let extra = with_secrets();
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let (plan, objects) = direct(&extra);
    let cm = serde_json::to_string(&objects.config_map).unwrap();
    for (key, value) in SECRETS {
        assert!(
            !cm.contains(value),
            "{key}'s value is in the ConfigMap: {cm}"
        );
    }
    // The rest is still there.
    let props = properties_of(&objects.config_map);
    assert_eq!(
        props.get("spark.app.id").map(String::as_str),
        Some(objects.pod.metadata.labels.as_ref().unwrap()["spark-app-selector"].as_str())
    );
    assert!(cm.contains("#Java properties built from Kubernetes config map with name: spark-drv-"));
    // The Secret carries them as a properties file, the driver reads it second.
    let secret = plan.secret.as_ref().expect("a secret");
    let file = &secret.string_data.as_ref().unwrap()[SECRET_PROPERTIES];
    let read: BTreeMap<String, String> = crate::resolve::properties::parse(file)
        .into_iter()
        .collect();
    for (key, value) in SECRETS {
        assert_eq!(read.get(key).map(String::as_str), Some(value), "{key}");
    }
    let args = args_of(&plan.pod);
    assert_eq!(
        &args[..5],
        [
            "driver",
            "--properties-file",
            "/opt/spark/conf/spark.properties",
            "--extra-properties-file",
            "/opt/spark/secret-conf/spark-secret.properties"
        ]
    );
    let spec = plan.pod.spec.as_ref().unwrap();
    let volume = spec
        .volumes
        .as_ref()
        .unwrap()
        .iter()
        .find(|v| v.name == SECRET_VOLUME)
        .expect("the volume");
    assert_eq!(
        volume.secret.as_ref().unwrap().secret_name.as_deref(),
        secret.metadata.name.as_deref()
    );
    let mounts: Vec<&str> = spec.containers[0]
        .volume_mounts
        .as_ref()
        .unwrap()
        .iter()
        .map(|m| m.mount_path.as_str())
        .collect();
    assert!(mounts.contains(&SECRET_CONF_DIR), "{mounts:?}");
}

#[test]
fn spark_3_5_reads_secret_properties_from_env() {
    let mut extra = vec![
        "--conf".to_string(),
        "spark.kubernetes.container.image=apache/spark:3.5.3".to_string(),
    ];
    extra.extend(with_secrets());
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let (plan, objects) = direct(&extra);
    let cm = serde_json::to_string(&objects.config_map).unwrap();
    for (_, value) in SECRETS {
        assert!(!cm.contains(value));
    }
    let args = args_of(&plan.pod).join(" ");
    assert!(
        args.contains("--conf spark.db.password=$(SPARK_K8SCLI_SECRET_CONF_"),
        "{args}"
    );
    assert!(!args.contains("hunter2"));
    let data = plan.secret.as_ref().unwrap().string_data.clone().unwrap();
    assert_eq!(data.len(), SECRETS.len());
    assert!(data.values().any(|v| v == "hunter2"));
    let env = plan.pod.spec.as_ref().unwrap().containers[0]
        .env
        .clone()
        .unwrap();
    let refs = env
        .iter()
        .filter(|e| e.name.starts_with(SECRET_ENV_PREFIX))
        .count();
    assert_eq!(refs, SECRETS.len());
    assert_eq!(
        plan.pod.metadata.labels.as_ref().unwrap()["spark-version"],
        "3.5.3"
    );
}

/// The Service selects the driver by all its labels, `spark-version` included: for a release
/// other than the builder's own, both name that release (the 3.5/4.0/4.1/4.2 goldens,
/// tests/direct_golden/lines.rs, showed the selector still naming 4.3.0, which selects no pod).
#[test]
fn the_service_selects_the_driver_of_every_line() {
    for version in ["3.5.9", "4.0.5", "4.1.4", "4.2.1", "4.3.0"] {
        let image = format!("spark.kubernetes.container.image=apache/spark:{version}");
        let (_, objects) = direct(&["--conf", &image, "--class", "A", "local:///a.jar"]);
        let labels = objects.pod.metadata.labels.clone().unwrap();
        let spec = objects.service.spec.clone().unwrap();
        let selector = spec.selector.unwrap();
        assert_eq!(selector["spark-version"], version);
        for (k, v) in &selector {
            assert_eq!(labels.get(k), Some(v), "{version}: the pod lacks {k}={v}");
        }
    }
}

#[test]
fn without_secrets_there_is_no_secret_and_no_extra_file() {
    let (plan, _) = direct(&["--class", "org.example.Etl", "local:///app/etl.jar"]);
    assert!(plan.secret.is_none());
    assert!(
        !args_of(&plan.pod)
            .iter()
            .any(|a| a == "--extra-properties-file")
    );
}

#[test]
fn the_driver_takes_the_submit_pods_place() {
    let s = user_settings(&[
        "--driver-memory",
        "2g",
        "--class",
        "org.example.Etl",
        "local:///app/etl.jar",
    ]);
    let pod_mode = crate::plan::build(&s, &PlanInputs::default()).unwrap();
    let (plan, objects) = direct(&[
        "--driver-memory",
        "2g",
        "--class",
        "org.example.Etl",
        "local:///app/etl.jar",
    ]);
    assert_eq!(plan.submit_pod_name, "etl-1-driver");
    assert!(plan.driver_in_submit_pod());
    assert_eq!(plan.pod.metadata.name.as_deref(), Some("etl-1-driver"));
    assert_eq!(objects.pod, plan.pod);
    // One pod less: the submit pod's demand is gone, the driver's stays.
    let (d, p) = (&plan.demand, &pod_mode.demand);
    assert_eq!(d.total_pods, p.total_pods - 1);
    assert_eq!(d.total_cpu_m, p.total_cpu_m - p.submit.cpu_request_m);
    assert_eq!(d.total_memory_mib, p.total_memory_mib - p.submit.memory_mib);
    assert_eq!(d.submit, p.driver.unwrap());
    assert_eq!(d.driver, None);
    let labels = plan.pod.metadata.labels.as_ref().unwrap();
    assert_eq!(labels[crate::plan::JOB_ID_LABEL], "etl-1");
    assert_eq!(labels["spark-version"], "4.3.0");
}

#[test]
fn what_direct_mode_does_not_take_is_named() {
    let client = user_settings(&["--deploy-mode", "client", "--class", "A", "local:///a.jar"]);
    let plan = crate::plan::build(&client, &PlanInputs::default()).unwrap();
    assert!(why_not(&client, &plan).unwrap().contains("client mode"));
    let untagged = user_settings(&[
        "--conf",
        "spark.kubernetes.container.image=registry/spark",
        "--class",
        "A",
        "local:///a.jar",
    ]);
    let plan = crate::plan::build(&untagged, &PlanInputs::default()).unwrap();
    assert!(
        why_not(&untagged, &plan)
            .unwrap()
            .contains("spark.k8scli.sparkVersion")
    );
    let pinned = user_settings(&[
        "--conf",
        "spark.kubernetes.container.image=registry/spark",
        "--conf",
        "spark.k8scli.sparkVersion=4.1",
        "--class",
        "A",
        "local:///a.jar",
    ]);
    let plan = crate::plan::build(&pinned, &PlanInputs::default()).unwrap();
    assert_eq!(why_not(&pinned, &plan), None);
    let v = |t: &str| Some(crate::resolve::version::parse(t).unwrap());
    assert_eq!(release(v("4.1.1")).unwrap().line, SparkLine::V4_1);
    assert!(release(v("3.4.1")).unwrap_err().contains("older than 3.5"));
    assert!(release(v("5.0")).is_err());
    assert!(
        release(None)
            .unwrap_err()
            .contains("set spark.k8scli.sparkVersion")
    );
}

#[test]
fn randoms_have_sparks_shapes_and_differ_per_seed() {
    let r = randoms(1, 42);
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    assert!(
        r.app_id.starts_with("spark-") && hex(&r.app_id[6..], 32),
        "{}",
        r.app_id
    );
    for id in [&r.resource_id, &r.service_id, &r.config_map_id] {
        assert!(hex(id, 16), "{id}");
    }
    let u: Vec<&str> = r.local_dir_uuid.split('-').collect();
    assert_eq!(
        u.iter().map(|p| p.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(
        u[2].starts_with('4') && "89ab".contains(&u[3][..1]),
        "{}",
        r.local_dir_uuid
    );
    assert_eq!(r.submit_time_millis, 42);
    assert_ne!(randoms(2, 42).app_id, r.app_id);
    assert_ne!(r.resource_id, r.config_map_id);
}

#[test]
fn a_found_driver_keeps_its_own_ids() {
    let (plan, objects) = direct(&["--class", "A", "local:///a.jar"]);
    let fresh = randoms(99, 1);
    let kept = adopted(&plan.pod, &fresh);
    let first = randoms(7, 1_796_676_996_663);
    assert_eq!(kept.app_id, first.app_id);
    assert_eq!(kept.config_map_id, first.config_map_id);
    assert_eq!(kept.local_dir_uuid, first.local_dir_uuid);
    assert_eq!(kept.resource_id, fresh.resource_id);
    assert_eq!(
        objects.config_map.metadata.name,
        Some(format!("spark-drv-{}-conf-map", kept.config_map_id))
    );
}

#[test]
fn a_found_drivers_service_and_policy_give_their_ids_back() {
    let fresh = randoms(99, 1);
    let id = "0123456789abcdef";
    let kept = adopted_names(
        &fresh,
        "My App",
        Some(&format!("my-app-{id}-driver-svc")),
        None,
    );
    assert_eq!(
        (kept.resource_id.as_str(), &kept.service_id),
        (id, &fresh.service_id)
    );
    // The long-name case: the Service names its own id, the policy the resource id.
    let other = "fedcba9876543210";
    let long = "a".repeat(60);
    let kept = adopted_names(
        &fresh,
        &long,
        Some(&format!("spark-{other}-driver-svc")),
        Some(&format!("{long}-{id}-policy")),
    );
    assert_eq!(
        (kept.resource_id.as_str(), kept.service_id.as_str()),
        (id, other)
    );
    // Names of another app, or none: the fresh ids stay.
    let kept = adopted_names(
        &fresh,
        "my-app",
        Some(&format!("other-{id}-driver-svc")),
        None,
    );
    assert_eq!(kept, fresh);
    assert_eq!(adopted_names(&fresh, "my-app", None, None), fresh);
}

#[test]
fn each_line_gets_its_own_objects() {
    let image = |v: &str| format!("spark.kubernetes.container.image=apache/spark:{v}");
    let connect = |o: &Objects| {
        o.service
            .spec
            .as_ref()
            .unwrap()
            .ports
            .as_ref()
            .unwrap()
            .iter()
            .find(|p| p.name.as_deref() == Some("spark-connect"))
            .map(|p| p.app_protocol.clone())
    };
    let escalation = |o: &Objects| {
        o.pod.spec.as_ref().unwrap().containers[0]
            .security_context
            .clone()
    };
    let not_ready = |o: &Objects| o.service.spec.as_ref().unwrap().publish_not_ready_addresses;
    let of = |v: &str| {
        let i = image(v);
        direct_plan(&["--conf", &i, "--class", "A", "local:///a.jar"])
    };
    // 4.0: no connect port, no securityContext, no publishNotReadyAddresses, no NetworkPolicy.
    let p = of("4.0.0");
    let d = p.direct.as_ref().unwrap();
    assert_eq!(d.release.line, SparkLine::V4_0);
    assert!(!d.release.line.network_policy());
    assert_eq!(connect(&d.objects), None);
    assert_eq!(escalation(&d.objects), None);
    assert_eq!(not_ready(&d.objects), None);
    // 4.1: the connect port, without appProtocol.
    let p = of("4.1.2");
    assert_eq!(connect(&p.direct.as_ref().unwrap().objects), Some(None));
    // 4.3: all of it (the builder's own release).
    let p = of("4.3.0");
    let o = &p.direct.as_ref().unwrap().objects;
    assert_eq!(connect(o), Some(Some("grpc".into())));
    assert!(escalation(o).is_some());
    assert_eq!(not_ready(o), Some(false));
}

#[test]
fn what_a_line_lacks_falls_back() {
    let s = user_settings(&[
        "--conf",
        "spark.kubernetes.container.image=apache/spark:3.5.1",
        "--conf",
        "spark.driver.minMemoryOverhead=512m",
        "--class",
        "A",
        "local:///a.jar",
    ]);
    let plan = crate::plan::build(&s, &PlanInputs::default()).unwrap();
    let argv: Vec<&str> = plan.effective_argv[1..]
        .iter()
        .map(String::as_str)
        .collect();
    let in_pod = crate::resolve::for_test(SparkCommand::Submit, &argv).unwrap();
    let release = release(s.spark_version()).unwrap();
    let e = make(
        plan,
        in_pod,
        release,
        randoms(1, 1),
        "alice",
        Files::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("spark.driver.minMemoryOverhead with Spark 3.5"),
        "{e}"
    );
}

/// A driver pod template's containers come first and its container's name is kept: the driver's
/// container is the last one. The per-line goldens (tests/direct_golden/lines.rs) found direct
/// mode refusing every templated job with a secret property ("no driver container", the
/// container looked up by Spark's default name), and `for_line` leaving the template's driver
/// container untrimmed.
#[test]
fn a_pod_templates_driver_container_is_the_driver_of_every_step() {
    const TEMPLATE: &str = "apiVersion: v1
kind: Pod
spec:
  volumes:
  - name: app-config
    configMap: {name: app-config}
  containers:
  - name: sidecar
    image: envoy:1
  - name: main
";
    let s = user_settings(&[
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.5",
        "--conf",
        "spark.kubernetes.driver.podTemplateFile=/t/driver.yaml",
        "--conf",
        "spark.kubernetes.driver.podTemplateContainerName=main",
        "--conf",
        "spark.db.password=hunter2",
        "--class",
        "A",
        "local:///a.jar",
    ]);
    let inputs = PlanInputs {
        local_files: [(
            "/t/driver.yaml".to_string(),
            Ok(crate::plan::deps::Found {
                path: "/t/driver.yaml".into(),
                size: TEMPLATE.len() as u64,
            }),
        )]
        .into(),
        ..Default::default()
    };
    let plan = crate::plan::build(&s, &inputs).unwrap();
    let argv: Vec<&str> = plan.effective_argv[1..]
        .iter()
        .map(String::as_str)
        .collect();
    let in_pod = crate::resolve::for_test(SparkCommand::Submit, &argv).unwrap();
    let files = Files {
        driver_pod_template: Some(TEMPLATE.into()),
        executor_pod_template: None,
    };
    let release = release(s.spark_version()).unwrap();
    let plan = make(plan, in_pod, release, randoms(3, 1), "alice", files).expect("direct");
    let containers = &plan.pod.spec.as_ref().unwrap().containers;
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["sidecar", "main"]);
    assert_eq!(plan.main_container(), "main");
    let main = &containers[1];
    // 4.0: the secret property read with `--conf K=$(VAR)`, no connect port, no securityContext.
    let args = main.args.clone().unwrap().join(" ");
    assert!(args.contains("--conf spark.db.password=$("), "{args}");
    let ports: Vec<_> = main
        .ports
        .iter()
        .flatten()
        .map(|p| p.name.clone())
        .collect();
    assert!(!ports.contains(&Some("spark-connect".into())), "{ports:?}");
    assert_eq!(main.security_context, None);
    assert_eq!(containers[0].args, None);
    // A re-run finds the driver's own ConfigMap and local dir behind the template's.
    let d = plan.direct.as_ref().unwrap();
    let kept = adopted(&plan.pod, &randoms(99, 1));
    assert_eq!(kept.config_map_id, d.randoms.config_map_id);
    assert_eq!(kept.local_dir_uuid, d.randoms.local_dir_uuid);
}

/// What the 3.5 and 4.0-4.2 goldens (tests/golden/direct-lines) showed the lines writing
/// differently from 4.3: before 4.3 `SPARK_USER` is the submitting user under `--proxy-user`
/// too; 3.5 writes no `subPathExpr` on driver volume mounts and an empty `hostPath` type.
#[test]
fn older_lines_keep_the_submitter_and_3_5_the_plain_volumes() {
    let of = |version: &str| {
        let image = format!("spark.kubernetes.container.image=apache/spark:{version}");
        let prefix = "spark.kubernetes.driver.volumes.hostPath.logs";
        let (_, o) = direct(&[
            "--conf",
            &image,
            "--proxy-user",
            "bob",
            "--conf",
            &format!("{prefix}.mount.path=/logs"),
            "--conf",
            &format!("{prefix}.mount.subPathExpr=$(SPARK_APPLICATION_ID)"),
            "--conf",
            &format!("{prefix}.options.path=/var/log"),
            "--conf",
            &format!("{prefix}.options.type=Directory"),
            "--class",
            "A",
            "local:///a.jar",
        ]);
        let spec = o.pod.spec.unwrap();
        let c = &spec.containers[0];
        let user = c.env.iter().flatten().find(|e| e.name == "SPARK_USER");
        let mount = c.volume_mounts.iter().flatten().find(|m| m.name == "logs");
        let volume = spec.volumes.iter().flatten().find(|v| v.name == "logs");
        (
            user.and_then(|e| e.value.clone()).unwrap(),
            mount.unwrap().sub_path_expr.clone(),
            volume.unwrap().host_path.clone().unwrap().type_,
        )
    };
    let expr = Some("$(SPARK_APPLICATION_ID)".to_string());
    let dir = Some("Directory".to_string());
    assert_eq!(of("3.5.9"), ("alice".into(), None, Some(String::new())));
    assert_eq!(of("4.0.5"), ("alice".into(), expr.clone(), dir.clone()));
    assert_eq!(of("4.2.1"), ("alice".into(), expr.clone(), dir.clone()));
    assert_eq!(of("4.3.0"), ("bob".into(), expr, dir));
}
