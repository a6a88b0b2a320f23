//! The tiny shell that containers and `exec` run: `sh -c SCRIPT [ARG0 ARGS...]` with its
//! positional parameters, variables, `read` and `exec`, as dash (Debian's `/bin/sh`) runs them.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::programs::ProgramCtx;
use crate::stdio::{Input, Size, StdinMsg};

/// What a wait ended with; a wait ends in `Err(())` when the program is stopped (its pod is
/// being deleted).
#[derive(Debug, PartialEq)]
pub enum Woke {
    Done,
    /// SIGINT from the terminal (Ctrl-C).
    Interrupted,
}

/// What the tiny shell needs from wherever it runs (a container's log, or an exec session).
pub trait ShellIo: Send {
    /// Writes text to stdout (`fd` 1) or stderr (`fd` 2).
    fn write(&mut self, fd: u8, text: &str);
    /// Sleeps, unless a Ctrl-C comes first.
    fn sleep(&mut self, d: Duration) -> impl Future<Output = Result<Woke, ()>> + Send;
    /// The next input: data, a signal from the terminal, or `Eof` (also when there is no stdin).
    fn read(&mut self) -> impl Future<Output = Result<StdinMsg, ()>> + Send;
    /// Puts input back for the next reader.
    fn unread(&mut self, m: StdinMsg);
    fn env(&self) -> &BTreeMap<String, String>;
    fn hostname(&self) -> &str;
    /// The terminal's size, when stdin is a terminal.
    fn terminal(&self) -> Option<Size>;
    /// Whether the shell is its container's first process. The kernel never delivers a signal
    /// to a PID namespace's init process unless it handles that signal (`sig_task_ignored`,
    /// Linux `kernel/signal.c`), and dash handles no SIGINT when not interactive: a container's
    /// own shell survives Ctrl-C, its children do not.
    fn init(&self) -> bool;
}

/// How a script ended.
#[derive(Debug, PartialEq)]
pub enum Done {
    Exit(i32),
    /// `exec CMD ARGS…`: the shell is replaced by this command.
    Exec(Vec<String>),
}

/// The exit status of a process a signal killed, as a shell and a container runtime report it.
const SIGINT_STATUS: i32 = 128 + 2;

/// What `$…` expands from: the positional parameters (`$0` first), the shell's variables, the
/// environment, and the last status.
struct Params<'a> {
    args: &'a [String],
    vars: &'a BTreeMap<String, String>,
    env: &'a BTreeMap<String, String>,
    status: i32,
}

