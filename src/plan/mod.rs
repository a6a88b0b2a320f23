//! plan: [`Settings`] → [`JobPlan`]: job id, demand, the submit pod and its in-pod argv; pure, no I/O.
//!
//! The submit pod runs the image's real spark-submit against `k8s://https://kubernetes.default.svc`
//! with the user's settings as `--conf` entries. Its argv is an array, never a shell line. Two
//! things need care there:
//! - Kubernetes expands `$(VAR)` in container args and turns `$$` into `$`, so every `$` that came
//!   from the user is written `$$` ([`escape_dollars`]); only our own references stay live.
//! - Secret properties (Spark's redaction rule) never appear in the pod: they go into a Secret and
//!   reach spark-submit as `--conf key=$(K8SCLI_SECRET_n)` through `secretKeyRef` env vars.
//!
//! A session (`spark-shell`, `pyspark`, `spark-sql`) is the same pod running the shell instead,
//! behind a gate that waits for the launcher's attach, with a headless Service through which
//! executors reach its driver ([`session`]).

pub mod demand;
pub mod deps;
pub mod direct;
pub mod direct_mode;
pub mod jobid;
pub mod operator;
pub mod quota;
pub mod rbac;
pub mod session;
pub mod ui;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, EnvVar, EnvVarSource, LocalObjectReference, ObjectFieldSelector, Pod, PodSpec,
    ResourceRequirements, Secret, SecretKeySelector, Service, ServicePort, ServiceSpec, Toleration,
    Volume, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::parse::SparkCommand;
use crate::resolve::{DeployMode, ResolveError, Settings, err, err_hint};
pub use demand::Demand;
pub use deps::Deps;

/// The API server as seen from inside a pod.
pub const IN_CLUSTER_MASTER: &str = "k8s://https://kubernetes.default.svc";
/// Label carrying the job id on every pod of the job (submit, driver, executors).
pub const JOB_ID_LABEL: &str = "spark-k8s-cli/job-id";
pub const QUEUE_LABEL: &str = "spark-k8s-cli/queue";
pub const APP_NAME_LABEL: &str = "spark-k8s-cli/app-name";
/// What the pod is: `submit`, or `session` ([`session::COMPONENT`]).
pub const COMPONENT_LABEL: &str = "app.kubernetes.io/component";
const NAMESPACE_ENV: &str = "K8SCLI_NAMESPACE";
const POD_IP_ENV: &str = "K8SCLI_POD_IP";
const SECRET_ENV_PREFIX: &str = "K8SCLI_SECRET_";
/// The container name of the submit pod.
pub const SUBMIT_CONTAINER: &str = "spark-submit";

/// What the edge knows that plan must not look up itself.
#[derive(Clone, Debug, Default)]
pub struct PlanInputs {
    /// Random bits for a generated job id.
    pub random: u64,
    /// Wall clock, epoch milliseconds.
    pub epoch_millis: u64,
    /// The submitting user and host, for annotations and `SPARK_USER`.
    pub user: Option<String>,
    pub host: Option<String>,
    /// The namespace of the kube context, when one was read.
    pub context_namespace: Option<String>,
    /// The text of `submitPodTemplateFile`, read by the edge.
    pub pod_template: Option<String>,
    /// The edge's lookup of every local file the job names ([`deps::local_uris`]).
    pub local_files: BTreeMap<String, deps::Lookup>,
    /// Direct submit: the launcher reads the driver and executor pod templates itself, as
    /// spark-submit on the submitting machine does, so they are not shipped to the cluster.
    pub templates_read_here: bool,
}

/// Everything the job will create, decided before any request.
#[derive(Clone, Debug)]
pub struct JobPlan {
    pub job_id: String,
    /// `--name` / `spark.app.name`, for people (alerts, tables).
    pub app_name: String,
    /// `None`: the kube context's namespace (applied by the client at creation).
    pub namespace: Option<String>,
    pub submit_pod_name: String,
    /// The driver pod's name (the submit pod itself in client mode).
    pub driver_pod_name: String,
    pub demand: Demand,
    pub pod: Pod,
    /// The secret properties, when there are any; owned by the submit pod once it exists.
    pub secret: Option<Secret>,
    /// The job's local files and how they travel.
    pub deps: Option<Deps>,
    /// A session's headless Service, through which executors reach its driver; created by
    /// the submit stage once the session pod exists, owned by it ([`session::owned_by`]).
    pub service: Option<Service>,
    /// The Spark program's argv with `$` escaping undone and references expanded: what the
    /// program inside the pod receives (the container's command, after a session's
    /// [`session::GATE`]).
    pub effective_argv: Vec<String>,
    /// `submitMode=direct`: the driver's other objects, made once `pod` (the driver) exists
    /// ([`direct_mode::make`]); `None` in pod mode.
    pub direct: Option<Box<direct_mode::Direct>>,
}

