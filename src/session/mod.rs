//! session: attaches this process's terminal (or its piped stdin and stdout) to a session pod
//! over pods/attach, re-attaches a dropped connection, and ends an idle session.
//!
//! The pod's container runs with `stdin`, `tty` and not `stdinOnce` (re-attachable), behind a
//! gate that waits for one line before it starts the shell (`plan`): pods/attach carries only
//! what is written after it connects (kubectl attach says "If you don't see a command prompt,
//! try pressing enter."), so the launcher attaches first and then opens the gate; no banner is
//! lost. Following the pod (start-up failures, alerts, the exit code from the container's
//! terminated state) stays with `follow`, which calls [`attach`] in place of streaming the log.

pub mod cancel;
pub mod tty;

use std::io::Write as _;
use std::os::fd::RawFd;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams, TerminalSize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// The annotation on the session's pod where the attached launcher records the last input or
/// output it saw (RFC 3339), for `sessions` to show how long a session has been idle.
pub const LAST_ACTIVE_ANNOTATION: &str = "spark-k8s-cli/last-active";

/// How often, at most, the last activity is written to the pod.
const ACTIVITY_EVERY: Duration = Duration::from_secs(30);

/// How a session is kept (from `resolve`'s typed session settings).
#[derive(Clone, Debug, PartialEq)]
pub struct Keep {
    /// A dropped connection is attached again for this long before the session counts as lost.
    pub reattach_grace: Duration,
    /// No input and no output this long ends the session (`None`: never).
    pub idle_timeout: Option<Duration>,
    /// How long before the idle end the warning is shown.
    pub idle_warning: Duration,
    /// The pod (and its Service) stay after the session ends.
    pub keep_pod: bool,
    /// spark-shell: Ctrl-C cancels the running jobs through the driver's web UI on this port
    /// ([`cancel`]) instead of reaching the shell.
    pub cancel_jobs_port: Option<u16>,
}

impl Default for Keep {
    /// The settings' defaults.
    fn default() -> Keep {
        Keep {
            reattach_grace: Duration::from_secs(60),
            idle_timeout: None,
            idle_warning: Duration::from_secs(60),
            keep_pod: false,
            cancel_jobs_port: None,
        }
    }
}

impl Keep {
    /// How the session on `pod` is kept, as the launcher that started it was told
    /// (`plan::session::SETTINGS_ANNOTATION`); the defaults where the pod does not say.
    pub fn from_pod(pod: &Pod) -> Keep {
        let mut keep = Keep::default();
        let Some(v) = pod
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(crate::plan::session::SETTINGS_ANNOTATION))
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        else {
            return keep;
        };
        let secs = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64)
        };
        keep.reattach_grace = secs("reattachGrace").unwrap_or(keep.reattach_grace);
        keep.idle_timeout = secs("idleTimeout").filter(|d| !d.is_zero());
        keep.idle_warning = secs("idleWarning").unwrap_or(keep.idle_warning);
        keep.keep_pod = v
            .get("keepPod")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        keep.cancel_jobs_port = v
            .get("cancelJobsPort")
            .and_then(serde_json::Value::as_u64)
            .and_then(|p| u16::try_from(p).ok())
            .filter(|p| *p != 0);
        keep
    }

    /// From the session settings (`sessionReattachGrace`, `sessionIdleTimeout`,
    /// `sessionIdleWarning`, `sessionKeepPod`).
    pub fn from_settings(s: &crate::resolve::Settings) -> Keep {
        let t = s.session();
        Keep {
            reattach_grace: t.reattach_grace,
            idle_timeout: t.idle_timeout,
            idle_warning: t.idle_warning,
            keep_pod: t.keep_pod,
            cancel_jobs_port: t.cancel_jobs_port,
        }
    }
}

/// How an attached session ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// The shell's container ended (its exit code is in the pod's status, which `follow` reads).
    Closed,
    /// The pod could not be attached again within the grace period.
    Lost(String),
    /// Nobody used the session for the idle timeout; the launcher ends it.
    Idle(Duration),
}

/// What the idle clock says at `now` (pure).
#[derive(Debug, PartialEq, Eq)]
pub enum IdleStep {
    /// Nothing to do before `Instant`.
    Until(Option<Instant>),
    /// Show the warning now (once), then wait.
    Warn { ends_in: Duration },
    /// End the session.
    End,
}

