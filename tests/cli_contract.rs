//! The binary's contract, run as a whole process: streams, exit codes, multi-call names, and that
//! bad input reaches no server (a listener stands where the cluster would be and must see no
//! connection).

mod common;

use std::io::ErrorKind;
use std::net::TcpListener;
use std::process::Output;

use common::home::{BIN, Home, text};

/// A trap where the cluster would be, and a sandbox whose kubeconfig points at it.
struct Trap {
    listener: TcpListener,
    home: Home,
}

impl Trap {
    fn new(name: &str) -> Trap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let home = Home::new(name);
        let port = listener.local_addr().unwrap().port();
        home.write(
            "kubeconfig",
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: trap\n  cluster:\n    server: http://127.0.0.1:{port}\n\
                 users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: trap\n  context:\n    cluster: trap\n    user: u\n\
                 current-context: trap\n"
            ),
        );
        Trap { listener, home }
    }

    fn master(&self) -> String {
        format!(
            "k8s://http://127.0.0.1:{}",
            self.listener.local_addr().unwrap().port()
        )
    }

    fn run(&self, args: &[&str]) -> Output {
        self.home.cli(args).output().unwrap()
    }

    fn assert_untouched(&self) {
        match self.listener.accept() {
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Ok(_) => panic!("the process connected to the cluster"),
            Err(e) => panic!("accept: {e}"),
        }
    }
}

#[test]
fn bad_input_fails_with_sparks_exit_code_and_touches_nothing() {
    let trap = Trap::new("bad");
    trap.home.write("bad.yaml", "queue: [unclosed\n");
    trap.home.write("typo.yaml", "submitImg: x\n");
    let m = trap.master();
    let img = "--conf=spark.kubernetes.container.image=apache/spark:4.0.0";
    // Each case a command line (words split at spaces).
    let cases: Vec<(String, i32, &str)> = vec![
        (
            format!("--master {m} --foo x.jar"),
            1,
            "Error: Unrecognized option: --foo\n\nUsage: spark-k8s-cli",
        ),
        (
            format!("--master {m} --class"),
            1,
            "Error: Missing argument for option '--class'.",
        ),
        (
            format!("--master {m} --deploy-mode cluster"),
            1,
            "Error: Missing application resource.",
        ),
        (
            format!("--master {m} --deploy-mode cluster {img} local:///a.jar"),
            1,
            "Please specify one with --class.",
        ),
        (
            format!("--master {m} --conf spark.a x.jar"),
            1,
            "Error: Invalid argument to --conf: spark.a",
        ),
        (
            format!("--master {m} --executor-memory 4q {img} --class A local:///a.jar"),
            1,
            "Executor memory must be a positive number (got '4q')",
        ),
        (
            format!("--master {m} --driver-cores 0.5 {img} --class A local:///a.jar"),
            1,
            "Driver cores must be a positive number (got '0.5')",
        ),
        (
            format!("--master {m} --num-executors 0 {img} --class A local:///a.jar"),
            1,
            "Number of executors must be a positive number",
        ),
        (
            format!("--master {m} --num-executors -1 {img} --class A local:///a.jar"),
            1,
            "Number of executors must be a positive number",
        ),
        (
            format!("--master {m} --properties-file /nonexistent/x.conf --class A local:///a.jar"),
            1,
            "Properties file /nonexistent/x.conf cannot be read",
        ),
        (
            format!("--master {m} --launcher-config /nonexistent/c.yaml --class A local:///a.jar"),
            1,
            "Launcher config /nonexistent/c.yaml cannot be read",
        ),
        (
            format!("--master {m} --launcher-config bad.yaml --class A local:///a.jar"),
            1,
            "is not valid YAML",
        ),
        (
            format!("--master {m} --launcher-config typo.yaml --class A local:///a.jar"),
            1,
            "Did you mean 'submitImage'?",
        ),
        (
            format!("--master {m} --conf spark.k8scli.submitImagee=x --class A local:///a.jar"),
            1,
            "Did you mean 'submitImage'?",
        ),
        (
            format!(
                "--master {m} --conf spark.kubernetes.namespace=a --conf spark.k8scli.namespace=b --class A local:///a.jar"
            ),
            1,
            "Conflicting namespaces",
        ),
        (
            format!("--master {m} --proxy-user a --principal b --class A local:///a.jar"),
            1,
            "Only one of --proxy-user or --principal",
        ),
        (
            "--master yarn --class A local:///a.jar".into(),
            1,
            "Master must be a Kubernetes API server",
        ),
        (
            format!("--master {m} --deploy-mode cluster {img} --class A /home/me/app.jar"),
            1,
            "Local file(s) not found: /home/me/app.jar (the primary resource)",
        ),
        (
            format!("--master {m} --deploy-mode cluster --class A local:///a.jar"),
            1,
            "No image for the submit pod",
        ),
        ("".into(), 255, "Commands:"),
        (
            "submit".into(),
            255,
            "Usage: spark-k8s-cli submit [options]",
        ),
        ("sumbit".into(), 1, "Did you mean 'submit'?"),
    ];
    for (line, code, needle) in cases {
        let args: Vec<&str> = line.split_whitespace().collect();
        // Each case once as a dry run and once as a real submission: neither may connect.
        for dry in [false, true] {
            let mut a = args.clone();
            if dry && !a.is_empty() && a[0].starts_with('-') {
                a.insert(0, "--dry-run");
            }
            let out = trap.run(&a);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{a:?}\n{err}");
            assert!(err.contains(needle), "{a:?}: wanted {needle:?} in\n{err}");
            assert!(out.stdout.is_empty(), "{a:?}: stdout {}", text(&out.stdout));
            trap.assert_untouched();
        }
    }
}

