//! choose: which cluster of the fleet runs the job, decided from a snapshot (pure).
//!
//! The edge gathers the snapshot (each member's health, circuit state and quota headroom) and
//! the shared round-robin counters; this module only decides and says why. Policies:
//! - `priority`: the first healthy member, by priority (lowest number first), whose quotas fit.
//! - `weighted`: smooth weighted round-robin over the healthy members where the job fits.
//! - `headroom`: the member where the job fits with the most room left.
//!
//! [`failover`] decides whether a job that failed on one member may move to another.

pub mod breaker;
pub mod failover;
pub mod fleet;

use std::collections::BTreeMap;

use crate::plan::quota::{Amounts, Quota, never_fits};
use crate::resolve::fleet::Policy;

pub use breaker::{Breaker, Circuit};
pub use failover::{Move, Readback, failover};

/// What the edge knows of one member when the job is placed.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub name: String,
    pub priority: i32,
    pub weight: u32,
    /// Not drained, enabled, selected by the job's pins and selectors.
    pub eligible: bool,
    /// Why it is not eligible, for the table.
    pub ineligible_why: Option<String>,
    pub circuit: Circuit,
    /// The last health probe failed (fresh within the health TTL): why.
    pub health_error: Option<String>,
    /// The member's quotas that count the job's pods, when read; `None`: not read.
    pub quotas: Option<Vec<Quota>>,
    /// The job's demand as this member would count it (its overrides change the submit pod);
    /// `None`: the demand given to [`choose`].
    pub demand: Option<Amounts>,
}

/// One row of the candidates table (`-v`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    /// `chosen`, or why it lost.
    pub verdict: String,
}

/// The decision and the table behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub chosen: Option<String>,
    pub rows: Vec<Row>,
    /// Why the chosen member won, in one line.
    pub why: String,
}

/// Room left in a member after the job: the smallest fraction free, over every resource its
/// quotas limit (1.0 without quotas). `None`: the job does not fit now.
pub fn room_after(quotas: &[Quota], demand: &Amounts) -> Option<f64> {
    let mut least = 1.0f64;
    for q in quotas {
        for (r, hard) in &q.hard {
            let used = q.used.get(r).copied().unwrap_or(0);
            let need = demand.get(r).copied().unwrap_or(0);
            let left = hard - used - need;
            if left < 0 {
                return None;
            }
            if *hard > 0 {
                least = least.min(left as f64 / *hard as f64);
            }
        }
    }
    Some(least)
}

/// Smooth weighted round-robin (as nginx balances upstreams): each pick adds every candidate's
/// weight to its counter, takes the largest counter, and takes the total off the winner. Over
/// any run of picks each member gets its share, interleaved rather than in bursts. `counters`
/// are shared by the launchers of one host (the edge keeps them in a state file).
pub fn smooth_pick(
    counters: &mut BTreeMap<String, i64>,
    candidates: &[(&str, u32)],
) -> Option<String> {
    let total: i64 = candidates.iter().map(|(_, w)| i64::from(*w)).sum();
    if total == 0 {
        return None;
    }
    let mut best: Option<(&str, i64)> = None;
    for (name, w) in candidates {
        let c = counters.entry(name.to_string()).or_insert(0);
        *c += i64::from(*w);
        if best.is_none_or(|(_, b)| *c > b) {
            best = Some((name, *c));
        }
    }
    let (name, _) = best?;
    *counters.get_mut(name)? -= total;
    Some(name.to_string())
}

/// Picks a member for a job of `demand`. `now_ms` drives the circuits' half-open probes.
pub fn choose(
    policy: Policy,
    members: &[Snapshot],
    demand: &Amounts,
    counters: &mut BTreeMap<String, i64>,
    now_ms: u64,
) -> Choice {
    let mut rows: Vec<Row> = Vec::new();
    // (name, weight, priority, room after the job)
    let mut fit: Vec<(&Snapshot, f64)> = Vec::new();
    let mut full: Vec<&Snapshot> = Vec::new();
    for m in members {
        let lost = |why: String| Row {
            name: m.name.clone(),
            verdict: why,
        };
        if !m.eligible {
            rows.push(lost(
                m.ineligible_why
                    .clone()
                    .unwrap_or_else(|| "not eligible".into()),
            ));
            continue;
        }
        if !m.circuit.allows(now_ms) {
            rows.push(lost(format!("circuit {}", m.circuit.state_name(now_ms))));
            continue;
        }
        if let Some(e) = &m.health_error {
            rows.push(lost(format!("unhealthy: {e}")));
            continue;
        }
        let demand = m.demand.as_ref().unwrap_or(demand);
        match &m.quotas {
            None => fit.push((m, 1.0)),
            Some(q) => match (never_fits(demand, q), room_after(q, demand)) {
                (Some(why), _) => rows.push(lost(format!("never fits: {why}"))),
                (None, Some(room)) => fit.push((m, room)),
                (None, None) => full.push(m),
            },
        }
    }
    // Members where the job fits now come first; when it fits nowhere, the job waits in the
    // queue of the member the policy prefers among those it could ever fit in.
    let pool: Vec<(&Snapshot, f64)> = if fit.is_empty() {
        full.iter().map(|m| (*m, 0.0)).collect()
    } else {
        for m in &full {
            rows.push(Row {
                name: m.name.clone(),
                verdict: "no room now".into(),
            });
        }
        fit
    };
    let (chosen, why) = match policy {
        Policy::Priority => {
            let best = pool.iter().min_by(|a, b| {
                a.0.priority
                    .cmp(&b.0.priority)
                    .then(a.0.name.cmp(&b.0.name))
            });
            match best {
                Some((m, _)) => (
                    Some(m.name.clone()),
                    format!("priority {}, the first with room", m.priority),
                ),
                None => (None, String::new()),
            }
        }
        Policy::Weighted => {
            let candidates: Vec<(&str, u32)> = pool
                .iter()
                .map(|(m, _)| (m.name.as_str(), m.weight))
                .filter(|(_, w)| *w > 0)
                .collect();
            let total: u32 = candidates.iter().map(|(_, w)| w).sum();
            let name = smooth_pick(counters, &candidates);
            let why = name
                .as_ref()
                .and_then(|n| candidates.iter().find(|(c, _)| c == n))
                .map(|(_, w)| format!("weighted round-robin, weight {w} of {total}"))
                .unwrap_or_default();
            (name, why)
        }
        Policy::Headroom => {
            let best = pool.iter().max_by(|a, b| {
                a.1.total_cmp(&b.1)
                    .then(b.0.priority.cmp(&a.0.priority))
                    .then(b.0.name.cmp(&a.0.name))
            });
            match best {
                Some((m, room)) => (
                    Some(m.name.clone()),
                    format!("most room left after the job: {:.0}%", room * 100.0),
                ),
                None => (None, String::new()),
            }
        }
    };
    for (m, room) in &pool {
        if Some(&m.name) == chosen.as_ref() {
            rows.push(Row {
                name: m.name.clone(),
                verdict: "chosen".into(),
            });
        } else {
            let verdict = match policy {
                Policy::Priority => format!("priority {}", m.priority),
                Policy::Weighted => format!("weight {}, not its turn", m.weight),
                Policy::Headroom => format!("{:.0}% room left after the job", room * 100.0),
            };
            rows.push(Row {
                name: m.name.clone(),
                verdict,
            });
        }
    }
    // The table in the members' order.
    rows.sort_by_key(|r| members.iter().position(|m| m.name == r.name));
    Choice { chosen, rows, why }
}

#[cfg(test)]
mod tests;