/// The idle decision: `last` is the last input or output, `warned` whether the warning for
/// this idle stretch was shown.
pub fn idle_step(keep: &Keep, last: Instant, warned: bool, now: Instant) -> IdleStep {
    let Some(timeout) = keep.idle_timeout else {
        return IdleStep::Until(None);
    };
    let end = last + timeout;
    let warn_at = end.checked_sub(keep.idle_warning).unwrap_or(last).max(last);
    if now >= end {
        IdleStep::End
    } else if now >= warn_at && !warned {
        IdleStep::Warn { ends_in: end - now }
    } else if warned {
        IdleStep::Until(Some(end))
    } else {
        IdleStep::Until(Some(warn_at))
    }
}

/// Turns the pod terminal's `\r\n` into `\n` for output that is not a terminal, across chunk
/// boundaries (`pending_cr`: the last chunk ended in `\r`).
pub fn plain_newlines(chunk: &[u8], pending_cr: &mut bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(chunk.len() + 1);
    for &b in chunk {
        if *pending_cr {
            *pending_cr = false;
            if b != b'\n' {
                out.push(b'\r');
            }
        }
        if b == b'\r' {
            *pending_cr = true;
        } else {
            out.push(b);
        }
    }
    out
}

/// The bytes that end piped input: a newline if the input did not end in one (a shell reads
/// lines), then Ctrl-D, which the pod's terminal turns into end-of-file at a line's start.
pub fn end_of_input(last: Option<u8>) -> Vec<u8> {
    match last {
        Some(b'\n') | Some(b'\r') | None => vec![0x04],
        Some(_) => vec![b'\n', 0x04],
    }
}

/// The local side: whether stdin and stdout are a terminal, and the keys (or piped input) read
/// on a thread of its own (a blocking read cannot be cancelled; tokio's docs ask for a thread
/// for interactive input).
pub struct Local {
    pub tty: bool,
    input: mpsc::Receiver<Vec<u8>>,
    /// The input has ended (piped stdin at its end; a terminal never ends).
    ended: bool,
    last_input: Option<u8>,
}

const STDIN: RawFd = 0;
const STDOUT: RawFd = 1;

impl Local {
    /// The process's one reader of stdin, started on first use.
    pub fn global() -> &'static tokio::sync::Mutex<Local> {
        static LOCAL: std::sync::OnceLock<tokio::sync::Mutex<Local>> = std::sync::OnceLock::new();
        LOCAL.get_or_init(|| tokio::sync::Mutex::new(Local::start()))
    }

    /// Starts reading stdin.
    pub fn start() -> Local {
        use std::io::IsTerminal;
        let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        let (tx, input) = mpsc::channel(16);
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 4096];
            loop {
                let n = match std::io::Read::read(&mut std::io::stdin().lock(), &mut buf) {
                    Ok(0) | Err(_) => 0,
                    Ok(n) => n,
                };
                if n == 0 || tx.blocking_send(buf[..n].to_vec()).is_err() {
                    return;
                }
            }
        });
        Local {
            tty,
            input,
            ended: false,
            last_input: None,
        }
    }

    fn size(&self) -> Option<TerminalSize> {
        self.tty
            .then(|| tty::size(STDOUT).or_else(|| tty::size(STDIN)))
            .flatten()
            .map(|(width, height)| TerminalSize { width, height })
    }
}

