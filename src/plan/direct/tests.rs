//! The builder's pieces against what Spark writes (the golden suite, tests/direct_golden.rs,
//! compares whole objects with the JVM's).

use super::*;
use crate::parse::SparkCommand;

fn randoms() -> Randoms {
    Randoms {
        app_id: "spark-0123456789abcdef0123456789abcdef".into(),
        resource_id: "a1b2c3d4e5f60718".into(),
        service_id: "ffeeddccbbaa9988".into(),
        config_map_id: "0011223344556677".into(),
        local_dir_uuid: "524db337-5a96-4aad-8c98-daa9b84245c4".into(),
        submit_time_millis: 1_796_676_996_663,
    }
}

fn settings(argv: &str) -> Settings {
    let mut v: Vec<&str> = vec![
        "--master",
        "k8s://https://k:6443",
        "--deploy-mode",
        "cluster",
        "--conf",
        "spark.kubernetes.container.image=img",
    ];
    v.extend(argv.split_whitespace());
    crate::resolve::for_test(SparkCommand::Submit, &v).expect("resolves")
}

fn objects(argv: &str) -> Objects {
    build(&settings(argv), &randoms(), "alice").expect("builds")
}

#[test]
fn java_date_matches_date_to_string_in_utc() {
    // 2026-12-07T20:56:36.663Z was a Monday.
    assert_eq!(
        java_date_utc(1_796_676_996_663),
        "Mon Dec 07 20:56:36 UTC 2026"
    );
    assert_eq!(java_date_utc(0), "Thu Jan 01 00:00:00 UTC 1970");
    assert_eq!(
        java_date_utc(951_782_400_000),
        "Tue Feb 29 00:00:00 UTC 2000"
    );
}

#[test]
fn properties_are_escaped_as_java_stores_them() {
    let props = BTreeMap::from([
        ("spark.master".to_string(), "k8s://http://h:1".to_string()),
        ("a key".to_string(), " lead=x#!\\".to_string()),
        ("spark.empty".to_string(), String::new()),
    ]);
    assert_eq!(
        store_properties("c", "d", &props),
        "#c\n#d\na\\ key=\\ lead\\=x\\#\\!\\\\\nspark.empty=\nspark.master=k8s\\://http\\://h\\:1\n"
    );
}

#[test]
fn resource_prefix_is_sanitised_like_spark() {
    assert_eq!(resource_name_prefix("Spark Pi", "ab"), "spark-pi-ab");
    assert_eq!(
        resource_name_prefix("org.apache.spark.examples.SparkPi", "b4bbefa2524b4ed8"),
        "org-apache-spark-examples-sparkpi-b4bbefa2524b4ed8"
    );
    assert_eq!(resource_name_prefix("7up", "ab"), "xup-ab");
}

#[test]
fn a_jvm_app_gets_spark_s_properties() {
    let o = objects("--name pi --class a.B local:///app.jar 10");
    let p = driver_properties(
        &settings("--name pi --class a.B local:///app.jar 10"),
        &randoms(),
    )
    .unwrap();
    assert_eq!(p["spark.jars"], "local:///app.jar");
    assert_eq!(p["spark.submit.pyFiles"], "");
    assert_eq!(p["spark.kubernetes.resource.type"], "java");
    assert_eq!(p["spark.kubernetes.memoryOverheadFactor"], "0.1");
    assert_eq!(
        p["spark.driver.host"],
        "pi-a1b2c3d4e5f60718-driver-svc.default.svc"
    );
    assert_eq!(
        p["spark.kubernetes.driver.pod.name"],
        "pi-a1b2c3d4e5f60718-driver"
    );
    assert_eq!(p["spark.app.submitTime"], "1796676996663");
    let c = &o.pod.spec.as_ref().unwrap().containers[0];
    assert_eq!(
        c.args.as_ref().unwrap(),
        &[
            "driver",
            "--properties-file",
            "/opt/spark/conf/spark.properties",
            "--class",
            "a.B",
            "local:///app.jar",
            "10"
        ]
    );
    let text = &o.config_map.data.as_ref().unwrap()["spark.properties"];
    assert!(text.starts_with(
        "#Java properties built from Kubernetes config map with name: spark-drv-0011223344556677-conf-map\n#Mon Dec 07 20:56:36 UTC 2026\n"
    ));
}

