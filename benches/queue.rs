//! Benchmark: bursts of launcher processes (the release build) on a quota that fits a few jobs,
//! against kubesim. Prints, per burst, the drain time next to the ideal (the jobs' total time,
//! admission to release, over the room), API requests per job, FIFO violations, re-queues, and
//! the most CPU the quota saw used. Run with `cargo bench --bench queue`.
//! Targets (issue 6): 200 launchers on room for 10, drain within 15% of the ideal, no violations.

#[path = "../tests/common/mod.rs"]
mod common;

use common::burst;
use common::mode::Mode;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("{}", burst::Burst::HEADER);
    // SK8S_QUEUE_BURST=NxF runs one burst of N launchers on room for F.
    let bursts = std::env::var("SK8S_QUEUE_BURST")
        .ok()
        .and_then(|b| {
            let (n, f) = b.split_once('x')?;
            Some(vec![(n.parse().ok()?, f.parse().ok()?)])
        })
        .unwrap_or(vec![(50, 10), (200, 10)]);
    for mode in [Mode::Cluster, Mode::Client] {
        for &(n, fit) in &bursts {
            let b = burst::burst(mode, n, fit, 2.0).await;
            println!("{}", b.row(n, fit));
        }
    }
}
