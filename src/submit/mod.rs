//! submit: creates the job's objects (secret, submit pod or direct mode's driver, a session's Service) by name,
//! idempotently, retrying what [`crate::cluster::retry`] says is transient; ships local files
//! ([`ship`]); classifies the in-pod submission's failures ([`retry`]).

pub mod direct;
pub mod retry;
pub mod ship;

use k8s_openapi::api::core::v1::{Pod, Secret, Service};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};

use crate::cluster::retry::{Decision, Policy};
use crate::cluster::{Target, message_of, with_retries};
use crate::outcome::JobError;
use crate::plan::JobPlan;
use crate::plan::session::{self, Existing};

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
    let Some(owner) = crate::plan::pod_owner(pod) else {
        return;
    };
    let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
    let patch = serde_json::json!({"metadata": {"ownerReferences": [owner]}});
    for name in secret_names(plan) {
        if let Err(e) = secrets
            .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
        {
            crate::report::warn(&format!(
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
    // The Secrets this call made (one found may be a running driver's, of the same job id).
    let mut made = Vec::new();
    for secret in plan.secret.iter().chain(files.as_ref()) {
        let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
        let pp = PostParams::default();
        let r = with_retries(policy, "create secret", || secrets.create(&pp, secret)).await;
        match r {
            Ok(_) => made.extend(secret.metadata.name.clone()),
            Err((Decision::Exists, _)) => {}
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
    // Direct mode writes as Spark's fabric8 client does (docs/direct-submit.md).
    let pp = PostParams {
        field_manager: plan
            .direct
            .as_ref()
            .map(|_| direct::POD_MANAGER.to_string()),
        ..PostParams::default()
    };
    // In direct mode the pod is the driver itself.
    let what = match plan.direct {
        Some(_) => "driver pod",
        None => "submit pod",
    };
    CREATE_IN_FLIGHT.store(true, std::sync::atomic::Ordering::SeqCst);
    let created = with_retries(policy, &format!("create {what}"), || pods.create(&pp, &pod)).await;
    CREATE_IN_FLIGHT.store(false, std::sync::atomic::Ordering::SeqCst);
    match created {
        Ok(p) => {
            own_secrets(target, plan, &p).await;
            if let Some(d) = &plan.direct {
                if let Err(e) = direct::create_rest(target, plan, d, &p, policy, false).await {
                    // As Spark's `Client.run` does: a driver without its objects goes. At
                    // once: no container of it started (the kubelet's `SyncPod` waits for
                    // every volume, its ConfigMap's too, before it starts one), and a job the
                    // read-back finds without a driver may move to another cluster.
                    let now = DeleteParams {
                        grace_period_seconds: Some(0),
                        ..DeleteParams::default()
                    };
                    let gone = match pods.delete(pod_name, &now).await {
                        Ok(_) => format!(
                            "driver pod {pod_name} deleted, as spark-submit deletes a driver whose objects it cannot create"
                        ),
                        Err(d) => format!(
                            "driver pod {pod_name} could not be deleted ({}); delete it with `spark-k8s-cli kill {}`",
                            message_of(&d),
                            plan.job_id
                        ),
                    };
                    let message = format!("{} ({gone})", e.message());
                    return Err(e.with_message(message));
                }
                return Ok((p, false));
            }
            if let Err(e) = create_service(target, plan, &p, policy).await {
                // The shell has not started (it waits for the launcher): nothing is lost.
                if let Err(d) = pods.delete(pod_name, &DeleteParams::default()).await {
                    crate::report::warn(&format!(
                        "spark-k8s-cli: cannot delete session pod {pod_name} ({}); delete it with `spark-k8s-cli kill {}`",
                        message_of(&d),
                        plan.job_id
                    ));
                }
                return Err(e);
            }
            Ok((p, false))
        }
        // Ours already (a re-run with the same job id, or a create whose response was lost).
        Err((Decision::Exists, _)) => {
            let existing = with_retries(policy, &format!("read {what}"), || pods.get(pod_name))
                .await
                .map_err(|(_, e)| {
                    JobError::submission(
                        target.failure(&e, |m| format!("Cannot read {what} {pod_name}: {m}")),
                    )
                })?;
            let job = crate::plan::job_of(&existing.metadata);
            if job != plan.job_id {
                return Err(JobError::submission(format!(
                    "Pod {pod_name} exists in {} but belongs to another job ({job}). Choose another spark.k8scli.jobId.",
                    target.namespace
                )));
            }
            // A create whose answer was lost, or a launcher killed before it gave them away:
            // the job's Secrets go with this pod too.
            own_secrets(target, plan, &existing).await;
            if let Some(d) = &plan.direct {
                direct::create_rest(target, plan, d, &existing, policy, true).await?;
            }
            create_service(target, plan, &existing, policy).await?;
            Ok((existing, true))
        }
        // Refused for certain: no pod of this create will own the Secrets it made, so they go
        // now (the next attempt, here or on another cluster, makes them again).
        Err((d @ (Decision::QuotaExceeded | Decision::Fatal), e)) => {
            drop_secrets(target, &plan.job_id, &made).await;
            Err(refused(target, pod_name, what, d, &e))
        }
        Err((d, e)) => Err(refused(target, pod_name, what, d, &e)),
    }
}

/// Deletes Secrets `names` of job `job_id` (best effort: what is left is named), each by a
/// collection delete on its name (the verb the launcher's role grants for Secrets).
async fn drop_secrets(target: &Target, job_id: &str, names: &[String]) {
    let secrets: Api<Secret> = Api::namespaced(target.client.clone(), &target.namespace);
    for name in names {
        let one = ListParams::default()
            .labels(&format!("{}={job_id}", crate::plan::JOB_ID_LABEL))
            .fields(&format!("metadata.name={name}"));
        match secrets
            .delete_collection(&DeleteParams::default(), &one)
            .await
        {
            Ok(_) => {}
            Err(e) => crate::report::warn(&format!(
                "spark-k8s-cli: cannot delete secret {name} of the refused pod ({}); delete it yourself",
                message_of(&e)
            )),
        }
    }
}

/// The error of a pod create the cluster refused.
fn refused(target: &Target, pod_name: &str, what: &str, d: Decision, e: &kube::Error) -> JobError {
    match d {
        Decision::QuotaExceeded => JobError::quota_full(format!(
            "The namespace quota has no room for the {what}: {}. Wait for running jobs to finish or ask for more quota.",
            message_of(e)
        )),
        _ => JobError::submission(target.failure(e, |m| {
            format!(
                "Cannot create {what} {pod_name} in {} on {}: {m}",
                target.namespace, target.server,
            )
        })),
    }
}

/// Creates a session's headless Service, owned by its pod `pod` (just created, or found), so
/// it goes when the pod goes (see [`create_owned`]).
async fn create_service(
    target: &Target,
    plan: &JobPlan,
    pod: &Pod,
    policy: &Policy,
) -> Result<(), JobError> {
    let Some(planned) = &plan.service else {
        return Ok(());
    };
    let name = planned.metadata.name.clone().unwrap_or_default();
    let ns = &target.namespace;
    let Some(service) = session::owned_by(planned, pod) else {
        return Err(JobError::submission(format!(
            "The session pod {} has no uid to own its service {name}.",
            pod.metadata.name.as_deref().unwrap_or_default()
        )));
    };
    let services: Api<Service> = Api::namespaced(target.client.clone(), ns);
    match create_owned(&services, &service, &plan.job_id, pod, policy).await {
        Ok(()) => Ok(()),
        Err(NotOwned::Request(what, e)) => Err(JobError::submission(target.failure(&e, |m| {
            format!("Cannot {what} service {name} of the session in {ns}: {m}")
        }))),
        Err(NotOwned::Foreign(job)) => Err(JobError::submission(format!(
            "Service {name} exists in {ns} but belongs to another job ({job}); the session's driver could not be reached through it. Choose another spark.k8scli.jobId."
        ))),
    }
}

/// Why [`create_owned`] could not make its object.
#[derive(Debug)]
pub enum NotOwned {
    /// A request failed: what was asked (`create`, `read`, `take over`) and how.
    Request(&'static str, kube::Error),
    /// The object exists and belongs to another job (named).
    Foreign(String),
}

/// Creates `object` (owned by `pod` already) by name, idempotently: one already there is read
/// back; this job's is handed to `pod` when another pod of the job owned it (an earlier
/// attempt's), another job's is [`NotOwned::Foreign`].
pub async fn create_owned<K>(
    api: &Api<K>,
    object: &K,
    job_id: &str,
    pod: &Pod,
    policy: &Policy,
) -> Result<(), NotOwned>
where
    K: kube::Resource<DynamicType = ()>
        + k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let name = kube::Resource::meta(object)
        .name
        .clone()
        .unwrap_or_default();
    let kind = K::kind(&()).to_ascii_lowercase();
    let pp = PostParams::default();
    match with_retries(policy, &format!("create {kind}"), || {
        api.create(&pp, object)
    })
    .await
    {
        Ok(_) => return Ok(()),
        Err((Decision::Exists, _)) => {}
        Err((_, e)) => return Err(NotOwned::Request("create", e)),
    }
    let found = with_retries(policy, &format!("read {kind}"), || api.get(&name))
        .await
        .map_err(|(_, e)| NotOwned::Request("read", e))?;
    match session::existing(&found, job_id, pod) {
        Existing::Ours => Ok(()),
        Existing::Adopt => {
            let patch = Patch::Merge(serde_json::json!({
                "metadata": {"ownerReferences": kube::Resource::meta(object).owner_references}
            }));
            let params = PatchParams::default();
            with_retries(policy, &format!("patch {kind}"), || {
                api.patch(&name, &params, &patch)
            })
            .await
            .map(|_| ())
            .map_err(|(_, e)| NotOwned::Request("take over", e))
        }
        Existing::Foreign(job) => Err(NotOwned::Foreign(job)),
    }
}
