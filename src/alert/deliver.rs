//! Telling of events (the edge): the line on stderr, the Kubernetes Event on the job's pod, and
//! the configured sinks, delivered in the background with bounded retries. [`flush`] waits for
//! what is still pending, within a bound, when the launcher exits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use k8s_openapi::api::core::v1::{Event as KubeEvent, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::{Api, PostParams};

use super::gate::{self, Gate};
use super::sinks;
use crate::cluster::Target;
use crate::cluster::retry::{Decision, Policy};
use crate::events::{Event, Subject, Teller};
use crate::resolve::sinks::{Sink, SinkKind};

/// What [`flush`] keeps of its bound for stopping the deliveries it gives up on.
const STOPPING: Duration = Duration::from_millis(50);
/// How long the cluster may take to decide on an alert (its record and flood window) before
/// this host's file decides instead.
const GATE_BOUND: Duration = Duration::from_secs(5);

/// How this launcher alerts.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub sinks: Vec<Sink>,
    /// Link name → URL template (`{job_id}`, `{app_name}`, `{namespace}`, `{cluster}`,
    /// `{driver_pod}`, `{queue}`).
    pub links: BTreeMap<String, String>,
    /// How long [`flush`] waits for pending deliveries at exit.
    pub flush: Duration,
    /// Like events (same kind, cluster and reason) sent per minute by every launcher; 0: no
    /// limit.
    pub rate_limit: u32,
    /// The host's alert state (`alerts.json`), which decides when the job's cluster cannot;
    /// `None`: this process only.
    pub state: Option<PathBuf>,
    /// The driver pod's name, for the link templates.
    pub driver_pod: String,
}

struct Dispatcher {
    config: Config,
    http: Option<reqwest::Client>,
    pending: Mutex<tokio::task::JoinSet<()>>,
    /// (job, event) already told by this process: a failover or retry sees some twice.
    told: Mutex<BTreeSet<String>>,
    clock: Clock,
    /// Whether this process swept the expired alert records of a namespace already.
    swept: std::sync::atomic::AtomicBool,
}

/// The alert gate's clock, in milliseconds since the epoch: the wall clock when the dispatcher
/// was made, moved on by tokio's clock (monotonic; paused and advanced by the tests).
struct Clock {
    wall_ms: u64,
    at: tokio::time::Instant,
}

impl Clock {
    fn start() -> Clock {
        let wall_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Clock {
            wall_ms,
            at: tokio::time::Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        self.wall_ms
            .saturating_add(self.at.elapsed().as_millis() as u64)
    }
}

static DISPATCH: OnceLock<Dispatcher> = OnceLock::new();

/// Sets how this process alerts (once, before the job starts). Without it, events are told
/// on stderr and recorded in the cluster only.
pub fn init(config: Config) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let _ = DISPATCH.set(Dispatcher::new(config));
}

