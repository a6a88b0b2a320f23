//! Quiet by default and machine-readable everywhere, through the real binary against kubesim:
//! a successful job says nothing on stderr but its progress lines, `--quiet` says nothing at
//! all, a failing job still says its failure, `--log-format json` writes JSON lines, and
//! `--output json|yaml` (a submission, `status`) and `-o json|yaml|wide` (`list`, `queue`,
//! `sessions`, `clusters`) print what parses.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use common::home::{SparkPi, exited, output, text};
use common::mode::Mode;
use common::sandbox::Sandbox;
use kubesim::SimConfig;
use serde_json::Value;

/// The job of these tests: SparkPi, one executor, a driver that runs 0.2 s.
fn pi(env: &Sandbox) -> SparkPi<'_> {
    env.spark_pi()
        .conf("spark.executor.instances=1")
        .driver_seconds(0.2)
}

/// Whether `line` is one of the progress lines of job `job` in `env` (or a warning): the
/// phase lines, where its pod went, how its driver ended (`Exit code: N`, the shape Airflow's
/// hook reads).
fn is_progress(env: &Sandbox, job: &str, line: &str) -> bool {
    let driver = regex::escape(&env.driver(job));
    let submit = regex::escape(&env.mode.submit_pod(job));
    let job = regex::escape(job);
    let shapes = [
        format!(
            r"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ spark-k8s-cli: job {job}: (submitting|pending|running, executors \d+/\d+|finishing)$"
        ),
        format!(
            r"^spark-k8s-cli: job {job} submitted: pod {submit} in default on http://127\.0\.0\.1:\d+/$"
        ),
        // Client mode only: where the driver runs, in the shape Airflow's hook reads.
        match env.mode {
            Mode::Client => format!(
                r"^spark-k8s-cli: job {job} runs its driver in the submit pod \(client mode\), pod name: {driver}$"
            ),
            Mode::Cluster => r"[^\s\S]".into(), // matches nothing
        },
        format!(r"^spark-k8s-cli: driver {driver} ended \(Completed\): Exit code: 0$"),
        format!(
            r"^spark-k8s-cli: job {job}: Spark UI: kubectl --context kubesim-1 port-forward -n default pod/{driver} 4040:4040, then http://localhost:4040$"
        ),
        // What the job used, when it ended.
        format!(
            r"^spark-k8s-cli: job {job} used \d+\.\d core-seconds and \d+\.\d GiB-seconds \(driver \d+\.\d / \d+\.\d, \d+ executors? \d+\.\d / \d+\.\d(, submit pod \d+\.\d / \d+\.\d)?\)(, est\. [\d.]+( \S+)?)?$"
        ),
        // kubesim serves plain HTTP.
        r"^Warning: Kubernetes master URL uses HTTP instead of HTTPS\.$".to_string(),
    ];
    shapes
        .iter()
        .any(|s| regex::Regex::new(s).unwrap().is_match(line))
}

