//! The fleet at the edge: which clusters the job may use, their health (probes, shared by the
//! launchers of every host through a Lease of the fleet's first member, cached in a host file
//! that decides alone when that cluster cannot be reached), the snapshot `choose` decides on,
//! and moving a job that provably has no driver to the next cluster.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;

use crate::choose::failover::{self, Look, Move, Readback, Seen, Tried};
use crate::choose::fleet::Pins;
use crate::choose::{self, Breaker, Circuit, Snapshot};
use crate::plan::JobPlan;
use crate::resolve::fleet::{self, Fleet, MasterTarget, Member, Policy};
use crate::resolve::typed::FleetSettings;
use crate::resolve::{Env, Settings};

use crate::cluster::{self, Target};
use crate::outcome::JobError;

/// The fleet as this job sees it.
#[derive(Clone)]
pub struct FleetJob {
    pub fleet: Fleet,
    pub pins: Pins,
    pub policy: Policy,
    pub breaker: Breaker,
    pub probe_timeout: Duration,
    pub ttl: Duration,
    pub on_unknown: bool,
    /// `spark.k8scli.queue.spillAfter`; `None`: never.
    pub spill_after: Option<Duration>,
    /// Where the launchers of every host keep the fleet's health: `None` without a member
    /// that could be connected to.
    pub shared: Option<SharedState>,
}

/// The fleet's health and round-robin counters in the cluster: the Lease [`FLEET_LEASE`] in the
/// namespace of the fleet's first member.
#[derive(Clone)]
pub struct SharedState {
    /// The first member's name and a client in its namespace.
    member: String,
    target: Target,
    /// Set once the cluster failed to answer: this process keeps to the host file from then on.
    off: Arc<std::sync::atomic::AtomicBool>,
}

/// The Lease that holds the fleet's [`Shared`] state.
pub const FLEET_LEASE: &str = "k8scli-fleet";
/// How long the fleet's Lease is kept after its last write (it is rewritten by every job).
const FLEET_KEEP_SECONDS: i32 = 7 * 24 * 3600;

/// The job as planned for one member: its overrides applied, the job id unchanged.
pub struct Placed {
    pub settings: Settings,
    pub plan: JobPlan,
}

/// Plans the job again with other settings (a member's overrides), keeping its id.
pub type Replan<'a> = &'a dyn Fn(&Settings) -> Result<JobPlan, crate::resolve::ResolveError>;

/// The job for each member: members without overrides share the job as resolved.
fn place_all(
    settings: &Settings,
    plan: &JobPlan,
    fj: &FleetJob,
    replan: Replan,
) -> Result<BTreeMap<String, Arc<Placed>>, JobError> {
    let base = Arc::new(Placed {
        settings: settings.clone(),
        plan: plan.clone(),
    });
    let mut out = BTreeMap::new();
    for m in &fj.fleet.members {
        let placed = if m.overrides.is_empty() {
            base.clone()
        } else {
            let bad = |e: crate::resolve::ResolveError| {
                JobError::usage(format!(
                    "Cluster {}'s overrides do not make a valid job: {e}",
                    m.name
                ))
            };
            let settings = settings.for_member(m).map_err(bad)?;
            let plan = replan(&settings).map_err(bad)?;
            Arc::new(Placed { settings, plan })
        };
        out.insert(m.name.clone(), placed);
    }
    Ok(out)
}

/// Whether the job runs on the fleet, and how it narrows it. `None`: a plain single cluster
/// (no fleet configured, or a master outside it). A master that names a member's server pins
/// that member.
pub async fn fleet_job(settings: &Settings, env: &Env) -> Result<Option<FleetJob>, JobError> {
    fleet_job_from(settings.fleet(), settings.master.as_deref(), env).await
}

