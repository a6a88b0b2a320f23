//! Runs one of our own commands (not spark-submit's grammar): clap parses it (`args`), help
//! goes to stdout with exit 0, a usage error to stderr with exit 1 as spark-submit's do.

use std::io::Write;

use super::args::{self, Command};
use super::exit;
use crate::completions;
use crate::parse::SparkCommand;
use crate::resolve::Env;

/// Runs `args` (which start at the command's name); returns the exit code.
pub fn run(args: &[String], env: &Env) -> u8 {
    match args::parse_cli(args) {
        Ok(cli) => {
            // `kill` and `status` are spark-submit's: its settings set the voice.
            if !matches!(cli.command, Command::Kill(_) | Command::Status(_)) {
                crate::init_logging(env, cli.voice.voice(), false);
            }
            dispatch(cli.command, &cli.voice, env)
        }
        Err(e) => clap_exit(&e),
    }
}

/// clap's help or error, printed where clap puts it; help is 0, an error is spark-submit's 1.
fn clap_exit(e: &clap::Error) -> u8 {
    let _ = e.print();
    if e.use_stderr() {
        exit::USAGE
    } else {
        exit::OK
    }
}

fn dispatch(command: Command, voice: &args::VoiceArgs, env: &Env) -> u8 {
    let stdout = std::io::stdout();
    let print = |text: &str| {
        let _ = stdout.lock().write_all(text.as_bytes());
        exit::OK
    };
    match command {
        // `invocation` hands these to spark-submit's parser with their arguments; alone, they
        // are spark-submit's with none.
        Command::Submit => super::spark(SparkCommand::Submit, "spark-k8s-cli submit", &[], env),
        Command::Shell => super::spark(SparkCommand::Shell, "spark-k8s-cli shell", &[], env),
        Command::PySpark => super::spark(SparkCommand::PySpark, "spark-k8s-cli pyspark", &[], env),
        Command::Sql => super::spark(SparkCommand::Sql, "spark-k8s-cli sql", &[], env),
        // `kill ID ...` / `status ID ...` are spark-submit's `--kill ID` / `--status ID`.
        Command::Kill(r) => kill_or_status("kill", r, voice, env),
        Command::Status(r) => kill_or_status("status", r, voice, env),
        Command::List(a) => super::jobs::list(&a, env),
        Command::Queue(a) => super::jobs::queue(&a, env),
        Command::Logs(a) => super::jobs::logs(&a, env),
        Command::Sessions(a) => super::jobs::sessions(&a, env),
        Command::Attach(a) => super::jobs::attach(&a, env),
        Command::Clusters(a) => super::fleet::clusters_command(a.output.format(), env),
        Command::Doctor(a) => super::doctor::command(a.output.format(), &a.options, env),
        #[cfg(feature = "sim")]
        Command::Alert(a) => super::alerts::command(&a, env),
        #[cfg(feature = "sim")]
        Command::Sim(a) => super::sim::run(a),
        #[cfg(feature = "sim")]
        Command::Demo(a) => super::demo::run(&a),
        #[cfg(not(feature = "sim"))]
        Command::Alert(_) | Command::Sim(_) | Command::Demo(_) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "Error: this build has no kubesim (built without the `sim` feature)."
            );
            exit::USAGE
        }
        Command::Completions(a) => print(&completions::generate(a.shell)),
        Command::Man(a) => match completions::man_page(a.command.as_deref()) {
            Some(page) => print(&page),
            None => {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "Error: no command '{}'. The commands: {}.",
                    a.command.as_deref().unwrap_or_default(),
                    completions::man_commands().join(", ")
                );
                exit::USAGE
            }
        },
        Command::Settings(a) if a.markdown => print(&super::output::settings_markdown()),
        Command::Settings(_) => print(&super::output::settings_table()),
        Command::Flags(a) => print(&super::output::flags(a.markdown)),
        Command::Rbac(a) if crate::naming::is_dns_label(&a.namespace) => {
            print(&crate::plan::rbac::manifests(&a.namespace))
        }
        Command::Rbac(a) => {
            let _ = writeln!(
                std::io::stderr().lock(),
                "Error: --namespace '{}' is not a namespace name: lowercase letters, digits and '-', at most 63 characters.",
                a.namespace
            );
            exit::USAGE
        }
    }
}

fn kill_or_status(name: &str, r: args::JobRef, voice: &args::VoiceArgs, env: &Env) -> u8 {
    match job_ref_as_spark(name, r, voice) {
        Ok(args) => super::spark(SparkCommand::Submit, "spark-k8s-cli submit", &args, env),
        Err(e) => clap_exit(&e),
    }
}

/// `kill ID OPTIONS...` as spark-submit's `--kill ID OPTIONS...` (`status` likewise), with
/// `--quiet`, `--log-level` and `--log-format` given before the id; or clap's error for a
/// missing or option-looking id.
pub fn job_ref_as_spark(
    name: &str,
    r: args::JobRef,
    voice: &args::VoiceArgs,
) -> Result<Vec<String>, clap::Error> {
    args::check_id(name, r.id.as_deref())?;
    let mut spark_args = vec![format!("--{name}")];
    spark_args.extend(r.id);
    spark_args.extend(voice.as_spark());
    spark_args.extend(r.options);
    Ok(spark_args)
}
