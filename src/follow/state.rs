//! follow's decisions, free of I/O: [`JobView`] is what the follower knows of one submit attempt
//! (its pods as the watch showed them, the clocks, what it has done already), changed only by
//! [`JobView::apply`]; [`next_step`] says what to do next. The I/O loop in `follow` performs the
//! step, reports what it did (`Event::Done`) and what it saw, and asks again.
//!
//! Both deploy modes: in cluster mode the submit pod's spark-submit creates a separate driver
//! pod; in client mode the driver runs in the submit pod itself, one pod seen as both.

use std::collections::BTreeSet;
use std::time::Duration;

use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod, PodStatus};
use tokio::time::Instant;

use super::Limits;
use crate::events::Kind;
use crate::report::progress::Phase;

/// Waiting reasons that never resolve by themselves.
const FATAL_WAITING: [&str; 4] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
];

/// How long the end of a job waits for its log streams to deliver their last lines (spark-submit
/// prints its final status lines as the driver ends).
pub const LOG_DRAIN: Duration = Duration::from_secs(10);

/// What the follower is told about one submit attempt, fixed for the attempt.
#[derive(Clone, Debug)]
pub struct Job {
    pub job_id: String,
    /// The API server, for messages.
    pub server: String,
    /// The submit pod of this attempt.
    pub submit_name: String,
    /// The driver pod: the submit pod itself in client mode.
    pub driver_name: String,
    /// Executors the driver asks for at start (`spark.executor.instances`).
    pub wanted: usize,
    /// The job's local files go into the submit pod's init container once it runs.
    pub stream_deps: bool,
    /// `followDriverLog`: stream the driver's log too (cluster mode).
    pub follow_driver_log: bool,
    /// `spark.kubernetes.submission.waitAppCompletion` is not `false`.
    pub wait_completion: bool,
    pub limits: Limits,
}

/// A log stream of the job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Log {
    /// The submit pod's spark-submit container (the driver's own log in client mode).
    Submit,
    /// The driver pod (cluster mode, `followDriverLog`).
    Driver,
}

/// What the follower observed or did.
#[derive(Clone, Debug)]
pub enum Event {
    /// A pod of the job was added or changed.
    Applied(Pod),
    /// A pod of the job was deleted.
    Deleted(Pod),
    /// A full list of the job's pods: a pod known before and missing from it is gone.
    Listed(Vec<Pod>),
    /// A log stream ended.
    LogEnded(Log),
    /// The cluster did not answer (the first of a run of these starts the clock).
    Unreachable { cause: String },
    /// The cluster answers again.
    Reachable,
    /// The follower performed this step.
    Done(Step),
}

/// How one submit attempt ended.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
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
    SubmitFailed,
}

/// What to do next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Start streaming a log.
    StreamLog(Log),
    /// Send the job's local files into the submit pod's init container.
    SendFiles,
    /// The init container receiving the local files failed: fail the job (start-up failed);
    /// `text` gets the pod's last events appended.
    FilesFailed { text: String },
    /// A pod of the job cannot start: alert `kind` about it; `fatal`: the job fails
    /// (start-up failed), else (`startupTimeoutAction=alert`) it goes on.
    StartFailed {
        kind: Kind,
        pod: Box<Pod>,
        reason: String,
        text: String,
        seconds: f64,
        fatal: bool,
    },
    /// Make the driver own the submit pod and share the job's objects with it (cluster mode).
    Own,
    /// The driver ran past `runTimeout`: alert; `kill`: stop the job (run timeout).
    RunTimeout {
        driver: Box<Pod>,
        text: String,
        seconds: f64,
        kill: bool,
    },
    /// The cluster has not answered for `clusterLostTimeout`: alert, fail (cluster lost).
    ClusterLost { text: String, seconds: f64 },
    /// The attempt has ended: let the log streams finish, then [`Step::End`].
    Drain(End),
    /// The attempt ended so.
    End(End),
    /// Nothing to do until something is observed, or until this moment (a clock runs out).
    Wait(Option<Instant>),
}