/// The JSON objects of `stderr`'s lines; every line must be one.
fn json_lines(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

both_modes! {
async fn a_successful_job_says_only_its_progress(mode: Mode) {
    let env = Sandbox::start(mode, "quiet-ok", SimConfig::default()).await;
    let (out, err) = pi(&env).job("ok").exits(0).await;
    assert!(err.lines().count() >= 4, "{err}");
    // Once the driver runs, where its UI is.
    assert!(
        err.contains(&format!("port-forward -n default pod/{} 4040:4040", env.driver("ok"))),
        "{err}"
    );
    for line in err.lines() {
        assert!(is_progress(&env, "ok", line), "not a progress line: {line}\n{err}");
    }
    // spark-submit's own lines are on stdout as before: the job's log is still printed.
    assert!(out.contains("Successfully stopped SparkContext"), "{out}");
    if mode == Mode::Cluster {
        assert!(out.lines().any(|l| l.trim() == "exit code: 0"), "{out}");
    }

    // --quiet: nothing at all, the exit code says it all.
    let quiet = pi(&env).job("ok-quiet").args(["--quiet"]).run().await;
    let (out, err) = exited(&quiet, 0);
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
}

async fn a_success_is_said_when_a_log_sink_asks(mode: Mode) {
    let env = Sandbox::start(mode, "quiet-sink", SimConfig::default()).await;
    env.write_config(
        "alertSinks:\n  - {name: console, type: log, events: [job-succeeded, driver-failed]}\n",
    );
    let (_, err) = pi(&env).job("told").exits(0).await;
    let told: Vec<&str> = err.lines().filter(|l| !is_progress(&env, "told", l)).collect();
    assert_eq!(told.len(), 1, "{err}");
    assert!(told[0].starts_with("spark-k8s-cli: event job-succeeded: {"), "{err}");
}

async fn a_failing_job_still_says_its_failure(mode: Mode) {
    let env = Sandbox::start(mode, "quiet-bad", SimConfig::default()).await;
    let bad = |id: &str| pi(&env).job(id).conf("spark.kubesim.driver.exitCode=2");
    let (_, err) = bad("bad").exits(2).await;
    assert!(err.contains("spark-k8s-cli: event driver-failed: {"), "{err}");
    assert!(err.contains("Exit code: 2"), "{err}");

    // At --log-level error: the failure, not the progress nor the warning.
    let (_, err) = bad("bad-errors").args(["--log-level", "error"]).exits(2).await;
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("spark-k8s-cli: event driver-failed: {"), "{err}");

    // --quiet: nothing, only the exit code.
    let (out, err) = bad("bad-quiet").args(["--quiet"]).exits(2).await;
    assert_eq!((out.as_str(), err.as_str()), ("", ""));

    // --log-format json: every line is an object; the failure is at ERROR, the progress at INFO.
    let (_, err) = bad("bad-json").args(["--log-format", "json"]).exits(2).await;
    let lines = json_lines(&err);
    let said = |level: &str, part: &str| {
        lines.iter().any(|l| {
            l["level"] == level
                && l["target"] == "spark_k8s_cli::report"
                && l["fields"]["message"].as_str().unwrap().contains(part)
        })
    };
    assert!(said("ERROR", "event driver-failed: {"), "{err}");
    assert!(said("INFO", "spark-k8s-cli: job bad-json: pending"), "{err}");
    assert!(said("INFO", "Exit code: 2"), "{err}");
    assert!(lines.iter().all(|l| l["timestamp"].is_string()), "{err}");
}

async fn output_json_is_one_object_at_the_end(mode: Mode) {
    let env = Sandbox::start(mode, "output", SimConfig::default()).await;
    let submit = mode.submit_pod("done");
    let pods = match mode {
        Mode::Cluster => vec![submit.clone(), env.driver("done")],
        Mode::Client => vec![submit.clone()],
    };
    // Alone on stdout with --quiet: the object and nothing else.
    let (out, err) = pi(&env)
        .job("done")
        .args(["--quiet", "--output", "json"])
        .exits(0)
        .await;
    assert_eq!(err, "");
    let o: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(o["job_id"], "done");
    assert_eq!(o["exit_code"], 0);
    assert_eq!(o["error"], Value::Null);
    assert_eq!(o["namespace"], "default");
    assert_eq!(o["pods"], serde_json::json!(pods));
    assert!(o["cluster"].as_str().unwrap().starts_with("http://127.0.0.1:"), "{o}");
    assert_eq!(o["queued_seconds"], 0.0, "{o}");
    let (pending, running) = (
        o["pending_seconds"].as_f64().unwrap(),
        o["running_seconds"].as_f64().unwrap(),
    );
    assert!(pending >= 0.0 && running > 0.0, "{o}");
    // The driver runs 0.2 s. Where pending ends and running starts is when the launcher saw
    // the pod's phase change, which a loaded machine delays (0.23 + 0.05 s seen once in client
    // mode); the two together hold the whole run.
    assert!(pending + running >= 0.2, "{o}");

    // Without --quiet, after the job's log: the spark-submit lines come first, unchanged.
    let (out, _) = pi(&env)
        .job("failed")
        .conf("spark.kubesim.driver.exitCode=3")
        .args(["-o", "json"])
        .exits(3)
        .await;
    let at = out.rfind("\n{\n").expect("an object at the end") + 1;
    assert!(out[..at].contains("Successfully stopped SparkContext"), "{out}");
    let o: Value = serde_json::from_str(&out[at..]).unwrap();
    assert_eq!((o["job_id"].as_str(), o["exit_code"].as_u64()), (Some("failed"), Some(3)));

    // YAML says the same.
    let (out, _) = pi(&env).job("yaml").args(["--quiet", "--output=yaml"]).exits(0).await;
    let o: Value = serde_saphyr::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(o["job_id"], "yaml");
    assert_eq!(o["exit_code"], 0);

    // A job refused before any pod: the object says why.
    let (out, _) = pi(&env)
        .job("refused")
        .args(["--quiet", "-o", "json"])
        .conf("spark.kubernetes.namespace=denied")
        .exits(3)
        .await;
    let o: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(o["exit_code"], 3);
    assert!(o["error"].as_str().is_some_and(|e| !e.is_empty()), "{o}");
}

/// What the job cost: `--output json` has the core-seconds and GiB-seconds of the driver and
/// of every executor (from the pods' requests and the times kubesim's kubelet set, to the
/// second: bounds, not exact values), the estimate at the config's price, the closing line
/// says the same, and `list -o json` shows it after the executors are gone.
async fn the_job_says_what_it_cost(mode: Mode) {
    let env = Sandbox::start(mode, "cost", SimConfig::default()).await;
    env.write_config("prices:\n  default: {coreHour: 0.36, gibHour: 0.036, currency: USD}\n");
    let driver_seconds = 3.0;
    let began = std::time::Instant::now();
    let (out, err) = env
        .spark_pi()
        .job("costly")
        .conf("spark.executor.instances=2")
        .driver_seconds(driver_seconds)
        .args(["-o", "json"])
        .exits(0)
        .await;
    // No pod held anything longer than the launcher ran, give or take the API's whole seconds.
    let most = began.elapsed().as_secs_f64() + 1.0;
    let at = out.rfind("\n{\n").expect("an object at the end") + 1;
    let o: Value = serde_json::from_str(&out[at..]).unwrap();
    let cost = &o["cost"];
    let f = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("not a number in {cost}"));

    // The driver: its requests as the pod has them, for about as long as it ran.
    let driver = &env.pods("spark-k8s-cli/job-id=costly,spark-role=driver")[0];
    let requests = &driver["spec"]["containers"][0]["resources"]["requests"];
    let cores: f64 = requests["cpu"].as_str().unwrap().parse().unwrap();
    let mib: f64 = requests["memory"].as_str().unwrap().trim_end_matches("Mi").parse().unwrap();
    let (core_s, gib_s) = (f(&cost["driver"]["core_seconds"]), f(&cost["driver"]["gib_seconds"]));
    assert!(core_s >= (driver_seconds - 1.0) * cores && core_s <= most * cores, "{cost}");
    assert!((gib_s - core_s * mib / 1024.0 / cores).abs() < 0.01, "{cost}");

    // Both executors, gone now (their driver deleted them), counted from what the watch saw:
    // 1 core and 1 GiB + 384 MiB overhead each, created once the driver ran.
    assert!(env.pods("spark-k8s-cli/job-id=costly,spark-role=executor").is_empty());
    let exec = &cost["executors"];
    assert_eq!(exec["pods"], 2, "{cost}");
    let (core_s, gib_s) = (f(&exec["core_seconds"]), f(&exec["gib_seconds"]));
    assert!(core_s >= 2.0 * 1.0 && core_s <= 2.0 * most, "{cost}");
    assert!((gib_s - core_s * 1408.0 / 1024.0).abs() < 0.01, "{cost}");

    // Cluster mode: the submit pod is spark-submit's overhead; in client mode it is the driver.
    let submit = cost["submit"]["core_seconds"].as_f64().unwrap_or(0.0);
    match mode {
        Mode::Cluster => assert!(submit > 0.0 && submit <= 0.5 * most, "{cost}"),
        Mode::Client => assert_eq!(cost.get("submit"), None, "{cost}"),
    }
    let total = f(&cost["total"]["core_seconds"]);
    let parts = f(&cost["driver"]["core_seconds"]) + core_s + submit;
    assert!((total - parts).abs() < 0.01, "{cost}");
    let expected = (total * 0.36 + f(&cost["total"]["gib_seconds"]) * 0.036) / 3600.0;
    assert!((f(&cost["estimated"]["amount"]) - expected).abs() < 1e-5, "{cost}");
    assert_eq!(cost["estimated"]["currency"], "USD", "{cost}");

    // The closing line says the same, after the driver's end.
    let line = err.lines().find(|l| l.contains(" core-seconds and ")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.starts_with(&format!("spark-k8s-cli: job costly used {total:.1} core-seconds and ")), "{line}");
    assert!(line.contains(", 2 executors ") && line.ends_with(" USD"), "{line}");
    assert!(is_progress(&env, "costly", line), "{line}");

    // list: the finished job's cost as its launcher kept it, at the same price.
    let (list, _) = exited(&output(env.cli(&["list", "-o", "json"])).await, 0);
    let rows: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(rows[0]["job_id"], "costly");
    assert_eq!(&rows[0]["cost"], cost, "{list}");
}