#[test]
fn a_python_app_runs_python_runner_with_the_non_jvm_factor() {
    let s = settings("--name pi local:///app/pi.py 3");
    let p = driver_properties(&s, &randoms()).unwrap();
    assert_eq!(p["spark.kubernetes.resource.type"], "python");
    assert_eq!(p["spark.kubernetes.memoryOverheadFactor"], "0.4");
    assert!(!p.contains_key("spark.jars"));
    let o = build(&s, &randoms(), "alice").unwrap();
    let c = &o.pod.spec.as_ref().unwrap().containers[0];
    assert_eq!(
        c.args.as_ref().unwrap()[4],
        "org.apache.spark.deploy.PythonRunner"
    );
    // 1024 MiB heap + max(0.4 × 1024, 384).
    assert_eq!(
        c.resources.as_ref().unwrap().limits.as_ref().unwrap()["memory"].0,
        "1433Mi"
    );
}

#[test]
fn tokens_are_redacted_in_the_properties() {
    let s = settings(
        "--conf spark.kubernetes.authenticate.submission.oauthToken=t0ken --class a.B local:///a.jar",
    );
    let p = driver_properties(&s, &randoms()).unwrap();
    assert_eq!(
        p["spark.kubernetes.authenticate.submission.oauthToken"],
        "<present_but_redacted>"
    );
}

#[test]
fn a_long_app_name_takes_the_short_service_name() {
    let name = "a".repeat(50);
    let o = objects(&format!("--name {name} --class a.B local:///a.jar"));
    assert_eq!(
        o.service.metadata.name.as_deref(),
        Some("spark-ffeeddccbbaa9988-driver-svc")
    );
}

#[test]
fn secrets_mount_before_the_local_dir_and_env_secrets_follow_the_bind_address() {
    let o = objects(
        "--conf spark.kubernetes.driver.secrets.db=/etc/db \
         --conf spark.kubernetes.driver.secretKeyRef.PASS=db:password --class a.B local:///a.jar",
    );
    let spec = o.pod.spec.unwrap();
    let names: Vec<&str> = spec
        .volumes
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["db-volume", "spark-local-dir-1", "spark-conf-volume-driver"]
    );
    let env: Vec<&str> = spec.containers[0]
        .env
        .as_ref()
        .unwrap()
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        env,
        [
            "SPARK_USER",
            "SPARK_APPLICATION_ID",
            "SPARK_DRIVER_BIND_ADDRESS",
            "PASS",
            "SPARK_LOCAL_DIRS",
            "SPARK_CONF_DIR"
        ]
    );
}

#[test]
fn the_config_map_and_service_are_owned_by_the_driver_pod() {
    let mut o = objects("--class a.B local:///a.jar");
    o.own("uid-1");
    for owners in [
        &o.config_map.metadata.owner_references,
        &o.service.metadata.owner_references,
        &o.network_policy.metadata.owner_references,
    ] {
        let r = &owners.as_ref().unwrap()[0];
        assert_eq!(
            (r.kind.as_str(), r.uid.as_str(), r.controller),
            ("Pod", "uid-1", Some(true))
        );
        assert_eq!(r.name, "a-b-a1b2c3d4e5f60718-driver");
    }
}

#[test]
fn what_the_builder_does_not_model_is_named() {
    for (argv, why) in [
        (
            "--conf spark.kubernetes.kerberos.krb5.path=/etc/krb5.conf --class a.B local:///a.jar",
            "krb5.conf",
        ),
        (
            "--conf spark.kubernetes.driver.volumes.persistentVolumeClaim.x.mount.path=/x \
             --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.x.options.claimName=OnDemand \
             --class a.B local:///a.jar",
            "persistent volume claims Spark creates",
        ),
        (
            "--conf spark.kubernetes.driver.volumes.configMap.x.mount.path=/x --class a.B local:///a.jar",
            "driver volumes of type configMap",
        ),
        (
            "--conf spark.kerberos.principal=p --class a.B local:///a.jar",
            "Kerberos",
        ),
        (
            "--conf spark.kubernetes.kerberos.tokenSecret.name=t --class a.B local:///a.jar",
            "tokenSecret.itemKey",
        ),
        (
            "--conf spark.kubernetes.authenticate.driver.oauthToken=t --class a.B local:///a.jar",
            "driver credentials",
        ),
        (
            "--conf spark.driver.resource.gpu.amount=1 --class a.B local:///a.jar",
            "without a vendor",
        ),
        (
            "--conf spark.kubernetes.driver.pod.featureSteps=a.Step --class a.B local:///a.jar",
            "custom feature steps",
        ),
        ("--class a.B /home/me/app.jar", "local files"),
        (
            "--deploy-mode client --class a.B local:///a.jar",
            "client mode",
        ),
    ] {
        let s = settings(argv);
        let got = unsupported(&s).unwrap_or_default();
        assert!(got.contains(why), "{argv}: {got}");
        assert!(build(&s, &randoms(), "alice").is_err());
    }
    assert_eq!(unsupported(&settings("--class a.B local:///a.jar")), None);
}

