//! Interactive programs: the tiny shell that containers and `exec` run, and the scripted REPL
//! that a `spark-shell`, `pyspark` or `spark-sql` container answers with on attach.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::programs::{Exit, ProgramCtx};
use crate::stdio::StdinMsg;

/// What the tiny shell needs from wherever it runs (a container's log, or an exec session).
pub trait ShellIo: Send {
    /// Writes text to stdout (`fd` 1) or stderr (`fd` 2).
    fn write(&mut self, fd: u8, text: &str);
    /// Sleeps; `false` when the program was stopped first.
    fn sleep(&mut self, d: Duration) -> impl Future<Output = bool> + Send;
    /// The next chunk of stdin; `None` at its end (or when there is none).
    fn read(&mut self) -> impl Future<Output = Option<Vec<u8>>> + Send;
    fn env(&self) -> &BTreeMap<String, String>;
    fn hostname(&self) -> &str;
}

/// Splits one shell statement into words, honouring single and double quotes.
fn words(stmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in stmt.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The commands the tiny shell knows, run with `argv`; `None` when there is no such command.
async fn command<I: ShellIo>(io: &mut I, argv: &[String]) -> Option<Result<i32, ()>> {
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
            if !io.sleep(Duration::from_secs_f64(secs)).await {
                return Some(Err(()));
            }
            0
        }
        ("true", _) => 0,
        ("false", _) => 1,
        ("cat", []) => {
            while let Some(chunk) = io.read().await {
                io.write(fd, &String::from_utf8_lossy(&chunk));
            }
            0
        }
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
        _ => return None,
    };
    Some(Ok(status))
}

/// Runs a script: statements separated by newlines, `;` or `&&` (which stops at a failure).
/// Returns the exit status (`Err` when stopped).
pub async fn run_script<I: ShellIo>(io: &mut I, script: &str) -> Result<i32, ()> {
    let mut status = 0;
    for line in script.split(['\n', ';']) {
        for (i, stmt) in line.split("&&").enumerate() {
            if i > 0 && status != 0 {
                break;
            }
            let argv = words(stmt);
            match argv.first().map(String::as_str) {
                None => continue,
                Some("exit") => {
                    return Ok(argv.get(1).map_or(status, |n| n.parse().unwrap_or(2)));
                }
                Some(_) => {}
            }
            status = match command(io, &argv).await {
                Some(r) => r?,
                None => {
                    io.write(2, &format!("sh: 1: {}: not found\n", argv[0]));
                    127
                }
            };
        }
    }
    Ok(status)
}

/// An `exec` session's process: `argv` as the container runtime starts it.
/// `Err` carries the runtime's message when the executable does not exist.
pub async fn exec<I: ShellIo>(io: &mut I, argv: &[String]) -> Result<i32, String> {
    let base = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let stopped = 137;
    match base.as_str() {
        "sh" | "bash" if argv.get(1).map(String::as_str) == Some("-c") => Ok(run_script(
            io,
            argv.get(2).map(String::as_str).unwrap_or(""),
        )
        .await
        .unwrap_or(stopped)),
        "sh" | "bash" if argv.len() == 1 => {
            // A shell reading its script from stdin.
            let mut script = Vec::new();
            while let Some(chunk) = io.read().await {
                script.extend(chunk);
            }
            Ok(run_script(io, &String::from_utf8_lossy(&script))
                .await
                .unwrap_or(stopped))
        }
        _ => match command(io, argv).await {
            Some(r) => Ok(r.unwrap_or(stopped)),
            None => Err(format!(
                "failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown",
                argv.first().map(String::as_str).unwrap_or_default()
            )),
        },
    }
}

/// A container's own output and input, for the tiny shell.
pub struct ContainerIo<'a>(pub &'a mut ProgramCtx);

impl ShellIo for ContainerIo<'_> {
    fn write(&mut self, _fd: u8, text: &str) {
        self.0.cluster.logs.push_raw(&self.0.log_key, text);
    }
    async fn sleep(&mut self, d: Duration) -> bool {
        self.0.sleep(d).await
    }
    async fn read(&mut self) -> Option<Vec<u8>> {
        let stdin = self.0.stdin.as_mut()?;
        let mut stop = self.0.stop.clone();
        tokio::select! {
            m = stdin.recv() => match m {
                Some(StdinMsg::Data(d)) => Some(d),
                Some(StdinMsg::Eof) | None => None,
            },
            _ = stop.wait_for(|s| *s) => None,
        }
    }
    fn env(&self) -> &BTreeMap<String, String> {
        &self.0.env
    }
    fn hostname(&self) -> &str {
        &self.0.log_key.1
    }
}

