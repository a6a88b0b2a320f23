//! jobs: the commands over the cluster's jobs, above the stages: `list`, `logs`, and
//! `--kill` and `--status` with a Spark submission id (`[namespace:]pod-name`, a trailing `*`
//! matching driver pods by prefix), worded as Spark's K8sSubmitOps words them.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams};

use crate::cluster::{Target, message_of};
use crate::outcome::JobError;
use crate::plan::{APP_NAME_LABEL, JOB_ID_LABEL, QUEUE_LABEL};
use crate::report::table::of_rows;

/// `namespace:name` → (namespace, name); the namespace is optional.
pub fn split_submission_id(id: &str) -> (Option<&str>, &str) {
    match id.split_once(':') {
        Some((ns, name)) if !ns.is_empty() => (Some(ns), name),
        Some((_, name)) => (None, name),
        None => (None, id),
    }
}

/// The driver pods an id names: one pod, or with a trailing `*` every `spark-role=driver` pod
/// whose name starts with the rest.
async fn matching(pods: &Api<Pod>, name: &str) -> Result<Vec<Pod>, JobError> {
    let cannot =
        |e: kube::Error| JobError::submission(format!("Cannot read pods: {}", message_of(&e)));
    match name.strip_suffix('*') {
        Some(prefix) => {
            let list = pods
                .list(&ListParams::default().labels("spark-role=driver"))
                .await
                .map_err(cannot)?;
            Ok(list
                .items
                .into_iter()
                .filter(|p| {
                    p.metadata
                        .name
                        .as_deref()
                        .is_some_and(|n| n.starts_with(prefix))
                })
                .collect())
        }
        None => match pods.get_opt(name).await.map_err(cannot)? {
            Some(p) => Ok(vec![p]),
            // Not a pod: a job id names its driver, else (no driver yet, or client mode, where
            // the driver runs in it) its submit pod.
            None => {
                let all = pods
                    .list(&ListParams::default().labels(&format!("{JOB_ID_LABEL}={name}")))
                    .await
                    .map_err(cannot)?
                    .items;
                let role = |p: &Pod| {
                    p.metadata
                        .labels
                        .as_ref()
                        .and_then(|l| l.get("spark-role"))
                        .cloned()
                };
                let drivers: Vec<Pod> = all
                    .iter()
                    .filter(|p| role(p).as_deref() == Some("driver"))
                    .cloned()
                    .collect();
                Ok(if drivers.is_empty() {
                    all.into_iter().filter(|p| role(p).is_none()).collect()
                } else {
                    drivers
                })
            }
        },
    }
}

/// The line spark-submit prints first for `--kill` (a period after "not set" only).
pub fn kill_header(id: &str, master: &str, grace: Option<u32>) -> String {
    format!(
        "Submitting a request to kill submission {id} in {master}. Grace period in secs: {}\n",
        grace.map_or("not set.".to_string(), |g| g.to_string())
    )
}

/// The line spark-submit prints first for `--status`.
pub fn status_header(id: &str, master: &str) -> String {
    format!("Submitting a request for the status of submission {id} in {master}.\n")
}

/// Whether `id` names a pod or job on `target` (how a fleet finds the job's cluster).
pub async fn knows(target: &Target, id: &str) -> bool {
    let (_, name) = split_submission_id(id);
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    matching(&pods, name).await.is_ok_and(|f| !f.is_empty())
}

