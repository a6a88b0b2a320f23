//! The sandbox every test and benchmark of the launcher against kubesim runs in: kubesim
//! started in the process, a [`Home`] whose kubeconfig names its clusters, `--master` of the
//! jobs set to its API server, and the store's pods at hand. Dropping it stops kubesim and
//! removes the home.

use std::ops::Deref;

use kubesim::api::{Reply, Request};
use kubesim::{Sim, SimConfig};
use serde_json::Value;

use super::home::Home;
use super::mode::Mode;
use super::watch;

pub struct Sandbox {
    home: Home,
    pub sim: Sim,
}

impl Deref for Sandbox {
    type Target = Home;
    fn deref(&self) -> &Home {
        &self.home
    }
}

impl Sandbox {
    /// Kubesim with `config`, and a home for jobs in `mode`. With one cluster, the jobs'
    /// `--master` is its API server; with several (a fleet), the jobs name none and the
    /// launcher config's fleet chooses.
    pub async fn start(mode: Mode, name: &str, config: SimConfig) -> Sandbox {
        let sim = Sim::start(config).await.unwrap();
        let mut home = Home::in_mode(mode, name);
        std::fs::write(home.kubeconfig(), sim.kubeconfig()).unwrap();
        if sim.clusters.len() == 1 {
            home.master = Some(format!("k8s://{}", sim.url(0)));
        }
        Sandbox { home, sim }
    }

    /// Job `job`'s driver pod in this sandbox's deploy mode.
    pub fn driver(&self, job: &str) -> String {
        self.mode.driver(job)
    }

    /// The pods of namespace `default` on the first cluster that match `selector`.
    pub fn pods(&self, selector: &str) -> Vec<Value> {
        watch::list(&self.sim.clusters[0], "pods", selector)
    }

    /// Waits (on a watch) until some pod matching `selector` satisfies `pred`.
    pub async fn wait_pod(&self, selector: &str, pred: impl Fn(&Value) -> bool) -> Value {
        watch::wait_object(&self.sim.clusters[0], "pods", selector, pred).await
    }

    /// Waits (on a watch) until job `job`'s pod of `role` (`driver`, `executor`) runs.
    pub async fn wait_running(&self, job: &str, role: &str) -> Value {
        self.wait_pod(
            &format!("spark-k8s-cli/job-id={job},spark-role={role}"),
            |p| p["status"]["phase"] == "Running",
        )
        .await
    }

    /// Waits (on a watch) until no pod matches `selector`.
    pub async fn wait_gone(&self, selector: &str) {
        watch::wait_until(
            &self.sim.clusters[0],
            "pods",
            watch::WAIT,
            || self.pods(selector).is_empty(),
            || format!("pods {selector} still there: {:#?}", self.pods(selector)),
        )
        .await
    }

    /// A client of the first cluster in namespace `default`, as the launcher connects.
    pub async fn target(&self) -> spark_k8s_cli::cluster::Target {
        let options = spark_k8s_cli::cluster::ConnectOptions {
            kubeconfig: Some(self.kubeconfig().display().to_string()),
            ..Default::default()
        };
        spark_k8s_cli::cluster::connect_with(&options, &Default::default(), Some("default"))
            .await
            .unwrap_or_else(|e| panic!("connects to kubesim: {e}"))
    }

    /// The launcher's own requests to every cluster (in-cluster Spark's are counted apart).
    pub fn requests(&self) -> u64 {
        self.sim
            .clusters
            .iter()
            .flat_map(|c| c.counters().into_iter())
            .filter(|(k, _)| !k.ends_with("(in-cluster)"))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Kubesim with RBAC on, where `token` authenticates as service account `account` of
/// `default` (the tests of `spark-k8s-cli rbac`'s manifests).
pub fn with_rbac(token: &str, account: &str) -> SimConfig {
    SimConfig {
        rbac: true,
        users: vec![(
            token.into(),
            format!("system:serviceaccount:default:{account}"),
        )],
        ..Default::default()
    }
}

/// Creates each document of `yaml` as the admin, through kubesim's handlers.
pub fn apply(cluster: &kubesim::Cluster, yaml: &str) {
    for doc in yaml.split("\n---\n") {
        let obj: Value = serde_saphyr::from_str(doc).unwrap();
        let ns = obj["metadata"]["namespace"].as_str().unwrap();
        let plural = match obj["kind"].as_str().unwrap() {
            "ServiceAccount" => "api/v1/namespaces/{ns}/serviceaccounts",
            "Role" => "apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            "RoleBinding" => "apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
            k => panic!("{k}"),
        };
        let req = Request {
            method: "POST".into(),
            path: format!("/{}", plural.replace("{ns}", ns)),
            content_type: "application/json".into(),
            body: serde_json::to_vec(&obj).unwrap(),
            ..Default::default()
        };
        match kubesim::api::handle(cluster, &req) {
            Reply::Json(code, v) => assert!(code < 300, "{v}"),
            _ => panic!("{doc}"),
        }
    }
}
