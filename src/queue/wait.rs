//! The wait for room: decided again whenever what matters changes, until admitted or timed out.
//!
//! Near the head of the line a launcher watches the quotas and the job pods (what admitted jobs
//! still reserve, jobs whose launcher died); further back the answer is "wait" whatever they
//! say, so it watches the tickets only, and lists the rest again when it comes near. 200
//! launchers each decoding every quota and pod event would cost more than the queue saves.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Pod, ResourceQuota};
use kube::api::Api;
use tokio::time::Instant;

use super::admit::{self, Ticket, Verdict};
use super::deadline::WaitDeadline;
use super::mirror::{self, Mirror};
use super::objects::{self, job_pod_facts, jobs_of, orphans, to_quota};
use super::ticket::{self, TicketHold, to_ticket};
use super::{QueueConfig, err, slots};
use crate::cluster::{self, Target};
use crate::outcome::JobError;
use crate::plan::quota::{self, Amounts, PodFacts, Quota};
use crate::plan::{JOB_ID_LABEL, JobPlan};
use crate::report::progress::{Phase, Progress};

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

/// Waiting launchers this close to the head watch the quotas and the job pods.
const POD_WATCH_WINDOW: usize = 16;

/// How often a launcher far back in the line looks at its position again.
const FAR_PAUSE: Duration = Duration::from_secs(1);

/// How long a launcher admitted by the view but refused a running slot (another launcher took
/// it a moment before) waits before it looks again, when no ticket changes first.
const SLOT_RECHECK: Duration = Duration::from_secs(1);

/// How many dead tickets a launcher deletes at once (each a request, and a connection).
const DELETES_AT_ONCE: usize = 8;

/// The longest the loop sleeps without a reason to wake.
const IDLE_WAKE: Duration = Duration::from_secs(60);

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
    // The quotas are listed from etcd, not the watch cache: read again after the job pods
    // (see `Waiter::admit`), they must be at least as new as what the pods' watch showed.
    let quotas = Mirror::new(
        quotas_api,
        mirror::config("", true),
        objects::quota_relevant,
        &cfg.retry,
    )
    .await
    .map_err(|e| err(target.failure(&e, |m| format!("Cannot read the namespace's quotas: {m}"))))?;
    let default_cpu_limit = if quotas.items().iter().any(|q| objects::limits_cpu(q)) {
        objects::default_cpu_limit(target).await
    } else {
        None
    };
    let demand = quota::job_amounts(&plan.demand, default_cpu_limit);
    let facts = job_pod_facts(plan);
    // Quotas scoped to pods other than the job's (best-effort ones, another priority class)
    // count as absent.
    let applicable = applicable_quotas(&quotas, &facts);
    let unlimited = applicable.is_empty() && cfg.own_limit().is_none();
    if let Some(why) = quota::never_fits(&demand, &applicable) {
        return Err(err(format!(
            "The job can never start in namespace {}: {why}. Ask for more quota or make the job smaller (executors, memory, cores).",
            target.namespace
        )));
    }
    // The ticket: a place in line that keeps its enqueue time across re-runs and re-queues.
    let hold = ticket::take(target, plan, cfg, &demand, unlimited).await?;
    if unlimited {
        return Ok(hold);
    }
    let waited = async {
        let tickets = Mirror::new(
            hold.api.clone(),
            mirror::config(&ticket::selector(), false),
            ticket::relevant,
            &cfg.retry,
        )
        .await
        .map_err(|e| err(target.failure(&e, |m| format!("Cannot read the queue: {m}"))))?;
        let pods = Mirror::idle(
            Api::namespaced(target.client.clone(), &target.namespace),
            mirror::config(JOB_ID_LABEL, false),
            objects::pod_relevant,
            &cfg.retry,
        );
        let waiter = Waiter {
            target,
            plan,
            cfg,
            progress,
            spill,
            leases: &hold.api,
            name: &hold.name,
            admitted: &hold.admitted,
            facts,
            tickets,
            quotas,
            pods,
            parsed: BTreeMap::new(),
            deadline: WaitDeadline::start(cfg.settings.timeout),
            timeout_told: false,
            shown: None,
            last: None,
            quota_matters: true,
            next_expiry: None,
            far: false,
            decided_at: None,
            due: None,
            spill_checked: None,
            pods_read_before_quotas: None,
        };
        waiter.run().await
    };
    match waited.await {
        Ok(()) => Ok(hold),
        Err(e) => {
            hold.release().await;
            Err(e)
        }
    }
}

