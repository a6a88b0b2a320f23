//! Server-side Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which
//! `kubectl get` asks for and prints as it comes. Columns and cells follow the API server's
//! printers (kubernetes/kubernetes `pkg/printers/internalversion/printers.go`: `AddHandlers` for
//! the column definitions, `printPod`, `printEvent`, `printService`, `printNode`, ... for the
//! cells). The server always fills the wide (priority 1) columns; kubectl hides them unless
//! `-o wide`. Kinds without a printer get the default table (`Name`, `Created At`) of
//! `k8s.io/apiserver/pkg/registry/rest/table.go` (`defaultTableConvertor`); custom resources get
//! the CRD convertor's `Name` and `Age`.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::resources::Resource;

/// The Table version the client asked for (`v1` or `v1beta1`), if it asked for a Table.
pub fn requested(accept: &str) -> Option<&'static str> {
    accept.split(',').find_map(|offer| {
        let params: Vec<&str> = offer.split(';').map(str::trim).collect();
        let has = |p: &str| params.contains(&p);
        if !(has("as=Table") && has("g=meta.k8s.io")) {
            return None;
        }
        if has("v=v1") {
            Some("v1")
        } else if has("v=v1beta1") {
            Some("v1beta1")
        } else {
            None
        }
    })
}

/// A column: name, type, priority (1: wide only), format.
type Col = (&'static str, &'static str, u8, &'static str);

fn columns(r: &Resource) -> Vec<Col> {
    /// A string column shown by default.
    const fn c(name: &'static str) -> Col {
        (name, "string", 0, "")
    }
    /// A string column shown with `-o wide` only.
    const fn w(name: &'static str) -> Col {
        (name, "string", 1, "")
    }
    const NAME: Col = ("Name", "string", 0, "name");
    const AGE: Col = c("Age");
    match (r.group, r.plural) {
        ("", "pods") => vec![
            NAME,
            c("Ready"),
            c("Status"),
            c("Restarts"),
            AGE,
            w("IP"),
            w("Node"),
            w("Nominated Node"),
            w("Readiness Gates"),
        ],
        ("", "events") => vec![
            c("Last Seen"),
            c("Type"),
            c("Reason"),
            c("Object"),
            w("Subobject"),
            w("Source"),
            c("Message"),
            w("First Seen"),
            w("Count"),
            ("Name", "string", 1, "name"),
        ],
        ("", "services") => vec![
            NAME,
            c("Type"),
            c("Cluster-IP"),
            c("External-IP"),
            c("Port(s)"),
            AGE,
            w("Selector"),
        ],
        ("", "configmaps") => vec![NAME, ("Data", "integer", 0, ""), AGE],
        ("", "secrets") => vec![NAME, c("Type"), ("Data", "integer", 0, ""), AGE],
        ("", "serviceaccounts") => vec![NAME, c("Secrets"), AGE],
        ("", "namespaces") => vec![NAME, c("Status"), AGE],
        ("", "nodes") => vec![
            NAME,
            c("Status"),
            c("Roles"),
            AGE,
            c("Version"),
            w("Internal-IP"),
            w("External-IP"),
            w("OS-Image"),
            w("Kernel-Version"),
            w("Container-Runtime"),
        ],
        ("", "resourcequotas") => vec![NAME, AGE, c("Request"), c("Limit")],
        ("", "limitranges") => vec![NAME, ("Created At", "date", 0, "")],
        ("", "persistentvolumeclaims") => vec![
            NAME,
            c("Status"),
            c("Volume"),
            c("Capacity"),
            c("Access Modes"),
            c("StorageClass"),
            c("VolumeAttributesClass"),
            AGE,
            w("VolumeMode"),
        ],
        ("networking.k8s.io", "networkpolicies") => {
            vec![NAME, c("Pod-Selector"), AGE]
        }
        ("networking.k8s.io", "ingresses") => {
            vec![NAME, c("Class"), c("Hosts"), c("Address"), c("Ports"), AGE]
        }
        ("coordination.k8s.io", "leases") => vec![NAME, c("Holder"), AGE],
        // printRoleBinding / printClusterRoleBinding (pkg/printers/internalversion/printers.go).
        ("rbac.authorization.k8s.io", "rolebindings" | "clusterrolebindings") => vec![
            NAME,
            c("Role"),
            AGE,
            w("Users"),
            w("Groups"),
            w("ServiceAccounts"),
        ],
        _ if r.is_custom() => vec![NAME, ("Age", "date", 0, "")],
        _ => vec![NAME, ("Created At", "date", 0, "")],
    }
}

fn s<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or_default()
}

