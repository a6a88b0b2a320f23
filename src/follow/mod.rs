//! follow: watches the job's pods (one watch, resumed when cut), streams the submit pod's log
//! (and the driver's) to stdout, fails fast on start-up failures, handles signals, and turns the
//! driver's end into the exit code.

pub mod ops;
pub mod progress;

use std::collections::{BTreeSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{AsyncBufReadExt, StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Event, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{
    Api, DeleteParams, ListParams, LogParams, Patch, PatchParams, WatchEvent, WatchParams,
};

use crate::alert::{Event as JobEvent, Kind};
use crate::outcome::StartupKind;
use crate::plan::{JOB_ID_LABEL, JobPlan, SUBMIT_CONTAINER};
use crate::submit::retry::{self, Decision, Policy};
use crate::submit::{self, JobError, Target, code};
use progress::{Phase, Progress};

/// How often the job's pods are listed again while they are watched.
const RESYNC: Duration = Duration::from_secs(30);

/// Waiting reasons that never resolve by themselves.
const FATAL_WAITING: [&str; 4] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
];

/// The job's time limits and what they do.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// How long a pod may stay unschedulable (`startupTimeout`).
    pub startup: Duration,
    /// `startupTimeoutAction=alert`: alert once and keep waiting.
    pub startup_alert_only: bool,
    /// How long the driver may run (`runTimeout`).
    pub run: Option<Duration>,
    /// `runTimeoutAction=kill`: stop the job at the run timeout.
    pub run_kill: bool,
    /// The job's queue, for the alerts.
    pub queue: String,
    /// How long the cluster may stay unreachable while the job is followed.
    pub cluster_lost: Duration,
}

impl Limits {
    /// Reads the limits (the queue's `queueOverrides` are applied by `resolve` already).
    pub fn from_settings(s: &crate::resolve::Settings) -> Limits {
        use crate::resolve::typed::{RunTimeoutAction, TimeoutAction};
        let t = s.timeouts();
        Limits {
            startup: t.startup,
            startup_alert_only: t.startup_action == TimeoutAction::Alert,
            run: t.run,
            run_kill: t.run_action == RunTimeoutAction::Kill,
            queue: s.queue().name.clone(),
            cluster_lost: t.cluster_lost,
        }
    }
}

/// A job event observed while following the job; recorded on the submit pod.
fn job_event(
    kind: Kind,
    target: &Target,
    plan: &JobPlan,
    submit_pod: &str,
    queue: &str,
    message: String,
) -> JobEvent {
    let mut e = JobEvent::new(kind, &plan.job_id, message);
    e.app_name = plan.app_name.clone();
    e.queue = queue.to_string();
    e.cluster = target.cluster.clone();
    e.namespace = target.namespace.clone();
    e.subject = Some(crate::alert::Subject {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: submit_pod.to_string(),
    });
    e
}

/// A pod of the job that cannot start: told to the alert sinks (with the pod's last events)
/// and made the job's error (exit 4).
struct StartFailure<'a> {
    target: &'a Target,
    plan: &'a JobPlan,
    submit_pod: &'a str,
    limits: &'a Limits,
}

impl StartFailure<'_> {
    /// Raises `kind` about pod `p`; the error the job fails with.
    async fn tell(
        &self,
        kind: Kind,
        p: &Pod,
        reason: &str,
        text: String,
        seconds: f64,
    ) -> JobError {
        let name = p.metadata.name.as_deref().unwrap_or_default();
        let events = last_events(self.target, name).await;
        let mut e = job_event(
            kind,
            self.target,
            self.plan,
            self.submit_pod,
            &self.limits.queue,
            text.clone(),
        );
        about(&mut e, p, reason, &events);
        e.seconds = seconds;
        crate::alert::raise(self.target, &e).await;
        let kind = match kind {
            Kind::ContainerCreationFailed => StartupKind::ContainerCreation,
            Kind::PendingTooLong => StartupKind::Unschedulable,
            _ => StartupKind::CrashLoop,
        };
        JobError::startup(kind, format!("{text}\n{events}"))
    }
}

/// Fills in the pod an event is about: its name, phase, the reason and its last events.
fn about(e: &mut JobEvent, p: &Pod, reason: &str, events: &str) {
    e.pods = vec![p.metadata.name.clone().unwrap_or_default()];
    e.phase = Some(phase(p).to_string()).filter(|p| !p.is_empty());
    e.reason = Some(reason.to_string());
    e.last_events = event_lines(events);
}

