//! Kubesim's store as a test reads it: lists of namespace `default`, and waits on watches
//! (never timers), each bounded so that a state never reached fails the test.

use std::time::Duration;

use kubesim::cluster::Cluster;
use kubesim::resources::{self, Resource};
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use serde_json::Value;

/// How long a wait may take before it fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// A resource by its plural: `leases` are coordination.k8s.io's, `ingresses` and `networkpolicies`
/// networking.k8s.io's, the rest the core group's.
pub fn resource(plural: &str) -> &'static Resource {
    let group = match plural {
        "leases" => "coordination.k8s.io",
        "ingresses" | "networkpolicies" => "networking.k8s.io",
        _ => "",
    };
    resources::find(group, "v1", plural).unwrap_or_else(|| panic!("kubesim serves no {plural}"))
}

/// A watch on `plural` in `default`, selected by label.
pub fn filter(plural: &str, selector: &str) -> WatchFilter {
    WatchFilter {
        res_key: resource(plural).key(),
        namespace: Some("default".into()),
        label: LabelSelector::parse(selector).unwrap(),
        field: FieldSelector::default(),
    }
}

/// The objects of `plural` in `default` that match the label `selector` (`""`: all).
pub fn list(cluster: &Cluster, plural: &str, selector: &str) -> Vec<Value> {
    cluster
        .store
        .list(
            resource(plural),
            Some("default"),
            &LabelSelector::parse(selector).unwrap(),
            &FieldSelector::default(),
        )
        .0
}

/// Waits (on a watch) until some object of `plural` matching `selector` satisfies `pred`, in
/// the list the watch opens with or in an event (of any type: an object seen on its way out
/// counts); returns it.
pub async fn wait_object(
    cluster: &Cluster,
    plural: &str,
    selector: &str,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    wait_object_within(cluster, plural, selector, WAIT, pred).await
}

/// [`wait_object`] with its own bound.
pub async fn wait_object_within(
    cluster: &Cluster,
    plural: &str,
    selector: &str,
    within: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let (initial, mut rx) = cluster.store.watch(filter(plural, selector), None).unwrap();
    for ev in initial {
        if pred(&ev["object"]) {
            return ev["object"].clone();
        }
    }
    tokio::time::timeout(within, async {
        loop {
            let ev = rx.recv().await.expect("watch open");
            if pred(&ev["object"]) {
                return ev["object"].clone();
            }
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no {plural} {selector} reached the state within {} s",
            within.as_secs()
        )
    })
}

/// Waits until `cond` holds, looking again at each change of `plural` in `default` (a watch);
/// past `within`, fails with `failure()`.
pub async fn wait_until(
    cluster: &Cluster,
    plural: &str,
    within: Duration,
    cond: impl Fn() -> bool,
    failure: impl FnOnce() -> String,
) {
    let (_, mut rx) = cluster.store.watch(filter(plural, ""), None).unwrap();
    let reached = tokio::time::timeout(within, async {
        while !cond() {
            rx.recv().await.expect("watch open");
        }
    })
    .await;
    if reached.is_err() {
        panic!("{}", failure());
    }
}

/// Waits (on a watch, at most [`WAIT`]) until object `name` of `plural` in `default` (`None`:
/// absent) satisfies `pred`.
pub async fn wait_named(
    cluster: &Cluster,
    plural: &str,
    name: &str,
    pred: impl Fn(Option<&Value>) -> bool,
) {
    let r = resource(plural);
    wait_until(
        cluster,
        plural,
        WAIT,
        || pred(cluster.store.get(r, "default", name).ok().as_ref()),
        || {
            format!(
                "{plural} {name} on {} did not get there within {} s",
                cluster.name,
                WAIT.as_secs()
            )
        },
    )
    .await
}

/// Waits (on a watch, at most [`WAIT`]) until pod `name` runs on `cluster`.
pub async fn wait_running(cluster: &Cluster, name: &str) {
    wait_named(cluster, "pods", name, |p| {
        p.is_some_and(|p| p["status"]["phase"] == "Running")
    })
    .await
}

/// Waits (on a watch, at most `within`) until pod `name` has ended (Succeeded or Failed).
pub async fn wait_ended(cluster: &Cluster, name: &str, within: Duration) -> Value {
    wait_object_within(cluster, "pods", "", within, |p| {
        p["metadata"]["name"] == name
            && matches!(p["status"]["phase"].as_str(), Some("Succeeded" | "Failed"))
    })
    .await
}

/// The log lines of container `container` of pod `pod` in `default`.
pub fn log(cluster: &Cluster, pod: &str, container: &str) -> Vec<String> {
    let key = ("default".into(), pod.into(), container.into());
    cluster
        .logs
        .read(&key, 0)
        .0
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}