pub(super) async fn fleet_job_from(
    fs: &FleetSettings,
    master_url: Option<&str>,
    env: &Env,
) -> Result<Option<FleetJob>, JobError> {
    let master = master_url.and_then(fleet::master_target);
    let fleet = fs.fleet.clone().unwrap_or_default();
    let mut pins = Pins {
        cluster: fs.cluster.clone(),
        clusters: fs.clusters.clone(),
        selector: fs.cluster_selector.clone(),
    };
    match &master {
        Some(MasterTarget::Fleet | MasterTarget::Member(_)) if fleet.members.is_empty() => {
            return Err(JobError::usage(format!(
                "--master {} names the fleet, but no fleet is configured. Add `fleet:` (a list of clusters) to the launcher config, or give an API server URL.",
                master_url.unwrap_or_default()
            )));
        }
        Some(MasterTarget::Member(name)) => pins.cluster = Some(name.clone()),
        Some(MasterTarget::Server(url)) if !fleet.members.is_empty() => {
            // A member's own server pins it; any other server is outside the fleet.
            let wanted = cluster::normalise_server(url);
            let mut found = None;
            for m in &fleet.members {
                if let Ok(t) = connect_member(env, m, None).await
                    && cluster::normalise_server(&t.server) == wanted
                {
                    found = Some(m.name.clone());
                    break;
                }
            }
            match found {
                Some(name) => pins.cluster = Some(name),
                None => return Ok(None),
            }
        }
        Some(MasterTarget::Server(_)) => return Ok(None),
        None | Some(MasterTarget::Fleet) if fleet.members.is_empty() => return Ok(None),
        None | Some(MasterTarget::Fleet) => {}
    }
    let shared = match fleet.members.first() {
        Some(m) => connect_member(env, m, None)
            .await
            .ok()
            .map(|target| SharedState {
                member: m.name.clone(),
                target,
                off: Arc::default(),
            }),
        None => None,
    };
    choose::fleet::check_pins(&fleet, &pins).map_err(|e| {
        JobError::usage(format!("{e}. Check spark.k8scli.cluster, spark.k8scli.clusters and spark.k8scli.clusterSelector."),
        )
    })?;
    Ok(Some(FleetJob {
        fleet,
        pins,
        policy: fs.policy,
        breaker: Breaker {
            threshold: fs.circuit_failures.max(1),
            cool_down_ms: fs.circuit_cool_down.as_millis() as u64,
        },
        probe_timeout: fs.probe_timeout,
        ttl: fs.health_ttl,
        on_unknown: fs.failover_on_unknown,
        spill_after: fs.spill_after,
        shared,
    }))
}

/// A client for one member (no request yet).
/// The submission credentials (`spark.kubernetes.authenticate.submission.*`) are one cluster's;
/// each member authenticates with its own kubeconfig user.
/// The job's own namespace (`spark.kubernetes.namespace`), when it names one, wins over the
/// member's.
pub async fn connect_member(
    env: &Env,
    m: &Member,
    job_namespace: Option<&str>,
) -> Result<Target, JobError> {
    let opts = cluster::ConnectOptions {
        kubeconfig: m.kubeconfig.clone(),
        context: m.context.clone(),
        in_cluster: m.in_cluster,
        ..cluster::ConnectOptions::default()
    };
    let mut target =
        cluster::connect_with(&opts, env, job_namespace.or(m.namespace.as_deref())).await?;
    target.cluster = m.name.clone();
    Ok(target)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// One member's health as the launchers of this host last saw it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Health {
    pub circuit: Circuit,
    /// When it was last probed (or claimed for a probe), ms since the epoch.
    pub checked_ms: u64,
    pub latency_ms: Option<u64>,
    /// Why the last probe failed.
    pub error: Option<String>,
}

/// What the launchers of every host share about the fleet (in [`FLEET_LEASE`], and in each
/// host's file as its cache): each member's health and circuit.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Shared {
    pub members: BTreeMap<String, Health>,
}

/// What the launchers of one host keep about the fleet: the shared state as last seen, the
/// round-robin counters, and the jobs they moved away.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HostState {
    #[serde(flatten)]
    pub shared: Shared,
    /// Smooth weighted round-robin counters.
    pub counters: BTreeMap<String, i64>,
    /// Jobs moved away from a member that could not be read (`failover.onUnknown`): their
    /// pods there are deleted when it answers again.
    pub stale: Vec<Stale>,
}

/// A job's pods possibly left on a member it moved away from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stale {
    pub cluster: String,
    pub namespace: String,
    pub job_id: String,
    pub driver_pod: String,
    pub since_ms: u64,
}

/// How long a stale entry is kept for a member that never answers again.
const STALE_FOR_MS: u64 = 7 * 24 * 3600 * 1000;

/// Deletes the pods of one stale entry; removes the entry once the member took the deletes.
async fn clean_stale(env: &Env, target: &Target, stale: &Stale, timeout: Duration) -> bool {
    let deleted = tokio::time::timeout(
        timeout,
        crate::follow::delete_pods_of(target, &stale.job_id, &stale.driver_pod),
    )
    .await;
    if !matches!(deleted, Ok(Ok(()))) {
        return false;
    }
    with_state(env, |st| st.stale.retain(|s| s != stale));
    tracing::info!(cluster = %stale.cluster, job = %stale.job_id, "deleted the pods of a job that moved away");
    true
}

