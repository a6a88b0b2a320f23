//! Attach and exec sessions over a channel-protocol WebSocket: what the kubelet's streaming
//! server does once the upgrade is done.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch};

use crate::api::StreamSession;
use crate::cluster::Cluster;
use crate::stdio::StdinMsg;
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

/// A terminal's line discipline on input: echo, CR → LF, Ctrl-D → end of input.
fn tty_input(data: &[u8]) -> (String, Vec<u8>, bool) {
    let mut echo = String::new();
    let mut input = Vec::with_capacity(data.len());
    for &b in data {
        match b {
            0x04 => return (echo, input, true),
            b'\r' | b'\n' => {
                echo.push_str("\r\n");
                input.push(b'\n');
            }
            _ => {
                echo.push(char::from(b));
                input.push(b);
            }
        }
    }
    (echo, input, false)
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
                            let (echo, input, eof) = tty_input(&d);
                            cluster.logs.push_raw(&s.key, echo);
                            let _ = w.send(StdinMsg::Data(input));
                            if eof {
                                let _ = w.send(StdinMsg::Eof);
                            }
                        }
                        (Some(ClientMsg::Stdin(d)), Some(w)) => drop(w.send(StdinMsg::Data(d))),
                        (Some(ClientMsg::StdinEof), Some(w)) => drop(w.send(StdinMsg::Eof)),
                        (Some(ClientMsg::Closed) | None, w) => {
                            // `stdinOnce`: the container's stdin closes when its first attach ends.
                            if let Some(w) = w
                                && s.container.get("stdinOnce") == Some(&Value::Bool(true))
                            {
                                let _ = w.send(StdinMsg::Eof);
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
            let (stdin_tx, stdin_rx) = mpsc::unbounded_channel();
            let mut io = crate::shells::ExecIo {
                out: out_tx.clone(),
                stdin: s.stdin.then_some(stdin_rx),
                env: crate::kubelet::container_env(&cluster, &s.pod, &s.container),
                hostname: s.key.1.clone(),
                tty: s.tty,
                stdout: s.stdout,
                stderr: s.stderr,
            };
            let argv = command.clone();
            let process = async move { crate::shells::exec(&mut io, &argv).await };
            tokio::pin!(process);
            loop {
                tokio::select! {
                    result = &mut process => {
                        let _ = out_tx.send((ERROR, exit_status(&command, &result).to_string().into_bytes()));
                        break;
                    }
                    m = in_rx.recv() => match m {
                        Some(ClientMsg::Stdin(d)) => {
                            if s.tty {
                                let (echo, input, eof) = tty_input(&d);
                                let _ = out_tx.send((STDOUT, echo.into_bytes()));
                                let _ = stdin_tx.send(StdinMsg::Data(input));
                                if eof {
                                    let _ = stdin_tx.send(StdinMsg::Eof);
                                }
                            } else {
                                let _ = stdin_tx.send(StdinMsg::Data(d));
                            }
                        }
                        Some(ClientMsg::StdinEof) => drop(stdin_tx.send(StdinMsg::Eof)),
                        Some(ClientMsg::Resize) => {}
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
            ("1+1\r\n".to_string(), b"1+1\n".to_vec(), false)
        );
        assert_eq!(tty_input(b"\x04"), (String::new(), vec![], true));
    }
}
