//! Benchmark: bursts of launcher processes (the release build) on a quota that fits a few jobs,
//! against kubesim. Prints, per burst, the drain time next to the ideal (the jobs' total time,
//! admission to release, over the room), API requests per job, FIFO violations, re-queues, and
//! the most CPU the quota saw used. Run with `cargo bench --bench queue`.
//! Targets (issue 6): 200 launchers on room for 10, drain within 15% of the ideal, no violations.

#[path = "../tests/common/burst.rs"]
mod burst;

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "| launchers | room | drain s | ideal s | over ideal | requests/job | FIFO violations | re-queued | most cpu used / hard |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (n, fit) in [(50, 10), (200, 10)] {
        let b = burst::burst(BIN, n, fit, 2.0).await;
        println!(
            "| {n} | {fit} | {:.1} | {:.1} | {:+.1}% | {:.1} | {} | {} | {}m / {}m |",
            b.drain.as_secs_f64(),
            b.ideal.as_secs_f64(),
            (b.drain.as_secs_f64() / b.ideal.as_secs_f64() - 1.0) * 100.0,
            b.requests_per_job,
            b.violations,
            b.requeued,
            b.max_used_cpu,
            b.hard_cpu
        );
    }
}
