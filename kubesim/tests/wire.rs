//! kubesim at the wire: raw HTTP requests, exact Status bodies, watch framing and semantics,
//! quota admission, garbage collection.

use std::time::Duration;

use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const TOKEN: &str = "kubesim-token";

struct Reply {
    code: u16,
    headers: String,
    body: Value,
}

async fn request(
    sim: &Sim,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<Value>,
    token: Option<&str>,
) -> Reply {
    let mut stream = TcpStream::connect(&sim.clusters[0].address).await.unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: kubesim\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let code: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    let body = if payload.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(payload.trim()).unwrap_or(Value::String(payload))
    };
    Reply {
        code,
        headers: head.to_string(),
        body,
    }
}

fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&tail[..n]);
        rest = &tail[n + 2..];
    }
    out
}

async fn call(sim: &Sim, method: &str, path: &str, body: Option<Value>) -> Reply {
    request(sim, method, path, "application/json", body, Some(TOKEN)).await
}

fn pod(name: &str, labels: Value, cpu: &str, mem: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels},
           // No node matches: these pods stay unscheduled, so the store's own semantics are tested.
           "spec": {"restartPolicy": "Never", "nodeSelector": {"kubesim.io/none": "true"}, "containers": [{"name": "main", "image": "busybox:1.36",
             "resources": {"requests": {"cpu": cpu, "memory": mem}, "limits": {"memory": mem}}}]}})
}

async fn sim() -> Sim {
    Sim::start(SimConfig::default()).await.unwrap()
}

/// A watch as a line reader.
struct Watch {
    lines: tokio::io::Lines<BufReader<TcpStream>>,
}

impl Watch {
    async fn open(sim: &Sim, path_and_query: &str) -> Watch {
        let mut stream = TcpStream::connect(&sim.clusters[0].address).await.unwrap();
        let req = format!(
            "GET {path_and_query} HTTP/1.1\r\nHost: kubesim\r\nAuthorization: Bearer {TOKEN}\r\n\r\n"
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut lines = BufReader::new(stream).lines();
        // Status line and headers.
        let status = lines.next_line().await.unwrap().unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        while let Some(l) = lines.next_line().await.unwrap() {
            if l.is_empty() {
                break;
            }
        }
        Watch { lines }
    }

    /// The next event (skipping chunk-size lines); `None` when the stream ends.
    async fn next(&mut self) -> Option<Value> {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(10), self.lines.next_line())
                .await
                .expect("an event within 10 s")
                .ok()??;
            // The last chunk (`0`) ends the response; the connection itself stays open.
            if line.trim() == "0" {
                return None;
            }
            if let Ok(v) = serde_json::from_str::<Value>(&line)
                && v.is_object()
            {
                return Some(v);
            }
        }
    }
}

#[tokio::test]
async fn authentication() {
    let sim = sim().await;
    // No credentials over plain HTTP: the insecure-port behaviour clients rely on.
    let r = request(
        &sim,
        "GET",
        "/api/v1/namespaces/default/pods",
        "application/json",
        None,
        None,
    )
    .await;
    assert_eq!(r.code, 200);
    let r = request(
        &sim,
        "GET",
        "/api/v1/namespaces/default/pods",
        "application/json",
        None,
        Some("wrong"),
    )
    .await;
    assert_eq!(r.code, 401);
    assert_eq!(
        r.body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
    );
    let r = request(
        &sim,
        "GET",
        "/api/v1/namespaces/default/pods",
        "application/json",
        None,
        Some("wrong"),
    )
    .await;
    assert_eq!(r.code, 401);
    let r = request(&sim, "GET", "/version", "application/json", None, None).await;
    assert_eq!(r.code, 200);
    for field in [
        "major",
        "minor",
        "gitVersion",
        "gitCommit",
        "gitTreeState",
        "buildDate",
        "goVersion",
        "compiler",
        "platform",
    ] {
        assert!(r.body.get(field).is_some(), "{field}");
    }
}