/// Deletes the driver pod(s) an id names, and every object of their jobs (pods, Secrets,
/// queue ticket); returns what to print: Spark's lines, then one line per object deleted.
pub async fn kill(
    target: &Target,
    id: &str,
    master: &str,
    grace: Option<u32>,
) -> Result<String, JobError> {
    let (_, name) = split_submission_id(id);
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut out = kill_header(id, master, grace);
    let dp = DeleteParams {
        grace_period_seconds: grace,
        ..DeleteParams::default()
    };
    let found = matching(&pods, name).await?;
    if found.is_empty() {
        // A job may have left only a Secret or a ticket behind.
        let deleted = delete_job_objects(target, name, &dp).await?;
        if deleted.is_empty() {
            out.push_str(if name.ends_with('*') {
                "No applications found.\n"
            } else {
                "Application not found.\n"
            });
        }
        for d in deleted {
            out.push_str(&format!("spark-k8s-cli: deleted {d}\n"));
        }
        return Ok(out);
    }
    let jobs: std::collections::BTreeSet<String> = found
        .iter()
        .filter_map(|p| p.metadata.labels.as_ref()?.get(JOB_ID_LABEL).cloned())
        .collect();
    // A job's Secrets belong to its submit pod, so deleting the pod may take them with it
    // before we get to them (the garbage collector): name them now, gone either way.
    let mut deleted = std::collections::BTreeSet::new();
    for job in &jobs {
        deleted.extend(job_secrets(target, job).await?);
    }
    for p in found {
        let n = p.metadata.name.unwrap_or_default();
        if name.ends_with('*') {
            out.push_str(&format!("Deleting driver pod: {n}.\n"));
        }
        match pods.delete(&n, &dp).await {
            Ok(_) => {}
            Err(kube::Error::Api(e)) if e.code == 404 => {}
            Err(e) => {
                return Err(JobError::submission(format!(
                    "Cannot delete pod {n}: {}",
                    message_of(&e)
                )));
            }
        }
        if !name.ends_with('*') {
            deleted.insert(format!("pod {n}"));
        }
    }
    // The job's other objects go too: its submit pod, executors, Secrets and ticket.
    for job in jobs {
        deleted.extend(delete_job_objects(target, &job, &dp).await?);
    }
    for d in deleted {
        out.push_str(&format!("spark-k8s-cli: deleted {d}\n"));
    }
    Ok(out)
}

/// The job's Secrets, as `secret NAME`.
async fn job_secrets(target: &Target, job: &str) -> Result<Vec<String>, JobError> {
    if job.is_empty() || job.ends_with('*') {
        return Ok(Vec::new());
    }
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(target.client.clone(), &target.namespace);
    let list = secrets
        .list(&ListParams::default().labels(&format!("{JOB_ID_LABEL}={job}")))
        .await
        .map_err(|e| {
            JobError::submission(format!(
                "Cannot read the Secrets of job {job}: {}",
                message_of(&e)
            ))
        })?;
    Ok(names_of("secret", Some(list)))
}

/// `WORD NAME` for each object a collection delete removed (none when it answered a Status).
fn names_of<K: kube::Resource + Clone>(
    word: &str,
    gone: Option<kube::core::ObjectList<K>>,
) -> Vec<String> {
    gone.map(|list| list.items)
        .unwrap_or_default()
        .iter()
        .map(|o| format!("{word} {}", o.meta().name.clone().unwrap_or_default()))
        .collect()
}

/// Deletes every object of job `job` (its pods, Secrets and queue ticket, whatever their
/// phase); returns them as `pod NAME`, `secret NAME`, `ticket NAME`.
async fn delete_job_objects(
    target: &Target,
    job: &str,
    dp: &DeleteParams,
) -> Result<Vec<String>, JobError> {
    let mut deleted = Vec::new();
    if job.is_empty() || job.ends_with('*') {
        return Ok(deleted);
    }
    let failed = |what: &str, e: kube::Error| {
        JobError::submission(format!(
            "Cannot delete the {what} of job {job}: {}",
            message_of(&e)
        ))
    };
    let selector = ListParams::default().labels(&format!("{JOB_ID_LABEL}={job}"));
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let gone = pods.delete_collection(dp, &selector).await;
    deleted.extend(names_of("pod", gone.map_err(|e| failed("pods", e))?.left()));
    let secrets: Api<k8s_openapi::api::core::v1::Secret> =
        Api::namespaced(target.client.clone(), &target.namespace);
    let gone = secrets
        .delete_collection(&DeleteParams::default(), &selector)
        .await;
    deleted.extend(names_of(
        "secret",
        gone.map_err(|e| failed("Secrets", e))?.left(),
    ));
    let leases: Api<k8s_openapi::api::coordination::v1::Lease> =
        Api::namespaced(target.client.clone(), &target.namespace);
    let ticket = crate::queue::ticket_name(job);
    match leases.delete(&ticket, &DeleteParams::default()).await {
        Ok(_) => deleted.push(format!("ticket {ticket}")),
        Err(kube::Error::Api(e)) if e.code == 404 => {}
        Err(e) => return Err(failed("ticket", e)),
    }
    deleted.sort();
    Ok(deleted)
}