/// What the follower knows of one submit attempt.
#[derive(Clone, Debug)]
pub struct JobView {
    job: Job,
    submit: Pod,
    driver: Option<Pod>,
    /// Running executors, by name.
    executors: BTreeSet<String>,
    executors_seen: bool,
    logs_started: BTreeSet<Log>,
    logs_open: BTreeSet<Log>,
    streamed: bool,
    owned: bool,
    /// Since when some pod of the job is unschedulable.
    pending_since: Option<Instant>,
    /// `startupTimeoutAction=alert` alerted already.
    pending_told: bool,
    running_since: Option<Instant>,
    run_told: bool,
    /// Since when the cluster does not answer, and why.
    lost: Option<(Instant, String)>,
    /// The end decided, and since when its logs drain.
    ending: Option<(End, Instant)>,
}

impl JobView {
    /// The view right after the submit pod was created (or found).
    pub fn new(job: Job, submit: Pod) -> JobView {
        JobView {
            job,
            submit,
            driver: None,
            executors: BTreeSet::new(),
            executors_seen: false,
            logs_started: BTreeSet::new(),
            logs_open: BTreeSet::new(),
            streamed: false,
            owned: false,
            pending_since: None,
            pending_told: false,
            running_since: None,
            run_told: false,
            lost: None,
            ending: None,
        }
    }

    pub fn job(&self) -> &Job {
        &self.job
    }

    pub fn submit(&self) -> &Pod {
        &self.submit
    }

    pub fn driver(&self) -> Option<&Pod> {
        self.driver.as_ref()
    }

    /// Since when the cluster does not answer.
    pub fn lost_since(&self) -> Option<Instant> {
        self.lost.as_ref().map(|l| l.0)
    }

    /// Client mode: the driver is the submit pod.
    fn client_mode(&self) -> bool {
        self.job.submit_name == self.job.driver_name
    }

    /// The phase the progress line shows.
    pub fn phase(&self) -> Phase {
        match &self.driver {
            Some(d) if running(d) => Phase::Running {
                executors: self.executors.len(),
                wanted: self.job.wanted,
            },
            _ => Phase::Pending,
        }
    }

    /// Takes what was observed or done at `at`.
    pub fn apply(&mut self, event: Event, at: Instant) {
        match event {
            Event::Applied(p) => self.applied(p),
            Event::Deleted(p) => {
                self.executors.remove(name_of(&p));
                // Gone without a terminal status: deleted or evicted.
                self.gone(p);
            }
            Event::Listed(items) => self.listed(items),
            Event::LogEnded(log) => {
                self.logs_open.remove(&log);
            }
            Event::Unreachable { cause } => match &mut self.lost {
                Some((_, c)) => *c = cause,
                None => self.lost = Some((at, cause)),
            },
            Event::Reachable => self.lost = None,
            Event::Done(step) => self.done(step, at),
        }
        // The start-up clock runs only while some pod of the job is unschedulable.
        if self.pods().any(|p| unschedulable(p).is_some()) {
            self.pending_since.get_or_insert(at);
        } else {
            self.pending_since = None;
        }
        if self.running_since.is_none() && self.driver.as_ref().is_some_and(driver_running) {
            self.running_since = Some(at);
        }
    }

    fn done(&mut self, step: Step, at: Instant) {
        match step {
            Step::StreamLog(log) => {
                self.logs_started.insert(log);
                self.logs_open.insert(log);
            }
            Step::SendFiles => self.streamed = true,
            Step::StartFailed { .. } => self.pending_told = true,
            Step::Own => self.owned = true,
            Step::RunTimeout { .. } => self.run_told = true,
            Step::Drain(end) => {
                if self.ending.is_none() {
                    self.ending = Some((end, at));
                }
            }
            Step::FilesFailed { .. } | Step::ClusterLost { .. } | Step::End(_) | Step::Wait(_) => {}
        }
    }

    /// The submit pod, and the driver when it is another pod.
    fn pods(&self) -> impl Iterator<Item = &Pod> {
        let distinct_driver = self.driver.as_ref().filter(|_| !self.client_mode());
        std::iter::once(&self.submit).chain(distinct_driver)
    }

    /// A newer view of pod `p`.
    fn applied(&mut self, p: Pod) {
        let name = name_of(&p).to_string();
        let (is_submit, is_driver) = (name == self.job.submit_name, name == self.job.driver_name);
        if !is_submit && !is_driver {
            if phase(&p) == "Running" {
                self.executors_seen = true;
                self.executors.insert(name);
            } else {
                self.executors.remove(&name);
            }
            return;
        }
        if is_driver {
            self.driver = Some(p.clone());
        }
        if is_submit {
            self.submit = p;
        }
    }