/// An exec session's process: output goes to the session's channels.
pub struct ExecIo {
    pub out: mpsc::UnboundedSender<(u8, Vec<u8>)>,
    pub stdin: Option<mpsc::UnboundedReceiver<StdinMsg>>,
    pub env: BTreeMap<String, String>,
    pub hostname: String,
    /// Merge stderr into stdout (a TTY has one stream).
    pub tty: bool,
    /// Which streams the client asked for (the others are discarded).
    pub stdout: bool,
    pub stderr: bool,
}

impl ShellIo for ExecIo {
    fn write(&mut self, fd: u8, text: &str) {
        let fd = if self.tty { 1 } else { fd };
        if (fd == 1 && !self.stdout) || (fd == 2 && !self.stderr) {
            return;
        }
        let text = if self.tty {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        };
        let _ = self.out.send((fd, text.into_bytes()));
    }
    async fn sleep(&mut self, d: Duration) -> bool {
        tokio::time::sleep(d).await;
        true
    }
    async fn read(&mut self) -> Option<Vec<u8>> {
        match self.stdin.as_mut()?.recv().await {
            Some(StdinMsg::Data(d)) => Some(d),
            Some(StdinMsg::Eof) | None => None,
        }
    }
    fn env(&self) -> &BTreeMap<String, String> {
        &self.env
    }
    fn hostname(&self) -> &str {
        &self.hostname
    }
}

/// Which Spark shell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lang {
    Scala,
    Python,
    Sql,
}

impl Lang {
    pub fn from_program(base: &str) -> Option<Lang> {
        match base {
            "spark-shell" => Some(Lang::Scala),
            "pyspark" => Some(Lang::Python),
            "spark-sql" => Some(Lang::Sql),
            _ => None,
        }
    }

    fn prompt(self, continuation: bool) -> &'static str {
        match (self, continuation) {
            (Lang::Scala, false) => "scala> ",
            (Lang::Scala, true) => "     | ",
            (Lang::Python, false) => ">>> ",
            (Lang::Python, true) => "... ",
            (Lang::Sql, false) => "spark-sql (default)> ",
            (Lang::Sql, true) => "                   > ",
        }
    }
}

/// A value the REPL can show.
#[derive(Debug, PartialEq)]
enum Val {
    Int(i64),
    Long(i64),
    Str(String),
}

/// What one input does.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Lines to print.
    Print(Vec<String>),
    /// Leave the REPL with this exit code.
    Exit(i32),
}

/// Integer arithmetic: `+ - * / %` and parentheses, as the shells evaluate it.
fn arithmetic(expr: &str) -> Option<i64> {
    fn atom(t: &[u8], i: &mut usize) -> Option<i64> {
        skip(t, i);
        match t.get(*i)? {
            b'(' => {
                *i += 1;
                let v = sum(t, i)?;
                skip(t, i);
                (t.get(*i) == Some(&b')')).then(|| *i += 1)?;
                Some(v)
            }
            b'-' => {
                *i += 1;
                atom(t, i).map(|v| -v)
            }
            c if c.is_ascii_digit() => {
                let start = *i;
                while t.get(*i).is_some_and(u8::is_ascii_digit) {
                    *i += 1;
                }
                std::str::from_utf8(&t[start..*i]).ok()?.parse().ok()
            }
            _ => None,
        }
    }
    fn skip(t: &[u8], i: &mut usize) {
        while t.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        }
    }
    fn product(t: &[u8], i: &mut usize) -> Option<i64> {
        let mut v = atom(t, i)?;
        loop {
            skip(t, i);
            match t.get(*i) {
                Some(&op @ (b'*' | b'/' | b'%')) => {
                    *i += 1;
                    let r = atom(t, i)?;
                    v = match op {
                        b'*' => v.checked_mul(r)?,
                        b'/' => v.checked_div(r)?,
                        _ => v.checked_rem(r)?,
                    };
                }
                _ => return Some(v),
            }
        }
    }
    fn sum(t: &[u8], i: &mut usize) -> Option<i64> {
        let mut v = product(t, i)?;
        loop {
            skip(t, i);
            match t.get(*i) {
                Some(&op @ (b'+' | b'-')) => {
                    *i += 1;
                    let r = product(t, i)?;
                    v = if op == b'+' {
                        v.checked_add(r)?
                    } else {
                        v.checked_sub(r)?
                    };
                }
                _ => return Some(v),
            }
        }
    }
    let t = expr.as_bytes();
    let mut i = 0;
    let v = sum(t, &mut i)?;
    skip(t, &mut i);
    (i == t.len()).then_some(v)
}

