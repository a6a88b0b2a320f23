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
    /// A live line when stderr is a terminal, plain lines otherwise.
    pub fn new(job: &str, terminal: bool) -> Progress {
        let bar = terminal.then(|| {
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
        match &self.bar {
            Some(bar) if bar.is_finished() => {}
            Some(bar) => bar.set_message(phase.to_string()),
            None => {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{} spark-k8s-cli: job {}: {phase}",
                    timestamp(std::time::SystemTime::now()),
                    self.job
                );
            }
        }
    }

    /// Prints a log line on stdout without tearing the progress line.
    pub fn log_line(&self, line: &str) {
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

    /// A one-off line on stderr (`spark-k8s-cli: <text>`) without tearing the progress line.
    pub fn note(&self, text: &str) {
        let print = || {
            super::write_line(
                &mut std::io::stderr().lock(),
                &format!("spark-k8s-cli: {text}"),
            );
        };
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
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
