//! What a job's pods used (pure): each pod's requests (cores, memory bytes: what the scheduler
//! reserved for it) times how long it held them (from the kubelet's `status.startTime`, else
//! its containers' `startedAt`, to their last `finishedAt`), summed as core-seconds and
//! GiB-seconds for the driver, the executors and, in cluster mode, the submit pod.
//!
//! The [`Ledger`] keeps what the job's pods' watch showed, so that executors Spark deletes at
//! the end are counted from their last status; `list` fills one from the pods still there.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use k8s_openapi::jiff::Timestamp;

use super::state::Event;
use crate::resolve::prices::Price;

/// The annotation of the driver pod that keeps the job's cost once its launcher ended it
/// (JSON of [`JobCost`] without the estimate): `list` reads it after the executors are gone.
pub const COST_ANNOTATION: &str = "spark-k8s-cli/cost";

const GIB: f64 = (1u64 << 30) as f64;

/// What a pod is to its job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The submit pod in cluster mode (in client mode it is the driver).
    Submit,
    Driver,
    Executor,
}

/// The role of a pod of the job by its labels: Spark's `spark-role` (which the launcher gives
/// the submit pod in client mode), else the launcher's component (an interactive session's pod
/// is its driver); `None` for other pods.
pub fn role_of(p: &Pod) -> Option<Role> {
    let labels = p.metadata.labels.as_ref()?;
    match labels.get("spark-role").map(String::as_str) {
        Some("driver") => Some(Role::Driver),
        Some("executor") => Some(Role::Executor),
        _ => match labels.get(crate::plan::COMPONENT_LABEL).map(String::as_str) {
            Some("submit") => Some(Role::Submit),
            Some(crate::plan::session::COMPONENT) => Some(Role::Driver),
            _ => None,
        },
    }
}

/// What a pod requests: cores and memory bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Requests {
    pub cores: f64,
    pub bytes: f64,
}

/// The pod's requests as the scheduler counts them: each container's request (its limit when
/// it sets none, as the API server defaults it), summed; an init container asking for more
/// than that raises it (they run one at a time before the others); plus the pod's `overhead`.
pub fn requests(p: &Pod) -> Requests {
    let Some(spec) = &p.spec else {
        return Requests::default();
    };
    let one = |c: &k8s_openapi::api::core::v1::Container, res: &str| -> f64 {
        let r = c.resources.as_ref();
        let q = r
            .and_then(|r| r.requests.as_ref()?.get(res))
            .or_else(|| r.and_then(|r| r.limits.as_ref()?.get(res)));
        q.and_then(|q| crate::quantity::milli(&q.0))
            .map_or(0.0, |m| m as f64 / 1000.0)
    };
    let of = |res: &str| {
        let sum: f64 = spec.containers.iter().map(|c| one(c, res)).sum();
        let init = spec
            .init_containers
            .iter()
            .flatten()
            .map(|c| one(c, res))
            .fold(0.0, f64::max);
        let overhead = spec
            .overhead
            .as_ref()
            .and_then(|o| o.get(res))
            .and_then(|q| crate::quantity::milli(&q.0))
            .map_or(0.0, |m| m as f64 / 1000.0);
        sum.max(init) + overhead
    };
    Requests {
        cores: of("cpu"),
        bytes: of("memory"),
    }
}

fn statuses(p: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
}

/// When the pod began to hold its requests: `status.startTime` (the kubelet took the pod),
/// else its first container's start.
pub fn started(p: &Pod) -> Option<Timestamp> {
    if let Some(t) = p.status.as_ref().and_then(|s| s.start_time.as_ref()) {
        return Some(t.0);
    }
    statuses(p)
        .filter_map(|c| {
            let s = c.state.as_ref()?;
            s.running
                .as_ref()
                .and_then(|r| r.started_at.as_ref())
                .or_else(|| s.terminated.as_ref()?.started_at.as_ref())
                .map(|t| t.0)
        })
        .min()
}

/// When the pod's last container ended, once every container has; `None` while one runs
/// (or before the kubelet reports).
pub fn finished(p: &Pod) -> Option<Timestamp> {
    let mut last: Option<Timestamp> = None;
    for c in statuses(p) {
        let t = c
            .state
            .as_ref()?
            .terminated
            .as_ref()?
            .finished_at
            .as_ref()?
            .0;
        last = Some(last.map_or(t, |l| l.max(t)));
    }
    last
}

