//! Least-privilege RBAC for the two identities a job has: the launcher (this binary on the
//! scheduler host) and the submit pod's service account (Spark's in-pod spark-submit, then the
//! driver, in the submit pod in client mode and in the driver pod in cluster mode). Each grant
//! says which code needs it, and whether `tests/rbac.rs`'s runs use it ([`Need::Run`]) or only
//! a path those runs do not take ([`Need::Path`], named). `spark-k8s-cli rbac` prints them as
//! manifests; `docs/rbac/` holds the same.

/// The launcher's service account (its token goes in the scheduler host's kubeconfig).
pub const LAUNCHER_ACCOUNT: &str = "spark-k8s-cli";
/// The submit pod's and the driver's service account (`submitServiceAccount` and
/// `spark.kubernetes.authenticate.driver.serviceAccountName`).
pub const SUBMIT_ACCOUNT: &str = "spark-k8s-cli-submit";

/// How a verb is known to be needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// `tests/rbac.rs` runs it: a job in each deploy mode, a session, the job commands.
    Run,
    /// Only on the path named, which those runs do not take.
    Path(&'static str),
}

/// Verbs on one resource, and who needs them.
pub struct Grant {
    pub group: &'static str,
    /// `pods`, or a subresource `pods/log`.
    pub resource: &'static str,
    pub verbs: &'static [(&'static str, Need)],
    pub why: &'static str,
}

use Need::{Path, Run};

const ATTACH_CREATE: Need = Path(
    "Kubernetes 1.35+: attach's WebSocket upgrade also needs create (AuthorizePodWebsocketUpgradeCreatePermission)",
);

/// A Lease read, then written with the resourceVersion read (optimistic concurrency).
const READ_WRITE_STATE: Need = Path(
    "a queue with a running-jobs limit (queue::slots), an alert to a sink (alert::record's flood window), a fleet's shared health (cli::fleet)",
);

/// An object of the job found at its create, read back and handed to this attempt's pod.
const LEFT_BEHIND: Need = Path(
    "a session's or driver UI's Service or Ingress left by an earlier attempt of the job (submit::create_owned)",
);

/// Direct mode's driver pod found from an earlier run of the job: its objects are read, and
/// the missing ones made again.
const FOUND_DRIVER: Need = Path(
    "direct mode, a driver pod left by an earlier run of the job (submit::direct::create_rest); also a session's or driver UI's Service left by an earlier attempt (submit::create_owned)",
);

