//! Benchmark: pod creates per second over real HTTP (keep-alive connections) while 500 watches
//! are open, as 500 launchers would hold them: each follows one pod by name
//! (`fieldSelector=metadata.name=…`), and must see it created. Prints a table; run with
//! `cargo bench -p kubesim --bench throughput`. Target (issue 4): ≥ 2,000 creates/s with 500 watches.

use std::time::{Duration, Instant};

use kubesim::{Sim, SimConfig};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CLIENTS: usize = 8;
const PODS_PER_CLIENT: usize = 500;

/// Open watches (500 for the target; `KUBESIM_BENCH_WATCHES` to explore).
fn watches() -> usize {
    std::env::var("KUBESIM_BENCH_WATCHES")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(500)
}

/// One request on a keep-alive connection; returns the status code.
async fn request(r: &mut BufReader<TcpStream>, method: &str, path: &str, body: &str) -> u16 {
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    r.get_mut().write_all(req.as_bytes()).await.unwrap();
    let mut status = String::new();
    r.read_line(&mut status).await.unwrap();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).await.unwrap();
        if h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut buf = vec![0; len];
    r.read_exact(&mut buf).await.unwrap();
    status.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Opens a watch on one pod name and waits until it sees that pod ADDED.
async fn watcher(addr: String, name: String, want: usize) -> Duration {
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let req = format!(
        "GET /api/v1/namespaces/default/pods?watch=true&resourceVersion=1&fieldSelector=metadata.name%3D{name} HTTP/1.1\r\nHost: b\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut lines = BufReader::new(s).lines();
    let start = Instant::now();
    let mut added = 0;
    while added < want {
        let Some(line) = lines.next_line().await.unwrap() else {
            break;
        };
        if line.starts_with("{\"type\":\"ADDED\"") {
            added += 1;
        }
    }
    assert_eq!(added, want, "a watch missed pods");
    start.elapsed()
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    #[allow(non_snake_case)]
    let WATCHES = watches();
    rt.block_on(async {
        let sim = Sim::start(SimConfig::default()).await.unwrap();
        let addr = sim.clusters[0].address.clone();
        let total = CLIENTS * PODS_PER_CLIENT;
        let mut watches = Vec::new();
        for w in 0..WATCHES {
            // Spread over the pods the clients will create.
            let name = format!("p-{}-{}", w % CLIENTS, (w / CLIENTS) % PODS_PER_CLIENT);
            watches.push(tokio::spawn(watcher(addr.clone(), name, 1)));
        }
        let mut opened = sim.clusters[0].store.watches_opened.subscribe();
        opened.wait_for(|n| *n as usize > WATCHES).await.unwrap();
        let start = Instant::now();
        let mut clients = Vec::new();
        for c in 0..CLIENTS {
            let addr = addr.clone();
            clients.push(tokio::spawn(async move {
                let mut r = BufReader::new(TcpStream::connect(&addr).await.unwrap());
                for i in 0..PODS_PER_CLIENT {
                    let body = format!(r#"{{"metadata":{{"name":"p-{c}-{i}","labels":{{"app":"bench"}}}},"spec":{{"containers":[{{"name":"c","image":"nginx:1.27","resources":{{"requests":{{"cpu":"10m","memory":"16Mi"}}}}}}]}}}}"#);
                    let code = request(&mut r, "POST", "/api/v1/namespaces/default/pods", &body).await;
                    assert_eq!(code, 201);
                }
            }));
        }
        for c in clients {
            c.await.unwrap();
        }
        let create_time = start.elapsed();
        for w in watches {
            w.await.unwrap();
        }
        let delivered = start.elapsed();
        let rate = total as f64 / create_time.as_secs_f64();
        println!("\nkubesim throughput ({CLIENTS} keep-alive clients, {WATCHES} open watches by pod name, kubelet running every pod)");
        println!("{:<44} {:>12}", "measure", "value");
        println!("{:<44} {:>12}", "pods created", total);
        println!("{:<44} {:>12.0}", "creates per second", rate);
        println!("{:<44} {:>12.2}", "seconds until every watch saw its pod", delivered.as_secs_f64());
        println!("\ncreates/s {:.0}: {} the 2,000/s target", rate, if rate >= 2000.0 { "meets" } else { "MISSES" });
    });
}
