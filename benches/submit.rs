//! Benchmark: one SparkPi submission against kubesim, as a whole process, side by side with
//! Spark's JVM spark-submit (the pinned `pyspark` of the tests' virtualenv, made here if need be)
//! doing the same one.
//! Prints, per command, the time from spawn to its first pod create reaching the API server (our
//! submit pod; spark-submit's driver pod) and the peak RSS of the whole run (`/usr/bin/time`),
//! following the job to its end. Run with `cargo bench --bench submit`.
//! Targets (issue 5): ≥ 100× faster to the create, ≥ 20× less memory.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use kubesim::{Sim, SimConfig};

#[path = "../kubesim/tests/pyenv/mod.rs"]
mod pyenv;

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

struct Sample {
    to_create: Duration,
    peak_rss_kib: u64,
}

async fn one(sim: &Sim, program: &str, args: Vec<String>, home: &std::path::Path) -> Sample {
    let filter = WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::default(),
    };
    let (_, mut rx) = sim.clusters[0].store.watch(filter, None).unwrap();
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%M", program])
        .args(&args)
        .env("HOME", home)
        .env("KUBECONFIG", home.join("kubeconfig"))
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let run = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
    let to_create = loop {
        let ev = rx.recv().await.expect("watch open");
        if ev["type"] == "ADDED" {
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
        to_create,
        peak_rss_kib,
    }
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sim = Sim::start(SimConfig::default()).await.unwrap();
        let home = std::env::temp_dir().join(format!("sk8s-bench-submit-{}", std::process::id()));
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(home.join("kubeconfig"), sim.kubeconfig()).unwrap();
        let server = sim.url(0);
        let common = |name: &str| -> Vec<String> {
            [
                "--master",
                &format!("k8s://{server}"),
                "--deploy-mode",
                "cluster",
                "--name",
                name,
                "--class",
                "org.apache.spark.examples.SparkPi",
                "--conf",
                "spark.kubernetes.container.image=apache/spark:4.0.0",
                "--conf",
                "spark.kubernetes.authenticate.submission.oauthToken=kubesim-token",
                "--conf",
                "spark.kubesim.driver.durationSeconds=1",
                "--conf",
                "spark.executor.instances=1",
                "local:///opt/spark/examples/jars/spark-examples.jar",
                "100",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let mut rows: Vec<(String, Vec<Sample>)> = Vec::new();
        let mut ours = Vec::new();
        for _ in 0..10 {
            ours.push(one(&sim, BIN, common("pi"), &home).await);
        }
        rows.push(("spark-k8s-cli".into(), ours));
        match pyenv::try_spark_submit() {
            Ok(jvm) => {
                let jvm = jvm.to_string_lossy();
                let mut samples = Vec::new();
                for _ in 0..3 {
                    samples.push(one(&sim, &jvm, common("pi"), &home).await);
                }
                rows.push(("spark-submit (JVM, pyspark 4.x)".into(), samples));
            }
            Err(e) => println!("{e}\nThe JVM spark-submit row is left out."),
        }
        println!("\nOne SparkPi submission against kubesim, followed to the driver's end (1 s)");
        println!(
            "{:<34} {:>5} {:>22} {:>16}",
            "command", "runs", "spawn→create ms (med)", "peak RSS MiB (med)"
        );
        let mut medians = Vec::new();
        for (name, samples) in &rows {
            let n = samples.len();
            let t = median(samples.iter().map(|s| s.to_create).collect());
            let m = median(samples.iter().map(|s| s.peak_rss_kib).collect());
            println!(
                "{name:<34} {n:>5} {:>22.1} {:>16.1}",
                t.as_secs_f64() * 1000.0,
                m as f64 / 1024.0
            );
            medians.push((t, m));
        }
        if let [(t_ours, m_ours), (t_jvm, m_jvm)] = medians[..] {
            println!(
                "ratio (JVM / ours): {:.0}× faster to the create (target ≥ 100×), {:.1}× less memory (target ≥ 20×)",
                t_jvm.as_secs_f64() / t_ours.as_secs_f64(),
                m_jvm as f64 / m_ours as f64
            );
        }
        let _ = std::fs::remove_dir_all(&home);
    });
}
