//! The alert sinks as configured (`alertSinks`): their types, the parse that checks them, which
//! events each one takes, and their redaction for logs. Pure; `alert` delivers to them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::events::{Event, Kind};

/// The kinds of sink.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkKind {
    /// POST the event as JSON (or the `template`), optionally signed.
    Webhook,
    /// POST a Block Kit message to a Slack incoming webhook.
    Slack,
    /// Run `argv` (no shell) with the event JSON on stdin.
    Command,
    /// The line on stderr (always written; a `log` sink only restates it).
    Log,
}

/// One sink (`alertSinks` in the launcher config, a list of these; a field left out is `None`
/// or empty). Its `Debug` hides the secrets: the URL is cut to its host, header values and
/// the HMAC key are replaced, and template and argv items that look secret
/// (`spark.redaction.regex`'s default) too.
#[derive(Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sink {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SinkKind,
    /// webhook, slack: where to POST.
    pub url: Option<String>,
    /// webhook: extra request headers (values are secrets: redacted in logs).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// webhook: HMAC-SHA256 key; the body's signature goes in `X-Spark-K8s-Cli-Signature`.
    pub secret: Option<String>,
    /// webhook: the body, with `{{field}}` replaced by the event's fields (JSON-escaped).
    pub template: Option<String>,
    /// command: the program and its arguments.
    #[serde(default)]
    pub argv: Vec<String>,
    /// Event kinds this sink takes (`*`: all); default all but `job-succeeded`.
    #[serde(default)]
    pub events: Vec<String>,
    /// Severities this sink takes (`error`, `warning`, `info`); default all.
    #[serde(default)]
    pub severities: Vec<String>,
    /// Queues whose jobs this sink takes; default all.
    #[serde(default)]
    pub queues: Vec<String>,
    /// Seconds one delivery may take (default 5).
    pub timeout: Option<f64>,
}

/// Parses and checks the `alertSinks` setting (a JSON/YAML array of sinks).
pub fn parse(json: &str) -> Result<Vec<Sink>, String> {
    let sinks: Vec<Sink> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    for s in &sinks {
        if s.name.is_empty() || !seen.insert(s.name.as_str()) {
            return Err(format!(
                "every sink needs a name of its own ('{}' is empty or listed twice)",
                s.name
            ));
        }
        let needs_url = matches!(s.kind, SinkKind::Webhook | SinkKind::Slack);
        match &s.url {
            Some(u) if needs_url && !(u.starts_with("https://") || u.starts_with("http://")) => {
                return Err(format!(
                    "sink '{}': url must start with https:// or http://",
                    s.name
                ));
            }
            None if needs_url => return Err(format!("sink '{}' needs a url", s.name)),
            _ => {}
        }
        if let Some(h) = s.headers.iter().find(|(k, v)| {
            http::HeaderName::from_bytes(k.as_bytes()).is_err()
                || http::HeaderValue::from_str(v).is_err()
        }) {
            return Err(format!(
                "sink '{}': header '{}' is not a valid HTTP header name and value",
                s.name, h.0
            ));
        }
        if s.kind == SinkKind::Command && s.argv.first().is_none_or(|p| p.is_empty()) {
            return Err(format!(
                "sink '{}' needs argv: the program and its arguments (no shell)",
                s.name
            ));
        }
        if let Some(k) = s
            .events
            .iter()
            .find(|k| *k != "*" && Kind::parse(k).is_none())
        {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            return Err(format!(
                "sink '{}': unknown event '{k}'; known: {}",
                s.name,
                known.join(", ")
            ));
        }
        if let Some(v) = s
            .severities
            .iter()
            .find(|v| !matches!(v.as_str(), "error" | "warning" | "info"))
        {
            return Err(format!(
                "sink '{}': unknown severity '{v}'; known: error, warning, info",
                s.name
            ));
        }
        if s.timeout.is_some_and(|t| !(t > 0.0 && t.is_finite())) {
            return Err(format!(
                "sink '{}': timeout must be seconds above 0",
                s.name
            ));
        }
    }
    Ok(sinks)
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::redact::{REPLACEMENT, Redactor};
        let r = Redactor::default();
        let headers: BTreeMap<&str, &str> = self
            .headers
            .keys()
            .map(|k| (k.as_str(), REPLACEMENT))
            .collect();
        let argv = super::redact::hide_words(&r, &self.argv);
        f.debug_struct("Sink")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url.as_deref().map(redact_url))
            .field("headers", &headers)
            .field("secret", &self.secret.as_ref().map(|_| REPLACEMENT))
            .field(
                "template",
                &self.template.as_deref().map(|t| r.show("template", t)),
            )
            .field("argv", &argv)
            .field("events", &self.events)
            .field("severities", &self.severities)
            .field("queues", &self.queues)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Sink {
    /// Whether this sink takes `e` (by event kind, severity and queue).
    pub fn routes(&self, e: &Event) -> bool {
        let kind_ok = if self.events.is_empty() {
            e.event != Kind::JobSucceeded
        } else {
            self.events.iter().any(|k| k == "*" || k == e.event.name())
        };
        kind_ok
            && (self.severities.is_empty() || self.severities.iter().any(|s| s == e.severity))
            && (self.queues.is_empty() || self.queues.contains(&e.queue))
    }

    /// Where this sink sends, safe for logs: a URL's scheme and host only (Slack puts its
    /// secret in the path), a command's program.
    pub fn describe(&self) -> String {
        match self.kind {
            SinkKind::Command => {
                format!("command {}", self.argv.first().cloned().unwrap_or_default())
            }
            SinkKind::Log => "the log".into(),
            _ => format!(
                "{} {}",
                self.kind_name(),
                redact_url(self.url.as_deref().unwrap_or(""))
            ),
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            SinkKind::Webhook => "webhook",
            SinkKind::Slack => "slack",
            SinkKind::Command => "command",
            SinkKind::Log => "log",
        }
    }
}

