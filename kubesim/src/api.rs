//! The API verbs: a request (method, path, query, body) in, a reply out. Knows nothing of HTTP
//! framing; `wire` does that.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::cluster::Cluster;
use crate::patch;
use crate::resources::{self, Resource};
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{self, ApiError};
use crate::store::{Propagation, WatchFilter};

/// A request as the API layer sees it.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub content_type: String,
    pub body: Vec<u8>,
    /// The client's `User-Agent` (the default field manager is its first part).
    pub user_agent: String,
    /// The client's `Accept` (kubectl asks for a server-side Table).
    pub accept: String,
    /// Who sent it: `None` is the kubesim token's user (the admin).
    pub user: Option<crate::rbac::User>,
}

/// A watch to stream.
pub struct WatchStream {
    pub initial: Vec<std::sync::Arc<crate::store::WatchEvent>>,
    pub rx: mpsc::UnboundedReceiver<std::sync::Arc<crate::store::WatchEvent>>,
    pub timeout: Option<Duration>,
    /// Bookmarks asked for (`allowWatchBookmarks=true`), and what kind/apiVersion they carry.
    pub bookmarks: Option<(String, String)>,
    /// A streaming list (`sendInitialEvents=true`): after the initial events, a bookmark at
    /// this resourceVersion annotated `k8s.io/initial-events-end: "true"`.
    pub initial_end: Option<u64>,
}

/// A followed container log.
pub struct LogFollow {
    pub key: (String, String, String),
    pub from: usize,
    pub timestamps: bool,
}

/// What the API answers.
pub enum Reply {
    Json(u16, Value),
    Raw(u16, &'static str, Vec<u8>),
    Watch(WatchStream),
    Log(LogFollow),
    Stream(StreamSession),
    /// What a pod answered through the pod proxy (`Location` already rewritten).
    Proxied(crate::sparkui::Page),
}

/// An attach or exec session, checked and ready for the WebSocket upgrade.
pub struct StreamSession {
    pub key: (String, String, String),
    /// The command for exec; `None` for attach.
    pub command: Option<Vec<String>>,
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    pub tty: bool,
    pub pod: Value,
    pub container: Value,
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        Reply::Json(e.code, e.body)
    }
}

/// Splits a query string, tolerating empty pairs (`?&container=x`) and decoding `%XX` and `+`.
/// Parses a query string. A parameter given twice keeps its first value (Go's `Query().Get`),
/// except `command` (exec's argv, one parameter per word), whose values are joined by NUL.
pub fn parse_query(q: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for p in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        let (k, v) = (decode(k), decode(v));
        match out.get_mut(&k) {
            Some(prev) if k == "command" => {
                let prev: &mut String = prev;
                prev.push('\0');
                prev.push_str(&v);
            }
            Some(_) => {}
            None => {
                out.insert(k, v);
            }
        }
    }
    out
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `strconv.ParseBool`.
fn truthy(v: Option<&String>) -> bool {
    matches!(
        v.map(String::as_str),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True")
    )
}

/// A parsed resource path.
struct Target {
    r: &'static Resource,
    namespace: Option<String>,
    name: Option<String>,
    sub: Option<String>,
    /// The path after `…/proxy` of a proxy subresource (`/` when none).
    proxy_path: String,
}

fn route(path: &str) -> Option<Target> {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let (group, version, rest) = match parts.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return None,
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, rest @ ..] => (Some(ns.to_string()), {
            let mut v = vec![*plural];
            v.extend_from_slice(rest);
            v
        }),
        other => (None, other.to_vec()),
    };
    let (plural, name, sub) = match rest.as_slice() {
        [p] => (*p, None, None),
        [p, n] => (*p, Some(n.to_string()), None),
        [p, n, s] => (*p, Some(n.to_string()), Some(s.to_string())),
        // `…/{name}/proxy/{path}`: the rest is the path on the proxied pod or service.
        [p, n, "proxy", ..] => (*p, Some(n.to_string()), Some("proxy".to_string())),
        _ => {
            // `/api/v1/namespaces/{ns}` itself.
            if rest.is_empty()
                && let Some(ns) = &namespace
            {
                let r = resources::find("", "v1", "namespaces")?;
                return Some(Target {
                    r,
                    namespace: None,
                    name: Some(ns.clone()),
                    sub: None,
                    proxy_path: String::new(),
                });
            }
            return None;
        }
    };
    let r = resources::find(group, version, plural)?;
    if r.namespaced != namespace.is_some() && name.is_some() {
        return None;
    }
    let proxy_path = match sub.as_deref() {
        Some("proxy") => {
            let at = format!("/{plural}/{}/proxy", name.as_deref().unwrap_or_default());
            let rest = path.find(&at).map_or("", |i| &path[i + at.len()..]);
            if rest.is_empty() {
                "/".to_string()
            } else {
                rest.to_string()
            }
        }
        _ => String::new(),
    };
    Some(Target {
        r,
        namespace,
        name,
        sub,
        proxy_path,
    })
}

/// The verb and resource of a request, for counters (`list pods`, `get pods/log`).
pub fn classify(req: &Request) -> (&'static str, String) {
    let Some(t) = route(&req.path) else {
        return ("get", "discovery".into());
    };
    let resource = match &t.sub {
        Some(s) => format!("{}/{s}", t.r.plural),
        None => t.r.plural.to_string(),
    };
    let verb = match (req.method.as_str(), t.name.is_some()) {
        ("GET", false) if truthy(req.query.get("watch")) => "watch",
        ("GET", true) => "get",
        ("GET", false) => "list",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "delete",
        ("DELETE", false) => "deletecollection",
        _ => "other",
    };
    (verb, resource)
}

