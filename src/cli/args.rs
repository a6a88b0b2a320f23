//! Our own commands as clap definitions: the one place their arguments, help and completions
//! come from. spark-submit's grammar (`submit`, `shell`, `pyspark`, `sql`, an option first, the
//! multi-call names) is not parsed here: `parse` owns it, faithfully. Its commands appear in this
//! tree, without arguments, so that help and completions list them; `completions` adds the flag
//! table to them (and to `kill`/`status`, whose options after the id are spark-submit's).

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

/// spark-k8s-cli's command tree.
#[derive(Parser, Debug, PartialEq, Eq)]
#[command(
    name = "spark-k8s-cli",
    bin_name = "spark-k8s-cli",
    about = "spark-submit for a fleet of Kubernetes clusters"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub voice: VoiceArgs,
}

/// What the launcher says on stderr, for every command (`quiet`, `logLevel`, `logFormat`).
#[derive(Args, Debug, PartialEq, Eq, Default, Clone)]
pub struct VoiceArgs {
    /// Print nothing on stderr (errors included: the exit code tells); what a command is asked
    /// for (a listing) still prints
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
    /// What the launcher says on stderr: error, warn, info (default), debug or trace
    #[arg(id = "log-level", long, value_name = "LEVEL", global = true,
          value_parser = clap::builder::PossibleValuesParser::new(crate::report::Level::NAMES))]
    pub log_level: Option<String>,
    /// text (default), or json: each stderr line as one JSON object, for log shippers
    #[arg(id = "log-format", long, value_name = "FORMAT", global = true, value_parser = ["text", "json"])]
    pub log_format: Option<String>,
}

/// Every command, in the order help lists them.
#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum Command {
    /// Submit an application (the default when the first argument is an option)
    #[command(disable_help_flag = true)]
    Submit,
    /// spark-shell in a session pod in the cluster, attached to this terminal (or to piped stdin);
    /// queued, placed and alerted like a job
    #[command(disable_help_flag = true)]
    Shell,
    /// pyspark in a session pod in the cluster, attached to this terminal (or to piped stdin);
    /// queued, placed and alerted like a job
    #[command(name = "pyspark", disable_help_flag = true)]
    PySpark,
    /// spark-sql in a session pod in the cluster, attached to this terminal (or to piped stdin);
    /// queued, placed and alerted like a job
    #[command(disable_help_flag = true)]
    Sql,
    /// Delete a job: its driver, submit pod, executors, Secrets and queue ticket, whatever its
    /// phase (spark-submit --kill ID)
    ///
    /// On a fleet (no --master, or k8s://fleet) the job's cluster is found by itself.
    #[command(
        override_usage = "spark-k8s-cli kill <ID> [spark-submit options: --master k8s://URL, --conf KEY=VALUE ...]"
    )]
    Kill(JobRef),
    /// Print the status of a job's driver, or of its submit pod before a driver exists
    /// (spark-submit --status ID)
    ///
    /// On a fleet (no --master, or k8s://fleet) the job's cluster is found by itself.
    #[command(
        override_usage = "spark-k8s-cli status <ID> [spark-submit options: --master k8s://URL, --conf KEY=VALUE ...]"
    )]
    Status(JobRef),
    /// List the jobs of every launcher in a namespace (every cluster of a fleet)
    List(ListArgs),
    /// List the waiting and admitted jobs of every launcher
    Queue(ListArgs),
    /// Probe the fleet's clusters now: health, latency, circuit, quota headroom, running and
    /// queued jobs
    Clusters(ClustersArgs),
    /// Send a sample event through the alert sinks
    #[command(subcommand)]
    Alert(AlertCommand),
    /// Print a job's driver log
    Logs(LogsArgs),
    /// List the interactive sessions (spark-shell, pyspark, spark-sql): who, since when,
    /// cluster, idle time
    Sessions(ListArgs),
    /// Attach this terminal to a running session again (after a lost connection or a killed
    /// launcher)
    Attach(AttachArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
    /// Print a man page (roff): the binary's, or a command's (`man clusters | man -l -`)
    Man(ManArgs),
    /// List the launcher settings (--markdown for docs/config.md)
    Settings(MarkdownArgs),
    /// Run a three-cluster demo fleet in this process and a burst of jobs through it
    Demo(DemoArgs),
    /// Run the kubesim Kubernetes API emulator
    #[command(subcommand)]
    Sim(SimCommand),
    /// List every spark-submit option (--markdown for docs/flags.md)
    Flags(MarkdownArgs),
    /// Print least-privilege ServiceAccount, Role and RoleBinding manifests for the launcher and
    /// for the submit pod (kubectl apply -f -)
    Rbac(RbacArgs),
    /// Check the setup against every configured cluster (reachability, TLS, credentials, clock,
    /// RBAC, the submit service account, quota, LimitRanges, the launcher config and image),
    /// with a fix for each problem; exit 1 when something is broken
    #[command(
        override_usage = "spark-k8s-cli doctor [-o FORMAT] [spark-submit options: --master k8s://URL, --conf KEY=VALUE, --launcher-config FILE ...]"
    )]
    Doctor(DoctorArgs),
}

