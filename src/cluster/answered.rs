//! Whether an API server has answered this client yet, told on every request that got no
//! answer: a server that never answered and refuses connections is not there (a short retry,
//! then the job fails), one that answered and now refuses is restarting (retried as before).
//! A layer on the kube client's stack, so every request counts, whoever makes it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::future::BoxFuture;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request that got no answer: the transport's error, and whether the server had answered
/// this client before. kube hands it back as `kube::Error::Service`.
#[derive(Debug)]
pub struct NoAnswer {
    pub answered_before: bool,
    source: BoxError,
}

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for NoAnswer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The layer: one per client (its clones share what they saw).
#[derive(Clone, Debug, Default)]
pub struct Answered(Arc<AtomicBool>);

impl<S> tower_layer::Layer<S> for Answered {
    type Service = Watch<S>;

    fn layer(&self, inner: S) -> Watch<S> {
        Watch {
            inner,
            answered: self.0.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Watch<S> {
    inner: S,
    answered: Arc<AtomicBool>,
}

impl<S, Req> tower_service::Service<Req> for Watch<S>
where
    S: tower_service::Service<Req>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = BoxFuture<'static, Result<S::Response, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, req: Req) -> Self::Future {
        let answered = self.answered.clone();
        let call = self.inner.call(req);
        Box::pin(async move {
            match call.await {
                // Any answer counts, an error status too: the server is there.
                Ok(response) => {
                    answered.store(true, Ordering::Relaxed);
                    Ok(response)
                }
                // kube's own errors (credentials, a request it could not build) go back as they
                // are: kube reads them back by type.
                Err(e) => {
                    let e: BoxError = e.into();
                    if e.is::<kube::Error>() {
                        return Err(e);
                    }
                    let e: BoxError = Box::new(NoAnswer {
                        answered_before: answered.load(Ordering::Relaxed),
                        source: e,
                    });
                    Err(e)
                }
            }
        })
    }
}
