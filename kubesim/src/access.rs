//! Authorisation. The kubesim token's user (a cluster admin) is held by an ordered rule list:
//! the first matching rule decides, no rule matching allows. Every other identity (a user of the
//! token file, a pod's service account calling from inside the cluster) is held by the RBAC
//! objects clients created ([`crate::rbac`]) once RBAC is on, and is allowed everything while it
//! is off. SelfSubjectAccessReviews answer from the same decision, and a denied request gets the
//! RBAC 403. Each request RBAC allowed is recorded, so a test can compare what an identity was
//! granted with what it used.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::rbac::User;
use crate::status::{self, ApiError};
use crate::store::Store;

/// The user every token authenticates as.
pub const USER: &str = "kubesim-user";

fn any() -> String {
    "*".into()
}

/// One rule: `*` matches anything; the first matching rule decides.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRule {
    #[serde(default = "any")]
    pub verb: String,
    /// A resource (`pods`), or with its subresource (`pods/exec`).
    #[serde(default = "any")]
    pub resource: String,
    /// The API group (`""` for the core group).
    #[serde(default = "any")]
    pub group: String,
    #[serde(default = "any")]
    pub namespace: String,
    pub allowed: bool,
}

impl AccessRule {
    /// Denies `verb` on `resource` (any group) in `namespace` (`*`: every namespace).
    pub fn deny(verb: &str, resource: &str, namespace: &str) -> AccessRule {
        AccessRule {
            verb: verb.into(),
            resource: resource.into(),
            group: "*".into(),
            namespace: namespace.into(),
            allowed: false,
        }
    }
}

/// One access question.
pub struct Attributes<'a> {
    pub verb: &'a str,
    pub group: &'a str,
    /// `pods` or `pods/exec`.
    pub resource: &'a str,
    pub namespace: &'a str,
}

/// One request RBAC allowed: who, where, and what (`resource` is `pods` or `pods/log`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Used {
    pub user: String,
    pub namespace: String,
    pub verb: String,
    pub group: String,
    pub resource: String,
}

#[derive(Default)]
pub struct Access {
    rules: Mutex<Vec<AccessRule>>,
    rbac: AtomicBool,
    used: Mutex<BTreeSet<Used>>,
}

impl Access {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AccessRule>> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Turns RBAC on or off for the identities other than the admin.
    pub fn set_rbac(&self, on: bool) {
        self.rbac.store(on, Ordering::Relaxed);
    }

    pub fn rbac(&self) -> bool {
        self.rbac.load(Ordering::Relaxed)
    }

    /// What RBAC allowed so far, each distinct request once.
    pub fn used(&self) -> Vec<Used> {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        used.iter().cloned().collect()
    }

    /// Whether `user` (`None`: the admin) may do `a` on object `name`, and the reason a denial
    /// carries.
    pub fn decide_for(
        &self,
        store: &Store,
        user: Option<&User>,
        a: &Attributes,
        name: &str,
    ) -> (bool, String) {
        let Some(user) = user else {
            return (self.decide(a).0, String::new());
        };
        if !self.rbac() {
            return (true, String::new());
        }
        crate::rbac::authorize(store, user, a, name)
    }

    pub fn set(&self, rules: Vec<AccessRule>) {
        *self.lock() = rules;
    }

    pub fn rules(&self) -> Vec<AccessRule> {
        self.lock().clone()
    }

    /// Whether the request is allowed, and by which rule (its index).
    pub fn decide(&self, a: &Attributes) -> (bool, Option<usize>) {
        let m = |rule: &str, v: &str| rule == "*" || rule == v;
        let base = a.resource.split('/').next().unwrap_or_default();
        let rules = self.lock();
        rules
            .iter()
            .position(|r| {
                m(&r.verb, a.verb)
                    && (m(&r.resource, a.resource) || r.resource == format!("{base}/*"))
                    && m(&r.group, a.group)
                    && m(&r.namespace, a.namespace)
            })
            .map_or((true, None), |i| (rules[i].allowed, Some(i)))
    }

