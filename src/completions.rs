//! Shell completions, generated from the flag table and the subcommand list (never by hand).

use clap::{Arg, ArgAction, Command, ValueHint};
use clap_complete::Shell;

use crate::parse::flags::{Arity, FLAGS};

/// The shells we generate for, and the committed file name of each under `completions/`.
pub const SHELLS: &[&str] = &["bash", "zsh", "fish", "elvish", "powershell"];

/// The committed file name for `shell`.
pub fn file_name(shell: &str) -> Option<&'static str> {
    Some(match shell {
        "bash" => "spark-k8s-cli.bash",
        "zsh" => "_spark-k8s-cli",
        "fish" => "spark-k8s-cli.fish",
        "elvish" => "spark-k8s-cli.elv",
        "powershell" => "_spark-k8s-cli.ps1",
        _ => return None,
    })
}

fn spark_options(cmd: Command) -> Command {
    let mut cmd = cmd.disable_help_flag(true).disable_version_flag(true);
    for f in FLAGS {
        let id = f.long.trim_start_matches('-');
        let mut arg = Arg::new(id).long(id).help(f.doc);
        if let Some(short) = f
            .aliases
            .iter()
            .find_map(|a| a.strip_prefix('-').filter(|s| s.len() == 1))
        {
            arg = arg.short(short.chars().next().expect("one char"));
        }
        arg = match f.arity {
            Arity::Switch => arg.action(ArgAction::SetTrue),
            Arity::Value => arg
                .action(ArgAction::Append)
                .value_name(f.metavar)
                .value_hint(if f.takes_path {
                    ValueHint::FilePath
                } else {
                    ValueHint::Other
                }),
        };
        if f.long == "--deploy-mode" {
            arg = arg.value_parser(["client", "cluster"]);
        }
        cmd = cmd.arg(arg);
    }
    cmd.arg(
        Arg::new("primary-resource")
            .value_name("APP")
            .help("app jar, python file, R file, or spark-internal")
            .value_hint(ValueHint::FilePath),
    )
    .arg(
        Arg::new("app-args")
            .value_name("ARGS")
            .num_args(0..)
            .trailing_var_arg(true)
            .allow_hyphen_values(true),
    )
}

/// The command tree completions are generated from.
pub fn command() -> Command {
    let mut root = spark_options(Command::new("spark-k8s-cli"))
        .about("spark-submit for a fleet of Kubernetes clusters");
    for (name, doc) in crate::cli::SUBCOMMANDS {
        let sub = Command::new(*name).about(*doc);
        let sub = match *name {
            "completions" => sub.arg(Arg::new("shell").value_parser(SHELLS.to_vec())),
            "settings" => sub.arg(
                Arg::new("markdown")
                    .long("markdown")
                    .action(ArgAction::SetTrue),
            ),
            "sim" => sub.subcommand(
                Command::new("serve")
                    .about("Serve emulated clusters and write a kubeconfig")
                    .arg(Arg::new("clusters").long("clusters").value_name("N"))
                    .arg(
                        Arg::new("kubeconfig-out")
                            .long("kubeconfig-out")
                            .value_name("FILE")
                            .value_hint(ValueHint::FilePath),
                    )
                    .arg(Arg::new("quota").long("quota").value_name("LIMITS"))
                    .arg(
                        Arg::new("config")
                            .long("config")
                            .value_name("FILE")
                            .value_hint(ValueHint::FilePath),
                    )
                    .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue)),
            ),
            "alert" => sub.subcommand(
                Command::new("test")
                    .about("Send a sample event through the sinks")
                    .arg(Arg::new("sink").long("sink").value_name("NAME"))
                    .arg(
                        Arg::new("event")
                            .long("event")
                            .value_parser(crate::alert::Kind::ALL.map(|k| k.name()).to_vec()),
                    ),
            ),
            "kill" | "status" => spark_options(sub.arg(Arg::new("submission-id"))),
            _ => spark_options(sub),
        };
        root = root.subcommand(sub);
    }
    root
}

/// The completion script for `shell`.
pub fn generate(shell: &str) -> Result<String, String> {
    let sh = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "elvish" => Shell::Elvish,
        "powershell" => Shell::PowerShell,
        other => {
            return Err(format!(
                "unknown shell '{other}': choose one of {}.",
                SHELLS.join(", ")
            ));
        }
    };
    let mut buf = Vec::new();
    clap_complete::generate(sh, &mut command(), "spark-k8s-cli", &mut buf);
    String::from_utf8(buf).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_flag_is_completed() {
        let bash = generate("bash").unwrap();
        for f in FLAGS {
            assert!(bash.contains(f.long), "{} missing", f.long);
        }
        assert!(generate("tcsh").is_err());
    }
}
