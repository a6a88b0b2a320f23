//! The table of every option spark-submit's launcher knows, plus the launcher's own few.
//!
//! One row per option: its names, whether it takes a value, the metavar shown in help, and the
//! usage section it belongs to. The parser, the completions and the table tests all read this
//! slice; nothing else spells an option name.

/// What a flag does with the token after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// Takes one value: `--opt value` or `--opt=value`.
    Value,
    /// A switch; `--opt=anything` is accepted and the value ignored, as Spark does.
    Switch,
}

/// Which part of the product owns the flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// An option of Spark's own launcher (`SparkSubmitOptionParser`).
    Spark,
    /// An option only spark-k8s-cli knows; Spark would reject it.
    Launcher,
}

/// The identity of an option, independent of how it was spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Opt {
    Master,
    Remote,
    DeployMode,
    Class,
    Name,
    Jars,
    Packages,
    ExcludePackages,
    Repositories,
    PyFiles,
    Files,
    Archives,
    Conf,
    PropertiesFile,
    ExtraPropertiesFile,
    LoadSparkDefaults,
    DriverMemory,
    DriverJavaOptions,
    DriverLibraryPath,
    DriverClassPath,
    DriverDefaultClassPath,
    DriverCores,
    ExecutorMemory,
    ExecutorCores,
    NumExecutors,
    TotalExecutorCores,
    ProxyUser,
    Principal,
    Keytab,
    Queue,
    Supervise,
    Kill,
    Status,
    Help,
    Verbose,
    Version,
    UsageError,
    // spark-k8s-cli's own.
    DryRun,
    ShowSecrets,
    LauncherConfig,
    Quiet,
    LogLevel,
    LogFormat,
    Output,
}

/// One row of the table.
#[derive(Debug)]
pub struct Flag {
    pub opt: Opt,
    /// The long name, with its dashes.
    pub long: &'static str,
    /// Other exact spellings (`-c`, `-h`, `-v`).
    pub aliases: &'static [&'static str],
    pub arity: Arity,
    /// The value's name in help and completions; empty for switches.
    pub metavar: &'static str,
    pub origin: Origin,
    /// One line for completions and `docs/flags.md`.
    pub doc: &'static str,
    /// Shown to shells as a file argument.
    pub takes_path: bool,
}

macro_rules! flag {
    ($opt:ident, $long:literal, [$($alias:literal),*], $arity:ident, $metavar:literal, $origin:ident, $path:literal, $doc:literal) => {
        Flag {
            opt: Opt::$opt,
            long: $long,
            aliases: &[$($alias),*],
            arity: Arity::$arity,
            metavar: $metavar,
            origin: Origin::$origin,
            takes_path: $path,
            doc: $doc,
        }
    };
}

