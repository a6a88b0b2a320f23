//! outcome: the ways a job ends, one variant each. Stages return them; only `cli::exit` turns
//! them into exit codes (and renders `docs/exit-codes.md` from that mapping).

/// A signal that interrupted the launcher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Int,
    /// SIGTERM (how Airflow stops a task).
    Term,
}

impl std::fmt::Display for Signal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        })
    }
}

/// Why a pod of the job could not start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartupKind {
    /// A container cannot be created: ErrImagePull, ImagePullBackOff, InvalidImageName,
    /// CreateContainerConfigError.
    ContainerCreation,
    /// The driver restarts over and over (CrashLoopBackOff) before it ran.
    CrashLoop,
    /// A pod stayed unschedulable past `spark.k8scli.startupTimeout`.
    Unschedulable,
    /// The submit pod did not receive the job's local files.
    LocalFiles,
    /// Made through [`JobFailure::new`], which does not say.
    Unspecified,
}

/// A job that ended without its driver's own result, and why.
///
/// `Display` is the message alone: `cli` prints `Error: {failure}`.
#[derive(Debug, thiserror::Error)]
pub enum JobFailure {
    /// The command line, launcher config or kubeconfig is wrong, found before any request (a
    /// context or fleet member that does not exist): a usage error, as spark-submit's.
    #[error("{0}")]
    Usage(String),
    /// The cluster refused or could not be reached after retries, or the in-pod spark-submit
    /// failed before any driver existed.
    #[error("{message}")]
    SubmissionFailed {
        message: String,
        /// Whether the job's submit pod may exist: false when the failure came before it was
        /// asked for (connecting, queueing), whatever the cluster can still tell.
        may_have_pod: bool,
    },
    /// A pod of the job could not start.
    #[error("{message}")]
    StartupFailed { kind: StartupKind, message: String },
    /// The job waited `spark.k8scli.queueTimeout` without getting room; nothing was created.
    #[error("{0}")]
    QueueTimeout(String),
    /// The driver ran past `spark.k8scli.run.timeout` and was stopped.
    #[error("{0}")]
    RunTimeout(String),
    /// The cluster did not answer for `spark.k8scli.clusterLostTimeout` while the job was
    /// followed: the driver may still run there.
    #[error("{0}")]
    ClusterLost(String),
    /// The quota had no room after all (pods from outside the launcher took it): the job goes
    /// back to its place in the queue, when it has one.
    #[error("{0}")]
    QuotaFull(String),
    /// The job waited past `spark.k8scli.queue.spillAfter` and another fleet cluster has room:
    /// its ticket is given up and it moves (it had no pod yet).
    #[error("{0}")]
    Spill(String),
    /// A signal stopped the launcher; the job's pods were deleted first when asked to.
    #[error("interrupted by {0}")]
    Interrupted(Signal),
}

/// The failure a job ends with, by the name the stages use.
pub type JobError = JobFailure;

/// The exit codes `JobFailure::new` understands (the numbers of `docs/exit-codes.md`).
/// Kept for construction sites written as `JobFailure::new(code, message)`; the exit code
/// itself is decided by `cli::exit::code`, and a test there holds the two together.
pub mod code {
    pub const CONFIG: u8 = 1;
    pub const SUBMIT_FAILED: u8 = 3;
    pub const STARTUP_FAILED: u8 = 4;
    pub const QUEUE_TIMEOUT: u8 = 5;
    pub const RUN_TIMEOUT: u8 = 6;
    pub const CLUSTER_LOST: u8 = 7;
    /// The driver ended without an exit code of its own (deleted, evicted, node lost): the
    /// code `follow` returns for it (see [`super::Outcome::DriverLost`]).
    pub const DRIVER_LOST: u8 = 1;
    pub const SIGINT: u8 = 130;
    pub const SIGTERM: u8 = 143;
}