/// The quotas in `m` that count the job's pods, as the admission arithmetic reads them.
fn applicable_quotas(m: &Mirror<ResourceQuota>, facts: &[PodFacts]) -> Vec<Quota> {
    quota::applicable(m.items().iter().map(|q| to_quota(q)).collect(), facts)
}

/// What a decision leads to.
enum Next {
    /// The job may be created.
    Admitted,
    /// Decide again at once (the view was refreshed).
    Again,
    /// Wait for a change or a clock.
    Wait,
}

/// One job's wait: its views and what it last decided and showed.
struct Waiter<'a> {
    target: &'a Target,
    plan: &'a JobPlan,
    cfg: &'a QueueConfig,
    progress: &'a Progress,
    spill: Option<&'a Spill>,
    leases: &'a Api<Lease>,
    /// The job's ticket.
    name: &'a str,
    /// Set once the ticket is marked admitted (the heartbeat makes a lost ticket again so).
    admitted: &'a tokio::sync::Mutex<bool>,
    /// What quota scopes see in the job's pods.
    facts: Vec<PodFacts>,
    tickets: Mirror<Lease>,
    /// Watched near the head; stale (not watched) further back.
    quotas: Mirror<ResourceQuota>,
    /// Watched near the head; empty further back.
    pods: Mirror<Pod>,
    /// Parsed tickets by lease name, with the `ticket::relevant` hash they were parsed at.
    parsed: BTreeMap<String, (Option<u64>, Ticket)>,
    deadline: WaitDeadline,
    /// `queueTimeoutAction=alert` has alerted.
    timeout_told: bool,
    /// The position and reason the progress line shows.
    shown: Option<(usize, String)>,
    /// The generations the last decision saw (see [`Waiter::signature`]).
    last: Option<(u64, u64, u64)>,
    /// Whether the quotas can change the answer (this ticket is next in line, or no answer yet).
    quota_matters: bool,
    /// When the first live ticket of another launcher is dead unless it changes (see
    /// [`ticket::dead_at`]).
    next_expiry: Option<Instant>,
    /// Far back (behind the head, POD_WATCH_WINDOW places or more), ticket changes move only
    /// this launcher's position: it looks again at most every FAR_PAUSE, so a change at the
    /// head does not wake 200 decisions at once and the launchers near the head get the CPU.
    far: bool,
    decided_at: Option<Instant>,
    /// When to decide again without a change (a far launcher's pause, a refused slot).
    due: Option<Instant>,
    /// When this job last looked for room on another cluster (past its spill-over time).
    spill_checked: Option<Instant>,
    /// The job pods' generation when the quotas were last read after them (see [`Waiter::admit`]).
    pods_read_before_quotas: Option<u64>,
}

