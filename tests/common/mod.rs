//! What the integration tests and the benchmarks share. A test includes it with
//! `#[macro_use] mod common;`, a benchmark with `#[path = "../tests/common/mod.rs"]`; each
//! uses a part, so unused items are allowed here.
//!
//! - [`home`]: the sandbox without a cluster (a HOME of its own, removed on drop; the
//!   launcher's environment; the `spark_pi()` builder of a job's command line);
//! - [`sandbox`]: the sandbox with kubesim (its kubeconfig, `--master`, the store's pods);
//! - [`watch`]: waits on kubesim's store (watches, never timers, each bounded);
//! - [`mode`]: the deploy-mode matrix (`both_modes!`);
//! - [`burst`]: many launchers at once, observed from inside (queue, alerts, fleet);
//! - [`sink`]: an alert sink's HTTP server;
//! - [`pipeline`]: the pure parse → resolve → plan pipeline and its round trip.
#![allow(dead_code, unused_macros, unused_imports)]

#[macro_use]
pub mod mode;
pub mod home;
pub mod pipeline;

#[cfg(feature = "sim")]
pub mod burst;
#[cfg(feature = "sim")]
pub mod sandbox;
#[cfg(feature = "sim")]
pub mod sink;
#[cfg(feature = "sim")]
pub mod watch;