impl Command {
    /// The Spark commands: their arguments belong to spark-submit's own parser.
    pub const SPARK: &[&str] = &["submit", "shell", "pyspark", "sql"];
}

/// `kill` and `status`: which job, then spark-submit's options for finding its cluster.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct JobRef {
    /// A job id, or a submission id as spark-submit takes it: [namespace:]driver-pod, `*` at
    /// the end as a glob
    // Taken as given here, checked by `check_id`: an option in the id's place gets its own message.
    #[arg(value_name = "ID", allow_hyphen_values = true)]
    pub id: Option<String>,
    /// spark-submit's options, read by its own parser: --master, --conf, --properties-file,
    /// --launcher-config, --verbose
    #[arg(
        value_name = "SPARK_SUBMIT_OPTIONS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub options: Vec<String>,
}

/// Where `list`, `queue` and `logs` look: a fleet's clusters unless one cluster is named.
#[derive(Args, Debug, PartialEq, Eq, Default)]
pub struct Where {
    /// The API server (k8s://https://host:port), k8s://fleet, or k8s://fleet/NAME for one member
    #[arg(long, value_name = "URL")]
    pub master: Option<String>,
    /// The namespace [env: SPARK_K8S_CLI_NAMESPACE; default: the context's]
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// The kubeconfig context [env: SPARK_K8S_CLI_CONTEXT]
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// The kubeconfig file [env: SPARK_K8S_CLI_KUBECONFIG, else KUBECONFIG]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub kubeconfig: Option<String>,
}

/// How a listing prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Output {
    /// Aligned columns for people
    #[default]
    Table,
    /// The table with more columns (the namespace; merged columns apart)
    Wide,
    /// An array of objects
    Json,
    /// The same array in YAML
    Yaml,
}

impl Output {
    pub fn format(self) -> crate::report::Format {
        use crate::report::Format;
        match self {
            Output::Table => Format::Table,
            Output::Wide => Format::Wide,
            Output::Json => Format::Json,
            Output::Yaml => Format::Yaml,
        }
    }
}

/// `list` and `queue`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct ListArgs {
    /// Only the jobs of this queue
    #[arg(long, value_name = "QUEUE")]
    pub queue: Option<String>,
    /// Output format
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT", default_value_t)]
    pub output: Output,
    #[command(flatten)]
    pub place: Where,
}

/// `logs`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct LogsArgs {
    /// The job's id (`spark-k8s-cli list` shows them)
    #[arg(value_name = "JOB-ID")]
    pub job_id: String,
    /// Keep printing while the driver runs
    #[arg(short = 'f', long)]
    pub follow: bool,
    #[command(flatten)]
    pub place: Where,
}

/// `attach`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct AttachArgs {
    /// The session's id (`spark-k8s-cli sessions` shows them)
    #[arg(value_name = "SESSION")]
    pub session: String,
    #[command(flatten)]
    pub place: Where,
}

/// `clusters`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct ClustersArgs {
    /// Output format
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT", default_value_t)]
    pub output: Output,
}

/// `doctor`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct DoctorArgs {
    /// Output format
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT", default_value_t)]
    pub output: Output,
    /// spark-submit's options, read by its own parser: --master, --conf, --properties-file,
    /// --launcher-config
    #[arg(
        value_name = "SPARK_SUBMIT_OPTIONS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub options: Vec<String>,
}

/// `alert ...`.
#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum AlertCommand {
    /// Send a sample event through the configured sinks (all of them, or one)
    Test(AlertTestArgs),
}

/// `alert test`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct AlertTestArgs {
    /// Only the sink of this name (from alertSinks)
    #[arg(long, value_name = "NAME")]
    pub sink: Option<String>,
    /// The kind of event to send
    #[arg(long, value_name = "KIND", default_value = "driver-failed",
          value_parser = clap::builder::PossibleValuesParser::new(crate::events::Kind::ALL.map(|k| k.name())))]
    pub event: String,
}