    /// Pod `p` was deleted: a pod gone before it ended is failed, without an exit code.
    fn gone(&mut self, mut p: Pod) {
        if !matches!(phase(&p), "Succeeded" | "Failed") {
            p.status.get_or_insert_with(Default::default).phase = Some("Failed".into());
        }
        let name = name_of(&p);
        if name == self.job.driver_name {
            self.driver = Some(p.clone());
        }
        if name == self.job.submit_name && (self.driver.is_none() || self.client_mode()) {
            self.submit = p;
        }
    }

    /// A full list of the job's pods: the ones listed are updated, and a pod known before and
    /// missing from the list is gone (deleted while nobody watched).
    fn listed(&mut self, items: Vec<Pod>) {
        let names: BTreeSet<String> = items.iter().map(|p| name_of(p).to_string()).collect();
        for p in items {
            self.applied(p);
        }
        self.executors.retain(|e| names.contains(e));
        if !names.contains(&self.job.driver_name)
            && let Some(d) = self.driver.clone()
        {
            self.gone(d);
        }
        if !names.contains(&self.job.submit_name) {
            let s = self.submit.clone();
            self.gone(s);
        }
    }
}

/// What the follower does next, given what it knows at `now`.
pub fn next_step(view: &JobView, now: Instant) -> Step {
    let job = &view.job;
    let limits = &job.limits;
    if let Some((end, since)) = &view.ending {
        let waited_for = |l: &Log| matches!(end, End::Driver { .. }) || *l == Log::Submit;
        let deadline = *since + LOG_DRAIN;
        return if view.logs_open.iter().any(waited_for) && now < deadline {
            Step::Wait(Some(deadline))
        } else {
            Step::End(end.clone())
        };
    }
    if let Some((since, cause)) = &view.lost
        && now.saturating_duration_since(*since) >= limits.cluster_lost
    {
        let lost = now.saturating_duration_since(*since);
        return Step::ClusterLost {
            text: format!(
                "Lost the cluster {}: no answer for {} s (spark.k8scli.clusterLostTimeout): {cause}. The job's outcome is unknown: its driver {} may still run there (`spark-k8s-cli status {}` once it answers).",
                job.server,
                lost.as_secs(),
                job.driver_name,
                job.job_id
            ),
            seconds: lost.as_secs_f64(),
        };
    }
    if !view.logs_started.contains(&Log::Submit) && running(&view.submit) {
        return Step::StreamLog(Log::Submit);
    }
    // Large local files: into the init container waiting for them, once per attempt.
    if job.stream_deps
        && !view.streamed
        && let Some(state) = deps_state(&view.submit)
    {
        if state.running.is_some() {
            return Step::SendFiles;
        }
        if let Some(t) = state.terminated.as_ref().filter(|t| t.exit_code != 0) {
            return Step::FilesFailed {
                text: format!(
                    "Submit pod {} did not receive the job's local files: its {} container exited {} ({}).",
                    job.submit_name,
                    crate::plan::deps::DEPS_CONTAINER,
                    t.exit_code,
                    t.reason.as_deref().unwrap_or("Error")
                ),
            };
        }
    }
    if let Some(step) = start_failure(view, now) {
        return step;
    }
    if let Some(d) = &view.driver {
        if let Some(step) = driver_step(view, d, now) {
            return step;
        }
    } else if matches!(phase(&view.submit), "Succeeded" | "Failed") {
        let (exit, _) = terminated_code(&view.submit).unwrap_or((1, String::new()));
        if exit != 0 {
            return Step::Drain(End::SubmitFailed);
        }
    }
    // The clocks that may end the wait: start-up while a pod is unschedulable, the run
    // timeout while the driver runs, the cluster lost while it does not answer.
    let startup = view
        .pending_since
        .filter(|_| !view.pending_told)
        .map(|s| s + limits.startup);
    let run = match (limits.run, view.running_since) {
        (Some(limit), Some(s)) if !view.run_told => Some(s + limit),
        _ => None,
    };
    let lost = view.lost.as_ref().map(|l| l.0 + limits.cluster_lost);
    Step::Wait([startup, run, lost].into_iter().flatten().min())
}

