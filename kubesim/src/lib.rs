//! kubesim: an in-memory, multi-cluster Kubernetes API emulator for tests, benchmarks and demos.
//!
//! # Layout
//! - [`wire`]: HTTP/1.1, auth, JSON/Status encoding, chunked watch streams, admin endpoint.
//! - [`api`]: one handler per verb over routed paths; discovery documents.
//! - [`store`]: objects, resourceVersion, history, watches, garbage collection.
//! - [`quota`] and [`validate`]: admission beside the store (quota, 422s, defaults).
//! - [`patch`], [`selector`], [`quantity`], [`status`]: the wire formats.
//! - [`kubelet`], [`programs`], [`shells`], [`logs`], [`stdio`]: pods that run, with output and input;
//!   [`websocket`] carries watches and attach/exec sessions.
//!
//! [`Sim::start`] binds one `127.0.0.1` port per cluster and [`Sim::kubeconfig`] names them as
//! contexts `kubesim-1` … `kubesim-N`.

pub mod access;
pub mod api;
pub mod cluster;
pub mod faults;
pub mod files;
pub mod ingress;
pub mod kubelet;
pub mod latency;
pub mod logs;
pub mod managed;
pub mod patch;
pub mod programs;
pub mod proto;
pub mod quantity;
pub mod quota;
pub mod rbac;
pub mod repl;
pub mod resources;
pub mod selector;
pub mod services;
pub mod session;
pub mod shells;
pub mod sparkfiles;
pub mod sparkui;
pub mod status;
pub mod stdio;
pub mod store;
pub mod table;
pub mod tls;
pub mod validate;
pub mod websocket;
pub mod wire;

use std::sync::Arc;

use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use cluster::Cluster;

/// The items of the array at `ptr` in `v` (none when it is missing or not an array), the walk
/// over `spec.containers`, `spec.volumes`, `metadata.ownerReferences` … every handler makes.
pub(crate) fn each<'a>(
    v: &'a serde_json::Value,
    ptr: &str,
) -> impl Iterator<Item = &'a serde_json::Value> + use<'a> {
    v.pointer(ptr)
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
}

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
    /// Quota-lock conflict rate for concurrent pod creates (`None`: the default, 0.2).
    pub quota_conflict_rate: Option<f64>,
    /// Authorisation rules, first match decides (empty: everything allowed).
    pub access: Vec<access::AccessRule>,
    /// ServiceAccounts created on every cluster as `(namespace, name)` (a missing namespace is
    /// created too), as a real deployment has them: a pod naming a missing one is refused 403.
    pub service_accounts: Vec<(String, String)>,
    /// The latency profile: `None` is `instant` (every step at once), `Some` the realistic one
    /// (scheduling, image pulls, container start, the JVM spark-submit's start-up).
    pub latency: Option<latency::Profile>,
    /// Serve attach and exec in `v4.channel.k8s.io` only, as an API server before 1.30 does
    /// (`v5.channel.k8s.io`, with its stdin close signal, came with KEP-4006's
    /// `TranslateStreamCloseWebsocketRequests`, on by default from 1.30).
    pub v4_streams_only: bool,
    /// More bearer tokens as `(token, user)`, as kube-apiserver's `--token-auth-file`; a user
    /// `system:serviceaccount:NS:NAME` is that service account.
    pub users: Vec<(String, String)>,
    /// Hold every identity but the token's admin to the RBAC objects (Role, RoleBinding,
    /// ClusterRole, ClusterRoleBinding) created through the API; off: they may do anything.
    pub rbac: bool,
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
            quota_conflict_rate: None,
            access: Vec::new(),
            service_accounts: Vec::new(),
            latency: None,
            v4_streams_only: false,
            users: Vec::new(),
            rbac: false,
        }
    }
}

