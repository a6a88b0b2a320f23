//! operator: a cluster-mode job as a Kubeflow Spark operator SparkApplication (`sparkoperator.k8s.io/v1beta2`), docs/operator.md.
//!
//! The input is the job as the in-pod spark-submit would resolve it (like direct mode's), so
//! every property the launcher adds (labels, the pinned driver name) is there. A property
//! becomes a field of the SparkApplication only where the operator's own spark-submit turns
//! that field back into the very same property (`internal/controller/sparkapplication/
//! submission.go`); every other `spark.*` property travels in `sparkConf`, which the operator
//! passes to spark-submit as `--conf`. What the operator sets itself and would override is
//! refused, naming the option.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::JobPlan;
use super::direct::Files;
use crate::resolve::{AppKind, DeployMode, ResolveError, Settings, err_hint};

pub const API_VERSION: &str = "sparkoperator.k8s.io/v1beta2";
pub const KIND: &str = "SparkApplication";
/// The label keys the operator sets on the driver and executors itself (`driverConfOption`).
const OPERATOR_LABELS: &str = "sparkoperator.k8s.io/";
/// The containers the operator names in a pod template (`driverPodTemplateOption`,
/// `executorPodTemplateOption`).
const TEMPLATE_CONTAINERS: [&str; 2] = ["spark-kubernetes-driver", "spark-kubernetes-executor"];

/// What the launcher and the operator set themselves: the master and deploy mode (the
/// operator's), the namespace and name (the SparkApplication's), and the waiting of the
/// submitting client (the operator's spark-submit never waits; the launcher follows the job).
const OWNED: [&str; 6] = [
    "spark.master",
    "spark.submit.deployMode",
    "spark.app.name",
    "spark.kubernetes.namespace",
    "spark.kubernetes.driver.pod.name",
    "spark.kubernetes.submission.waitAppCompletion",
];

/// One role's fields that a property fills as it is.
struct Role {
    name: &'static str,
    /// `(field, property)`, the value a string.
    text: &'static [(&'static str, &'static str)],
    /// `(field, property)`, the value a whole number of at least 1.
    count: &'static [(&'static str, &'static str)],
    /// `(field, property prefix)`, a map of the rest of the key to the value.
    maps: &'static [(&'static str, &'static str)],
}

const DRIVER: Role = Role {
    name: "driver",
    text: &[
        ("coreRequest", "spark.kubernetes.driver.request.cores"),
        ("coreLimit", "spark.kubernetes.driver.limit.cores"),
        ("memory", "spark.driver.memory"),
        ("memoryOverhead", "spark.driver.memoryOverhead"),
        (
            "serviceAccount",
            "spark.kubernetes.authenticate.driver.serviceAccountName",
        ),
        ("javaOptions", "spark.driver.extraJavaOptions"),
        ("kubernetesMaster", "spark.kubernetes.driver.master"),
        ("image", "spark.kubernetes.driver.container.image"),
    ],
    count: &[("cores", "spark.driver.cores")],
    maps: &[
        ("serviceLabels", "spark.kubernetes.driver.service.label."),
        (
            "serviceAnnotations",
            "spark.kubernetes.driver.service.annotation.",
        ),
        ("labels", "spark.kubernetes.driver.label."),
        ("annotations", "spark.kubernetes.driver.annotation."),
        ("envVars", "spark.kubernetes.driverEnv."),
    ],
};

const EXECUTOR: Role = Role {
    name: "executor",
    text: &[
        ("coreRequest", "spark.kubernetes.executor.request.cores"),
        ("coreLimit", "spark.kubernetes.executor.limit.cores"),
        ("memory", "spark.executor.memory"),
        ("memoryOverhead", "spark.executor.memoryOverhead"),
        (
            "serviceAccount",
            "spark.kubernetes.authenticate.executor.serviceAccountName",
        ),
        ("javaOptions", "spark.executor.extraJavaOptions"),
        ("image", "spark.kubernetes.executor.container.image"),
    ],
    count: &[
        ("cores", "spark.executor.cores"),
        ("instances", "spark.executor.instances"),
    ],
    maps: &[
        ("labels", "spark.kubernetes.executor.label."),
        ("annotations", "spark.kubernetes.executor.annotation."),
        ("envVars", "spark.executorEnv."),
    ],
};

