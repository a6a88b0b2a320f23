//! `spark-k8s-cli demo`: a three-cluster kubesim fleet with quotas, a burst of real launcher
//! processes through it (queueing, weighted spreading), one cluster taken down midway, and a
//! table per cluster at the end. Nothing to set up; everything lives in a temporary directory.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use kubesim::{Sim, SimConfig};

const NAMES: [&str; 3] = ["east", "west", "south"];
const WEIGHTS: [u32; 3] = [1, 2, 3];

/// What the demo watched on one cluster.
#[derive(Clone, Debug, Default)]
struct Seen {
    /// Job id → ticket state (`waiting`/`admitted`) of the tickets that exist now.
    tickets: BTreeMap<String, String>,
    /// Jobs whose driver was created here.
    drivers: BTreeSet<String>,
    /// Jobs whose driver is pending or running here now.
    running: BTreeSet<String>,
    most_running: usize,
}

type Shared = Arc<Mutex<[Seen; 3]>>;

fn watch_cluster(sim: &Sim, i: usize, seen: Shared) {
    let store = &sim.clusters[i].store;
    let filter = |res: &str, label: &str| WatchFilter {
        res_key: res.into(),
        namespace: Some("default".into()),
        label: LabelSelector::parse(label).unwrap_or_default(),
        field: FieldSelector::default(),
    };
    let Ok((_, mut tickets)) = store.watch(
        filter("leases.coordination.k8s.io", "spark-k8s-cli/ticket=true"),
        None,
    ) else {
        return;
    };
    let Ok((_, mut drivers)) = store.watch(filter("pods", "spark-role=driver"), None) else {
        return;
    };
    tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(ev) = tickets.recv() => {
                    let o = &ev["object"];
                    let job = o["metadata"]["labels"]["spark-k8s-cli/job-id"].as_str().unwrap_or("").to_string();
                    let state = o["metadata"]["annotations"]["spark-k8s-cli/state"].as_str().unwrap_or("waiting").to_string();
                    let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
                    if ev["type"] == "DELETED" {
                        s[i].tickets.remove(&job);
                    } else {
                        s[i].tickets.insert(job, state);
                    }
                }
                Some(ev) = drivers.recv() => {
                    let o = &ev["object"];
                    let job = o["metadata"]["labels"]["spark-k8s-cli/job-id"].as_str().unwrap_or("").to_string();
                    let ended = ev["type"] == "DELETED"
                        || matches!(o["status"]["phase"].as_str(), Some("Succeeded" | "Failed"));
                    let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
                    s[i].drivers.insert(job.clone());
                    if ended {
                        s[i].running.remove(&job);
                    } else {
                        s[i].running.insert(job);
                    }
                    s[i].most_running = s[i].most_running.max(s[i].running.len());
                }
                else => break,
            }
        }
    });
}

fn line(seen: &[Seen; 3], done: usize, n: usize, down: Option<usize>) -> String {
    let per: Vec<String> = (0..3)
        .map(|i| {
            let s = &seen[i];
            let running = s.running.len();
            let queued = s.tickets.values().filter(|v| *v == "waiting").count();
            let state = if down == Some(i) { " DOWN" } else { "" };
            format!("{}{state}: {running} running, {queued} queued", NAMES[i])
        })
        .collect();
    format!("{} | done {done}/{n}", per.join(" | "))
}

/// Runs the demo; returns the exit code.
pub fn run(args: &super::args::DemoArgs) -> u8 {
    let (jobs, client) = (usize::from(args.jobs), args.deploy_mode == "client");
    super::block_on(2, demo(jobs, client))
}