/// Core-seconds and GiB-seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub core_seconds: f64,
    pub gib_seconds: f64,
}

impl Usage {
    fn add(&mut self, o: Usage) {
        self.core_seconds += o.core_seconds;
        self.gib_seconds += o.gib_seconds;
    }

    /// To the millisecond: the times are the API's whole seconds anyway.
    fn rounded(self) -> Usage {
        let r = |v: f64| (v * 1000.0).round() / 1000.0;
        Usage {
            core_seconds: r(self.core_seconds),
            gib_seconds: r(self.gib_seconds),
        }
    }

    /// What this usage costs at `price`.
    pub fn at(self, price: &Price) -> f64 {
        (self.core_seconds * price.core_hour + self.gib_seconds * price.gib_hour) / 3600.0
    }
}

/// The executors' usage and how many executor pods there were.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Executors {
    #[serde(flatten)]
    pub usage: Usage,
    pub pods: usize,
}

/// The estimated cost of a job at its cluster's price.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    pub amount: f64,
    pub currency: Option<String>,
}

/// What a job's pods used, by role, and (with a price) what that costs.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobCost {
    pub driver: Usage,
    pub executors: Executors,
    /// The submit pod(s) of cluster mode (spark-submit's overhead); `None` in client mode,
    /// where the submit pod is the driver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit: Option<Usage>,
    /// All of the above.
    pub total: Usage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated: Option<Estimate>,
}

impl JobCost {
    /// This cost with its estimate at `price` (none without one).
    pub fn priced(mut self, price: Option<&Price>) -> JobCost {
        self.estimated = price.map(|p| Estimate {
            amount: (self.total.at(p) * 1e6).round() / 1e6,
            currency: p.currency.clone(),
        });
        self
    }

    /// The closing line: `job J used … core-seconds and … GiB-seconds (driver …, N executors
    /// …), est. A CUR`.
    pub fn line(&self, job_id: &str) -> String {
        let pair = |u: &Usage| format!("{:.1} / {:.1}", u.core_seconds, u.gib_seconds);
        let submit = self
            .submit
            .as_ref()
            .map(|u| format!(", submit pod {}", pair(u)))
            .unwrap_or_default();
        let estimate = self
            .estimated
            .as_ref()
            .map(|e| {
                let cur = e
                    .currency
                    .as_deref()
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default();
                format!(", est. {}{cur}", significant(e.amount))
            })
            .unwrap_or_default();
        format!(
            "spark-k8s-cli: job {job_id} used {:.1} core-seconds and {:.1} GiB-seconds (driver {}, {} executor{} {}{submit}){estimate}",
            self.total.core_seconds,
            self.total.gib_seconds,
            pair(&self.driver),
            self.executors.pods,
            if self.executors.pods == 1 { "" } else { "s" },
            pair(&self.executors.usage),
        )
    }
}

/// An amount with 4 significant digits, however small (`0.001234`, `12.35`).
fn significant(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let digits = (4 - 1 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}

/// One pod as last seen.
#[derive(Clone, Debug, PartialEq)]
struct Held {
    role: Role,
    requests: Requests,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
}

impl Held {
    fn usage(&self, now: Timestamp) -> Usage {
        let Some(start) = self.start else {
            return Usage::default();
        };
        let end = self.end.unwrap_or(now);
        let seconds = (end.as_millisecond() - start.as_millisecond()).max(0) as f64 / 1000.0;
        Usage {
            core_seconds: self.requests.cores * seconds,
            gib_seconds: self.requests.bytes / GIB * seconds,
        }
    }
}

/// The job's pods as the watch showed them, by name, kept after they are deleted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    pods: BTreeMap<String, Held>,
}

impl Ledger {
    /// Whether no pod of the job was seen.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }

    /// Takes what the job's pods' watch brought at `at`.
    pub fn heard(&mut self, event: &Event, at: Timestamp) {
        match event {
            Event::Applied(p) => self.seen(p),
            Event::Deleted(p) => self.deleted(p, at),
            Event::Listed(items) => self.listed(items, at),
            _ => {}
        }
    }