#[tokio::test]
async fn create_get_conflicts_and_status_bodies() {
    let sim = sim().await;
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("p1", json!({}), "100m", "64Mi")),
    )
    .await;
    assert_eq!(r.code, 201, "{}", r.body);
    let created = r.body;
    assert_eq!(created["kind"], "Pod");
    assert_eq!(created["apiVersion"], "v1");
    assert_eq!(created["metadata"]["namespace"], "default");
    assert!(created["metadata"]["uid"].as_str().unwrap().len() >= 32);
    assert!(
        created["metadata"]["creationTimestamp"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(created["status"]["phase"], "Pending");
    assert_eq!(created["status"]["qosClass"], "Burstable");
    assert!(r.headers.contains("application/json"));

    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("p1", json!({}), "100m", "64Mi")),
    )
    .await;
    assert_eq!(r.code, 409);
    assert_eq!(
        r.body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "pods \"p1\" already exists", "reason": "AlreadyExists", "details": {"name": "p1", "kind": "pods"}, "code": 409})
    );

    let r = call(&sim, "GET", "/api/v1/namespaces/default/pods/nope", None).await;
    assert_eq!(r.code, 404);
    assert_eq!(r.body["message"], "pods \"nope\" not found");

    // A stale resourceVersion on PUT is the optimistic-lock conflict.
    let mut stale = created.clone();
    stale["metadata"]["resourceVersion"] = json!("1");
    stale["metadata"]["labels"] = json!({"a": "b"});
    let r = call(
        &sim,
        "PUT",
        "/api/v1/namespaces/default/pods/p1",
        Some(stale),
    )
    .await;
    assert_eq!(r.code, 409);
    assert_eq!(r.body["reason"], "Conflict");
    assert_eq!(
        r.body["message"],
        "Operation cannot be fulfilled on pods \"p1\": the object has been modified; please apply your changes to the latest version and try again"
    );
    // The current version (the scheduler has written its condition since the create).
    let mut fresh = call(&sim, "GET", "/api/v1/namespaces/default/pods/p1", None)
        .await
        .body;
    fresh["metadata"]["labels"] = json!({"a": "b"});
    let r = call(
        &sim,
        "PUT",
        "/api/v1/namespaces/default/pods/p1",
        Some(fresh),
    )
    .await;
    assert_eq!(r.code, 200);
    let rv_after: u64 = r.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let rv_before: u64 = created["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rv_after > rv_before);

    // 422 for an invalid pod, aggregated.
    let bad = json!({"metadata": {"name": "Bad_Name"}, "spec": {"containers": [{"name": "c"}]}});
    let r = call(&sim, "POST", "/api/v1/namespaces/default/pods", Some(bad)).await;
    assert_eq!(r.code, 422);
    assert_eq!(r.body["reason"], "Invalid");
    assert_eq!(r.body["details"]["kind"], "Pod");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Pod \"Bad_Name\" is invalid: [")
    );
    assert_eq!(
        r.body["details"]["causes"][1]["field"],
        "spec.containers[0].image"
    );

    // generateName.
    let mut g = pod("", json!({}), "100m", "64Mi");
    g["metadata"] = json!({"generateName": "job-"});
    let r = call(&sim, "POST", "/api/v1/namespaces/default/pods", Some(g)).await;
    assert_eq!(r.code, 201);
    let name = r.body["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("job-") && name.len() == 9, "{name}");

    // A missing namespace, an unknown path.
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/nowhere/pods",
        Some(pod("x", json!({}), "1", "1Gi")),
    )
    .await;
    assert_eq!(r.code, 404);
    assert_eq!(r.body["message"], "namespaces \"nowhere\" not found");
    let r = call(&sim, "GET", "/api/v1/widgets", None).await;
    assert_eq!(r.code, 404);
    assert_eq!(
        r.body["message"],
        "the server could not find the requested resource"
    );

    // Delete returns the pod; a second delete is 404.
    let r = call(&sim, "DELETE", "/api/v1/namespaces/default/pods/p1", None).await;
    assert_eq!((r.code, r.body["kind"].as_str()), (200, Some("Pod")));
    let r = call(&sim, "DELETE", "/api/v1/namespaces/default/pods/p1", None).await;
    assert_eq!(r.code, 404);
}