/// The access check for a client's request: the RBAC 403 when a rule denies it.
pub fn authorize(cluster: &Cluster, req: &Request) -> Result<(), ApiError> {
    let Some(t) = route(&req.path) else {
        return Ok(());
    };
    let (verb, resource) = classify(req);
    let namespace = t.namespace.as_deref().unwrap_or("");
    let name = t.name.as_deref().unwrap_or("");
    let check = |verb| {
        cluster.access.check(
            &cluster.store,
            req.user.as_ref(),
            &crate::access::Attributes {
                verb,
                group: t.r.group,
                resource: &resource,
                namespace,
            },
            name,
        )
    };
    check(verb)?;
    // An apply that creates the object is authorised to create it too, as the PATCH handler's
    // createValidation does (`withAuthorization`, k8s.io/apiserver/pkg/endpoints/handlers/patch.go).
    if verb == "patch"
        && req.content_type.starts_with("application/apply-patch+yaml")
        && cluster.store.get(t.r, namespace, name).is_err()
    {
        check("create")?;
    }
    Ok(())
}

/// Answers one request against `cluster`.
pub fn handle(cluster: &Cluster, req: &Request) -> Reply {
    match handle_inner(cluster, req) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

fn body_json(req: &Request) -> Result<Value, ApiError> {
    if req
        .content_type
        .starts_with("application/vnd.kubernetes.protobuf")
    {
        return crate::proto::self_subject_access_review(&req.body)
            .ok_or_else(|| status::unsupported_media_type("application/json, application/yaml"));
    }
    if req.content_type.contains("yaml") && !req.body.starts_with(b"{") {
        return Err(status::unsupported_media_type("application/json"));
    }
    serde_json::from_slice(&req.body).map_err(|e| {
        status::bad_request(format!("the body of the request could not be decoded: {e}"))
    })
}

fn handle_inner(cluster: &Cluster, req: &Request) -> Result<Reply, ApiError> {
    let path = req.path.as_str();
    match (req.method.as_str(), path) {
        ("GET", "/version") => return Ok(Reply::Json(200, resources::version())),
        ("GET", "/api") => return Ok(Reply::Json(200, resources::api_versions(&cluster.address))),
        ("GET", "/apis") => return Ok(Reply::Json(200, resources::group_list())),
        ("GET", "/openapi/v2") => {
            // An empty protobuf Document: kubectl apply then skips client-side schema checks.
            return Ok(Reply::Raw(
                200,
                "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                Vec::new(),
            ));
        }
        ("GET", "/healthz" | "/readyz" | "/livez") => {
            return Ok(Reply::Raw(200, "text/plain; charset=utf-8", b"ok".to_vec()));
        }
        _ => {}
    }
    if req.method == "GET" {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match parts.as_slice() {
            ["api", v] => {
                return resources::resource_list("", v)
                    .map(|l| Reply::Json(200, l))
                    .ok_or_else(status::no_route);
            }
            ["apis", g, v] => {
                return resources::resource_list(g, v)
                    .map(|l| Reply::Json(200, l))
                    .ok_or_else(status::no_route);
            }
            ["apis", g] => {
                let groups = resources::group_list();
                return groups["groups"]
                    .as_array()
                    .and_then(|gs| gs.iter().find(|x| x["name"] == *g))
                    .map(|x| {
                        let mut x = x.clone();
                        x["kind"] = json!("APIGroup");
                        x["apiVersion"] = json!("v1");
                        Reply::Json(200, x)
                    })
                    .ok_or_else(status::no_route);
            }
            _ => {}
        }
    }
    let t = route(path).ok_or_else(status::no_route)?;
    let r = t.r;
    let ns = t.namespace.clone().unwrap_or_default();
    let store = &cluster.store;
    match (req.method.as_str(), &t.name, t.sub.as_deref()) {
        ("GET", None, None) => {
            let (label, field) = selectors(r, req)?;
            if truthy(req.query.get("watch")) {
                return watch(cluster, r, t.namespace.clone(), label, field, req);
            }
            let selected = !label.is_empty() || !field.is_empty();
            let listed = match req.query.get("continue").filter(|c| !c.is_empty()) {
                Some(token) => {
                    let (rv, after) = parse_continue(token)?;
                    // The next page comes from the first page's snapshot (etcd3 `GetList` reads
                    // at the token's revision); a token older than the history is 410.
                    let items = match rv {
                        Some(rv) => store
                            .list_at(r, t.namespace.as_deref(), &label, &field, rv)
                            .map(|items| (items, rv))
                            .ok_or_else(|| continue_expired(&after))?,
                        None => store.list(r, t.namespace.as_deref(), &label, &field),
                    };
                    (items, Some(after))
                }
                None => (store.list(r, t.namespace.as_deref(), &label, &field), None),
            };
            let ((items, rv), after) = listed;
            let list = page(r, items, rv, after.as_deref(), selected, req);
            Ok(Reply::Json(200, as_table(r, req, list, true)))
        }
        ("GET", Some(name), None) => Ok(Reply::Json(
            200,
            as_table(r, req, store.get(r, &ns, name)?, false),
        )),
        ("GET", Some(name), Some("status")) => Ok(Reply::Json(200, store.get(r, &ns, name)?)),
        ("POST", None, None) => {
            let obj = body_json(req)?;
            check_body_kind(r, &obj)?;
            if let Some(body_ns) = obj.pointer("/metadata/namespace").and_then(Value::as_str)
                && r.namespaced
                && !body_ns.is_empty()
                && body_ns != ns
            {
                return Err(status::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            if matches!(
                r.plural,
                "selfsubjectaccessreviews" | "subjectaccessreviews"
            ) {
                let mut obj = obj;
                let spec = obj.get("spec").cloned().unwrap_or(Value::Null);
                // A SubjectAccessReview asks for exactly the user and groups its spec names
                // (none added), as the SAR REST storage passes `spec.user`/`spec.groups` to the
                // authorizer (pkg/registry/authorization/subjectaccessreview/rest.go).
                let subject = (r.plural == "subjectaccessreviews").then(|| crate::rbac::User {
                    name: spec
                        .get("user")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    groups: crate::each(&spec, "/groups")
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                });
                let user = subject.as_ref().or(req.user.as_ref());
                obj["status"] = cluster.access.review(&cluster.store, user, &spec);
                obj["kind"] = json!(r.kind);
                obj["apiVersion"] = json!(r.api_version());
                return Ok(Reply::Json(201, obj));
            }
            if is_dry_run(req) {
                let mut obj = obj;
                obj["kind"] = json!(r.kind);
                obj["apiVersion"] = json!(r.api_version());
                return Ok(Reply::Json(201, obj));
            }
            let mut obj = obj;
            crate::managed::record_update(None, &mut obj, &manager(req), &r.api_version());
            if r.plural == "services" {
                crate::services::allocate(cluster, &mut obj);
            }
            Ok(Reply::Json(201, store.create(r, &ns, obj)?))
        }
        ("PUT", Some(name), sub @ (None | Some("status"))) => {
            let mut obj = body_json(req)?;
            check_body_kind(r, &obj)?;
            if sub.is_none() {
                let current = store.get(r, &ns, name)?;
                crate::managed::record_update(
                    Some(&current),
                    &mut obj,
                    &manager(req),
                    &r.api_version(),
                );
            }
            Ok(Reply::Json(
                200,
                std::sync::Arc::unwrap_or_clone(store.update_shared(
                    r,
                    &ns,
                    name,
                    obj,
                    sub == Some("status"),
                )?),
            ))
        }
        ("PATCH", Some(name), None)
            if req.content_type.starts_with("application/apply-patch+yaml") =>
        {
            apply(cluster, r, &ns, name, req)
        }
        ("PATCH", Some(name), sub @ (None | Some("status"))) => {
            patch_object(cluster, r, &ns, name, sub == Some("status"), req)
        }
        ("DELETE", Some(name), None) => {
            let opts: Value = if req.body.is_empty() {
                json!({})
            } else {
                serde_json::from_slice(&req.body).unwrap_or(json!({}))
            };
            let uid = opts.pointer("/preconditions/uid").and_then(Value::as_str);
            let rv = opts
                .pointer("/preconditions/resourceVersion")
                .and_then(Value::as_str);
            let grace = opts
                .get("gracePeriodSeconds")
                .and_then(Value::as_i64)
                .or_else(|| {
                    req.query
                        .get("gracePeriodSeconds")
                        .and_then(|g| g.parse().ok())
                });
            if is_dry_run(req) {
                return Ok(Reply::Json(200, store.get(r, &ns, name)?));
            }
            let policy = opts
                .get("propagationPolicy")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| req.query.get("propagationPolicy").cloned());
            let orphan_dependents = opts
                .get("orphanDependents")
                .and_then(Value::as_bool)
                .or_else(|| req.query.get("orphanDependents").map(|v| truthy(Some(v))));
            let propagation = match (policy.as_deref(), orphan_dependents) {
                (Some("Foreground"), _) => Propagation::Foreground,
                (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
                (Some("Background") | None, _) => Propagation::Background,
                (Some(other), _) => {
                    return Err(status::invalid(
                        "DeleteOptions",
                        "",
                        "meta.k8s.io",
                        &[(
                            "propagationPolicy",
                            format!(
                                "Unsupported value: \"{other}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
                            ),
                        )],
                    ));
                }
            };
            let deleted = store.delete_with(r, &ns, name, uid, rv, grace, propagation)?;
            if r.plural == "pods"
                || r.plural == "namespaces"
                || propagation != Propagation::Background
            {
                Ok(Reply::Json(200, deleted))
            } else {
                let uid = deleted
                    .pointer("/metadata/uid")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                Ok(Reply::Json(
                    200,
                    status::success(r.group, r.plural, name, uid),
                ))
            }
        }
        ("DELETE", None, None) => {
            let (label, field) = selectors(r, req)?;
            let (items, _) = store.list(r, t.namespace.as_deref(), &label, &field);
            let mut deleted = Vec::new();
            for item in items {
                let name = item
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let item_ns = item
                    .pointer("/metadata/namespace")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Ok(d) = store.delete(r, item_ns, name, None) {
                    deleted.push(d);
                }
            }
            let rv = store.resource_version();
            Ok(Reply::Json(
                200,
                json!({"kind": format!("{}List", r.kind), "apiVersion": r.api_version(), "metadata": {"resourceVersion": rv.to_string()}, "items": deleted}),
            ))
        }
        ("GET", Some(name), Some("log")) if r.plural == "pods" => pod_log(cluster, &ns, name, req),
        (_, Some(name), Some("proxy")) if r.plural == "pods" => {
            pod_proxy(cluster, &ns, name, &t.proxy_path, req)
        }
        ("GET" | "POST", Some(name), Some(sub))
            if r.plural == "pods" && matches!(sub, "exec" | "attach") =>
        {
            stream_session(cluster, &ns, name, sub, req)
        }
        _ => Err(status::method_not_served()),
    }
}

/// PATCH (merge, JSON or strategic): the patch is applied to the stored object and written with
/// that object's resourceVersion. Without a `metadata.resourceVersion` in the patch, a write that
/// lost the race to a concurrent one is retried on the fresh object, never answered 409: the
/// apiserver's `patcher.patchResource` (k8s.io/apiserver/pkg/endpoints/handlers/patch.go) passes
/// `applyPatch` as the `tryUpdate` of `Store.Update` (registry/generic/registry/store.go), which
/// `GuaranteedUpdate` (storage/etcd3/store.go) re-runs on the current object after a conflict.
fn patch_object(
    cluster: &Cluster,
    r: &Resource,
    ns: &str,
    name: &str,
    status_only: bool,
    req: &Request,
) -> Result<Reply, ApiError> {
    let body = body_json(req)?;
    let ct = req
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim();
    // A resourceVersion in the patch is a precondition: its conflict is the client's.
    let precondition = body.pointer("/metadata/resourceVersion").is_some();
    loop {
        let current = cluster.store.get(r, ns, name)?;
        let mut next = current.clone();
        match ct {
            "application/merge-patch+json" => patch::merge(&mut next, &body),
            "application/json-patch+json" => patch::json_patch(&mut next, &body)
                .map_err(|e| status::invalid(r.kind, name, r.group, &[("", e)]))?,
            "application/strategic-merge-patch+json" if !r.is_custom() => {
                patch::strategic(&mut next, &body)
            }
            _ => {
                let accepted = if r.is_custom() {
                    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                } else {
                    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"
                };
                return Err(status::unsupported_media_type(accepted));
            }
        }
        if !precondition {
            next["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"].clone();
        }
        if !status_only {
            crate::managed::record_update(
                Some(&current),
                &mut next,
                &manager(req),
                &r.api_version(),
            );
        }
        match cluster
            .store
            .update_shared(r, ns, name, next, status_only)
            .map(std::sync::Arc::unwrap_or_clone)
        {
            Err(e) if !precondition && is_conflict(&e) => continue,
            result => return Ok(Reply::Json(200, result?)),
        }
    }
}

/// The optimistic-lock 409 (not AlreadyExists, not an apply field conflict).
fn is_conflict(e: &ApiError) -> bool {
    e.code == 409
        && e.reason() == "Conflict"
        && e.body
            .pointer("/details/causes")
            .is_none_or(|c| c.as_array().is_none_or(Vec::is_empty))
}

/// Server-side apply: creates the object (201) or merges the applied fields into it (200), with
/// field ownership: another manager's field set to a different value is a 409 unless `force`.
fn apply(
    cluster: &Cluster,
    r: &Resource,
    ns: &str,
    name: &str,
    req: &Request,
) -> Result<Reply, ApiError> {
    if req.query.get("fieldManager").is_none_or(|m| m.is_empty()) {
        return Err(status::invalid(
            "PatchOptions",
            "",
            "meta.k8s.io",
            &[(
                "fieldManager",
                "Required value: is required for apply patch".into(),
            )],
        ));
    }
    let body: Value = serde_saphyr::from_slice(&req.body)
        .map_err(|e| status::bad_request(format!("error decoding YAML: {e}")))?;
    check_body_kind(r, &body)?;
    if body.pointer("/metadata/name").and_then(Value::as_str) != Some(name) {
        return Err(status::bad_request(
            "the name of the object does not match the name on the URL",
        ));
    }
    let manager = req.query.get("fieldManager").cloned().unwrap_or_default();
    let force = truthy(req.query.get("force"));
    let api_version = r.api_version();
    match cluster.store.get(r, ns, name) {
        Err(e) if e.code == 404 => {
            let mut obj = crate::managed::apply(None, &body, &manager, force, &api_version)
                .map_err(|c| crate::managed::conflict_status(&c))?;
            if r.plural == "services" {
                crate::services::allocate(cluster, &mut obj);
            }
            Ok(Reply::Json(201, cluster.store.create(r, ns, obj)?))
        }
        Err(e) => Err(e),
        Ok(mut current) => loop {
            // The same GuaranteedUpdate retry as `patch_object` (the apply patcher is a tryUpdate too).
            let precondition = body.pointer("/metadata/resourceVersion").is_some();
            let mut next =
                crate::managed::apply(Some(&current), &body, &manager, force, &api_version)
                    .map_err(|c| crate::managed::conflict_status(&c))?;
            next["metadata"]["resourceVersion"] = match body.pointer("/metadata/resourceVersion") {
                Some(rv) => rv.clone(),
                None => current["metadata"]["resourceVersion"].clone(),
            };
            match cluster
                .store
                .update_shared(r, ns, name, next, false)
                .map(std::sync::Arc::unwrap_or_clone)
            {
                Err(e) if !precondition && is_conflict(&e) => {
                    current = cluster.store.get(r, ns, name)?;
                }
                result => return Ok(Reply::Json(200, result?)),
            }
        },
    }
}

/// `pods/{name}/exec` and `pods/{name}/attach`: the checks the API server and kubelet make
/// before the upgrade, each failing with its real Status.
fn stream_session(
    cluster: &Cluster,
    ns: &str,
    name: &str,
    sub: &str,
    req: &Request,
) -> Result<Reply, ApiError> {
    let r = resources::find("", "v1", "pods").expect("served");
    let pod = cluster.store.get(r, ns, name)?;
    let flag = |k: &str| truthy(req.query.get(k));
    let (stdin, stdout, stderr, tty) = (flag("stdin"), flag("stdout"), flag("stderr"), flag("tty"));
    let command = (sub == "exec").then(|| {
        req.query
            .get("command")
            .map(|c| c.split('\0').map(str::to_string).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    if command.as_ref().is_some_and(Vec::is_empty) {
        return Err(status::bad_request("you must specify at least 1 command"));
    }
    if !(stdin || stdout || stderr) {
        return Err(status::bad_request(
            "you must specify at least 1 of stdin, stdout, stderr",
        ));
    }
    if pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(status::bad_request(format!(
            "pod {name} does not have a host assigned"
        )));
    }
    let containers: Vec<&Value> = crate::each(&pod, "/spec/containers").collect();
    let names: Vec<&str> = containers
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let container = match req.query.get("container").filter(|c| !c.is_empty()) {
        Some(c) => containers
            .iter()
            .copied()
            .chain(init_containers(&pod))
            .find(|x| x["name"] == c.as_str())
            .ok_or_else(|| {
                status::bad_request(format!("container {c} is not valid for pod {name}"))
            })?,
        None if containers.len() == 1 => containers[0],
        None => {
            return Err(status::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                names.join(" ")
            )));
        }
    };
    let cname = container["name"].as_str().unwrap_or_default().to_string();
    let running =
        container_status(&pod, &cname).is_some_and(|c| c.pointer("/state/running").is_some());
    if !running {
        return Err(status::bad_request(format!(
            "container not found (\"{cname}\")"
        )));
    }
    Ok(Reply::Stream(StreamSession {
        key: (ns.to_string(), name.to_string(), cname),
        command,
        stdin,
        stdout,
        stderr: stderr && !tty,
        tty,
        pod: pod.clone(),
        container: container.clone(),
    }))
}

/// `pods/{[scheme:]name[:port]}/proxy/{path}`: the API server's proxy to a port of the pod, as
/// `ResourceLocation` (pkg/registry/core/pod/strategy.go) finds it: an id that does not split
/// is 400 `invalid pod request`; without a port, the first port a container declares; a pod
/// without an IP is 400 `address not allowed`; a port nothing listens on is 503
/// `error trying to reach service: dial tcp IP:PORT: connect: connection refused`
/// (apimachinery's `pkg/util/proxy/transport.go`). What listens: the web UI of a driver a shell
/// runs ([`crate::sparkui`]). A redirect's `Location` comes back under the proxy's path, as the
/// proxy transport rewrites it.
fn pod_proxy(
    cluster: &Cluster,
    ns: &str,
    id: &str,
    path: &str,
    req: &Request,
) -> Result<Reply, ApiError> {
    let parts: Vec<&str> = id.split(':').collect();
    let (name, port) = match parts.as_slice() {
        [n] => (*n, None),
        [n, p] | [_, n, p] => (*n, Some(*p)),
        _ => return Err(status::bad_request(format!("invalid pod request {id:?}"))),
    };
    if name.is_empty() {
        return Err(status::bad_request(format!("invalid pod request {id:?}")));
    }
    let r = resources::find("", "v1", "pods").expect("served");
    let pod = cluster.store.get(r, ns, name)?;
    let port = match port {
        Some(p) => p.parse::<u16>().ok(),
        None => crate::each(&pod, "/spec/containers")
            .find_map(|c| c.pointer("/ports/0/containerPort").and_then(Value::as_u64))
            .map(|p| p as u16)
            .or(Some(80)),
    };
    let ip = pod
        .pointer("/status/podIPs/0/ip")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if ip.is_empty() {
        return Err(status::bad_request("address not allowed"));
    }
    let ui = port.and_then(|p| cluster.uis.get(&(ns.to_string(), name.to_string(), p)));
    let Some(ui) = ui else {
        return Err(status::unavailable(format!(
            "error trying to reach service: dial tcp {ip}:{}: connect: connection refused",
            port.map_or_else(|| "0".to_string(), |p| p.to_string())
        )));
    };
    let params = crate::sparkui::params(&req.query, &req.body);
    let mut page = ui.serve(&req.method, path, &params);
    if let Some(l) = page.location.take() {
        page.location = Some(format!("/api/v1/namespaces/{ns}/pods/{id}/proxy{l}"));
    }
    Ok(Reply::Proxied(page))
}

/// A pod's init containers (none when it has none).
fn init_containers(pod: &Value) -> Vec<&Value> {
    crate::each(pod, "/spec/initContainers").collect()
}

/// The status of a container or init container, by name.
fn container_status<'a>(pod: &'a Value, name: &str) -> Option<&'a Value> {
    ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
        .find(|c| c["name"] == name)
}

/// `GET pods/{name}/log`: the container's lines (all, or the last `tailLines`), or a follow.
fn pod_log(cluster: &Cluster, ns: &str, name: &str, req: &Request) -> Result<Reply, ApiError> {
    let r = resources::find("", "v1", "pods").expect("served");
    let pod = cluster.store.get(r, ns, name)?;
    let names: Vec<String> = crate::each(&pod, "/spec/containers")
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    let inits: Vec<&str> = init_containers(&pod)
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let container = match req.query.get("container").filter(|c| !c.is_empty()) {
        Some(c) if names.contains(c) || inits.contains(&c.as_str()) => c.clone(),
        Some(c) => {
            return Err(status::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )));
        }
        None if names.len() == 1 => names[0].clone(),
        None => {
            return Err(status::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                names.join(" ")
            )));
        }
    };
    // LogLocation (pkg/registry/core/pod/strategy.go): a pod with no node has no location, and
    // the apiserver's StreamObject answers a null stream with 204 No Content.
    if pod
        .pointer("/spec/nodeName")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Ok(Reply::Raw(204, "", Vec::new()));
    }
    if let Some(message) =
        log_status_error(&pod, name, &container, truthy(req.query.get("previous")))
    {
        return Err(status::bad_request(message));
    }
    let key = (ns.to_string(), name.to_string(), container);
    let timestamps = truthy(req.query.get("timestamps"));
    let (lines, _) = cluster.logs.read(&key, 0);
    let from = match req
        .query
        .get("tailLines")
        .and_then(|t| t.parse::<usize>().ok())
    {
        Some(n) => lines.len().saturating_sub(n),
        None => 0,
    };
    if truthy(req.query.get("follow")) {
        return Ok(Reply::Log(LogFollow {
            key,
            from,
            timestamps,
        }));
    }
    let text: String = lines[from..]
        .iter()
        .map(|(ts, l)| {
            if timestamps {
                format!("{ts} {l}")
            } else {
                l.clone()
            }
        })
        .collect();
    Ok(Reply::Raw(200, "text/plain", text.into_bytes()))
}

