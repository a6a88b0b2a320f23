//! Retry classification: what to do after a failed API call or a failed in-pod submission.
//! Pure: the caller supplies the status code, reason, details and message it saw, or the error
//! chain of a request that got no answer (read, never sent anywhere).

use std::time::Duration;

/// What a failure calls for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// A lost write on the namespace's ResourceQuota (the "quota lock"): retry soon, with jitter.
    QuotaLock,
    /// The server asked us to come back later (429 with `Retry-After`).
    After(Duration),
    /// A transient error (5xx, a reset, a timeout, a server that answered before and now
    /// refuses connections: restarting): exponential backoff.
    Backoff,
    /// Nothing answers at the server's address and it never answered this launcher (connection
    /// refused, unknown host): a few seconds of retries ([`Policy::unreachable_for`]), as
    /// spark-submit's, then the job fails (or, on a fleet, moves).
    Unreachable,
    /// The quota has no room now (403 exceeded quota): the queue's business.
    QuotaExceeded,
    /// The object exists already: for a create by name, read it back (idempotent re-attach).
    Exists,
    /// Nothing a retry can fix (401, RBAC 403, 422 Invalid, 400, 404, a server certificate
    /// that is not to be trusted, a failed TLS handshake).
    Fatal,
}

impl Decision {
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Decision::QuotaLock | Decision::After(_) | Decision::Backoff | Decision::Unreachable
        )
    }

    /// Why, in a few words, for the retry log line.
    pub fn reason(&self) -> &'static str {
        match self {
            Decision::QuotaLock => "quota-lock conflict",
            Decision::After(_) => "server busy (429)",
            Decision::Backoff => "transient API error",
            Decision::Unreachable => "API server unreachable",
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

/// What broke on the way to the API server when a request got no answer (no Status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// Nothing listens at the address (`ECONNREFUSED`).
    Refused,
    /// The server's host name does not resolve.
    UnknownHost,
    /// The server's certificate is not one to trust.
    Certificate(CertProblem),
    /// The TLS handshake failed otherwise (the server turned down the client certificate, or
    /// speaks no TLS there), in rustls's words.
    Tls(String),
    /// No answer in time.
    TimedOut,
    /// The connection broke (reset, closed half-way), in the error's words.
    Broken(String),
    /// Anything else, in the innermost error's words.
    Other(String),
}

/// Why a server certificate is not trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertProblem {
    /// Signed by a CA the kubeconfig does not name.
    UnknownIssuer,
    /// The kubeconfig names a CA of the issuer's name, but the certificate is not signed by
    /// its key (another cluster's CA: every kubeadm cluster's CA is called `kubernetes`).
    OtherKey,
    /// Issued for other names (the name looked for, when rustls tells it).
    WrongName(Option<String>),
    Expired,
    NotYetValid,
    Revoked,
    /// Any other reason, in rustls's words.
    Other(String),
}

impl Cause {
    /// The cause in plain words; `host` is the server's, for a certificate issued for other
    /// names when the error does not say which name was looked for.
    pub fn words(&self, host: &str) -> String {
        match self {
            Cause::Refused => "connection refused".into(),
            Cause::UnknownHost => format!("unknown host {host}"),
            Cause::Certificate(CertProblem::UnknownIssuer) => {
                "certificate signed by an unknown authority".into()
            }
            Cause::Certificate(CertProblem::OtherKey) => {
                "certificate signed by an unknown authority (the kubeconfig's CA has the issuer's name but another key)".into()
            }
            Cause::Certificate(CertProblem::WrongName(name)) => format!(
                "certificate is not valid for {}",
                name.as_deref().unwrap_or(host)
            ),
            Cause::Certificate(CertProblem::Expired) => "certificate has expired".into(),
            Cause::Certificate(CertProblem::NotYetValid) => "certificate is not valid yet".into(),
            Cause::Certificate(CertProblem::Revoked) => "certificate has been revoked".into(),
            Cause::Certificate(CertProblem::Other(e)) => format!("invalid certificate: {e}"),
            Cause::Tls(e) => format!("TLS handshake failed: {e}"),
            Cause::TimedOut => "connection timed out".into(),
            Cause::Broken(e) | Cause::Other(e) => e.clone(),
        }
    }

