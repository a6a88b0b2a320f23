//! Benchmark: what alert sinks add to a job's exit. One kubesim cluster; a job whose driver
//! fails (so it alerts `driver-failed`); per sink scenario, the median wall time from spawning
//! the launcher (this build) to its exit, and its exit code. Run with `cargo bench --bench alerts`.
//! Target (issue 8): a sink that is down or slow adds at most the flush bound
//! (`alertFlushTimeout`, 2 s here) and never changes the exit code.

#[path = "../tests/common/sink.rs"]
mod sink;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubesim::{Sim, SimConfig};
use sink::{Answer, SinkServer};

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");
const RUNS: usize = 5;
const BOUND_S: f64 = 2.0;

fn run(dir: &std::path::Path, url: &str, job: &str) -> (Duration, Option<i32>) {
    let start = Instant::now();
    let status = Command::new(BIN)
        .args([
            "--master",
            &format!("k8s://{url}"),
            "--deploy-mode",
            "cluster",
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
            "--conf",
            "spark.kubesim.driver.exitCode=2",
            "--conf",
            "spark.kubesim.driver.durationSeconds=0.3",
            "local:///opt/spark/examples/jars/spark-examples.jar",
        ])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("SPARK_K8S_CLI_CONFIG", dir.join("config.yaml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    (start.elapsed(), status.code())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("sk8s-bench-alerts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kubeconfig"), sim.kubeconfig()).unwrap();
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
        std::fs::write(
            dir.join("config.yaml"),
            format!("alertFlushTimeout: {BOUND_S}\nalertRateLimit: 0\n{sinks}"),
        )
        .unwrap();
        let mut times = Vec::new();
        let mut codes = Vec::new();
        for _ in 0..RUNS {
            n += 1;
            let (t, code) = tokio::task::spawn_blocking({
                let (dir, url) = (dir.clone(), sim.url(0));
                move || run(&dir, &url, &format!("bench-{n}"))
            })
            .await
            .unwrap();
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
    let _ = std::fs::remove_dir_all(&dir);
}