/// One job as `list` shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct JobRow {
    /// The fleet cluster it runs on (empty outside a fleet).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    pub namespace: String,
    pub job_id: String,
    pub app: String,
    pub queue: String,
    pub driver: String,
    /// The driver's phase, or `Submitting` before a driver exists.
    pub phase: String,
    /// Whether a launcher follows the job (`alive`), none does while it runs (`gone`: killed,
    /// or it returned without waiting for completion), or the job is over (`-`).
    pub launcher: String,
    pub created: String,
    /// A finished job's use of its pods (core-seconds, GiB-seconds) and, with `prices`, its
    /// estimated cost: as its launcher kept it on the driver, else from the pods still there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::follow::cost::JobCost>,
}

/// The jobs among `pods` (every pod with a job-id label), oldest first; `followed` are the
/// jobs whose launcher holds a live ticket.
pub fn job_rows(pods: &[Pod], followed: &std::collections::BTreeSet<String>) -> Vec<JobRow> {
    let mut rows: std::collections::BTreeMap<String, JobRow> = std::collections::BTreeMap::new();
    for p in pods {
        let Some(labels) = p.metadata.labels.as_ref() else {
            continue;
        };
        let Some(job) = labels.get(JOB_ID_LABEL) else {
            continue;
        };
        let role = labels.get("spark-role").map(String::as_str);
        if role == Some("executor") {
            continue;
        }
        let created = p
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
            .unwrap_or_default();
        let row = rows.entry(job.clone()).or_insert_with(|| JobRow {
            cluster: String::new(),
            namespace: p.metadata.namespace.clone().unwrap_or_default(),
            job_id: job.clone(),
            app: String::new(),
            queue: String::new(),
            driver: String::new(),
            phase: "Submitting".into(),
            launcher: String::new(),
            created: created.clone(),
            cost: None,
        });
        if row.app.is_empty() {
            row.app = labels
                .get(APP_NAME_LABEL)
                .or(labels.get("spark-app-name"))
                .cloned()
                .unwrap_or_default();
        }
        if row.queue.is_empty() {
            row.queue = labels.get(QUEUE_LABEL).cloned().unwrap_or_default();
        }
        if created < row.created {
            row.created = created;
        }
        if role == Some("driver") {
            row.driver = p.metadata.name.clone().unwrap_or_default();
            row.phase = p
                .status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_else(|| "Pending".into());
        }
    }
    let mut v: Vec<JobRow> = rows.into_values().collect();
    for r in &mut v {
        r.launcher = if matches!(r.phase.as_str(), "Succeeded" | "Failed") {
            "-"
        } else if followed.contains(&r.job_id) {
            "alive"
        } else {
            "gone"
        }
        .into();
    }
    v.sort_by(|a, b| (&a.created, &a.job_id).cmp(&(&b.created, &b.job_id)));
    v
}

/// What each job among `pods` used, by job id, until `now`: the cost its launcher kept on the
/// driver pod (the executors were there to count then), else what the pods still there say.
pub fn job_costs(
    pods: &[Pod],
    now: k8s_openapi::jiff::Timestamp,
) -> std::collections::BTreeMap<String, crate::follow::cost::JobCost> {
    use crate::follow::cost::{COST_ANNOTATION, JobCost, Ledger, Role, role_of};
    let mut ledgers: std::collections::BTreeMap<String, (Ledger, Option<JobCost>)> =
        Default::default();
    for p in pods {
        let Some(job) = p.metadata.labels.as_ref().and_then(|l| l.get(JOB_ID_LABEL)) else {
            continue;
        };
        let (ledger, kept) = ledgers.entry(job.clone()).or_default();
        ledger.seen(p);
        if role_of(p) == Some(Role::Driver) {
            let annotation = p.metadata.annotations.as_ref();
            if let Some(c) = annotation.and_then(|a| a.get(COST_ANNOTATION)) {
                *kept = serde_json::from_str(c).ok();
            }
        }
    }
    ledgers
        .into_iter()
        .map(|(job, (ledger, kept))| (job, kept.unwrap_or_else(|| ledger.cost(now))))
        .collect()
}