/// Attaches to `pod`'s container `container` until the session ends. `note` tells the person
/// what happens to the connection (a lost connection, a re-attach, the idle warning).
pub async fn attach(
    pods: &Api<Pod>,
    pod: &str,
    container: &str,
    keep: &Keep,
    local: &mut Local,
    note: &(dyn Fn(&str) + Sync),
) -> Ended {
    let _raw = if local.tty {
        match tty::enter(STDIN) {
            Ok(raw) => Some(raw),
            Err(e) => {
                note(&format!(
                    "cannot put the terminal in raw mode ({e}); keys are sent line by line"
                ));
                None
            }
        }
    } else {
        None
    };
    let mut last_activity = Instant::now();
    let mut warned = false;
    let mut lost_since: Option<Instant> = None;
    let mut recorded: Option<Instant> = None;
    let mut pause = Duration::from_millis(200);
    loop {
        let ap = AttachParams::interactive_tty().container(container);
        let attached = pods.attach(pod, &ap).await;
        let outcome = match attached {
            Ok(process) => {
                if let Some(since) = lost_since.take() {
                    note(&format!(
                        "session {pod}: attached again after {:.1} s",
                        since.elapsed().as_secs_f64()
                    ));
                }
                pause = Duration::from_millis(200);
                let clock = Clock {
                    last_activity: &mut last_activity,
                    warned: &mut warned,
                    recorded: &mut recorded,
                };
                run(process, pods, pod, local, keep, clock, note).await
            }
            Err(e) => Stream::Broken(crate::cluster::message_of(&e)),
        };
        match outcome {
            Stream::Idle(d) => return Ended::Idle(d),
            Stream::Ended | Stream::Broken(_) => {}
        }
        // The stream ended: the shell exited, or the connection was cut.
        if container_ended(pods, pod, container).await == Some(true) {
            return Ended::Closed;
        }
        let cause = match outcome {
            Stream::Broken(cause) => cause,
            _ => "the connection closed".to_string(),
        };
        let since = *lost_since.get_or_insert_with(|| {
            note(&format!(
                "session {pod}: {cause}; attaching again (for up to {} s)",
                keep.reattach_grace.as_secs()
            ));
            Instant::now()
        });
        if since.elapsed() >= keep.reattach_grace {
            return Ended::Lost(format!(
                "Session {pod} could not be attached again within spark.k8scli.sessionReattachGrace={} s: {cause}",
                keep.reattach_grace.as_secs()
            ));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

/// Whether the session's container has ended (`None`: the pod cannot be read now). A pod that
/// is gone has ended.
async fn container_ended(pods: &Api<Pod>, pod: &str, container: &str) -> Option<bool> {
    match pods.get_opt(pod).await {
        Ok(None) => Some(true),
        Ok(Some(p)) => {
            let statuses = p.status.as_ref()?.container_statuses.as_ref();
            let state = statuses
                .and_then(|s| s.iter().find(|c| c.name == container))
                .and_then(|c| c.state.as_ref());
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
            Some(
                state.is_some_and(|s| s.terminated.is_some())
                    || matches!(phase, Some("Succeeded") | Some("Failed")),
            )
        }
        Err(_) => None,
    }
}

/// The session's clocks, kept across connections.
struct Clock<'a> {
    last_activity: &'a mut Instant,
    warned: &'a mut bool,
    /// When the last activity was last written to the pod.
    recorded: &'a mut Option<Instant>,
}

impl Clock<'_> {
    /// Input or output now: the idle clock starts again, and the pod is told now and then.
    fn active(&mut self, pods: &Api<Pod>, pod: &str) {
        let now = Instant::now();
        *self.last_activity = now;
        *self.warned = false;
        if self.recorded.is_some_and(|t| now - t < ACTIVITY_EVERY) {
            return;
        }
        *self.recorded = Some(now);
        let (pods, pod) = (pods.clone(), pod.to_string());
        tokio::spawn(async move {
            let stamp = k8s_openapi::jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            let patch =
                serde_json::json!({"metadata": {"annotations": {LAST_ACTIVE_ANNOTATION: stamp}}});
            let _ = pods
                .patch(
                    &pod,
                    &kube::api::PatchParams::default(),
                    &kube::api::Patch::Merge(&patch),
                )
                .await;
        });
    }
}

/// The exit code of the session's container, once the kubelet reports it (at most 30 s);
/// `None` when the pod is gone or never says.
pub async fn exit_code(pods: &Api<Pod>, pod: &str) -> Option<i32> {
    let code = |p: &Pod| {
        p.status
            .as_ref()?
            .container_statuses
            .as_ref()?
            .iter()
            .find_map(|c| c.state.as_ref()?.terminated.as_ref().map(|t| t.exit_code))
    };
    let ended = kube::runtime::wait::await_condition(pods.clone(), pod, |p: Option<&Pod>| {
        p.is_none_or(|p| code(p).is_some())
    });
    match tokio::time::timeout(Duration::from_secs(30), ended).await {
        Ok(Ok(Some(p))) => code(&p),
        _ => None,
    }
}

enum Stream {
    /// The server closed the stream.
    Ended,
    /// The stream broke (or could not open).
    Broken(String),
    /// The idle timeout passed.
    Idle(Duration),
}

/// One attached connection: keys and piped input to the pod, its output to stdout, window
/// sizes on start and on every SIGWINCH.
async fn run(
    mut process: kube::api::AttachedProcess,
    pods: &Api<Pod>,
    pod: &str,
    local: &mut Local,
    keep: &Keep,
    mut clock: Clock<'_>,
    note: &(dyn Fn(&str) + Sync),
) -> Stream {
    let (Some(mut stdin), Some(mut stdout)) = (process.stdin(), process.stdout()) else {
        return Stream::Broken("the attach gave no stdin or stdout".into());
    };
    let mut sizes = process.terminal_size();
    let mut winch =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change()).ok();
    // As kubectl does: one size bigger, then the real one, so the shell redraws its screen.
    if let (Some(tx), Some(size)) = (sizes.as_mut(), local.size()) {
        use futures::SinkExt;
        let _ = tx
            .send(TerminalSize {
                width: size.width.saturating_add(1),
                height: size.height.saturating_add(1),
            })
            .await;
        let _ = tx.send(size).await;
    }
    // Opens the gate on the first attach; a REPL answers it with a fresh prompt afterwards.
    if stdin.write_all(b"\r").await.is_err() {
        return Stream::Broken("cannot write to the session".into());
    }
    if local.ended {
        let _ = stdin.write_all(&end_of_input(local.last_input)).await;
    }
    let mut out = std::io::stdout();
    let mut pending_cr = false;
    let mut buf = vec![0u8; 8192];
    // spark-shell: Ctrl-C typed on this terminal cancels jobs (until a second one confirms).
    let cancel_port = keep.cancel_jobs_port.filter(|_| local.tty);
    let mut confirm = cancel::Confirm::default();
    let result = loop {
        let idle = idle_step(keep, *clock.last_activity, *clock.warned, Instant::now());
        let wake = match idle {
            IdleStep::End => break Stream::Idle(keep.idle_timeout.unwrap_or_default()),
            IdleStep::Warn { ends_in } => {
                *clock.warned = true;
                note(&format!(
                    "this session has been idle for {} s; it ends in {} s unless it is used (spark.k8scli.sessionIdleTimeout)",
                    clock.last_activity.elapsed().as_secs(),
                    ends_in.as_secs()
                ));
                continue;
            }
            IdleStep::Until(t) => t,
        };
        tokio::select! {
            read = stdout.read(&mut buf) => match read {
                Ok(0) => break Stream::Ended,
                Ok(n) => {
                    clock.active(pods, pod);
                    let bytes = if local.tty {
                        buf[..n].to_vec()
                    } else {
                        plain_newlines(&buf[..n], &mut pending_cr)
                    };
                    let _ = out.write_all(&bytes);
                    let _ = out.flush();
                }
                Err(e) => break Stream::Broken(e.to_string()),
            },
            key = local.input.recv(), if !local.ended => {
                clock.active(pods, pod);
                let bytes = match key {
                    Some(bytes) => {
                        local.last_input = bytes.last().copied().or(local.last_input);
                        bytes
                    }
                    None => {
                        local.ended = true;
                        end_of_input(local.last_input)
                    }
                };
                let mut rest: &[u8] = &bytes;
                while let Some(port) = cancel_port
                    && let Some(at) = rest.iter().position(|b| *b == CTRL_C)
                {
                    if at > 0 {
                        confirm.typed();
                    }
                    if stdin.write_all(&rest[..at]).await.is_err() {
                        break;
                    }
                    rest = &rest[at + 1..];
                    if ctrl_c(pods, pod, port, &mut confirm, note).await == cancel::CtrlC::Forward
                        && stdin.write_all(&[CTRL_C]).await.is_err()
                    {
                        break;
                    }
                }
                if !rest.is_empty() {
                    confirm.typed();
                }
                if stdin.write_all(rest).await.is_err() {
                    break Stream::Broken("cannot write to the session".into());
                }
            },
            Some(()) = async { match winch.as_mut() { Some(w) => w.recv().await, None => None } } => {
                if let (Some(tx), Some(size)) = (sizes.as_mut(), local.size()) {
                    use futures::SinkExt;
                    let _ = tx.send(size).await;
                }
            },
            _ = async { match wake { Some(t) => tokio::time::sleep_until(t).await, None => std::future::pending().await } } => {}
        }
    };
    if pending_cr {
        let _ = out.write_all(b"\r");
    }
    let _ = out.flush();
    drop(stdin);
    process.abort();
    result
}

