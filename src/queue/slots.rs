//! A limited queue's running slots: one Lease every launcher updates with a precondition.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, PostParams};

use super::admit::QueueLimit;
use super::err;
use crate::cluster::{self, Target};
use crate::outcome::JobError;
use crate::plan::QUEUE_LABEL;
use crate::plan::quota::Amounts;

/// The annotation that holds the running jobs: job → (cpu milli, memory milli), as text.
const RUNNING: &str = "spark-k8s-cli/running";

/// The Lease that holds a limited queue's running jobs: the one object every launcher updates
/// with a resourceVersion precondition, so the queue's limits hold even when two launchers
/// decide at once from views a moment apart.
fn slots_name(queue: &str) -> String {
    let clean: String = queue
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("k8scli-queue-{}", clean.trim_matches('-'))
}

/// job → (cpu milli, memory milli) of the queue's running jobs, with the Lease it came from.
async fn read(
    api: &Api<Lease>,
    queue: &str,
) -> kube::Result<(Lease, BTreeMap<String, (i128, i128)>)> {
    let name = slots_name(queue);
    let lease = match api.get_opt(&name).await? {
        Some(l) => l,
        None => {
            let fresh = Lease {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: Some(BTreeMap::from([(
                        QUEUE_LABEL.to_string(),
                        queue.to_string(),
                    )])),
                    ..Default::default()
                },
                spec: None,
            };
            match api.create(&PostParams::default(), &fresh).await {
                Ok(l) => l,
                Err(kube::Error::Api(e)) if e.code == 409 => api.get(&name).await?,
                Err(e) => return Err(e),
            }
        }
    };
    let map = lease
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(RUNNING))
        .and_then(|j| serde_json::from_str::<BTreeMap<String, (String, String)>>(j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(k, (c, m))| (k, (c.parse().unwrap_or(0), m.parse().unwrap_or(0))))
        .collect();
    Ok((lease, map))
}

async fn write(
    api: &Api<Lease>,
    mut lease: Lease,
    map: &BTreeMap<String, (i128, i128)>,
) -> kube::Result<Lease> {
    let text: BTreeMap<&String, (String, String)> = map
        .iter()
        .map(|(k, (c, m))| (k, (c.to_string(), m.to_string())))
        .collect();
    lease
        .metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(
            RUNNING.into(),
            serde_json::to_string(&text).unwrap_or_default(),
        );
    let name = lease.metadata.name.clone().unwrap_or_default();
    // `replace` sends the resourceVersion read: a concurrent writer makes it a 409.
    api.replace(&name, &PostParams::default(), &lease).await
}

/// Takes one of the queue's running slots for `job`, if its limits allow: `false` when full.
/// `live`: the jobs with a live ticket (the others' slots are free).
pub(super) async fn claim(
    target: &Target,
    queue: &str,
    limit: &QueueLimit,
    job: &str,
    demand: &Amounts,
    live: &BTreeSet<String>,
    policy: &cluster::retry::Policy,
) -> Result<bool, JobError> {
    let cpu = demand.get("requests.cpu").copied().unwrap_or(0);
    let mem = demand.get("requests.memory").copied().unwrap_or(0);
    let start = tokio::time::Instant::now();
    let mut lost_writes = policy.schedule();
    let api: &Api<Lease> = &Api::namespaced(target.client.clone(), &target.namespace);
    loop {
        let (lease, mut map) =
            cluster::with_retries(policy, "read queue slots", || read(api, queue))
                .await
                .map_err(|(_, e)| {
                    err(target.failure(&e, |m| {
                        format!("Cannot read queue {queue}'s running jobs: {m}")
                    }))
                })?;
        // Jobs whose ticket is gone (ended, or their launcher died) free their slot.
        map.retain(|j, _| live.contains(j));
        if map.contains_key(job) {
            return Ok(true);
        }
        let n = map.len() as u64;
        let (used_cpu, used_mem) = map.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let full = limit.max_running.is_some_and(|m| n + 1 > m)
            || limit.max_cpu.is_some_and(|m| used_cpu + cpu > m)
            || limit.max_memory.is_some_and(|m| used_mem + mem > m);
        if full {
            return Ok(false);
        }
        map.insert(job.to_string(), (cpu, mem));
        match write(api, lease, &map).await {
            Ok(_) => return Ok(true),
            Err(kube::Error::Api(e)) if e.code == 409 => continue,
            Err(kube::Error::Api(e)) if e.code < 500 => {
                return Err(err(format!(
                    "Cannot update queue {queue}'s running jobs: {}",
                    e.message
                )));
            }
            // A write whose answer was lost (a connection cut): read again, which shows whether
            // it took effect (the compare-and-swap makes a second write of the same slot safe).
            Err(e) => match lost_writes.after_failure(&cluster::decision_of(&e), start.elapsed()) {
                Some(pause) => {
                    tracing::debug!(error = %e, "queue slot write failed; reading again");
                    tokio::time::sleep(pause).await;
                }
                None => {
                    return Err(err(target.failure(&e, |m| {
                        format!("Cannot update queue {queue}'s running jobs: {m}")
                    })));
                }
            },
        }
    }
}

/// Gives a running slot back.
pub(super) async fn free(api: &Api<Lease>, queue: &str, job: &str) {
    for _ in 0..20 {
        let Ok((lease, mut map)) = read(api, queue).await else {
            return;
        };
        if map.remove(job).is_none() {
            return;
        }
        match write(api, lease, &map).await {
            Err(kube::Error::Api(e)) if e.code == 409 => continue,
            _ => return,
        }
    }
}
