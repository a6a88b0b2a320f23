//! The fleet as the launcher config describes it (pure): members, the master URLs that name the
//! fleet or one member, and the placement policy. Parsed here; `choose` decides with them.

use std::collections::BTreeMap;

/// One cluster of the fleet (`fleet:` in the launcher config, a list of these).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Member {
    pub name: String,
    /// A kubeconfig file; the usual one (`KUBECONFIG`, `~/.kube/config`) when absent.
    #[serde(default)]
    pub kubeconfig: Option<String>,
    /// A context in that kubeconfig; its current context when absent.
    #[serde(default)]
    pub context: Option<String>,
    /// The pod's service account (the launcher runs in this cluster).
    #[serde(default)]
    pub in_cluster: bool,
    /// The namespace jobs go to; the context's when absent.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Share under the `weighted` policy.
    #[serde(default = "one")]
    pub weight: u32,
    /// Order under the `priority` policy: lower first.
    #[serde(default)]
    pub priority: i32,
    /// region, zone, purpose…: what `spark.k8scli.clusterSelector` matches.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// `false`: not used at all.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `true`: takes no new jobs; its running jobs are followed as ever.
    #[serde(default)]
    pub drained: bool,
    /// Queue and submit pod settings for jobs placed here (`queueMaxRunning`, `submitImage`…),
    /// replacing the launcher config's own values; a job's environment, `--conf` and flags
    /// still win. Values are checked by `resolve` against the settings registry.
    #[serde(default)]
    pub overrides: BTreeMap<String, serde_json::Value>,
}

/// Whether a launcher setting may be overridden per cluster: the queue's and the submit
/// pod's (what differs between clusters), not the fleet's own settings.
pub fn overridable(setting: &str) -> bool {
    (setting.starts_with("queue") && setting != "queueSpillAfter")
        || setting.starts_with("submit")
        || matches!(setting, "sparkSubmitPath" | "startupTimeout")
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// The members, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fleet {
    pub members: Vec<Member>,
}

impl Fleet {
    /// Parses the `fleet` setting (a JSON/YAML array of members) and checks it: names unique
    /// and usable in labels, a kubeconfig/context or in-cluster but not both.
    pub fn parse(json: &str) -> Result<Fleet, String> {
        let members: Vec<Member> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut seen = std::collections::BTreeSet::new();
        for m in &members {
            let ok = !m.name.is_empty()
                && m.name.len() <= 63
                && m.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !m.name.starts_with('-')
                && !m.name.ends_with('-');
            if !ok {
                return Err(format!(
                    "cluster name '{}' must be lower-case letters, digits and '-', at most 63 characters",
                    m.name
                ));
            }
            if !seen.insert(m.name.as_str()) {
                return Err(format!("cluster '{}' is listed twice", m.name));
            }
            if let Some(k) = m.overrides.keys().find(|k| !overridable(k)) {
                return Err(format!(
                    "cluster '{}': '{k}' cannot be overridden per cluster; overrides take the queue settings (queue, queueMaxRunning…), the submit pod's (submitImage, submitCpu…), sparkSubmitPath and startupTimeout",
                    m.name
                ));
            }
            if m.in_cluster && (m.kubeconfig.is_some() || m.context.is_some()) {
                return Err(format!(
                    "cluster '{}': inCluster cannot be combined with kubeconfig or context",
                    m.name
                ));
            }
        }
        Ok(Fleet { members })
    }

    pub fn get(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The members' names, for messages: `a, b, c`.
    pub fn names(&self) -> String {
        self.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a `--master` URL asks of the fleet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MasterTarget {
    /// `k8s://fleet`: any member.
    Fleet,
    /// `k8s://fleet/<name>`: that member.
    Member(String),
    /// A Kubernetes API server URL: the member with that server, or a cluster outside the fleet.
    Server(String),
}

/// Reads a `k8s://…` master: `k8s://fleet` and `k8s://fleet/<name>` name the fleet; anything
/// else is an API server.
pub fn master_target(master: &str) -> Option<MasterTarget> {
    let rest = master.strip_prefix("k8s://")?;
    match rest.trim_end_matches('/') {
        "fleet" => Some(MasterTarget::Fleet),
        r => match r.strip_prefix("fleet/") {
            Some(name) if !name.is_empty() && !name.contains('/') => {
                Some(MasterTarget::Member(name.to_string()))
            }
            _ => Some(MasterTarget::Server(rest.to_string())),
        },
    }
}

/// How a member is picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Priority,
    Weighted,
    Headroom,
}

impl Policy {
    pub fn parse(s: &str) -> Option<Policy> {
        match s {
            "priority" => Some(Policy::Priority),
            "weighted" => Some(Policy::Weighted),
            "headroom" => Some(Policy::Headroom),
            _ => None,
        }
    }
}
