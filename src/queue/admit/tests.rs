//! Quantities, demand as quota resources, and the admission order against hand-made views.

use super::*;

fn amounts(pairs: &[(&str, &str)]) -> Amounts {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), parse_quantity(v).unwrap()))
        .collect()
}

fn ticket(id: &str, queue: &str, at: i64, cpu: &str) -> Ticket {
    Ticket {
        job_id: id.into(),
        queue: queue.into(),
        priority: 0,
        enqueued_us: at,
        admitted: false,
        demand: amounts(&[("requests.cpu", cpu), ("pods", "3")]),
        reserved: Amounts::new(),
    }
}

fn quota(cpu: &str, used: &str) -> Quota {
    Quota {
        name: "team".into(),
        hard: amounts(&[("requests.cpu", cpu), ("pods", "100")]),
        used: amounts(&[("requests.cpu", used), ("pods", "0")]),
        scopes: Vec::new(),
    }
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
fn quantities() {
    assert_eq!(parse_quantity("500m"), Some(500));
    assert_eq!(parse_quantity("2"), Some(2000));
    assert_eq!(parse_quantity("1.5"), Some(1500));
    assert_eq!(parse_quantity("1Gi"), Some(1000 << 30));
    assert_eq!(parse_quantity("1.5Gi"), Some(1500 << 30));
    assert_eq!(parse_quantity("4k"), Some(4_000_000));
    assert_eq!(parse_quantity("1e3"), Some(1_000_000));
    assert_eq!(parse_quantity("x"), None);
    assert_eq!(parse_quantity("1Zi"), None);
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

#[test]
fn fifo_admits_the_jobs_at_the_head_that_fit() {
    let q = [quota("10", "2")]; // 8 free
    let t = [
        ticket("c", "q", 3, "4"),
        ticket("a", "q", 1, "4"),
        ticket("b", "q", 2, "4"),
    ];
    let none = BTreeMap::new();
    assert_eq!(decide("a", &t, &q, &none, &[]), Verdict::Admit);
    // One at a time: b goes once a is marked admitted.
    let Verdict::Wait {
        position,
        why,
        behind,
    } = decide("b", &t, &q, &none, &[])
    else {
        panic!("b waits for a");
    };
    assert_eq!((position, why.as_str()), (1, "behind a (next to start)"));
    assert!(behind, "b's answer does not depend on the quota");
    let mut t = t.to_vec();
    t[1].admitted = true;
    t[1].reserved = t[1].demand.clone();
    assert_eq!(decide("b", &t, &q, &none, &[]), Verdict::Admit);
    t[2].admitted = true;
    t[2].reserved = t[2].demand.clone();
    // A re-run of an admitted job goes on at once.
    assert_eq!(decide("b", &t, &q, &none, &[]), Verdict::Admit);
    let Verdict::Wait {
        position,
        why,
        behind,
    } = decide("c", &t, &q, &none, &[])
    else {
        panic!("c must wait");
    };
    assert_eq!(position, 0);
    assert!(!behind, "c waits on the quota itself");
    assert_eq!(why, "requests.cpu needs 4, 0 free in quota team");
}

#[test]
fn a_big_job_at_the_head_is_not_starved_by_small_ones() {
    let q = [quota("10", "4")]; // 6 free
    let t = [ticket("big", "q", 1, "8"), ticket("small", "q", 2, "1")];
    let none = BTreeMap::new();
    assert!(matches!(
        decide("big", &t, &q, &none, &[]),
        Verdict::Wait { position: 0, .. }
    ));
    let Verdict::Wait { position, why, .. } = decide("small", &t, &q, &none, &[]) else {
        panic!("no backfill past the head");
    };
    assert_eq!(position, 1);
    assert!(why.starts_with("behind big"), "{why}");
}

#[test]
fn admitted_jobs_reserve_what_the_quota_does_not_count_yet() {
    let q = [quota("10", "0")];
    let mut first = ticket("first", "q", 1, "6");
    first.admitted = true;
    first.reserved = amounts(&[("requests.cpu", "6")]);
    let t = [first.clone(), ticket("second", "q", 2, "6")];
    let none = BTreeMap::new();
    assert!(matches!(
        decide("second", &t, &q, &none, &[]),
        Verdict::Wait { position: 0, .. }
    ));
    // Once its pods exist the quota counts them and nothing stays reserved.
    first.reserved = Amounts::new();
    let t = [first, ticket("second", "q", 2, "4")];
    assert_eq!(
        decide("second", &t, &[quota("10", "6")], &none, &[]),
        Verdict::Admit
    );
}

#[test]
fn a_full_queue_holds_back_its_own_jobs_only() {
    let q = [quota("100", "0")];
    let mut running = ticket("etl-1", "etl", 1, "1");
    running.admitted = true;
    let t = [
        running,
        ticket("etl-2", "etl", 2, "1"),
        ticket("adhoc-1", "adhoc", 3, "1"),
    ];
    let limits = BTreeMap::from([(
        "etl".to_string(),
        QueueLimit {
            max_running: Some(1),
            ..QueueLimit::default()
        },
    )]);
    let Verdict::Wait { why, .. } = decide("etl-2", &t, &q, &limits, &[]) else {
        panic!("etl is full");
    };
    assert_eq!(why, "queue etl runs 1 of at most 1 jobs");
    assert_eq!(decide("adhoc-1", &t, &q, &limits, &[]), Verdict::Admit);
    // A job still running after its launcher died counts against its queue too.
    let t = [ticket("etl-2", "etl", 2, "1")];
    let orphans = [Orphan {
        queue: "etl".into(),
        job: "etl-0".into(),
        cpu: 1000,
        memory: 0,
        pods: vec!["etl-0-driver".into(), "etl-0-exec-1".into()],
    }];
    let Verdict::Wait { why, .. } = decide("etl-2", &t, &q, &limits, &orphans) else {
        panic!("etl is held by a job without a launcher");
    };
    assert_eq!(
        why,
        "queue etl runs 1 of at most 1 jobs; without a launcher: job etl-0 (pods etl-0-driver, etl-0-exec-1)"
    );
    // CPU limits.
    let limits = BTreeMap::from([(
        "adhoc".to_string(),
        QueueLimit {
            max_cpu: Some(500),
            ..QueueLimit::default()
        },
    )]);
    let t = [ticket("adhoc-1", "adhoc", 3, "1")];
    let Verdict::Wait { why, .. } = decide("adhoc-1", &t, &q, &limits, &[]) else {
        panic!("over the queue's cpu");
    };
    assert_eq!(why, "queue adhoc would use 1 cpu, at most 500m");
}

#[test]
fn priority_goes_before_enqueue_time() {
    let q = [quota("4", "0")];
    let mut urgent = ticket("urgent", "q", 9, "4");
    urgent.priority = 10;
    let t = [ticket("early", "q", 1, "4"), urgent];
    let none = BTreeMap::new();
    assert_eq!(decide("urgent", &t, &q, &none, &[]), Verdict::Admit);
    assert!(matches!(
        decide("early", &t, &q, &none, &[]),
        Verdict::Wait { position: 1, .. }
    ));
}
