//! The operator translation suite: command lines become SparkApplications that validate
//! against the operator's CRD schema (the excerpt vendored in tests/fixtures/sparkoperator)
//! and carry every property, checked by turning each one back into the properties the
//! operator's spark-submit would get (`submission.go`'s option functions).

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;
use crate::parse::SparkCommand;
use crate::plan::PlanInputs;
use crate::plan::deps::Found;

const SCHEMA: &str = include_str!(
    "../../../tests/fixtures/sparkoperator/sparkoperator.k8s.io_sparkapplications.json"
);
const DRIVER_TEMPLATE: &str = "/tmp/templates/driver.yaml";
const EXECUTOR_TEMPLATE: &str = "/tmp/templates/executor.yaml";
const TEMPLATE_TEXT: &str = "apiVersion: v1\nkind: Pod\nspec:\n  tolerations:\n  - key: spot\n    operator: Exists\n    effect: NoSchedule\n  priorityClassName: batch\n";

fn argv(extra: &[&str]) -> Vec<String> {
    let base = [
        "--master",
        "k8s://https://k:6443",
        "--deploy-mode",
        "cluster",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.1",
        "--conf",
        "spark.k8scli.jobId=etl-1",
    ];
    base.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn settings(argv: &[String]) -> Settings {
    let v: Vec<&str> = argv.iter().map(String::as_str).collect();
    crate::resolve::for_test(SparkCommand::Submit, &v).expect("resolves")
}

/// The job translated as the edge does it: user settings, the pod-mode plan with templates
/// read here, the in-pod view.
fn translate(extra: &[&str]) -> Result<(Value, Settings), ResolveError> {
    let user = settings(&argv(extra));
    let inputs = PlanInputs {
        templates_read_here: true,
        local_files: [(
            "/home/me/udf.jar".to_string(),
            Ok(Found {
                path: "/home/me/udf.jar".into(),
                size: 10,
            }),
        )]
        .into(),
        ..PlanInputs::default()
    };
    let plan = crate::plan::build(&user, &inputs)?;
    let in_pod = settings(&plan.effective_argv[1..]);
    let files = Files {
        driver_pod_template: Some(TEMPLATE_TEXT.into()),
        executor_pod_template: Some(TEMPLATE_TEXT.into()),
    };
    Ok((make(&user, &plan, &in_pod, &files)?, in_pod))
}

// ---- a JSON-schema subset: type, properties, required, items, enum, additionalProperties,
// minimum/maximum, pattern, anyOf, x-kubernetes-int-or-string and -preserve-unknown-fields.
// A field the schema does not name is an error (kubectl's strict field validation).

fn validate(v: &Value, s: &Value, at: &str, errors: &mut Vec<String>) {
    if s.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        if !(v.is_i64() || v.is_string()) {
            errors.push(format!("{at}: not an int or a string"));
        }
        return;
    }
    let ok = match s.get("type").and_then(Value::as_str) {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    };
    if !ok {
        errors.push(format!("{at}: {v} is not of type {}", s["type"]));
        return;
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errors.push(format!("{at}: {v} is not one of {e:?}"));
    }
    if let (Some(n), Some(min)) = (v.as_i64(), s.get("minimum").and_then(Value::as_i64))
        && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if let (Some(n), Some(max)) = (v.as_i64(), s.get("maximum").and_then(Value::as_i64))
        && n > max
    {
        errors.push(format!("{at}: {n} > {max}"));
    }
    if let (Some(t), Some(p)) = (v.as_str(), s.get("pattern").and_then(Value::as_str))
        && !regex::Regex::new(p).expect("pattern").is_match(t)
    {
        errors.push(format!("{at}: {t:?} does not match {p}"));
    }
    if let (Some(items), Some(schema)) = (v.as_array(), s.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item, schema, &format!("{at}[{i}]"), errors);
        }
    }
    if let Some(map) = v.as_object() {
        validate_object(map, s, at, errors);
    }
}