/// Deletes what moved jobs left on members that are healthy again (by the host state); a
/// member still down costs nothing here.
async fn sweep_stale(env: &Env, fj: &FleetJob) {
    let now = now_ms();
    let (stale, health) = with_state(env, |st| {
        st.stale.retain(|s| s.since_ms + STALE_FOR_MS > now);
        (st.stale.clone(), st.shared.members.clone())
    });
    let jobs = stale.iter().filter_map(|s| {
        let m = fj.fleet.get(&s.cluster)?;
        let h = health.get(&s.cluster)?;
        (h.error.is_none() && h.circuit.allows(now)).then_some((m, s))
    });
    let jobs = jobs.map(|(m, s)| async move {
        if let Ok(t) = connect_member(env, m, Some(&s.namespace)).await {
            clean_stale(env, &t, s, fj.probe_timeout).await;
        }
    });
    futures::future::join_all(jobs).await;
}

/// Reads, changes and writes the fleet's host state (`fleet.json`) under its lock.
fn with_state<T>(env: &Env, f: impl FnOnce(&mut HostState) -> T) -> T {
    crate::hoststate::with(crate::hoststate::path(env, "fleet.json").as_deref(), f)
}

/// Reads, changes and writes the fleet's shared state: in [`FLEET_LEASE`] under optimistic
/// concurrency (the change is made again on what is there after a lost race), the result
/// cached in the host file; in the host file alone when the first member cannot be reached
/// (its circuit open, or no answer within `probeTimeout`).
async fn with_shared<T>(env: &Env, fj: &FleetJob, mut f: impl FnMut(&mut Shared) -> T) -> T {
    use std::sync::atomic::Ordering::Relaxed;
    let up = |s: &&SharedState| {
        let open = with_state(env, |st| {
            let h = st.shared.members.get(&s.member);
            h.is_some_and(|h| !h.circuit.allows(now_ms()))
        });
        !s.off.load(Relaxed) && !open
    };
    if let Some(s) = fj.shared.as_ref().filter(up) {
        let api: Api<Lease> = Api::namespaced(s.target.client.clone(), &s.target.namespace);
        let record = crate::cluster::shared::Record {
            name: FLEET_LEASE.into(),
            labels: BTreeMap::from([("spark-k8s-cli/fleet".to_string(), "state".to_string())]),
            annotations: BTreeMap::new(),
            keep_seconds: FLEET_KEEP_SECONDS,
        };
        let mut seen = None;
        let change = crate::cluster::shared::update(&api, &record, |doc: &mut Shared| {
            let out = f(doc);
            seen = Some(doc.clone());
            out
        });
        match tokio::time::timeout(fj.probe_timeout, change).await {
            Ok(Ok(out)) => {
                if let Some(doc) = seen {
                    with_state(env, |st| st.shared = doc);
                }
                return out;
            }
            failed => {
                let why = match failed {
                    Ok(Err(e)) => cluster::message_of(&e),
                    _ => "no answer".into(),
                };
                tracing::info!(member = %s.member, %why, "the fleet's shared state cannot be read; this host's file decides");
                s.off.store(true, Relaxed);
            }
        }
    }
    with_state(env, |st| f(&mut st.shared))
}

/// Probes a member: `GET /readyz`, then `/version` when the server has no `/readyz`, within
/// `timeout` (connecting included). The latency, or why it failed.
async fn probe(target: &Target, timeout: Duration) -> Result<u64, String> {
    let start = Instant::now();
    let get = |path: &str| {
        http::Request::get(path)
            .body(Vec::new())
            .map_err(|e| e.to_string())
    };
    let attempt = async {
        match target.client.request_text(get("/readyz")?).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(s)) if s.code == 404 => target
                .client
                .request_text(get("/version")?)
                .await
                .map(|_| ())
                .map_err(|e| format!("GET /version: {}", cluster::message_of(&e))),
            Err(e) => Err(format!("GET /readyz: {}", cluster::message_of(&e))),
        }
    };
    match tokio::time::timeout(timeout, attempt).await {
        Ok(Ok(())) => Ok(start.elapsed().as_millis() as u64),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(format!("no answer within {:.1} s", timeout.as_secs_f64())),
    }
}

