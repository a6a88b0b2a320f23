//! Benchmark: what alert sinks add to a job's exit. One kubesim cluster; a job whose driver
//! fails (so it alerts `driver-failed`); per sink scenario, the median wall time from spawning
//! the launcher (this build) to its exit, and its exit code. Run with `cargo bench --bench alerts`.
//! Target (issue 8): a sink that is down or slow adds at most the flush bound
//! (`alertFlushTimeout`, 2 s here) and never changes the exit code.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::mode::Mode;
use common::sandbox::Sandbox;
use common::sink::{Answer, SinkServer};
use kubesim::SimConfig;

const RUNS: usize = 5;
const BOUND_S: f64 = 2.0;

/// The job: SparkPi with one executor whose driver fails (exit 2) after 0.3 s.
fn job(env: &Sandbox, job: &str) -> Command {
    let mut c = env
        .spark_pi()
        .conf("spark.executor.instances=1")
        .job(job)
        .conf("spark.k8scli.followDriverLog=false")
        .conf("spark.kubesim.driver.exitCode=2")
        .driver_seconds(0.3)
        .command();
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// Runs `c`: its wall time and exit code.
fn run(mut c: Command) -> (Duration, Option<i32>) {
    let start = Instant::now();
    let status = c.status().unwrap();
    (start.elapsed(), status.code())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let env = Sandbox::start(Mode::Cluster, "bench-alerts", SimConfig::default()).await;
    let ok = SinkServer::start(Answer::Ok).await;
    let failing = SinkServer::start(Answer::Fail500).await;
    let hung = SinkServer::start(Answer::Hang).await;
    let down = "http://127.0.0.1:9/hook"; // nothing listens on the discard port
    let scenarios: Vec<(&str, String)> = vec![
        ("no sinks", String::new()),
        (
            "webhook answers 200",
            format!("- {{name: s, type: webhook, url: '{}'}}", ok.url),
        ),
        (
            "webhook answers 500",
            format!("- {{name: s, type: webhook, url: '{}'}}", failing.url),
        ),
        (
            "webhook down (refused)",
            format!("- {{name: s, type: webhook, url: '{down}'}}"),
        ),
        (
            "slack hangs",
            format!(
                "- {{name: s, type: slack, url: '{}', timeout: 60}}",
                hung.url
            ),
        ),
        (
            "command sleeps",
            "- {name: s, type: command, argv: [sleep, '60'], timeout: 60}".to_string(),
        ),
    ];
    println!("| sink | median to exit | added | exit codes | bound |\n|---|---|---|---|---|");
    let mut base = Duration::ZERO;
    let mut n = 0;
    for (name, sinks) in scenarios {
        let sinks = if sinks.is_empty() {
            String::new()
        } else {
            format!("alertSinks:\n{sinks}\n")
        };
        env.write_config(&format!(
            "alertFlushTimeout: {BOUND_S}\nalertRateLimit: 0\n{sinks}"
        ));
        let mut times = Vec::new();
        let mut codes = Vec::new();
        for _ in 0..RUNS {
            n += 1;
            let c = job(&env, &format!("bench-{n}"));
            let (t, code) = tokio::task::spawn_blocking(move || run(c)).await.unwrap();
            times.push(t);
            codes.push(code.map_or("signal".into(), |c| c.to_string()));
        }
        let m = median(times);
        if base.is_zero() {
            base = m;
        }
        codes.sort();
        codes.dedup();
        println!(
            "| {name} | {:.0} ms | {:+.0} ms | {} | {:.0} ms |",
            m.as_secs_f64() * 1000.0,
            (m.as_secs_f64() - base.as_secs_f64()) * 1000.0,
            codes.join(","),
            BOUND_S * 1000.0
        );
    }
}
