//! spark_lines: what Spark's cluster-mode spark-submit prints while it follows its driver
//! (`LoggingPodStatusWatcherImpl`, `KubernetesUtils.formatPodState`), for `--status` and for
//! direct mode, where no in-pod spark-submit prints them.

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

/// One log4j line as Spark's default layout writes it (`%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m`),
/// at INFO, in UTC; the message's further lines follow as they are.
pub fn log4j(at: k8s_openapi::jiff::Timestamp, logger: &str, message: &str) -> String {
    format!(
        "{} INFO {logger}: {message}",
        at.strftime("%y/%m/%d %H:%M:%S")
    )
}

/// The submission a direct-mode job made, as `Client.run` names it.
pub struct Submission {
    pub app_name: String,
    pub app_id: String,
    /// `namespace:pod`.
    pub id: String,
}

const WATCHER: &str = "LoggingPodStatusWatcherImpl";

impl Submission {
    /// `Client.run`: the driver's state on each watch event.
    pub fn state_changed(&self, at: k8s_openapi::jiff::Timestamp, pod: &Pod) -> String {
        log4j(
            at,
            WATCHER,
            &format!("State changed, new state: {}", pod_state(pod)),
        )
    }

    /// Once the watch runs (`waitAppCompletion=true`).
    pub fn waiting(&self, at: k8s_openapi::jiff::Timestamp) -> String {
        log4j(
            at,
            WATCHER,
            &format!(
                "Waiting for application {} with application ID {} and submission ID {} to finish...",
                self.app_name, self.app_id, self.id
            ),
        )
    }

    /// Instead of a watch (`waitAppCompletion=false`).
    pub fn deployed(&self, at: k8s_openapi::jiff::Timestamp) -> String {
        log4j(
            at,
            WATCHER,
            &format!(
                "Deployed Spark application {} with application ID {} and submission ID {} into Kubernetes",
                self.app_name, self.app_id, self.id
            ),
        )
    }

    /// The driver ended: its containers' last states, then the end of the application.
    pub fn finished(&self, at: k8s_openapi::jiff::Timestamp, pod: &Pod) -> [String; 2] {
        let blocks: Vec<String> = pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .map(|c| container_state(c, 1))
            .collect();
        let statuses = if blocks.is_empty() {
            "No containers were found in the driver pod.".to_string()
        } else {
            format!("Container final statuses:\n\n{}", blocks.join("\n\n"))
        };
        [
            log4j(at, WATCHER, &statuses),
            log4j(
                at,
                WATCHER,
                &format!(
                    "Application {} with application ID {} and submission ID {} finished",
                    self.app_name, self.app_id, self.id
                ),
            ),
        ]
    }
}

/// One ` key: value` line at a depth of tabs, `N/A` for nothing.
fn line(depth: usize, key: &str, value: Option<String>) -> String {
    let v = value
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "N/A".into());
    format!("\n{} {key}: {v}", "\t".repeat(depth))
}

