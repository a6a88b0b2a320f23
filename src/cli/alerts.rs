//! `spark-k8s-cli alert test [--sink NAME] [--event KIND]`: sends a sample event through the
//! configured sinks, so users can check their setup.

use std::io::Write;

use super::exit;
use crate::events::{Event, Kind};
use crate::resolve::Env;
use crate::resolve::sinks;

pub fn command(cmd: &super::args::AlertCommand, env: &Env) -> u8 {
    let super::args::AlertCommand::Test(args) = cmd;
    let mut err = std::io::stderr().lock();
    let only = args.sink.clone();
    // clap offers only the known names.
    let kind = Kind::parse(&args.event).unwrap_or(Kind::DriverFailed);
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