/// A list (or one object) as the Table the client asked for in `Accept`, else as it is.
fn as_table(r: &Resource, req: &Request, v: Value, is_list: bool) -> Value {
    let Some(version) = crate::table::requested(&req.accept) else {
        return v;
    };
    let include = req
        .query
        .get("includeObject")
        .map(String::as_str)
        .unwrap_or("Metadata");
    if is_list {
        let items = v["items"].as_array().cloned().unwrap_or_default();
        crate::table::table(r, &items, v["metadata"].clone(), version, include)
    } else {
        let meta = json!({"resourceVersion": v.pointer("/metadata/resourceVersion").cloned().unwrap_or(json!(""))});
        crate::table::table(r, std::slice::from_ref(&v), meta, version, include)
    }
}

/// The kubelet's refusal to serve a container's log, in its words
/// (`validateContainerLogStatus`, pkg/kubelet/kubelet_pods.go); `None` when it has a log.
fn log_status_error(pod: &Value, name: &str, container: &str, previous: bool) -> Option<String> {
    let prefix = format!("container \"{container}\" in pod \"{name}\"");
    let Some(c) = container_status(pod, container) else {
        return Some(format!("{prefix} is not available"));
    };
    let has_id = |t: Option<&Value>| {
        t.and_then(|t| t["containerID"].as_str())
            .is_some_and(|id| !id.is_empty())
    };
    let last = c.pointer("/lastState/terminated");
    let state = |k: &str| c.pointer(&format!("/state/{k}")).filter(|v| v.is_object());
    if previous {
        return (!has_id(last)).then(|| {
            format!("previous terminated container \"{container}\" in pod \"{name}\" not found")
        });
    }
    if state("running").is_some() {
        return None;
    }
    if let Some(t) = state("terminated") {
        return (!has_id(Some(t)) && !has_id(last)).then(|| format!("{prefix} is terminated"));
    }
    if last.is_some() {
        return (!has_id(last)).then(|| format!("{prefix} is terminated"));
    }
    match state("waiting").map(|w| w["reason"].as_str().unwrap_or_default()) {
        Some("ErrImagePull") => Some(format!(
            "{prefix} is waiting to start: image can't be pulled"
        )),
        Some("ImagePullBackOff") => Some(format!(
            "{prefix} is waiting to start: trying and failing to pull image"
        )),
        Some(reason) => Some(format!("{prefix} is waiting to start: {reason}")),
        None => Some(format!("{prefix} is waiting to start - no logs yet")),
    }
}