/// Records the outcome of a probe or of a job's requests in the member's circuit, and raises
/// `circuit-opened` when this outcome opened it.
async fn record(
    env: &Env,
    fj: &FleetJob,
    name: &str,
    outcome: Result<Option<u64>, String>,
    job: Option<&JobPlan>,
) {
    let now = now_ms();
    let why = outcome.clone().err().unwrap_or_default();
    let opened = with_shared(env, fj, |st| {
        let h = st.members.entry(name.to_string()).or_default();
        let before = h.circuit;
        h.checked_ms = now;
        match outcome.clone() {
            Ok(latency) => {
                h.circuit = fj.breaker.success(h.circuit);
                if latency.is_some() {
                    h.latency_ms = latency;
                }
                h.error = None;
            }
            Err(e) => {
                h.circuit = fj.breaker.failure(h.circuit, now);
                h.error = Some(e);
            }
        }
        Breaker::opened(before, h.circuit)
    })
    .await;
    if opened {
        let mut e = crate::events::Event::new(
            crate::events::Kind::CircuitOpened,
            job.map_or("", |p| p.job_id.as_str()),
            format!(
                "Cluster {name} failed {} times in a row (last: {why}); it is skipped for {} s.",
                fj.breaker.threshold,
                fj.breaker.cool_down_ms / 1000
            ),
        );
        e.cluster = name.to_string();
        if let Some(p) = job {
            e.app_name = p.app_name.clone();
        }
        // The line only: the failing cluster is no place to record it.
        crate::events::raise_local(&e);
    }
}

/// The snapshot of the members not yet tried: health from the host state when fresh, else
/// probed (each stale member claimed first, so launchers started together probe it once), and
/// the quotas of the healthy ones.
async fn snapshot(
    env: &Env,
    fj: &FleetJob,
    plan: &JobPlan,
    placed: &BTreeMap<String, Arc<Placed>>,
    tried: &Tried,
) -> (Vec<Snapshot>, BTreeMap<String, Target>) {
    let now = now_ms();
    let ttl = fj.ttl.as_millis() as u64;
    // Which members this launcher probes: stale ones, claimed in the shared state (so that the
    // launchers of every host probe each once a `healthTtl`).
    let (health, to_probe) = with_shared(env, fj, |st| {
        let mut probe = BTreeSet::new();
        for m in &fj.fleet.members {
            let h = st.members.entry(m.name.clone()).or_default();
            if h.checked_ms + ttl <= now && h.circuit.allows(now) {
                h.checked_ms = now;
                probe.insert(m.name.clone());
            }
        }
        (st.members.clone(), probe)
    })
    .await;
    let mut targets = BTreeMap::new();
    let mut rows = Vec::new();
    let to_probe = &to_probe;
    let jobs = fj.fleet.members.iter().map(|m| async move {
        let why = choose::fleet::ineligible(m, &fj.pins).or_else(|| tried.excludes(&m.name));
        if why.is_some() {
            return (m, why, None, None);
        }
        let target = match connect_member(env, m, plan.namespace.as_deref()).await {
            Ok(t) => t,
            Err(e) => return (m, None, Some(Err(e.message())), None),
        };
        let probed = if to_probe.contains(&m.name) {
            Some(probe(&target, fj.probe_timeout).await.map(Some))
        } else {
            None
        };
        (m, None, probed, Some(target))
    });
    let results = futures::future::join_all(jobs).await;
    for (m, why, probed, target) in results {
        if let Some(outcome) = probed.clone() {
            record(env, fj, &m.name, outcome, Some(plan)).await;
        }
        let h = match &probed {
            Some(_) => with_state(env, |st| {
                st.shared.members.get(&m.name).cloned().unwrap_or_default()
            }),
            None => health.get(&m.name).cloned().unwrap_or_default(),
        };
        let mut quotas = None;
        let mut demand = None;
        let member_plan = placed.get(&m.name).map_or(plan, |p| &p.plan);
        if why.is_none()
            && h.error.is_none()
            && h.circuit.allows(now)
            && let Some(t) = &target
        {
            match tokio::time::timeout(fj.probe_timeout, crate::queue::job_quotas(t, member_plan))
                .await
            {
                Ok(Ok((q, d))) => {
                    quotas = Some(q);
                    demand = Some(d);
                }
                Ok(Err(e)) => {
                    let why = format!("list quotas: {}", cluster::message_of(&e));
                    record(env, fj, &m.name, Err(why), Some(plan)).await;
                }
                Err(_) => {
                    let why = "list quotas: no answer".to_string();
                    record(env, fj, &m.name, Err(why), Some(plan)).await;
                }
            }
        }
        let h = with_state(env, |st| {
            st.shared.members.get(&m.name).cloned().unwrap_or_default()
        });
        rows.push(Snapshot {
            name: m.name.clone(),
            priority: m.priority,
            weight: m.weight,
            eligible: why.is_none() && target.is_some(),
            ineligible_why: why,
            circuit: h.circuit,
            health_error: h.error.clone(),
            quotas,
            demand,
        });
        if let Some(t) = target {
            targets.insert(m.name.clone(), t);
        }
    }
    (rows, targets)
}

