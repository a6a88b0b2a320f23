//! The Spark shells a pod runs in client mode, as Spark 4.3.0's own behave in a container:
//! `spark-shell` (Scala 2.13's REPL on JLine 3, started by `bin/spark-shell`), `pyspark`
//! (CPython with readline and Spark's `shell.py`) and `spark-sql` (`SparkSQLCLIDriver` on
//! JLine 2). Each transcript below was taken from the pinned `pyspark` package's own shells
//! on a pseudo-terminal; `docs/kubesim.md` ("Spark shells") lists them with their sources.

use std::time::Duration;

use crate::programs::{Exit, ProgramCtx};
use crate::stdio::StdinMsg;

mod eval;
mod sql;
#[cfg(test)]
mod tests;

use eval::{Repl, Step, python_error};
use sql::{SQL_USAGE, SqlOptions, split_statements, sql_cancelled, sql_options, strip_comments};

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
}

/// Where pyspark's `SparkContext` installs its SIGINT handler, which cancels the jobs and raises
/// `KeyboardInterrupt` (`python/pyspark/core/context.py`, `_do_init`; line 409 in 4.3.0, with
/// SPARK-55404's `try`/`finally`). `bin/pyspark` puts `$SPARK_HOME/python/` first on the path.
const SIGNAL_HANDLER: &str = "  File \"/opt/spark/python/pyspark/core/context.py\", line 409, in signal_handler\n    raise KeyboardInterrupt()";

/// What reading a line got.
enum Got {
    Line(String),
    Eof,
    Interrupt,
    Stopped,
}

/// What a long statement ended with.
enum Work {
    Done,
    Interrupted,
    Stopped,
    /// Its job was killed through the driver's web UI.
    Killed(u64),
}

fn out(ctx: &ProgramCtx, text: &str) {
    ctx.cluster.logs.push_raw(&ctx.log_key, text);
}

fn print(ctx: &ProgramCtx, lines: &[String]) {
    for l in lines {
        ctx.log(l.as_str());
    }
}

/// Reads one line (the terminal's line discipline has turned CR into LF). On a SIGWINCH,
/// `on_winch` is given the line typed so far: a line editor redraws it.
async fn read_line(
    ctx: &mut ProgramCtx,
    buf: &mut Vec<u8>,
    on_winch: &mut (dyn FnMut(&ProgramCtx, &[u8]) + Send),
) -> Got {
    loop {
        if let Some(nl) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=nl).collect();
            return Got::Line(String::from_utf8_lossy(&line[..nl]).into_owned());
        }
        let mut stop = ctx.stop.clone();
        let next = match ctx.stdin.as_mut() {
            None => None,
            Some(stdin) => tokio::select! {
                m = stdin.recv() => m,
                _ = stop.wait_for(|s| *s) => return Got::Stopped,
            },
        };
        match next {
            Some(StdinMsg::Data(d)) => buf.extend(d),
            Some(StdinMsg::Interrupt) => {
                buf.clear();
                return Got::Interrupt;
            }
            Some(StdinMsg::Winch) => on_winch(ctx, buf),
            Some(StdinMsg::Eof) | None if buf.is_empty() => return Got::Eof,
            Some(StdinMsg::Eof) | None => {
                return Got::Line(String::from_utf8_lossy(&std::mem::take(buf)).into_owned());
            }
        }
    }
}

/// A line editor's redraw: `how` (moving back, clearing, the prompt), then what was typed.
fn redraw(ctx: &ProgramCtx, how: &str, typed: &[u8]) {
    out(ctx, &format!("{how}{}", String::from_utf8_lossy(typed)));
}

/// A statement that takes `secs`, unless a Ctrl-C (or the pod's deletion) ends it first.
async fn work(ctx: &mut ProgramCtx, secs: f64) -> Work {
    work_job(ctx, secs, None).await
}

