//! Which alerts go out (pure): each (job, event) once, and a flood of like events rate-limited
//! per minute and summarised. The state is shared by the launchers of one host.

use std::collections::BTreeMap;

/// How long a (job, event) is remembered: longer than any re-attach of the job.
const REMEMBER_MS: u64 = 2 * 24 * 3600 * 1000;
const MINUTE_MS: u64 = 60_000;

/// One minute's count of like events.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub start_ms: u64,
    pub sent: u32,
    /// Like events not sent since the last one that was.
    pub suppressed: u32,
}

/// What the launchers of one host remember about alerts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct State {
    /// `job|event` → when it was alerted.
    pub sent: BTreeMap<String, u64>,
    /// `event|cluster|reason` → this minute's count.
    pub floods: BTreeMap<String, Window>,
}

/// The verdict on one alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Send it; `suppressed` like events were held back before it (say so in the message).
    Send { suppressed: u32 },
    /// This job already alerted this event (a failover or a re-attach saw it again).
    Duplicate,
    /// Over the limit of like events this minute: counted, not sent.
    Suppressed,
}

/// Decides on an alert for `job_key` (`job|event`) of flood `flood_key`, at most `limit` like
/// alerts a minute (0: no limit).
pub fn gate(st: &mut State, job_key: &str, flood_key: &str, now_ms: u64, limit: u32) -> Gate {
    st.sent
        .retain(|_, at| at.saturating_add(REMEMBER_MS) > now_ms);
    st.floods
        .retain(|_, w| w.start_ms.saturating_add(10 * MINUTE_MS) > now_ms || w.suppressed > 0);
    if st.sent.contains_key(job_key) {
        return Gate::Duplicate;
    }
    st.sent.insert(job_key.to_string(), now_ms);
    flood(
        st.floods.entry(flood_key.to_string()).or_default(),
        now_ms,
        limit,
    )
}

/// The flood limit's verdict on one more like alert, counted in `w` (this minute's window,
/// started again when a minute has passed): [`gate`]'s second half, and the whole of it for a
/// window kept in the cluster.
pub fn flood(w: &mut Window, now_ms: u64, limit: u32) -> Gate {
    if now_ms >= w.start_ms.saturating_add(MINUTE_MS) {
        w.start_ms = now_ms;
        w.sent = 0;
    }
    if limit > 0 && w.sent >= limit {
        w.suppressed += 1;
        return Gate::Suppressed;
    }
    w.sent += 1;
    Gate::Send {
        suppressed: std::mem::take(&mut w.suppressed),
    }
}

/// How long the cluster keeps the record of a (job, event): [`REMEMBER_MS`].
pub const REMEMBER_SECONDS: i32 = (REMEMBER_MS / 1000) as i32;
/// How long the cluster keeps a flood's window after its last like alert.
pub const FLOOD_KEEP_SECONDS: i32 = 24 * 3600;

/// The Lease that records that job `job_id` alerted `event`: `<job id>-alert-<6 hex of the
/// event>`, 63 characters at most (a job id has 50 at most).
pub fn once_name(job_id: &str, event: &str) -> String {
    format!(
        "{job_id}-alert-{}",
        crate::cluster::shared::digest(event, 6)
    )
}

/// The Lease that holds a flood's window (`event|cluster|reason`, no DNS label itself):
/// `k8scli-flood-<16 hex>`.
pub fn flood_name(flood_key: &str) -> String {
    format!(
        "k8scli-flood-{}",
        crate::cluster::shared::digest(flood_key, 16)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_job_event_alerts_once() {
        let mut st = State::default();
        assert_eq!(
            gate(&mut st, "j|failover", "f", 0, 5),
            Gate::Send { suppressed: 0 }
        );
        assert_eq!(gate(&mut st, "j|failover", "f", 1_000, 5), Gate::Duplicate);
        assert_eq!(
            gate(&mut st, "j|driver-failed", "d", 1_000, 5),
            Gate::Send { suppressed: 0 }
        );
        // Forgotten after two days.
        assert_eq!(
            gate(&mut st, "j|failover", "f", REMEMBER_MS + 1, 5),
            Gate::Send { suppressed: 0 }
        );
    }

    #[test]
    fn a_flood_is_limited_per_minute_and_summarised() {
        let mut st = State::default();
        let verdicts: Vec<Gate> = (0..100)
            .map(|i| {
                gate(
                    &mut st,
                    &format!("job-{i}|x"),
                    "x|east|ErrImagePull",
                    i * 500,
                    5,
                )
            })
            .collect();
        // 100 in 50 s: five sent, 95 counted.
        let sent = verdicts
            .iter()
            .filter(|g| matches!(g, Gate::Send { .. }))
            .count();
        assert_eq!(sent, 5);
        assert_eq!(st.floods["x|east|ErrImagePull"].suppressed, 95);
        // The next minute's first one carries the count.
        assert_eq!(
            gate(&mut st, "job-100|x", "x|east|ErrImagePull", 61_000, 5),
            Gate::Send { suppressed: 95 }
        );
        // Other floods are counted apart.
        assert_eq!(
            gate(&mut st, "job-0|y", "y|east|", 61_000, 5),
            Gate::Send { suppressed: 0 }
        );
        // Names: 63 characters at most, stable, apart per event and per flood.
        let longest = "j".repeat(crate::naming::MAX_JOB_ID);
        let name = once_name(&longest, "container-creation-failed");
        assert_eq!(name.len(), 63);
        assert!(crate::naming::is_dns_label(&name), "{name}");
        assert_ne!(once_name("j", "failover"), once_name("j", "oom-killed"));
        assert_eq!(flood_name("x|east|"), flood_name("x|east|"));
        assert_ne!(flood_name("x|east|"), flood_name("x|west|"));
        assert!(crate::naming::is_dns_label(&flood_name(
            "x|https://a:6443/|"
        )));
        // No limit.
        let mut st = State::default();
        assert!(
            (0..50).all(|i| matches!(gate(&mut st, &format!("{i}"), "z", 0, 0), Gate::Send { .. }))
        );
    }
}
