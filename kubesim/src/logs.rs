//! Per-container logs: programs append lines; readers take a snapshot or follow until the
//! container ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// One container's log.
#[derive(Default)]
pub struct LogBuf {
    pub lines: Vec<(String, String)>,
    pub closed: bool,
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

    /// Appends one line (with its RFC 3339 timestamp).
    pub fn push(&self, key: &(String, String, String), line: impl Into<String>) {
        let ts = crate::store::now();
        self.lock()
            .entry(key.clone())
            .or_default()
            .lines
            .push((ts, line.into()));
        self.changed.notify_waiters();
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

    /// Waits until something is appended or closed anywhere.
    pub fn changed(&self) -> Arc<Notify> {
        self.changed.clone()
    }
}