/// Whether a cluster other than `exclude` has room for the job now (eligible, healthy by the
/// host state, its quotas fitting the whole demand): the spill-over question.
async fn room_elsewhere(
    env: &Env,
    fj: &FleetJob,
    placed: &BTreeMap<String, Arc<Placed>>,
    exclude: &BTreeSet<String>,
) -> bool {
    let now = now_ms();
    let health = with_state(env, |st| st.shared.members.clone());
    for m in &fj.fleet.members {
        if exclude.contains(&m.name) || choose::fleet::ineligible(m, &fj.pins).is_some() {
            continue;
        }
        let h = health.get(&m.name).cloned().unwrap_or_default();
        let Some(plan) = placed.get(&m.name).map(|p| &p.plan) else {
            continue;
        };
        if !h.circuit.allows(now) {
            continue;
        }
        let Ok(t) = connect_member(env, m, plan.namespace.as_deref()).await else {
            continue;
        };
        if let Ok(Ok((quotas, demand))) =
            tokio::time::timeout(fj.probe_timeout, crate::queue::job_quotas(&t, plan)).await
            && choose::room_after(&quotas, &demand).is_some()
        {
            // It answered: healthy, whatever an older probe said.
            record(env, fj, &m.name, Ok(None), Some(plan)).await;
            return true;
        }
    }
    false
}

/// Where a failed job stands on its cluster, read back by name (`choose::failover` decides
/// what each sight means).
async fn read_back(target: &Target, plan: &JobPlan, timeout: Duration) -> Readback {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let seen = |name: &str| {
        let pods = pods.clone();
        let name = name.to_string();
        async move {
            let bound = |p: &Pod| p.spec.as_ref().is_some_and(|s| s.node_name.is_some());
            Ok::<_, kube::Error>(match pods.get_opt(&name).await? {
                None => Seen::Absent,
                Some(p) if bound(&p) => Seen::Bound,
                Some(_) => Seen::Unbound,
            })
        }
    };
    let check = async {
        if plan.driver_in_submit_pod() {
            // Client mode: the submit pod is the driver.
            let mut after_delete = false;
            loop {
                match failover::client_mode_look(seen(&plan.submit_pod_name).await?, after_delete) {
                    Look::Found(r) => return Ok(r),
                    Look::DeleteSubmitPodAndLookAgain => {
                        match pods
                            .delete(&plan.submit_pod_name, &Default::default())
                            .await
                        {
                            Ok(_) => {}
                            Err(kube::Error::Api(e)) if e.code == 404 => {}
                            Err(e) => return Err(e),
                        }
                        after_delete = true;
                    }
                }
            }
        }
        // The submit pod is looked at only when the driver is absent, and not after its delete.
        let driver = seen(&plan.driver_pod_name).await?;
        let submit = match driver {
            Seen::Absent => Some(seen(&plan.submit_pod_name).await?),
            _ => None,
        };
        match failover::cluster_mode_look(driver, submit) {
            Look::Found(r) => Ok(r),
            Look::DeleteSubmitPodAndLookAgain => {
                crate::follow::delete_job_pods(target, plan).await;
                Ok(failover::cluster_mode_after_delete(
                    seen(&plan.driver_pod_name).await?,
                ))
            }
        }
    };
    match tokio::time::timeout(timeout, check).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Readback::Unknown(cluster::message_of(&e)),
        Err(_) => Readback::Unknown(format!("no answer within {:.1} s", timeout.as_secs_f64())),
    }
}

