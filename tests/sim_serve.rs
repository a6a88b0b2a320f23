//! `spark-k8s-cli sim serve`: the ready line, the kubeconfig, a quota, and a clean exit on SIGTERM.
#![cfg(feature = "sim")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_spark-k8s-cli");

fn get(server: &str, path: &str) -> String {
    let addr = server.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn sim_serve_until_sigterm() {
    let dir = std::env::temp_dir().join(format!("sk8s-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let kc = dir.join("kubeconfig");
    let mut child = Command::new(BIN)
        .args([
            "sim",
            "serve",
            "--clusters",
            "3",
            "--quota",
            "cpu=8,memory=32Gi,pods=10",
            "--kubeconfig-out",
        ])
        .arg(&kc)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    assert!(ready.starts_with("kubesim ready"), "{ready}");
    let config = std::fs::read_to_string(&kc).unwrap();
    for ctx in ["kubesim-1", "kubesim-2", "kubesim-3"] {
        assert!(
            config.contains(&format!("- name: {ctx}\n  context:")),
            "{config}"
        );
    }
    assert!(config.contains("current-context: kubesim-1"));
    let servers: Vec<&str> = config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server: "))
        .collect();
    assert_eq!(servers.len(), 3);
    for s in &servers {
        let reply = get(s, "/api/v1/namespaces/default/resourcequotas/compute");
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains("\"pods\":\"10\""), "{reply}");
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sim_serve_rejects_bad_arguments() {
    let out = Command::new(BIN)
        .args([
            "sim",
            "serve",
            "--kubeconfig-out",
            "/tmp/x",
            "--quota",
            "cpu=lots",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'cpu=lots' is not resource=quantity"));
    let out = Command::new(BIN).args(["sim", "serve"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kubeconfig-out"));
}

#[test]
fn sim_serve_reads_a_config_file_and_flags_win() {
    let dir = std::env::temp_dir().join(format!("sk8s-simcfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("sim.yaml");
    std::fs::write(
        &cfg,
        "clusters: 3\nquota: {pods: \"7\"}\nnodes:\n- {cpu: \"2\", memory: 4Gi}\n",
    )
    .unwrap();
    let kc = dir.join("kubeconfig");
    let mut child = Command::new(BIN)
        .args(["sim", "serve", "--clusters", "2", "--config"])
        .arg(&cfg)
        .arg("--kubeconfig-out")
        .arg(&kc)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ready = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(ready.starts_with("kubesim ready: 2 cluster(s)"), "{ready}");
    let config = std::fs::read_to_string(&kc).unwrap();
    let server = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .unwrap()
        .to_string();
    let quota = get(&server, "/api/v1/namespaces/default/resourcequotas/compute");
    assert!(quota.contains("\"pods\":\"7\""), "{quota}");
    let nodes = get(&server, "/api/v1/nodes");
    assert_eq!(nodes.matches("\"kind\":\"Node\"").count(), 1, "{nodes}");
    assert!(nodes.contains("\"cpu\":\"2\""), "{nodes}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // A bad file: one clear error, exit 1.
    std::fs::write(&cfg, "clustres: 3\n").unwrap();
    let out = Command::new(BIN)
        .args(["sim", "serve", "--kubeconfig-out"])
        .arg(&kc)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("invalid sim config"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sim_serve_latency_realistic_pulls_images_as_configured() {
    let dir = std::env::temp_dir().join(format!("sk8s-simlat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("sim.yaml");
    // The block alone would switch the profile on; the flag below does too.
    std::fs::write(
        &cfg,
        "latency:\n  seed: 5\n  imagePull: {medianMs: 300, p95Ms: 300}\n",
    )
    .unwrap();
    let kc = dir.join("kubeconfig");
    let mut child = Command::new(BIN)
        .args(["sim", "serve", "--latency", "realistic", "--config"])
        .arg(&cfg)
        .arg("--kubeconfig-out")
        .arg(&kc)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let ready = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(ready.starts_with("kubesim ready"), "{ready}");
    let config = std::fs::read_to_string(&kc).unwrap();
    let server = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("server: "))
        .unwrap()
        .to_string();
    let addr = server.trim_start_matches("http://");
    let body = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"example.org/app:1","command":["server"]}]}}"#;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    // The kubelet's Pulled event, with the configured pull time, on a bounded watch.
    let mut w = TcpStream::connect(addr).unwrap();
    write!(
        w,
        "GET /api/v1/namespaces/default/events?watch=true&timeoutSeconds=20 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let pulled = BufReader::new(w)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("Successfully pulled image"))
        .expect("a Pulled event before the watch's timeout");
    assert!(
        pulled.contains(r#"Successfully pulled image \"example.org/app:1\" in 300ms (300ms including waiting). Image size: "#),
        "{pulled}"
    );
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // A bad profile, on the command line or in the file: one clear error, exit 1.
    let out = Command::new(BIN)
        .args(["sim", "serve", "--latency", "slow", "--kubeconfig-out"])
        .arg(&kc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'slow'"));
    std::fs::write(&cfg, "latency: {imagePull: {medianMs: 900, p95Ms: 100}}\n").unwrap();
    let out = Command::new(BIN)
        .args(["sim", "serve", "--kubeconfig-out"])
        .arg(&kc)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid sim config") && err.contains("p95Ms"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
