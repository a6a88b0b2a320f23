//! The usage texts: Spark's own, byte for byte, and the launcher's section after it.

/// Spark 4.x `spark-submit --help`, from the "Options:" line on (the first lines are per command).
pub const SPARK_OPTIONS: &str = r#"Options:
  --master MASTER_URL         k8s://https://host:port, k8s://fleet or k8s://fleet/NAME
                              (Kubernetes only: spark://, yarn and local are refused).
                              Default: the fleet when one is configured, else the
                              kubeconfig's current context.
  --deploy-mode DEPLOY_MODE   Whether to launch the driver program locally ("client") or
                              on one of the worker machines inside the cluster ("cluster")
                              (Default: client).
  --class CLASS_NAME          Your application's main class (for Java / Scala apps).
  --name NAME                 A name of your application.
  --jars JARS                 Comma-separated list of jars to include on the driver
                              and executor classpaths.
  --packages                  Comma-separated list of maven coordinates of jars to include
                              on the driver and executor classpaths. Will search the local
                              maven repo, then maven central and any additional remote
                              repositories given by --repositories. The format for the
                              coordinates should be groupId:artifactId:version.
  --exclude-packages          Comma-separated list of groupId:artifactId, to exclude while
                              resolving the dependencies provided in --packages to avoid
                              dependency conflicts.
  --repositories              Comma-separated list of additional remote repositories to
                              search for the maven coordinates given with --packages.
  --py-files PY_FILES         Comma-separated list of .zip, .egg, or .py files to place
                              on the PYTHONPATH for Python apps.
  --files FILES               Comma-separated list of files to be placed in the working
                              directory of each executor. File paths of these files
                              in executors can be accessed via SparkFiles.get(fileName).
  --archives ARCHIVES         Comma-separated list of archives to be extracted into the
                              working directory of each executor.

  --conf, -c PROP=VALUE       Arbitrary Spark configuration property.
  --properties-file FILE      Path to a file from which to load extra properties. If not
                              specified, this will look for conf/spark-defaults.conf.
  --load-spark-defaults       Whether to load properties from conf/spark-defaults.conf,
                              even if --properties-file is specified. Configurations
                              specified in --properties-file will take precedence over
                              those in conf/spark-defaults.conf.

  --driver-memory MEM         Memory for driver (e.g. 1000M, 2G) (Default: 1024M).
  --driver-java-options       Extra Java options to pass to the driver.
  --driver-library-path       Extra library path entries to pass to the driver.
  --driver-class-path         Extra class path entries to pass to the driver. Note that
                              jars added with --jars are automatically included in the
                              classpath.

  --executor-memory MEM       Memory per executor (e.g. 1000M, 2G) (Default: 1G).

  --proxy-user NAME           User to impersonate when submitting the application.
                              This argument does not work with --principal / --keytab.

  --help, -h                  Show this help message and exit.
  --verbose, -v               Print additional debug output.
  --version,                  Print the version of current Spark.

 Spark Connect only:
   --remote CONNECT_URL       URL to connect to the server for Spark Connect, e.g.,
                              sc://host:port. --master and --deploy-mode cannot be set
                              together with this option.

 Cluster deploy mode only:
  --driver-cores NUM          Number of cores used by the driver, only in cluster mode
                              (Default: 1).

 Spark standalone with cluster deploy mode only:
  --supervise                 If given, restarts the driver on failure.

 Spark standalone or K8s with cluster deploy mode only:
  --kill SUBMISSION_ID        If given, kills the driver specified.
  --status SUBMISSION_ID      If given, requests the status of the driver specified.

 Spark standalone only:
  --total-executor-cores NUM  Total cores for all executors.

 Spark standalone, YARN and Kubernetes only:
  --executor-cores NUM        Number of cores used by each executor. (Default: 1 in
                              YARN and K8S modes, or all available cores on the worker
                              in standalone mode).

 Spark on YARN and Kubernetes only:
  --num-executors NUM         Number of executors to launch (Default: 2).
                              If dynamic allocation is enabled, the initial number of
                              executors will be at least NUM.
  --principal PRINCIPAL       Principal to be used to login to KDC.
  --keytab KEYTAB             The full path to the file that contains the keytab for the
                              principal specified above.

 Spark on YARN only:
  --queue QUEUE_NAME          The YARN queue to submit to (Default: "default").
      "#;

/// The first lines of the usage text for each Spark command (what `_SPARK_CMD_USAGE` would hold).
pub fn command_usage(command: super::SparkCommand, program: &str) -> String {
    use super::SparkCommand::*;
    match command {
        Submit => format!(
            "Usage: {program} [options] <app jar | python file | R file> [app arguments]\n\
             Usage: {program} --kill [submission ID] --master [k8s://...]\n\
             Usage: {program} --status [submission ID] --master [k8s://...]\n\
             Usage: {program} run-example [options] example-class [example args]"
        ),
        Shell => format!(
            "Usage: {program} [options]\n\n\
             Scala REPL options:\n  -I <file>                   preload <file>, enforcing line-by-line interpretation"
        ),
        PySpark => format!("Usage: {program} [options]"),
        Sql => format!("Usage: {program} [options] [cli option]"),
    }
}

/// The launcher's own section, appended after Spark's options.
pub fn launcher_options() -> String {
    let mut out = String::from("\n spark-k8s-cli:\n");
    for f in super::flags::FLAGS
        .iter()
        .filter(|f| f.origin == super::flags::Origin::Launcher)
    {
        let label = if f.metavar.is_empty() {
            f.long.to_string()
        } else {
            format!("{} {}", f.long, f.metavar)
        };
        out.push_str(&format!("  {label:<28}{}\n", capitalise(f.doc)));
    }
    out.push_str(&format!(
        "  {:<28}{}\n",
        "--queue QUEUE_NAME", "Names the launcher queue the job waits in (Default: \"default\")."
    ));
    out.push_str(&format!(
        "  {:<28}{}\n",
        "--conf spark.k8scli.NAME=V", "Any launcher setting; `spark-k8s-cli settings` lists them."
    ));
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

/// The full usage text for `command`, as Spark prints it, with the launcher's section appended.
pub fn usage(command: super::SparkCommand, program: &str) -> String {
    format!(
        "{}\n\n{}\n{}",
        command_usage(command, program),
        SPARK_OPTIONS,
        launcher_options()
    )
}