/// Every option, in the order of Spark's usage text, then the launcher's.
pub static FLAGS: &[Flag] = &[
    flag!(
        Master,
        "--master",
        [],
        Value,
        "MASTER_URL",
        Spark,
        false,
        "k8s://https://host:port (other masters are rejected)"
    ),
    flag!(
        DeployMode,
        "--deploy-mode",
        [],
        Value,
        "DEPLOY_MODE",
        Spark,
        false,
        "client or cluster (default: client)"
    ),
    flag!(
        Class,
        "--class",
        [],
        Value,
        "CLASS_NAME",
        Spark,
        false,
        "the application's main class (Java / Scala apps)"
    ),
    flag!(
        Name,
        "--name",
        [],
        Value,
        "NAME",
        Spark,
        false,
        "a name for the application"
    ),
    flag!(
        Jars,
        "--jars",
        [],
        Value,
        "JARS",
        Spark,
        true,
        "comma-separated jars for the driver and executor classpaths"
    ),
    flag!(
        Packages,
        "--packages",
        [],
        Value,
        "PACKAGES",
        Spark,
        false,
        "comma-separated maven coordinates groupId:artifactId:version"
    ),
    flag!(
        ExcludePackages,
        "--exclude-packages",
        [],
        Value,
        "EXCLUDES",
        Spark,
        false,
        "comma-separated groupId:artifactId to exclude from --packages"
    ),
    flag!(
        Repositories,
        "--repositories",
        [],
        Value,
        "REPOSITORIES",
        Spark,
        false,
        "comma-separated extra remote repositories for --packages"
    ),
    flag!(
        PyFiles,
        "--py-files",
        [],
        Value,
        "PY_FILES",
        Spark,
        true,
        "comma-separated .zip, .egg or .py files for the PYTHONPATH"
    ),
    flag!(
        Files,
        "--files",
        [],
        Value,
        "FILES",
        Spark,
        true,
        "comma-separated files placed in each executor's working directory"
    ),
    flag!(
        Archives,
        "--archives",
        [],
        Value,
        "ARCHIVES",
        Spark,
        true,
        "comma-separated archives extracted in each executor's working directory"
    ),
    flag!(
        Conf,
        "--conf",
        ["-c"],
        Value,
        "PROP=VALUE",
        Spark,
        false,
        "an arbitrary Spark (or spark.k8scli.*) property"
    ),
    flag!(
        PropertiesFile,
        "--properties-file",
        [],
        Value,
        "FILE",
        Spark,
        true,
        "load properties from FILE instead of spark-defaults.conf"
    ),
    flag!(
        ExtraPropertiesFile,
        "--extra-properties-file",
        [],
        Value,
        "FILE",
        Spark,
        true,
        "layer another properties file over --properties-file (repeatable)"
    ),
    flag!(
        LoadSparkDefaults,
        "--load-spark-defaults",
        [],
        Switch,
        "",
        Spark,
        false,
        "load spark-defaults.conf even when --properties-file is given"
    ),
    flag!(
        DriverMemory,
        "--driver-memory",
        [],
        Value,
        "MEM",
        Spark,
        false,
        "memory for the driver, e.g. 1000M, 2G (default 1024M)"
    ),
    flag!(
        DriverJavaOptions,
        "--driver-java-options",
        [],
        Value,
        "OPTIONS",
        Spark,
        false,
        "extra Java options for the driver"
    ),
    flag!(
        DriverLibraryPath,
        "--driver-library-path",
        [],
        Value,
        "PATH",
        Spark,
        false,
        "extra library path entries for the driver"
    ),
    flag!(
        DriverClassPath,
        "--driver-class-path",
        [],
        Value,
        "PATH",
        Spark,
        false,
        "extra class path entries for the driver"
    ),
    flag!(
        DriverDefaultClassPath,
        "--driver-default-class-path",
        [],
        Value,
        "PATH",
        Spark,
        false,
        "default extra class path for the driver (internal)"
    ),
    flag!(
        ExecutorMemory,
        "--executor-memory",
        [],
        Value,
        "MEM",
        Spark,
        false,
        "memory per executor, e.g. 1000M, 2G (default 1G)"
    ),
    flag!(
        ProxyUser,
        "--proxy-user",
        [],
        Value,
        "NAME",
        Spark,
        false,
        "user to impersonate when submitting"
    ),
    flag!(
        Help,
        "--help",
        ["-h"],
        Switch,
        "",
        Spark,
        false,
        "show the help message and exit"
    ),
    flag!(
        Verbose,
        "--verbose",
        ["-v"],
        Switch,
        "",
        Spark,
        false,
        "print the parsed arguments and effective properties"
    ),
    flag!(
        Version,
        "--version",
        [],
        Switch,
        "",
        Spark,
        false,
        "print the version and exit"
    ),
    flag!(
        Remote,
        "--remote",
        [],
        Value,
        "CONNECT_URL",
        Spark,
        false,
        "Spark Connect server URL (not supported by this launcher)"
    ),
    flag!(
        DriverCores,
        "--driver-cores",
        [],
        Value,
        "NUM",
        Spark,
        false,
        "cores for the driver (cluster mode, default 1)"
    ),
    flag!(
        Supervise,
        "--supervise",
        [],
        Switch,
        "",
        Spark,
        false,
        "standalone only; ignored on Kubernetes"
    ),
    flag!(
        Kill,
        "--kill",
        [],
        Value,
        "SUBMISSION_ID",
        Spark,
        false,
        "kill the driver [namespace:]pod-name (trailing * globs)"
    ),
    flag!(
        Status,
        "--status",
        [],
        Value,
        "SUBMISSION_ID",
        Spark,
        false,
        "print the status of the driver [namespace:]pod-name"
    ),
    flag!(
        TotalExecutorCores,
        "--total-executor-cores",
        [],
        Value,
        "NUM",
        Spark,
        false,
        "standalone only; recorded as spark.cores.max"
    ),
    flag!(
        ExecutorCores,
        "--executor-cores",
        [],
        Value,
        "NUM",
        Spark,
        false,
        "cores per executor (default 1)"
    ),
    flag!(
        NumExecutors,
        "--num-executors",
        [],
        Value,
        "NUM",
        Spark,
        false,
        "number of executors (default 2)"
    ),
    flag!(
        Principal,
        "--principal",
        [],
        Value,
        "PRINCIPAL",
        Spark,
        false,
        "Kerberos principal"
    ),
    flag!(
        Keytab,
        "--keytab",
        [],
        Value,
        "KEYTAB",
        Spark,
        true,
        "Kerberos keytab file"
    ),
    flag!(
        Queue,
        "--queue",
        [],
        Value,
        "QUEUE_NAME",
        Spark,
        false,
        "the launcher queue the job waits in (YARN's queue in Spark)"
    ),
    flag!(
        UsageError,
        "--usage-error",
        [],
        Switch,
        "",
        Spark,
        false,
        "print usage and exit 1 (internal)"
    ),
    flag!(
        DryRun,
        "--dry-run",
        [],
        Switch,
        "",
        Launcher,
        false,
        "print what would be created, as YAML, and touch no cluster"
    ),
    flag!(
        ShowSecrets,
        "--show-secrets",
        [],
        Switch,
        "",
        Launcher,
        false,
        "with --dry-run: print secret properties and the keytab as they are, so the output applies as-is"
    ),
    flag!(
        LauncherConfig,
        "--launcher-config",
        [],
        Value,
        "FILE",
        Launcher,
        true,
        "the launcher's YAML config file"
    ),
    flag!(
        Quiet,
        "--quiet",
        [],
        Switch,
        "",
        Launcher,
        false,
        "print nothing, on stderr or stdout, but what --output asks for; the exit code still tells the result"
    ),
    flag!(
        LogLevel,
        "--log-level",
        [],
        Value,
        "LEVEL",
        Launcher,
        false,
        "what the launcher says on stderr: error, warn, info (the progress lines; default), debug or trace"
    ),
    flag!(
        LogFormat,
        "--log-format",
        [],
        Value,
        "FORMAT",
        Launcher,
        false,
        "text (default), or json: every line the launcher writes on stderr as one JSON object, for log shippers"
    ),
    flag!(
        Output,
        "--output",
        ["-o"],
        Value,
        "FORMAT",
        Launcher,
        false,
        "json or yaml: one object on stdout at the end (job id, cluster, pods, exit code, seconds queued, pending and running); with --status, the driver pods' state (json, yaml or wide)"
    ),
];

