//! Validation (422 Invalid, aggregated as the real server does) and the API defaults clients
//! rely on (pod status, container defaults, Secret `stringData`).

use serde_json::{Value, json};

use crate::resources::Resource;
use crate::status::{self, ApiError};

pub(crate) fn is_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

pub(crate) const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// Go's `%q` for the ASCII strings label keys and values are.
fn go_quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// apimachinery's `RegexError` (util/validation/validation.go): the message, the examples each
/// followed by `', '` and joined by ` or ` (hence the double space), then the regex.
pub(crate) fn regex_error(msg: &str, regex: &str, examples: &[&str]) -> String {
    let shown: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{regex}')",
        shown.join(" or ")
    )
}

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, i.e. `qualifiedNameFmt` (one character or more).
fn is_qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// apimachinery `validation.IsQualifiedName`: the messages for a label key, none when valid.
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else if !is_subdomain(prefix) {
                errs.push(format!("prefix part {SUBDOMAIN_MSG}"));
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// apimachinery `validation.IsValidLabelValue`: the messages for a label value, none when valid.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_part(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            &format!("({QUALIFIED_NAME_FMT})?"),
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// The updatable pod spec fields, as `ValidatePodUpdate` (pkg/apis/core/validation/validation.go)
/// lists them in its Forbidden message.
const UPDATABLE_POD_SPEC_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

/// `ValidatePodUpdate` (pkg/apis/core/validation/validation.go): a pod update may change only the
/// container images, `activeDeadlineSeconds` (set, or lowered), added tolerations and a negative
/// `terminationGracePeriodSeconds` set to 1; anything else is the Forbidden error on `spec`.
/// `new` and `old` are both defaulted.
pub fn pod_update(name: &str, new: &Value, old: &Value) -> Result<(), ApiError> {
    let (ns, os) = (&new["spec"], &old["spec"]);
    let mut causes: Vec<(String, String)> = Vec::new();
    let list = |spec: &Value, k: &str| {
        spec.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for k in ["containers", "initContainers"] {
        if list(ns, k).len() != list(os, k).len() {
            causes.push((
                format!("spec.{k}"),
                "Forbidden: pod updates may not add or remove containers".into(),
            ));
        }
    }
    if causes.is_empty() {
        let deadline = |spec: &Value| spec.get("activeDeadlineSeconds").and_then(Value::as_i64);
        match (deadline(ns), deadline(os)) {
            (Some(n), _) if !(0..=i64::from(i32::MAX)).contains(&n) => causes.push((
                "spec.activeDeadlineSeconds".into(),
                format!("Invalid value: {n}: must be between 0 and 2147483647, inclusive"),
            )),
            (Some(n), Some(o)) if o < n => causes.push((
                "spec.activeDeadlineSeconds".into(),
                format!("Invalid value: {n}: must be less than or equal to previous value"),
            )),
            (None, Some(_)) => causes.push((
                "spec.activeDeadlineSeconds".into(),
                "Invalid value: \"null\": must not update from a positive integer to nil value"
                    .into(),
            )),
            _ => {}
        }
        // validateOnlyAddedTolerations: every old toleration stays (its tolerationSeconds may change).
        let without_seconds = |t: &Value| {
            let mut t = t.clone();
            if let Some(m) = t.as_object_mut() {
                m.remove("tolerationSeconds");
            }
            t
        };
        let new_tolerations: Vec<Value> = list(ns, "tolerations")
            .iter()
            .map(without_seconds)
            .collect();
        if list(os, "tolerations")
            .iter()
            .any(|t| !new_tolerations.contains(&without_seconds(t)))
        {
            causes.push((
                "spec.tolerations".into(),
                "Forbidden: existing toleration can not be modified except its tolerationSeconds"
                    .into(),
            ));
        }
        let mut munged = ns.clone();
        for k in ["containers", "initContainers"] {
            if let Some(cs) = munged.get_mut(k).and_then(Value::as_array_mut) {
                for (c, o) in cs.iter_mut().zip(list(os, k)) {
                    c["image"] = o["image"].clone();
                }
            }
        }
        for k in ["activeDeadlineSeconds", "tolerations", "schedulingGates"] {
            match os.get(k) {
                Some(v) => munged[k] = v.clone(),
                None => {
                    if let Some(m) = munged.as_object_mut() {
                        m.remove(k);
                    }
                }
            }
        }
        let grace = |spec: &Value| {
            spec.get("terminationGracePeriodSeconds")
                .and_then(Value::as_i64)
        };
        if grace(os).is_some_and(|g| g < 0) && grace(&munged) == Some(1) {
            munged["terminationGracePeriodSeconds"] = os["terminationGracePeriodSeconds"].clone();
        }
        if munged != *os {
            // The real message ends with go-cmp's diff of the internal PodSpec; this one names
            // the changed fields instead.
            let mut changed = Vec::new();
            diff_paths("spec", os, &munged, &mut changed);
            causes.push((
                "spec".into(),
                format!(
                    "Forbidden: pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}\n{}",
                    changed.join("\n")
                ),
            ));
        }
    }
    invalid_if_any("Pod", name, "", &causes)
}

/// The paths where two JSON values differ (`- path: old` / `+ path: new` lines).
fn diff_paths(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                diff_paths(&format!("{path}.{k}"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_paths(&format!("{path}[{i}]"), x, y, out);
            }
        }
        (a, b) if a != b => {
            out.push(format!("- {path}: {a}"));
            out.push(format!("+ {path}: {b}"));
        }
        _ => {}
    }
}

/// Checks an object about to be stored.
pub fn object(r: &Resource, name: &str, obj: &Value) -> Result<(), ApiError> {
    let mut causes: Vec<(String, String)> = Vec::new();
    if !matches!(
        r.plural,
        "selfsubjectaccessreviews" | "subjectaccessreviews"
    ) && !is_subdomain(name)
    {
        causes.push((
            "metadata.name".into(),
            format!("Invalid value: \"{name}\": {SUBDOMAIN_MSG}"),
        ));
    }
    for (k, v) in obj
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for msg in qualified_name(k) {
            causes.push((
                "metadata.labels".into(),
                format!("Invalid value: {}: {msg}", go_quote(k)),
            ));
        }
        let v = v.as_str().unwrap_or_default();
        for msg in label_value(v) {
            causes.push((
                "metadata.labels".into(),
                format!("Invalid value: {}: {msg}", go_quote(v)),
            ));
        }
    }
    if r.plural == "pods" {
        let containers = obj.pointer("/spec/containers").and_then(Value::as_array);
        match containers {
            None => causes.push(("spec.containers".into(), "Required value".into())),
            Some(cs) if cs.is_empty() => {
                causes.push(("spec.containers".into(), "Required value".into()))
            }
            Some(cs) => {
                for (i, c) in cs.iter().enumerate() {
                    if c["name"].as_str().is_none_or(str::is_empty) {
                        causes.push((
                            format!("spec.containers[{i}].name"),
                            "Required value".into(),
                        ));
                    }
                    if c["image"].as_str().is_none_or(str::is_empty) {
                        causes.push((
                            format!("spec.containers[{i}].image"),
                            "Required value".into(),
                        ));
                    }
                }
            }
        }
        if let Some(p) = obj.pointer("/spec/restartPolicy").and_then(Value::as_str)
            && !matches!(p, "Always" | "OnFailure" | "Never")
        {
            causes.push((
                    "spec.restartPolicy".into(),
                    format!("Unsupported value: \"{p}\": supported values: \"Always\", \"OnFailure\", \"Never\""),
                ));
        }
    }
    if r.plural == "ingresses" {
        crate::ingress::validate(obj, &mut causes);
    }
    if r.plural == "secrets" || r.plural == "configmaps" {
        let mut total = 0usize;
        for field in ["data", "stringData", "binaryData"] {
            for (k, v) in obj
                .get(field)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let valid = !k.is_empty()
                    && k != "."
                    && k != ".."
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
                if !valid {
                    causes.push((
                        format!("{field}[{k}]"),
                        format!("Invalid value: \"{k}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
                    ));
                }
                let text = v.as_str().unwrap_or_default();
                total += if field == "stringData" || (field == "data" && r.plural == "configmaps") {
                    text.len()
                } else {
                    text.len() / 4 * 3 - text.bytes().rev().take_while(|&b| b == b'=').count()
                };
            }
        }
        if total > 1_048_576 {
            causes.push((
                "data".into(),
                "Too long: may not be more than 1048576 bytes".into(),
            ));
        }
    }
    invalid_if_any(r.kind, name, r.group, &causes)
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    b64(data)
}

