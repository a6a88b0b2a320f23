//! The Python environment the tests drive real clients from: the official `kubernetes` client,
//! `kubernetes-validate` (the dry-run schema check in `.ci/run`) and `pyspark` (Spark's own JVM
//! spark-submit), at the exact versions of `requirements.txt` beside this file.
//!
//! It is a virtualenv at `<target dir>/pyenv`, made by the first test that needs it with the
//! machine's `python3` and pip, under an exclusive lock on `<target dir>/pyenv.lock` so that test
//! processes running at once make it only once; the others wait for it, then reuse it. A marker in
//! it records the requirements' hash: changed requirements make the next run rebuild it. Nothing
//! is skipped: if it cannot be made, the test fails saying what to install.
//!
//! Airflow (tests/airflow.rs) gets a venv of its own the same way, `<target dir>/airflow-env` from
//! `airflow-requirements.txt`: Airflow pins a `kubernetes` client older than the one above.
//!
//! One file for the whole workspace: kubesim's tests, the launcher's benches and tests/airflow.rs
//! include it with `#[path = ...] mod pyenv;`.
#![allow(dead_code)] // each includer uses part of it

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

/// A virtualenv under the target dir made from pinned requirements (compiled in, so editing the
/// file rebuilds the tests and then the venv).
struct Env {
    /// Its folder under the target dir; `<dir>.lock` is its lock.
    dir: &'static str,
    requirements: &'static str,
    /// Where the requirements live, for messages.
    file: &'static str,
}

const TOOLS: Env = Env {
    dir: "pyenv",
    requirements: include_str!("requirements.txt"),
    file: "kubesim/tests/pyenv/requirements.txt",
};

const AIRFLOW: Env = Env {
    dir: "airflow-env",
    requirements: include_str!("airflow-requirements.txt"),
    file: "kubesim/tests/pyenv/airflow-requirements.txt",
};
/// Written last: a venv without it (or with another hash) is incomplete or stale.
const MARKER: &str = ".requirements-fnv1a64";

/// The venv's Python interpreter; panics, saying what to install, when the venv cannot be made.
pub fn python() -> PathBuf {
    try_python().unwrap_or_else(|e| panic!("{e}"))
}

/// Spark's JVM `spark-submit` as the pinned `pyspark` ships it (`<pyspark>/bin/spark-submit`,
/// whose Spark home is that package's folder); panics like [`python`].
pub fn spark_submit() -> PathBuf {
    try_spark_submit().unwrap_or_else(|e| panic!("{e}"))
}

pub fn try_python() -> Result<PathBuf, String> {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| provision(&TOOLS))
        .as_ref()
        .map(|venv| venv.join("bin").join("python"))
        .map_err(Clone::clone)
}