fn validate_object(
    map: &serde_json::Map<String, Value>,
    s: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    for r in s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !map.contains_key(r.as_str().unwrap_or_default()) {
            errors.push(format!("{at}: {r} is required"));
        }
    }
    // `metadata` is a bare `type: object`: the API server checks it as ObjectMeta.
    let bare = s.get("properties").is_none() && s.get("additionalProperties").is_none();
    let open = bare || s.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
    for (k, child) in map {
        let here = format!("{at}.{k}");
        match (
            s.get("properties").and_then(|p| p.get(k)),
            s.get("additionalProperties"),
        ) {
            (Some(schema), _) | (None, Some(schema)) => validate(child, schema, &here, errors),
            (None, None) if open => {}
            (None, None) => errors.push(format!("{here}: not in the schema")),
        }
    }
}

fn schema() -> Value {
    let crd: Value = serde_json::from_str(SCHEMA).expect("the vendored CRD is JSON");
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone()
}

fn schema_errors(app: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(app, &schema(), "", &mut errors);
    errors
}

// ---- the operator's spark-submit, from the SparkApplication: the properties it passes.

fn put(out: &mut BTreeMap<String, String>, key: &str, v: &Value) {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    out.insert(key.to_string(), text);
}

fn each<'a>(v: &'a Value, field: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    v.get(field)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// The properties `submission.go` builds from `app` (its own labels and the ones the launcher
/// owns aside): `imageOption`, `dependenciesOption`, `sparkConfOption`, `hadoopConfOption`,
/// `driverConfOption`, `driverSecretOption`, `driverEnvOption`, `executorConfOption`, ...
/// Role images are compared as given: the operator's copy of `spec.image` into them is
/// Spark's own fallback.
fn submitted(app: &Value) -> BTreeMap<String, String> {
    let spec = &app["spec"];
    let mut out = BTreeMap::new();
    for (k, v) in each(spec, "sparkConf") {
        put(&mut out, k, v);
    }
    for (k, v) in each(spec, "hadoopConf") {
        put(&mut out, &format!("spark.hadoop.{k}"), v);
    }
    for (field, key) in [
        ("image", "spark.kubernetes.container.image"),
        (
            "imagePullPolicy",
            "spark.kubernetes.container.image.pullPolicy",
        ),
        (
            "imagePullSecrets",
            "spark.kubernetes.container.image.pullSecrets",
        ),
    ]
    .into_iter()
    .chain(DEPS)
    {
        if let Some(v) = spec.get(field).or_else(|| spec["deps"].get(field)) {
            put(&mut out, key, v);
        }
    }
    for (k, v) in each(spec, "nodeSelector") {
        put(&mut out, &format!("spark.kubernetes.node.selector.{k}"), v);
    }
    for (r, env_prefix) in [
        (&DRIVER, "spark.kubernetes.driver"),
        (&EXECUTOR, "spark.kubernetes.executor"),
    ] {
        submitted_role(r, &spec[r.name], env_prefix, &mut out);
    }
    if let Some(d) = spec.get("dynamicAllocation") {
        put(&mut out, "spark.dynamicAllocation.enabled", &d["enabled"]);
        out.insert(
            "spark.dynamicAllocation.shuffleTracking.enabled".into(),
            "true".into(),
        );
        for (field, key) in [
            (
                "initialExecutors",
                "spark.dynamicAllocation.initialExecutors",
            ),
            ("minExecutors", "spark.dynamicAllocation.minExecutors"),
            ("maxExecutors", "spark.dynamicAllocation.maxExecutors"),
            (
                "shuffleTrackingTimeout",
                "spark.dynamicAllocation.shuffleTracking.timeout",
            ),
        ] {
            if let Some(v) = d.get(field) {
                put(&mut out, key, v);
            }
        }
    }
    out
}

