//! The Spark shells in session pods, over attach and exec: the shell's gate (`sh -c 'read -r go
//! && exec "$0" "$@"' PROGRAM ARGS…`), the terminal's size from the resize channel, Ctrl-C as
//! each shell takes it, stdin's end and `stdinOnce`, spark-sql's CLI options and exit codes,
//! spark-shell's `-i` and pyspark without a terminal. The expected transcripts are those of the
//! pinned `pyspark` package's own shells (Spark 4.3.0) on a pseudo-terminal; `docs/kubesim.md`
//! ("Spark shells") names the sources.

use kubesim::resources;
use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};

mod common;
use common::channels::{Session, upgraded};
use common::{create, log, phase, wait_pod};

const MASTER: &str = "k8s://https://kubernetes.default.svc";

/// The launcher's session pod: the shell starts once a line comes (the go line), so an attach
/// made after the pod runs sees its banner.
fn session_pod(name: &str, program: &str, args: &[&str]) -> Value {
    let mut command = vec![
        "/bin/sh".to_string(),
        "-c".into(),
        "read -r go && exec \"$0\" \"$@\"".into(),
        format!("/opt/spark/bin/{program}"),
    ];
    command.extend(args.iter().map(|a| a.to_string()));
    json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [
        {"name": "spark", "image": "apache/spark:4.3.0", "command": command,
         "stdin": true, "stdinOnce": false, "tty": true}]}})
}

/// A pod running `program ARGS` directly, without a terminal; `files` are mounted from a
/// ConfigMap at `/opt/spark-k8scli/files`.
fn plain_pod(sim: &Sim, name: &str, program: &str, args: &[&str], files: &[(&str, &str)]) -> Value {
    let mut pod = json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [
        {"name": "spark", "image": "apache/spark:4.3.0",
         "command": [format!("/opt/spark/bin/{program}")], "args": args,
         "stdin": true, "stdinOnce": true}]}});
    if !files.is_empty() {
        let data: serde_json::Map<String, Value> = files
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        sim.clusters[0]
            .store
            .create(
                resources::find("", "v1", "configmaps").unwrap(),
                "default",
                json!({"metadata": {"name": name}, "data": data}),
            )
            .unwrap();
        pod["spec"]["volumes"] = json!([{"name": "files", "configMap": {"name": name}}]);
        pod["spec"]["containers"][0]["volumeMounts"] =
            json!([{"name": "files", "mountPath": "/opt/spark-k8scli/files"}]);
    }
    create(sim, pod)
}

async fn attach(sim: &Sim, pod: &str, tty: bool) -> Session {
    let path = format!(
        "/api/v1/namespaces/default/pods/{pod}/attach?container=spark&stdin=true&stdout=true&tty={tty}"
    );
    let (mut s, _) = upgraded(sim, &path, "v5.channel.k8s.io").await;
    assert_eq!(s.next().await, Some((0x2, vec![1])), "the opening message");
    s
}

/// Attaches a terminal to a running session pod, sets its size if `size` says so (as the
/// launcher does first), lets its shell go and reads to its first prompt: the session and what
/// it printed.
async fn go(sim: &Sim, pod: &str, size: Option<(u16, u16)>, prompt: &str) -> (Session, String) {
    running(sim, pod).await;
    let mut s = attach(sim, pod, true).await;
    if let Some((width, height)) = size {
        s.resize(width, height).await;
    }
    let out = s.eval("\r", prompt).await;
    (s, out)
}

/// A simulator with the session pod `name` running `program ARGS`, its shell let go to its
/// first prompt.
async fn session(name: &str, program: &str, args: &[&str], prompt: &str) -> (Sim, Session) {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(&sim, session_pod(name, program, args));
    // pyspark's test reads the size a new terminal has: nobody sets it.
    let size = (program != "pyspark").then_some((80, 24));
    let (s, _) = go(&sim, name, size, prompt).await;
    (sim, s)
}

/// Types `keys` and reads to the end of the session: its last output and the pod's exit code.
async fn end(sim: &Sim, mut s: Session, pod: &str, keys: &str) -> (String, i64) {
    s.stdin(keys).await;
    let (out, _, status) = s.finish().await;
    // An attach's Status is Success whatever the container's end: that is the pod's.
    assert_eq!(status, json!({"metadata": {}, "status": "Success"}));
    (out, exit_code(sim, pod).await)
}

async fn exit_code(sim: &Sim, pod: &str) -> i64 {
    let p = wait_pod(sim, pod, |p| matches!(phase(p), "Succeeded" | "Failed")).await;
    p.pointer("/status/containerStatuses/0/state/terminated/exitCode")
        .and_then(Value::as_i64)
        .unwrap()
}

async fn running(sim: &Sim, pod: &str) {
    wait_pod(sim, pod, |p| phase(p) == "Running").await;
}

