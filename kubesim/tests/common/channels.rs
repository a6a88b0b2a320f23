//! A minimal client of the channel protocols attach and exec speak (`v4.channel.k8s.io`,
//! `v5.channel.k8s.io`): the WebSocket handshake, masked frames out, unmasked frames in.

use std::time::Duration;

use kubesim::Sim;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const TOKEN: &str = "kubesim-token";

/// A minimal channel-protocol client: masked frames out, unmasked frames in.
pub struct Session {
    stream: TcpStream,
}

/// The handshake's answer: status line and headers, or the Status body of a refusal.
pub enum Handshake {
    Upgraded(Session, String),
    Refused(u16, Value),
}

pub async fn open(sim: &Sim, path: &str, protocols: &str, upgrade: bool) -> Handshake {
    let mut stream = TcpStream::connect(&sim.clusters[0].address).await.unwrap();
    let upgrade = if upgrade {
        format!(
            "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: {protocols}\r\n"
        )
    } else {
        "Connection: close\r\n".into()
    };
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: kubesim\r\nAuthorization: Bearer {TOKEN}\r\n{upgrade}\r\n"
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    // Read the head byte by byte, so no frame is swallowed.
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut b = [0u8; 1];
        stream.read_exact(&mut b).await.unwrap();
        head.push(b[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let code: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    if code == 101 {
        return Handshake::Upgraded(Session { stream }, head);
    }
    let len: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("a refusal has a body");
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).await.unwrap();
    Handshake::Refused(code, serde_json::from_slice(&body).unwrap())
}

pub async fn upgraded(sim: &Sim, path: &str, protocols: &str) -> (Session, String) {
    match open(sim, path, protocols, true).await {
        Handshake::Upgraded(s, head) => (s, head),
        Handshake::Refused(code, body) => panic!("refused {code}: {body}"),
    }
}

pub async fn refused(sim: &Sim, path: &str, upgrade: bool) -> (u16, String) {
    match open(sim, path, "v5.channel.k8s.io", upgrade).await {
        Handshake::Refused(code, body) => (code, body["message"].as_str().unwrap().to_string()),
        Handshake::Upgraded(..) => panic!("{path} was upgraded"),
    }
}

impl Session {
    pub async fn send(&mut self, opcode: u8, payload: &[u8]) {
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        let mut f = vec![0x80 | opcode];
        match payload.len() {
            n if n < 126 => f.push(0x80 | n as u8),
            n => {
                f.push(0x80 | 126);
                f.extend_from_slice(&u16::try_from(n).unwrap().to_be_bytes());
            }
        }
        f.extend_from_slice(&mask);
        f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&f).await.unwrap();
    }

    pub async fn stdin(&mut self, text: &str) {
        let mut p = vec![0u8];
        p.extend_from_slice(text.as_bytes());
        self.send(0x2, &p).await;
    }

    /// A terminal size on the resize channel (4), as kubectl and kube-rs send it.
    pub async fn resize(&mut self, width: u16, height: u16) {
        let mut p = vec![4u8];
        p.extend_from_slice(format!(r#"{{"Width":{width},"Height":{height}}}"#).as_bytes());
        self.send(0x2, &p).await;
    }

    /// The next message: (opcode, payload); `None` once the connection ends. Pings are answered.
    pub async fn next(&mut self) -> Option<(u8, Vec<u8>)> {
        match self.next_frame().await {
            // A ping is answered (RFC 6455 5.5.2) and is not a message.
            Some((0x9, p)) => {
                self.send(0xA, &p).await;
                Box::pin(self.next()).await
            }
            other => other,
        }
    }

    /// The next frame as it comes, pings included.
    pub async fn next_frame(&mut self) -> Option<(u8, Vec<u8>)> {
        let read = async {
            let mut h = [0u8; 2];
            self.stream.read_exact(&mut h).await.ok()?;
            assert_eq!(h[1] & 0x80, 0, "server frames are never masked");
            let len = match h[1] & 0x7F {
                126 => {
                    let mut b = [0u8; 2];
                    self.stream.read_exact(&mut b).await.ok()?;
                    usize::from(u16::from_be_bytes(b))
                }
                127 => panic!("no huge frames here"),
                n => usize::from(n),
            };
            let mut p = vec![0u8; len];
            self.stream.read_exact(&mut p).await.ok()?;
            Some((h[0] & 0x0F, p))
        };
        tokio::time::timeout(Duration::from_secs(20), read)
            .await
            .expect("a frame within 20 s")
    }

    /// Reads until the error channel's Status: (stdout, stderr, Status), then expects the close.
    pub async fn finish(&mut self) -> (String, String, Value) {
        let (mut out, mut err) = (String::new(), String::new());
        loop {
            let (op, p) = self.next().await.expect("a Status before the end");
            assert_eq!(op, 0x2, "channel messages are binary");
            match p[0] {
                1 => out.push_str(&String::from_utf8_lossy(&p[1..])),
                2 => err.push_str(&String::from_utf8_lossy(&p[1..])),
                3 => {
                    let status: Value = serde_json::from_slice(&p[1..]).unwrap();
                    let (op, p) = self.next().await.expect("a close frame");
                    assert_eq!((op, &p[..]), (0x8, &1000u16.to_be_bytes()[..]));
                    return (out, err, status);
                }
                c => panic!("unexpected channel {c}"),
            }
        }
    }

    /// Types `keys`, then reads stdout until it contains `want`; returns everything read.
    pub async fn eval(&mut self, keys: &str, want: &str) -> String {
        self.stdin(keys).await;
        self.until(want).await
    }

    /// Reads stdout until it contains `want`; returns everything read.
    pub async fn until(&mut self, want: &str) -> String {
        let mut out = String::new();
        while !out.contains(want) {
            let (_, p) = self
                .next()
                .await
                .unwrap_or_else(|| panic!("ended before {want:?}: {out}"));
            if p.first() == Some(&1) {
                out.push_str(&String::from_utf8_lossy(&p[1..]));
            }
        }
        out
    }
}
