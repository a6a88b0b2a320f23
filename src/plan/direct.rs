//! Direct submit's builder: the objects Spark's own cluster-mode submission client
//! (`KubernetesClientApplication`, `Client.run`, `KubernetesDriverBuilder`'s feature steps)
//! creates for a job, built without a JVM. Pure: the random values Spark draws come in as
//! [`Randoms`]; writing the objects is the submit stage's (docs/direct-submit.md).
//!
//! The input is the job as the submit pod's spark-submit sees it: `Settings` resolved from the
//! in-pod argv, so `spark_conf` already holds the launcher's pinned properties (driver pod
//! name, namespace, job labels).
//!
//! Covered: JVM and Python apps; driver cores, memory, overhead and factors, CPU request and
//! limit; driver labels and annotations, `driverEnv`; node selectors; image, pull policy and
//! pull secrets; mounted secrets and `secretKeyRef` env; the driver's service account; ports;
//! the driver Service's labels and annotations. Anything else [`unsupported`] names, so that
//! the caller falls back to `pod` mode instead of creating something unlike Spark's.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, EmptyDirVolumeSource, EnvVar,
    EnvVarSource, KeyToPath, LocalObjectReference, ObjectFieldSelector, Pod, PodSpec,
    ResourceRequirements, SecretKeySelector, SecretVolumeSource, SecurityContext, Service,
    ServicePort, ServiceSpec, Volume, VolumeMount,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::resolve::{AppKind, DeployMode, ResolveError, Settings, err};

/// The Spark release whose submission client this builder reproduces (the pinned pyspark of
/// the golden suite, `tests/direct_golden.rs`).
pub const SPARK_VERSION: &str = "4.3.0";
/// The driver container's name (`Constants.DEFAULT_DRIVER_CONTAINER_NAME`).
pub const DRIVER_CONTAINER: &str = "spark-kubernetes-driver";
/// Where the driver reads `spark.properties` (`Constants.SPARK_CONF_DIR_INTERNAL`).
const CONF_DIR: &str = "/opt/spark/conf";
const CONF_VOLUME: &str = "spark-conf-volume-driver";
pub const PROPERTIES: &str = "spark.properties";
/// What Spark writes for a property ending in `.oauthToken`
/// (`DriverKubernetesCredentialsFeatureStep`).
const REDACTED_TOKEN: &str = "<present_but_redacted>";
/// `DriverServiceFeatureStep.MAX_SERVICE_NAME_LENGTH`.
const MAX_SERVICE_NAME: usize = 63;

/// The values Spark draws at random for one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Randoms {
    /// `spark-` and 32 hex digits: `spark.app.id`, the `spark-app-selector` label.
    pub app_id: String,
    /// 16 hex digits: the resource name prefix is `<sanitised app name>-<resource_id>`.
    pub resource_id: String,
    /// 16 hex digits, for the Service's name when the preferred one is longer than 63.
    pub service_id: String,
    /// 16 hex digits: the ConfigMap is `spark-drv-<config_map_id>-conf-map`.
    pub config_map_id: String,
    /// The local dir is `/var/data/spark-<local_dir_uuid>`.
    pub local_dir_uuid: String,
    /// `spark.app.submitTime`, epoch milliseconds.
    pub submit_time_millis: u64,
}

/// How one object reaches the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// A plain create (`POST`).
    Create,
    /// Server-side apply with `force=true`.
    Apply,
}

/// Spark's order of writes (`Client.run`): the driver pod is created first; then the other
/// resources of the feature steps, then the ConfigMap, each applied server-side, owned by the
/// driver pod. The second field is the field manager fabric8 writes as.
pub const ORDER: [(&str, Write, &str); 4] = [
    ("Pod", Write::Create, "fabric8-kubernetes-client"),
    ("Service", Write::Apply, "fabric8"),
    ("NetworkPolicy", Write::Apply, "fabric8"),
    ("ConfigMap", Write::Apply, "fabric8"),
];

