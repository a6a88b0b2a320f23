//! What the queue reads in cluster objects: quotas as admission reads them, the jobs pods make.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{LimitRange, Pod, ResourceQuota};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::api::{Api, ListParams};

use super::admit::Orphan;
use super::mirror::hash_of;
use crate::cluster::Target;
use crate::plan::quota::{self, Amounts, PodFacts, Quota, ScopeTerm};
use crate::plan::{JOB_ID_LABEL, JobPlan, QUEUE_LABEL};

/// What one pod counts against a quota (requests, limits, the pod itself).
fn pod_amounts(p: &Pod) -> Amounts {
    let mut a = Amounts::new();
    let Some(spec) = &p.spec else { return a };
    for c in &spec.containers {
        let r = c.resources.clone().unwrap_or_default();
        for (kind, map) in [("requests", r.requests), ("limits", r.limits)] {
            for (res, q) in map.unwrap_or_default() {
                let v = crate::quantity::milli(&q.0).unwrap_or(0);
                *a.entry(format!("{kind}.{res}")).or_default() += v;
                if kind == "requests" {
                    *a.entry(res).or_default() += v;
                }
            }
        }
    }
    a.insert("pods".into(), 1000);
    a.insert("count/pods".into(), 1000);
    a
}

fn terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    )
}

/// What the job's live pods use, and its queue as its driver or submit pod says.
#[derive(Debug, Default)]
pub(super) struct JobUse {
    /// Set by a driver or submit pod only: executors alone do not make a running job.
    queue: Option<String>,
    pub(super) usage: Amounts,
    pods: Vec<String>,
}

/// The jobs among `pods` that have live pods (by the job-id label).
pub(super) fn jobs_of<'a>(pods: impl Iterator<Item = &'a Pod>) -> BTreeMap<String, JobUse> {
    let mut jobs: BTreeMap<String, JobUse> = BTreeMap::new();
    for p in pods.filter(|p| !terminal(p)) {
        let labels = p.metadata.labels.clone().unwrap_or_default();
        let job = jobs
            .entry(labels.get(JOB_ID_LABEL).cloned().unwrap_or_default())
            .or_default();
        let executor = labels.get("spark-role").map(String::as_str) == Some("executor");
        if let Some(q) = labels.get(QUEUE_LABEL)
            && !executor
        {
            job.queue = Some(q.clone());
        }
        job.pods.push(p.metadata.name.clone().unwrap_or_default());
        for (k, v) in pod_amounts(p) {
            *job.usage.entry(k).or_default() += v;
        }
    }
    jobs
}

/// The jobs without a live ticket that still run (a driver or submit pod is live).
pub(super) fn orphans(jobs: BTreeMap<String, JobUse>) -> Vec<Orphan> {
    jobs.into_iter()
        .filter_map(|(job, u)| {
            Some(Orphan {
                queue: u.queue?,
                job,
                cpu: u.usage.get("requests.cpu").copied().unwrap_or(0),
                memory: u.usage.get("requests.memory").copied().unwrap_or(0),
                pods: u.pods,
            })
        })
        .collect()
}

/// What of a job pod the decision reads: that it exists and its phase.
pub(super) fn pod_relevant(p: &Pod) -> Option<u64> {
    Some(hash_of(p.status.as_ref().and_then(|s| s.phase.as_ref())))
}

/// What of a quota the decision reads: its hard limits, scopes and usage.
pub(super) fn quota_relevant(q: &ResourceQuota) -> Option<u64> {
    Some(hash_of(format!(
        "{:?} {:?}",
        q.spec,
        q.status.as_ref().and_then(|s| s.used.as_ref())
    )))
}

/// A ResourceQuota as the admission arithmetic reads it.
pub(super) fn to_quota(q: &ResourceQuota) -> Quota {
    let amounts = |m: Option<&BTreeMap<String, Quantity>>| -> Amounts {
        m.into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.clone(), crate::quantity::milli(&v.0)?)))
            .collect()
    };
    Quota {
        name: q.metadata.name.clone().unwrap_or_default(),
        hard: amounts(q.spec.as_ref().and_then(|s| s.hard.as_ref())),
        used: amounts(q.status.as_ref().and_then(|s| s.used.as_ref())),
        scopes: scope_terms(q),
    }
}

