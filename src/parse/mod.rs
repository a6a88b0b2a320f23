//! parse: spark-submit's command-line grammar, argv → [`SubmitArgs`]; pure, reads no env and no file.
//!
//! This is the contract with every scheduler that calls spark-submit, so it follows Spark's own
//! launcher (`SparkSubmitOptionParser` + `SparkSubmitCommandBuilder`) token for token:
//! exact, case-sensitive names; `--opt=value` only for long options with a non-empty value;
//! the first unknown token is the primary resource and everything after it belongs to the
//! application, even when it looks like an option. Semantic checks (deploy mode, sizes, counts)
//! happen in `resolve`, as they happen in Spark's JVM after the launcher.

pub mod flags;
pub mod usage;

use flags::{Arity, Opt};

/// Which Spark command is being emulated (the multi-call name or the subcommand).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SparkCommand {
    /// `spark-submit`
    Submit,
    /// `spark-shell`: the Scala REPL, client mode, in a pod.
    Shell,
    /// `pyspark`: the Python shell, client mode, in a pod.
    PySpark,
    /// `spark-sql`: the SQL CLI, client mode, in a pod.
    Sql,
}

impl SparkCommand {
    /// The Spark program name this command stands for.
    pub fn program(self) -> &'static str {
        match self {
            SparkCommand::Submit => "spark-submit",
            SparkCommand::Shell => "spark-shell",
            SparkCommand::PySpark => "pyspark",
            SparkCommand::Sql => "spark-sql",
        }
    }

    /// The arguments Spark's `bin/<command>` script puts before the user's.
    pub fn script_prefix(self) -> &'static [&'static str] {
        match self {
            SparkCommand::Submit => &[],
            SparkCommand::Shell => &["--class", REPL_CLASS, "--name", "Spark shell"],
            SparkCommand::PySpark => &[PYSPARK_SHELL_MAIN, "--name", "PySparkShell"],
            SparkCommand::Sql => &["--class", SQL_CLI_CLASS],
        }
    }
}

pub const REPL_CLASS: &str = "org.apache.spark.repl.Main";
pub const SQL_CLI_CLASS: &str = "org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver";
pub const THRIFT_SERVER_CLASS: &str = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2";
const PYSPARK_SHELL_MAIN: &str = "pyspark-shell-main";
const SPARKR_SHELL_MAIN: &str = "sparkr-shell-main";

/// What the invocation asks for, besides submitting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Action {
    #[default]
    Submit,
    Kill(String),
    Status(String),
    Help,
    Version,
    UsageError,
}

/// The command line as Spark's launcher reads it: as close to the flags as possible.
///
/// Values are kept as strings; `resolve` interprets them. The four driver options that Spark's
/// launcher turns into `--conf` entries (`--driver-memory`, `--driver-java-options`,
/// `--driver-class-path`, `--driver-library-path`) are stored in `conf`, in line order, so the
/// later of a flag and a `--conf` for the same key wins, exactly as in Spark.
/// Its `Debug` (in `resolve::redact`) hides secret `--conf` values and app arguments.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SubmitArgs {
    pub master: Option<String>,
    pub remote: Option<String>,
    pub deploy_mode: Option<String>,
    pub main_class: Option<String>,
    pub name: Option<String>,
    pub jars: Option<String>,
    pub packages: Option<String>,
    pub exclude_packages: Option<String>,
    pub repositories: Option<String>,
    pub py_files: Option<String>,
    pub files: Option<String>,
    pub archives: Option<String>,
    /// `--conf` entries (and the four driver flags), in order; a later key wins.
    pub conf: Vec<(String, String)>,
    pub properties_file: Option<String>,
    pub extra_properties_files: Vec<String>,
    pub load_spark_defaults: bool,
    pub driver_default_class_path: Option<String>,
    pub driver_cores: Option<String>,
    pub executor_memory: Option<String>,
    pub executor_cores: Option<String>,
    pub num_executors: Option<String>,
    pub total_executor_cores: Option<String>,
    pub proxy_user: Option<String>,
    pub principal: Option<String>,
    pub keytab: Option<String>,
    pub queue: Option<String>,
    pub supervise: bool,
    pub verbose: bool,
    pub action: Action,
    /// Set when `--kill` and `--status` (or either twice with another) were both given:
    /// Spark's "Action cannot be both ..." error, raised by `resolve`.
    pub conflicting_actions: Option<(String, String)>,
    pub primary_resource: Option<String>,
    pub app_args: Vec<String>,
    /// The application takes mixed arguments (shells, SQL CLI): unknown options are app args.
    pub mixed_arguments: bool,
    // spark-k8s-cli's own.
    pub dry_run: bool,
    /// `--show-secrets`: a dry run prints secret values as they are.
    pub show_secrets: bool,
    pub launcher_config: Option<String>,
    /// `--quiet`, `--log-level`, `--log-format`, `--output`.
    pub quiet: bool,
    pub log_level: Option<String>,
    pub log_format: Option<String>,
    pub output: Option<String>,
}

