//! Where alerts go (pure): the sinks as configured, which events each one takes, and the
//! bodies they are sent (webhook JSON or template, Slack Block Kit, the command's stdin).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Event, Kind};

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

/// One sink (`alertSinks` in the launcher config, a list of these). Its `Debug` hides the
/// secrets: the URL is cut to its host, header values and the HMAC key are replaced, and
/// template and argv items that look secret (`spark.redaction.regex`'s default) too.
#[derive(Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sink {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: SinkKind,
    /// webhook, slack: where to POST.
    #[serde(default)]
    pub url: Option<String>,
    /// webhook: extra request headers (values are secrets: redacted in logs).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// webhook: HMAC-SHA256 key; the body's signature goes in `X-Spark-K8s-Cli-Signature`.
    #[serde(default)]
    pub secret: Option<String>,
    /// webhook: the body, with `{{field}}` replaced by the event's fields (JSON-escaped).
    #[serde(default)]
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
    #[serde(default)]
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
        use crate::resolve::redact::{REPLACEMENT, Redactor};
        let r = Redactor::default();
        let headers: BTreeMap<&str, &str> = self
            .headers
            .keys()
            .map(|k| (k.as_str(), REPLACEMENT))
            .collect();
        let argv = crate::resolve::redact::hide_words(&r, &self.argv);
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

/// The webhook body: the event JSON, or the sink's template with `{{field}}` replaced.
pub fn webhook_body(sink: &Sink, e: &Event) -> String {
    let payload = serde_json::to_value(e).unwrap_or(Value::Null);
    match &sink.template {
        None => payload.to_string(),
        Some(t) => fill(t, &payload),
    }
}

/// Replaces `{{field}}` with the payload's field, JSON-escaped without quotes (so a template
/// stays valid JSON whatever the message holds); an unknown field becomes empty.
pub fn fill(template: &str, payload: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let field = after[..end].trim();
        let value = match payload.pointer(&format!("/{}", field.replace('.', "/"))) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        let quoted = Value::String(value).to_string();
        out.push_str(&quoted[1..quoted.len() - 1]);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Cuts `s` to at most `max` characters, marking the cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Slack's mrkdwn escapes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The Slack message: a header, the job's facts as fields, the message, the pod's last events,
/// links, and a context line. Within Block Kit's limits (header 150 characters, a field 2000,
/// ten fields, a section's text 3000, 50 blocks).
pub fn slack_body(e: &Event) -> Value {
    let icon = match e.severity {
        "error" => "🔴",
        "warning" => "🟠",
        _ => "🟢",
    };
    let title = format!("{icon} {}: {}", e.event.title(), e.job_id);
    let mut fields = vec![
        ("Job", e.job_id.clone()),
        ("App", e.app_name.clone()),
        ("Queue", e.queue.clone()),
        ("Cluster", e.cluster.clone()),
        ("Namespace", e.namespace.clone()),
        ("Reason", e.reason.clone().unwrap_or_default()),
        ("Phase", e.phase.clone().unwrap_or_default()),
        ("Pods", e.pods.join(", ")),
    ];
    if let (Some(from), Some(to)) = (&e.from_cluster, &e.to_cluster) {
        fields.push(("Moved", format!("{from} → {to}")));
    }
    if e.seconds > 0.0 {
        fields.push(("Seconds", format!("{:.0}", e.seconds)));
    }
    let fields: Vec<Value> = fields
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .take(10)
        .map(|(k, v)| json!({"type": "mrkdwn", "text": cut(&format!("*{k}*\n{}", esc(&v)), 2000)}))
        .collect();
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": cut(&title, 150), "emoji": true}}),
        json!({"type": "section", "fields": fields}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&esc(&e.message), 3000)}}),
    ];
    if !e.last_events.is_empty() {
        let text = format!("*Last events*\n```{}```", esc(&e.last_events.join("\n")));
        blocks
            .push(json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&text, 3000)}}));
    }
    if !e.links.is_empty() {
        let links: Vec<String> = e
            .links
            .iter()
            .map(|(name, url)| format!("<{}|{}>", url, esc(name)))
            .collect();
        blocks.push(json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&links.join("  ·  "), 3000)}}));
    }
    let mut context = format!("{} · {} · spark-k8s-cli", e.severity, e.time);
    if e.suppressed > 0 {
        context = format!(
            "{} more like it were not sent in the last minute · {context}",
            e.suppressed
        );
    }
    blocks.push(
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": cut(&context, 3000)}]}),
    );
    json!({"text": cut(&format!("{title}: {}", e.message), 3000), "blocks": blocks})
}

/// The `X-Spark-K8s-Cli-Signature` value: `sha256=` and the hex HMAC-SHA256 of the body.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, body);
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(json: &str) -> Sink {
        parse(&format!("[{json}]")).unwrap().remove(0)
    }

    fn event(kind: Kind) -> Event {
        let mut e = Event::new(
            kind,
            "etl-1",
            "Pod etl-1-driver cannot start: <bad> & \"worse\"".into(),
        );
        e.queue = "etl".into();
        e.cluster = "east".into();
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

    #[test]
    fn templates_fill_fields_json_escaped() {
        let s = sink(
            r#"{"name": "w", "type": "webhook", "url": "http://h", "template": "{\"text\": \"{{event}} {{job_id}}: {{message}} {{nope}}\", \"n\": {{seconds}}}"}"#,
        );
        let body = webhook_body(&s, &event(Kind::StartupFailed));
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(
            v["text"],
            "startup-failed etl-1: Pod etl-1-driver cannot start: <bad> & \"worse\" "
        );
        assert_eq!(v["n"], 0.0);
        let plain = sink(r#"{"name": "w", "type": "webhook", "url": "http://h"}"#);
        let v: Value =
            serde_json::from_str(&webhook_body(&plain, &event(Kind::RunTimeout))).unwrap();
        assert_eq!(v["event"], "run-timeout");
    }

    #[test]
    fn slack_messages_keep_to_block_kit_limits() {
        let mut e = event(Kind::ContainerCreationFailed);
        e.message = "x".repeat(5000);
        e.last_events = vec!["Warning Failed: pull".into(); 400];
        e.links.insert("Spark UI".into(), "https://ui/etl-1".into());
        e.suppressed = 7;
        let v = slack_body(&e);
        let blocks = v["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50);
        assert_eq!(blocks[0]["type"], "header");
        assert!(blocks[0]["text"]["text"].as_str().unwrap().chars().count() <= 150);
        let fields = blocks[1]["fields"].as_array().unwrap();
        assert!(!fields.is_empty() && fields.len() <= 10);
        for b in blocks {
            if let Some(t) = b["text"]["text"].as_str() {
                assert!(t.chars().count() <= 3000, "{}", t.len());
            }
        }
        assert!(blocks[2]["text"]["text"].as_str().unwrap().ends_with('…'));
        let context = blocks.last().unwrap()["elements"][0]["text"]
            .as_str()
            .unwrap();
        assert!(context.starts_with("7 more like it"), "{context}");
        assert!(v["text"].as_str().unwrap().chars().count() <= 3000);
        // Escaped for mrkdwn.
        let m = slack_body(&event(Kind::StartupFailed));
        assert!(
            m["blocks"][2]["text"]["text"]
                .as_str()
                .unwrap()
                .contains("&lt;bad&gt; &amp;")
        );
    }

    #[test]
    fn signatures_are_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
