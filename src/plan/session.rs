//! An interactive session (`spark-shell`, `pyspark`, `spark-sql`): the shell runs in client
//! mode in the session pod, so its driver is in the cluster and executors reach it through a
//! headless Service; pure.
//!
//! - The pod's command is gated ([`GATE`]): the shell starts only once the launcher is attached
//!   and writes one line, because an attach only carries what is written after it connects.
//! - Spark's Client Mode Networking (`docs/running-on-kubernetes.md`): "Spark executors must be
//!   able to connect to the Spark driver over a hostname and a port that is routable from the
//!   Spark executors ... If you run your driver inside a Kubernetes pod, you can use a headless
//!   service ... ensure that the service's label selector will only match the driver pod and no
//!   other pods ... Specify the driver's hostname via `spark.driver.host` and your spark
//!   driver's port to `spark.driver.port`." The conf ([`driver_conf`]) and the Service
//!   ([`service`]) are shaped as Spark's own cluster-mode driver Service
//!   (`DriverServiceFeatureStep`: `<service>.<namespace>.svc`, headless, the driver and block
//!   manager ports, 7078 and 7079 by default).
//! - The Service belongs to the pod ([`owned_by`]), so the garbage collector deletes it with
//!   the pod, whoever deletes the pod.
//! - The shell's own script arguments that name local files ([`script_files`]) travel with the
//!   job's other local files.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Arg, JOB_ID_LABEL, NAMESPACE_ENV, POD_IP_ENV};
use crate::parse::SparkCommand;
use crate::resolve::{ResolveError, Settings, err_hint};

/// Spark on Kubernetes' driver port (`Constants.DEFAULT_DRIVER_PORT`).
pub const DRIVER_PORT: u16 = 7078;
/// Spark on Kubernetes' driver block manager port (`Constants.DEFAULT_BLOCKMANAGER_PORT`).
pub const BLOCK_MANAGER_PORT: u16 = 7079;
/// The value of `app.kubernetes.io/component` on a session pod (and its Service).
pub const COMPONENT: &str = "session";
/// What the session pod's command starts with: a shell that waits for one line on its stdin
/// (the launcher writes it once attached), then becomes the Spark shell (`$0`) with its
/// arguments (`"$@"`). It holds no `$(` and no `$$`, so Kubernetes' expansion leaves it as
/// written.
pub const GATE: [&str; 3] = ["/bin/sh", "-c", "read -r go && exec \"$0\" \"$@\""];

/// The annotation of a session's pod that carries how the session is kept (JSON, seconds):
/// `{"reattachGrace":60,"idleTimeout":0,"idleWarning":60,"keepPod":false,"cancelJobsPort":4040}`
/// (0: Ctrl-C goes to the shell), read back by
/// `session::Keep::from_pod` when `attach` joins the session from another launcher.
pub const SETTINGS_ANNOTATION: &str = "spark-k8s-cli/session-settings";

/// The value of [`SETTINGS_ANNOTATION`] for `t` (an idle timeout of 0 is none).
pub fn settings_annotation(t: &crate::resolve::typed::SessionSettings) -> String {
    serde_json::json!({
        "reattachGrace": t.reattach_grace.as_secs_f64(),
        "idleTimeout": t.idle_timeout.map_or(0.0, |d| d.as_secs_f64()),
        "idleWarning": t.idle_warning.as_secs_f64(),
        "keepPod": t.keep_pod,
        "cancelJobsPort": t.cancel_jobs_port.unwrap_or(0),
    })
    .to_string()
}

/// The session's Service: named as its pod when that name is a DNS-1035 label (a Service name
/// must start with a letter), else with an `x` before it (a job id may start with a digit; a
/// pod name has at most 57 characters, so this stays within 63).
pub fn service_name(pod_name: &str) -> String {
    if pod_name.starts_with(|c: char| c.is_ascii_lowercase()) {
        pod_name.to_string()
    } else {
        format!("x{pod_name}")
    }
}

/// The ports the session's driver listens on, as its Service publishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ports {
    pub driver: u16,
    pub block_manager: u16,
}

/// The driver's ports: the user's `spark.driver.port` and `spark.driver.blockManager.port`
/// (which defaults to `spark.blockManager.port`, as in Spark), else Spark on Kubernetes'
/// defaults. A session needs fixed ports: its Service publishes them.
pub fn ports(s: &Settings) -> Result<Ports, ResolveError> {
    let port = |keys: &[&str], default: u16| {
        let Some((key, v)) = keys.iter().find_map(|k| s.conf(k).map(|v| (*k, v))) else {
            return Ok(default);
        };
        v.trim().parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            err_hint(
                format!("Invalid value '{v}' for {key}: a session's driver port must be a port number, 1 to 65535."),
                format!("The session's Service publishes the driver's ports; leave {key} unset for {default}, or give a fixed port."),
            )
        })
    };
    Ok(Ports {
        driver: port(&["spark.driver.port"], DRIVER_PORT)?,
        block_manager: port(
            &["spark.driver.blockManager.port", "spark.blockManager.port"],
            BLOCK_MANAGER_PORT,
        )?,
    })
}