/// `spec.deps`: `(field, property)`, each a comma list.
const DEPS: [(&str, &str); 7] = [
    ("jars", "spark.jars"),
    ("files", "spark.files"),
    ("pyFiles", "spark.submit.pyFiles"),
    ("archives", "spark.archives"),
    ("packages", "spark.jars.packages"),
    ("repositories", "spark.jars.repositories"),
    ("excludePackages", "spark.jars.excludes"),
];

fn refuse(option: &str, why: &str, what_to_do: &str) -> ResolveError {
    err_hint(
        format!("spark.k8scli.backend=operator: {option}: {why}."),
        what_to_do.to_string(),
    )
}

/// The SparkApplication for the job: `user` as the command line resolved it, `plan` its
/// plan (pod mode, pod templates read on this machine: `templates`), `in_pod` the in-pod
/// spark-submit's view of it.
pub fn make(
    user: &Settings,
    plan: &JobPlan,
    in_pod: &Settings,
    templates: &Files,
) -> Result<Value, ResolveError> {
    refused(user, plan)?;
    let version = user.spark_version().ok_or_else(|| {
        refuse(
            "spark.k8scli.sparkVersion",
            "the SparkApplication needs the job's Spark release and the image's tag names none",
            "Set spark.k8scli.sparkVersion (for example 4.0.1).",
        )
    })?;
    let mut conf = in_pod.spark_conf.clone();
    owned(&mut conf)?;
    let mut spec = Map::new();
    spec.insert("type".into(), json!(app_type(in_pod.app_kind)));
    spec.insert("mode".into(), json!("cluster"));
    spec.insert("sparkVersion".into(), json!(version.to_string()));
    top_level(&mut spec, &mut conf, in_pod)?;
    let deps = lists(&mut conf, &DEPS);
    if !deps.is_empty() {
        spec.insert("deps".into(), Value::Object(deps));
    }
    spec.insert("driver".into(), role(&DRIVER, &mut conf, templates, 0)?);
    spec.insert("executor".into(), role(&EXECUTOR, &mut conf, templates, 1)?);
    put_map(
        &mut spec,
        "nodeSelector",
        prefixed(&mut conf, "spark.kubernetes.node.selector."),
    );
    if let Some(d) = dynamic_allocation(&mut conf)? {
        spec.insert("dynamicAllocation".into(), d);
    }
    spec.insert("restartPolicy".into(), json!({"type": "Never"}));
    put_map(
        &mut spec,
        "hadoopConf",
        prefixed(&mut conf, "spark.hadoop."),
    );
    put_map(&mut spec, "sparkConf", conf);
    Ok(json!({
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": metadata(plan),
        "spec": spec,
    }))
}

/// What no SparkApplication can say for this job, before looking at a property.
fn refused(user: &Settings, plan: &JobPlan) -> Result<(), ResolveError> {
    if user.is_session() {
        return Err(refuse(
            "an interactive shell (spark-shell, pyspark, spark-sql)",
            "the operator runs batch jobs only",
            "Use spark.k8scli.backend=submit for a shell.",
        ));
    }
    if user.deploy_mode != DeployMode::Cluster {
        return Err(refuse(
            "--deploy-mode client",
            "the operator runs cluster-mode batch jobs only (its client mode runs the driver inside the operator)",
            "Use --deploy-mode cluster, or spark.k8scli.backend=submit.",
        ));
    }
    let local = plan.deps.as_ref().and_then(|d| {
        d.rewrite
            .keys()
            .chain(d.paths.keys())
            .next()
            .cloned()
            .or_else(|| d.files.first().map(|f| f.path.clone()))
    });
    if let Some(local) = local {
        return Err(refuse(
            &local,
            "a local file; the operator's spark-submit runs in the operator's pod and cannot read this machine's files, and the launcher does not ship them for it yet",
            "Put the file at a remote URI (s3a://, https://, ...) or in the image (local://).",
        ));
    }
    let pinned = super::jobid::driver_pod_name(&plan.job_id);
    if plan.driver_pod_name != pinned {
        return Err(refuse(
            "spark.kubernetes.driver.pod.name",
            &format!(
                "the operator names the driver <SparkApplication>-driver ({pinned}) and ignores this property"
            ),
            "Leave it out, or set spark.k8scli.jobId so that <jobId>-driver is the name you want.",
        ));
    }
    if explicit_name(user) && user.app_name != plan.job_id {
        return Err(refuse(
            "--name",
            &format!(
                "the operator names the Spark application after the SparkApplication ({}), whatever --name or spark.app.name says",
                plan.job_id
            ),
            "Leave --name out, or set spark.k8scli.jobId to the name you want.",
        ));
    }
    Ok(())
}