/// A pod of the job that cannot start: an image that cannot be pulled, a container that cannot
/// be created or keeps crashing, or unschedulable past `startupTimeout`.
fn start_failure(view: &JobView, now: Instant) -> Option<Step> {
    let limits = &view.job.limits;
    for p in view.pods() {
        let name = name_of(p);
        let failed = |kind, reason: &str, text, seconds, fatal| Step::StartFailed {
            kind,
            pod: Box::new(p.clone()),
            reason: reason.to_string(),
            text,
            seconds,
            fatal,
        };
        if let Some((reason, message)) = fatal_waiting(p) {
            let text = format!("Pod {name} cannot start: {reason}: {message}");
            return Some(failed(
                Kind::ContainerCreationFailed,
                &reason,
                text,
                0.0,
                true,
            ));
        }
        if let Some(message) = crash_looping(p) {
            let text = format!("Pod {name} keeps crashing: CrashLoopBackOff: {message}");
            return Some(failed(
                Kind::StartupFailed,
                "CrashLoopBackOff",
                text,
                0.0,
                true,
            ));
        }
        if let Some(message) = unschedulable(p)
            && let Some(since) = view.pending_since
            && now.saturating_duration_since(since) >= limits.startup
            && !view.pending_told
        {
            let text = format!(
                "Pod {name} is still unschedulable after {} s (spark.k8scli.startupTimeout): {message}",
                limits.startup.as_secs()
            );
            let seconds = now.saturating_duration_since(since).as_secs_f64();
            return Some(failed(
                Kind::PendingTooLong,
                "Unschedulable",
                text,
                seconds,
                !limits.startup_alert_only,
            ));
        }
    }
    None
}

/// What the driver `d` asks for: to own the submit pod, its log, the run timeout, its end.
fn driver_step(view: &JobView, d: &Pod, now: Instant) -> Option<Step> {
    let job = &view.job;
    let limits = &job.limits;
    // In client mode there is no other pod to own the submit pod, nor to share with, and the
    // submit pod's log is the driver's.
    if !view.client_mode() && !view.owned && d.metadata.uid.is_some() {
        return Some(Step::Own);
    }
    if job.follow_driver_log
        && !view.client_mode()
        && !view.logs_started.contains(&Log::Driver)
        && running(d)
    {
        return Some(Step::StreamLog(Log::Driver));
    }
    let ended = matches!(phase(d), "Succeeded" | "Failed");
    if let (Some(limit), Some(since)) = (limits.run, view.running_since)
        && now.saturating_duration_since(since) >= limit
        && !view.run_told
        && !ended
    {
        let ran = now.saturating_duration_since(since);
        let text = format!(
            "Driver {} has run {} s, past spark.k8scli.run.timeout ({} s){}.",
            job.driver_name,
            ran.as_secs(),
            limit.as_secs(),
            if limits.run_kill {
                "; stopping the job"
            } else {
                ""
            }
        );
        return Some(Step::RunTimeout {
            driver: Box::new(d.clone()),
            text,
            seconds: ran.as_secs_f64(),
            kill: limits.run_kill,
        });
    }
    if ended {
        let code = terminated_code(d);
        let reason = code.as_ref().map(|c| c.1.clone()).unwrap_or_default();
        return Some(Step::Drain(End::Driver {
            code: code.map(|c| c.0),
            reason,
            // Started up: it ran, and had its executors (when it asks for any).
            ran: view.running_since.is_some() && (job.wanted == 0 || view.executors_seen),
        }));
    }
    if !job.wait_completion && running(d) && phase(&view.submit) == "Succeeded" {
        return Some(Step::Drain(End::Detached));
    }
    None
}

fn name_of(p: &Pod) -> &str {
    p.metadata.name.as_deref().unwrap_or_default()
}

/// The pod's phase as the watch knows it.
pub fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

/// The pod's container statuses (none before the kubelet reports).
fn containers(p: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    statuses(p, |s| &s.container_statuses)
}

/// The pod's init container statuses.
fn init_containers(p: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    statuses(p, |s| &s.init_container_statuses)
}

/// One list of the pod's status, empty when the pod or the list has none.
fn statuses(
    p: &Pod,
    list: fn(&PodStatus) -> &Option<Vec<ContainerStatus>>,
) -> impl Iterator<Item = &ContainerStatus> {
    p.status
        .as_ref()
        .and_then(|s| list(s).as_ref())
        .into_iter()
        .flatten()
}

