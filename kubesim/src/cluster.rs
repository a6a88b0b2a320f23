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
    pub store: Store,
    pub logs: crate::logs::Logs,
    counters: Mutex<BTreeMap<String, u64>>,
}

impl Cluster {
    /// A cluster with the namespaces every real cluster has.
    pub fn new(name: &str, address: &str, token: &str, history_limit: usize) -> Cluster {
        let c = Cluster {
            name: name.into(),
            address: address.into(),
            token: token.into(),
            store: Store::new(history_limit),
            logs: crate::logs::Logs::default(),
            counters: Mutex::new(BTreeMap::new()),
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
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        *c.entry(format!("{verb} {resource}")).or_default() += 1;
    }

    /// Requests so far, by `VERB resource`.
    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
