//! Per-container logs: programs append lines; readers take a snapshot or follow until the
//! container ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;

/// One container's log: (timestamp, text) chunks, each a whole line ending in `\n` except
/// what a program writes without one (a REPL's prompt).
#[derive(Default)]
pub struct LogBuf {
    pub lines: Vec<(String, String)>,
    pub closed: bool,
}

/// The kubelet's log timestamp: RFC 3339 with always nine fractional digits (`timeFormatOut`,
/// `2006-01-02T15:04:05.000000000Z07:00`, in pkg/kubelet/kuberuntime/logs/logs.go), UTC.
pub fn log_time(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = crate::store::timestamp(UNIX_EPOCH + std::time::Duration::from_secs(d.as_secs()));
    format!("{}.{:09}Z", secs.trim_end_matches('Z'), d.subsec_nanos())
}

/// (namespace, pod, container) → log. Keyed by pod uid too, so a re-created pod starts empty.
#[derive(Default)]
pub struct Logs {
    bufs: Mutex<HashMap<(String, String, String), LogBuf>>,
    changed: Arc<Notify>,
}

impl Logs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String, String), LogBuf>> {
        self.bufs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends one line (with its timestamp).
    pub fn push(&self, key: &(String, String, String), line: impl Into<String>) {
        let mut line = line.into();
        line.push('\n');
        self.push_raw(key, line);
    }

    /// Appends text as written, with or without a line end (a prompt, a terminal's echo).
    pub fn push_raw(&self, key: &(String, String, String), text: impl Into<String>) {
        let ts = log_time(SystemTime::now());
        self.lock()
            .entry(key.clone())
            .or_default()
            .lines
            .push((ts, text.into()));
        self.changed.notify_waiters();
    }

    /// Appends several lines at once: one lock and one wake-up for followers, however many.
    pub fn push_lines(&self, key: &(String, String, String), lines: Vec<String>) {
        if lines.is_empty() {
            return;
        }
        let ts = log_time(SystemTime::now());
        self.lock()
            .entry(key.clone())
            .or_default()
            .lines
            .extend(lines.into_iter().map(|mut l| {
                l.push('\n');
                (ts.clone(), l)
            }));
        self.changed.notify_waiters();
    }

    /// How many chunks the log holds now (where an attach starts reading).
    pub fn len(&self, key: &(String, String, String)) -> usize {
        self.lock().get(key).map_or(0, |b| b.lines.len())
    }

    /// Marks the container finished: followers end after the last line.
    pub fn close(&self, key: &(String, String, String)) {
        self.lock().entry(key.clone()).or_default().closed = true;
        self.changed.notify_waiters();
    }

    /// Starts a fresh log for a container (a new pod with an old name).
    pub fn reset(&self, key: &(String, String, String)) {
        self.lock().insert(key.clone(), LogBuf::default());
    }

    /// Lines from `from` on, and whether the log is closed.
    pub fn read(
        &self,
        key: &(String, String, String),
        from: usize,
    ) -> (Vec<(String, String)>, bool) {
        let bufs = self.lock();
        match bufs.get(key) {
            Some(b) => (b.lines.get(from..).unwrap_or_default().to_vec(), b.closed),
            None => (Vec::new(), false),
        }
    }

    /// Waits until the log at `key` holds more than `seen` chunks or is closed (at once when it
    /// already does). Armed before it looks, so an append between the look and the wait is not missed.
    pub async fn beyond(&self, key: &(String, String, String), seen: usize) {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self
                .lock()
                .get(key)
                .is_some_and(|b| b.closed || b.lines.len() > seen)
            {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_timestamps_have_nine_fractional_digits() {
        let t = UNIX_EPOCH + std::time::Duration::new(1_795_746_235, 1_200);
        assert_eq!(log_time(t), "2026-11-27T02:23:55.000001200Z");
        assert_eq!(log_time(UNIX_EPOCH), "1970-01-01T00:00:00.000000000Z");
    }
}
