//! A burst of launcher processes against kubesim, watched from inside: the order tickets were
//! admitted in, quota usage, requests per job, drain time; and the launchers of the tests that
//! run many (`tests/queue.rs`, `tests/alerts.rs`, `tests/fleet.rs`, `benches/queue.rs`).

use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubesim::SimConfig;

use super::home::{BIN, Home};
use super::mode::Mode;
use super::sandbox::Sandbox;
use super::watch::filter;

/// One kubesim cluster whose namespace `default` has quota `quota`; every pod create goes
/// through (the lock race is covered elsewhere).
pub async fn sandbox(mode: Mode, name: &str, quota: &[(&str, &str)]) -> Sandbox {
    Sandbox::start(
        mode,
        name,
        SimConfig {
            quota: Some(
                quota
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            quota_conflict_rate: Some(0.0),
            ..SimConfig::default()
        },
    )
    .await
}

/// One launcher of the tests' usual job (see [`Mode::job_cpu_m`] for its size), named `name`,
/// not following the driver's log, from `env`'s HOME (a sandbox's, or another host's); its
/// stderr piped for [`wait_all`].
pub fn launch_named(env: &Home, name: &str, job: &str, extra: &[&str]) -> Child {
    // SK8S_QUEUE_BIN: another build of the launcher (the release one, for the full burst).
    let bin = std::env::var("SK8S_QUEUE_BIN").unwrap_or_else(|_| BIN.to_string());
    env.spark_pi()
        .program(bin)
        .name(name)
        .conf("spark.executor.instances=1")
        .job(job)
        .conf("spark.k8scli.followDriverLog=false")
        .args(extra)
        .spawn_quiet()
}

/// [`launch_named`] for a job named `burst`.
pub fn launch(env: &Home, job: &str, extra: &[&str]) -> Child {
    launch_named(env, "burst", job, extra)
}

/// Records, from a watch, the order tickets were admitted in and the most drivers running at
/// once per queue.
pub fn observe(env: &Sandbox) -> Observed {
    let seen = Observed::default();
    let store = &env.sim.clusters[0].store;
    let (_, mut leases) = store
        .watch(filter("leases", "spark-k8s-cli/ticket=true"), None)
        .unwrap();
    let (_, mut pods) = store
        .watch(filter("pods", "spark-role=driver"), None)
        .unwrap();
    let (_, mut quotas) = store.watch(filter("resourcequotas", ""), None).unwrap();
    let s = seen.clone();
    tokio::spawn(async move {
        let mut running: std::collections::BTreeMap<String, String> = Default::default();
        loop {
            tokio::select! {
                Some(ev) = leases.recv() => {
                    let o = &ev["object"];
                    let job = o["metadata"]["labels"]["spark-k8s-cli/job-id"].as_str().unwrap_or("").to_string();
                    let state = o["metadata"]["annotations"]["spark-k8s-cli/state"].as_str().unwrap_or("");
                    let mut m = s.0.lock().unwrap();
                    if ev["type"] == "ADDED" {
                        m.enqueued.push((o["spec"]["acquireTime"].as_str().unwrap_or("").to_string(), job.clone()));
                    }
                    if state == "admitted" && !m.admitted.contains(&job) {
                        m.admitted.push(job.clone());
                        m.admitted_at.insert(job.clone(), Instant::now());
                    }
                    if ev["type"] == "DELETED"
                        && let Some(at) = m.admitted_at.get(&job).copied()
                    {
                        m.job_time += at.elapsed();
                    }
                }
                Some(ev) = quotas.recv() => {
                    let o = &ev["object"];
                    let used = o["status"]["used"]["requests.cpu"].as_str().and_then(kubesim::quantity::parse).unwrap_or(0);
                    let hard = o["status"]["hard"]["requests.cpu"].as_str().and_then(kubesim::quantity::parse).unwrap_or(0);
                    let mut m = s.0.lock().unwrap();
                    m.max_used_cpu = m.max_used_cpu.max(used);
                    m.hard_cpu = hard;
                }
                Some(ev) = pods.recv() => {
                    let o = &ev["object"];
                    let name = o["metadata"]["name"].as_str().unwrap_or("").to_string();
                    let queue = o["metadata"]["labels"]["spark-k8s-cli/queue"].as_str().unwrap_or("").to_string();
                    let phase = o["status"]["phase"].as_str().unwrap_or("");
                    if ev["type"] != "DELETED" && matches!(phase, "Pending" | "Running") {
                        running.insert(name, queue);
                    } else {
                        running.remove(&name);
                    }
                    let mut m = s.0.lock().unwrap();
                    for q in running.values() {
                        let n = running.values().filter(|x| *x == q).count();
                        let e = m.max_running.entry(q.clone()).or_default();
                        *e = (*e).max(n);
                    }
                    let total = running.len();
                    m.max_total = m.max_total.max(total);
                }
                else => break,
            }
        }
    });
    seen
}

#[derive(Default)]
pub struct Seen {
    pub enqueued: Vec<(String, String)>,
    pub admitted: Vec<String>,
    pub max_running: std::collections::BTreeMap<String, usize>,
    pub max_total: usize,
    pub admitted_at: std::collections::BTreeMap<String, Instant>,
    /// Admission to ticket release, summed over jobs.
    pub job_time: Duration,
    pub max_used_cpu: i128,
    pub hard_cpu: i128,
}

#[derive(Clone, Default)]
pub struct Observed(pub Arc<Mutex<Seen>>);

impl Observed {
    /// Jobs admitted more than a second after a job enqueued later than them: overtaken.
    /// Launchers decide independently, so two jobs admitted in one round (the later one's
    /// launcher seeing first that both fit) are not an overtaking.
    pub fn fifo_violations(&self) -> usize {
        let m = self.0.lock().unwrap();
        let mut by_time = m.enqueued.clone();
        by_time.sort();
        let rank = |job: &str| by_time.iter().position(|(_, j)| j == job).unwrap_or(0);
        let slack = Duration::from_secs(1);
        m.admitted_at
            .iter()
            .filter(|(early, at)| {
                m.admitted_at
                    .iter()
                    .any(|(late, late_at)| rank(late) > rank(early) && **at > *late_at + slack)
            })
            .count()
    }
}

/// Waits for one launcher (as [`wait_all`]): its exit code and stderr.
pub async fn wait_one(child: Child) -> (Option<i32>, String) {
    wait_all(vec![child]).await.remove(0)
}

/// Waits for one launcher (as [`wait_all`]) and asserts its exit code; its stderr.
pub async fn exits(child: Child, code: i32) -> String {
    let (got, err) = wait_one(child).await;
    assert_eq!(got, Some(code), "{err}");
    err
}

/// Waits for every launcher: their exit codes and stderr, in order.
pub async fn wait_all(children: Vec<Child>) -> Vec<(Option<i32>, String)> {
    // A launcher that hangs fails the test instead of holding it for ever.
    const HUNG: Duration = Duration::from_secs(600);
    let pids: Vec<String> = children.iter().map(|c| c.id().to_string()).collect();
    // Every child's output is read at once (a thread each), so that none blocks on a full
    // stderr pipe while another is waited for.
    let waited = tokio::task::spawn_blocking(move || {
        let readers: Vec<_> = children
            .into_iter()
            .map(|c| std::thread::spawn(move || c.wait_with_output().unwrap()))
            .collect();
        readers
            .into_iter()
            .map(|r| {
                let out = r.join().unwrap();
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    tokio::pin!(waited);
    match tokio::time::timeout(HUNG, &mut waited).await {
        Ok(done) => done.unwrap(),
        Err(_) => {
            for pid in &pids {
                let _ = Command::new("kill").args(["-KILL", pid]).status();
            }
            // What the hung ones said last, to find where they waited.
            let results = waited.await.unwrap();
            let hung: Vec<String> = results
                .iter()
                .enumerate()
                .filter(|(_, (code, _))| code.is_none())
                .take(5)
                .map(|(i, (_, err))| {
                    let tail: Vec<&str> = err.lines().rev().take(8).collect();
                    let tail: Vec<&str> = tail.into_iter().rev().collect();
                    format!("launcher {i}:\n{}", tail.join("\n"))
                })
                .collect();
            panic!(
                "launchers did not end within {} s; {} were killed; the first of them said last:\n{}",
                HUNG.as_secs(),
                results.iter().filter(|(c, _)| c.is_none()).count(),
                hung.join("\n")
            );
        }
    }
}

/// What a burst measured.
pub struct Burst {
    pub mode: Mode,
    pub drain: Duration,
    /// Total job time (admission to release) over the room: a perfect queue's drain time.
    pub ideal: Duration,
    pub requests_per_job: f64,
    pub violations: usize,
    /// Creates refused by the quota after admission (a stale view), then queued again.
    pub requeued: usize,
    pub max_used_cpu: i128,
    pub hard_cpu: i128,
}

impl Burst {
    pub const HEADER: &'static str = "| mode | launchers | room | drain s | ideal s | over ideal | requests/job | FIFO violations | re-queued | most cpu used / hard |\n|---|---|---|---|---|---|---|---|---|---|";

    /// The burst's figures as one row under [`Burst::HEADER`].
    pub fn row(&self, n: usize, fit: usize) -> String {
        format!(
            "| {} | {n} | {fit} | {:.1} | {:.1} | {:+.1}% | {:.1} | {} | {} | {}m / {}m |",
            self.mode.flag(),
            self.drain.as_secs_f64(),
            self.ideal.as_secs_f64(),
            (self.drain.as_secs_f64() / self.ideal.as_secs_f64() - 1.0) * 100.0,
            self.requests_per_job,
            self.violations,
            self.requeued,
            self.max_used_cpu,
            self.hard_cpu
        )
    }
}

/// A burst of `n` launchers on a quota that fits `fit` jobs.
pub async fn burst(mode: Mode, n: usize, fit: usize, run_seconds: f64) -> Burst {
    // One burst at a time in a test process: two hundred launchers per mode at once on two
    // cores measure the machine, not the queue (and took one full run past its bound).
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let cpu = format!("{}m", fit as u32 * mode.job_cpu_m());
    let env = sandbox(
        mode,
        &format!("burst{n}"),
        &[("requests.cpu", &cpu), ("pods", "1000")],
    )
    .await;
    let seen = observe(&env);
    let duration = format!("spark.kubesim.driver.durationSeconds={run_seconds}");
    let start = Instant::now();
    let children: Vec<Child> = (0..n)
        .map(|i| launch(&env, &format!("burst-{i:03}"), &["--conf", &duration]))
        .collect();
    let results = wait_all(children).await;
    let drain = start.elapsed();
    let mut requeued = 0;
    for (i, (code, err)) in results.iter().enumerate() {
        assert_eq!(*code, Some(0), "job {i} failed:\n{err}");
        // A create that lost a race to the quota goes back to its place, never fails.
        requeued += err.matches("; back to the queue").count();
    }
    let violations = seen.fifo_violations();
    let m = seen.0.lock().unwrap();
    assert_eq!(m.admitted.len(), n, "every ticket was seen admitted");
    Burst {
        mode,
        drain,
        ideal: m.job_time / fit as u32,
        requests_per_job: env.requests() as f64 / n as f64,
        violations,
        requeued,
        max_used_cpu: m.max_used_cpu,
        hard_cpu: m.hard_cpu,
    }
}
