//! Admission, pure: headroom, per-queue limits, and the FIFO decision every launcher makes
//! alike from the same view of tickets and quotas (the demand and quota types are
//! [`crate::plan::quota`]'s).

use std::collections::BTreeMap;

use crate::plan::quota::{Amounts, Quota, format_amount};

/// A ticket in the queue (a Lease), as every launcher sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub job_id: String,
    pub queue: String,
    pub priority: i32,
    /// Enqueue time, epoch microseconds (the Lease's `acquireTime`): FIFO order.
    pub enqueued_us: i64,
    pub admitted: bool,
    pub demand: Amounts,
    /// What of the demand the quota does not count yet (pods not created): admitted only.
    pub reserved: Amounts,
}

/// Per-queue limits from the launcher config.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueLimit {
    pub max_running: Option<u64>,
    /// Milli-cores.
    pub max_cpu: Option<i128>,
    /// Bytes × 1000 (milli-units, as [`Amounts`]).
    pub max_memory: Option<i128>,
}

/// Where a job stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Go: create now.
    Admit,
    /// Wait; `position` counts the waiting tickets before this one (0: at the head).
    /// `behind`: another ticket goes first whatever the quotas say, so only a change of
    /// tickets (or of what runs per queue) can change this answer.
    Wait {
        position: usize,
        why: String,
        behind: bool,
    },
}

/// What is free in each quota after what admitted jobs still reserve.
pub fn headroom(quotas: &[Quota], tickets: &[Ticket]) -> Vec<Amounts> {
    quotas
        .iter()
        .map(|q| {
            q.hard
                .iter()
                .map(|(r, hard)| {
                    let used = q.used.get(r).copied().unwrap_or(0);
                    let reserved: i128 = tickets
                        .iter()
                        .filter(|t| t.admitted)
                        .filter_map(|t| t.reserved.get(r))
                        .sum();
                    (r.clone(), hard - used - reserved)
                })
                .collect()
        })
        .collect()
}

/// The first resource (quota, resource, need, free) where `demand` does not fit, if any.
fn shortfall(demand: &Amounts, free: &[Amounts], quotas: &[Quota]) -> Option<String> {
    for (q, f) in quotas.iter().zip(free) {
        for (r, room) in f {
            if let Some(d) = demand.get(r)
                && d > room
            {
                return Some(format!(
                    "{r} needs {}, {} free in quota {}",
                    format_amount(r, *d),
                    format_amount(r, (*room).max(0)),
                    q.name
                ));
            }
        }
    }
    None
}

/// The order tickets are served in: priority (higher first), then enqueue time, then job id.
pub fn order(tickets: &mut [&Ticket]) {
    tickets.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.enqueued_us.cmp(&b.enqueued_us))
            .then(a.job_id.cmp(&b.job_id))
    });
}

/// A job still running in the namespace whose launcher is gone (no live ticket): it counts
/// against its queue's limits. Only a job with a live driver or submit pod is one; executors
/// left alone by a driver that ended do not make a job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Orphan {
    pub queue: String,
    pub job: String,
    pub cpu: i128,
    pub memory: i128,
    /// Its pods, for the message that names what holds the queue.
    pub pods: Vec<String>,
}