/// What the launcher calls (`src/`: submit, follow, queue, alert, session, jobs).
pub const LAUNCHER: &[Grant] = &[
    Grant {
        group: "",
        resource: "pods",
        verbs: &[
            ("create", Run),
            ("get", Run),
            ("list", Run),
            ("watch", Run),
            ("patch", Run),
            ("delete", Run),
            ("deletecollection", Run),
        ],
        why: "submit and session pods (submit), their watch (follow, queue::mirror), the session's activity annotation, the job's cost kept on its driver (follow), kill/status/list (jobs)",
    },
    Grant {
        group: "",
        resource: "pods/log",
        verbs: &[("get", Run)],
        why: "the submit pod's and the driver's logs (follow, logs)",
    },
    Grant {
        group: "",
        resource: "pods/attach",
        verbs: &[("get", Run), ("create", ATTACH_CREATE)],
        why: "a session's terminal (session) and shipping local files into the submit pod (submit::ship)",
    },
    Grant {
        group: "",
        resource: "pods/proxy",
        verbs: &[
            (
                "get",
                Path(
                    "Ctrl-C in a spark-shell session: the driver UI's running jobs (session::cancel)",
                ),
            ),
            (
                "create",
                Path(
                    "Ctrl-C in a spark-shell session: the driver UI's kill link (session::cancel)",
                ),
            ),
        ],
        why: "cancelling a spark-shell session's running jobs through its driver's web UI (session::cancel)",
    },
    Grant {
        group: "",
        resource: "services",
        verbs: &[
            ("create", Run),
            ("get", FOUND_DRIVER),
            ("list", FOUND_DRIVER),
            ("patch", Run),
        ],
        why: "a session's headless Service (submit), the driver UI's Service (follow::ui, with uiIngressHost), direct mode's driver Service (submit::direct, server-side apply: patch, and create for a new one; a found driver's is listed by its app id), each owned by its pod",
    },
    Grant {
        group: "",
        resource: "configmaps",
        verbs: &[("create", Run), ("get", FOUND_DRIVER), ("patch", Run)],
        why: "direct mode's driver ConfigMap, spark.properties (submit::direct, server-side apply), owned by the driver",
    },
    Grant {
        group: "networking.k8s.io",
        resource: "networkpolicies",
        verbs: &[
            ("create", Run),
            ("get", FOUND_DRIVER),
            ("list", FOUND_DRIVER),
            ("patch", Run),
        ],
        why: "direct mode's NetworkPolicy of the driver's executors, as Spark 4.2+ makes it (submit::direct, server-side apply; a found driver's is listed by its app id), owned by the driver",
    },
    Grant {
        group: "networking.k8s.io",
        resource: "ingresses",
        verbs: &[
            ("create", Run),
            ("get", LEFT_BEHIND),
            ("patch", LEFT_BEHIND),
        ],
        why: "the driver UI's Ingress, owned by the driver pod (follow::ui; only with uiIngressHost)",
    },
    Grant {
        group: "",
        resource: "secrets",
        verbs: &[
            ("create", Run),
            ("patch", Run),
            ("list", Run),
            ("deletecollection", Run),
        ],
        why: "direct mode's secret properties and the Secret that ships a job's local files, owned by their pod (submit, submit::ship), and their removal on kill (jobs)",
    },
    Grant {
        group: "",
        resource: "events",
        verbs: &[
            ("create", Run),
            (
                "list",
                Path("a pod that fails to start: its last events in the message (follow)"),
            ),
        ],
        why: "job events as Kubernetes Events (alert), a failed pod's events (follow)",
    },
    Grant {
        group: "",
        resource: "resourcequotas",
        verbs: &[
            ("list", Run),
            (
                "watch",
                Path("a job waiting in the queue for quota headroom (queue::wait)"),
            ),
        ],
        why: "admission against quota headroom (queue), the fleet's headroom (cli::fleet)",
    },
    Grant {
        group: "",
        resource: "limitranges",
        verbs: &[(
            "list",
            Path("a job without a cpu limit on a LimitRange namespace (queue::objects)"),
        )],
        why: "a LimitRange's default cpu limit, counted against a limits.cpu quota (queue)",
    },
    Grant {
        group: "coordination.k8s.io",
        resource: "leases",
        verbs: &[
            ("create", Run),
            ("get", READ_WRITE_STATE),
            ("list", Run),
            ("watch", Run),
            ("update", READ_WRITE_STATE),
            ("patch", Run),
            ("delete", Run),
        ],
        why: "queue tickets, their renewal and removal (queue::ticket), per-queue slots (queue::slots), the alert records every host shares and their sweep (alert::record), the fleet's shared health (cli::fleet)",
    },
];

/// What Spark 4 calls from the submit pod and the driver (resource-managers/kubernetes/core:
/// `submit/KubernetesClientApplication.scala` `Client.run`, `scheduler/cluster/k8s/
/// KubernetesClusterSchedulerBackend.scala`, `ExecutorPodsAllocator.scala`,
/// `ExecutorPodsWatchSnapshotSource.scala`, `ExecutorPodsPollingSnapshotSource.scala`).
pub const SUBMIT: &[Grant] = &[
    Grant {
        resource: "pods",
        group: "",
        verbs: &[
            ("create", Run),
            ("get", Run),
            (
                "list",
                Path(
                    "the driver's executor poll, every spark.kubernetes.executor.apiPollingInterval (30 s)",
                ),
            ),
            ("watch", Run),
            (
                "delete",
                Path("a failed submission removes the driver pod it created (Client.run)"),
            ),
            ("deletecollection", Run),
        ],
        why: "the driver pod and its watch (Client.run), executors: created, watched, polled, removed at stop",
    },
    Grant {
        group: "",
        resource: "services",
        verbs: &[("create", Run), ("patch", Run), ("deletecollection", Run)],
        why: "the driver's Service, server-side applied (Client.run), removed at stop (deleteOnTermination)",
    },
    Grant {
        group: "",
        resource: "configmaps",
        verbs: &[("create", Run), ("patch", Run), ("deletecollection", Run)],
        why: "the driver's conf (server-side applied), the executors' conf (setUpExecutorConfigMap), removed at stop",
    },
    Grant {
        group: "",
        resource: "persistentvolumeclaims",
        verbs: &[
            (
                "create",
                Path("on-demand executor volumes (claimName=OnDemand)"),
            ),
            ("list", Run),
            ("deletecollection", Run),
        ],
        why: "executor volumes: reused (getReusablePVCs), created on demand, removed at stop (ownPersistentVolumeClaim)",
    },
];

