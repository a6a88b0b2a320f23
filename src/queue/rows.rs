//! `spark-k8s-cli queue`: every live ticket with its place, and the jobs without a launcher.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

use super::admit::Ticket;
use super::err;
use super::objects::{jobs_of, orphans};
use super::ticket::{live, now_us, selector, to_ticket};
use crate::cluster::Target;
use crate::outcome::JobError;
use crate::plan::JOB_ID_LABEL;
use crate::plan::quota::format_amount;

/// One ticket in `spark-k8s-cli queue`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct QueueRow {
    /// The fleet cluster it waits or runs on (empty outside a fleet).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    pub namespace: String,
    pub job_id: String,
    pub queue: String,
    /// `admitted`, `waiting`, or `running, no launcher` (a job whose launcher is gone).
    pub state: String,
    /// What else there is to know: the pods of a job without a launcher.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Place among the waiting tickets (0: next), in serving order; none once admitted.
    pub position: Option<usize>,
    pub priority: i32,
    pub cpu: String,
    pub memory: String,
    pub pods: String,
    pub enqueued: String,
    pub holder: String,
}

/// Every launcher's live tickets in the namespace: admitted first, then waiting in serving order.
pub async fn rows(target: &Target, queue: Option<&str>) -> Result<Vec<QueueRow>, JobError> {
    let api: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let list = api
        .list(&ListParams::default().labels(&selector()))
        .await
        .map_err(
            |e| err(target.failure(&e, |m| format!("Cannot list the queue's tickets: {m}"))),
        )?;
    let now = now_us();
    let live: Vec<&Lease> = list.items.iter().filter(|l| live(l, now)).collect();
    let mut tickets: Vec<(Ticket, &Lease)> = live.iter().map(|l| (to_ticket(l), *l)).collect();
    tickets.sort_by(|a, b| {
        b.0.admitted
            .cmp(&a.0.admitted)
            .then(b.0.priority.cmp(&a.0.priority))
            .then(a.0.enqueued_us.cmp(&b.0.enqueued_us))
            .then(a.0.job_id.cmp(&b.0.job_id))
    });
    let mut position = 0;
    let mut out = Vec::new();
    for (t, l) in tickets {
        let pos = (!t.admitted).then(|| {
            position += 1;
            position - 1
        });
        if queue.is_some_and(|q| q != t.queue) {
            continue;
        }
        let amount = |r: &str| format_amount(r, t.demand.get(r).copied().unwrap_or(0));
        out.push(QueueRow {
            cluster: String::new(),
            namespace: target.namespace.clone(),
            state: if t.admitted { "admitted" } else { "waiting" }.into(),
            detail: String::new(),
            position: pos,
            priority: t.priority,
            cpu: amount("requests.cpu"),
            memory: amount("requests.memory"),
            pods: amount("pods"),
            enqueued: crate::report::progress::timestamp(
                std::time::UNIX_EPOCH + Duration::from_micros(t.enqueued_us.max(0) as u64),
            ),
            holder: l
                .spec
                .as_ref()
                .and_then(|s| s.holder_identity.clone())
                .unwrap_or_default(),
            job_id: t.job_id,
            queue: t.queue,
        });
    }
    // Jobs that run without a launcher count against their queue too: shown, with their pods.
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let listed = pods
        .list(&ListParams::default().labels(JOB_ID_LABEL))
        .await
        .map_err(|e| err(target.failure(&e, |m| format!("Cannot list the jobs' pods: {m}"))))?;
    let mut jobs = jobs_of(listed.items.iter());
    jobs.retain(|job, _| !live.iter().any(|l| to_ticket(l).job_id == *job));
    for o in orphans(jobs) {
        if queue.is_some_and(|q| q != o.queue) {
            continue;
        }
        out.push(QueueRow {
            cluster: String::new(),
            namespace: target.namespace.clone(),
            job_id: o.job,
            queue: o.queue,
            state: "running, no launcher".into(),
            detail: format!("pods {}", o.pods.join(", ")),
            position: None,
            priority: 0,
            cpu: format_amount("requests.cpu", o.cpu),
            memory: format_amount("requests.memory", o.memory),
            pods: o.pods.len().to_string(),
            enqueued: String::new(),
            holder: String::new(),
        });
    }
    Ok(out)
}

/// The table `queue` prints; a job without a launcher shows its pods where the holder goes.
pub fn table(rows: &[QueueRow]) -> String {
    crate::report::table::of_rows(rows, COLUMNS)
}

/// The table `queue -o wide` prints: the namespace, and the holder and the detail apart.
pub fn wide_table(rows: &[QueueRow]) -> String {
    crate::report::table::wide(rows, COLUMNS)
}

const COLUMNS: &[&str] = &[
    "cluster",
    "job_id",
    "queue",
    "state",
    "position",
    "priority",
    "cpu",
    "memory",
    "pods",
    "enqueued",
    "detail|holder",
];
