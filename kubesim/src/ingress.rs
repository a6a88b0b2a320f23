//! networking.k8s.io/v1 Ingress: kube-apiserver's create validation
//! (`pkg/apis/networking/validation/validation.go`: `ValidateIngressCreate`,
//! `ValidateIngressSpec`, `validateIngressRules`, `validateHTTPIngressPath`,
//! `validateIngressBackend`, `validateIngressTLS`) and `kubectl get ingress`'s columns
//! (`pkg/printers/internalversion/printers.go`: `printIngress`, `formatHosts`, `formatPorts`).
//! No controller serves them: the status stays empty, as on a cluster without one.

use serde_json::{Value, json};

use crate::validate::{SUBDOMAIN_MSG, is_subdomain, regex_error};

/// `wildcardDNS1123SubdomainErrMsg` with its example and regex (apimachinery
/// `util/validation/validation.go`, `IsWildcardDNS1123Subdomain`).
const WILDCARD_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// `invalidPathSequences` and `invalidPathSuffixes` of an Exact or Prefix path.
const INVALID_PATH_SEQUENCES: [&str; 5] = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES: [&str; 2] = ["/..", "/."];

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `IsDNS1123Subdomain`'s messages.
fn subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    // The regex alone: the length is the message above.
    let labels_ok = value.split('.').all(is_subdomain);
    if value.is_empty() || !labels_ok {
        errs.push(SUBDOMAIN_MSG.to_string());
    }
    errs
}

/// `IsWildcardDNS1123Subdomain`'s messages.
fn wildcard(value: &str) -> Vec<String> {
    let ok = value
        .strip_prefix("*.")
        .is_some_and(|rest| is_subdomain(rest) && !rest.contains('*'));
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !ok {
        errs.push(WILDCARD_MSG.to_string());
    }
    errs
}

/// A host of a rule or a TLS entry: a wildcard one, or a DNS-1123 subdomain.
fn host(field: &str, h: &str, causes: &mut Vec<(String, String)>) {
    let msgs = if h.contains('*') {
        wildcard(h)
    } else {
        subdomain(h)
    };
    for m in msgs {
        causes.push((field.into(), format!("Invalid value: {}: {m}", quote(h))));
    }
}

