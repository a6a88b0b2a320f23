//! Attach and exec sessions over a channel-protocol WebSocket: what the kubelet's streaming
//! server does once the upgrade is done.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch};

use crate::api::StreamSession;
use crate::cluster::Cluster;
use crate::stdio::{Size, StdinMsg};
use crate::websocket::ClientMsg;

const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const ERROR: u8 = 3;

/// The Status written on the error channel when the process ends.
pub fn exit_status(command: &[String], result: &Result<i32, String>) -> Value {
    match result {
        Ok(0) => json!({"metadata": {}, "status": "Success"}),
        Ok(code) => json!({"metadata": {}, "status": "Failure",
            "message": format!("command terminated with non-zero exit code: error executing command [{}], exit code {code}", command.join(" ")),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]}}),
        Err(message) => json!({"metadata": {}, "status": "Failure", "message": message,
            "reason": "InternalError", "details": {"causes": [{"message": message}]}, "code": 500}),
    }
}

/// A terminal's line discipline on input, in the default mode a container runtime's
/// pseudo-terminal has (canonical, `ECHO`, `ICRNL`, `ISIG`): what it echoes, and what reaches
/// the foreground process, in order. CR becomes LF and is echoed as CR LF; Ctrl-C (`VINTR`)
/// raises SIGINT and drops the input of this write not yet passed on (the flush `isig` does
/// without `NOFLSH`, Linux `drivers/tty/n_tty.c`); Ctrl-D (`VEOF`) passes on what was typed,
/// else means the end of input. The `^C` that `ECHOCTL` echoes is written by the program that
/// takes the signal, and only when it reads in cooked mode: readline and JLine turn `ECHO` off
/// while they edit a line.
fn tty_input(data: &[u8]) -> (String, Vec<StdinMsg>) {
    let mut echo = String::new();
    let mut out = Vec::new();
    let mut pending = Vec::new();
    for &b in data {
        match b {
            0x03 => {
                pending.clear();
                out.push(StdinMsg::Interrupt);
            }
            0x04 if pending.is_empty() => out.push(StdinMsg::Eof),
            0x04 => out.push(StdinMsg::Data(std::mem::take(&mut pending))),
            // A line ends: it is the reader's now, and the next Ctrl-D meets an empty line
            // (canonical mode hands input over line by line, `n_tty_receive_char`).
            b'\r' | b'\n' => {
                echo.push_str("\r\n");
                pending.push(b'\n');
                out.push(StdinMsg::Data(std::mem::take(&mut pending)));
            }
            _ => {
                echo.push(char::from(b));
                pending.push(b);
            }
        }
    }
    if !pending.is_empty() {
        out.push(StdinMsg::Data(pending));
    }
    (echo, out)
}

/// Channel 4's stream of terminal sizes, read as the apiserver's `handleResizeEvents` reads it
/// (k8s.io/apiserver/pkg/util/proxy/websocket.go): a `json.NewDecoder` over the channel's bytes,
/// so an object may span messages and one message may hold several; Go matches the field names
/// `Width` and `Height` case-insensitively. A malformed stream ends the resizing, as its decode
/// error ends that loop.
#[derive(Default)]
struct Resizes {
    buf: Vec<u8>,
    broken: bool,
}