    /// What the user can do about it.
    fn advice(&self) -> &'static str {
        match self {
            Cause::Certificate(CertProblem::UnknownIssuer | CertProblem::OtherKey) => {
                "Check the certificate-authority of the kubeconfig's cluster (or spark.kubernetes.authenticate.submission.caCertFile): it must be the CA that signed the server's certificate."
            }
            Cause::Certificate(CertProblem::WrongName(_)) => {
                "Point --master / the kubeconfig's server at a name the server's certificate is issued for."
            }
            Cause::Certificate(CertProblem::Expired | CertProblem::NotYetValid) => {
                "Renew the server's certificate, or check this machine's clock."
            }
            Cause::Certificate(_) => {
                "Check the server's certificate and the kubeconfig's certificate-authority."
            }
            Cause::Tls(_) => {
                "Check that the server speaks HTTPS at that address and the kubeconfig's client certificate, if any."
            }
            _ => "Check that the server runs and --master / the kubeconfig point at it.",
        }
    }
}

/// Reads the cause from a transport error's chain (kube → hyper's client → the connector's
/// `io::Error`, which may hold a rustls error). A rustls error anywhere wins, then the first
/// `io::Error` kind that says something, then what the messages say.
pub fn cause_of(e: &(dyn std::error::Error + 'static)) -> Cause {
    use std::io::ErrorKind;
    let chain = chain(e);
    if let Some(tls) = chain.iter().find_map(|e| e.downcast_ref::<rustls::Error>()) {
        return tls_cause(tls);
    }
    for e in &chain {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                ErrorKind::ConnectionRefused => return Cause::Refused,
                ErrorKind::TimedOut => return Cause::TimedOut,
                ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof => return Cause::Broken(io.to_string()),
                _ => {}
            }
        }
    }
    let texts: Vec<String> = chain.iter().map(|e| e.to_string()).collect();
    if texts
        .iter()
        .any(|t| t.starts_with("dns error") || t.contains("failed to lookup address"))
    {
        return Cause::UnknownHost;
    }
    if texts.iter().any(|t| t.contains("timed out")) {
        return Cause::TimedOut;
    }
    Cause::Other(texts.last().cloned().unwrap_or_default())
}

/// The errors of a chain, outermost first. An `io::Error`'s own `source` skips the error it
/// wraps, so that one is taken from `get_ref`.
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(e) = next
        && out.len() < 32
    {
        out.push(e);
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    out
}

fn tls_cause(e: &rustls::Error) -> Cause {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => Cause::Certificate(match c {
            C::UnknownIssuer => CertProblem::UnknownIssuer,
            // What webpki says when the trust anchor of the issuer's name did not sign it.
            C::BadSignature => CertProblem::OtherKey,
            C::NotValidForName => CertProblem::WrongName(None),
            C::NotValidForNameContext { expected, .. } => {
                CertProblem::WrongName(Some(expected.to_str().into_owned()))
            }
            C::Expired | C::ExpiredContext { .. } => CertProblem::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => CertProblem::NotYetValid,
            C::Revoked => CertProblem::Revoked,
            other => {
                CertProblem::Other(rustls::Error::InvalidCertificate(other.clone()).to_string())
            }
        }),
        other => Cause::Tls(other.to_string()),
    }
}

