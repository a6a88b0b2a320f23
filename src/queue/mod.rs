//! queue: holds the job until the namespace has room: its ticket (a Lease, renewed as a
//! heartbeat), the quotas and the other launchers' tickets (watched, never polled), and the FIFO
//! decision of [`admit`].

pub mod admit;
pub mod deadline;
mod mirror;
mod objects;
mod rows;
mod slots;
mod ticket;
mod wait;

use std::collections::BTreeMap;

use crate::cluster;
use crate::outcome::JobError;
use crate::resolve::Settings;
use crate::resolve::typed::{QueueSettings, TimeoutAction};
use admit::QueueLimit;

pub use objects::job_quotas;
pub use rows::{QueueRow, rows, table, wide_table};
pub use ticket::{TICKET_LABEL, TicketHold, delete_ticket, ticket_name, with_live_launcher};
pub use wait::{SPILL_RECHECK, Spill, wait_for_room};

/// What the queue needs from the settings.
#[derive(Clone, Debug)]
pub struct QueueConfig {
    /// The job's queue: its name, priority, timeout and heartbeat (`resolve`'s typed group).
    pub settings: QueueSettings,
    /// Every queue's limits, by queue.
    pub limits: BTreeMap<String, QueueLimit>,
    /// How the queue's own requests retry transient errors. On a fleet it is short: a job
    /// waiting on a cluster that went away moves to another one (it has no pod yet) instead of
    /// waiting for that cluster to come back.
    pub retry: cluster::retry::Policy,
}

impl QueueConfig {
    pub fn from_settings(s: &Settings) -> QueueConfig {
        let q = s.queue();
        let mut limits: BTreeMap<String, QueueLimit> = BTreeMap::new();
        for (name, n) in &q.max_running {
            limits.entry(name.clone()).or_default().max_running = Some(*n);
        }
        for (name, m) in &q.max_cpu_m {
            limits.entry(name.clone()).or_default().max_cpu = Some(*m);
        }
        for (name, m) in &q.max_memory_m {
            limits.entry(name.clone()).or_default().max_memory = Some(*m);
        }
        QueueConfig {
            settings: q.clone(),
            limits,
            retry: cluster::retry::Policy::default(),
        }
    }

    /// The job's queue.
    fn name(&self) -> &str {
        &self.settings.name
    }

    /// `queueTimeoutAction=alert`: the timeout alerts once and the job keeps waiting.
    fn timeout_alert_only(&self) -> bool {
        self.settings.timeout_action == TimeoutAction::Alert
    }

    /// The job's queue's limits, when it has any.
    fn own_limit(&self) -> Option<&QueueLimit> {
        self.limits.get(self.name())
    }
}

/// A failure of the queue's requests: the job had no pod yet.
fn err(message: String) -> JobError {
    JobError::submission(message)
}
