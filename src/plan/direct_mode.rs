//! direct_mode: a cluster-mode job's plan in `submitMode=direct`: the launcher creates what the
//! in-pod spark-submit would ([`super::direct`]), the secret properties moved out of the
//! ConfigMap into a Secret the driver reads as a second properties file.
//!
//! The pod-mode plan is made first (job id, demand, the in-pod argv); the edge resolves that
//! argv as the submit pod's spark-submit would, and [`make`] turns the plan into one whose pod
//! is the driver itself: the follower then watches one pod that is the driver, as in client
//! mode, and no submit pod holds quota.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EnvVar, EnvVarSource, KeyToPath, Pod, Secret, SecretKeySelector, SecretVolumeSource, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::JobPlan;
use super::direct::version::{self, SecretProperties, SparkLine};
use super::direct::{self, Files, Objects, Randoms};
use crate::resolve::version::SparkVersion;
use crate::resolve::{DeployMode, ResolveError, Settings, err};

/// The key and file name of the secret properties (`--extra-properties-file`).
pub const SECRET_PROPERTIES: &str = "spark-secret.properties";
/// Where the driver container mounts them.
pub const SECRET_CONF_DIR: &str = "/opt/spark/secret-conf";
const SECRET_VOLUME: &str = "spark-secret-conf-volume-driver";
/// The env variables that carry secret properties where `--extra-properties-file` does not exist.
const SECRET_ENV_PREFIX: &str = "SPARK_K8SCLI_SECRET_CONF_";

/// The driver pod's label naming the submitting client's Spark release.
const VERSION_LABEL: &str = "spark-version";

/// What direct mode knows of the job's Spark release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub version: SparkVersion,
    pub line: SparkLine,
}

/// The release direct mode reproduces for `v` (`sparkVersion`, else the image tag's), or why
/// it cannot (the job then goes through a submit pod).
pub fn release(v: Option<SparkVersion>) -> Result<Release, String> {
    let Some(version) = v else {
        return Err(format!(
            "the job's Spark release: the image's tag names none; set spark.k8scli.sparkVersion (direct submit models {})",
            version::SUPPORTED
        ));
    };
    let line = version.line()?;
    Ok(Release { version, line })
}

/// Why the job (as the user wrote it, `s`, and as planned) cannot go direct; `None` when it can.
/// The in-pod view is checked again by [`direct::unsupported`] in [`make`].
pub fn why_not(s: &Settings, plan: &JobPlan) -> Option<String> {
    if s.deploy_mode != DeployMode::Cluster {
        return Some("client mode (the driver runs in the submit pod already)".into());
    }
    if s.is_session() {
        return Some("interactive sessions".into());
    }
    if let Some(d) = &plan.deps {
        // Small files travel in the job's Secret, mounted in the driver and the executors as
        // `spark.kubernetes.{driver,executor}.secrets.*`, which the builder reproduces; what
        // the submit pod's spark-submit would upload or read from its own disk, it cannot.
        if d.delivery == super::deps::Delivery::Stream {
            return Some(
                "local files too large for a Secret (the submit pod receives and uploads them)"
                    .into(),
            );
        }
        if d.rewrite.values().any(|to| to.starts_with("file://")) {
            return Some(
                "local files to upload to spark.kubernetes.file.upload.path (the submit pod's spark-submit uploads them)"
                    .into(),
            );
        }
        if let Some(key) = d.paths.keys().next() {
            return Some(format!(
                "a local file the submit pod's spark-submit reads itself ({key})"
            ));
        }
    }
    release(s.spark_version()).err()
}

