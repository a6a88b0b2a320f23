//! Precedence and validation, with files and env injected.

use super::*;
use crate::parse::{SparkCommand, parse};
use std::collections::BTreeMap;

struct Mem(BTreeMap<String, String>);

impl Files for Mem {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| "not found".into())
    }
    fn is_file(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
}

fn resolve_with(
    argv: &[&str],
    env: &[(&str, &str)],
    files: &[(&str, &str)],
) -> Result<Settings, ResolveError> {
    resolve_as(SparkCommand::Submit, argv, env, files)
}

fn resolve_as(
    command: SparkCommand,
    argv: &[&str],
    env: &[(&str, &str)],
    files: &[(&str, &str)],
) -> Result<Settings, ResolveError> {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    let args = parse(command, &argv).expect("parses");
    let env: Env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let files = Mem(files
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect());
    resolve(command, &args, &env, &files)
}

const JOB: &[&str] = &["--class", "a.B", "local:///x.jar"];

fn with_job<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = extra.to_vec();
    v.extend_from_slice(JOB);
    v
}

/// The job with one `--conf`, no env and no files.
fn with_conf(conf: &str) -> Result<Settings, ResolveError> {
    resolve_with(&with_job(&["--conf", conf]), &[], &[])
}

#[test]
fn launcher_precedence_flag_property_env_file() {
    let files = [("/c.yaml", "queue: yaml\n")];
    let env = [("SPARK_K8S_CLI_QUEUE", "env")];
    let s = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("yaml"));
    let s = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &env, &files).unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("env"));
    let s = resolve_with(
        &with_job(&[
            "--launcher-config",
            "/c.yaml",
            "--conf",
            "spark.k8scli.queue=prop",
        ]),
        &env,
        &files,
    )
    .unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("prop"));
    let s = resolve_with(
        &with_job(&["--conf", "spark.k8scli.queue=prop", "--queue", "flag"]),
        &env,
        &files,
    )
    .unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("flag"));
    assert_eq!(s.launcher["queue"].source, Source::Flag("--queue"));
}

#[test]
fn what_the_launcher_prints_is_typed_in_every_spelling() {
    use crate::report::{Format, Level, Voice};
    let s = resolve_with(JOB, &[], &[]).unwrap();
    assert_eq!(s.report().voice, Voice::default());
    assert_eq!(s.report().output, Format::Table);
    let files = [("/c.yaml", "logLevel: warn\noutput: yaml\n")];
    let env = [("SPARK_K8S_CLI_LOG_FORMAT", "json")];
    let s = resolve_with(
        &with_job(&["--launcher-config", "/c.yaml", "--quiet", "-o", "json"]),
        &env,
        &files,
    )
    .unwrap();
    let r = s.report();
    assert_eq!(
        r.voice,
        Voice {
            quiet: true,
            level: Level::Warn,
            json: true
        }
    );
    assert_eq!(r.output, Format::Json, "the flag wins over the file");
    assert_eq!(s.launcher["output"].source, Source::Flag("--output"));
    let s = resolve_with(
        &with_job(&[
            "--conf",
            "spark.k8scli.logLevel=debug",
            "--log-level",
            "error",
        ]),
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(s.report().voice.level, Level::Error);
    for bad in [
        &["--log-level", "loud"][..],
        &["--log-format", "xml"],
        &["--output", "csv"],
        &["--conf", "spark.k8scli.quiet=yes"],
    ] {
        let e = resolve_with(&with_job(bad), &[], &[]).unwrap_err();
        assert!(e.message.contains("must be"), "{bad:?}: {e}");
    }
}

#[test]
fn launcher_settings_from_properties_files() {
    let files = [("/p.conf", "spark.k8scli.jobId=from-file\n")];
    let s = resolve_with(&with_job(&["--properties-file", "/p.conf"]), &[], &files).unwrap();
    assert_eq!(s.text("jobId").as_deref(), Some("from-file"));
    assert!(!s.spark_conf.contains_key("spark.k8scli.jobId"));
}

#[test]
fn config_file_location() {
    let files = [("/xdg/spark-k8s-cli/config.yaml", "queue: xdg\n")];
    let s = resolve_with(JOB, &[("XDG_CONFIG_HOME", "/xdg")], &files).unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("xdg"));
    let files = [("/home/u/.config/spark-k8s-cli/config.yaml", "queue: home\n")];
    let s = resolve_with(JOB, &[("HOME", "/home/u")], &files).unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("home"));
    // Absent default: fine. Named by env and absent: an error.
    assert!(resolve_with(JOB, &[("HOME", "/nowhere")], &[]).is_ok());
    let e = resolve_with(JOB, &[("SPARK_K8S_CLI_CONFIG", "/gone.yaml")], &[]).unwrap_err();
    assert!(e.message.contains("/gone.yaml"), "{e}");
}

