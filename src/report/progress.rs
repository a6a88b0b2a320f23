//! The progress line: on a terminal, one indicatif line (phase and elapsed time) that log lines
//! scroll above; off a terminal, a timestamped line on stderr each time the phase changes.

use std::io::Write;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Where the job is, as the progress line shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting in the queue: `position` jobs ahead.
    Queued {
        position: usize,
        queue: String,
        why: String,
    },
    Submitting,
    Pending,
    Running {
        executors: usize,
        wanted: usize,
    },
    Finishing,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Phase::Queued {
                position,
                queue,
                why,
            } => write!(f, "queued in {queue}, {position} ahead: {why}"),
            Phase::Submitting => f.write_str("submitting"),
            Phase::Pending => f.write_str("pending"),
            Phase::Running { executors, wanted } => {
                write!(f, "running, executors {executors}/{wanted}")
            }
            Phase::Finishing => f.write_str("finishing"),
        }
    }
}

/// Shared by the follower and the log streams (cheap to clone).
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
    job: String,
}

impl Progress {
    /// A live line when stderr is a terminal (and the launcher speaks text at `info`), plain
    /// lines otherwise.
    pub fn new(job: &str, terminal: bool) -> Progress {
        let voice = super::voice();
        let live = terminal && !voice.json && voice.shows(super::Level::Info);
        let bar = live.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {prefix} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(job.to_string());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        if bar.is_some() {
            crate::report::set_active(bar.clone());
        }
        Progress {
            bar,
            job: job.to_string(),
        }
    }

    pub fn set(&self, phase: &Phase) {
        record(Stage::of(phase), std::time::Instant::now());
        match &self.bar {
            Some(bar) if bar.is_finished() => {}
            Some(bar) => bar.set_message(phase.to_string()),
            None => super::say(&format!(
                "{} spark-k8s-cli: job {}: {phase}",
                timestamp(std::time::SystemTime::now()),
                self.job
            )),
        }
    }

    /// Prints a log line on stdout without tearing the progress line (none when quiet).
    pub fn log_line(&self, line: &str) {
        if super::voice().quiet {
            return;
        }
        let print = || {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        };
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// A one-off progress line on stderr (`spark-k8s-cli: <text>`) without tearing the
    /// progress line.
    pub fn note(&self, text: &str) {
        super::say(&format!("spark-k8s-cli: {text}"));
    }

    /// Clears the live line for good: the terminal is handed to an attached session.
    pub fn hide(&self) {
        self.finish();
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            crate::report::set_active(None);
            bar.finish_and_clear();
        }
    }
}

/// Where a job spends its time, for the seconds of `--output json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Queued,
    /// Submitting, pending: the job has or is getting pods, none runs the driver yet.
    Pending,
    /// Running, finishing.
    Running,
}

impl Stage {
    pub fn of(phase: &Phase) -> Stage {
        match phase {
            Phase::Queued { .. } => Stage::Queued,
            Phase::Submitting | Phase::Pending => Stage::Pending,
            Phase::Running { .. } | Phase::Finishing => Stage::Running,
        }
    }
}

/// Seconds spent in each [`Stage`].
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct StageSeconds {
    pub queued_seconds: f64,
    pub pending_seconds: f64,
    pub running_seconds: f64,
}

/// The stages this process's job went through, each with when it began.
static TIMELINE: std::sync::Mutex<Vec<(Stage, std::time::Instant)>> =
    std::sync::Mutex::new(Vec::new());

fn record(stage: Stage, at: std::time::Instant) {
    TIMELINE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((stage, at));
}

/// The seconds this process's job spent in each stage, until `end`.
pub fn stage_seconds(end: std::time::Instant) -> StageSeconds {
    seconds_in(&TIMELINE.lock().unwrap_or_else(|p| p.into_inner()), end)
}

/// Each stage lasts from its entry in `timeline` to the next (the last one to `end`).
pub fn seconds_in(
    timeline: &[(Stage, std::time::Instant)],
    end: std::time::Instant,
) -> StageSeconds {
    let mut out = StageSeconds::default();
    let ends = timeline.iter().skip(1).map(|(_, t)| *t).chain([end]);
    for ((stage, from), to) in timeline.iter().zip(ends) {
        let s = to.saturating_duration_since(*from).as_secs_f64();
        match stage {
            Stage::Queued => out.queued_seconds += s,
            Stage::Pending => out.pending_seconds += s,
            Stage::Running => out.running_seconds += s,
        }
    }
    out
}

/// RFC 3339 UTC, to the second.
pub fn timestamp(t: std::time::SystemTime) -> String {
    // Before 1970 or past jiff's range (year 9999) is not a time this process sees.
    k8s_openapi::jiff::Timestamp::try_from(t)
        .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let t = std::time::UNIX_EPOCH + Duration::from_secs(1_795_753_425);
        assert_eq!(timestamp(t), "2026-11-27T04:23:45Z");
        assert_eq!(timestamp(std::time::UNIX_EPOCH), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn each_stage_lasts_until_the_next() {
        let t0 = std::time::Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let timeline = [
            (Stage::Queued, at(0)),
            (Stage::Queued, at(2)),
            (Stage::Pending, at(5)),
            (Stage::Running, at(6)),
            (Stage::Running, at(7)),
        ];
        assert_eq!(
            seconds_in(&timeline, at(10)),
            StageSeconds {
                queued_seconds: 5.0,
                pending_seconds: 1.0,
                running_seconds: 4.0
            }
        );
        assert_eq!(seconds_in(&[], at(3)), StageSeconds::default());
        // A job that never queued nor ran: all of it pending.
        let pending = seconds_in(&[(Stage::Pending, at(1))], at(4));
        assert_eq!(pending.pending_seconds, 3.0);
    }

    #[test]
    fn phases_read_well() {
        assert_eq!(
            Phase::Running {
                executors: 1,
                wanted: 2
            }
            .to_string(),
            "running, executors 1/2"
        );
    }
}