/// Classifies a transport failure (no Status). `answered_before`: this server has answered
/// this launcher already. A certificate or handshake failure is permanent. Connection refused
/// or an unknown host is a server that is not there when it never answered (a short retry),
/// and one restarting when it did (backoff, as every other transport failure).
pub fn classify_transport(cause: &Cause, answered_before: bool) -> Decision {
    match cause {
        Cause::Certificate(_) | Cause::Tls(_) => Decision::Fatal,
        Cause::Refused | Cause::UnknownHost if !answered_before => Decision::Unreachable,
        _ => Decision::Backoff,
    }
}

/// The one line for a request that got no answer, whatever the request was: the server, the
/// kubeconfig context when one was used, the cause, and what to do.
pub fn transport_message(server: &str, context: Option<&str>, cause: &Cause) -> String {
    let server = server.trim_end_matches('/');
    let verb = match cause {
        Cause::Certificate(_) => "Cannot trust",
        Cause::Tls(_) => "Cannot connect securely to",
        _ => "Cannot reach",
    };
    format!(
        "{verb} the Kubernetes API server {server}{}: {}. {}",
        in_context(context),
        cause.words(host_of(server)),
        cause.advice()
    )
}

/// The one line for credentials the server turned down (401).
pub fn unauthorized_message(server: &str, context: Option<&str>, said: &str) -> String {
    let said = if said.is_empty() || said == "Unauthorized" {
        String::new()
    } else {
        format!(": {said}")
    };
    format!(
        "The Kubernetes API server {}{} does not accept the credentials (401 Unauthorized{said}). Check the user of the kubeconfig's context (token, client certificate) or spark.kubernetes.authenticate.submission.*.",
        server.trim_end_matches('/'),
        in_context(context)
    )
}

fn in_context(context: Option<&str>) -> String {
    context
        .map(|c| format!(" (context {c})"))
        .unwrap_or_default()
}

/// The host of a server URL (`https://host:port/path` → `host`).
fn host_of(server: &str) -> &str {
    let rest = server.split_once("://").map_or(server, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    }
}

/// Retry limits (launcher settings), and the schedule of pauses between tries (backon's
/// exponential backoff). Every retry loop of the launcher takes its pauses from one of these:
/// [`Policy::default`] and [`Policy::quick`] for API calls, [`Policy::alert_delivery`] for a
/// sink, [`Policy::steady`] for a clean-up that goes on while the process lives.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Most attempts of one call (the first included).
    pub max_attempts: usize,
    /// No retry starts after this much time since the first attempt.
    pub deadline: Duration,
    pub min_delay: Duration,
    pub max_delay: Duration,
    /// How long a server that never answered and refuses connections (or whose name does not
    /// resolve) is retried: spark-submit gives up on one in about 6 s.
    pub unreachable_for: Duration,
    /// Each pause is the last one times this (up to `max_delay`).
    pub factor: f32,
    /// Whether pauses are jittered (so launchers started together spread out).
    pub jitter: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_attempts: 10,
            deadline: Duration::from_secs(120),
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            unreachable_for: Duration::from_secs(5),
            factor: 2.0,
            jitter: true,
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
            unreachable_for: Duration::from_secs(2),
            factor: 2.0,
            jitter: true,
        }
    }

    /// One delivery to an alert sink: three tries, 0.25 s then 1 s apart; a try's own
    /// time is the sink's `timeout`.
    pub fn alert_delivery() -> Policy {
        Policy {
            max_attempts: 3,
            deadline: Duration::MAX,
            min_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(1),
            unreachable_for: Duration::MAX,
            factor: 4.0,
            jitter: false,
        }
    }

    /// The same pause for ever (a clean-up that goes on while the process lives).
    pub fn steady(pause: Duration) -> Policy {
        Policy {
            max_attempts: usize::MAX,
            deadline: Duration::MAX,
            min_delay: pause,
            max_delay: pause,
            unreachable_for: Duration::MAX,
            factor: 1.0,
            jitter: false,
        }
    }

    /// For a clean-up that goes on in the background while the process lives (a ticket left
    /// on a cluster the job moved away from): about two minutes of patient tries.
    pub fn lingering() -> Policy {
        Policy {
            // The deadline ends it, not the count.
            max_attempts: 100,
            deadline: Duration::from_secs(120),
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(2),
            unreachable_for: Duration::from_secs(120),
            factor: 2.0,
            jitter: true,
        }
    }

    /// The pauses between tries: exponential from `min_delay` by `factor` up to `max_delay`,
    /// jittered when asked, without end (`max_attempts` and `deadline` end the tries).
    pub fn backoff(&self) -> impl Iterator<Item = Duration> {
        self.exponential()
    }

    fn exponential(&self) -> backon::ExponentialBackoff {
        use backon::BackoffBuilder;
        let b = backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(self.factor)
            .without_max_times();
        if self.jitter { b.with_jitter() } else { b }.build()
    }

    /// A schedule for one call retried under this policy.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            policy: self.clone(),
            failures: 0,
            backoff: self.exponential(),
        }
    }

    /// The delay before the next attempt, or `None` to give up.
    pub fn next_delay(
        &self,
        decision: &Decision,
        attempt: usize,
        elapsed: Duration,
        backoff: &mut impl Iterator<Item = Duration>,
    ) -> Option<Duration> {
        // A server that is not there gets a short while only.
        let deadline = match decision {
            Decision::Unreachable => self.deadline.min(self.unreachable_for),
            _ => self.deadline,
        };
        if !decision.retryable() || attempt >= self.max_attempts || elapsed >= deadline {
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
        Some(d.min(deadline.saturating_sub(elapsed)))
    }
}