/// What a direct submission creates.
#[derive(Clone, Debug, PartialEq)]
pub struct Objects {
    pub pod: Pod,
    pub service: Service,
    pub network_policy: NetworkPolicy,
    pub config_map: ConfigMap,
}

impl Objects {
    /// Owner references to the created driver pod on everything else, as `Client.run` adds them.
    pub fn own(&mut self, pod_uid: &str) {
        let owner = vec![OwnerReference {
            api_version: "v1".into(),
            kind: "Pod".into(),
            controller: Some(true),
            name: self.pod.metadata.name.clone().unwrap_or_default(),
            uid: pod_uid.into(),
            ..Default::default()
        }];
        self.service.metadata.owner_references = Some(owner.clone());
        self.network_policy.metadata.owner_references = Some(owner.clone());
        self.config_map.metadata.owner_references = Some(owner);
    }
}

/// Prefixes of properties whose feature steps the builder does not reproduce, with why.
const UNSUPPORTED_PREFIXES: &[(&str, &str)] = &[
    ("spark.kubernetes.driver.podTemplateFile", "pod templates"),
    ("spark.kubernetes.executor.podTemplateFile", "pod templates"),
    (
        "spark.kubernetes.driver.podTemplateContainerName",
        "pod templates",
    ),
    ("spark.kubernetes.driver.volumes.", "driver volumes"),
    ("spark.kubernetes.kerberos.", "Kerberos"),
    ("spark.kerberos.", "Kerberos"),
    (
        "spark.kubernetes.hadoop.configMapName",
        "Hadoop configuration",
    ),
    (
        "spark.kubernetes.driver.pod.featureSteps",
        "custom feature steps",
    ),
    ("spark.kubernetes.driver.scheduler.name", "scheduler names"),
    ("spark.kubernetes.scheduler.name", "scheduler names"),
    ("spark.kubernetes.local.dirs.tmpfs", "local dirs"),
    ("spark.local.dir", "local dirs"),
    (
        "spark.kubernetes.authenticate.driver.",
        "driver credentials other than a service account",
    ),
    ("spark.pyspark.", "Python interpreters"),
    ("spark.driver.resource.", "driver resources (GPUs)"),
    ("spark.kubernetes.driver.service.ip", "Service IP families"),
    (
        "spark.kubernetes.driver.reusePersistentVolumeClaim",
        "persistent volume claims",
    ),
    (
        "spark.kubernetes.driver.ingress.",
        "the driver UI's Ingress",
    ),
];

/// Why the builder cannot reproduce this job's submission, when it cannot; `None` when every
/// property it sets is one the builder models.
pub fn unsupported(s: &Settings) -> Option<String> {
    if s.deploy_mode != DeployMode::Cluster {
        return Some("client mode: the driver runs in the submit pod".into());
    }
    if s.app_kind == AppKind::R {
        return Some("R applications".into());
    }
    if s.primary_resource.is_none() {
        return Some("no primary resource".into());
    }
    for k in s.spark_conf.keys() {
        if k == "spark.kubernetes.authenticate.driver.serviceAccountName" {
            continue;
        }
        if let Some((_, why)) = UNSUPPORTED_PREFIXES.iter().find(|(p, _)| k.starts_with(p)) {
            return Some(format!("{why} ({k})"));
        }
    }
    let local = |list: &str| {
        crate::resolve::split_list(list)
            .iter()
            .any(|u| crate::naming::is_local_uri(u))
    };
    let resource = s.primary_resource.as_deref().unwrap_or_default();
    if crate::naming::is_local_uri(resource)
        || [
            "spark.jars",
            "spark.files",
            "spark.archives",
            "spark.submit.pyFiles",
        ]
        .iter()
        .any(|k| s.conf(k).is_some_and(local))
    {
        return Some("local files to upload (spark.kubernetes.file.upload.path)".into());
    }
    None
}