/// Whether the app name was given (`--name`, `spark.app.name`) rather than Spark's default
/// (the main class, else the primary resource's file name).
fn explicit_name(s: &Settings) -> bool {
    let default = s.main_class.clone().or_else(|| {
        s.primary_resource
            .as_deref()
            .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
    });
    default.as_deref() != Some(s.app_name.as_str())
}

fn app_type(kind: AppKind) -> &'static str {
    match kind {
        AppKind::Java => "Scala",
        AppKind::Python => "Python",
        AppKind::R => "R",
    }
}

/// Takes out what the launcher and the operator set themselves.
fn owned(conf: &mut BTreeMap<String, String>) -> Result<(), ResolveError> {
    for key in OWNED {
        conf.remove(key);
    }
    let ours = conf
        .keys()
        .find(|k| k.contains(".label.") && k.contains(OPERATOR_LABELS));
    if let Some(key) = ours {
        return Err(refuse(
            key,
            "the operator sets the sparkoperator.k8s.io/ labels of the driver and executors itself",
            "Use another label key.",
        ));
    }
    Ok(())
}

fn top_level(
    spec: &mut Map<String, Value>,
    conf: &mut BTreeMap<String, String>,
    s: &Settings,
) -> Result<(), ResolveError> {
    for (field, key) in [
        ("image", "spark.kubernetes.container.image"),
        (
            "imagePullPolicy",
            "spark.kubernetes.container.image.pullPolicy",
        ),
    ] {
        if let Some(v) = conf.remove(key) {
            spec.insert(field.into(), json!(v));
        }
    }
    let pull = lists(
        conf,
        &[(
            "imagePullSecrets",
            "spark.kubernetes.container.image.pullSecrets",
        )],
    );
    spec.extend(pull);
    if s.app_kind.is_jvm()
        && let Some(c) = &s.main_class
    {
        spec.insert("mainClass".into(), json!(c));
    }
    let file = s.primary_resource.clone().ok_or_else(|| {
        refuse(
            "the application",
            "a SparkApplication needs a main application file",
            "Name the jar, .py or .R file.",
        )
    })?;
    spec.insert("mainApplicationFile".into(), json!(file));
    if !s.app_args.is_empty() {
        spec.insert("arguments".into(), json!(s.app_args));
    }
    if let Some(u) = &s.proxy_user {
        spec.insert("proxyUser".into(), json!(u));
    }
    Ok(())
}

/// Comma lists, as Spark splits them (each item trimmed, empty ones dropped).
fn lists(conf: &mut BTreeMap<String, String>, fields: &[(&str, &str)]) -> Map<String, Value> {
    let mut out = Map::new();
    for (field, key) in fields {
        if let Some(v) = conf.remove(*key) {
            let items: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|i| !i.is_empty())
                .collect();
            if !items.is_empty() {
                out.insert((*field).into(), json!(items));
            }
        }
    }
    out
}

/// Takes out every `prefix*` property: the rest of the key to the value.
fn prefixed(conf: &mut BTreeMap<String, String>, prefix: &str) -> BTreeMap<String, String> {
    let keys: Vec<String> = conf
        .keys()
        .filter(|k| k.len() > prefix.len() && k.starts_with(prefix))
        .cloned()
        .collect();
    keys.into_iter()
        .filter_map(|k| conf.remove(&k).map(|v| (k[prefix.len()..].to_string(), v)))
        .collect()
}

fn put_map(spec: &mut Map<String, Value>, field: &str, map: BTreeMap<String, String>) {
    if !map.is_empty() {
        spec.insert(field.into(), json!(map));
    }
}