/// Leases, as the launcher's shared alert records and fleet state use them (docs/kubesim.md,
/// "Leases"): a second create of a name is 409 AlreadyExists with the group in the Status
/// (`Store.Create` in k8s.io/apiserver/pkg/registry/generic/registry/store.go turns the storage's
/// key-exists error into `errors.NewAlreadyExists(qualifiedResource, name)`), and a PUT with a
/// resourceVersion that is no longer the object's is 409 Conflict (`GuaranteedUpdate`'s
/// precondition in k8s.io/apiserver/pkg/storage/etcd3/store.go, `errors.NewConflict`); a PUT
/// with the current one goes in and moves it on.
#[tokio::test]
async fn leases_are_created_once_and_updated_under_optimistic_concurrency() {
    let sim = sim().await;
    let path = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
    let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": "rec", "labels": {"spark-k8s-cli/alert": "once"}},
        "spec": {"holderIdentity": "a", "leaseDurationSeconds": 60}});
    let r = call(&sim, "POST", path, Some(lease.clone())).await;
    assert_eq!(r.code, 201, "{}", r.body);
    let first = r.body;
    let r = call(&sim, "POST", path, Some(lease)).await;
    assert_eq!(r.code, 409);
    assert_eq!(
        r.body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "leases.coordination.k8s.io \"rec\" already exists", "reason": "AlreadyExists",
            "details": {"name": "rec", "group": "coordination.k8s.io", "kind": "leases"}, "code": 409})
    );
    // Two writers read the same version; the first write wins, the second is refused.
    let one = format!("{path}/rec");
    let mut a = first.clone();
    a["metadata"]["annotations"] = json!({"spark-k8s-cli/state": "{\"sent\":1}"});
    let r = call(&sim, "PUT", &one, Some(a)).await;
    assert_eq!(r.code, 200, "{}", r.body);
    assert_ne!(
        r.body["metadata"]["resourceVersion"],
        first["metadata"]["resourceVersion"]
    );
    let mut b = first.clone();
    b["metadata"]["annotations"] = json!({"spark-k8s-cli/state": "{\"sent\":2}"});
    let r = call(&sim, "PUT", &one, Some(b)).await;
    assert_eq!(r.code, 409);
    assert_eq!(r.body["reason"], "Conflict");
    assert_eq!(
        r.body["message"],
        "Operation cannot be fulfilled on leases.coordination.k8s.io \"rec\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let now = call(&sim, "GET", &one, None).await.body;
    assert_eq!(
        now["metadata"]["annotations"]["spark-k8s-cli/state"],
        "{\"sent\":1}"
    );
}

#[tokio::test]
async fn lists_selectors_and_paging() {
    let sim = sim().await;
    for (i, role) in ["driver", "executor", "executor", "executor"]
        .iter()
        .enumerate()
    {
        let r = call(
            &sim,
            "POST",
            "/api/v1/namespaces/default/pods",
            Some(pod(
                &format!("p{i}"),
                json!({"spark-role": role, "spark-app-selector": "spark-1"}),
                "100m",
                "64Mi",
            )),
        )
        .await;
        assert_eq!(r.code, 201);
    }
    let r = call(&sim, "GET", "/api/v1/namespaces/default/pods?labelSelector=spark-app-selector%3Dspark-1%2Cspark-role%3Dexecutor%2Cspark-exec-inactive%21%3Dtrue", None).await;
    assert_eq!(r.body["kind"], "PodList");
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
    assert!(
        !r.body["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    let r = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/pods?labelSelector=spark-role+in+%28driver%29",
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dp2",
        None,
    )
    .await;
    assert_eq!(r.body["items"][0]["metadata"]["name"], "p2");
    let r = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/configmaps?fieldSelector=status.phase%3DRunning",
        None,
    )
    .await;
    assert_eq!(r.code, 400);
    // Fact sheet §4.10: configmaps have no field label conversion func, so apimachinery's
    // DefaultMetaV1FieldSelectorConversion answers; secrets have one ("field label not supported").
    assert_eq!(
        r.body["message"],
        "\"status.phase\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
    );
    let r = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/secrets?fieldSelector=status.phase%3DRunning",
        None,
    )
    .await;
    assert_eq!(r.code, 400);
    assert_eq!(r.body["message"], "field label not supported: status.phase");
    let r = call(&sim, "GET", "/api/v1/namespaces/default/secrets", None).await;
    assert_eq!(r.body["items"], json!([]));
    // Paging.
    let r = call(&sim, "GET", "/api/v1/pods?limit=3", None).await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["metadata"]["remainingItemCount"], 1);
    let token = r.body["metadata"]["continue"].as_str().unwrap().to_string();
    let r = call(
        &sim,
        "GET",
        &format!("/api/v1/pods?limit=3&continue={token}"),
        None,
    )
    .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    assert!(r.body["metadata"].get("continue").is_none());
}

