//! The Spark shells a pod runs in client mode, as Spark 4.3.0's own behave in a container:
//! `spark-shell` (Scala 2.13's REPL on JLine 3, started by `bin/spark-shell`), `pyspark`
//! (CPython with readline and Spark's `shell.py`) and `spark-sql` (`SparkSQLCLIDriver` on
//! JLine 2). Each transcript below was taken from the pinned `pyspark` package's own shells
//! on a pseudo-terminal; `docs/kubesim.md` ("Spark shells") lists them with their sources.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::programs::{Exit, ProgramCtx};
use crate::stdio::{Size, StdinMsg};

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

/// Rows a `spark.range(n).count()` job counts per second and task slot: 2·10¹⁰ rows took
/// 5.76 s on `local[2]` (Spark 4.3.0 on the 2-core development machine).
const ROWS_PER_SECOND_PER_SLOT: f64 = 1.7e9;

/// A value the shells show.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(i64),
    Long(i64),
    Str(String),
}

impl Val {
    fn number(&self) -> Option<i64> {
        match self {
            Val::Int(i) | Val::Long(i) => Some(*i),
            Val::Str(_) => None,
        }
    }

    /// As `print`/`println` and spark-sql show it.
    fn plain(&self) -> String {
        match self {
            Val::Int(i) | Val::Long(i) => i.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
}

/// Integer arithmetic: `+ - * / %`, parentheses, names (`lookup`) and `L`-suffixed literals.
fn arithmetic(expr: &str, lookup: &dyn Fn(&str) -> Option<i64>) -> Option<i64> {
    struct P<'a> {
        t: &'a [u8],
        i: usize,
        lookup: &'a dyn Fn(&str) -> Option<i64>,
    }
    impl P<'_> {
        fn skip(&mut self) {
            while self.t.get(self.i).is_some_and(u8::is_ascii_whitespace) {
                self.i += 1;
            }
        }
        fn atom(&mut self) -> Option<i64> {
            self.skip();
            let start = self.i;
            match *self.t.get(self.i)? {
                b'(' => {
                    self.i += 1;
                    let v = self.sum()?;
                    self.skip();
                    (self.t.get(self.i) == Some(&b')')).then(|| self.i += 1)?;
                    Some(v)
                }
                b'-' => {
                    self.i += 1;
                    self.atom().map(|v| -v)
                }
                c if c.is_ascii_digit() => {
                    while self.t.get(self.i).is_some_and(u8::is_ascii_digit) {
                        self.i += 1;
                    }
                    let v = std::str::from_utf8(&self.t[start..self.i])
                        .ok()?
                        .parse()
                        .ok();
                    if self.t.get(self.i) == Some(&b'L') {
                        self.i += 1;
                    }
                    v
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    while self
                        .t
                        .get(self.i)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    {
                        self.i += 1;
                    }
                    (self.lookup)(std::str::from_utf8(&self.t[start..self.i]).ok()?)
                }
                _ => None,
            }
        }
        fn product(&mut self) -> Option<i64> {
            let mut v = self.atom()?;
            loop {
                self.skip();
                match self.t.get(self.i) {
                    Some(&op @ (b'*' | b'/' | b'%')) => {
                        self.i += 1;
                        let r = self.atom()?;
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
        fn sum(&mut self) -> Option<i64> {
            let mut v = self.product()?;
            loop {
                self.skip();
                match self.t.get(self.i) {
                    Some(&op @ (b'+' | b'-')) => {
                        self.i += 1;
                        let r = self.product()?;
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
    }
    let mut p = P {
        t: expr.as_bytes(),
        i: 0,
        lookup,
    };
    let v = p.sum()?;
    p.skip();
    (p.i == p.t.len()).then_some(v)
}

/// A statement's effect.
#[derive(Debug, PartialEq)]
enum Step {
    /// Lines to print.
    Print(Vec<String>),
    /// Work that takes `secs` (a sleep, or a Spark job when `job`), then prints `then`.
    Run {
        secs: f64,
        job: bool,
        then: Vec<String>,
    },
    /// Leave the shell with this exit code.
    Exit(i32),
}

/// The argument of `name(ARG)` when `e` is that call.
fn call<'a>(e: &'a str, name: &str) -> Option<&'a str> {
    e.strip_prefix(name)?.strip_prefix('(')?.strip_suffix(')')
}

/// `NAME = EXPR` (not `==`), for Python and a Scala `val`/`var`.
fn assignment(e: &str) -> Option<(&str, &str)> {
    let (name, expr) = e.split_once('=')?;
    let name = name.trim();
    let ok = !expr.starts_with('=')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| (name, expr.trim()))
}

/// A shell's session: what it knows and has defined.
struct Repl {
    lang: Lang,
    master: String,
    app_id: String,
    /// Task slots for Spark jobs.
    slots: u64,
    /// The Scala REPL's next `resN`.
    results: usize,
    names: BTreeMap<String, Val>,
    /// Python modules imported (`os` and `sys` come with `shell.py`).
    imports: BTreeSet<String>,
    /// Whether `shell.py` ran (interactive pyspark: `spark` and `sc` exist).
    shell_py: bool,
    /// spark-sql: the current database, the catalog's, variables and `SET` values.
    db: String,
    dbs: BTreeSet<String>,
    vars: BTreeMap<String, String>,
    conf: BTreeMap<String, String>,
    silent: bool,
    jobs: u64,
}

impl Repl {
    fn new(lang: Lang, master: String, app_id: String, slots: u64) -> Repl {
        Repl {
            lang,
            master,
            app_id,
            slots: slots.max(1),
            results: 0,
            names: BTreeMap::new(),
            imports: ["os", "sys"].map(String::from).into(),
            shell_py: true,
            db: "default".into(),
            dbs: BTreeSet::from(["default".to_string()]),
            vars: BTreeMap::new(),
            conf: BTreeMap::new(),
            silent: false,
            jobs: 0,
        }
    }

    fn lookup(&self, name: &str) -> Option<i64> {
        self.names.get(name).and_then(Val::number)
    }

    /// How long counting `rows` takes on this session's executors.
    fn job_secs(&self, rows: i64) -> f64 {
        rows.max(0) as f64 / (ROWS_PER_SECOND_PER_SLOT * self.slots as f64)
    }

    /// `spark.range(N).count()` (Scala may leave out the parentheses of `count`): N.
    fn range_count(&self, e: &str) -> Option<i64> {
        let inner = e.strip_prefix("spark.range(")?;
        let n = inner
            .strip_suffix(").count()")
            .or_else(|| inner.strip_suffix(").count"))?;
        arithmetic(n, &|n| self.lookup(n)).or_else(|| pow(n).and_then(|(b, x)| b.checked_pow(x)))
    }

    fn value(&self, expr: &str) -> Option<Val> {
        let e = expr.trim();
        if let Some(v) = arithmetic(e, &|n| self.lookup(n)) {
            let long = self.names.get(e).is_some_and(|v| matches!(v, Val::Long(_)));
            return Some(if long { Val::Long(v) } else { Val::Int(v) });
        }
        for q in ['"', '\''] {
            if e.len() >= 2 && e.starts_with(q) && e.ends_with(q) {
                return Some(Val::Str(e[1..e.len() - 1].to_string()));
            }
        }
        if let Some(v) = self.names.get(e) {
            return Some(v.clone());
        }
        let spark = self.lang != Lang::Python || self.shell_py;
        match e {
            "spark.version" | "sc.version" if spark => Some(Val::Str("4.3.0".into())),
            "sc.master" if spark => Some(Val::Str(self.master.clone())),
            "sc.applicationId" if spark => Some(Val::Str(self.app_id.clone())),
            _ => None,
        }
    }

    /// The language's display of a result.
    fn show(&mut self, v: &Val) -> String {
        match self.lang {
            Lang::Scala => {
                let n = self.results;
                self.results += 1;
                scala_val(&format!("res{n}"), v)
            }
            Lang::Python => match v {
                Val::Int(i) | Val::Long(i) => i.to_string(),
                Val::Str(s) => format!("'{s}'"),
            },
            Lang::Sql => v.plain(),
        }
    }

    /// The language's answer to an expression it cannot evaluate; `line` for Python's traceback.
    fn error(&self, e: &str, line: usize) -> Vec<String> {
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
            (_, empty) => python_error(
                line,
                &[],
                &if empty {
                    "SyntaxError: invalid syntax".to_string()
                } else {
                    format!("NameError: name '{word}' is not defined")
                },
            ),
        }
    }

    /// One Python statement; `interactive` shows expressions' values (a script's do not).
    fn python(&mut self, e: &str, term: Option<Size>, line: usize, interactive: bool) -> Step {
        if let Some(c) = ["exit", "quit", "sys.exit"].iter().find_map(|f| call(e, f)) {
            return Step::Exit(if c.trim().is_empty() {
                0
            } else {
                c.trim().parse().unwrap_or(1)
            });
        }
        if let Some(names) = e.strip_prefix("import ") {
            for n in names.split(',') {
                let n = n.split(" as ").last().unwrap_or(n).trim();
                self.imports.insert(n.to_string());
            }
            return Step::Print(vec![]);
        }
        if let Some((_module, names)) = e
            .strip_prefix("from ")
            .and_then(|r| r.split_once(" import "))
        {
            for n in names.split(',') {
                self.imports.insert(n.trim().to_string());
            }
            return Step::Print(vec![]);
        }
        let missing = |name: &str| -> Option<Step> {
            let module = name.split('.').next().unwrap_or(name);
            (!self.imports.contains(module)).then(|| {
                Step::Print(python_error(
                    line,
                    &[],
                    &format!("NameError: name '{module}' is not defined"),
                ))
            })
        };
        if let Some(secs) = call(e, "time.sleep") {
            if let Some(err) = missing("time") {
                return err;
            }
            let secs = secs.trim().parse::<f64>().unwrap_or(0.0).max(0.0);
            return Step::Run {
                secs,
                job: false,
                then: vec![],
            };
        }
        if e == "os.get_terminal_size()" {
            if let Some(err) = missing("os") {
                return err;
            }
            return match term {
                Some(s) => Step::Print(if interactive {
                    vec![format!(
                        "os.terminal_size(columns={}, lines={})",
                        s.cols, s.rows
                    )]
                } else {
                    vec![]
                }),
                None => Step::Print(python_error(
                    line,
                    &[],
                    "OSError: [Errno 25] Inappropriate ioctl for device",
                )),
            };
        }
        if let Some(n) = self.range_count(e).filter(|_| self.shell_py) {
            return Step::Run {
                secs: self.job_secs(n),
                job: true,
                then: if interactive {
                    vec![n.to_string()]
                } else {
                    vec![]
                },
            };
        }
        if let Some(inner) = call(e, "print") {
            return match self.value(inner) {
                Some(v) => Step::Print(vec![v.plain()]),
                None => Step::Print(self.error(inner.trim(), line)),
            };
        }
        if let Some((name, expr)) = assignment(e) {
            return match self.value(expr) {
                Some(v) => {
                    self.names.insert(name.to_string(), v);
                    Step::Print(vec![])
                }
                None => Step::Print(self.error(expr, line)),
            };
        }
        match self.value(e) {
            Some(v) if interactive => Step::Print(vec![self.show(&v)]),
            Some(_) => Step::Print(vec![]),
            None => Step::Print(self.error(e, line)),
        }
    }

    /// One Scala input.
    fn scala(&mut self, e: &str) -> Step {
        if matches!(e, ":quit" | ":q" | "sys.exit") {
            return Step::Exit(0);
        }
        if let Some(c) = ["sys.exit", "System.exit"].iter().find_map(|f| call(e, f)) {
            return Step::Exit(
                c.trim()
                    .parse()
                    .unwrap_or(if c.trim().is_empty() { 0 } else { 1 }),
            );
        }
        if let Some(ms) = call(e, "Thread.sleep") {
            let ms = arithmetic(ms, &|n| self.lookup(n)).unwrap_or(0).max(0);
            return Step::Run {
                secs: ms as f64 / 1000.0,
                job: false,
                then: vec![],
            };
        }
        if let Some(n) = self.range_count(e) {
            let shown = self.show(&Val::Long(n));
            return Step::Run {
                secs: self.job_secs(n),
                job: true,
                then: vec![shown],
            };
        }
        if let Some(inner) = call(e, "println") {
            return match self.value(inner) {
                Some(v) => Step::Print(vec![v.plain()]),
                None => Step::Print(self.error(inner.trim(), 1)),
            };
        }
        let def = ["val ", "var "]
            .iter()
            .find_map(|k| Some((k.trim(), e.strip_prefix(k).and_then(assignment)?)));
        if let Some((kind, (name, expr))) = def {
            return match self.value(expr) {
                Some(v) => {
                    let shown = scala_val(name, &v).replacen("val", kind, 1);
                    self.names.insert(name.to_string(), v);
                    Step::Print(vec![shown])
                }
                None => Step::Print(self.error(expr, 1)),
            };
        }
        match self.value(e) {
            Some(v) => Step::Print(vec![self.show(&v)]),
            None => Step::Print(self.error(e, 1)),
        }
    }

    /// One spark-sql command (without its `;`), after variable substitution; `Err` carries
    /// the error message (the command's return code is 1).
    fn sql(&mut self, cmd: &str) -> Result<Step, String> {
        let e = cmd.trim();
        let lower = e.to_ascii_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let took = |rows: usize| {
            if rows == 0 {
                "Time taken: 0.05 seconds".to_string()
            } else {
                format!("Time taken: 0.05 seconds, Fetched {rows} row(s)")
            }
        };
        let name = |i: usize| -> String {
            e.split_whitespace()
                .nth(i)
                .unwrap_or_default()
                .trim_matches('`')
                .to_string()
        };
        match words.as_slice() {
            ["quit"] | ["exit"] => Ok(Step::Exit(0)),
            ["use", _] => {
                let db = name(1);
                if !self.dbs.contains(&db.to_ascii_lowercase()) {
                    return Err(schema_not_found(&db));
                }
                self.db = db.to_ascii_lowercase();
                Ok(Step::Print(vec![took(0)]))
            }
            ["create", "database" | "schema", rest @ ..] => {
                let (exists_ok, at) = match rest {
                    ["if", "not", "exists", _] => (true, 5),
                    [_] => (false, 2),
                    _ => return Err(parse_error(e)),
                };
                let db = name(at).to_ascii_lowercase();
                if !self.dbs.insert(db.clone()) && !exists_ok {
                    return Err(format!(
                        "[SCHEMA_ALREADY_EXISTS] Cannot create schema `{db}` because it already exists.\nChoose a different name, drop the existing schema, or add the IF NOT EXISTS clause to tolerate pre-existing schema. SQLSTATE: 42P06"
                    ));
                }
                Ok(Step::Print(vec![took(0)]))
            }
            ["show", "databases" | "schemas"] => {
                let mut lines: Vec<String> = self.dbs.iter().cloned().collect();
                lines.push(took(self.dbs.len()));
                Ok(Step::Print(lines))
            }
            ["set", ..] => {
                let setting = e[3..].trim();
                let (k, v) = match setting.split_once('=') {
                    Some((k, v)) => {
                        self.conf.insert(k.trim().into(), v.trim().into());
                        (k.trim().to_string(), v.trim().to_string())
                    }
                    None => (
                        setting.to_string(),
                        self.conf
                            .get(setting)
                            .cloned()
                            .unwrap_or_else(|| "<undefined>".into()),
                    ),
                };
                Ok(Step::Print(vec![format!("{k}\t{v}"), took(1)]))
            }
            ["select", ..] => {
                let items = &e[6..];
                if let Some(n) = count_range(items) {
                    self.jobs += 1;
                    let secs = self.job_secs(n);
                    return Ok(Step::Run {
                        secs,
                        job: true,
                        then: vec![
                            n.to_string(),
                            format!(
                                "Time taken: {} seconds, Fetched 1 row(s)",
                                java_secs(secs.max(0.05))
                            ),
                        ],
                    });
                }
                let mut row = Vec::new();
                for item in items.split(',') {
                    match self.value(item) {
                        Some(v) => row.push(self.show(&v)),
                        None => {
                            let col = item.trim();
                            let ident = !col.is_empty()
                                && col.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                            return Err(if ident {
                                format!(
                                    "[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `{col}` cannot be resolved.  SQLSTATE: 42703; line 1 pos {};\n'Project ['{col}]\n+- OneRowRelation\n",
                                    e.find(col).unwrap_or(0)
                                )
                            } else {
                                parse_error(e)
                            });
                        }
                    }
                }
                Ok(Step::Print(vec![row.join("\t"), took(1)]))
            }
            _ => Err(parse_error(e)),
        }
    }

    /// Hive's variable substitution: `${x}`, `${hivevar:x}`, `${hiveconf:x}`; unknown ones stay.
    fn substitute(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let Some(end) = rest[at..].find('}') else {
                rest = &rest[at..];
                break;
            };
            let key = &rest[at + 2..at + end];
            let name = key
                .strip_prefix("hivevar:")
                .or_else(|| key.strip_prefix("hiveconf:"))
                .unwrap_or(key);
            match self.vars.get(name).or_else(|| self.conf.get(name)) {
                Some(v) => out.push_str(v),
                None => out.push_str(&rest[at..at + end + 1]),
            }
            rest = &rest[at + end + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// `B**X` (Python's power) in `spark.range(10**11)`.
fn pow(e: &str) -> Option<(i64, u32)> {
    let (b, x) = e.split_once("**")?;
    Some((b.trim().parse().ok()?, x.trim().parse().ok()?))
}

/// `count(*) FROM range(N)` (any case): N.
fn count_range(items: &str) -> Option<i64> {
    let lower = items.to_ascii_lowercase().replace(' ', "");
    let n = lower
        .strip_prefix("count(*)fromrange(")?
        .strip_suffix(')')?;
    arithmetic(n, &|_| None)
}

/// Scala's display of a definition: `val x: Int = 21`.
fn scala_val(name: &str, v: &Val) -> String {
    match v {
        Val::Int(i) => format!("val {name}: Int = {i}"),
        Val::Long(i) => format!("val {name}: Long = {i}"),
        Val::Str(s) => format!("val {name}: String = {s}"),
    }
}

/// A Python traceback: the `<stdin>` frame at `line`, more frames, the exception.
fn python_error(line: usize, frames: &[&str], exception: &str) -> Vec<String> {
    let mut out = vec![
        "Traceback (most recent call last):".to_string(),
        format!("  File \"<stdin>\", line {line}, in <module>"),
    ];
    out.extend(frames.iter().map(|f| f.to_string()));
    out.push(exception.to_string());
    out
}

fn parse_error(e: &str) -> String {
    let first = e.split_whitespace().next().unwrap_or_default();
    format!(
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '{first}'. SQLSTATE: 42601 (line 1, pos 0)"
    )
}

fn schema_not_found(db: &str) -> String {
    format!(
        "[SCHEMA_NOT_FOUND] The schema `spark_catalog`.`{db}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS. SQLSTATE: 42704"
    )
}

/// A duration as Scala prints a `Double` of seconds (`25.0`, `0.05`).
fn java_secs(secs: f64) -> String {
    let ms = (secs * 1000.0).round() / 1000.0;
    if ms.fract() == 0.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms}")
    }
}

/// `SparkSQLCLIDriver`'s job cancellation on the first Ctrl-C of a statement: its handler's
/// two lines (`processLine`), then the statement's error and, unless silent, its stack trace
/// (`processCmd`), as spark-sql 4.3.0 printed them. The scheduler's `WARN TaskSetManager: Lost
/// task …` log lines are left out.
fn sql_cancelled(job: u64, silent: bool) -> Vec<String> {
    let msg = format!(
        "[SPARK_JOB_CANCELLED] Job {job} cancelled as part of cancellation of all jobs SQLSTATE: XXKDA"
    );
    let mut out = Vec::new();
    if !silent {
        out.push("Interrupting... Be patient, this might take some time.".into());
        out.push("Press Ctrl+C again to kill JVM".into());
    }
    out.push(msg.clone());
    if !silent {
        out.push(format!("org.apache.spark.SparkException: {msg}"));
        out.extend(
            [
                "org.apache.spark.errors.SparkCoreErrors$.sparkJobCancelled(SparkCoreErrors.scala:222)",
                "org.apache.spark.scheduler.DAGScheduler.handleJobCancellation(DAGScheduler.scala:4404)",
                "org.apache.spark.scheduler.DAGScheduler.$anonfun$doCancelAllJobs$2(DAGScheduler.scala:1691)",
                "scala.runtime.java8.JFunction1$mcVI$sp.apply(JFunction1$mcVI$sp.scala:18)",
                "scala.collection.mutable.HashSet$Node.foreach(HashSet.scala:450)",
                "scala.collection.mutable.HashSet.foreach(HashSet.scala:376)",
                "org.apache.spark.scheduler.DAGScheduler.doCancelAllJobs(DAGScheduler.scala:1691)",
                "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.doOnReceive(DAGScheduler.scala:4798)",
                "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:4767)",
                "org.apache.spark.scheduler.DAGSchedulerEventProcessLoop.onReceive(DAGScheduler.scala:4756)",
                "org.apache.spark.util.EventLoop$$anon$1.run(EventLoop.scala:50)",
            ]
            .map(|f| format!("\tat {f}")),
        );
    }
    out
}

/// Hive's CLI options (`OptionsProcessor`, commons-cli's `GnuParser`).
#[derive(Debug, Default, PartialEq)]
struct SqlOptions {
    database: Option<String>,
    exec: Option<String>,
    file: Option<String>,
    init: Vec<String>,
    silent: bool,
    verbose: bool,
    help: bool,
    /// `--hiveconf k=v`, then `-d`/`--define`/`--hivevar k=v`.
    hiveconf: Vec<(String, String)>,
    vars: Vec<(String, String)>,
}

/// `OptionsProcessor.printUsage`, as spark-sql 4.3.0 prints it (to stdout).
const SQL_USAGE: &str = "usage: hive
 -d,--define <key=value>          Variable substitution to apply to Hive
                                  commands. e.g. -d A=B or --define A=B
    --database <databasename>     Specify the database to use
 -e <quoted-query-string>         SQL from command line
 -f <filename>                    SQL from files
 -H,--help                        Print help information
    --hiveconf <property=value>   Use value for given property
    --hivevar <key=value>         Variable substitution to apply to Hive
                                  commands. e.g. --hivevar A=B
 -i <filename>                    Initialization SQL file
 -S,--silent                      Silent mode in interactive shell
 -v,--verbose                     Verbose mode (echo executed SQL to the
                                  console)";

/// Parses spark-sql's application arguments; `Err` is commons-cli's message (stage 1 fails:
/// exit 1 after the usage).
fn sql_options(args: &[String]) -> Result<SqlOptions, String> {
    let mut o = SqlOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Result<String, String> {
            it.next()
                .cloned()
                .ok_or_else(|| format!("Missing argument for option: {name}"))
        };
        let pair = |v: String| -> (String, String) {
            let (k, v) = v.split_once('=').unwrap_or((&v, ""));
            (k.to_string(), v.to_string())
        };
        match a.as_str() {
            "-e" => o.exec = Some(value("e")?),
            "-f" => o.file = Some(value("f")?),
            "-i" => o.init.push(value("i")?),
            "--database" => o.database = Some(value("database")?),
            "-S" | "--silent" => o.silent = true,
            "-v" | "--verbose" => o.verbose = true,
            "-H" | "--help" => o.help = true,
            "--hiveconf" => o.hiveconf.push(pair(value("hiveconf")?)),
            "-d" | "--define" => o.vars.push(pair(value("d")?)),
            "--hivevar" => o.vars.push(pair(value("hivevar")?)),
            a if a.starts_with('-') && a.len() > 1 => {
                return Err(format!("Unrecognized option: {a}"));
            }
            _ => {}
        }
    }
    Ok(o)
}

/// spark-sql's `splitSemiColon`: statements split at `;` outside quotes and `--` comments.
fn split_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quote, mut comment, mut escape) = (None::<char>, false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            _ if escape => escape = false,
            '\\' => escape = true,
            '\n' => comment = false,
            _ if comment => {}
            '\'' | '"' if quote == Some(c) => quote = None,
            '\'' | '"' if quote.is_none() => quote = Some(c),
            '-' if quote.is_none() && chars.peek() == Some(&'-') => comment = true,
            ';' if quote.is_none() => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .filter(|s| {
            s.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
        })
        .collect()
}

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
}

fn out(ctx: &ProgramCtx, text: &str) {
    ctx.cluster.logs.push_raw(&ctx.log_key, text);
}

fn print(ctx: &ProgramCtx, lines: &[String]) {
    for l in lines {
        ctx.log(l.as_str());
    }
}

/// Reads one line (the terminal's line discipline has turned CR into LF). `redraw` is the
/// prompt readline redraws on SIGWINCH (`rl_resize_terminal`: `\r`, clear to the end of the
/// line, `\r`, the prompt and what was typed), as pyspark's REPL did on a pseudo-terminal.
async fn read_line(ctx: &mut ProgramCtx, buf: &mut Vec<u8>, redraw: Option<&str>) -> Got {
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
            Some(StdinMsg::Winch) => {
                if let Some(prompt) = redraw {
                    out(
                        ctx,
                        &format!("\r\x1b[K\r{prompt}{}", String::from_utf8_lossy(buf)),
                    );
                }
            }
            Some(StdinMsg::Eof) | None if buf.is_empty() => return Got::Eof,
            Some(StdinMsg::Eof) | None => {
                return Got::Line(String::from_utf8_lossy(&std::mem::take(buf)).into_owned());
            }
        }
    }
}

