//! queue: holds the job until the namespace has room: its ticket (a Lease, renewed as a
//! heartbeat), the quotas and the other launchers' tickets (watched, never polled), and the FIFO
//! decision of [`admit`].

pub mod admit;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use serde::de::DeserializeOwned;

use crate::follow::progress::Progress;
use crate::plan::{JOB_ID_LABEL, JobPlan, QUEUE_LABEL};
use crate::resolve::Settings;
use crate::submit::{self, JobError, Target, code};
use admit::{Amounts, QueueLimit, Quota, Ticket, Verdict};

/// Label on every ticket Lease.
pub const TICKET_LABEL: &str = "spark-k8s-cli/ticket";
const STATE: &str = "spark-k8s-cli/state";
const DEMAND: &str = "spark-k8s-cli/demand";
const PRIORITY: &str = "spark-k8s-cli/priority";

/// The Lease that is a job's ticket.
pub fn ticket_name(job_id: &str) -> String {
    format!("{job_id}-ticket")
}

/// What the queue needs from the settings.
#[derive(Clone, Debug)]
pub struct QueueConfig {
    pub queue: String,
    pub priority: i32,
    pub timeout: Option<Duration>,
    pub heartbeat: Duration,
    pub limits: BTreeMap<String, QueueLimit>,
}

impl QueueConfig {
    pub fn from_settings(s: &Settings) -> QueueConfig {
        let secs = |name: &str| {
            s.text(name)
                .and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|v| *v > 0.0)
                .map(Duration::from_secs_f64)
        };
        let mut limits: BTreeMap<String, QueueLimit> = BTreeMap::new();
        for (q, v) in s.map("queueMaxRunning") {
            limits.entry(q).or_default().max_running = v.trim().parse().ok();
        }
        for (q, v) in s.map("queueMaxCores") {
            limits.entry(q).or_default().max_cpu = admit::parse_quantity(&v);
        }
        for (q, v) in s.map("queueMaxMemory") {
            limits.entry(q).or_default().max_memory = admit::parse_quantity(&v);
        }
        QueueConfig {
            queue: s.text("queue").unwrap_or_else(|| "default".into()),
            priority: s
                .text("queuePriority")
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or(0),
            timeout: secs("queueTimeout"),
            heartbeat: secs("queueHeartbeat").unwrap_or(Duration::from_secs(30)),
            limits,
        }
    }
}

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

fn micro_time(us: i64) -> MicroTime {
    MicroTime(
        k8s_openapi::jiff::Timestamp::from_microsecond(us)
            .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH),
    )
}

fn us_of(t: &Option<MicroTime>) -> i64 {
    t.as_ref().map_or(0, |t| t.0.as_microsecond())
}

/// A ticket is live while its holder renews it.
fn live(l: &Lease, now: i64) -> bool {
    let Some(spec) = &l.spec else { return false };
    let renewed = us_of(&spec.renew_time).max(us_of(&spec.acquire_time));
    let lease = i64::from(spec.lease_duration_seconds.unwrap_or(30)) * 1_000_000;
    renewed + lease > now
}

fn expires_at(l: &Lease) -> i64 {
    let spec = l.spec.clone().unwrap_or_default();
    us_of(&spec.renew_time).max(us_of(&spec.acquire_time))
        + i64::from(spec.lease_duration_seconds.unwrap_or(30)) * 1_000_000
}

fn to_ticket(l: &Lease) -> Ticket {
    let ann = l.metadata.annotations.clone().unwrap_or_default();
    let labels = l.metadata.labels.clone().unwrap_or_default();
    let demand: Amounts = ann
        .get(DEMAND)
        .and_then(|d| serde_json::from_str::<BTreeMap<String, String>>(d).ok())
        .map(|m| {
            m.into_iter()
                .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
                .collect()
        })
        .unwrap_or_default();
    Ticket {
        job_id: labels.get(JOB_ID_LABEL).cloned().unwrap_or_default(),
        queue: labels.get(QUEUE_LABEL).cloned().unwrap_or_default(),
        priority: ann.get(PRIORITY).and_then(|p| p.parse().ok()).unwrap_or(0),
        enqueued_us: us_of(&l.spec.as_ref().and_then(|s| s.acquire_time.clone())),
        admitted: ann.get(STATE).map(String::as_str) == Some("admitted"),
        reserved: demand.clone(),
        demand,
    }
}