/// The launcher's gate: `read -r go` waits for the go line (a CR, which the terminal turns into
/// LF and echoes), then `exec "$0" "$@"` runs spark-shell with every argument as given, spaces
/// and all ("Spark shell" stays one word: its executors are named after it); the banner, an
/// evaluation and Ctrl-D (`:quit`, exit 0) all reach the attached terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_gate_starts_spark_shell_once_attached() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let args = [
        "--master",
        MASTER,
        "--name",
        "Spark shell",
        "--conf",
        "spark.executor.instances=1",
    ];
    create(&sim, session_pod("sess", "spark-shell", &args));
    running(&sim, "sess").await;
    // Blocked in `read`: nothing of Spark's has run.
    assert_eq!(log(&sim, "sess", "spark"), "");
    // Nobody has set the terminal's size: JLine 3 squeezes its prompt into no columns, and
    // redraws it when the size comes.
    let (mut s, out) = go(&sim, "sess", None, ">....").await;
    s.resize(120, 40).await;
    // (JLine writes `\r\x1b[J\r\r\n`: the terminal's CR LF for the prompt's LF after JLine's
    // own CR; kubesim's output has one CR less, the same on screen.)
    s.until("\r\x1b[J\r\nscala> ").await;
    assert!(
        out.starts_with("\r\n"),
        "the go line's echo comes first: {out:?}"
    );
    for want in [
        "   /___/ .__/\\_,_/_/ /_/\\_\\   version 4.3.0\r\n",
        "Spark context available as 'sc' (master = k8s://https://kubernetes.default.svc, app id = ",
        "Spark session available as 'spark'.\r\n>....",
    ] {
        assert!(out.contains(want), "{want:?} in {out:?}");
    }
    let execs = common::executors(&sim);
    assert_eq!(execs.len(), 1);
    let exec_name = execs[0]["metadata"]["name"].as_str().unwrap();
    assert!(exec_name.starts_with("spark-shell-"), "{exec_name}");
    let out = s.eval("1 + 1\r", "scala> ").await;
    assert!(out.contains("1 + 1\r\nval res0: Int = 2\r\n"), "{out:?}");
    let ended = end(&sim, s, "sess", "\u{4}").await;
    assert_eq!(ended, ("\r\n:quit\r\n".to_string(), 0));
}

/// The resize channel sets the terminal's size (a new one is 0 × 0): readline redraws its line
/// on the SIGWINCH, `os.get_terminal_size()` reports the size. Ctrl-C at the prompt is
/// pyspark's `KeyboardInterrupt` from the SparkContext's handler; during `time.sleep` it
/// interrupts the statement; the session goes on, and exits 130 when its last statement was
/// interrupted (CPython's `exit_sigint`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyspark_takes_the_terminal_size_and_ctrl_c() {
    let (sim, mut s) = session("py", "pyspark", &["--master", MASTER], ">>> ").await;
    let out = s.eval("os.get_terminal_size()\r", ">>> ").await;
    assert!(
        out.contains("os.terminal_size(columns=0, lines=0)\r\n"),
        "{out:?}"
    );
    s.resize(100, 30).await;
    s.until("\r\x1b[K\r>>> ").await;
    let out = s.eval("os.get_terminal_size()\r", ">>> ").await;
    assert!(
        out.contains("os.terminal_size(columns=100, lines=30)\r\n"),
        "{out:?}"
    );

    let handler = "Traceback (most recent call last):\r\n  File \"/opt/spark/python/pyspark/core/context.py\", line 409, in signal_handler\r\n    raise KeyboardInterrupt()\r\nKeyboardInterrupt\r\n>>> ";
    let out = s.eval("abc\u{3}", "KeyboardInterrupt\r\n>>> ").await;
    assert_eq!(out, format!("abc\r\n{handler}"));
    s.stdin("6 * 7\r").await;
    assert!(s.until(">>> ").await.contains("42\r\n"));
    s.eval("import time\r", ">>> ").await;
    s.stdin("time.sleep(600)\r").await;
    let out = s.eval("\u{3}", "KeyboardInterrupt\r\n>>> ").await;
    assert_eq!(
        out,
        format!(
            "time.sleep(600)\r\n^CTraceback (most recent call last):\r\n  File \"<stdin>\", line 1, in <module>\r\n  File \"/opt/spark/python/pyspark/core/context.py\", line 409, in signal_handler\r\n    raise KeyboardInterrupt()\r\nKeyboardInterrupt\r\n>>> "
        )
    );
    assert_eq!(end(&sim, s, "py", "\u{4}").await, ("\r\n".to_string(), 130));
}

