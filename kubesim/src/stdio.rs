//! Containers' standard input and terminal: the kubelet opens stdin for containers with
//! `stdin: true`, attach sessions write to it, programs (the tiny shell, the shells' REPL) read
//! from it. A container with `tty: true` has a terminal: its size, set by the resize channel,
//! and the signals its line discipline raises travel in the same ordered queue as the input, so
//! a program sees a Ctrl-C exactly after the input typed before it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use tokio::sync::mpsc;

/// What reaches a container's stdin (and, with a terminal, its foreground process).
#[derive(Debug, PartialEq)]
pub enum StdinMsg {
    Data(Vec<u8>),
    /// The end of input (Ctrl-D on a terminal, or the first attach closing with `stdinOnce`).
    Eof,
    /// SIGINT from the terminal's line discipline (Ctrl-C with `ISIG`).
    Interrupt,
    /// SIGWINCH: the terminal's size changed (`TIOCSWINSZ` signals only a change).
    Winch,
}

pub type Key = (String, String, String);

/// A terminal's size in columns and rows; a new pseudo-terminal has 0 × 0 until someone sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub cols: u16,
    pub rows: u16,
}

/// The reading end of a container's (or an exec's) stdin, with room to put input back: the
/// shell's `read` takes one line and leaves the rest for the program it `exec`s, as `read`
/// does on a terminal or pipe (it never reads past the newline).
pub struct Input {
    rx: mpsc::UnboundedReceiver<StdinMsg>,
    unread: VecDeque<StdinMsg>,
}

impl Input {
    pub fn new(rx: mpsc::UnboundedReceiver<StdinMsg>) -> Input {
        Input {
            rx,
            unread: VecDeque::new(),
        }
    }

    /// The next message, put-back input first; `None` once the writers are gone.
    pub async fn recv(&mut self) -> Option<StdinMsg> {
        match self.unread.pop_front() {
            Some(m) => Some(m),
            None => self.rx.recv().await,
        }
    }

    /// Puts a message back, to be read first.
    pub fn unread(&mut self, m: StdinMsg) {
        self.unread.push_front(m);
    }

    /// Waits for a SIGINT, keeping every other message for later reads. When it comes, the
    /// input not yet read is dropped, as the line discipline flushes its queue on an
    /// interrupt character (`isig` in Linux `drivers/tty/n_tty.c`, unless `NOFLSH`). Pending
    /// forever when the input has ended.
    pub async fn interrupted(&mut self) {
        loop {
            match self.rx.recv().await {
                Some(StdinMsg::Interrupt) => {
                    self.unread.retain(|m| *m == StdinMsg::Winch);
                    return;
                }
                Some(m) => self.unread.push_back(m),
                None => std::future::pending::<()>().await,
            }
        }
    }
}

#[derive(Default)]
struct Open {
    writers: HashMap<Key, mpsc::UnboundedSender<StdinMsg>>,
    sizes: HashMap<Key, Size>,
}

/// (namespace, pod, container) → the writing end of its stdin, and its terminal's size.
#[derive(Default)]
pub struct Stdin {
    open: Mutex<Open>,
}

impl Stdin {
    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens a container's stdin (its terminal at 0 × 0); the program reads the returned end.
    pub fn open(&self, key: &Key) -> Input {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut open = self.lock();
        open.writers.insert(key.clone(), tx);
        open.sizes.insert(key.clone(), Size::default());
        Input::new(rx)
    }

    /// The writing end, while the container runs with stdin open.
    pub fn writer(&self, key: &Key) -> Option<mpsc::UnboundedSender<StdinMsg>> {
        self.lock()
            .writers
            .get(key)
            .filter(|tx| !tx.is_closed())
            .cloned()
    }

    /// Closes a container's stdin (after `stdinOnce`'s first attach: its terminal stays).
    pub fn close(&self, key: &Key) {
        self.lock().writers.remove(key);
    }

    /// Forgets a container that ended: its stdin and its terminal.
    pub fn end(&self, key: &Key) {
        let mut open = self.lock();
        open.writers.remove(key);
        open.sizes.remove(key);
    }

    /// The container's terminal size.
    pub fn size(&self, key: &Key) -> Size {
        self.lock().sizes.get(key).copied().unwrap_or_default()
    }

    /// Sets the terminal size; `true` when it changed (the kernel then sends SIGWINCH).
    pub fn resize(&self, key: &Key, size: Size) -> bool {
        self.lock().sizes.insert(key.clone(), size) != Some(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_interrupt_flushes_what_was_not_read() {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut input = Input::new(rx);
        tx.send(StdinMsg::Data(b"typed ahead\n".to_vec())).unwrap();
        tx.send(StdinMsg::Winch).unwrap();
        tx.send(StdinMsg::Interrupt).unwrap();
        tx.send(StdinMsg::Data(b"after\n".to_vec())).unwrap();
        input.interrupted().await;
        assert_eq!(input.recv().await, Some(StdinMsg::Winch));
        assert_eq!(
            input.recv().await,
            Some(StdinMsg::Data(b"after\n".to_vec()))
        );
        input.unread(StdinMsg::Data(b"back".to_vec()));
        assert_eq!(input.recv().await, Some(StdinMsg::Data(b"back".to_vec())));
    }

    #[test]
    fn only_a_change_of_size_signals() {
        let stdin = Stdin::default();
        let key = ("ns".to_string(), "p".to_string(), "c".to_string());
        drop(stdin.open(&key));
        assert_eq!(stdin.size(&key), Size::default());
        let s = Size {
            cols: 100,
            rows: 30,
        };
        assert!(stdin.resize(&key, s));
        assert!(!stdin.resize(&key, s));
        assert_eq!(stdin.size(&key), s);
    }
}