impl Dispatcher {
    fn new(config: Config) -> Dispatcher {
        let http = config
            .sinks
            .iter()
            .any(|s| matches!(s.kind, SinkKind::Webhook | SinkKind::Slack))
            .then(|| {
                reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .user_agent(concat!("spark-k8s-cli/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .ok()
            })
            .flatten();
        Dispatcher {
            config,
            http,
            pending: Mutex::new(tokio::task::JoinSet::new()),
            told: Mutex::new(BTreeSet::new()),
            clock: Clock::start(),
            swept: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// The [`Teller`] the stages' events reach: [`raise`] and [`raise_local`].
pub struct Alerts;

impl Teller for Alerts {
    fn tell_local(&self, event: &Event) {
        raise_local(event);
    }

    fn tell<'a>(
        &'a self,
        target: &'a Target,
        event: &'a Event,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>> {
        Box::pin(raise(target, event))
    }
}

/// Tells of `event` where no cluster can record it: the line on stderr (for a failure or a
/// warning, or when a `log` sink takes it) and the sinks, gated by this host's file.
fn raise_local(event: &Event) {
    say_line(event);
    if let Some(d) = DISPATCH.get() {
        d.send(event.clone(), None);
    }
}

/// The line on stderr, for a failure or a warning, or when a `log` sink takes it.
fn say_line(event: &Event) {
    let sinks = DISPATCH.get().map_or(&[][..], |d| &d.config.sinks[..]);
    if said_on_stderr(sinks, event) {
        crate::report::line(
            crate::report::Level::of_severity(event.severity),
            &event.log_line(),
        );
    }
}

/// Whether `event` has its line on stderr: failures and warnings do; a success (`info`) only
/// when a `log` sink asks for it (`events: [job-succeeded]`).
pub fn said_on_stderr(sinks: &[Sink], event: &Event) -> bool {
    event.severity != "info"
        || sinks
            .iter()
            .any(|s| s.kind == SinkKind::Log && s.routes(event))
}

/// Tells of `event`: one line on stderr, a Kubernetes Event on its subject (so cluster
/// monitoring sees it too), and the sinks, gated by the records in the target's namespace
/// ([`super::record`]). Never fails or blocks the job: a cluster that refuses the Event is let
/// be, and the gate and the sinks run in the background.
async fn raise(target: &Target, event: &Event) {
    say_line(event);
    if let Some(d) = DISPATCH.get() {
        d.send(event.clone(), Some(target.clone()));
    }
    if let Some(subject) = &event.subject {
        let record = kube_event(target, subject, event);
        let api: Api<KubeEvent> = Api::namespaced(target.client.clone(), &target.namespace);
        let _ = tokio::time::timeout(
            Duration::from_secs(5),
            api.create(&PostParams::default(), &record),
        )
        .await;
    }
}

/// Waits for pending deliveries, at most the configured bound; what is left is dropped with a
/// line saying so.
pub async fn flush() {
    let Some(d) = DISPATCH.get() else {
        return;
    };
    let mut set = std::mem::take(&mut *d.pending.lock().unwrap_or_else(|p| p.into_inner()));
    if set.is_empty() {
        return;
    }
    let all = async { while set.join_next().await.is_some() {} };
    // The bound covers stopping too (aborting deliveries, killing a command sink, exiting):
    // that much of it is kept back from waiting.
    let wait = d.config.flush.saturating_sub(STOPPING);
    if tokio::time::timeout(wait, all).await.is_err() {
        crate::report::warn(&format!(
            "spark-k8s-cli: {} alert(s) still undelivered after {:.1} s (alertFlushTimeout); given up",
            set.len(),
            d.config.flush.as_secs_f64()
        ));
        set.abort_all();
    }
}

fn kube_event(target: &Target, subject: &Subject, event: &Event) -> KubeEvent {
    let now = k8s_openapi::jiff::Timestamp::now();
    KubeEvent {
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
        message: Some(event.message.chars().take(1024).collect()),
        type_: Some(
            if event.severity == "info" {
                "Normal"
            } else {
                "Warning"
            }
            .into(),
        ),
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
    }
}

impl Dispatcher {
    /// Gates the event (once per job, the flood limit) and starts its deliveries: in the
    /// background with the records of `target`'s namespace, else at once with this host's
    /// file.
    fn send(&'static self, event: Event, target: Option<Target>) {
        let routed: Vec<Sink> = self
            .config
            .sinks
            .iter()
            .filter(|s| s.kind != SinkKind::Log && s.routes(&event))
            .cloned()
            .collect();
        if routed.is_empty() {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let Some(target) = target else {
            let Some(event) = self.admit(event) else {
                return;
            };
            for sink in routed {
                let (event, http) = (event.clone(), self.http.clone());
                pending.spawn_on(deliver(sink, event, http), &handle);
            }
            return;
        };
        if self.told_before(&keys(&event).0) {
            return;
        }
        let gated = async move {
            let Some(event) = self.admit_shared(&target, event).await else {
                return;
            };
            let deliveries = routed
                .into_iter()
                .map(|sink| deliver(sink, event.clone(), self.http.clone()));
            futures::future::join_all(deliveries).await;
            if !self.swept.swap(true, std::sync::atomic::Ordering::Relaxed) {
                let _ = tokio::time::timeout(GATE_BOUND, super::record::sweep(&target)).await;
            }
        };
        pending.spawn_on(gated, &handle);
    }

    /// Whether this process told the (job, event) of `job_key` already; marks it told.
    fn told_before(&self, job_key: &str) -> bool {
        !self
            .told
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(job_key.to_string())
    }

    /// The event as it goes out (the like events held back before it counted, its links
    /// filled in), or `None` when this job told it already or like events flood: decided by
    /// this host's file.
    fn admit(&self, event: Event) -> Option<Event> {
        let (job_key, flood_key) = keys(&event);
        if self.told_before(&job_key) {
            return None;
        }
        let verdict = self.host_verdict(&job_key, &flood_key);
        self.finish(event, &job_key, verdict)
    }

    /// [`Dispatcher::admit`] decided by the records in `target`'s namespace, shared by the
    /// launchers of every host; by this host's file when the cluster cannot decide in time.
    /// The caller checked [`Dispatcher::told_before`].
    async fn admit_shared(&self, target: &Target, event: Event) -> Option<Event> {
        let (job_key, flood_key) = keys(&event);
        let shared = super::record::gate(
            target,
            &event.job_id,
            event.event.name(),
            &flood_key,
            self.clock.now_ms(),
            self.config.rate_limit,
        );
        let verdict = match tokio::time::timeout(GATE_BOUND, shared).await {
            Ok(Ok(verdict)) => verdict,
            failed => {
                let why = match failed {
                    Ok(Err(e)) => crate::cluster::message_of(&e),
                    _ => "no answer".into(),
                };
                tracing::info!(%why, "the cluster kept no alert record; this host's file decides");
                self.host_verdict(&job_key, &flood_key)
            }
        };
        self.finish(event, &job_key, verdict)
    }

    /// The verdict of this host's file (`alerts.json`).
    fn host_verdict(&self, job_key: &str, flood_key: &str) -> Gate {
        let now = self.clock.now_ms();
        crate::hoststate::with(self.config.state.as_deref(), |st: &mut gate::State| {
            gate::gate(st, job_key, flood_key, now, self.config.rate_limit)
        })
    }

    /// The event as the verdict lets it go out, or `None`.
    fn finish(&self, mut event: Event, job_key: &str, verdict: Gate) -> Option<Event> {
        match verdict {
            Gate::Duplicate | Gate::Suppressed => {
                tracing::info!(event = %job_key, ?verdict, "alert not sent");
                return None;
            }
            Gate::Send { suppressed } => event.suppressed = suppressed,
        }
        for (name, template) in &self.config.links {
            event
                .links
                .insert(name.clone(), self.link(template, &event));
        }
        Some(event)
    }

    fn link(&self, template: &str, e: &Event) -> String {
        link(template, e, &self.config.driver_pod)
    }
}

/// An event's `job|event` key and its flood key: like events are the same kind on the same
/// cluster for the same reason (a pull back-off is the same failed pull).
fn keys(event: &Event) -> (String, String) {
    let reason = match event.reason.as_deref().unwrap_or("") {
        "ImagePullBackOff" => "ErrImagePull",
        r => r,
    };
    (
        format!("{}|{}", event.job_id, event.event.name()),
        format!("{}|{}|{reason}", event.event.name(), event.cluster),
    )
}

/// An `alertLinks` template filled in for event `e` of the job whose driver is `driver_pod`.
pub fn link(template: &str, e: &Event, driver_pod: &str) -> String {
    template
        .replace("{job_id}", &e.job_id)
        .replace("{app_name}", &e.app_name)
        .replace("{namespace}", &e.namespace)
        .replace("{cluster}", &e.cluster)
        .replace("{queue}", &e.queue)
        .replace("{driver_pod}", driver_pod)
}

/// Delivers one event to one sink: tries as [`Policy::alert_delivery`] says, each within the
/// sink's timeout; a failure is a line on stderr, never the job's.
async fn deliver(sink: Sink, event: Event, http: Option<reqwest::Client>) {
    let Err(last) = try_deliver(&sink, &event, http.as_ref()).await else {
        return;
    };
    crate::report::warn(&format!(
        "spark-k8s-cli: alert sink {} ({}) did not take event {} of job {}: {last}",
        sink.name,
        sink.describe(),
        event.event.name(),
        event.job_id
    ));
}

/// [`deliver`]'s tries; the last failure.
async fn try_deliver(
    sink: &Sink,
    event: &Event,
    http: Option<&reqwest::Client>,
) -> Result<(), String> {
    let timeout = Duration::from_secs_f64(sink.timeout.unwrap_or(5.0));
    let policy = Policy::alert_delivery();
    let mut pauses = policy.backoff();
    let start = tokio::time::Instant::now();
    let mut attempt = 1;
    loop {
        let last = match tokio::time::timeout(timeout, once(sink, event, http)).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(Failure::Final(why))) => return Err(why),
            Ok(Err(Failure::Again(why))) => why,
            Err(_) => format!("no answer within {:.1} s", timeout.as_secs_f64()),
        };
        let again = policy.next_delay(&Decision::Backoff, attempt, start.elapsed(), &mut pauses);
        let Some(pause) = again else {
            return Err(last);
        };
        tokio::time::sleep(pause).await;
        attempt += 1;
    }
}

/// Sends `event` to `sink` now, whatever its routing (`spark-k8s-cli alert test`).
pub async fn send_now(sink: &Sink, event: &Event) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    try_deliver(sink, event, Some(&http)).await
}

enum Failure {
    /// Worth another try (5xx, 429, no connection).
    Again(String),
    /// Not (4xx, a command that cannot start).
    Final(String),
}

async fn once(sink: &Sink, event: &Event, http: Option<&reqwest::Client>) -> Result<(), Failure> {
    match sink.kind {
        SinkKind::Webhook | SinkKind::Slack => {
            let http = http.ok_or_else(|| Failure::Final("no HTTP client".into()))?;
            let body = match sink.kind {
                SinkKind::Slack => sinks::slack_body(event).to_string(),
                _ => sinks::webhook_body(sink, event),
            };
            let url = sink.url.as_deref().unwrap_or_default();
            let mut req = http
                .post(url)
                .header("Content-Type", "application/json")
                .header("X-Spark-K8s-Cli-Event", event.event.name());
            for (k, v) in &sink.headers {
                req = req.header(k.as_str(), v.as_str());
            }
            if let Some(secret) = &sink.secret {
                req = req.header(
                    "X-Spark-K8s-Cli-Signature",
                    sinks::signature(secret, body.as_bytes()),
                );
            }
            // Errors from reqwest name the URL: keep only their kind.
            let resp = req.body(body).send().await.map_err(|e| {
                Failure::Again(if e.is_connect() {
                    "cannot connect".into()
                } else if e.is_timeout() {
                    "timed out".into()
                } else {
                    "request failed".into()
                })
            })?;
            let status = resp.status();
            if status.is_success() {
                Ok(())
            } else if status.is_server_error() || status.as_u16() == 429 {
                Err(Failure::Again(format!("HTTP {status}")))
            } else {
                Err(Failure::Final(format!("HTTP {status}")))
            }
        }
        SinkKind::Command => run_command(sink, event).await,
        SinkKind::Log => Ok(()),
    }
}

/// Runs the sink's argv (no shell) with the event JSON on stdin; it must exit 0.
async fn run_command(sink: &Sink, event: &Event) -> Result<(), Failure> {
    use tokio::io::AsyncWriteExt;
    let (program, args) = sink.argv.split_first().expect("checked when parsed");
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .env("SPARK_K8S_CLI_EVENT", event.event.name())
        .env("SPARK_K8S_CLI_JOB_ID", &event.job_id)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| Failure::Final(format!("cannot run {program}: {e}")))?;
    let json = serde_json::to_vec(event).unwrap_or_default();
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&json).await;
        let _ = stdin.shutdown().await;
    }
    let out = child
        .wait_with_output()
        .await
        .map_err(|e| Failure::Again(e.to_string()))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(Failure::Again(format!(
        "{program} exited {}: {}",
        out.status
            .code()
            .map_or("on a signal".into(), |c| c.to_string()),
        stderr.trim().chars().take(300).collect::<String>()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Kind;

    /// A host state file of one test, removed when dropped.
    struct StateFile(PathBuf);

    impl StateFile {
        fn new(test: &str) -> StateFile {
            let name = format!("spark-k8s-cli-{}-{test}.json", std::process::id());
            let path = std::env::temp_dir().join(name);
            let _ = std::fs::remove_file(&path);
            StateFile(path)
        }
    }

    impl Drop for StateFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn a_success_is_said_on_stderr_only_when_a_log_sink_takes_it() {
        let ok = Event::new(Kind::JobSucceeded, "j", "done".into());
        let failed = Event::new(Kind::DriverFailed, "j", "exit 1".into());
        let moved = Event::new(Kind::Failover, "j", "moved".into());
        assert!(!said_on_stderr(&[], &ok));
        assert!(said_on_stderr(&[], &failed) && said_on_stderr(&[], &moved));
        let sinks = |json: &str| crate::resolve::sinks::parse(json).unwrap();
        let every = sinks(r#"[{"name": "l", "type": "log"}]"#);
        assert!(
            !said_on_stderr(&every, &ok),
            "success is opt-in for a log sink too"
        );
        let asks = sinks(r#"[{"name": "l", "type": "log", "events": ["job-succeeded"]}]"#);
        assert!(said_on_stderr(&asks, &ok));
        let hook = sinks(
            r#"[{"name": "h", "type": "webhook", "url": "http://h", "events": ["job-succeeded"]}]"#,
        );
        assert!(
            !said_on_stderr(&hook, &ok),
            "a webhook's success is not stderr's"
        );
    }

    /// A launcher of the host: two like alerts a minute.
    fn launcher(state: &StateFile) -> Dispatcher {
        Dispatcher::new(Config {
            rate_limit: 2,
            state: Some(state.0.clone()),
            ..Default::default()
        })
    }

    /// `job`'s image pull failed on cluster east: what goes out, with the like events held
    /// back before it, or `None`.
    fn pull_failed(d: &Dispatcher, job: &str) -> Option<u32> {
        let mut e = Event::new(Kind::ContainerCreationFailed, job, "pull failed".into());
        e.cluster = "east".into();
        e.reason = Some("ImagePullBackOff".into());
        d.admit(e).map(|e| e.suppressed)
    }

    /// A job's event alerts once, from this launcher and from the others of the host, for two
    /// days; like events of other jobs go out two a minute, the next minute's first counting
    /// those held back. Paused time: the gate's clock moves only with tokio's.
    #[tokio::test(start_paused = true)]
    async fn a_job_alerts_an_event_once_and_a_flood_two_a_minute() {
        let state = StateFile::new("dedup");
        let (first, second, later) = (launcher(&state), launcher(&state), launcher(&state));
        assert_eq!(pull_failed(&first, "a"), Some(0));
        assert_eq!(pull_failed(&first, "a"), None, "told twice by one launcher");
        assert_eq!(pull_failed(&second, "a"), None, "told again by another");
        assert_eq!(pull_failed(&second, "b"), Some(0));
        assert_eq!(
            pull_failed(&second, "c"),
            None,
            "a third like alert in a minute"
        );
        tokio::time::advance(Duration::from_secs(59)).await;
        assert_eq!(
            pull_failed(&first, "d"),
            None,
            "a fourth in the same minute"
        );
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(pull_failed(&first, "e"), Some(2), "the next minute's first");
        // Two days on the host has forgotten job a; a launcher that told it has not.
        tokio::time::advance(Duration::from_secs(2 * 24 * 3600)).await;
        assert_eq!(pull_failed(&first, "a"), None);
        assert_eq!(pull_failed(&later, "a"), Some(0));
    }
}