fn with_template(argv: &str, driver: &str) -> Objects {
    let files = Files {
        driver_pod_template: Some(driver.into()),
        executor_pod_template: Some("kind: Pod\n".into()),
    };
    build_with(&settings(argv), &randoms(), "alice", &files).expect("builds")
}

#[test]
fn a_pod_template_needs_its_text_from_the_edge() {
    let s = settings(
        "--conf spark.kubernetes.driver.podTemplateFile=/t/driver.yaml --class a.B local:///a.jar",
    );
    assert_eq!(unsupported(&s), None);
    let e = build(&s, &randoms(), "alice").unwrap_err();
    assert!(format!("{e:?}").contains("/t/driver.yaml"), "{e:?}");
    let files = Files {
        driver_pod_template: Some("spec: [not, a, pod".into()),
        ..Files::default()
    };
    let e = build_with(&s, &randoms(), "alice", &files).unwrap_err();
    assert!(format!("{e:?}").contains("not a valid Pod"), "{e:?}");
}

#[test]
fn the_template_s_container_is_the_driver_s_and_goes_last() {
    let template = "spec:
  containers:
  - name: side
  - name: spark
    env: [{name: T, value: x}]
    args: [first]
";
    let o = with_template(
        "--conf spark.kubernetes.driver.podTemplateFile=/t.yaml \
         --conf spark.kubernetes.driver.podTemplateContainerName=spark --class a.B local:///a.jar",
        template,
    );
    let spec = o.pod.spec.unwrap();
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["side", "spark"]);
    let driver = &spec.containers[1];
    assert_eq!(driver.env.as_ref().unwrap()[0].name, "T");
    assert_eq!(&driver.args.as_ref().unwrap()[..2], ["first", "driver"]);
    // Without the name, or with one no container has, the first container is the driver's.
    let o = with_template(
        "--conf spark.kubernetes.driver.podTemplateFile=/t.yaml \
         --conf spark.kubernetes.driver.podTemplateContainerName=none --class a.B local:///a.jar",
        template,
    );
    let names: Vec<String> = o
        .pod
        .spec
        .unwrap()
        .containers
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["spark", "side"]);
}

#[test]
fn an_executor_template_rides_in_a_config_map_the_driver_mounts() {
    let o = with_template(
        "--conf spark.kubernetes.executor.podTemplateFile=/t/exec.yaml --class a.B local:///a.jar",
        "kind: Pod\n",
    );
    let cm = o.executor_pod_template.expect("a ConfigMap");
    assert_eq!(
        cm.metadata.name.as_deref(),
        Some("a-b-a1b2c3d4e5f60718-driver-podspec-conf-map")
    );
    assert_eq!(cm.data.unwrap()["podspec-configmap-key"], "kind: Pod\n");
    let text = &o.config_map.data.as_ref().unwrap()["spark.properties"];
    assert!(text.contains(
        "spark.kubernetes.executor.podTemplateFile=/opt/spark/pod-template/pod-spec-template.yml"
    ));
}

#[test]
fn driver_volumes_and_local_dirs_from_a_volume() {
    let o = objects(
        "--conf spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.mount.path=/d \
         --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.mount.readOnly=true \
         --conf spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-local-dir-1.options.claimName=c \
         --conf spark.kubernetes.driver.volumes.nfs.n.mount.path=/n \
         --conf spark.kubernetes.driver.volumes.nfs.n.options.server=s \
         --conf spark.kubernetes.driver.volumes.nfs.n.options.path=/x --class a.B local:///a.jar",
    );
    let spec = o.pod.spec.unwrap();
    let volumes = spec.volumes.unwrap();
    let pvc = volumes[1].persistent_volume_claim.as_ref().unwrap();
    assert_eq!((pvc.claim_name.as_str(), pvc.read_only), ("c", Some(true)));
    let nfs = volumes[0].nfs.as_ref().unwrap();
    assert_eq!((nfs.server.as_str(), nfs.read_only), ("s", None));
    // The volume named spark-local-dir-1 is the local dir: no emptyDir of Spark's own.
    assert_eq!(volumes.len(), 3);
    let env = spec.containers[0].env.as_ref().unwrap();
    let dirs = env.iter().find(|e| e.name == "SPARK_LOCAL_DIRS").unwrap();
    assert_eq!(dirs.value.as_deref(), Some("/d"));
}
