//! WebSocket (RFC 6455): watches, as fabric8 (Spark's client) asks for them first, and attach /
//! exec sessions in Kubernetes' channel protocols (`v4.channel.k8s.io`, `v5.channel.k8s.io`):
//! the handshake, unmasked frames from the server, the client's masked data, close and ping frames.

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// SHA-1 (RFC 3174), for the handshake only.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64) * 8;
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([
                chunk[4 * i],
                chunk[4 * i + 1],
                chunk[4 * i + 2],
                chunk[4 * i + 3],
            ]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

/// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    crate::validate::base64(&sha1(format!("{}{GUID}", key.trim()).as_bytes()))
}

/// A server frame (never masked): FIN + opcode, then the payload.
fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x80 | opcode);
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= 0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// Reads one client frame: (opcode, unmasked payload); `None` at the end of the stream.
async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Option<(u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    r.read_exact(&mut head).await.ok()?;
    let opcode = head[0] & 0x0F;
    let masked = head[1] & 0x80 != 0;
    let len = match head[1] & 0x7F {
        126 => {
            let mut b = [0u8; 2];
            r.read_exact(&mut b).await.ok()?;
            u64::from(u16::from_be_bytes(b))
        }
        127 => {
            let mut b = [0u8; 8];
            r.read_exact(&mut b).await.ok()?;
            u64::from_be_bytes(b)
        }
        n => u64::from(n),
    };
    if len > 1 << 20 {
        return None;
    }
    let mut mask = [0u8; 4];
    if masked {
        r.read_exact(&mut mask).await.ok()?;
    }
    let mut payload = vec![0u8; len as usize];
    r.read_exact(&mut payload).await.ok()?;
    if masked {
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
    }
    Some((opcode, payload))
}

/// What a connection sends: watch events, or channel-session output.
enum Outgoing {
    /// Watch lines, each a text message without its trailing newline.
    Lines(tokio::sync::mpsc::Receiver<Bytes>),
    /// `(channel, bytes)`, each a binary message: the channel byte, then the bytes.
    Channels(tokio::sync::mpsc::UnboundedReceiver<(u8, Vec<u8>)>),
}

impl Outgoing {
    /// The next encoded frame; `None` when the sender is done.
    async fn next_frame(&mut self) -> Option<Vec<u8>> {
        match self {
            Outgoing::Lines(rx) => rx
                .recv()
                .await
                .map(|l| frame(0x1, l.strip_suffix(b"\n").unwrap_or(&l))),
            Outgoing::Channels(rx) => rx.recv().await.map(|(ch, data)| {
                let mut payload = Vec::with_capacity(data.len() + 1);
                payload.push(ch);
                payload.extend_from_slice(&data);
                frame(0x2, &payload)
            }),
        }
    }
}

/// How long a channel session waits for the client's pong before sending output anyway (a
/// client that never reads).
const READY_PING_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The start-up of an attach or exec after the client's pong (a real one goes through the
/// apiserver, the kubelet and the container runtime before any output exists): longer than a
/// scheduler period, so a client thread descheduled on a busy machine has made its streams.
const EXEC_START: std::time::Duration = std::time::Duration::from_millis(50);

/// Runs one WebSocket connection: frames from `out` until it ends, then a normal close; pings
/// are answered; every data message goes to `on_message` (`false` stops reading), and `None` to
/// it once the client has closed. With `linger`, a client's close does not end the sending.
/// With `ping_first`, nothing from `out` is sent before the client has answered a ping (or
/// [`READY_PING_WAIT`] has passed): see [`channels`].
async fn serve<IO>(
    io: IO,
    mut out: Outgoing,
    mut on_message: impl FnMut(Option<(u8, Vec<u8>)>) -> bool,
    linger: bool,
    ping_first: bool,
) where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    let (mut rd, mut wr) = tokio::io::split(io);
    let (pong_tx, mut pong_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
    let mut ready_tx = Some(ready_tx);
    let reader = async {
        while let Some((opcode, payload)) = read_frame(&mut rd).await {
            match opcode {
                0x8 => break,
                0x9 => {
                    let _ = pong_tx.send(payload).await;
                }
                0xA => {
                    if let Some(tx) = ready_tx.take() {
                        let _ = tx.send(());
                    }
                }
                _ => {
                    if !on_message(Some((opcode, payload))) {
                        break;
                    }
                }
            }
        }
        on_message(None);
        if linger {
            std::future::pending::<()>().await;
        }
    };
    let writer = async {
        if ping_first {
            if wr.write_all(&frame(0x9, b"kubesim")).await.is_err() {
                return;
            }
            let _ = tokio::time::timeout(READY_PING_WAIT, ready_rx).await;
            // The pong comes from kubectl's reader, which runs beside (not after) the code making
            // its streams: a descheduled thread can still be making them (measured: 1 lost
            // stdout in 800 runs under load with the pong alone). A real exec reaches the
            // runtime through the apiserver and kubelet first; this models that start-up.
            tokio::time::sleep(EXEC_START).await;
        }
        loop {
            tokio::select! {
                f = out.next_frame() => match f {
                    Some(f) => if wr.write_all(&f).await.is_err() { return; },
                    None => {
                        let _ = wr.write_all(&frame(0x8, &1000u16.to_be_bytes())).await;
                        return;
                    }
                },
                Some(p) = pong_rx.recv() => {
                    if wr.write_all(&frame(0xA, &p)).await.is_err() { return; }
                }
            }
        }
    };
    tokio::select! {
        _ = reader => {}
        _ = writer => {}
    }
    let _ = wr.shutdown().await;
}

