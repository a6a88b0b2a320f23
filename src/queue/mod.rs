//! queue: holds the job until the namespace has room: its ticket (a Lease, renewed as a
//! heartbeat), the quotas and the other launchers' tickets (watched, never polled), and the FIFO
//! decision of [`admit`].

pub mod admit;
pub mod deadline;

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;

use futures::StreamExt;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use serde::de::DeserializeOwned;

use crate::cluster::{self, Target};
use crate::outcome::JobError;
use crate::plan::{JOB_ID_LABEL, JobPlan, QUEUE_LABEL};
use crate::report::progress::Progress;
use crate::resolve::Settings;
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
    /// `queueTimeoutAction=alert`: the timeout alerts once and the job keeps waiting.
    pub timeout_alert_only: bool,
    pub heartbeat: Duration,
    pub limits: BTreeMap<String, QueueLimit>,
    /// How the queue's own requests retry transient errors. On a fleet it is short: a job
    /// waiting on a cluster that went away moves to another one (it has no pod yet) instead of
    /// waiting for that cluster to come back.
    pub retry: cluster::retry::Policy,
}

impl QueueConfig {
    pub fn from_settings(s: &Settings) -> QueueConfig {
        let q = s.queue();
        let mut limits: BTreeMap<String, QueueLimit> = BTreeMap::new();
        for (name, n) in &q.max_running {
            limits.entry(name.clone()).or_default().max_running = Some(*n);
        }
        for (name, m) in &q.max_cpu_m {
            limits.entry(name.clone()).or_default().max_cpu = Some(*m);
        }
        for (name, m) in &q.max_memory_m {
            limits.entry(name.clone()).or_default().max_memory = Some(*m);
        }
        QueueConfig {
            queue: q.name.clone(),
            priority: q.priority,
            timeout: q.timeout,
            timeout_alert_only: q.timeout_action == crate::resolve::typed::TimeoutAction::Alert,
            heartbeat: q.heartbeat,
            limits,
            retry: cluster::retry::Policy::default(),
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

/// The jobs whose launcher holds a live ticket among `leases` (the tickets of a namespace).
pub fn with_live_launcher(leases: &[Lease]) -> std::collections::BTreeSet<String> {
    let now = now_us();
    leases
        .iter()
        .filter(|l| live(l, now))
        .filter_map(|l| l.metadata.labels.as_ref()?.get(JOB_ID_LABEL).cloned())
        .collect()
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
    let admitted = ann.get(STATE).map(String::as_str) == Some("admitted");
    Ticket {
        job_id: labels.get(JOB_ID_LABEL).cloned().unwrap_or_default(),
        queue: labels.get(QUEUE_LABEL).cloned().unwrap_or_default(),
        priority: ann.get(PRIORITY).and_then(|p| p.parse().ok()).unwrap_or(0),
        enqueued_us: us_of(&l.spec.as_ref().and_then(|s| s.acquire_time.clone())),
        admitted,
        // Only admitted tickets reserve anything.
        reserved: if admitted {
            demand.clone()
        } else {
            Amounts::new()
        },
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

/// What the job's live pods use, and its queue as its driver or submit pod says.
#[derive(Debug, Default)]
struct JobUse {
    /// Set by a driver or submit pod only: executors alone do not make a running job.
    queue: Option<String>,
    usage: Amounts,
    pods: Vec<String>,
}

/// The jobs among `pods` that have live pods (by the job-id label).
fn jobs_of<'a>(pods: impl Iterator<Item = &'a Pod>) -> BTreeMap<String, JobUse> {
    let mut jobs: BTreeMap<String, JobUse> = BTreeMap::new();
    for p in pods.filter(|p| !terminal(p)) {
        let labels = p.metadata.labels.clone().unwrap_or_default();
        let job = jobs
            .entry(labels.get(JOB_ID_LABEL).cloned().unwrap_or_default())
            .or_default();
        let executor = labels.get("spark-role").map(String::as_str) == Some("executor");
        if let Some(q) = labels.get(QUEUE_LABEL)
            && !executor
        {
            job.queue = Some(q.clone());
        }
        job.pods.push(p.metadata.name.clone().unwrap_or_default());
        for (k, v) in pod_amounts(p) {
            *job.usage.entry(k).or_default() += v;
        }
    }
    jobs
}

/// The jobs without a live ticket that still run (a driver or submit pod is live).
fn orphans(jobs: BTreeMap<String, JobUse>) -> Vec<admit::Orphan> {
    jobs.into_iter()
        .filter_map(|(job, u)| {
            Some(admit::Orphan {
                queue: u.queue?,
                job,
                cpu: u.usage.get("requests.cpu").copied().unwrap_or(0),
                memory: u.usage.get("requests.memory").copied().unwrap_or(0),
                pods: u.pods,
            })
        })
        .collect()
}

/// A list kept current by one watch: resumed from its resourceVersion, relisted on 410.
struct Mirror<
    K: kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
> {
    api: Api<K>,
    selector: String,
    items: BTreeMap<String, K>,
    rv: String,
    stream: Option<futures::stream::BoxStream<'static, kube::Result<WatchEvent<K>>>>,
    /// What of an item the queue's decision reads (a ticket's state, a quota's numbers, a
    /// pod's phase), hashed.
    relevant: fn(&K) -> u64,
    /// Bumped when an item comes, goes, or changes what `relevant` reads: heartbeats and
    /// other noise leave it alone, so a launcher decides again only when it may matter.
    generation: u64,
    retry: cluster::retry::Policy,
}

impl<K> Mirror<K>
where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug
        + Send
        + 'static,
{
    async fn new(
        api: Api<K>,
        selector: &str,
        relevant: fn(&K) -> u64,
        retry: &cluster::retry::Policy,
    ) -> kube::Result<Mirror<K>> {
        let mut m = Mirror {
            api,
            selector: selector.to_string(),
            items: BTreeMap::new(),
            rv: String::new(),
            stream: None,
            relevant,
            generation: 0,
            retry: retry.clone(),
        };
        m.relist().await?;
        Ok(m)
    }

    /// Lists again; transient errors (a cluster restarting, 5xx, throttling) are retried.
    async fn relist(&mut self) -> kube::Result<()> {
        let lp = ListParams::default().labels(&self.selector);
        let api = &self.api;
        let what = format!("list {}", K::plural(&()));
        let list = cluster::with_retries(&self.retry, &what, || api.list(&lp))
            .await
            .map_err(|(_, e)| e)?;
        self.items = list
            .items
            .into_iter()
            .map(|o| (o.meta().name.clone().unwrap_or_default(), o))
            .collect();
        self.rv = list.metadata.resource_version.unwrap_or_default();
        self.stream = None;
        self.generation += 1;
        Ok(())
    }

    /// Opens the watch if it is not open (awaited outside any `select!`: an open cancelled
    /// half-way would be lost and the mirror would go deaf).
    /// A watch that cannot be opened is replaced by a list (retried by the mirror's policy);
    /// when that fails too the cluster is gone for this job, and the error says so.
    async fn open(&mut self) -> kube::Result<()> {
        if self.stream.is_some() {
            return Ok(());
        }
        let wp = WatchParams::default().labels(&self.selector).timeout(290);
        match self.api.watch(&wp, &self.rv).await {
            Ok(s) => self.stream = Some(s.boxed()),
            Err(_) => {
                tokio::time::sleep(self.retry.min_delay).await;
                self.relist().await?;
            }
        }
        Ok(())
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
                    let now = (self.relevant)(&o);
                    let before = self
                        .items
                        .insert(o.meta().name.clone().unwrap_or_default(), o);
                    if before.is_none_or(|b| (self.relevant)(&b) != now) {
                        self.generation += 1;
                    }
                }
                Some(Ok(WatchEvent::Deleted(o))) => {
                    if let Some(v) = o.meta().resource_version.clone() {
                        self.rv = v;
                    }
                    if self
                        .items
                        .remove(o.meta().name.as_deref().unwrap_or_default())
                        .is_some()
                    {
                        self.generation += 1;
                    }
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
    /// The queue whose running slots the job holds, when the queue has limits.
    slots: Option<String>,
    job_id: String,
}

impl TicketHold {
    /// Gives the place back (the job is over).
    pub async fn release(self) {
        self.renewer.abort();
        if let Some(q) = &self.slots {
            free_slot(&self.api, q, &self.job_id).await;
        }
        match self.api.delete(&self.name, &DeleteParams::default()).await {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 404 => {}
            // The cluster cannot be reached (the job moves on elsewhere): keep trying in the
            // background while this process lives, so the dead ticket does not hold the line
            // there until it expires.
            Err(_) => {
                let (api, name) = (self.api.clone(), self.name.clone());
                tokio::spawn(async move {
                    for attempt in 1..=60u32 {
                        tokio::time::sleep(Duration::from_millis(500) * attempt.min(4)).await;
                        match api.delete(&name, &DeleteParams::default()).await {
                            Ok(_) => return,
                            Err(kube::Error::Api(e)) if e.code == 404 => return,
                            Err(_) => {}
                        }
                    }
                });
            }
        }
    }

    /// Returns to waiting, keeping the place (the create met a full quota after all); the
    /// next [`wait_for_room`] takes the ticket over again.
    pub async fn requeue(self) {
        self.renewer.abort();
        if let Some(q) = &self.slots {
            free_slot(&self.api, q, &self.job_id).await;
        }
        let patch = serde_json::json!({"metadata": {"annotations": {STATE: "waiting"}}});
        let _ = self
            .api
            .patch(&self.name, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
    }
}

/// The Lease that holds a limited queue's running jobs: the one object every launcher updates
/// with a resourceVersion precondition, so the queue's limits hold even when two launchers
/// decide at once from views a moment apart.
fn slots_name(queue: &str) -> String {
    let clean: String = queue
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("k8scli-queue-{}", clean.trim_matches('-'))
}

const RUNNING: &str = "spark-k8s-cli/running";

/// job → (cpu milli, memory milli) of the queue's running jobs, with the Lease it came from.
async fn read_slots(
    api: &Api<Lease>,
    queue: &str,
) -> kube::Result<(Lease, BTreeMap<String, (i128, i128)>)> {
    let name = slots_name(queue);
    let lease = match api.get_opt(&name).await? {
        Some(l) => l,
        None => {
            let fresh = Lease {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: Some(BTreeMap::from([(
                        QUEUE_LABEL.to_string(),
                        queue.to_string(),
                    )])),
                    ..Default::default()
                },
                spec: None,
            };
            match api.create(&PostParams::default(), &fresh).await {
                Ok(l) => l,
                Err(kube::Error::Api(e)) if e.code == 409 => api.get(&name).await?,
                Err(e) => return Err(e),
            }
        }
    };
    let map = lease
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(RUNNING))
        .and_then(|j| serde_json::from_str::<BTreeMap<String, (String, String)>>(j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, (c, m))| (k, (c.parse().unwrap_or(0), m.parse().unwrap_or(0))))
        .collect();
    Ok((lease, map))
}

async fn write_slots(
    api: &Api<Lease>,
    mut lease: Lease,
    map: &BTreeMap<String, (i128, i128)>,
) -> kube::Result<Lease> {
    let text: BTreeMap<&String, (String, String)> = map
        .iter()
        .map(|(k, (c, m))| (k, (c.to_string(), m.to_string())))
        .collect();
    lease
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(
            RUNNING.into(),
            serde_json::to_string(&text).unwrap_or_default(),
        );
    let name = lease.metadata.name.clone().unwrap_or_default();
    // `replace` sends the resourceVersion read: a concurrent writer makes it a 409.
    api.replace(&name, &PostParams::default(), &lease).await
}

/// Takes one of the queue's running slots for `job`, if its limits allow: `false` when full.
async fn claim_slot(
    target: &Target,
    queue: &str,
    limit: &QueueLimit,
    job: &str,
    demand: &Amounts,
    live: &std::collections::BTreeSet<String>,
    policy: &cluster::retry::Policy,
) -> Result<bool, JobError> {
    let cpu = demand.get("requests.cpu").copied().unwrap_or(0);
    let mem = demand.get("requests.memory").copied().unwrap_or(0);
    let mut lost_writes = 0u32;
    let api: &Api<Lease> = &Api::namespaced(target.client.clone(), &target.namespace);
    loop {
        let (lease, mut map) =
            cluster::with_retries(policy, "read queue slots", || read_slots(api, queue))
                .await
                .map_err(|(_, e)| {
                    err(target.failure(&e, |m| {
                        format!("Cannot read queue {queue}'s running jobs: {m}")
                    }))
                })?;
        // Jobs whose ticket is gone (ended, or their launcher died) free their slot.
        map.retain(|j, _| live.contains(j));
        if map.contains_key(job) {
            return Ok(true);
        }
        let n = map.len() as u64;
        let (used_cpu, used_mem) = map.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let full = limit.max_running.is_some_and(|m| n + 1 > m)
            || limit.max_cpu.is_some_and(|m| used_cpu + cpu > m)
            || limit.max_memory.is_some_and(|m| used_mem + mem > m);
        if full {
            return Ok(false);
        }
        map.insert(job.to_string(), (cpu, mem));
        match write_slots(api, lease, &map).await {
            Ok(_) => return Ok(true),
            Err(kube::Error::Api(e)) if e.code == 409 => continue,
            // A write whose answer was lost (a connection cut): read again, which shows whether
            // it took effect (the compare-and-swap makes a second write of the same slot safe).
            Err(kube::Error::Api(e)) if e.code < 500 => {
                return Err(err(format!(
                    "Cannot update queue {queue}'s running jobs: {}",
                    e.message
                )));
            }
            Err(e) if lost_writes < policy.max_attempts as u32 => {
                lost_writes += 1;
                tracing::debug!(error = %e, "queue slot write failed; reading again");
                tokio::time::sleep(policy.min_delay * lost_writes).await;
            }
            Err(e) => {
                return Err(err(target.failure(&e, |m| {
                    format!("Cannot update queue {queue}'s running jobs: {m}")
                })));
            }
        }
    }
}

/// Gives a running slot back.
async fn free_slot(api: &Api<Lease>, queue: &str, job: &str) {
    for _ in 0..20 {
        let Ok((lease, mut map)) = read_slots(api, queue).await else {
            return;
        };
        if map.remove(job).is_none() {
            return;
        }
        match write_slots(api, lease, &map).await {
            Err(kube::Error::Api(e)) if e.code == 409 => continue,
            _ => return,
        }
    }
}

/// Deletes a job's ticket (an interrupted launcher).
pub async fn delete_ticket(target: &Target, job_id: &str) {
    let api: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let _ = api
        .delete(&ticket_name(job_id), &DeleteParams::default())
        .await;
}

/// Spill-over to another cluster of the fleet: past `after` in the queue, the launcher asks
/// `elsewhere` (every [`SPILL_RECHECK`]) whether another cluster has room for the job now.
#[derive(Clone)]
pub struct Spill {
    pub after: Duration,
    pub elsewhere:
        std::sync::Arc<dyn Fn() -> futures::future::BoxFuture<'static, bool> + Send + Sync>,
}

/// How often a job past its spill-over time looks for room elsewhere.
pub const SPILL_RECHECK: Duration = Duration::from_secs(5);

fn err(message: String) -> JobError {
    JobError::submission(message)
}

/// Waits until the job may be created; the ticket it returns is held (renewed) until released.
/// Where nothing limits the namespace or queue the ticket is admitted at once: it still tells
/// `list` and other launchers that this job's launcher is alive.
pub async fn wait_for_room(
    target: &Target,
    plan: &JobPlan,
    cfg: &QueueConfig,
    progress: &Progress,
    spill: Option<&Spill>,
) -> Result<TicketHold, JobError> {
    let quotas_api: Api<ResourceQuota> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut quotas = Mirror::new(quotas_api, "", quota_relevant, &cfg.retry)
        .await
        .map_err(|e| {
            err(target.failure(&e, |m| format!("Cannot read the namespace's quotas: {m}")))
        })?;
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
    let facts = job_pod_facts(plan);
    let read_quotas = |m: &Mirror<ResourceQuota>| -> Vec<Quota> {
        admit::applicable(m.items.values().map(to_quota).collect(), &facts)
    };
    // Quotas scoped to pods other than the job's (best-effort ones, another priority class)
    // count as absent.
    let unlimited = read_quotas(&quotas).is_empty() && !cfg.limits.contains_key(&cfg.queue);
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
                (
                    STATE.to_string(),
                    if unlimited { "admitted" } else { "waiting" }.to_string(),
                ),
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
    let policy = cfg.retry.clone();
    let pp = PostParams::default();
    match cluster::with_retries(&policy, "create ticket", || leases.create(&pp, &lease)).await {
        Ok(_) => {}
        // A re-run with the same job id: take the ticket over, keeping its place.
        Err((cluster::retry::Decision::Exists, _)) => {
            let mut patch = serde_json::json!({"spec": {"holderIdentity": holder, "renewTime": micro_time(now_us())}});
            if unlimited {
                patch["metadata"] = serde_json::json!({"annotations": {STATE: "admitted"}});
            }
            let _ = leases
                .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                .await;
        }
        Err((_, e)) => {
            return Err(err(target.failure(&e, |m| {
                format!(
                    "Cannot create the job's queue ticket (a Lease) in {}: {m}",
                    target.namespace
                )
            })));
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
        slots: cfg
            .limits
            .contains_key(&cfg.queue)
            .then(|| cfg.queue.clone()),
        job_id: plan.job_id.clone(),
    };
    if unlimited {
        return Ok(hold);
    }
    match wait_admitted(
        target,
        plan,
        cfg,
        progress,
        &mut quotas,
        &leases,
        &name,
        read_quotas,
        spill,
    )
    .await
    {
        Ok(()) => Ok(hold),
        Err(e) => {
            hold.release().await;
            Err(e)
        }
    }
}

/// Waiting launchers this close to the head watch the quotas and the job pods.
const POD_WATCH_WINDOW: usize = 16;

/// How often a launcher far back in the line looks at its position again.
const FAR_PAUSE: Duration = Duration::from_secs(1);

async fn next_of<K>(m: &mut Option<Mirror<K>>) -> Option<kube::Result<WatchEvent<K>>>
where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + DeserializeOwned
        + std::fmt::Debug
        + Send
        + 'static,
{
    match m {
        Some(m) => m.next().await,
        None => std::future::pending().await,
    }
}

fn demand_of(view: &[Ticket], job: &str) -> Amounts {
    view.iter()
        .find(|t| t.job_id == job)
        .map(|t| t.demand.clone())
        .unwrap_or_default()
}

/// A ResourceQuota as the admission arithmetic reads it.
fn to_quota(q: &ResourceQuota) -> Quota {
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
        scopes: scope_terms(q),
    }
}

/// The quotas of the target's namespace that count the job's pods, and the job's demand as
/// they count it (one list request): what the fleet's choice weighs.
pub async fn job_quotas(target: &Target, plan: &JobPlan) -> kube::Result<(Vec<Quota>, Amounts)> {
    let api: Api<ResourceQuota> = Api::namespaced(target.client.clone(), &target.namespace);
    let list = api.list(&ListParams::default()).await?;
    let quotas = admit::applicable(
        list.items.iter().map(to_quota).collect(),
        &job_pod_facts(plan),
    );
    Ok((quotas, admit::job_amounts(&plan.demand, None)))
}

/// A quota's `scopes` and `scopeSelector` as terms.
fn scope_terms(q: &ResourceQuota) -> Vec<admit::ScopeTerm> {
    let Some(spec) = &q.spec else {
        return Vec::new();
    };
    let listed = spec.scopes.iter().flatten().map(|s| admit::ScopeTerm {
        scope: s.clone(),
        operator: "Exists".into(),
        values: Vec::new(),
    });
    let selected = spec
        .scope_selector
        .iter()
        .flat_map(|sel| sel.match_expressions.iter().flatten())
        .map(|e| admit::ScopeTerm {
            scope: e.scope_name.clone(),
            operator: e.operator.clone(),
            values: e.values.clone().unwrap_or_default(),
        });
    listed.chain(selected).collect()
}

/// What quota scopes see in the job's pods. The submit pod is ours to read; the driver and
/// executors are built by spark-submit inside it (from Spark's own settings and templates the
/// launcher does not read), so they are taken as plain pods: requests set, no deadline, no
/// priority class.
fn job_pod_facts(plan: &JobPlan) -> Vec<admit::PodFacts> {
    let spec = plan.pod.spec.as_ref();
    let submit = admit::PodFacts {
        best_effort: false,
        terminating: spec.is_some_and(|s| s.active_deadline_seconds.is_some()),
        priority_class: spec.and_then(|s| s.priority_class_name.clone()),
        cross_namespace_affinity: false,
    };
    vec![submit, admit::PodFacts::default()]
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
    spill: Option<&Spill>,
) -> Result<(), JobError> {
    let mut tickets = Mirror::new(
        leases.clone(),
        &format!("{TICKET_LABEL}=true"),
        ticket_relevant,
        &cfg.retry,
    )
    .await
    .map_err(|e| err(target.failure(&e, |m| format!("Cannot read the queue: {m}"))))?;
    // Near the head of the line a launcher watches the quotas and the job pods (what admitted
    // jobs still reserve, jobs whose launcher died); further back the answer is "wait" whatever
    // they say, so it watches the tickets only, and lists the rest again when it comes near.
    // 200 launchers each decoding every quota and pod event would cost more than the queue saves.
    let mut near = Near {
        quotas_fresh: true,
        pods: None,
    };
    // Parsed tickets by lease name, with the `ticket_relevant` hash they were parsed at.
    let mut parsed: BTreeMap<String, (u64, Ticket)> = BTreeMap::new();
    let deadline = deadline::WaitDeadline::start(cfg.timeout);
    let start = deadline.started();
    let mut timeout_told = false;
    let mut shown: Option<(usize, String)> = None;
    let mut last: Option<(u64, u64, u64)> = None;
    // Whether the quotas can change the answer (this ticket is next in line, or no answer yet).
    let mut quota_matters = true;
    let mut by_clock = true;
    let mut next_expiry: Option<i64> = None;
    // Far back (behind the head, POD_WATCH_WINDOW places or more), ticket changes move only
    // this launcher's position: it looks again at most every FAR_PAUSE, so a change at the head
    // does not wake 200 decisions at once and the launchers near the head get the CPU.
    let mut far = false;
    let mut decided_at: Option<Instant> = None;
    let mut due: Option<Instant> = None;
    // When this job last looked for room on another cluster (past its spill-over time).
    let mut spill_checked: Option<Instant> = None;
    // The job pods' generation when the quotas were last read after them (see the Admit arm).
    let mut pods_read_before_quotas: Option<u64> = None;
    'wait: loop {
        let now = now_us();
        // Heartbeats change tickets every few seconds without changing the answer: decide
        // again only when something that matters moved, or when the clock woke us (a ticket
        // may have expired, the timeout may have passed).
        let sig = (
            tickets.generation,
            if quota_matters { quotas.generation } else { 0 },
            near.pods.as_ref().map_or(0, |p| p.generation),
        );
        'decide: {
            if !by_clock && last == Some(sig) {
                break 'decide;
            }
            if far
                && !by_clock
                && let Some(at) = decided_at
                && at.elapsed() < FAR_PAUSE
            {
                due = Some(at + FAR_PAUSE);
                break 'decide;
            }
            due = None;
            decided_at = Some(Instant::now());
            last = Some(sig);
            let mut jobs = jobs_of(near.pods.iter().flat_map(|m| m.items.values()));
            let mut view: Vec<Ticket> = Vec::with_capacity(tickets.items.len());
            next_expiry = None;
            parsed.retain(|n, _| tickets.items.contains_key(n));
            for (lease_name, l) in &tickets.items {
                if !live(l, now) {
                    // The launcher is gone: its place is free (whoever sees it first deletes it).
                    let _ = leases
                        .delete(
                            lease_name,
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
                let key = ticket_relevant(l);
                let mut t = match parsed.get(lease_name) {
                    Some((k, t)) if *k == key => t.clone(),
                    _ => {
                        let t = to_ticket(l);
                        parsed.insert(lease_name.clone(), (key, t.clone()));
                        t
                    }
                };
                if t.admitted && near.pods.is_some() {
                    let used = jobs
                        .get(&t.job_id)
                        .map(|j| j.usage.clone())
                        .unwrap_or_default();
                    t.reserved = t
                        .demand
                        .iter()
                        .map(|(k, v)| (k.clone(), (v - used.get(k).copied().unwrap_or(0)).max(0)))
                        .collect();
                }
                view.push(t);
            }
            // Jobs that still run without a live ticket (their launcher died) count for their queue.
            jobs.retain(|job, _| !view.iter().any(|t| &t.job_id == job));
            let orphans = orphans(jobs);
            let verdict = admit::decide(
                &plan.job_id,
                &view,
                &read_quotas(quotas),
                &cfg.limits,
                &orphans,
            );
            match verdict {
                Verdict::Admit if !near.quotas_fresh => {
                    far = false;
                    // Decided on quotas not watched lately: look again with fresh ones.
                    near.come_near(target, quotas).await?;
                    last = None;
                    continue 'wait;
                }
                Verdict::Admit
                    if near
                        .pods
                        .as_ref()
                        .is_some_and(|p| Some(p.generation) != pods_read_before_quotas) =>
                {
                    // An admitted job reserves its demand less what its pods use, and the quota
                    // counts those pods as used: a pod seen here before the quota counts it (two
                    // watches, each at its own pace) would be counted by neither, and its room
                    // given twice (seen in client mode: an executor created between the two).
                    // Read the quotas again, after the pods, and decide again.
                    pods_read_before_quotas = near.pods.as_ref().map(|p| p.generation);
                    quotas.relist().await.map_err(|e| {
                        err(target
                            .failure(&e, |m| format!("Cannot read the namespace's quotas: {m}")))
                    })?;
                    last = None;
                    continue 'wait;
                }
                Verdict::Admit => {
                    // A limited queue: take a running slot, atomically; full means wait on.
                    let live_jobs: std::collections::BTreeSet<String> =
                        view.iter().map(|t| t.job_id.clone()).collect();
                    let slot = match cfg.limits.get(&cfg.queue) {
                        Some(limit) => {
                            claim_slot(
                                target,
                                &cfg.queue,
                                limit,
                                &plan.job_id,
                                &demand_of(&view, &plan.job_id),
                                &live_jobs,
                                &cfg.retry,
                            )
                            .await?
                        }
                        None => true,
                    };
                    if !slot {
                        tokio::select! {
                            e = tickets.next() => tickets.apply(e).await,
                            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                        }
                        continue 'wait;
                    }
                    let patch =
                        serde_json::json!({"metadata": {"annotations": {STATE: "admitted"}}});
                    let pp = PatchParams::default();
                    let merge = Patch::Merge(&patch);
                    cluster::with_retries(&cfg.retry, "update ticket", || {
                        leases.patch(name, &pp, &merge)
                    })
                    .await
                    .map_err(|(_, e)| {
                        err(target.failure(&e, |m| format!("Cannot update the job's ticket: {m}")))
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
                Verdict::Wait {
                    position,
                    why,
                    behind,
                } => {
                    quota_matters = !behind;
                    far = behind && position >= POD_WATCH_WINDOW;
                    if position < POD_WATCH_WINDOW && !near.is_near() {
                        near.come_near(target, quotas).await?;
                        last = None;
                        continue 'wait;
                    }
                    if position >= POD_WATCH_WINDOW && near.is_near() {
                        near.go_far(quotas);
                    }
                    // A new place in line; at the head, also a new reason (what holds the
                    // queue). Further back the reason follows the head and is not repeated.
                    let moved = shown.as_ref().map(|s| s.0) != Some(position);
                    let new_reason =
                        position == 0 && shown.as_ref().map(|s| s.1.as_str()) != Some(why.as_str());
                    if moved || new_reason {
                        progress.set(&crate::report::progress::Phase::Queued {
                            position,
                            queue: cfg.queue.clone(),
                            why: why.clone(),
                        });
                        shown = Some((position, why));
                    }
                }
            }
            if let Some(sp) = spill
                && start.elapsed() >= sp.after
                && spill_checked.is_none_or(|c| c.elapsed() >= SPILL_RECHECK)
            {
                spill_checked = Some(Instant::now());
                if (sp.elsewhere)().await {
                    return Err(JobError::spill(format!(
                        "job {} waited {:.0} s in queue {} (spark.k8scli.queue.spillAfter) and another cluster has room",
                        plan.job_id,
                        start.elapsed().as_secs_f64(),
                        cfg.queue
                    )));
                }
            }
            if let Some(t) = cfg.timeout
                && deadline.expired()
                && !timeout_told
            {
                let message = format!(
                    "Queue timeout: job {} waited {} s in queue {} (spark.k8scli.queueTimeout) and did not start: {}.",
                    plan.job_id,
                    t.as_secs(),
                    cfg.queue,
                    shown.as_ref().map(|s| s.1.clone()).unwrap_or_default()
                );
                let mut event = crate::events::Event::new(
                    crate::events::Kind::QueueTimeout,
                    &plan.job_id,
                    message.clone(),
                );
                event.app_name = plan.app_name.clone();
                event.queue = cfg.queue.clone();
                event.cluster = target.cluster.clone();
                event.namespace = target.namespace.clone();
                event.seconds = start.elapsed().as_secs_f64();
                event.subject = Some(crate::events::Subject {
                    api_version: "coordination.k8s.io/v1".into(),
                    kind: "Lease".into(),
                    name: name.to_string(),
                });
                crate::events::raise(target, &event).await;
                if cfg.timeout_alert_only {
                    timeout_told = true;
                } else {
                    return Err(JobError::QueueTimeout(message));
                }
            }
        }
        by_clock = wait_next(
            &mut tickets,
            quotas,
            &mut near,
            &deadline,
            // Wake for the first ticket to expire, the end of a far launcher's pause, or
            // the next look for room elsewhere.
            next_expiry
                .into_iter()
                .chain(
                    due.into_iter()
                        .chain(spill.map(|sp| match spill_checked {
                            None => start + sp.after,
                            Some(c) => c + SPILL_RECHECK,
                        }))
                        .map(|d| {
                            now + d.saturating_duration_since(Instant::now()).as_micros() as i64
                        }),
                )
                .min(),
            now,
        )
        .await?;
    }
}

/// What a waiting launcher watches besides the tickets, by its distance from the head.
struct Near {
    /// The quota mirror is watched (else it may be stale, and is not opened).
    quotas_fresh: bool,
    /// The job pods, watched near the head only.
    pods: Option<Mirror<Pod>>,
}

impl Near {
    fn is_near(&self) -> bool {
        self.quotas_fresh && self.pods.is_some()
    }

    /// Lists (and from now on watches) the quotas and the job pods.
    async fn come_near(
        &mut self,
        target: &Target,
        quotas: &mut Mirror<ResourceQuota>,
    ) -> Result<(), JobError> {
        if !self.quotas_fresh {
            quotas.relist().await.map_err(|e| {
                err(target.failure(&e, |m| format!("Cannot read the namespace's quotas: {m}")))
            })?;
            self.quotas_fresh = true;
        }
        if self.pods.is_none() {
            let api: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
            self.pods = Some(
                Mirror::new(api, JOB_ID_LABEL, pod_relevant, &quotas.retry)
                    .await
                    .map_err(|e| {
                        err(target.failure(&e, |m| format!("Cannot read the job pods: {m}")))
                    })?,
            );
        }
        Ok(())
    }

    /// Stops watching the quotas and the pods (far from the head).
    fn go_far(&mut self, quotas: &mut Mirror<ResourceQuota>) {
        quotas.stream = None;
        self.quotas_fresh = false;
        self.pods = None;
    }
}

fn hash_of(v: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(v)
}

/// What of a ticket the decision reads: its state, priority and enqueue time (not heartbeats).
fn ticket_relevant(l: &Lease) -> u64 {
    let ann = l.metadata.annotations.as_ref();
    hash_of((
        ann.and_then(|a| a.get(STATE)),
        ann.and_then(|a| a.get(PRIORITY)),
        l.spec
            .as_ref()
            .and_then(|s| s.acquire_time.as_ref())
            .map(|t| t.0.as_microsecond()),
    ))
}

/// What of a quota the decision reads: its hard limits, scopes and usage.
fn quota_relevant(q: &ResourceQuota) -> u64 {
    hash_of(format!(
        "{:?} {:?}",
        q.spec,
        q.status.as_ref().and_then(|s| s.used.as_ref())
    ))
}

/// What of a job pod the decision reads: that it exists and its phase.
fn pod_relevant(p: &Pod) -> u64 {
    hash_of(p.status.as_ref().and_then(|s| s.phase.as_ref()))
}

/// Waits for a change on any watch, a ticket's expiry, or the timeout; `true` when the clock
/// woke us.
async fn wait_next(
    tickets: &mut Mirror<Lease>,
    quotas: &mut Mirror<ResourceQuota>,
    near: &mut Near,
    deadline: &deadline::WaitDeadline,
    next_expiry: Option<i64>,
    now: i64,
) -> Result<bool, JobError> {
    let mut wake = Duration::from_secs(60);
    if let Some(e) = next_expiry {
        wake = wake.min(Duration::from_micros((e - now).max(0) as u64 + 1000));
    }
    if let Some(left) = deadline.remaining() {
        wake = wake.min(left);
    }
    let gone = |e: kube::Error| {
        err(format!(
            "The cluster cannot be reached while the job waits in its queue: {}",
            cluster::message_of(&e)
        ))
    };
    tickets.open().await.map_err(gone)?;
    if near.quotas_fresh {
        quotas.open().await.map_err(gone)?;
    }
    if let Some(p) = near.pods.as_mut() {
        p.open().await.map_err(gone)?;
    }
    Ok(tokio::select! {
        e = tickets.next() => { tickets.apply(e).await; false }
        e = quotas.next() => { quotas.apply(e).await; false }
        e = next_of(&mut near.pods) => {
            if let Some(p) = near.pods.as_mut() {
                p.apply(e).await;
            }
            false
        }
        _ = tokio::time::sleep(wake) => true,
    })
}

/// One ticket in `spark-k8s-cli queue`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct QueueRow {
    /// The fleet cluster it waits or runs on (empty outside a fleet).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
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
        .list(&ListParams::default().labels(&format!("{TICKET_LABEL}=true")))
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
        let amount = |r: &str| admit::format_amount(r, t.demand.get(r).copied().unwrap_or(0));
        out.push(QueueRow {
            cluster: String::new(),
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
            job_id: o.job,
            queue: o.queue,
            state: "running, no launcher".into(),
            detail: format!("pods {}", o.pods.join(", ")),
            position: None,
            priority: 0,
            cpu: admit::format_amount("requests.cpu", o.cpu),
            memory: admit::format_amount("requests.memory", o.memory),
            pods: o.pods.len().to_string(),
            enqueued: String::new(),
            holder: String::new(),
        });
    }
    Ok(out)
}

pub fn table(rows: &[QueueRow]) -> String {
    // A CLUSTER column first when the rows come from a fleet.
    let fleet = rows.iter().any(|r| !r.cluster.is_empty());
    let head = [
        "CLUSTER", "JOB ID", "QUEUE", "STATE", "POSITION", "PRIORITY", "CPU", "MEMORY", "PODS",
        "ENQUEUED", "HOLDER",
    ];
    crate::report::table::columns(
        &head[usize::from(!fleet)..],
        rows.iter()
            .map(|r| {
                let mut cells = vec![
                    r.cluster.clone(),
                    r.job_id.clone(),
                    r.queue.clone(),
                    r.state.clone(),
                    r.position.map_or("-".into(), |p| p.to_string()),
                    r.priority.to_string(),
                    r.cpu.clone(),
                    r.memory.clone(),
                    r.pods.clone(),
                    r.enqueued.clone(),
                    if r.detail.is_empty() {
                        r.holder.clone()
                    } else {
                        r.detail.clone()
                    },
                ];
                if !fleet {
                    cells.remove(0);
                }
                cells
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, job: &str, role: Option<&str>, phase: &str) -> Pod {
        let mut labels = serde_json::json!({JOB_ID_LABEL: job, QUEUE_LABEL: "etl"});
        if let Some(r) = role {
            labels["spark-role"] = serde_json::json!(r);
        }
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]},
            "status": {"phase": phase}
        }))
        .unwrap()
    }

    #[test]
    fn a_running_job_is_one_with_a_live_driver_or_submit_pod() {
        let pods = [
            // Ended driver, executors left running: not a running job.
            pod("old-driver", "old", Some("driver"), "Failed"),
            pod("old-exec-1", "old", Some("executor"), "Running"),
            pod("old-exec-2", "old", Some("executor"), "Running"),
            // A live driver with an executor: one job, both pods counted.
            pod("live-driver", "live", Some("driver"), "Running"),
            pod("live-exec-1", "live", Some("executor"), "Running"),
            // Client mode, or before any driver: the submit pod alone.
            pod("sub-submit", "sub", None, "Pending"),
        ];
        let found = orphans(jobs_of(pods.iter()));
        let jobs: Vec<(&str, i128, usize)> = found
            .iter()
            .map(|o| (o.job.as_str(), o.cpu, o.pods.len()))
            .collect();
        assert_eq!(jobs, vec![("live", 2000, 2), ("sub", 1000, 1)]);
    }
}