/// [`work`] for a statement that runs a Spark job, which the driver's web UI can kill.
async fn work_job(
    ctx: &mut ProgramCtx,
    secs: f64,
    job: Option<&crate::sparkui::RunningJob>,
) -> Work {
    let killed = async {
        match job {
            Some(j) => {
                j.killed().await;
                j.id
            }
            None => std::future::pending().await,
        }
    };
    let (stdin, stop) = (ctx.stdin.as_mut(), &mut ctx.stop);
    let interrupted = async {
        match stdin {
            Some(stdin) => stdin.interrupted().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_secs_f64(secs)) => Work::Done,
        _ = interrupted => Work::Interrupted,
        _ = stop.wait_for(|s| *s) => Work::Stopped,
        id = killed => Work::Killed(id),
    }
}

/// A file the shell opens (`-f`, `-i`, `-I`): relative to the image's working directory, read
/// as the container sees it. `Err` is the path Hadoop's local file system names.
fn script(ctx: &ProgramCtx, path: &str) -> Result<String, String> {
    let path = path.strip_prefix("file:").unwrap_or(path);
    let abs = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/opt/spark/work-dir/{path}")
    };
    match crate::files::read_strict(&ctx.cluster, &ctx.pod, &ctx.container, &abs) {
        crate::files::Lookup::Found(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
        _ => Err(format!("file:{abs}")),
    }
}

const BANNER: [&str; 5] = [
    "Welcome to",
    "      ____              __",
    "     / __/__  ___ _____/ /__",
    "    _\\ \\/ _ \\/ _ `/ __/  '_/",
    "      /_/",
];

/// `spark-shell`, `pyspark` or `spark-sql` in a pod (client mode): a driver with its executors
/// and a REPL on the container's stdin and terminal.
pub async fn run(ctx: &mut ProgramCtx, lang: Lang, args: &[String]) -> Exit {
    let parsed = crate::programs::parse_shell_args(args);
    let tty = ctx.tty();
    // Without a terminal pyspark's Python runs stdin as a script: no shell.py, no JVM.
    if lang == Lang::Python && !tty {
        return python_script(ctx).await;
    }
    // The JVM, the SparkContext and the interpreter start before anything is printed.
    if let Some(l) = ctx.latency.clone()
        && !ctx.sleep(l.shell_jvm()).await
    {
        return Exit::code(143);
    }
    let sql = match lang {
        Lang::Sql => match sql_start(ctx, &parsed.app_args) {
            Ok(o) => Some(o),
            Err(code) => return Exit::code(code),
        },
        _ => None,
    };
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
    greet(ctx, lang);
    let k8s = master.starts_with("k8s://");
    let pods = if k8s {
        crate::programs::executor_pods(ctx, &conf, &app_id)
    } else {
        Vec::new()
    };
    crate::programs::create_executors(ctx, &ns, &pods, 0);
    introduce(ctx, lang, &master, &app_id);
    // The driver's web UI listens from here on (kubesim draws its jobs for spark-shell only).
    let ui = (lang == Lang::Scala)
        .then(|| web_ui(ctx, &conf, seed))
        .flatten();
    let slots = task_slots(&master, pods.len(), &conf);
    let mut repl = Repl::new(lang, master, app_id.clone(), slots);
    let code = match sql {
        Some(o) => sql_session(ctx, &mut repl, o).await,
        None if lang == Lang::Scala => {
            let ui = ui.as_ref().map(|g| &g.ui);
            scala_session(ctx, &mut repl, &parsed.app_args, tty, ui).await
        }
        None => python_session(ctx, &mut repl).await,
    };
    if k8s {
        crate::programs::delete_executors(ctx, &ns, &app_id);
    }
    Exit::code(code)
}

/// spark-sql's options as `SparkSQLCLIDriver.main` checks them before its session starts:
/// `process_stage1` (an unknown option or a missing value: 1), `process_stage2` (`-H`, or `-e`
/// with `-f`: 2), each with the usage. `Err` is the exit code.
fn sql_start(ctx: &ProgramCtx, args: &[String]) -> Result<SqlOptions, i32> {
    let (message, code) = match sql_options(args) {
        Ok(o) if o.help => (None, 2),
        Ok(o) if o.exec.is_some() && o.file.is_some() => (
            Some("The '-e' and '-f' options cannot be specified simultaneously".to_string()),
            2,
        ),
        Ok(o) => return Ok(o),
        Err(e) => (Some(e), 1),
    };
    if let Some(m) = message {
        ctx.log(m);
    }
    ctx.log(SQL_USAGE);
    Err(code)
}