/// Runs the job on the fleet: choose, run, and on a failure that left no driver, move to the
/// next cluster (each at most once). `run` runs the job on one cluster; `current` tells the
/// signal handler which cluster to clean up.
#[allow(clippy::too_many_arguments)]
pub async fn run<F, Fut>(
    settings: &Settings,
    env: &Env,
    plan: &JobPlan,
    fj: &FleetJob,
    replan: Replan<'_>,
    current: &std::sync::Mutex<Option<Target>>,
    run: F,
) -> Result<u8, JobError>
where
    F: Fn(Target, Arc<Placed>, Option<crate::queue::Spill>, bool) -> Fut,
    Fut: std::future::Future<Output = Result<u8, JobError>>,
{
    let placed = Arc::new(place_all(settings, plan, fj, replan)?);
    sweep_stale(env, fj).await;
    let demand = crate::plan::quota::job_amounts(&plan.demand, None);
    let mut tried = Tried::default();
    let mut last: Option<(String, JobError)> = None;
    loop {
        let (members, mut targets) = snapshot(env, fj, plan, &placed, &tried).await;
        // The round-robin counters stay the host's: each host spreads its own jobs by weight,
        // so all of them together do too, and a burst does not race on one Lease for them.
        let choice = with_state(env, |st| {
            choose::choose(fj.policy, &members, &demand, &mut st.counters, now_ms())
        });
        if settings.verbose {
            let mut text = format!("spark-k8s-cli: cluster candidates for job {}:", plan.job_id);
            for r in &choice.rows {
                text.push_str(&format!("\n  {:<20} {}", r.name, r.verdict));
            }
            crate::report::say(&text);
        }
        let Some(name) = choice.chosen.clone() else {
            let table: Vec<String> = choice
                .rows
                .iter()
                .map(|r| format!("{}: {}", r.name, r.verdict))
                .collect();
            return Err(match last {
                Some((from, e)) => {
                    let message = format!(
                        "{e} (on cluster {from}; no other cluster can take the job: {})",
                        table.join("; ")
                    );
                    e.with_message(message)
                }
                None => JobError::submission(format!(
                    "No cluster of the fleet can take job {}: {}. Check `spark-k8s-cli clusters`.",
                    plan.job_id,
                    table.join("; ")
                )),
            });
        };
        tracing::debug!(cluster = %name, why = %choice.why, "placed");
        let Some(target) = targets.remove(&name) else {
            tried.give_up(&name);
            continue;
        };
        if let Some((from, e)) = &last {
            crate::report::warn(&format!(
                "spark-k8s-cli: failover: job {} from {from} to {name}: {e}",
                plan.job_id,
            ));
            let mut event = crate::events::Event::new(
                crate::events::Kind::Failover,
                &plan.job_id,
                format!(
                    "Job {} moved from cluster {from} to {name}: {e}",
                    plan.job_id
                ),
            );
            event.app_name = plan.app_name.clone();
            event.queue = settings.queue().name.clone();
            event.cluster = name.clone();
            event.namespace = target.namespace.clone();
            event.from_cluster = Some(from.clone());
            event.to_cluster = Some(name.clone());
            event.pods = vec![plan.submit_pod_name.clone()];
            // Recorded on the cluster the job moved to, on its submit pod-to-be.
            event.subject = Some(crate::events::Subject {
                api_version: "v1".into(),
                kind: "Pod".into(),
                name: plan.submit_pod_name.clone(),
            });
            crate::events::raise(&target, &event).await;
        }
        *current.lock().unwrap_or_else(|p| p.into_inner()) = Some(target.clone());
        let spill = fj.spill_after.map(|after| {
            let (env, fj, placed) = (env.clone(), fj.clone(), placed.clone());
            let exclude = tried.with(&name);
            crate::queue::Spill {
                after,
                elsewhere: Arc::new(move || {
                    let (env, fj, placed, exclude) =
                        (env.clone(), fj.clone(), placed.clone(), exclude.clone());
                    Box::pin(async move { room_elsewhere(&env, &fj, &placed, &exclude).await })
                }),
            }
        });
        let job = placed.get(&name).cloned().expect("placed for every member");
        match run(target.clone(), job, spill, true).await {
            Ok(code) => {
                record(env, fj, &name, Ok(None), Some(plan)).await;
                return Ok(code);
            }
            // Whether it may move: `choose::failover` decides, reading the cluster back first
            // when a pod of the job may exist there.
            Err(e) => {
                let mut readback = Readback::NotRead;
                loop {
                    match choose::failover(&e, &readback, fj.on_unknown) {
                        Move::ReadBack => {
                            let timeout = fj.probe_timeout.max(Duration::from_secs(2));
                            readback = read_back(&target, plan, timeout).await;
                        }
                        Move::Stay => return Err(e),
                        Move::Next => {
                            // A spill is no failure of the cluster's.
                            if !matches!(e, JobError::Spill(_)) {
                                record(env, fj, &name, Err(e.message()), Some(plan)).await;
                            }
                            break;
                        }
                        Move::NextLeavingStale => {
                            record(env, fj, &name, Err(unknown(&readback)), Some(plan)).await;
                            leave_stale(env, fj, &target, &name, plan);
                            break;
                        }
                        Move::StayUnknown => {
                            let why = unknown(&readback);
                            record(env, fj, &name, Err(why.clone()), Some(plan)).await;
                            let message = format!(
                                "{e} Cluster {name} cannot be read back ({why}), so the job may exist there and was not moved; set spark.k8scli.failover.onUnknown=true to move such jobs."
                            );
                            return Err(e.with_message(message));
                        }
                    }
                }
                tried.give_up(&name);
                last = Some((name, e));
            }
        }
    }
}

