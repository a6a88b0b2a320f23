//! Benchmark: wall time of the SparkPi dry run as a whole process (spawn to exit), against the
//! cost of spawning `/bin/true`. Prints a table; run with `cargo bench --bench dry_run`.
//! Target (issue 3): median under 5 ms on the 2-core development machine.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::home::Home;

const RUNS: usize = 300;
const WARMUP: usize = 20;

/// Wall times of `RUNS` runs of the command `make` builds, after `WARMUP`, sorted.
fn time(make: impl Fn() -> Command) -> Vec<Duration> {
    let run = || {
        let mut c = make();
        c.stdout(Stdio::null()).stderr(Stdio::null());
        let start = Instant::now();
        let status = c.status().expect("spawn");
        let took = start.elapsed();
        assert!(status.success(), "{c:?} failed");
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
    // Both in the sandbox's environment (a HOME of its own, nothing of this machine's config).
    let home = Home::new("bench-dry-run");
    let dry_run = home
        .spark_pi()
        .dry_run()
        .master("k8s://https://example:6443")
        .app_args(&["100"]);
    let rows = [
        (
            "spark-k8s-cli SparkPi --dry-run",
            time(|| dry_run.command()),
        ),
        ("/bin/true (spawn cost)", time(|| home.command("/bin/true"))),
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