    /// The RBAC 403 for a denied request (`Ok` when allowed), as
    /// `responsewriters.forbiddenMessage` writes it (k8s.io/apiserver/pkg/endpoints/handlers/
    /// responsewriters/errors.go), the authorizer's reason after a `: ` when it gave one.
    pub fn check(
        &self,
        store: &Store,
        user: Option<&User>,
        a: &Attributes,
        name: &str,
    ) -> Result<(), ApiError> {
        let (allowed, reason) = self.decide_for(store, user, a, name);
        if allowed {
            if let Some(user) = user.filter(|_| self.rbac()) {
                let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
                used.insert(Used {
                    user: user.name.clone(),
                    namespace: a.namespace.into(),
                    verb: a.verb.into(),
                    group: a.group.into(),
                    resource: a.resource.into(),
                });
            }
            return Ok(());
        }
        let scope = if a.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{}\"", a.namespace)
        };
        let base = a.resource.split('/').next().unwrap_or_default();
        let mut why = format!(
            "User \"{}\" cannot {} resource \"{}\" in API group \"{}\" {scope}",
            user.map_or(USER, |u| u.name.as_str()),
            a.verb,
            a.resource,
            a.group
        );
        if !reason.is_empty() {
            why = format!("{why}: {reason}");
        }
        Err(status::forbidden(a.group, base, name, &why))
    }

    /// A SelfSubjectAccessReview's `status`, for the user who asks.
    pub fn review(&self, store: &Store, user: Option<&User>, spec: &Value) -> Value {
        let ra = spec.get("resourceAttributes").cloned().unwrap_or(json!({}));
        let s = |k: &str| ra.get(k).and_then(Value::as_str).unwrap_or("");
        let resource = match s("subresource") {
            "" => s("resource").to_string(),
            sub => format!("{}/{sub}", s("resource")),
        };
        let a = Attributes {
            verb: s("verb"),
            group: s("group"),
            resource: &resource,
            namespace: s("namespace"),
        };
        if user.is_some() {
            // The RBAC authorizer's reason on allowing names the binding; kubesim's says RBAC.
            return match self.decide_for(store, user, &a, s("name")) {
                (true, _) if !self.rbac() => {
                    json!({"allowed": true, "reason": "kubesim: RBAC is off"})
                }
                (true, _) => json!({"allowed": true, "reason": "kubesim: allowed by RBAC"}),
                (false, reason) if reason.is_empty() => json!({"allowed": false}),
                (false, reason) => json!({"allowed": false, "reason": reason}),
            };
        }
        let (allowed, rule) = self.decide(&a);
        match (allowed, rule) {
            (true, None) => json!({"allowed": true, "reason": "kubesim: no rule denies it"}),
            (true, Some(i)) => {
                json!({"allowed": true, "reason": format!("kubesim: allowed by rule {i}")})
            }
            (false, _) => json!({"allowed": false}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs<'a>(verb: &'a str, resource: &'a str) -> Attributes<'a> {
        Attributes {
            verb,
            group: "",
            resource,
            namespace: "default",
        }
    }

    #[test]
    fn first_matching_rule_decides() {
        let a = Access::default();
        assert!(a.decide(&attrs("create", "pods")).0);
        a.set(vec![
            AccessRule {
                verb: "create".into(),
                resource: "pods/*".into(),
                group: any(),
                namespace: any(),
                allowed: false,
            },
            AccessRule {
                verb: any(),
                resource: "pods".into(),
                group: any(),
                namespace: any(),
                allowed: true,
            },
            AccessRule {
                verb: any(),
                resource: any(),
                group: any(),
                namespace: any(),
                allowed: false,
            },
        ]);
        assert_eq!(a.decide(&attrs("create", "pods")), (false, Some(0)));
        assert_eq!(a.decide(&attrs("create", "pods/exec")), (false, Some(0)));
        assert_eq!(a.decide(&attrs("get", "pods")), (true, Some(1)));
        assert_eq!(a.decide(&attrs("get", "secrets")), (false, Some(2)));
        let store = Store::new(10);
        let e = a
            .check(&store, None, &attrs("list", "secrets"), "")
            .unwrap_err();
        assert_eq!(e.code, 403);
        assert_eq!(
            e.message(),
            "secrets is forbidden: User \"kubesim-user\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\""
        );
        assert_eq!(
            a.review(&store, None, &json!({"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "default"}})),
            json!({"allowed": true, "reason": "kubesim: allowed by rule 1"})
        );
    }
}