/// Whether the driver's main container is (or was seen) running.
fn driver_running(p: &Pod) -> bool {
    containers(p).any(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
}

/// Some container runs or has ended: its log can be streamed.
pub fn running(p: &Pod) -> bool {
    containers(p).any(|c| {
        c.state
            .as_ref()
            .is_some_and(|s| s.running.is_some() || s.terminated.is_some())
    })
}

/// The state of the submit pod's init container that receives the job's local files.
fn deps_state(p: &Pod) -> Option<&ContainerState> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A job's pods' watch events as kubesim sent them (`testdata/<name>.jsonl`: a SparkPi run
    /// with one executor, captured by watching the job's label while the launcher followed it;
    /// `managedFields` left out).
    fn captured(name: &str) -> Vec<(String, Pod)> {
        let text = match name {
            "ok-cluster" => include_str!("testdata/ok-cluster.jsonl"),
            "ok-client" => include_str!("testdata/ok-client.jsonl"),
            "fail-cluster" => include_str!("testdata/fail-cluster.jsonl"),
            "fail-client" => include_str!("testdata/fail-client.jsonl"),
            "pull-cluster" => include_str!("testdata/pull-cluster.jsonl"),
            "pull-client" => include_str!("testdata/pull-client.jsonl"),
            "unsched-cluster" => include_str!("testdata/unsched-cluster.jsonl"),
            _ => unreachable!("no capture {name}"),
        };
        text.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let pod = serde_json::from_value(v["object"].clone()).unwrap();
                (v["type"].as_str().unwrap().to_string(), pod)
            })
            .collect()
    }

    fn event(kind: &str, pod: Pod) -> Event {
        match kind {
            "DELETED" => Event::Deleted(pod),
            _ => Event::Applied(pod),
        }
    }

    fn limits() -> Limits {
        Limits {
            startup: Duration::from_secs(300),
            startup_alert_only: false,
            run: None,
            run_kill: false,
            queue: "default".into(),
            cluster_lost: Duration::from_secs(300),
            session: crate::session::Keep::default(),
            log_dir: None,
            ui_port: None,
            ui_ingress: None,
            prices: Default::default(),
        }
    }

    /// The view of capture `name`'s job before any event: its submit pod as created.
    fn view_of(name: &str, limits: Limits) -> JobView {
        let client = name.ends_with("-client");
        let submit_name = format!("{name}-submit");
        let job = Job {
            job_id: name.to_string(),
            server: "http://kubesim".into(),
            submit_name: submit_name.clone(),
            driver_name: if client {
                submit_name.clone()
            } else {
                format!("{name}-driver")
            },
            wanted: 1,
            stream_deps: false,
            follow_driver_log: false,
            wait_completion: true,
            limits,
        };
        let (_, first) = captured(name).into_iter().next().unwrap();
        assert_eq!(first.metadata.name.as_deref(), Some(submit_name.as_str()));
        JobView::new(job, first)
    }

    /// Performs every step short of waiting (as the I/O loop does), returning them.
    fn act(view: &mut JobView, now: Instant) -> Vec<Step> {
        let mut steps = Vec::new();
        loop {
            match next_step(view, now) {
                Step::Wait(_) => return steps,
                s @ (Step::End(_)
                | Step::StartFailed { fatal: true, .. }
                | Step::RunTimeout { kill: true, .. }
                | Step::ClusterLost { .. }
                | Step::FilesFailed { .. }) => {
                    steps.push(s);
                    return steps;
                }
                s => {
                    steps.push(s.clone());
                    view.apply(Event::Done(s), now);
                }
            }
        }
    }

    /// Replays `events` at `now`, acting after each; then the logs end.
    fn replay(view: &mut JobView, events: Vec<(String, Pod)>, now: Instant) -> Vec<Step> {
        let mut steps = Vec::new();
        for (kind, pod) in events {
            view.apply(event(&kind, pod), now);
            steps.extend(act(view, now));
            if matches!(steps.last(), Some(Step::End(_) | Step::StartFailed { .. })) {
                return steps;
            }
        }
        for log in [Log::Submit, Log::Driver] {
            view.apply(Event::LogEnded(log), now);
        }
        steps.extend(act(view, now));
        steps
    }

    fn driver_end(code: Option<i32>, reason: &str, ran: bool) -> End {
        End::Driver {
            code,
            reason: reason.into(),
            ran,
        }
    }

    #[test]
    fn a_job_ends_with_its_drivers_exit_code_in_both_modes() {
        let t = Instant::now();
        for (name, code, reason) in [
            ("ok-cluster", 0, "Completed"),
            ("fail-cluster", 3, "Error"),
            ("ok-client", 0, "Completed"),
            ("fail-client", 3, "Error"),
        ] {
            let mut view = view_of(name, limits());
            let steps = replay(&mut view, captured(name), t);
            let end = driver_end(Some(code), reason, true);
            let mut expected = vec![Step::StreamLog(Log::Submit)];
            // Cluster mode: the driver pod owns the submit pod; client mode has one pod.
            if name.ends_with("-cluster") {
                expected.push(Step::Own);
            }
            expected.extend([Step::Drain(end.clone()), Step::End(end)]);
            assert_eq!(steps, expected, "{name}");
        }
    }

    #[test]
    fn the_end_waits_for_the_logs_but_not_past_its_bound() {
        let t = Instant::now();
        let mut view = view_of("ok-cluster", limits());
        for (kind, pod) in captured("ok-cluster") {
            view.apply(event(&kind, pod), t);
            act(&mut view, t);
        }
        // The submit pod's log is still open: the end waits for it, 10 s at most.
        assert_eq!(next_step(&view, t), Step::Wait(Some(t + LOG_DRAIN)));
        let end = driver_end(Some(0), "Completed", true);
        assert_eq!(next_step(&view, t + LOG_DRAIN), Step::End(end.clone()));
        view.apply(Event::LogEnded(Log::Submit), t);
        assert_eq!(next_step(&view, t), Step::End(end));
    }

    #[test]
    fn an_image_that_cannot_be_pulled_fails_the_start_in_both_modes() {
        let t = Instant::now();
        for name in ["pull-cluster", "pull-client"] {
            let mut view = view_of(name, limits());
            let steps = replay(&mut view, captured(name), t);
            let Some(Step::StartFailed {
                kind,
                reason,
                text,
                fatal,
                pod,
                ..
            }) = steps.last()
            else {
                panic!("{name}: {steps:?}");
            };
            assert_eq!(*kind, Kind::ContainerCreationFailed, "{name}");
            assert_eq!(reason, "ErrImagePull");
            assert!(fatal);
            assert_eq!(
                pod.metadata.name.as_deref(),
                Some(&*format!("{name}-submit"))
            );
            assert!(
                text.starts_with(&format!(
                    "Pod {name}-submit cannot start: ErrImagePull: rpc error: code = NotFound"
                )),
                "{text}"
            );
        }
    }

    #[test]
    fn an_unschedulable_driver_fails_the_start_at_the_startup_timeout() {
        let t = Instant::now();
        let startup = Duration::from_secs(2);
        for alert_only in [false, true] {
            let limits = Limits {
                startup,
                startup_alert_only: alert_only,
                ..limits()
            };
            let mut view = view_of("unsched-cluster", limits);
            // Up to the launcher's clean-up.
            let mut events = captured("unsched-cluster");
            events.retain(|(kind, _)| kind != "DELETED");
            let steps = replay(&mut view, events, t);
            assert_eq!(steps, [Step::StreamLog(Log::Submit), Step::Own]);
            assert_eq!(next_step(&view, t), Step::Wait(Some(t + startup)));
            let Step::StartFailed {
                kind, text, fatal, ..
            } = next_step(&view, t + startup)
            else {
                panic!("no start failure");
            };
            assert_eq!(kind, Kind::PendingTooLong);
            assert_eq!(fatal, !alert_only);
            assert!(
                text.starts_with("Pod unsched-cluster-driver is still unschedulable after 2 s (spark.k8scli.startupTimeout): 0/4 nodes are available: 4 Insufficient memory."),
                "{text}"
            );
            // startupTimeoutAction=alert: told once, then the job waits on.
            if alert_only {
                let later = t + startup;
                assert_eq!(act(&mut view, later).len(), 1);
                assert_eq!(next_step(&view, later), Step::Wait(None));
            }
        }
    }

    /// The capture up to the driver running, with its executor.
    fn running(name: &str) -> (JobView, Pod) {
        let events = captured(name);
        let driver = if name.ends_with("-client") {
            format!("{name}-submit")
        } else {
            format!("{name}-driver")
        };
        let until = events
            .iter()
            .position(|(_, p)| p.metadata.name.as_deref() == Some(&*driver) && super::running(p))
            .unwrap();
        let mut view = view_of(name, limits());
        let t = Instant::now();
        for (kind, pod) in events.into_iter().take(until + 1) {
            view.apply(event(&kind, pod), t);
            act(&mut view, t);
        }
        let pod = view.driver().unwrap().clone();
        (view, pod)
    }

    /// The driver ran, but no executor yet: it never started up (`ran: false`).
    #[test]
    fn a_driver_gone_without_an_exit_code_ends_the_job_without_one() {
        let t = Instant::now();
        for name in ["ok-cluster", "ok-client"] {
            let ended = |view: &JobView| {
                assert_eq!(
                    next_step(view, t),
                    Step::Drain(driver_end(None, "", false)),
                    "{name}"
                )
            };
            // Deleted while watched.
            let (mut view, driver) = running(name);
            view.apply(Event::Deleted(driver), t);
            ended(&view);
            // Deleted while nobody watched: missing from the next list.
            let (mut view, _) = running(name);
            let others = if name.ends_with("-client") {
                vec![]
            } else {
                vec![view.submit().clone()]
            };
            view.apply(Event::Listed(others), t);
            ended(&view);
            // A list that still has it changes nothing.
            let (mut view, driver) = running(name);
            view.apply(Event::Listed(vec![view.submit().clone(), driver]), t);
            assert!(matches!(next_step(&view, t), Step::Wait(_)), "{name}");
        }
    }

    #[test]
    fn the_run_timeout_alerts_once_and_kills_when_asked() {
        for kill in [false, true] {
            let (mut view, _) = running("ok-cluster");
            view.job.limits.run = Some(Duration::from_secs(60));
            view.job.limits.run_kill = kill;
            let t = Instant::now();
            // The clock starts when the driver is seen running.
            view.apply(Event::Reachable, t);
            let Step::Wait(Some(until)) = next_step(&view, t) else {
                panic!("no run clock");
            };
            let Step::RunTimeout { text, kill: k, .. } = next_step(&view, until) else {
                panic!("no run timeout");
            };
            assert_eq!(k, kill);
            assert!(
                text.starts_with("Driver ok-cluster-driver has run "),
                "{text}"
            );
            assert!(
                text.ends_with(&format!(
                    "past spark.k8scli.run.timeout (60 s){}.",
                    if kill { "; stopping the job" } else { "" }
                )),
                "{text}"
            );
            view.apply(Event::Done(next_step(&view, until)), until);
            assert_eq!(next_step(&view, until), Step::Wait(None));
        }
    }

    /// `--conf spark.k8scli.runTimeout=10m`: the follower's wait for the run clock ends ten
    /// minutes after the driver is seen running, and the run timeout comes then, not before
    /// (paused time: tokio's clock moves only as the test waits).
    #[tokio::test(start_paused = true)]
    async fn a_run_timeout_of_ten_minutes_comes_after_ten_minutes() {
        for (action, kill) in [("alert", false), ("kill", true)] {
            let s = crate::resolve::for_test(
                crate::parse::SparkCommand::Submit,
                &[
                    "--conf",
                    "spark.k8scli.runTimeout=10m",
                    "--conf",
                    &format!("spark.k8scli.runTimeoutAction={action}"),
                    "--class",
                    "a.B",
                    "local:///x.jar",
                ],
            )
            .expect("resolves");
            let begun = Instant::now();
            let (mut view, _) = running("ok-cluster");
            view.job.limits = Limits::from_settings(&s);
            assert_eq!(view.job.limits.run, Some(Duration::from_secs(600)));
            let Step::Wait(Some(until)) = next_step(&view, Instant::now()) else {
                panic!("no run clock");
            };
            tokio::time::sleep(Duration::from_secs(599)).await;
            assert_eq!(next_step(&view, Instant::now()), Step::Wait(Some(until)));
            // The I/O loop's wait.
            super::super::sleep_until(Some(until)).await;
            assert_eq!(begun.elapsed(), Duration::from_secs(600));
            let Step::RunTimeout { kill: k, .. } = next_step(&view, Instant::now()) else {
                panic!("no run timeout after ten minutes");
            };
            assert_eq!(k, kill);
        }
    }

    #[test]
    fn a_cluster_lost_past_its_timeout_ends_the_job() {
        let (mut view, _) = running("ok-client");
        let t = Instant::now();
        let lost = Duration::from_secs(300);
        view.apply(
            Event::Unreachable {
                cause: "connection refused".into(),
            },
            t,
        );
        // A second failure keeps the first one's clock.
        view.apply(
            Event::Unreachable {
                cause: "connection reset".into(),
            },
            t + Duration::from_secs(5),
        );
        assert_eq!(next_step(&view, t), Step::Wait(Some(t + lost)));
        assert_eq!(
            next_step(&view, t + lost),
            Step::ClusterLost {
                text: "Lost the cluster http://kubesim: no answer for 300 s (spark.k8scli.clusterLostTimeout): connection reset. The job's outcome is unknown: its driver ok-client-submit may still run there (`spark-k8s-cli status ok-client` once it answers).".into(),
                seconds: 300.0,
            }
        );
        // It answers again in time: the clock stops.
        view.apply(Event::Reachable, t + Duration::from_secs(10));
        assert_eq!(next_step(&view, t + lost), Step::Wait(None));
    }

    #[test]
    fn without_wait_app_completion_the_job_detaches_once_the_driver_runs() {
        let (mut view, _) = running("ok-cluster");
        view.job.wait_completion = false;
        let t = Instant::now();
        assert_eq!(next_step(&view, t), Step::Wait(None));
        // spark-submit returns once the driver runs.
        let (_, done) = captured("ok-cluster")
            .into_iter()
            .rfind(|(k, p)| {
                k == "MODIFIED" && p.metadata.name.as_deref() == Some("ok-cluster-submit")
            })
            .unwrap();
        assert_eq!(phase(&done), "Succeeded");
        view.apply(Event::Applied(done), t);
        assert_eq!(next_step(&view, t), Step::Drain(End::Detached));
    }

    #[test]
    fn a_submit_pod_failing_before_any_driver_is_a_failed_submission() {
        let t = Instant::now();
        let mut view = view_of("fail-cluster", limits());
        let (_, mut submit) = captured("fail-cluster")
            .into_iter()
            .find(|(_, p)| super::running(p))
            .unwrap();
        view.apply(Event::Applied(submit.clone()), t);
        assert_eq!(act(&mut view, t), [Step::StreamLog(Log::Submit)]);
        let mut status = serde_json::to_value(submit.status.take()).unwrap();
        status["phase"] = "Failed".into();
        status["containerStatuses"][0]["state"] =
            serde_json::json!({"terminated": {"exitCode": 1, "reason": "Error"}});
        submit.status = serde_json::from_value(status).unwrap();
        view.apply(Event::Applied(submit), t);
        assert_eq!(next_step(&view, t), Step::Drain(End::SubmitFailed));
        // It waits for the submit pod's log (its lines say why), not for the driver's.
        view.apply(Event::Done(Step::Drain(End::SubmitFailed)), t);
        assert_eq!(next_step(&view, t), Step::Wait(Some(t + LOG_DRAIN)));
        view.apply(Event::LogEnded(Log::Submit), t);
        assert_eq!(next_step(&view, t), Step::End(End::SubmitFailed));
    }

    #[test]
    fn executors_count_while_they_run_and_a_list_drops_the_gone() {
        let name = "ok-cluster";
        let events = captured(name);
        let mut view = view_of(name, limits());
        let t = Instant::now();
        let mut phases = Vec::new();
        for (kind, pod) in events {
            view.apply(event(&kind, pod), t);
            act(&mut view, t);
            if phases.last() != Some(&view.phase()) {
                phases.push(view.phase());
            }
        }
        assert_eq!(
            phases,
            [
                Phase::Pending,
                Phase::Running {
                    executors: 0,
                    wanted: 1
                },
                Phase::Running {
                    executors: 1,
                    wanted: 1
                },
                // The executor ended before the driver did.
                Phase::Running {
                    executors: 0,
                    wanted: 1
                },
            ]
        );
        let (mut view, _) = running(name);
        let exec = captured(name)
            .into_iter()
            .map(|(_, p)| p)
            .find(|p| {
                p.metadata.name.as_deref().unwrap().contains("-exec-") && phase(p) == "Running"
            })
            .unwrap();
        view.apply(Event::Applied(exec), t);
        assert_eq!(
            view.phase(),
            Phase::Running {
                executors: 1,
                wanted: 1
            }
        );
        let pods = vec![view.submit().clone(), view.driver().unwrap().clone()];
        view.apply(Event::Listed(pods), t);
        assert_eq!(
            view.phase(),
            Phase::Running {
                executors: 0,
                wanted: 1
            }
        );
    }

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