    /// A newer view of pod `p`: its requests, its start, its end once every container ended.
    pub fn seen(&mut self, p: &Pod) {
        let Some(role) = role_of(p) else { return };
        let name = p.metadata.name.clone().unwrap_or_default();
        let held = self.pods.entry(name).or_insert(Held {
            role,
            requests: Requests::default(),
            start: None,
            end: None,
        });
        held.role = role;
        held.requests = requests(p);
        held.start = started(p).or(held.start);
        held.end = finished(p).or(held.end);
    }

    /// Pod `p` was deleted (seen at `at`): its last status; when no container says it ended,
    /// it ended when it was deleted: at `at`, or its `deletionTimestamp` when that is earlier
    /// (the API server sets it to the deletion's time plus the grace period).
    pub fn deleted(&mut self, p: &Pod, at: Timestamp) {
        self.seen(p);
        let name = p.metadata.name.as_deref().unwrap_or_default();
        if let Some(held) = self.pods.get_mut(name)
            && held.end.is_none()
        {
            let deleted = p.metadata.deletion_timestamp.as_ref().map(|t| t.0);
            held.end = Some(deleted.map_or(at, |d| d.min(at)));
        }
    }

    /// Every pod of the job at `at`: the ones listed are seen; one known before and missing
    /// was deleted while nobody watched, by `at`.
    pub fn listed(&mut self, items: &[Pod], at: Timestamp) {
        for p in items {
            self.seen(p);
        }
        let names: std::collections::BTreeSet<&str> = items
            .iter()
            .filter_map(|p| p.metadata.name.as_deref())
            .collect();
        for (name, held) in &mut self.pods {
            if !names.contains(name.as_str()) && held.end.is_none() {
                held.end = Some(at);
            }
        }
    }

    /// What the pods used until `now` (a pod still running when last seen, until `now`).
    pub fn cost(&self, now: Timestamp) -> JobCost {
        let mut c = JobCost::default();
        let mut submit: Option<Usage> = None;
        for held in self.pods.values() {
            let u = held.usage(now);
            match held.role {
                Role::Driver => c.driver.add(u),
                Role::Executor => {
                    c.executors.usage.add(u);
                    c.executors.pods += 1;
                }
                Role::Submit => submit.get_or_insert_default().add(u),
            }
            c.total.add(u);
        }
        c.driver = c.driver.rounded();
        c.executors.usage = c.executors.usage.rounded();
        c.submit = submit.map(Usage::rounded);
        c.total = c.total.rounded();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(T0 + s).unwrap()
    }

    fn time(s: i64) -> serde_json::Value {
        serde_json::json!(at(s).to_string())
    }