impl Waiter<'_> {
    async fn run(mut self) -> Result<(), JobError> {
        let mut by_clock = true;
        loop {
            if self.due_to_decide(by_clock) {
                match self.decide().await? {
                    Next::Admitted => return Ok(()),
                    Next::Again => continue,
                    Next::Wait => {}
                }
            }
            by_clock = self.wait_next().await?;
        }
    }

    /// What the decision reads has moved: the generations of the tickets, of the quotas when
    /// they can change the answer, and of the job pods.
    fn signature(&self) -> (u64, u64, u64) {
        (
            self.tickets.generation,
            if self.quota_matters {
                self.quotas.generation
            } else {
                0
            },
            self.pods.generation,
        )
    }

    /// Whether to decide now. Heartbeats change tickets every few seconds without changing the
    /// answer: decide again only when something that matters moved, or when the clock woke us
    /// (a ticket may have expired, the timeout may have passed).
    fn due_to_decide(&mut self, by_clock: bool) -> bool {
        let sig = self.signature();
        if !by_clock && self.last == Some(sig) {
            return false;
        }
        if self.far
            && !by_clock
            && let Some(at) = self.decided_at
            && at.elapsed() < FAR_PAUSE
        {
            self.due = Some(at + FAR_PAUSE);
            return false;
        }
        self.due = None;
        self.decided_at = Some(Instant::now());
        self.last = Some(sig);
        true
    }

    fn near(&self) -> bool {
        self.quotas.watching() && self.pods.watching()
    }

    async fn decide(&mut self) -> Result<Next, JobError> {
        // What the ticket watch brought meanwhile first: woken by the clock after a stall, the
        // renewals that came during it are read before any ticket is judged dead.
        self.tickets.catch_up().map_err(gone)?;
        let (view, orphans) = self.view(Instant::now()).await;
        let verdict = admit::decide(
            &self.plan.job_id,
            &view,
            &applicable_quotas(&self.quotas, &self.facts),
            &self.cfg.limits,
            &orphans,
        );
        match verdict {
            Verdict::Admit => self.admit(&view).await,
            Verdict::Wait {
                position,
                why,
                behind,
            } => self.wait_at(position, why, behind).await,
        }
    }

    /// The live tickets as admission reads them, and the jobs that run without one. Tickets
    /// whose launcher is gone (not seen to change for a lease duration, see
    /// [`ticket::dead_at`]) are deleted, all at once (whoever sees it first); the job's own is
    /// live while this launcher runs.
    async fn view(&mut self, now: Instant) -> (Vec<Ticket>, Vec<admit::Orphan>) {
        let pods = self.pods.items();
        let mut jobs = jobs_of(pods.iter().map(|p| &**p));
        let leases = self.tickets.items();
        let mut view: Vec<Ticket> = Vec::with_capacity(leases.len());
        self.next_expiry = None;
        let names: BTreeSet<&str> = leases
            .iter()
            .filter_map(|l| l.metadata.name.as_deref())
            .collect();
        self.parsed.retain(|n, _| names.contains(n.as_str()));
        let mut dead: Vec<&Lease> = Vec::new();
        let own_since = self.tickets.unchanged_since(self.name);
        for l in &leases {
            let lease_name = l.metadata.name.clone().unwrap_or_default();
            if lease_name != self.name {
                let since = self.tickets.unchanged_since(&lease_name).unwrap_or(now);
                if ticket::dead(l, since, own_since, now) {
                    dead.push(&**l);
                    continue;
                }
                // Past its time, it is judged at the next heartbeat of our own seen.
                let at = ticket::dead_at(l, since).max(now + self.cfg.settings.heartbeat / 3);
                self.next_expiry = Some(self.next_expiry.map_or(at, |n| n.min(at)));
            }
            let key = ticket::relevant(l);
            let mut t = match self.parsed.get(&lease_name) {
                Some((k, t)) if *k == key => t.clone(),
                _ => {
                    let t = to_ticket(l);
                    self.parsed.insert(lease_name, (key, t.clone()));
                    t
                }
            };
            if t.admitted && self.pods.watching() {
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
        let api = self.leases;
        futures::stream::iter(dead.into_iter().map(|l| ticket::delete_expired(api, l)))
            .buffer_unordered(DELETES_AT_ONCE)
            .collect::<()>()
            .await;
        // Jobs that still run without a live ticket (their launcher died) count for their queue.
        jobs.retain(|job, _| !view.iter().any(|t| &t.job_id == job));
        (view, orphans(jobs))
    }

    /// The view admits the job: with fresh quotas read after the pods, a running slot when
    /// the queue is limited, the ticket marked admitted.
    async fn admit(&mut self, view: &[Ticket]) -> Result<Next, JobError> {
        if !self.quotas.watching() {
            self.far = false;
            // Decided on quotas not watched lately: look again with fresh ones.
            self.come_near().await?;
            self.last = None;
            return Ok(Next::Again);
        }
        if self.pods.watching() && Some(self.pods.generation) != self.pods_read_before_quotas {
            // An admitted job reserves its demand less what its pods use, and the quota
            // counts those pods as used: a pod seen here before the quota counts it (two
            // watches, each at its own pace) would be counted by neither, and its room
            // given twice (seen in client mode: an executor created between the two).
            // Read the quotas again, after the pods, and decide again.
            self.pods_read_before_quotas = Some(self.pods.generation);
            self.quotas
                .resync()
                .await
                .map_err(|e| self.quotas_failed(&e))?;
            self.last = None;
            return Ok(Next::Again);
        }
        // A limited queue: take a running slot, atomically; full means wait on.
        if let Some(limit) = self.cfg.own_limit() {
            let live_jobs: BTreeSet<String> = view.iter().map(|t| t.job_id.clone()).collect();
            let demand: Amounts = view
                .iter()
                .find(|t| t.job_id == self.plan.job_id)
                .map(|t| t.demand.clone())
                .unwrap_or_default();
            let claimed = slots::claim(
                self.target,
                self.cfg.name(),
                limit,
                &self.plan.job_id,
                &demand,
                &live_jobs,
                &self.cfg.retry,
            )
            .await?;
            if !claimed {
                self.due = Some(Instant::now() + SLOT_RECHECK);
                return Ok(Next::Wait);
            }
        }
        let marked =
            ticket::mark_admitted(self.target, self.leases, self.name, self.admitted, self.cfg)
                .await?;
        if !marked {
            // The ticket was deleted as expired (this launcher stalled past its lease): the
            // queue may have moved on meanwhile. The heartbeat makes it again, in its place;
            // decide again then (its coming back wakes the loop; the clock, should it not).
            self.last = None;
            self.due = Some(Instant::now() + SLOT_RECHECK);
            return Ok(Next::Wait);
        }
        if self.shown.is_some() {
            self.progress.note(&format!(
                "job {}: admitted after {:.1} s in queue {}",
                self.plan.job_id,
                self.deadline.started().elapsed().as_secs_f64(),
                self.cfg.name()
            ));
        }
        Ok(Next::Admitted)
    }

    /// The job waits at `position`: watch what its distance from the head calls for, show the
    /// place, look for room elsewhere, and end the wait at the queue timeout.
    async fn wait_at(
        &mut self,
        position: usize,
        why: String,
        behind: bool,
    ) -> Result<Next, JobError> {
        self.quota_matters = !behind;
        self.far = behind && position >= POD_WATCH_WINDOW;
        if position < POD_WATCH_WINDOW && !self.near() {
            self.come_near().await?;
            self.last = None;
            return Ok(Next::Again);
        }
        if position >= POD_WATCH_WINDOW && self.near() {
            // Stops watching the quotas and the pods (far from the head).
            self.quotas.stop();
            self.pods.forget();
        }
        // A new place in line; at the head, also a new reason (what holds the queue). Further
        // back the reason follows the head and is not repeated.
        let moved = self.shown.as_ref().map(|s| s.0) != Some(position);
        let new_reason =
            position == 0 && self.shown.as_ref().map(|s| s.1.as_str()) != Some(why.as_str());
        if moved || new_reason {
            self.progress.set(&Phase::Queued {
                position,
                queue: self.cfg.name().to_string(),
                why: why.clone(),
            });
            self.shown = Some((position, why));
        }
        self.look_elsewhere().await?;
        self.check_timeout().await?;
        Ok(Next::Wait)
    }

    /// Lists (and from now on watches) the quotas and the job pods.
    async fn come_near(&mut self) -> Result<(), JobError> {
        if !self.quotas.watching() {
            self.quotas
                .resync()
                .await
                .map_err(|e| self.quotas_failed(&e))?;
        }
        if !self.pods.watching() {
            let target = self.target;
            self.pods.resync().await.map_err(|e| {
                err(target.failure(&e, |m| format!("Cannot read the job pods: {m}")))
            })?;
        }
        Ok(())
    }

    fn quotas_failed(&self, e: &kube::Error) -> JobError {
        err(self
            .target
            .failure(e, |m| format!("Cannot read the namespace's quotas: {m}")))
    }

    /// When the job should next look for room on another cluster.
    fn spill_due(&self) -> Option<Instant> {
        self.spill.map(|sp| match self.spill_checked {
            None => self.deadline.started() + sp.after,
            Some(c) => c + SPILL_RECHECK,
        })
    }

    /// Past its spill-over time, the job moves when another cluster has room now.
    async fn look_elsewhere(&mut self) -> Result<(), JobError> {
        let Some(sp) = self.spill else { return Ok(()) };
        if self.spill_due().is_none_or(|at| Instant::now() < at) {
            return Ok(());
        }
        self.spill_checked = Some(Instant::now());
        if (sp.elsewhere)().await {
            return Err(JobError::spill(format!(
                "job {} waited {:.0} s in queue {} (spark.k8scli.queue.spillAfter) and another cluster has room",
                self.plan.job_id,
                self.deadline.started().elapsed().as_secs_f64(),
                self.cfg.name()
            )));
        }
        Ok(())
    }

    /// At the queue timeout: the queue-timeout alert, and the job ends with it (or, with
    /// `queueTimeoutAction=alert`, waits on).
    async fn check_timeout(&mut self) -> Result<(), JobError> {
        let Some(t) = self.cfg.settings.timeout else {
            return Ok(());
        };
        if !self.deadline.expired() || self.timeout_told {
            return Ok(());
        }
        let message = format!(
            "Queue timeout: job {} waited {} s in queue {} (spark.k8scli.{}) and did not start: {}.",
            self.plan.job_id,
            t.as_secs(),
            self.cfg.name(),
            self.cfg.settings.timeout_setting,
            self.shown.as_ref().map(|s| s.1.clone()).unwrap_or_default()
        );
        let mut event = crate::events::Event::new(
            crate::events::Kind::QueueTimeout,
            &self.plan.job_id,
            message.clone(),
        );
        event.app_name = self.plan.app_name.clone();
        event.queue = self.cfg.name().to_string();
        event.cluster = self.target.cluster.clone();
        event.namespace = self.target.namespace.clone();
        event.seconds = self.deadline.started().elapsed().as_secs_f64();
        event.subject = Some(crate::events::Subject {
            api_version: "coordination.k8s.io/v1".into(),
            kind: "Lease".into(),
            name: self.name.to_string(),
        });
        crate::events::raise(self.target, &event).await;
        if self.cfg.timeout_alert_only() {
            self.timeout_told = true;
            Ok(())
        } else {
            Err(JobError::QueueTimeout(message))
        }
    }

    /// How long to sleep at most: until the first ticket expires, a far launcher's pause or a
    /// refused slot ends, the next look for room elsewhere, or the queue timeout.
    fn wake_after(&self) -> Duration {
        let now = Instant::now();
        let mut wake = IDLE_WAKE;
        if let Some(e) = self.next_expiry {
            wake = wake.min(e.saturating_duration_since(now) + Duration::from_millis(1));
        }
        let clocks = self.due.into_iter().chain(self.spill_due());
        for at in clocks {
            wake = wake.min(at.saturating_duration_since(now));
        }
        if let Some(left) = self.deadline.remaining() {
            wake = wake.min(left);
        }
        wake
    }

    /// Waits for a change on any watch or for the clock; `true` when the clock woke us.
    async fn wait_next(&mut self) -> Result<bool, JobError> {
        let wake = self.wake_after();
        tokio::select! {
            e = self.tickets.next() => self.tickets.apply_ready(e).map_err(gone)?,
            e = self.quotas.next() => self.quotas.apply_ready(e).map_err(gone)?,
            e = self.pods.next() => self.pods.apply_ready(e).map_err(gone)?,
            _ = tokio::time::sleep(wake) => return Ok(true),
        }
        Ok(false)
    }
}

/// A watch that failed past the queue's retry policy: the cluster is gone for this job.
fn gone(e: kube::Error) -> JobError {
    err(format!(
        "The cluster cannot be reached while the job waits in its queue: {}",
        cluster::message_of(&e)
    ))
}