/// A statement that takes `secs`, unless a Ctrl-C (or the pod's deletion) ends it first.
async fn work(ctx: &mut ProgramCtx, secs: f64) -> Work {
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
    let sql = if lang == Lang::Sql {
        match sql_options(&parsed.app_args) {
            Ok(o) if o.help => {
                ctx.log(SQL_USAGE);
                return Exit::code(2);
            }
            Ok(o) if o.exec.is_some() && o.file.is_some() => {
                ctx.log("The '-e' and '-f' options cannot be specified simultaneously");
                ctx.log(SQL_USAGE);
                return Exit::code(2);
            }
            Ok(o) => Some(o),
            Err(e) => {
                ctx.log(e);
                ctx.log(SQL_USAGE);
                return Exit::code(1);
            }
        }
    } else {
        None
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
    if lang == Lang::Python {
        ctx.log("Python 3.12.3 (main, Sep 11 2025, 14:09:53) [GCC 13.3.0] on linux");
        ctx.log("Type \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    }
    ctx.log("Setting default log level to \"WARN\".");
    ctx.log(
        "To adjust logging level use sc.setLogLevel(newLevel). For SparkR, use setLogLevel(newLevel).",
    );
    if lang != Lang::Sql {
        // shell.py's banner has `/__ /` where the Scala shell's has `/___/`.
        let version = match lang {
            Lang::Python => "   /__ / .__/\\_,_/_/ /_/\\_\\   version 4.3.0",
            _ => "   /___/ .__/\\_,_/_/ /_/\\_\\   version 4.3.0",
        };
        for l in &BANNER[..4] {
            ctx.log(*l);
        }
        ctx.log(version);
        ctx.log(BANNER[4]);
        ctx.log(if lang == Lang::Scala { "         " } else { "" });
    }
    let k8s = master.starts_with("k8s://");
    let pods = if k8s {
        crate::programs::executor_pods(ctx, &conf, &app_id)
    } else {
        Vec::new()
    };
    crate::programs::create_executors(ctx, &ns, &pods, 0);
    let slots = if k8s {
        pods.len() as u64
            * conf
                .get("spark.executor.cores")
                .and_then(|c| c.parse().ok())
                .unwrap_or(1)
    } else {
        master
            .strip_prefix("local[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1)
    };
    let web_ui = "Spark context Web UI available at http://localhost:4040";
    let context =
        format!("Spark context available as 'sc' (master = {master}, app id = {app_id}).");
    let banner: &[&str] = match lang {
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
    for line in banner {
        ctx.log(*line);
    }
    let mut repl = Repl::new(lang, master, app_id.clone(), slots);
    let code = match sql {
        Some(o) => sql_session(ctx, &mut repl, o).await,
        None if lang == Lang::Scala => scala_session(ctx, &mut repl, &parsed.app_args, tty).await,
        None => python_session(ctx, &mut repl).await,
    };
    if k8s {
        crate::programs::delete_executors(ctx, &ns, &app_id);
    }
    Exit::code(code)
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
        out(ctx, "\nscala> ");
        let line = match read_line(ctx, &mut buf, None).await {
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
            Step::Run { secs, then, .. } => match work(ctx, secs).await {
                Work::Done => print(ctx, &then),
                Work::Interrupted => {
                    // The terminal's echo, in cooked mode again; then nothing: the JVM is gone.
                    out(ctx, "^C");
                    return INTERRUPTED;
                }
                Work::Stopped => return 143,
            },
        }
    }
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
        let line = match read_line(ctx, &mut buf, Some(">>> ")).await {
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
                Work::Done => print(ctx, &then),
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
                Work::Done => print(ctx, &then),
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
    if let Some(db) = &o.database {
        if let Err(msg) = repl.sql(&format!("USE {db}")) {
            ctx.log(format!(
                "Exception in thread \"main\" org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException: {msg}"
            ));
            return 1;
        }
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
        let line = match read_line(ctx, &mut buf, None).await {
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

/// Hive's `processReader`: a file's lines, those starting with `--` left out.
fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repl(lang: Lang) -> Repl {
        Repl::new(
            lang,
            "k8s://https://kubernetes.default.svc".into(),
            "spark-1".into(),
            2,
        )
    }

    /// What a statement prints once it has completed.
    fn printed(step: Step) -> Step {
        match step {
            Step::Run { then, .. } => Step::Print(then),
            other => other,
        }
    }

    fn lines(l: &[&str]) -> Step {
        Step::Print(l.iter().map(|l| l.to_string()).collect())
    }

    #[test]
    fn arithmetic_like_the_shells() {
        let none = |_: &str| None;
        assert_eq!(arithmetic("1 + 1", &none), Some(2));
        assert_eq!(arithmetic("2*(3+4) - 10 / 3", &none), Some(11));
        assert_eq!(arithmetic("-5 % 3", &none), Some(-2));
        assert_eq!(arithmetic("1 / 0", &none), None);
        assert_eq!(arithmetic("1 +", &none), None);
        assert_eq!(arithmetic("foo", &none), None);
        assert_eq!(
            arithmetic("x * 2 + 100000000000L", &|n| (n == "x").then_some(21)),
            Some(100_000_000_042)
        );
    }

    #[test]
    fn scala_results_are_numbered() {
        let mut r = repl(Lang::Scala);
        let printed_lines: &[(&str, &[&str])] = &[
            ("1 + 1", &["val res0: Int = 2"]),
            ("spark.range(10).count()", &["val res1: Long = 10"]),
            ("spark.version", &["val res2: String = 4.3.0"]),
            ("foo", &["       ^", "       error: not found: value foo"]),
            ("val x = 21", &["val x: Int = 21"]),
            ("var s = \"hi\"", &["var s: String = hi"]),
            ("x * 2", &["val res3: Int = 42"]),
            ("println(x)", &["21"]),
            ("Thread.sleep(10)", &[]),
        ];
        for (line, want) in printed_lines {
            assert_eq!(printed(r.scala(line)), lines(want), "{line}");
        }
        assert_eq!(r.scala(":quit"), Step::Exit(0));
        assert_eq!(r.scala("sys.exit(3)"), Step::Exit(3));
    }

    #[test]
    fn python_and_sql() {
        let mut p = repl(Lang::Python);
        assert_eq!(p.python("6 * 7", None, 1, true), lines(&["42"]));
        assert_eq!(
            p.python("sc.master", None, 1, true),
            lines(&["'k8s://https://kubernetes.default.svc'"])
        );
        assert_eq!(p.python("exit()", None, 1, true), Step::Exit(0));
        assert_eq!(p.python("exit(2)", None, 1, true), Step::Exit(2));
        let mut s = repl(Lang::Sql);
        assert_eq!(
            s.sql("SELECT 1 + 1, 'a'"),
            Ok(lines(&[
                "2\ta",
                "Time taken: 0.05 seconds, Fetched 1 row(s)"
            ]))
        );
        assert_eq!(s.sql("quit"), Ok(Step::Exit(0)));
    }

    #[test]
    fn python_names_imports_and_the_terminal() {
        let mut p = repl(Lang::Python);
        let term = Some(Size {
            cols: 100,
            rows: 30,
        });
        assert_eq!(p.python("x = 21", term, 1, true), lines(&[]));
        assert_eq!(p.python("x * 2", term, 1, true), lines(&["42"]));
        assert_eq!(p.python("print('a')", term, 1, true), lines(&["a"]));
        // shell.py imported os; a pseudo-terminal's size as os.get_terminal_size() shows it.
        assert_eq!(
            p.python("os.get_terminal_size()", term, 1, true),
            lines(&["os.terminal_size(columns=100, lines=30)"])
        );
        assert_eq!(
            p.python("time.sleep(5)", term, 1, true),
            lines(&[
                "Traceback (most recent call last):",
                "  File \"<stdin>\", line 1, in <module>",
                "NameError: name 'time' is not defined"
            ])
        );
        assert_eq!(p.python("import time", term, 1, true), lines(&[]));
        assert_eq!(
            p.python("time.sleep(2.5)", term, 1, true),
            Step::Run {
                secs: 2.5,
                job: false,
                then: vec![]
            }
        );
        // 10¹¹ rows on two task slots.
        match p.python("spark.range(10**11).count()", term, 1, true) {
            Step::Run { secs, job, then } => {
                assert!(job);
                assert!((secs - 1e11 / 3.4e9).abs() < 1e-6, "{secs}");
                assert_eq!(then, vec!["100000000000"]);
            }
            other => panic!("{other:?}"),
        }
        // A script (no shell.py): no spark, no echo of values, tracebacks name the line.
        let mut s = repl(Lang::Python);
        s.shell_py = false;
        s.imports.clear();
        assert_eq!(s.python("6 * 7", None, 1, false), lines(&[]));
        assert_eq!(
            s.python("print(spark.version)", None, 3, false),
            lines(&[
                "Traceback (most recent call last):",
                "  File \"<stdin>\", line 3, in <module>",
                "NameError: name 'spark' is not defined"
            ])
        );
        assert_eq!(
            s.python("os.get_terminal_size()", None, 1, false),
            lines(&[
                "Traceback (most recent call last):",
                "  File \"<stdin>\", line 1, in <module>",
                "NameError: name 'os' is not defined"
            ])
        );
    }

    #[test]
    fn spark_sql_catalog_settings_and_variables() {
        let mut s = repl(Lang::Sql);
        assert_eq!(s.sql("USE sales"), Err(schema_not_found("sales")));
        assert_eq!(
            s.sql("CREATE DATABASE sales"),
            Ok(lines(&["Time taken: 0.05 seconds"]))
        );
        assert!(
            s.sql("create database sales")
                .unwrap_err()
                .starts_with("[SCHEMA_ALREADY_EXISTS]")
        );
        assert!(s.sql("CREATE SCHEMA IF NOT EXISTS sales").is_ok());
        assert_eq!(s.sql("use sales"), Ok(lines(&["Time taken: 0.05 seconds"])));
        assert_eq!(s.db, "sales");
        assert_eq!(
            s.sql("SHOW DATABASES"),
            Ok(lines(&[
                "default",
                "sales",
                "Time taken: 0.05 seconds, Fetched 2 row(s)"
            ]))
        );
        assert_eq!(
            s.sql("SET a.b=c"),
            Ok(lines(&[
                "a.b\tc",
                "Time taken: 0.05 seconds, Fetched 1 row(s)"
            ]))
        );
        s.vars.insert("x".into(), "7".into());
        assert_eq!(
            s.substitute("SELECT ${x}, ${hivevar:x}, ${hiveconf:a.b}, ${y}"),
            "SELECT 7, 7, c, ${y}"
        );
        assert_eq!(
            s.sql("SELECT nope"),
            Err("[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved.  SQLSTATE: 42703; line 1 pos 7;\n'Project ['nope]\n+- OneRowRelation\n".into())
        );
        assert_eq!(
            s.sql("nope"),
            Err("[PARSE_SYNTAX_ERROR] Syntax error at or near 'nope'. SQLSTATE: 42601 (line 1, pos 0)".into())
        );
        match s.sql("SELECT count(*) FROM range(100000000000)") {
            Ok(Step::Run {
                secs,
                job: true,
                then,
            }) => {
                assert_eq!(
                    then,
                    vec![
                        "100000000000".to_string(),
                        format!("Time taken: {} seconds, Fetched 1 row(s)", java_secs(secs))
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.jobs, 1);
    }

    #[test]
    fn hive_cli_options() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = sql_options(&args(&[
            "-S",
            "--database",
            "sales",
            "-i",
            "a.sql",
            "-i",
            "b.sql",
            "-e",
            "SELECT 1",
            "--hiveconf",
            "k=v",
            "--hivevar",
            "x=7",
            "-d",
            "y=8",
        ]))
        .unwrap();
        assert!(o.silent);
        assert_eq!(o.database.as_deref(), Some("sales"));
        assert_eq!(o.init, vec!["a.sql", "b.sql"]);
        assert_eq!(o.exec.as_deref(), Some("SELECT 1"));
        assert_eq!(o.hiveconf, vec![("k".to_string(), "v".to_string())]);
        assert_eq!(o.vars.len(), 2);
        assert_eq!(
            sql_options(&args(&["--bogus"])),
            Err("Unrecognized option: --bogus".into())
        );
        assert_eq!(
            sql_options(&args(&["-e"])),
            Err("Missing argument for option: e".into())
        );
    }

    #[test]
    fn statements_split_as_spark_sql_splits_them() {
        assert_eq!(
            split_statements("SELECT 1; SELECT ';' ;\n-- a; comment\nSELECT 2;"),
            vec!["SELECT 1", " SELECT ';' ", "\n-- a; comment\nSELECT 2"]
        );
        assert_eq!(split_statements("  ;  "), Vec::<String>::new());
        assert_eq!(java_secs(25.0), "25.0");
        assert_eq!(java_secs(0.05), "0.05");
    }
}