/// The request's `labelSelector` and `fieldSelector` (a parse error is the real 400).
fn selectors(r: &Resource, req: &Request) -> Result<(LabelSelector, FieldSelector), ApiError> {
    let q = |k: &str| req.query.get(k).map(String::as_str).unwrap_or("");
    let label = LabelSelector::parse(q("labelSelector")).map_err(status::bad_request)?;
    let field = FieldSelector::parse(r.plural, q("fieldSelector")).map_err(status::bad_request)?;
    Ok((label, field))
}

/// The field manager of a write: `fieldManager`, else the User-Agent up to its first `/`.
fn manager(req: &Request) -> String {
    match req.query.get("fieldManager").filter(|m| !m.is_empty()) {
        Some(m) => m.clone(),
        None => req
            .user_agent
            .split('/')
            .next()
            .unwrap_or_default()
            .chars()
            .take(128)
            .collect(),
    }
}

fn is_dry_run(req: &Request) -> bool {
    req.query.get("dryRun").is_some_and(|v| v == "All")
}

fn check_body_kind(r: &Resource, obj: &Value) -> Result<(), ApiError> {
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or(r.kind);
    let api_version = obj
        .get("apiVersion")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| r.api_version());
    if kind != r.kind || api_version != r.api_version() {
        return Err(status::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({})",
            r.api_version()
        )));
    }
    Ok(())
}