/// The decision for `me`, made from the live tickets (expired ones already left out), the
/// quotas, per-queue limits and what runs per queue outside tickets (`orphans`: running jobs
/// whose launcher is gone).
///
/// Waiting tickets are walked in [`order`]. The first one not held back by its own queue's
/// limit is the only one that may go, and only if it fits: admissions happen one at a time, in
/// order, each launcher waiting to see the one ahead marked admitted. So a job at the head that
/// does not fit blocks every later one (no backfill past it: any job admitted behind it could only
/// delay it), and a ticket held back by its own queue's limit blocks nobody outside that queue.
pub fn decide(
    me: &str,
    tickets: &[Ticket],
    quotas: &[Quota],
    limits: &BTreeMap<String, QueueLimit>,
    orphans: &[Orphan],
) -> Verdict {
    // Admitted already (a re-run of a running job takes its ticket over): go on.
    if tickets.iter().any(|t| t.job_id == me && t.admitted) {
        return Verdict::Admit;
    }
    let free = headroom(quotas, tickets);
    let mut running: BTreeMap<&str, (u64, i128, i128)> = BTreeMap::new();
    let cpu_of = |a: &Amounts| a.get("requests.cpu").copied().unwrap_or(0);
    let mem_of = |a: &Amounts| a.get("requests.memory").copied().unwrap_or(0);
    for t in tickets.iter().filter(|t| t.admitted) {
        let e = running.entry(t.queue.as_str()).or_default();
        e.0 += 1;
        e.1 += cpu_of(&t.demand);
        e.2 += mem_of(&t.demand);
    }
    for o in orphans {
        let e = running.entry(o.queue.as_str()).or_default();
        e.0 += 1;
        e.1 += o.cpu;
        e.2 += o.memory;
    }
    // What holds a queue without a launcher, named for the waiting line.
    let outside = |queue: &str| {
        let named: Vec<String> = orphans
            .iter()
            .filter(|o| o.queue == queue)
            .map(|o| format!("job {} (pods {})", o.job, o.pods.join(", ")))
            .collect();
        if named.is_empty() {
            String::new()
        } else {
            format!("; without a launcher: {}", named.join("; "))
        }
    };
    let mut waiting: Vec<&Ticket> = tickets.iter().filter(|t| !t.admitted).collect();
    order(&mut waiting);
    let mut blocked: Option<String> = None;
    for (position, t) in waiting.iter().enumerate() {
        let mine = t.job_id == me;
        let (n, cpu, mem) = running.get(t.queue.as_str()).copied().unwrap_or_default();
        if let Some(limit) = limits.get(&t.queue) {
            let why = if limit.max_running.is_some_and(|m| n >= m) {
                Some(format!(
                    "queue {} runs {n} of at most {} jobs{}",
                    t.queue,
                    limit.max_running.unwrap_or_default(),
                    outside(&t.queue)
                ))
            } else if limit.max_cpu.is_some_and(|m| cpu + cpu_of(&t.demand) > m) {
                Some(format!(
                    "queue {} would use {} cpu, at most {}",
                    t.queue,
                    format_amount("cpu", cpu + cpu_of(&t.demand)),
                    format_amount("cpu", limit.max_cpu.unwrap_or_default())
                ))
            } else if limit
                .max_memory
                .is_some_and(|m| mem + mem_of(&t.demand) > m)
            {
                Some(format!(
                    "queue {} would use {} memory, at most {}",
                    t.queue,
                    format_amount("memory", mem + mem_of(&t.demand)),
                    format_amount("memory", limit.max_memory.unwrap_or_default())
                ))
            } else {
                None
            };
            if let Some(why) = why {
                if mine {
                    return Verdict::Wait {
                        position,
                        why,
                        behind: false,
                    };
                }
                continue;
            }
        }
        if let Some(head) = &blocked {
            if mine {
                return Verdict::Wait {
                    position,
                    why: format!("behind {head}"),
                    behind: true,
                };
            }
            continue;
        }
        match shortfall(&t.demand, &free, quotas) {
            None => {
                if mine {
                    return Verdict::Admit;
                }
                // It goes first: its launcher marks it admitted, and we look again then.
                // Admissions happen one at a time in order, so no launcher acting on a view
                // a moment old can overtake one ahead of it.
                blocked = Some(format!("{} (next to start)", t.job_id));
            }
            Some(why) => {
                if mine {
                    return Verdict::Wait {
                        position,
                        why,
                        behind: false,
                    };
                }
                blocked = Some(format!("{} ({why})", t.job_id));
            }
        }
    }
    // Not among the tickets (not yet seen in our own view): wait for it to appear.
    Verdict::Wait {
        position: waiting.len(),
        why: "the ticket is not in the queue yet".into(),
        behind: true,
    }
}

#[cfg(test)]
mod tests;