#[tokio::test]
async fn watch_semantics() {
    let sim = sim().await;
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("w1", json!({"app": "x"}), "100m", "64Mi")),
    )
    .await;
    let rv0 = r.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();

    // From now (no resourceVersion): synthetic ADDED for what exists.
    let mut w = Watch::open(
        &sim,
        "/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dx",
    )
    .await;
    let ev = w.next().await.unwrap();
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("ADDED"), Some("w1"))
    );
    assert_eq!(ev["object"]["kind"], "Pod");

    // Selector transitions: leaving the selector is DELETED, entering is ADDED.
    let mut p = call(&sim, "GET", "/api/v1/namespaces/default/pods/w1", None)
        .await
        .body;
    p["metadata"]["labels"] = json!({"app": "y"});
    call(
        &sim,
        "PUT",
        "/api/v1/namespaces/default/pods/w1",
        Some(p.clone()),
    )
    .await;
    let ev = w.next().await.unwrap();
    assert_eq!(ev["type"], "DELETED");
    p = call(&sim, "GET", "/api/v1/namespaces/default/pods/w1", None)
        .await
        .body;
    p["metadata"]["labels"] = json!({"app": "x"});
    call(&sim, "PUT", "/api/v1/namespaces/default/pods/w1", Some(p)).await;
    assert_eq!(w.next().await.unwrap()["type"], "ADDED");
    let r = call(
        &sim,
        "PATCH",
        "/api/v1/namespaces/default/pods/w1",
        Some(json!({"metadata": {"annotations": {"k": "v"}}})),
    )
    .await;
    assert_eq!(r.code, 415, "application/json is not a patch type");
    let r = request(
        &sim,
        "PATCH",
        "/api/v1/namespaces/default/pods/w1",
        "application/merge-patch+json",
        Some(json!({"metadata": {"annotations": {"k": "v"}}})),
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.code, 200);
    let ev = w.next().await.unwrap();
    assert_eq!(ev["type"], "MODIFIED");
    assert_eq!(ev["object"]["metadata"]["annotations"]["k"], "v");
    call(&sim, "DELETE", "/api/v1/namespaces/default/pods/w1", None).await;
    let ev = w.next().await.unwrap();
    assert_eq!(ev["type"], "DELETED");
    let deleted_rv: u64 = ev["object"]["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(deleted_rv > rv0.parse().unwrap());

    // Resume from a resourceVersion replays what came after it, in order.
    let mut w2 = Watch::open(
        &sim,
        &format!("/api/v1/namespaces/default/pods?watch=1&resourceVersion={rv0}"),
    )
    .await;
    // Every change after rv0, in order, up to the DELETED (the scheduler's own status writes
    // may be among them).
    let mut seen = Vec::new();
    loop {
        let ev = w2.next().await.unwrap();
        let t = ev["type"].as_str().unwrap().to_string();
        let labels = ev["object"]["metadata"]["labels"].to_string();
        seen.push((t.clone(), labels));
        if t == "DELETED" {
            break;
        }
    }
    assert!(
        seen[..seen.len() - 1].iter().all(|(t, _)| t == "MODIFIED"),
        "{seen:?}"
    );
    let first_y = seen.iter().position(|(_, l)| l.contains("\"y\"")).unwrap();
    let back_to_x = seen.iter().rposition(|(_, l)| l.contains("\"x\"")).unwrap();
    assert!(first_y < back_to_x, "{seen:?}");

    // timeoutSeconds ends the stream cleanly.
    let mut w3 = Watch::open(
        &sim,
        "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1",
    )
    .await;
    assert!(w3.next().await.is_none());

    // Past the history window: HTTP 200, one ERROR event with the 410 Status, then the end.
    sim.clusters[0].store.compact();
    let mut w4 = Watch::open(
        &sim,
        &format!("/api/v1/namespaces/default/pods?watch=true&resourceVersion={rv0}"),
    )
    .await;
    let ev = w4.next().await.unwrap();
    assert_eq!(ev["type"], "ERROR");
    assert_eq!(ev["object"]["code"], 410);
    assert_eq!(ev["object"]["reason"], "Expired");
    assert!(
        ev["object"]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("too old resource version: {rv0} ("))
    );
    assert!(w4.next().await.is_none());
}

