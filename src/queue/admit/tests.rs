//! The admission order against hand-made views.

use super::*;
use crate::plan::quota::fixtures::amounts;

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
    crate::plan::quota::fixtures::quota(
        "team",
        &[("requests.cpu", cpu), ("pods", "100")],
        &[("requests.cpu", used), ("pods", "0")],
    )
}

/// What `me` waits on without queue limits: (position, why, behind); `expected` says why it
/// must wait, for the failure when it is admitted instead.
fn waits(me: &str, t: &[Ticket], q: &[Quota], expected: &str) -> (usize, String, bool) {
    match decide(me, t, q, &BTreeMap::new(), &[]) {
        Verdict::Wait {
            position,
            why,
            behind,
        } => (position, why, behind),
        Verdict::Admit => panic!("{me} was admitted: {expected}"),
    }
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
    let (position, why, behind) = waits("b", &t, &q, "b waits for a");
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
    let (position, why, behind) = waits("c", &t, &q, "c must wait");
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