impl Params<'_> {
    fn positional(&self) -> &[String] {
        self.args.get(1..).unwrap_or_default()
    }

    /// A parameter's value (not `@`).
    fn value(&self, name: &str) -> String {
        match name {
            "*" => self.positional().join(" "),
            "#" => self.positional().len().to_string(),
            "?" => self.status.to_string(),
            n if n.chars().all(|c| c.is_ascii_digit()) => n
                .parse::<usize>()
                .ok()
                .and_then(|i| self.args.get(i))
                .cloned()
                .unwrap_or_default(),
            n => self
                .vars
                .get(n)
                .or_else(|| self.env.get(n))
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// The parameter name after a `$` at `chars[i]`, and where it ends; `None` for a lone `$`.
fn param_name(chars: &[char], i: usize) -> Option<(String, usize)> {
    match chars.get(i + 1)? {
        '{' => {
            let close = chars[i + 2..].iter().position(|c| *c == '}')?;
            Some((chars[i + 2..i + 2 + close].iter().collect(), i + 3 + close))
        }
        c @ ('@' | '*' | '#' | '?') => Some((c.to_string(), i + 2)),
        c if c.is_ascii_digit() => Some((c.to_string(), i + 2)),
        c if c.is_ascii_alphabetic() || *c == '_' => {
            let len = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .count();
            Some((chars[i + 1..i + 1 + len].iter().collect(), i + 1 + len))
        }
        _ => None,
    }
}

/// Splits one statement into words as the shell does: quotes, `\` escapes, parameter
/// expansion (`$0`, `$1`…, `"$@"` one word per parameter, `$#`, `$?`, `$NAME`, `${NAME}`), and
/// field splitting of unquoted expansions.
fn words(stmt: &str, params: &Params) -> Vec<String> {
    let chars: Vec<char> = stmt.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    // Whether the word exists even if empty (quotes), and whether an empty `"$@"` is all of it.
    let (mut any, mut only_empty_at) = (false, false);
    let mut quote: Option<char> = None;
    let mut i = 0;
    let end_word = |out: &mut Vec<String>, cur: &mut String, any: &mut bool, at: &mut bool| {
        if (*any && !*at) || !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
        (*any, *at) = (false, false);
    };
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (Some('\''), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (Some('"'), '\\') if matches!(chars.get(i + 1), Some('"' | '\\' | '$')) => {
                i += 1;
                cur.push(chars[i]);
            }
            (None, '\\') if i + 1 < chars.len() => {
                i += 1;
                cur.push(chars[i]);
                any = true;
            }
            (_, '$') => match param_name(&chars, i) {
                Some((name, next)) => {
                    i = next;
                    if name == "@" {
                        let ps = params.positional();
                        only_empty_at = ps.is_empty() && cur.is_empty();
                        for (k, p) in ps.iter().enumerate() {
                            if k > 0 {
                                out.push(std::mem::take(&mut cur));
                            }
                            cur.push_str(p);
                            any = true;
                        }
                    } else {
                        let v = params.value(&name);
                        if quote.is_some() {
                            cur.push_str(&v);
                        } else {
                            // Field splitting: whitespace in an unquoted expansion separates words.
                            for (k, field) in v.split(char::is_whitespace).enumerate() {
                                if k > 0 {
                                    end_word(&mut out, &mut cur, &mut any, &mut only_empty_at);
                                }
                                cur.push_str(field);
                            }
                        }
                    }
                    continue;
                }
                None => cur.push('$'),
            },
            (None, c) if c.is_whitespace() => {
                end_word(&mut out, &mut cur, &mut any, &mut only_empty_at)
            }
            (_, c) => {
                cur.push(c);
                only_empty_at = false;
            }
        }
        i += 1;
    }
    end_word(&mut out, &mut cur, &mut any, &mut only_empty_at);
    out
}

/// What a command did: a status, or the end of the shell (killed, or replaced by `exec`).
enum Ran {
    Status(i32),
    End(Done),
}

/// A child process the terminal's Ctrl-C killed: the shell echoes nothing itself (the terminal
/// does, `^C`), and dies with it unless it is the container's first process.
fn killed_child<I: ShellIo>(io: &mut I) -> Ran {
    io.write(1, "^C");
    if io.init() {
        Ran::Status(SIGINT_STATUS)
    } else {
        Ran::End(Done::Exit(SIGINT_STATUS))
    }
}

/// `read [-r] NAME…`: one line of input (never more: the rest stays for the next reader), its
/// leading and trailing blanks removed, split among the names (the last takes the rest).
/// Status 1 at the end of input.
async fn read_line<I: ShellIo>(
    io: &mut I,
    names: &[&str],
    vars: &mut BTreeMap<String, String>,
) -> Result<Ran, ()> {
    let mut line = Vec::new();
    let status = loop {
        match io.read().await? {
            StdinMsg::Data(d) => match d.iter().position(|b| *b == b'\n') {
                Some(nl) => {
                    line.extend_from_slice(&d[..nl]);
                    if nl + 1 < d.len() {
                        io.unread(StdinMsg::Data(d[nl + 1..].to_vec()));
                    }
                    break 0;
                }
                None => line.extend(d),
            },
            StdinMsg::Eof => break 1,
            StdinMsg::Interrupt => {
                // The terminal echoes `^C` and drops the line typed so far.
                io.write(1, "^C");
                if !io.init() {
                    return Ok(Ran::End(Done::Exit(SIGINT_STATUS)));
                }
                line.clear();
            }
            StdinMsg::Winch => {}
        }
    };
    let text = String::from_utf8_lossy(&line).into_owned();
    let mut rest = text.trim();
    for (k, name) in names.iter().enumerate() {
        let value = if k + 1 == names.len() {
            std::mem::take(&mut rest)
        } else {
            let (first, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            rest = after.trim_start();
            first
        };
        vars.insert(name.to_string(), value.to_string());
    }
    Ok(Ran::Status(status))
}

/// The commands the tiny shell knows, run with `argv`; `None` when there is no such command.
async fn command<I: ShellIo>(io: &mut I, argv: &[String]) -> Option<Result<Ran, ()>> {
    let (fd, argv): (u8, Vec<&str>) = {
        let to_err = argv.iter().any(|w| w == ">&2" || w == "1>&2");
        (
            if to_err { 2 } else { 1 },
            argv.iter()
                .map(String::as_str)
                .filter(|w| *w != ">&2" && *w != "1>&2")
                .collect(),
        )
    };
    let name = argv.first()?.rsplit('/').next().unwrap_or_default();
    let status = match (name, &argv[1..]) {
        ("echo", ["-n", rest @ ..]) => {
            io.write(fd, &rest.join(" "));
            0
        }
        ("echo", rest) => {
            io.write(fd, &format!("{}\n", rest.join(" ")));
            0
        }
        ("sleep", [n]) => {
            let secs: f64 = n.parse().unwrap_or(0.0);
            match io.sleep(Duration::from_secs_f64(secs)).await {
                Err(()) => return Some(Err(())),
                Ok(Woke::Interrupted) => return Some(Ok(killed_child(io))),
                Ok(Woke::Done) => 0,
            }
        }
        ("true", _) => 0,
        ("false", _) => 1,
        ("cat", []) => loop {
            match io.read().await {
                Err(()) => return Some(Err(())),
                Ok(StdinMsg::Data(chunk)) => io.write(fd, &String::from_utf8_lossy(&chunk)),
                Ok(StdinMsg::Eof) => break 0,
                Ok(StdinMsg::Interrupt) => return Some(Ok(killed_child(io))),
                Ok(StdinMsg::Winch) => {}
            }
        },
        ("hostname", _) => {
            let h = format!("{}\n", io.hostname());
            io.write(fd, &h);
            0
        }
        ("pwd", _) => {
            io.write(fd, "/opt/spark/work-dir\n");
            0
        }
        ("env" | "printenv", []) => {
            let text: String = io.env().iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            io.write(fd, &text);
            0
        }
        ("printenv", [var]) => match io.env().get(*var).cloned() {
            Some(v) => {
                io.write(fd, &format!("{v}\n"));
                0
            }
            None => 1,
        },
        // coreutils `stty size`: the terminal's rows and columns.
        ("stty", ["size"]) => match io.terminal() {
            Some(size) => {
                io.write(fd, &format!("{} {}\n", size.rows, size.cols));
                0
            }
            None => {
                io.write(
                    2,
                    "stty: 'standard input': Inappropriate ioctl for device\n",
                );
                1
            }
        },
        _ => return None,
    };
    Some(Ok(Ran::Status(status)))
}

/// Runs a script: statements separated by newlines, `;` or `&&` (which stops at a failure).
/// `args` are `$0` and the positional parameters (`sh -c SCRIPT ARG0 ARGS…`). `Err` when
/// stopped.
pub async fn run_script<I: ShellIo>(io: &mut I, script: &str, args: &[String]) -> Result<Done, ()> {
    let mut status = 0;
    let mut vars = BTreeMap::new();
    for line in script.split(['\n', ';']) {
        for (i, stmt) in line.split("&&").enumerate() {
            if i > 0 && status != 0 {
                break;
            }
            let env = io.env().clone();
            let argv = words(
                stmt,
                &Params {
                    args,
                    vars: &vars,
                    env: &env,
                    status,
                },
            );
            let ran = match argv.first().map(String::as_str) {
                None => continue,
                Some("exit") => {
                    return Ok(Done::Exit(
                        argv.get(1).map_or(status, |n| n.parse().unwrap_or(2)),
                    ));
                }
                Some("exec") if argv.len() > 1 => return Ok(Done::Exec(argv[1..].to_vec())),
                Some("exec") => Ran::Status(0),
                Some("read") => {
                    let names: Vec<&str> = argv[1..]
                        .iter()
                        .map(String::as_str)
                        .filter(|a| *a != "-r")
                        .collect();
                    let names = if names.is_empty() {
                        vec!["REPLY"]
                    } else {
                        names
                    };
                    read_line(io, &names, &mut vars).await?
                }
                Some(_) => match command(io, &argv).await {
                    Some(r) => r?,
                    None => {
                        io.write(2, &format!("sh: 1: {}: not found\n", argv[0]));
                        Ran::Status(127)
                    }
                },
            };
            status = match ran {
                Ran::Status(s) => s,
                Ran::End(done) => return Ok(done),
            };
        }
    }
    Ok(Done::Exit(status))
}

/// `sh -c SCRIPT [ARG0 ARGS…]`'s script and `$0…` (`$0` is `sh` when not given).
pub fn script_args(argv: &[String]) -> (&str, Vec<String>) {
    let script = argv.get(2).map(String::as_str).unwrap_or("");
    let mut args: Vec<String> = argv.get(3..).unwrap_or_default().to_vec();
    if args.is_empty() {
        args.push(argv.first().cloned().unwrap_or_else(|| "sh".into()));
    }
    (script, args)
}

/// An `exec` session's process: `argv` as the container runtime starts it.
/// `Err` carries the runtime's message when the executable does not exist.
pub fn exec<'a, I: ShellIo>(
    io: &'a mut I,
    argv: &'a [String],
) -> std::pin::Pin<Box<dyn Future<Output = Result<i32, String>> + Send + 'a>> {
    Box::pin(async move {
        let base = argv
            .first()
            .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
            .unwrap_or_default();
        let stopped = 137;
        let done = match base.as_str() {
            "sh" | "bash" if argv.get(1).map(String::as_str) == Some("-c") => {
                let (script, args) = script_args(argv);
                run_script(io, script, &args).await
            }
            "sh" | "bash" if argv.len() == 1 => {
                // A shell reading its script from stdin.
                let mut script = Vec::new();
                loop {
                    match io.read().await {
                        Ok(StdinMsg::Data(chunk)) => script.extend(chunk),
                        Ok(StdinMsg::Interrupt) => return Ok(SIGINT_STATUS),
                        Ok(StdinMsg::Winch) => {}
                        Ok(StdinMsg::Eof) | Err(()) => break,
                    }
                }
                run_script(io, &String::from_utf8_lossy(&script), &["sh".to_string()]).await
            }
            _ => {
                return match command(io, argv).await {
                    Some(Ok(Ran::Status(s) | Ran::End(Done::Exit(s)))) => Ok(s),
                    Some(Ok(Ran::End(Done::Exec(_)))) | Some(Err(())) => Ok(stopped),
                    None => Err(format!(
                        "failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                        argv.first().map(String::as_str).unwrap_or_default()
                    )),
                };
            }
        };
        match done {
            Ok(Done::Exit(code)) => Ok(code),
            Ok(Done::Exec(argv)) => exec(io, &argv).await,
            Err(()) => Ok(stopped),
        }
    })
}

