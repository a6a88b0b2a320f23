//! `spark-k8s-cli alert test [--sink NAME] [--event KIND]`: sends a sample event through the
//! configured sinks, so users can check their setup.

use std::io::Write;

use super::exit;
use crate::alert::{Event, Kind, sinks};
use crate::resolve::Env;

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
    // The environment's value wins over the config file's, as for a job.
    let text = env.get("SPARK_K8S_CLI_ALERT_SINKS").cloned().or_else(|| {
        match config.fields.get("alertSinks") {
            Some(crate::resolve::registry::Raw::Text(t)) => Some(t.clone()),
            _ => None,
        }
    });
    let all = match text.as_deref().map(sinks::parse) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            let _ = writeln!(err, "Error: alertSinks is not valid: {e}.");
            return exit::USAGE;
        }
        None => {
            let _ = writeln!(
                err,
                "Error: no alert sinks are configured. Add `alertSinks:` to the launcher config (docs/alerts.md)."
            );
            return exit::USAGE;
        }
    };
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
    let links = match env.get("SPARK_K8S_CLI_ALERT_LINKS") {
        Some(v) => v
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        None => match config.fields.get("alertLinks") {
            Some(crate::resolve::registry::Raw::Map(m)) => m.clone(),
            _ => Default::default(),
        },
    };
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
        crate::submit::code::SUBMIT_FAILED
    }
}