impl SimConfig {
    /// `--latency instant|realistic`: instant drops the profile; realistic keeps one the config
    /// file set, else takes the defaults.
    pub fn set_latency(&mut self, name: &str) -> Result<(), String> {
        match name {
            "instant" => self.latency = None,
            "realistic" => {
                self.latency.get_or_insert_with(latency::Profile::default);
            }
            _ => return Err(format!("latency {name:?}: expected instant or realistic")),
        }
        Ok(())
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
            if let Some(rate) = config.quota_conflict_rate {
                cluster.faults.set_quota_conflict_rate(rate);
            }
            cluster.access.set(config.access.clone());
            if config.v4_streams_only {
                cluster.stream_protocols = &crate::websocket::CHANNEL_PROTOCOLS[1..];
            }
            cluster.access.set_rbac(config.rbac);
            cluster.users = config.users.iter().cloned().collect();
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
            for (ns, name) in &config.service_accounts {
                create_service_account(&cluster, ns, name).map_err(std::io::Error::other)?;
            }
            let (tx, rx) = oneshot::channel::<()>();
            let (kubelet_stop, kubelet_rx) = tokio::sync::watch::channel(false);
            let mut kubelet = config.kubelet.clone();
            if config.latency.is_some() {
                kubelet.latency = config.latency.clone();
            }
            tokio::spawn(kubelet::run(cluster.clone(), kubelet, kubelet_rx));
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
        self.kubeconfig_with_token(&self.token)
    }

    /// [`Sim::kubeconfig`] whose users present `token` (one of [`SimConfig::users`]).
    pub fn kubeconfig_with_token(&self, token: &str) -> String {
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
                c.name, token
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

/// Creates ServiceAccount `ns/name` (and namespace `ns` when it is missing); one that exists is kept.
pub fn create_service_account(cluster: &Cluster, ns: &str, name: &str) -> Result<(), String> {
    let namespaces = resources::find("", "v1", "namespaces").expect("served");
    let accounts = resources::find("", "v1", "serviceaccounts").expect("served");
    let ok_if_exists = |r: Result<serde_json::Value, status::ApiError>| match r {
        Err(e) if e.code != 409 => Err(e.message().to_string()),
        _ => Ok(()),
    };
    ok_if_exists(
        cluster
            .store
            .create(namespaces, "", json!({"metadata": {"name": ns}})),
    )?;
    ok_if_exists(
        cluster
            .store
            .create(accounts, ns, json!({"metadata": {"name": name}})),
    )
}

/// Parses `name` or `namespace/name` (a bare name is in `default`).
pub fn parse_service_account(s: &str) -> Result<(String, String), String> {
    let (ns, name) = s.split_once('/').unwrap_or(("default", s));
    if ns.is_empty() || name.is_empty() || name.contains('/') {
        return Err(format!(
            "service account '{s}' is not NAME or NAMESPACE/NAME"
        ));
    }
    Ok((ns.to_string(), name.to_string()))
}

/// The `sim serve --config` file: every field optional, unknown fields refused.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SimFile {
    pub clusters: Option<usize>,
    pub token: Option<String>,
    pub tls: Option<bool>,
    pub history_limit: Option<usize>,
    /// ResourceQuota `compute` in `default`: resource name → quantity.
    pub quota: Option<std::collections::BTreeMap<String, String>>,
    /// Nodes of every cluster.
    pub nodes: Option<Vec<NodeSpec>>,
    /// ContainerCreating → Running, milliseconds.
    pub start_delay_ms: Option<u64>,
    /// Share of concurrent pod creates that get the quota-lock 409 (0..1).
    pub quota_conflict_rate: Option<f64>,
    /// Authorisation rules (`verb`, `resource`, `group`, `namespace`, `allowed`), first match wins.
    pub access: Option<Vec<access::AccessRule>>,
    /// ServiceAccounts to create on every cluster: `NAME` (in `default`) or `NAMESPACE/NAME`.
    pub service_accounts: Option<Vec<String>>,
    /// The latency profile; see [`LatencyFile`].
    pub latency: Option<LatencyFile>,
    /// More bearer tokens: token → user (`system:serviceaccount:NS:NAME` for a service account).
    pub users: Option<std::collections::BTreeMap<String, String>>,
    /// Hold those users and the pods' service accounts to the RBAC objects created through the API.
    pub rbac: Option<bool>,
}

/// The `latency:` block. Any key switches to the realistic profile (unless `profile: instant`),
/// each given key overriding its default.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LatencyFile {
    /// `instant` or `realistic`.
    pub profile: Option<String>,
    pub seed: Option<u64>,
    pub scheduling: Option<DistFile>,
    pub image_pull: Option<DistFile>,
    pub image_pull_cached: Option<DistFile>,
    pub container_start: Option<DistFile>,
    pub spark_submit_jvm: Option<DistFile>,
    pub shell_jvm: Option<DistFile>,
}

