//! alert: the job events the stages raise ([`crate::events`]), told on stderr, recorded as
//! Kubernetes Events and delivered to the configured sinks (webhook, Slack, a command), each
//! (job, event) once. [`Alerts`] is the [`crate::events::Teller`] `cli` installs.

pub mod deliver;
pub mod gate;
pub mod record;
pub mod sinks;

pub use deliver::{Alerts, flush};