/// [`last_events`]' lines, trimmed.
fn event_lines(events: &str) -> Vec<String> {
    events
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The wait before trying an unreachable cluster again: 0.5 s doubling to at most 8 s.
fn lost_delay(step: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1 << step.min(4)))
}

/// The submit pod and the driver as the follower knows them. In client mode the driver runs in
/// the submit pod itself: one pod, seen as both.
struct JobPods {
    submit_name: String,
    driver_name: String,
    submit: Pod,
    driver: Option<Pod>,
}

impl JobPods {
    fn new(submit: &Pod, plan: &JobPlan) -> JobPods {
        let submit_name = submit.metadata.name.clone().unwrap_or_default();
        let driver_name = if plan.driver_in_submit_pod() {
            submit_name.clone()
        } else {
            plan.driver_pod_name.clone()
        };
        JobPods {
            submit_name,
            driver_name,
            submit: submit.clone(),
            driver: None,
        }
    }

    /// Client mode: the driver is the submit pod.
    fn client_mode(&self) -> bool {
        self.submit_name == self.driver_name
    }

    /// A newer view of pod `p`; `false` when it is neither the submit pod nor the driver.
    fn seen(&mut self, p: Pod) -> bool {
        let name = p.metadata.name.as_deref().unwrap_or_default();
        let (is_submit, is_driver) = (name == self.submit_name, name == self.driver_name);
        if is_driver {
            self.driver = Some(p.clone());
        }
        if is_submit {
            self.submit = p;
        }
        is_submit || is_driver
    }

    /// Pod `p` was deleted: a pod gone before it ended is failed, without an exit code.
    fn gone(&mut self, mut p: Pod) {
        if !matches!(phase(&p), "Succeeded" | "Failed") {
            p.status.get_or_insert_with(Default::default).phase = Some("Failed".into());
        }
        let name = p.metadata.name.as_deref().unwrap_or_default();
        if name == self.driver_name {
            self.driver = Some(p.clone());
        }
        if name == self.submit_name && (self.driver.is_none() || self.client_mode()) {
            self.submit = p;
        }
    }

    /// Takes a full list of the job's pods: the ones listed are updated, and a pod known
    /// before and missing from the list is gone (deleted while nobody watched).
    fn listed(&mut self, items: Vec<Pod>) {
        let mut submit_listed = false;
        let mut driver_listed = false;
        for p in items {
            let name = p.metadata.name.as_deref().unwrap_or_default();
            submit_listed |= name == self.submit_name;
            driver_listed |= name == self.driver_name;
            self.seen(p);
        }
        if !driver_listed && let Some(d) = self.driver.clone() {
            self.gone(d);
        }
        if !submit_listed {
            let s = self.submit.clone();
            self.gone(s);
        }
    }
}

/// Whether the driver's main container is (or was seen) running.
fn driver_running(p: &Pod) -> bool {
    containers(p).any(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
}

/// How one submit attempt ended.
enum AttemptEnd {
    /// The driver ended with this exit code (`None`: it vanished without one) and reason;
    /// `ran`: it started up first (seen running, with an executor when it asks for any).
    Driver {
        code: Option<i32>,
        reason: String,
        ran: bool,
    },
    /// `waitAppCompletion=false`: the driver runs; we are done.
    Detached,
    /// The in-pod spark-submit failed before any driver existed.
    SubmitFailed(String),
}

/// What the watch knows about a pod.
fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

/// The pod's container statuses (none before the kubelet reports).
fn containers(p: &Pod) -> impl Iterator<Item = &k8s_openapi::api::core::v1::ContainerStatus> {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
}

/// The pod's init container statuses.
fn init_containers(p: &Pod) -> impl Iterator<Item = &k8s_openapi::api::core::v1::ContainerStatus> {
    p.status
        .as_ref()
        .and_then(|s| s.init_container_statuses.as_ref())
        .into_iter()
        .flatten()
}

/// The state of the submit pod's init container that receives the job's local files.
fn deps_state(p: &Pod) -> Option<&k8s_openapi::api::core::v1::ContainerState> {
    init_containers(p)
        .find(|c| c.name == crate::plan::deps::DEPS_CONTAINER)?
        .state
        .as_ref()
}

fn terminated_code(p: &Pod) -> Option<(i32, String)> {
    containers(p).find_map(|c| {
        let t = c.state.as_ref()?.terminated.as_ref()?;
        Some((t.exit_code, t.reason.clone().unwrap_or_default()))
    })
}

fn fatal_waiting(p: &Pod) -> Option<(String, String)> {
    init_containers(p).chain(containers(p)).find_map(|c| {
        let w = c.state.as_ref()?.waiting.as_ref()?;
        let reason = w.reason.clone()?;
        FATAL_WAITING
            .contains(&reason.as_str())
            .then(|| (reason, w.message.clone().unwrap_or_default()))
    })
}

/// A container restarting over and over (a pod template with `restartPolicy: Always`): its
/// waiting message and last exit code.
fn crash_looping(p: &Pod) -> Option<String> {
    init_containers(p).chain(containers(p)).find_map(|c| {
        let w = c.state.as_ref()?.waiting.as_ref()?;
        (w.reason.as_deref() == Some("CrashLoopBackOff")).then(|| {
            let last = c
                .last_state
                .as_ref()
                .and_then(|s| s.terminated.as_ref())
                .map(|t| format!(" (container {} last exited {})", c.name, t.exit_code))
                .unwrap_or_default();
            format!("{}{last}", w.message.clone().unwrap_or_default())
        })
    })
}

fn unschedulable(p: &Pod) -> Option<String> {
    p.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find_map(|c| {
            (c.type_ == "PodScheduled"
                && c.status == "False"
                && c.reason.as_deref() == Some("Unschedulable"))
            .then(|| c.message.clone().unwrap_or_default())
        })
}

fn running(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.state
                    .as_ref()
                    .is_some_and(|s| s.running.is_some() || s.terminated.is_some())
            })
        })
}

