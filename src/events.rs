//! events: what happens to a job (the [`Kind`]s, the [`Event`] payload every sink receives)
//! and the seam the stages tell of it through ([`raise`], [`raise_local`]). Below every stage:
//! queue, follow and the fleet raise events here; `alert` delivers them (the line on stderr,
//! the Kubernetes Event, the sinks) once `cli` has installed it as the [`Teller`].

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::SystemTime;

use crate::cluster::Target;

/// What happened to a job; each kind's name is the `event` field of the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The submission failed after its retries (exit 3): the cluster refused it, or the
    /// in-pod spark-submit failed before creating the driver.
    SubmissionFailed,
    /// A container of the job cannot be created: ErrImagePull, ImagePullBackOff,
    /// InvalidImageName, CreateContainerConfigError.
    ContainerCreationFailed,
    /// The driver failed before it ran (ended before Running, or CrashLoopBackOff).
    StartupFailed,
    /// A pod of the job stayed unschedulable past `spark.k8scli.startupTimeout`.
    PendingTooLong,
    /// The job waited `spark.k8scli.queue.timeout` in its queue and did not start.
    QueueTimeout,
    /// The driver ran past `spark.k8scli.run.timeout`.
    RunTimeout,
    /// The driver ended with a non-zero exit code.
    DriverFailed,
    /// A container of the driver was OOMKilled.
    OomKilled,
    /// The job moved to another cluster of the fleet before it had a driver.
    Failover,
    /// A fleet cluster's circuit opened: it is skipped until its cool-down passes.
    CircuitOpened,
    /// The driver ended with exit code 0 (sinks take it only when they list it).
    JobSucceeded,
    /// The job's cluster did not answer for `spark.k8scli.clusterLostTimeout` while the job
    /// was followed (exit 7): its outcome is unknown.
    ClusterLost,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::SubmissionFailed,
        Kind::ContainerCreationFailed,
        Kind::StartupFailed,
        Kind::PendingTooLong,
        Kind::QueueTimeout,
        Kind::RunTimeout,
        Kind::DriverFailed,
        Kind::OomKilled,
        Kind::Failover,
        Kind::CircuitOpened,
        Kind::JobSucceeded,
        Kind::ClusterLost,
    ];

    /// The payload's `event`: `driver-failed`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::SubmissionFailed => "submission-failed",
            Kind::ContainerCreationFailed => "container-creation-failed",
            Kind::StartupFailed => "startup-failed",
            Kind::PendingTooLong => "pending-too-long",
            Kind::QueueTimeout => "queue-timeout",
            Kind::RunTimeout => "run-timeout",
            Kind::DriverFailed => "driver-failed",
            Kind::OomKilled => "oom-killed",
            Kind::Failover => "failover",
            Kind::CircuitOpened => "circuit-opened",
            Kind::JobSucceeded => "job-succeeded",
            Kind::ClusterLost => "cluster-lost",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// For people: "Driver failed".
    pub fn title(self) -> &'static str {
        match self {
            Kind::SubmissionFailed => "Submission failed",
            Kind::ContainerCreationFailed => "Container cannot be created",
            Kind::StartupFailed => "Driver failed at start-up",
            Kind::PendingTooLong => "Pending too long",
            Kind::QueueTimeout => "Queue timeout",
            Kind::RunTimeout => "Run timeout",
            Kind::DriverFailed => "Driver failed",
            Kind::OomKilled => "Driver OOMKilled",
            Kind::Failover => "Moved to another cluster",
            Kind::CircuitOpened => "Cluster circuit opened",
            Kind::JobSucceeded => "Job succeeded",
            Kind::ClusterLost => "Cluster lost",
        }
    }

    /// The Kubernetes Event reason (CamelCase, as the kubelet's own reasons).
    pub fn reason(self) -> &'static str {
        match self {
            Kind::SubmissionFailed => "SubmissionFailed",
            Kind::ContainerCreationFailed => "ContainerCreationFailed",
            Kind::StartupFailed => "StartupFailed",
            Kind::PendingTooLong => "PendingTooLong",
            Kind::QueueTimeout => "QueueTimeout",
            Kind::RunTimeout => "RunTimeout",
            Kind::DriverFailed => "DriverFailed",
            Kind::OomKilled => "OOMKilled",
            Kind::Failover => "Failover",
            Kind::CircuitOpened => "CircuitOpened",
            Kind::JobSucceeded => "JobSucceeded",
            Kind::ClusterLost => "ClusterLost",
        }
    }

    pub fn severity(self) -> &'static str {
        match self {
            Kind::SubmissionFailed
            | Kind::ContainerCreationFailed
            | Kind::StartupFailed
            | Kind::DriverFailed
            | Kind::OomKilled
            | Kind::RunTimeout
            | Kind::ClusterLost => "error",
            Kind::PendingTooLong | Kind::QueueTimeout | Kind::Failover | Kind::CircuitOpened => {
                "warning"
            }
            Kind::JobSucceeded => "info",
        }
    }
}

