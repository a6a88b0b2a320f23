//! Failover: whether a job that failed on one cluster of the fleet may move to another (pure).
//!
//! It holds design invariant 2, "one job, at most one driver, ever": a job moves only while it
//! provably has no driver. A failure that came before the submit pod was asked for proves it
//! by itself; a failed submission or start-up proves it only once the cluster is read back by
//! name (the driver's name is pinned from the job id); a cluster that cannot be read follows
//! `spark.k8scli.failover.onUnknown`; a driver that ran, timed out or may still run on a lost
//! cluster is the job's answer and never moves. A cluster given up is never tried again.
//! The edge (`cli::fleet`) reads back and moves; this module decides.

use std::collections::BTreeSet;

use crate::outcome::JobFailure;

/// What a read-back by name found of the job on the cluster it failed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readback {
    /// Not read back yet.
    NotRead,
    /// No driver, and nothing of the job left that could create one.
    NoDriver,
    /// The driver exists (in client mode: the submit pod was bound to a node).
    Driver,
    /// The cluster could not be read; why.
    Unknown(String),
}

/// What to do with a job that failed on a cluster of the fleet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Read the job back by name on that cluster, then decide again.
    ReadBack,
    /// Move to another cluster: the job has no driver here.
    Next,
    /// Move to another cluster although this one could not be read
    /// (`failover.onUnknown=true`): its pods, if any, are noted to be deleted later.
    NextLeavingStale,
    /// The failure is the job's answer here.
    Stay,
    /// Stay: this cluster could not be read back, so the job may exist there.
    StayUnknown,
}

/// Whether the job that ended with `failure` may leave its cluster, given what a read-back
/// found there (`Readback::NotRead` before one) and `failover.onUnknown`.
pub fn failover(failure: &JobFailure, readback: &Readback, on_unknown: bool) -> Move {
    match failure {
        // Waited in the queue past spillAfter: nothing was created there.
        JobFailure::Spill(_) => Move::Next,
        // Failed before its submit pod was asked for (the cluster went away while the job
        // waited in its queue, or its quota can never hold the job): no read-back needed.
        JobFailure::SubmissionFailed {
            may_have_pod: false,
            ..
        } => Move::Next,
        // A submit pod may exist and may yet create the driver: only a read-back can tell.
        JobFailure::SubmissionFailed { .. } | JobFailure::StartupFailed { .. } => match readback {
            Readback::NotRead => Move::ReadBack,
            Readback::NoDriver => Move::Next,
            Readback::Driver => Move::Stay,
            Readback::Unknown(_) if on_unknown => Move::NextLeavingStale,
            Readback::Unknown(_) => Move::StayUnknown,
        },
        // Back to the queue on the same cluster, which the caller does; one that escapes is
        // the job's answer. A queue timeout, run timeout, lost cluster (the driver may still
        // run), usage error or signal is the job's answer.
        JobFailure::QuotaFull(_)
        | JobFailure::QueueTimeout(_)
        | JobFailure::RunTimeout(_)
        | JobFailure::ClusterLost(_)
        | JobFailure::Usage(_)
        | JobFailure::Interrupted(_) => Move::Stay,
    }
}

/// What a read-back by name saw of one pod.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    Absent,
    /// There, never bound to a node: no container of it ever ran.
    Unbound,
    /// There and bound to a node: its containers may have run.
    Bound,
}

/// What a read-back concludes from what it saw, or asks for next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Look {
    Found(Readback),
    /// Delete the submit pod (it could still start a driver), then look again.
    DeleteSubmitPodAndLookAgain,
}

/// Client mode, where the submit pod is the driver: one never bound to a node never ran the
/// driver, and deleted, it is gone at once (an unscheduled pod has no kubelet to wait for).
/// `after_delete`: this look follows that delete.
pub fn client_mode_look(submit_pod: Seen, after_delete: bool) -> Look {
    match submit_pod {
        Seen::Absent => Look::Found(Readback::NoDriver),
        Seen::Bound => Look::Found(Readback::Driver),
        Seen::Unbound if !after_delete => Look::DeleteSubmitPodAndLookAgain,
        Seen::Unbound => Look::Found(Readback::Unknown(
            "the submit pod is still there after its delete".into(),
        )),
    }
}

