//! One emulated cluster: its store, address, token and request counters.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde_json::json;

use crate::resources;
use crate::store::Store;

/// A cluster served on its own port.
pub struct Cluster {
    pub name: String,
    /// `127.0.0.1:PORT`
    pub address: String,
    pub token: String,
    /// More bearer tokens, each naming its user, as kube-apiserver's `--token-auth-file`.
    pub users: BTreeMap<String, String>,
    pub store: Store,
    pub logs: crate::logs::Logs,
    pub stdin: crate::stdio::Stdin,
    /// Files written in pods, and the upload store.
    pub files: crate::files::Files,
    /// Authorisation rules (SelfSubjectAccessReviews and RBAC 403s).
    pub access: crate::access::Access,
    pub faults: crate::faults::Faults,
    /// The web UIs of the drivers running in pods (reached through the pod proxy).
    pub uis: std::sync::Arc<crate::sparkui::SparkUis>,
    /// The channel protocols attach and exec are served in (all of
    /// [`crate::websocket::CHANNEL_PROTOCOLS`], or v4 only as before 1.30).
    pub stream_protocols: &'static [&'static str],
    /// Serve HTTPS with this (the token is then mandatory).
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// Pod creates being handled right now, per namespace (quota-lock contention).
    inflight_creates: Mutex<BTreeMap<String, usize>>,
    counters: Mutex<BTreeMap<String, u64>>,
    /// Bumped on every counted request: tests wait on it (`subscribe().wait_for(…)`) instead of polling.
    pub requests: tokio::sync::watch::Sender<u64>,
}

impl Cluster {
    /// A cluster with the namespaces every real cluster has.
    pub fn new(name: &str, address: &str, token: &str, history_limit: usize) -> Cluster {
        let c = Cluster {
            name: name.into(),
            address: address.into(),
            token: token.into(),
            users: BTreeMap::new(),
            store: Store::new(history_limit),
            logs: crate::logs::Logs::default(),
            stdin: crate::stdio::Stdin::default(),
            files: crate::files::Files::default(),
            access: crate::access::Access::default(),
            faults: crate::faults::Faults::default(),
            uis: Default::default(),
            stream_protocols: &crate::websocket::CHANNEL_PROTOCOLS,
            tls: None,
            inflight_creates: Mutex::new(BTreeMap::new()),
            counters: Mutex::new(BTreeMap::new()),
            requests: tokio::sync::watch::Sender::new(0),
        };
        let ns = resources::find("", "v1", "namespaces").expect("served");
        for n in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            c.store
                .create(ns, "", json!({"metadata": {"name": n}}))
                .expect("a fresh store takes the standard namespaces");
        }
        c
    }

    /// Counts one request as `VERB resource`.
    pub fn count(&self, verb: &str, resource: &str) {
        {
            let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
            *c.entry(format!("{verb} {resource}")).or_default() += 1;
        }
        self.requests.send_modify(|n| *n += 1);
    }

    /// Marks a pod create in `ns` as in flight; returns whether another one is too.
    pub fn begin_create(&self, ns: &str) -> bool {
        let mut m = self
            .inflight_creates
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let n = m.entry(ns.to_string()).or_default();
        *n += 1;
        *n > 1
    }

    pub fn end_create(&self, ns: &str) {
        let mut m = self
            .inflight_creates
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = m.get_mut(ns) {
            *n = n.saturating_sub(1);
        }
    }

    /// The name of a ResourceQuota in `ns`, if there is one.
    pub fn quota_name(&self, ns: &str) -> Option<String> {
        let r = crate::resources::find("", "v1", "resourcequotas")?;
        let (qs, _) = self
            .store
            .list(r, Some(ns), &Default::default(), &Default::default());
        qs.first()
            .and_then(|q| q.pointer("/metadata/name"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    }

    /// Requests so far, by `VERB resource`.
    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