/// A container's own output and input, for the tiny shell.
pub struct ContainerIo<'a>(pub &'a mut ProgramCtx);

impl ShellIo for ContainerIo<'_> {
    fn write(&mut self, _fd: u8, text: &str) {
        self.0.cluster.logs.push_raw(&self.0.log_key, text);
    }
    async fn sleep(&mut self, d: Duration) -> Result<Woke, ()> {
        let (stdin, stop) = (self.0.stdin.as_mut(), &mut self.0.stop);
        let interrupted = async {
            match stdin {
                Some(stdin) => stdin.interrupted().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(Woke::Done),
            _ = interrupted => Ok(Woke::Interrupted),
            _ = stop.wait_for(|s| *s) => Err(()),
        }
    }
    async fn read(&mut self) -> Result<StdinMsg, ()> {
        let Some(stdin) = self.0.stdin.as_mut() else {
            return Ok(StdinMsg::Eof);
        };
        let mut stop = self.0.stop.clone();
        tokio::select! {
            m = stdin.recv() => Ok(m.unwrap_or(StdinMsg::Eof)),
            _ = stop.wait_for(|s| *s) => Err(()),
        }
    }
    fn unread(&mut self, m: StdinMsg) {
        if let Some(stdin) = self.0.stdin.as_mut() {
            stdin.unread(m);
        }
    }
    fn env(&self) -> &BTreeMap<String, String> {
        &self.0.env
    }
    fn hostname(&self) -> &str {
        &self.0.log_key.1
    }
    fn terminal(&self) -> Option<Size> {
        self.0
            .tty()
            .then(|| self.0.cluster.stdin.size(&self.0.log_key))
    }
    fn init(&self) -> bool {
        true
    }
}