/// A continue token: `<resourceVersion>:<namespace>/<name>` of the first page's snapshot and
/// the last key served; `-1` as the version means "the current state" (the inconsistent token a
/// 410 hands out).
fn parse_continue(token: &str) -> Result<(Option<u64>, String), ApiError> {
    let bad = || status::bad_request("invalid continue token");
    let (rv, after) = token.split_once(':').ok_or_else(bad)?;
    let rv = match rv {
        "-1" => None,
        rv => Some(rv.parse::<u64>().map_err(|_| bad())?),
    };
    Ok((rv, after.to_string()))
}

/// 410 for a continue token older than the history, as etcd3's `handleCompactedErrorForPaging`
/// (k8s.io/apiserver/pkg/storage/etcd3/store.go) answers: `NewResourceExpired` with a new token
/// that continues from the same key at the current state.
fn continue_expired(after: &str) -> ApiError {
    let mut e = status::expired_list(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    );
    e.body["metadata"] = json!({"continue": format!("-1:{after}")});
    e
}

fn obj_key_string(o: &Value) -> String {
    format!(
        "{}/{}",
        o.pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default(),
        o.pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
    )
}

/// One page of a list: the items after `after` (a continue token's last key), at most `limit`,
/// with a continue token naming the snapshot `rv` when more remain (`remainingItemCount` only
/// when no selector was given).
fn page(
    r: &Resource,
    items: Vec<Value>,
    rv: u64,
    after: Option<&str>,
    selected: bool,
    req: &Request,
) -> Value {
    let start = match after {
        Some(after) => items
            .iter()
            .position(|o| obj_key_string(o).as_str() > after)
            .unwrap_or(items.len()),
        None => 0,
    };
    let limit = req
        .query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0);
    let end = limit.map_or(items.len(), |l| (start + l).min(items.len()));
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if end < items.len() {
        let key = obj_key_string(&items[end - 1]);
        meta["continue"] = json!(format!("{rv}:{key}"));
        if !selected {
            meta["remainingItemCount"] = json!(items.len() - end);
        }
    }
    json!({"kind": format!("{}List", r.kind), "apiVersion": r.api_version(), "metadata": meta, "items": items[start..end].to_vec()})
}

