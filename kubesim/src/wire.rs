//! HTTP/1.1 for one cluster: bearer-token auth, request decoding, JSON and Status encoding,
//! chunked watch streams (one JSON event per line), the `/_kubesim/` admin endpoint, and
//! graceful shutdown that also ends open watches.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::api::{self, Reply, Request, WatchStream};
use crate::cluster::Cluster;
use crate::faults::Action;
use crate::status;

/// How often a watch that asked for bookmarks gets one.
const BOOKMARK_EVERY: Duration = Duration::from_secs(60);

/// A response body: all at once, or a stream of chunks (watches).
pub enum SimBody {
    Full(Option<Bytes>),
    Stream(mpsc::Receiver<Bytes>),
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            SimBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            SimBody::Stream(rx) => rx.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, SimBody::Full(None))
    }

    /// Exact for whole bodies, so they go out with `Content-Length`, as the API server sends them.
    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            SimBody::Full(Some(b)) => hyper::body::SizeHint::with_exact(b.len() as u64),
            SimBody::Full(None) => hyper::body::SizeHint::with_exact(0),
            SimBody::Stream(_) => hyper::body::SizeHint::default(),
        }
    }
}

/// A request header as text, `default` when it is absent or not visible ASCII.
fn header(headers: &hyper::HeaderMap, name: hyper::header::HeaderName, default: &str) -> String {
    headers
        .get(name)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(default)
        .to_string()
}

fn json_response(code: u16, v: &Value) -> Response<SimBody> {
    let mut body = serde_json::to_vec(v).unwrap_or_default();
    body.push(b'\n');
    raw_response(code, "application/json", body)
}

fn raw_response(code: u16, content_type: &str, body: Vec<u8>) -> Response<SimBody> {
    let mut r = Response::new(SimBody::Full(Some(Bytes::from(body))));
    *r.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if content_type.is_empty() {
        // 204 No Content: no body, no type.
        return r;
    }
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    );
    r
}

/// Streams a watch: initial events, then live ones, bookmarks if asked, until the timeout, the
/// client going away, or shutdown.
fn watch_lines(
    w: WatchStream,
    store_rv: impl Fn() -> u64 + Send + 'static,
    mut shutdown: watch::Receiver<bool>,
    mut cut: watch::Receiver<u64>,
) -> mpsc::Receiver<Bytes> {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let WatchStream {
            initial,
            rx: mut events,
            timeout,
            bookmarks,
            initial_end,
        } = w;
        let line = |v: &Value| {
            let mut b = serde_json::to_vec(v).unwrap_or_default();
            b.push(b'\n');
            Bytes::from(b)
        };
        for ev in &initial {
            if tx.send(ev.line().clone()).await.is_err() {
                return;
            }
        }
        if let (Some(rv), Some((kind, api_version))) = (initial_end, &bookmarks) {
            let b = json!({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": api_version, "metadata": {
                "resourceVersion": rv.to_string(),
                "annotations": {"k8s.io/initial-events-end": "true"}
            }}});
            if tx.send(line(&b)).await.is_err() {
                return;
            }
        }
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let mut next_bookmark = bookmarks
            .as_ref()
            .and_then(|_| next_bookmark_time(tokio::time::Instant::now(), deadline));
        loop {
            let sleep_until = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            let bookmark_due = async {
                match next_bookmark {
                    Some(t) => tokio::time::sleep_until(t).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(ev) => if tx.send(ev.line().clone()).await.is_err() { return },
                    None => return,
                },
                _ = bookmark_due => {
                    // A bookmark promises every event up to its resourceVersion was sent: read
                    // the version first (the store queues an event under the lock that bumps
                    // it), then send what is queued, then the bookmark. A client resuming from
                    // it after a cut misses nothing.
                    let rv = store_rv();
                    while let Ok(ev) = events.try_recv() {
                        if tx.send(ev.line().clone()).await.is_err() { return }
                    }
                    let (kind, api_version) = bookmarks.clone().unwrap_or_default();
                    let b = json!({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": api_version, "metadata": {"resourceVersion": rv.to_string()}}});
                    if tx.send(line(&b)).await.is_err() { return }
                    next_bookmark = next_bookmark_time(tokio::time::Instant::now(), deadline);
                }
                _ = sleep_until => return,
                _ = shutdown.changed() => return,
                _ = cut.changed() => return,
                _ = tx.closed() => return,
            }
        }
    });
    rx
}

