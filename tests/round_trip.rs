//! Property test: any command line built from the option table, with values full of `=`, `$`,
//! quotes, spaces and option-lookalikes, survives the trip through the rendered submit pod:
//! parse → resolve → plan → Kubernetes' `$(VAR)` expansion → parse → resolve gives the same job.

mod common;

use common::pipeline::*;
use proptest::prelude::*;
use spark_k8s_cli::parse::flags::{Arity, FLAGS, Opt};

/// Values that stress quoting and expansion but are valid for their option.
fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9._-]{0,12}",
        Just("$(HOME)".to_string()),
        Just("a$$b".to_string()),
        Just("x=y=z".to_string()),
        Just("with space".to_string()),
        Just("'quoted' \"both\"".to_string()),
        Just("--verbose".to_string()),
        Just("-c".to_string()),
        Just("ünïcødé".to_string()),
        Just("".to_string()),
    ]
}

fn remote_list() -> impl Strategy<Value = String> {
    prop::collection::vec(
        "(s3a|https|local)://[a-z]{1,6}/[a-z]{1,6}\\.(jar|py|zip)",
        1..3,
    )
    .prop_map(|v| v.join(","))
}

fn conf_pair() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        "spark\\.[a-z]{1,8}(\\.[a-zA-Z]{1,8}){0,2}",
        Just("spark.hadoop.fs.s3a.secret.key".to_string()),
        Just("spark.db.password".to_string()),
        Just("spark.kubernetes.driverEnv.TOKEN_FILE".to_string()),
        Just("spark.kubernetes.driver.label.team".to_string()),
    ];
    (key, tricky_text()).prop_map(|(k, v)| format!("{k}={v}"))
}

/// One option occurrence as argv tokens.
fn option() -> impl Strategy<Value = Vec<String>> {
    let usable: Vec<&'static str> = FLAGS
        .iter()
        .filter(|f| {
            !matches!(
                f.opt,
                Opt::Help
                    | Opt::Version
                    | Opt::UsageError
                    | Opt::Kill
                    | Opt::Status
                    | Opt::Remote
                    | Opt::Master
                    | Opt::DeployMode
                    | Opt::Class
                    | Opt::PropertiesFile
                    | Opt::ExtraPropertiesFile
                    | Opt::LauncherConfig
                    | Opt::ProxyUser
                    | Opt::Principal
                    | Opt::Keytab
            )
        })
        .map(|f| f.long)
        .collect();
    (
        prop::sample::select(usable),
        any::<bool>(),
        conf_pair(),
        remote_list(),
        tricky_text(),
        1u32..9,
    )
        .prop_map(|(long, eq_form, conf, list, text, n)| {
            let f = FLAGS.iter().find(|f| f.long == long).unwrap();
            let value = match f.opt {
                Opt::Conf => conf,
                Opt::Jars | Opt::Files | Opt::PyFiles | Opt::Archives => list,
                Opt::DriverMemory | Opt::ExecutorMemory => format!("{n}g"),
                Opt::DriverCores
                | Opt::ExecutorCores
                | Opt::NumExecutors
                | Opt::TotalExecutorCores => n.to_string(),
                Opt::Queue => format!("q{n}"),
                _ => text,
            };
            match f.arity {
                Arity::Switch => vec![long.to_string()],
                // `--opt=` with an empty value is not an option; use the two-token form then.
                Arity::Value if eq_form && !value.is_empty() => vec![format!("{long}={value}")],
                Arity::Value => vec![long.to_string(), value],
            }
        })
}

fn command_line() -> impl Strategy<Value = Vec<String>> {
    (
        prop::collection::vec(option(), 0..8),
        prop_oneof![Just("cluster"), Just("client")],
        prop_oneof![
            Just("local:///opt/app.jar".to_string()),
            Just("s3a://bucket/job.py".to_string()),
            Just("local:///opt/job.R".to_string()),
        ],
        prop::collection::vec(tricky_text(), 0..5),
    )
        .prop_map(|(opts, mode, resource, app_args)| {
            let mut argv = vec![
                "spark-submit".to_string(),
                "--master".into(),
                "k8s://https://api.example:6443".into(),
                "--deploy-mode".into(),
                mode.into(),
                "--class".into(),
                "com.example.Main".into(),
                "--conf".into(),
                "spark.kubernetes.container.image=apache/spark:4.0.0".into(),
            ];
            argv.extend(opts.into_iter().flatten());
            argv.push(resource);
            argv.extend(app_args);
            argv
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_command_lines_survive_the_pod(argv in command_line()) {
        let settings = prepare_argv(&argv, &env_of(&[]), &MemFiles::default());
        let settings = match settings {
            Ok(s) => s,
            // A generated line may be invalid for Spark too (e.g. cores on a shell); that is the
            // bad-input tests' business, not this property's.
            Err(e) => { prop_assume!(false, "invalid line: {}", e.stderr); unreachable!() }
        };
        round_trip(&settings);
    }
}
