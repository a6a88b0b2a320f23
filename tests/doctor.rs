//! `spark-k8s-cli doctor` through the real binary against kubesim: a fleet whose members are
//! broken each in one way (unreachable, a wrong token, no RBAC for the launcher or for the submit
//! account, a missing service account, a quota no job fits) is told each problem and its fix and
//! exits 1; a healthy setup exits 0.

mod common;

use common::home::{Home, IMAGE};
use kubesim::{Sim, SimConfig};
use serde_json::Value;

/// `doctor -o json` in `home`: exit code and findings.
fn doctor(home: &Home) -> (i32, Vec<Value>) {
    let out = home
        .cli(&["doctor", "-o", "json"])
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings: Vec<Value> = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), findings)
}

/// The finding of `check` for `cluster`.
fn found<'a>(findings: &'a [Value], cluster: &str, check: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["cluster"] == cluster && f["check"] == check)
        .unwrap_or_else(|| panic!("no {check} for {cluster}: {findings:#?}"))
}

/// `check` of `cluster` failed, saying `detail` and a fix mentioning `fix`.
fn failed(findings: &[Value], cluster: &str, check: &str, detail: &str, fix: &str) {
    let f = found(findings, cluster, check);
    assert_eq!(f["verdict"], "fail", "{f:#}");
    let (d, x) = (f["detail"].as_str().unwrap(), f["fix"].as_str().unwrap());
    assert!(d.contains(detail), "{cluster} {check}: {d}");
    assert!(x.contains(fix), "{cluster} {check}: {x}");
}

fn submit_account() -> (String, String) {
    ("default".into(), "spark-k8s-cli-submit".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_each_problem_and_its_fix() {
    // A healthy cluster; one held to RBAC, with a quota no job fits and no submit account.
    let good = Sim::start(SimConfig {
        service_accounts: vec![submit_account()],
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let strict = Sim::start(SimConfig {
        rbac: true,
        // The submit account exists in `spark` only, with no Role.
        service_accounts: vec![("spark".into(), "spark-k8s-cli-submit".into())],
        users: vec![("nobody-token".into(), "nobody".into())],
        quota: Some(vec![
            ("requests.cpu".into(), "100m".into()),
            ("requests.memory".into(), "100Mi".into()),
        ]),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    // A port nothing listens on: bound, then let go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let home = Home::new("doctor");
    let write = |name: &str, text: String| home.write(name, text).display().to_string();
    let kc_good = write("good.yaml", good.kubeconfig());
    let kc_token = write("token.yaml", good.kubeconfig_with_token("not-the-token"));
    let kc_nobody = write("nobody.yaml", strict.kubeconfig_with_token("nobody-token"));
    let kc_admin = write("admin.yaml", strict.kubeconfig());
    let kc_away = write(
        "away.yaml",
        good.kubeconfig()
            .replace(&good.url(0), &format!("http://127.0.0.1:{closed_port}")),
    );
    home.write_config(&format!(
        "submitImage: {IMAGE}\nsubmitServiceAccount: spark-k8s-cli-submit\nfleet:\n\
         - {{name: away, kubeconfig: {kc_away}}}\n\
         - {{name: token, kubeconfig: {kc_token}}}\n\
         - {{name: norbac, kubeconfig: {kc_nobody}}}\n\
         - {{name: tiny, kubeconfig: {kc_admin}}}\n\
         - {{name: norole, kubeconfig: {kc_admin}, namespace: spark}}\n\
         - {{name: good, kubeconfig: {kc_good}}}\n"
    ));
    let (code, findings) = doctor(&home);
    assert_eq!(code, 1, "{findings:#?}");
    failed(
        &findings,
        "away",
        "reach",
        "cannot be reached",
        "the server address",
    );
    failed(
        &findings,
        "token",
        "credentials",
        "401 Unauthorized",
        "Renew the token",
    );
    failed(
        &findings,
        "norbac",
        "rbac",
        "the launcher may not, in default: create pods",
        "spark-k8s-cli rbac --namespace default | kubectl apply -f -",
    );
    failed(
        &findings,
        "tiny",
        "service-account",
        "spark-k8s-cli-submit does not exist in default",
        "submitServiceAccount: spark-k8s-cli-submit",
    );
    failed(
        &findings,
        "tiny",
        "quota",
        "can never fit",
        "Raise the ResourceQuota",
    );
    failed(
        &findings,
        "norole",
        "submit-rbac",
        "service account spark-k8s-cli-submit may not: create pods",
        "spark-k8s-cli rbac --namespace spark | kubectl apply -f -",
    );
    // The healthy member in the same run: every check passes.
    for f in findings.iter().filter(|f| f["cluster"] == "good") {
        assert_eq!(f["verdict"], "ok", "{f:#}");
    }
    for check in [
        "reach",
        "clock",
        "rbac",
        "service-account",
        "submit-rbac",
        "quota",
        "limitrange",
    ] {
        found(&findings, "good", check);
    }

    // Only the healthy cluster: exit 0, and the table names every check.
    home.write_config(&format!(
        "submitImage: {IMAGE}\nsubmitServiceAccount: spark-k8s-cli-submit\nfleet:\n\
         - {{name: good, kubeconfig: {kc_good}}}\n"
    ));
    let (code, findings) = doctor(&home);
    assert_eq!(code, 0, "{findings:#?}");
    let out = home.cli(&["doctor"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("CLUSTER"), "{table}");
    assert!(!table.contains("FAIL"), "{table}");
}

/// No image for the submit pod is a failure of the setup itself, named with its setting.
#[test]
fn doctor_without_an_image_says_which_setting() {
    let home = Home::new("doctor-image");
    home.write_config("fleet:\n- {name: a, kubeconfig: /nonexistent/kubeconfig}\n");
    let (code, findings) = doctor(&home);
    assert_eq!(code, 1, "{findings:#?}");
    failed(
        &findings,
        "-",
        "image",
        "spark.k8scli.submitImage",
        "Set submitImage",
    );
    failed(
        &findings,
        "a",
        "connect",
        "/nonexistent/kubeconfig",
        "kubeconfig",
    );
}