/// The properties with `prefix`, the prefix cut off.
fn with_prefix<'a>(s: &'a Settings, prefix: &str) -> BTreeMap<String, &'a str> {
    s.spark_conf
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(prefix)
                .map(|rest| (rest.to_string(), v.as_str()))
        })
        .collect()
}

/// [`with_prefix`] with owned values: labels, annotations, selectors.
fn owned_with_prefix(s: &Settings, prefix: &str) -> BTreeMap<String, String> {
    with_prefix(s, prefix)
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

/// `KubernetesConf.getResourceNamePrefix`: `<app>-<id>`, lower case, runs of anything but
/// `[a-z0-9-]` one `-`, no leading `-`, a leading digit turned into `x`.
pub fn resource_name_prefix(app_name: &str, id: &str) -> String {
    super::jobid::sanitise(&format!("{app_name}-{id}"))
}

/// Java's `Double.toString` for the factors Spark writes back (`0.1`, `0.4`, `1.0`).
fn java_double(f: f64) -> String {
    let s = f.to_string();
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

/// A port property, or its default.
fn port(s: &Settings, key: &str, default: i32) -> Result<i32, ResolveError> {
    match s.conf(key) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| err(format!("Invalid value '{v}' for {key}: not a port number."))),
    }
}

/// The driver's four ports: RPC, block manager, UI, Spark Connect.
struct Ports {
    driver: i32,
    /// The container's: `spark.driver.blockManager.port`, else `spark.blockManager.port`
    /// (`BasicDriverFeatureStep`).
    block_manager: i32,
    /// The Service's and the property's: `spark.driver.blockManager.port`, else 7079;
    /// `DriverServiceFeatureStep` does not fall back to `spark.blockManager.port` (the golden
    /// `block-manager-and-connect-ports`).
    service_block_manager: i32,
    ui: i32,
    connect: i32,
}

impl Ports {
    fn of(s: &Settings) -> Result<Ports, ResolveError> {
        let bm_default = port(s, "spark.blockManager.port", 7079)?;
        Ok(Ports {
            driver: port(s, "spark.driver.port", 7078)?,
            block_manager: port(s, "spark.driver.blockManager.port", bm_default)?,
            service_block_manager: port(s, "spark.driver.blockManager.port", 7079)?,
            ui: port(s, "spark.ui.port", 4040)?,
            connect: port(s, "spark.connect.grpc.binding.port", 15002)?,
        })
    }

    /// `(name, port, appProtocol)` in Spark's order, the container's or the Service's.
    fn named(&self, service: bool) -> [(&'static str, i32, Option<&'static str>); 4] {
        let block_manager = if service {
            self.service_block_manager
        } else {
            self.block_manager
        };
        [
            ("driver-rpc-port", self.driver, None),
            ("blockmanager", block_manager, None),
            ("spark-ui", self.ui, None),
            ("spark-connect", self.connect, Some("grpc")),
        ]
    }
}

/// Everything the steps share: names, labels, the properties they add.
struct Conf<'a> {
    s: &'a Settings,
    r: &'a Randoms,
    namespace: String,
    prefix: String,
    pod_name: String,
    service_name: String,
    config_map_name: String,
    labels: BTreeMap<String, String>,
    ports: Ports,
}

impl<'a> Conf<'a> {
    fn new(s: &'a Settings, r: &'a Randoms) -> Result<Conf<'a>, ResolveError> {
        let namespace = s
            .conf("spark.kubernetes.namespace")
            .unwrap_or("default")
            .to_string();
        let prefix = resource_name_prefix(&s.app_name, &r.resource_id);
        let pod_name = s
            .conf("spark.kubernetes.driver.pod.name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("{prefix}-driver"));
        let preferred = format!("{prefix}-driver-svc");
        let service_name = if preferred.len() <= MAX_SERVICE_NAME {
            preferred
        } else {
            format!("spark-{}-driver-svc", r.service_id)
        };
        let mut labels: BTreeMap<String, String> =
            owned_with_prefix(s, "spark.kubernetes.driver.label.");
        labels.insert("spark-version".into(), SPARK_VERSION.into());
        labels.insert("spark-app-selector".into(), r.app_id.clone());
        labels.insert(
            "spark-app-name".into(),
            super::jobid::app_name_label(&s.app_name),
        );
        labels.insert("spark-role".into(), "driver".into());
        Ok(Conf {
            s,
            r,
            namespace,
            prefix,
            pod_name,
            service_name,
            config_map_name: format!("spark-drv-{}-conf-map", r.config_map_id),
            labels,
            ports: Ports::of(s)?,
        })
    }