async fn every_listing_prints_json_yaml_and_wide(mode: Mode) {
    let env = Sandbox::start(mode, "listings", SimConfig::default()).await;
    pi(&env).job("listed").exits(0).await;
    let driver = env.driver("listed");
    let run = |args: &[&str]| {
        let c = env.cli(args);
        async move { exited(&output(c).await, 0) }
    };

    // list
    let (out, _) = run(&["list", "-o", "json"]).await;
    let rows: Value = serde_json::from_str(&out).unwrap();
    let row = &rows[0];
    assert_eq!((row["job_id"].as_str(), row["driver"].as_str()), (Some("listed"), Some(driver.as_str())));
    assert_eq!((row["phase"].as_str(), row["namespace"].as_str()), (Some("Succeeded"), Some("default")));
    let (out, _) = run(&["list", "-o", "yaml"]).await;
    let yaml: Value = serde_saphyr::from_str(&out).unwrap();
    assert_eq!(yaml, rows);
    let (out, _) = run(&["list", "-o", "wide"]).await;
    let head: Vec<&str> = out.lines().next().unwrap().split("  ").filter(|c| !c.is_empty()).map(str::trim).collect();
    assert_eq!(head[..3], ["NAMESPACE", "JOB ID", "APP"], "{out}");
    assert!(out.contains(&driver), "{out}");

    // status: spark-submit's --status, as objects.
    let (out, _) = run(&["status", "listed", "-o", "json"]).await;
    let rows: Value = serde_json::from_str(&out).unwrap();
    let row = &rows[0];
    assert_eq!(row["submission_id"], format!("default:{driver}"));
    assert_eq!((row["job_id"].as_str(), row["phase"].as_str()), (Some("listed"), Some("Succeeded")));
    assert_eq!((row["state"].as_str(), row["exit_code"].as_i64()), (Some("terminated"), Some(0)));
    let (out, _) = run(&["status", "listed", "--output", "yaml"]).await;
    assert_eq!(serde_saphyr::from_str::<Value>(&out).unwrap(), rows);
    let (out, _) = run(&["status", "listed", "-o", "wide"]).await;
    assert!(out.starts_with("SUBMISSION ID"), "{out}");
    assert!(out.contains(&format!("default:{driver}")), "{out}");
    let (out, _) = run(&["status", "nothing-here", "-o", "json"]).await;
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), serde_json::json!([]));

    // queue and sessions: arrays (nothing waits and no session runs now).
    for cmd in ["queue", "sessions"] {
        for format in ["json", "yaml"] {
            let (out, _) = run(&[cmd, "-o", format]).await;
            let v: Value = match format {
                "json" => serde_json::from_str(&out).unwrap(),
                _ => serde_saphyr::from_str(&out).unwrap(),
            };
            assert_eq!(v, serde_json::json!([]), "{cmd} -o {format}");
        }
    }

    // clusters: the kubeconfig's cluster.
    let (out, _) = run(&["clusters", "-o", "json"]).await;
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((rows[0]["health"].as_str(), rows[0]["namespace"].as_str()), (Some("ok"), Some("default")));
    let (out, _) = run(&["clusters", "-o", "yaml"]).await;
    let yaml: Value = serde_saphyr::from_str(&out).unwrap();
    assert_eq!(yaml[0]["server"], rows[0]["server"]);
    let (out, _) = run(&["clusters", "-o", "wide"]).await;
    assert!(out.starts_with("NAME        SERVER"), "{out}");
    assert!(out.contains(rows[0]["server"].as_str().unwrap()), "{out}");

}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_commands_take_the_voice_options() {
    let env = Sandbox::start(Mode::Cluster, "voice", SimConfig::default()).await;
    // An error, said as JSON; and not at all with --quiet (the exit code tells).
    let fleet = ["list", "--master", "k8s://fleet"];
    let out = output(env.cli(&[&fleet[..], &["--log-format", "json"]].concat())).await;
    let (_, err) = exited(&out, 1);
    let lines = json_lines(&err);
    assert_eq!(lines.len(), 1, "{err}");
    assert_eq!(lines[0]["level"], "ERROR");
    assert!(
        lines[0]["fields"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Error: --master k8s://fleet names the fleet"),
        "{err}"
    );
    let out = output(env.cli(&[&fleet[..], &["-q"]].concat())).await;
    assert_eq!(exited(&out, 1), (String::new(), String::new()));
    // kill and status pass them on to spark-submit's parser, before the id or after it.
    let out = output(env.cli(&["status", "--quiet", "nothing"])).await;
    assert_eq!(text(&out.stderr), "");
    let out = output(env.cli(&["status", "nothing", "--log-format", "json"])).await;
    let (_, err) = exited(&out, 0);
    assert!(
        json_lines(&err).iter().any(|l| {
            l["fields"]["message"]
                .as_str()
                .unwrap()
                .contains("Application not found.")
        }),
        "{err}"
    );
    // A level that is not one is clap's error.
    let out = output(env.cli(&["list", "--log-level", "loud"])).await;
    let (_, err) = exited(&out, 1);
    assert!(err.contains("invalid value 'loud'"), "{err}");
}

both_modes! {
/// With `logDir`, the job's logs outlive its pods: every line the job streamed is in its kept
/// files, whose paths the launcher says.
async fn log_dir_keeps_the_logs_of_every_job(mode: Mode) {
    let env = Sandbox::start(mode, "logdir", SimConfig::default()).await;
    let dir = env.dir.join("kept logs");
    let (out, err) = pi(&env)
        .job("kept")
        .conf(&format!("spark.k8scli.logDir={}", dir.display()))
        .exits(0)
        .await;
    let submit = dir.join("kept.submit.log");
    assert!(err.contains(&format!("log is kept in {}", submit.display())), "{err}");
    let mut kept = std::fs::read_to_string(&submit).unwrap();
    if let Ok(driver) = std::fs::read_to_string(dir.join("kept.driver.log")) {
        kept.push_str(&driver);
    }
    assert!(!out.trim().is_empty(), "the job streamed nothing");
    for line in out.lines().filter(|l| !l.trim().is_empty()) {
        assert!(kept.lines().any(|k| k == line), "not kept: {line}\nkept:\n{kept}");
    }
}
}