fn list_failed(e: kube::Error) -> JobError {
    JobError::submission(format!("Cannot list pods: {}", message_of(&e)))
}

/// `list`: the jobs of every launcher in the namespace, optionally of one queue.
pub async fn list(target: &Target, queue: Option<&str>) -> Result<Vec<JobRow>, JobError> {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let selector = match queue {
        Some(q) => format!("{JOB_ID_LABEL},{QUEUE_LABEL}={q}"),
        None => JOB_ID_LABEL.to_string(),
    };
    let items = pods
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(list_failed)?
        .items;
    let leases: Api<k8s_openapi::api::coordination::v1::Lease> =
        Api::namespaced(target.client.clone(), &target.namespace);
    let tickets = leases
        .list(&ListParams::default().labels(&format!("{}=true", crate::queue::TICKET_LABEL)))
        .await
        .map_err(|e| {
            JobError::submission(format!("Cannot list the queue tickets: {}", message_of(&e)))
        })?
        .items;
    let mut rows = job_rows(&items, &crate::queue::with_live_launcher(&tickets));
    let mut costs = job_costs(&items, k8s_openapi::jiff::Timestamp::now());
    for r in rows.iter_mut().filter(|r| r.launcher == "-") {
        r.cost = costs.remove(&r.job_id);
    }
    Ok(rows)
}

/// The table `list` prints.
pub fn table(rows: &[JobRow]) -> String {
    of_rows(rows, JOB_COLUMNS)
}

/// The table `list -o wide` prints: the namespace too.
pub fn wide_table(rows: &[JobRow]) -> String {
    crate::report::table::wide(rows, JOB_COLUMNS)
}

const JOB_COLUMNS: &[&str] = &[
    "cluster", "job_id", "app", "queue", "driver", "phase", "launcher", "created",
];

/// The pods of the target's namespace that `selector` matches, and the API that found them.
async fn pods_labelled(target: &Target, selector: &str) -> Result<(Api<Pod>, Vec<Pod>), JobError> {
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let found = pods
        .list(&ListParams::default().labels(selector))
        .await
        .map_err(list_failed)?
        .items;
    Ok((pods, found))
}

/// `logs JOB`: the driver's log, else the submit pod's; `follow` streams until it ends.
pub async fn logs(target: &Target, job: &str, follow: bool) -> Result<(), JobError> {
    let (pods, all) = pods_labelled(target, &format!("{JOB_ID_LABEL}={job}")).await?;
    let role = |p: &Pod, r: &str| {
        p.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("spark-role"))
            .map(String::as_str)
            == Some(r)
    };
    let Some(pod) = all
        .iter()
        .find(|p| role(p, "driver"))
        .or_else(|| all.iter().find(|p| !role(p, "executor")))
    else {
        return Err(JobError::submission(format!(
            "No pod of job {job} in namespace {}. `spark-k8s-cli list` shows the jobs there.",
            target.namespace
        )));
    };
    let name = pod.metadata.name.clone().unwrap_or_default();
    let lp = kube::api::LogParams {
        follow,
        ..Default::default()
    };
    let reader = pods.log_stream(&name, &lp).await.map_err(|e| {
        JobError::submission(format!("Cannot read the log of {name}: {}", message_of(&e)))
    })?;
    let mut lines = futures::AsyncBufReadExt::lines(reader);
    while let Some(Ok(line)) = futures::StreamExt::next(&mut lines).await {
        println!("{line}");
    }
    Ok(())
}

/// The status of the driver pod(s) an id names, as Spark's pod-state block.
pub async fn status(target: &Target, id: &str, master: &str) -> Result<String, JobError> {
    let (_, name) = split_submission_id(id);
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    let mut out = status_header(id, master);
    let found = matching(&pods, name).await?;
    if found.is_empty() {
        out.push_str("Application not found.\n");
    }
    for p in &found {
        out.push_str("Application status (driver): ");
        out.push_str(&crate::follow::spark_lines::pod_state(p));
        out.push('\n');
    }
    Ok(out)
}