/// spark-shell 4.3.0 ends on Ctrl-C: at the prompt JLine's interrupt is the REPL's end of input
/// (`:quit`), during a statement the JVM dies of SIGINT; `bin/spark-shell`'s INT trap then
/// exits 127.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_ends_spark_shell_as_bin_spark_shell_does() {
    let (sim, s) = session("prompt", "spark-shell", &[], "scala> ").await;
    let ended = end(&sim, s, "prompt", "\u{3}").await;
    assert_eq!(ended, ("\r\n:quit\r\n".to_string(), 127));

    let (sim, mut s) = session("statement", "spark-shell", &[], "scala> ").await;
    s.stdin("spark.range(1000000000000L).count()\r").await;
    let ended = end(&sim, s, "statement", "\u{3}").await;
    assert_eq!(
        ended,
        ("spark.range(1000000000000L).count()\r\n^C".to_string(), 127)
    );
}

/// spark-sql's `processLine` handler cancels the running job on Ctrl-C and the prompt comes
/// back; the prompt shows the database `USE` chose; Ctrl-C at the prompt is the JVM's: 130.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_sql_cancels_a_statement_on_ctrl_c() {
    let (sim, mut s) = session(
        "sql",
        "spark-sql",
        &["--master", MASTER],
        "spark-sql (default)> ",
    )
    .await;
    s.stdin("SELECT count(*) FROM range(100000000000);\r").await;
    let out = s.eval("\u{3}", "spark-sql (default)> ").await;
    assert!(
        out.starts_with("SELECT count(*) FROM range(100000000000);\r\nInterrupting... Be patient, this might take some time.\r\nPress Ctrl+C again to kill JVM\r\n[SPARK_JOB_CANCELLED] Job 1 cancelled as part of cancellation of all jobs SQLSTATE: XXKDA\r\norg.apache.spark.SparkException: [SPARK_JOB_CANCELLED] Job 1 cancelled"),
        "{out:?}"
    );
    s.stdin("CREATE DATABASE sales;\r").await;
    s.until("spark-sql (default)> ").await;
    s.stdin("USE sales;\r").await;
    s.until("spark-sql (sales)> ").await;
    s.eval("SELECT 1,\r", "                 > ").await;
    s.stdin("2;\r").await;
    let out = s.until("spark-sql (sales)> ").await;
    assert!(
        out.contains("1\t2\r\nTime taken: 0.05 seconds, Fetched 1 row(s)\r\n"),
        "{out:?}"
    );
    assert_eq!(end(&sim, s, "sql", "\u{3}").await, (String::new(), 130));
}

/// The client's end of stdin (v5's `[255, 0]`, or its close) reaches the container only with
/// `stdinOnce`; without it the program keeps reading, and a new attach goes on writing to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_ends_only_with_stdin_once() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    for (name, once) in [("keep", false), ("once", true)] {
        create(
            &sim,
            json!({"metadata": {"name": name}, "spec": {"restartPolicy": "Never", "containers": [
                {"name": "spark", "image": "busybox:1.36", "command": ["sh", "-c", "cat"],
                 "stdin": true, "stdinOnce": once}]}}),
        );
    }
    running(&sim, "keep").await;
    let mut s = attach(&sim, "keep", false).await;
    s.eval("a\n", "a\n").await;
    s.send(0x2, &[255, 0]).await;
    s.eval("b\n", "b\n").await;
    s.send(0x8, &1000u16.to_be_bytes()).await;
    drop(s);
    let mut s = attach(&sim, "keep", false).await;
    s.eval("c\n", "c\n").await;
    assert_eq!(phase(&wait_pod(&sim, "keep", |_| true).await), "Running");

    running(&sim, "once").await;
    let mut s = attach(&sim, "once", false).await;
    s.eval("a\n", "a\n").await;
    s.send(0x2, &[255, 0]).await;
    let (_, _, status) = s.finish().await;
    assert_eq!(status["status"], "Success");
    assert_eq!(exit_code(&sim, "once").await, 0);
}

/// An exec with a terminal has its own: `stty size` reports what the resize channel set, and
/// Ctrl-C kills the process (130), the terminal echoing `^C`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_terminals_take_resizes_and_ctrl_c() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    create(
        &sim,
        json!({"metadata": {"name": "box"}, "spec": {"restartPolicy": "Never", "containers": [
            {"name": "spark", "image": "busybox:1.36", "command": ["sleep-forever"]}]}}),
    );
    running(&sim, "box").await;
    let path = "/api/v1/namespaces/default/pods/box/exec?container=spark&stdin=true&stdout=true&tty=true&command=sh&command=-c&command=read+-r+x+%26%26+stty+size+%26%26+sleep+600";
    let (mut s, _) = upgraded(&sim, path, "v5.channel.k8s.io").await;
    assert_eq!(s.next().await, Some((0x2, vec![1])));
    s.resize(132, 43).await;
    s.eval("\r", "43 132\r\n").await;
    s.stdin("\u{3}").await;
    let (out, _, status) = s.finish().await;
    assert_eq!(out, "^C");
    assert_eq!(status["details"]["causes"][0]["message"], "130");
}

