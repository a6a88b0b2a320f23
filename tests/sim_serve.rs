//! `spark-k8s-cli sim serve`: the ready line, the kubeconfig, a quota, and a clean exit on SIGTERM.
#![cfg(feature = "sim")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use common::home::{Home, text};

/// Sends `request`, a whole HTTP/1.1 request, to `server`; the connection, to read the answer.
fn send(server: &str, request: &str) -> TcpStream {
    let mut s = TcpStream::connect(server.trim_start_matches("http://")).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    s
}

/// The whole answer to `request`.
fn answer(server: &str, request: &str) -> String {
    let mut out = String::new();
    send(server, request).read_to_string(&mut out).unwrap();
    out
}

fn get(server: &str, path: &str) -> String {
    answer(
        server,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
}

/// Writes `yaml` as HOME/sim.yaml; its path, for `--config`.
fn sim_file(home: &Home, yaml: &str) -> String {
    home.write("sim.yaml", yaml).to_str().unwrap().to_string()
}

/// A HOME named `name` whose sim.yaml is `yaml`, and [`serve`] with `ARGS --config sim.yaml`
/// in it: the HOME, then what `serve` gives.
fn serve_config(name: &str, yaml: &str, args: &[&str]) -> (Home, Child, String, String) {
    let home = Home::new(name);
    let cfg = sim_file(&home, yaml);
    let (child, ready, config) = serve(&home, &[args, &["--config", &cfg]].concat());
    (home, child, ready, config)
}

/// `sim serve ARGS --kubeconfig-out HOME/kubeconfig` until it is ready: the process, its
/// ready line (`kubesim ready…`) and the kubeconfig it wrote.
fn serve(home: &Home, args: &[&str]) -> (Child, String, String) {
    let mut child = home
        .cli(&["sim", "serve"])
        .args(args)
        .arg("--kubeconfig-out")
        .arg(home.kubeconfig())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(ready.starts_with("kubesim ready"), "{ready}");
    let config = std::fs::read_to_string(home.kubeconfig()).unwrap();
    (child, ready, config)
}

/// The API servers a kubeconfig names.
fn servers(config: &str) -> Vec<&str> {
    config
        .lines()
        .filter_map(|l| l.trim().strip_prefix("server: "))
        .collect()
}

/// SIGTERM ends `sim serve` with exit 0.
fn stop(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

/// `sim serve ARGS --kubeconfig-out HOME/kubeconfig` must fail at once with exit 1; its stderr.
fn refused(home: &Home, args: &[&str]) -> String {
    let out = home
        .cli(&["sim", "serve", "--kubeconfig-out"])
        .arg(home.kubeconfig())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    text(&out.stderr)
}

#[test]
fn sim_serve_until_sigterm() {
    let home = Home::new("sim");
    let (child, _, config) = serve(
        &home,
        &["--clusters", "3", "--quota", "cpu=8,memory=32Gi,pods=10"],
    );
    for ctx in ["kubesim-1", "kubesim-2", "kubesim-3"] {
        assert!(
            config.contains(&format!("- name: {ctx}\n  context:")),
            "{config}"
        );
    }
    assert!(config.contains("current-context: kubesim-1"));
    let servers = servers(&config);
    assert_eq!(servers.len(), 3);
    for s in &servers {
        let reply = get(s, "/api/v1/namespaces/default/resourcequotas/compute");
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        assert!(reply.contains("\"pods\":\"10\""), "{reply}");
    }
    stop(child);
}

#[test]
fn sim_serve_rejects_bad_arguments() {
    let home = Home::new("simbad");
    let err = refused(&home, &["--quota", "cpu=lots"]);
    assert!(err.contains("'cpu=lots' is not resource=quantity"));
    let out = home.cli(&["sim", "serve"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kubeconfig-out"));
}

#[test]
fn sim_serve_reads_a_config_file_and_flags_win() {
    let (home, child, ready, config) = serve_config(
        "simcfg",
        "clusters: 3\nquota: {pods: \"7\"}\nnodes:\n- {cpu: \"2\", memory: 4Gi}\n",
        &["--clusters", "2"],
    );
    assert!(ready.starts_with("kubesim ready: 2 cluster(s)"), "{ready}");
    let server = servers(&config)[0];
    let quota = get(server, "/api/v1/namespaces/default/resourcequotas/compute");
    assert!(quota.contains("\"pods\":\"7\""), "{quota}");
    let nodes = get(server, "/api/v1/nodes");
    assert_eq!(nodes.matches("\"kind\":\"Node\"").count(), 1, "{nodes}");
    assert!(nodes.contains("\"cpu\":\"2\""), "{nodes}");
    stop(child);
    // A bad file: one clear error, exit 1.
    let err = refused(&home, &["--config", &sim_file(&home, "clustres: 3\n")]);
    assert!(err.contains("invalid sim config"), "{err}");
}

#[test]
fn sim_serve_latency_realistic_pulls_images_as_configured() {
    // The block alone would switch the profile on; the flag does too.
    let (home, child, _, config) = serve_config(
        "simlat",
        "latency:\n  seed: 5\n  imagePull: {medianMs: 300, p95Ms: 300}\n",
        &["--latency", "realistic"],
    );
    let server = servers(&config)[0];
    let body = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"example.org/app:1","command":["server"]}]}}"#;
    let reply = answer(
        server,
        &format!(
            "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    // The kubelet's Pulled event, with the configured pull time, on a bounded watch.
    let w = send(
        server,
        "GET /api/v1/namespaces/default/events?watch=true&timeoutSeconds=20 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    let pulled = BufReader::new(w)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("Successfully pulled image"))
        .expect("a Pulled event before the watch's timeout");
    assert!(
        pulled.contains(r#"Successfully pulled image \"example.org/app:1\" in 300ms (300ms including waiting). Image size: "#),
        "{pulled}"
    );
    stop(child);
    // A bad profile, on the command line or in the file: one clear error, exit 1.
    let err = refused(&home, &["--latency", "slow"]);
    assert!(err.contains("'slow'"));
    let cfg = sim_file(&home, "latency: {imagePull: {medianMs: 900, p95Ms: 100}}\n");
    let err = refused(&home, &["--config", &cfg]);
    assert!(
        err.contains("invalid sim config") && err.contains("p95Ms"),
        "{err}"
    );
}
