//! Airflow end to end: Airflow's own SparkSubmitOperator and SparkSubmitHook (Airflow 3.3.2, the
//! apache-spark provider 6.3.4, pinned in kubesim/tests/pyenv/airflow-requirements.txt) run the
//! DAG of `docs/examples/spark_pi_dag.py` with `airflow dags test`, our binary on PATH as
//! `spark-submit`, against kubesim: a success, a failing driver, a killed task, a task that waits
//! in the queue, a failover between two clusters; each in both deploy modes, which the hook takes
//! from the connection's `deploy-mode` extra, and in cluster mode submitted directly
//! (`submitMode=direct`, issue 21: the same assertions on the hook's log).
//!
//! What the hook does, read in the provider's `hooks/spark_submit.py` (6.3.4) and
//! `/work/shared/spec/spark-submit.md` §6: it merges stdout and stderr and logs every line;
//! `pod name: ((.+?)-([a-z0-9]+)-driver$)` gives it the driver pod; in cluster mode an
//! `[eE]xit code: (\d+)` line is the job's result (none, or not 0, fails the task), in client
//! mode the process's return code is; `on_kill` (the task runner's SIGTERM handler,
//! `task_runner.py` `_on_term`) SIGKILLs spark-submit (`Popen.kill()`), then deletes the driver
//! pod it learnt with Airflow's own kube client (`[kubernetes_executor] config_file`).
#![cfg(feature = "sim")]

#[macro_use]
mod common;
#[path = "../kubesim/tests/pyenv/mod.rs"]
mod pyenv;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::OnceLock;

use common::home::{BIN, HUNG};
use common::mode::Mode;
use common::sandbox::{Sandbox, apply};
use common::watch;
use kubesim::SimConfig;
use serde_json::{Value, json};
use spark_k8s_cli::plan::rbac;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const DAG_ID: &str = "spark_pi_on_kubernetes";

/// The example DAG's folder: the test runs that very file.
fn dags_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

/// A migrated SQLite metadata DB, made once per test process (`airflow db migrate`, about 3 s);
/// each run starts from a copy.
fn metadata_db() -> &'static [u8] {
    static DB: OnceLock<Vec<u8>> = OnceLock::new();
    DB.get_or_init(|| {
        let home = common::home::Home::new("airflow-db");
        let out = home
            .command(pyenv::airflow_bin().join("airflow"))
            .args(["db", "migrate"])
            .env("AIRFLOW_HOME", &home.dir)
            .env("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
            .output()
            .unwrap();
        assert!(out.status.success(), "airflow db migrate: {out:?}");
        std::fs::read(home.dir.join("airflow.db")).unwrap()
    })
}

/// How the launcher submits: through a submit pod, or directly (`SPARK_K8S_CLI_SUBMIT_MODE`,
/// the environment spelling of `spark.k8scli.submitMode`, set for the task's spark-submit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    Pod,
    Direct,
}

/// A sandbox and how its jobs are submitted.
struct AirflowEnv {
    env: Sandbox,
    via: Via,
}

impl std::ops::Deref for AirflowEnv {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        &self.env
    }
}

/// kubesim with the service accounts, Roles and RoleBindings of `spark-k8s-cli rbac` on every
/// cluster, as docs/airflow.md sets a namespace up.
async fn sandbox(mode: Mode, via: Via, name: &str, config: SimConfig) -> AirflowEnv {
    let tag = match via {
        Via::Pod => name.to_string(),
        Via::Direct => format!("{name}-direct"),
    };
    let env = Sandbox::start(mode, &format!("airflow-{tag}"), config).await;
    for cluster in &env.sim.clusters {
        apply(cluster, &rbac::manifests("default"));
    }
    AirflowEnv { env, via }
}

