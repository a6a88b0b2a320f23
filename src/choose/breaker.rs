//! A circuit breaker per cluster (pure): closed while requests succeed, open after a run of
//! failures (the cluster is skipped), half-open after a cool-down (one probe decides).

/// Where a cluster's circuit stands. Times are milliseconds since the Unix epoch, so the state
/// can be shared between launcher processes through a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Circuit {
    /// Requests go; `failures` in a row so far.
    Closed { failures: u32 },
    /// Skipped until `until`; then half-open.
    Open { until: u64 },
}

impl Default for Circuit {
    fn default() -> Self {
        Circuit::Closed { failures: 0 }
    }
}

impl Circuit {
    /// Whether a request may go to the cluster now (an open circuit past its cool-down lets a
    /// probe through: half-open).
    pub fn allows(&self, now_ms: u64) -> bool {
        match self {
            Circuit::Closed { .. } => true,
            Circuit::Open { until } => now_ms >= *until,
        }
    }

    pub fn state_name(&self, now_ms: u64) -> &'static str {
        match self {
            Circuit::Closed { .. } => "closed",
            Circuit::Open { until } if now_ms >= *until => "half-open",
            Circuit::Open { .. } => "open",
        }
    }
}

/// The breaker's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breaker {
    /// Failures in a row that open the circuit.
    pub threshold: u32,
    /// How long an open circuit skips the cluster before a probe.
    pub cool_down_ms: u64,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker {
            threshold: 3,
            cool_down_ms: 30_000,
        }
    }
}

impl Breaker {
    /// After a request (or probe) that worked: closed.
    pub fn success(&self, _c: Circuit) -> Circuit {
        Circuit::Closed { failures: 0 }
    }

    /// After a failed request (refused, timed out, 5xx): counts toward opening; a failed probe
    /// of a half-open circuit opens it again at once.
    pub fn failure(&self, c: Circuit, now_ms: u64) -> Circuit {
        match c {
            Circuit::Closed { failures } if failures + 1 < self.threshold => Circuit::Closed {
                failures: failures + 1,
            },
            _ => Circuit::Open {
                until: now_ms + self.cool_down_ms,
            },
        }
    }

    /// Whether going from `before` to `after` opened the circuit (an event for alerting).
    pub fn opened(before: Circuit, after: Circuit) -> bool {
        matches!(before, Circuit::Closed { .. }) && matches!(after, Circuit::Open { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_a_run_of_failures_and_probes_after_the_cool_down() {
        let b = Breaker {
            threshold: 3,
            cool_down_ms: 1000,
        };
        let mut c = Circuit::default();
        c = b.failure(c, 0);
        c = b.failure(c, 10);
        assert_eq!(c, Circuit::Closed { failures: 2 });
        assert!(c.allows(10));
        // A success in between starts the count again.
        c = b.success(c);
        c = b.failure(b.failure(c, 20), 30);
        assert!(c.allows(30));
        let before = c;
        c = b.failure(c, 40);
        assert!(Breaker::opened(before, c));
        assert_eq!(c, Circuit::Open { until: 1040 });
        assert!(!c.allows(1039));
        assert_eq!(c.state_name(500), "open");
        // Half-open: one probe goes; its failure opens the circuit again, its success closes it.
        assert!(c.allows(1040));
        assert_eq!(c.state_name(1040), "half-open");
        let again = b.failure(c, 1050);
        assert_eq!(again, Circuit::Open { until: 2050 });
        assert!(!Breaker::opened(c, again), "already open: not a new event");
        assert_eq!(b.success(c), Circuit::Closed { failures: 0 });
    }

    #[test]
    fn the_state_round_trips_through_json() {
        for c in [Circuit::Closed { failures: 2 }, Circuit::Open { until: 99 }] {
            let text = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Circuit>(&text).unwrap(), c);
        }
        assert_eq!(
            serde_json::to_string(&Circuit::Open { until: 5 }).unwrap(),
            r#"{"state":"open","until":5}"#
        );
    }
}