/// What one pod counts against a quota (requests, limits, the pod itself).
pub fn pod_amounts(p: &Pod) -> Amounts {
    let mut a = Amounts::new();
    let Some(spec) = &p.spec else { return a };
    for c in &spec.containers {
        let r = c.resources.clone().unwrap_or_default();
        for (kind, map) in [("requests", r.requests), ("limits", r.limits)] {
            for (res, q) in map.unwrap_or_default() {
                let v = admit::parse_quantity(&q.0).unwrap_or(0);
                *a.entry(format!("{kind}.{res}")).or_default() += v;
                if kind == "requests" {
                    *a.entry(res).or_default() += v;
                }
            }
        }
    }
    a.insert("pods".into(), 1000);
    a.insert("count/pods".into(), 1000);
    a
}

fn terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// A list kept current by one watch: resumed from its resourceVersion, relisted on 410.
struct Mirror<K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static> {
    api: Api<K>,
    selector: String,
    items: BTreeMap<String, K>,
    rv: String,
    stream: Option<futures::stream::BoxStream<'static, kube::Result<WatchEvent<K>>>>,
}

impl<K> Mirror<K>
where
    K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    async fn new(api: Api<K>, selector: &str) -> kube::Result<Mirror<K>> {
        let mut m = Mirror {
            api,
            selector: selector.to_string(),
            items: BTreeMap::new(),
            rv: String::new(),
            stream: None,
        };
        m.relist().await?;
        Ok(m)
    }

    async fn relist(&mut self) -> kube::Result<()> {
        let list = self
            .api
            .list(&ListParams::default().labels(&self.selector))
            .await?;
        self.items = list
            .items
            .into_iter()
            .map(|o| (o.meta().name.clone().unwrap_or_default(), o))
            .collect();
        self.rv = list.metadata.resource_version.unwrap_or_default();
        self.stream = None;
        Ok(())
    }

    /// Opens the watch if it is not open (awaited outside any `select!`: an open cancelled
    /// half-way would be lost and the mirror would go deaf).
    async fn open(&mut self) {
        if self.stream.is_some() {
            return;
        }
        let wp = WatchParams::default().labels(&self.selector).timeout(290);
        match self.api.watch(&wp, &self.rv).await {
            Ok(s) => self.stream = Some(s.boxed()),
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let _ = self.relist().await;
            }
        }
    }

    /// The next event (cancel-safe: the stream stays in the mirror).
    async fn next(&mut self) -> Option<kube::Result<WatchEvent<K>>> {
        match self.stream.as_mut() {
            Some(s) => s.next().await,
            None => std::future::pending().await,
        }
    }

    /// Applies what [`Mirror::next`] returned, and whatever else is already there.
    async fn apply(&mut self, first: Option<kube::Result<WatchEvent<K>>>) {
        let mut item = first;
        loop {
            match item {
                Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o))) => {
                    if let Some(v) = o.meta().resource_version.clone() {
                        self.rv = v;
                    }
                    self.items
                        .insert(o.meta().name.clone().unwrap_or_default(), o);
                }
                Some(Ok(WatchEvent::Deleted(o))) => {
                    if let Some(v) = o.meta().resource_version.clone() {
                        self.rv = v;
                    }
                    self.items
                        .remove(o.meta().name.as_deref().unwrap_or_default());
                }
                Some(Ok(WatchEvent::Bookmark(b))) => self.rv = b.metadata.resource_version,
                Some(Ok(WatchEvent::Error(e))) if e.code == 410 => {
                    if self.relist().await.is_err() {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                    return;
                }
                Some(Ok(WatchEvent::Error(_))) | Some(Err(_)) | None => {
                    self.stream = None;
                    return;
                }
            }
            match self
                .stream
                .as_mut()
                .map(|s| futures::FutureExt::now_or_never(s.next()))
            {
                Some(Some(next)) => item = next,
                _ => return,
            }
        }
    }
}

/// A job's place in the queue; renewed in the background until released.
pub struct TicketHold {
    api: Api<Lease>,
    name: String,
    renewer: tokio::task::JoinHandle<()>,
}

impl TicketHold {
    /// Gives the place back (the job is over).
    pub async fn release(self) {
        self.renewer.abort();
        let _ = self.api.delete(&self.name, &DeleteParams::default()).await;
    }