/// The REPL's state.
struct Repl {
    lang: Lang,
    master: String,
    app_id: String,
    results: usize,
}

impl Repl {
    fn value(&self, expr: &str) -> Option<Val> {
        let e = expr.trim();
        if let Some(v) = arithmetic(e) {
            return Some(Val::Int(v));
        }
        for q in ['"', '\''] {
            if e.len() >= 2 && e.starts_with(q) && e.ends_with(q) {
                return Some(Val::Str(e[1..e.len() - 1].to_string()));
            }
        }
        match e {
            "spark.version" | "sc.version" => return Some(Val::Str("4.3.0".into())),
            "sc.master" => return Some(Val::Str(self.master.clone())),
            "sc.applicationId" => return Some(Val::Str(self.app_id.clone())),
            _ => {}
        }
        let count = e
            .strip_prefix("spark.range(")?
            .strip_suffix(").count()")
            .or_else(|| e.strip_prefix("spark.range(")?.strip_suffix(").count"))?;
        arithmetic(count).map(Val::Long)
    }

    fn show(&mut self, v: Val) -> String {
        match self.lang {
            Lang::Scala => {
                let n = self.results;
                self.results += 1;
                match v {
                    Val::Int(i) => format!("val res{n}: Int = {i}"),
                    Val::Long(i) => format!("val res{n}: Long = {i}"),
                    Val::Str(s) => format!("val res{n}: String = {s}"),
                }
            }
            Lang::Python => match v {
                Val::Int(i) | Val::Long(i) => i.to_string(),
                Val::Str(s) => format!("'{s}'"),
            },
            Lang::Sql => match v {
                Val::Int(i) | Val::Long(i) => i.to_string(),
                Val::Str(s) => s,
            },
        }
    }

    /// The language's answer to an expression it cannot evaluate.
    fn error(&self, e: &str) -> Vec<String> {
        let word: String = e
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        match (self.lang, word.is_empty()) {
            (Lang::Scala, true) => vec![
                "       ^".into(),
                "       error: illegal start of simple expression".into(),
            ],
            (Lang::Scala, false) => vec![
                "       ^".into(),
                format!("       error: not found: value {word}"),
            ],
            (_, empty) => vec![
                "Traceback (most recent call last):".into(),
                "  File \"<stdin>\", line 1, in <module>".into(),
                if empty {
                    "SyntaxError: invalid syntax".into()
                } else {
                    format!("NameError: name '{word}' is not defined")
                },
            ],
        }
    }

    /// Evaluates one complete input (for SQL: one statement without its `;`).
    fn eval(&mut self, input: &str) -> Outcome {
        let e = input.trim();
        let exit_code = |s: &str, prefixes: &[&str]| -> Option<i32> {
            prefixes.iter().find_map(|p| {
                let inner = s.strip_prefix(p)?.strip_suffix(')')?;
                Some(if inner.trim().is_empty() {
                    0
                } else {
                    inner.trim().parse().unwrap_or(1)
                })
            })
        };
        match self.lang {
            Lang::Scala | Lang::Python => {
                if self.lang == Lang::Scala && matches!(e, ":quit" | ":q" | "sys.exit") {
                    return Outcome::Exit(0);
                }
                let exits: &[&str] = if self.lang == Lang::Scala {
                    &["sys.exit(", "System.exit("]
                } else {
                    &["exit(", "quit(", "sys.exit("]
                };
                if let Some(c) = exit_code(e, exits) {
                    return Outcome::Exit(c);
                }
                if e.is_empty() {
                    return Outcome::Print(vec![]);
                }
                match self.value(e) {
                    Some(v) => Outcome::Print(vec![self.show(v)]),
                    None => Outcome::Print(self.error(e)),
                }
            }
            Lang::Sql => {
                let lower = e.to_ascii_lowercase();
                if lower == "exit" || lower == "quit" {
                    return Outcome::Exit(0);
                }
                if e.is_empty() {
                    return Outcome::Print(vec![]);
                }
                let values = lower
                    .starts_with("select ")
                    .then(|| {
                        e[7..]
                            .split(',')
                            .map(|x| self.value(x).map(|v| self.show(v)))
                            .collect::<Option<Vec<_>>>()
                    })
                    .flatten();
                match values {
                    Some(v) => Outcome::Print(vec![
                        v.join("\t"),
                        "Time taken: 0.05 seconds, Fetched 1 row(s)".into(),
                    ]),
                    None => {
                        let first = e.split_whitespace().next().unwrap_or_default();
                        Outcome::Print(vec![format!(
                            "[PARSE_SYNTAX_ERROR] Syntax error at or near '{first}'. SQLSTATE: 42601 (line 1, pos 0)"
                        )])
                    }
                }
            }
        }
    }
}