#[tokio::test]
async fn quota_admission_and_release() {
    let sim = Sim::start(SimConfig {
        quota: Some(vec![
            ("requests.cpu".into(), "2".into()),
            ("limits.memory".into(), "4Gi".into()),
            ("pods".into(), "10".into()),
        ]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let q = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/resourcequotas/compute",
        None,
    )
    .await
    .body;
    assert_eq!(
        q["status"]["used"],
        json!({"requests.cpu": "0", "limits.memory": "0", "pods": "0"})
    );
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("d", json!({}), "1", "1408Mi")),
    )
    .await;
    assert_eq!(r.code, 201);
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("e", json!({}), "1500m", "1Gi")),
    )
    .await;
    assert_eq!(r.code, 403);
    assert_eq!(
        r.body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "pods \"e\" is forbidden: exceeded quota: compute, requested: requests.cpu=1500m, used: requests.cpu=1, limited: requests.cpu=2",
               "reason": "Forbidden", "details": {"name": "e", "kind": "pods"}, "code": 403})
    );
    let q = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/resourcequotas/compute",
        None,
    )
    .await
    .body;
    assert_eq!(q["status"]["used"]["requests.cpu"], "1");
    assert_eq!(q["status"]["used"]["limits.memory"], "1408Mi");
    // A pod without a memory limit: must specify.
    let mut nolimit = pod("f", json!({}), "100m", "1Gi");
    nolimit["spec"]["containers"][0]["resources"] = json!({"requests": {"cpu": "100m"}});
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(nolimit),
    )
    .await;
    assert_eq!(
        r.body["message"],
        "pods \"f\" is forbidden: failed quota: compute: must specify limits.memory for: main"
    );
    // A terminal pod releases its usage (status written through /status).
    let r = request(
        &sim,
        "PATCH",
        "/api/v1/namespaces/default/pods/d/status",
        "application/merge-patch+json",
        Some(json!({"status": {"phase": "Succeeded"}})),
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.code, 200);
    assert_eq!(r.body["status"]["phase"], "Succeeded");
    let q = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/resourcequotas/compute",
        None,
    )
    .await
    .body;
    assert_eq!(q["status"]["used"]["requests.cpu"], "0");
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("e", json!({}), "1500m", "1Gi")),
    )
    .await;
    assert_eq!(r.code, 201);
}

