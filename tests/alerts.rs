//! Alerts, through the real binary against kubesim: each event caused for real (missing image,
//! unschedulable request, driver failing at start-up, OOM, driver failure, run timeout with the
//! kill action, queue timeout, refused submission) reaches a webhook and a Slack server (real
//! HTTP servers here) and a real command; sinks that fail or hang do not change the job's exit;
//! re-runs and floods do not repeat alerts, from one host or from ten (the records are Leases in
//! the job's namespace).
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use std::collections::BTreeMap;

use common::burst::{self, exits, launch, wait_all};
use common::home::Home;
use common::mode::Mode;
use common::sandbox::Sandbox;
use common::sink::{Answer, SinkServer};
use common::watch;
use serde_json::{Value, json};

/// The events a command sink (`tee -a FILE`) wrote: concatenated JSON objects.
fn command_events(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .map(Result::unwrap)
        .collect()
}

fn by_job(events: &[Value]) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in events {
        m.entry(e["job_id"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(e["event"].as_str().unwrap_or_default().to_string());
    }
    m
}

/// Block Kit's rules for the blocks the launcher sends.
fn assert_block_kit(v: &Value) {
    assert!(
        v["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty() && t.chars().count() <= 3000)
    );
    let blocks = v["blocks"].as_array().expect("blocks");
    assert!(!blocks.is_empty() && blocks.len() <= 50);
    for b in blocks {
        match b["type"].as_str() {
            Some("header") => {
                assert_eq!(b["text"]["type"], "plain_text");
                assert!(b["text"]["text"].as_str().unwrap().chars().count() <= 150);
            }
            Some("section") => {
                let text = b["text"]["text"].as_str();
                let fields = b["fields"].as_array();
                assert!(text.is_some() || fields.is_some(), "{b}");
                if let Some(t) = text {
                    assert_eq!(b["text"]["type"], "mrkdwn");
                    assert!(!t.is_empty() && t.chars().count() <= 3000);
                }
                if let Some(f) = fields {
                    assert!(!f.is_empty() && f.len() <= 10);
                    for f in f {
                        assert_eq!(f["type"], "mrkdwn");
                        assert!(f["text"].as_str().unwrap().chars().count() <= 2000);
                    }
                }
            }
            Some("context") => {
                let el = b["elements"].as_array().unwrap();
                assert!(!el.is_empty() && el.len() <= 10);
            }
            other => panic!("unexpected block type {other:?}"),
        }
        assert!(
            b.as_object()
                .unwrap()
                .keys()
                .all(|k| ["type", "text", "fields", "elements"].contains(&k.as_str()))
        );
    }
}

/// A quota with room for every job of a test.
const ROOMY: &[(&str, &str)] = &[("requests.cpu", "1000"), ("pods", "1000")];

/// A webhook and a Slack server that answer 200, and the file a command sink (`tee -a`)
/// writes to in the sandbox.
struct Sinks {
    hook: SinkServer,
    slack: SinkServer,
    out: std::path::PathBuf,
}

impl Sinks {
    async fn start(env: &Sandbox) -> Sinks {
        Sinks {
            hook: SinkServer::start(Answer::Ok).await,
            slack: SinkServer::start(Answer::Ok).await,
            out: env.dir.join("command-events.json"),
        }
    }

    /// `alertSinks:` with the three as `hook`, `chat` and `cmd`, each with its `extra` fields
    /// (`, queues: [etl]`).
    fn config(&self, [hook, chat, cmd]: [&str; 3]) -> String {
        format!(
            "alertSinks:\n\
             - {{name: hook, type: webhook, url: '{}'{hook}}}\n\
             - {{name: chat, type: slack, url: '{}'{chat}}}\n\
             - {{name: cmd, type: command, argv: [tee, -a, '{}']{cmd}}}\n",
            self.hook.url,
            self.slack.url,
            self.out.display()
        )
    }
}

both_modes! {
async fn each_event_reaches_the_webhook_slack_and_command_sinks(mode: Mode) {
    let env = burst::sandbox(mode, "alerts", ROOMY).await;
    let sinks = Sinks::start(&env).await;
    let hook = ", secret: s3cret, headers: {Authorization: Bearer abc}";
    env.write_config(&format!(
        "{}alertLinks: {{Spark UI: 'https://history.example/{{app_name}}/{{job_id}}'}}\n",
        sinks.config([hook, "", ", events: ['*']"])
    ));
    let Sinks {
        hook: webhook,
        slack,
        out,
    } = sinks;
    // RBAC: the launcher may not create pods in namespace denied.
    env.sim.clusters[0]
        .access
        .set(vec![kubesim::access::AccessRule::deny(
            "create", "pods", "denied",
        )]);
    let d = |s: &'static str| ["--conf", s];
    let jobs: Vec<(&str, Vec<&str>, i32, &str)> = vec![
        (
            "image",
            d("spark.kubernetes.container.image=registry.example/does-not-exist:1").to_vec(),
            4,
            "container-creation-failed",
        ),
        (
            "pending",
            [
                d("spark.k8scli.submitCpu=64"),
                // In client mode the submit pod is the driver, sized as the driver.
                d("spark.driver.cores=64"),
                d("spark.k8scli.startupTimeout=1"),
            ]
            .concat(),
            4,
            "pending-too-long",
        ),
        (
            "startup",
            d("spark.kubesim.driver.failAt=startup").to_vec(),
            1,
            "startup-failed",
        ),
        (
            "oom",
            [
                d("spark.kubesim.driver.failAt=oom"),
                d("spark.kubesim.driver.durationSeconds=1"),
            ]
            .concat(),
            137,
            "oom-killed",
        ),
        (
            "fails",
            [
                d("spark.kubesim.driver.exitCode=2"),
                d("spark.kubesim.driver.durationSeconds=1"),
            ]
            .concat(),
            2,
            "driver-failed",
        ),
        (
            "slow",
            [
                d("spark.kubesim.driver.durationSeconds=60"),
                d("spark.k8scli.run.timeout=1"),
                d("spark.k8scli.run.timeoutAction=kill"),
            ]
            .concat(),
            6,
            "run-timeout",
        ),
        (
            "refused",
            d("spark.kubernetes.namespace=denied").to_vec(),
            3,
            "submission-failed",
        ),
        ("fine", Vec::new(), 0, "job-succeeded"),
    ];
    let children = jobs
        .iter()
        .map(|(id, extra, _, _)| {
            let mut args = extra.clone();
            args.extend(
                ["--conf", "spark.kubesim.driver.durationSeconds=0.3"]
                    .iter()
                    .copied()
                    .filter(|_| !extra.iter().any(|a| a.contains("durationSeconds"))),
            );
            launch(&env, id, &args)
        })
        .collect();
    let results = wait_all(children).await;
    for ((id, _, code, _), (got, err)) in jobs.iter().zip(&results) {
        assert_eq!(*got, Some(*code), "{id}: {err}");
    }
    // Flushed before exit: every sink has its events now.
    let hooks = webhook.bodies();
    let cmd = command_events(&out);
    for (id, _, _, event) in &jobs {
        let want = vec![event.to_string()];
        let routed = |sink: &str| *event != "job-succeeded" || sink == "cmd";
        for (sink, got) in [("hook", by_job(&hooks)), ("cmd", by_job(&cmd))] {
            let got = got.get(*id).cloned().unwrap_or_default();
            if routed(sink) {
                assert_eq!(got, want, "{sink} for job {id}");
            } else {
                assert!(got.is_empty(), "{sink} is not routed {event}: {got:?}");
            }
        }
    }
    // The webhook payload, with its signature and headers.
    let image = hooks.iter().find(|e| e["job_id"] == "image").unwrap();
    assert_eq!(image["severity"], "error");
    assert_eq!(image["app_name"], "burst");
    assert_eq!(image["queue"], "default");
    assert_eq!(image["namespace"], "default");
    assert_eq!(image["reason"], "ErrImagePull");
    assert_eq!(image["pods"], serde_json::json!([mode.submit_pod("image")]));
    assert!(
        image["cluster"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(
        image["last_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.as_str().unwrap().contains("Failed to pull image")),
        "{image}"
    );
    assert_eq!(
        image["links"]["Spark UI"],
        "https://history.example/burst/image"
    );
    let pending = hooks.iter().find(|e| e["job_id"] == "pending").unwrap();
    assert_eq!(pending["reason"], "Unschedulable");
    assert!(
        pending["message"]
            .as_str()
            .unwrap()
            .contains("Insufficient cpu"),
        "{pending}"
    );
    for r in webhook.got.lock().unwrap().iter() {
        assert_eq!(r.path, "/hook/secret-path");
        assert_eq!(r.headers["authorization"], "Bearer abc");
        assert_eq!(r.headers["content-type"], "application/json");
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"s3cret");
        let hex: String = ring::hmac::sign(&key, r.body.as_bytes())
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            r.headers["x-spark-k8s-cli-signature"],
            format!("sha256={hex}")
        );
    }
    // Slack: valid Block Kit, one message per alerted event.
    let chats = slack.bodies();
    assert_eq!(chats.len(), jobs.len() - 1, "all but job-succeeded");
    for m in &chats {
        assert_block_kit(m);
    }
    // The run timeout with kill left no pod of the job.
    let left = env.pods("spark-k8s-cli/job-id=slow");
    assert!(left.is_empty(), "{left:?}");
    // Each alert is also a Kubernetes Event on the job's submit pod.
    let all = watch::list(&env.sim.clusters[0], "events", "");
    let on_pod = |pod: &str, reason: &str| {
        all.iter()
            .any(|e| e["involvedObject"]["name"] == pod && e["reason"] == reason)
    };
    assert!(on_pod(&mode.submit_pod("image"), "ContainerCreationFailed"));
    assert!(on_pod(&mode.submit_pod("slow"), "RunTimeout"));
    assert!(on_pod(&mode.submit_pod("fails"), "DriverFailed"));
    // Secrets in sink URLs and headers never reach the job's output.
    for (_, err) in &results {
        assert!(
            !err.contains("secret-path") && !err.contains("Bearer abc"),
            "{err}"
        );
    }
}

async fn failing_or_hung_sinks_neither_hold_the_exit_nor_change_it(mode: Mode) {
    let env = burst::sandbox(mode, "alerts-down", ROOMY).await;
    let failing = SinkServer::start(Answer::Fail500).await;
    let hung = SinkServer::start(Answer::Hang).await;
    env.write_config(&format!(
        "alertFlushTimeout: 4\n\
         alertSinks:\n\
         - {{name: failing, type: webhook, url: '{}'}}\n\
         - {{name: hung, type: slack, url: '{}', timeout: 30}}\n\
         - {{name: broken, type: command, argv: ['false']}}\n",
        failing.url, hung.url
    ));
    let fails = launch(
        &env,
        "fails",
        &[
            "--conf",
            "spark.kubesim.driver.exitCode=2",
            "--conf",
            "spark.kubesim.driver.durationSeconds=0.3",
        ],
    );
    // The driver's exit code, whatever the sinks did; the hung sink was given up at the bound.
    let err = exits(fails, 2).await;
    assert!(
        err.contains("still undelivered after 4.0 s (alertFlushTimeout)"),
        "{err}"
    );
    assert!(
        err.contains("alert sink broken (command false) did not take event driver-failed of job fails: false exited 1"),
        "{err}"
    );
    // The 500s were retried: three tries, then given up (before the bound).
    assert_eq!(failing.got.lock().unwrap().len(), 3, "{err}");
    assert!(
        err.contains(&format!(
            "alert sink failing (webhook {}/***) did not take event driver-failed of job fails: HTTP 500",
            failing.url.trim_end_matches("/hook/secret-path")
        )),
        "{err}"
    );
    assert_eq!(hung.got.lock().unwrap().len(), 1);
}

async fn reruns_do_not_repeat_alerts_and_a_flood_is_bounded(mode: Mode) {
    let env = burst::sandbox(mode, "alerts-flood", ROOMY).await;
    let hook = SinkServer::start(Answer::Ok).await;
    env.write_config(&format!(
        "alertRateLimit: 3\nalertSinks:\n- {{name: hook, type: webhook, url: '{}'}}\n",
        hook.url
    ));
    let image = [
        "--conf",
        "spark.kubernetes.container.image=registry.example/does-not-exist:1",
    ];
    // The same job twice: the second run alerts nothing new.
    for _ in 0..2 {
        exits(launch(&env, "again", &image), 4).await;
    }
    assert_eq!(
        by_job(&hook.bodies())["again"],
        ["container-creation-failed"]
    );
    // Twelve jobs failing alike within a minute: the rate limit lets 3 through in all (one was
    // sent above, for the same cluster and reason).
    let children = (0..12)
        .map(|i| launch(&env, &format!("flood-{i}"), &image))
        .collect();
    for (code, err) in wait_all(children).await {
        assert_eq!(code, Some(4), "{err}");
    }
    let sent = hook.bodies();
    assert_eq!(sent.len(), 3, "{sent:?}");
}

/// Ten hosts (a HOME each, so no host file is shared) run jobs failing alike against one
/// cluster: a job re-run from another host alerts nothing new, and the ten jobs failing at once
/// send the flood limit's 3 in all; each (job, event) record is a Lease in the job's namespace.
async fn launchers_of_ten_hosts_alert_once_per_job_and_within_the_flood_limit(mode: Mode) {
    let env = burst::sandbox(mode, "alerts-hosts", ROOMY).await;
    let hook = SinkServer::start(Answer::Ok).await;
    let config = format!(
        "alertRateLimit: 3\nalertSinks:\n- {{name: hook, type: webhook, url: '{}'}}\n",
        hook.url
    );
    let hosts: Vec<Home> = (0..10)
        .map(|i| {
            let mut host = Home::in_mode(mode, &format!("host{i}"));
            std::fs::copy(env.kubeconfig(), host.kubeconfig()).unwrap();
            host.master = env.master.clone();
            host.write_config(&config);
            host
        })
        .collect();
    let image = [
        "--conf",
        "spark.kubernetes.container.image=registry.example/does-not-exist:1",
    ];
    // Airflow's retry of a task lands on another worker: the same job from two hosts.
    for host in &hosts[..2] {
        exits(launch(host, "again", &image), 4).await;
    }
    assert_eq!(
        by_job(&hook.bodies())["again"],
        ["container-creation-failed"]
    );
    // Ten jobs failing alike at once, one per host: 3 like alerts a minute in all (one was
    // sent above, for the same cluster and reason).
    let children = hosts
        .iter()
        .enumerate()
        .map(|(i, host)| launch(host, &format!("flood-{i}"), &image))
        .collect();
    for (code, err) in wait_all(children).await {
        assert_eq!(code, Some(4), "{err}");
    }
    let sent = hook.bodies();
    assert_eq!(sent.len(), 3, "{sent:?}");
    // A record per (job, event), one flood window, all with the label the sweep deletes by.
    let once = watch::list(&env.sim.clusters[0], "leases", "spark-k8s-cli/alert=once");
    assert_eq!(once.len(), 11, "{once:?}");
    let flood = watch::list(&env.sim.clusters[0], "leases", "spark-k8s-cli/alert=flood");
    assert_eq!(flood.len(), 1, "{flood:?}");
    let window: Value = serde_json::from_str(
        flood[0]["metadata"]["annotations"]["spark-k8s-cli/state"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!((&window["sent"], &window["suppressed"]), (&json!(3), &json!(8)));
}

async fn failover_and_an_opened_circuit_reach_the_sinks_once(mode: Mode) {
    let env = Sandbox::start(
        mode,
        "alerts-fleet",
        kubesim::SimConfig {
            clusters: 2,
            quota_conflict_rate: Some(0.0),
            ..kubesim::SimConfig::default()
        },
    )
    .await;
    let sinks = Sinks::start(&env).await;
    env.write_config(&format!(
        "fleetPolicy: priority\nhealthTtl: 0\ncircuitFailures: 2\n\
         fleet:\n- {{name: a, context: kubesim-1, priority: 1}}\n- {{name: b, context: kubesim-2, priority: 2}}\n{}",
        sinks.config(["", "", ""])
    ));
    let Sinks { hook, slack, out } = sinks;
    let run_with = |job: &str, extra: &[&str]| {
        env.spark_pi()
        .name("moving")
        .class("x.Y")
        .resource("local:///x.jar")
        .job(job)
        .driver_seconds(0.3)
        .args(extra)
        .spawn_quiet()
    };
    let run = |job: &str| run_with(job, &[]);
    // A missing image: the job cannot start on a, moves to b (no driver on a), and cannot start
    // there either; its container-creation-failed alert goes out once.
    let image = "spark.kubernetes.container.image=registry.example/does-not-exist:1";
    exits(run_with("badimage", &["--conf", image]), 4).await;
    // a refuses pod creates: the job moves to b.
    env.sim.clusters[0]
        .access
        .set(vec![kubesim::access::AccessRule::deny(
        "create", "pods", "*",
        )]);
    exits(run("moved"), 0).await;
    // a is killed: its probe fails and opens its circuit (the refusal and this probe are two
    // failures in a row, the threshold here; a probe that answers resets the count).
    env.sim.clusters[0].access.set(Vec::new());
    env.sim.clusters[0].faults.down.send_replace(true);
    exits(run("after"), 0).await;
    let want = |events: &[Value]| {
        let m = by_job(events);
        assert_eq!(
        m.get("moved").cloned().unwrap_or_default(),
        ["failover"],
        "{events:?}"
        );
        assert_eq!(
        m.get("after").cloned().unwrap_or_default(),
        ["circuit-opened"],
        "{events:?}"
        );
        let mut bad = m.get("badimage").cloned().unwrap_or_default();
        bad.sort();
        assert_eq!(bad, ["container-creation-failed", "failover"], "{events:?}");
    };
    want(&hook.bodies());
    want(&command_events(&out));
    let chats = slack.bodies();
    assert_eq!(chats.len(), 4);
    for m in &chats {
        assert_block_kit(m);
    }
    let failover = hook
        .bodies()
        .into_iter()
        .find(|e| e["event"] == "failover")
        .unwrap();
    assert_eq!(
        (
        failover["from_cluster"].as_str(),
        failover["to_cluster"].as_str()
        ),
        (Some("a"), Some("b"))
    );
    // Recorded in b, on the job's submit pod.
    let all = watch::list(&env.sim.clusters[1], "events", "");
    assert!(
        all.iter()
        .any(|e| e["involvedObject"]["name"] == mode.submit_pod("moved") && e["reason"] == "Failover"),
        "{all:?}"
    );
}

async fn a_queue_timeout_reaches_the_sinks(mode: Mode) {
    // Room for one job (2.5 cpu each, 2 in client mode): the holder takes it, the next one times out waiting.
    let env = burst::sandbox(mode, "alerts-queue", &[("requests.cpu", "3"), ("pods", "100")]).await;
    let sinks = Sinks::start(&env).await;
    env.write_config(&sinks.config([", queues: [etl]", "", ""]));
    let Sinks { hook, slack, out } = sinks;
    let mut holder = launch(
        &env,
        "holder",
        &["--conf", "spark.kubesim.driver.durationSeconds=30"],
    );
    // The holder's driver exists: the room is taken.
    watch::wait_until(
        &env.sim.clusters[0],
        "pods",
        watch::WAIT,
        || !env.pods("spark-role=driver").is_empty(),
        || "no driver of the holder within 30 s".into(),
    )
    .await;
    let late = ["--queue", "etl", "--conf", "spark.k8scli.queue.timeout=1"];
    exits(launch(&env, "late", &late), 5).await;
    for events in [hook.bodies(), command_events(&out)] {
        assert_eq!(
            by_job(&events).get("late").cloned().unwrap_or_default(),
            ["queue-timeout"]
        );
    }
    let sent = hook.bodies();
    assert_eq!(sent[0]["queue"], "etl");
    assert!(sent[0]["seconds"].as_f64().unwrap() >= 1.0);
    let chats = slack.bodies();
    assert_eq!(chats.len(), 1);
    assert_block_kit(&chats[0]);
    let _ = holder.kill();
    let _ = holder.wait();
}

}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_test_sends_a_sample_through_each_sink() {
    let hook = SinkServer::start(Answer::Ok).await;
    // No cluster; the config named by SPARK_K8S_CLI_CONFIG, outside the default place.
    let home = Home::new("alert-test");
    let config = home.write(
        "alert-sinks.yaml",
        format!(
            "alertSinks:\n\
             - {{name: hook, type: webhook, url: '{}', events: [job-succeeded]}}\n\
             - {{name: broken, type: command, argv: ['false']}}\n\
             alertLinks: {{Logs: 'https://logs.example/{{cluster}}/{{driver_pod}}'}}\n",
            hook.url
        ),
    );
    let run = |args: &[&str]| {
        let mut c = home.cli(args);
        c.env("SPARK_K8S_CLI_CONFIG", &config);
        tokio::task::spawn_blocking(move || c.output().unwrap())
    };
    // Every sink, whatever its routing: one delivered, one not (exit 3).
    let out = run(&["alert", "test"]).await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    let host = hook.url.trim_end_matches("/hook/secret-path");
    assert!(
        err.contains(&format!("sink hook (webhook {host}/***): delivered")),
        "{err}"
    );
    assert!(
        err.contains("sink broken (command false): not delivered: false exited 1"),
        "{err}"
    );
    let sent = hook.bodies();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0]["event"].as_str(), sent[0]["job_id"].as_str()),
        (Some("driver-failed"), Some("alert-test"))
    );
    // The configured links, filled in as a job's would be.
    assert_eq!(
        sent[0]["links"]["Logs"],
        "https://logs.example/test/alert-test-driver"
    );
    // One sink, one event kind.
    let out = run(&["alert", "test", "--sink", "hook", "--event", "oom-killed"])
        .await
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(hook.bodies()[1]["event"], "oom-killed");
    // Mistakes name what to do.
    let out = run(&["alert", "test", "--sink", "nope"]).await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no sink is named nope; the sinks are: hook, broken")
    );
}

/// The cluster's gate under concurrency, as launchers on many hosts meet it: twenty at once
/// on one (job, event) get one send (the others meet 409 AlreadyExists on its record); twenty
/// jobs failing alike at once get the limit's sends, the rest counted in the flood's window
/// (writes that lose the race meet 409 Conflict and are made again), and the next minute's
/// first carries the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clusters_gate_holds_under_concurrency() {
    use spark_k8s_cli::alert::gate::Gate;
    use spark_k8s_cli::alert::record;
    let env = burst::sandbox(Mode::Cluster, "alerts-gate", ROOMY).await;
    let target = env.target().await;
    let gate = |job: String, now_ms: u64| {
        let target = target.clone();
        async move { record::gate(&target, &job, "driver-failed", "k", now_ms, 4).await }
    };
    let same = futures::future::join_all((0..20).map(|_| gate("same".into(), 0))).await;
    let sends = |verdicts: &[kube::Result<Gate>]| {
        verdicts
            .iter()
            .filter(|v| matches!(v, Ok(Gate::Send { .. })))
            .count()
    };
    assert_eq!(sends(&same), 1, "{same:?}");
    assert!(
        same.iter()
            .all(|v| matches!(v, Ok(Gate::Send { .. } | Gate::Duplicate)))
    );
    let flood = futures::future::join_all((0..20).map(|i| gate(format!("j{i}"), 1_000))).await;
    // The window began with `same`'s send: three more this minute.
    assert_eq!(sends(&flood), 3, "{flood:?}");
    let suppressed = flood
        .iter()
        .filter(|v| matches!(v, Ok(Gate::Suppressed)))
        .count();
    assert_eq!(suppressed, 17, "{flood:?}");
    let next = gate("later".into(), 61_000).await.unwrap();
    assert_eq!(next, Gate::Send { suppressed: 17 });
}