async fn demo(n: usize, client: bool) -> u8 {
    let started = Instant::now();
    let mut out = std::io::stdout();
    // Each cluster's quota fits four jobs at once: 2.5 cpu each in cluster mode (submit pod,
    // driver, executor), 2 in client mode (the driver runs in the submit pod).
    let mode = if client { "client" } else { "cluster" };
    let sim = match Sim::start(SimConfig {
        clusters: 3,
        quota: Some(vec![
            (
                "requests.cpu".into(),
                if client { "8" } else { "10" }.into(),
            ),
            ("pods".into(), "100".into()),
        ]),
        ..SimConfig::default()
    })
    .await
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Error: cannot start kubesim: {e}");
            return 1;
        }
    };
    let dir = std::env::temp_dir().join(format!("spark-k8s-cli-demo-{}", std::process::id()));
    let exe = std::env::current_exe();
    let setup = (|| -> std::io::Result<std::path::PathBuf> {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("kubeconfig"), sim.kubeconfig())?;
        let mut config = String::from("fleetPolicy: weighted\nhealthTtl: 1\nfleet:\n");
        for i in 0..3 {
            config.push_str(&format!(
                "  - {{name: {}, context: kubesim-{}, weight: {}}}\n",
                NAMES[i],
                i + 1,
                WEIGHTS[i]
            ));
        }
        std::fs::write(dir.join("config.yaml"), config)?;
        exe
    })();
    let exe = match setup {
        Ok(e) => e,
        Err(e) => {
            eprintln!("Error: cannot prepare the demo in {}: {e}", dir.display());
            return 1;
        }
    };
    let _ = writeln!(
        out,
        "spark-k8s-cli demo: a fleet of 3 kubesim clusters ({}), weights 1/2/3, each quota fitting 4 jobs.\n\
         {n} SparkPi jobs ({mode} mode) are submitted at once by {n} launcher processes; {} goes down for 3 s midway.\n\
         Config and kubeconfig (deleted when the demo ends): {}\n",
        NAMES.join(", "),
        NAMES[1],
        dir.display()
    );
    let seen: Shared = Arc::new(Mutex::new(Default::default()));
    for i in 0..3 {
        watch_cluster(&sim, i, seen.clone());
    }
    let spawn = |i: usize| -> std::io::Result<Child> {
        Command::new(&exe)
            .args([
                "--deploy-mode",
                mode,
                "--name",
                "demo-pi",
                "--class",
                "org.apache.spark.examples.SparkPi",
                "--conf",
                "spark.kubernetes.container.image=apache/spark:4.0.0",
                "--conf",
                "spark.executor.instances=1",
                "--conf",
                &format!("spark.k8scli.jobId=demo-{i:03}"),
                "--conf",
                "spark.k8scli.followDriverLog=false",
                "--conf",
                "spark.kubesim.driver.durationSeconds=2",
                "local:///opt/spark/examples/jars/spark-examples.jar",
                "100",
            ])
            .env("HOME", &dir)
            .env("KUBECONFIG", dir.join("kubeconfig"))
            .env("SPARK_K8S_CLI_CONFIG", dir.join("config.yaml"))
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
    };
    let mut children = Vec::new();
    for i in 0..n {
        match spawn(i) {
            Ok(c) => children.push(c),
            Err(e) => {
                eprintln!("Error: cannot start launcher {i}: {e}");
                return 1;
            }
        }
    }
    // The launchers' results, as they end.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for (i, c) in children.into_iter().enumerate() {
        let tx = tx.clone();
        tokio::task::spawn_blocking(move || {
            let r = c.wait_with_output();
            let _ = tx.send((i, r));
        });
    }
    drop(tx);
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let bar = tty.then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.enable_steady_tick(Duration::from_millis(120));
        b
    });
    let mut results: BTreeMap<usize, (Option<i32>, String)> = BTreeMap::new();
    let mut down: Option<usize> = None;
    let mut down_since: Option<Instant> = None;
    let mut was_down = false;
    let mut last_line = String::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            r = rx.recv() => match r {
                Some((i, Ok(o))) => {
                    results.insert(i, (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned()));
                }
                Some((i, Err(e))) => {
                    results.insert(i, (None, e.to_string()));
                }
                None => break,
            },
            _ = tick.tick() => {}
        }
        // Midway, west goes down for 3 s, then comes back.
        if !was_down && results.len() >= n / 3 {
            sim.clusters[1].faults.down.send_replace(true);
            down = Some(1);
            down_since = Some(Instant::now());
            was_down = true;
            note(
                &bar,
                &format!(
                    "{} is down (connections refused): new jobs go to the others",
                    NAMES[1]
                ),
            );
        }
        if down.is_some() && down_since.is_some_and(|t| t.elapsed() >= Duration::from_secs(3)) {
            sim.clusters[1].faults.down.send_replace(false);
            down = None;
            note(&bar, &format!("{} is back", NAMES[1]));
        }
        let text = {
            let s = seen.lock().unwrap_or_else(|p| p.into_inner());
            line(&s, results.len(), n, down)
        };
        match &bar {
            Some(b) => b.set_message(text),
            None if text != last_line => {
                println!("{text}");
                last_line = text;
            }
            None => {}
        }
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    // Every job ended before the outage did: it ends now.
    if down.is_some() {
        sim.clusters[1].faults.down.send_replace(false);
        note(&None, &format!("{} is back", NAMES[1]));
    }
    let failovers: Vec<String> = results
        .values()
        .flat_map(|(_, err)| err.lines())
        .filter(|l| l.starts_with("spark-k8s-cli: failover: "))
        .map(str::to_string)
        .collect();
    for f in &failovers {
        println!("{f}");
    }
    let seen = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let rows: Vec<Vec<String>> = (0..3)
        .map(|i| {
            vec![
                NAMES[i].to_string(),
                WEIGHTS[i].to_string(),
                seen[i].drivers.len().to_string(),
                format!("{} of 4", seen[i].most_running),
                failovers
                    .iter()
                    .filter(|f| f.contains(&format!(" from {} ", NAMES[i])))
                    .count()
                    .to_string(),
            ]
        })
        .collect();
    println!(
        "\n{}",
        crate::report::table::columns(
            &[
                "CLUSTER",
                "WEIGHT",
                "JOBS RUN",
                "MOST DRIVERS AT ONCE",
                "MOVED AWAY"
            ],
            rows
        )
    );
    let failed: Vec<(usize, String)> = results
        .iter()
        .filter(|(_, (code, _))| *code != Some(0))
        .map(|(i, (code, err))| {
            (
                *i,
                format!("exit {code:?}: {}", err.lines().last().unwrap_or("")),
            )
        })
        .collect();
    let drivers: usize = seen.iter().map(|s| s.drivers.len()).sum();
    println!(
        "{n} jobs, {} succeeded, {drivers} drivers (one per job), {} moved to another cluster, {:.1} s.",
        n - failed.len(),
        failovers.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
    if failed.is_empty() && drivers == n {
        0
    } else {
        for (i, why) in failed {
            eprintln!("demo-{i:03}: {why}");
        }
        1
    }
}

fn note(bar: &Option<indicatif::ProgressBar>, text: &str) {
    match bar {
        Some(b) => b.println(format!("spark-k8s-cli demo: {text}")),
        None => println!("spark-k8s-cli demo: {text}"),
    }
}