#[tokio::test]
async fn owner_references_are_garbage_collected() {
    let sim = sim().await;
    let driver = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("app-driver", json!({}), "1", "1Gi")),
    )
    .await
    .body;
    let owner = json!([{"apiVersion": "v1", "kind": "Pod", "name": "app-driver", "uid": driver["metadata"]["uid"], "controller": true}]);
    let cm = json!({"metadata": {"name": "spark-drv-conf-map", "ownerReferences": owner}, "data": {"spark.properties": "x"}});
    assert_eq!(
        call(
            &sim,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some(cm)
        )
        .await
        .code,
        201
    );
    let exec = {
        let mut p = pod("app-exec-1", json!({"spark-role": "executor"}), "1", "1Gi");
        p["metadata"]["ownerReferences"] = owner.clone();
        p
    };
    assert_eq!(
        call(&sim, "POST", "/api/v1/namespaces/default/pods", Some(exec))
            .await
            .code,
        201
    );
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/nothing",
        None,
    )
    .await;
    assert_eq!(r.code, 404);
    call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/pods/app-driver",
        None,
    )
    .await;
    assert_eq!(
        call(
            &sim,
            "GET",
            "/api/v1/namespaces/default/configmaps/spark-drv-conf-map",
            None
        )
        .await
        .code,
        404
    );
    assert_eq!(
        call(
            &sim,
            "GET",
            "/api/v1/namespaces/default/pods/app-exec-1",
            None
        )
        .await
        .code,
        404
    );
    // Other kinds answer a delete with a success Status.
    assert_eq!(
        call(
            &sim,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some(json!({"metadata": {"name": "c"}}))
        )
        .await
        .code,
        201
    );
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/c",
        None,
    )
    .await;
    assert_eq!(r.body["status"], "Success");
    assert_eq!(r.body["details"]["kind"], "configmaps");
}

#[tokio::test]
async fn secrets_discovery_and_counters() {
    let sim = sim().await;
    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/secrets",
        Some(json!({"metadata": {"name": "s"}, "stringData": {"k": "hunter2"}})),
    )
    .await;
    assert_eq!(r.body["data"]["k"], "aHVudGVyMg==");
    assert_eq!(r.body["type"], "Opaque");
    assert!(r.body.get("stringData").is_none());
    let r = call(&sim, "GET", "/api/v1", None).await;
    let names: Vec<&str> = r.body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    for n in [
        "pods",
        "pods/log",
        "pods/status",
        "configmaps",
        "secrets",
        "resourcequotas",
        "namespaces",
        "events",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let r = call(&sim, "GET", "/apis", None).await;
    assert_eq!(r.body["kind"], "APIGroupList");
    let r = call(&sim, "GET", "/apis/sparkoperator.k8s.io/v1beta2", None).await;
    assert_eq!(r.body["resources"][0]["kind"], "SparkApplication");
    let c = call(&sim, "GET", "/_kubesim/counters", None).await.body;
    assert_eq!(c["create secrets"], 1);
}