/// A whole number of at least 1 (the CRD's `minimum: 1`); anything else stays a property,
/// which Spark then reads (and rejects) as it would.
fn count(v: &str) -> Option<i64> {
    v.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=i64::from(i32::MAX)).contains(n))
}

fn role(
    r: &Role,
    conf: &mut BTreeMap<String, String>,
    templates: &Files,
    at: usize,
) -> Result<Value, ResolveError> {
    let mut out = Map::new();
    for (field, key) in r.text {
        if let Some(v) = conf.remove(*key) {
            out.insert((*field).into(), json!(v));
        }
    }
    for (field, key) in r.count {
        if let Some(n) = conf.get(*key).and_then(|v| count(v)) {
            conf.remove(*key);
            out.insert((*field).into(), json!(n));
        }
    }
    if r.name == "executor"
        && let Some(b) = conf
            .get("spark.kubernetes.executor.deleteOnTermination")
            .and_then(|v| v.parse::<bool>().ok())
    {
        conf.remove("spark.kubernetes.executor.deleteOnTermination");
        out.insert("deleteOnTermination".into(), json!(b));
    }
    for (field, prefix) in r.maps {
        put_map(&mut out, field, prefixed(conf, prefix));
    }
    secrets(r.name, conf, &mut out);
    template(r.name, conf, templates, at, &mut out)?;
    Ok(Value::Object(out))
}

/// `secrets` (mounted, type Generic: no env added) and `envSecretKeyRefs`.
fn secrets(role: &str, conf: &mut BTreeMap<String, String>, out: &mut Map<String, Value>) {
    let mounted: Vec<Value> = prefixed(conf, &format!("spark.kubernetes.{role}.secrets."))
        .into_iter()
        .map(|(name, path)| json!({"name": name, "path": path, "secretType": "Generic"}))
        .collect();
    if !mounted.is_empty() {
        out.insert("secrets".into(), json!(mounted));
    }
    let prefix = format!("spark.kubernetes.{role}.secretKeyRef.");
    let refs: BTreeMap<String, Value> = prefixed(conf, &prefix)
        .into_iter()
        .filter_map(|(env, v)| match v.split_once(':') {
            Some((name, key)) => Some((env, json!({"name": name, "key": key}))),
            None => {
                // Not `secret:key`: Spark reads it as it is, from sparkConf.
                conf.insert(format!("{prefix}{env}"), v);
                None
            }
        })
        .collect();
    if !refs.is_empty() {
        out.insert("envSecretKeyRefs".into(), json!(refs));
    }
}

/// A pod template read on this machine becomes `template`; the operator writes it to a file
/// of its own and names the container itself.
fn template(
    role: &str,
    conf: &mut BTreeMap<String, String>,
    templates: &Files,
    at: usize,
    out: &mut Map<String, Value>,
) -> Result<(), ResolveError> {
    let file_key = format!("spark.kubernetes.{role}.podTemplateFile");
    let text = [
        &templates.driver_pod_template,
        &templates.executor_pod_template,
    ][at];
    let (Some(uri), Some(text)) = (conf.get(&file_key).cloned(), text) else {
        return Ok(());
    };
    if !crate::naming::is_local_uri(&uri) {
        return Ok(());
    }
    let pod: Value = serde_saphyr::from_str(text).map_err(|e| {
        refuse(
            &file_key,
            &format!("the pod template {uri} is not YAML: {e}"),
            "Fix the file.",
        )
    })?;
    if !pod.is_object() {
        return Err(refuse(
            &file_key,
            &format!("the pod template {uri} is not a Pod"),
            "Fix the file.",
        ));
    }
    conf.remove(&file_key);
    let name_key = format!("spark.kubernetes.{role}.podTemplateContainerName");
    match conf.remove(&name_key) {
        Some(n) if n != TEMPLATE_CONTAINERS[at] => {
            return Err(refuse(
                &name_key,
                &format!(
                    "the operator names the template's container {} itself",
                    TEMPLATE_CONTAINERS[at]
                ),
                &format!(
                    "Name the container {} in the template.",
                    TEMPLATE_CONTAINERS[at]
                ),
            ));
        }
        _ => {}
    }
    out.insert("template".into(), pod);
    Ok(())
}