/// When a watch that asked for bookmarks gets its next one, as the watch cache's
/// `cacheWatcher.nextBookmarkTime` (k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go) picks
/// it: a minute from now, or 2 s before the watch's deadline if that comes first, so a client
/// re-opening a timed-out watch resumes from a recent resourceVersion; none once that moment
/// has passed (the pre-timeout bookmark is sent once; a watch of 2 s or less gets none).
fn next_bookmark_time(
    now: tokio::time::Instant,
    deadline: Option<tokio::time::Instant>,
) -> Option<tokio::time::Instant> {
    let mut at = now + BOOKMARK_EVERY;
    if let Some(pre_timeout) = deadline.and_then(|d| d.checked_sub(Duration::from_secs(2))) {
        at = at.min(pre_timeout);
    } else if deadline.is_some() {
        return None;
    }
    (at > now).then_some(at)
}

/// A watch as a chunked HTTP response, one JSON event per line.
fn watch_response(lines: mpsc::Receiver<Bytes>) -> Response<SimBody> {
    let mut r = Response::new(SimBody::Stream(lines));
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn handle(
    cluster: Arc<Cluster>,
    mut req: hyper::Request<Incoming>,
    shutdown: watch::Receiver<bool>,
) -> Result<Response<SimBody>, std::io::Error> {
    let websocket = req
        .headers()
        .get(hyper::header::UPGRADE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.eq_ignore_ascii_case("websocket"));
    let on_upgrade = websocket.then(|| hyper::upgrade::on(&mut req));
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    // Plain HTTP is the old insecure port: kubectl (client-go) never sends credentials over
    // http (kubernetes/kubectl#744), so no header is let through; a wrong token is still 401.
    let public = matches!(
        path.as_str(),
        "/version" | "/healthz" | "/readyz" | "/livez"
    );
    // `Some(None)`: the kubesim token's user; `Some(Some(u))`: a user of the token file.
    let user = match parts.headers.get(hyper::header::AUTHORIZATION) {
        // Over TLS, as on a real API server, a request needs the token.
        None => cluster.tls.is_none().then_some(None),
        Some(h) => match h.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")) {
            Some(t) if t == cluster.token => Some(None),
            Some(t) => cluster
                .users
                .get(t)
                .map(|name| Some(crate::rbac::User::named(name))),
            None => None,
        },
    };
    let authorised = user.is_some();
    // A token that authenticates nobody is 401 on every path, the public ones too: the
    // apiserver puts anonymous access behind `union.NewFailOnError`
    // (pkg/kubeapiserver/authenticator/config.go), so the bearer-token authenticator's error for
    // an invalid token ends the request before anonymous could take it.
    let refused = parts.headers.contains_key(hyper::header::AUTHORIZATION) && !authorised;
    if refused || (!public && !authorised) {
        let e = status::unauthorized();
        return Ok(json_response(e.code, &e.body));
    }
    let body = match body.collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let request = Request {
        method: parts.method.as_str().to_string(),
        query: api::parse_query(parts.uri.query().unwrap_or("")),
        content_type: header(&parts.headers, CONTENT_TYPE, "application/json"),
        user_agent: header(&parts.headers, hyper::header::USER_AGENT, ""),
        accept: header(&parts.headers, hyper::header::ACCEPT, ""),
        path,
        body,
        user: user.flatten(),
    };
    if let Some(admin) = request.path.strip_prefix("/_kubesim/") {
        return Ok(admin_endpoint(&cluster, admin, &request));
    }
    let (verb, resource) = api::classify(&request);
    cluster.count(verb, &resource);
    if let Err(e) = api::authorize(&cluster, &request) {
        return Ok(json_response(e.code, &e.body));
    }
    let namespace = request
        .path
        .split("/namespaces/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
        .to_string();
    let is_pod_create = request.method == "POST" && resource == "pods";
    let mut drop_response = false;
    // `.../namespaces/<ns>/<plural>/<name>[/<subresource>]`
    let name = request
        .path
        .split("/namespaces/")
        .nth(1)
        .and_then(|r| r.split('/').nth(2))
        .unwrap_or("")
        .to_string();
    match cluster
        .faults
        .take_named(&request.method, &resource, &namespace, &name)
    {
        Some(Action::Status(429)) => {
            let mut r = raw_response(
                429,
                "text/plain; charset=utf-8",
                b"Too many requests, please try again later.\n".to_vec(),
            );
            r.headers_mut()
                .insert(hyper::header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Ok(r);
        }
        Some(Action::Status(code)) => {
            let e = match code {
                503 => status::service_unavailable(),
                504 => status::timeout(),
                _ => status::internal("kubesim: injected failure"),
            };
            return Ok(json_response(e.code, &e.body));
        }
        Some(Action::Latency(d)) => tokio::time::sleep(d).await,
        Some(Action::Hang) => {
            let mut stop = shutdown.clone();
            let _ = stop.wait_for(|s| *s).await;
            let e = status::internal("kubesim: shut down while hanging");
            return Ok(json_response(e.code, &e.body));
        }
        Some(Action::DropResponse) => drop_response = true,
        Some(Action::QuotaConflict) if is_pod_create => {
            if let Some(q) = cluster.quota_name(&namespace) {
                let e = status::conflict("", "resourcequotas", &q);
                return Ok(json_response(e.code, &e.body));
            }
        }
        Some(Action::QuotaConflict) | None => {}
    }
    // Quota-lock contention: racing pod creates in one namespace can lose the quota write.
    if is_pod_create {
        let concurrent = cluster.begin_create(&namespace);
        tokio::task::yield_now().await;
        let lost = cluster.faults.quota_conflict(concurrent);
        cluster.end_create(&namespace);
        if lost && let Some(q) = cluster.quota_name(&namespace) {
            let e = status::conflict("", "resourcequotas", &q);
            return Ok(json_response(e.code, &e.body));
        }
    }
    // Subscribed before the watch registers, so a cut right after registration reaches it.
    let cut = cluster.faults.cut_watches.subscribe();
    let reply = api::handle(&cluster, &request);
    // WebSocket upgrades are for watches and attach/exec sessions.
    if on_upgrade.is_some()
        && !matches!(reply, Reply::Watch(_) | Reply::Stream(_) | Reply::Json(..))
    {
        let e = status::bad_request("WebSocket upgrades are served for watches, attach and exec");
        return Ok(json_response(e.code, &e.body));
    }
    if drop_response {
        // The request took effect; the client never hears so.
        return Err(std::io::Error::other("kubesim: response dropped"));
    }
    Ok(match reply {
        Reply::Json(code, v) => json_response(code, &v),
        Reply::Raw(code, ct, b) => raw_response(code, ct, b),
        Reply::Proxied(page) => {
            let mut r = raw_response(page.code, page.content_type, page.body.into_bytes());
            if let Some(l) = page.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                r.headers_mut().insert(hyper::header::LOCATION, l);
            }
            r
        }
        Reply::Watch(w) => {
            let c = cluster.clone();
            let lines = watch_lines(w, move || c.store.resource_version(), shutdown, cut);
            match (on_upgrade, parts.headers.get("sec-websocket-key")) {
                // A WebSocket watch (fabric8's first choice): 101, then one event per message.
                (Some(on_upgrade), Some(key)) => {
                    cluster.count("websocket-watch", &resource);
                    let accept = crate::websocket::accept_key(key.to_str().unwrap_or_default());
                    let down = cluster.faults.down.subscribe();
                    tokio::spawn(until_down(down, async move {
                        if let Ok(upgraded) = on_upgrade.await {
                            crate::websocket::pump(TokioIo::new(upgraded), lines).await;
                        }
                    }));
                    // A watch takes any subprotocol the client offers first.
                    let protocol = parts
                        .headers
                        .get("sec-websocket-protocol")
                        .and_then(|p| p.to_str().ok())
                        .and_then(|p| p.split(',').next())
                        .map(str::trim);
                    switching_protocols(&accept, protocol)
                }
                _ => watch_response(lines),
            }
        }
        Reply::Log(f) => log_response(cluster, f, shutdown),
        Reply::Stream(session) => {
            let Some((on_upgrade, key)) = on_upgrade.zip(parts.headers.get("sec-websocket-key"))
            else {
                let e = status::bad_request("Upgrade request required");
                return Ok(json_response(e.code, &e.body));
            };
            let offered = parts
                .headers
                .get_all("sec-websocket-protocol")
                .iter()
                .filter_map(|h| h.to_str().ok())
                .collect::<Vec<_>>();
            let served = cluster.stream_protocols;
            let Some(protocol) = crate::websocket::negotiate(offered.iter().copied(), served)
            else {
                let e = status::bad_request(format!(
                    "unable to upgrade connection: requested protocol(s) are not supported: [{}]; supports {:?}",
                    offered.join(" "),
                    served
                ));
                return Ok(json_response(e.code, &e.body));
            };
            cluster.count("stream", protocol);
            let accept = crate::websocket::accept_key(key.to_str().unwrap_or_default());
            let down = cluster.faults.down.subscribe();
            tokio::spawn(until_down(down, async move {
                if let Ok(upgraded) = on_upgrade.await {
                    crate::session::run(cluster, session, TokioIo::new(upgraded), shutdown).await;
                }
            }));
            switching_protocols(&accept, Some(protocol))
        }
    })
}

/// Runs an upgraded connection (a WebSocket watch, attach or exec) until the cluster goes
/// down: a server that stops takes its upgraded connections with it, as its plain ones
/// (`serve_connection`), and the client sees the stream end.
async fn until_down(mut down: watch::Receiver<bool>, stream: impl Future<Output = ()>) {
    tokio::select! {
        () = stream => {}
        _ = down.wait_for(|d| *d) => {}
    }
}

/// `101 Switching Protocols` to a WebSocket with the chosen subprotocol.
fn switching_protocols(accept: &str, protocol: Option<&str>) -> Response<SimBody> {
    let mut r = Response::new(SimBody::Full(None));
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert(
        hyper::header::UPGRADE,
        HeaderValue::from_static("websocket"),
    );
    h.insert(
        hyper::header::CONNECTION,
        HeaderValue::from_static("Upgrade"),
    );
    if let Ok(v) = HeaderValue::from_str(accept) {
        h.insert("sec-websocket-accept", v);
    }
    if let Some(p) = protocol.and_then(|p| HeaderValue::from_str(p).ok()) {
        h.insert("sec-websocket-protocol", p);
    }
    r
}

/// Streams a container's log until the container ends (then the response ends).
fn log_response(
    cluster: Arc<Cluster>,
    f: api::LogFollow,
    mut shutdown: watch::Receiver<bool>,
) -> Response<SimBody> {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let mut next = f.from;
        loop {
            let (lines, closed) = cluster.logs.read(&f.key, next);
            next += lines.len();
            // Everything new goes out as one chunk, not one per line.
            let mut text = String::new();
            for (ts, l) in lines {
                if f.timestamps {
                    text.push_str(&ts);
                    text.push(' ');
                }
                text.push_str(&l);
            }
            if !text.is_empty() && tx.send(Bytes::from(text)).await.is_err() {
                return;
            }
            if closed {
                return;
            }
            tokio::select! {
                _ = cluster.logs.beyond(&f.key, next) => {}
                _ = shutdown.changed() => return,
                _ = tx.closed() => return,
            }
        }
    });
    let mut r = Response::new(SimBody::Stream(rx));
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r
}