/// A syntax error, reported as Spark's launcher reports it: `Error: <msg>`, usage, exit 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `Error: <msg>` then usage; exit 1.
    Syntax(String),
    /// pyspark given a script: Spark prints its message and exits 255.
    PySparkScript,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Syntax(m) => f.write_str(m),
            ParseError::PySparkScript => f.write_str(
                "Running python applications through 'pyspark' is not supported as of Spark 2.0.\n\
                 Use ./bin/spark-submit <python file>",
            ),
        }
    }
}

impl std::error::Error for ParseError {}

fn syntax(msg: impl Into<String>) -> ParseError {
    ParseError::Syntax(msg.into())
}

/// Parses the user's arguments for `command` (without the program name).
///
/// The script prefix of `command` (`--class org.apache.spark.repl.Main ...` for `spark-shell`)
/// is put in front, as Spark's `bin/` scripts do.
pub fn parse(command: SparkCommand, user_args: &[String]) -> Result<SubmitArgs, ParseError> {
    let mut argv: Vec<String> = command
        .script_prefix()
        .iter()
        .map(|s| s.to_string())
        .collect();
    argv.extend(user_args.iter().cloned());
    let mut args = SubmitArgs::default();

    // SparkSubmitCommandBuilder: a leading pyspark/sparkr shell marker selects the shell.
    let mut rest: &[String] = &argv;
    if let Some(first) = rest.first()
        && (first == PYSPARK_SHELL_MAIN || first == SPARKR_SHELL_MAIN)
    {
        args.mixed_arguments = true;
        args.primary_resource = Some(if first == PYSPARK_SHELL_MAIN {
            "pyspark-shell".to_string()
        } else {
            "sparkr-shell".to_string()
        });
        rest = &rest[1..];
    }

    let mut idx = 0;
    while idx < rest.len() {
        let token = &rest[idx];
        // Spark's `(--[^=]+)=(.+)`: a long option with a non-empty inline value.
        let (name, inline) = split_inline(token);
        if let Some(flag) = flags::lookup(name) {
            let value = match flag.arity {
                Arity::Switch => None,
                Arity::Value => match inline {
                    Some(v) => Some(v.to_string()),
                    None => {
                        if idx + 1 >= rest.len() {
                            return Err(syntax(format!("Missing argument for option '{name}'.")));
                        }
                        idx += 1;
                        Some(rest[idx].clone())
                    }
                },
            };
            handle(&mut args, flag.opt, value)?;
            idx += 1;
            continue;
        }
        // An unknown token (spelled as the launcher saw it after splitting `=`).
        if args.mixed_arguments {
            args.app_args.push(token.clone());
            idx += 1;
            continue;
        }
        if name.starts_with('-') {
            return Err(syntax(format!("Unrecognized option: {name}")));
        }
        args.primary_resource = Some(token.clone());
        args.app_args = rest[idx + 1..].to_vec();
        break;
    }

    if command == SparkCommand::PySpark && args.primary_resource.as_deref() == Some("pyspark-shell")
    {
        if args.app_args.first().is_some_and(|a| a.ends_with(".py")) {
            return Err(ParseError::PySparkScript);
        }
        if !args.app_args.is_empty() {
            return Err(syntax("pyspark does not support any application options."));
        }
    }

    let special = !matches!(args.action, Action::Submit);
    if args.primary_resource.is_none() && !special && !args.mixed_arguments {
        return Err(syntax("Missing application resource."));
    }
    Ok(args)
}

/// Splits `--name=value` as Spark's launcher does; any other token is returned whole.
fn split_inline(token: &str) -> (&str, Option<&str>) {
    if let Some(body) = token.strip_prefix("--")
        && let Some(eq) = body.find('=')
    {
        let (name, value) = (&token[..eq + 2], &body[eq + 1..]);
        if eq > 0 && !value.is_empty() {
            return (name, Some(value));
        }
    }
    (token, None)
}

