//! A real HTTP/1.1 server on a local port standing in for an alert sink (webhook or Slack):
//! records what it is sent, and answers 200, 500, or never. Shared by `tests/alerts.rs` and
//! `benches/alerts.rs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request a sink server received.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

/// How a sink server answers.
#[derive(Clone, Copy, PartialEq)]
pub enum Answer {
    Ok,
    Fail500,
    Hang,
}

/// A real HTTP/1.1 server on a local port that records what it is sent.
pub struct SinkServer {
    pub url: String,
    pub got: Arc<Mutex<Vec<Received>>>,
}

impl SinkServer {
    pub async fn start(answer: Answer) -> SinkServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook/secret-path", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = got.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 8192];
                    // Headers, then Content-Length bytes of body.
                    let (head, body_start) = loop {
                        let Ok(n) = sock.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break (String::from_utf8_lossy(&buf[..i]).into_owned(), i + 4);
                        }
                    };
                    let mut lines = head.lines();
                    let path = lines
                        .next()
                        .and_then(|l| l.split(' ').nth(1))
                        .unwrap_or_default()
                        .to_string();
                    let headers: BTreeMap<String, String> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let len: usize = headers
                        .get("content-length")
                        .and_then(|l| l.parse().ok())
                        .unwrap_or(0);
                    while buf.len() < body_start + len {
                        let Ok(n) = sock.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = String::from_utf8_lossy(&buf[body_start..]).into_owned();
                    seen.lock().unwrap().push(Received {
                        path,
                        headers,
                        body,
                    });
                    let status = match answer {
                        Answer::Ok => "200 OK",
                        Answer::Fail500 => "500 Internal Server Error",
                        Answer::Hang => {
                            std::future::pending::<()>().await;
                            unreachable!()
                        }
                    };
                    let _ = sock
                        .write_all(
                            format!("HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                                .as_bytes(),
                        )
                        .await;
                });
            }
        });
        SinkServer { url, got }
    }

    pub fn bodies(&self) -> Vec<Value> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{}: {e}", r.body)))
            .collect()
    }
}