fn quoted(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", q.join(", "))
}

/// A Role with `grants`, one rule per resource, each with its reason as a comment.
fn role(name: &str, namespace: &str, grants: &[Grant]) -> String {
    let mut out = format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {namespace}\nrules:\n"
    );
    for g in grants {
        let verbs: Vec<&str> = g.verbs.iter().map(|(v, _)| *v).collect();
        out.push_str(&format!(
            "# {}\n- apiGroups: {}\n  resources: {}\n  verbs: {}\n",
            g.why,
            quoted(&[g.group]),
            quoted(&[g.resource]),
            quoted(&verbs)
        ));
    }
    out
}

/// A ServiceAccount, its Role and the RoleBinding between them.
fn identity(account: &str, namespace: &str, what: &str, grants: &[Grant]) -> String {
    format!(
        "# {what}\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {account}\n  namespace: {namespace}\n---\n{}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {account}\n  namespace: {namespace}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {account}\nsubjects:\n- kind: ServiceAccount\n  name: {account}\n  namespace: {namespace}\n",
        role(account, namespace, grants)
    )
}

/// The launcher's manifests in `namespace`.
pub fn launcher(namespace: &str) -> String {
    identity(
        LAUNCHER_ACCOUNT,
        namespace,
        "The launcher: put this account's token in the scheduler hosts' kubeconfig.",
        LAUNCHER,
    )
}

/// The submit pod's (and the driver's) manifests in `namespace`.
pub fn submit(namespace: &str) -> String {
    identity(
        SUBMIT_ACCOUNT,
        namespace,
        &format!(
            "Spark's spark-submit in the submit pod, then the driver: set submitServiceAccount and spark.kubernetes.authenticate.driver.serviceAccountName to {SUBMIT_ACCOUNT}."
        ),
        SUBMIT,
    )
}

/// Both, as one multi-document YAML stream.
pub fn manifests(namespace: &str) -> String {
    format!("{}---\n{}", launcher(namespace), submit(namespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grant_is_one_rule_with_its_reason() {
        let yaml = manifests("jobs");
        let docs: Vec<&str> = yaml.split("\n---\n").collect();
        assert_eq!(docs.len(), 6, "{yaml}");
        let rules = LAUNCHER.len() + SUBMIT.len();
        assert_eq!(yaml.matches("- apiGroups:").count(), rules);
        assert_eq!(yaml.matches("namespace: jobs").count(), 8, "{yaml}");
        assert!(
            yaml.contains("- apiGroups: [\"\"]\n  resources: [\"pods/log\"]\n  verbs: [\"get\"]\n")
        );
        // No verb twice on a resource; no resource twice in a role.
        for grants in [LAUNCHER, SUBMIT] {
            let mut seen = std::collections::BTreeSet::new();
            for g in grants {
                assert!(seen.insert((g.group, g.resource)), "{}", g.resource);
                let mut verbs: Vec<_> = g.verbs.iter().map(|(v, _)| v).collect();
                verbs.sort();
                verbs.dedup();
                assert_eq!(verbs.len(), g.verbs.len(), "{}", g.resource);
            }
        }
    }
}