/// The Spark properties a session's driver needs so executors reach it: the Service's name as
/// its host, fixed ports, bound to the pod's IP, and the pod's name (so executors are owned by
/// it). Keys the user set keep the user's value (the caller adds only missing ones; a
/// `spark.blockManager.port` of the user's becomes the driver's explicitly, as Spark would
/// take it); the driver pod's name is the launcher's own.
pub(super) fn driver_conf(service: &str, ports: Ports, namespace: &str) -> Vec<(String, Arg)> {
    let text = |k: &str, v: String| (k.to_string(), Arg::Text(format!("{k}={v}")));
    vec![
        (
            "spark.driver.host".into(),
            Arg::Ref {
                prefix: format!("spark.driver.host={service}."),
                var: NAMESPACE_ENV.into(),
                value: namespace.into(),
                suffix: ".svc".into(),
            },
        ),
        text("spark.driver.port", ports.driver.to_string()),
        text(
            "spark.driver.blockManager.port",
            ports.block_manager.to_string(),
        ),
        (
            "spark.driver.bindAddress".into(),
            Arg::reference("spark.driver.bindAddress=", POD_IP_ENV, "<pod IP>"),
        ),
    ]
}

/// The session's headless Service: selects the session pod alone (the job id and the session
/// component: executors carry the job id too), publishes the driver's ports, labelled as the
/// pod. Without its owner: see [`owned_by`].
pub fn service(
    name: &str,
    namespace: Option<String>,
    pod_labels: &BTreeMap<String, String>,
    job_id: &str,
    ports: Ports,
) -> Service {
    let selector = BTreeMap::from([
        (JOB_ID_LABEL.to_string(), job_id.to_string()),
        (super::COMPONENT_LABEL.to_string(), COMPONENT.to_string()),
    ]);
    let ports = [
        ("driver", ports.driver),
        ("blockmanager", ports.block_manager),
    ];
    super::service(name, namespace, pod_labels, selector, &ports, true)
}

/// `service` owned by the session pod `pod` (as a controller that blocks the pod's foreground
/// deletion until it is gone), so the garbage collector deletes it with the pod; `None` for a
/// pod not created yet (no uid).
pub fn owned_by(service: &Service, pod: &Pod) -> Option<Service> {
    let mut owned = service.clone();
    owned.metadata.owner_references = Some(vec![super::controlled_by(pod)?]);
    Some(owned)
}

/// What a read-back of the session's Service, found existing at its create, says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Existing {
    /// This job's, owned by this pod already: nothing to do.
    Ours,
    /// This job's, owned by another pod of the job (an earlier attempt, or one deleted since):
    /// it is handed to this pod.
    Adopt,
    /// Another job's (named): the session cannot use it.
    Foreign(String),
}

/// Whose the existing object `found` (a session's Service, a driver UI's Service or Ingress)
/// is, for job `job_id` whose pod that should own it is `pod`.
pub fn existing(
    found: &impl k8s_openapi::Metadata<Ty = ObjectMeta>,
    job_id: &str,
    pod: &Pod,
) -> Existing {
    let meta = found.metadata();
    let job = super::job_of(meta);
    if job != job_id {
        return Existing::Foreign(job);
    }
    let owned = meta
        .owner_references
        .iter()
        .flatten()
        .any(|o| o.kind == "Pod" && Some(&o.uid) == pod.metadata.uid.as_ref());
    if owned {
        Existing::Ours
    } else {
        Existing::Adopt
    }
}

/// The shell's own arguments that name a script it reads (`spark-shell -i FILE` / `-I FILE`,
/// `spark-sql -f FILE` / `-i FILE`): the index of each FILE in `app_args`, with how it was
/// given. The values of spark-sql's other options (`-e SQL`, `--database DB`, ...) are
/// skipped, so a statement that happens to read `-f` is not taken for the flag.
pub fn script_files(command: SparkCommand, app_args: &[String]) -> Vec<(usize, &'static str)> {
    let script = |flag: &str| match (command, flag) {
        (SparkCommand::Shell, "-i") => Some("spark-shell -i"),
        (SparkCommand::Shell, "-I") => Some("spark-shell -I"),
        (SparkCommand::Sql, "-f") => Some("spark-sql -f"),
        (SparkCommand::Sql, "-i") => Some("spark-sql -i"),
        _ => None,
    };
    // SparkSQLCLIDriver's options that take a value (Hive's `OptionsProcessor`).
    let takes_value = |flag: &str| {
        command == SparkCommand::Sql
            && matches!(
                flag,
                "-e" | "-d" | "--define" | "--database" | "--hiveconf" | "--hivevar"
            )
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < app_args.len() {
        let flag = app_args[i].as_str();
        if let Some(from) = script(flag)
            && i + 1 < app_args.len()
        {
            out.push((i + 1, from));
            i += 2;
        } else if takes_value(flag) {
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
