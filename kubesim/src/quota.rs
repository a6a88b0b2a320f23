//! ResourceQuota admission for pods, as kube-apiserver's quota plugin and pod evaluator do it:
//! usage arithmetic, scopes, the "must specify" check, the "exceeded quota" 403, `status.used`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::quantity::{self, Milli};
use crate::status::{self, ApiError};

/// Whether a pod no longer holds compute quota (Succeeded or Failed).
pub fn is_terminal(pod: &Value) -> bool {
    matches!(
        pod.pointer("/status/phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    )
}

fn container_resources(c: &Value, kind: &str) -> BTreeMap<String, Milli> {
    let mut out = BTreeMap::new();
    if let Some(map) = c
        .pointer(&format!("/resources/{kind}"))
        .and_then(Value::as_object)
    {
        for (k, v) in map {
            if let Some(q) = v
                .as_str()
                .and_then(quantity::parse)
                .or_else(|| v.as_i64().map(|n| Milli::from(n) * 1000))
            {
                out.insert(k.clone(), q);
            }
        }
    }
    out
}

/// Effective requests: a container's limits default its missing requests (API defaulting).
fn effective_requests(c: &Value) -> BTreeMap<String, Milli> {
    let mut req = container_resources(c, "requests");
    for (k, v) in container_resources(c, "limits") {
        req.entry(k).or_insert(v);
    }
    req
}

/// max(Σ regular containers, max over init containers), per resource name.
fn aggregate(
    pod: &Value,
    f: impl Fn(&Value) -> BTreeMap<String, Milli>,
) -> BTreeMap<String, Milli> {
    let containers = |key: &str| {
        pod.pointer(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(&f)
    };
    let mut sum: BTreeMap<String, Milli> = BTreeMap::new();
    for (k, v) in containers("containers") {
        *sum.entry(k).or_default() += v;
    }
    for (k, v) in containers("initContainers") {
        let e = sum.entry(k).or_default();
        *e = (*e).max(v);
    }
    sum
}

/// What one pod adds to each quota resource name.
pub fn pod_usage(pod: &Value) -> BTreeMap<String, Milli> {
    let mut usage = BTreeMap::new();
    usage.insert("count/pods".to_string(), 1000);
    if is_terminal(pod) {
        return usage;
    }
    usage.insert("pods".to_string(), 1000);
    for (k, v) in aggregate(pod, effective_requests) {
        if k == "cpu" || k == "memory" || k == "ephemeral-storage" {
            usage.insert(k.clone(), v);
        }
        usage.insert(format!("requests.{k}"), v);
    }
    for (k, v) in aggregate(pod, |c| container_resources(c, "limits")) {
        usage.insert(format!("limits.{k}"), v);
    }
    usage
}

/// Whether `quota` applies to `pod` (its scopes and scope selector, ANDed).
pub fn matches_scopes(quota: &Value, pod: &Value) -> bool {
    let best_effort = {
        let cs = pod.pointer("/spec/containers").and_then(Value::as_array);
        cs.into_iter().flatten().all(|c| {
            container_resources(c, "requests").is_empty()
                && container_resources(c, "limits").is_empty()
        })
    };
    let terminating = pod
        .pointer("/spec/activeDeadlineSeconds")
        .and_then(Value::as_i64)
        .is_some_and(|d| d >= 0);
    let priority = pod
        .pointer("/spec/priorityClassName")
        .and_then(Value::as_str);
    let scope_ok = |name: &str, op: &str, values: &[String]| match name {
        "Terminating" => terminating,
        "NotTerminating" => !terminating,
        "BestEffort" => best_effort,
        "NotBestEffort" => !best_effort,
        "PriorityClass" => match op {
            "In" => priority.is_some_and(|p| values.iter().any(|v| v == p)),
            "NotIn" => priority.is_none_or(|p| !values.iter().any(|v| v == p)),
            "Exists" => priority.is_some(),
            "DoesNotExist" => priority.is_none(),
            _ => false,
        },
        _ => true,
    };
    let scopes = crate::each(quota, "/spec/scopes")
        .filter_map(Value::as_str)
        .all(|s| scope_ok(s, "Exists", &[]));
    let selector = crate::each(quota, "/spec/scopeSelector/matchExpressions").all(|e| {
        let values: Vec<String> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        scope_ok(
            e["scopeName"].as_str().unwrap_or_default(),
            e["operator"].as_str().unwrap_or_default(),
            &values,
        )
    });
    scopes && selector
}

fn hard(quota: &Value) -> BTreeMap<String, Milli> {
    let mut out = BTreeMap::new();
    if let Some(m) = quota.pointer("/spec/hard").and_then(Value::as_object) {
        for (k, v) in m {
            if let Some(q) = v.as_str().and_then(quantity::parse) {
                out.insert(k.clone(), q);
            }
        }
    }
    out
}

fn list(m: &BTreeMap<String, Milli>, keys: &[&String]) -> String {
    keys.iter()
        .map(|k| {
            format!(
                "{k}={}",
                quantity::format(k, m.get(*k).copied().unwrap_or(0))
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The pod quota check for a create: `Ok` with the quotas that must be charged, or the real 403.
pub fn admit(
    pod_name: &str,
    pod: &Value,
    quotas: &[Value],
    used_now: &[BTreeMap<String, Milli>],
) -> Result<(), ApiError> {
    let usage = pod_usage(pod);
    for (quota, used) in quotas.iter().zip(used_now) {
        if !matches_scopes(quota, pod) {
            continue;
        }
        let hard = hard(quota);
        let qname = quota
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // "must specify": cpu/memory names in hard need every container to set them.
        let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let containers =
            crate::each(pod, "/spec/containers").chain(crate::each(pod, "/spec/initContainers"));
        for c in containers {
            let cname = c["name"].as_str().unwrap_or_default().to_string();
            let req = effective_requests(c);
            let lim = container_resources(c, "limits");
            for (key, present) in [
                ("requests.cpu", req.contains_key("cpu")),
                ("cpu", req.contains_key("cpu")),
                ("requests.memory", req.contains_key("memory")),
                ("memory", req.contains_key("memory")),
                ("limits.cpu", lim.contains_key("cpu")),
                ("limits.memory", lim.contains_key("memory")),
            ] {
                if hard.contains_key(key) && !present {
                    missing
                        .entry(key.to_string())
                        .or_default()
                        .push(cname.clone());
                }
            }
        }
        if !missing.is_empty() {
            let why = missing
                .into_iter()
                .map(|(k, mut cs)| {
                    cs.sort();
                    format!("{k} for: {}", cs.join(","))
                })
                .collect::<Vec<_>>()
                .join("; ");
            return Err(status::forbidden(
                "",
                "pods",
                pod_name,
                &format!("failed quota: {qname}: must specify {why}"),
            ));
        }
        let exceeded: Vec<&String> = hard
            .keys()
            .filter(|k| {
                usage.get(*k).is_some_and(|u| *u > 0)
                    && used.get(*k).copied().unwrap_or(0) + usage[*k] > hard[*k]
            })
            .collect();
        if !exceeded.is_empty() {
            return Err(status::forbidden(
                "",
                "pods",
                pod_name,
                &format!(
                    "exceeded quota: {qname}, requested: {}, used: {}, limited: {}",
                    list(&usage, &exceeded),
                    list(used, &exceeded),
                    list(&hard, &exceeded)
                ),
            ));
        }
    }
    Ok(())
}

/// `status.used` for `quota` over the namespace's pods (masked to `hard`).
pub fn used(quota: &Value, pods: &[&Value]) -> BTreeMap<String, Milli> {
    let hard = hard(quota);
    let mut used: BTreeMap<String, Milli> = hard.keys().map(|k| (k.clone(), 0)).collect();
    for pod in pods.iter().filter(|p| matches_scopes(quota, p)) {
        for (k, v) in pod_usage(pod) {
            if let Some(u) = used.get_mut(&k) {
                *u += v;
            }
        }
    }
    used
}

/// The quota's `status` object for a given usage.
pub fn status_value(quota: &Value, used: &BTreeMap<String, Milli>) -> Value {
    let hard = quota.pointer("/spec/hard").cloned().unwrap_or(json!({}));
    let used: serde_json::Map<String, Value> = used
        .iter()
        .map(|(k, v)| (k.clone(), json!(quantity::format(k, *v))))
        .collect();
    json!({"hard": hard, "used": used})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, cpu: &str, mem: &str, limit_mem: bool) -> Value {
        let mut res = json!({"requests": {"cpu": cpu, "memory": mem}});
        if limit_mem {
            res["limits"] = json!({"memory": mem});
        }
        json!({"metadata": {"name": name}, "spec": {"containers": [{"name": "c", "image": "i", "resources": res}]}, "status": {"phase": "Pending"}})
    }

    fn quota(hard: Value) -> Value {
        json!({"metadata": {"name": "team-q"}, "spec": {"hard": hard}})
    }

    #[test]
    fn usage_of_a_spark_driver() {
        let u = pod_usage(&pod("d", "1", "1408Mi", true));
        assert_eq!(u["pods"], 1000);
        assert_eq!(u["count/pods"], 1000);
        assert_eq!(u["requests.cpu"], 1000);
        assert_eq!(
            quantity::format("limits.memory", u["limits.memory"]),
            "1408Mi"
        );
        assert!(!u.contains_key("limits.cpu"));
        let mut done = pod("d", "1", "1Gi", false);
        done["status"]["phase"] = json!("Succeeded");
        assert_eq!(pod_usage(&done).len(), 1);
    }

    #[test]
    fn exceeded_message_lists_only_exceeded_resources() {
        let q = quota(json!({"requests.cpu": "4", "limits.memory": "4Gi", "pods": "10"}));
        let p1 = pod("a", "3", "3Gi", true);
        let used = used(&q, &[&p1]);
        let e = admit(
            "job-1-driver",
            &pod("job-1-driver", "1", "1408Mi", true),
            std::slice::from_ref(&q),
            &[used],
        )
        .unwrap_err();
        assert_eq!(e.code, 403);
        assert_eq!(
            e.message(),
            "pods \"job-1-driver\" is forbidden: exceeded quota: team-q, requested: limits.memory=1408Mi, used: limits.memory=3Gi, limited: limits.memory=4Gi"
        );
        assert_eq!(
            e.body["details"],
            json!({"name": "job-1-driver", "kind": "pods"})
        );
    }

    #[test]
    fn must_specify() {
        let q = quota(json!({"limits.cpu": "4", "requests.memory": "4Gi"}));
        let e = admit(
            "x",
            &pod("x", "1", "1Gi", true),
            std::slice::from_ref(&q),
            &[BTreeMap::new()],
        )
        .unwrap_err();
        assert_eq!(
            e.message(),
            "pods \"x\" is forbidden: failed quota: team-q: must specify limits.cpu for: c"
        );
    }

    #[test]
    fn scopes() {
        let mut q = quota(json!({"pods": "1"}));
        q["spec"]["scopeSelector"] = json!({"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["batch"]}]});
        let p = pod("a", "1", "1Gi", false);
        assert!(!matches_scopes(&q, &p));
        let mut p2 = p.clone();
        p2["spec"]["priorityClassName"] = json!("batch");
        assert!(matches_scopes(&q, &p2));
        let q = json!({"metadata": {"name": "q"}, "spec": {"hard": {"pods": "1"}, "scopes": ["NotTerminating"]}});
        assert!(matches_scopes(&q, &p));
    }
}