#[test]
fn defaults_apply_when_unset() {
    let s = resolve_with(JOB, &[], &[]).unwrap();
    assert_eq!(s.text("queue").as_deref(), Some("default"));
    assert_eq!(s.text("submitMemory").as_deref(), Some("512Mi"));
    assert!(s.flag("deleteOnInterrupt"));
    assert!(!s.flag("dryRun"));
    assert_eq!(s.text("jobId"), None);
}

#[test]
fn map_and_list_settings_in_each_spelling() {
    let s = resolve_with(
        JOB,
        &[("SPARK_K8S_CLI_SUBMIT_NODE_SELECTOR", "a=1,b=2")],
        &[],
    )
    .unwrap();
    assert_eq!(s.map("submitNodeSelector").len(), 2);
    let e = resolve_with(JOB, &[("SPARK_K8S_CLI_SUBMIT_NODE_SELECTOR", "nokv")], &[]).unwrap_err();
    assert!(e.message.contains("'nokv' is not key=value"), "{e}");
    let files = [(
        "/c.yaml",
        "submitImagePullSecrets: [a, b]\nsubmitTolerations:\n- key: spot\n  operator: Exists\n",
    )];
    let s = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap();
    assert_eq!(
        s.list("submitImagePullSecrets"),
        Some(vec!["a".into(), "b".into()])
    );
    assert!(s.text("submitTolerations").unwrap().contains("spot"));
    let e = with_conf("spark.k8scli.submitNodeSelector=x").unwrap_err();
    assert!(e.message.contains("needs a key"), "{e}");
    let e = with_conf("spark.k8scli.submitTolerations=[{\"effect\":1}]").unwrap_err();
    assert!(e.message.contains("Toleration"), "{e}");
}

#[test]
fn yaml_shapes_are_checked() {
    let e = parse_launcher_config("/c", "- a\n- b\n").unwrap_err();
    assert!(e.message.contains("must be a YAML mapping"));
    let e = parse_launcher_config("/c", "submitNodeSelector: plain\n").unwrap_err();
    assert!(e.message.contains("must be a map"), "{e}");
    let c = parse_launcher_config("/c", "dryRun: true\nsubmitCpu: 2\n").unwrap();
    assert_eq!(c.fields["dryRun"], Raw::Text("true".into()));
    assert_eq!(c.fields["submitCpu"], Raw::Text("2".into()));
    assert!(parse_launcher_config("/c", "").unwrap().fields.is_empty());
}

#[test]
fn master_normalisation() {
    let mut w = Vec::new();
    assert_eq!(
        normalise_master("k8s://h:443", &mut w).unwrap(),
        "k8s://https://h:443"
    );
    assert_eq!(
        normalise_master("k8s://https://h", &mut w).unwrap(),
        "k8s://https://h"
    );
    assert_eq!(
        normalise_master("k8s://HTTPS://h", &mut w).unwrap(),
        "k8s://HTTPS://h"
    );
    assert!(w.is_empty());
    assert_eq!(
        normalise_master("k8s://http://h", &mut w).unwrap(),
        "k8s://http://h"
    );
    assert_eq!(w.len(), 1);
    assert!(normalise_master("k8s://", &mut w).is_err());
    assert!(normalise_master("local[*]", &mut w).is_err());
    assert!(normalise_master("spark://h:7077", &mut w).is_err());
    assert!(normalise_master("k8s://wss://h", &mut w).is_err());
}

#[test]
fn spark_conf_checks_name_the_key() {
    for (conf, needle) in [
        (
            "spark.kubernetes.memoryOverheadFactor=1.5",
            "spark.kubernetes.memoryOverheadFactor",
        ),
        (
            "spark.driver.memoryOverheadFactor=0",
            "spark.driver.memoryOverheadFactor",
        ),
        (
            "spark.dynamicAllocation.maxExecutors=-1",
            "spark.dynamicAllocation.maxExecutors",
        ),
        (
            "spark.kubernetes.container.image.pullPolicy=always",
            "pullPolicy",
        ),
        ("spark.memory.offHeap.size=big", "spark.memory.offHeap.size"),
        ("spark.redaction.regex=(", "spark.redaction.regex"),
    ] {
        let e = with_conf(conf).unwrap_err();
        assert!(e.message.contains(needle), "{conf}: {e}");
    }
}