    /// Returns to waiting, keeping the place (the create met a full quota after all); the
    /// next [`wait_for_room`] takes the ticket over again.
    pub async fn requeue(self) {
        self.renewer.abort();
        let patch = serde_json::json!({"metadata": {"annotations": {STATE: "waiting"}}});
        let _ = self
            .api
            .patch(&self.name, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
    }
}

/// Deletes a job's ticket (an interrupted launcher).
pub async fn delete_ticket(target: &Target, job_id: &str) {
    let api: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let _ = api
        .delete(&ticket_name(job_id), &DeleteParams::default())
        .await;
}

/// Exit code when `spark.k8scli.queueTimeout` passes.
pub const QUEUE_TIMEOUT: u8 = 5;

fn err(message: String) -> JobError {
    JobError::new(code::SUBMIT_FAILED, message)
}

/// Waits until the job may be created. `None`: nothing limits this namespace or queue, so the
/// job goes at once without a ticket.
pub async fn wait_for_room(
    target: &Target,
    plan: &JobPlan,
    cfg: &QueueConfig,
    progress: &Progress,
) -> Result<Option<TicketHold>, JobError> {
    let quotas_api: Api<ResourceQuota> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut quotas = Mirror::new(quotas_api, "").await.map_err(|e| {
        err(format!(
            "Cannot read the namespace's quotas: {}",
            submit::message_of(&e)
        ))
    })?;
    if quotas.items.is_empty() && !cfg.limits.contains_key(&cfg.queue) {
        return Ok(None);
    }
    let tracks_cpu_limits = quotas.items.values().any(|q| {
        q.spec
            .as_ref()
            .and_then(|s| s.hard.as_ref())
            .is_some_and(|h| h.contains_key("limits.cpu"))
    });
    let default_cpu_limit = if tracks_cpu_limits {
        default_cpu_limit(target).await
    } else {
        None
    };
    let demand = admit::job_amounts(&plan.demand, default_cpu_limit);
    let read_quotas = |m: &Mirror<ResourceQuota>| -> Vec<Quota> {
        m.items
            .values()
            .map(|q| {
                let amounts = |m: Option<
                    &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
                >|
                 -> Amounts {
                    m.into_iter()
                        .flatten()
                        .filter_map(|(k, v)| Some((k.clone(), admit::parse_quantity(&v.0)?)))
                        .collect()
                };
                Quota {
                    name: q.metadata.name.clone().unwrap_or_default(),
                    hard: amounts(q.spec.as_ref().and_then(|s| s.hard.as_ref())),
                    used: amounts(q.status.as_ref().and_then(|s| s.used.as_ref())),
                }
            })
            .collect()
    };
    if let Some(why) = admit::never_fits(&demand, &read_quotas(&quotas)) {
        return Err(err(format!(
            "The job can never start in namespace {}: {why}. Ask for more quota or make the job smaller (executors, memory, cores).",
            target.namespace
        )));
    }

    // The ticket: a place in line that keeps its enqueue time across re-runs and re-queues.
    let leases: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let name = ticket_name(&plan.job_id);
    let holder = format!(
        "{}/{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "launcher".into()),
        std::process::id()
    );
    let now = now_us();
    let demand_json = serde_json::to_string(
        &demand
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
    .unwrap_or_default();
    let lease = Lease {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            labels: Some(BTreeMap::from([
                (TICKET_LABEL.to_string(), "true".to_string()),
                (JOB_ID_LABEL.to_string(), plan.job_id.clone()),
                (QUEUE_LABEL.to_string(), cfg.queue.clone()),
            ])),
            annotations: Some(BTreeMap::from([
                (STATE.to_string(), "waiting".to_string()),
                (DEMAND.to_string(), demand_json),
                (PRIORITY.to_string(), cfg.priority.to_string()),
            ])),
            ..Default::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(holder.clone()),
            lease_duration_seconds: Some(cfg.heartbeat.as_secs().max(1) as i32),
            acquire_time: Some(micro_time(now)),
            renew_time: Some(micro_time(now)),
            ..Default::default()
        }),
    };
    let policy = submit::retry::Policy::default();
    let pp = PostParams::default();
    match submit::with_retries(&policy, "create ticket", || leases.create(&pp, &lease)).await {
        Ok(_) => {}
        // A re-run with the same job id: take the ticket over, keeping its place.
        Err((submit::retry::Decision::Exists, _)) => {
            let patch = serde_json::json!({"spec": {"holderIdentity": holder, "renewTime": micro_time(now_us())}});
            let _ = leases
                .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                .await;
        }
        Err((_, e)) => {
            return Err(err(format!(
                "Cannot create the job's queue ticket (a Lease) in {}: {}",
                target.namespace,
                submit::message_of(&e)
            )));
        }
    }
    let renewer = {
        let api = leases.clone();
        let name = name.clone();
        let every = cfg.heartbeat / 3;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let patch = serde_json::json!({"spec": {"renewTime": micro_time(now_us())}});
                let _ = api
                    .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await;
            }
        })
    };
    let hold = TicketHold {
        api: leases.clone(),
        name: name.clone(),
        renewer,
    };
    match wait_admitted(
        target,
        plan,
        cfg,
        progress,
        &mut quotas,
        &leases,
        &name,
        read_quotas,
    )
    .await
    {
        Ok(()) => Ok(Some(hold)),
        Err(e) => {
            hold.release().await;
            Err(e)
        }
    }
}

