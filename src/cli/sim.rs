//! `spark-k8s-cli sim serve`: runs kubesim clusters until SIGINT/SIGTERM.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "spark-k8s-cli sim",
    about = "The kubesim Kubernetes API emulator"
)]
enum SimCommand {
    /// Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them.
    Serve(ServeArgs),
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Number of clusters (contexts kubesim-1 … kubesim-N). Default 1.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    clusters: Option<u16>,
    /// A YAML file of simulator settings (clusters, token, tls, historyLimit, quota, nodes,
    /// startDelayMs, quotaConflictRate, access, latency); flags given on the command line win.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where to write the kubeconfig.
    #[arg(long, value_name = "FILE")]
    kubeconfig_out: PathBuf,
    /// Create ResourceQuota `compute` in `default` on every cluster, e.g. cpu=8,memory=32Gi,pods=10.
    #[arg(long, value_name = "LIMITS", value_parser = parse_quota)]
    quota: Option<Quota>,
    /// Serve HTTPS with a CA generated for this run (written into the kubeconfig); the bearer
    /// token is then required.
    #[arg(long)]
    tls: bool,
    /// Latency profile: instant (every step at once) or realistic (scheduling, image pulls,
    /// container start and the JVM spark-submit's start-up take the times of a real cluster;
    /// the config file's `latency:` block tunes them). Default: the config file's, else instant.
    #[arg(long, value_name = "PROFILE", value_parser = ["instant", "realistic"])]
    latency: Option<String>,
}

/// Quota hard limits, one clap value.
#[derive(Clone, Debug)]
struct Quota(Vec<(String, String)>);

fn parse_quota(s: &str) -> Result<Quota, String> {
    kubesim::parse_quota(s).map(Quota)
}

/// Runs `sim ...`; returns the exit code.
pub fn run(args: &[String]) -> u8 {
    let argv = std::iter::once("spark-k8s-cli sim".to_string()).chain(args.iter().cloned());
    let cmd = match SimCommand::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 1 } else { 0 };
        }
    };
    let SimCommand::Serve(a) = cmd;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: cannot start the runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(a))
}

async fn serve(a: ServeArgs) -> u8 {
    let mut config = kubesim::SimConfig::default();
    if let Some(path) = &a.config {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("Error: cannot read the sim config {}: {e}", path.display());
                return 1;
            }
        };
        match kubesim::SimFile::parse(&text) {
            Ok(f) => f.apply(&mut config),
            Err(e) => {
                eprintln!("Error: invalid sim config {}: {e}", path.display());
                return 1;
            }
        }
    }
    if let Some(n) = a.clusters {
        config.clusters = usize::from(n);
    }
    if let Some(q) = a.quota {
        config.quota = Some(q.0);
    }
    config.tls |= a.tls;
    if let Some(l) = &a.latency
        && let Err(e) = config.set_latency(l)
    {
        eprintln!("Error: {e}");
        return 1;
    }
    let mut sim = match kubesim::Sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Error: kubesim could not start: {e}");
            return 1;
        }
    };
    if let Err(e) = std::fs::write(&a.kubeconfig_out, sim.kubeconfig()) {
        eprintln!(
            "Error: cannot write the kubeconfig to {}: {e}",
            a.kubeconfig_out.display()
        );
        return 1;
    }
    // Listening before the ready line: a signal sent right after it must stop us cleanly.
    use tokio::signal::unix::{SignalKind, signal};
    let (mut int, mut term) = match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(i), Ok(t)) => (i, t),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("Error: cannot listen for SIGINT/SIGTERM: {e}");
            return 1;
        }
    };
    let urls: Vec<String> = (0..sim.clusters.len()).map(|i| sim.url(i)).collect();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "kubesim ready: {} cluster(s), kubeconfig {} ({})",
        sim.clusters.len(),
        a.kubeconfig_out.display(),
        urls.join(" ")
    );
    let _ = out.flush();
    drop(out);
    tokio::select! {
        _ = int.recv() => {}
        _ = term.recv() => {}
    }
    sim.stop();
    0
}
