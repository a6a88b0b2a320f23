//! Services as the API server's registry stores them: the v1 defaults (`SetDefaults_Service`,
//! pkg/apis/core/v1/defaults.go) and what the service REST storage allocates on create
//! (pkg/registry/core/service/storage/alloc.go: `initIPFamilyFields`, `allocClusterIPs`, and the
//! node-port allocator): a cluster IP from the service CIDR, the IP family fields, node ports.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

use crate::cluster::Cluster;
use crate::resources;

/// The service CIDR, kubeadm's and kind's default `--service-cluster-ip-range` (10.96.0.0/12).
const SERVICE_CIDR: (u32, u32) = (0x0A60_0000, 12);
/// `--service-node-port-range`'s default.
const NODE_PORTS: std::ops::RangeInclusive<u32> = 30000..=32767;

/// `SetDefaults_Service`: session affinity, type, each port's protocol and target port, the
/// traffic policies.
pub fn defaults(obj: &mut Value) {
    let spec = &mut obj["spec"];
    if !spec.is_object() {
        *spec = json!({});
    }
    if spec["sessionAffinity"].as_str().is_none_or(str::is_empty) {
        spec["sessionAffinity"] = json!("None");
    }
    if spec["sessionAffinity"] == "None"
        && let Some(m) = spec.as_object_mut()
    {
        m.remove("sessionAffinityConfig");
    }
    if spec["sessionAffinity"] == "ClientIP"
        && spec
            .pointer("/sessionAffinityConfig/clientIP/timeoutSeconds")
            .is_none()
    {
        spec["sessionAffinityConfig"] = json!({"clientIP": {"timeoutSeconds": 10800}});
    }
    if spec["type"].as_str().is_none_or(str::is_empty) {
        spec["type"] = json!("ClusterIP");
    }
    let kind = spec["type"].as_str().unwrap_or_default().to_string();
    if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports {
            if p["protocol"].as_str().is_none_or(str::is_empty) {
                p["protocol"] = json!("TCP");
            }
            let unset = match &p["targetPort"] {
                Value::Null => true,
                Value::Number(n) => n.as_i64() == Some(0),
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if unset {
                p["targetPort"] = p["port"].clone();
            }
        }
    }
    let external = matches!(kind.as_str(), "NodePort" | "LoadBalancer");
    if external
        && spec["externalTrafficPolicy"]
            .as_str()
            .is_none_or(str::is_empty)
    {
        spec["externalTrafficPolicy"] = json!("Cluster");
    }
    if (external || kind == "ClusterIP") && spec.get("internalTrafficPolicy").is_none() {
        spec["internalTrafficPolicy"] = json!("Cluster");
    }
    if kind == "LoadBalancer" && spec.get("allocateLoadBalancerNodePorts").is_none() {
        spec["allocateLoadBalancerNodePorts"] = json!(true);
    }
}

/// A pseudo-random number (the allocators pick a random free slot).
fn random() -> u64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut x = STATE.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed) ^ seed;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

fn ip(v: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        v >> 24,
        (v >> 16) & 255,
        (v >> 8) & 255,
        v & 255
    )
}

/// What a service create allocates: a cluster IP (unless `None`, headless, or ExternalName) free
/// among the cluster's services, `clusterIPs`, `ipFamilies: [IPv4]` and `ipFamilyPolicy:
/// SingleStack`, and a node port for each port of a NodePort or LoadBalancer service.
pub fn allocate(cluster: &Cluster, obj: &mut Value) {
    let spec = &mut obj["spec"];
    if !spec.is_object() {
        *spec = json!({});
    }
    let kind = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    if kind == "ExternalName" {
        return;
    }
    let r = resources::find("", "v1", "services").expect("served");
    let (existing, _) = cluster.store.list(
        r,
        None,
        &crate::selector::LabelSelector::default(),
        &crate::selector::FieldSelector::default(),
    );
    let used_ips: Vec<&str> = existing
        .iter()
        .filter_map(|s| s.pointer("/spec/clusterIP").and_then(Value::as_str))
        .collect();
    let requested = spec["clusterIP"].as_str().unwrap_or_default().to_string();
    if requested.is_empty() {
        let (base, prefix) = SERVICE_CIDR;
        let size = 1u32 << (32 - prefix);
        // The network address and the first address (the `kubernetes` service's) are never handed out.
        let chosen = (0..64)
            .map(|_| base + 2 + (random() % u64::from(size - 3)) as u32)
            .map(ip)
            .find(|c| !used_ips.contains(&c.as_str()));
        if let Some(c) = chosen {
            spec["clusterIP"] = json!(c);
        }
    }
    if let Some(c) = spec["clusterIP"].as_str().map(str::to_string)
        && spec.get("clusterIPs").is_none_or(Value::is_null)
    {
        spec["clusterIPs"] = json!([c]);
    }
    if spec.get("ipFamilies").is_none_or(Value::is_null) {
        spec["ipFamilies"] = json!(["IPv4"]);
    }
    if spec.get("ipFamilyPolicy").is_none_or(Value::is_null) {
        spec["ipFamilyPolicy"] = json!("SingleStack");
    }
    if matches!(kind.as_str(), "NodePort" | "LoadBalancer") {
        let mut used_ports: Vec<i64> = existing
            .iter()
            .flat_map(|s| crate::each(s, "/spec/ports"))
            .filter_map(|p| p["nodePort"].as_i64())
            .collect();
        let span = u64::from(NODE_PORTS.end() - NODE_PORTS.start() + 1);
        if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
            for p in ports
                .iter_mut()
                .filter(|p| p["nodePort"].as_i64().is_none_or(|n| n == 0))
            {
                if let Some(n) = (0..64)
                    .map(|_| i64::from(*NODE_PORTS.start()) + (random() % span) as i64)
                    .find(|n| !used_ports.contains(n))
                {
                    p["nodePort"] = json!(n);
                    used_ports.push(n);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_defaults() {
        let mut svc = json!({"spec": {"ports": [{"port": 80}, {"port": 7078, "targetPort": "rpc", "protocol": "UDP"}]}});
        defaults(&mut svc);
        assert_eq!(
            svc["spec"],
            json!({"ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}, {"port": 7078, "targetPort": "rpc", "protocol": "UDP"}],
                   "sessionAffinity": "None", "type": "ClusterIP", "internalTrafficPolicy": "Cluster"})
        );
        let mut lb = json!({"spec": {"type": "LoadBalancer", "sessionAffinity": "ClientIP"}});
        defaults(&mut lb);
        assert_eq!(lb["spec"]["externalTrafficPolicy"], "Cluster");
        assert_eq!(lb["spec"]["allocateLoadBalancerNodePorts"], true);
        assert_eq!(
            lb["spec"]["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"],
            10800
        );
    }
}
