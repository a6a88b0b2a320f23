//! The simulated scheduler and kubelet: binds pods to nodes with room, pulls images (or fails to),
//! waits for the config maps and secrets a pod needs, runs each container's program, and writes
//! pod status as the real kubelet does (phases, container states, conditions, events). Also
//! finishes graceful deletions. Everything is driven by store watches; nothing polls.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;

use crate::cluster::Cluster;
use crate::latency::{self, Latency};
use crate::programs::{self, Exit, ProgramCtx};
use crate::quantity::{self, Milli};
use crate::quota;
use crate::selector::{FieldSelector, LabelSelector};
use crate::store::{self, WatchFilter};

fn s<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or_default()
}

fn pods_filter(res: &str, ns: Option<&str>) -> WatchFilter {
    WatchFilter {
        res_key: res.into(),
        namespace: ns.map(str::to_string),
        label: LabelSelector::default(),
        field: FieldSelector::default(),
    }
}

/// Reads, changes and writes a pod's status, retrying on conflicts. `false` if the pod is gone.
pub fn update_status(cluster: &Cluster, ns: &str, name: &str, f: impl Fn(&mut Value)) -> bool {
    let r = crate::resources::find("", "v1", "pods").expect("served");
    for _ in 0..10 {
        let Ok(mut next) = cluster.store.get(r, ns, name) else {
            return false;
        };
        if next.get("status").is_none_or(|s| !s.is_object()) {
            next["status"] = json!({});
        }
        f(&mut next["status"]);
        match cluster.store.update_shared(r, ns, name, next, true) {
            Ok(_) => return true,
            Err(e) if e.code == 409 => continue,
            Err(_) => return false,
        }
    }
    false
}

