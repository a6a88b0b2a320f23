//! Containers' standard input: the kubelet opens it for containers with `stdin: true`, attach
//! sessions write to it, programs (the shells' REPL) read from it.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::mpsc;

/// What reaches a container's stdin.
#[derive(Debug, PartialEq)]
pub enum StdinMsg {
    Data(Vec<u8>),
    /// The end of input (Ctrl-D on a terminal, or the first attach closing with `stdinOnce`).
    Eof,
}

pub type Key = (String, String, String);

/// (namespace, pod, container) → the writing end of its stdin.
#[derive(Default)]
pub struct Stdin {
    open: Mutex<HashMap<Key, mpsc::UnboundedSender<StdinMsg>>>,
}

impl Stdin {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, mpsc::UnboundedSender<StdinMsg>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens a container's stdin; the program reads the returned end.
    pub fn open(&self, key: &Key) -> mpsc::UnboundedReceiver<StdinMsg> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.lock().insert(key.clone(), tx);
        rx
    }

    /// The writing end, while the container runs with stdin open.
    pub fn writer(&self, key: &Key) -> Option<mpsc::UnboundedSender<StdinMsg>> {
        self.lock().get(key).filter(|tx| !tx.is_closed()).cloned()
    }

    /// Closes a container's stdin when it ends.
    pub fn close(&self, key: &Key) {
        self.lock().remove(key);
    }
}
