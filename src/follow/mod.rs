//! follow: watches the job's pods (kube-runtime's `watcher`), streams the submit pod's log (and
//! the driver's) to stdout, fails fast on start-up failures, handles signals, and turns the
//! driver's end into the exit code. Every decision is [`state`]'s (pure: pods and clocks in,
//! the next step out); this module performs the steps.

pub mod cost;
pub mod spark_lines;
pub mod state;
mod ui;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use futures::{AsyncBufReadExt, StreamExt};
use k8s_openapi::api::core::v1::{Event as KubeEvent, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{Api, DeleteParams, ListParams, LogParams, Patch, PatchParams};
use kube::runtime::WatchStreamExt;
use kube::runtime::utils::Backoff as _;
use kube::runtime::watcher::{self, watcher};
use tokio::sync::mpsc;

use crate::cluster::retry::{Decision, Policy};
use crate::cluster::{self, Target};
use crate::events::{Event as JobEvent, Kind};
use crate::outcome::StartupKind;
use crate::outcome::{JobError, code};
use crate::plan::{JOB_ID_LABEL, JobPlan, SUBMIT_CONTAINER};
use crate::report::progress::{Phase, Progress};
use crate::submit;
use state::{End, Event, Job, JobView, Log, Step, next_step, phase};

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
    /// How an interactive session is kept (re-attach, idle end).
    pub session: crate::session::Keep,
    /// Where the job's submit and driver logs are kept (`logDir`).
    pub log_dir: Option<std::path::PathBuf>,
    /// The driver's web UI port, told once the driver runs.
    pub ui_port: Option<u16>,
    /// An Ingress to the driver's web UI, made once the driver runs (`uiIngressHost`).
    pub ui_ingress: Option<crate::resolve::ui::UiIngress>,
    /// What a core-hour and a GiB-hour cost, per cluster (`prices`).
    pub prices: crate::resolve::prices::Prices,
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
            session: crate::session::Keep::from_settings(s),
            log_dir: s.report().log_dir.clone(),
            ui_port: s.report().ui_port,
            ui_ingress: s.report().ui_ingress.clone(),
            prices: s.report().prices.clone(),
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
    e.subject = Some(crate::events::Subject {
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
        crate::events::raise(self.target, &e).await;
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

/// The file a job's log is kept in (`logDir`), opened to append (a failover's attempt adds to
/// it): `DIR/JOB-ID.submit.log` or `DIR/JOB-ID.driver.log`. A directory that cannot be made or
/// written is said once per log, and the job goes on.
fn kept_log(dir: &std::path::Path, job_id: &str, log: Log) -> Option<(std::fs::File, String)> {
    let which = match log {
        Log::Submit => "submit",
        Log::Driver => "driver",
    };
    let path = dir.join(format!("{job_id}.{which}.log"));
    let opened = std::fs::create_dir_all(dir).and_then(|()| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
    });
    match opened {
        Ok(f) => Some((f, path.display().to_string())),
        Err(e) => {
            crate::report::warn(&format!(
                "spark-k8s-cli: job {job_id}: cannot keep the {which} log in {} ({e}); check spark.k8scli.logDir",
                path.display()
            ));
            None
        }
    }
}

/// Streams a container's log to stdout, keeping the last lines (and every line in `kept`, whose
/// path is said at the end); says on `ended` when it ends.
fn stream_log(
    pods: Api<Pod>,
    name: String,
    container: Option<String>,
    tail: Arc<Mutex<VecDeque<String>>>,
    progress: Progress,
    ended: (mpsc::UnboundedSender<Log>, Log),
    mut kept: Option<(std::fs::File, String)>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let lp = LogParams {
            follow: true,
            container,
            ..LogParams::default()
        };
        if let Ok(reader) = pods.log_stream(&name, &lp).await {
            let mut lines = reader.lines();
            while let Some(Ok(line)) = lines.next().await {
                progress.log_line(&line);
                if let Some((file, _)) = kept.as_mut() {
                    use std::io::Write as _;
                    let _ = writeln!(file, "{line}");
                }
                let mut t = tail.lock().unwrap_or_else(|p| p.into_inner());
                t.push_back(line);
                if t.len() > 200 {
                    t.pop_front();
                }
            }
        }
        if let Some((_, path)) = kept {
            progress.note(&format!("the {name} log is kept in {path}"));
        }
        let _ = ended.0.send(ended.1);
    })
}

