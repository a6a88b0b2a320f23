//! Attach and exec at the wire: the WebSocket handshake and its failures, channel framing, the
//! exit Status, terminals (echo, CR/LF, Ctrl-D), `stdinOnce`, and the Spark shells' REPL.

use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};

mod common;
use common::channels::{Handshake, open, refused, upgraded};
use common::{create, log, phase, wait_pod};

fn sleeper(name: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [
        {"name": "main", "image": "busybox:1.36", "command": ["sleep-forever"]},
        {"name": "side", "image": "busybox:1.36", "command": ["sleep-forever"]}]}})
}

const EXEC: &str = "/api/v1/namespaces/default/pods/box/exec";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_handshake_framing_and_status() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let q = "?container=main&stdout=true&stderr=true";
    // Refusals before the upgrade are ordinary Status errors.
    let (code, msg) = refused(&sim, &format!("{EXEC}{q}&command=true"), true).await;
    assert_eq!((code, msg.as_str()), (404, "pods \"box\" not found"));
    let mut unscheduled = sleeper("box");
    unscheduled["spec"]["nodeSelector"] = json!({"kubesim.io/none": "true"});
    create(&sim, unscheduled);
    let (code, msg) = refused(&sim, &format!("{EXEC}{q}&command=true"), true).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "pod box does not have a host assigned")
    );
    sim.clusters[0]
        .store
        .delete(common::pods(), "default", "box", Some(0))
        .unwrap();
    wait_pod(&sim, "box", |p| p.get("deleted").is_some()).await;
    create(&sim, sleeper("box"));
    wait_pod(&sim, "box", |p| phase(p) == "Running").await;
    let (code, msg) = refused(&sim, &format!("{EXEC}?stdout=true&command=true"), true).await;
    assert_eq!(
        (code, msg.as_str()),
        (
            400,
            "a container name must be specified for pod box, choose one of: [main side]"
        )
    );
    let (code, msg) = refused(&sim, &format!("{EXEC}{q}"), true).await;
    assert_eq!(
        (code, msg.as_str()),
        (400, "you must specify at least 1 command")
    );
    let (code, msg) = refused(&sim, &format!("{EXEC}{q}&command=true"), false).await;
    assert_eq!((code, msg.as_str()), (400, "Upgrade request required"));
    match open(
        &sim,
        &format!("{EXEC}{q}&command=true"),
        "base64.channel.k8s.io",
        true,
    )
    .await
    {
        Handshake::Refused(400, body) => {
            assert!(
                body["message"].as_str().unwrap().contains("not supported"),
                "{body}"
            )
        }
        _ => panic!("an unsupported subprotocol is refused"),
    }

    // v4, as kube-rs offers it: the server picks the client's first supported offer.
    let (mut s, head) = upgraded(
        &sim,
        &format!("{EXEC}{q}&command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203"),
        "v4.channel.k8s.io, v5.channel.k8s.io",
    )
    .await;
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains("sec-websocket-protocol: v4.channel.k8s.io"),
        "{head}"
    );
    assert!(
        lower.contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
        "{head}"
    );
    // The first message is empty, on the lowest channel written.
    assert_eq!(s.next().await, Some((0x2, vec![1])));
    let (out, err, status) = s.finish().await;
    assert_eq!((out.as_str(), err.as_str()), ("out\n", "err\n"));
    assert_eq!(
        status,
        json!({"metadata": {}, "status": "Failure",
            "message": "command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 3], exit code 3",
            "reason": "NonZeroExitCode", "details": {"causes": [{"reason": "ExitCode", "message": "3"}]}})
    );

    // v5 with stdin: data, then the close signal for stdin ends `cat`.
    let (mut s, _) = upgraded(
        &sim,
        &format!("{EXEC}?container=side&stdin=true&stdout=true&command=cat"),
        "v5.channel.k8s.io",
    )
    .await;
    s.stdin("ping\n").await;
    assert_eq!(s.until("ping\n").await, "ping\n");
    s.send(0x2, &[255, 0]).await;
    let (_, _, status) = s.finish().await;
    assert_eq!(status, json!({"metadata": {}, "status": "Success"}));
}