    fn meta(&self, name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some(self.namespace.clone()),
            ..Default::default()
        }
    }

    /// The overhead factor Spark writes back: a non-JVM app's default is 0.4.
    fn default_overhead_factor(&self) -> Result<f64, ResolveError> {
        let key = "spark.kubernetes.memoryOverheadFactor";
        let parse = |v: &str| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| err(format!("Invalid value '{v}' for {key}.")))
        };
        match (self.s.conf(key), self.s.app_kind.is_jvm()) {
            (Some(v), _) => parse(v),
            (None, true) => Ok(0.1),
            (None, false) => Ok(0.4),
        }
    }
}

/// Builds the objects Spark's submission client creates for `s` (resolved from the in-pod
/// spark-submit argv) with Spark's random values `r`, as `user` (`SPARK_USER`).
pub fn build(s: &Settings, r: &Randoms, user: &str) -> Result<Objects, ResolveError> {
    if let Some(why) = unsupported(s) {
        return Err(err(format!("Direct submit does not cover {why}.")));
    }
    let c = Conf::new(s, r)?;
    Ok(Objects {
        pod: driver_pod(&c, user)?,
        service: service(&c),
        network_policy: network_policy(&c),
        config_map: config_map(&c)?,
    })
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        ..Default::default()
    }
}