/// Where one retried call is in its [`Policy`]: the failures so far and the backoff's state.
/// The caller keeps the clock (time since the first attempt) and does the waiting.
#[derive(Debug)]
pub struct Schedule {
    policy: Policy,
    failures: usize,
    backoff: backon::ExponentialBackoff,
}

impl Schedule {
    /// After a failure of `decision`, `elapsed` since the first attempt: the pause before the
    /// next attempt, or `None` to give up (as [`Policy::next_delay`] decides).
    pub fn after_failure(&mut self, decision: &Decision, elapsed: Duration) -> Option<Duration> {
        self.failures += 1;
        self.policy
            .next_delay(decision, self.failures, elapsed, &mut self.backoff)
    }

    /// Failures since the schedule began.
    pub fn failures(&self) -> usize {
        self.failures
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

    /// An error with a message and a source, as hyper's client and connector errors are.
    #[derive(Debug)]
    struct Wrapped(&'static str, Box<dyn std::error::Error + Send + Sync>);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&*self.1)
        }
    }

    /// kube's `ServiceError` → hyper's `client error (Connect)` → the connector's error.
    fn connect_error(inner: impl std::error::Error + Send + Sync + 'static) -> Wrapped {
        Wrapped("client error (Connect)", Box::new(inner))
    }

