//! A burst of launcher processes against kubesim, watched from inside: the order tickets were
//! admitted in, quota usage, requests per job, drain time. Shared by `tests/queue.rs` and
//! `benches/queue.rs`.
#![allow(dead_code)] // each includer uses a part

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use kubesim::{Sim, SimConfig};

use super::mode::Mode;

pub struct Env {
    pub sim: Sim,
    pub dir: std::path::PathBuf,
    /// The launcher binary.
    pub bin: &'static str,
    /// The deploy mode every launcher of this environment uses.
    pub mode: Mode,
}

impl Env {
    pub async fn new(bin: &'static str, mode: Mode, name: &str, quota: &[(&str, &str)]) -> Env {
        let sim = Sim::start(SimConfig {
            quota: Some(
                quota
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            // The lock race is covered elsewhere; here every pod create goes through.
            quota_conflict_rate: Some(0.0),
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let dir = std::env::temp_dir().join(format!(
            "sk8s-queue-{}-{}",
            mode.tag(name),
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("kubeconfig"), sim.kubeconfig()).unwrap();
        Env {
            sim,
            dir,
            bin,
            mode,
        }
    }

    /// One job's cpu in millicores: a 500m submit pod + a 1-core driver + one 1-core executor in
    /// cluster mode; in client mode the driver runs in the submit pod, sized as the driver.
    pub fn job_cpu_m(&self) -> u32 {
        self.mode.job_cpu_m()
    }

    /// The driver pod of job `job` in this environment's mode.
    pub fn driver(&self, job: &str) -> String {
        self.mode.driver(job)
    }

    /// One launcher (see [`Env::job_cpu_m`] for its size).
    pub fn spawn(&self, job: &str, extra: &[&str]) -> Child {
        // SK8S_QUEUE_BIN: another build of the launcher (the release one, for the full burst).
        let bin = std::env::var("SK8S_QUEUE_BIN").unwrap_or_else(|_| self.bin.to_string());
        let mut c = Command::new(bin);
        c.args([
            "--master",
            &format!("k8s://{}", self.sim.url(0)),
            "--deploy-mode",
            self.mode.flag(),
            "--name",
            "burst",
            "--class",
            "org.apache.spark.examples.SparkPi",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
            "--conf",
            "spark.executor.instances=1",
            "--conf",
            &format!("spark.k8scli.jobId={job}"),
            "--conf",
            "spark.k8scli.followDriverLog=false",
        ]);
        c.args(extra)
            .arg("local:///opt/spark/examples/jars/spark-examples.jar")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &self.dir)
            .env("KUBECONFIG", self.dir.join("kubeconfig"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    }

    /// Records, from a watch, the order tickets were admitted in and the most drivers running at
    /// once per queue.
    pub fn observe(&self) -> Observed {
        let seen = Observed::default();
        let store = &self.sim.clusters[0].store;
        let filter = |res: &str, label: &str| WatchFilter {
            res_key: res.into(),
            namespace: Some("default".into()),
            label: LabelSelector::parse(label).unwrap(),
            field: FieldSelector::default(),
        };
        let (_, mut leases) = store
            .watch(
                filter("leases.coordination.k8s.io", "spark-k8s-cli/ticket=true"),
                None,
            )
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
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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

pub fn requests(env: &Env) -> u64 {
    env.sim.clusters[0]
        .counters()
        .iter()
        .filter(|(k, _)| !k.ends_with("(in-cluster)"))
        .map(|(_, n)| n)
        .sum()
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
pub async fn burst(bin: &'static str, mode: Mode, n: usize, fit: usize, run_seconds: f64) -> Burst {
    // One burst at a time in a test process: two hundred launchers per mode at once on two
    // cores measure the machine, not the queue (and took one full run past its bound).
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let cpu = format!("{}m", fit as u32 * mode.job_cpu_m());
    let env = Env::new(
        bin,
        mode,
        &format!("burst{n}"),
        &[("requests.cpu", &cpu), ("pods", "1000")],
    )
    .await;
    let seen = env.observe();
    let duration = format!("spark.kubesim.driver.durationSeconds={run_seconds}");
    let start = Instant::now();
    let children: Vec<Child> = (0..n)
        .map(|i| env.spawn(&format!("burst-{i:03}"), &["--conf", &duration]))
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
        requests_per_job: requests(&env) as f64 / n as f64,
        violations,
        requeued,
        max_used_cpu: m.max_used_cpu,
        hard_cpu: m.hard_cpu,
    }
}

/// Waits (on a watch, at most 30 s) until pod `name` in `default` runs on `cluster`.
pub async fn wait_running(cluster: &kubesim::cluster::Cluster, name: &str) {
    let store = &cluster.store;
    let pods = kubesim::resources::find("", "v1", "pods").unwrap();
    let filter = WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::default(),
    };
    let (_, mut rx) = store.watch(filter, None).unwrap();
    tokio::time::timeout(Duration::from_secs(30), async {
        while !store
            .get(pods, "default", name)
            .is_ok_and(|p| p["status"]["phase"] == "Running")
        {
            rx.recv().await.unwrap();
        }
    })
    .await
    .unwrap_or_else(|_| panic!("pod {name} did not run within 30 s"));
}
