//! The deploy-mode matrix: every end-to-end test of the launcher's path runs in cluster mode
//! and in client mode (spark-submit's default), from one body.
#![allow(dead_code)] // each includer uses a part

/// spark-submit's `--deploy-mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Cluster,
    Client,
}

impl Mode {
    pub fn flag(self) -> &'static str {
        match self {
            Mode::Cluster => "cluster",
            Mode::Client => "client",
        }
    }

    /// The driver pod of job `job`: its own pod in cluster mode, the submit pod in client mode.
    pub fn driver(self, job: &str) -> String {
        match self {
            Mode::Cluster => spark_k8s_cli::plan::jobid::driver_pod_name(job),
            Mode::Client => spark_k8s_cli::plan::jobid::submit_pod_name(job),
        }
    }

    /// A name unique per mode, for directories and job ids of tests that run in both.
    pub fn tag(self, name: &str) -> String {
        format!("{name}-{}", self.flag())
    }
}

/// `both_modes! { async fn name(mode: Mode) { body } ... }`: a module per test with a
/// `cluster` and a `client` test running the same body.
macro_rules! both_modes {
    ($($(#[$meta:meta])* async fn $name:ident($mode:ident: Mode) $body:block)*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($mode: Mode) $body
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn cluster() {
                    run(Mode::Cluster).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn client() {
                    run(Mode::Client).await
                }
            }
        )*
    };
}
