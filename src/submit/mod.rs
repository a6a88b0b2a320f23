//! submit: creates the job's objects (secret, submit pod) by name, idempotently, retrying what
//! [`crate::cluster::retry`] says is transient; ships local files ([`ship`]); classifies the
//! in-pod submission's failures ([`retry`]).

pub mod retry;
pub mod ship;

use k8s_openapi::api::core::v1::{Pod, Secret};
use kube::api::{Api, PostParams};

use crate::cluster::retry::{Decision, Policy};
use crate::cluster::{Target, message_of, with_retries};
use crate::outcome::JobError;
use crate::plan::{JOB_ID_LABEL, JobPlan};

/// The Secrets a job creates: its secret properties and its small local files.
fn secret_names(plan: &JobPlan) -> Vec<String> {
    let mut names: Vec<String> = plan
        .secret
        .iter()
        .filter_map(|s| s.metadata.name.clone())
        .collect();
    if let Some(crate::plan::Deps {
        delivery: crate::plan::deps::Delivery::Secret(name),
        ..
    }) = &plan.deps
    {
        names.push(name.clone());
    }
    names
}

/// Makes the job's Secrets belong to this submit pod, so they go when the pod goes (the job's
/// end, or the pod's replacement by a new attempt, which takes them over first).
async fn own_secrets(target: &Target, plan: &JobPlan, pod: &Pod) {
    let Some(uid) = pod.metadata.uid.clone() else {
        return;
    };
    let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
    let owner = k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: pod.metadata.name.clone().unwrap_or_default(),
        uid,
        ..Default::default()
    };
    let patch = serde_json::json!({"metadata": {"ownerReferences": [owner]}});
    for name in secret_names(plan) {
        if let Err(e) = secrets
            .patch(
                &name,
                &kube::api::PatchParams::default(),
                &kube::api::Patch::Merge(&patch),
            )
            .await
        {
            crate::report::say(&format!(
                "spark-k8s-cli: cannot give secret {name} to its submit pod ({}); delete it when the job is over",
                message_of(&e)
            ));
        }
    }
}

/// True while a submit-pod create is on the wire: an interrupt then has to catch the pod the
/// server may still create after we stop listening.
pub static CREATE_IN_FLIGHT: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Creates the plan's secret and submit pod (named `pod_name` for this attempt). An existing pod
/// of the same job is re-attached to; an existing pod of another job is an error.
pub async fn create(
    target: &Target,
    plan: &JobPlan,
    pod_name: &str,
    policy: &Policy,
) -> Result<(Pod, bool), JobError> {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let files = match &plan.deps {
        Some(
            d @ crate::plan::Deps {
                delivery: crate::plan::deps::Delivery::Secret(name),
                ..
            },
        ) => Some(ship::secret(plan, d, name)?),
        _ => None,
    };
    for secret in plan.secret.iter().chain(files.as_ref()) {
        let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
        let pp = PostParams::default();
        let r = with_retries(policy, "create secret", || secrets.create(&pp, secret)).await;
        match r {
            Ok(_) | Err((Decision::Exists, _)) => {}
            Err((_, e)) => {
                return Err(JobError::submission(target.failure(&e, |m| {
                    format!(
                        "Cannot create secret {} in {}: {m}",
                        secret.metadata.name.as_deref().unwrap_or_default(),
                        target.namespace,
                    )
                })));
            }
        }
    }
    let mut pod = plan.pod.clone();
    pod.metadata.name = Some(pod_name.to_string());
    let pp = PostParams::default();
    CREATE_IN_FLIGHT.store(true, std::sync::atomic::Ordering::SeqCst);
    let created = with_retries(policy, "create submit pod", || pods.create(&pp, &pod)).await;
    CREATE_IN_FLIGHT.store(false, std::sync::atomic::Ordering::SeqCst);
    match created {
        Ok(p) => {
            own_secrets(target, plan, &p).await;
            Ok((p, false))
        }
        // Ours already (a re-run with the same job id, or a create whose response was lost).
        Err((Decision::Exists, _)) => {
            let existing = with_retries(policy, "read submit pod", || pods.get(pod_name))
                .await
                .map_err(|(_, e)| {
                    JobError::submission(
                        target.failure(&e, |m| format!("Cannot read submit pod {pod_name}: {m}")),
                    )
                })?;
            let job = existing
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(JOB_ID_LABEL))
                .cloned()
                .unwrap_or_default();
            if job != plan.job_id {
                return Err(JobError::submission(format!(
                    "Pod {pod_name} exists in {} but belongs to another job ({job}). Choose another spark.k8scli.jobId.",
                    target.namespace
                )));
            }
            Ok((existing, true))
        }
        Err((Decision::QuotaExceeded, e)) => Err(JobError::quota_full(format!(
            "The namespace quota has no room for the submit pod: {}. Wait for running jobs to finish or ask for more quota.",
            message_of(&e)
        ))),
        Err((_, e)) => Err(JobError::submission(target.failure(&e, |m| {
            format!(
                "Cannot create submit pod {pod_name} in {} on {}: {m}",
                target.namespace, target.server,
            )
        }))),
    }
}
