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
//! limit, `spark.driver.resource.*`; driver labels and annotations, `driverEnv`; node
//! selectors; scheduler names; image, pull policy and pull secrets; mounted secrets and
//! `secretKeyRef` env; driver volumes; local dirs; the driver's service account; ports; the
//! driver Service's labels, annotations and IP families; Hadoop and Kerberos config maps and
//! token Secrets; Python interpreters; `--proxy-user`; `allowPrivilegeEscalation`;
//! `publishNotReadyAddresses`; driver and executor pod templates (their text comes in
//! [`Files`]). Anything else [`unsupported`] names, so that the caller falls back to `pod` mode
//! instead of creating something unlike Spark's.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, EmptyDirVolumeSource, EnvVar,
    EnvVarSource, HostPathVolumeSource, KeyToPath, LocalObjectReference, NFSVolumeSource,
    ObjectFieldSelector, PersistentVolumeClaimVolumeSource, Pod, PodSpec, ResourceRequirements,
    SecretKeySelector, SecretVolumeSource, SecurityContext, Service, ServicePort, ServiceSpec,
    Volume, VolumeMount,
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

/// The driver's container in a driver pod the builder made: the last one. A pod template's
/// other containers stay first and `KubernetesDriverBuilder` appends the driver's after them;
/// its name may be the template's, so [`DRIVER_CONTAINER`] does not find it.
pub fn driver_container(pod: &Pod) -> Option<&Container> {
    pod.spec.as_ref()?.containers.last()
}

/// [`driver_container`], to change.
pub fn driver_container_mut(pod: &mut Pod) -> Option<&mut Container> {
    pod.spec.as_mut()?.containers.last_mut()
}
/// Where the driver reads `spark.properties` (`Constants.SPARK_CONF_DIR_INTERNAL`).
const CONF_DIR: &str = "/opt/spark/conf";
const CONF_VOLUME: &str = "spark-conf-volume-driver";
pub const PROPERTIES: &str = "spark.properties";
/// What Spark writes for a property ending in `.oauthToken`
/// (`DriverKubernetesCredentialsFeatureStep`).
pub const REDACTED_TOKEN: &str = "<present_but_redacted>";
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
    /// With `spark.kubernetes.executor.podTemplateFile`: the ConfigMap holding the executors'
    /// template (`PodTemplateConfigMapStep`), applied like the others, owned by the driver pod,
    /// right after the NetworkPolicy and before [`Objects::config_map`].
    pub executor_pod_template: Option<ConfigMap>,
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
        if let Some(template) = &mut self.executor_pod_template {
            template.metadata.owner_references = Some(owner.clone());
        }
        self.config_map.metadata.owner_references = Some(owner);
    }
}

/// Prefixes of properties whose feature steps the builder does not reproduce, with why.
const UNSUPPORTED_PREFIXES: &[(&str, &str)] = &[
    ("spark.kerberos.keytab", "Kerberos keytabs"),
    ("spark.kerberos.principal", "Kerberos principals"),
    (
        "spark.kubernetes.kerberos.krb5.path",
        "a local krb5.conf (Spark ships it in a ConfigMap of its own)",
    ),
    (
        "spark.kubernetes.driver.pod.featureSteps",
        "custom feature steps",
    ),
    (
        "spark.kubernetes.driver.pod.excludedFeatureSteps",
        "excluded feature steps",
    ),
    (
        "spark.kubernetes.driver.resourceNamePrefix",
        "a given resource name prefix",
    ),
    (
        "spark.kubernetes.authenticate.driver.oauthToken",
        "driver credentials (Spark ships them in a Secret of its own)",
    ),
    (
        "spark.kubernetes.authenticate.driver.oauthTokenFile",
        "driver credentials (Spark ships them in a Secret of its own)",
    ),
    (
        "spark.kubernetes.authenticate.driver.clientKeyFile",
        "driver credentials (Spark ships them in a Secret of its own)",
    ),
    (
        "spark.kubernetes.authenticate.driver.clientCertFile",
        "driver credentials (Spark ships them in a Secret of its own)",
    ),
    (
        "spark.kubernetes.authenticate.driver.caCertFile",
        "driver credentials (Spark ships them in a Secret of its own)",
    ),
    (
        "spark.kubernetes.driver.ingress.",
        "the driver UI's Ingress",
    ),
];

