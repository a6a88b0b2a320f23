//! The alert gate kept in the job's cluster, so that launchers on every host alert a (job,
//! event) once and keep one flood limit: a Lease per (job, event) created only if absent (409
//! AlreadyExists: another launcher alerted it), and a Lease per flood key whose window
//! ([`gate::Window`]) is changed under optimistic concurrency. Both carry the label
//! [`ALERT_LABEL`] and expire (two days, one day after the flood's last like alert); the first
//! alert of a launcher process sweeps the expired ones of its namespace.

use std::collections::BTreeMap;

use k8s_openapi::api::coordination::v1::Lease;
use kube::api::Api;

use super::gate::{self, Gate, Window};
use crate::cluster::Target;
use crate::cluster::shared::{self, Record};
use crate::plan::JOB_ID_LABEL;

/// On every Lease of the alert gate: `once` or `flood`.
pub const ALERT_LABEL: &str = "spark-k8s-cli/alert";
/// The event a Lease of the alert gate is about.
pub const EVENT_LABEL: &str = "spark-k8s-cli/event";
/// The flood key of a flood's Lease (for people; its name is a digest of it).
const FLOOD_KEY: &str = "spark-k8s-cli/flood-key";

fn labels(kind: &str, event: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (ALERT_LABEL.to_string(), kind.to_string()),
        (EVENT_LABEL.to_string(), event.to_string()),
    ])
}

/// The cluster's verdict on event `event` of job `job_id` in flood `flood_key`, at most
/// `limit` like alerts a minute (0: no limit); the error when the cluster could not give one.
pub async fn gate(
    target: &Target,
    job_id: &str,
    event: &str,
    flood_key: &str,
    now_ms: u64,
    limit: u32,
) -> kube::Result<Gate> {
    let api: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut once_labels = labels("once", event);
    once_labels.insert(JOB_ID_LABEL.to_string(), job_id.to_string());
    let once = Record {
        name: gate::once_name(job_id, event),
        labels: once_labels,
        annotations: BTreeMap::new(),
        keep_seconds: gate::REMEMBER_SECONDS,
    };
    if !shared::claim(&api, &once).await? {
        return Ok(Gate::Duplicate);
    }
    let flood = Record {
        name: gate::flood_name(flood_key),
        labels: labels("flood", event),
        annotations: BTreeMap::from([(FLOOD_KEY.to_string(), flood_key.to_string())]),
        keep_seconds: gate::FLOOD_KEEP_SECONDS,
    };
    shared::update(&api, &flood, |w: &mut Window| gate::flood(w, now_ms, limit)).await
}

/// Deletes the expired Leases of the alert gate in the target's namespace.
pub async fn sweep(target: &Target) {
    let api: Api<Lease> = Api::namespaced(target.client.clone(), &target.namespace);
    match shared::sweep(&api, ALERT_LABEL).await {
        Ok(n) => tracing::debug!(deleted = n, "expired alert records swept"),
        Err(e) => tracing::debug!(error = %e, "alert records not swept"),
    }
}