impl JobFailure {
    /// The failure that exits with `code` (one of [`code`]), for construction sites that
    /// still name the number. An unknown code is a submission failure.
    pub fn new(code: u8, message: impl Into<String>) -> JobFailure {
        let message = message.into();
        match code {
            code::CONFIG => JobFailure::Usage(message),
            code::STARTUP_FAILED => JobFailure::StartupFailed {
                kind: StartupKind::Unspecified,
                message,
            },
            code::QUEUE_TIMEOUT => JobFailure::QueueTimeout(message),
            code::RUN_TIMEOUT => JobFailure::RunTimeout(message),
            code::CLUSTER_LOST => JobFailure::ClusterLost(message),
            code::SIGINT => JobFailure::Interrupted(Signal::Int),
            code::SIGTERM => JobFailure::Interrupted(Signal::Term),
            _ => JobFailure::submission(message),
        }
    }

    /// A submission that failed once its submit pod may have been asked for.
    pub fn submission(message: impl Into<String>) -> JobFailure {
        JobFailure::SubmissionFailed {
            message: message.into(),
            may_have_pod: true,
        }
    }

    pub fn startup(kind: StartupKind, message: impl Into<String>) -> JobFailure {
        JobFailure::StartupFailed {
            kind,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> JobFailure {
        JobFailure::Usage(message.into())
    }

    pub fn spill(message: impl Into<String>) -> JobFailure {
        JobFailure::Spill(message.into())
    }

    pub fn quota_full(message: impl Into<String>) -> JobFailure {
        JobFailure::QuotaFull(message.into())
    }

    /// The same failure, known to have come before the job's submit pod was asked for.
    pub fn before_pod(self) -> JobFailure {
        match self {
            JobFailure::SubmissionFailed { message, .. } => JobFailure::SubmissionFailed {
                message,
                may_have_pod: false,
            },
            other => other,
        }
    }

    /// The message, as `Display` prints it.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The same kind of failure with another message (context added by a caller).
    pub fn with_message(self, message: impl Into<String>) -> JobFailure {
        let message = message.into();
        match self {
            JobFailure::Usage(_) => JobFailure::Usage(message),
            JobFailure::SubmissionFailed { may_have_pod, .. } => JobFailure::SubmissionFailed {
                message,
                may_have_pod,
            },
            JobFailure::StartupFailed { kind, .. } => JobFailure::StartupFailed { kind, message },
            JobFailure::QueueTimeout(_) => JobFailure::QueueTimeout(message),
            JobFailure::RunTimeout(_) => JobFailure::RunTimeout(message),
            JobFailure::ClusterLost(_) => JobFailure::ClusterLost(message),
            JobFailure::QuotaFull(_) => JobFailure::QuotaFull(message),
            JobFailure::Spill(_) => JobFailure::Spill(message),
            // A signal has no message of its own to replace.
            JobFailure::Interrupted(s) => JobFailure::Interrupted(s),
        }
    }

    /// Whether the job never got to run because its submission failed (after retries and
    /// any failover): the `submission-failed` alert's case.
    pub fn is_submission_failure(&self) -> bool {
        matches!(
            self,
            JobFailure::SubmissionFailed { .. } | JobFailure::QuotaFull(_) | JobFailure::Spill(_)
        )
    }
}

/// How a run of the launcher ends: `cli::exit::code` maps each to its exit code.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing to run, nothing failed: `--help`, `--version`, a dry run.
    Done,
    /// spark-submit's exit(-1): no arguments at all, `pyspark` given a Python script.
    NoArguments,
    /// The driver ran and exited with this code (0: it succeeded; also 0 when the launcher
    /// does not wait for completion and the driver is running).
    DriverExited(u8),
    /// The driver ended without an exit code of its own (deleted, evicted, node lost).
    DriverLost,
    /// Anything else: the failure says what.
    Failed(JobFailure),
}

impl From<JobFailure> for Outcome {
    fn from(f: JobFailure) -> Outcome {
        Outcome::Failed(f)
    }
}

impl From<Result<u8, JobFailure>> for Outcome {
    /// A followed job's result: the driver's exit code, or a failure.
    fn from(r: Result<u8, JobFailure>) -> Outcome {
        match r {
            Ok(c) => Outcome::DriverExited(c),
            Err(f) => Outcome::Failed(f),
        }
    }
}