/// Streams a container's log to stdout, keeping the last lines.
fn stream_log(
    pods: Api<Pod>,
    name: String,
    container: Option<String>,
    tail: Arc<Mutex<VecDeque<String>>>,
    progress: Progress,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let lp = LogParams {
            follow: true,
            container,
            ..LogParams::default()
        };
        let Ok(reader) = pods.log_stream(&name, &lp).await else {
            return;
        };
        let mut lines = reader.lines();
        while let Some(Ok(line)) = lines.next().await {
            progress.log_line(&line);
            let mut t = tail.lock().unwrap_or_else(|p| p.into_inner());
            t.push_back(line);
            if t.len() > 200 {
                t.pop_front();
            }
        }
    })
}

/// The pod's last events, one per line, for failure messages.
async fn last_events(target: &Target, pod: &str) -> String {
    let events: Api<Event> = Api::namespaced(target.client.clone(), &target.namespace);
    let lp = ListParams::default().fields(&format!("involvedObject.name={pod}"));
    match events.list(&lp).await {
        Ok(list) => list
            .items
            .iter()
            .rev()
            .take(5)
            .rev()
            .map(|e| {
                format!(
                    "  {} {}: {}",
                    e.type_.as_deref().unwrap_or(""),
                    e.reason.as_deref().unwrap_or(""),
                    e.message.as_deref().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Err(_) => String::new(),
    }
}

/// Deletes the job's pods (driver first: its executors go with it).
async fn delete_pods(target: &Target, names: &[&str], grace: u32) {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let dp = DeleteParams {
        grace_period_seconds: Some(grace),
        ..DeleteParams::default()
    };
    for n in names {
        let _ = pods.delete(n, &dp).await;
    }
}

/// Deletes every pod of the job: the driver (its executors follow by owner), then submit pods.
pub async fn delete_job_pods(target: &Target, plan: &JobPlan) {
    let _ = delete_pods_of(target, &plan.job_id, &plan.driver_pod_name).await;
}

/// Deletes job `job_id`'s pods (its driver by name, the rest by label); `Err`: the cluster
/// did not take the deletes.
pub async fn delete_pods_of(target: &Target, job_id: &str, driver: &str) -> kube::Result<()> {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let dp = DeleteParams {
        grace_period_seconds: Some(0),
        ..DeleteParams::default()
    };
    let by_name = match pods.delete(driver, &dp).await {
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
        r => r.map(|_| ()),
    };
    let lp = ListParams::default().labels(&format!("{JOB_ID_LABEL}={job_id}"));
    let by_label = pods.delete_collection(&dp, &lp).await.map(|_| ());
    by_name.and(by_label)
}

/// After an interrupt during a create: for up to `window`, deletes any pod of the job the
/// server still creates (watched, not polled).
pub async fn sweep_late_creates(target: &Target, plan: &JobPlan, window: Duration) {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let selector = format!("{JOB_ID_LABEL}={}", plan.job_id);
    let Ok(list) = pods.list(&ListParams::default().labels(&selector)).await else {
        return;
    };
    if !list.items.is_empty() {
        delete_job_pods(target, plan).await;
        return;
    }
    let rv = list.metadata.resource_version.unwrap_or_default();
    let wp = WatchParams::default().labels(&selector);
    let Ok(stream) = pods.watch(&wp, &rv).await else {
        return;
    };
    let mut stream = stream.boxed();
    let _ = tokio::time::timeout(window, async {
        while let Some(Ok(ev)) = stream.next().await {
            if matches!(ev, WatchEvent::Added(_)) {
                delete_job_pods(target, plan).await;
                return;
            }
        }
    })
    .await;
}

/// Follows one submit attempt to its end.
async fn follow_attempt(
    target: &Target,
    plan: &JobPlan,
    submit_pod: &Pod,
    limits: &Limits,
    follow_driver_log: bool,
    wait_completion: bool,
    progress: &Progress,
) -> Result<AttemptEnd, JobError> {
    let startup_timeout = limits.startup;
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut job = JobPods::new(submit_pod, plan);
    let (submit_name, driver_name) = (job.submit_name.clone(), job.driver_name.clone());
    let selector = format!("{JOB_ID_LABEL}={}", plan.job_id);
    let mut rv = submit_pod
        .metadata
        .resource_version
        .clone()
        .unwrap_or_default();
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let mut submit_log: Option<tokio::task::JoinHandle<()>> = None;
    let mut driver_log: Option<tokio::task::JoinHandle<()>> = None;
    let mut owned = false;
    let mut streamed = false;
    let mut pending_since: Option<Instant> = None;
    // Alerted already (the alert-only actions keep following).
    let mut pending_told = false;
    let mut running_since: Option<Instant> = None;
    let mut run_told = false;
    let mut executors_seen = false;
    // When the job's pods were last listed.
    let mut synced = Instant::now();
    let mut watch: Option<futures::stream::BoxStream<'static, kube::Result<WatchEvent<Pod>>>> =
        None;
    let wanted = usize::try_from(plan.demand.executors.initial).unwrap_or(0);
    let mut executors: BTreeSet<String> = BTreeSet::new();
    let mut shown: Option<Phase> = None;
    // Since when the cluster has not answered, and the step of the backoff.
    let mut lost: Option<Instant> = None;
    let mut lost_step: u32 = 0;
    loop {
        let now = match &job.driver {
            Some(d) if running(d) => Phase::Running {
                executors: executors.len(),
                wanted,
            },
            _ => Phase::Pending,
        };
        if shown.as_ref() != Some(&now) {
            progress.set(&now);
            shown = Some(now);
        }
        // React to what we know.
        if submit_log.is_none() && running(&job.submit) {
            submit_log = Some(stream_log(
                pods.clone(),
                submit_name.clone(),
                Some(SUBMIT_CONTAINER.into()),
                tail.clone(),
                progress.clone(),
            ));
        }
        // Large local files: into the init container waiting for them, once per attempt.
        if let Some(deps) = plan
            .deps
            .as_ref()
            .filter(|d| d.delivery == crate::plan::deps::Delivery::Stream)
            && !streamed
            && let Some(state) = deps_state(&job.submit)
        {
            if state.running.is_some() {
                progress.note(&format!(
                    "sending {} local file(s), {} bytes, to {submit_name}",
                    deps.files.len(),
                    deps.total()
                ));
                submit::ship::stream(target, &submit_name, deps).await?;
                streamed = true;
            } else if let Some(t) = state.terminated.as_ref().filter(|t| t.exit_code != 0) {
                let events = last_events(target, &submit_name).await;
                return Err(JobError::startup(
                    StartupKind::LocalFiles,
                    format!(
                        "Submit pod {submit_name} did not receive the job's local files: its {} container exited {} ({}).\n{events}",
                        crate::plan::deps::DEPS_CONTAINER,
                        t.exit_code,
                        t.reason.as_deref().unwrap_or("Error")
                    ),
                ));
            }
        }
        // The start-up clock runs only while some pod of the job is unschedulable.
        // In client mode the driver is the submit pod: looked at once.
        let distinct_driver = job.driver.as_ref().filter(|_| !job.client_mode());
        if !std::iter::once(&job.submit)
            .chain(distinct_driver)
            .any(|p| unschedulable(p).is_some())
        {
            pending_since = None;
        }
        for p in std::iter::once(&job.submit).chain(distinct_driver) {
            let name = p.metadata.name.clone().unwrap_or_default();
            let start = &StartFailure {
                target,
                plan,
                submit_pod: &submit_name,
                limits,
            };
            if let Some((reason, message)) = fatal_waiting(p) {
                let text = format!("Pod {name} cannot start: {reason}: {message}");
                let e = start
                    .tell(Kind::ContainerCreationFailed, p, &reason, text, 0.0)
                    .await;
                return Err(e);
            }
            if let Some(message) = crash_looping(p) {
                let text = format!("Pod {name} keeps crashing: CrashLoopBackOff: {message}");
                let e = start
                    .tell(Kind::StartupFailed, p, "CrashLoopBackOff", text, 0.0)
                    .await;
                return Err(e);
            }
            if let Some(message) = unschedulable(p) {
                let since = *pending_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= startup_timeout && !pending_told {
                    let text = format!(
                        "Pod {name} is still unschedulable after {} s (spark.k8scli.startupTimeout): {message}",
                        startup_timeout.as_secs()
                    );
                    let seconds = since.elapsed().as_secs_f64();
                    let e = start
                        .tell(Kind::PendingTooLong, p, "Unschedulable", text, seconds)
                        .await;
                    if !limits.startup_alert_only {
                        return Err(e);
                    }
                    pending_told = true;
                }
            }
        }
        if let Some(d) = &job.driver {
            // In client mode there is no other pod to own the submit pod, nor to share with,
            // and the submit pod's log is the driver's.
            if job.client_mode() {
                owned = true;
            }
            if !owned && let Some(uid) = d.metadata.uid.clone() {
                // Deleting the driver (as Airflow's on_kill does) now removes the submit pod too.
                let patch = serde_json::json!({"metadata": {"ownerReferences": [OwnerReference {
                    api_version: "v1".into(), kind: "Pod".into(), name: driver_name.clone(), uid,
                    ..OwnerReference::default()
                }]}});
                let _ = pods
                    .patch(&submit_name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await;
                submit::ship::share_with_driver(target, plan, &job.submit, d).await;
                owned = true;
            }
            if follow_driver_log && !job.client_mode() && driver_log.is_none() && running(d) {
                driver_log = Some(stream_log(
                    pods.clone(),
                    driver_name.clone(),
                    None,
                    Arc::new(Mutex::new(VecDeque::new())),
                    progress.clone(),
                ));
            }
            if running_since.is_none() && driver_running(d) {
                running_since = Some(Instant::now());
            }
            if let (Some(limit), Some(since)) = (limits.run, running_since)
                && since.elapsed() >= limit
                && !run_told
                && !matches!(phase(d), "Succeeded" | "Failed")
            {
                let text = format!(
                    "Driver {driver_name} has run {} s, past spark.k8scli.run.timeout ({} s){}.",
                    since.elapsed().as_secs(),
                    limit.as_secs(),
                    if limits.run_kill {
                        "; stopping the job"
                    } else {
                        ""
                    }
                );
                let mut e = job_event(
                    Kind::RunTimeout,
                    target,
                    plan,
                    &submit_name,
                    &limits.queue,
                    text.clone(),
                );
                about(&mut e, d, "RunTimeout", "");
                e.seconds = since.elapsed().as_secs_f64();
                crate::alert::raise(target, &e).await;
                run_told = true;
                if limits.run_kill {
                    delete_job_pods(target, plan).await;
                    return Err(JobError::RunTimeout(text));
                }
            }
            if matches!(phase(d), "Succeeded" | "Failed") {
                let code = terminated_code(d);
                // spark-submit prints its final status lines as the driver ends: let them through.
                if let Some(h) = submit_log.take() {
                    let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
                }
                if let Some(h) = driver_log.take() {
                    let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
                }
                let reason = code.as_ref().map(|c| c.1.clone()).unwrap_or_default();
                return Ok(AttemptEnd::Driver {
                    code: code.map(|c| c.0),
                    reason,
                    // Started up: it ran, and had its executors (when it asks for any).
                    ran: running_since.is_some() && (wanted == 0 || executors_seen),
                });
            }
            if !wait_completion && running(d) && phase(&job.submit) == "Succeeded" {
                if let Some(h) = submit_log.take() {
                    let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
                }
                return Ok(AttemptEnd::Detached);
            }
        }
        if job.driver.is_none() && matches!(phase(&job.submit), "Succeeded" | "Failed") {
            let (exit, _) = terminated_code(&job.submit).unwrap_or((1, String::new()));
            if exit != 0 {
                if let Some(h) = submit_log.take() {
                    let _ = tokio::time::timeout(Duration::from_secs(10), h).await;
                }
                let log: Vec<String> = tail
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .iter()
                    .cloned()
                    .collect();
                return Ok(AttemptEnd::SubmitFailed(log.join("\n")));
            }
        }
        // Then wait for the next change, on one watch kept open and resumed from the last
        // resourceVersion when the server (or a cut) ends it.
        if watch.is_none() {
            let wp = WatchParams::default().labels(&selector).timeout(290);
            match pods.watch(&wp, &rv).await {
                Ok(s) => {
                    watch = Some(s.boxed());
                    if let Some(since) = lost.take() {
                        progress.note(&format!(
                            "job {}: the cluster answers again after {:.1} s",
                            plan.job_id,
                            since.elapsed().as_secs_f64()
                        ));
                        lost_step = 0;
                    }
                }
                Err(e) => {
                    if !submit::decision_of(&e).retryable() {
                        return Err(JobError::submission(
                            target.failure(&e, |m| format!("Cannot watch the job's pods: {m}")),
                        ));
                    }
                    let since = *lost.get_or_insert_with(Instant::now);
                    let cause = submit::message_of(&e);
                    if since.elapsed() >= limits.cluster_lost {
                        let text = format!(
                            "Lost the cluster {}: no answer for {} s (spark.k8scli.clusterLostTimeout): {cause}. The job's outcome is unknown: its driver {driver_name} may still run there (`spark-k8s-cli status {}` once it answers).",
                            target.server,
                            since.elapsed().as_secs(),
                            plan.job_id
                        );
                        let mut e = job_event(
                            Kind::ClusterLost,
                            target,
                            plan,
                            &submit_name,
                            &limits.queue,
                            text.clone(),
                        );
                        e.pods = vec![driver_name.clone()];
                        e.seconds = since.elapsed().as_secs_f64();
                        crate::alert::raise(target, &e).await;
                        return Err(JobError::ClusterLost(text));
                    }
                    // One line per step of the backoff, not one per request.
                    let delay = lost_delay(lost_step)
                        .min(limits.cluster_lost.saturating_sub(since.elapsed()))
                        .max(Duration::from_millis(50));
                    lost_step += 1;
                    progress.note(&format!(
                        "job {}: cannot reach the cluster {} ({cause}) for {:.1} s; trying again in {:.1} s (gives up after spark.k8scli.clusterLostTimeout={} s)",
                        plan.job_id,
                        target.server,
                        since.elapsed().as_secs_f64(),
                        delay.as_secs_f64(),
                        limits.cluster_lost.as_secs()
                    ));
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
        }
        let stream = watch.as_mut().expect("opened above");
        // The clocks that may end the wait: start-up while a pod is unschedulable, the run
        // timeout while the driver runs.
        let startup_left = pending_since
            .filter(|_| !pending_told)
            .map(|s| startup_timeout.saturating_sub(s.elapsed()));
        let run_left = match (limits.run, running_since) {
            (Some(limit), Some(s)) if !run_told => Some(limit.saturating_sub(s.elapsed())),
            _ => None,
        };
        // And the resync: a watch is a view that can go stale (a cluster lost and back, a
        // watch resumed past what it missed), so the pods are listed again every RESYNC, as
        // informers resync; a quiet watch then cannot hold the job for ever.
        let resync_left = RESYNC.saturating_sub(synced.elapsed());
        let tick = [startup_left, run_left, Some(resync_left)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(RESYNC);
        let next =
            match tokio::time::timeout(tick.max(Duration::from_millis(100)), stream.try_next())
                .await
            {
                Ok(n) => n,
                Err(_) if synced.elapsed() >= RESYNC => {
                    synced = Instant::now();
                    if let Ok(list) = pods.list(&ListParams::default().labels(&selector)).await {
                        job.listed(list.items);
                    }
                    continue;
                }
                // Only a clock moved: look again.
                Err(_) => continue,
            };
        let mut handle = |ev: WatchEvent<Pod>, rv: &mut String| -> bool {
            match ev {
                WatchEvent::Added(p) | WatchEvent::Modified(p) => {
                    if let Some(v) = &p.metadata.resource_version {
                        *rv = v.clone();
                    }
                    let name = p.metadata.name.clone().unwrap_or_default();
                    if phase(&p) == "Running" && name != submit_name && name != driver_name {
                        executors_seen = true;
                        executors.insert(name);
                    } else if !job.seen(p) {
                        executors.remove(&name);
                    }
                    true
                }
                WatchEvent::Deleted(p) => {
                    if let Some(v) = &p.metadata.resource_version {
                        *rv = v.clone();
                    }
                    executors.remove(p.metadata.name.as_deref().unwrap_or_default());
                    // Gone without a terminal status: deleted or evicted.
                    job.gone(p);
                    true
                }
                WatchEvent::Bookmark(b) => {
                    *rv = b.metadata.resource_version;
                    false
                }
                WatchEvent::Error(e) if e.code == 410 => {
                    rv.clear();
                    false
                }
                WatchEvent::Error(_) => false,
            }
        };
        let ended = match next {
            Ok(Some(ev)) => {
                handle(ev, &mut rv);
                false
            }
            // Ended or broken: reopen from the last resourceVersion.
            Ok(None) | Err(_) => true,
        };
        if !ended {
            // Take what is already there without waiting.
            while let Some(Some(Ok(ev))) = futures::FutureExt::now_or_never(stream.next()) {
                handle(ev, &mut rv);
            }
        } else {
            watch = None;
        }
        if rv.is_empty() {
            watch = None;
            // Too old (410): relist, then watch from the list.
            if let Ok(list) = pods.list(&ListParams::default().labels(&selector)).await {
                rv = list.metadata.resource_version.clone().unwrap_or_default();
                job.listed(list.items);
            }
        }
    }
}

/// Where a job resumes after going back to the queue: the next attempt's number, and the
/// failed submit pod the next attempt replaces (it owns the job's Secrets until then).
#[derive(Debug)]
pub struct Resume {
    pub attempt: usize,
    pub failed_pod: Option<String>,
}

impl Default for Resume {
    fn default() -> Self {
        Resume {
            attempt: 1,
            failed_pod: None,
        }
    }
}

/// Runs the job on `target` to its end; returns the exit code.
pub async fn run(
    target: &Target,
    plan: &JobPlan,
    settings: &crate::resolve::Settings,
    policy: &Policy,
    resume: &mut Resume,
) -> Result<u8, JobError> {
    let limits = Limits::from_settings(settings);
    let follow_driver_log = settings.job().follow_driver_log;
    let wait_completion =
        settings.conf("spark.kubernetes.submission.waitAppCompletion") != Some("false");
    let start = Instant::now();
    let mut backoff = policy.backoff();
    let mut attempt = resume.attempt;
    let progress = Progress::new(
        &plan.job_id,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let result = attempts(
        target,
        plan,
        policy,
        &progress,
        &mut attempt,
        &mut resume.failed_pod,
        start,
        &mut backoff,
        &limits,
        follow_driver_log,
        wait_completion,
    )
    .await;
    resume.attempt = attempt;
    progress.finish();
    result
}

#[allow(clippy::too_many_arguments)] // one call site: the loop of `run`, split out for `finish`
async fn attempts(
    target: &Target,
    plan: &JobPlan,
    policy: &Policy,
    progress: &Progress,
    attempt: &mut usize,
    failed_pod: &mut Option<String>,
    start: Instant,
    backoff: &mut impl Iterator<Item = Duration>,
    limits: &Limits,
    follow_driver_log: bool,
    wait_completion: bool,
) -> Result<u8, JobError> {
    loop {
        let attempt_no = *attempt;
        progress.set(&Phase::Submitting);
        let pod_name = if attempt_no == 1 {
            plan.submit_pod_name.clone()
        } else {
            format!("{}-{attempt_no}", plan.submit_pod_name)
        };
        let (pod, reattached) = submit::create(target, plan, &pod_name, policy).await?;
        if let Some(old) = failed_pod.take() {
            delete_pods(target, &[&old], 0).await;
        }
        if reattached {
            crate::report::say(&format!(
                "spark-k8s-cli: job {} has submit pod {pod_name} already; following it",
                plan.job_id
            ));
        } else {
            crate::report::say(&format!(
                "spark-k8s-cli: job {} submitted: pod {pod_name} in {} on {}",
                plan.job_id, target.namespace, target.server
            ));
        }
        let end = match follow_attempt(
            target,
            plan,
            &pod,
            limits,
            follow_driver_log,
            wait_completion,
            progress,
        )
        .await
        {
            Ok(end) => end,
            Err(e) => {
                // A job that cannot start leaves nothing behind.
                delete_job_pods(target, plan).await;
                return Err(e);
            }
        };
        match end {
            AttemptEnd::Driver { code, reason, ran } => {
                // The driver stays, as Spark leaves it; in client mode it is the submit pod.
                let driver_pod = if plan.driver_in_submit_pod() {
                    pod_name.clone()
                } else {
                    delete_pods(target, &[&pod_name], 0).await;
                    plan.driver_pod_name.clone()
                };
                let kind = match code {
                    Some(0) => Kind::JobSucceeded,
                    _ if reason == "OOMKilled" => Kind::OomKilled,
                    Some(_) if !ran => Kind::StartupFailed,
                    _ => Kind::DriverFailed,
                };
                let text = match code {
                    Some(c) => format!("Driver {} ended ({reason}): exit code {c}.", driver_pod),
                    None => format!(
                        "Driver {} ended without an exit code (deleted or evicted).",
                        driver_pod
                    ),
                };
                let mut e = job_event(kind, target, plan, &pod_name, &limits.queue, text);
                e.pods = vec![driver_pod.clone()];
                e.reason = Some(reason.clone()).filter(|r| !r.is_empty());
                e.phase = Some(
                    if code == Some(0) {
                        "Succeeded"
                    } else {
                        "Failed"
                    }
                    .into(),
                );
                e.seconds = start.elapsed().as_secs_f64();
                if kind != Kind::JobSucceeded {
                    let events = last_events(target, &driver_pod).await;
                    e.last_events = event_lines(&events);
                }
                crate::alert::raise(target, &e).await;
                let exit = match code {
                    Some(0) => 0,
                    Some(c) => u8::try_from(c).ok().filter(|c| *c != 0).unwrap_or(1),
                    None => code::DRIVER_LOST,
                };
                match code {
                    Some(c) => crate::report::say(&format!(
                        "spark-k8s-cli: driver {} ended{}: Exit code: {c}",
                        driver_pod,
                        if reason.is_empty() {
                            String::new()
                        } else {
                            format!(" ({reason})")
                        }
                    )),
                    None => crate::report::say(&format!(
                        "spark-k8s-cli: driver {} ended without an exit code (deleted or evicted)",
                        driver_pod
                    )),
                }
                return Ok(exit);
            }
            AttemptEnd::Detached => {
                delete_pods(target, &[&pod_name], 0).await;
                return Ok(0);
            }
            AttemptEnd::SubmitFailed(log) => {
                let d = retry::classify_submit_log(&log);
                // No driver exists (the pinned name makes a second one impossible): try again.
                match policy.next_delay(&d, attempt_no, start.elapsed(), backoff) {
                    Some(delay) => {
                        crate::report::say(&format!(
                            "spark-k8s-cli: in-pod submission failed: {} (attempt {attempt_no}); retrying in {} ms",
                            d.reason(),
                            delay.as_millis()
                        ));
                        tokio::time::sleep(delay).await;
                        *attempt += 1;
                        // Deleted once the next attempt's pod owns the job's secret.
                        *failed_pod = Some(pod_name.clone());
                    }
                    None if d == Decision::QuotaExceeded => {
                        // Back to the queue; the next attempt replaces this pod.
                        *attempt += 1;
                        *failed_pod = Some(pod_name.clone());
                        return Err(JobError::quota_full(format!(
                            "Submission failed: the namespace quota has no room for the driver (submit pod {pod_name}). Attempts: {attempt_no}."
                        )));
                    }
                    None => {
                        let why = match d {
                            Decision::QuotaExceeded => {
                                "the namespace quota has no room for the driver"
                            }
                            _ => "spark-submit failed before creating the driver",
                        };
                        return Err(JobError::submission(format!(
                            "Submission failed: {why} (submit pod {pod_name}; its log is above). Attempts: {attempt_no}."
                        )));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(status: serde_json::Value) -> Pod {
        serde_json::from_value(serde_json::json!({"metadata": {"name": "p"}, "status": status}))
            .unwrap()
    }

    #[test]
    fn crash_loops_are_told_apart_from_pull_failures() {
        let looping = pod(serde_json::json!({"containerStatuses": [{
            "name": "spark-kubernetes-driver", "image": "i", "imageID": "", "ready": false, "restartCount": 4,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container"}},
            "lastState": {"terminated": {"exitCode": 101}}
        }]}));
        assert_eq!(
            crash_looping(&looping).as_deref(),
            Some(
                "back-off 40s restarting failed container (container spark-kubernetes-driver last exited 101)"
            )
        );
        assert_eq!(fatal_waiting(&looping), None);
        let pulling = pod(serde_json::json!({"containerStatuses": [{
            "name": "c", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
            "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image"}}
        }]}));
        assert_eq!(crash_looping(&pulling), None);
        assert_eq!(
            fatal_waiting(&pulling).map(|f| f.0).as_deref(),
            Some("ImagePullBackOff")
        );
    }
}