/// With `allowWatchBookmarks=true` and `timeoutSeconds=N`, the watch cache sends a BOOKMARK 2 s
/// before the deadline (`cacheWatcher.nextBookmarkTime`, k8s.io/apiserver/pkg/storage/cacher/
/// cache_watcher.go), carrying the current resourceVersion, then the stream ends; without
/// `allowWatchBookmarks` there is none.
#[tokio::test]
async fn a_bookmark_comes_before_the_watch_timeout() {
    let sim = sim().await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c1"}});
    call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(cm),
    )
    .await;
    let path = "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=3";
    let with_bookmarks = format!("{path}&allowWatchBookmarks=true");
    let (mut with, mut without) =
        tokio::join!(Watch::open(&sim, &with_bookmarks), Watch::open(&sim, path));
    assert_eq!(with.next().await.unwrap()["type"], "ADDED");
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c2"}});
    let rv = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(cm),
    )
    .await
    .body["metadata"]["resourceVersion"]
        .clone();
    assert_eq!(with.next().await.unwrap()["type"], "ADDED");
    let bookmark = with.next().await.unwrap();
    let bookmarked = std::time::Instant::now();
    assert_eq!(
        bookmark,
        json!({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"resourceVersion": rv}}})
    );
    assert_eq!(with.next().await, None, "the stream ends at its timeout");
    assert!(
        bookmarked.elapsed() >= Duration::from_secs(1),
        "the bookmark came 2 s before the end, not at it"
    );
    let mut seen = Vec::new();
    while let Some(ev) = without.next().await {
        seen.push(ev["type"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["ADDED", "ADDED"]);
}

/// A streaming list (`sendInitialEvents=true&resourceVersionMatch=NotOlderThan`, as
/// kube-runtime's `watcher::Config::streaming_lists` asks from `resourceVersion=0`): the
/// current objects as ADDED, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` at
/// the resourceVersion they are a snapshot of (`cacheWatcher.processInterval`,
/// k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go), then live events. A plain watch from
/// the same version gets no such bookmark.
#[tokio::test]
async fn a_streaming_list_ends_its_initial_events_with_an_annotated_bookmark() {
    let sim = sim().await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c1"}});
    let rv = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(cm),
    )
    .await
    .body["metadata"]["resourceVersion"]
        .clone();
    let path = "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=0";
    let streaming = format!("{path}&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
    let (mut with, mut without) =
        tokio::join!(Watch::open(&sim, &streaming), Watch::open(&sim, path));
    assert_eq!(with.next().await.unwrap()["type"], "ADDED");
    assert_eq!(
        with.next().await.unwrap(),
        json!({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {
            "resourceVersion": rv, "annotations": {"k8s.io/initial-events-end": "true"}}}})
    );
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c2"}});
    call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(cm),
    )
    .await;
    let live = with.next().await.unwrap();
    assert_eq!(live["type"], "ADDED");
    assert_eq!(live["object"]["metadata"]["name"], "c2");
    let mut seen = Vec::new();
    while let Some(ev) = without.next().await {
        seen.push(ev["type"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["ADDED", "ADDED"]);
}

/// The watch rules of `ValidateListOptions` (validateWatchOptions,
/// k8s.io/apimachinery/pkg/apis/meta/internalversion/validation/validation.go): a streaming
/// list without `resourceVersionMatch=NotOlderThan`, or a match without `sendInitialEvents`, is
/// a 422 on `ListOptions.meta.k8s.io`, one FieldValueForbidden cause per rule broken.
#[tokio::test]
async fn a_streaming_list_needs_not_older_than_as_the_real_server_checks() {
    let sim = sim().await;
    let base = "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&allowWatchBookmarks=true";
    let r = call(&sim, "GET", &format!("{base}&sendInitialEvents=true"), None).await;
    assert_eq!(r.code, 422);
    assert_eq!(
        r.body["message"],
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
    );
    assert_eq!(r.body["details"]["kind"], "ListOptions");
    assert_eq!(r.body["details"]["group"], "meta.k8s.io");
    assert_eq!(
        r.body["details"]["causes"][0]["reason"],
        "FieldValueForbidden"
    );
    let r = call(
        &sim,
        "GET",
        &format!("{base}&resourceVersionMatch=NotOlderThan"),
        None,
    )
    .await;
    assert_eq!(r.code, 422);
    assert_eq!(
        r.body["message"],
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
    );
    let r = call(
        &sim,
        "GET",
        &format!("{base}&sendInitialEvents=true&resourceVersionMatch=Exact"),
        None,
    )
    .await;
    assert_eq!(r.code, 422);
    assert_eq!(
        r.body["details"]["causes"][1]["reason"],
        "FieldValueNotSupported"
    );
}

/// Fact sheet §4.14 and §3: apply without `fieldManager` is 422 on `PatchOptions.meta.k8s.io`
/// (`NewInvalid` prints the qualified kind; handlers/patch.go `ValidatePatchOptions`); a DELETE
/// whose uid or resourceVersion precondition fails is the storage's `Preconditions.Check` error
/// (k8s.io/apiserver/pkg/storage/interfaces.go) as a 409 Conflict (`InterpretDeleteError`); a
/// method no route serves is go-restful's 405 with the generic message and empty details.
#[tokio::test]
async fn apply_without_manager_preconditions_and_405_say_what_the_real_server_says() {
    let sim = sim().await;
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c1"}, "data": {"a": "1"}});
    let r = request(
        &sim,
        "PATCH",
        "/api/v1/namespaces/default/configmaps/c1",
        "application/apply-patch+yaml",
        Some(cm.clone()),
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.code, 422);
    assert_eq!(
        r.body["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
    );
    assert_eq!(r.body["details"]["group"], "meta.k8s.io");
    assert_eq!(r.body["details"]["kind"], "PatchOptions");

    let created = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(cm),
    )
    .await;
    let uid = created.body["metadata"]["uid"]
        .as_str()
        .unwrap()
        .to_string();
    let rv = created.body["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/c1",
        Some(json!({"preconditions": {"uid": "not-the-uid"}})),
    )
    .await;
    assert_eq!((r.code, r.body["reason"].as_str()), (409, Some("Conflict")));
    assert_eq!(
        r.body["message"],
        format!(
            "Operation cannot be fulfilled on configmaps \"c1\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/c1, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: not-the-uid, UID in object meta: {uid}"
        )
    );
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/c1",
        Some(json!({"preconditions": {"resourceVersion": "1"}})),
    )
    .await;
    assert_eq!(
        r.body["message"],
        format!(
            "Operation cannot be fulfilled on configmaps \"c1\": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/c1, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: {rv}"
        )
    );

    let r = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps/c1",
        Some(json!({})),
    )
    .await;
    assert_eq!(
        r.body,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
               "message": "the server does not allow this method on the requested resource",
               "reason": "MethodNotAllowed", "details": {}, "code": 405})
    );
}

