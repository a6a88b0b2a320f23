//! Benchmark: one SparkPi submission (cluster mode) against kubesim, as a whole process, side by
//! side with Spark's JVM spark-submit (the pinned `pyspark` of the tests' virtualenv, made here if
//! need be) doing the same one, under kubesim's two latency profiles: `instant` (every step at
//! once) and `realistic` (scheduling, image pulls, container start and the submit pod's JVM
//! spark-submit start-up take the times of a real cluster; `docs/kubesim.md`).
//! Prints, per profile and command, the medians of the time from spawn to the first pod create
//! (ours: the submit pod), to the driver pod's create and to the driver running (watch events), the first run's time to the driver running
//! (each command gets a fresh emulator, so its first run pulls the images: cold), and the peak
//! RSS of the whole run (`/usr/bin/time`), following the job to its end.
//! A second table gives, per profile, the time from the command to the first prompt of a
//! `pyspark` session (the session pod created, attached, its gate opened, the shell's banner
//! and `>>> ` on stdout), side by side with our batch submission's time to the driver running.
//! Our binary runs twice per profile: in `pod` mode (the submit pod) and in `direct` mode
//! (`spark.k8scli.submitMode=direct`: the launcher creates the driver itself, issue 21).
//! Run with `cargo bench --bench submit` (`KUBESIM_BENCH_RUNS`, default 5, runs per row).
//! Targets (issue 5): ≥ 100× faster to the create, ≥ 20× less memory (instant profile);
//! (issue 21, realistic profile) direct ≥ 50× sooner to the driver's create than pod mode,
//! the driver running sooner than with the JVM spark-submit, direct's peak RSS < 16 MiB.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubesim::SimConfig;

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../kubesim/tests/pyenv/mod.rs"]
mod pyenv;

use common::home::BIN;
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;

struct Sample {
    /// To the first pod create (ours: the submit pod; the JVM's: the driver pod).
    to_first_create: Duration,
    to_driver_created: Duration,
    to_driver_running: Duration,
    peak_rss_kib: u64,
}

/// One run of `program` with `args` in the sandbox's HOME and kubeconfig. The rest of this
/// machine's environment stays (the JVM's spark-submit needs it), but SPARK_HOME and
/// SPARK_CONF_DIR.
async fn one(env: &Sandbox, program: &str, args: Vec<String>) -> Sample {
    let store = &env.sim.clusters[0].store;
    let (_, mut rx) = store
        .watch(watch::filter("pods", "spark-role=driver"), None)
        .unwrap();
    let (_, mut first_rx) = store.watch(watch::filter("pods", ""), None).unwrap();
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%M", program])
        .args(&args)
        .env("HOME", &env.dir)
        .env("KUBECONFIG", env.kubeconfig())
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let run = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
    let first = tokio::spawn(async move {
        loop {
            let ev = first_rx.recv().await.expect("watch open");
            if ev["type"] == "ADDED" {
                return start.elapsed();
            }
        }
    });
    let mut to_driver_created = None;
    let to_driver_running = loop {
        let ev = rx.recv().await.expect("watch open");
        if ev["type"] == "ADDED" && to_driver_created.is_none() {
            to_driver_created = Some(start.elapsed());
        }
        if ev["object"]["status"]["phase"] == "Running" {
            break start.elapsed();
        }
    };
    let out = run.await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} failed:\n{stderr}");
    let peak_rss_kib = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("/usr/bin/time's %M line");
    Sample {
        to_first_create: first.await.unwrap(),
        to_driver_created: to_driver_created.expect("ADDED before Running"),
        to_driver_running,
        peak_rss_kib,
    }
}