    /// What tokio-rustls and hyper-rustls make of a failed handshake: an `io::Error` holding
    /// an `io::Error` holding the rustls error.
    fn handshake(e: rustls::Error) -> Wrapped {
        connect_error(std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            e,
        )))
    }

    #[test]
    fn transport_causes_from_the_error_chain() {
        use std::io::{Error as Io, ErrorKind};
        let refused = connect_error(Wrapped(
            "tcp connect error",
            Box::new(Io::from(ErrorKind::ConnectionRefused)),
        ));
        assert_eq!(cause_of(&refused), Cause::Refused);
        let unknown = handshake(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ));
        assert_eq!(
            cause_of(&unknown),
            Cause::Certificate(CertProblem::UnknownIssuer)
        );
        let name = rustls::pki_types::ServerName::try_from("api.internal").unwrap();
        let wrong_name = handshake(rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForNameContext {
                expected: name,
                presented: vec!["localhost".into()],
            },
        ));
        assert_eq!(
            cause_of(&wrong_name),
            Cause::Certificate(CertProblem::WrongName(Some("api.internal".into())))
        );
        assert_eq!(
            cause_of(&handshake(rustls::Error::InvalidCertificate(
                rustls::CertificateError::Expired
            ))),
            Cause::Certificate(CertProblem::Expired)
        );
        let other_key = Cause::Certificate(CertProblem::OtherKey);
        assert_eq!(
            cause_of(&handshake(rustls::Error::InvalidCertificate(
                rustls::CertificateError::BadSignature
            ))),
            other_key
        );
        assert!(
            other_key
                .words("h")
                .starts_with("certificate signed by an unknown authority")
        );
        assert!(matches!(
            cause_of(&handshake(rustls::Error::AlertReceived(
                rustls::AlertDescription::HandshakeFailure
            ))),
            Cause::Tls(_)
        ));
        assert_eq!(
            cause_of(&connect_error(Io::new(ErrorKind::TimedOut, "deadline"))),
            Cause::TimedOut
        );
        assert!(matches!(
            cause_of(&connect_error(Io::from(ErrorKind::ConnectionReset))),
            Cause::Broken(_)
        ));
        let dns = connect_error(Wrapped(
            "dns error",
            Box::new(Io::other(
                "failed to lookup address information: Name or service not known",
            )),
        ));
        assert_eq!(cause_of(&dns), Cause::UnknownHost);
        assert_eq!(
            cause_of(&connect_error(Io::other("something odd"))),
            Cause::Other("something odd".into())
        );
    }

    #[test]
    fn transport_decisions() {
        // Whether the server answered before makes no difference to these.
        for answered in [false, true] {
            for (cause, want) in [
                (
                    Cause::Certificate(CertProblem::UnknownIssuer),
                    Decision::Fatal,
                ),
                (Cause::Tls("alert".into()), Decision::Fatal),
                (Cause::TimedOut, Decision::Backoff),
                (Cause::Broken("reset".into()), Decision::Backoff),
            ] {
                assert_eq!(classify_transport(&cause, answered), want, "{cause:?}");
            }
        }
        // Never answered: not there. Answered before: restarting.
        for (cause, answered, want) in [
            (Cause::Refused, false, Decision::Unreachable),
            (Cause::UnknownHost, false, Decision::Unreachable),
            (Cause::Refused, true, Decision::Backoff),
        ] {
            assert_eq!(classify_transport(&cause, answered), want, "{cause:?}");
        }
        assert!(Decision::Unreachable.retryable());
    }

    #[test]
    fn transport_messages_name_the_server_the_context_and_the_cause() {
        assert_eq!(
            transport_message("https://127.0.0.1:1234/", Some("kubesim"), &Cause::Refused),
            "Cannot reach the Kubernetes API server https://127.0.0.1:1234 (context kubesim): connection refused. Check that the server runs and --master / the kubeconfig point at it."
        );
        let m = transport_message(
            "https://127.0.0.1:1234",
            None,
            &Cause::Certificate(CertProblem::UnknownIssuer),
        );
        assert!(
            m.starts_with("Cannot trust the Kubernetes API server https://127.0.0.1:1234: certificate signed by an unknown authority. Check the certificate-authority"),
            "{m}"
        );
        for (server, host) in [
            ("https://10.0.0.1:6443", "10.0.0.1"),
            ("https://[::1]:6443/", "::1"),
            ("https://api.internal", "api.internal"),
        ] {
            assert!(
                transport_message(
                    server,
                    None,
                    &Cause::Certificate(CertProblem::WrongName(None))
                )
                .contains(&format!(": certificate is not valid for {host}. ")),
                "{server}"
            );
        }
        let m = unauthorized_message("https://h:6443/", Some("prod"), "Unauthorized");
        assert!(
            m.starts_with("The Kubernetes API server https://h:6443 (context prod) does not accept the credentials (401 Unauthorized)."),
            "{m}"
        );
    }

    /// The delays `p` gives a transient failure, try after try, until it gives up.
    fn schedule(p: &Policy, most: usize) -> Vec<Duration> {
        let mut b = p.backoff();
        (1..=most)
            .map_while(|attempt| p.next_delay(&Decision::Backoff, attempt, Duration::ZERO, &mut b))
            .collect()
    }

    #[test]
    fn an_alert_delivery_tries_three_times() {
        let ms = Duration::from_millis;
        assert_eq!(schedule(&Policy::alert_delivery(), 10), [ms(250), ms(1000)]);
        // A failure no retry fixes (a 4xx, a command that cannot start) is not tried again.
        let p = Policy::alert_delivery();
        assert_eq!(
            p.next_delay(&Decision::Fatal, 1, Duration::ZERO, &mut p.backoff()),
            None
        );
    }

    #[test]
    fn a_steady_policy_pauses_alike_without_end() {
        let two = Duration::from_secs(2);
        assert_eq!(schedule(&Policy::steady(two), 1000), vec![two; 1000]);
        let p = Policy::steady(two);
        assert_eq!(
            p.next_delay(
                &Decision::Backoff,
                1_000_000,
                Duration::from_secs(86_400 * 365),
                &mut p.backoff()
            ),
            Some(two)
        );
    }

    #[test]
    fn an_unreachable_server_gets_a_few_seconds() {
        let p = Policy::default();
        let mut b = p.backoff();
        let mut elapsed = Duration::ZERO;
        let mut attempt = 1;
        while let Some(d) = p.next_delay(&Decision::Unreachable, attempt, elapsed, &mut b) {
            elapsed += d;
            attempt += 1;
        }
        assert_eq!(elapsed, p.unreachable_for, "{attempt} attempts");
        assert!(attempt > 2, "{attempt}");
        // Transient errors keep the whole deadline.
        let mut b = p.backoff();
        assert!(
            p.next_delay(&Decision::Backoff, 2, p.unreachable_for, &mut b)
                .is_some()
        );
    }

    #[test]
    fn a_schedule_counts_failures_and_gives_up_as_its_policy_does() {
        let p = Policy::quick();
        let mut s = p.schedule();
        let mut elapsed = Duration::ZERO;
        let mut pauses = Vec::new();
        while let Some(d) = s.after_failure(&Decision::Backoff, elapsed) {
            // Jitter adds up to the delay again.
            assert!(d <= p.max_delay * 2, "{d:?}");
            elapsed += d;
            pauses.push(d);
        }
        // max_attempts counts the first attempt: three pauses, then the fourth failure ends it.
        assert_eq!(pauses.len(), p.max_attempts - 1, "{pauses:?}");
        assert_eq!(s.failures(), p.max_attempts);
        // Nothing a retry fixes ends a fresh schedule at once.
        let mut s = p.schedule();
        assert_eq!(s.after_failure(&Decision::Fatal, Duration::ZERO), None);
        // The server's own pause is taken as it is.
        let mut s = p.schedule();
        assert_eq!(
            s.after_failure(&Decision::After(Duration::from_secs(1)), Duration::ZERO),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn a_lingering_clean_up_keeps_trying_for_about_two_minutes() {
        let p = Policy::lingering();
        let mut s = p.schedule();
        let mut elapsed = Duration::ZERO;
        while let Some(d) = s.after_failure(&Decision::Backoff, elapsed) {
            assert!(d >= p.min_delay || elapsed + d == p.deadline, "{d:?}");
            assert!(d <= p.max_delay * 2, "{d:?}");
            elapsed += d;
        }
        assert_eq!(elapsed, p.deadline);
        // A server that never answered gets the same while: the job has moved on already.
        let mut s = p.schedule();
        let mut elapsed = Duration::ZERO;
        while let Some(d) = s.after_failure(&Decision::Unreachable, elapsed) {
            elapsed += d;
        }
        assert_eq!(elapsed, p.deadline);
    }
}
