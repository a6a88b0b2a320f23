//! What the shells evaluate, free of I/O: values, integer arithmetic, names, and each
//! language's answer to a statement.

use std::collections::{BTreeMap, BTreeSet};

use super::Lang;
use crate::stdio::Size;

/// Rows a `spark.range(n).count()` job counts per second and task slot: 2·10¹⁰ rows took
/// 5.76 s on `local[2]` (Spark 4.3.0 on the 2-core development machine).
const ROWS_PER_SECOND_PER_SLOT: f64 = 1.7e9;

/// A value the shells show.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
    Int(i64),
    Long(i64),
    Str(String),
}

impl Val {
    pub(super) fn number(&self) -> Option<i64> {
        match self {
            Val::Int(i) | Val::Long(i) => Some(*i),
            Val::Str(_) => None,
        }
    }

    /// As `print`/`println` and spark-sql show it.
    pub(super) fn plain(&self) -> String {
        match self {
            Val::Int(i) | Val::Long(i) => i.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
}

/// Integer arithmetic: `+ - * / %`, parentheses, names (`lookup`) and `L`-suffixed literals.
pub(super) fn arithmetic(expr: &str, lookup: &dyn Fn(&str) -> Option<i64>) -> Option<i64> {
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
pub(super) enum Step {
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
pub(super) fn call<'a>(e: &'a str, name: &str) -> Option<&'a str> {
    e.strip_prefix(name)?.strip_prefix('(')?.strip_suffix(')')
}

/// `NAME = EXPR` (not `==`), for Python and a Scala `val`/`var`.
pub(super) fn assignment(e: &str) -> Option<(&str, &str)> {
    let (name, expr) = e.split_once('=')?;
    let name = name.trim();
    let ok = !expr.starts_with('=')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    ok.then(|| (name, expr.trim()))
}

/// A shell's session: what it knows and has defined.
pub(super) struct Repl {
    pub(super) lang: Lang,
    pub(super) master: String,
    pub(super) app_id: String,
    /// Task slots for Spark jobs.
    pub(super) slots: u64,
    /// The Scala REPL's next `resN`.
    pub(super) results: usize,
    pub(super) names: BTreeMap<String, Val>,
    /// Python modules imported (`os` and `sys` come with `shell.py`).
    pub(super) imports: BTreeSet<String>,
    /// Whether `shell.py` ran (interactive pyspark: `spark` and `sc` exist).
    pub(super) shell_py: bool,
    /// spark-sql: the current database, the catalog's, variables and `SET` values.
    pub(super) db: String,
    pub(super) dbs: BTreeSet<String>,
    pub(super) vars: BTreeMap<String, String>,
    pub(super) conf: BTreeMap<String, String>,
    pub(super) silent: bool,
    pub(super) jobs: u64,
}

impl Repl {
    pub(super) fn new(lang: Lang, master: String, app_id: String, slots: u64) -> Repl {
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

    pub(super) fn lookup(&self, name: &str) -> Option<i64> {
        self.names.get(name).and_then(Val::number)
    }

    /// How long counting `rows` takes on this session's executors.
    pub(super) fn job_secs(&self, rows: i64) -> f64 {
        rows.max(0) as f64 / (ROWS_PER_SECOND_PER_SLOT * self.slots as f64)
    }

    /// `spark.range(N).count()` (Scala may leave out the parentheses of `count`): N.
    pub(super) fn range_count(&self, e: &str) -> Option<i64> {
        let inner = e.strip_prefix("spark.range(")?;
        let n = inner
            .strip_suffix(").count()")
            .or_else(|| inner.strip_suffix(").count"))?;
        arithmetic(n, &|n| self.lookup(n)).or_else(|| pow(n).and_then(|(b, x)| b.checked_pow(x)))
    }

    pub(super) fn value(&self, expr: &str) -> Option<Val> {
        let e = expr.trim();
        if let Some(v) = arithmetic(e, &|n| self.lookup(n)) {
            // A Long name, or a `…L` literal (Scala's Long literal) makes it a Long.
            let long = self.names.get(e).is_some_and(|v| matches!(v, Val::Long(_)))
                || e.as_bytes()
                    .windows(2)
                    .any(|w| w[0].is_ascii_digit() && w[1] == b'L');
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
    pub(super) fn show(&mut self, v: &Val) -> String {
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
    pub(super) fn error(&self, e: &str, line: usize) -> Vec<String> {
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
    pub(super) fn python(
        &mut self,
        e: &str,
        term: Option<Size>,
        line: usize,
        interactive: bool,
    ) -> Step {
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
    pub(super) fn scala(&mut self, e: &str) -> Step {
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
}

/// `B**X` (Python's power) in `spark.range(10**11)`.
fn pow(e: &str) -> Option<(i64, u32)> {
    let (b, x) = e.split_once("**")?;
    Some((b.trim().parse().ok()?, x.trim().parse().ok()?))
}

/// Scala's display of a definition: `val x: Int = 21`.
pub(super) fn scala_val(name: &str, v: &Val) -> String {
    match v {
        Val::Int(i) => format!("val {name}: Int = {i}"),
        Val::Long(i) => format!("val {name}: Long = {i}"),
        Val::Str(s) => format!("val {name}: String = {s}"),
    }
}

/// A Python traceback: the `<stdin>` frame at `line`, more frames, the exception.
pub(super) fn python_error(line: usize, frames: &[&str], exception: &str) -> Vec<String> {
    let mut out = vec![
        "Traceback (most recent call last):".to_string(),
        format!("  File \"<stdin>\", line {line}, in <module>"),
    ];
    out.extend(frames.iter().map(|f| f.to_string()));
    out.push(exception.to_string());
    out
}