fn arr<'a>(v: &'a Value, p: &str) -> &'a [Value] {
    v.pointer(p)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".into()
    } else {
        v.to_string()
    }
}

/// Seconds since the Unix epoch of an RFC 3339 UTC time (`2026-01-02T03:04:05[.fff]Z`).
pub fn parse_time(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() < 20 || !t.ends_with('Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from civil (Howard Hinnant's algorithm), the inverse of `store::timestamp`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `duration.HumanDuration` (k8s.io/apimachinery/pkg/util/duration/duration.go).
pub fn human_duration(secs: i64) -> String {
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    let hours = secs / 3600;
    let days = hours / 24;
    let years = days / 365;
    match () {
        _ if minutes < 10 => two_units(minutes, 'm', secs % 60, 's'),
        _ if minutes < 180 => format!("{minutes}m"),
        _ if hours < 8 => two_units(hours, 'h', minutes % 60, 'm'),
        _ if hours < 48 => format!("{hours}h"),
        _ if hours < 24 * 8 => two_units(days, 'd', hours % 24, 'h'),
        _ if hours < 24 * 365 * 2 => format!("{days}d"),
        _ if hours < 24 * 365 * 8 => two_units(years, 'y', days % 365, 'd'),
        _ => format!("{years}y"),
    }
}

/// `HumanDuration`'s "1h5m" form: the smaller unit only when it is not zero.
fn two_units(major: i64, major_unit: char, minor: i64, minor_unit: char) -> String {
    if minor == 0 {
        format!("{major}{major_unit}")
    } else {
        format!("{major}{major_unit}{minor}{minor_unit}")
    }
}

/// `translateTimestampSince`: the age of a timestamp, `<unknown>` without one.
fn since(t: &str) -> String {
    match parse_time(t) {
        Some(t) => human_duration(now_secs() - t),
        None => "<unknown>".into(),
    }
}

fn age(obj: &Value) -> String {
    since(s(obj, "/metadata/creationTimestamp"))
}

fn name(obj: &Value) -> Value {
    json!(s(obj, "/metadata/name"))
}

/// `printPod`: READY, STATUS as kubectl shows it, RESTARTS, AGE, then the wide columns.
fn pod_cells(pod: &Value) -> Vec<Value> {
    let phase = s(pod, "/status/phase");
    let mut reason = match s(pod, "/status/reason") {
        "" => phase.to_string(),
        r => r.to_string(),
    };
    if arr(pod, "/status/conditions")
        .iter()
        .any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated")
    {
        reason = "SchedulingGated".into();
    }
    let inits = arr(pod, "/spec/initContainers");
    let sidecar = |n: &str| {
        inits
            .iter()
            .any(|c| c["name"] == n && c["restartPolicy"] == "Always")
    };
    let total = arr(pod, "/spec/containers").len()
        + inits
            .iter()
            .filter(|c| c["restartPolicy"] == "Always")
            .count();
    let mut ready = 0;
    let mut restarts = 0i64;
    let mut sidecar_restarts = 0i64;
    let mut last_restart: Option<i64> = None;
    let mut note_restart = |c: &Value| {
        if let Some(t) = c
            .pointer("/lastState/terminated/finishedAt")
            .and_then(Value::as_str)
            .and_then(parse_time)
        {
            last_restart = Some(last_restart.map_or(t, |l| l.max(t)));
        }
    };
    let mut initializing = false;
    let init_statuses = arr(pod, "/status/initContainerStatuses");
    for (i, c) in init_statuses.iter().enumerate() {
        let n = c["restartCount"].as_i64().unwrap_or(0);
        restarts += n;
        note_restart(c);
        let cname = c["name"].as_str().unwrap_or_default();
        let started = c["started"] == true;
        if sidecar(cname) {
            sidecar_restarts += n;
        }
        let term = c.pointer("/state/terminated");
        let waiting_reason = s(c, "/state/waiting/reason");
        if term.is_some_and(|t| t["exitCode"] == 0) {
            continue;
        }
        if sidecar(cname) && started {
            if c["ready"] == true {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(t) = term {
            match t["reason"].as_str().unwrap_or_default() {
                "" if t["signal"].as_i64().unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", t["signal"])
                }
                "" => format!("Init:ExitCode:{}", t["exitCode"]),
                r => format!("Init:{r}"),
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{i}/{}", inits.len())
        };
        initializing = true;
        break;
    }
    let initialized = arr(pod, "/status/conditions")
        .iter()
        .any(|c| c["type"] == "Initialized" && c["status"] == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        let mut has_running = false;
        for c in arr(pod, "/status/containerStatuses").iter().rev() {
            restarts += c["restartCount"].as_i64().unwrap_or(0);
            note_restart(c);
            let waiting = s(c, "/state/waiting/reason");
            let term = c.pointer("/state/terminated");
            if !waiting.is_empty() {
                reason = waiting.to_string();
            } else if let Some(t) = term {
                reason = match t["reason"].as_str().unwrap_or_default() {
                    "" if t["signal"].as_i64().unwrap_or(0) != 0 => {
                        format!("Signal:{}", t["signal"])
                    }
                    "" => format!("ExitCode:{}", t["exitCode"]),
                    r => r.to_string(),
                };
            } else if c["ready"] == true && c.pointer("/state/running").is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = arr(pod, "/status/conditions")
                .iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }
    let deleting = pod
        .pointer("/metadata/deletionTimestamp")
        .is_some_and(|d| !d.is_null());
    if deleting && s(pod, "/status/reason") == "NodeLost" {
        reason = "Unknown".into();
    } else if deleting && !matches!(phase, "Succeeded" | "Failed") {
        reason = "Terminating".into();
    }
    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", human_duration(now_secs() - t)),
        _ => restarts.to_string(),
    };
    let ip = arr(pod, "/status/podIPs")
        .first()
        .and_then(|i| i["ip"].as_str())
        .unwrap_or_default();
    let gates = arr(pod, "/spec/readinessGates");
    let gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = arr(pod, "/status/conditions");
        let true_gates = gates
            .iter()
            .filter(|g| {
                conditions
                    .iter()
                    .any(|c| c["type"] == g["conditionType"] && c["status"] == "True")
            })
            .count();
        format!("{true_gates}/{}", gates.len())
    };
    vec![
        name(pod),
        json!(format!("{ready}/{total}")),
        json!(reason),
        json!(restarts),
        json!(age(pod)),
        json!(or_none(ip)),
        json!(or_none(s(pod, "/spec/nodeName"))),
        json!(or_none(s(pod, "/status/nominatedNodeName"))),
        json!(gates),
    ]
}

/// `printEvent` (wide): LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN,
/// COUNT, NAME.
fn event_cells(ev: &Value) -> Vec<Value> {
    let first = match s(ev, "/firstTimestamp") {
        "" => since(s(ev, "/eventTime")),
        t => since(t),
    };
    let mut last = match s(ev, "/lastTimestamp") {
        "" => first.clone(),
        t => since(t),
    };
    let mut count = ev["count"].as_i64().unwrap_or(0);
    if let Some(series) = ev.get("series").filter(|v| v.is_object()) {
        last = since(s(series, "/lastObservedTime"));
        count = series["count"].as_i64().unwrap_or(0);
    } else if count == 0 {
        count = 1;
    }
    let kind = s(ev, "/involvedObject/kind").to_lowercase();
    let target = match s(ev, "/involvedObject/name") {
        "" => kind,
        n => format!("{kind}/{n}"),
    };
    let component = match s(ev, "/source/component") {
        "" => s(ev, "/reportingComponent"),
        c => c,
    };
    let host = match s(ev, "/source/host") {
        "" => s(ev, "/reportingInstance"),
        h => h,
    };
    let source = if host.is_empty() {
        component.to_string()
    } else {
        format!("{component}, {host}")
    };
    vec![
        json!(last),
        json!(s(ev, "/type")),
        json!(s(ev, "/reason")),
        json!(target),
        json!(s(ev, "/involvedObject/fieldPath")),
        json!(source),
        json!(s(ev, "/message").trim()),
        json!(first),
        json!(count),
        name(ev),
    ]
}

/// `labels.FormatLabels` / `FormatLabelSelector` of a plain map: `k=v,…` sorted, `<none>` if empty.
fn format_labels(m: Option<&Value>) -> String {
    let Some(m) = m.and_then(Value::as_object).filter(|m| !m.is_empty()) else {
        return "<none>".into();
    };
    let mut pairs: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    pairs.sort();
    pairs.join(",")
}

/// `printService`: TYPE, CLUSTER-IP, EXTERNAL-IP (`getServiceExternalIP`), PORT(S)
/// (`makePortString`), AGE, SELECTOR.
fn service_cells(svc: &Value) -> Vec<Value> {
    let kind = s(svc, "/spec/type");
    let cluster_ip = arr(svc, "/spec/clusterIPs")
        .first()
        .and_then(Value::as_str)
        .unwrap_or("<none>");
    let external: Vec<&str> = arr(svc, "/spec/externalIPs")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let external_ip = match kind {
        "ExternalName" => s(svc, "/spec/externalName").to_string(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = arr(svc, "/status/loadBalancer/ingress")
                .iter()
                .filter_map(|i| {
                    i["ip"]
                        .as_str()
                        .filter(|x| !x.is_empty())
                        .or(i["hostname"].as_str())
                        .map(str::to_string)
                })
                .collect();
            ips.extend(external.iter().map(|x| x.to_string()));
            if ips.is_empty() {
                "<pending>".into()
            } else {
                ips.join(",")
            }
        }
        _ if external.is_empty() => "<none>".into(),
        _ => external.join(","),
    };
    let ports: Vec<String> = arr(svc, "/spec/ports")
        .iter()
        .map(|p| {
            let proto = p["protocol"].as_str().unwrap_or_default();
            match p["nodePort"].as_i64().filter(|n| *n > 0) {
                Some(np) => format!("{}:{np}/{proto}", p["port"]),
                None => format!("{}/{proto}", p["port"]),
            }
        })
        .collect();
    vec![
        name(svc),
        json!(kind),
        json!(cluster_ip),
        json!(external_ip),
        json!(if ports.is_empty() {
            "<none>".to_string()
        } else {
            ports.join(",")
        }),
        json!(age(svc)),
        json!(format_labels(svc.pointer("/spec/selector"))),
    ]
}

/// `printNode`: STATUS from the Ready condition (`SchedulingDisabled` when cordoned), ROLES from
/// `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, VERSION, then the wide columns.
fn node_cells(node: &Value) -> Vec<Value> {
    let mut status: Vec<String> = arr(node, "/status/conditions")
        .iter()
        .filter(|c| c["type"] == "Ready")
        .map(|c| {
            if c["status"] == "True" {
                "Ready".to_string()
            } else {
                "NotReady".to_string()
            }
        })
        .take(1)
        .collect();
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if node.pointer("/spec/unschedulable") == Some(&Value::Bool(true)) {
        status.push("SchedulingDisabled".into());
    }
    let mut roles: Vec<String> = node
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                Some(role.to_string()).filter(|r| !r.is_empty())
            } else if k == "kubernetes.io/role" {
                v.as_str().map(str::to_string).filter(|r| !r.is_empty())
            } else {
                None
            }
        })
        .collect();
    roles.sort();
    roles.dedup();
    let address = |t: &str| {
        arr(node, "/status/addresses")
            .iter()
            .find(|a| a["type"] == t)
            .and_then(|a| a["address"].as_str())
            .unwrap_or("<none>")
            .to_string()
    };
    let info = |f: &str| match s(node, &format!("/status/nodeInfo/{f}")) {
        "" => "<unknown>".to_string(),
        v => v.to_string(),
    };
    vec![
        name(node),
        json!(status.join(",")),
        json!(if roles.is_empty() {
            "<none>".to_string()
        } else {
            roles.join(",")
        }),
        json!(age(node)),
        json!(s(node, "/status/nodeInfo/kubeletVersion")),
        json!(address("InternalIP")),
        json!(address("ExternalIP")),
        json!(info("osImage")),
        json!(info("kernelVersion")),
        json!(info("containerRuntimeVersion")),
    ]
}