/// The byte a terminal in raw mode sends for Ctrl-C (`VINTR`).
const CTRL_C: u8 = 0x03;

/// A Ctrl-C in a spark-shell session: cancels the running jobs, or says why not and waits for a
/// second one ([`cancel`]). Returns whether it goes on to the shell.
async fn ctrl_c(
    pods: &Api<Pod>,
    pod: &str,
    port: u16,
    confirm: &mut cancel::Confirm,
    note: &(dyn Fn(&str) + Sync),
) -> cancel::CtrlC {
    let step = confirm.ctrl_c();
    if step == cancel::CtrlC::Forward {
        return step;
    }
    let again = "press Ctrl-C again to end spark-shell (it ends on Ctrl-C), or Ctrl-D";
    match cancel::cancel_jobs(pods, pod, port).await {
        Ok(cancel::Cancelled::Jobs(ids)) => {
            note(&format!(
                "Ctrl-C: cancelled Spark job {} through the driver's web UI",
                ids.join(", ")
            ));
            return step;
        }
        Ok(cancel::Cancelled::Nothing) => {
            note(&format!("Ctrl-C: no Spark job is running; {again}"));
        }
        Err(e) => note(&format!(
            "Ctrl-C: cannot reach the driver's web UI on port {port} to cancel its jobs ({e}); {again}"
        )),
    }
    confirm.arm();
    step
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(idle: Option<u64>, warning: u64) -> Keep {
        Keep {
            reattach_grace: Duration::from_secs(60),
            idle_timeout: idle.map(Duration::from_secs),
            idle_warning: Duration::from_secs(warning),
            keep_pod: false,
            cancel_jobs_port: None,
        }
    }

    #[test]
    fn idle_clock_warns_once_then_ends() {
        let t0 = Instant::now();
        let s = |n: u64| t0 + Duration::from_secs(n);
        let k = keep(Some(300), 60);
        assert_eq!(
            idle_step(&k, t0, false, s(10)),
            IdleStep::Until(Some(s(240)))
        );
        assert_eq!(
            idle_step(&k, t0, false, s(240)),
            IdleStep::Warn {
                ends_in: Duration::from_secs(60)
            }
        );
        assert_eq!(
            idle_step(&k, t0, true, s(250)),
            IdleStep::Until(Some(s(300)))
        );
        assert_eq!(idle_step(&k, t0, true, s(300)), IdleStep::End);
        // Off by default; a warning longer than the timeout warns at once.
        assert_eq!(
            idle_step(&keep(None, 60), t0, false, s(9999)),
            IdleStep::Until(None)
        );
        assert_eq!(
            idle_step(&keep(Some(30), 60), t0, false, t0),
            IdleStep::Warn {
                ends_in: Duration::from_secs(30)
            }
        );
    }

    #[test]
    fn the_pod_carries_how_its_session_is_kept() {
        let mut t = crate::resolve::typed::SessionSettings {
            queue_timeout: None,
            reattach_grace: Duration::from_secs(5),
            keep_pod: true,
            idle_timeout: Some(Duration::from_millis(1500)),
            idle_warning: Duration::from_secs(1),
            cancel_jobs_port: Some(4041),
        };
        let on_pod = |t: &crate::resolve::typed::SessionSettings| {
            let mut pod = Pod::default();
            pod.metadata.annotations = Some(
                [(
                    crate::plan::session::SETTINGS_ANNOTATION.to_string(),
                    crate::plan::session::settings_annotation(t),
                )]
                .into(),
            );
            Keep::from_pod(&pod)
        };
        let want = Keep {
            reattach_grace: Duration::from_secs(5),
            idle_timeout: Some(Duration::from_millis(1500)),
            idle_warning: Duration::from_secs(1),
            keep_pod: true,
            cancel_jobs_port: Some(4041),
        };
        assert_eq!(on_pod(&t), want);
        // pyspark and spark-sql: Ctrl-C goes to the shell.
        t.cancel_jobs_port = None;
        assert_eq!(
            on_pod(&t),
            Keep {
                cancel_jobs_port: None,
                ..want
            }
        );
        assert_eq!(Keep::from_pod(&Pod::default()), Keep::default());
    }

    #[test]
    fn newlines_are_plain_across_chunks() {
        let mut cr = false;
        let mut out = plain_newlines(b"a\r\nb\r", &mut cr);
        assert!(cr);
        out.extend(plain_newlines(b"\nc\rd", &mut cr));
        assert_eq!(out, b"a\nb\nc\rd");
        assert!(!cr);
    }

    #[test]
    fn piped_input_ends_with_ctrl_d_on_a_fresh_line() {
        assert_eq!(end_of_input(Some(b'x')), vec![b'\n', 4]);
        assert_eq!(end_of_input(Some(b'\n')), vec![4]);
        assert_eq!(end_of_input(None), vec![4]);
    }
}