/// Why a cluster could not be read back.
fn unknown(readback: &Readback) -> String {
    match readback {
        Readback::Unknown(why) => why.clone(),
        other => format!("{other:?}"),
    }
}

/// Notes the job's pods on `name` (which could not be read) as stale, and keeps trying to
/// delete them while this process lives; later launchers of the host delete them when the
/// member is healthy again.
fn leave_stale(env: &Env, fj: &FleetJob, target: &Target, name: &str, plan: &JobPlan) {
    let stale = Stale {
        cluster: name.to_string(),
        namespace: target.namespace.clone(),
        job_id: plan.job_id.clone(),
        driver_pod: plan.driver_pod_name.clone(),
        since_ms: now_ms(),
    };
    with_state(env, |st| st.stale.push(stale.clone()));
    let (env, target, timeout) = (env.clone(), target.clone(), fj.probe_timeout);
    tokio::spawn(async move {
        for pause in cluster::retry::Policy::steady(Duration::from_secs(2)).backoff() {
            tokio::time::sleep(pause).await;
            if clean_stale(&env, &target, &stale, timeout).await {
                return;
            }
        }
    });
}

/// One cluster in `spark-k8s-cli clusters`.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ClusterRow {
    pub name: String,
    pub server: String,
    pub namespace: String,
    /// `enabled`, `drained` or `disabled`.
    pub state: String,
    pub weight: u32,
    pub priority: i32,
    /// `ok`, or why the probe failed.
    pub health: String,
    pub latency_ms: Option<u64>,
    /// `closed`, `open` or `half-open`.
    pub circuit: String,
    /// Per quota resource: what is free (hard − used), for people.
    pub headroom: BTreeMap<String, String>,
    pub running: usize,
    pub queued: usize,
}

async fn cluster_row(env: &Env, fj: &FleetJob, m: &Member) -> ClusterRow {
    let mut row = ClusterRow {
        name: m.name.clone(),
        server: String::new(),
        namespace: m.namespace.clone().unwrap_or_default(),
        state: if !m.enabled {
            "disabled"
        } else if m.drained {
            "drained"
        } else {
            "enabled"
        }
        .into(),
        weight: m.weight,
        priority: m.priority,
        health: String::new(),
        latency_ms: None,
        circuit: String::new(),
        headroom: BTreeMap::new(),
        running: 0,
        queued: 0,
    };
    let target = match connect_member(env, m, None).await {
        Ok(t) => t,
        Err(e) => {
            row.health = e.message();
            return row;
        }
    };
    row.server = target.server.clone();
    row.namespace = target.namespace.clone();
    let probed = probe(&target, fj.probe_timeout).await;
    record(env, fj, &m.name, probed.clone().map(Some), None).await;
    let h = with_state(env, |st| {
        st.shared.members.get(&m.name).cloned().unwrap_or_default()
    });
    row.circuit = h.circuit.state_name(now_ms()).into();
    match probed {
        Ok(ms) => {
            row.health = "ok".into();
            row.latency_ms = Some(ms);
        }
        Err(e) => {
            row.health = e;
            return row;
        }
    }
    let timeout = fj.probe_timeout.max(Duration::from_secs(2));
    let quotas: Api<k8s_openapi::api::core::v1::ResourceQuota> =
        Api::namespaced(target.client.clone(), &target.namespace);
    if let Ok(Ok(list)) =
        tokio::time::timeout(timeout, quotas.list(&kube::api::ListParams::default())).await
    {
        // Several quotas limiting one resource: the tightest counts.
        let mut free: BTreeMap<String, i128> = BTreeMap::new();
        for q in &list.items {
            let hard = q
                .spec
                .as_ref()
                .and_then(|s| s.hard.clone())
                .unwrap_or_default();
            let used = q
                .status
                .as_ref()
                .and_then(|s| s.used.clone())
                .unwrap_or_default();
            let amount =
                |m: &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
                 r: &str| {
                    m.get(r)
                        .and_then(|q| crate::quantity::milli(&q.0))
                        .unwrap_or(0)
                };
            for r in hard.keys() {
                let f = amount(&hard, r) - amount(&used, r);
                let e = free.entry(r.clone()).or_insert(f);
                *e = (*e).min(f);
            }
        }
        row.headroom = free
            .into_iter()
            .map(|(r, f)| {
                let text = crate::plan::quota::format_amount(&r, f.max(0));
                (r, text)
            })
            .collect();
    }
    if let Ok(Ok(jobs)) = tokio::time::timeout(timeout, crate::jobs::list(&target, None)).await {
        row.running = jobs
            .iter()
            .filter(|j| matches!(j.phase.as_str(), "Running" | "Pending" | "Submitting"))
            .count();
    }
    if let Ok(Ok(tickets)) = tokio::time::timeout(timeout, crate::queue::rows(&target, None)).await
    {
        row.queued = tickets.iter().filter(|t| t.state == "waiting").count();
    }
    row
}