const BANNER: [&str; 6] = [
    "Welcome to",
    "      ____              __",
    "     / __/__  ___ _____/ /__",
    "    _\\ \\/ _ \\/ _ `/ __/  '_/",
    "   /___/ .__/\\_,_/_/ /_/\\_\\   version 4.3.0",
    "      /_/",
];

/// `spark-shell`, `pyspark` or `spark-sql` in a pod (client mode): a driver with its executors
/// and a REPL on stdin. It prints its banner and prompt to the container's output (what attach
/// shows), evaluates simple expressions, and exits on the language's quit or at the end of stdin.
pub async fn repl(ctx: &mut ProgramCtx, lang: Lang, args: &[String]) -> Exit {
    let parsed = crate::programs::parse_submit_args(args);
    let mut conf = parsed.conf;
    if !conf.contains_key("spark.app.name") || parsed.resource.is_empty() {
        let name = match lang {
            Lang::Scala => "Spark shell",
            Lang::Python => "PySparkShell",
            Lang::Sql => "SparkSQL::kubesim",
        };
        conf.insert("spark.app.name".into(), name.into());
    }
    let ns = ctx.ns();
    let seed = ctx.id_seed() ^ (ctx.log_key.1.len() as u64) << 40;
    let app_id = ctx
        .pod
        .pointer("/metadata/labels/spark-app-selector")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| format!("spark-{}", crate::programs::hex(seed, 32)));
    let master = if parsed.master.is_empty() {
        "local[*]".to_string()
    } else {
        parsed.master.clone()
    };
    let log = |ctx: &ProgramCtx, s: &str| ctx.cluster.logs.push(&ctx.log_key, s);
    log(ctx, "Setting default log level to \"WARN\".");
    log(
        ctx,
        "To adjust logging level use sc.setLogLevel(newLevel). For SparkR, use setLogLevel(newLevel).",
    );
    if lang != Lang::Sql {
        for l in BANNER {
            log(ctx, l);
        }
        log(ctx, "");
    }
    let k8s = master.starts_with("k8s://");
    let pods = if k8s {
        crate::programs::executor_pods(ctx, &conf, &app_id)
    } else {
        Vec::new()
    };
    crate::programs::create_executors(ctx, &ns, &pods, 0);
    let web_ui = "Spark context Web UI available at http://localhost:4040";
    let context =
        format!("Spark context available as 'sc' (master = {master}, app id = {app_id}).");
    let sql_master = format!("Spark master: {master}, Application Id: {app_id}");
    let banner: &[&str] = match lang {
        Lang::Scala => &[
            "Using Scala version 2.13.16 (OpenJDK 64-Bit Server VM, Java 17.0.16)",
            "Type in expressions to have them evaluated.",
            "Type :help for more information.",
            web_ui,
            &context,
            "Spark session available as 'spark'.",
            "",
        ],
        Lang::Python => &[
            "Using Python version 3.12.3 (main, Sep 11 2025 14:09:53)",
            web_ui,
            &context,
            "SparkSession available as 'spark'.",
        ],
        Lang::Sql => &[
            "Spark Web UI available at http://localhost:4040",
            &sql_master,
        ],
    };
    for line in banner {
        log(ctx, line);
    }
    let mut repl = Repl {
        lang,
        master,
        app_id: app_id.clone(),
        results: 0,
    };
    let mut pending = String::new();
    let mut buf: Vec<u8> = Vec::new();
    let code = 'session: loop {
        ctx.cluster
            .logs
            .push_raw(&ctx.log_key, lang.prompt(!pending.is_empty()));
        // Read one line.
        let line = loop {
            if let Some(nl) = buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buf.drain(..=nl).collect();
                break Some(String::from_utf8_lossy(&line[..nl]).into_owned());
            }
            let mut stop = ctx.stop.clone();
            let next = match ctx.stdin.as_mut() {
                None => None,
                Some(stdin) => tokio::select! {
                    m = stdin.recv() => m,
                    _ = stop.wait_for(|s| *s) => break 'session 143,
                },
            };
            match next {
                Some(StdinMsg::Data(d)) => buf.extend(d),
                Some(StdinMsg::Eof) | None if buf.is_empty() => break None,
                Some(StdinMsg::Eof) | None => {
                    break Some(String::from_utf8_lossy(&std::mem::take(&mut buf)).into_owned());
                }
            }
        };
        let Some(line) = line else {
            // End of input, as Ctrl-D: the shells leave quietly.
            log(ctx, "");
            break 0;
        };
        let input = if lang == Lang::Sql {
            pending.push_str(&line);
            pending.push('\n');
            let Some(end) = pending.find(';') else {
                continue;
            };
            let stmt = pending[..end].to_string();
            pending.clear();
            stmt
        } else {
            line
        };
        match repl.eval(&input) {
            Outcome::Print(lines) => {
                for l in lines {
                    log(ctx, &l);
                }
            }
            Outcome::Exit(c) => break c,
        }
    };
    if k8s {
        crate::programs::delete_executors(ctx, &ns, &app_id);
    }
    Exit::code(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repl(lang: Lang) -> Repl {
        Repl {
            lang,
            master: "k8s://https://kubernetes.default.svc".into(),
            app_id: "spark-1".into(),
            results: 0,
        }
    }

    #[test]
    fn arithmetic_like_the_shells() {
        assert_eq!(arithmetic("1 + 1"), Some(2));
        assert_eq!(arithmetic("2*(3+4) - 10 / 3"), Some(11));
        assert_eq!(arithmetic("-5 % 3"), Some(-2));
        assert_eq!(arithmetic("1 / 0"), None);
        assert_eq!(arithmetic("1 +"), None);
        assert_eq!(arithmetic("foo"), None);
    }

    #[test]
    fn scala_results_are_numbered() {
        let mut r = repl(Lang::Scala);
        let printed: &[(&str, &[&str])] = &[
            ("1 + 1", &["val res0: Int = 2"]),
            ("spark.range(10).count()", &["val res1: Long = 10"]),
            ("spark.version", &["val res2: String = 4.3.0"]),
            ("foo", &["       ^", "       error: not found: value foo"]),
        ];
        for (line, want) in printed {
            let want = want.iter().map(|l| l.to_string()).collect();
            assert_eq!(r.eval(line), Outcome::Print(want), "{line}");
        }
        assert_eq!(r.eval(":quit"), Outcome::Exit(0));
        assert_eq!(r.eval("sys.exit(3)"), Outcome::Exit(3));
    }

    #[test]
    fn python_and_sql() {
        let mut p = repl(Lang::Python);
        assert_eq!(p.eval("6 * 7"), Outcome::Print(vec!["42".into()]));
        assert_eq!(
            p.eval("sc.master"),
            Outcome::Print(vec!["'k8s://https://kubernetes.default.svc'".into()])
        );
        assert_eq!(p.eval("exit()"), Outcome::Exit(0));
        assert_eq!(p.eval("exit(2)"), Outcome::Exit(2));
        let mut s = repl(Lang::Sql);
        assert_eq!(
            s.eval("SELECT 1 + 1, 'a'"),
            Outcome::Print(vec![
                "2\ta".into(),
                "Time taken: 0.05 seconds, Fetched 1 row(s)".into()
            ])
        );
        assert_eq!(s.eval("quit"), Outcome::Exit(0));
    }

    #[test]
    fn shell_words_and_quotes() {
        assert_eq!(words(r#"echo "a b" 'c' d"#), vec!["echo", "a b", "c", "d"]);
        assert_eq!(words("echo ''"), vec!["echo", ""]);
    }
}