/// Whether a quota limits `limits.cpu` (then containers without a CPU limit count the
/// namespace's LimitRange default).
pub(super) fn limits_cpu(q: &ResourceQuota) -> bool {
    q.spec
        .as_ref()
        .and_then(|s| s.hard.as_ref())
        .is_some_and(|h| h.contains_key("limits.cpu"))
}

/// The quotas of the target's namespace that count the job's pods, and the job's demand as
/// they count it (one list request): what the fleet's choice weighs.
pub async fn job_quotas(target: &Target, plan: &JobPlan) -> kube::Result<(Vec<Quota>, Amounts)> {
    let api: Api<ResourceQuota> = Api::namespaced(target.client.clone(), &target.namespace);
    let list = api.list(&ListParams::default()).await?;
    let quotas = quota::applicable(
        list.items.iter().map(to_quota).collect(),
        &job_pod_facts(plan),
    );
    Ok((quotas, quota::job_amounts(&plan.demand, None)))
}

/// A quota's `scopes` and `scopeSelector` as terms.
fn scope_terms(q: &ResourceQuota) -> Vec<ScopeTerm> {
    let Some(spec) = &q.spec else {
        return Vec::new();
    };
    let listed = spec.scopes.iter().flatten().map(|s| ScopeTerm {
        scope: s.clone(),
        operator: "Exists".into(),
        values: Vec::new(),
    });
    let selected = spec
        .scope_selector
        .iter()
        .flat_map(|sel| sel.match_expressions.iter().flatten())
        .map(|e| ScopeTerm {
            scope: e.scope_name.clone(),
            operator: e.operator.clone(),
            values: e.values.clone().unwrap_or_default(),
        });
    listed.chain(selected).collect()
}

/// What quota scopes see in the job's pods. The submit pod is ours to read; the driver and
/// executors are built by spark-submit inside it (from Spark's own settings and templates the
/// launcher does not read), so they are taken as plain pods: requests set, no deadline, no
/// priority class.
pub(super) fn job_pod_facts(plan: &JobPlan) -> Vec<PodFacts> {
    let spec = plan.pod.spec.as_ref();
    let submit = PodFacts {
        best_effort: false,
        terminating: spec.is_some_and(|s| s.active_deadline_seconds.is_some()),
        priority_class: spec.and_then(|s| s.priority_class_name.clone()),
        cross_namespace_affinity: false,
    };
    vec![submit, PodFacts::default()]
}

/// A LimitRange's default CPU limit for containers, if the namespace has one.
pub(super) async fn default_cpu_limit(target: &Target) -> Option<u64> {
    let api: Api<LimitRange> = Api::namespaced(target.client.clone(), &target.namespace);
    let list = api.list(&ListParams::default()).await.ok()?;
    list.items.iter().find_map(|lr| {
        lr.spec.as_ref()?.limits.iter().find_map(|l| {
            (l.type_ == "Container")
                .then(|| l.default.as_ref()?.get("cpu"))
                .flatten()
                .and_then(|q| crate::quantity::milli(&q.0))
                .map(|m| m as u64)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, job: &str, role: Option<&str>, phase: &str) -> Pod {
        let mut labels = serde_json::json!({JOB_ID_LABEL: job, QUEUE_LABEL: "etl"});
        if let Some(r) = role {
            labels["spark-role"] = serde_json::json!(r);
        }
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]},
            "status": {"phase": phase}
        }))
        .unwrap()
    }

    #[test]
    fn a_running_job_is_one_with_a_live_driver_or_submit_pod() {
        let pods = [
            // Ended driver, executors left running: not a running job.
            pod("old-driver", "old", Some("driver"), "Failed"),
            pod("old-exec-1", "old", Some("executor"), "Running"),
            pod("old-exec-2", "old", Some("executor"), "Running"),
            // A live driver with an executor: one job, both pods counted.
            pod("live-driver", "live", Some("driver"), "Running"),
            pod("live-exec-1", "live", Some("executor"), "Running"),
            // Client mode, or before any driver: the submit pod alone.
            pod("sub-submit", "sub", None, "Pending"),
        ];
        let found = orphans(jobs_of(pods.iter()));
        let jobs: Vec<(&str, i128, usize)> = found
            .iter()
            .map(|o| (o.job.as_str(), o.cpu, o.pods.len()))
            .collect();
        assert_eq!(jobs, vec![("live", 2000, 2), ("sub", 1000, 1)]);
    }
}