/// The driver container's env in the feature steps' order; within a group, by name (Spark's
/// order there is a hash map's, docs/direct-submit.md).
fn driver_env(c: &Conf, user: &str) -> Vec<EnvVar> {
    let mut out = vec![
        env("SPARK_USER", user),
        env("SPARK_APPLICATION_ID", &c.r.app_id),
    ];
    for (k, v) in with_prefix(c.s, "spark.kubernetes.driverEnv.") {
        out.push(env(&k, v));
    }
    out.push(EnvVar {
        name: "SPARK_DRIVER_BIND_ADDRESS".into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                api_version: Some("v1".into()),
                field_path: "status.podIP".into(),
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    // EnvSecretsFeatureStep: `NAME=secret:key`.
    for (name, reference) in with_prefix(c.s, "spark.kubernetes.driver.secretKeyRef.") {
        let (secret, key) = reference.split_once(':').unwrap_or((reference, ""));
        out.push(EnvVar {
            name,
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: secret.into(),
                    key: key.into(),
                    optional: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    out.push(env("SPARK_LOCAL_DIRS", &local_dir(c)));
    out.push(env("SPARK_CONF_DIR", CONF_DIR));
    out
}

fn local_dir(c: &Conf) -> String {
    format!("/var/data/spark-{}", c.r.local_dir_uuid)
}

/// Volumes and mounts: mounted secrets (`<secret>-volume`), the local dir, the conf volume.
fn volumes(c: &Conf) -> (Vec<Volume>, Vec<VolumeMount>) {
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    for (secret, path) in with_prefix(c.s, "spark.kubernetes.driver.secrets.") {
        let name = format!("{secret}-volume");
        volumes.push(Volume {
            name: name.clone(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(secret),
                ..Default::default()
            }),
            ..Default::default()
        });
        mounts.push(mount(&name, path));
    }
    volumes.push(Volume {
        name: "spark-local-dir-1".into(),
        empty_dir: Some(EmptyDirVolumeSource::default()),
        ..Default::default()
    });
    mounts.push(mount("spark-local-dir-1", &local_dir(c)));
    volumes.push(Volume {
        name: CONF_VOLUME.into(),
        config_map: Some(ConfigMapVolumeSource {
            name: c.config_map_name.clone(),
            items: Some(vec![KeyToPath {
                key: PROPERTIES.into(),
                path: PROPERTIES.into(),
                mode: Some(0o644),
            }]),
            ..Default::default()
        }),
        ..Default::default()
    });
    mounts.push(mount(CONF_VOLUME, CONF_DIR));
    (volumes, mounts)
}

fn mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        ..Default::default()
    }
}

/// `BasicDriverFeatureStep`'s resources: CPU as requested (or `spark.driver.cores`), memory
/// heap plus overhead as `plan::demand` computes it.
fn resources(c: &Conf) -> Result<ResourceRequirements, ResolveError> {
    let s = c.s;
    let cpu = s
        .conf("spark.kubernetes.driver.request.cores")
        .or_else(|| s.conf("spark.driver.cores"))
        .unwrap_or("1")
        .trim()
        .to_string();
    let memory = super::demand::driver(s).map_err(|e| err(e.0))?.memory_mib;
    let memory = Quantity(format!("{memory}Mi"));
    let requests = BTreeMap::from([
        ("cpu".to_string(), Quantity(cpu)),
        ("memory".to_string(), memory.clone()),
    ]);
    let mut limits = BTreeMap::from([("memory".to_string(), memory)]);
    if let Some(l) = s.conf("spark.kubernetes.driver.limit.cores") {
        limits.insert("cpu".into(), Quantity(l.trim().to_string()));
    }
    Ok(ResourceRequirements {
        requests: Some(requests),
        limits: Some(limits),
        ..Default::default()
    })
}

/// `DriverCommandFeatureStep`: `driver --properties-file ... --class CLASS RESOURCE ARGS`; a
/// Python app runs `PythonRunner`.
fn args(c: &Conf) -> Vec<String> {
    let class = match c.s.app_kind {
        AppKind::Python => "org.apache.spark.deploy.PythonRunner".to_string(),
        _ => c.s.main_class.clone().unwrap_or_default(),
    };
    let mut out = vec![
        "driver".to_string(),
        "--properties-file".into(),
        format!("{CONF_DIR}/{PROPERTIES}"),
        "--class".into(),
        class,
        c.s.primary_resource.clone().unwrap_or_default(),
    ];
    out.extend(c.s.app_args.iter().cloned());
    out
}

fn driver_pod(c: &Conf, user: &str) -> Result<Pod, ResolveError> {
    let s = c.s;
    let image = s
        .conf("spark.kubernetes.driver.container.image")
        .or_else(|| s.conf("spark.kubernetes.container.image"))
        .ok_or_else(|| err("Must specify the driver container image"))?;
    let (volumes, mounts) = volumes(c);
    let container = Container {
        name: DRIVER_CONTAINER.into(),
        image: Some(image.into()),
        image_pull_policy: Some(
            s.conf("spark.kubernetes.container.image.pullPolicy")
                .unwrap_or("IfNotPresent")
                .into(),
        ),
        args: Some(args(c)),
        env: Some(driver_env(c, user)),
        ports: Some(
            c.ports
                .named(false)
                .iter()
                .map(|(name, p, _)| ContainerPort {
                    name: Some((*name).into()),
                    container_port: *p,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                })
                .collect(),
        ),
        resources: Some(resources(c)?),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            ..Default::default()
        }),
        volume_mounts: Some(mounts),
        ..Default::default()
    };
    let annotations: BTreeMap<String, String> =
        with_prefix(s, "spark.kubernetes.driver.annotation.")
            .into_iter()
            .map(|(k, v)| {
                let v = v
                    .replace("{{APP_ID}}", &c.r.app_id)
                    .replace("{{EXECUTOR_ID}}", "");
                (k, v)
            })
            .collect();
    let mut node_selector: BTreeMap<String, String> =
        owned_with_prefix(s, "spark.kubernetes.node.selector.");
    node_selector.extend(owned_with_prefix(
        s,
        "spark.kubernetes.driver.node.selector.",
    ));
    let pull_secrets: Vec<LocalObjectReference> = s
        .conf("spark.kubernetes.container.image.pullSecrets")
        .map(crate::resolve::split_list)
        .unwrap_or_default()
        .into_iter()
        .map(|name| LocalObjectReference { name })
        .collect();
    let account = s
        .conf("spark.kubernetes.authenticate.driver.serviceAccountName")
        .map(str::to_string);
    Ok(Pod {
        metadata: ObjectMeta {
            labels: Some(c.labels.clone()),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..c.meta(&c.pod_name)
        },
        spec: Some(PodSpec {
            restart_policy: Some("Never".into()),
            containers: vec![container],
            volumes: Some(volumes),
            node_selector: (!node_selector.is_empty()).then_some(node_selector),
            image_pull_secrets: (!pull_secrets.is_empty()).then_some(pull_secrets),
            service_account: account.clone(),
            service_account_name: account,
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// `DriverServiceFeatureStep`: the headless Service executors reach the driver through.
fn service(c: &Conf) -> Service {
    let mut labels: BTreeMap<String, String> =
        owned_with_prefix(c.s, "spark.kubernetes.driver.service.label.");
    labels.insert("spark-app-selector".into(), c.r.app_id.clone());
    let annotations: BTreeMap<String, String> =
        owned_with_prefix(c.s, "spark.kubernetes.driver.service.annotation.");
    Service {
        metadata: ObjectMeta {
            labels: Some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..c.meta(&c.service_name)
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".into()),
            publish_not_ready_addresses: Some(false),
            ip_family_policy: Some("SingleStack".into()),
            ip_families: Some(vec!["IPv4".into()]),
            selector: Some(c.labels.clone()),
            ports: Some(
                c.ports
                    .named(true)
                    .iter()
                    .map(|(name, p, app)| ServicePort {
                        name: Some((*name).into()),
                        port: *p,
                        target_port: Some(IntOrString::Int(*p)),
                        app_protocol: app.map(str::to_string),
                        ..Default::default()
                    })
                    .collect(),
            ),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `NetworkPolicyFeatureStep` (Spark 4.3): the app's executors take connections only from the
/// app's own pods.
fn network_policy(c: &Conf) -> NetworkPolicy {
    let app = BTreeMap::from([("spark-app-selector".to_string(), c.r.app_id.clone())]);
    let mut executors = app.clone();
    executors.insert("spark-role".into(), "executor".into());
    NetworkPolicy {
        metadata: ObjectMeta {
            labels: Some(app.clone()),
            ..c.meta(&format!("{}-policy", c.prefix))
        },
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(executors),
                ..Default::default()
            }),
            ingress: Some(vec![NetworkPolicyIngressRule {
                from: Some(vec![NetworkPolicyPeer {
                    pod_selector: Some(LabelSelector {
                        match_labels: Some(app),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

/// The properties the driver reads (`spark.properties`): the job's, with what SparkSubmit and
/// the feature steps add.
pub fn driver_properties(
    s: &Settings,
    r: &Randoms,
) -> Result<BTreeMap<String, String>, ResolveError> {
    let c = Conf::new(s, r)?;
    properties(&c)
}

fn properties(c: &Conf) -> Result<BTreeMap<String, String>, ResolveError> {
    let s = c.s;
    let mut p: BTreeMap<String, String> = s.spark_conf.clone();
    // SparkSubmit: the master, the mode, the app's files and kind.
    p.insert("spark.submit.deployMode".into(), "cluster".into());
    if s.app_kind.is_jvm()
        && let Some(resource) = &s.primary_resource
    {
        let mut jars: Vec<String> = s
            .conf("spark.jars")
            .map(crate::resolve::split_list)
            .unwrap_or_default();
        jars.push(resource.clone());
        p.insert("spark.jars".into(), jars.join(","));
    }
    p.entry("spark.submit.pyFiles".into()).or_default();
    let kind = match s.app_kind {
        AppKind::Java => "java",
        AppKind::Python => "python",
        AppKind::R => "r",
    };
    p.insert("spark.kubernetes.resource.type".into(), kind.into());
    p.insert(
        "spark.app.submitTime".into(),
        c.r.submit_time_millis.to_string(),
    );
    // BasicDriverFeatureStep.
    p.insert(
        "spark.kubernetes.driver.pod.name".into(),
        c.pod_name.clone(),
    );
    p.insert("spark.app.id".into(), c.r.app_id.clone());
    p.insert("spark.kubernetes.submitInDriver".into(), "true".into());
    p.insert(
        "spark.kubernetes.memoryOverheadFactor".into(),
        java_double(c.default_overhead_factor()?),
    );
    // DriverServiceFeatureStep.
    p.insert(
        "spark.driver.host".into(),
        format!("{}.{}.svc", c.service_name, c.namespace),
    );
    p.insert("spark.driver.port".into(), c.ports.driver.to_string());
    p.insert(
        "spark.driver.blockManager.port".into(),
        c.ports.service_block_manager.to_string(),
    );
    // DriverKubernetesCredentialsFeatureStep: tokens never reach the driver.
    for (k, v) in p.iter_mut() {
        if k.ends_with(".oauthToken") {
            *v = REDACTED_TOKEN.into();
        }
    }
    Ok(p)
}

/// The driver's ConfigMap (`KubernetesClientUtils.buildConfigMap`): `spark.properties` as
/// `java.util.Properties.store` writes it, and the namespace; immutable.
fn config_map(c: &Conf) -> Result<ConfigMap, ResolveError> {
    let text = store_properties(
        &format!(
            "Java properties built from Kubernetes config map with name: {}",
            c.config_map_name
        ),
        &java_date_utc(c.r.submit_time_millis),
        &properties(c)?,
    );
    Ok(ConfigMap {
        metadata: c.meta(&c.config_map_name),
        immutable: Some(true),
        data: Some(BTreeMap::from([
            (PROPERTIES.to_string(), text),
            (
                "spark.kubernetes.namespace".to_string(),
                c.namespace.clone(),
            ),
        ])),
        ..Default::default()
    })
}

/// `java.util.Properties.store(Writer, comment)`: the comment, the date, then `key=value`
/// lines escaped as its `saveConvert` escapes them ([`crate::resolve::properties::render`]).
/// Lines come in key order; Java's come in its hash table's order, which carries no meaning.
pub fn store_properties(comment: &str, date: &str, props: &BTreeMap<String, String>) -> String {
    let pairs: Vec<(String, String)> = props.clone().into_iter().collect();
    format!(
        "#{comment}\n#{date}\n{}",
        crate::resolve::properties::render(&pairs)
    )
}

/// `java.util.Date.toString()` in UTC: `Mon Dec 07 20:47:01 UTC 2026`.
pub fn java_date_utc(epoch_millis: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = epoch_millis / 1000;
    let weekday = DAYS[(secs / 86_400 % 7) as usize];
    let (mut left, mut year) = (secs / 86_400, 1970);
    let leap = |y: u64| (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    while left >= 365 + u64::from(leap(year)) {
        left -= 365 + u64::from(leap(year));
        year += 1;
    }
    let lengths = [
        31,
        28 + u64::from(leap(year)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while left >= lengths[month] {
        left -= lengths[month];
        month += 1;
    }
    let t = secs % 86_400;
    format!(
        "{weekday} {} {:02} {:02}:{:02}:{:02} UTC {year}",
        MONTHS[month],
        left + 1,
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

pub mod version;

#[cfg(test)]
mod tests;
