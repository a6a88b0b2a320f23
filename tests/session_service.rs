//! A session's headless Service against kubesim: the submit stage creates it right after the
//! session pod, owned by that pod, idempotently; another job's Service of the same name leaves
//! nothing behind; and the garbage collector deletes it with the pod.
//!
//! The garbage collection is the API server's, which kubesim models (`docs/kubesim.md`): "By
//! default, Kubernetes uses background cascading deletion to delete dependents of an object"
//! (kubernetes.io, tasks/administer-cluster/use-cascading-deletion): the owner goes at once and
//! the garbage collector then deletes every dependent whose owners are all gone ("the dependent
//! is subject to deletion once all owners are verified absent", concepts/architecture/
//! garbage-collection). So the session's Service needs no clean-up of its own: whoever deletes
//! the pod (the launcher, `kill`, kubectl) deletes the Service too.
#![cfg(feature = "sim")]

#[macro_use]
mod common;

use common::mode::Mode;
use common::pipeline::{MemFiles, env_of, inputs, prepare_line};
use common::sandbox::Sandbox;
use common::watch;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams};
use serde_json::{Value, json};
use spark_k8s_cli::cluster::Target;
use spark_k8s_cli::cluster::retry::Policy;
use spark_k8s_cli::plan::{self, JobPlan};

/// The plan of `spark-shell` as job `job` in kubesim's namespace `default`.
fn shell_plan(job: &str) -> JobPlan {
    let line = format!(
        "spark-shell --master k8s://https://kubesim --conf spark.kubernetes.container.image=apache/spark:4.0.0 --conf spark.k8scli.namespace=default --conf spark.k8scli.jobId={job}"
    );
    let settings = prepare_line(&line, &env_of(&[]), &MemFiles::default()).expect("resolves");
    plan::plan(&settings, &inputs()).expect("plans")
}

async fn target(env: &Sandbox) -> Target {
    env.target().await
}

