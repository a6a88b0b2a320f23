//! Helpers shared by kubesim's integration tests (each test file uses a subset).
#![allow(dead_code)] // every test crate compiles this module, and none uses all of it

pub mod channels;

use std::time::Duration;

use kubesim::Sim;
use kubesim::resources;
use kubesim::selector::{FieldSelector, LabelSelector};
use kubesim::store::WatchFilter;
use serde_json::{Value, json};

pub fn pods() -> &'static kubesim::resources::Resource {
    resources::find("", "v1", "pods").unwrap()
}

/// Waits (on a watch, not a timer) until the pod satisfies `pred`; returns it.
pub async fn wait_pod(sim: &Sim, name: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let store = &sim.clusters[0].store;
    let filter = WatchFilter {
        res_key: "pods".into(),
        namespace: Some("default".into()),
        label: LabelSelector::default(),
        field: FieldSelector::parse("pods", &format!("metadata.name={name}")).unwrap(),
    };
    let (initial, mut rx) = store.watch(filter, None).unwrap();
    // Already gone when the watch opened: that is the "deleted" state.
    if initial.is_empty() && pred(&json!({"deleted": true})) {
        return json!({"deleted": true});
    }
    for ev in initial {
        if pred(&ev["object"]) {
            return ev["object"].clone();
        }
    }
    let deadline = tokio::time::sleep(Duration::from_secs(20));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            ev = rx.recv() => {
                let ev = ev.expect("watch open");
                if pred(&ev["object"]) || (ev["type"] == "DELETED" && pred(&json!({"deleted": true}))) {
                    return ev["object"].clone();
                }
            }
            _ = &mut deadline => {
                let now = store.get(pods(), "default", name).ok();
                panic!("pod {name} never reached the state; now {now:#?}");
            }
        }
    }
}

pub fn phase(p: &Value) -> &str {
    p.pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub fn create(sim: &Sim, pod: Value) -> Value {
    sim.clusters[0]
        .store
        .create(pods(), "default", pod)
        .unwrap()
}

pub fn log(sim: &Sim, pod: &str, container: &str) -> String {
    let (lines, _) = sim.clusters[0]
        .logs
        .read(&("default".into(), pod.into(), container.into()), 0);
    lines.into_iter().map(|(_, l)| l).collect()
}

/// The executor pods in `default` (`spark-role=executor`).
pub fn executors(sim: &Sim) -> Vec<Value> {
    sim.clusters[0]
        .store
        .list(
            pods(),
            Some("default"),
            &LabelSelector::parse("spark-role=executor").unwrap(),
            &FieldSelector::default(),
        )
        .0
}
