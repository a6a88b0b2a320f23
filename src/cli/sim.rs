//! `spark-k8s-cli sim serve`: runs kubesim clusters until SIGINT/SIGTERM.

use std::io::Write;

use super::args::{ServeArgs, SimCommand};

/// Runs `sim ...`; returns the exit code.
pub fn run(cmd: SimCommand) -> u8 {
    let SimCommand::Serve(a) = cmd;
    super::block_on(2, serve(a))
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
