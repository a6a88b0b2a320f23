//! Direct mode's writes after the driver pod: its Service, NetworkPolicy (Spark 4.2+) and ConfigMap, owned by
//! it, by server-side apply as Spark's `Client.run` makes them (docs/direct-submit.md).

use k8s_openapi::api::core::v1::{ConfigMap, Pod, Service};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use kube::api::{Api, ListParams, Patch, PatchParams};

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

/// The name of an object of `api` that the driver (`uid`, app id `app_id`) owns already.
async fn owned_name<K>(
    api: &Api<K>,
    app_id: &str,
    uid: &str,
    policy: &Policy,
) -> Result<Option<String>, kube::Error>
where
    K: kube::Resource<DynamicType = ()> + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let lp = ListParams::default().labels(&format!("spark-app-selector={app_id}"));
    let kind = K::kind(&()).to_ascii_lowercase();
    let found = with_retries(policy, &format!("list {kind}"), || api.list(&lp))
        .await
        .map_err(|(_, e)| e)?;
    let owned = |o: &K| {
        let refs = o.meta().owner_references.as_deref().unwrap_or_default();
        refs.iter().any(|r| r.uid == uid)
    };
    Ok(found
        .items
        .iter()
        .find(|o| owned(o))
        .and_then(|o| o.meta().name.clone()))
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
    let Some(uid) = driver.metadata.uid.clone() else {
        return Err(JobError::submission(format!(
            "The driver pod {} has no uid to own its objects.",
            plan.driver_pod_name
        )));
    };
    let ns = &target.namespace;
    let client = target.client.clone();
    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    let policies: Api<NetworkPolicy> = Api::namespaced(client.clone(), ns);
    let mut objects = if found {
        // Its ids: the pod's, and those its Service and NetworkPolicy are named by.
        let r = direct_mode::adopted(driver, &d.randoms);
        let service = owned_name(&services, &r.app_id, &uid, policy).await;
        let service = service.map_err(|e| fail("service", &e))?;
        let network_policy = match d.release.line.network_policy() {
            true => owned_name(&policies, &r.app_id, &uid, policy).await,
            false => Ok(None),
        };
        let network_policy = network_policy.map_err(|e| fail("network policy", &e))?;
        let app_name = &d.in_pod.app_name;
        let r =
            direct_mode::adopted_names(&r, app_name, service.as_deref(), network_policy.as_deref());
        d.objects_for(&plan.job_id, &r)
            .map(|(o, _)| o)
            .map_err(|e| JobError::submission(e.to_string()))?
    } else {
        d.objects.clone()
    };
    objects.own(&uid);
    apply(&services, &objects.service, policy, found)
        .await
        .map_err(|e| fail("service", &e))?;
    if d.release.line.network_policy() {
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