/// The pod's last events, one per line, for failure messages.
async fn last_events(target: &Target, pod: &str) -> String {
    let events: Api<KubeEvent> = Api::namespaced(target.client.clone(), &target.namespace);
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

/// Deletes every pod of the job: the driver (its executors follow by owner), then submit pods;
/// and the job's Secrets, which no pod owns yet when a create was cut short.
pub async fn delete_job_pods(target: &Target, plan: &JobPlan) {
    let _ = delete_pods_of(target, &plan.job_id, &plan.driver_pod_name).await;
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(target.client.clone(), &target.namespace);
    let lp = ListParams::default().labels(&format!("{JOB_ID_LABEL}={}", plan.job_id));
    let _ = secrets
        .delete_collection(&DeleteParams::default(), &lp)
        .await;
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
    let config = watcher::Config::default()
        .labels(&format!("{JOB_ID_LABEL}={}", plan.job_id))
        .streaming_lists();
    let mut stream = watcher(pods, config).boxed();
    let _ = tokio::time::timeout(window, async {
        // A pod listed or added: delete the job's pods. An error ends the sweep (the process is
        // being interrupted: it does not wait on a cluster that does not answer).
        while let Some(Ok(ev)) = stream.next().await {
            if matches!(ev, watcher::Event::InitApply(_) | watcher::Event::Apply(_)) {
                delete_job_pods(target, plan).await;
                return;
            }
        }
    })
    .await;
}

/// The shortest wait for a clock: one that ran out is looked at again after this.
const TICK: Duration = Duration::from_millis(100);

/// What the pods' watch brought.
enum Seen {
    /// The server answered: with something the view takes, or nothing it needs.
    Answer(Option<Box<Event>>),
    /// Nothing the view takes (a broken or expired watch the watcher repairs, a clock).
    Nothing,
    /// The cluster did not take a watch or list request; it is tried again after this pause.
    Refused(kube::Error, Duration),
}

/// The job's pods, watched with kube-runtime's `watcher` (it resumes a watch the server or a
/// cut ends, relists on 410 Gone, and reconnects a watch silent past its timeout), its errors
/// paused by `WatchStreamExt::default_backoff` (client-go's numbers: 0.8 s doubling to 30 s,
/// jittered). The list is a streaming list (`sendInitialEvents=true` from `resourceVersion=0`:
/// one request, answered from the API server's watch cache and ended by the
/// `k8s.io/initial-events-end` bookmark; kube-runtime `watcher.rs`, `State::InitialWatch`).
///
/// A request the cluster refuses (it cannot be reached) starts the watch over with a new list
/// after the same backoff: a resumed watch comes back silently, a list says at once that the
/// cluster answers again (and what changed meanwhile).
struct PodWatch {
    api: Api<Pod>,
    config: watcher::Config,
    stream: futures::stream::BoxStream<'static, Result<watcher::Event<Pod>, watcher::Error>>,
    /// The pauses between refused requests (reset by any answer).
    backoff: watcher::DefaultBackoff,
    /// The pods of a list being received.
    listing: Vec<Pod>,
}

impl PodWatch {
    fn new(api: Api<Pod>, job_id: &str) -> PodWatch {
        let config = watcher::Config::default()
            .labels(&format!("{JOB_ID_LABEL}={job_id}"))
            .timeout(290)
            .streaming_lists();
        let mut w = PodWatch {
            api,
            config,
            stream: futures::stream::empty().boxed(),
            backoff: watcher::DefaultBackoff::default(),
            listing: Vec::new(),
        };
        w.start(Duration::ZERO);
        w
    }

    /// Starts the watch over (a new list) after `pause`.
    fn start(&mut self, pause: Duration) {
        let pods = watcher(self.api.clone(), self.config.clone()).default_backoff();
        let pause =
            futures::stream::once(tokio::time::sleep(pause)).filter_map(|()| async { None });
        self.stream = pause.chain(pods).boxed();
        self.listing.clear();
    }

    /// The next thing the watch brings (cancel-safe: the stream keeps its state).
    async fn next(&mut self) -> Seen {
        let item = self.stream.next().await;
        if matches!(item, Some(Ok(_))) {
            self.backoff.reset();
        }
        let event = match item {
            Some(Ok(watcher::Event::Init)) => {
                self.listing.clear();
                None
            }
            Some(Ok(watcher::Event::InitApply(p))) => {
                self.listing.push(p);
                None
            }
            Some(Ok(watcher::Event::InitDone)) => {
                Some(Event::Listed(std::mem::take(&mut self.listing)))
            }
            Some(Ok(watcher::Event::Apply(p))) => Some(Event::Applied(p)),
            Some(Ok(watcher::Event::Delete(p))) => Some(Event::Deleted(p)),
            Some(Err(
                watcher::Error::InitialListFailed(e) | watcher::Error::WatchStartFailed(e),
            )) => {
                let pause = self.backoff.next().unwrap_or(Duration::from_secs(30));
                self.start(pause);
                return Seen::Refused(e, pause);
            }
            // A broken or expired watch: the watcher resumes, or relists on 410.
            Some(Err(_)) => return Seen::Nothing,
            // The backoff never gives up; should the stream end, start again.
            None => {
                self.start(Duration::ZERO);
                return Seen::Nothing;
            }
        };
        Seen::Answer(event.map(Box::new))
    }
}

/// Follows one submit attempt to its end: a driver of [`state::JobView`], feeding it what the
/// pods' watch, the log streams and the clocks bring, and performing the [`Step`]s
/// [`state::next_step`] decides, and keeping what the pods held in `ledger`. The pair says
/// whether the driver's log is streamed too (`followDriverLog`) and whether the job is waited
/// for to its end (`waitAppCompletion`). Returns how the attempt ended and the submit pod's
/// last lines.
async fn follow_attempt(
    target: &Target,
    plan: &JobPlan,
    submit_pod: &Pod,
    limits: &Limits,
    (follow_driver_log, wait_completion): (bool, bool),
    progress: &Progress,
    ledger: &mut cost::Ledger,
) -> Result<(End, String), JobError> {
    let submit_name = submit_pod.metadata.name.clone().unwrap_or_default();
    let driver_name = if plan.driver_in_submit_pod() {
        submit_name.clone()
    } else {
        plan.driver_pod_name.clone()
    };
    let job = Job {
        job_id: plan.job_id.clone(),
        server: target.server.clone(),
        submit_name: submit_name.clone(),
        driver_name: driver_name.clone(),
        wanted: usize::try_from(plan.demand.executors.initial).unwrap_or(0),
        stream_deps: plan
            .deps
            .as_ref()
            .is_some_and(|d| d.delivery == crate::plan::deps::Delivery::Stream),
        follow_driver_log,
        wait_completion,
        limits: limits.clone(),
    };
    let mut view = JobView::new(job, submit_pod.clone());
    let (log_ended, mut log_ends) = mpsc::unbounded_channel::<Log>();
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut watch = PodWatch::new(pods.clone(), &plan.job_id);
    let (session_ended, mut session_ends) = mpsc::unbounded_channel::<crate::session::Ended>();
    let follower = Follower {
        target,
        plan,
        limits,
        progress,
        pods,
        submit_name,
        driver_name,
        tail: Arc::default(),
        log_ended,
        session: plan
            .is_session()
            .then(|| (limits.session.clone(), session_ended)),
    };
    let mut shown: Option<Phase> = None;
    let mut ui_told = plan.is_session();
    let mut spark = SparkLines::new(plan, target, submit_pod, wait_completion, progress);
    loop {
        let phase = view.phase();
        if shown.as_ref() != Some(&phase) {
            progress.set(&phase);
            if !ui_told && matches!(phase, Phase::Running { .. }) {
                ui_told = true;
                if let Some(port) = limits.ui_port {
                    progress.note(&ui_line(target, &plan.job_id, &follower.driver_name, port));
                    if let (Some(ingress), Some(driver)) = (&limits.ui_ingress, view.driver()) {
                        ui::expose(target, &plan.job_id, driver, port, ingress, progress).await;
                    }
                }
            }
            shown = Some(phase);
        }
        let step = next_step(&view, Instant::now());
        if let Step::Wait(until) = step {
            let clock = until.map(|u| u.max(Instant::now() + TICK));
            let seen = tokio::select! {
                seen = watch.next() => seen,
                Some(log) = log_ends.recv() => Seen::Answer(Some(Box::new(Event::LogEnded(log)))),
                Some(ended) = session_ends.recv() => {
                    follower.session_ended(ended).await?;
                    Seen::Nothing
                }
                _ = sleep_until(clock) => Seen::Nothing,
            };
            if let Seen::Answer(Some(event)) = &seen {
                ledger.heard(event, k8s_openapi::jiff::Timestamp::now());
            }
            follower.heard(&mut view, seen)?;
            spark.saw(view.driver());
            continue;
        }
        if let Step::End(End::Driver { .. }) = &step {
            spark.finished(view.driver());
        }
        if let Some(end) = follower.perform(&view, &step).await? {
            return Ok(end);
        }
        view.apply(Event::Done(step), Instant::now());
    }
}

/// Direct mode's stand-in for the in-pod spark-submit's lines ([`spark_lines`]): the driver's
/// state as it changes (while the job is waited for), and its end.
struct SparkLines<'a> {
    submission: Option<spark_lines::Submission>,
    wait: bool,
    progress: &'a Progress,
    last: String,
}

