//! Fault injection, at the wire: injected errors, lost responses, quota-lock conflicts, a cluster
//! going down and coming back, cut watch streams.

use kubesim::faults::{Action, Faults, Match, Rule};
use kubesim::{Sim, SimConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn raw(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr).await?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let Some((head, rest)) = text.split_once("\r\n\r\n") else {
        return Ok((0, String::new(), String::new()));
    };
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, head.to_string(), rest.to_string()))
}

fn pod(name: &str) -> Value {
    json!({"metadata": {"name": name}, "spec": {"nodeSelector": {"kubesim.io/none": "true"}, "containers": [{"name": "c", "image": "nginx:1.27",
        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "64Mi"}}}]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_errors_run_out() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let addr = sim.clusters[0].address.clone();
    // Through the admin endpoint, as an outside test would.
    let (code, _, _) = raw(&addr, "POST", "/_kubesim/faults", Some(json!({"action": "status", "code": 503, "method": "POST", "resource": "pods", "count": 2}))).await.unwrap();
    assert_eq!(code, 201);
    for _ in 0..2 {
        let (code, _, body) = raw(
            &addr,
            "POST",
            "/api/v1/namespaces/default/pods",
            Some(pod("a")),
        )
        .await
        .unwrap();
        assert_eq!(code, 503);
        assert!(body.contains("\"reason\":\"ServiceUnavailable\""), "{body}");
    }
    let (code, _, _) = raw(
        &addr,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("a")),
    )
    .await
    .unwrap();
    assert_eq!(code, 201);

    sim.clusters[0].faults.add(Rule {
        matcher: Match::default(),
        action: Action::Status(429),
        count: Some(1),
        rate: None,
    });
    let (code, head, body) = raw(&addr, "GET", "/api/v1/namespaces/default/pods", None)
        .await
        .unwrap();
    assert_eq!(code, 429);
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 1"),
        "{head}"
    );
    assert!(head.contains("text/plain"), "{head}");
    assert_eq!(body, "Too many requests, please try again later.\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_create_whose_response_is_lost() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let addr = sim.clusters[0].address.clone();
    sim.clusters[0].faults.add(Rule {
        matcher: Match {
            method: Some("POST".into()),
            ..Match::default()
        },
        action: Action::DropResponse,
        count: Some(1),
        rate: None,
    });
    let (code, _, _) = raw(
        &addr,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("lost")),
    )
    .await
    .unwrap();
    assert_eq!(code, 0, "no response at all");
    // It was created: a retry now meets AlreadyExists, a read finds it.
    let (code, _, body) = raw(
        &addr,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("lost")),
    )
    .await
    .unwrap();
    assert_eq!(code, 409);
    assert!(body.contains("AlreadyExists"));
    let (code, _, _) = raw(&addr, "GET", "/api/v1/namespaces/default/pods/lost", None)
        .await
        .unwrap();
    assert_eq!(code, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quota_lock_conflicts() {
    let sim = Sim::start(SimConfig {
        quota: Some(vec![("pods".into(), "100".into())]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let addr = sim.clusters[0].address.clone();
    // An explicit rule: the next create gets the quota's 409 (the body names the quota).
    sim.clusters[0].faults.add(
        Faults::rule_from_json(&json!({"action": "quotaConflict", "resource": "pods", "count": 1}))
            .unwrap(),
    );
    let (code, _, body) = raw(
        &addr,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("q0")),
    )
    .await
    .unwrap();
    assert_eq!(code, 409);
    let v: Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(
        v["message"],
        "Operation cannot be fulfilled on resourcequotas \"compute\": the object has been modified; please apply your changes to the latest version and try again"
    );
    assert_eq!(
        v["details"],
        json!({"name": "compute", "kind": "resourcequotas"})
    );
    // Under contention, at the configured rate: racing creates lose; nothing is charged for them.
    sim.clusters[0].faults.set_quota_conflict_rate(1.0);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            raw(
                &addr,
                "POST",
                "/api/v1/namespaces/default/pods",
                Some(pod(&format!("c{i}"))),
            )
            .await
            .unwrap()
            .0
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    let conflicts = codes.iter().filter(|c| **c == 409).count();
    let created = codes.iter().filter(|c| **c == 201).count();
    assert_eq!(conflicts + created, 24, "{codes:?}");
    assert!(conflicts > 0, "{codes:?}");
    let (_, _, q) = raw(
        &addr,
        "GET",
        "/api/v1/namespaces/default/resourcequotas/compute",
        None,
    )
    .await
    .unwrap();
    let q: Value = serde_json::from_str(q.trim()).unwrap();
    assert_eq!(q["status"]["used"]["pods"], created.to_string());
    // Alone, a create never conflicts.
    let (code, _, _) = raw(
        &addr,
        "POST",
        "/api/v1/namespaces/default/pods",
        Some(pod("alone")),
    )
    .await
    .unwrap();
    assert_eq!(code, 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_goes_down_and_comes_back() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let c = &sim.clusters[0];
    let addr = c.address.clone();
    let mut listening = c.faults.listening.subscribe();
    c.faults.down.send_replace(true);
    listening.wait_for(|l| !*l).await.unwrap();
    let err = TcpStream::connect(&addr).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    c.faults.down.send_replace(false);
    listening.wait_for(|l| *l).await.unwrap();
    let (code, _, _) = raw(&addr, "GET", "/version", None).await.unwrap();
    assert_eq!(code, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_watch_streams_end() {
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    let addr = sim.clusters[0].address.clone();
    let watch = tokio::spawn(async move {
        raw(
            &addr,
            "GET",
            "/api/v1/namespaces/default/pods?watch=true",
            None,
        )
        .await
        .unwrap()
    });
    // Wait until the watch is registered (the kubelet holds one already), then cut it.
    let mut opened = sim.clusters[0].store.watches_opened.subscribe();
    opened.wait_for(|n| *n >= 2).await.unwrap();
    sim.clusters[0].faults.cut_watches.send_modify(|n| *n += 1);
    let (code, _, _) = watch.await.unwrap();
    assert_eq!(code, 200);
}
