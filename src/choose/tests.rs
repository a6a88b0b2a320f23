use super::fleet::{Pins, check_pins, ineligible, selector_matches};
use super::*;
use crate::plan::quota::fixtures::amounts;
use crate::resolve::fleet::{Fleet, MasterTarget, master_target};

fn quota(hard_cpu: &str, used_cpu: &str) -> Quota {
    crate::plan::quota::fixtures::quota(
        "compute",
        &[("requests.cpu", hard_cpu)],
        &[("requests.cpu", used_cpu)],
    )
}

/// [`choose`] with no weighted round-robin counters kept from earlier choices.
fn choose_once(policy: Policy, members: &[Snapshot], demand: &Amounts, now_ms: u64) -> Choice {
    choose(policy, members, demand, &mut BTreeMap::new(), now_ms)
}

fn member(name: &str, priority: i32, weight: u32, quotas: Option<Vec<Quota>>) -> Snapshot {
    Snapshot {
        name: name.into(),
        priority,
        weight,
        eligible: true,
        ineligible_why: None,
        circuit: Circuit::default(),
        health_error: None,
        quotas,
        demand: None,
    }
}

#[test]
fn smooth_round_robin_gives_each_its_share_interleaved() {
    let mut counters = BTreeMap::new();
    let picks: Vec<String> = (0..6)
        .map(|_| smooth_pick(&mut counters, &[("a", 1), ("b", 2), ("c", 3)]).unwrap())
        .collect();
    assert_eq!(picks, ["c", "b", "a", "c", "b", "c"]);
    // 120 picks: exactly 20/40/60, whatever process made each pick (the counters are shared).
    let mut n: BTreeMap<String, u32> = BTreeMap::new();
    for _ in 0..120 {
        *n.entry(smooth_pick(&mut counters, &[("a", 1), ("b", 2), ("c", 3)]).unwrap())
            .or_default() += 1;
    }
    assert_eq!((n["a"], n["b"], n["c"]), (20, 40, 60));
    assert_eq!(smooth_pick(&mut counters, &[]), None);
}

#[test]
fn priority_takes_the_first_with_room() {
    let demand = amounts(&[("requests.cpu", "2")]);
    let members = [
        member("a", 1, 1, Some(vec![quota("10", "9")])), // full
        member("b", 2, 1, Some(vec![quota("10", "0")])),
        member("c", 3, 1, None),
    ];
    let c = choose_once(Policy::Priority, &members, &demand, 0);
    assert_eq!(c.chosen.as_deref(), Some("b"));
    assert_eq!(c.why, "priority 2, the first with room");
    let verdicts: Vec<(&str, &str)> = c
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.verdict.as_str()))
        .collect();
    assert_eq!(
        verdicts,
        [("a", "no room now"), ("b", "chosen"), ("c", "priority 3")]
    );
}

#[test]
fn headroom_takes_the_most_room_left_and_skips_what_never_fits() {
    let demand = amounts(&[("requests.cpu", "2")]);
    let members = [
        member("small", 1, 1, Some(vec![quota("1", "0")])), // can never fit
        member("busy", 1, 1, Some(vec![quota("10", "6")])), // 20% left after
        member("idle", 1, 1, Some(vec![quota("10", "2")])), // 60% left after
    ];
    let c = choose_once(Policy::Headroom, &members, &demand, 0);
    assert_eq!(c.chosen.as_deref(), Some("idle"));
    assert_eq!(c.why, "most room left after the job: 60%");
    assert!(
        c.rows[0].verdict.starts_with("never fits: requests.cpu"),
        "{:?}",
        c.rows
    );
    assert_eq!(c.rows[1].verdict, "20% room left after the job");
}

#[test]
fn open_circuits_and_ineligible_members_lose_with_their_reason() {
    let demand = Amounts::new();
    let mut down = member("down", 1, 1, None);
    down.circuit = Circuit::Open { until: 1000 };
    let mut drained = member("drained", 1, 1, None);
    drained.eligible = false;
    drained.ineligible_why = Some("drained".into());
    let mut sick = member("sick", 1, 1, None);
    sick.health_error = Some("GET /readyz: connection refused".into());
    let members = [down.clone(), drained, member("up", 5, 1, None), sick];
    let c = choose_once(Policy::Priority, &members, &demand, 10);
    assert_eq!(c.chosen.as_deref(), Some("up"));
    assert_eq!(c.rows[0].verdict, "circuit open");
    assert_eq!(c.rows[1].verdict, "drained");
    assert_eq!(
        c.rows[3].verdict,
        "unhealthy: GET /readyz: connection refused"
    );
    // Past the cool-down the open circuit lets a probe through (half-open) and wins again.
    let c = choose_once(Policy::Priority, &members, &demand, 1000);
    assert_eq!(c.chosen.as_deref(), Some("down"));
    // Nothing eligible: no choice.
    let c = choose_once(Policy::Weighted, &[down], &demand, 10);
    assert_eq!(c.chosen, None);
}

#[test]
fn when_the_job_fits_nowhere_it_waits_where_the_policy_prefers() {
    let demand = amounts(&[("requests.cpu", "4")]);
    let members = [
        member("a", 2, 1, Some(vec![quota("10", "8")])),
        member("b", 1, 1, Some(vec![quota("10", "9")])),
    ];
    let c = choose_once(Policy::Priority, &members, &demand, 0);
    assert_eq!(c.chosen.as_deref(), Some("b"));
}

