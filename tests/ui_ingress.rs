//! `spark.k8scli.uiIngressHost`: once the driver runs, an Ingress to its web UI (and the
//! Service behind it), owned by the driver pod, and its URL printed; through the real binary
//! against kubesim, in both deploy modes. A bad host template is refused before anything
//! exists; an Ingress the launcher may not create is a warning, and the job still succeeds.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use common::home::{SparkPi, exited, finish};
use common::mode::Mode;
use common::sandbox::{Sandbox, apply, with_rbac};
use common::watch;
use kubesim::SimConfig;
use serde_json::json;
use spark_k8s_cli::plan::rbac::{self, LAUNCHER_ACCOUNT, SUBMIT_ACCOUNT};

/// SparkPi with one executor and a driver that runs long enough to be looked at, its UI
/// published at `<job>.spark.example.com` by an `nginx` Ingress (every spelling of the settings
/// is the resolve tests'; here the dotted one).
fn ui_job<'a>(env: &'a Sandbox, job: &str) -> SparkPi<'a> {
    env.spark_pi()
        .job(job)
        .conf("spark.executor.instances=1")
        .driver_seconds(2.0)
        .conf("spark.k8scli.uiIngress.host={job}.spark.example.com")
        .conf("spark.k8scli.uiIngress.className=nginx")
        .conf("spark.k8scli.uiIngress.annotations.nginx.ingress.kubernetes.io/proxy-body-size=8m")
}

both_modes! {
async fn the_ui_ingress_routes_to_the_driver_and_goes_with_it(mode: Mode) {
    let env = Sandbox::start(mode, "ui-ingress", SimConfig::default()).await;
    let cluster = &env.sim.clusters[0];
    let job = "ui-ok";
    let selector = format!("spark-k8s-cli/job-id={job}");
    let child = ui_job(&env, job).spawn();
    let ingress = watch::wait_object(cluster, "ingresses", &selector, |_| true).await;
    let driver = env.driver(job);
    let name = format!("{driver}-ui");
    let pod = cluster
        .store
        .get(watch::resource("pods"), "default", &driver)
        .expect("the driver pod exists while its Ingress does");
    assert_eq!(ingress["metadata"]["name"], name.as_str());
    assert_eq!(ingress["metadata"]["labels"]["spark-k8s-cli/job-id"], job);
    assert_eq!(
        ingress["metadata"]["annotations"],
        json!({"nginx.ingress.kubernetes.io/proxy-body-size": "8m"})
    );
    assert_eq!(
        ingress["metadata"]["ownerReferences"],
        json!([{"apiVersion": "v1", "kind": "Pod", "name": driver, "uid": pod["metadata"]["uid"],
                "controller": true, "blockOwnerDeletion": true}])
    );
    assert_eq!(ingress["spec"]["ingressClassName"], "nginx");
    assert_eq!(
        ingress["spec"]["rules"],
        json!([{"host": format!("{job}.spark.example.com"), "http": {"paths": [{
            "path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": name, "port": {"number": 4040}}}}]}}])
    );
    // The backend: a Service that selects the driver alone, on the UI's port.
    let service = cluster
        .store
        .get(watch::resource("services"), "default", &name)
        .expect("the UI's Service");
    assert_eq!(
        service["spec"]["selector"],
        json!({"spark-k8s-cli/job-id": job, "spark-role": "driver"})
    );
    assert_eq!(service["spec"]["ports"][0]["port"], 4040);
    assert_eq!(service["metadata"]["ownerReferences"], ingress["metadata"]["ownerReferences"]);
    let selected = env.pods(&format!("{selector},spark-role=driver"));
    assert_eq!(selected.len(), 1, "{selected:#?}");
    assert_eq!(selected[0]["metadata"]["name"], driver.as_str());

    let (_, err) = exited(&finish(child).await, 0);
    let url = format!("spark-k8s-cli: job {job}: Spark UI: http://{job}.spark.example.com/");
    assert_eq!(err.matches(&url).count(), 1, "{err}");
    assert!(!err.contains("no Ingress"), "{err}");

    // The garbage collector takes both with the driver pod.
    let _ = cluster.store.delete(watch::resource("pods"), "default", &driver, Some(0));
    for plural in ["ingresses", "services"] {
        let ui = format!("{selector},app.kubernetes.io/component=driver-ui");
        watch::wait_until(
            cluster,
            plural,
            watch::WAIT,
            || watch::list(cluster, plural, &ui).is_empty(),
            || format!("{plural} of {job} still there after its driver pod went"),
        )
        .await;
    }
}

async fn a_bad_ui_host_is_refused_before_anything_exists(mode: Mode) {
    let env = Sandbox::start(mode, "ui-bad-host", SimConfig::default()).await;
    let (_, err) = env
        .spark_pi()
        .job("ui-bad")
        .conf("spark.k8scli.uiIngressHost=*.spark.example.com")
        .exits_saying(1, "Invalid value '*.spark.example.com' for launcher setting uiIngressHost")
        .await;
    assert!(err.contains("{job}.spark.example.com"), "the hint shows one: {err}");
    assert_eq!(env.requests(), 0, "a refused setting reaches no cluster");
}

async fn a_dry_run_says_the_ingress_would_be_made(mode: Mode) {
    let env = Sandbox::start(mode, "ui-dry-run", SimConfig::default()).await;
    let (_, err) = ui_job(&env, "ui-dry")
        .conf("spark.k8scli.uiIngressTls=ui-tls")
        .dry_run()
        .exits(0)
        .await;
    assert!(
        err.contains("ui ingress      https://ui-dry.spark.example.com/ (an Ingress and its Service, made once the driver runs)"),
        "{err}"
    );
    assert_eq!(env.requests(), 0, "a dry run reaches no cluster");
}

async fn an_ingress_the_launcher_may_not_create_is_a_warning(mode: Mode) {
    const TOKEN: &str = "launcher-token";
    let env = Sandbox::start(mode, "ui-forbidden", with_rbac(TOKEN, LAUNCHER_ACCOUNT)).await;
    let cluster = &env.sim.clusters[0];
    // The manifests of `spark-k8s-cli rbac` without the launcher's rule on ingresses.
    let manifests = rbac::manifests("default");
    let rule = "- apiGroups: [\"networking.k8s.io\"]\n  resources: [\"ingresses\"]\n  verbs: [\"create\", \"get\", \"patch\"]\n";
    assert!(manifests.contains(rule), "{manifests}");
    apply(cluster, &manifests.replace(rule, ""));
    std::fs::write(env.kubeconfig(), env.sim.kubeconfig_with_token(TOKEN)).unwrap();
    let job = "ui-403";
    let (_, err) = ui_job(&env, job)
        .conf(&format!(
            "spark.kubernetes.authenticate.driver.serviceAccountName={SUBMIT_ACCOUNT}"
        ))
        .exits(0)
        .await;
    let said = format!(
        "spark-k8s-cli: job {job}: no Ingress for the Spark UI: cannot create ingress {}-ui in default: ingresses.networking.k8s.io is forbidden: User \"system:serviceaccount:default:{LAUNCHER_ACCOUNT}\" cannot create resource \"ingresses\" in API group \"networking.k8s.io\" in the namespace \"default\"",
        env.driver(job)
    );
    assert!(err.contains(&said), "{err}");
    assert!(err.contains("`spark-k8s-cli rbac`"), "says what to do: {err}");
    assert!(!err.contains("Spark UI: http://"), "{err}");
    assert!(watch::list(cluster, "ingresses", "").is_empty());
}
}