/// `both_modes!` plus a third test per body: cluster mode submitted directly (the hook must
/// not tell the difference).
macro_rules! both_modes_and_direct {
    ($(async fn $name:ident($mode:ident: Mode, $via:ident: Via) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($mode: Mode, $via: Via) $body
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn cluster() {
                    run(Mode::Cluster, Via::Pod).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn client() {
                    run(Mode::Client, Via::Pod).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn direct() {
                    run(Mode::Cluster, Via::Direct).await
                }
            }
        )*
    };
}

/// `airflow dags test` of the example DAG in `env`: the connection `spark_k8s` names `master`
/// and the home's deploy mode, `spark-defaults.conf` (SPARK_CONF_DIR, read by our
/// spark-submit) holds `defaults`, and `spark-submit` on PATH is our binary.
fn dags_test(env: &AirflowEnv, master: &str, defaults: &str) -> Run {
    let bin = env.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("spark-submit")).unwrap();
    let airflow_home = env.dir.join("airflow");
    std::fs::create_dir_all(&airflow_home).unwrap();
    std::fs::write(airflow_home.join("airflow.db"), metadata_db()).unwrap();
    let conf_dir = env.write("spark-conf/spark-defaults.conf", defaults);
    let connection = json!({
        "conn_type": "spark",
        "host": master,
        "extra": {"deploy-mode": env.mode.flag(), "namespace": "default"},
    });
    let venv = pyenv::airflow_bin();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        venv.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = env.command(venv.join("airflow"));
    c.args(["dags", "test", DAG_ID])
        .env("PATH", path)
        .env("AIRFLOW_HOME", &airflow_home)
        .env("AIRFLOW__CORE__DAGS_FOLDER", dags_folder())
        .env("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
        .env("AIRFLOW_CONN_SPARK_K8S", connection.to_string())
        // on_kill's own kube client: the worker's kubeconfig, not an in-cluster account.
        .env("AIRFLOW__KUBERNETES_EXECUTOR__IN_CLUSTER", "False")
        .env(
            "AIRFLOW__KUBERNETES_EXECUTOR__CONFIG_FILE",
            env.kubeconfig(),
        )
        .env("SPARK_CONF_DIR", conf_dir.parent().unwrap())
        // No __pycache__ beside the example DAG.
        .env("PYTHONDONTWRITEBYTECODE", "1");
    if env.via == Via::Direct {
        c.env("SPARK_K8S_CLI_SUBMIT_MODE", "direct");
    }
    Run::start(c)
}

/// A running `airflow dags test`, its stdout and stderr merged as one stream of lines (as the
/// hook merges spark-submit's).
struct Run {
    child: Child,
    lines: UnboundedReceiver<String>,
    seen: Vec<String>,
}

impl Run {
    fn start(mut c: Command) -> Run {
        let (reader, writer) = std::io::pipe().unwrap();
        c.stdout(writer.try_clone().unwrap()).stderr(writer);
        let child = c.spawn().unwrap();
        drop(c); // our copies of the pipe's write end: EOF comes when the run's are closed
        let (tx, lines) = unbounded_channel();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Run {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (at most [`HUNG`]) for a line holding `part`; fails with what was seen if the
    /// output ends or the time is up first.
    async fn until(&mut self, part: &str) {
        let found = tokio::time::timeout(HUNG, async {
            while let Some(line) = self.lines.recv().await {
                let hit = line.contains(part);
                self.seen.push(line);
                if hit {
                    return true;
                }
            }
            false
        })
        .await;
        assert!(
            found == Ok(true),
            "no line with {part:?} in:\n{}",
            self.seen.join("\n")
        );
    }

    /// SIGTERM to Airflow's process, as the worker's supervisor ends a task it kills.
    fn sigterm(&self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
    }

    /// The rest of the output and whether `airflow dags test` succeeded (the DAG run did).
    async fn end(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        let rest = tokio::time::timeout(HUNG, async {
            while let Some(line) = self.lines.recv().await {
                self.seen.push(line);
            }
        })
        .await;
        if rest.is_err() {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("airflow did not end:\n{}", self.seen.join("\n"));
        }
        let status = self.child.wait().unwrap();
        (status.success(), self.seen.join("\n"))
    }
}

/// The job id the launcher printed (`spark-k8s-cli: job <id> submitted: ...`).
fn job_id(out: &str) -> String {
    out.lines()
        .find_map(|l| {
            let rest = &l[l.find("spark-k8s-cli: job ")? + "spark-k8s-cli: job ".len()..];
            let (id, what) = rest.split_once(' ')?;
            what.starts_with("submitted").then(|| id.to_string())
        })
        .unwrap_or_else(|| panic!("no job id in:\n{out}"))
}

/// What every run of the hook shows: our command line ran as `spark-submit` with the
/// connection's deploy mode, and the hook learnt the driver pod's name: from Spark's status
/// lines in cluster mode, from the launcher's line naming the submit pod in client mode.
fn assert_hook_saw(mode: Mode, out: &str, job: &str) {
    assert!(
        out.contains("Spark-Submit cmd: spark-submit --master")
            && out.contains(&format!("--deploy-mode {}", mode.flag())),
        "{out}"
    );
    let identified = format!("Identified spark driver pod: {}", mode.driver(job));
    assert!(out.contains(&identified), "{out}");
}

both_modes_and_direct! {
async fn a_job_succeeds(mode: Mode, via: Via) {
    let env = sandbox(mode, via, "ok", SimConfig::default()).await;
    let master = env.master.clone().unwrap();
    let (ok, out) = dags_test(&env, &master, "").end().await;
    assert!(ok, "{out}");
    let job = job_id(&out);
    assert_hook_saw(mode, &out, &job);
    assert!(out.contains("ended (Completed): Exit code: 0"), "{out}");
    assert!(out.contains("Marking run") && out.contains("successful"), "{out}");
}

async fn a_failing_driver_fails_the_task_with_its_exit_code(mode: Mode, via: Via) {
    let env = sandbox(mode, via, "fail", SimConfig::default()).await;
    let master = env.master.clone().unwrap();
    let (ok, out) = dags_test(&env, &master, "spark.kubesim.driver.exitCode 3\n")
        .end()
        .await;
    assert!(!ok, "{out}");
    let job = job_id(&out);
    assert_hook_saw(mode, &out, &job);
    assert!(out.contains("Task failed with exception"), "{out}");
    assert!(out.contains("ended (Error): Exit code: 3"), "{out}");
    // Cluster mode: the hook's verdict comes from the `exit code: 3` line; client mode: from
    // spark-submit's return code, the driver's own.
    let verdict = match mode {
        Mode::Cluster => "Kubernetes spark exit code is: 3",
        Mode::Client => "Error code is: 3.",
    };
    assert!(out.contains(verdict), "{out}");
}

async fn a_killed_task_leaves_no_pod(mode: Mode, via: Via) {
    let env = sandbox(mode, via, "kill", SimConfig::default()).await;
    let master = env.master.clone().unwrap();
    let mut run = dags_test(&env, &master, "spark.kubesim.driver.durationSeconds 600\n");
    // Bounded as the hook's lines are ([`HUNG`]): the executor runs only after Airflow itself
    // has started, which alone takes longer than a kubesim wait ([`watch::WAIT`]) on a loaded
    // machine.
    let running = |p: &Value| p["status"]["phase"] == "Running";
    let executor = watch::wait_object_within(
        &env.sim.clusters[0],
        "pods",
        "spark-role=executor",
        HUNG,
        running,
    )
    .await;
    let job = executor["metadata"]["labels"]["spark-k8s-cli/job-id"]
        .as_str()
        .unwrap()
        .to_string();
    // on_kill deletes only a driver pod the hook has read from the output: Spark's status line
    // in cluster mode, the launcher's line naming the submit pod in client mode.
    let driver = mode.driver(&job);
    run.until(&format!("Identified spark driver pod: {driver}"))
        .await;
    run.sigterm();
    let (ok, out) = run.end().await;
    assert!(!ok, "{out}");
    assert!(out.contains("Sending kill signal to spark-submit"), "{out}");
    // The hook deleted the driver pod; the executors and the job's Secret (and in cluster mode
    // the submit pod) were owned by it: the garbage collector's work.
    assert!(out.contains(&format!("Deleted driver pod {driver}")), "{out}");
    let selector = format!("spark-k8s-cli/job-id={job}");
    env.wait_gone(&selector).await;
}

async fn a_task_waits_in_the_queue_then_runs(mode: Mode, via: Via) {
    let quota = SimConfig {
        quota: Some(vec![("requests.cpu".into(), mode.cpu_for(1.0))]),
        quota_conflict_rate: Some(0.0),
        ..SimConfig::default()
    };
    let env = sandbox(mode, via, "queue", quota).await;
    let master = env.master.clone().unwrap();
    // Another job holds the whole quota.
    let hog = env
        .spark_pi()
        .job("hog")
        .conf("spark.executor.instances=1")
        .driver_seconds(600.0)
        .spawn();
    env.wait_running("hog", "executor").await;
    let mut run = dags_test(&env, &master, "");
    // The task's launcher says it waits, and holds a ticket behind the hog's.
    run.until(": queued in default, 0 ahead: requests.cpu needs").await;
    let tickets = env.sim.clusters[0]
        .store
        .list(
            watch::resource("leases"),
            Some("default"),
            &Default::default(),
            &Default::default(),
        )
        .0;
    assert_eq!(tickets.len(), 2, "{tickets:#?}");
    assert!(env.pods("spark-role=driver").iter().all(|p| {
        p["metadata"]["labels"]["spark-k8s-cli/job-id"] == "hog"
    }));
    // The hog ends (SIGTERM deletes its pods): the task's job is admitted and runs.
    Command::new("kill")
        .args(["-TERM", &hog.id().to_string()])
        .status()
        .unwrap();
    let (ok, out) = run.end().await;
    assert!(ok, "{out}");
    let job = job_id(&out);
    assert_hook_saw(mode, &out, &job);
    assert!(out.contains("ended (Completed): Exit code: 0"), "{out}");
    let _ = common::home::finish(hog).await;
}

async fn a_refused_submission_fails_over_to_the_second_cluster(mode: Mode, via: Via) {
    let two = SimConfig {
        clusters: 2,
        ..SimConfig::default()
    };
    let env = sandbox(mode, via, "failover", two).await;
    env.write_config(
        "fleetPolicy: priority\nfleet:\n\
         - {name: a, context: kubesim-1, priority: 1}\n\
         - {name: b, context: kubesim-2, priority: 2}\n",
    );
    // a refuses to create pods: nothing of the job exists there, so it moves to b.
    env.sim.clusters[0]
        .access
        .set(vec![kubesim::access::AccessRule::deny("create", "pods", "*")]);
    let (ok, out) = dags_test(&env, "k8s://fleet", "").end().await;
    assert!(ok, "{out}");
    let job = job_id(&out);
    assert_hook_saw(mode, &out, &job);
    assert!(
        out.contains(&format!("spark-k8s-cli: failover: job {job} from a to b")),
        "{out}"
    );
    assert!(out.contains("ended (Completed): Exit code: 0"), "{out}");
    let selector = format!("spark-k8s-cli/job-id={job}");
    assert!(watch::list(&env.sim.clusters[0], "pods", &selector).is_empty());
    let on_b = match via {
        Via::Pod => format!(
            "spark-k8s-cli: job {job} submitted: pod {} in default on {}",
            mode.submit_pod(&job),
            env.sim.url(1)
        ),
        Via::Direct => format!(
            "spark-k8s-cli: job {job} submitted directly: driver pod {} in default on {}",
            mode.driver(&job),
            env.sim.url(1)
        ),
    };
    assert!(out.contains(&on_b), "{out}");
}
}
