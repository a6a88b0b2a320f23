//! The deploy-mode matrix: every end-to-end test of the launcher's path runs in cluster mode
//! and in client mode (spark-submit's default), from one body.

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

    /// The driver pod of job `job`: its own pod in cluster mode, the submit pod (named as the
    /// driver) in client mode; the same name either way.
    pub fn driver(self, job: &str) -> String {
        spark_k8s_cli::plan::jobid::driver_pod_name(job)
    }

    /// The submit pod of job `job`: `<id>-submit` in cluster mode; in client mode it is the
    /// driver and named as one.
    pub fn submit_pod(self, job: &str) -> String {
        match self {
            Mode::Cluster => spark_k8s_cli::plan::jobid::submit_pod_name(job),
            Mode::Client => spark_k8s_cli::plan::jobid::driver_pod_name(job),
        }
    }

    /// The cpu in millicores of the tests' usual job (`--conf spark.executor.instances=1`,
    /// default sizes): a 500m submit pod + a 1-core driver + a 1-core executor in cluster mode;
    /// in client mode the submit pod is the driver, sized as the driver.
    pub fn job_cpu_m(self) -> u32 {
        match self {
            Mode::Cluster => 2500,
            Mode::Client => 2000,
        }
    }

    /// A cpu quota with room for `jobs` of the tests' usual jobs (a fraction: room for none),
    /// in the canonical form the API server gives it back (`2`, not `2000m`).
    pub fn cpu_for(self, jobs: f64) -> String {
        let m = (jobs * f64::from(self.job_cpu_m())).round() as u64;
        if m.is_multiple_of(1000) {
            (m / 1000).to_string()
        } else {
            format!("{m}m")
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