fn submitted_role(r: &Role, role: &Value, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (field, key) in r.text.iter().chain(r.count) {
        if let Some(v) = role.get(*field) {
            put(out, key, v);
        }
    }
    if let Some(v) = role.get("deleteOnTermination") {
        put(out, "spark.kubernetes.executor.deleteOnTermination", v);
    }
    for (field, key_prefix) in r.maps {
        for (k, v) in each(role, field) {
            put(out, &format!("{key_prefix}{k}"), v);
        }
    }
    for s in role
        .get("secrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        assert_eq!(s["secretType"], "Generic", "no env is added for it");
        put(
            out,
            &format!("{prefix}.secrets.{}", s["name"].as_str().unwrap()),
            &s["path"],
        );
    }
    for (env, r) in each(role, "envSecretKeyRefs") {
        let v = format!(
            "{}:{}",
            r["name"].as_str().unwrap(),
            r["key"].as_str().unwrap()
        );
        out.insert(format!("{prefix}.secretKeyRef.{env}"), v);
    }
    if role.get("template").is_some() {
        // Written by the operator to a file of its own: compared as the path it replaces.
        let path = if r.name == "driver" {
            DRIVER_TEMPLATE
        } else {
            EXECUTOR_TEMPLATE
        };
        out.insert(format!("{prefix}.podTemplateFile"), path.into());
        let at = usize::from(r.name == "executor");
        out.insert(
            format!("{prefix}.podTemplateContainerName"),
            TEMPLATE_CONTAINERS[at].into(),
        );
    }
}

/// The in-pod properties the SparkApplication must carry: all but the ones the launcher
/// and the operator set themselves, with dynamic allocation's shuffle tracking as the
/// operator sets it, and a local pod template's container named as the operator names it.
fn expected(in_pod: &Settings) -> BTreeMap<String, String> {
    let mut conf = in_pod.spark_conf.clone();
    for key in OWNED {
        conf.remove(key);
    }
    for (role, path, container) in [
        ("driver", DRIVER_TEMPLATE, TEMPLATE_CONTAINERS[0]),
        ("executor", EXECUTOR_TEMPLATE, TEMPLATE_CONTAINERS[1]),
    ] {
        if conf
            .get(&format!("spark.kubernetes.{role}.podTemplateFile"))
            .map(String::as_str)
            == Some(path)
        {
            conf.insert(
                format!("spark.kubernetes.{role}.podTemplateContainerName"),
                container.into(),
            );
        }
    }
    if conf
        .get("spark.dynamicAllocation.enabled")
        .is_some_and(|v| v == "true")
    {
        conf.insert(
            "spark.dynamicAllocation.shuffleTracking.enabled".into(),
            "true".into(),
        );
    }
    conf
}

/// Translates, validates against the schema and checks that every property is carried.
fn carried(extra: &[&str]) -> Value {
    let (app, in_pod) = translate(extra).unwrap_or_else(|e| panic!("{extra:?}: {e}"));
    let errors = schema_errors(&app);
    assert!(errors.is_empty(), "{extra:?}: {errors:#?}\n{app:#}");
    assert_eq!(submitted(&app), expected(&in_pod), "{extra:?}\n{app:#}");
    assert_eq!(
        app["spec"]["mainApplicationFile"],
        in_pod.primary_resource.clone().unwrap()
    );
    let args: Vec<Value> = in_pod
        .app_args
        .iter()
        .map(|a| Value::from(a.as_str()))
        .collect();
    assert_eq!(
        app["spec"]
            .get("arguments")
            .cloned()
            .unwrap_or(Value::Array(vec![])),
        Value::Array(args)
    );
    app
}

