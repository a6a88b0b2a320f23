//! spark-k8s-cli: spark-submit for a fleet of Kubernetes clusters.
//!
//! # Layout
//! A job travels one way through these stages; `docs/architecture.md` draws the journey and says
//! which module owns which decision:
//! - [`parse`]: argv → `SubmitArgs`, spark-submit's grammar, pure.
//! - [`resolve`]: `SubmitArgs` + files + env → `Settings` (Spark's precedence, launcher settings), pure.
//! - [`plan`]: `Settings` → `JobPlan` (job id, demand, submit pod, in-pod argv), pure.
//! - [`choose`]: which cluster of the fleet takes the job, and whether a failed job may move
//!   ([`choose::failover`]), pure; `cli::fleet` is its edge.
//! - [`queue`]: waits for room in the namespace's quotas and the job's queue (tickets as Leases).
//! - [`submit`]: creates the job's objects by name, ships local files, classifies the in-pod
//!   submission's failures ([`submit::retry`]).
//! - [`session`]: attaches the terminal (or piped stdin) to an interactive session's pod over
//!   pods/attach, re-attaches a cut connection, ends an idle session.
//! - [`follow`]: watches the job's pods, streams logs; [`follow::state`] decides, purely.
//! - [`alert`]: the job events the stages raise ([`events`]), told on stderr, recorded as
//!   Kubernetes Events and delivered to the configured sinks (webhook, Slack, a command).
//!
//! [`outcome`] names the ways a job ends; only `cli::exit` maps them to exit codes.
//! [`quantity`] parses Kubernetes quantities as the API server does.
//! [`cluster`] is the connection to one cluster (`Target`, the kube client, what its failures
//! mean, [`cluster::retry`]'s policy), below every stage.
//!
//! [`report`] writes lines for people on stderr without tearing the progress line.
//! [`hoststate`] holds the small files the launchers of one host share (fleet health, alerts).
//! [`naming`] holds the rules names keep (DNS labels, label values, local URIs).
//! [`events`] is the job events' payload and the seam the stages raise them through; `alert`
//! delivers them once `cli` installs it.
//! These foundations (`outcome`, `quantity`, `report`, `cluster`, `hoststate`, `naming`,
//! `events`) are below every stage; `tests/architecture.rs` checks that imports point down the journey.
//!
//! [`cli`] is the edge: it reads the environment and files, runs the stages, prints, and picks
//! the exit code. [`jobs`] holds the commands over the cluster's jobs (kill, status, list,
//! logs). [`completions`] generates shell completions from the flag table.

pub mod alert;
pub mod choose;
pub mod cli;
pub mod cluster;
pub mod completions;
pub mod events;
pub mod follow;
pub mod hoststate;
pub mod jobs;
pub mod naming;
pub mod outcome;
pub mod parse;
pub mod plan;
pub mod quantity;
pub mod queue;
pub mod report;
pub mod resolve;
pub mod session;
pub mod submit;

#[cfg(test)]
mod tests;

/// Sets what the launcher says (`report::set_voice`) and its diagnostics on stderr:
/// `SPARK_K8S_CLI_LOG` (an env-filter directive) wins, else the voice's level (`debug` at
/// least with `--verbose`); `warn` and `info` hear no diagnostics below WARN, nor kube's
/// per-request client errors. With `json`, every line, the launcher's own through
/// [`report::TARGET`] included, is one JSON object (tracing-subscriber's JSON format).
pub fn init_logging(env: &resolve::Env, voice: report::Voice, verbose: bool) {
    use tracing_subscriber::EnvFilter;
    report::set_voice(voice);
    let level = if verbose {
        voice.level.max(report::Level::Debug)
    } else {
        voice.level
    };
    let diagnostics = env
        .get("SPARK_K8S_CLI_LOG")
        .cloned()
        .unwrap_or_else(|| level.diagnostics().to_string());
    // `report::line` has already decided which of its lines are said.
    let filter = if voice.quiet {
        EnvFilter::new("off")
    } else {
        EnvFilter::new(format!("{diagnostics},{}=trace", report::TARGET))
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = if voice.json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