/// What the shell prints before its executors: CPython's own banner (pyspark), Spark's log
/// level lines, and the ASCII banner (not spark-sql's).
fn greet(ctx: &ProgramCtx, lang: Lang) {
    if lang == Lang::Python {
        ctx.log("Python 3.12.3 (main, Sep 11 2025, 14:09:53) [GCC 13.3.0] on linux");
        ctx.log("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    }
    ctx.log("Setting default log level to \"WARN\".");
    ctx.log(
        "To adjust logging level use sc.setLogLevel(newLevel). For SparkR, use setLogLevel(newLevel).",
    );
    if lang == Lang::Sql {
        return;
    }
    // shell.py's banner has `/__ /` where the Scala shell's has `/___/`, and ends with an
    // empty line where SparkILoop's has nine spaces.
    let (version, last) = match lang {
        Lang::Python => ("   /__ / .__/\\_,_/_/ /_/\\_\\   version 4.3.0", ""),
        _ => (
            "   /___/ .__/\\_,_/_/ /_/\\_\\   version 4.3.0",
            "         ",
        ),
    };
    for l in &BANNER[..4] {
        ctx.log(*l);
    }
    ctx.log(version);
    ctx.log(BANNER[4]);
    ctx.log(last);
}

/// What the shell prints once its SparkContext runs (spark-sql prints its own lines later).
fn introduce(ctx: &ProgramCtx, lang: Lang, master: &str, app_id: &str) {
    let web_ui = "Spark context Web UI available at http://localhost:4040";
    let context =
        format!("Spark context available as 'sc' (master = {master}, app id = {app_id}).");
    let lines: &[&str] = match lang {
        Lang::Scala => &[
            "Using Scala version 2.13.16 (OpenJDK 64-Bit Server VM, Java 17.0.16)",
            "Type in expressions to have them evaluated.",
            "Type :help for more information.",
            web_ui,
            &context,
            "Spark session available as 'spark'.",
        ],
        Lang::Python => &[
            "Using Python version 3.12.3 (main, Sep 11 2025 14:09:53)",
            web_ui,
            &context,
            "SparkSession available as 'spark'.",
        ],
        Lang::Sql => &[],
    };
    for line in lines {
        ctx.log(*line);
    }
}

/// The driver's web UI on `spark.ui.port` (4040), unless `spark.ui.enabled` is false; its
/// CSRF token is 32 hex digits, as Spark 4.3's.
fn web_ui(
    ctx: &ProgramCtx,
    conf: &std::collections::BTreeMap<String, String>,
    seed: u64,
) -> Option<crate::sparkui::UiGuard> {
    if conf
        .get("spark.ui.enabled")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
    {
        return None;
    }
    let port = conf
        .get("spark.ui.port")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(4040);
    let key = (ctx.ns(), ctx.log_key.1.clone(), port);
    let csrf = crate::programs::hex(seed.rotate_left(17) ^ 0x5eed_c5f7, 32);
    Some(ctx.cluster.uis.open(key, csrf))
}

/// The driver's task slots: its executors' cores on Kubernetes, `local[N]`'s N, else one.
fn task_slots(
    master: &str,
    executors: usize,
    conf: &std::collections::BTreeMap<String, String>,
) -> u64 {
    if master.starts_with("k8s://") {
        let cores: u64 = conf
            .get("spark.executor.cores")
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        return executors as u64 * cores;
    }
    master
        .strip_prefix("local[")
        .and_then(|n| n.strip_suffix(']'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// The Scala REPL (`ILoop`): `-i`/`-I` files run first with their output off (the preamble
/// runs under `echoOff`; a missing file says so to nobody), then `\nscala> ` prompts
/// (`Properties.shellPromptString`). Ctrl-C: at the prompt JLine 3 throws
/// `UserInterruptException`, which the REPL's reader takes for the end of input (`:quit`);
/// during a statement the JVM dies of the signal, since JLine 3's system terminal put SIGINT
/// back to `SIG_DFL` (over Spark's `Signaling.cancelOnInterrupt`). Either way
/// `bin/spark-shell`'s `trap onExit INT` then exits with its `exit_status`, still 127.
async fn scala_session(
    ctx: &mut ProgramCtx,
    repl: &mut Repl,
    app_args: &[String],
    tty: bool,
    ui: Option<&std::sync::Arc<crate::sparkui::Ui>>,
) -> i32 {
    const INTERRUPTED: i32 = 127;
    let mut files = app_args.iter();
    while let Some(a) = files.next() {
        if matches!(a.as_str(), "-i" | "-I")
            && let Some(Ok(text)) = files.next().map(|f| script(ctx, f))
        {
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                let _ = repl.scala(line);
            }
        }
    }
    let quit = if tty { "\n:quit\n" } else { ":quit\n" };
    let mut buf = Vec::new();
    loop {
        // JLine 3 draws its prompt within the terminal's width: on a terminal of no columns
        // (nothing set its size yet) `>....`, until a SIGWINCH with a width redraws it.
        let mut narrow = tty && ctx.cluster.stdin.size(&ctx.log_key).cols == 0;
        out(ctx, if narrow { ">...." } else { "\nscala> " });
        let mut redraw = move |ctx: &ProgramCtx, typed: &[u8]| {
            if narrow && ctx.cluster.stdin.size(&ctx.log_key).cols > 0 {
                narrow = false;
                redraw(ctx, "\r\x1b[J\r\nscala> ", typed);
            }
        };
        let line = match read_line(ctx, &mut buf, &mut redraw).await {
            Got::Line(l) => l,
            Got::Eof => {
                out(ctx, quit);
                return 0;
            }
            Got::Interrupt => {
                out(ctx, quit);
                return INTERRUPTED;
            }
            Got::Stopped => return 143,
        };
        match repl.scala(line.trim()) {
            Step::Print(lines) => print(ctx, &lines),
            Step::Exit(c) => return c,
            Step::Run { secs, then, job } => {
                let running = ui.filter(|_| job).map(|ui| ui.start_job());
                match work_job(ctx, secs, running.as_ref()).await {
                    Work::Done => print(ctx, &then),
                    Work::Interrupted => {
                        // The terminal's echo, in cooked mode again; then nothing: the JVM is gone.
                        out(ctx, "^C");
                        return INTERRUPTED;
                    }
                    Work::Killed(id) => print(ctx, &killed_via_ui(id)),
                    Work::Stopped => return 143,
                }
            }
        }
    }
}

/// What spark-shell prints when the web UI kills the job of the running statement (the
/// DAGScheduler's `SparkException`, its trace as the pinned package printed it; the
/// TaskSetManager's `WARN … TaskKilled` lines on stderr are left out).
fn killed_via_ui(id: u64) -> Vec<String> {
    let mut lines = vec![format!(
        "org.apache.spark.SparkException: [SPARK_JOB_CANCELLED] Job {id} cancelled killed via Web UI SQLSTATE: XXKDA"
    )];
    for frame in [
        "org.apache.spark.errors.SparkCoreErrors$.sparkJobCancelled(SparkCoreErrors.scala:222)",
        "org.apache.spark.scheduler.DAGScheduler.handleJobCancellation(DAGScheduler.scala:4404)",
        "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.doOnReceive(DAGScheduler.scala:4789)",
        "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:4767)",
        "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:4756)",
        "org.apache.spark.util.EventLoop$$anon$1.run(EventLoop.scala:50)",
    ] {
        lines.push(format!("  at {frame}"));
    }
    lines
}

/// pyspark's interactive Python (readline): Ctrl-C at the prompt runs the SparkContext's
/// handler, whose `KeyboardInterrupt` shows its frame; during `time.sleep` the statement's
/// frame too, after the terminal's `^C`. Python that ends after a statement a
/// `KeyboardInterrupt` ended exits by SIGINT (`_Py_UnhandledKeyboardInterrupt`,
/// `Modules/main.c`'s `exit_sigint`): 130.
async fn python_session(ctx: &mut ProgramCtx, repl: &mut Repl) -> i32 {
    let mut buf = Vec::new();
    let mut interrupted = false;
    loop {
        out(ctx, ">>> ");
        // readline's `rl_resize_terminal`: `\r`, clear to the end of the line, `\r`, the
        // prompt and what was typed (as pyspark's REPL did on a pseudo-terminal).
        let mut redraw = |ctx: &ProgramCtx, typed: &[u8]| redraw(ctx, "\r\x1b[K\r>>> ", typed);
        let line = match read_line(ctx, &mut buf, &mut redraw).await {
            Got::Line(l) => l,
            Got::Eof => {
                ctx.log("");
                return if interrupted { 130 } else { 0 };
            }
            Got::Interrupt => {
                ctx.log("");
                print(
                    ctx,
                    &[
                        "Traceback (most recent call last):".to_string(),
                        SIGNAL_HANDLER.to_string(),
                        "KeyboardInterrupt".to_string(),
                    ],
                );
                continue;
            }
            Got::Stopped => return 143,
        };
        let e = line.trim();
        if e.is_empty() {
            continue;
        }
        interrupted = false;
        let term = Some(ctx.cluster.stdin.size(&ctx.log_key));
        match repl.python(e, term, 1, true) {
            Step::Print(lines) => print(ctx, &lines),
            Step::Exit(c) => return c,
            Step::Run { secs, job, then } => match work(ctx, secs).await {
                Work::Done | Work::Killed(_) => print(ctx, &then),
                Work::Interrupted => {
                    interrupted = true;
                    out(ctx, "^C");
                    // A job's interruption also passes through py4j's frames and logs its
                    // broken command; only the KeyboardInterrupt's own frames are kept.
                    let frames: &[&str] = if job {
                        &[
                            "  File \"/opt/spark/python/pyspark/sql/classic/dataframe.py\", line 500, in count\n    return int(self._jdf.count())\n               ^^^^^^^^^^^^^^^^^",
                            SIGNAL_HANDLER,
                        ]
                    } else {
                        &[SIGNAL_HANDLER]
                    };
                    print(ctx, &python_error(1, frames, "KeyboardInterrupt"));
                }
                Work::Stopped => return 143,
            },
        }
    }
}

/// pyspark without a terminal: Python reads stdin as a script (not interactive, so
/// `PYTHONSTARTUP`, Spark's `shell.py`, does not run: no banner, no `spark` or `sc`, no
/// values echoed), stops at the first exception with its traceback and exits 1.
async fn python_script(ctx: &mut ProgramCtx) -> Exit {
    let mut text = Vec::new();
    loop {
        let mut stop = ctx.stop.clone();
        let next = match ctx.stdin.as_mut() {
            None => None,
            Some(stdin) => tokio::select! {
                m = stdin.recv() => m,
                _ = stop.wait_for(|s| *s) => return Exit::code(143),
            },
        };
        match next {
            Some(StdinMsg::Data(d)) => text.extend(d),
            Some(StdinMsg::Interrupt | StdinMsg::Winch) => {}
            Some(StdinMsg::Eof) | None => break,
        }
    }
    let mut repl = Repl::new(Lang::Python, String::new(), String::new(), 1);
    repl.shell_py = false;
    repl.imports.clear();
    let text = String::from_utf8_lossy(&text).into_owned();
    for (i, line) in text.lines().enumerate() {
        let e = line.trim();
        if e.is_empty() || e.starts_with('#') {
            continue;
        }
        match repl.python(e, None, i + 1, false) {
            Step::Print(lines) => {
                print(ctx, &lines);
                if lines.first().is_some_and(|l| l.starts_with("Traceback")) {
                    return Exit::code(1);
                }
            }
            Step::Exit(c) => return Exit::code(c),
            Step::Run { secs, then, .. } => match work(ctx, secs).await {
                Work::Stopped => return Exit::code(143),
                _ => print(ctx, &then),
            },
        }
    }
    Exit::code(0)
}

/// A spark-sql line (`processLine`): its statements in order, the first failure ending it;
/// its return code, or the shell's end (`quit`, the pod's deletion).
async fn sql_line(
    ctx: &mut ProgramCtx,
    repl: &mut Repl,
    text: &str,
    verbose: bool,
) -> Result<i32, i32> {
    for stmt in split_statements(text) {
        let cmd = repl.substitute(&stmt);
        if verbose {
            ctx.log(cmd.as_str());
        }
        match repl.sql(&cmd) {
            Ok(Step::Print(lines)) => print(ctx, &lines),
            Ok(Step::Exit(c)) => return Err(c),
            Ok(Step::Run { secs, then, .. }) => match work(ctx, secs).await {
                Work::Done | Work::Killed(_) => print(ctx, &then),
                Work::Interrupted => {
                    print(ctx, &sql_cancelled(repl.jobs, repl.silent));
                    return Ok(1);
                }
                Work::Stopped => return Err(143),
            },
            Err(msg) => {
                ctx.log(msg);
                return Ok(1);
            }
        }
    }
    Ok(0)
}

/// `SparkSQLCLIDriver.main` after its options: `--database` (`USE`), the `-i` files (silent),
/// the master line, then `-e`, `-f` or the prompt. Ctrl-C at the prompt is the JVM's own
/// SIGINT: the shell exits 130; during a statement `processLine`'s handler cancels the jobs.
async fn sql_session(ctx: &mut ProgramCtx, repl: &mut Repl, o: SqlOptions) -> i32 {
    repl.vars.extend(o.vars.iter().cloned());
    repl.conf.extend(o.hiveconf.iter().cloned());
    if let Some(db) = &o.database
        && let Err(msg) = repl.sql(&format!("USE {db}"))
    {
        ctx.log(format!(
            "Exception in thread \"main\" org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException: {msg}"
        ));
        return 1;
    }

    repl.silent = true;
    for f in &o.init {
        let text = match script(ctx, f) {
            Ok(t) => t,
            Err(path) => {
                ctx.log(format!(
                    "Exception in thread \"main\" java.io.FileNotFoundException: File {path} does not exist"
                ));
                return 1;
            }
        };
        match sql_line(ctx, repl, &strip_comments(&text), false).await {
            Ok(0) => {}
            Ok(rc) | Err(rc) => return rc,
        }
    }
    repl.silent = o.silent;
    if !o.silent {
        ctx.log("Spark Web UI available at http://localhost:4040");
        ctx.log(format!(
            "Spark master: {}, Application Id: {}",
            repl.master, repl.app_id
        ));
    }
    if let Some(e) = &o.exec {
        return sql_line(ctx, repl, e, o.verbose)
            .await
            .unwrap_or_else(|c| c);
    }
    if let Some(f) = &o.file {
        return match script(ctx, f) {
            Ok(text) => sql_line(ctx, repl, &strip_comments(&text), o.verbose)
                .await
                .unwrap_or_else(|c| c),
            Err(path) => {
                ctx.spark_log(
                    "ERROR",
                    "SparkSQLCLIDriver",
                    &format!("Could not open input file for reading. (File {path} does not exist)"),
                );
                3
            }
        };
    }
    let mut buf = Vec::new();
    let (mut prefix, mut ret) = (String::new(), 0);
    loop {
        let db = format!(" ({})", repl.db);
        let prompt = if prefix.is_empty() {
            format!("spark-sql{db}> ")
        } else {
            format!("{}> ", " ".repeat(9 + db.len()))
        };
        out(ctx, &prompt);
        let line = match read_line(ctx, &mut buf, &mut |_, _| {}).await {
            Got::Line(l) => l,
            Got::Eof => {
                ctx.log("");
                return ret;
            }
            Got::Interrupt => return 130,
            Got::Stopped => return 143,
        };
        if line.starts_with("--") {
            continue;
        }
        if !prefix.is_empty() {
            prefix.push('\n');
        }
        let t = line.trim();
        if t.ends_with(';') && !t.ends_with("\\;") {
            let text = std::mem::take(&mut prefix) + &line;
            ret = match sql_line(ctx, repl, &text, o.verbose).await {
                Ok(rc) => rc,
                Err(c) => return c,
            };
        } else {
            prefix.push_str(&line);
        }
    }
}