/// Fact sheet §4.15: a Foreground delete answers with the owner itself (200), marked with
/// `deletionTimestamp` and the `foregroundDeletion` finalizer (registry/generic/registry/store.go
/// `updateForGracefulDeletionAndFinalizers`; the object is not gone yet, so no Status), and the
/// dependents go before the owner; an unknown policy is DeleteOptions' 422.
#[tokio::test]
async fn foreground_delete_returns_the_marked_owner_and_removes_dependents_first() {
    let sim = sim().await;
    let owner = call(
        &sim,
        "POST",
        "/api/v1/namespaces/default/configmaps",
        Some(json!({"metadata": {"name": "owner"}, "data": {"k": "v"}})),
    )
    .await
    .body;
    let refs = json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"], "blockOwnerDeletion": true}]);
    for name in ["dep-1", "dep-2"] {
        let r = call(
            &sim,
            "POST",
            "/api/v1/namespaces/default/configmaps",
            Some(json!({"metadata": {"name": name, "ownerReferences": refs}})),
        )
        .await;
        assert_eq!(r.code, 201);
    }
    let rv = owner["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let mut watch = Watch::open(
        &sim,
        &format!("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={rv}"),
    )
    .await;
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/owner",
        Some(json!({"propagationPolicy": "Nope"})),
    )
    .await;
    assert_eq!(r.code, 422);
    assert_eq!(
        r.body["message"],
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Nope\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
    );
    let r = call(
        &sim,
        "DELETE",
        "/api/v1/namespaces/default/configmaps/owner",
        Some(json!({"propagationPolicy": "Foreground"})),
    )
    .await;
    assert_eq!(r.code, 200);
    assert_eq!(r.body["kind"], "ConfigMap", "{}", r.body);
    assert_eq!(
        r.body["metadata"]["finalizers"],
        json!(["foregroundDeletion"])
    );
    assert!(r.body["metadata"]["deletionTimestamp"].is_string());
    let mut seen = Vec::new();
    while seen.len() < 5 {
        let ev = watch.next().await.expect("an event");
        seen.push(format!(
            "{} {}",
            ev["type"].as_str().unwrap(),
            ev["object"]["metadata"]["name"].as_str().unwrap()
        ));
    }
    assert_eq!(
        seen,
        [
            "ADDED dep-1",
            "ADDED dep-2",
            "MODIFIED owner",
            "DELETED dep-1",
            "DELETED dep-2"
        ]
    );
    let ev = watch.next().await.expect("the owner's deletion");
    assert_eq!(
        (
            ev["type"].as_str(),
            ev["object"]["metadata"]["name"].as_str()
        ),
        (Some("DELETED"), Some("owner"))
    );
    let r = call(
        &sim,
        "GET",
        "/api/v1/namespaces/default/configmaps/owner",
        None,
    )
    .await;
    assert_eq!(r.code, 404);
}
