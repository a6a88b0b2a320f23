//! The launcher settings as the stages use them: typed groups, built once in `resolve` from the
//! checked values, so that no stage parses a setting's text again.
//!
//! Every value here passed [`super::check_value`] (or is its setting's documented default, which
//! a registry test checks the same way); a value that still does not read is an error of
//! `resolve`, never a silent default.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Toleration;

use super::registry::{self, Raw};
use super::{LauncherValue, ResolveError, err, units};

/// What a queue or start-up timeout does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutAction {
    /// Alert, give up, and end with the timeout's exit code.
    Fail,
    /// Alert once and keep waiting.
    Alert,
}

/// What a run timeout does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunTimeoutAction {
    /// Alert once; the job runs on.
    Alert,
    /// Alert, delete the job's pods, end with the run timeout's exit code.
    Kill,
}

/// The job's queue: where it waits, for how long, and the per-queue limits.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueSettings {
    /// `queue` (also `--queue`).
    pub name: String,
    pub priority: i32,
    /// `queueTimeout`; `None` waits for ever (the setting is 0).
    pub timeout: Option<Duration>,
    /// The setting [`Self::timeout`] came from, for messages: `queueTimeout`, or
    /// `sessionQueueTimeout` for a session.
    pub timeout_setting: &'static str,
    pub timeout_action: TimeoutAction,
    /// How long a ticket lives without renewal.
    pub heartbeat: Duration,
    /// `queueMaxRunning`: queue → jobs.
    pub max_running: BTreeMap<String, u64>,
    /// `queueMaxCores`: queue → millicores.
    pub max_cpu_m: BTreeMap<String, i128>,
    /// `queueMaxMemory`: queue → milli-bytes (the queue keeps every amount in thousandths).
    pub max_memory_m: BTreeMap<String, i128>,
}

/// The waits of following a job.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeouts {
    pub startup: Duration,
    pub startup_action: TimeoutAction,
    /// `runTimeout`; `None`: no limit.
    pub run: Option<Duration>,
    pub run_action: RunTimeoutAction,
    pub cluster_lost: Duration,
}

/// The submit pod's own settings (Spark's properties fill in what these leave unset).
#[derive(Clone, Debug, PartialEq)]
pub struct SubmitPodSettings {
    pub image: Option<String>,
    pub spark_submit_path: String,
    pub service_account: Option<String>,
    pub cpu_m: u64,
    pub cpu_limit_m: Option<u64>,
    pub memory_bytes: u64,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Option<Vec<Toleration>>,
    pub image_pull_secrets: Option<Vec<String>>,
    /// `submitPodDeadline`; `None`: no deadline.
    pub deadline: Option<Duration>,
    pub template_file: Option<String>,
}

/// Where job events go. Its `Debug` hides the sinks' secrets and links that look secret.
#[derive(Clone, PartialEq)]
pub struct AlertSettings {
    pub sinks: Vec<super::sinks::Sink>,
    pub links: BTreeMap<String, String>,
    pub flush_timeout: Duration,
    pub rate_limit: u32,
}

impl std::fmt::Debug for AlertSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = super::redact::Redactor::default();
        let links: BTreeMap<&str, &str> = self
            .links
            .iter()
            .map(|(k, v)| (k.as_str(), r.show(k, v)))
            .collect();
        f.debug_struct("AlertSettings")
            .field("sinks", &self.sinks)
            .field("links", &links)
            .field("flush_timeout", &self.flush_timeout)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

/// The fleet and how a job is placed on it.
#[derive(Clone, Debug, PartialEq)]
pub struct FleetSettings {
    /// `None` when no fleet is configured.
    pub fleet: Option<crate::resolve::fleet::Fleet>,
    pub policy: crate::resolve::fleet::Policy,
    pub cluster: Option<String>,
    pub clusters: Vec<String>,
    pub cluster_selector: Option<String>,
    pub probe_timeout: Duration,
    pub health_ttl: Duration,
    pub circuit_failures: u32,
    pub circuit_cool_down: Duration,
    pub failover_on_unknown: bool,
    /// `queueSpillAfter`: how long a job waits in one member's queue before it may move;
    /// `None` never moves it.
    pub spill_after: Option<Duration>,
}

