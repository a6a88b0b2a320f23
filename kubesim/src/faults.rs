//! Fault injection: errors, latency, hangs, lost responses, cut watches, quota-lock conflicts,
//! a cluster that is down, lost nodes. Driven from the library or the `/_kubesim/` endpoint.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

/// What a matching request suffers.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Answer with this HTTP status (500, 503, 504 as Status JSON; 429 as the plain-text
    /// max-in-flight answer with `Retry-After`).
    Status(u16),
    /// Answer after this delay.
    Latency(Duration),
    /// Accept and never answer.
    Hang,
    /// Do the request, then drop the connection without a response.
    DropResponse,
    /// Pod creates fail with the quota-lock 409 on the namespace's quota.
    QuotaConflict,
}

/// Which requests a rule applies to (`None` matches anything).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Match {
    pub method: Option<String>,
    /// Resource plural, with a subresource as `pods/log`.
    pub resource: Option<String>,
    pub namespace: Option<String>,
    /// The object's name (`GET`/`DELETE`/… on `.../<plural>/<name>`).
    pub name: Option<String>,
    /// `client` (requests over the wire) or `in-cluster` (programs running in pods, e.g. the
    /// emulated spark-submit creating its driver; only `quotaConflict` reaches them).
    pub origin: Option<String>,
}

impl Match {
    fn matches(&self, method: &str, resource: &str, namespace: &str, name: &str) -> bool {
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.resource.as_ref().is_none_or(|r| r == resource)
            && self.namespace.as_ref().is_none_or(|n| n == namespace)
            && self.name.as_ref().is_none_or(|n| n == name)
    }
}

/// One fault rule: for the next `count` matching requests, or at `rate` (0..1) of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub matcher: Match,
    pub action: Action,
    pub count: Option<u32>,
    pub rate: Option<f64>,
}

#[derive(Debug)]
struct State {
    rules: Vec<Rule>,
    /// Share of concurrent pod creates in one namespace that get the quota-lock 409.
    quota_conflict_rate: f64,
    rng: u64,
}