/// `https://hooks.example.com/services/T0/B0/secret?x=1` → `https://hooks.example.com/***`.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    // user:password@host
    let host_part = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host_part.rsplit('@').next().unwrap_or("");
    let hidden = rest.len() > host_part.len() || host_part.contains('@');
    format!(
        "{scheme}{}{host}{}",
        if scheme.is_empty() { "" } else { "://" },
        if hidden { "/***" } else { "" }
    )
}

/// The `alertSinks` setting for `--verbose` and the dry run: URLs cut to their host, header
/// values and HMAC secrets replaced.
pub fn redacted(json: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(json) else {
        return "*********(redacted)".into();
    };
    for sink in v.as_array_mut().into_iter().flatten() {
        if let Some(u) = sink.get_mut("url")
            && let Some(s) = u.as_str()
        {
            *u = Value::String(redact_url(s));
        }
        if let Some(s) = sink.get_mut("secret") {
            *s = Value::String("*********(redacted)".into());
        }
        for (_, h) in sink
            .get_mut("headers")
            .and_then(Value::as_object_mut)
            .into_iter()
            .flatten()
        {
            *h = Value::String("*********(redacted)".into());
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(json: &str) -> Sink {
        parse(&format!("[{json}]")).unwrap().remove(0)
    }

    fn event(kind: Kind) -> Event {
        let mut e = Event::new(kind, "etl-1", String::new());
        e.queue = "etl".into();
        e
    }

    #[test]
    fn sinks_are_checked() {
        for (bad, why) in [
            (r#"{"name": "w", "type": "webhook"}"#, "needs a url"),
            (
                r#"{"name": "w", "type": "slack", "url": "ftp://x"}"#,
                "must start with https://",
            ),
            (r#"{"name": "c", "type": "command"}"#, "needs argv"),
            (
                r#"{"name": "c", "type": "command", "argv": ["x"], "events": ["driver-fail"]}"#,
                "unknown event 'driver-fail'",
            ),
            (
                r#"{"name": "c", "type": "command", "argv": ["x"], "severities": ["fatal"]}"#,
                "unknown severity",
            ),
            (
                r#"{"name": "c", "type": "pager", "argv": ["x"]}"#,
                "unknown variant",
            ),
            (
                r#"{"name": "c", "type": "log", "colour": "red"}"#,
                "unknown field",
            ),
            (
                r#"{"name": "w", "type": "webhook", "url": "http://h", "headers": {"Bad Name": "x"}}"#,
                "header 'Bad Name' is not a valid",
            ),
        ] {
            let e = parse(&format!("[{bad}]")).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        let e =
            parse(r#"[{"name": "a", "type": "log"}, {"name": "a", "type": "log"}]"#).unwrap_err();
        assert!(e.contains("listed twice"), "{e}");
    }

    #[test]
    fn routing_by_kind_severity_and_queue() {
        let all = sink(r#"{"name": "a", "type": "log"}"#);
        assert!(all.routes(&event(Kind::DriverFailed)));
        assert!(!all.routes(&event(Kind::JobSucceeded)), "success is opt-in");
        let some = sink(
            r#"{"name": "a", "type": "log", "events": ["job-succeeded", "oom-killed"], "queues": ["etl"]}"#,
        );
        assert!(some.routes(&event(Kind::JobSucceeded)));
        assert!(!some.routes(&event(Kind::DriverFailed)));
        let mut other_queue = event(Kind::OomKilled);
        other_queue.queue = "adhoc".into();
        assert!(!some.routes(&other_queue));
        let errors =
            sink(r#"{"name": "a", "type": "log", "events": ["*"], "severities": ["error"]}"#);
        assert!(errors.routes(&event(Kind::DriverFailed)));
        assert!(!errors.routes(&event(Kind::Failover)), "a warning");
    }

    #[test]
    fn urls_are_redacted_to_their_host() {
        assert_eq!(
            redact_url("https://hooks.slack.com/services/T0/B0/XXXX"),
            "https://hooks.slack.com/***"
        );
        assert_eq!(
            redact_url("http://user:pw@h:8080?token=1"),
            "http://h:8080/***"
        );
        assert_eq!(redact_url("https://h"), "https://h");
        let s = sink(
            r#"{"name": "w", "type": "webhook", "url": "https://h/x?key=secret", "headers": {"Authorization": "Bearer t"}}"#,
        );
        assert_eq!(s.describe(), "webhook https://h/***");
    }

    #[test]
    fn debug_hides_every_secret() {
        let s = sink(
            r#"{"name": "w", "type": "webhook", "url": "https://hooks.slack.com/services/T0/B0/PLANTED1",
                "headers": {"Authorization": "Bearer PLANTED2"}, "secret": "PLANTED3",
                "template": "{\"token\": \"PLANTED4\"}"}"#,
        );
        let c = sink(
            r#"{"name": "c", "type": "command", "argv": ["notify", "--token", "PLANTED5", "--password=PLANTED6"]}"#,
        );
        let shown = format!("{s:?} {c:?} {:?}", vec![s.clone(), c.clone()]);
        for planted in [
            "PLANTED1", "PLANTED2", "PLANTED3", "PLANTED4", "PLANTED5", "PLANTED6",
        ] {
            assert!(!shown.contains(planted), "{planted} in {shown}");
        }
        assert!(shown.contains("hooks.slack.com"), "{shown}");
        assert!(shown.contains("Authorization"), "{shown}");
        assert!(shown.contains("notify"), "{shown}");
    }

    #[test]
    fn verbose_shows_sinks_without_their_secrets() {
        let shown = redacted(
            r#"[{"name": "w", "type": "webhook", "url": "https://h/p/TOKEN", "secret": "k", "headers": {"Authorization": "Bearer t"}}]"#,
        );
        assert!(
            !shown.contains("TOKEN") && !shown.contains("Bearer") && !shown.contains("\"k\""),
            "{shown}"
        );
        assert!(shown.contains("https://h/***"), "{shown}");
    }
}