/// Finds the row for an exact, case-sensitive spelling.
pub fn lookup(name: &str) -> Option<&'static Flag> {
    FLAGS
        .iter()
        .find(|f| f.long == name || f.aliases.contains(&name))
}

/// The row of an option.
pub fn flag(opt: Opt) -> &'static Flag {
    FLAGS
        .iter()
        .find(|f| f.opt == opt)
        .expect("every Opt has a row in FLAGS")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique() {
        let mut seen = HashSet::new();
        for f in FLAGS {
            assert!(seen.insert(f.long), "duplicate {}", f.long);
            for a in f.aliases {
                assert!(seen.insert(*a), "duplicate alias {a}");
            }
        }
    }

    #[test]
    fn every_opt_has_exactly_one_row() {
        let mut opts = HashSet::new();
        for f in FLAGS {
            assert!(opts.insert(f.opt), "{:?} twice", f.opt);
        }
        assert_eq!(opts.len(), FLAGS.len());
    }

    #[test]
    fn value_flags_have_metavars_and_switches_none() {
        for f in FLAGS {
            match f.arity {
                Arity::Value => assert!(!f.metavar.is_empty(), "{} needs a metavar", f.long),
                Arity::Switch => assert!(f.metavar.is_empty(), "{} is a switch", f.long),
            }
            assert!(f.long.starts_with("--"));
            assert!(!f.doc.is_empty());
            assert!(!f.takes_path || f.arity == Arity::Value);
        }
    }

    #[test]
    fn every_spark_flag_but_hidden_ones_is_in_sparks_usage() {
        let usage = crate::parse::usage::SPARK_OPTIONS;
        for f in FLAGS.iter().filter(|f| f.origin == Origin::Spark) {
            if matches!(
                f.opt,
                Opt::UsageError | Opt::ExtraPropertiesFile | Opt::DriverDefaultClassPath
            ) {
                continue; // hidden in Spark's own usage too
            }
            assert!(usage.contains(f.long), "{} missing from usage", f.long);
        }
    }

    #[test]
    fn every_launcher_flag_is_in_our_usage_section() {
        let usage = crate::parse::usage::launcher_options();
        for f in FLAGS.iter().filter(|f| f.origin == Origin::Launcher) {
            assert!(usage.contains(f.long), "{} missing from usage", f.long);
        }
    }
}