/// An interactive session's own settings (spark-shell, pyspark, spark-sql). Its queue wait is
/// also the session's [`QueueSettings::timeout`] (see [`Typed::for_session`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSettings {
    /// `sessionQueueTimeout`; `None` waits for ever (the setting is 0).
    pub queue_timeout: Option<Duration>,
    /// `sessionReattachGrace`: how long a dropped attach is tried again; zero: not at all.
    pub reattach_grace: Duration,
    /// `sessionKeepPod`: the pod and its Service stay after the session ends.
    pub keep_pod: bool,
    /// `sessionIdleTimeout`; `None`: sessions are never ended for being idle.
    pub idle_timeout: Option<Duration>,
    /// `sessionIdleWarning`: how long before the idle end the warning comes.
    pub idle_warning: Duration,
    /// spark-shell only: the driver's web UI port where Ctrl-C cancels the running jobs (Spark
    /// 4's spark-shell ends on a Ctrl-C that reaches it); `None` when the UI or its kill
    /// endpoint is off. From Spark's `spark.ui.*` settings, not a launcher setting.
    pub cancel_jobs_port: Option<u16>,
}

impl SessionSettings {
    /// After how much idle time the warning comes and the session ends; `None` without an idle
    /// timeout. A warning longer than the timeout comes as soon as the session turns idle.
    pub fn idle_limits(&self) -> Option<IdleLimits> {
        self.idle_timeout.map(|end| IdleLimits {
            warn_after: end.saturating_sub(self.idle_warning),
            end_after: end,
        })
    }
}

/// When an idle session is warned and ended, counted from its last input or output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdleLimits {
    pub warn_after: Duration,
    pub end_after: Duration,
}

/// The job's identity, its cluster connection and the launcher's switches.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSettings {
    pub job_id: Option<String>,
    pub namespace: Option<String>,
    pub kubeconfig: Option<String>,
    pub context: Option<String>,
    pub dry_run: bool,
    pub delete_on_interrupt: bool,
    pub follow_driver_log: bool,
    /// `submitMode`: how a cluster-mode batch job reaches its cluster.
    pub submit_mode: SubmitMode,
    /// `backend`: who submits a cluster-mode batch job.
    pub backend: Backend,
    /// `sparkVersion` as set (the image tag's is [`super::Settings::spark_version`]).
    pub spark_version: Option<super::version::SparkVersion>,
}

/// `submitMode`: who creates a cluster-mode job's driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmitMode {
    /// A submit pod running the image's spark-submit.
    Pod,
    /// The launcher itself, as that spark-submit would (docs/direct-submit.md).
    Direct,
}

fn submit_mode(t: &str) -> Result<SubmitMode, String> {
    match t {
        "pod" => Ok(SubmitMode::Pod),
        "direct" => Ok(SubmitMode::Direct),
        _ => Err(registry::Kind::choices(&["pod", "direct"])),
    }
}

/// `backend`: who submits a cluster-mode batch job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The launcher (a submit pod or direct submit, as `submitMode` says).
    Submit,
    /// A Kubeflow Spark operator SparkApplication (docs/operator.md); dry runs only so far.
    Operator,
}

fn backend(t: &str) -> Result<Backend, String> {
    match t {
        "submit" => Ok(Backend::Submit),
        "operator" => Ok(Backend::Operator),
        _ => Err(registry::Kind::choices(&["submit", "operator"])),
    }
}

/// What the launcher prints: `quiet`, `logLevel`, `logFormat` (its voice) and `output`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportSettings {
    pub voice: crate::report::Voice,
    /// `output`: what a submission prints on stdout at its end, or `--status` prints.
    pub output: crate::report::Format,
    /// `logDir`: where each job's submit and driver logs are kept (`None`: not kept).
    pub log_dir: Option<std::path::PathBuf>,
    /// The driver's web UI port, told once the driver runs (Spark's `spark.ui.enabled` and
    /// `spark.ui.port`; `None`: no UI, or a random port).
    pub ui_port: Option<u16>,
    /// `uiIngressHost` and its companions: an Ingress to the driver's UI (`None`: none).
    pub ui_ingress: Option<super::ui::UiIngress>,
    /// `prices`: what a core-hour and a GiB-hour cost, per cluster.
    pub prices: super::prices::Prices,
}