impl JobPlan {
    /// Client mode: the driver runs inside the submit pod (they share one name).
    pub fn driver_in_submit_pod(&self) -> bool {
        self.driver_pod_name == self.submit_pod_name
    }

    /// The container whose log is the job's first: the submit pod's spark-submit, or in direct
    /// mode the driver's (after a pod template's other containers).
    pub fn main_container(&self) -> &str {
        let container = match self.direct {
            Some(_) => direct::driver_container(&self.pod),
            None => self.pod.spec.as_ref().and_then(|s| s.containers.first()),
        };
        container.map_or(SUBMIT_CONTAINER, |c| c.name.as_str())
    }

    /// Whether this is an interactive session (`spark-shell`, `pyspark`, `spark-sql`): its
    /// pod is attached to the terminal instead of having its log streamed.
    pub fn is_session(&self) -> bool {
        self.pod
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("app.kubernetes.io/component"))
            .is_some_and(|c| c == "session")
    }
}

/// One argument: user text, possibly followed by one of our `$(VAR)` references.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
    Text(String),
    /// `prefix`, `$(var)`, then `suffix`; `value` is what the reference expands to, for
    /// `effective_argv`.
    Ref {
        prefix: String,
        var: String,
        value: String,
        suffix: String,
    },
}

impl Arg {
    /// `prefix` then `$(var)`, which expands to `value`.
    fn reference(prefix: impl Into<String>, var: &str, value: impl Into<String>) -> Arg {
        Arg::Ref {
            prefix: prefix.into(),
            var: var.into(),
            value: value.into(),
            suffix: String::new(),
        }
    }

    fn rendered(&self) -> String {
        match self {
            Arg::Text(t) => escape_dollars(t),
            Arg::Ref {
                prefix,
                var,
                suffix,
                ..
            } => format!(
                "{}$({var}){}",
                escape_dollars(prefix),
                escape_dollars(suffix)
            ),
        }
    }

    fn effective(&self) -> String {
        match self {
            Arg::Text(t) => t.clone(),
            Arg::Ref {
                prefix,
                value,
                suffix,
                ..
            } => format!("{prefix}{value}{suffix}"),
        }
    }
}

/// Escapes `$` for Kubernetes' `$(VAR)` expansion in command/args: `$` → `$$`.
pub fn escape_dollars(s: &str) -> String {
    s.replace('$', "$$")
}

/// Kubernetes' expansion of `$(VAR)` references in a container argument (`third_party/forked/
/// golang/expansion`): `$$` → `$`; `$(NAME)` → the value when NAME is defined, else kept as
/// written; anything else after `$` is kept.
pub fn kube_expand(s: &str, env: &BTreeMap<String, String>) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && i + 1 < bytes.len() {
            out.push_str(&s[literal_start..i]);
            match bytes[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                }
                b'(' => match s[i + 2..].find(')') {
                    Some(close) => {
                        let name = &s[i + 2..i + 2 + close];
                        match env.get(name) {
                            Some(v) if !name.is_empty() => out.push_str(v),
                            _ => out.push_str(&s[i..i + 3 + close]),
                        }
                        i += 3 + close;
                    }
                    None => {
                        out.push_str(&s[i..]);
                        i = bytes.len();
                    }
                },
                _ => {
                    out.push('$');
                    i += 1;
                }
            }
            literal_start = i;
        } else {
            i += 1;
        }
    }
    if literal_start < bytes.len() {
        out.push_str(&s[literal_start..]);
    }
    out
}

/// Properties consumed by the launcher itself, never passed into the pod.
fn launcher_only(key: &str) -> bool {
    key.starts_with("spark.kubernetes.authenticate.submission.")
        || key == "spark.kubernetes.context"
        || key == "spark.master"
        || key == "spark.submit.deployMode"
}