fn service(env: &Sandbox, name: &str) -> Option<Value> {
    env.sim.clusters[0]
        .store
        .get(watch::resource("services"), "default", name)
        .ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sessions_service_is_owned_by_its_pod_and_goes_with_it() {
    let env = Sandbox::start(Mode::Client, "session-service", Default::default()).await;
    let target = target(&env).await;
    let plan = shell_plan("sess-1");
    let (pod, reattached) =
        spark_k8s_cli::submit::create(&target, &plan, &plan.submit_pod_name, &Policy::default())
            .await
            .unwrap_or_else(|e| panic!("creates the session: {e}"));
    assert!(!reattached);
    let uid = pod.metadata.uid.clone().expect("a created pod has a uid");

    // There as soon as the pod is, owned by it.
    let svc = service(&env, "sess-1-submit").expect("the session's Service exists");
    assert_eq!(
        svc["metadata"]["ownerReferences"],
        json!([{
            "apiVersion": "v1",
            "kind": "Pod",
            "name": "sess-1-submit",
            "uid": uid,
            "controller": true,
            "blockOwnerDeletion": true,
        }])
    );
    assert_eq!(svc["spec"]["clusterIP"], "None");
    assert_eq!(
        svc["spec"]["selector"],
        json!({"spark-k8s-cli/job-id": "sess-1", "app.kubernetes.io/component": "session"})
    );
    let ports: Vec<(String, i64)> = svc["spec"]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["port"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ports,
        [("driver".into(), 7078), ("blockmanager".into(), 7079)]
    );
    assert_eq!(svc["metadata"]["labels"]["spark-k8s-cli/job-id"], "sess-1");
    // Its selector matches the session pod.
    let pods = env.pods("spark-k8s-cli/job-id=sess-1,app.kubernetes.io/component=session");
    assert_eq!(pods.len(), 1);

    // Created again (a retry, a re-run of the job): the same pod and Service, one of each.
    let (again, reattached) =
        spark_k8s_cli::submit::create(&target, &plan, &plan.submit_pod_name, &Policy::default())
            .await
            .unwrap_or_else(|e| panic!("re-creates the session: {e}"));
    assert!(reattached);
    assert_eq!(again.metadata.uid.as_deref(), Some(uid.as_str()));
    let same = service(&env, "sess-1-submit").unwrap();
    assert_eq!(same["metadata"]["uid"], svc["metadata"]["uid"]);
    assert_eq!(
        same["metadata"]["ownerReferences"],
        svc["metadata"]["ownerReferences"]
    );

    // A next attempt's pod takes the Service over, so the first pod's end leaves it.
    let (second, _) =
        spark_k8s_cli::submit::create(&target, &plan, "sess-1-submit-2", &Policy::default())
            .await
            .unwrap_or_else(|e| panic!("creates the next attempt: {e}"));
    let owners = &service(&env, "sess-1-submit").unwrap()["metadata"]["ownerReferences"];
    assert_eq!(owners.as_array().unwrap().len(), 1, "{owners}");
    assert_eq!(owners[0]["name"], "sess-1-submit-2");
    assert_eq!(owners[0]["uid"].as_str(), second.metadata.uid.as_deref());
    delete_pod(&env, &target, "sess-1-submit").await;
    assert!(service(&env, "sess-1-submit").is_some());

    // Its pod deleted, the garbage collector deletes the Service.
    delete_pod(&env, &target, "sess-1-submit-2").await;
    watch::wait_named(&env.sim.clusters[0], "services", "sess-1-submit", |s| {
        s.is_none()
    })
    .await;
    env.wait_gone("spark-k8s-cli/job-id=sess-1").await;
}

/// Deletes pod `name` through the API (at once), and waits until it is gone.
async fn delete_pod(env: &Sandbox, target: &Target, name: &str) {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), "default");
    pods.delete(name, &DeleteParams::default().grace_period(0))
        .await
        .unwrap_or_else(|e| panic!("deletes pod {name}: {e}"));
    watch::wait_named(&env.sim.clusters[0], "pods", name, |p| p.is_none()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_jobs_service_of_the_name_leaves_no_session_pod() {
    let env = Sandbox::start(Mode::Client, "session-foreign", Default::default()).await;
    let target = target(&env).await;
    // A Service already named as job `sess-2`'s would be, but another job's.
    let theirs = shell_plan("sess-2").service.unwrap();
    let mut theirs = serde_json::to_value(&theirs).unwrap();
    theirs["metadata"]["labels"]["spark-k8s-cli/job-id"] = json!("someone-else");
    let services: Api<k8s_openapi::api::core::v1::Service> =
        Api::namespaced(target.client.clone(), "default");
    services
        .create(
            &Default::default(),
            &serde_json::from_value(theirs).unwrap(),
        )
        .await
        .expect("creates the other job's Service");

    let plan = shell_plan("sess-2");
    let e =
        spark_k8s_cli::submit::create(&target, &plan, &plan.submit_pod_name, &Policy::default())
            .await
            .expect_err("another job's Service");
    let message = e.to_string();
    assert!(
        message.contains(
            "Service sess-2-submit exists in default but belongs to another job (someone-else)"
        ),
        "{message}"
    );
    // The session pod it had created is gone again, and their Service is untouched.
    env.wait_gone("spark-k8s-cli/job-id=sess-2").await;
    let kept = service(&env, "sess-2-submit").unwrap();
    assert_eq!(
        kept["metadata"]["labels"]["spark-k8s-cli/job-id"],
        "someone-else"
    );
    assert!(kept["metadata"]["ownerReferences"].is_null());
}

/// The dry run of a session prints its Service after its pod, and says how it gets its owner;
/// a batch job's has none.
#[test]
fn the_dry_run_prints_the_sessions_service() {
    let home = common::home::Home::new("session-dry-run");
    let out = home
        .cli(&[
            "shell",
            "--dry-run",
            "--master",
            "k8s://https://example:6443",
            "--conf",
            "spark.kubernetes.container.image=apache/spark:4.0.0",
            "--conf",
            "spark.k8scli.jobId=dry-1",
        ])
        .output()
        .unwrap();
    let yaml = common::home::text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        common::home::text(&out.stderr)
    );
    let docs: Vec<&str> = yaml.split("\n---\n").collect();
    assert_eq!(docs.len(), 2, "{yaml}");
    let pod: Pod = serde_saphyr::from_str(docs[0]).unwrap();
    assert_eq!(pod.metadata.name.as_deref(), Some("dry-1-submit"));
    assert!(docs[1].contains("owned by the pod"), "{}", docs[1]);
    let svc: k8s_openapi::api::core::v1::Service = serde_saphyr::from_str(docs[1]).unwrap();
    assert_eq!(svc.metadata.name.as_deref(), Some("dry-1-submit"));
    assert_eq!(svc.spec.unwrap().cluster_ip.as_deref(), Some("None"));
    let batch = home
        .spark_pi()
        .dry_run()
        .master("k8s://https://example:6443")
        .command()
        .output()
        .unwrap();
    assert_eq!(batch.status.code(), Some(0));
    assert!(!common::home::text(&batch.stdout).contains("kind: Service"));
}
