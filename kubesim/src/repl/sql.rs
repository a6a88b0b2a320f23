//! spark-sql: its statements, Hive's CLI options, and the messages `SparkSQLCLIDriver` prints.

use super::eval::{Repl, Step, arithmetic};

impl Repl {
    /// One spark-sql command (without its `;`), after variable substitution; `Err` carries
    /// the error message (the command's return code is 1).
    pub(super) fn sql(&mut self, cmd: &str) -> Result<Step, String> {
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
    pub(super) fn substitute(&self, text: &str) -> String {
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

/// `count(*) FROM range(N)` (any case): N.
fn count_range(items: &str) -> Option<i64> {
    let lower = items.to_ascii_lowercase().replace(' ', "");
    let n = lower
        .strip_prefix("count(*)fromrange(")?
        .strip_suffix(')')?;
    arithmetic(n, &|_| None)
}

pub(super) fn parse_error(e: &str) -> String {
    let first = e.split_whitespace().next().unwrap_or_default();
    format!(
        "[PARSE_SYNTAX_ERROR] Syntax error at or near '{first}'. SQLSTATE: 42601 (line 1, pos 0)"
    )
}

pub(super) fn schema_not_found(db: &str) -> String {
    format!(
        "[SCHEMA_NOT_FOUND] The schema `spark_catalog`.`{db}` cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS. SQLSTATE: 42704"
    )
}

/// A duration as Scala prints a `Double` of seconds (`25.0`, `0.05`).
pub(super) fn java_secs(secs: f64) -> String {
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
pub(super) fn sql_cancelled(job: u64, silent: bool) -> Vec<String> {
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
pub(super) struct SqlOptions {
    pub(super) database: Option<String>,
    pub(super) exec: Option<String>,
    pub(super) file: Option<String>,
    pub(super) init: Vec<String>,
    pub(super) silent: bool,
    pub(super) verbose: bool,
    pub(super) help: bool,
    /// `--hiveconf k=v`, then `-d`/`--define`/`--hivevar k=v`.
    pub(super) hiveconf: Vec<(String, String)>,
    pub(super) vars: Vec<(String, String)>,
}

/// `OptionsProcessor.printUsage`, as spark-sql 4.3.0 prints it (to stdout).
pub(super) const SQL_USAGE: &str = "usage: hive
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
pub(super) fn sql_options(args: &[String]) -> Result<SqlOptions, String> {
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
pub(super) fn split_statements(text: &str) -> Vec<String> {
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

/// Hive's `processReader`: a file's lines, those starting with `--` left out.
pub(super) fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect()
}