#[test]
fn help_version_and_streams() {
    let trap = Trap::new("help");
    let out = trap.run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Commands:\n  submit"));
    let out = trap.run(&["submit", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.starts_with(
        "Usage: spark-k8s-cli submit [options] <app jar | python file | R file> [app arguments]\n"
    ));
    let out = trap.run(&["--master", "k8s://h:1", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).starts_with("Usage: spark-k8s-cli [options] <app jar"));
    assert!(err.contains("\nOptions:\n  --master MASTER_URL "));
    assert!(err.contains("--dry-run"));
    let out = trap.run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains(concat!("version ", env!("CARGO_PKG_VERSION"))));
    assert!(out.stdout.is_empty());
    trap.assert_untouched();
}

#[test]
fn multi_call_names_behave_as_spark_commands() {
    let trap = Trap::new("multi");
    for name in ["spark-submit", "spark-shell", "pyspark", "spark-sql"] {
        let link = trap.home.dir.join(name);
        std::os::unix::fs::symlink(BIN, &link).unwrap();
        let out = trap.home.command(&link).arg("--help").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}");
        let err = text(&out.stderr);
        assert!(err.starts_with(&format!("Usage: {name} ")), "{name}: {err}");
    }
    // spark-submit with no arguments: usage, 255.
    let out = trap
        .home
        .command(trap.home.dir.join("spark-submit"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(text(&out.stderr).starts_with("Usage: spark-submit [options]"));
    // pyspark given a script: Spark's message, 255.
    let out = trap
        .home
        .command(trap.home.dir.join("pyspark"))
        .arg("job.py")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(
        text(&out.stderr)
            .contains("Running python applications through 'pyspark' is not supported")
    );
    // The shell as a dry run: a session pod running bin/spark-shell.
    let out = trap
        .home
        .command(trap.home.dir.join("spark-shell"))
        .args([
            "--dry-run",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("- /opt/spark/bin/spark-shell\n"));
    trap.assert_untouched();
}

#[test]
fn dry_run_prints_a_pod_on_stdout_and_the_plan_on_stderr() {
    let trap = Trap::new("dry");
    let out = trap
        .home
        .spark_pi()
        .dry_run()
        .master("k8s://https://example:6443")
        .conf("spark.hadoop.fs.s3a.secret.key=hunter2-secret")
        .job("pi-job")
        .app_args(&["100"])
        .command()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    let err = text(&out.stderr);
    assert!(
        !yaml.contains("hunter2") && !err.contains("hunter2"),
        "secret leaked"
    );
    let docs: Vec<&str> = yaml.split("\n---\n").collect();
    assert_eq!(docs.len(), 2, "{yaml}");
    let secret: k8s_openapi::api::core::v1::Secret = serde_saphyr::from_str(docs[0]).unwrap();
    assert_eq!(secret.metadata.name.as_deref(), Some("pi-job-conf"));
    let pod: k8s_openapi::api::core::v1::Pod = serde_saphyr::from_str(docs[1]).unwrap();
    assert_eq!(pod.metadata.name.as_deref(), Some("pi-job-submit"));
    let cmd = pod.spec.unwrap().containers[0].command.clone().unwrap();
    assert!(cmd.contains(&"spark.kubernetes.driver.pod.name=pi-job-driver".to_string()));
    assert_eq!(cmd.last().map(String::as_str), Some("100"));
    for needle in [
        "job id          pi-job",
        "driver pod      pi-job-driver",
        "1408Mi",
        "total",
    ] {
        assert!(err.contains(needle), "{needle} missing from\n{err}");
    }
    trap.assert_untouched();
}

#[test]
fn verbose_prints_sparks_shape_with_secrets_redacted() {
    let trap = Trap::new("verbose");
    trap.home
        .write("p.conf", "spark.db.password=from-file-pw\nspark.a=1\n");
    let out = trap.run(&[
        "--dry-run",
        "--verbose",
        "--properties-file",
        "p.conf",
        "--master",
        "k8s://https://example:6443",
        "--deploy-mode",
        "cluster",
        "--class",
        "A",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.0",
        "--conf",
        "spark.x=mytoken1",
        "--conf",
        "spark.k8scli.queue=etl",
        "local:///a.jar",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let all = format!("{err}{}", text(&out.stdout));
    assert!(
        !all.contains("from-file-pw") && !all.contains("mytoken1"),
        "secret leaked:\n{all}"
    );
    for needle in [
        "Using properties file: p.conf\n",
        "Adding default property: spark.db.password=*********(redacted)\n",
        "Parsed arguments:\n  master                  k8s://https://example:6443\n",
        "  deployMode              cluster\n",
        "Spark properties used, including those specified through\n --conf and those from the properties files:\n",
        "  (spark.a,1)\n",
        "  (spark.x,*********(redacted))\n",
        "  queue                   etl (from spark.k8scli.queue)\n",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from\n{err}");
    }
}

/// A map setting's value that looks secret (a link with a token) is redacted in the launcher
/// settings `--verbose` prints, as a text setting's is.
#[test]
fn verbose_redacts_secret_values_of_map_settings() {
    let trap = Trap::new("verbose-map");
    let out = trap.run(&[
        "--dry-run",
        "--verbose",
        "--class",
        "A",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.0",
        "--conf",
        "spark.k8scli.alertLinks.grafana=https://g/d?token=linktoken9",
        "--conf",
        "spark.k8scli.submitNodeSelector.disktype=ssd",
        "local:///a.jar",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stderr), text(&out.stdout));
    assert!(!all.contains("linktoken9"), "secret leaked:\n{all}");
    assert!(all.contains("grafana=*********(redacted)"), "{all}");
    assert!(all.contains("disktype=ssd"), "{all}");
}

#[test]
fn broken_pipe_on_stdout_is_not_an_error() {
    let trap = Trap::new("pipe");
    let mut child = trap
        .home
        .cli(&[
            "--dry-run",
            "--class",
            "A",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
            "local:///a.jar",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// `spark.k8scli.backend=operator`: a dry run prints the SparkApplication (secret values
/// redacted); without `--dry-run` the job is refused before anything is created, as the
/// backend cannot submit yet (docs/operator.md).
#[test]
fn the_operator_backend_dry_runs_a_spark_application_and_refuses_the_rest() {
    let trap = Trap::new("operator");
    let job = || {
        trap.home
            .spark_pi()
            .master(trap.master())
            .conf("spark.k8scli.backend=operator")
            .conf("spark.hadoop.fs.s3a.secret.key=hunter2-op")
            .job("op-job")
            .app_args(&["100"])
    };
    let out = job().dry_run().command().output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (yaml, err) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !yaml.contains("hunter2") && !err.contains("hunter2"),
        "secret leaked"
    );
    let app: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(app["apiVersion"], "sparkoperator.k8s.io/v1beta2");
    assert_eq!(app["kind"], "SparkApplication");
    assert_eq!(app["metadata"]["name"], "op-job");
    assert_eq!(app["spec"]["arguments"], serde_json::json!(["100"]));
    assert_eq!(app["spec"]["mode"], "cluster");
    assert!(err.contains("nothing was created"), "{err}");
    let out = job().command().output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("can only dry-run so far"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    trap.assert_untouched();
}
