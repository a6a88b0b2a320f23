//! `spark-k8s-cli rbac`'s manifests, applied to kubesim with RBAC on, carry a job in each deploy
//! mode (its driver UI published by an Ingress), a session and the job commands; and what the
//! launcher and the submit pod's account used is exactly what the manifests grant for those
//! runs (`Need::Run`), nothing more and nothing less. kubesim's authorizer is kube-apiserver's
//! RBAC (`kubesim/src/rbac.rs` cites it).
#![cfg(feature = "sim")]

mod common;

use std::collections::BTreeSet;
use std::io::Write;

use common::home::{BIN, Home, IMAGE};
use common::mode::Mode;
use common::sandbox::{Sandbox, apply, with_rbac};
use kubesim::SimConfig;
use spark_k8s_cli::plan::rbac::{self, Grant, LAUNCHER_ACCOUNT, Need, SUBMIT_ACCOUNT};

const LAUNCHER_TOKEN: &str = "launcher-token";

type Perm = (String, String, String);

/// The (verb, group, resource) the runs should use: the grants marked [`Need::Run`].
fn needed(grants: &[Grant]) -> BTreeSet<Perm> {
    grants
        .iter()
        .flat_map(|g| {
            g.verbs
                .iter()
                .filter(|(_, n)| *n == Need::Run)
                .map(|(v, _)| (v.to_string(), g.group.to_string(), g.resource.to_string()))
        })
        .collect()
}

fn used(cluster: &kubesim::Cluster, account: &str) -> BTreeSet<Perm> {
    let user = format!("system:serviceaccount:default:{account}");
    cluster
        .access
        .used()
        .into_iter()
        .filter(|u| u.user == user)
        .map(|u| {
            assert_eq!(u.namespace, "default");
            (u.verb, u.group, u.resource)
        })
        .collect()
}

/// The job commands over a finished job, each exiting 0.
fn commands(home: &Home, job: &str) {
    for args in [
        vec!["status", job],
        vec!["list"],
        vec!["logs", job],
        vec!["queue"],
        vec!["sessions"],
        vec!["kill", job],
    ] {
        let out = home.cli(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manifests_carry_jobs_sessions_and_commands_with_nothing_to_spare() {
    let config = SimConfig {
        quota: Some(vec![("cpu".into(), "20".into())]),
        ..with_rbac(LAUNCHER_TOKEN, LAUNCHER_ACCOUNT)
    };
    let sb = Sandbox::start(Mode::Cluster, "rbac", config).await;
    let cluster = &sb.sim.clusters[0];
    apply(cluster, &rbac::manifests("default"));
    let kubeconfig = sb.sim.kubeconfig_with_token(LAUNCHER_TOKEN);
    std::fs::write(sb.kubeconfig(), &kubeconfig).unwrap();
    let account =
        format!("spark.kubernetes.authenticate.driver.serviceAccountName={SUBMIT_ACCOUNT}");

    // A job in each deploy mode, then the commands over it.
    let mut client = Home::in_mode(Mode::Client, "rbac");
    std::fs::write(client.kubeconfig(), &kubeconfig).unwrap();
    client.master = sb.master.clone();
    for (home, job, mode) in [
        (&*sb, "rbac-cluster", "pod"),
        (&client, "rbac-client", "pod"),
        // Direct mode: the launcher makes the driver and its objects (a secret property too).
        (&*sb, "rbac-direct", "direct"),
    ] {
        let out = home
            .spark_pi()
            .job(job)
            .conf(&format!("spark.k8scli.submitMode={mode}"))
            // Direct mode on Spark 4.2+, which makes the driver's NetworkPolicy too.
            .args(match mode {
                "direct" => &[
                    "--conf",
                    "spark.kubernetes.container.image=apache/spark:4.3.0",
                ][..],
                _ => &[],
            })
            .conf("spark.db.password=rbac-secret")
            .conf(&account)
            .conf("spark.executor.instances=1")
            // The driver UI's Ingress, made once the driver is seen running.
            .conf("spark.k8scli.uiIngressHost={job}.spark.example.com")
            .driver_seconds(1.0)
            .command()
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{job}: {out:?}");
        commands(home, job);
    }

    // A session, with piped input.
    let link = client.dir.join("pyspark");
    std::os::unix::fs::symlink(BIN, &link).unwrap();
    let mut session = client.command(&link);
    session
        .args(["--master", client.master.as_deref().unwrap()])
        .args([
            "--conf",
            &format!("spark.kubernetes.container.image={IMAGE}"),
        ])
        .args(["--conf", &account])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = session.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"1+1\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains('2'),
        "{out:?}"
    );

    // Nothing more, nothing less.
    assert_eq!(
        used(cluster, LAUNCHER_ACCOUNT),
        needed(rbac::LAUNCHER),
        "the launcher"
    );
    assert_eq!(
        used(cluster, SUBMIT_ACCOUNT),
        needed(rbac::SUBMIT),
        "the submit pod"
    );
}

/// Without the submit pod's Role, the driver is refused and the job fails with the RBAC 403.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_submit_role_the_job_fails_with_kube_apiservers_403() {
    let config = with_rbac(LAUNCHER_TOKEN, LAUNCHER_ACCOUNT);
    let sb = Sandbox::start(Mode::Cluster, "rbac-403", config).await;
    let cluster = &sb.sim.clusters[0];
    apply(cluster, &rbac::launcher("default"));
    apply(
        cluster,
        &format!(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {SUBMIT_ACCOUNT}\n  namespace: default\n"
        ),
    );
    std::fs::write(
        sb.kubeconfig(),
        sb.sim.kubeconfig_with_token(LAUNCHER_TOKEN),
    )
    .unwrap();
    let out = sb
        .spark_pi()
        .job("rbac-403")
        .conf(&format!(
            "spark.kubernetes.authenticate.driver.serviceAccountName={SUBMIT_ACCOUNT}"
        ))
        .command()
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{out:?}");
    // The submit pod's log (spark-submit's own report of the refusal) is streamed to stdout.
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        err.contains(&format!("pods is forbidden: User \"system:serviceaccount:default:{SUBMIT_ACCOUNT}\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"")),
        "{err}"
    );
}