impl<'a> SparkLines<'a> {
    /// Says what `Client.run` says once the driver pod exists.
    fn new(
        plan: &JobPlan,
        target: &Target,
        driver: &Pod,
        wait: bool,
        progress: &'a Progress,
    ) -> SparkLines<'a> {
        let submission = plan.direct.as_ref().map(|d| spark_lines::Submission {
            app_name: d.in_pod.app_name.clone(),
            app_id: d.app_id().to_string(),
            id: format!("{}:{}", target.namespace, plan.driver_pod_name),
        });
        let mut lines = SparkLines {
            submission,
            wait,
            progress,
            last: String::new(),
        };
        lines.saw(Some(driver));
        if let Some(s) = &lines.submission {
            let now = k8s_openapi::jiff::Timestamp::now();
            progress.log_line(&if wait {
                s.waiting(now)
            } else {
                s.deployed(now)
            });
        }
        lines
    }

    /// The driver as the watch shows it now: a state that changed is printed.
    fn saw(&mut self, driver: Option<&Pod>) {
        let (Some(s), Some(d)) = (&self.submission, driver) else {
            return;
        };
        let state = spark_lines::pod_state(d);
        if state != self.last && (self.wait || self.last.is_empty()) {
            self.progress
                .log_line(&s.state_changed(k8s_openapi::jiff::Timestamp::now(), d));
            self.last = state;
        }
    }

    /// The driver ended.
    fn finished(&mut self, driver: Option<&Pod>) {
        if let (Some(s), Some(d), true) = (&self.submission, driver, self.wait) {
            for line in s.finished(k8s_openapi::jiff::Timestamp::now(), d) {
                self.progress.log_line(&line);
            }
        }
    }
}