/// Cluster mode: the driver pod (its name pinned from the job id) decides; a submit pod still
/// there could yet create it, so it is deleted and the driver looked for again
/// ([`cluster_mode_after_delete`]). `submit_pod` is `None` when not looked at (the driver was
/// there).
pub fn cluster_mode_look(driver_pod: Seen, submit_pod: Option<Seen>) -> Look {
    match (driver_pod, submit_pod) {
        (Seen::Unbound | Seen::Bound, _) => Look::Found(Readback::Driver),
        (Seen::Absent, Some(Seen::Unbound | Seen::Bound)) => Look::DeleteSubmitPodAndLookAgain,
        (Seen::Absent, Some(Seen::Absent) | None) => Look::Found(Readback::NoDriver),
    }
}

/// Cluster mode, once the submit pod is deleted: only the driver counts.
pub fn cluster_mode_after_delete(driver_pod: Seen) -> Readback {
    match driver_pod {
        Seen::Absent => Readback::NoDriver,
        Seen::Unbound | Seen::Bound => Readback::Driver,
    }
}

/// The clusters a job has left: each given up for good, never tried again for this job.
#[derive(Clone, Debug, Default)]
pub struct Tried(BTreeSet<String>);

impl Tried {
    pub fn give_up(&mut self, cluster: &str) {
        self.0.insert(cluster.to_string());
    }

    /// Why `cluster` may not take the job, if it was tried already.
    pub fn excludes(&self, cluster: &str) -> Option<String> {
        self.0
            .contains(cluster)
            .then(|| "tried already for this job".to_string())
    }

    /// The clusters given up, plus `also`.
    pub fn with(&self, also: &str) -> BTreeSet<String> {
        let mut s = self.0.clone();
        s.insert(also.to_string());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Signal, StartupKind};

    fn failures() -> Vec<(&'static str, JobFailure)> {
        vec![
            ("usage", JobFailure::usage("u")),
            ("submission, pod may exist", JobFailure::submission("s")),
            (
                "submission before the pod",
                JobFailure::submission("s").before_pod(),
            ),
            (
                "start-up",
                JobFailure::startup(StartupKind::ContainerCreation, "st"),
            ),
            ("queue timeout", JobFailure::QueueTimeout("q".into())),
            ("run timeout", JobFailure::RunTimeout("r".into())),
            ("cluster lost", JobFailure::ClusterLost("c".into())),
            ("quota full", JobFailure::quota_full("f")),
            ("spill", JobFailure::spill("p")),
            ("SIGTERM", JobFailure::Interrupted(Signal::Term)),
        ]
    }

    fn readbacks() -> Vec<Readback> {
        vec![
            Readback::NotRead,
            Readback::NoDriver,
            Readback::Driver,
            Readback::Unknown("no answer".into()),
        ]
    }

    /// Invariant 2, row by row: (failure, read-back, onUnknown) → move.
    #[test]
    fn failover_table() {
        use Move::*;
        let nr = Readback::NotRead;
        let nd = Readback::NoDriver;
        let dr = Readback::Driver;
        let un = Readback::Unknown("no answer".into());
        let sub = JobFailure::submission("s");
        let start = JobFailure::startup(StartupKind::Unschedulable, "st");
        let before = JobFailure::submission("s").before_pod();
        let rows: Vec<(&JobFailure, &Readback, bool, Move)> = vec![
            // A submit pod may exist: read back first, whatever onUnknown says.
            (&sub, &nr, false, ReadBack),
            (&sub, &nr, true, ReadBack),
            (&start, &nr, false, ReadBack),
            (&start, &nr, true, ReadBack),
            // Read back: no driver moves, a driver stays.
            (&sub, &nd, false, Next),
            (&start, &nd, false, Next),
            (&sub, &dr, false, Stay),
            (&sub, &dr, true, Stay),
            (&start, &dr, false, Stay),
            (&start, &dr, true, Stay),
            // Unreadable: onUnknown decides.
            (&sub, &un, false, StayUnknown),
            (&sub, &un, true, NextLeavingStale),
            (&start, &un, false, StayUnknown),
            (&start, &un, true, NextLeavingStale),
            // Before any pod was asked for: moves without a read-back.
            (&before, &nr, false, Next),
        ];
        for (f, r, on_unknown, want) in rows {
            assert_eq!(
                failover(f, r, on_unknown),
                want,
                "{f:?} {r:?} onUnknown={on_unknown}"
            );
        }
        // Spill moves: it had no pod.
        assert_eq!(
            failover(&JobFailure::spill("p"), &Readback::NotRead, false),
            Next
        );
        // The job's own answers never move, whatever a read-back would say.
        for f in [
            JobFailure::usage("u"),
            JobFailure::QueueTimeout("q".into()),
            JobFailure::RunTimeout("r".into()),
            JobFailure::ClusterLost("c".into()),
            JobFailure::quota_full("f"),
            JobFailure::Interrupted(Signal::Int),
        ] {
            for r in readbacks() {
                for on_unknown in [false, true] {
                    assert_eq!(failover(&f, &r, on_unknown), Stay, "{f:?} {r:?}");
                }
            }
        }
    }

