//! The driver UI's Ingress (`uiIngressHost`), made once the driver runs: its Service and
//! Ingress ([`crate::plan::ui`]) created by name and owned by the driver pod, the URL printed.
//! Anything that goes wrong is a warning that says what to do: the job goes on, and the
//! `kubectl port-forward` line still reaches the UI.

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::Api;

use crate::cluster::Target;
use crate::cluster::retry::Policy;
use crate::report::progress::Progress;
use crate::resolve::ui::{HostValues, UiIngress};
use crate::submit::{NotOwned, create_owned};

/// Makes the Ingress to the UI of `driver` (job `job_id`, listening on `port`) and prints its
/// URL, or warns.
pub(super) async fn expose(
    target: &Target,
    job_id: &str,
    driver: &Pod,
    port: u16,
    ui: &UiIngress,
    progress: &Progress,
) {
    let warn = |why: String| {
        crate::report::warn(&format!(
            "spark-k8s-cli: job {job_id}: no Ingress for the Spark UI: {why}; the port-forward line still reaches it"
        ));
    };
    // `resolve` refused `{cluster}` without a fleet: with one, the target's cluster is the
    // member's name.
    let values = HostValues {
        job: job_id,
        namespace: &target.namespace,
        cluster: Some(&target.cluster),
    };
    let host = match ui.host_for(values) {
        Ok(h) => h,
        Err(e) => return warn(format!("spark.k8scli.uiIngressHost: {e}")),
    };
    let Some(objects) = crate::plan::ui::objects(driver, job_id, &host, port, ui) else {
        return warn("the driver pod has no uid to own it".into());
    };
    let policy = Policy::quick();
    let services: Api<Service> = Api::namespaced(target.client.clone(), &target.namespace);
    let ingresses: Api<Ingress> = Api::namespaced(target.client.clone(), &target.namespace);
    let made = match create_owned(&services, &objects.service, job_id, driver, &policy).await {
        Ok(()) => create_owned(&ingresses, &objects.ingress, job_id, driver, &policy)
            .await
            .map_err(|e| ("ingress", e)),
        Err(e) => Err(("service", e)),
    };
    let name = objects.ingress.metadata.name.as_deref().unwrap_or_default();
    match made {
        Ok(()) => progress.note(&format!("job {job_id}: Spark UI: {}", ui.url(&host))),
        Err((kind, NotOwned::Foreign(job))) => warn(format!(
            "{kind} {name} exists in {} but belongs to another job ({job}); delete it, or choose another spark.k8scli.jobId",
            target.namespace
        )),
        Err((kind, NotOwned::Request(what, e))) => {
            let fix = match &e {
                kube::Error::Api(s) if s.code == 403 => {
                    "grant the launcher create on services and on ingresses (networking.k8s.io): `spark-k8s-cli rbac` prints the Role; or unset spark.k8scli.uiIngressHost"
                }
                kube::Error::Api(s) if s.code == 422 => {
                    "check spark.k8scli.uiIngressHost, uiIngressClassName, uiIngressAnnotations and uiIngressTls"
                }
                kube::Error::Api(s) if s.code == 404 => {
                    "the cluster serves no networking.k8s.io/v1 Ingress (Kubernetes 1.19+); unset spark.k8scli.uiIngressHost"
                }
                _ => "the cluster did not take it; it is not tried again for this job",
            };
            let said = target.failure(&e, |m| m.to_string());
            warn(format!(
                "cannot {what} {kind} {name} in {}: {said}. To fix: {fix}",
                target.namespace
            ));
        }
    }
}