impl Resizes {
    fn feed(&mut self, data: &[u8]) -> Vec<Size> {
        if self.broken {
            return Vec::new();
        }
        self.buf.extend_from_slice(data);
        let mut sizes = Vec::new();
        let mut stream = serde_json::Deserializer::from_slice(&self.buf).into_iter::<Value>();
        let mut used = 0;
        loop {
            match stream.next() {
                Some(Ok(v)) => {
                    used = stream.byte_offset();
                    let field = |name: &str| -> Option<u16> {
                        let obj = v.as_object()?;
                        match obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                            Some((_, n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
                            None => Some(0),
                        }
                    };
                    match (field("width"), field("height")) {
                        (Some(cols), Some(rows)) => sizes.push(Size { cols, rows }),
                        _ => {
                            self.broken = true;
                            break;
                        }
                    }
                }
                Some(Err(e)) if e.is_eof() => break,
                Some(Err(_)) => {
                    self.broken = true;
                    break;
                }
                None => {
                    used = self.buf.len();
                    break;
                }
            }
        }
        self.buf.drain(..used);
        sizes
    }
}

/// Runs a session to its end.
pub async fn run<IO>(
    cluster: Arc<Cluster>,
    s: StreamSession,
    io: IO,
    mut shutdown: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (out_tx, out_rx) = mpsc::unbounded_channel();
    let (in_tx, mut in_rx) = mpsc::unbounded_channel();
    let socket = tokio::spawn(crate::websocket::channels(io, out_rx, in_tx));
    // The server opens with an empty message on the lowest channel it writes.
    let first = if s.stdout {
        STDOUT
    } else if s.stderr {
        STDERR
    } else {
        ERROR
    };
    let _ = out_tx.send((first, Vec::new()));
    let container_tty = s.container.get("tty") == Some(&Value::Bool(true));
    match s.command.clone() {
        None => {
            // Attach: the container's output from now on, our input to its stdin.
            let writer = if s.stdin {
                cluster.stdin.writer(&s.key)
            } else {
                None
            };
            let stdin_once = s.container.get("stdinOnce") == Some(&Value::Bool(true));
            let mut resizes = Resizes::default();
            let mut next = cluster.logs.len(&s.key);
            loop {
                let (chunks, closed) = cluster.logs.read(&s.key, next);
                next += chunks.len();
                if s.stdout {
                    for (_, text) in chunks {
                        let text = if container_tty {
                            text.replace("\r\n", "\n").replace('\n', "\r\n")
                        } else {
                            text
                        };
                        let _ = out_tx.send((STDOUT, text.into_bytes()));
                    }
                }
                if closed {
                    let _ = out_tx.send((ERROR, exit_status(&[], &Ok(0)).to_string().into_bytes()));
                    break;
                }
                tokio::select! {
                    _ = cluster.logs.beyond(&s.key, next) => {}
                    m = in_rx.recv() => match (m, &writer) {
                        (Some(ClientMsg::Stdin(d)), Some(w)) if container_tty => {
                            let (echo, input) = tty_input(&d);
                            if !echo.is_empty() {
                                cluster.logs.push_raw(&s.key, echo);
                            }
                            for m in input {
                                let _ = w.send(m);
                            }
                        }
                        (Some(ClientMsg::Stdin(d)), Some(w)) => drop(w.send(StdinMsg::Data(d))),
                        // The client's end of stdin reaches the container only with `stdinOnce`
                        // (the kubelet's attach copies stdin; the runtime closes the
                        // container's stdin after the first attach only then: the container
                        // spec's `stdinOnce`), and then stays closed.
                        (Some(ClientMsg::StdinEof), Some(w)) if stdin_once => {
                            let _ = w.send(StdinMsg::Eof);
                            cluster.stdin.close(&s.key);
                        }
                        (Some(ClientMsg::Resize(b)), _) if container_tty && s.tty => {
                            for size in resizes.feed(&b) {
                                if cluster.stdin.resize(&s.key, size)
                                    && let Some(w) = cluster.stdin.writer(&s.key)
                                {
                                    let _ = w.send(StdinMsg::Winch);
                                }
                            }
                        }
                        (Some(ClientMsg::Closed) | None, w) => {
                            // `stdinOnce`: the container's stdin closes when its first attach ends.
                            if let Some(w) = w
                                && stdin_once
                            {
                                let _ = w.send(StdinMsg::Eof);
                                cluster.stdin.close(&s.key);
                            }
                            break;
                        }
                        _ => {}
                    },
                    _ = shutdown.changed() => break,
                }
            }
        }
        Some(command) => {
            // The exec's own process, on its own terminal when it asked for one.
            let (stdin_tx, stdin_rx) = mpsc::unbounded_channel();
            let size = s
                .tty
                .then(|| std::sync::Arc::new(std::sync::Mutex::new(Size::default())));
            let mut io = crate::shells::ExecIo {
                out: out_tx.clone(),
                stdin: s.stdin.then(|| crate::stdio::Input::new(stdin_rx)),
                env: crate::kubelet::container_env(&cluster, &s.pod, &s.container),
                hostname: s.key.1.clone(),
                tty: size.clone(),
                stdout: s.stdout,
                stderr: s.stderr,
            };
            let argv = command.clone();
            let process = async move { crate::shells::exec(&mut io, &argv).await };
            tokio::pin!(process);
            let mut resizes = Resizes::default();
            loop {
                tokio::select! {
                    result = &mut process => {
                        let _ = out_tx.send((ERROR, exit_status(&command, &result).to_string().into_bytes()));
                        break;
                    }
                    m = in_rx.recv() => match m {
                        Some(ClientMsg::Stdin(d)) => {
                            if s.tty {
                                let (echo, input) = tty_input(&d);
                                let _ = out_tx.send((STDOUT, echo.into_bytes()));
                                for m in input {
                                    let _ = stdin_tx.send(m);
                                }
                            } else {
                                let _ = stdin_tx.send(StdinMsg::Data(d));
                            }
                        }
                        Some(ClientMsg::StdinEof) => drop(stdin_tx.send(StdinMsg::Eof)),
                        Some(ClientMsg::Resize(b)) => {
                            if let Some(size) = &size {
                                for new in resizes.feed(&b) {
                                    let mut cur = size.lock().unwrap_or_else(|p| p.into_inner());
                                    if *cur != new {
                                        *cur = new;
                                        let _ = stdin_tx.send(StdinMsg::Winch);
                                    }
                                }
                            }
                        }
                        Some(ClientMsg::Closed) | None => break,
                    },
                    _ = shutdown.changed() => break,
                }
            }
        }
    }
    drop(out_tx);
    let _ = socket.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_as_the_kubelet_writes_them() {
        let cmd = vec!["sh".to_string(), "-c".into(), "exit 3".into()];
        assert_eq!(
            exit_status(&cmd, &Ok(3)).to_string(),
            r#"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
        );
        assert_eq!(
            exit_status(&cmd, &Ok(0)).to_string(),
            r#"{"metadata":{},"status":"Success"}"#
        );
    }

    #[test]
    fn terminal_input() {
        assert_eq!(
            tty_input(b"1+1\r"),
            (
                "1+1\r\n".to_string(),
                vec![StdinMsg::Data(b"1+1\n".to_vec())]
            )
        );
        assert_eq!(tty_input(b"\x04"), (String::new(), vec![StdinMsg::Eof]));
        // Ctrl-D after a whole line, in the same write (piped input ended by Ctrl-D), meets an
        // empty line: the end of input.
        assert_eq!(
            tty_input(b"x\ny\n\x04").1,
            vec![
                StdinMsg::Data(b"x\n".to_vec()),
                StdinMsg::Data(b"y\n".to_vec()),
                StdinMsg::Eof
            ]
        );
        // Ctrl-D after a partial line passes the line on; a second one is the end.
        assert_eq!(
            tty_input(b"ab\x04\x04").1,
            vec![StdinMsg::Data(b"ab".to_vec()), StdinMsg::Eof]
        );
        // Ctrl-C is SIGINT, and drops what this write typed before it (not yet read).
        assert_eq!(
            tty_input(b"abc\x03time\r"),
            (
                "abctime\r\n".to_string(),
                vec![StdinMsg::Interrupt, StdinMsg::Data(b"time\n".to_vec())]
            )
        );
    }

    #[test]
    fn resize_events_as_the_apiserver_decodes_them() {
        let mut r = Resizes::default();
        let s = |cols, rows| Size { cols, rows };
        assert_eq!(r.feed(br#"{"Width":100,"Height":30}"#), vec![s(100, 30)]);
        // Split across messages, two in one, and Go's case-insensitive field names.
        assert_eq!(r.feed(br#"{"Width":8"#), vec![]);
        assert_eq!(
            r.feed(br#"1,"Height":25}{"width":80,"height":24}"#),
            vec![s(81, 25), s(80, 24)]
        );
        assert_eq!(r.feed(br#" {"Height":5}"#), vec![s(0, 5)]);
        // A value no uint16 holds ends the stream.
        assert_eq!(r.feed(br#"{"Width":70000,"Height":1}"#), vec![]);
        assert_eq!(r.feed(br#"{"Width":1,"Height":1}"#), vec![]);
    }
}