/// Every command line of the suite, by name.
const LINES: &[(&str, &[&str])] = &[
    (
        "jvm",
        &[
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
            "a1",
            "--x",
            "a 2",
        ],
    ),
    (
        "jvm-resources",
        &[
            "--driver-memory",
            "2g",
            "--driver-cores",
            "2",
            "--executor-memory",
            "4g",
            "--executor-cores",
            "3",
            "--num-executors",
            "5",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "overheads",
        &[
            "--conf",
            "spark.driver.memoryOverhead=512m",
            "--conf",
            "spark.executor.memoryOverhead=1g",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "core-requests",
        &[
            "--conf",
            "spark.kubernetes.driver.request.cores=500m",
            "--conf",
            "spark.kubernetes.driver.limit.cores=1",
            "--conf",
            "spark.kubernetes.executor.request.cores=0.5",
            "--conf",
            "spark.kubernetes.executor.limit.cores=2",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "service-accounts",
        &[
            "--conf",
            "spark.kubernetes.authenticate.driver.serviceAccountName=spark-driver",
            "--conf",
            "spark.kubernetes.authenticate.executor.serviceAccountName=spark-exec",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "java-options",
        &[
            "--driver-java-options",
            "-XX:+UseG1GC -Dx=1",
            "--conf",
            "spark.executor.extraJavaOptions=-Dy=2",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "images",
        &[
            "--conf",
            "spark.kubernetes.driver.container.image=reg/drv:4.0.1",
            "--conf",
            "spark.kubernetes.executor.container.image=reg/exe:4.0.1",
            "--conf",
            "spark.kubernetes.container.image.pullPolicy=Always",
            "--conf",
            "spark.kubernetes.container.image.pullSecrets=regcred,other",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    ("python", &["local:///app/job.py", "--date", "2026-12-08"]),
    (
        "python-py-files",
        &[
            "--py-files",
            "s3a://b/dep.zip,s3a://b/u.py",
            "local:///app/job.py",
        ],
    ),
    (
        "python-interpreter",
        &[
            "--conf",
            "spark.pyspark.python=python3.12",
            "--conf",
            "spark.pyspark.driver.python=python3",
            "local:///app/job.py",
        ],
    ),
    ("r", &["local:///app/job.R", "x"]),
    (
        "jars",
        &[
            "--jars",
            "s3a://b/a.jar,https://h.example/b.jar",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "files-archives",
        &[
            "--files",
            "s3a://b/a.conf",
            "--archives",
            "s3a://b/env.tar.gz#env",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "packages",
        &[
            "--packages",
            "org.a:b:1.0,org.c:d:2.0",
            "--repositories",
            "https://repo.example/m2",
            "--exclude-packages",
            "org.x:y",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "ivy",
        &[
            "--packages",
            "org.a:b:1.0",
            "--conf",
            "spark.jars.ivy=/tmp/ivy",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "driver-secrets",
        &[
            "--conf",
            "spark.kubernetes.driver.secrets.db-creds=/etc/db",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "executor-secrets",
        &[
            "--conf",
            "spark.kubernetes.executor.secrets.s3=/etc/s3",
            "--conf",
            "spark.kubernetes.executor.secrets.gcp=/etc/gcp",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "secret-key-refs",
        &[
            "--conf",
            "spark.kubernetes.driver.secretKeyRef.DB_PASS=db:password",
            "--conf",
            "spark.kubernetes.executor.secretKeyRef.API_KEY=api:key",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "secret-key-ref-odd",
        &[
            "--conf",
            "spark.kubernetes.driver.secretKeyRef.TOKEN=just-a-name",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "env",
        &[
            "--conf",
            "spark.kubernetes.driverEnv.MODE=batch",
            "--conf",
            "spark.executorEnv.TZ=UTC",
            "--conf",
            "spark.executorEnv.LANG=C.UTF-8",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "labels",
        &[
            "--conf",
            "spark.kubernetes.driver.label.team=data",
            "--conf",
            "spark.kubernetes.executor.label.team=data",
            "--conf",
            "spark.kubernetes.executor.label.tier=spot",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "annotations",
        &[
            "--conf",
            "spark.kubernetes.driver.annotation.owner=alice",
            "--conf",
            "spark.kubernetes.executor.annotation.cluster-autoscaler.kubernetes.io/safe-to-evict=false",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "service-labels",
        &[
            "--conf",
            "spark.kubernetes.driver.service.label.svc=ui",
            "--conf",
            "spark.kubernetes.driver.service.annotation.note=headless",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "node-selector",
        &[
            "--conf",
            "spark.kubernetes.node.selector.pool=batch",
            "--conf",
            "spark.kubernetes.node.selector.zone=a",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "role-node-selectors",
        &[
            "--conf",
            "spark.kubernetes.driver.node.selector.pool=ondemand",
            "--conf",
            "spark.kubernetes.executor.node.selector.pool=spot",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "dynamic-allocation",
        &[
            "--conf",
            "spark.dynamicAllocation.enabled=true",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "dynamic-allocation-bounds",
        &[
            "--conf",
            "spark.dynamicAllocation.enabled=true",
            "--conf",
            "spark.dynamicAllocation.minExecutors=1",
            "--conf",
            "spark.dynamicAllocation.maxExecutors=20",
            "--conf",
            "spark.dynamicAllocation.initialExecutors=2",
            "--conf",
            "spark.dynamicAllocation.shuffleTracking.timeout=60000",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "dynamic-allocation-tracking",
        &[
            "--conf",
            "spark.dynamicAllocation.enabled=true",
            "--conf",
            "spark.dynamicAllocation.shuffleTracking.enabled=true",
            "--conf",
            "spark.dynamicAllocation.executorIdleTimeout=30s",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "dynamic-allocation-off",
        &[
            "--conf",
            "spark.dynamicAllocation.enabled=false",
            "--conf",
            "spark.dynamicAllocation.maxExecutors=20",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "host-path-volume",
        &[
            "--conf",
            "spark.kubernetes.driver.volumes.hostPath.data.mount.path=/data",
            "--conf",
            "spark.kubernetes.driver.volumes.hostPath.data.options.path=/mnt/data",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "pvc-volume",
        &[
            "--conf",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.ckpt.mount.path=/ckpt",
            "--conf",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.ckpt.mount.readOnly=true",
            "--conf",
            "spark.kubernetes.executor.volumes.persistentVolumeClaim.ckpt.options.claimName=ckpt-pvc",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "empty-dir-nfs",
        &[
            "--conf",
            "spark.kubernetes.executor.volumes.emptyDir.scratch.mount.path=/scratch",
            "--conf",
            "spark.kubernetes.executor.volumes.emptyDir.scratch.options.medium=Memory",
            "--conf",
            "spark.kubernetes.driver.volumes.nfs.share.mount.path=/share",
            "--conf",
            "spark.kubernetes.driver.volumes.nfs.share.options.server=nfs.example",
            "--conf",
            "spark.kubernetes.driver.volumes.nfs.share.options.path=/exports",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "hadoop-conf",
        &[
            "--conf",
            "spark.hadoop.fs.s3a.endpoint=http://minio:9000",
            "--conf",
            "spark.hadoop.fs.s3a.path.style.access=true",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "spark-conf",
        &[
            "--conf",
            "spark.sql.shuffle.partitions=10",
            "--conf",
            "spark.eventLog.enabled=true",
            "--conf",
            "spark.eventLog.dir=s3a://b/events",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "proxy-user",
        &[
            "--proxy-user",
            "etl-bot",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "delete-on-termination",
        &[
            "--conf",
            "spark.kubernetes.executor.deleteOnTermination=false",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "driver-master",
        &[
            "--conf",
            "spark.kubernetes.driver.master=https://kubernetes.default.svc:443",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "driver-template",
        &[
            "--conf",
            "spark.kubernetes.driver.podTemplateFile=/tmp/templates/driver.yaml",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "executor-template",
        &[
            "--conf",
            "spark.kubernetes.executor.podTemplateFile=/tmp/templates/executor.yaml",
            "--conf",
            "spark.kubernetes.executor.podTemplateContainerName=spark-kubernetes-executor",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "remote-template",
        &[
            "--conf",
            "spark.kubernetes.driver.podTemplateFile=s3a://b/driver.yaml",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "namespace",
        &[
            "--conf",
            "spark.kubernetes.namespace=team-a",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "scheduler",
        &[
            "--conf",
            "spark.kubernetes.scheduler.name=volcano",
            "--conf",
            "spark.kubernetes.driver.priorityClassName=high",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "gpu",
        &[
            "--conf",
            "spark.executor.resource.gpu.amount=1",
            "--conf",
            "spark.executor.resource.gpu.vendor=nvidia.com",
            "--conf",
            "spark.executor.resource.gpu.discoveryScript=/opt/gpu.sh",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "delete-on-termination-upper-case",
        &[
            "--conf",
            "spark.kubernetes.executor.deleteOnTermination=TRUE",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "local-dirs",
        &[
            "--conf",
            "spark.kubernetes.local.dirs.tmpfs=true",
            "--conf",
            "spark.local.dir=/l1,/l2",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "kerberos-configmaps",
        &[
            "--conf",
            "spark.kubernetes.kerberos.krb5.configMapName=krb5",
            "--conf",
            "spark.kubernetes.hadoop.configMapName=hadoop-conf",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "name-is-job-id",
        &[
            "--name",
            "etl-1",
            "--class",
            "org.Ex",
            "local:///app/etl.jar",
        ],
    ),
    (
        "remote-app",
        &["--class", "org.Ex", "s3a://b/app/etl.jar", "2026-12-08"],
    ),
];

#[test]
fn every_command_line_validates_and_carries_every_property() {
    assert!(LINES.len() >= 40, "{} command lines", LINES.len());
    for (name, extra) in LINES {
        let app = carried(extra);
        assert_eq!(app["metadata"]["name"], "etl-1", "{name}");
        assert_eq!(app["spec"]["mode"], "cluster", "{name}");
        assert_eq!(app["spec"]["restartPolicy"]["type"], "Never", "{name}");
    }
}

fn line(name: &str) -> &'static [&'static str] {
    LINES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| *l)
        .expect("a line of the suite")
}

fn spec_of(extra: &[&str]) -> Value {
    carried(extra)["spec"].clone()
}

#[test]
fn fields_land_where_the_operator_reads_them() {
    let s = spec_of(line("jvm-resources"));
    assert_eq!(s["driver"]["cores"], 2);
    assert_eq!(s["driver"]["memory"], "2g");
    assert_eq!(s["executor"]["cores"], 3);
    assert_eq!(s["executor"]["instances"], 5);
    assert_eq!(s["executor"]["memory"], "4g");
    assert_eq!(s["type"], "Scala");
    assert_eq!(s["mainClass"], "org.Ex");
    assert_eq!(s["sparkVersion"], "4.0.1");
    assert_eq!(s["image"], "apache/spark:4.0.1");
    let s = spec_of(&["local:///app/job.py"]);
    assert_eq!(s["type"], "Python");
    assert!(s.get("mainClass").is_none(), "{s:#}");
    assert_eq!(spec_of(&["local:///app/job.R"])["type"], "R");
}

#[test]
fn dependencies_secrets_and_env_are_fields() {
    let s = spec_of(line("packages"));
    assert_eq!(
        s["deps"]["packages"],
        serde_json::json!(["org.a:b:1.0", "org.c:d:2.0"])
    );
    assert_eq!(s["deps"]["excludePackages"], serde_json::json!(["org.x:y"]));
    let s = spec_of(line("secret-key-refs"));
    assert_eq!(
        s["driver"]["envSecretKeyRefs"]["DB_PASS"],
        serde_json::json!({"name": "db", "key": "password"})
    );
    let s = spec_of(line("driver-secrets"));
    assert_eq!(
        s["driver"]["secrets"],
        serde_json::json!([{"name": "db-creds", "path": "/etc/db", "secretType": "Generic"}])
    );
    let s = spec_of(line("env"));
    assert_eq!(s["executor"]["envVars"]["TZ"], "UTC");
    assert_eq!(s["driver"]["envVars"]["MODE"], "batch");
    let s = spec_of(line("python"));
    assert!(s["deps"].get("pyFiles").is_none() || s["deps"]["pyFiles"].is_array());
}

#[test]
fn labels_selectors_and_dynamic_allocation_are_fields() {
    let s = spec_of(line("labels"));
    assert_eq!(s["executor"]["labels"]["tier"], "spot");
    assert_eq!(s["driver"]["labels"]["spark-k8s-cli/job-id"], "etl-1");
    assert_eq!(
        spec_of(line("node-selector"))["nodeSelector"]["pool"],
        "batch"
    );
    let s = spec_of(line("dynamic-allocation-bounds"));
    assert_eq!(
        s["dynamicAllocation"],
        serde_json::json!({"enabled": true, "minExecutors": 1, "maxExecutors": 20, "initialExecutors": 2, "shuffleTrackingTimeout": 60000})
    );
    let off = spec_of(line("dynamic-allocation-off"));
    assert!(off.get("dynamicAllocation").is_none());
    assert_eq!(
        off["sparkConf"]["spark.dynamicAllocation.maxExecutors"],
        "20"
    );
}

#[test]
fn pod_templates_travel_inline() {
    let s = spec_of(line("driver-template"));
    assert_eq!(
        s["driver"]["template"]["spec"]["priorityClassName"],
        "batch"
    );
    assert!(
        s["sparkConf"]
            .get("spark.kubernetes.driver.podTemplateFile")
            .is_none()
    );
    let remote = spec_of(line("remote-template"));
    assert!(remote["driver"].get("template").is_none());
    assert_eq!(
        remote["sparkConf"]["spark.kubernetes.driver.podTemplateFile"],
        "s3a://b/driver.yaml"
    );
}

#[test]
fn the_name_namespace_and_driver_are_the_jobs() {
    let app = carried(line("namespace"));
    assert_eq!(app["metadata"]["namespace"], "team-a");
    assert_eq!(app["metadata"]["labels"]["spark-k8s-cli/job-id"], "etl-1");
    let conf = app["spec"]["sparkConf"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for key in OWNED {
        assert!(!conf.contains_key(key), "{key}");
    }
    assert!(conf.keys().all(|k| !k.starts_with("spark.k8scli.")));
}

#[test]
fn a_shuffle_tracking_timeout_with_a_unit_is_milliseconds() {
    let (app, _) = translate(&[
        "--conf",
        "spark.dynamicAllocation.enabled=true",
        "--conf",
        "spark.dynamicAllocation.shuffleTracking.timeout=2min",
        "--class",
        "org.Ex",
        "local:///app/etl.jar",
    ])
    .unwrap();
    assert_eq!(
        app["spec"]["dynamicAllocation"]["shuffleTrackingTimeout"],
        120_000
    );
    assert_eq!(millis("60s"), Some(60_000));
    assert_eq!(millis("5"), Some(5));
    assert_eq!(millis("1 fortnight"), None);
}

fn refused_for(extra: &[&str]) -> String {
    match translate(extra) {
        Ok((app, _)) => panic!("{extra:?} was translated: {app:#}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn what_the_crd_cannot_say_is_an_error_naming_the_option() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--deploy-mode",
                "client",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "--deploy-mode",
        ),
        (
            &[
                "--jars",
                "/home/me/udf.jar",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "/home/me/udf.jar",
        ),
        (
            &[
                "--conf",
                "spark.kubernetes.driver.pod.name=mine",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "spark.kubernetes.driver.pod.name",
        ),
        (
            &[
                "--name",
                "nightly etl",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "--name",
        ),
        (
            &[
                "--conf",
                "spark.app.name=nightly",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "--name",
        ),
        (
            &[
                "--conf",
                "spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name=x",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name",
        ),
        (
            &[
                "--conf",
                "spark.dynamicAllocation.enabled=true",
                "--conf",
                "spark.dynamicAllocation.shuffleTracking.enabled=false",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "spark.dynamicAllocation.shuffleTracking.enabled",
        ),
        (
            &[
                "--conf",
                "spark.kubernetes.driver.podTemplateFile=/tmp/templates/driver.yaml",
                "--conf",
                "spark.kubernetes.driver.podTemplateContainerName=main",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "spark.kubernetes.driver.podTemplateContainerName",
        ),
        (
            &[
                "--conf",
                "spark.kubernetes.container.image=registry.example/spark",
                "--class",
                "org.Ex",
                "local:///app/etl.jar",
            ],
            "spark.k8scli.sparkVersion",
        ),
    ];
    for (extra, option) in cases {
        let e = refused_for(extra);
        assert!(e.contains(option), "{extra:?}: {e}");
        assert!(e.contains("spark.k8scli.backend=operator"), "{e}");
    }
}

#[test]
fn a_pod_template_that_is_not_a_pod_is_refused() {
    let user = settings(&argv(&[
        "--conf",
        "spark.kubernetes.driver.podTemplateFile=/tmp/t.yaml",
        "--class",
        "org.Ex",
        "local:///app/etl.jar",
    ]));
    let inputs = PlanInputs {
        templates_read_here: true,
        ..PlanInputs::default()
    };
    let plan = crate::plan::build(&user, &inputs).unwrap();
    let in_pod = settings(&plan.effective_argv[1..]);
    let files = Files {
        driver_pod_template: Some("- just\n- a list\n".into()),
        executor_pod_template: None,
    };
    let e = make(&user, &plan, &in_pod, &files).unwrap_err().to_string();
    assert!(e.contains("spark.kubernetes.driver.podTemplateFile"), "{e}");
}

#[test]
fn the_validator_rejects_what_the_crd_does_not_allow() {
    let mut app = carried(line("jvm"));
    app["spec"]["driver"]["cpus"] = Value::from(2);
    app["spec"]["type"] = Value::from("Go");
    app["spec"]["executor"]["instances"] = Value::from(0);
    app["spec"]["driver"]["cores"] = Value::from("2");
    app["spec"]["deps"] = serde_json::json!({"jars": "a.jar"});
    app["spec"].as_object_mut().unwrap().remove("sparkVersion");
    let errors = schema_errors(&app).join("\n");
    for bad in [
        ".spec.driver.cpus",
        ".spec.type",
        ".spec.executor.instances",
        ".spec.driver.cores",
        ".spec.deps.jars",
        "sparkVersion",
    ] {
        assert!(errors.contains(bad), "{bad} not caught:\n{errors}");
    }
}

#[test]
fn a_dry_run_hides_secret_values() {
    let (app, _) = translate(&[
        "--conf",
        "spark.hadoop.fs.s3a.secret.key=s3cr3t",
        "--conf",
        "spark.db.password=hunter2",
        "--conf",
        "spark.kubernetes.driverEnv.API_TOKEN=tok-1",
        "--class",
        "org.Ex",
        "local:///app/etl.jar",
    ])
    .unwrap();
    let shown = redacted(&app, &crate::resolve::redact::Redactor::default()).to_string();
    for secret in ["s3cr3t", "hunter2", "tok-1"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
        assert!(
            app.to_string().contains(secret),
            "the object itself keeps {secret}"
        );
    }
    assert!(!shown.contains("null"), "no field is added: {shown}");
}