#[test]
fn weighted_spreads_over_the_members_with_room_only() {
    let demand = amounts(&[("requests.cpu", "1")]);
    let members = [
        member("a", 1, 1, Some(vec![quota("10", "0")])),
        member("b", 1, 2, Some(vec![quota("10", "10")])), // full: out while others have room
        member("c", 1, 3, Some(vec![quota("10", "0")])),
    ];
    let mut counters = BTreeMap::new();
    let mut n: BTreeMap<String, u32> = BTreeMap::new();
    for _ in 0..40 {
        let c = choose(Policy::Weighted, &members, &demand, &mut counters, 0);
        *n.entry(c.chosen.unwrap()).or_default() += 1;
    }
    assert_eq!(
        (n.get("a"), n.get("b"), n.get("c")),
        (Some(&10), None, Some(&30))
    );
}

#[test]
fn master_urls_name_the_fleet_a_member_or_a_server() {
    assert_eq!(master_target("k8s://fleet"), Some(MasterTarget::Fleet));
    assert_eq!(master_target("k8s://fleet/"), Some(MasterTarget::Fleet));
    assert_eq!(
        master_target("k8s://fleet/east-1"),
        Some(MasterTarget::Member("east-1".into()))
    );
    assert_eq!(
        master_target("k8s://https://10.0.0.1:6443"),
        Some(MasterTarget::Server("https://10.0.0.1:6443".into()))
    );
    assert_eq!(master_target("yarn"), None);
}

#[test]
fn the_fleet_config_is_checked() {
    let f = Fleet::parse(
        r#"[{"name": "east", "context": "east", "weight": 2, "labels": {"region": "eu"}},
            {"name": "west", "inCluster": true, "drained": true}]"#,
    )
    .unwrap();
    assert_eq!(f.members[0].weight, 2);
    assert_eq!(f.members[1].weight, 1, "default weight");
    assert!(f.members[1].enabled && f.members[1].drained);
    for (bad, why) in [
        (r#"[{"name": "a"}, {"name": "a"}]"#, "listed twice"),
        (r#"[{"name": "East"}]"#, "lower-case"),
        (
            r#"[{"name": "a", "inCluster": true, "context": "x"}]"#,
            "inCluster cannot",
        ),
        (r#"[{"name": "a", "wieght": 2}]"#, "unknown field `wieght`"),
    ] {
        let e = Fleet::parse(bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn pins_and_selectors_narrow_the_fleet() {
    let f = Fleet::parse(
        r#"[{"name": "east", "labels": {"region": "eu", "purpose": "batch"}},
            {"name": "west", "labels": {"region": "us"}},
            {"name": "old", "enabled": false}]"#,
    )
    .unwrap();
    let labels = &f.members[0].labels;
    assert!(selector_matches("region=eu,purpose", labels).unwrap());
    assert!(selector_matches("region==eu,!gpu", labels).unwrap());
    assert!(!selector_matches("region!=eu", labels).unwrap());
    assert!(selector_matches("region in (eu)", labels).is_err());
    let pins = Pins {
        selector: Some("region=us".into()),
        ..Pins::default()
    };
    assert_eq!(ineligible(&f.members[1], &pins), None);
    assert_eq!(
        ineligible(&f.members[0], &pins).as_deref(),
        Some("labels do not match region=us")
    );
    assert_eq!(
        ineligible(&f.members[2], &Pins::default()).as_deref(),
        Some("disabled")
    );
    let pinned = Pins {
        cluster: Some("west".into()),
        ..Pins::default()
    };
    assert_eq!(
        ineligible(&f.members[0], &pinned).as_deref(),
        Some("the job is pinned to west")
    );
    // Bad pins are the user's error, found before anything is created.
    let refused = |pins: Pins| check_pins(&f, &pins).unwrap_err();
    let e = refused(Pins {
        cluster: Some("north".into()),
        ..Pins::default()
    });
    assert_eq!(
        e,
        "cluster 'north' is not in the fleet (it has: east, west, old)"
    );
    let e = refused(Pins {
        selector: Some("region=asia".into()),
        ..Pins::default()
    });
    assert!(e.contains("no cluster of the fleet"), "{e}");
}

#[test]
fn a_members_own_demand_decides_whether_the_job_fits_there() {
    // The job needs 2 cpu, but on a the member's overrides give the submit pod 3 more.
    let demand = amounts(&[("requests.cpu", "2")]);
    let mut a = member("a", 1, 1, Some(vec![quota("4", "0")]));
    a.demand = Some(amounts(&[("requests.cpu", "5")]));
    let b = member("b", 2, 1, Some(vec![quota("4", "0")]));
    let c = choose_once(Policy::Priority, &[a, b], &demand, 0);
    assert_eq!(c.chosen.as_deref(), Some("b"));
    assert!(
        c.rows
            .iter()
            .any(|r| r.name == "a" && r.verdict.starts_with("never fits")),
        "{:?}",
        c.rows
    );
}

#[test]
fn overrides_take_only_queue_and_submit_pod_settings() {
    let ok = r#"[{"name": "a", "overrides": {"submitImage": "reg/a:1", "queueMaxRunning": {"etl": 3}, "startupTimeout": 60}}]"#;
    let f = Fleet::parse(ok).unwrap();
    assert_eq!(f.members[0].overrides.len(), 3);
    for bad in ["fleetPolicy", "cluster", "queueSpillAfter", "namespace"] {
        let text = format!(r#"[{{"name": "a", "overrides": {{"{bad}": "x"}}}}]"#);
        let e = Fleet::parse(&text).unwrap_err();
        assert!(e.contains(&format!("'{bad}' cannot be overridden")), "{e}");
    }
}
