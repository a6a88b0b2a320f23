//! The queue's wait limit (`queueTimeout`), counted on tokio's clock from the moment the job
//! starts waiting: the wait loop asks it whether the limit has passed and how long it may
//! sleep, so a paused-time test drives the same arithmetic the loop runs.

use std::time::Duration;

use tokio::time::Instant;

/// When a job's wait in its queue must end.
#[derive(Clone, Copy, Debug)]
pub struct WaitDeadline {
    start: Instant,
    timeout: Option<Duration>,
}

impl WaitDeadline {
    /// Starts counting now; `None` waits for ever (`queueTimeout` 0).
    pub fn start(timeout: Option<Duration>) -> WaitDeadline {
        WaitDeadline {
            start: Instant::now(),
            timeout,
        }
    }

    /// When the job started waiting.
    pub fn started(&self) -> Instant {
        self.start
    }

    /// Whether the limit has passed.
    pub fn expired(&self) -> bool {
        self.timeout.is_some_and(|t| self.start.elapsed() >= t)
    }

    /// How long until the limit; `None` without one.
    pub fn remaining(&self) -> Option<Duration> {
        self.timeout.map(|t| t.saturating_sub(self.start.elapsed()))
    }

    /// Completes when the limit passes; never without one.
    pub async fn reached(&self) {
        match self.timeout {
            Some(t) => tokio::time::sleep_until(self.start + t).await,
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{SparkCommand, parse};
    use crate::queue::QueueConfig;

    /// The queue's config for a job given `conf` (`--conf` pairs).
    fn config(conf: &[&str]) -> QueueConfig {
        let mut argv: Vec<String> = Vec::new();
        for c in conf {
            argv.push("--conf".into());
            argv.push((*c).into());
        }
        argv.extend(["--class", "a.B", "local:///x.jar"].map(String::from));
        let args = parse(SparkCommand::Submit, &argv).expect("parses");
        let s = crate::resolve::resolve(
            SparkCommand::Submit,
            &args,
            &Default::default(),
            &crate::resolve::NoFiles,
        )
        .expect("resolves");
        QueueConfig::from_settings(&s)
    }

    /// `--conf spark.k8scli.queueTimeout=10m` ends the wait after ten minutes, not before.
    #[tokio::test(start_paused = true)]
    async fn queue_timeout_of_ten_minutes_ends_the_wait_after_ten_minutes() {
        let cfg = config(&["spark.k8scli.queueTimeout=10m"]);
        let deadline = WaitDeadline::start(cfg.settings.timeout);
        let begun = Instant::now();
        assert_eq!(deadline.remaining(), Some(Duration::from_secs(600)));
        tokio::time::sleep(Duration::from_secs(599)).await;
        assert!(!deadline.expired());
        assert_eq!(deadline.remaining(), Some(Duration::from_secs(1)));
        deadline.reached().await;
        assert_eq!(begun.elapsed(), Duration::from_secs(600));
        assert!(deadline.expired());
        assert_eq!(deadline.remaining(), Some(Duration::ZERO));
    }

    /// The default (0) waits for ever: a day later the wait goes on.
    #[tokio::test(start_paused = true)]
    async fn no_queue_timeout_waits_for_ever() {
        let cfg = config(&[]);
        let deadline = WaitDeadline::start(cfg.settings.timeout);
        let day = Duration::from_secs(86_400);
        let outcome = tokio::time::timeout(day, deadline.reached()).await;
        assert!(outcome.is_err(), "the wait ended without a limit");
        assert!(!deadline.expired());
        assert_eq!(deadline.remaining(), None);
    }
}