fn watch(
    cluster: &Cluster,
    r: &Resource,
    namespace: Option<String>,
    label: LabelSelector,
    field: FieldSelector,
    req: &Request,
) -> Result<Reply, ApiError> {
    // A streaming list (KEP-3157) starts with the current state as ADDED events, then a
    // bookmark annotated `k8s.io/initial-events-end` at the state's resourceVersion, then live
    // events: the watch cache's `cacheWatcher.processInterval` sends the bookmark after the
    // initial events (k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go), annotated by
    // `storage.AnnotateInitialEventsEndBookmark` (k8s.io/apiserver/pkg/storage/util.go). It is
    // asked with `resourceVersionMatch=NotOlderThan` and bookmarks allowed
    // (`ValidateListOptions`, k8s.io/apimachinery/pkg/apis/meta/internalversion/validation):
    // the store is never older than any version it gave out, so its current state answers.
    watch_options_valid(req)?;
    let streaming_list = truthy(req.query.get("sendInitialEvents"));
    let from = match req.query.get("resourceVersion").map(String::as_str) {
        _ if streaming_list => None,
        None | Some("") | Some("0") => None,
        Some(v) => Some(
            v.parse::<u64>()
                .map_err(|_| status::bad_request(format!("invalid resourceVersion: {v}")))?,
        ),
    };
    let filter = WatchFilter {
        res_key: r.key(),
        namespace,
        label,
        field,
    };
    let timeout = req
        .query
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs);
    let bookmarks =
        truthy(req.query.get("allowWatchBookmarks")).then(|| (r.kind.to_string(), r.api_version()));
    match cluster.store.watch_at(filter, from) {
        Ok(((initial, rx), rv)) => Ok(Reply::Watch(WatchStream {
            initial,
            rx,
            timeout,
            initial_end: (streaming_list && bookmarks.is_some()).then_some(rv),
            bookmarks,
        })),
        // Too old: HTTP 200 with one ERROR event, then the stream ends (the watch cache's way).
        Err(e) if e.code == 410 => {
            let (_tx, rx) = mpsc::unbounded_channel();
            Ok(Reply::Watch(WatchStream {
                initial: vec![crate::store::WatchEvent::new(
                    "ERROR",
                    std::sync::Arc::new(e.body),
                )],
                rx,
                timeout: Some(Duration::ZERO),
                bookmarks: None,
                initial_end: None,
            }))
        }
        Err(e) => Err(e),
    }
}