/// In client mode, where the driver runs: the submit pod, named in the `pod name: …` shape of
/// Spark's cluster-mode status lines, at the end of the line as Airflow's
/// `\s*pod name: ((.+?)-([a-z0-9]+)-driver$)` expects.
pub fn client_driver_line(job_id: &str, pod: &str) -> String {
    format!(
        "spark-k8s-cli: job {job_id} runs its driver in the submit pod (client mode), pod name: {pod}"
    )
}

/// Where the running driver's web UI is: a `kubectl port-forward` line ready to paste (to the
/// pod: Spark names the driver's Service itself).
pub fn ui_line(target: &Target, job_id: &str, driver: &str, port: u16) -> String {
    let context = target
        .context
        .as_deref()
        .map(|c| format!(" --context {c}"))
        .unwrap_or_default();
    format!(
        "job {job_id}: Spark UI: kubectl{context} port-forward -n {} pod/{driver} {port}:{port}, then http://localhost:{port}",
        target.namespace
    )
}

/// What [`follow_attempt`] performs its steps with.
struct Follower<'a> {
    target: &'a Target,
    plan: &'a JobPlan,
    limits: &'a Limits,
    progress: &'a Progress,
    pods: Api<Pod>,
    submit_name: String,
    driver_name: String,
    /// The submit pod's last log lines.
    tail: Arc<Mutex<VecDeque<String>>>,
    log_ended: mpsc::UnboundedSender<Log>,
    /// A session: how it is kept, and where its attach tells how it ended.
    session: Option<(
        crate::session::Keep,
        mpsc::UnboundedSender<crate::session::Ended>,
    )>,
}