/// One driver pod as `status -o json|yaml|wide` shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StatusRow {
    /// `namespace:pod`, as `--status` and `--kill` take it.
    pub submission_id: String,
    pub job_id: String,
    pub pod: String,
    pub namespace: String,
    pub phase: String,
    pub node: Option<String>,
    pub created: Option<String>,
    pub started: Option<String>,
    /// The first container's state: `waiting`, `running` or `terminated`.
    pub state: Option<String>,
    pub exit_code: Option<i32>,
    /// Why it waits or ended (`ImagePullBackOff`, `Completed`, `OOMKilled`).
    pub reason: Option<String>,
}

/// The row of pod `p`.
pub fn status_row(p: &Pod) -> StatusRow {
    let meta = &p.metadata;
    let status = p.status.as_ref();
    let container = status
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first())
        .and_then(|c| c.state.as_ref());
    let (state, exit_code, reason) = match container {
        Some(c) if c.terminated.is_some() => {
            let t = c.terminated.as_ref();
            (
                Some("terminated"),
                t.map(|t| t.exit_code),
                t.and_then(|t| t.reason.clone()),
            )
        }
        Some(c) if c.running.is_some() => (Some("running"), None, None),
        Some(c) => (
            Some("waiting"),
            None,
            c.waiting.as_ref().and_then(|w| w.reason.clone()),
        ),
        None => (None, None, None),
    };
    let name = meta.name.clone().unwrap_or_default();
    let namespace = meta.namespace.clone().unwrap_or_default();
    StatusRow {
        submission_id: format!("{namespace}:{name}"),
        job_id: meta
            .labels
            .as_ref()
            .and_then(|l| l.get(JOB_ID_LABEL))
            .cloned()
            .unwrap_or_default(),
        pod: name,
        namespace,
        phase: status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into()),
        node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
        created: meta.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        started: status
            .and_then(|s| s.start_time.as_ref())
            .map(|t| t.0.to_string()),
        state: state.map(str::to_string),
        exit_code,
        reason,
    }
}

/// The driver pod(s) an id names, as rows (none when it names nothing).
pub async fn status_rows(target: &Target, id: &str) -> Result<Vec<StatusRow>, JobError> {
    let (_, name) = split_submission_id(id);
    let pods: Api<Pod> = Api::namespaced(target.client.clone(), &target.namespace);
    Ok(matching(&pods, name)
        .await?
        .iter()
        .map(status_row)
        .collect())
}