/// `n` random values from one seed (splitmix64).
fn stream(seed: u64) -> impl Iterator<Item = u64> {
    let mut x = seed;
    std::iter::repeat_with(move || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// Spark's random values for one submission, drawn from `random`, at `epoch_millis`.
pub fn randoms(random: u64, epoch_millis: u64) -> Randoms {
    let mut r = stream(random);
    let mut hex = |n: usize| {
        (0..n.div_ceil(16))
            .map(|_| format!("{:016x}", r.next().unwrap_or_default()))
            .collect::<String>()[..n]
            .to_string()
    };
    let app_id = format!("spark-{}", hex(32));
    let (resource_id, service_id, config_map_id) = (hex(16), hex(16), hex(16));
    let u = hex(32);
    // A version 4 UUID, as `UUID.randomUUID` makes.
    let local_dir_uuid = format!(
        "{}-{}-4{}-{}{}-{}",
        &u[..8],
        &u[8..12],
        &u[13..16],
        ["8", "9", "a", "b"][usize::from(u.as_bytes()[16] % 4)],
        &u[17..20],
        &u[20..32]
    );
    Randoms {
        app_id,
        resource_id,
        service_id,
        config_map_id,
        local_dir_uuid,
        submit_time_millis: epoch_millis,
    }
}

/// The random values of a driver pod made by an earlier run of the same job, so that the
/// objects made now for it (its ConfigMap above all, which the pod mounts by name) are its own.
/// What the pod does not show stays as `fresh` has it.
pub fn adopted(pod: &Pod, fresh: &Randoms) -> Randoms {
    let mut r = fresh.clone();
    if let Some(id) = pod
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("spark-app-selector"))
    {
        r.app_id = id.clone();
    }
    let spec = pod.spec.as_ref();
    if let Some(id) = spec
        .and_then(|s| s.volumes.as_ref())
        .into_iter()
        .flatten()
        // A pod template's own ConfigMap volumes may come first.
        .find_map(|v| {
            let name = &v.config_map.as_ref()?.name;
            name.strip_prefix("spark-drv-")?.strip_suffix("-conf-map")
        })
        .map(str::to_string)
    {
        r.config_map_id = id;
    }
    let local = direct::driver_container(pod)
        .and_then(|c| c.env.as_ref())
        .into_iter()
        .flatten()
        .find(|e| e.name == "SPARK_LOCAL_DIRS")
        .and_then(|e| e.value.as_deref())
        .and_then(|v| v.strip_prefix("/var/data/spark-"));
    if let Some(uuid) = local {
        r.local_dir_uuid = uuid.to_string();
    }
    r
}

/// The resource id (and the long-name case's Service id) that an earlier run's Service
/// `service` and NetworkPolicy `policy` of the same driver carry in their names (the pod shows
/// neither), so that what is made now for it names them, its ConfigMap's `spark.driver.host`
/// above all, and no second Service is made.
pub fn adopted_names(
    fresh: &Randoms,
    app_name: &str,
    service: Option<&str>,
    policy: Option<&str>,
) -> Randoms {
    let mut r = fresh.clone();
    let hex = |id: &str| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
    // `<prefix>-driver-svc` or `<prefix>-policy`, the prefix `<app name>-<resource id>`.
    let id_in = |stem: &str| {
        let id = stem.get(stem.len().checked_sub(16)?..)?;
        (hex(id) && direct::resource_name_prefix(app_name, id) == stem).then(|| id.to_string())
    };
    for (name, suffix) in [(policy, "-policy"), (service, "-driver-svc")] {
        if let Some(id) = name.and_then(|n| n.strip_suffix(suffix)).and_then(id_in) {
            r.resource_id = id;
        }
    }
    // `spark-<service id>-driver-svc` when the prefix made the name too long.
    let long = service.and_then(|n| n.strip_prefix("spark-")?.strip_suffix("-driver-svc"));
    if let Some(id) = long.filter(|id| hex(id)) {
        r.service_id = id.to_string();
    }
    r
}

/// A direct-mode job: what it was built from, so that a driver found from an earlier run
/// gets its own objects back ([`Direct::objects_for`]), and what it creates.
#[derive(Clone, Debug)]
pub struct Direct {
    /// The job as the submit pod's spark-submit would see it.
    pub in_pod: Settings,
    pub release: Release,
    pub user: String,
    pub randoms: Randoms,
    /// The pod templates' text, read on this machine.
    pub files: Files,
    /// The driver pod (also the plan's `pod`), its Service, NetworkPolicy and ConfigMap.
    pub objects: Objects,
}

impl Direct {
    /// The application id (`spark.app.id`, the `spark-app-selector` label).
    pub fn app_id(&self) -> &str {
        &self.randoms.app_id
    }

    /// The objects and the secret properties' Secret of the job with Spark's values `r`.
    pub fn objects_for(
        &self,
        job_id: &str,
        r: &Randoms,
    ) -> Result<(Objects, Option<Secret>), ResolveError> {
        objects(
            &self.in_pod,
            &self.release,
            job_id,
            r,
            &self.user,
            &self.files,
        )
    }
}

fn objects(
    in_pod: &Settings,
    release: &Release,
    job_id: &str,
    r: &Randoms,
    user: &str,
    files: &Files,
) -> Result<(Objects, Option<Secret>), ResolveError> {
    if let Some(why) = direct::unsupported(in_pod) {
        return Err(err(format!("Direct submit does not cover {why}.")));
    }
    if let Some(why) = line_gap(in_pod, release.line) {
        return Err(err(format!("Direct submit does not cover {why}.")));
    }
    let mut objects = direct::build_with(in_pod, r, user, files)?;
    for_line(&mut objects, release.line, in_pod, user);
    // The label names the submitting client's release: in pod mode, the image's. The Service
    // selects the pod by its labels, this one included.
    let version = release.version.to_string();
    let labels = objects
        .pod
        .metadata
        .labels
        .get_or_insert_with(BTreeMap::new);
    labels.insert(VERSION_LABEL.into(), version.clone());
    let selector = objects
        .service
        .spec
        .as_mut()
        .and_then(|s| s.selector.as_mut());
    if let Some(v) = selector.and_then(|s| s.get_mut(VERSION_LABEL)) {
        *v = version;
    }
    let secret = split_secrets(
        job_id,
        in_pod,
        &mut objects,
        release.line.secret_properties(),
    )?;
    Ok((objects, secret))
}

/// What the job asks of `line` that direct mode does not reproduce (docs/spark-versions.md).
fn line_gap(in_pod: &Settings, line: SparkLine) -> Option<String> {
    if line.excluded_feature_steps()
        && in_pod
            .conf("spark.kubernetes.driver.pod.excludedFeatureSteps")
            .is_some()
    {
        return Some("spark.kubernetes.driver.pod.excludedFeatureSteps".into());
    }
    if !line.min_memory_overhead_setting()
        && in_pod.conf("spark.driver.minMemoryOverhead").is_some()
    {
        return Some(format!(
            "spark.driver.minMemoryOverhead with Spark {line} (its driver's floor is a fixed 384 MiB)"
        ));
    }
    let image = in_pod
        .conf("spark.kubernetes.driver.container.image")
        .or_else(|| in_pod.conf("spark.kubernetes.container.image"))
        .unwrap_or_default();
    if image.contains("{{") {
        return Some(format!("a placeholder in the image name ({image})"));
    }
    None
}

/// The objects of the builder's release (4.3) for `in_pod` submitted by `user` as `line` makes
/// them: the parts a line lacks removed (docs/spark-versions.md, from the released jars and
/// the per-line goldens, tests/direct_golden/lines.rs).
fn for_line(objects: &mut Objects, line: SparkLine, in_pod: &Settings, user: &str) {
    const CONNECT: &str = "spark-connect";
    if let Some(spec) = objects.service.spec.as_mut() {
        if !line.publish_not_ready_addresses() {
            spec.publish_not_ready_addresses = None;
        }
        if let Some(ports) = spec.ports.as_mut() {
            ports.retain(|p| line.connect_port() || p.name.as_deref() != Some(CONNECT));
            for p in ports
                .iter_mut()
                .filter(|p| p.name.as_deref() == Some(CONNECT))
            {
                p.app_protocol = line.connect_app_protocol().map(str::to_string);
            }
        }
    }
    if let Some(c) = direct::driver_container_mut(&mut objects.pod) {
        if let Some(ports) = c.ports.as_mut() {
            ports.retain(|p| line.connect_port() || p.name.as_deref() != Some(CONNECT));
        }
        if !line.drop_privilege_escalation()
            && let Some(sc) = c.security_context.as_mut()
        {
            sc.allow_privilege_escalation = None;
            if *sc == Default::default() {
                c.security_context = None;
            }
        }
        // Spark's own `SPARK_USER` comes after a pod template's.
        let spark_user = c.env.iter_mut().flatten().rfind(|e| e.name == "SPARK_USER");
        if let Some(e) = spark_user.filter(|_| !line.spark_user_is_proxy_user()) {
            e.value = Some(user.to_string());
        }
    }
    if !line.volume_sub_path_expr_and_host_path_type() {
        without_sub_path_expr_and_host_path_type(objects, &direct::driver_volume_names(in_pod));
    }
}

/// The driver volumes `names` as 3.5 writes them: mounts without `subPathExpr`, `hostPath`
/// volumes with an empty `type`.
fn without_sub_path_expr_and_host_path_type(objects: &mut Objects, names: &[String]) {
    let ours = |name: &String| names.contains(name);
    if let Some(c) = direct::driver_container_mut(&mut objects.pod) {
        for m in c
            .volume_mounts
            .iter_mut()
            .flatten()
            .filter(|m| ours(&m.name))
        {
            m.sub_path_expr = None;
        }
    }
    let volumes = objects.pod.spec.as_mut().and_then(|s| s.volumes.as_mut());
    for v in volumes.into_iter().flatten().filter(|v| ours(&v.name)) {
        if let Some(h) = v.host_path.as_mut() {
            h.type_ = Some(String::new());
        }
    }
}

/// The direct-mode plan of `plan`: `in_pod` is the job as the submit pod's spark-submit would
/// see it (its argv resolved), `r` Spark's random values, `user` the submitting user, `files`
/// the pod templates it names.
pub fn make(
    mut plan: JobPlan,
    in_pod: Settings,
    release: Release,
    r: Randoms,
    user: &str,
    files: Files,
) -> Result<JobPlan, ResolveError> {
    let (objects, secret) = objects(&in_pod, &release, &plan.job_id, &r, user, &files)?;
    plan.submit_pod_name = plan.driver_pod_name.clone();
    plan.pod = objects.pod.clone();
    // The job's Secret keeps its labels.
    plan.secret = secret.map(|mut s| {
        if let Some(labels) = plan.secret.as_ref().and_then(|o| o.metadata.labels.clone()) {
            s.metadata.labels = Some(labels);
        }
        s
    });
    plan.service = None;
    plan.demand = plan.demand.without_submit_pod();
    plan.direct = Some(Box::new(Direct {
        in_pod,
        release,
        user: user.to_string(),
        randoms: r,
        files,
        objects,
    }));
    Ok(plan)
}

/// Moves the properties the redaction rule matches out of the ConfigMap into the job's Secret,
/// and makes the driver read them from it.
fn split_secrets(
    job_id: &str,
    in_pod: &Settings,
    objects: &mut Objects,
    how: SecretProperties,
) -> Result<Option<Secret>, ResolveError> {
    let props = properties_of(&objects.config_map);
    let (secret, open): (BTreeMap<_, _>, BTreeMap<_, _>) = props
        .into_iter()
        .partition(|(k, v)| v != direct::REDACTED_TOKEN && in_pod.redaction.is_secret(k, v));
    if secret.is_empty() {
        return Ok(None);
    }
    set_properties(&mut objects.config_map, &open);
    let name = super::secret_name(job_id);
    let container = direct::driver_container_mut(&mut objects.pod)
        .ok_or_else(|| err("Direct submit: the driver pod has no driver container."))?;
    let args = container.args.get_or_insert_with(Vec::new);
    let at = args
        .iter()
        .position(|a| a == "--properties-file")
        .map_or(1, |i| i + 2)
        .min(args.len());
    let data: BTreeMap<String, String> = match how {
        SecretProperties::ExtraPropertiesFile => {
            args.splice(
                at..at,
                [
                    "--extra-properties-file".to_string(),
                    format!("{SECRET_CONF_DIR}/{SECRET_PROPERTIES}"),
                ],
            );
            container
                .volume_mounts
                .get_or_insert_with(Vec::new)
                .push(VolumeMount {
                    name: SECRET_VOLUME.into(),
                    mount_path: SECRET_CONF_DIR.into(),
                    read_only: Some(true),
                    ..Default::default()
                });
            let pairs: Vec<(String, String)> = secret.into_iter().collect();
            BTreeMap::from([(
                SECRET_PROPERTIES.to_string(),
                crate::resolve::properties::render(&pairs),
            )])
        }
        SecretProperties::ConfArgs => {
            let env = container.env.get_or_insert_with(Vec::new);
            let mut data = BTreeMap::new();
            let mut confs = Vec::new();
            for (i, (k, v)) in secret.into_iter().enumerate() {
                let var = format!("{SECRET_ENV_PREFIX}{i}");
                let key = format!("conf-{i}");
                env.push(EnvVar {
                    name: var.clone(),
                    value_from: Some(EnvVarSource {
                        secret_key_ref: Some(SecretKeySelector {
                            name: name.clone(),
                            key: key.clone(),
                            optional: None,
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
                // The key is Spark's own text: a `$` in it must not start a reference.
                confs.extend([
                    "--conf".to_string(),
                    format!("{}=$({var})", super::escape_dollars(&k)),
                ]);
                data.insert(key, v);
            }
            args.splice(at..at, confs);
            data
        }
    };
    if how == SecretProperties::ExtraPropertiesFile {
        objects
            .pod
            .spec
            .as_mut()
            .expect("the driver pod has a spec")
            .volumes
            .get_or_insert_with(Vec::new)
            .push(Volume {
                name: SECRET_VOLUME.into(),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(name.clone()),
                    items: Some(vec![KeyToPath {
                        key: SECRET_PROPERTIES.into(),
                        path: SECRET_PROPERTIES.into(),
                        mode: None,
                    }]),
                    default_mode: Some(0o440),
                    ..Default::default()
                }),
                ..Default::default()
            });
    }
    let labels = Some(BTreeMap::from([(
        super::JOB_ID_LABEL.to_string(),
        job_id.to_string(),
    )]));
    Ok(Some(Secret {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: objects.pod.metadata.namespace.clone(),
            labels,
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        string_data: Some(data),
        ..Default::default()
    }))
}

/// The driver's properties in its ConfigMap's `spark.properties`.
fn properties_of(cm: &k8s_openapi::api::core::v1::ConfigMap) -> BTreeMap<String, String> {
    cm.data
        .as_ref()
        .and_then(|d| d.get(direct::PROPERTIES))
        .map(|text| {
            crate::resolve::properties::parse(text)
                .into_iter()
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `props` as the ConfigMap's `spark.properties`, under its comment and date lines.
fn set_properties(
    cm: &mut k8s_openapi::api::core::v1::ConfigMap,
    props: &BTreeMap<String, String>,
) {
    let Some(text) = cm.data.as_mut().and_then(|d| d.get_mut(direct::PROPERTIES)) else {
        return;
    };
    let head: String = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let pairs: Vec<(String, String)> = props.clone().into_iter().collect();
    *text = head + &crate::resolve::properties::render(&pairs);
}

#[cfg(test)]
mod tests;