/// A log-normal distribution by its median and 95th percentile, in milliseconds; a key left
/// out keeps the default's.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DistFile {
    pub median_ms: Option<u64>,
    pub p95_ms: Option<u64>,
}

impl DistFile {
    fn over(&self, d: &mut latency::Dist) {
        if let Some(m) = self.median_ms {
            d.median = std::time::Duration::from_millis(m);
        }
        if let Some(p) = self.p95_ms {
            d.p95 = std::time::Duration::from_millis(p);
        }
    }
}

impl LatencyFile {
    /// The profile this block gives (`None`: instant).
    pub fn profile(&self) -> Result<Option<latency::Profile>, String> {
        match self.profile.as_deref() {
            Some("instant") => return Ok(None),
            None | Some("realistic") => {}
            Some(other) => {
                return Err(format!(
                    "latency profile {other:?}: expected instant or realistic"
                ));
            }
        }
        let mut p = latency::Profile::default();
        if let Some(seed) = self.seed {
            p.seed = seed;
        }
        for (f, d) in [
            (&self.scheduling, &mut p.scheduling),
            (&self.image_pull, &mut p.image_pull),
            (&self.image_pull_cached, &mut p.image_pull_cached),
            (&self.container_start, &mut p.container_start),
            (&self.spark_submit_jvm, &mut p.spark_submit_jvm),
            (&self.shell_jvm, &mut p.shell_jvm),
        ] {
            if let Some(f) = f {
                f.over(d);
            }
            if d.p95 < d.median {
                return Err(format!(
                    "latency: a p95Ms ({} ms) below its medianMs ({} ms)",
                    d.p95.as_millis(),
                    d.median.as_millis()
                ));
            }
        }
        Ok(Some(p))
    }
}

/// One node's allocatable resources.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub cpu: String,
    pub memory: String,
}