/// The Kubernetes object an event is about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Subject {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// One job event: the payload every sink receives.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Event {
    pub event: Kind,
    pub severity: &'static str,
    pub job_id: String,
    pub app_name: String,
    pub queue: String,
    /// The API server.
    pub cluster: String,
    pub namespace: String,
    /// A failover's clusters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_cluster: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_cluster: Option<String>,
    /// The job's pods the event is about.
    pub pods: Vec<String>,
    /// The pod's phase, when the event is about a pod.
    pub phase: Option<String>,
    /// The Kubernetes reason behind it (`ErrImagePull`, `Unschedulable`, `OOMKilled`…).
    pub reason: Option<String>,
    /// The pod's last Kubernetes events, oldest first (`Warning Failed: …`).
    pub last_events: Vec<String>,
    pub message: String,
    /// Seconds the job waited or ran, as the kind says.
    pub seconds: f64,
    /// Links from `alertLinks` (Spark UI, logs…), filled in for this job.
    pub links: std::collections::BTreeMap<String, String>,
    /// Like events held back by the rate limit in the last minute, summarised here.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: u32,
    /// RFC 3339, UTC.
    pub time: String,
    #[serde(skip)]
    pub subject: Option<Subject>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Event {
    pub fn new(kind: Kind, job_id: &str, message: String) -> Event {
        Event {
            event: kind,
            severity: kind.severity(),
            job_id: job_id.into(),
            app_name: String::new(),
            queue: String::new(),
            cluster: String::new(),
            namespace: String::new(),
            from_cluster: None,
            to_cluster: None,
            pods: Vec::new(),
            phase: None,
            reason: None,
            last_events: Vec::new(),
            message,
            seconds: 0.0,
            links: std::collections::BTreeMap::new(),
            suppressed: 0,
            time: crate::report::progress::timestamp(SystemTime::now()),
            subject: None,
        }
    }

    /// The one line the log sink writes.
    pub fn log_line(&self) -> String {
        format!(
            "spark-k8s-cli: event {}: {}",
            self.event.name(),
            serde_json::to_string(self).unwrap_or_default()
        )
    }
}

/// What tells of the stages' events: `alert`'s delivery, installed by `cli` ([`install`]).
pub trait Teller: Send + Sync {
    /// Tells of `event` where no cluster can record it.
    fn tell_local(&self, event: &Event);
    /// Tells of `event`, recording it on `target` too (as a Kubernetes Event on its subject).
    /// Never fails or blocks the job for long.
    fn tell<'a>(
        &'a self,
        target: &'a Target,
        event: &'a Event,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

static TELLER: OnceLock<&'static dyn Teller> = OnceLock::new();

/// Sets what tells of events for the rest of the process (the first call wins).
pub fn install(teller: &'static dyn Teller) {
    let _ = TELLER.set(teller);
}

/// Tells of `event` where no cluster can record it. Without a [`Teller`] installed, the line
/// on stderr only.
pub fn raise_local(event: &Event) {
    match TELLER.get() {
        Some(t) => t.tell_local(event),
        None => crate::report::say(&event.log_line()),
    }
}

/// Tells of `event` on `target`. Without a [`Teller`] installed, the line on stderr only.
pub async fn raise(target: &Target, event: &Event) {
    match TELLER.get() {
        Some(t) => t.tell(target, event).await,
        None => crate::report::say(&event.log_line()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_names_the_event_and_the_job() {
        let mut e = Event::new(Kind::QueueTimeout, "etl-1", "waited".into());
        e.queue = "etl".into();
        e.seconds = 60.0;
        let line = e.log_line();
        assert!(
            line.starts_with("spark-k8s-cli: event queue-timeout: {"),
            "{line}"
        );
        let (_, json) = line.split_once(": event queue-timeout: ").unwrap();
        let json: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(json["event"], "queue-timeout");
        assert_eq!(json["severity"], "warning");
        assert_eq!(json["job_id"], "etl-1");
        assert_eq!(json["queue"], "etl");
        assert_eq!(json["seconds"], 60.0);
        assert!(json.get("subject").is_none());
    }
}