/// The table `status -o wide` prints: every field.
pub fn status_table(rows: &[StatusRow]) -> String {
    of_rows(
        rows,
        &[
            "submission_id",
            "job_id",
            "phase",
            "node",
            "created",
            "started",
            "state",
            "exit_code",
            "reason",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_grouped_from_their_pods() {
        let pod = |name: &str, role: Option<&str>, phase: &str| -> Pod {
            let mut labels = serde_json::json!({"spark-k8s-cli/job-id": "j1", "spark-k8s-cli/app-name": "pi", "spark-k8s-cli/queue": "etl"});
            if let Some(r) = role {
                labels["spark-role"] = serde_json::json!(r);
            }
            serde_json::from_value(serde_json::json!({"metadata": {"name": name, "labels": labels, "creationTimestamp": "2026-11-27T05:00:00Z"},
                "status": {"phase": phase}})).unwrap()
        };
        let followed = std::collections::BTreeSet::from(["j1".to_string()]);
        let rows = job_rows(
            &[
                pod("j1-submit", None, "Running"),
                pod("j1-driver", Some("driver"), "Running"),
                pod("pi-exec-1", Some("executor"), "Running"),
            ],
            &followed,
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (
                rows[0].driver.as_str(),
                rows[0].phase.as_str(),
                rows[0].queue.as_str()
            ),
            ("j1-driver", "Running", "etl")
        );
        let t = table(&rows);
        assert!(t.starts_with("JOB ID  APP  QUEUE  DRIVER     PHASE    LAUNCHER  CREATED\nj1      pi   etl    j1-driver  Running  alive     2026-11-27T05:00:00Z\n"), "{t}");
        let pending = job_rows(&[pod("j1-submit", None, "Pending")], &followed);
        assert_eq!(pending[0].phase, "Submitting");
        // Without a live ticket a job still running has no launcher; an ended one needs none.
        let none = std::collections::BTreeSet::new();
        let orphan = job_rows(&[pod("j1-driver", Some("driver"), "Running")], &none);
        assert_eq!(orphan[0].launcher, "gone");
        let ended = job_rows(&[pod("j1-driver", Some("driver"), "Succeeded")], &none);
        assert_eq!(ended[0].launcher, "-");
    }

    #[test]
    fn a_finished_jobs_cost_is_the_kept_one_else_its_pods_still_there() {
        let pod = |name: &str, job: &str, role: &str, annotation: Option<&str>| -> Pod {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": name, "labels": {"spark-k8s-cli/job-id": job, "spark-role": role},
                    "annotations": annotation.map(|a| serde_json::json!({"spark-k8s-cli/cost": a}))},
                "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "2", "memory": "1Gi"}}}]},
                "status": {"phase": "Succeeded", "startTime": "2026-11-27T05:00:00Z",
                    "containerStatuses": [{"name": "c", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "finishedAt": "2026-11-27T05:00:10Z"}}}]}
            }))
            .unwrap()
        };
        let kept = r#"{"driver":{"core_seconds":20.0,"gib_seconds":10.0},"executors":{"core_seconds":40.0,"gib_seconds":20.0,"pods":2},"total":{"core_seconds":60.0,"gib_seconds":30.0}}"#;
        let now = "2026-11-27T06:00:00Z".parse().unwrap();
        let costs = job_costs(
            &[
                pod("a-driver", "a", "driver", Some(kept)),
                pod("b-driver", "b", "driver", None),
                pod("b-exec-1", "b", "executor", None),
            ],
            now,
        );
        // a: as its launcher kept it (its executors are gone); b: its pods, 10 s each.
        assert_eq!(costs["a"].executors.pods, 2);
        assert_eq!(costs["a"].total.core_seconds, 60.0);
        assert_eq!(costs["b"].driver.core_seconds, 20.0);
        assert_eq!(costs["b"].executors.usage.gib_seconds, 10.0);
        assert_eq!(costs["b"].total.core_seconds, 40.0);
    }

    #[test]
    fn submission_ids() {
        assert_eq!(
            split_submission_id("spark:pi-1-driver"),
            (Some("spark"), "pi-1-driver")
        );
        assert_eq!(split_submission_id("pi-*"), (None, "pi-*"));
        assert_eq!(split_submission_id(":pi"), (None, "pi"));
    }
}

/// The label value of a session's pod (`app.kubernetes.io/component`).
const SESSION_COMPONENT: &str = "app.kubernetes.io/component=session";

/// One interactive session, as `sessions` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionRow {
    /// The fleet cluster it runs on (empty outside a fleet).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cluster: String,
    pub namespace: String,
    /// The job id, which `attach` takes.
    pub session: String,
    /// `spark-shell`, `pyspark` or `spark-sql` (the app name).
    pub shell: String,
    /// Who started it (the `spark-k8s-cli/submitted-by` annotation).
    pub user: String,
    pub pod: String,
    pub phase: String,
    /// When its pod was created (RFC 3339).
    pub since: String,
    /// Seconds since the last input or output an attached launcher saw, `-` when none did.
    pub idle: String,
}

/// The annotation an attached launcher keeps the session's last activity in (RFC 3339).
pub use crate::session::LAST_ACTIVE_ANNOTATION;

