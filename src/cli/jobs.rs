//! `list` and `logs`: read-only views of the jobs in a namespace, for any launcher's jobs.

use std::io::Write;

use crate::cluster::{self, ConnectOptions};
use crate::outcome::JobError;
use crate::resolve::Env;

use super::args::{AttachArgs, ListArgs, LogsArgs, Where};
use super::exit;

/// Where a command looks, with the environment's defaults filled in.
struct Opts {
    connect: ConnectOptions,
    namespace: Option<String>,
}

fn opts(place: &Where, env: &Env) -> Opts {
    let or_env = |v: &Option<String>, name: &str| v.clone().or_else(|| env.get(name).cloned());
    Opts {
        connect: ConnectOptions {
            kubeconfig: or_env(&place.kubeconfig, "SPARK_K8S_CLI_KUBECONFIG"),
            context: or_env(&place.context, "SPARK_K8S_CLI_CONTEXT"),
            master: place.master.clone(),
            ..ConnectOptions::default()
        },
        namespace: or_env(&place.namespace, "SPARK_K8S_CLI_NAMESPACE"),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, JobError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| JobError::usage(format!("cannot start the runtime: {e}")))
}

fn report(r: Result<(), JobError>) -> u8 {
    match r {
        Ok(()) => exit::OK,
        Err(e) => {
            crate::report::error(&e);
            exit::of(e)
        }
    }
}

/// The fleet's clusters, when a fleet is configured and the command names no cluster of its
/// own (`--master`, `--context`, `--kubeconfig`; `--master k8s://fleet` names the fleet).
async fn fleet_targets(
    o: &Opts,
    env: &Env,
) -> Result<Option<Vec<(String, cluster::Target)>>, JobError> {
    let master = o.connect.master.as_deref().map(|m| m.trim_end_matches('/'));
    // `k8s://fleet/NAME` names one member.
    let member = master.and_then(|m| m.strip_prefix("k8s://fleet/"));
    let names_fleet = master.is_some_and(|m| m == "k8s://fleet") || member.is_some();
    let names_cluster = (o.connect.master.is_some() && !names_fleet)
        || o.connect.context.is_some()
        || o.connect.kubeconfig.is_some();
    if names_cluster {
        return Ok(None);
    }
    let members = super::fleet::member_targets(env, o.namespace.as_deref()).await?;
    match (members, member) {
        (Some(all), Some(name)) => {
            let known: Vec<String> = all.iter().map(|(n, _)| n.clone()).collect();
            let one: Vec<_> = all.into_iter().filter(|(n, _)| n == name).collect();
            if one.is_empty() {
                return Err(JobError::usage(format!(
                    "--master k8s://fleet/{name} names no cluster of the fleet (clusters: {}).",
                    known.join(", ")
                )));
            }
            Ok(Some(one))
        }
        (None, _) if names_fleet => Err(JobError::usage(format!(
            "--master {} names the fleet, but no fleet is configured. Add `fleet:` to the launcher config, or give an API server URL.",
            master.unwrap_or_default()
        ))),
        (members, _) => Ok(members),
    }
}

/// The rows `read` finds on every member, each marked with its cluster by `mark`; a member
/// that cannot be read is named on stderr and left out.
async fn each_member<'a, R, Fut>(
    members: &'a [(String, cluster::Target)],
    read: impl Fn(&'a cluster::Target) -> Fut,
    mark: impl Fn(&mut R, &str),
) -> Vec<R>
where
    Fut: std::future::Future<Output = Result<Vec<R>, JobError>>,
{
    let read = &read;
    let all = futures::future::join_all(
        members
            .iter()
            .map(|(name, t)| async move { (name, read(t).await) }),
    )
    .await;
    let mut rows = Vec::new();
    for (name, r) in all {
        match r {
            Ok(found) => rows.extend(found.into_iter().map(|mut row| {
                mark(&mut row, name);
                row
            })),
            Err(e) => crate::report::warn(&format!("spark-k8s-cli: cluster {name}: {e}")),
        }
    }
    rows
}