impl Follower<'_> {
    /// Attaches the terminal to the session pod, in the background: its end is told on the
    /// log channel (as a log stream's) and, with how, on the session channel.
    fn attach(&self) {
        let Some((keep, ended)) = self.session.clone() else {
            return;
        };
        self.progress.hide();
        let (pods, pod, log_ended) = (
            self.pods.clone(),
            self.submit_name.clone(),
            self.log_ended.clone(),
        );
        tokio::spawn(async move {
            let local = crate::session::Local::global();
            let mut local = local.lock().await;
            let note = |text: &str| {
                // Its own line, whatever the shell left on the current one.
                crate::report::write_line(&mut std::io::stderr().lock(), "");
                crate::report::say(&format!("spark-k8s-cli: {text}"));
            };
            let how =
                crate::session::attach(&pods, &pod, SUBMIT_CONTAINER, &keep, &mut local, &note)
                    .await;
            let _ = ended.send(how);
            let _ = log_ended.send(Log::Submit);
        });
    }

    /// A session's attach ended: an idle session is ended here; a closed one ends with its
    /// container, which the watch tells.
    async fn session_ended(&self, how: crate::session::Ended) -> Result<(), JobError> {
        use crate::session::Ended;
        match how {
            Ended::Closed => Ok(()),
            Ended::Lost(text) => Err(JobError::ClusterLost(format!(
                "{text}. The session pod {} still runs: `spark-k8s-cli attach {}` joins it again.",
                self.submit_name, self.plan.job_id
            ))),
            Ended::Idle(after) => {
                delete_pods(self.target, &[&self.submit_name], 0).await;
                Err(JobError::RunTimeout(format!(
                    "Session {} was idle for {} s (spark.k8scli.sessionIdleTimeout) and was ended.",
                    self.submit_name,
                    after.as_secs()
                )))
            }
        }
    }

    /// Takes what the watch (or a log stream) brought into the view.
    fn heard(&self, view: &mut JobView, seen: Seen) -> Result<(), JobError> {
        match seen {
            Seen::Answer(event) => {
                let log = matches!(event.as_deref(), Some(Event::LogEnded(_)));
                if let Some(since) = view.lost_since()
                    && !log
                {
                    self.progress.note(&format!(
                        "job {}: the cluster answers again after {:.1} s",
                        self.plan.job_id,
                        since.elapsed().as_secs_f64()
                    ));
                    view.apply(Event::Reachable, Instant::now());
                }
                if let Some(event) = event {
                    view.apply(*event, Instant::now());
                }
            }
            Seen::Nothing => {}
            Seen::Refused(e, pause) => {
                if !cluster::decision_of(&e).retryable() {
                    return Err(JobError::submission(
                        self.target
                            .failure(&e, |m| format!("Cannot watch the job's pods: {m}")),
                    ));
                }
                let cause = cluster::message_of(&e);
                view.apply(
                    Event::Unreachable {
                        cause: cause.clone(),
                    },
                    Instant::now(),
                );
                let since = view.lost_since().unwrap_or_else(Instant::now);
                let lost = self.limits.cluster_lost;
                // One line per step of the backoff, not one per request.
                let delay = pause
                    .min(lost.saturating_sub(since.elapsed()))
                    .max(Duration::from_millis(50));
                crate::report::warn(&format!(
                    "spark-k8s-cli: job {}: cannot reach the cluster {} ({cause}) for {:.1} s; trying again in {:.1} s (gives up after spark.k8scli.clusterLostTimeout={} s)",
                    self.plan.job_id,
                    self.target.server,
                    since.elapsed().as_secs_f64(),
                    delay.as_secs_f64(),
                    lost.as_secs()
                ));
            }
        }
        Ok(())
    }

    /// Performs `step`; `Some`: the attempt ended so, with the submit pod's last lines.
    async fn perform(
        &self,
        view: &JobView,
        step: &Step,
    ) -> Result<Option<(End, String)>, JobError> {
        let (target, plan) = (self.target, self.plan);
        match step {
            Step::StreamLog(Log::Submit) if self.session.is_some() => self.attach(),
            Step::StreamLog(log) => {
                let (name, container, tail) = match log {
                    Log::Submit => (
                        self.submit_name.clone(),
                        Some(plan.main_container().to_string()),
                        self.tail.clone(),
                    ),
                    Log::Driver => (self.driver_name.clone(), None, Arc::default()),
                };
                let kept = self
                    .limits
                    .log_dir
                    .as_deref()
                    .and_then(|dir| kept_log(dir, &plan.job_id, *log));
                // Detached: it ends with its stream, or when the process does.
                drop(stream_log(
                    self.pods.clone(),
                    name,
                    container,
                    tail,
                    self.progress.clone(),
                    (self.log_ended.clone(), *log),
                    kept,
                ));
            }
            Step::SendFiles => {
                if let Some(deps) = plan.deps.as_ref() {
                    self.progress.note(&format!(
                        "sending {} local file(s), {} bytes, to {}",
                        deps.files.len(),
                        deps.total(),
                        self.submit_name
                    ));
                    submit::ship::stream(target, &self.submit_name, deps).await?;
                }
            }
            Step::FilesFailed { text } => {
                let events = last_events(target, &self.submit_name).await;
                return Err(JobError::startup(
                    StartupKind::LocalFiles,
                    format!("{text}\n{events}"),
                ));
            }
            Step::StartFailed {
                kind,
                pod,
                reason,
                text,
                seconds,
                fatal,
            } => {
                let start = StartFailure {
                    target,
                    plan,
                    submit_pod: &self.submit_name,
                    limits: self.limits,
                };
                let e = start.tell(*kind, pod, reason, text.clone(), *seconds).await;
                if *fatal {
                    return Err(e);
                }
            }
            Step::Own => {
                if let Some(d) = view.driver()
                    && let Some(uid) = d.metadata.uid.clone()
                {
                    // Deleting the driver (as Airflow's on_kill does) now removes the submit
                    // pod too.
                    let patch = serde_json::json!({"metadata": {"ownerReferences": [OwnerReference {
                        api_version: "v1".into(), kind: "Pod".into(), name: self.driver_name.clone(), uid,
                        ..OwnerReference::default()
                    }]}});
                    let _ = self
                        .pods
                        .patch(
                            &self.submit_name,
                            &PatchParams::default(),
                            &Patch::Merge(&patch),
                        )
                        .await;
                    submit::ship::share_with_driver(target, plan, view.submit(), d).await;
                }
            }
            Step::RunTimeout {
                driver,
                text,
                seconds,
                kill,
            } => {
                let mut e = self.event(Kind::RunTimeout, text);
                about(&mut e, driver, "RunTimeout", "");
                e.seconds = *seconds;
                crate::events::raise(target, &e).await;
                if *kill {
                    delete_job_pods(target, plan).await;
                    return Err(JobError::RunTimeout(text.clone()));
                }
            }
            Step::ClusterLost { text, seconds } => {
                let mut e = self.event(Kind::ClusterLost, text);
                e.pods = vec![self.driver_name.clone()];
                e.seconds = *seconds;
                crate::events::raise(target, &e).await;
                return Err(JobError::ClusterLost(text.clone()));
            }
            Step::Drain(_) | Step::Wait(_) => {}
            Step::End(end) => {
                let tail = self.tail.lock().unwrap_or_else(|p| p.into_inner());
                let log: Vec<String> = tail.iter().cloned().collect();
                return Ok(Some((end.clone(), log.join("\n"))));
            }
        }
        Ok(None)
    }

    /// A job event about this attempt.
    fn event(&self, kind: Kind, text: &str) -> JobEvent {
        job_event(
            kind,
            self.target,
            self.plan,
            &self.submit_name,
            &self.limits.queue,
            text.to_string(),
        )
    }
}