/// `printResourceQuota`: `resource: used/hard` for each hard limit in name order, `limits.*` in
/// LIMIT, the rest in REQUEST.
fn quota_cells(q: &Value) -> Vec<Value> {
    let mut request = Vec::new();
    let mut limit = Vec::new();
    let hard = q.pointer("/spec/hard").and_then(Value::as_object);
    let mut names: Vec<&String> = hard.into_iter().flat_map(|h| h.keys()).collect();
    names.sort();
    for n in names {
        let used = q
            .pointer(&format!(
                "/status/used/{}",
                n.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_str)
            .unwrap_or("0");
        let limit_of = hard.and_then(|h| h[n].as_str()).unwrap_or("0");
        let cell = format!("{n}: {used}/{limit_of}");
        if n.split('.').next() == Some("limits") && n.contains('.') {
            limit.push(cell);
        } else {
            request.push(cell);
        }
    }
    vec![
        name(q),
        json!(age(q)),
        json!(request.join(", ")),
        json!(limit.join(", ")),
    ]
}

/// A binding's row: `Kind/name` of its role, then the subjects by kind (a service account as
/// `namespace/name`), each list joined with `, `.
fn binding_cells(obj: &Value) -> Vec<Value> {
    let subjects = |kind: &str| {
        crate::each(obj, "/subjects")
            .filter(|x| s(x, "/kind") == kind)
            .map(|x| match s(x, "/namespace") {
                "" => s(x, "/name").to_string(),
                ns => format!("{ns}/{}", s(x, "/name")),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        name(obj),
        json!(format!(
            "{}/{}",
            s(obj, "/roleRef/kind"),
            s(obj, "/roleRef/name")
        )),
        json!(age(obj)),
        json!(subjects("User")),
        json!(subjects("Group")),
        json!(subjects("ServiceAccount")),
    ]
}

fn cells(r: &Resource, obj: &Value) -> Vec<Value> {
    match (r.group, r.plural) {
        ("", "pods") => pod_cells(obj),
        ("", "events") => event_cells(obj),
        ("", "services") => service_cells(obj),
        ("", "nodes") => node_cells(obj),
        ("", "resourcequotas") => quota_cells(obj),
        ("", "configmaps") => {
            let n = obj
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + obj
                    .get("binaryData")
                    .and_then(Value::as_object)
                    .map_or(0, |m| m.len());
            vec![name(obj), json!(n), json!(age(obj))]
        }
        ("", "secrets") => {
            let n = obj
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len());
            vec![name(obj), json!(s(obj, "/type")), json!(n), json!(age(obj))]
        }
        ("", "serviceaccounts") => {
            vec![
                name(obj),
                json!(arr(obj, "/secrets").len()),
                json!(age(obj)),
            ]
        }
        ("", "namespaces") => vec![name(obj), json!(s(obj, "/status/phase")), json!(age(obj))],
        ("", "limitranges") => vec![name(obj), json!(s(obj, "/metadata/creationTimestamp"))],
        ("", "persistentvolumeclaims") => {
            let modes: Vec<&str> = arr(obj, "/status/accessModes")
                .iter()
                .filter_map(Value::as_str)
                .map(|m| match m {
                    "ReadWriteOnce" => "RWO",
                    "ReadOnlyMany" => "ROX",
                    "ReadWriteMany" => "RWX",
                    "ReadWriteOncePod" => "RWOP",
                    other => other,
                })
                .collect();
            let bound = !s(obj, "/spec/volumeName").is_empty();
            vec![
                name(obj),
                json!(s(obj, "/status/phase")),
                json!(s(obj, "/spec/volumeName")),
                json!(if bound {
                    s(obj, "/status/capacity/storage")
                } else {
                    ""
                }),
                json!(if bound {
                    modes.join(",")
                } else {
                    String::new()
                }),
                json!(s(obj, "/spec/storageClassName")),
                json!(or_none(s(obj, "/spec/volumeAttributesClassName"))),
                json!(age(obj)),
                json!(s(obj, "/spec/volumeMode")),
            ]
        }
        ("networking.k8s.io", "networkpolicies") => vec![
            name(obj),
            json!(format_labels(obj.pointer("/spec/podSelector/matchLabels"))),
            json!(age(obj)),
        ],
        ("networking.k8s.io", "ingresses") => {
            crate::ingress::cells(obj, name(obj), json!(age(obj)))
        }
        ("coordination.k8s.io", "leases") => vec![
            name(obj),
            json!(s(obj, "/spec/holderIdentity")),
            json!(age(obj)),
        ],
        ("rbac.authorization.k8s.io", "rolebindings" | "clusterrolebindings") => binding_cells(obj),
        _ if r.is_custom() => vec![name(obj), json!(age(obj))],
        _ => vec![name(obj), json!(s(obj, "/metadata/creationTimestamp"))],
    }
}

/// One row; `include` is the request's `includeObject` (`None`, `Object`, default `Metadata`).
fn row(r: &Resource, obj: &Value, include: &str) -> Value {
    let mut row = json!({"cells": cells(r, obj)});
    match include {
        "None" => {}
        "Object" => row["object"] = obj.clone(),
        _ => {
            row["object"] = json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                "metadata": obj.get("metadata").cloned().unwrap_or(json!({}))});
        }
    }
    // printPod marks terminal pods' rows as completed (podSuccessConditions / podFailedConditions).
    if r.plural == "pods" && matches!(s(obj, "/status/phase"), "Succeeded" | "Failed") {
        let message = if s(obj, "/status/phase") == "Succeeded" {
            "The pod has completed successfully."
        } else {
            "The pod failed."
        };
        row["conditions"] = json!([{"type": "Completed", "status": "True", "reason": s(obj, "/status/phase"), "message": message}]);
    }
    row
}