/// `spark-k8s-cli list [--queue Q] [-o json|yaml|wide]`.
pub fn list(args: &ListArgs, env: &Env) -> u8 {
    let mark = |j: &mut crate::jobs::JobRow, name: &str| j.cluster = name.into();
    let tables = (
        crate::jobs::table as fn(&[_]) -> _,
        crate::jobs::wide_table as _,
    );
    // A finished job's cost at its cluster's price (a launcher config that does not read is
    // said by the fleet's own reading of it, where it matters).
    let prices = crate::resolve::launcher_config(env, &super::DiskFiles)
        .and_then(|c| crate::resolve::config_groups(&c))
        .map(|g| g.report.prices)
        .unwrap_or_default();
    let prices = &prices;
    let read = async move |t: &cluster::Target, queue: Option<&str>| {
        let mut rows = crate::jobs::list(t, queue).await?;
        let price = prices.for_cluster(&t.cluster);
        for r in &mut rows {
            r.cost = r.cost.take().map(|c| c.priced(price));
        }
        Ok(rows)
    };
    show(args, env, read, mark, tables)
}

/// `spark-k8s-cli queue [--queue Q] [-o json|yaml|wide]`.
pub fn queue(args: &ListArgs, env: &Env) -> u8 {
    let mark = |r: &mut crate::queue::QueueRow, name: &str| r.cluster = name.into();
    let tables = (
        crate::queue::table as fn(&[_]) -> _,
        crate::queue::wide_table as _,
    );
    show(args, env, crate::queue::rows, mark, tables)
}

/// `spark-k8s-cli sessions [-o json|yaml|wide]`.
pub fn sessions(args: &ListArgs, env: &Env) -> u8 {
    let mark = |r: &mut crate::jobs::SessionRow, name: &str| r.cluster = name.into();
    let tables = (
        crate::jobs::session_table as fn(&[_]) -> _,
        crate::jobs::session_wide_table as _,
    );
    show(args, env, crate::jobs::sessions, mark, tables)
}

/// A listing's table and its wide table.
type Tables<R> = (fn(&[R]) -> String, fn(&[R]) -> String);

/// Prints the rows `read` finds in the namespace, or on every cluster of the fleet (or the one
/// named), each marked with its cluster by `mark`, as `tables` lay them out or as JSON or
/// YAML; a fleet cluster that cannot be read is named, not fatal.
fn show<R: serde::Serialize>(
    args: &ListArgs,
    env: &Env,
    read: impl AsyncFn(&cluster::Target, Option<&str>) -> Result<Vec<R>, JobError>,
    mark: impl Fn(&mut R, &str),
    (table, wide): Tables<R>,
) -> u8 {
    let o = opts(&args.place, env);
    let queue = args.queue.as_deref();
    report(runtime().and_then(|rt| {
        rt.block_on(async {
            let rows = match fleet_targets(&o, env).await? {
                Some(members) => each_member(&members, |t| read(t, queue), mark).await,
                None => {
                    let target =
                        cluster::connect_with(&o.connect, env, o.namespace.as_deref()).await?;
                    read(&target, queue).await?
                }
            };
            let text = args.output.format().rows(&rows, table, wide);
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        })
    }))
}

/// `spark-k8s-cli logs JOB-ID [-f]`.
pub fn logs(args: &LogsArgs, env: &Env) -> u8 {
    let o = opts(&args.place, env);
    report(runtime().and_then(|rt| {
        rt.block_on(async {
            let target = cluster_of(&args.job_id, &o, env).await?;
            crate::jobs::logs(&target, &args.job_id, args.follow).await
        })
    }))
}

/// `spark-k8s-cli attach SESSION`: the session's exit code.
pub fn attach(args: &AttachArgs, env: &Env) -> u8 {
    let o = opts(&args.place, env);
    let code = runtime().and_then(|rt| {
        rt.block_on(async {
            let target = cluster_of(&args.session, &o, env).await?;
            crate::jobs::attach(&target, &args.session).await
        })
    });
    crate::session::tty::restore();
    match code {
        Ok(code) => code,
        Err(e) => {
            crate::report::error(&e);
            exit::of(e)
        }
    }
}

/// The cluster that has job `job`: the one named, or the fleet member whose namespace has it.
async fn cluster_of(job: &str, o: &Opts, env: &Env) -> Result<cluster::Target, JobError> {
    let Some(members) = fleet_targets(o, env).await? else {
        return cluster::connect_with(&o.connect, env, o.namespace.as_deref()).await;
    };
    // The job id finds its cluster.
    for (name, t) in members {
        if crate::jobs::list(&t, None)
            .await
            .is_ok_and(|rows| rows.iter().any(|r| r.job_id == job))
        {
            return Ok(t);
        }
        tracing::debug!(cluster = %name, "job not there");
    }
    Err(JobError::submission(format!(
        "No cluster of the fleet has job {job}. `spark-k8s-cli list` shows the fleet's jobs."
    )))
}
