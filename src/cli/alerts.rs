//! `spark-k8s-cli alert test [--sink NAME] [--event KIND]`: sends a sample event through the
//! configured sinks, so users can check their setup.

use std::io::Write;

use super::exit;
use crate::alert::{Event, Kind, sinks};
use crate::resolve::Env;

const USAGE: &str = "Usage: spark-k8s-cli alert test [--sink NAME] [--event KIND]";

pub fn command(args: &[String], env: &Env) -> u8 {
    let mut err = std::io::stderr().lock();
    let mut it = args.iter();
    if it.next().map(String::as_str) != Some("test") {
        let _ = writeln!(err, "Error: alert takes the test command. {USAGE}.");
        return exit::USAGE;
    }
    let (mut only, mut kind) = (None, Kind::DriverFailed);
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--sink", Some(name)) => only = Some(name.clone()),
            ("--event", Some(k)) => match Kind::parse(k) {
                Some(k) => kind = k,
                None => {
                    let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                    let _ = writeln!(
                        err,
                        "Error: unknown event {k}; known: {}.",
                        known.join(", ")
                    );
                    return exit::USAGE;
                }
            },
            (other, _) => {
                let _ = writeln!(err, "Error: unknown argument {other}. {USAGE}.");
                return exit::USAGE;
            }
        }
    }
    let config = match crate::resolve::launcher_config(env, &super::DiskFiles) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "Error: {e}");
            return exit::USAGE;
        }
    };
    // The environment's values win over the config file's, as for a job.
    let alerts = match crate::resolve::config_alerts(env, &config) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "Error: {e}");
            return exit::USAGE;
        }
    };
    let all = alerts.sinks;
    if all.is_empty() {
        let _ = writeln!(
            err,
            "Error: no alert sinks are configured. Add `alertSinks:` to the launcher config (docs/alerts.md)."
        );
        return exit::USAGE;
    }
    let chosen: Vec<&sinks::Sink> = all
        .iter()
        .filter(|s| only.as_ref().is_none_or(|n| *n == s.name))
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        let _ = writeln!(
            err,
            "Error: no sink is named {}; the sinks are: {}.",
            only.unwrap_or_default(),
            names.join(", ")
        );
        return exit::USAGE;
    }
    let mut event = Event::new(
        kind,
        "alert-test",
        format!(
            "A test alert from `spark-k8s-cli alert test` ({}).",
            kind.title()
        ),
    );
    event.app_name = "alert-test".into();
    event.queue = "default".into();
    event.cluster = "test".into();
    event.namespace = "default".into();
    event.pods = vec!["alert-test-driver".into()];
    event.reason = Some("Test".into());
    // The links every alert carries, as a job's would (the environment's value wins).
    let links = alerts.links;
    for (name, template) in &links {
        let url = crate::alert::deliver::link(template, &event, "alert-test-driver");
        event.links.insert(name.clone(), url);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "Error: cannot start the runtime: {e}");
            return exit::USAGE;
        }
    };
    let mut failed = 0;
    for sink in chosen {
        match runtime.block_on(crate::alert::deliver::send_now(sink, &event)) {
            Ok(()) => {
                let _ = writeln!(err, "sink {} ({}): delivered", sink.name, sink.describe());
            }
            Err(why) => {
                failed += 1;
                let _ = writeln!(
                    err,
                    "sink {} ({}): not delivered: {why}",
                    sink.name,
                    sink.describe()
                );
            }
        }
    }
    if failed == 0 {
        exit::OK
    } else {
        // Not delivered: the code of a failed submission, as for a job.
        exit::of(crate::outcome::JobFailure::submission(""))
    }
}