/// Builds the job plan; every local file must have been found by the edge.
pub fn plan(s: &Settings, inputs: &PlanInputs) -> Result<JobPlan, ResolveError> {
    build_with(s, inputs, true)
}

/// Builds the job plan, leaving local files the edge did not look up as written (the
/// round-trip tests use it for command lines whose files only exist on the machine they were
/// written for).
pub fn build(s: &Settings, inputs: &PlanInputs) -> Result<JobPlan, ResolveError> {
    build_with(s, inputs, false)
}

fn build_with(s: &Settings, inputs: &PlanInputs, strict: bool) -> Result<JobPlan, ResolveError> {
    let demand = demand::demand(s).map_err(|e| err(e.0))?;

    let job_id = match s.job().job_id.clone() {
        Some(id) => id,
        None => jobid::generate(&s.app_name, inputs.random, inputs.epoch_millis),
    };
    let driver_pod_name = s
        .conf("spark.kubernetes.driver.pod.name")
        .map(str::to_string)
        .unwrap_or_else(|| jobid::driver_pod_name(&job_id));
    // In client mode the driver runs in the submit pod. A batch job's pod takes the driver's
    // name, so that Airflow's `pod name: …-driver` pattern finds it and the hook's `on_kill`
    // deletes it; a session's pod keeps `<id>-submit`.
    let submit_pod_name = match s.deploy_mode {
        DeployMode::Client if !s.is_session() => driver_pod_name.clone(),
        _ => jobid::submit_pod_name(&job_id),
    };
    let deps = deps::plan_deps(
        s,
        &job_id,
        &inputs.local_files,
        strict,
        inputs.templates_read_here,
    )?;
    let rewrite = |item: &str| match &deps {
        Some(d) => d.rewrite_item(item),
        None => item.to_string(),
    };
    let namespace = s
        .job()
        .namespace
        .clone()
        .or_else(|| s.conf("spark.kubernetes.namespace").map(str::to_string))
        .or_else(|| inputs.context_namespace.clone());

    // Cluster mode: the job's image; client mode: the driver's image, since the driver runs here.
    let (first, second) = match s.deploy_mode {
        DeployMode::Cluster => (
            "spark.kubernetes.container.image",
            "spark.kubernetes.driver.container.image",
        ),
        DeployMode::Client => (
            "spark.kubernetes.driver.container.image",
            "spark.kubernetes.container.image",
        ),
    };
    let image = s
        .submit_pod()
        .image
        .clone()
        .or_else(|| s.conf(first).map(str::to_string))
        .or_else(|| s.conf(second).map(str::to_string))
        .ok_or_else(|| {
            err_hint(
                "No image for the submit pod: spark.kubernetes.container.image is not set.",
                "Pass --conf spark.kubernetes.container.image=<spark image>, or set the launcher setting submitImage.",
            )
        })?;

    let driver_pod_name = match s.deploy_mode {
        DeployMode::Client => submit_pod_name.clone(),
        DeployMode::Cluster => driver_pod_name,
    };
    if s.deploy_mode == DeployMode::Client
        && let Some(p) = s.conf("spark.kubernetes.driver.pod.name")
        && p != submit_pod_name
    {
        return Err(err(format!(
            "In client mode a session's driver runs in its pod {submit_pod_name}; spark.kubernetes.driver.pod.name={p} cannot be honoured."
        )));
    }

    // A session's Service: its name and the driver's ports.
    let session_service = if s.is_session() {
        Some((session::service_name(&submit_pod_name), session::ports(s)?))
    } else {
        None
    };

    // The in-pod command.
    let bin_dir = {
        let path = &s.submit_pod().spark_submit_path;
        match path.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => String::new(),
        }
    };
    let program = match s.command {
        SparkCommand::Submit => s.submit_pod().spark_submit_path.clone(),
        other => format!("{bin_dir}{}", other.program()),
    };
    let mut args: Vec<Arg> = vec![Arg::Text(program)];
    let push = |args: &mut Vec<Arg>, a: &str, b: &str| {
        args.push(Arg::Text(a.to_string()));
        args.push(Arg::Text(b.to_string()));
    };
    push(&mut args, "--master", IN_CLUSTER_MASTER);
    push(&mut args, "--deploy-mode", s.deploy_mode.as_str());
    let script_class = match s.command {
        SparkCommand::Shell => Some(crate::parse::REPL_CLASS),
        SparkCommand::Sql => Some(crate::parse::SQL_CLI_CLASS),
        _ => None,
    };
    if let Some(class) = &s.main_class
        && script_class != Some(class.as_str())
    {
        push(&mut args, "--class", class);
    }
    // The name travels as a flag: the shell scripts pass their own `--name`, which would beat
    // a `--conf spark.app.name`.
    if !s.app_name.is_empty() {
        push(&mut args, "--name", &s.app_name);
    }
    if let Some(u) = &s.proxy_user {
        push(&mut args, "--proxy-user", u);
    }

    let mut env: Vec<EnvVar> = Vec::new();
    let mut secret_data: BTreeMap<String, String> = BTreeMap::new();
    let namespace_value = namespace.clone().unwrap_or_else(|| "default".into());
    let mut conf: BTreeMap<String, Arg> = BTreeMap::new();
    for (k, v) in &s.spark_conf {
        if launcher_only(k) {
            continue;
        }
        let rewritten;
        let in_pod_path = deps.as_ref().and_then(|d| d.paths.get(k));
        let v = if let Some(p) = in_pod_path {
            p
        } else if deps.is_some() && deps::LIST_KEYS.iter().any(|(key, _)| key == k) {
            rewritten = crate::resolve::split_list(v)
                .iter()
                .map(|i| rewrite(i))
                .collect::<Vec<_>>()
                .join(",");
            &rewritten
        } else {
            v
        };
        if s.redaction.is_secret(k, v) {
            let n = secret_data.len();
            let var = format!("{SECRET_ENV_PREFIX}{n}");
            let data_key = format!("conf-{n}");
            secret_data.insert(data_key.clone(), v.clone());
            env.push(EnvVar {
                name: var.clone(),
                value_from: Some(EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector {
                        name: secret_name(&job_id),
                        key: data_key,
                        optional: Some(false),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            });
            conf.insert(k.clone(), Arg::reference(format!("{k}="), &var, v.clone()));
        } else {
            conf.insert(k.clone(), Arg::Text(format!("{k}={v}")));
        }
    }
    // Pinned by the launcher: where the driver runs, what it is called, how it is labelled.
    conf.insert(
        "spark.kubernetes.namespace".into(),
        Arg::reference(
            "spark.kubernetes.namespace=",
            NAMESPACE_ENV,
            namespace_value.clone(),
        ),
    );
    env.push(field_env(NAMESPACE_ENV, "metadata.namespace"));
    conf.insert(
        "spark.kubernetes.driver.pod.name".into(),
        Arg::Text(format!(
            "spark.kubernetes.driver.pod.name={driver_pod_name}"
        )),
    );
    // The job id and queue reach the driver and executors as labels: `list` and the queue
    // find a job's pods by them after the submit pod is gone.
    let queue = s.queue().name.clone();
    for role in ["driver", "executor"] {
        let key = format!("spark.kubernetes.{role}.label.{JOB_ID_LABEL}");
        conf.insert(key.clone(), Arg::Text(format!("{key}={job_id}")));
        if !queue.is_empty() {
            let key = format!("spark.kubernetes.{role}.label.{QUEUE_LABEL}");
            conf.insert(
                key.clone(),
                Arg::Text(format!("{key}={}", escape_dollars(&queue))),
            );
        }
    }
    // Small local files: a Secret the driver and executors mount where the argv points.
    if let Some(deps::Deps {
        delivery: deps::Delivery::Secret(name),
        ..
    }) = &deps
    {
        for role in ["driver", "executor"] {
            let key = format!("spark.kubernetes.{role}.secrets.{name}");
            conf.insert(key.clone(), Arg::Text(format!("{key}={}", deps::DEPS_DIR)));
        }
    }
    if s.deploy_mode == DeployMode::Client {
        env.push(field_env(POD_IP_ENV, "status.podIP"));
        match &session_service {
            // Reached through its Service; what the user set of it stays.
            Some((name, ports)) => {
                for (key, arg) in session::driver_conf(name, *ports, &namespace_value) {
                    conf.entry(key).or_insert(arg);
                }
            }
            None => {
                conf.insert(
                    "spark.driver.host".into(),
                    Arg::reference("spark.driver.host=", POD_IP_ENV, "<pod IP>"),
                );
            }
        }
    }
    for (_, a) in conf {
        args.push(Arg::Text("--conf".into()));
        args.push(a);
    }
    if s.verbose {
        args.push(Arg::Text("--verbose".into()));
    }
    // With mixed arguments (shells, SQL CLI, thrift server) the class or script implies the
    // resource, and a resource token would become an application argument.
    if !s.args.mixed_arguments
        && let Some(r) = &s.primary_resource
    {
        args.push(Arg::Text(rewrite(r)));
    }
    // A shell's scripts given as local files are shipped: the shell reads them in the pod.
    let scripts = session::script_files(s.command, &s.app_args);
    for (i, a) in s.app_args.iter().enumerate() {
        let shipped = deps
            .as_ref()
            .filter(|_| scripts.iter().any(|(at, _)| *at == i))
            .and_then(|d| d.in_pod_path(a));
        args.push(Arg::Text(shipped.unwrap_or_else(|| a.clone())));
    }
    if let Some(user) = &inputs.user {
        env.push(EnvVar {
            name: "SPARK_USER".into(),
            value: Some(user.clone()),
            ..Default::default()
        });
    }

    // Resources.
    let pod_demand = demand.submit;
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    requests.insert(
        "cpu".to_string(),
        Quantity(crate::quantity::format_millicores(pod_demand.cpu_request_m)),
    );
    requests.insert(
        "memory".to_string(),
        Quantity(format!("{}Mi", pod_demand.memory_mib)),
    );
    limits.insert(
        "memory".to_string(),
        Quantity(format!("{}Mi", pod_demand.memory_mib)),
    );
    if let Some(l) = pod_demand.cpu_limit_m {
        limits.insert(
            "cpu".to_string(),
            Quantity(crate::quantity::format_millicores(l)),
        );
    }

    let interactive = s.is_session();
    // A session's shell waits for the launcher's attach (see [`session::GATE`]).
    let gate = if interactive { &session::GATE[..] } else { &[] };
    let container = Container {
        name: SUBMIT_CONTAINER.into(),
        image: Some(image),
        image_pull_policy: Some(
            s.conf("spark.kubernetes.container.image.pullPolicy")
                .unwrap_or("IfNotPresent")
                .to_string(),
        ),
        command: Some(
            gate.iter()
                .map(|g| g.to_string())
                .chain(args.iter().map(Arg::rendered))
                .collect(),
        ),
        env: Some(env),
        resources: Some(ResourceRequirements {
            requests: Some(requests),
            limits: Some(limits),
            ..Default::default()
        }),
        // Re-attachable: stdin stays open for the next attach (`stdinOnce: false`).
        stdin: interactive.then_some(true),
        stdin_once: interactive.then_some(false),
        tty: interactive.then_some(true),
        ..Default::default()
    };

    // Labels and annotations.
    let mut labels = BTreeMap::new();
    labels.insert("app.kubernetes.io/name".into(), "spark-k8s-cli".into());
    labels.insert(
        COMPONENT_LABEL.into(),
        if interactive {
            session::COMPONENT
        } else {
            "submit"
        }
        .into(),
    );
    labels.insert(
        "app.kubernetes.io/version".into(),
        env!("CARGO_PKG_VERSION").into(),
    );
    labels.insert(JOB_ID_LABEL.into(), job_id.clone());
    // In client mode this pod is the driver: labelled as Spark labels its driver pods, so
    // `--kill`/`--status` globs, `list`, `logs` and the queue see it as one.
    if s.deploy_mode == DeployMode::Client && !interactive {
        labels.insert("spark-role".into(), "driver".into());
    }
    labels.insert(QUEUE_LABEL.into(), s.queue().name.clone());
    let app_label = jobid::app_name_label(&s.app_name);
    if !app_label.is_empty() {
        labels.insert(APP_NAME_LABEL.into(), app_label);
    }
    let mut annotations = BTreeMap::new();
    if let Some(u) = &inputs.user {
        annotations.insert("spark-k8s-cli/submitted-by".into(), u.clone());
    }
    if let Some(h) = &inputs.host {
        annotations.insert("spark-k8s-cli/submitted-from".into(), h.clone());
    }
    if interactive {
        // How the session is kept travels with it, for `attach` from another launcher.
        annotations.insert(
            session::SETTINGS_ANNOTATION.into(),
            session::settings_annotation(s.session()),
        );
    }

    // Scheduling: launcher settings, else Spark's own pod settings.
    let mut node_selector = s.submit_pod().node_selector.clone();
    if node_selector.is_empty() {
        for (k, v) in &s.spark_conf {
            if let Some(key) = k.strip_prefix("spark.kubernetes.node.selector.") {
                node_selector.insert(key.to_string(), v.clone());
            }
        }
    }
    let tolerations: Option<Vec<Toleration>> = s.submit_pod().tolerations.clone();
    let pull_secrets = s.submit_pod().image_pull_secrets.clone().or_else(|| {
        s.conf("spark.kubernetes.container.image.pullSecrets")
            .map(crate::resolve::split_list)
    });
    let service_account = s.submit_pod().service_account.clone().or_else(|| {
        s.conf("spark.kubernetes.authenticate.driver.serviceAccountName")
            .map(str::to_string)
    });

    let mut pod = match &inputs.pod_template {
        Some(text) => serde_saphyr::from_str::<Pod>(text).map_err(|e| {
            err_hint(
                format!("The submit pod template is not a valid Pod: {e}"),
                "Check the file named by submitPodTemplateFile.",
            )
        })?,
        None => Pod::default(),
    };
    let meta = &mut pod.metadata;
    meta.name = Some(submit_pod_name.clone());
    meta.generate_name = None;
    meta.namespace = namespace.clone();
    meta.labels.get_or_insert_with(BTreeMap::new).extend(labels);
    meta.annotations
        .get_or_insert_with(BTreeMap::new)
        .extend(annotations);
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    spec.restart_policy = Some("Never".into());
    // A bound on the pod's life that holds with no launcher left (counted by the kubelet from
    // the pod's start).
    if let Some(deadline) = s.submit_pod().deadline {
        spec.active_deadline_seconds = Some(deadline.as_secs_f64().ceil() as i64);
    }
    if service_account.is_some() {
        spec.service_account_name = service_account;
    }
    if !node_selector.is_empty() {
        spec.node_selector
            .get_or_insert_with(BTreeMap::new)
            .extend(node_selector);
    }
    if let Some(t) = tolerations {
        spec.tolerations.get_or_insert_with(Vec::new).extend(t);
    }
    if let Some(ps) = pull_secrets {
        spec.image_pull_secrets
            .get_or_insert_with(Vec::new)
            .extend(ps.into_iter().map(|name| LocalObjectReference {
                name: name.trim().to_string(),
            }));
    }
    // The template's first container (or one named spark-submit) is ours, merged.
    let index = spec
        .containers
        .iter()
        .position(|c| c.name == SUBMIT_CONTAINER)
        .or(if spec.containers.is_empty() {
            None
        } else {
            Some(0)
        });
    match index {
        Some(i) => {
            let t = &mut spec.containers[i];
            let mut merged = container;
            if let (Some(theirs), Some(ours)) = (t.env.take(), merged.env.as_mut()) {
                let mut all = theirs;
                all.append(ours);
                *ours = all;
            }
            merged.volume_mounts = t.volume_mounts.take();
            merged.security_context = t.security_context.take();
            merged.env_from = t.env_from.take();
            spec.containers[i] = merged;
        }
        None => spec.containers.push(container),
    }
    // Small local files: the Secret is mounted where the argv points in the submit pod too, so
    // its spark-submit reads the pod templates and the keytab, and a client-mode driver its
    // dependencies.
    if let Some(deps::Deps {
        delivery: deps::Delivery::Secret(name),
        ..
    }) = &deps
    {
        let i = index.unwrap_or(spec.containers.len() - 1);
        spec.containers[i]
            .volume_mounts
            .get_or_insert_with(Vec::new)
            .push(VolumeMount {
                name: deps::DEPS_VOLUME.into(),
                mount_path: deps::DEPS_DIR.into(),
                read_only: Some(true),
                ..Default::default()
            });
        spec.volumes.get_or_insert_with(Vec::new).push(Volume {
            name: deps::DEPS_VOLUME.into(),
            secret: Some(k8s_openapi::api::core::v1::SecretVolumeSource {
                secret_name: Some(name.clone()),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    // Large local files: streamed by the launcher into an init container's emptyDir, which
    // spark-submit then reads (and uploads to spark.kubernetes.file.upload.path).
    if let Some(deps::Deps {
        delivery: deps::Delivery::Stream,
        ..
    }) = &deps
    {
        let mount = VolumeMount {
            name: deps::DEPS_VOLUME.into(),
            mount_path: deps::DEPS_DIR.into(),
            ..Default::default()
        };
        let i = index.unwrap_or(spec.containers.len() - 1);
        let main = &mut spec.containers[i];
        main.volume_mounts
            .get_or_insert_with(Vec::new)
            .push(mount.clone());
        let init = Container {
            name: deps::DEPS_CONTAINER.into(),
            image: main.image.clone(),
            image_pull_policy: main.image_pull_policy.clone(),
            command: Some(
                [
                    "timeout",
                    &deps::STREAM_WAIT_SECONDS.to_string(),
                    "tar",
                    "-x",
                    "-f",
                    "-",
                    "-C",
                    deps::DEPS_DIR,
                ]
                .map(str::to_string)
                .to_vec(),
            ),
            resources: main.resources.clone(),
            stdin: Some(true),
            stdin_once: Some(true),
            volume_mounts: Some(vec![mount]),
            ..Default::default()
        };
        spec.init_containers.get_or_insert_with(Vec::new).push(init);
        spec.volumes.get_or_insert_with(Vec::new).push(Volume {
            name: deps::DEPS_VOLUME.into(),
            empty_dir: Some(Default::default()),
            ..Default::default()
        });
    }

    let secret = (!secret_data.is_empty()).then(|| Secret {
        metadata: ObjectMeta {
            name: Some(secret_name(&job_id)),
            namespace: namespace.clone(),
            labels: Some(BTreeMap::from([(JOB_ID_LABEL.to_string(), job_id.clone())])),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        string_data: Some(secret_data),
        ..Default::default()
    });

    let service = session_service.map(|(name, ports)| {
        session::service(
            &name,
            namespace.clone(),
            pod.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()),
            &job_id,
            ports,
        )
    });

    Ok(JobPlan {
        job_id,
        app_name: s.app_name.clone(),
        namespace,
        submit_pod_name,
        driver_pod_name,
        demand,
        pod,
        secret,
        deps,
        service,
        effective_argv: args.iter().map(Arg::effective).collect(),
        direct: None,
    })
}

/// The Secret holding a job's secret properties.
pub fn secret_name(job_id: &str) -> String {
    format!("{job_id}-conf")
}

/// The job an object of the launcher's belongs to (its [`JOB_ID_LABEL`]); empty for none.
pub fn job_of(meta: &ObjectMeta) -> String {
    meta.labels
        .as_ref()
        .and_then(|l| l.get(JOB_ID_LABEL))
        .cloned()
        .unwrap_or_default()
}

/// A reference to `pod` as the owner of its dependents; `None` for a pod not created yet
/// (no uid).
pub fn pod_owner(pod: &Pod) -> Option<OwnerReference> {
    Some(OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        uid: pod.metadata.uid.clone()?,
        ..Default::default()
    })
}

/// `pod` as the controller owner of an object made for it (a session's or a driver UI's
/// Service, the UI's Ingress), blocking the pod's foreground deletion until the object is gone,
/// so the garbage collector deletes it with the pod; `None` for a pod not created yet (no uid).
pub fn controlled_by(pod: &Pod) -> Option<OwnerReference> {
    Some(OwnerReference {
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..pod_owner(pod)?
    })
}

/// A Service of the job, labelled `labels`, selecting `selector`, publishing `ports` (each
/// name and port, the same port on the pod); headless (no cluster IP) or not. Without its
/// owner: see [`controlled_by`].
pub fn service(
    name: &str,
    namespace: Option<String>,
    labels: &BTreeMap<String, String>,
    selector: BTreeMap<String, String>,
    ports: &[(&str, u16)],
    headless: bool,
) -> Service {
    let ports = ports
        .iter()
        .map(|(name, port)| ServicePort {
            name: Some((*name).into()),
            port: i32::from(*port),
            target_port: Some(IntOrString::Int(i32::from(*port))),
            protocol: Some("TCP".into()),
            ..Default::default()
        })
        .collect();
    Service {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace,
            labels: Some(labels.clone()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: headless.then(|| "None".into()),
            selector: Some(selector),
            ports: Some(ports),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.into(),
                api_version: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests;
