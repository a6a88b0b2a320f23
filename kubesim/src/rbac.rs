//! The RBAC authorizer over the Role, RoleBinding, ClusterRole and ClusterRoleBinding objects
//! clients created, as kube-apiserver's (`plugin/pkg/auth/authorizer/rbac/rbac.go`,
//! `pkg/apis/rbac/v1/evaluation_helpers.go`, `pkg/registry/rbac/validation/rule.go`):
//!
//! - a request is allowed when some rule of a role bound to the user allows it; nothing denies;
//! - the ClusterRoleBindings apply in every namespace and at the cluster scope, the RoleBindings of
//!   the request's namespace only (`VisitRulesFor`);
//! - a subject is a `User` by name, a `Group` by one of the user's groups, or a `ServiceAccount`
//!   by `system:serviceaccount:<namespace>:<name>` (`appliesToUser`);
//! - a binding's `roleRef` names a ClusterRole, or a Role in the binding's namespace; one that does
//!   not exist is an error the 403 reports as `RBAC: role.rbac.authorization.k8s.io "x" not
//!   found` (the `ruleCheckingVisitor`'s errors, aggregated);
//! - a rule matches when its verbs, API groups and resources each hold the request's (`*` is
//!   anything) and, with `resourceNames`, the request names one of them; a subresource is
//!   `pods/log`: the rule must name it (or `*`, or `*/log`); `pods` does not cover it
//!   (`ResourceMatches`).

use serde_json::Value;

use crate::access::Attributes;
use crate::resources;
use crate::store::Store;

/// An authenticated user: its name and groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub groups: Vec<String>,
}

impl User {
    /// The user a service account's token authenticates as, with the groups the service-account
    /// authenticator gives it (`k8s.io/apiserver/pkg/authentication/serviceaccount/util.go`).
    pub fn service_account(namespace: &str, name: &str) -> User {
        User {
            name: format!("system:serviceaccount:{namespace}:{name}"),
            groups: vec![
                "system:serviceaccounts".into(),
                format!("system:serviceaccounts:{namespace}"),
                "system:authenticated".into(),
            ],
        }
    }

    /// A user of the static token file (`--token-auth-file`), in `system:authenticated`.
    pub fn named(name: &str) -> User {
        if let Some(rest) = name.strip_prefix("system:serviceaccount:")
            && let Some((ns, sa)) = rest.split_once(':')
        {
            return User::service_account(ns, sa);
        }
        User {
            name: name.into(),
            groups: vec!["system:authenticated".into()],
        }
    }
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    crate::each(v, &format!("/{key}"))
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn applies_to(subject: &Value, user: &User) -> bool {
    match s(subject, "kind") {
        "User" => s(subject, "name") == user.name,
        "Group" => user.groups.iter().any(|g| g == s(subject, "name")),
        "ServiceAccount" => {
            user.name
                == format!(
                    "system:serviceaccount:{}:{}",
                    s(subject, "namespace"),
                    s(subject, "name")
                )
        }
        _ => false,
    }
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

/// `RuleAllows` for a resource request.
fn rule_allows(rule: &Value, a: &Attributes, name: &str) -> bool {
    let (base, sub) = match a.resource.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (a.resource, None),
    };
    let resources = strings(rule, "resources");
    let resource_ok = resources.iter().any(|r| {
        r == "*"
            || r == a.resource
            || sub.is_some_and(|sub| r.strip_prefix("*/") == Some(sub))
            || (sub.is_none() && r == base)
    });
    let names = strings(rule, "resourceNames");
    has(&strings(rule, "verbs"), a.verb)
        && has(&strings(rule, "apiGroups"), a.group)
        && resource_ok
        && (names.is_empty() || names.iter().any(|n| n == name))
}

/// Whether `user` may do `a` (on object `name`, empty for collections), and the reason a denial
/// carries (empty, or `RBAC: …` naming roles that bindings point at and that do not exist).
pub fn authorize(store: &Store, user: &User, a: &Attributes, name: &str) -> (bool, String) {
    // The bootstrap policy's `system:basic-user` ClusterRole, bound to `system:authenticated`
    // by every cluster (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): any
    // authenticated user may ask what it may do.
    let basic_user = a.verb == "create"
        && ((a.group == "authorization.k8s.io"
            && matches!(
                a.resource,
                "selfsubjectaccessreviews" | "selfsubjectrulesreviews"
            ))
            || (a.group == "authentication.k8s.io" && a.resource == "selfsubjectreviews"));
    if basic_user && user.groups.iter().any(|g| g == "system:authenticated") {
        return (true, String::new());
    }
    let find = |plural| resources::find("rbac.authorization.k8s.io", "v1", plural).expect("served");
    let all = |plural, ns| {
        store
            .list(find(plural), ns, &Default::default(), &Default::default())
            .0
    };
    let mut bindings = all("clusterrolebindings", None);
    if !a.namespace.is_empty() {
        bindings.extend(all("rolebindings", Some(a.namespace)));
    }
    let mut errors = Vec::new();
    for b in bindings {
        if !crate::each(&b, "/subjects").any(|x| applies_to(x, user)) {
            continue;
        }
        let role_ref = b.get("roleRef").cloned().unwrap_or(Value::Null);
        let role_name = s(&role_ref, "name");
        let (kind, role) = match s(&role_ref, "kind") {
            "ClusterRole" => (
                "clusterrole",
                store.get(find("clusterroles"), "", role_name),
            ),
            _ => {
                let ns = b.pointer("/metadata/namespace").and_then(Value::as_str);
                (
                    "role",
                    store.get(find("roles"), ns.unwrap_or_default(), role_name),
                )
            }
        };
        match role {
            Ok(role) if crate::each(&role, "/rules").any(|r| rule_allows(r, a, name)) => {
                return (true, String::new());
            }
            Ok(_) => {}
            // The role getters' NotFound names the singular resource (`rbac.Resource("role")`).
            Err(_) => {
                let e = format!("{kind}.rbac.authorization.k8s.io \"{role_name}\" not found");
                if !errors.contains(&e) {
                    errors.push(e);
                }
            }
        }
    }
    // utilerrors.NewAggregate(errs).Error(): one error as it is, several as `[a, b]`.
    let reason = match errors.len() {
        0 => String::new(),
        1 => format!("RBAC: {}", errors[0]),
        _ => format!("RBAC: [{}]", errors.join(", ")),
    };
    (false, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attrs<'a>(verb: &'a str, resource: &'a str, namespace: &'a str) -> Attributes<'a> {
        Attributes {
            verb,
            group: "",
            resource,
            namespace,
        }
    }

