//! The demand as the quota counts it, quota scopes, and a job that can never fit.

use super::fixtures::amounts;
use super::*;

fn quota(cpu: &str, used: &str) -> Quota {
    super::fixtures::quota(
        "team",
        &[("requests.cpu", cpu), ("pods", "100")],
        &[("requests.cpu", used), ("pods", "0")],
    )
}

fn term(scope: &str, operator: &str, values: &[&str]) -> ScopeTerm {
    ScopeTerm {
        scope: scope.into(),
        operator: operator.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

#[test]
fn quota_scopes_choose_the_pods_they_count() {
    let job = PodFacts::default(); // requests set, no deadline, no priority class
    let batch = PodFacts {
        priority_class: Some("batch".into()),
        ..PodFacts::default()
    };
    let exists = |s: &str| vec![term(s, "Exists", &[])];
    assert!(scope_matches(&[], &job), "no scope: every pod");
    assert!(scope_matches(&exists("NotBestEffort"), &job));
    assert!(!scope_matches(&exists("BestEffort"), &job));
    assert!(scope_matches(&exists("NotTerminating"), &job));
    assert!(!scope_matches(&exists("Terminating"), &job));
    assert!(!scope_matches(&exists("CrossNamespacePodAffinity"), &job));
    let in_batch = [term("PriorityClass", "In", &["batch", "high"])];
    assert!(scope_matches(&in_batch, &batch));
    assert!(!scope_matches(&in_batch, &job));
    let not_in = [term("PriorityClass", "NotIn", &["high"])];
    assert!(scope_matches(&not_in, &job) && scope_matches(&not_in, &batch));
    assert!(scope_matches(
        &[term("PriorityClass", "Exists", &[])],
        &batch
    ));
    assert!(!scope_matches(
        &[term("PriorityClass", "Exists", &[])],
        &job
    ));
    assert!(scope_matches(
        &[term("PriorityClass", "DoesNotExist", &[])],
        &job
    ));
    // Every term must hold.
    let both = [term("NotBestEffort", "Exists", &[]), in_batch[0].clone()];
    assert!(scope_matches(&both, &batch) && !scope_matches(&both, &job));
    // A quota for best-effort pods neither limits nor queues the job.
    let mut best_effort_only = quota("0", "0");
    best_effort_only.scopes = exists("BestEffort");
    let kept = applicable(vec![best_effort_only, quota("10", "0")], &[job, batch]);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].hard["requests.cpu"], 10_000);
}

#[test]
fn amounts_for_people() {
    assert_eq!(
        format_amount("requests.memory", 1000 * (1408 << 20)),
        "1408Mi"
    );
    assert_eq!(format_amount("limits.memory", 1000 * (4 << 30)), "4Gi");
    assert_eq!(format_amount("cpu", 3500), "3500m");
    assert_eq!(format_amount("pods", 7000), "7");
}

#[test]
fn a_jobs_demand_as_the_quota_counts_it() {
    use crate::plan::demand::{ExecutorCount, PodDemand};
    let pod = |cpu, limit, mem| PodDemand {
        cpu_request_m: cpu,
        cpu_limit_m: limit,
        heap_mib: 0,
        overhead_mib: 0,
        extra_mib: 0,
        memory_mib: mem,
    };
    let d = Demand {
        submit: pod(500, None, 512),
        driver: Some(pod(1000, Some(2000), 1408)),
        executor: pod(1000, None, 1408),
        executors: ExecutorCount {
            initial: 2,
            max: None,
            dynamic: false,
        },
        total_cpu_m: 3500,
        total_memory_mib: 512 + 3 * 1408,
        total_pods: 4,
    };
    let a = job_amounts(&d, Some(1500));
    assert_eq!(a["pods"], 4000);
    assert_eq!(a["requests.cpu"], 3500);
    assert_eq!(a["cpu"], 3500);
    assert_eq!(a["requests.memory"], 1000 * ((512 + 3 * 1408) << 20));
    assert_eq!(a["limits.memory"], a["requests.memory"]);
    // Submit and executors take the LimitRange default; the driver has its own limit.
    assert_eq!(a["limits.cpu"], 1500 + 2000 + 2 * 1500);
}

#[test]
fn a_job_above_the_hard_limit_never_fits_and_says_by_how_much() {
    let q = quota("10", "0");
    let d = amounts(&[("requests.cpu", "12"), ("pods", "3")]);
    let why = never_fits(&d, std::slice::from_ref(&q)).unwrap();
    assert_eq!(
        why,
        "requests.cpu: the job needs 12, quota team allows 10 in all"
    );
    assert!(never_fits(&amounts(&[("requests.cpu", "10")]), &[q]).is_none());
}