/// The watch rules of `ValidateListOptions` (validateWatchOptions,
/// k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go), the WatchList
/// gate on as in 1.33: `sendInitialEvents` needs `resourceVersionMatch=NotOlderThan`, a match
/// needs `sendInitialEvents`, only NotOlderThan is a watch's match, and never with `continue`.
/// A 422 for `ListOptions.meta.k8s.io ""`.
fn watch_options_valid(req: &Request) -> Result<(), ApiError> {
    let matched = req
        .query
        .get("resourceVersionMatch")
        .map(String::as_str)
        .unwrap_or("");
    let send_initial = req.query.contains_key("sendInitialEvents");
    let mut causes: Vec<(&str, String)> = Vec::new();
    if send_initial && matched != "NotOlderThan" {
        causes.push((
            "resourceVersionMatch",
            "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
                .into(),
        ));
    }
    if !matched.is_empty() {
        if !send_initial {
            causes.push((
                "resourceVersionMatch",
                "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided".into(),
            ));
        }
        if matched != "NotOlderThan" {
            causes.push((
                "resourceVersionMatch",
                format!("Unsupported value: \"{matched}\": supported values: \"NotOlderThan\""),
            ));
        }
        if req.query.get("continue").is_some_and(|c| !c.is_empty()) {
            causes.push((
                "resourceVersionMatch",
                "Forbidden: resourceVersionMatch is forbidden when continue is provided".into(),
            ));
        }
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(status::invalid("ListOptions", "", "meta.k8s.io", &causes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries() {
        let q = parse_query("&container=x&labelSelector=a%3Db%2Cc+in+%28d%29&watch=1");
        assert_eq!(q["container"], "x");
        assert_eq!(q["labelSelector"], "a=b,c in (d)");
        assert!(truthy(q.get("watch")));
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("50%"), "50%");
    }

    /// The pod proxy answers as `ResourceLocation` and the proxy transport do: a pod without an
    /// IP, a port nothing listens on, a missing pod; and a listening UI's redirect comes back
    /// under the proxy's path.
    #[test]
    fn pod_proxy_reaches_a_listening_ui_or_says_why_not() {
        let c = Cluster::new("c", "127.0.0.1:0", "t", 100);
        let pods = resources::find("", "v1", "pods").unwrap();
        c.store
            .create(pods, "default", json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i"}]}}))
            .unwrap();
        let get = |path: &str| {
            let req = Request {
                method: "GET".into(),
                path: format!("/api/v1/namespaces/default/pods/{path}"),
                ..Default::default()
            };
            match handle(&c, &req) {
                Reply::Json(code, body) => {
                    (code, body["message"].as_str().unwrap_or("").to_string())
                }
                Reply::Proxied(page) => (page.code, page.location.unwrap_or_default()),
                _ => panic!("{path}: neither a Status nor a page"),
            }
        };
        assert_eq!(
            get("p:4040/proxy/jobs/"),
            (400, "address not allowed".into())
        );
        assert_eq!(
            get("q:4040/proxy/jobs/"),
            (404, "pods \"q\" not found".into())
        );
        assert_eq!(
            get("a:b:c:d/proxy/"),
            (400, "invalid pod request \"a:b:c:d\"".into())
        );
        let mut pod = c.store.get(pods, "default", "p").unwrap();
        pod["status"] = json!({"podIP": "10.0.0.7", "podIPs": [{"ip": "10.0.0.7"}]});
        c.store
            .update_shared(pods, "default", "p", pod, true)
            .unwrap();
        assert_eq!(
            get("p:4040/proxy/jobs/"),
            (503, "error trying to reach service: dial tcp 10.0.0.7:4040: connect: connection refused".into())
        );
        let _ui = c
            .uis
            .open(("default".into(), "p".into(), 4040), "0".repeat(32));
        assert_eq!(get("p:4040/proxy/jobs/").0, 200);
        assert_eq!(
            get("p:4040/proxy/"),
            (
                302,
                "/api/v1/namespaces/default/pods/p:4040/proxy/jobs/".into()
            )
        );
    }

    #[test]
    fn routes() {
        let t = route("/api/v1/namespaces/ns/pods/p/log").unwrap();
        assert_eq!(
            (
                t.r.plural,
                t.namespace.as_deref(),
                t.name.as_deref(),
                t.sub.as_deref()
            ),
            ("pods", Some("ns"), Some("p"), Some("log"))
        );
        let t = route("/api/v1/pods").unwrap();
        assert_eq!((t.r.plural, t.namespace.as_deref()), ("pods", None));
        let t = route("/api/v1/namespaces/ns").unwrap();
        assert_eq!((t.r.plural, t.name.as_deref()), ("namespaces", Some("ns")));
        let t =
            route("/apis/sparkoperator.k8s.io/v1beta2/namespaces/ns/sparkapplications/a").unwrap();
        assert!(t.r.is_custom());
        assert!(route("/api/v1/namespaces/ns/widgets").is_none());
        assert!(route("/nope").is_none());
        for (path, proxied) in [
            ("/api/v1/namespaces/ns/pods/p:4040/proxy/jobs/", "/jobs/"),
            ("/api/v1/namespaces/ns/pods/p:4040/proxy", "/"),
            (
                "/api/v1/namespaces/ns/pods/http:p:4040/proxy/jobs/job/kill/",
                "/jobs/job/kill/",
            ),
        ] {
            let t = route(path).unwrap();
            assert_eq!(t.sub.as_deref(), Some("proxy"), "{path}");
            assert_eq!(t.proxy_path, proxied, "{path}");
        }
        let c = |m: &str, p: &str, q: &str| {
            classify(&Request {
                method: m.into(),
                path: p.into(),
                query: parse_query(q),
                ..Default::default()
            })
        };
        let cases = [
            ("GET", "/api/v1/namespaces/ns/pods", "", "list", "pods"),
            (
                "GET",
                "/api/v1/namespaces/ns/pods",
                "watch=true",
                "watch",
                "pods",
            ),
            (
                "GET",
                "/api/v1/namespaces/ns/pods/p/log",
                "",
                "get",
                "pods/log",
            ),
            (
                "DELETE",
                "/api/v1/namespaces/ns/pods",
                "",
                "deletecollection",
                "pods",
            ),
            ("GET", "/api/v1/namespaces/ns", "", "get", "namespaces"),
        ];
        for (m, p, q, verb, resource) in cases {
            assert_eq!(c(m, p, q), (verb, resource.to_string()), "{m} {p}?{q}");
        }
    }
}