/// The field of an option that keeps its value as written; `None` for the others.
fn text_field(args: &mut SubmitArgs, opt: Opt) -> Option<&mut Option<String>> {
    Some(match opt {
        Opt::Master => &mut args.master,
        Opt::Remote => &mut args.remote,
        Opt::DeployMode => &mut args.deploy_mode,
        Opt::Name => &mut args.name,
        Opt::Jars => &mut args.jars,
        Opt::Packages => &mut args.packages,
        Opt::ExcludePackages => &mut args.exclude_packages,
        Opt::Repositories => &mut args.repositories,
        Opt::PyFiles => &mut args.py_files,
        Opt::Files => &mut args.files,
        Opt::Archives => &mut args.archives,
        Opt::PropertiesFile => &mut args.properties_file,
        Opt::DriverDefaultClassPath => &mut args.driver_default_class_path,
        Opt::DriverCores => &mut args.driver_cores,
        Opt::ExecutorMemory => &mut args.executor_memory,
        Opt::ExecutorCores => &mut args.executor_cores,
        Opt::NumExecutors => &mut args.num_executors,
        Opt::TotalExecutorCores => &mut args.total_executor_cores,
        Opt::ProxyUser => &mut args.proxy_user,
        Opt::Principal => &mut args.principal,
        Opt::Keytab => &mut args.keytab,
        Opt::Queue => &mut args.queue,
        Opt::LauncherConfig => &mut args.launcher_config,
        Opt::LogLevel => &mut args.log_level,
        Opt::LogFormat => &mut args.log_format,
        Opt::Output => &mut args.output,
        _ => return None,
    })
}

fn handle(args: &mut SubmitArgs, opt: Opt, value: Option<String>) -> Result<(), ParseError> {
    let v = || value.clone().unwrap_or_default();
    if let Some(field) = text_field(args, opt) {
        *field = Some(v());
        return Ok(());
    }
    match opt {
        Opt::Class => {
            let class = v();
            // Spark's special classes take mixed arguments and fix the resource.
            let special = match class.as_str() {
                REPL_CLASS => Some("spark-shell"),
                SQL_CLI_CLASS | THRIFT_SERVER_CLASS => Some("spark-internal"),
                _ => None,
            };
            if let Some(resource) = special {
                args.mixed_arguments = true;
                args.primary_resource = Some(resource.to_string());
            }
            args.main_class = Some(class);
        }
        Opt::Conf => {
            let value = v();
            match value.split_once('=') {
                Some((k, val)) => args.conf.push((k.to_string(), val.to_string())),
                None => return Err(syntax(format!("Invalid argument to --conf: {value}"))),
            }
        }
        Opt::ExtraPropertiesFile => args.extra_properties_files.push(v()),
        Opt::LoadSparkDefaults => args.load_spark_defaults = true,
        Opt::DriverMemory => args.conf.push(("spark.driver.memory".into(), v())),
        Opt::DriverJavaOptions => args
            .conf
            .push(("spark.driver.extraJavaOptions".into(), v())),
        Opt::DriverLibraryPath => args
            .conf
            .push(("spark.driver.extraLibraryPath".into(), v())),
        Opt::DriverClassPath => args.conf.push(("spark.driver.extraClassPath".into(), v())),
        Opt::Supervise => args.supervise = true,
        Opt::Kill | Opt::Status => {
            let new = if opt == Opt::Kill {
                Action::Kill(v())
            } else {
                Action::Status(v())
            };
            set_action(args, new);
        }
        Opt::Help => set_action(args, Action::Help),
        Opt::Version => set_action(args, Action::Version),
        Opt::UsageError => set_action(args, Action::UsageError),
        Opt::Verbose => args.verbose = true,
        Opt::DryRun => args.dry_run = true,
        Opt::ShowSecrets => args.show_secrets = true,
        Opt::Quiet => args.quiet = true,
        _ => unreachable!("{opt:?} keeps its value as written: set through text_field"),
    }
    Ok(())
}

/// Help, version and usage errors win over everything (Spark exits on the first it meets);
/// two of kill/status is Spark's "Action cannot be both" error, kept for `resolve`.
fn set_action(args: &mut SubmitArgs, new: Action) {
    let name = |a: &Action| match a {
        Action::Kill(_) => "KILL",
        Action::Status(_) => "REQUEST_STATUS",
        _ => "SUBMIT",
    };
    match (&args.action, &new) {
        (Action::Help | Action::Version | Action::UsageError, _) => {}
        (Action::Kill(_) | Action::Status(_), Action::Kill(_) | Action::Status(_)) => {
            args.conflicting_actions = Some((name(&args.action).into(), name(&new).into()));
            args.action = new;
        }
        _ => args.action = new,
    }
}

#[cfg(test)]
mod tests;