/// The sessions among `pods`, oldest first, their idle time counted at `now`.
pub fn session_rows(pods: &[Pod], now: k8s_openapi::jiff::Timestamp) -> Vec<SessionRow> {
    let mut rows: Vec<SessionRow> = pods
        .iter()
        .map(|p| {
            let labels = p.metadata.labels.clone().unwrap_or_default();
            let annotations = p.metadata.annotations.clone().unwrap_or_default();
            let idle = annotations
                .get(LAST_ACTIVE_ANNOTATION)
                .and_then(|t| t.parse::<k8s_openapi::jiff::Timestamp>().ok())
                .map(|t| now.duration_since(t).as_secs().max(0).to_string())
                .unwrap_or_else(|| "-".into());
            SessionRow {
                cluster: String::new(),
                namespace: p.metadata.namespace.clone().unwrap_or_default(),
                session: labels.get(JOB_ID_LABEL).cloned().unwrap_or_default(),
                shell: labels.get(APP_NAME_LABEL).cloned().unwrap_or_default(),
                user: annotations
                    .get("spark-k8s-cli/submitted-by")
                    .cloned()
                    .unwrap_or_default(),
                pod: p.metadata.name.clone().unwrap_or_default(),
                phase: p
                    .status
                    .as_ref()
                    .and_then(|s| s.phase.clone())
                    .unwrap_or_else(|| "Pending".into()),
                since: p
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .map(|t| t.0.to_string())
                    .unwrap_or_default(),
                idle,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.since, &a.session).cmp(&(&b.since, &b.session)));
    rows
}

/// `sessions`: the interactive sessions in the namespace.
pub async fn sessions(target: &Target, _queue: Option<&str>) -> Result<Vec<SessionRow>, JobError> {
    let (_, items) = pods_labelled(target, &format!("{JOB_ID_LABEL},{SESSION_COMPONENT}")).await?;
    Ok(session_rows(&items, k8s_openapi::jiff::Timestamp::now()))
}

/// The table `sessions` prints.
pub fn session_table(rows: &[SessionRow]) -> String {
    of_rows(rows, SESSION_COLUMNS)
}

/// The table `sessions -o wide` prints: the namespace too.
pub fn session_wide_table(rows: &[SessionRow]) -> String {
    crate::report::table::wide(rows, SESSION_COLUMNS)
}

const SESSION_COLUMNS: &[&str] = &[
    "cluster", "session", "shell", "user", "pod", "phase", "since", "idle",
];

/// `attach SESSION`: joins a running session's pod again, until the session ends; the
/// shell's exit code. The session is kept as the launcher that started it was told (the
/// pod's settings annotation): the pod (and its Service) are deleted once the shell has
/// ended unless `sessionKeepPod`, and `sessionIdleTimeout` ends it.
pub async fn attach(target: &Target, session: &str) -> Result<u8, JobError> {
    let selector = format!("{JOB_ID_LABEL}={session},{SESSION_COMPONENT}");
    let (pods, found) = pods_labelled(target, &selector).await?;
    let Some(pod) = found
        .into_iter()
        .find(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
    else {
        return Err(JobError::usage(format!(
            "No running session {session} in namespace {}. `spark-k8s-cli sessions` lists them.",
            target.namespace
        )));
    };
    let name = pod.metadata.name.clone().unwrap_or_default();
    let keep = &crate::session::Keep::from_pod(&pod);
    crate::report::say(&format!(
        "spark-k8s-cli: attaching to session {session} (pod {name})"
    ));
    let local = crate::session::Local::global();
    let mut local = local.lock().await;
    let note = |text: &str| {
        crate::report::write_line(&mut std::io::stderr().lock(), "");
        crate::report::say(&format!("spark-k8s-cli: {text}"));
    };
    let how = crate::session::attach(
        &pods,
        &name,
        crate::plan::SUBMIT_CONTAINER,
        keep,
        &mut local,
        &note,
    )
    .await;
    drop(local);
    use crate::session::Ended;
    match how {
        Ended::Closed => {}
        Ended::Lost(text) => return Err(JobError::ClusterLost(text)),
        Ended::Idle(after) => {
            let _ = pods
                .delete(&name, &DeleteParams::default().grace_period(0))
                .await;
            return Err(JobError::RunTimeout(format!(
                "Session {session} was idle for {} s (spark.k8scli.sessionIdleTimeout) and was ended.",
                after.as_secs()
            )));
        }
    }
    // The container's own exit code, once the kubelet reports it.
    let code = crate::session::exit_code(&pods, &name).await;
    if !keep.keep_pod {
        let _ = pods
            .delete(&name, &DeleteParams::default().grace_period(0))
            .await;
    }
    crate::report::say(&format!(
        "spark-k8s-cli: session {session} ended: Exit code: {}",
        code.map_or("unknown".to_string(), |c| c.to_string())
    ));
    Ok(code.map_or(crate::outcome::code::DRIVER_LOST, |c| {
        u8::try_from(c).unwrap_or(1)
    }))
}