/// The `bin` folder of the Airflow venv (`airflow`, its `python`); panics like [`python`].
pub fn airflow_bin() -> PathBuf {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| provision(&AIRFLOW))
        .as_ref()
        .map(|venv| venv.join("bin"))
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn try_spark_submit() -> Result<PathBuf, String> {
    let python = try_python()?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import os, pyspark; print(os.path.dirname(pyspark.__file__))",
        ])
        .output()
        .map_err(|e| format!("{}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "pyspark does not import in {}:\n{}",
            python.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let home = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(home.join("bin").join("spark-submit"))
}

/// Runs Spark's JVM spark-submit `bin` with `args` in a sandbox: a fresh `HOME`
/// (`<temp>/<sandbox>-<pid>`, removed after), no kubeconfig, no Spark home or conf dir of the
/// developer's (the pinned pyspark's spark-submit finds its own home); `env` on top. Returns
/// the exit code and stdout followed by stderr.
pub fn run_spark_submit(
    bin: &Path,
    args: &[String],
    sandbox: &str,
    env: &[(&str, &str)],
) -> (i32, String) {
    let home = std::env::temp_dir().join(format!("{sandbox}-{}", std::process::id()));
    fs::create_dir_all(&home).unwrap();
    let out = Command::new(bin)
        .args(args)
        .envs(env.iter().copied())
        .env("HOME", &home)
        .env("KUBECONFIG", home.join("none"))
        .env_remove("SPARK_HOME")
        .env_remove("SPARK_CONF_DIR")
        .output()
        .unwrap();
    let _ = fs::remove_dir_all(&home);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// `CARGO_TARGET_DIR` when set (a relative one from the workspace root, as `.ci/run` reads it),
/// else the workspace root's `target/`.
pub fn target_dir() -> PathBuf {
    let root = workspace_root();
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// The nearest folder at or above this crate's manifest whose `Cargo.toml` has `[workspace]`.
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| {
            fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|toml| toml.lines().any(|l| l.trim() == "[workspace]"))
        })
        .unwrap_or(manifest)
        .to_path_buf()
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn provision(env: &Env) -> Result<PathBuf, String> {
    let target = target_dir();
    let venv = target.join(env.dir);
    let want = format!("{:016x}\n", fnv1a64(env.requirements.as_bytes()));
    let ready = || {
        fs::read_to_string(venv.join(MARKER)).is_ok_and(|m| m == want)
            && venv.join("bin").join("python").exists()
    };
    let io = |what: &str, e: std::io::Error| failed(&venv, &format!("{what}: {e}"));
    fs::create_dir_all(&target).map_err(|e| io(&target.display().to_string(), e))?;
    let lock_path = target.join(format!("{}.lock", env.dir));
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io(&lock_path.display().to_string(), e))?;
    // Blocks while another test process is making the venv; the kernel releases the lock when its
    // holder exits, however it exits.
    lock.lock()
        .map_err(|e| io(&format!("lock {}", lock_path.display()), e))?;
    if ready() {
        return Ok(venv);
    }
    let shown = venv
        .strip_prefix(workspace_root())
        .unwrap_or(&venv)
        .display()
        .to_string();
    // Straight to the process's stderr: the test harness captures eprintln!, and this can take
    // minutes (pyspark is about 400 MB).
    let say = |line: String| {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    };
    say(format!(
        "spark-k8s-cli tests: creating the Python test environment in {shown} (once) ..."
    ));
    let start = Instant::now();
    if venv.exists() {
        fs::remove_dir_all(&venv).map_err(|e| io(&format!("remove {shown}"), e))?;
    }
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "python3 -m venv",
        &venv,
    )?;
    let requirements = venv.join("requirements.txt");
    fs::write(&requirements, env.requirements).map_err(|e| io("requirements.txt", e))?;
    run(
        Command::new(venv.join("bin").join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-input",
                "--disable-pip-version-check",
                "--requirement",
            ])
            .arg(&requirements),
        &format!("pip install --requirement {}", env.file),
        &venv,
    )?;
    fs::write(venv.join(MARKER), &want).map_err(|e| io(MARKER, e))?;
    say(format!(
        "spark-k8s-cli tests: the Python test environment in {shown} is ready ({:.0} s)",
        start.elapsed().as_secs_f64()
    ));
    drop(lock);
    Ok(venv)
}

fn run(cmd: &mut Command, what: &str, venv: &Path) -> Result<(), String> {
    let out = cmd
        .output()
        .map_err(|e| failed(venv, &format!("`{what}` did not start: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(25)..].join("\n");
    Err(failed(
        venv,
        &format!("`{what}` failed ({}):\n{tail}", out.status),
    ))
}

fn failed(venv: &Path, why: &str) -> String {
    format!(
        "could not create the Python test environment in {}: {why}\n\n\
         These tests drive real Python clients (the `kubernetes` client, `kubernetes-validate`, \
         `pyspark` for Spark's JVM spark-submit, pinned in kubesim/tests/pyenv/requirements.txt; \
         Airflow, pinned in airflow-requirements.txt beside it) \
         from a virtualenv they make themselves. That needs `python3` with its `venv` module and \
         pip (on Debian and Ubuntu: apt-get install python3-venv) and access to the Python \
         package index, or a pip configured (pip.conf, PIP_INDEX_URL, PIP_FIND_LINKS) with a \
         mirror holding those versions; spark-submit also needs Java 17 or later. Fix that and run \
         the tests again.",
        venv.display()
    )
}