/// `dynamicAllocation`, when `spark.dynamicAllocation.enabled` is true. The operator then
/// sets `spark.dynamicAllocation.shuffleTracking.enabled=true` itself (this CRD version has
/// no field to say otherwise).
fn dynamic_allocation(conf: &mut BTreeMap<String, String>) -> Result<Option<Value>, ResolveError> {
    let on = conf
        .get("spark.dynamicAllocation.enabled")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if !on {
        return Ok(None);
    }
    let tracking = "spark.dynamicAllocation.shuffleTracking.enabled";
    match conf.get(tracking) {
        Some(v) if !v.trim().eq_ignore_ascii_case("true") => {
            return Err(refuse(
                tracking,
                "with dynamic allocation the operator sets it to true itself",
                "Leave it out (shuffle tracking on), or turn dynamic allocation off.",
            ));
        }
        _ => conf.remove(tracking),
    };
    conf.remove("spark.dynamicAllocation.enabled");
    let mut d = Map::new();
    d.insert("enabled".into(), json!(true));
    for (field, key) in [
        (
            "initialExecutors",
            "spark.dynamicAllocation.initialExecutors",
        ),
        ("minExecutors", "spark.dynamicAllocation.minExecutors"),
        ("maxExecutors", "spark.dynamicAllocation.maxExecutors"),
    ] {
        let n = conf.get(key).and_then(|v| v.trim().parse::<i32>().ok());
        if let Some(n) = n.filter(|n| *n >= 0) {
            conf.remove(key);
            d.insert(field.into(), json!(n));
        }
    }
    let timeout = "spark.dynamicAllocation.shuffleTracking.timeout";
    if let Some(ms) = conf.get(timeout).and_then(|v| millis(v)) {
        conf.remove(timeout);
        d.insert("shuffleTrackingTimeout".into(), json!(ms));
    }
    Ok(Some(Value::Object(d)))
}

/// A Spark time in milliseconds (`timeStringAsMs`: a bare number is milliseconds).
fn millis(v: &str) -> Option<i64> {
    let v = v.trim().to_ascii_lowercase();
    let at = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (n, unit) = v.split_at(at);
    let n: i64 = n.parse().ok()?;
    let per = match unit.trim() {
        "" | "ms" => 1,
        "s" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(per)
}

/// The SparkApplication's name is the job id (the operator names the driver `<name>-driver`,
/// the launcher's pinned name); its labels are the launcher's own.
fn metadata(plan: &JobPlan) -> Value {
    let labels: BTreeMap<&String, &String> = plan
        .pod
        .metadata
        .labels
        .iter()
        .flatten()
        .filter(|(k, _)| k.as_str() == super::JOB_ID_LABEL || k.as_str() == "spark-k8s-cli/queue")
        .collect();
    let mut m = json!({"name": plan.job_id, "labels": labels});
    if let Some(ns) = &plan.namespace {
        m["namespace"] = json!(ns);
    }
    m
}

/// The SparkApplication as a dry run shows it: the values of `sparkConf`, `hadoopConf` and
/// `envVars` that the redaction rule matches are replaced.
pub fn redacted(app: &Value, r: &crate::resolve::redact::Redactor) -> Value {
    let mut app = app.clone();
    let hide = |app: &mut Value, path: &[&str], prefix: &str| {
        let map = path.iter().try_fold(app, |v, k| v.get_mut(*k));
        if let Some(m) = map.and_then(Value::as_object_mut) {
            for (k, v) in m.iter_mut() {
                let key = format!("{prefix}{k}");
                if let Some(s) = v.as_str()
                    && r.is_secret(&key, s)
                {
                    *v = json!(r.show(&key, s));
                }
            }
        }
    };
    hide(&mut app, &["spec", "sparkConf"], "");
    hide(&mut app, &["spec", "hadoopConf"], "spark.hadoop.");
    hide(
        &mut app,
        &["spec", "driver", "envVars"],
        "spark.kubernetes.driverEnv.",
    );
    hide(
        &mut app,
        &["spec", "executor", "envVars"],
        "spark.executorEnv.",
    );
    app
}

#[cfg(test)]
mod tests;