/// Sleeps until `until`; never wakes without one.
async fn sleep_until(until: Option<Instant>) {
    match until {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

/// Where a job resumes after going back to the queue: the next attempt's number, the
/// failed submit pod the next attempt replaces (it owns the job's Secrets until then), and
/// what its pods used so far.
#[derive(Debug)]
pub struct Resume {
    pub attempt: usize,
    pub failed_pod: Option<String>,
    /// Every pod of the job the watch showed, across attempts.
    pub ledger: cost::Ledger,
    /// What the job cost once it ended (or failed after some pod ran); `None` while it runs
    /// or when it returned without waiting for completion.
    pub cost: Option<cost::JobCost>,
}

impl Default for Resume {
    fn default() -> Self {
        Resume {
            attempt: 1,
            failed_pod: None,
            ledger: cost::Ledger::default(),
            cost: None,
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
    let progress = Progress::new(
        &plan.job_id,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    resume.cost = None;
    let result = attempts(
        target,
        plan,
        policy,
        &progress,
        resume,
        start,
        &mut backoff,
        &limits,
        follow_driver_log,
        wait_completion,
    )
    .await;
    // A job that failed after some pod of it ran used that much too.
    if result.is_err() && !resume.ledger.is_empty() {
        let price = limits.prices.for_cluster(&target.cluster);
        let now = k8s_openapi::jiff::Timestamp::now();
        resume.cost = Some(resume.ledger.cost(now).priced(price));
    }
    progress.finish();
    result
}

/// The job ended on its driver `driver_pod`: what it used, kept on the driver pod for `list`
/// (its executors are gone by now) and said in the closing line.
async fn closing_cost(
    target: &Target,
    plan: &JobPlan,
    driver_pod: &str,
    ledger: &cost::Ledger,
    limits: &Limits,
) -> cost::JobCost {
    let used = ledger.cost(k8s_openapi::jiff::Timestamp::now());
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let value = serde_json::to_string(&used).unwrap_or_default();
    let patch = serde_json::json!({"metadata": {"annotations": {cost::COST_ANNOTATION: value}}});
    if let Err(e) = pods
        .patch(driver_pod, &PatchParams::default(), &Patch::Merge(&patch))
        .await
    {
        tracing::debug!(pod = driver_pod, error = %e, "cannot keep the job's cost on its driver");
    }
    let priced = used.priced(limits.prices.for_cluster(&target.cluster));
    crate::report::say(&priced.line(&plan.job_id));
    priced
}

#[allow(clippy::too_many_arguments)] // one call site: the loop of `run`, split out for `finish`
async fn attempts(
    target: &Target,
    plan: &JobPlan,
    policy: &Policy,
    progress: &Progress,
    resume: &mut Resume,
    start: Instant,
    backoff: &mut impl Iterator<Item = Duration>,
    limits: &Limits,
    follow_driver_log: bool,
    wait_completion: bool,
) -> Result<u8, JobError> {
    loop {
        let attempt_no = resume.attempt;
        progress.set(&Phase::Submitting);
        let pod_name = if attempt_no == 1 || plan.direct.is_some() {
            plan.submit_pod_name.clone()
        } else {
            format!("{}-{attempt_no}", plan.submit_pod_name)
        };
        let (pod, reattached) = submit::create(target, plan, &pod_name, policy).await?;
        if let Some(old) = resume.failed_pod.take() {
            delete_pods(target, &[&old], 0).await;
        }
        if plan.direct.is_some() {
            let how = if reattached {
                "has its driver pod already; following it"
            } else {
                "submitted directly"
            };
            crate::report::say(&format!(
                "spark-k8s-cli: job {} {how}: driver pod {pod_name} in {} on {}",
                plan.job_id, target.namespace, target.server
            ));
        } else if reattached {
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
        if plan.driver_in_submit_pod() && !plan.is_session() && plan.direct.is_none() {
            // Spark prints no driver pod in client mode; this line, in the shape Airflow's hook
            // reads, lets its `on_kill` delete the driver (and, through it, the executors).
            crate::report::say(&client_driver_line(&plan.job_id, &pod_name));
        }
        let (end, log) = match follow_attempt(
            target,
            plan,
            &pod,
            limits,
            (follow_driver_log, wait_completion),
            progress,
            &mut resume.ledger,
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
            End::Driver { code, reason, ran } => {
                // The driver stays, as Spark leaves it; in client mode it is the submit pod.
                // A session's pod (and, through its owner reference, its Service) goes with
                // the session unless it is to be kept.
                if plan.is_session() && !limits.session.keep_pod {
                    delete_pods(target, &[&pod_name], 0).await;
                }
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
                crate::events::raise(target, &e).await;
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
                if !resume.ledger.is_empty() {
                    resume.cost =
                        Some(closing_cost(target, plan, &driver_pod, &resume.ledger, limits).await);
                }
                return Ok(exit);
            }
            End::Detached => {
                delete_pods(target, &[&pod_name], 0).await;
                return Ok(0);
            }
            End::SubmitFailed => {
                let d = submit::retry::classify_submit_log(&log);
                // No driver exists (the pinned name makes a second one impossible): try again.
                match policy.next_delay(&d, attempt_no, start.elapsed(), backoff) {
                    Some(delay) => {
                        crate::report::warn(&format!(
                            "spark-k8s-cli: in-pod submission failed: {} (attempt {attempt_no}); retrying in {} ms",
                            d.reason(),
                            delay.as_millis()
                        ));
                        tokio::time::sleep(delay).await;
                        resume.attempt += 1;
                        // Deleted once the next attempt's pod owns the job's secret.
                        resume.failed_pod = Some(pod_name.clone());
                    }
                    None if d == Decision::QuotaExceeded => {
                        // Back to the queue; the next attempt replaces this pod.
                        resume.attempt += 1;
                        resume.failed_pod = Some(pod_name.clone());
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