/// Sends each watch line as a text message until the lines end or the client closes.
pub async fn pump<IO>(io: IO, lines: tokio::sync::mpsc::Receiver<Bytes>)
where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    serve(io, Outgoing::Lines(lines), |_| true, false, false).await;
}

/// The channel protocols served for attach and exec, in no particular order: the client's
/// order of preference decides.
pub const CHANNEL_PROTOCOLS: [&str; 2] = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

/// The first of the client's offered subprotocols that is `served`.
pub fn negotiate<'a>(
    offered: impl Iterator<Item = &'a str>,
    served: &[&'static str],
) -> Option<&'static str> {
    offered
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .find_map(|p| served.iter().find(|s| **s == p).copied())
}

/// What the client sends in a channel session.
#[derive(Debug, PartialEq)]
pub enum ClientMsg {
    Stdin(Vec<u8>),
    /// v5's close signal for stdin (`[255, 0]`).
    StdinEof,
    /// Channel 4's bytes: part of a stream of JSON terminal sizes (`{"Width":W,"Height":H}`).
    Resize(Vec<u8>),
    /// The client closed the WebSocket (or the connection ended).
    Closed,
}

/// Runs one channel session: each `(channel, bytes)` from `out` becomes a binary message
/// (channel byte + payload) until `out` ends, then a normal close; client messages arrive on
/// `input`. A client's close is reported (`Closed`) and the session still gets its last frames.
///
/// The first message waits for the client's pong to a ping sent right after the upgrade.
/// kubectl 1.30-1.33 (client-go `tools/remotecommand/websocket.go`, `StreamWithContext`) starts
/// its frame reader in a goroutine *before* it creates its stdout/stderr/error streams, and
/// drops every message for a stream it has not created yet (`Unknown stream id %d, discarding
/// message`; fixed upstream only by kubernetes/kubernetes#131203). A real apiserver reaches the
/// container runtime before any output exists; kubesim's process answers in microseconds, so on
/// a busy machine a whole exec's stdout could land in that window and be lost. The pong comes
/// from that reader, which only runs once the streams are being made.
pub async fn channels<IO>(
    io: IO,
    out: tokio::sync::mpsc::UnboundedReceiver<(u8, Vec<u8>)>,
    input: tokio::sync::mpsc::UnboundedSender<ClientMsg>,
) where
    IO: AsyncRead + AsyncWrite + Unpin,
{
    let on_message = |m: Option<(u8, Vec<u8>)>| {
        let msg = match m {
            None => ClientMsg::Closed,
            // Binary, or text as Python sends a `str` (its first character is the channel).
            Some((0x1 | 0x2, payload)) => match payload.split_first() {
                Some((0, data)) => ClientMsg::Stdin(data.to_vec()),
                Some((4, data)) => ClientMsg::Resize(data.to_vec()),
                Some((255, [0, ..])) => ClientMsg::StdinEof,
                _ => return true,
            },
            Some(_) => return true,
        };
        input.send(msg).is_ok()
    };
    serve(io, Outgoing::Channels(out), on_message, true, true).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_key_from_rfc_6455() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert_eq!(
            sha1(b"abc")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn frames() {
        assert_eq!(frame(0x1, b"hi"), vec![0x81, 2, b'h', b'i']);
        let big = frame(0x1, &vec![0u8; 300]);
        assert_eq!(&big[..4], &[0x81, 126, 1, 44]);
    }

    #[test]
    fn subprotocols_in_the_clients_order() {
        let all = &CHANNEL_PROTOCOLS;
        let offer = ["v5.channel.k8s.io, v4.channel.k8s.io"];
        assert_eq!(negotiate(offer.into_iter(), all), Some("v5.channel.k8s.io"));
        // An API server before 1.30 answers kube-rs's offer with v4.
        assert_eq!(
            negotiate(offer.into_iter(), &all[1..]),
            Some("v4.channel.k8s.io")
        );
        let offer = [
            "base64.channel.k8s.io",
            "v4.channel.k8s.io,v5.channel.k8s.io",
        ];
        assert_eq!(negotiate(offer.into_iter(), all), Some("v4.channel.k8s.io"));
        assert_eq!(negotiate(["channel.k8s.io"].into_iter(), all), None);
    }

    #[tokio::test]
    async fn reads_masked_client_frames() {
        let payload = b"bye";
        let mask = [1u8, 2, 3, 4];
        let mut f = vec![0x88, 0x80 | 3];
        f.extend_from_slice(&mask);
        f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        let mut r = &f[..];
        assert_eq!(read_frame(&mut r).await, Some((0x8, b"bye".to_vec())));
        assert_eq!(read_frame(&mut r).await, None);
    }
}
