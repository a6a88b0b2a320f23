//! Shell completions and man pages, generated from our commands' clap definitions
//! (`cli::args`) and spark-submit's flag table (never by hand).

use clap::{Arg, ArgAction, Command, CommandFactory, ValueHint};

use crate::cli::args::{Cli, Shell};
use crate::parse::flags::{Arity, FLAGS, Opt};

/// The shells we generate for (`completions SHELL`), as clap names them.
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

/// spark-submit's options from the flag table; its `-h`/`--help` where clap has none (clap's
/// own is the same two names; disabling it on the root would disable it on every subcommand).
fn spark_flags(mut cmd: Command) -> Command {
    let clap_help = !cmd.is_disable_help_flag_set();
    for f in FLAGS.iter().filter(|f| !(clap_help && f.opt == Opt::Help)) {
        let id = f.long.trim_start_matches('-');
        // Our commands' own `--quiet`, `--log-level`, `--log-format` are these already.
        if cmd.get_arguments().any(|a| a.get_id() == id) {
            continue;
        }
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
    cmd
}

/// A Spark command: the flag table, the application and its arguments.
fn spark_command(cmd: Command) -> Command {
    spark_flags(cmd)
        .arg(
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

/// The command tree completions are generated from: our commands as clap defines them, and
/// spark-submit's grammar (the root, `submit`, the shells, the options after `kill`/`status`'s
/// id) from the flag table.
pub fn command() -> Command {
    // The root is spark-submit too: an option first means `submit`. Its options only: an
    // application positional there would take a command's place in zsh (`clusters -<TAB>`
    // completed spark-submit's options).
    let mut root = spark_flags(Cli::command()).subcommand_required(false);
    for name in crate::cli::args::Command::SPARK {
        root = root.mut_subcommand(name, spark_command);
    }
    for name in ["kill", "status"] {
        root = root.mut_subcommand(name, spark_flags);
    }
    root
}

/// The completion script for `shell`.
pub fn generate(shell: Shell) -> String {
    let sh = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::PowerShell => clap_complete::Shell::PowerShell,
    };
    let mut buf = Vec::new();
    clap_complete::generate(sh, &mut command(), "spark-k8s-cli", &mut buf);
    let script = String::from_utf8_lossy(&buf).into_owned();
    match shell {
        Shell::Bash => bash_hyphen_fix(&script),
        _ => script,
    }
}

/// The commands with a man page of their own (`spark-k8s-cli-NAME.1`): every command but
/// `help`.
pub fn man_commands() -> Vec<String> {
    command()
        .get_subcommands()
        .filter(|c| c.get_name() != "help" && !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The man page (roff) of the binary, or of one of its commands: `None` for no such command.
pub fn man_page(command_name: Option<&str>) -> Option<String> {
    let root = command();
    let cmd = match command_name {
        None => root,
        Some(name) => root
            .find_subcommand(name)
            .filter(|_| name != "help")?
            .clone()
            .display_name(format!("spark-k8s-cli-{name}"))
            .bin_name(format!("spark-k8s-cli {name}")),
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// clap_complete's bash script (4.6.11) spells the state of a subcommand of a hyphenated binary
/// two ways: the loop over the words sets `spark__k8s__cli__subcmd__clusters`, the `case` arm
/// says `spark__subcmd__k8s__subcmd__cli__subcmd__clusters`, so no subcommand's options ever
/// complete (clap-rs/clap#6421, #6529; the fix, #6428, builds the arm as the loop does). We do
/// the same to the generated text; the test in `tests/help_and_completions.rs` runs it in bash.
fn bash_hyphen_fix(script: &str) -> String {
    script.replace("spark__subcmd__k8s__subcmd__cli", "spark__k8s__cli")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn command_tree_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_flag_is_completed() {
        let bash = generate(Shell::Bash);
        for f in FLAGS {
            assert!(bash.contains(f.long), "{} missing", f.long);
        }
    }

    #[test]
    fn shells_are_claps_names() {
        let names: Vec<String> = Shell::value_variants()
            .iter()
            .filter_map(|s| s.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names, SHELLS);
        assert!(SHELLS.iter().all(|s| file_name(s).is_some()));
    }

    #[test]
    fn our_commands_complete_their_own_options_not_spark_submits() {
        let tree = command();
        let clusters = tree.find_subcommand("clusters").unwrap();
        let longs: Vec<&str> = clusters
            .get_arguments()
            .filter_map(|a| a.get_long())
            .collect();
        assert_eq!(
            longs,
            ["output"],
            "clap adds --help when it builds the tree"
        );
        let kill = tree.find_subcommand("kill").unwrap();
        assert!(kill.get_arguments().any(|a| a.get_long() == Some("master")));
        // Every arm of the bash script's `case` is a state its loop can reach.
        let bash = generate(Shell::Bash);
        assert!(bash.contains("spark__k8s__cli__subcmd__clusters)\n"));
        assert!(!bash.contains("__subcmd__k8s"));
    }
}