/// spark-sql's options and exit codes as `SparkSQLCLIDriver.main` has them: `-e` (1 on a failed
/// statement), `-f` (3 when the file is not there), `-i` before them, `--hivevar`
/// substitution, `-S` without the master line, `--database` of a missing schema, an unknown
/// option (1, with the usage) and `-e` with `-f` (2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_sql_options_and_exit_codes() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let files = [
        ("init.sql", "CREATE DATABASE sales;\n"),
        (
            "q.sql",
            "-- the report\nUSE sales;\nSELECT ${hivevar:x}, 'b';\n",
        ),
    ];
    let dir = "/opt/spark-k8scli/files";
    let init = format!("{dir}/init.sql");
    let q = format!("{dir}/q.sql");
    let cases: [(&str, Vec<&str>, i64); 6] = [
        (
            "e",
            vec!["-e", "SELECT 1 + 1, 'a'; SELECT nope; SELECT 3"],
            1,
        ),
        ("f-missing", vec!["-f", "q.sql"], 3),
        (
            "files",
            vec!["-S", "--hivevar", "x=7", "-i", &init, "-f", &q],
            0,
        ),
        ("db", vec!["--database", "nodb", "-e", "SELECT 1"], 1),
        ("bogus", vec!["--bogus", "-e", "SELECT 1"], 1),
        ("both", vec!["-e", "SELECT 1", "-f", &q], 2),
    ];
    for (name, args, _) in &cases {
        plain_pod(
            &sim,
            name,
            "spark-sql",
            args,
            if *name == "files" { &files } else { &[] },
        );
    }
    for (name, _, code) in &cases {
        assert_eq!(exit_code(&sim, name).await, *code, "{name}");
    }
    let e = log(&sim, "e", "spark");
    assert!(
        e.contains("Spark master: local[*], Application Id: "),
        "{e}"
    );
    assert!(e.contains("2\ta\nTime taken: 0.05 seconds, Fetched 1 row(s)\n[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved."), "{e}");
    assert!(!e.contains("\n3\n"), "the first failure ends -e: {e}");
    let missing = log(&sim, "f-missing", "spark");
    assert!(
        missing.contains(" ERROR SparkSQLCLIDriver: Could not open input file for reading. (File file:/opt/spark/work-dir/q.sql does not exist)\n"),
        "{missing}"
    );
    let files_log = log(&sim, "files", "spark");
    assert!(files_log.contains("7\tb\n"), "{files_log}");
    assert!(!files_log.contains("Spark master"), "{files_log}");
    assert!(
        log(&sim, "db", "spark").contains("Exception in thread \"main\" org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException: [SCHEMA_NOT_FOUND] The schema `spark_catalog`.`nodb` cannot be found.")
    );
    let bogus = log(&sim, "bogus", "spark");
    assert!(
        bogus.starts_with("Unrecognized option: --bogus\nusage: hive\n"),
        "{bogus}"
    );
    assert!(
        log(&sim, "both", "spark")
            .starts_with("The '-e' and '-f' options cannot be specified simultaneously\n")
    );
}

/// spark-shell's `-i FILE` runs before the first prompt with its output off (its result still
/// takes `res0`), and pyspark without a terminal is Python reading a script: no banner, no
/// `spark`, only what `print` prints, exit 1 at the first exception.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripts_given_to_spark_shell_and_to_pyspark_without_a_terminal() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    plain_pod(
        &sim,
        "scala",
        "spark-shell",
        &["-i", "/opt/spark-k8scli/files/init.scala"],
        &[("init.scala", "val x = 21\nx * 2\n")],
    );
    plain_pod(&sim, "py", "pyspark", &["--master", MASTER], &[]);
    for (pod, input) in [
        ("scala", "x + 1\n"),
        (
            "py",
            "6 * 7\nprint(6 * 7)\nprint(spark.version)\nprint(1)\n",
        ),
    ] {
        running(&sim, pod).await;
        let mut s = attach(&sim, pod, false).await;
        s.stdin(input).await;
        s.send(0x2, &[255, 0]).await;
        s.finish().await;
    }
    assert_eq!(exit_code(&sim, "scala").await, 0);
    let scala = log(&sim, "scala", "spark");
    assert!(scala.contains("\nscala> val res1: Int = 22\n"), "{scala}");
    assert!(!scala.contains("val x: Int = 21"), "{scala}");
    assert_eq!(exit_code(&sim, "py").await, 1);
    assert_eq!(
        log(&sim, "py", "spark"),
        "42\nTraceback (most recent call last):\n  File \"<stdin>\", line 3, in <module>\nNameError: name 'spark' is not defined\n"
    );
}