/// Spark's `formatPodState`: the pod's identity, placement, phase and container states.
pub fn pod_state(p: &Pod) -> String {
    let meta = &p.metadata;
    let spec = p.spec.as_ref();
    let status = p.status.as_ref();
    let labels = meta.labels.as_ref().map(|l| {
        l.iter()
            .map(|(k, v)| format!("{k} -> {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let volumes = spec.and_then(|s| s.volumes.as_ref()).map(|vs| {
        vs.iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let mut s = String::new();
    s += &line(1, "pod name", meta.name.clone());
    s += &line(1, "namespace", meta.namespace.clone());
    s += &line(1, "labels", labels);
    s += &line(1, "pod uid", meta.uid.clone());
    s += &line(
        1,
        "creation time",
        meta.creation_timestamp.as_ref().map(|t| t.0.to_string()),
    );
    s += &line(
        1,
        "service account name",
        spec.and_then(|s| s.service_account_name.clone()),
    );
    s += &line(1, "volumes", volumes);
    s += &line(1, "node name", spec.and_then(|s| s.node_name.clone()));
    s += &line(
        1,
        "start time",
        status
            .and_then(|s| s.start_time.as_ref())
            .map(|t| t.0.to_string()),
    );
    s += &line(1, "phase", status.and_then(|s| s.phase.clone()));
    let containers: String = status
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| cs.iter().map(|c| container_state(c, 2)).collect())
        .unwrap_or_default();
    s += &line(1, "container status", Some(containers));
    s
}

fn container_state(c: &ContainerStatus, depth: usize) -> String {
    let mut s = line(depth, "container name", Some(c.name.clone()));
    s += &line(depth, "container image", Some(c.image.clone()));
    let state = c.state.as_ref();
    if let Some(r) = state.and_then(|s| s.running.as_ref()) {
        s += &line(depth, "container state", Some("running".into()));
        s += &line(
            depth,
            "container started at",
            r.started_at.as_ref().map(|t| t.0.to_string()),
        );
    } else if let Some(w) = state.and_then(|s| s.waiting.as_ref()) {
        s += &line(depth, "container state", Some("waiting".into()));
        s += &line(depth, "pending reason", w.reason.clone());
    } else if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
        s += &line(depth, "container state", Some("terminated".into()));
        s += &line(
            depth,
            "container started at",
            t.started_at.as_ref().map(|t| t.0.to_string()),
        );
        s += &line(
            depth,
            "container finished at",
            t.finished_at.as_ref().map(|t| t.0.to_string()),
        );
        s += &line(depth, "exit code", Some(t.exit_code.to_string()));
        s += &line(depth, "termination reason", t.reason.clone());
    } else {
        s += &line(depth, "container state", None);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_state_in_sparks_shape() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "pi-driver", "namespace": "ns", "labels": {"spark-role": "driver"}},
            "spec": {"containers": [], "nodeName": "n1"},
            "status": {"phase": "Running", "containerStatuses": [{"name": "spark-kubernetes-driver", "image": "img", "imageID": "", "ready": true, "restartCount": 0,
                "state": {"terminated": {"exitCode": 3, "reason": "Error"}}}]}
        }))
        .unwrap();
        let s = pod_state(&pod);
        assert!(s.starts_with("\n\t pod name: pi-driver\n\t namespace: ns\n\t labels: spark-role -> driver\n\t pod uid: N/A"), "{s}");
        assert!(s.contains("\n\t phase: Running\n\t container status: \n\t\t container name: spark-kubernetes-driver"), "{s}");
        assert!(
            s.contains("\n\t\t exit code: 3\n\t\t termination reason: Error"),
            "{s}"
        );
    }

    #[test]
    fn a_direct_submission_prints_what_spark_submit_prints() {
        let pod: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "etl-1-driver", "namespace": "ns", "labels": {"spark-app-selector": "spark-0123", "spark-role": "driver"}},
            "spec": {"containers": []},
            "status": {"phase": "Succeeded", "containerStatuses": [{"name": "spark-kubernetes-driver", "image": "img", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
        }))
        .unwrap();
        let at: k8s_openapi::jiff::Timestamp = "2026-12-07T23:40:01Z".parse().unwrap();
        let s = Submission {
            app_name: "etl".into(),
            app_id: "spark-0123".into(),
            id: "ns:etl-1-driver".into(),
        };
        let changed = s.state_changed(at, &pod);
        assert!(changed.starts_with("26/12/07 23:40:01 INFO LoggingPodStatusWatcherImpl: State changed, new state: \n\t pod name: etl-1-driver\n"), "{changed}");
        // What Airflow's hook reads: the driver, the app id (a label followed by another), the exit code.
        let hook_lines: Vec<&str> = changed.lines().map(str::trim).collect();
        assert!(hook_lines.contains(&"pod name: etl-1-driver"));
        assert!(
            hook_lines.contains(&"labels: spark-app-selector -> spark-0123, spark-role -> driver")
        );
        assert_eq!(
            s.waiting(at),
            "26/12/07 23:40:01 INFO LoggingPodStatusWatcherImpl: Waiting for application etl with application ID spark-0123 and submission ID ns:etl-1-driver to finish..."
        );
        assert!(s.deployed(at).ends_with("Deployed Spark application etl with application ID spark-0123 and submission ID ns:etl-1-driver into Kubernetes"));
        let [statuses, end] = s.finished(at, &pod);
        assert!(statuses.ends_with("Container final statuses:\n\n\n\t container name: spark-kubernetes-driver\n\t container image: img\n\t container state: terminated\n\t container started at: N/A\n\t container finished at: N/A\n\t exit code: 0\n\t termination reason: Completed"), "{statuses}");
        assert!(end.ends_with("Application etl with application ID spark-0123 and submission ID ns:etl-1-driver finished"));
    }
}
