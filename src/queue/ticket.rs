//! Tickets as Leases: taking one, its heartbeat, releasing it, reading other launchers' ones.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use tokio::sync::Mutex;
use tokio::time::{Instant, MissedTickBehavior};

use super::admit::Ticket;
use super::{QueueConfig, err, slots};
use crate::cluster::{self, Target, retry::Decision};
use crate::outcome::JobError;
use crate::plan::quota::Amounts;
use crate::plan::{JOB_ID_LABEL, JobPlan, QUEUE_LABEL};

/// Label on every ticket Lease.
pub const TICKET_LABEL: &str = "spark-k8s-cli/ticket";
/// `waiting` or `admitted`.
const STATE: &str = "spark-k8s-cli/state";
const DEMAND: &str = "spark-k8s-cli/demand";
const PRIORITY: &str = "spark-k8s-cli/priority";

/// The Lease that is a job's ticket.
pub fn ticket_name(job_id: &str) -> String {
    format!("{job_id}-ticket")
}

/// The label selector of every ticket.
pub(super) fn selector() -> String {
    format!("{TICKET_LABEL}=true")
}

/// Now, in epoch microseconds (a Lease's clock).
pub(super) fn now_us() -> i64 {
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

/// How long a ticket lives without a heartbeat (`leaseDurationSeconds`, the holder's
/// `queueHeartbeat`).
fn lease_duration(l: &Lease) -> Duration {
    let seconds = l.spec.as_ref().and_then(|s| s.lease_duration_seconds);
    Duration::from_secs(seconds.unwrap_or(30).max(1) as u64)
}

/// When a ticket expires unless its holder renews it, in epoch microseconds, by the times
/// written in it: what a one-off read (`list`, `queue`) can judge by.
pub(super) fn expires_at(l: &Lease) -> i64 {
    let Some(spec) = &l.spec else { return 0 };
    us_of(&spec.renew_time).max(us_of(&spec.acquire_time)) + lease_duration(l).as_micros() as i64
}

/// A ticket is live while its holder renews it (by the times written in it; see [`dead_at`]
/// for how a waiting launcher judges).
pub(super) fn live(l: &Lease, now: i64) -> bool {
    expires_at(l) > now
}

/// When a waiting launcher takes another launcher's ticket for dead: a full lease duration
/// after it last saw the ticket change (`unchanged_since`, on its own monotonic clock), as
/// client-go's leader election judges a Lease. Not by the `renewTime` written in it: a
/// launcher whose view of the tickets lags (starved of CPU, its watch behind) would read
/// renewals it has not received yet as missing, and the holder's clock is another host's.
pub(super) fn dead_at(l: &Lease, unchanged_since: Instant) -> Instant {
    unchanged_since + lease_duration(l)
}

/// Whether ticket `l`, seen unchanged since `since`, is dead to a launcher that last saw its
/// own ticket change at `own_since`: past [`dead_at`], and the launcher has seen its own
/// heartbeat since. A watch brings changes in resourceVersion order, so a renewal of its own
/// ticket seen after `dead_at` shows its view was moving then and brought no change of `l`
/// meanwhile; a watch cut or stalled (nothing of its own seen since) judges nobody.
pub(super) fn dead(l: &Lease, since: Instant, own_since: Option<Instant>, now: Instant) -> bool {
    own_since.is_some_and(|own| dead_at(l, since) <= own.min(now))
}

/// The jobs whose launcher holds a live ticket among `leases` (the tickets of a namespace).
pub fn with_live_launcher(leases: &[Lease]) -> BTreeSet<String> {
    let now = now_us();
    leases
        .iter()
        .filter(|l| live(l, now))
        .filter_map(|l| l.metadata.labels.as_ref()?.get(JOB_ID_LABEL).cloned())
        .collect()
}

/// A ticket as the admission arithmetic reads it.
pub(super) fn to_ticket(l: &Lease) -> Ticket {
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

/// What of a ticket the decision reads: its state, priority and enqueue time (not heartbeats).
pub(super) fn relevant(l: &Lease) -> Option<u64> {
    let ann = l.metadata.annotations.as_ref();
    Some(super::mirror::hash_of((
        ann.and_then(|a| a.get(STATE)),
        ann.and_then(|a| a.get(PRIORITY)),
        l.spec
            .as_ref()
            .and_then(|s| s.acquire_time.as_ref())
            .map(|t| t.0.as_microsecond()),
    )))
}

/// The merge patch that sets a ticket's state.
fn state_patch(state: &str) -> serde_json::Value {
    serde_json::json!({"metadata": {"annotations": {STATE: state}}})
}

/// Marks the ticket admitted (the job may be created), retried by the queue's policy; `false`
/// when the ticket is gone (deleted as expired: the heartbeat makes it again, waiting, and the
/// launcher decides again then). The state is held meanwhile, so a ticket the heartbeat makes
/// again takes the state the ticket has.
pub(super) async fn mark_admitted(
    target: &Target,
    leases: &Api<Lease>,
    name: &str,
    admitted: &Mutex<bool>,
    cfg: &QueueConfig,
) -> Result<bool, JobError> {
    let mut state = admitted.lock().await;
    let patch = state_patch("admitted");
    let pp = PatchParams::default();
    let merge = Patch::Merge(&patch);
    match cluster::with_retries(&cfg.retry, "update ticket", || {
        leases.patch(name, &pp, &merge)
    })
    .await
    {
        Ok(_) => {
            *state = true;
            Ok(true)
        }
        Err((_, kube::Error::Api(e))) if e.code == 404 => Ok(false),
        Err((_, e)) => {
            Err(err(target.failure(&e, |m| {
                format!("Cannot update the job's ticket: {m}")
            })))
        }
    }
}

/// A job's place in the queue; renewed in the background until released.
pub struct TicketHold {
    pub(super) api: Api<Lease>,
    pub(super) name: String,
    renewer: tokio::task::JoinHandle<()>,
    /// Whether the ticket is admitted: the state a ticket made again takes.
    pub(super) admitted: Arc<Mutex<bool>>,
    /// The queue whose running slots the job holds, when the queue has limits.
    slots: Option<String>,
    job_id: String,
}

impl TicketHold {
    /// Gives the place back (the job is over).
    pub async fn release(self) {
        self.renewer.abort();
        if let Some(q) = &self.slots {
            slots::free(&self.api, q, &self.job_id).await;
        }
        match self.api.delete(&self.name, &DeleteParams::default()).await {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 404 => {}
            // The cluster cannot be reached (the job moves on elsewhere): keep trying in the
            // background while this process lives, so the dead ticket does not hold the line
            // there until it expires.
            Err(_) => {
                tokio::spawn(delete_lingering(self.api.clone(), self.name.clone()));
            }
        }
    }

    /// Returns to waiting, keeping the place (the create met a full quota after all); the
    /// next [`super::wait_for_room`] takes the ticket over again.
    pub async fn requeue(self) {
        self.renewer.abort();
        if let Some(q) = &self.slots {
            slots::free(&self.api, q, &self.job_id).await;
        }
        let patch = state_patch("waiting");
        let _ = self
            .api
            .patch(&self.name, &PatchParams::default(), &Patch::Merge(&patch))
            .await;
    }
}

/// Deletes a ticket on a cluster that did not answer, on [`Policy::lingering`]'s schedule.
///
/// [`Policy::lingering`]: crate::cluster::retry::Policy::lingering
async fn delete_lingering(api: Api<Lease>, name: String) {
    let start = tokio::time::Instant::now();
    let mut schedule = cluster::retry::Policy::lingering().schedule();
    loop {
        let decision = match api.delete(&name, &DeleteParams::default()).await {
            Ok(_) => return,
            Err(kube::Error::Api(e)) if e.code == 404 => return,
            Err(e) => cluster::decision_of(&e),
        };
        match schedule.after_failure(&decision, start.elapsed()) {
            Some(pause) => tokio::time::sleep(pause).await,
            None => return,
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

/// Deletes a ticket whose launcher is gone (whoever sees it first), if it is still the one seen.
pub(super) async fn delete_expired(leases: &Api<Lease>, l: &Lease) {
    let name = l.metadata.name.as_deref().unwrap_or_default();
    let precondition = kube::api::Preconditions {
        resource_version: l.metadata.resource_version.clone(),
        uid: None,
    };
    let _ = leases
        .delete(name, &DeleteParams::default().preconditions(precondition))
        .await;
}

/// Takes the job's place in line: creates its ticket, or takes over the one a previous run of
/// the same job id left (keeping its enqueue time), and renews it in the background.
/// `admitted`: nothing limits the namespace or the queue, so the ticket is admitted at once.
pub(super) async fn take(
    target: &Target,
    plan: &JobPlan,
    cfg: &QueueConfig,
    demand: &Amounts,
    admitted: bool,
) -> Result<TicketHold, JobError> {
    let leases: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let name = ticket_name(&plan.job_id);
    let holder = format!(
        "{}/{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "launcher".into()),
        std::process::id()
    );
    let state = if admitted { "admitted" } else { "waiting" };
    let lease = new_ticket(&name, plan, cfg, demand, &holder, state);
    let pp = PostParams::default();
    // What the heartbeat makes again if the ticket is deleted under it.
    let mut template = lease.clone();
    match cluster::with_retries(&cfg.retry, "create ticket", || leases.create(&pp, &lease)).await {
        Ok(_) => {}
        // A re-run with the same job id: take the ticket over, keeping its place.
        Err((Decision::Exists, _)) => {
            let mut patch = serde_json::json!({"spec": {"holderIdentity": holder, "renewTime": micro_time(now_us())}});
            if admitted {
                patch["metadata"] = state_patch(state)["metadata"].clone();
            }
            if let Ok(taken) = leases
                .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                .await
            {
                template = taken;
            }
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
    let admitted = Arc::new(Mutex::new(admitted));
    let renewer = tokio::spawn(renew(
        leases.clone(),
        template,
        admitted.clone(),
        cfg.settings.heartbeat / 3,
    ));
    Ok(TicketHold {
        api: leases,
        name,
        renewer,
        admitted,
        slots: cfg.own_limit().map(|_| cfg.name().to_string()),
        job_id: plan.job_id.clone(),
    })
}

/// The job's ticket as created: its labels, demand, priority, state and holder.
fn new_ticket(
    name: &str,
    plan: &JobPlan,
    cfg: &QueueConfig,
    demand: &Amounts,
    holder: &str,
    state: &str,
) -> Lease {
    let now = now_us();
    let demand_json = serde_json::to_string(
        &demand
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
    .unwrap_or_default();
    Lease {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(BTreeMap::from([
                (TICKET_LABEL.to_string(), "true".to_string()),
                (JOB_ID_LABEL.to_string(), plan.job_id.clone()),
                (QUEUE_LABEL.to_string(), cfg.name().to_string()),
            ])),
            annotations: Some(BTreeMap::from([
                (STATE.to_string(), state.to_string()),
                (DEMAND.to_string(), demand_json),
                (PRIORITY.to_string(), cfg.settings.priority.to_string()),
            ])),
            ..Default::default()
        },
        spec: Some(LeaseSpec {
            holder_identity: Some(holder.to_string()),
            lease_duration_seconds: Some(cfg.settings.heartbeat.as_secs().max(1) as i32),
            acquire_time: Some(micro_time(now)),
            renew_time: Some(micro_time(now)),
            ..Default::default()
        }),
    }
}

/// The heartbeat: renews the ticket every `every` until aborted, on a fixed beat (a slow
/// answer does not push the next renewal back: a beat missed goes out as soon as the answer
/// comes). A renewal is given up once it could no longer land within the lease. A ticket
/// deleted under it (the heartbeat starved past the lease, so another launcher took it for
/// dead) is made again, in its place and state: see [`remade`].
async fn renew(api: Api<Lease>, template: Lease, admitted: Arc<Mutex<bool>>, every: Duration) {
    let name = template.metadata.name.clone().unwrap_or_default();
    let lease = lease_duration(&template);
    let mut beat = tokio::time::interval_at(Instant::now() + every, every);
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        beat.tick().await;
        let patch = serde_json::json!({"spec": {"renewTime": micro_time(now_us())}});
        let (pp, merge) = (PatchParams::default(), Patch::Merge(&patch));
        let renewed = tokio::time::timeout(lease, api.patch(&name, &pp, &merge));
        if let Ok(Err(kube::Error::Api(e))) = renewed.await
            && e.code == 404
        {
            let state = admitted.lock().await;
            let again = remade(&template, *state, now_us());
            tracing::warn!(ticket = %name, "the ticket was deleted as expired; making it again");
            let _ = api.create(&PostParams::default(), &again).await;
        }
    }
}

/// The ticket `template` made again at `now`: the same enqueue time (so the same place in
/// line), priority and demand, in the state the job is in, as a new object.
pub(super) fn remade(template: &Lease, admitted: bool, now: i64) -> Lease {
    let mut l = template.clone();
    l.metadata = ObjectMeta {
        name: l.metadata.name,
        labels: l.metadata.labels,
        annotations: l.metadata.annotations,
        ..Default::default()
    };
    l.metadata.annotations.get_or_insert_default().insert(
        STATE.to_string(),
        if admitted { "admitted" } else { "waiting" }.to_string(),
    );
    if let Some(spec) = &mut l.spec {
        spec.renew_time = Some(micro_time(now));
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_ticket_is_made_again_in_its_place_and_state() {
        let mut lease = Lease {
            metadata: ObjectMeta {
                name: Some("etl-1-ticket".into()),
                labels: Some(BTreeMap::from([(JOB_ID_LABEL.into(), "etl-1".into())])),
                annotations: Some(BTreeMap::from([
                    (STATE.into(), "waiting".into()),
                    (PRIORITY.into(), "5".into()),
                ])),
                resource_version: Some("41".into()),
                uid: Some("u-1".into()),
                ..Default::default()
            },
            spec: Some(LeaseSpec {
                acquire_time: Some(micro_time(1_000)),
                renew_time: Some(micro_time(2_000)),
                lease_duration_seconds: Some(30),
                ..Default::default()
            }),
        };
        let again = remade(&lease, true, 90_000_000);
        // A new object: no resourceVersion or uid of the deleted one.
        assert_eq!(again.metadata.resource_version, None);
        assert_eq!(again.metadata.uid, None);
        let t = to_ticket(&again);
        assert_eq!((t.job_id.as_str(), t.priority), ("etl-1", 5));
        // Its place: the first enqueue time; its state: admitted, as the job is.
        assert_eq!(t.enqueued_us, 1_000);
        assert!(t.admitted);
        assert!(live(&again, 90_000_000 + 29_000_000));
        lease.metadata.annotations = None;
        assert!(!to_ticket(&remade(&lease, false, 0)).admitted);
    }

    /// A waiting launcher judges another's ticket by when it saw it change, not by the times
    /// written in it: a renewal it read late (its watch lagging) or one stamped by a clock
    /// behind its own keeps the ticket live for a full lease duration from the moment it came.
    #[test]
    fn a_ticket_is_dead_a_lease_duration_after_it_was_last_seen_to_change() {
        let hour_ago = now_us() - 3_600_000_000;
        let lease = Lease {
            spec: Some(LeaseSpec {
                acquire_time: Some(micro_time(hour_ago)),
                renew_time: Some(micro_time(hour_ago)),
                lease_duration_seconds: Some(30),
                ..Default::default()
            }),
            ..Default::default()
        };
        // By the times written in it, dead for an hour.
        assert!(!live(&lease, now_us()));
        // Seen to change just now: dead only 30 s from now.
        let seen = Instant::now();
        assert_eq!(dead_at(&lease, seen), seen + Duration::from_secs(30));
        // Without a duration, the default's.
        let mut plain = lease.clone();
        plain.spec.as_mut().unwrap().lease_duration_seconds = None;
        assert_eq!(dead_at(&plain, seen), seen + Duration::from_secs(30));
        plain.spec.as_mut().unwrap().lease_duration_seconds = Some(2);
        assert_eq!(dead_at(&plain, seen), seen + Duration::from_secs(2));
        // Judged dead only once the launcher has seen its own heartbeat after that moment: a
        // view that stopped moving (a cut watch) takes nobody for dead.
        let later = seen + Duration::from_secs(31);
        assert!(!dead(&lease, seen, None, later));
        assert!(!dead(
            &lease,
            seen,
            Some(seen + Duration::from_secs(20)),
            later
        ));
        assert!(dead(
            &lease,
            seen,
            Some(seen + Duration::from_secs(30)),
            later
        ));
        assert!(!dead(
            &lease,
            seen,
            Some(later),
            seen + Duration::from_secs(29)
        ));
    }
}
