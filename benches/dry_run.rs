//! Benchmark: wall time of the SparkPi dry run as a whole process (spawn to exit), against the
//! cost of spawning `/bin/true`. Prints a table; run with `cargo bench --bench dry_run`.
//! Target (issue 3): median under 5 ms on the 2-core development machine.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");
const RUNS: usize = 300;
const WARMUP: usize = 20;

const DRY_RUN: &[&str] = &[
    "--dry-run",
    "--master",
    "k8s://https://example:6443",
    "--deploy-mode",
    "cluster",
    "--class",
    "org.apache.spark.examples.SparkPi",
    "--conf",
    "spark.kubernetes.container.image=apache/spark:4.0.0",
    "local:///opt/spark/examples/jars/spark-examples.jar",
    "100",
];

fn time(program: &str, args: &[&str]) -> Vec<Duration> {
    let run = || {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("spawn");
        let took = start.elapsed();
        assert!(status.success(), "{program} failed");
        took
    };
    for _ in 0..WARMUP {
        run();
    }
    let mut samples: Vec<Duration> = (0..RUNS).map(|_| run()).collect();
    samples.sort();
    samples
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to filter here.
    let rows = [
        ("spark-k8s-cli SparkPi --dry-run", time(BIN, DRY_RUN)),
        ("/bin/true (spawn cost)", time("/bin/true", &[])),
    ];
    println!("\n{RUNS} runs each after {WARMUP} warm-up runs, wall time in ms");
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>8}",
        "command", "min", "median", "p90", "max"
    );
    for (name, s) in &rows {
        println!(
            "{:<34} {:>8} {:>8} {:>8} {:>8}",
            name,
            ms(s[0]),
            ms(s[s.len() / 2]),
            ms(s[s.len() * 9 / 10]),
            ms(s[s.len() - 1])
        );
    }
    let median = rows[0].1[RUNS / 2];
    println!(
        "\ndry-run median {} ms: {} the 5 ms target",
        ms(median),
        if median < Duration::from_millis(5) {
            "meets"
        } else {
            "MISSES"
        }
    );
}