/// `runs` pyspark sessions on a fresh emulator with the given latency profile: the time from
/// spawn to the first `>>> ` on stdout, each session then ended by the end of its stdin.
async fn prompts(latency: Option<kubesim::latency::Profile>, runs: usize) -> Vec<Duration> {
    use tokio::io::AsyncReadExt;
    let env = sandbox(Mode::Client, "bench-session", latency).await;
    let mut times = Vec::new();
    for _ in 0..runs {
        let mut cmd = tokio::process::Command::from(env.cli(&[
            "pyspark",
            "--master",
            env.master.as_deref().unwrap(),
            "--conf",
            &format!("spark.kubernetes.container.image={}", common::home::IMAGE),
        ]));
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let start = Instant::now();
        let mut child = cmd.spawn().expect("spawn");
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        let to_prompt = loop {
            let n = stdout.read(&mut buf).await.unwrap();
            assert!(
                n > 0,
                "the session ended before its prompt: {}",
                String::from_utf8_lossy(&seen)
            );
            seen.extend_from_slice(&buf[..n]);
            if seen.windows(4).any(|w| w == b">>> ") {
                break start.elapsed();
            }
        };
        drop(stdin);
        let mut rest = Vec::new();
        let _ = stdout.read_to_end(&mut rest).await;
        let status = child.wait().await.unwrap();
        assert!(status.success(), "the session failed: {status}");
        times.push(to_prompt);
    }
    times
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

/// A fresh emulator with the given latency profile.
async fn sandbox(mode: Mode, name: &str, latency: Option<kubesim::latency::Profile>) -> Sandbox {
    let config = SimConfig {
        latency,
        ..SimConfig::default()
    };
    Sandbox::start(mode, name, config).await
}

/// `runs` submissions by `program` (with `extra` options) on a fresh emulator with the given
/// latency profile.
async fn row(
    latency: Option<kubesim::latency::Profile>,
    program: &str,
    extra: &[&str],
    runs: usize,
) -> Vec<Sample> {
    let env = sandbox(Mode::Cluster, "bench-submit", latency).await;
    let args = env
        .spark_pi()
        .name("pi")
        .conf("spark.kubernetes.authenticate.submission.oauthToken=kubesim-token")
        .driver_seconds(1.0)
        .conf("spark.executor.instances=1")
        .args(extra)
        .app_args(&["100"])
        .argv();
    let mut samples = Vec::new();
    for _ in 0..runs {
        samples.push(one(&env, program, args.clone()).await);
    }
    samples
}

fn main() {
    let runs: usize = std::env::var("KUBESIM_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5)
        .max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let jvm = match pyenv::try_spark_submit() {
        Ok(p) => Some(p.to_string_lossy().into_owned()),
        Err(e) => {
            println!("{e}\nThe JVM spark-submit rows are left out.");
            None
        }
    };
    // Each mode named: direct is the default.
    const POD: &[&str] = &["--conf", "spark.k8scli.submitMode=pod"];
    const DIRECT: &[&str] = &["--conf", "spark.k8scli.submitMode=direct"];
    let mut commands: Vec<(&str, String, &[&str])> = vec![
        ("spark-k8s-cli (pod)", BIN.to_string(), POD),
        ("spark-k8s-cli (direct)", BIN.to_string(), DIRECT),
    ];
    if let Some(j) = jvm {
        commands.push(("spark-submit (JVM, pyspark 4.x)", j, &[]));
    }
    let profiles = [
        ("instant", None),
        ("realistic", Some(kubesim::latency::Profile::default())),
    ];
    let mut sessions = Vec::new();
    for (pname, profile) in &profiles {
        sessions.push((*pname, rt.block_on(prompts(profile.clone(), runs))));
    }
    let mut table: Vec<(&str, &str, Vec<Sample>)> = Vec::new();
    for (pname, profile) in &profiles {
        for (cname, program, extra) in &commands {
            let samples = rt.block_on(row(profile.clone(), program, extra, runs));
            table.push((pname, cname, samples));
        }
    }
    println!(
        "\nOne SparkPi submission (cluster mode) against kubesim, followed to the driver's end (1 s); medians of {runs} run(s)"
    );
    println!(
        "{:<10} {:<32} {:>15} {:>18} {:>18} {:>20} {:>9}",
        "profile",
        "command",
        "→ first create",
        "→ driver created",
        "→ driver running",
        "first run → running",
        "peak RSS"
    );
    let secs = |d: Duration| format!("{:.3} s", d.as_secs_f64());
    let mut medians = Vec::new();
    for (pname, cname, samples) in &table {
        let first = median(samples.iter().map(|s| s.to_first_create).collect());
        let created = median(samples.iter().map(|s| s.to_driver_created).collect());
        let running = median(samples.iter().map(|s| s.to_driver_running).collect());
        let rss = median(samples.iter().map(|s| s.peak_rss_kib).collect());
        println!(
            "{pname:<10} {cname:<32} {:>15} {:>18} {:>18} {:>20} {:>5.0} MiB",
            secs(first),
            secs(created),
            secs(running),
            secs(samples[0].to_driver_running),
            rss as f64 / 1024.0
        );
        medians.push((*pname, first, created, running, rss));
    }
    for (pname, _) in &profiles {
        let rows: Vec<_> = medians.iter().filter(|m| m.0 == *pname).collect();
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        if let [pod, direct, ..] = rows[..] {
            println!(
                "{pname}: pod / direct: {:.0}× to the driver's create (target ≥ 50×), {:.1}× to the driver running; direct's peak RSS {:.1} MiB (target < 16 MiB)",
                ratio(pod.2, direct.2),
                ratio(pod.3, direct.3),
                direct.4 as f64 / 1024.0
            );
        }
        if let [ours, direct, jvm] = rows[..] {
            println!(
                "{pname}: JVM / ours (pod): {:.0}× to the first create (target ≥ 100×), {:.1}× to the driver's create, {:.1}× to the driver running, {:.1}× the memory (target ≥ 20×)",
                ratio(jvm.1, ours.1),
                ratio(jvm.2, ours.2),
                ratio(jvm.3, ours.3),
                jvm.4 as f64 / ours.4 as f64
            );
            println!(
                "{pname}: JVM / ours (direct): {:.0}× to the driver's create, {:.2}× to the driver running (target > 1: sooner than the JVM), {:.1}× the memory",
                ratio(jvm.2, direct.2),
                ratio(jvm.3, direct.3),
                jvm.4 as f64 / direct.4 as f64
            );
        }
    }
    println!(
        "\nTime to the first prompt of a pyspark session against kubesim, beside our batch submission's time to the driver running; medians of {runs} run(s)"
    );
    println!(
        "{:<10} {:>22} {:>26}",
        "profile", "session → first prompt", "batch → driver running"
    );
    for (pname, times) in &sessions {
        let batch = medians
            .iter()
            .find(|m| m.0 == *pname)
            .map(|m| secs(m.3))
            .unwrap_or_default();
        println!(
            "{pname:<10} {:>22} {:>26}",
            secs(median(times.clone())),
            batch
        );
    }
}
