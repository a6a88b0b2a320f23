//! One test per option row, in every spelling, plus the grammar's edges.

use super::flags::{Arity, FLAGS, Opt};
use super::*;

use crate::tests::argv as args;

fn ok(s: &[&str]) -> SubmitArgs {
    parse(SparkCommand::Submit, &args(s)).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn syntax_err(s: &[&str]) -> String {
    match parse(SparkCommand::Submit, &args(s)) {
        Err(ParseError::Syntax(m)) => m,
        other => panic!("{s:?}: expected a syntax error, got {other:?}"),
    }
}

/// Each command line (split at spaces) fails with its syntax error.
fn syntax_errors(cases: &[(&str, &str)]) {
    for (line, want) in cases {
        let argv: Vec<&str> = line.split(' ').collect();
        assert_eq!(syntax_err(&argv), *want, "{line}");
    }
}

/// What a value option sets, read back from `SubmitArgs`.
fn value_of(a: &SubmitArgs, opt: Opt) -> Option<String> {
    let conf = |k: &str| {
        a.conf
            .iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    match opt {
        Opt::Master => a.master.clone(),
        Opt::Remote => a.remote.clone(),
        Opt::DeployMode => a.deploy_mode.clone(),
        Opt::Class => a.main_class.clone(),
        Opt::Name => a.name.clone(),
        Opt::Jars => a.jars.clone(),
        Opt::Packages => a.packages.clone(),
        Opt::ExcludePackages => a.exclude_packages.clone(),
        Opt::Repositories => a.repositories.clone(),
        Opt::PyFiles => a.py_files.clone(),
        Opt::Files => a.files.clone(),
        Opt::Archives => a.archives.clone(),
        Opt::Conf => a.conf.last().map(|(k, v)| format!("{k}={v}")),
        Opt::PropertiesFile => a.properties_file.clone(),
        Opt::ExtraPropertiesFile => a.extra_properties_files.last().cloned(),
        Opt::DriverMemory => conf("spark.driver.memory"),
        Opt::DriverJavaOptions => conf("spark.driver.extraJavaOptions"),
        Opt::DriverLibraryPath => conf("spark.driver.extraLibraryPath"),
        Opt::DriverClassPath => conf("spark.driver.extraClassPath"),
        Opt::DriverDefaultClassPath => a.driver_default_class_path.clone(),
        Opt::DriverCores => a.driver_cores.clone(),
        Opt::ExecutorMemory => a.executor_memory.clone(),
        Opt::ExecutorCores => a.executor_cores.clone(),
        Opt::NumExecutors => a.num_executors.clone(),
        Opt::TotalExecutorCores => a.total_executor_cores.clone(),
        Opt::ProxyUser => a.proxy_user.clone(),
        Opt::Principal => a.principal.clone(),
        Opt::Keytab => a.keytab.clone(),
        Opt::Queue => a.queue.clone(),
        Opt::Kill => match &a.action {
            Action::Kill(id) => Some(id.clone()),
            _ => None,
        },
        Opt::Status => match &a.action {
            Action::Status(id) => Some(id.clone()),
            _ => None,
        },
        Opt::LauncherConfig => a.launcher_config.clone(),
        Opt::LogLevel => a.log_level.clone(),
        Opt::LogFormat => a.log_format.clone(),
        Opt::Output => a.output.clone(),
        _ => panic!("{opt:?} is not a value option"),
    }
}

fn switch_of(a: &SubmitArgs, opt: Opt) -> bool {
    match opt {
        Opt::LoadSparkDefaults => a.load_spark_defaults,
        Opt::Supervise => a.supervise,
        Opt::Verbose => a.verbose,
        Opt::Help => a.action == Action::Help,
        Opt::Version => a.action == Action::Version,
        Opt::UsageError => a.action == Action::UsageError,
        Opt::DryRun => a.dry_run,
        Opt::ShowSecrets => a.show_secrets,
        Opt::Quiet => a.quiet,
        _ => panic!("{opt:?} is not a switch"),
    }
}

/// A value that is valid for the option (`--conf` needs `k=v`).
fn sample(opt: Opt) -> &'static str {
    match opt {
        Opt::Conf => "spark.k=v=w",
        _ => "some value=with=equals",
    }
}

#[test]
fn every_value_option_in_every_spelling() {
    for f in FLAGS.iter().filter(|f| f.arity == Arity::Value) {
        let v = sample(f.opt);
        let mut names = vec![f.long];
        names.extend(f.aliases.iter().copied());
        for name in names {
            // `--opt value`
            let a = ok(&[name, v, "app.jar"]);
            assert_eq!(value_of(&a, f.opt).as_deref(), Some(v), "{name} value");
            // `--opt=value` (long names only; single-dash never splits at `=`)
            if name.starts_with("--") {
                let joined = format!("{name}={v}");
                let a = ok(&[&joined, "app.jar"]);
                assert_eq!(value_of(&a, f.opt).as_deref(), Some(v), "{joined}");
                // `--opt=` (empty value) is not an option at all.
                let empty = format!("{name}=");
                assert_eq!(
                    syntax_err(&[&empty, "app.jar"]),
                    format!("Unrecognized option: {empty}")
                );
            } else {
                let joined = format!("{name}={v}");
                assert_eq!(
                    syntax_err(&[&joined, "app.jar"]),
                    format!("Unrecognized option: {joined}")
                );
            }
            // Missing value at the end of the line.
            assert_eq!(
                syntax_err(&["--verbose", name]),
                format!("Missing argument for option '{name}'.")
            );
            // After the primary resource it is the application's.
            let a = ok(&["app.jar", name, v]);
            assert_eq!(a.app_args, args(&[name, v]));
            assert_eq!(value_of(&a, f.opt), None, "{name} after the resource");
        }
    }
}

#[test]
fn value_options_take_the_next_token_even_if_it_looks_like_an_option() {
    let a = ok(&["--name", "--verbose", "app.jar"]);
    assert_eq!(a.name.as_deref(), Some("--verbose"));
    assert!(!a.verbose);
}

#[test]
fn repeated_value_options_keep_the_last() {
    for f in FLAGS.iter().filter(|f| {
        f.arity == Arity::Value
            && !matches!(
                f.opt,
                Opt::Kill | Opt::Status | Opt::Conf | Opt::ExtraPropertiesFile
            )
    }) {
        let a = ok(&[f.long, "first", f.long, "second", "app.jar"]);
        assert_eq!(value_of(&a, f.opt).as_deref(), Some("second"), "{}", f.long);
    }
}

#[test]
fn every_switch_in_every_spelling() {
    for f in FLAGS.iter().filter(|f| f.arity == Arity::Switch) {
        let mut names = vec![f.long];
        names.extend(f.aliases.iter().copied());
        for name in names {
            let a = ok(&[name, "app.jar"]);
            assert!(switch_of(&a, f.opt), "{name}");
            // `--switch=anything` turns the switch on (Spark ignores the value).
            if name.starts_with("--") {
                let a = ok(&[&format!("{name}=no"), "app.jar"]);
                assert!(switch_of(&a, f.opt), "{name}=no");
            }
            // A switch never swallows the next token.
            let a = ok(&[name, "app.jar", "x"]);
            assert_eq!(a.primary_resource.as_deref(), Some("app.jar"));
            let a = ok(&["app.jar", name]);
            assert_eq!(a.app_args, args(&[name]), "{name} after the resource");
        }
    }
}

#[test]
fn conf_splits_at_the_first_equals() {
    let a = ok(&[
        "--conf",
        "spark.a=b=c",
        "-c",
        "spark.d=",
        "--conf=spark.e==",
        "x.jar",
    ]);
    assert_eq!(
        a.conf,
        vec![
            ("spark.a".into(), "b=c".into()),
            ("spark.d".into(), "".into()),
            ("spark.e".into(), "=".into())
        ]
    );
    syntax_errors(&[
        ("--conf nokey x.jar", "Invalid argument to --conf: nokey"),
        ("-c nokey x.jar", "Invalid argument to --conf: nokey"),
    ]);
    // `=v` has an empty key; Spark accepts it (and later drops it as non-spark).
    assert_eq!(
        ok(&["--conf", "=v", "x.jar"]).conf,
        vec![("".into(), "v".into())]
    );
}

#[test]
fn driver_flags_and_conf_later_wins() {
    let a = ok(&[
        "--driver-memory",
        "2g",
        "--conf",
        "spark.driver.memory=3g",
        "x.jar",
    ]);
    assert_eq!(value_of(&a, Opt::DriverMemory).as_deref(), Some("3g"));
    let a = ok(&[
        "--conf",
        "spark.driver.memory=3g",
        "--driver-memory",
        "2g",
        "x.jar",
    ]);
    assert_eq!(value_of(&a, Opt::DriverMemory).as_deref(), Some("2g"));
}

#[test]
fn names_are_case_sensitive_and_exact() {
    syntax_errors(&[
        ("--Master x a.jar", "Unrecognized option: --Master"),
        ("--mast x a.jar", "Unrecognized option: --mast"),
        ("-C a=b a.jar", "Unrecognized option: -C"),
        ("- a.jar", "Unrecognized option: -"),
    ]);
}

#[test]
fn primary_resource_stops_parsing() {
    let a = ok(&[
        "--master", "k8s://h", "app.jar", "--master", "other", "-c", "x",
    ]);
    assert_eq!(a.master.as_deref(), Some("k8s://h"));
    assert_eq!(a.primary_resource.as_deref(), Some("app.jar"));
    assert_eq!(a.app_args, args(&["--master", "other", "-c", "x"]));
}

#[test]
fn missing_resource() {
    assert_eq!(
        syntax_err(&["--master", "k8s://h"]),
        "Missing application resource."
    );
    // Special commands need none.
    assert_eq!(ok(&["--kill", "ns:p"]).action, Action::Kill("ns:p".into()));
    assert_eq!(ok(&["--status", "p"]).action, Action::Status("p".into()));
    assert_eq!(ok(&["--help"]).action, Action::Help);
    assert_eq!(ok(&["--version"]).action, Action::Version);
}

#[test]
fn help_and_version_win_but_syntax_errors_come_first() {
    assert_eq!(ok(&["--kill", "a", "--help"]).action, Action::Help);
    assert_eq!(ok(&["--help", "--version"]).action, Action::Help);
    assert_eq!(
        syntax_err(&["--help", "--nope"]),
        "Unrecognized option: --nope"
    );
}

#[test]
fn two_actions_are_recorded_for_resolve() {
    let a = ok(&["--kill", "a", "--status", "b"]);
    assert_eq!(
        a.conflicting_actions,
        Some(("KILL".into(), "REQUEST_STATUS".into()))
    );
}

#[test]
fn special_classes_take_mixed_arguments() {
    let a = ok(&[
        "--class", REPL_CLASS, "-I", "x.scala", "--master", "k8s://h", "more",
    ]);
    assert!(a.mixed_arguments);
    assert_eq!(a.primary_resource.as_deref(), Some("spark-shell"));
    assert_eq!(a.master.as_deref(), Some("k8s://h"));
    assert_eq!(a.app_args, args(&["-I", "x.scala", "more"]));
    let a = ok(&["--class", SQL_CLI_CLASS, "-e", "select 1"]);
    assert_eq!(a.primary_resource.as_deref(), Some("spark-internal"));
    assert_eq!(a.app_args, args(&["-e", "select 1"]));
}

#[test]
fn shell_commands_prepend_their_scripts_arguments() {
    let a = parse(SparkCommand::Shell, &args(&["--name", "mine"])).unwrap();
    assert_eq!(a.main_class.as_deref(), Some(REPL_CLASS));
    assert_eq!(a.name.as_deref(), Some("mine"));
    let a = parse(SparkCommand::PySpark, &[]).unwrap();
    assert_eq!(a.primary_resource.as_deref(), Some("pyspark-shell"));
    assert_eq!(a.name.as_deref(), Some("PySparkShell"));
    assert_eq!(
        parse(SparkCommand::PySpark, &args(&["job.py"])),
        Err(ParseError::PySparkScript)
    );
    let a = parse(SparkCommand::Sql, &args(&["-f", "q.sql"])).unwrap();
    assert_eq!(a.app_args, args(&["-f", "q.sql"]));
}

#[test]
fn split_inline_matches_sparks_regex() {
    assert_eq!(split_inline("--a=b"), ("--a", Some("b")));
    assert_eq!(split_inline("--a=b=c"), ("--a", Some("b=c")));
    assert_eq!(split_inline("--a="), ("--a=", None));
    assert_eq!(split_inline("--=b"), ("--=b", None));
    assert_eq!(split_inline("-a=b"), ("-a=b", None));
    assert_eq!(split_inline("a=b"), ("a=b", None));
}
