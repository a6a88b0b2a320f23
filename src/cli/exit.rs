//! Exit codes of spark-k8s-cli: the one mapping from [`Outcome`] to a code, and
//! `docs/exit-codes.md` rendered from it (`tests/generated_files.rs` keeps the file current).

use crate::outcome::{JobFailure, Outcome, Signal};

/// Success, `--help`, `--version`, a dry run.
pub const OK: u8 = 0;
/// Bad input: a syntax error (with usage) or a semantic one (without).
pub const USAGE: u8 = 1;
/// spark-submit's exit(-1): no arguments at all, pyspark given a script.
pub const NO_ARGS: u8 = 255;

/// The exit code of `outcome`: spark-submit's where it defines one, the driver's when it ran,
/// and one code of its own for each other way a job ends.
pub fn code(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::Done => OK,
        Outcome::NoArguments => NO_ARGS,
        Outcome::DriverExited(c) => *c,
        Outcome::DriverLost => 1,
        Outcome::Failed(f) => match f {
            JobFailure::Usage(_) => USAGE,
            // Spill and a full quota are moves or waits; one that escapes ends the job as a
            // failed submission.
            JobFailure::SubmissionFailed { .. }
            | JobFailure::QuotaFull(_)
            | JobFailure::Spill(_) => 3,
            JobFailure::StartupFailed { .. } => 4,
            JobFailure::QueueTimeout(_) => 5,
            JobFailure::RunTimeout(_) => 6,
            JobFailure::ClusterLost(_) => 7,
            JobFailure::Interrupted(Signal::Int) => 130,
            JobFailure::Interrupted(Signal::Term) => 143,
        },
    }
}

/// The exit code of a failure.
pub fn of(failure: JobFailure) -> u8 {
    code(&Outcome::Failed(failure))
}

/// One row of `docs/exit-codes.md`: an outcome of the kind the row describes, its code shown
/// as `shown` when the row stands for many codes.
struct Row {
    outcome: Outcome,
    shown: Option<&'static str>,
    when: &'static str,
    stream: &'static str,
}

fn row(outcome: Outcome, when: &'static str, stream: &'static str) -> Row {
    Row {
        outcome,
        shown: None,
        when,
        stream,
    }
}

fn failed(f: JobFailure) -> Outcome {
    Outcome::Failed(f)
}

/// Before anything is contacted: spark-submit's own codes.
fn rows_before_the_cluster() -> Vec<Row> {
    let usage = || failed(JobFailure::usage(""));
    vec![
        row(
            Outcome::Done,
            "success; `--help`; `--version`; a dry run",
            "usage and banner on stderr; dry-run YAML on stdout",
        ),
        row(
            usage(),
            "a syntax error: unknown option, missing option value, `--conf` without `=`, missing primary resource (`Error: <msg>`, a blank line, the usage)",
            "stderr",
        ),
        row(
            usage(),
            "a semantic error found before anything is contacted: bad deploy mode, sizes, counts, master, missing `--class`, unreadable properties file or launcher config, invalid YAML, unknown launcher setting, conflicting settings, local files the submit pod cannot see, a launcher setting of the wrong type (a duration, count or quantity), a kubeconfig or context that does not exist, a fleet pin (`k8s://fleet/NAME`, `spark.k8scli.cluster`, a selector) that names no cluster (`Error: <msg>` and a line saying what to do); no alert is raised for these",
            "stderr",
        ),
        row(
            usage(),
            "`--usage-error` (Spark's internal switch)",
            "stderr",
        ),
        row(
            Outcome::NoArguments,
            "no arguments at all (usage); `pyspark` given a Python script",
            "stderr",
        ),
    ]
}

/// On a cluster: the driver's result, else the launcher's own codes.
fn rows_on_the_cluster() -> Vec<Row> {
    let submission = || failed(JobFailure::submission(""));
    vec![
        row(
            Outcome::DriverExited(0),
            "the driver container exited 0 (or, with `spark.kubernetes.submission.waitAppCompletion=false`, the driver is running)",
            "logs on stdout",
        ),
        Row {
            shown: Some("N"),
            ..row(
                Outcome::DriverExited(42),
                "the driver container exited N (1-255; `OOMKilled` is 137)",
                "the pod's status lines on stdout, the reason on stderr",
            )
        },
        row(
            Outcome::DriverLost,
            "the driver vanished without an exit code (deleted, evicted, or missing from a relist after the launcher lost its watch)",
            "stderr",
        ),
        row(
            submission(),
            "submission failed: the cluster refused or could not be reached after retries (401, RBAC 403, 422, the retry deadline), or the in-pod spark-submit failed before any driver existed (after retrying quota-lock conflicts)",
            "`Error: <message>` on stderr",
        ),
        row(
            submission(),
            "the API server cannot be reached or trusted, whichever request met it first: an untrusted certificate (unknown authority, not valid for the host, expired), a failed TLS handshake or a 401 fail at once; a server that never answered and refuses connections (or whose name does not resolve) after about 5 s of retries (2 s on a fleet, where the job moves to another cluster); one that answered before and now refuses is restarting and is retried as long as any transient error. The message names the server URL, the kubeconfig context and the cause, and what to check: `Error: Cannot reach the Kubernetes API server https://10.0.0.1:6443 (context prod): connection refused. Check that the server runs and --master / the kubeconfig point at it.`",
            "stderr",
        ),
        row(
            failed(JobFailure::startup(
                crate::outcome::StartupKind::ContainerCreation,
                "",
            )),
            "start-up failed: the submit or driver pod cannot start (`ErrImagePull`, `ImagePullBackOff`, `InvalidImageName`, `CreateContainerConfigError`) or stays unschedulable past `spark.k8scli.startupTimeout`; the message names the cause and lists the pod's last events, and the job's pods are deleted",
            "stderr",
        ),
        row(
            submission(),
            "the job can never start in its namespace: its whole demand (submit pod + driver + initial executors) is above a ResourceQuota's hard limit; the message gives the numbers",
            "stderr",
        ),
        row(
            failed(JobFailure::spill("")),
            "on a fleet, a job that gave its queue place up to move (`spark.k8scli.queue.spillAfter`) and that no other cluster can take after all",
            "stderr",
        ),
        row(
            failed(JobFailure::ClusterLost(String::new())),
            "cluster lost: the job's cluster did not answer for `spark.k8scli.clusterLostTimeout` (default 300 s) while the launcher followed the job; the `cluster-lost` alert is raised; the driver may still run there (`spark-k8s-cli status JOB` once it answers)",
            "stderr",
        ),
        row(
            failed(JobFailure::RunTimeout(String::new())),
            "run timeout with `spark.k8scli.run.timeoutAction=kill`: the driver ran past `spark.k8scli.run.timeout`; the driver and submit pods were deleted and the `run-timeout` alert raised (`docs/alerts.md`)",
            "stderr",
        ),
        row(
            failed(JobFailure::QueueTimeout(String::new())),
            "queue timeout: the job waited `spark.k8scli.queueTimeout` (also `spark.k8scli.queue.timeout`) seconds without getting room; its ticket is removed and nothing was created",
            "stderr",
        ),
        row(
            failed(JobFailure::Interrupted(Signal::Int)),
            "SIGINT (Ctrl-C): the job's pods are deleted first (`spark.k8scli.deleteOnInterrupt`)",
            "stderr",
        ),
        row(
            failed(JobFailure::Interrupted(Signal::Term)),
            "SIGTERM (how Airflow stops a task): the same",
            "stderr",
        ),
    ]
}

