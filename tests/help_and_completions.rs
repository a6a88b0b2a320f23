//! Every command answers `--help` and `-h`, and every completion script we ship loads in its
//! shell and completes our commands' own options (issue 18: `clusters -<TAB>` offered nothing in
//! bash and spark-submit's options in zsh).
//!
//! zsh and fish are not on every machine: without one, its test says so on stderr and passes,
//! unless `REQUIRE_COMPLETION_SHELLS=1` (set by `.ci/run`, which installs them).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::CommandFactory;
use common::home::{Home, homeless};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every command path of the tree (`["sim", "serve"]`, ...), clap's own `help` aside.
fn paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        paths(sub, &path, out);
    }
}

#[test]
fn every_command_and_subcommand_has_help() {
    let mut all = vec![Vec::new()];
    paths(&spark_k8s_cli::cli::args::Cli::command(), &[], &mut all);
    assert!(all.len() > 16, "{all:?}");
    for path in &all {
        for flag in ["--help", "-h"] {
            // No kubeconfig and no home: nothing here may reach for a cluster.
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let out = homeless(&args);
            let all = text(&out);
            let usage = format!("Usage: spark-k8s-cli {}", path.join(" "));
            let usage = usage.trim_end();
            assert_eq!(out.status.code(), Some(0), "{path:?} {flag}: {all}");
            assert!(
                all.contains(usage),
                "{path:?} {flag}: wanted {usage:?} in\n{all}"
            );
        }
        // `help CMD` is the command's help too.
        if path.len() == 1 {
            let out = homeless(&["help", &path[0]]);
            assert_eq!(out.status.code(), Some(0), "help {path:?}: {}", text(&out));
            assert!(text(&out).contains(&format!("Usage: spark-k8s-cli {}", path[0])));
        }
    }
}

