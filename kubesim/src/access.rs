//! Authorisation: an ordered rule list that answers SelfSubjectAccessReviews and refuses what it
//! denies with the RBAC 403, as an API server with RBAC does. No rule matching: allowed.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::status::{self, ApiError};

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

#[derive(Default)]
pub struct Access {
    rules: Mutex<Vec<AccessRule>>,
}

impl Access {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<AccessRule>> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
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

    /// The RBAC 403 for a denied request (`Ok` when allowed).
    pub fn check(&self, a: &Attributes, name: &str) -> Result<(), ApiError> {
        if self.decide(a).0 {
            return Ok(());
        }
        let scope = if a.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{}\"", a.namespace)
        };
        let base = a.resource.split('/').next().unwrap_or_default();
        Err(status::forbidden(
            a.group,
            base,
            name,
            &format!(
                "User \"{USER}\" cannot {} resource \"{}\" in API group \"{}\" {scope}",
                a.verb, a.resource, a.group
            ),
        ))
    }

    /// A SelfSubjectAccessReview's `status`.
    pub fn review(&self, spec: &Value) -> Value {
        let ra = spec.get("resourceAttributes").cloned().unwrap_or(json!({}));
        let s = |k: &str| ra.get(k).and_then(Value::as_str).unwrap_or("");
        let resource = match s("subresource") {
            "" => s("resource").to_string(),
            sub => format!("{}/{sub}", s("resource")),
        };
        let (allowed, rule) = self.decide(&Attributes {
            verb: s("verb"),
            group: s("group"),
            resource: &resource,
            namespace: s("namespace"),
        });
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
        let e = a.check(&attrs("list", "secrets"), "").unwrap_err();
        assert_eq!(e.code, 403);
        assert_eq!(
            e.message(),
            "secrets is forbidden: User \"kubesim-user\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\""
        );
        assert_eq!(
            a.review(&json!({"resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "default"}})),
            json!({"allowed": true, "reason": "kubesim: allowed by rule 1"})
        );
    }
}
