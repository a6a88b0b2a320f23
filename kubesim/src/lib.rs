//! kubesim: an in-memory, multi-cluster Kubernetes API emulator for tests, benchmarks and demos.
//!
//! # Layout
//! - [`wire`]: HTTP/1.1, auth, JSON/Status encoding, chunked watch streams, admin endpoint.
//! - [`api`]: one handler per verb over routed paths; discovery documents.
//! - [`store`]: objects, resourceVersion, history, watches, garbage collection.
//! - [`quota`] and [`validate`]: admission beside the store (quota, 422s, defaults).
//! - [`patch`], [`selector`], [`quantity`], [`status`]: the wire formats.
//!
//! [`Sim::start`] binds one `127.0.0.1` port per cluster and [`Sim::kubeconfig`] names them as
//! contexts `kubesim-1` … `kubesim-N`.

pub mod api;
pub mod cluster;
pub mod faults;
pub mod kubelet;
pub mod logs;
pub mod patch;
pub mod programs;
pub mod quantity;
pub mod quota;
pub mod resources;
pub mod selector;
pub mod status;
pub mod store;
pub mod tls;
pub mod validate;
pub mod websocket;
pub mod wire;

use std::sync::Arc;

use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use cluster::Cluster;

/// How to start the emulator.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub clusters: usize,
    /// The bearer token every cluster accepts.
    pub token: String,
    /// Changes kept for watch resumption before a resourceVersion is "too old".
    pub history_limit: usize,
    /// A ResourceQuota `compute` created in `default` on every cluster (`cpu=..,memory=..,pods=..`).
    pub quota: Option<Vec<(String, String)>>,
    /// Nodes and container start-up of the simulated kubelet.
    pub kubelet: kubelet::KubeletConfig,
    /// Serve HTTPS with a CA generated for this run (in the kubeconfig); the token is then required.
    pub tls: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            clusters: 1,
            token: "kubesim-token".into(),
            history_limit: 10_000,
            quota: None,
            kubelet: kubelet::KubeletConfig::default(),
            tls: false,
        }
    }
}

/// Running clusters; dropping it stops them.
pub struct Sim {
    pub clusters: Vec<Arc<Cluster>>,
    stops: Vec<oneshot::Sender<()>>,
    token: String,
    /// The CA's PEM when serving TLS.
    pub ca_pem: Option<String>,
}

impl Sim {
    /// Starts the clusters, each on a fresh `127.0.0.1` port, ready when this returns.
    pub async fn start(config: SimConfig) -> std::io::Result<Sim> {
        let mut clusters = Vec::new();
        let mut stops = Vec::new();
        let tls = if config.tls {
            Some(tls::Tls::generate().map_err(std::io::Error::other)?)
        } else {
            None
        };
        for i in 1..=config.clusters.max(1) {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?.to_string();
            let mut cluster = Cluster::new(
                &format!("kubesim-{i}"),
                &address,
                &config.token,
                config.history_limit,
            );
            cluster.tls = tls.as_ref().map(|t| t.acceptor.clone());
            let cluster = Arc::new(cluster);
            if let Some(hard) = &config.quota {
                let r = resources::find("", "v1", "resourcequotas").expect("served");
                let hard: serde_json::Map<String, serde_json::Value> =
                    hard.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                cluster
                    .store
                    .create(
                        r,
                        "default",
                        json!({"metadata": {"name": "compute"}, "spec": {"hard": hard}}),
                    )
                    .map_err(|e| std::io::Error::other(e.message().to_string()))?;
            }
            let (tx, rx) = oneshot::channel::<()>();
            let (kubelet_stop, kubelet_rx) = tokio::sync::watch::channel(false);
            tokio::spawn(kubelet::run(
                cluster.clone(),
                config.kubelet.clone(),
                kubelet_rx,
            ));
            tokio::spawn(wire::serve(listener, cluster.clone(), async move {
                let _ = rx.await;
                let _ = kubelet_stop.send(true);
            }));
            clusters.push(cluster);
            stops.push(tx);
        }
        Ok(Sim {
            clusters,
            stops,
            token: config.token,
            ca_pem: tls.map(|t| t.ca_pem),
        })
    }

    /// `http(s)://127.0.0.1:PORT` of cluster `i` (0-based).
    pub fn url(&self, i: usize) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.clusters[i].address)
    }

    /// A kubeconfig with one context per cluster (`kubesim-1` is current), namespace `default`.
    pub fn kubeconfig(&self) -> String {
        let mut out = String::from("apiVersion: v1\nkind: Config\npreferences: {}\nclusters:\n");
        for (i, c) in self.clusters.iter().enumerate() {
            out.push_str(&format!(
                "- name: {}\n  cluster:\n    server: {}\n",
                c.name,
                self.url(i)
            ));
            if let Some(ca) = &self.ca_pem {
                out.push_str(&format!(
                    "    certificate-authority-data: {}\n",
                    validate::base64(ca.as_bytes())
                ));
            }
        }
        out.push_str("users:\n");
        for c in &self.clusters {
            out.push_str(&format!(
                "- name: {}\n  user:\n    token: {}\n",
                c.name, self.token
            ));
        }
        out.push_str("contexts:\n");
        for c in &self.clusters {
            out.push_str(&format!(
                "- name: {0}\n  context:\n    cluster: {0}\n    user: {0}\n    namespace: default\n",
                c.name
            ));
        }
        out.push_str(&format!("current-context: {}\n", self.clusters[0].name));
        out
    }

    /// Stops every cluster: listeners close, open watches end.
    pub fn stop(&mut self) {
        for s in self.stops.drain(..) {
            let _ = s.send(());
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Parses `cpu=8,memory=32Gi,pods=10` into quota hard limits.
pub fn parse_quota(s: &str) -> Result<Vec<(String, String)>, String> {
    s.split(',')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) if !k.is_empty() && quantity::parse(v).is_some() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(format!(
                "'{p}' is not resource=quantity (e.g. cpu=8,memory=32Gi,pods=10)"
            )),
        })
        .collect()
}