/// A LimitRange's default CPU limit for containers, if the namespace has one.
async fn default_cpu_limit(target: &Target) -> Option<u64> {
    let api: Api<LimitRange> = Api::namespaced(target.client.clone(), &target.namespace);
    let list = api.list(&ListParams::default()).await.ok()?;
    list.items.iter().find_map(|lr| {
        lr.spec.as_ref()?.limits.iter().find_map(|l| {
            (l.type_ == "Container")
                .then(|| l.default.as_ref()?.get("cpu"))
                .flatten()
                .and_then(|q| admit::parse_quantity(&q.0))
                .map(|m| m as u64)
        })
    })
}

#[allow(clippy::too_many_arguments)] // one caller: wait_for_room, split for its clean-up
async fn wait_admitted(
    target: &Target,
    plan: &JobPlan,
    cfg: &QueueConfig,
    progress: &Progress,
    quotas: &mut Mirror<ResourceQuota>,
    leases: &Api<Lease>,
    name: &str,
    read_quotas: impl Fn(&Mirror<ResourceQuota>) -> Vec<Quota>,
) -> Result<(), JobError> {
    let mut tickets = Mirror::new(leases.clone(), &format!("{TICKET_LABEL}=true"))
        .await
        .map_err(|e| err(format!("Cannot read the queue: {}", submit::message_of(&e))))?;
    let pods_api: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut pods = Mirror::new(pods_api, JOB_ID_LABEL).await.map_err(|e| {
        err(format!(
            "Cannot read the job pods: {}",
            submit::message_of(&e)
        ))
    })?;
    let start = Instant::now();
    let mut shown: Option<(usize, String)> = None;
    loop {
        let now = now_us();
        let mut usage: BTreeMap<String, Amounts> = BTreeMap::new();
        let mut queue_of: BTreeMap<String, String> = BTreeMap::new();
        for p in pods.items.values().filter(|p| !terminal(p)) {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            let job = labels.get(JOB_ID_LABEL).cloned().unwrap_or_default();
            if let Some(q) = labels.get(QUEUE_LABEL) {
                queue_of.insert(job.clone(), q.clone());
            }
            let u = usage.entry(job).or_default();
            for (k, v) in pod_amounts(p) {
                *u.entry(k).or_default() += v;
            }
        }
        let mut view: Vec<Ticket> = Vec::new();
        let mut next_expiry: Option<i64> = None;
        for l in tickets.items.values() {
            if !live(l, now) {
                // The launcher is gone: its place is free (whoever sees it first deletes it).
                let _ = leases
                    .delete(
                        l.metadata.name.as_deref().unwrap_or_default(),
                        &DeleteParams::default().preconditions(kube::api::Preconditions {
                            resource_version: l.metadata.resource_version.clone(),
                            uid: None,
                        }),
                    )
                    .await;
                continue;
            }
            let e = expires_at(l);
            next_expiry = Some(next_expiry.map_or(e, |n: i64| n.min(e)));
            let mut t = to_ticket(l);
            if t.admitted {
                let used = usage.get(&t.job_id).cloned().unwrap_or_default();
                t.reserved = t
                    .demand
                    .iter()
                    .map(|(k, v)| (k.clone(), (v - used.get(k).copied().unwrap_or(0)).max(0)))
                    .collect();
            }
            view.push(t);
        }
        // Jobs that still run without a live ticket (their launcher died) count for their queue.
        let orphans: Vec<(String, i128, i128)> = usage
            .iter()
            .filter(|(job, _)| !view.iter().any(|t| &t.job_id == *job))
            .filter_map(|(job, u)| {
                Some((
                    queue_of.get(job)?.clone(),
                    u.get("requests.cpu").copied().unwrap_or(0),
                    u.get("requests.memory").copied().unwrap_or(0),
                ))
            })
            .collect();
        match admit::decide(
            &plan.job_id,
            &view,
            &read_quotas(quotas),
            &cfg.limits,
            &orphans,
        ) {
            Verdict::Admit => {
                let patch = serde_json::json!({"metadata": {"annotations": {STATE: "admitted"}}});
                leases
                    .patch(name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await
                    .map_err(|e| {
                        err(format!(
                            "Cannot update the job's ticket: {}",
                            submit::message_of(&e)
                        ))
                    })?;
                if shown.is_some() {
                    progress.note(&format!(
                        "job {}: admitted after {:.1} s in queue {}",
                        plan.job_id,
                        start.elapsed().as_secs_f64(),
                        cfg.queue
                    ));
                }
                return Ok(());
            }
            Verdict::Wait { position, why } => {
                if shown.as_ref().map(|s| s.0) != Some(position) {
                    progress.set(&crate::follow::progress::Phase::Queued {
                        position,
                        queue: cfg.queue.clone(),
                        why: why.clone(),
                    });
                    shown = Some((position, why));
                }
            }
        }
        if let Some(t) = cfg.timeout
            && start.elapsed() >= t
        {
            return Err(JobError::new(
                QUEUE_TIMEOUT,
                format!(
                    "Queue timeout: job {} waited {} s in queue {} (spark.k8scli.queueTimeout) and did not start: {}.",
                    plan.job_id,
                    t.as_secs(),
                    cfg.queue,
                    shown.map(|s| s.1).unwrap_or_default()
                ),
            ));
        }
        // Wake on any change, a ticket's expiry, or the timeout.
        let mut wake = Duration::from_secs(60);
        if let Some(e) = next_expiry {
            wake = wake.min(Duration::from_micros((e - now).max(0) as u64 + 1000));
        }
        if let Some(t) = cfg.timeout {
            wake = wake.min(t.saturating_sub(start.elapsed()));
        }
        tickets.open().await;
        quotas.open().await;
        pods.open().await;
        tokio::select! {
            e = tickets.next() => tickets.apply(e).await,
            e = quotas.next() => quotas.apply(e).await,
            e = pods.next() => pods.apply(e).await,
            _ = tokio::time::sleep(wake) => {}
        }
    }
}

/// One ticket in `spark-k8s-cli queue`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct QueueRow {
    pub job_id: String,
    pub queue: String,
    /// `admitted` or `waiting`.
    pub state: String,
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
        .list(&ListParams::default().labels(&format!("{TICKET_LABEL}=true")))
        .await
        .map_err(|e| {
            err(format!(
                "Cannot list the queue's tickets: {}",
                submit::message_of(&e)
            ))
        })?;
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
        let amount = |r: &str| admit::format_amount(r, t.demand.get(r).copied().unwrap_or(0));
        out.push(QueueRow {
            state: if t.admitted { "admitted" } else { "waiting" }.into(),
            position: pos,
            priority: t.priority,
            cpu: amount("requests.cpu"),
            memory: amount("requests.memory"),
            pods: amount("pods"),
            enqueued: crate::follow::progress::timestamp(
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
    Ok(out)
}

pub fn table(rows: &[QueueRow]) -> String {
    crate::follow::ops::columns(
        &[
            "JOB ID", "QUEUE", "STATE", "POSITION", "PRIORITY", "CPU", "MEMORY", "PODS",
            "ENQUEUED", "HOLDER",
        ],
        rows.iter()
            .map(|r| {
                vec![
                    r.job_id.clone(),
                    r.queue.clone(),
                    r.state.clone(),
                    r.position.map_or("-".into(), |p| p.to_string()),
                    r.priority.to_string(),
                    r.cpu.clone(),
                    r.memory.clone(),
                    r.pods.clone(),
                    r.enqueued.clone(),
                    r.holder.clone(),
                ]
            })
            .collect(),
    )
}