/// `spark-k8s-cli clusters [-o json]`: every cluster of the fleet, probed now.
pub fn clusters_command(format: crate::report::Format, env: &Env) -> u8 {
    use super::exit;
    let config = match crate::resolve::launcher_config(env, &super::DiskFiles) {
        Ok(c) => c,
        Err(e) => {
            crate::report::error(&e);
            return exit::USAGE;
        }
    };
    // The config file's values, else the documented defaults.
    let fs = match crate::resolve::config_groups(&config) {
        Ok(t) => t.fleet,
        Err(e) => {
            crate::report::error(&e);
            return exit::USAGE;
        }
    };
    super::block_on(2, async {
        // Without a fleet, the one cluster of the kubeconfig's current context.
        let single = FleetSettings {
            fleet: Fleet::parse(r#"[{"name": "kubeconfig"}]"#).ok(),
            ..fs.clone()
        };
        let found = match fleet_job_from(&fs, None, env).await {
            Ok(None) => fleet_job_from(&single, None, env).await,
            other => other,
        };
        let fj = match found {
            Ok(Some(fj)) => fj,
            Ok(None) => {
                crate::report::error(
                    &"no fleet is configured and no kubeconfig names a cluster. Add `fleet:` to the launcher config or set KUBECONFIG.",
                );
                return exit::USAGE;
            }
            Err(e) => {
                crate::report::error(&e);
                return exit::code(&e.into());
            }
        };
        let rows =
            futures::future::join_all(fj.fleet.members.iter().map(|m| cluster_row(env, &fj, m)))
                .await;
        // Fresh probes: what moved jobs left on members that answer again goes now.
        sweep_stale(env, &fj).await;
        let text = match format.data(&rows) {
            Some(data) => data,
            None => cluster_table(&rows, format == crate::report::Format::Wide),
        };
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        exit::OK
    })
}

/// The fleet's clusters with a client each, for commands that look a job up (`list`, `logs`):
/// `None` when no fleet is configured. Disabled members are left out; drained ones stay (their
/// jobs still run).
pub async fn member_targets(
    env: &Env,
    namespace: Option<&str>,
) -> Result<Option<Vec<(String, Target)>>, JobError> {
    let config = crate::resolve::launcher_config(env, &super::DiskFiles)
        .map_err(|e| JobError::usage(e.to_string()))?;
    let fleet = crate::resolve::config_groups(&config)
        .map_err(|e| JobError::usage(e.to_string()))?
        .fleet
        .fleet;
    let Some(fleet) = fleet else {
        return Ok(None);
    };
    if fleet.members.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for m in fleet.members.iter().filter(|m| m.enabled) {
        out.push((m.name.clone(), connect_member(env, m, namespace).await?));
    }
    Ok(Some(out))
}

/// The table `clusters` prints; wide, with each cluster's API server and namespace.
fn cluster_table(rows: &[ClusterRow], wide: bool) -> String {
    let mut head = vec![
        "NAME", "STATE", "WEIGHT", "PRIORITY", "HEALTH", "LATENCY", "CIRCUIT", "RUNNING", "QUEUED",
        "HEADROOM",
    ];
    if wide {
        head.splice(1..1, ["SERVER", "NAMESPACE"]);
    }
    let cells = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.name.clone(),
                r.state.clone(),
                r.weight.to_string(),
                r.priority.to_string(),
                r.health.clone(),
                r.latency_ms.map_or("-".into(), |l| format!("{l}ms")),
                r.circuit.clone(),
                r.running.to_string(),
                r.queued.to_string(),
                r.headroom
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(","),
            ];
            if wide {
                cells.splice(1..1, [r.server.clone(), r.namespace.clone()]);
            }
            cells
        })
        .collect();
    crate::report::table::columns(&head, cells)
}
