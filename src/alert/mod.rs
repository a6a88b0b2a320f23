//! alert: the job events the stages observe, told on stderr and recorded as Kubernetes Events.

use std::time::SystemTime;

use k8s_openapi::api::core::v1::{Event as KubeEvent, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::{Api, PostParams};

use crate::submit::Target;

/// What happened to a job. The alerting issue adds sinks (webhook, Slack, a command) and the
/// other kinds; each kind's name is the `event` field of the payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The job waited `spark.k8scli.queue.timeout` in its queue and did not start.
    QueueTimeout,
    /// The job moved to another cluster of the fleet before it had a driver.
    Failover,
    /// A fleet cluster's circuit opened: it is skipped until its cool-down passes.
    CircuitOpened,
}

impl Kind {
    /// The Kubernetes Event reason (CamelCase, as the kubelet's own reasons).
    pub fn reason(self) -> &'static str {
        match self {
            Kind::QueueTimeout => "QueueTimeout",
            Kind::Failover => "Failover",
            Kind::CircuitOpened => "CircuitOpened",
        }
    }

    pub fn severity(self) -> &'static str {
        match self {
            Kind::QueueTimeout | Kind::Failover | Kind::CircuitOpened => "warning",
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
    pub message: String,
    /// Seconds the job waited or ran, as the kind says.
    pub seconds: f64,
    /// RFC 3339, UTC.
    pub time: String,
    #[serde(skip)]
    pub subject: Option<Subject>,
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
            message,
            seconds: 0.0,
            time: crate::follow::progress::timestamp(SystemTime::now()),
            subject: None,
        }
    }

    /// The one line the log sink writes.
    pub fn log_line(&self) -> String {
        format!(
            "spark-k8s-cli: event {}: {}",
            serde_json::to_value(self.event)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            serde_json::to_string(self).unwrap_or_default()
        )
    }
}

/// Tells of `event` where no cluster can record it: the line on stderr only.
pub fn raise_local(event: &Event) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{}", event.log_line());
}

/// Tells of `event`: one line on stderr, and a Kubernetes Event on its subject so cluster
/// monitoring sees it too. Never fails the job: a cluster that refuses the Event is let be.
pub async fn raise(target: &Target, event: &Event) {
    raise_local(event);
    let Some(subject) = &event.subject else {
        return;
    };
    let now = k8s_openapi::jiff::Timestamp::now();
    let record = KubeEvent {
        metadata: ObjectMeta {
            generate_name: Some(format!("{}.", subject.name)),
            namespace: Some(target.namespace.clone()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            api_version: Some(subject.api_version.clone()),
            kind: Some(subject.kind.clone()),
            name: Some(subject.name.clone()),
            namespace: Some(target.namespace.clone()),
            ..Default::default()
        },
        reason: Some(event.event.reason().into()),
        message: Some(event.message.clone()),
        type_: Some("Warning".into()),
        source: Some(EventSource {
            component: Some("spark-k8s-cli".into()),
            host: None,
        }),
        reporting_component: Some("spark-k8s-cli".into()),
        reporting_instance: Some(std::env::var("HOSTNAME").unwrap_or_default()),
        first_timestamp: Some(Time(now)),
        last_timestamp: Some(Time(now)),
        count: Some(1),
        ..Default::default()
    };
    let api: Api<KubeEvent> = Api::namespaced(target.client.clone(), &target.namespace);
    let _ = api.create(&PostParams::default(), &record).await;
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
