//! Benchmark: what a sick cluster adds to a submission on the fleet. Three kubesim clusters,
//! policy `priority` (a first); per scenario, the median time from spawning the launcher (the
//! release build) to its submit pod's create reaching a cluster, and which cluster that was.
//! "cold": no host state yet (this launcher probes); "warm": the host state file already knows.
//! Run with `cargo bench --bench fleet`.
//! Targets (issue 7): a down (connection refused) adds under 100 ms; a hung adds under the
//! probe timeout (connect included) + 100 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::mode::Mode;
use common::sandbox::Sandbox;
use common::watch;
use kubesim::SimConfig;
use kubesim::faults::{Action, Match, Rule};

const RUNS: usize = 7;

async fn one(env: &Sandbox, job: &str) -> (Duration, usize) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for (i, c) in env.sim.clusters.iter().enumerate() {
        let (_, mut w) = c
            .store
            .watch(
                watch::filter("pods", &format!("spark-k8s-cli/job-id={job}")),
                None,
            )
            .unwrap();
        let tx = tx.clone();
        tokio::spawn(async move {
            if w.recv().await.is_some() {
                let _ = tx.send(i);
            }
        });
    }
    let mut c = env.spark_pi().job(job).command();
    c.stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let mut child = c.spawn().unwrap();
    let cluster = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a submit pod within 30 s")
        .unwrap();
    let took = start.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    (took, cluster)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let env = Sandbox::start(
        Mode::Cluster,
        "bench-fleet",
        SimConfig {
            clusters: 3,
            ..SimConfig::default()
        },
    )
    .await;
    env.write_config(
        "fleetPolicy: priority\nprobeTimeout: 2\nfleet:\n\
         - {name: a, context: kubesim-1, priority: 1}\n\
         - {name: b, context: kubesim-2, priority: 2}\n\
         - {name: c, context: kubesim-3, priority: 3}\n",
    );
    let state = env.dir.join(".local/state/spark-k8s-cli/fleet.json");
    let names = ["a", "b", "c"];
    println!("| scenario | state | median to create | added | cluster |\n|---|---|---|---|---|");
    let mut base = Duration::ZERO;
    let mut n = 0;
    for (scenario, setup) in [
        ("all up", 0),
        ("a down (refused)", 1),
        ("a hung (never answers)", 2),
    ] {
        let a = &env.sim.clusters[0];
        a.faults.clear();
        a.faults.down.send_replace(setup == 1);
        if setup == 2 {
            a.faults.add(Rule {
                matcher: Match::default(),
                action: Action::Hang,
                count: None,
                rate: Some(1.0),
            });
        }
        for warm in [false, true] {
            let mut times = Vec::new();
            let mut landed = Vec::new();
            for _ in 0..RUNS {
                if !warm {
                    let _ = std::fs::remove_file(&state);
                }
                n += 1;
                let (t, c) = one(&env, &format!("bench-{n}")).await;
                times.push(t);
                landed.push(c);
            }
            let m = median(times);
            if setup == 0 && !warm {
                base = m;
            }
            let added = m.as_secs_f64() * 1000.0 - base.as_secs_f64() * 1000.0;
            landed.sort();
            landed.dedup();
            println!(
                "| {scenario} | {} | {:.0} ms | {:+.0} ms | {} |",
                if warm { "warm" } else { "cold" },
                m.as_secs_f64() * 1000.0,
                added,
                landed
                    .iter()
                    .map(|c| names[*c])
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
    }
}