fn shell_pod(name: &str, program: &str, tty: bool) -> Value {
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [
        {"name": "spark", "image": "apache/spark:4.3.0", "command": [format!("/opt/spark/bin/{program}")],
         "args": ["--master", "k8s://https://kubernetes.default.svc", "--conf", "spark.executor.instances=2"],
         "stdin": true, "stdinOnce": true, "tty": tty}]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyspark_on_a_terminal_echoes_and_ends_at_ctrl_d() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, shell_pod("py", "pyspark", true));
    wait_pod(&sim, "py", |p| phase(p) == "Running").await;
    let (mut s, _) = upgraded(
        &sim,
        "/api/v1/namespaces/default/pods/py/attach?container=spark&stdin=true&stdout=true&tty=true",
        "v5.channel.k8s.io",
    )
    .await;
    assert_eq!(s.next().await, Some((0x2, vec![1])));
    // Enter on a raw terminal is CR: the terminal echoes it as CR LF and the REPL sees a line.
    s.stdin("\r").await;
    s.until(">>> ").await;
    s.stdin("6 * 7\r").await;
    let out = s.until("42\r\n>>> ").await;
    assert!(out.contains("6 * 7\r\n"), "echo: {out:?}");
    s.stdin("nope\r").await;
    let out = s.until(">>> ").await;
    assert!(
        out.contains("NameError: name 'nope' is not defined\r\n"),
        "{out:?}"
    );
    // The driver's executors run while the shell does.
    let execs = common::executors(&sim).len();
    assert_eq!(execs, 2);
    s.stdin("\u{4}").await;
    let (_, _, status) = s.finish().await;
    assert_eq!(status, json!({"metadata": {}, "status": "Success"}));
    let pod = wait_pod(&sim, "py", |p| phase(p) == "Succeeded").await;
    assert_eq!(
        pod.pointer("/status/containerStatuses/0/state/terminated/exitCode"),
        Some(&json!(0))
    );
    assert!(log(&sim, "py", "spark").contains("SparkSession available as 'spark'."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_sql_statements_span_lines_and_stdin_once_closes_input() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, shell_pod("sql", "spark-sql", false));
    wait_pod(&sim, "sql", |p| phase(p) == "Running").await;
    let path = "/api/v1/namespaces/default/pods/sql/attach?container=spark&stdin=true&stdout=true&stderr=true";
    let (mut s, _) = upgraded(&sim, path, "v5.channel.k8s.io").await;
    assert_eq!(s.next().await, Some((0x2, vec![1])));
    s.stdin("SELECT 1 + 1,\n").await;
    s.until("                   > ").await;
    s.stdin("'x';\n").await;
    let out = s.until("spark-sql (default)> ").await;
    assert!(out.contains("2\tx\nTime taken:"), "{out:?}");
    // Closing the first attach closes stdin (stdinOnce): the shell ends as at Ctrl-D.
    s.send(0x8, &1000u16.to_be_bytes()).await;
    drop(s);
    let pod = wait_pod(&sim, "sql", |p| phase(p) == "Succeeded").await;
    assert_eq!(
        pod.pointer("/status/containerStatuses/0/state/terminated/reason"),
        Some(&json!("Completed"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_shell_exit_code_from_sys_exit() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, shell_pod("sc", "spark-shell", false));
    wait_pod(&sim, "sc", |p| phase(p) == "Running").await;
    let path = "/api/v1/namespaces/default/pods/sc/attach?container=spark&stdin=true&stdout=true";
    let (mut s, _) = upgraded(&sim, path, "v4.channel.k8s.io").await;
    s.stdin("sys.exit(4)\n").await;
    // Attach ends with Success whatever the container's exit code: that is the pod's status.
    let (_, _, status) = s.finish().await;
    assert_eq!(status, json!({"metadata": {}, "status": "Success"}));
    let pod = wait_pod(&sim, "sc", |p| phase(p) == "Failed").await;
    assert_eq!(
        pod.pointer("/status/containerStatuses/0/state/terminated/exitCode"),
        Some(&json!(4))
    );
}

/// A session's first frame is a ping, and its output (the opening empty message included) comes
/// after the client's pong: kubectl 1.30-1.33 reads frames before it has created its streams and
/// drops what comes for a stream it does not have yet (client-go
/// `tools/remotecommand/websocket.go`, `StreamWithContext`; kubernetes/kubernetes#131203), which
/// once cost `kubectl exec` its whole stdout on a busy machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_output_follows_the_clients_pong() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, sleeper("box"));
    wait_pod(&sim, "box", |p| phase(p) == "Running").await;
    let q = "?container=main&stdout=true&stderr=true&command=sh&command=-c&command=echo+out";
    let (mut s, _) = upgraded(&sim, &format!("{EXEC}{q}"), "v5.channel.k8s.io").await;
    let (op, payload) = s.next_frame().await.unwrap();
    assert_eq!(op, 0x9, "a ping first, got {op} {payload:?}");
    s.send(0xA, &payload).await;
    assert_eq!(
        s.next_frame().await,
        Some((0x2, vec![1])),
        "the opening message"
    );
    let (out, err, status) = s.finish().await;
    assert_eq!((out.as_str(), err.as_str()), ("out\n", ""));
    assert_eq!(status["status"], "Success");
}
