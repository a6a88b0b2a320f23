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
}

fn json_response(code: u16, v: &Value) -> Response<SimBody> {
    let mut body = serde_json::to_vec(v).unwrap_or_default();
    body.push(b'\n');
    raw_response(code, "application/json", body)
}

fn raw_response(code: u16, content_type: &str, body: Vec<u8>) -> Response<SimBody> {
    let mut r = Response::new(SimBody::Full(Some(Bytes::from(body))));
    *r.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/json")),
    );
    r
}

/// Streams a watch: initial events, then live ones, bookmarks if asked, until the timeout, the
/// client going away, or shutdown.
fn watch_response(
    w: WatchStream,
    store_rv: impl Fn() -> u64 + Send + 'static,
    mut shutdown: watch::Receiver<bool>,
) -> Response<SimBody> {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let WatchStream {
            initial,
            rx: mut events,
            timeout,
            bookmarks,
        } = w;
        let line = |v: &Value| {
            let mut b = serde_json::to_vec(v).unwrap_or_default();
            b.push(b'\n');
            Bytes::from(b)
        };
        for ev in &initial {
            if tx.send(line(ev)).await.is_err() {
                return;
            }
        }
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        let mut bookmark =
            tokio::time::interval_at(tokio::time::Instant::now() + BOOKMARK_EVERY, BOOKMARK_EVERY);
        loop {
            let sleep_until = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(ev) => if tx.send(line(&ev)).await.is_err() { return },
                    None => return,
                },
                _ = bookmark.tick(), if bookmarks.is_some() => {
                    let (kind, api_version) = bookmarks.clone().unwrap_or_default();
                    let b = json!({"type": "BOOKMARK", "object": {"kind": kind, "apiVersion": api_version, "metadata": {"resourceVersion": store_rv().to_string()}}});
                    if tx.send(line(&b)).await.is_err() { return }
                }
                _ = sleep_until => return,
                _ = shutdown.changed() => return,
                _ = tx.closed() => return,
            }
        }
    });
    let mut r = Response::new(SimBody::Stream(rx));
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn handle(
    cluster: Arc<Cluster>,
    req: hyper::Request<Incoming>,
    shutdown: watch::Receiver<bool>,
) -> Result<Response<SimBody>, Infallible> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    // Plain HTTP is the old insecure port: kubectl (client-go) never sends credentials over
    // http (kubernetes/kubectl#744), so no header is let through; a wrong token is still 401.
    let public = matches!(
        path.as_str(),
        "/version" | "/healthz" | "/readyz" | "/livez"
    );
    let authorised = match parts.headers.get(hyper::header::AUTHORIZATION) {
        None => true,
        Some(h) => h
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|t| t == cluster.token),
    };
    if !public && !authorised {
        let e = status::unauthorized();
        return Ok(json_response(e.code, &e.body));
    }
    // WebSocket watches (fabric8 tries one first) are not served yet: a plain, empty 200 makes
    // fabric8 fall back to the chunked HTTP watch (a 400 would fail spark-submit).
    let upgrade = parts
        .headers
        .get(hyper::header::UPGRADE)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.eq_ignore_ascii_case("websocket"));
    if upgrade {
        return Ok(raw_response(200, "application/json", Vec::new()));
    }
    let body = match body.collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => Vec::new(),
    };
    let request = Request {
        method: parts.method.as_str().to_string(),
        query: api::parse_query(parts.uri.query().unwrap_or("")),
        content_type: parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("application/json")
            .to_string(),
        path,
        body,
    };
    if let Some(admin) = request.path.strip_prefix("/_kubesim/") {
        return Ok(admin_endpoint(&cluster, admin, &request));
    }
    let (verb, resource) = api::classify(&request);
    cluster.count(verb, &resource);
    Ok(match api::handle(&cluster, &request) {
        Reply::Json(code, v) => json_response(code, &v),
        Reply::Raw(code, ct, b) => raw_response(code, ct, b),
        Reply::Watch(w) => {
            let c = cluster.clone();
            watch_response(w, move || c.store.resource_version(), shutdown)
        }
        Reply::Log(f) => log_response(cluster, f, shutdown),
    })
}

/// Streams a container's log until the container ends (then the response ends).
fn log_response(
    cluster: Arc<Cluster>,
    f: api::LogFollow,
    mut shutdown: watch::Receiver<bool>,
) -> Response<SimBody> {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let notify = cluster.logs.changed();
        let mut next = f.from;
        loop {
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (lines, closed) = cluster.logs.read(&f.key, next);
            next += lines.len();
            for (ts, l) in lines {
                let text = if f.timestamps {
                    format!("{ts} {l}\n")
                } else {
                    format!("{l}\n")
                };
                if tx.send(Bytes::from(text)).await.is_err() {
                    return;
                }
            }
            if closed {
                return;
            }
            tokio::select! {
                _ = notified => {}
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
fn admin_endpoint(cluster: &Cluster, what: &str, req: &Request) -> Response<SimBody> {
    match (req.method.as_str(), what) {
        ("GET", "counters") => json_response(200, &json!(cluster.counters())),
        ("POST", "compact") => {
            cluster.store.compact();
            json_response(
                200,
                &json!({"compactedTo": cluster.store.resource_version()}),
            )
        }
        _ => {
            let e = status::no_route();
            json_response(e.code, &e.body)
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
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let cluster = cluster.clone();
                let mut stop = stop_rx.clone();
                tokio::spawn(async move {
                    let watch_stop = stop.clone();
                    let service = service_fn(move |req| handle(cluster.clone(), req, watch_stop.clone()));
                    let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(Duration::from_secs(2), conn).await;
                        }
                    }
                });
            }
            _ = &mut shutdown => break,
        }
    }
    let _ = stop_tx.send(true);
}