/// The volume types `MountVolumesFeatureStep` mounts.
const VOLUME_TYPES: [&str; 4] = ["hostPath", "emptyDir", "persistentVolumeClaim", "nfs"];

/// Why the builder cannot reproduce this job's submission, when it cannot; `None` when every
/// property it sets is one the builder models. A driver pod template is covered, but its text
/// must reach [`build_with`] ([`Files`]).
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
        if let Some((_, why)) = UNSUPPORTED_PREFIXES.iter().find(|(p, _)| k.starts_with(p)) {
            return Some(format!("{why} ({k})"));
        }
    }
    if let Some(why) = unsupported_volume(s) {
        return Some(why);
    }
    let token = with_prefix(s, "spark.kubernetes.kerberos.tokenSecret.");
    if token.contains_key("name") != token.contains_key("itemKey") {
        return Some(
            "a Kerberos token Secret without both tokenSecret.name and tokenSecret.itemKey".into(),
        );
    }
    for (k, _) in with_prefix(s, "spark.driver.resource.") {
        if let Some(name) = k.strip_suffix(".amount")
            && s.conf(&format!("spark.driver.resource.{name}.vendor"))
                .is_none()
        {
            return Some(format!(
                "driver resource {name} without a vendor (spark.driver.resource.{name}.vendor)"
            ));
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

/// Driver volumes the builder does not reproduce: unknown types, and claims Spark creates
/// itself (`OnDemand`, or a storage class and size: a PersistentVolumeClaim of its own).
fn unsupported_volume(s: &Settings) -> Option<String> {
    for (k, _) in with_prefix(s, "spark.kubernetes.driver.volumes.") {
        let kind = k.split('.').next().unwrap_or_default();
        if !VOLUME_TYPES.contains(&kind) {
            return Some(format!(
                "driver volumes of type {kind} (spark.kubernetes.driver.volumes.{k})"
            ));
        }
    }
    for v in driver_volume_specs(s) {
        let claim = v
            .options
            .get("claimName")
            .map(String::as_str)
            .unwrap_or_default();
        let created = v.kind == "persistentVolumeClaim"
            && (claim.contains("OnDemand")
                || (v.options.contains_key("storageClass") && v.options.contains_key("sizeLimit")));
        if created {
            return Some(format!(
                "persistent volume claims Spark creates (driver volume {})",
                v.name
            ));
        }
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

/// A boolean property as Spark reads it (`String.toBoolean`: `true` in any case).
fn is_true(v: &str) -> bool {
    v.trim().eq_ignore_ascii_case("true")
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

/// Text of local files the submission reads, read by the edge (the builder does no I/O).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Files {
    /// The text of the file `spark.kubernetes.driver.podTemplateFile` names on the submitting
    /// machine; required when that property is set.
    pub driver_pod_template: Option<String>,
    /// The text of `spark.kubernetes.executor.podTemplateFile`'s file, likewise.
    pub executor_pod_template: Option<String>,
}

/// Builds the objects Spark's submission client creates for `s` (resolved from the in-pod
/// spark-submit argv) with Spark's random values `r`, as `user` (`SPARK_USER`). A job with a
/// driver pod template needs [`build_with`].
pub fn build(s: &Settings, r: &Randoms, user: &str) -> Result<Objects, ResolveError> {
    build_with(s, r, user, &Files::default())
}

/// [`build`] with the text of the local files the submission reads.
pub fn build_with(
    s: &Settings,
    r: &Randoms,
    user: &str,
    files: &Files,
) -> Result<Objects, ResolveError> {
    if let Some(why) = unsupported(s) {
        return Err(err(format!("Direct submit does not cover {why}.")));
    }
    let c = Conf::new(s, r)?;
    Ok(Objects {
        pod: driver_pod(&c, user, files)?,
        service: service(&c),
        network_policy: network_policy(&c),
        config_map: config_map(&c)?,
        executor_pod_template: executor_pod_template(&c, files)?,
    })
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: Some(value.into()),
        ..Default::default()
    }
}

/// The env the feature steps add to the driver container, in their order; within a group, by
/// name (Spark's order there is a hash map's, docs/direct-submit.md). `SPARK_CONF_DIR` comes
/// last, with the conf volume (`Client.run`).
fn driver_env(c: &Conf, user: &str, local_dirs: &str) -> Vec<EnvVar> {
    let s = c.s;
    // Under --proxy-user, spark-submit runs as that user (`SparkSubmit`'s doAs).
    let user = s.proxy_user.as_deref().unwrap_or(user);
    let mut out = vec![
        env("SPARK_USER", user),
        env("SPARK_APPLICATION_ID", &c.r.app_id),
    ];
    for (k, v) in with_prefix(s, "spark.kubernetes.driverEnv.") {
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
    for (name, reference) in with_prefix(s, "spark.kubernetes.driver.secretKeyRef.") {
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
    // DriverCommandFeatureStep, Python apps: the interpreters (the submitting process's
    // PYSPARK_PYTHON / PYSPARK_DRIVER_PYTHON env come last in Spark's fallbacks; the edge's
    // settings carry them as the properties when it wants them).
    if s.app_kind == AppKind::Python {
        let python = s.conf("spark.pyspark.python");
        if let Some(p) = python {
            out.push(env("PYSPARK_PYTHON", p));
        }
        if let Some(p) = s.conf("spark.pyspark.driver.python").or(python) {
            out.push(env("PYSPARK_DRIVER_PYTHON", p));
        }
    }
    // HadoopConfDriverFeatureStep, KerberosConfDriverFeatureStep.
    if s.conf(HADOOP_CONFIG_MAP).is_some() {
        out.push(env("HADOOP_CONF_DIR", HADOOP_CONF_DIR));
    }
    if let Some(key) = s.conf("spark.kubernetes.kerberos.tokenSecret.itemKey") {
        out.push(env(
            "HADOOP_TOKEN_FILE_LOCATION",
            &format!("{HADOOP_TOKEN_DIR}/{key}"),
        ));
    }
    out.push(env("SPARK_LOCAL_DIRS", local_dirs));
    out.push(env("SPARK_CONF_DIR", CONF_DIR));
    out
}

/// `spark.kubernetes.hadoop.configMapName`: mounted at [`HADOOP_CONF_DIR`].
const HADOOP_CONFIG_MAP: &str = "spark.kubernetes.hadoop.configMapName";
const HADOOP_CONF_DIR: &str = "/opt/hadoop/conf";
/// Where `KerberosConfDriverFeatureStep` mounts the delegation token Secret.
const HADOOP_TOKEN_DIR: &str = "/mnt/secrets/hadoop-credentials";

/// `LocalDirsFeatureStep`'s dirs: `spark.local.dir` (a comma list), else one random dir.
fn local_dirs(c: &Conf) -> Vec<String> {
    match c.s.conf("spark.local.dir") {
        Some(list) => list.split(',').map(str::to_string).collect(),
        None => vec![format!("/var/data/spark-{}", c.r.local_dir_uuid)],
    }
}

/// One `spark.kubernetes.driver.volumes.<type>.<name>.*` volume (`KubernetesVolumeUtils`).
struct VolumeSpec {
    kind: String,
    name: String,
    /// `mount.*`: `path`, `readOnly`, `subPath`, `subPathExpr`.
    mount: BTreeMap<String, String>,
    /// `options.*`: `path`, `type`, `claimName`, `medium`, `sizeLimit`, `server`...
    options: BTreeMap<String, String>,
}

/// The driver's volumes, by type and name (Spark's order is a hash map's).
fn driver_volume_specs(s: &Settings) -> Vec<VolumeSpec> {
    let mut specs: BTreeMap<(String, String), VolumeSpec> = BTreeMap::new();
    for (k, v) in with_prefix(s, "spark.kubernetes.driver.volumes.") {
        let mut parts = k.splitn(4, '.');
        let (Some(kind), Some(name), Some(group), Some(key)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let spec = specs
            .entry((kind.to_string(), name.to_string()))
            .or_insert_with(|| VolumeSpec {
                kind: kind.into(),
                name: name.into(),
                mount: BTreeMap::new(),
                options: BTreeMap::new(),
            });
        match group {
            "mount" => spec.mount.insert(key.into(), v.into()),
            "options" => spec.options.insert(key.into(), v.into()),
            _ => None,
        };
    }
    specs.into_values().collect()
}

/// The names of the driver's volumes (`spark.kubernetes.driver.volumes.<type>.<name>.*`): the
/// names of their volumes and mounts in the pod.
pub fn driver_volume_names(s: &Settings) -> Vec<String> {
    driver_volume_specs(s).into_iter().map(|v| v.name).collect()
}

/// `MountVolumesFeatureStep`: each volume and its mount.
fn driver_volumes(s: &Settings) -> Result<Vec<(Volume, VolumeMount)>, ResolveError> {
    driver_volume_specs(s)
        .into_iter()
        .map(|v| {
            let key =
                |k: &str| format!("spark.kubernetes.driver.volumes.{}.{}.{k}", v.kind, v.name);
            let path = v
                .mount
                .get("path")
                .ok_or_else(|| err(format!("{} is required.", key("mount.path"))))?;
            let read_only = v.mount.get("readOnly").is_some_and(|b| is_true(b));
            let mount = VolumeMount {
                name: v.name.clone(),
                mount_path: path.clone(),
                read_only: Some(read_only),
                sub_path: Some(v.mount.get("subPath").cloned().unwrap_or_default()),
                sub_path_expr: Some(v.mount.get("subPathExpr").cloned().unwrap_or_default()),
                ..Default::default()
            };
            let option = |k: &str| {
                v.options
                    .get(k)
                    .cloned()
                    .ok_or_else(|| err(format!("{} is required.", key(&format!("options.{k}")))))
            };
            let mut volume = Volume {
                name: v.name.clone(),
                ..Default::default()
            };
            match v.kind.as_str() {
                "hostPath" => {
                    volume.host_path = Some(HostPathVolumeSource {
                        path: option("path")?,
                        type_: Some(v.options.get("type").cloned().unwrap_or_default()),
                    })
                }
                "persistentVolumeClaim" => {
                    volume.persistent_volume_claim = Some(PersistentVolumeClaimVolumeSource {
                        claim_name: option("claimName")?,
                        read_only: Some(read_only),
                    })
                }
                "emptyDir" => {
                    volume.empty_dir = Some(EmptyDirVolumeSource {
                        medium: Some(v.options.get("medium").cloned().unwrap_or_default()),
                        size_limit: v.options.get("sizeLimit").map(|q| Quantity(q.clone())),
                    })
                }
                _ => {
                    volume.nfs = Some(NFSVolumeSource {
                        path: option("path")?,
                        server: option("server")?,
                        read_only: None,
                    })
                }
            }
            Ok((volume, mount))
        })
        .collect()
}

fn mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.into(),
        mount_path: path.into(),
        ..Default::default()
    }
}

/// Adds the volumes and mounts of the steps before `LocalDirsFeatureStep`, after the
/// template's, in the steps' order: mounted secrets (`<secret>-volume`), driver volumes, Hadoop
/// conf, krb5.conf, the delegation token Secret, the executors' pod template.
fn add_volumes(
    c: &Conf,
    volumes: &mut Vec<Volume>,
    mounts: &mut Vec<VolumeMount>,
) -> Result<(), ResolveError> {
    let s = c.s;
    let mut add = |volume: Volume, m: VolumeMount| {
        volumes.push(volume);
        mounts.push(m);
    };
    for (secret, path) in with_prefix(s, "spark.kubernetes.driver.secrets.") {
        let name = format!("{secret}-volume");
        let volume = Volume {
            name: name.clone(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(secret),
                ..Default::default()
            }),
            ..Default::default()
        };
        add(volume, mount(&name, path));
    }
    for (volume, m) in driver_volumes(s)? {
        add(volume, m);
    }
    let config_map = |name: &str| ConfigMapVolumeSource {
        name: name.into(),
        ..Default::default()
    };
    if let Some(name) = s.conf(HADOOP_CONFIG_MAP) {
        let volume = Volume {
            name: "hadoop-properties".into(),
            config_map: Some(config_map(name)),
            ..Default::default()
        };
        add(volume, mount("hadoop-properties", HADOOP_CONF_DIR));
    }
    if let Some(name) = s.conf("spark.kubernetes.kerberos.krb5.configMapName") {
        let volume = Volume {
            name: "krb5-file".into(),
            config_map: Some(config_map(name)),
            ..Default::default()
        };
        let m = VolumeMount {
            sub_path: Some("krb5.conf".into()),
            ..mount("krb5-file", "/etc/krb5.conf")
        };
        add(volume, m);
    }
    if let Some(name) = s.conf("spark.kubernetes.kerberos.tokenSecret.name") {
        let volume = Volume {
            name: "hadoop-secret".into(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(name.into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        add(volume, mount("hadoop-secret", HADOOP_TOKEN_DIR));
    }
    if s.conf(EXECUTOR_TEMPLATE).is_some() {
        let volume = Volume {
            name: "pod-template-volume".into(),
            config_map: Some(ConfigMapVolumeSource {
                items: Some(vec![KeyToPath {
                    key: EXECUTOR_TEMPLATE_KEY.into(),
                    path: EXECUTOR_TEMPLATE_FILE.into(),
                    mode: None,
                }]),
                ..config_map(&executor_template_name(c))
            }),
            ..Default::default()
        };
        add(volume, mount("pod-template-volume", EXECUTOR_TEMPLATE_DIR));
    }
    Ok(())
}

/// `LocalDirsFeatureStep` (4.3): the mounts already named `spark-local-dir-*` (a template's, a
/// driver volume's) are the local dirs; else `spark.local.dir` (a comma list) or one random
/// dir, each on an `emptyDir` (`Memory` with `spark.kubernetes.local.dirs.tmpfs`). Spark
/// shuffles the list (`Utils.randomize`); the builder keeps it in order.
fn add_local_dirs(
    c: &Conf,
    volumes: &mut Vec<Volume>,
    mounts: &mut Vec<VolumeMount>,
) -> Vec<String> {
    let given: Vec<String> = mounts
        .iter()
        .filter(|m| m.name.starts_with("spark-local-dir-"))
        .map(|m| m.mount_path.clone())
        .collect();
    if !given.is_empty() {
        return given;
    }
    let dirs = local_dirs(c);
    let tmpfs =
        c.s.conf("spark.kubernetes.local.dirs.tmpfs")
            .is_some_and(is_true);
    for (i, dir) in dirs.iter().enumerate() {
        let name = format!("spark-local-dir-{}", i + 1);
        volumes.push(Volume {
            name: name.clone(),
            empty_dir: Some(EmptyDirVolumeSource {
                medium: tmpfs.then(|| "Memory".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        mounts.push(mount(&name, dir));
    }
    dirs
}

/// `Client.run`: the volume of the driver's ConfigMap, with `spark.properties` only.
fn add_conf_volume(c: &Conf, volumes: &mut Vec<Volume>, mounts: &mut Vec<VolumeMount>) {
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
}

const EXECUTOR_TEMPLATE: &str = "spark.kubernetes.executor.podTemplateFile";
/// Where the driver finds the executors' pod template (`PodTemplateConfigMapStep`).
const EXECUTOR_TEMPLATE_DIR: &str = "/opt/spark/pod-template";
const EXECUTOR_TEMPLATE_FILE: &str = "pod-spec-template.yml";
const EXECUTOR_TEMPLATE_KEY: &str = "podspec-configmap-key";

fn executor_template_name(c: &Conf) -> String {
    format!("{}-driver-podspec-conf-map", c.prefix)
}

/// `PodTemplateConfigMapStep`: the executors' template, as the file holds it, in an
/// immutable ConfigMap the driver mounts.
fn executor_pod_template(c: &Conf, files: &Files) -> Result<Option<ConfigMap>, ResolveError> {
    let Some(path) = c.s.conf(EXECUTOR_TEMPLATE) else {
        return Ok(None);
    };
    let text = files.executor_pod_template.as_deref().ok_or_else(|| {
        err(format!(
            "Direct submit needs the text of the executor pod template {path} ({EXECUTOR_TEMPLATE})."
        ))
    })?;
    Ok(Some(ConfigMap {
        metadata: c.meta(&executor_template_name(c)),
        immutable: Some(true),
        data: Some(BTreeMap::from([(
            EXECUTOR_TEMPLATE_KEY.to_string(),
            text.to_string(),
        )])),
        ..Default::default()
    }))
}

/// `BasicDriverFeatureStep`'s resources, added to a template's: CPU as requested (or
/// `spark.driver.cores`), memory heap plus overhead as `plan::demand` computes it, the
/// `spark.driver.resource.*` amounts as `<vendor>/<name>` limits.
fn add_resources(c: &Conf, r: &mut ResourceRequirements) -> Result<(), ResolveError> {
    let s = c.s;
    let cpu = s
        .conf("spark.kubernetes.driver.request.cores")
        .or_else(|| s.conf("spark.driver.cores"))
        .unwrap_or("1")
        .trim()
        .to_string();
    let memory = super::demand::driver(s).map_err(|e| err(e.0))?.memory_mib;
    let memory = Quantity(format!("{memory}Mi"));
    let requests = r.requests.get_or_insert_with(BTreeMap::new);
    requests.insert("cpu".into(), Quantity(cpu));
    requests.insert("memory".into(), memory.clone());
    let limits = r.limits.get_or_insert_with(BTreeMap::new);
    if let Some(l) = s.conf("spark.kubernetes.driver.limit.cores") {
        limits.insert("cpu".into(), Quantity(l.trim().to_string()));
    }
    limits.insert("memory".into(), memory);
    for (k, amount) in with_prefix(s, "spark.driver.resource.") {
        if let Some(name) = k.strip_suffix(".amount")
            && let Some(vendor) = s.conf(&format!("spark.driver.resource.{name}.vendor"))
        {
            limits.insert(format!("{vendor}/{name}"), Quantity(amount.trim().into()));
        }
    }
    Ok(())
}

/// `DriverCommandFeatureStep`: `driver [--proxy-user U] --properties-file ... --class CLASS
/// RESOURCE ARGS`, after a template's args; a Python app runs `PythonRunner`.
fn args(c: &Conf) -> Vec<String> {
    let class = match c.s.app_kind {
        AppKind::Python => "org.apache.spark.deploy.PythonRunner".to_string(),
        _ => c.s.main_class.clone().unwrap_or_default(),
    };
    let mut out = vec!["driver".to_string()];
    if let Some(u) = &c.s.proxy_user {
        out.extend(["--proxy-user".to_string(), u.clone()]);
    }
    out.extend([
        "--properties-file".into(),
        format!("{CONF_DIR}/{PROPERTIES}"),
        "--class".into(),
        class,
        c.s.primary_resource.clone().unwrap_or_default(),
    ]);
    out.extend(c.s.app_args.iter().cloned());
    out
}

/// The pod Spark starts from (`KubernetesUtils.loadPodFromTemplate`): the driver pod template
/// without its Spark container, and that container (`spark.kubernetes.driver
/// .podTemplateContainerName`, else the first); an empty pod without a template.
fn initial_pod(c: &Conf, files: &Files) -> Result<(Pod, Container), ResolveError> {
    let key = "spark.kubernetes.driver.podTemplateFile";
    let Some(path) = c.s.conf(key) else {
        return Ok((Pod::default(), Container::default()));
    };
    let text = files.driver_pod_template.as_deref().ok_or_else(|| {
        err(format!(
            "Direct submit needs the text of the driver pod template {path} ({key})."
        ))
    })?;
    let mut pod: Pod = serde_saphyr::from_str(text).map_err(|e| {
        err(format!(
            "The driver pod template {path} is not a valid Pod: {e}"
        ))
    })?;
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    let containers = std::mem::take(&mut spec.containers);
    let wanted = c.s.conf("spark.kubernetes.driver.podTemplateContainerName");
    let named: Vec<usize> = (0..containers.len())
        .filter(|i| Some(containers[*i].name.as_str()) == wanted)
        .collect();
    // A name that matches no container, or several, falls back to the first (Spark warns).
    let at = match named.as_slice() {
        [one] => Some(*one),
        _ => (!containers.is_empty()).then_some(0),
    };
    let mut container = Container::default();
    for (i, x) in containers.into_iter().enumerate() {
        if Some(i) == at {
            container = x;
        } else {
            spec.containers.push(x);
        }
    }
    Ok((pod, container))
}

fn driver_pod(c: &Conf, user: &str, files: &Files) -> Result<Pod, ResolveError> {
    let s = c.s;
    let image = s
        .conf("spark.kubernetes.driver.container.image")
        .or_else(|| s.conf("spark.kubernetes.container.image"))
        .ok_or_else(|| err("Must specify the driver container image"))?;
    let (mut pod, mut container) = initial_pod(c, files)?;
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    let volumes = spec.volumes.get_or_insert_with(Vec::new);
    let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
    add_volumes(c, volumes, mounts)?;
    let dirs = add_local_dirs(c, volumes, mounts);
    add_conf_volume(c, volumes, mounts);

    // The container: the template's, with Spark's fields set or appended.
    if container.name.is_empty() {
        container.name = DRIVER_CONTAINER.into();
    }
    container.image = Some(image.into());
    container.image_pull_policy = Some(
        s.conf("spark.kubernetes.container.image.pullPolicy")
            .unwrap_or("IfNotPresent")
            .into(),
    );
    container.args.get_or_insert_with(Vec::new).extend(args(c));
    container
        .env
        .get_or_insert_with(Vec::new)
        .extend(driver_env(c, user, &dirs.join(",")));
    container
        .ports
        .get_or_insert_with(Vec::new)
        .extend(
            c.ports
                .named(false)
                .iter()
                .map(|(name, p, _)| ContainerPort {
                    name: Some((*name).into()),
                    container_port: *p,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }),
        );
    add_resources(c, container.resources.get_or_insert_with(Default::default))?;
    // The driver's key, else the global one, else false (4.x).
    let escalation = s
        .conf("spark.kubernetes.driver.securityContext.allowPrivilegeEscalation")
        .or_else(|| s.conf("spark.kubernetes.securityContext.allowPrivilegeEscalation"))
        .is_some_and(is_true);
    container
        .security_context
        .get_or_insert_with(SecurityContext::default)
        .allow_privilege_escalation = Some(escalation);

    // The pod: the template's metadata and spec, Spark's added or overriding.
    let meta = &mut pod.metadata;
    meta.name = Some(c.pod_name.clone());
    meta.namespace = Some(c.namespace.clone());
    meta.labels
        .get_or_insert_with(BTreeMap::new)
        .extend(c.labels.clone());
    let annotations = with_prefix(s, "spark.kubernetes.driver.annotation.")
        .into_iter()
        .map(|(k, v)| {
            let v = v
                .replace("{{APP_ID}}", &c.r.app_id)
                .replace("{{EXECUTOR_ID}}", "");
            (k, v)
        });
    meta.annotations
        .get_or_insert_with(BTreeMap::new)
        .extend(annotations);
    if meta.annotations.as_ref().is_some_and(BTreeMap::is_empty) {
        meta.annotations = None;
    }
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    spec.restart_policy = Some("Never".into());
    let node_selector = spec.node_selector.get_or_insert_with(BTreeMap::new);
    node_selector.extend(owned_with_prefix(s, "spark.kubernetes.node.selector."));
    node_selector.extend(owned_with_prefix(
        s,
        "spark.kubernetes.driver.node.selector.",
    ));
    if node_selector.is_empty() {
        spec.node_selector = None;
    }
    let pull_secrets = s
        .conf("spark.kubernetes.container.image.pullSecrets")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| LocalObjectReference { name: name.into() });
    spec.image_pull_secrets
        .get_or_insert_with(Vec::new)
        .extend(pull_secrets);
    if spec.image_pull_secrets.as_ref().is_some_and(Vec::is_empty) {
        spec.image_pull_secrets = None;
    }
    if let Some(account) = s.conf("spark.kubernetes.authenticate.driver.serviceAccountName") {
        spec.service_account = Some(account.into());
        spec.service_account_name = Some(account.into());
    }
    if let Some(name) = s
        .conf("spark.kubernetes.driver.scheduler.name")
        .or_else(|| s.conf("spark.kubernetes.scheduler.name"))
    {
        spec.scheduler_name = Some(name.into());
    }
    spec.containers.push(container);
    Ok(pod)
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
            publish_not_ready_addresses: Some(
                c.s.conf("spark.kubernetes.driver.service.publishNotReadyAddresses")
                    .is_some_and(is_true),
            ),
            ip_family_policy: Some(
                c.s.conf("spark.kubernetes.driver.service.ipFamilyPolicy")
                    .unwrap_or("SingleStack")
                    .into(),
            ),
            ip_families: Some(
                c.s.conf("spark.kubernetes.driver.service.ipFamilies")
                    .unwrap_or("IPv4")
                    .split(',')
                    .map(str::to_string)
                    .collect(),
            ),
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
    // HadoopConfDriverFeatureStep: the executors mount the same ConfigMap.
    if let Some(name) = s.conf(HADOOP_CONFIG_MAP) {
        p.insert(
            "spark.kubernetes.executor.hadoopConfigMapName".into(),
            name.into(),
        );
    }
    // PodTemplateConfigMapStep: the driver reads the executors' template from its mount.
    if p.contains_key(EXECUTOR_TEMPLATE) {
        p.insert(
            EXECUTOR_TEMPLATE.into(),
            format!("{EXECUTOR_TEMPLATE_DIR}/{EXECUTOR_TEMPLATE_FILE}"),
        );
    }
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