    /// A pod of role `role` (`submit`, `driver`, `executor`) requesting `cpu` and `memory`,
    /// started at `start` and, with `end`, ended then.
    fn pod(name: &str, role: &str, cpu: &str, memory: &str, start: i64, end: Option<i64>) -> Pod {
        let labels = match role {
            "submit" => serde_json::json!({"app.kubernetes.io/component": "submit"}),
            r => serde_json::json!({"spark-role": r}),
        };
        let state = match end {
            Some(e) => {
                serde_json::json!({"terminated": {"exitCode": 0, "startedAt": time(start), "finishedAt": time(e)}})
            }
            None => serde_json::json!({"running": {"startedAt": time(start)}}),
        };
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "labels": labels},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]},
            "status": {"phase": if end.is_some() { "Succeeded" } else { "Running" }, "startTime": time(start),
                "containerStatuses": [{"name": "c", "image": "i", "imageID": "", "ready": end.is_none(), "restartCount": 0, "state": state}]}
        }))
        .unwrap()
    }

    #[test]
    fn requests_take_fractional_cores_and_memory_units() {
        let r = requests(&pod("p", "driver", "500m", "1536Mi", 0, None));
        assert_eq!((r.cores, r.bytes), (0.5, 1536.0 * 1024.0 * 1024.0));
        let r = requests(&pod("p", "driver", "1.5", "2G", 0, None));
        assert_eq!((r.cores, r.bytes), (1.5, 2e9));
    }

    #[test]
    fn requests_sum_containers_default_to_limits_and_add_the_overhead() {
        let p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p"},
            "spec": {
                "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "3", "memory": "1Gi"}}}],
                "containers": [
                    {"name": "a", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}},
                    {"name": "b", "resources": {"limits": {"cpu": "250m", "memory": "512Mi"}}},
                    {"name": "c"}
                ],
                "overhead": {"cpu": "100m", "memory": "64Mi"}
            }
        }))
        .unwrap();
        let r = requests(&p);
        // cpu: the init container's 3 beats the containers' 1.25; memory: 1.5Gi beats 1Gi.
        assert_eq!(r.cores, 3.1);
        assert_eq!(r.bytes, (1536.0 + 64.0) * 1024.0 * 1024.0);
        assert_eq!(requests(&Pod::default()), Requests::default());
    }

    #[test]
    fn a_job_costs_its_pods_requests_times_their_time() {
        let mut l = Ledger::default();
        // Cluster mode: a submit pod, a driver of 1 core / 2 GiB for 100 s, two executors of
        // 500m / 1 GiB that overlap, one of them ended early (dynamic allocation).
        l.seen(&pod("j-submit", "submit", "500m", "512Mi", 0, Some(110)));
        l.seen(&pod("j-driver", "driver", "1", "2Gi", 5, Some(105)));
        l.seen(&pod("j-exec-1", "executor", "500m", "1Gi", 10, Some(100)));
        l.seen(&pod("j-exec-2", "executor", "500m", "1Gi", 20, Some(40)));
        let c = l.cost(at(1000));
        assert_eq!(
            c.driver,
            Usage {
                core_seconds: 100.0,
                gib_seconds: 200.0
            }
        );
        assert_eq!(c.executors.pods, 2);
        assert_eq!(
            c.executors.usage,
            Usage {
                core_seconds: 55.0,
                gib_seconds: 110.0
            }
        );
        assert_eq!(
            c.submit,
            Some(Usage {
                core_seconds: 55.0,
                gib_seconds: 55.0
            })
        );
        assert_eq!(
            c.total,
            Usage {
                core_seconds: 210.0,
                gib_seconds: 365.0
            }
        );
        assert_eq!(c.estimated, None);
    }

    #[test]
    fn a_pod_still_running_counts_until_now_and_one_never_started_not_at_all() {
        let mut l = Ledger::default();
        l.seen(&pod("d", "driver", "2", "1Gi", 0, None));
        let mut pending = pod("e", "executor", "1", "1Gi", 0, None);
        pending.status = None;
        l.seen(&pending);
        let c = l.cost(at(30));
        assert_eq!(c.driver.core_seconds, 60.0);
        assert_eq!(c.executors.usage, Usage::default());
        assert_eq!(c.executors.pods, 1);
        // Client mode: no submit pod of its own.
        assert_eq!(c.submit, None);
    }

    #[test]
    fn a_deleted_executor_keeps_its_last_status_or_ends_when_it_was_deleted() {
        let mut l = Ledger::default();
        l.seen(&pod("e1", "executor", "1", "1Gi", 0, None));
        l.seen(&pod("e2", "executor", "1", "1Gi", 0, None));
        l.seen(&pod("e3", "executor", "1", "1Gi", 0, None));
        // e1: its last status says when it ended.
        l.deleted(&pod("e1", "executor", "1", "1Gi", 0, Some(10)), at(50));
        // e2: deleted while running: its deletionTimestamp.
        let mut e2 = pod("e2", "executor", "1", "1Gi", 0, None);
        e2.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at(20)));
        l.deleted(&e2, at(50));
        // e3: gone from a relist at 30.
        l.listed(&[], at(30));
        let c = l.cost(at(1000));
        assert_eq!(c.executors.usage.core_seconds, 10.0 + 20.0 + 30.0);
        assert_eq!(c.executors.pods, 3);
        // A later view without a state does not take the end back.
        l.seen(&pod("e3", "executor", "1", "1Gi", 0, None));
        assert_eq!(l.cost(at(1000)).executors.usage.core_seconds, 60.0);
    }

    #[test]
    fn the_watch_events_fill_the_ledger() {
        let mut l = Ledger::default();
        l.heard(
            &Event::Listed(vec![pod("d", "driver", "1", "1Gi", 0, None)]),
            at(1),
        );
        l.heard(
            &Event::Applied(pod("e", "executor", "1", "1Gi", 2, None)),
            at(2),
        );
        l.heard(
            &Event::Deleted(pod("e", "executor", "1", "1Gi", 2, Some(8))),
            at(9),
        );
        l.heard(
            &Event::Applied(pod("d", "driver", "1", "1Gi", 0, Some(10))),
            at(10),
        );
        // A session's pod is its driver.
        let mut session = pod("s", "driver", "1", "1Gi", 0, Some(4));
        session.metadata.labels = Some(
            [(
                "app.kubernetes.io/component".to_string(),
                "session".to_string(),
            )]
            .into(),
        );
        assert_eq!(role_of(&session), Some(Role::Driver));
        // Pods that are not the job's driver, executors or submit pod are not counted.
        let mut other = pod("x", "driver", "1", "1Gi", 0, None);
        other.metadata.labels = None;
        l.heard(&Event::Applied(other), at(10));
        let c = l.cost(at(100));
        assert_eq!(
            (c.driver.core_seconds, c.executors.usage.core_seconds),
            (10.0, 6.0)
        );
        assert_eq!(c.total.core_seconds, 16.0);
    }

    /// kubesim's watch events of a SparkPi run (`testdata/ok-cluster.jsonl`, as `state`'s tests
    /// replay them): every pod held its requests from 11:37:49 to 11:37:50; the executor was
    /// deleted by its driver after its last status said it ended.
    #[test]
    fn a_captured_run_costs_what_its_pods_held() {
        let mut l = Ledger::default();
        for line in include_str!("testdata/ok-cluster.jsonl").lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let pod: Pod = serde_json::from_value(v["object"].clone()).unwrap();
            let event = match v["type"].as_str() {
                Some("DELETED") => Event::Deleted(pod),
                _ => Event::Applied(pod),
            };
            l.heard(&event, "2026-12-05T11:40:00Z".parse().unwrap());
        }
        let c = l.cost("2026-12-05T11:50:00Z".parse().unwrap());
        let mib1408 = 1408.0 / 1024.0;
        assert_eq!(
            c.driver,
            Usage {
                core_seconds: 1.0,
                gib_seconds: mib1408
            }
        );
        assert_eq!(c.executors.pods, 1);
        assert_eq!(
            c.executors.usage,
            Usage {
                core_seconds: 1.0,
                gib_seconds: mib1408
            }
        );
        assert_eq!(
            c.submit,
            Some(Usage {
                core_seconds: 0.5,
                gib_seconds: 0.5
            })
        );
        assert_eq!(c.total.core_seconds, 2.5);
    }

    #[test]
    fn a_price_gives_the_estimate_and_the_line_says_it() {
        let mut l = Ledger::default();
        l.seen(&pod("d", "driver", "1", "2Gi", 0, Some(3600)));
        l.seen(&pod("e", "executor", "2", "4Gi", 0, Some(1800)));
        let price = Price {
            core_hour: 0.04,
            gib_hour: 0.005,
            currency: Some("USD".into()),
        };
        let c = l.cost(at(4000)).priced(Some(&price));
        // 2 core-hours and 4 GiB-hours.
        let e = c.estimated.clone().unwrap();
        assert!((e.amount - 0.1).abs() < 1e-9, "{e:?}");
        assert_eq!(e.currency.as_deref(), Some("USD"));
        assert_eq!(
            c.line("j"),
            "spark-k8s-cli: job j used 7200.0 core-seconds and 14400.0 GiB-seconds (driver 3600.0 / 7200.0, 1 executor 3600.0 / 7200.0), est. 0.1000 USD"
        );
        let free = l.cost(at(4000)).priced(None);
        assert!(!free.line("j").contains("est."), "{}", free.line("j"));
        assert_eq!(significant(0.00123456), "0.001235");
        assert_eq!(significant(12.3456), "12.35");
        assert_eq!(significant(0.0), "0");
    }

    #[test]
    fn the_cost_round_trips_through_its_annotation() {
        let mut l = Ledger::default();
        l.seen(&pod("s", "submit", "500m", "1Gi", 0, Some(3)));
        l.seen(&pod("d", "driver", "1", "1Gi", 1, Some(3)));
        let c = l.cost(at(5));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<JobCost>(&json).unwrap(), c);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["executors"],
            serde_json::json!({"core_seconds": 0.0, "gib_seconds": 0.0, "pods": 0})
        );
        assert_eq!(v["submit"]["core_seconds"], 1.5);
    }
}
