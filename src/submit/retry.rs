//! Retry classification: what to do after a failed API call or a failed in-pod submission.
//! Pure: the caller supplies the status code, reason, details and message it saw.

use std::time::Duration;

/// What a failure calls for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A lost write on the namespace's ResourceQuota (the "quota lock"): retry soon, with jitter.
    QuotaLock,
    /// The server asked us to come back later (429 with `Retry-After`).
    After(Duration),
    /// A transient error (5xx, connection refused or reset, timeout): exponential backoff.
    Backoff,
    /// The quota has no room now (403 exceeded quota): the queue's business.
    QuotaExceeded,
    /// The object exists already: for a create by name, read it back (idempotent re-attach).
    Exists,
    /// Nothing a retry can fix (401, RBAC 403, 422 Invalid, 400, 404).
    Fatal,
}

impl Decision {
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Decision::QuotaLock | Decision::After(_) | Decision::Backoff
        )
    }

    /// Why, in a few words, for the retry log line.
    pub fn reason(&self) -> &'static str {
        match self {
            Decision::QuotaLock => "quota-lock conflict",
            Decision::After(_) => "server busy (429)",
            Decision::Backoff => "transient API error",
            Decision::QuotaExceeded => "exceeded quota",
            Decision::Exists => "already exists",
            Decision::Fatal => "not retryable",
        }
    }
}

/// A Status answer from the API server.
#[derive(Clone, Debug, Default)]
pub struct StatusSeen<'a> {
    pub code: u16,
    pub reason: &'a str,
    pub message: &'a str,
    /// `details.kind`: the resource the Status is about (`resourcequotas` for a quota lock).
    pub kind: &'a str,
    /// `Retry-After` seconds, when the response had the header.
    pub retry_after: Option<u64>,
}

/// Classifies a Status answer.
pub fn classify_status(s: &StatusSeen) -> Decision {
    match s.code {
        409 if s.reason == "AlreadyExists" => Decision::Exists,
        // Optimistic-lock conflict: on the quota it is the quota lock; elsewhere a re-read
        // and retry is what the API asks for too.
        409 if s.kind == "resourcequotas" || s.message.contains("on resourcequotas") => {
            Decision::QuotaLock
        }
        409 => Decision::Backoff,
        429 => Decision::After(Duration::from_secs(s.retry_after.unwrap_or(1).clamp(1, 60))),
        403 if s.message.contains("exceeded quota") => Decision::QuotaExceeded,
        // The quota controller has not computed usage yet: a short wait fixes it.
        403 if s.message.contains("status unknown for quota") => Decision::Backoff,
        500 | 502 | 503 | 504 => Decision::Backoff,
        _ => Decision::Fatal,
    }
}

/// Classifies a transport failure (no Status): every one of them may be transient.
pub fn classify_transport() -> Decision {
    Decision::Backoff
}

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

/// Retry limits (launcher settings).
#[derive(Clone, Debug)]
pub struct Policy {
    /// Most attempts of one call (the first included).
    pub max_attempts: usize,
    /// No retry starts after this much time since the first attempt.
    pub deadline: Duration,
    pub min_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_attempts: 10,
            deadline: Duration::from_secs(120),
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl Policy {
    /// For a fleet's queue: a few quick tries, then the job moves to another cluster.
    pub fn quick() -> Policy {
        Policy {
            max_attempts: 4,
            deadline: Duration::from_secs(2),
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
        }
    }

    /// The exponential backoff with jitter for transient errors.
    pub fn backoff(&self) -> impl Iterator<Item = Duration> {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// The delay before the next attempt, or `None` to give up.
    pub fn next_delay(
        &self,
        decision: &Decision,
        attempt: usize,
        elapsed: Duration,
        backoff: &mut impl Iterator<Item = Duration>,
    ) -> Option<Duration> {
        if !decision.retryable() || attempt >= self.max_attempts || elapsed >= self.deadline {
            return None;
        }
        let d = match decision {
            // Quota-lock losers retry soon: the lock is free again within milliseconds.
            Decision::QuotaLock => {
                self.min_delay.min(Duration::from_millis(100))
                    + backoff.next().unwrap_or(self.min_delay) / 4
            }
            Decision::After(d) => *d,
            _ => backoff.next().unwrap_or(self.max_delay),
        };
        Some(d.min(self.deadline.saturating_sub(elapsed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(
        code: u16,
        reason: &'static str,
        message: &'static str,
        kind: &'static str,
    ) -> StatusSeen<'static> {
        StatusSeen {
            code,
            reason,
            message,
            kind,
            retry_after: None,
        }
    }

    #[test]
    fn statuses() {
        let lock = status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on resourcequotas \"q\": the object has been modified; please apply your changes to the latest version and try again",
            "resourcequotas",
        );
        assert_eq!(classify_status(&lock), Decision::QuotaLock);
        assert_eq!(
            classify_status(&status(
                409,
                "AlreadyExists",
                "pods \"x\" already exists",
                "pods"
            )),
            Decision::Exists
        );
        assert_eq!(
            classify_status(&StatusSeen {
                retry_after: Some(3),
                ..status(429, "TooManyRequests", "", "")
            }),
            Decision::After(Duration::from_secs(3))
        );
        for code in [500, 502, 503, 504] {
            assert_eq!(
                classify_status(&status(code, "", "", "")),
                Decision::Backoff
            );
        }
        assert_eq!(
            classify_status(&status(
                403,
                "Forbidden",
                "pods \"x\" is forbidden: exceeded quota: compute, requested: cpu=3, used: cpu=1, limited: cpu=2",
                "pods"
            )),
            Decision::QuotaExceeded
        );
        assert_eq!(
            classify_status(&status(
                403,
                "Forbidden",
                "pods is forbidden: User \"u\" cannot create resource \"pods\"",
                "pods"
            )),
            Decision::Fatal
        );
        assert_eq!(
            classify_status(&status(401, "Unauthorized", "Unauthorized", "")),
            Decision::Fatal
        );
        assert_eq!(
            classify_status(&status(422, "Invalid", "", "Pod")),
            Decision::Fatal
        );
        assert!(classify_transport().retryable());
    }

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

    #[test]
    fn delays_respect_limits() {
        let p = Policy::default();
        let mut b = p.backoff();
        let d = p
            .next_delay(&Decision::Backoff, 1, Duration::ZERO, &mut b)
            .unwrap();
        assert!(d >= p.min_delay && d <= p.max_delay * 2, "{d:?}");
        assert_eq!(
            p.next_delay(&Decision::Fatal, 1, Duration::ZERO, &mut b),
            None
        );
        assert_eq!(
            p.next_delay(&Decision::Backoff, 10, Duration::ZERO, &mut b),
            None
        );
        assert_eq!(
            p.next_delay(&Decision::Backoff, 1, p.deadline, &mut b),
            None
        );
        assert_eq!(
            p.next_delay(
                &Decision::After(Duration::from_secs(2)),
                1,
                Duration::ZERO,
                &mut b
            ),
            Some(Duration::from_secs(2))
        );
        let q = p
            .next_delay(&Decision::QuotaLock, 1, Duration::ZERO, &mut b)
            .unwrap();
        assert!(q < Duration::from_secs(3), "{q:?}");
    }
}