/// `/_kubesim/counters` (GET) and `/_kubesim/compact` (POST).
fn admin_endpoint(cluster: &Arc<Cluster>, what: &str, req: &Request) -> Response<SimBody> {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(json!({}));
    let bad = |m: String| {
        let e = status::bad_request(m);
        json_response(e.code, &e.body)
    };
    match (req.method.as_str(), what) {
        ("GET", "counters") => json_response(200, &json!(cluster.counters())),
        ("POST", "compact") => {
            cluster.store.compact();
            json_response(
                200,
                &json!({"compactedTo": cluster.store.resource_version()}),
            )
        }
        ("GET", "access") => json_response(200, &json!(cluster.access.rules())),
        ("PUT", "access") => {
            match serde_json::from_slice::<Vec<crate::access::AccessRule>>(&req.body) {
                Ok(rules) => {
                    cluster.access.set(rules);
                    json_response(200, &json!(cluster.access.rules()))
                }
                Err(e) => bad(format!(
                    "access rules: {e} (a list of {{verb, resource, group, namespace, allowed}})"
                )),
            }
        }
        ("GET", "faults") => json_response(200, &cluster.faults.describe()),
        ("POST", "faults") => match crate::faults::Faults::rule_from_json(&body) {
            Ok(rule) => {
                cluster.faults.add(rule);
                json_response(201, &cluster.faults.describe())
            }
            Err(m) => bad(m),
        },
        ("DELETE", "faults") => {
            cluster.faults.clear();
            json_response(200, &cluster.faults.describe())
        }
        ("POST", "quota-conflicts") => match body.get("rate").and_then(Value::as_f64) {
            Some(rate) => {
                cluster.faults.set_quota_conflict_rate(rate);
                json_response(200, &cluster.faults.describe())
            }
            None => bad("give {\"rate\": 0..1}".into()),
        },
        ("POST", "node-loss") => match body.get("node").and_then(Value::as_str) {
            Some(node) if crate::kubelet::lose_node(cluster, node) => {
                json_response(200, &json!({"lost": node}))
            }
            Some(node) => bad(format!("no node {node}")),
            None => bad("give {\"node\": NAME}".into()),
        },
        ("POST", "cut-watches") => {
            cluster.faults.cut_watches.send_modify(|n| *n += 1);
            json_response(200, &json!({}))
        }
        // Down for a while (the admin endpoint is unreachable while down, so it comes back by itself).
        ("POST", "down") => match body.get("seconds").and_then(Value::as_f64) {
            Some(secs) if secs > 0.0 => {
                let c = cluster.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    c.faults.down.send_replace(true);
                    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
                    c.faults.down.send_replace(false);
                });
                json_response(202, &json!({"downForSeconds": secs}))
            }
            _ => bad("give {\"seconds\": N}".into()),
        },
        _ => {
            let e = status::no_route();
            json_response(e.code, &e.body)
        }
    }
}