    /// The invariant itself over every combination: a job moves only when it provably has no
    /// driver (no pod was asked for, or a read-back found none), or the user said an
    /// unreadable cluster may be left (onUnknown); a driver found always keeps it.
    #[test]
    fn no_move_leaves_a_possible_driver_behind() {
        for (name, f) in failures() {
            let no_pod_yet = matches!(
                f,
                JobFailure::Spill(_)
                    | JobFailure::SubmissionFailed {
                        may_have_pod: false,
                        ..
                    }
            );
            for r in readbacks() {
                for on_unknown in [false, true] {
                    let m = failover(&f, &r, on_unknown);
                    let moves = matches!(m, Move::Next | Move::NextLeavingStale);
                    if moves && !no_pod_yet {
                        assert!(
                            r == Readback::NoDriver
                                || (on_unknown && matches!(r, Readback::Unknown(_))),
                            "{name}: moved with {r:?} onUnknown={on_unknown}"
                        );
                    }
                    if r == Readback::Driver && !no_pod_yet {
                        assert!(!moves, "{name}: moved away from its driver");
                    }
                    if m == Move::NextLeavingStale {
                        assert!(
                            on_unknown,
                            "{name}: left a cluster unread without onUnknown"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn client_mode_counts_a_never_bound_submit_pod_as_no_driver() {
        // (what the read-back saw, whether an unbound submit pod was deleted first, the look).
        // Deleted, an unbound pod is gone: absent means no driver; bound in between means it
        // may have run.
        let table = [
            (Seen::Absent, false, Look::Found(Readback::NoDriver)),
            (Seen::Bound, false, Look::Found(Readback::Driver)),
            (Seen::Unbound, false, Look::DeleteSubmitPodAndLookAgain),
            (Seen::Absent, true, Look::Found(Readback::NoDriver)),
            (Seen::Bound, true, Look::Found(Readback::Driver)),
        ];
        for (seen, deleted, look) in table {
            assert_eq!(
                client_mode_look(seen, deleted),
                look,
                "{seen:?}, deleted {deleted}"
            );
        }
        // Still there after the delete is unknown.
        assert!(matches!(
            client_mode_look(Seen::Unbound, true),
            Look::Found(Readback::Unknown(_))
        ));
    }

    #[test]
    fn cluster_mode_reads_the_driver_by_name() {
        for s in [Seen::Unbound, Seen::Bound] {
            assert_eq!(cluster_mode_look(s, None), Look::Found(Readback::Driver));
            assert_eq!(
                cluster_mode_look(s, Some(Seen::Absent)),
                Look::Found(Readback::Driver)
            );
            // A submit pod still there could yet create the driver.
            assert_eq!(
                cluster_mode_look(Seen::Absent, Some(s)),
                Look::DeleteSubmitPodAndLookAgain
            );
        }
        assert_eq!(
            cluster_mode_look(Seen::Absent, Some(Seen::Absent)),
            Look::Found(Readback::NoDriver)
        );
        // After the submit pod's delete, only the driver counts.
        assert_eq!(cluster_mode_after_delete(Seen::Absent), Readback::NoDriver);
        assert_eq!(cluster_mode_after_delete(Seen::Unbound), Readback::Driver);
        assert_eq!(cluster_mode_after_delete(Seen::Bound), Readback::Driver);
    }

    #[test]
    fn a_cluster_given_up_is_never_tried_again() {
        let mut t = Tried::default();
        assert_eq!(t.excludes("a"), None);
        t.give_up("a");
        assert!(t.excludes("a").is_some());
        assert_eq!(t.excludes("b"), None);
        assert_eq!(
            t.with("b"),
            ["a", "b"].iter().map(|s| s.to_string()).collect()
        );
    }
}