#[test]
fn default_properties_file_rules() {
    let env = |p: &[(&str, &str)]| -> Env {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(default_properties_file(&env(&[])), None);
    assert_eq!(
        default_properties_file(&env(&[("SPARK_HOME", "/s/")])).as_deref(),
        Some("/s/conf/spark-defaults.conf")
    );
    assert_eq!(
        default_properties_file(&env(&[("SPARK_HOME", "/s"), ("SPARK_CONF_DIR", "/c")])).as_deref(),
        Some("/c/spark-defaults.conf")
    );
}

#[test]
fn verbose_provenance_is_recorded() {
    let files = [("/p.conf", "spark.a=1\nspark.token=abc\n")];
    let s = resolve_with(&with_job(&["--properties-file", "/p.conf"]), &[], &files).unwrap();
    assert_eq!(
        s.provenance,
        vec![
            Provenance::UsingPropertiesFile("/p.conf".into()),
            Provenance::AddingDefault("spark.a".into(), "1".into()),
            Provenance::AddingDefault("spark.token".into(), "abc".into()),
        ]
    );
}

#[test]
fn a_members_overrides_replace_the_config_but_not_the_job() {
    let files = [(
        "/c.yaml",
        "submitCpu: 500m\nsubmitMemory: 1Gi\nfleet:\n- name: a\n  overrides: {submitCpu: \"2\", submitMemory: 2Gi, submitImage: reg.a/spark:1}\n",
    )];
    let s = resolve_with(
        &with_job(&[
            "--launcher-config",
            "/c.yaml",
            "--conf",
            "spark.k8scli.submitMemory=3Gi",
        ]),
        &[],
        &files,
    )
    .unwrap();
    let fleet = crate::resolve::fleet::Fleet::parse(&s.text("fleet").unwrap()).unwrap();
    let on_a = s.for_member(&fleet.members[0]).unwrap();
    // The config's value and an unset one give way; the job's --conf does not.
    assert_eq!(on_a.text("submitCpu").as_deref(), Some("2"));
    assert_eq!(on_a.text("submitImage").as_deref(), Some("reg.a/spark:1"));
    assert_eq!(on_a.text("submitMemory").as_deref(), Some("3Gi"));
    // The typed groups follow the overrides.
    assert_eq!(on_a.submit_pod().cpu_m, 2000);
    assert_eq!(on_a.submit_pod().image.as_deref(), Some("reg.a/spark:1"));
    assert_eq!(on_a.submit_pod().memory_bytes, 3 << 30);
    assert_eq!(s.submit_pod().cpu_m, 500);
    assert_eq!(
        describe_source(&on_a.launcher["submitCpu"].source, "submitCpu"),
        "cluster a's overrides in the launcher config"
    );
    // A bad override is refused when the config is read, before anything runs.
    let files = [(
        "/c.yaml",
        "fleet:\n- name: a\n  overrides: {submitCpu: lots}\n",
    )];
    let e = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap_err();
    assert!(
        e.message.contains("'lots'") && e.message.contains("cluster a's overrides"),
        "{e}"
    );
}

#[test]
fn run_timeouts_by_job_queue_and_config() {
    use crate::follow::Limits;
    use std::time::Duration;
    let files = [(
        "/c.yaml",
        "runTimeout: 100\nqueueOverrides: {etl: {runTimeout: 50, queueTimeout: 9}}\nrunTimeoutAction: kill\nstartupTimeoutAction: alert\n",
    )];
    let limits = |extra: &[&str]| {
        let mut argv = vec!["--launcher-config", "/c.yaml"];
        argv.extend(extra);
        Limits::from_settings(&resolve_with(&with_job(&argv), &[], &files).unwrap())
    };
    // The config's default; the queue's own; the job's own, which wins.
    assert_eq!(limits(&[]).run, Some(Duration::from_secs(100)));
    assert_eq!(
        limits(&["--queue", "etl"]).run,
        Some(Duration::from_secs(50))
    );
    let own = limits(&["--queue", "etl", "--conf", "spark.k8scli.run.timeout=7"]);
    assert_eq!(own.run, Some(Duration::from_secs(7)));
    assert!(own.run_kill && own.startup_alert_only);
    assert_eq!(own.queue, "etl");
    let etl = resolve_with(
        &with_job(&["--launcher-config", "/c.yaml", "--queue", "etl"]),
        &[],
        &files,
    )
    .unwrap();
    assert_eq!(etl.text("queueTimeout").as_deref(), Some("9"));
    assert_eq!(
        describe_source(&etl.launcher["queueTimeout"].source, "queueTimeout"),
        "queue etl's queueOverrides in the launcher config"
    );
    assert_eq!(limits(&["--conf", "spark.k8scli.run.timeout=0"]).run, None);
    // Bad values are refused before anything runs.
    for (conf, why) in [
        (
            "spark.k8scli.run.timeoutAction=stop",
            "must be alert or kill",
        ),
        (
            r#"spark.k8scli.queueOverrides={"etl": {"runTimeout": "soon"}}"#,
            "'soon' is not a duration",
        ),
        (
            r#"spark.k8scli.queueOverrides={"etl": {"submitImage": "x"}}"#,
            "cannot be set per queue",
        ),
        ("spark.k8scli.run.timeout=-1", "'-1' is not a duration"),
    ] {
        let e = with_conf(conf).unwrap_err();
        assert!(e.message.contains(why), "{conf}: {e}");
    }
}

#[test]
fn durations_counts_and_maps_are_checked_in_every_spelling() {
    use crate::follow::Limits;
    use std::time::Duration;
    // Accepted with units, in all three spellings, and read back as plain seconds.
    let s = with_conf("spark.k8scli.queueTimeout=3s").unwrap();
    assert_eq!(s.text("queueTimeout").as_deref(), Some("3"));
    let s = with_conf("spark.k8scli.queue.timeout=10m").unwrap();
    assert_eq!(s.text("queueTimeout").as_deref(), Some("600"));
    let s = resolve_with(&with_job(&[]), &[("SPARK_K8S_CLI_RUN_TIMEOUT", "1h")], &[]).unwrap();
    assert_eq!(
        Limits::from_settings(&s).run,
        Some(Duration::from_secs(3600))
    );
    let files = [("/c.yaml", "startupTimeout: 2m\nqueueHeartbeat: 500ms\n")];
    let s = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap();
    assert_eq!(Limits::from_settings(&s).startup, Duration::from_secs(120));
    assert_eq!(s.text("queueHeartbeat").as_deref(), Some("0.5"));
    // Refused, naming the setting and where it came from.
    for (conf, why) in [
        ("spark.k8scli.queueTimeout=abc", "'abc' is not a duration"),
        ("spark.k8scli.startupTimeout=abc", "'abc' is not a duration"),
        ("spark.k8scli.startupTimeout=-5", "'-5' is not a duration"),
        ("spark.k8scli.startupTimeout=0", "must be above 0"),
        ("spark.k8scli.queueHeartbeat=0", "must be above 0"),
        ("spark.k8scli.queuePriority=high", "must be a whole number"),
        (
            "spark.k8scli.queueMaxRunning.default=one",
            "'one' for 'default'",
        ),
        (
            "spark.k8scli.queueMaxCores.etl=lots",
            "invalid CPU quantity",
        ),
        ("spark.k8scli.circuitFailures=1.5", "must be a whole number"),
    ] {
        let e = with_conf(conf).unwrap_err();
        let name = conf
            .trim_start_matches("spark.k8scli.")
            .split(['=', '.'])
            .next()
            .unwrap();
        assert!(e.message.contains(why), "{conf}: {e}");
        assert!(
            e.message.contains(&format!("launcher setting {name}")),
            "{conf}: {e}"
        );
    }
    let e = resolve_with(
        &with_job(&[]),
        &[("SPARK_K8S_CLI_QUEUE_TIMEOUT", "soon")],
        &[],
    )
    .unwrap_err();
    assert!(e.message.contains("SPARK_K8S_CLI_QUEUE_TIMEOUT"), "{e}");
    let files = [("/c.yaml", "queueMaxRunning: {etl: ten}\n")];
    let e = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap_err();
    assert!(e.message.contains("'ten' for 'etl'"), "{e}");
}

#[test]
fn sizes_too_large_say_so() {
    let e = resolve_with(&with_job(&["--driver-memory", "99999999999999g"]), &[], &[]).unwrap_err();
    assert!(
        e.message
            .contains("Driver memory '99999999999999g' is too large."),
        "{e}"
    );
    let e = resolve_with(&with_job(&["--driver-memory", "0"]), &[], &[]).unwrap_err();
    assert!(e.message.contains("must be a positive number"), "{e}");
}

#[test]
fn typed_groups_in_all_three_spellings() {
    use std::time::Duration;
    use typed::{RunTimeoutAction, TimeoutAction};
    let ten_minutes = Some(Duration::from_secs(600));
    let by_conf = resolve_with(
        &with_job(&[
            "--conf",
            "spark.k8scli.queueTimeout=10m",
            "--conf",
            "spark.k8scli.queue.timeoutAction=alert",
        ]),
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(by_conf.queue().timeout, ten_minutes);
    assert_eq!(by_conf.queue().timeout_action, TimeoutAction::Alert);
    let by_env = resolve_with(
        &with_job(&[]),
        &[
            ("SPARK_K8S_CLI_QUEUE_TIMEOUT", "10m"),
            ("SPARK_K8S_CLI_RUN_TIMEOUT_ACTION", "kill"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(by_env.queue().timeout, ten_minutes);
    assert_eq!(by_env.timeouts().run_action, RunTimeoutAction::Kill);
    let files = [(
        "/c.yaml",
        "queueTimeout: 10m\nqueueMaxRunning: {etl: 3}\nqueueMaxMemory: {etl: 1.5Gi}\nsubmitCpu: 0.5m\n",
    )];
    let by_file = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap();
    assert_eq!(by_file.queue().timeout, ten_minutes);
    assert_eq!(by_file.queue().max_running.get("etl"), Some(&3));
    assert_eq!(
        by_file.queue().max_memory_m.get("etl"),
        Some(&(1500i128 << 30))
    );
    // Below a milli rounds up, as the API server rounds it.
    assert_eq!(by_file.submit_pod().cpu_m, 1);
    // The defaults, typed.
    let plain = resolve_with(&with_job(&[]), &[], &[]).unwrap();
    assert_eq!(plain.queue().timeout, None);
    assert_eq!(plain.queue().name, "default");
    assert_eq!(plain.queue().heartbeat, Duration::from_secs(30));
    assert_eq!(plain.timeouts().startup, Duration::from_secs(300));
    assert_eq!(plain.timeouts().run, None);
    assert_eq!(plain.submit_pod().cpu_m, 500);
    assert_eq!(plain.submit_pod().memory_bytes, 512 << 20);
    assert!(plain.job().delete_on_interrupt);
    assert_eq!(
        plain.fleet().policy,
        crate::resolve::fleet::Policy::Weighted
    );
    // A choice outside its words is refused, naming them.
    let e = with_conf("spark.k8scli.queueTimeoutAction=wait").unwrap_err();
    assert!(e.message.contains("must be fail or alert"), "{e}");
}

#[test]
fn debug_hides_planted_secrets() {
    let sinks = r#"[{"name": "w", "type": "webhook", "url": "https://hooks.example.com/services/PLANTED1", "headers": {"Authorization": "Bearer PLANTED2"}, "secret": "PLANTED3"}]"#;
    let files = [
        ("/p.conf", "spark.my.password PLANTED4\n"),
        (
            "/c.yaml",
            "alertLinks: {grafana: 'https://g/d?token=PLANTED5'}\n",
        ),
    ];
    let s = resolve_with(
        &with_job(&[
            "--properties-file",
            "/p.conf",
            "--launcher-config",
            "/c.yaml",
            "--conf",
            "spark.hadoop.fs.s3a.secret.key=PLANTED6",
            "--conf",
            "spark.kubernetes.authenticate.submission.oauthToken=PLANTED7",
        ]),
        &[("SPARK_K8S_CLI_ALERT_SINKS", sinks)],
        &files,
    )
    .unwrap();
    let args = parse(
        SparkCommand::Submit,
        &[
            "--conf",
            "spark.hadoop.fs.s3a.access.key=PLANTED8",
            "--class",
            "a.B",
            "local:///x.jar",
            "--password",
            "PLANTED9",
        ]
        .map(String::from),
    )
    .unwrap();
    let shown = format!("{s:?}\n{:?}\n{args:?}\n{s:#?}", s.alerts());
    for n in 1..=9 {
        let planted = format!("PLANTED{n}");
        assert!(!shown.contains(&planted), "{planted} shown:\n{shown}");
    }
    // What is not secret still shows.
    assert!(shown.contains("hooks.example.com"), "{shown}");
    assert!(shown.contains("spark.hadoop.fs.s3a.secret.key"), "{shown}");
    assert!(shown.contains("a.B"), "{shown}");
}

#[test]
fn maps_and_lists_check_their_items_by_the_inner_kind() {
    let counts = registry::Setting {
        name: "someCounts",
        kind: Kind::List(&Kind::Count),
        default: "",
        doc: "A list of counts.",
    };
    let value = |items: &[&str]| LauncherValue {
        raw: Raw::List(items.iter().map(|s| s.to_string()).collect()),
        source: Source::Property,
    };
    assert!(check_value(&counts, &value(&["1", "2"])).is_ok());
    let e = check_value(&counts, &value(&["1", "two"])).unwrap_err();
    assert!(
        e.message
            .contains("Invalid item 'two' of launcher setting someCounts"),
        "{e}"
    );
    assert_eq!(Kind::Map(&Kind::Count).describe(), "map of counts");
    assert_eq!(
        Kind::List(&Kind::Count).describe(),
        "list of count (0 or more)"
    );
    assert!(Kind::Map(&Kind::Text).is_map() && !Kind::List(&Kind::Text).is_map());
}

#[test]
fn alert_settings_outside_a_job_take_the_environment_over_the_config() {
    let config = parse_launcher_config(
        "/c.yaml",
        "alertSinks: [{name: file, type: log}]\nalertLinks: {ui: 'https://ui/{job_id}'}\n",
    )
    .unwrap();
    let env: Env = [(
        "SPARK_K8S_CLI_ALERT_SINKS".to_string(),
        r#"[{"name": "env", "type": "log"}]"#.to_string(),
    )]
    .into();
    let a = config_alerts(&env, &config).unwrap();
    assert_eq!(a.sinks.len(), 1);
    assert_eq!(a.sinks[0].name, "env");
    assert_eq!(a.links["ui"], "https://ui/{job_id}");
    let a = config_alerts(&Env::new(), &config).unwrap();
    assert_eq!(a.sinks[0].name, "file");
    let env: Env = [(
        "SPARK_K8S_CLI_ALERT_SINKS".to_string(),
        r#"[{"name": "w", "type": "webhook"}]"#.to_string(),
    )]
    .into();
    let e = config_alerts(&env, &config).unwrap_err();
    assert!(
        e.message.contains("launcher setting alertSinks")
            && e.message.contains("SPARK_K8S_CLI_ALERT_SINKS")
            && e.message.contains("needs a url"),
        "{e}"
    );
}

/// spark-shell's Ctrl-C cancels the running jobs through the driver's web UI: its port, unless
/// the UI or its kill endpoint is off; Spark's own values are refused as Spark refuses them.
#[test]
fn spark_shell_cancels_jobs_through_the_web_ui() {
    let port = |command, args: &[&str]| {
        resolve_as(command, args, &[], &[]).map(|s| s.session().cancel_jobs_port)
    };
    assert_eq!(port(SparkCommand::Shell, &[]).unwrap(), Some(4040));
    assert_eq!(
        port(SparkCommand::Shell, &["--conf", "spark.ui.port= 4050"]).unwrap(),
        Some(4050)
    );
    for off in [
        "spark.ui.enabled=false",
        "spark.ui.killEnabled=FALSE",
        "spark.ui.port=0",
    ] {
        assert_eq!(
            port(SparkCommand::Shell, &["--conf", off]).unwrap(),
            None,
            "{off}"
        );
    }
    // pyspark and spark-sql take Ctrl-C themselves.
    assert_eq!(port(SparkCommand::PySpark, &[]).unwrap(), None);
    assert_eq!(port(SparkCommand::Sql, &[]).unwrap(), None);
    for (bad, says) in [
        (
            "spark.ui.port=http",
            "spark.ui.port should be a port number (0-65535), but was http",
        ),
        (
            "spark.ui.killEnabled=yes",
            "spark.ui.killEnabled should be boolean, but was yes",
        ),
    ] {
        let e = port(SparkCommand::Shell, &["--conf", bad]).unwrap_err();
        assert!(e.to_string().contains(says), "{bad}: {e}");
    }
}

#[test]
fn session_settings_in_all_three_spellings() {
    use std::time::Duration;
    use typed::{IdleLimits, SessionSettings};
    let minutes = |m: u64| Duration::from_secs(60 * m);
    // The defaults: ten minutes in the queue, a minute to re-attach, no idle end.
    let plain = resolve_as(SparkCommand::Shell, &[], &[], &[]).unwrap();
    assert_eq!(
        *plain.session(),
        SessionSettings {
            queue_timeout: Some(minutes(10)),
            reattach_grace: minutes(1),
            keep_pod: false,
            idle_timeout: None,
            idle_warning: minutes(1),
            cancel_jobs_port: Some(4040),
        }
    );
    assert_eq!(plain.session().idle_limits(), None);
    assert!(plain.is_session());
    let want = SessionSettings {
        queue_timeout: Some(minutes(2)),
        reattach_grace: Duration::from_secs(30),
        keep_pod: true,
        idle_timeout: Some(minutes(60)),
        idle_warning: minutes(5),
        cancel_jobs_port: None,
    };
    let by_conf = resolve_as(
        SparkCommand::PySpark,
        &[
            "--conf",
            "spark.k8scli.sessionQueueTimeout=2m",
            "--conf",
            "spark.k8scli.session.reattachGrace=30s",
            "--conf",
            "spark.k8scli.sessionKeepPod=true",
            "--conf",
            "spark.k8scli.session.idleTimeout=1h",
            "--conf",
            "spark.k8scli.sessionIdleWarning=300",
        ],
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(*by_conf.session(), want);
    let env = [
        ("SPARK_K8S_CLI_SESSION_QUEUE_TIMEOUT", "120"),
        ("SPARK_K8S_CLI_SESSION_REATTACH_GRACE", "0.5m"),
        ("SPARK_K8S_CLI_SESSION_KEEP_POD", "true"),
        ("SPARK_K8S_CLI_SESSION_IDLE_TIMEOUT", "3600s"),
        ("SPARK_K8S_CLI_SESSION_IDLE_WARNING", "5m"),
    ];
    let by_env = resolve_as(SparkCommand::Sql, &[], &env, &[]).unwrap();
    assert_eq!(*by_env.session(), want);
    let files = [(
        "/c.yaml",
        "sessionQueueTimeout: 2m\nsessionReattachGrace: 30\nsessionKeepPod: true\nsessionIdleTimeout: 1h\nsessionIdleWarning: 5m\n",
    )];
    let by_file = resolve_as(
        SparkCommand::Shell,
        &["--launcher-config", "/c.yaml"],
        &[],
        &files,
    )
    .unwrap();
    assert_eq!(
        *by_file.session(),
        SessionSettings {
            cancel_jobs_port: Some(4040),
            ..want.clone()
        }
    );
    assert_eq!(
        by_file.session().idle_limits(),
        Some(IdleLimits {
            warn_after: minutes(55),
            end_after: minutes(60),
        })
    );
    // The session's queue wait is the queue's timeout; a batch job keeps queueTimeout.
    assert_eq!(by_file.queue().timeout, Some(minutes(2)));
    let batch = resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files).unwrap();
    assert_eq!(batch.queue().timeout, None);
    assert!(!batch.is_session());
    // 0 waits for ever, as queueTimeout.
    let forever = resolve_as(
        SparkCommand::Shell,
        &["--conf", "spark.k8scli.sessionQueueTimeout=0"],
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(forever.queue().timeout, None);
    // A warning longer than the idle timeout comes as soon as the session is idle.
    let short = resolve_as(
        SparkCommand::Shell,
        &["--conf", "spark.k8scli.sessionIdleTimeout=30s"],
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(
        short.session().idle_limits(),
        Some(IdleLimits {
            warn_after: Duration::ZERO,
            end_after: Duration::from_secs(30),
        })
    );
}

#[test]
fn bad_session_settings_are_refused_in_every_spelling() {
    for (name, value, why) in [
        ("sessionQueueTimeout", "soon", "'soon' is not a duration"),
        ("sessionReattachGrace", "-1", "'-1' is not a duration"),
        ("sessionKeepPod", "maybe", "must be true or false"),
        ("sessionIdleTimeout", "1 week", "not a duration"),
        ("sessionIdleWarning", "abc", "'abc' is not a duration"),
    ] {
        let setting = registry::find(name).unwrap();
        let conf = format!("{}={value}", setting.key());
        let by_conf = resolve_as(SparkCommand::Shell, &["--conf", &conf], &[], &[]);
        let by_env = resolve_as(SparkCommand::Shell, &[], &[(&setting.env(), value)], &[]);
        let yaml = format!("{name}: {value}\n");
        let files = [("/c.yaml", yaml.as_str())];
        let by_file = resolve_as(
            SparkCommand::Shell,
            &["--launcher-config", "/c.yaml"],
            &[],
            &files,
        );
        for (spelling, r) in [("conf", by_conf), ("env", by_env), ("file", by_file)] {
            let e = r.expect_err(&format!("{name}={value} by {spelling}"));
            assert!(e.message.contains(name), "{spelling}: {e}");
            assert!(e.message.contains(value), "{spelling}: {e}");
            assert!(e.message.contains(why), "{spelling}: {e}");
        }
    }
}

#[test]
fn the_ui_ingress_in_all_three_spellings() {
    use ui::UiIngress;
    assert_eq!(
        with_conf("spark.k8scli.queue=a")
            .unwrap()
            .report()
            .ui_ingress,
        None
    );
    let want = UiIngress {
        host: "{job}.spark.example.com".into(),
        class_name: Some("nginx".into()),
        annotations: BTreeMap::from([(
            "nginx.ingress.kubernetes.io/proxy-body-size".to_string(),
            "8m".to_string(),
        )]),
        tls_secret: Some("ui-tls".into()),
    };
    // Properties, dotted (`uiIngress.host`) and camel-cased, the map's keys holding dots.
    let by_conf = resolve_with(
        &with_job(&[
            "--conf",
            "spark.k8scli.uiIngress.host={job}.spark.example.com",
            "--conf",
            "spark.k8scli.uiIngressClassName=nginx",
            "--conf",
            "spark.k8scli.uiIngress.annotations.nginx.ingress.kubernetes.io/proxy-body-size=8m",
            "--conf",
            "spark.k8scli.uiIngress.tls=ui-tls",
        ]),
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(by_conf.report().ui_ingress.as_ref(), Some(&want));
    let by_map_conf = with_conf(
        "spark.k8scli.uiIngressAnnotations.nginx.ingress.kubernetes.io/proxy-body-size=8m",
    )
    .unwrap();
    assert_eq!(
        by_map_conf.launcher["uiIngressAnnotations"].raw,
        registry::Raw::Map(want.annotations.clone())
    );
    let by_env = resolve_with(
        JOB,
        &[
            ("SPARK_K8S_CLI_UI_INGRESS_HOST", "{job}.spark.example.com"),
            ("SPARK_K8S_CLI_UI_INGRESS_CLASS_NAME", "nginx"),
            (
                "SPARK_K8S_CLI_UI_INGRESS_ANNOTATIONS",
                "nginx.ingress.kubernetes.io/proxy-body-size=8m",
            ),
            ("SPARK_K8S_CLI_UI_INGRESS_TLS", "ui-tls"),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(by_env.report().ui_ingress.as_ref(), Some(&want));
    let yaml = "uiIngressHost: '{job}.spark.example.com'\nuiIngressClassName: nginx\nuiIngressAnnotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}\nuiIngressTls: ui-tls\n";
    let argv = with_job(&["--launcher-config", "/c.yaml"]);
    let by_file = resolve_with(&argv, &[], &[("/c.yaml", yaml)]).unwrap();
    assert_eq!(by_file.report().ui_ingress.as_ref(), Some(&want));
}

#[test]
fn a_bad_ui_ingress_host_is_refused_in_every_spelling() {
    for (value, why) in [
        ("*.spark.example.com", "wildcard"),
        ("{job}.Spark.example.com", "not a DNS-1123 subdomain"),
        ("{app}.spark.example.com", "unknown placeholder {app}"),
        ("{job}.{cluster}.example.com", "no fleet is configured"),
    ] {
        let conf = format!("spark.k8scli.uiIngressHost={value}");
        let by_conf = with_conf(&conf);
        let by_env = resolve_with(JOB, &[("SPARK_K8S_CLI_UI_INGRESS_HOST", value)], &[]);
        let yaml = format!("uiIngressHost: '{value}'\n");
        let argv = with_job(&["--launcher-config", "/c.yaml"]);
        let by_file = resolve_with(&argv, &[], &[("/c.yaml", yaml.as_str())]);
        for (spelling, r) in [("conf", by_conf), ("env", by_env), ("file", by_file)] {
            let e = r.expect_err(&format!("{value} by {spelling}"));
            assert!(e.message.contains("uiIngressHost"), "{spelling}: {e}");
            assert!(e.message.contains(why), "{spelling}: {e}");
            assert!(e.hint.is_some(), "{spelling}: {e}");
        }
    }
    // The pinned job id fills {job} in: one that makes a bad host is refused too.
    let e = resolve_with(
        &with_job(&[
            "--conf",
            "spark.k8scli.jobId=a",
            "--conf",
            "spark.k8scli.uiIngressHost={job}-.example.com",
        ]),
        &[],
        &[],
    )
    .unwrap_err();
    assert!(e.message.contains("'a-.example.com'"), "{e}");
}

#[test]
fn prices_are_read_from_the_config_and_checked_once() {
    let config = |yaml: &str| {
        let files = [("/c.yaml", yaml.to_string())];
        let files: Vec<(&str, &str)> = files.iter().map(|(k, v)| (*k, v.as_str())).collect();
        resolve_with(&with_job(&["--launcher-config", "/c.yaml"]), &[], &files)
    };
    let fleet = "fleet:\n- name: east\n- name: west\n";
    let s = config(&format!(
        "{fleet}prices:\n  default: {{coreHour: 0.04, gibHour: 0.005, currency: USD}}\n  clusters:\n    east: {{coreHour: 0.05}}\n"
    ))
    .unwrap();
    let prices = &s.report().prices;
    assert_eq!(prices.for_cluster("east").map(|p| p.core_hour), Some(0.05));
    assert_eq!(prices.for_cluster("west").map(|p| p.gib_hour), Some(0.005));
    // A negative price, and a price for a cluster the fleet does not have.
    let e = config("prices:\n  default: {coreHour: -0.04}\n").unwrap_err();
    assert!(
        e.message.contains("launcher setting prices") && e.message.contains("0 or more"),
        "{e}"
    );
    let e = config(&format!(
        "{fleet}prices:\n  clusters:\n    north: {{coreHour: 1}}\n"
    ))
    .unwrap_err();
    assert!(
        e.message
            .contains("clusters.north names no cluster of the fleet (clusters: east, west)"),
        "{e}"
    );
    // Without a table: no price anywhere.
    assert_eq!(
        with_conf("spark.app.name=x").unwrap().report().prices,
        Default::default()
    );
}
