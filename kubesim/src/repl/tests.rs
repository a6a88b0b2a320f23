//! The shells' evaluation and spark-sql's parsing, without a pod.

use super::Lang;
use super::eval::*;
use super::sql::*;
use crate::stdio::Size;

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
        // A `L` literal is a Long.
        (
            "val big = 100000000000000L",
            &["val big: Long = 100000000000000"],
        ),
        ("2L * 3", &["val res4: Long = 6"]),
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
        Err(
            "[PARSE_SYNTAX_ERROR] Syntax error at or near 'nope'. SQLSTATE: 42601 (line 1, pos 0)"
                .into()
        )
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
