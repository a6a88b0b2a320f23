//! The kinds kubesim serves, and their discovery documents.

use serde_json::{Value, json};

/// One served resource.
#[derive(Debug)]
pub struct Resource {
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    /// Subresources served under `<plural>/<sub>`.
    pub subresources: &'static [&'static str],
}

impl Resource {
    /// `v1` or `group/version`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The key objects are stored under.
    pub fn key(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub fn is_custom(&self) -> bool {
        self.group == "sparkoperator.k8s.io"
    }
}

macro_rules! res {
    ($group:literal, $version:literal, $plural:literal, $singular:literal, $kind:literal, $ns:literal, [$($short:literal),*], [$($sub:literal),*]) => {
        Resource { group: $group, version: $version, plural: $plural, singular: $singular, kind: $kind, namespaced: $ns, short_names: &[$($short),*], subresources: &[$($sub),*] }
    };
}

pub static RESOURCES: &[Resource] = &[
    res!(
        "",
        "v1",
        "namespaces",
        "namespace",
        "Namespace",
        false,
        ["ns"],
        ["status"]
    ),
    res!("", "v1", "nodes", "node", "Node", false, ["no"], ["status"]),
    res!(
        "",
        "v1",
        "pods",
        "pod",
        "Pod",
        true,
        ["po"],
        ["status", "log", "exec", "attach", "proxy"]
    ),
    res!(
        "",
        "v1",
        "configmaps",
        "configmap",
        "ConfigMap",
        true,
        ["cm"],
        []
    ),
    res!("", "v1", "secrets", "secret", "Secret", true, [], []),
    res!(
        "",
        "v1",
        "services",
        "service",
        "Service",
        true,
        ["svc"],
        ["status"]
    ),
    res!(
        "",
        "v1",
        "serviceaccounts",
        "serviceaccount",
        "ServiceAccount",
        true,
        ["sa"],
        []
    ),
    res!("", "v1", "events", "event", "Event", true, ["ev"], []),
    res!(
        "",
        "v1",
        "resourcequotas",
        "resourcequota",
        "ResourceQuota",
        true,
        ["quota"],
        ["status"]
    ),
    res!(
        "",
        "v1",
        "limitranges",
        "limitrange",
        "LimitRange",
        true,
        ["limits"],
        []
    ),
    res!(
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        true,
        ["pvc"],
        ["status"]
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "networkpolicies",
        "networkpolicy",
        "NetworkPolicy",
        true,
        ["netpol"],
        []
    ),
    res!(
        "networking.k8s.io",
        "v1",
        "ingresses",
        "ingress",
        "Ingress",
        true,
        ["ing"],
        ["status"]
    ),
    res!(
        "coordination.k8s.io",
        "v1",
        "leases",
        "lease",
        "Lease",
        true,
        [],
        []
    ),
    res!(
        "authorization.k8s.io",
        "v1",
        "selfsubjectaccessreviews",
        "selfsubjectaccessreview",
        "SelfSubjectAccessReview",
        false,
        [],
        []
    ),
    res!(
        "authorization.k8s.io",
        "v1",
        "subjectaccessreviews",
        "subjectaccessreview",
        "SubjectAccessReview",
        false,
        [],
        []
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "roles",
        "role",
        "Role",
        true,
        [],
        []
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "rolebindings",
        "rolebinding",
        "RoleBinding",
        true,
        [],
        []
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterroles",
        "clusterrole",
        "ClusterRole",
        false,
        [],
        []
    ),
    res!(
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        "clusterrolebinding",
        "ClusterRoleBinding",
        false,
        [],
        []
    ),
    res!(
        "sparkoperator.k8s.io",
        "v1beta2",
        "sparkapplications",
        "sparkapplication",
        "SparkApplication",
        true,
        ["sparkapp"],
        ["status"]
    ),
];

/// The resource served at `group/version/plural`.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The resource of a `Kind` in `apiVersion`.
pub fn by_kind(api_version: &str, kind: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .find(|r| r.api_version() == api_version && r.kind == kind)
}

fn verbs(r: &Resource) -> Value {
    if matches!(
        r.plural,
        "selfsubjectaccessreviews" | "subjectaccessreviews"
    ) {
        return json!(["create"]);
    }
    json!([
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch"
    ])
}

/// `/api` or a group's `/apis/g/v` resource list.
pub fn resource_list(group: &str, version: &str) -> Option<Value> {
    let mut items = Vec::new();
    for r in RESOURCES
        .iter()
        .filter(|r| r.group == group && r.version == version)
    {
        let mut entry = json!({
            "name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
            "kind": r.kind, "verbs": verbs(r),
        });
        if !r.short_names.is_empty() {
            entry["shortNames"] = json!(r.short_names);
        }
        // Only the kinds whose registry says `Categories() []string { return []string{"all"} }`
        // (pkg/registry/core/pod/storage/storage.go, .../service/storage/storage.go; config maps,
        // secrets and service accounts have no categories), so `kubectl get all` lists these.
        if r.group.is_empty() && matches!(r.plural, "pods" | "services") {
            entry["categories"] = json!(["all"]);
        }
        items.push(entry);
        for sub in r.subresources {
            let (kind, verbs) = match *sub {
                "exec" => ("PodExecOptions", json!(["create", "get"])),
                "attach" => ("PodAttachOptions", json!(["create", "get"])),
                "log" => ("Pod", json!(["get"])),
                "proxy" => (
                    "PodProxyOptions",
                    json!(["create", "delete", "get", "patch", "update"]),
                ),
                _ => (r.kind, json!(["get", "patch", "update"])),
            };
            items.push(json!({"name": format!("{}/{sub}", r.plural), "singularName": "", "namespaced": r.namespaced, "kind": kind, "verbs": verbs}));
        }
    }
    if items.is_empty() {
        return None;
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Some(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": items}),
    )
}

/// `/apis`.
pub fn group_list() -> Value {
    let mut groups: Vec<Value> = Vec::new();
    let mut seen = Vec::new();
    for r in RESOURCES.iter().filter(|r| !r.group.is_empty()) {
        if seen.contains(&r.group) {
            continue;
        }
        seen.push(r.group);
        let gv = json!({"groupVersion": r.api_version(), "version": r.version});
        groups.push(json!({"name": r.group, "versions": [gv.clone()], "preferredVersion": gv}));
    }
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

/// `/version`: a kubectl the machine's dispatcher ships (1.27-1.33) is chosen from `minor`.
pub fn version() -> Value {
    json!({"major": "1", "minor": "32", "gitVersion": "v1.32.4", "gitCommit": "0000000000000000000000000000000000000000",
           "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64"})
}

/// `/api`.
pub fn api_versions(server: &str) -> Value {
    json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server}]})
}