fn table(rows: &[Row]) -> String {
    let mut s = String::from("| code | when | stream |\n|---|---|---|\n");
    for r in rows {
        let code = r
            .shown
            .map_or_else(|| code(&r.outcome).to_string(), str::to_string);
        s += &format!("| {code} | {} | {} |\n", r.when, r.stream);
    }
    s
}

/// `docs/exit-codes.md`, from [`code`].
pub fn markdown() -> String {
    format!(
        "# Exit codes

<!-- Generated from src/cli/exit.rs; regenerate with SPARK_K8S_CLI_BLESS=1 cargo test --test generated_files. -->

spark-k8s-cli exits as spark-submit does wherever spark-submit defines the outcome.

{}
On a cluster the launcher exits with the **driver's** result, not spark-submit's (which exits 0
in cluster mode whatever the driver did, SPARK-26365). spark-submit's own status lines, with
`pod name: …-driver` and `exit code: N`, are streamed unchanged, and the launcher adds one line
`spark-k8s-cli: driver <pod> ended (<reason>): Exit code: N` on stderr.

{}
A second SIGINT/SIGTERM exits at once with the same code. A driver that itself exits 3 or 4 is
told apart from the launcher's codes by the stderr line.
",
        table(&rows_before_the_cluster()),
        table(&rows_on_the_cluster()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::code as legacy;

    #[test]
    fn the_driver_exit_code_is_the_exit_code() {
        for c in 0..=255u8 {
            assert_eq!(code(&Outcome::DriverExited(c)), c);
        }
        assert_eq!(code(&Outcome::DriverLost), legacy::DRIVER_LOST);
    }

    /// `JobFailure::new(n, ..)` (the constructor that still names numbers) exits with `n`.
    #[test]
    fn failures_made_from_a_code_exit_with_it() {
        for n in [
            legacy::CONFIG,
            legacy::SUBMIT_FAILED,
            legacy::STARTUP_FAILED,
            legacy::QUEUE_TIMEOUT,
            legacy::RUN_TIMEOUT,
            legacy::CLUSTER_LOST,
            legacy::SIGINT,
            legacy::SIGTERM,
        ] {
            assert_eq!(of(JobFailure::new(n, "m")), n);
        }
    }

    /// Every launcher outcome but spark-submit's usage error has a code of its own, apart
    /// from the driver's own result (invariant 6): the same code means the same kind.
    #[test]
    fn each_kind_of_failure_has_its_own_code() {
        use crate::outcome::StartupKind;
        let kinds = [
            (JobFailure::usage(""), "usage"),
            (JobFailure::submission(""), "submission"),
            (JobFailure::submission("").before_pod(), "submission"),
            (JobFailure::quota_full(""), "submission"),
            (JobFailure::spill(""), "submission"),
            (
                JobFailure::startup(StartupKind::Unschedulable, ""),
                "startup",
            ),
            (JobFailure::startup(StartupKind::LocalFiles, ""), "startup"),
            (JobFailure::QueueTimeout(String::new()), "queue"),
            (JobFailure::RunTimeout(String::new()), "run"),
            (JobFailure::ClusterLost(String::new()), "lost"),
            (JobFailure::Interrupted(Signal::Int), "int"),
            (JobFailure::Interrupted(Signal::Term), "term"),
        ];
        let mut by_code = std::collections::BTreeMap::new();
        for (f, kind) in kinds {
            let c = of(f);
            assert_ne!(c, OK);
            assert_eq!(*by_code.entry(c).or_insert(kind), kind, "code {c}");
        }
    }

    #[test]
    fn the_document_lists_every_code() {
        let doc = markdown();
        for c in [0, 1, 3, 4, 5, 6, 7, 130, 143, 255] {
            assert!(doc.contains(&format!("\n| {c} | ")), "code {c} missing");
        }
        assert!(doc.contains("\n| N | the driver container exited N"));
    }
}