fn b64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn set_default(v: &mut Value, key: &str, default: Value) {
    if v.get(key).is_none_or(Value::is_null) {
        v[key] = default;
    }
}

fn qos_class(pod: &Value) -> &'static str {
    let cs: Vec<&Value> = crate::each(pod, "/spec/containers").collect();
    let empty = |c: &Value, k: &str| {
        c.pointer(&format!("/resources/{k}"))
            .and_then(Value::as_object)
            .is_none_or(|m| m.is_empty())
    };
    if cs
        .iter()
        .all(|c| empty(c, "requests") && empty(c, "limits"))
    {
        return "BestEffort";
    }
    let guaranteed = cs.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let lim = c.pointer(&format!("/resources/limits/{r}"));
            let req = c.pointer(&format!("/resources/requests/{r}")).or(lim);
            lim.is_some() && req == lim
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Applies the defaults the real API server applies on create and update.
pub fn defaults(r: &Resource, obj: &mut Value) {
    match r.plural {
        "pods" => {
            let spec = &mut obj["spec"];
            set_default(spec, "restartPolicy", json!("Always"));
            set_default(spec, "terminationGracePeriodSeconds", json!(30));
            set_default(spec, "dnsPolicy", json!("ClusterFirst"));
            set_default(spec, "schedulerName", json!("default-scheduler"));
            set_default(spec, "serviceAccountName", json!("default"));
            set_default(spec, "securityContext", json!({}));
            set_default(spec, "enableServiceLinks", json!(true));
            set_default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
            set_default(spec, "priority", json!(0));
            if let Some(sa) = spec.get("serviceAccountName").cloned() {
                set_default(spec, "serviceAccount", sa);
            }
            for list in ["containers", "initContainers"] {
                if let Some(cs) = spec.get_mut(list).and_then(Value::as_array_mut) {
                    for c in cs {
                        let image = c["image"].as_str().unwrap_or_default().to_string();
                        let tag = image.rsplit('/').next().unwrap_or_default();
                        let latest = !tag.contains(':') || tag.ends_with(":latest");
                        set_default(
                            c,
                            "imagePullPolicy",
                            json!(if latest { "Always" } else { "IfNotPresent" }),
                        );
                        set_default(c, "terminationMessagePath", json!("/dev/termination-log"));
                        set_default(c, "terminationMessagePolicy", json!("File"));
                        set_default(c, "resources", json!({}));
                        // A container that sets only limits gets matching requests.
                        if let Some(lim) = c
                            .pointer("/resources/limits")
                            .and_then(Value::as_object)
                            .cloned()
                        {
                            for (k, v) in lim {
                                if c.pointer(&format!("/resources/requests/{k}")).is_none() {
                                    c["resources"]["requests"][k.as_str()] = v;
                                }
                            }
                        }
                    }
                }
            }
            let qos = qos_class(obj);
            set_default(obj, "status", json!({}));
            let status = &mut obj["status"];
            set_default(status, "phase", json!("Pending"));
            set_default(status, "qosClass", json!(qos));
        }
        "secrets" => {
            set_default(obj, "type", json!("Opaque"));
            if let Some(sd) = obj.get("stringData").and_then(Value::as_object).cloned() {
                for (k, v) in sd {
                    obj["data"][k.as_str()] = json!(b64(v.as_str().unwrap_or_default().as_bytes()));
                }
                if let Some(m) = obj.as_object_mut() {
                    m.remove("stringData");
                }
            }
        }
        "services" => {
            crate::services::defaults(obj);
            set_default(obj, "status", json!({"loadBalancer": {}}));
        }
        // The registry's PrepareForCreate clears the status (pkg/registry/networking/ingress).
        "ingresses" => set_default(obj, "status", json!({"loadBalancer": {}})),
        "namespaces" => {
            set_default(obj, "spec", json!({"finalizers": ["kubernetes"]}));
            set_default(obj, "status", json!({"phase": "Active"}));
        }
        _ => {}
    }
}

/// Ok without causes, else the 422 of `kind` `name` listing them.
fn invalid_if_any(
    kind: &str,
    name: &str,
    group: &str,
    causes: &[(String, String)],
) -> Result<(), ApiError> {
    if causes.is_empty() {
        return Ok(());
    }
    let refs: Vec<(&str, String)> = causes
        .iter()
        .map(|(f, m)| (f.as_str(), m.clone()))
        .collect();
    Err(status::invalid(kind, name, group, &refs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(b64(b""), "");
        assert_eq!(b64(b"f"), "Zg==");
        assert_eq!(b64(b"fo"), "Zm8=");
        assert_eq!(b64(b"foo"), "Zm9v");
        assert_eq!(b64(b"hunter2"), "aHVudGVyMg==");
    }

    #[test]
    fn subdomains() {
        assert!(is_subdomain("a.b-c"));
        assert!(!is_subdomain("A"));
        assert!(!is_subdomain("a..b"));
        assert!(!is_subdomain(""));
    }
}