/// Every group.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    pub job: JobSettings,
    pub queue: QueueSettings,
    pub timeouts: Timeouts,
    pub submit_pod: SubmitPodSettings,
    pub alerts: AlertSettings,
    pub fleet: FleetSettings,
    pub session: SessionSettings,
    pub report: ReportSettings,
}

/// Reads checked launcher values (set, else the registry's default).
pub(super) struct Values<'a>(pub(super) &'a BTreeMap<&'static str, LauncherValue>);

impl Values<'_> {
    pub(super) fn text(&self, name: &str) -> Option<String> {
        match self.0.get(name).map(|v| &v.raw) {
            Some(Raw::Text(t)) => Some(t.clone()),
            Some(Raw::List(l)) => Some(l.join(",")),
            Some(Raw::Map(_)) => None,
            None => registry::find(name)
                .filter(|s| !s.default.is_empty())
                .map(|s| s.default.to_string()),
        }
    }

    /// A setting's value through `read`; its text must be there (set or defaulted).
    fn read<T>(
        &self,
        name: &str,
        read: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ResolveError> {
        let text = self
            .text(name)
            .ok_or_else(|| err(format!("Launcher setting {name} has no value.")))?;
        read(&text).map_err(|e| {
            err(format!(
                "Invalid value '{text}' for launcher setting {name}: {e}."
            ))
        })
    }

    fn opt<T>(
        &self,
        name: &str,
        read: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ResolveError> {
        match self.text(name) {
            None => Ok(None),
            Some(_) => self.read(name, read).map(Some),
        }
    }

    fn duration(&self, name: &str) -> Result<Duration, ResolveError> {
        self.read(name, |t| units::seconds(t).map(Duration::from_secs_f64))
    }

    /// A duration where 0 means "none".
    fn limit(&self, name: &str) -> Result<Option<Duration>, ResolveError> {
        Ok(Some(self.duration(name)?).filter(|d| !d.is_zero()))
    }

    fn bool(&self, name: &str) -> Result<bool, ResolveError> {
        self.read(name, |t| t.parse::<bool>().map_err(|e| e.to_string()))
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<T, ResolveError>
    where
        T::Err: std::fmt::Display,
    {
        self.read(name, |t| t.trim().parse::<T>().map_err(|e| e.to_string()))
    }

    fn map(&self, name: &str) -> BTreeMap<String, String> {
        match self.0.get(name).map(|v| &v.raw) {
            Some(Raw::Map(m)) => m.clone(),
            _ => BTreeMap::new(),
        }
    }

    fn list(&self, name: &str) -> Option<Vec<String>> {
        match self.0.get(name).map(|v| &v.raw) {
            Some(Raw::List(l)) => Some(l.clone()),
            Some(Raw::Text(t)) => Some(super::split_list(t)),
            _ => None,
        }
    }

    /// A map setting's values through `read`.
    fn map_of<T>(
        &self,
        name: &str,
        read: impl Fn(&str) -> Result<T, String>,
    ) -> Result<BTreeMap<String, T>, ResolveError> {
        self.map(name)
            .into_iter()
            .map(|(k, v)| {
                read(&v).map(|t| (k.clone(), t)).map_err(|e| {
                    err(format!(
                        "Invalid value '{v}' for '{k}' of launcher setting {name}: {e}."
                    ))
                })
            })
            .collect()
    }
}

fn timeout_action(t: &str) -> Result<TimeoutAction, String> {
    match t {
        "fail" => Ok(TimeoutAction::Fail),
        "alert" => Ok(TimeoutAction::Alert),
        _ => Err(registry::Kind::choices(&["fail", "alert"])),
    }
}

fn run_timeout_action(t: &str) -> Result<RunTimeoutAction, String> {
    match t {
        "alert" => Ok(RunTimeoutAction::Alert),
        "kill" => Ok(RunTimeoutAction::Kill),
        _ => Err(registry::Kind::choices(&["alert", "kill"])),
    }
}

/// A price for a cluster the fleet does not have is a typo: its jobs would take the default.
fn priced_clusters_exist(
    prices: &super::prices::Prices,
    fleet: Option<&crate::resolve::fleet::Fleet>,
) -> Result<(), ResolveError> {
    let Some(fleet) = fleet else { return Ok(()) };
    match prices.clusters.keys().find(|n| fleet.get(n).is_none()) {
        Some(name) => Err(err(format!(
            "Invalid value for launcher setting prices: clusters.{name} names no cluster of the fleet (clusters: {}); use a fleet cluster's name, or `default` for every cluster.",
            fleet.names()
        ))),
        None => Ok(()),
    }
}

fn milli(t: &str) -> Result<i128, String> {
    crate::quantity::milli(t).ok_or_else(|| format!("'{t}' is not a Kubernetes quantity"))
}

/// The driver UI's Ingress, when `uiIngressHost` is set; its template checked with what is
/// known now (the job id, the namespace, the fleet's members).
fn ui_ingress(
    v: &Values,
    job: &JobSettings,
    fleet: &FleetSettings,
) -> Result<Option<super::ui::UiIngress>, ResolveError> {
    let Some(host) = v.text("uiIngressHost").filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let ui = super::ui::UiIngress {
        host: host.trim().to_string(),
        class_name: v.text("uiIngressClassName").filter(|c| !c.is_empty()),
        annotations: v.map("uiIngressAnnotations"),
        tls_secret: v.text("uiIngressTls").filter(|t| !t.is_empty()),
    };
    let members: Vec<&str> = fleet
        .fleet
        .iter()
        .flat_map(|f| f.members.iter().map(|m| m.name.as_str()))
        .collect();
    ui.check(job.job_id.as_deref(), job.namespace.as_deref(), &members)?;
    Ok(Some(ui))
}

impl Typed {
    /// Builds every group from checked launcher values.
    pub fn build(launcher: &BTreeMap<&'static str, LauncherValue>) -> Result<Typed, ResolveError> {
        let v = Values(launcher);
        let job = JobSettings {
            job_id: v.text("jobId"),
            namespace: v.text("namespace"),
            kubeconfig: v.text("kubeconfig"),
            context: v.text("context"),
            dry_run: v.bool("dryRun")?,
            delete_on_interrupt: v.bool("deleteOnInterrupt")?,
            follow_driver_log: v.bool("followDriverLog")?,
            submit_mode: v.read("submitMode", submit_mode)?,
            backend: v.read("backend", backend)?,
            spark_version: v.opt("sparkVersion", super::version::parse)?,
        };
        let queue = QueueSettings {
            name: v.text("queue").unwrap_or_else(|| "default".into()),
            priority: v.number("queuePriority")?,
            timeout: v.limit("queueTimeout")?,
            timeout_setting: "queueTimeout",
            timeout_action: v.read("queueTimeoutAction", timeout_action)?,
            heartbeat: v.duration("queueHeartbeat")?,
            max_running: v.map_of("queueMaxRunning", |t| {
                t.trim().parse::<u64>().map_err(|e| e.to_string())
            })?,
            max_cpu_m: v.map_of("queueMaxCores", milli)?,
            max_memory_m: v.map_of("queueMaxMemory", milli)?,
        };
        let timeouts = Timeouts {
            startup: v.duration("startupTimeout")?,
            startup_action: v.read("startupTimeoutAction", timeout_action)?,
            run: v.limit("runTimeout")?,
            run_action: v.read("runTimeoutAction", run_timeout_action)?,
            cluster_lost: v.duration("clusterLostTimeout")?,
        };
        let submit_pod = SubmitPodSettings {
            image: v.text("submitImage"),
            spark_submit_path: v.text("sparkSubmitPath").unwrap_or_default(),
            service_account: v.text("submitServiceAccount"),
            cpu_m: v.read("submitCpu", crate::quantity::millicores)?,
            cpu_limit_m: v.opt("submitCpuLimit", crate::quantity::millicores)?,
            memory_bytes: v.read("submitMemory", crate::quantity::memory_bytes)?,
            node_selector: v.map("submitNodeSelector"),
            tolerations: v.opt("submitTolerations", |t| {
                serde_json::from_str(t).map_err(|e| e.to_string())
            })?,
            image_pull_secrets: v.list("submitImagePullSecrets"),
            deadline: v.limit("submitPodDeadline")?,
            template_file: v.text("submitPodTemplateFile"),
        };
        let alerts = AlertSettings {
            sinks: v
                .opt("alertSinks", super::sinks::parse)?
                .unwrap_or_default(),
            links: v.map("alertLinks"),
            flush_timeout: v.duration("alertFlushTimeout")?,
            rate_limit: v.number("alertRateLimit")?,
        };
        let fleet = FleetSettings {
            fleet: v.opt("fleet", crate::resolve::fleet::Fleet::parse)?,
            policy: v.read("fleetPolicy", |t| {
                crate::resolve::fleet::Policy::parse(t)
                    .ok_or_else(|| registry::Kind::choices(&["weighted", "priority", "headroom"]))
            })?,
            cluster: v.text("cluster"),
            clusters: v
                .list("clusters")
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            cluster_selector: v.text("clusterSelector"),
            probe_timeout: v.duration("probeTimeout")?,
            health_ttl: v.duration("healthTtl")?,
            circuit_failures: v.number("circuitFailures")?,
            circuit_cool_down: v.duration("circuitCoolDown")?,
            failover_on_unknown: v.bool("failoverOnUnknown")?,
            spill_after: v.limit("queueSpillAfter")?,
        };
        let session = SessionSettings {
            queue_timeout: v.limit("sessionQueueTimeout")?,
            reattach_grace: v.duration("sessionReattachGrace")?,
            keep_pod: v.bool("sessionKeepPod")?,
            idle_timeout: v.limit("sessionIdleTimeout")?,
            idle_warning: v.duration("sessionIdleWarning")?,
            cancel_jobs_port: None,
        };
        let report = ReportSettings {
            voice: crate::report::Voice {
                quiet: v.bool("quiet")?,
                level: v.read("logLevel", |t| {
                    crate::report::Level::parse(t)
                        .ok_or_else(|| registry::Kind::choices(&crate::report::Level::NAMES))
                })?,
                json: v.read("logFormat", |t| match t {
                    "text" => Ok(false),
                    "json" => Ok(true),
                    _ => Err(registry::Kind::choices(&["text", "json"])),
                })?,
            },
            output: v.read("output", |t| {
                crate::report::Format::parse(t)
                    .ok_or_else(|| registry::Kind::choices(&["text", "json", "yaml", "wide"]))
            })?,
            log_dir: v.text("logDir").map(std::path::PathBuf::from),
            ui_port: None,
            ui_ingress: ui_ingress(&v, &job, &fleet)?,
            prices: v
                .opt("prices", super::prices::Prices::parse)?
                .unwrap_or_default(),
        };
        priced_clusters_exist(&report.prices, fleet.fleet.as_ref())?;
        Ok(Typed {
            job,
            queue,
            timeouts,
            submit_pod,
            alerts,
            fleet,
            session,
            report,
        })
    }

    /// The groups as an interactive session reads them: it waits in the queue for
    /// `sessionQueueTimeout` (not `queueTimeout`), and neither `runTimeout` nor
    /// `submitPodDeadline` applies (a session lives as long as it is used; the idle timeout
    /// ends an abandoned one).
    pub fn for_session(mut self) -> Typed {
        self.queue.timeout = self.session.queue_timeout;
        self.queue.timeout_setting = "sessionQueueTimeout";
        self.timeouts.run = None;
        self.submit_pod.deadline = None;
        self
    }
}