/// A Table of `items` (a list's page, or one object), with the list's metadata.
pub fn table(
    r: &Resource,
    items: &[Value],
    metadata: Value,
    version: &str,
    include: &str,
) -> Value {
    let defs: Vec<Value> = columns(r)
        .into_iter()
        .map(|(n, t, p, f)| json!({"name": n, "type": t, "format": f, "description": "", "priority": p}))
        .collect();
    let rows: Vec<Value> = items.iter().map(|o| row(r, o, include)).collect();
    json!({"kind": "Table", "apiVersion": format!("meta.k8s.io/{version}"), "metadata": metadata,
           "columnDefinitions": defs, "rows": rows})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(requested(kubectl), Some("v1"));
        assert_eq!(
            requested("application/json;as=Table;v=v1beta1;g=meta.k8s.io"),
            Some("v1beta1")
        );
        assert_eq!(requested("application/json, */*"), None);
    }

    #[test]
    fn human_durations_as_apimachinery_prints_them() {
        for (secs, want) in [
            (-5, "<invalid>"),
            (-1, "0s"),
            (59, "59s"),
            (119, "119s"),
            (120, "2m"),
            (125, "2m5s"),
            (600, "10m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 60, "3h1m"),
            (47 * 3600, "47h"),
            (49 * 3600, "2d1h"),
            (10 * 86_400, "10d"),
            (3 * 365 * 86_400, "3y"),
            (3 * 365 * 86_400 + 86_400, "3y1d"),
        ] {
            assert_eq!(human_duration(secs), want, "{secs}");
        }
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time("2026-11-27T02:23:55Z"), Some(1_795_746_235));
        assert_eq!(parse_time("2000-02-29T00:00:00.123456Z"), Some(951_782_400));
        assert_eq!(parse_time(""), None);
    }

    fn pod_status(pod: Value) -> String {
        pod_cells(&pod)[2].as_str().unwrap().to_string()
    }

    #[test]
    fn pod_status_column_as_print_pod_computes_it() {
        let waiting = json!({"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Pending",
            "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}});
        assert_eq!(pod_status(waiting), "ContainerCreating");
        let done = json!({"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Succeeded",
            "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}}]}});
        assert_eq!(pod_status(done), "Completed");
        let mut deleting = json!({"metadata": {"deletionTimestamp": "2026-01-01T00:00:00Z"}, "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "state": {"running": {}}}]}});
        assert_eq!(pod_status(deleting.clone()), "Terminating");
        assert_eq!(pod_cells(&deleting)[1], "1/1");
        deleting["status"]["reason"] = json!("NodeLost");
        assert_eq!(pod_status(deleting), "Unknown");
        let init = json!({"spec": {"initContainers": [{"name": "i"}], "containers": [{"name": "c"}]}, "status": {"phase": "Pending",
            "initContainerStatuses": [{"name": "i", "ready": false, "restartCount": 0, "state": {"running": {}}}],
            "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}]}});
        assert_eq!(pod_status(init), "Init:0/1");
        let unscheduled =
            json!({"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Pending"}});
        assert_eq!(pod_status(unscheduled.clone()), "Pending");
        assert_eq!(pod_cells(&unscheduled)[1], "0/1");
        assert_eq!(pod_cells(&unscheduled)[6], "<none>");
    }
}