/// The shells completions are generated for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    #[value(name = "powershell")]
    PowerShell,
}

/// `completions`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct CompletionsArgs {
    /// The shell to print completions for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// `man`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct ManArgs {
    /// The command whose page to print (the binary's when absent)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// `settings` and `flags`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct MarkdownArgs {
    /// Print the Markdown reference (docs/config.md, docs/flags.md) instead of the table
    #[arg(long)]
    pub markdown: bool,
}

/// `rbac`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct RbacArgs {
    /// The namespace the jobs run in
    #[arg(short = 'n', long, value_name = "NAMESPACE", default_value = "default")]
    pub namespace: String,
}

/// `demo`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct DemoArgs {
    /// How many jobs to run through the fleet
    #[arg(long, value_name = "N", default_value_t = 24,
          value_parser = clap::value_parser!(u16).range(1..=500))]
    pub jobs: u16,
    /// Where the drivers run: in the cluster, or in the submit pod (client)
    #[arg(long, value_name = "MODE", default_value = "cluster", value_parser = ["cluster", "client"])]
    pub deploy_mode: String,
}

/// `sim ...`.
#[derive(Subcommand, Debug, PartialEq, Eq)]
pub enum SimCommand {
    /// Serve N emulated clusters on 127.0.0.1 and write a kubeconfig naming them
    Serve(ServeArgs),
}

/// `sim serve`.
#[derive(Args, Debug, PartialEq, Eq)]
pub struct ServeArgs {
    /// Number of clusters (contexts kubesim-1 … kubesim-N). Default 1
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub clusters: Option<u16>,
    /// A YAML file of simulator settings (clusters, token, tls, historyLimit, quota, nodes,
    /// startDelayMs, quotaConflictRate, access, latency); flags given on the command line win
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<std::path::PathBuf>,
    /// Where to write the kubeconfig
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub kubeconfig_out: std::path::PathBuf,
    /// Create ResourceQuota `compute` in `default` on every cluster, e.g. cpu=8,memory=32Gi,pods=10
    #[arg(long, value_name = "LIMITS", value_parser = parse_quota)]
    pub quota: Option<Quota>,
    /// Serve HTTPS with a CA generated for this run (written into the kubeconfig); the bearer
    /// token is then required
    #[arg(long)]
    pub tls: bool,
    /// Latency profile: instant (every step at once) or realistic (scheduling, image pulls,
    /// container start and the JVM spark-submit's start-up take the times of a real cluster;
    /// the config file's `latency:` block tunes them). Default: the config file's, else instant
    #[arg(long, value_name = "PROFILE", value_parser = ["instant", "realistic"])]
    pub latency: Option<String>,
}

/// Quota hard limits (resource, quantity), one clap value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota(pub Vec<(String, String)>);

#[cfg(feature = "sim")]
fn parse_quota(s: &str) -> Result<Quota, String> {
    kubesim::parse_quota(s).map(Quota)
}

/// Without kubesim there is nothing to serve: any value passes, `sim` says why it cannot run.
#[cfg(not(feature = "sim"))]
fn parse_quota(s: &str) -> Result<Quota, String> {
    Ok(Quota(vec![(s.to_string(), String::new())]))
}

/// Parses one of our commands; `args` starts at the command's name.
pub fn parse(args: &[String]) -> Result<Command, clap::Error> {
    parse_cli(args).map(|c| c.command)
}

/// Parses one of our commands with the options every command takes.
pub fn parse_cli(args: &[String]) -> Result<Cli, clap::Error> {
    let argv = std::iter::once("spark-k8s-cli".to_string()).chain(args.iter().cloned());
    Cli::try_parse_from(argv)
}

impl VoiceArgs {
    /// These options as spark-submit's parser takes them (for `kill` and `status`).
    pub fn as_spark(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.quiet {
            out.push("--quiet".to_string());
        }
        for (flag, v) in [
            ("--log-level", &self.log_level),
            ("--log-format", &self.log_format),
        ] {
            if let Some(v) = v {
                out.extend([flag.to_string(), v.clone()]);
            }
        }
        out
    }

    /// The voice these options give: the defaults, changed by the options given.
    pub fn voice(&self) -> crate::report::Voice {
        let mut v = crate::report::Voice {
            quiet: self.quiet,
            ..Default::default()
        };
        if let Some(l) = self
            .log_level
            .as_deref()
            .and_then(crate::report::Level::parse)
        {
            v.level = l;
        }
        v.json = self.log_format.as_deref() == Some("json");
        v
    }
}

