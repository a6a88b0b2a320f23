//! Benchmark: how much a driver's log volume stretches its run. A client-mode driver runs for
//! `KUBESIM_BENCH_SECONDS` (default 10) and logs `KUBESIM_BENCH_LINES` lines (default 0 and
//! 30,000, one run each) while a client follows its log over HTTP (`follow=true`, as the
//! launcher does). Prints, per run, the time from the pod's create to its end and how many lines
//! the follower received. Run with `cargo bench -p kubesim --bench log_volume`.

use std::time::{Duration, Instant};

use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use kubesim::{Sim, SimConfig};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn env_list(key: &str, default: &[u32]) -> Vec<u32> {
    std::env::var(key)
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// Follows the log until the response ends; returns the body's lines that name the job.
async fn follow(addr: String, pod: String) -> usize {
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let req = format!(
        "GET /api/v1/namespaces/default/pods/{pod}/log?follow=true HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut body = Vec::new();
    s.read_to_end(&mut body).await.unwrap();
    // Chunk framing never contains the marker, so counting it in the raw bytes is exact.
    String::from_utf8_lossy(&body)
        .matches("kubesim line ")
        .count()
}

async fn run(lines: u32, seconds: f64) -> (Duration, usize) {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let cluster = sim.clusters[0].clone();
    let pods = kubesim::resources::find("", "v1", "pods").unwrap();
    let name = "bench-driver";
    let filter = WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::parse("pods", &format!("metadata.name={name}")).unwrap(),
    };
    let (_, mut rx) = cluster.store.watch(filter, None).unwrap();
    let pod = json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [{
        "name": "spark-kubernetes-driver", "image": "apache/spark:4.3.0",
        "command": ["/opt/spark/bin/spark-submit"],
        "args": ["--deploy-mode", "client", "--class", "org.apache.spark.examples.SparkPi", "--conf", "spark.executor.instances=0",
                 "--conf", format!("spark.kubesim.driver.durationSeconds={seconds}"),
                 "--conf", format!("spark.kubesim.driver.logLines={lines}"),
                 "local:///opt/spark/examples/jars/spark-examples.jar"],
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}});
    let start = Instant::now();
    cluster.store.create(pods, "default", pod).unwrap();
    let mut follower = None;
    let mut took = None;
    while let Some(ev) = rx.recv().await {
        let phase = ev["object"]["status"]["phase"].as_str().unwrap_or("");
        if phase == "Running" && follower.is_none() {
            follower = Some(tokio::spawn(follow(cluster.address.clone(), name.into())));
        }
        if phase == "Succeeded" || phase == "Failed" {
            took = Some(start.elapsed());
            break;
        }
    }
    let received = match follower {
        Some(f) => f.await.unwrap(),
        None => 0,
    };
    (took.expect("the driver ended"), received)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let seconds = std::env::var("KUBESIM_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10.0);
    println!("| log lines | driver run (s) | create → end (s) | lines followed |");
    println!("|---:|---:|---:|---:|");
    for lines in env_list("KUBESIM_BENCH_LINES", &[0, 30_000]) {
        let (took, received) = run(lines, seconds).await;
        println!(
            "| {lines} | {seconds} | {:.2} | {received} |",
            took.as_secs_f64()
        );
    }
}
