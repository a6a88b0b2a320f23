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