/// A cluster's faults.
#[derive(Debug)]
pub struct Faults {
    state: Mutex<State>,
    /// `true` while the cluster refuses connections.
    pub down: tokio::sync::watch::Sender<bool>,
    /// Bumped to end every open watch stream.
    pub cut_watches: tokio::sync::watch::Sender<u64>,
    /// Whether the port is open right now (follows `down`, once the listener changed).
    pub listening: tokio::sync::watch::Sender<bool>,
    /// Nodes that stopped answering: their pods fail with `NodeLost`, nothing new lands there.
    pub lost_nodes: tokio::sync::watch::Sender<std::collections::BTreeSet<String>>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            state: Mutex::new(State {
                rules: Vec::new(),
                quota_conflict_rate: 0.2,
                rng: 0x853c_49e6_748f_ea9b,
            }),
            down: tokio::sync::watch::channel(false).0,
            cut_watches: tokio::sync::watch::channel(0).0,
            listening: tokio::sync::watch::channel(true).0,
            lost_nodes: tokio::sync::watch::channel(Default::default()).0,
        }
    }
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn roll(st: &mut State) -> f64 {
        st.rng ^= st.rng << 13;
        st.rng ^= st.rng >> 7;
        st.rng ^= st.rng << 17;
        (st.rng >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn add(&self, rule: Rule) {
        self.lock().rules.push(rule);
    }

    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    pub fn set_quota_conflict_rate(&self, rate: f64) {
        self.lock().quota_conflict_rate = rate.clamp(0.0, 1.0);
    }

    /// The action for this request, consuming a counted rule.
    pub fn take(&self, method: &str, resource: &str, namespace: &str) -> Option<Action> {
        self.take_named(method, resource, namespace, "")
    }

    /// [`Faults::take`] for a request on one object (`name` empty for lists and creates).
    pub fn take_named(
        &self,
        method: &str,
        resource: &str,
        namespace: &str,
        name: &str,
    ) -> Option<Action> {
        self.take_where("client", method, resource, namespace, name, |_| true)
    }

    /// Whether a `quotaConflict` rule fires for a pod create in `namespace` (for the API calls
    /// of programs inside the cluster, which other fault rules do not reach).
    pub fn take_quota_conflict(&self, namespace: &str) -> bool {
        self.take_where("in-cluster", "POST", "pods", namespace, "", |a| {
            matches!(a, Action::QuotaConflict)
        })
        .is_some()
    }

    fn take_where(
        &self,
        origin: &str,
        method: &str,
        resource: &str,
        namespace: &str,
        name: &str,
        want: impl Fn(&Action) -> bool,
    ) -> Option<Action> {
        let mut st = self.lock();
        let mut hit = None;
        for i in 0..st.rules.len() {
            if !st.rules[i]
                .matcher
                .matches(method, resource, namespace, name)
                || st.rules[i]
                    .matcher
                    .origin
                    .as_ref()
                    .is_some_and(|o| o != origin)
                || !want(&st.rules[i].action)
            {
                continue;
            }
            let fire = match st.rules[i].rate {
                Some(rate) => Self::roll(&mut st) < rate,
                None => true,
            };
            if !fire {
                continue;
            }
            hit = Some(i);
            break;
        }
        let i = hit?;
        let action = st.rules[i].action.clone();
        if let Some(n) = st.rules[i].count.as_mut() {
            *n -= 1;
            if *n == 0 {
                st.rules.remove(i);
            }
        }
        Some(action)
    }

    /// Whether a pod create that races others in its namespace loses the quota write.
    pub fn quota_conflict(&self, concurrent: bool) -> bool {
        let mut st = self.lock();
        concurrent && st.quota_conflict_rate > 0.0 && Self::roll(&mut st) < st.quota_conflict_rate
    }

    /// Takes a rule from its JSON form:
    /// `{"action": "status"|"latency"|"hang"|"drop"|"quotaConflict", "code": 503, "ms": 200,
    ///   "method": "POST", "resource": "pods", "namespace": "ns", "name": "obj", "count": 3,
    ///   "rate": 0.5}`.
    pub fn rule_from_json(v: &Value) -> Result<Rule, String> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let action = match s("action").as_deref() {
            Some("status") => {
                let code = v
                    .get("code")
                    .and_then(Value::as_u64)
                    .ok_or("status needs a code")?;
                if !matches!(code, 429 | 500 | 503 | 504) {
                    return Err("code must be 429, 500, 503 or 504".into());
                }
                Action::Status(code as u16)
            }
            Some("latency") => Action::Latency(Duration::from_millis(
                v.get("ms")
                    .and_then(Value::as_u64)
                    .ok_or("latency needs ms")?,
            )),
            Some("hang") => Action::Hang,
            Some("drop") => Action::DropResponse,
            Some("quotaConflict") => Action::QuotaConflict,
            other => return Err(format!("unknown action {other:?}")),
        };
        let count = v.get("count").and_then(Value::as_u64).map(|c| c as u32);
        let rate = v.get("rate").and_then(Value::as_f64);
        if count.is_none() && rate.is_none() {
            return Err("give count (the next N requests) or rate (0..1)".into());
        }
        Ok(Rule {
            matcher: Match {
                method: s("method"),
                resource: s("resource"),
                namespace: s("namespace"),
                name: s("name"),
                origin: match s("origin").as_deref() {
                    None => None,
                    Some(o @ ("client" | "in-cluster")) => Some(o.to_string()),
                    Some(o) => return Err(format!("origin {o:?}: use client or in-cluster")),
                },
            },
            action,
            count,
            rate,
        })
    }

    pub fn describe(&self) -> Value {
        let st = self.lock();
        json!({
            "rules": st.rules.iter().map(|r| format!("{r:?}")).collect::<Vec<_>>(),
            "quotaConflictRate": st.quota_conflict_rate,
            "down": *self.down.borrow(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_rules_run_out() {
        let f = Faults::default();
        f.add(Faults::rule_from_json(&json!({"action": "status", "code": 503, "method": "POST", "resource": "pods", "count": 2})).unwrap());
        assert_eq!(f.take("GET", "pods", "default"), None);
        assert_eq!(f.take("POST", "pods", "default"), Some(Action::Status(503)));
        assert_eq!(f.take("POST", "pods", "default"), Some(Action::Status(503)));
        assert_eq!(f.take("POST", "pods", "default"), None);
    }

    #[test]
    fn rates_are_roughly_kept() {
        let f = Faults::default();
        f.add(
            Faults::rule_from_json(&json!({"action": "latency", "ms": 1, "rate": 0.25})).unwrap(),
        );
        let hits = (0..4000)
            .filter(|_| f.take("GET", "pods", "x").is_some())
            .count();
        assert!((800..1200).contains(&hits), "{hits}");
        assert!(
            Faults::rule_from_json(&json!({"action": "status", "code": 404, "count": 1})).is_err()
        );
        assert!(Faults::rule_from_json(&json!({"action": "hang"})).is_err());
    }
}