/// Our commands' usage errors are clap's, with the command's usage, and exit 1 as spark-submit's.
#[test]
fn our_commands_fail_in_claps_words_with_exit_1() {
    for (args, needle) in [
        (&["clusters", "--wide"][..], "unexpected argument '--wide'"),
        (
            &["clusters", "-o", "xml"],
            "invalid value 'xml' for '--output <FORMAT>'",
        ),
        (&["list", "stray"], "unexpected argument 'stray'"),
        (&["logs"], "<JOB-ID>"),
        (
            &["alert", "test", "--event", "nope"],
            "invalid value 'nope'",
        ),
        (
            &["demo", "--jobs", "0"],
            "invalid value '0' for '--jobs <N>'",
        ),
        (&["completions", "tcsh"], "invalid value 'tcsh'"),
    ] {
        let out = homeless(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: wanted {needle:?} in\n{err}"
        );
        assert!(err.contains("For more information, try '--help'."), "{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The committed script for `shell`.
fn script(shell: &str) -> PathBuf {
    let name = spark_k8s_cli::completions::file_name(shell).unwrap();
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(name)
}

/// Whether `shell` can run here; without it, a skip said on stderr, or a failure when CI
/// requires every shell.
fn have(shell: &str) -> bool {
    let found = Command::new(shell)
        .args(["-c", "exit 0"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("REQUIRE_COMPLETION_SHELLS").as_deref() != Ok("1"),
            "{shell} is required (REQUIRE_COMPLETION_SHELLS=1) but cannot be run"
        );
        // Past libtest's capture (it takes `eprintln!` only), so that a passing run says it too.
        let _ = writeln!(
            std::io::stderr(),
            "help_and_completions: skipped {shell}: not installed, its completion script is not checked"
        );
    }
    found
}

/// What the shell offers for a line (the last word is the one being completed), one match a
/// line on stdout; `timeout` bounds it, so a hung shell fails the test.
type Offer = fn(&Path, &str) -> Output;

/// Lines to complete, an option that must be offered, one that must not (spark-submit's own
/// where a command of ours is, and the other way round).
const CASES: &[(&str, &str, &str)] = &[
    ("spark-k8s-cli clusters -", "-o", "--master"),
    ("spark-k8s-cli list --", "--queue", "--class"),
    ("spark-k8s-cli sim serve --", "--kubeconfig-out", "--master"),
    ("spark-k8s-cli alert test --", "--event", "--output"),
    ("spark-k8s-cli submit --", "--class", "--markdown"),
    ("spark-k8s-cli --", "--deploy-mode", "--markdown"),
];

fn check(shell: &str, offer: Offer) {
    if !have(shell) {
        return;
    }
    let file = script(shell);
    for (line, wanted, unwanted) in CASES {
        let out = offer(&file, line);
        let all = text(&out);
        assert!(out.status.success(), "{shell} {line:?}: {all}");
        // One match a line; fish adds a tab and the description.
        let offered: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split('\t').next())
            .map(|w| w.trim().to_string())
            .collect();
        let has = |w: &str| offered.iter().any(|o| o == w);
        assert!(
            has(wanted),
            "{shell}: {line:?} should offer {wanted}, offered {offered:?}\n{all}"
        );
        assert!(
            !has(unwanted),
            "{shell}: {line:?} should not offer {unwanted}, offered {offered:?}"
        );
    }
}

/// bash: source the script, set COMP_WORDS and COMP_CWORD as readline would, call the
/// function `complete -p` names, print COMPREPLY.
fn bash(file: &Path, line: &str) -> Output {
    let script = r#"
        source "$1" || exit 3
        read -ra COMP_WORDS <<<"$2"
        [[ "$2" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        fn=$(complete -p spark-k8s-cli | sed -E 's/.* -F ([^ ]+) .*/\1/')
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        "$fn" spark-k8s-cli "$cur" "$prev"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    Command::new("timeout")
        .args(["60", "bash", "--norc", "--noprofile", "-c", script, "bash"])
        .arg(file)
        .arg(line)
        .output()
        .unwrap()
}

/// fish: load the script and ask fish what it would complete.
fn fish(file: &Path, line: &str) -> Output {
    Command::new("timeout")
        .args(["60", "fish", "--no-config", "-c"])
        .arg("source $argv[1]; and complete -C $argv[2]")
        .arg(file)
        .arg(line)
        .output()
        .unwrap()
}

/// zsh completes only in its line editor: an interactive zsh in a pseudo-terminal (zpty) loads
/// the script with compinit from `fpath`, as users install it, and is sent the line and a TAB.
/// `compadd` records each match that applies to the word; the completion system's post-hook
/// prints a marker when it is done.
const ZSH_DRIVER: &str = r#"
zmodload zsh/zpty || exit 3
dir=$1 out=$2 line=$3
: > $out
zpty z zsh -f -i
zpty -w z "PS1=''; LISTMAX=100000; fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() { local -a hits; builtin compadd -O hits \"\$@\"; print -rl -- \$hits >> ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "done_marker() { print -n '__DO''NE__' }; comppostfuncs=(done_marker); bindkey '^I' complete-word"
zpty -n -w z "$line"$'\t'
while zpty -r z chunk; do [[ $chunk == *__DONE__* ]] && break; done
zpty -d z
cat $out
"#;

fn zsh(file: &Path, line: &str) -> Output {
    let home = Home::new("zsh");
    let dir = home.dir.join("fpath");
    std::fs::create_dir_all(&dir).unwrap();
    // Only our function on the extra fpath entry.
    std::fs::copy(file, dir.join("_spark-k8s-cli")).unwrap();
    Command::new("timeout")
        .args(["60", "zsh", "-f", "-c", ZSH_DRIVER, "zsh"])
        .arg(&dir)
        .arg(home.dir.join("matches"))
        .arg(line)
        .output()
        .unwrap()
}

#[test]
fn bash_completes_our_commands_options() {
    check("bash", bash);
}

#[test]
fn zsh_completes_our_commands_options() {
    check("zsh", zsh);
}

#[test]
fn fish_completes_our_commands_options() {
    check("fish", fish);
}