    fn create(store: &Store, plural: &str, ns: &str, obj: Value) {
        let r = resources::find("rbac.authorization.k8s.io", "v1", plural).unwrap();
        store.create(r, ns, obj).unwrap();
    }

    #[test]
    fn bindings_grant_what_their_roles_name() {
        let store = Store::new(100);
        let ns = resources::find("", "v1", "namespaces").unwrap();
        store
            .create(ns, "", json!({"metadata": {"name": "jobs"}}))
            .unwrap();
        let sa = User::service_account("jobs", "spark");
        create(
            &store,
            "roles",
            "jobs",
            json!({"metadata": {"name": "r"}, "rules": [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "create"]},
                {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
                {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"], "resourceNames": ["c"]}]}),
        );
        let allowed =
            |verb, resource, ns, name| authorize(&store, &sa, &attrs(verb, resource, ns), name).0;
        assert!(!allowed("get", "pods", "jobs", "p"), "no binding yet");
        create(
            &store,
            "rolebindings",
            "jobs",
            json!({"metadata": {"name": "b"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                   "subjects": [{"kind": "ServiceAccount", "name": "spark", "namespace": "jobs"}]}),
        );
        assert!(allowed("get", "pods", "jobs", "p"));
        assert!(allowed("create", "pods", "jobs", ""));
        assert!(!allowed("delete", "pods", "jobs", "p"));
        assert!(allowed("get", "pods/log", "jobs", "p"));
        assert!(
            !allowed("get", "pods/exec", "jobs", "p"),
            "pods does not cover a subresource"
        );
        assert!(
            !allowed("get", "pods", "other", "p"),
            "a RoleBinding holds in its namespace"
        );
        assert!(allowed("get", "configmaps", "jobs", "c"));
        assert!(!allowed("get", "configmaps", "jobs", "d"));
        assert!(
            !allowed("list", "configmaps", "jobs", ""),
            "resourceNames never match a list"
        );
        let other = User::service_account("jobs", "other");
        assert!(!authorize(&store, &other, &attrs("get", "pods", "jobs"), "p").0);
        // A binding to a missing role: its error is the denial's reason.
        create(
            &store,
            "clusterrolebindings",
            "",
            json!({"metadata": {"name": "cb"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "gone"},
                   "subjects": [{"kind": "Group", "name": "system:serviceaccounts:jobs"}]}),
        );
        assert_eq!(
            authorize(&store, &other, &attrs("get", "pods", "jobs"), "p"),
            (
                false,
                "RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found".to_string()
            )
        );
    }
}
