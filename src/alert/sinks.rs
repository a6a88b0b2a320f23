//! What alerts are sent (pure): the bodies for the sinks (webhook JSON or template, Slack
//! Block Kit, the command's stdin) and the webhook signature.

use serde_json::{Value, json};

use crate::events::Event;
use crate::resolve::sinks::Sink;

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
    use crate::events::Kind;

    fn sink(json: &str) -> Sink {
        crate::resolve::sinks::parse(&format!("[{json}]"))
            .unwrap()
            .remove(0)
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