/// Serves HTTP/1.1 on one connection (plain or TLS) until it closes, the cluster goes down, or
/// the server shuts down (gracefully).
async fn serve_connection<IO>(io: IO, cluster: Arc<Cluster>, mut stop: watch::Receiver<bool>)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut conn_down = cluster.faults.down.subscribe();
    let watch_stop = stop.clone();
    let c = cluster.clone();
    let service = service_fn(move |req| handle(c.clone(), req, watch_stop.clone()));
    let conn = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = async { let _ = conn_down.wait_for(|d| *d).await; } => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
        }
    }
}

/// Serves `cluster` on `listener` until `shutdown` resolves; open connections and watches end then.
pub async fn serve(
    listener: TcpListener,
    cluster: Arc<Cluster>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let address = listener.local_addr().ok();
    let mut listener = Some(listener);
    let mut down = cluster.faults.down.subscribe();
    tokio::pin!(shutdown);
    loop {
        // While "down" the port is closed: connections are refused, open ones are cut.
        if *down.borrow() {
            listener = None;
        } else if listener.is_none()
            && let Some(addr) = address
        {
            listener = TcpListener::bind(addr).await.ok();
        }
        cluster.faults.listening.send_if_modified(|l| {
            let now = listener.is_some();
            std::mem::replace(l, now) != now
        });
        let accept = async {
            match &listener {
                Some(l) => l.accept().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            accepted = accept => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let cluster = cluster.clone();
                let stop = stop_rx.clone();
                tokio::spawn(async move {
                    match cluster.tls.clone() {
                        Some(acceptor) => {
                            // A failed handshake (a client that does not trust the CA) just ends.
                            if let Ok(tls) = acceptor.accept(stream).await {
                                serve_connection(tls, cluster, stop).await;
                            }
                        }
                        None => serve_connection(stream, cluster, stop).await,
                    }
                });
            }
            _ = down.changed() => {}
            _ = &mut shutdown => break,
        }
    }
    let _ = stop_tx.send(true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selector::{FieldSelector, LabelSelector};
    use crate::store::{Store, WatchFilter};

    /// A bookmark never runs ahead of events still queued for its watch: a client that resumes
    /// from it after a cut misses nothing.
    #[tokio::test(start_paused = true)]
    async fn a_bookmark_follows_the_events_it_covers() {
        let store = Arc::new(Store::new(100));
        let namespaces = crate::resources::find("", "v1", "namespaces").unwrap();
        store
            .create(
                namespaces,
                "",
                serde_json::json!({"metadata": {"name": "default"}}),
            )
            .unwrap();
        let maps = crate::resources::find("", "v1", "configmaps").unwrap();
        let filter = WatchFilter {
            res_key: maps.key(),
            namespace: Some("default".into()),
            label: LabelSelector::default(),
            field: FieldSelector::default(),
        };
        let (initial, rx) = store.watch(filter, None).unwrap();
        let w = WatchStream {
            initial,
            rx,
            timeout: None,
            bookmarks: Some(("ConfigMap".into(), "v1".into())),
            initial_end: None,
        };
        let (_stop_tx, stop) = watch::channel(false);
        let (_cut_tx, cut) = watch::channel(0u64);
        let s = store.clone();
        let mut lines = watch_lines(w, move || s.resource_version(), stop, cut);
        let mut seen_rv = 0u64;
        for round in 0..20 {
            // Changes queued for the watch just as its bookmark falls due: both are ready
            // when the stream next runs.
            tokio::time::advance(BOOKMARK_EVERY - Duration::from_secs(1)).await;
            for i in 0..5 {
                let name = format!("m{round}-{i}");
                store
                    .create(
                        maps,
                        "default",
                        serde_json::json!({"metadata": {"name": name}}),
                    )
                    .unwrap();
            }
            tokio::time::advance(Duration::from_secs(2)).await;
            loop {
                let line = lines.recv().await.unwrap();
                let v: Value = serde_json::from_slice(&line).unwrap();
                let rv: u64 = v["object"]["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                if v["type"] == "BOOKMARK" {
                    assert_eq!(
                        rv, seen_rv,
                        "round {round}: every event came before its bookmark"
                    );
                    break;
                }
                seen_rv = rv;
            }
        }
    }
}
