//! Conformance with Spark's own JVM spark-submit (the pinned `pyspark` package, in the tests' own
//! virtualenv) in cluster mode against kubesim: it must create its objects, watch the emulated
//! driver and report its final state exactly as against a real cluster.

#[path = "pyenv/mod.rs"]
mod pyenv;

use std::path::Path;

use kubesim::{Sim, SimConfig};

fn run(bin: &Path, server: &str, name: &str, confs: &[&str]) -> (i32, String) {
    let mut args: Vec<String> = [
        "--master",
        &format!("k8s://{server}"),
        "--deploy-mode",
        "cluster",
        "--name",
        name,
        "--class",
        "org.apache.spark.examples.SparkPi",
        "--conf",
        "spark.kubernetes.container.image=apache/spark:4.0.0",
        "--conf",
        "spark.kubernetes.authenticate.submission.oauthToken=kubesim-token",
        "--conf",
        "spark.kubernetes.report.interval=200ms",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for c in confs {
        args.extend(["--conf".to_string(), c.to_string()]);
    }
    args.extend([
        "local:///opt/spark/examples/jars/spark-examples.jar".to_string(),
        "10".to_string(),
    ]);
    pyenv::run_spark_submit(bin, &args, &format!("kubesim-jvm-{name}"), &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jvm_spark_submit_against_kubesim() {
    let bin = pyenv::spark_submit();
    let sim = Sim::start(SimConfig::default()).await.unwrap();
    // The successful run goes over TLS: fabric8 verifies kubesim's CA.
    let tls_sim = Sim::start(SimConfig {
        tls: true,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let ca_file = std::env::temp_dir().join(format!("kubesim-jvm-ca-{}.pem", std::process::id()));
    std::fs::write(&ca_file, tls_sim.ca_pem.clone().unwrap()).unwrap();
    let ca_conf = format!(
        "spark.kubernetes.authenticate.submission.caCertFile={}",
        ca_file.display()
    );
    let tls_server = tls_sim.url(0);
    let quota_sim = Sim::start(SimConfig {
        quota: Some(vec![("requests.memory".into(), "1Gi".into())]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (server, quota_server) = (sim.url(0), quota_sim.url(0));
    let results = tokio::task::spawn_blocking(move || {
        std::thread::scope(|s| {
            let ok = s.spawn(|| {
                run(
                    &bin,
                    &tls_server,
                    "pi-ok",
                    &["spark.kubesim.driver.durationSeconds=1", &ca_conf],
                )
            });
            let failing = s.spawn(|| {
                run(
                    &bin,
                    &server,
                    "pi-fail",
                    &[
                        "spark.kubesim.driver.durationSeconds=1",
                        "spark.kubesim.driver.exitCode=3",
                    ],
                )
            });
            let refused = s.spawn(|| run(&bin, &quota_server, "pi-refused", &[]));
            // A name with no character of [a-z0-9-] (the emulated spark-submit must name things
            // as this one does: tests/kubelet.rs a_non_ascii_app_name_gets_valid_resource_names).
            let japanese = s.spawn(|| {
                run(
                    &bin,
                    &server,
                    "名前",
                    // The service outlives the driver, to be read below.
                    &[
                        "spark.kubesim.driver.durationSeconds=0.5",
                        "spark.kubernetes.driver.service.deleteOnTermination=false",
                    ],
                )
            });
            (
                ok.join().unwrap(),
                failing.join().unwrap(),
                refused.join().unwrap(),
                japanese.join().unwrap(),
            )
        })
    })
    .await
    .unwrap();
    let ((ok_code, ok_out), (fail_code, fail_out), (refused_code, refused_out), (jp_code, jp_out)) =
        results;

    // Success: exit 0, the driver's pod name and a zero exit code in the status lines.
    assert_eq!(ok_code, 0, "{ok_out}");
    assert!(ok_out.contains("Container final statuses:"), "{ok_out}");
    assert!(ok_out.contains("\t exit code: 0\n"), "{ok_out}");
    assert!(ok_out.contains("termination reason: Completed"), "{ok_out}");
    assert!(
        ok_out
            .lines()
            .any(|l| l.trim().starts_with("pod name: pi-ok-") && l.trim().ends_with("-driver")),
        "{ok_out}"
    );
    assert!(ok_out.contains("spark-app-selector -> spark-"), "{ok_out}");

    // A failing driver: spark-submit still exits 0; only the status lines carry the failure.
    assert_eq!(fail_code, 0, "{fail_out}");
    assert!(fail_out.contains("\t exit code: 3\n"), "{fail_out}");
    assert!(fail_out.contains("termination reason: Error"), "{fail_out}");

    // The driver refused by quota: exit 1 with the server's message, as fabric8 reports it.
    assert_eq!(refused_code, 1, "{refused_out}");
    assert!(
        refused_out
            .contains("Please check \"kubectl auth can-i create pod\" first. It should be yes."),
        "{refused_out}"
    );
    assert!(refused_out.contains("is forbidden: exceeded quota: compute, requested: requests.memory=1408Mi, used: requests.memory=0, limited: requests.memory=1Gi"), "{refused_out}");

    // 名前: Spark 4's resource name prefix is the unique id alone (KubernetesConf.
    // getResourceNamePrefix drops the leading '-'), so the driver and its service are valid.
    assert_eq!(jp_code, 0, "{jp_out}");
    assert!(jp_out.contains("\t exit code: 0\n"), "{jp_out}");
    let services = kubesim::resources::find("", "v1", "services").unwrap();
    let (svcs, _) = sim.clusters[0].store.list(
        services,
        Some("default"),
        &Default::default(),
        &Default::default(),
    );
    let jp_svc: Vec<&str> = svcs
        .iter()
        .filter_map(|s| s["metadata"]["name"].as_str())
        .filter(|n| !n.starts_with("pi-"))
        .collect();
    assert!(
        jp_svc.len() == 1
            && jp_svc[0].ends_with("-driver-svc")
            && !jp_svc[0].trim_end_matches("-driver-svc").contains('-'),
        "{jp_svc:?}\n{jp_out}"
    );

    // What spark-submit did on each cluster: the driver POST, the service and config map
    // applied server-side, the watch on the driver (over WebSocket).
    for c in [&sim.clusters[0], &tls_sim.clusters[0]] {
        let counters = c.counters();
        for (call, at_least) in [
            ("patch services", 1),
            ("patch configmaps", 1),
            ("watch pods", 1),
            // fabric8's first choice, served: no fallback to the HTTP watch was needed.
            ("websocket-watch pods", 1),
        ] {
            assert!(
                counters.get(call).copied().unwrap_or(0) >= at_least,
                "{call}: {counters:?}"
            );
        }
    }
    let _ = std::fs::remove_file(&ca_file);
}