fn condition(kind: &str, status: bool, reason: Option<&str>, message: Option<&str>) -> Value {
    let mut c = json!({"type": kind, "status": if status { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": store::now()});
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

fn set_condition(status: &mut Value, c: Value) {
    let list = status
        .get_mut("conditions")
        .and_then(Value::as_array_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    let mut list: Vec<Value> = list
        .into_iter()
        .filter(|x| x["type"] != c["type"])
        .collect();
    list.push(c);
    status["conditions"] = Value::Array(list);
}

/// Records a core/v1 Event about a pod.
pub fn event(
    cluster: &Cluster,
    pod: &Value,
    kind: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    let r = crate::resources::find("", "v1", "events").expect("served");
    let ns = s(pod, "/metadata/namespace");
    let name = format!(
        "{}.{:x}",
        s(pod, "/metadata/name"),
        cluster.store.resource_version() * 7919 + 17
    );
    let now = store::now();
    let ev = json!({
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"kind": "Pod", "namespace": ns, "name": s(pod, "/metadata/name"), "uid": s(pod, "/metadata/uid"), "apiVersion": "v1"},
        "reason": reason, "message": message, "type": kind,
        "source": {"component": component},
        "firstTimestamp": now, "lastTimestamp": now, "count": 1,
        "reportingComponent": component, "reportingInstance": "",
    });
    let _ = cluster.store.create(r, ns, ev);
}

fn requests(pod: &Value) -> (Milli, Milli) {
    let u = quota::pod_usage(pod);
    (
        u.get("requests.cpu").copied().unwrap_or(0),
        u.get("requests.memory").copied().unwrap_or(0),
    )
}

/// Requests placed on each node (kept by the kubelet loop as pods are bound and end).
type NodeUsage = HashMap<String, (Milli, Milli)>;

/// The taint the node lifecycle controller puts on a node that stopped reporting
/// (`node.kubernetes.io/unreachable`, NoSchedule and NoExecute).
const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// Whether one of the pod's tolerations tolerates the taint (`v1.Toleration.ToleratesTaint`):
/// the effect matches (or is empty), the key matches (or is empty with `Exists`), and with
/// `Equal` (the default operator) the value matches.
fn tolerates(pod: &Value, taint: &Value) -> bool {
    crate::each(pod, "/spec/tolerations").any(|t| {
        let effect = s(t, "/effect");
        let key = s(t, "/key");
        let exists = s(t, "/operator") == "Exists";
        (effect.is_empty() || effect == s(taint, "/effect"))
            && (key == s(taint, "/key") || (key.is_empty() && exists))
            && (exists || s(t, "/value") == s(taint, "/value"))
    })
}

/// Why one node cannot take the pod, as the first failing filter plugin says it (kube-scheduler's
/// default order: TaintToleration, NodeAffinity, NodeResourcesFit), and whether preempting pods
/// there could help (`false` for UnschedulableAndUnresolvable). Empty when the pod fits.
fn node_misfit(
    node: &Value,
    pod: &Value,
    lost: bool,
    used: (Milli, Milli),
    want: (Milli, Milli),
) -> (Vec<String>, bool) {
    let mut taints: Vec<Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if lost && !taints.iter().any(|t| s(t, "/key") == UNREACHABLE) {
        taints.insert(0, json!({"key": UNREACHABLE, "effect": "NoSchedule"}));
    }
    // tainttoleration.Filter: the first NoSchedule/NoExecute taint the pod does not tolerate.
    if let Some(t) = taints
        .iter()
        .find(|t| matches!(s(t, "/effect"), "NoSchedule" | "NoExecute") && !tolerates(pod, t))
    {
        let reason = format!(
            "node(s) had untolerated taint {{{}: {}}}",
            s(t, "/key"),
            s(t, "/value")
        );
        return (vec![reason], false);
    }
    // nodeaffinity.Filter (spec.nodeSelector).
    let selected = pod
        .pointer("/spec/nodeSelector")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .all(|(k, v)| node.pointer("/metadata/labels").and_then(|l| l.get(k)) == Some(v));
    if !selected {
        return (
            vec!["node(s) didn't match Pod's node affinity/selector".into()],
            false,
        );
    }
    // noderesources.Fit: every insufficient resource is a reason of its own.
    let cpu = quantity::parse(s(node, "/status/allocatable/cpu")).unwrap_or(0);
    let mem = quantity::parse(s(node, "/status/allocatable/memory")).unwrap_or(0);
    let mut why = Vec::new();
    if used.0 + want.0 > cpu {
        why.push("Insufficient cpu".to_string());
    }
    if used.1 + want.1 > mem {
        why.push("Insufficient memory".to_string());
    }
    (why, true)
}

/// kube-scheduler's FitError message (`framework.FitError.Error`, v1.30+ wording): "0/N nodes are
/// available: <histogram>." then DefaultPreemption's PostFilter message "preemption: 0/N nodes
/// are available: <histogram>." Each histogram counts "<nodes> <reason>" and is sorted as
/// strings (`sort.Strings`, so "10 …" comes before "4 …"). With no lower-priority pods to evict,
/// preemption finds "No preemption victims found for incoming pod" where resources were short,
/// and "Preemption is not helpful for scheduling" where the node can never fit the pod.
fn fit_error(misfits: &[(Vec<String>, bool)]) -> String {
    let histogram = |reasons: &mut dyn Iterator<Item = String>| {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for r in reasons {
            *counts.entry(r).or_default() += 1;
        }
        let mut v: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
        v.sort();
        v.join(", ")
    };
    let n = misfits.len();
    let filter = histogram(&mut misfits.iter().flat_map(|(r, _)| r.iter().cloned()));
    let preemption = histogram(&mut misfits.iter().map(|(_, helps)| {
        if *helps {
            "No preemption victims found for incoming pod".to_string()
        } else {
            "Preemption is not helpful for scheduling".to_string()
        }
    }));
    format!(
        "0/{n} nodes are available: {filter}. preemption: 0/{n} nodes are available: {preemption}."
    )
}

/// Picks a node with room for the pod, or explains why none fits in kube-scheduler's words,
/// counting every node of the cluster.
fn schedule(cluster: &Cluster, pod: &Value, used: &NodeUsage) -> Result<String, String> {
    let nodes_r = crate::resources::find("", "v1", "nodes").expect("served");
    let (nodes, _) = cluster.store.list(
        nodes_r,
        None,
        &LabelSelector::default(),
        &FieldSelector::default(),
    );
    if nodes.is_empty() {
        // schedule_one.go: ErrNoNodesAvailable.
        return Err("no nodes available to schedule pods".into());
    }
    let want = requests(pod);
    let lost = cluster.faults.lost_nodes.borrow().clone();
    let mut misfits = Vec::new();
    for n in &nodes {
        let name = s(n, "/metadata/name");
        let misfit = node_misfit(
            n,
            pod,
            lost.contains(name),
            used.get(name).copied().unwrap_or_default(),
            want,
        );
        if misfit.0.is_empty() {
            return Ok(name.to_string());
        }
        misfits.push(misfit);
    }
    Err(fit_error(&misfits))
}

/// What a container still lacks before it can start (config maps, secrets, keys).
fn missing_config(cluster: &Cluster, pod: &Value, container: &Value) -> Option<(String, String)> {
    let ns = s(pod, "/metadata/namespace");
    let cm = crate::resources::find("", "v1", "configmaps").expect("served");
    let sec = crate::resources::find("", "v1", "secrets").expect("served");
    let get = |r, name: &str| cluster.store.get(r, ns, name).ok();
    // Volumes: the kubelet cannot mount a missing config map or secret (FailedMount).
    for v in crate::each(pod, "/spec/volumes") {
        for (source, name_key, r, what) in [
            ("configMap", "name", cm, "configmap"),
            ("secret", "secretName", sec, "secret"),
        ] {
            let Some(name) = v
                .pointer(&format!("/{source}/{name_key}"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let optional = v
                .pointer(&format!("/{source}/optional"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !optional && get(r, name).is_none() {
                return Some((
                    "ContainerCreating".into(),
                    format!(
                        "MountVolume.SetUp failed for volume \"{}\" : {what} \"{name}\" not found",
                        s(v, "/name")
                    ),
                ));
            }
        }
    }
    for e in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for (kind, r, what) in [
            ("secretKeyRef", sec, "secret"),
            ("configMapKeyRef", cm, "configmap"),
        ] {
            if let Some(sel) = e.pointer(&format!("/valueFrom/{kind}")) {
                let name = s(sel, "/name");
                let key = s(sel, "/key");
                if sel.get("optional").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                match get(r, name) {
                    None => {
                        return Some((
                            "CreateContainerConfigError".into(),
                            format!("{what} \"{name}\" not found"),
                        ));
                    }
                    Some(obj) => {
                        let has = obj.pointer(&format!("/data/{key}")).is_some()
                            || obj.pointer(&format!("/binaryData/{key}")).is_some();
                        if !has {
                            let label = if what == "secret" {
                                "Secret"
                            } else {
                                "ConfigMap"
                            };
                            return Some((
                                "CreateContainerConfigError".into(),
                                format!("couldn't find key {key} in {label} {ns}/{name}"),
                            ));
                        }
                    }
                }
            }
        }
    }
    None
}

/// The env a container sees (plain values, secret and config map references, downward API).
pub fn container_env(
    cluster: &Cluster,
    pod: &Value,
    container: &Value,
) -> BTreeMap<String, String> {
    let ns = s(pod, "/metadata/namespace");
    let mut env = BTreeMap::new();
    for e in container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = s(e, "/name").to_string();
        let value = if let Some(v) = e.get("value").and_then(Value::as_str) {
            v.to_string()
        } else if let Some(sel) = e.pointer("/valueFrom/secretKeyRef") {
            key_ref(cluster, ns, "secrets", sel, programs::b64_decode)
        } else if let Some(sel) = e.pointer("/valueFrom/configMapKeyRef") {
            key_ref(cluster, ns, "configmaps", sel, str::to_string)
        } else if let Some(path) = e
            .pointer("/valueFrom/fieldRef/fieldPath")
            .and_then(Value::as_str)
        {
            let latest = crate::resources::find("", "v1", "pods")
                .and_then(|r| cluster.store.get(r, ns, s(pod, "/metadata/name")).ok())
                .unwrap_or_else(|| pod.clone());
            match path {
                "metadata.namespace" => ns.to_string(),
                "metadata.name" => s(pod, "/metadata/name").to_string(),
                "status.podIP" => s(&latest, "/status/podIP").to_string(),
                "spec.nodeName" => s(&latest, "/spec/nodeName").to_string(),
                _ => String::new(),
            }
        } else {
            String::new()
        };
        env.insert(name, value);
    }
    env
}

/// One key of a Secret or ConfigMap (`secretKeyRef`, `configMapKeyRef`), decoded by `value`;
/// empty when the object or key is missing.
fn key_ref(
    cluster: &Cluster,
    ns: &str,
    resource: &str,
    sel: &Value,
    value: fn(&str) -> String,
) -> String {
    let r = crate::resources::find("", "v1", resource).expect("served");
    cluster
        .store
        .get(r, ns, s(sel, "/name"))
        .ok()
        .and_then(|o| {
            o.pointer(&format!("/data/{}", s(sel, "/key")))
                .and_then(Value::as_str)
                .map(value)
        })
        .unwrap_or_default()
}

/// A container's status before it runs.
fn status_of(c: &Value, state: Value, ready: bool) -> Value {
    json!({"name": c["name"], "image": c["image"], "imageID": "", "ready": ready,
           "restartCount": 0, "started": ready, "state": state})
}

/// A `waiting` container state.
fn waiting(reason: &str, message: Option<&str>) -> Value {
    let mut w = json!({"reason": reason});
    if let Some(m) = message {
        w["message"] = json!(m);
    }
    json!({"waiting": w})
}

/// The pod's containers waiting: those of `image` for `reason` with `message`, the others in
/// ContainerCreating.
fn image_waiting(
    cluster: &Cluster,
    ns: &str,
    name: &str,
    containers: &[Value],
    image: &str,
    reason: &str,
    message: &str,
) {
    update_status(cluster, ns, name, |st| {
        st["containerStatuses"] = Value::Array(
            containers
                .iter()
                .map(|c| {
                    if s(c, "/image") == image {
                        status_of(c, waiting(reason, Some(message)), false)
                    } else {
                        status_of(c, waiting("ContainerCreating", None), false)
                    }
                })
                .collect(),
        );
    });
}

fn container_id(seed: u64) -> String {
    format!(
        "containerd://{:064x}",
        u128::from(seed) * 0x9e37_79b9_7f4a_7c15_u128
    )
}

/// Runs one pod: waits the scheduling delay (realistic profile), binds it, then runs it to its
/// end. `stop` turns true when the pod is being deleted.
async fn run_pod(
    cluster: Arc<Cluster>,
    pod: Value,
    node: String,
    mut stop: watch::Receiver<bool>,
    start_delay: Duration,
    latency: Option<Arc<Latency>>,
) {
    if let Some(l) = &latency {
        tokio::select! {
            _ = tokio::time::sleep(l.scheduling()) => {}
            _ = stop.wait_for(|s| *s) => {
                finish_delete(&cluster, s(&pod, "/metadata/namespace"), s(&pod, "/metadata/name"));
                return;
            }
        }
        if !bind(&cluster, &pod, &node) {
            return;
        }
    }
    let ns = s(&pod, "/metadata/namespace").to_string();
    let name = s(&pod, "/metadata/name").to_string();
    let seq = cluster.store.resource_version();
    let ip = format!("10.244.{}.{}", (seq / 250) % 250, seq % 250 + 2);
    let containers: Vec<Value> = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let inits: Vec<Value> = pod
        .pointer("/spec/initContainers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let first_wait = if inits.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    update_status(&cluster, &ns, &name, |st| {
        set_condition(st, condition("PodScheduled", true, None, None));
        if inits.is_empty() {
            set_condition(st, condition("Initialized", true, None, None));
        } else {
            st["initContainerStatuses"] = Value::Array(
                inits
                    .iter()
                    .map(|c| status_of(c, waiting("PodInitializing", None), false))
                    .collect(),
            );
        }
        set_condition(
            st,
            condition(
                "Ready",
                false,
                Some("ContainersNotReady"),
                Some("containers with unready status"),
            ),
        );
        st["hostIP"] = json!("172.18.0.2");
        st["podIP"] = json!(ip);
        st["podIPs"] = json!([{"ip": ip}]);
        st["startTime"] = json!(store::now());
        st["containerStatuses"] = Value::Array(
            containers
                .iter()
                .map(|c| status_of(c, waiting(first_wait, None), false))
                .collect(),
        );
    });
    event(
        &cluster,
        &pod,
        "Normal",
        "Scheduled",
        &format!("Successfully assigned {ns}/{name} to {node}"),
        "default-scheduler",
    );

    // Images.
    if let Some(bad) = containers
        .iter()
        .find(|c| s(c, "/image").contains("does-not-exist"))
    {
        let image = s(bad, "/image").to_string();
        let msg = format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"
        );
        let pull_failed = |reason: &str, message: &str| {
            image_waiting(&cluster, &ns, &name, &containers, &image, reason, message)
        };
        pull_failed("ErrImagePull", &msg);
        event(
            &cluster,
            &pod,
            "Warning",
            "Failed",
            &format!("Failed to pull image \"{image}\": {msg}"),
            "kubelet",
        );
        tokio::select! {
            _ = tokio::time::sleep(start_delay.max(Duration::from_millis(200))) => {}
            _ = stop.changed() => {}
        }
        let backoff = format!("Back-off pulling image \"{image}\"");
        pull_failed("ImagePullBackOff", &backoff);
        event(&cluster, &pod, "Warning", "BackOff", &backoff, "kubelet");
        // Stays Pending until deleted.
        let _ = stop.wait_for(|s| *s).await;
        finish_delete(&cluster, &ns, &name);
        return;
    }

    // Config maps and secrets: wait (watch-driven) until what the pod needs exists. Most pods
    // lack nothing and open no watch; the loop checks again once its watches are open.
    if containers
        .iter()
        .any(|c| missing_config(&cluster, &pod, c).is_some())
    {
        let (_, mut cm_rx) = match cluster.store.watch(
            pods_filter("configmaps", Some(&ns)),
            Some(cluster.store.resource_version()),
        ) {
            Ok(w) => w,
            Err(_) => return,
        };
        let (_, mut sec_rx) = match cluster.store.watch(
            pods_filter("secrets", Some(&ns)),
            Some(cluster.store.resource_version()),
        ) {
            Ok(w) => w,
            Err(_) => return,
        };
        let mut last_reason = String::new();
        loop {
            let missing = containers
                .iter()
                .find_map(|c| missing_config(&cluster, &pod, c).map(|m| (c.clone(), m)));
            let Some((c, (reason, message))) = missing else {
                break;
            };
            if message != last_reason {
                let cname = s(&c, "/name").to_string();
                update_status(&cluster, &ns, &name, |st| {
                    st["containerStatuses"] = Value::Array(
                        containers
                            .iter()
                            .map(|x| {
                                if s(x, "/name") == cname && reason != "ContainerCreating" {
                                    status_of(x, waiting(&reason, Some(&message)), false)
                                } else {
                                    status_of(x, waiting("ContainerCreating", None), false)
                                }
                            })
                            .collect(),
                    );
                });
                let ev_reason = if reason == "ContainerCreating" {
                    "FailedMount"
                } else {
                    "Failed"
                };
                event(&cluster, &pod, "Warning", ev_reason, &message, "kubelet");
                last_reason = message;
            }
            tokio::select! {
                _ = cm_rx.recv() => {}
                _ = sec_rx.recv() => {}
                _ = stop.changed() => {
                    finish_delete(&cluster, &ns, &name);
                    return;
                }
            }
        }
        drop((cm_rx, sec_rx));
    }

    // The realistic profile pulls the images, then the runtime creates and starts the containers.
    let start_delay = match &latency {
        Some(l) => {
            if !pull_images(&cluster, &pod, &node, l, &mut stop).await {
                finish_delete(&cluster, &ns, &name);
                return;
            }
            l.container_start()
        }
        None => start_delay,
    };
    tokio::select! {
        _ = tokio::time::sleep(start_delay) => {}
        _ = stop.changed() => {
            finish_delete(&cluster, &ns, &name);
            return;
        }
    }
    // Init containers, one after the other; a failing one fails the pod (restartPolicy Never).
    if !inits.is_empty()
        && !run_init_containers(&cluster, &pod, &inits, &containers, &mut stop, seq).await
    {
        let _ = stop.wait_for(|s| *s).await;
        finish_delete(&cluster, &ns, &name);
        return;
    }
    // Output and input exist before the pod shows Running, so an attach never misses them.
    let mut stdins: Vec<_> = containers
        .iter()
        .map(|c| {
            let key = (ns.clone(), name.clone(), s(c, "/name").to_string());
            cluster.logs.reset(&key);
            (c.get("stdin") == Some(&Value::Bool(true))).then(|| cluster.stdin.open(&key))
        })
        .collect();
    let started = store::now();
    let ids: Vec<String> = (0..containers.len())
        .map(|i| container_id(seq * 31 + i as u64))
        .collect();
    update_status(&cluster, &ns, &name, |st| {
        st["phase"] = json!("Running");
        set_condition(st, condition("ContainersReady", true, None, None));
        set_condition(st, condition("Ready", true, None, None));
        st["containerStatuses"] = Value::Array(
            containers
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut cs = status_of(c, json!({"running": {"startedAt": started}}), true);
                    cs["containerID"] = json!(ids[i]);
                    cs
                })
                .collect(),
        );
    });
    for c in &containers {
        event(
            &cluster,
            &pod,
            "Normal",
            "Started",
            &format!("Started container {}", s(c, "/name")),
            "kubelet",
        );
    }

    // Run every container's program.
    // The programs stop when the pod is deleted or its node is lost.
    let (kill_tx, kill_rx) = watch::channel(false);
    let mut handles = Vec::new();
    for (c, stdin) in containers.iter().zip(stdins.drain(..)) {
        let key = (ns.clone(), name.clone(), s(c, "/name").to_string());
        let ctx = ProgramCtx {
            stdin,
            cluster: cluster.clone(),
            pod: pod.clone(),
            container: c.clone(),
            env: container_env(&cluster, &pod, c),
            log_key: key,
            stop: kill_rx.clone(),
            latency: latency.clone(),
        };
        // The JVM spark-submit's start-up, before its first request (realistic profile).
        let jvm = match &latency {
            Some(l) if runs_spark_submit(c) => l.spark_submit_jvm(),
            _ => Duration::ZERO,
        };
        let mut killed = kill_rx.clone();
        handles.push(tokio::spawn(async move {
            if !jvm.is_zero() {
                tokio::select! {
                    _ = tokio::time::sleep(jvm) => {}
                    _ = killed.wait_for(|k| *k) => {
                        return Exit { code: 143, reason: "Error", message: None };
                    }
                }
            }
            programs::run(ctx).await
        }));
    }
    let programs = tokio::spawn(async move {
        let mut exits = Vec::new();
        for h in handles {
            exits.push(h.await.unwrap_or(Exit {
                code: 1,
                reason: "Error",
                message: None,
            }));
        }
        exits
    });
    tokio::pin!(programs);
    let mut lost = cluster.faults.lost_nodes.subscribe();
    let (mut killed, mut node_lost) = (false, false);
    let exits = loop {
        tokio::select! {
            done = &mut programs => break done.unwrap_or_default(),
            _ = async { let _ = stop.wait_for(|s| *s).await; }, if !killed => {
                killed = true;
                kill_tx.send_replace(true);
            }
            _ = async { let _ = lost.wait_for(|l| l.contains(&node)).await; }, if !killed => {
                killed = true;
                node_lost = true;
                kill_tx.send_replace(true);
            }
        }
    };
    if node_lost {
        // Nobody hears from the kubelet again: the containers' last statuses stay as they were.
        let message = format!("Node {node} which was running pod {name} is unresponsive");
        update_status(&cluster, &ns, &name, |st| {
            st["phase"] = json!("Failed");
            st["reason"] = json!("NodeLost");
            st["message"] = json!(message);
            set_condition(st, condition("Ready", false, Some("NodeLost"), None));
        });
        for c in &containers {
            let key = (ns.clone(), name.clone(), s(c, "/name").to_string());
            cluster.stdin.end(&key);
            cluster.logs.close(&key);
        }
        let _ = stop.wait_for(|s| *s).await;
        finish_delete(&cluster, &ns, &name);
        return;
    }
    for c in &containers {
        let key = (ns.clone(), name.clone(), s(c, "/name").to_string());
        cluster.stdin.end(&key);
        cluster.logs.close(&key);
    }
    let finished = store::now();
    let failed = exits.iter().any(|e| e.code != 0);
    update_status(&cluster, &ns, &name, |st| {
        st["phase"] = json!(if failed { "Failed" } else { "Succeeded" });
        set_condition(
            st,
            condition("ContainersReady", false, Some("PodCompleted"), None),
        );
        set_condition(st, condition("Ready", false, Some("PodCompleted"), None));
        st["containerStatuses"] = Value::Array(containers.iter().zip(&exits).enumerate().map(|(i, (c, e))| {
            let mut t = json!({"exitCode": e.code, "reason": e.reason, "startedAt": started, "finishedAt": finished, "containerID": ids[i]});
            if let Some(m) = &e.message {
                t["message"] = json!(m);
            }
            let mut cs = status_of(c, json!({"terminated": t}), false);
            cs["containerID"] = json!(ids[i]);
            cs
        }).collect());
    });
    if *stop.borrow() {
        finish_delete(&cluster, &ns, &name);
    } else {
        // A terminal pod that is deleted later goes at once (grace forced to 0).
        let _ = stop.wait_for(|s| *s).await;
        finish_delete(&cluster, &ns, &name);
    }
}

/// Whether the container runs `spark-submit` (its command, else its first arg, by base name).
fn runs_spark_submit(container: &Value) -> bool {
    let first = ["/command/0", "/args/0"]
        .iter()
        .find_map(|p| container.pointer(p).and_then(Value::as_str))
        .unwrap_or_default();
    first.rsplit('/').next() == Some("spark-submit")
}

/// Pulls the pod's images (init containers first), one after the other as the kubelet's serial
/// puller does, with its events (`pkg/kubelet/images/image_manager.go`, `EnsureImageExists`):
/// `Pulling image "X"`, then `Successfully pulled image "X" in 1.234s (1.234s including
/// waiting). Image size: N bytes.`; with `IfNotPresent` and the image on the node, no pull:
/// `Container image "X" already present on machine`. `false` if the pod was deleted meanwhile.
async fn pull_images(
    cluster: &Cluster,
    pod: &Value,
    node: &str,
    latency: &Latency,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    let mut images: Vec<(String, String)> = Vec::new();
    for list in ["/spec/initContainers", "/spec/containers"] {
        for c in crate::each(pod, list) {
            let image = s(c, "/image").to_string();
            if !images.iter().any(|(i, _)| *i == image) {
                images.push((image, s(c, "/imagePullPolicy").to_string()));
            }
        }
    }
    for (image, policy) in &images {
        let image = image.as_str();
        if policy == "Never" || (policy == "IfNotPresent" && latency.present(node, image)) {
            let msg = format!("Container image \"{image}\" already present on machine");
            event(cluster, pod, "Normal", "Pulled", &msg, "kubelet");
            continue;
        }
        event(
            cluster,
            pod,
            "Normal",
            "Pulling",
            &format!("Pulling image \"{image}\""),
            "kubelet",
        );
        let pull = latency.pull(node, image, std::time::Instant::now());
        tokio::select! {
            _ = tokio::time::sleep(pull.waiting + pull.pulling) => {}
            _ = stop.changed() => return false,
        }
        let msg = format!(
            "Successfully pulled image \"{image}\" in {} ({} including waiting). Image size: {} bytes.",
            latency::go_duration(pull.pulling),
            latency::go_duration(pull.waiting + pull.pulling),
            latency::image_size(image)
        );
        event(cluster, pod, "Normal", "Pulled", &msg, "kubelet");
    }
    true
}

/// Runs the pod's init containers in order; `false` when one failed or the pod was deleted.
async fn run_init_containers(
    cluster: &Arc<Cluster>,
    pod: &Value,
    inits: &[Value],
    containers: &[Value],
    stop: &mut watch::Receiver<bool>,
    seq: u64,
) -> bool {
    let ns = s(pod, "/metadata/namespace").to_string();
    let name = s(pod, "/metadata/name").to_string();
    let status_of = |c: &Value, state: Value, id: Option<&str>| {
        let mut cs = json!({"name": c["name"], "image": c["image"], "imageID": "", "ready": false, "restartCount": 0, "started": state.get("running").is_some(), "state": state});
        if let Some(id) = id {
            cs["containerID"] = json!(id);
        }
        cs
    };
    let pending = json!({"waiting": {"reason": "PodInitializing"}});
    let mut done: Vec<Value> = Vec::new();
    for (i, c) in inits.iter().enumerate() {
        let cname = s(c, "/name").to_string();
        let key = (ns.clone(), name.clone(), cname.clone());
        cluster.logs.reset(&key);
        let stdin = (c.get("stdin") == Some(&Value::Bool(true))).then(|| cluster.stdin.open(&key));
        let id = container_id(seq * 31 + 1000 + i as u64);
        let started = store::now();
        let incomplete: Vec<&str> = inits[i..].iter().map(|x| s(x, "/name")).collect();
        let show = |st: &mut Value, current: Value| {
            let mut all = done.clone();
            all.push(status_of(c, current, Some(&id)));
            all.extend(
                inits[i + 1..]
                    .iter()
                    .map(|x| status_of(x, pending.clone(), None)),
            );
            st["initContainerStatuses"] = Value::Array(all);
            st["containerStatuses"] = Value::Array(
                containers
                    .iter()
                    .map(|x| status_of(x, pending.clone(), None))
                    .collect(),
            );
        };
        update_status(cluster, &ns, &name, |st| {
            set_condition(
                st,
                condition(
                    "Initialized",
                    false,
                    Some("ContainersNotInitialized"),
                    Some(&format!(
                        "containers with incomplete status: [{}]",
                        incomplete.join(" ")
                    )),
                ),
            );
            show(st, json!({"running": {"startedAt": started}}));
        });
        event(
            cluster,
            pod,
            "Normal",
            "Started",
            &format!("Started container {cname}"),
            "kubelet",
        );
        let (kill_tx, kill_rx) = watch::channel(false);
        let ctx = ProgramCtx {
            stdin,
            cluster: cluster.clone(),
            pod: pod.clone(),
            container: c.clone(),
            env: container_env(cluster, pod, c),
            log_key: key.clone(),
            stop: kill_rx,
            latency: None,
        };
        let mut program = tokio::spawn(programs::run(ctx));
        let exit = tokio::select! {
            e = &mut program => e.unwrap_or(Exit { code: 1, reason: "Error", message: None }),
            _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                kill_tx.send_replace(true);
                let _ = program.await;
                cluster.stdin.end(&key);
                cluster.logs.close(&key);
                return false;
            }
        };
        cluster.stdin.end(&key);
        cluster.logs.close(&key);
        let t = json!({"terminated": {"exitCode": exit.code, "reason": exit.reason, "startedAt": started, "finishedAt": store::now(), "containerID": id}});
        if exit.code != 0 {
            update_status(cluster, &ns, &name, |st| {
                st["phase"] = json!("Failed");
                show(st, t.clone());
            });
            return false;
        }
        done.push(status_of(c, t, Some(&id)));
    }
    update_status(cluster, &ns, &name, |st| {
        set_condition(st, condition("Initialized", true, None, None));
        st["initContainerStatuses"] = Value::Array(done.clone());
    });
    true
}

/// Declares a node lost: it reports `Ready=Unknown`, its pods fail with `NodeLost`, and the
/// scheduler places nothing more there. `false` if there is no such node.
pub fn lose_node(cluster: &Cluster, node: &str) -> bool {
    let r = crate::resources::find("", "v1", "nodes").expect("served");
    let Ok(mut n) = cluster.store.get(r, "", node) else {
        return false;
    };
    n["status"]["conditions"] = json!([{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status."}]);
    // The node lifecycle controller's taints for an unreachable node.
    let now = store::now();
    n["spec"]["taints"] = json!([
        {"key": UNREACHABLE, "effect": "NoSchedule", "timeAdded": now},
        {"key": UNREACHABLE, "effect": "NoExecute", "timeAdded": now}
    ]);
    // Spec (taints) and status (conditions) in one write, as nodes take their status from it.
    let _ = cluster.store.update_shared(r, "", node, n, false);
    cluster.faults.lost_nodes.send_modify(|l| {
        l.insert(node.to_string());
    });
    true
}

/// Gives a pod's requests back to its node (once).
fn release(usage: &mut NodeUsage, placed: &mut HashMap<String, (String, Milli, Milli)>, uid: &str) {
    if let Some((node, cpu, mem)) = placed.remove(uid)
        && let Some(e) = usage.get_mut(&node)
    {
        e.0 -= cpu;
        e.1 -= mem;
    }
}

/// Sets `spec.nodeName`; `false` when the pod is gone.
fn bind(cluster: &Cluster, pod: &Value, node: &str) -> bool {
    let (ns, name) = (s(pod, "/metadata/namespace"), s(pod, "/metadata/name"));
    cluster.store.bind(ns, name, node)
}

/// Removes a pod whose deletion was requested (the kubelet's final delete with grace 0).
fn finish_delete(cluster: &Cluster, ns: &str, name: &str) {
    let r = crate::resources::find("", "v1", "pods").expect("served");
    if let Ok(p) = cluster.store.get(r, ns, name)
        && p.pointer("/metadata/deletionTimestamp").is_some()
    {
        cluster.files.remove_pod(ns, name);
        let _ = cluster.store.delete(r, ns, name, Some(0));
    }
}

/// Settings of the simulated nodes and kubelet.
#[derive(Clone, Debug)]
pub struct KubeletConfig {
    /// Nodes as (cpu, memory) allocatable.
    pub nodes: Vec<(String, String)>,
    /// ContainerCreating → Running (the instant profile).
    pub start_delay: Duration,
    /// The realistic latency profile (`None`: instant).
    pub latency: Option<latency::Profile>,
}

impl Default for KubeletConfig {
    fn default() -> Self {
        KubeletConfig {
            nodes: vec![("16".into(), "64Gi".into()); 4],
            start_delay: Duration::from_millis(50),
            latency: None,
        }
    }
}

/// Creates the nodes and runs the scheduler/kubelet loop until `shutdown` turns true.
pub async fn run(
    cluster: Arc<Cluster>,
    config: KubeletConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let nodes_r = crate::resources::find("", "v1", "nodes").expect("served");
    for (i, (cpu, mem)) in config.nodes.iter().enumerate() {
        // The address and node info a kubelet reports (`kubectl get nodes` prints VERSION and,
        // with `-o wide`, INTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME from them).
        let node = json!({"metadata": {"name": format!("{}-node-{}", cluster.name, i + 1), "labels": {"kubernetes.io/os": "linux"}},
            "status": {"capacity": {"cpu": cpu, "memory": mem, "pods": "110"}, "allocatable": {"cpu": cpu, "memory": mem, "pods": "110"},
                       "addresses": [{"type": "InternalIP", "address": format!("172.18.0.{}", i + 2)}, {"type": "Hostname", "address": format!("{}-node-{}", cluster.name, i + 1)}],
                       "nodeInfo": {"kubeletVersion": "v1.32.4", "kubeProxyVersion": "", "osImage": "kubesim", "kernelVersion": "6.1.0",
                                    "containerRuntimeVersion": "containerd://1.7.24", "operatingSystem": "linux", "architecture": "amd64",
                                    "machineID": "", "systemUUID": "", "bootID": ""},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}]}});
        let _ = cluster.store.create(nodes_r, "", node);
    }
    let Ok((initial, mut rx)) = cluster.store.watch(pods_filter("pods", None), None) else {
        return;
    };
    // uid → the running pod's stop switch.
    let mut running: HashMap<String, watch::Sender<bool>> = HashMap::new();
    let mut unschedulable: HashSet<String> = HashSet::new();
    let mut usage: NodeUsage = HashMap::new();
    let mut placed: HashMap<String, (String, Milli, Milli)> = HashMap::new();
    let mut pending: Vec<Value> = Vec::new();
    let latency = config.latency.clone().map(|p| Arc::new(Latency::new(p)));
    let mut events = initial
        .into_iter()
        .collect::<std::collections::VecDeque<_>>();
    loop {
        let ev = match events.pop_front() {
            Some(e) => e,
            None => tokio::select! {
                e = rx.recv() => match e { Some(e) => e, None => return },
                _ = shutdown.changed() => {
                    for tx in running.values() { let _ = tx.send(true); }
                    return;
                }
            },
        };
        let pod = &ev["object"];
        let uid = s(pod, "/metadata/uid").to_string();
        let kind = ev["type"].as_str().unwrap_or_default();
        let mut retry = false;
        let mut newly = false;
        if kind == "DELETED" || quota::is_terminal(pod) {
            release(&mut usage, &mut placed, &uid);
        }
        if kind == "DELETED" {
            if let Some(tx) = running.remove(&uid) {
                let _ = tx.send(true);
            }
            pending.retain(|p| s(p, "/metadata/uid") != uid);
            retry = true;
        } else if pod.pointer("/metadata/deletionTimestamp").is_some() {
            match running.get(&uid) {
                Some(tx) => {
                    let _ = tx.send(true);
                }
                None => finish_delete(
                    &cluster,
                    s(pod, "/metadata/namespace"),
                    s(pod, "/metadata/name"),
                ),
            }
            pending.retain(|p| s(p, "/metadata/uid") != uid);
        } else if quota::is_terminal(pod) {
            retry = true;
        } else if !running.contains_key(&uid)
            && s(pod, "/spec/nodeName").is_empty()
            && !pending.iter().any(|p| s(p, "/metadata/uid") == uid)
        {
            pending.push(pod.clone());
            newly = true;
        }
        // A new pod is tried alone; everything waiting is retried only when room may have
        // freed up (a pod ended or went away).
        let to_try: Vec<Value> = if retry {
            std::mem::take(&mut pending)
        } else if newly {
            pending.pop().into_iter().collect()
        } else {
            Vec::new()
        };
        if !to_try.is_empty() {
            let mut still = Vec::new();
            for p in to_try {
                let puid = s(&p, "/metadata/uid").to_string();
                match schedule(&cluster, &p, &usage) {
                    Ok(node) => {
                        // Bind here, so the next decision sees this pod on its node; with a
                        // latency profile the node is reserved here and bound after the
                        // scheduling delay.
                        if latency.is_none() && !bind(&cluster, &p, &node) {
                            continue;
                        }
                        let (cpu, mem) = requests(&p);
                        let e = usage.entry(node.clone()).or_default();
                        e.0 += cpu;
                        e.1 += mem;
                        placed.insert(puid.clone(), (node.clone(), cpu, mem));
                        let (tx, rx_stop) = watch::channel(false);
                        running.insert(puid.clone(), tx);
                        unschedulable.remove(&puid);
                        tokio::spawn(run_pod(
                            cluster.clone(),
                            p,
                            node,
                            rx_stop,
                            config.start_delay,
                            latency.clone(),
                        ));
                    }
                    Err(why) => {
                        if unschedulable.insert(puid) {
                            let ns = s(&p, "/metadata/namespace").to_string();
                            let name = s(&p, "/metadata/name").to_string();
                            update_status(&cluster, &ns, &name, |st| {
                                set_condition(
                                    st,
                                    condition(
                                        "PodScheduled",
                                        false,
                                        Some("Unschedulable"),
                                        Some(&why),
                                    ),
                                )
                            });
                            event(
                                &cluster,
                                &p,
                                "Warning",
                                "FailedScheduling",
                                &why,
                                "default-scheduler",
                            );
                        }
                        still.push(p);
                    }
                }
            }
            pending.extend(still);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn misfit(reasons: &[&str], helps: bool) -> (Vec<String>, bool) {
        (reasons.iter().map(|r| r.to_string()).collect(), helps)
    }

    /// The message of kubernetes/kubernetes#123301 (11 nodes, some short of both resources), as
    /// kube-scheduler ≥ 1.30 writes it (`FitError.Error` in pkg/scheduler/framework/types.go, no
    /// doubled period since 1.30): histogram entries sorted as strings, "10 …" before "4 …".
    #[test]
    fn fit_error_counts_every_node_and_sorts_like_the_scheduler() {
        let mut nodes = vec![misfit(&["Insufficient memory"], true); 7];
        nodes.extend(vec![
            misfit(
                &["Insufficient cpu", "Insufficient memory"],
                true
            );
            3
        ]);
        nodes.push(misfit(&["Insufficient cpu"], true));
        assert_eq!(
            fit_error(&nodes),
            "0/11 nodes are available: 10 Insufficient memory, 4 Insufficient cpu. preemption: 0/11 nodes are available: 11 No preemption victims found for incoming pod."
        );
    }

    #[test]
    fn taints_and_tolerations() {
        let taint = json!({"key": UNREACHABLE, "effect": "NoSchedule"});
        let with = |t: Value| json!({"spec": {"tolerations": [t]}});
        assert!(!tolerates(&json!({"spec": {}}), &taint));
        assert!(tolerates(
            &with(json!({"key": UNREACHABLE, "operator": "Exists"})),
            &taint
        ));
        assert!(tolerates(&with(json!({"operator": "Exists"})), &taint));
        assert!(!tolerates(
            &with(json!({"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute"})),
            &taint
        ));
        assert!(tolerates(&with(json!({"key": UNREACHABLE})), &taint));
        assert!(!tolerates(
            &with(json!({"key": UNREACHABLE, "value": "x"})),
            &taint
        ));
    }
}
