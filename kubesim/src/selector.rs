//! Label and field selectors, parsed and matched as the API server does.

use serde_json::Value;

/// One requirement of a label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed `labelSelector` (requirements ANDed; empty matches everything).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector(Vec<Req>);

/// Splits at top-level commas (not inside parentheses).
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn set_values(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    )
}

impl LabelSelector {
    /// No requirement: selects everything.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses `k=v,k!=v,k in (a,b),k notin (a),k,!k`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector(reqs));
        }
        for part in split_top(s) {
            let p = part.trim();
            let bad = || format!("unable to parse requirement: {p:?}");
            let req = if let Some(k) = p.strip_prefix('!') {
                Req::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = p.split_once("!=") {
                Req::NotEq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once("==") {
                Req::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once('=') {
                Req::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some(idx) = p.find(" notin ").or_else(|| p.find(" notin(")) {
                let vals = set_values(&p[idx + 6..]).ok_or_else(bad)?;
                Req::NotIn(p[..idx].trim().to_string(), vals)
            } else if let Some(idx) = p.find(" in ").or_else(|| p.find(" in(")) {
                let vals = set_values(&p[idx + 3..]).ok_or_else(bad)?;
                Req::In(p[..idx].trim().to_string(), vals)
            } else {
                Req::Exists(p.to_string())
            };
            let key = match &req {
                Req::Eq(k, _)
                | Req::NotEq(k, _)
                | Req::In(k, _)
                | Req::NotIn(k, _)
                | Req::Exists(k)
                | Req::NotExists(k) => k,
            };
            if key.is_empty() {
                return Err(bad());
            }
            // labels.Parse validates the key as it reads it (`validateLabelKey` with no path:
            // `<nil>`), then each value (`validateLabelValue`, path `values[i][key]`).
            let key_errs = crate::validate::qualified_name(key);
            if !key_errs.is_empty() {
                return Err(format!(
                    "unable to parse requirement: <nil>: Invalid value: {}: {}",
                    serde_json::to_string(key).unwrap_or_default(),
                    key_errs.join("; ")
                ));
            }
            let values: &[String] = match &req {
                Req::Eq(_, v) | Req::NotEq(_, v) => std::slice::from_ref(v),
                Req::In(_, vs) | Req::NotIn(_, vs) => vs,
                Req::Exists(_) | Req::NotExists(_) => &[],
            };
            let value_errs: Vec<String> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let errs = crate::validate::label_value(v);
                    (!errs.is_empty()).then(|| {
                        format!(
                            "values[{i}][{key}]: Invalid value: {}: {}",
                            serde_json::to_string(v).unwrap_or_default(),
                            errs.join("; ")
                        )
                    })
                })
                .collect();
            match value_errs.as_slice() {
                [] => {}
                [one] => return Err(format!("unable to parse requirement: {one}")),
                many => {
                    return Err(format!(
                        "unable to parse requirement: [{}]",
                        many.join(", ")
                    ));
                }
            }
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    /// Whether an object's `metadata.labels` satisfy every requirement.
    pub fn matches(&self, obj: &Value) -> bool {
        let labels = obj.get("metadata").and_then(|m| m.get("labels"));
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::NotEq(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Req::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }
}

/// A parsed `fieldSelector`: `field=value`, `field==value`, `field!=value`, ANDed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector(Vec<FieldReq>);

/// One `field(!)=value` requirement, its JSON path split once at parse time.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FieldReq {
    path: Vec<String>,
    negated: bool,
    value: String,
}

/// The fields a resource can be selected by, besides `metadata.name` and `metadata.namespace`.
fn extra_fields(resource: &str) -> &'static [&'static str] {
    match resource {
        "pods" => &[
            "spec.nodeName",
            "spec.host",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        "events" => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "source",
            "type",
            "reportingComponent",
        ],
        "secrets" => &["type"],
        _ => &[],
    }
}

fn has_conversion_func(resource: &str) -> bool {
    matches!(
        resource,
        "pods"
            | "events"
            | "secrets"
            | "namespaces"
            | "services"
            | "nodes"
            | "replicationcontrollers"
    )
}

impl FieldSelector {
    /// No requirement: selects everything.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses a field selector for `resource`; an unsupported field is the real 400 message.
    pub fn parse(resource: &str, s: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        if s.trim().is_empty() {
            return Ok(FieldSelector(out));
        }
        for part in s.split(',') {
            let (field, neg, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, false, v)
            } else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let field = field.trim();
            if !matches!(field, "metadata.name" | "metadata.namespace")
                && !extra_fields(resource).contains(&field)
            {
                // Kinds with their own field label conversion func (pods, events, secrets,
                // namespaces, services, nodes, replicationcontrollers: pkg/apis/core/v1/conversion.go)
                // say "field label not supported"; every other kind gets apimachinery's
                // `DefaultMetaV1FieldSelectorConversion` (pkg/runtime/conversion.go).
                return Err(if has_conversion_func(resource) {
                    format!("field label not supported: {field}")
                } else {
                    format!(
                        "\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                    )
                });
            }
            let path = match field {
                "spec.host" => "spec.nodeName",
                "source" => "source.component",
                f => f,
            };
            out.push(FieldReq {
                path: path.split('.').map(str::to_string).collect(),
                negated: neg,
                value: value.trim().to_string(),
            });
        }
        Ok(FieldSelector(out))
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|r| {
            let mut cur = Some(obj);
            for seg in &r.path {
                cur = cur.and_then(|v| v.get(seg.as_str()));
            }
            let equal = match cur {
                Some(Value::String(s)) => *s == r.value,
                Some(Value::Bool(b)) => (if *b { "true" } else { "false" }) == r.value,
                Some(Value::Number(n)) => n.to_string() == r.value,
                _ => r.value.is_empty(),
            };
            equal != r.negated
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(labels: Value) -> Value {
        json!({"metadata": {"name": "p", "namespace": "ns", "labels": labels}, "status": {"phase": "Running"}})
    }

    #[test]
    fn label_selectors() {
        let p =
            pod(json!({"spark-role": "executor", "spark-app-selector": "spark-1", "tier": "a"}));
        for (sel, want) in [
            ("", true),
            ("spark-role=executor", true),
            ("spark-role==executor", true),
            ("spark-role=driver", false),
            (
                "spark-app-selector=spark-1,spark-role=executor,spark-exec-inactive!=true",
                true,
            ),
            ("tier in (a, b)", true),
            ("tier in (b,c)", false),
            ("tier notin (b)", true),
            ("missing notin (b)", true),
            ("tier", true),
            ("!tier", false),
            ("!missing", true),
            ("tier!=a", false),
        ] {
            assert_eq!(
                LabelSelector::parse(sel).unwrap().matches(&p),
                want,
                "{sel}"
            );
        }
        assert!(LabelSelector::parse("a in b").is_err());
        assert!(LabelSelector::parse("=x").is_err());
        assert_eq!(
            LabelSelector::parse("app:x").unwrap_err(),
            "unable to parse requirement: <nil>: Invalid value: \"app:x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        );
        assert!(
            LabelSelector::parse("a=-x-")
                .unwrap_err()
                .starts_with("unable to parse requirement: values[0][a]: Invalid value: \"-x-\": a valid label must be")
        );
    }

    #[test]
    fn field_selectors() {
        let p = pod(json!({}));
        let m = |s: &str| FieldSelector::parse("pods", s).unwrap().matches(&p);
        assert!(m("metadata.name=p"));
        assert!(m("metadata.name=p,status.phase=Running"));
        assert!(!m("status.phase!=Running"));
        assert!(m("spec.nodeName="));
        assert_eq!(
            FieldSelector::parse("secrets", "status.phase=Running").unwrap_err(),
            "field label not supported: status.phase"
        );
        assert_eq!(
            FieldSelector::parse("configmaps", "status.phase=Running").unwrap_err(),
            "\"status.phase\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
    }
}
