//! Direct mode's writes after the driver pod: its Service, NetworkPolicy (Spark 4.2+) and ConfigMap, owned by
//! it, by server-side apply as Spark's `Client.run` makes them (docs/direct-submit.md).

use k8s_openapi::api::core::v1::{ConfigMap, Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, Patch, PatchParams};

use crate::cluster::retry::Policy;
use crate::cluster::{Target, with_retries};
use crate::outcome::JobError;
use crate::plan::JobPlan;
use crate::plan::direct_mode::{self, Direct};

/// The field manager of the driver pod's create (fabric8's user agent, as the API server
/// records a create without one).
pub const POD_MANAGER: &str = "fabric8-kubernetes-client";
/// The field manager of the applied objects (fabric8's server-side apply).
const APPLY_MANAGER: &str = "fabric8";

/// Applies `object` (owned by the driver already) unless `only_missing` and it exists.
async fn apply<K>(
    api: &Api<K>,
    object: &K,
    policy: &Policy,
    only_missing: bool,
) -> Result<(), kube::Error>
where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let name = object.meta().name.clone().unwrap_or_default();
    let kind = K::kind(&()).to_ascii_lowercase();
    if only_missing {
        match with_retries(policy, &format!("read {kind}"), || api.get_opt(&name)).await {
            Ok(Some(_)) => return Ok(()),
            Ok(None) => {}
            Err((_, e)) => return Err(e),
        }
    }
    let params = PatchParams::apply(APPLY_MANAGER).force();
    let patch = Patch::Apply(object);
    with_retries(policy, &format!("apply {kind}"), || {
        api.patch(&name, &params, &patch)
    })
    .await
    .map(|_| ())
    .map_err(|(_, e)| e)
}

/// Makes the driver pod `driver`'s Service, NetworkPolicy and ConfigMap, in Spark's order,
/// owned by it. `found`: the pod is an earlier run's; its objects get its own ids back and
/// only the missing ones are made.
pub async fn create_rest(
    target: &Target,
    plan: &JobPlan,
    d: &Direct,
    driver: &Pod,
    policy: &Policy,
    found: bool,
) -> Result<(), JobError> {
    let fail = |what: &str, e: &kube::Error| {
        JobError::submission(target.failure(e, |m| {
            format!(
                "Cannot create the driver's {what} in {}: {m}",
                target.namespace
            )
        }))
    };
    let mut objects = if found {
        let r = direct_mode::adopted(driver, &d.randoms);
        d.objects_for(&plan.job_id, &r)
            .map(|(o, _)| o)
            .map_err(|e| JobError::submission(e.to_string()))?
    } else {
        d.objects.clone()
    };
    let Some(uid) = driver.metadata.uid.clone() else {
        return Err(JobError::submission(format!(
            "The driver pod {} has no uid to own its objects.",
            plan.driver_pod_name
        )));
    };
    objects.own(&uid);
    let ns = &target.namespace;
    let client = target.client.clone();
    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    apply(&services, &objects.service, policy, found)
        .await
        .map_err(|e| fail("service", &e))?;
    if d.release.line.network_policy() {
        let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), ns);
        apply(&policies, &objects.network_policy, policy, found)
            .await
            .map_err(|e| fail("network policy", &e))?;
    }
    let config_maps: Api<ConfigMap> = Api::namespaced(client, ns);
    if let Some(template) = &objects.executor_pod_template {
        apply(&config_maps, template, policy, found)
            .await
            .map_err(|e| fail("executor pod template", &e))?;
    }
    apply(&config_maps, &objects.config_map, policy, found)
        .await
        .map_err(|e| fail("config map", &e))?;
    Ok(())
}
