//! Retries of the in-pod submission: what the log of a spark-submit that failed in the submit
//! pod calls for, in [`crate::cluster::retry`]'s terms. Pure.

use crate::cluster::retry::{Decision, StatusSeen, classify_status};

/// Classifies the log of an in-pod spark-submit that exited non-zero before any driver existed.
/// Spark's fabric8 client logs `Failure executing: POST at: … Message: <msg>. Received status:
/// Status(… code=<n>, details=StatusDetails(… kind=<kind> …) … reason=<reason> …)`.
pub fn classify_submit_log(log: &str) -> Decision {
    let Some(at) = log.rfind("Failure executing:") else {
        // No API error: a bad argument, a missing class, an exception in spark-submit itself.
        return if log.contains("java.net.ConnectException")
            || log.contains("SocketTimeoutException")
            || log.contains("Connection reset")
        {
            Decision::Backoff
        } else {
            Decision::Fatal
        };
    };
    let text = &log[at..];
    let field = |name: &str| -> &str {
        text.find(&format!("{name}="))
            .map(|i| {
                let rest = &text[i + name.len() + 1..];
                let end = rest.find([',', ')']).unwrap_or(rest.len());
                &rest[..end]
            })
            .unwrap_or("")
    };
    let message = text
        .find("Message: ")
        .map(|i| {
            let rest = &text[i + 9..];
            &rest[..rest.find(". Received status").unwrap_or(rest.len())]
        })
        .unwrap_or("");
    classify_status(&StatusSeen {
        code: field("code").parse().unwrap_or(0),
        reason: field("reason"),
        message,
        kind: field("kind"),
        retry_after: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_pod_submission_logs() {
        let lock = "26/11/27 05:00:00 ERROR Client: Please check \"kubectl auth can-i create pod\" first.\nio.fabric8.kubernetes.client.KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/default/pods. Message: Operation cannot be fulfilled on resourcequotas \"compute\": the object has been modified; please apply your changes to the latest version and try again. Received status: Status(apiVersion=v1, code=409, details=StatusDetails(causes=[], group=null, kind=resourcequotas, name=compute, retryAfterSeconds=null, uid=null, additionalProperties={}), kind=Status, message=Operation cannot be fulfilled on resourcequotas \"compute\": the object has been modified; please apply your changes to the latest version and try again, metadata=ListMeta(_continue=null, remainingItemCount=null, resourceVersion=null, selfLink=null, additionalProperties={}), reason=Conflict, status=Failure, additionalProperties={}).";
        assert_eq!(classify_submit_log(lock), Decision::QuotaLock);
        let quota = "KubernetesClientException: Failure executing: POST at: https://kubernetes.default.svc/api/v1/namespaces/default/pods. Message: pods \"a-driver\" is forbidden: exceeded quota: compute, requested: cpu=1, used: cpu=2, limited: cpu=2. Received status: Status(apiVersion=v1, code=403, details=StatusDetails(causes=[], group=null, kind=pods, name=a-driver), kind=Status, reason=Forbidden, status=Failure).";
        assert_eq!(classify_submit_log(quota), Decision::QuotaExceeded);
        let exists = "Failure executing: POST at: x. Message: pods \"a-driver\" already exists. Received status: Status(apiVersion=v1, code=409, details=StatusDetails(causes=[], group=null, kind=pods, name=a-driver), kind=Status, reason=AlreadyExists, status=Failure).";
        assert_eq!(classify_submit_log(exists), Decision::Exists);
        assert_eq!(
            classify_submit_log("Error: Missing application resource."),
            Decision::Fatal
        );
        assert_eq!(
            classify_submit_log("java.net.ConnectException: Failed to connect"),
            Decision::Backoff
        );
    }
}