/// An option where `kill` or `status` wants an id is a slip, never a submission named `--x`;
/// no id at all is an error too. Both in clap's words, with the command's usage.
pub fn check_id(name: &str, id: Option<&str>) -> Result<(), clap::Error> {
    let message = match id {
        Some(a) if a.starts_with('-') => {
            format!("{name} takes a job id or submission id first, not the option {a}.")
        }
        Some(_) => return Ok(()),
        None => format!("{name} takes a job id or submission id."),
    };
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let sub = cmd
        .find_subcommand_mut(name)
        .expect("kill and status are commands");
    Err(sub.error(clap::error::ErrorKind::MissingRequiredArgument, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::argv;
    use clap::CommandFactory;

    #[test]
    fn tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn our_commands_parse() {
        assert_eq!(
            parse(&argv(&["clusters", "-o", "json"])).unwrap(),
            Command::Clusters(ClustersArgs {
                output: Output::Json
            })
        );
        assert_eq!(
            parse(&argv(&[
                "list",
                "--output=json",
                "-n",
                "etl",
                "--queue",
                "q"
            ]))
            .unwrap(),
            Command::List(ListArgs {
                queue: Some("q".into()),
                output: Output::Json,
                place: Where {
                    namespace: Some("etl".into()),
                    ..Where::default()
                },
            })
        );
        assert_eq!(
            parse(&argv(&["completions", "powershell"])).unwrap(),
            Command::Completions(CompletionsArgs {
                shell: Shell::PowerShell
            })
        );
        let Command::Demo(d) = parse(&argv(&["demo"])).unwrap() else {
            panic!()
        };
        assert_eq!((d.jobs, d.deploy_mode.as_str()), (24, "cluster"));
    }

    #[test]
    fn every_command_takes_the_voice_options() {
        let cli = parse_cli(&argv(&[
            "queue",
            "-o",
            "wide",
            "-q",
            "--log-level",
            "warn",
            "--log-format=json",
        ]))
        .unwrap();
        let Command::Queue(a) = &cli.command else {
            panic!("{cli:?}")
        };
        assert_eq!(a.output.format(), crate::report::Format::Wide);
        let v = cli.voice.voice();
        assert!(v.quiet && v.json);
        assert_eq!(v.level, crate::report::Level::Warn);
        assert_eq!(
            cli.voice.as_spark(),
            argv(&["--quiet", "--log-level", "warn", "--log-format", "json"])
        );
        assert_eq!(
            VoiceArgs::default().voice(),
            crate::report::Voice::default()
        );
    }

    #[test]
    fn kill_takes_an_id_then_spark_submit_options() {
        assert_eq!(
            parse(&argv(&[
                "kill", "ns:pod*", "--master", "k8s://h", "-c", "a=b"
            ]))
            .unwrap(),
            Command::Kill(JobRef {
                id: Some("ns:pod*".into()),
                options: argv(&["--master", "k8s://h", "-c", "a=b"]),
            })
        );
        // Help is clap's, before or after the id.
        for a in [&["kill", "--help"][..], &["status", "x", "-h"]] {
            let e = parse(&argv(a)).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::DisplayHelp, "{a:?}");
        }
        let Command::Kill(r) = parse(&argv(&["kill", "--master"])).unwrap() else {
            panic!()
        };
        let e = check_id("kill", r.id.as_deref()).unwrap_err().to_string();
        assert!(e.contains("not the option --master"), "{e}");
        assert!(e.contains("Usage: spark-k8s-cli kill <ID>"), "{e}");
        assert!(
            check_id("status", None)
                .unwrap_err()
                .to_string()
                .contains("status takes a job id")
        );
        assert!(check_id("status", Some("a")).is_ok());
    }

    #[test]
    fn bad_arguments_are_clap_errors() {
        for a in [
            &["clusters", "--wide"][..],
            &["clusters", "-o", "xml"],
            &["list", "--log-level", "loud"],
            &["queue", "--log-format", "xml"],
            &["logs"],
            &["list", "extra"],
            &["alert"],
            &["alert", "test", "--event", "nope"],
            &["demo", "--jobs", "0"],
            &["sim", "serve"],
            &["completions", "tcsh"],
        ] {
            let e = parse(&argv(a)).unwrap_err();
            assert!(e.use_stderr(), "{a:?}: {e}");
        }
    }
}