/// An exec session's process: output goes to the session's channels.
pub struct ExecIo {
    pub out: mpsc::UnboundedSender<(u8, Vec<u8>)>,
    pub stdin: Option<Input>,
    pub env: BTreeMap<String, String>,
    pub hostname: String,
    /// The session's own terminal (stderr merged into stdout), and its size.
    pub tty: Option<std::sync::Arc<std::sync::Mutex<Size>>>,
    /// Which streams the client asked for (the others are discarded).
    pub stdout: bool,
    pub stderr: bool,
}

impl ShellIo for ExecIo {
    fn write(&mut self, fd: u8, text: &str) {
        let tty = self.tty.is_some();
        let fd = if tty { 1 } else { fd };
        if (fd == 1 && !self.stdout) || (fd == 2 && !self.stderr) {
            return;
        }
        let text = if tty {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        let _ = self.out.send((fd, text.into_bytes()));
    }
    async fn sleep(&mut self, d: Duration) -> Result<Woke, ()> {
        let interrupted = async {
            match self.stdin.as_mut() {
                Some(stdin) => stdin.interrupted().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(d) => Ok(Woke::Done),
            _ = interrupted => Ok(Woke::Interrupted),
        }
    }
    async fn read(&mut self) -> Result<StdinMsg, ()> {
        Ok(match self.stdin.as_mut() {
            Some(stdin) => stdin.recv().await.unwrap_or(StdinMsg::Eof),
            None => StdinMsg::Eof,
        })
    }
    fn unread(&mut self, m: StdinMsg) {
        if let Some(stdin) = self.stdin.as_mut() {
            stdin.unread(m);
        }
    }
    fn env(&self) -> &BTreeMap<String, String> {
        &self.env
    }
    fn hostname(&self) -> &str {
        &self.hostname
    }
    fn terminal(&self) -> Option<Size> {
        self.tty
            .as_ref()
            .map(|s| *s.lock().unwrap_or_else(|p| p.into_inner()))
    }
    fn init(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(stmt: &str, args: &[&str]) -> Vec<String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let vars = BTreeMap::from([("go".to_string(), String::new())]);
        let env = BTreeMap::from([("HOME".to_string(), "/root".to_string())]);
        words(
            stmt,
            &Params {
                args: &args,
                vars: &vars,
                env: &env,
                status: 3,
            },
        )
    }

    #[test]
    fn shell_words_and_quotes() {
        assert_eq!(
            split(r#"echo "a b" 'c' d"#, &["sh"]),
            vec!["echo", "a b", "c", "d"]
        );
        assert_eq!(split("echo ''", &["sh"]), vec!["echo", ""]);
        assert_eq!(
            split(r#"echo "\"q\"" a\ b"#, &["sh"]),
            vec!["echo", "\"q\"", "a b"]
        );
    }

    /// dash's expansion of the session pod's gate: `exec "$0" "$@"` runs the program with every
    /// argument as given, spaces and all.
    #[test]
    fn positional_parameters_expand_as_dash_does() {
        let args = ["/opt/spark/bin/spark-shell", "--name", "Spark shell", ""];
        assert_eq!(
            split(r#"exec "$0" "$@""#, &args),
            vec![
                "exec",
                "/opt/spark/bin/spark-shell",
                "--name",
                "Spark shell",
                ""
            ]
        );
        assert_eq!(split(r#"exec "$0" "$@""#, &["prog"]), vec!["exec", "prog"]);
        assert_eq!(
            split(r#"echo "[$@]" $# $? $1"#, &["p", "a", "b c"]),
            vec!["echo", "[a", "b c]", "2", "3", "a"]
        );
        // Unquoted expansions are split into fields; quoted ones are not.
        assert_eq!(split("echo $2", &["p", "a", "b c"]), vec!["echo", "b", "c"]);
        assert_eq!(
            split(r#"echo "${HOME}" $go. $nope $ x"#, &["sh"]),
            vec!["echo", "/root", ".", "$", "x"]
        );
    }
}