/// `NameIsDNS1035Label` (`ValidateServiceName`).
fn dns1035(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let b = value.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsValidPortName`.
fn port_name(p: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if p.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if !p
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !p.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if p.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if p.starts_with('-') || p.ends_with('-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// `validateIngressBackend` for a service backend (resource backends are not served).
fn backend(field: &str, b: &Value, causes: &mut Vec<(String, String)>) {
    let (service, resource) = (b.get("service"), b.get("resource"));
    match (service, resource) {
        (Some(_), Some(_)) => causes.push((
            field.into(),
            "Invalid value: \"\": cannot set both resource and service backends".into(),
        )),
        (None, Some(_)) => {}
        (None, None) => causes.push((
            field.into(),
            "Invalid value: \"\": resource or service backend is required".into(),
        )),
        (Some(svc), None) => {
            let name = svc["name"].as_str().unwrap_or_default();
            if name.is_empty() {
                causes.push((format!("{field}.service.name"), "Required value".into()));
            }
            for m in dns1035(name).into_iter().filter(|_| !name.is_empty()) {
                causes.push((
                    format!("{field}.service.name"),
                    format!("Invalid value: {}: {m}", quote(name)),
                ));
            }
            let (pname, number) = (&svc["port"]["name"], &svc["port"]["number"]);
            let pname = pname.as_str().unwrap_or_default();
            let number = number.as_i64().unwrap_or(0);
            match (pname.is_empty(), number == 0) {
                (false, false) => causes.push((
                    field.into(),
                    "Invalid value: \"\": cannot set both port name & port number".into(),
                )),
                (false, true) => {
                    for m in port_name(pname) {
                        causes.push((
                            format!("{field}.service.port.name"),
                            format!("Invalid value: {}: {m}", quote(pname)),
                        ));
                    }
                }
                (true, false) if !(1..=65535).contains(&number) => causes.push((
                    format!("{field}.service.port.number"),
                    format!("Invalid value: {number}: must be between 1 and 65535, inclusive"),
                )),
                (true, false) => {}
                (true, true) => causes.push((
                    field.into(),
                    "Required value: port name or number is required".into(),
                )),
            }
        }
    }
}

/// `validateHTTPIngressPath`.
fn path(field: &str, p: &Value, causes: &mut Vec<(String, String)>) {
    let text = p["path"].as_str().unwrap_or_default();
    let invalid = |why: String| {
        (
            format!("{field}.path"),
            format!("Invalid value: {}: {why}", quote(text)),
        )
    };
    match p["pathType"].as_str() {
        None => {
            causes.push((
                format!("{field}.pathType"),
                "Required value: pathType must be specified".into(),
            ));
            return;
        }
        Some("Exact" | "Prefix") => {
            if !text.starts_with('/') {
                causes.push(invalid("must be an absolute path".into()));
            }
            for seq in INVALID_PATH_SEQUENCES.iter().filter(|s| text.contains(*s)) {
                causes.push(invalid(format!("must not contain '{seq}'")));
            }
            for suffix in INVALID_PATH_SUFFIXES.iter().filter(|s| text.ends_with(*s)) {
                causes.push(invalid(format!("cannot end with '{suffix}'")));
            }
        }
        Some("ImplementationSpecific") => {
            if !text.is_empty() && !text.starts_with('/') {
                causes.push(invalid("must be an absolute path".into()));
            }
        }
        Some(other) => causes.push((
            format!("{field}.pathType"),
            format!(
                "Unsupported value: {}: supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                quote(other)
            ),
        )),
    }
    backend(&format!("{field}.backend"), &p["backend"], causes);
}

/// `ValidateIngressCreate`'s spec and annotation checks (the name and labels are the common
/// object checks of [`crate::validate::object`]).
pub fn validate(obj: &Value, causes: &mut Vec<(String, String)>) {
    let spec = &obj["spec"];
    let rules = crate::each(obj, "/spec/rules").collect::<Vec<_>>();
    if rules.is_empty() && spec.get("defaultBackend").is_none() {
        causes.push((
            "spec".into(),
            "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified".into(),
        ));
    }
    if let Some(b) = spec.get("defaultBackend") {
        backend("spec.defaultBackend", b, causes);
    }
    for (i, rule) in rules.iter().enumerate() {
        let field = format!("spec.rules[{i}]");
        if let Some(h) = rule["host"].as_str().filter(|h| !h.is_empty()) {
            if h.parse::<std::net::IpAddr>().is_ok() {
                causes.push((
                    format!("{field}.host"),
                    format!(
                        "Invalid value: {}: must be a DNS name, not an IP address",
                        quote(h)
                    ),
                ));
            }
            host(&format!("{field}.host"), h, causes);
        }
        if let Some(http) = rule.get("http") {
            let paths: Vec<&Value> = crate::each(http, "/paths").collect();
            if paths.is_empty() {
                causes.push((format!("{field}.http.paths"), "Required value".into()));
            }
            for (j, p) in paths.iter().enumerate() {
                path(&format!("{field}.http.paths[{j}]"), p, causes);
            }
        }
    }
    for (i, tls) in crate::each(obj, "/spec/tls").enumerate() {
        for (j, h) in crate::each(tls, "/hosts").enumerate() {
            host(
                &format!("spec.tls[{i}].hosts[{j}]"),
                h.as_str().unwrap_or_default(),
                causes,
            );
        }
        let secret = tls["secretName"].as_str().unwrap_or_default();
        if !secret.is_empty() {
            for m in subdomain(secret) {
                causes.push((
                    format!("spec.tls[{i}].secretName"),
                    format!("Invalid value: {}: {m}", quote(secret)),
                ));
            }
        }
    }
    let class = spec["ingressClassName"].as_str();
    if let Some(c) = class {
        for m in subdomain(c) {
            causes.push((
                "spec.ingressClassName".into(),
                format!("Invalid value: {}: {m}", quote(c)),
            ));
        }
    }
    const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
    if let (Some(a), Some(c)) = (
        obj.pointer("/metadata/annotations")
            .and_then(|m| m.get(CLASS_ANNOTATION))
            .and_then(Value::as_str),
        class,
    ) && a != c
    {
        causes.push((
            format!("annotations.{CLASS_ANNOTATION}"),
            format!(
                "Invalid value: {}: must match `ingressClassName` when both are specified",
                quote(a)
            ),
        ));
    }
}

/// `printIngress`'s cells: name, class, hosts, address, ports, age.
pub fn cells(obj: &Value, name: Value, age: Value) -> Vec<Value> {
    let class = obj
        .pointer("/spec/ingressClassName")
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let rules: Vec<&Value> = crate::each(obj, "/spec/rules").collect();
    let listed: Vec<&str> = rules
        .iter()
        .filter_map(|r| r["host"].as_str().filter(|h| !h.is_empty()))
        .take(3)
        .collect();
    let hosts = match (listed.is_empty(), rules.len() > 3) {
        (true, _) => "*".to_string(),
        (false, true) => format!("{} + {} more...", listed.join(","), rules.len() - 3),
        (false, false) => listed.join(","),
    };
    let address: Vec<&str> = crate::each(obj, "/status/loadBalancer/ingress")
        .filter_map(|i| i["ip"].as_str().or(i["hostname"].as_str()))
        .collect();
    let ports = if crate::each(obj, "/spec/tls").next().is_some() {
        "80, 443"
    } else {
        "80"
    };
    vec![
        name,
        json!(class),
        json!(hosts),
        json!(address.join(",")),
        json!(ports),
        age,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn causes(obj: Value) -> Vec<(String, String)> {
        let mut c = Vec::new();
        validate(&obj, &mut c);
        c
    }

    fn with_path(p: Value) -> Value {
        json!({"spec": {"rules": [{"host": "a.example.com", "http": {"paths": [p]}}]}})
    }

    #[test]
    fn a_driver_ui_ingress_is_valid() {
        let p = json!({"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "d-ui", "port": {"number": 4040}}}});
        assert_eq!(causes(with_path(p)), vec![]);
    }

    #[test]
    fn hosts_are_subdomains_with_a_wildcard_only_first() {
        let rule = |h: &str| json!({"spec": {"rules": [{"host": h}]}});
        assert_eq!(causes(rule("*.example.com")), vec![]);
        let c = causes(rule("a.*.example.com"));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].0, "spec.rules[0].host");
        assert!(
            c[0].1
                .starts_with("Invalid value: \"a.*.example.com\": a wildcard DNS-1123 subdomain"),
            "{c:?}"
        );
        let c = causes(rule("A.example.com"));
        assert_eq!(
            c[0].1,
            format!("Invalid value: \"A.example.com\": {SUBDOMAIN_MSG}")
        );
        let c = causes(rule("10.0.0.1"));
        assert_eq!(
            c[0].1,
            "Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"
        );
    }

    #[test]
    fn paths_need_a_type_and_a_prefix_path_is_absolute() {
        let svc = json!({"service": {"name": "s", "port": {"number": 80}}});
        let c = causes(with_path(json!({"path": "/", "backend": svc})));
        assert_eq!(
            c,
            vec![(
                "spec.rules[0].http.paths[0].pathType".to_string(),
                "Required value: pathType must be specified".to_string()
            )]
        );
        let c = causes(with_path(
            json!({"path": "ui", "pathType": "Prefix", "backend": svc}),
        ));
        assert_eq!(c[0].1, "Invalid value: \"ui\": must be an absolute path");
        let c = causes(with_path(
            json!({"path": "/", "pathType": "Regex", "backend": svc}),
        ));
        assert_eq!(
            c[0].1,
            "Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""
        );
    }

    #[test]
    fn backends_name_a_service_and_one_port() {
        let backend = |b: Value| {
            causes(with_path(
                json!({"path": "/", "pathType": "Prefix", "backend": b}),
            ))
        };
        let c = backend(json!({"service": {"name": "s"}}));
        assert_eq!(
            c,
            vec![(
                "spec.rules[0].http.paths[0].backend".to_string(),
                "Required value: port name or number is required".to_string()
            )]
        );
        let c = backend(json!({"service": {"name": "1s", "port": {"name": "ui", "number": 80}}}));
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c[0].1.contains("a DNS-1035 label"), "{c:?}");
        assert!(
            c[1].1.contains("cannot set both port name & port number"),
            "{c:?}"
        );
        let c = backend(json!({}));
        assert_eq!(
            c[0].1,
            "Invalid value: \"\": resource or service backend is required"
        );
    }

    #[test]
    fn the_table_row_is_kubectls() {
        let obj = json!({"spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example.com"}], "tls": [{"hosts": ["a.example.com"]}]}});
        assert_eq!(
            cells(&obj, json!("n"), json!("1s")),
            vec![
                json!("n"),
                json!("nginx"),
                json!("a.example.com"),
                json!(""),
                json!("80, 443"),
                json!("1s")
            ]
        );
    }
}