impl SimFile {
    /// Parses the YAML text of a sim config file.
    pub fn parse(text: &str) -> Result<SimFile, String> {
        let file: SimFile = if text.trim().is_empty() {
            SimFile::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| e.to_string())?
        };
        for n in file.nodes.iter().flatten() {
            if quantity::parse(&n.cpu).is_none() || quantity::parse(&n.memory).is_none() {
                return Err(format!(
                    "node cpu {:?} / memory {:?} are not quantities",
                    n.cpu, n.memory
                ));
            }
        }
        for (k, v) in file.quota.iter().flatten() {
            if quantity::parse(v).is_none() {
                return Err(format!("quota {k}={v:?} is not a quantity"));
            }
        }
        if file
            .quota_conflict_rate
            .is_some_and(|r| !(0.0..=1.0).contains(&r))
        {
            return Err("quotaConflictRate must be between 0 and 1".into());
        }
        for sa in file.service_accounts.iter().flatten() {
            parse_service_account(sa)?;
        }
        if let Some(l) = &file.latency {
            l.profile()?;
        }
        Ok(file)
    }

    /// Applies the file over `config` (command-line flags are applied after this).
    pub fn apply(self, config: &mut SimConfig) {
        if let Some(n) = self.clusters {
            config.clusters = n;
        }
        if let Some(t) = self.token {
            config.token = t;
        }
        if let Some(t) = self.tls {
            config.tls = t;
        }
        if let Some(h) = self.history_limit {
            config.history_limit = h;
        }
        if let Some(q) = self.quota {
            config.quota = Some(q.into_iter().collect());
        }
        if let Some(nodes) = self.nodes {
            config.kubelet.nodes = nodes.into_iter().map(|n| (n.cpu, n.memory)).collect();
        }
        if let Some(ms) = self.start_delay_ms {
            config.kubelet.start_delay = std::time::Duration::from_millis(ms);
        }
        config.quota_conflict_rate = self.quota_conflict_rate.or(config.quota_conflict_rate);
        if let Some(rules) = self.access {
            config.access = rules;
        }
        for sa in self.service_accounts.into_iter().flatten() {
            if let Ok(pair) = parse_service_account(&sa) {
                config.service_accounts.push(pair);
            }
        }
        if let Some(l) = self.latency {
            config.latency = l.profile().expect("checked by parse");
        }
        config.users.extend(self.users.into_iter().flatten());
        if let Some(on) = self.rbac {
            config.rbac = on;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sim_files() {
        let f = SimFile::parse("clusters: 3\ntls: true\nquota: {cpu: \"8\", pods: \"10\"}\nnodes:\n- {cpu: \"4\", memory: 8Gi}\nstartDelayMs: 5\nquotaConflictRate: 0.5\n").unwrap();
        let mut c = SimConfig::default();
        f.apply(&mut c);
        assert_eq!(
            (c.clusters, c.tls, c.quota_conflict_rate),
            (3, true, Some(0.5))
        );
        assert_eq!(c.kubelet.nodes, vec![("4".to_string(), "8Gi".to_string())]);
        assert_eq!(c.quota.unwrap().len(), 2);
        assert!(
            SimFile::parse("clustres: 2\n")
                .unwrap_err()
                .contains("clustres")
        );
        assert!(SimFile::parse("nodes: [{cpu: lots, memory: 1Gi}]\n").is_err());
        assert!(SimFile::parse("quotaConflictRate: 2\n").is_err());
        let f = SimFile::parse("serviceAccounts: [spark, jobs/submitter]\n").unwrap();
        let mut c = SimConfig::default();
        f.apply(&mut c);
        assert_eq!(
            c.service_accounts,
            vec![
                ("default".to_string(), "spark".to_string()),
                ("jobs".to_string(), "submitter".to_string())
            ]
        );
        assert!(SimFile::parse("serviceAccounts: [a/b/c]\n").is_err());
        assert!(SimFile::parse("").is_ok());
        assert_eq!(c.latency, None, "instant unless asked for");
    }

    #[test]
    fn latency_blocks_override_each_default() {
        let parse = |text: &str| {
            let mut c = SimConfig::default();
            SimFile::parse(text).map(|f| {
                f.apply(&mut c);
                c.latency
            })
        };
        let ms = std::time::Duration::from_millis;
        let p = parse("latency:\n  seed: 7\n  imagePull: {medianMs: 900}\n  sparkSubmitJvm: {medianMs: 100, p95Ms: 200}\n  shellJvm: {p95Ms: 30000}\n")
            .unwrap()
            .unwrap();
        let d = latency::Profile::default();
        assert_eq!(p.seed, 7);
        assert_eq!(
            (p.image_pull.median, p.image_pull.p95),
            (ms(900), d.image_pull.p95)
        );
        assert_eq!(
            (p.spark_submit_jvm.median, p.spark_submit_jvm.p95),
            (ms(100), ms(200))
        );
        assert_eq!(
            (p.shell_jvm.median, p.shell_jvm.p95),
            (d.shell_jvm.median, ms(30_000))
        );
        assert_eq!(
            (p.scheduling, p.image_pull_cached, p.container_start),
            (d.scheduling, d.image_pull_cached, d.container_start)
        );
        assert_eq!(parse("latency: {profile: realistic}\n").unwrap(), Some(d));
        assert_eq!(
            parse("latency: {profile: instant, seed: 3}\n").unwrap(),
            None
        );
        assert!(
            parse("latency: {profile: slow}\n")
                .unwrap_err()
                .contains("slow")
        );
        assert!(parse("latency: {scheduling: {medianMs: 50, p95Ms: 10}}\n").is_err());
        assert!(
            parse("latency: {pull: {medianMs: 5}}\n")
                .unwrap_err()
                .contains("pull")
        );
        // The flag: realistic keeps the file's profile, instant drops it.
        let mut c = SimConfig::default();
        SimFile::parse("latency: {seed: 11}\n")
            .unwrap()
            .apply(&mut c);
        c.set_latency("realistic").unwrap();
        assert_eq!(c.latency.as_ref().map(|p| p.seed), Some(11));
        c.set_latency("instant").unwrap();
        assert_eq!(c.latency, None);
        c.set_latency("realistic").unwrap();
        assert_eq!(c.latency, Some(latency::Profile::default()));
        assert!(c.set_latency("fast").is_err());
    }
}
